//! Placeholder bench (criterion benches for the protocol land with the benchmark work).
fn main() {}
