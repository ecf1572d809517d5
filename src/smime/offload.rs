//! A check in rounds, for a caller whose platform does the public-key maths and the big hash
//! faster than the core: the browser's WebCrypto (`crypto.subtle.verify`, `.digest`) runs
//! native RSA, ECDSA and SHA-2, several times faster than the same maths compiled to wasm
//! (tools/bench). The core stays the one that decides: it parses, builds and validates the
//! path, applies every rule, and only asks "does this signature verify with this key over these
//! bytes?" and "what is the digest of these bytes?".
//!
//! Sans-IO. A [`VerifyJob`] owns the message. [`VerifyJob::step`] runs the whole check; every
//! signature or large-content digest it has no answer for is recorded as a request and, for
//! that pass only, assumed good, so that path building goes where it would go if it were good
//! (the common case). If anything was asked, the step returns the requests ([`Step::Need`])
//! and keeps the pass's verdict as a *conditional* one; the caller answers
//! ([`VerifyJob::answer`]) and steps again. When every answer confirms what was assumed (each
//! signature valid, each digest equal to the signed message-digest it was compared with), the
//! assumptions were facts and the conditional verdict is the verdict: the next step returns it
//! without another pass. Otherwise the next step runs again with the answers. A step in which
//! nothing new was asked used a real answer (or the core's own maths) for every check. Either
//! way the verdict ([`Step::Done`]) is exactly the one-call verdict. A request
//! is answered by position, so an answer is always for the very bytes the core named; an
//! answer of "unavailable" (WebCrypto cannot import the key, or does not know the hash) makes
//! the core do that check itself. After [`MAX_ROUNDS`] asking steps the next step asks for
//! nothing and does every unanswered check in the core.
//!
//! What is offered: RSASSA-PKCS1-v1_5 and RSASSA-PSS (RFC 8017) and ECDSA on P-256, P-384,
//! P-521 (FIPS 186-5) with SHA-1/256/384/512, and Ed25519 (RFC 8032), for the signer, the chain
//! and CRLs; content digests of at least `min_digest_bytes` with SHA-256/384/512. DSA and
//! SHA-224 stay in the core. The signature's weakness (SHA-1, small RSA key), the key's
//! validity (point on the curve, RSA size limits), the ECDSA signature's DER encoding and
//! Ed25519's strict rules beyond the equation (S < L, no small-order key or R:
//! [`super::ed25519`]) are judged by the core before anything is asked, so an answer can only
//! say "valid" or "invalid".

use std::cell::RefCell;
use std::rc::Rc;

use super::algs::HashAlg;
use super::digest_offload::{ContentSource, DigestAnswer, DigestRequest};
use super::mime::Message;
use super::verify::VerifyOptions;
use super::Verdict;

/// Most steps that ask for answers; the step after them asks nothing (every check left is done
/// in the core). A message needs one asking step, or two when a signature the first pass
/// assumed good was not.
pub const MAX_ROUNDS: u32 = 4;

/// Most signature checks asked in one step (the path budget bounds them already; this bounds
/// what one answer list may hold).
pub const MAX_SIGNATURE_REQUESTS: usize = 64;

/// An elliptic curve WebCrypto names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curve {
    /// secp256r1.
    P256,
    /// secp384r1.
    P384,
    /// secp521r1.
    P521,
}

impl Curve {
    /// WebCrypto's `namedCurve`.
    pub fn name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
        }
    }
}

/// A signature scheme as WebCrypto names it, with its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureScheme {
    /// `RSASSA-PKCS1-v1_5` with `hash`.
    RsaPkcs1 {
        /// The hash.
        hash: HashAlg,
    },
    /// `RSA-PSS` with `hash` (MGF1 with the same hash) and `salt_len`.
    RsaPss {
        /// The hash.
        hash: HashAlg,
        /// The salt length in bytes.
        salt_len: usize,
    },
    /// `ECDSA` on `curve` with `hash`; the signature is IEEE P1363 `r || s`.
    Ecdsa {
        /// The curve.
        curve: Curve,
        /// The hash.
        hash: HashAlg,
    },
    /// `Ed25519` (RFC 8032 §5.1.7, no hash named): the key and R were judged by the core
    /// ([`super::ed25519`]), so only the equation is asked.
    Ed25519,
}

impl SignatureScheme {
    /// The hash WebCrypto is told to use (`None` for Ed25519, which names none).
    pub fn hash(self) -> Option<HashAlg> {
        match self {
            SignatureScheme::RsaPkcs1 { hash }
            | SignatureScheme::RsaPss { hash, .. }
            | SignatureScheme::Ecdsa { hash, .. } => Some(hash),
            SignatureScheme::Ed25519 => None,
        }
    }
}

/// One signature the caller is asked to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureRequest {
    /// How.
    pub scheme: SignatureScheme,
    /// The public key: a DER `SubjectPublicKeyInfo` (WebCrypto's `spki` import format).
    pub spki: Vec<u8>,
    /// The signed bytes (hashed by the caller as the scheme says).
    pub message: Vec<u8>,
    /// The signature (for ECDSA in the P1363 form, converted from DER by the core).
    pub signature: Vec<u8>,
}

/// The caller's answer to a [`SignatureRequest`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureAnswer {
    /// It verifies.
    Valid,
    /// It does not.
    Invalid,
    /// The caller could not check it (the core does).
    Unavailable,
}

/// What a step asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs {
    /// Content digests.
    pub digests: Vec<DigestRequest>,
    /// Signature checks.
    pub signatures: Vec<SignatureRequest>,
}

impl Needs {
    fn is_empty(&self) -> bool {
        self.digests.is_empty() && self.signatures.is_empty()
    }
}

/// The answers and the asking of one pass, shared by the verification code.
#[derive(Debug, Default)]
pub struct Offload {
    digests: Vec<DigestAnswer>,
    signatures: Vec<(SignatureRequest, SignatureAnswer)>,
    /// Record what has no answer (and assume it good for this pass).
    record: bool,
    /// Smallest content whose digest is asked for.
    min_digest_bytes: usize,
    asked: RefCell<Needs>,
    /// For each digest asked, the message-digest values it was assumed to equal.
    expected: RefCell<Vec<(usize, Vec<u8>)>>,
    /// Decoded bodies (base64 of the signed data), by part index: the job's message does not
    /// change between steps, so neither do they.
    decoded: RefCell<Vec<(usize, Rc<Vec<u8>>)>>,
}

/// How the content digest of a signer is obtained in this pass.
pub(crate) enum DigestSource<'o> {
    /// The caller's answer.
    Answered(&'o [u8]),
    /// Asked for in this pass: assume it matches.
    Asked,
    /// Compute it in the core.
    Local,
}

impl Offload {
    /// The decoded body of `part`, from the cache when this job decoded it before.
    pub(crate) fn decoded_body(&self, msg: &Message, part: usize) -> Rc<Vec<u8>> {
        if let Some((_, b)) = self.decoded.borrow().iter().find(|(p, _)| *p == part) {
            return b.clone();
        }
        let b = Rc::new(msg.decoded_body(part));
        self.decoded.borrow_mut().push((part, b.clone()));
        b
    }

    /// The content digest for `(alg, source)`, to be compared with the signed `expected`;
    /// `bytes` gives what the caller must hash when the source is not a range of its own buffer.
    pub(crate) fn content_digest(
        &self,
        key: &(HashAlg, ContentSource),
        len: usize,
        expected: &[u8],
        bytes: impl FnOnce() -> Option<super::digest_offload::Offered>,
    ) -> DigestSource<'_> {
        if let Some(d) = super::digest_offload::answer_for(key, &self.digests) {
            return DigestSource::Answered(d);
        }
        if !self.record || len < self.min_digest_bytes {
            return DigestSource::Local;
        }
        let mut asked = self.asked.borrow_mut();
        let at = match asked
            .digests
            .iter()
            .position(|r| r.algorithm == key.0 && r.source == key.1)
        {
            Some(i) => i,
            None => {
                asked.digests.push(DigestRequest {
                    algorithm: key.0,
                    source: key.1.clone(),
                    bytes: bytes(),
                });
                asked.digests.len() - 1
            }
        };
        self.expected.borrow_mut().push((at, expected.to_vec()));
        DigestSource::Asked
    }

    /// The answer to `request`: `Some(true)` valid (or assumed valid while asking), `Some(false)`
    /// invalid, `None` check it in the core.
    pub(crate) fn signature(&self, request: SignatureRequest) -> Option<bool> {
        if let Some((_, a)) = self.signatures.iter().find(|(r, _)| *r == request) {
            return match a {
                SignatureAnswer::Valid => Some(true),
                SignatureAnswer::Invalid => Some(false),
                SignatureAnswer::Unavailable => None,
            };
        }
        if !self.record {
            return None;
        }
        let mut asked = self.asked.borrow_mut();
        if asked.signatures.len() >= MAX_SIGNATURE_REQUESTS {
            return None;
        }
        if !asked.signatures.contains(&request) {
            asked.signatures.push(request);
        }
        Some(true)
    }
}

/// The outcome of a [`VerifyJob::step`].
#[derive(Debug)]
pub enum Step<'j> {
    /// Answer these ([`VerifyJob::answer`]), then step again.
    Need(&'j Needs),
    /// The verdict.
    Done(Box<Verdict>),
}

/// A message being checked in rounds (see the module documentation).
#[derive(Debug)]
pub struct VerifyJob {
    raw: Vec<u8>,
    off: Offload,
    pending: Needs,
    rounds: u32,
    /// The last pass's verdict, true if everything it assumed is.
    conditional: Option<Verdict>,
    /// Set by [`VerifyJob::answer`] when the answers confirmed the conditional verdict.
    confirmed: Option<Verdict>,
    /// Passes run (for tests and the benchmark's notes).
    passes: u32,
}

impl VerifyJob {
    /// A job for the message `raw`, asking for the digests of contents of at least
    /// `min_digest_bytes` (`usize::MAX`: none).
    pub fn new(raw: Vec<u8>, min_digest_bytes: usize) -> Self {
        VerifyJob {
            raw,
            off: Offload {
                min_digest_bytes,
                ..Offload::default()
            },
            pending: Needs::default(),
            rounds: 0,
            conditional: None,
            confirmed: None,
            passes: 0,
        }
    }

    /// How many verification passes ran so far.
    pub fn passes(&self) -> u32 {
        self.passes
    }

    /// The message.
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// Runs the check with the answers so far. `opts` must be the same at every step.
    pub fn step(&mut self, opts: &VerifyOptions) -> Step<'_> {
        self.conditional = None;
        if let Some(v) = self.confirmed.take() {
            return Step::Done(Box::new(v));
        }
        self.off.record = self.rounds < MAX_ROUNDS;
        self.off.asked.replace(Needs::default());
        self.off.expected.replace(Vec::new());
        self.passes += 1;
        let verdict = super::verify::verify_message_inner(&self.raw, opts, Some(&self.off));
        let asked = self.off.asked.replace(Needs::default());
        if asked.is_empty() {
            self.pending = Needs::default();
            return Step::Done(Box::new(verdict));
        }
        self.rounds += 1;
        self.pending = asked;
        self.conditional = Some(verdict);
        Step::Need(&self.pending)
    }

    /// The answers to the last [`Step::Need`], in its order: each digest (`None`: not
    /// computed) and each signature. Errors when the lists do not match the requests.
    pub fn answer(
        &mut self,
        digests: Vec<Option<Vec<u8>>>,
        signatures: Vec<SignatureAnswer>,
    ) -> Result<(), AnswerError> {
        if digests.len() != self.pending.digests.len()
            || signatures.len() != self.pending.signatures.len()
        {
            return Err(AnswerError {
                expected: (self.pending.digests.len(), self.pending.signatures.len()),
                got: (digests.len(), signatures.len()),
            });
        }
        let expected = self.off.expected.replace(Vec::new());
        let confirmed = signatures.iter().all(|a| *a == SignatureAnswer::Valid)
            && expected
                .iter()
                .all(|(i, md)| digests[*i].as_deref() == Some(md.as_slice()));
        let conditional = self.conditional.take();
        if confirmed {
            self.confirmed = conditional;
        }
        let pending = std::mem::take(&mut self.pending);
        for (r, d) in pending.digests.into_iter().zip(digests) {
            if let Some(digest) = d {
                self.off.digests.push(DigestAnswer {
                    algorithm: r.algorithm,
                    source: r.source,
                    digest,
                });
            }
        }
        for (r, a) in pending.signatures.into_iter().zip(signatures) {
            self.off.signatures.push((r, a));
        }
        Ok(())
    }

    /// Steps and answers with `answer` until the verdict: the synchronous driver (tests, the
    /// command line's cross-checks).
    pub fn run(
        mut self,
        opts: &VerifyOptions,
        mut digest: impl FnMut(&[u8], &DigestRequest) -> Option<Vec<u8>>,
        mut signature: impl FnMut(&SignatureRequest) -> SignatureAnswer,
    ) -> Verdict {
        loop {
            if let Step::Done(v) = self.step(opts) {
                return *v;
            }
            let n = &self.pending;
            let d = n.digests.iter().map(|r| digest(&self.raw, r)).collect();
            let s = n.signatures.iter().map(&mut signature).collect();
            // The lists are built from the requests, so they always match.
            if self.answer(d, s).is_err() {
                return Verdict::internal_error(opts.now);
            }
        }
    }
}

/// Answers `request` with the core's own maths (RustCrypto): what a caller without WebCrypto
/// could do, and the reference the fuzzers hold the rounds to (`fuzz/src/bodies.rs`, `verify`).
#[cfg(feature = "local-signatures")]
pub fn answer_locally(request: &SignatureRequest) -> SignatureAnswer {
    let Ok(spki) = super::x509::SubjectPublicKeyInfo::from_der(&request.spki) else {
        return SignatureAnswer::Unavailable;
    };
    let (message, signature) = (&request.message, &request.signature);
    match super::algs::local::verify(request.scheme, &spki, message, signature) {
        Ok(()) => SignatureAnswer::Valid,
        Err(super::algs::AlgError::BadSignature) => SignatureAnswer::Invalid,
        Err(_) => SignatureAnswer::Unavailable,
    }
}

/// Answers that do not match the requests of the last step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerError {
    /// (digests, signatures) asked.
    pub expected: (usize, usize),
    /// (digests, signatures) given.
    pub got: (usize, usize),
}

impl std::fmt::Display for AnswerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "answers for {} digests and {} signatures, but {} and {} were asked",
            self.got.0, self.got.1, self.expected.0, self.expected.1
        )
    }
}

impl std::error::Error for AnswerError {}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::smime::{AnchorSource, TrustAnchor};

    #[test]
    fn after_the_last_asking_round_the_core_checks_the_rest() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/smime");
        let raw = std::fs::read(format!("{dir}/generated/001.eml")).unwrap();
        let pem = std::fs::read(format!("{dir}/pki/root.pem")).unwrap();
        let der = crate::smime::trust::parse_cert_pem_or_der(&pem).unwrap();
        let der = der[0].der.clone();
        let anchors = [TrustAnchor::from_cert_der(&der, AnchorSource::User).unwrap()];
        let opts = VerifyOptions::new(1_798_761_600, &anchors);
        let mut job = VerifyJob::new(raw.clone(), 0);
        assert!(matches!(job.step(&opts), Step::Need(_)));
        // As if every round so far had asked: the next step asks nothing.
        job.rounds = MAX_ROUNDS;
        job.pending = Needs::default();
        let Step::Done(v) = job.step(&opts) else {
            panic!("no more asking");
        };
        let plain = crate::smime::verify_message(&raw, &opts);
        assert_eq!(
            serde_json::to_value(&v).unwrap(),
            serde_json::to_value(&plain).unwrap()
        );
        assert_eq!(plain.status, crate::smime::Status::Verified);
    }
}
