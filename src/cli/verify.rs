//! `impalemail verify`: check the S/MIME signature of one message file (or stdin); with
//! `--dkim`, its DKIM signature and DMARC alignment instead ([`super::dkim`]).
//!
//! Exit status: 0 verified (green), 1 invalid, 2 neither (unsigned, partly signed, signer
//! mismatch, untrusted, unsupported, weak...), 3 usage error or unreadable input.
//! The check time defaults to the system clock (the only clock read, here in the CLI).

use std::io::{Read, Write};

use crate::smime::path::{AnchorSource, OnlineMode, OnlineRevocation, TrustAnchor};
use crate::smime::verdict::{days_from_civil, Status, Verdict};
use crate::smime::verify::{verify_message, VerifyOptions};
use crate::smime::x509::{Certificate, CertificateList};

const HELP: &str = "\
impalemail verify — check the S/MIME signature of a message

USAGE:
    impalemail verify [OPTIONS] <file.eml | ->

OPTIONS:
    --at <time>               Check at this RFC 3339 time (default: now), e.g. 2026-06-01T12:00:00Z
    --root <file>             Trust this root certificate (PEM or DER); repeatable
    --intermediate <file>     Extra intermediate certificate(s) (PEM or DER); repeatable
    --crl <file>              Extra CRL (PEM or DER); repeatable
    --no-builtin-roots        Do not trust the built-in (Mozilla) e-mail roots
    --skip-sender-check       Do not bind the signer to From (conformance suites only)
    --require-revocation      Treat a certificate whose revocation status cannot be
                              established from the CRLs in the message or given with --crl
                              as not verified; the NIST PKITS setting
    --ocsp-response <file>    An OCSP answer (DER, RFC 6960) for a certificate of the chain,
                              fetched beforehand (the --json verdict names each responder
                              and request: details.revocation); repeatable. Nothing is
                              fetched: the command line stays offline
    --online                  Fetch what the check names, as the extension does with online
                              revocation on: missing intermediates from the caIssuers URLs,
                              OCSP answers, then CRLs from the distribution points (http only,
                              no cookies, no redirects, time and size limits). The certificate
                              authorities learn which certificates are checked, and when
    --revocation <mode>       What a certificate whose status no CRL or OCSP answer settles
                              means when it names a responder or a distribution point:
                              `soft` a warning (the default with --ocsp-response or
                              --online), `hard` not verified, `off` nothing (the default)
    --strict                  Hold the chain to the RFC 5280 profile rules (authority and
                              subject key identifiers, positive serial numbers, subjects):
                              a broken one is invalid, not a warning (as openssl -x509_strict)
    --dkim                    Check the DKIM signature and DMARC alignment (RFC 6376, RFC 7489)
                              instead of S/MIME; needs --dns-answers or --doh
    --dns-answers <file>      With --dkim: the DNS TXT records, a JSON object of names to
                              lists of records; a name it does not hold has no record
    --doh <url>               With --dkim: ask this DNS-over-HTTPS resolver (RFC 8484), e.g.
                              https://dns.quad9.net/dns-query; it learns the signing and
                              From domains. A name it cannot answer is a failed lookup
    --json                    Print the verdict as JSON
    -h, --help                Print this help

EXIT STATUS:
    0 verified, 1 invalid, 2 not verified (unsigned, partial, mismatch, untrusted,
    unsupported, weak, revocation unknown), 3 usage error or unreadable input
";

/// Runs `impalemail verify`; returns the exit status.
pub fn run(
    args: &[String],
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    match run_inner(args, stdin, stdout, stderr) {
        Ok(code) => code,
        Err(msg) => {
            let _ = writeln!(stderr, "impalemail verify: {msg}");
            super::EXIT_USAGE
        }
    }
}

fn run_inner(
    args: &[String],
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<i32, String> {
    let mut at: Option<u64> = None;
    let mut roots: Vec<TrustAnchor> = Vec::new();
    let mut intermediates: Vec<Certificate> = Vec::new();
    let mut crls: Vec<CertificateList> = Vec::new();
    let mut builtin = true;
    let mut skip_sender = false;
    let mut require_revocation = false;
    let mut strict = false;
    let mut json = false;
    let mut ocsp: Vec<Vec<u8>> = Vec::new();
    let mut mode: Option<OnlineMode> = None;
    let mut dkim = false;
    let mut online = false;
    let mut dns_answers: Option<String> = None;
    let mut doh: Option<String> = None;
    let mut input: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value; try --help"))
        };
        match a.as_str() {
            "-h" | "--help" => {
                let _ = stdout.write_all(HELP.as_bytes());
                return Ok(0);
            }
            "--at" => {
                let v = value("--at")?;
                at = Some(parse_rfc3339(&v).ok_or_else(|| {
                    format!("--at: `{v}` is not an RFC 3339 time like 2026-06-01T12:00:00Z")
                })?);
            }
            "--root" => {
                let f = value("--root")?;
                for der in read_pem_or_der(&f, "CERTIFICATE")? {
                    roots.push(
                        TrustAnchor::from_cert_der(&der, AnchorSource::User)
                            .map_err(|e| format!("`{f}`: not a usable root certificate: {e}"))?,
                    );
                }
            }
            "--intermediate" => {
                let f = value("--intermediate")?;
                for der in read_pem_or_der(&f, "CERTIFICATE")? {
                    intermediates.push(
                        Certificate::from_der(&der)
                            .map_err(|e| format!("`{f}`: not a certificate: {e}"))?,
                    );
                }
            }
            "--crl" => {
                let f = value("--crl")?;
                for der in read_pem_or_der(&f, "X509 CRL")? {
                    crls.push(
                        CertificateList::from_der(&der)
                            .map_err(|e| format!("`{f}`: not a CRL: {e}"))?,
                    );
                }
            }
            "--ocsp-response" => {
                let f = value("--ocsp-response")?;
                let der = std::fs::read(&f).map_err(|e| format!("cannot read `{f}`: {e}"))?;
                if der.len() > crate::smime::ocsp::MAX_RESPONSE_BYTES {
                    return Err(format!(
                        "`{f}`: larger than an OCSP answer may be ({} bytes)",
                        crate::smime::ocsp::MAX_RESPONSE_BYTES
                    ));
                }
                ocsp.push(der);
            }
            "--revocation" => {
                let v = value("--revocation")?;
                mode = Some(match v.as_str() {
                    "off" => OnlineMode::Off,
                    "soft" => OnlineMode::SoftFail,
                    "hard" => OnlineMode::HardFail,
                    _ => return Err(format!("--revocation: `{v}` is not off, soft or hard")),
                });
            }
            "--no-builtin-roots" => builtin = false,
            "--skip-sender-check" => skip_sender = true,
            "--require-revocation" => require_revocation = true,
            "--strict" => strict = true,
            "--json" => json = true,
            "--dkim" => dkim = true,
            "--online" => online = true,
            "--dns-answers" => dns_answers = Some(value("--dns-answers")?),
            "--doh" => doh = Some(value("--doh")?),
            "-" => set_input(&mut input, "-")?,
            s if s.starts_with('-') => {
                return Err(format!("unknown option `{s}`; try --help"));
            }
            s => set_input(&mut input, s)?,
        }
    }
    let input = input.ok_or("no message file given (use `-` for stdin); try --help")?;
    let source = match (&dns_answers, &doh) {
        (Some(file), None) => Some(super::dkim::DnsSource::File(file)),
        (None, Some(url)) => Some(super::dkim::DnsSource::Doh(url)),
        (None, None) => None,
        (Some(_), Some(_)) => return Err("--dns-answers and --doh: give one of them".into()),
    };
    if dkim != source.is_some() {
        return Err("--dkim goes with --dns-answers or --doh; try --help".into());
    }
    if online && (mode == Some(OnlineMode::Off) || dkim) {
        return Err("--online fetches for the S/MIME revocation check: not with --revocation off or --dkim; try --help".into());
    }
    let raw = if input == "-" {
        let mut buf = Vec::new();
        stdin
            .read_to_end(&mut buf)
            .map_err(|e| format!("cannot read stdin: {e}"))?;
        buf
    } else {
        std::fs::read(&input).map_err(|e| format!("cannot read `{input}`: {e}"))?
    };
    let now = match at {
        Some(t) => t,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|_| "the system clock is before 1970")?
            .as_secs(),
    };
    if let Some(source) = source {
        let now = i64::try_from(now).map_err(|_| "--at: the time is too far away")?;
        return super::dkim::run(&raw, now, source, json, stdout);
    }
    let mut opts = VerifyOptions::new(now, &roots);
    opts.use_builtin_roots = builtin;
    opts.intermediates = &intermediates;
    opts.crls = &crls;
    opts.skip_sender_check = skip_sender;
    opts.require_revocation = require_revocation;
    opts.strict = strict;
    let default_mode = if ocsp.is_empty() && !online {
        OnlineMode::Off
    } else {
        OnlineMode::SoftFail
    };
    opts.online = OnlineRevocation {
        ocsp_responses: &ocsp,
        crls: &[],
        mode: mode.unwrap_or(default_mode),
    };
    let verdict = if online {
        fetch_and_verify(&raw, &opts, stderr)
    } else {
        verify_message(&raw, &opts)
    };
    if json {
        let s = serde_json::to_string_pretty(&verdict).map_err(|e| e.to_string())?;
        let _ = writeln!(stdout, "{s}");
    } else {
        let _ = stdout.write_all(human(&verdict).as_bytes());
    }
    Ok(exit_code(&verdict))
}

#[cfg(not(target_arch = "wasm32"))]
fn fetch_and_verify(raw: &[u8], opts: &VerifyOptions, stderr: &mut dyn Write) -> Verdict {
    let mut notes = Vec::new();
    let v = super::online::verify_online(raw, opts, opts.online.mode, &mut notes);
    for n in notes {
        let _ = writeln!(stderr, "impalemail verify: online: {n}");
    }
    v
}

#[cfg(target_arch = "wasm32")]
fn fetch_and_verify(raw: &[u8], opts: &VerifyOptions, _: &mut dyn Write) -> Verdict {
    verify_message(raw, opts)
}

fn set_input(slot: &mut Option<String>, v: &str) -> Result<(), String> {
    if slot.is_some() {
        return Err("give exactly one message file; try --help".into());
    }
    *slot = Some(v.to_string());
    Ok(())
}

/// The exit status of a verdict: 0 verified, 1 invalid, 2 not verified.
pub fn exit_code(v: &Verdict) -> i32 {
    match v.status {
        Status::Verified => 0,
        Status::Invalid => 1,
        Status::NotVerified => 2,
    }
}

fn human(v: &Verdict) -> String {
    let mut out = String::new();
    let status = match v.status {
        Status::Verified => "VERIFIED",
        Status::Invalid => "INVALID",
        Status::NotVerified => "NOT VERIFIED",
    };
    out.push_str(&format!("{status}: {}\n", v.summary));
    if v.status != Status::Verified {
        out.push_str(&format!("  {}\n", v.explanation));
    }
    let d = &v.details;
    if let Some(s) = &d.signer {
        out.push_str(&format!(
            "signer: {} <{}>\n",
            s.name,
            s.addresses.join(", ")
        ));
        out.push_str(&format!("algorithms: {}\n", s.algorithms));
        if let Some(t) = &s.signing_time {
            out.push_str(&format!("signing time (as claimed): {t}\n"));
        }
        for u in &s.ca_issuers {
            out.push_str(&format!(
                "  missing issuer certificate, published at: {u}\n"
            ));
        }
    }
    if !d.chain.is_empty() {
        let names: Vec<&str> = d.chain.iter().map(|c| c.subject.as_str()).collect();
        out.push_str(&format!("chain: {}\n", names.join("  <-  ")));
    }
    if let Some(c) = &d.covered {
        out.push_str(&format!(
            "signed part: {} ({}, {}), whole message: {}\n",
            c.part,
            c.content_type,
            c.signature_kind,
            if d.whole_message_covered { "yes" } else { "no" }
        ));
    }
    for (i, l) in d.layers.iter().enumerate() {
        let who = l.signer.as_ref().map(|s| s.who()).unwrap_or_default();
        let algs = l
            .signer
            .as_ref()
            .map(|s| s.algorithms.as_str())
            .unwrap_or("");
        let result = l.outcome.as_ref().map_or("valid".into(), |r| r.summary());
        out.push_str(&format!(
            "layer {} ({}): {who}, {algs}: {result}\n",
            i + 1,
            l.signature_kind
        ));
    }
    for r in &d.revocation {
        use crate::smime::verdict::RevocationStatus as R;
        let status = match &r.status {
            R::Good { source, .. } => format!("good ({source})"),
            R::Revoked {
                source,
                reason,
                time,
            } => format!(
                "revoked ({source}) on {time}{}",
                reason
                    .as_ref()
                    .map(|x| format!(", {x}"))
                    .unwrap_or_default()
            ),
            R::Unknown => "unknown to the responder".into(),
            R::NotChecked { why } if why == "not checked" => why.clone(),
            R::NotChecked { why } => format!("not checked: {why}"),
        };
        out.push_str(&format!(
            "revocation of {} (serial {}): {status}\n",
            r.subject, r.serial
        ));
        if let Some(u) = &r.ocsp_url {
            out.push_str(&format!("  OCSP responder: {u}\n"));
        }
        for u in &r.crl_urls {
            out.push_str(&format!("  CRL: {u}\n"));
        }
    }
    for w in &d.warnings {
        out.push_str(&format!(
            "warning: {}\n",
            serde_json::to_string(w).unwrap_or_default()
        ));
    }
    out.push_str(&format!("checked at: {}\n", d.checked_at));
    out
}

/// Reads a file of one or more PEM blocks labelled `label`, or one DER object.
fn read_pem_or_der(path: &str, label: &str) -> Result<Vec<Vec<u8>>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read `{path}`: {e}"))?;
    let text = String::from_utf8_lossy(&bytes);
    if !text.contains("-----BEGIN") {
        return Ok(vec![bytes]);
    }
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let mut out = Vec::new();
    let mut rest: &str = &text;
    while let Some(b) = rest.find(&begin) {
        let after = &rest[b + begin.len()..];
        let e = after
            .find(&end)
            .ok_or_else(|| format!("`{path}`: unterminated PEM block"))?;
        out.push(crate::smime::mime::decode_base64(&after.as_bytes()[..e]));
        rest = &after[e + end.len()..];
    }
    if out.is_empty() {
        return Err(format!("`{path}`: no `{label}` PEM block"));
    }
    Ok(out)
}

/// Parses an RFC 3339 date-time (`2026-06-01T12:00:00Z`, `...+02:00`, fractions ignored)
/// to unix seconds.
pub fn parse_rfc3339(s: &str) -> Option<u64> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        t.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| t.parse().ok())
            .flatten()
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 60
    {
        return None;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        rest = &frac[n..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let rb = rest.as_bytes();
            if rb.len() != 6 || !matches!(rb[0], b'+' | b'-') || rb[3] != b':' {
                return None;
            }
            let oh: i64 = rest.get(1..3)?.parse().ok()?;
            let om: i64 = rest.get(4..6)?.parse().ok()?;
            if oh > 23 || om > 59 {
                return None;
            }
            let o = oh * 3600 + om * 60;
            if rb[0] == b'+' {
                o
            } else {
                -o
            }
        }
    };
    let days = days_from_civil(y, mo as u32, d as u32);
    let t = days * 86_400 + h * 3600 + mi * 60 + sec.min(59) - offset;
    u64::try_from(t).ok()
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339() {
        assert_eq!(parse_rfc3339("2026-06-01T12:00:00Z"), Some(1_780_315_200));
        assert_eq!(
            parse_rfc3339("2026-06-01T14:00:00+02:00"),
            Some(1_780_315_200)
        );
        assert_eq!(
            parse_rfc3339("2026-06-01t12:00:00.123z"),
            Some(1_780_315_200)
        );
        assert_eq!(parse_rfc3339("2026-02-30T12:00:00Z"), None);
        assert_eq!(parse_rfc3339("2026-06-01"), None);
        assert_eq!(parse_rfc3339("1969-12-31T23:59:59Z"), None);
    }
}
