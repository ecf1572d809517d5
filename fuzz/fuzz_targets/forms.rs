//! Fuzz target `forms`: the body is `bodies::forms` (fuzz/src/bodies.rs), shared with
//! tests/fuzz_replay.rs, which replays the committed seeds in `fuzz/seeds/forms/`.
//! Run: `cd fuzz && nice -n 19 cargo +nightly fuzz run forms corpus/forms seeds/forms`.
#![no_main]

#[path = "../src/bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::forms(data));
