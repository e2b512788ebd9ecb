//! Integration tests: one binary that starts the real `rkv-server` (and, for interop tests, the
//! real Redis tools) on ephemeral loopback ports.

// Shared helpers: each test module uses a different subset.
#[allow(dead_code)]
mod support;

mod client;
mod protocol;
