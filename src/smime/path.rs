//! Certification path building and validation (RFC 5280 §6.1), sans-IO.
//!
//! [`validate`] searches for paths from the end-entity certificate to one of the trust
//! anchors through the given intermediates (matching issuer to subject names, preferring
//! authorityKeyIdentifier = subjectKeyIdentifier, trying alternatives with loop detection),
//! and runs the RFC 5280 §6.1 algorithm on each complete candidate: signatures (§6.1.3
//! (a)(1); the outer signatureAlgorithm must equal the signed one, §4.1.1.2), validity
//! (a)(2), revocation by CRLs (a)(3, see [`super::crl`]), name chaining (a)(4), name
//! constraints (b)(c), certificate policies (d)-(f) and §6.1.4 (a)-(j) (see
//! [`super::policy`]), basicConstraints and pathLenConstraint (§6.1.4 (k)-(m), self-issued
//! certificates do not count), keyUsage keyCertSign (n), unknown critical extensions (o).
//! For the signer (end entity): extendedKeyUsage emailProtection or anyExtendedKeyUsage
//! (RFC 8550 §4.4.4) and keyUsage digitalSignature or nonRepudiation (RFC 8550 §4.4.2); a
//! CA certificate may be the signer (see [`RequiredUsage::EmailSigner`]).
//!
//! Revocation: a certificate none of whose possible CRL issuers has a CRL at hand is "not
//! checked" ([`ValidPath::revocation_checked`] false), unless
//! [`PathOptions::require_revocation`] is set, which makes it [`PathError::RevocationUnknown`].
//!
//! When every candidate fails, the most specific error is reported ([`PathError::rank`]),
//! as rustls-webpki does. Work is bounded by a [`Budget`] and named limits; time is an
//! argument (unix seconds).

use const_oid::ObjectIdentifier;
use sha2::Digest;

use super::x509::{
    self, ids, key_usage, BasicConstraints, Certificate, CertificateList, GeneralName, Name,
    NameConstraints, PolicyConstraints, SubjectPublicKeyInfo,
};

use super::algs::{self, Strength, WeakReason};
use super::crl::{self, CrlSigner, CrlStatus};
use super::names::{self, NameKey, NcFailure, SubjectNames};
use super::ocsp;
use super::policy::{PolicyFailure, PolicyState};
use super::verdict::{Revocation, RevocationStatus};

/// Longest accepted path, in certificates from the end entity up to (excluding) the anchor.
/// Real S/MIME chains have 1-3; PKITS needs up to 6.
pub const MAX_CHAIN_LEN: usize = 10;
/// Most intermediates and CRLs accepted in one call (each list); more is
/// [`PathError::TooManyCerts`]. A signed mail carries a handful.
pub const MAX_CERTS: usize = 256;
/// Default number of signature verifications per [`validate`] call (as rustls-webpki).
pub const DEFAULT_SIGNATURE_CHECKS: u32 = 100;
/// Default number of path-building steps per call (each candidate issuer tried is one).
pub const DEFAULT_BUILD_CALLS: u32 = 1000;
/// Default number of name-constraint comparisons per call (as rustls-webpki).
pub const DEFAULT_NAME_CONSTRAINT_CHECKS: u32 = 250_000;
/// How deep CRL-signer certificates are themselves validated (a CRL signer's own CRL
/// signer, ...).
pub const MAX_CRL_SIGNER_DEPTH: u32 = 2;

/// id-kp-emailProtection (RFC 5280 §4.2.1.12).
pub const EKU_EMAIL_PROTECTION: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.4");
/// anyExtendedKeyUsage.
pub const EKU_ANY: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37.0");

/// Work limits for one [`validate`] call; each exhausted limit is its own error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Signature verifications (certificates and CRLs).
    pub signature_checks: u32,
    /// Path-building steps.
    pub build_calls: u32,
    /// Name-constraint comparisons: one per name of the constrained form and subtree, and
    /// for directoryName subtrees one per attribute of the name compared (the subject DN's
    /// too).
    pub name_constraint_checks: u32,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            signature_checks: DEFAULT_SIGNATURE_CHECKS,
            build_calls: DEFAULT_BUILD_CALLS,
            name_constraint_checks: DEFAULT_NAME_CONSTRAINT_CHECKS,
        }
    }
}

/// Which budget ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetKind {
    /// [`Budget::signature_checks`].
    SignatureChecks,
    /// [`Budget::build_calls`].
    BuildCalls,
    /// [`Budget::name_constraint_checks`].
    NameConstraintChecks,
}

/// Where a trust anchor comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum AnchorSource {
    /// The embedded Mozilla root store (see `trust`).
    Builtin,
    /// Imported by the user (options page or `--root`).
    User,
}

/// A trust anchor (RFC 5280 §6.1.1 (d)): what path validation needs, not a certificate.
#[derive(Debug, Clone)]
pub struct TrustAnchor {
    /// Subject distinguished name.
    pub subject: Name,
    /// The subject name, DER.
    pub subject_der: Vec<u8>,
    /// The anchor's public key.
    pub spki: SubjectPublicKeyInfo,
    /// Name constraints that apply to paths from this anchor (from the certificate).
    pub name_constraints: Option<NameConstraints>,
    /// SHA-256 of the anchor certificate (DER).
    pub fingerprint_sha256: [u8; 32],
    /// Paths whose end-entity notBefore is after this time (unix seconds) are rejected
    /// (Mozilla's `CKA_NSS_EMAIL_DISTRUST_AFTER`).
    pub distrust_after: Option<u64>,
    /// Builtin or user.
    pub source: AnchorSource,
    /// A display label (Mozilla's CKA_LABEL, or the subject CN).
    pub label: String,
    /// The anchor certificate's notAfter (unix seconds), when known. Informational for the
    /// builtin anchors (RFC 5280 §6.1.1 (d) does not check an anchor's validity); an anchor
    /// made from a certificate is held to its whole validity ([`AnchorCert`]).
    pub not_after: Option<i64>,
    /// When the anchor was made from a certificate ([`TrustAnchor::from_cert`]): what that
    /// certificate says. `None` for the builtin anchors (a name and a key from Mozilla's
    /// store, RFC 5280 §6.1.1 (d)).
    pub certificate: Option<AnchorCert>,
}

/// What an anchor made from a certificate keeps of it: the certificate still limits what its
/// key may do (RFC 5937 §2 and §3: an anchor taken from a certificate is held to that
/// certificate's constraints).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorCert {
    /// keyUsage bits ([`key_usage`]), when present: a CRL the anchor signs counts only
    /// with cRLSign (§6.3.3 (f), §4.2.1.3).
    pub key_usage: Option<u16>,
    /// notBefore and notAfter (unix seconds): outside them the anchor is refused, as
    /// Thunderbird refuses an expired root.
    pub validity: (i64, i64),
    /// Why the certificate cannot be a trust anchor, if so ([`PathError::BadAnchor`]): a
    /// malformed or unknown critical extension (§4.2, §6.1.4 (o)), basicConstraints absent,
    /// not critical or cA FALSE (§4.2.1.9: a CA MUST include it, critical, when its key
    /// verifies certificate signatures), or a keyUsage without keyCertSign (§4.2.1.3).
    pub problem: Option<String>,
}

impl AnchorCert {
    /// What `cert` says, as an anchor.
    fn new(cert: &Certificate) -> AnchorCert {
        let info = Info::new(cert);
        let bc = cert
            .extensions
            .iter()
            .find(|e| e.extn_id == ids::BASIC_CONSTRAINTS);
        let problem = if let Some(m) = info.malformed {
            Some(m)
        } else if let Some(oid) = info.unknown_critical {
            Some(format!(
                "it has a critical extension that is not understood ({oid})"
            ))
        } else if bc.is_none() {
            Some(
                "it has no basic constraints, so it does not say it is a CA (RFC 5280 §4.2.1.9)"
                    .into(),
            )
        } else if bc.is_some_and(|e| !e.critical) {
            Some("its basic constraints are not marked critical (RFC 5280 §4.2.1.9)".into())
        } else if !info.is_ca() {
            Some("it is not a CA certificate (RFC 5280 §4.2.1.9)".into())
        } else if !ku_allows(info.ku, key_usage::KEY_CERT_SIGN) {
            Some("its key usage does not allow signing certificates (RFC 5280 §4.2.1.3)".into())
        } else {
            None
        };
        AnchorCert {
            key_usage: info.ku,
            validity: (cert.not_before, cert.not_after),
            problem,
        }
    }
}

impl TrustAnchor {
    /// An anchor from a certificate (DER). Its name constraints are kept.
    pub fn from_cert_der(der: &[u8], source: AnchorSource) -> Result<TrustAnchor, PathError> {
        let cert = Certificate::from_der(der).map_err(|e| PathError::Malformed {
            detail: format!("anchor certificate: {e}"),
        })?;
        let mut fp = [0u8; 32];
        fp.copy_from_slice(&sha2::Sha256::digest(der));
        Self::from_cert(&cert, fp, source)
    }

    /// An anchor from a parsed certificate and its fingerprint.
    pub fn from_cert(
        cert: &Certificate,
        fingerprint_sha256: [u8; 32],
        source: AnchorSource,
    ) -> Result<TrustAnchor, PathError> {
        let malformed = |e: x509::DerError| PathError::Malformed {
            detail: format!("anchor certificate: {e}"),
        };
        let mut nc = None;
        for e in &cert.extensions {
            if e.extn_id == ids::NAME_CONSTRAINTS {
                nc = Some(x509::parse_name_constraints(&e.extn_value).map_err(malformed)?);
            }
        }
        Ok(TrustAnchor {
            subject: cert.subject.clone(),
            subject_der: cert.subject.der.clone(),
            spki: cert.subject_public_key_info.clone(),
            name_constraints: nc,
            fingerprint_sha256,
            distrust_after: None,
            source,
            label: common_name(&cert.subject)
                .unwrap_or_else(|| super::names::display(&cert.subject)),
            not_after: Some(cert.not_after),
            certificate: Some(AnchorCert::new(cert)),
        })
    }

    /// Whether the anchor's key may sign CRLs: keyUsage absent or with cRLSign (§6.3.3 (f)).
    fn may_sign_crls(&self) -> bool {
        ku_allows(
            self.certificate.as_ref().and_then(|c| c.key_usage),
            key_usage::CRL_SIGN,
        )
    }
}

/// Whether a keyUsage (absent: any use) allows the usage bit `bit`.
fn ku_allows(ku: Option<u16>, bit: u16) -> bool {
    ku.map_or(true, |k| k & bit != 0)
}

/// The commonName of a name, if any.
pub fn common_name(name: &Name) -> Option<String> {
    name.rdns
        .iter()
        .rev()
        .flat_map(|rdn| rdn.iter())
        .find_map(|atv| {
            (atv.oid == ids::COMMON_NAME)
                .then(|| String::from_utf8_lossy(atv.value.value()).into_owned())
        })
}

/// RFC 5280 §6.1.1 (c)-(f) inputs about certificate policies. `Default` is what S/MIME
/// clients use: any policy, nothing required or inhibited.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicySettings {
    /// user-initial-policy-set; empty means {anyPolicy}.
    pub initial_policy_set: Vec<ObjectIdentifier>,
    /// initial-explicit-policy.
    pub initial_explicit_policy: bool,
    /// initial-policy-mapping-inhibit.
    pub initial_policy_mapping_inhibit: bool,
    /// initial-any-policy-inhibit.
    pub initial_any_policy_inhibit: bool,
}

/// What the end-entity certificate must be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RequiredUsage {
    /// Sign e-mail: EKU absent, emailProtection or anyExtendedKeyUsage; keyUsage absent,
    /// digitalSignature or nonRepudiation (RFC 8550 §4.4.2, §4.4.4).
    ///
    /// A CA certificate (basicConstraints cA = TRUE) may sign mail when these two checks
    /// pass. RFC 5280 §4.2.1.9 makes cA say whether the key may verify *certificate*
    /// signatures, not forbid other uses, and path validation (§6.1) does not forbid a CA
    /// certificate at the end of a path; what the key may sign is keyUsage's and
    /// extendedKeyUsage's business, and RFC 8550 §4.4.2 asks for digitalSignature or
    /// nonRepudiation, not for cA = FALSE. Accepting such a signature gives the CA's holder
    /// no new power: it can already issue any certificate for the address. NIST PKITS
    /// counts such paths as valid (4.6.8 pathLenConstraint8, 4.6.14 pathLenConstraint14,
    /// 4.8.6 OverlappingPolicies6, 4.14.13 onlyContainsCACerts13). A CA certificate with the
    /// usual keyUsage (keyCertSign, cRLSign only) is still refused ([`PathError::KeyUsage`]).
    #[default]
    EmailSigner,
    /// No usage check on the end entity (used e.g. for CRL signer certificates).
    None,
}

/// Inputs to [`validate`].
#[derive(Debug, Clone)]
pub struct PathOptions<'a> {
    /// Validation time, unix seconds.
    pub time: u64,
    /// Trust anchors.
    pub anchors: &'a [TrustAnchor],
    /// Candidate intermediates (from the message and the caller), in any order.
    pub intermediates: &'a [Certificate],
    /// CRLs available (any issuers; complete and delta).
    pub crls: &'a [CertificateList],
    /// Policy inputs.
    pub policy: PolicySettings,
    /// Required end-entity usage.
    pub usage: RequiredUsage,
    /// Work limits.
    pub budget: Budget,
    /// When true, a certificate of the path (end entity and intermediates, not the anchor)
    /// whose revocation status cannot be established from `crls` because none of its
    /// possible CRL issuers (its issuer, the cRLIssuers of its distribution points) has a
    /// CRL there is [`PathError::RevocationUnknown`]. When false (what S/MIME clients do:
    /// mail rarely carries CRLs), it is "not checked" ([`ValidPath::revocation_checked`]
    /// false). NIST PKITS assumes true (PKITS §3: the relying party has current CRLs for
    /// every CA). CRL-signer certificates are validated with the same setting.
    pub require_revocation: bool,
    /// The caller's signature checks ([`super::offload`]); `None`: all in the core.
    pub offload: Option<&'a super::offload::Offload>,
    /// When true, a certificate of the path that breaks a profile rule ([`ProfileRule`]) is
    /// [`PathError::Profile`], as OpenSSL's `-x509_strict` does; when false (the default:
    /// CAs of the past broke these rules without deceiving anyone, and old signed mail must
    /// not turn red), it is a warning on the valid path ([`ValidPath::warnings`]).
    pub strict: bool,
    /// Online revocation (RFC 6960 OCSP answers the caller fetched; see [`OnlineRevocation`]).
    pub online: OnlineRevocation<'a>,
}

/// Online revocation inputs: the answers the caller fetched for the requests a previous check
/// named ([`super::verdict::Revocation`]), and whether a missing status fails the path.
#[derive(Debug, Clone, Copy, Default)]
pub struct OnlineRevocation<'a> {
    /// DER OCSP responses, any certificates: each certificate of the path not established by
    /// a CRL uses the first one about it that [`ocsp::check`] accepts. At most
    /// [`MAX_OCSP_RESPONSES`] are looked at.
    pub ocsp_responses: &'a [Vec<u8>],
    /// CRLs the caller fetched from the certificates' distribution points (RFC 5280
    /// §4.2.1.13), used for a certificate that neither the CRLs at hand nor an OCSP answer
    /// settled. Unlike the CRLs at hand, one that cannot settle the status makes it "not
    /// checked", never an invalid path.
    pub crls: &'a [CertificateList],
    /// What a certificate whose status is not established means (see [`OnlineMode`]).
    pub mode: OnlineMode,
}

/// The user's online revocation setting (off by default: the certificate authority learns
/// which certificate is checked, and when).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OnlineMode {
    /// No online check: only CRLs at hand count (and no answers are passed).
    #[default]
    Off,
    /// A certificate whose status could not be established online keeps the verdict it would
    /// have without the check, with a warning (`Warning::RevocationNotChecked`).
    SoftFail,
    /// A certificate that names a way to check it online (an OCSP responder or a CRL
    /// distribution point) and whose status is not established (not reached, unknown, a bad
    /// answer) is [`PathError::RevocationUnknown`]: never green. A certificate naming neither
    /// cannot be checked by anyone, and is "not checked" as without the switch.
    HardFail,
}

/// Most OCSP responses looked at in one path validation: one per certificate of a long chain,
/// with room for stale ones the caller still holds.
pub const MAX_OCSP_RESPONSES: usize = 16;

/// Most CRLs fetched from distribution points passed to one check: one or two per
/// certificate of a chain.
pub const MAX_ONLINE_CRLS: usize = 8;

/// What the OCSP answers (or the CRLs fetched) say about one certificate.
enum OcspOutcome {
    Good {
        source: &'static str,
        next_update: Option<i64>,
    },
    Revoked {
        source: &'static str,
        time: i64,
        reason: Option<String>,
    },
    Unknown,
    /// No usable answer: why (the last answer's problem), or `None` when none was about it.
    None(Option<String>),
}

/// Hex of a serial's contents octets (as the CRL checks write it).
fn serial_hex(serial: &[u8]) -> String {
    serial.iter().map(|b| format!("{b:02x}")).collect()
}

/// The http(s) fullName URIs of a certificate's distribution points.
fn crl_urls(scope: &crl::CertScope) -> Vec<String> {
    let Ok(dps) = &scope.distribution_points else {
        return Vec::new();
    };
    dps.iter()
        .filter_map(|dp| match &dp.distribution_point {
            Some(x509::DistributionPointName::FullName(names)) => Some(names),
            _ => None,
        })
        .flatten()
        .filter_map(|g| match g {
            x509::GeneralName::UniformResourceIdentifier(u)
                if u.starts_with("http://") || u.starts_with("https://") =>
            {
                Some(u.clone())
            }
            _ => None,
        })
        .collect()
}

/// A validated path.
#[derive(Debug, Clone)]
pub struct ValidPath {
    /// End entity first, up to but excluding the anchor.
    pub chain: Vec<Certificate>,
    /// The anchor the path ends at.
    pub anchor: TrustAnchor,
    /// Set when a signature on the path, or a key, is weak (SHA-1, small RSA, DSA).
    pub weak: Option<WeakReason>,
    /// True when every certificate's revocation status was established, from a CRL or an
    /// OCSP answer.
    pub revocation_checked: bool,
    /// Each certificate's revocation status, end entity first, with what the caller may
    /// fetch for those not established.
    pub revocation: Vec<Revocation>,
    /// Certificate policies valid for the path (empty when none or any).
    pub policies: Vec<ObjectIdentifier>,
    /// The profile rules certificates of the path break (not in strict mode, where each is
    /// an error), end entity first.
    pub warnings: Vec<ProfileWarning>,
}

/// A rule of the RFC 5280 certificate profile whose breach proves nothing against the path:
/// a warning by default, an error with [`PathOptions::strict`]. (The rules whose breach
/// could deceive, such as name constraints or a CA's basicConstraints, are errors always.)
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileRule {
    /// authorityKeyIdentifier absent from a certificate that is not self-issued (§4.2.1.1:
    /// MUST be included, except in self-signed certificates).
    NoAuthorityKeyId,
    /// subjectKeyIdentifier absent from a CA certificate (§4.2.1.2: MUST appear).
    NoSubjectKeyId,
    /// authorityKeyIdentifier or subjectKeyIdentifier marked critical (§4.2.1.1-2: MUST be
    /// non-critical).
    KeyIdCritical,
    /// serialNumber zero or negative (§4.1.2.2: MUST be a positive integer).
    SerialNotPositive,
    /// An empty subject without a critical subjectAltName (§4.1.2.6, §4.2.1.6).
    EmptySubject,
    /// A CA certificate with an empty subject (§4.1.2.6: MUST be non-empty).
    CaEmptySubject,
    /// policyConstraints not marked critical (§4.2.1.11: MUST be critical; RFC 3280 allowed
    /// either, and NIST PKITS' valid paths carry it non-critical).
    PolicyConstraintsNotCritical,
}

impl core::fmt::Display for ProfileRule {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            ProfileRule::NoAuthorityKeyId => "it has no authority key identifier",
            ProfileRule::NoSubjectKeyId => {
                "it is a CA certificate without a subject key identifier"
            }
            ProfileRule::KeyIdCritical => "its key identifier is marked critical",
            ProfileRule::SerialNotPositive => "its serial number is zero or negative",
            ProfileRule::EmptySubject => {
                "its subject is empty and its other names are not marked critical"
            }
            ProfileRule::CaEmptySubject => "it is a CA certificate with an empty subject",
            ProfileRule::PolicyConstraintsNotCritical => {
                "its policy constraints are not marked critical"
            }
        })
    }
}

/// A profile rule broken by one certificate of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileWarning {
    /// Subject of the certificate.
    pub subject: String,
    /// The rule.
    pub rule: ProfileRule,
}

impl core::fmt::Display for ProfileWarning {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "the certificate {} does not follow the X.509 rules: {}",
            self.subject, self.rule
        )
    }
}

/// Why no valid path was found. `Display` gives a sentence for the verdict's details.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathError {
    /// A certificate's notAfter is before the validation time (RFC 5280 §6.1.3 (a)(2)).
    Expired {
        /// notAfter, unix seconds.
        not_after: i64,
        /// Validation time.
        time: u64,
        /// Subject of the certificate.
        subject: String,
    },
    /// A certificate's notBefore is after the validation time (§6.1.3 (a)(2)).
    NotYetValid {
        /// notBefore, unix seconds.
        not_before: i64,
        /// Validation time.
        time: u64,
        /// Subject of the certificate.
        subject: String,
    },
    /// A certificate is listed on a usable CRL (§6.1.3 (a)(3)).
    Revoked {
        /// Where the revocation was found: "crl" or "ocsp".
        source: &'static str,
        /// Serial, hex.
        serial: String,
        /// CRL reasonCode, if any.
        reason: Option<String>,
        /// revocationDate, unix seconds.
        date: i64,
        /// Subject of the certificate.
        subject: String,
    },
    /// No issuer of some certificate is a trust anchor or leads to one ("untrusted root").
    UnknownIssuer {
        /// Issuer name that could not be found.
        issuer: String,
        /// The caIssuers URLs (RFC 5280 §4.2.2.1) of the certificates whose issuer was not
        /// found, for the caller to fetch ([`super::aia`]); at most
        /// [`super::aia::MAX_CA_ISSUERS_URLS`].
        ca_issuers: Vec<String>,
    },
    /// The end-entity certificate is self-signed and not a trust anchor.
    SelfSignedUntrusted,
    /// A certificate's signature does not verify with its issuer's key (§6.1.3 (a)(1)).
    BadSignature {
        /// Subject of the certificate.
        subject: String,
    },
    /// The end-entity certificate is a CA certificate (basicConstraints cA = true). Not
    /// returned by [`validate`]: a CA certificate may sign mail (see
    /// [`RequiredUsage::EmailSigner`]); kept for callers with a stricter policy.
    CaUsedAsEndEntity,
    /// An intermediate is not a CA: basicConstraints absent or cA false (§6.1.4 (k)).
    NotACa {
        /// Subject of the certificate.
        subject: String,
    },
    /// The path is longer than a pathLenConstraint allows (§6.1.4 (l), (m)).
    PathLenExceeded,
    /// keyUsage forbids the use (§6.1.4 (n), RFC 8550 §4.4.2).
    KeyUsage {
        /// What was required, e.g. "keyCertSign".
        required: &'static str,
        /// Subject of the certificate.
        subject: String,
    },
    /// extendedKeyUsage lacks emailProtection (RFC 8550 §4.4.4).
    ExtKeyUsage {
        /// Subject of the certificate.
        subject: String,
    },
    /// A name violates a CA's name constraints (§6.1.3 (b), (c)).
    NameConstraints {
        /// Detail (the name and whether it was excluded or not permitted).
        detail: String,
    },
    /// Certificate policy processing failed (§6.1.3 (f), §6.1.4 (a), §6.1.5 (g)).
    Policy {
        /// Detail.
        detail: String,
    },
    /// A critical extension is not understood (§6.1.4 (o), §6.1.5 (e)).
    UnknownCriticalExtension {
        /// The extension OID.
        oid: ObjectIdentifier,
    },
    /// A trust anchor made from a certificate that cannot be one (see [`AnchorCert`]), or
    /// outside its validity period: the user learns which root.
    BadAnchor {
        /// Anchor label.
        anchor: String,
        /// Why, in plain words.
        detail: String,
    },
    /// The anchor is distrusted for certificates issued after a date (Mozilla
    /// distrust-after).
    Distrusted {
        /// Anchor label.
        anchor: String,
        /// Distrust-after time.
        after: u64,
        /// End-entity notBefore.
        not_before: i64,
    },
    /// Not returned by [`validate`] (which reports weakness in [`ValidPath::weak`]); for
    /// callers that treat weak paths as errors.
    Weak(WeakReason),
    /// An algorithm on the path is not supported.
    Unsupported {
        /// What (named algorithm).
        what: String,
    },
    /// A certificate breaks a profile rule, in strict mode ([`PathOptions::strict`]).
    Profile(ProfileWarning),
    /// A work budget ran out.
    BudgetExceeded(BudgetKind),
    /// More than [`MAX_CERTS`] intermediates or CRLs were passed.
    TooManyCerts,
    /// Every path found is longer than [`MAX_CHAIN_LEN`].
    ChainTooLong,
    /// A certificate or extension could not be parsed.
    Malformed {
        /// Detail.
        detail: String,
    },
    /// CRLs for the certificate exist (from its issuer or a cRLIssuer of its distribution
    /// points) but the revocation status is undetermined (RFC 5280 §6.3.3): none usable
    /// covers it (bad signature, out of date, unknown critical extension, another
    /// distribution point or scope...), or they cover only some reasons, or a CRL limit of
    /// [`super::crl`] was hit.
    CrlProblem {
        /// Detail.
        detail: String,
        /// Subject of the certificate being checked.
        subject: String,
    },
    /// [`PathOptions::require_revocation`] is set and the certificate's revocation status
    /// cannot be established: none of its possible CRL issuers (its issuer, the cRLIssuers
    /// of its distribution points) has a CRL among those given (RFC 5280 §6.3.3). Nothing
    /// is proven against the certificate, so the verdict is "not verified", not "invalid".
    /// Reported only when nothing else fails on the path.
    RevocationUnknown {
        /// Subject of the certificate whose status is unknown.
        subject: String,
    },
}

impl PathError {
    /// How specific the error is: when all candidate paths fail, the highest rank is
    /// reported. "Could not find an issuer" is the least specific; a revocation the most.
    pub fn rank(&self) -> u32 {
        match self {
            PathError::UnknownIssuer { .. } => 0,
            PathError::SelfSignedUntrusted => 1,
            PathError::ChainTooLong => 2,
            PathError::TooManyCerts => 3,
            PathError::Malformed { .. } => 10,
            PathError::Profile(_) => 11,
            PathError::Unsupported { .. } => 12,
            PathError::BadSignature { .. } => 20,
            PathError::Weak(_) => 21,
            PathError::Expired { .. } | PathError::NotYetValid { .. } => 30,
            PathError::RevocationUnknown { .. } => 34,
            PathError::CrlProblem { .. } => 35,
            PathError::BadAnchor { .. } => 38,
            PathError::NotACa { .. }
            | PathError::PathLenExceeded
            | PathError::UnknownCriticalExtension { .. } => 40,
            PathError::KeyUsage { .. }
            | PathError::NameConstraints { .. }
            | PathError::Policy { .. } => 42,
            PathError::CaUsedAsEndEntity | PathError::ExtKeyUsage { .. } => 45,
            PathError::Distrusted { .. } => 50,
            PathError::Revoked { .. } => 60,
            PathError::BudgetExceeded(_) => 100,
        }
    }
}

impl core::fmt::Display for PathError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            PathError::Expired { subject, .. } => write!(f, "certificate expired: {subject}"),
            PathError::NotYetValid { subject, .. } => {
                write!(f, "certificate not yet valid: {subject}")
            }
            PathError::Revoked {
                subject, reason, ..
            } => match reason {
                Some(r) => write!(f, "certificate revoked ({r}): {subject}"),
                None => write!(f, "certificate revoked: {subject}"),
            },
            PathError::UnknownIssuer { issuer, .. } => {
                write!(f, "no path to a trusted root (issuer {issuer} not found)")
            }
            PathError::SelfSignedUntrusted => f.write_str("self-signed certificate, not trusted"),
            PathError::BadSignature { subject } => {
                write!(f, "certificate signature does not verify: {subject}")
            }
            PathError::CaUsedAsEndEntity => f.write_str("a CA certificate was used as signer"),
            PathError::NotACa { subject } => write!(f, "issuer is not a CA: {subject}"),
            PathError::PathLenExceeded => f.write_str("path length constraint exceeded"),
            PathError::KeyUsage { required, subject } => {
                write!(f, "key usage does not allow {required}: {subject}")
            }
            PathError::ExtKeyUsage { subject } => {
                write!(f, "certificate not valid for e-mail protection: {subject}")
            }
            PathError::NameConstraints { detail } => {
                write!(f, "name constraints violated: {detail}")
            }
            PathError::Policy { detail } => write!(f, "certificate policy check failed: {detail}"),
            PathError::UnknownCriticalExtension { oid } => {
                write!(f, "unknown critical extension {oid}")
            }
            PathError::BadAnchor { anchor, detail } => {
                write!(
                    f,
                    "the root certificate {anchor} cannot be trusted: {detail}"
                )
            }
            PathError::Distrusted { anchor, .. } => write!(
                f,
                "root {anchor} is distrusted for certificates issued after its distrust date"
            ),
            PathError::Weak(r) => write!(f, "weak algorithm: {r}"),
            PathError::Unsupported { what } => write!(f, "unsupported: {what}"),
            PathError::BudgetExceeded(k) => write!(
                f,
                "the certificate chain is too complex to check: {}",
                match k {
                    BudgetKind::SignatureChecks => "too many signatures to check",
                    BudgetKind::BuildCalls => "too many possible paths",
                    BudgetKind::NameConstraintChecks => "too many name constraint comparisons",
                }
            ),
            PathError::TooManyCerts => write!(f, "more than {MAX_CERTS} certificates or CRLs"),
            PathError::ChainTooLong => write!(f, "chain longer than {MAX_CHAIN_LEN}"),
            PathError::Malformed { detail } => write!(f, "malformed certificate: {detail}"),
            PathError::Profile(w) => w.fmt(f),
            PathError::CrlProblem { detail, subject } => {
                write!(f, "revocation status unknown for {subject}: {detail}")
            }
            PathError::RevocationUnknown { subject } => write!(
                f,
                "revocation status unknown for {subject}: no CRL from its issuer or cRLIssuer \
                 (revocation required)"
            ),
        }
    }
}

impl std::error::Error for PathError {}

/// The certificate extensions path validation understands (RFC 5280 §4.2.1).
#[derive(Clone, Copy)]
enum Extn {
    BasicConstraints,
    KeyUsage,
    ExtKeyUsage,
    NameConstraints,
    CertificatePolicies,
    PolicyMappings,
    PolicyConstraints,
    InhibitAnyPolicy,
    SubjectAltName,
    SubjectKeyIdentifier,
    AuthorityKeyIdentifier,
}

/// Which known extension `oid` is. A table rather than a `match` on OID constants, each arm of
/// which compares the whole 40-byte value (8 KB of wasm).
fn known_extension(oid: &ObjectIdentifier) -> Option<Extn> {
    const KNOWN: [(ObjectIdentifier, Extn); 11] = [
        (ids::BASIC_CONSTRAINTS, Extn::BasicConstraints),
        (ids::KEY_USAGE, Extn::KeyUsage),
        (ids::EXT_KEY_USAGE, Extn::ExtKeyUsage),
        (ids::NAME_CONSTRAINTS, Extn::NameConstraints),
        (ids::CERTIFICATE_POLICIES, Extn::CertificatePolicies),
        (ids::POLICY_MAPPINGS, Extn::PolicyMappings),
        (ids::POLICY_CONSTRAINTS, Extn::PolicyConstraints),
        (ids::INHIBIT_ANY_POLICY, Extn::InhibitAnyPolicy),
        (ids::SUBJECT_ALT_NAME, Extn::SubjectAltName),
        (ids::SUBJECT_KEY_IDENTIFIER, Extn::SubjectKeyIdentifier),
        (ids::AUTHORITY_KEY_IDENTIFIER, Extn::AuthorityKeyIdentifier),
    ];
    let bytes = oid.as_bytes();
    KNOWN
        .iter()
        .find(|(o, _)| o.as_bytes() == bytes)
        .map(|(_, e)| *e)
}

/// What validation needs from one certificate, parsed once.
struct Info<'c> {
    cert: &'c Certificate,
    subject: NameKey,
    issuer: NameKey,
    ski: Option<Vec<u8>>,
    aki: Option<Vec<u8>>,
    bc: Option<BasicConstraints>,
    /// keyUsage bits ([`key_usage`]).
    ku: Option<u16>,
    eku: Option<Vec<ObjectIdentifier>>,
    nc: Option<NameConstraints>,
    policies: Option<Vec<ObjectIdentifier>>,
    mappings: Vec<(ObjectIdentifier, ObjectIdentifier)>,
    pc: Option<PolicyConstraints>,
    inhibit_any: Option<u32>,
    san: Vec<GeneralName>,
    unknown_critical: Option<ObjectIdentifier>,
    malformed: Option<String>,
    /// Profile rules broken ([`ProfileRule`]).
    profile: Vec<ProfileRule>,
}

impl<'c> Info<'c> {
    fn new(cert: &'c Certificate) -> Info<'c> {
        let mut info = Info {
            cert,
            subject: names::name_key(&cert.subject),
            issuer: names::name_key(&cert.issuer),
            ski: None,
            aki: None,
            bc: None,
            ku: None,
            eku: None,
            nc: None,
            policies: None,
            mappings: Vec::new(),
            pc: None,
            inhibit_any: None,
            san: Vec::new(),
            unknown_critical: None,
            malformed: None,
            profile: Vec::new(),
        };
        // RFC 5280 §4.1.1.2: signatureAlgorithm MUST be the same as the TBS's signature field
        // (refused by OpenSSL and rustls-webpki too): the signed part names the algorithm.
        if cert.tbs_signature != cert.signature_algorithm {
            info.malformed = Some(
                "the signature algorithm outside the signed part differs from the one inside \
                 (RFC 5280 §4.1.1.2)"
                    .into(),
            );
        }
        let mut seen: Vec<ObjectIdentifier> = Vec::new();
        for e in &cert.extensions {
            if seen.contains(&e.extn_id) {
                info.malformed = Some(format!("duplicate extension {}", e.extn_id));
            }
            seen.push(e.extn_id);
            let v = &e.extn_value[..];
            let res: Result<(), x509::DerError> = (|| {
                match known_extension(&e.extn_id) {
                    Some(Extn::BasicConstraints) => {
                        info.bc = Some(x509::parse_basic_constraints(v)?)
                    }
                    Some(Extn::KeyUsage) => info.ku = Some(x509::parse_key_usage(v)?),
                    Some(Extn::ExtKeyUsage) => info.eku = Some(x509::parse_oid_list(v)?),
                    Some(Extn::NameConstraints) => info.nc = Some(x509::parse_name_constraints(v)?),
                    Some(Extn::CertificatePolicies) => {
                        info.policies = Some(x509::parse_certificate_policies(v)?)
                    }
                    Some(Extn::PolicyMappings) => info.mappings = x509::parse_policy_mappings(v)?,
                    Some(Extn::PolicyConstraints) => {
                        info.pc = Some(x509::parse_policy_constraints(v)?)
                    }
                    Some(Extn::InhibitAnyPolicy) => {
                        info.inhibit_any = Some(x509::parse_small_uint(v)?)
                    }
                    Some(Extn::SubjectAltName) => info.san = x509::parse_general_names(v)?,
                    Some(Extn::SubjectKeyIdentifier) => {
                        info.ski = Some(x509::parse_key_identifier(v)?)
                    }
                    Some(Extn::AuthorityKeyIdentifier) => {
                        info.aki = x509::parse_authority_key_identifier(v)?
                    }
                    None => {
                        if e.critical && info.unknown_critical.is_none() {
                            info.unknown_critical = Some(e.extn_id);
                        }
                    }
                }
                Ok(())
            })();
            if let Err(err) = res {
                info.malformed = Some(format!("extension {}: {err}", e.extn_id));
            }
        }
        // Extensions that parse but say what RFC 5280 forbids.
        // §4.2.1.10: conforming CAs MUST mark nameConstraints critical, and RFC 3280 already
        // said so, unlike policyConstraints (MAY be non-critical in RFC 3280 §4.2.1.12, as
        // in NIST PKITS' valid paths): that one is a profile rule.
        if cert
            .extensions
            .iter()
            .any(|e| e.extn_id == ids::NAME_CONSTRAINTS && !e.critical)
        {
            info.malformed =
                Some("its name constraints are not marked critical (RFC 5280 §4.2.1.10)".into());
        }
        info.profile = profile_rules(&info);
        if let Some(nc) = &info.nc {
            if let Some(p) = names::constraint_problem(nc) {
                info.malformed = Some(p);
            } else if !info.is_ca() {
                info.malformed = Some(
                    "it carries name constraints but is not a CA certificate (RFC 5280 \
                     §4.2.1.10)"
                        .into(),
                );
            }
        }
        if info.eku.as_ref().is_some_and(|p| p.is_empty()) {
            // §4.2.1.12: KeyPurposeId SIZE (1..MAX).
            info.malformed =
                Some("its extended key usage lists no purpose (RFC 5280 §4.2.1.12)".into());
        }
        if !info.is_ca() && info.ku.is_some_and(|k| k & key_usage::KEY_CERT_SIGN != 0) {
            // §4.2.1.3: keyCertSign only with basicConstraints cA TRUE.
            info.malformed = Some(
                "its key usage allows signing certificates but it is not a CA certificate \
                 (RFC 5280 §4.2.1.3)"
                    .into(),
            );
        }
        info
    }

    fn subject_str(&self) -> String {
        super::names::display(&self.cert.subject)
    }

    fn self_issued(&self) -> bool {
        self.subject == self.issuer
    }

    fn is_ca(&self) -> bool {
        self.bc.as_ref().is_some_and(|b| b.ca)
    }
}

/// The profile rules `info`'s certificate breaks (RFC 5280 §4.1.2.2, §4.1.2.6, §4.2.1.1-2,
/// §4.2.1.6, §4.2.1.11).
fn profile_rules(info: &Info) -> Vec<ProfileRule> {
    let cert = info.cert;
    let ext = |id: ObjectIdentifier| cert.extensions.iter().find(|e| e.extn_id == id);
    let mut out = Vec::new();
    if !info.self_issued() && info.aki.is_none() {
        out.push(ProfileRule::NoAuthorityKeyId);
    }
    if info.is_ca() && info.ski.is_none() {
        out.push(ProfileRule::NoSubjectKeyId);
    }
    let key_ids = [ids::AUTHORITY_KEY_IDENTIFIER, ids::SUBJECT_KEY_IDENTIFIER];
    if key_ids
        .into_iter()
        .any(|id| ext(id).is_some_and(|e| e.critical))
    {
        out.push(ProfileRule::KeyIdCritical);
    }
    // Contents octets of a minimal INTEGER: negative when the sign bit is set, zero as 00.
    let serial = &cert.serial_number;
    if serial.first().map_or(true, |b| b & 0x80 != 0) || serial.iter().all(|b| *b == 0) {
        out.push(ProfileRule::SerialNotPositive);
    }
    if cert.subject.is_empty() {
        if info.is_ca() {
            out.push(ProfileRule::CaEmptySubject);
        } else if !ext(ids::SUBJECT_ALT_NAME).is_some_and(|e| e.critical) {
            out.push(ProfileRule::EmptySubject);
        }
    }
    if ext(ids::POLICY_CONSTRAINTS).is_some_and(|e| !e.critical) {
        out.push(ProfileRule::PolicyConstraintsNotCritical);
    }
    out
}

/// Search state for one [`validate`] call.
struct Search<'a, 'c> {
    opts: &'a PathOptions<'a>,
    infos: Vec<Info<'c>>,
    anchor_keys: Vec<NameKey>,
    budget: Budget,
    /// Cache of signature results: (child, issuer) where issuer >= infos.len() is an anchor.
    /// Signature results by (child, issuer): a list, as short as the signature budget.
    sig_cache: Vec<((usize, usize), Result<Strength, algs::AlgError>)>,
    best: Option<PathError>,
    /// How deep we are in CRL-signer validation (0 = the caller's certificate).
    crl_depth: u32,
    /// CRL-signer certificates whose validation is in progress up the stack (subject, key).
    pending: Vec<(NameKey, SubjectPublicKeyInfo)>,
    /// caIssuers URLs of the certificates at which building stopped for want of an issuer.
    missing: Vec<String>,
    /// CRL distribution points of a delegated OCSP responder whose own status is not
    /// established, for the certificate being checked (`ocsp_status`).
    responder_crls: Vec<String>,
}

/// DSA keys may omit their parameters and inherit them from the issuer (RFC 3279
/// §2.3.2, RFC 5280 §6.1.4 (f)).
fn inherit_params(
    spki: &SubjectPublicKeyInfo,
    working: &SubjectPublicKeyInfo,
) -> SubjectPublicKeyInfo {
    let mut out = spki.clone();
    if out.algorithm.parameters.is_none()
        && out.algorithm.oid == algs::oids::DSA
        && working.algorithm.oid == algs::oids::DSA
    {
        out.algorithm.parameters = working.algorithm.parameters.clone();
    }
    out
}

fn alg_to_path(e: algs::AlgError, subject: String) -> PathError {
    match e {
        algs::AlgError::Unsupported { what } => PathError::Unsupported { what },
        algs::AlgError::MalformedKey { detail }
        | algs::AlgError::MalformedParameters { detail } => PathError::Malformed { detail },
        _ => PathError::BadSignature { subject },
    }
}

fn merge_weak(w: &mut Option<WeakReason>, s: Strength) {
    if let (None, Strength::Weak(r)) = (*w, s) {
        *w = Some(r);
    }
}

impl<'a, 'c> Search<'a, 'c>
where
    'a: 'c,
{
    fn record(&mut self, e: PathError) {
        if self.best.as_ref().map_or(true, |b| e.rank() > b.rank()) {
            self.best = Some(e);
        }
    }

    fn take_sig(&mut self) -> Result<(), PathError> {
        if self.budget.signature_checks == 0 {
            return Err(PathError::BudgetExceeded(BudgetKind::SignatureChecks));
        }
        self.budget.signature_checks -= 1;
        Ok(())
    }

    /// What the caller's OCSP answers say about `cert`, issued by the holder of `issuer_key`
    /// named `issuer_name`; each answer about it costs one signature check from the budget
    /// (two with a delegated responder are counted as one: the responder's certificate is
    /// small and checked once per answer).
    ///
    /// A delegated responder without id-pkix-ocsp-nocheck is looked up in the CRLs at hand and
    /// those fetched (`ocsp::ResponderRevocation`); when none settles it, its distribution
    /// points are kept in `responder_crls` for the caller to fetch.
    fn ocsp_status(
        &mut self,
        cert: &Certificate,
        issuer: (&SubjectPublicKeyInfo, &NameKey, CrlSigner),
        issuer_id: usize,
        anchor: usize,
    ) -> Result<OcspOutcome, PathError> {
        let (issuer_key, issuer_name, issuer_signer) = issuer;
        let opts = self.opts;
        let subject = ocsp::Subject {
            cert,
            issuer_key,
            issuer_name,
        };
        let mut why = None;
        for response in self
            .opts
            .online
            .ocsp_responses
            .iter()
            .take(MAX_OCSP_RESPONSES)
        {
            if !ocsp::is_about(response, subject) {
                continue;
            }
            self.take_sig()?;
            let mut responder = |d: &Certificate| {
                let scope = crl::CertScope::from_cert(d, false);
                let mut env = PathCrlEnv {
                    issuer: issuer_name.clone(),
                    issuer_signer: issuer_signer.clone(),
                    issuer_id,
                    anchor,
                    search: self,
                };
                for crls in [opts.crls, opts.online.crls] {
                    match crl::check(&scope, crls, opts.time, &mut env) {
                        CrlStatus::Good => return ocsp::ResponderRevocation::Good,
                        CrlStatus::Revoked { .. } => return ocsp::ResponderRevocation::Revoked,
                        _ => {}
                    }
                }
                for u in crl_urls(&scope) {
                    if !env.search.responder_crls.contains(&u) {
                        env.search.responder_crls.push(u);
                    }
                }
                ocsp::ResponderRevocation::NotChecked
            };
            match ocsp::check_with(response, subject, opts.time, opts.offload, &mut responder) {
                Ok(ocsp::OcspStatus::Good { next_update, .. }) => {
                    return Ok(OcspOutcome::Good {
                        source: "ocsp",
                        next_update,
                    })
                }
                Ok(ocsp::OcspStatus::Revoked { time, reason }) => {
                    return Ok(OcspOutcome::Revoked {
                        source: "ocsp",
                        time,
                        reason,
                    })
                }
                Ok(ocsp::OcspStatus::Unknown) => return Ok(OcspOutcome::Unknown),
                Err(e) => why = Some(e.to_string()),
            }
        }
        Ok(OcspOutcome::None(why))
    }

    /// Verify the signature of `child` with `key` (cached by (child, issuer_id)).
    fn check_sig(
        &mut self,
        child: usize,
        issuer_id: usize,
        key: &SubjectPublicKeyInfo,
    ) -> Result<Strength, PathError> {
        let info = &self.infos[child];
        let subject = info.subject_str();
        let cached = self
            .sig_cache
            .iter()
            .find(|(k, _)| *k == (child, issuer_id));
        let res = if let Some((_, r)) = cached {
            r.clone()
        } else {
            self.take_sig()?;
            let info = &self.infos[child];
            let cert = info.cert;
            let r = match cert.signature.as_bytes() {
                Some(sig) => algs::verify_signature_with(
                    self.opts.offload,
                    key,
                    None,
                    &cert.signature_algorithm,
                    &cert.tbs_der,
                    sig,
                ),
                None => Err(algs::AlgError::MalformedSignature),
            };
            self.sig_cache.push(((child, issuer_id), r.clone()));
            r
        };
        res.map_err(|e| alg_to_path(e, subject))
    }

    /// Depth-first search: `path` holds info indexes, end entity first.
    fn build(&mut self, path: &mut Vec<usize>) -> Result<Option<ValidPath>, PathError> {
        let Some(&top) = path.last() else {
            return Ok(None);
        };
        if path.len() > MAX_CHAIN_LEN {
            self.record(PathError::ChainTooLong);
            return Ok(None);
        }
        // Anchors first.
        let issuer = self.infos[top].issuer.clone();
        for a in 0..self.opts.anchors.len() {
            if self.anchor_keys[a] != issuer {
                continue;
            }
            if self.budget.build_calls == 0 {
                return Err(PathError::BudgetExceeded(BudgetKind::BuildCalls));
            }
            self.budget.build_calls -= 1;
            match self.check_path(path, a) {
                Ok(vp) => return Ok(Some(vp)),
                Err(e @ PathError::BudgetExceeded(_)) => return Err(e),
                Err(e) => self.record(e),
            }
        }
        // Then intermediates whose subject is this certificate's issuer, AKI/SKI matches first.
        let aki = self.infos[top].aki.clone();
        let mut cands: Vec<usize> = (1..self.infos.len())
            .filter(|&i| self.infos[i].subject == issuer && !path.contains(&i))
            .collect();
        crate::sort::sort_by_key(&mut cands, |&i| match (&aki, &self.infos[i].ski) {
            (Some(a), Some(s)) if a == s => 0,
            (Some(_), Some(_)) => 2,
            _ => 1,
        });
        // No anchor and no certificate at hand has the issuer's name: what the certificate's
        // caIssuers URLs could bring (see `aia`).
        // (A certificate with that name already on the path is a loop, not a dead end.)
        if !self.infos[1..].iter().any(|i| i.subject == issuer)
            && !self.anchor_keys.contains(&issuer)
            && !self.infos[top].self_issued()
        {
            for u in super::aia::ca_issuer_urls(self.infos[top].cert) {
                if !self.missing.contains(&u)
                    && self.missing.len() < super::aia::MAX_CA_ISSUERS_URLS
                {
                    self.missing.push(u);
                }
            }
        }
        for c in cands {
            if self.budget.build_calls == 0 {
                return Err(PathError::BudgetExceeded(BudgetKind::BuildCalls));
            }
            self.budget.build_calls -= 1;
            // Prune on a bad signature early, unless the key inherits DSA parameters.
            let key = &self.infos[c].cert.subject_public_key_info;
            if !(key.algorithm.oid == algs::oids::DSA && key.algorithm.parameters.is_none()) {
                let key = key.clone();
                match self.check_sig(top, c, &key) {
                    Ok(_) => {}
                    Err(e @ PathError::BudgetExceeded(_)) => return Err(e),
                    Err(e) => {
                        self.record(e);
                        continue;
                    }
                }
            }
            path.push(c);
            let r = self.build(path)?;
            path.pop();
            if r.is_some() {
                return Ok(r);
            }
        }
        Ok(None)
    }

    /// RFC 5280 §6.1 on `path` (end entity first) ending at anchor `a`.
    fn check_path(&mut self, path: &[usize], a: usize) -> Result<ValidPath, PathError> {
        let opts = self.opts;
        let anchor = &opts.anchors[a];
        let n = path.len();
        let time = opts.time;
        // The same time on the signed scale of certificate times (which may be before 1970).
        let now = super::asn1::signed_time(time);
        let ps = &opts.policy;
        let mut policy = PolicyState::new(
            n,
            ps.initial_explicit_policy,
            ps.initial_policy_mapping_inhibit,
            ps.initial_any_policy_inhibit,
        );
        let mut working_key = anchor.spki.clone();
        let mut working_issuer_id = self.infos.len() + a;
        let mut working_issuer_ku: Option<u16> =
            anchor.certificate.as_ref().and_then(|c| c.key_usage);
        let mut working_issuer_name = self.anchor_keys[a].clone();
        let mut constraints: Vec<NameConstraints> =
            anchor.name_constraints.iter().cloned().collect();
        let mut max_path_length = n;
        let mut weak: Option<WeakReason> = None;
        let mut revocation_checked = true;
        let mut deferred: Option<PathError> = None;
        // With `require_revocation`: the first certificate without any CRL. Reported at the
        // end, so that a failure that proves something wins over "unknown".
        let mut unknown_revocation: Option<PathError> = None;
        let mut warnings: Vec<ProfileWarning> = Vec::new();
        // Each certificate's revocation status, end entity last here (reversed at the end).
        let mut revocation: Vec<Revocation> = Vec::new();

        // An anchor made from a certificate is held to it (RFC 5937 §3).
        if let Some(ac) = &anchor.certificate {
            let bad = |detail: String| PathError::BadAnchor {
                anchor: anchor.label.clone(),
                detail,
            };
            if let Some(p) = &ac.problem {
                return Err(bad(p.clone()));
            }
            if now < ac.validity.0 {
                return Err(bad("it is not valid yet".into()));
            }
            if now > ac.validity.1 {
                return Err(bad("it has expired".into()));
            }
        }
        // Distrust-after (Mozilla): judged on the end entity's notBefore.
        if let Some(after) = anchor.distrust_after {
            let nb = self.infos[path[0]].cert.not_before;
            if nb > super::asn1::signed_time(after) {
                return Err(PathError::Distrusted {
                    anchor: anchor.label.clone(),
                    after,
                    not_before: nb,
                });
            }
        }
        merge_weak(&mut weak, key_strength(&anchor.spki));

        for step in 1..=n {
            let idx = path[n - step];
            let last = step == n;
            let info = &self.infos[idx];
            let subject = info.subject_str();
            if let Some(m) = &info.malformed {
                return Err(PathError::Malformed {
                    detail: format!("{subject}: {m}"),
                });
            }
            let broken = info.profile.iter().map(|&rule| ProfileWarning {
                subject: subject.clone(),
                rule,
            });
            if opts.strict {
                if let Some(w) = broken.clone().next() {
                    return Err(PathError::Profile(w));
                }
            }
            // End entity first: each certificate's before its issuer's.
            warnings.splice(0..0, broken);
            let cert = info.cert;
            // (a)(1) signature
            let own_key = cert.subject_public_key_info.clone();
            // An unsupported algorithm (e.g. MD5) is reported only if nothing more specific
            // fails on this path, so that "expired" or "revoked" still show.
            match self.check_sig(idx, working_issuer_id, &working_key) {
                Ok(s) => merge_weak(&mut weak, s),
                Err(e @ PathError::Unsupported { .. }) => {
                    deferred.get_or_insert(e);
                }
                Err(e) => return Err(e),
            }
            let info = &self.infos[idx];
            // (a)(2) validity
            let nb = cert.not_before;
            let na = cert.not_after;
            if now < nb {
                return Err(PathError::NotYetValid {
                    not_before: nb,
                    time,
                    subject,
                });
            }
            if now > na {
                return Err(PathError::Expired {
                    not_after: na,
                    time,
                    subject,
                });
            }
            // (a)(4) name chaining (already matched when building; keep the check).
            if info.issuer != working_issuer_name {
                return Err(PathError::UnknownIssuer {
                    issuer: super::names::display(&cert.issuer),
                    ca_issuers: Vec::new(),
                });
            }
            // (a)(3) revocation (RFC 5280 §6.3, see `crl`).
            let scope = crl::CertScope::from_cert(info.cert, info.is_ca());
            let mut env = PathCrlEnv {
                issuer: working_issuer_name.clone(),
                issuer_signer: CrlSigner {
                    spki: working_key.clone(),
                    may_sign_crls: ku_allows(working_issuer_ku, key_usage::CRL_SIGN),
                },
                issuer_id: working_issuer_id,
                anchor: a,
                search: self,
            };
            let status = crl::check(&scope, opts.crls, time, &mut env);
            let info = &self.infos[idx];
            let mut entry = Revocation {
                subject: info.subject_str(),
                serial: serial_hex(&cert.serial_number),
                status: RevocationStatus::NotChecked {
                    why: "not checked".into(),
                },
                ocsp_url: None,
                ocsp_request: None,
                crl_urls: Vec::new(),
            };
            // Not established by a CRL: what an OCSP answer says (RFC 6960, see `ocsp`).
            let unestablished = |why: Option<String>| match why {
                Some(why) => RevocationStatus::NotChecked { why },
                None => RevocationStatus::NotChecked {
                    why: "not checked".into(),
                },
            };
            let unsettled = matches!(status, CrlStatus::NotChecked | CrlStatus::NotConforming(_));
            self.responder_crls.clear();
            let mut online = if unsettled {
                let signer = CrlSigner {
                    spki: working_key.clone(),
                    may_sign_crls: ku_allows(working_issuer_ku, key_usage::CRL_SIGN),
                };
                let issuer = (&working_key, &working_issuer_name, signer);
                self.ocsp_status(cert, issuer, working_issuer_id, a)?
            } else {
                OcspOutcome::None(None)
            };
            // Then the CRLs the caller fetched from the distribution points: the same §6.3.3
            // checks, but a CRL that cannot settle the status (stale, another scope, not
            // conforming) leaves it "not checked" rather than failing the path, since a
            // network (or an attacker on plain http) chose what arrived.
            if unsettled && matches!(online, OcspOutcome::None(_)) && !opts.online.crls.is_empty() {
                let mut env = PathCrlEnv {
                    issuer: working_issuer_name.clone(),
                    issuer_signer: CrlSigner {
                        spki: working_key.clone(),
                        may_sign_crls: ku_allows(working_issuer_ku, key_usage::CRL_SIGN),
                    },
                    issuer_id: working_issuer_id,
                    anchor: a,
                    search: self,
                };
                online = match crl::check(&scope, opts.online.crls, time, &mut env) {
                    CrlStatus::Good => OcspOutcome::Good {
                        source: "crl",
                        next_update: None,
                    },
                    CrlStatus::Revoked { reason, date, .. } => OcspOutcome::Revoked {
                        source: "crl",
                        time: date,
                        reason,
                    },
                    CrlStatus::BudgetExceeded => {
                        return Err(PathError::BudgetExceeded(BudgetKind::SignatureChecks))
                    }
                    CrlStatus::NotChecked => online,
                    CrlStatus::NotConforming(why) | CrlStatus::Problem(why) => {
                        OcspOutcome::None(Some(format!("the revocation list: {why}")))
                    }
                };
            }
            let info = &self.infos[idx];
            match (status, online) {
                (CrlStatus::Good, _) => {
                    entry.status = RevocationStatus::Good {
                        source: "crl".into(),
                        until: None,
                    };
                }
                (CrlStatus::BudgetExceeded, _) => {
                    return Err(PathError::BudgetExceeded(BudgetKind::SignatureChecks))
                }
                (
                    _,
                    OcspOutcome::Good {
                        source,
                        next_update,
                    },
                ) => {
                    entry.status = RevocationStatus::Good {
                        source: source.into(),
                        until: next_update.map(super::verdict::format_time),
                    };
                }
                (
                    _,
                    OcspOutcome::Revoked {
                        source,
                        time: date,
                        reason,
                    },
                ) => {
                    return Err(PathError::Revoked {
                        source,
                        serial: entry.serial,
                        reason,
                        date,
                        subject: info.subject_str(),
                    })
                }
                (CrlStatus::NotChecked, online) => {
                    revocation_checked = false;
                    if opts.require_revocation {
                        unknown_revocation.get_or_insert(PathError::RevocationUnknown {
                            subject: info.subject_str(),
                        });
                    }
                    entry.status = match online {
                        OcspOutcome::Unknown => RevocationStatus::Unknown,
                        OcspOutcome::None(why) => unestablished(why),
                        _ => unestablished(None),
                    };
                }
                (CrlStatus::NotConforming(detail), online) => {
                    revocation_checked = false;
                    if opts.require_revocation {
                        unknown_revocation.get_or_insert(PathError::CrlProblem {
                            detail: detail.clone(),
                            subject: info.subject_str(),
                        });
                    }
                    entry.status = match online {
                        OcspOutcome::Unknown => RevocationStatus::Unknown,
                        _ => unestablished(Some(detail)),
                    };
                }
                (
                    CrlStatus::Revoked {
                        serial,
                        reason,
                        date,
                    },
                    _,
                ) => {
                    return Err(PathError::Revoked {
                        source: "crl",
                        serial,
                        reason,
                        date,
                        subject: info.subject_str(),
                    })
                }
                (CrlStatus::Problem(detail), _) => {
                    return Err(PathError::CrlProblem {
                        detail,
                        subject: info.subject_str(),
                    })
                }
            }
            if matches!(
                entry.status,
                RevocationStatus::NotChecked { .. } | RevocationStatus::Unknown
            ) {
                // What the caller may fetch to establish it.
                entry.ocsp_url = ocsp::responder_urls(cert).into_iter().next();
                if entry.ocsp_url.is_some() {
                    use base64::Engine as _;
                    let req = ocsp::build_request(cert, &working_key);
                    entry.ocsp_request =
                        Some(base64::engine::general_purpose::STANDARD.encode(req));
                }
                // A delegated responder's own distribution points first (`ocsp_status`):
                // the caller fetches the first URL of each entry.
                entry.crl_urls = std::mem::take(&mut self.responder_crls);
                for u in crl_urls(&scope) {
                    if !entry.crl_urls.contains(&u) {
                        entry.crl_urls.push(u);
                    }
                }
                let named = entry.ocsp_url.is_some() || !entry.crl_urls.is_empty();
                if opts.online.mode == OnlineMode::HardFail && named {
                    unknown_revocation.get_or_insert(PathError::RevocationUnknown {
                        subject: info.subject_str(),
                    });
                }
            }
            // A certificate with nothing known and nothing to fetch is left out: most mail's
            // chains, whose verdicts then read as before.
            let idle = matches!(entry.status, RevocationStatus::NotChecked { .. })
                && entry.ocsp_url.is_none()
                && entry.crl_urls.is_empty();
            if !idle {
                revocation.push(entry);
            }
            // (b), (c) name constraints: not for self-issued intermediates.
            if last || !info.self_issued() {
                let names = SubjectNames::new(&cert.subject, &info.san);
                for nc in &constraints {
                    let mut b = self.budget.name_constraint_checks;
                    let r = names::check(nc, &names, &mut b);
                    self.budget.name_constraint_checks = b;
                    match r {
                        Ok(()) => {}
                        Err(NcFailure::Budget) => {
                            return Err(PathError::BudgetExceeded(BudgetKind::NameConstraintChecks))
                        }
                        Err(NcFailure::Excluded(name)) => {
                            return Err(PathError::NameConstraints {
                                detail: format!("{name} is excluded ({subject})"),
                            })
                        }
                        Err(NcFailure::NotPermitted(name)) => {
                            return Err(PathError::NameConstraints {
                                detail: format!("{name} is not permitted ({subject})"),
                            })
                        }
                        Err(NcFailure::UnsupportedForm(f)) => {
                            return Err(PathError::NameConstraints {
                                detail: format!("unsupported name form {f} constrained"),
                            })
                        }
                    }
                }
            }
            // (d)-(f) policies
            policy
                .process_cert(step, info.policies.as_deref(), !last && info.self_issued())
                .map_err(|f| policy_err(f, &subject))?;

            if last {
                break;
            }
            // §6.1.4 preparation for the next certificate.
            policy
                .apply_mappings(step, &info.mappings)
                .map_err(|f| policy_err(f, &subject))?;
            working_issuer_name = info.subject.clone();
            working_key = inherit_params(&own_key, &working_key);
            working_issuer_id = idx;
            working_issuer_ku = info.ku;
            if let Some(nc) = &info.nc {
                constraints.push(nc.clone());
            }
            // (h)
            if !info.self_issued() {
                policy.explicit_policy = policy.explicit_policy.saturating_sub(1);
                policy.policy_mapping = policy.policy_mapping.saturating_sub(1);
                policy.inhibit_any_policy = policy.inhibit_any_policy.saturating_sub(1);
            }
            // (i), (j)
            if let Some(pc) = &info.pc {
                if let Some(r) = pc.require_explicit_policy {
                    policy.explicit_policy = policy.explicit_policy.min(r as usize);
                }
                if let Some(m) = pc.inhibit_policy_mapping {
                    policy.policy_mapping = policy.policy_mapping.min(m as usize);
                }
            }
            if let Some(ia) = info.inhibit_any {
                policy.inhibit_any_policy = policy.inhibit_any_policy.min(ia as usize);
            }
            // (k) basicConstraints
            if cert.version != 2 || !info.is_ca() {
                return Err(PathError::NotACa { subject });
            }
            // (l), (m) path length
            if !info.self_issued() {
                if max_path_length == 0 {
                    return Err(PathError::PathLenExceeded);
                }
                max_path_length -= 1;
            }
            if let Some(pl) = info.bc.as_ref().and_then(|b| b.path_len_constraint) {
                max_path_length = max_path_length.min(usize::from(pl));
            }
            // (n) keyUsage
            if let Some(ku) = &info.ku {
                if ku & key_usage::KEY_CERT_SIGN == 0 {
                    return Err(PathError::KeyUsage {
                        required: "keyCertSign",
                        subject,
                    });
                }
            }
            // (o) unknown critical extensions
            if let Some(oid) = info.unknown_critical {
                return Err(PathError::UnknownCriticalExtension { oid });
            }
        }

        // §6.1.5 wrap-up on the end entity.
        let ee = &self.infos[path[0]];
        let ee_subject = ee.subject_str();
        policy.explicit_policy = policy.explicit_policy.saturating_sub(1);
        if ee
            .pc
            .as_ref()
            .and_then(|p| p.require_explicit_policy)
            .is_some_and(|r| r == 0)
        {
            policy.explicit_policy = 0;
        }
        if let Some(oid) = ee.unknown_critical {
            return Err(PathError::UnknownCriticalExtension { oid });
        }
        let mut pol_check = policy.clone();
        pol_check
            .wrap_up(n, &ps.initial_policy_set)
            .map_err(|f| policy_err(f, &ee_subject))?;
        // A CA certificate may sign mail (see `RequiredUsage::EmailSigner`): only its
        // extendedKeyUsage and keyUsage are checked.
        if opts.usage == RequiredUsage::EmailSigner {
            if let Some(eku) = &ee.eku {
                if !eku.contains(&EKU_EMAIL_PROTECTION) && !eku.contains(&EKU_ANY) {
                    return Err(PathError::ExtKeyUsage {
                        subject: ee_subject,
                    });
                }
            }
            if let Some(ku) = &ee.ku {
                if ku & (key_usage::DIGITAL_SIGNATURE | key_usage::NON_REPUDIATION) == 0 {
                    return Err(PathError::KeyUsage {
                        required: "digitalSignature",
                        subject: ee_subject,
                    });
                }
            }
        }
        if let Some(e) = deferred.or(unknown_revocation) {
            return Err(e);
        }
        let ee_key = &ee.cert.subject_public_key_info;
        merge_weak(&mut weak, key_strength(ee_key));
        revocation.reverse();
        Ok(ValidPath {
            chain: path.iter().map(|&i| self.infos[i].cert.clone()).collect(),
            anchor: anchor.clone(),
            weak,
            revocation_checked,
            revocation,
            policies: Vec::new(),
            warnings,
        })
    }

    /// Other keys that may have signed CRLs issued by `name` (RFC 5280 §6.3.3 (f)): the
    /// anchor's when it has that name, and certificates with that subject whose keyUsage
    /// (if present) has cRLSign -- a separate CRL-signing key of the issuer (PKITS 4.4.19-21)
    /// or an indirect CRL issuer named by a cRLIssuer (PKITS 4.14.24-35). Each certificate is
    /// validated to the same anchor with its own revocation checked; only those that
    /// validate are returned. `exclude` is the path's issuer (its key is already known).
    /// A certificate whose validation as a CRL signer is in progress up the call stack
    /// signs for itself (PKITS 4.14.30: a CRL issuer covered by its own CRL) and is not
    /// validated again.
    fn crl_signers(&mut self, name: &NameKey, exclude: usize, anchor: usize) -> Vec<CrlSigner> {
        let mut out = Vec::new();
        if exclude != self.infos.len() + anchor && &self.anchor_keys[anchor] == name {
            let a = &self.opts.anchors[anchor];
            out.push(CrlSigner {
                spki: a.spki.clone(),
                may_sign_crls: a.may_sign_crls(),
            });
        }
        for (k, spki) in &self.pending {
            if k == name {
                out.push(CrlSigner {
                    spki: spki.clone(),
                    may_sign_crls: true,
                });
            }
        }
        let cands: Vec<usize> = (1..self.infos.len())
            .filter(|&i| i != exclude && &self.infos[i].subject == name)
            .filter(|&i| ku_allows(self.infos[i].ku, key_usage::CRL_SIGN))
            .filter(|&i| {
                let key = &self.infos[i].cert.subject_public_key_info;
                !self.pending.iter().any(|(_, p)| p == key)
            })
            .collect();
        if cands.is_empty() || self.crl_depth >= MAX_CRL_SIGNER_DEPTH {
            return out;
        }
        for c in cands {
            let cert = self.infos[c].cert;
            let sub_opts = PathOptions {
                time: self.opts.time,
                anchors: core::slice::from_ref(&self.opts.anchors[anchor]),
                intermediates: self.opts.intermediates,
                crls: self.opts.crls,
                policy: PolicySettings::default(),
                usage: RequiredUsage::None,
                budget: self.budget,
                require_revocation: self.opts.require_revocation,
                offload: self.opts.offload,
                strict: self.opts.strict,
                online: self.opts.online,
            };
            let mut pending = self.pending.clone();
            pending.push((name.clone(), cert.subject_public_key_info.clone()));
            let (res, used) = validate_inner(cert, &sub_opts, self.crl_depth + 1, pending);
            // Failed candidates are charged too.
            self.budget = used;
            if let Ok(vp) = res {
                out.push(CrlSigner {
                    spki: vp.chain[0].subject_public_key_info.clone(),
                    may_sign_crls: true,
                });
            }
        }
        out
    }
}

/// The path validator's side of CRL checking for one certificate: the keys that may sign
/// its CRLs and the shared signature budget.
struct PathCrlEnv<'s, 'a, 'c> {
    search: &'s mut Search<'a, 'c>,
    /// The certificate's issuer (name and key from the path).
    issuer: NameKey,
    issuer_signer: CrlSigner,
    /// Index of the issuer in `search.infos` (or `infos.len() + anchor`).
    issuer_id: usize,
    anchor: usize,
}

impl<'a: 'c, 'c> crl::CrlEnv for PathCrlEnv<'_, 'a, 'c> {
    fn signers(&mut self, crl_issuer: &NameKey) -> Vec<CrlSigner> {
        let mut out = Vec::new();
        if *crl_issuer == self.issuer {
            out.push(self.issuer_signer.clone());
        }
        out.extend(
            self.search
                .crl_signers(crl_issuer, self.issuer_id, self.anchor),
        );
        out
    }

    fn take_signature_check(&mut self) -> bool {
        self.search.take_sig().is_ok()
    }

    fn offload(&self) -> Option<&super::offload::Offload> {
        self.search.opts.offload
    }
}

fn policy_err(f: PolicyFailure, subject: &str) -> PathError {
    PathError::Policy {
        detail: match f {
            PolicyFailure::NoValidPolicy { .. } => {
                format!("no acceptable certificate policy ({subject})")
            }
            PolicyFailure::AnyPolicyMapped => format!("policy mapping of anyPolicy ({subject})"),
            PolicyFailure::TooManyNodes => "policy tree too large".into(),
        },
    }
}

/// Weakness of a key by itself (RSA size; DSA).
fn key_strength(spki: &SubjectPublicKeyInfo) -> Strength {
    if spki.algorithm.oid == algs::oids::DSA {
        return Strength::Weak(WeakReason::Dsa);
    }
    if spki.algorithm.oid == algs::oids::RSA_ENCRYPTION {
        if let Some(bits) = spki
            .subject_public_key
            .as_bytes()
            .and_then(|b| algs::rsa_public_key(b).ok())
            .map(|(m, _)| m.len() * 8 - m.first().map_or(0, |b| b.leading_zeros() as usize))
        {
            if bits < algs::MIN_RSA_BITS {
                return Strength::Weak(WeakReason::RsaKeyTooSmall { bits });
            }
        }
    }
    Strength::Strong
}

/// Find and validate a path from `end_entity` to one of `opts.anchors`.
pub fn validate(end_entity: &Certificate, opts: &PathOptions) -> Result<ValidPath, PathError> {
    validate_inner(end_entity, opts, 0, Vec::new()).0
}

/// [`validate`] at CRL-signer depth `crl_depth`, with the CRL-signer certificates being
/// validated up the stack (`pending`: subject and key); also returns the budget left.
fn validate_inner(
    end_entity: &Certificate,
    opts: &PathOptions,
    crl_depth: u32,
    pending: Vec<(NameKey, SubjectPublicKeyInfo)>,
) -> (Result<ValidPath, PathError>, Budget) {
    if opts.intermediates.len() > MAX_CERTS || opts.crls.len() > MAX_CERTS {
        return (Err(PathError::TooManyCerts), opts.budget);
    }
    let mut infos = vec![Info::new(end_entity)];
    infos.extend(opts.intermediates.iter().map(Info::new));
    let mut search = Search {
        opts,
        infos,
        anchor_keys: opts
            .anchors
            .iter()
            .map(|a| names::name_key(&a.subject))
            .collect(),
        budget: opts.budget,
        sig_cache: Vec::new(),
        best: None,
        crl_depth,
        pending,
        missing: Vec::new(),
        responder_crls: Vec::new(),
    };
    let mut path = vec![0usize];
    let res = match search.build(&mut path) {
        Err(e) => Err(e),
        Ok(Some(vp)) => Ok(vp),
        Ok(None) => Err(search.best.take().unwrap_or_else(|| {
            let ee = &search.infos[0];
            if ee.self_issued() {
                PathError::SelfSignedUntrusted
            } else {
                PathError::UnknownIssuer {
                    issuer: super::names::display(&end_entity.issuer),
                    ca_issuers: std::mem::take(&mut search.missing),
                }
            }
        })),
    };
    (res, search.budget)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_orders_specific_over_generic() {
        let unknown = PathError::UnknownIssuer {
            issuer: "x".into(),
            ca_issuers: Vec::new(),
        };
        let bad = PathError::BadSignature {
            subject: "x".into(),
        };
        let expired = PathError::Expired {
            not_after: 0,
            time: 1,
            subject: "x".into(),
        };
        let revoked = PathError::Revoked {
            source: "crl",
            serial: "01".into(),
            reason: None,
            date: 0,
            subject: "x".into(),
        };
        assert!(unknown.rank() < bad.rank());
        assert!(bad.rank() < expired.rank());
        assert!(expired.rank() < revoked.rank());
        assert!(
            PathError::ExtKeyUsage {
                subject: "x".into()
            }
            .rank()
                > expired.rank()
        );
    }
}
