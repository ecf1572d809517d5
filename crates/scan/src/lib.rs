//! The loops over every byte of a large signed message, for ImpaleMail's S/MIME checks: lenient
//! base64 decoding of MIME bodies (RFC 2045 §6.8, [`decode`]) and the search for line breaks
//! that are not in canonical form (RFC 8551 §3.1.1, [`first_bare_lf`]). A crate of its own so
//! that it can be compiled for speed (`opt-level = 3`) while the rest of the core is compiled
//! for size (`opt-level = "z"`; the workspace's Cargo.toml): at "z" the base64 loop ran
//! 10-20 ms slower on a 25 MB message in the wasm, and the core is 34 KB gzipped smaller
//! (2026-11-29).
//!
//! In the wasm with SIMD, blocks of 16 alphabet characters are decoded with WebAssembly SIMD
//! ([`simd128`]); elsewhere by the `base64` crate. Tested through `impalemail::smime::mime`
//! (against byte-by-byte references) and in Node against Node's decoder
//! (`tests/wasm/core.test.mjs`).

#![forbid(unsafe_code)]

mod crlf;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128;

pub use crlf::first_bare_lf;

/// Size of the stack buffer that collects base64 characters between line breaks. A multiple
/// of 4, so every full buffer decodes on its own, independently of the next one.
pub const CHUNK: usize = 8192;

/// Whether `b` is in the base64 alphabet (RFC 2045 §6.8, Table 1), padding excluded.
pub fn is_base64_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

/// Keeps the base64 alphabet characters of `buf` in order at its start, up to the first `=`;
/// returns their count and whether a `=` ended them.
fn retain_base64_chars(buf: &mut [u8]) -> (usize, bool) {
    let mut m = 0;
    for i in 0..buf.len() {
        let b = buf[i];
        if is_base64_char(b) {
            buf[m] = b;
            m += 1;
        } else if b == b'=' {
            return (m, true);
        }
    }
    (m, false)
}

/// Decodes base64 (RFC 2045 §6.8), skipping whitespace and line breaks and stopping at the
/// first `=` padding. Characters outside the alphabet are skipped (lenient: the decoded bytes
/// are what the signature check sees, so leniency here cannot make a forgery verify). A lone
/// trailing character (which cannot encode a byte) is dropped; unused trailing bits are ignored.
///
/// Copy-light and fast: lines are copied whole into a fixed stack buffer (their breaks are
/// skipped where the first line's width says they are, with a search only when a line is
/// longer), and the `base64` crate decodes each full buffer straight into the output, so a
/// 25 MB body costs one output allocation and no per-character work on our side. Only a
/// buffer that the crate refuses (a space, a stray line break, a `=`, any character outside
/// the alphabet) is cleaned character by character before it is decoded: dropping only
/// characters the slow rule skips anyway, the result is the same bytes.
pub fn decode(input: &[u8]) -> Vec<u8> {
    use base64::Engine;
    let engine = base64::engine::general_purpose::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::general_purpose::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    // At most 3 bytes per 4 characters, plus slack for the final partial quantum.
    let mut out = vec![0u8; input.len() / 4 * 3 + 6];
    let mut written = 0;
    let mut buf = [0u8; CHUNK];
    let mut n = 0;
    // Decodes a full buffer. Returns how many characters (fewer than 4) it carries over, or
    // `None` when a `=` ended the data (the characters before it are then left in `buf`,
    // their count in `n`).
    let flush_full =
        |buf: &mut [u8; CHUNK], n: &mut usize, out: &mut Vec<u8>, written: &mut usize| {
            // The crate accepts `=` only as padding at the very end, so a success without `=`
            // in the last quantum means: alphabet characters only.
            // In the wasm, WebAssembly SIMD (`base64_simd128`; the base64-simd crate was faster
            // in Node but added 35 ms to the extension's cold start, 2026-11-28).
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            {
                const DECODED: usize = CHUNK / 4 * 3;
                let dst = &mut out[*written..*written + DECODED];
                if simd128::decode_alphabet(&buf[..], dst) {
                    *written += DECODED;
                    *n = 0;
                    return true;
                }
            }
            // (Elsewhere the crate's decoder; after SIMD refused a block it would refuse too.)
            #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
            if !buf[CHUNK - 4..].contains(&b'=') {
                if let Ok(k) = engine.decode_slice_unchecked(&buf[..], &mut out[*written..]) {
                    *written += k;
                    *n = 0;
                    return true;
                }
            }
            let (m, stopped) = retain_base64_chars(&mut buf[..]);
            if stopped {
                *n = m;
                return false;
            }
            let whole = m - m % 4;
            // Alphabet characters only, in whole quanta: this cannot fail.
            if let Ok(k) = engine.decode_slice_unchecked(&buf[..whole], &mut out[*written..]) {
                *written += k;
            }
            buf.copy_within(whole..m, 0);
            *n = m - whole;
            true
        };
    let width = memchr::memchr(b'\n', input).map_or(input.len(), |i| i);
    let width = input[..width]
        .strip_suffix(b"\r")
        .map_or(width, <[u8]>::len)
        .max(1);
    let mut stopped = false;
    let mut i = 0;
    'lines: while i < input.len() {
        while i < input.len() && (input[i] == b'\r' || input[i] == b'\n') {
            i += 1;
        }
        // A line of the usual width ends in a line break (or the input); another is found.
        let mut end = (i + width).min(input.len());
        if end < input.len() && input[end] != b'\r' && input[end] != b'\n' {
            end = memchr::memchr(b'\n', &input[i..]).map_or(input.len(), |k| i + k);
        }
        let mut line = &input[i..end];
        i = end;
        while !line.is_empty() {
            let k = (CHUNK - n).min(line.len());
            buf[n..n + k].copy_from_slice(&line[..k]);
            n += k;
            line = &line[k..];
            if n == CHUNK && !flush_full(&mut buf, &mut n, &mut out, &mut written) {
                stopped = true;
                break 'lines;
            }
        }
    }
    if !stopped {
        n = retain_base64_chars(&mut buf[..n]).0;
    }
    // A lone trailing character cannot encode a byte: drop it.
    let rest = n - n % 4 + if n % 4 >= 2 { n % 4 } else { 0 };
    if rest > 0 {
        if let Ok(k) = engine.decode_slice_unchecked(&buf[..rest], &mut out[written..]) {
            written += k;
        }
    }
    out.truncate(written);
    out
}
