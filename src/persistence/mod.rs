//! Persistence: the RDB format (snapshot files, DUMP/RESTORE payloads), the append-only file,
//! files written safely, and forkless background saves (BGSAVE and AOF rewrites).

pub mod aof;
pub mod bgsave;
pub mod file;
pub mod rdb;
