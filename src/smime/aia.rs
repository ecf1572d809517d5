//! Missing intermediate certificates from the authorityInfoAccess `id-ad-caIssuers` URLs
//! (RFC 5280 §4.2.2.1), sans-IO, under the online revocation switch.
//!
//! Mail often carries only the signer's certificate. When path building finds no issuer for a
//! certificate (no trust anchor and no certificate at hand with its issuer's name), the core
//! names that certificate's caIssuers URLs (`SignerDetails::ca_issuers`); the caller fetches
//! them and checks again with what came back ([`parse_ca_issuers`]) as more intermediates.
//! They are untrusted like the message's own certificates: they only help build a path to an
//! anchor the user already trusts, every signature on it being checked as usual.
//!
//! The caller's loop, the same in the background (`extension/background/revocation.js`) and
//! the CLI (`--online`): fetch each URL named and not fetched before (http and https only,
//! no cookies, redirects not followed, [`MAX_CA_ISSUERS_BYTES`], a time limit), at most
//! [`MAX_CA_ISSUERS_FETCHES`] per message and [`MAX_CA_ISSUERS_ROUNDS`] rounds. A URL is
//! never fetched twice for one message, so certificates whose caIssuers point at each other
//! end after one fetch each (a loop), and the rounds bound a chain of fetches (the depth).

use const_oid::ObjectIdentifier;

use super::cms::{self, CmsLimits};
use super::x509::Certificate;

/// id-ad-caIssuers (RFC 5280 §4.2.2.1).
pub const ID_AD_CA_ISSUERS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.2");

/// Largest caIssuers answer read, bytes. One CA certificate is 1-2 KB, a certs-only bundle
/// of a CA's chain a few of them; 64 KiB (as for OCSP) takes any real one and bounds what a
/// hostile server makes us parse.
pub const MAX_CA_ISSUERS_BYTES: usize = 64 * 1024;
/// Most caIssuers fetches for one message. Mail chains have one or two intermediates; four
/// leaves room for a URL that gives nothing useful without letting a chain of CA
/// certificates (or a loop of them) make many requests.
pub const MAX_CA_ISSUERS_FETCHES: usize = 4;
/// Most rounds of fetching and checking again for one message: how deep a chain built from
/// fetched certificates may grow (each round adds one level).
pub const MAX_CA_ISSUERS_ROUNDS: usize = 3;
/// Most caIssuers URLs named for one signer.
pub const MAX_CA_ISSUERS_URLS: usize = 4;
/// Most certificates read from one answer.
pub const MAX_CA_ISSUERS_CERTS: usize = 8;

/// The certificate's caIssuers URLs: the `id-ad-caIssuers` entries of its
/// authorityInfoAccess that are `http://` or `https://` URIs (§4.2.2.1 also allows `ldap`,
/// which we do not fetch). Empty when there is none or the extension does not parse.
pub fn ca_issuer_urls(cert: &Certificate) -> Vec<String> {
    let Some(e) = cert.extension(super::ocsp::ID_PE_AUTHORITY_INFO_ACCESS) else {
        return Vec::new();
    };
    super::ocsp::access_urls(&e.extn_value, ID_AD_CA_ISSUERS).unwrap_or_default()
}

/// The certificates of a caIssuers answer: §4.2.2.1 says it is one DER certificate
/// (`application/pkix-cert`) or a "certs-only" CMS signed-data (`application/pkcs7-mime`;
/// RFC 8551 §3.8: no signers, the certificates in `certificates`). The error is in plain
/// words, for the reader.
pub fn parse_ca_issuers(body: &[u8]) -> Result<Vec<Certificate>, String> {
    if body.len() > MAX_CA_ISSUERS_BYTES {
        return Err(format!(
            "the issuer certificate download is larger than {MAX_CA_ISSUERS_BYTES} bytes"
        ));
    }
    if let Ok(c) = Certificate::from_der(body) {
        return Ok(vec![c]);
    }
    let limits = CmsLimits {
        max_certificates: MAX_CA_ISSUERS_CERTS,
        ..CmsLimits::default()
    };
    match cms::parse_signed_data(body, &limits) {
        Ok(sd) if !sd.certificates.is_empty() => Ok(sd.certificates),
        _ => Err(
            "the issuer certificate download is neither a certificate nor a certificate bundle"
                .into(),
        ),
    }
}
