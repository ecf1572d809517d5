//! One device's sync state, kept in `storage.local`: the sync code, the clock and the
//! replica. The calls the background makes: [`SyncState::outgoing`] after a local vault
//! change, [`SyncState::incoming`] when `storage.sync` changed.

use super::code::SyncCode;
use super::error::SyncError;
use super::hlc::{Clock, DeviceId, Hlc};
use super::pack::{pack, unpack};
use super::replica::Replica;
use super::seal::{open_items, seal_replica, Sealed};
use crate::alias::vault::{record_id, Vault};
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The `format` marker of a stored sync state.
pub const STATE_FORMAT: &str = "impalemail-sync-state";
/// The stored state's schema this build writes (and the newest it reads).
pub const STATE_SCHEMA: u64 = 1;

/// A device's sync state.
#[derive(Debug, Clone)]
pub struct SyncState {
    /// The code (shown again so another device can join).
    pub code: SyncCode,
    /// This device's clock.
    pub clock: Clock,
    /// The replica.
    pub replica: Replica,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    format: String,
    schema: u64,
    code: String,
    device: String,
    wall: u64,
    counter: u32,
    replica: String,
}

/// What [`SyncState::incoming`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    /// The vault to store: the merged records, plus any local record sync could not hold.
    pub vault: Vault,
    /// Records changed by the merge.
    pub changed: usize,
    /// Items left out: `(key, plain-words reason)`.
    pub refused: Vec<(String, String)>,
}

impl SyncState {
    /// Sync turned on with `code` (new, or typed to join), on a device with a fresh random id.
    pub fn start(code: SyncCode) -> Result<SyncState, SyncError> {
        let mut id = [0u8; 8];
        getrandom::getrandom(&mut id).map_err(|e| SyncError::Randomness {
            message: e.to_string(),
        })?;
        Ok(SyncState::with_device(code, u64::from_le_bytes(id)))
    }

    /// Sync with a chosen device id (tests).
    pub fn with_device(code: SyncCode, device: DeviceId) -> SyncState {
        SyncState {
            code,
            clock: Clock::new(device),
            replica: Replica::new(),
        }
    }

    /// The stored form (JSON text).
    pub fn to_json(&self) -> String {
        let last = self.clock.last();
        serde_json::to_string(&Stored {
            format: STATE_FORMAT.to_string(),
            schema: STATE_SCHEMA,
            code: self.code.to_text(),
            device: format!("{:016x}", last.device),
            wall: last.wall,
            counter: last.counter,
            replica: B64.encode(pack(&self.replica.records)),
        })
        .unwrap_or_default()
    }

    /// Reads the stored form.
    pub fn from_json(text: &str) -> Result<SyncState, SyncError> {
        let bad = |reason: &str| SyncError::BadState {
            reason: reason.to_string(),
        };
        let s: Stored = serde_json::from_str(text).map_err(|e| bad(&e.to_string()))?;
        if s.format != STATE_FORMAT {
            return Err(bad("not a sync state"));
        }
        if s.schema > STATE_SCHEMA {
            return Err(SyncError::FutureSchema {
                found: s.schema,
                supported: STATE_SCHEMA,
            });
        }
        let device = u64::from_str_radix(&s.device, 16).map_err(|_| bad("bad device id"))?;
        let packed = B64.decode(&s.replica).map_err(|_| bad("bad replica"))?;
        Ok(SyncState {
            code: SyncCode::parse(&s.code)?,
            clock: Clock::resume(Hlc {
                wall: s.wall,
                counter: s.counter,
                device,
            }),
            replica: unpack(&packed, "local")?,
        })
    }

    /// Records the local vault's changes and seals the items to write (see
    /// [`seal_replica`]; `previous` is the `storage.sync` area as it is now).
    pub fn outgoing(
        &mut self,
        vault: &Vault,
        previous: &BTreeMap<String, String>,
        now: u64,
    ) -> Result<Sealed, SyncError> {
        self.replica.record_vault(vault, &mut self.clock, now);
        seal_replica(&self.replica, &self.code.keys(), previous)
    }

    /// Merges the `storage.sync` area into the replica, after recording the local vault's
    /// own changes, and returns the vault to store. A wrong code or a newer format is
    /// refused and nothing changes; a damaged item is left out (listed in `refused`).
    pub fn incoming(
        &mut self,
        vault: &Vault,
        items: &BTreeMap<String, String>,
        now: u64,
    ) -> Result<Incoming, SyncError> {
        let opened = open_items(items, &self.code.keys())?;
        self.replica.record_vault(vault, &mut self.clock, now);
        for h in opened.replica.stamps() {
            self.clock.observe(h, now);
        }
        let changed = self.replica.merge(&opened.replica);
        let mut merged = self.replica.view();
        // A local record the replica could not take (it breaks a rule the vault did not
        // have when it was stored) stays in the vault: nothing local is dropped by sync.
        merged.records.extend(
            vault
                .records
                .iter()
                .filter(|r| !self.replica.records.contains_key(&record_id(&r.address)))
                .cloned(),
        );
        Ok(Incoming {
            vault: merged,
            changed,
            refused: opened
                .refused
                .into_iter()
                .map(|(k, e)| (k, e.to_string()))
                .collect(),
        })
    }
}
