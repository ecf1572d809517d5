//! Disposable e-mail aliases, sans-IO: local generators, provider request builders and
//! response parsers driven by [`Flow`], and the vault's record logic.
//!
//! The extension's background performs every `fetch` and storage write and passes the
//! time in as **unix seconds** (`Math.floor(Date.now() / 1000)`), everywhere in this module.
//!
//! - [`generators`]: catch-all, plus (RFC 5233 subaddress style), subdomain and per-site
//!   (HMAC-SHA-256, RFC 2104) aliases; address validation per RFC 5321 §4.5.3.1.
//! - [`providers`]: SimpleLogin, addy.io, Firefox Relay, DuckDuckGo, Fastmail (JMAP,
//!   RFC 8620), Forward Email, mail.tm; [`Capabilities`] per provider.
//! - [`vault`]: the schema-versioned alias records, import/export (JSON, CSV per RFC 4180),
//!   expiry; [`settings`]: the options document.
//! - [`service`]: what the extension asks for, composed: create (local or through a
//!   provider flow), the vault operations the background journals, the options view.
//! - [`http`]: the [`HttpRequest`]/[`HttpResponse`] shapes and the [`Secret`] wrapper.

mod error;
pub mod generators;
pub mod http;
pub mod providers;
pub mod service;
pub mod settings;
pub mod sync;
pub mod vault;

pub use error::{AliasError, MAX_PROVIDER_MESSAGE_CHARS};
pub use generators::{GeneratorKind, Style};
pub use http::{HttpRequest, HttpResponse, Method, Secret};
pub use providers::{
    Capabilities, CreateRequest, Flow, InboxCredentials, InboxMessage, MessageSummary, Operation,
    Outcome, Provider, ProviderConfig, RemoteAlias, Step,
};
pub use settings::Settings;
pub use vault::{AliasRecord, AliasState, Lifetime, Source, Vault};
