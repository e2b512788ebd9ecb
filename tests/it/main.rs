//! Integration tests: one binary that starts the real `rkv-server` (and, for interop tests, the
//! real Redis tools) on ephemeral loopback ports.

// Shared helpers: no single set of test modules uses all of them.
#[allow(dead_code)]
mod support;

mod interop;
mod protocol;
