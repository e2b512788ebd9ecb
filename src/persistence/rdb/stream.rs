//! Streams from their RDB serialization (types 15, 19 and 21: Redis 5-6, 7.0 and 7.2): nodes
//! (a 16-byte master ID, then a listpack in t_stream.c's layout), counters, and consumer groups
//! with their PELs and consumers.
//!
//! Input is untrusted: every node's listpack is validated and walked in full (master entry,
//! each entry's flags, fields and `lp-count`, the live and deleted counts), entry IDs must rise
//! through the whole stream and stay within their node, the stated length must equal the live
//! entries, and every consumer's pending ID must be in its group's PEL exactly once. Anything
//! else is refused, so the stream code can rely on its invariants.

use std::collections::BTreeMap;
use std::io::Read;

use super::error::Invalid;
use super::format::ValueType;
use super::listpack;
use super::reader::{Reader, Result};
use crate::keyspace::Value;
use crate::types::listpack::{Entry, Listpack};
use crate::types::stream::node::{FLAG_DELETED, FLAG_SAMEFIELDS};
use crate::types::stream::{Group, Nack, Stream, StreamId};

const NODE: &str = "Stream listpack";

fn id_pair<R: Read>(r: &mut Reader<R>) -> Result<StreamId> {
    Ok(StreamId::new(r.len()?, r.len()?))
}

/// Reads a stream value of type `ty` (the type byte already read).
pub fn read_stream<R: Read>(r: &mut Reader<R>, ty: ValueType) -> Result<Value> {
    let mut nodes = BTreeMap::new();
    let mut live = 0u64;
    let mut top = None;
    for _ in 0..r.len()? {
        let at = r.pos();
        let key = r.string()?;
        let master = StreamId::from_be_bytes(&key).ok_or_else(|| {
            r.corrupt(at, "Stream node key entry is not the size of a stream ID: expected a 16-byte stream node key")
        })?;
        let blob_at = r.pos();
        let blob = r.string()?;
        let entries = listpack::entries(&blob).map_err(|e| e.within(NODE, blob_at))?;
        let node = check_node(&entries, master, top).map_err(|e| e.within(NODE, blob_at))?;
        if node.is_empty {
            return Err(
                r.corrupt(blob_at, "Empty listpack inside stream: expected a non-empty listpack inside a stream")
            );
        }
        live += node.live;
        top = node.last.or(top);
        let lp: Listpack = entries.iter().map(|e| e.to_vec()).collect();
        if nodes.insert(master, lp).is_some() {
            return Err(r.corrupt(at, "Listpack re-added with existing key: expected distinct stream node keys"));
        }
    }
    let at = r.pos();
    let length = r.len()?;
    if length != live {
        return Err(r.corrupt(
            at,
            "Stream length inconsistent with rax entries: expected a stream length matching its live entries",
        ));
    }
    let mut stream = Stream::from_nodes(nodes, length);
    stream.last_id = id_pair(r)?;
    if ty == ValueType::StreamListpacks {
        stream.entries_added = length;
        stream.refresh_first_id();
    } else {
        stream.first_id = id_pair(r)?;
        stream.max_deleted_id = id_pair(r)?;
        stream.entries_added = r.len()?;
    }
    if top.is_some_and(|top| top > stream.last_id) {
        return Err(r.corrupt(at, "a stream last ID at or above its entries"));
    }
    for _ in 0..r.len()? {
        let at = r.pos();
        let name = r.string()?;
        let last_id = id_pair(r)?;
        let entries_read =
            if ty == ValueType::StreamListpacks { stream.estimate_distance(last_id) } else { r.len()? as i64 };
        let group = read_group(r, ty, Group::new(last_id, entries_read))?;
        if stream.groups.insert(name, group).is_some() {
            return Err(r.corrupt(at, "Duplicated consumer group name: expected distinct consumer group names"));
        }
    }
    Ok(Value::Stream(Box::new(stream)))
}

/// A group's PEL and consumers.
fn read_group<R: Read>(r: &mut Reader<R>, ty: ValueType, mut group: Group) -> Result<Group> {
    let mut owner: BTreeMap<StreamId, bool> = BTreeMap::new();
    for _ in 0..r.len()? {
        let at = r.pos();
        let id = StreamId::from_be_bytes(&r.array::<16>("a pending entry ID")?).unwrap_or_default();
        let delivery_time = r.millis()?;
        let delivery_count = r.len()?;
        if group.pel.insert(id, Nack { delivery_time, delivery_count, consumer: Vec::new() }).is_some() {
            return Err(r.corrupt(at, "Duplicated global PEL entry loading stream consumer group: expected distinct IDs in a consumer group's PEL"));
        }
        owner.insert(id, false);
    }
    for _ in 0..r.len()? {
        let at = r.pos();
        let name = r.string()?;
        if !group.create_consumer(&name, 0) {
            return Err(r.corrupt(at, "Duplicate stream consumer detected: expected distinct consumer names"));
        }
        let seen = r.millis()?;
        if ty == ValueType::StreamListpacks3 {
            // Redis 7.2's active time; 7.0 has no such field.
            r.millis()?;
        }
        for _ in 0..r.len()? {
            let at = r.pos();
            let id = StreamId::from_be_bytes(&r.array::<16>("a pending entry ID")?).unwrap_or_default();
            match owner.get_mut(&id) {
                Some(owned @ false) => *owned = true,
                Some(true) => {
                    return Err(r.corrupt(at, "Duplicated consumer PEL entry loading a stream consumer group: expected a consumer's pending ID once"));
                }
                None => {
                    return Err(r.corrupt(at, "Consumer entry not found in group global PEL: expected a consumer's pending ID in its group's PEL"));
                }
            }
            let count = group.pel.get(&id).map(|n| n.delivery_count);
            let time = group.pel.get(&id).map_or(0, |n| n.delivery_time);
            group.assign(id, &name, time, count);
        }
        if let Some(consumer) = group.consumers.get_mut(&name) {
            consumer.seen_time = seen;
        }
    }
    if owner.values().any(|owned| !owned) {
        return Err(
            r.corrupt(r.pos(), "Stream CG PEL entry without consumer: expected a consumer for every pending entry")
        );
    }
    Ok(group)
}

/// What a valid node holds.
struct NodeFacts {
    is_empty: bool,
    live: u64,
    last: Option<StreamId>,
}

fn int(entries: &[Entry<'_>], i: usize) -> std::result::Result<i64, Invalid> {
    match entries.get(i) {
        Some(Entry::Int(n)) => Ok(*n),
        _ => Err(Invalid::new(i, "an integer element of the stream node layout")),
    }
}

/// Walks a node's elements in t_stream.c's layout; entry IDs must rise from above `after`.
fn check_node(
    entries: &[Entry<'_>],
    master: StreamId,
    after: Option<StreamId>,
) -> std::result::Result<NodeFacts, Invalid> {
    if entries.is_empty() {
        return Ok(NodeFacts { is_empty: true, live: 0, last: None });
    }
    let (count, deleted, fields) = (int(entries, 0)?, int(entries, 1)?, int(entries, 2)?);
    let fields = usize::try_from(fields).map_err(|_| Invalid::new(2, "a master field count"))?;
    let mut i =
        3usize.checked_add(fields).filter(|&i| i < entries.len()).ok_or(Invalid::new(2, "the master fields"))?;
    if int(entries, i)? != 0 {
        return Err(Invalid::new(i, "the master entry terminator 0"));
    }
    i += 1;
    let (mut live, mut dead) = (0i64, 0i64);
    let mut previous = after;
    while i < entries.len() {
        let start = i;
        let flags = int(entries, i)?;
        let id = StreamId::new(
            master.ms.wrapping_add(int(entries, i + 1)? as u64),
            master.seq.wrapping_add(int(entries, i + 2)? as u64),
        );
        if id < master || previous.is_some_and(|p| id <= p) {
            return Err(Invalid::new(i, "entry IDs rising from the node's master ID"));
        }
        previous = Some(id);
        i += 3;
        let elements = if flags & FLAG_SAMEFIELDS != 0 {
            fields
        } else {
            let n = usize::try_from(int(entries, i)?).map_err(|_| Invalid::new(i, "an entry field count"))?;
            i += 1;
            n.checked_mul(2).ok_or(Invalid::new(i, "an entry field count"))?
        };
        i = i.checked_add(elements).filter(|&end| end < entries.len()).ok_or(Invalid::new(i, "an entry's fields"))?;
        let expected = (i - start) as i64;
        if int(entries, i)? != expected {
            return Err(Invalid::new(i, "an entry's lp-count"));
        }
        i += 1;
        if flags & FLAG_DELETED != 0 {
            dead += 1;
        } else {
            live += 1;
        }
    }
    if live != count || dead != deleted {
        return Err(Invalid::new(0, "a node's live and deleted counts matching its entries"));
    }
    // Deleted entries still hold their IDs: the next node must start above them too.
    Ok(NodeFacts { is_empty: false, live: live as u64, last: previous })
}
