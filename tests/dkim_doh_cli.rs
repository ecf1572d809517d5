//! `impalemail verify --dkim --doh URL` against the tests' DNS-over-HTTPS stand-in on 127.0.0.1
//! (`tests/e2e/lib/doh-server.mjs`, run with Node, serving `tests/fixtures/dkim/dns.json`): the
//! same exit statuses as `--dns-answers`, and each way a resolver fails (NXDOMAIN, SERVFAIL,
//! garbage, no answer) is a failed or missing key, never green or red.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The stand-in, killed when dropped.
struct Stand {
    child: Child,
    url: String,
}

impl Drop for Stand {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn stand_in() -> Stand {
    let mut child = Command::new("node")
        .arg(format!("{ROOT}/tests/e2e/lib/doh-server.mjs"))
        .arg(format!("{ROOT}/tests/fixtures/dkim/dns.json"))
        .stdout(Stdio::piped())
        .spawn()
        .expect("node runs the DoH stand-in (the project's tests need Node)");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    Stand {
        child,
        url: line.trim().to_string(),
    }
}

fn verify(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = impalemail::cli::verify::run(&args, &mut &stdin[..], &mut out, &mut err);
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

fn dkim(resolver: &str, mail: &str, stdin: &[u8]) -> (i32, String) {
    let path = if mail == "-" {
        "-".to_string()
    } else {
        format!("{ROOT}/tests/fixtures/dkim/{mail}")
    };
    let (code, out, err) = verify(
        &[
            "--dkim",
            "--doh",
            resolver,
            "--at",
            "2026-09-21T00:00:00Z",
            "--json",
            &path,
        ],
        stdin,
    );
    assert!(err.is_empty(), "{err}");
    (code, out)
}

fn reason(out: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(out).unwrap();
    v["reason"]["kind"].as_str().unwrap_or("").to_string()
}

#[test]
fn doh_answers_give_the_same_verdicts_and_exit_statuses() {
    let s = stand_in();
    let zone = format!("{}/dns-query", s.url);
    let (code, out) = dkim(&zone, "rsa2048-relaxed.eml", b"");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("\"signing_domain\": \"example.com\""), "{out}");
    let (code, _) = dkim(&zone, "ed25519.eml", b"");
    assert_eq!(code, 0);
    // A key over 255 bytes (several character-strings) and a name with two TXT records.
    let (code, out) = dkim(&zone, "subdomain-signer.eml", b"");
    assert_eq!(code, 0, "{out}");
    let raw = std::fs::read(format!("{ROOT}/tests/fixtures/dkim/rsa2048-relaxed.eml")).unwrap();
    let changed = String::from_utf8(raw)
        .unwrap()
        .replace("Alice\r\n", "Mallory\r\n");
    let (code, out) = dkim(&zone, "-", changed.as_bytes());
    assert_eq!((code, reason(&out).as_str()), (1, "body_changed"), "{out}");
    let (code, out) = dkim(&zone, "unaligned.eml", b"");
    assert_eq!((code, reason(&out).as_str()), (2, "not_aligned"), "{out}");
}

#[test]
fn a_resolver_that_fails_never_gives_green_or_red() {
    let s = stand_in();
    let (code, out) = dkim(&format!("{}/nxdomain", s.url), "rsa2048-relaxed.eml", b"");
    assert_eq!((code, reason(&out).as_str()), (2, "key_not_found"), "{out}");
    for broken in ["servfail", "garbage", "timeout", "no-such-path"] {
        let (code, out) = dkim(&format!("{}/{broken}", s.url), "rsa2048-relaxed.eml", b"");
        assert_eq!(
            (code, reason(&out).as_str()),
            (2, "dns_failed"),
            "{broken}: {out}"
        );
    }
}

#[test]
fn only_https_or_this_computer() {
    let mail = format!("{ROOT}/tests/fixtures/dkim/dual.eml");
    let (code, _, err) = verify(
        &["--dkim", "--doh", "http://dns.example.net/dns-query", &mail],
        b"",
    );
    assert_eq!(code, 3);
    assert!(
        err.contains("is not a resolver address; use https://"),
        "{err}"
    );
    let answers = format!("{ROOT}/tests/fixtures/dkim/dns.json");
    let (code, _, err) = verify(
        &[
            "--dkim",
            "--doh",
            "https://dns.quad9.net/dns-query",
            "--dns-answers",
            &answers,
            &mail,
        ],
        b"",
    );
    assert_eq!(code, 3);
    assert!(err.contains("give one of them"), "{err}");
}
