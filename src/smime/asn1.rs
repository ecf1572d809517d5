//! A small, strict DER reader (ITU-T X.690 §8, §10) over borrowed bytes, in the shape of
//! rustls-webpki's `der` module: one reader type, no generics per ASN.1 type, every element
//! a tag and a borrowed value. The certificate, CRL and CMS types of [`super::x509`] and
//! [`super::cms`] are read with it.
//!
//! What it enforces (DER, X.690 §10): single-byte tags (X.509 and CMS use no tag above 30),
//! definite lengths in the shortest form (§10.1), at most 4 length octets, no element
//! running past its parent; INTEGERs non-empty and minimally encoded (§8.3.2); BOOLEANs
//! 0x00 or 0xFF (§11.1); BIT STRINGs with a valid unused-bits octet (§8.6.2); OIDs as
//! const-oid parses them; UTCTime and GeneralizedTime in the RFC 5280 §4.1.2.5 forms
//! (`YYMMDDHHMMSSZ`, `YYYYMMDDHHMMSSZ`) with valid dates from 1970 on.

use const_oid::ObjectIdentifier;

/// Universal tags used here (X.680 §8.4).
pub mod tag {
    /// BOOLEAN.
    pub const BOOLEAN: u8 = 0x01;
    /// INTEGER.
    pub const INTEGER: u8 = 0x02;
    /// BIT STRING.
    pub const BIT_STRING: u8 = 0x03;
    /// OCTET STRING.
    pub const OCTET_STRING: u8 = 0x04;
    /// NULL.
    pub const NULL: u8 = 0x05;
    /// OBJECT IDENTIFIER.
    pub const OID: u8 = 0x06;
    /// UTF8String.
    pub const UTF8_STRING: u8 = 0x0C;
    /// PrintableString.
    pub const PRINTABLE_STRING: u8 = 0x13;
    /// TeletexString (T61String).
    pub const TELETEX_STRING: u8 = 0x14;
    /// IA5String.
    pub const IA5_STRING: u8 = 0x16;
    /// UTCTime.
    pub const UTC_TIME: u8 = 0x17;
    /// GeneralizedTime.
    pub const GENERALIZED_TIME: u8 = 0x18;
    /// BMPString.
    pub const BMP_STRING: u8 = 0x1E;
    /// SEQUENCE (constructed).
    pub const SEQUENCE: u8 = 0x30;
    /// SET (constructed).
    pub const SET: u8 = 0x31;
    /// `[n]` context-specific, primitive.
    pub const fn context(n: u8) -> u8 {
        0x80 | n
    }
    /// `[n]` context-specific, constructed.
    pub const fn context_constructed(n: u8) -> u8 {
        0xA0 | n
    }
}

/// The universal-class identifier octets accepted (X.680 §8.4; the der crate's set): the
/// primitive types X.509 and CMS use, and constructed SEQUENCE and SET. Others, and the
/// constructed forms of string types (BER only), are refused.
const UNIVERSAL_TAGS: [u8; 20] = [
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x09, 0x0A, 0x0C, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,
    0x1A, 0x1E, 0x30, 0x31,
];

/// Why DER could not be read. The text names the rule broken; callers add where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DerError(pub &'static str);

impl core::fmt::Display for DerError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for DerError {}

/// Result of reading DER.
pub type DerResult<T> = Result<T, DerError>;

/// One element: its tag, its value and its whole encoding, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// The identifier octet.
    pub tag: u8,
    /// The contents octets.
    pub value: &'a [u8],
    /// Identifier, length and contents octets.
    pub raw: &'a [u8],
}

/// A reader over the elements of one DER value (a whole input, or a constructed
/// element's contents).
#[derive(Debug, Clone)]
pub struct Der<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Der<'a> {
    /// A reader over `buf`.
    pub fn new(buf: &'a [u8]) -> Der<'a> {
        Der { buf, pos: 0 }
    }

    /// Whether every element has been read.
    pub fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }

    /// The tag of the next element, if any.
    pub fn peek_tag(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    /// Reads the next element, whatever its tag.
    pub fn any(&mut self) -> DerResult<Tlv<'a>> {
        let start = self.pos;
        let tag = *self.buf.get(start).ok_or(DerError("truncated element"))?;
        if tag & 0x1f == 0x1f {
            return Err(DerError("multi-byte tags are not used here"));
        }
        if tag & 0xC0 == 0 && !UNIVERSAL_TAGS.contains(&tag) {
            return Err(DerError("unknown universal tag"));
        }
        let first = *self
            .buf
            .get(start + 1)
            .ok_or(DerError("truncated length"))?;
        let mut p = start + 2;
        let len = if first < 0x80 {
            usize::from(first)
        } else if first == 0x80 {
            return Err(DerError("indefinite length (BER, not DER)"));
        } else {
            let n = usize::from(first & 0x7f);
            if n > 4 {
                return Err(DerError("length too large"));
            }
            let bytes = self.buf.get(p..p + n).ok_or(DerError("truncated length"))?;
            if bytes[0] == 0 {
                return Err(DerError("length not in the shortest form"));
            }
            let l = bytes
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
            if l < 0x80 {
                return Err(DerError("length not in the shortest form"));
            }
            p += n;
            l
        };
        let end = p
            .checked_add(len)
            .filter(|&e| e <= self.buf.len())
            .ok_or(DerError("element longer than its container"))?;
        self.pos = end;
        Ok(Tlv {
            tag,
            value: &self.buf[p..end],
            raw: &self.buf[start..end],
        })
    }

    /// Reads the next element, which must have tag `tag`; returns its value.
    pub fn expect(&mut self, tag: u8, what: &'static str) -> DerResult<&'a [u8]> {
        if self.peek_tag() != Some(tag) {
            return Err(DerError(what));
        }
        Ok(self.any()?.value)
    }

    /// Reads the next element when it has tag `tag`.
    pub fn optional(&mut self, tag: u8) -> DerResult<Option<Tlv<'a>>> {
        if self.peek_tag() == Some(tag) {
            self.any().map(Some)
        } else {
            Ok(None)
        }
    }

    /// Reads a constructed element with tag `tag` and returns a reader over its contents.
    pub fn nested(&mut self, tag: u8, what: &'static str) -> DerResult<Der<'a>> {
        self.expect(tag, what).map(Der::new)
    }

    /// Fails when elements are left.
    pub fn finish(&self, what: &'static str) -> DerResult<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(DerError(what))
        }
    }

    /// Reads an OBJECT IDENTIFIER.
    pub fn oid(&mut self) -> DerResult<ObjectIdentifier> {
        oid(self.expect(tag::OID, "expected an OBJECT IDENTIFIER")?)
    }

    /// Reads an INTEGER and returns its contents octets (two's complement, minimal).
    pub fn integer(&mut self) -> DerResult<&'a [u8]> {
        integer(self.expect(tag::INTEGER, "expected an INTEGER")?)
    }

    /// Reads a BOOLEAN.
    pub fn boolean(&mut self) -> DerResult<bool> {
        boolean(self.expect(tag::BOOLEAN, "expected a BOOLEAN")?)
    }

    /// Reads a BIT STRING.
    pub fn bit_string(&mut self) -> DerResult<BitString> {
        BitString::from_value(self.expect(tag::BIT_STRING, "expected a BIT STRING")?)
    }

    /// Reads an OCTET STRING.
    pub fn octet_string(&mut self) -> DerResult<&'a [u8]> {
        self.expect(tag::OCTET_STRING, "expected an OCTET STRING")
    }

    /// Reads a UTCTime or GeneralizedTime as unix seconds.
    pub fn time(&mut self) -> DerResult<i64> {
        let t = self.any()?;
        time(t.tag, t.value)
    }

    /// Reads the elements of a SEQUENCE OF / SET OF with `f`, after the outer tag `tag`.
    pub fn list<T>(
        &mut self,
        tag: u8,
        what: &'static str,
        mut f: impl FnMut(&mut Der<'a>) -> DerResult<T>,
    ) -> DerResult<Vec<T>> {
        let mut inner = self.nested(tag, what)?;
        let mut out = Vec::new();
        while !inner.is_empty() {
            out.push(f(&mut inner)?);
        }
        Ok(out)
    }
}

/// Reads `input` as exactly one element with tag `tag` and runs `f` over its contents, which
/// must all be consumed.
pub fn parse_whole<'a, T>(
    input: &'a [u8],
    tag: u8,
    what: &'static str,
    f: impl FnOnce(&mut Der<'a>) -> DerResult<T>,
) -> DerResult<T> {
    let mut outer = Der::new(input);
    let mut inner = outer.nested(tag, what)?;
    let v = f(&mut inner)?;
    inner.finish("unexpected data at the end of a structure")?;
    outer.finish("trailing data after the element")?;
    Ok(v)
}

/// An OBJECT IDENTIFIER from its contents octets.
pub fn oid(value: &[u8]) -> DerResult<ObjectIdentifier> {
    ObjectIdentifier::from_bytes(value).map_err(|_| DerError("malformed OBJECT IDENTIFIER"))
}

/// INTEGER contents octets, checked minimal (X.690 §8.3.2).
pub fn integer(value: &[u8]) -> DerResult<&[u8]> {
    match value {
        [] => Err(DerError("empty INTEGER")),
        [0x00, b, ..] if *b < 0x80 => Err(DerError("INTEGER not minimally encoded")),
        [0xFF, b, ..] if *b >= 0x80 => Err(DerError("INTEGER not minimally encoded")),
        _ => Ok(value),
    }
}

/// A non-negative INTEGER's magnitude: its contents octets without the sign octet (as the
/// der crate's `UintRef`: minimal, not negative).
pub fn uint(value: &[u8]) -> DerResult<&[u8]> {
    let v = integer(value)?;
    if v[0] & 0x80 != 0 {
        return Err(DerError("negative INTEGER"));
    }
    Ok(if v.len() > 1 && v[0] == 0 { &v[1..] } else { v })
}

/// A non-negative INTEGER that fits `u32`.
pub fn small_uint(value: &[u8]) -> DerResult<u32> {
    let v = uint(value)?;
    if v.len() > 4 {
        return Err(DerError("INTEGER too large"));
    }
    Ok(v.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)))
}

/// The elements of a SET OF in DER order (X.690 §11.6: sorted by their encodings), each given
/// with its encoding; two identical encodings are refused (`duplicate` says where), as the der
/// crate does.
pub fn set_of<T>(mut items: Vec<(&[u8], T)>, duplicate: &'static str) -> DerResult<Vec<T>> {
    crate::sort::sort_by(&mut items, |a, b| a.0.cmp(b.0));
    if items.windows(2).any(|w| w[0].0 == w[1].0) {
        return Err(DerError(duplicate));
    }
    Ok(items.into_iter().map(|(_, t)| t).collect())
}

/// A BOOLEAN from its contents octets (X.690 §11.1: 0x00 or 0xFF).
pub fn boolean(value: &[u8]) -> DerResult<bool> {
    match value {
        [0x00] => Ok(false),
        [0xFF] => Ok(true),
        _ => Err(DerError("BOOLEAN not encoded as 0x00 or 0xFF")),
    }
}

/// A BIT STRING: the unused-bits count and the octets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BitString {
    /// Unused bits in the last octet (0-7).
    pub unused_bits: u8,
    /// The octets, unused bits included.
    pub bytes: Vec<u8>,
}

impl BitString {
    /// From the contents octets (X.690 §8.6.2).
    pub fn from_value(value: &[u8]) -> DerResult<BitString> {
        let (&unused, bytes) = value
            .split_first()
            .ok_or(DerError("BIT STRING without its unused-bits octet"))?;
        if unused > 7 || (unused != 0 && bytes.is_empty()) {
            return Err(DerError("BIT STRING with a bad unused-bits count"));
        }
        Ok(BitString {
            unused_bits: unused,
            bytes: bytes.to_vec(),
        })
    }

    /// The octets when the string is a whole number of octets (keys, signatures).
    pub fn as_bytes(&self) -> Option<&[u8]> {
        (self.unused_bits == 0).then_some(self.bytes.as_slice())
    }

    /// Bit `i` (bit 0 is the first, most significant, bit: X.690 §8.6.2.1).
    pub fn bit(&self, i: usize) -> bool {
        let len = self.bytes.len() * 8 - usize::from(self.unused_bits);
        i < len && self.bytes[i / 8] & (0x80 >> (i % 8)) != 0
    }

    /// The first 16 bits as flags, bit `i` of the string in bit `i` of the result (named
    /// bit lists: keyUsage, ReasonFlags). Longer strings are an error, as in RFC 5280's
    /// definitions none has more than 9 bits.
    pub fn flags16(&self) -> DerResult<u16> {
        if self.bytes.len() * 8 - usize::from(self.unused_bits) > 16 {
            return Err(DerError("named bit list longer than 16 bits"));
        }
        Ok((0..16)
            .filter(|&i| self.bit(i))
            .fold(0u16, |acc, i| acc | (1 << i)))
    }

    /// DER of the BIT STRING (tag, length, contents).
    pub fn to_der(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.bytes.len() + 1);
        v.push(self.unused_bits);
        v.extend_from_slice(&self.bytes);
        encode(tag::BIT_STRING, &v)
    }
}

/// Any element, owned: its tag and contents octets.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Any {
    /// The identifier octet.
    pub tag: u8,
    /// The contents octets.
    pub value: Vec<u8>,
}

impl Any {
    /// From a borrowed element.
    pub fn from_tlv(t: &Tlv) -> Any {
        Any {
            tag: t.tag,
            value: t.value.to_vec(),
        }
    }

    /// The identifier octet.
    pub fn tag(&self) -> u8 {
        self.tag
    }

    /// The contents octets.
    pub fn value(&self) -> &[u8] {
        &self.value
    }

    /// DER of the element.
    pub fn to_der(&self) -> Vec<u8> {
        encode(self.tag, &self.value)
    }

    /// The element as an OBJECT IDENTIFIER.
    pub fn as_oid(&self) -> DerResult<ObjectIdentifier> {
        if self.tag != tag::OID {
            return Err(DerError("expected an OBJECT IDENTIFIER"));
        }
        oid(&self.value)
    }

    /// The element as an OCTET STRING.
    pub fn as_octet_string(&self) -> DerResult<&[u8]> {
        if self.tag != tag::OCTET_STRING {
            return Err(DerError("expected an OCTET STRING"));
        }
        Ok(&self.value)
    }

    /// The element as a UTCTime or GeneralizedTime, unix seconds.
    pub fn as_time(&self) -> DerResult<i64> {
        time(self.tag, &self.value)
    }
}

/// DER length octets for `len`.
pub fn encode_len(len: usize, out: &mut Vec<u8>) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = (len as u64).to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (8 - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

/// DER of one element.
pub fn encode(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len() + 6);
    out.push(tag);
    encode_len(value.len(), &mut out);
    out.extend_from_slice(value);
    out
}

fn digits(s: &[u8]) -> DerResult<u32> {
    s.iter().try_fold(0u32, |acc, b| {
        if b.is_ascii_digit() {
            Ok(acc * 10 + u32::from(b - b'0'))
        } else {
            Err(DerError("time with a non-digit"))
        }
    })
}

/// Days from 1970-01-01 to the civil date (proleptic Gregorian; H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A validation time (unix seconds, unsigned: the platform's clock or the caller's) on the
/// signed scale of the times read from certificates and CRLs.
pub fn signed_time(unix: u64) -> i64 {
    i64::try_from(unix).unwrap_or(i64::MAX)
}

/// A UTCTime (tag 0x17) or GeneralizedTime (0x18) as unix seconds (RFC 5280 §4.1.2.5.1-2:
/// `YYMMDDHHMMSSZ`, years 50-99 are 19xx; `YYYYMMDDHHMMSSZ`, no fractions). Signed: a time
/// before 1970 is valid (PKITS 4.2.3's notBefore is in 1950).
pub fn time(tag: u8, value: &[u8]) -> DerResult<i64> {
    let (year, rest) = match (tag, value.len()) {
        (tag::UTC_TIME, 13) => {
            let yy = digits(&value[..2])?;
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, &value[2..])
        }
        (tag::GENERALIZED_TIME, 15) => (digits(&value[..4])?, &value[4..]),
        (tag::UTC_TIME | tag::GENERALIZED_TIME, _) => {
            return Err(DerError(
                "time not in the YYMMDDHHMMSSZ / YYYYMMDDHHMMSSZ form",
            ))
        }
        _ => return Err(DerError("expected a UTCTime or GeneralizedTime")),
    };
    if rest[10] != b'Z' {
        return Err(DerError("time not in UTC (Z)"));
    }
    let month = digits(&rest[0..2])?;
    let day = digits(&rest[2..4])?;
    let hour = digits(&rest[4..6])?;
    let minute = digits(&rest[6..8])?;
    let second = digits(&rest[8..10])?;
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&month)
        || day == 0
        || day > month_days[(month - 1) as usize]
        || hour > 23
        || minute > 59
        || second > 59
    {
        return Err(DerError("time out of range"));
    }
    let days = days_from_civil(i64::from(year), month, day);
    Ok(days * 86_400 + i64::from(hour * 3600 + minute * 60 + second))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn lengths_must_be_shortest() {
        assert!(Der::new(&[0x04, 0x81, 0x05, 1, 2, 3, 4, 5]).any().is_err());
        assert!(Der::new(&[0x04, 0x82, 0x00, 0x80]).any().is_err());
        assert!(Der::new(&[0x30, 0x80, 0, 0]).any().is_err());
        assert!(Der::new(&[0x04, 0x02, 1]).any().is_err());
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([7u8; 0x80]);
        let t = Der::new(&long).any().unwrap();
        assert_eq!(t.value.len(), 0x80);
        assert_eq!(encode(0x04, t.value), long);
    }

    #[test]
    fn integers_and_booleans() {
        assert!(integer(&[]).is_err());
        assert!(integer(&[0, 0x7f]).is_err());
        assert!(integer(&[0xff, 0x80]).is_err());
        assert!(integer(&[0, 0x80]).is_ok());
        assert_eq!(small_uint(&[0, 0x80]).unwrap(), 128);
        assert!(small_uint(&[0x80]).is_err());
        assert!(boolean(&[1]).is_err());
        assert!(boolean(&[0xff]).unwrap());
    }

    #[test]
    fn times() {
        assert_eq!(time(tag::UTC_TIME, b"700101000000Z").unwrap(), 0);
        assert_eq!(
            time(tag::UTC_TIME, b"200101000000Z").unwrap(),
            1_577_836_800
        );
        assert_eq!(
            time(tag::GENERALIZED_TIME, b"20200229120000Z").unwrap(),
            1_582_977_600
        );
        assert!(time(tag::GENERALIZED_TIME, b"20210229120000Z").is_err());
        assert!(time(tag::UTC_TIME, b"491231235959Z").is_ok());
        // RFC 5280 §4.1.2.5.1: UTCTime 50-99 is 19xx, before 1970 too (PKITS 4.2.3).
        assert_eq!(time(tag::UTC_TIME, b"500101000000Z").unwrap(), -631_152_000);
        assert_eq!(time(tag::UTC_TIME, b"691231235959Z").unwrap(), -1);
        assert!(time(tag::UTC_TIME, b"2001010000Z").is_err());
        assert!(time(tag::UTC_TIME, b"200101000000+0100").is_err());
        assert!(time(tag::GENERALIZED_TIME, b"20200101000060Z").is_err());
    }

    #[test]
    fn bit_strings() {
        let b = BitString::from_value(&[7, 0x80]).unwrap();
        assert!(b.bit(0));
        assert!(!b.bit(1));
        assert_eq!(b.flags16().unwrap(), 1);
        assert!(b.as_bytes().is_none());
        assert!(BitString::from_value(&[1]).is_err());
        assert!(BitString::from_value(&[8, 0]).is_err());
        let ku = BitString::from_value(&[1, 0x86, 0x80]).unwrap();
        assert_eq!(ku.flags16().unwrap(), 0b1_0110_0001);
        assert!(BitString::from_value(&[0, 1, 2, 3])
            .unwrap()
            .flags16()
            .is_err());
    }
}
