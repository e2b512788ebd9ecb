//! String commands, compared reply by reply with the real redis-server.

use crate::support::{Server, have};

/// Sends each command to rkv and to redis-server and asserts identical raw replies.
fn same_replies(commands: &[&[&str]]) {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    let rkv = Server::start(&[]);
    let redis = Server::start_redis(&[]);
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    for cmd in commands {
        assert_eq!(a.call(cmd), b.call(cmd), "command {cmd:?}");
    }
}

#[test]
fn set_options_match_redis() {
    same_replies(&[
        &["SET", "k", "v", "NX", "XX"],
        &["SET", "k", "v", "EX", "0"],
        &["SET", "k", "v", "EX", "-1"],
        &["SET", "k", "v", "EX", "abc"],
        &["SET", "k", "v", "EX", "10", "PX", "10"],
        &["SET", "k", "v", "KEEPTTL", "EX", "10"],
        &["SET", "k", "v", "EX"],
        &["SET", "k", "v", "EX", "9223372036854775807"],
        &["SET", "k", "v", "PX", "9223372036854775807"],
        &["SET", "k", "v", "PERSIST"],
        &["SET", "k", "v1", "EX", "100", "EX", "200"],
        &["SET", "k", "v2", "GET"],
        &["SET", "k", "v3", "NX", "GET"],
        &["SET", "k", "v4", "NX"],
        &["GET", "k"],
        &["SET", "new", "v", "XX"],
        &["SET", "new", "v", "XX", "GET"],
        &["GET", "new"],
        &["SET", "gone", "v", "PXAT", "1"],
        &["GET", "gone"],
        &["SET", "k", "v5", "xx", "keepttl", "get"],
        &["SET", "k", "12345"],
        &["GET", "k"],
        &["SET", "k", "v", "ex", "5", "nx"],
    ]);
}

#[test]
fn set_with_ttl_expires() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    assert_eq!(raw.call(&["SET", "k", "v", "PX", "50"]), "+OK\r\n");
    assert_eq!(raw.call(&["GET", "k"]), "$1\r\nv\r\n");
    std::thread::sleep(std::time::Duration::from_millis(120));
    assert_eq!(raw.call(&["GET", "k"]), "$-1\r\n");
    assert_eq!(raw.call(&["SET", "k", "v", "EXAT", "1"]), "+OK\r\n");
    assert_eq!(raw.call(&["GET", "k"]), "$-1\r\n");
}

#[test]
fn active_expiry_removes_keys_nobody_reads() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    let mut batch = Vec::new();
    for i in 0..50_000 {
        batch.extend_from_slice(&crate::support::encode(&[b"SET", format!("k{i}").as_bytes(), b"v", b"PX", b"200"]));
    }
    raw.send(&batch);
    for _ in 0..50_000 {
        assert_eq!(raw.read_reply(), b"+OK\r\n");
    }
    let mut size = String::new();
    for _ in 0..100 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        size = raw.call(&["DBSIZE"]);
        if size == ":0\r\n" {
            break;
        }
    }
    assert_eq!(size, ":0\r\n", "keys with a passed TTL are collected without being accessed");
}
