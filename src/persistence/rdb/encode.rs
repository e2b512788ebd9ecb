//! Values in their RDB serialization, as Redis 7.0 writes them (`rdbSaveObjectType` and
//! `rdbSaveObject`): strings (integers in their short forms), lists as quicklists of listpack
//! nodes, sets as an intset or member by member, sorted sets as a listpack or member by member
//! from the highest score down, hashes as a listpack or pair by pair, streams as their nodes,
//! counters and consumer groups (type 19, Redis 7.0's).

use std::io::{self, Write};

use super::format::{CONTAINER_PACKED, CONTAINER_PLAIN, ValueType};
use super::listpack;
use super::writer::Writer;
use crate::keyspace::{HashValue, StringValue, Value};
use crate::protocol::d2string;
use crate::types::forward_listpack;
use crate::types::listpack::Listpack;
use crate::types::quicklist::NodeData;
use crate::types::set::SetValue;
use crate::types::stream::{Group, Stream, StreamId};
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
        Value::Stream(_) => ValueType::StreamListpacks2,
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

/// The entries of a hash written as a listpack (without their backlens), and their count: when
/// they surely fit Redis's 32-bit size once each gets its backlen (5 bytes at most), so the
/// check walks nothing.
fn hash_listpack(hash: &HashValue) -> Option<(&[u8], usize)> {
    const MAX_BACKLEN: usize = 5;
    hash.listpack_entries()
        .filter(|(entries, count)| listpack::fits(entries.len().saturating_add(count.saturating_mul(MAX_BACKLEN))))
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
        Value::Stream(stream) => write_stream(out, stream),
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
        return out.string(&listpack::framed(&forward_listpack::with_backlens(entries), count));
    }
    out.count(hash.len())?;
    hash.iter().try_for_each(|(field, value)| {
        out.string(&field)?;
        out.string(&value)
    })
}

/// A stream as Redis 7.0's `rdbSaveObject` writes it: its nodes (master ID as 16 big-endian
/// bytes, then the framed listpack), length, last, first and greatest deleted IDs, entries
/// added, then each group with its PEL and consumers.
fn write_stream<W: Write>(out: &mut Writer<W>, stream: &Stream) -> io::Result<()> {
    out.count(stream.node_count())?;
    for (master, lp) in stream.nodes() {
        out.string(&master.to_be_bytes())?;
        out.string(&listpack::framed(lp.encoded(), lp.count()))?;
    }
    out.len(stream.len())?;
    for id in [stream.last_id, stream.first_id, stream.max_deleted_id] {
        write_id(out, id)?;
    }
    out.len(stream.entries_added)?;
    out.count(stream.groups.len())?;
    for (name, group) in &stream.groups {
        out.string(name)?;
        write_group(out, group)?;
    }
    Ok(())
}

fn write_id<W: Write>(out: &mut Writer<W>, id: StreamId) -> io::Result<()> {
    out.len(id.ms)?;
    out.len(id.seq)
}

/// A group after its name: last ID, entries read (-1 written as a 64-bit length, as Redis
/// does), the PEL with delivery times and counts, and each consumer with its seen time and the
/// IDs it owns.
fn write_group<W: Write>(out: &mut Writer<W>, group: &Group) -> io::Result<()> {
    write_id(out, group.last_id)?;
    out.len(group.entries_read as u64)?;
    out.count(group.pel.len())?;
    for (id, nack) in &group.pel {
        out.raw(&id.to_be_bytes())?;
        out.millis(nack.delivery_time)?;
        out.len(nack.delivery_count)?;
    }
    out.count(group.consumers.len())?;
    for (name, consumer) in &group.consumers {
        out.string(name)?;
        out.millis(consumer.seen_time)?;
        out.count(consumer.pel.len())?;
        for id in &consumer.pel {
            out.raw(&id.to_be_bytes())?;
        }
    }
    Ok(())
}
