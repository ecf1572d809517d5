//! Fuzzes the whole S/MIME check: raw bytes -> MIME -> CMS (BER) -> signature -> chain ->
//! verdict. Any panic is a bug (`verify_message` must turn every input into a verdict).
//! The project's test root is trusted, so mutated test mails reach path validation and the
//! sender binding, not only the parsers.
//! Seeds: `mkdir -p corpus/verify && cp ../tests/fixtures/smime/generated/*.eml
//! ../tests/fixtures/smime/attacks/*.eml corpus/verify/`, then `cargo +nightly fuzz run verify`.
#![no_main]

use impalemail::smime::path::{AnchorSource, TrustAnchor};
use impalemail::smime::verify::{verify_message, VerifyOptions};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn anchors() -> &'static [TrustAnchor] {
    static ANCHORS: OnceLock<Vec<TrustAnchor>> = OnceLock::new();
    ANCHORS.get_or_init(|| {
        let pem = include_bytes!("../../tests/fixtures/smime/pki/root.pem");
        impalemail::smime::trust::parse_cert_pem_or_der(pem)
            .ok()
            .and_then(|certs| certs.into_iter().next())
            .and_then(|cert| {
                let der = der::Encode::to_der(&cert).ok()?;
                TrustAnchor::from_cert_der(&der, AnchorSource::User).ok()
            })
            .into_iter()
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    // 2027-01-01T00:00:00Z, inside the test certificates' validity.
    let opts = VerifyOptions::new(1_798_761_600, anchors());
    let v = verify_message(data, &opts);
    // The verdict must always serialise.
    let _ = serde_json::to_vec(&v);
});
