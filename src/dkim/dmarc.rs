//! DMARC (RFC 7489): the policy record of the `From` domain and the alignment of a DKIM
//! signing domain with it. SPF is out of scope (a webmail does not show the connecting
//! address), so a message passes DMARC here exactly when an aligned DKIM signature verifies
//! (§4.2 with only the DKIM half).

use serde::{Deserialize, Serialize};

use super::tags::TagList;

/// What the domain owner asks receivers to do with mail that fails (`p=`, `sp=`, §6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DmarcPolicy {
    /// `none`: only report.
    None,
    /// `quarantine`: treat as suspicious.
    Quarantine,
    /// `reject`: refuse it.
    Reject,
}

impl DmarcPolicy {
    fn parse(v: &str) -> Option<DmarcPolicy> {
        match v.to_ascii_lowercase().as_str() {
            "none" => Some(DmarcPolicy::None),
            "quarantine" => Some(DmarcPolicy::Quarantine),
            "reject" => Some(DmarcPolicy::Reject),
            _ => None,
        }
    }
}

/// DKIM identifier alignment mode (`adkim=`, §3.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Alignment {
    /// `r` (the default): same organisational domain.
    Relaxed,
    /// `s`: exactly the same domain.
    Strict,
}

/// A DMARC record, read (§6.3; the reporting tags are not used).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DmarcRecord {
    /// `p=`.
    pub policy: DmarcPolicy,
    /// `sp=`, the policy for subdomains (defaults to `p=`).
    pub subdomain_policy: DmarcPolicy,
    /// `adkim=`.
    pub dkim_alignment: Alignment,
    /// `pct=`, the percentage of failing mail the policy applies to (0-100, default 100).
    pub percent: u8,
}

impl DmarcRecord {
    /// Reads a DMARC record's text. `None` when it is not one (§6.6.3: records that do not
    /// start with `v=DMARC1` are ignored; a record with no valid `p=` is not used either,
    /// as if there were none, which errs towards not claiming a policy).
    pub fn parse(text: &str) -> Option<DmarcRecord> {
        let tags = TagList::parse(text).ok()?;
        if tags.first_name() != Some("v") || tags.get("v") != Some("DMARC1") {
            return None;
        }
        let policy = DmarcPolicy::parse(tags.get("p")?)?;
        let subdomain_policy = match tags.get("sp") {
            Some(sp) => DmarcPolicy::parse(sp).unwrap_or(policy),
            None => policy,
        };
        let dkim_alignment = match tags.get("adkim").map(str::to_ascii_lowercase).as_deref() {
            Some("s") => Alignment::Strict,
            _ => Alignment::Relaxed,
        };
        let percent = tags
            .get("pct")
            .and_then(|p| p.parse::<u8>().ok())
            .filter(|p| *p <= 100)
            .unwrap_or(100);
        Some(DmarcRecord {
            policy,
            subdomain_policy,
            dkim_alignment,
            percent,
        })
    }

    /// The records at one name: the one DMARC record among them, `None` when there are none
    /// or several (§6.6.3 step 5: more than one means no policy).
    pub fn from_txt(records: &[String]) -> Option<DmarcRecord> {
        let mut found = records.iter().filter_map(|r| DmarcRecord::parse(r));
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }
}

/// The organisational domain (§3.2): the registrable domain by the Public Suffix List the
/// core embeds ([`crate::site::registrable_domain`]). That list includes its PRIVATE section,
/// as the browsers' does; RFC 7489 §3.2 leaves the list's edition to the receiver.
pub fn organisational_domain(domain: &str) -> String {
    crate::site::registrable_domain(domain).unwrap_or_else(|_| domain.to_ascii_lowercase())
}

/// Whether the DKIM signing domain `d` is aligned with the `From` domain `from` (§3.1.1).
pub fn aligned(d: &str, from: &str, mode: Alignment) -> bool {
    let (d, from) = (d.to_ascii_lowercase(), from.to_ascii_lowercase());
    let (d, from) = (d.trim_end_matches('.'), from.trim_end_matches('.'));
    match mode {
        Alignment::Strict => d == from,
        Alignment::Relaxed => d == from || organisational_domain(d) == organisational_domain(from),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn reads_the_policy() {
        let r = DmarcRecord::parse(
            "v=DMARC1; p=reject; sp=none; adkim=s; pct=50; rua=mailto:x@example.com",
        )
        .unwrap();
        assert_eq!(r.policy, DmarcPolicy::Reject);
        assert_eq!(r.subdomain_policy, DmarcPolicy::None);
        assert_eq!(r.dkim_alignment, Alignment::Strict);
        assert_eq!(r.percent, 50);
        let r = DmarcRecord::parse("v=DMARC1; p=quarantine").unwrap();
        assert_eq!(
            (r.subdomain_policy, r.dkim_alignment, r.percent),
            (DmarcPolicy::Quarantine, Alignment::Relaxed, 100)
        );
        assert!(DmarcRecord::parse("p=reject; v=DMARC1").is_none());
        assert!(DmarcRecord::parse("v=DMARC1; p=maybe").is_none());
        assert!(
            DmarcRecord::from_txt(&["v=DMARC1; p=none".into(), "v=DMARC1; p=reject".into()])
                .is_none()
        );
        assert!(
            DmarcRecord::from_txt(&["v=spf1 -all".into(), "v=DMARC1; p=none".into()]).is_some()
        );
    }

    #[test]
    fn alignment_uses_the_organisational_domain() {
        assert!(aligned(
            "mail.example.co.uk",
            "example.co.uk",
            Alignment::Relaxed
        ));
        assert!(!aligned(
            "mail.example.co.uk",
            "example.co.uk",
            Alignment::Strict
        ));
        assert!(!aligned("example.co.uk", "other.co.uk", Alignment::Relaxed));
        // A public suffix's private section keeps two sites apart.
        assert!(!aligned(
            "alice.github.io",
            "bob.github.io",
            Alignment::Relaxed
        ));
        assert!(aligned("Example.COM", "example.com.", Alignment::Strict));
    }
}
