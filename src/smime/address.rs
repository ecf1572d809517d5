//! `From` and `Sender` parsing for the sender binding (RFC 5322 §3.4, §3.6.2; RFC 2047).
//!
//! Lenient for display (comments, obsolete `addr (Name)` forms, encoded words in several
//! charsets), strict about what counts: only the `addr-spec` is compared with the signer
//! certificate, never the display name (RFC 8550 §3: the address in the certificate is
//! matched against the address in `From`).
//!
//! Addresses are compared case-insensitively in both parts. RFC 5321 §2.4 lets the local
//! part be case-sensitive, but no major mailbox provider treats `Alice@` and `alice@` as two
//! people, and S/MIME certificate issuers validate mailbox control the same way; a
//! case-sensitive comparison would only turn real signatures red. See [`same_address`].

/// One mailbox: an optional display name (decoded) and the address.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Mailbox {
    /// Display name after RFC 2047 decoding and unquoting, if any.
    pub name: Option<String>,
    /// The `addr-spec` (`local@domain`) as written (comments removed).
    pub address: String,
}

impl Mailbox {
    /// The display name when it contains something that looks like an e-mail address that
    /// is not this mailbox's own address (the I2 "display name trick").
    pub fn name_looks_like_other_address(&self) -> Option<String> {
        let name = self.name.as_deref()?;
        for word in name.split(|c: char| c.is_whitespace() || "<>\"'(),;[]".contains(c)) {
            let word = word.trim_matches(|c: char| !c.is_alphanumeric());
            if let Some((l, d)) = word.split_once('@') {
                if !l.is_empty() && d.contains('.') && !same_address(word, &self.address) {
                    return Some(word.to_string());
                }
            }
        }
        None
    }
}

/// Whether two addresses are the same mailbox: whole address compared case-insensitively
/// (Unicode lowercase, so SMTPUTF8 addresses compare too), surrounding whitespace ignored.
pub fn same_address(a: &str, b: &str) -> bool {
    crate::case::lowercase(a.trim()) == crate::case::lowercase(b.trim())
}

/// Parses an address list (a `From`, `Sender`, `To` value, unfolded). Groups are flattened.
/// Items without an `@` are dropped.
pub fn parse_address_list(value: &str) -> Vec<Mailbox> {
    let mut out = Vec::new();
    for item in split_top_level(value) {
        let mut item = item.trim().to_string();
        // Group syntax: "name: a, b;" -- split_top_level keeps ':' so handle the prefix.
        if let Some(colon) = find_outside(&item, ':') {
            if find_outside(&item, '<').map_or(true, |lt| colon < lt) {
                item = item[colon + 1..].to_string();
            }
        }
        let item = item.trim().trim_end_matches(';').trim();
        if item.is_empty() {
            continue;
        }
        if let Some(mb) = parse_mailbox(item) {
            out.push(mb);
        }
    }
    out
}

fn parse_mailbox(item: &str) -> Option<Mailbox> {
    if let Some(lt) = find_outside(item, '<') {
        let rest = &item[lt + 1..];
        let gt = rest.find('>')?;
        let addr = strip_route(&strip_comments(&rest[..gt]));
        let name = display_name(&item[..lt]);
        if !addr.contains('@') {
            return None;
        }
        return Some(Mailbox {
            name,
            address: addr,
        });
    }
    // addr-spec alone, perhaps with an obsolete trailing "(Name)" comment.
    let comment = item
        .find('(')
        .and_then(|o| item.rfind(')').map(|c| (o, c)))
        .filter(|(o, c)| o < c)
        .map(|(o, c)| decode_words(item[o + 1..c].trim()));
    let addr: String = strip_comments(item)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if !addr.contains('@') {
        return None;
    }
    Some(Mailbox {
        name: comment.filter(|c| !c.is_empty()),
        address: unquote_local(&addr),
    })
}

fn strip_route(addr: &str) -> String {
    // Obsolete source route "@a,@b:local@domain" (RFC 5322 §4.4).
    let a = addr.trim();
    let a = match a.rfind(':') {
        Some(i) if a.starts_with('@') => &a[i + 1..],
        _ => a,
    };
    unquote_local(&a.chars().filter(|c| !c.is_whitespace()).collect::<String>())
}

/// `"a b"@example.com` keeps its quotes (they are part of the address); nothing to do except
/// trimming. Kept as a function so the rule lives in one place.
fn unquote_local(a: &str) -> String {
    a.trim().to_string()
}

fn display_name(raw: &str) -> Option<String> {
    let s = strip_comments(raw);
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    // Decode encoded words in atoms, unquote quoted strings (RFC 2047 §5: encoded words are
    // not decoded inside quoted strings, but many mailers do write them there; we decode too,
    // as Thunderbird does, since this is display only).
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    let mut atom = String::new();
    while let Some(c) = chars.next() {
        if c == '"' {
            out.push_str(&atom);
            atom.clear();
            let mut q = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        if let Some(n) = chars.next() {
                            q.push(n);
                        }
                    }
                    '"' => break,
                    _ => q.push(c),
                }
            }
            out.push_str(&q);
        } else {
            atom.push(c);
        }
    }
    out.push_str(&atom);
    let decoded = decode_words(out.trim());
    let decoded = decoded.trim();
    (!decoded.is_empty()).then(|| decoded.to_string())
}

/// Index of the first `ch` outside quoted strings and comments.
fn find_outside(s: &str, ch: char) -> Option<usize> {
    let (mut q, mut depth, mut esc) = (false, 0usize, false);
    for (i, c) in s.char_indices() {
        if esc {
            esc = false;
            continue;
        }
        match c {
            '\\' => esc = true,
            '"' if depth == 0 => q = !q,
            '(' if !q => depth += 1,
            ')' if !q => depth = depth.saturating_sub(1),
            c2 if c2 == ch && !q && depth == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

/// Splits on commas (and group-ending `;`) outside quotes, comments and angle brackets.
fn split_top_level(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut q, mut depth, mut angle, mut esc) = (false, 0usize, false, false);
    for c in s.chars() {
        if esc {
            esc = false;
            cur.push(c);
            continue;
        }
        match c {
            '\\' => esc = true,
            '"' if depth == 0 => q = !q,
            '(' if !q => depth += 1,
            ')' if !q => depth = depth.saturating_sub(1),
            '<' if !q && depth == 0 => angle = true,
            '>' if !q && depth == 0 => angle = false,
            ',' | ';' if !q && depth == 0 && !angle => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out
}

fn strip_comments(s: &str) -> String {
    let mut out = String::new();
    let (mut q, mut depth, mut esc) = (false, 0usize, false);
    for c in s.chars() {
        if esc {
            esc = false;
            if depth == 0 {
                out.push(c);
            }
            continue;
        }
        match c {
            '\\' => {
                esc = true;
                if depth == 0 {
                    out.push(c);
                }
            }
            '"' if depth == 0 => {
                q = !q;
                out.push(c);
            }
            '(' if !q => depth += 1,
            ')' if !q && depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Decodes RFC 2047 encoded words (`=?charset?B|Q?text?=`) in `s`. Whitespace between two
/// adjacent encoded words is dropped (RFC 2047 §6.2). Charsets: UTF-8, US-ASCII,
/// ISO-8859-1, Windows-1252 (as Latin-1 where it matches); others are decoded as UTF-8,
/// lossily.
pub fn decode_words(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    let mut last_was_word = false;
    let mut pending_ws = String::new();
    loop {
        let Some(start) = rest.find("=?") else {
            out.push_str(&pending_ws);
            out.push_str(rest);
            break;
        };
        let before = &rest[..start];
        if let Some((decoded, len)) = decode_one(&rest[start..]) {
            if !(last_was_word && before.trim().is_empty()) {
                out.push_str(&pending_ws);
                out.push_str(before);
            }
            pending_ws.clear();
            out.push_str(&decoded);
            rest = &rest[start + len..];
            // Whitespace after a word is held back until we know what follows.
            let ws_len = rest.len() - rest.trim_start().len();
            pending_ws.push_str(&rest[..ws_len]);
            rest = &rest[ws_len..];
            last_was_word = true;
        } else {
            out.push_str(&pending_ws);
            pending_ws.clear();
            out.push_str(&rest[..start + 2]);
            rest = &rest[start + 2..];
            last_was_word = false;
        }
    }
    out
}

/// Decodes one encoded word at the start of `s`; returns the text and the bytes consumed.
fn decode_one(s: &str) -> Option<(String, usize)> {
    let body = s.strip_prefix("=?")?;
    let q1 = body.find('?')?;
    let charset = body[..q1].split('*').next()?.to_ascii_lowercase();
    let after = &body[q1 + 1..];
    let q2 = after.find('?')?;
    let enc = after[..q2].to_ascii_lowercase();
    let text_and_rest = &after[q2 + 1..];
    let end = text_and_rest.find("?=")?;
    let text = &text_and_rest[..end];
    if text.contains(char::is_whitespace) {
        return None;
    }
    let bytes = match enc.as_str() {
        "b" => {
            let b = super::mime::decode_base64(text.as_bytes());
            if b.is_empty() && !text.is_empty() {
                return None;
            }
            b
        }
        "q" => {
            let t = text.replace('_', " ");
            super::mime::decode_quoted_printable(t.as_bytes())
        }
        _ => return None,
    };
    let consumed = 2 + q1 + 1 + q2 + 1 + end + 2;
    Some((charset_decode(&charset, &bytes), consumed))
}

fn charset_decode(charset: &str, bytes: &[u8]) -> String {
    match charset {
        "iso-8859-1" | "latin1" | "iso_8859-1" | "windows-1252" | "cp1252" => {
            bytes.iter().map(|&b| b as char).collect()
        }
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_named() {
        let v = parse_address_list("Alice <alice@example.com>, bob@example.org (Bob B)");
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].name.as_deref(), Some("Alice"));
        assert_eq!(v[0].address, "alice@example.com");
        assert_eq!(v[1].address, "bob@example.org");
        assert_eq!(v[1].name.as_deref(), Some("Bob B"));
    }

    #[test]
    fn quoted_comma_and_encoded_words() {
        let v = parse_address_list(
            "\"Doe, John\" <j@x.org>, =?UTF-8?B?SsO8cmdlbg==?= =?utf-8?q?_M=C3=BCller?= <jm@x.org>",
        );
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].name.as_deref(), Some("Doe, John"));
        assert_eq!(v[1].name.as_deref(), Some("Jürgen Müller"));
        assert_eq!(
            decode_words("=?iso-8859-1?q?caf=E9?= ok"),
            "café ok".to_string()
        );
    }

    #[test]
    fn display_name_trick() {
        let v = parse_address_list("\"ceo@bank.example\" <evil@attacker.example>");
        assert_eq!(
            v[0].name_looks_like_other_address().as_deref(),
            Some("ceo@bank.example")
        );
        let v = parse_address_list("\"alice@example.com\" <Alice@Example.com>");
        assert_eq!(v[0].name_looks_like_other_address(), None);
    }

    #[test]
    fn groups_and_case() {
        let v = parse_address_list("team: a@x.org, b@x.org;");
        assert_eq!(v.len(), 2);
        assert!(same_address("Alice@Example.COM", "alice@example.com"));
        assert!(parse_address_list("undisclosed-recipients:;").is_empty());
    }
}
