//! ImpaleMail core: plain Rust that does not know it runs in a browser.
//!
//! Two jobs share this crate:
//! - [`smime`]: given a message's raw bytes, the time and trust settings, decide what a
//!   reader may believe about its S/MIME signature (RFC 8551, RFC 5652, RFC 5280).
//! - [`alias`]: disposable e-mail aliases: local generators, provider request builders and
//!   response parsers, and the vault's record logic. The caller performs every fetch and
//!   every storage write (sans-IO).
//! - [`forms`]: classifies form fields and forms from compact feature records that the
//!   content script extracts, so the extension knows where an alias belongs.
//!
//! The only module that knows about JavaScript is `bindings`, compiled for wasm32 only.

pub mod alias;
pub mod case;
pub mod cli;
pub mod dkim;
pub mod forms;
pub mod json;
pub mod site;
pub mod smime;
pub mod sort;
pub mod words;

#[cfg(target_arch = "wasm32")]
mod bindings;

/// The crate version, as shown by `impalemail --version` and the extension's popup.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
