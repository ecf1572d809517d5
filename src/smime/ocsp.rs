//! Online revocation by OCSP (RFC 6960), sans-IO: the core builds the request and judges the
//! response the caller fetched; the caller (the extension's background, the CLI) does the HTTP.
//!
//! **The request** (§4.1.1): one `Request` for one certificate, no nonce, unsigned. Its
//! `CertID` hashes the issuer's name (the DER of the certificate's `issuer` field) and the
//! issuer's public key (the `subjectPublicKey` BIT STRING's value, without tag, length and
//! unused-bits octet) with **SHA-1**: RFC 5019 §2.1.1 (the profile every large CA's responder
//! follows, often pre-signing its answers) says clients MUST use SHA-1 there, and many
//! responders answer "unknown" or `malformedRequest` to a SHA-256 `CertID`. SHA-1 names the
//! issuer here, it proves nothing: what binds the answer to the issuer is the response's
//! signature, checked below, so a SHA-1 collision gains nothing. A response whose `CertID`
//! uses SHA-256, -384 or -512 is read as well. No nonce (§4.4.1 makes it optional): pre-signed
//! responses cannot echo one, and a request without one is the same bytes each time, so the
//! answer may be cached until its own `nextUpdate` (the freshness check below is what guards
//! against replay). The request's bytes are exactly what `openssl ocsp -no_nonce -reqout`
//! writes (`tests/ocsp.rs`).
//!
//! **The response** (§4.2.1) is judged by [`check`] for one certificate and its issuer:
//! - `responseStatus` successful, `responseBytes` of type id-pkix-ocsp-basic;
//! - the `BasicOCSPResponse` signature over `tbsResponseData` verifies (through the same
//!   `algs::verify_signature_with` as certificates and CRLs, so in the extension it
//!   is one more request to WebCrypto in the check's rounds, [`super::offload`]);
//! - the signer is authorised (§4.2.2.2): the issuer itself (`responderID` its name or the
//!   SHA-1 of its key), or a delegated responder certificate from `certs` that the issuer
//!   signed, whose issuer is the issuer's name, that carries id-kp-OCSPSigning in its
//!   extKeyUsage (and digitalSignature when it has a keyUsage) and is valid at the check time.
//!   Its own revocation: see [`ResponderRevocation`];
//! - a `SingleResponse` whose `CertID` is this certificate's (hash algorithm, both hashes and
//!   the serial); answers about other certificates are ignored, none for this one is
//!   [`OcspError::NotAboutCertificate`];
//! - current (§4.2.2.1): `thisUpdate` not after the check time plus [`MAX_CLOCK_SKEW_SECS`],
//!   `nextUpdate` (when present) not before the check time minus the same skew; without
//!   `nextUpdate`, `thisUpdate` at most [`MAX_AGE_WITHOUT_NEXT_UPDATE_SECS`] old;
//! - no critical extension this module does not know (the nonce is known, and ignored).
//!
//! A weak signature (SHA-1, a small RSA key) may prove a revocation, never "good".

use const_oid::ObjectIdentifier;

use super::algs::{self, HashAlg, Strength};
use super::asn1::{self, tag, Der, DerError, DerResult};
use super::names::{name_key, NameKey};
use super::offload::Offload;
use super::x509::{self, AlgorithmIdentifier, Certificate, Extension, SubjectPublicKeyInfo};

/// Largest OCSP response read, in bytes. Real responses are 1.5-4 KB (a signature, one
/// `SingleResponse`, at most a delegated responder certificate or two); 64 KiB leaves room for
/// a responder that sends its chain and bounds what a hostile server can make us parse. The
/// background stops reading a download at the same size.
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024;
/// Most certificates read from a response's `certs` (a delegated responder and its chain).
pub const MAX_RESPONDER_CERTS: usize = 8;
/// Most `SingleResponse`s read from one response (we ask about one certificate; responders
/// that answer more do so for a handful).
pub const MAX_SINGLE_RESPONSES: usize = 64;
/// How far apart the responder's clock and the check time may be, seconds: a `thisUpdate` up
/// to this far in the future, or a `nextUpdate` up to this far in the past, still counts. Five
/// minutes: desktop clocks synchronised by NTP are within seconds, a laptop waking from sleep
/// or a virtual machine within a few minutes; a longer skew would let an expired answer (a
/// replay of a "good" from before a revocation) live longer.
pub const MAX_CLOCK_SKEW_SECS: i64 = 5 * 60;
/// Oldest `thisUpdate` accepted from a response without `nextUpdate`, seconds. §4.2.2.1: no
/// `nextUpdate` means "newer information is available all the time", so such an answer is
/// meant for now, not for caching; one day bounds a replayed one.
pub const MAX_AGE_WITHOUT_NEXT_UPDATE_SECS: i64 = 24 * 60 * 60;

/// id-pe-authorityInfoAccess (RFC 5280 §4.2.2.1).
pub const ID_PE_AUTHORITY_INFO_ACCESS: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.1");
/// id-ad-ocsp (RFC 5280 §4.2.2.1): an OCSP responder's URL.
pub const ID_AD_OCSP: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1");
/// id-pkix-ocsp-basic (RFC 6960 §4.2.1).
pub const ID_PKIX_OCSP_BASIC: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.1");
/// id-pkix-ocsp-nonce (RFC 6960 §4.4.1).
pub const ID_PKIX_OCSP_NONCE: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.2");
/// id-kp-OCSPSigning (RFC 5280 §4.2.1.12; RFC 6960 §4.2.2.2).
pub const ID_KP_OCSP_SIGNING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.9");
/// id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1): the responder certificate is not to be checked.
pub const ID_PKIX_OCSP_NOCHECK: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.5");
const ID_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");

/// `CertID ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, issuerNameHash OCTET STRING,
/// issuerKeyHash OCTET STRING, serialNumber CertificateSerialNumber }` (RFC 6960 §4.1.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertId {
    /// The hash of both hashes.
    pub hash: HashAlg,
    /// Hash of the DER of the certificate's `issuer` field.
    pub issuer_name_hash: Vec<u8>,
    /// Hash of the issuer's `subjectPublicKey` BIT STRING value.
    pub issuer_key_hash: Vec<u8>,
    /// The certificate's serial (the INTEGER's contents octets).
    pub serial: Vec<u8>,
}

impl CertId {
    /// The `CertID` of `cert` issued by the holder of `issuer_key`, hashed with `hash`.
    pub fn new(cert: &Certificate, issuer_key: &SubjectPublicKeyInfo, hash: HashAlg) -> CertId {
        CertId {
            hash,
            issuer_name_hash: hash.digest(&cert.issuer.der),
            issuer_key_hash: hash.digest(&issuer_key.subject_public_key.bytes),
            serial: cert.serial_number.clone(),
        }
    }

    fn to_der(&self) -> Vec<u8> {
        let oid = hash_oid(self.hash);
        // As OpenSSL writes it: the hash's AlgorithmIdentifier with NULL parameters.
        let mut alg = asn1::encode(tag::OID, oid.as_bytes());
        alg.extend_from_slice(&asn1::encode(tag::NULL, &[]));
        let mut v = asn1::encode(tag::SEQUENCE, &alg);
        v.extend_from_slice(&asn1::encode(tag::OCTET_STRING, &self.issuer_name_hash));
        v.extend_from_slice(&asn1::encode(tag::OCTET_STRING, &self.issuer_key_hash));
        v.extend_from_slice(&asn1::encode(tag::INTEGER, &self.serial));
        asn1::encode(tag::SEQUENCE, &v)
    }

    fn read(d: &mut Der) -> DerResult<CertId> {
        let mut s = d.nested(tag::SEQUENCE, "expected a CertID")?;
        let alg = AlgorithmIdentifier::read(&mut s)?;
        let hash = HashAlg::from_oid(&alg.oid)
            .ok()
            .filter(|h| *h != HashAlg::Sha224)
            .ok_or(DerError(
                "CertID hashed with an algorithm other than SHA-1 or SHA-2",
            ))?;
        let issuer_name_hash = s.octet_string()?.to_vec();
        let issuer_key_hash = s.octet_string()?.to_vec();
        let serial = s.integer()?.to_vec();
        s.finish("unexpected data in a CertID")?;
        Ok(CertId {
            hash,
            issuer_name_hash,
            issuer_key_hash,
            serial,
        })
    }
}

fn hash_oid(h: HashAlg) -> ObjectIdentifier {
    match h {
        HashAlg::Sha1 => ID_SHA1,
        HashAlg::Sha224 => ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.4"),
        HashAlg::Sha256 => ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1"),
        HashAlg::Sha384 => ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2"),
        HashAlg::Sha512 => ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3"),
    }
}

/// The DER `OCSPRequest` for `cert`, whose issuer's key is `issuer_key` (RFC 6960 §4.1.1;
/// SHA-1 `CertID`, no nonce, unsigned: see the module documentation). Sent as the body of an
/// HTTP POST with `Content-Type: application/ocsp-request` (RFC 6960 Appendix A.1).
pub fn build_request(cert: &Certificate, issuer_key: &SubjectPublicKeyInfo) -> Vec<u8> {
    let id = CertId::new(cert, issuer_key, HashAlg::Sha1).to_der();
    // Request ::= SEQUENCE { reqCert CertID }; requestList ::= SEQUENCE OF Request;
    // TBSRequest ::= SEQUENCE { requestList } (version v1 is the DEFAULT, so absent);
    // OCSPRequest ::= SEQUENCE { tbsRequest }.
    let request = asn1::encode(tag::SEQUENCE, &id);
    let list = asn1::encode(tag::SEQUENCE, &request);
    let tbs = asn1::encode(tag::SEQUENCE, &list);
    asn1::encode(tag::SEQUENCE, &tbs)
}

/// The certificate's OCSP responder URLs: the `id-ad-ocsp` entries of its
/// authorityInfoAccess (RFC 5280 §4.2.2.1) that are `http://` or `https://` URIs (RFC 6960
/// Appendix A.1: OCSP over HTTP; plain `http` is the norm, the response being signed).
/// Empty when there is none or the extension does not parse.
pub fn responder_urls(cert: &Certificate) -> Vec<String> {
    let Some(e) = cert.extension(ID_PE_AUTHORITY_INFO_ACCESS) else {
        return Vec::new();
    };
    access_urls(&e.extn_value, ID_AD_OCSP).unwrap_or_default()
}

/// The URIs of the `method` entries of an `AuthorityInfoAccessSyntax ::= SEQUENCE SIZE
/// (1..MAX) OF AccessDescription { accessMethod OID, accessLocation GeneralName }`.
pub(crate) fn access_urls(der: &[u8], method: ObjectIdentifier) -> DerResult<Vec<String>> {
    let entries = asn1::parse_whole(der, tag::SEQUENCE, "expected authorityInfoAccess", |d| {
        let mut out = Vec::new();
        while !d.is_empty() {
            let mut a = d.nested(tag::SEQUENCE, "expected an AccessDescription")?;
            let m = a.oid()?;
            let location = x509::GeneralName::read(&mut a)?;
            a.finish("unexpected data in an AccessDescription")?;
            out.push((m, location));
        }
        Ok(out)
    })?;
    Ok(entries
        .into_iter()
        .filter(|(m, _)| *m == method)
        .filter_map(|(_, l)| match l {
            x509::GeneralName::UniformResourceIdentifier(u)
                if u.starts_with("http://") || u.starts_with("https://") =>
            {
                Some(u)
            }
            _ => None,
        })
        .collect())
}

/// What a response says about the certificate, once [`check`] accepted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OcspStatus {
    /// Not revoked (§4.2.1 `good`).
    Good {
        /// thisUpdate, unix seconds.
        this_update: i64,
        /// nextUpdate, unix seconds: until when the answer may be kept.
        next_update: Option<i64>,
    },
    /// Revoked (§4.2.1 `revoked`).
    Revoked {
        /// revocationTime, unix seconds.
        time: i64,
        /// revocationReason (RFC 5280 §5.3.1 name), when given.
        reason: Option<String>,
    },
    /// The responder does not know the certificate (§4.2.1 `unknown`).
    Unknown,
}

/// Why a response could not be used. Nothing here proves the certificate bad: the caller
/// treats each as "revocation could not be checked".
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OcspError {
    /// Larger than [`MAX_RESPONSE_BYTES`].
    TooLarge,
    /// Not a DER OCSP response, or one of its parts is malformed; says which.
    Malformed(String),
    /// `responseStatus` other than successful (§4.2.1): its name.
    NotSuccessful(&'static str),
    /// A response type other than id-pkix-ocsp-basic.
    UnsupportedType,
    /// The response has no answer about this certificate (another serial, another issuer).
    NotAboutCertificate,
    /// Signed by no one allowed to answer for the issuer (§4.2.2.2); says why.
    Unauthorised(String),
    /// The signature does not verify, or uses an algorithm we cannot check; says which.
    BadSignature(String),
    /// `thisUpdate` is in the future (beyond [`MAX_CLOCK_SKEW_SECS`]).
    NotYetValid {
        /// thisUpdate, unix seconds.
        this_update: i64,
    },
    /// Past its `nextUpdate`, or too old without one: a stale or replayed answer.
    Expired {
        /// nextUpdate (or the end of the allowed age), unix seconds.
        until: i64,
    },
    /// A critical extension we do not know (RFC 6960 §4.4, RFC 5280 §4.2).
    UnknownCriticalExtension,
    /// "good" signed with a weak algorithm (SHA-1, small RSA key): not trusted to clear.
    WeakGood,
    /// "good" from a delegated responder whose own certificate could not be checked for
    /// revocation (see [`ResponderRevocation`]): not trusted to clear.
    ResponderNotChecked,
}

impl std::fmt::Display for OcspError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OcspError::TooLarge => write!(
                f,
                "the revocation answer is larger than {MAX_RESPONSE_BYTES} bytes"
            ),
            OcspError::Malformed(what) => write!(f, "the revocation answer is malformed ({what})"),
            OcspError::NotSuccessful(s) => {
                write!(f, "the revocation service did not answer ({s})")
            }
            OcspError::UnsupportedType => {
                f.write_str("the revocation answer is of a kind we cannot read")
            }
            OcspError::NotAboutCertificate => {
                f.write_str("the revocation answer is about another certificate")
            }
            OcspError::Unauthorised(why) => write!(
                f,
                "the revocation answer is signed by someone not allowed to answer ({why})"
            ),
            OcspError::BadSignature(why) => {
                write!(f, "the revocation answer's signature is not valid ({why})")
            }
            OcspError::NotYetValid { this_update } => write!(
                f,
                "the revocation answer is dated in the future ({})",
                super::verdict::format_time(*this_update)
            ),
            OcspError::Expired { until } => write!(
                f,
                "the revocation answer is out of date (valid until {})",
                super::verdict::format_time(*until)
            ),
            OcspError::UnknownCriticalExtension => {
                f.write_str("the revocation answer has a critical extension we do not know")
            }
            OcspError::WeakGood => {
                f.write_str("the revocation answer is signed with weak cryptography")
            }
            OcspError::ResponderNotChecked => f.write_str(
                "the revocation service's own certificate could not be checked for revocation",
            ),
        }
    }
}

impl std::error::Error for OcspError {}

/// One `SingleResponse` (§4.2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SingleResponse {
    /// Which certificate.
    pub cert_id: CertId,
    /// What the responder says (time checks not applied yet).
    pub status: OcspStatus,
    /// thisUpdate, unix seconds.
    pub this_update: i64,
    /// nextUpdate, unix seconds.
    pub next_update: Option<i64>,
    /// Whether it has a critical extension we do not know.
    unknown_critical: bool,
}

/// `ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash }` (§4.2.1; KeyHash is the
/// SHA-1 of the responder's subjectPublicKey BIT STRING value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponderId {
    /// The responder's subject name, normalised.
    ByName(NameKey),
    /// SHA-1 of the responder's key.
    ByKey(Vec<u8>),
}

/// A successful basic OCSP response, parsed (not yet checked: see [`check`]).
#[derive(Debug, Clone)]
pub struct BasicResponse {
    /// `tbsResponseData` as encoded: what the signature covers.
    pub tbs_der: Vec<u8>,
    /// Who signed.
    pub responder_id: ResponderId,
    /// producedAt, unix seconds.
    pub produced_at: i64,
    /// The answers.
    pub responses: Vec<SingleResponse>,
    /// Whether `responseExtensions` has a critical one we do not know.
    unknown_critical: bool,
    /// The signature algorithm.
    pub signature_algorithm: AlgorithmIdentifier,
    /// The signature (the BIT STRING's octets).
    pub signature: Vec<u8>,
    /// `certs`: the delegated responder certificate, maybe with its chain.
    pub certs: Vec<Certificate>,
}

fn unknown_critical(exts: &[Extension]) -> bool {
    exts.iter()
        .any(|e| e.critical && e.extn_id != ID_PKIX_OCSP_NONCE)
}

fn response_status_name(n: u32) -> &'static str {
    match n {
        1 => "malformedRequest",
        2 => "internalError",
        3 => "tryLater",
        5 => "sigRequired",
        6 => "unauthorized",
        _ => "an unknown status",
    }
}

/// Parses a DER `OCSPResponse` (§4.2.1) that must be successful and basic.
pub fn parse_response(der: &[u8]) -> Result<BasicResponse, OcspError> {
    if der.len() > MAX_RESPONSE_BYTES {
        return Err(OcspError::TooLarge);
    }
    let malformed = |e: DerError| OcspError::Malformed(e.0.to_string());
    // OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED, responseBytes [0] EXPLICIT
    //   ResponseBytes OPTIONAL }; ResponseBytes ::= SEQUENCE { responseType OID, response
    //   OCTET STRING }.
    let (status, bytes) = asn1::parse_whole(der, tag::SEQUENCE, "expected an OCSPResponse", |d| {
        let status = asn1::small_uint(d.expect(0x0A, "expected a responseStatus")?)?;
        let bytes = match d.optional(tag::context_constructed(0))? {
            Some(t) => Some(asn1::parse_whole(
                t.value,
                tag::SEQUENCE,
                "expected ResponseBytes",
                |r| Ok((r.oid()?, r.octet_string()?)),
            )?),
            None => None,
        };
        Ok((status, bytes))
    })
    .map_err(malformed)?;
    if status != 0 {
        return Err(OcspError::NotSuccessful(response_status_name(status)));
    }
    let Some((kind, inner)) = bytes else {
        return Err(OcspError::Malformed(
            "a successful answer without content".into(),
        ));
    };
    if kind != ID_PKIX_OCSP_BASIC {
        return Err(OcspError::UnsupportedType);
    }
    parse_basic(inner).map_err(malformed)
}

/// `BasicOCSPResponse ::= SEQUENCE { tbsResponseData ResponseData, signatureAlgorithm
/// AlgorithmIdentifier, signature BIT STRING, certs [0] EXPLICIT SEQUENCE OF Certificate
/// OPTIONAL }`.
fn parse_basic(der: &[u8]) -> DerResult<BasicResponse> {
    asn1::parse_whole(der, tag::SEQUENCE, "expected a BasicOCSPResponse", |d| {
        let tbs = d.any()?;
        if tbs.tag != tag::SEQUENCE {
            return Err(DerError("expected ResponseData"));
        }
        let signature_algorithm = AlgorithmIdentifier::read(d)?;
        let signature = d
            .bit_string()?
            .as_bytes()
            .ok_or(DerError("signature BIT STRING with unused bits"))?
            .to_vec();
        let mut certs = Vec::new();
        if let Some(c) = d.optional(tag::context_constructed(0))? {
            let mut outer = Der::new(c.value);
            let mut list = outer.nested(tag::SEQUENCE, "expected the certs")?;
            outer.finish("unexpected data after the certs")?;
            while !list.is_empty() {
                if certs.len() == MAX_RESPONDER_CERTS {
                    return Err(DerError("too many certificates in the answer"));
                }
                certs.push(Certificate::from_der(list.any()?.raw)?);
            }
        }
        let mut t = Der::new(tbs.value);
        // version [0] EXPLICIT Version DEFAULT v1: DER leaves the default out.
        if t.optional(tag::context_constructed(0))?.is_some() {
            return Err(DerError("unknown response version"));
        }
        let rid = t.any()?;
        let responder_id = match rid.tag {
            0xA1 => {
                let mut n = Der::new(rid.value);
                let name = x509::Name::read(&mut n)?;
                n.finish("unexpected data in the responder name")?;
                ResponderId::ByName(name_key(&name))
            }
            0xA2 => {
                let mut k = Der::new(rid.value);
                let hash = k.octet_string()?.to_vec();
                k.finish("unexpected data in the responder key hash")?;
                ResponderId::ByKey(hash)
            }
            _ => return Err(DerError("expected a ResponderID")),
        };
        let produced_at = generalized_time(&mut t)?;
        let mut responses = Vec::new();
        let mut list = t.nested(tag::SEQUENCE, "expected the responses")?;
        while !list.is_empty() {
            if responses.len() == MAX_SINGLE_RESPONSES {
                return Err(DerError("too many answers in one response"));
            }
            responses.push(single_response(&mut list)?);
        }
        let exts = x509::explicit_extensions(&mut t, 1)?;
        t.finish("unexpected data in the ResponseData")?;
        Ok(BasicResponse {
            tbs_der: tbs.raw.to_vec(),
            responder_id,
            produced_at,
            responses,
            unknown_critical: unknown_critical(&exts),
            signature_algorithm,
            signature,
            certs,
        })
    })
}

/// OCSP times are GeneralizedTime (§4.2.1).
fn generalized_time(d: &mut Der) -> DerResult<i64> {
    if d.peek_tag() != Some(tag::GENERALIZED_TIME) {
        return Err(DerError("expected a GeneralizedTime"));
    }
    d.time()
}

/// `SingleResponse ::= SEQUENCE { certID CertID, certStatus CertStatus, thisUpdate
/// GeneralizedTime, nextUpdate [0] EXPLICIT GeneralizedTime OPTIONAL, singleExtensions [1]
/// EXPLICIT Extensions OPTIONAL }`; `CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked
/// [1] IMPLICIT RevokedInfo, unknown [2] IMPLICIT UnknownInfo }`; `RevokedInfo ::= SEQUENCE {
/// revocationTime GeneralizedTime, revocationReason [0] EXPLICIT CRLReason OPTIONAL }`.
fn single_response(d: &mut Der) -> DerResult<SingleResponse> {
    let mut s = d.nested(tag::SEQUENCE, "expected a SingleResponse")?;
    let cert_id = CertId::read(&mut s)?;
    let st = s.any()?;
    let status = match st.tag {
        0x80 if st.value.is_empty() => OcspStatus::Good {
            this_update: 0,
            next_update: None,
        },
        0xA1 => {
            let mut r = Der::new(st.value);
            let time = generalized_time(&mut r)?;
            let reason = match r.optional(tag::context_constructed(0))? {
                Some(t) => {
                    let mut e = Der::new(t.value);
                    let code = asn1::small_uint(e.expect(0x0A, "expected a CRLReason")?)?;
                    e.finish("unexpected data in the revocation reason")?;
                    Some(super::crl::reason_name(code).to_string())
                }
                None => None,
            };
            r.finish("unexpected data in RevokedInfo")?;
            OcspStatus::Revoked { time, reason }
        }
        0x82 if st.value.is_empty() => OcspStatus::Unknown,
        _ => return Err(DerError("expected a CertStatus")),
    };
    let this_update = generalized_time(&mut s)?;
    let next_update = match s.optional(tag::context_constructed(0))? {
        Some(t) => {
            let mut n = Der::new(t.value);
            let v = generalized_time(&mut n)?;
            n.finish("unexpected data in nextUpdate")?;
            Some(v)
        }
        None => None,
    };
    let exts = x509::explicit_extensions(&mut s, 1)?;
    s.finish("unexpected data in a SingleResponse")?;
    let status = match status {
        OcspStatus::Good { .. } => OcspStatus::Good {
            this_update,
            next_update,
        },
        other => other,
    };
    Ok(SingleResponse {
        cert_id,
        status,
        this_update,
        next_update,
        unknown_critical: unknown_critical(&exts),
    })
}

/// The certificate whose status is asked, and its issuer (from the validated path).
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// The certificate.
    pub cert: &'a Certificate,
    /// Its issuer's key (the path's working public key).
    pub issuer_key: &'a SubjectPublicKeyInfo,
    /// Its issuer's subject name, normalised.
    pub issuer_name: &'a NameKey,
}

/// Until when `response` may be kept by a cache (unix seconds): the earliest `nextUpdate` of
/// its answers, or `thisUpdate` plus [`MAX_AGE_WITHOUT_NEXT_UPDATE_SECS`] for one without;
/// `None` when it does not parse or is not successful. Not a check: [`check`] judges the answer
/// each time it is used.
pub fn answer_until(response: &[u8]) -> Option<i64> {
    let r = parse_response(response).ok()?;
    r.responses
        .iter()
        .map(|s| {
            s.next_update.unwrap_or(
                s.this_update
                    .saturating_add(MAX_AGE_WITHOUT_NEXT_UPDATE_SECS),
            )
        })
        .min()
}

/// Whether `response` parses and has an answer about `subject`'s certificate (whoever signed
/// it): a caller holding answers for several certificates picks with this, before the costlier
/// [`check`].
pub fn is_about(response: &[u8], subject: Subject) -> bool {
    parse_response(response).is_ok_and(|r| {
        r.responses
            .iter()
            .any(|s| s.cert_id == CertId::new(subject.cert, subject.issuer_key, s.cert_id.hash))
    })
}

/// What the caller knows of a delegated responder certificate's own revocation.
///
/// RFC 6960 §4.2.2.2.1 leaves the check of a delegated responder's certificate to the CA
/// (which marks it id-pkix-ocsp-nocheck, or names a CRL distribution point or an OCSP
/// responder in it) and the client's policy. What we do:
/// - **id-pkix-ocsp-nocheck**: not checked, as the CA says (§4.2.2.2.1 first option; the
///   CA/Browser Forum's baseline requirements make every delegated responder carry it, and
///   keep its validity short instead);
/// - **otherwise** it is checked against the CRLs at hand and those fetched from the
///   distribution points (the caller's function, [`check_with`]). Revoked: the answer is not
///   authorised. Not established: the answer may still prove "revoked" (a false "revoked"
///   from a stolen responder key harms no reader: the verdict is only less green), never
///   "good" ([`OcspError::ResponderNotChecked`]; the caller then names the responder's
///   distribution points to fetch). A "good" from a responder whose key may have been stolen
///   is exactly what revocation checking is there to stop. It is not asked by OCSP (a
///   responder vouching for itself proves nothing, §4.2.2.2.1 third option).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponderRevocation {
    /// Not revoked, by a CRL.
    Good,
    /// Revoked.
    Revoked,
    /// No CRL at hand settles it.
    NotChecked,
}

/// Checks the DER `response` for `subject` at `time` (unix seconds) and says what it proves
/// (see the module documentation for every rule). Signatures go through `off` when given. A
/// delegated responder without id-pkix-ocsp-nocheck counts as not checked: see [`check_with`].
pub fn check(
    response: &[u8],
    subject: Subject,
    time: u64,
    off: Option<&Offload>,
) -> Result<OcspStatus, OcspError> {
    check_with(response, subject, time, off, &mut |_| {
        ResponderRevocation::NotChecked
    })
}

/// [`check`], with `responder` telling the revocation status of a delegated responder
/// certificate without id-pkix-ocsp-nocheck (see [`ResponderRevocation`]).
pub fn check_with(
    response: &[u8],
    subject: Subject,
    time: u64,
    off: Option<&Offload>,
    responder: &mut dyn FnMut(&Certificate) -> ResponderRevocation,
) -> Result<OcspStatus, OcspError> {
    let r = parse_response(response)?;
    // The answer about this certificate first: a response about another one says nothing
    // here, whoever signed it.
    let single = r
        .responses
        .iter()
        .find(|s| s.cert_id == CertId::new(subject.cert, subject.issuer_key, s.cert_id.hash))
        .ok_or(OcspError::NotAboutCertificate)?;
    if r.unknown_critical || single.unknown_critical {
        return Err(OcspError::UnknownCriticalExtension);
    }
    let (strength, unchecked) = check_signature(&r, subject, time, off, responder)?;
    let now = asn1::signed_time(time);
    if single.this_update > now.saturating_add(MAX_CLOCK_SKEW_SECS) {
        return Err(OcspError::NotYetValid {
            this_update: single.this_update,
        });
    }
    let until = single.next_update.unwrap_or(
        single
            .this_update
            .saturating_add(MAX_AGE_WITHOUT_NEXT_UPDATE_SECS),
    );
    if until < now.saturating_sub(MAX_CLOCK_SKEW_SECS) {
        return Err(OcspError::Expired { until });
    }
    if matches!(single.status, OcspStatus::Good { .. }) {
        if strength != Strength::Strong {
            return Err(OcspError::WeakGood);
        }
        if unchecked {
            return Err(OcspError::ResponderNotChecked);
        }
    }
    Ok(single.status.clone())
}

/// The response's signature, by the issuer or a responder it authorised (§4.2.2.2), and
/// whether that responder's own revocation status is not established.
fn check_signature(
    r: &BasicResponse,
    subject: Subject,
    time: u64,
    off: Option<&Offload>,
    responder: &mut dyn FnMut(&Certificate) -> ResponderRevocation,
) -> Result<(Strength, bool), OcspError> {
    let issuer_key_hash = HashAlg::Sha1.digest(&subject.issuer_key.subject_public_key.bytes);
    let names = |key: &SubjectPublicKeyInfo, name: &NameKey| match &r.responder_id {
        ResponderId::ByName(n) => n == name,
        ResponderId::ByKey(h) => *h == HashAlg::Sha1.digest(&key.subject_public_key.bytes),
    };
    let verify = |key: &SubjectPublicKeyInfo| {
        algs::verify_signature_with(
            off,
            key,
            None,
            &r.signature_algorithm,
            &r.tbs_der,
            &r.signature,
        )
        .map_err(|e| OcspError::BadSignature(e.to_string()))
    };
    // The issuer itself.
    let by_issuer = match &r.responder_id {
        ResponderId::ByName(n) => n == subject.issuer_name,
        ResponderId::ByKey(h) => *h == issuer_key_hash,
    };
    if by_issuer {
        return Ok((verify(subject.issuer_key)?, false));
    }
    // A delegated responder: the certificate the responderID names, from `certs`.
    let Some(delegate) = r
        .certs
        .iter()
        .find(|c| names(&c.subject_public_key_info, &name_key(&c.subject)))
    else {
        return Err(OcspError::Unauthorised(
            "neither the issuer nor a responder certificate it issued".into(),
        ));
    };
    let chain = authorise(delegate, subject, time, off)?;
    let s = verify(&delegate.subject_public_key_info)?;
    let unchecked = delegate.extension(ID_PKIX_OCSP_NOCHECK).is_none()
        && match responder(delegate) {
            ResponderRevocation::Good => false,
            ResponderRevocation::NotChecked => true,
            ResponderRevocation::Revoked => {
                return Err(OcspError::Unauthorised("its certificate is revoked".into()))
            }
        };
    Ok((weakest(s, chain), unchecked))
}

fn weakest(a: Strength, b: Strength) -> Strength {
    if a == Strength::Strong {
        b
    } else {
        a
    }
}

/// §4.2.2.2: a delegated responder's certificate is issued directly by the certificate's
/// issuer and carries id-kp-OCSPSigning; it must also be valid now and, with a keyUsage,
/// allow digitalSignature (RFC 5280 §4.2.1.3).
fn authorise(
    delegate: &Certificate,
    subject: Subject,
    time: u64,
    off: Option<&Offload>,
) -> Result<Strength, OcspError> {
    let bad = |why: &str| Err(OcspError::Unauthorised(why.into()));
    if name_key(&delegate.issuer) != *subject.issuer_name {
        return bad("its certificate was issued by another authority");
    }
    let eku = match delegate.extension(x509::ids::EXT_KEY_USAGE) {
        Some(e) => x509::parse_oid_list(&e.extn_value)
            .map_err(|e| OcspError::Malformed(e.0.to_string()))?,
        None => Vec::new(),
    };
    if !eku.contains(&ID_KP_OCSP_SIGNING) {
        return bad("its certificate is not for signing revocation answers");
    }
    if let Some(e) = delegate.extension(x509::ids::KEY_USAGE) {
        let ku = x509::parse_key_usage(&e.extn_value)
            .map_err(|e| OcspError::Malformed(e.0.to_string()))?;
        if ku & x509::key_usage::DIGITAL_SIGNATURE == 0 {
            return bad("its certificate's key usage does not allow signing");
        }
    }
    let now = asn1::signed_time(time);
    if now < delegate.not_before || now > delegate.not_after {
        return bad("its certificate is not valid at the time of the check");
    }
    let Some(sig) = delegate.signature.as_bytes() else {
        return bad("its certificate's signature is malformed");
    };
    match algs::verify_signature_with(
        off,
        subject.issuer_key,
        None,
        &delegate.signature_algorithm,
        &delegate.tbs_der,
        sig,
    ) {
        Ok(s) => Ok(s),
        Err(_) => bad("its certificate was not signed by the issuer"),
    }
}
