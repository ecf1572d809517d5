//! DNS over HTTPS for `impalemail verify --dkim --doh URL` (RFC 8484): the command line asks
//! the resolver itself, the way the extension's background does (`extension/background/dns.js`,
//! whose choices this follows): the wire format by GET (§4.1: the query base64url-encoded in
//! `?dns=`, message ID 0, `Accept: application/dns-message`), because every DoH resolver
//! serves it and its answer carries the RCODE the mapping needs.
//!
//! The mapping to [`DnsResult`] (RFC 6376 §6.1.2): NOERROR with TXT records at the name (or at
//! the end of its CNAME chain, RFC 1034 §3.6.2) is [`DnsResult::Txt`], each record's
//! character-strings joined (RFC 6376 §3.6.2.2); NXDOMAIN, or NOERROR without a TXT record, is
//! [`DnsResult::NoRecord`]; anything else (SERVFAIL, REFUSED, a truncated or unreadable answer,
//! an answer to another question, an HTTP error or redirect, no answer within
//! [`DOH_TIMEOUT`], more than [`MAX_DOH_ANSWER_BYTES`]) is [`DnsResult::Failed`].
//!
//! Native only: the wasm never fetches (the background does), so `ureq` is a dependency of the
//! native target alone (Cargo.toml).

use std::time::Duration;

use base64::Engine as _;

use crate::dkim::DnsResult;

/// Time limit of one DoH request (connection, TLS and answer together).
pub const DOH_TIMEOUT: Duration = Duration::from_secs(5);
/// Largest answer read, bytes: a DNS message is at most 65,535 bytes (RFC 8484 §6).
pub const MAX_DOH_ANSWER_BYTES: u64 = 65_535;
/// Most CNAMEs followed inside one answer.
const MAX_CNAME_CHAIN: usize = 8;
/// Longest name asked (RFC 1035 §2.3.4).
const MAX_NAME_LEN: usize = 253;

const TYPE_CNAME: u16 = 5;
const TYPE_TXT: u16 = 16;
const CLASS_IN: u16 = 1;

/// A resolver URL the command line may use: `https://`, or plain `http://` to this computer
/// only (127.0.0.1, localhost, `[::1]`; the tests' stand-in). Anything else is a usage error.
pub fn check_url(url: &str) -> Result<(), String> {
    let bad = || {
        format!("--doh: `{url}` is not a resolver address; use https://, for example https://dns.quad9.net/dns-query")
    };
    let (scheme, rest) = url.split_once("://").ok_or_else(bad)?;
    let host_port = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host_port.contains('@') || host_port.is_empty() {
        return Err(bad());
    }
    let host = if host_port.starts_with('[') {
        host_port.split(']').next().map(|h| format!("{h}]"))
    } else {
        host_port.split(':').next().map(str::to_string)
    }
    .unwrap_or_default();
    let loopback = matches!(host.as_str(), "127.0.0.1" | "localhost" | "[::1]");
    match scheme {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        _ => Err(bad()),
    }
}

/// The DNS query for `name`'s TXT records (RFC 1035 §4.1): ID 0, RD, one question. `None` for
/// a name that is not one (an empty label, a label over 63 octets, a space).
pub fn encode_query(name: &str) -> Option<Vec<u8>> {
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.len() > MAX_NAME_LEN {
        return None;
    }
    let mut out = vec![0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    for label in name.split('.') {
        if label.is_empty() || label.len() > 63 || !label.bytes().all(|b| b.is_ascii_graphic()) {
            return None;
        }
        out.push(label.len() as u8);
        out.extend_from_slice(label.as_bytes());
    }
    out.extend_from_slice(&[0, 0, TYPE_TXT as u8, 0, CLASS_IN as u8]);
    Some(out)
}

/// A (possibly compressed, §4.1.4) name at `at`: lower case, and where its field ends.
fn read_name(m: &[u8], mut at: usize) -> Option<(String, usize)> {
    let mut labels: Vec<String> = Vec::new();
    let mut end = None;
    for _ in 0..128 {
        let len = *m.get(at)? as usize;
        if len == 0 {
            return Some((labels.join("."), end.unwrap_or(at + 1)));
        }
        if len & 0xc0 == 0xc0 {
            let low = *m.get(at + 1)? as usize;
            end.get_or_insert(at + 2);
            at = ((len & 0x3f) << 8) | low;
            continue;
        }
        if len > 63 {
            return None;
        }
        let label = m.get(at + 1..at + 1 + len)?;
        labels.push(
            label
                .iter()
                .map(|&b| char::from(b.to_ascii_lowercase()))
                .collect(),
        );
        at += 1 + len;
    }
    None
}

fn u16_at(m: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*m.get(at)?, *m.get(at + 1)?]))
}

/// One TXT record's text: its character-strings joined, each byte one character.
fn txt_record(rdata: &[u8]) -> Option<String> {
    let mut out = String::new();
    let mut i = 0;
    while i < rdata.len() {
        let len = rdata[i] as usize;
        out.extend(
            rdata
                .get(i + 1..i + 1 + len)?
                .iter()
                .map(|&b| char::from(b)),
        );
        i += 1 + len;
    }
    Some(out)
}

/// The result for `name` from an answer message (see the module).
pub fn parse_answer(m: &[u8], name: &str) -> DnsResult {
    parse(m, name).unwrap_or(DnsResult::Failed)
}

fn parse(m: &[u8], name: &str) -> Option<DnsResult> {
    let flags = u16_at(m, 2)?;
    let (qr, truncated, opcode, rcode) = (
        flags & 0x8000 != 0,
        flags & 0x0200 != 0,
        flags & 0x7800,
        flags & 0xf,
    );
    if !qr || truncated || opcode != 0 || u16_at(m, 4)? != 1 {
        return None;
    }
    let want = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    let (q, end) = read_name(m, 12)?;
    if q != want || u16_at(m, end)? != TYPE_TXT || u16_at(m, end + 2)? != CLASS_IN {
        return None;
    }
    let answers = u16_at(m, 6)?;
    let mut at = end + 4;
    let mut records = Vec::new();
    for _ in 0..answers {
        let (owner, end) = read_name(m, at)?;
        let len = u16_at(m, end + 8)? as usize;
        let rdata = m.get(end + 10..end + 10 + len)?;
        if u16_at(m, end + 2)? == CLASS_IN {
            records.push((owner, u16_at(m, end)?, end + 10, rdata));
        }
        at = end + 10 + len;
    }
    match rcode {
        3 => Some(DnsResult::NoRecord),
        0 => {
            let mut names = vec![want];
            for _ in 0..MAX_CNAME_CHAIN {
                for (owner, ty, start, _) in &records {
                    if *ty == TYPE_CNAME && names.contains(owner) {
                        let (target, _) = read_name(m, *start)?;
                        if !names.contains(&target) {
                            names.push(target);
                        }
                    }
                }
            }
            let txt = records
                .iter()
                .filter(|(owner, ty, _, _)| *ty == TYPE_TXT && names.contains(owner))
                .map(|(_, _, _, rdata)| txt_record(rdata))
                .collect::<Option<Vec<String>>>()?;
            Some(if txt.is_empty() {
                DnsResult::NoRecord
            } else {
                DnsResult::Txt(txt)
            })
        }
        _ => None,
    }
}

/// Asks `resolver` (checked by [`check_url`]) for `name`'s TXT records.
pub fn lookup(agent: &ureq::Agent, resolver: &str, name: &str) -> DnsResult {
    let Some(query) = encode_query(name) else {
        return DnsResult::NoRecord;
    };
    let sep = if resolver.contains('?') { '&' } else { '?' };
    let url = format!(
        "{resolver}{sep}dns={}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(query)
    );
    let answer = agent
        .get(&url)
        .header("accept", "application/dns-message")
        .call()
        .ok()
        .filter(|r| r.status().as_u16() == 200)
        .and_then(|mut r| {
            r.body_mut()
                .with_config()
                .limit(MAX_DOH_ANSWER_BYTES)
                .read_to_vec()
                .ok()
        });
    answer.map_or(DnsResult::Failed, |m| parse_answer(&m, name))
}

/// The HTTP client: no redirects followed, [`DOH_TIMEOUT`], HTTP errors as answers.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(DOH_TIMEOUT))
        .max_redirects(0)
        .http_status_as_error(false)
        .build()
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolver_urls_are_https_or_loopback() {
        assert!(check_url("https://dns.quad9.net/dns-query").is_ok());
        assert!(check_url("http://127.0.0.1:8053/dns-query").is_ok());
        assert!(check_url("http://[::1]:8053/dns-query").is_ok());
        assert!(check_url("http://dns.example.net/dns-query").is_err());
        assert!(check_url("http://127.0.0.1.example.net/").is_err());
        assert!(check_url("https://user@dns.example.net/").is_err());
        assert!(check_url("dns.quad9.net").is_err());
    }

    #[test]
    fn a_query_is_one_txt_question_with_id_zero() {
        let q = encode_query("s._domainkey.example.com.").unwrap_or_default();
        assert_eq!(&q[..12], &[0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
        assert_eq!(&q[q.len() - 4..], &[0, 16, 0, 1]);
        assert!(encode_query(&format!("{}.example.com", "a".repeat(64))).is_none());
        assert!(encode_query("a..b").is_none());
    }

    #[test]
    fn answers_that_do_not_fit_the_question_fail() {
        let mut m = encode_query("k._domainkey.example.com").unwrap_or_default();
        assert_eq!(
            parse_answer(&m, "k._domainkey.example.com"),
            DnsResult::Failed
        );
        m[2] = 0x81;
        m[3] = 0x80;
        assert_eq!(
            parse_answer(&m, "k._domainkey.example.com"),
            DnsResult::NoRecord
        );
        assert_eq!(
            parse_answer(&m, "x._domainkey.example.com"),
            DnsResult::Failed
        );
        m[3] = 0x82;
        assert_eq!(
            parse_answer(&m, "k._domainkey.example.com"),
            DnsResult::Failed
        );
        m[3] = 0x83;
        assert_eq!(
            parse_answer(&m, "k._domainkey.example.com"),
            DnsResult::NoRecord
        );
        m[7] = 1; // an answer record that is not there
        assert_eq!(
            parse_answer(&m, "k._domainkey.example.com"),
            DnsResult::Failed
        );
    }
}
