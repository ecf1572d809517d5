//! CMS `SignedData` (RFC 5652 §5) from DER or BER, with the encapsulated content borrowed.
//!
//! ```text
//! ContentInfo ::= SEQUENCE { contentType OBJECT IDENTIFIER, content [0] EXPLICIT ANY }
//! SignedData ::= SEQUENCE {
//!   version CMSVersion, digestAlgorithms SET OF DigestAlgorithmIdentifier,
//!   encapContentInfo EncapsulatedContentInfo,
//!   certificates [0] IMPLICIT CertificateSet OPTIONAL,
//!   crls [1] IMPLICIT RevocationInfoChoices OPTIONAL,
//!   signerInfos SET OF SignerInfo }
//! EncapsulatedContentInfo ::= SEQUENCE {
//!   eContentType ContentType, eContent [0] EXPLICIT OCTET STRING OPTIONAL }
//! ```
//!
//! Real opaque S/MIME mail uses BER indefinite lengths and chunked (constructed) OCTET
//! STRINGs, which the `der` crate refuses. So the outer layers are walked here with a small
//! BER reader (depth-limited), the eContent octets are borrowed (or concatenated once when
//! chunked), and each certificate, CRL and `SignerInfo` is normalised to DER and handed to the
//! RustCrypto types. The signed attributes are kept as bytes re-tagged as `SET OF`
//! (RFC 5652 §5.4), in the order the signer wrote them, for the signature check.

use std::borrow::Cow;

use const_oid::ObjectIdentifier;

use super::asn1::{self, tag, Any, Der, DerResult};
use super::x509::{self, AlgorithmIdentifier, Certificate, CertificateList, Name};

/// Deepest BER nesting accepted while normalising (certificates nest about 10 levels).
pub const MAX_BER_DEPTH: usize = 64;
/// Most certificates accepted in one `SignedData`.
pub const MAX_CERTIFICATES: usize = 64;
/// Most CRLs accepted in one `SignedData`.
pub const MAX_CRLS: usize = 64;
/// Most `SignerInfo`s accepted in one `SignedData` (each costs a signature check).
pub const MAX_SIGNERS: usize = 16;

/// id-signedData (RFC 5652 §5.1).
pub const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
/// id-data (RFC 5652 §4).
pub const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
/// id-envelopedData (RFC 5652 §6.1).
pub const ID_ENVELOPED_DATA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.3");
/// id-ct-authEnvelopedData (RFC 5083 §2.1).
pub const ID_AUTH_ENVELOPED_DATA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.23");
/// id-contentType signed attribute (RFC 5652 §11.1).
pub const ID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
/// id-messageDigest signed attribute (RFC 5652 §11.2).
pub const ID_MESSAGE_DIGEST: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
/// id-signingTime signed attribute (RFC 5652 §11.3).
pub const ID_SIGNING_TIME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");

/// Why a CMS blob is not a usable `SignedData`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CmsError {
    /// Not valid BER/DER, or not the expected structure; `what` says where.
    Malformed {
        /// What is wrong.
        what: String,
    },
    /// Well-formed CMS, but not `SignedData` (e.g. enveloped or compressed data).
    NotSignedData {
        /// The content type, named.
        content_type: String,
    },
    /// A limit was hit (BER depth, certificates, CRLs, signers).
    LimitExceeded {
        /// Which limit, e.g. "certificates per message (64)".
        which: String,
    },
}

impl std::fmt::Display for CmsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Malformed { what } => write!(f, "malformed CMS: {what}"),
            Self::NotSignedData { content_type } => {
                write!(f, "CMS content is {content_type}, not signed data")
            }
            Self::LimitExceeded { which } => write!(f, "limit exceeded: {which}"),
        }
    }
}

impl std::error::Error for CmsError {}

fn malformed(what: impl Into<String>) -> CmsError {
    CmsError::Malformed { what: what.into() }
}

/// `SignerIdentifier` (RFC 5652 §5.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignerIdentifier {
    /// `issuerAndSerialNumber`.
    IssuerAndSerialNumber {
        /// The issuer's name.
        issuer: Name,
        /// The serial number's contents octets.
        serial_number: Vec<u8>,
    },
    /// `[0] subjectKeyIdentifier`.
    SubjectKeyIdentifier(Vec<u8>),
}

/// `Attribute ::= SEQUENCE { attrType OID, attrValues SET OF AttributeValue }`
/// (RFC 5652 §5.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// The attribute type.
    pub oid: ObjectIdentifier,
    /// Its values, in DER (sorted) order.
    pub values: Vec<Any>,
}

/// `SignerInfo` (RFC 5652 §5.3), decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerInfo {
    /// `sid`.
    pub sid: SignerIdentifier,
    /// `digestAlgorithm`.
    pub digest_alg: AlgorithmIdentifier,
    /// `signedAttrs`.
    pub signed_attrs: Option<Vec<Attribute>>,
    /// `signatureAlgorithm`.
    pub signature_algorithm: AlgorithmIdentifier,
    /// `signature`.
    pub signature: Vec<u8>,
    /// `unsignedAttrs`.
    pub unsigned_attrs: Option<Vec<Attribute>>,
}

/// Reads `SET OF Attribute` contents (a non-empty set; each attribute with a non-empty set of
/// values; sets in DER order with no duplicates, as the cms crate required).
fn read_attributes(value: &[u8]) -> DerResult<Vec<Attribute>> {
    let mut d = Der::new(value);
    let mut out: Vec<(&[u8], Attribute)> = Vec::new();
    while !d.is_empty() {
        let a = d.any()?;
        if a.tag != tag::SEQUENCE {
            return Err(asn1::DerError("expected an Attribute"));
        }
        let mut s = Der::new(a.value);
        let oid = s.oid()?;
        let mut set = s.nested(tag::SET, "expected attribute values")?;
        s.finish("unexpected data in an Attribute")?;
        let mut values: Vec<(&[u8], Any)> = Vec::new();
        while !set.is_empty() {
            let v = set.any()?;
            values.push((v.raw, Any::from_tlv(&v)));
        }
        let values = asn1::set_of(values, "duplicate attribute value")?;
        out.push((a.raw, Attribute { oid, values }));
    }
    asn1::set_of(out, "duplicate attribute")
}

impl SignerInfo {
    /// Parses a DER `SignerInfo`.
    pub fn from_der(der: &[u8]) -> DerResult<SignerInfo> {
        asn1::parse_whole(der, tag::SEQUENCE, "expected a SignerInfo", |s| {
            // CMSVersion: 0-5 (RFC 5652 §10.2.5).
            if asn1::small_uint(s.integer()?)? > 5 {
                return Err(asn1::DerError("unknown CMSVersion"));
            }
            let sid = match s.peek_tag() {
                Some(tag::SEQUENCE) => {
                    let mut ias = s.nested(tag::SEQUENCE, "expected IssuerAndSerialNumber")?;
                    let issuer = Name::read(&mut ias)?;
                    let serial_number = ias.integer()?.to_vec();
                    ias.finish("unexpected data in IssuerAndSerialNumber")?;
                    if serial_number.len() > x509::MAX_SERIAL_BYTES {
                        return Err(asn1::DerError("serial number longer than 20 octets"));
                    }
                    SignerIdentifier::IssuerAndSerialNumber {
                        issuer,
                        serial_number,
                    }
                }
                Some(0x80) => SignerIdentifier::SubjectKeyIdentifier(s.any()?.value.to_vec()),
                _ => return Err(asn1::DerError("unknown SignerIdentifier")),
            };
            let digest_alg = AlgorithmIdentifier::read(s)?;
            let signed_attrs = match s.optional(tag::context_constructed(0))? {
                Some(t) => Some(read_attributes(t.value)?),
                None => None,
            };
            let signature_algorithm = AlgorithmIdentifier::read(s)?;
            let signature = s.octet_string()?.to_vec();
            let unsigned_attrs = match s.optional(tag::context_constructed(1))? {
                Some(t) => Some(read_attributes(t.value)?),
                None => None,
            };
            Ok(SignerInfo {
                sid,
                digest_alg,
                signed_attrs,
                signature_algorithm,
                signature,
                unsigned_attrs,
            })
        })
    }
}

/// One signer: the decoded `SignerInfo` and its signed attributes as signed.
#[derive(Debug, Clone)]
pub struct Signer {
    /// The decoded `SignerInfo`.
    pub info: SignerInfo,
    /// The `signedAttrs` encoding with its `[0]` tag replaced by `SET OF` (0x31): the bytes
    /// the signature covers (RFC 5652 §5.4). `None` when there are no signed attributes.
    pub signed_attrs_der: Option<Vec<u8>>,
}

/// A parsed `SignedData`.
#[derive(Debug, Clone)]
pub struct SignedData<'a> {
    /// `encapContentInfo.eContentType`.
    pub econtent_type: ObjectIdentifier,
    /// `eContent` octets: borrowed when primitive, concatenated when chunked.
    pub econtent: Option<Cow<'a, [u8]>>,
    /// `digestAlgorithms`.
    pub digest_algorithms: Vec<AlgorithmIdentifier>,
    /// X.509 certificates (other certificate formats are skipped and counted).
    pub certificates: Vec<Certificate>,
    /// Certificate entries that are not X.509 v3 (attribute certs, other formats).
    pub other_certificates: usize,
    /// CRLs (other revocation formats are skipped).
    pub crls: Vec<CertificateList>,
    /// Signer infos.
    pub signers: Vec<Signer>,
}

/// Limits applied while parsing; the defaults are the named constants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CmsLimits {
    /// See [`MAX_CERTIFICATES`].
    pub max_certificates: usize,
    /// See [`MAX_CRLS`].
    pub max_crls: usize,
    /// See [`MAX_SIGNERS`].
    pub max_signers: usize,
}

impl Default for CmsLimits {
    fn default() -> Self {
        Self {
            max_certificates: MAX_CERTIFICATES,
            max_crls: MAX_CRLS,
            max_signers: MAX_SIGNERS,
        }
    }
}

/// Parses a `ContentInfo` holding `SignedData`, DER or BER.
pub fn parse_signed_data<'a>(
    input: &'a [u8],
    limits: &CmsLimits,
) -> Result<SignedData<'a>, CmsError> {
    let (ci, _trailing) = read_tlv(input, 0)?;
    if ci.tag != 0x30 {
        return Err(malformed("ContentInfo is not a SEQUENCE"));
    }
    let items = children(&ci, input, 0)?;
    let oid = items
        .first()
        .filter(|t| t.tag == 0x06)
        .ok_or_else(|| malformed("ContentInfo has no contentType"))?;
    let ct = ObjectIdentifier::from_bytes(oid.value(input))
        .map_err(|_| malformed("bad contentType OID"))?;
    if ct != ID_SIGNED_DATA {
        return Err(CmsError::NotSignedData {
            content_type: content_type_name(&ct),
        });
    }
    let explicit = items
        .get(1)
        .filter(|t| t.tag == 0xA0)
        .ok_or_else(|| malformed("ContentInfo has no [0] content"))?;
    let inner = children(explicit, input, 1)?;
    let sd = inner
        .first()
        .filter(|t| t.tag == 0x30)
        .ok_or_else(|| malformed("SignedData is not a SEQUENCE"))?;
    let f = children(sd, input, 2)?;
    let mut i = 0;
    let next = |i: &mut usize| {
        let t = f.get(*i);
        *i += 1;
        t
    };
    // version
    match next(&mut i) {
        Some(t) if t.tag == 0x02 => {}
        _ => return Err(malformed("SignedData.version missing")),
    }
    let digest_set = match next(&mut i) {
        Some(t) if t.tag == 0x31 => t,
        _ => return Err(malformed("SignedData.digestAlgorithms missing")),
    };
    let mut digest_algorithms = Vec::new();
    for d in children(digest_set, input, 3)? {
        let der = to_der(&d, input, 0)?;
        // An unparseable or unknown digest algorithm here only matters if a signer uses it.
        if let Ok(a) = AlgorithmIdentifier::from_der(&der) {
            digest_algorithms.push(a);
        }
    }
    let encap = match next(&mut i) {
        Some(t) if t.tag == 0x30 => t,
        _ => return Err(malformed("SignedData.encapContentInfo missing")),
    };
    let ef = children(encap, input, 3)?;
    let et = ef
        .first()
        .filter(|t| t.tag == 0x06)
        .ok_or_else(|| malformed("eContentType missing"))?;
    let econtent_type = ObjectIdentifier::from_bytes(et.value(input))
        .map_err(|_| malformed("bad eContentType OID"))?;
    let econtent = match ef.get(1) {
        None => None,
        Some(t) if t.tag == 0xA0 => {
            let inner = children(t, input, 4)?;
            let o = inner
                .first()
                .ok_or_else(|| malformed("empty eContent [0]"))?;
            Some(match o.tag {
                0x04 => Cow::Borrowed(o.value(input)),
                0x24 => {
                    let mut buf = Vec::new();
                    concat_octets(o, input, &mut buf, 5)?;
                    Cow::Owned(buf)
                }
                // PKCS #7 v1.5 (RFC 5652 §5.2.1): content other than data is the structure
                // itself; the digest covers its contents octets.
                _ => {
                    let der = to_der(o, input, 0)?;
                    let (t, _) = read_tlv(&der, 0)?;
                    Cow::Owned(t.value(&der).to_vec())
                }
            })
        }
        Some(_) => return Err(malformed("eContent is not [0] EXPLICIT")),
    };
    let mut certificates = Vec::new();
    let mut other_certificates = 0;
    let mut crls = Vec::new();
    let mut t = next(&mut i);
    if let Some(c) = t.filter(|t| t.tag == 0xA0) {
        for cert in children(c, input, 3)? {
            if certificates.len() + other_certificates >= limits.max_certificates {
                return Err(CmsError::LimitExceeded {
                    which: format!("certificates per message ({})", limits.max_certificates),
                });
            }
            if cert.tag == 0x30 {
                let der = to_der(&cert, input, 0)?;
                let c = Certificate::from_der(&der)
                    .map_err(|e| malformed(format!("certificate: {e}")))?;
                certificates.push(c);
            } else {
                other_certificates += 1;
            }
        }
        t = next(&mut i);
    }
    if let Some(c) = t.filter(|t| t.tag == 0xA1) {
        for crl in children(c, input, 3)? {
            if crls.len() >= limits.max_crls {
                return Err(CmsError::LimitExceeded {
                    which: format!("CRLs per message ({})", limits.max_crls),
                });
            }
            if crl.tag == 0x30 {
                let der = to_der(&crl, input, 0)?;
                let c =
                    CertificateList::from_der(&der).map_err(|e| malformed(format!("CRL: {e}")))?;
                crls.push(c);
            }
        }
        t = next(&mut i);
    }
    let signer_set = match t {
        Some(t) if t.tag == 0x31 => t,
        _ => return Err(malformed("SignedData.signerInfos missing")),
    };
    let mut signers = Vec::new();
    for s in children(signer_set, input, 3)? {
        if signers.len() >= limits.max_signers {
            return Err(CmsError::LimitExceeded {
                which: format!("signers per message ({})", limits.max_signers),
            });
        }
        let der = to_der(&s, input, 0)?;
        let info = SignerInfo::from_der(&der).map_err(|e| malformed(format!("SignerInfo: {e}")))?;
        let signed_attrs_der = {
            let (st, _) = read_tlv(&der, 0)?;
            let sf = children(&st, &der, 1)?;
            match sf.get(3).filter(|a| a.tag == 0xA0) {
                Some(a) => {
                    let mut v = der[a.start..a.end].to_vec();
                    v[0] = 0x31;
                    Some(v)
                }
                None => None,
            }
        };
        signers.push(Signer {
            info,
            signed_attrs_der,
        });
    }
    Ok(SignedData {
        econtent_type,
        econtent,
        digest_algorithms,
        certificates,
        other_certificates,
        crls,
        signers,
    })
}

/// Whether `cert` is the certificate a `SignerIdentifier` names (RFC 5652 §5.3): by issuer
/// and serial number, or by subjectKeyIdentifier extension.
pub fn signer_matches(sid: &SignerIdentifier, cert: &Certificate) -> bool {
    match sid {
        SignerIdentifier::IssuerAndSerialNumber {
            issuer,
            serial_number,
        } => *serial_number == cert.serial_number && issuer.rdns == cert.issuer.rdns,
        SignerIdentifier::SubjectKeyIdentifier(ski) => cert.extensions.iter().any(|e| {
            e.extn_id == x509::ids::SUBJECT_KEY_IDENTIFIER
                && x509::parse_key_identifier(&e.extn_value).is_ok_and(|k| k == *ski)
        }),
    }
}

/// A name for a CMS content type (RFC 5652 §4-§9, RFC 3274).
pub fn content_type_name(oid: &ObjectIdentifier) -> String {
    match oid.to_string().as_str() {
        "1.2.840.113549.1.7.1" => "data".into(),
        "1.2.840.113549.1.7.2" => "signed data".into(),
        "1.2.840.113549.1.7.3" => "enveloped (encrypted) data".into(),
        "1.2.840.113549.1.7.5" => "digested data".into(),
        "1.2.840.113549.1.7.6" => "encrypted data".into(),
        "1.2.840.113549.1.9.16.1.2" => "authenticated data".into(),
        "1.2.840.113549.1.9.16.1.9" => "compressed data".into(),
        "1.2.840.113549.1.9.16.1.23" => "authenticated-enveloped data".into(),
        other => format!("content type {other}"),
    }
}

/// One BER element: tag byte, where it starts and ends in its buffer, where its value is.
#[derive(Debug, Clone, Copy)]
struct Tlv {
    tag: u8,
    start: usize,
    value_start: usize,
    /// End of the value (before the end-of-contents octets of an indefinite length).
    value_end: usize,
    /// End of the whole element.
    end: usize,
    indefinite: bool,
}

impl Tlv {
    fn value<'b>(&self, buf: &'b [u8]) -> &'b [u8] {
        &buf[self.value_start..self.value_end]
    }
    fn constructed(&self) -> bool {
        self.tag & 0x20 != 0
    }
}

/// Reads one element at the start of `input`, returning it (offsets relative to `input`)
/// and the offset after it.
fn read_tlv(input: &[u8], depth: usize) -> Result<(Tlv, usize), CmsError> {
    read_tlv_at(input, 0, input.len(), depth)
}

fn read_tlv_at(
    buf: &[u8],
    pos: usize,
    limit: usize,
    depth: usize,
) -> Result<(Tlv, usize), CmsError> {
    if depth > MAX_BER_DEPTH {
        return Err(CmsError::LimitExceeded {
            which: format!("BER nesting depth ({MAX_BER_DEPTH})"),
        });
    }
    let truncated = || malformed("truncated BER element");
    let tag = *buf.get(pos).filter(|_| pos < limit).ok_or_else(truncated)?;
    if tag & 0x1f == 0x1f {
        return Err(malformed("multi-byte BER tags are not used in CMS"));
    }
    let first = *buf
        .get(pos + 1)
        .filter(|_| pos + 1 < limit)
        .ok_or_else(truncated)?;
    let mut p = pos + 2;
    let len = if first == 0x80 {
        None
    } else if first & 0x80 == 0 {
        Some(first as usize)
    } else {
        let n = (first & 0x7f) as usize;
        if n > 4 {
            return Err(malformed("BER length too large"));
        }
        let mut l = 0usize;
        for _ in 0..n {
            let b = *buf.get(p).filter(|_| p < limit).ok_or_else(truncated)?;
            l = (l << 8) | b as usize;
            p += 1;
        }
        Some(l)
    };
    match len {
        Some(l) => {
            let end = p
                .checked_add(l)
                .filter(|&e| e <= limit)
                .ok_or_else(truncated)?;
            Ok((
                Tlv {
                    tag,
                    start: pos,
                    value_start: p,
                    value_end: end,
                    end,
                    indefinite: false,
                },
                end,
            ))
        }
        None => {
            if tag & 0x20 == 0 {
                return Err(malformed("indefinite length on a primitive element"));
            }
            let value_start = p;
            loop {
                if p + 2 <= limit && buf[p] == 0 && buf[p + 1] == 0 {
                    return Ok((
                        Tlv {
                            tag,
                            start: pos,
                            value_start,
                            value_end: p,
                            end: p + 2,
                            indefinite: true,
                        },
                        p + 2,
                    ));
                }
                let (_, next) = read_tlv_at(buf, p, limit, depth + 1)?;
                p = next;
            }
        }
    }
}

/// The children of a constructed element of `buf`.
fn children(t: &Tlv, buf: &[u8], depth: usize) -> Result<Vec<Tlv>, CmsError> {
    if !t.constructed() {
        return Err(malformed(format!(
            "element {:#04x} is not constructed",
            t.tag
        )));
    }
    let mut out = Vec::new();
    let mut p = t.value_start;
    while p < t.value_end {
        let (c, next) = read_tlv_at(buf, p, t.value_end, depth + 1)?;
        out.push(c);
        p = next;
    }
    Ok(out)
}

fn concat_octets(t: &Tlv, buf: &[u8], out: &mut Vec<u8>, depth: usize) -> Result<(), CmsError> {
    if !t.constructed() {
        out.extend_from_slice(t.value(buf));
        return Ok(());
    }
    let mut p = t.value_start;
    while p < t.value_end {
        let (c, next) = read_tlv_at(buf, p, t.value_end, depth + 1)?;
        if c.tag & 0x1f != 0x04 {
            return Err(malformed(
                "chunk of a constructed OCTET STRING is not an OCTET STRING",
            ));
        }
        concat_octets(&c, buf, out, depth + 1)?;
        p = next;
    }
    Ok(())
}

/// Re-encodes an element as DER lengths: indefinite lengths become definite and constructed
/// universal strings are joined into primitive ones. Element order is kept (SET OF elements
/// are not re-sorted: the signer hashed them in the order written).
fn to_der(t: &Tlv, buf: &[u8], depth: usize) -> Result<Vec<u8>, CmsError> {
    let mut out = Vec::with_capacity(t.end - t.start);
    write_der(t, buf, &mut out, depth)?;
    Ok(out)
}

fn write_der(t: &Tlv, buf: &[u8], out: &mut Vec<u8>, depth: usize) -> Result<(), CmsError> {
    if depth > MAX_BER_DEPTH {
        return Err(CmsError::LimitExceeded {
            which: format!("BER nesting depth ({MAX_BER_DEPTH})"),
        });
    }
    let universal_string =
        t.tag & 0xc0 == 0 && matches!(t.tag & 0x1f, 3 | 4 | 12 | 19 | 20 | 22 | 26 | 28 | 30);
    if !t.constructed() {
        write_header(out, t.tag, t.value_end - t.value_start);
        out.extend_from_slice(t.value(buf));
        return Ok(());
    }
    if universal_string {
        let mut v = Vec::new();
        concat_octets_any(t, buf, &mut v, depth)?;
        write_header(out, t.tag & !0x20, v.len());
        out.extend_from_slice(&v);
        return Ok(());
    }
    if !t.indefinite && !has_indefinite_or_chunks(t, buf, depth)? {
        out.extend_from_slice(&buf[t.start..t.end]);
        return Ok(());
    }
    let mut inner = Vec::new();
    let mut p = t.value_start;
    while p < t.value_end {
        let (c, next) = read_tlv_at(buf, p, t.value_end, depth + 1)?;
        write_der(&c, buf, &mut inner, depth + 1)?;
        p = next;
    }
    write_header(out, t.tag, inner.len());
    out.extend_from_slice(&inner);
    Ok(())
}

fn concat_octets_any(t: &Tlv, buf: &[u8], out: &mut Vec<u8>, depth: usize) -> Result<(), CmsError> {
    if !t.constructed() {
        out.extend_from_slice(t.value(buf));
        return Ok(());
    }
    let mut p = t.value_start;
    while p < t.value_end {
        let (c, next) = read_tlv_at(buf, p, t.value_end, depth + 1)?;
        concat_octets_any(&c, buf, out, depth + 1)?;
        p = next;
    }
    Ok(())
}

fn has_indefinite_or_chunks(t: &Tlv, buf: &[u8], depth: usize) -> Result<bool, CmsError> {
    if !t.constructed() {
        return Ok(false);
    }
    if t.indefinite {
        return Ok(true);
    }
    let mut p = t.value_start;
    while p < t.value_end {
        let (c, next) = read_tlv_at(buf, p, t.value_end, depth + 1)?;
        let chunked = c.constructed()
            && c.tag & 0xc0 == 0
            && matches!(c.tag & 0x1f, 3 | 4 | 12 | 19 | 20 | 22 | 26 | 28 | 30);
        if chunked || has_indefinite_or_chunks(&c, buf, depth + 1)? {
            return Ok(true);
        }
        p = next;
    }
    Ok(false)
}

fn write_header(out: &mut Vec<u8>, tag: u8, len: usize) {
    out.push(tag);
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}
