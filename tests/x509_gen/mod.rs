//! The tests' certificate generator: certificates and CRLs written in DER by hand and signed
//! with Ed25519 keys from fixed seeds, so that every field a rule is about (a serial of zero,
//! an empty extKeyUsage, a CRL without a number...) can be set exactly and every run builds
//! the same bytes. Validity 2026-01-01 to 2031-01-01. Used by `tests/x509_rules.rs` and
//! `tests/limits.rs` (each uses part of it).

#![allow(dead_code)]

use ed25519_dalek::{Signer, SigningKey};

// DER, by hand.

pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

pub fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

pub fn oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted.split('.').map(|a| a.parse().unwrap()).collect();
    let mut body = vec![(arcs[0] * 40 + arcs[1]) as u8];
    for &a in &arcs[2..] {
        let mut groups = vec![(a & 0x7f) as u8];
        let mut rest = a >> 7;
        while rest > 0 {
            groups.push(0x80 | (rest & 0x7f) as u8);
            rest >>= 7;
        }
        body.extend(groups.into_iter().rev());
    }
    tlv(0x06, &body)
}

pub const CN: &str = "2.5.4.3";
pub const O: &str = "2.5.4.10";
pub const EMAIL: &str = "1.2.840.113549.1.9.1";

/// A Name from (attribute, value) pairs, one RDN each; emailAddress as IA5String, the rest
/// as UTF8String.
pub fn name(atvs: &[(&str, &str)]) -> Vec<u8> {
    let rdns: Vec<Vec<u8>> = atvs
        .iter()
        .map(|(t, v)| {
            let tag = if *t == EMAIL { 0x16 } else { 0x0c };
            tlv(0x31, &seq(&[oid(t), tlv(tag, v.as_bytes())]))
        })
        .collect();
    seq(&rdns)
}

pub fn cn(v: &str) -> Vec<u8> {
    name(&[(O, "ImpaleMail rules test"), (CN, v)])
}

pub fn ed25519() -> Vec<u8> {
    seq(&[oid("1.3.101.112")])
}

pub fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

pub fn spki(seed: u8) -> Vec<u8> {
    let mut bits = vec![0u8];
    bits.extend(key(seed).verifying_key().to_bytes());
    seq(&[ed25519(), tlv(0x03, &bits)])
}

pub fn signed(tbs: Vec<u8>, signer: u8) -> Vec<u8> {
    let mut bits = vec![0u8];
    bits.extend(key(signer).sign(&tbs).to_bytes());
    seq(&[tbs, ed25519(), tlv(0x03, &bits)])
}

/// One extension: (OID, critical, extnValue contents).
pub type Ext = (&'static str, bool, Vec<u8>);

pub const BC: &str = "2.5.29.19";
pub const KU: &str = "2.5.29.15";
pub const EKU: &str = "2.5.29.37";
pub const SKI: &str = "2.5.29.14";
pub const AKI: &str = "2.5.29.35";
pub const SAN: &str = "2.5.29.17";
pub const NC: &str = "2.5.29.30";
pub const PC: &str = "2.5.29.36";
pub const CRL_NUMBER: &str = "2.5.29.20";

pub fn bc(ca: bool) -> Vec<u8> {
    if ca {
        seq(&[tlv(0x01, &[0xff])])
    } else {
        seq(&[])
    }
}

/// keyUsage from bit numbers (0 digitalSignature, 5 keyCertSign, 6 cRLSign).
pub fn ku(bits: &[u8]) -> Vec<u8> {
    let mut v: u16 = 0;
    for b in bits {
        v |= 0x8000 >> b;
    }
    let bytes = v.to_be_bytes();
    let (data, len) = if bytes[1] == 0 {
        (vec![bytes[0]], 1)
    } else {
        (bytes.to_vec(), 2)
    };
    let unused = data[len - 1].trailing_zeros() as u8;
    let mut c = vec![unused.min(7)];
    c.extend(data);
    tlv(0x03, &c)
}

pub fn key_id(seed: u8) -> Vec<u8> {
    vec![seed; 20]
}

pub fn ski(seed: u8) -> Vec<u8> {
    tlv(0x04, &key_id(seed))
}

pub fn aki(seed: u8) -> Vec<u8> {
    seq(&[tlv(0x80, &key_id(seed))])
}

pub fn email_san(addr: &str) -> Vec<u8> {
    seq(&[tlv(0x81, addr.as_bytes())])
}

/// Extensions ::= SEQUENCE OF Extension (RFC 5280 §4.1).
pub fn extensions(exts: &[Ext]) -> Vec<u8> {
    let each: Vec<Vec<u8>> = exts
        .iter()
        .map(|(id, critical, v)| {
            let mut e = vec![oid(id)];
            if *critical {
                e.push(tlv(0x01, &[0xff]));
            }
            e.push(tlv(0x04, v));
            seq(&e)
        })
        .collect();
    seq(&each)
}

/// A certificate to build: fields default to a sound CA or end entity (see [`ca`], [`leaf`]).
#[derive(Clone)]
pub struct Cert {
    pub serial: Vec<u8>,
    pub issuer: Vec<u8>,
    pub subject: Vec<u8>,
    pub not_before: &'static str,
    pub not_after: &'static str,
    pub key: u8,
    /// A subjectPublicKeyInfo (DER) of a key made elsewhere, instead of `key`'s.
    pub spki: Option<Vec<u8>>,
    pub issuer_key: u8,
    pub exts: Vec<Ext>,
}

impl Cert {
    pub fn der(&self) -> Vec<u8> {
        let mut tbs = vec![
            tlv(0xa0, &tlv(0x02, &[2])),
            tlv(0x02, &self.serial),
            ed25519(),
            self.issuer.clone(),
            seq(&[
                tlv(0x17, self.not_before.as_bytes()),
                tlv(0x17, self.not_after.as_bytes()),
            ]),
            self.subject.clone(),
            self.spki.clone().unwrap_or_else(|| spki(self.key)),
        ];
        if !self.exts.is_empty() {
            tbs.push(tlv(0xa3, &extensions(&self.exts)));
        }
        signed(seq(&tbs), self.issuer_key)
    }

    /// Replace (or add) extension `id`.
    pub fn set(mut self, id: &'static str, critical: bool, v: Vec<u8>) -> Cert {
        self.exts.retain(|e| e.0 != id);
        self.exts.push((id, critical, v));
        self
    }

    pub fn without(mut self, id: &str) -> Cert {
        self.exts.retain(|e| e.0 != id);
        self
    }
}

/// A CA `subject_cn` with key `key`, issued by `issuer` (self-signed when it is itself).
pub fn ca(subject_cn: &str, key: u8, issuer_cn: &str, issuer_key: u8) -> Cert {
    let mut exts: Vec<Ext> = vec![
        (BC, true, bc(true)),
        (KU, true, ku(&[5, 6])),
        (SKI, false, ski(key)),
    ];
    if key != issuer_key {
        exts.push((AKI, false, aki(issuer_key)));
    }
    Cert {
        serial: vec![key],
        issuer: cn(issuer_cn),
        subject: cn(subject_cn),
        not_before: "260101000000Z",
        not_after: "310101000000Z",
        key,
        spki: None,
        issuer_key,
        exts,
    }
}

pub fn root() -> Cert {
    ca("Root", 1, "Root", 1)
}

pub fn inter() -> Cert {
    ca("Inter", 2, "Root", 1)
}

/// alice@example.com's signing certificate, issued by `issuer_cn` with `issuer_key`.
pub fn leaf(issuer_cn: &str, issuer_key: u8) -> Cert {
    Cert {
        serial: vec![0x10],
        issuer: cn(issuer_cn),
        subject: cn("Alice"),
        not_before: "260101000000Z",
        not_after: "310101000000Z",
        key: 3,
        spki: None,
        issuer_key,
        exts: vec![
            (KU, true, ku(&[0])),
            (EKU, false, seq(&[oid("1.3.6.1.5.5.7.3.4")])),
            (SAN, false, email_san("alice@example.com")),
            (SKI, false, ski(3)),
            (AKI, false, aki(issuer_key)),
        ],
    }
}

/// A CRL of `issuer_cn` signed with `signer`, revoking `revoked` serials, with `exts`.
pub fn crl(issuer_cn: &str, signer: u8, revoked: &[u8], exts: &[Ext]) -> Vec<u8> {
    let mut tbs = vec![
        tlv(0x02, &[1]),
        ed25519(),
        cn(issuer_cn),
        tlv(0x17, b"261201000000Z"),
        tlv(0x17, b"270601000000Z"),
    ];
    if !revoked.is_empty() {
        let entries: Vec<Vec<u8>> = revoked
            .iter()
            .map(|s| seq(&[tlv(0x02, &[*s]), tlv(0x17, b"261115000000Z")]))
            .collect();
        tbs.push(seq(&entries));
    }
    if !exts.is_empty() {
        tbs.push(tlv(0xa0, &extensions(exts)));
    }
    signed(seq(&tbs), signer)
}

pub fn crl_number(n: u8) -> Vec<u8> {
    tlv(0x02, &[n])
}

/// nameConstraints from GeneralNames (DER) permitted and excluded (RFC 5280 §4.2.1.10).
pub fn name_constraints(permitted: &[Vec<u8>], excluded: &[Vec<u8>]) -> Vec<u8> {
    let subtrees = |tag: u8, names: &[Vec<u8>]| {
        let s: Vec<Vec<u8>> = names.iter().map(|n| seq(std::slice::from_ref(n))).collect();
        tlv(tag, &s.concat())
    };
    let mut parts = Vec::new();
    if !permitted.is_empty() {
        parts.push(subtrees(0xa0, permitted));
    }
    if !excluded.is_empty() {
        parts.push(subtrees(0xa1, excluded));
    }
    seq(&parts)
}

/// GeneralName rfc822Name.
pub fn gn_email(v: &str) -> Vec<u8> {
    tlv(0x81, v.as_bytes())
}

/// GeneralName dNSName.
pub fn gn_dns(v: &str) -> Vec<u8> {
    tlv(0x82, v.as_bytes())
}

/// GeneralName directoryName.
pub fn gn_dir(name_der: Vec<u8>) -> Vec<u8> {
    tlv(0xa4, &name_der)
}

/// GeneralName iPAddress (4 or 16 octets; 8 or 32 with a mask in a constraint).
pub fn gn_ip(v: &[u8]) -> Vec<u8> {
    tlv(0x87, v)
}

/// DER objects as PEM blocks labelled `label`.
pub fn pem(label: &str, ders: &[Vec<u8>]) -> String {
    use base64::Engine;
    ders.iter()
        .map(|d| {
            let b64 = base64::engine::general_purpose::STANDARD.encode(d);
            let lines: Vec<&str> = b64
                .as_bytes()
                .chunks(64)
                .map(|c| std::str::from_utf8(c).unwrap_or_default())
                .collect();
            format!(
                "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
                lines.join("\n")
            )
        })
        .collect()
}
