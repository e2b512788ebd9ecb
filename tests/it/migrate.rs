//! MIGRATE between rkv and real redis-server 7.0.15, both ways: replies, what arrives on the
//! target, what is deleted and propagated at the source, cached connections and timeouts.

use std::time::Duration;

use crate::support::effects::same_propagation;
use crate::support::{Raw, Server, have};

/// Runs the same MIGRATE script from `source` to `target` and returns every reply.
fn migrate_script(source: &Server, target: &Server) -> Vec<String> {
    let port = target.port.to_string();
    let mut src = source.raw();
    let mut dst = target.raw();
    dst.call(&["FLUSHALL"]);
    dst.call(&["SELECT", "5"]);
    dst.call(&["SET", "busy", "target's"]);
    let head = ["MIGRATE", "127.0.0.1", port.as_str()];
    let migrate = |rest: &[&'static str]| -> Vec<&str> { head.iter().copied().chain(rest.iter().copied()).collect() };
    let script: Vec<Vec<&str>> = vec![
        vec!["SET", "plain", "v"],
        vec!["RPUSH", "list", "a", "b", "c"],
        vec!["SET", "ttl", "x", "EX", "100"],
        vec!["SET", "busy", "source's"],
        vec!["HSET", "hash", "f", "v"],
        migrate(&["plain", "5", "1000"]),
        migrate(&["", "5", "1000", "KEYS", "list", "missing", "ttl"]),
        migrate(&["busy", "5", "1000"]),
        migrate(&["busy", "5", "1000", "COPY"]),
        migrate(&["busy", "5", "1000", "COPY", "REPLACE"]),
        migrate(&["hash", "6", "0"]),
        migrate(&["missing", "5", "1000"]),
        migrate(&["", "5", "1000", "KEYS", "missing", "other"]),
        migrate(&["plain", "5", "1000", "KEYS", "a"]),
        migrate(&["plain", "5", "1000", "AUTH"]),
        migrate(&["plain", "5", "1000", "BOGUS"]),
        migrate(&["plain", "x", "1000"]),
        vec!["SET", "plain", "again"],
        migrate(&["plain", "5", "1000", "AUTH", "secret"]),
        vec!["EXISTS", "plain", "busy", "list", "ttl", "hash"],
        vec!["GET", "plain"],
        vec!["GET", "busy"],
    ];
    let mut replies = Vec::new();
    for cmd in &script {
        replies.push(src.call(cmd));
    }
    for db in ["5", "6"] {
        dst.call(&["SELECT", db]);
        replies.push(dst.call(&["DEBUG", "DIGEST"]));
        replies.push(dst.call(&["PTTL", "ttl"]).replace(|c: char| c.is_ascii_digit(), "#"));
    }
    replies
}

#[test]
fn replies_and_transfers_match_redis_both_ways() {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    let debug = ["--enable-debug-command", "yes"];
    let (redis_source, redis_target) = (Server::start_redis(&debug), Server::start_redis(&debug));
    let (rkv_source, rkv_target) = (Server::start(&debug), Server::start(&debug));
    let theirs = migrate_script(&redis_source, &redis_target);
    assert_eq!(migrate_script(&rkv_source, &redis_target), theirs, "rkv to redis (left) against redis to redis");
    assert_eq!(migrate_script(&redis_source, &rkv_target), theirs, "redis to rkv (left) against redis to redis");
    assert_eq!(migrate_script(&rkv_source, &rkv_target), theirs, "rkv to rkv (left) against redis to redis");
}

#[test]
fn deleted_keys_are_propagated_as_one_del() {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    let target = Server::start_redis(&[]);
    let port = target.port.to_string();
    let port = port.as_str();
    same_propagation(&[
        &["SET", "a", "1"],
        &["SET", "b", "2", "EX", "100"],
        &["MIGRATE", "127.0.0.1", port, "", "0", "1000", "REPLACE", "KEYS", "a", "missing", "b"],
        &["SET", "c", "3"],
        &["MIGRATE", "127.0.0.1", port, "c", "0", "1000", "COPY", "REPLACE"],
        &["MIGRATE", "127.0.0.1", port, "missing", "0", "1000"],
    ]);
}

#[test]
fn connections_are_cached_and_a_silent_target_times_out() {
    let target = Server::start(&["--enable-debug-command", "yes"]);
    let source = Server::start(&[]);
    let port = target.port.to_string();
    let mut src = source.raw();
    let cached = |src: &mut Raw| {
        let info = src.call(&["INFO", "stats"]);
        info.lines().find_map(|l| l.strip_prefix("migrate_cached_sockets:").map(str::to_owned))
    };
    assert_eq!(cached(&mut src).as_deref(), Some("0"));
    src.call(&["SET", "k", "v"]);
    assert_eq!(src.call(&["MIGRATE", "127.0.0.1", &port, "k", "0", "1000"]), "+OK\r\n");
    assert_eq!(cached(&mut src).as_deref(), Some("1"));

    // The target sleeps longer than the timeout: the key stays here, the client gets IOERR, and
    // the server keeps serving once the timeout passed.
    let mut sleeper = Raw::connect(target.port);
    sleeper.cmd(&[b"DEBUG", b"SLEEP", b"1.5"]);
    std::thread::sleep(Duration::from_millis(100));
    src.call(&["SET", "k", "v2"]);
    let reply = src.call(&["MIGRATE", "127.0.0.1", &port, "k", "0", "300"]);
    assert_eq!(reply, "-IOERR error or timeout reading to target instance\r\n");
    assert_eq!(src.call(&["GET", "k"]), "$2\r\nv2\r\n");
    assert_eq!(sleeper.read_reply(), b"+OK\r\n");

    // Nobody listens: a connection error, nothing cached for that address.
    let closed = crate::support::free_port().to_string();
    let reply = src.call(&["MIGRATE", "127.0.0.1", &closed, "k", "0", "300"]);
    assert_eq!(reply, "-IOERR error or timeout connecting to the client\r\n");
    // After an I/O error the cached connection was dropped; a new one works.
    assert_eq!(src.call(&["MIGRATE", "127.0.0.1", &port, "k", "0", "1000", "REPLACE"]), "+OK\r\n");
    assert_eq!(target.raw().call(&["GET", "k"]), "$2\r\nv2\r\n");
}
