//! Pure data structures and helpers with no knowledge of RESP or the server: number parsing with
//! Redis's rules, glob matching, extended-precision floats, small inline strings, hashing, the
//! hash table, the sorted set, SHA-1.

pub mod bits;
pub mod dict;
pub mod forward_listpack;
pub mod geohash;
pub mod glob;
pub mod hash;
pub mod hll;
pub mod intset;
pub mod listpack;
pub mod long_double;
pub mod lzf;
pub mod number;
pub mod quicklist;
pub mod set;
pub mod sha1;
pub mod small_bytes;
pub mod stream;
pub mod zset;
