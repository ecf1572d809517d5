//! S/MIME signature checks (RFC 8551 messages, RFC 5652 CMS, RFC 5280 paths).
//!
//! Data flow: [`mime`] finds the signed entity and the exact signed bytes; [`cms`] parses
//! the `SignedData`; [`algs`] verifies signatures and hashes; [`path`] validates the signer's
//! chain against [`trust`] anchors; [`verify`] ties them together and binds the signer to
//! `From` ([`address`]); the result is one [`Verdict`] ([`verdict`]).

pub mod address;
pub mod aia;
pub mod algs;
pub mod asn1;
pub mod cms;
pub mod crl;
pub mod date;
pub mod digest_offload;
pub mod display_name;
pub mod ed25519;
pub mod mime;
pub mod names;
pub mod ocsp;
pub mod offload;
pub mod path;
pub mod policy;
pub mod trust;
pub mod verdict;
pub mod verify;
pub mod x509;

pub use path::{AnchorSource, PathError, PolicySettings, TrustAnchor};
pub use verdict::{Reason, Status, Verdict, Warning};
pub use verify::{verify_message, verify_p7m, Limits, VerifyOptions};
