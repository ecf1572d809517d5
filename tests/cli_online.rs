//! `impalemail verify --online` against servers on 127.0.0.1: an OCSP responder (`openssl ocsp`
//! in its one-shot mode, per request, as tests/e2e/lib/ocsp-responder.mjs does), a CRL server
//! and a caIssuers server, on the ports the fixture certificates name
//! (tests/fixtures/ocsp/generate.sh: 18961 OCSP, 18962 CRL; tests/fixtures/aia/generate.sh:
//! 18963 files, 18964 OCSP). Needs `openssl` on the PATH.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

const FIX: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// Every request served: "port path".
static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// What a server answers to a request (`None`: it never answers).
type Handler = fn(&str, &[u8]) -> Option<Vec<u8>>;

fn serve(port: u16, handler: Handler) {
    let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
    std::thread::spawn(move || {
        for s in listener.incoming().flatten() {
            std::thread::spawn(move || answer(s, port, handler));
        }
    });
}

fn answer(s: TcpStream, port: u16, handler: Handler) {
    let mut r = BufReader::new(s.try_clone().unwrap());
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    let path = line.split(' ').nth(1).unwrap_or("").to_string();
    let mut len = 0;
    loop {
        let mut h = String::new();
        r.read_line(&mut h).unwrap();
        if h.trim().is_empty() {
            break;
        }
        if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; len];
    r.read_exact(&mut body).unwrap();
    SEEN.lock().unwrap().push(format!("{port} {path}"));
    let Some(out) = handler(&path, &body) else {
        // Never answers: holds the connection longer than any client's time limit.
        std::thread::sleep(std::time::Duration::from_secs(60));
        return;
    };
    let mut s = s;
    let head = if out.is_empty() {
        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_string()
    } else {
        format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            out.len()
        )
    };
    let _ = s.write_all(head.as_bytes());
    let _ = s.write_all(&out);
}

/// `openssl ocsp` answering `req` from the responder in `dir`.
fn ocsp(dir: &str, req: &[u8]) -> Option<Vec<u8>> {
    static N: Mutex<u32> = Mutex::new(0);
    let n = {
        let mut n = N.lock().unwrap();
        *n += 1;
        *n
    };
    let tmp = std::env::temp_dir().join(format!("impalemail-cli-ocsp-{}-{n}", std::process::id()));
    let (q, a) = (tmp.with_extension("req"), tmp.with_extension("resp"));
    std::fs::write(&q, req).unwrap();
    let dir = PathBuf::from(FIX).join(dir);
    let (signer, key) = if dir.ends_with("aia") {
        ("pki/responder-checked.pem", "pki/responder-checked.key")
    } else {
        ("pki/responder.pem", "pki/responder.key")
    };
    let ok = Command::new("openssl")
        .current_dir(&dir)
        .args([
            "ocsp",
            "-index",
            "index.txt",
            "-CA",
            "pki/ca.pem",
            "-ndays",
            "7",
        ])
        .args(["-rsigner", signer, "-rkey", key])
        .arg("-reqin")
        .arg(&q)
        .arg("-respout")
        .arg(&a)
        .output()
        .unwrap()
        .status
        .success();
    let out = std::fs::read(&a).ok().filter(|_| ok);
    let _ = (std::fs::remove_file(q), std::fs::remove_file(a));
    out
}

fn start() {
    static STARTED: OnceLock<()> = OnceLock::new();
    STARTED.get_or_init(|| {
        serve(18961, |_, body| ocsp("ocsp", body));
        serve(18962, |_, _| {
            Some(std::fs::read(format!("{FIX}/ocsp/ca.crl")).unwrap())
        });
        serve(18963, |path, _| match path {
            "/hang" => None,
            "/huge" => Some(vec![0x30; 70 * 1024]),
            p => Some(std::fs::read(format!("{FIX}/aia/serve{p}")).unwrap_or_default()),
        });
        serve(18964, |_, body| ocsp("aia", body));
    });
}

/// Runs `impalemail verify --online --json` on a fixture mail: exit code, JSON, stderr.
fn run(dir: &str, who: &str, extra: &[&str]) -> (i32, serde_json::Value, String) {
    start();
    let out = Command::new(env!("CARGO_BIN_EXE_impalemail"))
        .args([
            "verify",
            "--online",
            "--json",
            "--no-builtin-roots",
            "--root",
        ])
        .arg(Path::new(FIX).join(dir).join("pki/root.pem"))
        .args(extra)
        .arg(Path::new(FIX).join(dir).join(format!("mail-{who}.eml")))
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (
        out.status.code().unwrap(),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn seen(prefix: &str) -> usize {
    SEEN.lock()
        .unwrap()
        .iter()
        .filter(|s| s.starts_with(prefix))
        .count()
}

#[test]
fn good_and_revoked_from_the_live_responder() {
    let (code, v, _) = run("ocsp", "alice", &[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["details"]["revocation"][0]["status"]["kind"], "good");
    assert_eq!(v["details"]["revocation"][0]["status"]["source"], "ocsp");
    let (code, v, _) = run("ocsp", "bob", &[]);
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["reason"]["kind"], "revoked");
}

#[test]
fn a_missing_intermediate_is_fetched_then_ocsp_then_the_responders_crl() {
    let (code, v, err) = run("aia", "dora", &["--revocation", "hard"]);
    assert_eq!(code, 0, "{v} {err}");
    let chain: Vec<_> = v["details"]["chain"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["subject"].clone())
        .collect();
    assert_eq!(chain.len(), 3, "{chain:?}");
    // The responder has no id-pkix-ocsp-nocheck: its CRL was fetched to trust its "good".
    assert_eq!(
        v["details"]["revocation"][0]["status"]["source"], "ocsp",
        "{v}"
    );
    assert!(seen("18963 /ca.der") >= 1 && seen("18963 /ca.crl") >= 1);
}

#[test]
fn a_certs_only_bundle_completes_the_path() {
    let (code, v, err) = run("aia", "fritz", &[]);
    assert_eq!(
        v["details"]["chain"].as_array().unwrap().len(),
        3,
        "{v} {err}"
    );
    // fritz is not in the responder's index: "unknown", a soft-fail warning, still green.
    assert_eq!(code, 0, "{v} {err}");
}

#[test]
fn garbage_too_large_and_hanging_issuers_are_plain_errors() {
    let (code, v, err) = run("aia", "gus", &[]);
    assert_eq!(
        (code, &v["reason"]["kind"]),
        (2, &serde_json::json!("untrusted_root"))
    );
    assert!(
        err.contains("/garbage: the issuer certificate download is neither a certificate nor a certificate bundle"),
        "{err}"
    );
    let (code, _, err) = run("aia", "hana", &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("/huge: the answer is larger than 65536 bytes"),
        "{err}"
    );
    let (code, _, err) = run("aia", "ivo", &[]);
    assert_eq!(code, 2);
    assert!(err.contains("/hang: no answer in time"), "{err}");
}

#[test]
fn a_loop_of_issuers_is_fetched_once_each() {
    let (code, v, _) = run("aia", "jan", &[]);
    assert_eq!(
        (code, &v["reason"]["kind"]),
        (2, &serde_json::json!("untrusted_root"))
    );
    assert_eq!(seen("18963 /loop-a.der"), 1);
    assert_eq!(seen("18963 /loop-b.der"), 1);
}

#[test]
fn online_with_revocation_off_is_a_usage_error() {
    let (code, _, err) = run("aia", "dora", &["--revocation", "off"]);
    assert_eq!(code, 3);
    assert!(err.contains("--online"), "{err}");
}

#[test]
fn a_chain_deeper_than_the_rounds_allowed_stops_after_the_last_round() {
    let (code, v, _) = run("aia", "kai", &[]);
    assert_eq!(
        (code, &v["reason"]["kind"]),
        (2, &serde_json::json!("untrusted_root"))
    );
    for level in ["3", "2", "1"] {
        assert_eq!(seen(&format!("18963 /deep-{level}.der")), 1, "deep-{level}");
    }
    // The fourth level (ca.der) would be the next round: still named, not fetched.
    assert_eq!(
        v["details"]["signer"]["ca_issuers"],
        serde_json::json!(["http://127.0.0.1:18963/ca.der"])
    );
}
