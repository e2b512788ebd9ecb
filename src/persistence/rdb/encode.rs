//! Values in their RDB serialization, as Redis 7.0 writes them (`rdbSaveObjectType` and
//! `rdbSaveObject`): strings (integers in their short forms), lists as quicklists of listpack
//! nodes, sets as an intset or member by member, sorted sets as a listpack or member by member
//! from the highest score down, hashes as a listpack or pair by pair.

use std::io::{self, Write};

use super::format::{CONTAINER_PACKED, CONTAINER_PLAIN, ValueType};
use super::listpack;
use super::writer::Writer;
use crate::keyspace::{HashValue, StringValue, Value};
use crate::protocol::d2string;
use crate::types::listpack::Listpack;
use crate::types::quicklist::NodeData;
use crate::types::set::SetValue;
use crate::types::zset::ZSetValue;

/// The RDB type `value` is written as.
pub fn value_type(value: &Value) -> ValueType {
    match value {
        Value::String(_) => ValueType::String,
        Value::List(_) => ValueType::ListQuicklist2,
        Value::Set(set) => match *set {
            SetValue::IntSet(_) => ValueType::SetIntset,
            SetValue::Hashtable(_) => ValueType::Set,
        },
        Value::ZSet(zset) if zset_as_listpack(zset) => ValueType::ZSetListpack,
        Value::ZSet(_) => ValueType::ZSet2,
        Value::Hash(hash) if hash_listpack(hash).is_some() => ValueType::HashListpack,
        Value::Hash(_) => ValueType::Hash,
    }
}

/// Whether a sorted set is written as a listpack: when it is one in memory and the listpack
/// surely fits Redis's 32-bit size (bounding each entry by its longest header, backlen and
/// score text, so the check allocates nothing).
fn zset_as_listpack(zset: &ZSetValue) -> bool {
    /// Header and backlen of a member, and the whole entry of a score's text (24 characters).
    const ENTRY_OVERHEAD: usize = 10 + 34;
    match zset {
        ZSetValue::Listpack(items) => {
            listpack::fits(items.iter().map(|(_, member)| member.len() + ENTRY_OVERHEAD).fold(0, usize::saturating_add))
        }
        ZSetValue::Skiplist(_) => false,
    }
}

/// The entries of a hash written as a listpack, and their count.
fn hash_listpack(hash: &HashValue) -> Option<(&[u8], usize)> {
    hash.listpack_entries().filter(|(entries, _)| listpack::fits(entries.len()))
}

/// Writes `value`'s body (after its type byte, see [`value_type`]).
pub fn write_value<W: Write>(out: &mut Writer<W>, value: &Value) -> io::Result<()> {
    match value {
        Value::String(StringValue::Int(n)) => out.int_string(*n),
        Value::String(s) => out.string(s.as_bytes(&mut [0; 20])),
        Value::List(list) => {
            out.count(list.node_count())?;
            list.try_for_each_node(|node| match node {
                NodeData::Packed(lp) => {
                    out.len(CONTAINER_PACKED)?;
                    out.string(&listpack::framed(lp.encoded(), lp.len()))
                }
                NodeData::Plain(bytes) => {
                    out.len(CONTAINER_PLAIN)?;
                    out.string(bytes)
                }
            })
        }
        Value::Set(set) => match set {
            SetValue::IntSet(members) => out.string(members.as_redis_bytes()),
            SetValue::Hashtable(table) => {
                out.count(table.len())?;
                table.iter().try_for_each(|(member, ())| out.string(member.as_bytes()))
            }
        },
        Value::ZSet(zset) => write_zset(out, zset),
        Value::Hash(hash) => write_hash(out, hash),
    }
}

/// A sorted set: its listpack (member, then score as Redis's `d2string` text), or its members
/// from the highest score down with binary scores (Redis's order, so loading appends).
fn write_zset<W: Write>(out: &mut Writer<W>, zset: &ZSetValue) -> io::Result<()> {
    if zset_as_listpack(zset) {
        let mut lp = Listpack::new();
        zset.for_each(0, zset.len(), false, |score, member| {
            lp.push_back(member);
            lp.push_back(d2string(score).as_bytes());
        });
        return out.string(&listpack::framed(lp.encoded(), lp.len()));
    }
    out.count(zset.len())?;
    let mut result = Ok(());
    zset.for_each(0, zset.len(), true, |score, member| {
        if result.is_ok() {
            result = out.string(member).and_then(|()| out.binary_double(score));
        }
    });
    result
}

/// A hash: its listpack entries as they are, or pair by pair.
fn write_hash<W: Write>(out: &mut Writer<W>, hash: &HashValue) -> io::Result<()> {
    if let Some((entries, count)) = hash_listpack(hash) {
        return out.string(&listpack::framed(entries, count));
    }
    out.count(hash.len())?;
    hash.iter().try_for_each(|(field, value)| {
        out.string(&field)?;
        out.string(&value)
    })
}
