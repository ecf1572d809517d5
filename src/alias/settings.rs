//! The alias settings document, schema-versioned like the vault:
//! `{"format":"impalemail-settings","schema":1, ...}`.
//!
//! It holds the API keys and the per-site secret, so JavaScript stores it in extension
//! storage only; [`Settings::export_json`] blanks every credential, and the vault export
//! never includes this document.

use super::error::AliasError;
use super::generators::{self, GeneratorKind, Style};
use super::http::Secret;
use super::providers::{validate_base_url, Provider, ProviderConfig};
use super::vault::{Lifetime, Source};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The `format` marker of a settings document.
pub const SETTINGS_FORMAT: &str = "impalemail-settings";
/// The schema this build writes (and the newest it reads).
pub const SETTINGS_SCHEMA: u32 = 1;
/// Largest settings document accepted, in bytes.
pub const MAX_SETTINGS_BYTES: usize = 64 * 1024;
/// Longest API key accepted, in bytes.
pub const MAX_KEY_LEN: usize = 4096;

/// One provider account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderSettings {
    /// Service.
    pub provider: Provider,
    /// Whether the UI offers it.
    #[serde(default)]
    pub enabled: bool,
    /// Base URL (`None`: the public service).
    #[serde(default)]
    pub base_url: Option<String>,
    /// API key.
    #[serde(default)]
    pub key: Secret,
    /// addy.io alias domain / Forward Email domain.
    #[serde(default)]
    pub domain: Option<String>,
}

impl ProviderSettings {
    /// The flow configuration for this account.
    pub fn config(&self) -> ProviderConfig {
        ProviderConfig {
            provider: self.provider,
            base_url: self.base_url.clone(),
            key: self.key.clone(),
            domain: self.domain.clone(),
        }
    }
}

/// The alias settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// What the field icon makes by default.
    pub default_generator: Source,
    /// Lifetime of new aliases.
    pub default_lifetime: Lifetime,
    /// Look of random local parts.
    pub style: Style,
    /// The user's catch-all domain (catch-all and per-site generators).
    pub catch_all_domain: Option<String>,
    /// The user's own address (plus addressing).
    pub own_address: Option<String>,
    /// The user's subdomain (subdomain addressing), e.g. `you.fastmail.com`.
    pub subdomain: Option<String>,
    /// Whether per-site aliases start with the site's name.
    pub site_in_tag: bool,
    /// Per-install secret of the per-site generator (hex).
    pub per_site_secret: Secret,
    /// Provider accounts.
    pub providers: Vec<ProviderSettings>,
}

/// A fresh install's settings make an alias on the first click with nothing set up: the
/// no-account temporary inbox (mail.tm: one inbox per alias, readable in the popup) is on
/// and is the default source, and new aliases expire after seven days (the inbox account is
/// then deleted at the service and the record kept as expired).
impl Default for Settings {
    fn default() -> Self {
        Settings {
            default_generator: Source::Provider(Provider::MailTm),
            default_lifetime: Lifetime::SevenDays,
            style: Style::Words,
            catch_all_domain: None,
            own_address: None,
            subdomain: None,
            site_in_tag: false,
            per_site_secret: Secret::default(),
            providers: vec![ProviderSettings {
                provider: Provider::MailTm,
                enabled: true,
                base_url: None,
                key: Secret::default(),
                domain: None,
            }],
        }
    }
}

fn invalid(field: &str, e: impl std::fmt::Display) -> AliasError {
    AliasError::InvalidSettings {
        field: field.to_string(),
        reason: e.to_string(),
    }
}

impl Settings {
    /// Checks every field; the first problem is returned, naming the field.
    pub fn validate(&self) -> Result<(), AliasError> {
        self.validate_fields()?;
        self.validate_default_generator()
    }

    /// Checks every field except whether the default generator is set up (a stored document,
    /// a fresh install's among them, may name a default that is not set up yet).
    pub fn validate_fields(&self) -> Result<(), AliasError> {
        self.default_lifetime.validate()?;
        if let Some(d) = &self.catch_all_domain {
            generators::validate_domain(d).map_err(|e| invalid("catch_all_domain", e))?;
        }
        if let Some(a) = &self.own_address {
            generators::validate_address(a).map_err(|e| invalid("own_address", e))?;
        }
        if let Some(d) = &self.subdomain {
            generators::validate_domain(d).map_err(|e| invalid("subdomain", e))?;
        }
        if !self.per_site_secret.is_empty() {
            generators::parse_secret(self.per_site_secret.expose())
                .map_err(|e| invalid("per_site_secret", e))?;
        }
        let mut seen = Vec::new();
        for p in &self.providers {
            let field = format!("providers.{}", p.provider.id());
            if seen.contains(&p.provider) {
                return Err(invalid(&field, "listed twice"));
            }
            seen.push(p.provider);
            if let Some(url) = p.base_url.as_deref().filter(|u| !u.trim().is_empty()) {
                validate_base_url(p.provider, url).map_err(|e| invalid(&field, e))?;
            }
            if p.key.expose().len() > MAX_KEY_LEN {
                return Err(invalid(&field, "the API key is too long"));
            }
            if p.enabled && p.provider.capabilities().needs_key && p.key.is_empty() {
                return Err(invalid(&field, format!("{} needs an API key", p.provider)));
            }
            if let Some(d) = p.domain.as_deref().filter(|d| !d.trim().is_empty()) {
                generators::validate_domain(d).map_err(|e| invalid(&field, e))?;
            } else if p.enabled && p.provider.capabilities().needs_domain {
                return Err(invalid(&field, format!("{} needs your domain", p.provider)));
            }
        }
        Ok(())
    }

    /// Checks that the default generator has what it needs.
    pub fn validate_default_generator(&self) -> Result<(), AliasError> {
        match self.default_generator {
            Source::Generator(GeneratorKind::CatchAll | GeneratorKind::PerSite)
                if self.catch_all_domain.is_none() =>
            {
                Err(invalid("default_generator", "needs a catch-all domain"))
            }
            Source::Generator(GeneratorKind::Plus) if self.own_address.is_none() => {
                Err(invalid("default_generator", "needs your own address"))
            }
            Source::Generator(GeneratorKind::Subdomain) if self.subdomain.is_none() => {
                Err(invalid("default_generator", "needs your subdomain"))
            }
            Source::Provider(p) if !self.providers.iter().any(|s| s.provider == p && s.enabled) => {
                Err(invalid("default_generator", format!("{p} is not set up")))
            }
            _ => Ok(()),
        }
    }

    /// Every source that has what it needs to make an alias now, the default first: the
    /// generators whose setting is filled in and the enabled provider accounts (with their
    /// key, where the provider needs one). The in-page menu offers these when the default
    /// fails.
    pub fn ready_sources(&self) -> Vec<Source> {
        let mut out = Vec::new();
        for kind in GeneratorKind::ALL {
            let ready = match kind {
                GeneratorKind::CatchAll => self.catch_all_domain.is_some(),
                GeneratorKind::PerSite => {
                    self.catch_all_domain.is_some() && !self.per_site_secret.is_empty()
                }
                GeneratorKind::Plus => self.own_address.is_some(),
                GeneratorKind::Subdomain => self.subdomain.is_some(),
            };
            if ready {
                out.push(Source::Generator(kind));
            }
        }
        for p in &self.providers {
            let caps = p.provider.capabilities();
            let has_domain = p.domain.as_deref().is_some_and(|d| !d.trim().is_empty());
            if p.enabled
                && caps.create
                && (!caps.needs_key || !p.key.is_empty())
                && (!caps.needs_domain || has_domain)
            {
                out.push(Source::Provider(p.provider));
            }
        }
        if let Some(i) = out.iter().position(|s| *s == self.default_generator) {
            let d = out.remove(i);
            out.insert(0, d);
        }
        out
    }

    /// The settings of one provider.
    pub fn provider(&self, provider: Provider) -> Option<&ProviderSettings> {
        self.providers.iter().find(|p| p.provider == provider)
    }

    /// Reads a stored document: format marker, schema (newer refused), then validation.
    pub fn from_json(text: &str) -> Result<Settings, AliasError> {
        if text.len() > MAX_SETTINGS_BYTES {
            return Err(AliasError::TooLarge {
                what: "the settings",
                len: text.len(),
                max: MAX_SETTINGS_BYTES,
            });
        }
        let mut v: Value = serde_json::from_str(text).map_err(|e| AliasError::ImportMalformed {
            reason: format!("not JSON ({e})"),
        })?;
        if v.get("format").and_then(Value::as_str) != Some(SETTINGS_FORMAT) {
            return Err(AliasError::ImportForeign {
                reason: "no \"format\": \"impalemail-settings\" marker",
            });
        }
        match v.get("schema").and_then(Value::as_u64) {
            Some(s) if s > u64::from(SETTINGS_SCHEMA) => {
                return Err(AliasError::FutureSchema {
                    found: s,
                    supported: SETTINGS_SCHEMA,
                })
            }
            Some(_) => {}
            None => {
                return Err(AliasError::ImportMalformed {
                    reason: "`schema` is missing or not a number".into(),
                })
            }
        }
        if let Value::Object(o) = &mut v {
            o.remove("format");
            o.remove("schema");
        }
        let s: Settings = serde_json::from_value(v).map_err(|e| AliasError::ImportMalformed {
            reason: format!("a setting has the wrong type ({e})"),
        })?;
        s.validate_fields()?;
        Ok(s)
    }

    /// The document to store (with credentials).
    pub fn to_json(&self) -> String {
        let mut v = crate::json::to_value(self).unwrap_or(Value::Null);
        if let Value::Object(o) = &mut v {
            o.insert("format".into(), SETTINGS_FORMAT.into());
            o.insert("schema".into(), SETTINGS_SCHEMA.into());
        }
        crate::json::text(&v)
    }

    /// The document for export: every API key and the per-site secret blanked.
    pub fn export_json(&self) -> String {
        let mut copy = self.clone();
        copy.per_site_secret = Secret::default();
        for p in &mut copy.providers {
            p.key = Secret::default();
        }
        copy.to_json()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn sample() -> Settings {
        Settings {
            default_generator: Source::Generator(GeneratorKind::CatchAll),
            catch_all_domain: Some("mine.example".into()),
            per_site_secret: Secret::new("ab".repeat(32)),
            providers: vec![ProviderSettings {
                provider: Provider::SimpleLogin,
                enabled: true,
                base_url: None,
                key: Secret::new("sl-secret-key"),
                domain: None,
            }],
            ..Settings::default()
        }
    }

    #[test]
    fn a_fresh_install_makes_temporary_inboxes_that_expire_in_seven_days() {
        let s = Settings::default();
        assert_eq!(s.default_generator, Source::Provider(Provider::MailTm));
        assert_eq!(s.default_lifetime, Lifetime::SevenDays);
        s.validate().unwrap();
        assert_eq!(s.ready_sources(), vec![Source::Provider(Provider::MailTm)]);
        // Stored and read back, it is still ready (nothing to set up).
        Settings::from_json(&s.to_json())
            .unwrap()
            .validate()
            .unwrap();
    }

    #[test]
    fn ready_sources_list_what_is_set_up_default_first() {
        let mut s = sample();
        s.providers.push(ProviderSettings {
            provider: Provider::ForwardEmail,
            enabled: true,
            base_url: None,
            key: Secret::new("k"),
            domain: None, // needs a domain: not ready
        });
        s.providers.push(ProviderSettings {
            provider: Provider::Addy,
            enabled: false, // off: not ready
            base_url: None,
            key: Secret::new("k"),
            domain: None,
        });
        s.default_generator = Source::Provider(Provider::SimpleLogin);
        let ids: Vec<String> = s.ready_sources().into_iter().map(Source::id).collect();
        assert_eq!(ids, ["simplelogin", "catch-all", "per-site"]);
        s.providers[0].key = Secret::default();
        s.per_site_secret = Secret::default();
        s.own_address = Some("me@example.org".into());
        let ids: Vec<String> = s.ready_sources().into_iter().map(Source::id).collect();
        assert_eq!(ids, ["catch-all", "plus"]);
    }

    #[test]
    fn roundtrip_and_export_blanks_keys() {
        let s = sample();
        assert_eq!(Settings::from_json(&s.to_json()).unwrap(), s);
        let exported = s.export_json();
        assert!(!exported.contains("sl-secret-key") && !exported.contains(&"ab".repeat(32)));
        assert!(format!("{s:?}").contains("Secret(***)"));
        assert!(!format!("{s:?}").contains("sl-secret-key"));
    }

    #[test]
    fn invalid_settings_name_the_field() {
        let mut s = sample();
        s.providers[0].base_url = Some("http://sl.example.org".into());
        let e = s.validate().unwrap_err();
        assert!(e.to_string().contains("providers.simplelogin"), "{e}");
        let mut s = sample();
        s.catch_all_domain = None;
        assert!(s
            .validate()
            .unwrap_err()
            .to_string()
            .contains("default_generator"));
        let mut s = sample();
        s.default_lifetime = Lifetime::Custom { secs: 0 };
        assert!(s.validate().is_err());
    }

    #[test]
    fn foreign_and_future_documents_are_refused() {
        assert!(matches!(
            Settings::from_json("{}"),
            Err(AliasError::ImportForeign { .. })
        ));
        assert!(matches!(
            Settings::from_json(r#"{"format":"impalemail-settings","schema":9}"#),
            Err(AliasError::FutureSchema { found: 9, .. })
        ));
        assert!(matches!(
            Settings::from_json(
                r#"{"format":"impalemail-settings","schema":1,"site_in_tag":"yes"}"#
            ),
            Err(AliasError::ImportMalformed { .. })
        ));
    }
}
