//! DEBUG DIGEST: a SHA-1 based signature of the whole dataset, the same 40 hex digits Redis
//! computes for the same data (replication and persistence tests compare them across servers).
//!
//! The scheme is Redis's: unordered collections (the keys of a database, set members, hash
//! fields, sorted set entries) combine by XOR of the SHA-1 of each part, so iteration order does
//! not matter; ordered data (list items, the parts of one entry) is chained by mixing, each step
//! hashing the running digest again, so order does. Encodings never show: every value is
//! digested through the strings Redis would reply with.

use super::Sub;
use crate::keyspace::{Db, Value};
use crate::protocol::format_double;
use crate::state::Ctx;
use crate::types::sha1::{LEN, sha1, to_hex};
use crate::types::stream::StreamId;

/// DEBUG DIGEST.
pub const SUB: Sub = Sub {
    name: "digest",
    min_args: 2,
    max_args: 2,
    help: &["DIGEST", "    Output a hex signature representing the current DB content."],
    run,
};

/// A running digest.
pub(super) type Digest = [u8; LEN];

fn run(ctx: &mut Ctx<'_>, _argv: &[&[u8]]) {
    let digest = dataset_digest(&ctx.server.dbs);
    ctx.out.simple(&to_hex(&digest));
}

/// Every database's keys, values and TTL flags; all zeros for an empty dataset. Each non-empty
/// database mixes in its index first, so the same keys in another database digest differently.
/// Keys whose TTL passed but are not removed yet count, as in Redis.
fn dataset_digest(dbs: &[Db]) -> Digest {
    let mut total = [0; LEN];
    for (id, db) in dbs.iter().enumerate().filter(|(_, db)| !db.is_empty()) {
        // Redis hashes the index as a 32-bit big-endian integer.
        mix(&mut total, &(id as u32).to_be_bytes());
        for (key, entry) in db.iter() {
            let mut pair = [0; LEN];
            mix(&mut pair, key.as_bytes());
            value_digest(&mut pair, &entry.value, db.expire_at(key.as_bytes()).is_some());
            xor(&mut total, &pair);
        }
    }
    total
}

/// Adds a value to `digest` (Redis's `xorObjectDigest`): its type code, its contents, and a
/// marker when the key has a TTL (its time itself is left out).
pub(super) fn value_digest(digest: &mut Digest, value: &Value, has_ttl: bool) {
    mix(digest, &type_code(value).to_be_bytes());
    match value {
        Value::String(s) => mix(digest, s.as_bytes(&mut [0; 20])),
        Value::List(list) => list.for_each(0..list.len(), false, |item| mix(digest, &item.into_cow())),
        Value::Set(set) => set.members().iter().for_each(|member| xor(digest, member)),
        Value::ZSet(zset) => zset.for_each(0, zset.len(), false, |score, member| {
            // Scores as `%.17g`, the text Redis digests whatever the encoding stores.
            xor_pair(digest, member, format_double(score).as_bytes());
        }),
        Value::Hash(hash) => hash.iter().for_each(|(field, value)| xor_pair(digest, &field, &value)),
        // Entry by entry, each ID as `<ms>.<seq>`, then its fields and values, all chained.
        Value::Stream(stream) => stream.range(StreamId::MIN, StreamId::MAX, false, |id, fields| {
            mix(digest, format!("{}.{}", id.ms, id.seq).as_bytes());
            for (field, value) in fields {
                mix(digest, &field);
                mix(digest, &value);
            }
            true
        }),
    }
    if has_ttl {
        xor(digest, b"!!expire!!");
    }
}

/// Redis's object type numbers (`OBJ_STRING` … `OBJ_HASH`).
fn type_code(value: &Value) -> u32 {
    match value {
        Value::String(_) => 0,
        Value::List(_) => 1,
        Value::Set(_) => 2,
        Value::ZSet(_) => 3,
        Value::Hash(_) => 4,
        Value::Stream(_) => 6,
    }
}

/// XORs the SHA-1 of `data` into `digest` (Redis's `xorDigest`): order-independent.
fn xor(digest: &mut Digest, data: &[u8]) {
    for (d, h) in digest.iter_mut().zip(sha1(data)) {
        *d ^= h;
    }
}

/// XORs `data` in, then replaces the digest by its own SHA-1 (Redis's `mixDigest`): what
/// follows depends on what came before.
fn mix(digest: &mut Digest, data: &[u8]) {
    xor(digest, data);
    *digest = sha1(digest);
}

/// One element of an unordered collection made of two ordered parts (field and value, member and
/// score): the parts are chained into a fresh digest, which is XORed in.
fn xor_pair(digest: &mut Digest, first: &[u8], second: &[u8]) {
    let mut element = [0; LEN];
    mix(&mut element, first);
    mix(&mut element, second);
    xor(digest, &element);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xor_ignores_order_and_mix_does_not() {
        let (mut ab, mut ba) = ([0; LEN], [0; LEN]);
        xor(&mut ab, b"a");
        xor(&mut ab, b"b");
        xor(&mut ba, b"b");
        xor(&mut ba, b"a");
        assert_eq!(ab, ba);
        let (mut ab, mut ba) = ([0; LEN], [0; LEN]);
        mix(&mut ab, b"a");
        mix(&mut ab, b"b");
        mix(&mut ba, b"b");
        mix(&mut ba, b"a");
        assert_ne!(ab, ba);
    }

    #[test]
    fn an_empty_dataset_digests_to_zeros() {
        let dbs: Vec<Db> = (0..3).map(|_| Db::default()).collect();
        assert_eq!(to_hex(&dataset_digest(&dbs)), "0".repeat(40));
    }
}
