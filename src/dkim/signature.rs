//! The `DKIM-Signature` header field (RFC 6376 §3.5): its tags read and checked.

use super::tags::{base64_value, colon_list, TagList};
use super::MAX_SIGNED_HEADERS;

/// The signing algorithm (`a=`, RFC 6376 §3.3, RFC 8463 §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Algorithm {
    /// `rsa-sha256`: RSASSA-PKCS1-v1_5 with SHA-256 (§3.3.1).
    RsaSha256,
    /// `rsa-sha1`: weak, never green (RFC 8301 §3.1).
    RsaSha1,
    /// `ed25519-sha256`: Ed25519 over the SHA-256 of the hash input (RFC 8463 §3).
    Ed25519Sha256,
}

impl Algorithm {
    /// The key type the algorithm needs (`k=` of the key record).
    pub fn key_type(self) -> &'static str {
        match self {
            Algorithm::RsaSha256 | Algorithm::RsaSha1 => "rsa",
            Algorithm::Ed25519Sha256 => "ed25519",
        }
    }

    /// The hash's name as the key record's `h=` lists it.
    pub fn hash_name(self) -> &'static str {
        match self {
            Algorithm::RsaSha1 => "sha1",
            _ => "sha256",
        }
    }

    /// The hash of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        use sha2::Digest;
        match self {
            Algorithm::RsaSha1 => sha1::Sha1::digest(data).to_vec(),
            _ => sha2::Sha256::digest(data).to_vec(),
        }
    }

    /// The `a=` value.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::RsaSha256 => "rsa-sha256",
            Algorithm::RsaSha1 => "rsa-sha1",
            Algorithm::Ed25519Sha256 => "ed25519-sha256",
        }
    }
}

/// A canonicalisation algorithm (`c=`, §3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Canon {
    /// `simple` (§3.4.1, §3.4.3).
    Simple,
    /// `relaxed` (§3.4.2, §3.4.4).
    Relaxed,
}

/// A signature's tags, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DkimSignature {
    /// `a=`.
    pub algorithm: Algorithm,
    /// `b=`, decoded.
    pub signature: Vec<u8>,
    /// `bh=`, decoded.
    pub body_hash: Vec<u8>,
    /// `c=` for the header.
    pub header_canon: Canon,
    /// `c=` for the body.
    pub body_canon: Canon,
    /// `d=`, lowercased.
    pub domain: String,
    /// `h=`, in order, as written.
    pub signed_headers: Vec<String>,
    /// `i=`, the agent or user identifier (its domain is `d=` or a subdomain of it).
    pub identity: Option<String>,
    /// `l=`, how many bytes of the canonical body are signed.
    pub body_length: Option<u64>,
    /// `s=`, lowercased.
    pub selector: String,
    /// `t=`, when it was signed (unix seconds).
    pub timestamp: Option<i64>,
    /// `x=`, when it expires (unix seconds).
    pub expires: Option<i64>,
}

/// Why a signature cannot be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureError {
    /// A tag is missing or wrong; the text says which, in plain words.
    Malformed(String),
    /// Something valid this verifier does not check (an unknown algorithm, a key query
    /// method other than DNS).
    Unsupported(String),
}

fn malformed(s: impl Into<String>) -> SignatureError {
    SignatureError::Malformed(s.into())
}

/// Whether `name` is a DNS name of letters, digits, hyphens and underscores (the last for
/// selectors such as `_s1`), labels of 1 to 63 octets, at most 253 in all (RFC 1035 §2.3.4).
pub fn is_dns_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= crate::site::MAX_HOST_LEN
        && name.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= crate::site::MAX_LABEL_LEN
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

fn number(tags: &TagList, name: &str, what: &str) -> Result<Option<u64>, SignatureError> {
    let Some(v) = tags.get(name) else {
        return Ok(None);
    };
    // §3.5: at most 76 digits for l=, 12 for t= and x=; a u64 holds what any real mail uses.
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed(format!("{what} is not a number")));
    }
    v.parse::<u64>()
        .map(Some)
        .map_err(|_| malformed(format!("{what} is too large")))
}

impl DkimSignature {
    /// Reads the value of a `DKIM-Signature` field.
    pub fn parse(value: &str) -> Result<DkimSignature, SignatureError> {
        let tags = TagList::parse(value).map_err(|e| malformed(e.0))?;
        let required = |name: &str, what: &str| {
            tags.get(name)
                .ok_or_else(|| malformed(format!("it has no {what} ({name}=)")))
        };
        if required("v", "version")? != "1" {
            return Err(SignatureError::Unsupported(format!(
                "DKIM version {}",
                tags.get("v").unwrap_or_default()
            )));
        }
        let algorithm = match required("a", "algorithm")?.to_ascii_lowercase().as_str() {
            "rsa-sha256" => Algorithm::RsaSha256,
            "rsa-sha1" => Algorithm::RsaSha1,
            "ed25519-sha256" => Algorithm::Ed25519Sha256,
            other => {
                return Err(SignatureError::Unsupported(format!(
                    "the signing algorithm \"{other}\""
                )))
            }
        };
        let signature = base64_value(required("b", "signature")?)
            .filter(|b| !b.is_empty())
            .ok_or_else(|| malformed("the signature (b=) is not base64"))?;
        let body_hash = base64_value(required("bh", "body hash")?)
            .filter(|b| !b.is_empty())
            .ok_or_else(|| malformed("the body hash (bh=) is not base64"))?;
        let (header_canon, body_canon) = match tags.get("c") {
            None => (Canon::Simple, Canon::Simple),
            Some(c) => {
                let one = |s: &str| match s.to_ascii_lowercase().as_str() {
                    "simple" => Ok(Canon::Simple),
                    "relaxed" => Ok(Canon::Relaxed),
                    other => Err(SignatureError::Unsupported(format!(
                        "the canonicalisation \"{other}\""
                    ))),
                };
                match c.split_once('/') {
                    Some((h, b)) => (one(h)?, one(b)?),
                    None => (one(c)?, Canon::Simple),
                }
            }
        };
        let domain = required("d", "signing domain")?
            .trim_end_matches('.')
            .to_ascii_lowercase();
        if !is_dns_name(&domain) {
            return Err(malformed(format!("\"{domain}\" is not a domain name")));
        }
        let selector = required("s", "selector")?.to_ascii_lowercase();
        if !is_dns_name(&selector) {
            return Err(malformed(format!("\"{selector}\" is not a selector")));
        }
        let signed_headers = colon_list(required("h", "list of signed headers")?);
        if signed_headers.iter().any(|h| {
            h.is_empty()
                || !h
                    .bytes()
                    .all(|b| b.is_ascii_graphic() && b != b':' && b != b';')
        }) {
            return Err(malformed("the list of signed headers (h=) is not valid"));
        }
        if signed_headers.len() > MAX_SIGNED_HEADERS {
            return Err(malformed(format!(
                "it signs more than {MAX_SIGNED_HEADERS} headers"
            )));
        }
        let identity = tags.get("i").map(str::to_string);
        if let Some(i) = &identity {
            let idomain = i
                .rsplit_once('@')
                .map(|(_, d)| d.trim_end_matches('.').to_ascii_lowercase())
                .ok_or_else(|| malformed("the identity (i=) has no @"))?;
            if idomain != domain && !idomain.ends_with(&format!(".{domain}")) {
                return Err(malformed(format!(
                    "the identity's domain {idomain} is not {domain} or under it"
                )));
            }
        }
        if let Some(q) = tags.get("q") {
            if !colon_list(q)
                .iter()
                .any(|m| m.eq_ignore_ascii_case("dns/txt"))
            {
                return Err(SignatureError::Unsupported(format!(
                    "the key query method \"{q}\""
                )));
            }
        }
        let body_length = number(&tags, "l", "the body length (l=)")?;
        let as_time = |v: Option<u64>| v.map(|t| i64::try_from(t).unwrap_or(i64::MAX));
        let timestamp = as_time(number(&tags, "t", "the signing time (t=)")?);
        let expires = as_time(number(&tags, "x", "the expiry time (x=)")?);
        if let (Some(t), Some(x)) = (timestamp, expires) {
            if x < t {
                return Err(malformed("it expires before the time it was signed"));
            }
        }
        Ok(DkimSignature {
            algorithm,
            signature,
            body_hash,
            header_canon,
            body_canon,
            domain,
            signed_headers,
            identity,
            body_length,
            selector,
            timestamp,
            expires,
        })
    }

    /// The DNS name of its key record (§3.6.2.1).
    pub fn key_name(&self) -> String {
        format!("{}._domainkey.{}", self.selector, self.domain)
    }

    /// The domain of `i=` (`d=` when absent).
    pub fn identity_domain(&self) -> String {
        self.identity
            .as_deref()
            .and_then(|i| i.rsplit_once('@'))
            .map(|(_, d)| d.trim_end_matches('.').to_ascii_lowercase())
            .unwrap_or_else(|| self.domain.clone())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const OK: &str =
        "v=1; a=rsa-sha256; d=Example.COM; s=sel; c=relaxed; h=From:To ; bh=AAAA; b=AA\r\n  AA";

    #[test]
    fn reads_the_tags() {
        let s = DkimSignature::parse(OK).unwrap();
        assert_eq!(s.domain, "example.com");
        assert_eq!(s.signed_headers, ["From", "To"]);
        assert_eq!(
            (s.header_canon, s.body_canon),
            (Canon::Relaxed, Canon::Simple)
        );
        assert_eq!(s.signature, [0, 0, 0]);
        assert_eq!(s.key_name(), "sel._domainkey.example.com");
    }

    #[test]
    fn errors_in_plain_words() {
        let e = |v: &str| match DkimSignature::parse(v).unwrap_err() {
            SignatureError::Malformed(s) | SignatureError::Unsupported(s) => s,
        };
        assert_eq!(e(&OK.replace("s=sel; ", "")), "it has no selector (s=)");
        assert_eq!(
            e(&format!("{OK}; i=a@other.org")),
            "the identity's domain other.org is not example.com or under it"
        );
        assert!(DkimSignature::parse(&format!("{OK}; i=a@mail.example.com")).is_ok());
        assert_eq!(
            e(&format!("{OK}; t=10; x=5")),
            "it expires before the time it was signed"
        );
        assert_eq!(
            e(&OK.replace("rsa-sha256", "rsa-md5")),
            "the signing algorithm \"rsa-md5\""
        );
        assert_eq!(
            e(&format!("{OK}; l=x")),
            "the body length (l=) is not a number"
        );
        assert_eq!(
            e(&OK.replace("d=Example.COM", "d=exa mple.com")),
            "\"exa mple.com\" is not a domain name"
        );
        assert_eq!(e(&format!("{OK}; q=http")), "the key query method \"http\"");
    }
}
