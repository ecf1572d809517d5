//! The time a message claims: its `Date:` header field (RFC 5322 §3.3, with the obsolete
//! forms of §4.3), compared with the signed signing-time attribute (RFC 5652 §11.3).
//!
//! `Date:` is not signed in a detached signature and is the time a mail client sorts and shows
//! a message by. A signed mail re-sent later (a replayed "please pay") keeps its old signing
//! time under a fresh `Date:`; the verdict points that out
//! ([`super::verdict::Warning::DateFarFromSigningTime`]).

/// The most `Date:` and the signing time may differ, in seconds, before the verdict says so:
/// one hour. Both are set by the sender's client when it sends (the signing time when it
/// signs, a moment before), so ordinary mail differs by seconds, and by less than an hour even
/// with a clock that is off or a slow outbox. Thunderbird uses the same hour, and treats more as
/// a signature problem (mozilla/releases-comm-central issue 110); here it is a warning only,
/// because a later send (scheduled sending signs at writing time) is honest too, and says so
/// with both times.
pub const MAX_DATE_SKEW_SECS: i64 = 3600;

/// Parses an RFC 5322 `date-time` to unix seconds; `None` when it is not one.
pub fn parse_date(value: &str) -> Option<i64> {
    // Comments (CFWS) out, day-of-week dropped.
    let mut text = String::new();
    let mut depth = 0usize;
    for c in value.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => text.push(c),
            _ => {}
        }
    }
    let text = match text.split_once(',') {
        Some((_, rest)) => rest.to_string(),
        None => text,
    };
    let mut it = text.split_whitespace();
    let day: u32 = it.next()?.parse().ok()?;
    let month = it.next()?.to_ascii_lowercase();
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let month = MONTHS.iter().position(|m| month == *m)? as u32 + 1;
    let year_text = it.next()?;
    let year: i64 = year_text.parse().ok()?;
    // RFC 5322 §4.3: two-digit years 00-49 are 2000-2049, 50-99 and three digits add 1900.
    let year = match year_text.len() {
        2 if year < 50 => 2000 + year,
        2 | 3 => 1900 + year,
        _ => year,
    };
    let time: Vec<u32> = it
        .next()?
        .split(':')
        .map(|x| x.parse().ok())
        .collect::<Option<_>>()?;
    let (h, m, s) = match time[..] {
        [h, m] => (h, m, 0),
        [h, m, s] => (h, m, s),
        _ => return None,
    };
    if !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let zone = zone_offset(it.next().unwrap_or("-0000"))?;
    let days = super::asn1::days_from_civil(year, month, day);
    Some(days * 86_400 + i64::from(h * 3600 + m * 60 + s) - zone)
}

/// A zone's offset from UTC in seconds: `+hhmm`/`-hhmm`, or an obsolete name (RFC 5322 §4.3;
/// military letters and unknown names are `-0000`, "no information", as that section says).
fn zone_offset(zone: &str) -> Option<i64> {
    let z = zone.as_bytes();
    if z.len() == 5 && (z[0] == b'+' || z[0] == b'-') {
        let n: i64 = zone[1..].parse().ok()?;
        let secs = (n / 100) * 3600 + (n % 100) * 60;
        return Some(if z[0] == b'-' { -secs } else { secs });
    }
    let hours = match zone.to_ascii_uppercase().as_str() {
        "EDT" => -4,
        "EST" | "CDT" => -5,
        "CST" | "MDT" => -6,
        "MST" | "PDT" => -7,
        "PST" => -8,
        _ => 0,
    };
    Some(hours * 3600)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_5322_dates() {
        // 2026-12-06T13:48:03Z.
        let t = 1_796_564_883;
        assert_eq!(parse_date("Sun, 06 Dec 2026 13:48:03 +0000"), Some(t));
        assert_eq!(parse_date("6 Dec 2026 14:48:03 +0100"), Some(t));
        assert_eq!(parse_date("Sun, 6 Dec 26 08:48:03 EST (Eastern)"), Some(t));
        assert_eq!(parse_date("Sun, 06 Dec 2026 13:48 GMT"), Some(t - 3));
        assert_eq!(parse_date("06 Dec 2026 05:18:03 -0830"), Some(t));
        assert_eq!(parse_date("Sun, 06 Foo 2026 13:48:03 +0000"), None);
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date(""), None);
    }
}
