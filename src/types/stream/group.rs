//! Consumer groups: the group's last delivered ID and read counter, its pending entries list
//! (PEL: delivered, not yet acknowledged), and its consumers, each with its own PEL, as Redis's
//! `streamCG`, `streamNACK` and `streamConsumer`. Groups and consumers are kept by name in byte
//! order, which is the order Redis's radix trees list them in.

use std::collections::{BTreeMap, BTreeSet};

use super::id::StreamId;

/// `entries_read` when the group's read counter is unknown (Redis's `SCG_INVALID_ENTRIES_READ`).
pub const ENTRIES_READ_INVALID: i64 = -1;

/// A pending entry: delivered to `consumer`, not yet acknowledged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nack {
    /// When it was last delivered (Unix milliseconds).
    pub delivery_time: i64,
    /// How many times it was delivered.
    pub delivery_count: u64,
    /// The consumer that owns it.
    pub consumer: Vec<u8>,
}

/// A consumer of a group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Consumer {
    /// When it last read or claimed (Unix milliseconds).
    pub seen_time: i64,
    /// The IDs pending for it (their details are in the group's PEL).
    pub pel: BTreeSet<StreamId>,
}

/// A consumer group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The last ID delivered to the group.
    pub last_id: StreamId,
    /// Entries the group has read, or [`ENTRIES_READ_INVALID`].
    pub entries_read: i64,
    /// Every pending entry.
    pub pel: BTreeMap<StreamId, Nack>,
    /// Consumers by name.
    pub consumers: BTreeMap<Vec<u8>, Consumer>,
}

impl Group {
    /// A group starting after `last_id`.
    pub fn new(last_id: StreamId, entries_read: i64) -> Self {
        Group { last_id, entries_read, pel: BTreeMap::new(), consumers: BTreeMap::new() }
    }

    /// Creates consumer `name` seen at `now` unless it exists; returns whether it was created.
    pub fn create_consumer(&mut self, name: &[u8], now: i64) -> bool {
        if self.consumers.contains_key(name) {
            return false;
        }
        self.consumers.insert(name.to_vec(), Consumer { seen_time: now, pel: BTreeSet::new() });
        true
    }

    /// Deletes consumer `name` and its pending entries; returns how many it had, or `None` when
    /// there is no such consumer.
    pub fn delete_consumer(&mut self, name: &[u8]) -> Option<usize> {
        let consumer = self.consumers.remove(name)?;
        for id in &consumer.pel {
            self.pel.remove(id);
        }
        Some(consumer.pel.len())
    }

    /// Acknowledges `id`; returns whether it was pending.
    pub fn ack(&mut self, id: StreamId) -> bool {
        let Some(nack) = self.pel.remove(&id) else { return false };
        if let Some(consumer) = self.consumers.get_mut(&nack.consumer) {
            consumer.pel.remove(&id);
        }
        true
    }

    /// Makes `id` pending for `consumer` (which must exist), delivered at `now`: a new NACK
    /// with `delivery_count`, or an existing one moved to `consumer`, its count and time
    /// updated as given.
    pub fn assign(&mut self, id: StreamId, consumer: &[u8], now: i64, delivery_count: Option<u64>) {
        let nack =
            self.pel.entry(id).or_insert_with(|| Nack { delivery_time: now, delivery_count: 0, consumer: Vec::new() });
        if nack.consumer != consumer {
            if let Some(old) = self.consumers.get_mut(&nack.consumer) {
                old.pel.remove(&id);
            }
            nack.consumer = consumer.to_vec();
        }
        nack.delivery_time = now;
        if let Some(count) = delivery_count {
            nack.delivery_count = count;
        }
        if let Some(c) = self.consumers.get_mut(consumer) {
            c.pel.insert(id);
        }
    }

    /// Heap bytes of the PEL and consumers (MEMORY USAGE), at `allocated` size classes.
    pub fn heap_size(&self, allocated: &impl Fn(usize) -> usize) -> usize {
        let nack = std::mem::size_of::<StreamId>() + std::mem::size_of::<Nack>() + 8;
        let pel: usize = self.pel.values().map(|n| nack + allocated(n.consumer.len())).sum();
        let consumers: usize = self
            .consumers
            .iter()
            .map(|(name, c)| {
                allocated(name.len())
                    + std::mem::size_of::<Consumer>()
                    + c.pel.len() * (std::mem::size_of::<StreamId>() + 8)
            })
            .sum();
        pel + consumers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_entries_move_between_consumers() {
        let mut g = Group::new(StreamId::MIN, 0);
        assert!(g.create_consumer(b"a", 1));
        assert!(!g.create_consumer(b"a", 2));
        g.create_consumer(b"b", 1);
        let id = StreamId::new(1, 0);
        g.assign(id, b"a", 5, Some(1));
        g.assign(id, b"b", 6, None);
        assert!(g.consumers[&b"a"[..]].pel.is_empty());
        assert_eq!(g.pel[&id], Nack { delivery_time: 6, delivery_count: 1, consumer: b"b".to_vec() });
        assert!(g.ack(id));
        assert!(!g.ack(id));
        g.assign(id, b"b", 7, Some(1));
        assert_eq!(g.delete_consumer(b"b"), Some(1));
        assert!(g.pel.is_empty());
        assert_eq!(g.delete_consumer(b"b"), None);
    }
}
