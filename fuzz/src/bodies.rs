//! The body of every fuzz target, in one place.
//!
//! Each `fuzz_targets/<name>.rs` is a two-line wrapper around the function of the same name
//! here, and `tests/fuzz_replay.rs` includes this file (`#[path]`) to run every committed
//! seed (`fuzz/seeds/<target>/`) through every body in `cargo test`. So a property checked
//! while fuzzing is checked again by `./build.sh test`, on the distilled corpus.
//!
//! Beyond "no panic", each body asserts what is cheap to check and true of the code:
//! limits are respected by every result, tighter limits only ever turn a result into an
//! error (never change it), parse -> serialise -> parse is stable, an import either gives
//! a whole new vault or changes nothing, a provider flow never sends a request off the
//! configured origin and never echoes the API key in an error, and a form batch gets one
//! result per field and per form.
//!
//! Uses only `impalemail`'s public API and its `der`/`serde_json` dependencies, so it
//! compiles in the fuzz crate and in the main crate's tests alike.

#![allow(dead_code)]

use impalemail::alias::providers::MAX_FLOW_STEPS;
use impalemail::alias::service::{apply_op, VaultOp};
use impalemail::alias::vault::MAX_VAULT_RECORDS;
use impalemail::alias::{
    AliasError, CreateRequest, Flow, HttpResponse, InboxCredentials, Provider, ProviderConfig,
    Secret, Step, Vault,
};
use impalemail::forms::{classify_batch, Batch};
use impalemail::smime::cms::{parse_signed_data, signer_matches, CmsLimits};
use impalemail::smime::mime::{self, Message, MimeError, MimeLimits};
use impalemail::smime::path::{self, AnchorSource, Budget, PathOptions, TrustAnchor};
use impalemail::smime::verify::{cert_addresses, cert_summary, verify_message, VerifyOptions};
use impalemail::smime::{address, asn1, names, trust, x509};
use std::sync::OnceLock;

/// A fuzz body: takes the fuzzer's bytes, panics on a broken property.
pub type Body = fn(&[u8]);

/// The fuzz targets, by name (also the seed directory names under `fuzz/seeds/`).
pub const TARGETS: [(&str, Body); 7] = [
    ("verify", verify),
    ("mime", mime),
    ("cms", cms),
    ("cert", cert),
    ("providers", providers),
    ("vault", vault),
    ("forms", forms),
];

/// 2027-01-01T00:00:00Z, inside the test certificates' validity.
pub const NOW: u64 = 1_798_761_600;

/// The project's test root (`tests/fixtures/smime/pki/root.pem`) as a user anchor, so
/// mutated test mails and certificates reach path validation, not only the parsers.
pub fn anchors() -> &'static [TrustAnchor] {
    static ANCHORS: OnceLock<Vec<TrustAnchor>> = OnceLock::new();
    ANCHORS.get_or_init(|| {
        let pem = include_bytes!("../../tests/fixtures/smime/pki/root.pem");
        let certs = trust::parse_cert_pem_or_der(pem).expect("test root parses");
        let der = &certs[0].der;
        vec![TrustAnchor::from_cert_der(der, AnchorSource::User).expect("test root is an anchor")]
    })
}

// ---------------------------------------------------------------------------------------
// S/MIME

/// The whole check: raw bytes -> MIME -> CMS -> signature -> chain -> verdict.
/// `verify_message` must turn every input into a verdict, and the verdict must serialise.
pub fn verify(data: &[u8]) {
    use impalemail::smime::digest_offload::ContentSource;
    use impalemail::smime::offload::{answer_locally, VerifyJob};
    let opts = VerifyOptions::new(NOW, anchors());
    let v = verify_message(data, &opts);
    let json = serde_json::to_string(&v).expect("a verdict serialises");
    let back: impalemail::smime::Verdict = serde_json::from_str(&json).expect("and reads back");
    assert_eq!(back, v, "verdict JSON round trip");
    // The same check in rounds (the extension's WebCrypto path), every digest and signature
    // answered honestly by the caller: exactly the one-call verdict.
    let digest = |raw: &[u8], r: &impalemail::smime::digest_offload::DigestRequest| {
        let bytes = match (&r.source, &r.bytes) {
            (ContentSource::Message(range), None) => raw.get(range.clone())?,
            (_, Some(b)) => b.as_slice(),
            _ => return None,
        };
        Some(r.algorithm.digest(bytes))
    };
    let rounds = VerifyJob::new(data.to_vec(), 0).run(&opts, digest, answer_locally);
    assert_eq!(rounds, v, "the check in rounds gives the one-call verdict");
}

/// MIME splitting: offsets stay inside the message and inside their parent, the limits hold,
/// tighter limits only turn a result into an error, and the decoders and header helpers
/// accept whatever the parts hold.
pub fn mime(data: &[u8]) {
    let full = Message::parse(data, &MimeLimits::default());
    let tight = MimeLimits {
        max_message_size: 1 << 16,
        max_depth: 3,
        max_parts: 8,
        max_header_length: 200,
    };
    match (Message::parse(data, &tight), &full) {
        (Ok(t), Ok(f)) => {
            assert_eq!(t.parts.len(), f.parts.len(), "limits changed the result");
            for (a, b) in t.parts.iter().zip(&f.parts) {
                assert_eq!((&a.range, &a.body, &a.path), (&b.range, &b.body, &b.path));
            }
            check_message(&t, &tight);
        }
        (Ok(_), Err(e)) => panic!("tight limits accepted what the defaults refused: {e}"),
        (Err(e), _) => {
            let ok = match &e {
                MimeError::TooLarge { limit, .. } => *limit == tight.max_message_size,
                MimeError::TooDeep { limit } => *limit == tight.max_depth,
                MimeError::TooManyParts { limit } => *limit == tight.max_parts,
                MimeError::HeaderTooLong { limit, .. } => *limit == tight.max_header_length,
                _ => true,
            };
            assert!(ok, "error names another limit than the one set: {e:?}");
            assert!(!e.to_string().is_empty());
        }
    }
    if let Ok(m) = &full {
        check_message(m, &MimeLimits::default());
    }
    // The canonicaliser streams what `canonical` returns in one piece.
    let mut streamed = Vec::new();
    mime::for_each_canonical_chunk(data, |c| streamed.extend_from_slice(c));
    assert_eq!(streamed, mime::canonical(data), "canonical chunks");
    let _ = mime::decode_base64(data);
    let _ = mime::decode_quoted_printable(data);
}

fn check_message(m: &Message, limits: &MimeLimits) {
    let len = m.raw.len();
    assert!(!m.parts.is_empty());
    assert!(m.parts.len() <= limits.max_parts, "part limit");
    assert_eq!(m.parts[0].range, 0..len, "top entity is the whole message");
    for (i, p) in m.parts.iter().enumerate() {
        assert!(p.depth <= limits.max_depth, "depth limit");
        assert!(p.range.start <= p.range.end && p.range.end <= len);
        assert!(p.range.start <= p.body.start && p.body.start <= p.body.end);
        assert!(p.body.end <= p.range.end, "body inside entity");
        for h in &p.headers {
            assert!(p.range.start <= h.name.start && h.name.end <= h.value.start);
            assert!(h.value.start <= h.value.end && h.value.end <= p.body.start.max(h.value.end));
            assert!(h.value.end <= p.range.end, "header inside entity");
            assert!(h.value.end - h.name.start <= limits.max_header_length);
        }
        for &c in &p.children {
            let child = &m.parts[c];
            assert_eq!(child.parent, Some(i), "child's parent");
            assert_eq!(child.depth, p.depth + 1, "child's depth");
            assert!(p.body.start <= child.range.start && child.range.end <= p.body.end);
        }
        let _ = m.decoded_body(i);
        let _ = mime::path_string(&p.path);
        for name in ["from", "sender", "subject", "content-type"] {
            for v in m.headers_named(i, name) {
                let _ = mime::parse_content_type(&v);
                let _ = address::decode_words(&v);
                for mb in address::parse_address_list(&v) {
                    let _ = mb.name_looks_like_other_address();
                }
            }
        }
    }
    for i in m.signed_entities() {
        assert!(i < m.parts.len());
    }
}

/// CMS `SignedData` from BER/DER: the limits hold, tighter limits only turn a result into
/// an error, and every certificate it yields survives DER encode -> decode unchanged.
pub fn cms(data: &[u8]) {
    let full = parse_signed_data(data, &CmsLimits::default());
    let tight = CmsLimits {
        max_certificates: 2,
        max_crls: 1,
        max_signers: 1,
    };
    match (parse_signed_data(data, &tight), &full) {
        (Ok(t), Ok(f)) => {
            assert_eq!(t.certificates, f.certificates, "limits changed the result");
            assert_eq!(t.signers.len(), f.signers.len());
            assert!(t.certificates.len() + t.other_certificates <= 2);
            assert!(t.crls.len() <= 1 && t.signers.len() <= 1);
        }
        (Ok(_), Err(e)) => panic!("tight limits accepted what the defaults refused: {e}"),
        (Err(e), _) => assert!(!e.to_string().is_empty()),
    }
    let Ok(sd) = full else { return };
    let d = CmsLimits::default();
    assert!(sd.certificates.len() + sd.other_certificates <= d.max_certificates);
    assert!(sd.crls.len() <= d.max_crls && sd.signers.len() <= d.max_signers);
    let _ = impalemail::smime::cms::content_type_name(&sd.econtent_type);
    for c in &sd.certificates {
        cert_roundtrip(c);
    }
    for s in &sd.signers {
        if let Some(a) = &s.signed_attrs_der {
            assert_eq!(
                a.first(),
                Some(&0x31),
                "signed attributes re-tagged as SET OF"
            );
        }
        for c in &sd.certificates {
            let _ = signer_matches(&s.info.sid, c);
        }
    }
}

/// Our certificate reader against itself and against x509-cert's derived decoder: the
/// certificate parses again from its own bytes to the same value, and whatever ours accepts
/// x509-cert accepts with the same fields (ours may refuse more: tests/x509_differential.rs),
/// except a validity time before 1970, which der 0.7 cannot represent and RFC 5280 allows.
fn cert_roundtrip(c: &x509::Certificate) {
    use der::{Decode, Encode};
    let again = x509::Certificate::from_der(&c.der).expect("its own bytes parse");
    assert_eq!(&again, c, "certificate parse is stable");
    if c.not_before < 0 || c.not_after < 0 {
        return;
    }
    let theirs = x509_cert::Certificate::from_der(&c.der).expect("x509-cert accepts it too");
    let t = &theirs.tbs_certificate;
    assert_eq!(c.serial_number, t.serial_number.as_bytes());
    assert_eq!(
        u64::try_from(c.not_before).ok(),
        Some(t.validity.not_before.to_unix_duration().as_secs())
    );
    assert_eq!(
        u64::try_from(c.not_after).ok(),
        Some(t.validity.not_after.to_unix_duration().as_secs())
    );
    assert_eq!(
        c.extensions.len(),
        t.extensions.as_ref().map_or(0, Vec::len)
    );
    assert_eq!(
        c.subject_public_key_info.to_der(),
        t.subject_public_key_info.to_der().expect("encodes")
    );
    assert_eq!(
        c.subject.rdns.len(),
        t.subject.0.len(),
        "same number of subject RDNs"
    );
}

/// Certificates: PEM or DER through the crate's parser, then what the crate derives from
/// a certificate (addresses, summary, subject names, name constraints, anchor) and a path
/// validation with the input's certificates as end entity, intermediates and extra anchors.
pub fn cert(data: &[u8]) {
    if let Ok(certs) = trust::parse_cert_pem_or_der(data) {
        assert!(certs.len() <= trust::MAX_PEM_CERTS);
        for c in &certs {
            cert_roundtrip(c);
        }
    }
    let _ = trust::parse_crl_pem_or_der(data);
    // Concatenated DER certificates: the first is the end entity, the rest intermediates
    // and (each) an extra user anchor.
    let mut certs = Vec::new();
    let mut r = asn1::Der::new(data);
    while !r.is_empty() && certs.len() < 8 {
        match r.any().map(|t| x509::Certificate::from_der(t.raw)) {
            Ok(Ok(c)) => certs.push(c),
            _ => break,
        }
    }
    let mut extra: Vec<TrustAnchor> = anchors().to_vec();
    for c in &certs {
        cert_roundtrip(c);
        let _ = cert_addresses(c);
        let _ = cert_summary(c);
        let _ = path::common_name(&c.subject);
        let mut san = Vec::new();
        let mut nc = None;
        for e in &c.extensions {
            if e.extn_id == x509::ids::SUBJECT_ALT_NAME {
                if let Ok(s) = x509::parse_general_names(&e.extn_value) {
                    san = s;
                }
            }
            if e.extn_id == x509::ids::NAME_CONSTRAINTS {
                nc = x509::parse_name_constraints(&e.extn_value).ok();
            }
        }
        let subject_names = names::SubjectNames::new(&c.subject, &san);
        assert_eq!(
            names::name_key(&c.subject),
            names::name_key(&c.subject.clone()),
            "name key is deterministic"
        );
        if let Some(nc) = &nc {
            let mut budget = 50u32;
            let _ = names::check(nc, &subject_names, &mut budget);
        }
        if let Ok(a) = TrustAnchor::from_cert(c, [0u8; 32], AnchorSource::User) {
            extra.push(a);
        }
    }
    if let Some((ee, rest)) = certs.split_first() {
        for anchors in [anchors(), &extra[..]] {
            let opts = PathOptions {
                time: NOW,
                anchors,
                intermediates: rest,
                crls: &[],
                policy: Default::default(),
                usage: Default::default(),
                budget: Budget {
                    signature_checks: 20,
                    build_calls: 100,
                    name_constraint_checks: 2000,
                },
                require_revocation: false,
                offload: None,
                strict: false,
                online: Default::default(),
            };
            match path::validate(ee, &opts) {
                Ok(p) => {
                    assert!(p.chain.len() <= path::MAX_CHAIN_LEN, "chain length limit");
                    assert_eq!(
                        p.chain.first(),
                        Some(ee),
                        "the path starts at the end entity"
                    );
                }
                Err(e) => {
                    let _ = e.rank();
                    assert!(!e.to_string().is_empty());
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Aliases

const KEY: &str = "fuzz-key-Zq8vN3pL";
const PASSWORD: &str = "fuzz-password-Wd7kR2";
const TOKEN: &str = "fuzz-token-Hs5mT9";

fn origin(url: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    Some((
        scheme.to_ascii_lowercase(),
        rest[..end].to_ascii_lowercase(),
    ))
}

/// Provider response parsing through the public [`Flow`] state machine.
///
/// Input: byte 0 picks the provider (`% 7`) and the operation (`/ 7 % 9`); the rest is a
/// list of responses separated by `0x1E`, each `STATUS[ RETRY-AFTER]\n` then the body.
/// Checked: the flow ends within [`MAX_FLOW_STEPS`] requests; every request goes to the
/// configured origin (a response can't redirect the key elsewhere); the key is never put in a
/// URL by the core; a finished flow stays finished; no error shows the API key, inbox
/// password or token.
pub fn providers(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let provider = Provider::ALL[usize::from(sel) % 7];
    let mut config = ProviderConfig::new(provider, KEY);
    config.domain = Some("alias.example".into());
    let base = provider.default_base_url();
    let inbox = InboxCredentials {
        address: "box@inbox.example".into(),
        password: Secret::new(PASSWORD),
        account_id: Some("acc-1".into()),
        token: Some(Secret::new(TOKEN)),
    };
    let request = CreateRequest::for_url("https://shop.example.co.uk/join").expect("request");
    let flow = match usize::from(sel) / 7 % 9 {
        0 => Flow::create(&config, &request, NOW),
        1 => Flow::list(&config, NOW),
        2 => Flow::set_enabled(&config, "id-1", false, NOW),
        3 => Flow::set_enabled(&config, "id 2/..", true, NOW),
        4 => Flow::delete(&config, "id-1", NOW),
        5 => Flow::messages(&config, &inbox, NOW),
        6 => Flow::message(&config, &inbox, "m-1", NOW),
        7 => Flow::raw_source(&config, &inbox, "m-1", NOW),
        _ => Flow::delete_inbox(&config, &inbox, NOW),
    };
    let Ok(mut flow) = flow else { return };
    let mut responses = rest.split(|&b| b == 0x1E).map(|chunk| {
        let text = String::from_utf8_lossy(chunk);
        let (head, body) = text.split_once('\n').unwrap_or((&text, ""));
        let mut words = head.split_whitespace();
        let status = words.next().and_then(|s| s.parse().ok()).unwrap_or(200);
        let mut r = HttpResponse::new(status, body);
        if let Some(v) = words.next() {
            r.headers.push(("Retry-After".into(), v.into()));
        }
        r
    });
    let base_origin = origin(base);
    let mut requests = 0u32;
    // The core never writes the key into a URL itself; a URL the provider's own origin
    // hands back (Fastmail's `apiUrl`) may of course hold whatever that server put there.
    let mut key_echoed = false;
    let mut step = flow.next(None);
    let result = loop {
        match step {
            Step::Request(req) => {
                requests += 1;
                assert!(requests <= MAX_FLOW_STEPS, "flow step limit");
                assert_eq!(
                    origin(&req.url),
                    base_origin,
                    "request off origin: {}",
                    req.url
                );
                assert!(key_echoed || !req.url.contains(KEY), "key in a URL");
                step = match responses.next() {
                    Some(r) => {
                        key_echoed |= r.body.contains(KEY);
                        flow.next(Some(r))
                    }
                    None => flow.network_error(&format!("offline ({KEY})")),
                };
            }
            Step::Done(r) => break r,
        }
    };
    // A finished flow stays finished.
    assert!(matches!(
        flow.next(Some(HttpResponse::new(200, "{}"))),
        Step::Done(Err(AliasError::FlowMisuse { .. }))
    ));
    match result {
        Err(e) => {
            let text = format!("{e} {e:?}");
            for secret in [KEY, PASSWORD, TOKEN] {
                assert!(!text.contains(secret), "secret in error: {text}");
            }
        }
        Ok(o) => {
            let _ = format!("{o:?}");
        }
    }
}

fn base_vault() -> &'static Vault {
    static BASE: OnceLock<Vault> = OnceLock::new();
    BASE.get_or_init(|| {
        Vault::from_csv(include_str!("../../tests/fixtures/alias/vault-v1.csv"))
            .expect("fixture vault")
    })
}

/// Vault import (JSON or CSV, as the options page passes it) into a vault that already has
/// records, and the stored document read back (a corrupt stored record).
/// Checked: an import gives a whole vault that keeps every old address, within
/// [`MAX_VAULT_RECORDS`], stable through JSON and CSV export; a refused import changes
/// nothing (`apply_op` refuses it too); a document read back is stable through JSON.
pub fn vault(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let base = base_vault();
    let before = base.clone();
    let op = VaultOp::Import {
        text: text.to_string(),
    };
    let applied = apply_op(Some(&base.to_json()), &op);
    match base.import(&text) {
        Ok(new) => {
            assert_eq!(base, &before);
            for r in before.search("") {
                assert!(
                    new.find_address(&r.address).is_some(),
                    "import lost {}",
                    r.address
                );
            }
            assert!(new.search("").len() <= MAX_VAULT_RECORDS);
            stable(&new);
            let doc = applied.expect("apply_op agrees with import");
            assert_eq!(Vault::from_json(&doc).expect("stored doc reads"), new);
        }
        Err(e) => {
            assert_eq!(base, &before);
            assert!(applied.is_err(), "apply_op accepted a refused import");
            assert!(!e.to_string().is_empty());
        }
    }
    if let Ok(v) = Vault::from_json(&text) {
        stable(&v);
    }
}

fn stable(v: &Vault) {
    let json = v.to_json();
    assert_eq!(
        &Vault::from_json(&json).expect("own JSON reads back"),
        v,
        "JSON round trip"
    );
    let csv = v.export_csv();
    assert_eq!(
        &Vault::from_csv(&csv).expect("own CSV reads back"),
        v,
        "CSV round trip"
    );
}

// ---------------------------------------------------------------------------------------
// Forms

/// The form classifier on a feature batch (the JSON the content script sends).
/// Checked: one result per field and per form, in batch order, and the result serialises.
pub fn forms(data: &[u8]) {
    let Ok(batch) = serde_json::from_slice::<Batch>(data) else {
        return;
    };
    match classify_batch(&batch) {
        Ok(c) => {
            assert_eq!(c.fields.len(), batch.fields.len(), "one result per field");
            assert_eq!(c.forms.len(), batch.forms.len(), "one result per form");
            let json = serde_json::to_string(&c).expect("classification serialises");
            assert!(json.starts_with('{'));
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}
