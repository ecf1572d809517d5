//! X.509 certificates and CRLs (RFC 5280 §4, §5) and the extensions path validation reads,
//! parsed with [`super::asn1`]'s DER reader into plain owned types.
//!
//! The certificate keeps its own DER and the DER of its `tbsCertificate` as they came, so
//! signatures are checked over the bytes that were signed (as rustls-webpki does), never over
//! a re-encoding. Extensions are kept as (OID, critical, value) and their contents are parsed
//! on demand by the `parse_*` functions here, each following the ASN.1 of RFC 5280 §4.2.
//! Name values are kept as their tag and contents octets; comparison and display are in
//! [`super::names`].
//!
//! These types replaced x509-cert's derived decoders in the core (2026-11-29): the same
//! fields, a few hundred lines instead of about 290 KB of generic decoding code in the wasm.
//! `tests/x509_differential.rs` parses every certificate and CRL of the test fixtures with
//! both and compares the fields.

use const_oid::ObjectIdentifier;

pub use super::asn1::DerError;
use super::asn1::{self, tag, Any, BitString, Der, DerResult};

/// RFC 5280 §4.2 extension identifiers (id-ce, 2.5.29.*).
pub mod ids {
    use const_oid::ObjectIdentifier;
    /// subjectKeyIdentifier.
    pub const SUBJECT_KEY_IDENTIFIER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
    /// keyUsage.
    pub const KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
    /// subjectAltName.
    pub const SUBJECT_ALT_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");
    /// basicConstraints.
    pub const BASIC_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");
    /// cRLNumber.
    pub const CRL_NUMBER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.20");
    /// reasonCode.
    pub const CRL_REASON: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.21");
    /// holdInstructionCode.
    pub const HOLD_INSTRUCTION_CODE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.23");
    /// invalidityDate.
    pub const INVALIDITY_DATE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.24");
    /// deltaCRLIndicator.
    pub const DELTA_CRL_INDICATOR: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.27");
    /// issuingDistributionPoint.
    pub const ISSUING_DISTRIBUTION_POINT: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("2.5.29.28");
    /// certificateIssuer.
    pub const CERTIFICATE_ISSUER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.29");
    /// nameConstraints.
    pub const NAME_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.30");
    /// cRLDistributionPoints.
    pub const CRL_DISTRIBUTION_POINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.31");
    /// certificatePolicies.
    pub const CERTIFICATE_POLICIES: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.32");
    /// policyMappings.
    pub const POLICY_MAPPINGS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.33");
    /// authorityKeyIdentifier.
    pub const AUTHORITY_KEY_IDENTIFIER: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("2.5.29.35");
    /// policyConstraints.
    pub const POLICY_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.36");
    /// extKeyUsage.
    pub const EXT_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
    /// freshestCRL.
    pub const FRESHEST_CRL: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.46");
    /// inhibitAnyPolicy.
    pub const INHIBIT_ANY_POLICY: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.54");
    /// commonName (X.520 2.5.4.3).
    pub const COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
}

/// `AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }`
/// (RFC 5280 §4.1.1.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlgorithmIdentifier {
    /// The algorithm.
    pub oid: ObjectIdentifier,
    /// Its parameters, when present (NULL included).
    pub parameters: Option<Any>,
}

impl AlgorithmIdentifier {
    /// Reads one from `d`.
    pub fn read(d: &mut Der) -> DerResult<AlgorithmIdentifier> {
        let mut s = d.nested(tag::SEQUENCE, "expected an AlgorithmIdentifier")?;
        let oid = s.oid()?;
        let parameters = if s.is_empty() {
            None
        } else {
            Some(Any::from_tlv(&s.any()?))
        };
        s.finish("unexpected data in an AlgorithmIdentifier")?;
        Ok(AlgorithmIdentifier { oid, parameters })
    }

    /// From DER.
    pub fn from_der(der: &[u8]) -> DerResult<AlgorithmIdentifier> {
        let mut d = Der::new(der);
        let a = Self::read(&mut d)?;
        d.finish("trailing data after an AlgorithmIdentifier")?;
        Ok(a)
    }

    /// DER.
    pub fn to_der(&self) -> Vec<u8> {
        let mut v = asn1::encode(tag::OID, self.oid.as_bytes());
        if let Some(p) = &self.parameters {
            v.extend(p.to_der());
        }
        asn1::encode(tag::SEQUENCE, &v)
    }
}

/// `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectPublicKeyInfo {
    /// The key's algorithm (and parameters: curve, DSA domain).
    pub algorithm: AlgorithmIdentifier,
    /// The key.
    pub subject_public_key: BitString,
}

impl SubjectPublicKeyInfo {
    /// Reads one from `d`.
    pub fn read(d: &mut Der) -> DerResult<SubjectPublicKeyInfo> {
        let mut s = d.nested(tag::SEQUENCE, "expected a SubjectPublicKeyInfo")?;
        let algorithm = AlgorithmIdentifier::read(&mut s)?;
        let subject_public_key = s.bit_string()?;
        s.finish("unexpected data in a SubjectPublicKeyInfo")?;
        Ok(SubjectPublicKeyInfo {
            algorithm,
            subject_public_key,
        })
    }

    /// From DER.
    pub fn from_der(der: &[u8]) -> DerResult<SubjectPublicKeyInfo> {
        let mut d = Der::new(der);
        let k = Self::read(&mut d)?;
        d.finish("trailing data after a SubjectPublicKeyInfo")?;
        Ok(k)
    }

    /// DER.
    pub fn to_der(&self) -> Vec<u8> {
        let mut v = self.algorithm.to_der();
        v.extend(self.subject_public_key.to_der());
        asn1::encode(tag::SEQUENCE, &v)
    }
}

/// `AttributeTypeAndValue` of a name (RFC 5280 §4.1.2.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeTypeAndValue {
    /// The attribute type.
    pub oid: ObjectIdentifier,
    /// The value (any type; DirectoryString in practice).
    pub value: Any,
}

/// A distinguished name: `RDNSequence`, each RDN a non-empty `SET OF AttributeTypeAndValue`
/// (RFC 5280 §4.1.2.4), with its DER.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Name {
    /// RDNs, most significant first; within an RDN in DER (sorted) order.
    pub rdns: Vec<Vec<AttributeTypeAndValue>>,
    /// The whole `Name` as encoded.
    pub der: Vec<u8>,
}

impl Name {
    /// Reads one from `d`.
    pub fn read(d: &mut Der) -> DerResult<Name> {
        let t = d.any()?;
        if t.tag != tag::SEQUENCE {
            return Err(DerError("expected a Name"));
        }
        let mut rdns = Vec::new();
        let mut seq = Der::new(t.value);
        while !seq.is_empty() {
            let set = seq.expect(tag::SET, "expected a RelativeDistinguishedName")?;
            rdns.push(read_rdn(set)?);
        }
        Ok(Name {
            rdns,
            der: t.raw.to_vec(),
        })
    }

    /// From DER.
    pub fn from_der(der: &[u8]) -> DerResult<Name> {
        let mut d = Der::new(der);
        let n = Self::read(&mut d)?;
        d.finish("trailing data after a Name")?;
        Ok(n)
    }

    /// Whether the name has no RDN.
    pub fn is_empty(&self) -> bool {
        self.rdns.is_empty()
    }
}

/// The contents of one `RelativeDistinguishedName ::= SET SIZE (1..MAX) OF
/// AttributeTypeAndValue`, in DER order.
fn read_rdn(set: &[u8]) -> DerResult<Vec<AttributeTypeAndValue>> {
    let mut set = Der::new(set);
    let mut atvs = Vec::new();
    while !set.is_empty() {
        let a = set.any()?;
        if a.tag != tag::SEQUENCE {
            return Err(DerError("expected an AttributeTypeAndValue"));
        }
        let mut s = Der::new(a.value);
        let oid = s.oid()?;
        let value = Any::from_tlv(&s.any()?);
        s.finish("unexpected data in an AttributeTypeAndValue")?;
        atvs.push((a.raw, AttributeTypeAndValue { oid, value }));
    }
    if atvs.is_empty() {
        return Err(DerError("empty RelativeDistinguishedName"));
    }
    asn1::set_of(atvs, "duplicate attribute in a RelativeDistinguishedName")
}

/// One extension (RFC 5280 §4.1.2.9): `SEQUENCE { extnID, critical DEFAULT FALSE,
/// extnValue OCTET STRING }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    /// The extension's OID.
    pub extn_id: ObjectIdentifier,
    /// Whether it is critical.
    pub critical: bool,
    /// The contents of `extnValue` (the extension's own DER).
    pub extn_value: Vec<u8>,
}

/// Reads `Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension`.
fn read_extensions(d: &mut Der) -> DerResult<Vec<Extension>> {
    d.list(tag::SEQUENCE, "expected Extensions", |d| {
        let mut s = d.nested(tag::SEQUENCE, "expected an Extension")?;
        let extn_id = s.oid()?;
        let critical = match s.optional(tag::BOOLEAN)? {
            Some(b) => asn1::boolean(b.value)?,
            None => false,
        };
        let extn_value = s.octet_string()?.to_vec();
        s.finish("unexpected data in an Extension")?;
        Ok(Extension {
            extn_id,
            critical,
            extn_value,
        })
    })
}

/// Reads `[n] EXPLICIT Extensions OPTIONAL` (certificates: `[3]`, CRLs: `[0]`); none when absent.
pub(crate) fn explicit_extensions(d: &mut Der, n: u8) -> DerResult<Vec<Extension>> {
    let Some(e) = d.optional(tag::context_constructed(n))? else {
        return Ok(Vec::new());
    };
    let mut inner = Der::new(e.value);
    let v = read_extensions(&mut inner)?;
    inner.finish("unexpected data after the extensions")?;
    Ok(v)
}

/// An X.509 certificate (RFC 5280 §4.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// The whole certificate, as encoded.
    pub der: Vec<u8>,
    /// The `tbsCertificate`, as encoded: what the signature covers.
    pub tbs_der: Vec<u8>,
    /// Version: 0 (v1), 1 (v2) or 2 (v3).
    pub version: u8,
    /// serialNumber, the INTEGER's contents octets.
    pub serial_number: Vec<u8>,
    /// The `signature` field of the TBS (should equal `signature_algorithm`).
    pub tbs_signature: AlgorithmIdentifier,
    /// Issuer name.
    pub issuer: Name,
    /// notBefore, unix seconds.
    pub not_before: i64,
    /// notAfter, unix seconds.
    pub not_after: i64,
    /// Subject name.
    pub subject: Name,
    /// The public key.
    pub subject_public_key_info: SubjectPublicKeyInfo,
    /// Extensions (empty when absent).
    pub extensions: Vec<Extension>,
    /// The outer signature algorithm.
    pub signature_algorithm: AlgorithmIdentifier,
    /// The signature.
    pub signature: BitString,
}

/// Most octets in a serial number: RFC 5280 §4.1.2.2 allows 20; one more is tolerated for
/// the sign octet some CAs add (as x509-cert does).
pub const MAX_SERIAL_BYTES: usize = 21;

impl Certificate {
    /// Parses a DER certificate.
    pub fn from_der(der: &[u8]) -> DerResult<Certificate> {
        asn1::parse_whole(der, tag::SEQUENCE, "expected a Certificate", |c| {
            let tbs = c.any()?;
            if tbs.tag != tag::SEQUENCE {
                return Err(DerError("expected a TBSCertificate"));
            }
            let signature_algorithm = AlgorithmIdentifier::read(c)?;
            let signature = c.bit_string()?;
            let mut t = Der::new(tbs.value);
            let version = match t.optional(tag::context_constructed(0))? {
                Some(v) => {
                    let mut v = Der::new(v.value);
                    let n = asn1::small_uint(v.integer()?)?;
                    v.finish("unexpected data in the version")?;
                    u8::try_from(n)
                        .ok()
                        .filter(|n| *n <= 2)
                        .ok_or(DerError("unknown certificate version"))?
                }
                None => 0,
            };
            let serial_number = t.integer()?;
            if serial_number.len() > MAX_SERIAL_BYTES {
                return Err(DerError("serial number longer than 20 octets"));
            }
            let tbs_signature = AlgorithmIdentifier::read(&mut t)?;
            let issuer = Name::read(&mut t)?;
            let mut validity = t.nested(tag::SEQUENCE, "expected a Validity")?;
            let not_before = validity.time()?;
            let not_after = validity.time()?;
            validity.finish("unexpected data in the validity")?;
            let subject = Name::read(&mut t)?;
            let subject_public_key_info = SubjectPublicKeyInfo::read(&mut t)?;
            for n in [1, 2] {
                if let Some(uid) = t.optional(tag::context(n))? {
                    BitString::from_value(uid.value)?;
                }
            }
            let extensions = explicit_extensions(&mut t, 3)?;
            t.finish("unexpected data in the TBSCertificate")?;
            Ok(Certificate {
                der: der.to_vec(),
                tbs_der: tbs.raw.to_vec(),
                version,
                serial_number: serial_number.to_vec(),
                tbs_signature,
                issuer,
                not_before,
                not_after,
                subject,
                subject_public_key_info,
                extensions,
                signature_algorithm,
                signature,
            })
        })
    }

    /// The first extension with `oid`.
    pub fn extension(&self, oid: ObjectIdentifier) -> Option<&Extension> {
        self.extensions.iter().find(|e| e.extn_id == oid)
    }
}

/// One entry of a CRL's revokedCertificates (RFC 5280 §5.1.2.6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedCert {
    /// userCertificate, the serial's contents octets.
    pub serial_number: Vec<u8>,
    /// revocationDate, unix seconds.
    pub revocation_date: i64,
    /// crlEntryExtensions (empty when absent).
    pub extensions: Vec<Extension>,
}

/// A CRL (RFC 5280 §5.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateList {
    /// The whole CRL, as encoded.
    pub der: Vec<u8>,
    /// The `tbsCertList`, as encoded: what the signature covers.
    pub tbs_der: Vec<u8>,
    /// Issuer name.
    pub issuer: Name,
    /// thisUpdate, unix seconds.
    pub this_update: i64,
    /// nextUpdate, unix seconds.
    pub next_update: Option<i64>,
    /// revokedCertificates.
    pub revoked: Vec<RevokedCert>,
    /// crlExtensions (empty when absent).
    pub extensions: Vec<Extension>,
    /// The outer signature algorithm.
    pub signature_algorithm: AlgorithmIdentifier,
    /// The signature.
    pub signature: BitString,
}

impl CertificateList {
    /// Parses a DER CRL.
    pub fn from_der(der: &[u8]) -> DerResult<CertificateList> {
        asn1::parse_whole(der, tag::SEQUENCE, "expected a CertificateList", |c| {
            let tbs = c.any()?;
            if tbs.tag != tag::SEQUENCE {
                return Err(DerError("expected a TBSCertList"));
            }
            let signature_algorithm = AlgorithmIdentifier::read(c)?;
            let signature = c.bit_string()?;
            let mut t = Der::new(tbs.value);
            if let Some(v) = t.optional(tag::INTEGER)? {
                if asn1::small_uint(v.value)? > 1 {
                    return Err(DerError("unknown CRL version"));
                }
            }
            AlgorithmIdentifier::read(&mut t)?;
            let issuer = Name::read(&mut t)?;
            let this_update = t.time()?;
            let next_update = match t.peek_tag() {
                Some(tag::UTC_TIME | tag::GENERALIZED_TIME) => Some(t.time()?),
                _ => None,
            };
            let revoked = if t.peek_tag() == Some(tag::SEQUENCE) {
                t.list(tag::SEQUENCE, "expected revokedCertificates", |d| {
                    let mut e = d.nested(tag::SEQUENCE, "expected a revoked certificate")?;
                    let serial_number = e.integer()?.to_vec();
                    let revocation_date = e.time()?;
                    let extensions = if e.is_empty() {
                        Vec::new()
                    } else {
                        read_extensions(&mut e)?
                    };
                    e.finish("unexpected data in a revoked certificate")?;
                    Ok(RevokedCert {
                        serial_number,
                        revocation_date,
                        extensions,
                    })
                })?
            } else {
                Vec::new()
            };
            let extensions = explicit_extensions(&mut t, 0)?;
            t.finish("unexpected data in the TBSCertList")?;
            Ok(CertificateList {
                der: der.to_vec(),
                tbs_der: tbs.raw.to_vec(),
                issuer,
                this_update,
                next_update,
                revoked,
                extensions,
                signature_algorithm,
                signature,
            })
        })
    }

    /// The first CRL extension with `oid`.
    pub fn extension(&self, oid: ObjectIdentifier) -> Option<&Extension> {
        self.extensions.iter().find(|e| e.extn_id == oid)
    }
}

/// `GeneralName` (RFC 5280 §4.2.1.6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GeneralName {
    /// `[0] otherName`: the contents of the `[0]` element.
    OtherName(Vec<u8>),
    /// `[1] rfc822Name` (IA5String).
    Rfc822Name(String),
    /// `[2] dNSName` (IA5String).
    DnsName(String),
    /// `[3] x400Address`: the contents.
    X400Address(Vec<u8>),
    /// `[4] directoryName`.
    DirectoryName(Name),
    /// `[5] ediPartyName`: the contents.
    EdiPartyName(Vec<u8>),
    /// `[6] uniformResourceIdentifier` (IA5String).
    UniformResourceIdentifier(String),
    /// `[7] iPAddress`: 4 or 16 octets (with a mask, 8 or 32 in name constraints).
    IpAddress(Vec<u8>),
    /// `[8] registeredID`.
    RegisteredId(ObjectIdentifier),
}

fn ia5(value: &[u8]) -> DerResult<String> {
    if value.is_ascii() {
        Ok(String::from_utf8_lossy(value).into_owned())
    } else {
        Err(DerError("IA5String with a non-ASCII octet"))
    }
}

impl GeneralName {
    /// Reads one from `d`.
    pub fn read(d: &mut Der) -> DerResult<GeneralName> {
        let t = d.any()?;
        Ok(match t.tag {
            0xA0 => {
                let mut s = Der::new(t.value);
                s.oid()?;
                s.nested(tag::context_constructed(0), "otherName without its value")?;
                s.finish("unexpected data in an otherName")?;
                GeneralName::OtherName(t.value.to_vec())
            }
            0x81 => GeneralName::Rfc822Name(ia5(t.value)?),
            0x82 => GeneralName::DnsName(ia5(t.value)?),
            0xA3 => GeneralName::X400Address(t.value.to_vec()),
            0xA4 => {
                let mut s = Der::new(t.value);
                let n = Name::read(&mut s)?;
                s.finish("unexpected data in a directoryName")?;
                GeneralName::DirectoryName(n)
            }
            0xA5 => {
                // EDIPartyName ::= SEQUENCE { nameAssigner [0] DirectoryString OPTIONAL,
                //   partyName [1] DirectoryString } (IMPLICIT; DirectoryString a CHOICE).
                let mut s = Der::new(t.value);
                s.optional(tag::context_constructed(0))?;
                s.nested(
                    tag::context_constructed(1),
                    "ediPartyName without partyName",
                )?;
                s.finish("unexpected data in an ediPartyName")?;
                GeneralName::EdiPartyName(t.value.to_vec())
            }
            0x86 => GeneralName::UniformResourceIdentifier(ia5(t.value)?),
            0x87 => GeneralName::IpAddress(t.value.to_vec()),
            0x88 => GeneralName::RegisteredId(asn1::oid(t.value)?),
            _ => return Err(DerError("unknown GeneralName form")),
        })
    }

    /// The form's tag number (0-8).
    pub fn form(&self) -> u8 {
        match self {
            GeneralName::OtherName(_) => 0,
            GeneralName::Rfc822Name(_) => 1,
            GeneralName::DnsName(_) => 2,
            GeneralName::X400Address(_) => 3,
            GeneralName::DirectoryName(_) => 4,
            GeneralName::EdiPartyName(_) => 5,
            GeneralName::UniformResourceIdentifier(_) => 6,
            GeneralName::IpAddress(_) => 7,
            GeneralName::RegisteredId(_) => 8,
        }
    }

    /// DER of the name.
    pub fn to_der(&self) -> Vec<u8> {
        let n = self.form();
        match self {
            GeneralName::OtherName(v)
            | GeneralName::X400Address(v)
            | GeneralName::EdiPartyName(v) => asn1::encode(tag::context_constructed(n), v),
            GeneralName::DirectoryName(name) => {
                asn1::encode(tag::context_constructed(n), &name.der)
            }
            GeneralName::Rfc822Name(s)
            | GeneralName::DnsName(s)
            | GeneralName::UniformResourceIdentifier(s) => {
                asn1::encode(tag::context(n), s.as_bytes())
            }
            GeneralName::IpAddress(v) => asn1::encode(tag::context(n), v),
            GeneralName::RegisteredId(o) => asn1::encode(tag::context(n), o.as_bytes()),
        }
    }
}

/// Reads `GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName` contents from `d`.
fn general_names_in(d: &mut Der) -> DerResult<Vec<GeneralName>> {
    let mut out = Vec::new();
    while !d.is_empty() {
        out.push(GeneralName::read(d)?);
    }
    if out.is_empty() {
        return Err(DerError("empty GeneralNames"));
    }
    Ok(out)
}

/// Parses `GeneralNames` (subjectAltName, certificateIssuer).
pub fn parse_general_names(der: &[u8]) -> DerResult<Vec<GeneralName>> {
    asn1::parse_whole(
        der,
        tag::SEQUENCE,
        "expected GeneralNames",
        general_names_in,
    )
}

/// `BasicConstraints` (RFC 5280 §4.2.1.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BasicConstraints {
    /// cA.
    pub ca: bool,
    /// pathLenConstraint.
    pub path_len_constraint: Option<u8>,
}

/// Parses basicConstraints.
pub fn parse_basic_constraints(der: &[u8]) -> DerResult<BasicConstraints> {
    asn1::parse_whole(der, tag::SEQUENCE, "expected BasicConstraints", |s| {
        let ca = match s.optional(tag::BOOLEAN)? {
            Some(b) => asn1::boolean(b.value)?,
            None => false,
        };
        let path_len_constraint = match s.optional(tag::INTEGER)? {
            Some(i) => Some(
                u8::try_from(asn1::small_uint(i.value)?)
                    .map_err(|_| DerError("pathLenConstraint too large"))?,
            ),
            None => None,
        };
        Ok(BasicConstraints {
            ca,
            path_len_constraint,
        })
    })
}

/// keyUsage bits (RFC 5280 §4.2.1.3), bit `n` of the named bit list in bit `n`.
pub mod key_usage {
    /// digitalSignature (0).
    pub const DIGITAL_SIGNATURE: u16 = 1 << 0;
    /// nonRepudiation / contentCommitment (1).
    pub const NON_REPUDIATION: u16 = 1 << 1;
    /// keyCertSign (5).
    pub const KEY_CERT_SIGN: u16 = 1 << 5;
    /// cRLSign (6).
    pub const CRL_SIGN: u16 = 1 << 6;
}

/// Parses keyUsage into [`key_usage`] bits.
pub fn parse_key_usage(der: &[u8]) -> DerResult<u16> {
    let mut d = Der::new(der);
    let b = d.bit_string()?;
    d.finish("trailing data after keyUsage")?;
    b.flags16()
}

/// Parses a `SEQUENCE OF OBJECT IDENTIFIER` (extKeyUsage).
pub fn parse_oid_list(der: &[u8]) -> DerResult<Vec<ObjectIdentifier>> {
    asn1::parse_whole(der, tag::SEQUENCE, "expected a SEQUENCE OF OID", |s| {
        let mut out = Vec::new();
        while !s.is_empty() {
            out.push(s.oid()?);
        }
        Ok(out)
    })
}

/// `GeneralSubtree` (RFC 5280 §4.2.1.10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneralSubtree {
    /// The base name.
    pub base: GeneralName,
    /// minimum (0 by default; RFC 5280 requires 0).
    pub minimum: u32,
    /// maximum (RFC 5280 requires it absent).
    pub maximum: Option<u32>,
}

/// `NameConstraints` (RFC 5280 §4.2.1.10).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameConstraints {
    /// permittedSubtrees.
    pub permitted_subtrees: Option<Vec<GeneralSubtree>>,
    /// excludedSubtrees.
    pub excluded_subtrees: Option<Vec<GeneralSubtree>>,
}

/// Parses nameConstraints.
pub fn parse_name_constraints(der: &[u8]) -> DerResult<NameConstraints> {
    asn1::parse_whole(der, tag::SEQUENCE, "expected NameConstraints", |s| {
        let mut subtrees = |n: u8| -> DerResult<Option<Vec<GeneralSubtree>>> {
            let Some(t) = s.optional(tag::context_constructed(n))? else {
                return Ok(None);
            };
            let mut d = Der::new(t.value);
            let mut out = Vec::new();
            while !d.is_empty() {
                let mut st = d.nested(tag::SEQUENCE, "expected a GeneralSubtree")?;
                let base = GeneralName::read(&mut st)?;
                let minimum = match st.optional(tag::context(0))? {
                    Some(i) => asn1::small_uint(i.value)?,
                    None => 0,
                };
                let maximum = match st.optional(tag::context(1))? {
                    Some(i) => Some(asn1::small_uint(i.value)?),
                    None => None,
                };
                st.finish("unexpected data in a GeneralSubtree")?;
                out.push(GeneralSubtree {
                    base,
                    minimum,
                    maximum,
                });
            }
            if out.is_empty() {
                return Err(DerError("empty GeneralSubtrees"));
            }
            Ok(Some(out))
        };
        let permitted_subtrees = subtrees(0)?;
        let excluded_subtrees = subtrees(1)?;
        Ok(NameConstraints {
            permitted_subtrees,
            excluded_subtrees,
        })
    })
}

/// Parses certificatePolicies (RFC 5280 §4.2.1.4) into the policy identifiers; qualifiers
/// are checked for shape and otherwise ignored (§4.2.1.4 lets a relying party do so).
pub fn parse_certificate_policies(der: &[u8]) -> DerResult<Vec<ObjectIdentifier>> {
    asn1::parse_whole(der, tag::SEQUENCE, "expected certificatePolicies", |s| {
        let mut out = Vec::new();
        while !s.is_empty() {
            let mut pi = s.nested(tag::SEQUENCE, "expected a PolicyInformation")?;
            out.push(pi.oid()?);
            if !pi.is_empty() {
                let mut qs = pi.nested(tag::SEQUENCE, "expected policyQualifiers")?;
                while !qs.is_empty() {
                    let mut q = qs.nested(tag::SEQUENCE, "expected a PolicyQualifierInfo")?;
                    q.oid()?;
                    if !q.is_empty() {
                        q.any()?;
                    }
                    q.finish("unexpected data in a PolicyQualifierInfo")?;
                }
            }
            pi.finish("unexpected data in a PolicyInformation")?;
        }
        if out.is_empty() {
            return Err(DerError("empty certificatePolicies"));
        }
        Ok(out)
    })
}

/// Parses policyMappings (RFC 5280 §4.2.1.5): (issuerDomainPolicy, subjectDomainPolicy).
pub fn parse_policy_mappings(der: &[u8]) -> DerResult<Vec<(ObjectIdentifier, ObjectIdentifier)>> {
    asn1::parse_whole(der, tag::SEQUENCE, "expected policyMappings", |s| {
        let mut out = Vec::new();
        while !s.is_empty() {
            let mut m = s.nested(tag::SEQUENCE, "expected a policy mapping")?;
            let issuer = m.oid()?;
            let subject = m.oid()?;
            m.finish("unexpected data in a policy mapping")?;
            out.push((issuer, subject));
        }
        Ok(out)
    })
}

/// `PolicyConstraints` (RFC 5280 §4.2.1.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PolicyConstraints {
    /// requireExplicitPolicy.
    pub require_explicit_policy: Option<u32>,
    /// inhibitPolicyMapping.
    pub inhibit_policy_mapping: Option<u32>,
}

/// Parses policyConstraints.
pub fn parse_policy_constraints(der: &[u8]) -> DerResult<PolicyConstraints> {
    asn1::parse_whole(der, tag::SEQUENCE, "expected PolicyConstraints", |s| {
        let require_explicit_policy = match s.optional(tag::context(0))? {
            Some(i) => Some(asn1::small_uint(i.value)?),
            None => None,
        };
        let inhibit_policy_mapping = match s.optional(tag::context(1))? {
            Some(i) => Some(asn1::small_uint(i.value)?),
            None => None,
        };
        Ok(PolicyConstraints {
            require_explicit_policy,
            inhibit_policy_mapping,
        })
    })
}

/// Parses a lone non-negative INTEGER (inhibitAnyPolicy, cRLNumber as a number).
pub fn parse_small_uint(der: &[u8]) -> DerResult<u32> {
    let mut d = Der::new(der);
    let v = asn1::small_uint(d.integer()?)?;
    d.finish("trailing data after an INTEGER")?;
    Ok(v)
}

/// Parses a lone non-negative INTEGER of any size (cRLNumber, BaseCRLNumber): its contents
/// octets without the sign octet.
pub fn parse_uint_bytes(der: &[u8]) -> DerResult<Vec<u8>> {
    let mut d = Der::new(der);
    let v = asn1::uint(d.integer()?)?;
    d.finish("trailing data after an INTEGER")?;
    Ok(v.to_vec())
}

/// Parses subjectKeyIdentifier (an OCTET STRING).
pub fn parse_key_identifier(der: &[u8]) -> DerResult<Vec<u8>> {
    let mut d = Der::new(der);
    let v = d.octet_string()?.to_vec();
    d.finish("trailing data after a key identifier")?;
    Ok(v)
}

/// Parses authorityKeyIdentifier (RFC 5280 §4.2.1.1) into its keyIdentifier, if any.
pub fn parse_authority_key_identifier(der: &[u8]) -> DerResult<Option<Vec<u8>>> {
    asn1::parse_whole(der, tag::SEQUENCE, "expected AuthorityKeyIdentifier", |s| {
        let kid = s.optional(tag::context(0))?.map(|t| t.value.to_vec());
        if let Some(t) = s.optional(tag::context_constructed(1))? {
            general_names_in(&mut Der::new(t.value))?;
        }
        if let Some(t) = s.optional(tag::context(2))? {
            asn1::integer(t.value)?;
        }
        Ok(kid)
    })
}

/// `DistributionPointName` (RFC 5280 §4.2.1.13).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DistributionPointName {
    /// `[0] fullName`.
    FullName(Vec<GeneralName>),
    /// `[1] nameRelativeToCRLIssuer`: one RDN.
    NameRelativeToCrlIssuer(Vec<AttributeTypeAndValue>),
}

fn read_dp_name(t: asn1::Tlv) -> DerResult<DistributionPointName> {
    let mut inner = Der::new(t.value);
    let n = inner.any()?;
    inner.finish("unexpected data in a DistributionPointName")?;
    match n.tag {
        0xA0 => Ok(DistributionPointName::FullName(general_names_in(
            &mut Der::new(n.value),
        )?)),
        0xA1 => Ok(DistributionPointName::NameRelativeToCrlIssuer(read_rdn(
            n.value,
        )?)),
        _ => Err(DerError("unknown DistributionPointName form")),
    }
}

/// Reasons of a `ReasonFlags` BIT STRING (RFC 5280 §4.2.1.13), bit `n` in bit `n`.
pub type ReasonFlags = u16;
/// Every reason: bits 1-8 (bit 0, `unused`, names no reason).
pub const ALL_REASONS: ReasonFlags = 0x01FE;

fn reason_flags(value: &[u8]) -> DerResult<ReasonFlags> {
    BitString::from_value(value)?.flags16()
}

/// `DistributionPoint` (RFC 5280 §4.2.1.13).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistributionPoint {
    /// distributionPoint.
    pub distribution_point: Option<DistributionPointName>,
    /// reasons.
    pub reasons: Option<ReasonFlags>,
    /// cRLIssuer.
    pub crl_issuer: Option<Vec<GeneralName>>,
}

/// Parses cRLDistributionPoints.
pub fn parse_crl_distribution_points(der: &[u8]) -> DerResult<Vec<DistributionPoint>> {
    asn1::parse_whole(der, tag::SEQUENCE, "expected CRLDistributionPoints", |s| {
        let mut out = Vec::new();
        while !s.is_empty() {
            let mut dp = s.nested(tag::SEQUENCE, "expected a DistributionPoint")?;
            let distribution_point = match dp.optional(0xA0)? {
                Some(t) => Some(read_dp_name(t)?),
                None => None,
            };
            let reasons = match dp.optional(tag::context(1))? {
                Some(t) => Some(reason_flags(t.value)?),
                None => None,
            };
            let crl_issuer = match dp.optional(0xA2)? {
                Some(t) => Some(general_names_in(&mut Der::new(t.value))?),
                None => None,
            };
            dp.finish("unexpected data in a DistributionPoint")?;
            out.push(DistributionPoint {
                distribution_point,
                reasons,
                crl_issuer,
            });
        }
        if out.is_empty() {
            return Err(DerError("empty cRLDistributionPoints"));
        }
        Ok(out)
    })
}

/// `IssuingDistributionPoint` (RFC 5280 §5.2.5).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IssuingDistributionPoint {
    /// distributionPoint.
    pub distribution_point: Option<DistributionPointName>,
    /// onlyContainsUserCerts.
    pub only_contains_user_certs: bool,
    /// onlyContainsCACerts.
    pub only_contains_ca_certs: bool,
    /// onlySomeReasons.
    pub only_some_reasons: Option<ReasonFlags>,
    /// indirectCRL.
    pub indirect_crl: bool,
    /// onlyContainsAttributeCerts.
    pub only_contains_attribute_certs: bool,
}

/// Parses issuingDistributionPoint.
pub fn parse_issuing_distribution_point(der: &[u8]) -> DerResult<IssuingDistributionPoint> {
    asn1::parse_whole(
        der,
        tag::SEQUENCE,
        "expected IssuingDistributionPoint",
        |s| {
            let mut idp = IssuingDistributionPoint::default();
            if let Some(t) = s.optional(0xA0)? {
                idp.distribution_point = Some(read_dp_name(t)?);
            }
            let flag = |s: &mut Der, n: u8| -> DerResult<bool> {
                match s.optional(tag::context(n))? {
                    Some(t) => asn1::boolean(t.value),
                    None => Ok(false),
                }
            };
            idp.only_contains_user_certs = flag(s, 1)?;
            idp.only_contains_ca_certs = flag(s, 2)?;
            if let Some(t) = s.optional(tag::context(3))? {
                idp.only_some_reasons = Some(reason_flags(t.value)?);
            }
            idp.indirect_crl = flag(s, 4)?;
            idp.only_contains_attribute_certs = flag(s, 5)?;
            Ok(idp)
        },
    )
}

/// Parses a reasonCode entry extension (RFC 5280 §5.3.1): the ENUMERATED value.
pub fn parse_crl_reason(der: &[u8]) -> DerResult<u32> {
    let mut d = Der::new(der);
    let v = asn1::small_uint(d.expect(0x0A, "expected an ENUMERATED")?)?;
    d.finish("trailing data after a reasonCode")?;
    Ok(v)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn general_names_round_trip() {
        let names = [
            GeneralName::Rfc822Name("a@example.com".into()),
            GeneralName::DnsName("example.com".into()),
            GeneralName::UniformResourceIdentifier("http://example.com/".into()),
            GeneralName::IpAddress(vec![10, 0, 0, 1]),
        ];
        let mut seq = Vec::new();
        for n in &names {
            seq.extend(n.to_der());
        }
        let der = asn1::encode(tag::SEQUENCE, &seq);
        assert_eq!(parse_general_names(&der).unwrap(), names);
        assert!(parse_general_names(&asn1::encode(tag::SEQUENCE, &[])).is_err());
        assert!(parse_general_names(&asn1::encode(
            tag::SEQUENCE,
            &asn1::encode(0x81, "é".as_bytes())
        ))
        .is_err());
    }

    #[test]
    fn basic_constraints_forms() {
        assert_eq!(
            parse_basic_constraints(&[0x30, 0]).unwrap(),
            BasicConstraints::default()
        );
        let bc = parse_basic_constraints(&[0x30, 6, 1, 1, 0xff, 2, 1, 3]).unwrap();
        assert!(bc.ca);
        assert_eq!(bc.path_len_constraint, Some(3));
        assert!(parse_basic_constraints(&[0x30, 3, 1, 1, 1]).is_err());
        assert!(parse_basic_constraints(&[0x30, 4, 2, 2, 1, 0]).is_err());
    }
}
