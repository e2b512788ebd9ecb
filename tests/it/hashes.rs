//! Hash commands, compared reply by reply with the real redis-server. Listings of small hashes
//! are compared byte for byte (a `listpack` keeps insertion order in both servers); listings of
//! `hashtable`-encoded hashes are compared as sets.

use std::collections::{BTreeMap, BTreeSet};

use crate::support::{Server, have, same_dirty_counts, same_replies, same_replies_resp3};

/// Commands covering every hash command on small (`listpack`) hashes, errors included.
const FAMILY: &[&[&str]] = &[
    &["HSET", "h", "a", "1", "b", "2", "c", "3"],
    &["HSET", "h", "a", "9", "d", "4"],
    &["HSET", "h", "a"],
    &["HSET", "h"],
    &["HSETNX", "h", "a", "5"],
    &["HSETNX", "h", "e", "5"],
    &["HSETNX", "new", "f", "v"],
    &["HMSET", "h", "x", "1", "y", "2"],
    &["HMSET", "h", "x"],
    &["HGETALL", "h"],
    &["HKEYS", "h"],
    &["HVALS", "h"],
    &["HGETALL", "nokey"],
    &["HKEYS", "nokey"],
    &["HVALS", "nokey"],
    &["HMGET", "h", "a", "zz", "d"],
    &["HMGET", "nokey", "a", "b"],
    &["HGET", "h", "a"],
    &["HGET", "h", "zz"],
    &["HGET", "nokey", "a"],
    &["HEXISTS", "h", "a"],
    &["HEXISTS", "h", "zz"],
    &["HEXISTS", "nokey", "a"],
    &["HLEN", "h"],
    &["HLEN", "nokey"],
    &["HSTRLEN", "h", "a"],
    &["HSTRLEN", "h", "zz"],
    &["HSTRLEN", "nokey", "zz"],
    &["HDEL", "h", "a", "zz", "a"],
    &["HDEL", "nokey", "a"],
    &["HGETALL", "h"],
    &["HDEL", "h", "b", "c", "d", "e", "x", "y"],
    &["EXISTS", "h"],
    &["HINCRBY", "n", "i", "5"],
    &["HINCRBY", "n", "i", "-10"],
    &["HINCRBY", "n", "i", "x"],
    &["HINCRBY", "n", "i", "9223372036854775807"],
    &["HINCRBY", "n", "i", "-9223372036854775803"],
    &["HINCRBY", "n", "i", "-1"],
    &["HSET", "n", "s", "abc", "sp", " 1"],
    &["HINCRBY", "n", "s", "1"],
    &["HINCRBY", "n", "sp", "1"],
    &["HINCRBYFLOAT", "n", "s", "1"],
    &["HINCRBYFLOAT", "n", "i", "1.5"],
    &["HINCRBY", "n", "i", "1"],
    &["HINCRBYFLOAT", "n", "f", "inf"],
    &["HINCRBYFLOAT", "n", "f", "nan"],
    &["HINCRBYFLOAT", "n", "f", "x"],
    &["HINCRBYFLOAT", "nokey2", "f", "x"],
    &["EXISTS", "nokey2"],
    &["HGETALL", "n"],
    &["HSCAN", "n", "0"],
    &["HSCAN", "n", "0", "MATCH", "s*"],
    &["HSCAN", "n", "0", "COUNT", "1"],
    &["HSCAN", "n", "0", "COUNT", "0"],
    &["HSCAN", "n", "0", "COUNT", "x"],
    &["HSCAN", "n", "0", "TYPE", "string"],
    &["HSCAN", "n", "0", "MATCH"],
    &["HSCAN", "n", "x"],
    &["HSCAN", "n", "-1"],
    &["HSCAN", "nokey", "0", "bad"],
    &["HSCAN", "nokey", "x"],
    &["HRANDFIELD", "nokey"],
    &["HRANDFIELD", "nokey", "3"],
    &["HRANDFIELD", "nokey", "3", "WITHVALUES"],
    &["HRANDFIELD", "nokey", "0", "x"],
    &["HRANDFIELD", "n", "100"],
    &["HRANDFIELD", "n", "4", "withvalues"],
    &["HRANDFIELD", "n", "0"],
    &["HRANDFIELD", "n", "0", "WITHVALUES"],
    &["HRANDFIELD", "n", "x"],
    &["HRANDFIELD", "n", "1", "WITHVALUE"],
    &["HRANDFIELD", "n", "1", "WITHVALUES", "x"],
    &["HRANDFIELD", "n", "9223372036854775807"],
    &["HRANDFIELD", "n", "-9223372036854775808"],
    &["HRANDFIELD", "n", "9223372036854775807", "WITHVALUES"],
    &["HRANDFIELD", "n", "-4611686018427387904", "WITHVALUES"],
    &["HRANDFIELD", "n", "x", "WITHVALUES"],
    &["TYPE", "n"],
    &["OBJECT", "ENCODING", "n"],
];

#[test]
fn hash_family_matches_redis() {
    same_replies(FAMILY);
}

#[test]
fn hash_family_matches_redis_resp3() {
    same_replies_resp3(FAMILY);
}

#[test]
fn wrong_type_everywhere() {
    same_replies(&[
        &["SET", "s", "v"],
        &["HSET", "s", "a", "1"],
        &["HSETNX", "s", "a", "1"],
        &["HMSET", "s", "a", "1"],
        &["HGET", "s", "a"],
        &["HMGET", "s", "a"],
        &["HGETALL", "s"],
        &["HKEYS", "s"],
        &["HVALS", "s"],
        &["HDEL", "s", "a"],
        &["HEXISTS", "s", "a"],
        &["HLEN", "s"],
        &["HSTRLEN", "s", "a"],
        &["HINCRBY", "s", "a", "1"],
        &["HINCRBYFLOAT", "s", "a", "1"],
        &["HRANDFIELD", "s"],
        &["HRANDFIELD", "s", "0"],
        &["HSCAN", "s", "0"],
        &["HSET", "h", "a", "1"],
        &["GET", "h"],
        &["STRLEN", "h"],
        &["APPEND", "h", "x"],
        &["INCR", "h"],
        &["SET", "h", "v", "GET"],
        &["GETSET", "h", "v"],
        &["GETDEL", "h"],
        &["GETEX", "h", "EX", "10"],
        &["GETRANGE", "h", "0", "-1"],
        &["SUBSTR", "h", "0", "-1"],
        &["SETRANGE", "h", "0", "x"],
        &["INCRBY", "h", "1"],
        &["DECR", "h"],
        &["DECRBY", "h", "1"],
        &["INCRBYFLOAT", "h", "1"],
        &["MGET", "h", "s"],
        &["LCS", "h", "s"],
        &["SETNX", "h", "v"],
        &["MSETNX", "h", "v"],
        &["HGET", "h", "a"],
        &["TYPE", "h"],
        &["SET", "h", "v"],
        &["TYPE", "h"],
    ]);
}

#[test]
fn encoding_converts_at_the_thresholds() {
    let long64 = "x".repeat(64);
    let long65 = "x".repeat(65);
    same_replies(&[
        &["CONFIG", "SET", "hash-max-listpack-entries", "3"],
        &["HSET", "h", "a", "1", "b", "2", "c", "3"],
        &["OBJECT", "ENCODING", "h"],
        &["HSET", "h", "a", "10"],
        &["OBJECT", "ENCODING", "h"],
        &["HSET", "h", "d", "4"],
        &["OBJECT", "ENCODING", "h"],
        &["HDEL", "h", "a", "b", "c"],
        &["OBJECT", "ENCODING", "h"],
        &["HSET", "dup", "a", "1", "a", "2", "a", "3", "a", "4"],
        &["OBJECT", "ENCODING", "dup"],
        &["HSET", "v", "f", &long64],
        &["OBJECT", "ENCODING", "v"],
        &["HSET", "v", "g", &long65],
        &["OBJECT", "ENCODING", "v"],
        &["HSET", "k", &long65, "1"],
        &["OBJECT", "ENCODING", "k"],
        &["HSETNX", "nx", "f", &long65],
        &["OBJECT", "ENCODING", "nx"],
        &["HSET", "inc", "f", "1"],
        &["HINCRBYFLOAT", "inc", "f", "0.1"],
        &["OBJECT", "ENCODING", "inc"],
        &["CONFIG", "SET", "hash-max-listpack-value", "2"],
        &["HINCRBY", "inc2", "f", "100"],
        &["OBJECT", "ENCODING", "inc2"],
        &["CONFIG", "SET", "hash-max-listpack-entries", "0"],
        &["HSET", "zero", "a", "1"],
        &["OBJECT", "ENCODING", "zero"],
        &["CONFIG", "SET", "hash-max-ziplist-entries", "7"],
        &["CONFIG", "GET", "hash-max-listpack-entries"],
    ]);
}

/// Integer-looking fields and values are stored as integers in a listpack (Redis does the same):
/// they must read back as the same bytes and never match a non-canonical spelling.
#[test]
fn integer_like_fields_and_values_read_back_exactly() {
    same_replies(&[
        &["HSET", "n", "1", "-1", "007", "7", "9223372036854775807", "x", "-9223372036854775808", "0"],
        &["HSET", "n", "12345678901234567890", "-0", "4096", "-4097", "", "127", "+5", "1e3"],
        &["HGETALL", "n"],
        &["HGET", "n", "7"],
        &["HGET", "n", "007"],
        &["HGET", "n", "01"],
        &["HEXISTS", "n", "-9223372036854775808"],
        &["HSTRLEN", "n", "1"],
        &["HSTRLEN", "n", "4096"],
        &["HINCRBY", "n", "1", "-9223372036854775807"],
        &["HINCRBY", "n", "007", "1"],
        &["HINCRBYFLOAT", "n", "4096", "0.5"],
        &["HDEL", "n", "7", "1", "+5"],
        &["HMGET", "n", "1", "007", "+5", "1e3", ""],
        &["HKEYS", "n"],
        &["HVALS", "n"],
        &["OBJECT", "ENCODING", "n"],
    ]);
}

/// MEMORY USAGE of `key` after `commands`, on a fresh server.
fn memory_usage(server: &Server, commands: &[Vec<String>], key: &str) -> i64 {
    let mut raw = server.raw();
    for command in commands {
        raw.call(&command.iter().map(String::as_str).collect::<Vec<_>>());
    }
    let reply = raw.call(&["MEMORY", "USAGE", key, "SAMPLES", "0"]);
    reply.trim().trim_start_matches(':').parse().unwrap_or(-1)
}

/// A small hash costs the listpack's bytes plus its key's node: close to Redis (which keeps the
/// same listpack behind a 16-byte object), nowhere near a vector of inline string pairs.
#[test]
fn small_hashes_use_about_what_redis_uses() {
    let (rkv, redis) = (Server::start(&[]), Server::start_redis(&[]));
    for fields in [1, 10, 100] {
        let mut hset = vec!["HSET".to_owned(), "h:000000000001".to_owned()];
        for i in 0..fields {
            hset.extend([format!("f{i}"), format!("v{i:07}")]);
        }
        let commands = [vec!["DEL".to_owned(), "h:000000000001".to_owned()], hset];
        let ours = memory_usage(&rkv, &commands, "h:000000000001");
        let theirs = memory_usage(&redis, &commands, "h:000000000001");
        assert!(theirs > 0 && ours > 0, "{fields} fields: {ours} vs {theirs}");
        // The key's node (64 bytes) and a 4-byte entry count against Redis's dict entry, key and
        // object, and its listpack header.
        assert!(ours <= theirs + 64, "{fields} fields: rkv {ours} bytes, redis {theirs}");
    }
}

#[test]
fn lowered_limits_apply_at_the_next_write() {
    same_replies(&[
        &["HSET", "h", "a", "1", "b", "2", "c", "3"],
        &["CONFIG", "SET", "hash-max-listpack-entries", "1"],
        &["OBJECT", "ENCODING", "h"],
        &["HDEL", "h", "c"],
        &["OBJECT", "ENCODING", "h"],
        &["HSETNX", "h", "a", "2"],
        &["OBJECT", "ENCODING", "h"],
        &["HSET", "h", "a", "5"],
        &["OBJECT", "ENCODING", "h"],
        &["HSET", "g", "a", "1", "b", "2"],
        &["CONFIG", "SET", "hash-max-listpack-entries", "512"],
        &["CONFIG", "SET", "hash-max-listpack-value", "1"],
        &["HINCRBY", "g", "a", "10"],
        &["OBJECT", "ENCODING", "g"],
        &["HSET", "g2", "a", "1"],
        &["HINCRBYFLOAT", "g2", "a", "0"],
        &["OBJECT", "ENCODING", "g2"],
        &["HSET", "g3", "a", "1"],
        &["HSETNX", "g3", "b", "22"],
        &["OBJECT", "ENCODING", "g3"],
    ]);
}

#[test]
fn hincrbyfloat_matches_redis_long_double_results() {
    same_replies(&[
        &["HINCRBYFLOAT", "h", "f", "10.5"],
        &["HINCRBYFLOAT", "h", "f", "0.1"],
        &["HINCRBYFLOAT", "h", "g", "0.1"],
        &["HINCRBYFLOAT", "h", "g", "0.2"],
        &["HINCRBYFLOAT", "h", "e", "5.0e3"],
        &["HINCRBYFLOAT", "h", "e", "-5000"],
        &["HINCRBYFLOAT", "h", "big", "1e300"],
        &["HINCRBYFLOAT", "h", "big", "1e300"],
        &["HINCRBYFLOAT", "h", "z", "-0"],
        &["HINCRBYFLOAT", "h", "hex", "0x10"],
        &["HINCRBYFLOAT", "h", "tiny", "1e-4940"],
        &["HINCRBYFLOAT", "h", "tiny", "1e-5000"],
        &["HSET", "h", "i", "17"],
        &["HINCRBYFLOAT", "h", "i", "0.3"],
        &["HINCRBYFLOAT", "h", "i", "3.0e3"],
        &["HSET", "h", "huge", "1e4932"],
        &["HINCRBYFLOAT", "h", "huge", "1e4932"],
        &["HINCRBYFLOAT", "h", "f", " 1"],
        &["HINCRBYFLOAT", "h", "f", ""],
        &["HGET", "h", "f"],
    ]);
}

/// Runs `commands` on `server` and returns the fields and values of hash `key`, sorted.
fn hash_as_map(server: &Server, commands: &[Vec<String>], key: &str) -> BTreeMap<String, String> {
    let mut con = server.client();
    for cmd in commands {
        let _: redis::Value = redis::cmd(&cmd[0]).arg(&cmd[1..]).query(&mut con).expect("command");
    }
    redis::cmd("HGETALL").arg(key).query(&mut con).expect("hgetall")
}

#[test]
fn hashtable_listings_hold_the_same_pairs_as_redis() {
    if !have("redis-server") {
        return;
    }
    let mut commands: Vec<Vec<String>> =
        (0..600).map(|i| vec!["HSET".into(), "h".into(), format!("f{i}"), i.to_string()]).collect();
    commands.push(vec!["HDEL".into(), "h".into(), "f7".into(), "f300".into()]);
    commands.push(vec!["HINCRBY".into(), "h".into(), "f8".into(), "100".into()]);
    let (rkv, redis) = (Server::start(&[]), Server::start_redis(&[]));
    let ours = hash_as_map(&rkv, &commands, "h");
    assert_eq!(ours.len(), 598);
    assert_eq!(ours, hash_as_map(&redis, &commands, "h"));
    let mut con = rkv.client();
    let encoding: String = redis::cmd("OBJECT").arg(&["ENCODING", "h"]).query(&mut con).unwrap();
    assert_eq!(encoding, "hashtable");
    let keys: BTreeSet<String> = redis::cmd("HKEYS").arg("h").query(&mut con).unwrap();
    assert_eq!(keys, ours.keys().cloned().collect());
    let vals: Vec<String> = redis::cmd("HVALS").arg("h").query(&mut con).unwrap();
    assert_eq!(vals.into_iter().collect::<BTreeSet<_>>(), ours.values().cloned().collect());

    // HSCAN visits every pair of a hashtable, a few per call, until the cursor returns to 0.
    let mut seen = BTreeMap::new();
    let mut cursor = 0u64;
    for _ in 0..1000 {
        let (next, pairs): (u64, Vec<(String, String)>) =
            redis::cmd("HSCAN").arg("h").arg(cursor).query(&mut con).unwrap();
        assert!(pairs.len() < 100, "a hashtable is scanned in steps");
        seen.extend(pairs);
        cursor = next;
        if cursor == 0 {
            break;
        }
    }
    assert_eq!((cursor, seen), (0, ours.clone()));

    // HRANDFIELD: distinct fields for a positive count, repeats allowed for a negative one.
    let picked: Vec<String> = redis::cmd("HRANDFIELD").arg(&["h", "50"]).query(&mut con).unwrap();
    assert_eq!(picked.iter().collect::<BTreeSet<_>>().len(), 50);
    assert!(picked.iter().all(|f| ours.contains_key(f)));
    let repeated: Vec<String> = redis::cmd("HRANDFIELD").arg(&["h", "-1000"]).query(&mut con).unwrap();
    assert_eq!(repeated.len(), 1000);
    let pairs: Vec<(String, String)> =
        redis::cmd("HRANDFIELD").arg(&["h", "-5", "WITHVALUES"]).query(&mut con).unwrap();
    assert!(pairs.iter().all(|(f, v)| ours.get(f) == Some(v)));
    let one: String = redis::cmd("HRANDFIELD").arg("h").query(&mut con).unwrap();
    assert!(ours.contains_key(&one));
}

#[test]
fn random_fields_of_small_hashes() {
    let server = Server::start(&[]);
    let mut raw = server.raw();
    raw.call(&["HSET", "h", "a", "1", "b", "2", "c", "3"]);
    let reply = raw.call(&["HRANDFIELD", "h", "-5", "WITHVALUES"]);
    assert!(reply.starts_with("*10\r\n"), "{reply}");
    let reply = raw.call(&["HRANDFIELD", "h", "2"]);
    assert!(reply.starts_with("*2\r\n"), "{reply}");
    raw.call(&["HELLO", "3"]);
    let reply = raw.call(&["HRANDFIELD", "h", "-2", "WITHVALUES"]);
    assert!(reply.starts_with("*2\r\n*2\r\n$1\r\n"), "{reply}");
}

#[test]
fn keys_commands_move_hashes() {
    same_replies(&[
        &["HSET", "h", "a", "1", "b", "2"],
        &["COPY", "h", "c"],
        &["HGETALL", "c"],
        &["HSET", "c", "a", "changed"],
        &["HGET", "h", "a"],
        &["RENAME", "c", "r"],
        &["HGETALL", "r"],
        &["MOVE", "r", "1"],
        &["SELECT", "1"],
        &["HGETALL", "r"],
        &["TYPE", "r"],
        &["OBJECT", "ENCODING", "r"],
        &["SELECT", "0"],
        &["SCAN", "0", "TYPE", "hash"],
        &["DEL", "h"],
        &["EXISTS", "h"],
    ]);
    let server = Server::start(&[]);
    let mut raw = server.raw();
    raw.call(&["HSET", "h", "a", "1"]);
    let small: usize = raw.call(&["MEMORY", "USAGE", "h"]).trim_start_matches(':').trim().parse().unwrap();
    let long = "x".repeat(1000);
    raw.call(&["HSET", "h", "b", &long]);
    let big: usize = raw.call(&["MEMORY", "USAGE", "h"]).trim_start_matches(':').trim().parse().unwrap();
    assert!((50..512).contains(&small) && big > 1000 + 64, "{small} {big}");
}

/// WATCH sees real changes only: no-op HDEL and HSETNX leave a watched key untouched.
fn watch_outcomes(server: &Server) -> Vec<String> {
    let (mut watcher, mut other) = (server.raw(), server.raw());
    let mut out = Vec::new();
    watcher.call(&["HSET", "h", "a", "1"]);
    let changes: &[&[&str]] = &[
        &["HDEL", "h", "zz"],
        &["HSETNX", "h", "a", "2"],
        &["HSET", "h", "a", "1"],
        &["HINCRBY", "h", "n", "1"],
        &["HDEL", "h", "a", "n"],
    ];
    for change in changes {
        watcher.call(&["WATCH", "h"]);
        other.call(change);
        watcher.call(&["MULTI"]);
        watcher.call(&["PING"]);
        out.push(watcher.call(&["EXEC"]));
    }
    out
}

#[test]
fn watch_sees_real_changes_like_redis() {
    if !have("redis-server") {
        return;
    }
    let ours = watch_outcomes(&Server::start(&[]));
    assert_eq!(ours, watch_outcomes(&Server::start_redis(&[])));
    assert_eq!(ours[0], "*1\r\n+PONG\r\n", "a no-op HDEL must not break WATCH");
    assert_eq!(ours[2], "*-1\r\n", "HSET breaks WATCH even when the value is unchanged");
}

#[test]
fn dirty_counts_pairs_and_fields_like_redis() {
    let commands: &[&[&str]] = &[
        &["HSET", "h", "a", "1", "b", "2", "a", "3"],
        &["HMSET", "h", "c", "1"],
        &["HDEL", "h", "a", "b", "zz"],
        &["HDEL", "h", "zz"],
        &["HSETNX", "h", "c", "2"],
        &["HSETNX", "h", "d", "2"],
        &["HINCRBY", "h", "n", "1"],
        &["HINCRBYFLOAT", "h", "n", "1"],
    ];
    same_dirty_counts(commands);
}
