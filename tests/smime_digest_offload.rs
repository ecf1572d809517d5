//! The content digest computed by the caller (`smime::digest_offload`, the extension's
//! WebCrypto path): on every message of the generated corpus, answering the core's requests
//! gives exactly the verdict of `verify_message`; no answer, or answers for other bytes, change
//! nothing; a wrong digest for the right request is "altered content", never green; content
//! changed and then hashed honestly is still caught. `min_bytes` is 0 here so that the small
//! fixtures ask for their digests (the extension asks only from OFFLOAD_MIN_BYTES up).
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use impalemail::smime::algs::HashAlg;
use impalemail::smime::digest_offload::{
    digest_requests, verify_message_with_digests, ContentSource, DigestAnswer, DigestRequest,
    OFFLOAD_MIN_BYTES,
};
use impalemail::smime::trust::parse_cert_pem_or_der;
use impalemail::smime::verdict::{Reason, Status};
use impalemail::smime::verify::{verify_message, VerifyOptions};
use impalemail::smime::{AnchorSource, TrustAnchor};

/// 2027-01-01T00:00:00Z, the corpus's check time (tests/smime_verify.rs).
const NOW: u64 = 1_798_761_600;

fn smime() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/smime")
}

fn anchors() -> Vec<TrustAnchor> {
    use der::Encode;
    let pem = std::fs::read(smime().join("pki/root.pem")).unwrap();
    let [cert] = &parse_cert_pem_or_der(&pem).unwrap()[..] else {
        panic!("one certificate in root.pem");
    };
    vec![TrustAnchor::from_cert_der(&cert.to_der().unwrap(), AnchorSource::User).unwrap()]
}

/// What WebCrypto does: hash the named bytes.
fn answer(raw: &[u8], r: &DigestRequest) -> DigestAnswer {
    let bytes = match (&r.source, &r.bytes) {
        (ContentSource::Message(range), None) => &raw[range.clone()],
        (_, Some(b)) => b.as_slice(),
        other => panic!("bad request {other:?}"),
    };
    DigestAnswer {
        algorithm: r.algorithm,
        source: r.source.clone(),
        digest: r.algorithm.digest(bytes),
    }
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(smime().join("generated"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    // An LF-only copy of a detached message: its canonical form is supplied as bytes.
    let lf = String::from_utf8(out[0].1.clone())
        .unwrap()
        .replace("\r\n", "\n");
    out.push(("001-lf.eml".into(), lf.into_bytes()));
    out
}

#[test]
fn answers_give_the_same_verdict_as_hashing_in_the_core() {
    let anchors = anchors();
    let opts = VerifyOptions::new(NOW, &anchors);
    let mut asked = 0;
    let mut kinds = std::collections::BTreeSet::new();
    for (name, raw) in corpus() {
        let plain = verify_message(&raw, &opts);
        let reqs = digest_requests(&raw, &opts, 0);
        assert!(reqs.len() <= 1, "{name}: one signer, one request: {reqs:?}");
        let answers: Vec<_> = reqs.iter().map(|r| answer(&raw, r)).collect();
        assert_eq!(
            verify_message_with_digests(&raw, &opts, &answers),
            plain,
            "{name}: answered"
        );
        assert_eq!(
            verify_message_with_digests(&raw, &opts, &[]),
            plain,
            "{name}: not answered"
        );
        let Some(first) = answers.first() else {
            continue;
        };
        asked += 1;
        kinds.insert(match first.source {
            ContentSource::Message(_) => "message",
            ContentSource::Canonical(_) => "canonical",
            ContentSource::EContent { .. } => "econtent",
        });
        // For other bytes: ignored.
        let mut other = first.clone();
        other.source = match &other.source {
            ContentSource::Message(r) => ContentSource::Message(r.start + 1..r.end),
            ContentSource::Canonical(r) => ContentSource::Canonical(r.start..r.end - 1),
            ContentSource::EContent { len } => ContentSource::EContent { len: len - 1 },
        };
        other.digest[0] ^= 1;
        assert_eq!(
            verify_message_with_digests(&raw, &opts, &[other]),
            plain,
            "{name}: an answer for other bytes is ignored"
        );
        // Truncated: not an answer.
        let mut short = first.clone();
        short.digest.pop();
        assert_eq!(
            verify_message_with_digests(&raw, &opts, &[short]),
            plain,
            "{name}: a truncated digest is ignored"
        );
        // Wrong digest for the right request: never green.
        let mut wrong = first.clone();
        wrong.digest[0] ^= 1;
        let v = verify_message_with_digests(&raw, &opts, &[wrong]);
        assert_ne!(v.status, Status::Verified, "{name}");
        if plain.status == Status::Verified {
            assert_eq!(v.reason, Some(Reason::AlteredContent), "{name}");
        }
    }
    assert!(
        asked >= 15,
        "most of the corpus is signed with SHA-2: {asked}"
    );
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["canonical", "econtent", "message"]
    );
}

#[test]
fn content_changed_then_hashed_honestly_is_still_caught() {
    let anchors = anchors();
    let opts = VerifyOptions::new(NOW, &anchors);
    let mut raw = std::fs::read(smime().join("generated/001.eml")).unwrap();
    let at = raw.windows(5).position(|w| w == b"Hello").unwrap();
    raw[at] = b'J';
    let reqs = digest_requests(&raw, &opts, 0);
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].algorithm, HashAlg::Sha256);
    let answers: Vec<_> = reqs.iter().map(|r| answer(&raw, r)).collect();
    let v = verify_message_with_digests(&raw, &opts, &answers);
    assert_eq!(v.reason, Some(Reason::AlteredContent));
    assert_eq!(v, verify_message(&raw, &opts));
}

#[test]
fn small_contents_ask_for_nothing_at_the_default_threshold() {
    let anchors = anchors();
    let opts = VerifyOptions::new(NOW, &anchors);
    for (name, raw) in corpus() {
        assert!(raw.len() < OFFLOAD_MIN_BYTES);
        assert!(
            digest_requests(&raw, &opts, OFFLOAD_MIN_BYTES).is_empty(),
            "{name}"
        );
    }
}
