//! Trust anchors: the embedded Mozilla root store for e-mail, and parsing of user roots,
//! intermediates and CRLs (PEM, RFC 7468, or DER).
//!
//! The builtin bundle (`roots/builtin.bin`) is generated from Mozilla NSS `certdata.txt` by
//! the generator in `tests/smime_path.rs` (`builtin_bundle_is_up_to_date`; rerun it with
//! `IMPALEMAIL_REGEN_ROOTS=1 cargo test --test smime_path builtin_bundle`): the roots whose
//! trust object has `CKA_TRUST_EMAIL_PROTECTION CKT_NSS_TRUSTED_DELEGATOR`, with
//! `CKA_NSS_EMAIL_DISTRUST_AFTER` when set. To keep the wasm small it holds only what an
//! anchor needs (RFC 5280 §6.1.1 (d)), not whole certificates.
//!
//! Blob format (all integers big-endian): `"IMRT"`, u8 format version (1), u8 length +
//! store version (UTF-8), u16 count; then per anchor: u16 length + label (UTF-8), 32-byte
//! SHA-256 fingerprint, u8 flag + u64 distrust-after (unix seconds, present when flag = 1),
//! u64 notAfter, u16 length + subject DER, u16 length + SPKI DER, u16 length + name
//! constraints extension value DER (length 0 = none).

use std::sync::OnceLock;

use base64::Engine;
use serde::Serialize;

use super::x509::{self, Certificate, CertificateList, Name, SubjectPublicKeyInfo};

use super::path::{common_name, AnchorSource, TrustAnchor};

/// The NSS root store release the bundle was generated from.
pub const BUILTIN_STORE_VERSION: &str = "NSS builtins 2.86";
/// Number of builtin e-mail anchors.
pub const BUILTIN_COUNT: usize = 90;
/// The bundle bytes (format in the module docs).
pub const BUILTIN_BUNDLE: &[u8] = include_bytes!("roots/builtin.bin");
/// Most certificates accepted from one PEM input.
pub const MAX_PEM_CERTS: usize = 64;
/// Largest PEM/DER input accepted, in bytes.
pub const MAX_INPUT_BYTES: usize = 1 << 20;

/// Errors from parsing certificates, CRLs and the bundle.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrustError {
    /// Neither DER nor PEM with the expected label.
    NotPemOrDer,
    /// The DER inside could not be parsed.
    Malformed {
        /// Detail.
        detail: String,
    },
    /// No certificate (or CRL) found in the input.
    Empty,
    /// More than [`MAX_PEM_CERTS`] certificates, or more than [`MAX_INPUT_BYTES`] bytes.
    TooLarge,
    /// The embedded bundle is corrupt (a build problem).
    BadBundle,
}

impl core::fmt::Display for TrustError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            TrustError::NotPemOrDer => f.write_str("not a PEM or DER certificate/CRL"),
            TrustError::Malformed { detail } => write!(f, "malformed: {detail}"),
            TrustError::Empty => f.write_str("no certificate or CRL found"),
            TrustError::TooLarge => f.write_str("input too large"),
            TrustError::BadBundle => f.write_str("embedded root bundle is corrupt"),
        }
    }
}

impl std::error::Error for TrustError {}

/// One decoded record of the bundle (used by the generator test too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleEntry {
    /// CKA_LABEL.
    pub label: String,
    /// SHA-256 of the certificate.
    pub fingerprint_sha256: [u8; 32],
    /// CKA_NSS_EMAIL_DISTRUST_AFTER, unix seconds.
    pub distrust_after: Option<u64>,
    /// Certificate notAfter, unix seconds.
    pub not_after: u64,
    /// Subject name DER.
    pub subject_der: Vec<u8>,
    /// SubjectPublicKeyInfo DER.
    pub spki_der: Vec<u8>,
    /// NameConstraints DER (extension value), empty when none.
    pub name_constraints_der: Vec<u8>,
}

/// Encode a bundle (the generator's output format).
pub fn encode_bundle(version: &str, entries: &[BundleEntry]) -> Vec<u8> {
    let mut out = b"IMRT\x01".to_vec();
    out.push(version.len() as u8);
    out.extend_from_slice(version.as_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_be_bytes());
    let put = |out: &mut Vec<u8>, b: &[u8]| {
        out.extend_from_slice(&(b.len() as u16).to_be_bytes());
        out.extend_from_slice(b);
    };
    for e in entries {
        put(&mut out, e.label.as_bytes());
        out.extend_from_slice(&e.fingerprint_sha256);
        match e.distrust_after {
            Some(t) => {
                out.push(1);
                out.extend_from_slice(&t.to_be_bytes());
            }
            None => out.push(0),
        }
        out.extend_from_slice(&e.not_after.to_be_bytes());
        put(&mut out, &e.subject_der);
        put(&mut out, &e.spki_der);
        put(&mut out, &e.name_constraints_der);
    }
    out
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], TrustError> {
        if self.0.len() < n {
            return Err(TrustError::BadBundle);
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Ok(a)
    }
    fn u8(&mut self) -> Result<u8, TrustError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<usize, TrustError> {
        let b = self.take(2)?;
        Ok(usize::from(u16::from_be_bytes([b[0], b[1]])))
    }
    fn u64(&mut self) -> Result<u64, TrustError> {
        let mut a = [0u8; 8];
        a.copy_from_slice(self.take(8)?);
        Ok(u64::from_be_bytes(a))
    }
    fn bytes16(&mut self) -> Result<&'a [u8], TrustError> {
        let n = self.u16()?;
        self.take(n)
    }
}

/// Decode a bundle: (store version, entries).
pub fn decode_bundle(blob: &[u8]) -> Result<(String, Vec<BundleEntry>), TrustError> {
    let mut r = Reader(blob);
    if r.take(5)? != b"IMRT\x01" {
        return Err(TrustError::BadBundle);
    }
    let vlen = usize::from(r.u8()?);
    let version = String::from_utf8(r.take(vlen)?.to_vec()).map_err(|_| TrustError::BadBundle)?;
    let count = r.u16()?;
    let mut entries = Vec::with_capacity(count);
    for _ in 0..count {
        let label = String::from_utf8(r.bytes16()?.to_vec()).map_err(|_| TrustError::BadBundle)?;
        let mut fp = [0u8; 32];
        fp.copy_from_slice(r.take(32)?);
        let distrust_after = match r.u8()? {
            0 => None,
            _ => Some(r.u64()?),
        };
        let not_after = r.u64()?;
        entries.push(BundleEntry {
            label,
            fingerprint_sha256: fp,
            distrust_after,
            not_after,
            subject_der: r.bytes16()?.to_vec(),
            spki_der: r.bytes16()?.to_vec(),
            name_constraints_der: r.bytes16()?.to_vec(),
        });
    }
    if !r.0.is_empty() {
        return Err(TrustError::BadBundle);
    }
    Ok((version, entries))
}

fn entry_to_anchor(e: &BundleEntry) -> Result<TrustAnchor, TrustError> {
    let bad = |_| TrustError::BadBundle;
    Ok(TrustAnchor {
        subject: Name::from_der(&e.subject_der).map_err(bad)?,
        subject_der: e.subject_der.clone(),
        spki: SubjectPublicKeyInfo::from_der(&e.spki_der).map_err(bad)?,
        name_constraints: if e.name_constraints_der.is_empty() {
            None
        } else {
            Some(x509::parse_name_constraints(&e.name_constraints_der).map_err(bad)?)
        },
        fingerprint_sha256: e.fingerprint_sha256,
        distrust_after: e.distrust_after,
        source: AnchorSource::Builtin,
        label: e.label.clone(),
        not_after: Some(super::asn1::signed_time(e.not_after)),
        certificate: None,
    })
}

/// The builtin e-mail trust anchors, decoded once. Entries that fail to decode are left
/// out (a test asserts there are [`BUILTIN_COUNT`]).
pub fn builtin_anchors() -> &'static [TrustAnchor] {
    static ANCHORS: OnceLock<Vec<TrustAnchor>> = OnceLock::new();
    ANCHORS.get_or_init(|| match decode_bundle(BUILTIN_BUNDLE) {
        Ok((_, entries)) => entries
            .iter()
            .filter_map(|e| entry_to_anchor(e).ok())
            .collect(),
        Err(_) => Vec::new(),
    })
}

/// The base64 bodies of the PEM blocks labelled `label` (RFC 7468), tolerant of CRLF and
/// text around the blocks.
fn pem_blocks(text: &str, label: &str) -> Result<Vec<Vec<u8>>, TrustError> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(&begin) {
        let after = &rest[i + begin.len()..];
        let j = after.find(&end).ok_or(TrustError::NotPemOrDer)?;
        let body: String = after[..j]
            .lines()
            .filter(|l| !l.contains(':'))
            .flat_map(|l| l.chars())
            .filter(|c| !c.is_whitespace())
            .collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(body.as_bytes())
            .map_err(|e| TrustError::Malformed {
                detail: format!("PEM base64: {e}"),
            })?;
        out.push(der);
        if out.len() > MAX_PEM_CERTS {
            return Err(TrustError::TooLarge);
        }
        rest = &after[j + end.len()..];
    }
    Ok(out)
}

/// Parse one or more certificates: PEM (`CERTIFICATE` blocks) or a single DER certificate.
pub fn parse_cert_pem_or_der(bytes: &[u8]) -> Result<Vec<Certificate>, TrustError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(TrustError::TooLarge);
    }
    if bytes.first() == Some(&0x30) {
        return Certificate::from_der(bytes)
            .map(|c| vec![c])
            .map_err(|e| TrustError::Malformed {
                detail: e.to_string(),
            });
    }
    let text = core::str::from_utf8(bytes).map_err(|_| TrustError::NotPemOrDer)?;
    let mut blocks = pem_blocks(text, "CERTIFICATE")?;
    blocks.extend(pem_blocks(text, "X509 CERTIFICATE")?);
    if blocks.is_empty() {
        return Err(TrustError::Empty);
    }
    blocks
        .iter()
        .map(|d| {
            Certificate::from_der(d).map_err(|e| TrustError::Malformed {
                detail: e.to_string(),
            })
        })
        .collect()
}

/// Parse a CRL: PEM (`X509 CRL`) or DER.
pub fn parse_crl_pem_or_der(bytes: &[u8]) -> Result<CertificateList, TrustError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(TrustError::TooLarge);
    }
    let der = if bytes.first() == Some(&0x30) {
        bytes.to_vec()
    } else {
        let text = core::str::from_utf8(bytes).map_err(|_| TrustError::NotPemOrDer)?;
        pem_blocks(text, "X509 CRL")?
            .into_iter()
            .next()
            .ok_or(TrustError::Empty)?
    };
    CertificateList::from_der(&der).map_err(|e| TrustError::Malformed {
        detail: e.to_string(),
    })
}

/// What the options page shows about a root before the user imports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnchorInfo {
    /// Subject DN (RFC 4514 string).
    pub subject: String,
    /// Subject commonName, if any.
    pub common_name: Option<String>,
    /// Issuer DN.
    pub issuer: String,
    /// SHA-256 of the certificate DER, uppercase hex with colons.
    pub fingerprint_sha256: String,
    /// notBefore, unix seconds.
    pub not_before: i64,
    /// notAfter, unix seconds.
    pub not_after: i64,
    /// Whether it is a CA certificate (basicConstraints cA).
    pub is_ca: bool,
    /// Whether subject = issuer (a root).
    pub self_issued: bool,
    /// Serial, hex.
    pub serial: String,
}

/// Colon-separated uppercase hex.
pub fn hex_colon(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

impl AnchorInfo {
    /// Describe a certificate for the import preview.
    pub fn from_cert(cert: &Certificate) -> AnchorInfo {
        use sha2::Digest;
        let is_ca = cert
            .extensions
            .iter()
            .filter(|e| e.extn_id == x509::ids::BASIC_CONSTRAINTS)
            .filter_map(|e| x509::parse_basic_constraints(&e.extn_value).ok())
            .any(|b| b.ca);
        AnchorInfo {
            subject: super::names::display(&cert.subject),
            common_name: common_name(&cert.subject),
            issuer: super::names::display(&cert.issuer),
            fingerprint_sha256: hex_colon(&sha2::Sha256::digest(&cert.der)),
            not_before: cert.not_before,
            not_after: cert.not_after,
            is_ca,
            self_issued: cert.subject.rdns == cert.issuer.rdns,
            serial: cert
                .serial_number
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
        }
    }
}
