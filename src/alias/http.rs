//! The request/response shapes that cross to JavaScript, and the [`Secret`] wrapper.
//!
//! The core never performs I/O: a provider flow hands out [`HttpRequest`]s, the
//! extension's background runs them with `fetch` (redirect "manual", cache "no-store",
//! credentials "omit") and feeds back an [`HttpResponse`]. Header names are compared
//! case-insensitively (RFC 9110 §5.1). `Retry-After` is read per RFC 9110 §10.2.3.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Largest response body a parser looks at, in bytes; a larger body is a
/// [`crate::alias::AliasError::Malformed`] error (a provider listing more than this is
/// read page by page).
pub const MAX_RESPONSE_BYTES: usize = 8 * 1024 * 1024;

/// An HTTP method (RFC 9110 §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH (RFC 5789)
    Patch,
    /// DELETE
    Delete,
}

impl Method {
    /// The method token, as `fetch` wants it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// A request for the caller to perform. Serializes as
/// `{ "method": "POST", "url": "...", "headers": [["Name","value"],...], "body": "..."|null }`.
///
/// Its `Debug` output hides the values of credential headers.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct HttpRequest {
    /// Method.
    pub method: Method,
    /// Absolute URL.
    pub url: String,
    /// Header fields in order; may carry the API key (see [`Secret`]).
    pub headers: Vec<(String, String)>,
    /// Body (JSON text) if any.
    pub body: Option<String>,
}

impl HttpRequest {
    /// The value of the first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// Header names whose values are credentials and are hidden from `Debug`.
const SECRET_HEADERS: [&str; 3] = ["authorization", "authentication", "x-csrftoken"];

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                let hidden = SECRET_HEADERS.iter().any(|s| n.eq_ignore_ascii_case(s));
                (n.as_str(), if hidden { "***" } else { v.as_str() })
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body", &self.body)
            .finish()
    }
}

/// A response as `fetch` saw it. Deserializes from
/// `{ "status": 200, "headers": [["name","value"],...], "body": "..." }`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, Default)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Header fields (names in any case).
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// Body as text.
    #[serde(default)]
    pub body: String,
}

impl HttpResponse {
    /// A response with the given status and body and no headers (handy in tests).
    pub fn new(status: u16, body: impl Into<String>) -> Self {
        HttpResponse {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// The value of the first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// Seconds to wait according to `Retry-After` (RFC 9110 §10.2.3): either
    /// delay-seconds or an HTTP-date, the latter relative to `now` (unix seconds).
    pub fn retry_after_secs(&self, now: u64) -> Option<u64> {
        let value = self.header("retry-after")?.trim();
        if let Ok(secs) = value.parse::<u64>() {
            return Some(secs);
        }
        parse_http_date(value).map(|at| at.saturating_sub(now))
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 §5.6.7) into unix
/// seconds. The obsolete RFC 850 and asctime forms are not accepted (senders MUST
/// generate IMF-fixdate).
pub fn parse_http_date(s: &str) -> Option<u64> {
    let mut it = s.split_ascii_whitespace();
    let _weekday = it.next()?.strip_suffix(',')?;
    let day: u64 = it.next()?.parse().ok()?;
    let month = match it.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: u64 = it.next()?.parse().ok()?;
    let mut hms = it.next()?.split(':');
    let (h, m, sec): (u64, u64, u64) = (
        hms.next()?.parse().ok()?,
        hms.next()?.parse().ok()?,
        hms.next()?.parse().ok()?,
    );
    if it.next()? != "GMT" || it.next().is_some() {
        return None;
    }
    if !(1..=31).contains(&day) || h > 23 || m > 59 || sec > 60 || year < 1970 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + sec)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: u64, m: u64, d: u64) -> u64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe).saturating_sub(719_468)
}

/// A credential (API key, token, password). `Debug` prints `Secret(***)`; there is no
/// `Display`. It serializes as the plain string, because the settings document that
/// JavaScript stores must hold it; the vault export never contains one.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential (surrounding whitespace, a common paste accident, is trimmed).
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into().trim().to_string())
    }
    /// The credential itself, for building a request header.
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// Whether no credential was given.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn secret_debug_hides_the_value() {
        let s = Secret::new("  sk_live_abcdef  ");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert_eq!(s.expose(), "sk_live_abcdef");
    }

    #[test]
    fn request_debug_hides_credential_headers() {
        let r = HttpRequest {
            method: Method::Post,
            url: "https://x.example/api".into(),
            headers: vec![
                ("Authentication".into(), "key-123".into()),
                ("Authorization".into(), "Bearer tok-456".into()),
                ("Accept".into(), "application/json".into()),
            ],
            body: None,
        };
        let d = format!("{r:?}");
        assert!(!d.contains("key-123") && !d.contains("tok-456"), "{d}");
        assert!(d.contains("application/json"));
    }

    #[test]
    fn retry_after_seconds_and_http_date() {
        let mut r = HttpResponse::new(429, "");
        r.headers.push(("Retry-After".into(), "30".into()));
        assert_eq!(r.retry_after_secs(0), Some(30));
        // 1994-11-06T08:49:37Z = 784111777
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        r.headers[0].1 = "Sun, 06 Nov 1994 08:50:07 GMT".into();
        assert_eq!(r.retry_after_secs(784_111_777), Some(30));
        // A date in the past means "now".
        assert_eq!(r.retry_after_secs(784_200_000), Some(0));
        r.headers[0].1 = "soon".into();
        assert_eq!(r.retry_after_secs(0), None);
        assert_eq!(parse_http_date("2024-01-01T00:00:00Z"), None);
    }

    #[test]
    fn method_serializes_uppercase() {
        assert_eq!(serde_json::to_string(&Method::Patch).unwrap(), "\"PATCH\"");
    }
}
