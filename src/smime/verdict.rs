//! The one verdict a reader sees: what they may believe about a message's signature.
//!
//! Serialised with serde in `snake_case`, identically for `impalemail verify --json` and the
//! extension. Three statuses (see [`Status`]); when not green, one [`Reason`] -- the most
//! specific one -- with a plain-words summary and what it means for the reader.

use serde::{Deserialize, Serialize};

use super::address::Mailbox;

/// The overall status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Green: the whole displayed message is signed, unaltered, by a trusted certificate
    /// that was valid at the check time, with strong algorithms, and the signer is the `From`
    /// address. CLI exit status 0.
    Verified,
    /// Proven bad: the content or signature was altered, or the certificate is expired,
    /// revoked, not yet valid, misused, or its chain is invalid; or the CMS structure is
    /// malformed or deceptive. CLI exit status 1.
    Invalid,
    /// Neither: unsigned, partly signed, signed by someone other than `From`, untrusted
    /// root, weak or unsupported algorithm, several signers, a limit hit. CLI exit status 2.
    NotVerified,
}

/// Why a message is not green. Tagged as `{"kind": "...", ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reason {
    /// The content's digest differs from the signed message-digest attribute.
    AlteredContent,
    /// The signature value does not verify with the signer's key.
    BadSignature,
    /// A certificate in the chain had expired at the check time (RFC 5280 §6.1.3 (a)(2)).
    Expired,
    /// A certificate in the chain was not yet valid at the check time.
    NotYetValid,
    /// A certificate in the chain is revoked by a CRL (RFC 5280 §6.3).
    Revoked,
    /// The chain does not end at a trusted root (unknown issuer or self-signed untrusted).
    UntrustedRoot,
    /// Key usage or extended key usage does not allow e-mail signing (RFC 8550 §4.4).
    WrongKeyUsage,
    /// Another RFC 5280 path validation failure (name constraints, policies, basic
    /// constraints, bad certificate signature, ...); `what` names it.
    InvalidCertificate {
        /// What failed.
        what: String,
    },
    /// The signature verified but uses an algorithm or key considered weak.
    WeakAlgorithm {
        /// Which, e.g. "uses SHA-1".
        what: String,
    },
    /// The certificate belongs to a different address than the `From` mailbox, or the
    /// `From` header is ambiguous (several headers, several addresses, none).
    SignerMismatch,
    /// Only part of the displayed message is signed.
    PartiallySigned {
        /// The IMAP part number of the signed content, e.g. "2.1".
        part: String,
    },
    /// No S/MIME signature anywhere.
    Unsigned,
    /// Something we do not implement; `what` names it (algorithm, CMS type, ...).
    Unsupported {
        /// What is unsupported.
        what: String,
    },
    /// The S/MIME structure is malformed or deceptive; `what` says how.
    Malformed {
        /// What is wrong.
        what: String,
    },
    /// More than one signer: per-signer results are in `details.signers`.
    MultipleSigners,
    /// The signer's certificate is neither in the message nor among the caller's
    /// certificates, so the signature cannot be checked.
    MissingCertificate,
    /// A safety limit was hit; `which` names it.
    LimitExceeded {
        /// Which limit.
        which: String,
    },
    /// Revocation checking was required (`VerifyOptions::require_revocation`, or online
    /// revocation in hard-fail mode) and the revocation status of a certificate in the chain
    /// could not be established: no CRL from its issuer was at hand (RFC 5280 §6.3.3) and no
    /// usable OCSP answer (RFC 6960). Nothing proves the certificate bad, so this is "not
    /// verified", not "invalid".
    RevocationUnknown,
    /// The signature is valid but covers only encrypted content: `signed-data` whose content
    /// is `enveloped-data` (RFC 5652 §6; RFC 8551 §3.7 lets signing and encrypting nest in any
    /// order). The readable message, once decrypted, is covered by no signature that binds it
    /// to the sender: the signer may have signed ciphertext they never read, and anyone can
    /// encrypt to the reader. Thunderbird ignores such outer signatures for this reason.
    SignedEncryptedContent,
    /// The message's signatures are nested (a signed message signed again, RFC 8551 §3.7)
    /// and the innermost signature -- the one over the content the reader sees -- is not by
    /// the `From` address: someone else wrote what is shown, whoever signed around it.
    InnerSignerNotSender {
        /// The inner signer's address (or name when the certificate has no address).
        signer: String,
    },
    /// The check itself failed: the verifier stopped on an internal error (in the extension, a
    /// panic in the wasm, after which the module was restarted). Never produced by
    /// [`crate::smime::verify_message`]; the caller reports it with [`Verdict::internal_error`].
    InternalError,
}

impl Reason {
    /// The status this reason implies.
    pub fn status(&self) -> Status {
        match self {
            Reason::AlteredContent
            | Reason::BadSignature
            | Reason::Expired
            | Reason::NotYetValid
            | Reason::Revoked
            | Reason::WrongKeyUsage
            | Reason::InvalidCertificate { .. }
            | Reason::Malformed { .. } => Status::Invalid,
            Reason::UntrustedRoot
            | Reason::WeakAlgorithm { .. }
            | Reason::SignerMismatch
            | Reason::PartiallySigned { .. }
            | Reason::Unsigned
            | Reason::Unsupported { .. }
            | Reason::MultipleSigners
            | Reason::MissingCertificate
            | Reason::LimitExceeded { .. }
            | Reason::RevocationUnknown
            | Reason::SignedEncryptedContent
            | Reason::InnerSignerNotSender { .. }
            | Reason::InternalError => Status::NotVerified,
        }
    }

    /// One line a reader understands.
    pub fn summary(&self) -> String {
        match self {
            Reason::AlteredContent => "The message was changed after it was signed.".into(),
            Reason::BadSignature => "The signature is not valid.".into(),
            Reason::Expired => "The signer's certificate has expired.".into(),
            Reason::NotYetValid => "The signer's certificate is not valid yet.".into(),
            Reason::Revoked => "The signer's certificate has been revoked.".into(),
            Reason::UntrustedRoot => {
                "The signer's certificate is not issued by an authority you trust.".into()
            }
            Reason::WrongKeyUsage => {
                "The signer's certificate is not meant for signing e-mail.".into()
            }
            Reason::InvalidCertificate { what } => {
                format!("The signer's certificate chain is not valid ({what}).")
            }
            Reason::WeakAlgorithm { what } => {
                format!("The signature uses weak cryptography ({what}).")
            }
            Reason::SignerMismatch => {
                "The message was signed by someone other than the sender shown.".into()
            }
            Reason::PartiallySigned { part } => {
                format!("Only part of the message is signed (part {part}).")
            }
            Reason::Unsigned => "The message is not signed.".into(),
            Reason::Unsupported { what } => {
                format!("The signature cannot be checked: {what} is not supported.")
            }
            Reason::Malformed { what } => format!("The signature is malformed ({what})."),
            Reason::MultipleSigners => "The message carries several signatures.".into(),
            Reason::MissingCertificate => {
                "The signer's certificate is missing, so the signature cannot be checked.".into()
            }
            Reason::LimitExceeded { which } => {
                format!("The message is too large or complex to check ({which}).")
            }
            Reason::RevocationUnknown => {
                "It could not be checked whether a certificate of the signer has been revoked."
                    .into()
            }
            Reason::SignedEncryptedContent => {
                "The signature covers only encrypted content, not the readable message.".into()
            }
            Reason::InnerSignerNotSender { signer } => {
                format!("The message inside was signed by {signer}, not by the sender shown.")
            }
            Reason::InternalError => "ImpaleMail could not finish checking this message.".into(),
        }
    }

    /// What it means for the reader.
    pub fn explanation(&self) -> String {
        match self {
            Reason::AlteredContent | Reason::BadSignature => {
                "Someone may have tampered with this message on the way. Do not trust its content or act on it.".into()
            }
            Reason::Expired | Reason::NotYetValid => {
                "The certificate was not valid at the time of the check, so the signature cannot vouch for the sender.".into()
            }
            Reason::Revoked => {
                "The certificate authority withdrew this certificate, for example because its key was stolen. Treat the message as unsigned and suspicious.".into()
            }
            Reason::UntrustedRoot => {
                "Anyone can make such a certificate. The signature proves nothing about who sent the message unless you trust this authority.".into()
            }
            Reason::WrongKeyUsage | Reason::InvalidCertificate { .. } => {
                "The certificate does not entitle its holder to sign this e-mail. Treat the message as unsigned and suspicious.".into()
            }
            Reason::WeakAlgorithm { .. } => {
                "The cryptography used can be forged with enough effort. The signature is not strong evidence of who sent the message.".into()
            }
            Reason::SignerMismatch => {
                "The signature belongs to a different e-mail address than the one in the From line. The sender shown may be fake.".into()
            }
            Reason::PartiallySigned { .. } => {
                "Text outside the signed part could have been added by anyone. Only the signed part is vouched for.".into()
            }
            Reason::Unsigned => "Nothing vouches for who sent this message or that it is unchanged.".into(),
            Reason::Unsupported { .. }
            | Reason::LimitExceeded { .. }
            | Reason::MissingCertificate
            | Reason::InternalError => {
                "ImpaleMail could not check this signature. Treat the message as unsigned.".into()
            }
            Reason::Malformed { .. } => {
                "The signature's structure is broken or crafted to mislead. Treat the message as unsigned and suspicious.".into()
            }
            Reason::RevocationUnknown => {
                "Revocation checking is required, and neither a revocation list (CRL) nor an answer from the certificate authority was available for a certificate in the chain. The certificate may have been withdrawn; treat the message as unsigned until its status can be checked.".into()
            }
            Reason::InnerSignerNotSender { .. } => {
                "The message is signed twice. The outer signature only wraps a message that someone else signed and wrote. The sender shown may be fake.".into()
            }
            Reason::SignedEncryptedContent => {
                "The signer signed the message in its encrypted form. Nothing vouches that the decrypted text is what they signed or wrote: anyone can encrypt a message to you. Treat its content as unsigned.".into()
            }
            Reason::MultipleSigners => {
                "Several people signed this message; the details list each signature. It is not shown as verified.".into()
            }
        }
    }
}

/// A warning about the message, shown even when green.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Warning {
    /// The `From` display name contains an address that is not the `From` address (I2).
    DisplayNameLooksLikeAddress {
        /// The display name.
        name: String,
        /// The actual address.
        address: String,
    },
    /// `Sender` is present and differs from `From` (I3).
    SenderDiffersFromFrom {
        /// The Sender address.
        sender: String,
        /// The From address.
        from: String,
    },
    /// Several `From` header fields (RFC 5322 §3.6 allows one).
    MultipleFromHeaders {
        /// How many.
        count: usize,
    },
    /// Several addresses in `From`.
    MultipleFromAddresses {
        /// How many.
        count: usize,
    },
    /// No usable `From` address.
    NoFromAddress,
    /// The check skipped the sender binding (conformance testing only).
    SenderCheckSkipped,
    /// The signing-time attribute lies outside the signer certificate's validity.
    SigningTimeOutsideValidity,
    /// Other signed entities in the message that were not the one judged.
    OtherSignedParts {
        /// Their part numbers.
        parts: Vec<String>,
    },
    /// A certificate of the chain breaks an RFC 5280 profile rule that proves nothing
    /// against it (`path::ProfileRule`; in strict mode the chain is invalid instead).
    CertificateProfile {
        /// Subject of the certificate.
        subject: String,
        /// The rule, in plain words ("it has no authority key identifier").
        rule: String,
    },
    /// The `From` display name (RFC 5322 §3.4) is not a name the signer's certificate carries
    /// ([`super::display_name::fits`]): the signature vouches for the address, not for the
    /// name a webmail shows first.
    ///
    /// A verdict with this warning stays green, with the warning shown in the badge itself
    /// (not only in the details), naming the address. Why not amber: the signature, the chain
    /// and the address binding all hold (RFC 8550 §3 binds the address, never the name), and
    /// names legitimately differ from certificates (nicknames, a certificate that names no
    /// person). "Johnny, you are fired" (Müller et al., USENIX Security 2019) found the
    /// display-name attack works because clients show the name and a green mark *without*
    /// the address; the remedy is to put the address and the mismatch in front of the reader
    /// on the badge. Amber on every nickname would teach readers to ignore amber.
    DisplayNameNotSigner {
        /// The display name shown.
        name: String,
        /// The address the signature vouches for.
        address: String,
        /// The certificate's name (its subject's commonName), empty when it names no person.
        certificate_name: String,
    },
    /// The `Date:` header (RFC 5322 §3.6.1) and the signed signing time (RFC 5652 §11.3)
    /// differ by more than [`super::date::MAX_DATE_SKEW_SECS`]: the message may be an old
    /// signed one sent again under a new date. Shown in the badge like
    /// [`Warning::DisplayNameNotSigner`].
    DateFarFromSigningTime {
        /// The `Date:` header's time, RFC 3339 UTC.
        date: String,
        /// The signing time, RFC 3339 UTC.
        signing_time: String,
    },
    /// Signatures are nested and an outer one, around the message the `From` address signed,
    /// is by someone else (a company gateway that signs outgoing mail, or anyone who wrapped
    /// the message). Their signature is valid and vouches for nothing the reader sees beyond
    /// the inner one; shown in the badge like [`Warning::DisplayNameNotSigner`].
    OuterSignerNotSender {
        /// The outer signer's address (or name when the certificate has no address).
        signer: String,
    },
    /// A `Reply-To` address (RFC 5322 §3.6.2) is none of the signer's: a reply goes to
    /// someone the signature does not vouch for. Shown in the badge like
    /// [`Warning::DisplayNameNotSigner`], on a verdict that otherwise stays what it is.
    ReplyToElsewhere {
        /// The `Reply-To` address.
        reply_to: String,
        /// The signer's address (the `From` address).
        signer: String,
    },
    /// Online revocation checking is on with soft-fail and the revocation status of a
    /// certificate of the chain could not be established (its responder could not be reached,
    /// or gave no usable answer): the verdict is what it would be without the check.
    RevocationNotChecked {
        /// The certificate's subject.
        subject: String,
        /// Why, in plain words.
        why: String,
    },
}

/// One certificate as shown to the reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertSummary {
    /// Subject DN (RFC 4514 string).
    pub subject: String,
    /// Issuer DN.
    pub issuer: String,
    /// SHA-256 of the DER certificate, lowercase hex.
    pub sha256: String,
    /// Start of validity, RFC 3339 (unknown for a bare trust anchor).
    pub not_before: Option<String>,
    /// End of validity, RFC 3339.
    pub not_after: Option<String>,
}

/// The signer as shown to the reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignerDetails {
    /// The certificate subject's common name, or the whole DN.
    pub name: String,
    /// E-mail addresses of the certificate (rfc822Name SANs and subject emailAddress).
    pub addresses: Vec<String>,
    /// The signer certificate.
    pub certificate: CertSummary,
    /// The signer certificate itself, DER in base64 (RFC 4648 §4), so that the reader can
    /// keep it to encrypt a reply (RFC 8551 §2.5.3: the sender's certificate is what a reply
    /// is encrypted to). Empty when the signer's certificate was not found.
    #[serde(default)]
    pub certificate_der: String,
    /// Signing time from the signed attributes, RFC 3339 (informational only: the check
    /// time is the caller's `now`, as in Thunderbird).
    pub signing_time: Option<String>,
    /// Algorithms, e.g. "RSA-2048 PKCS#1 v1.5 with SHA-256".
    pub algorithms: String,
    /// This signer's own outcome (`None` = verified), used when there are several signers.
    pub outcome: Option<Reason>,
    /// With no path to a trusted root: the caIssuers URLs (RFC 5280 §4.2.2.1) of the
    /// certificates whose issuer was not found, for the caller to fetch and check again with
    /// (`super::aia`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ca_issuers: Vec<String>,
    /// The certificate's personal and organisation names (commonName, givenName, surname,
    /// pseudonym, organisation, organisational unit) the display-name check compares with;
    /// not sent (the subject in `certificate` has them).
    #[serde(skip)]
    pub names: Derived<Vec<String>>,
    /// The signing time in unix seconds (`signing_time` as a number); not sent.
    #[serde(skip)]
    pub signing_unix: Derived<Option<i64>>,
}

/// A value worked out from fields that are sent (the certificate, the signing time), kept for
/// the checks that follow but never serialised. It compares equal whatever it holds: it is
/// determined by the sent fields, so a verdict read back from its JSON equals the one sent.
#[derive(Debug, Clone, Default)]
pub struct Derived<T>(pub T);

impl<T> PartialEq for Derived<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<T> Eq for Derived<T> {}

impl SignerDetails {
    /// Who signed, in one word: the certificate's first address, else its name.
    pub fn who(&self) -> String {
        self.addresses
            .first()
            .cloned()
            .unwrap_or_else(|| self.name.clone())
    }
}

/// Which bytes the signature covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoveredPart {
    /// IMAP part number of the signed content ("1" for a signed top-level message).
    pub part: String,
    /// Byte range `[start, end)` of the signed content in the raw message.
    pub byte_range: [usize; 2],
    /// Its content type.
    pub content_type: String,
    /// `detached` (multipart/signed) or `opaque` (pkcs7-mime signed-data).
    pub signature_kind: String,
}

/// Everything known about the check.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Details {
    /// The check time, unix seconds, and RFC 3339.
    pub checked_at: String,
    /// The signer (first signer when several).
    pub signer: Option<SignerDetails>,
    /// Every signer, when more than one.
    pub signers: Vec<SignerDetails>,
    /// The validated chain from the signer to the anchor, or the message's certificates
    /// when the chain did not validate.
    pub chain: Vec<CertSummary>,
    /// The signed content.
    pub covered: Option<CoveredPart>,
    /// Whether the whole displayed message is covered by the signature.
    pub whole_message_covered: bool,
    /// `From` mailboxes as parsed.
    pub from: Vec<Mailbox>,
    /// `Sender` mailbox as parsed.
    pub sender: Option<Mailbox>,
    /// Where the message was addressed: `To`, `Cc`, `Delivered-To` and `X-Original-To` of the
    /// top-level header (RFC 5322 §3.6.3; the last two are set by the receiving system),
    /// de-duplicated, at most [`MAX_RECIPIENTS`]. Not covered by any check: the extension uses
    /// them to tell which of the user's aliases received the message.
    #[serde(default)]
    pub recipients: Vec<Mailbox>,
    /// Warnings.
    pub warnings: Vec<Warning>,
    /// Every signature layer, outermost first, when the signatures are nested (a signed
    /// message signed again, RFC 8551 §3.7); empty for one signature. `signer` and `chain`
    /// are the innermost layer's: the signer of what the reader sees.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layers: Vec<Layer>,
    /// Whether revocation was checked (by a CRL, or an OCSP answer) for every certificate in
    /// the chain.
    pub revocation_checked: bool,
    /// Each certificate of the validated chain (end entity first, not the trust anchor): its
    /// revocation status and where it could be asked online. Empty when the chain did not
    /// validate, except for a revoked certificate, which is listed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revocation: Vec<Revocation>,
}

/// One certificate's revocation status, and what the caller may fetch to establish it (the
/// core is sans-IO: it names the requests, the caller brings the answers back in
/// [`super::VerifyOptions::online`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    /// Subject DN.
    pub subject: String,
    /// Serial number, hex.
    pub serial: String,
    /// What is known.
    pub status: RevocationStatus,
    /// The OCSP responder to ask (the certificate's authorityInfoAccess id-ad-ocsp, RFC 5280
    /// §4.2.2.1), when the status is not established and it names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocsp_url: Option<String>,
    /// The DER OCSP request to POST there (RFC 6960 §4.1; `super::ocsp::build_request`),
    /// base64; with `ocsp_url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocsp_request: Option<String>,
    /// The certificate's CRL distribution points (http URIs of fullName, RFC 5280 §4.2.1.13),
    /// when the status is not established.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crl_urls: Vec<String>,
}

/// A certificate's revocation status. Tagged as `{"kind": "...", ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RevocationStatus {
    /// Not revoked, by a CRL or an OCSP answer (`source`: "crl" or "ocsp").
    Good {
        /// Where from.
        source: String,
        /// Until when the OCSP answer may be kept (its nextUpdate, RFC 3339), if it says.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<String>,
    },
    /// Revoked.
    Revoked {
        /// Where from ("crl" or "ocsp").
        source: String,
        /// The reason (RFC 5280 §5.3.1 name), when given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// When, RFC 3339.
        time: String,
    },
    /// The OCSP responder does not know the certificate (RFC 6960 §4.2.1 `unknown`).
    Unknown,
    /// Not established: no CRL at hand and no usable OCSP answer; `why` says what was tried
    /// ("not checked" when nothing was).
    NotChecked {
        /// Why, in plain words.
        why: String,
    },
}

/// One signature layer of a message whose signatures are nested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layer {
    /// `detached` (multipart/signed) or `opaque` (pkcs7-mime signed-data).
    pub signature_kind: String,
    /// The content type of what this layer signs.
    pub content_type: String,
    /// Its signer (the first when several), with the algorithms.
    pub signer: Option<SignerDetails>,
    /// This layer's own result (`None` = valid).
    pub outcome: Option<Reason>,
}

/// Most recipient addresses kept in [`Details::recipients`] (a message to a large list shows
/// the first ones).
pub const MAX_RECIPIENTS: usize = 50;

/// The verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// Overall status.
    pub status: Status,
    /// The most specific reason when not verified.
    pub reason: Option<Reason>,
    /// One line for the reader.
    pub summary: String,
    /// What it means for the reader.
    pub explanation: String,
    /// Details.
    pub details: Details,
}

impl Verdict {
    /// A green verdict.
    pub fn verified(details: Details) -> Self {
        let who = details
            .signer
            .as_ref()
            .and_then(|s| s.addresses.first().cloned())
            .unwrap_or_default();
        Verdict {
            status: Status::Verified,
            reason: None,
            summary: format!("Signed by {who}; the message is unchanged."),
            explanation: "The whole message was signed by the sender shown, with a valid certificate from an authority you trust, and nothing was changed since.".into(),
            details,
        }
    }

    /// A verdict for `reason`.
    pub fn from_reason(reason: Reason, details: Details) -> Self {
        Verdict {
            status: reason.status(),
            summary: reason.summary(),
            explanation: reason.explanation(),
            reason: Some(reason),
            details,
        }
    }

    /// The verdict when the check could not be completed ([`Reason::InternalError`]), at
    /// `now` (unix seconds).
    pub fn internal_error(now: u64) -> Self {
        Verdict::from_reason(
            Reason::InternalError,
            Details {
                checked_at: format_time(super::asn1::signed_time(now)),
                ..Details::default()
            },
        )
    }
}

/// Formats unix seconds as RFC 3339 UTC (`2025-06-01T12:00:00Z`).
pub fn format_time(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// (year, month, day) to days since 1970-01-01 (inverse of the above; the DER time reader's).
pub use super::asn1::days_from_civil;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn time_formatting() {
        assert_eq!(format_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_time(1_748_779_200), "2025-06-01T12:00:00Z");
        assert_eq!(days_from_civil(2025, 6, 1) * 86_400 + 43_200, 1_748_779_200);
        assert_eq!(format_time(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_time(-631_152_000), "1950-01-01T00:00:00Z");
        assert_eq!(format_time(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn serialises_snake_case() {
        let v = Verdict::from_reason(
            Reason::PartiallySigned { part: "2.1".into() },
            Details::default(),
        );
        let j = serde_json::to_value(&v).unwrap();
        assert_eq!(j["status"], "not_verified");
        assert_eq!(j["reason"]["kind"], "partially_signed");
        assert_eq!(j["reason"]["part"], "2.1");
        let back: Verdict = serde_json::from_value(j).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn revocation_unknown_is_not_verified() {
        let v = Verdict::from_reason(Reason::RevocationUnknown, Details::default());
        assert_eq!(v.status, Status::NotVerified);
        let j = serde_json::to_value(&v).unwrap();
        assert_eq!(j["reason"]["kind"], "revocation_unknown");
        assert!(v.summary.contains("revoked"), "{}", v.summary);
        let back: Verdict = serde_json::from_value(j).unwrap();
        assert_eq!(back, v);
    }
}
