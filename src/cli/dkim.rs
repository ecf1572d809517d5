//! `impalemail verify --dkim`: the DKIM and DMARC check of one message (`crate::dkim`) with
//! DNS answers from a file, the same exit statuses as the S/MIME check. DNS over HTTPS from
//! the command line (`--doh`) is not there yet.

use std::collections::BTreeMap;
use std::io::Write;

use crate::dkim::{DkimJob, DkimVerdict, DnsAnswer, DnsResult};
use crate::smime::offload::SignatureAnswer;
use crate::smime::verdict::Status;

/// Checks `raw` at `now` with the TXT records of `answers_file`, a JSON object from DNS name
/// to its records (`{"sel._domainkey.example.com": ["v=DKIM1; p=..."]}`): a name the core
/// asks for that the file does not hold has no record. Prints the verdict, returns the
/// exit status.
pub fn run(
    raw: &[u8],
    now: i64,
    answers_file: &str,
    json: bool,
    stdout: &mut dyn Write,
) -> Result<i32, String> {
    let text =
        std::fs::read(answers_file).map_err(|e| format!("cannot read `{answers_file}`: {e}"))?;
    let zone: BTreeMap<String, Vec<String>> = serde_json::from_slice(&text).map_err(|e| {
        format!("`{answers_file}` is not a JSON object of DNS names to lists of TXT records: {e}")
    })?;
    let zone: BTreeMap<String, Vec<String>> = zone
        .into_iter()
        .map(|(name, records)| (name.trim_end_matches('.').to_ascii_lowercase(), records))
        .collect();
    let mut job = DkimJob::new(raw, now);
    let answers = job
        .dns_queries()
        .into_iter()
        .map(|q| DnsAnswer {
            result: zone
                .get(&q.name)
                .map_or(DnsResult::NoRecord, |r| DnsResult::Txt(r.clone())),
            name: q.name,
        })
        .collect();
    job.set_dns(answers);
    // "Unavailable": the core checks each RSA signature with its own maths.
    let verdict = job.run(|_| SignatureAnswer::Unavailable);
    if json {
        let s = serde_json::to_string_pretty(&verdict).map_err(|e| e.to_string())?;
        let _ = writeln!(stdout, "{s}");
    } else {
        let _ = stdout.write_all(human(&verdict).as_bytes());
    }
    Ok(match verdict.status {
        Status::Verified => 0,
        Status::Invalid => 1,
        Status::NotVerified => 2,
    })
}

fn human(v: &DkimVerdict) -> String {
    let status = match v.status {
        Status::Verified => "VERIFIED",
        Status::Invalid => "INVALID",
        Status::NotVerified => "NOT VERIFIED",
    };
    let mut out = format!("{status} (DKIM): {}\n  {}\n", v.summary, v.explanation);
    if let Some(d) = &v.from_domain {
        out.push_str(&format!("From domain: {d}\n"));
    }
    if let Some(p) = &v.dmarc_policy {
        let p = serde_json::to_string(p).unwrap_or_default();
        out.push_str(&format!("DMARC policy: {}\n", p.trim_matches('"')));
    }
    for (i, s) in v.signatures.iter().enumerate() {
        let result = s.outcome.as_ref().map_or("valid".into(), |r| r.summary());
        let aligned = if s.aligned { "aligned" } else { "not aligned" };
        out.push_str(&format!(
            "signature {}: d={} s={} ({}, {aligned}): {result}\n",
            i + 1,
            s.domain,
            s.selector,
            s.algorithm
        ));
    }
    out
}
