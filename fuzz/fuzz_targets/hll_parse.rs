//! Fuzz target: arbitrary bytes as an HLL string read, counted, merged, converted and written
//! (see `rkv_fuzz::check_hll`).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rkv_fuzz::check_hll(data));
