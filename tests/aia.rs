//! Missing intermediates from caIssuers (RFC 5280 §4.2.2.1, `smime::aia`) and a delegated OCSP
//! responder's own revocation (RFC 6960 §4.2.2.2.1), in the core, on fixtures made by
//! `tests/fixtures/aia/generate.sh` (see that script for what each file is). The fetching
//! itself is tested in `tests/cli_online.rs` and `tests/js/aia-live.test.mjs`.
#![allow(clippy::unwrap_used)]

use impalemail::smime::aia;
use impalemail::smime::names::name_key;
use impalemail::smime::ocsp::{self, OcspError, OcspStatus, ResponderRevocation, Subject};
use impalemail::smime::path::{OnlineMode, OnlineRevocation};
use impalemail::smime::verdict::RevocationStatus;
use impalemail::smime::x509::{Certificate, CertificateList};
use impalemail::smime::{AnchorSource, Reason, Status, TrustAnchor, Verdict, VerifyOptions};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/aia");
const BASE: &str = "http://127.0.0.1:18963";

fn file(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DIR}/{name}")).unwrap()
}

fn cert(name: &str) -> Certificate {
    let der = impalemail::smime::trust::parse_cert_pem_or_der(&file(&format!("pki/{name}.pem")));
    Certificate::from_der(&der.unwrap()[0].der).unwrap()
}

/// When the OCSP answers were made (the certificates a few seconds before), plus an hour.
fn now() -> u64 {
    let r = ocsp::parse_response(&file("resp-dora-checked.der")).unwrap();
    r.responses[0].this_update as u64 + 3600
}

fn root() -> Vec<TrustAnchor> {
    let der = impalemail::smime::trust::parse_cert_pem_or_der(&file("pki/root.pem")).unwrap();
    vec![TrustAnchor::from_cert_der(&der[0].der, AnchorSource::User).unwrap()]
}

/// The verdict on `who`'s mail with the certificates fetched from `served` (files of serve/).
fn verify(who: &str, served: &[&str]) -> Verdict {
    let anchors = root();
    let mut certs = Vec::new();
    for s in served {
        certs.extend(aia::parse_ca_issuers(&file(&format!("serve/{s}"))).unwrap());
    }
    let mut opts = VerifyOptions::new(now(), &anchors);
    opts.intermediates = &certs;
    impalemail::smime::verify_message(&file(&format!("mail-{who}.eml")), &opts)
}

fn wants(v: &Verdict) -> Vec<String> {
    v.details.signer.as_ref().unwrap().ca_issuers.clone()
}

#[test]
fn a_missing_intermediate_is_named_and_a_der_certificate_completes_the_path() {
    let v = verify("dora", &[]);
    assert_eq!(v.reason, Some(Reason::UntrustedRoot));
    assert_eq!(wants(&v), vec![format!("{BASE}/ca.der")]);
    let v = verify("dora", &["ca.der"]);
    assert_eq!(v.status, Status::Verified, "{v:?}");
    assert!(wants(&v).is_empty());
}

#[test]
fn a_certs_only_pkcs7_bundle_completes_the_path() {
    let got = aia::parse_ca_issuers(&file("serve/ca.p7c")).unwrap();
    assert_eq!(got, vec![cert("ca")]);
    assert_eq!(wants(&verify("fritz", &[])), vec![format!("{BASE}/ca.p7c")]);
    assert_eq!(verify("fritz", &["ca.p7c"]).status, Status::Verified);
}

#[test]
fn two_missing_levels_take_two_rounds() {
    assert_eq!(wants(&verify("emil", &[])), vec![format!("{BASE}/sub.der")]);
    // The fetched sub CA's own issuer is missing: its caIssuers (a PKCS#7) is named next.
    let v = verify("emil", &["sub.der"]);
    assert_eq!(v.reason, Some(Reason::UntrustedRoot));
    assert_eq!(wants(&v), vec![format!("{BASE}/ca.p7c")]);
    assert_eq!(
        verify("emil", &["sub.der", "ca.p7c"]).status,
        Status::Verified
    );
}

#[test]
fn garbage_and_oversized_answers_are_plain_errors() {
    let e = aia::parse_ca_issuers(&file("serve/garbage")).unwrap_err();
    assert_eq!(
        e,
        "the issuer certificate download is neither a certificate nor a certificate bundle"
    );
    let e = aia::parse_ca_issuers(&vec![0x30; aia::MAX_CA_ISSUERS_BYTES + 1]).unwrap_err();
    assert!(e.contains("larger than 65536 bytes"), "{e}");
    // A signed mail is signed-data too, but with no certificate bundle in it: refused.
    let p7 = file("resp-dora-checked.der");
    assert!(aia::parse_ca_issuers(&p7).is_err());
}

#[test]
fn each_fetched_level_names_the_next() {
    assert_eq!(
        wants(&verify("kai", &[])),
        vec![format!("{BASE}/deep-3.der")]
    );
    let v = verify("kai", &["deep-3.der", "deep-2.der", "deep-1.der"]);
    assert_eq!(wants(&v), vec![format!("{BASE}/ca.der")]);
    let v = verify("kai", &["deep-3.der", "deep-2.der", "deep-1.der", "ca.der"]);
    assert_eq!(v.status, Status::Verified);
}

#[test]
fn certificates_that_issued_each_other_end_the_search() {
    assert_eq!(
        wants(&verify("jan", &[])),
        vec![format!("{BASE}/loop-a.der")]
    );
    assert_eq!(
        wants(&verify("jan", &["loop-a.der"])),
        vec![format!("{BASE}/loop-b.der")]
    );
    // Both CAs at hand: each is the other's issuer, no anchor; nothing more is named, so the
    // caller's loop stops (it would not fetch a URL twice in any case).
    let v = verify("jan", &["loop-a.der", "loop-b.der"]);
    assert_eq!(v.reason, Some(Reason::UntrustedRoot));
    assert!(wants(&v).is_empty(), "{:?}", wants(&v));
}

#[test]
fn a_trusted_path_names_nothing_and_a_self_signed_signer_names_nothing() {
    assert!(aia::ca_issuer_urls(&cert("root")).is_empty());
    assert_eq!(
        aia::ca_issuer_urls(&cert("ca")),
        vec![format!("{BASE}/root.der")]
    );
    // ca's issuer is the anchor: with ca at hand nothing is asked even though ca names a URL.
    assert!(wants(&verify("dora", &["ca.der"])).is_empty());
}

// A delegated responder without id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1).

fn check(resp: &str, responder: ResponderRevocation) -> Result<OcspStatus, OcspError> {
    let (ca, dora) = (cert("ca"), cert("dora"));
    let name = name_key(&ca.subject);
    let subject = Subject {
        cert: &dora,
        issuer_key: &ca.subject_public_key_info,
        issuer_name: &name,
    };
    let mut asked = 0;
    let r = ocsp::check_with(&file(resp), subject, now(), None, &mut |c| {
        assert_eq!(c.subject, cert("responder-checked").subject);
        asked += 1;
        responder
    });
    assert_eq!(asked, 1, "the responder's status is asked once");
    r
}

#[test]
fn a_responder_without_nocheck_must_itself_be_checked() {
    let good = check("resp-dora-checked.der", ResponderRevocation::Good).unwrap();
    assert!(matches!(good, OcspStatus::Good { .. }));
    assert_eq!(
        check("resp-dora-checked.der", ResponderRevocation::NotChecked),
        Err(OcspError::ResponderNotChecked)
    );
    assert!(matches!(
        check("resp-dora-checked.der", ResponderRevocation::Revoked),
        Err(OcspError::Unauthorised(w)) if w.contains("revoked")
    ));
}

/// The whole check with ca at hand, online in `mode`, the answer `resp` and `crls`.
fn verify_online(resp: &str, crls: &[CertificateList], mode: OnlineMode) -> Verdict {
    let anchors = root();
    let certs = aia::parse_ca_issuers(&file("serve/ca.der")).unwrap();
    let answers = vec![file(resp)];
    let mut opts = VerifyOptions::new(now(), &anchors);
    opts.intermediates = &certs;
    opts.online = OnlineRevocation {
        ocsp_responses: &answers,
        crls,
        mode,
    };
    impalemail::smime::verify_message(&file("mail-dora.eml"), &opts)
}

#[test]
fn the_responder_is_looked_up_in_its_crl_which_the_verdict_names() {
    let crl = CertificateList::from_der(&file("serve/ca.crl")).unwrap();
    // Without its CRL: the answer cannot clear dora, and the responder's distribution point
    // is named first for the caller to fetch.
    let v = verify_online("resp-dora-checked.der", &[], OnlineMode::SoftFail);
    assert_eq!(v.status, Status::Verified);
    let r = &v.details.revocation[0];
    let RevocationStatus::NotChecked { why } = &r.status else {
        panic!("{r:?}");
    };
    assert!(
        why.contains("own certificate could not be checked"),
        "{why}"
    );
    assert_eq!(r.crl_urls, vec![format!("{BASE}/ca.crl")]);
    assert_eq!(
        verify_online("resp-dora-checked.der", &[], OnlineMode::HardFail).reason,
        Some(Reason::RevocationUnknown)
    );
    // With the CRL (the responder is not on it): good from OCSP.
    let v = verify_online(
        "resp-dora-checked.der",
        std::slice::from_ref(&crl),
        OnlineMode::HardFail,
    );
    assert_eq!(v.status, Status::Verified, "{v:?}");
    assert!(matches!(
        &v.details.revocation[0].status,
        RevocationStatus::Good { source, .. } if source == "ocsp"
    ));
    // The revoked responder's answer is refused; the CRL still settles dora (not listed).
    let v = verify_online("resp-dora-revoked-responder.der", &[], OnlineMode::SoftFail);
    let RevocationStatus::NotChecked { why } = &v.details.revocation[0].status else {
        panic!("{v:?}");
    };
    assert!(
        why.contains("own certificate could not be checked"),
        "{why}"
    );
    let v = verify_online(
        "resp-dora-revoked-responder.der",
        &[crl],
        OnlineMode::HardFail,
    );
    assert_eq!(v.status, Status::Verified);
    assert!(matches!(
        &v.details.revocation[0].status,
        RevocationStatus::Good { source, .. } if source == "crl"
    ));
}
