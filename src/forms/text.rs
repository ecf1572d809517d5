//! Text normalisation and keyword matching.
//!
//! Page text and attribute values are turned into one canonical form before any keyword is
//! tried: camelCase and letter/digit boundaries split, lowercase, Latin diacritics stripped,
//! anything that is not a letter or digit turned into one space, and a space added at both
//! ends so that whole-token matches are a plain substring search for `" word "`.

/// Normalises `s` (see the module doc). The result starts and ends with a space, and holds
/// single spaces between tokens; an empty input gives `" "`.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push(' ');
    let mut prev: Option<char> = None;
    for c in s.chars() {
        // Split camelCase ("signupEmail") and letter/digit runs ("email2"); developers glue
        // words together in names and ids.
        if let Some(p) = prev {
            let camel = p.is_lowercase() && c.is_uppercase();
            let digit_edge = (p.is_alphabetic() && c.is_ascii_digit())
                || (p.is_ascii_digit() && c.is_alphabetic());
            if camel || digit_edge {
                push_space(&mut out);
            }
        }
        prev = Some(c);
        let (a, b) = crate::case::lower(c);
        for l in std::iter::once(a).chain(b) {
            match fold(l) {
                Folded::Char(f) => push_char(&mut out, f),
                Folded::Two(a, b) => {
                    push_char(&mut out, a);
                    push_char(&mut out, b);
                }
                Folded::Drop => {}
            }
        }
    }
    push_space(&mut out);
    out
}

fn push_space(out: &mut String) {
    if !out.ends_with(' ') {
        out.push(' ');
    }
}

fn push_char(out: &mut String, c: char) {
    if c.is_alphanumeric() {
        out.push(c);
    } else {
        push_space(out);
    }
}

enum Folded {
    Char(char),
    Two(char, char),
    Drop,
}

/// Folds one lowercase character: Latin letters with diacritics to their base letter, a few
/// ligatures to two letters, combining marks dropped (the Turkish `İ` lowercases to `i` plus
/// U+0307), Cyrillic `ё` to `е`. Other scripts pass through unchanged.
fn fold(c: char) -> Folded {
    let base = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ğ' | 'ĝ' | 'ġ' | 'ģ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => 'i',
        'ł' | 'ľ' | 'ĺ' | 'ļ' => 'l',
        'ñ' | 'ń' | 'ň' | 'ņ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' | 'ŕ' => 'r',
        'ś' | 'š' | 'ş' | 'ș' => 's',
        'ť' | 'ţ' | 'ț' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        'ё' => 'е',
        'ß' => return Folded::Two('s', 's'),
        'æ' => return Folded::Two('a', 'e'),
        'œ' => return Folded::Two('o', 'e'),
        '\u{0300}'..='\u{036f}' => return Folded::Drop,
        _ => c,
    };
    Folded::Char(base)
}

/// True when `c` belongs to a script written without spaces between words (CJK ideographs,
/// kana, hangul): keywords containing such characters match as plain substrings.
fn is_unspaced_script(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}'   // hiragana, katakana
        | '\u{3400}'..='\u{9fff}' // CJK ideographs (ext. A and unified)
        | '\u{ac00}'..='\u{d7af}' // hangul syllables
        | '\u{f900}'..='\u{faff}' // CJK compatibility ideographs
    )
}

/// Minimum length of a Latin keyword (or `*` stem) that may also match inside a token of
/// an attribute value: "signup" in `signupform` is a real cue, "mail" in `gmail` is not.
pub const MIN_INFIX_KEYWORD_LEN: usize = 5;

/// Whether `keyword` (written normalised, see [`super::lang`]) occurs in the normalised
/// text `hay`. `infix` allows Latin keywords of [`MIN_INFIX_KEYWORD_LEN`] or more letters
/// to match inside a token (used for attribute values).
pub fn matches(hay: &str, keyword: &str, infix: bool) -> bool {
    if keyword.chars().any(is_unspaced_script) {
        return hay.contains(keyword);
    }
    let (stem, prefix) = match keyword.strip_suffix('*') {
        Some(stem) => (stem, true),
        None => (keyword, false),
    };
    // Only single words glue: "e posta" must not match inside "code postal".
    if infix && stem.len() >= MIN_INFIX_KEYWORD_LEN && stem.is_ascii() && !stem.contains(' ') {
        return hay.contains(stem);
    }
    // Whole tokens: " stem " (or " stem" followed by more letters for a prefix).
    let mut from = 0;
    while let Some(pos) = hay[from..].find(stem) {
        let start = from + pos;
        let end = start + stem.len();
        let before_ok = hay[..start].ends_with(' ');
        let after_ok = prefix || hay[end..].starts_with(' ');
        if before_ok && after_ok {
            return true;
        }
        from = start + stem.chars().next().map_or(1, char::len_utf8);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_camel_snake_and_digits() {
        assert_eq!(normalize("signupEmail"), " signup email ");
        assert_eq!(normalize("user_email-2"), " user email 2 ");
        assert_eq!(normalize("email2"), " email 2 ");
        assert_eq!(normalize("  E-Mail-Adresse: "), " e mail adresse ");
        assert_eq!(normalize(""), " ");
    }

    #[test]
    fn strips_diacritics_in_many_languages() {
        assert_eq!(normalize("Créer un compte"), " creer un compte ");
        assert_eq!(normalize("Załóż konto"), " zaloz konto ");
        assert_eq!(normalize("Kayıt Ol"), " kayit ol ");
        assert_eq!(normalize("Şifremi unuttum"), " sifremi unuttum ");
        assert_eq!(normalize("İLETİŞİM"), " iletisim ");
        assert_eq!(normalize("Straße"), " strasse ");
        assert_eq!(normalize("Ещё раз"), " еще раз ");
        assert_eq!(normalize("Contraseña olvidada"), " contrasena olvidada ");
    }

    #[test]
    fn keeps_cjk_and_hangul() {
        assert_eq!(normalize("会員登録（無料）"), " 会員登録 無料 ");
        assert_eq!(normalize("회원가입"), " 회원가입 ");
    }

    #[test]
    fn token_phrase_and_prefix_matching() {
        let h = normalize("Sign-up now for free");
        assert!(matches(&h, "sign up", false));
        assert!(!matches(&normalize("design update"), "sign up", false));
        assert!(matches(&normalize("Registration"), "regist*", false));
        assert!(!matches(&normalize("preregistered"), "regist*", false));
        assert!(!matches(&normalize("unsubscribe"), "subscribe", false));
        assert!(matches(&normalize("Subscribe"), "subscribe", false));
    }

    #[test]
    fn infix_only_for_long_latin_keywords() {
        let h = normalize("signupform");
        assert!(matches(&h, "signup", true));
        assert!(!matches(&h, "signup", false));
        assert!(!matches(&normalize("gmail"), "mail", true));
        assert!(matches(&normalize("newsletteremail"), "newsletter*", true));
        assert!(!matches(&normalize("code_postal"), "e posta", true));
    }

    #[test]
    fn unspaced_scripts_match_as_substrings() {
        assert!(matches(
            &normalize("無料会員登録はこちら"),
            "会員登録",
            false
        ));
        assert!(matches(&normalize("지금 회원가입하기"), "회원가입", false));
        assert!(!matches(&normalize("ログイン"), "会員登録", false));
    }
}
