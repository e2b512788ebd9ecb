//! DEBUG subcommands as Redis's own test suite uses them: PROTOCOL's sample replies, DIGEST and
//! DIGEST-VALUE, POPULATE, and the small switches, against real redis-server 7.0.15 where their
//! output is defined.

use crate::support::{Raw, Server, have};

const DEBUG_ON: [&str; 2] = ["--enable-debug-command", "yes"];

/// rkv and redis-server, both allowing DEBUG (`None`, and a note, when redis-server is absent).
fn pair() -> Option<(Server, Server)> {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return None;
    }
    Some((Server::start(&DEBUG_ON), Server::start_redis(&DEBUG_ON)))
}

/// Everything `args` gets back, up to the reply of a PING sent after it: an attribute or a
/// push comes with a second reply, and this catches it whatever the kind.
fn replies_until_pong(conn: &mut Raw, args: &[&str]) -> String {
    let mut all = String::new();
    let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
    conn.cmd(&args);
    conn.cmd(&[b"PING"]);
    loop {
        let reply = String::from_utf8_lossy(&conn.read_reply()).into_owned();
        if reply == "+PONG\r\n" {
            return all;
        }
        all.push_str(&reply);
    }
}

const PROTOCOL_TYPES: [&str; 14] = [
    "string",
    "integer",
    "double",
    "bignum",
    "null",
    "array",
    "set",
    "map",
    "attrib",
    "push",
    "verbatim",
    "true",
    "false",
    "nosuchtype",
];

#[test]
fn protocol_replies_match_redis_in_resp2_and_resp3() {
    let Some((rkv, redis)) = pair() else { return };
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    for resp3 in [false, true] {
        if resp3 {
            a.call(&["HELLO", "3"]);
            b.call(&["HELLO", "3"]);
        }
        for kind in PROTOCOL_TYPES {
            let cmd = ["DEBUG", "PROTOCOL", kind];
            assert_eq!(replies_until_pong(&mut a, &cmd), replies_until_pong(&mut b, &cmd), "{kind}, resp3: {resp3}");
        }
    }
    // The names are case-insensitive.
    assert_eq!(a.call(&["DEBUG", "PROTOCOL", "TRUE"]), "#t\r\n");
}

#[test]
fn protocol_push_is_sent_even_with_replies_off() {
    let server = Server::start(&DEBUG_ON);
    let mut conn = server.raw();
    conn.call(&["HELLO", "3"]);
    conn.cmd(&[b"CLIENT", b"REPLY", b"OFF"]);
    conn.cmd(&[b"DEBUG", b"PROTOCOL", b"push"]);
    assert_eq!(conn.read_reply(), b">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n");
    conn.call(&["CLIENT", "REPLY", "ON"]);
    assert_eq!(conn.call(&["PING"]), "+PONG\r\n");
}

/// Commands building every type in every encoding: strings int/embstr/raw (also made raw by
/// APPEND), small and big (multi-node, compressed) lists, intset and hashtable sets, listpack and
/// skiplist sorted sets (scores that print differently with `%.17g`), listpack and hashtable
/// hashes, keys with TTLs, and a second database.
fn dataset() -> Vec<Vec<String>> {
    let mut cmds: Vec<Vec<String>> = Vec::new();
    let mut add = |args: &[&str]| cmds.push(args.iter().map(|a| a.to_string()).collect());
    add(&["SET", "int", "12345"]);
    add(&["SET", "negative", "-7"]);
    add(&["SET", "embstr", "hello world"]);
    add(&["SET", "raw", &"r".repeat(100)]);
    add(&["SET", "appended", "abc"]);
    add(&["APPEND", "appended", "def"]);
    add(&["SET", "big", &"b".repeat(70_000)]);
    add(&["RPUSH", "list", "a", "1", "b", "-2"]);
    add(&["CONFIG", "SET", "list-compress-depth", "1"]);
    let items: Vec<String> = (0..3000).map(|i| format!("item-{i}-{}", "x".repeat(i % 50))).collect();
    let mut push = vec!["RPUSH", "biglist"];
    push.extend(items.iter().map(String::as_str));
    add(&push);
    add(&["LPUSH", "biglist", &"v".repeat(20_000)]);
    add(&["SADD", "intset", "1", "2", "3", "-100", "9999999999"]);
    add(&["SADD", "hashset", "a", "b", "1", "zz"]);
    let members: Vec<String> = (0..600).map(|i| i.to_string()).collect();
    let mut sadd = vec!["SADD", "bigintset"];
    sadd.extend(members.iter().map(String::as_str));
    add(&sadd);
    add(&["ZADD", "zsmall", "1", "a", "2.5", "b", "-0", "c", "0.1", "d", "1e300", "e", "inf", "f", "-inf", "g"]);
    add(&["ZADD", "zsmall", "3", "12", "4", "-5"]);
    let mut zadd = vec!["ZADD", "zbig"];
    let scores: Vec<String> = (0..300).map(|i| format!("{}", f64::from(i) / 7.0)).collect();
    for (score, member) in scores.iter().zip(&items) {
        zadd.push(score);
        zadd.push(member);
    }
    add(&zadd);
    add(&["ZADD", "zlong", "1", &"m".repeat(100)]);
    add(&["HSET", "hsmall", "f", "v", "n", "42", "7", "neg"]);
    let mut hset = vec!["HSET", "hbig"];
    for item in &items[..300] {
        hset.push(item);
        hset.push(item);
    }
    add(&hset);
    add(&["HSET", "hlong", "f", &"h".repeat(100)]);
    add(&["SET", "ttl", "v", "EX", "1000"]);
    add(&["RPUSH", "ttl-list", "a", "b"]);
    add(&["PEXPIRE", "ttl-list", "100000"]);
    add(&["SELECT", "9"]);
    add(&["SET", "int", "12345"]);
    add(&["SELECT", "0"]);
    cmds
}

/// Sends `args` to both servers and asserts identical replies; returns rkv's.
fn both(a: &mut Raw, b: &mut Raw, args: &[&str]) -> String {
    let ours = a.call(args);
    assert_eq!(ours, b.call(args), "{args:?}");
    ours
}

#[test]
fn digests_match_redis_for_every_type_and_encoding() {
    let Some((rkv, redis)) = pair() else { return };
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    let zeros = format!("+{}\r\n", "0".repeat(40));
    assert_eq!(both(&mut a, &mut b, &["DEBUG", "DIGEST"]), zeros);
    let data = dataset();
    for cmd in &data {
        let args: Vec<&str> = cmd.iter().map(String::as_str).collect();
        both(&mut a, &mut b, &args);
    }
    for key in ["appended", "biglist", "bigintset", "zbig", "zlong", "hbig", "hlong", "hsmall", "intset"] {
        both(&mut a, &mut b, &["OBJECT", "ENCODING", key]);
    }
    let full = both(&mut a, &mut b, &["DEBUG", "DIGEST"]);
    assert_ne!(full, zeros);
    let keys: Vec<&str> = data.iter().filter(|c| c[0] != "SELECT" && c[0] != "CONFIG").map(|c| c[1].as_str()).collect();
    let mut digest_value = vec!["DEBUG", "DIGEST-VALUE"];
    digest_value.extend(keys);
    digest_value.push("missing");
    let values = both(&mut a, &mut b, &digest_value);
    assert!(values.ends_with(&zeros), "a missing key digests to zeros: {values}");
    // Without keys: an empty array.
    assert_eq!(both(&mut a, &mut b, &["DEBUG", "DIGEST-VALUE"]), "*0\r\n");

    // A TTL counts (its time does not), and so does the database a key lives in.
    both(&mut a, &mut b, &["PERSIST", "ttl"]);
    let persisted = both(&mut a, &mut b, &["DEBUG", "DIGEST"]);
    assert_ne!(persisted, full);
    both(&mut a, &mut b, &["EXPIRE", "ttl", "5000"]);
    assert_eq!(both(&mut a, &mut b, &["DEBUG", "DIGEST"]), full);
    both(&mut a, &mut b, &["MOVE", "embstr", "3"]);
    assert_ne!(both(&mut a, &mut b, &["DEBUG", "DIGEST"]), full);
    // List order counts.
    both(&mut a, &mut b, &["LPUSH", "list", "-2"]);
    both(&mut a, &mut b, &["RPOP", "list"]);
    both(&mut a, &mut b, &["DEBUG", "DIGEST-VALUE", "list"]);
}

#[test]
fn digest_counts_keys_whose_ttl_passed_until_they_are_removed() {
    let Some((rkv, redis)) = pair() else { return };
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    both(&mut a, &mut b, &["DEBUG", "SET-ACTIVE-EXPIRE", "0"]);
    both(&mut a, &mut b, &["SET", "gone", "v", "PX", "1"]);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let before = both(&mut a, &mut b, &["DEBUG", "DIGEST"]);
    both(&mut a, &mut b, &["DEBUG", "DIGEST-VALUE", "gone"]);
    assert_ne!(before, format!("+{}\r\n", "0".repeat(40)));
    both(&mut a, &mut b, &["GET", "gone"]);
    assert_eq!(both(&mut a, &mut b, &["DEBUG", "DIGEST"]), format!("+{}\r\n", "0".repeat(40)));
}

/// `rdb_changes_since_last_save` of INFO persistence.
fn dirty(conn: &mut Raw) -> String {
    let info = conn.call(&["INFO", "persistence"]);
    info.lines().find(|l| l.starts_with("rdb_changes_since_last_save:")).unwrap_or_default().to_owned()
}

#[test]
fn populate_matches_redis() {
    let Some((rkv, redis)) = pair() else { return };
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    both(&mut a, &mut b, &["SET", "key:3", "mine"]);
    let long_prefix = "p".repeat(200);
    let dirty_before = (dirty(&mut a), dirty(&mut b));
    for cmd in [
        &["DEBUG", "POPULATE", "1000"][..],
        &["DEBUG", "POPULATE", "10", "x", "3"],
        &["DEBUG", "POPULATE", "5", "y", "20"],
        &["DEBUG", "POPULATE", "5", "z", "0"],
        &["DEBUG", "POPULATE", "3", "", "7"],
        &["DEBUG", "POPULATE", "3", &long_prefix],
        &["DEBUG", "POPULATE", "0"],
        &["DEBUG", "POPULATE", "-1"],
        &["DEBUG", "POPULATE", "abc"],
        &["DEBUG", "POPULATE", "1", "k", "-1"],
        &["DEBUG", "POPULATE", "1", "k", "1.5"],
        &["DEBUG", "POPULATE", "-1", "k", "abc"],
        &["DEBUG", "POPULATE", "1", "k", "1", "extra"],
        &["DBSIZE"],
        &["GET", "key:3"],
        &["GET", "key:999"],
        &["GET", "x:7"],
        &["GET", "y:1"],
        &["GET", "z:4"],
        &["GET", ":2"],
        &["OBJECT", "ENCODING", "key:1"],
        &["DEBUG", "DIGEST"],
    ] {
        both(&mut a, &mut b, cmd);
    }
    assert_eq!(a.call(&["DBSIZE"]), ":1024\r\n");
    // Not counted as changes, so never propagated.
    assert_eq!((dirty(&mut a), dirty(&mut b)), dirty_before);
    assert_eq!(dirty_before.0, dirty_before.1);
}

#[test]
fn populate_touches_watched_keys() {
    let Some((rkv, redis)) = pair() else { return };
    for server in [&rkv, &redis] {
        let (mut watcher, mut other) = (server.raw(), server.raw());
        watcher.call(&["WATCH", "key:5"]);
        other.call(&["DEBUG", "POPULATE", "10"]);
        watcher.call(&["MULTI"]);
        watcher.call(&["PING"]);
        assert_eq!(watcher.call(&["EXEC"]), "*-1\r\n", "port {}", server.port);
    }
}

/// The lines of a `DEBUG HELP` reply, without the RESP framing.
fn help_lines(conn: &mut Raw) -> Vec<String> {
    let reply = conn.call(&["DEBUG", "HELP"]);
    reply.split("\r\n").filter_map(|l| l.strip_prefix('+')).map(str::to_owned).collect()
}

/// HELP's subcommand blocks (a usage line, then its indented lines), header and HELP's own left
/// out, keyed by the lowercase subcommand name.
fn help_blocks(lines: &[String]) -> Vec<(String, Vec<String>)> {
    let mut blocks: Vec<(String, Vec<String>)> = Vec::new();
    for line in &lines[1..] {
        if line.starts_with(' ') {
            if let Some(block) = blocks.last_mut() {
                block.1.push(line.clone());
            }
        } else {
            let name = line.split(' ').next().unwrap_or_default().to_ascii_lowercase();
            blocks.push((name, vec![line.clone()]));
        }
    }
    blocks.retain(|(name, _)| name != "help");
    blocks
}

const UNKNOWN: &str = "-ERR unknown subcommand or wrong number of arguments for";

#[test]
fn help_lists_what_exists_as_redis_words_it() {
    let server = Server::start(&DEBUG_ON);
    let mut conn = server.raw();
    let lines = help_lines(&mut conn);
    assert_eq!(lines[0], "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    assert_eq!(lines[lines.len() - 2..], ["HELP", "    Print this help."]);
    let ours = help_blocks(&lines);
    assert!(ours.len() >= 12, "{ours:?}");
    // Every listed subcommand exists: with some number of arguments it answers something else
    // than the unknown-subcommand error.
    // DEBUG LOADAOF without an AOF ends the process, as Redis's does (tests/it/aof.rs runs it).
    for (name, _) in ours.iter().filter(|(name, _)| name != "loadaof") {
        let answers = (0..4).any(|extra| {
            let mut cmd = vec!["DEBUG", name.as_str()];
            cmd.extend(std::iter::repeat_n("0", extra));
            !conn.call(&cmd).starts_with(UNKNOWN)
        });
        assert!(answers, "DEBUG {name} is listed but unknown");
    }
    // The same text, in the same order, as Redis's HELP for the same subcommands.
    if have("redis-server") {
        let redis = Server::start_redis(&DEBUG_ON);
        let theirs = help_blocks(&help_lines(&mut redis.raw()));
        let theirs: Vec<_> = theirs.into_iter().filter(|(name, _)| ours.iter().any(|(n, _)| n == name)).collect();
        assert_eq!(ours, theirs);
    }
}

#[test]
fn wrong_arities_and_small_replies_match_redis() {
    let Some((rkv, redis)) = pair() else { return };
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    for cmd in [
        &["DEBUG", "DIGEST", "x"][..],
        &["DEBUG", "LOG"],
        &["DEBUG", "LOG", "a", "b"],
        &["DEBUG", "Protocol"],
        &["DEBUG", "PROTOCOL", "a", "b"],
        &["DEBUG", "POPULATE"],
        &["DEBUG", "POPULATE", "1", "k", "1", "x"],
        &["DEBUG", "PAUSE-CRON"],
        &["DEBUG", "PAUSE-CRON", "1", "2"],
        &["DEBUG", "CHANGE-REPL-ID", "x"],
        &["DEBUG", "STRINGMATCH-TEST", "x"],
        &["DEBUG", "CONFIG-REWRITE-FORCE-ALL", "x"],
        &["DEBUG", "HELP", "x"],
        &["DEBUG", "JMAP"],
        &["DEBUG", "LOG", "hello"],
        &["DEBUG", "CHANGE-REPL-ID"],
        &["DEBUG", "PAUSE-CRON", "abc"],
        &["DEBUG", "PAUSE-CRON", "0"],
        // Started without a config file.
        &["DEBUG", "CONFIG-REWRITE-FORCE-ALL"],
    ] {
        both(&mut a, &mut b, cmd);
    }
    // Redis's own run takes seconds (ten million pairs), longer than the test client waits.
    assert_eq!(a.call(&["DEBUG", "STRINGMATCH-TEST"]), "+Apparently Redis did not crash: test passed\r\n");
}

#[test]
fn local_mode_admits_loopback_and_unix_socket_clients() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("rkv.sock");
    let server = Server::start(&["--enable-debug-command", "local", "--unixsocket", path.to_str().unwrap_or_default()]);
    assert_eq!(server.raw().call(&["DEBUG", "LOG", "tcp"]), "+OK\r\n");
    let mut unix = std::os::unix::net::UnixStream::connect(&path).expect("unix socket");
    std::io::Write::write_all(&mut unix, b"DEBUG LOG unix\r\n").expect("write");
    let mut reply = [0u8; 5];
    std::io::Read::read_exact(&mut unix, &mut reply).expect("read");
    assert_eq!(&reply, b"+OK\r\n");
}

#[test]
fn log_and_change_repl_id_leave_their_marks() {
    let server = Server::start(&DEBUG_ON);
    let mut conn = server.raw();
    let replid = |conn: &mut Raw| {
        let info = conn.call(&["INFO", "replication"]);
        info.lines().find_map(|l| l.strip_prefix("master_replid:")).unwrap_or_default().to_owned()
    };
    let before = replid(&mut conn);
    assert_eq!(conn.call(&["DEBUG", "LOG", "marker\0hidden"]), "+OK\r\n");
    assert_eq!(conn.call(&["DEBUG", "CHANGE-REPL-ID"]), "+OK\r\n");
    let after = replid(&mut conn);
    assert_ne!(before, after);
    assert!(after.len() == 40 && after.bytes().all(|b| b.is_ascii_hexdigit()), "{after}");
    let log = server.log_text();
    assert!(log.contains(" # DEBUG LOG: marker\n"), "{log}");
    assert!(log.contains(" # Changing replication IDs after receiving DEBUG change-repl-id\n"), "{log}");
}

#[test]
fn pause_cron_stops_active_expiry_until_resumed() {
    let server = Server::start(&[&DEBUG_ON[..], &["--hz", "100"]].concat());
    let mut conn = server.raw();
    assert_eq!(conn.call(&["DEBUG", "PAUSE-CRON", "1"]), "+OK\r\n");
    conn.call(&["SET", "k", "v", "PX", "10"]);
    std::thread::sleep(std::time::Duration::from_millis(300));
    // DBSIZE counts keys past their TTL until something removes them.
    assert_eq!(conn.call(&["DBSIZE"]), ":1\r\n");
    assert_eq!(conn.call(&["DEBUG", "PAUSE-CRON", "0"]), "+OK\r\n");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while conn.call(&["DBSIZE"]) != ":0\r\n" {
        assert!(std::time::Instant::now() < deadline, "the resumed cron never expired the key");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn config_rewrite_force_all_writes_a_file_that_restarts_the_same() {
    let server = Server::start_with_config("hz 20\n", &DEBUG_ON);
    let mut conn = server.raw();
    assert_eq!(conn.call(&["DEBUG", "CONFIG-REWRITE-FORCE-ALL"]), "+OK\r\n");
    let text = std::fs::read_to_string(server.path().join("test.conf")).expect("config file");
    assert!(text.starts_with("hz 20\n"), "{text}");
    // Defaults are written too, not only what differs from them.
    assert!(text.contains("\nmaxmemory-policy noeviction\n"), "{text}");
    assert!(text.contains("\ndatabases 16\n"), "{text}");
    let restarted = Server::start_with_config(&text, &[]);
    // Port, directory and log file come from each server's command line.
    let config = |conn: &mut Raw| {
        let all = conn.call(&["CONFIG", "GET", "*"]);
        let lines: Vec<&str> = all.split("\r\n").skip(1).collect();
        // Each pair is `$len`, name, `$len`, value.
        let mut pairs: Vec<(String, String)> = lines
            .chunks_exact(4)
            .filter(|pair| !["port", "dir", "logfile"].contains(&pair[1]))
            .map(|pair| (pair[1].to_owned(), pair[3].to_owned()))
            .collect();
        pairs.sort();
        pairs
    };
    let ours = config(&mut conn);
    assert!(ours.len() > 100 && ours.contains(&("hz".to_owned(), "20".to_owned())), "{ours:?}");
    assert_eq!(ours, config(&mut restarted.raw()));
}

/// DEBUG OBJECT's fields but the address and the clock, which differ between any two servers.
fn object_fields(conn: &mut Raw, key: &str) -> Vec<String> {
    let line = conn.call(&["DEBUG", "OBJECT", key]);
    assert!(line.starts_with("+Value at:0x"), "{line}");
    line.trim_end()
        .split(' ')
        .filter(|field| !["+Value", "at:", "lru:", "lru_seconds_idle:"].iter().any(|p| field.starts_with(p)))
        .map(str::to_owned)
        .collect()
}

#[test]
fn debug_object_reads_as_redis_writes_it() {
    let Some((rkv, redis)) = pair() else { return };
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    let long = "y".repeat(100);
    let compressible = "ab".repeat(500);
    let elements: Vec<String> = (0..200).map(|i| format!("e{i}")).collect();
    let setup: Vec<Vec<&str>> = vec![
        vec!["SET", "int", "123"],
        vec!["SET", "big-int", "123456789012"],
        vec!["SET", "short", "hello"],
        vec!["SET", "long", &long],
        vec!["SET", "compressible", &compressible],
        vec!["RPUSH", "list", "a", "b", "1", "2"],
        vec!["SADD", "intset", "1", "2", "3"],
        vec!["SADD", "set", "a", "b"],
        vec!["ZADD", "zset", "1", "a", "2.5", "b"],
        vec!["HSET", "hash", "f", "v"],
        [&["RPUSH", "list200"][..], &elements.iter().map(String::as_str).collect::<Vec<_>>()].concat(),
    ];
    for cmd in &setup {
        both(&mut a, &mut b, cmd);
    }
    for key in ["int", "big-int", "short", "list", "intset", "set", "zset", "hash"] {
        assert_eq!(object_fields(&mut a, key), object_fields(&mut b, key), "{key}");
    }
    // Values LZF compresses: our compressor finds other matches than liblzf (both decode the
    // same), so only serializedlength may differ.
    let without_length = |fields: Vec<String>| -> Vec<String> {
        fields.into_iter().filter(|f| !f.starts_with("serializedlength:")).collect()
    };
    for key in ["long", "compressible", "list200"] {
        assert_eq!(without_length(object_fields(&mut a, key)), without_length(object_fields(&mut b, key)), "{key}");
    }
    both(&mut a, &mut b, &["DEBUG", "OBJECT", "missing"]);
    // INCR changes a number in place: the address stays (the suite checks this).
    both(&mut a, &mut b, &["SET", "counter", "20000"]);
    let address = |c: &mut Raw| c.call(&["DEBUG", "OBJECT", "counter"]).split(' ').nth(1).map(str::to_owned);
    let before = address(&mut a);
    a.call(&["INCR", "counter"]);
    assert_eq!(address(&mut a), before);
}
