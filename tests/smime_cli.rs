//! `impalemail verify` in-process: exit codes, `--json`, option errors. Fixed clock via --at.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

fn smime() -> PathBuf {
    match option_env!("IMPALEMAIL_ROOT") {
        Some(root) => PathBuf::from(root).join("tests/fixtures/smime"),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/smime")),
    }
}

fn run(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = impalemail::cli::verify::run(&args, &mut &stdin[..], &mut out, &mut err);
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

fn verify(file: &str, extra: &[&str]) -> (i32, String, String) {
    let root = smime().join("pki/root.pem");
    let path = smime().join(file);
    let mut args = vec![
        "--at",
        "2027-01-01T00:00:00Z",
        "--no-builtin-roots",
        "--root",
        root.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    args.push(path.to_str().unwrap());
    run(&args, b"")
}

#[test]
fn exit_codes() {
    let (code, out, _) = verify("generated/001.eml", &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("VERIFIED"));
    assert!(out.contains("alice@example.com"));
    assert_eq!(verify("generated/016.eml", &[]).0, 1);
    assert_eq!(verify("generated/022.eml", &[]).0, 2);
    assert_eq!(verify("attacks/m1-prepended-text.eml", &[]).0, 2);
    assert_eq!(verify("attacks/i1-from-not-signer.eml", &[]).0, 2);
    // Skipping the sender check turns the I1 mail green: that is what the flag is for.
    assert_eq!(
        verify("attacks/i1-from-not-signer.eml", &["--skip-sender-check"]).0,
        0
    );
}

#[test]
fn json_output_is_the_verdict() {
    let (code, out, _) = verify("generated/018.eml", &["--json"]);
    assert_eq!(code, 1);
    let v: impalemail::smime::Verdict = serde_json::from_str(&out).unwrap();
    assert_eq!(v.status, impalemail::smime::Status::Invalid);
    assert_eq!(v.reason, Some(impalemail::smime::Reason::BadSignature));
}

#[test]
fn untrusted_without_root() {
    let path = smime().join("generated/001.eml");
    let (code, out, _) = run(
        &[
            "--at",
            "2027-01-01T00:00:00Z",
            "--no-builtin-roots",
            path.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(code, 2);
    assert!(out.contains("not issued by an authority you trust"));
}

#[test]
fn stdin_input() {
    let raw = std::fs::read(smime().join("generated/004.eml")).unwrap();
    let root = smime().join("pki/root.pem");
    let (code, _, _) = run(
        &[
            "--at",
            "2027-01-01T00:00:00Z",
            "--no-builtin-roots",
            "--root",
            root.to_str().unwrap(),
            "-",
        ],
        &raw,
    );
    assert_eq!(code, 0);
}

#[test]
fn usage_errors() {
    let (code, _, err) = run(&["--at", "yesterday", "x.eml"], b"");
    assert_eq!(code, 3);
    assert!(err.contains("RFC 3339"), "{err}");
    let (code, _, err) = run(&["--at"], b"");
    assert_eq!(code, 3);
    assert!(err.contains("needs a value"));
    let (code, _, err) = run(&["/nonexistent/mail.eml"], b"");
    assert_eq!(code, 3);
    assert!(err.contains("/nonexistent/mail.eml"), "{err}");
    let (code, _, err) = run(&["--root", "/nonexistent/root.pem", "a.eml"], b"");
    assert_eq!(code, 3);
    assert!(err.contains("/nonexistent/root.pem"));
    let (code, _, _) = run(&["--frobnicate"], b"");
    assert_eq!(code, 3);
    let (code, _, _) = run(&[], b"");
    assert_eq!(code, 3);
    let (code, out, _) = run(&["--help"], b"");
    assert_eq!(code, 0);
    assert!(out.contains("--skip-sender-check"));
}

#[test]
fn builtin_roots_do_not_trust_the_test_ca() {
    // Default: the embedded Mozilla roots only; the project's test CA is not among them.
    let path = smime().join("generated/001.eml");
    let (code, out, _) = run(
        &[
            "--at",
            "2027-01-01T00:00:00Z",
            "--json",
            path.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(code, 2);
    let v: impalemail::smime::Verdict = serde_json::from_str(&out).unwrap();
    assert_eq!(v.reason, Some(impalemail::smime::Reason::UntrustedRoot));
}

#[test]
fn require_revocation_flag() {
    // No CRL for the test CA: green by default (revocation not checked), exit 2 with the flag.
    let (code, out, _) = verify("generated/001.eml", &["--json"]);
    assert_eq!(code, 0, "{out}");
    let v: impalemail::smime::Verdict = serde_json::from_str(&out).unwrap();
    assert!(!v.details.revocation_checked);
    let (code, out, _) = verify("generated/001.eml", &["--json", "--require-revocation"]);
    assert_eq!(code, 2, "{out}");
    let v: impalemail::smime::Verdict = serde_json::from_str(&out).unwrap();
    assert_eq!(v.status, impalemail::smime::Status::NotVerified);
    assert_eq!(v.reason, Some(impalemail::smime::Reason::RevocationUnknown));
    assert!(out.contains("\"kind\": \"revocation_unknown\""), "{out}");
    let (code, out, _) = verify("generated/001.eml", &["--require-revocation"]);
    assert_eq!(code, 2);
    assert!(out.starts_with("NOT VERIFIED"), "{out}");

    // PKITS mails carry the CRLs of their CAs: 4.2.8 has them all and stays green with the
    // flag; 4.4.1 has none for its intermediate: green by default, not verified with it.
    let pkits = smime().join("../pkits");
    let p = |rel: &str| pkits.join(rel).to_str().unwrap().to_string();
    let root = p("certs/TrustAnchorRootCertificate.crt");
    let run_pkits = |stem: &str, extra: &[&str]| {
        let mail = p(&format!("smime/{stem}.eml"));
        let mut args = vec![
            "--at",
            "2026-06-01T00:00:00Z",
            "--no-builtin-roots",
            "--skip-sender-check",
            "--root",
            &root,
        ];
        args.extend_from_slice(extra);
        args.push(&mail);
        let (code, out, err) = run(&args, b"");
        assert!(code != 3, "{err}");
        (code, out)
    };
    let flag = ["--require-revocation"];
    assert_eq!(
        run_pkits("SignedValidGeneralizedTimenotAfterDateTest8", &flag).0,
        0
    );
    assert_eq!(run_pkits("SignedMissingCRLTest1", &[]).0, 0);
    let (code, out) = run_pkits("SignedMissingCRLTest1", &flag);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("revoked"), "{out}");

    let (_, help, _) = run(&["--help"], b"");
    assert!(help.contains("--require-revocation"), "{help}");
    assert!(help.contains("NIST PKITS setting"), "{help}");
}

/// `--ocsp-response` and `--revocation` (tests/fixtures/ocsp): the answer the user fetched
/// settles the certificate; hard-fail without one is not verified.
#[test]
fn verify_with_an_ocsp_answer() {
    let f = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ocsp");
    let resp = std::fs::read(format!("{f}/resp-bob-revoked.der")).unwrap();
    let made = impalemail::smime::ocsp::parse_response(&resp)
        .unwrap()
        .responses[0]
        .this_update;
    let at = impalemail::smime::verdict::format_time(made + 3600);
    let run = |extra: &[&str], mail: &str| {
        let root = format!("{f}/pki/root.pem");
        let file = format!("{f}/{mail}");
        let mut args = vec!["--no-builtin-roots", "--root", &root, "--at", &at];
        args.extend_from_slice(extra);
        args.push(&file);
        let (code, out, _) = run(&args, b"");
        (code, out)
    };
    let bob_answer = format!("{f}/resp-bob-revoked.der");
    let (code, out) = run(&["--ocsp-response", &bob_answer], "mail-bob.eml");
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("revoked (ocsp) on 2026-01-01T00:00:00Z, keyCompromise"),
        "{out}"
    );
    let (code, out) = run(&[], "mail-bob.eml");
    assert_eq!(code, 0, "offline, nothing known: {out}");
    assert!(
        out.contains("OCSP responder: http://127.0.0.1:18961/ocsp"),
        "{out}"
    );
    let (code, _) = run(&["--revocation", "hard"], "mail-alice.eml");
    assert_eq!(code, 2);
    let alice_answer = format!("{f}/resp-alice-good.der");
    let (code, out) = run(
        &["--revocation", "hard", "--ocsp-response", &alice_answer],
        "mail-alice.eml",
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("(serial 1001): good (ocsp)"), "{out}");
    let (code, _) = run(&["--revocation", "always"], "mail-alice.eml");
    assert_eq!(code, 3);
}
