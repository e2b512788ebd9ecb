//! Randomized differential testing: the same seeded random command sequences go to rkv and to
//! the real redis-server 7.0, and every reply must be byte-identical. Some steps wrap random
//! commands in MULTI/EXEC (or DISCARD) blocks, with WATCH/UNWATCH and a second connection's
//! writes in between.
//!
//! A second test does the same for hashes and sets, with small encoding limits so that values
//! convert; replies in hash-table order are compared as sorted sets of elements (or field/value
//! pairs), and SPOP and HRANDFIELD only ask for more than the whole collection.
//!
//! Excluded because they are random by nature: RANDOMKEY. Expiry is only ever set as an absolute
//! time (EXAT, PXAT, EXPIREAT, PEXPIREAT) and read back as one (EXPIRETIME), or given invalid or
//! past values: a relative TTL read back with TTL could round differently on the two servers
//! when the reads straddle a half-second, however close together they are.

use crate::support::{Server, have};

/// Values chosen to hit encodings and parsing edge cases.
const VALUES: &[&str] = &[
    "",
    "0",
    "1",
    "-1",
    "42",
    "007",
    "3.5",
    "-0",
    " 1",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "hello",
    "hello world",
    "\u{1}\u{0}\u{ff}",
    "a somewhat longer value that is more than 44 bytes long",
];
const KEYS: &[&str] = &["k1", "k2", "k3", "k4", "{k}5", "k6"];

fn pick<'a>(rng: &mut fastrand::Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

/// One random command over a small key space.
fn random_command(rng: &mut fastrand::Rng) -> Vec<String> {
    let k = |rng: &mut fastrand::Rng| pick(rng, KEYS).to_owned();
    let v = |rng: &mut fastrand::Rng| pick(rng, VALUES).to_owned();
    let int = |rng: &mut fastrand::Rng| {
        pick(rng, &["0", "1", "-3", "100", "x", "9223372036854775807", "-9223372036854775808"]).to_owned()
    };
    let words: Vec<String> = match rng.u32(..34) {
        0 => vec!["GET".into(), k(rng)],
        1 => {
            let mut cmd = vec!["SET".into(), k(rng), v(rng)];
            for _ in 0..rng.usize(..3) {
                let opt = pick(rng, &["NX", "XX", "GET", "KEEPTTL", "EX", "PX", "EXAT", "PXAT", "BAD"]);
                cmd.push(opt.into());
                if matches!(opt, "EX" | "PX") {
                    cmd.push(pick(rng, &["0", "-5", "x"]).into());
                } else if matches!(opt, "EXAT" | "PXAT") {
                    // No past times: SET keeps such a key until active expiry reaps it, so
                    // DBSIZE would depend on when each server's expiry cycle ran.
                    cmd.push(pick(rng, &["4102444800", "4102444800000"]).into());
                }
            }
            cmd
        }
        2 => vec!["SETNX".into(), k(rng), v(rng)],
        3 => vec!["GETSET".into(), k(rng), v(rng)],
        4 => vec!["GETDEL".into(), k(rng)],
        5 => match pick(rng, &["PERSIST", "EXAT", "PXAT"]) {
            "PERSIST" => vec!["GETEX".into(), k(rng), "PERSIST".into()],
            unit => vec!["GETEX".into(), k(rng), unit.into(), pick(rng, &["4102444800", "4102444800123"]).into()],
        },
        6 => vec!["MGET".into(), k(rng), k(rng), k(rng)],
        7 => vec!["MSET".into(), k(rng), v(rng), k(rng), v(rng)],
        8 => vec!["MSETNX".into(), k(rng), v(rng), k(rng), v(rng)],
        9 => vec!["APPEND".into(), k(rng), v(rng)],
        10 => vec!["STRLEN".into(), k(rng)],
        11 => vec!["INCR".into(), k(rng)],
        12 => vec!["DECR".into(), k(rng)],
        13 => vec!["INCRBY".into(), k(rng), int(rng)],
        14 => vec!["DECRBY".into(), k(rng), int(rng)],
        15 => vec!["SETRANGE".into(), k(rng), pick(rng, &["0", "3", "-1", "x"]).into(), v(rng)],
        16 => vec!["GETRANGE".into(), k(rng), int(rng), int(rng)],
        17 => vec!["DEL".into(), k(rng), k(rng)],
        18 => vec!["EXISTS".into(), k(rng), k(rng)],
        19 => vec!["TYPE".into(), k(rng)],
        20 => vec!["RENAME".into(), k(rng), k(rng)],
        21 => vec!["RENAMENX".into(), k(rng), k(rng)],
        22 => vec!["COPY".into(), k(rng), k(rng), pick(rng, &["REPLACE", "DB", "NOPE"]).into(), "1".into()],
        23 => vec!["MOVE".into(), k(rng), pick(rng, &["0", "1", "2"]).into()],
        24 => vec!["SELECT".into(), pick(rng, &["0", "1", "2"]).into()],
        25 => {
            let (command, when) = match rng.u32(..3) {
                0 => ("EXPIRE", pick(rng, &["-1", "0"])),
                _ => ("EXPIREAT", pick(rng, &["4102444800", "4102445000", "1"])),
            };
            vec![command.into(), k(rng), when.into(), pick(rng, &["NX", "XX", "GT", "LT", ""]).into()]
        }
        26 => vec!["PERSIST".into(), k(rng)],
        27 => vec!["EXPIRETIME".into(), k(rng)],
        28 => vec!["DBSIZE".into()],
        29 => vec!["SWAPDB".into(), pick(rng, &["0", "1"]).into(), pick(rng, &["1", "2"]).into()],
        30 => vec!["UNLINK".into(), k(rng)],
        31 => vec!["TOUCH".into(), k(rng), k(rng)],
        32 => vec!["PEXPIREAT".into(), k(rng), pick(rng, &["1", "4102444800000"]).into()],
        _ => vec!["FLUSHDB".into()],
    };
    words.into_iter().filter(|w| !w.is_empty()).collect()
}

/// The next step of a random session: usually one command, sometimes a transaction block
/// (optionally after WATCH, with another connection's write in between, an occasional queue-time
/// error, and EXEC or DISCARD at the end). Each item names the connection (0 or 1) it goes to.
fn random_steps(rng: &mut fastrand::Rng) -> Vec<(usize, Vec<String>)> {
    if rng.u32(..25) != 0 {
        return vec![(0, random_command(rng))];
    }
    let word = |s: &str| vec![s.to_owned()];
    let mut steps = Vec::new();
    if rng.bool() {
        let keys = (0..rng.usize(1..3)).map(|_| pick(rng, KEYS).to_owned());
        steps.push((0, std::iter::once("WATCH".to_owned()).chain(keys).collect()));
        match rng.u32(..4) {
            0 => steps.push((1, random_command(rng))),
            1 => steps.push((0, random_command(rng))),
            2 => steps.push((0, word("UNWATCH"))),
            _ => {}
        }
    }
    steps.push((0, word("MULTI")));
    for _ in 0..rng.usize(..5) {
        steps.push((0, random_command(rng)));
        if rng.u32(..20) == 0 {
            steps.push((0, vec!["GET".to_owned()]));
        }
    }
    if rng.u32(..6) == 0 {
        steps.push((1, random_command(rng)));
    }
    steps.push((0, word(if rng.u32(..8) == 0 { "DISCARD" } else { "EXEC" })));
    steps
}

#[test]
fn random_string_and_key_sequences_match_redis() {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    let rkv = Server::start(&[]);
    let redis = Server::start_redis(&[]);
    for seed in 1..=4u64 {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut ours = [rkv.raw(), rkv.raw()];
        let mut theirs = [redis.raw(), redis.raw()];
        ours[0].call(&["FLUSHALL"]);
        theirs[0].call(&["FLUSHALL"]);
        let mut history = Vec::new();
        let mut sent = 0;
        while sent < 1500 {
            for (conn, cmd) in random_steps(&mut rng) {
                let args: Vec<&str> = cmd.iter().map(String::as_str).collect();
                let (a, b) = (ours[conn].call(&args), theirs[conn].call(&args));
                history.push(format!("[{conn}] {}", cmd.join(" ")));
                sent += 1;
                let recent = history[history.len().saturating_sub(15)..].join("\n");
                assert_eq!(a, b, "seed {seed}, after:\n{recent}");
            }
        }
    }
}

/// Fields, members and values for the hash and set sequences: integers (intset), short strings,
/// one long enough to pass a small `hash-max-listpack-value`.
const ITEMS: &[&str] = &["1", "2", "-5", "10", "007", "a", "b", "c", "hello", "x y", "a-value-longer-than-16-bytes"];
/// Hash and set keys; `s:str` is written as a string to draw WRONGTYPE errors.
const COLLECTION_KEYS: &[&str] = &["h1", "h2", "s1", "s2", "s3", "s:str"];

/// One random hash, set or cross-type command over a small key space.
fn random_collection_command(rng: &mut fastrand::Rng) -> Vec<String> {
    let k = |rng: &mut fastrand::Rng| pick(rng, COLLECTION_KEYS).to_owned();
    let i = |rng: &mut fastrand::Rng| pick(rng, ITEMS).to_owned();
    let n = |rng: &mut fastrand::Rng| pick(rng, &["0", "1", "2", "-1", "x", "3.5", "9223372036854775807"]).to_owned();
    let mut cmd: Vec<String> = match rng.u32(..32) {
        0 => vec!["HSET".into(), k(rng), i(rng), i(rng), i(rng), i(rng)],
        1 => vec!["HSETNX".into(), k(rng), i(rng), i(rng)],
        2 => vec!["HGET".into(), k(rng), i(rng)],
        3 => vec!["HMGET".into(), k(rng), i(rng), i(rng)],
        4 => vec!["HDEL".into(), k(rng), i(rng), i(rng)],
        5 => vec!["HLEN".into(), k(rng)],
        6 => vec!["HSTRLEN".into(), k(rng), i(rng)],
        7 => vec!["HEXISTS".into(), k(rng), i(rng)],
        8 => vec!["HINCRBY".into(), k(rng), i(rng), n(rng)],
        9 => vec!["HINCRBYFLOAT".into(), k(rng), i(rng), n(rng)],
        10 => vec!["HGETALL".into(), k(rng)],
        11 => vec!["HKEYS".into(), k(rng)],
        12 => vec!["HVALS".into(), k(rng)],
        13 => vec!["SADD".into(), k(rng), i(rng), i(rng), i(rng)],
        14 => vec!["SREM".into(), k(rng), i(rng), i(rng)],
        15 => vec!["SISMEMBER".into(), k(rng), i(rng)],
        16 => vec!["SMISMEMBER".into(), k(rng), i(rng), i(rng)],
        17 => vec!["SCARD".into(), k(rng)],
        18 => vec!["SMEMBERS".into(), k(rng)],
        19 => vec!["SMOVE".into(), k(rng), k(rng), i(rng)],
        20 => vec![pick(rng, &["SINTER", "SUNION", "SDIFF"]).into(), k(rng), k(rng), k(rng)],
        21 => vec![pick(rng, &["SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"]).into(), k(rng), k(rng), k(rng)],
        22 => vec!["SINTERCARD".into(), n(rng), k(rng), k(rng), "LIMIT".into(), n(rng)],
        23 => vec!["OBJECT".into(), "ENCODING".into(), k(rng)],
        24 => vec!["TYPE".into(), k(rng)],
        25 => vec!["DEL".into(), k(rng)],
        26 => vec!["EXISTS".into(), k(rng), k(rng)],
        27 => vec!["SET".into(), "s:str".into(), i(rng)],
        28 => vec!["RENAME".into(), k(rng), k(rng)],
        29 => vec!["COPY".into(), k(rng), k(rng), "REPLACE".into()],
        30 => vec!["SPOP".into(), k(rng), "100".into()],
        _ => vec!["HRANDFIELD".into(), k(rng), "100".into(), "WITHVALUES".into()],
    };
    // Occasionally a wrong number of arguments.
    if rng.u32(..40) == 0 {
        cmd.truncate(1);
    }
    cmd
}

/// Replies whose element order is hash-table order in Redis (so may differ): their elements (or
/// field/value pairs) are sorted before comparing. Other replies are compared as they are.
fn order_insensitive(cmd: &[String], reply: &str) -> String {
    let name = cmd[0].to_ascii_uppercase();
    let pairs = name == "HGETALL" || name == "HRANDFIELD";
    if !matches!(name.as_str(), "HGETALL" | "HKEYS" | "HVALS" | "SMEMBERS" | "SINTER" | "SUNION" | "SDIFF" | "SPOP")
        && !pairs
    {
        return reply.to_owned();
    }
    let mut lines = reply.split("\r\n");
    let Some(header) = lines.next().filter(|h| h.starts_with('*')) else { return reply.to_owned() };
    // Bulk strings come as a `$len` line and a body line; the last chunk is the empty tail after
    // the final CRLF.
    let mut items: Vec<String> =
        lines.collect::<Vec<_>>().chunks(2).map(|c| c.get(1).copied().unwrap_or("").to_owned()).collect();
    items.pop();
    let mut groups: Vec<String> = if pairs { items.chunks(2).map(|c| c.join("=")).collect() } else { items };
    groups.sort();
    format!("{header} {}", groups.join(","))
}

#[test]
fn random_hash_and_set_sequences_match_redis() {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    // Small thresholds so that sequences cross the listpack/intset → hashtable conversions.
    let limits =
        ["--hash-max-listpack-entries", "4", "--hash-max-listpack-value", "16", "--set-max-intset-entries", "4"];
    let rkv = Server::start(&limits);
    let redis = Server::start_redis(&limits);
    for seed in 1..=4u64 {
        let mut rng = fastrand::Rng::with_seed(seed);
        let (mut ours, mut theirs) = (rkv.raw(), redis.raw());
        ours.call(&["FLUSHALL"]);
        theirs.call(&["FLUSHALL"]);
        let mut history = Vec::new();
        for _ in 0..1500 {
            let cmd = random_collection_command(&mut rng);
            let args: Vec<&str> = cmd.iter().map(String::as_str).collect();
            let (a, b) = (ours.call(&args), theirs.call(&args));
            history.push(cmd.join(" "));
            let recent = history[history.len().saturating_sub(15)..].join("\n");
            assert_eq!(order_insensitive(&cmd, &a), order_insensitive(&cmd, &b), "seed {seed}, after:\n{recent}");
        }
    }
}
