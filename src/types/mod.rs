//! Pure data helpers with no knowledge of RESP or the server: number parsing with Redis's
//! rules, glob matching.

pub mod hash;
pub mod number;
