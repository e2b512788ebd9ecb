//! Differential regression tests for replies that once differed from redis-server 7.0.15: the
//! same request bytes go to rkv and to the real server, and the reply bytes must be identical.
//! Covered: error texts that echo client bytes (raw, not lossy UTF-8; cut at a NUL as C's `%s`
//! cuts them), HELLO's option order and NOAUTH text, ZINCRBY with ZADD's options, OBJECT REFCOUNT,
//! and lex ranges over sorted sets whose scores differ.

use crate::support::{Raw, Server, have};

/// Starts rkv and redis-server with the same extra arguments; `None` when redis-server is not
/// installed (the test is then skipped).
fn pair(args: &[&str]) -> Option<(Server, Server)> {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return None;
    }
    Some((Server::start(args), Server::start_redis(args)))
}

/// Sends each command to both connections and asserts byte-identical replies.
fn same_bytes(a: &mut Raw, b: &mut Raw, commands: &[&[&[u8]]]) {
    for cmd in commands {
        a.cmd(cmd);
        b.cmd(cmd);
        let (ours, theirs) = (a.read_reply(), b.read_reply());
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs),
            "command {:?}",
            cmd.iter().map(|a| String::from_utf8_lossy(a)).collect::<Vec<_>>()
        );
        assert_eq!(ours, theirs, "raw bytes differ for {cmd:?}");
    }
}

#[test]
fn errors_echo_client_bytes_as_sent() {
    let Some((rkv, redis)) = pair(&[]) else { return };
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    same_bytes(
        &mut a,
        &mut b,
        &[
            &[b"SET", b"k", b"v"],
            // Invalid UTF-8 is echoed raw.
            &[b"EXPIRE", b"k", b"1", b"\xc3("],
            &[b"foo\xc3(", b"a\xff", b"b"],
            &[b"OBJECT", b"x\xffy"],
            &[b"CONFIG", b"\xffz"],
            &[b"CONFIG", b"SET", b"x\xff", b"1"],
            &[b"CONFIG", b"SET", b"maxmemory", b"1", b"bad\xff", b"1"],
            &[b"CLIENT", b"KILL", b"USER", b"u\xff"],
            &[b"CLIENT", b"LIST", b"TYPE", b"u\xff"],
            &[b"HELLO", b"3", b"\xff"],
            // A NUL ends what `%s` prints, in command names and arguments alike. (Not "get\0":
            // Redis finds commands with strcasecmp under a seeded hash of all the bytes, so
            // whether "get\0" runs GET depends on the hash seed of that run.)
            &[b"foo\0bar", b"a\0b", b"c"],
            &[b"\0", b"x"],
            &[b"OBJECT", b"a\0b"],
            &[b"EXPIRE", b"k", b"1", b"a\0b"],
            &[b"CONFIG", b"SET", b"x\0\xff", b"1"],
            &[b"CLIENT", b"KILL", b"USER", b"u\0v"],
            &[b"CLIENT", b"LIST", b"TYPE", b"u\0v"],
            &[b"HELLO", b"3", b"a\0b"],
            // The 128-byte quote budget counts bytes as printed.
            &[b"x", &[b'y'; 100], &[0; 10], &[b'z'; 40], b"w"],
            &[b"x", &[b'y'; 100], &[0xff; 10], &[b'z'; 40], b"w"],
            // CR and LF: spaces inside, trimmed at the end of formatted errors.
            &[b"EXPIRE", b"k", b"1", b"a\nb\r\n"],
            &[b"EXPIRE", b"k", b"1", b"\na\n"],
            &[b"foo\n", b"a\r\n"],
            &[b"CLIENT", b"KILL", b"USER", b"u\n"],
            &[b"INFO", b"errorstats"],
        ],
    );
}

#[test]
fn hello_applies_options_in_order_and_says_noauth_like_redis() {
    let Some((rkv, redis)) = pair(&["--requirepass", "pw"]) else { return };
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    same_bytes(
        &mut a,
        &mut b,
        &[
            &[b"HELLO"],
            &[b"HELLO", b"3"],
            &[b"HELLO", b"2", b"AUTH", b"default", b"wrong"],
            &[b"HELLO", b"3", b"AUTH", b"nobody", b"pw"],
            &[b"HELLO", b"3", b"AUTH", b"default"],
            // The name is set before the authentication check refuses the handshake...
            &[b"HELLO", b"3", b"SETNAME", b"early"],
            // ...and a good AUTH stays good when a later option fails.
            &[b"HELLO", b"3", b"AUTH", b"default", b"pw", b"SETNAME", b"a b"],
            &[b"CLIENT", b"GETNAME"],
            &[b"PING"],
        ],
    );
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    same_bytes(
        &mut a,
        &mut b,
        &[&[b"HELLO", b"2", b"AUTH", b"default", b"pw", b"BAD"], &[b"PING"], &[b"CLIENT", b"GETNAME"]],
    );
}

#[test]
fn zincrby_reads_zadd_options() {
    let Some((rkv, redis)) = pair(&[]) else { return };
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    let mut commands: Vec<Vec<&[u8]>> = Vec::new();
    for opt in [&b"GT"[..], b"lt", b"NX", b"xx", b"INCR", b"ch", b"1", b"x", b"nan", b"+inf"] {
        commands.push(vec![b"ZINCRBY", b"z", opt, b"m"]);
        commands.push(vec![b"ZINCRBY", b"z", b"1", opt]);
    }
    for tail in [
        &[&b"INCR"[..], b"m"][..],
        &[b"INCR", b"1", b"m", b"2", b"n"],
        &[b"INCR", b"GT", b"x", b"m"],
        &[b"INCR", b"NX", b"XX", b"1", b"m"],
        &[b"INCR", b"GT", b"LT", b"1", b"m"],
        &[b"INCR", b"CH", b"1", b"m"],
        &[b"INCR", b"LT", b"5", b"m"],
        &[b"INCR", b"XX", b"5", b"q"],
        &[b"INCR", b"-inf", b"m"],
        &[b"INCR", b"+inf", b"m"],
        &[b"NX", b"XX", b"x", b"m"],
        &[b"1", b"m", b"x", b"n"],
    ] {
        commands.push([&[&b"ZADD"[..], b"z"][..], tail].concat());
    }
    commands.push(vec![b"ZRANGE", b"z", b"0", b"-1", b"WITHSCORES"]);
    let commands: Vec<&[&[u8]]> = commands.iter().map(Vec::as_slice).collect();
    same_bytes(&mut a, &mut b, &commands);
}

/// The bulk strings of a flat RESP2 array reply.
fn bulk_items(reply: &[u8]) -> Vec<Vec<u8>> {
    let mut items = Vec::new();
    let mut rest = reply;
    let line = |rest: &mut &[u8]| {
        let end = rest.windows(2).position(|w| w == b"\r\n").expect("line end");
        let text = rest[..end].to_vec();
        *rest = &rest[end + 2..];
        text
    };
    let header = line(&mut rest);
    let n: usize = std::str::from_utf8(&header[1..]).unwrap().parse().unwrap_or(0);
    for _ in 0..n {
        let len: usize = std::str::from_utf8(&line(&mut rest)[1..]).unwrap().parse().unwrap();
        items.push(rest[..len].to_vec());
        rest = &rest[len + 2..];
    }
    items
}

/// A lex bound as the test writes it, tested against a member (Redis's `zslLexValueGteMin` and
/// `zslLexValueLteMax`).
fn passes(bound: &str, member: &[u8], is_min: bool) -> bool {
    match bound.as_bytes() {
        b"-" => is_min,
        b"+" => !is_min,
        [b'[', v @ ..] if is_min => member >= v,
        [b'(', v @ ..] if is_min => member > v,
        [b'[', v @ ..] => member <= v,
        [_, v @ ..] => member < v,
        [] => unreachable!("bounds are never empty"),
    }
}

/// Whether a list of test results reads `false* true*` (`rising`) or `true* false*`.
fn monotone(results: &[bool], rising: bool) -> bool {
    results.windows(2).all(|w| if rising { !w[0] || w[1] } else { w[0] || !w[1] })
}

/// Lex ranges over sorted sets whose scores differ (members not in lex order), both encodings.
/// A `listpack` is walked deterministically by Redis: every reply must match. A `skiplist` is
/// descended along random express lanes, so Redis's own answer varies unless the test that
/// decides the starting member flips at most once along the set: only those answers are
/// compared (and ZREMRANGEBYLEX is only sent then, so both sets stay equal).
#[test]
fn lex_ranges_over_mixed_scores_match_redis_walks() {
    let Some((rkv, redis)) = pair(&[]) else { return };
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    let mut rng = fastrand::Rng::with_seed(0x1e7);
    let member = |rng: &mut fastrand::Rng| -> String { (0..rng.usize(..3)).map(|_| rng.char('a'..='e')).collect() };
    let bound = move |rng: &mut fastrand::Rng| match rng.u8(..10) {
        0 => "-".to_owned(),
        1 => "+".to_owned(),
        _ => format!("{}{}", if rng.bool() { '[' } else { '(' }, member(rng)),
    };
    let (mut compared, mut skipped) = (0, 0);
    for (phase, encoding) in ["listpack", "skiplist"].iter().enumerate() {
        if phase == 1 {
            same_bytes(&mut a, &mut b, &[&[b"CONFIG", b"SET", b"zset-max-listpack-entries", b"0"]]);
        }
        for _ in 0..300 {
            same_bytes(&mut a, &mut b, &[&[b"DEL", b"z"]]);
            for _ in 0..rng.usize(1..10) {
                let (score, m) = (rng.u8(..4).to_string(), member(&mut rng));
                same_bytes(&mut a, &mut b, &[&[b"ZADD", b"z", score.as_bytes(), m.as_bytes()]]);
            }
            same_bytes(&mut a, &mut b, &[&[b"OBJECT", b"ENCODING", b"z"]]);
            b.cmd(&[b"OBJECT", b"ENCODING", b"z"]);
            assert!(String::from_utf8_lossy(&b.read_reply()).contains(encoding));
            for _ in 0..8 {
                let (min, max) = (bound(&mut rng), bound(&mut rng));
                let (offset, count) = (rng.i8(-1..3).to_string(), rng.i8(-1..4).to_string());
                let limit = [&b"LIMIT"[..], offset.as_bytes(), count.as_bytes()];
                let (lo, hi) = (min.as_bytes(), max.as_bytes());
                // The command, and which tests decide where Redis starts: min's (forward walks,
                // deletion), max's (reverse walks), or both (ZLEXCOUNT on a skiplist).
                let (cmd, needs_min, needs_max): (Vec<&[u8]>, bool, bool) = match rng.u8(..7) {
                    0 => (vec![b"ZRANGEBYLEX", b"z", lo, hi], true, false),
                    1 => ([&[&b"ZRANGEBYLEX"[..], b"z", lo, hi][..], &limit].concat(), true, false),
                    2 => (vec![b"ZREVRANGEBYLEX", b"z", hi, lo], false, true),
                    3 => ([&[&b"ZREVRANGEBYLEX"[..], b"z", hi, lo][..], &limit].concat(), false, true),
                    4 => (vec![b"ZRANGE", b"z", hi, lo, b"BYLEX", b"REV"], false, true),
                    5 => (vec![b"ZLEXCOUNT", b"z", lo, hi], true, true),
                    _ => (vec![b"ZREMRANGEBYLEX", b"z", lo, hi], true, false),
                };
                let deterministic = phase == 0 || {
                    b.cmd(&[b"ZRANGE", b"z", b"0", b"-1"]);
                    let order = bulk_items(&b.read_reply());
                    let mins: Vec<bool> = order.iter().map(|m| passes(&min, m, true)).collect();
                    let maxes: Vec<bool> = order.iter().map(|m| passes(&max, m, false)).collect();
                    (!needs_min || monotone(&mins, true)) && (!needs_max || monotone(&maxes, false))
                };
                if deterministic {
                    same_bytes(&mut a, &mut b, &[&cmd]);
                    compared += 1;
                } else {
                    skipped += 1;
                }
            }
            same_bytes(&mut a, &mut b, &[&[b"ZRANGE", b"z", b"0", b"-1", b"WITHSCORES"]]);
        }
    }
    // Most skiplist queries are still compared.
    assert!(compared > 4 * skipped, "{compared} compared, {skipped} skipped");
}

/// OBJECT REFCOUNT after the string writes a user sees, outside and inside MULTI/EXEC (where
/// Redis's queue still references the values stored from queued arguments).
#[test]
fn object_refcount_follows_redis_sharing_and_exec_references() {
    let Some((rkv, redis)) = pair(&[]) else { return };
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    let mut commands: Vec<Vec<&str>> = Vec::new();
    let setups: &[&[&[&str]]] = &[
        &[&["SET", "k", "100"]],
        &[&["SET", "k", "9999"]],
        &[&["SET", "k", "10000"]],
        &[&["SET", "k", "-1"]],
        &[&["SET", "k", "abc"]],
        &[&["SET", "k", "0100"]],
        &[&["SET", "k", "5"], &["INCR", "k"]],
        &[&["SET", "k", "9999"], &["INCR", "k"]],
        &[&["SET", "k", "20000"], &["DECRBY", "k", "15000"]],
        &[&["DECR", "k"]],
        &[&["INCRBY", "k", "50"]],
        &[&["SET", "k", "5"], &["INCRBYFLOAT", "k", "1"]],
        &[&["SET", "k", "1"], &["APPEND", "k", "2"]],
        &[&["APPEND", "k", "12"]],
        &[&["SET", "k", "1"], &["SETRANGE", "k", "0", "3"]],
        &[&["SET", "k", "x"], &["GETSET", "k", "100"]],
        &[&["SETNX", "k", "100"]],
        &[&["SETEX", "k", "100", "100"]],
        &[&["PSETEX", "k", "100000", "abc"]],
        &[&["MSET", "k", "100"]],
        &[&["MSETNX", "k", "abc"]],
        &[&["SET", "k", "100", "GET"]],
        &[&["SET", "j", "100"], &["RENAME", "j", "k"]],
        &[&["RPUSH", "k", "100"]],
    ];
    for setup in setups {
        commands.push(vec!["DEL", "k", "j"]);
        commands.extend(setup.iter().map(|c| c.to_vec()));
        commands.push(vec!["OBJECT", "REFCOUNT", "k"]);
        commands.push(vec!["OBJECT", "ENCODING", "k"]);
    }
    let transactions: &[&[&str]] = &[
        &["SET", "k", "100"],
        &["SET", "k", "abc"],
        &["SET", "k", "123456"],
        &["INCR", "k"],
        &["INCRBY", "k", "0"],
        &["APPEND", "k", "x"],
        &["APPEND", "j", "abc"],
        &["APPEND", "j", "5"],
        &["MSET", "k", "abc", "j", "12"],
        &["SETEX", "k", "100", "abc"],
        &["GETSET", "k", "zz"],
        &["SETRANGE", "k", "0", "y"],
        &["SET", "k", "5"],
        &["INCRBYFLOAT", "k", "1"],
        &["INCRBY", "k", "100000"],
        &["SET", "k", "abc", "GET"],
        &["SET", "k", "abc", "EX", "100"],
        &["GETEX", "k"],
        &["EXPIRE", "k", "100"],
        &["RENAME", "k", "j"],
        &["SET", "k", "abc"],
        &["RENAMENX", "j", "k"],
        &["GETDEL", "k"],
        &["SETRANGE", "k", "0", "abc"],
    ];
    commands.push(vec!["DEL", "k", "j"]);
    commands.push(vec!["MULTI"]);
    for cmd in transactions {
        commands.push(cmd.to_vec());
        commands.push(vec!["OBJECT", "REFCOUNT", "k"]);
        commands.push(vec!["OBJECT", "REFCOUNT", "j"]);
    }
    commands.push(vec!["EXEC"]);
    // After EXEC the queue is gone: back to 1.
    commands.push(vec!["MULTI"]);
    commands.push(vec!["SET", "k", "abc"]);
    commands.push(vec!["EXEC"]);
    commands.push(vec!["OBJECT", "REFCOUNT", "k"]);
    let bytes: Vec<Vec<&[u8]>> = commands.iter().map(|c| c.iter().map(|w| w.as_bytes()).collect()).collect();
    let bytes: Vec<&[&[u8]]> = bytes.iter().map(Vec::as_slice).collect();
    same_bytes(&mut a, &mut b, &bytes);
}

/// Under an LRU policy with maxmemory set, Redis shares no integers.
#[test]
fn object_refcount_without_shared_integers() {
    let Some((rkv, redis)) = pair(&["--maxmemory", "100mb", "--maxmemory-policy", "allkeys-lru"]) else { return };
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    same_bytes(
        &mut a,
        &mut b,
        &[
            &[b"SET", b"k", b"100"],
            &[b"OBJECT", b"REFCOUNT", b"k"],
            &[b"INCR", b"k"],
            &[b"OBJECT", b"REFCOUNT", b"k"],
            &[b"MULTI"],
            &[b"SET", b"k", b"7"],
            &[b"OBJECT", b"REFCOUNT", b"k"],
            &[b"EXEC"],
        ],
    );
}

/// DEBUG echoes client bytes too: its unknown-subcommand error (`%.128s`) and DEBUG ERROR's line
/// (sent whole, NULs included, and not counted as an error).
#[test]
fn debug_errors_echo_client_bytes() {
    let Some((rkv, redis)) = pair(&["--enable-debug-command", "yes"]) else { return };
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    same_bytes(
        &mut a,
        &mut b,
        &[
            &[b"DEBUG", b"\xffx"],
            &[b"DEBUG", b"a\0b"],
            &[b"DEBUG", &[b'q'; 200]],
            &[b"DEBUG", b"ERROR", b"foo\0b\nr\xff"],
            &[b"INFO", b"errorstats"],
        ],
    );
}
