//! The sync code: the only key of a user's synced vault, and what is derived from it.
//!
//! 144 random bits and 16 check bits, written as 32 characters of Crockford's base32
//! (digits and letters without I, L, O and U, which read as 1, 1, 0 and are refused) in
//! eight groups of four: `7GQ2-M9XD-...`. Reading ignores case, spaces and dashes, and
//! reads I and L as 1 and O as 0, so a misread letter still works; the check bits (the first
//! two bytes of SHA-256 over the random bytes) catch a mistyped character with a plain-words
//! error, all but 1 in 65,536 times.
//!
//! Keys come from HKDF-SHA-256 (RFC 5869) with the code's 144 random bits as input keying
//! material, no salt (an empty one: §2.2 then uses a string of zeros) and a fixed `info`
//! per use (§3.1: a salt adds nothing to input keying material that is already uniformly
//! random; §3.2: `info` separates the keys): [`ITEM_KEY_INFO`] gives the 256-bit
//! AES-256-GCM key of every item, [`CHECK_INFO`] the 128-bit code check stored in item `k`.
//! The core names them ([`SyncCode::key_material`]) and the background derives them with
//! WebCrypto (`HKDF` in `crypto.subtle.deriveKey`/`deriveBits`), so the item key is a
//! non-extractable `CryptoKey` that never enters the wasm. No slow password hash (PBKDF2, Argon2): those make a
//! guessable password costly to guess, and 144 random bits cannot be guessed in the first
//! place (2^143 tries on average), so a slow hash would add seconds on a phone and no
//! safety.

use super::error::SyncError;
use sha2::{Digest, Sha256};
use std::fmt;

/// Random bytes in a code: 144 bits.
pub const CODE_RANDOM_BYTES: usize = 18;
/// Check bytes appended before encoding.
pub const CODE_CHECK_BYTES: usize = 2;
/// Characters in a written code (160 bits, 5 per character).
pub const CODE_CHARS: usize = (CODE_RANDOM_BYTES + CODE_CHECK_BYTES) * 8 / 5;
/// Characters per group in a written code.
pub const CODE_GROUP: usize = 4;

/// Crockford's base32 alphabet.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// HKDF `info` of the item encryption key (AES-256-GCM, 32 bytes). `v2`: the item format
/// ([`super::seal::ITEM_FORMAT`]); format 1's XChaCha20-Poly1305 key used `v1`.
pub const ITEM_KEY_INFO: &[u8] = b"impalemail sync v2: item key";
/// HKDF `info` of the code check stored next to the items (16 bytes). One-way, so it
/// reveals nothing of the code or the item key; it tells a wrong code apart from a changed
/// item.
pub const CHECK_INFO: &[u8] = b"impalemail sync v2: code check";

/// A sync code. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct SyncCode {
    random: [u8; CODE_RANDOM_BYTES],
}

impl fmt::Debug for SyncCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SyncCode(..)")
    }
}

fn check_bytes(random: &[u8]) -> [u8; CODE_CHECK_BYTES] {
    let d = Sha256::new()
        .chain_update(b"impalemail sync code")
        .chain_update(random)
        .finalize();
    [d[0], d[1]]
}

impl SyncCode {
    /// A new code from the platform's random source.
    pub fn generate() -> Result<SyncCode, SyncError> {
        let mut random = [0u8; CODE_RANDOM_BYTES];
        getrandom::getrandom(&mut random).map_err(|e| SyncError::Randomness {
            message: e.to_string(),
        })?;
        Ok(SyncCode::from_random(random))
    }

    /// The code of these random bytes (tests).
    pub fn from_random(random: [u8; CODE_RANDOM_BYTES]) -> SyncCode {
        SyncCode { random }
    }

    /// The written code: eight dash-separated groups of four.
    pub fn to_text(&self) -> String {
        let mut all = self.random.to_vec();
        all.extend_from_slice(&check_bytes(&self.random));
        let (mut acc, mut bits) = (0u32, 0u32);
        let mut out = String::with_capacity(CODE_CHARS + CODE_CHARS / CODE_GROUP);
        let mut n = 0;
        for b in all {
            acc = acc << 8 | u32::from(b);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                if n > 0 && n % CODE_GROUP == 0 {
                    out.push('-');
                }
                out.push(char::from(ALPHABET[((acc >> bits) & 31) as usize]));
                n += 1;
            }
        }
        out
    }

    /// Reads a typed code (case, spaces and dashes do not matter; I and L read as 1, O as 0).
    pub fn parse(text: &str) -> Result<SyncCode, SyncError> {
        let mut values = Vec::with_capacity(CODE_CHARS);
        for c in text.chars() {
            if c.is_whitespace() || c == '-' {
                continue;
            }
            let up = c.to_ascii_uppercase();
            let up = match up {
                'I' | 'L' => '1',
                'O' => '0',
                other => other,
            };
            let v = ALPHABET
                .iter()
                .position(|&a| char::from(a) == up)
                .ok_or(SyncError::CodeCharacter { found: c })?;
            values.push(v as u32);
        }
        if values.len() != CODE_CHARS {
            return Err(SyncError::CodeLength {
                found: values.len(),
                expected: CODE_CHARS,
            });
        }
        let (mut acc, mut bits) = (0u32, 0u32);
        let mut all = Vec::with_capacity(CODE_RANDOM_BYTES + CODE_CHECK_BYTES);
        for v in values {
            acc = acc << 5 | v;
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                all.push((acc >> bits) as u8);
            }
        }
        let (random, check) = all.split_at(CODE_RANDOM_BYTES);
        if check != check_bytes(random) {
            return Err(SyncError::CodeTypo);
        }
        let mut r = [0u8; CODE_RANDOM_BYTES];
        r.copy_from_slice(random);
        Ok(SyncCode { random: r })
    }

    /// The input keying material of HKDF (RFC 5869 §2.2): the code's random bytes, for the
    /// background to derive the item key ([`ITEM_KEY_INFO`]) and the code check
    /// ([`CHECK_INFO`]).
    pub fn key_material(&self) -> &[u8; CODE_RANDOM_BYTES] {
        &self.random
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_code_reads_back_however_it_is_typed() {
        let code = SyncCode::from_random([0xa5; CODE_RANDOM_BYTES]);
        let text = code.to_text();
        assert_eq!(text.len(), CODE_CHARS + CODE_CHARS / CODE_GROUP - 1);
        assert_eq!(text.split('-').count(), 8, "{text}");
        assert_eq!(SyncCode::parse(&text).unwrap(), code);
        let sloppy = text
            .to_lowercase()
            .replace('-', " ")
            .replace('1', "l")
            .replace('0', "o");
        assert_eq!(SyncCode::parse(&sloppy).unwrap(), code);
        assert_eq!(format!("{code:?}"), "SyncCode(..)");
    }

    #[test]
    fn every_single_typo_is_caught() {
        let code = SyncCode::from_random(*b"eighteen bytes!!..");
        let text = code.to_text().replace('-', "");
        let mut caught = 0;
        for i in 0..text.len() {
            for &a in ALPHABET {
                let mut t: Vec<u8> = text.clone().into_bytes();
                if t[i] == a {
                    continue;
                }
                t[i] = a;
                let typed = String::from_utf8(t).unwrap();
                assert_ne!(SyncCode::parse(&typed).ok(), Some(code.clone()));
                if SyncCode::parse(&typed) == Err(SyncError::CodeTypo) {
                    caught += 1;
                }
            }
        }
        // 32 positions × 31 wrong characters; a 16-bit check lets about 1 in 65,536 through.
        assert!(caught >= 32 * 31 - 1, "{caught}");
        assert_eq!(
            SyncCode::parse(&text[1..]),
            Err(SyncError::CodeLength {
                found: 31,
                expected: 32
            })
        );
        assert_eq!(
            SyncCode::parse(&format!("U{}", &text[1..])),
            Err(SyncError::CodeCharacter { found: 'U' })
        );
        let msg = SyncError::CodeTypo.to_string();
        assert!(msg.contains("typo"), "{msg}");
    }
}
