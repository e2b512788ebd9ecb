//! List commands, compared reply by reply with the real redis-server: every command with its
//! edge cases and errors in RESP2 and RESP3, lists spanning many small nodes, dirty counting,
//! WATCH, and seeded random command sequences.

use crate::support::{Server, have, same_dirty_counts, same_replies, same_replies_resp3};

/// Commands covering every list command, errors included.
const FAMILY: &[&[&str]] = &[
    &["RPUSH", "l", "a", "b", "c", "1", "2", "3", "a"],
    &["LPUSH", "l", "z", "-5"],
    &["OBJECT", "ENCODING", "l"],
    &["LLEN", "l"],
    &["LLEN", "nokey"],
    &["LPUSHX", "nokey", "a"],
    &["RPUSHX", "nokey", "a", "b"],
    &["EXISTS", "nokey"],
    &["LPUSHX", "l", "x", "y"],
    &["RPUSHX", "l", "9223372036854775807", "-9223372036854775808", "007"],
    &["LRANGE", "l", "0", "-1"],
    &["LRANGE", "l", "-3", "-1"],
    &["LRANGE", "l", "-100", "100"],
    &["LRANGE", "l", "5", "2"],
    &["LRANGE", "l", "20", "30"],
    &["LRANGE", "l", "0", "-100"],
    &["LRANGE", "l", "x", "1"],
    &["LRANGE", "l", "0", "1.5"],
    &["LRANGE", "nokey", "0", "-1"],
    &["LRANGE", "nokey", "x", "1"],
    &["LINDEX", "l", "0"],
    &["LINDEX", "l", "-1"],
    &["LINDEX", "l", "3"],
    &["LINDEX", "l", "100"],
    &["LINDEX", "l", "-100"],
    &["LINDEX", "l", "x"],
    &["LINDEX", "nokey", "x"],
    &["LINDEX", "nokey", "0"],
    &["LSET", "l", "0", "first"],
    &["LSET", "l", "-1", "12345"],
    &["LSET", "l", "100", "x"],
    &["LSET", "l", "-100", "x"],
    &["LSET", "l", "x", "x"],
    &["LSET", "nokey", "0", "x"],
    &["LSET", "nokey", "x", "x"],
    &["LINSERT", "l", "BEFORE", "c", "before-c"],
    &["LINSERT", "l", "after", "c", "after-c"],
    &["LINSERT", "l", "after", "12345", "tail"],
    &["LINSERT", "l", "before", "zz", "x"],
    &["LINSERT", "l", "middle", "c", "x"],
    &["LINSERT", "nokey", "before", "c", "x"],
    &["LINSERT", "nokey", "middle", "c", "x"],
    &["LRANGE", "l", "0", "-1"],
    &["LPOS", "l", "a"],
    &["LPOS", "l", "a", "RANK", "2"],
    &["LPOS", "l", "a", "RANK", "-1"],
    &["LPOS", "l", "a", "RANK", "-2"],
    &["LPOS", "l", "a", "RANK", "3"],
    &["LPOS", "l", "a", "COUNT", "0"],
    &["LPOS", "l", "a", "COUNT", "1"],
    &["LPOS", "l", "a", "COUNT", "5", "RANK", "-1"],
    &["LPOS", "l", "a", "MAXLEN", "3"],
    &["LPOS", "l", "a", "MAXLEN", "3", "COUNT", "0"],
    &["LPOS", "l", "a", "RANK", "-1", "MAXLEN", "1"],
    &["LPOS", "l", "zz"],
    &["LPOS", "l", "zz", "COUNT", "0"],
    &["LPOS", "l", "a", "RANK", "0"],
    &["LPOS", "l", "a", "RANK", "x"],
    &["LPOS", "l", "a", "RANK", "-9223372036854775808"],
    &["LPOS", "l", "a", "COUNT", "-1"],
    &["LPOS", "l", "a", "COUNT", "x"],
    &["LPOS", "l", "a", "MAXLEN", "-1"],
    &["LPOS", "l", "a", "MAXLEN"],
    &["LPOS", "l", "a", "FOO", "1"],
    &["LPOS", "nokey", "a"],
    &["LPOS", "nokey", "a", "COUNT", "2"],
    &["LPOS", "nokey", "a", "RANK", "0"],
    &["LREM", "l", "1", "a"],
    &["LREM", "l", "-1", "zz"],
    &["LREM", "l", "0", "c"],
    &["LREM", "l", "x", "c"],
    &["LREM", "nokey", "0", "c"],
    &["RPUSH", "r", "a", "b", "a", "c", "a", "b", "a"],
    &["LREM", "r", "-2", "a"],
    &["LRANGE", "r", "0", "-1"],
    &["LREM", "r", "0", "a"],
    &["LREM", "r", "0", "b"],
    &["LREM", "r", "0", "c"],
    &["EXISTS", "r"],
    &["LTRIM", "l", "1", "-2"],
    &["LRANGE", "l", "0", "-1"],
    &["LTRIM", "l", "0", "-1"],
    &["LTRIM", "l", "x", "1"],
    &["LTRIM", "nokey", "0", "1"],
    &["LTRIM", "l", "5", "1"],
    &["EXISTS", "l"],
    &["RPUSH", "p", "1", "2", "3", "4", "5"],
    &["LPOP", "p"],
    &["RPOP", "p"],
    &["LPOP", "p", "0"],
    &["LPOP", "p", "2"],
    &["RPOP", "p", "-1"],
    &["RPOP", "p", "x"],
    &["LPOP", "p", "1", "2"],
    &["RPOP", "p", "10"],
    &["EXISTS", "p"],
    &["LPOP", "p"],
    &["RPOP", "p", "2"],
    &["LPOP", "p", "0"],
    &["LPOP", "p", "-1"],
    &["RPUSH", "s", "a", "b", "c"],
    &["LMOVE", "s", "d", "LEFT", "RIGHT"],
    &["LMOVE", "s", "d", "right", "left"],
    &["LMOVE", "s", "s", "left", "right"],
    &["LMOVE", "s", "s", "left", "left"],
    &["LMOVE", "s", "d", "up", "left"],
    &["LMOVE", "s", "d", "left", "down"],
    &["LMOVE", "nokey", "d", "left", "left"],
    &["LRANGE", "d", "0", "-1"],
    &["RPOPLPUSH", "s", "d"],
    &["EXISTS", "s"],
    &["RPOPLPUSH", "s", "d"],
    &["RPOPLPUSH", "d", "d"],
    &["LRANGE", "d", "0", "-1"],
    &["RPUSH", "m1", "a", "b", "c"],
    &["LMPOP", "2", "nokey", "m1", "LEFT"],
    &["LMPOP", "2", "nokey", "m1", "RIGHT", "COUNT", "5"],
    &["LMPOP", "1", "m1", "LEFT"],
    &["LMPOP", "2", "nokey", "nokey2", "LEFT"],
    &["LMPOP", "0", "m1", "LEFT"],
    &["LMPOP", "-1", "m1", "LEFT"],
    &["LMPOP", "x", "m1", "LEFT"],
    &["LMPOP", "2", "m1", "LEFT"],
    &["LMPOP", "1", "m1", "MIDDLE"],
    &["LMPOP", "1", "m1", "LEFT", "COUNT", "0"],
    &["LMPOP", "1", "m1", "LEFT", "COUNT", "-1"],
    &["LMPOP", "1", "m1", "LEFT", "COUNT"],
    &["LMPOP", "1", "m1", "LEFT", "COUNT", "1", "COUNT", "1"],
    &["LMPOP", "1", "m1", "LEFT", "FOO", "1"],
    &["LMPOP", "1", "m1"],
    &["LPUSH", "l"],
    &["RPUSH"],
    &["LPUSHX", "l"],
    &["LLEN"],
    &["LRANGE", "l", "0"],
    &["LINDEX", "l"],
    &["LSET", "l", "0"],
    &["LINSERT", "l", "before", "a"],
    &["LREM", "l", "0"],
    &["LTRIM", "l", "0"],
    &["LPOS", "l"],
    &["LMOVE", "a", "b", "left"],
    &["RPOPLPUSH", "a"],
    &["LPOP"],
    &["LMPOP", "1", "a"],
];

#[test]
fn list_family_matches_redis() {
    same_replies(FAMILY);
}

#[test]
fn list_family_matches_redis_resp3() {
    same_replies_resp3(FAMILY);
}

#[test]
fn wrong_type_everywhere() {
    same_replies(&[
        &["SET", "s", "v"],
        &["RPUSH", "l", "a"],
        &["LPUSH", "s", "a"],
        &["RPUSH", "s", "a"],
        &["LPUSHX", "s", "a"],
        &["RPUSHX", "s", "a"],
        &["LPOP", "s"],
        &["RPOP", "s", "0"],
        &["LPOP", "s", "x"],
        &["LLEN", "s"],
        &["LRANGE", "s", "0", "-1"],
        &["LRANGE", "s", "x", "-1"],
        &["LINDEX", "s", "0"],
        &["LINDEX", "s", "x"],
        &["LSET", "s", "0", "x"],
        &["LSET", "s", "x", "x"],
        &["LINSERT", "s", "before", "a", "b"],
        &["LINSERT", "s", "middle", "a", "b"],
        &["LREM", "s", "0", "a"],
        &["LTRIM", "s", "0", "1"],
        &["LPOS", "s", "a"],
        &["LPOS", "s", "a", "RANK", "0"],
        &["LMOVE", "s", "l", "left", "left"],
        &["LMOVE", "l", "s", "left", "left"],
        &["LMOVE", "nokey", "s", "left", "left"],
        &["RPOPLPUSH", "l", "s"],
        &["LLEN", "l"],
        &["LMPOP", "2", "s", "l", "left"],
        &["LMPOP", "2", "l", "s", "left"],
        &["LMPOP", "2", "nokey", "s", "left"],
        &["TYPE", "l"],
        &["SET", "n", "1"],
        &["LPOP", "n"],
        &["HSET", "h", "f", "v"],
        &["RPUSH", "h", "a"],
        &["SADD", "set", "m"],
        &["LRANGE", "set", "0", "-1"],
        &["GET", "l"],
        &["SADD", "l", "m"],
        &["HGET", "l", "f"],
        &["TYPE", "l"],
        &["OBJECT", "ENCODING", "l"],
    ]);
}

/// With four entries per node, inserts, removals, trims and moves cross node boundaries.
#[test]
fn small_nodes_behave_like_redis() {
    let mut commands: Vec<Vec<String>> =
        vec![["CONFIG", "SET", "list-max-listpack-size", "4"].iter().map(|s| s.to_string()).collect()];
    let cmd = |words: &[&str]| words.iter().map(|s| s.to_string()).collect::<Vec<String>>();
    commands.push(cmd(&["RPUSH", "l"]).into_iter().chain((0..40).map(|i| i.to_string())).collect());
    for i in [0, 3, 4, 5, 8, 39, 17] {
        let pivot = i.to_string();
        commands.push(cmd(&["LINSERT", "l", "BEFORE", &pivot, "b"]));
        commands.push(cmd(&["LINSERT", "l", "AFTER", &pivot, "a"]));
        commands.push(cmd(&["LRANGE", "l", "0", "-1"]));
    }
    for (start, stop) in [("0", "-1"), ("3", "9"), ("-9", "-2"), ("10", "30"), ("2", "3")] {
        commands.push(cmd(&["LRANGE", "l", start, stop]));
        commands.push(cmd(&["LINDEX", "l", start]));
    }
    commands.push(cmd(&["LSET", "l", "7", "seven"]));
    commands.push(cmd(&["LSET", "l", "-7", "minus-seven"]));
    commands.push(cmd(&["LREM", "l", "2", "a"]));
    commands.push(cmd(&["LREM", "l", "-2", "b"]));
    commands.push(cmd(&["LRANGE", "l", "0", "-1"]));
    commands.push(cmd(&["LPOS", "l", "a", "COUNT", "0"]));
    commands.push(cmd(&["LPOS", "l", "b", "RANK", "-2", "COUNT", "2"]));
    commands.push(cmd(&["LTRIM", "l", "3", "-4"]));
    commands.push(cmd(&["LRANGE", "l", "0", "-1"]));
    commands.push(cmd(&["LPOP", "l", "6"]));
    commands.push(cmd(&["RPOP", "l", "6"]));
    commands.push(cmd(&["LMOVE", "l", "l", "LEFT", "RIGHT"]));
    commands.push(cmd(&["LMPOP", "1", "l", "RIGHT", "COUNT", "3"]));
    commands.push(cmd(&["LREM", "l", "0", "a"]));
    commands.push(cmd(&["LRANGE", "l", "0", "-1"]));
    commands.push(cmd(&["LLEN", "l"]));
    commands.push(cmd(&["OBJECT", "ENCODING", "l"]));
    commands.push(cmd(&["CONFIG", "SET", "list-max-listpack-size", "-1"]));
    commands.push(cmd(&["RPUSH", "big", &"x".repeat(5000), &"y".repeat(100), "1"]));
    commands.push(cmd(&["LINSERT", "big", "BEFORE", "1", &"z".repeat(4000)]));
    commands.push(cmd(&["LSET", "big", "0", "short"]));
    commands.push(cmd(&["LRANGE", "big", "0", "-1"]));
    commands.push(cmd(&["CONFIG", "GET", "list-max-ziplist-size"]));
    let refs: Vec<Vec<&str>> = commands.iter().map(|c| c.iter().map(String::as_str).collect()).collect();
    let refs: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
    same_replies(&refs);
}

#[test]
fn dirty_counts_elements_like_redis() {
    let commands: &[&[&str]] = &[
        &["RPUSH", "l", "1", "2", "3", "1", "2", "3", "1", "2"],
        &["LPUSHX", "l", "a", "b"],
        &["LPUSHX", "nokey", "a"],
        &["LREM", "l", "0", "1"],
        &["LREM", "l", "0", "zz"],
        &["LTRIM", "l", "0", "-1"],
        &["LTRIM", "l", "1", "-2"],
        &["LINSERT", "l", "BEFORE", "2", "x"],
        &["LINSERT", "l", "BEFORE", "zz", "x"],
        &["LSET", "l", "0", "y"],
        &["LPOP", "l", "2"],
        &["LPOP", "l", "0"],
        &["RPOP", "l"],
        &["LMOVE", "l", "d", "LEFT", "RIGHT"],
        &["RPOPLPUSH", "l", "l"],
        &["LMPOP", "2", "nokey", "l", "LEFT", "COUNT", "100"],
        &["LMPOP", "1", "l", "LEFT"],
    ];
    same_dirty_counts(commands);
}

/// EXEC outcomes after another client's list command on a watched key.
fn watch_outcomes(server: &Server) -> Vec<String> {
    let (mut watcher, mut other) = (server.raw(), server.raw());
    watcher.call(&["RPUSH", "l", "a", "b", "c"]);
    let changes: &[&[&str]] = &[
        &["LREM", "l", "0", "zz"],
        &["LTRIM", "l", "0", "-1"],
        &["LINSERT", "l", "BEFORE", "zz", "x"],
        &["LPOP", "l", "0"],
        &["LPUSHX", "nokey", "x"],
        &["LMOVE", "nokey", "l", "LEFT", "LEFT"],
        &["LSET", "l", "0", "a"],
        &["RPOPLPUSH", "l", "l"],
        &["LPOS", "l", "a"],
        &["LTRIM", "l", "1", "-1"],
    ];
    changes
        .iter()
        .map(|change| {
            watcher.call(&["WATCH", "l"]);
            other.call(change);
            watcher.call(&["MULTI"]);
            watcher.call(&["PING"]);
            watcher.call(&["EXEC"])
        })
        .collect()
}

#[test]
fn watch_sees_list_changes_like_redis() {
    if !have("redis-server") {
        return;
    }
    let ours = watch_outcomes(&Server::start(&[]));
    assert_eq!(ours, watch_outcomes(&Server::start_redis(&[])));
    assert_eq!(ours[6], "*-1\r\n", "LSET breaks WATCH");
}

/// Values with duplicates (for LREM, LPOS, LINSERT) and every encoding.
pub const VALUES: &[&str] = &[
    "a",
    "b",
    "c",
    "1",
    "-1",
    "300",
    "70000",
    "",
    "007",
    "a much longer element of sixty-five bytes or so, to use two bytes",
];
/// The keys [`random_command`] uses.
pub const KEYS: &[&str] = &["l1", "l2", "l3", "s"];
const INDEXES: &[&str] = &["0", "1", "2", "-1", "-2", "-3", "5", "-8", "20", "x"];

fn pick<'a>(rng: &mut fastrand::Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

/// One random list (or key) command over a few keys, with elements from `values`.
pub fn random_command(rng: &mut fastrand::Rng, values: &[&str]) -> Vec<String> {
    let k = |rng: &mut fastrand::Rng| pick(rng, KEYS);
    let v = |rng: &mut fastrand::Rng| pick(rng, values);
    let i = |rng: &mut fastrand::Rng| pick(rng, INDEXES);
    let end = |rng: &mut fastrand::Rng| pick(rng, &["LEFT", "RIGHT", "left"]);
    // Pushes outweigh pops and deletes, so lists grow to several nodes.
    let words: Vec<&str> = match rng.u32(..30) {
        0..=8 => {
            let mut cmd = vec![pick(rng, &["LPUSH", "RPUSH", "LPUSH", "RPUSH", "LPUSHX", "RPUSHX"]), k(rng)];
            cmd.extend((0..rng.usize(1..10)).map(|_| v(rng)));
            cmd
        }
        9 => vec![pick(rng, &["LPOP", "RPOP"]), k(rng)],
        10 => vec![pick(rng, &["LPOP", "RPOP"]), k(rng), pick(rng, &["0", "1", "3", "-1", "x"])],
        11 => vec!["LLEN", k(rng)],
        12 | 13 => vec!["LRANGE", k(rng), i(rng), i(rng)],
        14 => vec!["LINDEX", k(rng), i(rng)],
        15 => vec!["LSET", k(rng), i(rng), v(rng)],
        16 => vec!["LINSERT", k(rng), pick(rng, &["BEFORE", "AFTER"]), v(rng), v(rng)],
        17 => vec!["LREM", k(rng), pick(rng, &["0", "1", "-1", "2", "-2"]), v(rng)],
        18 => vec!["LTRIM", k(rng), i(rng), i(rng)],
        19 | 20 => {
            let mut cmd = vec!["LPOS", k(rng), v(rng)];
            for _ in 0..rng.usize(..3) {
                cmd.push(pick(rng, &["RANK", "COUNT", "MAXLEN"]));
                cmd.push(pick(rng, &["1", "2", "-1", "-2", "0", "5"]));
            }
            cmd
        }
        21 => vec!["LMOVE", k(rng), k(rng), end(rng), end(rng)],
        22 => vec!["RPOPLPUSH", k(rng), k(rng)],
        23 => {
            let keys = rng.usize(1..4);
            let mut cmd = vec![["1", "2", "3"][keys - 1]];
            cmd.extend((0..keys).map(|_| k(rng)));
            cmd.push(end(rng));
            if rng.bool() {
                cmd.push("COUNT");
                cmd.push(pick(rng, &["1", "2", "10"]));
            }
            std::iter::once("LMPOP").chain(cmd).collect()
        }
        24 if rng.u32(..4) == 0 => vec!["DEL", k(rng)],
        25 => vec!["EXISTS", k(rng)],
        26 => vec!["TYPE", k(rng)],
        27 => vec!["SET", "s", v(rng)],
        28 => vec!["OBJECT", "ENCODING", k(rng)],
        _ => vec!["LRANGE", k(rng), "0", "-1"],
    };
    words.into_iter().map(str::to_owned).collect()
}

#[test]
fn random_list_sequences_match_redis() {
    random_sequences_match(&[], VALUES, &[(1, "4"), (2, "-2"), (3, "1"), (4, "2")]);
}

/// Runs 1500 random list commands per `(seed, list-max-listpack-size)` run on rkv and
/// redis-server, both started with `args`, and asserts identical replies and final lists.
/// Elements come from `values`.
pub fn random_sequences_match(args: &[&str], values: &[&str], runs: &[(u64, &str)]) {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    let rkv = Server::start(args);
    let redis = Server::start_redis(args);
    let (mut ours, mut theirs) = (rkv.raw(), redis.raw());
    for &(seed, fill) in runs {
        let mut rng = fastrand::Rng::with_seed(seed);
        for setup in [&["FLUSHALL"][..], &["CONFIG", "SET", "list-max-listpack-size", fill]] {
            assert_eq!(ours.call(setup), theirs.call(setup));
        }
        let mut history = Vec::new();
        for _ in 0..1500 {
            let cmd = random_command(&mut rng, values);
            let args: Vec<&str> = cmd.iter().map(String::as_str).collect();
            let (a, b) = (ours.call(&args), theirs.call(&args));
            history.push(cmd.join(" "));
            let recent = history[history.len().saturating_sub(15)..].join("\n");
            assert_eq!(a, b, "seed {seed}, after:\n{recent}");
        }
        for key in KEYS {
            assert_eq!(ours.call(&["LRANGE", key, "0", "-1"]), theirs.call(&["LRANGE", key, "0", "-1"]), "seed {seed}");
        }
    }
}
