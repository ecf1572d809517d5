//! RFC 5280 rules the path validator enforces beyond NIST PKITS (issue 23), each on a chain
//! built here, and each chain also given to `openssl verify -x509_strict` (with `-crl_check`
//! where a CRL is involved) so that our judgement and OpenSSL's agree, or the difference is
//! listed with its RFC clause ([`OpenSsl::Differs`]; the test fails if OpenSSL starts to
//! agree, so the list stays true).
//!
//! The chains come from the tests' generator (`tests/x509_gen`: DER by hand, Ed25519 keys
//! from fixed seeds), checked at 2027-01-01.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::Command;

mod x509_gen;
use impalemail::smime::path::{
    validate, AnchorSource, Budget, PathError, PathOptions, PolicySettings, ProfileRule,
    RequiredUsage, TrustAnchor, ValidPath,
};
use impalemail::smime::x509::{Certificate, CertificateList};
use impalemail::smime::{verify_message, Reason, Status, VerifyOptions, Warning};
use x509_gen::*;

/// 2027-01-01T00:00:00Z.
const NOW: u64 = 1_798_761_600;

// ---------------------------------------------------------------------------------------
// Running a chain through our validator and through OpenSSL.

/// A chain: the root (a trust anchor made from its certificate), intermediates, the signer's
/// certificate and CRLs.
struct Chain {
    root: Cert,
    inters: Vec<Cert>,
    leaf: Cert,
    crls: Vec<Vec<u8>>,
    /// [`PathOptions::require_revocation`].
    require_revocation: bool,
    /// [`PathOptions::strict`].
    strict: bool,
}

impl Chain {
    /// Root -> Inter -> Alice.
    fn two_level() -> Chain {
        Chain {
            root: root(),
            inters: vec![inter()],
            leaf: leaf("Inter", 2),
            crls: Vec::new(),
            require_revocation: false,
            strict: false,
        }
    }

    fn ours(&self) -> Result<ValidPath, PathError> {
        let anchor = TrustAnchor::from_cert_der(&self.root.der(), AnchorSource::User)?;
        let inters: Vec<Certificate> = self
            .inters
            .iter()
            .map(|c| Certificate::from_der(&c.der()).unwrap())
            .collect();
        let crls: Vec<CertificateList> = self
            .crls
            .iter()
            .map(|c| CertificateList::from_der(c).unwrap())
            .collect();
        let anchors = [anchor];
        let opts = PathOptions {
            time: NOW,
            anchors: &anchors,
            intermediates: &inters,
            crls: &crls,
            policy: PolicySettings::default(),
            usage: RequiredUsage::EmailSigner,
            budget: Budget::default(),
            require_revocation: self.require_revocation,
            offload: None,
            strict: self.strict,
            online: Default::default(),
        };
        let leaf = Certificate::from_der(&self.leaf.der()).unwrap();
        validate(&leaf, &opts)
    }

    /// `openssl verify -x509_strict -purpose smimesign` at [`NOW`] (with `-crl_check` or
    /// `-crl_check_all` when there are CRLs): Ok, or OpenSSL's error line.
    fn openssl(&self, case: &str) -> Result<(), String> {
        let dir = work_dir(case);
        let write = |f: &str, text: String| -> PathBuf {
            let p = dir.join(f);
            std::fs::write(&p, text).unwrap();
            p
        };
        let root = write("root.pem", pem("CERTIFICATE", &[self.root.der()]));
        let leaf = write("leaf.pem", pem("CERTIFICATE", &[self.leaf.der()]));
        let mut cmd = Command::new("openssl");
        cmd.args(["verify", "-x509_strict", "-purpose", "smimesign"])
            .args(["-attime", &NOW.to_string()])
            .arg("-CAfile")
            .arg(&root);
        if !self.inters.is_empty() {
            let ders: Vec<Vec<u8>> = self.inters.iter().map(Cert::der).collect();
            cmd.arg("-untrusted")
                .arg(write("inters.pem", pem("CERTIFICATE", &ders)));
        }
        // One CRL: the signer's issuer's (`-crl_check`); more: every certificate's, the root's
        // included (`-crl_check_all`).
        if !self.crls.is_empty() {
            cmd.arg(if self.crls.len() == 1 {
                "-crl_check"
            } else {
                "-crl_check_all"
            })
            .arg("-CRLfile")
            .arg(write("crls.pem", pem("X509 CRL", &self.crls)));
        }
        let out = cmd.arg(&leaf).output().expect("openssl is needed");
        std::fs::remove_dir_all(&dir).unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        if out.status.success() {
            Ok(())
        } else {
            Err(text
                .lines()
                .find(|l| l.contains("error "))
                .unwrap_or(&text)
                .to_string())
        }
    }
}

/// A fresh directory for OpenSSL's files of `case`.
fn work_dir(case: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "impalemail-x509-rules-{}-{case}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

impl Chain {
    /// A mail from alice@example.com signed (`openssl cms -sign`, detached) by the leaf,
    /// carrying the intermediates. The leaf's key is a P-256 key OpenSSL makes (its 3.0
    /// cannot sign CMS with Ed25519); the certificates are still the generator's.
    fn signed_mail(&self, case: &str) -> Vec<u8> {
        let dir = work_dir(case);
        let write = |f: &str, text: String| -> PathBuf {
            let p = dir.join(f);
            std::fs::write(&p, text).unwrap();
            p
        };
        let key = dir.join("key.pem");
        let run = |args: &[&str]| {
            let out = Command::new("openssl").args(args).output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            out.stdout
        };
        let key_s = key.to_str().unwrap();
        run(&[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            key_s,
        ]);
        let mut leaf = self.leaf.clone();
        leaf.spki = Some(run(&["pkey", "-in", key_s, "-pubout", "-outform", "DER"]));
        let ders: Vec<Vec<u8>> = self.inters.iter().map(Cert::der).collect();
        let out = Command::new("openssl")
            .args(["cms", "-sign", "-from", "alice@example.com"])
            .args(["-to", "bob@example.com", "-subject", "rules"])
            .arg("-signer")
            .arg(write("leaf.pem", pem("CERTIFICATE", &[leaf.der()])))
            .arg("-inkey")
            .arg(&key)
            .arg("-certfile")
            .arg(write("inters.pem", pem("CERTIFICATE", &ders)))
            .arg("-in")
            .arg(write("body.txt", "Hello Bob.\r\n".into()))
            .output()
            .expect("openssl is needed");
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }
}

/// What OpenSSL says about a chain, compared with us.
enum OpenSsl {
    /// It accepts what we accept and refuses what we refuse.
    Agrees,
    /// It judges the other way, for the reason given (the RFC clause we follow).
    Differs(&'static str),
}

/// Our judgement on `chain` must satisfy `ours`; OpenSSL's must agree or differ as `openssl`
/// says.
fn check(
    case: &str,
    chain: &Chain,
    ours: impl Fn(&Result<ValidPath, PathError>) -> bool,
    openssl: OpenSsl,
) {
    let r = chain.ours();
    assert!(ours(&r), "{case}: ours {r:?}");
    let theirs = chain.openssl(case);
    let agree = r.is_ok() == theirs.is_ok();
    match openssl {
        OpenSsl::Agrees => assert!(agree, "{case}: ours {r:?}, OpenSSL {theirs:?}"),
        OpenSsl::Differs(why) => assert!(
            !agree,
            "{case}: listed as a difference ({why}) but OpenSSL agrees: {theirs:?}"
        ),
    }
}

fn crl_problem(r: &Result<ValidPath, PathError>, what: &str) -> bool {
    matches!(r, Err(PathError::CrlProblem { detail, .. }) if detail.contains(what))
}

// ---------------------------------------------------------------------------------------
// The rules.

#[test]
fn sound_chain_is_valid_for_both() {
    check("sound", &Chain::two_level(), |r| r.is_ok(), OpenSsl::Agrees);
    let mut c = Chain::two_level();
    c.crls = vec![
        crl("Inter", 2, &[], &[(CRL_NUMBER, false, crl_number(1))]),
        crl("Root", 1, &[], &[(CRL_NUMBER, false, crl_number(1))]),
    ];
    check(
        "sound-crl",
        &c,
        |r| r.as_ref().is_ok_and(|v| v.revocation_checked),
        OpenSsl::Agrees,
    );
}

/// RFC 5280 §6.3.3 (f), §4.2.1.3: a CRL counts only when its signer's keyUsage is absent or
/// has cRLSign, the trust anchor's too when it came from a certificate.
#[test]
fn crl_signer_needs_crl_sign() {
    let numbered = [(CRL_NUMBER, false, crl_number(1))];
    // The intermediate may sign certificates, not CRLs.
    let mut c = Chain::two_level();
    c.inters = vec![inter().set(KU, true, ku(&[5]))];
    c.leaf = leaf("Inter", 2);
    c.crls = vec![crl("Inter", 2, &[], &numbered)];
    check(
        "crl-issuer-without-crlsign",
        &c,
        |r| crl_problem(r, "cRLSign"),
        OpenSsl::Agrees,
    );
    // The anchor (from a certificate) signs the CRL of the intermediate it issued.
    let mut c = Chain::two_level();
    c.root = root().set(KU, true, ku(&[5]));
    c.crls = vec![
        crl("Inter", 2, &[], &numbered),
        crl("Root", 1, &[], &numbered),
    ];
    check(
        "anchor-without-crlsign",
        &c,
        |r| crl_problem(r, "cRLSign"),
        OpenSsl::Agrees,
    );
}

/// RFC 5280 §5.2.3: conforming CRL issuers MUST include the cRLNumber and MUST mark it
/// non-critical. A CRL without it, or with it critical, cannot tell "good": the status cannot
/// be established (not checked; with revocation required, refused). It still proves a
/// revocation it lists.
#[test]
fn crl_without_conforming_number_cannot_tell_good() {
    let mut c = Chain::two_level();
    c.crls = vec![crl("Inter", 2, &[], &[])];
    check(
        "crl-without-number",
        &c,
        |r| r.as_ref().is_ok_and(|v| !v.revocation_checked),
        OpenSsl::Agrees,
    );
    // With revocation required (and the root's CRL, numbered, for the intermediate).
    c.crls
        .push(crl("Root", 1, &[], &[(CRL_NUMBER, false, crl_number(1))]));
    c.require_revocation = true;
    check(
        "crl-without-number-required",
        &c,
        |r| crl_problem(r, "no CRL number"),
        OpenSsl::Differs("OpenSSL takes a CRL without the cRLNumber of RFC 5280 §5.2.3 as good"),
    );
    let mut c = Chain::two_level();
    c.crls = vec![crl("Inter", 2, &[], &[(CRL_NUMBER, true, crl_number(1))])];
    check(
        "crl-number-critical",
        &c,
        |r| r.as_ref().is_ok_and(|v| !v.revocation_checked),
        OpenSsl::Differs(
            "OpenSSL refuses the path for a critical cRLNumber; RFC 5280 §6.3.3 makes the \
             status undetermined, which is not checked by default",
        ),
    );
    c.crls
        .push(crl("Root", 1, &[], &[(CRL_NUMBER, false, crl_number(1))]));
    c.require_revocation = true;
    check(
        "crl-number-critical-required",
        &c,
        |r| crl_problem(r, "marked critical"),
        OpenSsl::Agrees,
    );
    let mut c = Chain::two_level();
    c.crls = vec![crl("Inter", 2, &[0x10], &[])];
    check(
        "crl-without-number-revokes",
        &c,
        |r| matches!(r, Err(PathError::Revoked { .. })),
        OpenSsl::Agrees,
    );
}

fn malformed(r: &Result<ValidPath, PathError>, what: &str) -> bool {
    matches!(r, Err(PathError::Malformed { detail }) if detail.contains(what))
}

/// RFC 5280 §4.2.1.12 (KeyPurposeId SIZE (1..MAX)) and §4.2.1.3 (keyCertSign only when cA
/// is TRUE): extensions that parse but say what the profile forbids refuse the path.
#[test]
fn malformed_extensions_refuse() {
    let mut c = Chain::two_level();
    c.leaf = c.leaf.set(EKU, false, seq(&[]));
    check(
        "eku-empty",
        &c,
        |r| malformed(r, "no purpose"),
        OpenSsl::Agrees,
    );
    let mut c = Chain::two_level();
    c.leaf = c.leaf.set(KU, true, ku(&[0, 5]));
    check(
        "keycertsign-on-leaf",
        &c,
        |r| malformed(r, "not a CA certificate"),
        OpenSsl::Agrees,
    );
    // The same with basicConstraints present, cA FALSE.
    let mut c = Chain::two_level();
    c.leaf = c.leaf.set(KU, true, ku(&[0, 5])).set(BC, true, bc(false));
    check(
        "keycertsign-ca-false",
        &c,
        |r| malformed(r, "not a CA certificate"),
        OpenSsl::Agrees,
    );
}

fn bad_anchor(r: &Result<ValidPath, PathError>, what: &str) -> bool {
    matches!(r, Err(e @ PathError::BadAnchor { anchor, detail })
        if anchor == "Root" && detail.contains(what) && e.to_string().contains("root certificate Root"))
}

/// A trust anchor made from a certificate is held to the certificate (RFC 5937 §3; RFC 5280
/// §4.2.1.9, §4.2.1.3, §6.1.4 (o)), and to its validity, with a message naming the root.
#[test]
fn anchor_from_certificate_is_held_to_it() {
    let with_root = |root: Cert| {
        let mut c = Chain::two_level();
        c.root = root;
        c
    };
    check(
        "anchor-unknown-critical",
        &with_root(root().set("1.2.3.4", true, tlv(0x05, &[]))),
        |r| bad_anchor(r, "not understood (1.2.3.4)"),
        OpenSsl::Agrees,
    );
    check(
        "anchor-without-basic-constraints",
        &with_root(root().without(BC).without(KU)),
        |r| bad_anchor(r, "no basic constraints"),
        OpenSsl::Agrees,
    );
    check(
        "anchor-basic-constraints-not-critical",
        &with_root(root().set(BC, false, bc(true))),
        |r| bad_anchor(r, "not marked critical"),
        OpenSsl::Agrees,
    );
    check(
        "anchor-ca-false-keycertsign",
        &with_root(root().set(BC, true, bc(false))),
        |r| bad_anchor(r, "not a CA certificate"),
        OpenSsl::Agrees,
    );
    let mut expired = root();
    expired.not_after = "261231000000Z";
    check(
        "anchor-expired",
        &with_root(expired),
        |r| bad_anchor(r, "expired"),
        OpenSsl::Agrees,
    );
    let mut early = root();
    early.not_before = "270601000000Z";
    check(
        "anchor-not-yet-valid",
        &with_root(early),
        |r| bad_anchor(r, "not valid yet"),
        OpenSsl::Agrees,
    );
}

fn nc_refused(r: &Result<ValidPath, PathError>, what: &str) -> bool {
    matches!(r, Err(PathError::NameConstraints { detail }) if detail.contains(what))
}

/// Root -> Inter (with `nc`, critical) -> Alice with SANs `san` (and subject `subject`).
fn constrained(nc: Vec<u8>, san: &[Vec<u8>], subject: Option<Vec<u8>>) -> Chain {
    let mut c = Chain::two_level();
    c.inters = vec![inter().set(NC, true, nc)];
    c.leaf = c.leaf.set(SAN, false, seq(san));
    if let Some(s) = subject {
        c.leaf.subject = s;
    }
    c
}

/// Name constraints on every name form (RFC 5280 §4.2.1.10, §6.1.3 (b)-(c)): rfc822Name
/// first (the signer's mailbox), the emailAddress attribute of the subject DN, dNSName with
/// wildcards judged defensively, iPAddress and directoryName.
#[test]
fn name_constraints_on_every_form() {
    let alice = gn_email("alice@example.com");
    let permit_mail = name_constraints(&[gn_email("example.com")], &[]);
    check(
        "nc-rfc822-permitted",
        &constrained(permit_mail.clone(), std::slice::from_ref(&alice), None),
        |r| r.is_ok(),
        OpenSsl::Agrees,
    );
    check(
        "nc-rfc822-not-permitted",
        &constrained(
            permit_mail.clone(),
            &[gn_email("mallory@evil.example")],
            None,
        ),
        |r| nc_refused(r, "mallory@evil.example is not permitted"),
        OpenSsl::Agrees,
    );
    check(
        "nc-rfc822-mailbox-excluded",
        &constrained(
            name_constraints(&[], &[gn_email("alice@example.com")]),
            std::slice::from_ref(&alice),
            None,
        ),
        |r| nc_refused(r, "alice@example.com is excluded"),
        OpenSsl::Agrees,
    );
    // The legacy emailAddress in the subject DN is held to rfc822Name constraints too.
    let dn_mail = name(&[
        (O, "ImpaleMail rules test"),
        (EMAIL, "mallory@evil.example"),
    ]);
    check(
        "nc-subject-email-not-permitted",
        &constrained(permit_mail, std::slice::from_ref(&alice), Some(dn_mail)),
        |r| nc_refused(r, "mallory@evil.example is not permitted"),
        OpenSsl::Agrees,
    );
    // dNSName: an excluded name also excludes a wildcard that may stand for it; a permitted
    // subtree does not admit a wildcard reaching outside it.
    check(
        "nc-dns-excluded-wildcard",
        &constrained(
            name_constraints(&[], &[gn_dns("bar.example.com")]),
            &[alice.clone(), gn_dns("*.example.com")],
            None,
        ),
        |r| nc_refused(r, "*.example.com is excluded"),
        OpenSsl::Differs(
            "OpenSSL compares the wildcard as a literal name; a wildcard may stand for the \
             excluded bar.example.com (RFC 5280 §4.2.1.10, RFC 6125 §6.4.3)",
        ),
    );
    check(
        "nc-dns-permitted-wildcard-outside",
        &constrained(
            name_constraints(&[gn_dns("bar.example.com")], &[]),
            &[alice.clone(), gn_dns("*.example.com")],
            None,
        ),
        |r| nc_refused(r, "*.example.com is not permitted"),
        OpenSsl::Agrees,
    );
    check(
        "nc-dns-leading-period",
        &constrained(
            name_constraints(&[gn_dns(".example.com")], &[]),
            std::slice::from_ref(&alice),
            None,
        ),
        |r| malformed(r, "starts with a period"),
        OpenSsl::Differs(
            "OpenSSL reads .example.com as a DNS constraint; RFC 5280 §4.2.1.10's dNSName \
             syntax has no leading period",
        ),
    );
    // iPAddress.
    check(
        "nc-ip-not-permitted",
        &constrained(
            name_constraints(&[gn_ip(&[10, 0, 0, 0, 255, 0, 0, 0])], &[]),
            &[alice.clone(), gn_ip(&[192, 168, 1, 1])],
            None,
        ),
        |r| nc_refused(r, "not permitted"),
        OpenSsl::Agrees,
    );
    check(
        "nc-ip-mask-not-prefix",
        &constrained(
            name_constraints(&[gn_ip(&[10, 0, 0, 0, 255, 0, 255, 0])], &[]),
            std::slice::from_ref(&alice),
            None,
        ),
        |r| malformed(r, "prefix mask"),
        OpenSsl::Differs(
            "OpenSSL does not look at a constraint's mask; RFC 5280 §4.2.1.10 reads it as \
             CIDR (RFC 4632)",
        ),
    );
    // directoryName: the subject DN.
    check(
        "nc-dirname-excluded",
        &constrained(
            name_constraints(&[], &[gn_dir(cn("Alice"))]),
            std::slice::from_ref(&alice),
            None,
        ),
        |r| nc_refused(r, "is excluded"),
        OpenSsl::Agrees,
    );
    check(
        "nc-dirname-not-permitted",
        &constrained(
            name_constraints(&[gn_dir(name(&[(O, "Elsewhere")]))], &[]),
            std::slice::from_ref(&alice),
            None,
        ),
        |r| nc_refused(r, "is not permitted"),
        OpenSsl::Agrees,
    );
}

/// A nameConstraints extension must be critical and only in a CA certificate (RFC 5280
/// §4.2.1.10).
#[test]
fn name_constraints_misplaced_refuse() {
    let nc = name_constraints(&[gn_email("example.com")], &[]);
    let mut c = Chain::two_level();
    c.inters = vec![inter().set(NC, false, nc.clone())];
    check(
        "nc-not-critical",
        &c,
        |r| malformed(r, "name constraints are not marked critical"),
        OpenSsl::Differs(
            "OpenSSL -x509_strict applies non-critical name constraints; RFC 5280 §4.2.1.10: \
             conforming CAs MUST mark them critical",
        ),
    );
    let mut c = Chain::two_level();
    c.leaf = c.leaf.set(NC, true, nc);
    check(
        "nc-in-end-entity",
        &c,
        |r| malformed(r, "carries name constraints but is not a CA"),
        OpenSsl::Differs(
            "OpenSSL 3.0 ignores name constraints in an end entity; RFC 5280 §4.2.1.10: the \
             extension MUST be used only in a CA certificate",
        ),
    );
}

const SERIAL_DIFFERS: &str = "OpenSSL 3.0's -x509_strict does not look at the serial number; \
    RFC 5280 §4.1.2.2: it MUST be a positive integer";

/// RFC 5280 profile rules whose breach proves nothing against the path: by default a warning
/// on the valid path, naming the certificate in plain words; in strict mode an error
/// (OpenSSL's `-x509_strict` is the model: it refuses what strict mode refuses, except where
/// listed).
#[test]
fn profile_rules_warn_by_default_and_refuse_when_strict() {
    let cases: Vec<(&str, Chain, &str, ProfileRule, OpenSsl)> = vec![
        {
            let mut c = Chain::two_level();
            c.leaf = c.leaf.without(AKI);
            (
                "no-aki",
                c,
                "CN=Alice",
                ProfileRule::NoAuthorityKeyId,
                OpenSsl::Agrees,
            )
        },
        {
            let mut c = Chain::two_level();
            c.inters = vec![inter().without(SKI)];
            (
                "ca-no-ski",
                c,
                "CN=Inter",
                ProfileRule::NoSubjectKeyId,
                OpenSsl::Agrees,
            )
        },
        {
            let mut c = Chain::two_level();
            c.leaf = c.leaf.set(AKI, true, aki(2));
            (
                "aki-critical",
                c,
                "CN=Alice",
                ProfileRule::KeyIdCritical,
                OpenSsl::Agrees,
            )
        },
        {
            let mut c = Chain::two_level();
            c.inters = vec![inter().set(SKI, true, ski(2))];
            (
                "ski-critical",
                c,
                "CN=Inter",
                ProfileRule::KeyIdCritical,
                OpenSsl::Agrees,
            )
        },
        {
            let mut c = Chain::two_level();
            c.leaf.serial = vec![0];
            (
                "serial-zero",
                c,
                "CN=Alice",
                ProfileRule::SerialNotPositive,
                OpenSsl::Differs(SERIAL_DIFFERS),
            )
        },
        {
            let mut c = Chain::two_level();
            c.leaf.serial = vec![0xff, 0x01];
            (
                "serial-negative",
                c,
                "CN=Alice",
                ProfileRule::SerialNotPositive,
                OpenSsl::Differs(SERIAL_DIFFERS),
            )
        },
        {
            let mut c = Chain::two_level();
            c.leaf.subject = seq(&[]);
            (
                "empty-subject-san-not-critical",
                c,
                "the certificate  does not",
                ProfileRule::EmptySubject,
                OpenSsl::Agrees,
            )
        },
        {
            // A CA with an empty subject can only be an issuer by name if its leaf's issuer is
            // empty too.
            let mut c = Chain::two_level();
            let mut i = inter();
            i.subject = seq(&[]);
            c.inters = vec![i];
            c.leaf.issuer = seq(&[]);
            (
                "ca-empty-subject",
                c,
                "the certificate  does not",
                ProfileRule::CaEmptySubject,
                OpenSsl::Agrees,
            )
        },
        {
            let mut c = Chain::two_level();
            c.inters = vec![inter().set(PC, false, seq(&[tlv(0x81, &[5])]))];
            (
                "policy-constraints-not-critical",
                c,
                "CN=Inter",
                ProfileRule::PolicyConstraintsNotCritical,
                OpenSsl::Differs(
                    "OpenSSL 3.0's -x509_strict takes non-critical policy constraints; RFC \
                     5280 §4.2.1.11: conforming CAs MUST mark them critical",
                ),
            )
        },
    ];
    for (case, mut chain, who, rule, openssl) in cases {
        // Default: valid, with the warning in plain words.
        let r = chain.ours();
        let v = r
            .as_ref()
            .unwrap_or_else(|e| panic!("{case}: refused by default: {e}"));
        let w = v
            .warnings
            .iter()
            .find(|w| w.rule == rule)
            .unwrap_or_else(|| panic!("{case}: no {rule:?} warning in {:?}", v.warnings));
        let text = w.to_string();
        assert!(
            text.contains(who) && text.contains("does not follow the X.509 rules"),
            "{case}: {text}"
        );
        // Strict: refused, for that rule; OpenSSL -x509_strict as listed.
        chain.strict = true;
        check(
            case,
            &chain,
            |r| matches!(r, Err(PathError::Profile(w)) if w.rule == rule),
            openssl,
        );
    }
    // A sound chain has no warning.
    let v = Chain::two_level().ours().unwrap();
    assert!(v.warnings.is_empty(), "{:?}", v.warnings);
}

/// The profile warning reaches the verdict: green with the warning by default, invalid in
/// strict mode (`VerifyOptions::strict`, the CLI's `--strict`).
#[test]
fn profile_warning_reaches_the_verdict() {
    let mut c = Chain::two_level();
    c.leaf = c.leaf.without(AKI);
    let mail = c.signed_mail("verdict-no-aki");
    let anchors = [TrustAnchor::from_cert_der(&c.root.der(), AnchorSource::User).unwrap()];
    let mut o = VerifyOptions::new(NOW, &anchors);
    let v = verify_message(&mail, &o);
    assert_eq!(v.status, Status::Verified, "{:?}", v.reason);
    assert!(
        v.details.warnings.iter().any(|w| matches!(w,
            Warning::CertificateProfile { subject, rule }
                if subject.contains("CN=Alice") && rule == "it has no authority key identifier")),
        "{:?}",
        v.details.warnings
    );
    o.strict = true;
    let v = verify_message(&mail, &o);
    assert_eq!(v.status, Status::Invalid);
    assert!(
        matches!(&v.reason, Some(Reason::InvalidCertificate { what })
            if what.contains("does not follow the X.509 rules: it has no authority key identifier")),
        "{:?}",
        v.reason
    );
}
