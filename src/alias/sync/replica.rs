//! The replicated vault and its merge: a state-based CRDT (Shapiro et al., "Conflict-free
//! Replicated Data Types", 2011, §2.2: a join semilattice).
//!
//! Each record (keyed by its address-derived id, [`record_id`], the same on every device)
//! is a set of last-writer-wins registers, each holding a value and the [`Hlc`] stamp of the
//! change that wrote it:
//! - `body`: what is fixed when the alias is made (address, source, provider id, site,
//!   origin, created, expires), one register because these fields are written together;
//! - `state`, `label`, `note`: one register each, so a label changed on one device and a
//!   disable on another both survive;
//! - `deleted`: the tombstone. Deleting sets it, and empties the other registers at the same
//!   stamp, so a tombstone is small (its id and stamps). Making the same address again
//!   (a per-site alias is the same address on every device) clears it with a later stamp.
//!   A later `enable` or relabel does not resurrect a deleted record: only a create does.
//!   Tombstones are **kept for ever**: dropping one lets a device that was offline longer
//!   than any chosen lifetime bring the alias back, and a tombstone costs about 12 bytes
//!   (1,000 deletions: 12 KB of the 100 KB area).
//! - `claims`: who performs an action at a provider (see *Who acts* below).
//!
//! **Merge** keeps, per register, the value with the greater `(stamp, value)`: stamps are
//! totally ordered ([`Hlc`]: wall, counter, device) and the value breaks the (impossible in
//! practice) tie of two equal stamps, so the join is the maximum of a total order, which is
//! commutative, associative and idempotent. A record is the product of its registers and a
//! replica the map of its records (a missing record is the bottom element), so merging
//! replicas is a join too: every replica that has received the same changes, in any order,
//! any number of times, holds the same value (`tests/alias_sync.rs` checks it with three
//! replicas and random delivery).
//!
//! **Who acts.** Expiry fires on every device, but the provider must be asked to disable the
//! alias once. A device that wants to act writes a claim `(round, stamp)` into the record;
//! the merge keeps the highest round and, within it, the **lowest stamp**, and a `done` flag
//! (once set, set for ever). A device acts only when the winning claim is its own and
//! [`CLAIM_SETTLE_SECS`] have passed since it was made (so a competing earlier claim had
//! time to arrive), then sets `done`. A claim not done within [`CLAIM_TIMEOUT_SECS`] (its
//! device went away) may be taken over by a claim of the next round. If two devices act
//! anyway (a sync slower than the settle time), the provider sees a second disable, which is
//! harmless: both providers' disable calls are idempotent. A change the **user** makes
//! (disable, delete) is carried out at the provider by the device the user used, before it
//! is recorded; other devices only see the new state and never act on it.

use super::error::SyncError;
use super::hlc::{Clock, DeviceId, Hlc};
use crate::alias::vault::{record_id, AliasRecord, AliasState, Source, Vault};
use std::cmp::{Ordering, Reverse};

/// How long a device waits after its claim before acting, in seconds: Firefox Sync syncs
/// every ten minutes by default, Chrome within seconds, so an earlier claim made elsewhere
/// has arrived by then.
pub const CLAIM_SETTLE_SECS: u64 = 15 * 60;
/// How long a claim may stay undone before another device may take over, in seconds.
pub const CLAIM_TIMEOUT_SECS: u64 = 86_400;

/// A last-writer-wins register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reg<T> {
    /// The stamp of the change that wrote `value`.
    pub at: Hlc,
    /// The value.
    pub value: T,
}

impl<T: Ord + Clone> Reg<T> {
    /// Keeps the greater of the two by `(stamp, value)`; returns whether `self` changed.
    pub fn join(&mut self, other: &Reg<T>) -> bool {
        let greater = match other.at.cmp(&self.at) {
            Ordering::Equal => other.value > self.value,
            o => o == Ordering::Greater,
        };
        if greater {
            *self = other.clone();
        }
        greater
    }

    fn set(&mut self, at: Hlc, value: T) {
        self.join(&Reg { at, value });
    }
}

/// What is fixed when an alias is made: written together, in one register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// The address.
    pub address: String,
    /// Provider or generator.
    pub source: Source,
    /// The provider's id.
    pub provider_id: Option<String>,
    /// Registrable domain it was made for.
    pub site: Option<String>,
    /// Origin of the page it was made on.
    pub origin: Option<String>,
    /// Creation time, unix seconds.
    pub created: u64,
    /// Expiry time, unix seconds.
    pub expires: Option<u64>,
}

impl Body {
    /// The body of a vault record.
    pub fn of(r: &AliasRecord) -> Body {
        Body {
            address: r.address.clone(),
            source: r.source,
            provider_id: r.provider_id.clone(),
            site: r.site.clone(),
            origin: r.origin.clone(),
            created: r.created,
            expires: r.expires,
        }
    }
}

impl Ord for Body {
    fn cmp(&self, o: &Self) -> Ordering {
        (self.address.as_str(), self.source.id(), &self.provider_id)
            .cmp(&(o.address.as_str(), o.source.id(), &o.provider_id))
            .then_with(|| {
                (&self.site, &self.origin, self.created, self.expires)
                    .cmp(&(&o.site, &o.origin, o.created, o.expires))
            })
    }
}

impl PartialOrd for Body {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

/// An action at a provider that one device performs for all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProviderAction {
    /// Disable the alias (its lifetime ran out).
    Disable,
    /// Delete the alias.
    Delete,
}

impl ProviderAction {
    /// Both, in their packed order.
    pub const ALL: [ProviderAction; 2] = [ProviderAction::Disable, ProviderAction::Delete];

    /// Its place in [`SyncRecord::claims`] and in the packed form.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// A claim to perform a [`ProviderAction`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    /// Takeover round: a higher round wins.
    pub round: u32,
    /// The claiming change's stamp: within a round, the lowest wins.
    pub by: Hlc,
    /// The action was performed.
    pub done: bool,
}

impl Claim {
    fn join(&mut self, other: &Claim) -> bool {
        let mut changed = false;
        if (other.round, Reverse(other.by)) > (self.round, Reverse(self.by)) {
            self.round = other.round;
            self.by = other.by;
            changed = true;
        }
        if other.done && !self.done {
            self.done = true;
            changed = true;
        }
        changed
    }
}

/// What a device should do about a [`ProviderAction`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Turn {
    /// Nobody claimed it.
    Unclaimed,
    /// This device's claim wins: act now, then [`Replica::finish`].
    Act,
    /// This device's claim leads; ask again at `until` (unix seconds).
    Wait {
        /// When the claim has settled.
        until: u64,
    },
    /// Another device's claim wins: do nothing.
    Other,
    /// Already performed.
    Done,
}

/// One replicated record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncRecord {
    /// Address and the other fields fixed at creation (`None` once deleted).
    pub body: Reg<Option<Body>>,
    /// State.
    pub state: Reg<AliasState>,
    /// Label.
    pub label: Reg<Option<String>>,
    /// Note.
    pub note: Reg<Option<String>>,
    /// The tombstone.
    pub deleted: Reg<bool>,
    /// Claims on provider actions, by [`ProviderAction::index`].
    pub claims: [Option<Claim>; 2],
}

impl Default for SyncRecord {
    fn default() -> Self {
        let at = Hlc::default();
        SyncRecord {
            body: Reg { at, value: None },
            state: Reg {
                at,
                value: AliasState::Active,
            },
            label: Reg { at, value: None },
            note: Reg { at, value: None },
            deleted: Reg { at, value: false },
            claims: [None; 2],
        }
    }
}

impl SyncRecord {
    /// Present in the vault: not deleted, and made.
    pub fn is_live(&self) -> bool {
        !self.deleted.value && self.body.value.is_some()
    }

    /// Joins `other` into this record; returns whether anything changed.
    pub fn join(&mut self, other: &SyncRecord) -> bool {
        let mut changed = self.body.join(&other.body);
        changed |= self.state.join(&other.state);
        changed |= self.label.join(&other.label);
        changed |= self.note.join(&other.note);
        changed |= self.deleted.join(&other.deleted);
        for (mine, theirs) in self.claims.iter_mut().zip(&other.claims) {
            match (mine.as_mut(), theirs) {
                (Some(m), Some(t)) => changed |= m.join(t),
                (None, Some(t)) => {
                    *mine = Some(*t);
                    changed = true;
                }
                (_, None) => {}
            }
        }
        changed
    }

    /// Every stamp in the record.
    pub fn stamps(&self) -> impl Iterator<Item = Hlc> + '_ {
        [
            self.body.at,
            self.state.at,
            self.label.at,
            self.note.at,
            self.deleted.at,
        ]
        .into_iter()
        .chain(self.claims.iter().flatten().map(|c| c.by))
    }

    fn create(&mut self, r: &AliasRecord, at: Hlc) {
        self.body.set(at, Some(Body::of(r)));
        self.state.set(at, r.state);
        self.label.set(at, r.label.clone());
        self.note.set(at, r.note.clone());
        self.deleted.set(at, false);
    }

    fn delete(&mut self, at: Hlc) {
        self.body.set(at, None);
        self.state.set(at, AliasState::Active);
        self.label.set(at, None);
        self.note.set(at, None);
        self.deleted.set(at, true);
    }
}

/// One local change to the replica.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Make (or make again) an alias.
    Create(AliasRecord),
    /// Change a state (disable, enable, expire).
    SetState {
        /// Record id.
        id: String,
        /// New state.
        state: AliasState,
    },
    /// Set or clear a label.
    SetLabel {
        /// Record id.
        id: String,
        /// New label.
        label: Option<String>,
    },
    /// Set or clear a note.
    SetNote {
        /// Record id.
        id: String,
        /// New note.
        note: Option<String>,
    },
    /// Delete (leaves a tombstone).
    Delete {
        /// Record id.
        id: String,
    },
}

/// The replicated vault: records by id.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Replica {
    /// Records (live and tombstones) by their address-derived id.
    pub records: Records,
}

/// Records by id, in id order: a sorted list searched by halves, which is what the replica
/// needs of a map (look up, insert, walk in order). A `BTreeMap` in its place cost 4.5 KB of
/// wasm (1.2 KB gzipped, 2026-12-07) for its node code; a replica holds at most a few
/// thousand records and receives them in id order (packs are written in that order), so an
/// insert is almost always at the end.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Records(Vec<(String, SyncRecord)>);

impl Records {
    fn find(&self, id: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(id))
    }

    /// The record `id`.
    pub fn get(&self, id: &str) -> Option<&SyncRecord> {
        self.find(id).ok().map(|i| &self.0[i].1)
    }

    /// The record `id`, to change.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut SyncRecord> {
        self.find(id).ok().map(|i| &mut self.0[i].1)
    }

    /// Whether there is a record `id`.
    pub fn contains_key(&self, id: &str) -> bool {
        self.find(id).is_ok()
    }

    /// The record `id`, an empty one (the bottom element) put in first if there is none.
    pub fn entry_or_default(&mut self, id: &str) -> &mut SyncRecord {
        let i = match self.find(id) {
            Ok(i) => i,
            Err(i) => {
                self.0.insert(i, (id.to_string(), SyncRecord::default()));
                i
            }
        };
        &mut self.0[i].1
    }

    /// Every `(id, record)`, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &SyncRecord)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// Every id, in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    /// Every record, in id order.
    pub fn values(&self) -> impl Iterator<Item = &SyncRecord> {
        self.0.iter().map(|(_, v)| v)
    }

    /// How many records (tombstones too).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> IntoIterator for &'a Records {
    type Item = (&'a String, &'a SyncRecord);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, SyncRecord)>,
        fn(&'a (String, SyncRecord)) -> (&'a String, &'a SyncRecord),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<Q: AsRef<str> + ?Sized> std::ops::Index<&Q> for Records {
    type Output = SyncRecord;
    /// The record `id`; panics if there is none (as a map's index does).
    fn index(&self, id: &Q) -> &SyncRecord {
        match self.get(id.as_ref()) {
            Some(r) => r,
            None => panic!("no record {}", id.as_ref()),
        }
    }
}

impl Replica {
    /// An empty replica.
    pub fn new() -> Replica {
        Replica::default()
    }

    /// Joins `other` into this replica; returns how many records changed.
    pub fn merge(&mut self, other: &Replica) -> usize {
        other
            .records
            .iter()
            .filter(|(id, r)| self.merge_record(id, r))
            .count()
    }

    /// Joins one record; returns whether anything changed.
    pub fn merge_record(&mut self, id: &str, r: &SyncRecord) -> bool {
        match self.records.find(id) {
            Ok(i) => self.records.0[i].1.join(r),
            Err(i) => {
                self.records.0.insert(i, (id.to_string(), r.clone()));
                true
            }
        }
    }

    /// Every stamp in the replica.
    pub fn stamps(&self) -> impl Iterator<Item = Hlc> + '_ {
        self.records.values().flat_map(SyncRecord::stamps)
    }

    fn live_mut(&mut self, id: &str) -> Result<&mut SyncRecord, SyncError> {
        self.records
            .get_mut(id)
            .filter(|r| r.is_live())
            .ok_or_else(|| SyncError::UnknownRecord { id: id.to_string() })
    }

    /// Applies a local change stamped `at` (from [`Clock::tick`]). A change to a record that
    /// is not live is refused and changes nothing; deleting a missing record leaves a
    /// tombstone (deleting is idempotent).
    pub fn apply(&mut self, change: &Change, at: Hlc) -> Result<(), SyncError> {
        let text = |t: &Option<String>, field: &str| -> Result<Option<String>, SyncError> {
            let t = t.as_deref().map(str::trim).filter(|t| !t.is_empty());
            if t.is_some_and(|t| t.chars().count() > crate::alias::vault::MAX_TEXT_CHARS) {
                return Err(SyncError::InvalidChange {
                    reason: format!("the {field} is too long"),
                });
            }
            Ok(t.map(str::to_string))
        };
        match change {
            Change::Create(r) => {
                let r = r.clone().checked().map_err(|e| SyncError::InvalidChange {
                    reason: e.to_string(),
                })?;
                self.records
                    .entry_or_default(&record_id(&r.address))
                    .create(&r, at);
            }
            Change::SetState { id, state } => self.live_mut(id)?.state.set(at, *state),
            Change::SetLabel { id, label } => {
                let label = text(label, "label")?;
                self.live_mut(id)?.label.set(at, label);
            }
            Change::SetNote { id, note } => {
                let note = text(note, "note")?;
                self.live_mut(id)?.note.set(at, note);
            }
            Change::Delete { id } => {
                // A tombstone is packed by its id's 64 bits: only ids made by `record_id`.
                let derived = id.len() == 17
                    && id.starts_with('a')
                    && id[1..]
                        .bytes()
                        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
                if !derived {
                    return Err(SyncError::UnknownRecord { id: id.clone() });
                }
                self.records.entry_or_default(id).delete(at)
            }
        }
        Ok(())
    }

    /// The live records as a vault, oldest first (ties by id).
    pub fn view(&self) -> Vault {
        let mut records: Vec<AliasRecord> = self
            .records
            .iter()
            .filter(|(_, r)| !r.deleted.value)
            .filter_map(|(id, r)| {
                let b = r.body.value.as_ref()?;
                Some(AliasRecord {
                    id: id.clone(),
                    address: b.address.clone(),
                    source: b.source,
                    provider_id: b.provider_id.clone(),
                    site: b.site.clone(),
                    origin: b.origin.clone(),
                    created: b.created,
                    expires: b.expires,
                    state: r.state.value,
                    label: r.label.value.clone(),
                    note: r.note.value.clone(),
                })
            })
            .collect();
        crate::sort::sort_by_key(&mut records, |r| r.created);
        Vault { records }
    }

    /// Records what changed in the local `vault` since the replica last saw it: each record
    /// that differs gets one new stamp on the registers that differ; a live record missing
    /// from the vault is deleted. Returns how many records changed. A vault record the
    /// replica cannot hold is left out of sync (it stays in the vault) and counted in `.1`.
    pub fn record_vault(&mut self, vault: &Vault, clock: &mut Clock, now: u64) -> (usize, usize) {
        let mut changed = 0;
        let mut refused = 0;
        let mut present = Vec::with_capacity(vault.records.len());
        for r in &vault.records {
            let id = record_id(&r.address);
            present.push(id.clone());
            let Some(mine) = self.records.get_mut(&id).filter(|m| m.is_live()) else {
                match self.apply(&Change::Create(r.clone()), clock.tick(now)) {
                    Ok(()) => changed += 1,
                    Err(_) => refused += 1,
                }
                continue;
            };
            let body = Body::of(r);
            let differs = mine.body.value.as_ref() != Some(&body)
                || mine.state.value != r.state
                || mine.label.value != r.label
                || mine.note.value != r.note;
            if !differs {
                continue;
            }
            let at = clock.tick(now);
            if mine.body.value.as_ref() != Some(&body) {
                mine.body.set(at, Some(body));
            }
            if mine.state.value != r.state {
                mine.state.set(at, r.state);
            }
            if mine.label.value != r.label {
                mine.label.set(at, r.label.clone());
            }
            if mine.note.value != r.note {
                mine.note.set(at, r.note.clone());
            }
            changed += 1;
        }
        crate::sort::sort(&mut present);
        let gone: Vec<String> = self
            .records
            .iter()
            .filter(|(id, r)| r.is_live() && present.binary_search(id).is_err())
            .map(|(id, _)| id.clone())
            .collect();
        for id in gone {
            let at = clock.tick(now);
            if let Some(r) = self.records.get_mut(&id) {
                r.delete(at);
                changed += 1;
            }
        }
        (changed, refused)
    }

    /// Claims `action` on record `id` for `clock`'s device (a first claim, or a takeover of a
    /// claim left undone for [`CLAIM_TIMEOUT_SECS`]) and says whose turn it is.
    pub fn claim(
        &mut self,
        id: &str,
        action: ProviderAction,
        clock: &mut Clock,
        now: u64,
    ) -> Result<Turn, SyncError> {
        let me = clock.device();
        let r = self
            .records
            .get_mut(id)
            .ok_or_else(|| SyncError::UnknownRecord { id: id.to_string() })?;
        let slot = &mut r.claims[action.index()];
        let round = match slot {
            None => Some(0),
            Some(c) if c.done || c.by.device == me => None,
            Some(c) if now < c.by.wall.saturating_add(CLAIM_TIMEOUT_SECS) => None,
            Some(c) => Some(c.round.saturating_add(1)),
        };
        if let Some(round) = round {
            let mine = Claim {
                round,
                by: clock.tick(now),
                done: false,
            };
            match slot {
                Some(c) => {
                    c.join(&mine);
                }
                None => *slot = Some(mine),
            }
        }
        Ok(self.turn(id, action, me, now))
    }

    /// Whose turn it is to perform `action` on record `id`, seen from `device` at `now`.
    pub fn turn(&self, id: &str, action: ProviderAction, device: DeviceId, now: u64) -> Turn {
        let Some(c) = self.records.get(id).and_then(|r| r.claims[action.index()]) else {
            return Turn::Unclaimed;
        };
        let settled = c.by.wall.saturating_add(CLAIM_SETTLE_SECS);
        if c.done {
            Turn::Done
        } else if c.by.device != device {
            Turn::Other
        } else if now < settled {
            Turn::Wait { until: settled }
        } else {
            Turn::Act
        }
    }

    /// Records that `action` on `id` was performed.
    pub fn finish(&mut self, id: &str, action: ProviderAction) -> Result<(), SyncError> {
        let c = self
            .records
            .get_mut(id)
            .and_then(|r| r.claims[action.index()].as_mut())
            .ok_or_else(|| SyncError::UnknownRecord { id: id.to_string() })?;
        c.done = true;
        Ok(())
    }
}
