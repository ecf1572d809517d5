//! Base64 decoding of alphabet-only blocks with WebAssembly SIMD (the wasm build's fast path of
//! `decode`; natively the `base64` crate does it). 16 characters become 12 bytes:
//! the characters are checked and translated to their 6-bit values with two nibble lookups (the
//! method of W. Muła and D. Lemire, "Faster Base64 Encoding and Decoding Using AVX2
//! Instructions", ACM TOW 2018, §3.2), then packed with shifts and one byte shuffle. A block
//! with any character outside `A-Za-z0-9+/` (padding, whitespace, anything) is refused whole, and
//! the caller decodes that buffer the careful way: the bytes are the same either way.

use core::arch::wasm32::{
    i16x8_shl, i32x4_shl, i8x16, i8x16_swizzle, u16x8_shr, u16x8_splat, u32x4_shr, u32x4_splat,
    u8x16_add, u8x16_eq, u8x16_shr, u8x16_splat, v128, v128_and, v128_any_true, v128_or,
};

/// Bit i set in `LO[c & 15] & HI[c >> 4]` means "not in the alphabet" (Muła and Lemire).
const LO: v128 = i8x16(
    0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x1A, 0x1B, 0x1B, 0x1B, 0x1A,
);
const HI: v128 = i8x16(
    0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
);
/// What to add to a character, by its high nibble (`/` by index 1), to get its 6-bit value.
const ROLL: v128 = i8x16(0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0);
/// Each 32-bit lane's 3 bytes, most significant first.
const ORDER: v128 = i8x16(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);

/// Decodes 16 alphabet characters into 12 bytes (the first 12 of the 16 returned); `None` if
/// any character is not one.
#[inline(always)]
fn block(c: [u8; 16]) -> Option<[u8; 16]> {
    // (bytemuck: a plain 16-byte load, without `unsafe` here.)
    let v: v128 = bytemuck::cast(c);
    let hi = u8x16_shr(v, 4);
    let lo = v128_and(v, u8x16_splat(0x0f));
    let bad = v128_and(i8x16_swizzle(LO, lo), i8x16_swizzle(HI, hi));
    if v128_any_true(bad) {
        return None;
    }
    // '/' (0x2f) is 0xff in `slash`, which moves its roll index from 2 to 1.
    let slash = u8x16_eq(v, u8x16_splat(0x2f));
    let values = u8x16_add(v, i8x16_swizzle(ROLL, u8x16_add(hi, slash)));
    // Pairs of 6-bit values (little-endian 16-bit lanes: a in the low byte) to 12 bits: a << 6 | b.
    let ab = v128_or(
        i16x8_shl(v128_and(values, u16x8_splat(0x00ff)), 6),
        u16x8_shr(values, 8),
    );
    // Pairs of those to 24 bits: ab << 12 | cd.
    let abcd = v128_or(
        i32x4_shl(v128_and(ab, u32x4_splat(0xffff)), 12),
        u32x4_shr(ab, 16),
    );
    Some(bytemuck::cast(i8x16_swizzle(abcd, ORDER)))
}

/// Decodes `input` (a multiple of 16 characters, all in the alphabet) into `out` (3/4 of its
/// length). Returns false, with `out` partly written, if a character is not in the alphabet.
pub fn decode_alphabet(input: &[u8], out: &mut [u8]) -> bool {
    for i in 0..input.len() / 16 {
        let Ok(c) = <[u8; 16]>::try_from(&input[i * 16..i * 16 + 16]) else {
            return false;
        };
        let Some(b) = block(c) else {
            return false;
        };
        let at = i * 12;
        // A 16-byte store whose last 4 bytes the next block overwrites; the last block of
        // `out` gets its 12.
        match out.get_mut(at..at + 16).map(<&mut [u8; 16]>::try_from) {
            Some(Ok(o)) => *o = b,
            _ => out[at..at + 12].copy_from_slice(&b[..12]),
        }
    }
    true
}
