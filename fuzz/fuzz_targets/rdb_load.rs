//! Fuzz target: arbitrary bytes as an RDB file, loaded as untrusted input; every value loaded
//! must survive a DUMP/RESTORE round trip (see `rkv_fuzz::check_rdb_load`).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rkv_fuzz::check_rdb_load(data));
