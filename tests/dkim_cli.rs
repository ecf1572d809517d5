//! `impalemail verify --dkim --dns-answers FILE` in-process: exit codes, `--json`, option
//! errors. DNS answers from `tests/fixtures/dkim/dns.json`; fixed clock via --at.
#![allow(clippy::unwrap_used)]

fn dir() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/dkim/").to_string()
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

fn dkim(mail: &str, extra: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let answers = format!("{}dns.json", dir());
    let path = if mail == "-" {
        mail.to_string()
    } else {
        format!("{}{mail}", dir())
    };
    let mut args = vec![
        "--dkim",
        "--dns-answers",
        &answers,
        "--at",
        "2026-09-21T00:00:00Z",
    ];
    args.extend_from_slice(extra);
    args.push(&path);
    run(&args, stdin)
}

#[test]
fn exit_codes_follow_the_verdict() {
    let (code, out, _) = dkim("dual.eml", &[], b"");
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("VERIFIED (DKIM): Sent through example.com's mail servers"),
        "{out}"
    );
    assert!(
        out.contains(
            "signature 2: d=example.com s=rsa2048 (rsa-sha256, 2048 bits, aligned): valid"
        ),
        "{out}"
    );
    let (code, out, _) = dkim("unaligned.eml", &[], b"");
    assert_eq!(code, 2, "{out}");
    // A changed body, from stdin, under example.com's p=reject: invalid.
    let raw = std::fs::read(format!("{}rsa2048-relaxed.eml", dir())).unwrap();
    let raw = String::from_utf8(raw)
        .unwrap()
        .replace("Alice\r\n", "Mallory\r\n");
    let (code, out, _) = dkim("-", &[], raw.as_bytes());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("The text was changed after the sender's domain signed it."),
        "{out}"
    );
}

#[test]
fn json_is_the_verdict() {
    let (code, out, _) = dkim("expired.eml", &["--json"], b"");
    assert_eq!(code, 2);
    let v: impalemail::dkim::DkimVerdict = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v.reason,
        Some(impalemail::dkim::DkimReason::Expired {
            at: "2026-05-29T20:26:40Z".into()
        })
    );
}

#[test]
fn usage_errors_in_plain_words() {
    let mail = format!("{}dual.eml", dir());
    let (code, _, err) = run(&["--dkim", &mail], b"");
    assert_eq!(code, 3);
    assert_eq!(
        err,
        "impalemail verify: --dkim goes with --dns-answers or --doh; try --help\n"
    );
    let bad = format!("{}gen.py", dir());
    let (code, _, err) = run(&["--dkim", "--dns-answers", &bad, &mail], b"");
    assert_eq!(code, 3);
    assert!(
        err.contains("is not a JSON object of DNS names to lists of TXT records"),
        "{err}"
    );
}
