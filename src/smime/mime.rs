//! MIME structure with byte offsets into the raw message (RFC 5322, RFC 2045-2049, RFC 8551).
//!
//! The parser never re-serialises anything: every [`Part`] records where its header block,
//! its body and its end lie in the raw bytes, so the signed bytes of a `multipart/signed`
//! entity are exactly the bytes between the boundaries (RFC 2046 §5.1.1: the line break
//! before a boundary delimiter belongs to the delimiter). It is lenient where it only
//! affects display (unknown transfer encodings, missing `MIME-Version`, stray lines in a
//! header block) and exact about the bytes a signature covers.
//!
//! Part numbers follow IMAP (RFC 3501 §6.4.5): the children of a multipart are `1`, `2`,
//! ...; the body of a single-part message is `1`; the message inside a `message/rfc822`
//! part `P` has its parts numbered `P.1`, `P.2`, ...

use std::ops::Range;

/// Largest message accepted, in bytes (the extension benchmarks 25 MB messages).
pub const MAX_MESSAGE_SIZE: usize = 64 * 1024 * 1024;
/// Deepest nesting of MIME entities (multiparts and `message/rfc822`) that is parsed.
pub const MAX_MIME_DEPTH: usize = 32;
/// Most MIME entities (including multiparts themselves) in one message.
pub const MAX_MIME_PARTS: usize = 2000;
/// Longest single header field, folded lines included, in bytes.
pub const MAX_HEADER_LENGTH: usize = 64 * 1024;

/// Why a message could not be split into MIME parts.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MimeError {
    /// The message is larger than [`MAX_MESSAGE_SIZE`] (or the caller's limit).
    TooLarge {
        /// The message size in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// Entities are nested deeper than [`MAX_MIME_DEPTH`] (or the caller's limit).
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// More entities than [`MAX_MIME_PARTS`] (or the caller's limit).
    TooManyParts {
        /// The limit.
        limit: usize,
    },
    /// A header field is longer than [`MAX_HEADER_LENGTH`] (or the caller's limit).
    HeaderTooLong {
        /// The byte offset of the field in the message.
        offset: usize,
        /// The limit.
        limit: usize,
    },
}

impl std::fmt::Display for MimeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TooLarge { size, limit } => {
                write!(f, "message of {size} bytes exceeds the {limit}-byte limit")
            }
            Self::TooDeep { limit } => write!(f, "MIME nesting deeper than {limit} levels"),
            Self::TooManyParts { limit } => write!(f, "more than {limit} MIME parts"),
            Self::HeaderTooLong { offset, limit } => {
                write!(f, "header field at byte {offset} longer than {limit} bytes")
            }
        }
    }
}

impl std::error::Error for MimeError {}

/// Limits applied while splitting a message; the defaults are the named constants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MimeLimits {
    /// See [`MAX_MESSAGE_SIZE`].
    pub max_message_size: usize,
    /// See [`MAX_MIME_DEPTH`].
    pub max_depth: usize,
    /// See [`MAX_MIME_PARTS`].
    pub max_parts: usize,
    /// See [`MAX_HEADER_LENGTH`].
    pub max_header_length: usize,
}

impl Default for MimeLimits {
    fn default() -> Self {
        Self {
            max_message_size: MAX_MESSAGE_SIZE,
            max_depth: MAX_MIME_DEPTH,
            max_parts: MAX_MIME_PARTS,
            max_header_length: MAX_HEADER_LENGTH,
        }
    }
}

/// One header field: byte ranges of its name and of its raw (still folded) value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The field name, without the colon.
    pub name: Range<usize>,
    /// The raw value after the colon, up to (not including) the final line break.
    pub value: Range<usize>,
}

/// A parsed `Content-Type` (RFC 2045 §5.1), lowercased type/subtype, parameters as given.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContentType {
    /// Media type, lowercase (`text` when absent, RFC 2045 §5.2).
    pub mtype: String,
    /// Subtype, lowercase (`plain` when absent).
    pub subtype: String,
    /// Parameters: name lowercased, value unquoted.
    pub params: Vec<(String, String)>,
}

impl ContentType {
    /// The value of parameter `name` (case-insensitive), if present.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `type/subtype`.
    pub fn essence(&self) -> String {
        format!("{}/{}", self.mtype, self.subtype)
    }

    /// Whether this is `type/subtype` (arguments lowercase).
    pub fn is(&self, mtype: &str, subtype: &str) -> bool {
        self.mtype == mtype && self.subtype == subtype
    }
}

/// `Content-Transfer-Encoding` (RFC 2045 §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferEncoding {
    /// `7bit`, `8bit`, `binary` or absent: the body is used as it stands.
    Identity,
    /// `base64`.
    Base64,
    /// `quoted-printable`.
    QuotedPrintable,
    /// Anything else (e.g. `x-uuencode`): shown, not decoded.
    Unknown,
}

/// How an entity takes part in S/MIME (RFC 8551 §3.5, §3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedKind {
    /// Not a signed entity.
    None,
    /// `multipart/signed` with a PKCS #7 protocol: part 1 is the content, part 2 the signature.
    Detached,
    /// `application/pkcs7-mime` (or `x-`) with `smime-type=signed-data`, or a `.p7m` without
    /// `smime-type`: the body is a CMS SignedData carrying the content.
    Opaque,
    /// `application/pkcs7-mime` that is not signed data (enveloped, compressed, ...).
    OtherCms,
}

/// One MIME entity of the message.
#[derive(Debug, Clone)]
pub struct Part {
    /// IMAP part number, e.g. `[2, 1]` for "2.1"; empty for the top-level entity.
    pub path: Vec<usize>,
    /// Index of the parent entity in [`Message::parts`].
    pub parent: Option<usize>,
    /// Indices of the children (multipart children, or the one message of `message/rfc822`).
    pub children: Vec<usize>,
    /// Nesting depth (0 for the top level).
    pub depth: usize,
    /// The whole entity: header block, blank line and body.
    pub range: Range<usize>,
    /// The body alone.
    pub body: Range<usize>,
    /// Header fields in order.
    pub headers: Vec<Header>,
    /// Parsed `Content-Type` (default `text/plain`, or `message/rfc822` in a digest).
    pub content_type: ContentType,
    /// Parsed `Content-Transfer-Encoding`.
    pub encoding: TransferEncoding,
    /// `Content-Disposition` value, lowercase, without parameters (e.g. `attachment`).
    pub disposition: Option<String>,
    /// Whether this entity is a header block of a message (top level or `message/rfc822`
    /// body) rather than a body part.
    pub is_message: bool,
    /// S/MIME role of this entity.
    pub signed: SignedKind,
}

/// A message split into entities. `parts[0]` is the top-level entity.
#[derive(Debug, Clone)]
pub struct Message<'a> {
    /// The raw bytes everything refers to.
    pub raw: &'a [u8],
    /// Every entity in pre-order.
    pub parts: Vec<Part>,
}

/// Formats an IMAP part path (`[2, 1]` -> `"2.1"`, `[]` -> `""`).
pub fn path_string(path: &[usize]) -> String {
    path.iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(".")
}

impl<'a> Message<'a> {
    /// Splits `raw` into MIME entities.
    pub fn parse(raw: &'a [u8], limits: &MimeLimits) -> Result<Self, MimeError> {
        if raw.len() > limits.max_message_size {
            return Err(MimeError::TooLarge {
                size: raw.len(),
                limit: limits.max_message_size,
            });
        }
        let mut msg = Message {
            raw,
            parts: Vec::new(),
        };
        msg.parse_entity(0..raw.len(), Vec::new(), None, 0, true, false, limits)?;
        Ok(msg)
    }

    /// The raw bytes of a range.
    pub fn bytes(&self, r: &Range<usize>) -> &'a [u8] {
        &self.raw[r.clone()]
    }

    /// The first header named `name` of entity `part`, unfolded and trimmed (lossy UTF-8).
    pub fn header(&self, part: usize, name: &str) -> Option<String> {
        self.headers_named(part, name).into_iter().next()
    }

    /// All headers named `name` of entity `part`, unfolded and trimmed (lossy UTF-8).
    pub fn headers_named(&self, part: usize, name: &str) -> Vec<String> {
        self.parts[part]
            .headers
            .iter()
            .filter(|h| self.raw[h.name.clone()].eq_ignore_ascii_case(name.as_bytes()))
            .map(|h| unfold(&self.raw[h.value.clone()]))
            .collect()
    }

    /// Decodes the body of `part` according to its transfer encoding.
    pub fn decoded_body(&self, part: usize) -> Vec<u8> {
        let p = &self.parts[part];
        let body = &self.raw[p.body.clone()];
        match p.encoding {
            TransferEncoding::Base64 => decode_base64(body),
            TransferEncoding::QuotedPrintable => decode_quoted_printable(body),
            _ => body.to_vec(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn parse_entity(
        &mut self,
        range: Range<usize>,
        path: Vec<usize>,
        parent: Option<usize>,
        depth: usize,
        is_message: bool,
        in_digest: bool,
        limits: &MimeLimits,
    ) -> Result<usize, MimeError> {
        if depth > limits.max_depth {
            return Err(MimeError::TooDeep {
                limit: limits.max_depth,
            });
        }
        if self.parts.len() >= limits.max_parts {
            return Err(MimeError::TooManyParts {
                limit: limits.max_parts,
            });
        }
        let (headers, body_start) = parse_headers(self.raw, range.clone(), limits)?;
        let idx = self.parts.len();
        let mut part = Part {
            path: path.clone(),
            parent,
            children: Vec::new(),
            depth,
            range: range.clone(),
            body: body_start..range.end,
            headers,
            content_type: ContentType::default(),
            encoding: TransferEncoding::Identity,
            disposition: None,
            is_message,
            signed: SignedKind::None,
        };
        self.parts.push(part.clone());
        let ct = self.header(idx, "content-type");
        part.content_type = match ct.as_deref().and_then(parse_content_type) {
            Some(ct) => ct,
            None if in_digest => ContentType {
                mtype: "message".into(),
                subtype: "rfc822".into(),
                params: vec![],
            },
            None => ContentType {
                mtype: "text".into(),
                subtype: "plain".into(),
                params: vec![],
            },
        };
        part.encoding = match self
            .header(idx, "content-transfer-encoding")
            .map(|v| v.trim().to_ascii_lowercase())
            .as_deref()
        {
            None | Some("7bit") | Some("8bit") | Some("binary") => TransferEncoding::Identity,
            Some("base64") => TransferEncoding::Base64,
            Some("quoted-printable") => TransferEncoding::QuotedPrintable,
            Some(_) => TransferEncoding::Unknown,
        };
        part.disposition = self.header(idx, "content-disposition").map(|d| {
            d.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
        part.signed = classify(&part.content_type);
        let ct = part.content_type.clone();
        self.parts[idx] = part;

        if ct.mtype == "multipart" {
            if let Some(boundary) = ct.param("boundary").filter(|b| !b.is_empty()) {
                let bodies = split_multipart(self.raw, body_start..range.end, boundary.as_bytes());
                let digest = ct.subtype == "digest";
                for (i, r) in bodies.into_iter().enumerate() {
                    let mut p = path.clone();
                    p.push(i + 1);
                    let child =
                        self.parse_entity(r, p, Some(idx), depth + 1, false, digest, limits)?;
                    self.parts[idx].children.push(child);
                }
            }
        } else if ct.is("message", "rfc822") && self.parts[idx].encoding != TransferEncoding::Base64
        {
            // The inner message's parts are numbered below this part (RFC 3501 §6.4.5).
            // A base64-encoded message/rfc822 (not allowed by RFC 2046 §5.2.1) is left opaque.
            let child = self.parse_entity(
                body_start..range.end,
                path.clone(),
                Some(idx),
                depth + 1,
                true,
                false,
                limits,
            )?;
            self.parts[idx].children.push(child);
        }
        Ok(idx)
    }

    /// Indices of every signed entity (detached or opaque), in pre-order.
    pub fn signed_entities(&self) -> Vec<usize> {
        (0..self.parts.len())
            .filter(|&i| {
                matches!(
                    self.parts[i].signed,
                    SignedKind::Detached | SignedKind::Opaque
                )
            })
            .collect()
    }
}

fn classify(ct: &ContentType) -> SignedKind {
    let pkcs7 = |s: &str| {
        let s = s.trim().to_ascii_lowercase();
        s == "application/pkcs7-signature" || s == "application/x-pkcs7-signature"
    };
    if ct.is("multipart", "signed") && ct.param("protocol").is_some_and(pkcs7) {
        return SignedKind::Detached;
    }
    if ct.mtype == "application" && (ct.subtype == "pkcs7-mime" || ct.subtype == "x-pkcs7-mime") {
        return match ct.param("smime-type").map(|s| s.to_ascii_lowercase()) {
            Some(t) if t == "signed-data" => SignedKind::Opaque,
            // RFC 8551 §3.2.2: without smime-type, look at the content (done by the caller
            // after decoding); a `.p7m` name is a strong hint. We try SignedData.
            None => SignedKind::Opaque,
            Some(_) => SignedKind::OtherCms,
        };
    }
    SignedKind::None
}

/// Finds the end of a line starting at `pos` (index of `\n`, or `end`).
fn line_end(raw: &[u8], pos: usize, end: usize) -> usize {
    memchr::memchr(b'\n', &raw[pos..end]).map_or(end, |i| pos + i)
}

/// Parses the header block at the start of `range`; returns the headers and the body start.
fn parse_headers(
    raw: &[u8],
    range: Range<usize>,
    limits: &MimeLimits,
) -> Result<(Vec<Header>, usize), MimeError> {
    let end = range.end;
    let mut pos = range.start;
    let mut headers: Vec<Header> = Vec::new();
    while pos < end {
        let le = line_end(raw, pos, end);
        let line = &raw[pos..le];
        let line_trim = line.strip_suffix(b"\r").unwrap_or(line);
        if line_trim.is_empty() {
            // The blank line separates header and body.
            return Ok((headers, (le + 1).min(end)));
        }
        if line[0] == b' ' || line[0] == b'\t' {
            if let Some(h) = headers.last_mut() {
                h.value.end = pos + line_trim.len();
                if h.value.end - h.name.start > limits.max_header_length {
                    return Err(MimeError::HeaderTooLong {
                        offset: h.name.start,
                        limit: limits.max_header_length,
                    });
                }
                pos = le + 1;
                continue;
            }
        }
        match line_trim.iter().position(|&b| b == b':') {
            Some(colon)
                if !line_trim[..colon].trim_ascii_end().is_empty()
                    && line_trim[..colon]
                        .trim_ascii_end()
                        .iter()
                        .all(|&b| b.is_ascii_graphic()) =>
            {
                if line_trim.len() > limits.max_header_length {
                    return Err(MimeError::HeaderTooLong {
                        offset: pos,
                        limit: limits.max_header_length,
                    });
                }
                let name_end = pos + line_trim[..colon].trim_ascii_end().len();
                headers.push(Header {
                    name: pos..name_end,
                    value: pos + colon + 1..pos + line_trim.len(),
                });
                pos = le + 1;
            }
            // An mbox "From " line at the very top is skipped.
            _ if headers.is_empty() && pos == range.start && line.starts_with(b"From ") => {
                pos = le + 1;
            }
            // Not a header line: the body starts here (lenient, RFC 5322 has no such case).
            _ => return Ok((headers, pos)),
        }
    }
    Ok((headers, end))
}

/// Guessed byte frequencies in mail bodies, for the delimiter search: line breaks, spaces,
/// letters, digits and the base64 characters are everywhere (the content and the signature
/// are often base64), so the search keys on the delimiter's other bytes (the dashes most
/// boundaries start with, `_`, `=`, ...). With the library's default (text) frequencies it
/// keyed on a letter or digit and ran at half the speed in wasm (tools/bench, 25 MB).
struct MailBodyRank;

impl memchr::arch::all::packedpair::HeuristicFrequencyRank for MailBodyRank {
    fn rank(&self, byte: u8) -> u8 {
        match byte {
            b'\n' | b'\r' | b' ' => 255,
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'+' | b'/' => 240,
            b'\t' | b'.' | b',' => 200,
            // Quoted-printable escapes and base64 padding.
            b'=' => 150,
            _ => 100,
        }
    }
}

/// Splits a multipart body into its body parts (RFC 2046 §5.1.1).
///
/// A delimiter is `--boundary` at the start of a line, optionally followed by transport
/// padding (spaces/tabs), and the line break *before* it belongs to the delimiter. So a part
/// ends right before the `CRLF` (or bare `LF`) that precedes the next delimiter line.
///
/// Only lines that start with `--boundary` are looked at: they are found with a substring
/// search for `LF--boundary` (plus the body's first line), not by walking every line, so a
/// 25 MB signed part costs one fast scan.
fn split_multipart(raw: &[u8], body: Range<usize>, boundary: &[u8]) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    // No line contains a line feed, so such a boundary never matches (the unfolded header
    // value cannot hold one anyway).
    if memchr::memchr(b'\n', boundary).is_some() {
        return parts;
    }
    let end = body.end;
    let bytes = &raw[body.start..end];
    let mut needle = Vec::with_capacity(3 + boundary.len());
    needle.extend_from_slice(b"\n--");
    needle.extend_from_slice(boundary);
    // Starts of the lines that begin with `--boundary`, in order. The needle holds its only
    // line feed first, so two of its occurrences never overlap and none is skipped.
    let first = bytes.starts_with(&needle[1..]).then_some(body.start);
    let finder =
        memchr::memmem::FinderBuilder::new().build_forward_with_ranker(MailBodyRank, &needle);
    let rest = finder.find_iter(bytes).map(|i| body.start + i + 1);
    let mut current: Option<usize> = None;
    for pos in first.into_iter().chain(rest) {
        let le = line_end(raw, pos, end);
        let line = &raw[pos..le];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        // The match ran into the stripped CR (only for a boundary ending in CR): no delimiter.
        if line.len() < 2 + boundary.len() {
            continue;
        }
        let rest = &line[2 + boundary.len()..];
        let closing = rest.starts_with(b"--");
        let padding = if closing { &rest[2..] } else { rest };
        if padding.iter().all(|&b| b == b' ' || b == b'\t') {
            if let Some(start) = current.take() {
                // Drop the line break before the delimiter (CRLF or bare LF).
                let mut e = pos;
                if e > start && raw[e - 1] == b'\n' {
                    e -= 1;
                    if e > start && raw[e - 1] == b'\r' {
                        e -= 1;
                    }
                }
                parts.push(start..e.max(start));
            }
            if closing {
                return parts;
            }
            current = Some((le + 1).min(end));
        }
    }
    // Missing close delimiter: the last part runs to the end (lenient).
    if let Some(start) = current {
        parts.push(start..end);
    }
    parts
}

/// Unfolds a header value (RFC 5322 §2.2.3), lossy UTF-8, trimmed.
pub fn unfold(value: &[u8]) -> String {
    let mut out = Vec::with_capacity(value.len());
    for &b in value {
        if b != b'\r' && b != b'\n' {
            out.push(b);
        }
    }
    String::from_utf8_lossy(&out).trim().to_string()
}

/// Parses a `Content-Type` value (RFC 2045 §5.1, RFC 2231 continuations not joined).
pub fn parse_content_type(value: &str) -> Option<ContentType> {
    let value = strip_comments(value);
    let mut it = split_params(&value).into_iter();
    let essence = it.next()?;
    let (t, s) = essence.split_once('/')?;
    let (t, s) = (t.trim().to_ascii_lowercase(), s.trim().to_ascii_lowercase());
    if t.is_empty() || s.is_empty() {
        return None;
    }
    let params = it
        .filter_map(|p| {
            let (n, v) = p.split_once('=')?;
            let v = v.trim();
            let v = if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') {
                unquote(&v[1..v.len() - 1])
            } else {
                v.to_string()
            };
            Some((n.trim().to_ascii_lowercase(), v))
        })
        .collect();
    Some(ContentType {
        mtype: t,
        subtype: s,
        params,
    })
}

fn unquote(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut esc = false;
    for c in s.chars() {
        if esc {
            out.push(c);
            esc = false;
        } else if c == '\\' {
            esc = true;
        } else {
            out.push(c);
        }
    }
    out
}

/// Removes RFC 5322 comments outside quoted strings.
fn strip_comments(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let (mut depth, mut quoted, mut esc) = (0usize, false, false);
    for c in s.chars() {
        if esc {
            if depth == 0 {
                out.push(c);
            }
            esc = false;
            continue;
        }
        match c {
            '\\' if quoted || depth > 0 => {
                esc = true;
                if depth == 0 {
                    out.push(c);
                }
            }
            '"' if depth == 0 => {
                quoted = !quoted;
                out.push(c);
            }
            '(' if !quoted => depth += 1,
            ')' if !quoted && depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Splits on `;` outside quoted strings.
fn split_params(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut quoted, mut esc) = (false, false);
    for c in s.chars() {
        if esc {
            cur.push(c);
            esc = false;
            continue;
        }
        match c {
            '\\' if quoted => {
                esc = true;
                cur.push(c);
            }
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            ';' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Decodes base64 (RFC 2045 §6.8) leniently: whitespace, line breaks and characters outside
/// the alphabet are skipped, decoding stops at the first `=`. The work is done by the
/// `impalemail-scan` crate (`crates/scan`), compiled for speed while this crate is compiled
/// for size (Cargo.toml).
pub fn decode_base64(input: &[u8]) -> Vec<u8> {
    impalemail_scan::decode(input)
}

/// Decodes quoted-printable (RFC 2045 §6.7), leniently: bad escapes are kept as they are.
pub fn decode_quoted_printable(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut i = 0;
    while i < input.len() {
        let b = input[i];
        if b == b'=' {
            // Soft line break: "=" then optional whitespace then CRLF or LF.
            let mut j = i + 1;
            while j < input.len() && (input[j] == b' ' || input[j] == b'\t') {
                j += 1;
            }
            if j < input.len() && input[j] == b'\n' {
                i = j + 1;
                continue;
            }
            if j + 1 < input.len() && input[j] == b'\r' && input[j + 1] == b'\n' {
                i = j + 2;
                continue;
            }
            if j >= input.len() {
                break;
            }
            if i + 2 < input.len() {
                if let (Some(h), Some(l)) = (hex(input[i + 1]), hex(input[i + 2])) {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
            }
            out.push(b);
            i += 1;
        } else {
            out.push(b);
            i += 1;
        }
    }
    out
}

/// Feeds `data` to `sink` in the canonical form of RFC 8551 §3.1.1: every bare `LF` becomes
/// `CRLF`; bytes are otherwise untouched. Chunks borrow from `data` (no copy of the content).
pub fn for_each_canonical_chunk(data: &[u8], mut sink: impl FnMut(&[u8])) {
    let mut start = 0;
    // CRLF-only data (the usual case) reaches the sink as one slice. The search restarts just
    // after each bare LF, so a LF at the start of the rest is bare too (an LF precedes it).
    while let Some(k) = impalemail_scan::first_bare_lf(&data[start..]) {
        let lf = start + k;
        if lf > start {
            sink(&data[start..lf]);
        }
        sink(b"\r\n");
        start = lf + 1;
    }
    if start < data.len() {
        sink(&data[start..]);
    }
}

/// Whether `data` is in canonical form already (no bare LF): its digest is then the digest of
/// its bytes as they are.
pub fn is_canonical(data: &[u8]) -> bool {
    impalemail_scan::first_bare_lf(data).is_none()
}

/// The canonical form of `data` as one buffer (see [`for_each_canonical_chunk`]).
pub fn canonical(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 64);
    for_each_canonical_chunk(data, |c| out.extend_from_slice(c));
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn boundary_crlf_belongs_to_the_delimiter() {
        let raw = b"Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=b\r\n\r\npreamble\r\n--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n\r\n--b\r\nContent-Type: application/pkcs7-signature\r\n\r\nAAAA\r\n--b--\r\n";
        let m = Message::parse(raw, &MimeLimits::default()).unwrap();
        assert_eq!(m.parts.len(), 3);
        assert_eq!(m.parts[0].signed, SignedKind::Detached);
        let p1 = &m.parts[1];
        assert_eq!(
            m.bytes(&p1.range),
            b"Content-Type: text/plain\r\n\r\nhello\r\n"
        );
        assert_eq!(m.bytes(&p1.body), b"hello\r\n");
        assert_eq!(p1.path, vec![1]);
    }

    #[test]
    fn lf_only_and_canonical() {
        let raw =
            b"Content-Type: multipart/mixed; boundary=\"x y\"\n\n--x y\nA: b\n\nline\n--x y--\n";
        let m = Message::parse(raw, &MimeLimits::default()).unwrap();
        assert_eq!(m.bytes(&m.parts[1].range), b"A: b\n\nline");
        assert_eq!(canonical(b"a\nb\r\nc\n"), b"a\r\nb\r\nc\r\n");
        assert_eq!(canonical(b"\n"), b"\r\n");
    }

    #[test]
    fn base64_tolerates_whitespace() {
        assert_eq!(decode_base64(b"aGVs\r\n bG8=\r\n"), b"hello");
        assert_eq!(decode_base64(b"aGVsbG8"), b"hello");
        let big: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        use base64::Engine;
        let enc = base64::engine::general_purpose::STANDARD.encode(&big);
        let wrapped: Vec<u8> = enc
            .as_bytes()
            .chunks(76)
            .flat_map(|c| c.iter().copied().chain(*b"\r\n"))
            .collect();
        assert_eq!(decode_base64(&wrapped), big);
    }

    #[test]
    fn quoted_printable() {
        assert_eq!(decode_quoted_printable(b"a=3Db=\r\nc=\nd ="), b"a=bcd ");
    }

    #[test]
    fn limits_are_enforced() {
        let l = MimeLimits {
            max_depth: 2,
            ..MimeLimits::default()
        };
        let raw = b"Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: multipart/mixed; boundary=c\r\n\r\n--c\r\n\r\nx\r\n--c--\r\n--b--\r\n--a--\r\n";
        assert_eq!(
            Message::parse(raw, &l).unwrap_err(),
            MimeError::TooDeep { limit: 2 }
        );
        let l = MimeLimits {
            max_header_length: 10,
            ..MimeLimits::default()
        };
        assert!(matches!(
            Message::parse(b"Subject: a very long subject\r\n\r\n", &l),
            Err(MimeError::HeaderTooLong { .. })
        ));
    }

    // ---- Property tests: the fast paths against the previous, simple implementations ----

    use impalemail_scan::{is_base64_char, CHUNK as BASE64_CHUNK};

    /// The byte-by-byte `decode_base64` this module had before the fast path (reference).
    fn decode_base64_reference(input: &[u8]) -> Vec<u8> {
        use base64::Engine;
        let engine = base64::engine::general_purpose::GeneralPurpose::new(
            &base64::alphabet::STANDARD,
            base64::engine::general_purpose::GeneralPurposeConfig::new()
                .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
                .with_decode_allow_trailing_bits(true),
        );
        let mut out = vec![0u8; input.len() / 4 * 3 + 3];
        let mut written = 0;
        let mut buf = [0u8; BASE64_CHUNK];
        let mut n = 0;
        let flush = |buf: &[u8], out: &mut Vec<u8>, written: &mut usize| {
            if let Ok(k) = engine.decode_slice_unchecked(buf, &mut out[*written..]) {
                *written += k;
            }
        };
        for &b in input {
            if is_base64_char(b) {
                buf[n] = b;
                n += 1;
                if n == BASE64_CHUNK {
                    flush(&buf[..n], &mut out, &mut written);
                    n = 0;
                }
            } else if b == b'=' {
                break;
            }
        }
        let rest = n - n % 4 + if n % 4 >= 2 { n % 4 } else { 0 };
        if rest > 0 {
            flush(&buf[..rest], &mut out, &mut written);
        }
        out.truncate(written);
        out
    }

    /// The line-by-line canonicalisation this module had before (reference): the chunks.
    fn canonical_chunks_reference(data: &[u8]) -> Vec<Vec<u8>> {
        let mut chunks = Vec::new();
        let mut start = 0;
        let mut pos = 0;
        while let Some(i) = data[pos..].iter().position(|&b| b == b'\n') {
            let lf = pos + i;
            if lf == 0 || data[lf - 1] != b'\r' {
                if lf > start {
                    chunks.push(data[start..lf].to_vec());
                }
                chunks.push(b"\r\n".to_vec());
                start = lf + 1;
            }
            pos = lf + 1;
        }
        if start < data.len() {
            chunks.push(data[start..].to_vec());
        }
        chunks
    }

    /// The line-by-line multipart split this module had before (reference).
    fn split_multipart_reference(
        raw: &[u8],
        body: Range<usize>,
        boundary: &[u8],
    ) -> Vec<Range<usize>> {
        let line_end = |pos: usize, end: usize| {
            raw[pos..end]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(end, |i| pos + i)
        };
        let mut parts = Vec::new();
        let mut current: Option<usize> = None;
        let mut pos = body.start;
        let end = body.end;
        while pos < end {
            let le = line_end(pos, end);
            let line = &raw[pos..le];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.len() >= 2 + boundary.len()
                && line.starts_with(b"--")
                && &line[2..2 + boundary.len()] == boundary
            {
                let rest = &line[2 + boundary.len()..];
                let closing = rest.starts_with(b"--");
                let padding = if closing { &rest[2..] } else { rest };
                if padding.iter().all(|&b| b == b' ' || b == b'\t') {
                    if let Some(start) = current.take() {
                        let mut e = pos;
                        if e > start && raw[e - 1] == b'\n' {
                            e -= 1;
                            if e > start && raw[e - 1] == b'\r' {
                                e -= 1;
                            }
                        }
                        parts.push(start..e.max(start));
                    }
                    if closing {
                        return parts;
                    }
                    current = Some((le + 1).min(end));
                }
            }
            pos = le + 1;
        }
        if let Some(start) = current {
            parts.push(start..end);
        }
        parts
    }

    /// A small deterministic generator (xorshift64*), so failures reproduce.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
        fn pick<'a>(&mut self, items: &[&'a [u8]]) -> &'a [u8] {
            items[self.below(items.len())]
        }
    }

    /// Base64 text as mail has it: encoded random bytes, wrapped at a random width with CRLF
    /// or LF, and sometimes damaged (junk, spaces, an early `=`, cut at any length).
    fn generated_base64(rng: &mut Rng) -> Vec<u8> {
        let len = match rng.below(4) {
            0 => rng.below(16),
            1 => rng.below(300),
            2 => rng.below(20_000),
            _ => 6144 * (1 + rng.below(4)) + rng.below(7) - 3,
        };
        let data: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        use base64::Engine;
        let enc = base64::engine::general_purpose::STANDARD.encode(&data);
        // Fixed widths (76, 64, any), one line, or a new width for every line.
        let width = match rng.below(5) {
            0 => 76,
            1 => 64,
            2 => 1 + rng.below(200),
            3 => usize::MAX,
            _ => 0,
        };
        let eol: &[u8] = rng.pick(&[b"\r\n", b"\n", b"\r\n", b"\r\n"]);
        let mut out = Vec::with_capacity(enc.len() * 2);
        let mut rest = enc.as_bytes();
        while !rest.is_empty() {
            let w = if width == 0 {
                1 + rng.below(100)
            } else {
                width
            };
            let (line, tail) = rest.split_at(w.min(rest.len()));
            out.extend_from_slice(line);
            out.extend_from_slice(eol);
            rest = tail;
        }
        // Damage: a few insertions of characters the decoder must skip or stop at.
        let junk: &[&[u8]] = &[
            b" ",
            b"\t",
            b"\r",
            b"\n",
            b"-",
            b"_",
            b".",
            b"\xff",
            b"\x80",
            b"\0",
            b"=",
            b"==",
            b"\r\n\r\n",
            b"*",
        ];
        if rng.below(2) == 0 {
            for _ in 0..1 + rng.below(6) {
                let at = rng.below(out.len() + 1);
                let j = rng.pick(junk);
                out.splice(at..at, j.iter().copied());
            }
        }
        if rng.below(4) == 0 {
            let cut = rng.below(out.len() + 1);
            out.truncate(cut);
        }
        out
    }

    #[test]
    fn base64_fast_path_matches_reference() {
        let mut rng = Rng(0x1A9A_1E4A_11B6_4D11);
        for case in 0..1500 {
            let input = generated_base64(&mut rng);
            assert_eq!(
                decode_base64(&input),
                decode_base64_reference(&input),
                "case {case}: {:?}",
                String::from_utf8_lossy(&input[..input.len().min(200)])
            );
        }
        // Arbitrary bytes from an alphabet rich in the characters that matter.
        let alphabet = b"AZaz09+/= \t\r\n-_\xc3";
        for case in 0..3000 {
            let len = rng.below(if case % 10 == 0 { 30_000 } else { 64 });
            let input: Vec<u8> = (0..len)
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect();
            assert_eq!(
                decode_base64(&input),
                decode_base64_reference(&input),
                "alphabet case {case}: {input:?}"
            );
        }
    }

    #[test]
    fn base64_padding_at_buffer_edges_matches_reference() {
        // A `=` where a full buffer ends is valid padding to the crate; nothing after it may
        // count. Every position around the first two buffer ends, with and without breaks.
        for k in
            (BASE64_CHUNK - 9..BASE64_CHUNK + 3).chain(2 * BASE64_CHUNK - 5..2 * BASE64_CHUNK + 1)
        {
            for pad in [&b"="[..], b"==", b"=A", b"=\r\nQUJD"] {
                let mut input = vec![b'Q'; k];
                input.extend_from_slice(pad);
                input.extend_from_slice(b"QUJDRA==QUJD");
                assert_eq!(
                    decode_base64(&input),
                    decode_base64_reference(&input),
                    "{k} {pad:?}"
                );
                let wrapped: Vec<u8> = input
                    .chunks(76)
                    .flat_map(|c| c.iter().chain(b"\r\n").copied())
                    .collect();
                assert_eq!(
                    decode_base64(&wrapped),
                    decode_base64_reference(&wrapped),
                    "{k}"
                );
            }
        }
    }

    #[test]
    fn base64_valid_input_decodes_through_the_fast_path() {
        // One long line, 76-column CRLF lines, and a body with a junk space every line: all
        // must give back the original bytes.
        use base64::Engine;
        let data: Vec<u8> = (0..100_003u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let enc = base64::engine::general_purpose::STANDARD.encode(&data);
        assert_eq!(decode_base64(enc.as_bytes()), data);
        for sep in [&b"\r\n"[..], b" \r\n", b"\n\t"] {
            let wrapped: Vec<u8> = enc
                .as_bytes()
                .chunks(76)
                .flat_map(|c| c.iter().chain(sep.iter()).copied())
                .collect();
            assert_eq!(decode_base64(&wrapped), data);
        }
    }

    #[test]
    fn canonical_fast_path_matches_reference() {
        let mut rng = Rng(0xC0FF_EE00_D15E_A5E5);
        let pieces: &[&[u8]] = &[
            b"\r\n",
            b"\n",
            b"\r",
            b"a",
            b"line of text ",
            b"\r\r\n",
            b"\n\n",
        ];
        for case in 0..3000 {
            let n = rng.below(if case % 20 == 0 { 2000 } else { 40 });
            let mut data = Vec::new();
            for _ in 0..n {
                data.extend_from_slice(rng.pick(pieces));
            }
            let mut chunks = Vec::new();
            for_each_canonical_chunk(&data, |c| chunks.push(c.to_vec()));
            assert_eq!(
                chunks,
                canonical_chunks_reference(&data),
                "case {case}: {data:?}"
            );
            assert_eq!(canonical(&data), chunks.concat(), "case {case}");
        }
        // CRLF-only data is handed over as one slice.
        let crlf = b"a\r\nb\r\n\r\nc".repeat(1000);
        let mut calls = 0;
        for_each_canonical_chunk(&crlf, |_| calls += 1);
        assert_eq!(calls, 1);
    }

    #[test]
    fn multipart_split_matches_reference() {
        let mut rng = Rng(0x5EED_0FB0_4DA2_u64);
        let boundaries: &[&[u8]] = &[b"b", b"b-", b"-", b"=_x y", b"bb", b"b\r"];
        for case in 0..4000 {
            let boundary = rng.pick(boundaries);
            let delim = |closing: bool, rng: &mut Rng| {
                let mut l = b"--".to_vec();
                l.extend_from_slice(boundary);
                if closing {
                    l.extend_from_slice(b"--");
                }
                l.extend_from_slice(rng.pick(&[b"", b"", b" ", b"\t ", b"x", b"-", b"--"]));
                l
            };
            let mut raw = Vec::new();
            for _ in 0..rng.below(14) {
                let line = match rng.below(6) {
                    0 => delim(false, &mut rng),
                    1 => delim(true, &mut rng),
                    2 => rng
                        .pick(&[b"", b"text", b"-", b"--", b"- -b", b"\r"])
                        .to_vec(),
                    3 => {
                        let mut l = rng.pick(&[b"x", b" ", b"-"]).to_vec();
                        l.extend(delim(false, &mut rng));
                        l
                    }
                    _ => b"Content-Type: text/plain".to_vec(),
                };
                raw.extend(line);
                raw.extend_from_slice(rng.pick(&[b"\r\n", b"\n", b"\r\n", b""]));
            }
            let a = rng.below(raw.len() + 1);
            let b = a + rng.below(raw.len() - a + 1);
            assert_eq!(
                split_multipart(&raw, a..b, boundary),
                split_multipart_reference(&raw, a..b, boundary),
                "case {case}: {:?} {a}..{b} {:?}",
                String::from_utf8_lossy(boundary),
                String::from_utf8_lossy(&raw)
            );
        }
    }
}
