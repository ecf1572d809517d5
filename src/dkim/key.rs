//! The key record (RFC 6376 §3.6.1), a TXT record at `<s>._domainkey.<d>`, and the public key
//! in it: RSA (§3.6.1 `p=`, DER) or Ed25519 (RFC 8463 §4, the 32 raw bytes).

use super::signature::Algorithm;
use super::tags::{base64_value, colon_list, TagList};
use crate::smime::asn1::{tag, Any, BitString};
use crate::smime::x509::{AlgorithmIdentifier, SubjectPublicKeyInfo};

/// The key type (`k=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    /// `rsa` (the default).
    Rsa,
    /// `ed25519` (RFC 8463 §4).
    Ed25519,
}

/// A key record, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRecord {
    /// `k=`.
    pub key_type: KeyType,
    /// `p=`, decoded; empty when the key is revoked (§3.6.1: "An empty value means that this
    /// public key has been revoked").
    pub public_key: Vec<u8>,
    /// `h=`: the hash algorithms the key may be used with (`None`: any).
    pub hashes: Option<Vec<String>>,
    /// `t=y`: the domain is testing DKIM; verifiers MUST NOT treat such mail differently
    /// from unsigned mail (§3.6.1), so it is never green.
    pub testing: bool,
    /// `t=s`: the `i=` domain must be `d=` itself, not a subdomain (§3.6.1).
    pub strict: bool,
}

/// Why a key record cannot be used, in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    /// The record is broken.
    Malformed(String),
    /// A key type this verifier does not know.
    Unsupported(String),
}

impl KeyRecord {
    /// Reads a key record's text (its TXT strings joined).
    pub fn parse(text: &str) -> Result<KeyRecord, KeyError> {
        let tags = TagList::parse(text).map_err(|e| KeyError::Malformed(e.0))?;
        if let Some(v) = tags.get("v") {
            // §3.6.1: if present, v= must be first and DKIM1.
            if v != "DKIM1" || tags.first_name() != Some("v") {
                return Err(KeyError::Malformed(
                    "its version is not \"v=DKIM1\" at the start".into(),
                ));
            }
        }
        let key_type = match tags.get("k").map(str::to_ascii_lowercase).as_deref() {
            None | Some("rsa") => KeyType::Rsa,
            Some("ed25519") => KeyType::Ed25519,
            Some(other) => {
                return Err(KeyError::Unsupported(format!("the key type \"{other}\"")));
            }
        };
        let p = tags
            .get("p")
            .ok_or_else(|| KeyError::Malformed("it has no public key (p=)".into()))?;
        let public_key =
            base64_value(p).ok_or_else(|| KeyError::Malformed("its key is not base64".into()))?;
        if let Some(s) = tags.get("s") {
            if !colon_list(s).iter().any(|s| s == "*" || s == "email") {
                return Err(KeyError::Malformed(
                    "the key is not meant for e-mail".into(),
                ));
            }
        }
        let flags = tags.get("t").map(colon_list).unwrap_or_default();
        Ok(KeyRecord {
            key_type,
            public_key,
            hashes: tags.get("h").map(|h| {
                colon_list(h)
                    .iter()
                    .map(|s| s.to_ascii_lowercase())
                    .collect()
            }),
            testing: flags.iter().any(|f| f == "y"),
            strict: flags.iter().any(|f| f == "s"),
        })
    }

    /// Whether the key is revoked (empty `p=`).
    pub fn revoked(&self) -> bool {
        self.public_key.is_empty()
    }

    /// Whether the key may sign with `alg`: its type and its `h=` list (§3.6.1).
    pub fn allows(&self, alg: Algorithm) -> Result<(), KeyError> {
        let ty = match self.key_type {
            KeyType::Rsa => "rsa",
            KeyType::Ed25519 => "ed25519",
        };
        if ty != alg.key_type() {
            return Err(KeyError::Malformed(format!(
                "the signature is {} but the key is {ty}",
                alg.name()
            )));
        }
        if let Some(h) = &self.hashes {
            if !h.iter().any(|h| h == alg.hash_name()) {
                return Err(KeyError::Malformed(format!(
                    "the key may not be used with {}",
                    alg.hash_name().to_ascii_uppercase()
                )));
            }
        }
        Ok(())
    }
}

/// An RSA key from `p=`, ready for WebCrypto: a `SubjectPublicKeyInfo` with
/// `rsaEncryption`, and the modulus length in bits.
///
/// RFC 6376 §3.6.1 calls `p=` an `RSAPublicKey` (RFC 3447 §A.1.1), while every signer since
/// DomainKeys publishes a `SubjectPublicKeyInfo` (what `openssl rsa -pubout` writes); OpenDKIM
/// and dkimpy read both, and so does this.
pub fn rsa_key(p: &[u8]) -> Result<(SubjectPublicKeyInfo, usize), KeyError> {
    let bad = || KeyError::Malformed("its RSA key cannot be read".into());
    let rsa_public_key = match SubjectPublicKeyInfo::from_der(p) {
        Ok(spki) => {
            if spki.algorithm.oid != crate::smime::algs::oids::RSA_ENCRYPTION {
                return Err(KeyError::Malformed("its key is not an RSA key".into()));
            }
            spki.subject_public_key.as_bytes().ok_or_else(bad)?.to_vec()
        }
        Err(_) => p.to_vec(),
    };
    let (n, _e) = crate::smime::algs::rsa_public_key(&rsa_public_key).map_err(|_| bad())?;
    let bits = match n.first() {
        Some(&top) => n.len() * 8 - top.leading_zeros() as usize,
        None => 0,
    };
    if bits > crate::smime::algs::MAX_RSA_BITS {
        return Err(KeyError::Unsupported(format!("an RSA key of {bits} bits")));
    }
    let spki = SubjectPublicKeyInfo {
        algorithm: AlgorithmIdentifier {
            oid: crate::smime::algs::oids::RSA_ENCRYPTION,
            parameters: Some(Any {
                tag: tag::NULL,
                value: Vec::new(),
            }),
        },
        subject_public_key: BitString {
            unused_bits: 0,
            bytes: rsa_public_key,
        },
    };
    Ok((spki, bits))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn reads_flags_and_revocation() {
        let k = KeyRecord::parse("v=DKIM1; k=ed25519; t=y:s; p=").unwrap();
        assert!(k.revoked() && k.testing && k.strict);
        assert_eq!(k.key_type, KeyType::Ed25519);
        let k = KeyRecord::parse("p=AAAA; h=sha1").unwrap();
        assert_eq!(k.key_type, KeyType::Rsa);
        assert!(k.allows(Algorithm::RsaSha256).is_err());
        assert!(k.allows(Algorithm::RsaSha1).is_ok());
        assert!(k.allows(Algorithm::Ed25519Sha256).is_err());
    }

    #[test]
    fn refuses_in_plain_words() {
        let e = |t: &str| match KeyRecord::parse(t).unwrap_err() {
            KeyError::Malformed(s) | KeyError::Unsupported(s) => s,
        };
        assert_eq!(
            e("k=rsa; v=DKIM1; p=AA=="),
            "its version is not \"v=DKIM1\" at the start"
        );
        assert_eq!(e("v=DKIM1; k=dsa; p=AA=="), "the key type \"dsa\"");
        assert_eq!(e("v=DKIM1"), "it has no public key (p=)");
        assert_eq!(e("p=AA==; s=tlsrpt"), "the key is not meant for e-mail");
        assert_eq!(
            rsa_key(b"\x30\x00").unwrap_err(),
            KeyError::Malformed("its RSA key cannot be read".into())
        );
    }
}
