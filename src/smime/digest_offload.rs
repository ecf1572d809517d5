//! The content digest of a large signed message computed by the caller, so that the browser's WebCrypto (`crypto.subtle.digest`, native SHA-2) does
//! the one big hash instead of the wasm (RFC 5652 §5.4: the message-digest attribute is the
//! digest of the content; RFC 8551 §3.1.1: of its canonical CRLF form).
//!
//! Sans-IO, in two calls: [`digest_requests`] says which bytes to hash with which algorithm
//! (a request names either a range of the caller's own message buffer, or carries bytes the
//! core produced); the caller hashes them, and passes the answers to
//! [`verify_message_with_digests`], which is [`super::verify_message`] except that the
//! content digest is taken from an answer that matches its own request exactly (algorithm,
//! source, digest length). Anything else is ignored and hashed here, so a caller that
//! answers nothing, or answers wrongly, costs time or gives "altered content", never a
//! green verdict for bytes that were not hashed. Only the content digest moves out: the
//! signature over the signed attributes, the chain, everything else stays in Rust.

use std::ops::Range;

use super::algs::HashAlg;
use super::cms;
use super::mime::{Message, SignedKind};
use super::verify::VerifyOptions;
use super::Verdict;

/// Smallest content whose digest is offered to the caller: below it, a round trip to an
/// asynchronous WebCrypto call costs more than hashing in the wasm (SHA-256 at ~300 MB/s
/// there hashes 1 MiB in ~3 ms).
pub const OFFLOAD_MIN_BYTES: usize = 1024 * 1024;

/// The bytes a digest is over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContentSource {
    /// `raw[range]` of the message the caller passed in, as it stands: a detached content
    /// that is CRLF-only already, so it is its own canonical form. No copy crosses over.
    Message(Range<usize>),
    /// The canonical (CRLF) form of `raw[range]`, which has bare LFs: the core supplies it.
    Canonical(Range<usize>),
    /// The opaque signed data's eContent (inside the base64 body): the core supplies it.
    EContent {
        /// Its length in bytes.
        len: usize,
    },
}

impl ContentSource {
    /// The source of a detached content `bytes` found at `range` of the message.
    pub(crate) fn detached(bytes: &[u8], range: Range<usize>) -> Self {
        let bare_lf = memchr::memchr_iter(b'\n', bytes).any(|i| i == 0 || bytes[i - 1] != b'\r');
        if bare_lf {
            Self::Canonical(range)
        } else {
            Self::Message(range)
        }
    }

    fn len(&self) -> usize {
        match self {
            Self::Message(r) => r.len(),
            // At least this long (bare LFs become CRLF).
            Self::Canonical(r) => r.len(),
            Self::EContent { len } => *len,
        }
    }
}

/// One digest the caller is asked to compute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestRequest {
    /// SHA-256, SHA-384 or SHA-512 (WebCrypto's "SHA-256", ...: [`HashAlg::name`]).
    pub algorithm: HashAlg,
    /// Which bytes.
    pub source: ContentSource,
    /// The bytes for [`ContentSource::Canonical`] and [`ContentSource::EContent`]; `None`
    /// for [`ContentSource::Message`] (hash the caller's own buffer, that range).
    pub bytes: Option<Vec<u8>>,
}

/// The caller's answer to a [`DigestRequest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestAnswer {
    /// The request's algorithm.
    pub algorithm: HashAlg,
    /// The request's source, unchanged.
    pub source: ContentSource,
    /// The digest.
    pub digest: Vec<u8>,
}

/// The request key for hashing content `source` with `alg`: SHA-2 only (what WebCrypto
/// offers). The size threshold applies when requests are made ([`digest_requests`]); an
/// answer that matches a key exactly is used whatever the size.
pub(crate) fn request_for(
    alg: HashAlg,
    source: &ContentSource,
) -> Option<(HashAlg, ContentSource)> {
    let offloadable = matches!(alg, HashAlg::Sha256 | HashAlg::Sha384 | HashAlg::Sha512);
    offloadable.then(|| (alg, source.clone()))
}

fn output_len(alg: HashAlg) -> usize {
    match alg {
        HashAlg::Sha1 => 20,
        HashAlg::Sha224 => 28,
        HashAlg::Sha256 => 32,
        HashAlg::Sha384 => 48,
        HashAlg::Sha512 => 64,
    }
}

/// The supplied digest for exactly this request, if any.
pub(crate) fn answer_for<'a>(
    key: &(HashAlg, ContentSource),
    supplied: &'a [DigestAnswer],
) -> Option<&'a [u8]> {
    supplied
        .iter()
        .find(|a| a.algorithm == key.0 && a.source == key.1 && a.digest.len() == output_len(key.0))
        .map(|a| a.digest.as_slice())
}

/// The digests worth computing outside for `raw`: contents of at least `min_bytes` (the
/// extension passes [`OFFLOAD_MIN_BYTES`]); none for unsigned messages, or when the structure
/// is wrong (the verdict will say why). Mirrors the first half of `verify::check_entity`: the
/// outermost signed entity, its content, its signers' digest algorithms (signers with signed
/// attributes only: without them the signature is over the content itself and is checked in
/// Rust).
pub fn digest_requests(raw: &[u8], opts: &VerifyOptions, min_bytes: usize) -> Vec<DigestRequest> {
    let Ok(msg) = Message::parse(raw, &opts.limits.mime) else {
        return Vec::new();
    };
    let signed = msg.signed_entities();
    let Some(&idx) = signed.iter().min_by_key(|&&i| msg.parts[i].depth) else {
        return Vec::new();
    };
    let part = &msg.parts[idx];
    let (cms_bytes, content_range) = match part.signed {
        SignedKind::Detached => {
            let [content, sig] = part.children[..] else {
                return Vec::new();
            };
            (msg.decoded_body(sig), msg.parts[content].range.clone())
        }
        _ => (msg.decoded_body(idx), part.body.clone()),
    };
    let Ok(sd) = cms::parse_signed_data(&cms_bytes, &opts.limits.cms) else {
        return Vec::new();
    };
    let source = match (part.signed, &sd.econtent) {
        (SignedKind::Detached, None) => {
            ContentSource::detached(msg.bytes(&content_range), content_range)
        }
        (SignedKind::Opaque, Some(e)) => ContentSource::EContent { len: e.len() },
        _ => return Vec::new(),
    };
    let mut out: Vec<DigestRequest> = Vec::new();
    for signer in sd.signers.iter().take(opts.limits.max_signature_checks) {
        if signer.signed_attrs_der.is_none() {
            continue;
        }
        let Ok(alg) = HashAlg::from_oid(&signer.info.digest_alg.oid) else {
            continue;
        };
        if source.len() < min_bytes {
            continue;
        }
        let Some((alg, source)) = request_for(alg, &source) else {
            continue;
        };
        if out.iter().any(|r| r.algorithm == alg) {
            continue;
        }
        let bytes = match &source {
            ContentSource::Message(_) => None,
            ContentSource::Canonical(r) => Some(super::mime::canonical(&raw[r.clone()])),
            ContentSource::EContent { .. } => sd.econtent.as_ref().map(|e| e.to_vec()),
        };
        out.push(DigestRequest {
            algorithm: alg,
            source,
            bytes,
        });
    }
    out
}

/// [`super::verify_message`] with the caller's answers to [`digest_requests`].
pub fn verify_message_with_digests(
    raw: &[u8],
    opts: &VerifyOptions,
    answers: &[DigestAnswer],
) -> Verdict {
    super::verify::verify_message_inner(raw, opts, answers)
}
