//! COMMAND and INFO, compared with the real redis-server where both implement the command.

use crate::support::{Raw, Server, have};

/// Sends the same request to both servers (after `HELLO 3` when `resp3`) and returns both replies.
fn both(rkv: &Server, redis: &Server, resp3: bool, args: &[&str]) -> (String, String) {
    let ask = |server: &Server| {
        let mut raw: Raw = server.raw();
        if resp3 {
            raw.call(&["HELLO", "3"]);
        }
        raw.call(args)
    };
    (ask(rkv), ask(redis))
}

#[test]
fn command_info_and_docs_match_redis_bytes() {
    if !have("redis-server") {
        return;
    }
    let rkv = Server::start(&[]);
    let redis = Server::start_redis(&[]);
    // Subcommands and non-container commands: Redis orders a container's subcommands by hash, so
    // containers are compared through their subcommands.
    for name in ["get", "ping", "echo", "time", "dbsize", "info", "command|info", "command|list", "command|docs"] {
        for resp3 in [false, true] {
            for sub in ["INFO", "DOCS"] {
                let (mine, theirs) = both(&rkv, &redis, resp3, &["COMMAND", sub, name]);
                assert_eq!(mine, theirs, "COMMAND {sub} {name} (resp3: {resp3})");
            }
        }
    }
    let (mine, theirs) = both(&rkv, &redis, false, &["COMMAND", "INFO", "nosuch", "get|x"]);
    assert_eq!(mine, theirs);
    assert_eq!(mine, "*2\r\n$-1\r\n$-1\r\n");
}

#[test]
fn command_count_is_the_number_of_top_level_commands() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    let count = raw.call(&["COMMAND", "COUNT"]);
    let all = raw.call(&["COMMAND"]);
    let n = count.trim_start_matches(':').trim_end().parse::<usize>().expect("integer");
    assert_eq!(all.lines().next(), Some(format!("*{n}").as_str()));
    let expected = rkv::commands::all().len();
    assert_eq!(n, expected);
}

#[test]
fn getkeys_shapes_and_errors_match_redis() {
    if !have("redis-server") {
        return;
    }
    let rkv = Server::start(&[]);
    let redis = Server::start_redis(&[]);
    let cases: &[&[&str]] = &[
        &["COMMAND", "GETKEYS", "get", "k"],
        &["COMMAND", "GETKEYSANDFLAGS", "get", "k"],
        &["COMMAND", "GETKEYS", "get", "k", "extra"],
        &["COMMAND", "GETKEYS", "nosuch", "k"],
        &["COMMAND", "GETKEYS", "ping", "x"],
        &["COMMAND", "GETKEYS", "command", "nosuch", "x"],
        &["COMMAND", "GETKEYS", "command", "info"],
        &["COMMAND", "LIST", "FILTERBY", "PATTERN", "xyz*"],
        &["COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuch"],
        &["COMMAND", "LIST", "FILTERBY", "MODULE", "nosuch"],
        &["COMMAND", "LIST", "FILTERBY", "foo", "bar"],
        &["COMMAND", "LIST", "extra"],
        &["COMMAND", "HELP"],
        &["COMMAND", "NOSUCH"],
    ];
    for resp3 in [false, true] {
        for args in cases {
            let (mine, theirs) = both(&rkv, &redis, resp3, args);
            assert_eq!(mine, theirs, "{args:?} (resp3: {resp3})");
        }
    }
}

#[test]
fn command_list_filters() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    let reply = raw.call(&["COMMAND", "LIST", "FILTERBY", "PATTERN", "command|*"]);
    let mut names: Vec<&str> = reply.lines().filter(|l| l.starts_with("command|")).collect();
    names.sort_unstable();
    let expected = [
        "command|count",
        "command|docs",
        "command|getkeys",
        "command|getkeysandflags",
        "command|help",
        "command|info",
        "command|list",
    ];
    assert_eq!(names, expected);
    assert!(reply.starts_with("*7\r\n"));
    let fast = raw.call(&["COMMAND", "LIST", "FILTERBY", "ACLCAT", "FAST"]);
    assert!(fast.contains("\r\nget\r\n"));
    assert!(!fast.contains("\r\nset\r\n"));
    let all = raw.call(&["COMMAND", "LIST"]);
    assert!(all.contains("\r\ncommand|getkeys\r\n") && all.contains("\r\ninfo\r\n"));
}

/// The field names of each section of an INFO reply, by section title.
fn info_fields(reply: &str) -> Vec<(String, Vec<String>)> {
    let mut sections: Vec<(String, Vec<String>)> = Vec::new();
    for line in reply.split("\r\n") {
        if let Some(title) = line.strip_prefix("# ") {
            sections.push((title.to_owned(), Vec::new()));
        } else if let (Some((name, _)), Some(section)) = (line.split_once(':'), sections.last_mut()) {
            section.1.push(name.to_owned());
        }
    }
    sections
}

#[test]
fn info_sections_and_fields_follow_redis() {
    if !have("redis-server") {
        return;
    }
    let rkv = Server::start(&[]);
    let redis = Server::start_redis(&[]);
    for section in ["server", "clients", "memory", "persistence", "stats", "replication", "cpu", "cluster", "default"] {
        let (mine, theirs) = both(&rkv, &redis, false, &["INFO", section]);
        let mut mine = info_fields(&mine);
        if let Some((_, fields)) = mine.iter_mut().find(|(title, _)| title == "Server") {
            assert_eq!(fields.pop().as_deref(), Some("rkv_version"));
        }
        assert_eq!(mine, info_fields(&theirs), "INFO {section}");
    }
    let (mine, theirs) = both(&rkv, &redis, false, &["INFO", "everything"]);
    let titles = |sections: Vec<(String, Vec<String>)>| sections.into_iter().map(|(t, _)| t).collect::<Vec<_>>();
    assert_eq!(titles(info_fields(&mine)), titles(info_fields(&theirs)));
    // Unknown sections give an empty reply, in both protocols.
    assert_eq!(both(&rkv, &redis, false, &["INFO", "nosuch"]).0, "$0\r\n\r\n");
    let (mine, theirs) = both(&rkv, &redis, true, &["INFO", "nosuch"]);
    assert_eq!(mine, theirs);
    let (mine, theirs) = both(&rkv, &redis, true, &["INFO", "cluster"]);
    assert_eq!(mine, theirs);
}

#[test]
fn info_counts_commands_errors_and_keys() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    raw.call(&["SET", "k", "v"]);
    raw.call(&["GET", "k"]);
    raw.call(&["GET", "k"]);
    raw.call(&["GET"]);
    raw.call(&["NOSUCH"]);
    raw.call(&["COMMAND", "INFO", "get"]);
    let info = raw.call(&["INFO", "commandstats", "errorstats", "keyspace"]);
    let field = |name: &str| {
        info.split("\r\n").find_map(|l| l.strip_prefix(&format!("{name}:"))).map(str::to_owned).unwrap_or_default()
    };
    assert!(field("cmdstat_get").starts_with("calls=2,"), "{info}");
    assert!(field("cmdstat_get").ends_with(",rejected_calls=1,failed_calls=0"), "{info}");
    assert!(field("cmdstat_set").starts_with("calls=1,"), "{info}");
    assert!(field("cmdstat_command|info").starts_with("calls=1,"), "{info}");
    assert_eq!(field("errorstat_ERR"), "count=2");
    assert_eq!(field("db0"), "keys=1,expires=0,avg_ttl=0");
    let stats = raw.call(&["INFO", "stats"]);
    assert!(stats.contains("total_error_replies:2\r\n"), "{stats}");
}

#[test]
fn info_server_values() {
    let server = Server::start(&[]);
    let info = server.raw().call(&["INFO", "server"]);
    assert!(info.contains("redis_version:7.0.15\r\n"));
    assert!(info.contains(&format!("tcp_port:{}\r\n", server.port)));
    assert!(info.contains(&format!("process_id:{}\r\n", server.pid())));
    let run_id = info.split("\r\n").find_map(|l| l.strip_prefix("run_id:")).unwrap_or_default();
    assert_eq!(run_id.len(), 40);
    assert!(run_id.bytes().all(|b| b.is_ascii_hexdigit()));
}

/// COMMAND INFO and COMMAND DOCS of every command and subcommand rkv has (and Redis 7.0 knows)
/// are byte-identical to redis-server 7.0.15's. Containers are compared subcommand by subcommand (`config|get`),
/// because Redis lists a container's subcommands in hash-table order.
#[test]
fn every_command_spec_matches_redis() {
    if !crate::support::have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    let rkv = Server::start(&[]);
    let redis = Server::start_redis(&[]);
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    let names = |reply: &str| -> Vec<String> {
        reply.split("\r\n").filter(|l| !l.is_empty() && !l.starts_with(['*', '$'])).map(str::to_owned).collect()
    };
    let mut checked = 0;
    for name in names(&a.call(&["COMMAND", "LIST"])) {
        let subcommands = names(&a.call(&["COMMAND", "LIST", "FILTERBY", "PATTERN", &format!("{name}|*")]));
        let targets = if subcommands.is_empty() { vec![name.clone()] } else { subcommands };
        for target in targets {
            // Redis 7.2 additions rkv offers (CLIENT NO-TOUCH, CLIENT SETINFO) are unknown to 7.0.
            if b.call(&["COMMAND", "INFO", &target]) == "*1\r\n$-1\r\n" {
                continue;
            }
            for sub in ["INFO", "DOCS"] {
                assert_eq!(
                    a.call(&["COMMAND", sub, &target]),
                    b.call(&["COMMAND", sub, &target]),
                    "COMMAND {sub} {target}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} commands compared");
}
