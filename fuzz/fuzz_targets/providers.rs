//! Fuzz target `providers`: the body is `bodies::providers` (fuzz/src/bodies.rs), shared with
//! tests/fuzz_replay.rs, which replays the committed seeds in `fuzz/seeds/providers/`.
//! Run: `cd fuzz && nice -n 19 cargo +nightly fuzz run providers corpus/providers seeds/providers`.
#![no_main]

#[path = "../src/bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::providers(data));
