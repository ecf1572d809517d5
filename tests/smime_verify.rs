//! End-to-end S/MIME checks on the project's generated corpus (golden verdicts) and on the
//! attack mails of "Johnny, you are fired!" (USENIX Security 2019), classes C1-C4, M1-M4,
//! I1-I3. Fixed clock: 2027-01-01T00:00:00Z.
//!
//! Golden files: `tests/fixtures/smime/generated/NNN.eml` beside `NNN.json`. On mismatch the
//! actual verdict is written to `NNN.failed`. `IMPALEMAIL_BLESS=1` (re)writes the `.json`
//! files; they must then be reviewed by hand.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use impalemail::smime::verdict::{Reason, Status, Verdict, Warning};
use impalemail::smime::verify::{verify_message, Limits, VerifyOptions};
use impalemail::smime::{AnchorSource, TrustAnchor};

/// 2027-01-01T00:00:00Z.
const NOW: u64 = 1_798_761_600;

fn fixtures() -> PathBuf {
    match option_env!("IMPALEMAIL_ROOT") {
        Some(root) => PathBuf::from(root).join("tests/fixtures"),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures")),
    }
}

fn smime() -> PathBuf {
    fixtures().join("smime")
}

fn pem_der(path: &std::path::Path) -> Vec<u8> {
    let text = std::fs::read_to_string(path).unwrap();
    let b64: String = text
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    impalemail::smime::mime::decode_base64(b64.as_bytes())
}

fn root() -> Vec<TrustAnchor> {
    vec![
        TrustAnchor::from_cert_der(&pem_der(&smime().join("pki/root.pem")), AnchorSource::User)
            .unwrap(),
    ]
}

fn check(path: &str) -> Verdict {
    let anchors = root();
    let raw = std::fs::read(smime().join(path)).unwrap();
    verify_message(&raw, &VerifyOptions::new(NOW, &anchors))
}

fn reason(v: &Verdict) -> Option<&Reason> {
    v.reason.as_ref()
}

#[test]
fn golden_generated_corpus() {
    golden_dir("generated", 24);
}

/// The mails of `generate-layers.sh` (names, Reply-To, encrypted content, Date, nesting) have
/// golden verdicts too, so the wasm is held to the same ones (`tests/wasm/smime.test.mjs`).
#[test]
fn golden_layers_corpus() {
    golden_dir("layers", 7);
}

fn golden_dir(sub: &str, at_least: usize) {
    let dir = smime().join(sub);
    let bless = std::env::var_os("IMPALEMAIL_BLESS").is_some();
    let anchors = root();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    names.sort();
    assert!(names.len() >= at_least, "corpus missing: {}", names.len());
    let mut failed = Vec::new();
    for eml in &names {
        let raw = std::fs::read(eml).unwrap();
        let v = verify_message(&raw, &VerifyOptions::new(NOW, &anchors));
        let actual = serde_json::to_string_pretty(&v).unwrap() + "\n";
        let golden = eml.with_extension("json");
        let failed_path = eml.with_extension("failed");
        if bless {
            std::fs::write(&golden, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&golden).unwrap_or_default();
        if expected != actual {
            std::fs::write(&failed_path, &actual).unwrap();
            failed.push(eml.file_name().unwrap().to_string_lossy().into_owned());
        } else {
            let _ = std::fs::remove_file(&failed_path);
        }
    }
    assert!(
        failed.is_empty(),
        "golden mismatches (see .failed): {failed:?}"
    );
}

#[test]
fn generated_corpus_outcomes() {
    // The golden files hold the details; these are the outcomes that matter, stated apart
    // so a careless re-bless cannot flip them.
    let green = [
        "001", "002", "003", "004", "005", "006", "007", "008", "009", "010", "011", "012", "013",
        "015", "023", "024",
    ];
    for n in green {
        let v = check(&format!("generated/{n}.eml"));
        assert_eq!(v.status, Status::Verified, "{n}: {:?}", v.reason);
        assert!(v.details.whole_message_covered);
        assert_eq!(
            v.details.signer.as_ref().unwrap().addresses,
            vec!["alice@example.com".to_string()],
            "{n}"
        );
    }
    let expect = |n: &str, r: Reason| {
        let v = check(&format!("generated/{n}.eml"));
        assert_eq!(reason(&v), Some(&r), "{n}");
        assert_ne!(v.status, Status::Verified);
        v
    };
    expect("014", Reason::PartiallySigned { part: "2.1".into() });
    assert_eq!(
        expect("016", Reason::AlteredContent).status,
        Status::Invalid
    );
    assert_eq!(
        expect("017", Reason::AlteredContent).status,
        Status::Invalid
    );
    assert_eq!(expect("018", Reason::BadSignature).status, Status::Invalid);
    let v = check("generated/019.eml");
    assert!(matches!(reason(&v), Some(Reason::WeakAlgorithm { what }) if what.contains("SHA-1")));
    let v = check("generated/020.eml");
    assert!(matches!(reason(&v), Some(Reason::WeakAlgorithm { what }) if what.contains("1024")));
    assert_eq!(expect("021", Reason::Expired).status, Status::Invalid);
    expect("022", Reason::Unsigned);
}

#[test]
fn covered_part_offsets_point_at_the_signed_bytes() {
    let raw = std::fs::read(smime().join("generated/001.eml")).unwrap();
    let v = check("generated/001.eml");
    let c = v.details.covered.unwrap();
    assert_eq!(c.part, "1");
    assert_eq!(c.signature_kind, "detached");
    let signed = &raw[c.byte_range[0]..c.byte_range[1]];
    assert!(signed.starts_with(b"Content-Type: text/plain; charset=utf-8\r\n"));
    assert!(signed.ends_with(b"signed test message.\r\n"));
    let v = check("generated/009.eml");
    assert_eq!(v.details.covered.unwrap().signature_kind, "opaque");
}

fn attack(name: &str) -> Verdict {
    let v = check(&format!("attacks/{name}.eml"));
    assert_ne!(v.status, Status::Verified, "{name} came out green");
    v
}

#[test]
fn c1_econtent_confusion() {
    for n in ["c1-econtent-confusion", "c1-econtent-confusion-noattr"] {
        let v = attack(n);
        assert!(
            matches!(reason(&v), Some(Reason::Malformed { what }) if what.contains("eContent")),
            "{n}: {:?}",
            v.reason
        );
        assert_eq!(v.status, Status::Invalid);
    }
}

#[test]
fn c2_multiple_signers() {
    let v = attack("c2-multiple-signers");
    assert_eq!(reason(&v), Some(&Reason::MultipleSigners));
    assert_eq!(v.details.signers.len(), 2);
    // Both signatures are genuine: each is reported with its own outcome.
    let addrs: Vec<_> = v
        .details
        .signers
        .iter()
        .map(|s| s.addresses[0].clone())
        .collect();
    assert!(addrs.contains(&"alice@example.com".to_string()));
    assert!(addrs.contains(&"mallory@attacker.example".to_string()));
    assert!(v.details.signers.iter().all(|s| s.outcome.is_none()));
}

#[test]
fn c3_no_signers() {
    let v = attack("c3-no-signers");
    assert!(
        matches!(reason(&v), Some(Reason::Malformed { what }) if what.contains("without any signer"))
    );
}

#[test]
fn c4_untrusted_or_unfit_signers() {
    assert_eq!(
        reason(&attack("c4-self-signed")),
        Some(&Reason::UntrustedRoot)
    );
    assert_eq!(
        reason(&attack("c4-untrusted-ca")),
        Some(&Reason::UntrustedRoot)
    );
    assert_eq!(
        reason(&attack("c4-not-email-cert")),
        Some(&Reason::WrongKeyUsage)
    );
}

#[test]
fn m1_to_m4_partial_signing() {
    for (n, part) in [
        ("m1-prepended-text", "2.1"),
        ("m2-hidden-by-css", "2.1"),
        ("m3-multipart-related", "2.1"),
        ("m4-signed-as-attachment", "2.1"),
    ] {
        let v = attack(n);
        assert_eq!(
            reason(&v),
            Some(&Reason::PartiallySigned { part: part.into() }),
            "{n}"
        );
        assert!(!v.details.whole_message_covered);
        // The signed part itself is genuine and its signer is reported.
        assert_eq!(
            v.details.signer.as_ref().unwrap().addresses[0],
            "alice@example.com"
        );
    }
}

#[test]
fn i1_to_i3_sender_binding() {
    let v = attack("i1-from-not-signer");
    assert_eq!(reason(&v), Some(&Reason::SignerMismatch));
    let v = attack("i2-display-name-address");
    assert_eq!(reason(&v), Some(&Reason::SignerMismatch));
    assert!(v
        .details
        .warnings
        .iter()
        .any(|w| matches!(w, Warning::DisplayNameLooksLikeAddress { name, .. } if name == "alice@example.com")));
    let v = attack("i3-sender-not-from");
    assert_eq!(reason(&v), Some(&Reason::SignerMismatch));
    assert!(v
        .details
        .warnings
        .iter()
        .any(|w| matches!(w, Warning::SenderDiffersFromFrom { .. })));
    let v = attack("i3-two-from-headers");
    assert_eq!(reason(&v), Some(&Reason::SignerMismatch));
    assert!(v
        .details
        .warnings
        .contains(&Warning::MultipleFromHeaders { count: 2 }));
    let v = attack("i3-two-from-addresses");
    assert_eq!(reason(&v), Some(&Reason::SignerMismatch));
    assert!(v
        .details
        .warnings
        .contains(&Warning::MultipleFromAddresses { count: 2 }));
}

#[test]
fn every_attack_mail_is_covered_by_a_test() {
    let mut names: Vec<String> = std::fs::read_dir(smime().join("attacks"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".eml"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 16, "{names:?}");
    for n in names {
        attack(n.trim_end_matches(".eml"));
    }
}

fn with_limits(path: &str, limits: Limits) -> Verdict {
    let anchors = root();
    let raw = std::fs::read(smime().join(path)).unwrap();
    let mut o = VerifyOptions::new(NOW, &anchors);
    o.limits = limits;
    verify_message(&raw, &o)
}

fn limit_which(v: &Verdict) -> String {
    match reason(v) {
        Some(Reason::LimitExceeded { which }) => which.clone(),
        other => panic!("expected limit_exceeded, got {other:?}"),
    }
}

#[test]
fn every_limit_gives_limit_exceeded() {
    let mut l = Limits::default();
    l.mime.max_message_size = 100;
    assert!(limit_which(&with_limits("generated/001.eml", l)).contains("message size"));
    let mut l = Limits::default();
    l.mime.max_depth = 1;
    assert!(limit_which(&with_limits("generated/014.eml", l)).contains("depth"));
    let mut l = Limits::default();
    l.mime.max_parts = 2;
    assert!(limit_which(&with_limits("generated/001.eml", l)).contains("MIME parts"));
    let mut l = Limits::default();
    l.mime.max_header_length = 40;
    assert!(limit_which(&with_limits("generated/001.eml", l)).contains("header"));
    let mut l = Limits::default();
    l.cms.max_certificates = 1;
    assert!(limit_which(&with_limits("generated/001.eml", l)).contains("certificates"));
    let mut l = Limits::default();
    l.cms.max_signers = 1;
    assert!(limit_which(&with_limits("attacks/c2-multiple-signers.eml", l)).contains("signers"));
    let l = Limits {
        max_signature_checks: 1,
        ..Limits::default()
    };
    assert!(
        limit_which(&with_limits("attacks/c2-multiple-signers.eml", l))
            .contains("signature checks")
    );
    let mut l = Limits::default();
    l.path_budget.signature_checks = 0;
    assert_eq!(
        with_limits("generated/001.eml", l).status,
        Status::NotVerified,
        "path budget exhausted must not be green"
    );
}

#[test]
fn lf_stored_mail_verifies_like_crlf() {
    let a = check("generated/001.eml");
    let b = check("generated/011.eml");
    assert_eq!(a.status, Status::Verified);
    assert_eq!(b.status, Status::Verified);
    assert_eq!(a.details.signer, b.details.signer);
}

#[test]
fn garbage_never_panics() {
    let anchors = root();
    let o = VerifyOptions::new(NOW, &anchors);
    let raw = std::fs::read(smime().join("generated/010.eml")).unwrap();
    // Truncations and byte flips of a BER opaque message.
    for cut in (0..raw.len()).step_by(97) {
        let v = verify_message(&raw[..cut], &o);
        assert_ne!(v.status, Status::Verified);
    }
    for i in (0..raw.len()).step_by(13) {
        let mut m = raw.clone();
        m[i] ^= 0x55;
        let _ = verify_message(&m, &o);
    }
}

/// A signed message forwarded as a `message/rfc822` attachment of an unsigned one: found
/// (its signer is reported) but only partly covering what is displayed, so never green. As
/// the whole body of an otherwise empty wrapper it is still not the top-level message.
#[test]
fn forwarded_signed_message_is_found_but_not_green() {
    let anchors = root();
    let inner = std::fs::read(smime().join("generated/001.eml")).unwrap();
    let mut fwd = b"From: Bob Example <bob@example.org>\r\nTo: carol@example.net\r\n\
Subject: Fwd: signed\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"fwd\"\r\n\r\n\
--fwd\r\nContent-Type: text/plain\r\n\r\nHere is Alice's signed mail.\r\n\
--fwd\r\nContent-Type: message/rfc822\r\n\r\n"
        .to_vec();
    fwd.extend_from_slice(&inner);
    fwd.extend_from_slice(b"\r\n--fwd--\r\n");
    let v = verify_message(&fwd, &VerifyOptions::new(NOW, &anchors));
    assert_ne!(v.status, Status::Verified, "{v:?}");
    assert!(
        matches!(reason(&v), Some(Reason::PartiallySigned { .. })),
        "{:?}",
        v.reason
    );
    let signer = v
        .details
        .signer
        .as_ref()
        .expect("the forwarded signer is reported");
    assert!(signer.addresses.iter().any(|a| a == "alice@example.com"));
}

#[test]
fn recipients_are_collected_deduplicated_and_capped() {
    use impalemail::smime::verdict::MAX_RECIPIENTS;
    let anchors = root();
    let mail = "From: a@example.com\r\nTo: Bob <bob@example.org>, carol@example.net\r\n\
                Cc: BOB@example.org\r\nDelivered-To: shop.x7@alias.example\r\n\
                Subject: s\r\n\r\nbody\r\n";
    let v = verify_message(mail.as_bytes(), &VerifyOptions::new(NOW, &anchors));
    assert_eq!(v.status, Status::NotVerified);
    let got: Vec<&str> = v
        .details
        .recipients
        .iter()
        .map(|m| m.address.as_str())
        .collect();
    assert_eq!(
        got,
        [
            "bob@example.org",
            "carol@example.net",
            "shop.x7@alias.example"
        ]
    );

    // One over the cap: the first MAX_RECIPIENTS are kept, in header order.
    let many: Vec<String> = (0..=MAX_RECIPIENTS)
        .map(|i| format!("r{i}@example.org"))
        .collect();
    let mail = format!(
        "From: a@example.com\r\nTo: {}\r\nSubject: s\r\n\r\nbody\r\n",
        many.join(", ")
    );
    let v = verify_message(mail.as_bytes(), &VerifyOptions::new(NOW, &anchors));
    assert_eq!(v.details.recipients.len(), MAX_RECIPIENTS);
    assert_eq!(v.details.recipients[0].address, "r0@example.org");
    assert_eq!(
        v.details.recipients[MAX_RECIPIENTS - 1].address,
        format!("r{}@example.org", MAX_RECIPIENTS - 1)
    );
}

#[test]
fn bare_p7m_files_verify_in_der_pem_and_base64_without_the_sender_binding() {
    use impalemail::smime::verify_p7m;
    let anchors = root();
    let eml = std::fs::read_to_string(smime().join("generated/010.eml")).unwrap();
    let b64: String = eml
        .split("\r\n\r\n")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .collect();
    let der = impalemail::smime::mime::decode_base64(b64.as_bytes());
    assert_eq!(der[0], 0x30, "a DER SEQUENCE");
    let pem = format!("-----BEGIN PKCS7-----\n{b64}\n-----END PKCS7-----\n");
    for (what, bytes) in [
        ("der", der.clone()),
        ("pem", pem.into_bytes()),
        ("base64", b64.clone().into_bytes()),
    ] {
        let v = verify_p7m(&bytes, &VerifyOptions::new(NOW, &anchors));
        assert_eq!(v.status, Status::Verified, "{what}: {v:?}");
        assert!(
            v.details.warnings.contains(&Warning::SenderCheckSkipped),
            "{what}: the file names no sender, and the verdict says the check was skipped"
        );
        assert_eq!(
            v.details.signer.as_ref().unwrap().addresses,
            ["alice@example.com"]
        );
    }
    // One byte of the signed content changed: not verified.
    let mut bad = der.clone();
    let i = bad.windows(5).position(|w| w == b"Hello").unwrap();
    bad[i] = b'J';
    let v = verify_p7m(&bad, &VerifyOptions::new(NOW, &anchors));
    assert_eq!(v.status, Status::Invalid, "{v:?}");
    // Not CMS at all: a clear verdict, not a panic.
    let v = verify_p7m(
        b"hello, this is not a signature",
        &VerifyOptions::new(NOW, &anchors),
    );
    assert_ne!(v.status, Status::Verified);
}

fn layer(name: &str) -> Verdict {
    check(&format!("layers/{name}.eml"))
}

fn has_name_warning(v: &Verdict) -> Option<(String, String)> {
    v.details.warnings.iter().find_map(|w| match w {
        Warning::DisplayNameNotSigner {
            name,
            certificate_name,
            ..
        } => Some((name.clone(), certificate_name.clone())),
        _ => None,
    })
}

/// The list of ordinary and deceptive display names (tests/fixtures/smime/display-names.txt),
/// each against the certificate names and addresses it is listed with.
#[test]
fn display_name_patterns() {
    use impalemail::smime::display_name::fits;
    let text = std::fs::read_to_string(smime().join("display-names.txt")).unwrap();
    let split = |s: &str| -> Vec<String> {
        s.split(';')
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect()
    };
    let (mut quiet, mut loud, mut wrong) = (0, 0, Vec::new());
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let f: Vec<&str> = line.split('|').map(str::trim).collect();
        let [expect, display, names, addresses] = f[..] else {
            panic!("bad line: {line}");
        };
        let got = fits(display, &split(names), &split(addresses));
        match expect {
            "fits" => quiet += 1,
            "warns" => loud += 1,
            other => panic!("bad expectation {other}"),
        }
        if got != (expect == "fits") {
            wrong.push(line.to_string());
        }
    }
    assert!(wrong.is_empty(), "wrongly judged:\n{}", wrong.join("\n"));
    assert!(
        quiet >= 40 && loud >= 10,
        "{quiet} quiet, {loud} warning patterns"
    );
}

#[test]
fn a_display_name_the_certificate_does_not_carry_is_pointed_out_on_a_green_verdict() {
    let v = layer("name-manager");
    assert_eq!(v.status, Status::Verified, "{:?}", v.reason);
    assert_eq!(
        has_name_warning(&v),
        Some(("The Manager".into(), "Eve Evil".into()))
    );
    let v = layer("name-mailbox-cert-role");
    assert_eq!(v.status, Status::Verified, "{:?}", v.reason);
    assert_eq!(
        has_name_warning(&v),
        Some(("IT Support".into(), String::new())),
        "a certificate that names no person: the name is pointed out, with no certificate name"
    );
    for quiet in ["name-family-given", "name-initial", "name-mailbox-cert"] {
        let v = layer(quiet);
        assert_eq!(v.status, Status::Verified, "{quiet}: {:?}", v.reason);
        assert!(
            v.details.warnings.is_empty(),
            "{quiet}: {:?}",
            v.details.warnings
        );
    }
    // The corpus's ordinary mails stay quiet.
    assert!(check("generated/001.eml").details.warnings.is_empty());
}

#[test]
fn a_reply_to_outside_the_signer_s_addresses_is_pointed_out() {
    let v = layer("reply-to-elsewhere");
    assert_eq!(v.status, Status::Verified, "{:?}", v.reason);
    assert_eq!(
        v.details.warnings,
        [Warning::ReplyToElsewhere {
            reply_to: "accounts@attacker.example".into(),
            signer: "alice@example.com".into()
        }]
    );
    let v = layer("reply-to-signer");
    assert_eq!(v.status, Status::Verified);
    assert!(v.details.warnings.is_empty(), "{:?}", v.details.warnings);
}

#[test]
fn a_signature_over_encrypted_content_only_is_not_green() {
    for n in [
        "encrypted-detached",
        "encrypted-opaque",
        "encrypted-econtent-type",
    ] {
        let v = layer(n);
        assert_eq!(reason(&v), Some(&Reason::SignedEncryptedContent), "{n}");
        assert_eq!(v.status, Status::NotVerified, "{n}");
        assert!(v.summary.contains("encrypted"), "{n}: {}", v.summary);
        // The signature itself is good, and its signer is reported.
        let s = v.details.signer.as_ref().unwrap();
        assert_eq!(s.addresses, ["alice@example.com"], "{n}");
        assert_eq!(s.outcome, None, "{n}");
    }
}

fn date_warning(v: &Verdict) -> Option<(String, String)> {
    v.details.warnings.iter().find_map(|w| match w {
        Warning::DateFarFromSigningTime { date, signing_time } => {
            Some((date.clone(), signing_time.clone()))
        }
        _ => None,
    })
}

#[test]
fn a_date_far_from_the_signing_time_is_pointed_out() {
    use impalemail::smime::date::{parse_date, MAX_DATE_SKEW_SECS};
    for n in ["date-days-later", "date-days-earlier"] {
        let v = layer(n);
        assert_eq!(v.status, Status::Verified, "{n}: {:?}", v.reason);
        let (date, signed) = date_warning(&v).unwrap_or_else(|| panic!("{n}: no warning"));
        assert_eq!(
            Some(&signed),
            v.details.signer.as_ref().unwrap().signing_time.as_ref()
        );
        assert_ne!(date, signed, "{n}");
    }
    let v = layer("date-minutes-later");
    assert_eq!(v.status, Status::Verified);
    assert_eq!(date_warning(&v), None, "five minutes is ordinary");
    assert!(v.details.warnings.is_empty(), "{:?}", v.details.warnings);
    // The limit itself, on the mail's own Date: an hour and a second warns, an hour does not.
    let raw = std::fs::read_to_string(smime().join("layers/date-minutes-later.eml")).unwrap();
    let date_line = raw.lines().find(|l| l.starts_with("Date: ")).unwrap();
    let signed = v.details.signer.as_ref().unwrap().signing_unix.0.unwrap();
    assert!((parse_date(&date_line[6..]).unwrap() - signed - 300).abs() <= 2);
    let anchors = root();
    for (skew, warns) in [(MAX_DATE_SKEW_SECS, false), (MAX_DATE_SKEW_SECS + 1, true)] {
        let when = signed + skew;
        let new_line = format!("Date: {}", rfc5322(when));
        let mail = raw.replacen(date_line, &new_line, 1);
        let v = verify_message(mail.as_bytes(), &VerifyOptions::new(NOW, &anchors));
        assert_eq!(date_warning(&v).is_some(), warns, "skew {skew}: {new_line}");
    }
}

/// Unix seconds as an RFC 5322 date in UTC.
fn rfc5322(t: i64) -> String {
    let s = impalemail::smime::verdict::format_time(t); // 2026-12-06T13:48:03Z
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month: usize = s[5..7].parse().unwrap();
    format!(
        "{} {} {} {} +0000",
        &s[8..10],
        MONTHS[month - 1],
        &s[0..4],
        &s[11..19]
    )
}

/// Every combination of an outer and an inner signature, detached (d) and opaque (o), with good
/// and bad layers and another inner or outer signer (generate-layers.sh, `nest-<outer><inner>-*`).
#[test]
fn nested_signatures_every_combination() {
    let addrs = |v: &Verdict| -> Vec<String> {
        v.details
            .layers
            .iter()
            .map(|l| l.signer.as_ref().unwrap().addresses[0].clone())
            .collect()
    };
    let outcomes = |v: &Verdict| -> Vec<Option<Reason>> {
        v.details.layers.iter().map(|l| l.outcome.clone()).collect()
    };
    let alice = "alice@example.com".to_string();
    let bob = "bob@example.org".to_string();
    for combo in ["dd", "do", "od", "oo"] {
        let name = |variant: &str| format!("nest-{combo}-{variant}");
        let kinds: Vec<&str> = combo
            .chars()
            .map(|c| if c == 'd' { "detached" } else { "opaque" })
            .collect();

        let v = layer(&name("good"));
        assert_eq!(v.status, Status::Verified, "{combo}: {:?}", v.reason);
        assert_eq!(addrs(&v), [alice.clone(), alice.clone()], "{combo}");
        let got: Vec<&str> = v
            .details
            .layers
            .iter()
            .map(|l| l.signature_kind.as_str())
            .collect();
        assert_eq!(got, kinds, "{combo}: each layer, outermost first");
        assert_eq!(outcomes(&v), [None, None]);
        assert!(
            v.details.warnings.is_empty(),
            "{combo}: {:?}",
            v.details.warnings
        );

        // The inner signer, the author of what is shown, is not the From: not green, and the
        // reason names them.
        let v = layer(&name("inner-bob"));
        assert_eq!(
            reason(&v),
            Some(&Reason::InnerSignerNotSender {
                signer: bob.clone()
            }),
            "{combo}"
        );
        assert_eq!(v.status, Status::NotVerified);
        assert!(v.summary.contains("bob@example.org"), "{}", v.summary);
        assert_eq!(addrs(&v), [alice.clone(), bob.clone()], "{combo}");
        assert_eq!(v.details.signer.as_ref().unwrap().who(), bob);

        // An outer signer around Alice's signed message (a gateway): green, and said.
        let v = layer(&name("outer-bob"));
        assert_eq!(v.status, Status::Verified, "{combo}: {:?}", v.reason);
        assert_eq!(
            v.details.warnings,
            [Warning::OuterSignerNotSender {
                signer: bob.clone()
            }],
            "{combo}"
        );
        assert_eq!(v.details.signer.as_ref().unwrap().who(), alice);

        // A failing inner layer under a good outer one, and the other way round.
        let v = layer(&name("inner-altered"));
        assert_eq!(reason(&v), Some(&Reason::AlteredContent), "{combo}");
        assert_eq!(v.status, Status::Invalid);
        assert_eq!(
            outcomes(&v),
            [None, Some(Reason::AlteredContent)],
            "{combo}"
        );
        let v = layer(&name("outer-expired"));
        assert_eq!(reason(&v), Some(&Reason::Expired), "{combo}");
        assert_eq!(outcomes(&v), [Some(Reason::Expired), None], "{combo}");
        let v = layer(&name("outer-sha1"));
        assert!(
            matches!(reason(&v), Some(Reason::WeakAlgorithm { what }) if what.contains("SHA-1")),
            "{combo}: {:?}",
            v.reason
        );
        assert_eq!(v.details.layers.len(), 2);
        assert_eq!(v.details.layers[1].outcome, None);
    }
}

#[test]
fn nesting_stops_at_the_named_depth_and_the_triple_wrap_at_the_encrypted_layer() {
    use impalemail::smime::verify::MAX_SIGNATURE_LAYERS;
    let v = layer("nest-depth-4");
    assert_eq!(v.status, Status::Verified, "{:?}", v.reason);
    assert_eq!(v.details.layers.len(), MAX_SIGNATURE_LAYERS);
    let v = layer("nest-depth-5");
    assert_eq!(
        reason(&v),
        Some(&Reason::LimitExceeded {
            which: format!("signature layers ({MAX_SIGNATURE_LAYERS})")
        })
    );
    assert_eq!(v.details.layers.len(), MAX_SIGNATURE_LAYERS);
    // With one layer fewer allowed, the four-layer mail hits the limit too.
    let l = Limits {
        max_signature_layers: MAX_SIGNATURE_LAYERS - 1,
        ..Limits::default()
    };
    assert!(limit_which(&with_limits("layers/nest-depth-4.eml", l)).contains("signature layers"));
    // Signed, encrypted, signed: the outer signature covers ciphertext only.
    let v = layer("nest-signed-encrypted-signed");
    assert_eq!(reason(&v), Some(&Reason::SignedEncryptedContent));
    // The signer checks of all layers count together.
    let l = Limits {
        max_signature_checks: 3,
        ..Limits::default()
    };
    assert!(limit_which(&with_limits("layers/nest-depth-4.eml", l)).contains("signature checks"));
}
