//! OCSP (RFC 6960) in the core: the request built for a certificate and each kind of response
//! judged, on fixtures made by `tests/fixtures/ocsp/generate.sh` (OpenSSL's `ocsp` command as
//! client and responder; see that script for what each file is).
#![allow(clippy::unwrap_used)]

use impalemail::smime::names::name_key;
use impalemail::smime::ocsp::{self, OcspError, OcspStatus, Subject};
use impalemail::smime::x509::Certificate;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ocsp");

fn cert(name: &str) -> Certificate {
    let pem = std::fs::read(format!("{DIR}/pki/{name}.pem")).unwrap();
    let der = impalemail::smime::trust::parse_cert_pem_or_der(&pem).unwrap();
    Certificate::from_der(&der[0].der).unwrap()
}

fn file(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DIR}/{name}")).unwrap()
}

/// When the responses were made: the good answer's thisUpdate (nextUpdate is seven days
/// later). The responses were made within the same few seconds.
fn made() -> u64 {
    let r = ocsp::parse_response(&file("resp-alice-good.der")).unwrap();
    r.responses[0].this_update as u64
}

/// The status `response` proves for `who` (issued by the test CA) at `time`.
fn check_at(response: &str, who: &str, time: u64) -> Result<OcspStatus, OcspError> {
    let ca = cert("ca");
    let c = cert(who);
    let name = name_key(&ca.subject);
    let subject = Subject {
        cert: &c,
        issuer_key: &ca.subject_public_key_info,
        issuer_name: &name,
    };
    ocsp::check(&file(response), subject, time, None)
}

fn check(response: &str, who: &str) -> Result<OcspStatus, OcspError> {
    check_at(response, who, made() + 3600)
}

#[test]
fn the_request_is_the_one_openssl_builds() {
    let ca = cert("ca");
    for who in ["alice", "bob", "carol"] {
        let req = ocsp::build_request(&cert(who), &ca.subject_public_key_info);
        assert_eq!(req, file(&format!("req-{who}.der")), "{who}");
    }
}

#[test]
fn the_responder_url_comes_from_authority_info_access() {
    assert_eq!(
        ocsp::responder_urls(&cert("alice")),
        vec!["http://127.0.0.1:18961/ocsp".to_string()]
    );
    assert!(ocsp::responder_urls(&cert("ca")).is_empty());
}

#[test]
fn good_from_a_delegated_responder() {
    let s = check("resp-alice-good.der", "alice").unwrap();
    let OcspStatus::Good {
        this_update,
        next_update,
    } = s
    else {
        panic!("{s:?}");
    };
    assert_eq!(next_update, Some(this_update + 7 * 86_400));
}

#[test]
fn good_signed_by_the_issuer_itself_named_by_key() {
    assert!(matches!(
        check("resp-alice-by-ca.der", "alice"),
        Ok(OcspStatus::Good { .. })
    ));
}

#[test]
fn revoked_with_reason_and_time() {
    assert_eq!(
        check("resp-bob-revoked.der", "bob").unwrap(),
        OcspStatus::Revoked {
            time: 1_767_225_600, // 2026-01-01T00:00:00Z, as in index.txt
            reason: Some("keyCompromise".into()),
        }
    );
}

#[test]
fn unknown_to_the_responder() {
    assert_eq!(
        check("resp-carol-unknown.der", "carol").unwrap(),
        OcspStatus::Unknown
    );
}

#[test]
fn an_answer_about_another_serial_says_nothing() {
    assert_eq!(
        check("resp-alice-good.der", "bob"),
        Err(OcspError::NotAboutCertificate)
    );
    assert_eq!(
        check("resp-bob-revoked.der", "alice"),
        Err(OcspError::NotAboutCertificate)
    );
}

#[test]
fn out_of_date_after_next_update_and_early_before_this_update() {
    let made = made();
    let week = 7 * 86_400;
    let skew = ocsp::MAX_CLOCK_SKEW_SECS as u64;
    // Within the skew after nextUpdate: still current.
    assert!(check_at("resp-alice-good.der", "alice", made + week + skew).is_ok());
    // A replay after nextUpdate.
    assert!(matches!(
        check_at("resp-alice-good.der", "alice", made + week + skew + 1),
        Err(OcspError::Expired { .. })
    ));
    // A revocation is out of date the same way (the caller asks again).
    assert!(matches!(
        check_at("resp-bob-revoked.der", "bob", made + week + skew + 60),
        Err(OcspError::Expired { .. })
    ));
    // Before thisUpdate (the answer the issuer signed itself: a delegated responder's
    // certificate is only a few seconds older than its answers).
    let by_ca = ocsp::parse_response(&file("resp-alice-by-ca.der")).unwrap();
    let made = by_ca.responses[0].this_update as u64;
    assert!(check_at("resp-alice-by-ca.der", "alice", made - skew).is_ok());
    assert!(matches!(
        check_at("resp-alice-by-ca.der", "alice", made - skew - 1),
        Err(OcspError::NotYetValid { .. })
    ));
}

#[test]
fn a_responder_without_the_ocsp_signing_purpose_is_refused() {
    let e = check("resp-alice-noeku.der", "alice").unwrap_err();
    assert!(matches!(e, OcspError::Unauthorised(_)), "{e:?}");
    assert!(
        e.to_string().contains("not for signing revocation answers"),
        "{e}"
    );
}

#[test]
fn a_responder_of_another_ca_is_refused() {
    let e = check("resp-alice-other-ca.der", "alice").unwrap_err();
    assert!(matches!(e, OcspError::Unauthorised(_)), "{e:?}");
    assert!(e.to_string().contains("another authority"), "{e}");
}

#[test]
fn a_delegated_responder_must_send_its_certificate() {
    assert!(matches!(
        check("resp-alice-nocerts.der", "alice"),
        Err(OcspError::Unauthorised(_))
    ));
}

#[test]
fn a_changed_response_fails_its_signature() {
    let mut r = file("resp-bob-revoked.der");
    // The revocation time's year digit in tbsResponseData: "2026" -> "2025".
    let at = r.windows(15).position(|w| w == b"20260101000000Z").unwrap();
    r[at + 3] = b'5';
    let ca = cert("ca");
    let bob = cert("bob");
    let name = name_key(&ca.subject);
    let subject = Subject {
        cert: &bob,
        issuer_key: &ca.subject_public_key_info,
        issuer_name: &name,
    };
    let e = ocsp::check(&r, subject, made() + 3600, None).unwrap_err();
    assert!(matches!(e, OcspError::BadSignature(_)), "{e:?}");
}

#[test]
fn unsuccessful_and_malformed_answers() {
    let ca = cert("ca");
    let alice = cert("alice");
    let name = name_key(&ca.subject);
    let subject = Subject {
        cert: &alice,
        issuer_key: &ca.subject_public_key_info,
        issuer_name: &name,
    };
    let t = made();
    // OCSPResponse { responseStatus unauthorized (6) }.
    assert_eq!(
        ocsp::check(&[0x30, 0x03, 0x0A, 0x01, 0x06], subject, t, None),
        Err(OcspError::NotSuccessful("unauthorized"))
    );
    assert_eq!(
        ocsp::check(&[0x30, 0x03, 0x0A, 0x01, 0x03], subject, t, None),
        Err(OcspError::NotSuccessful("tryLater"))
    );
    // Successful without responseBytes; an HTML page; truncated.
    for bad in [
        &[0x30, 0x03, 0x0A, 0x01, 0x00][..],
        b"<html>not found</html>",
        &file("resp-alice-good.der")[..100],
    ] {
        let e = ocsp::check(bad, subject, t, None).unwrap_err();
        assert!(matches!(e, OcspError::Malformed(_)), "{e:?}");
    }
    let huge = vec![0u8; ocsp::MAX_RESPONSE_BYTES + 1];
    assert_eq!(
        ocsp::check(&huge, subject, t, None),
        Err(OcspError::TooLarge)
    );
}

// ---------------------------------------------------------------- the whole check

use impalemail::smime::offload::{SignatureAnswer, VerifyJob};
use impalemail::smime::path::{OnlineMode, OnlineRevocation};
use impalemail::smime::verdict::RevocationStatus;
use impalemail::smime::{
    AnchorSource, Reason, Status, TrustAnchor, Verdict, VerifyOptions, Warning,
};

fn root() -> Vec<TrustAnchor> {
    let pem = std::fs::read(format!("{DIR}/pki/root.pem")).unwrap();
    let der = impalemail::smime::trust::parse_cert_pem_or_der(&pem).unwrap();
    vec![TrustAnchor::from_cert_der(&der[0].der, AnchorSource::User).unwrap()]
}

fn verify(who: &str, mode: OnlineMode, answers: &[&str]) -> Verdict {
    let anchors = root();
    let responses: Vec<Vec<u8>> = answers.iter().map(|a| file(a)).collect();
    let mut opts = VerifyOptions::new(made() + 3600, &anchors);
    opts.online = OnlineRevocation {
        ocsp_responses: &responses,
        crls: &[],
        mode,
    };
    impalemail::smime::verify_message(&file(&format!("mail-{who}.eml")), &opts)
}

fn not_checked_warning(v: &Verdict) -> Option<&Warning> {
    v.details
        .warnings
        .iter()
        .find(|w| matches!(w, Warning::RevocationNotChecked { .. }))
}

#[test]
fn the_verdict_names_what_to_fetch() {
    use base64::Engine as _;
    let v = verify("alice", OnlineMode::Off, &[]);
    assert_eq!(v.status, Status::Verified, "{v:?}");
    assert!(!v.details.revocation_checked);
    // The end entity names a responder and a CRL; its issuer (the test CA) names neither and
    // is not listed.
    let [entry] = &v.details.revocation[..] else {
        panic!("{:?}", v.details.revocation);
    };
    assert_eq!(entry.serial, "1001");
    assert_eq!(
        entry.ocsp_url.as_deref(),
        Some("http://127.0.0.1:18961/ocsp")
    );
    let request = base64::engine::general_purpose::STANDARD
        .decode(entry.ocsp_request.as_ref().unwrap())
        .unwrap();
    assert_eq!(request, file("req-alice.der"));
    assert_eq!(
        entry.crl_urls,
        vec!["http://127.0.0.1:18962/ca.crl".to_string()]
    );
    assert!(not_checked_warning(&v).is_none(), "off: no warning");
}

#[test]
fn good_online_is_green_and_checked() {
    for mode in [OnlineMode::SoftFail, OnlineMode::HardFail] {
        let v = verify(
            "alice",
            mode,
            &["resp-bob-revoked.der", "resp-alice-good.der"],
        );
        assert_eq!(v.status, Status::Verified, "{v:?}");
        // The test CA's own status is not known (it names no responder, and no CRL of the
        // root is at hand), so not every certificate of the chain is checked.
        assert!(!v.details.revocation_checked);
        let RevocationStatus::Good { source, until } = &v.details.revocation[0].status else {
            panic!("{:?}", v.details.revocation);
        };
        assert_eq!(source, "ocsp");
        assert!(until.is_some());
        assert!(
            v.details.revocation[0].ocsp_request.is_none(),
            "nothing left to fetch"
        );
        assert!(not_checked_warning(&v).is_none());
    }
}

#[test]
fn revoked_online_is_invalid_with_reason_and_time() {
    let v = verify("bob", OnlineMode::SoftFail, &["resp-bob-revoked.der"]);
    assert_eq!(v.status, Status::Invalid);
    assert_eq!(v.reason, Some(Reason::Revoked));
    let RevocationStatus::Revoked {
        source,
        reason,
        time,
    } = &v.details.revocation[0].status
    else {
        panic!("{:?}", v.details.revocation);
    };
    assert_eq!(
        (source.as_str(), reason.as_deref(), time.as_str()),
        ("ocsp", Some("keyCompromise"), "2026-01-01T00:00:00Z")
    );
}

#[test]
fn soft_fail_keeps_the_verdict_with_a_warning_and_hard_fail_is_not_green() {
    // Not reached (no answer), unknown, and answers that prove nothing.
    for (who, answers) in [
        ("alice", &[][..]),
        ("carol", &["resp-carol-unknown.der"][..]),
        ("alice", &["resp-alice-noeku.der"][..]),
        ("alice", &["resp-alice-other-ca.der"][..]),
        ("bob", &["resp-alice-good.der"][..]),
    ] {
        let soft = verify(who, OnlineMode::SoftFail, answers);
        assert_eq!(soft.status, Status::Verified, "{who} {answers:?}: {soft:?}");
        let Some(Warning::RevocationNotChecked { why, .. }) = not_checked_warning(&soft) else {
            panic!("{who} {answers:?}: no warning");
        };
        assert!(!why.is_empty());
        let hard = verify(who, OnlineMode::HardFail, answers);
        assert_eq!(hard.status, Status::NotVerified, "{who} {answers:?}");
        assert_eq!(hard.reason, Some(Reason::RevocationUnknown));
    }
    let soft = verify("alice", OnlineMode::SoftFail, &["resp-alice-noeku.der"]);
    let Some(Warning::RevocationNotChecked { why, .. }) = not_checked_warning(&soft) else {
        unreachable!()
    };
    assert!(why.contains("not allowed to answer"), "{why}");
}

#[test]
fn an_expired_answer_does_not_clear_the_certificate() {
    let anchors = root();
    let responses = vec![file("resp-alice-good.der")];
    // Eight days later: past nextUpdate (the certificates are still valid).
    let mut opts = VerifyOptions::new(made() + 8 * 86_400, &anchors);
    opts.online = OnlineRevocation {
        ocsp_responses: &responses,
        crls: &[],
        mode: OnlineMode::HardFail,
    };
    let v = impalemail::smime::verify_message(&file("mail-alice.eml"), &opts);
    assert_eq!(v.reason, Some(Reason::RevocationUnknown), "{v:?}");
    opts.online.mode = OnlineMode::SoftFail;
    let v = impalemail::smime::verify_message(&file("mail-alice.eml"), &opts);
    let Some(Warning::RevocationNotChecked { why, .. }) = not_checked_warning(&v) else {
        panic!("{v:?}");
    };
    assert!(why.contains("out of date"), "{why}");
}

#[test]
fn the_answer_signature_goes_through_the_callers_webcrypto() {
    let anchors = root();
    let responses = vec![file("resp-alice-good.der")];
    let tbs = ocsp::parse_response(&responses[0]).unwrap().tbs_der;
    let mut opts = VerifyOptions::new(made() + 3600, &anchors);
    opts.online = OnlineRevocation {
        ocsp_responses: &responses,
        crls: &[],
        mode: OnlineMode::HardFail,
    };
    let raw = file("mail-alice.eml");
    // The caller says the answer's signature is bad: the core believes it.
    let job = VerifyJob::new(raw.clone(), usize::MAX);
    let mut asked = false;
    let v = job.run(
        &opts,
        |_, _| None,
        |r| {
            if r.message == tbs {
                asked = true;
                SignatureAnswer::Invalid
            } else {
                impalemail::smime::offload::answer_locally(r)
            }
        },
    );
    assert!(asked, "the OCSP signature was asked for");
    assert_eq!(v.reason, Some(Reason::RevocationUnknown), "{v:?}");
    // Answered honestly, the rounds give the one-call verdict.
    let job = VerifyJob::new(raw.clone(), usize::MAX);
    let v = job.run(
        &opts,
        |_, _| None,
        impalemail::smime::offload::answer_locally,
    );
    assert_eq!(v, impalemail::smime::verify_message(&raw, &opts));
    assert_eq!(v.status, Status::Verified);
}

#[test]
fn a_cache_keeps_an_answer_until_its_next_update() {
    let r = ocsp::parse_response(&file("resp-alice-good.der")).unwrap();
    assert_eq!(
        ocsp::answer_until(&file("resp-alice-good.der")),
        r.responses[0].next_update
    );
    assert_eq!(ocsp::answer_until(&[0x30, 0x03, 0x0A, 0x01, 0x06]), None);
}

// ---------------------------------------------------------------- CRLs from distribution points

fn verify_with_crl(who: &str, mode: OnlineMode, at: u64) -> Verdict {
    let anchors = root();
    let crls = vec![impalemail::smime::x509::CertificateList::from_der(&file("ca.crl")).unwrap()];
    let mut opts = VerifyOptions::new(at, &anchors);
    opts.online = OnlineRevocation {
        ocsp_responses: &[],
        crls: &crls,
        mode,
    };
    impalemail::smime::verify_message(&file(&format!("mail-{who}.eml")), &opts)
}

#[test]
fn a_crl_from_the_distribution_point_settles_what_no_answer_did() {
    let at = made() + 3600;
    let good = verify_with_crl("alice", OnlineMode::HardFail, at);
    assert_eq!(good.status, Status::Verified, "{good:?}");
    assert_eq!(
        good.details.revocation[0].status,
        RevocationStatus::Good {
            source: "crl".into(),
            until: None
        }
    );
    let revoked = verify_with_crl("bob", OnlineMode::SoftFail, at);
    assert_eq!(revoked.reason, Some(Reason::Revoked));
    let RevocationStatus::Revoked { source, reason, .. } = &revoked.details.revocation[0].status
    else {
        panic!("{:?}", revoked.details.revocation);
    };
    assert_eq!(
        (source.as_str(), reason.as_deref()),
        ("crl", Some("keyCompromise"))
    );
}

#[test]
fn a_stale_fetched_crl_leaves_the_status_unknown_not_invalid() {
    // 40 days on: past the CRL's nextUpdate (30 days), the certificates still valid.
    let at = made() + 40 * 86_400;
    let soft = verify_with_crl("bob", OnlineMode::SoftFail, at);
    assert_eq!(soft.status, Status::Verified, "{soft:?}");
    let Some(Warning::RevocationNotChecked { why, .. }) = not_checked_warning(&soft) else {
        panic!("{soft:?}");
    };
    assert!(why.contains("revocation list"), "{why}");
    let hard = verify_with_crl("bob", OnlineMode::HardFail, at);
    assert_eq!(hard.reason, Some(Reason::RevocationUnknown));
}
