//! Fuzz target: arbitrary bytes as an AOF file for `rkv-server --check-aof`'s checker, which
//! reports the same through any read buffer and never panics (see `rkv_fuzz::check_aof_check`).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rkv_fuzz::check_aof_check(data));
