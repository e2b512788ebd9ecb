//! Fuzz target: arbitrary bytes handed to the Lua libraries written in Rust (cjson, cmsgpack,
//! struct) from a script (see `rkv_fuzz::check_script_libs`).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rkv_fuzz::check_script_libs(data));
