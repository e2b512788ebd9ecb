//! Persistence: the RDB format (snapshot files, DUMP/RESTORE payloads).

pub mod rdb;
