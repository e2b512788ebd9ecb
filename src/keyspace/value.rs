//! Values stored in the keyspace and their encodings (what OBJECT ENCODING reports).

use super::hash::HashValue;
pub use crate::types::number::format_i64;
use crate::types::number::parse_i64;
use crate::types::quicklist::Quicklist;
use crate::types::set::SetValue;
use crate::types::small_bytes::SmallBytes;
use crate::types::stream::Stream;
use crate::types::zset::ZSetValue;

/// Redis stores strings up to this length as `embstr`.
pub const EMBSTR_MAX: usize = 44;
/// Longest decimal that may be stored as an `int` (Redis checks `len <= 20`).
const INT_MAX_DIGITS: usize = 20;

/// A string value. Its representation also decides the encoding OBJECT ENCODING reports, as in
/// Redis: `int` for integers, `embstr` for strings of at most 44 bytes written whole, `raw` for
/// longer ones and for strings modified in place. The type is 24 bytes, so a keyspace entry with
/// its key inline takes 56 bytes.
#[derive(Debug, Clone)]
pub enum StringValue {
    /// A decimal integer kept as a number.
    Int(i64),
    /// A string written whole (SET and friends); inline when short.
    Plain(SmallBytes),
    /// A string modified in place (APPEND, SETRANGE), with room to grow.
    Raw(Box<Vec<u8>>),
}

impl StringValue {
    /// The encoding SET gives `bytes`: `int` when it is a canonical decimal integer, `embstr` up to
    /// 44 bytes, `raw` beyond.
    pub fn from_bytes(bytes: &[u8]) -> Self {
        if bytes.len() <= INT_MAX_DIGITS {
            if let Some(n) = parse_i64(bytes) {
                return StringValue::Int(n);
            }
        }
        StringValue::Plain(SmallBytes::new(bytes))
    }

    /// The bytes of the value; integers are formatted into `scratch`.
    pub fn as_bytes<'a>(&'a self, scratch: &'a mut [u8; 20]) -> &'a [u8] {
        match self {
            StringValue::Int(n) => format_i64(*n, scratch),
            StringValue::Plain(s) => s.as_bytes(),
            StringValue::Raw(v) => v,
        }
    }

    /// The value as an owned byte vector.
    pub fn to_vec(&self) -> Vec<u8> {
        let mut scratch = [0u8; 20];
        self.as_bytes(&mut scratch).to_vec()
    }

    /// Length in bytes (STRLEN).
    pub fn len(&self) -> usize {
        let mut scratch = [0u8; 20];
        self.as_bytes(&mut scratch).len()
    }

    /// Whether the string is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The encoding name OBJECT ENCODING reports.
    pub fn encoding(&self) -> &'static str {
        match self {
            StringValue::Int(_) => "int",
            StringValue::Plain(s) if s.len() <= EMBSTR_MAX => "embstr",
            StringValue::Plain(_) | StringValue::Raw(_) => "raw",
        }
    }

    /// Modifies the bytes in place, converting to the `raw` encoding as APPEND and SETRANGE do.
    pub fn edit_raw<R>(&mut self, edit: impl FnOnce(&mut Vec<u8>) -> R) -> R {
        let mut bytes = match std::mem::replace(self, StringValue::Int(0)) {
            StringValue::Raw(v) => v,
            other => Box::new(other.to_vec()),
        };
        let result = edit(&mut bytes);
        *self = StringValue::Raw(bytes);
        result
    }

    /// Heap bytes owned by the value (for MEMORY USAGE and eviction accounting).
    pub fn heap_size(&self) -> usize {
        match self {
            StringValue::Int(_) => 0,
            StringValue::Plain(s) => s.heap_size(),
            StringValue::Raw(v) => std::mem::size_of::<Vec<u8>>() + v.capacity(),
        }
    }
}

/// A value of any type.
#[derive(Debug, Clone)]
pub enum Value {
    /// A string.
    String(StringValue),
    /// A set (two words inline, as a hash: a small set's intset is one allocation).
    Set(SetValue),
    /// A hash (two words inline: see [`HashValue`]).
    Hash(HashValue),
    /// A list (boxed so `Value` stays 24 bytes).
    List(Box<Quicklist>),
    /// A sorted set (two words inline: a small one is a single buffer).
    ZSet(ZSetValue),
    /// A stream (boxed so `Value` stays 24 bytes).
    Stream(Box<Stream>),
}

impl Value {
    /// Roughly how many allocations freeing the value takes (Redis's
    /// `lazyfreeGetFreeEffort`): list nodes, or the elements of hash-table and skiplist
    /// encodings; 1 for strings and compact encodings.
    pub fn free_effort(&self) -> usize {
        match self {
            Value::String(_) => 1,
            Value::List(list) => list.node_count(),
            Value::Set(set) if set.encoding() == "hashtable" => set.len(),
            Value::Hash(hash) if hash.encoding() == "hashtable" => hash.len(),
            Value::ZSet(zset) if zset.encoding() == "skiplist" => zset.len(),
            // Redis counts a stream's nodes and groups the same way (`lazyfreeGetFreeEffort`).
            Value::Stream(stream) => stream.node_count() + stream.groups.len(),
            Value::Set(_) | Value::Hash(_) | Value::ZSet(_) => 1,
        }
    }

    /// The type name TYPE reports.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::String(_) => "string",
            Value::Set(_) => "set",
            Value::Hash(_) => "hash",
            Value::List(_) => "list",
            Value::ZSet(_) => "zset",
            Value::Stream(_) => "stream",
        }
    }

    /// The encoding name OBJECT ENCODING reports.
    pub fn encoding(&self) -> &'static str {
        match self {
            Value::String(s) => s.encoding(),
            Value::Set(s) => s.encoding(),
            Value::Hash(h) => h.encoding(),
            // Redis 7.0 stores every list as a quicklist, however short.
            Value::List(_) => "quicklist",
            Value::ZSet(z) => z.encoding(),
            Value::Stream(_) => "stream",
        }
    }

    /// The string, if this is one.
    pub fn as_string(&self) -> Option<&StringValue> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The string, mutably, if this is one.
    pub fn as_string_mut(&mut self) -> Option<&mut StringValue> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The set, if this is one.
    pub fn as_set(&self) -> Option<&SetValue> {
        match self {
            Value::Set(s) => Some(s),
            _ => None,
        }
    }

    /// The set, mutably, if this is one.
    pub fn as_set_mut(&mut self) -> Option<&mut SetValue> {
        match self {
            Value::Set(s) => Some(s),
            _ => None,
        }
    }

    /// The list, if this is one.
    pub fn as_list(&self) -> Option<&Quicklist> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// The list, mutably, if this is one.
    pub fn as_list_mut(&mut self) -> Option<&mut Quicklist> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// The sorted set, if this is one.
    pub fn as_zset(&self) -> Option<&ZSetValue> {
        match self {
            Value::ZSet(z) => Some(z),
            _ => None,
        }
    }

    /// The sorted set, mutably, if this is one.
    pub fn as_zset_mut(&mut self) -> Option<&mut ZSetValue> {
        match self {
            Value::ZSet(z) => Some(z),
            _ => None,
        }
    }

    /// The stream, if this is one.
    pub fn as_stream(&self) -> Option<&Stream> {
        match self {
            Value::Stream(s) => Some(s),
            _ => None,
        }
    }

    /// The stream, mutably, if this is one.
    pub fn as_stream_mut(&mut self) -> Option<&mut Stream> {
        match self {
            Value::Stream(s) => Some(s),
            _ => None,
        }
    }

    /// The hash, mutably, if this is one.
    pub fn as_hash_mut(&mut self) -> Option<&mut HashValue> {
        match self {
            Value::Hash(h) => Some(h),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_follow_redis() {
        assert_eq!(StringValue::from_bytes(b"12345").encoding(), "int");
        assert_eq!(StringValue::from_bytes(b"-9223372036854775808").encoding(), "int");
        assert_eq!(StringValue::from_bytes(b"012").encoding(), "embstr");
        assert_eq!(StringValue::from_bytes(b"1.5").encoding(), "embstr");
        assert_eq!(StringValue::from_bytes(&[b'a'; 44]).encoding(), "embstr");
        assert_eq!(StringValue::from_bytes(&[b'a'; 45]).encoding(), "raw");
        assert_eq!(StringValue::from_bytes(b"99999999999999999999").encoding(), "embstr");
    }

    #[test]
    fn entries_take_56_bytes() {
        // Key (24) + value (24) + access clock and mark (4) + chain link (4).
        assert_eq!(std::mem::size_of::<StringValue>(), 24);
        assert_eq!(std::mem::size_of::<Value>(), 24);
        assert_eq!(crate::types::dict::Dict::<Value>::ENTRY_SIZE, 56);
        // Sets and hashes live in the entry's two words, with no box of their own.
        assert_eq!(std::mem::size_of::<SetValue>(), 16);
        assert_eq!(std::mem::size_of::<HashValue>(), 16);
        assert_eq!(std::mem::size_of::<crate::types::zset::ZSetValue>(), 16);
    }

    #[test]
    fn round_trips_bytes() {
        for s in [&b"-17"[..], b"hello", b"", &[0xff; 100]] {
            assert_eq!(StringValue::from_bytes(s).to_vec(), s);
        }
        let mut buf = [0u8; 20];
        assert_eq!(format_i64(i64::MIN, &mut buf), b"-9223372036854775808");
        assert_eq!(format_i64(0, &mut buf), b"0");
    }
}
