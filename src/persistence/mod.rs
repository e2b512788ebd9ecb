//! Persistence: the RDB format (snapshot files, DUMP/RESTORE payloads), files written safely,
//! and forkless background saves.

pub mod aof;
pub mod bgsave;
pub mod file;
pub mod rdb;
