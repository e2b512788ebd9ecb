//! Effects of the string and generic write commands, compared with redis-server 7.0.15: the
//! keyspace events each fires (including `new` for created keys), the form it is propagated in,
//! and the changes it counts in `rdb_changes_since_last_save`.

use crate::support::effects::{same_notifications, same_propagation};
use crate::support::same_dirty_counts;

/// Every class these commands fire in, but not those of the collections used as fixtures
/// (their commands' events are tested with their groups).
const CLASSES: &str = "KEg$lx";

/// Every string write, with the no-op and error cases that must fire nothing.
const STRING_WRITES: &[&[&str]] = &[
    &["SET", "s", "v"],
    &["SETNX", "s", "x"],
    &["SETNX", "n", "x"],
    &["SETEX", "e", "100", "v"],
    &["PSETEX", "p", "100000", "v"],
    &["SETEX", "e", "0", "v"],
    &["MSET", "m1", "a", "m2", "b", "s", "c"],
    &["MSETNX", "m1", "x", "m3", "y"],
    &["MSETNX", "m3", "x", "m4", "y"],
    &["INCR", "i"],
    &["INCRBY", "i", "10"],
    &["DECR", "i"],
    &["DECRBY", "i", "3"],
    &["INCR", "s"],
    &["INCRBYFLOAT", "f", "1.5"],
    &["INCRBYFLOAT", "f", "2.25e2"],
    &["INCRBYFLOAT", "s", "1"],
    &["APPEND", "a", "hello"],
    &["APPEND", "a", " world"],
    &["APPEND", "a", ""],
    &["SETRANGE", "r", "3", "xyz"],
    &["SETRANGE", "r", "0", "ab"],
    &["SETRANGE", "r", "1", ""],
    &["SETRANGE", "none", "5", ""],
    &["GETSET", "g", "1"],
    &["GETSET", "g", "2"],
    &["GETEX", "g", "EX", "100"],
    &["GETEX", "g", "PX", "100000"],
    &["GETEX", "g", "EXAT", "99999999999"],
    &["GETEX", "g", "PERSIST"],
    &["GETEX", "g", "PERSIST"],
    &["GETEX", "g"],
    &["GETEX", "missing", "EX", "10"],
    &["GETEX", "g", "PXAT", "1"],
    &["GETDEL", "a"],
    &["GETDEL", "a"],
    &["SADD", "list", "x"],
    &["GETDEL", "list"],
    &["APPEND", "list", "x"],
    &["GETSET", "list", "x"],
    &["SETRANGE", "list", "0", "x"],
];

/// Every generic write, with the cases that change nothing.
const GENERIC_WRITES: &[&[&str]] = &[
    &["SET", "a", "1"],
    &["SET", "b", "2", "EX", "100"],
    &["PERSIST", "a"],
    &["PERSIST", "b"],
    &["PERSIST", "missing"],
    &["RENAME", "a", "c"],
    &["RENAME", "c", "b"],
    &["RENAME", "b", "b"],
    &["RENAME", "missing", "x"],
    &["SET", "a", "1"],
    &["RENAMENX", "a", "b"],
    &["RENAMENX", "a", "d"],
    &["MOVE", "d", "1"],
    &["MOVE", "d", "1"],
    &["SET", "d", "again"],
    &["MOVE", "d", "1"],
    &["COPY", "b", "e"],
    &["COPY", "b", "e"],
    &["COPY", "b", "e", "REPLACE"],
    &["COPY", "b", "e", "DB", "2"],
    &["COPY", "b", "e", "DB", "2", "REPLACE"],
    &["COPY", "missing", "e"],
    &["UNLINK", "e", "missing"],
    &["DEL", "b", "missing"],
    &["SADD", "l", "3"],
    &["SADD", "l", "1"],
    &["SADD", "l", "2"],
    &["SORT", "l", "STORE", "sorted"],
    &["SORT", "l", "STORE", "sorted"],
    &["SORT", "l", "LIMIT", "0", "0", "STORE", "sorted"],
    &["SORT", "l", "LIMIT", "0", "0", "STORE", "sorted"],
    &["SWAPDB", "0", "1"],
    &["FLUSHDB"],
    &["FLUSHDB"],
    &["SET", "x", "1"],
    &["FLUSHALL"],
    &["FLUSHALL", "SYNC"],
];

#[test]
fn string_writes_fire_redis_events() {
    same_notifications(CLASSES, STRING_WRITES);
}

#[test]
fn generic_writes_fire_redis_events() {
    same_notifications(CLASSES, GENERIC_WRITES);
}

#[test]
fn created_keys_fire_new_first() {
    let with_new = format!("{CLASSES}n");
    same_notifications(&with_new, STRING_WRITES);
    same_notifications(&with_new, GENERIC_WRITES);
    // `n` alone: only `new`, for every way a key comes to exist.
    same_notifications(
        "KEn",
        &[
            &["SET", "a", "1"],
            &["SET", "a", "2"],
            &["MSET", "a", "3", "b", "4", "c", "5"],
            &["INCR", "i"],
            &["APPEND", "s", "x"],
            &["RENAME", "a", "z"],
            &["RENAME", "z", "b"],
            &["COPY", "b", "c", "REPLACE"],
            &["MOVE", "c", "3"],
            &["DEL", "b"],
        ],
    );
}

#[test]
fn classes_filter_string_and_generic_events() {
    same_notifications("Kg", &[&["SETEX", "k", "10", "v"], &["RENAME", "k", "j"], &["GETEX", "j", "PERSIST"]]);
    same_notifications("E$", &[&["SETEX", "k", "10", "v"], &["INCRBYFLOAT", "f", "1"], &["GETDEL", "k"]]);
    same_notifications("Kl", &[&["SADD", "l", "b", "a"], &["SORT", "l", "ALPHA", "STORE", "d"]]);
}

#[test]
fn events_in_other_databases() {
    same_notifications(
        "KEA",
        &[
            &["SELECT", "2"],
            &["SET", "k", "v"],
            &["MOVE", "k", "5"],
            &["SELECT", "5"],
            &["COPY", "k", "k", "DB", "0"],
            &["RENAME", "k", "j"],
        ],
    );
}

#[test]
fn writes_over_expired_keys_report_expired_then_new() {
    // PXAT 1 is long past: the key is logically expired as soon as it is set.
    let mut commands: Vec<Vec<&str>> = Vec::new();
    for write in [
        &["SET", "k", "w"][..],
        &["SETEX", "k", "100", "w"],
        &["PSETEX", "k", "100000", "w"],
        &["MSET", "k", "w"],
        &["SETNX", "k", "w"],
        &["GETSET", "k", "w"],
        &["INCR", "k"],
        &["INCRBYFLOAT", "k", "1"],
        &["APPEND", "k", "w"],
        &["SETRANGE", "k", "1", "w"],
        &["GETDEL", "k"],
        &["COPY", "src", "k"],
        &["RENAME", "src", "k"],
    ] {
        commands.push(vec!["SET", "src", "1"]);
        commands.push(vec!["SET", "k", "v", "PXAT", "1"]);
        commands.push(write.to_vec());
    }
    commands.push(vec!["SET", "k", "v", "PXAT", "1"]);
    commands.push(vec!["SADD", "l", "1"]);
    commands.push(vec!["SORT", "l", "STORE", "k"]);
    let commands: Vec<&[&str]> = commands.iter().map(Vec::as_slice).collect();
    same_notifications("KEg$lxn", &commands);
    same_propagation(&commands);
}

#[test]
fn string_writes_propagate_redis_forms() {
    same_propagation(STRING_WRITES);
}

#[test]
fn generic_writes_propagate_redis_forms() {
    same_propagation(GENERIC_WRITES);
}

#[test]
fn string_and_generic_writes_count_redis_changes() {
    same_dirty_counts(STRING_WRITES);
    same_dirty_counts(GENERIC_WRITES);
}

#[test]
fn lazyfree_settings_propagate_deletions_as_unlink() {
    same_propagation(&[
        &["CONFIG", "SET", "lazyfree-lazy-user-del", "yes"],
        &["CONFIG", "SET", "lazyfree-lazy-expire", "yes"],
        &["SET", "a", "1"],
        &["GETDEL", "a"],
        &["SET", "b", "1"],
        &["GETEX", "b", "EXAT", "1"],
        &["SET", "c", "1"],
        &["EXPIRE", "c", "-1"],
        &["SET", "d", "1"],
        &["DEL", "d"],
    ]);
}

#[test]
fn transactions_wrap_rewritten_forms() {
    same_propagation(&[
        &["MULTI"],
        &["SETEX", "a", "100", "v"],
        &["INCRBYFLOAT", "f", "0.1"],
        &["GETEX", "a", "PERSIST"],
        &["RENAME", "a", "b"],
        &["EXEC"],
    ]);
}
