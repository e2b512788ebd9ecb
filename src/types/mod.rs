//! Pure data structures and helpers with no knowledge of RESP or the server: number parsing with
//! Redis's rules, small inline strings, the hash table.

pub mod dict;
pub mod long_double;
pub mod number;
pub mod small_bytes;
