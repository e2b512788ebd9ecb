//! Fuzz target: arbitrary bytes as a RESTORE payload, optionally with a valid footer so the
//! decoder sees them (see `rkv_fuzz::check_restore_payload`).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rkv_fuzz::check_restore_payload(data));
