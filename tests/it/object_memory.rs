//! OBJECT and MEMORY: replies and errors against redis-server, access clocks, key sizes.

use crate::support::{Server, same_replies, same_replies_resp3};

#[test]
fn object_subcommands_match_redis() {
    let commands: &[&[&str]] = &[
        &["SET", "k", "100"],
        &["OBJECT", "REFCOUNT", "k"],
        &["OBJECT", "ENCODING", "k"],
        &["SET", "big", "123456"],
        &["OBJECT", "REFCOUNT", "big"],
        &["SET", "s", "hello"],
        &["OBJECT", "ENCODING", "s"],
        &["OBJECT", "REFCOUNT", "s"],
        &["APPEND", "s", "x"],
        &["OBJECT", "ENCODING", "s"],
        &["OBJECT", "IDLETIME", "s"],
        &["OBJECT", "FREQ", "s"],
        &["OBJECT", "ENCODING", "missing"],
        &["OBJECT", "FREQ", "missing"],
        &["OBJECT", "IDLETIME", "missing"],
        &["OBJECT", "REFCOUNT", "missing"],
        &["OBJECT", "ENCODING"],
        &["OBJECT", "NOPE", "k"],
        &["OBJECT"],
        &["OBJECT", "HELP"],
    ];
    same_replies(commands);
    same_replies_resp3(commands);
}

#[test]
fn lfu_counters_follow_redis() {
    // With lfu-log-factor 0 every access increments the counter: deterministic.
    same_replies(&[
        &["CONFIG", "SET", "maxmemory-policy", "allkeys-lfu", "lfu-log-factor", "0"],
        &["SET", "f", "v"],
        &["OBJECT", "FREQ", "f"],
        &["GET", "f"],
        &["GET", "f"],
        &["OBJECT", "FREQ", "f"],
        // Metadata reads leave the counter alone; TOUCH and writes count.
        &["EXISTS", "f"],
        &["TYPE", "f"],
        &["TTL", "f"],
        &["OBJECT", "ENCODING", "f"],
        &["OBJECT", "FREQ", "f"],
        &["TOUCH", "f"],
        &["APPEND", "f", "w"],
        &["OBJECT", "FREQ", "f"],
        &["SET", "f", "new"],
        &["OBJECT", "FREQ", "f"],
        &["OBJECT", "IDLETIME", "f"],
        &["CONFIG", "SET", "maxmemory", "1gb"],
        &["SET", "n", "5"],
        &["OBJECT", "REFCOUNT", "n"],
    ]);
}

#[test]
fn no_touch_clients_leave_the_clock_alone() {
    let server = Server::start(&["--maxmemory-policy", "allkeys-lfu", "--lfu-log-factor", "0"]);
    let mut raw = server.raw();
    raw.call(&["SET", "f", "v"]);
    raw.call(&["CLIENT", "NO-TOUCH", "ON"]);
    raw.call(&["GET", "f"]);
    assert_eq!(raw.call(&["OBJECT", "FREQ", "f"]), ":5\r\n");
    raw.call(&["TOUCH", "f"]);
    assert_eq!(raw.call(&["OBJECT", "FREQ", "f"]), ":6\r\n");
    raw.call(&["CLIENT", "NO-TOUCH", "OFF"]);
    raw.call(&["GET", "f"]);
    assert_eq!(raw.call(&["OBJECT", "FREQ", "f"]), ":7\r\n");
}

#[test]
fn idle_time_grows() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    raw.call(&["SET", "k", "v"]);
    std::thread::sleep(std::time::Duration::from_millis(2200));
    let idle: i64 = raw.call(&["OBJECT", "IDLETIME", "k"]).trim_start_matches(':').trim().parse().unwrap();
    assert!((1..=3).contains(&idle), "{idle}");
    raw.call(&["GET", "k"]);
    std::thread::sleep(std::time::Duration::from_millis(150));
    // The access clock counts whole seconds (as Redis's does), so a second boundary may fall in
    // between: 0 or 1, never the 2+ seconds of before.
    let after = raw.call(&["OBJECT", "IDLETIME", "k"]);
    assert!(after == ":0\r\n" || after == ":1\r\n", "{after}");
}

#[test]
fn memory_errors_and_fixed_replies_match_redis() {
    let commands: &[&[&str]] = &[
        &["SET", "k", "v"],
        &["MEMORY", "USAGE", "missing"],
        &["MEMORY", "USAGE", "k", "SAMPLES", "-1"],
        &["MEMORY", "USAGE", "k", "SAMPLES", "x"],
        &["MEMORY", "USAGE", "k", "SAMPLES"],
        &["MEMORY", "USAGE", "k", "FOO"],
        &["MEMORY", "USAGE"],
        &["MEMORY", "PURGE"],
        &["MEMORY", "DOCTOR"],
        &["MEMORY", "NOPE"],
        &["MEMORY"],
        &["MEMORY", "HELP"],
    ];
    same_replies(commands);
    same_replies_resp3(commands);
}

#[test]
fn memory_usage_tracks_value_size() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    let usage = |raw: &mut crate::support::Raw, key: &str| -> usize {
        raw.call(&["MEMORY", "USAGE", key, "SAMPLES", "0"]).trim_start_matches(':').trim().parse().unwrap()
    };
    for size in [100usize, 1000, 10_000, 100_000, 1_000_000] {
        let key = format!("k{size}");
        raw.call(&["SET", &key, &"x".repeat(size)]);
        let bytes = usage(&mut raw, &key);
        assert!(bytes >= size && bytes <= size + size / 4 + 128, "{size} bytes cost {bytes}");
    }
    raw.call(&["SET", "n", "12345"]);
    let small = usage(&mut raw, "n");
    raw.call(&["EXPIRE", "n", "100"]);
    assert!(usage(&mut raw, "n") > small);
}

#[test]
fn memory_stats_has_redis_fields_in_order() {
    let names = |server: &Server| -> Vec<String> {
        let mut raw = server.raw();
        raw.call(&["SET", "k", "v"]);
        raw.call(&["SET", "e", "v", "EX", "100"]);
        let reply = raw.call(&["MEMORY", "STATS"]);
        reply.lines().filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase())).map(str::to_owned).collect()
    };
    let ours = names(&Server::start(&[]));
    assert_eq!(ours, names(&Server::start_redis(&[])));
    assert!(ours.contains(&"db.0".to_owned()));
    let server = Server::start(&[]);
    let mut raw = server.raw();
    assert!(raw.call(&["MEMORY", "MALLOC-STATS"]).contains("jemalloc statistics"));
}
