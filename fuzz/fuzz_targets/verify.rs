//! Fuzz target `verify`: the body is `bodies::verify` (fuzz/src/bodies.rs), shared with
//! tests/fuzz_replay.rs, which replays the committed seeds in `fuzz/seeds/verify/`.
//! Run: `cd fuzz && nice -n 19 cargo +nightly fuzz run verify corpus/verify seeds/verify`.
#![no_main]

#[path = "../src/bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::verify(data));
