//! One device's sync state, kept in `storage.local`: the sync code, the clock and the
//! replica. The calls the background makes: [`SyncState::outgoing`] after a local vault
//! change, [`SyncState::incoming`] when `storage.sync` changed.

use super::code::SyncCode;
use super::error::SyncError;
use super::hlc::{Clock, DeviceId, Hlc};
use super::pack::{pack_replica, unpack};
use super::replica::Replica;
use super::seal::{open_items, seal_replica, Sealed};

/// What the background opened of the area: item key and plaintext.
pub type Plain = [(String, Vec<u8>)];
use crate::alias::vault::{record_id, Vault};
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use base64::Engine as _;

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

    /// The stored form: one line of colon-separated fields,
    /// `impalemail-sync-state:1:<code>:<device hex>:<clock wall>:<clock counter>:<base64 pack>`
    /// (plain text rather than JSON: a JSON reader of its own would cost wasm).
    pub fn to_text(&self) -> String {
        let last = self.clock.last();
        format!(
            "{STATE_FORMAT}:{STATE_SCHEMA}:{}:{:016x}:{}:{}:{}",
            self.code.to_text(),
            last.device,
            last.wall,
            last.counter,
            B64.encode(pack_replica(&self.replica))
        )
    }

    /// Reads the stored form.
    pub fn from_text(text: &str) -> Result<SyncState, SyncError> {
        let bad = |reason: &str| SyncError::BadState {
            reason: reason.to_string(),
        };
        let f: Vec<&str> = text.trim().split(':').collect();
        if f.first() != Some(&STATE_FORMAT) {
            return Err(bad("not a sync state"));
        }
        let schema: u64 = f
            .get(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad("no schema"))?;
        if schema > STATE_SCHEMA {
            return Err(SyncError::FutureSchema {
                found: schema,
                supported: STATE_SCHEMA,
            });
        }
        let [_, _, code, device, wall, counter, replica] = f[..] else {
            return Err(bad("a field is missing"));
        };
        let device = u64::from_str_radix(device, 16).map_err(|_| bad("bad device id"))?;
        let wall = wall.parse().map_err(|_| bad("bad clock"))?;
        let counter = counter.parse().map_err(|_| bad("bad clock"))?;
        let packed = B64.decode(replica).map_err(|_| bad("bad replica"))?;
        Ok(SyncState {
            code: SyncCode::parse(code)?,
            clock: Clock::resume(Hlc {
                wall,
                counter,
                device,
            }),
            replica: unpack(&packed, "local")?,
        })
    }

    /// Records the local vault's changes and says which items to write (see
    /// [`seal_replica`]; `previous` is the `storage.sync` area as it is now, `opened` what
    /// the background opened of it, `check` the code check it derived).
    pub fn outgoing(
        &mut self,
        vault: &Vault,
        previous: &[(String, String)],
        opened: &Plain,
        check: &[u8],
        now: u64,
    ) -> Result<Sealed, SyncError> {
        self.replica.record_vault(vault, &mut self.clock, now);
        seal_replica(&self.replica, check, previous, opened)
    }

    /// Merges the `storage.sync` area (`items`; `opened` and `check` as for
    /// [`SyncState::outgoing`]) into the replica, after recording the local vault's
    /// own changes, and returns the vault to store. A wrong code or a newer format is
    /// refused and nothing changes; a damaged item is left out (listed in `refused`).
    pub fn incoming(
        &mut self,
        vault: &Vault,
        items: &[(String, String)],
        opened: &Plain,
        check: &[u8],
        now: u64,
    ) -> Result<Incoming, SyncError> {
        let opened = open_items(items, opened, check)?;
        self.replica.record_vault(vault, &mut self.clock, now);
        for h in opened.replica.stamps() {
            self.clock.observe(h, now);
        }
        let changed = self.replica.merge(&opened.replica);
        let mut merged = self.replica.view();
        // A record keeps the id it has here (an imported record's id need not be derived from
        // its address; the temporary inbox credentials are kept by that id).
        for r in &mut merged.records {
            if let Some(mine) = vault.find_address(&r.address) {
                r.id.clone_from(&mine.id);
            }
        }
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
