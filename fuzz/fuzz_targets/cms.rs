//! Fuzz target `cms`: the body is `bodies::cms` (fuzz/src/bodies.rs), shared with
//! tests/fuzz_replay.rs, which replays the committed seeds in `fuzz/seeds/cms/`.
//! Run: `cd fuzz && nice -n 19 cargo +nightly fuzz run cms corpus/cms seeds/cms`.
#![no_main]

#[path = "../src/bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::cms(data));
