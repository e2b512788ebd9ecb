//! DEBUG subcommands that look into data structures: QUICKLIST-PACKED-THRESHOLD and the plain
//! list nodes it brings (seen through list commands), LISTPACK and QUICKLIST (a log dump and a
//! status reply), HTSTATS and HTSTATS-KEY (parsed as Redis's test suite parses them), compared
//! with redis-server 7.0.15 wherever the output does not depend on hash seeds.

use crate::lists::{KEYS, VALUES, random_command};
use crate::support::{Raw, Server, have};

/// Both servers with DEBUG enabled and `args`; `None` (the test is skipped) without
/// redis-server.
fn pair(args: &[&str]) -> Option<(Server, Server)> {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return None;
    }
    let args = [&["--enable-debug-command", "yes"], args].concat();
    Some((Server::start(&args), Server::start_redis(&args)))
}

/// Sends each command to both connections and asserts the same raw replies.
fn same(ours: &mut Raw, theirs: &mut Raw, commands: &[&[&str]]) {
    for cmd in commands {
        assert_eq!(ours.call(cmd), theirs.call(cmd), "command {cmd:?}");
    }
}

#[test]
fn packed_threshold_parses_and_refuses_as_redis() {
    let Some((rkv, redis)) = pair(&[]) else { return };
    let threshold = |size| ["DEBUG", "QUICKLIST-PACKED-THRESHOLD", size];
    let mut commands: Vec<[&str; 3]> =
        ["1b", "100mb", "1KB", "0", "b", "", "4095mb", "4293918720", "4293918721", "4gb"]
            .into_iter()
            .chain(["-1", "1.5", "abc", " 10", "10 ", "18446744073709551616"])
            .map(threshold)
            .collect();
    commands.push(["DEBUG", "HELP", "x"]);
    let commands: Vec<&[&str]> = commands.iter().map(|c| &c[..]).collect();
    same(&mut rkv.raw(), &mut redis.raw(), &commands);
    same(
        &mut rkv.raw(),
        &mut redis.raw(),
        &[&["DEBUG", "QUICKLIST-PACKED-THRESHOLD"], &["DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1", "2"]],
    );
}

/// The list scenarios of Redis's suite for plain nodes (unit/type/list), reply for reply.
#[test]
fn plain_node_scenarios_match_redis() {
    let Some((rkv, redis)) = pair(&["--list-compress-depth", "1"]) else { return };
    let (mut ours, mut theirs) = (rkv.raw(), redis.raw());
    let (a500, b500, x10) = ("a".repeat(500), "b".repeat(500), "x".repeat(10));
    let large = "d".repeat(50001);
    same(
        &mut ours,
        &mut theirs,
        &[
            &["DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1b"],
            &["LPUSH", "l", &a500, &b500, "9", &a500],
            &["LINSERT", "l", "AFTER", "9", &x10],
            &["LINSERT", "l", "BEFORE", "9", "8"],
            &["LRANGE", "l", "0", "-1"],
            &["LINDEX", "l", "2"],
            &["LPOS", "l", &x10],
            &["LREM", "l", "-1", &a500],
            &["LSET", "l", "0", "small"],
            &["LTRIM", "l", "1", "-1"],
            &["LMOVE", "l", "m", "RIGHT", "LEFT"],
            &["RPOPLPUSH", "l", "m"],
            &["LRANGE", "l", "0", "-1"],
            &["LRANGE", "m", "0", "-1"],
            &["OBJECT", "ENCODING", "l"],
            &["DEBUG", "QUICKLIST-PACKED-THRESHOLD", "5b"],
            &["RPUSH", "p", "aa", "bb", "cc", "dd", "ee"],
            &["LSET", "p", "2", &x10],
            &["LSET", "p", "0", &large],
            &["LSET", "p", "-1", "e"],
            &["LSET", "p", "0", "a"],
            &["LRANGE", "p", "0", "-1"],
            &["LPOP", "p", "10"],
            &["DEBUG", "QUICKLIST-PACKED-THRESHOLD", "10b"],
            &["LPUSH", "q", "aa", "bb"],
            &["LSET", "q", "-2", &x10],
            &["RPOP", "q"],
            &["LRANGE", "q", "0", "-1"],
            &["DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0"],
        ],
    );
}

/// Random list commands over lists mixing plain and packed nodes (several thresholds, fills
/// and compress depths) get the same replies as from redis-server.
#[test]
fn random_list_commands_over_plain_nodes_match_redis() {
    let Some((rkv, redis)) = pair(&[]) else { return };
    let (mut ours, mut theirs) = (rkv.raw(), redis.raw());
    let long = "v".repeat(70);
    let values: Vec<&str> = VALUES.iter().copied().chain(["12345", long.as_str(), "mid-size"]).collect();
    for (seed, threshold, fill, depth) in [(31, "1b", "4", "0"), (32, "5b", "-1", "1"), (33, "9b", "2", "2")] {
        let setup: [&[&str]; 4] = [
            &["FLUSHALL"],
            &["DEBUG", "QUICKLIST-PACKED-THRESHOLD", threshold],
            &["CONFIG", "SET", "list-max-listpack-size", fill],
            &["CONFIG", "SET", "list-compress-depth", depth],
        ];
        same(&mut ours, &mut theirs, &setup);
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut recent = std::collections::VecDeque::new();
        for _ in 0..1500 {
            let cmd = random_command(&mut rng, &values);
            let args: Vec<&str> = cmd.iter().map(String::as_str).collect();
            recent.push_back(cmd.join(" "));
            if recent.len() > 15 {
                recent.pop_front();
            }
            let trail = Vec::from(recent.clone()).join("\n");
            assert_eq!(ours.call(&args), theirs.call(&args), "seed {seed}, threshold {threshold}, after:\n{trail}");
        }
        for key in KEYS {
            same(&mut ours, &mut theirs, &[&["LRANGE", key, "0", "-1"]]);
        }
    }
}

#[test]
fn quicklist_logs_plain_and_compressed_nodes() {
    let rkv = Server::start(&["--enable-debug-command", "yes", "--list-compress-depth", "1"]);
    let mut raw = rkv.raw();
    assert_eq!(raw.call(&["DEBUG", "QUICKLIST-PACKED-THRESHOLD", "100b"]), "+OK\r\n");
    let (big, small) = ("z".repeat(500), "s");
    raw.call(&["RPUSH", "l", small, &big, &big, small]);
    assert_eq!(raw.call(&["DEBUG", "QUICKLIST", "l", "1"]), "+Quicklist structure printed on stdout\r\n");
    let log = rkv.log_text();
    assert!(log.contains("4 entries in 4 nodes, fill -2, compress depth 1, plain from 100 bytes"), "{log}");
    assert!(log.contains("node 0: packed, 1 entries, 3 bytes, raw"), "{log}");
    assert!(log.contains("node 1: plain, 1 entries, 500 bytes, compressed to"), "{log}");
    assert!(log.contains(&format!("  \"{}\"... (500 bytes)", "z".repeat(64))), "{log}");
    assert_eq!(raw.call(&["OBJECT", "ENCODING", "l"]), "$9\r\nquicklist\r\n");
    raw.call(&["HSET", "h", "field", "value"]);
    assert_eq!(raw.call(&["DEBUG", "LISTPACK", "h"]), "+Listpack structure printed on stdout\r\n");
    assert!(rkv.log_text().contains("  \"field\" \"value\""));
    raw.call(&["DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0"]);
}

#[test]
fn listpack_and_quicklist_replies_match_redis() {
    let Some((rkv, redis)) = pair(&[]) else { return };
    same(
        &mut rkv.raw(),
        &mut redis.raw(),
        &[
            &["RPUSH", "l", "a", "1"],
            &["HSET", "h", "f", "v"],
            &["ZADD", "z", "1", "m"],
            &["SET", "s", "x"],
            &["SADD", "set", "m"],
            &["DEBUG", "QUICKLIST", "l"],
            &["DEBUG", "QUICKLIST", "l", "1"],
            &["DEBUG", "QUICKLIST", "l", "x"],
            &["DEBUG", "QUICKLIST", "h"],
            &["DEBUG", "QUICKLIST", "nokey"],
            &["DEBUG", "QUICKLIST", "l", "1", "2"],
            &["DEBUG", "LISTPACK", "h"],
            &["DEBUG", "LISTPACK", "z"],
            &["DEBUG", "LISTPACK", "l"],
            &["DEBUG", "LISTPACK", "s"],
            &["DEBUG", "LISTPACK", "set"],
            &["DEBUG", "LISTPACK", "nokey"],
            &["DEBUG", "LISTPACK", "h", "1"],
        ],
    );
}

#[test]
fn htstats_errors_and_empty_tables_match_redis() {
    let Some((rkv, redis)) = pair(&[]) else { return };
    let commands: &[&[&str]] = &[
        &["DEBUG", "HTSTATS", "0"],
        &["DEBUG", "HTSTATS", "15"],
        &["DEBUG", "HTSTATS", "16"],
        &["DEBUG", "HTSTATS", "-1"],
        &["DEBUG", "HTSTATS", "x"],
        &["DEBUG", "HTSTATS", "0", "full"],
        &["DEBUG", "HTSTATS-KEY", "nokey"],
        &["SET", "s", "x"],
        &["RPUSH", "l", "a"],
        &["SADD", "ints", "1", "2"],
        &["HSET", "h", "f", "v"],
        &["ZADD", "z", "1", "m"],
        &["DEBUG", "HTSTATS-KEY", "s"],
        &["DEBUG", "HTSTATS-KEY", "l"],
        &["DEBUG", "HTSTATS-KEY", "ints"],
        &["DEBUG", "HTSTATS-KEY", "h"],
        &["DEBUG", "HTSTATS-KEY", "z"],
        &["DEBUG", "HTSTATS-KEY", "s", "full"],
        &["DEBUG", "HTSTATS", "1"],
    ];
    same(&mut rkv.raw(), &mut redis.raw(), commands);
    // RESP3: a verbatim string of type txt.
    let (mut ours, mut theirs) = (rkv.raw(), redis.raw());
    ours.call(&["HELLO", "3"]);
    theirs.call(&["HELLO", "3"]);
    same(&mut ours, &mut theirs, &[&["DEBUG", "HTSTATS", "2"]]);
}

/// One table's numbers, read with the regular expressions Redis's suite uses.
#[derive(Debug, PartialEq)]
struct Table {
    size: u64,
    elements: u64,
    slots: u64,
    max_chain: u64,
    /// (chain length, buckets) of the distribution.
    chains: Vec<(u64, u64)>,
}

/// The tables of a `dictGetStats` text (from a `$` or `=` reply), main table first.
fn tables(reply: &str) -> Vec<Table> {
    let number = |line: &str, label: &str| line.strip_prefix(label).and_then(|n| n.trim().parse().ok());
    let mut out: Vec<Table> = Vec::new();
    for line in reply.lines() {
        if line.starts_with("Hash table ") {
            out.push(Table { size: 0, elements: 0, slots: 0, max_chain: 0, chains: Vec::new() });
        }
        let Some(table) = out.last_mut() else { continue };
        if let Some(n) = number(line, " table size:") {
            table.size = n;
        } else if let Some(n) = number(line, " number of elements:") {
            table.elements = n;
        } else if let Some(n) = number(line, " different slots:") {
            table.slots = n;
        } else if let Some(n) = number(line, " max chain length:") {
            table.max_chain = n;
        } else if let Some((len, rest)) = line.trim_start().split_once(": ") {
            let buckets = rest.split(' ').next().and_then(|n| n.parse().ok());
            if let (Ok(len), Some(buckets)) = (len.parse(), buckets) {
                table.chains.push((len, buckets));
            }
        }
    }
    out
}

/// What does not depend on the hash function: each table's size and element count.
fn sizes(reply: &str) -> Vec<(u64, u64)> {
    tables(reply).iter().map(|t| (t.size, t.elements)).collect()
}

/// The distribution agrees with the summary lines.
fn assert_consistent(reply: &str) {
    for t in tables(reply) {
        if t.elements == 0 {
            continue;
        }
        assert_eq!(t.chains.iter().map(|(_, n)| n).sum::<u64>(), t.size, "{reply}");
        assert_eq!(t.chains.iter().map(|(len, n)| len * n).sum::<u64>(), t.elements, "{reply}");
        assert_eq!(t.size - t.slots, t.chains.iter().find(|c| c.0 == 0).map_or(0, |c| c.1), "{reply}");
        assert_eq!(t.chains.last().map(|c| c.0), Some(t.max_chain), "{reply}");
    }
}

/// Issues `command` until the stats reply `stats` shows no resize in progress.
fn finish_rehash(conn: &mut Raw, stats: &[&str], command: &[&str]) {
    for _ in 0..1000 {
        if !conn.call(stats).contains("rehashing target") {
            return;
        }
        conn.call(command);
    }
    panic!("{stats:?} still rehashing");
}

#[test]
fn htstats_sizes_match_redis_after_known_inserts() {
    let Some((rkv, redis)) = pair(&[]) else { return };
    for conn in [&mut rkv.raw(), &mut redis.raw()] {
        for i in 0..100 {
            conn.call(&["SET", &format!("key:{i}"), "v"]);
            conn.call(&["SADD", "set", &format!("m:{i}")]);
        }
        for i in 0..30 {
            conn.call(&["EXPIRE", &format!("key:{i}"), "1000"]);
        }
        for i in 0..200 {
            conn.call(&["HSET", "hash", &format!("f:{i}"), "v"]);
            conn.call(&["ZADD", "zset", &i.to_string(), &format!("m:{i}")]);
        }
        finish_rehash(conn, &["DEBUG", "HTSTATS-KEY", "set"], &["SREM", "set", "absent"]);
        finish_rehash(conn, &["DEBUG", "HTSTATS-KEY", "hash"], &["HDEL", "hash", "absent"]);
        finish_rehash(conn, &["DEBUG", "HTSTATS-KEY", "zset"], &["ZREM", "zset", "absent"]);
        // The server's cron finishes the keyspace's resizes.
        finish_rehash(conn, &["DEBUG", "HTSTATS", "0"], &["PING"]);
    }
    let (mut ours, mut theirs) = (rkv.raw(), redis.raw());
    for stats in
        [&["DEBUG", "HTSTATS-KEY", "set"][..], &["DEBUG", "HTSTATS-KEY", "hash"], &["DEBUG", "HTSTATS-KEY", "zset"]]
    {
        let (a, b) = (ours.call(stats), theirs.call(stats));
        assert_eq!(sizes(&a), sizes(&b), "{stats:?}:\n{a}\n{b}");
        assert_consistent(&a);
    }
    assert_eq!(sizes(&ours.call(&["DEBUG", "HTSTATS-KEY", "set"])), [(128, 100)]);
    let (a, b) = (ours.call(&["DEBUG", "HTSTATS", "0"]), theirs.call(&["DEBUG", "HTSTATS", "0"]));
    assert_eq!(sizes(&a), [(128, 103), (32, 30)], "keys, then expires:\n{a}");
    assert_eq!(sizes(&a), sizes(&b), "{a}\n{b}");
    assert_consistent(&a);
}

/// A resize in progress shows as the "rehashing target" the suite's `is_rehashing` looks for.
#[test]
fn a_resize_in_progress_shows_its_target_table_as_in_redis() {
    let Some((rkv, redis)) = pair(&[]) else { return };
    let (mut ours, mut theirs) = (rkv.raw(), redis.raw());
    for conn in [&mut ours, &mut theirs] {
        // The 65th member finds 64 buckets full: the table starts doubling, the member goes to
        // the new table, and no later write moves anything yet.
        for i in 0..65 {
            conn.call(&["SADD", "set", &format!("m:{i}")]);
        }
    }
    let (a, b) = (ours.call(&["DEBUG", "HTSTATS-KEY", "set"]), theirs.call(&["DEBUG", "HTSTATS-KEY", "set"]));
    assert!(a.contains("Hash table 1 stats (rehashing target):"), "{a}");
    assert_eq!(sizes(&a), [(64, 64), (128, 1)]);
    assert_eq!(sizes(&a), sizes(&b), "{a}\n{b}");
    assert_consistent(&a);
}
