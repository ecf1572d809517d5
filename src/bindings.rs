//! The wasm boundary: the only module that uses `wasm_bindgen`, `js_sys` and `web_sys`.
//!
//! It holds no logic. Each export converts JavaScript values into the core's types, calls
//! the core, and converts the answer back. Errors cross as a JavaScript `Error` whose
//! `name` is the Rust error type, so the background can tell them apart without parsing
//! messages. A panic is reported on the console and then traps; the background treats a
//! trap as an error verdict and re-instantiates the module.

use sha2::{Digest, Sha256};
use wasm_bindgen::prelude::*;

/// Installs the panic hook once; the background calls it right after instantiation.
#[wasm_bindgen(js_name = initCore)]
pub fn init_core() {
    console_error_panic_hook::set_once();
}

/// The core's version (`CARGO_PKG_VERSION`).
#[wasm_bindgen(js_name = coreVersion)]
pub fn core_version() -> String {
    crate::VERSION.to_owned()
}

/// The core's base64 decoding of a MIME body (`smime::mime::decode_base64`), for the tests of
/// the wasm's SIMD path, which only runs in the wasm (`tests/wasm/core.test.mjs`).
#[wasm_bindgen(js_name = selfTestBase64)]
pub fn self_test_base64(body: &[u8]) -> Vec<u8> {
    crate::smime::mime::decode_base64(body)
}

/// Where the first bare LF of `data` is (`smime::mime::is_canonical`'s search), or
/// `undefined`: for the tests of the wasm's SIMD path (`tests/wasm/core.test.mjs`).
#[wasm_bindgen(js_name = selfTestBareLf)]
pub fn self_test_bare_lf(data: &[u8]) -> Option<u32> {
    // Offsets in a wasm32 memory fit u32.
    impalemail_scan::first_bare_lf(data).map(|i| i as u32)
}

/// A self-test the background answers content scripts and pages with: the SHA-256 of
/// `text` in lower-case hex. It proves that the module is instantiated and computing.
#[wasm_bindgen(js_name = selfTestDigest)]
pub fn self_test_digest(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
    }
    hex
}

/// Writes a line to the console of the context that runs the module (debug builds only).
#[wasm_bindgen(js_name = debugLog)]
pub fn debug_log(text: &str) {
    if cfg!(debug_assertions) {
        web_sys::console::log_1(&JsValue::from_str(text));
    }
}

/// Builds a JavaScript `Error` with `name` set to the Rust error type (used by the exports
/// that return `Result`).
pub(crate) fn js_error(name: &str, message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    error.set_name(name);
    error.into()
}

// ------------------------------------------------------------------ aliases

use crate::alias::service::{self, VaultOp};
use crate::alias::{AliasError, Flow, HttpResponse, Provider, Settings, Step, Vault};

fn to_js<T: serde::Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let text =
        serde_json::to_string(value).map_err(|e| js_error("ConversionError", &e.to_string()))?;
    js_sys::JSON::parse(&text)
}

fn from_js<T: serde::de::DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| js_error("BadArgument", &format!("{what}: {e}")))
}

fn alias_error_object(e: &AliasError) -> js_sys::Object {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("AliasError");
    let obj: js_sys::Object = err.into();
    let _ = js_sys::Reflect::set(&obj, &"variant".into(), &e.kind().into());
    if let Some(secs) = e.retry_after_secs() {
        // Seconds fit an f64 exactly far beyond any Retry-After a server sends.
        let _ = js_sys::Reflect::set(&obj, &"retryAfterSecs".into(), &(secs as f64).into());
    }
    let _ = js_sys::Reflect::set(&obj, &"transient".into(), &e.is_transient().into());
    obj
}

fn alias_err(e: AliasError) -> JsValue {
    alias_error_object(&e).into()
}

fn settings_from(json: &str) -> Result<Settings, JsValue> {
    Settings::from_json(json).map_err(alias_err)
}

fn provider_from(id: &str) -> Result<Provider, JsValue> {
    Provider::from_id(id)
        .ok_or_else(|| js_error("BadArgument", &format!("unknown provider `{id}`")))
}

/// Unix seconds from JavaScript's number (`Math.floor(Date.now() / 1000)`).
fn secs(now: f64) -> u64 {
    if now.is_finite() && now > 0.0 {
        now as u64
    } else {
        0
    }
}

/// The registrable domain (site) of a URL or host name.
#[wasm_bindgen(js_name = registrableDomain)]
pub fn registrable_domain(input: &str) -> Result<String, JsValue> {
    crate::site::registrable_domain(input).map_err(|e| alias_err(AliasError::InvalidSite(e)))
}

/// Every provider with its name, capabilities and public base URL.
#[wasm_bindgen(js_name = aliasProviders)]
pub fn alias_providers() -> Result<JsValue, JsValue> {
    let list: Vec<serde_json::Value> = Provider::ALL
        .iter()
        .map(|p| {
            let mut entry = serde_json::json!({
                "id": p.id(), "name": p.name(), "default_base_url": p.default_base_url(),
            });
            entry["capabilities"] = crate::json::to_value(&p.capabilities()).unwrap_or_default();
            entry
        })
        .collect();
    to_js(&list)
}

/// Settings for a new install (with a fresh per-site secret), as the stored JSON text.
#[wasm_bindgen(js_name = settingsInitial)]
pub fn settings_initial() -> Result<String, JsValue> {
    service::initial_settings()
        .map(|s| s.to_json())
        .map_err(alias_err)
}

/// The options page's view of the stored settings: no keys, no secret.
#[wasm_bindgen(js_name = settingsView)]
pub fn settings_view(settings_json: &str) -> Result<JsValue, JsValue> {
    to_js(&service::settings_view(&settings_from(settings_json)?))
}

/// Applies the options page's edit (a settings view) to the stored settings; returns the
/// new stored JSON text, or throws naming the field that is wrong.
#[wasm_bindgen(js_name = settingsUpdate)]
pub fn settings_update(settings_json: &str, patch: JsValue) -> Result<String, JsValue> {
    let patch: serde_json::Value = from_js(patch, "settings")?;
    service::update_settings(&settings_from(settings_json)?, &patch)
        .map(|s| s.to_json())
        .map_err(alias_err)
}

/// Which source makes the alias: `{ id, provider }` where `provider` is the provider id, or
/// null for a local generator.
#[wasm_bindgen(js_name = aliasResolveSource)]
pub fn alias_resolve_source(
    settings_json: &str,
    requested: Option<String>,
) -> Result<JsValue, JsValue> {
    let source = service::resolve_source(&settings_from(settings_json)?, requested.as_deref())
        .map_err(alias_err)?;
    to_js(&serde_json::json!({ "id": source.id(), "provider": source.provider().map(|p| p.id()) }))
}

/// The ids of the sources that can make an alias now, the default first
/// ([`Settings::ready_sources`]).
#[wasm_bindgen(js_name = aliasReadySources)]
pub fn alias_ready_sources(settings_json: &str) -> Result<JsValue, JsValue> {
    let ids: Vec<String> = settings_from(settings_json)?
        .ready_sources()
        .into_iter()
        .map(|s| s.id())
        .collect();
    to_js(&ids)
}

/// Makes an alias with a local generator (`kind`: catch-all, plus, subdomain, per-site) for
/// the page at `page_url`; returns the vault record.
#[wasm_bindgen(js_name = aliasCreateLocal)]
pub fn alias_create_local(
    settings_json: &str,
    kind: &str,
    page_url: &str,
    now: f64,
) -> Result<JsValue, JsValue> {
    let settings = settings_from(settings_json)?;
    let kind = match crate::alias::Source::from_id(kind) {
        Some(crate::alias::Source::Generator(k)) => k,
        _ => {
            return Err(js_error(
                "BadArgument",
                &format!("`{kind}` is not a local generator"),
            ))
        }
    };
    let record = service::create_local(&settings, kind, page_url, secs(now)).map_err(alias_err)?;
    to_js(&record)
}

/// A provider conversation for JavaScript to drive: `next(null)` first, then `next(response)`
/// after each fetch, until the step is `{ done: true }`.
#[wasm_bindgen]
pub struct AliasFlow {
    flow: Flow,
}

fn step_to_js(step: Step) -> Result<JsValue, JsValue> {
    match step {
        Step::Request(request) => {
            #[derive(serde::Serialize)]
            struct Out<'a> {
                done: bool,
                request: &'a crate::alias::HttpRequest,
            }
            to_js(&Out {
                done: false,
                request: &request,
            })
        }
        Step::Done(Ok(outcome)) => {
            #[derive(serde::Serialize)]
            struct Out<'a> {
                done: bool,
                ok: &'a crate::alias::Outcome,
            }
            to_js(&Out {
                done: true,
                ok: &outcome,
            })
        }
        Step::Done(Err(e)) => {
            let out = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&out, &"done".into(), &true.into());
            let _ = js_sys::Reflect::set(&out, &"error".into(), &alias_error_object(&e));
            Ok(out.into())
        }
    }
}

#[wasm_bindgen]
impl AliasFlow {
    /// The next step, given the previous request's response (`null` at the start):
    /// `{ done: false, request: { method, url, headers: [[name, value]], body } }`,
    /// `{ done: true, ok: outcome }` or `{ done: true, error }`.
    pub fn next(&mut self, response: JsValue) -> Result<JsValue, JsValue> {
        let response: Option<HttpResponse> = if response.is_null() || response.is_undefined() {
            None
        } else {
            Some(from_js(response, "response")?)
        };
        step_to_js(self.flow.next(response))
    }

    /// The step after `fetch` threw (network down, blocked, CORS).
    #[wasm_bindgen(js_name = networkError)]
    pub fn network_error(&mut self, message: &str) -> Result<JsValue, JsValue> {
        step_to_js(self.flow.network_error(message))
    }
}

fn flow(result: Result<Flow, AliasError>) -> Result<AliasFlow, JsValue> {
    result.map(|flow| AliasFlow { flow }).map_err(alias_err)
}

/// The flow that creates an alias at `provider` for the page at `page_url`.
#[wasm_bindgen(js_name = aliasCreateFlow)]
pub fn alias_create_flow(
    settings_json: &str,
    provider: &str,
    page_url: &str,
    now: f64,
) -> Result<AliasFlow, JsValue> {
    let settings = settings_from(settings_json)?;
    flow(service::create_flow(
        &settings,
        provider_from(provider)?,
        page_url,
        secs(now),
    ))
}

/// The vault record for a finished create flow's outcome, with the settings' lifetime.
#[wasm_bindgen(js_name = aliasRecordFromOutcome)]
pub fn alias_record_from_outcome(
    settings_json: &str,
    outcome: JsValue,
    page_url: &str,
    now: f64,
) -> Result<JsValue, JsValue> {
    let settings = settings_from(settings_json)?;
    let outcome: service::CreatedOutcome = from_js(outcome, "outcome")?;
    let record =
        service::record_from_outcome(&outcome, page_url, settings.default_lifetime, secs(now))
            .map_err(alias_err)?;
    to_js(&record)
}

/// The flow that lists the account's aliases at `provider`.
#[wasm_bindgen(js_name = aliasFlowList)]
pub fn alias_flow_list(
    settings_json: &str,
    provider: &str,
    now: f64,
) -> Result<AliasFlow, JsValue> {
    let settings = settings_from(settings_json)?;
    let config =
        service::provider_config(&settings, provider_from(provider)?).map_err(alias_err)?;
    flow(Flow::list(&config, secs(now)))
}

/// The flow that disables or re-enables an alias at its provider.
#[wasm_bindgen(js_name = aliasFlowSetEnabled)]
pub fn alias_flow_set_enabled(
    settings_json: &str,
    provider: &str,
    provider_id: &str,
    enabled: bool,
    now: f64,
) -> Result<AliasFlow, JsValue> {
    let settings = settings_from(settings_json)?;
    let config =
        service::provider_config(&settings, provider_from(provider)?).map_err(alias_err)?;
    flow(Flow::set_enabled(&config, provider_id, enabled, secs(now)))
}

/// The flow that deletes an alias at its provider.
#[wasm_bindgen(js_name = aliasFlowDelete)]
pub fn alias_flow_delete(
    settings_json: &str,
    provider: &str,
    provider_id: &str,
    now: f64,
) -> Result<AliasFlow, JsValue> {
    let settings = settings_from(settings_json)?;
    let config =
        service::provider_config(&settings, provider_from(provider)?).map_err(alias_err)?;
    flow(Flow::delete(&config, provider_id, secs(now)))
}

/// The flow that reads a temporary inbox: `what` is `messages`, `message`, `raw-source` or
/// `delete`; `id` names the message where needed.
#[wasm_bindgen(js_name = inboxFlow)]
pub fn inbox_flow(
    settings_json: &str,
    credentials: JsValue,
    what: &str,
    id: Option<String>,
    now: f64,
) -> Result<AliasFlow, JsValue> {
    let settings = settings_from(settings_json)?;
    let config = service::inbox_config(&settings);
    let inbox: crate::alias::InboxCredentials = from_js(credentials, "inbox credentials")?;
    let id = id.unwrap_or_default();
    let now = secs(now);
    flow(match what {
        "messages" => Flow::messages(&config, &inbox, now),
        "message" => Flow::message(&config, &inbox, &id, now),
        "raw-source" => Flow::raw_source(&config, &inbox, &id, now),
        "delete" => Flow::delete_inbox(&config, &inbox, now),
        other => {
            return Err(js_error(
                "BadArgument",
                &format!("unknown inbox request `{other}`"),
            ))
        }
    })
}

/// Applies one journalled vault operation to the stored vault (`null`: none yet); returns
/// the new stored JSON text, or throws and leaves the caller's document as it was.
#[wasm_bindgen(js_name = vaultApply)]
pub fn vault_apply(vault_json: Option<String>, op: JsValue) -> Result<String, JsValue> {
    // As JSON text, read like the stored vault (serde_json's `Value`): one reader of
    // `AliasRecord` in the wasm for both.
    if !op.is_object() {
        return Err(js_error("BadArgument", "vault operation: not an object"));
    }
    let text = js_sys::JSON::stringify(&op)
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| js_error("BadArgument", "vault operation: not JSON"))?;
    let op: VaultOp = serde_json::from_str::<serde_json::Value>(&text)
        .and_then(serde_json::from_value)
        .map_err(|e| js_error("BadArgument", &format!("vault operation: {e}")))?;
    service::apply_op(vault_json.as_deref(), &op).map_err(alias_err)
}

fn vault_from(json: Option<String>) -> Result<Vault, JsValue> {
    match json {
        Some(text) => Vault::from_json(&text).map_err(alias_err),
        None => Ok(Vault::new()),
    }
}

/// Records to show: those for `site` (active first, newest first), else those matching
/// `query`, else all (newest first).
#[wasm_bindgen(js_name = vaultRecords)]
pub fn vault_records(
    vault_json: Option<String>,
    site: Option<String>,
    query: Option<String>,
) -> Result<JsValue, JsValue> {
    let vault = vault_from(vault_json)?;
    to_js(&service::records_to_show(
        &vault,
        site.as_deref(),
        query.as_deref(),
    ))
}

/// The user's aliases a message was addressed to (`recipients`: addresses from its `To`,
/// `Cc`, `Delivered-To`), each with the site it was made for and whether `from` (the sender's
/// address) belongs to another site: `[{ alias, site, label, state, sender_site, other_sender }]`.
#[wasm_bindgen(js_name = vaultAliasesAddressed)]
pub fn vault_aliases_addressed(
    vault_json: Option<String>,
    recipients: Vec<String>,
    from: Option<String>,
) -> Result<JsValue, JsValue> {
    let vault = vault_from(vault_json)?;
    to_js(&crate::alias::service::aliases_addressed(
        &vault,
        &recipients,
        from.as_deref(),
    ))
}

/// The vault as an export file: `json` or `csv`.
#[wasm_bindgen(js_name = vaultExport)]
pub fn vault_export(vault_json: Option<String>, format: &str) -> Result<String, JsValue> {
    let vault = vault_from(vault_json)?;
    match format {
        "json" => Ok(vault.export_json()),
        "csv" => Ok(vault.export_csv()),
        other => Err(js_error(
            "BadArgument",
            &format!("unknown export format `{other}`"),
        )),
    }
}

/// Records whose lifetime ran out at `now` and that are still active (to disable at their
/// provider before `apply-expiry`).
#[wasm_bindgen(js_name = vaultDue)]
pub fn vault_due(vault_json: Option<String>, now: f64) -> Result<JsValue, JsValue> {
    to_js(&vault_from(vault_json)?.due_for_expiry(secs(now)))
}

/// When the next alias expires (unix seconds), for the alarm; `undefined` if none will.
#[wasm_bindgen(js_name = vaultNextExpiry)]
pub fn vault_next_expiry(vault_json: Option<String>, now: f64) -> Result<Option<f64>, JsValue> {
    Ok(vault_from(vault_json)?
        .next_expiry(secs(now))
        .map(|t| t as f64))
}

// ------------------------------------------------------------------ sync
// The exports cost about 21 KB of gzipped wasm (ARCHITECTURE.md, "Size").
mod sync_exports {
    use super::*;

    // Objects are built and read with `js_sys` directly rather than through serde: fewer readers
    // and writers in the wasm (the sync core added 40 KB gzipped with serde maps, see
    // ARCHITECTURE.md "Sync").

    use crate::alias::sync::seal::{self, Items, ToSeal};
    use crate::alias::sync::{ProviderAction, SyncCode, SyncError, SyncState, Turn};

    // The core holds no cipher (ARCHITECTURE.md, "Sync"): the background derives the keys
    // (`syncKeyMaterial`), opens what `syncToOpen` lists and hands the plaintexts back as
    // `{ key: Uint8Array }` with the code check (16 bytes), and seals what `syncOutgoing` and
    // `syncSealExtra` list (`{ key, plain, ad }`) into `syncItemValue(nonce ‖ ciphertext)`.

    fn sync_err(e: SyncError) -> JsValue {
        let err = js_sys::Error::new(&e.to_string());
        err.set_name("SyncError");
        let obj: js_sys::Object = err.into();
        let _ = js_sys::Reflect::set(&obj, &"variant".into(), &e.kind().into());
        obj.into()
    }

    fn sync_state(text: &str) -> Result<SyncState, JsValue> {
        SyncState::from_text(text).map_err(sync_err)
    }

    /// The entries of a plain object, those whose value `f` takes (none when it is not one).
    fn entries<T>(value: &JsValue, f: impl Fn(JsValue) -> Option<T>) -> Vec<(String, T)> {
        if !value.is_object() {
            return Vec::new();
        }
        js_sys::Object::entries(&js_sys::Object::from(value.clone()))
            .iter()
            .filter_map(|e| {
                let pair = js_sys::Array::from(&e);
                Some((pair.get(0).as_string()?, f(pair.get(1))?))
            })
            .collect()
    }

    /// The string-valued entries of a `storage.sync` area (other values are not the vault's).
    fn sync_items(items: &JsValue) -> Items {
        entries(items, |v| v.as_string())
    }

    /// The plaintexts the background opened: `{ key: Uint8Array }`.
    fn plaintexts(opened: &JsValue) -> Vec<(String, Vec<u8>)> {
        entries(opened, |v| {
            v.dyn_into::<js_sys::Uint8Array>().ok().map(|b| b.to_vec())
        })
    }

    fn bytes(b: &[u8]) -> JsValue {
        js_sys::Uint8Array::from(b).into()
    }

    /// `[{ key, plain, ad }]` for the background to seal.
    fn to_seal(list: &[ToSeal]) -> JsValue {
        list.iter()
            .map(|t| {
                object(&[
                    ("key", t.key.as_str().into()),
                    ("plain", bytes(&t.plain)),
                    ("ad", bytes(&t.ad)),
                ])
            })
            .collect::<js_sys::Array>()
            .into()
    }

    /// A plain object from key-value pairs.
    fn object(pairs: &[(&str, JsValue)]) -> JsValue {
        let obj = js_sys::Object::new();
        for (k, v) in pairs {
            let _ = js_sys::Reflect::set(&obj, &(*k).into(), v);
        }
        obj.into()
    }

    fn provider_action(name: &str) -> Result<ProviderAction, JsValue> {
        match name {
            "disable" => Ok(ProviderAction::Disable),
            "delete" => Ok(ProviderAction::Delete),
            other => Err(js_error(
                "BadArgument",
                &format!("unknown provider action `{other}`"),
            )),
        }
    }

    /// A new sync code, written in groups (`XXXX-XXXX-...`).
    #[wasm_bindgen(js_name = syncCodeNew)]
    pub fn sync_code_new() -> Result<String, JsValue> {
        SyncCode::generate().map(|c| c.to_text()).map_err(sync_err)
    }

    /// Starts sync on this device with a typed (or new) code; returns the state to keep in
    /// `storage.local`. A mistyped code throws a `SyncError` in plain words.
    #[wasm_bindgen(js_name = syncStart)]
    pub fn sync_start(code: &str) -> Result<String, JsValue> {
        let code = SyncCode::parse(code).map_err(sync_err)?;
        SyncState::start(code)
            .map(|s| s.to_text())
            .map_err(sync_err)
    }

    /// The code of a stored state, written in groups (to show for another device).
    #[wasm_bindgen(js_name = syncCode)]
    pub fn sync_code(state: &str) -> Result<String, JsValue> {
        Ok(sync_state(state)?.code.to_text())
    }

    /// What the background derives with HKDF-SHA-256 (RFC 5869), no salt:
    /// `{ ikm, itemInfo, checkInfo }` (the AES-256-GCM item key and the 16-byte code check).
    #[wasm_bindgen(js_name = syncKeyMaterial)]
    pub fn sync_key_material(state: &str) -> Result<JsValue, JsValue> {
        use crate::alias::sync::code::{CHECK_INFO, ITEM_KEY_INFO};
        Ok(object(&[
            ("ikm", bytes(sync_state(state)?.code.key_material())),
            ("itemInfo", bytes(ITEM_KEY_INFO)),
            ("checkInfo", bytes(CHECK_INFO)),
        ]))
    }

    /// The items of a `storage.sync` area to open: `[{ key, nonce, sealed, ad }]`
    /// (AES-256-GCM: `sealed` is ciphertext ‖ tag).
    #[wasm_bindgen(js_name = syncToOpen)]
    pub fn sync_to_open(area: JsValue) -> JsValue {
        seal::to_open(&sync_items(&area))
            .iter()
            .map(|t| {
                object(&[
                    ("key", t.key.as_str().into()),
                    ("nonce", bytes(&t.nonce)),
                    ("sealed", bytes(&t.sealed)),
                    ("ad", bytes(&t.ad)),
                ])
            })
            .collect::<js_sys::Array>()
            .into()
    }

    /// The `storage.sync` value of a sealed item (`raw`: nonce ‖ ciphertext ‖ tag).
    #[wasm_bindgen(js_name = syncItemValue)]
    pub fn sync_item_value(raw: &[u8]) -> String {
        seal::item_value(raw)
    }

    /// After a local vault change:
    /// `{ state, set: {key: value}, seal: [{ key, plain, ad }], remove: [keys], bytes, items,
    /// leftOut }` (`leftOut`: expired or deleted aliases left out to make room)
    /// (`previous`: the `storage.sync` area as it is, `opened` what the background opened
    /// of it, `check` the code check; the sealed items and `set` go to it in one call,
    /// `remove` in another, then `state` to `storage.local`).
    #[wasm_bindgen(js_name = syncOutgoing)]
    pub fn sync_outgoing(
        state: &str,
        vault_json: Option<String>,
        previous: JsValue,
        opened: JsValue,
        check: &[u8],
        now: f64,
    ) -> Result<JsValue, JsValue> {
        let mut st = sync_state(state)?;
        let vault = vault_from(vault_json)?;
        let sealed = st
            .outgoing(
                &vault,
                &sync_items(&previous),
                &plaintexts(&opened),
                check,
                secs(now),
            )
            .map_err(sync_err)?;
        let set = js_sys::Object::new();
        for (k, v) in &sealed.set {
            let _ = js_sys::Reflect::set(&set, &k.into(), &v.into());
        }
        let remove: js_sys::Array = sealed.remove.iter().map(JsValue::from).collect();
        Ok(object(&[
            ("state", st.to_text().into()),
            ("set", set.into()),
            ("seal", to_seal(&sealed.seal)),
            ("remove", remove.into()),
            ("bytes", (sealed.bytes as f64).into()),
            ("items", (sealed.items as f64).into()),
            ("leftOut", (sealed.left_out as f64).into()),
        ]))
    }

    /// When `storage.sync` changed: `{ state, vault, changed, refused: [[key, reason]] }`
    /// (`items`: the whole area; `opened` and `check` as for `syncOutgoing`). A wrong code or
    /// a newer format throws and changes nothing.
    #[wasm_bindgen(js_name = syncIncoming)]
    pub fn sync_incoming(
        state: &str,
        vault_json: Option<String>,
        items: JsValue,
        opened: JsValue,
        check: &[u8],
        now: f64,
    ) -> Result<JsValue, JsValue> {
        let mut st = sync_state(state)?;
        let vault = vault_from(vault_json)?;
        let got = st
            .incoming(
                &vault,
                &sync_items(&items),
                &plaintexts(&opened),
                check,
                secs(now),
            )
            .map_err(sync_err)?;
        let refused: js_sys::Array = got
            .refused
            .iter()
            .map(|(k, why)| JsValue::from(js_sys::Array::of2(&k.into(), &why.into())))
            .collect();
        Ok(object(&[
            ("state", st.to_text().into()),
            ("vault", got.vault.to_json().into()),
            ("changed", (got.changed as f64).into()),
            ("refused", refused.into()),
        ]))
    }

    /// What travels beside the records (JSON text) as item `x` to seal: `{ key, plain, ad }`;
    /// throws `Full` when it would not fit the 8 KB the area keeps for it.
    #[wasm_bindgen(js_name = syncSealExtra)]
    pub fn sync_seal_extra(text: &str) -> Result<JsValue, JsValue> {
        let t = seal::seal_extra(text.as_bytes()).map_err(sync_err)?;
        Ok(to_seal(&[t]).dyn_into::<js_sys::Array>()?.get(0))
    }

    /// The text of item `x` (`value`) from what the background opened (`opened`, as for
    /// `syncIncoming`); throws for a changed item, another code's or another format's.
    #[wasm_bindgen(js_name = syncOpenExtra)]
    pub fn sync_open_extra(value: &str, opened: JsValue) -> Result<String, JsValue> {
        let items = [(seal::EXTRA_KEY.to_string(), value.to_string())];
        let opened = plaintexts(&opened);
        let plain = seal::opened_item(&items, &opened, seal::EXTRA_KEY).map_err(sync_err)?;
        String::from_utf8(plain.to_vec())
            .map_err(|_| js_error("SyncError", "The synced settings are not text."))
    }

    /// Claims a provider action (`disable`, `delete`) on the alias `address`, or with `finish`
    /// records that it was performed:
    /// `{ state, turn: "act" | "wait" | "other" | "done" | "unclaimed", until }`.
    #[wasm_bindgen(js_name = syncClaim)]
    pub fn sync_claim(
        state: &str,
        address: &str,
        action: &str,
        now: f64,
        finish: bool,
    ) -> Result<JsValue, JsValue> {
        let mut st = sync_state(state)?;
        let action = provider_action(action)?;
        // By address: the replica keys records by the id derived from it, whatever id the local
        // vault gave the record.
        let id = &crate::alias::vault::record_id(address);
        if finish {
            st.replica.finish(id, action).map_err(sync_err)?;
        }
        let turn = st
            .replica
            .claim(id, action, &mut st.clock, secs(now))
            .map_err(sync_err)?;
        let (name, until) = match turn {
            Turn::Act => ("act", None),
            Turn::Wait { until } => ("wait", Some(until as f64)),
            Turn::Other => ("other", None),
            Turn::Done => ("done", None),
            Turn::Unclaimed => ("unclaimed", None),
        };
        Ok(object(&[
            ("state", st.to_text().into()),
            ("turn", name.into()),
            ("until", until.into()),
        ]))
    }
}

// ------------------------------------------------------------------ forms

/// Classifies one batch of form features from a content script: `{ fields, forms, page }` in,
/// `{ fields: [{ index, field_type, button, offer_existing, fills, ... }], forms }` out.
#[wasm_bindgen(js_name = classifyForms)]
pub fn classify_forms(batch: JsValue) -> Result<JsValue, JsValue> {
    let batch: crate::forms::Batch = from_js(batch, "form batch")?;
    let classification =
        crate::forms::classify_batch(&batch).map_err(|e| js_error("FormsError", &e.to_string()))?;
    to_js(&classification)
}

// ------------------------------------------------------------------ S/MIME

/// The user's roots (DER) as trust anchors; a certificate that does not parse is an error
/// that names it.
fn user_anchors(
    user_roots: &[js_sys::Uint8Array],
) -> Result<Vec<crate::smime::TrustAnchor>, JsValue> {
    use crate::smime::{AnchorSource, TrustAnchor};
    user_roots
        .iter()
        .map(|der| TrustAnchor::from_cert_der(&der.to_vec(), AnchorSource::User))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| js_error("UserRootError", &e.to_string()))
}

/// A check in rounds (`smime::offload`): the core asks for the signature checks and the large
/// digests WebCrypto does natively, and decides with the answers.
///
/// `new VerifyJob(raw, now, userRoots)` copies the message in once; `step()` returns
/// `{ verdict }` when done, or `{ digests, signatures }` to answer: a digest request is
/// `{ algorithm: "SHA-256", kind: "message" | "canonical" | "econtent", start, end, bytes?,
/// length? }` (hash `bytes` when present, else `raw.subarray(start, end)` of the caller's
/// buffer). `bytes` is a view of the core's own memory, not a copy (a 25 MB content is not
/// copied out only for WebCrypto to copy it again): it is valid until the next call into the
/// core, which may grow the memory and detach it, so the caller hands it to WebCrypto (whose
/// `digest` copies its input at once) before calling the core again, and answers `null` when
/// its `byteLength` is not `length` any more (see background/verify-job.js). A
/// signature request `{ scheme: "RSASSA-PKCS1-v1_5" | "RSA-PSS" | "ECDSA" | "Ed25519", hash?,
/// namedCurve?, saltLength?, spki, data, signature }` (WebCrypto's names and formats). `answer(digests,
/// signatures)` takes, in the same order, each digest (`Uint8Array`, or `null`: not computed)
/// and each result (`true`, `false`, or `null`: could not check; the core does it).
#[wasm_bindgen(js_name = VerifyJob)]
pub struct VerifyJobJs {
    job: crate::smime::offload::VerifyJob,
    now: u64,
    anchors: Vec<crate::smime::TrustAnchor>,
    /// A bare `.p7m` file: no `From` to bind the signer to.
    p7m: bool,
    /// Online revocation: the user's setting and the OCSP answers fetched (`setOnline`).
    online_mode: crate::smime::path::OnlineMode,
    ocsp_responses: Vec<Vec<u8>>,
    online_crls: Vec<crate::smime::x509::CertificateList>,
    /// Intermediates fetched from caIssuers URLs (`setIssuerCerts`).
    issuer_certs: Vec<crate::smime::x509::Certificate>,
}

#[wasm_bindgen(js_class = VerifyJob)]
impl VerifyJobJs {
    /// A job for the message `raw` at `now` with the user's roots (DER; Mozilla's e-mail roots
    /// are always used too). Throws `UserRootError` for a root that does not parse.
    #[wasm_bindgen(constructor)]
    pub fn new(
        raw: Vec<u8>,
        now: f64,
        user_roots: Vec<js_sys::Uint8Array>,
    ) -> Result<VerifyJobJs, JsValue> {
        use crate::smime::digest_offload::OFFLOAD_MIN_BYTES;
        // (64 KiB fits u32.)
        Self::with_digest_threshold(raw, now, user_roots, OFFLOAD_MIN_BYTES as u32)
    }

    /// A job that asks for the digest of every content of at least `min_digest_bytes` bytes
    /// (the constructor's threshold is `OFFLOAD_MIN_BYTES`, 64 KiB): for the tests, which
    /// run the digest requests, and their views of the core's memory, on small messages.
    #[wasm_bindgen(js_name = withDigestThreshold)]
    pub fn with_digest_threshold(
        raw: Vec<u8>,
        now: f64,
        user_roots: Vec<js_sys::Uint8Array>,
        min_digest_bytes: u32,
    ) -> Result<VerifyJobJs, JsValue> {
        Ok(VerifyJobJs {
            job: crate::smime::offload::VerifyJob::new(raw, min_digest_bytes as usize),
            now: secs(now),
            anchors: user_anchors(&user_roots)?,
            p7m: false,
            online_mode: Default::default(),
            ocsp_responses: Vec::new(),
            online_crls: Vec::new(),
            issuer_certs: Vec::new(),
        })
    }

    /// Online revocation for this job, before its first step: `mode` is "off", "soft" or
    /// "hard" (`smime::path::OnlineMode`), `responses` the DER OCSP answers fetched for the
    /// requests a previous check named (`details.revocation[].ocsp_request`). Throws
    /// `BadArgument` for another mode, more than `MAX_OCSP_RESPONSES` answers or one larger
    /// than `ocsp::MAX_RESPONSE_BYTES`.
    #[wasm_bindgen(js_name = setOnline)]
    pub fn set_online(
        &mut self,
        mode: &str,
        responses: Vec<js_sys::Uint8Array>,
    ) -> Result<(), JsValue> {
        use crate::smime::path::{OnlineMode, MAX_OCSP_RESPONSES};
        let bad = |what: &str| js_error("BadArgument", what);
        self.online_mode = match mode {
            "off" => OnlineMode::Off,
            "soft" => OnlineMode::SoftFail,
            "hard" => OnlineMode::HardFail,
            _ => return Err(bad("the revocation mode is off, soft or hard")),
        };
        if responses.len() > MAX_OCSP_RESPONSES {
            return Err(bad("too many revocation answers"));
        }
        if responses
            .iter()
            .any(|r| r.length() as usize > crate::smime::ocsp::MAX_RESPONSE_BYTES)
        {
            return Err(bad("a revocation answer is too large"));
        }
        self.ocsp_responses = responses.iter().map(|r| r.to_vec()).collect();
        Ok(())
    }

    /// A job for a bare `.p7m` file (signed-data in DER, PEM or base64), checked as
    /// `verifyP7m` does: no `From` binding.
    pub fn p7m(
        bytes: &[u8],
        now: f64,
        user_roots: Vec<js_sys::Uint8Array>,
    ) -> Result<VerifyJobJs, JsValue> {
        let raw = crate::smime::verify::p7m_message(bytes);
        let mut job = VerifyJobJs::new(raw, now, user_roots)?;
        job.p7m = true;
        Ok(job)
    }

    /// The CRLs fetched from the distribution points a previous check named
    /// (`details.revocation[].crl_urls`), DER, for this job, before its first step. One that
    /// does not parse is left out (the certificate then stays "not checked"). Throws
    /// `BadArgument` for more than `path::MAX_ONLINE_CRLS`.
    #[wasm_bindgen(js_name = setOnlineCrls)]
    pub fn set_online_crls(&mut self, crls: Vec<js_sys::Uint8Array>) -> Result<(), JsValue> {
        if crls.len() > crate::smime::path::MAX_ONLINE_CRLS {
            return Err(js_error("BadArgument", "too many revocation lists"));
        }
        self.online_crls = crls
            .iter()
            .filter_map(|c| crate::smime::x509::CertificateList::from_der(&c.to_vec()).ok())
            .collect();
        Ok(())
    }

    /// The answers fetched from the caIssuers URLs a previous check named
    /// (`signer.ca_issuers`, `smime::aia`): each a DER certificate or a certs-only PKCS#7,
    /// used as untrusted intermediates. One that does not parse is left out (the chain then
    /// stays without a trusted root). Throws `BadArgument` for more than
    /// `aia::MAX_CA_ISSUERS_FETCHES`.
    #[wasm_bindgen(js_name = setIssuerCerts)]
    pub fn set_issuer_certs(&mut self, bodies: Vec<js_sys::Uint8Array>) -> Result<(), JsValue> {
        use crate::smime::aia;
        if bodies.len() > aia::MAX_CA_ISSUERS_FETCHES {
            return Err(js_error("BadArgument", "too many issuer certificates"));
        }
        self.issuer_certs = bodies
            .iter()
            .filter_map(|b| aia::parse_ca_issuers(&b.to_vec()).ok())
            .flatten()
            .collect();
        Ok(())
    }

    /// Runs the check with the answers so far: `{ verdict }` or what to answer.
    pub fn step(&mut self) -> Result<JsValue, JsValue> {
        use crate::smime::digest_offload::ContentSource;
        use crate::smime::offload::Step;
        let mut opts = crate::smime::VerifyOptions::new(self.now, &self.anchors);
        opts.use_builtin_roots = true;
        opts.skip_sender_check = self.p7m;
        opts.intermediates = &self.issuer_certs;
        opts.online = crate::smime::path::OnlineRevocation {
            ocsp_responses: &self.ocsp_responses,
            crls: &self.online_crls,
            mode: self.online_mode,
        };
        let needs = match self.job.step(&opts) {
            Step::Done(v) => {
                let o = js_sys::Object::new();
                set_field(&o, "verdict", to_js(&v)?)?;
                return Ok(o.into());
            }
            Step::Need(n) => n,
        };
        let digests = js_sys::Array::new();
        // The requests' own bytes, which the job keeps until the answer, as views: made last,
        // after every allocation of this call, so that no growth of the memory detaches them
        // before the caller has them.
        let mut views = Vec::new();
        for r in &needs.digests {
            let o = js_sys::Object::new();
            let (kind, start, end) = match &r.source {
                ContentSource::Message(x) => ("message", x.start, x.end),
                ContentSource::Canonical(x) => ("canonical", x.start, x.end),
                ContentSource::EContent { .. } => ("econtent", 0, 0),
            };
            set_field(&o, "algorithm", r.algorithm.name().into())?;
            set_field(&o, "kind", kind.into())?;
            set_field(&o, "start", (start as f64).into())?;
            set_field(&o, "end", (end as f64).into())?;
            if let Some(b) = &r.bytes {
                let b = b.as_slice();
                set_field(&o, "length", (b.len() as f64).into())?;
                views.push((o.clone(), b));
            }
            digests.push(&o);
        }
        let signatures = js_sys::Array::new();
        for r in &needs.signatures {
            signatures.push(&signature_request_js(r)?);
        }
        let o = js_sys::Object::new();
        set_field(&o, "digests", digests.into())?;
        set_field(&o, "signatures", signatures.into())?;
        let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
        let buffer = memory.buffer();
        for (request, b) in views {
            // Offsets in a wasm32 memory fit u32.
            let view = js_sys::Uint8Array::new_with_byte_offset_and_length(
                &buffer,
                b.as_ptr() as usize as u32,
                b.len() as u32,
            );
            set_field(&request, "bytes", view.into())?;
        }
        Ok(o.into())
    }

    /// The answers to the last step's requests, in their order (see the class). Throws
    /// `BadArgument` when the lists do not match the requests or hold something else.
    pub fn answer(
        &mut self,
        digests: js_sys::Array,
        signatures: js_sys::Array,
    ) -> Result<(), JsValue> {
        let bad = |what: &str| js_error("BadArgument", what);
        let mut d = Vec::new();
        for a in digests.iter() {
            if a.is_null() {
                d.push(None);
            } else if a.is_instance_of::<js_sys::Uint8Array>() {
                d.push(Some(js_sys::Uint8Array::new(&a).to_vec()));
            } else {
                return Err(bad("a digest answer is a Uint8Array or null"));
            }
        }
        let s = signature_answers(&signatures)?;
        self.job.answer(d, s).map_err(|e| bad(&e.to_string()))
    }
}

/// A signature check for WebCrypto: `{ scheme, hash?, namedCurve?, saltLength?, spki, data,
/// signature }` (WebCrypto's names and formats; no `hash` for Ed25519), shared by S/MIME and
/// DKIM.
fn signature_request_js(r: &crate::smime::offload::SignatureRequest) -> Result<JsValue, JsValue> {
    use crate::smime::offload::SignatureScheme;
    let o = js_sys::Object::new();
    let scheme = match r.scheme {
        SignatureScheme::RsaPkcs1 { .. } => "RSASSA-PKCS1-v1_5",
        SignatureScheme::RsaPss { salt_len, .. } => {
            set_field(&o, "saltLength", (salt_len as f64).into())?;
            "RSA-PSS"
        }
        SignatureScheme::Ecdsa { curve, .. } => {
            set_field(&o, "namedCurve", curve.name().into())?;
            "ECDSA"
        }
        SignatureScheme::Ed25519 => "Ed25519",
    };
    set_field(&o, "scheme", scheme.into())?;
    if let Some(hash) = r.scheme.hash() {
        set_field(&o, "hash", hash.name().into())?;
    }
    set_field(
        &o,
        "spki",
        js_sys::Uint8Array::from(r.spki.as_slice()).into(),
    )?;
    set_field(
        &o,
        "data",
        js_sys::Uint8Array::from(r.message.as_slice()).into(),
    )?;
    let sig = js_sys::Uint8Array::from(r.signature.as_slice());
    set_field(&o, "signature", sig.into())?;
    Ok(o.into())
}

/// Signature answers: `true`, `false`, or `null` (could not check; the core does).
fn signature_answers(
    answers: &js_sys::Array,
) -> Result<Vec<crate::smime::offload::SignatureAnswer>, JsValue> {
    use crate::smime::offload::SignatureAnswer;
    answers
        .iter()
        .map(|a| match a.as_bool() {
            Some(true) => Ok(SignatureAnswer::Valid),
            Some(false) => Ok(SignatureAnswer::Invalid),
            None if a.is_null() => Ok(SignatureAnswer::Unavailable),
            None => Err(js_error(
                "BadArgument",
                "a signature answer is true, false or null",
            )),
        })
        .collect()
}

/// A DKIM check (`dkim`, RFC 6376 and RFC 7489), sans-IO: the core names the DNS TXT records
/// it needs and asks WebCrypto for the RSA checks, as [`VerifyJobJs`] does.
///
/// `new DkimJob(raw, now)`; `dnsQueries()` gives `[{ name, purpose: "key" | "dmarc" }]`;
/// `setDns(answers)` takes `[{ name, result: { txt: [string] } | "no_record" | "failed" }]`
/// (each record its character-strings joined;
/// a name left out counts as failed); `step()` returns `{ verdict }` or `{ signatures }`, the
/// same signature requests as `VerifyJob`'s; `answer([], signatures)` takes `true`, `false`
/// or `null` for each, in order, so `runJob` (`background/verify-job.js`) drives it as it
/// drives `VerifyJob`. Throws `BadArgument` for answers of the wrong shape.
#[wasm_bindgen(js_name = DkimJob)]
pub struct DkimJobJs {
    job: crate::dkim::DkimJob,
}

#[wasm_bindgen(js_class = DkimJob)]
impl DkimJobJs {
    /// A job for the message `raw` checked at `now` (unix seconds).
    #[wasm_bindgen(constructor)]
    pub fn new(raw: &[u8], now: f64) -> DkimJobJs {
        DkimJobJs {
            job: crate::dkim::DkimJob::new(raw, i64::try_from(secs(now)).unwrap_or(i64::MAX)),
        }
    }

    /// The TXT records the check needs.
    #[wasm_bindgen(js_name = dnsQueries)]
    pub fn dns_queries(&self) -> Result<JsValue, JsValue> {
        to_js(&self.job.dns_queries())
    }

    /// The DNS answers (see the class).
    #[wasm_bindgen(js_name = setDns)]
    pub fn set_dns(&mut self, answers: JsValue) -> Result<(), JsValue> {
        self.job.set_dns(from_js(answers, "DNS answers")?);
        Ok(())
    }

    /// Runs the check with the answers so far: `{ verdict }` or `{ signatures }` to answer.
    pub fn step(&mut self) -> Result<JsValue, JsValue> {
        let o = js_sys::Object::new();
        match self.job.step() {
            crate::dkim::DkimStep::Done(v) => set_field(&o, "verdict", to_js(&v)?)?,
            crate::dkim::DkimStep::Need(requests) => {
                let signatures = js_sys::Array::new();
                for r in requests {
                    signatures.push(&signature_request_js(r)?);
                }
                set_field(&o, "signatures", signatures.into())?;
            }
        }
        Ok(o.into())
    }

    /// The answers to the last step's signature requests, in their order. `digests` is
    /// there so that `VerifyJob`'s driver (`background/verify-job.js`, `runJob`) runs this
    /// job as it is: the DKIM check asks for none, so it must be empty.
    pub fn answer(
        &mut self,
        digests: js_sys::Array,
        signatures: js_sys::Array,
    ) -> Result<(), JsValue> {
        if digests.length() != 0 {
            return Err(js_error("BadArgument", "a DKIM check asks for no digests"));
        }
        let answers = signature_answers(&signatures)?;
        self.job
            .answer(answers)
            .map_err(|e| js_error("BadArgument", &e.to_string()))
    }
}

fn set_field(o: &js_sys::Object, key: &str, value: JsValue) -> Result<(), JsValue> {
    js_sys::Reflect::set(o, &key.into(), &value).map(|_| ())
}

/// Until when an OCSP answer may be kept (unix seconds): the earliest nextUpdate of its answers,
/// or thisUpdate plus `ocsp::MAX_AGE_WITHOUT_NEXT_UPDATE_SECS`; `null` when it does not parse.
/// For the background's cache only: the answer is checked in full each time it is used.
#[wasm_bindgen(js_name = ocspAnswerUntil)]
pub fn ocsp_answer_until(response: &[u8]) -> Option<f64> {
    crate::smime::ocsp::answer_until(response).map(|t| t as f64)
}

/// The verdict for a message whose check stopped on an internal error (the background asks
/// a freshly restarted core for it after a trap, so the reader still gets one verdict type).
#[wasm_bindgen(js_name = internalErrorVerdict)]
pub fn internal_error_verdict(now: f64) -> Result<JsValue, JsValue> {
    to_js(&crate::smime::Verdict::internal_error(secs(now)))
}

/// Panics when `confirm` is `"trap"`: the one way to make the core trap on purpose, so that
/// the background's recovery (a fresh instance, an error verdict) is tested end to end. Only
/// the background can call it; no message of the router leads here.
#[wasm_bindgen(js_name = selfTestTrap)]
pub fn self_test_trap(confirm: &str) -> bool {
    #[allow(clippy::panic)]
    if confirm == "trap" {
        panic!("self-test trap");
    }
    false
}

/// What a root certificate file (PEM with one or more certificates, or DER) holds, for the
/// options page's preview before the user trusts it: a list of `{ subject, common_name,
/// issuer, fingerprint_sha256, not_before, not_after, is_ca, self_issued, serial, der }`.
#[wasm_bindgen(js_name = inspectRoots)]
pub fn inspect_roots(bytes: &[u8]) -> Result<JsValue, JsValue> {
    let certs = crate::smime::trust::parse_cert_pem_or_der(bytes)
        .map_err(|e| js_error("TrustError", &e.to_string()))?;
    let mut out = Vec::with_capacity(certs.len());
    for cert in &certs {
        let mut info = crate::json::to_value(&crate::smime::trust::AnchorInfo::from_cert(cert))
            .map_err(|e| js_error("ConversionError", &e.to_string()))?;
        info["der"] = serde_json::Value::from(cert.der.clone());
        out.push(info);
    }
    to_js(&out)
}

/// The built-in trust store: `{ version, count }` (Mozilla's roots trusted for e-mail).
#[wasm_bindgen(js_name = builtinRoots)]
pub fn builtin_roots() -> Result<JsValue, JsValue> {
    to_js(&serde_json::json!({
        "version": crate::smime::trust::BUILTIN_STORE_VERSION,
        "count": crate::smime::trust::BUILTIN_COUNT,
    }))
}
