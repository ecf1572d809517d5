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
    raw[pos..end]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(end, |i| pos + i)
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

/// Splits a multipart body into its body parts (RFC 2046 §5.1.1).
///
/// A delimiter is `--boundary` at the start of a line, optionally followed by transport
/// padding (spaces/tabs), and the line break *before* it belongs to the delimiter. So a part
/// ends right before the `CRLF` (or bare `LF`) that precedes the next delimiter line.
fn split_multipart(raw: &[u8], body: Range<usize>, boundary: &[u8]) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    let mut current: Option<usize> = None;
    let mut pos = body.start;
    let end = body.end;
    while pos < end {
        let le = line_end(raw, pos, end);
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
        pos = le + 1;
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

/// Size of the stack buffer that collects base64 characters between line breaks.
const BASE64_CHUNK: usize = 8192;

/// Decodes base64 (RFC 2045 §6.8), skipping whitespace and line breaks and stopping at the
/// first `=` padding. Characters outside the alphabet are skipped (lenient: the decoded bytes
/// are what the signature check sees, so leniency here cannot make a forgery verify).
///
/// Copy-light: the input is cleaned in a fixed stack buffer and decoded straight into the
/// output, so a 25 MB body costs one output allocation.
pub fn decode_base64(input: &[u8]) -> Vec<u8> {
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
        // Whole quanta only, except at the very end (handled by the caller passing the rest).
        if let Ok(k) = engine.decode_slice_unchecked(buf, &mut out[*written..]) {
            *written += k;
        }
    };
    let mut i = 0;
    while i < input.len() {
        let b = input[i];
        i += 1;
        let valid = b.is_ascii_alphanumeric() || b == b'+' || b == b'/';
        if valid {
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
    // A lone trailing character cannot encode a byte: drop it.
    let rest = n - n % 4 + if n % 4 >= 2 { n % 4 } else { 0 };
    if rest > 0 {
        flush(&buf[..rest], &mut out, &mut written);
    }
    out.truncate(written);
    out
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
    let mut pos = 0;
    while let Some(i) = data[pos..].iter().position(|&b| b == b'\n') {
        let lf = pos + i;
        if lf == 0 || data[lf - 1] != b'\r' {
            if lf > start {
                sink(&data[start..lf]);
            }
            sink(b"\r\n");
            start = lf + 1;
        }
        pos = lf + 1;
    }
    if start < data.len() {
        sink(&data[start..]);
    }
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
}
