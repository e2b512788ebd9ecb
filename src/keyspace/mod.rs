//! Databases and the values they hold.
//!
//! For now a database maps binary keys to binary string values; expiry, types, slot partitioning
//! and memory-lean entries arrive with the keyspace issue.

use std::collections::HashMap;

/// One database (SELECT index).
#[derive(Debug, Default)]
pub struct Db {
    entries: HashMap<Box<[u8]>, Box<[u8]>>,
}

impl Db {
    /// The string value at `key`.
    pub fn get(&self, key: &[u8]) -> Option<&[u8]> {
        self.entries.get(key).map(|v| &**v)
    }

    /// Stores `value` at `key`, replacing what was there.
    pub fn set(&mut self, key: &[u8], value: &[u8]) {
        match self.entries.get_mut(key) {
            Some(slot) => *slot = value.into(),
            None => {
                self.entries.insert(key.into(), value.into());
            }
        }
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the database has no keys.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
