//! Alias providers: one request builder and response parser per service, driven by one
//! small state machine, [`Flow`], that JavaScript loops over:
//!
//! ```text
//! let step = flow.next(null);
//! while (step is Request) {
//!     try { response = await fetch(step.request) } catch (e) { step = flow.network_error(e.message); break }
//!     step = flow.next(response);
//! }
//! // step is Done(Ok(outcome)) or Done(Err(error))
//! ```
//!
//! Every flow is bounded by [`MAX_FLOW_STEPS`] requests. Each provider takes a base URL
//! (self-hosted SimpleLogin/addy.io, and tests on 127.0.0.1); plain `http://` is only
//! accepted for loopback hosts, because the request carries the API key.
//! What each provider can do is in [`Capabilities`], so the UI can hide the impossible.
//!
//! HTTP status classes (RFC 9110 §15): 401 -> [`AliasError::Unauthorized`]; 402, and
//! 400/403/422 whose message speaks of a limit, plan or upgrade -> [`AliasError::PlanLimit`];
//! other 403 -> Unauthorized; 404 -> [`AliasError::NotFound`]; 429 ->
//! [`AliasError::RateLimited`] with `Retry-After` (RFC 9110 §10.2.3, RFC 6585 §4);
//! 5xx -> [`AliasError::ServerError`]; other 4xx -> [`AliasError::Rejected`].

use super::error::{AliasError, MAX_PROVIDER_MESSAGE_CHARS};
use super::generators;
use super::http::{HttpRequest, HttpResponse, Method, Secret, MAX_RESPONSE_BYTES};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

mod addy;
mod duckduckgo;
mod fastmail;
mod forwardemail;
mod mailtm;
mod relay;
mod simplelogin;

/// Most requests one flow may ask for (list paging included).
pub const MAX_FLOW_STEPS: u32 = 60;
/// Most pages a list flow reads; a longer list ends with `complete: false`.
pub const MAX_LIST_PAGES: u32 = 50;
/// Longest note sent to a provider, in characters (Firefox Relay's `description` limit).
pub const MAX_NOTE_CHARS: usize = 64;
/// Longest base URL accepted.
pub const MAX_BASE_URL_LEN: usize = 2048;

/// A supported service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Provider {
    /// SimpleLogin (Proton), self-hostable.
    #[serde(rename = "simplelogin")]
    SimpleLogin,
    /// addy.io (formerly AnonAddy), self-hostable.
    Addy,
    /// Firefox Relay.
    FirefoxRelay,
    /// DuckDuckGo Email Protection (create only).
    #[serde(rename = "duckduckgo")]
    DuckDuckGo,
    /// Fastmail Masked Email (JMAP).
    Fastmail,
    /// Forward Email.
    #[serde(rename = "forwardemail")]
    ForwardEmail,
    /// mail.tm temporary inbox (no account).
    #[serde(rename = "mailtm")]
    MailTm,
}

impl Provider {
    /// All providers, in the order the options page lists them.
    pub const ALL: [Provider; 7] = [
        Provider::SimpleLogin,
        Provider::Addy,
        Provider::FirefoxRelay,
        Provider::DuckDuckGo,
        Provider::Fastmail,
        Provider::ForwardEmail,
        Provider::MailTm,
    ];

    /// The name users know.
    pub fn name(self) -> &'static str {
        match self {
            Provider::SimpleLogin => "SimpleLogin",
            Provider::Addy => "addy.io",
            Provider::FirefoxRelay => "Firefox Relay",
            Provider::DuckDuckGo => "DuckDuckGo Email Protection",
            Provider::Fastmail => "Fastmail",
            Provider::ForwardEmail => "Forward Email",
            Provider::MailTm => "mail.tm",
        }
    }

    /// The id used in documents and on the command line (`simplelogin`, `firefox-relay`...).
    pub fn id(self) -> &'static str {
        match self {
            Provider::SimpleLogin => "simplelogin",
            Provider::Addy => "addy",
            Provider::FirefoxRelay => "firefox-relay",
            Provider::DuckDuckGo => "duckduckgo",
            Provider::Fastmail => "fastmail",
            Provider::ForwardEmail => "forwardemail",
            Provider::MailTm => "mailtm",
        }
    }

    /// The provider with this [`Provider::id`].
    pub fn from_id(id: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.id() == id)
    }

    /// The public service's base URL.
    pub fn default_base_url(self) -> &'static str {
        match self {
            Provider::SimpleLogin => "https://app.simplelogin.io",
            Provider::Addy => "https://app.addy.io",
            Provider::FirefoxRelay => "https://relay.firefox.com",
            Provider::DuckDuckGo => "https://quack.duckduckgo.com",
            Provider::Fastmail => "https://api.fastmail.com",
            Provider::ForwardEmail => "https://api.forwardemail.net",
            Provider::MailTm => "https://api.mail.tm",
        }
    }

    /// What this provider's API allows.
    pub fn capabilities(self) -> Capabilities {
        let all = Capabilities {
            create: true,
            list: true,
            disable: true,
            enable: true,
            delete: true,
            inbox: false,
            needs_key: true,
            needs_domain: false,
            self_hosted: false,
        };
        match self {
            Provider::SimpleLogin | Provider::Addy => Capabilities {
                self_hosted: true,
                ..all
            },
            Provider::FirefoxRelay | Provider::Fastmail => all,
            Provider::DuckDuckGo => Capabilities {
                list: false,
                disable: false,
                enable: false,
                delete: false,
                ..all
            },
            Provider::ForwardEmail => Capabilities {
                needs_domain: true,
                ..all
            },
            Provider::MailTm => Capabilities {
                create: true,
                list: false,
                disable: false,
                enable: false,
                delete: true,
                inbox: true,
                needs_key: false,
                needs_domain: false,
                self_hosted: false,
            },
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a provider's API allows (the UI hides the rest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Capabilities {
    /// Create an alias.
    pub create: bool,
    /// List the account's aliases.
    pub list: bool,
    /// Disable (stop forwarding) an alias.
    pub disable: bool,
    /// Re-enable a disabled alias.
    pub enable: bool,
    /// Delete an alias (mail.tm: the whole inbox account).
    pub delete: bool,
    /// Read the inbox (temporary inbox providers).
    pub inbox: bool,
    /// An API key is required.
    pub needs_key: bool,
    /// A domain setting is required (Forward Email: the domain aliases live on).
    pub needs_domain: bool,
    /// The base URL may point at a self-hosted server.
    pub self_hosted: bool,
}

/// An operation, for [`AliasError::Unsupported`] and logging.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Operation {
    /// Create an alias.
    Create,
    /// List aliases.
    List,
    /// Disable an alias.
    Disable,
    /// Re-enable an alias.
    Enable,
    /// Delete an alias.
    Delete,
    /// Read a temporary inbox.
    ReadInbox,
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Operation::Create => "create",
            Operation::List => "list",
            Operation::Disable => "disable",
            Operation::Enable => "re-enable",
            Operation::Delete => "delete",
            Operation::ReadInbox => "read the inbox of",
        })
    }
}

/// A provider account as configured by the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderConfig {
    /// Which service.
    pub provider: Provider,
    /// Base URL; `None` for the public service.
    #[serde(default)]
    pub base_url: Option<String>,
    /// API key / token (empty for mail.tm).
    #[serde(default)]
    pub key: Secret,
    /// addy.io: alias domain (default `anonaddy.me`); Forward Email: the user's domain
    /// (required).
    #[serde(default)]
    pub domain: Option<String>,
}

impl ProviderConfig {
    /// A configuration for the public service with this key.
    pub fn new(provider: Provider, key: &str) -> Self {
        ProviderConfig {
            provider,
            base_url: None,
            key: Secret::new(key),
            domain: None,
        }
    }
}

/// What to create, and for which site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateRequest {
    /// Registrable domain (`example.co.uk`), see [`crate::site`].
    pub site: String,
    /// Host name of the page (`login.example.co.uk`).
    pub hostname: String,
    /// Origin of the page (`https://login.example.co.uk`); Fastmail's `forDomain`.
    pub origin: String,
    /// Note stored at the provider.
    pub note: String,
    /// mail.tm: the wanted name before `@` (random when `None`).
    #[serde(default)]
    pub local_part: Option<String>,
}

impl CreateRequest {
    /// A request for the page at `url` (a URL or host), with the note
    /// "generated by ImpaleMail for `<site>`".
    pub fn for_url(url: &str) -> Result<Self, AliasError> {
        let hostname = crate::site::host(url)?;
        let site = crate::site::registrable_domain(&hostname)?;
        let scheme = if url.trim_start().starts_with("http://") {
            "http"
        } else {
            "https"
        };
        Ok(CreateRequest {
            note: format!("generated by ImpaleMail for {site}"),
            origin: format!("{scheme}://{hostname}"),
            site,
            hostname,
            local_part: None,
        })
    }
}

/// An alias as the provider reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteAlias {
    /// The address.
    pub address: String,
    /// Service.
    pub provider: Provider,
    /// The provider's id for it (path parameter of disable/delete).
    pub provider_id: Option<String>,
    /// Whether it forwards mail.
    pub enabled: bool,
    /// The provider's note/description.
    pub note: Option<String>,
    /// The site recorded at the provider, if any.
    pub site: Option<String>,
}

/// Credentials of a mail.tm inbox; JavaScript stores them with the vault record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxCredentials {
    /// The address.
    pub address: String,
    /// Account password (random, made by ImpaleMail).
    pub password: Secret,
    /// Account id (for deleting the account).
    pub account_id: Option<String>,
    /// Bearer token, if one was obtained (renewed on 401).
    #[serde(default)]
    pub token: Option<Secret>,
}

/// A message in a temporary inbox listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageSummary {
    /// Message id.
    pub id: String,
    /// Sender address.
    pub from: String,
    /// Subject.
    pub subject: String,
    /// First characters of the text.
    pub intro: String,
    /// Arrival time as the provider wrote it (ISO 8601).
    pub created_at: String,
    /// Whether it was read.
    pub seen: bool,
}

/// A full message from a temporary inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxMessage {
    /// Summary fields.
    pub summary: MessageSummary,
    /// Plain-text body.
    pub text: String,
    /// HTML body parts, joined (display sandboxed!).
    pub html: String,
}

/// The successful result of a flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Outcome {
    /// An alias was created.
    Created {
        /// The new alias.
        alias: RemoteAlias,
    },
    /// A temporary inbox was created.
    InboxCreated {
        /// The inbox address as an alias.
        alias: RemoteAlias,
        /// Credentials to read it later.
        inbox: InboxCredentials,
    },
    /// The account's aliases.
    Listed {
        /// Aliases (deleted ones left out).
        aliases: Vec<RemoteAlias>,
        /// `false` when [`MAX_LIST_PAGES`] stopped the listing.
        complete: bool,
    },
    /// An alias is now enabled or disabled, as the provider reports.
    StateChanged {
        /// Provider id.
        provider_id: String,
        /// The state the provider reports afterwards.
        enabled: bool,
    },
    /// An alias (or inbox account) was deleted.
    Deleted {
        /// Provider id.
        provider_id: String,
    },
    /// A temporary inbox's messages.
    Messages {
        /// Newest first, as the provider returns them.
        messages: Vec<MessageSummary>,
        /// A renewed token to store, if the old one had expired.
        new_token: Option<Secret>,
    },
    /// One message.
    Message {
        /// The message.
        message: InboxMessage,
        /// A renewed token to store.
        new_token: Option<Secret>,
    },
    /// One message's raw source (RFC 5322 text).
    RawSource {
        /// The message as received.
        source: String,
        /// A renewed token to store.
        new_token: Option<Secret>,
    },
}

/// What the caller does next.
#[derive(Debug)]
pub enum Step {
    /// Perform this request and pass the response to [`Flow::next`].
    Request(HttpRequest),
    /// The flow is over.
    Done(Result<Outcome, AliasError>),
}

/// The operation a flow carries out.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    Create(CreateRequest),
    List,
    SetEnabled { id: String, enabled: bool },
    Delete { id: String },
    Messages,
    Message { id: String },
    RawSource { id: String },
    DeleteInbox,
}

/// Where a multi-step flow stands (the request just sent).
#[derive(Debug, Clone)]
pub(crate) enum Stage {
    /// The only (or last) call.
    Call,
    /// A list page (SimpleLogin from 0, addy.io / Forward Email from 1).
    Page(u32, Vec<RemoteAlias>),
    /// SimpleLogin: reading the alias before toggling.
    Lookup,
    /// SimpleLogin: the toggle.
    Toggle,
    /// Fastmail: the JMAP session.
    Session,
    /// mail.tm: the domain list.
    Domains,
    /// mail.tm: creating the account.
    Account { address: String, password: Secret },
    /// mail.tm: getting a token; `then_call` for inbox operations.
    Token {
        address: String,
        password: Secret,
        account_id: Option<String>,
        renewed: bool,
    },
    /// mail.tm: an inbox call; `renewed` once the token was renewed.
    InboxCall { renewed: bool },
}

/// What a provider's step function returns.
pub(crate) enum Next {
    Send(HttpRequest, Stage),
    Done(Outcome),
}

/// Context shared by the provider modules: validated base URL, credentials, clock.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    pub provider: Provider,
    /// Base URL without trailing slash.
    pub base: String,
    pub key: Secret,
    pub domain: Option<String>,
    pub now: u64,
    pub inbox: Option<InboxCredentials>,
    pub new_token: Option<Secret>,
}

/// A running provider operation: call [`Flow::next`] until it returns [`Step::Done`].
#[derive(Debug)]
pub struct Flow {
    ctx: Ctx,
    op: Op,
    stage: Option<Stage>,
    steps: u32,
    finished: bool,
}

impl Flow {
    /// Creates an alias for `request.site`. `now` is unix seconds (used for
    /// `Retry-After` dates).
    pub fn create(
        config: &ProviderConfig,
        request: &CreateRequest,
        now: u64,
    ) -> Result<Flow, AliasError> {
        Flow::start(config, Op::Create(request.clone()), Operation::Create, now)
    }

    /// Lists the account's aliases.
    pub fn list(config: &ProviderConfig, now: u64) -> Result<Flow, AliasError> {
        Flow::start(config, Op::List, Operation::List, now)
    }

    /// Disables (`enabled = false`) or re-enables an alias by provider id.
    pub fn set_enabled(
        config: &ProviderConfig,
        provider_id: &str,
        enabled: bool,
        now: u64,
    ) -> Result<Flow, AliasError> {
        let operation = if enabled {
            Operation::Enable
        } else {
            Operation::Disable
        };
        let id = provider_id.to_string();
        Flow::start(config, Op::SetEnabled { id, enabled }, operation, now)
    }

    /// Deletes an alias by provider id.
    pub fn delete(
        config: &ProviderConfig,
        provider_id: &str,
        now: u64,
    ) -> Result<Flow, AliasError> {
        let id = provider_id.to_string();
        Flow::start(config, Op::Delete { id }, Operation::Delete, now)
    }

    /// Lists a temporary inbox's messages.
    pub fn messages(
        config: &ProviderConfig,
        inbox: &InboxCredentials,
        now: u64,
    ) -> Result<Flow, AliasError> {
        Flow::start_inbox(config, inbox, Op::Messages, now)
    }

    /// Reads one message of a temporary inbox.
    pub fn message(
        config: &ProviderConfig,
        inbox: &InboxCredentials,
        message_id: &str,
        now: u64,
    ) -> Result<Flow, AliasError> {
        let id = message_id.to_string();
        Flow::start_inbox(config, inbox, Op::Message { id }, now)
    }

    /// Reads one message's raw source (to check its signature, or save it).
    pub fn raw_source(
        config: &ProviderConfig,
        inbox: &InboxCredentials,
        message_id: &str,
        now: u64,
    ) -> Result<Flow, AliasError> {
        let id = message_id.to_string();
        Flow::start_inbox(config, inbox, Op::RawSource { id }, now)
    }

    /// Deletes a temporary inbox account.
    pub fn delete_inbox(
        config: &ProviderConfig,
        inbox: &InboxCredentials,
        now: u64,
    ) -> Result<Flow, AliasError> {
        Flow::start_inbox(config, inbox, Op::DeleteInbox, now)
    }

    fn start_inbox(
        config: &ProviderConfig,
        inbox: &InboxCredentials,
        op: Op,
        now: u64,
    ) -> Result<Flow, AliasError> {
        let mut flow = Flow::start(config, op, Operation::ReadInbox, now)?;
        flow.ctx.inbox = Some(inbox.clone());
        Ok(flow)
    }

    fn start(
        config: &ProviderConfig,
        op: Op,
        operation: Operation,
        now: u64,
    ) -> Result<Flow, AliasError> {
        let provider = config.provider;
        let caps = provider.capabilities();
        let allowed = match operation {
            Operation::Create => caps.create,
            Operation::List => caps.list,
            Operation::Disable => caps.disable,
            Operation::Enable => caps.enable,
            Operation::Delete => caps.delete && provider != Provider::MailTm,
            Operation::ReadInbox => caps.inbox,
        };
        if !allowed {
            return Err(AliasError::Unsupported {
                provider,
                operation,
            });
        }
        if caps.needs_key && config.key.is_empty() {
            return Err(AliasError::MissingSetting {
                provider,
                setting: "an API key",
            });
        }
        let domain = match &config.domain {
            Some(d) if !d.trim().is_empty() => Some(generators::validate_domain(d)?),
            _ if caps.needs_domain => {
                return Err(AliasError::MissingSetting {
                    provider,
                    setting: "the domain your aliases live on",
                })
            }
            _ => None,
        };
        let base = validate_base_url(
            provider,
            config
                .base_url
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .unwrap_or(provider.default_base_url()),
        )?;
        Ok(Flow {
            ctx: Ctx {
                provider,
                base,
                key: config.key.clone(),
                domain,
                now,
                inbox: None,
                new_token: None,
            },
            op,
            stage: None,
            steps: 0,
            finished: false,
        })
    }

    /// Advances the flow: pass `None` the first time, then each response in turn.
    pub fn next(&mut self, response: Option<HttpResponse>) -> Step {
        let provider = self.ctx.provider;
        if self.finished {
            return Step::Done(Err(AliasError::FlowMisuse {
                provider,
                reason: "the flow was already finished",
            }));
        }
        let result = match (self.stage.take(), response) {
            (None, _) => self.dispatch_start(),
            (Some(_), None) => Err(AliasError::FlowMisuse {
                provider,
                reason: "a response was expected",
            }),
            (Some(stage), Some(resp)) => {
                if resp.body.len() > MAX_RESPONSE_BYTES {
                    Err(AliasError::Malformed {
                        provider,
                        what: format!(
                            "a {} byte response (limit {MAX_RESPONSE_BYTES})",
                            resp.body.len()
                        ),
                    })
                } else {
                    self.dispatch_step(stage, &resp)
                }
            }
        };
        match result {
            Ok(Next::Send(req, stage)) => {
                self.steps += 1;
                if self.steps > MAX_FLOW_STEPS {
                    self.finished = true;
                    return Step::Done(Err(AliasError::FlowMisuse {
                        provider,
                        reason: "too many requests for one operation",
                    }));
                }
                self.stage = Some(stage);
                Step::Request(req)
            }
            Ok(Next::Done(outcome)) => {
                self.finished = true;
                Step::Done(Ok(outcome))
            }
            Err(e) => {
                self.finished = true;
                Step::Done(Err(scrub_error(e, &self.ctx)))
            }
        }
    }

    /// Ends the flow because `fetch` failed (offline, DNS, TLS, CORS).
    pub fn network_error(&mut self, message: &str) -> Step {
        self.finished = true;
        self.stage = None;
        Step::Done(Err(AliasError::Network {
            provider: self.ctx.provider,
            message: shorten(&scrub(message, &self.ctx)),
        }))
    }

    /// The provider this flow talks to.
    pub fn provider(&self) -> Provider {
        self.ctx.provider
    }

    fn dispatch_start(&mut self) -> Result<Next, AliasError> {
        let (c, op) = (&mut self.ctx, &self.op);
        match c.provider {
            Provider::SimpleLogin => simplelogin::start(c, op),
            Provider::Addy => addy::start(c, op),
            Provider::FirefoxRelay => relay::start(c, op),
            Provider::DuckDuckGo => duckduckgo::start(c, op),
            Provider::Fastmail => fastmail::start(c, op),
            Provider::ForwardEmail => forwardemail::start(c, op),
            Provider::MailTm => mailtm::start(c, op),
        }
    }

    fn dispatch_step(&mut self, stage: Stage, resp: &HttpResponse) -> Result<Next, AliasError> {
        let (c, op) = (&mut self.ctx, &self.op);
        match c.provider {
            Provider::SimpleLogin => simplelogin::step(c, op, stage, resp),
            Provider::Addy => addy::step(c, op, stage, resp),
            Provider::FirefoxRelay => relay::step(c, op, stage, resp),
            Provider::DuckDuckGo => duckduckgo::step(c, op, stage, resp),
            Provider::Fastmail => fastmail::step(c, op, stage, resp),
            Provider::ForwardEmail => forwardemail::step(c, op, stage, resp),
            Provider::MailTm => mailtm::step(c, op, stage, resp),
        }
    }
}

/// Checks a base URL: `https://host[:port][/path]`, or `http://` for loopback hosts only;
/// no query, fragment or user info. Returns it without a trailing slash.
pub fn validate_base_url(provider: Provider, url: &str) -> Result<String, AliasError> {
    let u = url.trim();
    let bad = |reason| AliasError::InvalidBaseUrl {
        provider,
        url: u.chars().take(200).collect(),
        reason,
    };
    if u.len() > MAX_BASE_URL_LEN {
        return Err(bad("it is too long"));
    }
    let (scheme, rest) = u
        .split_once("://")
        .ok_or_else(|| bad("it must start with https://"))?;
    let scheme = scheme.to_ascii_lowercase();
    if u.contains(['?', '#', ' ', '\\']) || u.chars().any(|c| c.is_control()) {
        return Err(bad("it must not contain a query, fragment or spaces"));
    }
    let authority = rest.split('/').next().unwrap_or("");
    if authority.contains('@') {
        return Err(bad("it must not contain a user name or password"));
    }
    let host = crate::site::host(authority).map_err(|_| bad("the host name is invalid"))?;
    let loopback = host == "localhost"
        || host == "[::1]"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|a| a.is_loopback());
    match scheme.as_str() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(bad(
                "plain http would send your API key unencrypted; use https://",
            ))
        }
        _ => return Err(bad("it must start with https://")),
    }
    Ok(format!("{scheme}://{}", rest.trim_end_matches('/')))
}

/// The origin (`scheme://authority`) of an absolute URL.
pub(crate) fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split('/').next()?;
    Some(format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        authority.to_ascii_lowercase()
    ))
}

/// Percent-encodes a provider id for use as one path segment (RFC 3986 §3.3);
/// refuses empty ids and dot segments.
pub(crate) fn segment(provider: Provider, id: &str) -> Result<String, AliasError> {
    if id.is_empty() || id == "." || id == ".." || id.len() > 200 {
        return Err(AliasError::InvalidRecord {
            record: format!("{provider} id"),
            reason: "the provider id is empty or invalid".into(),
        });
    }
    Ok(percent_encode(id))
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub(crate) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Builds a JSON request with the given auth header.
pub(crate) fn json_request(
    method: Method,
    url: String,
    auth: Option<(&str, String)>,
    body: Option<Value>,
) -> HttpRequest {
    let mut headers = Vec::with_capacity(4);
    if let Some((name, value)) = auth {
        headers.push((name.to_string(), value));
    }
    headers.push(("Accept".to_string(), "application/json".to_string()));
    if body.is_some() {
        headers.push(("Content-Type".to_string(), "application/json".to_string()));
    }
    HttpRequest {
        method,
        url,
        headers,
        body: body.map(|b| crate::json::text(&b)),
    }
}

/// Cuts a note to [`MAX_NOTE_CHARS`] characters.
pub(crate) fn note(text: &str) -> String {
    text.chars().take(MAX_NOTE_CHARS).collect()
}

fn scrub(text: &str, c: &Ctx) -> String {
    let mut s = text.to_string();
    let mut secrets: Vec<&str> = vec![c.key.expose()];
    if let Some(inbox) = &c.inbox {
        secrets.push(inbox.password.expose());
        if let Some(t) = &inbox.token {
            secrets.push(t.expose());
        }
    }
    for secret in secrets {
        if secret.len() >= 4 {
            s = s.replace(secret, "***");
        }
    }
    s
}

/// Removes the key, password and token from the texts an error carries: a response can echo
/// them into an address, a domain or a field that then ends up in the error (found by the
/// `providers` fuzz target; provider messages are already scrubbed in [`classify`]).
fn scrub_error(e: AliasError, c: &Ctx) -> AliasError {
    use crate::site::SiteError;
    let s = |t: String| scrub(&t, c);
    match e {
        AliasError::InvalidDomain { domain, reason } => AliasError::InvalidDomain {
            domain: s(domain),
            reason,
        },
        AliasError::InvalidLocalPart { local_part, reason } => AliasError::InvalidLocalPart {
            local_part: s(local_part),
            reason,
        },
        AliasError::InvalidAddress { address, reason } => AliasError::InvalidAddress {
            address: s(address),
            reason,
        },
        AliasError::InvalidSite(SiteError::BadLabel { label }) => {
            AliasError::InvalidSite(SiteError::BadLabel { label: s(label) })
        }
        AliasError::InvalidSite(SiteError::BadPort { port }) => {
            AliasError::InvalidSite(SiteError::BadPort { port: s(port) })
        }
        AliasError::InvalidSite(SiteError::BadIpLiteral { literal }) => {
            AliasError::InvalidSite(SiteError::BadIpLiteral {
                literal: s(literal),
            })
        }
        AliasError::Malformed { provider, what } => AliasError::Malformed {
            provider,
            what: s(what),
        },
        AliasError::NotFound { provider, id } => AliasError::NotFound {
            provider,
            id: s(id),
        },
        AliasError::InvalidRecord { record, reason } => AliasError::InvalidRecord {
            record: s(record),
            reason: s(reason),
        },
        other => other,
    }
}

fn shorten(text: &str) -> String {
    let t = text.trim();
    if t.chars().count() > MAX_PROVIDER_MESSAGE_CHARS {
        let mut s: String = t.chars().take(MAX_PROVIDER_MESSAGE_CHARS).collect();
        s.push('\u{2026}');
        s
    } else {
        t.to_string()
    }
}

/// The provider's error text from a JSON (or plain) error body.
fn error_message(body: &str) -> Option<String> {
    let v: Value = match serde_json::from_str(body) {
        Ok(v) => v,
        Err(_) => {
            let t = body.trim();
            return (!t.is_empty() && !t.starts_with('<')).then(|| t.to_string());
        }
    };
    for key in [
        "error",
        "message",
        "detail",
        "description",
        "hydra:description",
    ] {
        match v.get(key) {
            Some(Value::String(s)) => return Some(s.clone()),
            Some(Value::Object(o)) => {
                if let Some(Value::String(s)) = o.get("message") {
                    return Some(s.clone());
                }
            }
            _ => {}
        }
    }
    if let Some(errors) = v.get("errors") {
        return Some(crate::json::text(errors));
    }
    None
}

const PLAN_WORDS: [&str; 9] = [
    "upgrade",
    "limit",
    "quota",
    "premium",
    "subscription",
    "plan",
    "maximum",
    "free tier",
    "payment",
];

/// Turns a non-2xx response into the error class of the module docs.
pub(crate) fn classify(c: &Ctx, resp: &HttpResponse) -> AliasError {
    let provider = c.provider;
    let status = resp.status;
    let message = error_message(&resp.body).map(|m| shorten(&scrub(&m, c)));
    let plan_words = message.as_deref().is_some_and(|m| {
        let lower = crate::case::lowercase(m);
        PLAN_WORDS.iter().any(|w| lower.contains(w))
    });
    match status {
        401 => AliasError::Unauthorized { provider, status },
        402 => AliasError::PlanLimit {
            provider,
            status,
            message,
        },
        400 | 403 | 409 | 422 if plan_words => AliasError::PlanLimit {
            provider,
            status,
            message,
        },
        403 => AliasError::Unauthorized { provider, status },
        404 => AliasError::NotFound {
            provider,
            id: String::new(),
        },
        429 => AliasError::RateLimited {
            provider,
            retry_after_secs: resp.retry_after_secs(c.now),
        },
        500..=599 => AliasError::ServerError { provider, status },
        _ => AliasError::Rejected {
            provider,
            status,
            message,
        },
    }
}

/// Checks the status and parses the JSON body (`Null` for an empty 2xx body).
pub(crate) fn ok_json(c: &Ctx, resp: &HttpResponse) -> Result<Value, AliasError> {
    if !(200..300).contains(&resp.status) {
        return Err(classify(c, resp));
    }
    if resp.body.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(&resp.body).map_err(|e| AliasError::Malformed {
        provider: c.provider,
        what: format!("the body is not JSON ({e})"),
    })
}

/// Like [`ok_json`], but a 404 names the id.
pub(crate) fn ok_json_for(c: &Ctx, resp: &HttpResponse, id: &str) -> Result<Value, AliasError> {
    match ok_json(c, resp) {
        Err(AliasError::NotFound { provider, .. }) => Err(AliasError::NotFound {
            provider,
            id: id.to_string(),
        }),
        other => other,
    }
}

/// A missing/mistyped field error.
pub(crate) fn missing(c: &Ctx, what: &str) -> AliasError {
    AliasError::Malformed {
        provider: c.provider,
        what: format!("missing {what}"),
    }
}

/// `v[path...]` as a string (numbers are turned into their decimal text, for ids).
pub(crate) fn get_str(v: &Value, path: &[&str]) -> Option<String> {
    let mut cur = v;
    for p in path {
        cur = cur.get(*p)?;
    }
    match cur {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `v[path...]` as a bool.
pub(crate) fn get_bool(v: &Value, path: &[&str]) -> Option<bool> {
    let mut cur = v;
    for p in path {
        cur = cur.get(*p)?;
    }
    cur.as_bool()
}

/// Optional non-empty string field.
pub(crate) fn opt_str(v: &Value, key: &str) -> Option<String> {
    get_str(v, &[key]).filter(|s| !s.is_empty())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_require_https_except_loopback() {
        let p = Provider::SimpleLogin;
        assert_eq!(
            validate_base_url(p, "https://sl.example.org/").unwrap(),
            "https://sl.example.org"
        );
        assert!(validate_base_url(p, "http://127.0.0.1:8080").is_ok());
        assert!(validate_base_url(p, "http://localhost:8080/").is_ok());
        assert!(matches!(
            validate_base_url(p, "http://sl.example.org"),
            Err(AliasError::InvalidBaseUrl { .. })
        ));
        assert!(validate_base_url(p, "ftp://x.example").is_err());
        assert!(validate_base_url(p, "https://u:p@x.example").is_err());
        assert!(validate_base_url(p, "https://x.example/?a=b").is_err());
        assert!(validate_base_url(p, "x.example").is_err());
    }

    #[test]
    fn unsupported_operations_are_refused_before_any_request() {
        let c = ProviderConfig::new(Provider::DuckDuckGo, "k");
        for e in [
            Flow::list(&c, 0).err(),
            Flow::set_enabled(&c, "1", false, 0).err(),
            Flow::delete(&c, "1", 0).err(),
        ] {
            let e = e.unwrap();
            assert!(matches!(e, AliasError::Unsupported { .. }));
            assert!(e.to_string().contains("DuckDuckGo"));
        }
        assert!(!Provider::DuckDuckGo.capabilities().disable);
        assert!(Provider::MailTm.capabilities().inbox);
    }

    #[test]
    fn missing_key_and_domain_are_named() {
        let e = Flow::list(&ProviderConfig::new(Provider::SimpleLogin, " "), 0).unwrap_err();
        assert!(matches!(e, AliasError::MissingSetting { .. }));
        let e = Flow::list(&ProviderConfig::new(Provider::ForwardEmail, "k"), 0).unwrap_err();
        assert!(e.to_string().contains("domain"), "{e}");
    }

    #[test]
    fn ids_are_one_path_segment() {
        assert_eq!(percent_encode("a/b c"), "a%2Fb%20c");
        assert!(segment(Provider::Addy, "..").is_err());
        assert!(segment(Provider::Addy, "").is_err());
    }

    #[test]
    fn provider_ids_roundtrip() {
        for p in Provider::ALL {
            assert_eq!(Provider::from_id(p.id()), Some(p));
            let json = serde_json::to_string(&p).unwrap();
            assert_eq!(json, format!("\"{}\"", p.id()));
        }
    }

    #[test]
    fn create_request_for_url() {
        let r = CreateRequest::for_url("https://login.shop.example.co.uk/signup").unwrap();
        assert_eq!(r.site, "example.co.uk");
        assert_eq!(r.hostname, "login.shop.example.co.uk");
        assert_eq!(r.origin, "https://login.shop.example.co.uk");
        assert_eq!(r.note, "generated by ImpaleMail for example.co.uk");
    }

    #[test]
    fn finished_flow_and_missing_response_are_misuse() {
        let c = ProviderConfig::new(Provider::DuckDuckGo, "k");
        let req = CreateRequest::for_url("example.com").unwrap();
        let mut f = Flow::create(&c, &req, 0).unwrap();
        assert!(matches!(f.next(None), Step::Request(_)));
        assert!(matches!(
            f.next(None),
            Step::Done(Err(AliasError::FlowMisuse { .. }))
        ));
        assert!(matches!(
            f.next(Some(HttpResponse::new(200, "{}"))),
            Step::Done(Err(AliasError::FlowMisuse { .. }))
        ));
    }

    #[test]
    fn secrets_echoed_into_response_fields_are_scrubbed_from_errors() {
        // mail.tm's domain list names a domain holding the key (fuzz/seeds/providers/
        // crash-mailtm-domain-echoes-key).
        let mut c = ProviderConfig::new(Provider::MailTm, "");
        c.key = Secret::new("echoed-secret-123");
        let req = CreateRequest::for_url("example.com").unwrap();
        let mut f = Flow::create(&c, &req, 0).unwrap();
        let _ = f.next(None);
        let body = r#"{"hydra:member":[{"domain":"xecho-echoed-secret-123","isActive":true,"isPrivate":false}]}"#;
        let Step::Done(Err(e)) = f.next(Some(HttpResponse::new(200, body))) else {
            panic!("expected an error")
        };
        let text = format!("{e} {e:?}");
        assert!(!text.contains("echoed-secret-123"), "{text}");
        assert!(text.contains("***"), "{text}");
    }

    #[test]
    fn network_error_names_provider_and_hides_key() {
        let c = ProviderConfig::new(Provider::Fastmail, "fmu1-secret-token");
        let mut f = Flow::list(&c, 0).unwrap();
        let _ = f.next(None);
        let Step::Done(Err(e)) = f.network_error("failed for fmu1-secret-token") else {
            panic!("expected an error")
        };
        let text = format!("{e} {e:?}");
        assert!(text.contains("Fastmail") && !text.contains("fmu1-secret-token"));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
pub(crate) mod test_support {
    use super::*;

    /// Fixed clock for tests: 2023-11-14T22:13:20Z.
    pub const NOW: u64 = 1_700_000_000;

    pub fn create_req() -> CreateRequest {
        CreateRequest::for_url("https://login.example.co.uk/signup").unwrap()
    }

    pub fn request(f: &mut Flow, resp: Option<HttpResponse>) -> HttpRequest {
        match f.next(resp) {
            Step::Request(r) => r,
            Step::Done(d) => panic!("expected a request, got {d:?}"),
        }
    }

    pub fn done(f: &mut Flow, status: u16, body: &str) -> Result<Outcome, AliasError> {
        match f.next(Some(HttpResponse::new(status, body))) {
            Step::Done(r) => r,
            Step::Request(r) => panic!("expected the end, got {r:?}"),
        }
    }

    pub fn body_json(r: &HttpRequest) -> Value {
        serde_json::from_str(r.body.as_deref().unwrap_or("null")).unwrap()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod failure_tests {
    use super::test_support::*;
    use super::*;

    /// A config and flow per provider whose first request is the create call (or, for
    /// Fastmail and mail.tm, the first call of the chain).
    fn flows() -> Vec<Flow> {
        Provider::ALL
            .iter()
            .map(|&p| {
                let mut cfg = ProviderConfig::new(p, "the-api-key-123");
                if p == Provider::ForwardEmail {
                    cfg.domain = Some("mine.example".into());
                }
                let mut req = create_req();
                req.local_part = Some("fixed".into());
                Flow::create(&cfg, &req, NOW).unwrap()
            })
            .collect()
    }

    fn fail(status: u16, headers: &[(&str, &str)], body: &str) -> Vec<AliasError> {
        flows()
            .into_iter()
            .map(|mut f| {
                let _ = request(&mut f, None);
                let resp = HttpResponse {
                    status,
                    headers: headers
                        .iter()
                        .map(|(a, b)| (a.to_string(), b.to_string()))
                        .collect(),
                    body: body.to_string(),
                };
                match f.next(Some(resp)) {
                    Step::Done(Err(e)) => e,
                    other => panic!("{:?}: expected an error, got {other:?}", f.provider()),
                }
            })
            .collect()
    }

    #[test]
    fn status_401_is_unauthorized_for_every_provider() {
        let errors = fail(401, &[], r#"{"error":"bad key the-api-key-123"}"#);
        for (e, p) in errors.into_iter().zip(Provider::ALL) {
            assert!(
                matches!(e, AliasError::Unauthorized { status: 401, .. }),
                "{e:?}"
            );
            let text = format!("{e} {e:?}");
            assert!(!text.contains("the-api-key-123"), "{text}");
            let hint = if p.capabilities().needs_key {
                "API key"
            } else {
                "temporary inbox"
            };
            assert!(text.contains(hint), "{text}");
        }
    }

    #[test]
    fn status_403_without_plan_words_is_unauthorized() {
        for e in fail(403, &[], r#"{"detail":"Invalid token."}"#) {
            assert!(
                matches!(e, AliasError::Unauthorized { status: 403, .. }),
                "{e:?}"
            );
        }
    }

    #[test]
    fn status_402_and_limit_messages_are_plan_limits() {
        for e in fail(402, &[], r#"{"detail":"free tier"}"#) {
            assert!(
                matches!(e, AliasError::PlanLimit { status: 402, .. }),
                "{e:?}"
            );
        }
        for e in fail(
            403,
            &[],
            r#"{"error":"You have reached your daily limit for creating new aliases"}"#,
        ) {
            assert!(
                matches!(e, AliasError::PlanLimit { status: 403, .. }),
                "{e:?}"
            );
            assert!(e.to_string().contains("daily limit"), "{e}");
        }
    }

    #[test]
    fn status_429_honours_retry_after_seconds_and_dates() {
        for e in fail(429, &[("Retry-After", "30")], "") {
            assert_eq!(e.retry_after_secs(), Some(30), "{e:?}");
            assert!(e.to_string().contains("wait 30 s"), "{e}");
        }
        // NOW + 90 s as an HTTP-date: 2023-11-14T22:14:50Z.
        for e in fail(429, &[("retry-after", "Tue, 14 Nov 2023 22:14:50 GMT")], "") {
            assert_eq!(e.retry_after_secs(), Some(90), "{e:?}");
        }
        for e in fail(429, &[], "") {
            assert!(matches!(
                e,
                AliasError::RateLimited {
                    retry_after_secs: None,
                    ..
                }
            ));
        }
    }

    #[test]
    fn status_5xx_is_a_server_error() {
        for e in fail(502, &[], "<html>Bad gateway</html>") {
            assert!(
                matches!(e, AliasError::ServerError { status: 502, .. }),
                "{e:?}"
            );
            assert!(e.is_transient());
        }
    }

    #[test]
    fn malformed_json_and_missing_fields_are_named() {
        for e in fail(200, &[], "{not json") {
            assert!(matches!(e, AliasError::Malformed { .. }), "{e:?}");
        }
        for e in fail(201, &[], r#"{"unexpected":true}"#) {
            let AliasError::Malformed { what, .. } = &e else {
                panic!("{e:?}")
            };
            assert!(what.starts_with("missing"), "{what}");
        }
    }

    #[test]
    fn display_names_the_provider() {
        for (e, p) in fail(500, &[], "").into_iter().zip(Provider::ALL) {
            assert!(e.to_string().contains(p.name()), "{e}");
        }
    }
}
