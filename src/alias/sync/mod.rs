//! Sync: the vault on every device through the browser's own `storage.sync`, end-to-end
//! encrypted (issue #25). Sans-IO: JavaScript moves items between `storage.local` and
//! `storage.sync`; everything else is here.
//!
//! - [`hlc`]: the hybrid logical clock that orders changes.
//! - [`replica`]: the replicated vault, its per-field merge (a join: any order, any number of
//!   times, same result), tombstones, and the rule for who acts at a provider.
//! - [`pack`]: the compact binary form of records (what is encrypted).
//! - [`code`]: the sync code (the only key) and what the keys are derived with (HKDF).
//! - [`seal`]: records chunked into `storage.sync` items, each sealed with AES-256-GCM by
//!   the background (WebCrypto); reading refuses a wrong code, a changed item and another
//!   format.
//!
//! See ARCHITECTURE.md, "Sync", for what travels and what the browser vendor sees.

pub mod code;
mod error;
pub mod hlc;
pub mod pack;
pub mod replica;
pub mod seal;
mod state;

pub use code::SyncCode;
pub use error::SyncError;
pub use hlc::{Clock, DeviceId, Hlc};
pub use replica::{Change, ProviderAction, Replica, SyncRecord, Turn};
pub use state::{Incoming, Plain, SyncState};
