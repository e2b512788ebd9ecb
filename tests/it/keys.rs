//! Generic key and expiry commands, compared reply by reply with the real redis-server.

use crate::support::{Server, same_replies};

#[test]
fn key_commands_match_redis() {
    same_replies(&[
        &["SET", "a", "1"],
        &["EXISTS", "a", "a", "nope"],
        &["TOUCH", "a", "nope"],
        &["TYPE", "a"],
        &["TYPE", "nope"],
        &["COPY", "a", "a"],
        &["COPY", "a", "b", "DB", "1"],
        &["COPY", "a", "b", "DB", "99"],
        &["COPY", "a", "b", "DB", "x"],
        &["COPY", "a", "b", "foo"],
        &["COPY", "a", "b"],
        &["COPY", "a", "b"],
        &["COPY", "a", "b", "REPLACE"],
        &["MOVE", "a", "0"],
        &["MOVE", "a", "99"],
        &["MOVE", "a", "x"],
        &["MOVE", "a", "1"],
        &["MOVE", "b", "1"],
        &["MOVE", "missing", "1"],
        &["SWAPDB", "0", "x"],
        &["SWAPDB", "x", "0"],
        &["SWAPDB", "0", "99"],
        &["SWAPDB", "0", "1"],
        &["GET", "a"],
        &["RENAME", "missing", "z"],
        &["RENAME", "a", "a"],
        &["RENAMENX", "a", "a"],
        &["RENAMENX", "missing", "x"],
        &["SET", "c", "3"],
        &["RENAMENX", "a", "c"],
        &["EXPIRE", "a", "1000"],
        &["RENAME", "a", "d"],
        &["TTL", "d"],
        &["EXISTS", "a"],
        &["DEL", "d", "d", "c", "nope"],
        &["UNLINK", "b"],
        &["FLUSHDB", "foo"],
        &["FLUSHDB", "ASYNC"],
        &["DBSIZE"],
        &["FLUSHALL", "SYNC"],
        &["RANDOMKEY"],
    ]);
}

#[test]
fn expiry_commands_match_redis() {
    same_replies(&[
        &["SET", "a", "1"],
        &["EXPIRE", "a", "100", "nx", "xx"],
        &["EXPIRE", "a", "100", "gt", "lt"],
        &["EXPIRE", "a", "100", "foo"],
        &["EXPIRE", "a", "x"],
        &["EXPIRE", "a", "9223372036854775807"],
        &["EXPIRE", "a", "-9223372036854775807"],
        &["PEXPIRE", "a", "9223372036854775807"],
        &["EXPIRE", "missing", "10"],
        &["EXPIRE", "a", "100", "xx"],
        &["EXPIRE", "a", "100", "gt"],
        &["EXPIRE", "a", "100", "lt"],
        &["EXPIRE", "a", "100", "nx"],
        &["EXPIRE", "a", "100", "nx"],
        &["TTL", "a"],
        &["EXPIRE", "a", "50", "gt"],
        &["EXPIRE", "a", "200", "gt"],
        &["EXPIRE", "a", "300", "lt"],
        &["TTL", "a"],
        &["PTTL", "missing"],
        &["TTL", "missing"],
        &["PERSIST", "a"],
        &["PERSIST", "a"],
        &["PERSIST", "missing"],
        &["TTL", "a"],
        &["PTTL", "a"],
        &["EXPIRETIME", "a"],
        &["PEXPIRETIME", "missing"],
        &["EXPIREAT", "a", "4102444800"],
        &["EXPIRETIME", "a"],
        &["PEXPIRETIME", "a"],
        &["PEXPIREAT", "a", "4102444800123"],
        &["PEXPIRETIME", "a"],
        &["EXPIRE", "a", "-1"],
        &["EXISTS", "a"],
        &["SET", "b", "1"],
        &["PEXPIREAT", "b", "1"],
        &["GET", "b"],
    ]);
}

#[test]
fn randomkey_returns_live_keys() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    assert_eq!(raw.call(&["RANDOMKEY"]), "$-1\r\n");
    raw.call(&["SET", "only", "v"]);
    assert_eq!(raw.call(&["RANDOMKEY"]), "$4\r\nonly\r\n");
}

#[test]
fn flushall_async_frees_large_databases() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    let mut batch = Vec::new();
    for i in 0..20_000 {
        batch.extend_from_slice(&crate::support::encode(&[b"SET", format!("k{i}").as_bytes(), b"v"]));
    }
    raw.send(&batch);
    for _ in 0..20_000 {
        raw.read_reply();
    }
    assert_eq!(raw.call(&["DBSIZE"]), ":20000\r\n");
    assert_eq!(raw.call(&["FLUSHALL", "ASYNC"]), "+OK\r\n");
    assert_eq!(raw.call(&["DBSIZE"]), ":0\r\n");
    assert_eq!(raw.call(&["SET", "after", "1"]), "+OK\r\n");
}

#[test]
fn info_reports_volatile_keys_and_expirations() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    raw.call(&["SET", "a", "1"]);
    raw.call(&["SET", "b", "1", "EX", "1000"]);
    raw.call(&["SET", "c", "1", "PX", "30"]);
    let info = raw.call(&["INFO", "keyspace"]);
    assert!(info.contains("db0:keys=3,expires=2,avg_ttl="), "{info}");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let info = raw.call(&["INFO", "keyspace"]);
    assert!(info.contains("db0:keys=2,expires=1,avg_ttl="), "{info}");
    let avg: i64 = info.split("avg_ttl=").nth(1).and_then(|s| s.trim().parse().ok()).unwrap_or(-1);
    assert!(avg > 900_000 && avg <= 1_000_000, "avg_ttl {avg}");
    let stats = raw.call(&["INFO", "stats"]);
    assert!(stats.contains("expired_keys:1\r\n"), "{stats}");
}

#[test]
fn getkeysandflags_for_set_depends_on_get() {
    crate::support::same_replies(&[
        &["COMMAND", "GETKEYSANDFLAGS", "SET", "k", "v"],
        &["COMMAND", "GETKEYSANDFLAGS", "SET", "k", "v", "GET"],
        &["COMMAND", "GETKEYSANDFLAGS", "MSET", "a", "1", "b", "2"],
        &["COMMAND", "GETKEYS", "LCS", "a", "b"],
        &["COMMAND", "INFO", "SET", "GETEX", "INCRBYFLOAT", "EXPIRE", "COPY"],
        &["COMMAND", "DOCS", "SET", "LCS", "GETEX", "SUBSTR"],
    ]);
}

/// keyspace_hits/misses count read lookups only, as in Redis.
#[test]
fn keyspace_hits_and_misses_match_redis() {
    if !crate::support::have("redis-server") {
        return;
    }
    let rkv = Server::start(&[]);
    let redis = Server::start_redis(&[]);
    let commands: &[&[&str]] = &[
        &["SET", "a", "5"],
        &["GET", "a"],
        &["GET", "zz"],
        &["MGET", "a", "zz"],
        &["STRLEN", "a"],
        &["GETRANGE", "a", "0", "1"],
        &["SET", "a", "5", "GET"],
        &["APPEND", "a", "1"],
        &["INCR", "n"],
        &["LCS", "a", "zz"],
        &["EXISTS", "a", "zz"],
        &["TYPE", "a"],
        &["TTL", "zz"],
        &["TOUCH", "a", "zz"],
        &["COPY", "a", "b"],
        &["RENAME", "b", "c"],
        &["DEL", "c"],
        &["GETDEL", "zz"],
        &["SETNX", "a", "1"],
    ];
    let stat = |raw: &mut crate::support::Raw, name: &str| {
        let info = raw.call(&["INFO", "stats"]);
        info.lines().find_map(|l| l.strip_prefix(&format!("{name}:"))).map(str::to_owned)
    };
    for cmd in commands {
        let (mut a, mut b) = (rkv.raw(), redis.raw());
        a.call(cmd);
        b.call(cmd);
        for name in ["keyspace_hits", "keyspace_misses"] {
            assert_eq!(stat(&mut a, name), stat(&mut b, name), "{name} after {cmd:?}");
        }
    }
}

#[test]
fn keys_and_scan_errors_match_redis() {
    crate::support::same_replies(&[
        &["MSET", "alpha", "1", "beta", "2", "a*b", "3"],
        &["KEYS", "al*"],
        &["KEYS", "a\\*b"],
        &["KEYS", "[b]eta"],
        &["KEYS", "nomatch*"],
        &["SCAN", "x"],
        &["SCAN", "18446744073709551616"],
        &["SCAN", "0", "COUNT", "0"],
        &["SCAN", "0", "COUNT", "x"],
        &["SCAN", "0", "MATCH"],
        &["SCAN", "0", "FOO", "bar"],
        &["SCAN", "0", "MATCH", "zzz*", "COUNT", "1000"],
        &["SCAN", "0", "TYPE", "nosuchtype", "COUNT", "1000"],
        &["SCAN", "0", "MATCH", "al*", "COUNT", "1000"],
    ]);
}

fn scan_all(raw: &mut crate::support::Raw, extra: &[&str]) -> std::collections::HashSet<String> {
    let mut seen = std::collections::HashSet::new();
    let mut cursor = "0".to_owned();
    loop {
        let mut args = vec!["SCAN", cursor.as_str()];
        args.extend_from_slice(extra);
        let reply = raw.call(&args);
        let mut lines = reply.split("\r\n");
        lines.next(); // *2
        lines.next(); // $len
        let next = lines.next().unwrap_or("0").to_owned();
        lines.next(); // *n
        let rest: Vec<&str> = lines.collect();
        for pair in rest.chunks(2) {
            if let [_, key] = pair {
                if !key.is_empty() {
                    seen.insert((*key).to_owned());
                }
            }
        }
        cursor = next;
        if cursor == "0" {
            return seen;
        }
    }
}

#[test]
fn scan_returns_every_key_with_match_and_type() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    let mut batch = Vec::new();
    for i in 0..2000 {
        batch.extend_from_slice(&crate::support::encode(&[b"SET", format!("key:{i}").as_bytes(), b"v"]));
    }
    raw.send(&batch);
    for _ in 0..2000 {
        raw.read_reply();
    }
    assert_eq!(scan_all(&mut raw, &[]).len(), 2000);
    assert_eq!(scan_all(&mut raw, &["COUNT", "7"]).len(), 2000);
    let ones = scan_all(&mut raw, &["MATCH", "key:1*", "COUNT", "50"]);
    assert_eq!(ones.len(), 1 + 10 + 100 + 1000);
    assert_eq!(scan_all(&mut raw, &["TYPE", "string"]).len(), 2000);
    assert!(scan_all(&mut raw, &["TYPE", "hash"]).is_empty());
    let keys = raw.call(&["KEYS", "key:19?"]);
    assert!(keys.starts_with("*10\r\n"), "{keys}");
}

#[test]
fn scan_guarantee_holds_while_the_table_grows_and_shrinks() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    let mut writer = server.raw();
    for i in 0..500 {
        raw.call(&["SET", &format!("stable:{i}"), "v"]);
    }
    let mut seen = std::collections::HashSet::new();
    let mut cursor = "0".to_owned();
    let mut round = 0;
    loop {
        let reply = raw.call(&["SCAN", &cursor, "COUNT", "20"]);
        let parts: Vec<&str> = reply.split("\r\n").collect();
        cursor = parts.get(2).copied().unwrap_or("0").to_owned();
        for key in parts.iter().skip(5).step_by(2) {
            seen.insert((*key).to_owned());
        }
        // Between calls, add and remove thousands of other keys so the table resizes.
        let mut batch = Vec::new();
        for j in 0..300 {
            let name = format!("churn:{round}:{j}");
            batch.extend_from_slice(&crate::support::encode(&[b"SET", name.as_bytes(), b"v"]));
            if round > 3 {
                let old = format!("churn:{}:{j}", round - 3);
                batch.extend_from_slice(&crate::support::encode(&[b"DEL", old.as_bytes()]));
            }
        }
        writer.send(&batch);
        for _ in 0..(if round > 3 { 600 } else { 300 }) {
            writer.read_reply();
        }
        round += 1;
        if cursor == "0" {
            break;
        }
    }
    for i in 0..500 {
        assert!(seen.contains(&format!("stable:{i}")), "SCAN missed stable:{i}");
    }
}
