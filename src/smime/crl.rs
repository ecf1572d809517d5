//! Revocation by CRLs (RFC 5280 §5 and §6.3), sans-IO: the caller passes the CRLs.
//!
//! For one certificate ([`CertScope`]), [`check`] runs the §6.3.3 algorithm over the CRLs
//! passed in, one distribution point at a time: each DP of the certificate's
//! cRLDistributionPoints (§4.2.1.13), then the implicit DP "the certificate issuer's name"
//! that §6.3.3 uses for CRLs not named by any DP. A complete CRL is *in scope* for a DP when
//! - (b)(1) its issuer is the certificate's issuer, or, when the DP names a cRLIssuer, it is
//!   that cRLIssuer and the CRL is an indirect CRL (issuingDistributionPoint indirectCRL,
//!   §5.2.5);
//! - (b)(2)(i) the CRL's issuingDistributionPoint name, when present, matches one of the DP's
//!   names (fullName general names; a nameRelativeToCRLIssuer is appended to the CRL issuer's
//!   name, or for the certificate's DP to its cRLIssuer or else the certificate issuer), or,
//!   for a DP without a name, one of its cRLIssuer names;
//! - (b)(2)(ii)-(iii) onlyContainsUserCerts / onlyContainsCACerts / onlyContainsAttributeCerts
//!   allow the certificate.
//!
//! An in-scope CRL is *usable* when its signature verifies (f)-(g) with a key allowed to sign
//! CRLs for its issuer (keyUsage cRLSign, §4.2.1.3; the keys come from [`CrlEnv`], which
//! validates CRL issuer certificates to the same trust anchor), it is current (thisUpdate <=
//! time <= nextUpdate, §5.1.2.4-5) and it has no unknown critical extension (§5.2, §5.3).
//! Delta CRLs (§5.2.4) with the same issuer and scope are applied on top of a usable complete
//! CRL (h)-(i); a removeFromCRL entry releases a certificateHold. Entries of an indirect CRL
//! belong to the issuer named by the last certificateIssuer entry extension (§5.3.3),
//! initially the CRL issuer. Each usable CRL adds the reasons it covers (the DP's reasons
//! intersected with onlySomeReasons, (c)-(d)) to the reasons mask (l), if it is a conforming
//! CRL: one without a cRLNumber, or with it marked critical (§5.2.3: conforming CRL issuers
//! MUST include it, MUST mark it non-critical) may show a revocation but adds no reasons, so
//! it never makes the status "good": when such CRLs are all there is, the status cannot be
//! established ([`CrlStatus::NotConforming`], as if there were no CRL).
//!
//! Outcome: *revoked* if any usable in-scope CRL lists the certificate (every usable CRL is
//! looked at, not only until the mask is full, so that an older CRL cannot hide a newer
//! revocation); *good* if the usable in-scope CRLs cover all reasons; *not checked* when
//! none of the certificate's possible CRL issuers (its issuer and the cRLIssuers of its DPs)
//! has a CRL among those passed in -- not an error: OCSP or no revocation information, real
//! S/MIME mail rarely carries CRLs (the path validator makes it an error when
//! [`super::path::PathOptions::require_revocation`] is set); otherwise a *problem* (status
//! undetermined: CRLs exist but none usable covers the certificate, or together they cover
//! only some reasons).

use const_oid::ObjectIdentifier;

use super::x509::{
    self, ids, AttributeTypeAndValue, Certificate, CertificateList, DistributionPoint,
    DistributionPointName, Extension, GeneralName, IssuingDistributionPoint, Name, ReasonFlags,
    SubjectPublicKeyInfo, ALL_REASONS,
};

use super::algs;
use super::names::{name_key, NameKey};

/// Most CRLs considered for one certificate (those issued by its issuer or by a cRLIssuer
/// of its distribution points, complete and delta). A mail carries a handful; more makes
/// the status a [`CrlStatus::Problem`].
pub const MAX_CRLS_PER_CERT: usize = 64;
/// Most distribution points read from one certificate's cRLDistributionPoints. Real
/// certificates have one or two; more makes the status a [`CrlStatus::Problem`] (when CRLs
/// for the certificate exist).
pub const MAX_DISTRIBUTION_POINTS: usize = 16;
/// Most general names in one distribution point name, cRLIssuer or issuingDistributionPoint
/// name (and in one certificateIssuer entry extension). More makes that DP or CRL unusable.
pub const MAX_DP_NAMES: usize = 32;
/// Most entries scanned in one CRL. The CRL was already parsed (bounded by the message
/// size); this caps the work per certificate. A longer CRL is unusable.
pub const MAX_CRL_ENTRIES: usize = 1_000_000;

const ID_CE_CRL_NUMBER: ObjectIdentifier = ids::CRL_NUMBER;
const ID_CE_DELTA: ObjectIdentifier = ids::DELTA_CRL_INDICATOR;
const ID_CE_IDP: ObjectIdentifier = ids::ISSUING_DISTRIBUTION_POINT;
const ID_CE_AKI: ObjectIdentifier = ids::AUTHORITY_KEY_IDENTIFIER;
const ID_CE_FRESHEST: ObjectIdentifier = ids::FRESHEST_CRL;
const ID_CE_REASON: ObjectIdentifier = ids::CRL_REASON;
const ID_CE_INVALIDITY: ObjectIdentifier = ids::INVALIDITY_DATE;
const ID_CE_HOLD: ObjectIdentifier = ids::HOLD_INSTRUCTION_CODE;
const ID_CE_CERT_ISSUER: ObjectIdentifier = ids::CERTIFICATE_ISSUER;
const ID_CE_CRL_DP: ObjectIdentifier = ids::CRL_DISTRIBUTION_POINTS;

/// A CRLReason code (RFC 5280 §5.3.1).
type CrlReason = u32;
/// removeFromCRL (8): in a delta CRL, the certificate is no longer on hold.
const REMOVE_FROM_CRL: CrlReason = 8;
/// Every bit of a ReasonFlags, `unused` included: the reasons of a DP or CRL that does not
/// limit them.
const FULL_REASONS: ReasonFlags = 0x01FF;

/// A key that may have signed a CRL for some CRL issuer.
#[derive(Debug, Clone)]
pub struct CrlSigner {
    /// The key (DSA parameters already inherited).
    pub spki: SubjectPublicKeyInfo,
    /// Whether its certificate allows signing CRLs (keyUsage absent or with cRLSign).
    pub may_sign_crls: bool,
}

/// What [`check`] needs from the path validator: CRL signing keys and the signature budget.
pub trait CrlEnv {
    /// Keys that may have signed CRLs issued by `crl_issuer`, each from a certificate that
    /// chains to the same trust anchor as the certificate being checked (RFC 5280 §6.3.3
    /// (f)). Called at most once per CRL issuer name and [`check`] call.
    fn signers(&mut self, crl_issuer: &NameKey) -> Vec<CrlSigner>;
    /// Take one signature verification from the budget; false when it is exhausted.
    fn take_signature_check(&mut self) -> bool;
    /// The caller's signature checks (`super::offload`: WebCrypto in the extension), if any.
    fn offload(&self) -> Option<&super::offload::Offload> {
        None
    }
}

/// The certificate whose revocation status is checked (RFC 5280 §6.3.3 inputs).
#[derive(Debug, Clone)]
pub struct CertScope {
    /// Serial number (DER integer bytes).
    pub serial: Vec<u8>,
    /// The issuer's name, normalized.
    pub issuer: NameKey,
    /// Whether it is a CA certificate (basicConstraints cA), for onlyContainsUserCerts /
    /// onlyContainsCACerts.
    pub is_ca: bool,
    /// Its cRLDistributionPoints (empty when absent), or why the extension does not parse.
    pub distribution_points: Result<Vec<DistributionPoint>, String>,
}

impl CertScope {
    /// The scope of `cert`; `is_ca` as decided by the path validator.
    pub fn from_cert(cert: &Certificate, is_ca: bool) -> CertScope {
        let distribution_points = match cert.extension(ID_CE_CRL_DP) {
            None => Ok(Vec::new()),
            Some(e) => x509::parse_crl_distribution_points(&e.extn_value)
                .map_err(|err| format!("malformed cRLDistributionPoints: {err}")),
        };
        CertScope {
            serial: cert.serial_number.clone(),
            issuer: name_key(&cert.issuer),
            is_ca,
            distribution_points,
        }
    }
}

/// The revocation status found for one certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrlStatus {
    /// Usable in-scope CRLs cover all reasons and none lists the certificate.
    Good,
    /// Listed on a usable in-scope CRL.
    Revoked {
        /// Serial number, hex.
        serial: String,
        /// reasonCode, if given (e.g. "keyCompromise").
        reason: Option<String>,
        /// revocationDate, unix seconds.
        date: i64,
    },
    /// Neither the issuer nor any cRLIssuer of the certificate has a CRL among those
    /// passed in.
    NotChecked,
    /// The only CRLs that would tell the status are not conforming (RFC 5280 §5.2.3: no
    /// cRLNumber, or it is critical) and do not list the certificate: the status cannot be
    /// established, as if there were no CRL (the reason says why).
    NotConforming(String),
    /// CRLs for the certificate exist but the status is undetermined (none usable covers
    /// it, or they cover only some reasons, or a limit was hit).
    Problem(String),
    /// The signature-check budget ran out while verifying CRLs.
    BudgetExceeded,
}

pub(crate) fn reason_name(r: CrlReason) -> &'static str {
    match r {
        0 => "unspecified",
        1 => "keyCompromise",
        2 => "cACompromise",
        3 => "affiliationChanged",
        4 => "superseded",
        5 => "cessationOfOperation",
        6 => "certificateHold",
        8 => "removeFromCRL",
        9 => "privilegeWithdrawn",
        _ => "aACompromise",
    }
}

/// A reasonCode entry extension's value, when it is one RFC 5280 §5.3.1 defines (0-10 but 7).
fn reason_code(e: &Extension) -> Option<CrlReason> {
    x509::parse_crl_reason(&e.extn_value)
        .ok()
        .filter(|r| *r <= 10 && *r != 7)
}

/// A distribution point or CRL name: directory names compare normalized (RFC 5280 §7.1),
/// other general names by their DER encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
enum DpName {
    Dn(NameKey),
    Other(Vec<u8>),
}

fn dp_names(gns: &[GeneralName]) -> Result<Vec<DpName>, String> {
    if gns.len() > MAX_DP_NAMES {
        return Err(format!(
            "more than {MAX_DP_NAMES} names in a distribution point (MAX_DP_NAMES)"
        ));
    }
    Ok(gns
        .iter()
        .map(|g| match g {
            GeneralName::DirectoryName(n) => DpName::Dn(name_key(n)),
            other => DpName::Other(other.to_der()),
        })
        .collect())
}

fn directory_names(gns: &[GeneralName]) -> Result<Vec<NameKey>, String> {
    Ok(dp_names(gns)?
        .into_iter()
        .filter_map(|n| match n {
            DpName::Dn(k) => Some(k),
            DpName::Other(_) => None,
        })
        .collect())
}

/// `base` with the relative name `rdn` appended (nameRelativeToCRLIssuer, §4.2.1.13).
fn with_rdn(base: &NameKey, rdn: &[AttributeTypeAndValue]) -> NameKey {
    let mut out = base.clone();
    out.extend(name_key(&Name {
        rdns: vec![rdn.to_vec()],
        der: Vec::new(),
    }));
    out
}

/// One distribution point of the certificate, names resolved.
#[derive(Debug, Clone)]
struct Dp {
    /// Distribution point names; None when the DP has no distributionPoint field.
    names: Option<Vec<DpName>>,
    /// The reasons field (all reasons when absent).
    reasons: ReasonFlags,
    /// cRLIssuer directory names; None when the field is absent.
    crl_issuers: Option<Vec<NameKey>>,
}

impl Dp {
    fn resolve(dp: &DistributionPoint, cert_issuer: &NameKey) -> Result<Dp, String> {
        let crl_issuers = dp.crl_issuer.as_deref().map(directory_names).transpose()?;
        let names = match &dp.distribution_point {
            None => None,
            Some(DistributionPointName::FullName(g)) => Some(dp_names(g)?),
            Some(DistributionPointName::NameRelativeToCrlIssuer(rdn)) => Some(
                crl_issuers
                    .clone()
                    .unwrap_or_else(|| vec![cert_issuer.clone()])
                    .iter()
                    .map(|b| DpName::Dn(with_rdn(b, rdn)))
                    .collect(),
            ),
        };
        Ok(Dp {
            names,
            reasons: dp.reasons.unwrap_or(FULL_REASONS),
            crl_issuers,
        })
    }

    /// The DP that §6.3.3 assumes for CRLs not named by the certificate: the certificate
    /// issuer's name, all reasons, no cRLIssuer.
    fn implicit(cert_issuer: &NameKey) -> Dp {
        Dp {
            names: Some(vec![DpName::Dn(cert_issuer.clone())]),
            reasons: FULL_REASONS,
            crl_issuers: None,
        }
    }
}

/// One CRL, parsed for scope decisions.
struct CrlInfo<'c> {
    crl: &'c CertificateList,
    issuer: NameKey,
    delta: bool,
    idp: Option<IssuingDistributionPoint>,
    /// DER of the issuingDistributionPoint (to compare a delta's scope with its base).
    idp_der: Option<Vec<u8>>,
    /// Resolved issuingDistributionPoint names (None when the IDP has none).
    idp_names: Option<Vec<DpName>>,
    /// Why the CRL's extensions cannot be read, if so.
    malformed: Option<String>,
    /// Why the CRL is not a conforming one (RFC 5280 §5.2.3: cRLNumber absent, or marked
    /// critical), if so. Such a CRL may still prove a revocation, never "good".
    nonconforming: Option<&'static str>,
}

impl<'c> CrlInfo<'c> {
    fn new(crl: &'c CertificateList) -> CrlInfo<'c> {
        let mut info = CrlInfo {
            crl,
            issuer: name_key(&crl.issuer),
            delta: false,
            idp: None,
            idp_der: None,
            idp_names: None,
            malformed: None,
            nonconforming: Some("the CRL has no CRL number (RFC 5280 §5.2.3)"),
        };
        for e in &crl.extensions {
            if e.extn_id == ID_CE_CRL_NUMBER {
                info.nonconforming = e
                    .critical
                    .then_some("the CRL's CRL number is marked critical (RFC 5280 §5.2.3)");
            }
            if e.extn_id == ID_CE_DELTA {
                info.delta = true;
            }
            if e.extn_id == ID_CE_IDP {
                match x509::parse_issuing_distribution_point(&e.extn_value) {
                    Ok(idp) => {
                        let names = match &idp.distribution_point {
                            None => Ok(None),
                            Some(DistributionPointName::FullName(g)) => dp_names(g).map(Some),
                            Some(DistributionPointName::NameRelativeToCrlIssuer(rdn)) => {
                                Ok(Some(vec![DpName::Dn(with_rdn(&info.issuer, rdn))]))
                            }
                        };
                        match names {
                            Ok(n) => info.idp_names = n,
                            Err(why) => info.malformed = Some(why),
                        }
                        info.idp_der = Some(e.extn_value.clone());
                        info.idp = Some(idp);
                    }
                    Err(err) => {
                        info.malformed = Some(format!("malformed issuingDistributionPoint: {err}"))
                    }
                }
            }
        }
        info
    }

    fn indirect(&self) -> bool {
        self.idp.as_ref().is_some_and(|i| i.indirect_crl)
    }

    /// The reasons this CRL covers (onlySomeReasons, all when absent).
    fn reasons(&self) -> ReasonFlags {
        self.idp
            .as_ref()
            .and_then(|i| i.only_some_reasons)
            .unwrap_or(FULL_REASONS)
    }

    fn number(&self) -> Option<Vec<u8>> {
        ext_uint(&self.crl.extensions, ID_CE_CRL_NUMBER)
    }

    /// RFC 5280 §6.3.3 (b): whether this CRL's scope covers `cert` through `dp`.
    fn in_scope(&self, dp: &Dp, cert: &CertScope) -> bool {
        // (b)(1) issuer.
        match &dp.crl_issuers {
            Some(issuers) => {
                if !self.indirect() || !issuers.contains(&self.issuer) {
                    return false;
                }
            }
            None => {
                if self.issuer != cert.issuer {
                    return false;
                }
            }
        }
        let Some(idp) = &self.idp else {
            return true;
        };
        // (b)(2)(i) distribution point names.
        if let Some(idp_names) = &self.idp_names {
            let matched = match &dp.names {
                Some(names) => names.iter().any(|n| idp_names.contains(n)),
                None => dp
                    .crl_issuers
                    .iter()
                    .flatten()
                    .any(|k| idp_names.contains(&DpName::Dn(k.clone()))),
            };
            if !matched {
                return false;
            }
        }
        // (b)(2)(ii), (iii) kind of certificate.
        !((idp.only_contains_user_certs && cert.is_ca)
            || (idp.only_contains_ca_certs && !cert.is_ca)
            || idp.only_contains_attribute_certs)
    }
}

fn ext_uint(exts: &[Extension], oid: ObjectIdentifier) -> Option<Vec<u8>> {
    exts.iter()
        .find(|e| e.extn_id == oid)
        .and_then(|e| x509::parse_uint_bytes(&e.extn_value).ok())
}

fn cmp_uint(a: &[u8], b: &[u8]) -> core::cmp::Ordering {
    let a: Vec<u8> = a.iter().skip_while(|x| **x == 0).copied().collect();
    let b: Vec<u8> = b.iter().skip_while(|x| **x == 0).copied().collect();
    a.len().cmp(&b.len()).then_with(|| a.cmp(&b))
}

/// Why a CRL cannot be used.
enum Unusable {
    Problem(String),
    Budget,
}

/// Signers per CRL issuer name, fetched from the [`CrlEnv`] once per name.
struct Signers<'e> {
    env: &'e mut dyn CrlEnv,
    cache: Vec<(NameKey, Vec<CrlSigner>)>,
}

impl Signers<'_> {
    fn for_issuer(&mut self, issuer: &NameKey) -> Vec<CrlSigner> {
        if let Some((_, s)) = self.cache.iter().find(|(k, _)| k == issuer) {
            return s.clone();
        }
        let s = self.env.signers(issuer);
        self.cache.push((issuer.clone(), s.clone()));
        s
    }
}

/// Currency, critical extensions, size and signature (§6.3.3 (a), (f), (g), §5.2, §5.3).
fn usable(c: &CrlInfo, signers: &mut Signers, time: u64) -> Result<(), Unusable> {
    let no = |s: String| Err(Unusable::Problem(s));
    if let Some(m) = &c.malformed {
        return no(m.clone());
    }
    let crl = c.crl;
    for e in &crl.extensions {
        let known = [
            ID_CE_CRL_NUMBER,
            ID_CE_DELTA,
            ID_CE_IDP,
            ID_CE_AKI,
            ID_CE_FRESHEST,
        ];
        if e.critical && !known.contains(&e.extn_id) {
            return no(format!("unknown critical CRL extension {}", e.extn_id));
        }
    }
    let entries = &crl.revoked;
    if entries.len() > MAX_CRL_ENTRIES {
        return no(format!(
            "CRL has more than {MAX_CRL_ENTRIES} entries (MAX_CRL_ENTRIES)"
        ));
    }
    for rc in entries {
        for e in &rc.extensions {
            let known = [
                ID_CE_REASON,
                ID_CE_INVALIDITY,
                ID_CE_HOLD,
                ID_CE_CERT_ISSUER,
            ];
            if e.critical && !known.contains(&e.extn_id) {
                return no(format!(
                    "unknown critical CRL entry extension {}",
                    e.extn_id
                ));
            }
        }
    }
    let time = super::asn1::signed_time(time);
    if crl.this_update > time {
        return no("CRL thisUpdate is in the future".into());
    }
    if let Some(next) = crl.next_update {
        if next < time {
            return no("CRL is out of date (nextUpdate passed)".into());
        }
    }
    let tbs_der = &crl.tbs_der;
    let Some(sig) = crl.signature.as_bytes() else {
        return no("CRL signature has unused bits".into());
    };
    let mut verified_by_unauthorised = false;
    for s in signers.for_issuer(&c.issuer) {
        if !signers.env.take_signature_check() {
            return Err(Unusable::Budget);
        }
        let alg = &c.crl.signature_algorithm;
        let off = signers.env.offload();
        if algs::verify_signature_with(off, &s.spki, None, alg, tbs_der, sig).is_ok() {
            if s.may_sign_crls {
                return Ok(());
            }
            verified_by_unauthorised = true;
        }
    }
    if verified_by_unauthorised {
        no("CRL signer's keyUsage lacks cRLSign".into())
    } else {
        no("CRL signature does not verify with a key of its issuer".into())
    }
}

/// Look the certificate up in `c`: Some((reason, date)) when listed. In an indirect CRL
/// (§5.3.3) an entry's certificateIssuer extension names the issuer of that and the
/// following entries; initially it is the CRL issuer. A direct CRL lists only certificates
/// of its issuer (a certificateIssuer extension there is ignored).
fn listed(c: &CrlInfo, cert: &CertScope) -> Result<Option<(Option<CrlReason>, i64)>, String> {
    let indirect = c.indirect();
    let mut current = c.issuer.clone();
    for rc in c.crl.revoked.iter().take(MAX_CRL_ENTRIES) {
        let exts = rc.extensions.iter();
        if indirect {
            if let Some(ci) = exts.clone().find(|e| e.extn_id == ID_CE_CERT_ISSUER) {
                let names = x509::parse_general_names(&ci.extn_value)
                    .map_err(|e| format!("malformed certificateIssuer entry extension: {e}"))?;
                // The first directory name; none means no certificate of ours follows.
                current = directory_names(&names)?
                    .into_iter()
                    .next()
                    .unwrap_or_default();
            }
        }
        if current != cert.issuer || rc.serial_number != cert.serial {
            continue;
        }
        let reason = exts
            .clone()
            .find(|e| e.extn_id == ID_CE_REASON)
            .and_then(reason_code);
        return Ok(Some((reason, rc.revocation_date)));
    }
    Ok(None)
}

/// What one usable complete CRL (with its deltas) says about the certificate.
enum Verdict {
    Listed(Option<CrlReason>, i64),
    NotListed,
}

/// The complete CRL `base` (usable, in scope) with the usable delta CRLs of the same issuer
/// and scope based on it (§5.2.4, §6.3.3 (c), (h)-(k)).
fn base_with_deltas(
    base: &CrlInfo,
    all: &[CrlInfo],
    usable_cache: &mut [Option<Result<(), String>>],
    signers: &mut Signers,
    cert: &CertScope,
    time: u64,
) -> Result<Verdict, Unusable> {
    let mut status = listed(base, cert).map_err(Unusable::Problem)?;
    let base_number = base.number();
    for (i, delta) in all.iter().enumerate() {
        if !delta.delta || delta.issuer != base.issuer || delta.idp_der != base.idp_der {
            continue;
        }
        let based_on = ext_uint(&delta.crl.extensions, ID_CE_DELTA);
        let applies = match (&based_on, &base_number) {
            (Some(b), Some(n)) => cmp_uint(b, n) != core::cmp::Ordering::Greater,
            _ => false,
        };
        if !applies || cached_usable(i, delta, usable_cache, signers, time)?.is_err() {
            continue;
        }
        // An unreadable delta is not used, like an unusable one.
        if let Ok(Some((reason, date))) = listed(delta, cert) {
            status = if reason == Some(REMOVE_FROM_CRL) {
                None
            } else {
                Some((reason, date))
            };
        }
    }
    Ok(match status {
        None | Some((Some(REMOVE_FROM_CRL), _)) => Verdict::NotListed,
        Some((reason, date)) => Verdict::Listed(reason, date),
    })
}

/// [`usable`], computed once per CRL and call (a CRL may be in scope for several DPs).
fn cached_usable(
    i: usize,
    c: &CrlInfo,
    cache: &mut [Option<Result<(), String>>],
    signers: &mut Signers,
    time: u64,
) -> Result<Result<(), String>, Unusable> {
    if let Some(Some(r)) = cache.get(i) {
        return Ok(r.clone());
    }
    let r = match usable(c, signers, time) {
        Ok(()) => Ok(()),
        Err(Unusable::Problem(why)) => Err(why),
        Err(Unusable::Budget) => return Err(Unusable::Budget),
    };
    if let Some(slot) = cache.get_mut(i) {
        *slot = Some(r.clone());
    }
    Ok(r)
}

/// Check the revocation status of `cert` against `crls` (any issuers, complete and delta)
/// at `time` (unix seconds), RFC 5280 §6.3.3. See the module documentation.
pub fn check(
    cert: &CertScope,
    crls: &[CertificateList],
    time: u64,
    env: &mut dyn CrlEnv,
) -> CrlStatus {
    let raw_dps: &[DistributionPoint] = cert.distribution_points.as_deref().unwrap_or_default();
    // The possible CRL issuers: the certificate issuer and the DPs' cRLIssuers.
    let mut crl_issuers: Vec<NameKey> = vec![cert.issuer.clone()];
    for dp in raw_dps.iter().take(MAX_DISTRIBUTION_POINTS) {
        for gn in dp.crl_issuer.iter().flatten().take(MAX_DP_NAMES) {
            if let GeneralName::DirectoryName(n) = gn {
                crl_issuers.push(name_key(n));
            }
        }
    }
    let mine: Vec<CrlInfo> = crls
        .iter()
        .map(CrlInfo::new)
        .filter(|c| crl_issuers.contains(&c.issuer))
        .collect();
    if mine.is_empty() {
        return CrlStatus::NotChecked;
    }
    if let Err(why) = &cert.distribution_points {
        return CrlStatus::Problem(why.clone());
    }
    if mine.len() > MAX_CRLS_PER_CERT {
        return CrlStatus::Problem(format!(
            "more than {MAX_CRLS_PER_CERT} CRLs for one certificate (MAX_CRLS_PER_CERT)"
        ));
    }
    if raw_dps.len() > MAX_DISTRIBUTION_POINTS {
        return CrlStatus::Problem(format!(
            "more than {MAX_DISTRIBUTION_POINTS} CRL distribution points \
             (MAX_DISTRIBUTION_POINTS)"
        ));
    }
    let mut dps = Vec::with_capacity(raw_dps.len() + 1);
    for dp in raw_dps {
        match Dp::resolve(dp, &cert.issuer) {
            Ok(d) => dps.push(d),
            Err(why) => return CrlStatus::Problem(why),
        }
    }
    dps.push(Dp::implicit(&cert.issuer));

    let mut signers = Signers {
        env,
        cache: Vec::new(),
    };
    let mut usable_cache: Vec<Option<Result<(), String>>> = vec![None; mine.len()];
    let mut reasons_mask: ReasonFlags = 0;
    let mut problem: Option<String> = None;
    let mut nonconforming: Option<&str> = None;
    let mut any_usable = false;
    for dp in &dps {
        for (i, base) in mine.iter().enumerate() {
            if base.delta || !base.in_scope(dp, cert) {
                continue;
            }
            match cached_usable(i, base, &mut usable_cache, &mut signers, time) {
                Err(_) => return CrlStatus::BudgetExceeded,
                Ok(Err(why)) => {
                    problem.get_or_insert(why);
                    continue;
                }
                Ok(Ok(())) => {}
            }
            any_usable = true;
            match base_with_deltas(base, &mine, &mut usable_cache, &mut signers, cert, time) {
                Err(Unusable::Budget) => return CrlStatus::BudgetExceeded,
                Err(Unusable::Problem(why)) => {
                    problem.get_or_insert(why);
                    continue;
                }
                Ok(Verdict::Listed(reason, date)) => {
                    return CrlStatus::Revoked {
                        serial: cert.serial.iter().map(|b| format!("{b:02x}")).collect(),
                        reason: reason.map(|r| reason_name(r).to_string()),
                        date,
                    }
                }
                Ok(Verdict::NotListed) => {}
            }
            // A CRL that is not conforming proves a revocation, not its absence.
            if let Some(why) = base.nonconforming {
                nonconforming.get_or_insert(why);
                continue;
            }
            // (c)-(d), (l): the reasons this CRL covers for this DP.
            reasons_mask |= dp.reasons & base.reasons();
        }
    }
    if reasons_mask & ALL_REASONS == ALL_REASONS {
        CrlStatus::Good
    } else if let Some(p) = problem {
        CrlStatus::Problem(p)
    } else if let (Some(why), 0) = (nonconforming, reasons_mask) {
        CrlStatus::NotConforming(why.into())
    } else if any_usable {
        CrlStatus::Problem("the CRLs that cover the certificate cover only some revocation reasons (onlySomeReasons)".into())
    } else {
        CrlStatus::Problem(
            "no CRL for the certificate covers it (issuer, distribution point or scope differ)"
                .into(),
        )
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    //! Each §6.3.3 rule on NIST PKITS certificates and CRLs (tests/fixtures/pkits), with a
    //! stand-in [`CrlEnv`] that knows the PKITS CA keys directly (path validation of CRL
    //! signers is tested through `tests/smime_path.rs`).
    use super::*;
    use std::path::PathBuf;

    /// 2020-01-01T00:00:00Z (PKITS certificates and CRLs are valid 2010-2030).
    const TIME: u64 = 1_577_836_800;

    fn pkits() -> PathBuf {
        match option_env!("IMPALEMAIL_ROOT") {
            Some(root) => PathBuf::from(root).join("tests/fixtures/pkits"),
            None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pkits")),
        }
    }

    fn cert(name: &str) -> Certificate {
        let der = std::fs::read(pkits().join(format!("certs/{name}.crt"))).unwrap();
        Certificate::from_der(&der).unwrap()
    }

    fn crl(name: &str) -> CertificateList {
        let der = std::fs::read(pkits().join(format!("crls/{name}.crl"))).unwrap();
        CertificateList::from_der(&der).unwrap()
    }

    fn crls(names: &[&str]) -> Vec<CertificateList> {
        names.iter().map(|n| crl(n)).collect()
    }

    /// The scope of a PKITS end-entity certificate `<name>EE.crt`.
    fn ee(name: &str) -> CertScope {
        CertScope::from_cert(&cert(&format!("{name}EE")), false)
    }

    /// Knows the keys of some CA certificates; counts signature checks and issuer lookups.
    struct Env {
        keys: Vec<(NameKey, CrlSigner)>,
        budget: u32,
        checks: u32,
        asked: Vec<NameKey>,
    }

    impl Env {
        fn new(cas: &[&str]) -> Env {
            Env {
                keys: cas
                    .iter()
                    .map(|n| {
                        let c = cert(n);
                        let signer = CrlSigner {
                            spki: c.subject_public_key_info.clone(),
                            may_sign_crls: true,
                        };
                        (name_key(&c.subject), signer)
                    })
                    .collect(),
                budget: 100,
                checks: 0,
                asked: Vec::new(),
            }
        }
    }

    impl CrlEnv for Env {
        fn signers(&mut self, crl_issuer: &NameKey) -> Vec<CrlSigner> {
            self.asked.push(crl_issuer.clone());
            self.keys
                .iter()
                .filter(|(k, _)| k == crl_issuer)
                .map(|(_, s)| s.clone())
                .collect()
        }
        fn take_signature_check(&mut self) -> bool {
            if self.budget == 0 {
                return false;
            }
            self.budget -= 1;
            self.checks += 1;
            true
        }
    }

    fn run(cert: &CertScope, crl_names: &[&str], cas: &[&str]) -> CrlStatus {
        check(cert, &crls(crl_names), TIME, &mut Env::new(cas))
    }

    fn revoked_serial(s: &CrlStatus) -> Option<&str> {
        match s {
            CrlStatus::Revoked { serial, .. } => Some(serial),
            _ => None,
        }
    }

    fn is_problem(s: &CrlStatus) -> bool {
        matches!(s, CrlStatus::Problem(_))
    }

    const DP1: &[&str] = &["distributionPoint1CACRL"];
    const DP1_CA: &[&str] = &["distributionPoint1CACert"];
    const DP2: &[&str] = &["distributionPoint2CACRL"];
    const DP2_CA: &[&str] = &["distributionPoint2CACert"];

    #[test]
    fn idp_full_name_matches_certificate_dp() {
        // §6.3.3 (b)(2)(i), PKITS 4.14.1-2: both fullName directory names.
        let good = run(&ee("ValiddistributionPointTest1"), DP1, DP1_CA);
        assert_eq!(good, CrlStatus::Good);
        let revoked = run(&ee("InvaliddistributionPointTest2"), DP1, DP1_CA);
        assert_eq!(revoked_serial(&revoked), Some("02"));
    }

    #[test]
    fn idp_name_mismatch_is_not_used() {
        // PKITS 4.14.3: the certificate's DP is "CRLx", the only CRL's IDP is "CRL1". The
        // CRL must not make it good (nor cost a signature check): status undetermined.
        let mut env = Env::new(DP1_CA);
        let s = check(
            &ee("InvaliddistributionPointTest3"),
            &crls(DP1),
            TIME,
            &mut env,
        );
        assert!(is_problem(&s), "{s:?}");
        assert_eq!(env.checks, 0);
    }

    #[test]
    fn name_relative_to_crl_issuer() {
        // 4.14.4: certificate DP relative name vs IDP fullName.
        assert_eq!(
            run(&ee("ValiddistributionPointTest4"), DP1, DP1_CA),
            CrlStatus::Good
        );
        // 4.14.5: relative name on both sides; 4.14.7: fullName vs IDP relative name.
        assert_eq!(
            run(&ee("ValiddistributionPointTest5"), DP2, DP2_CA),
            CrlStatus::Good
        );
        assert_eq!(
            run(&ee("ValiddistributionPointTest7"), DP2, DP2_CA),
            CrlStatus::Good
        );
        let s = run(&ee("InvaliddistributionPointTest6"), DP2, DP2_CA);
        assert_eq!(revoked_serial(&s), Some("02"));
        // 4.14.8: the DP names the CA itself, the IDP is the CA's name plus an RDN.
        assert!(is_problem(&run(
            &ee("InvaliddistributionPointTest8"),
            DP2,
            DP2_CA
        )));
    }

    #[test]
    fn implicit_distribution_point_is_the_issuer_name() {
        // 4.14.9: no cRLDistributionPoints, the CRL has an IDP name: out of scope.
        let s = run(&ee("InvaliddistributionPointTest9"), DP2, DP2_CA);
        assert!(is_problem(&s), "{s:?}");
        // 4.14.10: a CRL without IDP covers a certificate whatever its DP names.
        let s = run(
            &ee("ValidNoissuingDistributionPointTest10"),
            &["NoissuingDistributionPointCACRL"],
            &["NoissuingDistributionPointCACert"],
        );
        assert_eq!(s, CrlStatus::Good);
    }

    #[test]
    fn only_contains_user_ca_attribute_certs() {
        // §6.3.3 (b)(2)(ii)-(iii), PKITS 4.14.11-14, on the same certificate as user and CA.
        let mut c = ee("InvalidonlyContainsUserCertsTest11");
        let (user, ca) = (
            &["onlyContainsUserCertsCACRL"][..],
            &["onlyContainsUserCertsCACert"][..],
        );
        c.is_ca = false;
        assert_eq!(run(&c, user, ca), CrlStatus::Good);
        c.is_ca = true;
        assert!(is_problem(&run(&c, user, ca)));

        let mut c = ee("InvalidonlyContainsCACertsTest12");
        let (cas, ca) = (
            &["onlyContainsCACertsCACRL"][..],
            &["onlyContainsCACertsCACert"][..],
        );
        c.is_ca = false;
        assert!(is_problem(&run(&c, cas, ca)));
        c.is_ca = true;
        assert_eq!(run(&c, cas, ca), CrlStatus::Good);

        let c = ee("InvalidonlyContainsAttributeCertsTest14");
        let s = run(
            &c,
            &["onlyContainsAttributeCertsCACRL"],
            &["onlyContainsAttributeCertsCACert"],
        );
        assert!(is_problem(&s));
    }

    #[test]
    fn only_some_reasons_accumulate() {
        // §6.3.3 (d), (l), PKITS 4.14.17: two CRLs covering {affiliationChanged, superseded}
        // and {cessationOfOperation, certificateHold}: still undetermined.
        let ca2 = &["onlySomeReasonsCA2Cert"][..];
        let c = ee("InvalidonlySomeReasonsTest17");
        let s = run(&c, &["onlySomeReasonsCA2CRL1"], ca2);
        assert!(is_problem(&s), "{s:?}");
        let s = run(
            &c,
            &["onlySomeReasonsCA2CRL1", "onlySomeReasonsCA2CRL2"],
            ca2,
        );
        match &s {
            CrlStatus::Problem(why) => assert!(why.contains("only some"), "{why}"),
            other => panic!("{other:?}"),
        }
        // 4.14.18: compromise + other reasons together cover all reasons.
        let ca3 = &["onlySomeReasonsCA3Cert"][..];
        let c = ee("ValidonlySomeReasonsTest18");
        assert!(is_problem(&run(
            &c,
            &["onlySomeReasonsCA3compromiseCRL"],
            ca3
        )));
        let both = [
            "onlySomeReasonsCA3compromiseCRL",
            "onlySomeReasonsCA3otherreasonsCRL",
        ];
        assert_eq!(run(&c, &both, ca3), CrlStatus::Good);
        // 4.14.19: the certificate's DPs carry reasons too (intersected with the IDP's).
        let ca4 = &["onlySomeReasonsCA4Cert"][..];
        let c = ee("ValidonlySomeReasonsTest19");
        assert!(is_problem(&run(
            &c,
            &["onlySomeReasonsCA4otherreasonsCRL"],
            ca4
        )));
        let both = [
            "onlySomeReasonsCA4compromiseCRL",
            "onlySomeReasonsCA4otherreasonsCRL",
        ];
        assert_eq!(run(&c, &both, ca4), CrlStatus::Good);
        // 4.14.21: a revocation on one of them is found.
        let s = run(&ee("InvalidonlySomeReasonsTest21"), &both, ca4);
        assert_eq!(revoked_serial(&s), Some("03"));
    }

    #[test]
    fn indirect_crl_certificate_issuer_carries_over() {
        // §5.3.3, PKITS 4.14.31-34: indirectCRL CA5's indirect CRL lists serial 02 with
        // certificateIssuer CA6 (31), 09 after an entry naming CA6 (32, carried over), and
        // 0B after an entry naming CA5 again (34, a CA5 certificate).
        let crl5 = &["indirectCRLCA5CRL"][..];
        let ca5 = &["indirectCRLCA5Cert"][..];
        let s = run(&ee("InvalidcRLIssuerTest31"), crl5, ca5);
        assert_eq!(revoked_serial(&s), Some("02"));
        let s = run(&ee("InvalidcRLIssuerTest32"), crl5, ca5);
        assert_eq!(revoked_serial(&s), Some("09"));
        let s = run(&ee("InvalidcRLIssuerTest34"), crl5, ca5);
        assert_eq!(revoked_serial(&s), Some("0b"));
        // 4.14.33: a CA6 certificate whose serial is listed only for another issuer.
        let mut env = Env::new(ca5);
        let s = check(&ee("ValidcRLIssuerTest33"), &crls(crl5), TIME, &mut env);
        assert_eq!(s, CrlStatus::Good);
        // The signer was looked up under the CRL's issuer (the cRLIssuer), not CA6.
        let ca5_name = name_key(&cert("indirectCRLCA5Cert").subject);
        assert_eq!(env.asked, vec![ca5_name]);
    }

    #[test]
    fn crl_issuer_needs_an_indirect_crl_from_that_issuer() {
        // §6.3.3 (b)(1), PKITS 4.14.27: cRLIssuer is Good CA, whose CRL is not indirect.
        let mut env = Env::new(&["GoodCACert"]);
        let s = check(
            &ee("InvalidcRLIssuerTest27"),
            &crls(&["GoodCACRL"]),
            TIME,
            &mut env,
        );
        assert!(is_problem(&s), "{s:?}");
        assert_eq!(env.checks, 0);
        // 4.14.35: the DP names cRLIssuer CA6; CA5's own indirect CRL has the DP's name but
        // the wrong issuer, and the implicit DP (CA5's name) is not among its IDP names.
        let s = run(
            &ee("InvalidcRLIssuerTest35"),
            &["indirectCRLCA5CRL"],
            &["indirectCRLCA5Cert"],
        );
        assert!(is_problem(&s), "{s:?}");
        // 4.14.26: cRLIssuer CA1x has no CRL and indirectCRL CA1's indirect CRL is not for
        // this certificate: no CRL at all, not checked (it is not made "good" by CA1's).
        let s = run(
            &ee("InvalidIDPwithindirectCRLTest26"),
            &["indirectCRLCA1CRL"],
            &["indirectCRLCA1Cert"],
        );
        assert_eq!(s, CrlStatus::NotChecked);
        // 4.14.24: the same CRL is used when the DP names CA1 as cRLIssuer.
        let s = run(
            &ee("ValidIDPwithindirectCRLTest24"),
            &["indirectCRLCA1CRL"],
            &["indirectCRLCA1Cert"],
        );
        assert_eq!(s, CrlStatus::Good);
    }

    #[test]
    fn no_crl_for_the_issuer_is_not_checked() {
        let c = ee("ValiddistributionPointTest1");
        assert_eq!(run(&c, &[], DP1_CA), CrlStatus::NotChecked);
        assert_eq!(run(&c, &["GoodCACRL"], DP1_CA), CrlStatus::NotChecked);
    }

    #[test]
    fn signer_needs_crl_sign() {
        let mut env = Env::new(DP1_CA);
        env.keys[0].1.may_sign_crls = false;
        let s = check(
            &ee("ValiddistributionPointTest1"),
            &crls(DP1),
            TIME,
            &mut env,
        );
        match s {
            CrlStatus::Problem(why) => assert!(why.contains("cRLSign"), "{why}"),
            other => panic!("{other:?}"),
        }
        // No key at all for the CRL issuer.
        let s = run(&ee("ValiddistributionPointTest1"), DP1, &[]);
        assert!(is_problem(&s));
    }

    #[test]
    fn signature_budget_is_shared() {
        let mut env = Env::new(DP1_CA);
        env.budget = 0;
        let s = check(
            &ee("ValiddistributionPointTest1"),
            &crls(DP1),
            TIME,
            &mut env,
        );
        assert_eq!(s, CrlStatus::BudgetExceeded);
    }

    #[test]
    fn limits_are_errors() {
        let c = ee("ValiddistributionPointTest1");
        // MAX_CRLS_PER_CERT.
        let many = vec![crl("distributionPoint1CACRL"); MAX_CRLS_PER_CERT + 1];
        match check(&c, &many, TIME, &mut Env::new(DP1_CA)) {
            CrlStatus::Problem(why) => assert!(why.contains("MAX_CRLS_PER_CERT"), "{why}"),
            other => panic!("{other:?}"),
        }
        let enough = vec![crl("distributionPoint1CACRL"); MAX_CRLS_PER_CERT];
        assert_eq!(
            check(&c, &enough, TIME, &mut Env::new(DP1_CA)),
            CrlStatus::Good
        );
        // MAX_DISTRIBUTION_POINTS.
        let mut wide = c.clone();
        let dp = c.distribution_points.as_ref().unwrap()[0].clone();
        wide.distribution_points = Ok(vec![dp.clone(); MAX_DISTRIBUTION_POINTS + 1]);
        match check(&wide, &crls(DP1), TIME, &mut Env::new(DP1_CA)) {
            CrlStatus::Problem(why) => assert!(why.contains("MAX_DISTRIBUTION_POINTS"), "{why}"),
            other => panic!("{other:?}"),
        }
        // MAX_DP_NAMES.
        let mut long = c.clone();
        let mut dp = dp;
        if let Some(DistributionPointName::FullName(names)) = &mut dp.distribution_point {
            let first = names[0].clone();
            names.resize(MAX_DP_NAMES + 1, first);
        }
        long.distribution_points = Ok(vec![dp]);
        match check(&long, &crls(DP1), TIME, &mut Env::new(DP1_CA)) {
            CrlStatus::Problem(why) => assert!(why.contains("MAX_DP_NAMES"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn out_of_date_crl_is_a_problem() {
        let c = ee("ValiddistributionPointTest1");
        let later = 2_000_000_000; // 2033, after nextUpdate (2030).
        let s = check(&c, &crls(DP1), later, &mut Env::new(DP1_CA));
        match s {
            CrlStatus::Problem(why) => assert!(why.contains("nextUpdate"), "{why}"),
            other => panic!("{other:?}"),
        }
    }
}
