//! OBJECT REFCOUNT: how many references the value has. rkv never shares values, but reports
//! what Redis does for the strings a user can see:
//!
//! - Shared integers 0..9999 (Redis stores them when maxmemory is off or its policy is neither
//!   LRU nor LFU) have the "immortal" count. SET and friends, INCR and friends, and APPEND to a
//!   missing key store them; APPEND/SETRANGE results are never integers, and INCRBYFLOAT stores
//!   a plain string.
//! - Inside EXEC, a value stored from a queued command's own argument (SET, SETNX, SETEX, PSETEX,
//!   GETSET, MSET, MSETNX, APPEND to a missing key, and INCRBYFLOAT, whose argument Redis
//!   rewrites to the result) is also referenced by the transaction's queue until EXEC returns:
//!   Redis answers 2. The writers record such values with [`stored_from_argv`]; EXEC clears the
//!   record before and after running ([`exec_boundary`]).
//! - Everything else: 1.
//!
//! Not modelled: a shared integer copied by COPY (Redis answers 1), and values stored before
//! maxmemory-policy changed (rkv judges sharing by the policy at query time).

use std::cell::RefCell;

use crate::commands::CommandSpec;
use crate::keyspace::{StringValue, Value};
use crate::state::Ctx;

/// OBJECT REFCOUNT.
pub const SPEC: CommandSpec = CommandSpec {
    name: "refcount",
    summary: "Get the number of references to the value of the key",
    handler: run,
    ..super::BASE
};

/// Redis's shared integers are 0 to this, exclusive.
const SHARED_INTEGERS: i64 = 10_000;
/// The count Redis reports for shared objects (`OBJ_SHARED_REFCOUNT`).
const SHARED_REFCOUNT: i64 = i32::MAX as i64;

/// A value a queued command stored from its own argument during the running EXEC.
struct ArgvValue {
    db: usize,
    key: Vec<u8>,
    /// The stored bytes: a later write that changes them replaced Redis's object.
    value: Vec<u8>,
}

thread_local! {
    /// Values stored from queued arguments by the EXEC running now. Commands run on the executor
    /// thread one at a time and EXEC does not nest, so one list serves every client.
    static EXEC_ARGV_VALUES: RefCell<Vec<ArgvValue>> = const { RefCell::new(Vec::new()) };
}

/// Whether Redis would store `value` as one of its shared integers under the current config.
fn is_shared_integer(ctx: &Ctx<'_>, value: &StringValue) -> bool {
    let config = &ctx.server.config;
    let sharing = config.maxmemory == 0 || !config.maxmemory_policy.tracks_access();
    sharing && matches!(value, StringValue::Int(n) if (0..SHARED_INTEGERS).contains(n))
}

/// Records that `key` now holds `value`, stored from the running command's argument (a no-op
/// outside EXEC, and for shared integers, which Redis stores instead of the argument).
pub fn stored_from_argv(ctx: &Ctx<'_>, key: &[u8], value: &[u8]) {
    if ctx.client.multi.is_some() && !is_shared_integer(ctx, &StringValue::from_bytes(value)) {
        record(ctx, key, value);
    }
}

/// [`stored_from_argv`] for INCRBYFLOAT's result, which is never stored as an integer.
pub fn stored_float_result(ctx: &Ctx<'_>, key: &[u8], value: &[u8]) {
    if ctx.client.multi.is_some() {
        record(ctx, key, value);
    }
}

fn record(ctx: &Ctx<'_>, key: &[u8], value: &[u8]) {
    let db = ctx.client.db;
    EXEC_ARGV_VALUES.with_borrow_mut(|values| {
        values.retain(|v| v.db != db || v.key != key);
        values.push(ArgvValue { db, key: key.to_vec(), value: value.to_vec() });
    });
}

/// Forgets `key`'s record: its value was replaced by a new object that happens to hold the same
/// bytes (INCRBY 0).
pub fn replaced(ctx: &Ctx<'_>, key: &[u8]) {
    if ctx.client.multi.is_none() {
        return;
    }
    let db = ctx.client.db;
    EXEC_ARGV_VALUES.with_borrow_mut(|values| values.retain(|v| v.db != db || v.key != key));
}

/// `from`'s value moved to `to` in the client's database (RENAME): the same object, so the same
/// references.
pub fn renamed(ctx: &Ctx<'_>, from: &[u8], to: &[u8]) {
    if ctx.client.multi.is_none() {
        return;
    }
    let db = ctx.client.db;
    EXEC_ARGV_VALUES.with_borrow_mut(|values| {
        values.retain(|v| v.db != db || v.key != to);
        for v in values.iter_mut().filter(|v| v.db == db && v.key == from) {
            v.key = to.to_vec();
        }
    });
}

/// EXEC starts or ends: the queue's arguments are freed, and with them the extra references.
pub fn exec_boundary() {
    EXEC_ARGV_VALUES.with_borrow_mut(Vec::clear);
}

/// Whether `key`'s current `value` is still the argument a queued command stored.
fn held_by_queue(ctx: &Ctx<'_>, key: &[u8], value: &StringValue) -> bool {
    // APPEND and SETRANGE leave their own (raw) object, never an argument.
    if ctx.client.multi.is_none() || matches!(value, StringValue::Raw(_)) {
        return false;
    }
    let mut scratch = [0u8; 20];
    let bytes = value.as_bytes(&mut scratch);
    let db = ctx.client.db;
    EXEC_ARGV_VALUES.with_borrow(|values| values.iter().any(|v| v.db == db && v.key == key && v.value == bytes))
}

/// The reference count Redis would show for `value` stored at `key` (OBJECT REFCOUNT, DEBUG
/// OBJECT): shared integers, and arguments a queued transaction still holds, count as Redis's.
pub fn of(ctx: &Ctx<'_>, key: &[u8], value: &Value) -> i64 {
    match value {
        Value::String(s) if is_shared_integer(ctx, s) => SHARED_REFCOUNT,
        Value::String(s) if held_by_queue(ctx, key, s) => 2,
        _ => 1,
    }
}

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    super::with_entry(ctx, argv[2], |ctx, entry, _| {
        let count = of(ctx, argv[2], &entry.value);
        ctx.out.int(count);
    });
}
