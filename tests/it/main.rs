//! Integration tests: one binary that starts the real `rkv-server` (and, for interop tests, the
//! real Redis tools) on ephemeral loopback ports.

mod support;

mod blocking;
mod client;
mod config;
mod differential;
mod effects_hash_set;
mod eviction;
mod hashes;
mod interop;
mod introspection;
mod keys;
mod list_compression;
mod lists;
mod notifications;
mod object_memory;
mod propagation;
mod protocol;
mod server;
mod sets;
mod sort;
mod strings;
mod transactions;
mod zsets;
