//! `impalemail verify --dkim`: the DKIM and DMARC check of one message (`crate::dkim`) with
//! DNS answers from a file (`--dns-answers`) or asked of a DNS-over-HTTPS resolver (`--doh`,
//! [`super::doh`], native only), the same exit statuses as the S/MIME check.

use std::collections::BTreeMap;
use std::io::Write;

use crate::dkim::{DkimJob, DkimVerdict, DnsAnswer, DnsResult};
use crate::smime::offload::SignatureAnswer;
use crate::smime::verdict::Status;

/// Where the DNS answers come from.
#[derive(Debug, Clone, Copy)]
pub enum DnsSource<'a> {
    /// `--dns-answers FILE`: a JSON object from DNS name to its TXT records
    /// (`{"sel._domainkey.example.com": ["v=DKIM1; p=..."]}`); a name the core asks for that
    /// the file does not hold has no record.
    File(&'a str),
    /// `--doh URL`: asked of that DNS-over-HTTPS resolver (RFC 8484), one GET per name.
    Doh(&'a str),
}

/// The answers to the core's queries from `source`.
fn answers(
    source: DnsSource<'_>,
    queries: Vec<crate::dkim::DnsQuery>,
) -> Result<Vec<DnsAnswer>, String> {
    match source {
        DnsSource::File(answers_file) => {
            let text = std::fs::read(answers_file)
                .map_err(|e| format!("cannot read `{answers_file}`: {e}"))?;
            let zone: BTreeMap<String, Vec<String>> = serde_json::from_slice(&text).map_err(|e| {
                format!("`{answers_file}` is not a JSON object of DNS names to lists of TXT records: {e}")
            })?;
            let zone: BTreeMap<String, Vec<String>> = zone
                .into_iter()
                .map(|(name, records)| (name.trim_end_matches('.').to_ascii_lowercase(), records))
                .collect();
            Ok(queries
                .into_iter()
                .map(|q| DnsAnswer {
                    result: zone
                        .get(&q.name)
                        .map_or(DnsResult::NoRecord, |r| DnsResult::Txt(r.clone())),
                    name: q.name,
                })
                .collect())
        }
        #[cfg(not(target_arch = "wasm32"))]
        DnsSource::Doh(url) => {
            super::doh::check_url(url)?;
            let agent = super::doh::agent();
            Ok(queries
                .into_iter()
                .map(|q| DnsAnswer {
                    result: super::doh::lookup(&agent, url, &q.name),
                    name: q.name,
                })
                .collect())
        }
        #[cfg(target_arch = "wasm32")]
        DnsSource::Doh(_) => Err("--doh is not available in this build".into()),
    }
}

/// Checks `raw` at `now` with the TXT records from `source`. Prints the verdict, returns the
/// exit status.
pub fn run(
    raw: &[u8],
    now: i64,
    source: DnsSource<'_>,
    json: bool,
    stdout: &mut dyn Write,
) -> Result<i32, String> {
    let mut job = DkimJob::new(raw, now);
    job.set_dns(answers(source, job.dns_queries())?);
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
