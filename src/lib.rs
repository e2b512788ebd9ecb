//! rkv: a Redis-compatible server.
//!
//! Crate map (dependencies point down the list):
//! - [`cli`]: the command line, daemonizing, the startup banner.
//! - [`server`]: listeners, connection tasks, protected mode, shutdown.
//! - [`executor`]: the single owner of the server state; runs batches and cron ticks, dispatch.
//! - [`commands`]: command specs, the command table, one file per command.
//! - [`state`]: server state, clients' server-side state, the context handlers run in ([`state::Ctx`]),
//!   their effects, and the one command path ([`state::call`]); commands import this, never the
//!   executor.
//! - [`persistence`]: the RDB format (snapshot files, DUMP/RESTORE payloads), the multi-part
//!   AOF (manifest, command reader, writer thread), and the files and saves built on them.
//! - [`keyspace`]: databases and values; the keyspace side of forkless snapshots.
//! - [`listen`]: opening listening sockets (bind addresses, unix socket).
//! - [`config`]: the live configuration.
//! - [`stats`]: counters for INFO.
//! - [`scripting`]: the Lua VM scripts run in, its sandbox and conversions (no server state).
//! - [`protocol`]: RESP2/RESP3 decoding and encoding (no I/O, fuzzed).
//! - [`types`]: pure helpers (number parsing).
//! - [`alloc`]: the counting global allocator behind `used_memory`.
//! - [`logging`]: tracing output in Redis's log format and levels.
//! - [`supervise`]: systemd/upstart supervision (`supervised`, `NOTIFY_SOCKET`).

#![warn(missing_docs)]

pub mod alloc;
pub mod cli;
pub mod commands;
pub mod config;
pub mod executor;
pub mod keyspace;
pub mod listen;
pub mod logging;
pub mod persistence;
pub mod protocol;
pub mod scripting;
pub mod server;
pub mod state;
pub mod stats;
pub mod supervise;
pub mod types;

/// The Redis version whose behaviour rkv matches (reported as `redis_version`).
pub const REDIS_VERSION: &str = "7.0.15";

/// rkv's own version (reported as `rkv_version`).
pub const RKV_VERSION: &str = env!("CARGO_PKG_VERSION");
