//! Account-free alias generators: random at a catch-all domain, plus addressing,
//! subdomain addressing, and the deterministic per-site alias.
//!
//! Addresses obey RFC 5321: local part at most 64 octets (§4.5.3.1.1), the whole path at
//! most 256 including the angle brackets, so at most 254 for the address (RFC 5321
//! §4.5.3.1.3, RFC 3696 errata 1690); local parts use the RFC 5322 §3.2.3 dot-atom
//! characters; domains are host names (RFC 1035 §2.3.1, RFC 1123 §2.1). Generated local
//! parts use only `a-z 0-9 . -`, which every mail system and signup form accepts.
//!
//! Per-site aliases (the same site always gets the same alias on every device holding
//! the per-install secret, and one alias reveals nothing about another site's):
//! `HMAC-SHA-256(secret, "impalemail/per-site/v1:" || registrable domain)` (RFC 2104,
//! FIPS 180-4) is mapped to words and digits. The site's name appears only when the user
//! asks for it, because some sites reject addresses containing their own name
//! (fx-private-relay #1982).
//!
//! Randomness comes from `getrandom` (the browser's `crypto.getRandomValues` on wasm32);
//! every random generator also has a `*_from` twin taking the bytes, for tests.

use super::error::AliasError;
use crate::site;
use crate::words::Words;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// Longest local part, in octets (RFC 5321 §4.5.3.1.1).
pub const MAX_LOCAL_PART_LEN: usize = 64;
/// Longest address, in octets (RFC 5321 §4.5.3.1.3 path limit minus the angle brackets).
pub const MAX_ADDRESS_LEN: usize = 254;
/// Longest tag accepted for plus and subdomain addressing, in characters.
pub const MAX_TAG_LEN: usize = 40;
/// Longest piece of the site name put into a per-site alias, in characters.
pub const MAX_SITE_LABEL_LEN: usize = 24;
/// Length of the per-install secret, in bytes.
pub const SECRET_LEN: usize = 32;
/// Random bytes a generator consumes (a `*_from` function takes this many).
pub const RANDOM_LEN: usize = 16;
/// Hex digits in a hex-style local part (64 bits).
pub const HEX_LOCAL_LEN: usize = 16;

/// Domain-separation prefix of the per-site HMAC input; bump the version to change the
/// mapping (existing aliases would then change, so never do it silently).
const PER_SITE_CONTEXT: &str = "impalemail/per-site/v1:";

/// How a random local part looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Style {
    /// Two words and three digits, `amber.otter407` (about 28 bits).
    #[default]
    Words,
    /// 16 hex digits, `9f2c0a77e1b34d05` (64 bits).
    Hex,
}

/// Which local generator made an alias. In documents it is written by its [`id`](Self::id)
/// (as a `vault::Source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeneratorKind {
    /// Random local part at the user's catch-all domain.
    CatchAll,
    /// `user+tag@domain` on the user's own address.
    Plus,
    /// `tag@user.example` (Fastmail-style subdomain addressing).
    Subdomain,
    /// Deterministic per-site alias (HMAC of the site).
    PerSite,
}

impl GeneratorKind {
    /// All generators.
    pub const ALL: [GeneratorKind; 4] = [
        GeneratorKind::CatchAll,
        GeneratorKind::Plus,
        GeneratorKind::Subdomain,
        GeneratorKind::PerSite,
    ];

    /// The id used in documents (`catch-all`, `plus`, `subdomain`, `per-site`).
    pub fn id(self) -> &'static str {
        match self {
            GeneratorKind::CatchAll => "catch-all",
            GeneratorKind::Plus => "plus",
            GeneratorKind::Subdomain => "subdomain",
            GeneratorKind::PerSite => "per-site",
        }
    }
}

/// 512 plain English words (9 bits each), written for ImpaleMail; all `[a-z]{3,9}`
/// (one text, not 512 `&str`s: [`mod@crate::words`]).
pub const WORDS: Words = crate::words![
    "acorn", "adobe", "agate", "alarm", "album", "alder", "alley", "alpine", "amber", "amiable",
    "anchor", "angle", "ankle", "apple", "apricot", "april", "arbor", "arch", "arena", "argon",
    "arrow", "aspen", "atlas", "atom", "attic", "autumn", "avenue", "azure", "badge", "bagel",
    "baker", "balloon", "balmy", "bamboo", "banana", "banjo", "barley", "barn", "basil", "basin",
    "basket", "beacon", "beam", "bean", "bear", "beaver", "beige", "bell", "bench", "berry",
    "birch", "bison", "blanket", "blaze", "bloom", "blossom", "boat", "bold", "bonnet", "book",
    "boot", "border", "bottle", "boulder", "bowl", "branch", "brass", "brave", "bread", "breeze",
    "breezy", "brick", "bridge", "bright", "brook", "broom", "bubble", "bucket", "bugle", "bundle",
    "burrow", "butter", "button", "cabin", "cactus", "calm", "camel", "camera", "canal", "candid",
    "candle", "canoe", "canvas", "canyon", "carbon", "carpet", "carrot", "castle", "cedar",
    "cellar", "cello", "chalk", "chapel", "cheery", "cherry", "chess", "chestnut", "chilly",
    "chirpy", "cider", "circle", "citrus", "clay", "clever", "cliff", "clock", "cloud", "cloudy",
    "clover", "coast", "cobalt", "cocoa", "coconut", "comet", "compass", "copper", "coral",
    "cordial", "cosmic", "cotton", "cozy", "cradle", "crane", "crater", "crayon", "cream", "creek",
    "cricket", "crimson", "crisp", "crystal", "cupboard", "curly", "curtain", "cushion", "cycle",
    "dainty", "daisy", "dapper", "daring", "delta", "denim", "desert", "dewy", "diamond",
    "dolphin", "domino", "donkey", "dove", "dragon", "dreamy", "drum", "dune", "dusty", "eager",
    "eagle", "early", "earth", "easel", "echo", "eclipse", "elated", "elbow", "elm", "ember",
    "falcon", "fancy", "feather", "fern", "ferry", "festive", "fiddle", "field", "fig", "finch",
    "fjord", "flag", "flame", "flint", "fluffy", "flute", "fog", "fond", "forest", "fossil",
    "fountain", "fox", "frank", "fresh", "frost", "frosty", "galaxy", "gallant", "garden",
    "garlic", "gate", "gazelle", "gecko", "genial", "gentle", "geyser", "ginger", "glacier",
    "gleeful", "globe", "glossy", "glove", "golden", "goose", "graceful", "grand", "granite",
    "grape", "grassy", "gravel", "guitar", "gull", "hammer", "happy", "harbor", "harp", "harvest",
    "hazel", "hearty", "heron", "hidden", "hill", "hive", "honest", "honey", "horizon", "humble",
    "husky", "icy", "ideal", "igloo", "indigo", "island", "ivory", "ivy", "jacket", "jade",
    "jasmine", "jaunty", "jelly", "jetty", "jigsaw", "jolly", "journal", "jovial", "jungle",
    "juniper", "kayak", "keen", "kernel", "kettle", "kind", "kite", "kiwi", "koala", "ladder",
    "lagoon", "lake", "lamp", "lantern", "larch", "lava", "leafy", "lemon", "lentil", "lettuce",
    "lily", "lime", "linen", "lion", "lively", "lizard", "llama", "locket", "lofty", "lotus",
    "lucky", "lunar", "lynx", "magnet", "mango", "maple", "marble", "meadow", "mellow", "melon",
    "merry", "meteor", "mighty", "mill", "mint", "mirror", "misty", "mitten", "modern", "monsoon",
    "moose", "mosaic", "moss", "mossy", "mountain", "muffin", "navy", "neat", "needle", "nest",
    "nickel", "nifty", "nimble", "noble", "noodle", "nutmeg", "oak", "oasis", "ocean", "olive",
    "onion", "opal", "orange", "orbit", "orchard", "orchid", "otter", "owl", "oyster", "paddle",
    "palm", "panda", "paper", "parade", "parrot", "pasta", "peach", "peanut", "pearl", "pebble",
    "pelican", "pencil", "pepper", "piano", "pigeon", "pillow", "pine", "planet", "plucky", "plum",
    "pocket", "polite", "pond", "poppy", "potato", "prairie", "prime", "prism", "proud", "puffin",
    "pumpkin", "puzzle", "quail", "quartz", "quick", "quiet", "quill", "rabbit", "radish", "rain",
    "rainy", "rapid", "raven", "reef", "ribbon", "ridge", "river", "robin", "rocket", "rocky",
    "rose", "rosy", "ruby", "rustic", "rusty", "saddle", "saffron", "sage", "sail", "salmon",
    "sand", "sandy", "satin", "savvy", "scarf", "scarlet", "seal", "shadow", "shell", "shiny",
    "shore", "silent", "silver", "simple", "sketch", "sled", "sleek", "sleepy", "slope", "smooth",
    "snow", "snowy", "snug", "sofa", "solar", "sonic", "spark", "sparrow", "spice", "spicy",
    "spinach", "spoon", "sporty", "spring", "spruce", "squash", "stable", "star", "steady",
    "stellar", "stone", "storm", "stormy", "stream", "sturdy", "sugar", "summit", "sun", "sunlit",
    "sunny", "swan", "sweater", "swift", "table", "tango", "teal", "teapot", "temple", "tender",
    "thistle", "thunder", "tidy", "tiger", "timber", "tiny", "toast", "toasty", "tomato", "topaz",
    "torch", "tower", "trail", "tram", "tree", "tulip", "tundra", "tunnel", "turtle", "umbrella",
    "upbeat", "valley", "vanilla", "velvet", "velvety", "violet", "violin", "vivid", "volcano",
    "wagon", "walnut", "walrus", "warm", "wave", "whale", "wheat", "wild", "willow", "window",
    "windy", "winter", "wise", "witty", "wolf", "yarn", "yogurt", "young", "zany", "zebra",
    "zephyr", "zesty", "zinc",
];

/// Fills `N` bytes from the platform CSPRNG.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], AliasError> {
    let mut buf = [0u8; N];
    getrandom::getrandom(&mut buf).map_err(|e| AliasError::Randomness {
        message: e.to_string(),
    })?;
    Ok(buf)
}

/// A new per-install secret: 32 random bytes as 64 lowercase hex digits.
pub fn new_install_secret() -> Result<String, AliasError> {
    Ok(hex(&random_bytes::<SECRET_LEN>()?))
}

/// Reads a per-install secret given as 64 hex digits or standard/URL-safe base64.
pub fn parse_secret(text: &str) -> Result<[u8; SECRET_LEN], AliasError> {
    use base64::Engine as _;
    let t = text.trim();
    let bytes = if t.len() == 2 * SECRET_LEN && t.bytes().all(|b| b.is_ascii_hexdigit()) {
        (0..SECRET_LEN)
            .map(|i| u8::from_str_radix(&t[2 * i..2 * i + 2], 16))
            .collect::<Result<Vec<u8>, _>>()
            .map_err(|_| AliasError::InvalidSecret {
                reason: "bad hex digit",
            })?
    } else {
        let engines = [
            base64::engine::general_purpose::STANDARD,
            base64::engine::general_purpose::URL_SAFE,
            base64::engine::general_purpose::STANDARD_NO_PAD,
            base64::engine::general_purpose::URL_SAFE_NO_PAD,
        ];
        engines
            .iter()
            .find_map(|e| e.decode(t).ok())
            .ok_or(AliasError::InvalidSecret {
                reason: "neither 64 hex digits nor base64",
            })?
    };
    bytes.try_into().map_err(|_| AliasError::InvalidSecret {
        reason: "not 32 bytes long",
    })
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// The word at `index` (0..512) of [`WORDS`].
fn word(index: usize) -> &'static str {
    WORDS.get(index).unwrap_or_default()
}

/// A readable local part from at least 6 bytes: `word.word` and three digits.
fn words_local(b: &[u8]) -> String {
    let w1 = ((b[0] as usize) << 1 | (b[1] as usize >> 7)) & 511;
    let w2 = ((b[2] as usize) << 1 | (b[3] as usize >> 7)) & 511;
    let n = u16::from_be_bytes([b[4], b[5]]) % 1000;
    format!("{}.{}{:03}", word(w1), word(w2), n)
}

fn random_local(style: Style, random: &[u8; RANDOM_LEN]) -> String {
    match style {
        Style::Words => words_local(random),
        Style::Hex => hex(&random[..HEX_LOCAL_LEN / 2]),
    }
}

/// Validates a mail domain and returns it normalized (lowercase ASCII, Punycode for
/// IDN, no trailing dot). IP literals and single labels are refused.
pub fn validate_domain(domain: &str) -> Result<String, AliasError> {
    let bad = |reason| AliasError::InvalidDomain {
        domain: domain.chars().take(300).collect(),
        reason,
    };
    let d = domain.trim();
    if d.is_empty() {
        return Err(bad("it is empty"));
    }
    if d.contains(['@', '/', ':', '[']) {
        return Err(bad("give only the domain, like example.com"));
    }
    let host = site::host(d).map_err(|_| bad("it is not a valid host name"))?;
    if host.parse::<std::net::Ipv4Addr>().is_ok() {
        return Err(bad("an IP address is not a mail domain here"));
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 {
        return Err(bad("it needs at least two labels, like example.com"));
    }
    for label in &labels {
        if label.starts_with('-') || label.ends_with('-') {
            return Err(bad("a label starts or ends with a hyphen"));
        }
        if label.contains('_') {
            return Err(bad("underscores are not allowed in mail domains"));
        }
    }
    if labels
        .last()
        .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad("the last label is all digits"));
    }
    Ok(host)
}

/// Validates a local part: 1 to 64 octets of RFC 5322 dot-atom text (no quoted strings).
pub fn validate_local_part(local: &str) -> Result<(), AliasError> {
    let bad = |reason| AliasError::InvalidLocalPart {
        local_part: local.chars().take(100).collect(),
        reason,
    };
    if local.is_empty() {
        return Err(bad("it is empty"));
    }
    if local.len() > MAX_LOCAL_PART_LEN {
        return Err(bad("it is longer than 64 characters (RFC 5321)"));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(bad("dots cannot start, end or repeat"));
    }
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c);
    if !local.chars().all(atext) {
        return Err(bad(
            "only letters, digits and ! # $ % & ' * + - / = ? ^ _ ` { | } ~ . are allowed",
        ));
    }
    Ok(())
}

/// Validates `local@domain`; returns the address with its domain normalized.
pub fn validate_address(address: &str) -> Result<String, AliasError> {
    let a = address.trim();
    let bad = |reason| AliasError::InvalidAddress {
        address: a.chars().take(300).collect(),
        reason,
    };
    let Some((local, domain)) = a.rsplit_once('@') else {
        return Err(bad("it has no @"));
    };
    validate_local_part(local)?;
    let domain = validate_domain(domain)?;
    let full = format!("{local}@{domain}");
    if full.len() > MAX_ADDRESS_LEN {
        return Err(bad("it is longer than 254 characters (RFC 5321)"));
    }
    Ok(full)
}

fn join(local: &str, domain: &str) -> Result<String, AliasError> {
    validate_local_part(local)?;
    let full = format!("{local}@{domain}");
    if full.len() > MAX_ADDRESS_LEN {
        return Err(AliasError::InvalidAddress {
            address: full,
            reason: "it is longer than 254 characters (RFC 5321)",
        });
    }
    Ok(full)
}

/// Checks a user-given tag: 1 to [`MAX_TAG_LEN`] of `A-Z a-z 0-9 . _ -`, lowercased.
fn check_tag(tag: &str) -> Result<String, AliasError> {
    let t = tag.trim().to_ascii_lowercase();
    let bad = |reason| AliasError::InvalidLocalPart {
        local_part: tag.chars().take(100).collect(),
        reason,
    };
    if t.is_empty() {
        return Err(bad("the tag is empty"));
    }
    if t.chars().count() > MAX_TAG_LEN {
        return Err(bad("the tag is longer than 40 characters"));
    }
    if !t
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err(bad("a tag may hold only letters, digits, . _ and -"));
    }
    Ok(t)
}

/// A random alias at the user's catch-all domain, e.g. `amber.otter407@example.com`.
pub fn catch_all(domain: &str, style: Style) -> Result<String, AliasError> {
    catch_all_from(domain, style, &random_bytes()?)
}

/// [`catch_all`] with the random bytes given.
pub fn catch_all_from(
    domain: &str,
    style: Style,
    random: &[u8; RANDOM_LEN],
) -> Result<String, AliasError> {
    let domain = validate_domain(domain)?;
    join(&random_local(style, random), &domain)
}

/// Plus addressing on the user's own address: `user+tag@domain`. Without a tag, a random
/// readable one. Some sites refuse or silently drop `+` addresses (simple-login/website
/// #12); the UI should say so and offer subdomain addressing.
pub fn plus(own_address: &str, tag: Option<&str>) -> Result<String, AliasError> {
    plus_from(own_address, tag, &random_bytes()?)
}

/// [`plus`] with the random bytes given.
pub fn plus_from(
    own_address: &str,
    tag: Option<&str>,
    random: &[u8; RANDOM_LEN],
) -> Result<String, AliasError> {
    let own = validate_address(own_address)?;
    let (local, domain) = own.rsplit_once('@').unwrap_or((&own, ""));
    // An address that already has a tag keeps its base: `me+old@x` -> `me+new@x`.
    let base = local.split('+').next().unwrap_or(local);
    let tag = match tag {
        Some(t) => check_tag(t)?,
        None => words_local(random).replace('.', "-"),
    };
    join(&format!("{base}+{tag}"), domain)
}

/// Subdomain addressing: `tag@user.example` (Fastmail delivers it as `user+tag@example`).
/// Without a tag, a random readable one.
pub fn subdomain(user_domain: &str, tag: Option<&str>) -> Result<String, AliasError> {
    subdomain_from(user_domain, tag, &random_bytes()?)
}

/// [`subdomain`] with the random bytes given.
pub fn subdomain_from(
    user_domain: &str,
    tag: Option<&str>,
    random: &[u8; RANDOM_LEN],
) -> Result<String, AliasError> {
    let domain = validate_domain(user_domain)?;
    if domain.split('.').count() < 3 {
        return Err(AliasError::InvalidDomain {
            domain,
            reason: "subdomain addressing needs your own subdomain, like you.fastmail.com",
        });
    }
    let tag = match tag {
        Some(t) => check_tag(t)?,
        None => words_local(random),
    };
    join(&tag, &domain)
}

/// The per-site alias at `domain` for the site of `site_input` (a URL or host): the same
/// registrable domain always gives the same address for the same secret. With
/// `site_in_tag`, the site's first label leads the local part (`example.amber407@...`);
/// otherwise it looks like any random alias (`amber.otter407@...`).
pub fn per_site(
    secret: &[u8; SECRET_LEN],
    site_input: &str,
    domain: &str,
    site_in_tag: bool,
) -> Result<String, AliasError> {
    let site = site::registrable_domain(site_input)?;
    let domain = validate_domain(domain)?;
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(secret).map_err(|_| AliasError::InvalidSecret {
            reason: "not 32 bytes long",
        })?;
    mac.update(PER_SITE_CONTEXT.as_bytes());
    mac.update(site.as_bytes());
    let digest = mac.finalize().into_bytes();
    let local = if site_in_tag {
        let label = site_label(&site);
        let w = ((digest[0] as usize) << 1 | (digest[1] as usize >> 7)) & 511;
        let n = u16::from_be_bytes([digest[2], digest[3]]) % 1000;
        format!("{label}.{}{:03}", word(w), n)
    } else {
        words_local(&digest)
    };
    join(&local, &domain)
}

/// The first label of a registrable domain, reduced to `a-z 0-9 -` and
/// [`MAX_SITE_LABEL_LEN`] characters (`site` for IP literals and the like).
pub fn site_label(site: &str) -> String {
    let first = site.split('.').next().unwrap_or(site);
    let mut s: String = first
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(MAX_SITE_LABEL_LEN)
        .collect();
    s = s.trim_matches('-').to_string();
    if s.is_empty() || s.bytes().all(|b| b.is_ascii_digit()) {
        "site".to_string()
    } else {
        s
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const R1: [u8; 16] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
    const R2: [u8; 16] = [200, 7, 99, 1, 0, 255, 3, 8, 9, 10, 11, 12, 13, 14, 15, 16];
    const SECRET: [u8; 32] = [7u8; 32];

    fn is_words_local(l: &str) -> bool {
        let Some((w1, rest)) = l.split_once('.') else {
            return false;
        };
        let (w2, digits) = rest.split_at(rest.len() - 3);
        WORDS.contains(w1) && WORDS.contains(w2) && digits.bytes().all(|b| b.is_ascii_digit())
    }

    #[test]
    fn word_list_is_512_distinct_plain_words() {
        assert_eq!(WORDS.len(), 512);
        let mut sorted: Vec<&str> = WORDS.iter().collect();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 512);
        assert!(WORDS
            .iter()
            .all(|w| (3..=9).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_lowercase())));
    }

    #[test]
    fn catch_all_words_and_hex_formats() {
        let a = catch_all_from("Example.COM.", Style::Words, &R1).unwrap();
        let (local, domain) = a.split_once('@').unwrap();
        assert_eq!(domain, "example.com");
        assert!(is_words_local(local), "{a}");
        let h = catch_all_from("example.com", Style::Hex, &R1).unwrap();
        assert_eq!(h, "0102030405060708@example.com");
        assert_ne!(catch_all_from("example.com", Style::Words, &R2).unwrap(), a);
        // Real randomness: two draws differ (2^-28 chance of a false failure is accepted
        // for hex: 2^-64).
        assert_ne!(
            catch_all("example.com", Style::Hex).unwrap(),
            catch_all("example.com", Style::Hex).unwrap()
        );
    }

    #[test]
    fn catch_all_rejects_bad_domains() {
        for d in [
            "",
            "localhost",
            "exa mple.com",
            "-x.com",
            "x.123",
            "a@b.com",
            "1.2.3.4",
        ] {
            assert!(
                matches!(
                    catch_all_from(d, Style::Words, &R1),
                    Err(AliasError::InvalidDomain { .. })
                ),
                "{d}"
            );
        }
    }

    #[test]
    fn plus_addressing() {
        assert_eq!(
            plus_from("Me@Example.com", Some("Shop"), &R1).unwrap(),
            "Me+shop@example.com"
        );
        assert_eq!(
            plus_from("me+old@example.com", Some("new"), &R1).unwrap(),
            "me+new@example.com"
        );
        let r = plus_from("me@example.com", None, &R1).unwrap();
        let tag = r
            .strip_prefix("me+")
            .unwrap()
            .strip_suffix("@example.com")
            .unwrap();
        assert!(is_words_local(&tag.replacen('-', ".", 1)), "{r}");
        assert!(plus_from("me@example.com", Some("a b"), &R1).is_err());
        assert!(plus_from("not-an-address", Some("x"), &R1).is_err());
        let long_local = "a".repeat(60);
        let e = plus_from(&format!("{long_local}@example.com"), Some("toolong"), &R1);
        assert!(matches!(e, Err(AliasError::InvalidLocalPart { .. })));
    }

    #[test]
    fn subdomain_addressing() {
        assert_eq!(
            subdomain_from("you.fastmail.com", Some("news"), &R1).unwrap(),
            "news@you.fastmail.com"
        );
        assert!(is_words_local(
            subdomain_from("you.fastmail.com", None, &R1)
                .unwrap()
                .split('@')
                .next()
                .unwrap()
        ));
        assert!(subdomain_from("fastmail.com", Some("x"), &R1).is_err());
    }

    #[test]
    fn per_site_is_deterministic_per_registrable_domain() {
        let a = per_site(
            &SECRET,
            "https://login.shop.example.co.uk/x",
            "mine.example",
            false,
        )
        .unwrap();
        let b = per_site(&SECRET, "shop.example.co.uk", "mine.example", false).unwrap();
        let c = per_site(&SECRET, "example.co.uk", "mine.example", false).unwrap();
        assert_eq!(a, b);
        assert_eq!(b, c);
        let other = per_site(&SECRET, "other.co.uk", "mine.example", false).unwrap();
        assert_ne!(a, other);
        let other_secret = per_site(&[8u8; 32], "example.co.uk", "mine.example", false).unwrap();
        assert_ne!(a, other_secret);
        let local = a.split('@').next().unwrap();
        assert!(is_words_local(local), "{a}");
        assert!(!local.contains("example"), "site leaked: {a}");
    }

    #[test]
    fn per_site_with_site_in_tag() {
        let a = per_site(&SECRET, "www.shop.example.co.uk", "mine.example", true).unwrap();
        assert!(a.starts_with("example."), "{a}");
        assert_eq!(
            a,
            per_site(&SECRET, "example.co.uk", "mine.example", true).unwrap()
        );
        assert_eq!(site_label("192.0.2.1"), "site");
        assert_eq!(site_label("[::1]"), "site");
        assert_eq!(site_label(&format!("{}.com", "x".repeat(60))).len(), 24);
    }

    #[test]
    fn secrets_roundtrip_and_reject_bad_input() {
        let s = new_install_secret().unwrap();
        assert_eq!(s.len(), 64);
        let bytes = parse_secret(&s).unwrap();
        assert_eq!(hex(&bytes), s);
        assert_ne!(new_install_secret().unwrap(), s);
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD.encode([9u8; 32]);
        assert_eq!(parse_secret(&b64).unwrap(), [9u8; 32]);
        assert!(matches!(
            parse_secret("abcd"),
            Err(AliasError::InvalidSecret { .. })
        ));
        assert!(parse_secret(&"zz".repeat(32)).is_err());
    }

    #[test]
    fn address_validation_limits() {
        assert!(validate_local_part(&"a".repeat(64)).is_ok());
        assert!(validate_local_part(&"a".repeat(65)).is_err());
        assert!(validate_local_part(".a").is_err());
        assert!(validate_local_part("a..b").is_err());
        assert!(validate_local_part("a\"b").is_err());
        let long_domain = format!("{}.com", vec!["a".repeat(63); 3].join("."));
        assert!(validate_domain(&long_domain).is_ok());
        let too_long = format!("{}@{}", "a".repeat(64), long_domain);
        assert!(too_long.len() > 254);
        assert!(matches!(
            validate_address(&too_long),
            Err(AliasError::InvalidAddress { .. })
        ));
        assert_eq!(
            validate_address("x@Bücher.de").unwrap(),
            "x@xn--bcher-kva.de"
        );
    }
}
