//! A fast, non-cryptographic hasher (the Fx hash from rustc) for maps whose keys a client cannot
//! choose freely: command names looked up in a fixed table, server-assigned client ids.
//!
//! SipHash, std's default, resists hash flooding but costs more than the lookup it serves on the
//! per-command path. Never use this for maps clients insert into (the keyspace).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` using [`FxHasher`].
pub type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Multiplier from rustc's FxHasher (derived from the golden ratio).
const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// Word-at-a-time multiplicative hash: `h = (h.rotl(5) ^ word) * SEED`.
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_work_and_lengths_matter() {
        let mut map: FxHashMap<Vec<u8>, u32> = FxHashMap::default();
        for (i, name) in ["get", "set", "getset", "get\0", "", "a-very-long-command-name"].iter().enumerate() {
            map.insert(name.as_bytes().to_vec(), i as u32);
        }
        assert_eq!(map.get(&b"get"[..]), Some(&0));
        assert_eq!(map.get(&b"get\0"[..]), Some(&3));
        assert_eq!(map.get(&b""[..]), Some(&4));
        assert_eq!(map.get(&b"a-very-long-command-name"[..]), Some(&5));
        assert_eq!(map.get(&b"gets"[..]), None);
    }
}
