//! DKIM signatures (RFC 6376) and DMARC alignment (RFC 7489): which domain's mail servers
//! sent a message, and whether its text is unchanged since, checked from the exact raw bytes.
//!
//! Sans-IO, like [`crate::smime`]: the core names the DNS TXT records it needs
//! ([`DkimJob::dns_queries`]: `<s>._domainkey.<d>` for every signature, RFC 6376 §3.6.2.1;
//! `_dmarc.<From domain>` and `_dmarc.<organisational domain>`, RFC 7489 §6.6.3) and reads the
//! answers the caller brings ([`DnsAnswer`]). The signature maths goes through the same
//! WebCrypto offload as S/MIME ([`crate::smime::offload`]): the core asks "does this
//! RSASSA-PKCS1-v1_5 (or Ed25519, RFC 8463) signature verify with this key over these bytes?"
//! ([`DkimStep::Need`]) after judging everything else itself (tags, body hash, key record, key
//! size, expiry, and for Ed25519 the strict rules beyond the equation: the key and R are points
//! not of small order, S < L, [`crate::smime::ed25519`]), so the verdict is the same strict one
//! on every platform. Ed25519 in the wasm is thus WebCrypto's (Chromium 137+, Firefox 129+),
//! which took about 7.6 KB gzipped of curve arithmetic out of the wasm; natively it is `ed25519-dalek`.
//!
//! Data flow: [`header`] splits the message into header fields and body; [`tags`] reads the
//! tag lists of the `DKIM-Signature` field ([`signature`]), the key record ([`key`]) and the
//! DMARC record ([`dmarc`]); [`canon`] canonicalises (§3.4) and builds the hash inputs
//! (§3.7); [`verify`] ties them together, one outcome per signature, and aligns the signing
//! domain with the `From` domain (RFC 7489 §3.1.1); the result is one [`DkimVerdict`]
//! ([`verdict`]), whose three statuses are S/MIME's ([`crate::smime::Status`]).
//!
//! Crates considered, none taken:
//! - `mail-auth` (Stalwart): complete (DKIM, ARC, SPF, DMARC), well kept, but it does its
//!   own DNS through a resolver it owns (`hickory-resolver`, async, tokio) and its own RSA
//!   (`rsa` or `ring`): neither fits a sans-IO core whose RSA is the browser's, and its
//!   dependency tree would take the wasm past its 420 KB budget.
//! - `cfdkim` (Cloudflare): verification and signing, but async with a DNS resolver trait
//!   it calls itself, and the `rsa` crate with its bignum maths in the wasm.
//! - `dkim` / `viadkim`: the same shape (resolver inside, RSA inside).
//!
//! What is written here is the parts of RFC 6376 a verifier needs, about 1,200 lines, in the
//! shape of the S/MIME engine (named limits, a verdict in plain words, the time an argument).
//! The organisational domain comes from the Public Suffix List the core already embeds
//! ([`crate::site::registrable_domain`], 34 KB gzipped, shared with the alias vault): no
//! second list, no `psl` crate (whose generated matcher was 880 KB of wasm).

pub mod canon;
pub mod dmarc;
pub mod header;
pub mod key;
pub mod signature;
pub mod tags;
pub mod verdict;
pub mod verify;

pub use dmarc::{Alignment, DmarcPolicy, DmarcRecord};
pub use verdict::{DkimReason, DkimVerdict, SignatureResult};
pub use verify::{DkimJob, DkimStep, DnsAnswer, DnsQuery, DnsResult, QueryPurpose};

/// Most `DKIM-Signature` fields looked at in one message (RFC 6376 §6.1: a verifier may
/// limit how many it checks). Each costs a DNS query and a hash of the body; more are
/// ignored, and the verdict names the limit when none of the first ones passed.
pub const MAX_SIGNATURES: usize = 8;

/// Longest `DKIM-Signature` field, in bytes. A 4096-bit RSA signature with a long `h=` and
/// `z=` fits in 4 KB; a larger field is refused unread.
pub const MAX_SIGNATURE_FIELD_LEN: usize = 16 * 1024;

/// Most header field names in `h=`: over-signing doubles a list of some 20 names; more is
/// refused as a malformed signature.
pub const MAX_SIGNED_HEADERS: usize = 128;

/// Longest TXT record (key or DMARC) read, in bytes: a 4096-bit RSA key is about 750
/// characters of base64.
pub const MAX_RECORD_LEN: usize = 8 * 1024;

/// Most TXT strings read in one answer; a name with more records is judged on the first ones.
pub const MAX_RECORDS_PER_NAME: usize = 8;

/// Fewest RSA key bits accepted as strong (RFC 8301 §3.2: verifiers MUST NOT consider
/// signatures with keys under 1024 bits valid). Such a signature is "weak", never green.
pub const MIN_RSA_BITS: usize = 1024;
