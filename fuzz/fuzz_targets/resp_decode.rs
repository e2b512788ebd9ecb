//! Fuzz target: arbitrary bytes through `RequestDecoder`, in arbitrary chunkings, checked against
//! decoding them all at once (see `rkv_fuzz::check_decode`).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rkv_fuzz::check_decode(data));
