//! The check, sans-IO and in rounds (RFC 6376 §6.1 for each signature; RFC 7489 §6.6 for the
//! policy):
//!
//! 1. [`DkimJob::new`] reads the message and [`DkimJob::dns_queries`] names the TXT records it
//!    needs; the caller looks them up and brings them ([`DkimJob::set_dns`]).
//! 2. [`DkimJob::step`] checks everything it can. RSA and Ed25519 signatures go to the caller's WebCrypto
//!    as [`SignatureRequest`]s, the very type S/MIME's offload uses
//!    ([`crate::smime::offload`]), so the background answers both with one function:
//!    [`DkimStep::Need`]; the caller answers ([`DkimJob::answer`]) and steps again. An answer
//!    of "unavailable" makes the core check it with its own maths (RustCrypto in the command
//!    line; in the wasm, which has none, the signature is reported unsupported).
//! 3. [`DkimStep::Done`] holds the [`DkimVerdict`].
//!
//! Every outcome is judged by the core before anything is asked (tags, body hash, key record,
//! key size, expiry), so an answer can only say "valid" or "invalid".

use std::cell::RefCell;

use super::canon;
use super::dmarc::{self, Alignment, DmarcPolicy, DmarcRecord};
use super::header::{self, Field};
use super::key::{self, KeyError, KeyRecord, KeyType};
use super::signature::{Algorithm, Canon, DkimSignature, SignatureError};
use super::verdict::{DkimReason, DkimVerdict, SignatureResult, Status};
use super::{
    MAX_RECORDS_PER_NAME, MAX_RECORD_LEN, MAX_SIGNATURES, MAX_SIGNATURE_FIELD_LEN, MIN_RSA_BITS,
};
use crate::smime::algs::{AlgError, HashAlg};
use crate::smime::ed25519;
use crate::smime::offload::{AnswerError, SignatureAnswer, SignatureRequest, SignatureScheme};

/// What a DNS TXT query the core needs is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueryPurpose {
    /// A signature's key record (RFC 6376 §3.6.2.1).
    Key,
    /// A DMARC policy record (RFC 7489 §6.6.3).
    Dmarc,
}

/// A TXT record the core needs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DnsQuery {
    /// The name, lowercase, without a trailing dot.
    pub name: String,
    /// What it is for.
    pub purpose: QueryPurpose,
}

/// What the lookup of one name gave. In JSON `{"txt": ["v=DKIM1; ..."]}`, `"no_record"` or
/// `"failed"` (externally tagged: the smallest deserialiser in the wasm).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DnsResult {
    /// The TXT records, each its character-strings joined (RFC 6376 §3.6.2.2).
    Txt(Vec<String>),
    /// The name does not exist, or has no TXT record (NXDOMAIN, NODATA).
    NoRecord,
    /// The lookup failed (time-out, SERVFAIL, an answer that could not be read).
    Failed,
}

/// The caller's answer for one name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DnsAnswer {
    /// The name asked.
    pub name: String,
    /// What came back.
    pub result: DnsResult,
}

fn normal_name(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// The outcome of a [`DkimJob::step`].
#[derive(Debug)]
pub enum DkimStep<'j> {
    /// Check these signatures ([`DkimJob::answer`], in this order), then step again.
    Need(&'j [SignatureRequest]),
    /// The verdict.
    Done(Box<DkimVerdict>),
}

/// A message being checked (see the module documentation).
#[derive(Debug)]
pub struct DkimJob {
    /// The message with CRLF line ends.
    msg: Vec<u8>,
    now: i64,
    /// The DNS answers by name (a few names: a list is smaller in the wasm than a map).
    dns: Vec<(String, DnsResult)>,
    /// The requests of the last asking step.
    pending: Vec<SignatureRequest>,
    /// Answers given so far.
    answers: Vec<(SignatureRequest, SignatureAnswer)>,
    /// Whether a step has asked already (one asking step is enough: no check depends on
    /// another's result).
    asked: bool,
    /// Body hashes by (canonicalisation, algorithm, `l=`): (hash, canonical length).
    body_hashes: RefCell<BodyHashes>,
}

/// A signature's outcome: it verifies and covers the message, or why not.
type Checked = Result<(), DkimReason>;

/// Body hashes by (canonicalisation, algorithm, `l=`): the hash and the canonical length.
type BodyHashes = Vec<((Canon, Algorithm, Option<u64>), (Vec<u8>, u64))>;

/// A signature read, with its algorithm described ("rsa-sha256, 2048 bits").
type Read = (DkimSignature, String);

impl DkimJob {
    /// A job for the raw message `raw`, checked at `now` (unix seconds).
    pub fn new(raw: &[u8], now: i64) -> DkimJob {
        DkimJob {
            msg: header::to_crlf(raw).into_owned(),
            now,
            dns: Vec::new(),
            pending: Vec::new(),
            answers: Vec::new(),
            asked: false,
            body_hashes: RefCell::new(Vec::new()),
        }
    }

    /// The TXT records the check needs: the key record of each signature that can be read
    /// (the first [`super::MAX_SIGNATURES`]), then the `From` domain's DMARC record and, when
    /// the `From` domain is below its organisational domain, that one's (RFC 7489 §6.6.3
    /// falls back to it when the first has none; both are named at once so that one round
    /// trip does). Without a single `From` address, no DMARC record is named.
    pub fn dns_queries(&self) -> Vec<DnsQuery> {
        let split = header::split(&self.msg);
        let mut out: Vec<DnsQuery> = Vec::new();
        let mut push = |name: String, purpose| {
            if !out.iter().any(|q| q.name == name) {
                out.push(DnsQuery { name, purpose });
            }
        };
        for f in signature_fields(&split.fields).take(MAX_SIGNATURES) {
            if f.raw.len() > MAX_SIGNATURE_FIELD_LEN {
                continue;
            }
            if let Ok(sig) = DkimSignature::parse(&f.value()) {
                push(sig.key_name(), QueryPurpose::Key);
            }
        }
        if let Ok(from) = from_domain(&split.fields) {
            let org = dmarc::organisational_domain(&from);
            push(format!("_dmarc.{from}"), QueryPurpose::Dmarc);
            if org != from {
                push(format!("_dmarc.{org}"), QueryPurpose::Dmarc);
            }
        }
        out
    }

    /// The answers to [`DkimJob::dns_queries`]. A name without an answer counts as a failed
    /// lookup.
    pub fn set_dns(&mut self, answers: Vec<DnsAnswer>) {
        for a in answers {
            let name = normal_name(&a.name);
            self.dns.retain(|(n, _)| *n != name);
            self.dns.push((name, a.result));
        }
    }

    /// Runs the check with the answers so far.
    pub fn step(&mut self) -> DkimStep<'_> {
        if !self.asked {
            let asked = RefCell::new(Vec::new());
            let ask = |r: SignatureRequest| {
                let mut asked = asked.borrow_mut();
                if !asked.contains(&r) {
                    asked.push(r);
                }
                Some(true)
            };
            let verdict = self.evaluate(&ask);
            let asked = asked.into_inner();
            if asked.is_empty() {
                return DkimStep::Done(Box::new(verdict));
            }
            self.asked = true;
            self.pending = asked;
            return DkimStep::Need(&self.pending);
        }
        let answered = |r: SignatureRequest| {
            self.answers
                .iter()
                .find(|(q, _)| *q == r)
                .and_then(|(_, a)| match a {
                    SignatureAnswer::Valid => Some(true),
                    SignatureAnswer::Invalid => Some(false),
                    SignatureAnswer::Unavailable => None,
                })
        };
        DkimStep::Done(Box::new(self.evaluate(&answered)))
    }

    /// The answers to the last [`DkimStep::Need`], in its order.
    pub fn answer(&mut self, answers: Vec<SignatureAnswer>) -> Result<(), AnswerError> {
        if answers.len() != self.pending.len() {
            return Err(AnswerError {
                expected: (0, self.pending.len()),
                got: (0, answers.len()),
            });
        }
        let pending = std::mem::take(&mut self.pending);
        self.answers.extend(pending.into_iter().zip(answers));
        Ok(())
    }

    /// Steps and answers with `signature` until the verdict: the synchronous driver (the
    /// command line, tests).
    pub fn run(
        mut self,
        mut signature: impl FnMut(&SignatureRequest) -> SignatureAnswer,
    ) -> DkimVerdict {
        loop {
            let answers = match self.step() {
                DkimStep::Done(v) => return *v,
                DkimStep::Need(r) => r.iter().map(&mut signature).collect(),
            };
            if self.answer(answers).is_err() {
                // The answers are built from the requests, so this does not happen; a
                // verdict that claims nothing if it does.
                return DkimVerdict::new(
                    Status::NotVerified,
                    Some(DkimReason::Unsupported {
                        what: "an answer that does not match the question".into(),
                    }),
                    self.now,
                );
            }
        }
    }

    /// One pass; `ask` gives the answer for a signature check (`None`: do it in the core).
    fn evaluate(&self, ask: &dyn Fn(SignatureRequest) -> Option<bool>) -> DkimVerdict {
        let split = header::split(&self.msg);
        let from = from_domain(&split.fields);
        let (dmarc, policy) = match &from {
            Ok(d) => self.dmarc(d),
            Err(_) => (None, None),
        };
        let mode = dmarc
            .as_ref()
            .map_or(Alignment::Relaxed, |r| r.dkim_alignment);
        let mut results = Vec::new();
        for f in signature_fields(&split.fields).take(MAX_SIGNATURES) {
            let (sig, outcome) = match self.check(f, &split, ask) {
                Ok((sig, outcome)) => (Some(sig), outcome),
                Err(reason) => (None, Err(reason)),
            };
            let aligned = match (&sig, &from) {
                (Some(s), Ok(from)) => dmarc::aligned(&s.0.domain, from, mode),
                _ => false,
            };
            results.push(SignatureResult {
                domain: sig.as_ref().map(|s| s.0.domain.clone()).unwrap_or_default(),
                selector: sig
                    .as_ref()
                    .map(|s| s.0.selector.clone())
                    .unwrap_or_default(),
                algorithm: sig.as_ref().map(|s| s.1.clone()).unwrap_or_default(),
                aligned,
                outcome: outcome.err(),
            });
        }
        let mut verdict = decide(&from, &results, self.now);
        if verdict.status != Status::Verified {
            // A broken signature by the From domain itself, whose owner asks receivers to act
            // on failures (RFC 7489 §6.3 p=quarantine/reject): red.
            let broken = results.iter().any(|r| {
                r.aligned
                    && matches!(
                        r.outcome,
                        Some(DkimReason::BodyChanged | DkimReason::HeaderChanged)
                    )
            });
            if let (true, Some(p @ (DmarcPolicy::Quarantine | DmarcPolicy::Reject)), Ok(d)) =
                (broken, policy, &from)
            {
                verdict = verdict.against_policy(d, p);
            }
        }
        verdict.from_domain = from.ok();
        verdict.dmarc = dmarc;
        verdict.dmarc_policy = policy;
        verdict.signatures = results;
        verdict
    }

    /// The answer for `name`.
    fn dns_answer(&self, name: &str) -> Option<&DnsResult> {
        self.dns.iter().find(|(n, _)| n == name).map(|(_, r)| r)
    }

    /// The DMARC record for `from` and the policy that applies (RFC 7489 §6.6.3).
    fn dmarc(&self, from: &str) -> (Option<DmarcRecord>, Option<DmarcPolicy>) {
        let at = |name: &str| match self.dns_answer(name) {
            Some(DnsResult::Txt(records)) => DmarcRecord::from_txt(&records_of(records)),
            _ => None,
        };
        if let Some(r) = at(&format!("_dmarc.{from}")) {
            let p = r.policy;
            return (Some(r), Some(p));
        }
        let org = dmarc::organisational_domain(from);
        if org == from {
            return (None, None);
        }
        match at(&format!("_dmarc.{org}")) {
            Some(r) => {
                let p = r.subdomain_policy;
                (Some(r), Some(p))
            }
            None => (None, None),
        }
    }

    /// Checks one signature: the signature read and a description of its algorithm, with
    /// its outcome; or why it could not be read.
    fn check(
        &self,
        field: &Field<'_>,
        split: &header::Split<'_>,
        ask: &dyn Fn(SignatureRequest) -> Option<bool>,
    ) -> Result<(Read, Checked), DkimReason> {
        if field.raw.len() > MAX_SIGNATURE_FIELD_LEN {
            return Err(DkimReason::Malformed {
                what: format!("its field is longer than {MAX_SIGNATURE_FIELD_LEN} bytes"),
            });
        }
        let sig = DkimSignature::parse(&field.value()).map_err(|e| match e {
            SignatureError::Malformed(what) => DkimReason::Malformed { what },
            SignatureError::Unsupported(what) => DkimReason::Unsupported { what },
        })?;
        let mut described = sig.algorithm.name().to_string();
        let outcome = self.check_signature(&sig, field, split, ask, &mut described);
        Ok(((sig, described), outcome))
    }

    fn check_signature(
        &self,
        sig: &DkimSignature,
        field: &Field<'_>,
        split: &header::Split<'_>,
        ask: &dyn Fn(SignatureRequest) -> Option<bool>,
        described: &mut String,
    ) -> Checked {
        if !sig
            .signed_headers
            .iter()
            .any(|h| h.eq_ignore_ascii_case("from"))
        {
            return Err(DkimReason::FromNotSigned);
        }
        if let Some(x) = sig.expires {
            if x < self.now {
                return Err(DkimReason::Expired {
                    at: crate::smime::verdict::format_time(x),
                });
            }
        }
        let key = self.key_record(&sig.key_name())?;
        if key.revoked() {
            return Err(DkimReason::KeyRevoked);
        }
        // §3.6.1 t=y: "Verifiers MUST NOT treat messages from Signers in testing mode
        // differently from unsigned email, even should the signature fail to verify": neither
        // green nor red, whatever the signature says, so it is not checked.
        if key.testing {
            return Err(DkimReason::TestingKey);
        }
        let key_error = |e: KeyError| match e {
            KeyError::Malformed(what) => DkimReason::Malformed { what },
            KeyError::Unsupported(what) => DkimReason::Unsupported { what },
        };
        key.allows(sig.algorithm).map_err(key_error)?;
        if key.strict && sig.identity_domain() != sig.domain {
            return Err(DkimReason::Malformed {
                what: format!(
                    "the key may only sign for {} itself, not for {}",
                    sig.domain,
                    sig.identity_domain()
                ),
            });
        }
        // §3.7 step 1: the body hash.
        let (body_hash, total) = self.body_hash(sig, split.body);
        let total = total.ok_or_else(|| DkimReason::Malformed {
            what: "its body length (l=) is longer than the body".into(),
        })?;
        if body_hash != sig.body_hash {
            return Err(DkimReason::BodyChanged);
        }
        // §3.7 step 2: the header hash input, and the signature over it.
        let input =
            canon::header_input(&split.fields, &sig.signed_headers, field, sig.header_canon);
        let (scheme, spki, message) = match key.key_type {
            KeyType::Ed25519 => {
                let k: [u8; ed25519::KEY_LEN] =
                    key.public_key
                        .as_slice()
                        .try_into()
                        .map_err(|_| DkimReason::Malformed {
                            what: "its Ed25519 key is not 32 bytes".into(),
                        })?;
                if !ed25519::is_point(&k) {
                    return Err(DkimReason::Malformed {
                        what: "its Ed25519 key is not a valid point".into(),
                    });
                }
                let s: &[u8; ed25519::SIGNATURE_LEN] = sig
                    .signature
                    .as_slice()
                    .try_into()
                    .map_err(|_| DkimReason::HeaderChanged)?;
                if !ed25519::passes_strict_checks(&k, s) {
                    return Err(DkimReason::HeaderChanged);
                }
                // RFC 8463 §3: Ed25519 signs the SHA-256 of the hash input.
                let message = sig.algorithm.digest(&input);
                (SignatureScheme::Ed25519, ed25519::spki(&k), message)
            }
            KeyType::Rsa => {
                let (spki, bits) = key::rsa_key(&key.public_key).map_err(key_error)?;
                *described = format!("{}, {bits} bits", sig.algorithm.name());
                if bits < MIN_RSA_BITS {
                    return Err(DkimReason::Weak {
                        what: format!("an RSA key of {bits} bits"),
                    });
                }
                if sig.algorithm == Algorithm::RsaSha1 {
                    return Err(DkimReason::Weak {
                        what: "it uses SHA-1".into(),
                    });
                }
                let scheme = SignatureScheme::RsaPkcs1 {
                    hash: HashAlg::Sha256,
                };
                (scheme, spki, input)
            }
        };
        let request = SignatureRequest {
            scheme,
            spki: spki.to_der(),
            message,
            signature: sig.signature.clone(),
        };
        let valid = match ask(request.clone()) {
            Some(v) => v,
            None => {
                match crate::smime::algs::local::verify(
                    scheme,
                    &spki,
                    &request.message,
                    &request.signature,
                ) {
                    Ok(()) => true,
                    Err(AlgError::BadSignature | AlgError::MalformedSignature) => false,
                    Err(e) => {
                        return Err(DkimReason::Unsupported {
                            what: e.to_string(),
                        })
                    }
                }
            }
        };
        if !valid {
            return Err(DkimReason::HeaderChanged);
        }
        // It verifies: now what it does not cover.
        if let Some(l) = sig.body_length {
            if l < total {
                return Err(DkimReason::TextAdded { signed: l, total });
            }
        }
        Ok(())
    }

    /// The key record at `name`: the first of its TXT records that reads as one.
    fn key_record(&self, name: &str) -> Result<KeyRecord, DkimReason> {
        let records: &[String] = match self.dns_answer(name) {
            Some(DnsResult::Txt(r)) => r,
            Some(DnsResult::NoRecord) => &[],
            Some(DnsResult::Failed) | None => {
                return Err(DkimReason::DnsFailed { name: name.into() })
            }
        };
        let mut first_error = None;
        for r in records.iter().take(MAX_RECORDS_PER_NAME) {
            if r.len() > MAX_RECORD_LEN {
                first_error.get_or_insert(KeyError::Malformed(format!(
                    "it is longer than {MAX_RECORD_LEN} bytes"
                )));
                continue;
            }
            match KeyRecord::parse(r) {
                Ok(k) => return Ok(k),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        Err(match first_error {
            None => DkimReason::KeyNotFound { name: name.into() },
            Some(KeyError::Malformed(w)) => DkimReason::Malformed {
                what: format!("its key record: {w}"),
            },
            Some(KeyError::Unsupported(what)) => DkimReason::Unsupported { what },
        })
    }

    /// The body hash for `sig` and the canonical body's length (`None` when `l=` is longer
    /// than the body), computed once per canonicalisation, algorithm and `l=`.
    fn body_hash(&self, sig: &DkimSignature, body: &[u8]) -> (Vec<u8>, Option<u64>) {
        let key = (sig.body_canon, sig.algorithm, sig.body_length);
        let cached = self
            .body_hashes
            .borrow()
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone());
        let (h, len) = cached.unwrap_or_else(|| {
            let canonical = canon::body(body, sig.body_canon);
            let len = canonical.len() as u64;
            let signed = match sig.body_length {
                Some(l) if l < len => canonical.get(..usize::try_from(l).unwrap_or(usize::MAX)),
                _ => None,
            };
            let h = sig.algorithm.digest(signed.unwrap_or(&canonical));
            self.body_hashes.borrow_mut().push((key, (h.clone(), len)));
            (h, len)
        });
        let total = match sig.body_length {
            Some(l) if l > len => None,
            _ => Some(len),
        };
        (h, total)
    }
}

/// The DMARC records to read: the first [`MAX_RECORDS_PER_NAME`], those longer than
/// [`MAX_RECORD_LEN`] left out.
fn records_of(records: &[String]) -> Vec<String> {
    records
        .iter()
        .take(MAX_RECORDS_PER_NAME)
        .filter(|r| r.len() <= MAX_RECORD_LEN)
        .cloned()
        .collect()
}

fn signature_fields<'f, 'a>(fields: &'f [Field<'a>]) -> impl Iterator<Item = &'f Field<'a>> {
    fields.iter().filter(|f| f.is("DKIM-Signature"))
}

/// The `From` address's domain, in ASCII (Punycode) lowercase form: exactly one `From` field
/// with exactly one address (RFC 7489 §6.6.1).
fn from_domain(fields: &[Field<'_>]) -> Result<String, DkimReason> {
    let froms: Vec<&Field<'_>> = fields.iter().filter(|f| f.is("From")).collect();
    let mut addresses = Vec::new();
    for f in &froms {
        addresses.extend(crate::smime::address::parse_address_list(&f.value()));
    }
    match addresses.len() {
        0 if froms.len() <= 1 => return Err(DkimReason::NoFrom),
        1 if froms.len() == 1 => {}
        n => {
            return Err(DkimReason::SeveralFrom {
                count: n.max(froms.len()),
            })
        }
    }
    let domain = addresses[0]
        .address
        .rsplit_once('@')
        .map(|(_, d)| d.trim_end_matches('>').to_string())
        .unwrap_or_default();
    crate::site::host(&domain).map_err(|_| DkimReason::NoFrom)
}

/// The verdict from the signatures' results: green when an aligned one verifies (RFC 7489
/// §4.2); otherwise the most telling reason: the first aligned signature's, else "signed by
/// another domain" when one verified, else the first signature's.
fn decide(from: &Result<String, DkimReason>, results: &[SignatureResult], now: i64) -> DkimVerdict {
    if results.is_empty() {
        return DkimVerdict::new(Status::NotVerified, Some(DkimReason::Unsigned), now);
    }
    let from = match from {
        Ok(d) => d,
        Err(reason) => return DkimVerdict::new(Status::NotVerified, Some(reason.clone()), now),
    };
    if let Some(ok) = results.iter().find(|r| r.aligned && r.outcome.is_none()) {
        return DkimVerdict::new(Status::Verified, None, now).verified(&ok.domain);
    }
    let reason = if let Some(r) = results.iter().find(|r| r.aligned) {
        r.outcome.clone()
    } else if let Some(r) = results.iter().find(|r| r.outcome.is_none()) {
        Some(DkimReason::NotAligned {
            signer: r.domain.clone(),
            from: from.clone(),
        })
    } else {
        results[0].outcome.clone()
    };
    DkimVerdict::new(Status::NotVerified, reason, now)
}
