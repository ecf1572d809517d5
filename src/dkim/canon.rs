//! Canonicalisation (RFC 6376 §3.4) and the two hash inputs: the body (§3.7, with `l=`) and
//! the signed header fields followed by the signature's own field (§3.7, §5.4.2).

use super::header::Field;
use super::signature::Canon;

fn is_wsp(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Appends `line` with every run of spaces and tabs made one space and those at its end
/// removed (relaxed, §3.4.2 and §3.4.4); CR and LF are dropped (unfolding).
fn push_relaxed(out: &mut Vec<u8>, line: &[u8]) {
    let mut space = false;
    for &b in line {
        match b {
            b'\r' | b'\n' => {}
            b if is_wsp(b) => space = true,
            b => {
                if space && !out.is_empty() {
                    out.push(b' ');
                }
                space = false;
                out.push(b);
            }
        }
    }
}

/// One header field in canonical form, ending in CRLF.
pub fn header_field(field: &Field<'_>, canon: Canon) -> Vec<u8> {
    match canon {
        // §3.4.1: no change at all.
        Canon::Simple => field.raw.to_vec(),
        // §3.4.2: lowercase name, unfold, one space for each run, none at the ends of the
        // value or around the colon.
        Canon::Relaxed => {
            let colon = field
                .raw
                .iter()
                .position(|&b| b == b':')
                .unwrap_or(field.raw.len());
            let mut out = field.name.to_ascii_lowercase().into_bytes();
            out.push(b':');
            let mut value = Vec::new();
            push_relaxed(&mut value, field.raw.get(colon + 1..).unwrap_or_default());
            out.extend_from_slice(&value);
            out.extend_from_slice(b"\r\n");
            out
        }
    }
}

/// The canonical body (§3.4.3, §3.4.4) of a CRLF body.
pub fn body(body: &[u8], canon: Canon) -> Vec<u8> {
    let mut out = match canon {
        Canon::Simple => {
            let mut v = body.to_vec();
            if !v.ends_with(b"\r\n") {
                v.extend_from_slice(b"\r\n");
            }
            v
        }
        Canon::Relaxed => {
            let mut v = Vec::with_capacity(body.len() + 2);
            for line in body.split_inclusive(|&b| b == b'\n') {
                let text = line.strip_suffix(b"\r\n").unwrap_or(line);
                // Runs of text between white space are copied whole (a byte at a time was
                // most of a large body's check, tools/bench/README.md "DKIM"); a run of
                // spaces and tabs before text becomes one space, at the end of a line none.
                let mut space = false;
                for (i, run) in text.split(|&b| is_wsp(b)).enumerate() {
                    space |= i > 0;
                    if !run.is_empty() {
                        if space {
                            v.push(b' ');
                        }
                        space = false;
                        v.extend_from_slice(run);
                    }
                }
                v.extend_from_slice(b"\r\n");
            }
            v
        }
    };
    // Empty lines at the end are ignored (both).
    while out.ends_with(b"\r\n\r\n") {
        out.truncate(out.len() - 2);
    }
    if canon == Canon::Relaxed && out == b"\r\n" {
        // §3.4.4: an empty body stays empty (only `simple` makes it one CRLF).
        out.clear();
    }
    out
}

/// The header hash input (§3.7): the fields named in `h=`, each the last one of that name
/// not used yet, counted from the bottom (§5.4.2: a name listed more often than it occurs
/// adds nothing, "over-signing"), then `sig_field` with the value of `b=` removed and no
/// final CRLF.
pub fn header_input(
    fields: &[Field<'_>],
    signed: &[String],
    sig_field: &Field<'_>,
    canon: Canon,
) -> Vec<u8> {
    let mut out = Vec::new();
    let mut used = vec![false; fields.len()];
    for name in signed {
        let found = fields
            .iter()
            .enumerate()
            .rev()
            .find(|(i, f)| !used[*i] && f.is(name))
            .map(|(i, _)| i);
        if let Some(i) = found {
            used[i] = true;
            out.extend_from_slice(&header_field(&fields[i], canon));
        }
    }
    let blanked = without_b_value(sig_field.raw);
    let own = Field {
        name: sig_field.name,
        raw: &blanked,
    };
    let mut own = header_field(&own, canon);
    if own.ends_with(b"\r\n") {
        own.truncate(own.len() - 2);
    }
    out.extend_from_slice(&own);
    out
}

/// The field with the value of its `b=` tag deleted (§3.5 "b="; §3.7), everything else kept
/// byte for byte (`bh=` too).
pub fn without_b_value(raw: &[u8]) -> Vec<u8> {
    let colon = raw
        .iter()
        .position(|&b| b == b':')
        .map_or(raw.len(), |c| c + 1);
    let mut out = raw[..colon].to_vec();
    let mut rest = &raw[colon..];
    while !rest.is_empty() {
        let end = rest.iter().position(|&b| b == b';').unwrap_or(rest.len());
        let spec = &rest[..end];
        match spec.iter().position(|&b| b == b'=') {
            Some(eq)
                if spec[..eq]
                    .iter()
                    .filter(|b| !b.is_ascii_whitespace())
                    .eq(b"b".iter()) =>
            {
                out.extend_from_slice(&spec[..=eq]);
                // A field ending with b= keeps its final CRLF.
                if end == rest.len() && spec.ends_with(b"\r\n") {
                    out.extend_from_slice(b"\r\n");
                }
            }
            _ => out.extend_from_slice(spec),
        }
        if end < rest.len() {
            out.push(b';');
            rest = &rest[end + 1..];
        } else {
            rest = &[];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::dkim::header::split;

    /// RFC 6376 §3.4.5's example.
    const EXAMPLE: &[u8] = b"A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n C \r\nD \t E\r\n\r\n\r\n";

    #[test]
    fn the_rfc_example_relaxed() {
        let s = split(EXAMPLE);
        let h: Vec<u8> = s
            .fields
            .iter()
            .flat_map(|f| header_field(f, Canon::Relaxed))
            .collect();
        assert_eq!(h, b"a:X\r\nb:Y Z\r\n");
        assert_eq!(body(s.body, Canon::Relaxed), b" C\r\nD E\r\n");
    }

    #[test]
    fn the_rfc_example_simple() {
        let s = split(EXAMPLE);
        let h: Vec<u8> = s
            .fields
            .iter()
            .flat_map(|f| header_field(f, Canon::Simple))
            .collect();
        assert_eq!(h, b"A: X\r\nB : Y\t\r\n\tZ  \r\n");
        assert_eq!(body(s.body, Canon::Simple), b" C \r\nD \t E\r\n");
    }

    #[test]
    fn empty_bodies() {
        assert_eq!(body(b"", Canon::Simple), b"\r\n");
        assert_eq!(body(b"\r\n\r\n", Canon::Simple), b"\r\n");
        assert_eq!(body(b"", Canon::Relaxed), b"");
        assert_eq!(body(b" \r\n\r\n", Canon::Relaxed), b"");
        assert_eq!(body(b"x", Canon::Relaxed), b"x\r\n");
    }

    #[test]
    fn b_is_blanked_and_bh_kept() {
        assert_eq!(
            without_b_value(b"DKIM-Signature: v=1; bh=abc; b=xy\r\n z; s=a\r\n"),
            b"DKIM-Signature: v=1; bh=abc; b=; s=a\r\n"
        );
        assert_eq!(
            without_b_value(b"DKIM-Signature: v=1; b=xy\r\n\t z\r\n"),
            b"DKIM-Signature: v=1; b=\r\n"
        );
    }

    #[test]
    fn repeated_and_over_signed_headers_are_taken_from_the_bottom() {
        let m = b"To: 1\r\nTo: 2\r\nDKIM-Signature: b=x\r\n\r\n";
        let s = split(m);
        let names = ["to", "to", "to"].map(String::from);
        let input = header_input(&s.fields, &names, &s.fields[2], Canon::Simple);
        assert_eq!(input, b"To: 2\r\nTo: 1\r\nDKIM-Signature: b=");
    }
}
