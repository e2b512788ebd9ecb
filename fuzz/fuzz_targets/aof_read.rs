//! Fuzz target: arbitrary bytes as the commands of an AOF file, read as untrusted input the
//! same through any read buffer and round-tripped (see `rkv_fuzz::check_aof_read`).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rkv_fuzz::check_aof_read(data));
