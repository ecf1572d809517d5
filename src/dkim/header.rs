//! The message as DKIM sees it (RFC 6376 §3.4, RFC 5322 §2.2): a list of header fields, each
//! kept as its exact bytes, and the body after the first empty line.
//!
//! A signature covers the CRLF form of the message (RFC 5322 §2.1). Raw messages that come
//! from a webmail with bare LF line ends (a store that kept Unix line ends) are brought back to
//! CRLF first ([`to_crlf`]), as OpenDKIM and dkimpy do: a bare LF in a signed message could
//! not have crossed SMTP.

use std::borrow::Cow;

/// One header field: its name as written and its whole bytes, continuation lines and the
/// final CRLF included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field<'a> {
    /// The field name (before the colon), trailing spaces removed.
    pub name: &'a str,
    /// The whole field, `Name: value\r\n` with any folding.
    pub raw: &'a [u8],
}

impl Field<'_> {
    /// The value after the colon, unfolded and trimmed (lossy UTF-8), for reading.
    pub fn value(&self) -> String {
        let colon = self
            .raw
            .iter()
            .position(|&b| b == b':')
            .unwrap_or(self.raw.len());
        crate::smime::mime::unfold(self.raw.get(colon + 1..).unwrap_or_default())
    }

    /// Whether the field is named `name` (case-insensitive, RFC 5322 §1.2.2).
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }
}

/// A message split into header fields and body.
#[derive(Debug, Clone)]
pub struct Split<'a> {
    /// The header fields, in order.
    pub fields: Vec<Field<'a>>,
    /// The body: everything after the empty line (empty when there is none).
    pub body: &'a [u8],
}

/// The message with every bare LF (and bare CR) made CRLF; borrowed when it is already so.
pub fn to_crlf(raw: &[u8]) -> Cow<'_, [u8]> {
    let bare = raw.iter().enumerate().any(|(i, &b)| {
        (b == b'\n' && (i == 0 || raw[i - 1] != b'\r'))
            || (b == b'\r' && raw.get(i + 1) != Some(&b'\n'))
    });
    if !bare {
        return Cow::Borrowed(raw);
    }
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 32);
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'\r' if raw.get(i + 1) == Some(&b'\n') => {
                out.extend_from_slice(b"\r\n");
                i += 1;
            }
            b'\r' | b'\n' => out.extend_from_slice(b"\r\n"),
            b => out.push(b),
        }
        i += 1;
    }
    Cow::Owned(out)
}

/// Splits a CRLF message ([`to_crlf`]) into fields and body. A line in the header that is
/// neither a field nor a continuation (no colon) ends nothing and belongs to no field: it is
/// skipped, as it cannot be named in `h=`.
pub fn split(msg: &[u8]) -> Split<'_> {
    let mut fields = Vec::new();
    let mut pos = 0;
    let mut body: &[u8] = &[];
    while pos < msg.len() {
        let line_end = find_crlf(msg, pos).map_or(msg.len(), |e| e + 2);
        if msg[pos..line_end].starts_with(b"\r\n") {
            body = &msg[line_end..];
            break;
        }
        // The field goes on while the next line starts with a space or a tab.
        let mut end = line_end;
        while end < msg.len() && matches!(msg[end], b' ' | b'\t') {
            end = find_crlf(msg, end).map_or(msg.len(), |e| e + 2);
        }
        let raw = &msg[pos..end];
        if let Some(colon) = raw.iter().position(|&b| b == b':') {
            if let Ok(name) = std::str::from_utf8(&raw[..colon]) {
                let name = name.trim_end_matches([' ', '\t']);
                if !name.is_empty() && !name.contains([' ', '\t', '\r', '\n']) {
                    fields.push(Field { name, raw });
                }
            }
        }
        pos = end;
    }
    Split { fields, body }
}

/// The next line end at or after `from` (in a CRLF message every LF ends a CRLF).
fn find_crlf(msg: &[u8], from: usize) -> Option<usize> {
    memchr::memchr(b'\n', &msg[from..]).and_then(|i| (from + i).checked_sub(1))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn bare_line_ends_become_crlf() {
        assert_eq!(&*to_crlf(b"a\nb\r\nc\rd"), b"a\r\nb\r\nc\r\nd");
        assert!(matches!(to_crlf(b"a\r\nb"), Cow::Borrowed(_)));
    }

    #[test]
    fn fields_keep_their_folding_and_the_body_starts_after_the_empty_line() {
        let m = b"From: a@example.com\r\nSubject: one\r\n\ttwo\r\n\r\nbody\r\n";
        let s = split(m);
        assert_eq!(s.fields.len(), 2);
        assert_eq!(s.fields[1].raw, b"Subject: one\r\n\ttwo\r\n");
        assert_eq!(s.fields[1].value(), "one\ttwo");
        assert_eq!(s.body, b"body\r\n");
        let s = split(b"From: a@example.com\r\n");
        assert_eq!(s.body, b"");
    }
}
