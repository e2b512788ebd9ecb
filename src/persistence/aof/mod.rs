//! The append-only file in Redis 7's multi-part layout: the [`manifest`] naming the base and
//! incremental files, the [`reader`] of their commands, and the [`writer`] thread appending
//! the propagation stream with group-committed fsyncs. The server-side state machine (startup,
//! loading, rewrites, CONFIG SET appendonly) is `crate::state::aof`.

pub mod check;
pub mod manifest;
pub mod reader;
pub mod rewrite;
pub mod writer;

pub use manifest::{AofFile, FileType, Manifest, ManifestError};
pub use reader::{CommandReader, ReadError};
pub use writer::AofWriter;
