//! What the extension asks of the alias engine, composed from the parts: which source makes
//! an alias, the local generation or the provider flow that makes it, the record the vault
//! keeps, and the vault changes the background's write queue journals ([`VaultOp`]).
//!
//! Still sans-IO: the caller runs the [`Flow`]s, stores the documents and passes `now`
//! (unix seconds) in.

use super::error::AliasError;
use super::generators::{self, GeneratorKind};
use super::providers::{CreateRequest, Flow, Provider, ProviderConfig, RemoteAlias};
use super::settings::Settings;
use super::vault::{AliasRecord, AliasState, Lifetime, Source, Vault};
use serde::{Deserialize, Serialize};

/// One change to the vault. Every operation is idempotent, so the background may replay
/// one from its journal after an interrupted write without harm. In JSON, internally tagged:
/// `{"op": "set-label", "id": ..., "label": ...}` (the `Deserialize` below).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum VaultOp {
    /// Add a record (merged into an existing record with the same address).
    Add {
        /// The record.
        record: AliasRecord,
    },
    /// Change a record's state.
    SetState {
        /// Record id.
        id: String,
        /// New state.
        state: AliasState,
    },
    /// Set or clear a record's label.
    SetLabel {
        /// Record id.
        id: String,
        /// New label (`None` clears it).
        label: Option<String>,
    },
    /// Set or clear a record's note.
    SetNote {
        /// Record id.
        id: String,
        /// New note (`None` clears it).
        note: Option<String>,
    },
    /// Remove a record (a missing record is not an error: the removal already happened).
    Remove {
        /// Record id.
        id: String,
    },
    /// Mark every record whose lifetime ran out at `now` as expired.
    ApplyExpiry {
        /// Unix seconds.
        now: u64,
    },
    /// Merge an exported vault (JSON or CSV). A bad file is refused and nothing changes.
    Import {
        /// The file's text.
        text: String,
    },
    /// Bring in a provider account's listed aliases ([`Vault::bring_in`]).
    BringIn {
        /// The list flow's aliases, as records.
        records: Vec<AliasRecord>,
        /// Unix seconds: the new records' `created`.
        now: u64,
    },
}

/// The operation names, as `Serialize` writes them.
const VAULT_OPS: &[&str] = &[
    "add",
    "set-state",
    "set-label",
    "set-note",
    "remove",
    "apply-expiry",
    "import",
    "bring-in",
];

/// Reads the internally tagged form through one flat record of every operation's fields, then
/// builds the variant `op` names; a field that variant needs is missing → `missing field`, as
/// the derive says it. (serde's derive for internally tagged enums buffers the input in its
/// private `Content` type and reads each variant again from there: one more instance of every
/// field type's reader, `AliasRecord`'s included, in the wasm.)
impl<'de> Deserialize<'de> for VaultOp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        #[derive(Deserialize)]
        struct Flat {
            op: String,
            record: Option<AliasRecord>,
            id: Option<String>,
            state: Option<AliasState>,
            label: Option<String>,
            note: Option<String>,
            now: Option<u64>,
            text: Option<String>,
            records: Option<Vec<AliasRecord>>,
        }
        let f = Flat::deserialize(d)?;
        fn need<T, E: Error>(v: Option<T>, field: &'static str) -> Result<T, E> {
            v.ok_or_else(|| E::missing_field(field))
        }
        Ok(match f.op.as_str() {
            "add" => VaultOp::Add {
                record: need(f.record, "record")?,
            },
            "set-state" => VaultOp::SetState {
                id: need(f.id, "id")?,
                state: need(f.state, "state")?,
            },
            "set-label" => VaultOp::SetLabel {
                id: need(f.id, "id")?,
                label: f.label,
            },
            "set-note" => VaultOp::SetNote {
                id: need(f.id, "id")?,
                note: f.note,
            },
            "remove" => VaultOp::Remove {
                id: need(f.id, "id")?,
            },
            "apply-expiry" => VaultOp::ApplyExpiry {
                now: need(f.now, "now")?,
            },
            "import" => VaultOp::Import {
                text: need(f.text, "text")?,
            },
            "bring-in" => VaultOp::BringIn {
                records: need(f.records, "records")?,
                now: need(f.now, "now")?,
            },
            other => return Err(D::Error::unknown_variant(other, VAULT_OPS)),
        })
    }
}

/// Applies `op` to the stored vault document (`None`: no vault yet) and returns the new
/// document. An error leaves the caller's document as it was.
pub fn apply_op(vault_json: Option<&str>, op: &VaultOp) -> Result<String, AliasError> {
    let mut vault = match vault_json {
        Some(text) => Vault::from_json(text)?,
        None => Vault::new(),
    };
    match op {
        VaultOp::Add { record } => {
            vault.add(record.clone())?;
        }
        VaultOp::SetState { id, state } => vault.set_state(id, *state)?,
        VaultOp::SetLabel { id, label } => vault.set_label(id, label.as_deref())?,
        VaultOp::SetNote { id, note } => vault.set_note(id, note.as_deref())?,
        VaultOp::Remove { id } => {
            if vault.get(id).is_some() {
                vault.remove(id)?;
            }
        }
        VaultOp::ApplyExpiry { now } => {
            vault.apply_expiry(*now);
        }
        VaultOp::Import { text } => vault = vault.import(text)?,
        VaultOp::BringIn { records, now } => vault.bring_in(records, *now)?,
    }
    Ok(vault.to_json())
}

/// The source to use: the one asked for, or the settings' default.
pub fn resolve_source(settings: &Settings, requested: Option<&str>) -> Result<Source, AliasError> {
    match requested.filter(|r| !r.is_empty()) {
        Some(id) => Source::from_id(id).ok_or_else(|| AliasError::InvalidSettings {
            field: "source".into(),
            reason: format!("`{id}` is neither a generator nor a provider"),
        }),
        None => Ok(settings.default_generator),
    }
}

fn missing(field: &str, what: &str) -> AliasError {
    AliasError::InvalidSettings {
        field: field.into(),
        reason: format!("set {what} in ImpaleMail's options first"),
    }
}

/// Makes an alias with a local generator for the page at `page_url`, as a vault record
/// (state active, expiry from the settings' default lifetime, origin of the page).
pub fn create_local(
    settings: &Settings,
    kind: GeneratorKind,
    page_url: &str,
    now: u64,
) -> Result<AliasRecord, AliasError> {
    let request = CreateRequest::for_url(page_url)?;
    let tag = settings
        .site_in_tag
        .then(|| generators::site_label(&request.site));
    let address = match kind {
        GeneratorKind::CatchAll => {
            let domain = settings
                .catch_all_domain
                .as_deref()
                .ok_or_else(|| missing("catch_all_domain", "your catch-all domain"))?;
            generators::catch_all(domain, settings.style)?
        }
        GeneratorKind::Plus => {
            let own = settings
                .own_address
                .as_deref()
                .ok_or_else(|| missing("own_address", "your own address"))?;
            generators::plus(own, tag.as_deref())?
        }
        GeneratorKind::Subdomain => {
            let sub = settings
                .subdomain
                .as_deref()
                .ok_or_else(|| missing("subdomain", "your subdomain"))?;
            generators::subdomain(sub, tag.as_deref())?
        }
        GeneratorKind::PerSite => {
            let domain = settings
                .catch_all_domain
                .as_deref()
                .ok_or_else(|| missing("catch_all_domain", "your catch-all domain"))?;
            if settings.per_site_secret.is_empty() {
                return Err(missing("per_site_secret", "the per-site secret"));
            }
            let secret = generators::parse_secret(settings.per_site_secret.expose())?;
            generators::per_site(&secret, &request.site, domain, settings.site_in_tag)?
        }
    };
    let mut record = AliasRecord::new(
        &address,
        Source::Generator(kind),
        Some(&request.site),
        now,
        settings.default_lifetime,
    )?;
    record.origin = Some(request.origin);
    Ok(record)
}

/// The configuration of an enabled provider account, or a clear error.
pub fn provider_config(
    settings: &Settings,
    provider: Provider,
) -> Result<ProviderConfig, AliasError> {
    let account = settings
        .provider(provider)
        .filter(|p| p.enabled)
        .ok_or_else(|| {
            missing(
                &format!("providers.{}", provider.id()),
                &format!("up your {} account", provider.name()),
            )
        })?;
    if provider.capabilities().needs_key && account.key.is_empty() {
        return Err(AliasError::MissingSetting {
            provider,
            setting: "an API key",
        });
    }
    Ok(account.config())
}

/// The flow that creates an alias at `provider` for the page at `page_url`.
pub fn create_flow(
    settings: &Settings,
    provider: Provider,
    page_url: &str,
    now: u64,
) -> Result<Flow, AliasError> {
    let config = provider_config(settings, provider)?;
    Flow::create(&config, &CreateRequest::for_url(page_url)?, now)
}

/// What a record needs of a flow's [`Outcome`](super::providers::Outcome) as the caller hands
/// it back (its JSON form): the kind, and the alias of one that created it. Read instead of the whole `Outcome`, whose every
/// variant's reader the wasm would otherwise carry for this.
#[derive(Debug, Deserialize)]
pub struct CreatedOutcome {
    kind: String,
    alias: Option<RemoteAlias>,
}

impl CreatedOutcome {
    /// The alias, when the outcome is `Created` or `InboxCreated`.
    fn alias(&self) -> Option<&RemoteAlias> {
        match self.kind.as_str() {
            "created" | "inbox-created" => self.alias.as_ref(),
            _ => None,
        }
    }
}

/// The vault record for what a create flow returned.
pub fn record_from_outcome(
    outcome: &CreatedOutcome,
    page_url: &str,
    lifetime: Lifetime,
    now: u64,
) -> Result<AliasRecord, AliasError> {
    let request = CreateRequest::for_url(page_url)?;
    let Some(alias) = outcome.alias() else {
        return Err(AliasError::Malformed {
            provider: Provider::MailTm,
            what: "the flow did not create an alias".into(),
        });
    };
    let mut record = AliasRecord::from_remote(alias, now, lifetime)?;
    if record.site.is_none() {
        record.site = Some(request.site);
    }
    record.origin = Some(request.origin);
    Ok(record)
}

/// A settings view for the options page: everything but the credentials, which are
/// replaced by whether they are set.
pub fn settings_view(settings: &Settings) -> serde_json::Value {
    let mut view = crate::json::to_value(settings).unwrap_or_default();
    if let Some(obj) = view.as_object_mut() {
        obj.insert(
            "per_site_secret".into(),
            serde_json::Value::Bool(!settings.per_site_secret.is_empty()),
        );
    }
    if let Some(list) = view.get_mut("providers").and_then(|p| p.as_array_mut()) {
        for (entry, account) in list.iter_mut().zip(&settings.providers) {
            if let Some(obj) = entry.as_object_mut() {
                obj.remove("key");
                obj.insert(
                    "has_key".into(),
                    serde_json::Value::Bool(!account.key.is_empty()),
                );
            }
        }
    }
    view
}

/// Applies an options-page edit to the stored settings: `patch` is a settings object in
/// which a provider's missing or empty `key` keeps the stored key (the page never sees
/// keys), and a missing `per_site_secret` keeps the stored secret. The result is validated.
pub fn update_settings(
    current: &Settings,
    patch: &serde_json::Value,
) -> Result<Settings, AliasError> {
    let mut value = patch.clone();
    if let Some(obj) = value.as_object_mut() {
        if !obj.get("per_site_secret").is_some_and(|v| v.is_string()) {
            obj.insert(
                "per_site_secret".into(),
                serde_json::Value::String(current.per_site_secret.expose().to_owned()),
            );
        }
        if let Some(list) = obj.get_mut("providers").and_then(|p| p.as_array_mut()) {
            for entry in list.iter_mut() {
                let Some(e) = entry.as_object_mut() else {
                    continue;
                };
                let keep = !e
                    .get("key")
                    .and_then(|k| k.as_str())
                    .is_some_and(|k| !k.is_empty());
                if keep {
                    let stored = e
                        .get("provider")
                        .and_then(|p| p.as_str())
                        .and_then(Provider::from_id)
                        .and_then(|p| current.provider(p))
                        .map(|p| p.key.expose().to_owned())
                        .unwrap_or_default();
                    e.insert("key".into(), serde_json::Value::String(stored));
                }
                e.remove("has_key");
            }
        }
    }
    let text = serde_json::to_string(&value).map_err(|e| AliasError::InvalidSettings {
        field: "settings".into(),
        reason: e.to_string(),
    })?;
    let mut doc: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| AliasError::InvalidSettings {
            field: "settings".into(),
            reason: e.to_string(),
        })?;
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("format".into(), super::settings::SETTINGS_FORMAT.into());
        obj.insert("schema".into(), super::settings::SETTINGS_SCHEMA.into());
    }
    // Field checks only: a default generator that is not set up yet (a fresh install's
    // catch-all without a domain) must not block saving a provider key; making an alias
    // with it says what is missing.
    Settings::from_json(&crate::json::text(&doc))
}

/// The configuration of the temporary-inbox provider (mail.tm): it needs no account, so
/// the settings may not list it; a listed entry supplies its base URL.
pub fn inbox_config(settings: &Settings) -> ProviderConfig {
    settings
        .provider(Provider::MailTm)
        .map(|p| p.config())
        .unwrap_or_else(|| ProviderConfig::new(Provider::MailTm, ""))
}

/// Fresh settings for a new install: defaults with a new per-site secret.
pub fn initial_settings() -> Result<Settings, AliasError> {
    Ok(Settings {
        per_site_secret: super::http::Secret::new(generators::new_install_secret()?),
        ..Settings::default()
    })
}

/// The records a list shows: those made for `site` (active first, newest first) when a site
/// is given, else those matching `query`, else all, newest first.
pub fn records_to_show<'v>(
    vault: &'v Vault,
    site: Option<&str>,
    query: Option<&str>,
) -> Vec<&'v AliasRecord> {
    match (site, query) {
        (Some(site), _) if !site.is_empty() => vault.for_site(site),
        (_, Some(q)) if !q.is_empty() => vault.search(q),
        _ => vault.records.iter().rev().collect(),
    }
}

/// A message was addressed to one of the user's aliases: which site the alias was made for,
/// and whether the sender belongs to that site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AliasUse {
    /// The alias the message was sent to.
    pub alias: String,
    /// The site (registrable domain) the alias was made for, if known.
    pub site: Option<String>,
    /// The user's label for the alias.
    pub label: Option<String>,
    /// The alias's state (a message to a disabled alias is worth noticing too).
    pub state: AliasState,
    /// The sender's registrable domain (from the `From` address), if it has one.
    pub sender_site: Option<String>,
    /// The sender's site is known and differs from the alias's: the address reached someone
    /// else than the site it was given to (leaked, sold, or shared).
    pub other_sender: bool,
}

/// Most recipients looked up in the vault per message.
pub const MAX_RECIPIENT_LOOKUPS: usize = 50;

/// The user's aliases among `recipients` (addresses, as the message's `To`/`Cc`/`Delivered-To`
/// name them), each with the site it was made for, compared with the registrable domain of
/// `from` (the message's `From` address). Subdomains of the alias's site count as the site
/// (mail from `news.shop.example` for an alias made on `shop.example` is not a leak).
pub fn aliases_addressed(
    vault: &Vault,
    recipients: &[String],
    from: Option<&str>,
) -> Vec<AliasUse> {
    let sender_site = from
        .and_then(|a| a.rsplit_once('@'))
        .and_then(|(_, domain)| crate::site::registrable_domain(domain).ok());
    let mut out: Vec<AliasUse> = Vec::new();
    for address in recipients.iter().take(MAX_RECIPIENT_LOOKUPS) {
        let Some(record) = vault.find_address(address) else {
            continue;
        };
        if out.iter().any(|u| u.alias == record.address) {
            continue;
        }
        // Records made here hold a registrable domain already; an imported one may not.
        let alias_site = record
            .site
            .as_deref()
            .and_then(|s| crate::site::registrable_domain(s).ok());
        let other_sender = match (&alias_site, &sender_site) {
            (Some(site), Some(sender)) => site != sender,
            _ => false,
        };
        out.push(AliasUse {
            alias: record.address.clone(),
            site: record.site.clone(),
            label: record.label.clone(),
            state: record.state,
            sender_site: sender_site.clone(),
            other_sender,
        });
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::alias::providers::Outcome;
    use crate::alias::settings::ProviderSettings;
    use crate::alias::Secret;

    #[test]
    fn a_created_outcome_is_read_from_what_outcome_writes() {
        let alias = RemoteAlias {
            provider: Provider::Addy,
            provider_id: Some("p1".into()),
            address: "x1@addy.example".into(),
            enabled: true,
            note: None,
            site: None,
        };
        let read = |o: &Outcome| {
            let json = serde_json::to_string(o).unwrap();
            serde_json::from_str::<CreatedOutcome>(&json).unwrap()
        };
        let created = read(&Outcome::Created {
            alias: alias.clone(),
        });
        assert_eq!(created.alias(), Some(&alias));
        let deleted = read(&Outcome::Deleted {
            provider_id: "p1".into(),
        });
        assert_eq!(deleted.alias(), None);
        assert!(
            record_from_outcome(&deleted, "https://shop.example/", Lifetime::Never, 1).is_err()
        );
        let record =
            record_from_outcome(&created, "https://shop.example/", Lifetime::Never, 1).unwrap();
        assert_eq!(record.address, alias.address);
    }

    #[test]
    fn vault_ops_read_what_they_write() {
        let record = AliasRecord::from_remote(
            &RemoteAlias {
                provider: Provider::Addy,
                provider_id: Some("p1".into()),
                address: "x1@addy.example".into(),
                enabled: true,
                note: None,
                site: Some("shop.example".into()),
            },
            100,
            Lifetime::OneDay,
        )
        .unwrap();
        let ops = [
            VaultOp::Add { record },
            VaultOp::SetState {
                id: "a".into(),
                state: AliasState::Disabled,
            },
            VaultOp::SetLabel {
                id: "a".into(),
                label: Some("shop".into()),
            },
            VaultOp::SetLabel {
                id: "a".into(),
                label: None,
            },
            VaultOp::SetNote {
                id: "a".into(),
                note: Some("n".into()),
            },
            VaultOp::Remove { id: "a".into() },
            VaultOp::ApplyExpiry { now: 5 },
            VaultOp::Import { text: "t".into() },
            VaultOp::BringIn {
                records: vec![AliasRecord {
                    provider_id: Some("4".into()),
                    state: AliasState::Disabled,
                    ..AliasRecord::new(
                        "x@sl.test",
                        Source::Provider(Provider::SimpleLogin),
                        Some("shop.example"),
                        0,
                        Lifetime::Never,
                    )
                    .unwrap()
                }],
                now: 9,
            },
        ];
        for op in ops {
            let text = serde_json::to_string(&op).unwrap();
            assert_eq!(
                serde_json::from_str::<VaultOp>(&text).unwrap(),
                op,
                "{text}"
            );
        }
        for (text, says) in [
            (r#"{"op":"set-state","id":"a"}"#, "missing field `state`"),
            (r#"{"op":"add"}"#, "missing field `record`"),
            (r#"{"op":"bring-in","now":1}"#, "missing field `records`"),
            (r#"{"op":"frobnicate"}"#, "unknown variant `frobnicate`"),
            (r#"{"id":"a"}"#, "missing field `op`"),
            (r#"{"op":"remove","id":7}"#, "invalid type"),
        ] {
            let e = serde_json::from_str::<VaultOp>(text).unwrap_err();
            assert!(e.to_string().contains(says), "{text}: {e}");
        }
    }

    fn settings() -> Settings {
        Settings {
            catch_all_domain: Some("mine.example".into()),
            own_address: Some("me@mail.example".into()),
            subdomain: Some("me.fastmail.example".into()),
            per_site_secret: Secret::new("11".repeat(32)),
            ..Settings::default()
        }
    }

    #[test]
    fn local_generators_make_records_for_the_site() {
        let s = settings();
        for kind in [
            GeneratorKind::CatchAll,
            GeneratorKind::Plus,
            GeneratorKind::Subdomain,
            GeneratorKind::PerSite,
        ] {
            let r = create_local(&s, kind, "https://login.shop.example.co.uk/join", 1000).unwrap();
            assert_eq!(r.site.as_deref(), Some("example.co.uk"), "{kind:?}");
            assert_eq!(
                r.origin.as_deref(),
                Some("https://login.shop.example.co.uk")
            );
            assert_eq!(r.source, Source::Generator(kind));
            assert_eq!(r.state, AliasState::Active);
            assert_eq!(r.created, 1000);
        }
        let a = create_local(&s, GeneratorKind::PerSite, "https://a.example.org", 1).unwrap();
        let b = create_local(&s, GeneratorKind::PerSite, "https://www.example.org/x", 2).unwrap();
        assert_eq!(a.address, b.address, "per-site is deterministic per site");
    }

    #[test]
    fn missing_settings_are_named() {
        let s = Settings::default();
        let e = create_local(&s, GeneratorKind::CatchAll, "https://x.example", 1).unwrap_err();
        assert!(e.to_string().contains("catch-all domain"), "{e}");
        let e = create_flow(&s, Provider::SimpleLogin, "https://x.example", 1).unwrap_err();
        assert!(e.to_string().contains("SimpleLogin"), "{e}");
    }

    #[test]
    fn vault_ops_apply_and_replay_idempotently() {
        let s = settings();
        let r = create_local(&s, GeneratorKind::CatchAll, "https://x.example", 5).unwrap();
        let add = VaultOp::Add { record: r.clone() };
        let v1 = apply_op(None, &add).unwrap();
        let v2 = apply_op(Some(&v1), &add).unwrap();
        assert_eq!(v1, v2, "replaying an add changes nothing");
        let label = VaultOp::SetLabel {
            id: r.id.clone(),
            label: Some("shop".into()),
        };
        let v3 = apply_op(Some(&v2), &label).unwrap();
        assert_eq!(apply_op(Some(&v3), &label).unwrap(), v3);
        let rm = VaultOp::Remove { id: r.id.clone() };
        let v4 = apply_op(Some(&v3), &rm).unwrap();
        assert_eq!(
            apply_op(Some(&v4), &rm).unwrap(),
            v4,
            "a second removal is harmless"
        );
        assert!(Vault::from_json(&v4).unwrap().records.is_empty());
        let bad = VaultOp::Import {
            text: "{\"not\":\"ours\"}".into(),
        };
        assert!(apply_op(Some(&v3), &bad).is_err());
    }

    #[test]
    fn ops_round_trip_through_json() {
        let op: VaultOp =
            serde_json::from_str(r#"{"op":"set-state","id":"a1","state":"disabled"}"#).unwrap();
        assert_eq!(
            op,
            VaultOp::SetState {
                id: "a1".into(),
                state: AliasState::Disabled
            }
        );
    }

    #[test]
    fn settings_view_hides_credentials_and_update_keeps_them() {
        let mut s = settings();
        s.providers.insert(
            0,
            ProviderSettings {
                provider: Provider::SimpleLogin,
                enabled: true,
                base_url: None,
                key: Secret::new("sl-secret-key"),
                domain: None,
            },
        );
        let view = settings_view(&s);
        let text = view.to_string();
        assert!(
            !text.contains("sl-secret-key") && !text.contains(&"11".repeat(32)),
            "{text}"
        );
        assert_eq!(view["providers"][0]["has_key"], true);
        // The page sends its view back with a change: keys and secret are kept.
        let mut patch = view.clone();
        patch["catch_all_domain"] = "other.example".into();
        let updated = update_settings(&s, &patch).unwrap();
        assert_eq!(updated.catch_all_domain.as_deref(), Some("other.example"));
        assert_eq!(updated.providers[0].key.expose(), "sl-secret-key");
        assert_eq!(updated.per_site_secret.expose(), "11".repeat(32));
        // A new key replaces the stored one; a bad value is refused.
        patch["providers"][0]["key"] = "new-key".into();
        assert_eq!(
            update_settings(&s, &patch).unwrap().providers[0]
                .key
                .expose(),
            "new-key"
        );
        patch["own_address"] = "not an address".into();
        assert!(update_settings(&s, &patch).is_err());
    }

    #[test]
    fn aliases_addressed_names_the_site_and_flags_other_senders() {
        let mut v = Vault::new();
        let shop = AliasRecord::new(
            "shop.k3@alias.example",
            Source::Generator(GeneratorKind::CatchAll),
            Some("https://www.shop.example.co.uk/join"),
            1,
            Lifetime::Never,
        )
        .unwrap();
        let nosite = AliasRecord::new(
            "misc@alias.example",
            Source::Generator(GeneratorKind::CatchAll),
            None,
            1,
            Lifetime::Never,
        )
        .unwrap();
        v.add(shop).unwrap();
        v.add(nosite).unwrap();
        let to = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();

        // From the site itself (a subdomain of it): no warning.
        let got = aliases_addressed(
            &v,
            &to(&["friend@example.org", "SHOP.K3@alias.example"]),
            Some("news@mail.shop.example.co.uk"),
        );
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].alias, "shop.k3@alias.example");
        assert_eq!(got[0].site.as_deref(), Some("example.co.uk"));
        assert_eq!(got[0].sender_site.as_deref(), Some("example.co.uk"));
        assert!(!got[0].other_sender);

        // From somewhere else: flagged; the same alias twice counts once.
        let got = aliases_addressed(
            &v,
            &to(&["shop.k3@alias.example", "shop.k3@alias.example"]),
            Some("deals@spam.example.net"),
        );
        assert_eq!(got.len(), 1);
        assert!(got[0].other_sender);
        assert_eq!(got[0].sender_site.as_deref(), Some("example.net"));

        // No site recorded, or no usable sender: named, never flagged.
        let got = aliases_addressed(&v, &to(&["misc@alias.example"]), Some("x@y.example.com"));
        assert!(!got[0].other_sender);
        let got = aliases_addressed(&v, &to(&["shop.k3@alias.example"]), None);
        assert!(!got[0].other_sender);
        assert_eq!(got[0].sender_site, None);

        // Not an alias: nothing.
        assert!(aliases_addressed(&v, &to(&["bob@example.org"]), None).is_empty());
    }

    #[test]
    fn records_to_show_prefers_the_site_then_the_query_then_all_newest_first() {
        let mut v = Vault::new();
        for (i, (addr, site)) in [
            ("a@x.example", "shop.example"),
            ("b@x.example", "news.example"),
            ("c@x.example", "shop.example"),
        ]
        .iter()
        .enumerate()
        {
            let r = AliasRecord::new(
                addr,
                Source::Generator(GeneratorKind::CatchAll),
                Some(site),
                i as u64,
                Lifetime::Never,
            )
            .unwrap();
            v.add(r).unwrap();
        }
        let addrs =
            |rs: Vec<&AliasRecord>| rs.iter().map(|r| r.address.clone()).collect::<Vec<_>>();
        assert_eq!(
            addrs(records_to_show(&v, Some("shop.example"), Some("b@"))),
            ["c@x.example", "a@x.example"]
        );
        assert_eq!(
            addrs(records_to_show(&v, Some(""), Some("b@"))),
            ["b@x.example"]
        );
        assert_eq!(
            addrs(records_to_show(&v, None, None)),
            ["c@x.example", "b@x.example", "a@x.example"]
        );
        assert_eq!(addrs(records_to_show(&v, None, Some(""))).len(), 3);
    }
}
