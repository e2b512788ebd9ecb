//! maxmemory and eviction: memory stays near the limit, the policies pick the right keys, and
//! commands are refused with Redis's OOM error when nothing can be evicted.

use crate::support::{Raw, Server, encode, same_replies};

/// An integer field of INFO.
pub fn info_u64(raw: &mut Raw, field: &str) -> u64 {
    let text = raw.call(&["INFO", "all"]);
    let prefix = format!("{field}:");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in INFO"))
}

/// Pipelines SET `{prefix}{i}` for `range`, `value` each, and reads the replies.
fn set_many(raw: &mut Raw, prefix: &str, range: std::ops::Range<usize>, value: &[u8], extra: &[&str]) {
    let mut batch = Vec::new();
    let count = range.len();
    for i in range {
        let key = format!("{prefix}{i}");
        let mut args: Vec<&[u8]> = vec![b"SET", key.as_bytes(), value];
        args.extend(extra.iter().map(|a| a.as_bytes()));
        batch.extend(encode(&args));
    }
    raw.send(&batch);
    for _ in 0..count {
        let reply = raw.read_reply();
        assert_eq!(reply, b"+OK\r\n", "{}", String::from_utf8_lossy(&reply));
    }
}

/// Reads `prefix0..prefix{n}` with MGET (which, unlike EXISTS, touches them).
fn read_all(raw: &mut Raw, prefix: &str, n: usize) {
    let keys: Vec<String> = (0..n).map(|i| format!("{prefix}{i}")).collect();
    let mut args = vec!["MGET"];
    args.extend(keys.iter().map(String::as_str));
    raw.call(&args);
}

/// How many of `prefix0..prefix{n}` exist.
fn existing(raw: &mut Raw, prefix: &str, n: usize) -> usize {
    let keys: Vec<String> = (0..n).map(|i| format!("{prefix}{i}")).collect();
    let mut args = vec!["EXISTS"];
    args.extend(keys.iter().map(String::as_str));
    raw.call(&args).trim_start_matches(':').trim().parse().expect("EXISTS count")
}

#[test]
fn allkeys_lru_keeps_used_memory_at_the_limit() {
    const LIMIT: u64 = 20 * 1024 * 1024;
    let server = Server::start(&["--maxmemory", "20mb", "--maxmemory-policy", "allkeys-lru"]);
    let mut raw = server.raw();
    let value = vec![b'v'; 10 * 1024];
    let mut highest = 0;
    // 200 MB in batches of 50 values (500 KB).
    for batch in 0..400 {
        set_many(&mut raw, "k", batch * 50..(batch + 1) * 50, &value, &[]);
        if batch % 10 == 9 {
            highest = highest.max(info_u64(&mut raw, "used_memory"));
        }
    }
    let used = info_u64(&mut raw, "used_memory");
    assert!(highest <= LIMIT + LIMIT / 20, "used_memory peaked at {highest}");
    assert!(used >= LIMIT - LIMIT / 5, "used_memory fell to {used}");
    let evicted = info_u64(&mut raw, "evicted_keys");
    assert!(evicted > 17_000, "evicted {evicted}");
    assert_eq!(info_u64(&mut raw, "maxmemory"), LIMIT);
}

#[test]
fn allkeys_lru_keeps_recently_used_keys() {
    let server = Server::start(&["--maxmemory", "7mb", "--maxmemory-policy", "allkeys-lru"]);
    let mut raw = server.raw();
    let value = vec![b'v'; 1024];
    set_many(&mut raw, "hot", 0..50, &value, &[]);
    set_many(&mut raw, "cold", 0..5000, &value, &[]);
    // The LRU clock counts seconds: let the cold keys age.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    for round in 0..10 {
        assert_eq!(existing(&mut raw, "hot", 50), 50, "round {round}");
        read_all(&mut raw, "hot", 50);
        set_many(&mut raw, &format!("new{round}-"), 0..300, &value, &[]);
    }
    assert_eq!(existing(&mut raw, "hot", 50), 50);
    assert!(info_u64(&mut raw, "evicted_keys") > 1000);
}

#[test]
fn allkeys_lfu_keeps_frequently_read_keys() {
    let server = Server::start(&["--maxmemory", "5mb", "--maxmemory-policy", "allkeys-lfu", "--lfu-log-factor", "0"]);
    let mut raw = server.raw();
    let value = vec![b'v'; 1024];
    set_many(&mut raw, "hot", 0..50, &value, &[]);
    for _ in 0..20 {
        read_all(&mut raw, "hot", 50);
    }
    assert_eq!(raw.call(&["OBJECT", "FREQ", "hot0"]), ":25\r\n");
    set_many(&mut raw, "cold", 0..20_000, &value, &[]);
    assert_eq!(existing(&mut raw, "hot", 50), 50);
    assert!(info_u64(&mut raw, "evicted_keys") > 10_000);
}

#[test]
fn volatile_ttl_evicts_the_soonest_expiring_first() {
    let server = Server::start(&["--maxmemory-policy", "volatile-ttl"]);
    let mut raw = server.raw();
    let value = vec![b'v'; 1024];
    set_many(&mut raw, "late", 0..3000, &value, &["EX", "100000"]);
    set_many(&mut raw, "soon", 0..3000, &value, &["EX", "1000"]);
    set_many(&mut raw, "forever", 0..1000, &value, &[]);
    let used = info_u64(&mut raw, "used_memory");
    // Room for about 1500 keys fewer.
    let limit = (used - 1500 * 1200).to_string();
    assert_eq!(raw.call(&["CONFIG", "SET", "maxmemory", &limit]), "+OK\r\n");
    // Eviction continues in the background once a command's time budget is spent.
    let limit: u64 = limit.parse().unwrap();
    for _ in 0..100 {
        assert_eq!(raw.call(&["PING"]), "+PONG\r\n");
        if info_u64(&mut raw, "used_memory") <= limit {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(30));
    }
    let evicted = info_u64(&mut raw, "evicted_keys") as usize;
    assert!(evicted > 1000, "evicted {evicted}");
    assert_eq!(existing(&mut raw, "forever", 1000), 1000);
    let late_lost = 3000 - existing(&mut raw, "late", 3000);
    assert!(late_lost * 20 < evicted, "{late_lost} of {evicted} evictions took late keys");
}

#[test]
fn volatile_policies_without_volatile_keys_refuse_writes() {
    for policy in ["volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"] {
        same_replies(&[
            &["SET", "a", "1"],
            &["CONFIG", "SET", "maxmemory-policy", policy],
            &["CONFIG", "SET", "maxmemory", "1"],
            &["SET", "b", "2"],
            &["INCR", "a"],
            &["GET", "a"],
            &["DEL", "nosuch"],
            &["CONFIG", "SET", "maxmemory", "0"],
            &["SET", "b", "2"],
        ]);
    }
}

#[test]
fn noeviction_refuses_writes_but_serves_reads() {
    same_replies(&[
        &["SET", "a", "1"],
        &["CONFIG", "SET", "maxmemory", "1"],
        &["SET", "b", "2"],
        &["APPEND", "a", "x"],
        &["GET", "a"],
        &["EXISTS", "a", "b"],
        &["DEL", "a"],
        &["CONFIG", "GET", "maxmemory"],
        &["CONFIG", "SET", "maxmemory", "0"],
        &["SET", "b", "2"],
    ]);
    let server = Server::start(&[]);
    let mut raw = server.raw();
    raw.call(&["CONFIG", "SET", "maxmemory", "1"]);
    assert!(raw.call(&["SET", "b", "2"]).starts_with("-OOM command not allowed"));
    let stats = raw.call(&["INFO", "commandstats"]);
    assert!(stats.contains("cmdstat_set:calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0"), "{stats}");
    assert!(raw.call(&["INFO", "errorstats"]).contains("errorstat_OOM:count=1"));
}

#[test]
fn maxmemory_settings_change_at_runtime() {
    let rkv = Server::start(&[]);
    let redis = Server::start_redis(&[]);
    for server in [&rkv, &redis] {
        let mut raw = server.raw();
        assert_eq!(raw.call(&["CONFIG", "SET", "maxmemory", "3gb", "maxmemory-policy", "allkeys-lfu"]), "+OK\r\n");
        raw.call(&["CONFIG", "SET", "maxmemory-samples", "7", "maxmemory-eviction-tenacity", "30"]);
    }
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    for name in ["maxmemory", "maxmemory-policy", "maxmemory-samples", "maxmemory-eviction-tenacity", "lfu-log-factor"]
    {
        assert_eq!(a.call(&["CONFIG", "GET", name]), b.call(&["CONFIG", "GET", name]));
    }
    let fields = |raw: &mut Raw| -> Vec<String> {
        let info = raw.call(&["INFO", "memory"]);
        info.lines().filter(|l| l.starts_with("maxmemory")).map(str::to_owned).collect()
    };
    assert_eq!(fields(&mut a), fields(&mut b));
    assert_eq!(fields(&mut a), ["maxmemory:3221225472", "maxmemory_human:3.00G", "maxmemory_policy:allkeys-lfu"]);
}

/// Under OOM, Redis refuses anything queued inside MULTI (except EXEC, DISCARD, QUIT, RESET)
/// and an EXEC whose queue holds a command that may grow memory.
#[test]
fn oom_inside_multi_matches_redis() {
    crate::support::same_replies(&[
        &["SET", "k", "v"],
        &["CONFIG", "SET", "maxmemory", "1"],
        &["SET", "k2", "v"],
        &["GET", "k"],
        &["MULTI"],
        &["GET", "k"],
        &["EXEC"],
        &["MULTI"],
        &["DISCARD"],
        &["CONFIG", "SET", "maxmemory", "0"],
        &["MULTI"],
        &["SET", "a", "1"],
        &["CONFIG", "SET", "maxmemory", "1"],
        &["EXEC"],
        &["CONFIG", "SET", "maxmemory", "0"],
        &["GET", "a"],
    ]);
}

/// A key evicted while a client WATCHes it breaks the transaction, like any other change.
#[test]
fn eviction_breaks_watch() {
    let server = crate::support::Server::start(&["--maxmemory-policy", "allkeys-random"]);
    let mut raw = server.raw();
    let mut other = server.raw();
    raw.call(&["SET", "watched", "v"]);
    assert_eq!(raw.call(&["WATCH", "watched"]), "+OK\r\n");
    other.call(&["CONFIG", "SET", "maxmemory", "1"]);
    // Any command now evicts everything it can.
    other.call(&["GET", "watched"]);
    other.call(&["CONFIG", "SET", "maxmemory", "0"]);
    assert_eq!(raw.call(&["EXISTS", "watched"]), ":0\r\n");
    assert_eq!(raw.call(&["MULTI"]), "+OK\r\n");
    assert_eq!(raw.call(&["PING"]), "+QUEUED\r\n");
    assert_eq!(raw.call(&["EXEC"]), "*-1\r\n");
}
