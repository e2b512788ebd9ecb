//! What the list and sorted-set writes cause besides their replies, compared with redis-server
//! 7.0.15: keyspace events (and their order), `rdb_changes_since_last_save`, and the commands
//! propagated to the AOF and replicas, including clients blocked in BLPOP, BLMOVE, BZPOPMIN and
//! friends that a later write serves.

use std::time::{Duration, Instant};

use crate::support::effects::{same_notifications, same_propagation, same_propagation_clients};
use crate::support::{Raw, Server, have, same_dirty_counts};

/// Every list write, its no-op and error forms, keys created and emptied.
const LIST_WRITES: &[&[&str]] = &[
    &["RPUSH", "l", "a", "b", "c"],
    &["LPUSH", "l", "x", "y"],
    &["RPUSHX", "missing", "a"],
    &["LPUSHX", "l", "y"],
    &["RPUSHX", "l", "z"],
    &["LPUSHX", "missing", "y"],
    &["LINSERT", "l", "BEFORE", "a", "i"],
    &["LINSERT", "l", "after", "nope", "i"],
    &["LINSERT", "missing", "BEFORE", "a", "i"],
    &["LSET", "l", "0", "q"],
    &["LSET", "l", "99", "q"],
    &["LSET", "missing", "0", "q"],
    &["LREM", "l", "0", "nope"],
    &["LREM", "l", "-1", "a"],
    &["LREM", "missing", "0", "a"],
    &["LTRIM", "l", "0", "-1"],
    &["LTRIM", "l", "1", "-2"],
    &["LTRIM", "missing", "0", "1"],
    &["LPOP", "l"],
    &["RPOP", "l", "0"],
    &["RPOP", "l", "2"],
    &["LPOP", "l", "10"],
    &["LPOP", "l"],
    &["LPOP", "missing", "2"],
    &["RPUSH", "r", "a", "b", "a"],
    &["LREM", "r", "0", "a"],
    &["LREM", "r", "0", "b"],
    &["RPUSH", "t", "a", "b"],
    &["LTRIM", "t", "5", "10"],
    &["RPUSH", "s", "a", "b", "c"],
    &["LMOVE", "s", "d", "LEFT", "right"],
    &["RPOPLPUSH", "s", "d"],
    &["RPOPLPUSH", "d", "d"],
    &["LMOVE", "s", "s", "left", "left"],
    &["LMOVE", "s", "d", "RIGHT", "LEFT"],
    &["LMOVE", "s", "d", "LEFT", "LEFT"],
    &["RPOPLPUSH", "missing", "d"],
    &["SET", "str", "v"],
    &["LPUSH", "str", "a"],
    &["LMOVE", "d", "str", "LEFT", "LEFT"],
    &["LPOP", "str"],
    &["LMPOP", "2", "str", "d", "LEFT"],
    &["RPUSH", "m", "a", "b", "c"],
    &["LMPOP", "2", "missing", "m", "RIGHT", "COUNT", "2"],
    &["LMPOP", "1", "m", "LEFT", "COUNT", "9"],
    &["LMPOP", "1", "m", "LEFT"],
];

/// The blocking list commands when they need not block.
const LIST_BLOCKING_AT_ONCE: &[&[&str]] = &[
    &["RPUSH", "b", "a", "b", "c", "d"],
    &["BLPOP", "missing", "b", "0"],
    &["BRPOP", "b", "1"],
    &["BLMOVE", "b", "d", "left", "Right", "0"],
    &["BRPOPLPUSH", "b", "d", "0"],
    &["RPUSH", "b", "a", "b", "c"],
    &["BLMPOP", "0", "2", "missing", "b", "RIGHT", "COUNT", "2"],
    &["BLMPOP", "0", "1", "b", "left", "COUNT", "5"],
    &["BLMPOP", "0", "1", "d", "LEFT"],
    &["SET", "str", "v"],
    &["BLPOP", "str", "0"],
    &["BLMOVE", "d", "str", "LEFT", "LEFT", "0"],
];

/// Every sorted-set write, its no-op and error forms, keys created and emptied.
const ZSET_WRITES: &[&[&str]] = &[
    &["ZADD", "z", "1", "a", "2", "b", "3", "c"],
    &["ZADD", "z", "1", "a"],
    &["ZADD", "z", "XX", "5", "new"],
    &["ZADD", "missing", "XX", "5", "new"],
    &["ZADD", "z", "CH", "10", "a", "20", "new"],
    &["ZADD", "z", "GT", "0", "a"],
    &["ZADD", "z", "NX", "0", "a"],
    &["ZADD", "z", "INCR", "1", "b"],
    &["ZADD", "z", "XX", "INCR", "1", "nope"],
    &["ZINCRBY", "z", "2", "c"],
    &["ZINCRBY", "z", "+inf", "c"],
    &["ZINCRBY", "z", "-inf", "c"],
    &["ZINCRBY", "fresh", "2", "c"],
    &["ZREM", "z", "nope"],
    &["ZREM", "z", "a", "nope"],
    &["ZREM", "missing", "a"],
    &["ZREMRANGEBYSCORE", "z", "100", "200"],
    &["ZREMRANGEBYSCORE", "z", "-inf", "(4"],
    &["ZREMRANGEBYRANK", "z", "10", "20"],
    &["ZREMRANGEBYRANK", "z", "0", "0"],
    &["ZADD", "lx", "0", "a", "0", "b", "0", "c"],
    &["ZREMRANGEBYLEX", "lx", "(x", "+"],
    &["ZREMRANGEBYLEX", "lx", "[a", "[b"],
    &["ZREMRANGEBYLEX", "lx", "-", "+"],
    &["ZREMRANGEBYRANK", "z", "0", "-1"],
    &["ZREM", "fresh", "c"],
    &["ZADD", "p", "1", "a", "2", "b", "3", "c", "4", "d"],
    &["ZPOPMIN", "p"],
    &["ZPOPMAX", "p", "0"],
    &["ZPOPMAX", "p", "1"],
    &["ZPOPMIN", "missing"],
    &["ZPOPMIN", "p", "10"],
    &["ZADD", "q", "1", "a", "2", "b", "3", "c"],
    &["ZMPOP", "2", "missing", "q", "MAX", "COUNT", "2"],
    &["ZMPOP", "1", "q", "min", "COUNT", "5"],
    &["ZMPOP", "1", "q", "MIN"],
    &["SET", "str", "v"],
    &["ZADD", "str", "1", "a"],
    &["ZREM", "str", "a"],
    &["ZPOPMIN", "str"],
    &["ZMPOP", "2", "missing", "str", "MIN"],
];

/// The *STORE commands: created, overwritten (another type too), emptied, and no-op deletions.
const ZSET_STORES: &[&[&str]] = &[
    &["ZADD", "s1", "1", "a", "2", "b"],
    &["ZADD", "s2", "2", "b", "3", "c"],
    &["ZUNIONSTORE", "dst", "2", "s1", "s2"],
    &["ZINTERSTORE", "dst", "2", "s1", "s2", "WEIGHTS", "2", "3"],
    &["ZDIFFSTORE", "dst", "2", "s1", "s2"],
    &["ZINTERSTORE", "dst", "2", "s1", "missing"],
    &["ZINTERSTORE", "dst", "2", "s1", "missing"],
    &["ZDIFFSTORE", "dst", "2", "s1", "s1"],
    &["ZRANGESTORE", "dst", "s1", "0", "-1"],
    &["ZRANGESTORE", "dst", "s2", "(2", "+inf", "BYSCORE"],
    &["ZRANGESTORE", "dst", "s1", "5", "10"],
    &["ZRANGESTORE", "dst", "s1", "5", "10"],
    &["SET", "str", "v"],
    &["ZUNIONSTORE", "str", "1", "s1"],
    &["ZUNIONSTORE", "dst", "2", "s1", "str"],
    &["ZUNIONSTORE", "s1", "2", "s1", "s2", "AGGREGATE", "MAX"],
];

/// The blocking sorted-set pops when they need not block.
const ZSET_BLOCKING_AT_ONCE: &[&[&str]] = &[
    &["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"],
    &["BZPOPMIN", "missing", "z", "0"],
    &["BZPOPMAX", "z", "1"],
    &["BZMPOP", "0", "2", "missing", "z", "max", "COUNT", "5"],
    &["SET", "str", "v"],
    &["BZPOPMIN", "str", "0"],
];

/// Replies, keyspace events, dirty counts and propagated commands of `commands`, against
/// redis-server.
fn same_effects(commands: &[&[&str]]) {
    same_notifications("KEA", commands);
    same_dirty_counts(commands);
    same_propagation(commands);
}

#[test]
fn list_writes() {
    same_effects(LIST_WRITES);
}

#[test]
fn list_blocking_commands_answered_at_once() {
    same_effects(LIST_BLOCKING_AT_ONCE);
}

#[test]
fn zset_writes() {
    same_effects(ZSET_WRITES);
}

#[test]
fn zset_stores() {
    same_effects(ZSET_STORES);
}

#[test]
fn zset_blocking_commands_answered_at_once() {
    same_effects(ZSET_BLOCKING_AT_ONCE);
}

/// Inside MULTI the blocking commands cannot wait: they answer the timeout reply at once, or pop
/// like their non-blocking twins.
const BLOCKING_IN_MULTI: &[&[&str]] = &[
    &["RPUSH", "d", "a", "b"],
    &["ZADD", "z", "1", "a", "2", "b"],
    &["MULTI"],
    &["BLPOP", "nothing", "0"],
    &["BLMOVE", "nothing", "d", "LEFT", "LEFT", "0"],
    &["BLMPOP", "0", "1", "nothing", "LEFT"],
    &["BZPOPMIN", "nothing", "0"],
    &["BZMPOP", "0", "1", "nothing", "MIN"],
    &["BRPOP", "d", "0"],
    &["BLMOVE", "d", "e", "LEFT", "LEFT", "0"],
    &["BZPOPMAX", "z", "0"],
    &["BZMPOP", "0", "1", "z", "MIN", "COUNT", "3"],
    &["EXEC"],
];

#[test]
fn blocking_commands_inside_multi() {
    same_served(&[], BLOCKING_IN_MULTI);
    same_propagation(BLOCKING_IN_MULTI);
}

#[test]
fn writes_to_expired_keys_report_the_expiry_first() {
    same_served(
        &[],
        &[
            &["RPUSH", "l", "a"],
            &["ZADD", "z", "1", "a"],
            &["PEXPIRE", "l", "1"],
            &["PEXPIRE", "z", "1"],
            &[SLEEP, "20"],
            &["LPUSH", "l", "b"],
            &["ZADD", "z", "2", "b"],
        ],
    );
}

#[test]
fn event_classes_filter_list_and_zset_events() {
    let commands: &[&[&str]] = &[
        &["RPUSH", "l", "a"],
        &["LPOP", "l"],
        &["ZADD", "z", "1", "a"],
        &["ZPOPMIN", "z"],
        &["ZADD", "s", "1", "a"],
        &["ZINTERSTORE", "d", "1", "s"],
        &["ZINTERSTORE", "d", "2", "s", "missing"],
    ];
    same_notifications("Kl", commands);
    same_notifications("Ez", commands);
    same_notifications("Eg", commands);
}

/// Runs on rkv and on redis-server: each of `blockers` on its own connection, waiting until the
/// server counts it blocked; then `writes` on another connection, recording each reply and the
/// keyspace events a subscriber receives (a transaction's events come with EXEC; a [`SLEEP`]
/// step waits instead); then every
/// blocker's reply and the final `rdb_changes_since_last_save`. Asserts the two
/// transcripts are identical.
fn same_served(blockers: &[&[&str]], writes: &[&[&str]]) {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    // Active expiry off (DEBUG): expired keys report their event with the command that reads
    // them on both servers, not at whichever cron tick comes first.
    let args = ["--notify-keyspace-events", "KEA", "--enable-debug-command", "yes"];
    let rkv = Server::start(&args);
    let redis = Server::start_redis(&args);
    let ours = served_transcript(rkv.port, blockers, writes);
    let theirs = served_transcript(redis.port, blockers, writes);
    assert_eq!(ours, theirs, "blocked {blockers:?}, then {writes:?} (rkv left, redis right)");
}

fn served_transcript(port: u16, blockers: &[&[&str]], writes: &[&[&str]]) -> Vec<String> {
    let mut control = Raw::connect(port);
    assert_eq!(control.call(&["DEBUG", "SET-ACTIVE-EXPIRE", "0"]), "+OK\r\n");
    let mut waiting: Vec<Raw> = Vec::new();
    for (i, cmd) in blockers.iter().enumerate() {
        let mut conn = Raw::connect(port);
        conn.cmd(&bytes(cmd));
        wait_blocked(&mut control, i + 1);
        waiting.push(conn);
    }
    let mut subscriber = Raw::connect(port);
    subscriber.call(&["PSUBSCRIBE", "__key*__:*"]);
    subscriber.call(&["SUBSCRIBE", "rkv-test-marker"]);
    let mut writer = Raw::connect(port);
    let mut lines = Vec::new();
    let mut in_multi = false;
    for (step, cmd) in writes.iter().enumerate() {
        if cmd[0] == SLEEP {
            std::thread::sleep(Duration::from_millis(cmd[1].parse().unwrap_or(0)));
            continue;
        }
        lines.push(writer.call(cmd));
        in_multi = match cmd[0].to_ascii_uppercase().as_str() {
            "MULTI" => true,
            "EXEC" | "DISCARD" => false,
            _ => in_multi,
        };
        if in_multi {
            // A PUBLISH would be queued: the events come with EXEC.
            continue;
        }
        // The marker ends this command's events (they are published before its reply).
        let marker = step.to_string();
        writer.call(&["PUBLISH", "rkv-test-marker", &marker]);
        loop {
            let text = String::from_utf8_lossy(&subscriber.read_reply()).into_owned();
            let parts: Vec<&str> = text.split("\r\n").collect();
            if parts.get(2) == Some(&"pmessage") {
                lines.push(format!("{} {}", parts[6], parts[8]));
                continue;
            }
            assert_eq!(parts.get(6), Some(&marker.as_str()), "unexpected push {text:?}");
            break;
        }
    }
    for conn in &mut waiting {
        lines.push(String::from_utf8_lossy(&conn.read_reply()).into_owned());
    }
    let info = control.call(&["INFO", "persistence"]);
    lines.extend(info.lines().filter(|l| l.starts_with("rdb_changes_since_last_save:")).map(str::to_owned));
    lines
}

fn bytes<'a>(cmd: &[&'a str]) -> Vec<&'a [u8]> {
    cmd.iter().map(|a| a.as_bytes()).collect()
}

/// A step of [`same_served`]'s writes that is not sent: the test waits that many milliseconds.
const SLEEP: &str = "(sleep)";

/// Waits until the server counts `n` blocked clients.
fn wait_blocked(control: &mut Raw, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    let expected = format!("blocked_clients:{n}\r\n");
    while !control.call(&["INFO", "clients"]).contains(&expected) {
        assert!(Instant::now() < deadline, "never saw {expected:?}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn served_list_pops_fire_their_events_and_count_like_redis() {
    same_served(&[&["BLPOP", "l", "0"]], &[&["RPUSH", "l", "a", "b"]]);
    same_served(&[&["BRPOP", "missing", "l", "0"], &["BLPOP", "l", "0"]], &[&["LPUSH", "l", "a", "b", "c"]]);
    same_served(&[&["BLPOP", "l", "0"], &["BLPOP", "l", "0"]], &[&["RPUSH", "l", "a"], &["RPUSH", "l", "b"]]);
    same_served(&[&["BLMPOP", "0", "2", "k1", "k2", "LEFT", "COUNT", "5"]], &[&["RPUSH", "k2", "a", "b", "c"]]);
    same_served(&[&["BLMPOP", "0", "1", "k", "RIGHT", "COUNT", "2"]], &[&["RPUSH", "k", "a", "b", "c"]]);
}

#[test]
fn served_list_moves_fire_their_events_and_count_like_redis() {
    same_served(&[&["BLMOVE", "src", "dst", "RIGHT", "LEFT", "0"]], &[&["RPUSH", "src", "a"]]);
    same_served(&[&["BLMOVE", "src", "src", "left", "right", "0"]], &[&["RPUSH", "src", "a", "b"]]);
    // A destination of another type: the waiter gets WRONGTYPE and nothing moves.
    same_served(&[&["BLMOVE", "src", "str", "left", "right", "0"]], &[&["SET", "str", "v"], &["RPUSH", "src", "a"]]);
    // A served BRPOPLPUSH pushes to a key another client waits on, which serves it in turn.
    same_served(&[&["BRPOPLPUSH", "a", "b", "0"], &["BLPOP", "b", "0"]], &[&["RPUSH", "a", "x"]]);
    // Pushes inside a transaction serve the waiters after EXEC.
    same_served(
        &[&["BLPOP", "l", "0"], &["BRPOP", "l", "0"]],
        &[&["MULTI"], &["RPUSH", "l", "a"], &["RPUSH", "l", "b", "c"], &["EXEC"]],
    );
}

#[test]
fn served_zset_pops_fire_their_events_and_count_like_redis() {
    same_served(&[&["BZPOPMIN", "z", "0"]], &[&["ZADD", "z", "1", "a", "2", "b"]]);
    same_served(&[&["BZPOPMAX", "missing", "z", "0"], &["BZPOPMIN", "z", "0"]], &[&["ZADD", "z", "1", "a", "2", "b"]]);
    same_served(&[&["BZMPOP", "0", "1", "z", "MAX", "COUNT", "5"]], &[&["ZADD", "z", "1", "a", "2", "b"]]);
    same_served(
        &[&["BZMPOP", "0", "2", "y", "z", "MIN"], &["BZPOPMIN", "z", "0"]],
        &[&["ZADD", "z", "1", "a", "2", "b", "3", "c"]],
    );
    same_served(&[&["BZPOPMIN", "z", "0"]], &[&["ZADD", "s", "1", "a"], &["ZUNIONSTORE", "z", "1", "s"]]);
}

#[test]
fn served_blocked_clients_propagate_what_redis_propagates() {
    same_propagation_clients(&[
        (0, &["BLPOP", "l", "0"]),
        (1, &["RPUSH", "l", "a", "b", "c"]),
        (0, &["BRPOP", "l", "0"]),
        (0, &["BRPOP", "missing", "l", "0"]),
        (0, &["BLMOVE", "s", "d", "left", "right", "0"]),
        (1, &["LPUSH", "s", "x", "y"]),
        (0, &["BLMOVE", "s", "d", "right", "left", "0"]),
        (0, &["BLMOVE", "s", "d", "RIGHT", "LEFT", "0"]),
        (1, &["RPUSH", "s", "z"]),
        (0, &["BRPOPLPUSH", "a", "b", "0"]),
        (2, &["BLPOP", "b", "0"]),
        (1, &["RPUSH", "a", "x"]),
        (0, &["BLMPOP", "0", "2", "m", "n", "RIGHT", "COUNT", "5"]),
        (1, &["RPUSH", "n", "1", "2", "3", "4", "5", "6"]),
        (0, &["BLMPOP", "0", "1", "n", "LEFT"]),
        (2, &["BLPOP", "l", "0"]),
        (0, &["BLPOP", "l", "0"]),
        (1, &["MULTI"]),
        (1, &["RPUSH", "l", "a"]),
        (1, &["RPUSH", "l", "b"]),
        (1, &["EXEC"]),
        // Served in its own database, which the stream selects.
        (0, &["SELECT", "2"]),
        (0, &["BRPOP", "l", "0"]),
        (1, &["SELECT", "2"]),
        (1, &["LPUSH", "l", "a"]),
    ]);
}

#[test]
fn served_blocked_zset_pops_propagate_what_redis_propagates() {
    same_propagation_clients(&[
        (0, &["BZPOPMIN", "z", "0"]),
        (1, &["ZADD", "z", "1", "a", "2", "b", "3", "c"]),
        (0, &["BZPOPMAX", "z", "0"]),
        (0, &["BZMPOP", "0", "1", "y", "MAX", "COUNT", "5"]),
        (1, &["ZADD", "y", "1", "a", "2", "b"]),
        (0, &["BZMPOP", "0", "2", "y", "z", "MIN", "COUNT", "5"]),
        (2, &["BZPOPMAX", "z", "0"]),
        (0, &["BZMPOP", "0", "1", "z", "MIN"]),
        (1, &["ZADD", "z", "1", "a", "2", "b", "3", "c"]),
    ]);
}
