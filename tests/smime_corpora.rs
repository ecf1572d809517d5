//! Third-party S/MIME data through `verify_message`: Bouncy Castle's mails and validator
//! cases (MIT), OpenSSL's malformed signed-attribute CMS files and smime-eml (Apache-2.0),
//! asn1crypto's CMS blobs incl. indefinite-length BER (MIT). Each asserts a specific
//! outcome. Provenance: tests/fixtures/smime/PROVENANCE.md.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use impalemail::smime::cms::{parse_signed_data, CmsLimits};
use impalemail::smime::verdict::{Reason, Status, Verdict};
use impalemail::smime::verify::{verify_message, VerifyOptions};
use impalemail::smime::x509::CertificateList;
use impalemail::smime::{AnchorSource, TrustAnchor};

fn smime() -> PathBuf {
    match option_env!("IMPALEMAIL_ROOT") {
        Some(root) => PathBuf::from(root).join("tests/fixtures/smime"),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/smime")),
    }
}

fn read(p: &str) -> Vec<u8> {
    std::fs::read(smime().join(p)).unwrap()
}

/// 2007-06-01T00:00:00Z: inside the Bouncy Castle validator certificates' validity.
const BC_TIME: u64 = 1_180_656_000;

fn pem_der(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    if !text.contains("-----BEGIN") {
        return bytes.to_vec();
    }
    let b64: String = text
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    impalemail::smime::mime::decode_base64(b64.as_bytes())
}

fn bc_validator(name: &str) -> Verdict {
    let root = TrustAnchor::from_cert_der(
        &pem_der(&read("bouncycastle/validator.root.crt")),
        AnchorSource::User,
    );
    let anchors = vec![root.unwrap()];
    let crls =
        vec![
            CertificateList::from_der(&pem_der(&read("bouncycastle/validator.revoked.crl")))
                .unwrap(),
        ];
    let mut o = VerifyOptions::new(BC_TIME, &anchors);
    o.crls = &crls;
    verify_message(&read(&format!("bouncycastle/validator.{name}.eml")), &o)
}

/// An opaque S/MIME mail around a DER/BER CMS blob.
fn opaque_mail(cms: &[u8]) -> Vec<u8> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(cms);
    let mut m = b"From: test@example.com\r\nMIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=signed-data; name=smime.p7m\r\nContent-Transfer-Encoding: base64\r\n\r\n".to_vec();
    for line in b64.as_bytes().chunks(76) {
        m.extend_from_slice(line);
        m.extend_from_slice(b"\r\n");
    }
    m
}

fn no_trust(raw: &[u8], now: u64) -> Verdict {
    verify_message(raw, &VerifyOptions::new(now, &[]))
}

fn malformed_what(v: &Verdict) -> String {
    match &v.reason {
        Some(Reason::Malformed { what }) => what.clone(),
        other => panic!("expected malformed, got {other:?}"),
    }
}

#[test]
fn bouncycastle_validator_cases() {
    // The validator's end-entity certificates are signed with MD5, which we do not
    // implement: the "valid" cases are therefore `unsupported`, never green.
    for e in [
        "validMail",
        "notYetValid",
        "noEmail",
        "shortKey",
        "longValidity",
    ] {
        let v = bc_validator(e);
        assert_eq!(
            v.reason,
            Some(Reason::Unsupported { what: "MD5".into() }),
            "{e}"
        );
    }
    // The more specific failures win over the MD5 chain (ranked path errors).
    assert_eq!(bc_validator("expired").reason, Some(Reason::Expired));
    assert_eq!(bc_validator("revoked").reason, Some(Reason::Revoked));
    assert_eq!(bc_validator("keyUsage").reason, Some(Reason::WrongKeyUsage));
    assert_eq!(
        bc_validator("extKeyUsage").reason,
        Some(Reason::WrongKeyUsage)
    );
    assert!(bc_validator("revoked").status == Status::Invalid);
}

#[test]
fn bouncycastle_mails() {
    let now = 1_780_315_200;
    // Signature and digest verify (else altered_content/bad_signature would come first);
    // the chain ends at a root we were not given.
    for (f, alg) in [
        ("extra-nl.eml", "RSA-1024 PKCS#1 v1.5 with SHA-1"),
        ("multi-alternative.eml", "RSA-1024 PKCS#1 v1.5 with SHA-1"),
        ("qp-soft-break.eml", "RSA-1024 PKCS#1 v1.5 with SHA-1"),
        ("3nnn_smime.eml", "RSA-2048 PKCS#1 v1.5 with SHA-256"),
        (
            "openssl-signed-sha256-non-default-salt-length.eml",
            "RSA-2048 PSS with SHA-256 (salt 222)",
        ),
    ] {
        let v = no_trust(&read(&format!("bouncycastle/{f}")), now);
        assert_eq!(v.reason, Some(Reason::UntrustedRoot), "{f}");
        assert_eq!(v.details.signer.unwrap().algorithms, alg, "{f}");
    }
    let v = no_trust(&read("bouncycastle/circular.eml"), now);
    assert_eq!(v.reason, Some(Reason::Unsupported { what: "MD5".into() }));
    assert_eq!(
        no_trust(&read("bouncycastle/attachonly.eml"), now).reason,
        Some(Reason::Unsigned)
    );
    assert_eq!(
        no_trust(&read("bouncycastle/simplemultipart.eml"), now).reason,
        Some(Reason::Unsigned)
    );
    for f in [
        "outlook_2010_beta_sime_msg.eml",
        "dotnet_encrypted_mail.eml",
    ] {
        let v = no_trust(&read(&format!("bouncycastle/{f}")), now);
        assert!(
            matches!(v.reason, Some(Reason::Unsupported { .. })),
            "{f}: {:?}",
            v.reason
        );
    }
}

#[test]
fn openssl_malformed_signed_attributes() {
    let t = 1_380_000_000;
    let w = |f: &str| malformed_what(&no_trust(&opaque_mail(&read(&format!("openssl/{f}"))), t));
    assert!(w("no_md_attr.cms").contains("message-digest"));
    assert!(w("no_ct_attr.cms").contains("content-type"));
    assert!(w("bad_signtime_attr.cms").contains("signing-time attribute must be signed"));
    assert!(w("ct_multiple_attr.cms").contains("duplicate"));
    let v = no_trust(
        &read("openssl/SignedInvalidMappingFromanyPolicyTest7.eml"),
        1_780_315_200,
    );
    assert_eq!(v.reason, Some(Reason::UntrustedRoot));
}

#[test]
fn asn1crypto_blobs() {
    let now = 1_780_315_200;
    let blob = |f: &str| read(&format!("asn1crypto/{f}"));
    // DER and PKCS #7 v1.5 signed data: structure parsed, signature fine, root unknown.
    for f in ["cms-signed.der", "pkcs7-signed.der"] {
        let v = no_trust(&opaque_mail(&blob(f)), now);
        assert_eq!(v.reason, Some(Reason::UntrustedRoot), "{f}");
    }
    // Indefinite-length BER with a chunked eContent: parsed (57310 content bytes); its
    // digest does not match, which OpenSSL 3.0 agrees with ("content verify error").
    let raw = blob("cms-signed-indefinite-length.der");
    let sd = parse_signed_data(&raw, &CmsLimits::default()).unwrap();
    assert_eq!(sd.econtent.as_ref().unwrap().len(), 57310);
    assert_eq!(
        no_trust(&opaque_mail(&raw), now).reason,
        Some(Reason::AlteredContent)
    );
    // Signed digested-data without signed attributes breaks RFC 5652 §5.3.
    assert!(malformed_what(&no_trust(
        &opaque_mail(&blob("cms-signed-digested.der")),
        now
    ))
    .contains("no signed attributes"));
    for f in ["cms-enveloped.der", "cms-compressed.der"] {
        let v = no_trust(&opaque_mail(&blob(f)), now);
        assert!(matches!(v.reason, Some(Reason::Unsupported { .. })), "{f}");
    }
    // Thunderbird's detached .p7s sent as if it were opaque: no content to show.
    let v = no_trust(
        &opaque_mail(&blob("smime-signature-generated-by-thunderbird.p7s")),
        now,
    );
    assert!(malformed_what(&v).contains("without content"));
}
