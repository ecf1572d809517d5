//! Whether the display name beside a signed `From` address is a name the signer's certificate
//! carries (RFC 5322 §3.4 `display-name`; RFC 8550 §3 binds only the address).
//!
//! A certificate vouches for an address, and often for a person's name (its subject's
//! commonName, givenName, surname). Webmails show the display name first and the address small
//! or not at all, so `From: The Manager <eve@example.com>` signed by eve's valid certificate
//! reads as "The Manager, verified" (the display-name class of "Johnny, you are fired",
//! USENIX Security 2019). This module says whether a display name fits the certificate; the
//! verdict points out one that does not ([`super::verdict::Warning::DisplayNameNotSigner`]).
//!
//! It is meant to stay quiet on ordinary mail, so a name *fits* when, after folding case and
//! Latin diacritics (`Müller`, `Mueller`, `Muller` are one name) and transliterating Cyrillic and
//! Greek letters:
//! - its words, in any order (`Family, Given`), are the certificate's name words, allowing
//!   single-letter initials (`A. Example`) and titles (`Dr.`, `Prof.`), at least one full word
//!   matching; or at least two of its words are the certificate's (a middle name or a
//!   department in brackets beside the person's name);
//! - written without spaces, it is one of the certificate's names (`山田太郎` for `山田 太郎`),
//!   in either word order;
//! - it spells the address's local part from its words and initials (`J. Smith` for
//!   `jsmith@`, `Jane Doe` for `jd1984@`), or it is the address or its local part itself.
//!
//! The list of ordinary real-world patterns this is held to is test data:
//! `tests/fixtures/smime/display-names.txt`.

use crate::words::Words;

/// Words in a display name that are not part of anyone's name: titles and fillers.
const IGNORED_WORDS: Words = crate::words![
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sir",
    "herr",
    "frau",
    "mme",
    "mlle",
    "jr",
    "sr",
    "ii",
    "iii",
    "phd",
    "msc",
    "dipl",
    "ing",
    "via",
];

/// Most display-name words tried in every order when spelling the local part (4! orders).
const MAX_WORDS_PERMUTED: usize = 4;

/// Whether `display` fits a signer whose certificate carries the personal and organisation
/// names `cert_names` (commonName, givenName, surname, organisation ... as written) and the
/// addresses `addresses`. `display` is the decoded display name of the `From` mailbox.
pub fn fits(display: &str, cert_names: &[String], addresses: &[String]) -> bool {
    // The signer's own address written into the name says nothing new: take it out.
    let mut rest = crate::case::lowercase(display);
    for a in addresses {
        rest = rest.replace(&crate::case::lowercase(a), " ");
    }
    let shown = words(&rest);
    if shown.is_empty() {
        return true;
    }
    let locals: Vec<&str> = addresses
        .iter()
        .filter_map(|a| a.rsplit_once('@').map(|(l, _)| l))
        .collect();
    let mut known: Vec<Word> = cert_names
        .iter()
        .filter(|n| !n.contains('@'))
        .flat_map(|n| words(n))
        .collect();
    known.extend(locals.iter().flat_map(|l| words(l)));

    // Word by word.
    let (mut full, mut unmatched) = (0usize, 0usize);
    for w in &shown {
        if w.key.chars().count() == 1 {
            if !known.iter().any(|k| k.key.starts_with(&w.key)) {
                unmatched += 1;
            }
        } else if known.iter().any(|k| k.same(w)) {
            full += 1;
        } else {
            unmatched += 1;
        }
    }
    if (unmatched == 0 && full >= 1) || full >= 2 {
        return true;
    }
    // Written without spaces, in either order.
    let compact = |ws: &[Word]| ws.iter().map(|w| w.key.as_str()).collect::<String>();
    let shown_compact = compact(&shown);
    for n in cert_names.iter().filter(|n| !n.contains('@')) {
        let mut ws = words(n);
        if compact(&ws) == shown_compact {
            return true;
        }
        ws.reverse();
        if compact(&ws) == shown_compact {
            return true;
        }
    }
    // The local part spelled from the name's words and initials.
    locals.iter().any(|l| spells(l, &shown))
}

/// One word of a name, folded for comparison.
#[derive(Debug, Clone)]
struct Word {
    /// Lower case, Latin diacritics folded, other scripts transliterated.
    key: String,
    /// Whether transliteration made it (spellings of one name then differ: `Yulia`, `Iuliia`).
    transliterated: bool,
}

impl Word {
    fn same(&self, other: &Word) -> bool {
        if self.key == other.key || umlaut_free(&self.key) == umlaut_free(&other.key) {
            return true;
        }
        // Transliterations of one name differ in vowels and in y/j/h (`Yuliya`, `Julija`,
        // `Iuliia`; `Khristo`, `Hristo`): compare the consonants then, when one side was
        // written in another script and both are names, not initials or particles.
        (self.transliterated || other.transliterated)
            && self.key.len() >= 4
            && other.key.len() >= 4
            && {
                let (a, b) = (skeleton(&self.key), skeleton(&other.key));
                !a.is_empty() && a == b
            }
    }
}

/// `ae`, `oe`, `ue` as the umlaut's plain letter (`Mueller` and `Müller` folded to `muller`).
fn umlaut_free(s: &str) -> String {
    s.replace("ae", "a").replace("oe", "o").replace("ue", "u")
}

fn skeleton(s: &str) -> String {
    s.chars().filter(|c| !"aeiouyjhw".contains(*c)).collect()
}

/// The words of a name (letters and digits of any script), folded, titles dropped.
fn words(s: &str) -> Vec<Word> {
    let mut out = Vec::new();
    for raw in s.split(|c: char| !c.is_alphanumeric()) {
        if raw.is_empty() {
            continue;
        }
        let mut key = String::new();
        let mut transliterated = false;
        for c in raw.chars().flat_map(|c| {
            let (a, b) = crate::case::lower(c);
            std::iter::once(a).chain(b)
        }) {
            match fold(c) {
                Some(f) => {
                    transliterated |= !c.is_ascii() && !is_latin(c);
                    key.push_str(f);
                }
                None => key.push(c),
            }
        }
        if !key.is_empty() && !IGNORED_WORDS.contains(&key) {
            out.push(Word {
                key,
                transliterated,
            });
        }
    }
    out
}

fn is_latin(c: char) -> bool {
    ('\u{00C0}'..='\u{024F}').contains(&c)
}

/// A lower-case letter's plain Latin form: Latin diacritics dropped, Cyrillic (ISO 9 / common
/// passport spellings) and Greek (ELOT 743) transliterated. `None`: keep the letter as it is.
fn fold(c: char) -> Option<&'static str> {
    // Pairs: the letters, then their plain Latin form (one text: [`mod@crate::words`]).
    #[rustfmt::skip]
    const TABLE: Words = crate::words![
        "àáâãäåāăą", "a",
        "æ", "ae",
        "çćĉċč", "c",
        "ďđ", "d",
        "èéêëēĕėęě", "e",
        "ĝğġģ", "g",
        "ĥħ", "h",
        "ìíîïĩīĭįı", "i",
        "ĵ", "j",
        "ķ", "k",
        "ĺļľŀł", "l",
        "ñńņňŉ", "n",
        "òóôõöøōŏő", "o",
        "œ", "oe",
        "ŕŗř", "r",
        "śŝşš", "s",
        "ß", "ss",
        "ţťŧ", "t",
        "ùúûüũūŭůűų", "u",
        "ŵ", "w",
        "ýÿŷ", "y",
        "źżž", "z",
        "þ", "th",
        // Cyrillic.
        "а", "a",
        "б", "b",
        "в", "v",
        "гґ", "g",
        "д", "d",
        "еёэє", "e",
        "ж", "zh",
        "з", "z",
        "иіїй", "i",
        "к", "k",
        "л", "l",
        "м", "m",
        "н", "n",
        "о", "o",
        "п", "p",
        "р", "r",
        "с", "s",
        "т", "t",
        "у", "u",
        "ф", "f",
        "х", "kh",
        "ц", "ts",
        "ч", "ch",
        "ш", "sh",
        "щ", "shch",
        "ъь", "",
        "ы", "y",
        "ю", "iu",
        "я", "ia",
        // Greek.
        "αά", "a",
        "β", "v",
        "γ", "g",
        "δ", "d",
        "εέ", "e",
        "ζ", "z",
        "ηήιίϊΐ", "i",
        "θ", "th",
        "κ", "k",
        "λ", "l",
        "μ", "m",
        "ν", "n",
        "ξ", "x",
        "οόωώ", "o",
        "π", "p",
        "ρ", "r",
        "σς", "s",
        "τ", "t",
        "υύϋΰ", "y",
        "φ", "f",
        "χ", "ch",
        "ψ", "ps",
    ];
    if c.is_ascii() {
        return None;
    }
    let mut pairs = TABLE.iter();
    while let (Some(from), Some(to)) = (pairs.next(), pairs.next()) {
        if from.contains(c) {
            return Some(to);
        }
    }
    None
}

/// Whether the local part's letters are the name's words, each written in full or as its
/// initial, every word used once, in some order (`jsmith`, `smith.j`, `jd1984`, `john.smith`).
fn spells(local: &str, shown: &[Word]) -> bool {
    let target: String = words(local)
        .iter()
        .flat_map(|w| w.key.chars())
        .filter(|c| !c.is_ascii_digit())
        .collect();
    if target.is_empty() || shown.len() > MAX_WORDS_PERMUTED {
        return false;
    }
    let mut order: Vec<usize> = (0..shown.len()).collect();
    permutations(&mut order, 0, &mut |o| {
        // A lone initial spells nothing: at least one full word, or two initials.
        let ws: Vec<&str> = o.iter().map(|&i| shown[i].key.as_str()).collect();
        spell_from(&target, &ws) && (ws.len() >= 2 || target == ws[0])
    })
}

fn spell_from(target: &str, ws: &[&str]) -> bool {
    let Some((first, rest)) = ws.split_first() else {
        return target.is_empty();
    };
    if let Some(t) = target.strip_prefix(first) {
        if spell_from(t, rest) {
            return true;
        }
    }
    let initial = first.chars().next().map(String::from).unwrap_or_default();
    target
        .strip_prefix(initial.as_str())
        .is_some_and(|t| spell_from(t, rest))
}

fn permutations(v: &mut [usize], k: usize, f: &mut dyn FnMut(&[usize]) -> bool) -> bool {
    if k == v.len() {
        return f(v);
    }
    for i in k..v.len() {
        v.swap(k, i);
        let found = permutations(v, k + 1, f);
        v.swap(k, i);
        if found {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn the_paper_s_example_does_not_fit() {
        let names = s(&["Eve Evil"]);
        let addr = s(&["eve@example.com"]);
        assert!(!fits("The Manager", &names, &addr));
        assert!(!fits("Alice Example", &names, &addr));
        assert!(fits("Eve Evil", &names, &addr));
        assert!(fits("EVIL, Eve", &names, &addr));
    }

    #[test]
    fn local_part_spelling_needs_every_word() {
        let addr = s(&["jsmith@example.com"]);
        assert!(fits("John Smith", &[], &addr));
        assert!(fits("Smith, J.", &[], &addr));
        assert!(!fits("John Manager", &[], &addr));
        assert!(!fits("J", &[], &addr));
    }
}
