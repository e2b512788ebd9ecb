//! `list-compress-depth`: lists whose middle nodes are LZF-compressed reply exactly like
//! redis-server with the same settings, and take much less memory when their elements compress.

use crate::eviction::info_u64;
use crate::lists::{VALUES, random_sequences_match};
use crate::support::{Raw, Server, have, same_replies};

/// The random list commands with elements that compress too (60 repeated bytes, Redis-style
/// numbered keys), so nodes of four entries pass the 48 bytes compression needs.
#[test]
fn random_sequences_with_compressed_nodes_match_redis() {
    let long = "v".repeat(60);
    let numbered = "e:00000000000042";
    let values: Vec<&str> = VALUES.iter().copied().chain([long.as_str(), numbered, long.as_str()]).collect();
    for depth in ["1", "2"] {
        let args = ["--list-compress-depth", depth, "--list-max-listpack-size", "4"];
        random_sequences_match(&args, &values, &[(21, "4"), (22, "2")]);
    }
}

#[test]
fn config_set_and_get_match_redis() {
    same_replies(&[
        &["CONFIG", "GET", "list-compress-depth"],
        &["CONFIG", "SET", "list-compress-depth", "-1"],
        &["CONFIG", "SET", "list-compress-depth", "2147483648"],
        &["CONFIG", "SET", "list-compress-depth", "x"],
        &["CONFIG", "SET", "list-compress-depth", "2147483647"],
        &["CONFIG", "GET", "list-compress-depth"],
        &["CONFIG", "SET", "list-compress-depth", "1"],
        &["CONFIG", "GET", "list-compress-depth"],
        &["RPUSH", "l", "a", "b", "c"],
        &["OBJECT", "ENCODING", "l"],
    ]);
}

/// Pushes `count` copies of `value` to the tail of `key`, 1000 per RPUSH.
fn push_many(raw: &mut Raw, key: &str, value: &str, count: usize) {
    for _ in 0..count / 1000 {
        let args: Vec<&str> = ["RPUSH", key].into_iter().chain(std::iter::repeat_n(value, 1000)).collect();
        raw.call(&args);
    }
}

/// How much `used_memory` grows while `count` copies of `value` are pushed to `key`.
fn growth(raw: &mut Raw, key: &str, value: &str, count: usize) -> u64 {
    let before = info_u64(raw, "used_memory");
    push_many(raw, key, value, count);
    info_u64(raw, "used_memory").saturating_sub(before)
}

/// MEMORY USAGE of `key`.
fn usage(raw: &mut Raw, key: &str) -> u64 {
    let reply = raw.call(&["MEMORY", "USAGE", key]);
    reply.trim().trim_start_matches(':').parse().unwrap_or_else(|_| panic!("MEMORY USAGE replied {reply:?}"))
}

#[test]
fn compressed_lists_use_far_less_memory() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    let value = "0123456789".repeat(10);
    // Grow the connection's buffers to their working size first, so that `used_memory` growth
    // below is the lists' own.
    push_many(&mut raw, "warm-up", &value, 2_000);
    raw.call(&["DEL", "warm-up"]);
    let plain = growth(&mut raw, "plain", &value, 20_000);
    assert_eq!(raw.call(&["CONFIG", "SET", "list-compress-depth", "1"]), "+OK\r\n");
    let packed = growth(&mut raw, "packed", &value, 20_000);
    assert!(plain > 20_000 * 100, "uncompressed growth {plain}");
    assert!(packed * 10 < plain, "depth 1 grew {packed}, depth 0 grew {plain}");
    let (plain_usage, packed_usage) = (usage(&mut raw, "plain"), usage(&mut raw, "packed"));
    assert!(packed_usage * 10 < plain_usage, "MEMORY USAGE {packed_usage} vs {plain_usage}");
    // The depth is the list's own from its creation: the old list keeps growing uncompressed.
    assert!(growth(&mut raw, "plain", &value, 10_000) > 10_000 * 100);
    // Every element reads back, from both ends and the middle.
    let middle = raw.call(&["LRANGE", "packed", "9990", "10009"]);
    assert_eq!(middle.matches(value.as_str()).count(), 20);
    assert_eq!(raw.call(&["LINDEX", "packed", "12345"]), format!("$100\r\n{value}\r\n"));
    assert_eq!(raw.call(&["LLEN", "packed"]), ":20000\r\n");
}

/// Redis agrees that the same pushes compress (the effect this directive exists for). Its
/// MEMORY USAGE samples the first nodes, raw head included, so `used_memory` is compared.
#[test]
fn redis_compresses_the_same_lists() {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    let redis = Server::start_redis(&["--list-compress-depth", "1"]);
    let rkv = Server::start(&["--list-compress-depth", "1"]);
    let value = "0123456789".repeat(10);
    for (name, server) in [("redis-server", &redis), ("rkv", &rkv)] {
        let grew = growth(&mut server.raw(), "l", &value, 20_000);
        assert!(grew < 20_000 * 100 / 5, "{name}: used_memory grew {grew}");
    }
}
