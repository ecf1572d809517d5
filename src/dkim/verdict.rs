//! What a reader may believe about the domain that sent a message: one verdict, with the
//! three statuses of S/MIME ([`Status`]) so that the extension and `impalemail verify` treat
//! both alike (exit codes 0, 1, 2).
//!
//! A DKIM verdict is about a domain, never a person: green says "sent through example.com's
//! mail servers; the text is unchanged", nothing about who at example.com wrote it.

use serde::{Deserialize, Serialize};

use super::dmarc::{DmarcPolicy, DmarcRecord};
pub use crate::smime::Status;

/// Why a message, or one of its signatures, is not green. Tagged as `{"kind": "...", ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum DkimReason {
    /// No `DKIM-Signature` field.
    Unsigned,
    /// No `From` address to align with.
    NoFrom,
    /// Several `From` fields, or several addresses in one (RFC 6376 §5.4: a signature over one
    /// of them says nothing about the one a webmail shows; RFC 7489 §6.6.1).
    SeveralFrom {
        /// How many addresses.
        count: usize,
    },
    /// `h=` does not name `From` (RFC 6376 §5.4: it MUST be signed).
    FromNotSigned,
    /// The body hash does not match (§3.7): the text changed after signing.
    BodyChanged,
    /// The signature does not verify over the signed header fields (§3.7): a signed header
    /// changed, or the signature is not the domain's.
    HeaderChanged,
    /// `l=` signs less than the body (§8.2): text was added after the signed part.
    TextAdded {
        /// Bytes of the canonical body that are signed.
        signed: u64,
        /// Bytes of the canonical body.
        total: u64,
    },
    /// No key record at the name (§6.1.2: NXDOMAIN or no TXT).
    KeyNotFound {
        /// The name looked up.
        name: String,
    },
    /// The key could not be looked up (a DNS failure, or not looked up at all).
    DnsFailed {
        /// The name.
        name: String,
    },
    /// The key record's `p=` is empty: the domain withdrew the key (§3.6.1).
    KeyRevoked,
    /// The key record says `t=y`: the domain is only testing DKIM (§3.6.1).
    TestingKey,
    /// `x=` lies before the verification time (§3.5).
    Expired {
        /// The expiry time, RFC 3339 UTC.
        at: String,
    },
    /// SHA-1 or an RSA key under [`super::MIN_RSA_BITS`] (RFC 8301).
    Weak {
        /// What, e.g. "it uses SHA-1".
        what: String,
    },
    /// The signature verifies but is by a domain that is not the `From` domain's
    /// (RFC 7489 §3.1.1 alignment).
    NotAligned {
        /// The signing domain (`d=`).
        signer: String,
        /// The `From` domain.
        from: String,
    },
    /// The signature or key record is broken; `what` says how.
    Malformed {
        /// What is wrong, in plain words.
        what: String,
    },
    /// Something valid that is not checked; `what` names it.
    Unsupported {
        /// What.
        what: String,
    },
}

impl DkimReason {
    /// One line a reader understands.
    pub fn summary(&self) -> String {
        match self {
            DkimReason::Unsigned => "The message has no domain signature (DKIM).".into(),
            DkimReason::NoFrom => "The message has no sender address (From).".into(),
            DkimReason::SeveralFrom { count } => {
                format!("The message names {count} senders instead of one.")
            }
            DkimReason::FromNotSigned => {
                "The domain signature does not cover the sender's address.".into()
            }
            DkimReason::BodyChanged => {
                "The text was changed after the sender's domain signed it.".into()
            }
            DkimReason::HeaderChanged => {
                "The domain signature does not match the message's sender, subject or date.".into()
            }
            DkimReason::TextAdded { .. } => "Text was added after the signed part.".into(),
            DkimReason::KeyNotFound { .. } => {
                "The signing domain does not publish the key of this signature.".into()
            }
            DkimReason::DnsFailed { .. } => {
                "The signing domain's key could not be looked up.".into()
            }
            DkimReason::KeyRevoked => "The signing domain has withdrawn this key.".into(),
            DkimReason::TestingKey => "The signing domain marks this key as a test key.".into(),
            DkimReason::Expired { at } => format!("The domain signature expired on {at}."),
            DkimReason::Weak { what } => {
                format!("The domain signature uses weak cryptography ({what}).")
            }
            DkimReason::NotAligned { signer, from } => {
                format!("The message was signed by {signer}, not by the sender's domain {from}.")
            }
            DkimReason::Malformed { what } => {
                format!("The domain signature is malformed ({what}).")
            }
            DkimReason::Unsupported { what } => {
                format!("The domain signature cannot be checked: {what} is not supported.")
            }
        }
    }

    /// What it means for the reader.
    pub fn explanation(&self) -> String {
        match self {
            DkimReason::Unsigned | DkimReason::NoFrom => {
                "Nothing vouches for which mail servers sent this message.".into()
            }
            DkimReason::SeveralFrom { .. } => {
                "Your mail program may show a different sender from the one that was checked. Treat the sender as unknown.".into()
            }
            DkimReason::BodyChanged | DkimReason::HeaderChanged => {
                "The message may have been altered on the way, or a mailing list changed it. Do not trust it for more than an unsigned message.".into()
            }
            DkimReason::TextAdded { .. } => {
                "Anyone could have added the text after the signed part. Only the beginning of the message is vouched for.".into()
            }
            DkimReason::NotAligned { .. } => {
                "A service sent it for someone, or the sender shown is fake. The signature says nothing about the sender's domain.".into()
            }
            DkimReason::FromNotSigned => {
                "The sender shown could have been changed after signing.".into()
            }
            _ => "Treat the message as if it had no domain signature.".into(),
        }
    }
}

/// One signature's outcome, for the details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureResult {
    /// `d=` (empty when the signature could not be read).
    pub domain: String,
    /// `s=`.
    pub selector: String,
    /// `a=`, e.g. "rsa-sha256", with the key size when known ("rsa-sha256, 2048 bits").
    pub algorithm: String,
    /// Whether `d=` is aligned with the `From` domain (RFC 7489 §3.1.1).
    pub aligned: bool,
    /// `None`: it verifies and covers the whole message.
    pub outcome: Option<DkimReason>,
}

/// The verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DkimVerdict {
    /// The status.
    pub status: Status,
    /// Why not green (`None` when verified).
    pub reason: Option<DkimReason>,
    /// One line for the reader.
    pub summary: String,
    /// What it means.
    pub explanation: String,
    /// The `From` address's domain.
    pub from_domain: Option<String>,
    /// The domain whose signature verified, aligned with `From` (set when verified).
    pub signing_domain: Option<String>,
    /// The `From` domain's DMARC record (RFC 7489 §6.6.3), when one was found.
    pub dmarc: Option<DmarcRecord>,
    /// The policy that applies to this `From` domain (`p=`, or `sp=` for a subdomain).
    pub dmarc_policy: Option<DmarcPolicy>,
    /// Each signature looked at.
    pub signatures: Vec<SignatureResult>,
    /// The verification time (unix seconds).
    pub checked_at: i64,
}

impl DkimVerdict {
    /// A verdict from its parts; the summary and explanation follow from them.
    pub(crate) fn new(status: Status, reason: Option<DkimReason>, checked_at: i64) -> Self {
        let (summary, explanation) = match &reason {
            Some(r) => (r.summary(), r.explanation()),
            None => (String::new(), String::new()),
        };
        DkimVerdict {
            status,
            reason,
            summary,
            explanation,
            from_domain: None,
            signing_domain: None,
            dmarc: None,
            dmarc_policy: None,
            signatures: Vec::new(),
            checked_at,
        }
    }

    /// Sets the green summary once the signing domain is known.
    pub(crate) fn verified(mut self, domain: &str) -> Self {
        self.summary = format!("Sent through {domain}'s mail servers; the text is unchanged.");
        self.explanation = format!(
            "{domain} vouches that its servers sent this message. That says nothing about which person wrote it."
        );
        self.signing_domain = Some(domain.to_string());
        self
    }

    /// Marks a failure that the `From` domain's DMARC policy asks receivers to act on: red.
    pub(crate) fn against_policy(mut self, domain: &str, policy: DmarcPolicy) -> Self {
        self.status = Status::Invalid;
        let asks = match policy {
            DmarcPolicy::Reject => "rejected",
            _ => "treated as suspicious",
        };
        self.explanation = format!(
            "{domain} signs all its mail and asks that mail failing this check be {asks}. This message may be forged."
        );
        self
    }
}
