//! CLIENT subcommands, with several simultaneous connections, compared against real redis-server
//! 7.0.15 where it has the subcommand (SETINFO and NO-TOUCH are 7.2's and checked against its
//! documented behaviour).

use crate::support::{Raw, Server, have, same_replies};

/// Sends every command and a final QUIT in one write (a pipeline), and returns everything the
/// server answered before closing, QUIT's OK left out. Reading to the close, rather than one
/// reply per command, also shows replies that should not exist (CLIENT REPLY OFF).
fn pipeline(raw: &mut Raw, commands: &[&[&str]]) -> String {
    let mut bytes = Vec::new();
    for args in commands.iter().chain([&&["QUIT"][..]]) {
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        bytes.extend_from_slice(&crate::support::encode(&args));
    }
    raw.send(&bytes);
    let replies = String::from_utf8_lossy(&raw.read_to_close()).into_owned();
    replies.strip_suffix("+OK\r\n").unwrap_or_else(|| panic!("QUIT did not answer OK: {replies}")).to_owned()
}

/// Runs `commands` on a fresh rkv connection, and on real Redis when installed, asserting both
/// transcripts equal `expected` (recorded from redis-server 7.0.15).
fn assert_transcript(commands: &[&[&str]], expected: &str) {
    let rkv = Server::start(&[]);
    assert_eq!(pipeline(&mut rkv.raw(), commands), expected, "rkv");
    if have("redis-server") {
        let redis = Server::start_redis(&[]);
        assert_eq!(pipeline(&mut redis.raw(), commands), expected, "redis-server");
    }
}

/// The payload of a CLIENT LIST / CLIENT INFO reply (RESP2 bulk or RESP3 verbatim), as lines.
fn list_lines(reply: &str) -> Vec<String> {
    let body = reply.split_once("\r\n").map(|(_, rest)| rest).unwrap_or_default();
    let body = body.strip_prefix("txt:").unwrap_or(body);
    let body = body.strip_suffix("\r\n").unwrap_or(body);
    body.lines().map(str::to_owned).collect()
}

/// `(field, value)` pairs of a CLIENT LIST line, in order.
fn fields(line: &str) -> Vec<(String, String)> {
    line.split(' ')
        .map(|f| {
            let (k, v) = f.split_once('=').unwrap_or((f, ""));
            (k.to_owned(), v.to_owned())
        })
        .collect()
}

/// The value of `field` in a CLIENT LIST line.
fn field(line: &str, name: &str) -> String {
    fields(line).into_iter().find(|(k, _)| k == name).map(|(_, v)| v).unwrap_or_else(|| panic!("no {name} in {line}"))
}

/// The CLIENT ID of a connection.
fn client_id(raw: &mut Raw) -> u64 {
    let reply = raw.call(&["CLIENT", "ID"]);
    reply.trim_start_matches(':').trim_end().parse().unwrap_or_else(|_| panic!("CLIENT ID replied {reply}"))
}

/// Asserts the server closed `raw` (EOF, no further bytes).
fn assert_closed(raw: &mut Raw) {
    assert_eq!(raw.read_to_close(), b"", "connection should be closed");
}

#[test]
fn list_line_has_redis_fields_in_order() {
    let rkv = Server::start(&[]);
    let mut other = rkv.raw();
    assert_eq!(other.call(&["CLIENT", "SETNAME", "other"]), "+OK\r\n");
    let mut me = rkv.raw();
    assert_eq!(me.call(&["SELECT", "2"]), "+OK\r\n");
    let my_id = client_id(&mut me);
    let lines = list_lines(&me.call(&["CLIENT", "LIST"]));
    assert_eq!(lines.len(), 2, "{lines:?}");
    // Connection order: the other client first.
    assert_eq!(field(&lines[0], "name"), "other");
    assert_eq!(field(&lines[0], "cmd"), "client|setname");
    let mine = &lines[1];
    assert_eq!(field(mine, "id"), my_id.to_string());
    assert_eq!(field(mine, "addr"), me.stream.local_addr().unwrap().to_string());
    assert_eq!(field(mine, "laddr"), format!("127.0.0.1:{}", rkv.port));
    for (name, value) in [
        ("name", ""),
        ("age", "0"),
        ("idle", "0"),
        ("flags", "N"),
        ("db", "2"),
        ("multi", "-1"),
        ("argv-mem", "10"),
        ("cmd", "client|list"),
        ("user", "default"),
        ("redir", "-1"),
        ("resp", "2"),
    ] {
        assert_eq!(field(mine, name), value, "{name} in {mine}");
    }

    if have("redis-server") {
        let redis = Server::start_redis(&[]);
        let redis_line = list_lines(&redis.raw().call(&["CLIENT", "LIST"])).remove(0);
        let names = |line: &str| fields(line).into_iter().map(|(k, _)| k).collect::<Vec<_>>();
        assert_eq!(names(mine), names(&redis_line));
    }
}

#[test]
fn info_is_the_callers_list_line() {
    let rkv = Server::start(&[]);
    let mut raw = rkv.raw();
    raw.call(&["CLIENT", "SETNAME", "me"]);
    let info = list_lines(&raw.call(&["CLIENT", "INFO"]));
    assert_eq!(info.len(), 1);
    let listed = list_lines(&raw.call(&["CLIENT", "LIST"]));
    let without_cmd = |line: &str| fields(line).into_iter().filter(|(k, _)| k != "cmd").collect::<Vec<_>>();
    assert_eq!(without_cmd(&info[0]), without_cmd(&listed[0]));
    assert_eq!(field(&info[0], "cmd"), "client|info");
    // RESP3: a verbatim string.
    raw.call(&["HELLO", "3"]);
    let reply = raw.call(&["CLIENT", "INFO"]);
    assert!(reply.starts_with('=') && reply.contains("\r\ntxt:id="), "{reply}");
    assert_eq!(field(&list_lines(&reply)[0], "resp"), "3");
}

#[test]
fn ids_are_unique_and_increasing() {
    let rkv = Server::start(&[]);
    let ids: Vec<u64> = (0..5).map(|_| client_id(&mut rkv.raw())).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
}

#[test]
fn setname_and_getname() {
    assert_transcript(
        &[
            &["CLIENT", "GETNAME"],
            &["CLIENT", "SETNAME", "a b"],
            &["CLIENT", "SETNAME", "a\nb"],
            &["CLIENT", "SETNAME", "worker-1"],
            &["CLIENT", "GETNAME"],
            &["CLIENT", "SETNAME", ""],
            &["CLIENT", "GETNAME"],
            &["CLIENT", "SETNAME"],
            &["CLIENT", "GETNAME", "x"],
        ],
        "$-1\r\n\
         -ERR Client names cannot contain spaces, newlines or special characters.\r\n\
         -ERR Client names cannot contain spaces, newlines or special characters.\r\n\
         +OK\r\n\
         $8\r\nworker-1\r\n\
         +OK\r\n\
         $-1\r\n\
         -ERR wrong number of arguments for 'client|setname' command\r\n\
         -ERR wrong number of arguments for 'client|getname' command\r\n",
    );
}

#[test]
fn list_filters_and_errors() {
    assert_transcript(
        &[
            &["CLIENT", "LIST", "TYPE", "foo"],
            &["CLIENT", "LIST", "TYPE"],
            &["CLIENT", "LIST", "ID"],
            &["CLIENT", "LIST", "ID", "abc"],
            &["CLIENT", "LIST", "ID", "99999", "-1"],
            &["CLIENT", "LIST", "foo", "bar"],
            &["CLIENT", "LIST", "TYPE", "normal", "x"],
            &["CLIENT", "LIST", "type", "MASTER"],
            &["CLIENT", "LIST", "TYPE", "slave"],
            &["CLIENT", "LIST", "TYPE", "pubsub"],
        ],
        "-ERR Unknown client type 'foo'\r\n\
         -ERR syntax error\r\n\
         -ERR syntax error\r\n\
         -ERR Invalid client ID\r\n\
         $0\r\n\r\n\
         -ERR syntax error\r\n\
         -ERR syntax error\r\n\
         $0\r\n\r\n\
         $0\r\n\r\n\
         $0\r\n\r\n",
    );

    let rkv = Server::start(&[]);
    let mut conns: Vec<Raw> = (0..3).map(|_| rkv.raw()).collect();
    let ids: Vec<u64> = conns.iter_mut().map(client_id).collect();
    let me = &mut conns[0];
    assert_eq!(list_lines(&me.call(&["CLIENT", "LIST", "TYPE", "NORMAL"])).len(), 3);
    // Argument order, repeats kept, unknown ids skipped.
    let (a, c) = (ids[0].to_string(), ids[2].to_string());
    let lines = list_lines(&me.call(&["CLIENT", "LIST", "ID", &c, "123456", &a, &c]));
    let listed: Vec<String> = lines.iter().map(|l| field(l, "id")).collect();
    assert_eq!(listed, [c.clone(), a, c]);
}

#[test]
fn kill_errors_match_redis() {
    assert_transcript(
        &[
            &["CLIENT", "KILL"],
            &["CLIENT", "KILL", "1.2.3.4:5"],
            &["CLIENT", "KILL", "ID", "0"],
            &["CLIENT", "KILL", "ID", "abc"],
            &["CLIENT", "KILL", "ID", "-5"],
            &["CLIENT", "KILL", "ID", "99999999999999999999"],
            &["CLIENT", "KILL", "ID", "1", "SKIPME"],
            &["CLIENT", "KILL", "SKIPME", "maybe"],
            &["CLIENT", "KILL", "USER", "bob"],
            &["CLIENT", "KILL", "TYPE", "bogus"],
            &["CLIENT", "KILL", "FOO", "bar"],
            &["CLIENT", "KILL", "ID", "1", "TYPE", "bogus", "ID", "x"],
            &["CLIENT", "KILL", "ADDR", "1.2.3.4:5"],
            &["CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"],
        ],
        "-ERR wrong number of arguments for 'client|kill' command\r\n\
         -ERR No such client\r\n\
         -ERR client-id should be greater than 0\r\n\
         -ERR client-id should be greater than 0\r\n\
         -ERR client-id should be greater than 0\r\n\
         -ERR client-id should be greater than 0\r\n\
         -ERR syntax error\r\n\
         -ERR syntax error\r\n\
         -ERR No such user 'bob'\r\n\
         -ERR Unknown client type 'bogus'\r\n\
         -ERR syntax error\r\n\
         -ERR Unknown client type 'bogus'\r\n\
         :0\r\n\
         :0\r\n",
    );
}

#[test]
fn kill_by_id_closes_only_the_victim() {
    let rkv = Server::start(&[]);
    let mut killer = rkv.raw();
    let mut victim = rkv.raw();
    let mut bystander = rkv.raw();
    let victim_id = client_id(&mut victim).to_string();
    assert_eq!(killer.call(&["CLIENT", "KILL", "ID", &victim_id]), ":1\r\n");
    assert_closed(&mut victim);
    // Already gone: nothing left to kill.
    assert_eq!(killer.call(&["CLIENT", "KILL", "ID", &victim_id]), ":0\r\n");
    assert_eq!(bystander.call(&["PING"]), "+PONG\r\n");
    assert_eq!(killer.call(&["PING"]), "+PONG\r\n");
    let listed = list_lines(&killer.call(&["CLIENT", "LIST"]));
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(listed.iter().all(|l| field(l, "id") != victim_id));
}

#[test]
fn kill_by_addr_in_both_forms() {
    let rkv = Server::start(&[]);
    let mut killer = rkv.raw();
    let mut first = rkv.raw();
    let mut second = rkv.raw();
    let first_addr = first.stream.local_addr().unwrap().to_string();
    let second_addr = second.stream.local_addr().unwrap().to_string();
    assert_eq!(killer.call(&["CLIENT", "KILL", &first_addr]), "+OK\r\n");
    assert_closed(&mut first);
    assert_eq!(killer.call(&["CLIENT", "KILL", &first_addr]), "-ERR No such client\r\n");
    assert_eq!(killer.call(&["CLIENT", "KILL", "ADDR", &second_addr, "TYPE", "pubsub"]), ":0\r\n");
    assert_eq!(killer.call(&["CLIENT", "KILL", "ADDR", &second_addr, "TYPE", "normal"]), ":1\r\n");
    assert_closed(&mut second);
    assert_eq!(killer.call(&["PING"]), "+PONG\r\n");
}

#[test]
fn kill_by_laddr_user_and_type_skips_the_caller() {
    let rkv = Server::start(&[]);
    let mut killer = rkv.raw();
    let mut others: Vec<Raw> = (0..3).map(|_| rkv.raw()).collect();
    for other in &mut others {
        assert_eq!(other.call(&["PING"]), "+PONG\r\n");
    }
    let laddr = format!("127.0.0.1:{}", rkv.port);
    assert_eq!(killer.call(&["CLIENT", "KILL", "LADDR", "127.0.0.1:1"]), ":0\r\n");
    assert_eq!(killer.call(&["CLIENT", "KILL", "LADDR", &laddr, "ID", "999999"]), ":0\r\n");
    let id = client_id(&mut others[0]).to_string();
    assert_eq!(killer.call(&["CLIENT", "KILL", "LADDR", &laddr, "USER", "default", "ID", &id]), ":1\r\n");
    assert_closed(&mut others[0]);
    // SKIPME defaults to yes.
    assert_eq!(killer.call(&["CLIENT", "KILL", "TYPE", "normal", "USER", "default"]), ":2\r\n");
    for other in &mut others[1..] {
        assert_closed(other);
    }
    assert_eq!(killer.call(&["PING"]), "+PONG\r\n");
    assert_eq!(list_lines(&killer.call(&["CLIENT", "LIST"])).len(), 1);
}

#[test]
fn killing_yourself_replies_then_closes() {
    let rkv = Server::start(&[]);
    let mut bystander = rkv.raw();
    // Filter form: the count, then EOF; the pipelined PING never runs.
    let mut me = rkv.raw();
    let id = client_id(&mut me).to_string();
    me.send(&crate::support::encode(&[b"CLIENT", b"KILL", b"ID", id.as_bytes(), b"SKIPME", b"no"]));
    me.send(&crate::support::encode(&[b"PING"]));
    assert_eq!(me.read_to_close(), b":1\r\n");
    // Old form: OK, then EOF.
    let mut me = rkv.raw();
    let addr = me.stream.local_addr().unwrap().to_string();
    me.send(&crate::support::encode(&[b"CLIENT", b"KILL", addr.as_bytes()]));
    assert_eq!(me.read_to_close(), b"+OK\r\n");
    assert_eq!(bystander.call(&["PING"]), "+PONG\r\n");
}

#[test]
fn reply_off_skip_on() {
    assert_transcript(
        &[
            &["CLIENT", "REPLY", "OFF"],
            &["PING"],
            // SKIP while OFF changes nothing: replies stay off after the next command.
            &["CLIENT", "REPLY", "SKIP"],
            &["PING"],
            &["PING", "still off"],
            &["CLIENT", "REPLY", "ON"],
            &["PING"],
            &["CLIENT", "REPLY", "SKIP"],
            &["PING", "a"],
            &["PING", "b"],
            // ON as the skipped command still answers: it turns skipping off first.
            &["CLIENT", "REPLY", "SKIP"],
            &["CLIENT", "REPLY", "ON"],
            &["PING", "c"],
            &["CLIENT", "REPLY", "SKIP"],
            &["CLIENT", "REPLY", "SKIP"],
            &["PING", "d"],
            &["PING", "e"],
            // Errors are silenced too.
            &["CLIENT", "REPLY", "OFF"],
            &["CLIENT", "REPLY", "foo"],
            &["CLIENT", "REPLY", "ON"],
            &["CLIENT", "REPLY", "foo"],
        ],
        "+OK\r\n+PONG\r\n$1\r\nb\r\n+OK\r\n$1\r\nc\r\n$1\r\ne\r\n+OK\r\n-ERR syntax error\r\n",
    );
}

#[test]
fn no_evict_and_no_touch_flags() {
    assert_transcript(
        &[&["CLIENT", "NO-EVICT", "maybe"], &["CLIENT", "NO-EVICT", "on"], &["CLIENT", "NO-EVICT", "OFF"]],
        "-ERR syntax error\r\n+OK\r\n+OK\r\n",
    );
    let rkv = Server::start(&[]);
    let mut raw = rkv.raw();
    assert_eq!(raw.call(&["CLIENT", "NO-TOUCH", "maybe"]), "-ERR syntax error\r\n");
    assert_eq!(raw.call(&["CLIENT", "NO-EVICT", "ON"]), "+OK\r\n");
    assert_eq!(field(&list_lines(&raw.call(&["CLIENT", "INFO"]))[0], "flags"), "e");
    assert_eq!(raw.call(&["CLIENT", "NO-TOUCH", "on"]), "+OK\r\n");
    assert_eq!(field(&list_lines(&raw.call(&["CLIENT", "INFO"]))[0], "flags"), "eT");
    assert_eq!(raw.call(&["RESET"]), "+RESET\r\n");
    assert_eq!(field(&list_lines(&raw.call(&["CLIENT", "INFO"]))[0], "flags"), "N");
}

#[test]
fn setinfo_shows_library_in_list() {
    let rkv = Server::start(&[]);
    let mut raw = rkv.raw();
    let plain = list_lines(&raw.call(&["CLIENT", "INFO"])).remove(0);
    assert!(plain.ends_with(" resp=2"), "{plain}");
    assert_eq!(raw.call(&["CLIENT", "SETINFO", "LIB-NAME", "redis-py"]), "+OK\r\n");
    assert_eq!(raw.call(&["CLIENT", "SETINFO", "lib-ver", "5.0.1"]), "+OK\r\n");
    let line = list_lines(&raw.call(&["CLIENT", "INFO"])).remove(0);
    assert!(line.ends_with(" resp=2 lib-name=redis-py lib-ver=5.0.1"), "{line}");
    assert_eq!(
        raw.call(&["CLIENT", "SETINFO", "Lib-Name", "a b"]),
        "-ERR Lib-Name cannot contain spaces, newlines or special characters.\r\n"
    );
    assert_eq!(raw.call(&["CLIENT", "SETINFO", "lib-foo", "x"]), "-ERR Unrecognized option 'lib-foo'\r\n");
    assert_eq!(
        raw.call(&["CLIENT", "SETINFO", "lib-name"]),
        "-ERR wrong number of arguments for 'client|setinfo' command\r\n"
    );
    // RESET keeps the library; empty values clear it.
    raw.call(&["RESET"]);
    assert!(list_lines(&raw.call(&["CLIENT", "INFO"]))[0].ends_with("lib-name=redis-py lib-ver=5.0.1"));
    raw.call(&["CLIENT", "SETINFO", "lib-name", ""]);
    raw.call(&["CLIENT", "SETINFO", "lib-ver", ""]);
    assert!(list_lines(&raw.call(&["CLIENT", "INFO"]))[0].ends_with(" resp=2"));
}

#[test]
fn small_subcommands_match_redis() {
    assert_transcript(
        &[
            &["CLIENT", "GETREDIR"],
            &["CLIENT", "UNPAUSE"],
            &["CLIENT"],
            &["CLIENT", "ID", "x"],
            &["CLIENT", "foo"],
            &["CLIENT", "HELP", "x"],
        ],
        ":-1\r\n\
         +OK\r\n\
         -ERR wrong number of arguments for 'client' command\r\n\
         -ERR wrong number of arguments for 'client|id' command\r\n\
         -ERR unknown subcommand 'foo'. Try CLIENT HELP.\r\n\
         -ERR wrong number of arguments for 'client|help' command\r\n",
    );
}

#[test]
fn help_lists_only_working_subcommands() {
    let rkv = Server::start(&[]);
    let mut raw = rkv.raw();
    let help = raw.call(&["CLIENT", "HELP"]);
    let lines: Vec<&str> = help.lines().filter_map(|l| l.strip_prefix('+')).collect();
    assert_eq!(lines.first(), Some(&"CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"));
    assert_eq!(&lines[lines.len() - 2..], ["HELP", "    Prints this help."]);
    for entry in lines[1..].iter().filter(|l| !l.starts_with(' ')) {
        let sub = entry.split(' ').next().unwrap_or_default();
        let reply = raw.call(&["CLIENT", sub, "x", "y", "z"]);
        // A known subcommand may refuse the arguments ("unknown subcommand or wrong number of
        // arguments"), but is never unknown.
        assert!(!reply.contains("unknown subcommand '"), "{sub}: {reply}");
    }
}

#[test]
fn client_libraries_that_announce_themselves_are_shown() {
    // redis-rs sends CLIENT SETINFO on connect, as current client libraries do.
    let rkv = Server::start(&[]);
    let mut con = rkv.client();
    let info: String = redis::cmd("CLIENT").arg("INFO").query(&mut con).expect("CLIENT INFO");
    assert!(info.contains(" resp=2 lib-name=redis-rs lib-ver="), "{info}");
    let name: Option<String> = redis::cmd("CLIENT").arg("GETNAME").query(&mut con).expect("CLIENT GETNAME");
    assert_eq!(name, None);
}

/// `qbuf` while a command runs is the whole read buffer, as in Redis (which trims processed
/// input only after the batch): 26 bytes for a lone CLIENT INFO, 19 for inline `PING` +
/// `CLIENT INFO` read together.
#[test]
fn qbuf_of_the_running_client_matches_redis() {
    let mut servers = vec![Server::start(&[])];
    if have("redis-server") {
        servers.push(Server::start_redis(&[]));
    }
    for server in &servers {
        let mut raw = server.raw();
        let line = list_lines(&raw.call(&["CLIENT", "INFO"])).remove(0);
        assert_eq!(field(&line, "qbuf"), "26");
        raw.send(b"PING\r\nCLIENT INFO\r\n");
        assert_eq!(raw.read_reply(), b"+PONG\r\n");
        let line = list_lines(&String::from_utf8_lossy(&raw.read_reply())).remove(0);
        assert_eq!(field(&line, "qbuf"), "19");
    }
}

#[test]
fn client_unblock_argument_errors_match_redis() {
    same_replies(&[
        &["CLIENT", "UNBLOCK", "abc"],
        &["CLIENT", "UNBLOCK", "999"],
        &["CLIENT", "UNBLOCK", "-1", "ERROR"],
        &["CLIENT", "UNBLOCK", "999", "foo"],
        &["CLIENT", "UNBLOCK", "abc", "foo"],
        &["CLIENT", "UNBLOCK", "1", "timeout", "x"],
        &["CLIENT", "UNBLOCK"],
    ]);
}

/// CLIENT KILL MAXAGE (Redis 7.4's filter) closes only connections older than the given age.
#[test]
fn kill_maxage_closes_only_old_connections() {
    let server = Server::start(&[]);
    let mut old = server.raw();
    old.call(&["CLIENT", "SETNAME", "old"]);
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let mut admin = server.raw();
    admin.call(&["CLIENT", "SETNAME", "young"]);
    assert_eq!(admin.call(&["CLIENT", "KILL", "MAXAGE", "2"]), ":1\r\n");
    let list = admin.call(&["CLIENT", "LIST"]);
    assert!(!list.contains("name=old") && list.contains("name=young"), "{list}");
    assert_eq!(admin.call(&["CLIENT", "KILL", "MAXAGE", "x"]), "-ERR value is not an integer or out of range\r\n");
}
