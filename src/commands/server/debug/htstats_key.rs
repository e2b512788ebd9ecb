//! DEBUG HTSTATS-KEY <key>: the shape of the hash table behind a `hashtable` set or hash, or a
//! `skiplist` sorted set's member table, in the text of Redis's `dictGetStats`.

use super::Sub;
use super::htstats::render;
use super::key::inspect_value;
use crate::keyspace::{HashValue, Value};
use crate::state::Ctx;
use crate::types::set::SetValue;

/// DEBUG HTSTATS-KEY.
pub const SUB: Sub = Sub {
    name: "htstats-key",
    min_args: 3,
    max_args: 3,
    help: &["HTSTATS-KEY <key>", "    Like HTSTATS but for the hash table stored at <key>'s value."],
    run,
};

fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let stats = inspect_value(ctx, argv[2], |value| {
        let tables = match value {
            Value::Set(set) => match set {
                SetValue::Hashtable(dict) => Some(dict.stats()),
                SetValue::IntSet(_) => None,
            },
            Value::Hash(HashValue::Hashtable(dict)) => Some(dict.stats()),
            Value::ZSet(zset) => zset.member_table_stats(),
            Value::String(_) | Value::List(_) | Value::Hash(HashValue::Listpack(_)) => None,
        };
        tables.ok_or("ERR The value stored at the specified key is not represented using an hash table")
    });
    if let Some(tables) = stats {
        ctx.out.verbatim(render(&tables).as_bytes());
    }
}
