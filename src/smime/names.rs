//! Name comparison and name constraints for path validation.
//!
//! - Distinguished names are compared after the RFC 5280 §7.1 / RFC 4518 string preparation
//!   subset that matters in practice: leading/trailing whitespace removed, inner runs of
//!   whitespace collapsed, case folded, for PrintableString, UTF8String, IA5String,
//!   TeletexString and BMPString values; other values compare by their DER bytes.
//! - Name constraints (RFC 5280 §4.2.1.10, §6.1.3 (b)(c), §6.1.4 (g)) are kept per CA, not
//!   intersected: a name must be inside every CA's permitted subtrees of its type and outside
//!   all excluded subtrees, which is what the intersection in §6.1.4 computes. Supported name
//!   forms: directoryName, rfc822Name (also `emailAddress` attributes in the subject DN),
//!   dNSName, uniformResourceIdentifier (its host) and iPAddress. A constraint of any other
//!   form that would apply to a name of the same form makes the path fail (unsupported).

use crate::words::Words;
use const_oid::ObjectIdentifier;

use super::asn1::{tag, Any};
use super::x509::{AttributeTypeAndValue, GeneralName, GeneralSubtree, Name, NameConstraints};

/// emailAddress attribute of PKCS#9 (1.2.840.113549.1.9.1), checked as rfc822Name
/// (RFC 5280 §4.2.1.10).
pub const EMAIL_ADDRESS_OID: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.1");

/// A normalized distinguished name: RDNs in order, each a sorted list of
/// (attribute type, normalized value).
pub type NameKey = Vec<Vec<(ObjectIdentifier, Vec<u8>)>>;

/// Normalize one attribute value (RFC 4518 subset).
fn norm_value(v: &Any) -> Vec<u8> {
    let text: Option<String> = match v.tag() {
        tag::PRINTABLE_STRING | tag::UTF8_STRING | tag::IA5_STRING | tag::TELETEX_STRING => {
            Some(String::from_utf8_lossy(v.value()).into_owned())
        }
        tag::BMP_STRING => {
            let units: Vec<u16> = v
                .value()
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect();
            Some(String::from_utf16_lossy(&units))
        }
        _ => None,
    };
    match text {
        Some(t) => {
            let mut out = vec![0u8];
            let folded: Vec<String> = t.split_whitespace().map(crate::case::lowercase).collect();
            out.extend_from_slice(folded.join(" ").as_bytes());
            out
        }
        None => {
            let mut out = vec![1u8, v.tag()];
            out.extend_from_slice(v.value());
            out
        }
    }
}

/// The normalized form of `name`, for chaining (issuer = subject) and subtree tests.
pub fn name_key(name: &Name) -> NameKey {
    name.rdns
        .iter()
        .map(|rdn| {
            let mut atvs: Vec<(ObjectIdentifier, Vec<u8>)> = rdn
                .iter()
                .map(|atv| (atv.oid, norm_value(&atv.value)))
                .collect();
            crate::sort::sort(&mut atvs);
            atvs
        })
        .collect()
}

/// The emailAddress values in a subject DN.
pub fn dn_emails(name: &Name) -> Vec<String> {
    let mut out = Vec::new();
    for rdn in &name.rdns {
        for atv in rdn {
            if atv.oid == EMAIL_ADDRESS_OID {
                out.push(String::from_utf8_lossy(atv.value.value()).into_owned());
            }
        }
    }
    out
}

/// The names of one certificate that name constraints apply to.
#[derive(Debug, Clone, Default)]
pub struct SubjectNames {
    /// The subject DN (normalized), when not empty.
    pub dn: Option<NameKey>,
    /// rfc822Name SANs and emailAddress attributes.
    pub emails: Vec<String>,
    /// dNSName SANs.
    pub dns: Vec<String>,
    /// URI SANs.
    pub uris: Vec<String>,
    /// iPAddress SANs (4 or 16 bytes).
    pub ips: Vec<Vec<u8>>,
    /// directoryName SANs.
    pub dirs: Vec<NameKey>,
    /// Other SAN forms (otherName etc.): only checked when a constraint of that form exists.
    pub other_forms: Vec<u8>,
}

fn form_of(g: &GeneralName) -> u8 {
    g.form()
}

impl SubjectNames {
    /// Collect the subject DN, its emailAddress attributes and the SANs.
    pub fn new(subject: &Name, san: &[GeneralName]) -> SubjectNames {
        let mut s = SubjectNames {
            dn: if subject.is_empty() {
                None
            } else {
                Some(name_key(subject))
            },
            emails: dn_emails(subject),
            ..SubjectNames::default()
        };
        for g in san {
            match g {
                GeneralName::Rfc822Name(v) => s.emails.push(v.clone()),
                GeneralName::DnsName(v) => s.dns.push(v.clone()),
                GeneralName::UniformResourceIdentifier(v) => s.uris.push(v.clone()),
                GeneralName::IpAddress(v) => s.ips.push(v.clone()),
                GeneralName::DirectoryName(n) => s.dirs.push(name_key(n)),
                other => s.other_forms.push(form_of(other)),
            }
        }
        s
    }
}

/// Why a name constraint check failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NcFailure {
    /// The name is not within any permitted subtree of its form.
    NotPermitted(String),
    /// The name is within an excluded subtree.
    Excluded(String),
    /// The constraint uses a name form we cannot check and the certificate has such a name.
    UnsupportedForm(u8),
    /// The comparison budget ran out.
    Budget,
}

fn dn_within(base: &NameKey, dn: &NameKey) -> bool {
    base.len() <= dn.len() && base.iter().zip(dn.iter()).all(|(a, b)| a == b)
}

fn dns_within(base: &str, name: &str) -> bool {
    let base = base.trim_start_matches('.').to_ascii_lowercase();
    let name = name.to_ascii_lowercase();
    if base.is_empty() {
        return true;
    }
    name == base || name.ends_with(&format!(".{base}"))
}

/// [`dns_within`] for a name that may be a wildcard (`*.rest`, one label of any value),
/// judged defensively (RFC 5280 §4.2.1.10 says nothing of wildcards; RFC 6125 §6.4.3 defines
/// them): against an excluded subtree the wildcard counts if it *may* stand for a name inside
/// it (`*.example.com` against `bar.example.com`); against a permitted subtree only if every
/// name it stands for is inside (`*.example.com` is not within `bar.example.com`).
fn dns_matches(base: &str, name: &str, excluded: bool) -> bool {
    match name.strip_prefix("*.") {
        Some(rest) if excluded => dns_within(base, rest) || dns_within(rest, base),
        Some(rest) => dns_within(base, rest),
        None => dns_within(base, name),
    }
}

/// Why a name constraint is not one RFC 5280 §4.2.1.10 allows, if so: a dNSName subtree
/// with a leading period (the syntax is `host.example.com`; the period form is for
/// rfc822Name and URI), an iPAddress subtree that is not an address and a prefix mask
/// (CIDR, RFC 4632) of 8 or 32 octets.
pub fn constraint_problem(nc: &NameConstraints) -> Option<String> {
    let subtrees = nc
        .permitted_subtrees
        .iter()
        .chain(nc.excluded_subtrees.iter());
    for st in subtrees.flatten() {
        match &st.base {
            GeneralName::DnsName(b) if b.starts_with('.') => {
                return Some(format!(
                    "a DNS name constraint starts with a period ({b}), which RFC 5280 \
                     §4.2.1.10 does not allow"
                ));
            }
            GeneralName::IpAddress(b) => {
                let mask = b.get(b.len() / 2..).unwrap_or_default();
                let bits = mask
                    .iter()
                    .flat_map(|m| (0..8).rev().map(move |i| m >> i & 1));
                let prefix = bits.skip_while(|b| *b == 1).all(|b| b == 0);
                if !(b.len() == 8 || b.len() == 32) || !prefix {
                    return Some(
                        "an IP address constraint is not an address and a prefix mask \
                         (RFC 5280 §4.2.1.10)"
                            .into(),
                    );
                }
            }
            _ => {}
        }
    }
    None
}

fn email_within(base: &str, email: &str) -> bool {
    let Some((local, host)) = email.rsplit_once('@') else {
        return false;
    };
    if let Some((blocal, bhost)) = base.rsplit_once('@') {
        // A particular mailbox.
        return blocal == local && bhost.eq_ignore_ascii_case(host);
    }
    if base.starts_with('.') {
        // Any host in the domain (not the domain itself).
        let b = base.to_ascii_lowercase();
        return host.to_ascii_lowercase().ends_with(&b);
    }
    host.eq_ignore_ascii_case(base)
}

fn uri_host(uri: &str) -> Option<String> {
    let rest = uri.split_once("://").map(|(_, r)| r)?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if hostport.starts_with('[') {
        hostport
            .split(']')
            .next()
            .map(|h| h.trim_start_matches('['))?
    } else {
        hostport.split(':').next()?
    };
    Some(host.to_ascii_lowercase())
}

fn uri_within(base: &str, uri: &str) -> bool {
    let Some(host) = uri_host(uri) else {
        return false;
    };
    let b = base.to_ascii_lowercase();
    if b.starts_with('.') {
        host.ends_with(&b)
    } else {
        host == b
    }
}

fn ip_within(base: &[u8], ip: &[u8]) -> bool {
    // base is address || mask (8 or 32 bytes).
    if base.len() != ip.len() * 2 {
        return false;
    }
    let (addr, mask) = base.split_at(ip.len());
    ip.iter()
        .zip(addr.iter().zip(mask.iter()))
        .all(|(i, (a, m))| i & m == a & m)
}

/// Does subtree `base` contain some name of `names` of its form? Returns, per form,
/// `None` when the certificate has no name of this form, else `Some(matches)` per name.
/// `excluded`: whether `base` is an excluded subtree (wildcard DNS names count when they may
/// be inside it, see [`dns_matches`]).
fn matches(
    base: &GeneralName,
    names: &SubjectNames,
    budget: &mut u32,
    excluded: bool,
) -> Result<Vec<(String, bool)>, NcFailure> {
    let mut out = Vec::new();
    let mut tick = |n: usize| -> Result<(), NcFailure> {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        *budget = budget.checked_sub(n).ok_or(NcFailure::Budget)?;
        Ok(())
    };
    match base {
        GeneralName::DirectoryName(b) => {
            let b = name_key(b);
            let all = names.dn.iter().chain(names.dirs.iter());
            for dn in all {
                // A comparison reads every attribute of the name: a subject of thousands of
                // attributes costs that many (an RDN with none still costs one).
                tick(dn.iter().map(Vec::len).sum::<usize>().max(1))?;
                out.push((format!("{dn:?}"), dn_within(&b, dn)));
            }
        }
        GeneralName::Rfc822Name(b) => {
            for e in &names.emails {
                tick(1)?;
                out.push((e.clone(), email_within(b.as_str(), e)));
            }
        }
        GeneralName::DnsName(b) => {
            for d in &names.dns {
                tick(1)?;
                out.push((d.clone(), dns_matches(b.as_str(), d, excluded)));
            }
        }
        GeneralName::UniformResourceIdentifier(b) => {
            for u in &names.uris {
                tick(1)?;
                out.push((u.clone(), uri_within(b.as_str(), u)));
            }
        }
        GeneralName::IpAddress(b) => {
            for ip in &names.ips {
                tick(1)?;
                out.push((format!("{ip:?}"), ip_within(b, ip)));
            }
        }
        other => {
            let form = form_of(other);
            if names.other_forms.contains(&form) {
                return Err(NcFailure::UnsupportedForm(form));
            }
        }
    }
    Ok(out)
}

/// Check `names` against one CA's name constraints. `budget` counts comparisons.
pub fn check(
    nc: &NameConstraints,
    names: &SubjectNames,
    budget: &mut u32,
) -> Result<(), NcFailure> {
    if let Some(excluded) = &nc.excluded_subtrees {
        for st in excluded {
            for (name, inside) in matches(&st.base, names, budget, true)? {
                if inside {
                    return Err(NcFailure::Excluded(name));
                }
            }
        }
    }
    if let Some(permitted) = &nc.permitted_subtrees {
        // Group by form: each name of a constrained form must be inside one subtree of it.
        let mut forms: Vec<u8> = permitted.iter().map(|s| form_of(&s.base)).collect();
        crate::sort::sort(&mut forms);
        forms.dedup();
        for form in forms {
            let subtrees: Vec<&GeneralSubtree> = permitted
                .iter()
                .filter(|s| form_of(&s.base) == form)
                .collect();
            let mut per_name: Vec<(String, bool)> = Vec::new();
            for st in subtrees {
                let res = matches(&st.base, names, budget, false)?;
                if per_name.is_empty() {
                    per_name = res;
                } else {
                    for (acc, r) in per_name.iter_mut().zip(res) {
                        acc.1 |= r.1;
                    }
                }
            }
            if let Some((name, _)) = per_name.into_iter().find(|(_, ok)| !ok) {
                return Err(NcFailure::NotPermitted(name));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn attribute_names_are_dotted_oids_and_names() {
        for entry in ATTRIBUTE_NAMES.iter() {
            let (oid, name) = entry.split_once(' ').unwrap_or_else(|| panic!("{entry:?}"));
            assert!(ObjectIdentifier::new(oid).is_ok(), "{entry:?}");
            assert!(
                !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-'),
                "{entry:?}"
            );
        }
        assert_eq!(ATTRIBUTE_NAMES.len(), 113);
    }

    #[test]
    fn email_forms() {
        assert!(email_within("example.com", "a@example.com"));
        assert!(!email_within("example.com", "a@sub.example.com"));
        assert!(email_within(".example.com", "a@sub.example.com"));
        assert!(!email_within(".example.com", "a@example.com"));
        assert!(email_within("a@example.com", "a@EXAMPLE.com"));
        assert!(!email_within("b@example.com", "a@example.com"));
    }

    #[test]
    fn dns_and_uri() {
        assert!(dns_within("example.com", "www.example.com"));
        assert!(!dns_within("example.com", "badexample.com"));
        assert!(uri_within(".example.com", "http://a.example.com:80/x"));
        assert!(!uri_within("example.com", "http://a.example.com/"));
        assert!(ip_within(&[10, 0, 0, 0, 255, 0, 0, 0], &[10, 1, 2, 3]));
        assert!(!ip_within(&[10, 0, 0, 0, 255, 0, 0, 0], &[11, 1, 2, 3]));
    }

    #[test]
    fn wildcards_are_judged_defensively() {
        assert!(dns_matches("bar.example.com", "*.example.com", true));
        assert!(!dns_matches("bar.example.com", "*.example.com", false));
        assert!(dns_matches("example.com", "*.example.com", false));
        assert!(!dns_matches("other.com", "*.example.com", true));
    }
}

/// A distinguished name as text, as x509-cert's `Display` writes it with const-oid's database
/// (RFC 4514 §2: RDNs last to first, `,` between them, `+` within one; the type's shortest
/// name, upper-cased; string values escaped as §2.4 asks), the names from [`ATTRIBUTE_NAMES`]
/// instead of the database, which costs 78 KB of wasm. A type without a name there, or a value
/// that is not a string, is written `OID=#hex` of the value's DER, as there.
pub fn display(name: &Name) -> String {
    let mut out = String::new();
    for (i, rdn) in name.rdns.iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for (j, atv) in rdn.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            write_atv(&mut out, atv);
        }
    }
    out
}

/// PrintableString's characters (X.680 §41.4).
fn printable(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b" '()+,-./:=?".contains(&c)
}

fn write_atv(out: &mut String, atv: &AttributeTypeAndValue) {
    use std::fmt::Write as _;
    let v = &atv.value;
    let bytes = v.value();
    // The string types shown as text, each with its character set checked (as the der
    // crate does; TeletexString only in its ASCII part); any other value is shown as hex.
    let val = match v.tag() {
        tag::PRINTABLE_STRING if bytes.iter().all(|c| printable(*c)) => {
            core::str::from_utf8(bytes).ok()
        }
        tag::UTF8_STRING => core::str::from_utf8(bytes).ok(),
        tag::IA5_STRING | tag::TELETEX_STRING if bytes.is_ascii() => {
            core::str::from_utf8(bytes).ok()
        }
        _ => None,
    };
    let dotted = atv.oid.to_string();
    let key = ATTRIBUTE_NAMES
        .iter()
        .find_map(|e| e.strip_prefix(dotted.as_str())?.strip_prefix(' '));
    if let (Some(key), Some(val)) = (key, val) {
        out.push_str(key);
        out.push('=');
        let mut chars = val.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '#' if i == 0 => out.push_str("\\#"),
                ' ' if i == 0 || chars.peek().is_none() => out.push_str("\\ "),
                '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                    out.push('\\');
                    out.push(c);
                }
                '\x00'..='\x1f' | '\x7f' => {
                    let _ = write!(out, "\\{:02x}", c as u8);
                }
                _ => out.push(c),
            }
        }
    } else {
        let _ = write!(out, "{}=#", atv.oid);
        for b in v.to_der() {
            let _ = write!(out, "{b:02x}");
        }
    }
}

/// Attribute types, each `OID NAME`: the dotted OID and the shortest name const-oid 0.9.6's
/// database gives it (X.520 2.5.4.*, RFC 4519/RFC 1274 0.9.2342.19200300.100.1.*, PKCS #9
/// 1.2.840.113549.1.9.*, EV jurisdiction 1.3.6.1.4.1.311.60.2.1.*), upper-cased. One text
/// ([`mod@crate::words`]), not a slice of pairs: 1.8 KB of pointers less in the wasm.
pub const ATTRIBUTE_NAMES: Words = crate::words![
    "2.5.4.0 OBJECTCLASS",
    "2.5.4.1 ALIASEDOBJECTNAME",
    "2.5.4.2 KNOWLEDGEINFORMATION",
    "2.5.4.3 CN",
    "2.5.4.4 SN",
    "2.5.4.5 SERIALNUMBER",
    "2.5.4.6 C",
    "2.5.4.7 L",
    "2.5.4.8 ST",
    "2.5.4.9 STREET",
    "2.5.4.10 O",
    "2.5.4.11 OU",
    "2.5.4.12 TITLE",
    "2.5.4.13 DESCRIPTION",
    "2.5.4.14 SEARCHGUIDE",
    "2.5.4.15 BUSINESSCATEGORY",
    "2.5.4.16 POSTALADDRESS",
    "2.5.4.17 POSTALCODE",
    "2.5.4.18 POSTOFFICEBOX",
    "2.5.4.19 PHYSICALDELIVERYOFFICENAME",
    "2.5.4.20 TELEPHONENUMBER",
    "2.5.4.21 TELEXNUMBER",
    "2.5.4.22 TELETEXTERMINALIDENTIFIER",
    "2.5.4.23 FACSIMILETELEPHONENUMBER",
    "2.5.4.24 X121ADDRESS",
    "2.5.4.25 INTERNATIONALISDNNUMBER",
    "2.5.4.26 REGISTEREDADDRESS",
    "2.5.4.27 DESTINATIONINDICATOR",
    "2.5.4.28 PREFERREDDELIVERYMETHOD",
    "2.5.4.29 PRESENTATIONADDRESS",
    "2.5.4.30 SUPPORTEDAPPLICATIONCONTEXT",
    "2.5.4.31 MEMBER",
    "2.5.4.32 OWNER",
    "2.5.4.33 ROLEOCCUPANT",
    "2.5.4.34 SEEALSO",
    "2.5.4.35 USERPASSWORD",
    "2.5.4.36 USERCERTIFICATE",
    "2.5.4.37 CACERTIFICATE",
    "2.5.4.38 AUTHORITYREVOCATIONLIST",
    "2.5.4.39 CERTIFICATEREVOCATIONLIST",
    "2.5.4.40 CROSSCERTIFICATEPAIR",
    "2.5.4.41 NAME",
    "2.5.4.42 GIVENNAME",
    "2.5.4.43 INITIALS",
    "2.5.4.44 GENERATIONQUALIFIER",
    "2.5.4.45 X500UNIQUEIDENTIFIER",
    "2.5.4.46 DNQUALIFIER",
    "2.5.4.47 ENHANCEDSEARCHGUIDE",
    "2.5.4.48 PROTOCOLINFORMATION",
    "2.5.4.49 DISTINGUISHEDNAME",
    "2.5.4.50 UNIQUEMEMBER",
    "2.5.4.51 HOUSEIDENTIFIER",
    "2.5.4.52 SUPPORTEDALGORITHMS",
    "2.5.4.53 DELTAREVOCATIONLIST",
    "2.5.4.54 DMDNAME",
    "2.5.4.65 PSEUDONYM",
    "2.5.4.72 ID-AT-ROLE",
    "0.9.2342.19200300.100.1.1 UID",
    "0.9.2342.19200300.100.1.2 TEXTENCODEDORADDRESS",
    "0.9.2342.19200300.100.1.3 MAIL",
    "0.9.2342.19200300.100.1.4 INFO",
    "0.9.2342.19200300.100.1.5 DRINK",
    "0.9.2342.19200300.100.1.6 ROOMNUMBER",
    "0.9.2342.19200300.100.1.7 PHOTO",
    "0.9.2342.19200300.100.1.8 USERCLASS",
    "0.9.2342.19200300.100.1.9 HOST",
    "0.9.2342.19200300.100.1.10 MANAGER",
    "0.9.2342.19200300.100.1.11 DOCUMENTIDENTIFIER",
    "0.9.2342.19200300.100.1.12 DOCUMENTTITLE",
    "0.9.2342.19200300.100.1.13 DOCUMENTVERSION",
    "0.9.2342.19200300.100.1.14 DOCUMENTAUTHOR",
    "0.9.2342.19200300.100.1.15 DOCUMENTLOCATION",
    "0.9.2342.19200300.100.1.20 HOMEPHONE",
    "0.9.2342.19200300.100.1.21 SECRETARY",
    "0.9.2342.19200300.100.1.22 OTHERMAILBOX",
    "0.9.2342.19200300.100.1.23 LASTMODIFIEDTIME",
    "0.9.2342.19200300.100.1.24 LASTMODIFIEDBY",
    "0.9.2342.19200300.100.1.25 DC",
    "0.9.2342.19200300.100.1.26 ARECORD",
    "0.9.2342.19200300.100.1.27 MDRECORD",
    "0.9.2342.19200300.100.1.28 MXRECORD",
    "0.9.2342.19200300.100.1.29 NSRECORD",
    "0.9.2342.19200300.100.1.30 SOARECORD",
    "0.9.2342.19200300.100.1.31 CNAMERECORD",
    "0.9.2342.19200300.100.1.37 ASSOCIATEDDOMAIN",
    "0.9.2342.19200300.100.1.38 ASSOCIATEDNAME",
    "0.9.2342.19200300.100.1.39 HOMEPOSTALADDRESS",
    "0.9.2342.19200300.100.1.40 PERSONALTITLE",
    "0.9.2342.19200300.100.1.41 MOBILE",
    "0.9.2342.19200300.100.1.42 PAGER",
    "0.9.2342.19200300.100.1.43 CO",
    "0.9.2342.19200300.100.1.44 UNIQUEIDENTIFIER",
    "0.9.2342.19200300.100.1.45 ORGANIZATIONALSTATUS",
    "0.9.2342.19200300.100.1.46 JANETMAILBOX",
    "0.9.2342.19200300.100.1.47 MAILPREFERENCEOPTION",
    "0.9.2342.19200300.100.1.48 BUILDINGNAME",
    "0.9.2342.19200300.100.1.49 DSAQUALITY",
    "0.9.2342.19200300.100.1.50 SINGLELEVELQUALITY",
    "0.9.2342.19200300.100.1.51 SUBTREEMINIMUMQUALITY",
    "0.9.2342.19200300.100.1.52 SUBTREEMAXIMUMQUALITY",
    "0.9.2342.19200300.100.1.53 PERSONALSIGNATURE",
    "0.9.2342.19200300.100.1.54 DITREDIRECT",
    "0.9.2342.19200300.100.1.55 AUDIO",
    "0.9.2342.19200300.100.1.56 DOCUMENTPUBLISHER",
    "0.9.2342.19200300.100.1.60 JPEGPHOTO",
    "1.2.840.113549.1.9.1 EMAIL",
    "1.2.840.113549.1.9.3 ID-CONTENTTYPE",
    "1.2.840.113549.1.9.4 ID-MESSAGEDIGEST",
    "1.2.840.113549.1.9.5 ID-SIGNINGTIME",
    "1.2.840.113549.1.9.6 ID-COUNTERSIGNATURE",
    "1.2.840.113549.1.9.14 ID-EXTENSIONREQ",
    "1.2.840.113549.1.9.15 SMIMECAPABILITIES",
    "1.2.840.113549.1.9.16 ID-SMIME",
];

#[cfg(test)]
mod display_tests {
    #![allow(clippy::unwrap_used)]
    use super::display;
    use crate::smime::x509::Certificate;
    use der::Decode;

    /// Our formatter writes every name x509-cert's `Display` (with const-oid's database, still
    /// linked into the native tests) writes: the subjects and issuers of NIST PKITS (odd
    /// attribute types, escapes, multi-valued RDNs), our test PKI and Mozilla's roots.
    #[test]
    fn display_is_x509_certs_display() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
        let mut names = Vec::new();
        for e in std::fs::read_dir(format!("{dir}/pkits/certs")).unwrap() {
            // (One PKITS certificate has a pre-1970 time the der crate refuses.)
            let Ok(cert) = Certificate::from_der(&std::fs::read(e.unwrap().path()).unwrap()) else {
                continue;
            };
            names.push(cert.subject.clone());
            names.push(cert.issuer.clone());
        }
        for e in std::fs::read_dir(format!("{dir}/smime/pki")).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "pem") {
                let pem = std::fs::read(&p).unwrap();
                for cert in crate::smime::trust::parse_cert_pem_or_der(&pem).unwrap() {
                    names.push(cert.subject.clone());
                }
            }
        }
        names.extend(
            crate::smime::trust::builtin_anchors()
                .iter()
                .map(|a| a.subject.clone()),
        );
        assert!(names.len() > 800, "{} names", names.len());
        let mut escaped = 0;
        for n in &names {
            let ours = display(n);
            let theirs = x509_cert::name::Name::from_der(&n.der).unwrap();
            assert_eq!(ours, theirs.to_string());
            escaped += usize::from(ours.contains('\\') || ours.contains("=#"));
        }
        assert!(escaped > 0, "some names need escapes or hex");
    }
}
