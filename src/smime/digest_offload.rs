//! The content digest of a large signed message computed by the caller, so that the browser's
//! WebCrypto (`crypto.subtle.digest`, native SHA-2) does the one big hash instead of the wasm
//! (RFC 5652 §5.4: the message-digest attribute is the digest of the content; RFC 8551
//! §3.1.1: of its canonical CRLF form). The requests and answers of [`super::offload`]: a
//! request names either a range of the caller's own message buffer, or carries bytes the core
//! produced; an answer is used only if algorithm, source and digest length match the request
//! exactly, and a wrong digest is "altered content", never green.

use std::ops::Range;
use std::rc::Rc;

use super::algs::HashAlg;

/// Smallest content whose digest is offered to the caller. The digest is asked in the same
/// round as the signatures (RSA and ECDSA go to WebCrypto anyway), so the cost of asking is one
/// more WebCrypto call, not a round trip; the wasm hashes SHA-256 at about 250 MB/s in Chromium
/// (64 KiB in a quarter of a millisecond). Measured with `tools/bench` (2026-11-29): at 1 MiB
/// the 100 KB RSA and P-256 cells took 0.9-1.0 ms in Chromium, at 64 KiB 0.7-0.8 ms;
/// SHA-384 and SHA-512 contents (P-384, Ed25519) took the same either way.
pub const OFFLOAD_MIN_BYTES: usize = 64 * 1024;

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
        if super::mime::is_canonical(bytes) {
            Self::Message(range)
        } else {
            Self::Canonical(range)
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
    pub bytes: Option<Offered>,
}

/// The bytes a [`DigestRequest`] carries for the caller to hash, which the job keeps until
/// the answer (the bindings hand them over as a view of the core's memory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Offered {
    /// Made for this request: a canonical (CRLF) form, or an eContent put together from BER
    /// chunks.
    Owned(Vec<u8>),
    /// A range of a buffer the job keeps anyway: the decoded body an opaque message's eContent
    /// lies in. No copy (25 MB of eContent cost 3-4 ms to copy in Chromium).
    Shared(Rc<Vec<u8>>, Range<usize>),
}

impl Offered {
    /// `part` as a range of `whole` when it lies within it, otherwise a copy of it.
    pub(crate) fn within(whole: &Rc<Vec<u8>>, part: &[u8]) -> Self {
        // Addresses compared as numbers: where `part` starts in `whole`, if it does.
        let at = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize);
        match at {
            Some(at) if at <= whole.len() && part.len() <= whole.len() - at => {
                Self::Shared(whole.clone(), at..at + part.len())
            }
            _ => Self::Owned(part.to_vec()),
        }
    }

    /// The bytes.
    pub fn as_slice(&self) -> &[u8] {
        match self {
            Self::Owned(b) => b,
            Self::Shared(whole, range) => &whole[range.clone()],
        }
    }
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
/// offers). The size threshold applies when requests are made (`offload`); an answer that matches a key exactly is used whatever the size.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn within_names_a_slice_of_the_buffer_and_copies_anything_else() {
        let whole = Rc::new((0u8..100).collect::<Vec<u8>>());
        assert_eq!(
            Offered::within(&whole, &whole[10..40]),
            Offered::Shared(whole.clone(), 10..40)
        );
        assert_eq!(
            Offered::within(&whole, &whole[..]),
            Offered::Shared(whole.clone(), 0..100)
        );
        assert_eq!(
            Offered::within(&whole, &whole[100..]).as_slice(),
            &[] as &[u8]
        );
        // The same bytes elsewhere (another buffer, before or after it) are copied.
        let other = whole[10..40].to_vec();
        let copied = Offered::within(&whole, &other);
        assert_eq!(copied, Offered::Owned(other.clone()));
        assert_eq!(copied.as_slice(), &whole[10..40]);
        let before = vec![7u8; 5];
        assert!(matches!(
            Offered::within(&whole, &before),
            Offered::Owned(_)
        ));
    }
}
