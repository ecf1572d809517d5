//! A check in rounds (`smime::offload`, the extension's WebCrypto path). Answered by an
//! independent "WebCrypto" written here from the request alone (import the SPKI, hash the data
//! as the scheme says, verify), every message of the fixtures gets exactly the verdict of
//! `verify_message`, green ones in a single pass; answers that contradict the assumption make
//! another pass and are used (a "no" is a bad signature, a wrong digest altered content, never
//! green); "unavailable" answers, missing or truncated digests leave the work to the core;
//! content changed and hashed honestly is caught; answers that do not fit the requests are
//! refused.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use der::Decode;
use impalemail::smime::algs::HashAlg;
use impalemail::smime::digest_offload::{ContentSource, DigestRequest, Offered, OFFLOAD_MIN_BYTES};
use impalemail::smime::offload::{
    Curve, SignatureAnswer, SignatureRequest, SignatureScheme, Step, VerifyJob,
};
use impalemail::smime::trust::parse_cert_pem_or_der;
use impalemail::smime::verdict::Status;
use impalemail::smime::verify::{verify_message, VerifyOptions};
use impalemail::smime::{AnchorSource, TrustAnchor, Verdict};
use signature::hazmat::PrehashVerifier;

/// 2027-01-01T00:00:00Z, the corpus's check time (tests/smime_verify.rs).
const NOW: u64 = 1_798_761_600;

fn smime() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/smime")
}

fn anchors() -> Vec<TrustAnchor> {
    let pem = std::fs::read(smime().join("pki/root.pem")).unwrap();
    let [cert] = &parse_cert_pem_or_der(&pem).unwrap()[..] else {
        panic!("one certificate in root.pem");
    };
    vec![TrustAnchor::from_cert_der(&cert.der, AnchorSource::User).unwrap()]
}

fn emls(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            emls(&p, out);
        } else if p.extension().is_some_and(|e| e == "eml") {
            let name = p.strip_prefix(smime()).unwrap().display().to_string();
            out.push((name, std::fs::read(&p).unwrap()));
        }
    }
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    emls(&smime(), &mut out);
    assert!(out.len() >= 50, "the S/MIME fixtures are there");
    out
}

fn json(v: &Verdict) -> serde_json::Value {
    serde_json::to_value(v).unwrap()
}

/// What `crypto.subtle.digest` does: hash the named bytes.
fn digest(raw: &[u8], r: &DigestRequest) -> Option<Vec<u8>> {
    let bytes = match (&r.source, &r.bytes) {
        (ContentSource::Message(range), None) => &raw[range.clone()],
        (_, Some(b)) => b.as_slice(),
        other => panic!("bad request {other:?}"),
    };
    Some(r.algorithm.digest(bytes))
}

/// What `crypto.subtle.importKey("spki", ...)` + `verify` do, from the request alone.
fn webcrypto(r: &SignatureRequest) -> SignatureAnswer {
    let spki = spki::SubjectPublicKeyInfoOwned::from_der(&r.spki).expect("a DER SPKI");
    let key = spki.subject_public_key.raw_bytes();
    let ok = match r.scheme {
        SignatureScheme::RsaPkcs1 { hash } | SignatureScheme::RsaPss { hash, .. } => {
            let pk = rsa::pkcs1::RsaPublicKey::from_der(key).unwrap();
            let pk = rsa::RsaPublicKey::new(
                rsa::BigUint::from_bytes_be(pk.modulus.as_bytes()),
                rsa::BigUint::from_bytes_be(pk.public_exponent.as_bytes()),
            )
            .unwrap();
            let hashed = hash.digest(&r.message);
            match r.scheme {
                SignatureScheme::RsaPss { salt_len, .. } => pk.verify(
                    rsa::Pss {
                        blinded: false,
                        digest: hash.hasher(),
                        salt_len,
                    },
                    &hashed,
                    &r.signature,
                ),
                _ => {
                    let padding = match hash {
                        // RFC 8017 §9.2, note 1: SHA-1's DigestInfo prefix.
                        HashAlg::Sha1 => rsa::Pkcs1v15Sign {
                            hash_len: Some(20),
                            prefix: [
                                0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a,
                                0x05, 0x00, 0x04, 0x14,
                            ]
                            .into(),
                        },
                        HashAlg::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
                        HashAlg::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
                        HashAlg::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
                        HashAlg::Sha224 => panic!("WebCrypto has no SHA-224: never asked"),
                    };
                    pk.verify(padding, &hashed, &r.signature)
                }
            }
            .is_ok()
        }
        SignatureScheme::Ecdsa { curve, hash } => {
            let h = hash.digest(&r.message);
            let pad = |n: usize| {
                let mut v = vec![0u8; n.saturating_sub(h.len())];
                v.extend_from_slice(&h);
                v
            };
            match curve {
                Curve::P256 => {
                    let k = p256::ecdsa::VerifyingKey::from_sec1_bytes(key).unwrap();
                    let s = p256::ecdsa::Signature::from_slice(&r.signature).unwrap();
                    k.verify_prehash(&pad(32), &s).is_ok()
                }
                Curve::P384 => {
                    let k = p384::ecdsa::VerifyingKey::from_sec1_bytes(key).unwrap();
                    let s = p384::ecdsa::Signature::from_slice(&r.signature).unwrap();
                    k.verify_prehash(&pad(48), &s).is_ok()
                }
                Curve::P521 => {
                    let k = p521::ecdsa::VerifyingKey::from_sec1_bytes(key).unwrap();
                    let s = p521::ecdsa::Signature::from_slice(&r.signature).unwrap();
                    k.verify_prehash(&pad(66), &s).is_ok()
                }
            }
        }
        // The plain (not strict) RFC 8032 equation, as a browser may do it: the core judged
        // the strict rules before asking.
        SignatureScheme::Ed25519 => {
            use ed25519_dalek::Verifier;
            let k = ed25519_dalek::VerifyingKey::from_bytes(key.try_into().unwrap()).unwrap();
            let s = ed25519_dalek::Signature::from_slice(&r.signature).unwrap();
            k.verify(&r.message, &s).is_ok()
        }
    };
    if ok {
        SignatureAnswer::Valid
    } else {
        SignatureAnswer::Invalid
    }
}

fn opts(anchors: &[TrustAnchor]) -> VerifyOptions<'_> {
    VerifyOptions::new(NOW, anchors)
}

/// Runs a job with `digest` and `sig` answering, returning the verdict, the passes and the
/// signatures asked.
fn run(
    raw: &[u8],
    min_digest: usize,
    mut digest: impl FnMut(&[u8], &DigestRequest) -> Option<Vec<u8>>,
    mut sig: impl FnMut(&SignatureRequest) -> SignatureAnswer,
) -> (Verdict, u32, usize) {
    let anchors = anchors();
    let o = opts(&anchors);
    let mut job = VerifyJob::new(raw.to_vec(), min_digest);
    let mut asked = 0;
    loop {
        let (d, s) = match job.step(&o) {
            Step::Done(v) => return (*v, job.passes(), asked),
            Step::Need(n) => {
                asked += n.signatures.len();
                (
                    n.digests.iter().map(|r| digest(raw, r)).collect(),
                    n.signatures.iter().map(&mut sig).collect(),
                )
            }
        };
        job.answer(d, s).unwrap();
    }
}

#[test]
fn answered_by_webcrypto_every_verdict_is_the_cores_own() {
    let anchors = anchors();
    let mut green = 0;
    let mut offloaded = 0;
    let mut kinds = std::collections::BTreeSet::new();
    for (name, raw) in corpus() {
        let plain = verify_message(&raw, &opts(&anchors));
        // Digests asked for from 0 bytes up, so that every fixture exercises that path too.
        let mut job = VerifyJob::new(raw.clone(), 0);
        if let Step::Need(n) = job.step(&opts(&anchors)) {
            // One digest per signature layer in the caller's own buffer (an opaque layer's
            // eContent parsed apart is hashed in the core).
            let layers = plain.details.layers.len().max(1);
            assert!(
                n.digests.len() <= layers,
                "{name}: one signer per layer, one digest"
            );
            kinds.extend(n.digests.iter().map(|r| match (&r.source, &r.bytes) {
                (ContentSource::Message(_), None) => "message",
                (ContentSource::Canonical(_), Some(Offered::Owned(_))) => "canonical",
                // An eContent in one OCTET STRING is named within the decoded body it lies in;
                // one in BER chunks is put together.
                (ContentSource::EContent { .. }, Some(Offered::Shared(..))) => "econtent",
                (ContentSource::EContent { .. }, Some(Offered::Owned(_))) => "econtent chunks",
                other => panic!("{name}: unexpected request {other:?}"),
            }));
        }
        let (v, passes, asked) = run(&raw, 0, digest, webcrypto);
        assert_eq!(json(&v), json(&plain), "{name}");
        if asked > 0 {
            offloaded += 1;
        }
        if plain.status == Status::Verified {
            green += 1;
            assert!(asked >= 2, "{name}: signer and chain asked ({asked})");
            assert_eq!(passes, 1, "{name}: a green message needs one pass");
        }
    }
    assert!(green >= 10, "{green} green fixtures");
    assert!(offloaded >= 30, "{offloaded} fixtures asked for signatures");
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["canonical", "econtent", "econtent chunks", "message"]
    );
}

#[test]
fn digests_wrong_short_or_missing() {
    let anchors = anchors();
    let mut checked = 0;
    for (name, raw) in corpus() {
        let plain = verify_message(&raw, &opts(&anchors));
        // No digest computed: the core hashes, same verdict.
        assert_eq!(
            json(&run(&raw, 0, |_, _| None, webcrypto).0),
            json(&plain),
            "{name}"
        );
        // A truncated digest is no answer.
        let short = |raw: &[u8], r: &DigestRequest| {
            let mut d = digest(raw, r)?;
            d.pop();
            Some(d)
        };
        assert_eq!(
            json(&run(&raw, 0, short, webcrypto).0),
            json(&plain),
            "{name}"
        );
        // A wrong digest for the right request: never green; altered content if it was green.
        let mut asked = false;
        let wrong = |raw: &[u8], r: &DigestRequest| {
            asked = true;
            let mut d = digest(raw, r)?;
            d[0] ^= 1;
            Some(d)
        };
        let (v, _, _) = run(&raw, 0, wrong, webcrypto);
        if !asked {
            // (SHA-1 or SHA-224 content digests are not WebCrypto's to compute.)
            assert_eq!(json(&v), json(&plain), "{name}");
            continue;
        }
        assert_ne!(v.status, Status::Verified, "{name}");
        if plain.status == Status::Verified {
            assert_eq!(json(&v)["reason"]["kind"], "altered_content", "{name}");
            checked += 1;
        }
    }
    assert!(checked >= 10);
}

#[test]
fn content_changed_then_hashed_honestly_is_still_caught() {
    let mut raw = std::fs::read(smime().join("generated/001.eml")).unwrap();
    let at = raw.windows(5).position(|w| w == b"Hello").unwrap();
    raw[at] = b'J';
    let (v, _, _) = run(&raw, 0, digest, webcrypto);
    assert_eq!(json(&v)["reason"]["kind"], "altered_content");
    let anchors = anchors();
    assert_eq!(json(&v), json(&verify_message(&raw, &opts(&anchors))));
}

#[test]
fn small_contents_ask_for_no_digest_at_the_default_threshold() {
    let anchors = anchors();
    let o = opts(&anchors);
    for (name, raw) in corpus() {
        let mut job = VerifyJob::new(raw.clone(), OFFLOAD_MIN_BYTES);
        if let Step::Need(n) = job.step(&o) {
            let small = raw.len() < OFFLOAD_MIN_BYTES;
            assert_eq!(n.digests.is_empty(), small, "{name}");
        }
    }
}

#[test]
fn a_webcrypto_that_cannot_check_leaves_the_maths_to_the_core() {
    let anchors = anchors();
    for (name, raw) in corpus() {
        let plain = verify_message(&raw, &opts(&anchors));
        let (v, _, _) = run(&raw, usize::MAX, digest, |_| SignatureAnswer::Unavailable);
        assert_eq!(json(&v), json(&plain), "{name}");
    }
}

#[test]
fn a_no_is_used_and_is_never_green() {
    let anchors = anchors();
    let mut checked = 0;
    for (name, raw) in corpus() {
        let plain = verify_message(&raw, &opts(&anchors));
        if plain.status != Status::Verified {
            continue;
        }
        let (v, passes, _) = run(&raw, usize::MAX, digest, |_| SignatureAnswer::Invalid);
        assert_ne!(v.status, Status::Verified, "{name}");
        assert!(passes >= 2, "{name}: the conditional verdict was not taken");
        checked += 1;
    }
    assert!(checked >= 10);
}

#[test]
fn a_wrong_digest_for_the_right_bytes_is_altered_content() {
    let raw = std::fs::read(smime().join("large/large-detached.eml")).unwrap();
    let anchors = anchors();
    let o = opts(&anchors);
    let mut job = VerifyJob::new(raw.clone(), 1024 * 1024);
    let Step::Need(n) = job.step(&o) else {
        panic!("a large message asks for its digest");
    };
    assert_eq!(n.digests.len(), 1);
    assert!(matches!(n.digests[0].source, ContentSource::Message(_)));
    assert!(
        n.digests[0].bytes.is_none(),
        "CRLF content is named by range"
    );
    let sigs: Vec<_> = n.signatures.iter().map(webcrypto).collect();
    assert!(sigs.iter().all(|a| *a == SignatureAnswer::Valid));
    job.answer(vec![Some(vec![0; 32])], sigs).unwrap();
    let Step::Done(v) = job.step(&o) else {
        panic!("the answers are complete");
    };
    assert_eq!(
        json(&v)["reason"]["kind"],
        "altered_content",
        "{:?}",
        v.reason
    );
    assert_eq!(job.passes(), 2, "a contradicted assumption costs a pass");
}

#[test]
fn answers_that_do_not_fit_are_refused_and_the_job_goes_on() {
    let raw = std::fs::read(smime().join("generated/001.eml")).unwrap();
    let anchors = anchors();
    let o = opts(&anchors);
    let mut job = VerifyJob::new(raw.clone(), usize::MAX);
    let Step::Need(n) = job.step(&o) else {
        panic!("signatures are asked for");
    };
    let count = n.signatures.len();
    assert!(count > 0);
    let e = job.answer(vec![], vec![]).unwrap_err();
    assert_eq!(e.expected, (0, count));
    assert_eq!(e.got, (0, 0));
    assert!(e.to_string().contains("were asked"));
    // Stepping again asks again; answered properly, the verdict is the plain one.
    let Step::Need(n) = job.step(&o) else {
        panic!("asked again");
    };
    let sigs = n.signatures.iter().map(webcrypto).collect();
    job.answer(vec![], sigs).unwrap();
    let Step::Done(v) = job.step(&o) else {
        panic!("done");
    };
    assert_eq!(json(&v), json(&verify_message(&raw, &o)));
}

/// A CRL's signature is asked for too (the wasm has no RSA maths of its own, so a CRL checked
/// only in the core could not be used there and a revoked signer would look unrevoked).
#[test]
fn crl_signatures_are_asked_for_and_a_revoked_signer_stays_revoked() {
    let crl_der = std::fs::read(smime().join("crl/inter-revokes-alice.crl")).unwrap();
    let crl = impalemail::smime::x509::CertificateList::from_der(&crl_der).unwrap();
    let tbs = crl.tbs_der.clone();
    let crls = [crl];
    let anchors = anchors();
    let mut o = opts(&anchors);
    o.crls = &crls;
    let raw = std::fs::read(smime().join("generated/001.eml")).unwrap();
    let plain = verify_message(&raw, &o);
    assert_eq!(json(&plain)["reason"]["kind"], "revoked");
    let run_with = |answer: &dyn Fn(&SignatureRequest) -> SignatureAnswer| {
        let mut job = VerifyJob::new(raw.clone(), usize::MAX);
        let mut crl_asked = false;
        loop {
            let s = match job.step(&o) {
                Step::Done(v) => return (*v, crl_asked),
                Step::Need(n) => {
                    crl_asked |= n.signatures.iter().any(|r| r.message == tbs);
                    n.signatures.iter().map(answer).collect()
                }
            };
            job.answer(vec![], s).unwrap();
        }
    };
    let (v, crl_asked) = run_with(&webcrypto);
    assert!(crl_asked, "the CRL's signature was asked for");
    assert_eq!(json(&v), json(&plain));
    // Its answer is used: a CRL whose signature "does not verify" is not applied.
    let (v, _) = run_with(&|r| {
        if r.message == tbs {
            SignatureAnswer::Invalid
        } else {
            webcrypto(r)
        }
    });
    assert_ne!(json(&v)["reason"]["kind"], "revoked");
}

/// An opaque message's eContent in BER chunks (a constructed OCTET STRING, as OpenSSL's
/// `-stream` writes it: generated/010.eml) is put together for the digest request; one in a
/// single OCTET STRING (generated/009.eml) is named within the decoded body, not copied.
/// Either way the caller hashes exactly the eContent octets, and both messages come out green.
#[test]
fn econtent_is_named_in_its_body_or_put_together_from_chunks() {
    let anchors = anchors();
    for (file, chunked) in [("generated/010.eml", true), ("generated/009.eml", false)] {
        let raw = std::fs::read(smime().join(file)).unwrap();
        let mut job = VerifyJob::new(raw.clone(), 0);
        let Step::Need(n) = job.step(&opts(&anchors)) else {
            panic!("{file}: its eContent is asked for");
        };
        let r = &n.digests[0];
        let ContentSource::EContent { len } = r.source else {
            panic!("{file}: {:?}", r.source);
        };
        match &r.bytes {
            Some(Offered::Owned(b)) if chunked => assert_eq!(b.len(), len),
            Some(Offered::Shared(body, range)) if !chunked => {
                assert_eq!(range.len(), len);
                assert!(range.end <= body.len());
            }
            other => panic!("{file}: {other:?}"),
        }
        let (v, _, _) = run(&raw, 0, digest, webcrypto);
        assert_eq!(v.status, Status::Verified, "{file}");
    }
}
