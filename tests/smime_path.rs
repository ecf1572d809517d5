//! Path validation against NIST PKITS (as S/MIME mails) and Bouncy Castle's validator
//! mails, plus the embedded root bundle. Fixtures: tests/fixtures/{pkits,bc,roots}/ (see
//! their PROVENANCE.md). Fixed clock: 2020-01-01T00:00:00Z for PKITS (its certificates are
//! valid 2010-2030).
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use base64::Engine;
use const_oid::ObjectIdentifier;
use impalemail::smime::asn1::Der;
use impalemail::smime::path::{
    validate, AnchorSource, Budget, PathError, PathOptions, PolicySettings, RequiredUsage,
    TrustAnchor,
};
use impalemail::smime::x509::{self, Certificate, CertificateList, Name};

/// 2020-01-01T00:00:00Z.
const PKITS_TIME: u64 = 1_577_836_800;

fn fixtures() -> PathBuf {
    match option_env!("IMPALEMAIL_ROOT") {
        Some(root) => PathBuf::from(root).join("tests/fixtures"),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures")),
    }
}

/// The DER of the first application/pkcs7-signature or pkcs7-mime part of a mail.
fn cms_der_from_mail(mail: &str) -> Vec<u8> {
    let lower = mail.to_ascii_lowercase();
    let start = lower
        .find("content-type: application/pkcs7-signature")
        .or_else(|| lower.find("content-type: application/x-pkcs7-signature"))
        .or_else(|| lower.find("content-type: application/pkcs7-mime"))
        .or_else(|| lower.find("content-type: application/x-pkcs7-mime"))
        .expect("no pkcs7 part");
    let rest = &mail[start..];
    let body_start = rest
        .find("\r\n\r\n")
        .map(|i| i + 4)
        .or_else(|| rest.find("\n\n").map(|i| i + 2))
        .unwrap();
    let mut b64 = String::new();
    for line in rest[body_start..].lines() {
        let l = line.trim();
        if l.starts_with("--") || (l.is_empty() && !b64.is_empty()) {
            break;
        }
        b64.push_str(l);
    }
    base64::engine::general_purpose::STANDARD
        .decode(b64.as_bytes())
        .unwrap()
}

/// One BER TLV: (tag byte, header length, total length) at the start of `d`. Handles the
/// indefinite length form (Bouncy Castle's mails are streamed BER).
fn tlv(d: &[u8]) -> (u8, usize, usize) {
    let tag = d[0];
    if d[1] == 0x80 {
        let mut off = 2;
        while d[off..off + 2] != [0, 0] {
            off += tlv(&d[off..]).2;
        }
        return (tag, 2, off + 2);
    }
    let (len, hl) = if d[1] < 0x80 {
        (d[1] as usize, 2)
    } else {
        let n = (d[1] & 0x7f) as usize;
        let mut l = 0usize;
        for b in &d[2..2 + n] {
            l = (l << 8) | *b as usize;
        }
        (l, 2 + n)
    };
    (tag, hl, hl + len)
}

/// The children TLVs (raw bytes) of a constructed TLV.
fn children(d: &[u8]) -> Vec<&[u8]> {
    let (_, hl, total) = tlv(d);
    let end = if d[1] == 0x80 { total - 2 } else { total };
    let mut out = Vec::new();
    let mut rest = &d[hl..end];
    while !rest.is_empty() {
        let (_, _, t) = tlv(rest);
        out.push(&rest[..t]);
        rest = &rest[t..];
    }
    out
}

/// (signer certificate, other certificates) from a signed mail. The SignedData is walked
/// by hand (not with `cms::SignedData`) because some PKITS mails carry a certificate twice,
/// which the strict DER SET OF decoder rejects; path validation does not care.
fn chain_from_mail(path: &std::path::Path) -> Result<(Certificate, Vec<Certificate>), String> {
    let mail = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
    let der = cms_der_from_mail(&mail);
    let ci = children(&der);
    let explicit = children(ci[1]);
    let sd = children(explicit[0]);
    let raw: Vec<&[u8]> = sd
        .iter()
        .find(|c| c[0] == 0xa0)
        .map(|set| children(set))
        .unwrap_or_default();
    let signer_infos = sd.last().unwrap();
    let si = children(children(signer_infos)[0]);
    // IssuerAndSerialNumber ::= SEQUENCE { issuer Name, serialNumber INTEGER }.
    let (sid_issuer, sid_serial) = {
        let mut d = Der::new(si[1]);
        let mut s = d.nested(0x30, "IssuerAndSerialNumber").unwrap();
        (Name::read(&mut s).unwrap(), s.integer().unwrap().to_vec())
    };
    // Certificates that cannot be parsed (UTCTime before 1970) are dropped; if that is the
    // signer's, the outcome is "malformed".
    let mut certs: Vec<Certificate> = Vec::new();
    for c in raw {
        match Certificate::from_der(c) {
            Ok(c) => certs.push(c),
            Err(e) => eprintln!("{}: certificate does not parse: {e}", path.display()),
        }
    }
    let idx = certs
        .iter()
        .position(|c| c.serial_number == sid_serial && c.issuer.rdns == sid_issuer.rdns)
        .ok_or_else(|| "signer certificate missing or unparsable".to_string())?;
    let mut others = certs.clone();
    let ee = others.remove(idx);
    Ok((ee, others))
}

#[allow(dead_code)]
fn read_der_or_pem(path: &std::path::Path) -> Vec<u8> {
    let bytes = std::fs::read(path).unwrap();
    if bytes.starts_with(b"-----") {
        let text = String::from_utf8_lossy(&bytes);
        let b64: String = text
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<Vec<_>>()
            .concat();
        base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .unwrap()
    } else {
        bytes
    }
}

fn pkits_crls() -> Vec<CertificateList> {
    let dir = fixtures().join("pkits/crls");
    let mut v = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        match CertificateList::from_der(&std::fs::read(&p).unwrap()) {
            Ok(c) => v.push(c),
            Err(e) => eprintln!("skipping CRL {}: {e}", p.display()),
        }
    }
    v
}

fn pkits_anchor() -> TrustAnchor {
    let der = std::fs::read(fixtures().join("pkits/certs/TrustAnchorRootCertificate.crt")).unwrap();
    TrustAnchor::from_cert_der(&der, AnchorSource::User).unwrap()
}

// NIST PKITS policy OIDs (PKITS §3.2): NIST-test-policy-N = 2.16.840.1.101.3.2.1.48.N.
fn test_policy(n: u32) -> ObjectIdentifier {
    ObjectIdentifier::new(&format!("2.16.840.1.101.3.2.1.48.{n}")).unwrap()
}

/// Extra runs with the settings the PKITS document (NIST, "Public Key Interoperability
/// Test Suite", 2011) gives for tests whose outcome depends on them: (file stem, settings,
/// expected valid?). Every test is also run with the default settings (any-policy, no
/// explicit policy, no inhibits), whose expected outcome is the name's Valid/Invalid, or
/// `UNNAMED_DEFAULT_OUTCOME` for the tests whose name has neither.
fn pkits_settings_table() -> Vec<(&'static str, PolicySettings, bool)> {
    let set = |pols: Vec<ObjectIdentifier>, explicit: bool| PolicySettings {
        initial_policy_set: pols,
        initial_explicit_policy: explicit,
        ..PolicySettings::default()
    };
    vec![
        // §4.8.1: explicit, any-policy -> valid; {NIST-test-policy-1} -> valid;
        // {NIST-test-policy-2} -> invalid; {test-policy-1, test-policy-2} -> valid.
        ("AllCertificatesSamePolicyTest1", set(vec![], true), true),
        (
            "AllCertificatesSamePolicyTest1",
            set(vec![test_policy(1)], true),
            true,
        ),
        (
            "AllCertificatesSamePolicyTest1",
            set(vec![test_policy(2)], true),
            false,
        ),
        (
            "AllCertificatesSamePolicyTest1",
            set(vec![test_policy(1), test_policy(2)], true),
            true,
        ),
        // §4.8.2 / §4.8.3: with initial-explicit-policy the paths are invalid.
        ("AllCertificatesNoPoliciesTest2", set(vec![], true), false),
        ("DifferentPoliciesTest3", set(vec![], true), false),
        // §4.8.11: all certificates assert anyPolicy: {NIST-test-policy-1} -> valid.
        (
            "AllCertificatesAnyPolicyTest11",
            set(vec![test_policy(1)], true),
            true,
        ),
        // §4.8.14: {NIST-test-policy-1} -> valid, {NIST-test-policy-2} -> invalid.
        ("AnyPolicyTest14", set(vec![test_policy(1)], true), true),
        ("AnyPolicyTest14", set(vec![test_policy(2)], true), false),
        // §4.10.1: {NIST-test-policy-1} -> valid; {NIST-test-policy-2} -> invalid;
        // initial-policy-mapping-inhibit -> invalid.
        (
            "ValidPolicyMappingTest1",
            set(vec![test_policy(1)], true),
            true,
        ),
        (
            "ValidPolicyMappingTest1",
            set(vec![test_policy(2)], true),
            false,
        ),
        (
            "ValidPolicyMappingTest1",
            PolicySettings {
                initial_explicit_policy: true,
                initial_policy_mapping_inhibit: true,
                ..PolicySettings::default()
            },
            false,
        ),
        // §4.10.5 / §4.10.6: {NIST-test-policy-6} -> invalid.
        (
            "ValidPolicyMappingTest5",
            set(vec![test_policy(6)], true),
            false,
        ),
        (
            "ValidPolicyMappingTest6",
            set(vec![test_policy(6)], true),
            false,
        ),
        // §4.12.3: initial-inhibit-any-policy -> invalid.
        (
            "inhibitAnyPolicyTest3",
            PolicySettings {
                initial_any_policy_inhibit: true,
                ..PolicySettings::default()
            },
            false,
        ),
    ]
}

/// Tests whose file name says neither Valid nor Invalid (PKITS §4.4.1 and §4.8: the
/// outcome depends on the settings): the expected outcome with the default settings, from
/// the PKITS document's per-test text.
const UNNAMED_DEFAULT_OUTCOME: &[(&str, bool)] = &[
    ("MissingCRLTest1", false),                  // §4.4.1
    ("AllCertificatesSamePolicyTest1", true),    // §4.8.1
    ("AllCertificatesNoPoliciesTest2", true),    // §4.8.2
    ("DifferentPoliciesTest3", true),            // §4.8.3
    ("DifferentPoliciesTest4", false),           // §4.8.4
    ("DifferentPoliciesTest5", false),           // §4.8.5
    ("OverlappingPoliciesTest6", true),          // §4.8.6
    ("DifferentPoliciesTest7", false),           // §4.8.7
    ("DifferentPoliciesTest8", false),           // §4.8.8
    ("DifferentPoliciesTest9", false),           // §4.8.9
    ("AllCertificatesSamePoliciesTest10", true), // §4.8.10
    ("AllCertificatesAnyPolicyTest11", true),    // §4.8.11
    ("DifferentPoliciesTest12", false),          // §4.8.12
    ("AllCertificatesSamePoliciesTest13", true), // §4.8.13
    ("AnyPolicyTest14", true),                   // §4.8.14
    ("UserNoticeQualifierTest15", true),         // §4.8.15
    ("UserNoticeQualifierTest16", true),         // §4.8.16
    ("UserNoticeQualifierTest17", true),         // §4.8.17
    ("UserNoticeQualifierTest18", true),         // §4.8.18
    ("UserNoticeQualifierTest19", true),         // §4.8.19
    ("CPSPointerQualifierTest20", true),         // §4.8.20
    ("inhibitAnyPolicyTest3", true),             // §4.12.3
];

/// PKITS tests we knowingly get wrong (expected failures ledger): a regression and an
/// improvement both show up. Each with the reason. (MissingCRLTest1, BadCRLIssuerNameTest5,
/// WrongCRLTest6 and IDPwithindirectCRLTest26 left the ledger when PKITS started to run with
/// `require_revocation`: a certificate without any CRL is then rejected;
/// Validpre2000UTCnotBeforeDateTest3 left it when times before 1970 became readable.)
const PKITS_EXPECTED_FAILURES: &[(&str, &str)] = &[];

fn run_one(
    ee: &Certificate,
    others: &[Certificate],
    anchors: &[TrustAnchor],
    crls: &[CertificateList],
    policy: PolicySettings,
) -> Result<impalemail::smime::path::ValidPath, PathError> {
    let opts = PathOptions {
        time: PKITS_TIME,
        anchors,
        intermediates: others,
        crls,
        policy,
        usage: RequiredUsage::None,
        budget: Budget::default(),
        // PKITS §3 assumes the relying party has current CRLs for every CA in the tests: a
        // certificate without one is not valid (e.g. §4.4.1 MissingCRLTest1).
        require_revocation: true,
        offload: None,
        strict: false,
        online: Default::default(),
    };
    validate(ee, &opts)
}

#[test]
fn pkits() {
    let anchors = vec![pkits_anchor()];
    let crls = pkits_crls();
    let dir = fixtures().join("pkits/smime");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let (mut valid_ok, mut valid_n, mut invalid_ok, mut invalid_n) = (0, 0, 0, 0);
    let mut unexpected: Vec<String> = Vec::new();
    let mut fixed: Vec<String> = Vec::new();
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let stem = name
            .trim_start_matches("Signed")
            .trim_end_matches(".eml")
            .to_string();
        let expect_valid = if stem.starts_with("Valid") {
            true
        } else if stem.starts_with("Invalid") {
            false
        } else {
            UNNAMED_DEFAULT_OUTCOME
                .iter()
                .find(|(s, _)| *s == stem)
                .unwrap_or_else(|| panic!("unknown test {stem}"))
                .1
        };
        let res = chain_from_mail(f)
            .map_err(|detail| PathError::Malformed { detail })
            .and_then(|(ee, others)| {
                run_one(&ee, &others, &anchors, &crls, PolicySettings::default())
            });
        let ok = res.is_ok() == expect_valid;
        if expect_valid {
            valid_n += 1;
            valid_ok += usize::from(ok);
        } else {
            invalid_n += 1;
            invalid_ok += usize::from(ok);
        }
        let ledgered = PKITS_EXPECTED_FAILURES.iter().any(|(s, _)| *s == stem);
        if !ok && !ledgered {
            unexpected.push(format!("{stem}: {:?}", res.as_ref().err()));
        }
        if ok && ledgered {
            fixed.push(stem.clone());
        }
        if stem.contains("DSA") && stem.starts_with("Valid") {
            let vp = res.as_ref().unwrap();
            assert!(vp.weak.is_some(), "{stem}: DSA must be weak");
        }
    }
    let mut table_ok = 0;
    let table = pkits_settings_table();
    for (stem, settings, expect) in &table {
        let f = dir.join(format!("Signed{stem}.eml"));
        let (ee, others) = chain_from_mail(&f).unwrap();
        let res = run_one(&ee, &others, &anchors, &crls, settings.clone());
        if res.is_ok() == *expect {
            table_ok += 1;
        } else {
            unexpected.push(format!("{stem} with {settings:?}: {:?}", res.err()));
        }
    }
    println!(
        "PKITS: valid accepted {valid_ok}/{valid_n}, invalid rejected {invalid_ok}/{invalid_n}, \
         settings table {table_ok}/{}",
        table.len()
    );
    assert!(
        unexpected.is_empty(),
        "unexpected PKITS outcomes:\n{}",
        unexpected.join("\n")
    );
    assert!(
        fixed.is_empty(),
        "ledgered failures now pass, update the ledger: {fixed:?}"
    );
}

/// Options for one PKITS signer check: e-mail signing usage, the given CRLs.
fn email_opts<'a>(
    anchors: &'a [TrustAnchor],
    others: &'a [Certificate],
    crls: &'a [CertificateList],
    require_revocation: bool,
) -> PathOptions<'a> {
    PathOptions {
        time: PKITS_TIME,
        anchors,
        intermediates: others,
        crls,
        policy: PolicySettings::default(),
        usage: RequiredUsage::EmailSigner,
        budget: Budget::default(),
        require_revocation,
        offload: None,
        strict: false,
        online: Default::default(),
    }
}

fn pkits_cert(name: &str) -> Certificate {
    Certificate::from_der(&std::fs::read(fixtures().join("pkits/certs").join(name)).unwrap())
        .unwrap()
}

/// Decision: a CA certificate may sign mail when its keyUsage allows digitalSignature
/// (PKITS 4.6.8: the end entity is a CA certificate with digitalSignature).
#[test]
fn ca_certificate_with_digital_signature_may_sign_mail() {
    let anchors = vec![pkits_anchor()];
    let crls = pkits_crls();
    let f = fixtures().join("pkits/smime/SignedValidpathLenConstraintTest8.eml");
    let (ee, others) = chain_from_mail(&f).unwrap();
    let is_ca = ee
        .extension(x509::ids::BASIC_CONSTRAINTS)
        .map(|e| x509::parse_basic_constraints(&e.extn_value).unwrap().ca);
    assert_eq!(is_ca, Some(true), "the signer must be a CA certificate");
    let vp = validate(&ee, &email_opts(&anchors, &others, &crls, true)).unwrap();
    assert!(vp.revocation_checked);
    assert_eq!(vp.chain.len(), 2);
}

/// Decision: a CA certificate without digitalSignature / nonRepudiation (GoodCACert:
/// keyCertSign, cRLSign) is still refused as a mail signer, for its key usage.
#[test]
fn ca_certificate_without_digital_signature_is_refused() {
    let anchors = vec![pkits_anchor()];
    let crls = pkits_crls();
    let ca = pkits_cert("GoodCACert.crt");
    let res = validate(&ca, &email_opts(&anchors, &[], &crls, true));
    assert!(
        matches!(
            &res,
            Err(PathError::KeyUsage { required, .. }) if *required == "digitalSignature"
        ),
        "{res:?}"
    );
    // Without the usage check the same path is fine: the refusal is for the key usage.
    let mut opts = email_opts(&anchors, &[], &crls, true);
    opts.usage = RequiredUsage::None;
    assert!(validate(&ca, &opts).is_ok());
}

/// Decision: `require_revocation` turns "no CRL at hand" into an error; without it the
/// path is valid and reported as not checked.
#[test]
fn require_revocation_without_crls() {
    let anchors = vec![pkits_anchor()];
    let f = fixtures().join("pkits/smime/SignedValidGeneralizedTimenotAfterDateTest8.eml");
    let (ee, others) = chain_from_mail(&f).unwrap();
    // Default: no CRL is "not checked", not an error.
    let vp = validate(&ee, &email_opts(&anchors, &others, &[], false)).unwrap();
    assert!(!vp.revocation_checked);
    // Required: no CRL is an error, which names the certificate and maps to a not-green,
    // not-invalid verdict.
    let res = validate(&ee, &email_opts(&anchors, &others, &[], true));
    let Err(e @ PathError::RevocationUnknown { .. }) = res else {
        panic!("{res:?}");
    };
    assert!(e.to_string().contains("revocation required"), "{e}");
    let reason = impalemail::smime::verify::path_reason(e);
    assert_eq!(reason, impalemail::smime::Reason::RevocationUnknown);
    assert_eq!(reason.status(), impalemail::smime::Status::NotVerified);
    // Only the end entity's CRL (Good CA's); the CRL for Good CA itself is missing: still
    // unknown.
    let good_ca_crl: Vec<CertificateList> = pkits_crls()
        .into_iter()
        .filter(|c| c.issuer.rdns == ee.issuer.rdns)
        .collect();
    assert_eq!(good_ca_crl.len(), 1);
    let res = validate(&ee, &email_opts(&anchors, &others, &good_ca_crl, true));
    assert!(
        matches!(res, Err(PathError::RevocationUnknown { .. })),
        "{res:?}"
    );
    // Required, with every CRL: valid and checked.
    let crls = pkits_crls();
    let vp = validate(&ee, &email_opts(&anchors, &others, &crls, true)).unwrap();
    assert!(vp.revocation_checked);
}

// ---------------------------------------------------------------------------------------
// The builtin root bundle and its generator.

mod roots_gen {
    //! Generator for `src/smime/roots/builtin.bin` from Mozilla NSS `certdata.txt`:
    //! certificates whose trust object (matched by CKA_ISSUER + CKA_SERIAL_NUMBER) has
    //! `CKA_TRUST_EMAIL_PROTECTION CK_TRUST CKT_NSS_TRUSTED_DELEGATOR`.
    use impalemail::smime::asn1;
    use impalemail::smime::trust::BundleEntry;
    use impalemail::smime::x509::{ids, Certificate};
    use sha2::Digest;
    use std::collections::HashMap;

    #[derive(Default, Debug)]
    struct Object {
        attrs: HashMap<String, String>,
        octal: HashMap<String, Vec<u8>>,
    }

    fn objects(text: &str) -> Vec<Object> {
        let mut out: Vec<Object> = Vec::new();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.splitn(3, ' ');
            let (Some(key), Some(ty)) = (parts.next(), parts.next()) else {
                continue;
            };
            let value = parts.next().unwrap_or("").to_string();
            if key == "CKA_CLASS" {
                out.push(Object::default());
            }
            let Some(obj) = out.last_mut() else { continue };
            if ty == "MULTILINE_OCTAL" {
                let mut bytes = Vec::new();
                for l in lines.by_ref() {
                    if l.trim() == "END" {
                        break;
                    }
                    for oct in l.split('\\').filter(|s| !s.is_empty()) {
                        bytes.push(u8::from_str_radix(oct.trim(), 8).unwrap());
                    }
                }
                obj.octal.insert(key.to_string(), bytes);
            } else {
                obj.attrs.insert(key.to_string(), format!("{ty} {value}"));
            }
        }
        out
    }

    /// "YYMMDDHHMMSSZ" (UTCTime text) to unix seconds (after 1970 in the root store).
    fn utc_text_to_unix(t: &[u8]) -> u64 {
        u64::try_from(asn1::time(asn1::tag::UTC_TIME, t).unwrap()).unwrap()
    }

    /// The bundle entries for `certdata`, in file order.
    pub fn entries(certdata: &str) -> Vec<BundleEntry> {
        let objs = objects(certdata);
        let key = |o: &Object| {
            (
                o.octal.get("CKA_ISSUER").cloned(),
                o.octal.get("CKA_SERIAL_NUMBER").cloned(),
            )
        };
        let email_trusted: Vec<_> = objs
            .iter()
            .filter(|o| {
                o.attrs.get("CKA_CLASS").map(String::as_str)
                    == Some("CK_OBJECT_CLASS CKO_NSS_TRUST")
            })
            .filter(|o| {
                o.attrs
                    .get("CKA_TRUST_EMAIL_PROTECTION")
                    .map(String::as_str)
                    == Some("CK_TRUST CKT_NSS_TRUSTED_DELEGATOR")
            })
            .map(key)
            .collect();
        let mut out = Vec::new();
        for o in &objs {
            if o.attrs.get("CKA_CLASS").map(String::as_str)
                != Some("CK_OBJECT_CLASS CKO_CERTIFICATE")
            {
                continue;
            }
            if !email_trusted.contains(&key(o)) {
                continue;
            }
            let der = &o.octal["CKA_VALUE"];
            let cert = Certificate::from_der(der).unwrap();
            let nc = cert
                .extension(ids::NAME_CONSTRAINTS)
                .map(|e| e.extn_value.clone())
                .unwrap_or_default();
            let mut fp = [0u8; 32];
            fp.copy_from_slice(&sha2::Sha256::digest(der));
            let label = o.attrs["CKA_LABEL"]
                .trim_start_matches("UTF8 ")
                .trim_matches('"')
                .to_string();
            out.push(BundleEntry {
                label,
                fingerprint_sha256: fp,
                distrust_after: o
                    .octal
                    .get("CKA_NSS_EMAIL_DISTRUST_AFTER")
                    .map(|t| utc_text_to_unix(t)),
                // (The bundle's times are unsigned: no root store entry ends before 1970.)
                not_after: u64::try_from(cert.not_after).unwrap(),
                subject_der: cert.subject.der.clone(),
                spki_der: cert.subject_public_key_info.to_der(),
                name_constraints_der: nc,
            });
        }
        out
    }
}

#[test]
fn builtin_bundle_is_up_to_date() {
    use impalemail::smime::trust::{
        decode_bundle, encode_bundle, BUILTIN_BUNDLE, BUILTIN_COUNT, BUILTIN_STORE_VERSION,
    };
    let certdata = std::fs::read_to_string(fixtures().join("roots/certdata.txt")).unwrap();
    let entries = roots_gen::entries(&certdata);
    assert_eq!(entries.len(), 90, "Mozilla e-mail roots in certdata.txt");
    let blob = encode_bundle(BUILTIN_STORE_VERSION, &entries);
    if std::env::var_os("IMPALEMAIL_REGEN_ROOTS").is_some() {
        let out = fixtures()
            .canonicalize()
            .unwrap()
            .join("../../src/smime/roots/builtin.bin");
        std::fs::write(&out, &blob).unwrap();
        println!("wrote {} ({} bytes)", out.display(), blob.len());
        return;
    }
    assert!(
        blob == BUILTIN_BUNDLE,
        "src/smime/roots/builtin.bin is stale: rerun with IMPALEMAIL_REGEN_ROOTS=1"
    );
    let (version, decoded) = decode_bundle(BUILTIN_BUNDLE).unwrap();
    assert_eq!(version, BUILTIN_STORE_VERSION);
    assert_eq!(decoded.len(), BUILTIN_COUNT);
    assert_eq!(decoded, entries);
}

#[test]
fn builtin_anchors_decode() {
    use impalemail::smime::trust::{builtin_anchors, BUILTIN_COUNT};
    let anchors = builtin_anchors();
    assert_eq!(anchors.len(), BUILTIN_COUNT);
    assert_eq!(BUILTIN_COUNT, 90);
    for a in anchors {
        assert!(!a.label.is_empty());
        assert!(
            a.spki.subject_public_key.as_bytes().is_some(),
            "{}",
            a.label
        );
        assert_eq!(a.source, AnchorSource::Builtin);
    }
    // Fingerprints are distinct.
    let mut fps: Vec<_> = anchors.iter().map(|a| a.fingerprint_sha256).collect();
    fps.sort();
    fps.dedup();
    assert_eq!(fps.len(), BUILTIN_COUNT);
}

/// Bouncy Castle's SignedMailValidator mails (bc-java, MIT): path-level outcomes.
#[test]
fn bouncycastle_validator_mails() {
    let dir = fixtures().join("bc");
    let root_der = read_der_or_pem(&dir.join("validator.root.crt"));
    let anchors = vec![TrustAnchor::from_cert_der(&root_der, AnchorSource::User).unwrap()];
    let crl = CertificateList::from_der(&std::fs::read(dir.join("validator.revoked.crl")).unwrap())
        .unwrap();
    let crls = vec![crl];
    // 2006-12-01T00:00:00Z: after the mails were signed (2006-09), while the EE certs (to
    // 2007-08) and the root (2006-2016) are valid.
    let time = 1_164_931_200;
    let run = |name: &str| {
        let (ee, others) = chain_from_mail(&dir.join(format!("validator.{name}.eml"))).unwrap();
        validate(
            &ee,
            &PathOptions {
                time,
                anchors: &anchors,
                intermediates: &others,
                crls: &crls,
                policy: PolicySettings::default(),
                usage: RequiredUsage::EmailSigner,
                budget: Budget::default(),
                require_revocation: false,
                offload: None,
                strict: false,
                online: Default::default(),
            },
        )
    };
    // The Bouncy Castle end-entity certificates are signed with md5WithRSAEncryption, which
    // we do not support: the valid mails come out "unsupported (MD5)", and the invalid ones
    // still report their specific error (an unsupported algorithm ranks below them).
    for name in ["validMail", "shortKey"] {
        match run(name) {
            Err(PathError::Unsupported { what }) => assert_eq!(what, "MD5", "{name}"),
            other => panic!("{name}: {other:?}"),
        }
    }
    assert!(
        matches!(run("expired"), Err(PathError::Expired { .. })),
        "{:?}",
        run("expired")
    );
    assert!(
        matches!(run("notYetValid"), Err(PathError::NotYetValid { .. })),
        "{:?}",
        run("notYetValid")
    );
    assert!(
        matches!(run("keyUsage"), Err(PathError::KeyUsage { .. })),
        "{:?}",
        run("keyUsage")
    );
    assert!(
        matches!(run("extKeyUsage"), Err(PathError::ExtKeyUsage { .. })),
        "{:?}",
        run("extKeyUsage")
    );
    assert!(
        matches!(run("revoked"), Err(PathError::Revoked { .. })),
        "{:?}",
        run("revoked")
    );
}

#[test]
fn untrusted_root_is_unknown_issuer() {
    let dir = fixtures().join("bc");
    let fake = read_der_or_pem(&dir.join("validator.fakeRoot.crt"));
    let anchors = vec![TrustAnchor::from_cert_der(&fake, AnchorSource::User).unwrap()];
    let (ee, others) = chain_from_mail(&dir.join("validator.validMail.eml")).unwrap();
    let res = validate(
        &ee,
        &PathOptions {
            time: 1_164_931_200,
            anchors: &anchors,
            intermediates: &others,
            crls: &[],
            policy: PolicySettings::default(),
            usage: RequiredUsage::EmailSigner,
            budget: Budget::default(),
            require_revocation: false,
            offload: None,
            strict: false,
            online: Default::default(),
        },
    );
    // Same name, other key: the MD5 signature cannot even be tried; never Ok.
    assert!(res.is_err(), "{res:?}");
    // With no anchor and no intermediates: no issuer at all.
    let res = validate(
        &ee,
        &PathOptions {
            time: 1_164_931_200,
            anchors: &[],
            intermediates: &[],
            crls: &[],
            policy: PolicySettings::default(),
            usage: RequiredUsage::EmailSigner,
            budget: Budget::default(),
            require_revocation: false,
            offload: None,
            strict: false,
            online: Default::default(),
        },
    );
    assert!(
        matches!(res, Err(PathError::UnknownIssuer { .. })),
        "{res:?}"
    );
}

/// Signature algorithms with keys and signatures made by OpenSSL (tests/fixtures/algs/make.sh).
mod algs_fixtures {
    use super::fixtures;
    use const_oid::ObjectIdentifier;
    use der::Encode;
    use impalemail::smime::algs::{self, oids, AlgError, Strength, WeakReason};
    use impalemail::smime::asn1::{Any, Der};
    use impalemail::smime::x509::{
        AlgorithmIdentifier as AlgorithmIdentifierOwned,
        SubjectPublicKeyInfo as SubjectPublicKeyInfoOwned,
    };

    fn read(name: &str) -> Vec<u8> {
        std::fs::read(fixtures().join("algs").join(name)).unwrap()
    }
    fn spki(name: &str) -> SubjectPublicKeyInfoOwned {
        SubjectPublicKeyInfoOwned::from_der(&read(&format!("{name}.spki.der"))).unwrap()
    }
    fn alg(oid: ObjectIdentifier) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid,
            parameters: None,
        }
    }
    fn check(
        key: &str,
        sig: &str,
        sig_alg: AlgorithmIdentifierOwned,
        digest: Option<ObjectIdentifier>,
    ) -> Result<Strength, AlgError> {
        let msg = read("message.txt");
        let s = read(sig);
        let d = digest.map(alg);
        let res = algs::verify_signature(&spki(key), d.as_ref(), &sig_alg, &msg, &s);
        // Any change to the message must break a signature that verified.
        if res.is_ok() {
            let mut bad = msg.clone();
            bad[0] ^= 1;
            assert_eq!(
                algs::verify_signature(&spki(key), d.as_ref(), &sig_alg, &bad, &s),
                Err(AlgError::BadSignature),
                "{sig}"
            );
        }
        res
    }

    #[test]
    fn rsa_pkcs1() {
        assert_eq!(
            check(
                "rsa2048",
                "rsa2048.sha256.sig",
                alg(oids::SHA256_WITH_RSA),
                None
            ),
            Ok(Strength::Strong)
        );
        // CMS style: rsaEncryption + digestAlgorithm.
        assert_eq!(
            check(
                "rsa2048",
                "rsa2048.sha256.sig",
                alg(oids::RSA_ENCRYPTION),
                Some(oids::SHA256)
            ),
            Ok(Strength::Strong)
        );
        assert_eq!(
            check(
                "rsa2048",
                "rsa2048.sha1.sig",
                alg(oids::SHA1_WITH_RSA),
                None
            ),
            Ok(Strength::Weak(WeakReason::Sha1))
        );
        assert_eq!(
            check(
                "rsa1024",
                "rsa1024.sha256.sig",
                alg(oids::SHA256_WITH_RSA),
                None
            ),
            Ok(Strength::Weak(WeakReason::RsaKeyTooSmall { bits: 1024 }))
        );
        // Wrong hash.
        assert_eq!(
            check(
                "rsa2048",
                "rsa2048.sha256.sig",
                alg(oids::SHA384_WITH_RSA),
                None
            ),
            Err(AlgError::BadSignature)
        );
        assert!(matches!(
            check("rsa2048", "rsa2048.sha256.sig", alg(oids::MD5_WITH_RSA), None),
            Err(AlgError::Unsupported { what }) if what == "MD5"
        ));
    }

    #[test]
    fn rsa_pss() {
        // RSASSA-PSS-params: SHA-384, MGF1-SHA-384, salt 20 (RFC 4055 §3.1), built with DER.
        let params = rsa::pkcs1::RsaPssParams {
            hash: spki::AlgorithmIdentifierRef {
                oid: oids::SHA384,
                parameters: Some(der::asn1::AnyRef::NULL),
            },
            mask_gen: spki::AlgorithmIdentifier {
                oid: oids::MGF1,
                parameters: Some(spki::AlgorithmIdentifierRef {
                    oid: oids::SHA384,
                    parameters: Some(der::asn1::AnyRef::NULL),
                }),
            },
            salt_len: 20,
            trailer_field: rsa::pkcs1::TrailerField::BC,
        };
        let der = params.to_der().unwrap();
        let any = Any::from_tlv(&Der::new(&der).any().unwrap());
        let pss = AlgorithmIdentifierOwned {
            oid: oids::RSASSA_PSS,
            parameters: Some(any),
        };
        assert_eq!(
            check(
                "rsa2048",
                "rsa2048.pss-sha384-salt20.sig",
                pss.clone(),
                None
            ),
            Ok(Strength::Strong)
        );
        let d = algs::describe(&spki("rsa2048"), &pss, None);
        assert_eq!(d, "RSA-2048 PSS with SHA-384 (salt 20)");
    }

    #[test]
    fn ecdsa_and_ed25519() {
        assert_eq!(
            check(
                "p256",
                "p256.sha256.sig",
                alg(oids::ECDSA_WITH_SHA256),
                None
            ),
            Ok(Strength::Strong)
        );
        assert_eq!(
            check(
                "p384",
                "p384.sha384.sig",
                alg(oids::ECDSA_WITH_SHA384),
                None
            ),
            Ok(Strength::Strong)
        );
        assert_eq!(
            check(
                "p521",
                "p521.sha512.sig",
                alg(oids::ECDSA_WITH_SHA512),
                None
            ),
            Ok(Strength::Strong)
        );
        // SHA-256 on P-521: a prehash shorter than half the field.
        assert_eq!(
            check(
                "p521",
                "p521.sha256.sig",
                alg(oids::ECDSA_WITH_SHA256),
                None
            ),
            Ok(Strength::Strong)
        );
        assert_eq!(
            check(
                "ed25519",
                "ed25519.sig",
                alg(oids::ED25519),
                Some(oids::SHA512)
            ),
            Ok(Strength::Strong)
        );
        // Key / algorithm mismatch.
        assert!(matches!(
            check("p256", "p256.sha256.sig", alg(oids::SHA256_WITH_RSA), None),
            Err(AlgError::KeyMismatch { .. })
        ));
        assert_eq!(
            algs::describe(&spki("p384"), &alg(oids::ECDSA_WITH_SHA384), None),
            "ECDSA P-384 with SHA-384"
        );
        assert_eq!(
            algs::describe(&spki("ed25519"), &alg(oids::ED25519), None),
            "Ed25519"
        );
        assert_eq!(
            algs::describe(
                &spki("rsa2048"),
                &alg(oids::RSA_ENCRYPTION),
                Some(&alg(oids::SHA256))
            ),
            "RSA-2048 PKCS#1 v1.5 with SHA-256"
        );
    }

    #[test]
    fn digests() {
        let d = algs::digest(&alg(oids::SHA256), b"abc").unwrap();
        assert_eq!(d[..4], [0xba, 0x78, 0x16, 0xbf]);
        let mut h = algs::hasher(&alg(oids::SHA256)).unwrap();
        h.update(b"a");
        h.update(b"bc");
        assert_eq!(h.finalize().to_vec(), d);
        assert!(matches!(
            algs::digest(&alg(oids::MD5), b"abc"),
            Err(AlgError::Unsupported { .. })
        ));
    }
}

/// RFC 5280 §4.1.1.2: the signature algorithm outside the signed part must be the one inside.
/// Here they differ only by the NULL parameters, which RSA PKCS#1 v1.5 ignores, so the
/// signature still verifies: the certificate is refused for the mismatch itself.
#[test]
fn signature_algorithm_must_match_the_signed_one() {
    let anchors = vec![pkits_anchor()];
    let crls = pkits_crls();
    let mut opts = email_opts(&anchors, &[], &crls, true);
    opts.usage = RequiredUsage::None;
    let ca = pkits_cert("GoodCACert.crt");
    assert!(ca.signature_algorithm.parameters.is_some());
    assert_eq!(ca.tbs_signature, ca.signature_algorithm);
    assert!(validate(&ca, &opts).is_ok());
    let mut altered = ca.clone();
    altered.signature_algorithm.parameters = None;
    let res = validate(&altered, &opts);
    assert!(
        matches!(&res, Err(PathError::Malformed { detail }) if detail.contains("§4.1.1.2")),
        "{res:?}"
    );
}
