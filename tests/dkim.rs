//! DKIM (RFC 6376, RFC 8463) and DMARC alignment (RFC 7489) on mails signed by an independent
//! signer (dkimpy, `tests/fixtures/dkim/gen.py`, which says how each was made), one test for
//! each edge of issue #21. The DNS answers come from `tests/fixtures/dkim/dns.json`, given for
//! exactly the names the core asks for; RSA and Ed25519 checks are answered through the
//! offload, as the extension's WebCrypto does, with the core's own maths (`answer_locally`).
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use impalemail::dkim::{
    DkimJob, DkimReason, DkimStep, DkimVerdict, DmarcPolicy, DnsAnswer, DnsResult, QueryPurpose,
};
use impalemail::smime::algs::HashAlg;
use impalemail::smime::offload::{answer_locally, SignatureAnswer, SignatureScheme};
use impalemail::smime::Status;

/// The signatures' t= (2026-05-28T20:26:40Z, gen.py's `T`).
const SIGNED: i64 = 1_780_000_000;
/// The check time: about four months later.
const NOW: i64 = 1_790_000_000;

fn fixture(name: &str) -> Vec<u8> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/dkim/");
    std::fs::read(format!("{dir}{name}")).unwrap()
}

fn zone() -> BTreeMap<String, Vec<String>> {
    serde_json::from_slice(&fixture("dns.json")).unwrap()
}

/// Answers exactly the names the job asks for, from `zone` (NXDOMAIN for the others).
fn answers(job: &DkimJob, zone: &BTreeMap<String, Vec<String>>) -> Vec<DnsAnswer> {
    job.dns_queries()
        .into_iter()
        .map(|q| DnsAnswer {
            result: match zone.get(&q.name) {
                Some(r) => DnsResult::Txt(r.clone()),
                None => DnsResult::NoRecord,
            },
            name: q.name,
        })
        .collect()
}

/// A job for `raw` at `now` whose DNS questions `zone` has answered.
fn answered(raw: &[u8], zone: &BTreeMap<String, Vec<String>>, now: i64) -> DkimJob {
    let mut job = DkimJob::new(raw, now);
    let a = answers(&job, zone);
    job.set_dns(a);
    job
}

fn check_with(raw: &[u8], zone: &BTreeMap<String, Vec<String>>, now: i64) -> DkimVerdict {
    answered(raw, zone, now).run(answer_locally)
}

fn check(raw: &[u8]) -> DkimVerdict {
    check_with(raw, &zone(), NOW)
}

fn replace(raw: &[u8], from: &str, to: &str) -> Vec<u8> {
    let s = String::from_utf8(raw.to_vec()).unwrap();
    assert!(s.contains(from), "{from:?} is in the mail");
    s.replacen(from, to, 1).into_bytes()
}

fn assert_green(v: &DkimVerdict, domain: &str) {
    assert_eq!(v.status, Status::Verified, "{v:#?}");
    assert_eq!(v.reason, None);
    assert_eq!(v.signing_domain.as_deref(), Some(domain));
    assert_eq!(
        v.summary,
        format!("Sent through {domain}'s mail servers; the text is unchanged.")
    );
}

fn assert_reason(v: &DkimVerdict, status: Status, reason: DkimReason) {
    assert_eq!(v.reason.as_ref(), Some(&reason), "{v:#?}");
    assert_eq!(v.status, status, "{v:#?}");
    assert_eq!(v.signing_domain, None);
}

#[test]
fn rsa_2048_and_1024_and_ed25519_signatures_verify() {
    for name in [
        "rsa2048-relaxed.eml",
        "rsa2048-simple.eml",
        "rsa1024.eml",
        "ed25519.eml",
        "dual.eml",
        "length.eml",
    ] {
        let v = check(&fixture(name));
        assert_green(&v, "example.com");
        assert_eq!(v.from_domain.as_deref(), Some("example.com"));
        assert_eq!(v.dmarc_policy, Some(DmarcPolicy::Reject), "{name}");
    }
    let v = check(&fixture("rsa1024.eml"));
    assert_eq!(v.signatures[0].algorithm, "rsa-sha256, 1024 bits");
    assert_eq!(check(&fixture("dual.eml")).signatures.len(), 2);
}

#[test]
fn a_tampered_header_fails_and_is_red_under_a_reject_policy() {
    for name in ["rsa2048-relaxed.eml", "ed25519.eml"] {
        let raw = replace(&fixture(name), "Quarterly report", "Quarterly rePort");
        let v = check(&raw);
        assert_reason(&v, Status::Invalid, DkimReason::HeaderChanged);
        assert!(
            v.explanation.contains("example.com signs all its mail"),
            "{v:#?}"
        );
    }
}

#[test]
fn a_tampered_body_fails_red_only_where_the_domain_asks_for_it() {
    let raw = replace(&fixture("rsa2048-relaxed.eml"), "Alice\r\n", "Mallory\r\n");
    let v = check(&raw);
    assert_reason(&v, Status::Invalid, DkimReason::BodyChanged);
    assert_eq!(
        v.summary,
        "The text was changed after the sender's domain signed it."
    );
    // example.org publishes p=none: a failure, not a red warning.
    let raw = replace(&fixture("no-dmarc-reject.eml"), "Alice\r\n", "Mallory\r\n");
    assert_green(&check(&fixture("no-dmarc-reject.eml")), "example.org");
    assert_reason(&check(&raw), Status::NotVerified, DkimReason::BodyChanged);
}

#[test]
fn relaxed_whitespace_changes_still_pass_and_simple_ones_do_not() {
    let change = |raw: &[u8]| {
        let raw = replace(
            raw,
            "Subject: Quarterly report",
            "subject:  Quarterly \t report ",
        );
        let raw = replace(
            &raw,
            "attached  in spirit.   \r\n",
            "attached \t in spirit.\r\n",
        );
        // Empty lines at the end of the body are ignored by both canonicalisations.
        let mut raw = raw;
        raw.extend_from_slice(b"\r\n\r\n");
        raw
    };
    assert_green(
        &check(&change(&fixture("rsa2048-relaxed.eml"))),
        "example.com",
    );
    let v = check(&change(&fixture("rsa2048-simple.eml")));
    assert_reason(&v, Status::Invalid, DkimReason::BodyChanged);
    // Only the trailing empty lines: simple passes too (§3.4.3).
    let mut raw = fixture("rsa2048-simple.eml");
    raw.extend_from_slice(b"\r\n\r\n");
    assert_green(&check(&raw), "example.com");
}

#[test]
fn text_appended_after_the_signed_length_is_not_green() {
    let mut raw = fixture("length.eml");
    raw.extend_from_slice(b"P.S. Please wire the money to account 12345.\r\n");
    let v = check(&raw);
    assert_reason(
        &v,
        Status::NotVerified,
        DkimReason::TextAdded {
            signed: 66,
            total: 112,
        },
    );
    assert_eq!(v.summary, "Text was added after the signed part.");
}

#[test]
fn a_signature_that_does_not_cover_from_is_not_green() {
    let v = check(&fixture("from-not-signed.eml"));
    assert_reason(&v, Status::NotVerified, DkimReason::FromNotSigned);
}

#[test]
fn a_second_from_fails_wherever_it_is() {
    let raw = fixture("rsa2048-relaxed.eml");
    for (at, field) in [
        (
            "From: Alice",
            "From: Mallory <mallory@evil.example>\r\nFrom: Alice",
        ),
        (
            "\r\n\r\n",
            "\r\nFrom: Mallory <mallory@evil.example>\r\n\r\n",
        ),
    ] {
        let v = check(&replace(&raw, at, field));
        assert_reason(
            &v,
            Status::NotVerified,
            DkimReason::SeveralFrom { count: 2 },
        );
    }
    let v = check(&replace(
        &raw,
        "<alice@example.com>",
        "<alice@example.com>, mallory@evil.example",
    ));
    assert_reason(
        &v,
        Status::NotVerified,
        DkimReason::SeveralFrom { count: 2 },
    );
}

#[test]
fn a_revoked_key_and_a_testing_key_are_not_green() {
    assert_reason(
        &check(&fixture("revoked.eml")),
        Status::NotVerified,
        DkimReason::KeyRevoked,
    );
    let v = check(&fixture("testing.eml"));
    assert_reason(&v, Status::NotVerified, DkimReason::TestingKey);
    // Treated as unsigned mail even when it fails (§3.6.1): not red under example.com's p=reject.
    let tampered = replace(&fixture("testing.eml"), "Alice\r\n", "Mallory\r\n");
    assert_reason(
        &check(&tampered),
        Status::NotVerified,
        DkimReason::TestingKey,
    );
    // The same signature with the flag gone from the record verifies.
    let mut zone = zone();
    let rec = zone["testing._domainkey.example.com"][0].replace("t=y; ", "");
    zone.insert("testing._domainkey.example.com".into(), vec![rec]);
    assert_green(
        &check_with(&fixture("testing.eml"), &zone, NOW),
        "example.com",
    );
}

#[test]
fn an_expired_signature_is_not_green_after_x_and_is_before() {
    let raw = fixture("expired.eml");
    let v = check(&raw);
    assert_reason(
        &v,
        Status::NotVerified,
        DkimReason::Expired {
            at: "2026-05-29T20:26:40Z".into(),
        },
    );
    assert_green(&check_with(&raw, &zone(), SIGNED + 3600), "example.com");
}

#[test]
fn a_from_domain_not_aligned_with_the_signer_is_not_green() {
    let v = check(&fixture("unaligned.eml"));
    assert_reason(
        &v,
        Status::NotVerified,
        DkimReason::NotAligned {
            signer: "mailer.example.net".into(),
            from: "example.com".into(),
        },
    );
    assert_eq!(
        v.summary,
        "The message was signed by mailer.example.net, not by the sender's domain example.com."
    );
    // The signature itself is good.
    assert_eq!(v.signatures[0].outcome, None);
    assert!(!v.signatures[0].aligned);
}

#[test]
fn subdomain_alignment_is_relaxed_by_default_and_strict_when_asked() {
    // d=mail.example.com for From @example.com, adkim=r.
    assert_green(&check(&fixture("subdomain-signer.eml")), "mail.example.com");
    // From @news.example.com, d=example.com: the policy is the organisational domain's sp=.
    let v = check(&fixture("subdomain-from.eml"));
    assert_green(&v, "example.com");
    assert_eq!(v.dmarc_policy, Some(DmarcPolicy::Quarantine));
    // adkim=s: d=mail.strict-example.org does not align with strict-example.org.
    let raw = fixture("strict-alignment.eml");
    let v = check(&raw);
    assert_reason(
        &v,
        Status::NotVerified,
        DkimReason::NotAligned {
            signer: "mail.strict-example.org".into(),
            from: "strict-example.org".into(),
        },
    );
    let mut zone = zone();
    zone.insert(
        "_dmarc.strict-example.org".into(),
        vec!["v=DMARC1; p=quarantine; adkim=r".into()],
    );
    assert_green(&check_with(&raw, &zone, NOW), "mail.strict-example.org");
}

#[test]
fn weak_signatures_are_never_green() {
    let v = check(&fixture("rsa512.eml"));
    assert_reason(
        &v,
        Status::NotVerified,
        DkimReason::Weak {
            what: "an RSA key of 512 bits".into(),
        },
    );
    let v = check(&fixture("rsa-sha1.eml"));
    assert_reason(
        &v,
        Status::NotVerified,
        DkimReason::Weak {
            what: "it uses SHA-1".into(),
        },
    );
}

#[test]
fn the_key_records_restrictions_hold() {
    let v = check(&fixture("sha1-only-key.eml"));
    assert_reason(
        &v,
        Status::NotVerified,
        DkimReason::Malformed {
            what: "the key may not be used with SHA256".into(),
        },
    );
    let v = check(&fixture("strict-key.eml"));
    assert_reason(
        &v,
        Status::NotVerified,
        DkimReason::Malformed {
            what: "the key may only sign for example.com itself, not for mail.example.com".into(),
        },
    );
}

#[test]
fn a_missing_or_unreachable_key_is_said_so() {
    let raw = fixture("rsa2048-relaxed.eml");
    let name = "rsa2048._domainkey.example.com";
    let mut zone = zone();
    zone.remove(name);
    assert_reason(
        &check_with(&raw, &zone, NOW),
        Status::NotVerified,
        DkimReason::KeyNotFound { name: name.into() },
    );
    // A failed lookup, and a name the caller did not answer at all.
    for given in [
        vec![DnsAnswer {
            name: name.into(),
            result: DnsResult::Failed,
        }],
        vec![],
    ] {
        let mut job = DkimJob::new(&raw, NOW);
        job.set_dns(given);
        assert_reason(
            &job.run(answer_locally),
            Status::NotVerified,
            DkimReason::DnsFailed { name: name.into() },
        );
    }
}

#[test]
fn the_core_names_the_records_it_needs() {
    let job = DkimJob::new(&fixture("subdomain-from.eml"), NOW);
    let q: Vec<(String, QueryPurpose)> = job
        .dns_queries()
        .into_iter()
        .map(|q| (q.name, q.purpose))
        .collect();
    assert_eq!(
        q,
        [
            (
                "rsa2048._domainkey.example.com".to_string(),
                QueryPurpose::Key
            ),
            ("_dmarc.news.example.com".to_string(), QueryPurpose::Dmarc),
            ("_dmarc.example.com".to_string(), QueryPurpose::Dmarc),
        ]
    );
    let job = DkimJob::new(&fixture("dual.eml"), NOW);
    let names: Vec<String> = job.dns_queries().into_iter().map(|q| q.name).collect();
    assert_eq!(
        names,
        [
            "ed._domainkey.example.com",
            "rsa2048._domainkey.example.com",
            "_dmarc.example.com"
        ]
    );
}

#[test]
fn of_several_signatures_the_aligned_valid_one_counts() {
    // dual.eml: Ed25519 and RSA by example.com. With the Ed25519 key withdrawn, RSA carries it.
    let mut zone = zone();
    zone.insert(
        "ed._domainkey.example.com".into(),
        vec!["v=DKIM1; k=ed25519; p=".into()],
    );
    let v = check_with(&fixture("dual.eml"), &zone, NOW);
    assert_green(&v, "example.com");
    assert_eq!(v.signatures[0].outcome, Some(DkimReason::KeyRevoked));
    assert_eq!(v.signatures[1].outcome, None);
    // An unaligned valid signature next to a broken aligned one: the aligned one's reason.
    let outer = fixture("unaligned.eml");
    let sig_end = outer.windows(7).position(|w| w == b"\r\nFrom:").unwrap() + 2;
    let mut raw = outer[..sig_end].to_vec();
    raw.extend_from_slice(&fixture("revoked.eml"));
    let v = check(&raw);
    assert_reason(&v, Status::NotVerified, DkimReason::KeyRevoked);
}

#[test]
fn rsa_goes_to_the_offload_and_its_answer_is_used() {
    let raw = fixture("rsa2048-relaxed.eml");
    let mut job = answered(&raw, &zone(), NOW);
    let DkimStep::Need(requests) = job.step() else {
        panic!("RSA is asked for");
    };
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].scheme,
        SignatureScheme::RsaPkcs1 {
            hash: HashAlg::Sha256
        }
    );
    assert_eq!(answer_locally(&requests[0]), SignatureAnswer::Valid);
    // A "no" from WebCrypto is a bad signature.
    job.answer(vec![SignatureAnswer::Invalid]).unwrap();
    let DkimStep::Done(v) = job.step() else {
        panic!("done");
    };
    assert_reason(&v, Status::Invalid, DkimReason::HeaderChanged);
    // "Unavailable": the core checks it itself.
    let mut job = answered(&raw, &zone(), NOW);
    assert!(matches!(job.step(), DkimStep::Need(_)));
    assert!(
        job.answer(vec![]).is_err(),
        "answers must match the requests"
    );
    job.answer(vec![SignatureAnswer::Unavailable]).unwrap();
    let DkimStep::Done(v) = job.step() else {
        panic!("done");
    };
    assert_green(&v, "example.com");
}

/// The signature requests of the job's first step (none when it is done at once).
fn asked(raw: &[u8], zone: &BTreeMap<String, Vec<String>>) -> usize {
    let mut job = answered(raw, zone, NOW);
    match job.step() {
        DkimStep::Need(r) => r.len(),
        DkimStep::Done(_) => 0,
    }
}

#[test]
fn ed25519_goes_to_the_offload_and_its_answer_is_used() {
    let raw = fixture("ed25519.eml");
    let mut job = answered(&raw, &zone(), NOW);
    let DkimStep::Need(requests) = job.step() else {
        panic!("Ed25519 is asked for");
    };
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].scheme, SignatureScheme::Ed25519);
    // RFC 8410 §4's SubjectPublicKeyInfo, the SHA-256 of the hash input (RFC 8463 §3).
    assert_eq!(requests[0].spki.len(), 44);
    assert_eq!(requests[0].message.len(), 32);
    assert_eq!(answer_locally(&requests[0]), SignatureAnswer::Valid);
    job.answer(vec![SignatureAnswer::Invalid]).unwrap();
    let DkimStep::Done(v) = job.step() else {
        panic!("done");
    };
    assert_reason(&v, Status::Invalid, DkimReason::HeaderChanged);
    // "Unavailable": the core checks it itself (natively; the wasm says it could not).
    let mut job = answered(&raw, &zone(), NOW);
    assert!(matches!(job.step(), DkimStep::Need(_)));
    job.answer(vec![SignatureAnswer::Unavailable]).unwrap();
    let DkimStep::Done(v) = job.step() else {
        panic!("done");
    };
    assert_green(&v, "example.com");
}

/// ed25519.eml with its signature (b=) changed by `change`.
fn with_ed25519_signature(change: impl FnOnce(&mut [u8; 64])) -> Vec<u8> {
    use base64::Engine;
    let raw = fixture("ed25519.eml");
    let text = String::from_utf8(raw).unwrap();
    let start = text.find("\r\n b=").unwrap() + 5;
    let end = start + text[start..].find("\r\nFrom:").unwrap();
    let b64: String = text[start..end].split_whitespace().collect();
    let engine = base64::engine::general_purpose::STANDARD;
    let mut sig: [u8; 64] = engine.decode(b64).unwrap().try_into().unwrap();
    change(&mut sig);
    format!("{}{}{}", &text[..start], engine.encode(sig), &text[end..]).into_bytes()
}

#[test]
fn ed25519_keys_and_signatures_the_strict_rules_refuse_are_never_asked() {
    use base64::Engine;
    let engine = base64::engine::general_purpose::STANDARD;
    let key = |k: [u8; 32]| {
        let mut zone = zone();
        let record = format!("v=DKIM1; k=ed25519; p={}", engine.encode(k));
        zone.insert("ed._domainkey.example.com".into(), vec![record]);
        zone
    };
    let outcome = |v: &DkimVerdict| v.signatures[0].outcome.clone();
    let raw = fixture("ed25519.eml");
    // y = 2 is on no point of the curve: a malformed key.
    let mut not_a_point = [0u8; 32];
    not_a_point[0] = 2;
    let v = check_with(&raw, &key(not_a_point), NOW);
    assert_eq!(
        outcome(&v),
        Some(DkimReason::Malformed {
            what: "its Ed25519 key is not a valid point".into()
        })
    );
    assert_eq!(asked(&raw, &key(not_a_point)), 0);
    // The identity is a point, of small order: the signature cannot be valid.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let v = check_with(&raw, &key(identity), NOW);
    assert_eq!(outcome(&v), Some(DkimReason::HeaderChanged));
    assert_eq!(asked(&raw, &key(identity)), 0);
    // S + L (RFC 8032 §5.1.7: S must be below L), and a small-order R.
    let big_s = with_ed25519_signature(|sig| {
        let mut carry = 0u16;
        for (s, l) in sig[32..].iter_mut().zip(impalemail::smime::ed25519::ORDER) {
            let t = u16::from(*s) + u16::from(l) + carry;
            *s = t as u8;
            carry = t >> 8;
        }
    });
    let small_r = with_ed25519_signature(|sig| sig[..32].copy_from_slice(&identity));
    for raw in [big_s, small_r] {
        let v = check(&raw);
        assert_reason(&v, Status::Invalid, DkimReason::HeaderChanged);
        assert_eq!(asked(&raw, &zone()), 0);
    }
    // The unchanged signature, re-encoded, is still asked and good.
    let same = with_ed25519_signature(|_| ());
    assert_green(&check(&same), "example.com");
    assert_eq!(asked(&same, &zone()), 1);
}

#[test]
fn bare_lf_messages_and_unsigned_ones() {
    let raw = fixture("rsa2048-simple.eml");
    let lf = String::from_utf8(raw).unwrap().replace("\r\n", "\n");
    assert_green(&check(lf.as_bytes()), "example.com");
    let v = check(b"From: a@example.com\r\nSubject: hi\r\n\r\nhello\r\n");
    assert_reason(&v, Status::NotVerified, DkimReason::Unsigned);
    assert_eq!(v.summary, "The message has no domain signature (DKIM).");
    assert_eq!(v.dmarc_policy, Some(DmarcPolicy::Reject));
}

#[test]
fn the_verdict_serialises_for_the_extension() {
    let v = check(&fixture("unaligned.eml"));
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(json["status"], "not_verified");
    assert_eq!(json["reason"]["kind"], "not_aligned");
    assert_eq!(json["dmarc"]["policy"], "reject");
    let back: DkimVerdict = serde_json::from_value(json).unwrap();
    assert_eq!(back, v);
}

#[test]
fn the_rfc_8463_example_and_dkimpys_rfc_6376_example_verify() {
    let zone: BTreeMap<String, Vec<String>> =
        serde_json::from_slice(&fixture("rfc8463-dns.json")).unwrap();
    for name in ["rfc8463-a3.eml", "dkimpy-rfc6376-simple.eml"] {
        let raw = fixture(name);
        let v = check_with(&raw, &zone, NOW);
        assert_green(&v, "football.example.com");
        let outcomes: Vec<_> = v
            .signatures
            .iter()
            .map(|s| (&s.algorithm[..], &s.outcome))
            .collect();
        assert_eq!(
            outcomes,
            [("ed25519-sha256", &None), ("rsa-sha256, 1024 bits", &None)],
            "{name}"
        );
        // Each signature on its own fails when the text changes.
        let raw = replace(&raw, "hungry", "angry");
        let v = check_with(&raw, &zone, NOW);
        assert_reason(&v, Status::NotVerified, DkimReason::BodyChanged);
        assert!(v
            .signatures
            .iter()
            .all(|s| s.outcome == Some(DkimReason::BodyChanged)));
    }
}

/// The first `DKIM-Signature` field of a fixture (with its CRLF) and the rest of the mail.
fn first_signature(name: &str) -> (Vec<u8>, Vec<u8>) {
    let raw = fixture(name);
    let end = raw.windows(7).position(|w| w == b"\r\nFrom:").unwrap() + 2;
    (raw[..end].to_vec(), raw[end..].to_vec())
}

#[test]
fn signatures_per_message_limit() {
    use impalemail::dkim::MAX_SIGNATURES;
    let (revoked, _) = first_signature("revoked.eml");
    let good = fixture("rsa2048-relaxed.eml");
    let with_before = |n: usize| {
        let mut raw = revoked.repeat(n);
        raw.extend_from_slice(&good);
        raw
    };
    // The good one is the last looked at.
    let v = check(&with_before(MAX_SIGNATURES - 1));
    assert_green(&v, "example.com");
    assert_eq!(v.signatures.len(), MAX_SIGNATURES);
    // One more: it is not looked at, nor its key asked for.
    let raw = with_before(MAX_SIGNATURES);
    let v = check(&raw);
    assert_reason(&v, Status::NotVerified, DkimReason::KeyRevoked);
    assert_eq!(v.signatures.len(), MAX_SIGNATURES);
    let keys = DkimJob::new(&raw, NOW)
        .dns_queries()
        .into_iter()
        .filter(|q| q.purpose == QueryPurpose::Key)
        .count();
    assert_eq!(keys, 1, "eight copies of one signature, one name");
}

#[test]
fn signature_field_length_limit() {
    use impalemail::dkim::MAX_SIGNATURE_FIELD_LEN;
    let (field, rest) = first_signature("rsa2048-relaxed.eml");
    // Spaces before the first line end: the relaxed form, and so the signature, is the same.
    let first_eol = field.windows(2).position(|w| w == b"\r\n").unwrap();
    let padded = |len: usize| {
        let mut f = field[..first_eol].to_vec();
        f.resize(first_eol + len - field.len(), b' ');
        f.extend_from_slice(&field[first_eol..]);
        assert_eq!(f.len(), len);
        [f, rest.clone()].concat()
    };
    assert_green(&check(&padded(MAX_SIGNATURE_FIELD_LEN)), "example.com");
    let v = check(&padded(MAX_SIGNATURE_FIELD_LEN + 1));
    assert_reason(
        &v,
        Status::NotVerified,
        DkimReason::Malformed {
            what: "its field is longer than 16384 bytes".into(),
        },
    );
}

#[test]
fn signed_headers_limit() {
    use impalemail::dkim::signature::{DkimSignature, SignatureError};
    use impalemail::dkim::MAX_SIGNED_HEADERS;
    let tags = |n: usize| {
        let h = vec!["from"; n].join(":");
        format!("v=1; a=rsa-sha256; d=example.com; s=s; h={h}; bh=AAAA; b=AAAA")
    };
    let s = DkimSignature::parse(&tags(MAX_SIGNED_HEADERS)).unwrap();
    assert_eq!(s.signed_headers.len(), MAX_SIGNED_HEADERS);
    assert_eq!(
        DkimSignature::parse(&tags(MAX_SIGNED_HEADERS + 1)),
        Err(SignatureError::Malformed(format!(
            "it signs more than {MAX_SIGNED_HEADERS} headers"
        )))
    );
}

#[test]
fn record_length_and_records_per_name_limits() {
    use impalemail::dkim::{MAX_RECORDS_PER_NAME, MAX_RECORD_LEN};
    let raw = fixture("rsa2048-relaxed.eml");
    let name = "rsa2048._domainkey.example.com";
    let key = zone()[name][0].clone();
    let with = |records: Vec<String>| {
        let mut zone = zone();
        zone.insert(name.into(), records);
        check_with(&raw, &zone, NOW)
    };
    // A notes tag (n=) makes the record as long as wanted.
    let long = |len: usize| {
        let r = format!("{key}; n={}", "x".repeat(len - key.len() - 4));
        assert_eq!(r.len(), len);
        r
    };
    assert_green(&with(vec![long(MAX_RECORD_LEN)]), "example.com");
    assert_reason(
        &with(vec![long(MAX_RECORD_LEN + 1)]),
        Status::NotVerified,
        DkimReason::Malformed {
            what: "its key record: it is longer than 8192 bytes".into(),
        },
    );
    let junk = || "google-site-verification=abc".to_string();
    let mut records = vec![junk(); MAX_RECORDS_PER_NAME - 1];
    records.push(key.clone());
    assert_green(&with(records), "example.com");
    let mut records = vec![junk(); MAX_RECORDS_PER_NAME];
    records.push(key);
    let v = with(records);
    assert_eq!(v.status, Status::NotVerified);
    assert!(
        matches!(&v.reason, Some(DkimReason::Malformed { what }) if what.starts_with("its key record")),
        "{v:#?}"
    );
}
