//! Word lists stored as one text each, a word per line, instead of as slices of `&str`.
//!
//! A `&[&str]` keeps an 8-byte pointer and length for every entry in the wasm's data, next to
//! the text itself; addresses compress badly. The forms classifier's keyword lists and the
//! generators' 512 words were 2,148 such entries, 7.4 KB of the gzipped wasm (2026-12-06).
//! A [`Words`] list is the same words in the same order, joined by `\n` at compile time
//! ([`crate::words!`]), and read by splitting on `\n`; the lists are short, so walking one is as
//! cheap as walking the slice was.

/// A non-empty list of words, in order; no word contains a line break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words(&'static str);

impl Words {
    /// The words, in order.
    pub fn iter(self) -> std::str::Split<'static, char> {
        self.0.split('\n')
    }

    /// The word at `index`, if the list is that long.
    pub fn get(self, index: usize) -> Option<&'static str> {
        self.iter().nth(index)
    }

    /// How many words the list holds.
    pub fn len(self) -> usize {
        self.iter().count()
    }

    /// Always `false`: [`crate::words!`] takes at least one word (an empty word is one).
    pub fn is_empty(self) -> bool {
        false
    }

    /// Whether `word` is one of the words.
    pub fn contains(self, word: &str) -> bool {
        self.iter().any(|w| w == word)
    }

    /// The list made by [`crate::words!`]; the text is the words joined by `\n`.
    #[doc(hidden)]
    pub const fn from_joined(text: &'static str) -> Words {
        Words(text)
    }
}

/// A [`Words`] list from string literals (at least one; none may contain a line break):
/// `words!["sign up", "signup", "regist*"]`.
#[macro_export]
macro_rules! words {
    ($first:literal $(, $word:literal)* $(,)?) => {
        $crate::words::Words::from_joined(concat!($first $(, "\n", $word)*))
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_every_word_in_order_empty_ones_too() {
        let w = words!["text", "email", ""];
        assert_eq!(w.iter().collect::<Vec<_>>(), ["text", "email", ""]);
        assert_eq!(w.len(), 3);
        assert_eq!(w.get(1), Some("email"));
        assert_eq!(w.get(3), None);
        assert!(w.contains("") && w.contains("text") && !w.contains("tex"));
        let one = words!["alone",];
        assert_eq!(one.iter().collect::<Vec<_>>(), ["alone"]);
        assert!(!one.is_empty());
    }
}
