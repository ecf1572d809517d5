//! Fuzz target `mime`: the body is `bodies::mime` (fuzz/src/bodies.rs), shared with
//! tests/fuzz_replay.rs, which replays the committed seeds in `fuzz/seeds/mime/`.
//! Run: `cd fuzz && nice -n 19 cargo +nightly fuzz run mime corpus/mime seeds/mime`.
#![no_main]

#[path = "../src/bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::mime(data));
