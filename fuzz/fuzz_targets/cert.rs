//! Fuzz target `cert`: the body is `bodies::cert` (fuzz/src/bodies.rs), shared with
//! tests/fuzz_replay.rs, which replays the committed seeds in `fuzz/seeds/cert/`.
//! Run: `cd fuzz && nice -n 19 cargo +nightly fuzz run cert corpus/cert seeds/cert`.
#![no_main]

#[path = "../src/bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::cert(data));
