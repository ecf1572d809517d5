//! Every named limit, hit exactly: at the limit the input is accepted, one over it gives the
//! limit's own named error (or verdict). Limits whose tests live elsewhere are listed in
//! `fuzz/README.md` ("Limits"), with the test that covers them.
//!
//! Inputs are built here from the project's own fixtures (`tests/fixtures/smime/`,
//! see its PROVENANCE.md); the CMS structures are re-assembled with a tiny DER writer so a
//! real `SignedData` can carry N certificates, CRLs or signers.

#![allow(clippy::unwrap_used)]

use impalemail::alias::generators::{
    self, MAX_ADDRESS_LEN, MAX_LOCAL_PART_LEN, MAX_SITE_LABEL_LEN, MAX_TAG_LEN,
};
use impalemail::alias::http::MAX_RESPONSE_BYTES;
use impalemail::alias::providers::{
    validate_base_url, MAX_BASE_URL_LEN, MAX_FLOW_STEPS, MAX_LIST_PAGES, MAX_NOTE_CHARS,
};
use impalemail::alias::settings::{ProviderSettings, MAX_KEY_LEN, MAX_SETTINGS_BYTES};
use impalemail::alias::vault::{
    Lifetime, MAX_IMPORT_BYTES, MAX_LIFETIME_SECS, MAX_TEXT_CHARS, MAX_VAULT_RECORDS,
};
use impalemail::alias::{
    AliasError, CreateRequest, Flow, HttpResponse, Outcome, Provider, ProviderConfig, Secret,
    Settings, Step, Vault, MAX_PROVIDER_MESSAGE_CHARS,
};
use impalemail::cli::forms::MAX_LINE_BYTES;
use impalemail::forms::{
    classify_batch, Batch, FormsError, MAX_FIELDS_PER_BATCH, MAX_FORMS_PER_BATCH, MAX_LIST_LEN,
    MAX_TEXT_LEN,
};
use impalemail::site::{self, SiteError, MAX_HOST_LEN, MAX_LABEL_LEN, MAX_SITE_INPUT_LEN};
use impalemail::smime::algs::{self, AlgError, Strength, WeakReason, MAX_RSA_BITS, MIN_RSA_BITS};
use impalemail::smime::asn1::{Any, BitString};
use impalemail::smime::cms::{
    parse_signed_data, CmsError, CmsLimits, MAX_BER_DEPTH, MAX_CERTIFICATES, MAX_CRLS, MAX_SIGNERS,
};
use impalemail::smime::mime::{
    Message, MimeError, MimeLimits, MAX_HEADER_LENGTH, MAX_MESSAGE_SIZE, MAX_MIME_DEPTH,
    MAX_MIME_PARTS,
};
use impalemail::smime::path::{
    self, AnchorSource, Budget, BudgetKind, PathError, PathOptions, TrustAnchor, MAX_CERTS,
    MAX_CHAIN_LEN,
};
use impalemail::smime::trust::{self, TrustError, MAX_INPUT_BYTES, MAX_PEM_CERTS};
use impalemail::smime::verify::{verify_message, VerifyOptions, MAX_SIGNATURE_CHECKS};
use impalemail::smime::x509::{AlgorithmIdentifier, Certificate, SubjectPublicKeyInfo};
use impalemail::smime::{Reason, Verdict};
use std::path::PathBuf;

mod x509_gen;

// The CMS signer limit must not hide the signature-check limit, and a full list must fit in
// one flow.
const _: () = assert!(MAX_SIGNATURE_CHECKS < MAX_SIGNERS);
const _: () = assert!(MAX_LIST_PAGES < MAX_FLOW_STEPS);

/// 2027-01-01T00:00:00Z, inside the test certificates' validity.
const NOW: u64 = 1_798_761_600;

fn fixtures() -> PathBuf {
    match option_env!("IMPALEMAIL_ROOT") {
        Some(root) => PathBuf::from(root).join("tests/fixtures"),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures")),
    }
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(rel)).unwrap()
}

fn limit_reason(v: &Verdict) -> Option<&str> {
    match &v.reason {
        Some(Reason::LimitExceeded { which }) => Some(which.as_str()),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// A tiny DER reader/writer (definite lengths; the fixtures used are DER).

fn der_len(n: usize) -> Vec<u8> {
    if n < 0x80 {
        vec![n as u8]
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        let mut out = vec![0x80 | bytes.len() as u8];
        out.extend(bytes);
        out
    }
}

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    out.extend(der_len(content.len()));
    out.extend_from_slice(content);
    out
}

/// (tag, header length, total length) of the DER element at the start of `d`.
fn head(d: &[u8]) -> (u8, usize, usize) {
    let (len, hl) = if d[1] & 0x80 == 0 {
        (d[1] as usize, 2)
    } else {
        let n = (d[1] & 0x7f) as usize;
        (
            d[2..2 + n].iter().fold(0, |a, &b| (a << 8) | b as usize),
            2 + n,
        )
    };
    (d[0], hl, hl + len)
}

fn children(d: &[u8]) -> Vec<&[u8]> {
    let (_, hl, total) = head(d);
    let mut rest = &d[hl..total];
    let mut out = Vec::new();
    while !rest.is_empty() {
        let (_, _, n) = head(rest);
        out.push(&rest[..n]);
        rest = &rest[n..];
    }
    out
}

/// The parts of a DER `ContentInfo` holding `SignedData`.
struct Sd {
    version: Vec<u8>,
    digests: Vec<u8>,
    encap: Vec<u8>,
    /// The first certificate.
    cert: Vec<u8>,
    /// All certificates, as they were.
    all_certs: Vec<u8>,
    signer: Vec<u8>,
}

fn split_signed_data(ci: &[u8]) -> Sd {
    let ci_items = children(ci);
    let sd = children(ci_items[1])[0];
    let f = children(sd);
    let set = f.iter().find(|x| x[0] == 0xA0).unwrap();
    let cert = children(set)[0].to_vec();
    let all_certs = children(set).concat();
    let signers = f.last().unwrap();
    Sd {
        version: f[0].to_vec(),
        digests: f[1].to_vec(),
        encap: f[2].to_vec(),
        cert,
        all_certs,
        signer: children(signers)[0].to_vec(),
    }
}

/// A `ContentInfo` with `certs` copies of the first certificate (0: all of them, as they
/// were), `crls` copies of `crl` and `signers` copies of the signer.
fn build_signed_data(sd: &Sd, certs: usize, crl: &[u8], crls: usize, signers: usize) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend(&sd.version);
    body.extend(&sd.digests);
    body.extend(&sd.encap);
    if certs > 0 {
        body.extend(tlv(0xA0, &sd.cert.repeat(certs)));
    } else {
        body.extend(tlv(0xA0, &sd.all_certs));
    }
    if crls > 0 {
        body.extend(tlv(0xA1, &crl.repeat(crls)));
    }
    body.extend(tlv(0x31, &sd.signer.repeat(signers)));
    let oid = [
        0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02,
    ];
    let mut ci = oid.to_vec();
    ci.extend(tlv(0xA0, &tlv(0x30, &body)));
    tlv(0x30, &ci)
}

/// The signature (`smime.p7s`, DER) of generated mail 001 (RSA, alice, valid).
fn mail_001() -> (Vec<u8>, std::ops::Range<usize>, Vec<u8>) {
    let raw = read("smime/generated/001.eml");
    let msg = Message::parse(&raw, &MimeLimits::default()).unwrap();
    let i = msg
        .parts
        .iter()
        .position(|p| p.content_type.is("application", "pkcs7-signature"))
        .unwrap();
    let body = msg.parts[i].body.clone();
    let der = msg.decoded_body(i);
    (raw, body, der)
}

fn crl_der() -> Vec<u8> {
    let crl =
        trust::parse_crl_pem_or_der(&read("smime/bouncycastle/validator.revoked.crl")).unwrap();
    crl.der
}

// ---------------------------------------------------------------------------------------
// MIME (src/smime/mime.rs)

#[test]
fn message_size_limit() {
    let mut raw = b"Subject: x\r\n\r\n".to_vec();
    raw.resize(MAX_MESSAGE_SIZE, b'a');
    assert!(Message::parse(&raw, &MimeLimits::default()).is_ok());
    raw.push(b'a');
    assert_eq!(
        Message::parse(&raw, &MimeLimits::default()).unwrap_err(),
        MimeError::TooLarge {
            size: MAX_MESSAGE_SIZE + 1,
            limit: MAX_MESSAGE_SIZE
        }
    );
    let v = verify_message(&raw, &VerifyOptions::new(NOW, &[]));
    assert!(limit_reason(&v).unwrap().contains("message size"), "{v:?}");
}

/// A message whose deepest entity is at nesting depth `depth` (top level is 0).
fn nested(depth: usize) -> Vec<u8> {
    let mut out = String::new();
    for d in 0..depth {
        out.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=\"b{d}\"\r\n\r\n--b{d}\r\n"
        ));
    }
    out.push_str("Content-Type: text/plain\r\n\r\ndeep\r\n");
    for d in (0..depth).rev() {
        out.push_str(&format!("--b{d}--\r\n"));
    }
    out.into_bytes()
}

#[test]
fn mime_depth_limit() {
    let raw = nested(MAX_MIME_DEPTH);
    let m = Message::parse(&raw, &MimeLimits::default()).unwrap();
    assert_eq!(m.parts.iter().map(|p| p.depth).max(), Some(MAX_MIME_DEPTH));
    let raw = nested(MAX_MIME_DEPTH + 1);
    assert_eq!(
        Message::parse(&raw, &MimeLimits::default()).unwrap_err(),
        MimeError::TooDeep {
            limit: MAX_MIME_DEPTH
        }
    );
    let v = verify_message(&raw, &VerifyOptions::new(NOW, &[]));
    assert!(
        limit_reason(&v).unwrap().contains("MIME nesting depth"),
        "{v:?}"
    );
}

/// A multipart with `children` body parts: `children + 1` entities.
fn many_parts(children: usize) -> Vec<u8> {
    let mut out = String::from("Content-Type: multipart/mixed; boundary=b\r\n\r\n");
    for _ in 0..children {
        out.push_str("--b\r\n\r\nx\r\n");
    }
    out.push_str("--b--\r\n");
    out.into_bytes()
}

#[test]
fn mime_part_limit() {
    let raw = many_parts(MAX_MIME_PARTS - 1);
    let m = Message::parse(&raw, &MimeLimits::default()).unwrap();
    assert_eq!(m.parts.len(), MAX_MIME_PARTS);
    let raw = many_parts(MAX_MIME_PARTS);
    assert_eq!(
        Message::parse(&raw, &MimeLimits::default()).unwrap_err(),
        MimeError::TooManyParts {
            limit: MAX_MIME_PARTS
        }
    );
    let v = verify_message(&raw, &VerifyOptions::new(NOW, &[]));
    assert!(limit_reason(&v).unwrap().contains("MIME parts"), "{v:?}");
}

#[test]
fn header_length_limit() {
    // One line: "X-Long: vvv...", exactly MAX_HEADER_LENGTH bytes without the CRLF.
    let line = |len: usize| {
        let mut h = b"X-Long: ".to_vec();
        h.resize(len, b'v');
        h.extend_from_slice(b"\r\nSubject: s\r\n\r\nbody\r\n");
        h
    };
    let raw = line(MAX_HEADER_LENGTH);
    let m = Message::parse(&raw, &MimeLimits::default()).unwrap();
    assert_eq!(m.header(0, "subject").as_deref(), Some("s"));
    assert_eq!(
        Message::parse(&line(MAX_HEADER_LENGTH + 1), &MimeLimits::default()).unwrap_err(),
        MimeError::HeaderTooLong {
            offset: 0,
            limit: MAX_HEADER_LENGTH
        }
    );
    // Folded: the field with its continuation lines counts as one.
    let folded = |len: usize| {
        let mut h = b"X-Long: a\r\n ".to_vec();
        h.resize(len, b'w');
        h.extend_from_slice(b"\r\n\r\nbody\r\n");
        h
    };
    assert!(Message::parse(&folded(MAX_HEADER_LENGTH), &MimeLimits::default()).is_ok());
    let raw = folded(MAX_HEADER_LENGTH + 1);
    assert!(matches!(
        Message::parse(&raw, &MimeLimits::default()),
        Err(MimeError::HeaderTooLong {
            limit: MAX_HEADER_LENGTH,
            ..
        })
    ));
    let v = verify_message(&raw, &VerifyOptions::new(NOW, &[]));
    assert!(
        limit_reason(&v).unwrap().contains("header field length"),
        "{v:?}"
    );
}

// ---------------------------------------------------------------------------------------
// CMS (src/smime/cms.rs) and the signature-check limit (src/smime/verify.rs)

#[test]
fn certificates_per_message_limit() {
    let sd = split_signed_data(&mail_001().2);
    let ok = build_signed_data(&sd, MAX_CERTIFICATES, &[], 0, 1);
    assert_eq!(
        parse_signed_data(&ok, &CmsLimits::default())
            .unwrap()
            .certificates
            .len(),
        MAX_CERTIFICATES
    );
    let over = build_signed_data(&sd, MAX_CERTIFICATES + 1, &[], 0, 1);
    let e = parse_signed_data(&over, &CmsLimits::default()).unwrap_err();
    assert_eq!(
        e,
        CmsError::LimitExceeded {
            which: format!("certificates per message ({MAX_CERTIFICATES})")
        }
    );
}

#[test]
fn crls_per_message_limit() {
    let sd = split_signed_data(&mail_001().2);
    let crl = crl_der();
    let ok = build_signed_data(&sd, 1, &crl, MAX_CRLS, 1);
    assert_eq!(
        parse_signed_data(&ok, &CmsLimits::default())
            .unwrap()
            .crls
            .len(),
        MAX_CRLS
    );
    let over = build_signed_data(&sd, 1, &crl, MAX_CRLS + 1, 1);
    assert_eq!(
        parse_signed_data(&over, &CmsLimits::default()).unwrap_err(),
        CmsError::LimitExceeded {
            which: format!("CRLs per message ({MAX_CRLS})")
        }
    );
}

#[test]
fn signers_per_message_limit() {
    let sd = split_signed_data(&mail_001().2);
    let ok = build_signed_data(&sd, 1, &[], 0, MAX_SIGNERS);
    assert_eq!(
        parse_signed_data(&ok, &CmsLimits::default())
            .unwrap()
            .signers
            .len(),
        MAX_SIGNERS
    );
    let over = build_signed_data(&sd, 1, &[], 0, MAX_SIGNERS + 1);
    assert_eq!(
        parse_signed_data(&over, &CmsLimits::default()).unwrap_err(),
        CmsError::LimitExceeded {
            which: format!("signers per message ({MAX_SIGNERS})")
        }
    );
}

/// Mail 001 with its signature replaced by one carrying `signers` copies of the signer.
fn mail_with_signers(signers: usize) -> Vec<u8> {
    use base64::Engine;
    let (raw, body, der) = mail_001();
    let cms = build_signed_data(&split_signed_data(&der), 0, &[], 0, signers);
    let b64 = base64::engine::general_purpose::STANDARD.encode(cms);
    let mut out = raw[..body.start].to_vec();
    for chunk in b64.as_bytes().chunks(76) {
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\n");
    }
    out.extend_from_slice(&raw[body.end..]);
    out
}

#[test]
fn signature_checks_per_message_limit() {
    let anchors = test_root();
    let opts = VerifyOptions::new(NOW, &anchors);
    // The unmodified mail verifies, so the rebuilt one differs only by its signer count.
    let one = verify_message(&mail_with_signers(1), &opts);
    assert_eq!(one.reason, None, "{one:?}");
    let at = verify_message(&mail_with_signers(MAX_SIGNATURE_CHECKS), &opts);
    assert_eq!(limit_reason(&at), None, "{at:?}");
    let over = verify_message(&mail_with_signers(MAX_SIGNATURE_CHECKS + 1), &opts);
    assert_eq!(
        limit_reason(&over),
        Some(format!("signature checks ({MAX_SIGNATURE_CHECKS})").as_str()),
        "{over:?}"
    );
}

/// `ContentInfo { signedData, [0] SignedData }` whose eContent is an OCTET STRING
/// constructed `nesting` levels deep (BER).
fn ber_nested_econtent(nesting: usize) -> Vec<u8> {
    let mut o = tlv(0x04, b"x");
    for _ in 0..nesting {
        o = tlv(0x24, &o);
    }
    let data_oid = [
        0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01,
    ];
    let mut encap = data_oid.to_vec();
    encap.extend(tlv(0xA0, &o));
    let mut body = tlv(0x02, &[1]);
    body.extend(tlv(0x31, &[]));
    body.extend(tlv(0x30, &encap));
    body.extend(tlv(0x31, &[]));
    let oid = [
        0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02,
    ];
    let mut ci = oid.to_vec();
    ci.extend(tlv(0xA0, &tlv(0x30, &body)));
    tlv(0x30, &ci)
}

#[test]
fn ber_depth_limit() {
    // eContent sits at BER depth 5 (ContentInfo 0, [0] 1, SignedData 2, encap 3, [0] 4);
    // each constructed OCTET STRING level adds one, so the deepest primitive chunk is at
    // depth 5 + nesting.
    let depth_error = CmsError::LimitExceeded {
        which: format!("BER nesting depth ({MAX_BER_DEPTH})"),
    };
    let at = ber_nested_econtent(MAX_BER_DEPTH - 5);
    let sd = parse_signed_data(&at, &CmsLimits::default()).unwrap();
    assert_eq!(sd.econtent.as_deref(), Some(&b"x"[..]));
    let over = ber_nested_econtent(MAX_BER_DEPTH - 4);
    assert_eq!(
        parse_signed_data(&over, &CmsLimits::default()).unwrap_err(),
        depth_error
    );
}

// ---------------------------------------------------------------------------------------
// Paths (src/smime/path.rs) and certificate input (src/smime/trust.rs)

fn pem_cert(name: &str) -> Certificate {
    trust::parse_cert_pem_or_der(&read(&format!("smime/pki/{name}.pem")))
        .unwrap()
        .remove(0)
}

fn test_root() -> Vec<TrustAnchor> {
    let der = pem_cert("root").der;
    vec![TrustAnchor::from_cert_der(&der, AnchorSource::User).unwrap()]
}

fn path_opts<'a>(
    anchors: &'a [TrustAnchor],
    intermediates: &'a [Certificate],
    budget: Budget,
) -> PathOptions<'a> {
    PathOptions {
        time: NOW,
        anchors,
        intermediates,
        crls: &[],
        policy: Default::default(),
        usage: Default::default(),
        budget,
        require_revocation: false,
        offload: None,
        strict: false,
        online: Default::default(),
    }
}

/// Validates the end entity of `tests/fixtures/smime/crl-signers/depth{depth}` (see its
/// generate.py) with revocation required: each level's CRL is signed by a key of its own,
/// whose certificate the validator must validate in turn (with its revocation), `depth` deep.
fn crl_signer_chain(depth: u32, target: &str) -> Result<path::ValidPath, PathError> {
    let dir = format!("smime/crl-signers/depth{depth}");
    let cert = |f: &str| Certificate::from_der(&read(&format!("{dir}/{f}"))).unwrap();
    let levels: Vec<char> = ('A'..).take(depth as usize).collect();
    let certs: Vec<Certificate> = levels
        .iter()
        .flat_map(|l| {
            [
                cert(&format!("{l}-certs.der")),
                cert(&format!("{l}-crls.der")),
            ]
        })
        .collect();
    let crls: Vec<_> = levels
        .iter()
        .map(|l| format!("{l}.crl"))
        .chain(["root.crl".to_string()])
        .map(|f| trust::parse_crl_pem_or_der(&read(&format!("{dir}/{f}"))).unwrap())
        .collect();
    let anchors =
        vec![
            TrustAnchor::from_cert_der(&read(&format!("{dir}/root.der")), AnchorSource::User)
                .unwrap(),
        ];
    let mut opts = path_opts(&anchors, &certs, Budget::default());
    opts.crls = &crls;
    opts.require_revocation = true;
    path::validate(&cert(target), &opts)
}

#[test]
fn crl_signer_depth_limit() {
    // At the limit: A's CRL key (depth 1), then B's (depth 2), whose revocation the root's CRL
    // tells: valid, revocation checked.
    let at = crl_signer_chain(path::MAX_CRL_SIGNER_DEPTH, "ee.der").unwrap();
    assert!(at.revocation_checked);
    // One more level: C's CRL key would be depth 3 and is not validated, so B's CRL key is
    // not accepted (its revocation cannot be told), so A's CRL key is not, so no key of A's
    // may sign the end entity's CRL: not valid.
    let over = crl_signer_chain(path::MAX_CRL_SIGNER_DEPTH + 1, "ee.der").unwrap_err();
    assert!(
        matches!(&over, PathError::CrlProblem { subject, .. } if subject.contains("CN=EE")),
        "{over:?}"
    );
    // The same certificates are sound: from A's CRL key down, each validates as the target (its
    // chain of CRL signers is one shorter), so only the depth refused the end entity.
    for target in ["A-crls.der", "B-crls.der", "C-crls.der"] {
        let v = crl_signer_chain(path::MAX_CRL_SIGNER_DEPTH + 1, target).unwrap();
        assert!(v.revocation_checked, "{target}");
    }
}

#[test]
fn intermediates_per_validation_limit() {
    let anchors = test_root();
    let ee = pem_cert("alice-rsa2048");
    let at = vec![pem_cert("inter"); MAX_CERTS];
    assert!(path::validate(&ee, &path_opts(&anchors, &at, Budget::default())).is_ok());
    let over = vec![pem_cert("inter"); MAX_CERTS + 1];
    assert!(matches!(
        path::validate(&ee, &path_opts(&anchors, &over, Budget::default())),
        Err(PathError::TooManyCerts)
    ));
}

/// The smallest value of one budget field with which alice's chain validates, and the
/// error one below it.
fn budget_edge(set: fn(&mut Budget, u32)) -> (u32, PathError) {
    let anchors = test_root();
    let ee = pem_cert("alice-rsa2048");
    let inter = [pem_cert("inter")];
    let run = |n: u32| {
        let mut b = Budget::default();
        set(&mut b, n);
        path::validate(&ee, &path_opts(&anchors, &inter, b))
    };
    let n = (0..50).find(|&n| run(n).is_ok()).unwrap();
    assert!(n > 0, "a chain needs some work");
    (n, run(n - 1).unwrap_err())
}

#[test]
fn path_budgets_are_exact() {
    let d = Budget::default();
    assert_eq!(d.signature_checks, path::DEFAULT_SIGNATURE_CHECKS);
    assert_eq!(d.build_calls, path::DEFAULT_BUILD_CALLS);
    assert_eq!(
        d.name_constraint_checks,
        path::DEFAULT_NAME_CONSTRAINT_CHECKS
    );
    let (n, e) = budget_edge(|b, n| b.signature_checks = n);
    assert_eq!(
        e,
        PathError::BudgetExceeded(BudgetKind::SignatureChecks),
        "at {n}"
    );
    assert!(n <= path::DEFAULT_SIGNATURE_CHECKS);
    let (n, e) = budget_edge(|b, n| b.build_calls = n);
    assert_eq!(
        e,
        PathError::BudgetExceeded(BudgetKind::BuildCalls),
        "at {n}"
    );
    assert!(n <= path::DEFAULT_BUILD_CALLS);
}

#[test]
fn pem_certificates_per_input_limit() {
    let pem = String::from_utf8(read("smime/pki/alice-p256.pem")).unwrap();
    let at = pem.repeat(MAX_PEM_CERTS);
    assert_eq!(
        trust::parse_cert_pem_or_der(at.as_bytes()).unwrap().len(),
        MAX_PEM_CERTS
    );
    let over = pem.repeat(MAX_PEM_CERTS + 1);
    assert_eq!(
        trust::parse_cert_pem_or_der(over.as_bytes()).unwrap_err(),
        TrustError::TooLarge
    );
}

#[test]
fn certificate_input_size_limit() {
    let mut pem = read("smime/pki/alice-p256.pem");
    pem.resize(MAX_INPUT_BYTES, b'\n');
    assert_eq!(trust::parse_cert_pem_or_der(&pem).unwrap().len(), 1);
    pem.push(b'\n');
    assert_eq!(
        trust::parse_cert_pem_or_der(&pem).unwrap_err(),
        TrustError::TooLarge
    );
    assert_eq!(
        trust::parse_crl_pem_or_der(&pem).unwrap_err(),
        TrustError::TooLarge
    );
}

// ---------------------------------------------------------------------------------------
// Sites (src/site.rs)

#[test]
fn site_limits() {
    let label = |n: usize| format!("{}.example", "a".repeat(n));
    assert!(site::host(&label(MAX_LABEL_LEN)).is_ok());
    assert!(matches!(
        site::host(&label(MAX_LABEL_LEN + 1)),
        Err(SiteError::BadLabel { label }) if label.len() == MAX_LABEL_LEN + 1
    ));
    // Four labels: 63 + 63 + 63 + n + 3 dots.
    let host = |last: usize| {
        let l = "a".repeat(MAX_LABEL_LEN);
        format!("{l}.{l}.{l}.{}", "b".repeat(last))
    };
    let at = host(MAX_HOST_LEN - 3 * MAX_LABEL_LEN - 3);
    assert_eq!(at.len(), MAX_HOST_LEN);
    assert_eq!(site::host(&at).unwrap(), at);
    let over = host(MAX_HOST_LEN - 3 * MAX_LABEL_LEN - 2);
    assert_eq!(
        site::host(&over).unwrap_err(),
        SiteError::HostTooLong {
            len: MAX_HOST_LEN + 1
        }
    );
    let url = |len: usize| {
        let mut u = String::from("https://shop.example.com/");
        u.push_str(&"p".repeat(len - u.len()));
        u
    };
    assert_eq!(
        site::registrable_domain(&url(MAX_SITE_INPUT_LEN)).unwrap(),
        "example.com"
    );
    assert_eq!(
        site::host(&url(MAX_SITE_INPUT_LEN + 1)).unwrap_err(),
        SiteError::InputTooLong {
            len: MAX_SITE_INPUT_LEN + 1
        }
    );
}

// ---------------------------------------------------------------------------------------
// Forms (src/forms/mod.rs): inputs per scan

fn form_batch() -> Batch {
    serde_json::from_slice(&read("forms/en_login_username.json")).unwrap()
}

#[test]
fn fields_per_batch_limit() {
    let with = |n: usize| {
        let mut b = form_batch();
        let f = b.fields[0].clone();
        b.fields = (0..n as u32)
            .map(|i| {
                let mut g = f.clone();
                g.index = i;
                g
            })
            .collect();
        b
    };
    let c = classify_batch(&with(MAX_FIELDS_PER_BATCH)).unwrap();
    assert_eq!(c.fields.len(), MAX_FIELDS_PER_BATCH);
    assert_eq!(
        classify_batch(&with(MAX_FIELDS_PER_BATCH + 1)).unwrap_err(),
        FormsError::TooManyFields {
            count: MAX_FIELDS_PER_BATCH + 1,
            max: MAX_FIELDS_PER_BATCH
        }
    );
}

#[test]
fn forms_per_batch_limit() {
    let with = |n: usize| {
        let mut b = form_batch();
        let f = b.forms[0].clone();
        b.forms = (0..n as u32)
            .map(|i| {
                let mut g = f.clone();
                g.index = i;
                g
            })
            .collect();
        b
    };
    let c = classify_batch(&with(MAX_FORMS_PER_BATCH)).unwrap();
    assert_eq!(c.forms.len(), MAX_FORMS_PER_BATCH);
    assert_eq!(
        classify_batch(&with(MAX_FORMS_PER_BATCH + 1)).unwrap_err(),
        FormsError::TooManyForms {
            count: MAX_FORMS_PER_BATCH + 1,
            max: MAX_FORMS_PER_BATCH
        }
    );
}

#[test]
fn feature_text_and_list_limits() {
    let mut b = form_batch();
    b.fields[0].label = "é".repeat(MAX_TEXT_LEN); // chars, not bytes
    assert!(classify_batch(&b).is_ok());
    b.fields[0].label.push('x');
    assert_eq!(
        classify_batch(&b).unwrap_err(),
        FormsError::TextTooLong {
            record: "field",
            index: 0,
            feature: "label",
            len: MAX_TEXT_LEN + 1,
            max: MAX_TEXT_LEN
        }
    );
    let mut b = form_batch();
    b.forms[0].buttons = vec!["Go".to_string(); MAX_LIST_LEN];
    assert!(classify_batch(&b).is_ok());
    b.forms[0].buttons.push("Go".into());
    assert_eq!(
        classify_batch(&b).unwrap_err(),
        FormsError::ListTooLong {
            record: "form",
            index: 0,
            feature: "buttons",
            len: MAX_LIST_LEN + 1,
            max: MAX_LIST_LEN
        }
    );
}

// ---------------------------------------------------------------------------------------
// Vault and settings (src/alias/vault.rs, settings.rs)

fn records_doc(n: usize, pad_to: Option<usize>) -> String {
    let records: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"id":"a{i}","address":"u{i}@mine.example","source":"catch-all","created":1,"state":"active"}}"#
            )
        })
        .collect();
    let mut doc = format!(
        r#"{{"format":"impalemail-vault","schema":1,"records":[{}]}}"#,
        records.join(",")
    );
    if let Some(len) = pad_to {
        doc.insert_str(1, &" ".repeat(len - doc.len()));
    }
    doc
}

#[test]
fn vault_size_limit() {
    let v = Vault::from_json(&records_doc(MAX_VAULT_RECORDS, None)).unwrap();
    assert_eq!(v.search("").len(), MAX_VAULT_RECORDS);
    assert_eq!(
        Vault::from_json(&records_doc(MAX_VAULT_RECORDS + 1, None)).unwrap_err(),
        AliasError::TooLarge {
            what: "the number of aliases",
            len: MAX_VAULT_RECORDS + 1,
            max: MAX_VAULT_RECORDS
        }
    );
    // A full vault takes no new address, through add or import, and is left as it was.
    let one_more = records_doc(1, None).replace("u0@", "new@");
    assert!(matches!(
        v.import(&one_more),
        Err(AliasError::TooLarge {
            max: MAX_VAULT_RECORDS,
            ..
        })
    ));
    let known = records_doc(1, None);
    assert_eq!(
        v.import(&known).unwrap().search("").len(),
        MAX_VAULT_RECORDS
    );
}

#[test]
fn import_size_limit() {
    let at = records_doc(2, Some(MAX_IMPORT_BYTES));
    assert_eq!(at.len(), MAX_IMPORT_BYTES);
    assert_eq!(Vault::new().import(&at).unwrap().search("").len(), 2);
    let over = records_doc(2, Some(MAX_IMPORT_BYTES + 1));
    assert_eq!(
        Vault::new().import(&over).unwrap_err(),
        AliasError::TooLarge {
            what: "the file",
            len: MAX_IMPORT_BYTES + 1,
            max: MAX_IMPORT_BYTES
        }
    );
}

#[test]
fn record_text_and_lifetime_limits() {
    let mut v = Vault::from_json(&records_doc(1, None)).unwrap();
    let id = v.search("").remove(0).id.clone();
    let at = "ß".repeat(MAX_TEXT_CHARS);
    v.set_label(&id, Some(&at)).unwrap();
    v.set_note(&id, Some(&at)).unwrap();
    let over = format!("{at}x");
    for e in [
        v.set_label(&id, Some(&over)).unwrap_err(),
        v.set_note(&id, Some(&over)).unwrap_err(),
    ] {
        assert!(e.to_string().contains(&MAX_TEXT_CHARS.to_string()), "{e}");
    }
    assert_eq!(v.get(&id).unwrap().label.as_deref(), Some(at.as_str()));
    assert!(Lifetime::Custom {
        secs: MAX_LIFETIME_SECS
    }
    .validate()
    .is_ok());
    assert!(Lifetime::Custom {
        secs: MAX_LIFETIME_SECS + 1
    }
    .validate()
    .is_err());
}

#[test]
fn settings_size_and_key_limits() {
    let mut s = Settings::default();
    s.providers.push(ProviderSettings {
        provider: Provider::SimpleLogin,
        enabled: true,
        base_url: None,
        key: Secret::new("k".repeat(MAX_KEY_LEN)),
        domain: None,
    });
    s.validate_fields().unwrap();
    let json = s.to_json();
    let pad = |len: usize| {
        let mut t = json.clone();
        t.insert_str(1, &" ".repeat(len - json.len()));
        t
    };
    assert!(Settings::from_json(&pad(MAX_SETTINGS_BYTES)).is_ok());
    assert_eq!(
        Settings::from_json(&pad(MAX_SETTINGS_BYTES + 1)).unwrap_err(),
        AliasError::TooLarge {
            what: "the settings",
            len: MAX_SETTINGS_BYTES + 1,
            max: MAX_SETTINGS_BYTES
        }
    );
    s.providers[0].key = Secret::new("k".repeat(MAX_KEY_LEN + 1));
    let e = s.validate_fields().unwrap_err();
    assert!(e.to_string().contains("too long"), "{e}");
    assert!(
        !format!("{e} {e:?}").contains(&"k".repeat(100)),
        "the key is not shown"
    );
}

// ---------------------------------------------------------------------------------------
// Generators (src/alias/generators.rs)

#[test]
fn address_limits() {
    assert!(generators::validate_local_part(&"a".repeat(MAX_LOCAL_PART_LEN)).is_ok());
    assert!(generators::validate_local_part(&"a".repeat(MAX_LOCAL_PART_LEN + 1)).is_err());
    // local@ + domain of labels: exactly MAX_ADDRESS_LEN bytes, then one more.
    let address = |len: usize| {
        let local = "l".repeat(MAX_LOCAL_PART_LEN);
        let mut domain = String::new();
        while local.len() + 1 + domain.len() + 60 < len {
            domain.push_str(&"d".repeat(59));
            domain.push('.');
        }
        let rest = len - local.len() - 1 - domain.len() - 8;
        domain.push_str(&"e".repeat(rest));
        domain.push_str(".example");
        format!("{local}@{domain}")
    };
    let at = address(MAX_ADDRESS_LEN);
    assert_eq!(at.len(), MAX_ADDRESS_LEN);
    assert_eq!(generators::validate_address(&at).unwrap(), at);
    assert!(generators::validate_address(&address(MAX_ADDRESS_LEN + 1)).is_err());
}

#[test]
fn tag_and_site_label_limits() {
    let own = "me@mine.example";
    let at = "t".repeat(MAX_TAG_LEN);
    assert_eq!(
        generators::plus(own, Some(&at)).unwrap(),
        format!("me+{at}@mine.example")
    );
    assert!(generators::plus(own, Some(&format!("{at}t"))).is_err());
    let long_site = format!("{}.example", "s".repeat(3 * MAX_SITE_LABEL_LEN));
    assert_eq!(
        generators::site_label(&long_site).chars().count(),
        MAX_SITE_LABEL_LEN
    );
    let short = format!("{}.example", "s".repeat(MAX_SITE_LABEL_LEN));
    assert_eq!(
        generators::site_label(&short),
        "s".repeat(MAX_SITE_LABEL_LEN)
    );
}

// ---------------------------------------------------------------------------------------
// Providers (src/alias/providers, http.rs, error.rs)

#[test]
fn base_url_limit() {
    let url = |len: usize| {
        let mut u = String::from("https://sl.example.org/");
        u.push_str(&"p".repeat(len - u.len()));
        u
    };
    assert!(validate_base_url(Provider::SimpleLogin, &url(MAX_BASE_URL_LEN)).is_ok());
    let e = validate_base_url(Provider::SimpleLogin, &url(MAX_BASE_URL_LEN + 1)).unwrap_err();
    assert!(
        matches!(e, AliasError::InvalidBaseUrl { reason, .. } if reason.contains("too long")),
        "{e:?}"
    );
}

fn ddg_create() -> Flow {
    let config = ProviderConfig::new(Provider::DuckDuckGo, "ddg-token");
    let req = CreateRequest::for_url("https://shop.example.com/").unwrap();
    let mut f = Flow::create(&config, &req, NOW).unwrap();
    assert!(matches!(f.next(None), Step::Request(_)));
    f
}

#[test]
fn response_size_limit() {
    let body = |len: usize| {
        let mut b = String::from(r#"{"address":"quiet-otter-lamp"}"#);
        b.push_str(&" ".repeat(len - b.len()));
        b
    };
    let mut f = ddg_create();
    let Step::Done(Ok(Outcome::Created { alias })) =
        f.next(Some(HttpResponse::new(201, body(MAX_RESPONSE_BYTES))))
    else {
        panic!("a response of exactly the limit is read")
    };
    assert_eq!(alias.address, "quiet-otter-lamp@duck.com");
    let mut f = ddg_create();
    let Step::Done(Err(e)) = f.next(Some(HttpResponse::new(201, body(MAX_RESPONSE_BYTES + 1))))
    else {
        panic!("expected an error")
    };
    assert!(
        matches!(&e, AliasError::Malformed { what, .. } if what.contains(&format!("limit {MAX_RESPONSE_BYTES}"))),
        "{e:?}"
    );
}

#[test]
fn provider_message_limit() {
    let message_of = |len: usize| {
        let text = "m".repeat(len);
        let mut f = ddg_create();
        let body = format!(r#"{{"error":"{text}"}}"#);
        match f.next(Some(HttpResponse::new(418, body))) {
            Step::Done(Err(AliasError::Rejected { message, .. })) => message.unwrap(),
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(
        message_of(MAX_PROVIDER_MESSAGE_CHARS),
        "m".repeat(MAX_PROVIDER_MESSAGE_CHARS)
    );
    assert_eq!(
        message_of(MAX_PROVIDER_MESSAGE_CHARS + 1),
        format!("{}\u{2026}", "m".repeat(MAX_PROVIDER_MESSAGE_CHARS))
    );
}

#[test]
fn note_limit() {
    let description = |note: String| {
        let config = ProviderConfig::new(Provider::FirefoxRelay, "relay-token");
        let mut req = CreateRequest::for_url("https://shop.example.com/").unwrap();
        req.note = note;
        let mut f = Flow::create(&config, &req, NOW).unwrap();
        let Step::Request(r) = f.next(None) else {
            panic!("expected a request")
        };
        let body: serde_json::Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
        body["description"].as_str().unwrap().to_string()
    };
    let at = "n".repeat(MAX_NOTE_CHARS);
    assert_eq!(description(at.clone()), at);
    assert_eq!(description(format!("{at}€")), at, "cut, in characters");
}

#[test]
fn list_pages_limit() {
    // Forward Email pages through `X-Page-Count`; each page here holds one alias.
    let list = |page_count: u32| {
        let mut config = ProviderConfig::new(Provider::ForwardEmail, "fe-token");
        config.domain = Some("mine.example".into());
        let mut f = Flow::list(&config, NOW).unwrap();
        let mut step = f.next(None);
        let mut requests = 0;
        loop {
            match step {
                Step::Request(_) => {
                    requests += 1;
                    let mut r = HttpResponse::new(
                        200,
                        format!(r#"[{{"id":"{requests}","name":"a{requests}"}}]"#),
                    );
                    r.headers
                        .push(("X-Page-Count".into(), page_count.to_string()));
                    step = f.next(Some(r));
                }
                Step::Done(Ok(Outcome::Listed { aliases, complete })) => {
                    assert_eq!(aliases.len(), requests);
                    return (requests, complete);
                }
                Step::Done(other) => panic!("{other:?}"),
            }
        }
    };
    let max = MAX_LIST_PAGES as usize;
    assert_eq!(list(MAX_LIST_PAGES), (max, true));
    assert_eq!(
        list(MAX_LIST_PAGES + 1),
        (max, false),
        "stops, and says it is incomplete"
    );
}

#[test]
fn chain_length_limit() {
    let dir = fixtures().join("limits");
    let root = trust::parse_cert_pem_or_der(&std::fs::read(dir.join("root.pem")).unwrap()).unwrap();
    let anchors = [TrustAnchor::from_cert_der(&root[0].der, AnchorSource::User).unwrap()];
    let chain = |n: usize| {
        let mut c = trust::parse_cert_pem_or_der(
            &std::fs::read(dir.join(format!("chain-{n}.pem"))).unwrap(),
        )
        .unwrap();
        assert_eq!(c.len(), n + 1);
        let ee = c.remove(0);
        (ee, c)
    };
    // End entity + MAX_CHAIN_LEN - 1 intermediates: MAX_CHAIN_LEN certificates below the anchor.
    let (ee, inter) = chain(MAX_CHAIN_LEN - 1);
    let p = path::validate(&ee, &path_opts(&anchors, &inter, Budget::default())).unwrap();
    assert_eq!(p.chain.len(), MAX_CHAIN_LEN);
    let (ee, inter) = chain(MAX_CHAIN_LEN);
    assert_eq!(
        path::validate(&ee, &path_opts(&anchors, &inter, Budget::default())).unwrap_err(),
        PathError::ChainTooLong
    );
}

fn null() -> Option<Any> {
    Some(Any {
        tag: 0x05,
        value: Vec::new(),
    })
}

fn rsa_spki(modulus_bits: usize) -> SubjectPublicKeyInfo {
    // A modulus of exactly `modulus_bits` bits (top bit set, odd); not a real key: the size
    // check comes before any use.
    let mut n = vec![0xFFu8; modulus_bits.div_ceil(8)];
    let top = modulus_bits % 8;
    if top != 0 {
        n[0] = (1u8 << top) - 1;
    }
    let mut int = if n[0] & 0x80 != 0 { vec![0u8] } else { vec![] };
    int.extend(n);
    let mut seq = tlv(0x02, &int);
    seq.extend(tlv(0x02, &[0x01, 0x00, 0x01]));
    let key = tlv(0x30, &seq);
    SubjectPublicKeyInfo {
        algorithm: AlgorithmIdentifier {
            oid: algs::oids::RSA_ENCRYPTION,
            parameters: null(),
        },
        subject_public_key: BitString {
            unused_bits: 0,
            bytes: key,
        },
    }
}

fn sha256_rsa() -> AlgorithmIdentifier {
    AlgorithmIdentifier {
        oid: algs::oids::SHA256_WITH_RSA,
        parameters: null(),
    }
}

#[test]
fn rsa_key_size_limits() {
    // MAX_RSA_BITS: the largest key is used (the made-up signature is then simply wrong);
    // one bit more is refused before any arithmetic.
    let sig = vec![1u8; MAX_RSA_BITS / 8];
    let at = algs::verify_signature(&rsa_spki(MAX_RSA_BITS), None, &sha256_rsa(), b"m", &sig);
    assert!(!matches!(at, Err(AlgError::Unsupported { .. })), "{at:?}");
    let over = algs::verify_signature(&rsa_spki(MAX_RSA_BITS + 1), None, &sha256_rsa(), b"m", &sig);
    assert_eq!(
        over,
        Err(AlgError::Unsupported {
            what: format!("RSA key of {} bits (over {MAX_RSA_BITS})", MAX_RSA_BITS + 1)
        })
    );
    // MIN_RSA_BITS: real keys and signatures (tests/fixtures/limits/generate.sh).
    let dir = fixtures().join("limits");
    let message = std::fs::read(dir.join("message.txt")).unwrap();
    let check = |bits: usize| {
        let spki = SubjectPublicKeyInfo::from_der(
            &std::fs::read(dir.join(format!("rsa{bits}.spki.der"))).unwrap(),
        )
        .unwrap();
        let sig = std::fs::read(dir.join(format!("rsa{bits}.sig"))).unwrap();
        algs::verify_signature(&spki, None, &sha256_rsa(), &message, &sig).unwrap()
    };
    assert_eq!(check(MIN_RSA_BITS), Strength::Strong);
    assert_eq!(
        check(MIN_RSA_BITS - 1),
        Strength::Weak(WeakReason::RsaKeyTooSmall {
            bits: MIN_RSA_BITS - 1
        })
    );
}

#[test]
fn forms_cli_line_limit() {
    let batch = std::fs::read(fixtures().join("forms/en_login_username.json")).unwrap();
    let batch: Vec<u8> = batch.into_iter().filter(|&b| b != b'\n').collect();
    let run = |len: usize| {
        let mut line = batch.clone();
        line.resize(len, b' ');
        line.push(b'\n');
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let status = impalemail::cli::forms::run(
            &["classify".to_string()],
            &mut line.as_slice(),
            &mut out,
            &mut err,
        );
        assert!(err.is_empty());
        // One JSON answer per line: a classification, or {"error": ...}.
        let answer: serde_json::Value = serde_json::from_slice(&out).unwrap();
        (status, answer)
    };
    let (status, answer) = run(MAX_LINE_BYTES);
    assert_eq!(status, 0, "{answer}");
    assert!(answer["fields"].is_array());
    let (status, answer) = run(MAX_LINE_BYTES + 1);
    assert_eq!(status, 1);
    let e = answer["error"].as_str().unwrap();
    assert!(
        e.contains(&format!("more than the limit of {MAX_LINE_BYTES}")),
        "{e}"
    );
}

#[test]
fn relay_generated_for_limit() {
    // relay.rs's private MAX_GENERATED_FOR (255): Relay's column size for `generated_for`.
    let generated_for = |site: String| {
        let config = ProviderConfig::new(Provider::FirefoxRelay, "relay-token");
        let mut req = CreateRequest::for_url("https://shop.example.com/").unwrap();
        req.site = site;
        let mut f = Flow::create(&config, &req, NOW).unwrap();
        let Step::Request(r) = f.next(None) else {
            panic!("expected a request")
        };
        let body: serde_json::Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
        body["generated_for"].as_str().unwrap().to_string()
    };
    let at = "s".repeat(255);
    assert_eq!(generated_for(at.clone()), at);
    assert_eq!(generated_for(format!("{at}s")), at);
}

#[test]
fn recipient_lookups_limit() {
    use impalemail::alias::service::{aliases_addressed, MAX_RECIPIENT_LOOKUPS};
    let n = MAX_RECIPIENT_LOOKUPS + 1;
    let v = Vault::from_json(&records_doc(n, None)).unwrap();
    let recipients: Vec<String> = (0..n).map(|i| format!("u{i}@mine.example")).collect();
    let at = aliases_addressed(&v, &recipients[..MAX_RECIPIENT_LOOKUPS], None);
    assert_eq!(at.len(), MAX_RECIPIENT_LOOKUPS);
    let over = aliases_addressed(&v, &recipients, None);
    assert_eq!(
        over.len(),
        MAX_RECIPIENT_LOOKUPS,
        "the one past the limit is not looked up"
    );
    assert!(over.iter().all(|u| u.alias != recipients[n - 1]));
}

#[test]
fn policy_tree_limit() {
    use impalemail::smime::policy::{PolicyFailure, PolicyState, MAX_POLICY_NODES};
    // The tree starts with its anyPolicy root; a certificate with k policies under it adds k
    // nodes (RFC 5280 §6.1.3 (d)(1)-(2)).
    let policies = |k: usize| -> Vec<const_oid::ObjectIdentifier> {
        (0..k)
            .map(|i| format!("1.3.6.1.4.1.99999.{}", i + 1).parse().unwrap())
            .collect()
    };
    let mut at = PolicyState::new(1, false, false, false);
    assert_eq!(
        at.process_cert(1, Some(&policies(MAX_POLICY_NODES - 1)), false),
        Ok(())
    );
    assert!(!at.is_null());
    let mut over = PolicyState::new(1, false, false, false);
    assert_eq!(
        over.process_cert(1, Some(&policies(MAX_POLICY_NODES)), false),
        Err(PolicyFailure::TooManyNodes)
    );
}

// ---------------------------------------------------------------------------------------
// The check in rounds (src/smime/offload.rs)

/// A CRL from `issuer` (its Name DER), current at NOW, numbered 1, whose revokedCertificates
/// hold the entries `entries` (their DER, concatenated), with a made-up signature: the signature is
/// only *asked* for, or found wrong.
fn made_up_crl(issuer_der: &[u8], entries: &[u8]) -> impalemail::smime::x509::CertificateList {
    use impalemail::smime::asn1::encode;
    let sha256_rsa = encode(
        0x30,
        &[
            encode(0x06, algs::oids::SHA256_WITH_RSA.as_bytes()),
            vec![0x05, 0x00],
        ]
        .concat(),
    );
    let tbs = encode(
        0x30,
        &[
            encode(0x02, &[0x01]),
            sha256_rsa.clone(),
            issuer_der.to_vec(),
            encode(0x17, b"260101000000Z"),
            encode(0x17, b"280101000000Z"),
            encode(0x30, entries),
            // crlExtensions: cRLNumber 1 (a conforming CRL, RFC 5280 §5.2.3).
            encode(
                0xa0,
                &encode(
                    0x30,
                    &encode(
                        0x30,
                        &[
                            encode(0x06, &[0x55, 0x1d, 0x14]),
                            encode(0x04, &encode(0x02, &[0x01])),
                        ]
                        .concat(),
                    ),
                ),
            ),
        ]
        .concat(),
    );
    let mut sig = vec![0u8];
    sig.extend([0x5a; 256]);
    let crl = encode(0x30, &[tbs, sha256_rsa, encode(0x03, &sig)].concat());
    impalemail::smime::x509::CertificateList::from_der(&crl).unwrap()
}

/// One revokedCertificates entry: `serial` (INTEGER contents), revoked 2026-01-01.
fn revoked_entry(serial: &[u8]) -> Vec<u8> {
    use impalemail::smime::asn1::encode;
    encode(
        0x30,
        &[encode(0x02, serial), encode(0x17, b"260101000000Z")].concat(),
    )
}

/// MAX_SIGNATURE_REQUESTS: one pass asks for at most that many signature checks; the rest are
/// checked in the core in that pass (natively: RustCrypto; in the wasm they would be
/// "unsupported"). Extra CRLs each add one request (their signatures are checked even when
/// another CRL already covers the certificate). The verdict is the one-call verdict either way.
#[test]
fn signature_requests_per_pass_limit() {
    use impalemail::smime::offload::{answer_locally, Step, VerifyJob, MAX_SIGNATURE_REQUESTS};
    let anchors = test_root();
    let raw = read("smime/generated/001.eml");
    let inter = pem_cert("inter");
    let root = pem_cert("root");
    // CRLs from the signer's issuer (the intermediate) and from the intermediate's (the root),
    // at most MAX_CRLS_PER_CERT for either.
    let crls_for = |k: usize| -> Vec<_> {
        (0..k)
            .map(|i| {
                let issuer = if i % 2 == 0 {
                    &inter.subject.der
                } else {
                    &root.subject.der
                };
                // A serial of its own, so each CRL is different bytes.
                made_up_crl(issuer, &revoked_entry(&[0x01, (i >> 8) as u8, i as u8]))
            })
            .collect()
    };
    let first_pass = |k: usize| -> (usize, serde_json::Value, serde_json::Value) {
        let crls = crls_for(k);
        let mut opts = VerifyOptions::new(NOW, &anchors);
        opts.crls = &crls;
        let plain = serde_json::to_value(verify_message(&raw, &opts)).unwrap();
        let mut job = VerifyJob::new(raw.clone(), usize::MAX);
        let mut asked_first = None;
        loop {
            match job.step(&opts) {
                Step::Done(v) => {
                    let v = serde_json::to_value(*v).unwrap();
                    return (asked_first.unwrap_or(0), v, plain);
                }
                Step::Need(n) => {
                    asked_first.get_or_insert(n.signatures.len());
                    let answers = n.signatures.iter().map(answer_locally).collect();
                    let digests = vec![None; n.digests.len()];
                    job.answer(digests, answers).unwrap();
                }
            }
        }
    };
    let (base, v, plain) = first_pass(0);
    assert_eq!(v, plain);
    assert!((3..MAX_SIGNATURE_REQUESTS).contains(&base), "{base}");
    // Exactly at the limit: everything is asked.
    let at = MAX_SIGNATURE_REQUESTS - base;
    let (asked, v, plain) = first_pass(at);
    assert_eq!(asked, MAX_SIGNATURE_REQUESTS);
    assert_eq!(v, plain);
    // One more: still MAX_SIGNATURE_REQUESTS asked; the last is checked in the core.
    let (asked, v, plain) = first_pass(at + 1);
    assert_eq!(asked, MAX_SIGNATURE_REQUESTS);
    assert_eq!(v, plain);
    // The made-up CRLs were looked at: the verdict is not the green one of no CRL at all.
    assert_ne!(plain["status"], "verified", "{plain}");
}

/// MAX_CRL_ENTRIES: a CRL with exactly that many entries is read to the end and judged on
/// (here: its made-up signature); one more entry and it is refused for its size, before any
/// signature is checked. The CRL is built here (about 22 MB of DER).
#[test]
fn crl_entries_limit() {
    use impalemail::smime::crl::{self, CertScope, CrlEnv, CrlSigner, CrlStatus, MAX_CRL_ENTRIES};
    use impalemail::smime::names::NameKey;
    struct NoKeys;
    impl CrlEnv for NoKeys {
        fn signers(&mut self, _: &NameKey) -> Vec<CrlSigner> {
            Vec::new()
        }
        fn take_signature_check(&mut self) -> bool {
            true
        }
    }
    let inter = pem_cert("inter");
    let alice = pem_cert("alice-rsa2048");
    let scope = CertScope::from_cert(&alice, false);
    let crl_with = |entries: usize| {
        // Entries with serials 0x01000000 + i (not the signer's), all the same date; written
        // directly, as `revoked_entry` would write them, a million times.
        let mut list = Vec::with_capacity(entries * 23);
        for i in 0..entries as u32 {
            list.extend([0x30, 0x15, 0x02, 0x04]);
            list.extend((0x0100_0000 + i).to_be_bytes());
            list.extend([0x17, 0x0d]);
            list.extend(b"260101000000Z");
        }
        made_up_crl(&inter.subject.der, &list)
    };
    assert_eq!(
        crl_with(1).revoked[0].serial_number,
        made_up_crl(&inter.subject.der, &revoked_entry(&[1, 0, 0, 0])).revoked[0].serial_number
    );
    let at = [crl_with(MAX_CRL_ENTRIES)];
    assert_eq!(at[0].revoked.len(), MAX_CRL_ENTRIES);
    assert_eq!(
        crl::check(&scope, &at, NOW, &mut NoKeys),
        CrlStatus::Problem("CRL signature does not verify with a key of its issuer".into())
    );
    drop(at);
    let over = [crl_with(MAX_CRL_ENTRIES + 1)];
    assert_eq!(
        crl::check(&scope, &over, NOW, &mut NoKeys),
        CrlStatus::Problem(format!(
            "CRL has more than {MAX_CRL_ENTRIES} entries (MAX_CRL_ENTRIES)"
        ))
    );
}

/// x509::MAX_SERIAL_BYTES: a certificate's serial number of that many octets is read, one more
/// is refused (RFC 5280 §4.1.2.2 allows 20; the 21st is a tolerated sign octet). The
/// certificate is the test root with its serial replaced (its signature is then wrong, which
/// parsing does not look at).
#[test]
fn serial_number_length_limit() {
    use impalemail::smime::asn1::{encode, Der};
    use impalemail::smime::x509::MAX_SERIAL_BYTES;
    let root = pem_cert("root");
    let with_serial = |len: usize| {
        let mut serial = vec![0x11u8; len];
        serial[0] = 0x01;
        let mut cert = Der::new(&root.der).nested(0x30, "cert").unwrap();
        let mut tbs_in = cert.nested(0x30, "tbs").unwrap();
        let mut tbs = tbs_in.any().unwrap().raw.to_vec(); // version
        tbs_in.integer().unwrap(); // the old serial
        tbs.extend(encode(0x02, &serial));
        while !tbs_in.is_empty() {
            tbs.extend(tbs_in.any().unwrap().raw);
        }
        let mut out = encode(0x30, &tbs);
        while !cert.is_empty() {
            out.extend(cert.any().unwrap().raw);
        }
        Certificate::from_der(&encode(0x30, &out))
    };
    assert_eq!(
        with_serial(MAX_SERIAL_BYTES).unwrap().serial_number.len(),
        MAX_SERIAL_BYTES
    );
    assert!(with_serial(MAX_SERIAL_BYTES + 1).is_err());
}

/// DEFAULT_NAME_CONSTRAINT_CHECKS counts the subject DN's attributes too: a CA with 2000
/// directoryName constraints over an end entity whose subject has 2000 attributes (chains
/// from the tests' generator, `tests/x509_gen`) is 2000 x 2001 comparisons. With exactly that
/// budget the path is valid; one less, and it is the named limit's error, "too complex to
/// check"; with the default budget too.
#[test]
fn name_constraint_budget_counts_subject_attributes() {
    use x509_gen::*;
    const N: usize = 2000;
    let org = (O, "ImpaleMail rules test");
    let root = ca("Root", 1, "Root", 1);
    let base = gn_dir(name(&[org]));
    let inter = ca("Inter", 2, "Root", 1).set(NC, true, name_constraints(&vec![base; N], &[]));
    let mut subject = vec![org];
    subject.extend(std::iter::repeat(("2.5.4.11", "unit")).take(N));
    let mut ee = leaf("Inter", 2);
    ee.subject = name(&subject);
    let anchors = [TrustAnchor::from_cert_der(&root.der(), AnchorSource::User).unwrap()];
    let inters = [Certificate::from_der(&inter.der()).unwrap()];
    let ee = Certificate::from_der(&ee.der()).unwrap();
    let run = |checks: u32| {
        let budget = Budget {
            name_constraint_checks: checks,
            ..Budget::default()
        };
        path::validate(&ee, &path_opts(&anchors, &inters, budget))
    };
    let exact = (N * (N + 1)) as u32;
    assert!(exact > path::DEFAULT_NAME_CONSTRAINT_CHECKS);
    assert!(run(exact).is_ok());
    let over = PathError::BudgetExceeded(BudgetKind::NameConstraintChecks);
    assert_eq!(run(exact - 1).unwrap_err(), over);
    let default = run(path::DEFAULT_NAME_CONSTRAINT_CHECKS).unwrap_err();
    assert_eq!(default, over);
    assert!(
        default.to_string().contains("too complex to check"),
        "{default}"
    );
}
