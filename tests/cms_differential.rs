//! The core's own CMS reader (`smime::cms::parse_signed_data`) against RustCrypto's `cms`
//! decoders (a dev-dependency kept for this comparison), as `tests/x509_differential.rs` holds
//! the X.509 reader to x509-cert: on every CMS blob of the fuzz seeds (`fuzz/seeds/cms`) and
//! every S/MIME signature of the mail fixtures, and on deterministic one-byte mutations of
//! them. When both accept, every field the checks read is the same: eContentType, eContent,
//! digestAlgorithms, the certificates and CRLs (DER), and per signer the sid, digest and
//! signature algorithms, the signature, the signed attributes (types and values) and the
//! number of unsigned attributes.
//!
//! Known, intended differences, each checked where it is allowed ([`compare`]):
//! - BER: ours reads BER (indefinite lengths, chunked OCTET STRINGs: Outlook, Bouncy Castle
//!   and OpenSSL's streaming output) and normalises it; `cms` reads DER only. Ours may read
//!   what `cms` refuses only when the input is not DER (23 fixture signatures).
//! - A SET OF out of DER order (Bouncy Castle writes certificates unsorted): `cms` refuses
//!   it; ours takes the elements as they come (1 fixture).
//! - Entries no check reads: ours skips a digestAlgorithms entry it cannot read (only the
//!   signer's own digestAlgorithm is used) and a certificates or crls entry that is none of
//!   the choices (a certificate less can only leave a chain unbuilt); `cms` refuses the whole.
//!   Allowed only when the rest reads as `cms` reads the unmutated original (156 mutations).
//! - Ours refuses more (457 of the 52 214 mutations, which `cms` reads): never the other way
//!   round beyond the above. 41 573 mutations are read by both, field for field the same.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::revocation::RevocationInfoChoice;
use cms::signed_data::{SignedData, SignerIdentifier as TheirSid};
use der::{Decode, Encode, Tagged};
use impalemail::smime::cms::{parse_signed_data, CmsLimits, SignedData as Ours, SignerIdentifier};
use impalemail::smime::mime::{Message, MimeLimits};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The CMS blobs: the fuzz seeds, and the signature part of every fixture mail.
fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut paths = Vec::new();
    walk(&root().join("fuzz/seeds/cms"), &mut paths);
    walk(&root().join("tests/fixtures/smime"), &mut paths);
    paths.sort();
    let mut out = Vec::new();
    for p in paths {
        let name = p.strip_prefix(root()).unwrap().display().to_string();
        let bytes = std::fs::read(&p).unwrap();
        if name.starts_with("fuzz/seeds/cms") {
            if !name.ends_with(".md") {
                out.push((name, bytes));
            }
            continue;
        }
        if !p.extension().is_some_and(|e| e == "eml") {
            continue;
        }
        let Ok(m) = Message::parse(&bytes, &MimeLimits::default()) else {
            continue;
        };
        for (i, part) in m.parts.iter().enumerate() {
            let ct = &part.content_type;
            let pkcs7 = ct.mtype == "application"
                && matches!(
                    ct.subtype.as_str(),
                    "pkcs7-signature" | "x-pkcs7-signature" | "pkcs7-mime" | "x-pkcs7-mime"
                );
            if pkcs7 {
                out.push((format!("{name}#{i}"), m.decoded_body(i)));
            }
        }
    }
    out
}

/// Whether `d` is one DER TLV tree: definite, minimal lengths all the way down (constructed
/// tags recursed into), nothing after it.
fn is_der(d: &[u8]) -> bool {
    fn tlv(d: &[u8]) -> Option<usize> {
        let (&tag, rest) = d.split_first()?;
        if tag & 0x1f == 0x1f {
            return None;
        }
        let (&l0, rest) = rest.split_first()?;
        let (len, hl) = if l0 < 0x80 {
            (l0 as usize, 2)
        } else {
            let n = (l0 & 0x7f) as usize;
            if n == 0 || n > 4 || rest.len() < n || rest[0] == 0 {
                return None;
            }
            let len = rest[..n].iter().fold(0usize, |a, b| a << 8 | *b as usize);
            if len < 0x80 {
                return None;
            }
            (len, 2 + n)
        };
        let body = d.get(hl..hl + len)?;
        if tag & 0x20 != 0 {
            let mut rest = body;
            while !rest.is_empty() {
                rest = &rest[tlv(rest)?..];
            }
        }
        Some(hl + len)
    }
    tlv(d) == Some(d.len())
}

fn theirs_or_error(d: &[u8]) -> Result<SignedData, der::Error> {
    let ci = ContentInfo::from_der(d)?;
    if ci.content_type != const_oid::db::rfc5911::ID_SIGNED_DATA {
        return Err(der::ErrorKind::Failed.into());
    }
    ci.content.decode_as::<SignedData>()
}

fn theirs(d: &[u8]) -> Option<SignedData> {
    theirs_or_error(d).ok()
}

/// Attributes as (type, [(tag, value)]), sorted.
type Attrs = Vec<(String, Vec<(u8, Vec<u8>)>)>;

fn sorted(attrs: impl Iterator<Item = (String, Vec<(u8, Vec<u8>)>)>) -> Attrs {
    let mut v: Attrs = attrs.collect();
    v.sort();
    v
}

/// Every field the checks read, equal in both (`Err` names the first that differs). When
/// `lenient` (see [`compare`]): digestAlgorithms aside, and ours' certificates and CRLs may be
/// fewer.
fn same(ours: &Ours, t: &SignedData, lenient: bool) -> Result<(), String> {
    let eq = |what: &str, ok: bool| if ok { Ok(()) } else { Err(what.to_string()) };
    eq(
        "eContentType",
        ours.econtent_type == t.encap_content_info.econtent_type,
    )?;
    let their_content = t
        .encap_content_info
        .econtent
        .as_ref()
        .map(|a| a.value().to_vec());
    eq(
        "eContent",
        ours.econtent.as_deref().map(<[u8]>::to_vec) == their_content,
    )?;
    let our_digests: Vec<String> = ours
        .digest_algorithms
        .iter()
        .map(|a| a.oid.to_string())
        .collect();
    let their_digests: Vec<String> = t
        .digest_algorithms
        .iter()
        .map(|a| a.oid.to_string())
        .collect();
    eq("digestAlgorithms", lenient || our_digests == their_digests)?;
    let mut our_certs: Vec<Vec<u8>> = ours.certificates.iter().map(|c| c.der.clone()).collect();
    let mut their_certs = Vec::new();
    let mut their_other = 0;
    for c in t.certificates.iter().flat_map(|s| s.0.iter()) {
        match c {
            CertificateChoices::Certificate(c) => their_certs.push(c.to_der().unwrap()),
            CertificateChoices::Other(_) => their_other += 1,
        }
    }
    our_certs.sort();
    their_certs.sort();
    let fewer = |o: &[Vec<u8>], t: &[Vec<u8>]| lenient && o.iter().all(|c| t.contains(c));
    eq(
        "certificates",
        our_certs == their_certs || fewer(&our_certs, &their_certs),
    )?;
    eq(
        "other certificates",
        lenient || ours.other_certificates == their_other,
    )?;
    let mut our_crls: Vec<Vec<u8>> = ours.crls.iter().map(|c| c.der.clone()).collect();
    let mut their_crls: Vec<Vec<u8>> = t
        .crls
        .iter()
        .flat_map(|s| s.0.iter())
        .filter_map(|c| match c {
            RevocationInfoChoice::Crl(c) => Some(c.to_der().unwrap()),
            RevocationInfoChoice::Other(_) => None,
        })
        .collect();
    our_crls.sort();
    their_crls.sort();
    eq(
        "crls",
        our_crls == their_crls || fewer(&our_crls, &their_crls),
    )?;
    eq("signer count", ours.signers.len() == t.signer_infos.0.len())?;
    // DER sorts the SET OF SignerInfo; ours keeps the order read: compare by signature.
    for s in &ours.signers {
        let i = &s.info;
        let Some(ts) = t
            .signer_infos
            .0
            .iter()
            .find(|ts| ts.signature.as_bytes() == i.signature.as_slice())
        else {
            return Err("signature".into());
        };
        let sid_ok = match (&i.sid, &ts.sid) {
            (
                SignerIdentifier::IssuerAndSerialNumber {
                    issuer,
                    serial_number,
                },
                TheirSid::IssuerAndSerialNumber(their),
            ) => {
                issuer.der == their.issuer.to_der().unwrap()
                    && serial_number.as_slice() == their.serial_number.as_bytes()
            }
            (SignerIdentifier::SubjectKeyIdentifier(k), TheirSid::SubjectKeyIdentifier(their)) => {
                k.as_slice() == their.0.as_bytes()
            }
            _ => false,
        };
        eq("sid", sid_ok)?;
        eq("digestAlgorithm", i.digest_alg.oid == ts.digest_alg.oid)?;
        eq(
            "signatureAlgorithm",
            i.signature_algorithm.oid == ts.signature_algorithm.oid,
        )?;
        // Types and values, as sets: `cms` re-encodes the SET OF (sorted), ours keeps the
        // bytes as signed (what the signature covers, RFC 5652 §5.4).
        let ours_attrs = i.signed_attrs.as_ref().map(|attrs| {
            sorted(attrs.iter().map(|a| {
                let vals = a.values.iter().map(|x| (x.tag(), x.value().to_vec()));
                (a.oid.to_string(), vals.collect())
            }))
        });
        let their_attrs = ts.signed_attrs.as_ref().map(|attrs| {
            sorted(attrs.iter().map(|a| {
                let vals = a
                    .values
                    .iter()
                    .map(|x| (x.tag().octet(), x.value().to_vec()));
                (a.oid.to_string(), vals.collect())
            }))
        });
        eq("signedAttrs", ours_attrs == their_attrs)?;
        eq(
            "unsignedAttrs",
            i.unsigned_attrs.as_ref().map(Vec::len) == ts.unsigned_attrs.as_ref().map(|a| a.len()),
        )?;
    }
    Ok(())
}

/// Whether `cms` refuses `d` for the order of a SET OF (or a duplicate in one).
fn set_order(d: &[u8]) -> bool {
    matches!(
        theirs_or_error(d).map_err(|e| e.kind()),
        Err(der::ErrorKind::SetOrdering | der::ErrorKind::SetDuplicate)
    )
}

/// Counts of one comparison run.
#[derive(Default, Debug)]
struct Tally {
    both: usize,
    neither: usize,
    ours_only_not_der: usize,
    ours_only_unread_field: usize,
    ours_only_set_order: usize,
    theirs_only: usize,
}

/// Compares the readers on `d` (a mutation of `original`, or `original` itself); panics on a
/// difference that is not a listed one. DER that only ours reads is allowed when `cms`
/// refuses it for a SET OF's order, or when what ours read is what `cms` reads from the
/// original, but for entries ours skips (a digestAlgorithms entry it cannot read: only the
/// signer's own digestAlgorithm is used; a certificates or crls entry that is none of the
/// choices: a certificate less can only leave a chain unbuilt).
fn compare(name: &str, d: &[u8], original: &[u8], tally: &mut Tally) {
    let ours = parse_signed_data(d, &CmsLimits::default());
    let t = theirs(d);
    match (&ours, &t) {
        (Ok(o), Some(t)) => {
            tally.both += 1;
            if let Err(what) = same(o, t, false) {
                panic!("{name}: both read it, {what} differs");
            }
        }
        (Err(_), None) => tally.neither += 1,
        (Err(_), Some(_)) => tally.theirs_only += 1,
        (Ok(_), None) if is_der(d) && set_order(d) => tally.ours_only_set_order += 1,
        (Ok(o), None) if is_der(d) => {
            let orig = theirs(original);
            let r = orig.as_ref().map(|t| same(o, t, true));
            assert!(
                matches!(r, Some(Ok(()))),
                "{name}: DER that only ours reads, and reads differently: {r:?}"
            );
            tally.ours_only_unread_field += 1;
        }
        (Ok(_), None) => tally.ours_only_not_der += 1,
    }
}

#[test]
fn fixtures_read_the_same() {
    let corpus = corpus();
    assert!(corpus.len() > 300, "corpus: {}", corpus.len());
    let mut tally = Tally::default();
    for (name, d) in &corpus {
        compare(name, d, d, &mut tally);
    }
    eprintln!("fixtures: {tally:?}");
    assert!(tally.both >= 40, "{tally:?}");
}

/// One-byte mutations of the blobs both read: at every position of the smaller ones (every
/// 13th of the larger), the byte xor 0x01 and replaced by 0x80 (a length's long form, a tag's
/// constructed bit).
#[test]
fn mutations_read_the_same() {
    let mut tally = Tally::default();
    let corpus = corpus();
    let both = corpus.iter().filter(|(_, d)| {
        theirs(d).is_some() && parse_signed_data(d, &CmsLimits::default()).is_ok()
    });
    for (name, d) in both {
        let stride = if d.len() < 2048 { 1 } else { 13 };
        for i in (0..d.len()).step_by(stride) {
            for b in [d[i] ^ 0x01, 0x80] {
                let mut m = d.clone();
                m[i] = b;
                compare(&format!("{name}@{i}={b:02x}"), &m, d, &mut tally);
            }
        }
    }
    eprintln!("mutations: {tally:?}");
    assert!(tally.both > 1000, "{tally:?}");
}
