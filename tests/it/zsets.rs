//! Sorted-set commands, compared reply by reply with the real redis-server 7.0 (RESP2 and RESP3),
//! plus encoding transitions, dirty counting, and a seeded randomized differential run.

use crate::support::{Server, have, same_dirty_counts, same_replies, same_replies_resp3};

#[test]
fn zadd_options_and_errors_match_redis() {
    same_replies(&[
        &["ZADD", "z", "1", "a", "2", "b", "3", "c"],
        &["ZADD", "z", "1", "a"],
        &["ZADD", "z", "CH", "5", "a", "2", "b", "9", "d"],
        &["ZADD", "z", "NX", "100", "a", "7", "e"],
        &["ZADD", "z", "XX", "CH", "100", "a", "7", "nope"],
        &["ZADD", "z", "GT", "CH", "1", "a", "200", "b"],
        &["ZADD", "z", "LT", "CH", "1", "a", "300", "b"],
        &["ZADD", "z", "XX", "GT", "CH", "500", "a"],
        &["ZADD", "z", "NX", "XX", "1", "a"],
        &["ZADD", "z", "NX", "GT", "1", "a"],
        &["ZADD", "z", "GT", "LT", "1", "a"],
        &["ZADD", "z", "INCR", "1", "a", "2", "b"],
        &["ZADD", "z", "1", "a", "2"],
        &["ZADD", "z", "CH"],
        &["ZADD", "z", "x", "a"],
        &["ZADD", "z", "1", "a", "nan", "b"],
        &["ZADD", "z", " 1", "a"],
        &["ZADD", "z", "1e400", "a"],
        &["ZADD", "z", "0x10", "hex", "-inf", "low", "+inf", "high", "1e-5", "tiny", "-0", "negzero"],
        &["ZRANGE", "z", "0", "-1", "WITHSCORES"],
        &["ZADD", "z", "INCR", "5", "a"],
        &["ZADD", "z", "INCR", "NX", "5", "a"],
        &["ZADD", "z", "INCR", "XX", "5", "missing"],
        &["ZADD", "z", "INCR", "GT", "-1", "a"],
        &["ZADD", "z", "INCR", "LT", "-1", "a"],
        &["ZADD", "z", "INCR", "-inf", "high"],
        &["ZSCORE", "z", "high"],
        &["ZINCRBY", "z", "1.5", "new"],
        &["ZINCRBY", "z", "x", "new"],
        &["ZINCRBY", "z", "1"],
        &["ZADD", "nokey", "XX", "1", "a"],
        &["ZADD", "nokey", "XX", "INCR", "1", "a"],
        &["EXISTS", "nokey"],
        &["ZADD", "z"],
        &["SET", "s", "v"],
        &["ZADD", "s", "1", "a"],
        &["ZINCRBY", "s", "1", "a"],
        &["ZRANGE", "z", "0", "-1", "WITHSCORES"],
    ]);
    same_replies_resp3(&[
        &["ZADD", "z", "INCR", "1.5", "a"],
        &["ZADD", "z", "INCR", "XX", "1", "nope"],
        &["ZINCRBY", "z", "inf", "a"],
        &["ZSCORE", "z", "a"],
        &["ZSCORE", "z", "nope"],
        &["ZMSCORE", "z", "a", "nope"],
        &["ZMSCORE", "nokey", "a"],
    ]);
}

#[test]
fn reads_and_ranks_match_redis() {
    let setup: &[&[&str]] = &[
        &["ZADD", "z", "1", "a", "2", "b", "2", "c", "3.25", "d", "-1.5", "e", "1e20", "big", "0.1", "f"],
        &["ZCARD", "z"],
        &["ZCARD", "nokey"],
        &["ZSCORE", "z", "d"],
        &["ZSCORE", "z", "big"],
        &["ZSCORE", "z", "f"],
        &["ZMSCORE", "z", "a", "x", "big"],
        &["ZMSCORE", "z"],
        &["ZRANK", "z", "c"],
        &["ZRANK", "z", "x"],
        &["ZRANK", "nokey", "x"],
        &["ZREVRANK", "z", "c"],
        &["ZREVRANK", "z", "big"],
        &["ZCOUNT", "z", "-inf", "+inf"],
        &["ZCOUNT", "z", "(1", "2"],
        &["ZCOUNT", "z", "(2", "(2"],
        &["ZCOUNT", "z", "2", "1"],
        &["ZCOUNT", "z", "x", "1"],
        &["ZCOUNT", "z", "1", "(x"],
        &["ZCOUNT", "z", "", "("],
        &["ZCOUNT", "z", "nan", "1"],
        &["ZCOUNT", "z", "-inf", "1e400"],
        &["ZCOUNT", "nokey", "1", "2"],
        &["ZCOUNT", "nokey", "x", "2"],
        &["ZLEXCOUNT", "z", "-", "+"],
        &["ZLEXCOUNT", "z", "a", "+"],
        &["SET", "s", "v"],
        &["ZCARD", "s"],
        &["ZSCORE", "s", "a"],
        &["ZMSCORE", "s", "a"],
        &["ZRANK", "s", "a"],
        &["ZCOUNT", "s", "0", "1"],
        &["ZCOUNT", "s", "x", "1"],
        &["ZRANGE", "s", "0", "1"],
        &["ZRANK", "z"],
        &["ZCARD", "z", "extra"],
    ];
    same_replies(setup);
    same_replies_resp3(setup);
}

#[test]
fn zrange_forms_match_redis() {
    let cmds: &[&[&str]] = &[
        &["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "inf", "f", "-inf", "g"],
        &["ZRANGE", "z", "0", "-1"],
        &["ZRANGE", "z", "0", "-1", "WITHSCORES"],
        &["ZRANGE", "z", "-3", "100"],
        &["ZRANGE", "z", "5", "2"],
        &["ZRANGE", "z", "0", "-1", "REV", "WITHSCORES"],
        &["ZRANGE", "z", "1", "2", "REV"],
        &["ZRANGE", "z", "x", "2"],
        &["ZRANGE", "z", "(1", "5", "BYSCORE"],
        &["ZRANGE", "z", "5", "(1", "BYSCORE", "REV", "WITHSCORES"],
        &["ZRANGE", "z", "(1", "5", "BYSCORE", "REV"],
        &["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "2"],
        &["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "-1"],
        &["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "-1", "2"],
        &["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "0", "0"],
        &["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "100", "2"],
        &["ZRANGE", "z", "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "2", "3", "WITHSCORES"],
        &["ZRANGE", "z", "0", "1", "LIMIT", "0", "1"],
        &["ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES"],
        &["ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX"],
        &["ZRANGE", "z", "0", "1", "LIMIT", "0"],
        &["ZRANGE", "z", "0", "1", "LIMIT", "x", "1", "BYSCORE"],
        &["ZRANGE", "z", "0", "1", "BOGUS"],
        &["ZRANGE", "z", "a", "b", "BYSCORE"],
        &["ZRANGEBYSCORE", "z", "2", "4", "WITHSCORES", "LIMIT", "1", "5"],
        &["ZRANGEBYSCORE", "z", "2", "4", "BYSCORE"],
        &["ZREVRANGEBYSCORE", "z", "4", "2"],
        &["ZREVRANGEBYSCORE", "z", "2", "4"],
        &["ZREVRANGEBYSCORE", "z", "+inf", "-inf", "WITHSCORES", "LIMIT", "0", "3"],
        &["ZREVRANGE", "z", "0", "2", "WITHSCORES"],
        &["ZREVRANGE", "z", "0", "2", "REV"],
        &["ZRANGE", "nokey", "0", "-1"],
        &["ZRANGEBYSCORE", "nokey", "x", "1"],
        &["ZADD", "lex", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e", "0", "ab"],
        &["ZRANGEBYLEX", "lex", "-", "+"],
        &["ZRANGEBYLEX", "lex", "[a", "(c"],
        &["ZRANGEBYLEX", "lex", "(a", "[c", "LIMIT", "1", "2"],
        &["ZRANGEBYLEX", "lex", "+", "-"],
        &["ZRANGEBYLEX", "lex", "[c", "[a"],
        &["ZRANGEBYLEX", "lex", "a", "[c"],
        &["ZRANGEBYLEX", "lex", "[a", "+x"],
        &["ZRANGEBYLEX", "lex", "[a", "[c", "WITHSCORES"],
        &["ZREVRANGEBYLEX", "lex", "+", "-", "LIMIT", "1", "3"],
        &["ZREVRANGEBYLEX", "lex", "(c", "[a"],
        &["ZRANGE", "lex", "[e", "(b", "BYLEX", "REV"],
        &["ZLEXCOUNT", "lex", "(a", "[d"],
        &["ZLEXCOUNT", "lex", "(a", "d"],
    ];
    same_replies(cmds);
    same_replies_resp3(cmds);
}

#[test]
fn removals_match_redis() {
    same_replies(&[
        &["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"],
        &["ZREM", "z", "a", "x", "a"],
        &["ZREM", "nokey", "a"],
        &["ZREMRANGEBYRANK", "z", "0", "0"],
        &["ZREMRANGEBYRANK", "z", "5", "10"],
        &["ZREMRANGEBYRANK", "z", "x", "1"],
        &["ZREMRANGEBYSCORE", "z", "(3", "4"],
        &["ZREMRANGEBYSCORE", "z", "x", "4"],
        &["ZRANGE", "z", "0", "-1", "WITHSCORES"],
        &["ZREMRANGEBYSCORE", "z", "-inf", "+inf"],
        &["EXISTS", "z"],
        &["ZADD", "lex", "0", "a", "0", "b", "0", "c"],
        &["ZREMRANGEBYLEX", "lex", "(a", "+"],
        &["ZREMRANGEBYLEX", "lex", "x", "+"],
        &["ZREM", "lex", "a", "b"],
        &["EXISTS", "lex"],
        &["ZADD", "r", "1", "a", "2", "b"],
        &["ZREMRANGEBYRANK", "r", "-100", "100"],
        &["EXISTS", "r"],
        &["SET", "s", "v"],
        &["ZREM", "s", "a"],
        &["ZREMRANGEBYRANK", "s", "0", "1"],
        &["ZREMRANGEBYLEX", "s", "-", "+"],
        &["ZREM", "s"],
    ]);
}

#[test]
fn pops_match_redis() {
    let cmds: &[&[&str]] = &[
        &["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"],
        &["ZPOPMIN", "z"],
        &["ZPOPMAX", "z"],
        &["ZPOPMIN", "z", "2"],
        &["ZPOPMIN", "z", "0"],
        &["ZPOPMIN", "z", "-1"],
        &["ZPOPMIN", "z", "x"],
        &["ZPOPMIN", "z", "1", "2"],
        &["ZPOPMAX", "z", "10"],
        &["EXISTS", "z"],
        &["ZPOPMIN", "z"],
        &["ZPOPMIN", "z", "3"],
        &["ZADD", "y", "1", "a", "2", "b", "3", "c"],
        &["ZMPOP", "2", "nokey", "y", "MIN"],
        &["ZMPOP", "2", "nokey", "y", "MAX", "COUNT", "5"],
        &["ZMPOP", "2", "nokey", "y", "MAX"],
        &["ZMPOP", "0", "y", "MAX"],
        &["ZMPOP", "x", "y", "MAX"],
        &["ZMPOP", "1", "y", "MIDDLE"],
        &["ZMPOP", "2", "y", "MIN"],
        &["ZMPOP", "1", "y", "MIN", "COUNT", "0"],
        &["ZMPOP", "1", "y", "MIN", "COUNT"],
        &["ZMPOP", "1", "y", "MIN", "COUNT", "1", "COUNT", "1"],
        &["SET", "s", "v"],
        &["ZMPOP", "2", "nokey", "s", "MIN"],
        &["ZPOPMIN", "s"],
        &["ZADD", "w", "1", "a"],
        &["ZMPOP", "2", "w", "s", "MIN"],
    ];
    same_replies(cmds);
    same_replies_resp3(cmds);
}

#[test]
fn algebra_matches_redis() {
    let cmds: &[&[&str]] = &[
        &["ZADD", "z1", "1", "a", "2", "b", "3", "c"],
        &["ZADD", "z2", "10", "b", "20", "c", "30", "d"],
        &["SADD", "s", "c", "d", "e"],
        &["ZADD", "zinf", "inf", "a", "-inf", "b"],
        &["ZUNION", "2", "z1", "z2", "WITHSCORES"],
        &["ZUNION", "3", "z1", "z2", "s", "WEIGHTS", "1", "2", "3", "WITHSCORES"],
        &["ZUNION", "2", "z1", "z2", "AGGREGATE", "MIN", "WITHSCORES"],
        &["ZUNION", "2", "z1", "z2", "AGGREGATE", "MAX", "WITHSCORES"],
        &["ZUNION", "2", "z1", "zinf", "WEIGHTS", "0", "0", "WITHSCORES"],
        &["ZUNION", "2", "zinf", "zinf", "WEIGHTS", "1", "-1", "WITHSCORES"],
        &["ZINTER", "2", "z1", "z2", "WITHSCORES"],
        &["ZINTER", "3", "z1", "z2", "s"],
        &["ZINTER", "2", "z1", "nokey"],
        &["ZINTER", "2", "zinf", "zinf", "WEIGHTS", "1", "-1", "WITHSCORES"],
        &["ZDIFF", "2", "z1", "z2", "WITHSCORES"],
        &["ZDIFF", "3", "z2", "s", "nokey", "WITHSCORES"],
        &["ZDIFF", "2", "z1", "z2", "WEIGHTS", "1", "1"],
        &["ZINTERCARD", "2", "z1", "z2"],
        &["ZINTERCARD", "2", "z1", "z2", "LIMIT", "1"],
        &["ZINTERCARD", "2", "z1", "z2", "LIMIT", "-1"],
        &["ZINTERCARD", "2", "z1", "z2", "WITHSCORES"],
        &["ZINTERCARD", "0", "z1"],
        &["ZUNION", "0", "z1"],
        &["ZUNION", "-1", "z1"],
        &["ZUNION", "x", "z1"],
        &["ZUNION", "3", "z1", "z2"],
        &["ZUNION", "2", "z1", "z2", "WEIGHTS", "1"],
        &["ZUNION", "2", "z1", "z2", "WEIGHTS", "1", "x"],
        &["ZUNION", "2", "z1", "z2", "AGGREGATE", "AVG"],
        &["ZUNION", "2", "z1", "z2", "AGGREGATE"],
        &["ZUNIONSTORE", "dst", "2", "z1", "z2", "WEIGHTS", "2", "1"],
        &["ZRANGE", "dst", "0", "-1", "WITHSCORES"],
        &["ZUNIONSTORE", "dst", "2", "z1", "z2", "WITHSCORES"],
        &["ZINTERSTORE", "dst", "2", "z1", "z2", "AGGREGATE", "MAX"],
        &["ZRANGE", "dst", "0", "-1", "WITHSCORES"],
        &["ZDIFFSTORE", "dst", "2", "z1", "z1"],
        &["EXISTS", "dst"],
        &["ZDIFFSTORE", "dst", "1", "s"],
        &["TYPE", "dst"],
        &["SET", "str", "v"],
        &["ZUNION", "2", "z1", "str"],
        &["ZUNION", "2", "str", "z1", "BOGUS"],
        &["ZINTERCARD", "1", "str"],
        &["ZUNIONSTORE", "z1", "1", "str"],
        &["ZUNIONSTORE", "str", "1", "z1"],
        &["TYPE", "str"],
    ];
    same_replies(cmds);
    same_replies_resp3(cmds);
}

#[test]
fn zrangestore_matches_redis() {
    same_replies(&[
        &["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"],
        &["ZRANGESTORE", "dst", "z", "1", "2"],
        &["ZRANGE", "dst", "0", "-1", "WITHSCORES"],
        &["ZRANGESTORE", "dst", "z", "4", "(2", "BYSCORE", "REV", "LIMIT", "0", "1"],
        &["ZRANGE", "dst", "0", "-1", "WITHSCORES"],
        &["ZRANGESTORE", "dst", "z", "[b", "+", "BYLEX"],
        &["ZRANGESTORE", "dst", "z", "0", "-1", "WITHSCORES"],
        &["ZRANGESTORE", "dst", "z", "5", "10"],
        &["EXISTS", "dst"],
        &["ZRANGESTORE", "dst", "nokey", "0", "-1"],
        &["SET", "s", "v"],
        &["ZRANGESTORE", "dst", "s", "0", "-1"],
        &["ZRANGESTORE", "s", "z", "0", "-1"],
        &["TYPE", "s"],
    ]);
}

#[test]
fn zrandmember_shapes_match_redis() {
    // A one-member set makes every pick deterministic.
    let cmds: &[&[&str]] = &[
        &["ZADD", "one", "1.5", "a"],
        &["ZRANDMEMBER", "one"],
        &["ZRANDMEMBER", "one", "1"],
        &["ZRANDMEMBER", "one", "-3", "WITHSCORES"],
        &["ZRANDMEMBER", "one", "5", "WITHSCORES"],
        &["ZRANDMEMBER", "one", "0"],
        &["ZRANDMEMBER", "one", "1", "BOGUS"],
        &["ZRANDMEMBER", "one", "x"],
        &["ZRANDMEMBER", "one", "-9223372036854775808"],
        &["ZRANDMEMBER", "one", "9223372036854775807", "WITHSCORES"],
        &["ZRANDMEMBER", "nokey"],
        &["ZRANDMEMBER", "nokey", "3"],
        &["ZADD", "three", "1", "a", "2", "b", "3", "c"],
        &["ZRANDMEMBER", "three", "3", "WITHSCORES"],
        &["ZRANDMEMBER", "three", "10"],
    ];
    same_replies(cmds);
    same_replies_resp3(cmds);
}

#[test]
fn zscan_matches_redis() {
    same_replies(&[
        &["ZADD", "z", "1", "a", "2.5", "b", "1e17", "c", "-0", "d", "inf", "e", "123456789012", "f"],
        &["ZSCAN", "z", "0"],
        &["ZSCAN", "z", "0", "MATCH", "[ab]", "COUNT", "1"],
        &["ZSCAN", "z", "x"],
        &["ZSCAN", "z", "0", "COUNT", "0"],
        &["ZSCAN", "z", "0", "TYPE", "zset"],
        &["ZSCAN", "nokey", "0"],
        &["SET", "s", "v"],
        &["ZSCAN", "s", "0"],
    ]);
    // A skiplist set in one bucket-walk: scores print with %.17g.
    same_replies(&[
        &["CONFIG", "SET", "zset-max-listpack-entries", "0"],
        &["ZADD", "z", "1e17", "c"],
        &["OBJECT", "ENCODING", "z"],
        &["ZSCAN", "z", "0"],
    ]);
}

#[test]
fn encodings_follow_redis() {
    let long = "x".repeat(65);
    let members: Vec<String> = (0..129).map(|i| format!("m{i}")).collect();
    let mut zadd: Vec<&str> = vec!["ZADD", "big"];
    for m in &members[..128] {
        zadd.extend(["1", m.as_str()]);
    }
    same_replies(&[
        &zadd,
        &["OBJECT", "ENCODING", "big"],
        &["ZADD", "big", "1", &members[128]],
        &["OBJECT", "ENCODING", "big"],
        &["ZREMRANGEBYRANK", "big", "0", "-10"],
        &["OBJECT", "ENCODING", "big"],
        &["ZADD", "first-long", "1", &long],
        &["OBJECT", "ENCODING", "first-long"],
        &["ZADD", "second-long", "1", "a", "2", &long],
        &["OBJECT", "ENCODING", "second-long"],
        &["ZADD", "x", "1", "a"],
        &["ZUNIONSTORE", "u", "2", "x", "second-long"],
        &["OBJECT", "ENCODING", "u"],
        &["ZUNIONSTORE", "u", "1", "big"],
        &["OBJECT", "ENCODING", "u"],
        &["ZRANGESTORE", "r", "second-long", "0", "0"],
        &["OBJECT", "ENCODING", "r"],
        &["ZRANGESTORE", "r", "second-long", "1", "1"],
        &["OBJECT", "ENCODING", "r"],
        &["CONFIG", "SET", "zset-max-listpack-entries", "2"],
        &["ZRANGESTORE", "r", "big", "0", "1"],
        &["OBJECT", "ENCODING", "r"],
        &["ZRANGESTORE", "r", "big", "0", "2"],
        &["OBJECT", "ENCODING", "r"],
        &["ZRANGESTORE", "r", "big", "-inf", "+inf", "BYSCORE", "LIMIT", "0", "3"],
        &["OBJECT", "ENCODING", "r"],
        &["CONFIG", "SET", "zset-max-ziplist-entries", "0"],
        &["ZADD", "zero", "1", "a"],
        &["OBJECT", "ENCODING", "zero"],
        &["ZRANGE", "big", "0", "2", "WITHSCORES"],
        &["ZRANK", "big", "m99"],
        &["COPY", "big", "copy"],
        &["OBJECT", "ENCODING", "copy"],
        &["ZRANGE", "copy", "-2", "-1"],
        &["TYPE", "copy"],
    ]);
}

/// `rdb_changes_since_last_save` after each command, as Redis counts it.
#[test]
fn dirty_counts_match_redis() {
    same_dirty_counts(&[
        &["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"],
        &["ZADD", "z", "CH", "1", "a", "5", "b", "6", "e"],
        &["ZADD", "z", "1", "a"],
        &["ZINCRBY", "z", "1", "a"],
        &["ZREM", "z", "a", "b", "x"],
        &["ZPOPMIN", "z", "2"],
        &["ZADD", "z", "1", "a", "2", "b", "3", "c"],
        &["ZMPOP", "1", "z", "MAX", "COUNT", "2"],
        &["ZADD", "z", "1", "x", "2", "y", "3", "w"],
        &["ZREMRANGEBYSCORE", "z", "-inf", "2"],
        &["ZUNIONSTORE", "u", "1", "z"],
        &["ZRANGESTORE", "r", "z", "0", "-1"],
        &["ZRANGESTORE", "r", "nokey", "0", "-1"],
        &["ZRANGESTORE", "r", "nokey", "0", "-1"],
    ]);
}

#[test]
fn wrong_arity_matches_redis() {
    same_replies(&[
        &["ZADD", "z", "1"],
        &["ZINCRBY", "z", "1"],
        &["ZCARD"],
        &["ZSCORE", "z"],
        &["ZCOUNT", "z", "1"],
        &["ZRANGE", "z", "1"],
        &["ZRANGESTORE", "d", "z", "1"],
        &["ZREMRANGEBYRANK", "z", "1"],
        &["ZPOPMIN"],
        &["ZMPOP", "1", "z"],
        &["ZUNIONSTORE", "d", "1"],
        &["ZINTERCARD", "1"],
        &["ZSCAN", "z"],
        &["ZRANDMEMBER"],
        &["ZLEXCOUNT", "z", "-"],
    ]);
}

const MEMBERS: &[&str] = &["a", "b", "c", "d", "e", "f", "g", "h", "0", "1", "10", "-1", "", "a-longer-member"];
const SCORES: &[&str] = &["0", "1", "-1", "2.5", "1e3", "inf", "-inf", "(1", "(2.5", "x", "3", "-0"];
/// Keys random scores go to (`lex` only ever gets score 0).
const ZKEYS: &[&str] = &["z1", "z2", "z3", "s1", "str"];

fn pick<'a>(rng: &mut fastrand::Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

/// One random sorted-set command (never one with a random reply). Lex commands go to `lex`,
/// whose members all score 0 (lex order is only defined then).
fn random_command(rng: &mut fastrand::Rng) -> Vec<String> {
    let k = |rng: &mut fastrand::Rng| pick(rng, ZKEYS).to_owned();
    let m = |rng: &mut fastrand::Rng| pick(rng, MEMBERS).to_owned();
    let s = |rng: &mut fastrand::Rng| pick(rng, SCORES).to_owned();
    let idx = |rng: &mut fastrand::Rng| pick(rng, &["0", "1", "-1", "2", "-3", "10", "x"]).to_owned();
    let lex = |rng: &mut fastrand::Rng| pick(rng, &["-", "+", "[a", "(b", "[c", "(", "[", "x", "[0"]).to_owned();
    let w = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<String>>();
    let mut cmd = match rng.u32(..24) {
        0..=3 => {
            let mut c = w(&["ZADD"]);
            c.push(k(rng));
            for _ in 0..rng.usize(..3) {
                c.push(pick(rng, &["NX", "XX", "GT", "LT", "CH", "INCR"]).into());
            }
            for _ in 0..rng.usize(1..4) {
                c.push(s(rng));
                c.push(m(rng));
            }
            c
        }
        4 => vec!["ZADD".into(), "lex".into(), "0".into(), m(rng)],
        5 => vec!["ZINCRBY".into(), k(rng), s(rng), m(rng)],
        6 => vec!["ZREM".into(), k(rng), m(rng), m(rng)],
        7 => vec!["ZSCORE".into(), k(rng), m(rng)],
        8 => vec!["ZMSCORE".into(), k(rng), m(rng), m(rng)],
        9 => vec![pick(rng, &["ZRANK", "ZREVRANK"]).into(), k(rng), m(rng)],
        10 => vec!["ZCARD".into(), k(rng)],
        11 => vec!["ZCOUNT".into(), k(rng), s(rng), s(rng)],
        12 => vec!["ZLEXCOUNT".into(), "lex".into(), lex(rng), lex(rng)],
        13 => {
            let mut c = vec!["ZRANGE".into(), k(rng)];
            let by = rng.u8(..3);
            if by == 2 {
                c[1] = "lex".into();
                c.extend([lex(rng), lex(rng), "BYLEX".into()]);
            } else if by == 1 {
                c.extend([s(rng), s(rng), "BYSCORE".into()]);
            } else {
                c.extend([idx(rng), idx(rng)]);
            }
            if rng.bool() {
                c.push("REV".into());
            }
            if rng.bool() {
                c.extend(["LIMIT".into(), idx(rng), idx(rng)]);
            }
            if rng.bool() {
                c.push("WITHSCORES".into());
            }
            c
        }
        14 => {
            let name = pick(rng, &["ZRANGEBYSCORE", "ZREVRANGEBYSCORE"]);
            let mut c = vec![name.into(), k(rng), s(rng), s(rng)];
            if rng.bool() {
                c.push("WITHSCORES".into());
            }
            if rng.bool() {
                c.extend(["LIMIT".into(), idx(rng), idx(rng)]);
            }
            c
        }
        15 => vec![pick(rng, &["ZRANGEBYLEX", "ZREVRANGEBYLEX"]).into(), "lex".into(), lex(rng), lex(rng)],
        16 => vec!["ZREVRANGE".into(), k(rng), idx(rng), idx(rng), "WITHSCORES".into()],
        17 => match rng.u8(..3) {
            0 => vec!["ZREMRANGEBYRANK".into(), k(rng), idx(rng), idx(rng)],
            1 => vec!["ZREMRANGEBYSCORE".into(), k(rng), s(rng), s(rng)],
            _ => vec!["ZREMRANGEBYLEX".into(), "lex".into(), lex(rng), lex(rng)],
        },
        18 => {
            let mut c = vec![pick(rng, &["ZPOPMIN", "ZPOPMAX"]).into(), k(rng)];
            if rng.bool() {
                c.push(idx(rng));
            }
            c
        }
        19 => {
            let mut c = vec!["ZMPOP".into(), "2".into(), k(rng), k(rng), pick(rng, &["MIN", "MAX"]).into()];
            if rng.bool() {
                c.extend(["COUNT".into(), idx(rng)]);
            }
            c
        }
        20 => {
            let op = pick(rng, &["ZUNION", "ZINTER", "ZDIFF", "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"]);
            let mut c = vec![op.into()];
            if op.ends_with("STORE") {
                c.push(k(rng));
            }
            c.extend(["2".into(), k(rng), k(rng)]);
            if rng.bool() && !op.starts_with("ZDIFF") {
                c.extend(["WEIGHTS".into(), s(rng), s(rng)]);
            }
            if rng.bool() && !op.starts_with("ZDIFF") {
                c.extend(["AGGREGATE".into(), pick(rng, &["SUM", "MIN", "MAX"]).into()]);
            }
            if rng.bool() && !op.ends_with("STORE") {
                c.push("WITHSCORES".into());
            }
            c
        }
        21 => vec!["ZINTERCARD".into(), "2".into(), k(rng), k(rng), "LIMIT".into(), idx(rng)],
        22 => {
            let mut c = vec!["ZRANGESTORE".into(), k(rng), k(rng), idx(rng), idx(rng)];
            if rng.bool() {
                c.extend(["BYSCORE".into(), "LIMIT".into(), idx(rng), idx(rng)]);
            }
            c
        }
        _ => vec![pick(rng, &["SADD", "SREM"]).into(), "s1".into(), m(rng)],
    };
    if rng.u32(..50) == 0 {
        cmd = vec!["SET".into(), "str".into(), "v".into()];
    }
    cmd
}

#[test]
fn random_sorted_set_sequences_match_redis() {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    let rkv = Server::start(&[]);
    let redis = Server::start_redis(&[]);
    for seed in 1..=3u64 {
        let mut rng = fastrand::Rng::with_seed(seed);
        let (mut a, mut b) = (rkv.raw(), redis.raw());
        // Small limits so sets cross between encodings during the run.
        for conn in [&mut a, &mut b] {
            conn.call(&["FLUSHALL"]);
            conn.call(&["CONFIG", "SET", "zset-max-listpack-entries", if seed == 2 { "0" } else { "6" }]);
            conn.call(&["CONFIG", "SET", "zset-max-listpack-value", "10"]);
        }
        let mut history = Vec::new();
        for _ in 0..1500 {
            let cmd = random_command(&mut rng);
            let args: Vec<&str> = cmd.iter().map(String::as_str).collect();
            let (x, y) = (a.call(&args), b.call(&args));
            history.push(cmd.join(" "));
            let recent = history[history.len().saturating_sub(12)..].join("\n");
            assert_eq!(x, y, "seed {seed}, after:\n{recent}");
        }
        for key in ZKEYS.iter().chain(&["lex"]) {
            assert_eq!(a.call(&["OBJECT", "ENCODING", key]), b.call(&["OBJECT", "ENCODING", key]), "seed {seed} {key}");
        }
    }
}
