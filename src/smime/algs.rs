//! Signature algorithms: verify one signature with one public key, and hash content.
//!
//! Used twice: by the path validator for certificate and CRL signatures (RFC 5280 §4.1.1.2,
//! the hash is implied by `signatureAlgorithm`), and by the CMS code for `SignerInfo`
//! signatures (RFC 5652 §5.4/§5.6, the hash is `SignerInfo.digestAlgorithm`).
//!
//! Supported:
//! - RSA PKCS#1 v1.5 (RFC 8017 §8.2, identifiers RFC 4055/RFC 5754) with SHA-1/224/256/384/512;
//! - RSASSA-PSS (RFC 4055 §3.1 parameters, RFC 8017 §8.1), any salt length, MGF1 with the
//!   same hash as the message hash;
//! - ECDSA over P-256, P-384, P-521 (RFC 5480, RFC 5758 §3.2; DER `Ecdsa-Sig-Value`) with
//!   any of the SHA-2 hashes on any curve (RFC 5753 allows that in CMS);
//! - Ed25519 (RFC 8410 keys, RFC 8419 in CMS: pure Ed25519 over the message);
//! - DSA (RFC 3279 §2.2.2/§2.3.2, with the parameters passed in the key), reported weak.
//!
//! Verification never trusts a "weak" result silently: SHA-1, RSA keys under
//! [`MIN_RSA_BITS`] bits and DSA verify but come back as [`Strength::Weak`]. MD2/MD5 and
//! anything unknown are [`AlgError::Unsupported`], naming the algorithm.

use super::asn1::{self, tag, Any, Der, DerResult};
use super::ed25519;
use super::offload::{Curve, Offload, SignatureRequest, SignatureScheme};
use super::x509::{AlgorithmIdentifier, SubjectPublicKeyInfo};
use const_oid::ObjectIdentifier;
use digest::DynDigest;

/// RSA keys with a modulus shorter than this many bits verify but are reported weak
/// (NIST SP 800-131A; the CA/B Forum S/MIME BR §6.1.5 require 2048).
pub const MIN_RSA_BITS: usize = 2048;
/// The largest RSA modulus accepted, in bits: bigger keys make verification slow enough to be
/// a denial of service (a 16384-bit key costs ~16x a 4096-bit one).
pub const MAX_RSA_BITS: usize = 8192;

/// OIDs used here (RFC 3279, RFC 4055, RFC 5480, RFC 5758, RFC 8410, NIST CSOR).
pub mod oids {
    use const_oid::ObjectIdentifier as Oid;
    /// rsaEncryption (RFC 8017 / RFC 3279 §2.3.1).
    pub const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
    /// md2WithRSAEncryption.
    pub const MD2_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.2");
    /// md5WithRSAEncryption.
    pub const MD5_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.4");
    /// sha1WithRSAEncryption.
    pub const SHA1_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.5");
    /// id-mgf1 (RFC 4055 §2.2).
    pub const MGF1: Oid = Oid::new_unwrap("1.2.840.113549.1.1.8");
    /// id-RSASSA-PSS (RFC 4055 §3.1).
    pub const RSASSA_PSS: Oid = Oid::new_unwrap("1.2.840.113549.1.1.10");
    /// sha256WithRSAEncryption (RFC 4055 §5).
    pub const SHA256_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
    /// sha384WithRSAEncryption.
    pub const SHA384_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
    /// sha512WithRSAEncryption.
    pub const SHA512_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");
    /// sha224WithRSAEncryption.
    pub const SHA224_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.14");
    /// id-ecPublicKey (RFC 5480 §2.1.1).
    pub const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
    /// secp256r1 / prime256v1.
    pub const SECP256R1: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
    /// secp384r1.
    pub const SECP384R1: Oid = Oid::new_unwrap("1.3.132.0.34");
    /// secp521r1.
    pub const SECP521R1: Oid = Oid::new_unwrap("1.3.132.0.35");
    /// ecdsa-with-SHA1 (RFC 3279 §2.2.3).
    pub const ECDSA_WITH_SHA1: Oid = Oid::new_unwrap("1.2.840.10045.4.1");
    /// ecdsa-with-SHA224 (RFC 5758 §3.2).
    pub const ECDSA_WITH_SHA224: Oid = Oid::new_unwrap("1.2.840.10045.4.3.1");
    /// ecdsa-with-SHA256.
    pub const ECDSA_WITH_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
    /// ecdsa-with-SHA384.
    pub const ECDSA_WITH_SHA384: Oid = Oid::new_unwrap("1.2.840.10045.4.3.3");
    /// ecdsa-with-SHA512.
    pub const ECDSA_WITH_SHA512: Oid = Oid::new_unwrap("1.2.840.10045.4.3.4");
    /// id-Ed25519 (RFC 8410 §3).
    pub const ED25519: Oid = Oid::new_unwrap("1.3.101.112");
    /// id-Ed448 (RFC 8410 §3), not supported.
    pub const ED448: Oid = Oid::new_unwrap("1.3.101.113");
    /// id-dsa (RFC 3279 §2.3.2).
    pub const DSA: Oid = Oid::new_unwrap("1.2.840.10040.4.1");
    /// id-dsa-with-sha1 (RFC 3279 §2.2.2).
    pub const DSA_WITH_SHA1: Oid = Oid::new_unwrap("1.2.840.10040.4.3");
    /// id-dsa-with-sha224 (RFC 5758 §3.1).
    pub const DSA_WITH_SHA224: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.3.1");
    /// id-dsa-with-sha256 (RFC 5758 §3.1).
    pub const DSA_WITH_SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.3.2");
    /// id-sha1.
    pub const SHA1: Oid = Oid::new_unwrap("1.3.14.3.2.26");
    /// id-sha224.
    pub const SHA224: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.4");
    /// id-sha256.
    pub const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
    /// id-sha384.
    pub const SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
    /// id-sha512.
    pub const SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");
    /// id-md5.
    pub const MD5: Oid = Oid::new_unwrap("1.2.840.113549.2.5");
    /// id-md2.
    pub const MD2: Oid = Oid::new_unwrap("1.2.840.113549.2.2");
}

/// Why a signature that verified is nevertheless not to be trusted as "strong".
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeakReason {
    /// The hash is SHA-1, which has practical collision attacks (SHAttered, 2017).
    Sha1,
    /// The RSA modulus is shorter than [`MIN_RSA_BITS`].
    RsaKeyTooSmall {
        /// Modulus length in bits.
        bits: usize,
    },
    /// DSA: removed from current standards (FIPS 186-5) and from the S/MIME BR.
    Dsa,
}

impl core::fmt::Display for WeakReason {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            WeakReason::Sha1 => f.write_str("uses SHA-1"),
            WeakReason::RsaKeyTooSmall { bits } => {
                write!(f, "RSA key of {bits} bits (under {MIN_RSA_BITS})")
            }
            WeakReason::Dsa => f.write_str("uses DSA"),
        }
    }
}

/// What the check concluded about algorithm strength, once the signature verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strength {
    /// Verified with an algorithm and key size considered secure.
    Strong,
    /// Verified, but with a weak algorithm or key: do not show it as fully verified.
    Weak(WeakReason),
}

impl Strength {
    /// The weak reason, if any.
    pub fn weak_reason(self) -> Option<WeakReason> {
        match self {
            Strength::Strong => None,
            Strength::Weak(r) => Some(r),
        }
    }
}

/// Errors from signature verification and hashing.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlgError {
    /// The algorithm (hash, signature, curve or key type) is not supported; `what` names it
    /// (e.g. "MD5", "Ed448", "curve 1.3.132.0.10").
    Unsupported {
        /// Human name or dotted OID of what is unsupported.
        what: String,
    },
    /// The signature does not verify with this key: the data or signature was altered, or
    /// the wrong key was used.
    BadSignature,
    /// The public key (SubjectPublicKeyInfo) could not be parsed for its algorithm.
    MalformedKey {
        /// What is wrong.
        detail: String,
    },
    /// The signature value is not well-formed for its algorithm (e.g. bad DER for ECDSA).
    MalformedSignature,
    /// The algorithm parameters (e.g. RSASSA-PSS-params) are malformed or inconsistent.
    MalformedParameters {
        /// What is wrong.
        detail: String,
    },
    /// The key type does not match the signature algorithm (e.g. an EC key with
    /// sha256WithRSAEncryption).
    KeyMismatch {
        /// The key algorithm.
        key: String,
        /// The signature algorithm.
        sig: String,
    },
}

impl core::fmt::Display for AlgError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            AlgError::Unsupported { what } => write!(f, "unsupported algorithm: {what}"),
            AlgError::BadSignature => f.write_str("signature does not verify"),
            AlgError::MalformedKey { detail } => write!(f, "malformed public key: {detail}"),
            AlgError::MalformedSignature => f.write_str("malformed signature value"),
            AlgError::MalformedParameters { detail } => {
                write!(f, "malformed algorithm parameters: {detail}")
            }
            AlgError::KeyMismatch { key, sig } => {
                write!(f, "a {key} key cannot verify a {sig} signature")
            }
        }
    }
}

impl std::error::Error for AlgError {}

/// A human name for an OID: its name for the algorithms named in [`oids`], or the dotted form.
pub fn oid_name(oid: &ObjectIdentifier) -> String {
    // A table, not a `match` on OID constants: each arm of such a match is a comparison of
    // the whole 40-byte value, which made this function 8 KB of wasm.
    const NAMES: [(ObjectIdentifier, &str); 27] = [
        (oids::RSA_ENCRYPTION, "rsaEncryption"),
        (oids::SHA1_WITH_RSA, "sha1WithRSAEncryption"),
        (oids::SHA224_WITH_RSA, "sha224WithRSAEncryption"),
        (oids::SHA256_WITH_RSA, "sha256WithRSAEncryption"),
        (oids::SHA384_WITH_RSA, "sha384WithRSAEncryption"),
        (oids::SHA512_WITH_RSA, "sha512WithRSAEncryption"),
        (oids::RSASSA_PSS, "id-RSASSA-PSS"),
        (oids::MGF1, "id-mgf1"),
        (oids::EC_PUBLIC_KEY, "id-ecPublicKey"),
        (oids::SECP256R1, "secp256r1"),
        (oids::SECP384R1, "secp384r1"),
        (oids::SECP521R1, "secp521r1"),
        (oids::ECDSA_WITH_SHA1, "ecdsa-with-SHA1"),
        (oids::ECDSA_WITH_SHA224, "ecdsa-with-SHA224"),
        (oids::ECDSA_WITH_SHA256, "ecdsa-with-SHA256"),
        (oids::ECDSA_WITH_SHA384, "ecdsa-with-SHA384"),
        (oids::ECDSA_WITH_SHA512, "ecdsa-with-SHA512"),
        (oids::ED25519, "id-Ed25519"),
        (oids::DSA, "id-dsa"),
        (oids::DSA_WITH_SHA1, "id-dsa-with-sha1"),
        (oids::DSA_WITH_SHA224, "id-dsa-with-sha224"),
        (oids::DSA_WITH_SHA256, "id-dsa-with-sha256"),
        (oids::SHA1, "id-sha1"),
        (oids::SHA224, "id-sha224"),
        (oids::SHA256, "id-sha256"),
        (oids::SHA384, "id-sha384"),
        (oids::SHA512, "id-sha512"),
    ];
    // Named by their algorithm alone, without the OID: unsupported, and the name says enough.
    const BARE: [(ObjectIdentifier, &str); 5] = [
        (oids::MD2, "MD2"),
        (oids::MD2_WITH_RSA, "MD2"),
        (oids::MD5, "MD5"),
        (oids::MD5_WITH_RSA, "MD5"),
        (oids::ED448, "Ed448"),
    ];
    let find = |table: &[(ObjectIdentifier, &'static str)]| {
        table
            .iter()
            .find(|(o, _)| o.as_bytes() == oid.as_bytes())
            .map(|(_, n)| *n)
    };
    if let Some(n) = find(&BARE) {
        return n.into();
    }
    match find(&NAMES) {
        Some(n) => format!("{n} ({oid})"),
        // The rest by number: the whole OID name database would cost 78 KB of wasm.
        None => oid.to_string(),
    }
}

/// The hash functions we implement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashAlg {
    /// SHA-1 (weak).
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl HashAlg {
    /// From a hash OID (id-sha1, id-sha256, ...).
    pub fn from_oid(oid: &ObjectIdentifier) -> Result<HashAlg, AlgError> {
        Ok(match *oid {
            oids::SHA1 => HashAlg::Sha1,
            oids::SHA224 => HashAlg::Sha224,
            oids::SHA256 => HashAlg::Sha256,
            oids::SHA384 => HashAlg::Sha384,
            oids::SHA512 => HashAlg::Sha512,
            _ => {
                return Err(AlgError::Unsupported {
                    what: oid_name(oid),
                })
            }
        })
    }

    /// Output length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            HashAlg::Sha1 => 20,
            HashAlg::Sha224 => 28,
            HashAlg::Sha256 => 32,
            HashAlg::Sha384 => 48,
            HashAlg::Sha512 => 64,
        }
    }

    /// A fresh hasher.
    pub fn hasher(self) -> Box<dyn DynDigest + Send + Sync> {
        match self {
            HashAlg::Sha1 => Box::new(sha1::Sha1::default()),
            HashAlg::Sha224 => Box::new(sha2::Sha224::default()),
            HashAlg::Sha256 => Box::new(sha2::Sha256::default()),
            HashAlg::Sha384 => Box::new(sha2::Sha384::default()),
            HashAlg::Sha512 => Box::new(sha2::Sha512::default()),
        }
    }

    /// Hash `data` in one go.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        let mut h = self.hasher();
        h.update(data);
        h.finalize().into_vec()
    }

    /// Display name, e.g. "SHA-256".
    pub fn name(self) -> &'static str {
        match self {
            HashAlg::Sha1 => "SHA-1",
            HashAlg::Sha224 => "SHA-224",
            HashAlg::Sha256 => "SHA-256",
            HashAlg::Sha384 => "SHA-384",
            HashAlg::Sha512 => "SHA-512",
        }
    }

    /// DER prefix of the PKCS#1 v1.5 `DigestInfo` for this hash (RFC 8017 §9.2 note 1).
    #[cfg_attr(not(feature = "local-signatures"), allow(dead_code))]
    fn digest_info_prefix(self) -> &'static [u8] {
        match self {
            HashAlg::Sha1 => &[
                0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04,
                0x14,
            ],
            HashAlg::Sha224 => &[
                0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x04, 0x05, 0x00, 0x04, 0x1c,
            ],
            HashAlg::Sha256 => &[
                0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x01, 0x05, 0x00, 0x04, 0x20,
            ],
            HashAlg::Sha384 => &[
                0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x02, 0x05, 0x00, 0x04, 0x30,
            ],
            HashAlg::Sha512 => &[
                0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x03, 0x05, 0x00, 0x04, 0x40,
            ],
        }
    }
}

/// Hash helper used for the CMS message-digest attribute: the digest of `data` with `alg`.
pub fn digest(alg: &AlgorithmIdentifier, data: &[u8]) -> Result<Vec<u8>, AlgError> {
    Ok(HashAlg::from_oid(&alg.oid)?.digest(data))
}

/// Incremental variant of [`digest()`] for big content: a boxed hasher for `alg`.
pub fn hasher(alg: &AlgorithmIdentifier) -> Result<Box<dyn DynDigest>, AlgError> {
    let h: Box<dyn DynDigest> = match HashAlg::from_oid(&alg.oid)? {
        HashAlg::Sha1 => Box::new(sha1::Sha1::default()),
        HashAlg::Sha224 => Box::new(sha2::Sha224::default()),
        HashAlg::Sha256 => Box::new(sha2::Sha256::default()),
        HashAlg::Sha384 => Box::new(sha2::Sha384::default()),
        HashAlg::Sha512 => Box::new(sha2::Sha512::default()),
    };
    Ok(h)
}

/// The signature scheme named by a signature `AlgorithmIdentifier`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    /// RSA PKCS#1 v1.5; the hash if the OID implies one (None for plain rsaEncryption).
    RsaPkcs1(Option<HashAlg>),
    /// RSASSA-PSS with its parsed parameters.
    RsaPss { hash: HashAlg, salt_len: usize },
    /// ECDSA; the hash implied by the OID.
    Ecdsa(HashAlg),
    /// Pure Ed25519.
    Ed25519,
    /// DSA; the hash implied by the OID, None for plain id-dsa.
    Dsa(Option<HashAlg>),
}

fn scheme(sig_alg: &AlgorithmIdentifier) -> Result<Scheme, AlgError> {
    use HashAlg::{Sha1, Sha224, Sha256, Sha384, Sha512};
    // A table rather than a `match` on OID constants (see `oid_name`).
    const SCHEMES: [(ObjectIdentifier, Scheme); 17] = [
        (oids::RSA_ENCRYPTION, Scheme::RsaPkcs1(None)),
        (oids::SHA1_WITH_RSA, Scheme::RsaPkcs1(Some(Sha1))),
        (oids::SHA224_WITH_RSA, Scheme::RsaPkcs1(Some(Sha224))),
        (oids::SHA256_WITH_RSA, Scheme::RsaPkcs1(Some(Sha256))),
        (oids::SHA384_WITH_RSA, Scheme::RsaPkcs1(Some(Sha384))),
        (oids::SHA512_WITH_RSA, Scheme::RsaPkcs1(Some(Sha512))),
        (oids::ECDSA_WITH_SHA1, Scheme::Ecdsa(Sha1)),
        (oids::ECDSA_WITH_SHA224, Scheme::Ecdsa(Sha224)),
        (oids::ECDSA_WITH_SHA256, Scheme::Ecdsa(Sha256)),
        (oids::ECDSA_WITH_SHA384, Scheme::Ecdsa(Sha384)),
        (oids::ECDSA_WITH_SHA512, Scheme::Ecdsa(Sha512)),
        (oids::ED25519, Scheme::Ed25519),
        (oids::DSA, Scheme::Dsa(None)),
        (oids::DSA_WITH_SHA1, Scheme::Dsa(Some(Sha1))),
        (oids::DSA_WITH_SHA224, Scheme::Dsa(Some(Sha224))),
        (oids::DSA_WITH_SHA256, Scheme::Dsa(Some(Sha256))),
        // Its parameters say the hash and salt; read below.
        (
            oids::RSASSA_PSS,
            Scheme::RsaPss {
                hash: Sha1,
                salt_len: 20,
            },
        ),
    ];
    let bytes = sig_alg.oid.as_bytes();
    match SCHEMES.iter().find(|(o, _)| o.as_bytes() == bytes) {
        Some((_, Scheme::RsaPss { .. })) => {
            let (hash, salt_len) = pss_params(sig_alg)?;
            Ok(Scheme::RsaPss { hash, salt_len })
        }
        Some((_, s)) => Ok(*s),
        None => Err(AlgError::Unsupported {
            what: oid_name(&sig_alg.oid),
        }),
    }
}

/// Parse RSASSA-PSS-params (RFC 4055 §3.1): (hash, salt length). Absent parameters mean
/// the RFC's defaults (SHA-1, MGF1-SHA-1, salt 20).
fn pss_params(sig_alg: &AlgorithmIdentifier) -> Result<(HashAlg, usize), AlgError> {
    let bad = |detail: &str| AlgError::MalformedParameters {
        detail: format!("RSASSA-PSS-params: {detail}"),
    };
    let Some(any) = &sig_alg.parameters else {
        return Ok((HashAlg::Sha1, 20));
    };
    let params = pss_params_der(&any.to_der()).map_err(|e| bad(e.0))?;
    let hash = HashAlg::from_oid(&params.hash)?;
    if params.mask_gen.oid != oids::MGF1 {
        return Err(AlgError::Unsupported {
            what: format!("PSS mask generation {}", oid_name(&params.mask_gen.oid)),
        });
    }
    let mgf_hash = match &params.mask_gen.parameters {
        Some(p) => HashAlg::from_oid(
            &AlgorithmIdentifier::from_der(&p.to_der())
                .map_err(|e| bad(e.0))?
                .oid,
        )?,
        None => HashAlg::Sha1,
    };
    if mgf_hash != hash {
        // The rsa crate uses one digest for both; mixed hashes are not seen in practice.
        return Err(AlgError::Unsupported {
            what: format!("PSS with MGF1-{} and {}", mgf_hash.name(), hash.name()),
        });
    }
    if params.trailer_field != 1 {
        return Err(bad("trailerField is not 1"));
    }
    Ok((hash, usize::from(params.salt_len)))
}

/// RSASSA-PSS-params (RFC 4055 §3.1), defaults filled in.
struct PssParams {
    hash: ObjectIdentifier,
    mask_gen: AlgorithmIdentifier,
    salt_len: u8,
    trailer_field: u32,
}

/// ```text
/// RSASSA-PSS-params ::= SEQUENCE {
///   hashAlgorithm [0] HashAlgorithm DEFAULT sha1, maskGenAlgorithm [1] MaskGenAlgorithm
///   DEFAULT mgf1SHA1, saltLength [2] INTEGER DEFAULT 20, trailerField [3] INTEGER DEFAULT 1 }
/// ```
/// (explicit tags; a salt over 255 octets is refused, as the pkcs1 crate does).
fn pss_params_der(der: &[u8]) -> DerResult<PssParams> {
    asn1::parse_whole(der, tag::SEQUENCE, "expected RSASSA-PSS-params", |s| {
        let mut explicit = |n: u8| -> DerResult<Option<Der>> {
            Ok(s.optional(tag::context_constructed(n))?
                .map(|t| Der::new(t.value)))
        };
        let hash = match explicit(0)? {
            Some(mut d) => {
                let a = AlgorithmIdentifier::read(&mut d)?;
                d.finish("unexpected data after hashAlgorithm")?;
                a.oid
            }
            None => oids::SHA1,
        };
        let mask_gen = match explicit(1)? {
            Some(mut d) => {
                let a = AlgorithmIdentifier::read(&mut d)?;
                d.finish("unexpected data after maskGenAlgorithm")?;
                a
            }
            None => AlgorithmIdentifier {
                oid: oids::MGF1,
                parameters: Some(Any {
                    tag: tag::SEQUENCE,
                    value: asn1::encode(tag::OID, oids::SHA1.as_bytes()),
                }),
            },
        };
        let mut int = |n: u8, default: u32| -> DerResult<u32> {
            match explicit(n)? {
                Some(mut d) => {
                    let v = asn1::small_uint(d.integer()?)?;
                    d.finish("unexpected data after an INTEGER")?;
                    Ok(v)
                }
                None => Ok(default),
            }
        };
        let salt_len = u8::try_from(int(2, 20)?).map_err(|_| asn1::DerError("salt too long"))?;
        let trailer_field = int(3, 1)?;
        Ok(PssParams {
            hash,
            mask_gen,
            salt_len,
            trailer_field,
        })
    })
}

/// `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }` (RFC 8017
/// §A.1.1): both non-negative, returned without the sign octet.
pub(crate) fn rsa_public_key(der: &[u8]) -> DerResult<(&[u8], &[u8])> {
    asn1::parse_whole(der, tag::SEQUENCE, "expected an RSAPublicKey", |s| {
        let n = asn1::uint(s.integer()?)?;
        let e = asn1::uint(s.integer()?)?;
        Ok((n, e))
    })
}

/// The public key, as far as the core judges it: type, size, curve, validity of its encoding.
/// The maths with it is done by the caller's WebCrypto ([`super::offload`]) or by
/// [`local`] (RustCrypto, the `local-signatures` feature).
enum Key {
    /// RSA (rsaEncryption or id-RSASSA-PSS), modulus length in bits.
    Rsa(usize),
    /// An EC key on a named curve.
    Ec(Curve),
    /// An Ed25519 key that is a point ([`super::ed25519::is_point`]).
    Ed25519([u8; ed25519::KEY_LEN]),
    /// DSA, the bit length of p.
    Dsa(usize),
}

fn malformed(detail: impl Into<String>) -> AlgError {
    AlgError::MalformedKey {
        detail: detail.into(),
    }
}

/// Bit length of a big-endian unsigned integer.
fn bit_len(be: &[u8]) -> usize {
    let be = &be[be.iter().take_while(|b| **b == 0).count()..];
    match be.first() {
        Some(top) => be.len() * 8 - top.leading_zeros() as usize,
        None => 0,
    }
}

/// The checks the `rsa` crate makes of a public key (`RsaPublicKey::new_with_max_size`), on the
/// key's bytes, with its error texts: so a key is judged the same whoever does the maths.
fn check_rsa(n: &[u8], e: &[u8]) -> Result<usize, AlgError> {
    let bits = bit_len(n);
    if bits > MAX_RSA_BITS {
        return Err(AlgError::Unsupported {
            what: format!("RSA key of {bits} bits (over {MAX_RSA_BITS})"),
        });
    }
    let strip = |b: &[u8]| -> Vec<u8> { b[b.iter().take_while(|x| **x == 0).count()..].to_vec() };
    let (n, e) = (strip(n), strip(e));
    let rsa_err = |what: &str| malformed(format!("RSA: {what}"));
    if e.len() > 8 {
        return Err(rsa_err("public exponent too large"));
    }
    let e_u64 = e.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    // e >= n (big-endian magnitudes), or n even.
    let e_ge_n = e.len() > n.len() || (e.len() == n.len() && e >= n);
    if e_ge_n || n.last().map_or(true, |b| b % 2 == 0) {
        return Err(rsa_err("invalid modulus"));
    }
    if e_u64 % 2 == 0 {
        return Err(rsa_err("invalid exponent"));
    }
    if e_u64 < 2 {
        return Err(rsa_err("public exponent too small"));
    }
    if e_u64 > (1 << 33) - 1 {
        return Err(rsa_err("public exponent too large"));
    }
    Ok(bits)
}

fn decode_key(spki: &SubjectPublicKeyInfo) -> Result<Key, AlgError> {
    let key_bytes = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| malformed("public key BIT STRING has unused bits"))?;
    match spki.algorithm.oid {
        oids::RSA_ENCRYPTION | oids::RSASSA_PSS => {
            let (n, e) =
                rsa_public_key(key_bytes).map_err(|e| malformed(format!("RSAPublicKey: {e}")))?;
            let bits = check_rsa(n, e)?;
            Ok(Key::Rsa(bits))
        }
        oids::EC_PUBLIC_KEY => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .ok_or_else(|| malformed("EC key without a named curve"))?;
            let curve = match curve {
                oids::SECP256R1 => Curve::P256,
                oids::SECP384R1 => Curve::P384,
                oids::SECP521R1 => Curve::P521,
                other => {
                    return Err(AlgError::Unsupported {
                        what: format!("curve {}", oid_name(&other)),
                    })
                }
            };
            // The point is on the curve: checked by whoever does the maths (RustCrypto here,
            // or WebCrypto's import, which refuses such a key).
            local::check_point(curve, key_bytes)?;
            Ok(Key::Ec(curve))
        }
        oids::ED25519 => {
            let bytes: [u8; ed25519::KEY_LEN] = key_bytes
                .try_into()
                .map_err(|_| malformed("Ed25519 key is not 32 bytes"))?;
            if !ed25519::is_point(&bytes) {
                return Err(malformed("invalid Ed25519 point"));
            }
            Ok(Key::Ed25519(bytes))
        }
        oids::DSA => Ok(Key::Dsa(local::dsa_bits(spki, key_bytes)?)),
        other => Err(AlgError::Unsupported {
            what: format!("key type {}", oid_name(&other)),
        }),
    }
}

/// The order n of each curve, big-endian (SEC 2 §2.4.2, §2.5.1, §2.6.1).
fn curve_order(curve: Curve) -> &'static [u8] {
    const P256: [u8; 32] = [
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63,
        0x25, 0x51,
    ];
    const P384: [u8; 48] = [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37,
        0x2d, 0xdf, 0x58, 0x1a, 0x0d, 0xb2, 0x48, 0xb0, 0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc,
        0xc5, 0x29, 0x73,
    ];
    const P521: [u8; 66] = [
        0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xfa, 0x51, 0x86, 0x87, 0x83, 0xbf, 0x2f, 0x96, 0x6b, 0x7f, 0xcc, 0x01,
        0x48, 0xf7, 0x09, 0xa5, 0xd0, 0x3b, 0xb5, 0xc9, 0xb8, 0x89, 0x9c, 0x47, 0xae, 0xbb, 0x6f,
        0xb7, 0x1e, 0x91, 0x38, 0x64, 0x09,
    ];
    match curve {
        Curve::P256 => &P256,
        Curve::P384 => &P384,
        Curve::P521 => &P521,
    }
}

/// The field element size of each curve in bytes (the width of r and s in P1363 form).
fn curve_bytes(curve: Curve) -> usize {
    match curve {
        Curve::P256 => 32,
        Curve::P384 => 48,
        Curve::P521 => 66,
    }
}

/// An `Ecdsa-Sig-Value` (RFC 5480 §2.2.3 / RFC 3279 §2.2.3) in strict DER, with r and s in
/// [1, n-1], as `r || s` each left-padded to the field size (IEEE P1363, what WebCrypto takes).
fn ecdsa_p1363(curve: Curve, der_sig: &[u8]) -> Result<Vec<u8>, AlgError> {
    let (r, s) = asn1::parse_whole(der_sig, tag::SEQUENCE, "expected an Ecdsa-Sig-Value", |d| {
        let r = asn1::uint(d.integer()?)?;
        let s = asn1::uint(d.integer()?)?;
        Ok((r, s))
    })
    .map_err(|_| AlgError::MalformedSignature)?;
    let width = curve_bytes(curve);
    let order = curve_order(curve);
    let mut out = Vec::with_capacity(2 * width);
    for x in [r, s] {
        // Without the sign byte; zero, or not under n, is no signature.
        let x = &x[x.iter().take_while(|b| **b == 0).count()..];
        let below_n = x.len() < order.len() || (x.len() == order.len() && x < order);
        if x.is_empty() || x.len() > width || !below_n {
            return Err(AlgError::MalformedSignature);
        }
        out.extend(std::iter::repeat(0).take(width - x.len()));
        out.extend_from_slice(x);
    }
    Ok(out)
}

/// The key as WebCrypto imports it for RSA: an rsaEncryption SPKI with NULL parameters (RFC
/// 3279 §2.3.1), whatever the certificate used (an id-RSASSA-PSS key is the same key).
fn rsa_spki_for_import(spki: &SubjectPublicKeyInfo) -> SubjectPublicKeyInfo {
    SubjectPublicKeyInfo {
        algorithm: AlgorithmIdentifier {
            oid: oids::RSA_ENCRYPTION,
            parameters: Some(Any {
                tag: tag::NULL,
                value: Vec::new(),
            }),
        },
        subject_public_key: spki.subject_public_key.clone(),
    }
}

fn key_name(spki: &SubjectPublicKeyInfo) -> String {
    match spki.algorithm.oid {
        oids::RSA_ENCRYPTION | oids::RSASSA_PSS => "RSA".into(),
        oids::EC_PUBLIC_KEY => "EC".into(),
        oids::ED25519 => "Ed25519".into(),
        oids::DSA => "DSA".into(),
        other => oid_name(&other),
    }
}

/// Verify `signature` over `message` with the signer's `spki`.
///
/// `digest_alg` is the hash the signer used: for CMS `SignerInfo.digestAlgorithm`; for
/// certificates and CRLs pass `None` and the hash is taken from `sig_alg`
/// (sha256WithRSAEncryption etc.). When both are given, `digest_alg` wins (RFC 5652 §5.4:
/// the signed attributes are hashed with the digestAlgorithm) except for RSASSA-PSS, whose
/// parameters name the hash. `sig_alg` is the signature `AlgorithmIdentifier`.
/// For Ed25519 (RFC 8419) the message is signed as is, and `digest_alg` is ignored.
///
/// Returns the strength on success: SHA-1, small RSA keys and DSA are [`Strength::Weak`].
pub fn verify_signature(
    spki: &SubjectPublicKeyInfo,
    digest_alg: Option<&AlgorithmIdentifier>,
    sig_alg: &AlgorithmIdentifier,
    message: &[u8],
    signature: &[u8],
) -> Result<Strength, AlgError> {
    verify_signature_with(None, spki, digest_alg, sig_alg, message, signature)
}

/// The caller's answer for this check, when `off` offers it ([`super::offload`]): `Some(Ok)`
/// valid, `Some(Err)` invalid, `None` verify here. Only after the key and the signature's
/// encoding passed the core's own checks.
fn offered(
    off: Option<&Offload>,
    scheme: SignatureScheme,
    spki: &SubjectPublicKeyInfo,
    message: &[u8],
    signature: &[u8],
) -> Option<Result<(), AlgError>> {
    let off = off?;
    // WebCrypto has no SHA-224.
    if scheme.hash() == Some(HashAlg::Sha224) {
        return None;
    }
    let request = SignatureRequest {
        scheme,
        spki: spki.to_der(),
        message: message.to_vec(),
        signature: signature.to_vec(),
    };
    off.signature(request).map(|ok| {
        if ok {
            Ok(())
        } else {
            Err(AlgError::BadSignature)
        }
    })
}

/// [`verify_signature`], with the caller's answers ([`super::offload`]) when `off` is given.
pub(crate) fn verify_signature_with(
    off: Option<&Offload>,
    spki: &SubjectPublicKeyInfo,
    digest_alg: Option<&AlgorithmIdentifier>,
    sig_alg: &AlgorithmIdentifier,
    message: &[u8],
    signature: &[u8],
) -> Result<Strength, AlgError> {
    let scheme = scheme(sig_alg)?;
    let key = decode_key(spki)?;
    let given_hash = digest_alg.map(|a| HashAlg::from_oid(&a.oid)).transpose()?;
    let mismatch = || AlgError::KeyMismatch {
        key: key_name(spki),
        sig: oid_name(&sig_alg.oid),
    };
    let need_hash = |implied: Option<HashAlg>| -> Result<HashAlg, AlgError> {
        given_hash
            .or(implied)
            .ok_or_else(|| AlgError::MalformedParameters {
                detail: format!("{} needs a digest algorithm", oid_name(&sig_alg.oid)),
            })
    };
    let rsa_weak = |bits: usize, hash: HashAlg| {
        if bits < MIN_RSA_BITS {
            Some(WeakReason::RsaKeyTooSmall { bits })
        } else if hash == HashAlg::Sha1 {
            Some(WeakReason::Sha1)
        } else {
            None
        }
    };
    let weak = match (scheme, key) {
        (Scheme::RsaPkcs1(implied), Key::Rsa(bits)) => {
            let hash = need_hash(implied)?;
            let asked = SignatureScheme::RsaPkcs1 { hash };
            let import = rsa_spki_for_import(spki);
            match offered(off, asked, &import, message, signature) {
                Some(r) => r?,
                None => local::verify(asked, spki, message, signature)?,
            }
            rsa_weak(bits, hash)
        }
        (Scheme::RsaPss { hash, salt_len }, Key::Rsa(bits)) => {
            let asked = SignatureScheme::RsaPss { hash, salt_len };
            let import = rsa_spki_for_import(spki);
            match offered(off, asked, &import, message, signature) {
                Some(r) => r?,
                None => local::verify(asked, spki, message, signature)?,
            }
            rsa_weak(bits, hash)
        }
        (Scheme::Ecdsa(implied), Key::Ec(curve)) => {
            let hash = need_hash(Some(implied))?;
            // The DER signature is decoded (strictly) here; WebCrypto gets r || s.
            let p1363 = ecdsa_p1363(curve, signature)?;
            let asked = SignatureScheme::Ecdsa { curve, hash };
            match offered(off, asked, spki, message, &p1363) {
                Some(r) => r?,
                None => local::verify(asked, spki, message, &p1363)?,
            }
            (hash == HashAlg::Sha1).then_some(WeakReason::Sha1)
        }
        (Scheme::Ed25519, Key::Ed25519(k)) => {
            let sig: &[u8; ed25519::SIGNATURE_LEN] = signature
                .try_into()
                .map_err(|_| AlgError::MalformedSignature)?;
            if !ed25519::passes_strict_checks(&k, sig) {
                return Err(AlgError::BadSignature);
            }
            let asked = SignatureScheme::Ed25519;
            let import = ed25519::spki(&k);
            match offered(off, asked, &import, message, signature) {
                Some(r) => r?,
                None => local::verify(asked, &import, message, signature)?,
            }
            None
        }
        (Scheme::Dsa(implied), Key::Dsa(_bits)) => {
            let hash = need_hash(implied)?;
            local::verify_dsa(spki, hash, message, signature)?;
            Some(WeakReason::Dsa)
        }
        _ => return Err(mismatch()),
    };
    Ok(match weak {
        Some(r) => Strength::Weak(r),
        None => Strength::Strong,
    })
}

/// The signature maths in the core (RustCrypto): the native build, and the wasm's answer to a
/// check its caller could not make. Keys and encodings were judged already ([`decode_key`],
/// [`ecdsa_p1363`]).
#[cfg(feature = "local-signatures")]
pub(crate) mod local {
    use super::{AlgError, Curve, HashAlg, SignatureScheme, SubjectPublicKeyInfo};
    use der::Decode;
    use signature::hazmat::PrehashVerifier;

    fn key_bytes(spki: &SubjectPublicKeyInfo) -> Result<&[u8], AlgError> {
        spki.subject_public_key
            .as_bytes()
            .ok_or_else(|| super::malformed("public key BIT STRING has unused bits"))
    }

    /// The EC point is on the curve.
    pub fn check_point(curve: Curve, point: &[u8]) -> Result<(), AlgError> {
        let ok = match curve {
            Curve::P256 => p256::ecdsa::VerifyingKey::from_sec1_bytes(point).is_ok(),
            Curve::P384 => p384::ecdsa::VerifyingKey::from_sec1_bytes(point).is_ok(),
            Curve::P521 => p521::ecdsa::VerifyingKey::from_sec1_bytes(point).is_ok(),
        };
        ok.then_some(())
            .ok_or_else(|| super::malformed("invalid EC point"))
    }

    /// Left-pad a prehash shorter than the curve's field to the field size: FIPS 186-5 §6.4.2
    /// uses the hash as an integer when it is shorter than n, which is what the padding gives,
    /// while the `ecdsa` crate refuses prehashes under half the field size (SHA-256 on P-521).
    fn pad_prehash(hash: &[u8], field_len: usize) -> Vec<u8> {
        if hash.len() >= field_len {
            return hash.to_vec();
        }
        let mut v = vec![0u8; field_len - hash.len()];
        v.extend_from_slice(hash);
        v
    }

    /// Verifies as WebCrypto would for `scheme` (ECDSA signatures in P1363 form).
    pub fn verify(
        scheme: SignatureScheme,
        spki: &SubjectPublicKeyInfo,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), AlgError> {
        match scheme {
            SignatureScheme::RsaPkcs1 { hash } | SignatureScheme::RsaPss { hash, .. } => {
                let (n, e) = super::rsa_public_key(key_bytes(spki)?)
                    .map_err(|e| super::malformed(format!("RSAPublicKey: {e}")))?;
                let key = rsa::RsaPublicKey::new_with_max_size(
                    rsa::BigUint::from_bytes_be(n),
                    rsa::BigUint::from_bytes_be(e),
                    super::MAX_RSA_BITS,
                )
                .map_err(|e| super::malformed(format!("RSA: {e}")))?;
                let hashed = hash.digest(message);
                match scheme {
                    SignatureScheme::RsaPss { salt_len, .. } => {
                        let padding = rsa::Pss {
                            blinded: false,
                            digest: hash.hasher(),
                            salt_len,
                        };
                        key.verify(padding, &hashed, signature)
                            .map_err(|_| AlgError::BadSignature)
                    }
                    _ => {
                        let padding = rsa::Pkcs1v15Sign {
                            hash_len: Some(hash.output_len()),
                            prefix: hash.digest_info_prefix().into(),
                        };
                        key.verify(padding, &hashed, signature)
                            .map_err(|_| AlgError::BadSignature)
                    }
                }
            }
            SignatureScheme::Ecdsa { curve, hash } => {
                let point = key_bytes(spki)?;
                let hashed = hash.digest(message);
                let bad_key = |_| super::malformed("invalid EC point");
                let bad_sig = |_| AlgError::MalformedSignature;
                match curve {
                    Curve::P256 => {
                        let k =
                            p256::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(bad_key)?;
                        let s = p256::ecdsa::Signature::from_slice(signature).map_err(bad_sig)?;
                        k.verify_prehash(&pad_prehash(&hashed, 32), &s)
                            .map_err(|_| AlgError::BadSignature)
                    }
                    Curve::P384 => {
                        let k =
                            p384::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(bad_key)?;
                        let s = p384::ecdsa::Signature::from_slice(signature).map_err(bad_sig)?;
                        k.verify_prehash(&pad_prehash(&hashed, 48), &s)
                            .map_err(|_| AlgError::BadSignature)
                    }
                    Curve::P521 => {
                        let k =
                            p521::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(bad_key)?;
                        let s = p521::ecdsa::Signature::from_slice(signature).map_err(bad_sig)?;
                        k.verify_prehash(&pad_prehash(&hashed, 66), &s)
                            .map_err(|_| AlgError::BadSignature)
                    }
                }
            }
            SignatureScheme::Ed25519 => {
                let k = key_bytes(spki)?
                    .try_into()
                    .ok()
                    .and_then(|k| ed25519_dalek::VerifyingKey::from_bytes(k).ok())
                    .ok_or_else(|| super::malformed("invalid Ed25519 point"))?;
                let s = ed25519_dalek::Signature::from_slice(signature)
                    .map_err(|_| AlgError::MalformedSignature)?;
                k.verify_strict(message, &s)
                    .map_err(|_| AlgError::BadSignature)
            }
        }
    }

    /// The DSA key's size (p's bits), once the parameters and y decode into a valid key.
    pub fn dsa_bits(spki: &SubjectPublicKeyInfo, key_bytes: &[u8]) -> Result<usize, AlgError> {
        dsa_key(spki, key_bytes).map(|(_, bits)| bits)
    }

    fn dsa_key(
        spki: &SubjectPublicKeyInfo,
        key_bytes: &[u8],
    ) -> Result<(dsa::VerifyingKey, usize), AlgError> {
        fn malformed(detail: impl Into<String>) -> AlgError {
            super::malformed(detail)
        }
        let params = spki
            .algorithm
            .parameters
            .as_ref()
            .ok_or_else(|| malformed("DSA key without parameters (not inherited)"))?;
        let params_der = params.to_der();
        let comps = dsa::Components::from_der(&params_der)
            .map_err(|e| malformed(format!("DSA parameters: {e}")))?;
        let y = der::asn1::UintRef::from_der(key_bytes)
            .map_err(|e| malformed(format!("DSA public key: {e}")))?;
        let bits = comps.p().bits();
        let key =
            dsa::VerifyingKey::from_components(comps, rsa::BigUint::from_bytes_be(y.as_bytes()))
                .map_err(|_| malformed("DSA public key out of range"))?;
        Ok((key, bits))
    }

    /// Verifies a DSA signature (DER `Dss-Sig-Value`) over `message` hashed with `hash`.
    pub fn verify_dsa(
        spki: &SubjectPublicKeyInfo,
        hash: HashAlg,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), AlgError> {
        let (k, _) = dsa_key(spki, key_bytes(spki)?)?;
        let hashed = hash.digest(message);
        let sig = dsa::Signature::from_der(signature).map_err(|_| AlgError::MalformedSignature)?;
        k.verify_prehash(&hashed, &sig)
            .map_err(|_| AlgError::BadSignature)
    }
}

/// Without the `local-signatures` feature (the extension's wasm): RSA, ECDSA, Ed25519 and DSA maths is
/// the browser's (WebCrypto), and a check it could not make is reported unsupported.
#[cfg(not(feature = "local-signatures"))]
pub(crate) mod local {
    use super::{AlgError, Curve, HashAlg, SignatureScheme, SubjectPublicKeyInfo};

    fn without(what: &str) -> AlgError {
        AlgError::Unsupported {
            what: format!("{what} that the browser's WebCrypto could not check"),
        }
    }

    /// The point is checked by WebCrypto when it imports the key.
    pub fn check_point(_: Curve, _: &[u8]) -> Result<(), AlgError> {
        Ok(())
    }

    /// A check WebCrypto could not make.
    pub fn verify(
        scheme: SignatureScheme,
        _: &SubjectPublicKeyInfo,
        _: &[u8],
        _: &[u8],
    ) -> Result<(), AlgError> {
        Err(match scheme {
            SignatureScheme::RsaPkcs1 { hash } => {
                without(&format!("an RSA signature with {}", hash.name()))
            }
            SignatureScheme::RsaPss { hash, .. } => {
                without(&format!("an RSASSA-PSS signature with {}", hash.name()))
            }
            SignatureScheme::Ecdsa { curve, hash } => without(&format!(
                "an ECDSA {} signature with {}",
                curve.name(),
                hash.name()
            )),
            SignatureScheme::Ed25519 => without("an Ed25519 signature"),
        })
    }

    /// DSA (weak by policy, and not in WebCrypto) is not checked in the browser.
    fn dsa_unsupported() -> AlgError {
        AlgError::Unsupported {
            what: "DSA (weak; not checked in the browser)".into(),
        }
    }

    /// See [`dsa_unsupported`].
    pub fn dsa_bits(_: &SubjectPublicKeyInfo, _: &[u8]) -> Result<usize, AlgError> {
        Err(dsa_unsupported())
    }

    /// See [`dsa_unsupported`].
    pub fn verify_dsa(
        _: &SubjectPublicKeyInfo,
        _: HashAlg,
        _: &[u8],
        _: &[u8],
    ) -> Result<(), AlgError> {
        Err(dsa_unsupported())
    }
}

/// Human name for the verdict's details, e.g. "RSA-2048 PKCS#1 v1.5 with SHA-256",
/// "ECDSA P-384 with SHA-384", "Ed25519". Never fails: unknown parts are named by OID.
pub fn describe(
    spki: &SubjectPublicKeyInfo,
    sig_alg: &AlgorithmIdentifier,
    digest_alg: Option<&AlgorithmIdentifier>,
) -> String {
    let given = digest_alg.and_then(|a| HashAlg::from_oid(&a.oid).ok());
    let hash_name = |implied: Option<HashAlg>| {
        given
            .or(implied)
            .map(|h| h.name().to_string())
            .unwrap_or_else(|| "unknown hash".into())
    };
    let key = decode_key(spki);
    let key_desc = match &key {
        Ok(Key::Rsa(bits)) => format!("RSA-{bits}"),
        Ok(Key::Ec(curve)) => format!("ECDSA {}", curve.name()),
        Ok(Key::Ed25519(_)) => "Ed25519".into(),
        Ok(Key::Dsa(bits)) => format!("DSA-{bits}"),
        Err(_) => key_name(spki),
    };
    match scheme(sig_alg) {
        Ok(Scheme::RsaPkcs1(h)) => format!("{key_desc} PKCS#1 v1.5 with {}", hash_name(h)),
        Ok(Scheme::RsaPss { hash, salt_len }) => {
            format!("{key_desc} PSS with {} (salt {salt_len})", hash.name())
        }
        Ok(Scheme::Ecdsa(h)) => format!("{key_desc} with {}", hash_name(Some(h))),
        Ok(Scheme::Ed25519) => "Ed25519".into(),
        Ok(Scheme::Dsa(h)) => format!("{key_desc} with {}", hash_name(h)),
        Err(_) => format!("{key_desc} with {}", oid_name(&sig_alg.oid)),
    }
}

#[cfg(all(test, feature = "local-signatures"))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A DER INTEGER of `v` (big-endian, as given: leading zeros and sign bits are the
    /// caller's, so non-minimal and negative encodings can be written).
    fn int(v: &[u8]) -> Vec<u8> {
        let mut out = vec![0x02, v.len() as u8];
        out.extend_from_slice(v);
        out
    }

    fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
        let body: Vec<u8> = parts.concat();
        let mut out = vec![0x30, body.len() as u8];
        out.extend(body);
        out
    }

    /// The ECDSA signature decoder WebCrypto's requests rest on accepts exactly what the
    /// `ecdsa` crate accepts, with the same r || s (the native and the browser paths agree).
    #[test]
    fn ecdsa_signature_decoding_agrees_with_the_ecdsa_crate() {
        let n = curve_order(Curve::P256).to_vec();
        let mut n_minus_1 = n.clone();
        *n_minus_1.last_mut().unwrap() -= 1;
        let mut over = vec![0x00];
        over.extend_from_slice(&n);
        let mut cases: Vec<Vec<u8>> = Vec::new();
        let values: Vec<Vec<u8>> = vec![
            vec![0x01],
            vec![0x00],
            vec![0x00, 0x01], // non-minimal
            vec![0x80],       // negative
            vec![0x00, 0x80], // minimal positive with a sign byte
            vec![0x7f; 32],
            [vec![0x00], n_minus_1.clone()].concat(),
            over, // n itself
            [vec![0x00], vec![0xff; 32]].concat(),
            vec![0x01; 33], // too long
            vec![],         // empty INTEGER
        ];
        for r in &values {
            for s in &values {
                cases.push(seq(&[int(r), int(s)]));
            }
        }
        let good = seq(&[int(&[0x05]), int(&[0x07])]);
        cases.push([good.clone(), vec![0x00]].concat()); // trailing data
        cases.push(good[..good.len() - 1].to_vec()); // truncated
        cases.push(seq(&[int(&[0x05])])); // one INTEGER
        cases.push(seq(&[int(&[0x05]), int(&[0x07]), int(&[0x09])])); // three
        let mut accepted = 0;
        for c in &cases {
            let ours = ecdsa_p1363(Curve::P256, c).ok();
            let theirs = p256::ecdsa::Signature::from_der(c)
                .ok()
                .map(|s| s.to_bytes().to_vec());
            assert_eq!(ours, theirs, "{c:02x?}");
            accepted += usize::from(ours.is_some());
        }
        assert!(accepted >= 9, "{accepted} accepted");
    }

    /// The RSA key checks on bytes give the `rsa` crate's verdicts and texts.
    #[test]
    fn rsa_key_checks_agree_with_the_rsa_crate() {
        let n2048 = [vec![0xc1], vec![0x55; 254], vec![0x01]].concat();
        let cases: Vec<(Vec<u8>, Vec<u8>)> = vec![
            (n2048.clone(), vec![0x01, 0x00, 0x01]),
            (n2048.clone(), vec![0x03]),
            (n2048.clone(), vec![0x01]),
            (n2048.clone(), vec![0x02]),
            (n2048.clone(), vec![0x00]),
            (n2048.clone(), vec![0x02, 0x00, 0x00, 0x00, 0x01]), // 2^33 + 1
            (n2048.clone(), vec![0x01, 0xff, 0xff, 0xff, 0xff]), // 2^33 - 1
            (n2048.clone(), vec![0x01; 9]),
            ([vec![0xc1], vec![0x55; 255]].concat(), vec![0x03]), // even modulus
            (vec![0x03], vec![0x05]),                             // e >= n
            (vec![0x00, 0x00, 0x0b], vec![0x03]),
        ];
        for (n, e) in cases {
            let ours = check_rsa(&n, &e).map_err(|e| e.to_string());
            let theirs = rsa::RsaPublicKey::new_with_max_size(
                rsa::BigUint::from_bytes_be(&n),
                rsa::BigUint::from_bytes_be(&e),
                MAX_RSA_BITS,
            )
            .map(|k| rsa::traits::PublicKeyParts::n(&k).bits())
            .map_err(|err| malformed(format!("RSA: {err}")).to_string());
            assert_eq!(ours, theirs, "n {n:02x?} e {e:02x?}");
        }
    }
}
