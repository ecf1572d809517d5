//! NIST PKITS (as S/MIME mail) through the full message check: `verify_message` with the
//! PKITS trust anchor only, every PKITS CRL, revocation required (PKITS §3 assumes the
//! relying party has current CRLs for every CA), default policy settings and the sender
//! binding skipped (PKITS certificates carry no e-mail address). Fixed clock 2026-06-01.
//!
//! Every `SignedValid*` mail must come out green and every `SignedInvalid*` mail must not,
//! except the ledgered differences below (DSA is weak by our policy; a certificate the
//! `der` crate cannot parse). A second test pins the default setting (revocation not
//! required).
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use impalemail::smime::verdict::{Reason, Status};
use impalemail::smime::verify::{verify_message, VerifyOptions};
use impalemail::smime::x509::CertificateList;
use impalemail::smime::{AnchorSource, TrustAnchor};

const NOW: u64 = 1_780_315_200;

/// Tests whose name says neither Valid nor Invalid (PKITS §4.4.1, §4.8, §4.12.3): the
/// outcome with default settings, from the PKITS document's per-test text.
const UNNAMED_DEFAULT_VALID: &[(&str, bool)] = &[
    ("SignedMissingCRLTest1", false),
    ("SignedAllCertificatesSamePolicyTest1", true),
    ("SignedAllCertificatesNoPoliciesTest2", true),
    ("SignedDifferentPoliciesTest3", true),
    ("SignedDifferentPoliciesTest4", false),
    ("SignedDifferentPoliciesTest5", false),
    ("SignedOverlappingPoliciesTest6", true),
    ("SignedDifferentPoliciesTest7", false),
    ("SignedDifferentPoliciesTest8", false),
    ("SignedDifferentPoliciesTest9", false),
    ("SignedAllCertificatesSamePoliciesTest10", true),
    ("SignedAllCertificatesAnyPolicyTest11", true),
    ("SignedDifferentPoliciesTest12", false),
    ("SignedAllCertificatesSamePoliciesTest13", true),
    ("SignedAnyPolicyTest14", true),
    ("SignedUserNoticeQualifierTest15", true),
    ("SignedUserNoticeQualifierTest16", true),
    ("SignedUserNoticeQualifierTest17", true),
    ("SignedUserNoticeQualifierTest18", true),
    ("SignedUserNoticeQualifierTest19", true),
    ("SignedCPSPointerQualifierTest20", true),
    ("SignedinhibitAnyPolicyTest3", true),
];

/// Expected differences from the PKITS outcome (a ledger: a regression and an improvement
/// both fail the test). By policy, not bugs:
const BY_POLICY: &[(&str, &str)] = &[
    (
        "SignedValidDSASignaturesTest4",
        "DSA is weak by our policy: weak_algorithm",
    ),
    (
        "SignedValidDSAParameterInheritanceTest5",
        "DSA signer key with inherited parameters: unsupported (not green; DSA is weak anyway)",
    ),
];

/// Known limitations of path validation (see the ledger in tests/smime_path.rs): none since
/// times before 1970 are read (SignedValidpre2000UTCnotBeforeDateTest3 is green).
const KNOWN_LIMITATIONS: &[&str] = &[];

/// Mails whose reason is pinned: no CRL at all for a certificate of the path, which only
/// `require_revocation` rejects (not proven bad: not verified), and the DSA outcomes.
fn expected_reason(stem: &str) -> Option<Reason> {
    match stem {
        "SignedMissingCRLTest1"
        | "SignedInvalidBadCRLIssuerNameTest5"
        | "SignedInvalidWrongCRLTest6"
        | "SignedInvalidIDPwithindirectCRLTest26" => Some(Reason::RevocationUnknown),
        "SignedValidDSASignaturesTest4" => Some(Reason::WeakAlgorithm {
            what: "certificate chain uses DSA".into(),
        }),
        "SignedValidDSAParameterInheritanceTest5" => Some(Reason::Unsupported {
            what: "a DSA signer key that inherits its parameters from the issuer".into(),
        }),
        _ => None,
    }
}

fn pkits() -> PathBuf {
    match option_env!("IMPALEMAIL_ROOT") {
        Some(root) => PathBuf::from(root).join("tests/fixtures/pkits"),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pkits")),
    }
}

fn anchors() -> Vec<TrustAnchor> {
    let root = std::fs::read(pkits().join("certs/TrustAnchorRootCertificate.crt")).unwrap();
    vec![TrustAnchor::from_cert_der(&root, AnchorSource::User).unwrap()]
}

fn all_crls() -> Vec<CertificateList> {
    let mut crls = Vec::new();
    for e in std::fs::read_dir(pkits().join("crls")).unwrap() {
        let der = std::fs::read(e.unwrap().path()).unwrap();
        if let Ok(c) = CertificateList::from_der(&der) {
            crls.push(c);
        }
    }
    crls
}

#[test]
fn pkits_as_mail() {
    let anchors = anchors();
    let crls = all_crls();
    let mut opts = VerifyOptions::new(NOW, &anchors);
    opts.crls = &crls;
    opts.skip_sender_check = true;
    // PKITS §3: the relying party has current CRLs for every CA in the tests.
    opts.require_revocation = true;
    let mut names: Vec<PathBuf> = std::fs::read_dir(pkits().join("smime"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    names.sort();
    let (mut valid, mut valid_green, mut invalid, mut invalid_not_green) = (0, 0, 0, 0);
    let mut differences = Vec::new();
    let mut weak = 0;
    for p in &names {
        let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
        let v = verify_message(&std::fs::read(p).unwrap(), &opts);
        let expect_green = if stem.starts_with("SignedValid") {
            true
        } else if stem.starts_with("SignedInvalid") {
            false
        } else {
            UNNAMED_DEFAULT_VALID
                .iter()
                .find(|(n, _)| *n == stem)
                .unwrap_or_else(|| panic!("unknown PKITS test {stem}"))
                .1
        };
        let green = v.status == Status::Verified;
        if let Some(r) = expected_reason(&stem) {
            assert_eq!(v.reason, Some(r), "{stem}");
        }
        if matches!(v.reason, Some(Reason::WeakAlgorithm { .. })) {
            weak += 1;
        }
        if expect_green {
            valid += 1;
            valid_green += usize::from(green);
        } else {
            invalid += 1;
            invalid_not_green += usize::from(!green);
        }
        if green != expect_green {
            differences.push(stem);
        }
    }
    println!(
        "PKITS: valid green {valid_green}/{valid}, invalid not green {invalid_not_green}/{invalid}, weak {weak}"
    );
    assert_eq!(valid + invalid, 224);
    let mut expected: Vec<String> = BY_POLICY
        .iter()
        .map(|(n, _)| n.to_string())
        .chain(KNOWN_LIMITATIONS.iter().map(|n| n.to_string()))
        .collect();
    expected.sort();
    differences.sort();
    assert_eq!(differences, expected, "PKITS differences changed");
}

/// The default (revocation not required): a certificate without any CRL at hand is "not
/// checked", and the mail is green with `revocation_checked: false`; with the setting the
/// same mail is `not_verified` (revocation unknown). PKITS 4.4.1 (no CRL for the
/// intermediate) and 4.4.6 (the only CRL names another issuer). The PKITS mails carry the
/// CRLs of their CAs; these two lack the one that matters.
#[test]
fn default_does_not_require_revocation() {
    let anchors = anchors();
    let crls = all_crls();
    let read = |stem: &str| std::fs::read(pkits().join(format!("smime/{stem}.eml"))).unwrap();
    for stem in ["SignedMissingCRLTest1", "SignedInvalidWrongCRLTest6"] {
        let raw = read(stem);
        let mut opts = VerifyOptions::new(NOW, &anchors);
        opts.crls = &crls;
        opts.skip_sender_check = true;
        assert!(!opts.require_revocation, "the default");
        let v = verify_message(&raw, &opts);
        assert_eq!(v.status, Status::Verified, "{stem}: {:?}", v.reason);
        assert!(!v.details.revocation_checked, "{stem}");
        opts.require_revocation = true;
        let v = verify_message(&raw, &opts);
        assert_eq!(v.status, Status::NotVerified, "{stem}");
        assert_eq!(v.reason, Some(Reason::RevocationUnknown), "{stem}");
    }
    // A fully covered path is green and checked in both settings.
    let raw = read("SignedValidGeneralizedTimenotAfterDateTest8");
    for required in [false, true] {
        let mut opts = VerifyOptions::new(NOW, &anchors);
        opts.crls = &crls;
        opts.skip_sender_check = true;
        opts.require_revocation = required;
        let v = verify_message(&raw, &opts);
        assert_eq!(v.status, Status::Verified, "{:?}", v.reason);
        assert!(v.details.revocation_checked);
    }
}
