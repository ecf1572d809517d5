//! Fuzz target `vault`: the body is `bodies::vault` (fuzz/src/bodies.rs), shared with
//! tests/fuzz_replay.rs, which replays the committed seeds in `fuzz/seeds/vault/`.
//! Run: `cd fuzz && nice -n 19 cargo +nightly fuzz run vault corpus/vault seeds/vault`.
#![no_main]

#[path = "../src/bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::vault(data));
