//! What keys and tables cost in memory, at jemalloc's size classes (MEMORY USAGE, MEMORY STATS).
//!
//! A key costs its node in the key table (one allocation holding the next pointer, the inline
//! key and the entry), a bucket slot, the key's and the value's heap bytes, and, when it has a
//! TTL, a node, slot and key copy in the expiry table. For strings the sum is exact; the tables'
//! bucket arrays are shared and counted one slot per key.

use std::alloc::Layout;

use super::{Db, HashValue, StringValue, Value};
use crate::alloc::size_class;
use crate::types::dict::Dict;
use crate::types::quicklist::Quicklist;
use crate::types::small_bytes::SmallBytes;
use crate::types::stream::Stream;

/// Bytes jemalloc sets aside for a `bytes`-byte allocation (0 for none).
fn allocated(bytes: usize) -> usize {
    Layout::from_size_align(bytes, 1).ok().filter(|_| bytes > 0).map_or(0, size_class)
}

/// Heap bytes of a key or inline-or-boxed string.
fn small_bytes_heap(s: &SmallBytes) -> usize {
    allocated(s.heap_size())
}

/// Heap bytes a value owns beyond the entry itself.
pub fn value_heap(value: &Value) -> usize {
    match value {
        Value::String(StringValue::Int(_)) => 0,
        Value::String(StringValue::Plain(s)) => small_bytes_heap(s),
        Value::String(StringValue::Raw(v)) => allocated(std::mem::size_of::<Vec<u8>>()) + allocated(v.capacity()),
        Value::Set(s) => s.heap_size(),
        Value::Hash(h) => hash_heap(h),
        Value::List(l) => allocated(std::mem::size_of::<Quicklist>()) + list_heap(l),
        Value::ZSet(z) => z.heap_size(),
        Value::Stream(s) => allocated(std::mem::size_of::<Stream>()) + s.heap_size(allocated),
    }
}

/// Heap bytes of a list's node array and nodes (a compressed node counts its compressed bytes).
fn list_heap(list: &Quicklist) -> usize {
    allocated(list.node_array_size()) + list.node_sizes().map(allocated).sum::<usize>()
}

/// Heap bytes of a hash: its packed listpack, or the table's nodes, buckets and long fields and
/// values.
fn hash_heap(hash: &HashValue) -> usize {
    match hash {
        HashValue::Listpack(packed) => allocated(packed.len()),
        HashValue::Hashtable(table) => {
            let strings: usize = table.iter().map(|(f, v)| small_bytes_heap(f) + small_bytes_heap(v)).sum();
            allocated(std::mem::size_of::<Dict<SmallBytes>>()) + table.heap_size() + strings
        }
    }
}

/// Bytes one entry of a table whose values are `V` takes: its share of the table's storage and
/// of a bucket array at full load.
fn entry_share<V>() -> usize {
    Dict::<V>::ENTRY_SIZE + Dict::<V>::BUCKET_SIZE
}

/// MEMORY USAGE: bytes `key` costs in `db`, or `None` when it does not exist.
pub fn key_usage(db: &Db, key: &[u8]) -> Option<usize> {
    let (stored, entry) = db.peek(key)?;
    let key_heap = small_bytes_heap(stored);
    let main = entry_share::<Value>() + key_heap + value_heap(&entry.value);
    let expiry = if db.expire_at(key).is_some() { entry_share::<i64>() + key_heap } else { 0 };
    Some(main + expiry)
}

/// MEMORY STATS `overhead.hashtable.main` and `.expires`: nodes and bucket arrays of a database's
/// two tables (keys' and values' own heap bytes excluded).
pub fn table_overhead(db: &Db) -> (usize, usize) {
    db.table_sizes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_cost_their_size_classes() {
        let mut db = Db::default();
        db.insert(b"k", Value::String(StringValue::from_bytes(b"123")), false);
        let int = key_usage(&db, b"k").unwrap();
        assert_eq!(int, 56 + 4);
        db.insert(b"k", Value::String(StringValue::from_bytes(&[b'x'; 1000])), false);
        assert_eq!(key_usage(&db, b"k").unwrap(), int + 1024);
        db.set_expire(b"k", 1);
        assert_eq!(key_usage(&db, b"k").unwrap(), int + 1024 + 40 + 4);
        assert_eq!(key_usage(&db, b"nope"), None);
        let (main, expires) = table_overhead(&db);
        assert!(main >= 64 && expires >= 48, "{main} {expires}");
    }

    #[test]
    fn hashes_count_their_container_and_long_strings() {
        let limits = crate::keyspace::HashLimits { max_entries: 2, max_value: 64 };
        let mut db = Db::default();
        let mut hash = HashValue::default();
        hash.set(b"f", b"v", limits);
        db.insert(b"h", Value::Hash(hash.clone()), false);
        let small = key_usage(&db, b"h").unwrap();
        hash.set(b"g", &[b'x'; 40], limits);
        db.insert(b"h", Value::Hash(hash.clone()), false);
        assert!(key_usage(&db, b"h").unwrap() >= small + 48, "a 40-byte value lives on the heap");
        hash.set(b"h", b"v", limits);
        db.insert(b"h", Value::Hash(hash), false);
        assert!(key_usage(&db, b"h").unwrap() > small + 48 + 3 * Dict::<SmallBytes>::ENTRY_SIZE);
    }

    #[test]
    fn lists_count_their_nodes() {
        let mut db = Db::default();
        let mut list = Quicklist::new(crate::types::quicklist::Shape::plain(-2));
        list.push(crate::types::quicklist::End::Back, &[b'x'; 16]);
        db.insert(b"l", Value::List(Box::new(list.clone())), false);
        let one = key_usage(&db, b"l").unwrap();
        for _ in 0..1000 {
            list.push(crate::types::quicklist::End::Back, &[b'x'; 16]);
        }
        db.insert(b"l", Value::List(Box::new(list)), false);
        let many = key_usage(&db, b"l").unwrap();
        assert!(many >= one + 1000 * 18 && many < one + 1000 * 24, "{one} {many}");
    }

    #[test]
    fn compressed_list_nodes_count_their_compressed_bytes() {
        use crate::types::quicklist::{End, Shape};
        let mut db = Db::default();
        for (key, depth) in [(&b"plain"[..], 0), (b"packed", 1)] {
            let mut list = Quicklist::new(Shape { fill: -2, depth });
            for i in 0..10_000 {
                list.push(End::Back, format!("e:{i:014}").as_bytes());
            }
            db.insert(key, Value::List(Box::new(list)), false);
        }
        let (plain, packed) = (key_usage(&db, b"plain").unwrap(), key_usage(&db, b"packed").unwrap());
        assert!(packed * 2 < plain, "{packed} vs {plain}");
    }
}
