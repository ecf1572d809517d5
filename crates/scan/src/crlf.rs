//! Line breaks in canonical form (RFC 8551 §3.1.1: every line ends in CRLF).

/// Bytes looked at per step of the block loop: a multiple of the 16-byte SIMD width.
const BLOCK: usize = 64;

/// The position of the first bare LF in `data` (an LF that is not preceded by a CR), if any.
///
/// A 25 MB content in CRLF form has about 330,000 LFs; a search that stops at each of them
/// (`memchr`) spends its time between matches. This compares whole blocks branch-free instead
/// (vectorised by the compiler at `opt-level = 3`, with WebAssembly SIMD in the wasm) and only
/// looks byte by byte inside the block where a bare LF is.
pub fn first_bare_lf(data: &[u8]) -> Option<usize> {
    let bare = |i: usize| data[i] == b'\n' && (i == 0 || data[i - 1] != b'\r');
    if data.is_empty() {
        return None;
    }
    if bare(0) {
        return Some(0);
    }
    let mut at = 1;
    while at + BLOCK <= data.len() {
        let here = &data[at..at + BLOCK];
        let before = &data[at - 1..at - 1 + BLOCK];
        let mut any = false;
        for (b, p) in here.iter().zip(before) {
            any |= (*b == b'\n') & (*p != b'\r');
        }
        if any {
            break;
        }
        at += BLOCK;
    }
    (at..data.len()).find(|&i| bare(i))
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
