//! Integration tests: one binary that starts the real `rkv-server` (and, for interop tests, the
//! real Redis tools) on ephemeral loopback ports.

mod support;

mod aof;
mod blocking;
mod client;
mod config;
mod debug;
mod debug_structures;
mod differential;
mod dump_restore;
mod effects_hash_set;
mod effects_keys;
mod effects_list_zset;
mod eviction;
mod functions;
mod hashes;
mod interop;
mod introspection;
mod io_threads;
mod keys;
mod latency;
mod lazyfree;
mod list_compression;
mod lists;
mod migrate;
mod mismatches;
mod monitor;
mod notifications;
mod object_memory;
mod ops;
mod output_limits;
mod pause;
mod persistence;
mod propagation;
mod protocol;
mod pubsub;
mod scripting;
mod server;
mod sets;
mod slowlog;
mod sort;
mod strings;
mod tracking;
mod transactions;
mod zsets;
