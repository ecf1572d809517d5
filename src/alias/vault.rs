//! The alias vault: one record per alias, as a schema-versioned JSON document
//! `{"format":"impalemail-vault","schema":1,"records":[...]}`, and the pure operations
//! the background applies to it (JavaScript holds the storage and the single write queue:
//! read, apply one operation, write).
//!
//! - Records are keyed by address (case-insensitive); the stable local id is derived from
//!   the address (`a` + 16 hex digits of SHA-256), so it is the same on every device.
//! - Older documents are migrated step by step ([`migrate`]); a newer schema is refused.
//! - Import (JSON, or CSV per RFC 4180) returns a **new** vault or an error, never a
//!   half-changed one. Merge: existing records are kept; a record with the same address is
//!   merged conservatively (the existing record wins, its empty fields are filled from the
//!   imported one, the earlier `created` is kept); nothing is ever dropped.
//! - CSV export guards against formula injection (OWASP "CSV Injection"): a cell starting
//!   with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`, which import removes again.
//! - The vault never holds API keys or inbox passwords (those live in [`super::Settings`]
//!   and in JavaScript's per-record inbox storage), so an export is safe to hand around.
//!
//! Times are unix seconds.

use super::error::AliasError;
use super::generators::{self, GeneratorKind};
use super::providers::{Provider, RemoteAlias};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// The `format` marker of a vault document.
pub const VAULT_FORMAT: &str = "impalemail-vault";
/// The schema this build writes (and the newest it reads).
pub const VAULT_SCHEMA: u32 = 1;
/// Most records a vault holds (and an import may bring).
pub const MAX_VAULT_RECORDS: usize = 10_000;
/// Largest file accepted by import, in bytes.
pub const MAX_IMPORT_BYTES: usize = 8 * 1024 * 1024;
/// Longest label or note, in characters.
pub const MAX_TEXT_CHARS: usize = 1000;
/// Longest custom lifetime: ten years, in seconds.
pub const MAX_LIFETIME_SECS: u64 = 10 * 366 * 86_400;
/// The CSV header line, in column order.
pub const CSV_HEADER: &str =
    "id,address,source,provider_id,site,origin,created,expires,state,label,note";

/// Where an alias comes from: a provider, or a local generator. In documents, its id (a
/// string: `simplelogin`, `catch-all`, ...; the serde impls below).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Created at a provider.
    Provider(Provider),
    /// Made by a local generator.
    Generator(GeneratorKind),
}

impl Serialize for Source {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.id())
    }
}

/// (By hand rather than `#[serde(untagged)]`, which buffers the input in serde's private
/// `Content` and tries each variant's reader in turn: more code in the wasm for one string.)
impl<'de> Deserialize<'de> for Source {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let id = String::deserialize(d)?;
        Source::from_id(&id).ok_or_else(|| {
            serde::de::Error::invalid_value(
                serde::de::Unexpected::Str(&id),
                &"a provider or generator id",
            )
        })
    }
}

impl Source {
    /// The id written in documents (`simplelogin`, `catch-all`, ...).
    pub fn id(self) -> String {
        match self {
            Source::Provider(p) => p.id(),
            Source::Generator(g) => g.id(),
        }
        .to_string()
    }
    /// The source with this id.
    pub fn from_id(id: &str) -> Option<Source> {
        Provider::from_id(id).map(Source::Provider).or_else(|| {
            GeneratorKind::ALL
                .into_iter()
                .find(|g| g.id() == id)
                .map(Source::Generator)
        })
    }
    /// The provider, if any.
    pub fn provider(self) -> Option<Provider> {
        match self {
            Source::Provider(p) => Some(p),
            Source::Generator(_) => None,
        }
    }
}

/// The life of an alias. (`Ord` only breaks exact ties in sync's merge: `alias::sync`.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AliasState {
    /// Forwards mail.
    Active,
    /// Turned off by the user (or at the provider).
    Disabled,
    /// Its lifetime ran out; the background disabled it.
    Expired,
    /// The provider no longer has it.
    DeletedAtProvider,
}

impl AliasState {
    /// The id written in documents.
    pub fn id(self) -> &'static str {
        match self {
            AliasState::Active => "active",
            AliasState::Disabled => "disabled",
            AliasState::Expired => "expired",
            AliasState::DeletedAtProvider => "deleted-at-provider",
        }
    }
    /// The state with this id.
    pub fn from_id(s: &str) -> Option<Self> {
        [
            AliasState::Active,
            AliasState::Disabled,
            AliasState::Expired,
            AliasState::DeletedAtProvider,
        ]
        .into_iter()
        .find(|st| st.id() == s)
    }
}

/// How long a new alias lives. In documents, internally tagged: `{"kind": "one-day"}`,
/// `{"kind": "custom", "secs": 600}` (the `Deserialize` below).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Lifetime {
    /// Until the user acts.
    #[default]
    Never,
    /// One hour.
    OneHour,
    /// One day.
    OneDay,
    /// Seven days: a fresh install's default (a signup's confirmation mail and the first
    /// weeks' newsletters arrive; a forgotten alias does not live on).
    SevenDays,
    /// Thirty days.
    ThirtyDays,
    /// A custom number of seconds (1 ..= [`MAX_LIFETIME_SECS`]).
    Custom {
        /// Seconds.
        secs: u64,
    },
}

/// The kinds, as `Serialize` writes them.
const LIFETIME_KINDS: &[&str] = &[
    "never",
    "one-hour",
    "one-day",
    "seven-days",
    "thirty-days",
    "custom",
];

/// Read through one flat record (`kind`, `secs`) instead of serde's derive for internally
/// tagged enums, which buffers the input in its private `Content` type first (more code in
/// the wasm, as for `service::VaultOp`).
impl<'de> Deserialize<'de> for Lifetime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        #[derive(Deserialize)]
        struct Flat {
            kind: String,
            secs: Option<u64>,
        }
        let f = Flat::deserialize(d)?;
        Ok(match f.kind.as_str() {
            "never" => Lifetime::Never,
            "one-hour" => Lifetime::OneHour,
            "one-day" => Lifetime::OneDay,
            "seven-days" => Lifetime::SevenDays,
            "thirty-days" => Lifetime::ThirtyDays,
            "custom" => Lifetime::Custom {
                secs: f.secs.ok_or_else(|| D::Error::missing_field("secs"))?,
            },
            other => return Err(D::Error::unknown_variant(other, LIFETIME_KINDS)),
        })
    }
}

impl Lifetime {
    /// The duration in seconds, `None` for [`Lifetime::Never`].
    pub fn secs(self) -> Option<u64> {
        match self {
            Lifetime::Never => None,
            Lifetime::OneHour => Some(3600),
            Lifetime::OneDay => Some(86_400),
            Lifetime::SevenDays => Some(7 * 86_400),
            Lifetime::ThirtyDays => Some(30 * 86_400),
            Lifetime::Custom { secs } => Some(secs),
        }
    }
    /// `created + lifetime`.
    pub fn expires(self, created: u64) -> Option<u64> {
        self.secs().map(|s| created.saturating_add(s))
    }
    /// Checks a custom lifetime's range.
    pub fn validate(self) -> Result<(), AliasError> {
        match self {
            Lifetime::Custom { secs } if secs == 0 || secs > MAX_LIFETIME_SECS => {
                Err(AliasError::InvalidSettings {
                    field: "lifetime".into(),
                    reason: format!("a custom lifetime must be 1 to {MAX_LIFETIME_SECS} seconds"),
                })
            }
            _ => Ok(()),
        }
    }
}

/// One alias.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AliasRecord {
    /// Stable local id, see [`record_id`].
    pub id: String,
    /// The address.
    pub address: String,
    /// Provider or generator.
    pub source: Source,
    /// The provider's id (for disable/delete).
    #[serde(default)]
    pub provider_id: Option<String>,
    /// Registrable domain it was made for.
    #[serde(default)]
    pub site: Option<String>,
    /// Origin of the page it was made on.
    #[serde(default)]
    pub origin: Option<String>,
    /// Creation time, unix seconds.
    pub created: u64,
    /// Expiry time, unix seconds.
    #[serde(default)]
    pub expires: Option<u64>,
    /// State.
    pub state: AliasState,
    /// User's label.
    #[serde(default)]
    pub label: Option<String>,
    /// Note.
    #[serde(default)]
    pub note: Option<String>,
}

/// The stable id of an address: `a` + the first 16 hex digits of SHA-256 of the
/// lowercased address.
pub fn record_id(address: &str) -> String {
    let digest = Sha256::digest(crate::case::lowercase(address.trim()).as_bytes());
    format!("a{}", generators::hex(&digest[..8]))
}

impl AliasRecord {
    /// A new active record; `site` may be a URL or host (normalized to its registrable
    /// domain); `expires = created + lifetime`.
    pub fn new(
        address: &str,
        source: Source,
        site: Option<&str>,
        created: u64,
        lifetime: Lifetime,
    ) -> Result<Self, AliasError> {
        lifetime.validate()?;
        let address = generators::validate_address(address)?;
        let site = site
            .filter(|s| !s.trim().is_empty())
            .map(crate::site::registrable_domain)
            .transpose()?;
        Ok(AliasRecord {
            id: record_id(&address),
            address,
            source,
            provider_id: None,
            site,
            origin: None,
            created,
            expires: lifetime.expires(created),
            state: AliasState::Active,
            label: None,
            note: None,
        })
    }

    /// A record for an alias a provider created or listed.
    pub fn from_remote(
        remote: &RemoteAlias,
        created: u64,
        lifetime: Lifetime,
    ) -> Result<Self, AliasError> {
        let mut r = AliasRecord::new(
            &remote.address,
            Source::Provider(remote.provider),
            remote.site.as_deref(),
            created,
            lifetime,
        )?;
        r.provider_id = remote.provider_id.clone();
        r.note = remote.note.clone();
        if !remote.enabled {
            r.state = AliasState::Disabled;
        }
        Ok(r)
    }

    /// Empty optional texts become absent: the CSV export cannot tell `""` from none, so a
    /// record must read back the same from either format (found by `fuzz/` target `vault`).
    fn normalized(mut self) -> Self {
        for f in [
            &mut self.provider_id,
            &mut self.site,
            &mut self.origin,
            &mut self.label,
            &mut self.note,
        ] {
            if f.as_deref() == Some("") {
                *f = None;
            }
        }
        self
    }

    /// The record as a vault would hold it (empty texts absent), or why it cannot be held.
    pub(crate) fn checked(self) -> Result<Self, AliasError> {
        let r = self.normalized();
        r.validate(0)?;
        Ok(r)
    }

    fn validate(&self, position: usize) -> Result<(), AliasError> {
        let bad = |reason: String| AliasError::InvalidRecord {
            record: format!(
                "#{} ({})",
                position + 1,
                self.address.chars().take(80).collect::<String>()
            ),
            reason,
        };
        generators::validate_address(&self.address).map_err(|e| bad(e.to_string()))?;
        if self.id.is_empty() || self.id.len() > 64 {
            return Err(bad("the id is empty or longer than 64 characters".into()));
        }
        for (name, text) in [("label", &self.label), ("note", &self.note)] {
            if text
                .as_ref()
                .is_some_and(|t| t.chars().count() > MAX_TEXT_CHARS)
            {
                return Err(bad(format!(
                    "the {name} is longer than {MAX_TEXT_CHARS} characters"
                )));
            }
        }
        for (name, text) in [
            ("site", &self.site),
            ("origin", &self.origin),
            ("provider_id", &self.provider_id),
        ] {
            if text.as_ref().is_some_and(|t| t.len() > 2048) {
                return Err(bad(format!("the {name} is too long")));
            }
        }
        if self.expires.is_some_and(|e| e < self.created) {
            return Err(bad("it expires before it was created".into()));
        }
        Ok(())
    }

    fn key(&self) -> String {
        crate::case::lowercase(&self.address)
    }

    /// Fills this record's empty fields from `other` (same address).
    fn absorb(&mut self, other: &AliasRecord) {
        fn fill(a: &mut Option<String>, b: &Option<String>) {
            if a.is_none() {
                a.clone_from(b);
            }
        }
        fill(&mut self.provider_id, &other.provider_id);
        fill(&mut self.site, &other.site);
        fill(&mut self.origin, &other.origin);
        fill(&mut self.label, &other.label);
        fill(&mut self.note, &other.note);
        if self.expires.is_none() {
            self.expires = other.expires;
        }
        self.created = self.created.min(other.created);
    }
}

/// The state of a known alias after its provider reported it on (`enabled`) or off: the
/// provider's word, except that an expired alias stays expired (its lifetime ran out here;
/// making it active again would only have the expiry turn it off at the provider again).
pub fn state_from_provider(local: AliasState, enabled: bool) -> AliasState {
    match (local, enabled) {
        (AliasState::Expired, _) => AliasState::Expired,
        (_, true) => AliasState::Active,
        (_, false) => AliasState::Disabled,
    }
}

/// The site a provider's note names: the first word that is a URL or a host name with a
/// dot and a top label of letters ("generated by ImpaleMail for example.co.uk", Bitwarden's
/// "Website: example.com. Generated by Bitwarden."), as its registrable domain. Addresses
/// (`me@home.example`) and abbreviations ("e.g.") are not sites.
pub fn site_in_note(note: &str) -> Option<String> {
    note.split_whitespace().find_map(|word| {
        let w = word.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '/');
        let host = crate::site::host(w).ok()?;
        let top = host.rsplit('.').next()?;
        let named = host.contains('.')
            && !w.contains('@')
            && top.len() >= 2
            && top.chars().all(|c| c.is_ascii_alphabetic());
        if !named {
            return None;
        }
        crate::site::registrable_domain(&host).ok()
    })
}

/// What [`Vault::add`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Added {
    /// A new record.
    New {
        /// Its id.
        id: String,
    },
    /// The address was known; the record was merged into the existing one.
    Merged {
        /// The existing id.
        id: String,
    },
}

/// The vault document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Vault {
    /// Records, in insertion order.
    pub records: Vec<AliasRecord>,
}

#[derive(Serialize)]
struct DocOut<'a> {
    format: &'static str,
    schema: u32,
    records: &'a [AliasRecord],
}

#[derive(Deserialize)]
struct DocIn {
    records: Vec<AliasRecord>,
}

/// Upgrades a parsed document from schema `from` to [`VAULT_SCHEMA`], one step at a time.
///
/// Schema 0 is the pre-release prototype's shape, kept to prove the mechanism:
/// `{"schema":0,"aliases":[{"email","service","website","createdAt"(ms),"enabled","label"}]}`.
pub fn migrate(mut doc: Value, from: u64) -> Result<Value, AliasError> {
    let mut schema = from;
    while schema < u64::from(VAULT_SCHEMA) {
        doc = match schema {
            0 => migrate_v0_to_v1(doc)?,
            _ => {
                return Err(AliasError::ImportForeign {
                    reason: "unknown old schema",
                })
            }
        };
        schema += 1;
    }
    Ok(doc)
}

fn migrate_v0_to_v1(doc: Value) -> Result<Value, AliasError> {
    let malformed = |reason: String| AliasError::ImportMalformed { reason };
    let aliases = doc
        .get("aliases")
        .and_then(Value::as_array)
        .ok_or_else(|| malformed("schema 0: `aliases` is not a list".into()))?;
    let mut records = Vec::with_capacity(aliases.len());
    for (i, a) in aliases.iter().enumerate() {
        let field = |k: &str| a.get(k).and_then(Value::as_str).map(str::to_string);
        let email = field("email")
            .ok_or_else(|| malformed(format!("schema 0: alias #{}: no `email`", i + 1)))?;
        let source = match field("service").as_deref() {
            None | Some("catchall") | Some("local") => "catch-all".to_string(),
            Some(s) => s.to_string(),
        };
        let site = field("website").and_then(|w| crate::site::registrable_domain(&w).ok());
        let created_ms = a.get("createdAt").and_then(Value::as_u64).unwrap_or(0);
        let enabled = a.get("enabled").and_then(Value::as_bool).unwrap_or(true);
        records.push(serde_json::json!({
            "id": record_id(&email),
            "address": email,
            "source": source,
            "site": site,
            "created": created_ms / 1000,
            "state": if enabled { "active" } else { "disabled" },
            "label": field("label"),
        }));
    }
    Ok(serde_json::json!({ "format": VAULT_FORMAT, "schema": 1, "records": records }))
}

fn check_size(text: &str) -> Result<(), AliasError> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(AliasError::TooLarge {
            what: "the file",
            len: text.len(),
            max: MAX_IMPORT_BYTES,
        });
    }
    Ok(())
}

impl Vault {
    /// An empty vault.
    pub fn new() -> Self {
        Vault::default()
    }

    /// Reads a stored or exported document (migrating older schemas).
    pub fn from_json(text: &str) -> Result<Vault, AliasError> {
        check_size(text)?;
        let value: Value = serde_json::from_str(text).map_err(|e| AliasError::ImportMalformed {
            reason: format!("not JSON ({e})"),
        })?;
        let Value::Object(obj) = &value else {
            return Err(AliasError::ImportForeign {
                reason: "the file is not a JSON object",
            });
        };
        let schema = obj.get("schema").and_then(Value::as_u64);
        let value = match (obj.get("format").and_then(Value::as_str), schema) {
            (Some(VAULT_FORMAT), Some(s)) if s > u64::from(VAULT_SCHEMA) => {
                return Err(AliasError::FutureSchema {
                    found: s,
                    supported: VAULT_SCHEMA,
                })
            }
            (Some(VAULT_FORMAT), Some(s)) => migrate(value, s)?,
            (Some(VAULT_FORMAT), None) => {
                return Err(AliasError::ImportMalformed {
                    reason: "`schema` is missing or not a number".into(),
                })
            }
            (None, Some(0)) if obj.contains_key("aliases") => migrate(value, 0)?,
            _ => {
                return Err(AliasError::ImportForeign {
                    reason: "no \"format\": \"impalemail-vault\" marker",
                })
            }
        };
        let count = value
            .get("records")
            .and_then(Value::as_array)
            .map(Vec::len)
            .ok_or_else(|| AliasError::ImportMalformed {
                reason: "`records` is missing or not a list".into(),
            })?;
        if count > MAX_VAULT_RECORDS {
            return Err(AliasError::TooLarge {
                what: "the number of aliases",
                len: count,
                max: MAX_VAULT_RECORDS,
            });
        }
        let doc: DocIn =
            serde_json::from_value(value).map_err(|e| AliasError::ImportMalformed {
                reason: format!("a record has a missing or wrong field ({e})"),
            })?;
        Vault::from_records(doc.records)
    }

    /// Validates records and merges duplicates among them.
    fn from_records(records: Vec<AliasRecord>) -> Result<Vault, AliasError> {
        let mut v = Vault::new();
        for (i, r) in records.into_iter().enumerate() {
            let r = r.normalized();
            r.validate(i)?;
            v.insert_or_merge(r);
        }
        Ok(v)
    }

    fn index_of_address(&self, address: &str) -> Option<usize> {
        let key = crate::case::lowercase(address);
        self.records.iter().position(|r| r.key() == key)
    }

    fn index_of(&self, id: &str) -> Result<usize, AliasError> {
        self.records
            .iter()
            .position(|r| r.id == id)
            .ok_or_else(|| AliasError::UnknownRecord { id: id.to_string() })
    }

    fn insert_or_merge(&mut self, r: AliasRecord) -> Added {
        match self.index_of_address(&r.address) {
            Some(i) => {
                self.records[i].absorb(&r);
                Added::Merged {
                    id: self.records[i].id.clone(),
                }
            }
            None => {
                let id = r.id.clone();
                self.records.push(r);
                Added::New { id }
            }
        }
    }

    /// The document as stored: `{"format","schema","records"}` (also the JSON export).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&DocOut {
            format: VAULT_FORMAT,
            schema: VAULT_SCHEMA,
            records: &self.records,
        })
        .unwrap_or_default()
    }

    /// Adds a record; a known address (case-insensitive) is merged, not duplicated.
    pub fn add(&mut self, record: AliasRecord) -> Result<Added, AliasError> {
        let record = record.normalized();
        record.validate(self.records.len())?;
        if self.index_of_address(&record.address).is_none()
            && self.records.len() >= MAX_VAULT_RECORDS
        {
            return Err(AliasError::TooLarge {
                what: "the vault",
                len: self.records.len() + 1,
                max: MAX_VAULT_RECORDS,
            });
        }
        Ok(self.insert_or_merge(record))
    }

    /// The record with this id.
    pub fn get(&self, id: &str) -> Option<&AliasRecord> {
        self.records.iter().find(|r| r.id == id)
    }

    /// The record with this address (case-insensitive).
    pub fn find_address(&self, address: &str) -> Option<&AliasRecord> {
        self.index_of_address(address).map(|i| &self.records[i])
    }

    /// Sets a record's state.
    pub fn set_state(&mut self, id: &str, state: AliasState) -> Result<(), AliasError> {
        let i = self.index_of(id)?;
        self.records[i].state = state;
        Ok(())
    }

    /// Sets (or with `None`/empty, clears) a record's label.
    pub fn set_label(&mut self, id: &str, label: Option<&str>) -> Result<(), AliasError> {
        let i = self.index_of(id)?;
        self.records[i].label = clean_text(id, "label", label)?;
        Ok(())
    }

    /// Sets (or clears) a record's note.
    pub fn set_note(&mut self, id: &str, note: Option<&str>) -> Result<(), AliasError> {
        let i = self.index_of(id)?;
        self.records[i].note = clean_text(id, "note", note)?;
        Ok(())
    }

    /// Removes a record and returns it.
    pub fn remove(&mut self, id: &str) -> Result<AliasRecord, AliasError> {
        let i = self.index_of(id)?;
        Ok(self.records.remove(i))
    }

    /// The aliases made for the site of `site` (URL, host or registrable domain): active
    /// first, then newest first. Empty if `site` is not a site.
    pub fn for_site(&self, site: &str) -> Vec<&AliasRecord> {
        let Ok(site) = crate::site::registrable_domain(site) else {
            return Vec::new();
        };
        let mut out: Vec<&AliasRecord> = self
            .records
            .iter()
            .filter(|r| r.site.as_deref() == Some(site.as_str()))
            .collect();
        crate::sort::sort_by_key(&mut out, |r| {
            (r.state != AliasState::Active, std::cmp::Reverse(r.created))
        });
        out
    }

    /// Records whose address, site, label or note contains `query` (case-insensitive),
    /// newest first. An empty query matches all.
    pub fn search(&self, query: &str) -> Vec<&AliasRecord> {
        let q = crate::case::lowercase(query.trim());
        let mut out: Vec<&AliasRecord> = self
            .records
            .iter()
            .filter(|r| {
                q.is_empty()
                    || [
                        Some(&r.address),
                        r.site.as_ref(),
                        r.label.as_ref(),
                        r.note.as_ref(),
                    ]
                    .into_iter()
                    .flatten()
                    .any(|f| crate::case::lowercase(f).contains(&q))
            })
            .collect();
        crate::sort::sort_by_key(&mut out, |r| std::cmp::Reverse(r.created));
        out
    }

    /// Active records whose `expires` is at or before `now`: the background disables the
    /// provider ones (those with a provider id) and then calls [`Vault::apply_expiry`].
    pub fn due_for_expiry(&self, now: u64) -> Vec<&AliasRecord> {
        self.records
            .iter()
            .filter(|r| r.state == AliasState::Active && r.expires.is_some_and(|e| e <= now))
            .collect()
    }

    /// Marks every due record [`AliasState::Expired`]; returns their ids.
    pub fn apply_expiry(&mut self, now: u64) -> Vec<String> {
        let mut ids = Vec::new();
        for r in &mut self.records {
            if r.state == AliasState::Active && r.expires.is_some_and(|e| e <= now) {
                r.state = AliasState::Expired;
                ids.push(r.id.clone());
            }
        }
        ids
    }

    /// The earliest future expiry, for the background's alarm.
    pub fn next_expiry(&self, now: u64) -> Option<u64> {
        self.records
            .iter()
            .filter(|r| r.state == AliasState::Active)
            .filter_map(|r| r.expires)
            .filter(|&e| e > now)
            .min()
    }

    /// Merges `other` into a copy of this vault (see the module docs for the rules).
    pub fn merge(&self, other: Vault) -> Result<Vault, AliasError> {
        let mut out = self.clone();
        for r in other.records {
            if out.index_of_address(&r.address).is_none() && out.records.len() >= MAX_VAULT_RECORDS
            {
                return Err(AliasError::TooLarge {
                    what: "the vault after import",
                    len: out.records.len() + 1,
                    max: MAX_VAULT_RECORDS,
                });
            }
            out.insert_or_merge(r);
        }
        Ok(out)
    }

    /// Brings in the aliases a provider account lists (options, "Bring in my aliases"): a
    /// new address becomes a record (no expiry, created `now`, the site from the provider's
    /// field or note, [`site_in_note`]); a known one keeps its local label and note and only
    /// gets what it lacks, the provider's id (the provider's own, for a record of that
    /// provider) and the state the provider reports ([`state_from_provider`]). An address the
    /// vault cannot hold is left out; a vault that would grow past [`MAX_VAULT_RECORDS`] is
    /// refused and nothing changes. Idempotent, like every journalled operation.
    ///
    /// `listed`: the list flow's [`RemoteAlias`]es as records (the reader the vault already
    /// has, rather than one more in the wasm): `source` the provider, `state` `active` or
    /// `disabled` as the provider reports, `site` the provider's site field as given, `note`
    /// its note; `id`, `created` and the rest are not read.
    pub fn bring_in(&mut self, listed: &[AliasRecord], now: u64) -> Result<(), AliasError> {
        let mut out = self.clone();
        for l in listed {
            let site = l
                .site
                .as_deref()
                .and_then(|s| crate::site::registrable_domain(s).ok())
                .or_else(|| l.note.as_deref().and_then(site_in_note));
            let note = l
                .note
                .as_ref()
                .map(|n| n.chars().take(MAX_TEXT_CHARS).collect::<String>());
            let enabled = l.state != AliasState::Disabled;
            let Some(i) = out.index_of_address(&l.address) else {
                let Ok(address) = generators::validate_address(&l.address) else {
                    continue;
                };
                let Ok(r) = (AliasRecord {
                    id: record_id(&address),
                    address,
                    site,
                    note,
                    origin: None,
                    created: now,
                    expires: None,
                    state: state_from_provider(AliasState::Active, enabled),
                    label: None,
                    ..l.clone()
                })
                .checked() else {
                    continue;
                };
                if out.records.len() >= MAX_VAULT_RECORDS {
                    return Err(AliasError::TooLarge {
                        what: "the vault after bringing in the aliases",
                        len: out.records.len() + 1,
                        max: MAX_VAULT_RECORDS,
                    });
                }
                out.records.push(r);
                continue;
            };
            let r = &mut out.records[i];
            if r.source == l.source && l.provider_id.is_some() {
                r.provider_id.clone_from(&l.provider_id);
            }
            let from_provider = AliasRecord {
                site,
                note,
                provider_id: l.provider_id.clone(),
                ..r.clone()
            };
            r.absorb(&from_provider);
            r.state = state_from_provider(r.state, enabled);
        }
        *self = out;
        Ok(())
    }

    /// Imports a JSON export into a copy of this vault.
    pub fn import_json(&self, text: &str) -> Result<Vault, AliasError> {
        self.merge(Vault::from_json(text)?)
    }

    /// Imports a CSV export into a copy of this vault.
    pub fn import_csv(&self, text: &str) -> Result<Vault, AliasError> {
        self.merge(Vault::from_csv(text)?)
    }

    /// Imports either format, told apart by the first non-blank character.
    pub fn import(&self, text: &str) -> Result<Vault, AliasError> {
        if text.trim_start().starts_with(['{', '[']) {
            self.import_json(text)
        } else {
            self.import_csv(text)
        }
    }

    /// The JSON export (the stored document; it holds no keys).
    pub fn export_json(&self) -> String {
        self.to_json()
    }

    /// The CSV export: [`CSV_HEADER`], then one CRLF-terminated line per record.
    pub fn export_csv(&self) -> String {
        let mut out = String::from(CSV_HEADER);
        out.push_str("\r\n");
        for r in &self.records {
            let num = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
            let s = |o: &Option<String>| o.clone().unwrap_or_default();
            let cells = [
                r.id.clone(),
                r.address.clone(),
                r.source.id(),
                s(&r.provider_id),
                s(&r.site),
                s(&r.origin),
                r.created.to_string(),
                num(r.expires),
                r.state.id().to_string(),
                s(&r.label),
                s(&r.note),
            ];
            let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
            out.push_str(&line.join(","));
            out.push_str("\r\n");
        }
        out
    }

    /// Reads a CSV export.
    pub fn from_csv(text: &str) -> Result<Vault, AliasError> {
        check_size(text)?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let rows = parse_csv(text)?;
        let mut rows = rows.into_iter();
        let header = rows.next().unwrap_or_default();
        let expected: Vec<&str> = CSV_HEADER.split(',').collect();
        if header
            .iter()
            .map(String::as_str)
            .ne(expected.iter().copied())
        {
            return Err(AliasError::ImportForeign {
                reason: "the first line is not ImpaleMail's CSV header",
            });
        }
        let mut records = Vec::new();
        for (i, row) in rows.enumerate() {
            if row.len() == 1 && row[0].is_empty() {
                continue;
            }
            if records.len() >= MAX_VAULT_RECORDS {
                return Err(AliasError::TooLarge {
                    what: "the number of aliases",
                    len: records.len() + 1,
                    max: MAX_VAULT_RECORDS,
                });
            }
            let line = i + 2;
            let bad = |reason: String| AliasError::ImportMalformed {
                reason: format!("line {line}: {reason}"),
            };
            if row.len() != expected.len() {
                return Err(bad(format!(
                    "{} cells, expected {}",
                    row.len(),
                    expected.len()
                )));
            }
            let cell = |k: usize| uncell(&row[k]);
            let opt = |k: usize| Some(cell(k)).filter(|s| !s.is_empty());
            let number = |k: usize| -> Result<Option<u64>, AliasError> {
                let c = cell(k);
                if c.is_empty() {
                    return Ok(None);
                }
                c.parse::<u64>().map(Some).map_err(|_| {
                    bad(format!(
                        "`{}` is not a number of seconds",
                        c.chars().take(40).collect::<String>()
                    ))
                })
            };
            records.push(AliasRecord {
                id: cell(0),
                address: cell(1),
                source: Source::from_id(&cell(2)).ok_or_else(|| {
                    bad(format!(
                        "unknown source `{}`",
                        cell(2).chars().take(40).collect::<String>()
                    ))
                })?,
                provider_id: opt(3),
                site: opt(4),
                origin: opt(5),
                created: number(6)?.ok_or_else(|| bad("`created` is empty".into()))?,
                expires: number(7)?,
                state: AliasState::from_id(&cell(8)).ok_or_else(|| {
                    bad(format!(
                        "unknown state `{}`",
                        cell(8).chars().take(40).collect::<String>()
                    ))
                })?,
                label: opt(9),
                note: opt(10),
            });
        }
        Vault::from_records(records)
    }
}

fn clean_text(id: &str, field: &str, text: Option<&str>) -> Result<Option<String>, AliasError> {
    let t = text.map(str::trim).filter(|t| !t.is_empty());
    if t.is_some_and(|t| t.chars().count() > MAX_TEXT_CHARS) {
        return Err(AliasError::InvalidRecord {
            record: id.to_string(),
            reason: format!("the {field} is longer than {MAX_TEXT_CHARS} characters"),
        });
    }
    Ok(t.map(str::to_string))
}

/// Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether `value` needs the formula guard: it starts with a formula character, possibly
/// after quotes (so that a value that itself starts with `'=` survives export and import:
/// the guard adds one quote and [`uncell`] removes exactly one).
fn needs_guard(value: &str) -> bool {
    value.trim_start_matches('\'').starts_with(FORMULA_START)
}

/// One CSV cell: formula guard, then RFC 4180 quoting when needed.
fn csv_cell(value: &str) -> String {
    let guarded = if needs_guard(value) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if guarded.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// Undoes the formula guard of [`csv_cell`].
fn uncell(value: &str) -> String {
    match value.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest.to_string(),
        _ => value.to_string(),
    }
}

/// Parses RFC 4180 CSV (CRLF or LF line ends, `""` escapes inside quoted fields).
fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, AliasError> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut line = 1usize;
    let mut quoted = false;
    let mut at_field_start = true;
    while let Some(ch) = chars.next() {
        if quoted {
            match ch {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => {
                    quoted = false;
                    if !matches!(chars.peek(), None | Some(',') | Some('\r') | Some('\n')) {
                        return Err(AliasError::ImportMalformed {
                            reason: format!("line {line}: text after a closing quote"),
                        });
                    }
                }
                '\n' => {
                    line += 1;
                    field.push(ch);
                }
                _ => field.push(ch),
            }
            continue;
        }
        match ch {
            '"' if at_field_start => {
                quoted = true;
                at_field_start = false;
            }
            '"' => {
                return Err(AliasError::ImportMalformed {
                    reason: format!("line {line}: a quote inside an unquoted cell"),
                })
            }
            ',' => {
                row.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
                at_field_start = true;
                line += 1;
            }
            _ => {
                field.push(ch);
                at_field_start = false;
            }
        }
    }
    if quoted {
        return Err(AliasError::ImportMalformed {
            reason: format!("line {line}: unterminated quote"),
        });
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    Ok(rows)
}

/// Counts of records by state, for the popup.
pub fn counts(vault: &Vault) -> HashMap<&'static str, usize> {
    let mut m = HashMap::new();
    for r in &vault.records {
        *m.entry(r.state.id()).or_insert(0) += 1;
    }
    m
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_lifetimes_read_what_they_write() {
        let sources: Vec<Source> = Provider::ALL
            .into_iter()
            .map(Source::Provider)
            .chain(GeneratorKind::ALL.into_iter().map(Source::Generator))
            .collect();
        for s in sources {
            let text = serde_json::to_string(&s).unwrap();
            assert_eq!(text, format!("\"{}\"", s.id()));
            assert_eq!(serde_json::from_str::<Source>(&text).unwrap(), s);
        }
        let e = serde_json::from_str::<Source>("\"gmail\"").unwrap_err();
        assert!(e.to_string().contains("a provider or generator id"), "{e}");
        assert!(serde_json::from_str::<Source>("3").is_err());
        for l in [
            Lifetime::Never,
            Lifetime::OneHour,
            Lifetime::OneDay,
            Lifetime::SevenDays,
            Lifetime::ThirtyDays,
            Lifetime::Custom { secs: 600 },
        ] {
            let text = serde_json::to_string(&l).unwrap();
            assert_eq!(
                serde_json::from_str::<Lifetime>(&text).unwrap(),
                l,
                "{text}"
            );
        }
        assert_eq!(
            serde_json::from_str::<Lifetime>(r#"{"kind":"custom","secs":7}"#).unwrap(),
            Lifetime::Custom { secs: 7 }
        );
        let e = serde_json::from_str::<Lifetime>(r#"{"kind":"custom"}"#).unwrap_err();
        assert!(e.to_string().contains("missing field `secs`"), "{e}");
        let e = serde_json::from_str::<Lifetime>(r#"{"kind":"forever"}"#).unwrap_err();
        assert!(e.to_string().contains("unknown variant `forever`"), "{e}");
        assert!(serde_json::from_str::<Lifetime>(r#"{"secs":7}"#).is_err());
    }

    #[test]
    fn csv_cells_are_quoted_and_guarded() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_cell("@SUM,1"), "\"'@SUM,1\"");
        assert_eq!(uncell("'=x"), "=x");
        assert_eq!(uncell("'quoted"), "'quoted");
        // A value that starts with the guard itself keeps it through export and import.
        assert_eq!(csv_cell("'=x"), "''=x");
        assert_eq!(uncell("''=x"), "'=x");
        assert_eq!(csv_cell("'x"), "'x");
        assert_eq!(uncell("'x"), "'x");
    }

    #[test]
    fn empty_texts_are_absent_so_csv_round_trips() {
        let doc = r#"{"format":"impalemail-vault","schema":1,"records":[{"id":"a1","address":"a@b.example","source":"catch-all","created":1,"state":"active","label":"","note":"","site":"","origin":"","provider_id":""}]}"#;
        let v = Vault::from_json(doc).unwrap();
        let r = &v.records[0];
        assert_eq!(
            (&r.label, &r.note, &r.site, &r.origin, &r.provider_id),
            (&None, &None, &None, &None, &None)
        );
        assert_eq!(Vault::from_csv(&v.export_csv()).unwrap(), v);
    }

    #[test]
    fn csv_parser_handles_rfc4180() {
        let rows = parse_csv("a,\"b,c\",\"d\"\"e\"\r\n\"multi\nline\",,x\n").unwrap();
        assert_eq!(rows[0], vec!["a", "b,c", "d\"e"]);
        assert_eq!(rows[1], vec!["multi\nline", "", "x"]);
        assert!(parse_csv("a,\"b").is_err());
        assert!(parse_csv("a,b\"c").is_err());
    }

    #[test]
    fn lifetimes() {
        assert_eq!(Lifetime::Never.expires(100), None);
        assert_eq!(Lifetime::OneHour.expires(100), Some(3700));
        assert_eq!(Lifetime::OneDay.expires(0), Some(86_400));
        assert_eq!(Lifetime::SevenDays.expires(10), Some(10 + 7 * 86_400));
        assert_eq!(Lifetime::ThirtyDays.expires(0), Some(2_592_000));
        assert_eq!(Lifetime::Custom { secs: 5 }.expires(10), Some(15));
        assert!(Lifetime::Custom { secs: 0 }.validate().is_err());
        assert_eq!(
            serde_json::to_string(&Lifetime::Custom { secs: 5 }).unwrap(),
            r#"{"kind":"custom","secs":5}"#
        );
    }

    #[test]
    fn record_ids_are_stable_and_case_insensitive() {
        assert_eq!(record_id("A@Example.com"), record_id("a@example.com"));
        assert_ne!(record_id("a@example.com"), record_id("b@example.com"));
        assert_eq!(record_id("a@example.com").len(), 17);
    }

    #[test]
    fn source_ids() {
        assert_eq!(
            Source::Provider(Provider::FirefoxRelay).id(),
            "firefox-relay"
        );
        assert_eq!(Source::Generator(GeneratorKind::PerSite).id(), "per-site");
        assert_eq!(
            Source::from_id("catch-all"),
            Some(Source::Generator(GeneratorKind::CatchAll))
        );
        assert_eq!(Source::from_id("nope"), None);
    }

    fn listed(
        address: &str,
        id: &str,
        enabled: bool,
        note: Option<&str>,
        site: Option<&str>,
    ) -> AliasRecord {
        AliasRecord {
            id: String::new(),
            address: address.into(),
            source: Source::Provider(Provider::SimpleLogin),
            provider_id: Some(id.into()),
            site: site.map(Into::into),
            origin: None,
            created: 0,
            expires: None,
            state: if enabled {
                AliasState::Active
            } else {
                AliasState::Disabled
            },
            label: None,
            note: note.map(Into::into),
        }
    }

    #[test]
    fn bring_in_adds_new_aliases_with_site_id_and_state() {
        let mut v = Vault::new();
        let aliases = [
            listed(
                "a.one@sl.test",
                "1",
                true,
                Some("generated by ImpaleMail for shop.example.co.uk"),
                None,
            ),
            listed(
                "b.two@sl.test",
                "2",
                false,
                None,
                Some("https://login.post.example/signup"),
            ),
            listed(
                "c.three@sl.test",
                "3",
                true,
                Some("Website: forum.example.org. Generated by Bitwarden."),
                None,
            ),
            listed(
                "d.four@sl.test",
                "4",
                true,
                Some("for me@home.example, e.g. newsletters"),
                Some("::odd::"),
            ),
            listed("not an address", "5", true, None, None),
        ];
        v.bring_in(&aliases, 1_700_000_000).unwrap();
        let got: Vec<_> = v
            .records
            .iter()
            .map(|r| {
                (
                    r.address.as_str(),
                    r.site.as_deref(),
                    r.provider_id.as_deref(),
                    r.state,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "a.one@sl.test",
                    Some("example.co.uk"),
                    Some("1"),
                    AliasState::Active
                ),
                (
                    "b.two@sl.test",
                    Some("post.example"),
                    Some("2"),
                    AliasState::Disabled
                ),
                (
                    "c.three@sl.test",
                    Some("example.org"),
                    Some("3"),
                    AliasState::Active
                ),
                ("d.four@sl.test", None, Some("4"), AliasState::Active),
            ]
        );
        let a = &v.records[0];
        assert_eq!(a.source, Source::Provider(Provider::SimpleLogin));
        assert_eq!(
            (a.created, a.expires),
            (1_700_000_000, None),
            "no expiry for an alias brought in"
        );
        assert_eq!(
            a.note.as_deref(),
            Some("generated by ImpaleMail for shop.example.co.uk")
        );
        // Idempotent: the journal may replay it.
        let once = v.clone();
        v.bring_in(&aliases, 1_700_000_000).unwrap();
        assert_eq!(v, once);
    }

    #[test]
    fn bring_in_keeps_local_label_and_note_and_takes_the_provider_state() {
        let mut v = Vault::new();
        let mut mine = AliasRecord::new(
            "Known@SL.test",
            Source::Provider(Provider::SimpleLogin),
            Some("shop.example"),
            100,
            Lifetime::Never,
        )
        .unwrap();
        mine.label = Some("shopping".into());
        mine.note = Some("my note".into());
        v.add(mine).unwrap();
        let mut old = AliasRecord::new(
            "old@sl.test",
            Source::Provider(Provider::SimpleLogin),
            None,
            100,
            Lifetime::OneHour,
        )
        .unwrap();
        old.state = AliasState::Expired;
        v.add(old).unwrap();
        let mut off = AliasRecord::new(
            "off@sl.test",
            Source::Provider(Provider::SimpleLogin),
            None,
            100,
            Lifetime::Never,
        )
        .unwrap();
        off.state = AliasState::Disabled;
        v.add(off).unwrap();
        v.bring_in(
            &[
                listed(
                    "known@sl.test",
                    "7",
                    false,
                    Some("provider note for other.example"),
                    Some("other.example"),
                ),
                listed("old@sl.test", "8", true, None, Some("old.example")),
                listed("off@sl.test", "9", true, None, None),
            ],
            2_000,
        )
        .unwrap();
        assert_eq!(v.records.len(), 3, "nothing duplicated");
        let k = v.find_address("known@sl.test").unwrap();
        assert_eq!(
            (
                k.label.as_deref(),
                k.note.as_deref(),
                k.site.as_deref(),
                k.provider_id.as_deref(),
                k.state,
                k.created
            ),
            (
                Some("shopping"),
                Some("my note"),
                Some("shop.example"),
                Some("7"),
                AliasState::Disabled,
                100
            ),
            "local label, note and site win; the provider's id and state are taken"
        );
        let o = v.find_address("old@sl.test").unwrap();
        assert_eq!(
            (o.state, o.site.as_deref()),
            (AliasState::Expired, Some("old.example")),
            "expired stays expired; an empty site is filled"
        );
        assert_eq!(
            v.find_address("off@sl.test").unwrap().state,
            AliasState::Active,
            "re-enabled at the provider"
        );
    }

    #[test]
    fn bring_in_refuses_a_full_vault_and_changes_nothing() {
        let mut v = Vault::new();
        for i in 0..MAX_VAULT_RECORDS {
            v.records.push(
                AliasRecord::new(
                    &format!("x{i}@full.example"),
                    Source::Provider(Provider::Addy),
                    None,
                    1,
                    Lifetime::Never,
                )
                .unwrap(),
            );
        }
        let before = v.clone();
        let e = v
            .bring_in(
                &[
                    listed("x1@full.example", "1", false, None, None),
                    listed("new@full.example", "2", true, None, None),
                ],
                5,
            )
            .unwrap_err();
        assert!(matches!(e, AliasError::TooLarge { .. }), "{e:?}");
        assert_eq!(v, before);
    }

    #[test]
    fn site_in_note_reads_words_that_name_a_site() {
        assert_eq!(
            site_in_note("generated by ImpaleMail for example.co.uk").as_deref(),
            Some("example.co.uk")
        );
        assert_eq!(
            site_in_note("(https://www.shop.example/signup)").as_deref(),
            Some("shop.example")
        );
        assert_eq!(site_in_note("Generated by Bitwarden."), None);
        assert_eq!(site_in_note("mail me@home.example e.g. 1.5 v2.0"), None);
        assert_eq!(site_in_note(""), None);
    }
}
