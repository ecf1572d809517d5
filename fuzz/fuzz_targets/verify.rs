//! Fuzzes the whole S/MIME check: raw bytes -> MIME -> CMS (BER) -> signature -> chain ->
//! verdict. Any panic is a bug (`verify_message` must turn every input into a verdict).
//! Seeds: `mkdir -p corpus/verify && cp ../tests/fixtures/smime/generated/*.eml
//! ../tests/fixtures/smime/attacks/*.eml corpus/verify/`, then `cargo +nightly fuzz run verify`.
#![no_main]

use impalemail::smime::verify::{verify_message, VerifyOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // 2027-01-01T00:00:00Z; no roots: path building still runs and fails safely.
    let opts = VerifyOptions::new(1_798_761_600, &[]);
    let v = verify_message(data, &opts);
    // The verdict must always serialise.
    let _ = serde_json::to_vec(&v);
});
