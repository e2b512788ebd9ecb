//! Integration tests: one binary that starts the real `rkv-server` (and, for interop tests, the
//! real Redis tools) on ephemeral loopback ports.

mod support;

mod config;
mod protocol;
