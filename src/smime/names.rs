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

use const_oid::ObjectIdentifier;
use der::{asn1::Any, Tag, Tagged};
use x509_cert::ext::pkix::constraints::name::GeneralSubtree;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::NameConstraints;
use x509_cert::name::Name;

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
        Tag::PrintableString | Tag::Utf8String | Tag::Ia5String | Tag::TeletexString => {
            Some(String::from_utf8_lossy(v.value()).into_owned())
        }
        Tag::BmpString => {
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
            let folded: Vec<String> = t.split_whitespace().map(|w| w.to_lowercase()).collect();
            out.extend_from_slice(folded.join(" ").as_bytes());
            out
        }
        None => {
            let mut out = vec![1u8, u8::from(v.tag())];
            out.extend_from_slice(v.value());
            out
        }
    }
}

/// The normalized form of `name`, for chaining (issuer = subject) and subtree tests.
pub fn name_key(name: &Name) -> NameKey {
    name.0
        .iter()
        .map(|rdn| {
            let mut atvs: Vec<(ObjectIdentifier, Vec<u8>)> = rdn
                .0
                .iter()
                .map(|atv| (atv.oid, norm_value(&atv.value)))
                .collect();
            atvs.sort();
            atvs
        })
        .collect()
}

/// The emailAddress values in a subject DN.
pub fn dn_emails(name: &Name) -> Vec<String> {
    let mut out = Vec::new();
    for rdn in &name.0 {
        for atv in rdn.0.iter() {
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
    match g {
        GeneralName::OtherName(_) => 0,
        GeneralName::Rfc822Name(_) => 1,
        GeneralName::DnsName(_) => 2,
        GeneralName::DirectoryName(_) => 4,
        GeneralName::EdiPartyName(_) => 5,
        GeneralName::UniformResourceIdentifier(_) => 6,
        GeneralName::IpAddress(_) => 7,
        GeneralName::RegisteredId(_) => 8,
    }
}

impl SubjectNames {
    /// Collect the subject DN, its emailAddress attributes and the SANs.
    pub fn new(subject: &Name, san: &[GeneralName]) -> SubjectNames {
        let mut s = SubjectNames {
            dn: if subject.0.is_empty() {
                None
            } else {
                Some(name_key(subject))
            },
            emails: dn_emails(subject),
            ..SubjectNames::default()
        };
        for g in san {
            match g {
                GeneralName::Rfc822Name(v) => s.emails.push(v.to_string()),
                GeneralName::DnsName(v) => s.dns.push(v.to_string()),
                GeneralName::UniformResourceIdentifier(v) => s.uris.push(v.to_string()),
                GeneralName::IpAddress(v) => s.ips.push(v.as_bytes().to_vec()),
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
fn matches(
    base: &GeneralName,
    names: &SubjectNames,
    budget: &mut u32,
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
                tick(1)?;
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
                out.push((d.clone(), dns_within(b.as_str(), d)));
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
                out.push((format!("{ip:?}"), ip_within(b.as_bytes(), ip)));
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
            for (name, inside) in matches(&st.base, names, budget)? {
                if inside {
                    return Err(NcFailure::Excluded(name));
                }
            }
        }
    }
    if let Some(permitted) = &nc.permitted_subtrees {
        // Group by form: each name of a constrained form must be inside one subtree of it.
        let mut forms: Vec<u8> = permitted.iter().map(|s| form_of(&s.base)).collect();
        forms.sort_unstable();
        forms.dedup();
        for form in forms {
            let subtrees: Vec<&GeneralSubtree> = permitted
                .iter()
                .filter(|s| form_of(&s.base) == form)
                .collect();
            let mut per_name: Vec<(String, bool)> = Vec::new();
            for st in subtrees {
                let res = matches(&st.base, names, budget)?;
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
}
