//! `impalemail verify --online`: the fetches the extension's background makes for online
//! revocation (`extension/background/revocation.js`), made by the command line itself, with
//! the same order, limits and rules; the core stays sans-IO and judges every byte.
//!
//! 1. Missing intermediates (`smime::aia`): while the verdict names caIssuers URLs not fetched
//!    yet, GET them (at most `aia::MAX_CA_ISSUERS_FETCHES`, `aia::MAX_CA_ISSUERS_ROUNDS`
//!    rounds) and check again with what came back as untrusted intermediates.
//! 2. OCSP (RFC 6960 Appendix A.1): POST each request the verdict names to its responder
//!    (at most `path::MAX_OCSP_RESPONSES`), check again with the answers and the mode.
//! 3. CRLs (RFC 5280 §4.2.1.13): when a certificate is still unsettled, GET the first
//!    distribution point of each (at most `path::MAX_ONLINE_CRLS`) and check a third time.
//!
//! Every fetch: http only (this build has no TLS; such URLs are http by custom, the answers
//! being signed), no cookies, redirects not followed, no proxy, a time limit and a size limit.
//! A fetch that fails is reported on stderr in plain words and counts as "not reached".

use std::time::Duration;

use crate::smime::aia;
use crate::smime::path::{OnlineMode, OnlineRevocation, MAX_OCSP_RESPONSES, MAX_ONLINE_CRLS};
use crate::smime::verdict::{RevocationStatus, Verdict};
use crate::smime::verify::{verify_message, VerifyOptions};
use crate::smime::x509::{Certificate, CertificateList};

/// Time limit of one OCSP request (as `OCSP_FETCH_TIMEOUT_MS` in revocation.js).
pub const OCSP_FETCH_TIMEOUT: Duration = Duration::from_secs(8);
/// Time limit of one CRL download (as `CRL_FETCH_TIMEOUT_MS`).
pub const CRL_FETCH_TIMEOUT: Duration = Duration::from_secs(15);
/// Time limit of one caIssuers download (as `CA_ISSUERS_FETCH_TIMEOUT_MS`).
pub const CA_ISSUERS_FETCH_TIMEOUT: Duration = Duration::from_secs(8);
/// Largest CRL read (as `MAX_CRL_BYTES`).
pub const MAX_CRL_BYTES: usize = 8 * 1024 * 1024;

/// One fetch: the body of a 200 answer of at most `limit` bytes within `timeout`, or why not.
fn fetch(
    url: &str,
    post: Option<&[u8]>,
    limit: usize,
    timeout: Duration,
) -> Result<Vec<u8>, String> {
    if !url.starts_with("http://") {
        return Err(format!("{url}: only http:// addresses are fetched"));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .max_redirects(0)
        .http_status_as_error(false)
        .proxy(None)
        .build()
        .into();
    let sent = match post {
        Some(body) => agent
            .post(url)
            .header("Content-Type", "application/ocsp-request")
            .send(body),
        None => agent.get(url).call(),
    };
    let mut r = sent.map_err(|e| format!("{url}: {}", plain(&e)))?;
    if r.status() != 200 {
        return Err(format!(
            "{url}: the server answered HTTP {}",
            r.status().as_u16()
        ));
    }
    r.body_mut()
        .with_config()
        .limit(limit as u64)
        .read_to_vec()
        .map_err(|e| format!("{url}: {}", plain(&e)))
}

fn plain(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(_) => "no answer in time".into(),
        ureq::Error::BodyExceedsLimit(n) => format!("the answer is larger than {n} bytes"),
        ureq::Error::Io(io) => format!("could not connect ({io})"),
        other => other.to_string(),
    }
}

/// The caIssuers URLs a verdict names (every signer's and layer's).
fn ca_issuers(v: &Verdict) -> Vec<String> {
    let d = &v.details;
    let signers = d
        .signer
        .iter()
        .chain(&d.signers)
        .chain(d.layers.iter().filter_map(|l| l.signer.as_ref()));
    let mut out: Vec<String> = Vec::new();
    for u in signers.flat_map(|s| &s.ca_issuers) {
        if !out.contains(u) {
            out.push(u.clone());
        }
    }
    out
}

/// The verdict for `raw` with online revocation in `mode` (not `Off`), fetching as the module
/// documentation says; `base` holds everything else. Problems go to `notes` in plain words.
pub fn verify_online(
    raw: &[u8],
    base: &VerifyOptions,
    mode: OnlineMode,
    notes: &mut Vec<String>,
) -> Verdict {
    let check = |certs: &[Certificate], ocsp: &[Vec<u8>], crls: &[CertificateList], m| {
        let mut opts = base.clone();
        let mut all = base.intermediates.to_vec();
        all.extend_from_slice(certs);
        opts.intermediates = &all;
        opts.online = OnlineRevocation {
            ocsp_responses: ocsp,
            crls,
            mode: m,
        };
        verify_message(raw, &opts)
    };
    // 1. caIssuers.
    let mut fetched: Vec<String> = Vec::new();
    let mut certs: Vec<Certificate> = Vec::new();
    let mut first = check(&certs, &[], &[], OnlineMode::Off);
    for _ in 0..aia::MAX_CA_ISSUERS_ROUNDS {
        let room = aia::MAX_CA_ISSUERS_FETCHES - fetched.len();
        let urls: Vec<String> = ca_issuers(&first)
            .into_iter()
            .filter(|u| !fetched.contains(u))
            .take(room)
            .collect();
        if urls.is_empty() {
            break;
        }
        for u in urls {
            let got = fetch(
                &u,
                None,
                aia::MAX_CA_ISSUERS_BYTES,
                CA_ISSUERS_FETCH_TIMEOUT,
            )
            .and_then(|b| aia::parse_ca_issuers(&b).map_err(|e| format!("{u}: {e}")));
            match got {
                Ok(c) => certs.extend(c),
                Err(e) => notes.push(e),
            }
            fetched.push(u);
        }
        first = check(&certs, &[], &[], OnlineMode::Off);
    }
    // 2. OCSP.
    let mut answers: Vec<Vec<u8>> = Vec::new();
    let asked = first
        .details
        .revocation
        .iter()
        .filter_map(|r| Some((r.ocsp_url.as_ref()?, r.ocsp_request.as_ref()?)))
        .take(MAX_OCSP_RESPONSES);
    for (url, req) in asked {
        use base64::Engine as _;
        let Ok(req) = base64::engine::general_purpose::STANDARD.decode(req) else {
            continue;
        };
        let max = crate::smime::ocsp::MAX_RESPONSE_BYTES;
        match fetch(url, Some(&req), max, OCSP_FETCH_TIMEOUT) {
            Ok(b) => answers.push(b),
            Err(e) => notes.push(e),
        }
    }
    let second = check(&certs, &answers, &[], mode);
    // 3. CRLs, for the certificates the answers did not settle.
    let settled = |subject: &str, serial: &str| {
        second.details.revocation.iter().any(|r| {
            r.subject == subject
                && r.serial == serial
                && matches!(
                    r.status,
                    RevocationStatus::Good { .. } | RevocationStatus::Revoked { .. }
                )
        })
    };
    // The second pass's URLs first: they put a delegated OCSP responder's own distribution
    // point first when its status is what is missing (`ocsp::ResponderRevocation`).
    let mut urls: Vec<&String> = Vec::new();
    for r in &first.details.revocation {
        let again = second
            .details
            .revocation
            .iter()
            .find(|s| s.subject == r.subject && s.serial == r.serial && !s.crl_urls.is_empty());
        let url = again.unwrap_or(r).crl_urls.first();
        if let Some(u) = url {
            if !settled(&r.subject, &r.serial) && !urls.contains(&u) {
                urls.push(u);
            }
        }
    }
    let mut crls = Vec::new();
    for u in urls.into_iter().take(MAX_ONLINE_CRLS) {
        let got = fetch(u, None, MAX_CRL_BYTES, CRL_FETCH_TIMEOUT).and_then(|b| {
            CertificateList::from_der(&b).map_err(|_| format!("{u}: not a revocation list"))
        });
        match got {
            Ok(c) => crls.push(c),
            Err(e) => notes.push(e),
        }
    }
    if crls.is_empty() {
        return second;
    }
    check(&certs, &answers, &crls, mode)
}
