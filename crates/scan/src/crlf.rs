//! Line breaks in canonical form (RFC 8551 §3.1.1: every line ends in CRLF).

/// The position of the first bare LF in `data` (an LF that is not preceded by a CR), if any.
///
/// A 25 MB content in CRLF form has about 330,000 LFs. Natively `memchr` finds them fast
/// enough (AVX2, chosen at run time). In the wasm, a search that stops at each of them spends
/// its time between matches, so WebAssembly SIMD compares 64 bytes at a time with the bytes
/// before them and looks byte by byte only inside the block where a bare LF is. (Explicit SIMD,
/// not a loop left to the auto-vectoriser: under LTO the loop is optimised again at the core's
/// opt-level, "z", and stays scalar.) In the wasm it is tested against the definition in Node
/// through `selfTestBareLf` (`tests/wasm/core.test.mjs`).
pub fn first_bare_lf(data: &[u8]) -> Option<usize> {
    let bare = |i: usize| data[i] == b'\n' && (i == 0 || data[i - 1] != b'\r');
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        if data.first() == Some(&b'\n') {
            return Some(0);
        }
        let at = simd128::clean_prefix(data);
        (at..data.len()).find(|&i| bare(i))
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    memchr::memchr_iter(b'\n', data).find(|&i| bare(i))
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128 {
    use core::arch::wasm32::{u8x16_eq, u8x16_splat, v128, v128_andnot, v128_any_true, v128_or};

    /// Bytes compared per step: four 16-byte vectors.
    const BLOCK: usize = 64;

    /// Whether the 16 bytes at `at` hold an LF whose preceding byte (at `at - 1`, `at >= 1`) is
    /// not a CR; as a vector of lanes.
    #[inline(always)]
    fn bare(data: &[u8], at: usize) -> v128 {
        let load = |from: usize| -> v128 {
            let mut c = [0u8; 16];
            c.copy_from_slice(&data[from..from + 16]);
            // (bytemuck: a plain 16-byte load, without `unsafe` here.)
            bytemuck::cast(c)
        };
        let lf = u8x16_eq(load(at), u8x16_splat(b'\n'));
        let cr_before = u8x16_eq(load(at - 1), u8x16_splat(b'\r'));
        v128_andnot(lf, cr_before)
    }

    /// A position `at >= 1` such that `data[1..at]` has no bare LF: the start of the first
    /// 64-byte block that may have one, or of the tail shorter than a block.
    pub fn clean_prefix(data: &[u8]) -> usize {
        let mut at = 1;
        while at + BLOCK <= data.len() {
            let any = v128_or(
                v128_or(bare(data, at), bare(data, at + 16)),
                v128_or(bare(data, at + 32), bare(data, at + 48)),
            );
            if v128_any_true(any) {
                break;
            }
            at += BLOCK;
        }
        at
    }
}

#[cfg(test)]
mod tests {
    use super::first_bare_lf;

    /// Byte by byte, the definition.
    fn reference(data: &[u8]) -> Option<usize> {
        (0..data.len()).find(|&i| data[i] == b'\n' && (i == 0 || data[i - 1] != b'\r'))
    }

    #[test]
    fn agrees_with_the_definition_at_every_position_and_length() {
        // Every length up to three blocks, with a bare LF (or a CR LF pair, or a lone CR) at
        // every position, on CRLF lines of varying width: block edges included.
        for len in 0..200usize {
            let mut base = Vec::with_capacity(len);
            let mut col = 0;
            while base.len() < len {
                if col == 7 + len % 5 && base.len() + 2 <= len {
                    base.extend_from_slice(b"\r\n");
                    col = 0;
                } else {
                    base.push(b'a' + (base.len() % 26) as u8);
                    col += 1;
                }
            }
            assert_eq!(first_bare_lf(&base), reference(&base), "len {len}");
            for pos in 0..len {
                for put in [&b"\n"[..], b"\r", b"\r\n", b"\n\n"] {
                    let mut d = base.clone();
                    for (k, c) in put.iter().enumerate() {
                        if pos + k < len {
                            d[pos + k] = *c;
                        }
                    }
                    assert_eq!(
                        first_bare_lf(&d),
                        reference(&d),
                        "len {len} pos {pos} {put:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn crlf_only_and_bare_lf_at_the_end_of_a_large_input() {
        let mut d =
            b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd\r\n".repeat(20_000);
        assert_eq!(first_bare_lf(&d), None);
        let n = d.len();
        d[n - 2] = b'x';
        assert_eq!(first_bare_lf(&d), Some(n - 1));
    }
}
