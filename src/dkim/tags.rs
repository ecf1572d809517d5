//! Tag lists (RFC 6376 §3.2), the syntax of the `DKIM-Signature` field, of the key record and
//! of the DMARC record (RFC 7489 §6.4): `tag = value; tag = value`.

/// A tag list, in order. Names are case-sensitive (§3.2); values keep their inner spaces and
/// folding, trimmed at both ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagList {
    tags: Vec<(String, String)>,
}

/// Why a tag list could not be read, in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagError(pub String);

impl std::fmt::Display for TagError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn is_fws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

impl TagList {
    /// Reads `text`. A tag named twice makes the whole list invalid (§3.2); a name must be a
    /// letter followed by letters, digits and underscores (`tag-name`).
    pub fn parse(text: &str) -> Result<TagList, TagError> {
        let mut tags: Vec<(String, String)> = Vec::new();
        let pieces: Vec<&str> = text.split(';').collect();
        for (i, piece) in pieces.iter().enumerate() {
            if piece.trim_matches(is_fws).is_empty() {
                // Only the last piece may be empty (a trailing semicolon).
                if i + 1 == pieces.len() {
                    continue;
                }
                return Err(TagError("an empty tag between two semicolons".into()));
            }
            let Some((name, value)) = piece.split_once('=') else {
                let shown: String = piece.trim_matches(is_fws).chars().take(20).collect();
                return Err(TagError(format!("\"{shown}\" has no \"=\"")));
            };
            let name = name.trim_matches(is_fws);
            let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                let shown: String = name.chars().take(20).collect();
                return Err(TagError(format!("\"{shown}\" is not a tag name")));
            }
            if tags.iter().any(|(n, _)| n == name) {
                return Err(TagError(format!("the tag \"{name}\" appears twice")));
            }
            tags.push((name.to_string(), value.trim_matches(is_fws).to_string()));
        }
        Ok(TagList { tags })
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first tag's name.
    pub fn first_name(&self) -> Option<&str> {
        self.tags.first().map(|(n, _)| n.as_str())
    }
}

/// A value with every folding white space removed (base64 values `b=`, `bh=`, `p=`, §3.5).
pub fn without_fws(value: &str) -> String {
    value.chars().filter(|c| !is_fws(*c)).collect()
}

/// A colon-separated list (`h=`, `t=` flags), each item trimmed of folding white space.
pub fn colon_list(value: &str) -> Vec<String> {
    value
        .split(':')
        .map(|s| s.trim_matches(is_fws).to_string())
        .collect()
}

/// Decodes a base64 value (white space removed first); `None` when it is not base64.
pub fn base64_value(value: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(without_fws(value))
        .ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn reads_values_with_folding_and_a_trailing_semicolon() {
        let t = TagList::parse("v=1; a=rsa-sha256;\r\n\tb=ab\r\n cd ;").unwrap();
        assert_eq!(t.get("a"), Some("rsa-sha256"));
        assert_eq!(without_fws(t.get("b").unwrap()), "abcd");
        assert_eq!(t.first_name(), Some("v"));
        assert_eq!(t.get("A"), None);
    }

    #[test]
    fn refuses_duplicates_and_junk_in_plain_words() {
        let e = TagList::parse("a=1; a=2").unwrap_err();
        assert_eq!(e.0, "the tag \"a\" appears twice");
        assert!(TagList::parse("a=1;; b=2").is_err());
        assert!(TagList::parse("a=1; junk")
            .unwrap_err()
            .0
            .contains("no \"=\""));
        assert!(TagList::parse("1a=1").is_err());
    }
}
