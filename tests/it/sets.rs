//! Set commands, compared reply by reply with the real redis-server. Intset-encoded sets reply in
//! ascending order, so their replies are compared byte for byte; hashtable sets reply in hash
//! order, so those replies are compared as sorted lists of lines (same header, same members).

use crate::support::{Server, have, same_replies, same_replies_resp3};

/// Runs `setup` then `query` on both servers; asserts the query replies hold the same lines
/// in any order (for hashtable-encoded results).
fn same_members(setup: &[&[&str]], queries: &[&[&str]]) {
    if !have("redis-server") {
        return;
    }
    let rkv = Server::start(&[]);
    let redis = Server::start_redis(&[]);
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    for cmd in setup {
        assert_eq!(a.call(cmd), b.call(cmd), "command {cmd:?}");
    }
    for cmd in queries {
        let (x, y) = (a.call(cmd), b.call(cmd));
        let sorted = |s: &str| {
            let mut lines: Vec<String> = s.split("\r\n").map(str::to_owned).collect();
            lines.sort();
            lines
        };
        assert_eq!(sorted(&x), sorted(&y), "command {cmd:?}: {x:?} vs {y:?}");
    }
}

#[test]
fn basic_commands_and_errors_match_redis() {
    same_replies(&[
        &["SADD", "s", "3", "1", "2", "1"],
        &["SADD", "s", "2"],
        &["SMEMBERS", "s"],
        &["SCARD", "s"],
        &["SCARD", "nokey"],
        &["SISMEMBER", "s", "2"],
        &["SISMEMBER", "s", "02"],
        &["SISMEMBER", "nokey", "2"],
        &["SMISMEMBER", "s", "1", "9", "x"],
        &["SMISMEMBER", "nokey", "1"],
        &["OBJECT", "ENCODING", "s"],
        &["TYPE", "s"],
        &["SREM", "s", "1", "9"],
        &["SREM", "nokey", "1"],
        &["SREM", "s", "2", "3"],
        &["EXISTS", "s"],
        &["SET", "str", "x"],
        &["SADD", "str", "1"],
        &["SREM", "str", "1"],
        &["SMEMBERS", "str"],
        &["SISMEMBER", "str", "1"],
        &["SMISMEMBER", "str", "1"],
        &["SCARD", "str"],
        &["SPOP", "str"],
        &["SRANDMEMBER", "str"],
        &["SSCAN", "str", "0"],
        &["GET", "str"],
        &["SADD", "s"],
        &["SMISMEMBER", "s"],
        &["SMEMBERS", "nokey"],
        &["SADD", "k", "a"],
        &["GET", "k"],
        &["SET", "k", "v", "GET"],
        &["SET", "k", "v"],
        &["GET", "k"],
    ]);
}

#[test]
fn encodings_convert_like_redis() {
    same_replies(&[
        &["CONFIG", "SET", "set-max-intset-entries", "3"],
        &["SADD", "s", "1", "2", "3"],
        &["OBJECT", "ENCODING", "s"],
        &["SADD", "s", "4"],
        &["OBJECT", "ENCODING", "s"],
        &["SREM", "s", "4"],
        &["OBJECT", "ENCODING", "s"],
        &["SADD", "t", "1", "-5"],
        &["OBJECT", "ENCODING", "t"],
        &["SADD", "t", "a"],
        &["OBJECT", "ENCODING", "t"],
        &["SADD", "u", "x"],
        &["OBJECT", "ENCODING", "u"],
        &["SADD", "v", "007"],
        &["OBJECT", "ENCODING", "v"],
        &["SADD", "w", "-9223372036854775808", "9223372036854775807"],
        &["SMEMBERS", "w"],
        &["OBJECT", "ENCODING", "w"],
        &["CONFIG", "GET", "set-max-intset-entries"],
    ]);
    let server = Server::start(&["--set-max-intset-entries", "512"]);
    let mut c = server.raw();
    let members: Vec<String> = (0..513).map(|i| i.to_string()).collect();
    let mut cmd = vec!["SADD", "big"];
    cmd.extend(members.iter().take(512).map(String::as_str));
    assert_eq!(c.call(&cmd), ":512\r\n");
    assert_eq!(c.call(&["OBJECT", "ENCODING", "big"]), "$6\r\nintset\r\n");
    assert_eq!(c.call(&["SADD", "big", "512"]), ":1\r\n");
    assert_eq!(c.call(&["OBJECT", "ENCODING", "big"]), "$9\r\nhashtable\r\n");
}

#[test]
fn algebra_matches_redis() {
    let setup: &[&[&str]] = &[
        &["SADD", "a", "1", "2", "3", "4"],
        &["SADD", "b", "3", "4", "5"],
        &["SADD", "c", "4", "5", "6"],
        &["SET", "str", "x"],
    ];
    let mut all: Vec<&[&str]> = setup.to_vec();
    all.extend_from_slice(&[
        &["SINTER", "a", "b"],
        &["SINTER", "a", "b", "c"],
        &["SINTER", "a", "nokey", "str"],
        &["SINTER", "a", "str", "nokey"],
        &["SUNION", "a", "b", "nokey"],
        &["SUNION", "a", "nokey", "str"],
        &["SDIFF", "a", "b"],
        &["SDIFF", "a", "b", "c"],
        &["SDIFF", "nokey", "a"],
        &["SDIFF", "a", "str"],
        &["SINTERSTORE", "d", "a", "b"],
        &["SMEMBERS", "d"],
        &["OBJECT", "ENCODING", "d"],
        &["SINTERSTORE", "d", "a", "nokey"],
        &["EXISTS", "d"],
        &["SINTERSTORE", "d", "a", "str"],
        &["SUNIONSTORE", "d", "a", "c"],
        &["SMEMBERS", "d"],
        &["SUNIONSTORE", "d", "nokey"],
        &["EXISTS", "d"],
        &["SUNIONSTORE", "d", "a", "str"],
        &["SDIFFSTORE", "d", "a", "b"],
        &["SMEMBERS", "d"],
        &["SET", "d", "x", "EX", "100"],
        &["SDIFFSTORE", "d", "a", "c"],
        &["TTL", "d"],
        &["SDIFFSTORE", "d", "a", "a"],
        &["EXISTS", "d"],
        &["SDIFFSTORE", "d", "str"],
        &["SINTERCARD", "2", "a", "b"],
        &["SINTERCARD", "1", "a", "LIMIT", "2"],
        &["SINTERCARD", "1", "a", "LIMIT", "0"],
        &["SINTERCARD", "2", "a", "nokey"],
        &["SINTERCARD", "2", "a", "str"],
        &["SINTERCARD", "0", "a"],
        &["SINTERCARD", "x", "a"],
        &["SINTERCARD", "3", "a"],
        &["SINTERCARD", "1", "a", "LIMIT", "-1"],
        &["SINTERCARD", "1", "a", "LIMIT"],
        &["SINTERCARD", "1", "a", "FOO", "1"],
        &["SINTERCARD", "1", "a", "limit", "1", "LIMIT", "3"],
        &["SMOVE", "a", "b", "1"],
        &["SMOVE", "a", "b", "9"],
        &["SMOVE", "nokey", "str", "1"],
        &["SMOVE", "a", "str", "2"],
        &["SMOVE", "str", "a", "2"],
        &["SMOVE", "a", "a", "2"],
        &["SMOVE", "a", "a", "9"],
        &["SMOVE", "a", "new", "2"],
        &["SMEMBERS", "a"],
        &["SMEMBERS", "b"],
        &["SMEMBERS", "new"],
        &["SMOVE", "new", "a", "2"],
        &["EXISTS", "new"],
    ]);
    same_replies(&all);
    same_replies_resp3(&all);
}

#[test]
fn hashtable_sets_match_redis_as_sorted_members() {
    same_members(
        &[&["SADD", "a", "x", "y", "z", "1"], &["SADD", "b", "y", "z", "w"]],
        &[
            &["SMEMBERS", "a"],
            &["SINTER", "a", "b"],
            &["SUNION", "a", "b"],
            &["SDIFF", "a", "b"],
            &["SSCAN", "a", "0"],
            &["SSCAN", "a", "0", "MATCH", "[xy]", "COUNT", "100"],
            &["SINTERSTORE", "c", "a", "b"],
            &["SMEMBERS", "c"],
            &["OBJECT", "ENCODING", "c"],
        ],
    );
}

#[test]
fn scan_and_random_errors_match_redis() {
    same_replies(&[
        &["SADD", "s", "1", "2", "3"],
        &["SSCAN", "s", "0"],
        &["SSCAN", "s", "0", "MATCH", "2"],
        &["SSCAN", "s", "x"],
        &["SSCAN", "s", "0", "COUNT", "0"],
        &["SSCAN", "s", "0", "TYPE", "set"],
        &["SSCAN", "nokey", "0", "COUNT", "0"],
        &["SPOP", "s", "-1"],
        &["SPOP", "s", "x"],
        &["SPOP", "s", "1", "2"],
        &["SPOP", "s", "0"],
        &["SPOP", "nokey"],
        &["SPOP", "nokey", "2"],
        &["SRANDMEMBER", "s", "-9223372036854775808"],
        &["SRANDMEMBER", "s", "x"],
        &["SRANDMEMBER", "s", "1", "2"],
        &["SRANDMEMBER", "s", "0"],
        &["SRANDMEMBER", "s", "3"],
        &["SRANDMEMBER", "s", "30"],
        &["SRANDMEMBER", "nokey"],
        &["SRANDMEMBER", "nokey", "2"],
        &["SPOP", "s", "3"],
        &["EXISTS", "s"],
    ]);
    same_replies_resp3(&[
        &["SADD", "s", "1", "2", "3"],
        &["SMEMBERS", "s"],
        &["SRANDMEMBER", "s", "5"],
        &["SPOP", "s", "0"],
        &["SPOP", "nokey", "2"],
        &["SRANDMEMBER", "nokey", "2"],
        &["SPOP", "s", "5"],
    ]);
}

/// Members of an array reply of bulk strings.
fn bulk_items(reply: &str) -> Vec<String> {
    reply.split("\r\n").skip(1).filter(|l| !l.starts_with('$') && !l.is_empty()).map(str::to_owned).collect()
}

#[test]
fn random_commands_respect_counts_and_membership() {
    let server = Server::start(&[]);
    let mut c = server.raw();
    c.call(&["SADD", "s", "a", "b", "c", "d", "e"]);
    let all = ["a", "b", "c", "d", "e"];
    let distinct = bulk_items(&c.call(&["SRANDMEMBER", "s", "3"]));
    let mut dedup = distinct.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!((distinct.len(), dedup.len()), (3, 3));
    let repeated = bulk_items(&c.call(&["SRANDMEMBER", "s", "-20"]));
    assert_eq!(repeated.len(), 20);
    assert!(repeated.iter().chain(&distinct).all(|m| all.contains(&m.as_str())));
    let one = bulk_items(&c.call(&["SRANDMEMBER", "s"]).replace("$1", "*1"));
    assert!(all.contains(&one[0].as_str()));
    let popped = bulk_items(&c.call(&["SPOP", "s", "2"]));
    assert_eq!(popped.len(), 2);
    assert_eq!(c.call(&["SCARD", "s"]), ":3\r\n");
    for m in &popped {
        assert_eq!(c.call(&["SISMEMBER", "s", m]), ":0\r\n");
    }
    let rest = bulk_items(&c.call(&["SPOP", "s", "10"]));
    assert_eq!(rest.len(), 3);
    assert_eq!(c.call(&["EXISTS", "s"]), ":0\r\n");
}

#[test]
fn writes_break_watch() {
    let server = Server::start(&[]);
    let (mut a, mut b) = (server.raw(), server.raw());
    a.call(&["SADD", "s", "1"]);
    a.call(&["WATCH", "s"]);
    b.call(&["SADD", "s", "2"]);
    a.call(&["MULTI"]);
    a.call(&["PING"]);
    assert_eq!(a.call(&["EXEC"]), "*-1\r\n");
    a.call(&["WATCH", "s"]);
    b.call(&["SADD", "s", "2"]);
    b.call(&["SREM", "s", "9"]);
    a.call(&["MULTI"]);
    a.call(&["PING"]);
    assert_eq!(a.call(&["EXEC"]), "*1\r\n+PONG\r\n");
}

#[test]
fn srandmember_draws_distinct_members_from_big_sets() {
    let server = Server::start(&[]);
    let mut c = server.raw();
    let members: Vec<String> = (0..200).map(|i| format!("m{i}")).collect();
    let mut cmd = vec!["SADD", "big"];
    cmd.extend(members.iter().map(String::as_str));
    assert_eq!(c.call(&cmd), ":200\r\n");
    for count in ["5", "60", "70", "199", "200"] {
        let mut got = bulk_items(&c.call(&["SRANDMEMBER", "big", count]));
        assert_eq!(got.len().to_string(), count);
        assert!(got.iter().all(|m| members.contains(m)));
        got.sort();
        got.dedup();
        assert_eq!(got.len().to_string(), count, "distinct for {count}");
    }
}

#[test]
fn sscan_walks_a_hashtable_set_completely() {
    let server = Server::start(&[]);
    let mut c = server.raw();
    let members: Vec<String> = (0..300).map(|i| format!("m{i}")).collect();
    let mut cmd = vec!["SADD", "big"];
    cmd.extend(members.iter().map(String::as_str));
    c.call(&cmd);
    let mut seen = std::collections::BTreeSet::new();
    let mut cursor = "0".to_owned();
    for _ in 0..1000 {
        let reply = c.call(&["SSCAN", "big", &cursor, "COUNT", "7"]);
        let lines: Vec<&str> = reply.split("\r\n").collect();
        cursor = lines.get(2).copied().unwrap_or("0").to_owned();
        seen.extend(lines.iter().skip(4).filter(|l| l.starts_with('m')).map(|l| (*l).to_owned()));
        if cursor == "0" {
            break;
        }
    }
    assert_eq!(cursor, "0");
    assert_eq!(seen.len(), 300);
}

#[test]
fn memory_usage_grows_with_the_set() {
    let server = Server::start(&[]);
    let mut c = server.raw();
    let usage = |c: &mut crate::support::Raw| {
        c.call(&["MEMORY", "USAGE", "s"]).trim_start_matches(':').trim().parse::<u64>().unwrap_or(0)
    };
    c.call(&["SADD", "s", "1", "2", "3"]);
    let small = usage(&mut c);
    c.call(&["SADD", "s", "a-longer-member-than-an-integer"]);
    let converted = usage(&mut c);
    assert!(small > 0 && converted > small, "{small} {converted}");
}
