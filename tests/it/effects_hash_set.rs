//! What hash and set writes cause besides their replies, compared with redis-server 7.0.15:
//! the keyspace events they fire (including `del` when a key is emptied), the commands they
//! propagate (HINCRBYFLOAT as HSET, SPOP as SREMs or a DEL), and how many changes they count.

use crate::support::effects::{Transcript, redis_propagation, rkv_propagation, same_notifications, same_propagation};
use crate::support::{Server, have, same_dirty_counts};

/// Hash writes: new keys, overwrites, no-ops, errors, fields and keys removed.
const HASH_WRITES: &[&[&str]] = &[
    &["HSET", "h", "a", "1", "b", "2"],
    &["HSET", "h", "a", "1"],
    &["HSET", "h", "a", "3", "c", "4", "a", "5"],
    &["HSET", "h", "odd"],
    &["HMSET", "h", "d", "6", "e", "7"],
    &["HMSET", "h2", "x", "1"],
    &["HSETNX", "h", "a", "9"],
    &["HSETNX", "h", "f", "8"],
    &["HSETNX", "h3", "f", "8"],
    &["HINCRBY", "h", "a", "10"],
    &["HINCRBY", "h", "new", "-3"],
    &["HINCRBY", "h4", "n", "1"],
    &["HINCRBY", "h", "a", "notanumber"],
    &["HSET", "h", "s", "abc"],
    &["HINCRBY", "h", "s", "1"],
    &["HINCRBY", "h", "a", "9223372036854775807"],
    &["HINCRBYFLOAT", "h", "a", "0.5"],
    &["HINCRBYFLOAT", "h", "fl", "10.1"],
    &["HINCRBYFLOAT", "h", "fl", "0.2"],
    &["HINCRBYFLOAT", "h", "fl", "5.0e3"],
    &["HINCRBYFLOAT", "h5", "g", "3"],
    &["HINCRBYFLOAT", "h", "s", "1"],
    &["HINCRBYFLOAT", "h", "a", "inf"],
    &["HDEL", "h", "nope"],
    &["HDEL", "h", "a", "b", "nope", "a"],
    &["HDEL", "missing", "a"],
    &["HDEL", "h2", "x"],
    &["HDEL", "h3", "f", "g"],
    &["EXISTS", "h2", "h3"],
    &["SET", "str", "v"],
    &["HSET", "str", "a", "1"],
    &["HMSET", "str", "a", "1"],
    &["HSETNX", "str", "a", "1"],
    &["HINCRBY", "str", "a", "1"],
    &["HINCRBYFLOAT", "str", "a", "1"],
    &["HDEL", "str", "a"],
    &["HGETALL", "h4"],
];

/// Set writes other than partial SPOPs (whose members are random): SADD, SREM, SMOVE, whole
/// and single SPOPs, and the STORE commands, each with its no-op, emptying and error cases.
const SET_WRITES: &[&[&str]] = &[
    &["SADD", "s", "a", "b", "c"],
    &["SADD", "s", "a"],
    &["SADD", "s", "a", "d", "d", "e"],
    &["SADD", "i", "1", "2", "3"],
    &["SREM", "s", "zz"],
    &["SREM", "missing", "a"],
    &["SREM", "s", "a", "b", "zz", "a"],
    &["SADD", "one", "x"],
    &["SREM", "one", "x", "y"],
    &["EXISTS", "one"],
    &["SMOVE", "missing", "s", "a"],
    &["SMOVE", "s", "t", "zz"],
    &["SMOVE", "s", "t", "c"],
    &["SADD", "t", "d"],
    &["SMOVE", "s", "t", "d"],
    &["SMOVE", "s", "s", "e"],
    &["SMOVE", "s", "s", "zz"],
    &["SMOVE", "s", "t", "e"],
    &["EXISTS", "s"],
    &["SET", "str", "v"],
    &["SMOVE", "t", "str", "c"],
    &["SMOVE", "str", "t", "c"],
    &["SMOVE", "missing", "str", "c"],
    &["SADD", "p", "42"],
    &["SPOP", "p"],
    &["EXISTS", "p"],
    &["SPOP", "p"],
    &["SPOP", "p", "3"],
    &["SPOP", "i", "0"],
    &["SPOP", "i", "-1"],
    &["SPOP", "i", "3"],
    &["EXISTS", "i"],
    &["SADD", "i", "7", "8"],
    &["SPOP", "i", "100"],
    &["SPOP", "str"],
    &["SPOP", "str", "2"],
    &["SPOP", "p", "1", "2"],
    &["SADD", "u", "1", "2", "3"],
    &["SADD", "v", "2", "3", "4"],
    &["SINTERSTORE", "d1", "u", "v"],
    &["SUNIONSTORE", "d2", "u", "v"],
    &["SDIFFSTORE", "d3", "u", "v"],
    &["SINTERSTORE", "d1", "u", "v"],
    &["SINTERSTORE", "d1", "u", "nope"],
    &["SINTERSTORE", "d1", "u", "nope"],
    &["SADD", "d1", "9"],
    &["SINTERSTORE", "d1", "u", "w"],
    &["SUNIONSTORE", "d2", "nope"],
    &["SUNIONSTORE", "d2", "nope"],
    &["SDIFFSTORE", "d3", "u", "u"],
    &["SDIFFSTORE", "d3", "u", "u"],
    &["SDIFFSTORE", "str", "u", "v"],
    &["TYPE", "str"],
    &["SET", "str", "v"],
    &["SINTERSTORE", "d4", "u", "str"],
    &["SUNIONSTORE", "d4", "u", "str"],
    &["SDIFFSTORE", "d4", "str", "u"],
    &["SINTERSTORE", "u", "u", "v"],
    &["SMEMBERS", "u"],
];

#[test]
fn hash_events() {
    same_notifications("KEA", HASH_WRITES);
}

#[test]
fn hash_events_by_class() {
    same_notifications("Kh", &[&["HSET", "h", "a", "1"], &["HINCRBY", "h", "a", "1"], &["HDEL", "h", "a"]]);
    same_notifications("Eg", &[&["HSET", "h", "a", "1"], &["HDEL", "h", "a"]]);
}

#[test]
fn hash_propagation() {
    same_propagation(HASH_WRITES);
}

#[test]
fn hash_dirty_counts() {
    same_dirty_counts(HASH_WRITES);
}

#[test]
fn set_events() {
    same_notifications("KEA", SET_WRITES);
}

#[test]
fn set_events_by_class() {
    same_notifications(
        "Ks",
        &[&["SADD", "s", "a", "b"], &["SMOVE", "s", "t", "a"], &["SPOP", "s"], &["SUNIONSTORE", "u", "t"]],
    );
    same_notifications("Eg", &[&["SADD", "s", "a"], &["SREM", "s", "a"], &["SADD", "t", "1"], &["SPOP", "t", "5"]]);
}

#[test]
fn set_propagation() {
    same_propagation(SET_WRITES);
}

#[test]
fn set_dirty_counts() {
    same_dirty_counts(SET_WRITES);
}

#[test]
fn writes_in_transactions_propagate_their_rewritten_forms() {
    same_propagation(&[
        &["SADD", "s", "1"],
        &["MULTI"],
        &["HINCRBYFLOAT", "h", "f", "1.5"],
        &["SPOP", "s"],
        &["SREM", "s", "nope"],
        &["HDEL", "h", "f"],
        &["EXEC"],
        &["SADD", "s", "1", "2"],
        &["MULTI"],
        &["SPOP", "s", "2"],
        &["SADD", "s", "3"],
        &["EXEC"],
    ]);
}

/// Partial SPOPs: members are random, so everything but which members were popped is compared.
const PARTIAL_SPOPS: &[&[&str]] = &[
    &["SADD", "k", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"],
    &["SPOP", "k", "3"],
    &["SPOP", "k", "1"],
    &["SPOP", "k"],
    &["SPOP", "k", "2"],
    &["SPOP", "k", "10"],
    &["SADD", "k", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"],
    &["SPOP", "k", "9"],
    &["SADD", "w", "a", "b", "c", "d", "e"],
    &["SPOP", "w", "4"],
    &["SADD", "w", "x", "y", "z"],
    &["SPOP", "w", "1"],
];

/// Partial SPOPs in a transaction: their SREMs join the transaction's single MULTI/EXEC. (The
/// notification transcript cannot run MULTI, whose marker PUBLISH would be queued.)
const PARTIAL_SPOPS_IN_MULTI: &[&[&str]] = &[
    &["SADD", "w", "a", "b", "c", "d", "e"],
    &["MULTI"],
    &["SPOP", "w", "2"],
    &["SPOP", "w", "1"],
    &["SADD", "w", "f"],
    &["EXEC"],
];

/// `commands`' propagation with the member of every SREM replaced by `<m>`.
fn masked(commands: Vec<Vec<String>>) -> Vec<Vec<String>> {
    commands
        .into_iter()
        .map(|mut argv| {
            if argv[0] == "SREM" && argv.len() == 3 {
                argv[2] = "<m>".to_owned();
            }
            argv
        })
        .collect()
}

#[test]
fn partial_spop_propagates_one_srem_per_member() {
    let Some(theirs) = redis_propagation(PARTIAL_SPOPS) else {
        eprintln!("skipped: redis-server is not installed");
        return;
    };
    let ours = rkv_propagation(PARTIAL_SPOPS);
    assert_eq!(masked(ours.clone()), masked(theirs), "propagated commands (rkv left, redis right)");
    let theirs = redis_propagation(PARTIAL_SPOPS_IN_MULTI).unwrap_or_default();
    assert_eq!(masked(rkv_propagation(PARTIAL_SPOPS_IN_MULTI)), masked(theirs), "in MULTI (rkv left, redis right)");
    // Up to the first SADD after the full pop, rkv removed distinct members of 1..=10, and the
    // DEL took the rest: every member went exactly once.
    let first_round: Vec<&Vec<String>> = ours.iter().skip_while(|a| a[0] != "SADD").skip(1).collect();
    let mut removed: Vec<&str> =
        first_round.iter().take_while(|a| a[0] != "DEL").filter(|a| a[0] == "SREM").map(|a| a[2].as_str()).collect();
    removed.sort_unstable();
    removed.dedup();
    assert_eq!(removed.len(), 7, "{ours:?}");
    assert!(removed.iter().all(|m| m.parse::<u32>().is_ok_and(|n| (1..=10).contains(&n))), "{ours:?}");
}

#[test]
fn partial_spop_events_and_dirty_counts() {
    if !have("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    let args = ["--notify-keyspace-events", "KEA", "--enable-debug-command", "yes"];
    let (rkv, redis) = (Server::start(&args), Server::start_redis(&args));
    let (mut ours, mut theirs) = (Transcript::open(rkv.port), Transcript::open(redis.port));
    let (mut a, mut b) = (rkv.raw(), redis.raw());
    let dirty = |conn: &mut crate::support::Raw| {
        let info = conn.call(&["INFO", "persistence"]);
        info.lines().find(|l| l.starts_with("rdb_changes_since_last_save:")).unwrap_or_default().to_owned()
    };
    // Only the notification lines: the reply (random members) is left out, its lines end in \r.
    let events = |text: String| -> Vec<String> {
        text.split('\n').filter(|l| !l.is_empty() && !l.ends_with('\r')).map(str::to_owned).collect()
    };
    for (i, cmd) in PARTIAL_SPOPS.iter().enumerate() {
        let (x, y) = (ours.run(i, cmd), theirs.run(i, cmd));
        assert_eq!(x.get(..1), y.get(..1), "reply type of {cmd:?}");
        assert_eq!(events(x), events(y), "events of {cmd:?}");
        assert_eq!(dirty(&mut a), dirty(&mut b), "after {cmd:?}");
    }
}
