//! String commands, compared reply by reply with the real redis-server.

use crate::support::{Server, same_replies};

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

#[test]
fn string_family_matches_redis() {
    same_replies(&[
        &["SETNX", "n", "1"],
        &["SETNX", "n", "2"],
        &["GET", "n"],
        &["SETEX", "e", "100", "v"],
        &["SETEX", "e", "0", "v"],
        &["SETEX", "e", "x", "v"],
        &["PSETEX", "e", "0", "v"],
        &["PSETEX", "e", "100000", "v2"],
        &["GET", "e"],
        &["GETSET", "e", "v3"],
        &["GETSET", "fresh", "v"],
        &["GETDEL", "fresh"],
        &["GETDEL", "fresh"],
        &["GETEX", "e"],
        &["GETEX", "e", "EX", "0"],
        &["GETEX", "missing", "EX", "0"],
        &["GETEX", "e", "PERSIST"],
        &["GETEX", "e", "PERSIST", "EX", "1"],
        &["GETEX", "e", "NX"],
        &["GETEX", "e", "PXAT", "1"],
        &["GET", "e"],
        &["MSET", "a", "1", "b", "2"],
        &["MSET", "a"],
        &["MGET", "a", "b", "nope"],
        &["MSETNX", "a", "1", "c", "3"],
        &["MSETNX", "c", "3", "d", "4"],
        &["MSETNX", "a"],
        &["MGET", "c", "d"],
        &["APPEND", "k", "10"],
        &["APPEND", "k", "x"],
        &["STRLEN", "k"],
        &["STRLEN", "nope"],
        &["INCR", "k"],
        &["SET", "i", "10"],
        &["INCR", "i"],
        &["DECR", "i"],
        &["INCRBY", "i", "5"],
        &["INCRBY", "i", "x"],
        &["DECRBY", "i", "-9223372036854775808"],
        &["DECRBY", "i", "3"],
        &["SET", "big", "9223372036854775807"],
        &["INCR", "big"],
        &["SET", "big", "-9223372036854775808"],
        &["DECR", "big"],
        &["SET", "sp", " 1"],
        &["INCR", "sp"],
        &["SET", "f", "1.5"],
        &["INCRBY", "f", "1"],
        &["INCR", "newcounter"],
        &["SETRANGE", "r", "-1", "x"],
        &["SETRANGE", "r", "0", ""],
        &["SETRANGE", "r", "3", "ab"],
        &["GET", "r"],
        &["SETRANGE", "r", "1", "ZZ"],
        &["GET", "r"],
        &["SETRANGE", "r", "1", ""],
        &["SETRANGE", "r", "536870912", "x"],
        &["SETRANGE", "r", "x", "x"],
        &["GETRANGE", "r", "0", "-1"],
        &["GETRANGE", "r", "-100", "-50"],
        &["GETRANGE", "r", "1", "-1"],
        &["GETRANGE", "r", "3", "1"],
        &["GETRANGE", "missing", "0", "x"],
        &["GETRANGE", "missing", "0", "1"],
        &["SUBSTR", "r", "0", "2"],
        &["SET", "num", "12345"],
        &["GETRANGE", "num", "1", "2"],
        &["APPEND", "num", "6"],
        &["GET", "num"],
    ]);
}

#[test]
fn incrbyfloat_matches_redis_long_double_results() {
    same_replies(&[
        &["SET", "f", "10.5"],
        &["INCRBYFLOAT", "f", "0.1"],
        &["INCRBYFLOAT", "f", "1e10"],
        &["SET", "g", "0.1"],
        &["INCRBYFLOAT", "g", "0.2"],
        &["INCRBYFLOAT", "h", "1e300"],
        &["INCRBYFLOAT", "i", "-0"],
        &["INCRBYFLOAT", "i", "inf"],
        &["INCRBYFLOAT", "j", "0x10"],
        &["INCRBYFLOAT", "j", "1e-5000"],
        &["INCRBYFLOAT", "j", "1e-4940"],
        &["INCRBYFLOAT", "j", " 1"],
        &["INCRBYFLOAT", "j", "1.5e"],
        &["INCRBYFLOAT", "j", ""],
        &["INCRBYFLOAT", "j", "nan"],
        &["SET", "s", "abc"],
        &["INCRBYFLOAT", "s", "1"],
        &["INCRBYFLOAT", "k", "3.0e3"],
        &["INCRBYFLOAT", "k", "-3000"],
        &["INCRBYFLOAT", "m", "1.23456789012345678901"],
        &["INCRBYFLOAT", "n", "5.0e-18"],
        &["INCRBYFLOAT", "o", "12345678901234567890123"],
        &["INCRBYFLOAT", "p", "0x1p-3"],
        &["INCRBYFLOAT", "q", "1e4932"],
        &["INCRBYFLOAT", "q", "1e4932"],
        &["SET", "int", "100"],
        &["INCRBYFLOAT", "int", "-0.000001"],
        &["INCRBYFLOAT", "int", "1.1e1"],
        &["INCR", "int"],
    ]);
}

#[test]
fn lcs_matches_redis() {
    same_replies(&[
        &["MSET", "key1", "ohmytext", "key2", "mynewtext"],
        &["LCS", "key1", "key2"],
        &["LCS", "key1", "key2", "LEN"],
        &["LCS", "key1", "key2", "IDX"],
        &["LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4"],
        &["LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"],
        &["LCS", "key1", "key2", "IDX", "WITHMATCHLEN", "MINMATCHLEN", "-3"],
        &["LCS", "key1", "key2", "IDX", "LEN"],
        &["LCS", "key1", "key2", "MINMATCHLEN"],
        &["LCS", "key1", "key2", "MINMATCHLEN", "x"],
        &["LCS", "key1", "key2", "FOO"],
        &["LCS", "key1", "missing"],
        &["LCS", "missing", "missing", "IDX"],
        &["MSET", "a", "abcXYZdefXYZ", "b", "XYZabcdefabc"],
        &["LCS", "a", "b", "IDX", "WITHMATCHLEN"],
        &["LCS", "b", "a", "IDX"],
        &["MSET", "n1", "12345", "n2", "2345"],
        &["LCS", "n1", "n2", "IDX"],
    ]);
}

#[test]
fn lcs_matches_redis_in_resp3() {
    crate::support::same_replies_resp3(&[
        &["MSET", "key1", "ohmytext", "key2", "mynewtext"],
        &["LCS", "key1", "key2", "IDX", "WITHMATCHLEN"],
    ]);
}

/// A key that expires in the middle of a pipeline (no MULTI) is gone for the commands after
/// that point, as in Redis, where each command sees the current time.
#[test]
fn expiry_takes_effect_inside_a_pipeline() {
    let server = Server::start(&["--enable-debug-command", "yes"]);
    let mut raw = server.raw();
    let mut batch = Vec::new();
    for cmd in [
        &[&b"SET"[..], b"k", b"v", b"PX", b"30"][..],
        &[b"GET", b"k"],
        &[b"PTTL", b"k"],
        &[b"DEBUG", b"SLEEP", b"0.1"],
        &[b"GET", b"k"],
        &[b"PTTL", b"k"],
        &[b"EXISTS", b"k"],
    ] {
        batch.extend_from_slice(&crate::support::encode(cmd));
    }
    raw.send(&batch);
    assert_eq!(raw.read_reply(), b"+OK\r\n");
    assert_eq!(raw.read_reply(), b"$1\r\nv\r\n");
    let pttl = String::from_utf8_lossy(&raw.read_reply()).into_owned();
    let ms: i64 = pttl.trim_start_matches(':').trim().parse().unwrap_or(-99);
    assert!((0..=30).contains(&ms), "{pttl}");
    assert_eq!(raw.read_reply(), b"+OK\r\n");
    assert_eq!(raw.read_reply(), b"$-1\r\n");
    assert_eq!(raw.read_reply(), b":-2\r\n");
    assert_eq!(raw.read_reply(), b":0\r\n");
}
