//! From raw message bytes to a [`Verdict`]: the S/MIME message check (RFC 8551, RFC 5652,
//! RFC 8550, RFC 5280).
//!
//! Steps: split the MIME tree ([`super::mime`]); find the signed entities (`multipart/signed`
//! with a PKCS #7 protocol, `application/pkcs7-mime` signed-data); judge the outermost one;
//! decide whether it covers the whole displayed message; check each `SignerInfo` (signed
//! attributes, message digest, signature); validate the signer's chain
//! ([`super::path::validate`]) for e-mail signing; bind the certificate's addresses to the
//! single `From` mailbox. Every failure becomes a verdict: this never panics and never
//! returns an error.
//!
//! **Time.** The certificate chain is checked at the caller's `now`, not at the message's
//! signing-time attribute, which the signer controls: this is what Thunderbird does. The
//! signing time is reported in the details only.

use super::asn1::Any;
use super::x509::{self, Certificate, CertificateList};
use const_oid::ObjectIdentifier;
use sha2::Digest as _;

use super::address::{parse_address_list, same_address, Mailbox};
use super::algs::{self, AlgError, Strength};
use super::cms::{self, CmsError, CmsLimits, SignedData};
use super::mime::{self, Message, MimeError, MimeLimits, SignedKind};
use super::offload::{DigestSource, Offload};
use super::path::{self, PathError, PolicySettings, RequiredUsage, TrustAnchor};
use super::verdict::{
    format_time, CertSummary, CoveredPart, Derived, Details, Layer, Reason, Revocation,
    RevocationStatus, SignerDetails, Status, Verdict, Warning, MAX_RECIPIENTS,
};

/// Most `SignerInfo` signatures verified for one message (each costs a public-key
/// operation and a hash of the content).
pub const MAX_SIGNATURE_CHECKS: usize = 8;

/// Most signature layers checked in one message: a signed entity whose signed content is
/// itself signed (RFC 8551 §3.7 lets S/MIME layers nest), opaque or detached, counts one layer
/// per signature. Real mail has one, two when a gateway signs the client's signed message
/// again; the triple wrap (signed, encrypted, signed) ends at the encrypted layer for a
/// reader who cannot decrypt. Four leaves room for both and bounds the work (each layer is a
/// signature check and a path validation; [`MAX_SIGNATURE_CHECKS`] counts the signers of all
/// layers together).
pub const MAX_SIGNATURE_LAYERS: usize = 4;

/// Every safety limit of one check. `Default` gives the named constants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Message size, MIME depth, part count, header length.
    pub mime: MimeLimits,
    /// Certificates, CRLs and signers per `SignedData`.
    pub cms: CmsLimits,
    /// See [`MAX_SIGNATURE_CHECKS`].
    pub max_signature_checks: usize,
    /// See [`MAX_SIGNATURE_LAYERS`].
    pub max_signature_layers: usize,
    /// Path validation work limits (chain length is [`path::MAX_CHAIN_LEN`]).
    pub path_budget: path::Budget,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            mime: MimeLimits::default(),
            cms: CmsLimits::default(),
            max_signature_checks: MAX_SIGNATURE_CHECKS,
            max_signature_layers: MAX_SIGNATURE_LAYERS,
            path_budget: path::Budget::default(),
        }
    }
}

/// Inputs of [`verify_message`] besides the message.
#[derive(Debug, Clone)]
pub struct VerifyOptions<'a> {
    /// Check time, unix seconds (certificates are checked at this time).
    pub now: u64,
    /// Roots the user trusts in addition to (or instead of) the built-in ones.
    pub user_roots: &'a [TrustAnchor],
    /// Whether to trust the built-in Mozilla e-mail roots ([`super::trust::builtin_anchors`]).
    pub use_builtin_roots: bool,
    /// Extra intermediate certificates (also searched for the signer certificate).
    pub intermediates: &'a [Certificate],
    /// Extra CRLs.
    pub crls: &'a [CertificateList],
    /// Skip the `From` binding (for conformance suites whose certificates carry no address).
    pub skip_sender_check: bool,
    /// RFC 5280 policy inputs.
    pub policy: PolicySettings,
    /// Safety limits.
    pub limits: Limits,
    /// Treat a certificate of the chain whose revocation status cannot be established from
    /// the CRLs in the message or in `crls` as not verified ([`Reason::RevocationUnknown`])
    /// instead of "not checked" (`Details::revocation_checked` false). Default false; NIST
    /// PKITS assumes true. See [`path::PathOptions::require_revocation`].
    pub require_revocation: bool,
    /// Hold the chain to the RFC 5280 profile rules ([`path::PathOptions::strict`]): a
    /// broken one makes the chain invalid instead of a warning. Default false.
    pub strict: bool,
    /// Online revocation: the user's setting and the OCSP answers the caller fetched for the
    /// requests an earlier check named (`Details::revocation`). Default off, no answers.
    pub online: path::OnlineRevocation<'a>,
}

impl<'a> VerifyOptions<'a> {
    /// Options with the given time and user roots, everything else default: built-in roots
    /// off, no extra certificates or CRLs, sender check on, default policy and limits,
    /// revocation not required, profile rules as warnings.
    pub fn new(now: u64, user_roots: &'a [TrustAnchor]) -> Self {
        VerifyOptions {
            now,
            user_roots,
            use_builtin_roots: false,
            intermediates: &[],
            crls: &[],
            skip_sender_check: false,
            policy: PolicySettings::default(),
            limits: Limits::default(),
            require_revocation: false,
            strict: false,
            online: path::OnlineRevocation::default(),
        }
    }
}

/// Verifies a bare S/MIME file: an `application/pkcs7-mime` signed-data object as saved on
/// its own (`smime.p7m`; RFC 8551 §3.5.2, §3.8), in DER, PEM, or base64 text. It is checked as
/// the body of a one-part message, so every rule of [`verify_message`] applies, except the
/// `From` binding: a bare file names no sender ([`Warning::SenderCheckSkipped`] says so,
/// and the signer's addresses are in the details for the reader to compare).
pub fn verify_p7m(bytes: &[u8], opts: &VerifyOptions) -> Verdict {
    let mut o = opts.clone();
    o.skip_sender_check = true;
    verify_message(&p7m_message(bytes), &o)
}

/// The one-part message [`verify_p7m`] checks for a bare signed-data file (check it with
/// `skip_sender_check`: it names no sender).
pub fn p7m_message(bytes: &[u8]) -> Vec<u8> {
    use base64::Engine as _;
    let text_like = bytes
        .iter()
        .take(64)
        .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace());
    let b64: Vec<u8> = if !text_like {
        let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
        encoded.into_bytes()
    } else {
        // PEM (`-----BEGIN PKCS7-----` / `CMS` / anything) or plain base64: keep the base64
        // alphabet of the lines that are not armour; the MIME decoder rejects the rest.
        let text = String::from_utf8_lossy(bytes);
        text.lines()
            .filter(|l| !l.starts_with("-----"))
            .flat_map(|l| l.bytes())
            .filter(|b| !b.is_ascii_whitespace())
            .collect()
    };
    let mut raw = b"MIME-Version: 1.0\r\n\
Content-Type: application/pkcs7-mime; smime-type=signed-data; name=smime.p7m\r\n\
Content-Transfer-Encoding: base64\r\n\r\n"
        .to_vec();
    for line in b64.chunks(76) {
        raw.extend_from_slice(line);
        raw.extend_from_slice(b"\r\n");
    }
    raw
}

/// Verifies the S/MIME signature of the message `raw` (RFC 5322 bytes, CRLF or LF).
pub fn verify_message(raw: &[u8], opts: &VerifyOptions) -> Verdict {
    verify_message_inner(raw, opts, None)
}

/// [`verify_message`], taking the caller's digests and signature checks from `off`
/// ([`super::offload`]); a check without an answer is done here.
pub(crate) fn verify_message_inner(
    raw: &[u8],
    opts: &VerifyOptions,
    off: Option<&Offload>,
) -> Verdict {
    let mut details = Details {
        checked_at: format_time(super::asn1::signed_time(opts.now)),
        ..Details::default()
    };
    let msg = match Message::parse(raw, &opts.limits.mime) {
        Ok(m) => m,
        Err(e) => {
            let which = match e {
                MimeError::TooLarge { limit, .. } => format!("message size ({limit} bytes)"),
                MimeError::TooDeep { limit } => format!("MIME nesting depth ({limit})"),
                MimeError::TooManyParts { limit } => format!("MIME parts ({limit})"),
                MimeError::HeaderTooLong { limit, .. } => {
                    format!("header field length ({limit} bytes)")
                }
            };
            return Verdict::from_reason(Reason::LimitExceeded { which }, details);
        }
    };
    let sender_problem = read_senders(&msg, &mut details);

    let signed = msg.signed_entities();
    let Some(&primary) = signed.iter().min_by_key(|&&i| msg.parts[i].depth) else {
        let reason = if msg.parts.iter().any(|p| p.signed == SignedKind::OtherCms) {
            Reason::Unsupported {
                what: "encrypted or compressed S/MIME messages".into(),
            }
        } else {
            Reason::Unsigned
        };
        return Verdict::from_reason(reason, details);
    };
    // The layers nested in place (detached content that is signed again) are not "other"
    // parts: they are checked as layers.
    let mut in_place = vec![primary];
    while let Some(i) = in_place.last().and_then(|&i| signed_content_part(&msg, i)) {
        in_place.push(i);
    }
    let others: Vec<String> = signed
        .iter()
        .filter(|i| !in_place.contains(i))
        .map(|&i| covered_path(&msg, i))
        .collect();
    if !others.is_empty() {
        details
            .warnings
            .push(Warning::OtherSignedParts { parts: others });
    }

    let covered = whole_message_covered(&msg, primary);
    details.whole_message_covered = covered;
    let mut walk = Walk::default();
    let cx = Ctx {
        opts,
        off,
        own: true,
    };
    let outcome = check_layers(&msg, primary, cx, &mut details, &mut walk);
    let nested = walk.layers.len() > 1;
    if nested {
        details.layers = walk.layers;
    }

    // Precedence: proof of tampering or invalidity first; then partial coverage; then the
    // entity's other reasons; then the sender binding.
    if let Some(r) = &outcome {
        if r.status() == Status::Invalid {
            return Verdict::from_reason(r.clone(), details);
        }
    }
    if !covered {
        let part = covered_path(&msg, primary);
        return Verdict::from_reason(Reason::PartiallySigned { part }, details);
    }
    if let Some(r) = outcome {
        return Verdict::from_reason(r, details);
    }
    if opts.skip_sender_check {
        details.warnings.push(Warning::SenderCheckSkipped);
    } else if sender_problem || !signer_matches_from(&details) {
        // In layers, `details.signer` is the innermost signer: the author of what is shown.
        let reason = match (&details.signer, nested && !sender_problem) {
            (Some(s), true) => Reason::InnerSignerNotSender { signer: s.who() },
            _ => Reason::SignerMismatch,
        };
        return Verdict::from_reason(reason, details);
    } else {
        reader_notices(&msg, &mut details);
    }
    Verdict::verified(details)
}

/// The displayed content's signature layers, outermost first (see `ARCHITECTURE.md`,
/// "Signature layers"): checks the signed entity `idx`, then the signed entity its signed
/// content is, if any, down to [`Limits::max_signature_layers`]. Each layer's result goes to
/// `layers`; `details` keeps the outermost layer's covered part and the innermost layer's
/// signer and chain (the signer bound to `From`). The reason is the first invalid layer's,
/// else the first layer's that is not green, outermost first.
fn check_layers(
    msg: &Message,
    idx: usize,
    cx: Ctx,
    details: &mut Details,
    walk: &mut Walk,
) -> Option<Reason> {
    let opts = cx.opts;
    let mut inner = None;
    let outcome = check_entity(msg, idx, cx, details, &mut walk.checks, &mut inner);
    let layers = &mut walk.layers;
    let covered = details.covered.clone();
    layers.push(Layer {
        signature_kind: covered
            .as_ref()
            .map(|c| c.signature_kind.clone())
            .unwrap_or_default(),
        content_type: covered
            .as_ref()
            .map(|c| c.content_type.clone())
            .unwrap_or_default(),
        signer: details.signer.clone(),
        outcome: outcome.clone(),
    });
    let inner_outcome = match inner {
        None => None,
        Some(_) if layers.len() >= opts.limits.max_signature_layers => {
            Some(Reason::LimitExceeded {
                which: format!("signature layers ({})", opts.limits.max_signature_layers),
            })
        }
        Some(Inner::Part(i)) => check_layers(msg, i, cx, details, walk),
        Some(Inner::Entity(bytes)) => match Message::parse(&bytes, &opts.limits.mime) {
            Ok(m) => check_layers(&m, 0, Ctx { own: false, ..cx }, details, walk),
            Err(_) => None,
        },
    };
    // The reader's covered part is the outermost layer's.
    details.covered = covered;
    match (outcome, inner_outcome) {
        (Some(o), Some(i)) if o.status() != Status::Invalid && i.status() == Status::Invalid => {
            Some(i)
        }
        (Some(o), _) => Some(o),
        (None, i) => i,
    }
}

/// A signed entity's signed content when that content is a signed entity again (in the same
/// message: the first part of a `multipart/signed`).
fn signed_content_part(msg: &Message, idx: usize) -> Option<usize> {
    let p = &msg.parts[idx];
    let &c = p
        .children
        .first()
        .filter(|_| p.signed == SignedKind::Detached)?;
    matches!(
        msg.parts[c].signed,
        SignedKind::Detached | SignedKind::Opaque
    )
    .then_some(c)
}

/// What every layer of one check shares.
#[derive(Clone, Copy)]
struct Ctx<'c, 'o> {
    /// The caller's options.
    opts: &'c VerifyOptions<'o>,
    /// The caller's answers, when it does the maths (`offload`).
    off: Option<&'c Offload>,
    /// Whether the message in hand is the caller's own (not an eContent parsed apart): only
    /// its ranges and part numbers are what the caller's digests and the job's cache name.
    own: bool,
}

/// What [`check_layers`] has seen so far.
#[derive(Default)]
struct Walk {
    /// The layers checked, outermost first.
    layers: Vec<Layer>,
    /// Signer checks made (the signers of every layer).
    checks: usize,
}

/// Where a signature layer's signed content is signed again.
enum Inner {
    /// A part of the same message.
    Part(usize),
    /// An opaque signature's eContent, a MIME entity of its own (RFC 8551 §3.5.2).
    Entity(Vec<u8>),
}

/// The warnings about what a reader sees beside a bound signer: a display name the
/// certificate does not carry, a `Reply-To` elsewhere, a `Date:` far from the signing time
/// (see [`Warning::DisplayNameNotSigner`]).
fn reader_notices(msg: &Message, details: &mut Details) {
    let (Some(signer), [from]) = (&details.signer, details.from.as_slice()) else {
        return;
    };
    let mut found = Vec::new();
    if let Some(name) = &from.name {
        if !super::display_name::fits(name, &signer.names.0, &signer.addresses) {
            found.push(Warning::DisplayNameNotSigner {
                name: name.clone(),
                address: from.address.clone(),
                // The commonName when the certificate has one that is not an address.
                certificate_name: signer
                    .names
                    .0
                    .first()
                    .filter(|n| **n == signer.name && !n.contains('@'))
                    .cloned()
                    .unwrap_or_default(),
            });
        }
    }
    for value in msg.headers_named(0, "reply-to") {
        for mb in parse_address_list(&value) {
            if !signer
                .addresses
                .iter()
                .any(|a| same_address(a, &mb.address))
            {
                found.push(Warning::ReplyToElsewhere {
                    reply_to: mb.address,
                    signer: from.address.clone(),
                });
            }
        }
    }
    let outer = details.layers.iter().rev().skip(1).rev();
    for s in outer.filter_map(|l| l.signer.as_ref()) {
        if !s.addresses.iter().any(|a| same_address(a, &from.address)) {
            found.push(Warning::OuterSignerNotSender { signer: s.who() });
        }
    }
    let date = msg
        .header(0, "date")
        .and_then(|d| super::date::parse_date(&d));
    if let (Some(date), Some(signed)) = (date, signer.signing_unix.0) {
        if (date - signed).abs() > super::date::MAX_DATE_SKEW_SECS {
            found.push(Warning::DateFarFromSigningTime {
                date: format_time(date),
                signing_time: format_time(signed),
            });
        }
    }
    details.warnings.extend(found);
}

/// The subject attributes that name a person or organisation (X.520: commonName 2.5.4.3,
/// surname .4, organizationName .10, organizationalUnitName .11, givenName .42, initials .43,
/// pseudonym .65), as written; the commonName first.
fn person_names(subject: &x509::Name) -> Vec<String> {
    const ARCS: [u32; 7] = [3, 4, 10, 11, 42, 43, 65];
    let mut out = Vec::new();
    for arc in ARCS {
        for atv in subject.rdns.iter().flatten() {
            let a = atv.oid.as_bytes();
            if a.len() == 3 && a[..2] == [0x55, 0x04] && u32::from(a[2]) == arc {
                out.push(String::from_utf8_lossy(atv.value.value()).into_owned());
            }
        }
    }
    out
}

/// Parses `From`/`Sender`, records warnings; returns true when `From` is ambiguous or
/// deceptive enough that no signer can match it (I1-I3).
fn read_senders(msg: &Message, details: &mut Details) -> bool {
    let froms = msg.headers_named(0, "from");
    let mut problem = false;
    if froms.len() > 1 {
        details
            .warnings
            .push(Warning::MultipleFromHeaders { count: froms.len() });
        problem = true;
    }
    let mailboxes: Vec<Mailbox> = froms.iter().flat_map(|f| parse_address_list(f)).collect();
    if mailboxes.is_empty() {
        details.warnings.push(Warning::NoFromAddress);
        problem = true;
    } else if froms.len() == 1 && mailboxes.len() > 1 {
        details.warnings.push(Warning::MultipleFromAddresses {
            count: mailboxes.len(),
        });
        problem = true;
    }
    for mb in &mailboxes {
        if let Some(name) = mb.name_looks_like_other_address() {
            details.warnings.push(Warning::DisplayNameLooksLikeAddress {
                name,
                address: mb.address.clone(),
            });
            problem = true;
        }
    }
    let sender = msg
        .header(0, "sender")
        .and_then(|s| parse_address_list(&s).into_iter().next());
    if let (Some(s), Some(f)) = (&sender, mailboxes.first()) {
        if !same_address(&s.address, &f.address) {
            details.warnings.push(Warning::SenderDiffersFromFrom {
                sender: s.address.clone(),
                from: f.address.clone(),
            });
        }
    }
    details.from = mailboxes;
    details.sender = sender;
    details.recipients = recipients(msg);
    problem
}

/// `To`, `Cc`, `Delivered-To`, `X-Original-To` of the top-level header, de-duplicated
/// (case-insensitively), at most [`MAX_RECIPIENTS`].
fn recipients(msg: &Message) -> Vec<Mailbox> {
    let mut out: Vec<Mailbox> = Vec::new();
    for name in ["to", "cc", "delivered-to", "x-original-to"] {
        for value in msg.headers_named(0, name) {
            for mb in parse_address_list(&value) {
                if out.len() >= MAX_RECIPIENTS {
                    return out;
                }
                if !out.iter().any(|o| same_address(&o.address, &mb.address)) {
                    out.push(mb);
                }
            }
        }
    }
    out
}

fn signer_matches_from(details: &Details) -> bool {
    let (Some(signer), [from]) = (&details.signer, details.from.as_slice()) else {
        return false;
    };
    signer
        .addresses
        .iter()
        .any(|a| same_address(a, &from.address))
}

/// IMAP number of the content a signed entity covers.
fn covered_path(msg: &Message, idx: usize) -> String {
    let p = &msg.parts[idx];
    match p.signed {
        SignedKind::Detached => match p.children.first() {
            Some(&c) => mime::path_string(&msg.parts[c].path),
            None => mime::path_string(&p.path),
        },
        _ if p.path.is_empty() => "1".into(),
        _ => mime::path_string(&p.path),
    }
}

/// Whether the signed entity is everything the reader sees: it is the top-level entity, or
/// every ancestor is a multipart with this as its only child (a gateway's wrapping). A
/// sibling part (M1-M3), a `message/rfc822` ancestor (a forwarded message) or an
/// `attachment` disposition (M4) makes the coverage partial.
fn whole_message_covered(msg: &Message, idx: usize) -> bool {
    let mut cur = idx;
    if msg.parts[idx].parent.is_some()
        && msg.parts[idx].disposition.as_deref() == Some("attachment")
    {
        return false;
    }
    while let Some(parent) = msg.parts[cur].parent {
        let p = &msg.parts[parent];
        if p.content_type.mtype != "multipart" || p.children.len() != 1 {
            return false;
        }
        if p.parent.is_some() && p.disposition.as_deref() == Some("attachment") {
            return false;
        }
        cur = parent;
    }
    true
}

/// The content a signature covers, as it must be hashed.
enum Content<'m> {
    /// Detached: raw bytes of the first body part (and where they lie in the message),
    /// canonicalised to CRLF while hashing.
    Canonicalise(&'m [u8], std::ops::Range<usize>),
    /// Opaque: the eContent octets as they are, and the decoded body they were read from (a
    /// digest request names them within it rather than copying them).
    Exact(&'m [u8], &'m std::rc::Rc<Vec<u8>>),
}

impl Content<'_> {
    fn feed(&self, sink: &mut dyn digest::DynDigest) {
        match self {
            Content::Canonicalise(b, _) => mime::for_each_canonical_chunk(b, |c| sink.update(c)),
            Content::Exact(b, _) => sink.update(b),
        }
    }
    /// What a digest request for this content names (see `digest_offload`).
    fn source(&self) -> super::digest_offload::ContentSource {
        use super::digest_offload::ContentSource;
        match self {
            Content::Canonicalise(b, r) => ContentSource::detached(b, r.clone()),
            Content::Exact(b, _) => ContentSource::EContent { len: b.len() },
        }
    }
    fn to_bytes(&self) -> Vec<u8> {
        match self {
            Content::Canonicalise(b, _) => mime::canonical(b),
            Content::Exact(b, _) => b.to_vec(),
        }
    }
    /// Its length (before canonicalisation).
    fn len(&self) -> usize {
        match self {
            Content::Canonicalise(b, _) | Content::Exact(b, _) => b.len(),
        }
    }
    /// The bytes a digest request for it (named `source`, from [`Content::source`]) carries:
    /// none when the caller hashes its own buffer.
    fn to_offer(
        &self,
        source: &super::digest_offload::ContentSource,
    ) -> Option<super::digest_offload::Offered> {
        use super::digest_offload::{ContentSource, Offered};
        match (source, self) {
            (ContentSource::Message(_), _) => None,
            (_, Content::Exact(b, body)) => Some(Offered::within(body, b)),
            _ => Some(Offered::Owned(self.to_bytes())),
        }
    }
}

/// The decoded body of `part`, through the job's cache when there is one.
fn decoded_body(off: Option<&Offload>, msg: &Message, part: usize) -> std::rc::Rc<Vec<u8>> {
    match off {
        Some(o) => o.decoded_body(msg, part),
        None => std::rc::Rc::new(msg.decoded_body(part)),
    }
}

fn cms_reason(e: CmsError) -> Reason {
    match e {
        CmsError::Malformed { what } => Reason::Malformed { what },
        CmsError::NotSignedData { content_type } => Reason::Unsupported {
            what: format!("S/MIME {content_type}"),
        },
        CmsError::LimitExceeded { which } => Reason::LimitExceeded { which },
        #[allow(unreachable_patterns)]
        other => Reason::Malformed {
            what: other.to_string(),
        },
    }
}

/// Checks one signed entity; fills `details`; returns the reason it is not green. `inner`
/// is set to where its signed content is signed again, if it is; `checks` counts the signer
/// checks of every layer ([`Limits::max_signature_checks`] is for them all).
fn check_entity(
    msg: &Message,
    idx: usize,
    cx: Ctx,
    details: &mut Details,
    checks: &mut usize,
    inner: &mut Option<Inner>,
) -> Option<Reason> {
    let Ctx { opts, off, own } = cx;
    // An eContent parsed apart has its own part numbers: not the job's cache's.
    let off_body = off.filter(|_| own);
    let part = &msg.parts[idx];
    let (cms_bytes, content_range, content_type) = match part.signed {
        SignedKind::Detached => {
            let [content, sig] = part.children[..] else {
                return Some(Reason::Malformed {
                    what: format!(
                        "multipart/signed has {} parts instead of 2",
                        part.children.len()
                    ),
                });
            };
            let sig_ct = &msg.parts[sig].content_type;
            if !(sig_ct.mtype == "application"
                && (sig_ct.subtype == "pkcs7-signature" || sig_ct.subtype == "x-pkcs7-signature"))
            {
                return Some(Reason::Malformed {
                    what: format!("signature part is {}", sig_ct.essence()),
                });
            }
            let c = &msg.parts[content];
            (
                decoded_body(off_body, msg, sig),
                c.range.clone(),
                c.content_type.essence(),
            )
        }
        _ => (
            decoded_body(off_body, msg, idx),
            part.body.clone(),
            part.content_type.essence(),
        ),
    };
    details.covered = Some(CoveredPart {
        part: covered_path(msg, idx),
        byte_range: [content_range.start, content_range.end],
        content_type,
        signature_kind: if part.signed == SignedKind::Detached {
            "detached".into()
        } else {
            "opaque".into()
        },
    });
    let sd = match cms::parse_signed_data(&cms_bytes[..], &opts.limits.cms) {
        Ok(sd) => sd,
        Err(e) => return Some(cms_reason(e)),
    };
    let content = match (part.signed, &sd.econtent) {
        (SignedKind::Detached, Some(_)) => {
            // C1 "eContent confusion": the reader sees part 1, the signature covers
            // something else. Never substitute one for the other.
            return Some(Reason::Malformed {
                what: "a detached signature carries its own content (eContent)".into(),
            });
        }
        (SignedKind::Detached, None) => {
            Content::Canonicalise(msg.bytes(&content_range), content_range.clone())
        }
        (_, Some(e)) => Content::Exact(e, &cms_bytes),
        (_, None) => {
            return Some(Reason::Malformed {
                what: "opaque signed data without content".into(),
            })
        }
    };
    *inner = match &content {
        Content::Canonicalise(..) => signed_content_part(msg, idx).map(Inner::Part),
        Content::Exact(e, _) => Message::parse(e, &opts.limits.mime)
            .ok()
            .filter(|m| matches!(m.parts[0].signed, SignedKind::Detached | SignedKind::Opaque))
            .map(|_| Inner::Entity(e.to_vec())),
    };
    if sd.signers.is_empty() {
        // C3: a SignedData with no SignerInfo proves nothing.
        fill_chain_fallback(&sd, details);
        return Some(Reason::Malformed {
            what: "signed data without any signer".into(),
        });
    }
    *checks += sd.signers.len();
    if *checks > opts.limits.max_signature_checks {
        return Some(Reason::LimitExceeded {
            which: format!("signature checks ({})", opts.limits.max_signature_checks),
        });
    }

    let mut anchors: Vec<TrustAnchor> = opts.user_roots.to_vec();
    if opts.use_builtin_roots {
        anchors.extend_from_slice(super::trust::builtin_anchors());
    }
    let mut intermediates: Vec<Certificate> = sd.certificates.clone();
    intermediates.extend_from_slice(opts.intermediates);
    let mut crls: Vec<CertificateList> = sd.crls.clone();
    crls.extend_from_slice(opts.crls);

    let mut results = Vec::new();
    for signer in &sd.signers {
        let (outcome, sdet, chain, revocation, profile) = check_signer(
            signer,
            &sd,
            &content,
            &intermediates,
            &anchors,
            &crls,
            opts,
            off,
            own,
        );
        results.push((outcome, sdet, chain, revocation, profile));
    }
    if results.len() > 1 {
        details.signers = results.iter().filter_map(|r| r.1.clone()).collect();
        if let Some((_, s, chain, (rev, entries), _)) = results.into_iter().next() {
            details.signer = s;
            details.chain = chain;
            details.revocation_checked = rev;
            details.revocation = entries;
        }
        // C2: several signers are reported one by one, never shown green.
        return Some(Reason::MultipleSigners);
    }
    let (outcome, s, chain, (rev, entries), profile) = results.into_iter().next()?;
    details.signer = s;
    details.chain = chain;
    details.revocation_checked = rev;
    details.revocation = entries;
    details.warnings.extend(profile);
    // A good signature over encrypted content vouches for ciphertext only.
    let over_encrypted = match &content {
        Content::Exact(e, _) => {
            [cms::ID_ENVELOPED_DATA, cms::ID_AUTH_ENVELOPED_DATA].contains(&sd.econtent_type)
                || mime_is_encrypted(e, opts)
        }
        Content::Canonicalise(b, _) => mime_is_encrypted(b, opts),
    };
    let outcome = match outcome {
        None if over_encrypted => Some(Reason::SignedEncryptedContent),
        other => other,
    };
    if details.chain.is_empty() {
        fill_chain_fallback(&sd, details);
    }
    // RFC 3339 strings in one format compare in time order.
    if let Some(s) = &details.signer {
        let c = &s.certificate;
        if let (Some(t), Some(nb), Some(na)) = (&s.signing_time, &c.not_before, &c.not_after) {
            if t < nb || t > na {
                details.warnings.push(Warning::SigningTimeOutsideValidity);
            }
        }
    }
    outcome
}

/// Whether a signed MIME entity is an encrypted S/MIME part: `application/pkcs7-mime` with
/// `smime-type=enveloped-data` or `authEnveloped-data` (RFC 8551 §3.2.2).
fn mime_is_encrypted(entity: &[u8], opts: &VerifyOptions) -> bool {
    let Ok(m) = Message::parse(entity, &opts.limits.mime) else {
        return false;
    };
    let ct = &m.parts[0].content_type;
    ct.mtype == "application"
        && (ct.subtype == "pkcs7-mime" || ct.subtype == "x-pkcs7-mime")
        && ct.param("smime-type").is_some_and(|t| {
            t.eq_ignore_ascii_case("enveloped-data") || t.eq_ignore_ascii_case("authenveloped-data")
        })
}

fn fill_chain_fallback(sd: &SignedData, details: &mut Details) {
    if details.chain.is_empty() {
        details.chain = sd.certificates.iter().map(cert_summary).collect();
    }
}

type SignerResult = (
    Option<Reason>,
    Option<SignerDetails>,
    Vec<CertSummary>,
    // Whether revocation was established for the whole chain, and each certificate's status.
    (bool, Vec<Revocation>),
    // The chain's profile warnings (`path::ValidPath::warnings`).
    Vec<Warning>,
);

#[allow(clippy::too_many_arguments)]
fn check_signer(
    signer: &cms::Signer,
    sd: &SignedData,
    content: &Content,
    certs: &[Certificate],
    anchors: &[TrustAnchor],
    crls: &[CertificateList],
    opts: &VerifyOptions,
    off: Option<&Offload>,
    own: bool,
) -> SignerResult {
    let info = &signer.info;
    let Some(cert) = certs.iter().find(|c| cms::signer_matches(&info.sid, c)) else {
        return (
            Some(Reason::MissingCertificate),
            None,
            Vec::new(),
            (false, Vec::new()),
            Vec::new(),
        );
    };
    let spki = &cert.subject_public_key_info;
    let mut sdet = SignerDetails {
        name: path::common_name(&cert.subject)
            .unwrap_or_else(|| super::names::display(&cert.subject)),
        addresses: cert_addresses(cert),
        certificate: cert_summary(cert),
        certificate_der: {
            use base64::Engine;
            base64::engine::general_purpose::STANDARD.encode(&cert.der)
        },
        signing_time: None,
        algorithms: algs::describe(spki, &info.signature_algorithm, Some(&info.digest_alg)),
        outcome: None,
        ca_issuers: Vec::new(),
        names: Derived(person_names(&cert.subject)),
        signing_unix: Derived(None),
    };
    let fail = |r: Reason, mut s: SignerDetails| {
        s.outcome = Some(r.clone());
        (
            Some(r),
            Some(s),
            Vec::new(),
            (false, Vec::new()),
            Vec::new(),
        )
    };

    // 1. Signed attributes (RFC 5652 §5.3, §5.4, §11). Content-type, message-digest and
    // signing-time MUST be signed (§11.1-§11.3): in the unsigned attributes they are a
    // forgery attempt (OpenSSL's bad_signtime_attr.cms).
    if let Some(unsigned) = &info.unsigned_attrs {
        for (oid, name) in [
            (cms::ID_CONTENT_TYPE, "content-type"),
            (cms::ID_MESSAGE_DIGEST, "message-digest"),
            (cms::ID_SIGNING_TIME, "signing-time"),
        ] {
            if unsigned.iter().any(|a| a.oid == oid) {
                return fail(
                    Reason::Malformed {
                        what: format!("the {name} attribute must be signed, found unsigned"),
                    },
                    sdet,
                );
            }
        }
    }
    let signed_message: Vec<u8>;
    let mut digest_ok = true;
    match (&info.signed_attrs, &signer.signed_attrs_der) {
        (Some(attrs), Some(attrs_der)) => {
            let get = |oid: ObjectIdentifier| -> Result<Option<Any>, Reason> {
                let found: Vec<_> = attrs.iter().filter(|a| a.oid == oid).collect();
                match found.as_slice() {
                    [] => Ok(None),
                    [a] if a.values.len() == 1 => Ok(a.values.first().cloned()),
                    _ => Err(Reason::Malformed {
                        what: format!("signed attribute {oid} must occur once with one value"),
                    }),
                }
            };
            let ct = match get(cms::ID_CONTENT_TYPE) {
                Ok(Some(v)) => v,
                Ok(None) => {
                    return fail(
                        Reason::Malformed {
                            what: "the content-type signed attribute is missing".into(),
                        },
                        sdet,
                    )
                }
                Err(r) => return fail(r, sdet),
            };
            match ct.as_oid() {
                Ok(o) if o == sd.econtent_type => {}
                _ => {
                    return fail(
                        Reason::Malformed {
                            what: "the signed content-type differs from the content".into(),
                        },
                        sdet,
                    )
                }
            }
            let md = match get(cms::ID_MESSAGE_DIGEST) {
                Ok(Some(v)) => v,
                Ok(None) => {
                    return fail(
                        Reason::Malformed {
                            what: "the message-digest signed attribute is missing".into(),
                        },
                        sdet,
                    )
                }
                Err(r) => return fail(r, sdet),
            };
            let Ok(md) = md.as_octet_string() else {
                return fail(
                    Reason::Malformed {
                        what: "the message-digest attribute is not an OCTET STRING".into(),
                    },
                    sdet,
                );
            };
            match get(cms::ID_SIGNING_TIME) {
                Ok(Some(v)) => match v.as_time() {
                    Ok(t) => {
                        sdet.signing_time = Some(format_time(t));
                        sdet.signing_unix = Derived(Some(t));
                    }
                    Err(_) => {
                        return fail(
                            Reason::Malformed {
                                what: "the signing-time attribute is not a valid time".into(),
                            },
                            sdet,
                        )
                    }
                },
                Ok(None) => {}
                Err(r) => return fail(r, sdet),
            }
            let mut h = match algs::hasher(&info.digest_alg) {
                Ok(h) => h,
                Err(e) => return fail(alg_reason(e), sdet),
            };
            // The caller's digest (WebCrypto) when it answered this very request; else ours.
            // (The request's source is worked out once, and only when there is a caller to ask:
            // for a detached content it is a scan of the whole content.)
            // An eContent parsed apart is not the caller's buffer: hashed here.
            let key = off.filter(|_| own).and_then(|o| {
                let alg = algs::HashAlg::from_oid(&info.digest_alg.oid).ok()?;
                Some((
                    o,
                    super::digest_offload::request_for(alg, &content.source())?,
                ))
            });
            let source = match &key {
                Some((o, k)) => o.content_digest(k, content.len(), md, || content.to_offer(&k.1)),
                None => DigestSource::Local,
            };
            digest_ok = match source {
                DigestSource::Answered(d) => d == md,
                DigestSource::Asked => true,
                DigestSource::Local => {
                    content.feed(h.as_mut());
                    h.finalize().as_ref() == md
                }
            };
            signed_message = attrs_der.clone();
        }
        _ => {
            // Without signed attributes the content type must be id-data (RFC 5652 §5.3).
            if sd.econtent_type != cms::ID_DATA {
                return fail(
                    Reason::Malformed {
                        what: "no signed attributes over non-data content".into(),
                    },
                    sdet,
                );
            }
            signed_message = content.to_bytes();
        }
    }

    // 2. The signature. A DSA key without parameters takes them from its issuer (RFC 3279
    // §2.3.2), which only path validation knows; such a signature is not checked here, and
    // DSA is weak in any case, so it is reported as unsupported (not as malformed).
    if spki.algorithm.oid == algs::oids::DSA && spki.algorithm.parameters.is_none() {
        return fail(
            Reason::Unsupported {
                what: "a DSA signer key that inherits its parameters from the issuer".into(),
            },
            sdet,
        );
    }
    let strength = match algs::verify_signature_with(
        off,
        spki,
        Some(&info.digest_alg),
        &info.signature_algorithm,
        &signed_message,
        &info.signature,
    ) {
        Ok(s) => s,
        Err(e) => return fail(alg_reason(e), sdet),
    };
    if !digest_ok {
        return fail(Reason::AlteredContent, sdet);
    }

    // 3. The chain, at the caller's time, for e-mail signing.
    let popts = path::PathOptions {
        time: opts.now,
        anchors,
        intermediates: certs,
        crls,
        policy: opts.policy.clone(),
        usage: RequiredUsage::EmailSigner,
        budget: opts.limits.path_budget,
        require_revocation: opts.require_revocation,
        offload: off,
        strict: opts.strict,
        online: opts.online,
    };
    let (chain_reason, chain, revocation, profile) = match path::validate(cert, &popts) {
        Ok(vp) => {
            let mut chain: Vec<CertSummary> = vp.chain.iter().map(cert_summary).collect();
            chain.push(anchor_summary(&vp.anchor));
            let weak = vp.weak.map(|w| Reason::WeakAlgorithm {
                what: format!("certificate chain {w}"),
            });
            let profile = vp.warnings.iter().map(|w| Warning::CertificateProfile {
                subject: w.subject.clone(),
                rule: w.rule.to_string(),
            });
            let mut profile: Vec<Warning> = profile.collect();
            if opts.online.mode == path::OnlineMode::SoftFail {
                profile.extend(vp.revocation.iter().filter_map(not_checked_online));
            }
            (weak, chain, (vp.revocation_checked, vp.revocation), profile)
        }
        Err(e) => {
            if let PathError::UnknownIssuer { ca_issuers, .. } = &e {
                sdet.ca_issuers.clone_from(ca_issuers);
            }
            let mut chain = vec![cert_summary(cert)];
            chain.extend(
                sd.certificates
                    .iter()
                    .filter(|c| *c != cert)
                    .map(cert_summary),
            );
            let revoked = revoked_entry(&e);
            (Some(path_reason(e)), chain, (false, revoked), Vec::new())
        }
    };
    if let Some(r) = chain_reason {
        let mut s = sdet;
        s.outcome = Some(r.clone());
        return (Some(r), Some(s), chain, revocation, profile);
    }
    if let Strength::Weak(w) = strength {
        let r = Reason::WeakAlgorithm {
            what: w.to_string(),
        };
        let mut s = sdet;
        s.outcome = Some(r.clone());
        return (Some(r), Some(s), chain, revocation, profile);
    }
    (None, Some(sdet), chain, revocation, profile)
}

fn alg_reason(e: AlgError) -> Reason {
    match e {
        AlgError::Unsupported { what } => Reason::Unsupported { what },
        AlgError::BadSignature | AlgError::MalformedSignature => Reason::BadSignature,
        other => Reason::Malformed {
            what: other.to_string(),
        },
    }
}

/// With soft-fail, the warning for a certificate whose status could not be established online
/// (it names a responder or a distribution point, and no usable answer came).
fn not_checked_online(r: &Revocation) -> Option<Warning> {
    if r.ocsp_url.is_none() && r.crl_urls.is_empty() {
        return None;
    }
    let why = match &r.status {
        RevocationStatus::Unknown => {
            "the certificate authority does not know the certificate".into()
        }
        RevocationStatus::NotChecked { why } if why == "not checked" => {
            "the certificate authority could not be reached".into()
        }
        RevocationStatus::NotChecked { why } => why.clone(),
        RevocationStatus::Good { .. } | RevocationStatus::Revoked { .. } => return None,
    };
    Some(Warning::RevocationNotChecked {
        subject: r.subject.clone(),
        why,
    })
}

/// The revocation entry for a path that failed because a certificate is revoked.
fn revoked_entry(e: &PathError) -> Vec<Revocation> {
    let PathError::Revoked {
        source,
        serial,
        reason,
        date,
        subject,
    } = e
    else {
        return Vec::new();
    };
    vec![Revocation {
        subject: subject.clone(),
        serial: serial.clone(),
        status: RevocationStatus::Revoked {
            source: (*source).into(),
            reason: reason.clone(),
            time: format_time(*date),
        },
        ocsp_url: None,
        ocsp_request: None,
        crl_urls: Vec::new(),
    }]
}

/// Maps the most specific path error to the reader's reason.
pub fn path_reason(e: PathError) -> Reason {
    match e {
        PathError::Expired { .. } => Reason::Expired,
        PathError::NotYetValid { .. } => Reason::NotYetValid,
        PathError::Revoked { .. } => Reason::Revoked,
        PathError::RevocationUnknown { .. } => Reason::RevocationUnknown,
        PathError::UnknownIssuer { .. }
        | PathError::SelfSignedUntrusted
        | PathError::Distrusted { .. } => Reason::UntrustedRoot,
        PathError::ExtKeyUsage { .. } | PathError::CaUsedAsEndEntity => Reason::WrongKeyUsage,
        PathError::KeyUsage { required, .. }
            if required != "keyCertSign" && required != "cRLSign" =>
        {
            Reason::WrongKeyUsage
        }
        PathError::Weak(w) => Reason::WeakAlgorithm {
            what: format!("certificate chain {w}"),
        },
        PathError::Unsupported { what } => Reason::Unsupported { what },
        PathError::BudgetExceeded(_) | PathError::TooManyCerts | PathError::ChainTooLong => {
            Reason::LimitExceeded {
                which: e.to_string(),
            }
        }
        other => Reason::InvalidCertificate {
            what: other.to_string(),
        },
    }
}

/// The e-mail addresses a certificate vouches for: rfc822Name subjectAltNames and the
/// legacy `emailAddress` attribute of the subject DN (RFC 8550 §3).
pub fn cert_addresses(cert: &Certificate) -> Vec<String> {
    use x509::GeneralName;
    let mut out = Vec::new();
    for ext in &cert.extensions {
        if ext.extn_id == x509::ids::SUBJECT_ALT_NAME {
            if let Ok(san) = x509::parse_general_names(&ext.extn_value) {
                for gn in san {
                    if let GeneralName::Rfc822Name(n) = gn {
                        out.push(n);
                    }
                }
            }
        }
    }
    for e in super::names::dn_emails(&cert.subject) {
        if !out.iter().any(|o| same_address(o, &e)) {
            out.push(e);
        }
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A certificate as shown in the details.
pub fn cert_summary(cert: &Certificate) -> CertSummary {
    CertSummary {
        subject: super::names::display(&cert.subject),
        issuer: super::names::display(&cert.issuer),
        sha256: hex(&sha2::Sha256::digest(&cert.der)),
        not_before: Some(format_time(cert.not_before)),
        not_after: Some(format_time(cert.not_after)),
    }
}

fn anchor_summary(a: &TrustAnchor) -> CertSummary {
    CertSummary {
        subject: super::names::display(&a.subject),
        issuer: super::names::display(&a.subject),
        sha256: hex(&a.fingerprint_sha256),
        not_before: None,
        not_after: a.not_after.map(format_time),
    }
}
