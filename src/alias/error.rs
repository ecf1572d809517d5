//! The one error type of the alias area: generators, provider flows, vault and settings.
//!
//! Every message names the provider (when there is one) and what the user can do. No
//! variant ever holds an API key, token or password: provider error texts are cut to
//! [`MAX_PROVIDER_MESSAGE_CHARS`] and scrubbed of the key before they are stored.

use super::providers::{Operation, Provider};
use crate::site::SiteError;
use std::fmt;

/// Longest provider-supplied error text kept in an error, in characters.
pub const MAX_PROVIDER_MESSAGE_CHARS: usize = 200;

/// Everything that can go wrong in the alias area.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AliasError {
    /// A domain name is not usable in an address (RFC 5321 §4.1.2, RFC 1035 §2.3.4).
    InvalidDomain {
        /// The domain as given.
        domain: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A local part is not usable (RFC 5321 §4.1.2 dot-string, at most 64 octets per
    /// RFC 5321 §4.5.3.1.1).
    InvalidLocalPart {
        /// The local part as given.
        local_part: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// An address is not `local@domain` or is longer than 254 octets.
    InvalidAddress {
        /// The address as given.
        address: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A URL or host did not give a site.
    InvalidSite(SiteError),
    /// The per-install secret is not 32 bytes of hex or base64.
    InvalidSecret {
        /// What is wrong (never the secret).
        reason: &'static str,
    },
    /// The platform's random source failed.
    Randomness {
        /// The platform's description.
        message: String,
    },
    /// A provider's base URL is unusable.
    InvalidBaseUrl {
        /// Provider.
        provider: Provider,
        /// The URL as given.
        url: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A setting the provider needs is missing (API key, Forward Email domain, ...).
    MissingSetting {
        /// Provider.
        provider: Provider,
        /// Which setting.
        setting: &'static str,
    },
    /// The provider refused the API key (HTTP 401, or 403 without a plan message).
    Unauthorized {
        /// Provider.
        provider: Provider,
        /// HTTP status.
        status: u16,
    },
    /// Too many requests (HTTP 429); wait `retry_after_secs` when the provider said so.
    RateLimited {
        /// Provider.
        provider: Provider,
        /// From `Retry-After` (RFC 9110 §10.2.3), seconds or an HTTP-date turned into seconds.
        retry_after_secs: Option<u64>,
    },
    /// The account's plan or quota does not allow this (HTTP 402, or a 400/403/422 whose
    /// message speaks of a limit or an upgrade).
    PlanLimit {
        /// Provider.
        provider: Provider,
        /// HTTP status.
        status: u16,
        /// The provider's own words, shortened and scrubbed.
        message: Option<String>,
    },
    /// The alias (or message) does not exist at the provider (HTTP 404 or JMAP `notFound`).
    NotFound {
        /// Provider.
        provider: Provider,
        /// The id asked for.
        id: String,
    },
    /// The provider refused the request for another reason (other 4xx, JMAP errors).
    Rejected {
        /// Provider.
        provider: Provider,
        /// HTTP status (200 for a JMAP method error).
        status: u16,
        /// The provider's own words, shortened and scrubbed.
        message: Option<String>,
    },
    /// The service offers no domain to make an address on right now (mail.tm: no active
    /// public domain in `GET /domains`). Transient: the service adds domains again.
    NoDomain {
        /// Provider.
        provider: Provider,
    },
    /// The provider failed (HTTP 5xx).
    ServerError {
        /// Provider.
        provider: Provider,
        /// HTTP status.
        status: u16,
    },
    /// `fetch` itself failed (offline, DNS, TLS, CORS); reported by JavaScript.
    Network {
        /// Provider.
        provider: Provider,
        /// What the browser said.
        message: String,
    },
    /// The response could not be read: not JSON, or a field missing / of the wrong type.
    Malformed {
        /// Provider.
        provider: Provider,
        /// What was missing or wrong, e.g. "`data.email` (string)".
        what: String,
    },
    /// The provider's API does not offer this operation (see [`super::Capabilities`]).
    Unsupported {
        /// Provider.
        provider: Provider,
        /// The operation asked for.
        operation: Operation,
    },
    /// A flow needed more requests than [`super::providers::MAX_FLOW_STEPS`], or was driven
    /// wrongly (a response missing, or `next` called after the end).
    FlowMisuse {
        /// Provider.
        provider: Provider,
        /// What happened.
        reason: &'static str,
    },
    /// A vault or settings file is not valid JSON/CSV, or a field has the wrong type.
    ImportMalformed {
        /// Where and what, e.g. "line 3: unterminated quote".
        reason: String,
    },
    /// The file is valid JSON/CSV but not an ImpaleMail vault or settings document.
    ImportForeign {
        /// What was expected and not found.
        reason: &'static str,
    },
    /// The document was written by a newer ImpaleMail.
    FutureSchema {
        /// Schema number in the file.
        found: u64,
        /// Newest schema this build reads.
        supported: u32,
    },
    /// A size limit was hit.
    TooLarge {
        /// What was too large.
        what: &'static str,
        /// The size found.
        len: usize,
        /// The limit (a named constant).
        max: usize,
    },
    /// A vault record is invalid.
    InvalidRecord {
        /// The record's address or position.
        record: String,
        /// What is wrong.
        reason: String,
    },
    /// No vault record has this id.
    UnknownRecord {
        /// The id asked for.
        id: String,
    },
    /// A settings value is invalid.
    InvalidSettings {
        /// Which field.
        field: String,
        /// What is wrong.
        reason: String,
    },
}

impl AliasError {
    /// The variant's name, for the bindings' `variant` field (stable across versions).
    pub fn kind(&self) -> &'static str {
        match self {
            AliasError::InvalidDomain { .. } => "InvalidDomain",
            AliasError::InvalidLocalPart { .. } => "InvalidLocalPart",
            AliasError::InvalidAddress { .. } => "InvalidAddress",
            AliasError::InvalidSite(_) => "InvalidSite",
            AliasError::InvalidSecret { .. } => "InvalidSecret",
            AliasError::Randomness { .. } => "Randomness",
            AliasError::InvalidBaseUrl { .. } => "InvalidBaseUrl",
            AliasError::MissingSetting { .. } => "MissingSetting",
            AliasError::Unauthorized { .. } => "Unauthorized",
            AliasError::RateLimited { .. } => "RateLimited",
            AliasError::PlanLimit { .. } => "PlanLimit",
            AliasError::NotFound { .. } => "NotFound",
            AliasError::Rejected { .. } => "Rejected",
            AliasError::NoDomain { .. } => "NoDomain",
            AliasError::ServerError { .. } => "ServerError",
            AliasError::Network { .. } => "Network",
            AliasError::Malformed { .. } => "Malformed",
            AliasError::Unsupported { .. } => "Unsupported",
            AliasError::FlowMisuse { .. } => "FlowMisuse",
            AliasError::ImportMalformed { .. } => "ImportMalformed",
            AliasError::ImportForeign { .. } => "ImportForeign",
            AliasError::FutureSchema { .. } => "FutureSchema",
            AliasError::TooLarge { .. } => "TooLarge",
            AliasError::InvalidRecord { .. } => "InvalidRecord",
            AliasError::UnknownRecord { .. } => "UnknownRecord",
            AliasError::InvalidSettings { .. } => "InvalidSettings",
        }
    }

    /// Seconds to wait before retrying, for [`AliasError::RateLimited`].
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            AliasError::RateLimited {
                retry_after_secs, ..
            } => *retry_after_secs,
            _ => None,
        }
    }

    /// Whether trying the same thing later may succeed (rate limit, 5xx, network).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            AliasError::RateLimited { .. }
                | AliasError::ServerError { .. }
                | AliasError::NoDomain { .. }
                | AliasError::Network { .. }
        )
    }
}

impl From<SiteError> for AliasError {
    fn from(e: SiteError) -> Self {
        AliasError::InvalidSite(e)
    }
}

fn said(message: &Option<String>) -> String {
    match message {
        Some(m) if !m.is_empty() => format!(": \u{201c}{m}\u{201d}"),
        _ => String::new(),
    }
}

impl fmt::Display for AliasError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use AliasError::*;
        match self {
            InvalidDomain { domain, reason } => {
                write!(f, "`{domain}` is not a usable mail domain: {reason}")
            }
            InvalidLocalPart { local_part, reason } => {
                write!(f, "`{local_part}` cannot be the part before @: {reason}")
            }
            InvalidAddress { address, reason } => {
                write!(f, "`{address}` is not a usable e-mail address: {reason}")
            }
            InvalidSite(e) => write!(f, "cannot tell the site: {e}"),
            InvalidSecret { reason } => write!(
                f,
                "the per-site secret is invalid ({reason}); it must be 32 bytes as 64 hex digits or base64"
            ),
            Randomness { message } => write!(
                f,
                "the system's random number generator failed ({message}); try again"
            ),
            InvalidBaseUrl {
                provider,
                url,
                reason,
            } => write!(
                f,
                "the {provider} server address `{url}` is unusable: {reason}. Fix it in ImpaleMail's options"
            ),
            MissingSetting { provider, setting } => write!(
                f,
                "{provider} needs {setting}; add it in ImpaleMail's options"
            ),
            Unauthorized { provider, status } if !provider.capabilities().needs_key => write!(
                f,
                "{provider} refused the inbox credentials (HTTP {status}); make a new temporary inbox"
            ),
            Unauthorized { provider, status } => write!(
                f,
                "{provider} refused the API key (HTTP {status}). Check your {provider} API key in ImpaleMail's options"
            ),
            RateLimited {
                provider,
                retry_after_secs: Some(s),
            } => write!(f, "{provider} asks to wait {s} s before the next request"),
            RateLimited {
                provider,
                retry_after_secs: None,
            } => write!(
                f,
                "{provider} is receiving too many requests; wait a minute and try again"
            ),
            PlanLimit {
                provider,
                status,
                message,
            } => write!(
                f,
                "{provider} says your plan's limit is reached (HTTP {status}){}. Delete unused aliases or upgrade at {provider}, or use a local generator",
                said(message)
            ),
            NotFound { provider, id } => write!(
                f,
                "{provider} has no alias or message `{id}`; it may have been deleted there"
            ),
            Rejected {
                provider,
                status,
                message,
            } => write!(f, "{provider} refused the request (HTTP {status}){}", said(message)),
            NoDomain { provider } => write!(
                f,
                "{provider} has no address domain available right now; try again later"
            ),
            ServerError { provider, status } => write!(
                f,
                "{provider} had a server error (HTTP {status}); try again later"
            ),
            Network { provider, message } => write!(
                f,
                "could not reach {provider} ({message}); check your connection and the server address in ImpaleMail's options"
            ),
            Malformed { provider, what } => write!(
                f,
                "{provider} sent a response ImpaleMail cannot read: {what}. Its API may have changed; please report this"
            ),
            Unsupported {
                provider,
                operation,
            } => write!(
                f,
                "{provider} does not let ImpaleMail {operation} aliases; do it on the {provider} website"
            ),
            FlowMisuse { provider, reason } => {
                write!(f, "internal error while talking to {provider}: {reason}")
            }
            ImportMalformed { reason } => write!(
                f,
                "the file cannot be imported: {reason}. Nothing was changed"
            ),
            ImportForeign { reason } => write!(
                f,
                "this is not an ImpaleMail export ({reason}). Nothing was changed"
            ),
            FutureSchema { found, supported } => write!(
                f,
                "the file was written by a newer ImpaleMail (schema {found}, this version reads up to {supported}); update ImpaleMail. Nothing was changed"
            ),
            TooLarge { what, len, max } => {
                write!(f, "{what} is too large ({len}; the limit is {max})")
            }
            InvalidRecord { record, reason } => {
                write!(f, "alias record {record} is invalid: {reason}")
            }
            UnknownRecord { id } => write!(f, "no alias with id `{id}` in the vault"),
            InvalidSettings { field, reason } => write!(f, "setting `{field}`: {reason}"),
        }
    }
}

impl std::error::Error for AliasError {}
