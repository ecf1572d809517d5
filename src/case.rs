//! Unicode lowercase without the standard library's case tables.
//!
//! `str::to_lowercase` and `char::to_lowercase` link `core`'s conversion table: 1,434 pairs
//! of 32-bit code points, 11.5 KB raw and, with the code that walks it, about 8 KB of the
//! wasm gzipped (ARCHITECTURE.md, "Size"). The same mapping fits 185 runs (`case/table.rs`):
//! a run is a first code point, a length, a step of 1 or 2 (Latin Extended and Cyrillic pair
//! capitals and small letters alternately) and the distance to the lowercase letter.
//!
//! The table is generated from the standard library's own mapping and checked against it for
//! every code point (`table_is_the_standard_mapping`; after a Rust update changes the Unicode
//! version, `IMPALEMAIL_REGEN_CASE=1 cargo test --lib case` writes it again). So
//! [`lower`] is `char::to_lowercase` exactly, U+0130 (İ, to `i` and a combining dot above)
//! included. [`lowercase`] is `str::to_lowercase` with one difference, in the one
//! contextual rule of Unicode's SpecialCasing (final sigma, Unicode §3.13): a capital sigma
//! becomes `ς` at the end of a word, where the standard library looks past every
//! case-ignorable character (apostrophes, combining marks, format characters) to find the
//! word's edge, and this looks past apostrophes and combining diacritical marks only.

mod table;

/// The lowercase of `c`: one character, or two for U+0130 (`i` and U+0307).
pub fn lower(c: char) -> (char, Option<char>) {
    if c.is_ascii() {
        return (c.to_ascii_lowercase(), None);
    }
    if c == '\u{130}' {
        return ('i', Some('\u{307}'));
    }
    let u = u32::from(c);
    let i = table::RUNS.partition_point(|&r| r & START_MASK <= u);
    let Some(&run) = i.checked_sub(1).and_then(|i| table::RUNS.get(i)) else {
        return (c, None);
    };
    let start = run & START_MASK;
    let count = (run >> COUNT_SHIFT & COUNT_MASK) + 1;
    let step = (run >> STEP_SHIFT) + 1;
    let offset = u - start;
    if offset % step != 0 || offset / step >= count {
        return (c, None);
    }
    let to = u.wrapping_add_signed(table::DELTAS[i - 1]);
    (char::from_u32(to).unwrap_or(c), None)
}

/// Appends the lowercase of `c` to `out`.
pub fn push_lower(out: &mut String, c: char) {
    let (a, b) = lower(c);
    out.push(a);
    if let Some(b) = b {
        out.push(b);
    }
}

/// `s` in lowercase (see the module docs for final sigma).
pub fn lowercase(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        if c == 'Σ' {
            let before = cased_first(s[..i].chars().rev());
            let after = cased_first(s[i + c.len_utf8()..].chars());
            out.push(if before && !after { 'ς' } else { 'σ' });
        } else {
            push_lower(&mut out, c);
        }
    }
    out
}

/// Whether the first character of `chars` that is not an apostrophe or combining mark is
/// cased (a lowercase, uppercase or titlecase letter).
fn cased_first(mut chars: impl Iterator<Item = char>) -> bool {
    chars
        .find(|&c| !matches!(c, '\'' | '\u{2019}' | '\u{300}'..='\u{36f}'))
        .is_some_and(|c| c.is_lowercase() || c.is_uppercase() || lower(c).0 != c)
}

/// A run in [`table::RUNS`]: bits 0-20 its first code point, 21-27 its length less one,
/// bit 28 its step less one.
const START_MASK: u32 = 0x1f_ffff;
const COUNT_SHIFT: u32 = 21;
const COUNT_MASK: u32 = 0x7f;
const STEP_SHIFT: u32 = 28;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The runs of the standard library's single-character lowercase mapping.
    fn runs_from_std() -> Vec<(u32, u32, u32, i32)> {
        let mut pairs = Vec::new();
        for u in 0..0x11_0000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            let mut l = c.to_lowercase();
            if let (Some(to), None) = (l.next(), l.next()) {
                if to != c && !c.is_ascii() {
                    pairs.push((u, u32::from(to)));
                }
            }
        }
        let mut runs = Vec::new();
        let mut i = 0;
        while i < pairs.len() {
            let (start, to) = pairs[i];
            let delta = to as i64 - start as i64;
            let mut best = (1u32, 1u32);
            for step in [1u32, 2] {
                let mut n = 1u32;
                while let Some(&(u, t)) = pairs.get(i + n as usize) {
                    if u != start + n * step || t as i64 - u as i64 != delta || n > COUNT_MASK {
                        break;
                    }
                    n += 1;
                }
                if n > best.0 {
                    best = (n, step);
                }
            }
            runs.push((start, best.0, best.1, i32::try_from(delta).unwrap()));
            i += best.0 as usize;
        }
        runs
    }

    #[test]
    fn table_is_the_standard_mapping() {
        let runs = runs_from_std();
        let packed: Vec<u32> = runs
            .iter()
            .map(|&(start, n, step, _)| start | (n - 1) << COUNT_SHIFT | (step - 1) << STEP_SHIFT)
            .collect();
        let deltas: Vec<i32> = runs.iter().map(|r| r.3).collect();
        if std::env::var_os("IMPALEMAIL_REGEN_CASE").is_some() {
            let list = |v: Vec<String>| {
                v.chunks(8)
                    .map(|c| format!("    {},\n", c.join(", ")))
                    .collect::<String>()
            };
            let text = format!(
                "//! Generated by `IMPALEMAIL_REGEN_CASE=1 cargo test --lib case` from the standard\n\
                 //! library's `char::to_lowercase` (see `case.rs`). Do not edit.\n\n\
                 /// Runs: first code point | (length - 1) << 21 | (step - 1) << 28, sorted.\n\
                 #[rustfmt::skip]\n\
                 pub(super) const RUNS: [u32; {n}] = [\n{runs}];\n\n\
                 /// Per run, lowercase minus capital.\n\
                 #[rustfmt::skip]\n\
                 pub(super) const DELTAS: [i32; {n}] = [\n{deltas}];\n",
                n = packed.len(),
                runs = list(packed.iter().map(|r| format!("{r:#010x}")).collect()),
                deltas = list(deltas.iter().map(|d| d.to_string()).collect()),
            );
            std::fs::write(
                concat!(env!("CARGO_MANIFEST_DIR"), "/src/case/table.rs"),
                text,
            )
            .unwrap();
        }
        assert_eq!(
            (table::RUNS.as_slice(), table::DELTAS.as_slice()),
            (packed.as_slice(), deltas.as_slice()),
            "the Unicode version changed: IMPALEMAIL_REGEN_CASE=1 cargo test --lib case"
        );
        // And the lookup itself, for every code point.
        for u in 0..0x11_0000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            let want: Vec<char> = c.to_lowercase().collect();
            let (a, b) = lower(c);
            let got: Vec<char> = std::iter::once(a).chain(b).collect();
            assert_eq!(got, want, "U+{u:04X}");
        }
    }

    #[test]
    fn strings_lower_as_the_standard_library_does() {
        for s in [
            "",
            "Hello@Example.COM",
            "ÀÉÎÕÜ ÇÑ ÆØÅ ẞ",
            "ΟΔΟΣ ΟΔΟΣ. ΣΑΣ Σ ΑΣ",
            "ὈΔΥΣΣΕΎΣ",
            "ПОЧТА Электронная",
            "İstanbul",
            "ǅemal ǈ Ǌ",
            "ＡＢＣ 𐐀𐐁 𞤀",
            "Ա Ⴀ Ꭰ Ⓐ",
            "Σ",
            "ΑΣ'",
            "ΑΣ\u{301}Β",
        ] {
            assert_eq!(lowercase(s), s.to_lowercase(), "{s}");
        }
    }

    #[test]
    fn final_sigma_looks_past_apostrophes_and_marks_only() {
        // The standard library's Case_Ignorable also covers format characters (U+200D):
        // the one documented difference.
        assert_eq!(lowercase("ΑΣ\u{200d}Β"), "ας\u{200d}β");
        assert_eq!("ΑΣ\u{200d}Β".to_lowercase(), "ασ\u{200d}β");
        assert_eq!(lowercase("Α'Σ"), "α'ς");
    }
}
