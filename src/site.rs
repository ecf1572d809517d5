//! Sites: the registrable domain ("eTLD+1") a page belongs to.
//!
//! `login.shop.example.co.uk` and `shop.example.co.uk` are one site, `example.co.uk`, the
//! way browsers group hosts (HTML Standard "same site"; the Public Suffix List, including
//! its PRIVATE section, so `alice.github.io` and `bob.github.io` are two sites, as in
//! Firefox and Chrome). The alias vault files aliases under this key and the per-site
//! generator derives its alias from it.
//!
//! Input is a URL or a bare host, as `new URL(..).hostname` or a user gives it:
//! - ASCII letters are lowercased, one trailing dot (a fully qualified name) is dropped;
//! - Unicode labels are lowercased and Punycode-encoded (RFC 3492, the `xn--` ACE form of
//!   RFC 5890 §2.3.2.1), so `bücher.de` and `xn--bcher-kva.de` are one site. Full IDNA
//!   mapping (UTS #46 / NFC) is not done: browsers hand us hosts already in ACE form;
//! - IPv4 and IPv6 literals are their own site (`192.0.2.1`, `[2001:db8::1]`);
//! - `localhost` and `*.localhost` (RFC 6761 §6.3) are the site `localhost`;
//! - a host that is itself a public suffix, or a single label (`intranet`), is its own site.
//!
//! Label and name lengths follow RFC 1035 §2.3.4 (63 and 253 octets).
//!
//! The list is embedded compactly (`src/site/psl.txt`, made by `tools/gen_psl.py` from the
//! upstream file in `tests/fixtures/psl/`, front-coded) and decoded once into a set: the `psl`
//! crate's generated matcher was 880 KB of wasm code, this is 76 KB of data, 34 KB gzipped.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// Longest input accepted (a URL with a long path is cut at the host; anything longer
/// than this is refused rather than scanned).
pub const MAX_SITE_INPUT_LEN: usize = 8192;
/// Longest host name, in octets of its ASCII form without the trailing dot (RFC 1035 §2.3.4).
pub const MAX_HOST_LEN: usize = 253;
/// Longest label, in octets of its ASCII form (RFC 1035 §2.3.4).
pub const MAX_LABEL_LEN: usize = 63;

/// Why a URL or host could not be turned into a site.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SiteError {
    /// Nothing was given (or only a scheme, spaces, dots).
    Empty,
    /// The input is longer than [`MAX_SITE_INPUT_LEN`].
    InputTooLong {
        /// Length of the input in bytes.
        len: usize,
    },
    /// The host is longer than [`MAX_HOST_LEN`] (RFC 1035 §2.3.4).
    HostTooLong {
        /// Length of the ASCII host.
        len: usize,
    },
    /// A label is empty (`a..b`) or longer than [`MAX_LABEL_LEN`].
    BadLabel {
        /// The offending label (ASCII form, may be empty).
        label: String,
    },
    /// A character that cannot appear in a host name.
    BadCharacter {
        /// The character.
        ch: char,
    },
    /// Something after `:` that is not a port number.
    BadPort {
        /// What followed the colon.
        port: String,
    },
    /// A `[...]` literal that is not an IPv6 address.
    BadIpLiteral {
        /// The text inside the brackets.
        literal: String,
    },
}

impl fmt::Display for SiteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SiteError::Empty => write!(
                f,
                "no host name given (expected a URL or a host such as example.com)"
            ),
            SiteError::InputTooLong { len } => write!(
                f,
                "the URL is {len} bytes long; at most {MAX_SITE_INPUT_LEN} are accepted"
            ),
            SiteError::HostTooLong { len } => write!(
                f,
                "the host name is {len} characters long; DNS allows at most {MAX_HOST_LEN}"
            ),
            SiteError::BadLabel { label } if label.is_empty() => {
                write!(f, "the host name has an empty label (two dots in a row?)")
            }
            SiteError::BadLabel { label } => write!(
                f,
                "the host label `{label}` is longer than {MAX_LABEL_LEN} characters"
            ),
            SiteError::BadCharacter { ch } => {
                write!(f, "`{}` cannot appear in a host name", ch.escape_default())
            }
            SiteError::BadPort { port } => write!(f, "`{port}` is not a port number"),
            SiteError::BadIpLiteral { literal } => {
                write!(f, "`[{literal}]` is not an IPv6 address")
            }
        }
    }
}

impl std::error::Error for SiteError {}

/// The normalized host of a URL or host: ASCII, lowercase, no trailing dot, no port;
/// IPv6 literals in brackets in their canonical RFC 5952 text form.
pub fn host(input: &str) -> Result<String, SiteError> {
    if input.len() > MAX_SITE_INPUT_LEN {
        return Err(SiteError::InputTooLong { len: input.len() });
    }
    let mut rest = input.trim();
    // Scheme: only when followed by "//" (a bare "example.com:8080" has no scheme).
    if let Some(pos) = rest.find("://") {
        let scheme = &rest[..pos];
        if !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        {
            rest = &rest[pos + 3..];
        }
    } else if let Some(stripped) = rest.strip_prefix("//") {
        rest = stripped;
    }
    // Authority ends at the first '/', '?' or '#'.
    let end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    let mut authority = &rest[..end];
    // Drop userinfo.
    if let Some(at) = authority.rfind('@') {
        authority = &authority[at + 1..];
    }
    if authority.is_empty() {
        return Err(SiteError::Empty);
    }
    // IPv6 literal.
    if let Some(inner) = authority.strip_prefix('[') {
        let Some(close) = inner.find(']') else {
            return Err(SiteError::BadIpLiteral {
                literal: inner.to_string(),
            });
        };
        let literal = &inner[..close];
        check_port(&inner[close + 1..], true)?;
        let addr: Ipv6Addr = literal.parse().map_err(|_| SiteError::BadIpLiteral {
            literal: literal.to_string(),
        })?;
        return Ok(format!("[{addr}]"));
    }
    let (name, port) = match authority.rfind(':') {
        Some(colon) => (&authority[..colon], &authority[colon..]),
        None => (authority, ""),
    };
    check_port(port, false)?;
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.is_empty() || name.chars().all(|c| c == '.') {
        return Err(SiteError::Empty);
    }
    if let Ok(v4) = name.parse::<Ipv4Addr>() {
        return Ok(v4.to_string());
    }
    let mut out = String::with_capacity(name.len());
    for (i, label) in name.split('.').enumerate() {
        if i > 0 {
            out.push('.');
        }
        let ascii = ascii_label(label)?;
        out.push_str(&ascii);
    }
    if out.len() > MAX_HOST_LEN {
        return Err(SiteError::HostTooLong { len: out.len() });
    }
    Ok(out)
}

/// The registrable domain (the site) of a URL or host; see the module docs for the rules.
///
/// ```
/// # use impalemail::site::registrable_domain;
/// assert_eq!(registrable_domain("https://login.shop.example.co.uk/x").unwrap(), "example.co.uk");
/// assert_eq!(registrable_domain("alice.github.io").unwrap(), "alice.github.io");
/// ```
pub fn registrable_domain(input: &str) -> Result<String, SiteError> {
    let host = host(input)?;
    if host.starts_with('[') || host.parse::<Ipv4Addr>().is_ok() {
        return Ok(host);
    }
    if host == "localhost" || host.ends_with(".localhost") {
        return Ok("localhost".to_string());
    }
    let labels: Vec<&str> = host.split('.').collect();
    let suffix = public_suffix_labels(&labels);
    if suffix >= labels.len() {
        // The host is a public suffix itself (`github.io`) or a single label: its own site.
        return Ok(host);
    }
    Ok(labels[labels.len() - suffix - 1..].join("."))
}

/// The Public Suffix List, front-coded (see `tools/gen_psl.py`): after a `#` comment line, one
/// line per rule, its labels reversed, in sorted order, each line a character `0x30 + n` (the
/// rule shares its first `n` characters with the previous one) and the rest of the rule.
const PSL: &str = include_str!("site/psl.txt");

/// The rule `r` written with its labels reversed (`uk.co`, `ck.*`, `ck.www!`) in the list's
/// own form (`co.uk`, `*.ck`, `!www.ck`).
#[cfg(test)]
fn rule_from_reversed(r: &str) -> String {
    let (body, bang) = match r.strip_suffix('!') {
        Some(b) => (b, "!"),
        None => (r, ""),
    };
    let mut labels: Vec<&str> = body.split('.').collect();
    labels.reverse();
    format!("{bang}{}", labels.join("."))
}

/// Decodes the front-coded list into its rules, labels reversed, in the list's (sorted) order.
fn decode_psl(text: &str) -> Vec<String> {
    let mut rules = Vec::with_capacity(10_000);
    let mut prev = String::new();
    for line in text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let Some(first) = line.bytes().next() else {
            continue;
        };
        let shared = usize::from(first.saturating_sub(b'0')).min(prev.len());
        prev.truncate(shared);
        prev.push_str(line.get(1..).unwrap_or_default());
        rules.push(prev.clone());
    }
    rules
}

/// The list's rules with their labels reversed, decoded once (about 10,000), sorted (a test
/// checks it) for binary search: no hash table in the wasm.
fn psl_rules() -> &'static [String] {
    static RULES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    RULES.get_or_init(|| decode_psl(PSL))
}

/// How many labels at the end of `labels` form the public suffix, by the list's algorithm
/// (<https://github.com/publicsuffix/list/wiki/Format>): an exception rule (`!`) wins, else the
/// rule with the most labels, a wildcard (`*.`) matching any one label; no rule: `*`, one label.
fn public_suffix_labels(labels: &[&str]) -> usize {
    let rules = psl_rules();
    let has = |rule: &str| rules.binary_search_by(|r| r.as_str().cmp(rule)).is_ok();
    let n = labels.len();
    for i in 0..n {
        // The suffix with its labels reversed, as the rules are kept: `co.uk` is `uk.co`.
        let mut rev: Vec<&str> = labels[i..].to_vec();
        rev.reverse();
        let rev = rev.join(".");
        if has(&format!("{rev}!")) {
            return n - i - 1;
        }
        // `*.suffix` covers one more label than `suffix`, so it is tried first.
        if i > 0 && has(&format!("{rev}.*")) {
            return n - i + 1;
        }
        if has(&rev) {
            return n - i;
        }
    }
    1
}

fn check_port(port: &str, after_bracket: bool) -> Result<(), SiteError> {
    if port.is_empty() {
        return Ok(());
    }
    let digits = port.strip_prefix(':');
    match digits {
        Some(d) if d.is_empty() || (d.len() <= 5 && d.bytes().all(|b| b.is_ascii_digit())) => {
            Ok(())
        }
        _ if after_bracket && !port.starts_with(':') => Err(SiteError::BadPort {
            port: port.to_string(),
        }),
        _ => Err(SiteError::BadPort {
            port: port.trim_start_matches(':').to_string(),
        }),
    }
}

/// One label in ASCII form: lowercased, Punycode-encoded when not ASCII.
fn ascii_label(label: &str) -> Result<String, SiteError> {
    if label.is_empty() {
        return Err(SiteError::BadLabel {
            label: String::new(),
        });
    }
    let lower = crate::case::lowercase(label);
    for ch in lower.chars() {
        let ok = ch.is_ascii_lowercase()
            || ch.is_ascii_digit()
            || ch == '-'
            || ch == '_'
            || (!ch.is_ascii() && !ch.is_whitespace() && !ch.is_control());
        if !ok {
            return Err(SiteError::BadCharacter { ch });
        }
    }
    let ascii = if lower.is_ascii() {
        lower
    } else {
        let chars: Vec<char> = lower.chars().collect();
        let encoded = punycode_encode(&chars).ok_or_else(|| SiteError::BadLabel {
            label: label.chars().take(80).collect(),
        })?;
        format!("xn--{encoded}")
    };
    if ascii.len() > MAX_LABEL_LEN {
        return Err(SiteError::BadLabel { label: ascii });
    }
    Ok(ascii)
}

/// Punycode encoding of one label (RFC 3492 §6.3), `None` on arithmetic overflow.
fn punycode_encode(input: &[char]) -> Option<String> {
    const BASE: u32 = 36;
    const TMIN: u32 = 1;
    const TMAX: u32 = 26;
    fn adapt(mut delta: u32, numpoints: u32, first: bool) -> u32 {
        // RFC 3492 §6.1, with damp = 700 and skew = 38.
        delta = if first { delta / 700 } else { delta / 2 };
        delta += delta / numpoints;
        let mut k = 0;
        while delta > ((BASE - TMIN) * TMAX) / 2 {
            delta /= BASE - TMIN;
            k += BASE;
        }
        k + (((BASE - TMIN + 1) * delta) / (delta + 38))
    }
    fn digit(d: u32) -> char {
        // 0..25 -> a..z, 26..35 -> 0..9
        let b = if d < 26 {
            b'a' + d as u8
        } else {
            b'0' + (d - 26) as u8
        };
        b as char
    }
    let mut out: String = input.iter().filter(|c| c.is_ascii()).collect();
    let basic = out.len() as u32;
    if basic > 0 {
        out.push('-');
    }
    let total = input.len() as u32;
    let (mut n, mut delta, mut bias, mut h) = (128u32, 0u32, 72u32, basic);
    while h < total {
        let m = input.iter().map(|&c| c as u32).filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(h + 1)?)?;
        n = m;
        for &c in input {
            let c = c as u32;
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        TMIN
                    } else if k >= bias + TMAX {
                        TMAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    out.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(digit(q));
                bias = adapt(delta, h + 1, h == basic);
                delta = 0;
                h += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod psl_tests {
    use super::*;

    /// The embedded list is what `tools/gen_psl.py` makes from the committed upstream file
    /// (re-implemented here, which also checks our Punycode against Python's).
    #[test]
    fn embedded_list_matches_the_upstream_file() {
        let dat = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/psl/public_suffix_list.dat"
        ))
        .unwrap();
        let mut expected = Vec::new();
        for line in dat.lines().map(str::trim) {
            if line.is_empty() || line.starts_with("//") {
                continue;
            }
            let rule = line.split_whitespace().next().unwrap().to_lowercase();
            let (bang, rule) = match rule.strip_prefix('!') {
                Some(r) => ("!", r.to_string()),
                None => ("", rule),
            };
            let labels: Vec<String> = rule
                .split('.')
                .map(|l| {
                    if l == "*" || l.is_ascii() {
                        l.to_string()
                    } else {
                        let chars: Vec<char> = l.chars().collect();
                        format!("xn--{}", punycode_encode(&chars).unwrap())
                    }
                })
                .collect();
            expected.push(format!("{bang}{}", labels.join(".")));
        }
        assert!(
            psl_rules().windows(2).all(|w| w[0] < w[1]),
            "the list must be sorted"
        );
        let mut embedded: Vec<String> = psl_rules().iter().map(|r| rule_from_reversed(r)).collect();
        embedded.sort();
        expected.sort();
        expected.dedup();
        assert!(expected.len() > 10_000);
        assert_eq!(embedded, expected);
    }

    #[test]
    fn list_algorithm_cases() {
        // From the list's own test cases (publicsuffix.org/list "test_psl.txt" patterns).
        for (host, site) in [
            ("com", "com"),
            ("example.com", "example.com"),
            ("b.example.com", "example.com"),
            ("a.b.example.com", "example.com"),
            ("uk.com", "uk.com"),
            ("example.uk.com", "example.uk.com"),
            ("b.example.uk.com", "example.uk.com"),
            ("test.ac", "test.ac"),
            ("jp", "jp"),
            ("test.jp", "test.jp"),
            ("www.test.jp", "test.jp"),
            ("ac.jp", "ac.jp"),
            ("test.ac.jp", "test.ac.jp"),
            ("www.test.ac.jp", "test.ac.jp"),
            ("kyoto.jp", "kyoto.jp"),
            ("test.kyoto.jp", "test.kyoto.jp"),
            ("ide.kyoto.jp", "ide.kyoto.jp"),
            ("b.ide.kyoto.jp", "b.ide.kyoto.jp"),
            ("a.b.ide.kyoto.jp", "b.ide.kyoto.jp"),
            ("c.kobe.jp", "c.kobe.jp"),
            ("b.c.kobe.jp", "b.c.kobe.jp"),
            ("a.b.c.kobe.jp", "b.c.kobe.jp"),
            ("city.kobe.jp", "city.kobe.jp"),
            ("www.city.kobe.jp", "city.kobe.jp"),
            ("ck", "ck"),
            ("test.ck", "test.ck"),
            ("b.test.ck", "b.test.ck"),
            ("a.b.test.ck", "b.test.ck"),
            ("www.ck", "www.ck"),
            ("www.www.ck", "www.ck"),
            ("us", "us"),
            ("test.us", "test.us"),
            ("www.test.us", "test.us"),
            ("ak.us", "ak.us"),
            ("test.ak.us", "test.ak.us"),
            ("www.test.ak.us", "test.ak.us"),
            ("k12.ak.us", "k12.ak.us"),
            ("test.k12.ak.us", "test.k12.ak.us"),
            ("www.test.k12.ak.us", "test.k12.ak.us"),
            ("食狮.com.cn", "xn--85x722f.com.cn"),
            ("www.食狮.公司.cn", "xn--85x722f.xn--55qx5d.cn"),
            ("shishi.xn--55qx5d.cn", "shishi.xn--55qx5d.cn"),
            ("xn--55qx5d.cn", "xn--55qx5d.cn"),
            ("unlisted-tld-example", "unlisted-tld-example"),
            ("a.b.unlistedtld", "b.unlistedtld"),
        ] {
            assert_eq!(registrable_domain(host).unwrap(), site, "{host}");
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn site(s: &str) -> String {
        registrable_domain(s).unwrap()
    }

    #[test]
    fn subdomains_of_one_registrable_domain_are_one_site() {
        assert_eq!(site("login.shop.example.co.uk"), "example.co.uk");
        assert_eq!(site("shop.example.co.uk"), "example.co.uk");
        assert_eq!(site("https://www.example.com/path?q=1#x"), "example.com");
        assert_eq!(site("example.com"), "example.com");
    }

    #[test]
    fn private_suffixes_are_used_like_browsers() {
        assert_eq!(site("alice.github.io"), "alice.github.io");
        assert_eq!(site("www.alice.github.io"), "alice.github.io");
        assert_ne!(site("alice.github.io"), site("bob.github.io"));
        // A public suffix on its own is its own site.
        assert_eq!(site("github.io"), "github.io");
        assert_eq!(site("co.uk"), "co.uk");
    }

    #[test]
    fn case_trailing_dot_port_and_userinfo_are_normalized() {
        assert_eq!(site("HTTPS://WWW.Example.COM./"), "example.com");
        assert_eq!(
            site("http://user:pw@mail.example.org:8443/x"),
            "example.org"
        );
        assert_eq!(site("shop.example.co.uk."), "example.co.uk");
        assert_eq!(host("Example.COM.").unwrap(), "example.com");
    }

    #[test]
    fn ip_literals_and_localhost() {
        assert_eq!(site("http://192.0.2.10:8080/"), "192.0.2.10");
        assert_eq!(site("[2001:DB8:0:0::1]"), "[2001:db8::1]");
        assert_eq!(site("http://[::1]:3000/x"), "[::1]");
        assert_eq!(site("localhost"), "localhost");
        assert_eq!(site("http://app.localhost:5173"), "localhost");
        assert_eq!(site("intranet"), "intranet");
    }

    #[test]
    fn idn_is_punycoded() {
        assert_eq!(host("bücher.de").unwrap(), "xn--bcher-kva.de");
        assert_eq!(site("www.BÜCHER.de"), site("xn--bcher-kva.de"));
        assert_eq!(host("münchen.example").unwrap(), "xn--mnchen-3ya.example");
        // RFC 3492 §7.1 sample (L): Japanese, mixed with ASCII.
        let chars: Vec<char> = "3年b組金八先生".chars().collect();
        assert_eq!(punycode_encode(&chars).unwrap(), "3b-ww4c5e180e575a65lsy2b");
    }

    #[test]
    fn garbage_is_refused_with_a_reason() {
        assert_eq!(registrable_domain(""), Err(SiteError::Empty));
        assert_eq!(registrable_domain("https://"), Err(SiteError::Empty));
        assert_eq!(registrable_domain("..."), Err(SiteError::Empty));
        assert!(matches!(
            registrable_domain("exa mple.com"),
            Err(SiteError::BadCharacter { ch: ' ' })
        ));
        assert!(matches!(
            registrable_domain("a..b.com"),
            Err(SiteError::BadLabel { .. })
        ));
        assert!(matches!(
            registrable_domain("example.com:http"),
            Err(SiteError::BadPort { .. })
        ));
        assert!(matches!(
            registrable_domain("[not-ip]"),
            Err(SiteError::BadIpLiteral { .. })
        ));
        let long = format!("{}.com", "a".repeat(64));
        assert!(matches!(
            registrable_domain(&long),
            Err(SiteError::BadLabel { .. })
        ));
        let err = registrable_domain("ex!ample.com").unwrap_err();
        assert!(err.to_string().contains("`!`"));
    }
}
