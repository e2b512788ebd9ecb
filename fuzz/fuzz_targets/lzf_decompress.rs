//! Fuzz target: arbitrary bytes as an LZF stream with a stated size, decoded as untrusted input
//! and round-tripped through the compressor (see `rkv_fuzz::check_lzf`).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rkv_fuzz::check_lzf(data));
