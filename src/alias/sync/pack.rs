//! The compact binary form of replica records: what each `storage.sync` item encrypts, and
//! how the local replica is stored. Measured at about 50 bytes per typical alias, so that
//! at least 1,000 aliases fit the browsers' 100 KB sync area after encryption and base64
//! (`tests/alias_sync.rs` prints the figure); the same records as JSON take about 300.
//!
//! Layout (integers are unsigned LEB128 varints unless noted; `str` is a varint length and
//! UTF-8 bytes):
//!
//! ```text
//! u8 schema (PACK_SCHEMA)
//! base_wall                 the smallest wall time of any stamp below
//! n_devices, n × u64 LE     device ids; stamps name an index into this list
//! n_strings, n × str        shared strings: domains, sites, sources, origins
//! n_records, n × record
//!
//! record:
//!   u8 flags   1 body, 2 provider_id, 4 site, 8 origin, 16 expires, 32 label, 64 note,
//!              128 deleted
//!   u8 meta    bits 0-1 state; bits 2-5: state, label, note, deleted have their own stamp
//!              (else they share the body's); bit 6: claims follow
//!   stamp      the body register's: wall - base_wall, counter, device index
//!   stamps     the registers flagged in meta, in that order
//!   without body: 8 bytes of id (the record id's 16 hex digits)
//!   with body:  str local part, domain (string index), source (string index),
//!               [str provider_id], [site (string index)],
//!               [origin: 0 https://site, 1 https://www.site, n+2 string index n],
//!               created (zigzag, relative to the body stamp's wall), [expires - created]
//!   [str label], [str note]
//!   claims (meta bit 6): u8 count, then per claim u8 (action | 128 if done), round, stamp
//! ```
//!
//! A record's id is not stored when it has a body: it is derived from the address
//! ([`record_id`]), so it cannot disagree with it. Decoding is strict (every length checked,
//! no trailing bytes) and every record must pass the vault's own validation.

use super::error::SyncError;
use super::hlc::{DeviceId, Hlc};
use super::replica::{Body, Claim, ProviderAction, Reg, Replica, SyncRecord};
use crate::alias::vault::{record_id, AliasRecord, AliasState, Source};

/// The schema of a pack this build writes (and the newest it reads).
pub const PACK_SCHEMA: u8 = 1;
/// Longest string a pack may hold, in bytes (a note of 1,000 characters is at most 4,000).
pub const MAX_PACKED_STRING: usize = 4096;
/// Most records one pack may hold (the vault's own limit, plus as many tombstones).
pub const MAX_PACKED_RECORDS: usize = 2 * crate::alias::vault::MAX_VAULT_RECORDS;

const STATES: [AliasState; 4] = [
    AliasState::Active,
    AliasState::Disabled,
    AliasState::Expired,
    AliasState::DeletedAtProvider,
];

fn varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn bytes(out: &mut Vec<u8>, s: &str) {
    varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

#[derive(Default)]
struct Tables {
    devices: Vec<DeviceId>,
    strings: Vec<String>,
    base_wall: u64,
}

impl Tables {
    fn string(&mut self, s: &str) -> u64 {
        // A linear search: a few hundred shared strings at most per item (a map's code would
        // cost more wasm than the search costs time).
        if let Some(i) = self.strings.iter().position(|x| x == s) {
            return i as u64;
        }
        self.strings.push(s.to_string());
        (self.strings.len() - 1) as u64
    }

    fn stamp(&mut self, out: &mut Vec<u8>, h: Hlc) {
        let dev = match self.devices.iter().position(|&d| d == h.device) {
            Some(i) => i,
            None => {
                self.devices.push(h.device);
                self.devices.len() - 1
            }
        };
        varint(out, h.wall - self.base_wall);
        varint(out, u64::from(h.counter));
        varint(out, dev as u64);
    }
}

fn id_bytes(id: &str) -> [u8; 8] {
    let mut out = [0u8; 8];
    let hex = id.strip_prefix('a').unwrap_or(id).as_bytes();
    for (i, o) in out.iter_mut().enumerate() {
        let digit = |k: usize| {
            hex.get(k)
                .and_then(|&c| (c as char).to_digit(16))
                .unwrap_or(0) as u8
        };
        *o = digit(2 * i) << 4 | digit(2 * i + 1);
    }
    out
}

/// Packs a whole replica.
pub fn pack_replica(replica: &Replica) -> Vec<u8> {
    pack(&replica.records.iter().collect::<Vec<_>>())
}

/// Packs records (a whole replica, or the records of one item).
pub fn pack(records: &[(&String, &SyncRecord)]) -> Vec<u8> {
    let mut t = Tables {
        base_wall: records
            .iter()
            .flat_map(|(_, r)| r.stamps())
            .map(|h| h.wall)
            .min()
            .unwrap_or(0),
        ..Tables::default()
    };
    let mut body = Vec::new();
    let mut count = 0u64;
    for &(id, r) in records {
        count += 1;
        record(&mut t, &mut body, id, r);
    }
    let mut out = vec![PACK_SCHEMA];
    varint(&mut out, t.base_wall);
    varint(&mut out, t.devices.len() as u64);
    for d in &t.devices {
        out.extend_from_slice(&d.to_le_bytes());
    }
    varint(&mut out, t.strings.len() as u64);
    for s in &t.strings {
        bytes(&mut out, s);
    }
    varint(&mut out, count);
    out.extend_from_slice(&body);
    out
}

fn record(t: &mut Tables, out: &mut Vec<u8>, id: &str, r: &SyncRecord) {
    let b = r.body.value.as_ref();
    let bit = |on: bool, v: u8| if on { v } else { 0 };
    let flags = bit(b.is_some(), 1)
        | bit(b.is_some_and(|b| b.provider_id.is_some()), 2)
        | bit(b.is_some_and(|b| b.site.is_some()), 4)
        | bit(b.is_some_and(|b| b.origin.is_some()), 8)
        | bit(b.is_some_and(|b| b.expires.is_some()), 16)
        | bit(r.label.value.is_some(), 32)
        | bit(r.note.value.is_some(), 64)
        | bit(r.deleted.value, 128);
    let base = r.body.at;
    let own = [r.state.at, r.label.at, r.note.at, r.deleted.at].map(|h| h != base);
    let state = STATES.iter().position(|s| *s == r.state.value).unwrap_or(0) as u8;
    let mut meta = state;
    for (i, o) in own.iter().enumerate() {
        meta |= bit(*o, 4 << i);
    }
    meta |= bit(r.claims.iter().any(Option::is_some), 64);
    out.push(flags);
    out.push(meta);
    t.stamp(out, base);
    for (h, o) in [r.state.at, r.label.at, r.note.at, r.deleted.at]
        .into_iter()
        .zip(own)
    {
        if o {
            t.stamp(out, h);
        }
    }
    match b {
        None => out.extend_from_slice(&id_bytes(id)),
        Some(b) => {
            let (local, domain) = b.address.rsplit_once('@').unwrap_or((&b.address, ""));
            bytes(out, local);
            let d = t.string(domain);
            varint(out, d);
            let s = t.string(&b.source.id());
            varint(out, s);
            if let Some(p) = &b.provider_id {
                bytes(out, p);
            }
            if let Some(site) = &b.site {
                let s = t.string(site);
                varint(out, s);
            }
            if let Some(origin) = &b.origin {
                let site = b.site.as_deref();
                let code = if site.is_some_and(|s| *origin == format!("https://{s}")) {
                    0
                } else if site.is_some_and(|s| *origin == format!("https://www.{s}")) {
                    1
                } else {
                    t.string(origin) + 2
                };
                varint(out, code);
            }
            // Zigzag: `created` is usually the body stamp's wall, give or take.
            let delta = b.created as i64 - base.wall as i64;
            varint(out, ((delta << 1) ^ (delta >> 63)) as u64);
            if let Some(e) = b.expires {
                varint(out, e.saturating_sub(b.created));
            }
        }
    }
    for text in [&r.label.value, &r.note.value].into_iter().flatten() {
        bytes(out, text);
    }
    if r.claims.iter().any(Option::is_some) {
        out.push(r.claims.iter().flatten().count() as u8);
        for (a, c) in r.claims.iter().enumerate() {
            let Some(c) = c else { continue };
            out.push(a as u8 | bit(c.done, 128));
            varint(out, u64::from(c.round));
            t.stamp(out, c.by);
        }
    }
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    item: &'a str,
}

impl<'a> Reader<'a> {
    fn bad(&self, reason: &'static str) -> SyncError {
        SyncError::Malformed {
            item: self.item.to_string(),
            reason,
        }
    }
    fn u8(&mut self) -> Result<u8, SyncError> {
        let b = *self
            .data
            .get(self.pos)
            .ok_or_else(|| self.bad("cut short"))?;
        self.pos += 1;
        Ok(b)
    }
    fn varint(&mut self) -> Result<u64, SyncError> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            n |= u64::from(b & 0x7f)
                .checked_shl(shift)
                .filter(|v| v >> shift == u64::from(b & 0x7f))
                .ok_or_else(|| self.bad("a number is too large"))?;
            if b & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err(self.bad("a number is too large"))
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], SyncError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.data.len())
            .ok_or_else(|| self.bad("cut short"))?;
        let s = &self.data[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn string(&mut self) -> Result<String, SyncError> {
        let n = self.varint()?;
        if n > MAX_PACKED_STRING as u64 {
            return Err(self.bad("a text is too long"));
        }
        let b = self.take(n as usize)?;
        String::from_utf8(b.to_vec()).map_err(|_| self.bad("a text is not UTF-8"))
    }
    fn index<T: Clone>(&mut self, list: &[T]) -> Result<T, SyncError> {
        let i = self.varint()?;
        list.get(i as usize)
            .cloned()
            .ok_or_else(|| self.bad("an index is out of range"))
    }
    fn stamp(&mut self, base: u64, devices: &[DeviceId]) -> Result<Hlc, SyncError> {
        let wall = base
            .checked_add(self.varint()?)
            .ok_or_else(|| self.bad("a time is too large"))?;
        let counter =
            u32::try_from(self.varint()?).map_err(|_| self.bad("a counter is too large"))?;
        let device = self.index(devices)?;
        Ok(Hlc {
            wall,
            counter,
            device,
        })
    }
}

/// Reads a pack; `item` names it in errors. A pack of a newer schema is refused as such.
pub fn unpack(data: &[u8], item: &str) -> Result<Replica, SyncError> {
    let mut r = Reader { data, pos: 0, item };
    let schema = r.u8()?;
    if schema > PACK_SCHEMA {
        return Err(SyncError::FutureSchema {
            found: u64::from(schema),
            supported: u64::from(PACK_SCHEMA),
        });
    }
    if schema != PACK_SCHEMA {
        return Err(r.bad("unknown schema"));
    }
    let base = r.varint()?;
    let n_devices = r.varint()?;
    if n_devices > 1024 {
        return Err(r.bad("too many devices"));
    }
    let mut devices = Vec::new();
    for _ in 0..n_devices {
        let b = r.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        devices.push(u64::from_le_bytes(a));
    }
    let n_strings = r.varint()?;
    if n_strings > MAX_PACKED_RECORDS as u64 * 3 {
        return Err(r.bad("too many texts"));
    }
    let mut strings = Vec::new();
    for _ in 0..n_strings {
        strings.push(r.string()?);
    }
    let n = r.varint()?;
    if n > MAX_PACKED_RECORDS as u64 {
        return Err(r.bad("too many records"));
    }
    let mut out = Replica::new();
    for _ in 0..n {
        let (id, rec) = read_record(&mut r, base, &devices, &strings)?;
        out.merge_record(&id, &rec);
    }
    if r.pos != data.len() {
        return Err(r.bad("bytes after the end"));
    }
    Ok(out)
}

fn read_record(
    r: &mut Reader<'_>,
    base_wall: u64,
    devices: &[DeviceId],
    strings: &[String],
) -> Result<(String, SyncRecord), SyncError> {
    let flags = r.u8()?;
    let meta = r.u8()?;
    let state = STATES[usize::from(meta & 3)];
    let base = r.stamp(base_wall, devices)?;
    let mut at = [base; 4];
    for (i, a) in at.iter_mut().enumerate() {
        if meta & (4 << i) != 0 {
            *a = r.stamp(base_wall, devices)?;
        }
    }
    let (id, body) = if flags & 1 == 0 {
        (
            format!("a{}", crate::alias::generators::hex(r.take(8)?)),
            None,
        )
    } else {
        let local = r.string()?;
        let domain: String = r.index(strings)?;
        let source_id: String = r.index(strings)?;
        let source = Source::from_id(&source_id).ok_or_else(|| r.bad("unknown source"))?;
        let provider_id = if flags & 2 != 0 {
            Some(r.string()?)
        } else {
            None
        };
        let site: Option<String> = if flags & 4 != 0 {
            Some(r.index(strings)?)
        } else {
            None
        };
        let origin = if flags & 8 != 0 {
            Some(match (r.varint()?, &site) {
                (0, Some(site)) => format!("https://{site}"),
                (1, Some(site)) => format!("https://www.{site}"),
                (0 | 1, None) => return Err(r.bad("an origin named by a missing site")),
                (n, _) => strings
                    .get((n - 2) as usize)
                    .cloned()
                    .ok_or_else(|| r.bad("an index is out of range"))?,
            })
        } else {
            None
        };
        let z = r.varint()?;
        let delta = ((z >> 1) as i64) ^ -((z & 1) as i64);
        let created = base
            .wall
            .checked_add_signed(delta)
            .ok_or_else(|| r.bad("a time is out of range"))?;
        let expires = if flags & 16 != 0 {
            Some(
                created
                    .checked_add(r.varint()?)
                    .ok_or_else(|| r.bad("a time is out of range"))?,
            )
        } else {
            None
        };
        let address = format!("{local}@{domain}");
        (
            record_id(&address),
            Some(Body {
                address,
                source,
                provider_id,
                site,
                origin,
                created,
                expires,
            }),
        )
    };
    let label = if flags & 32 != 0 {
        Some(r.string()?)
    } else {
        None
    };
    let note = if flags & 64 != 0 {
        Some(r.string()?)
    } else {
        None
    };
    let mut claims = [None; 2];
    if meta & 64 != 0 {
        let n = r.u8()?;
        for _ in 0..n {
            let a = r.u8()?;
            let action = *ProviderAction::ALL
                .get(usize::from(a & 0x7f))
                .ok_or_else(|| r.bad("unknown action"))?;
            let round = u32::try_from(r.varint()?).map_err(|_| r.bad("a round is too large"))?;
            let by = r.stamp(base_wall, devices)?;
            claims[action.index()] = Some(Claim {
                round,
                by,
                done: a & 128 != 0,
            });
        }
    }
    if let Some(b) = &body {
        // The vault's own rules (address syntax, text lengths, expiry after creation).
        AliasRecord {
            id: id.clone(),
            address: b.address.clone(),
            source: b.source,
            provider_id: b.provider_id.clone(),
            site: b.site.clone(),
            origin: b.origin.clone(),
            created: b.created,
            expires: b.expires,
            state,
            label: label.clone(),
            note: note.clone(),
        }
        .checked()
        .map_err(|_| r.bad("a record breaks the vault's rules"))?;
    }
    let [s_at, l_at, n_at, d_at] = at;
    Ok((
        id,
        SyncRecord {
            body: Reg {
                at: base,
                value: body,
            },
            state: Reg {
                at: s_at,
                value: state,
            },
            label: Reg {
                at: l_at,
                value: label,
            },
            note: Reg {
                at: n_at,
                value: note,
            },
            deleted: Reg {
                at: d_at,
                value: flags & 128 != 0,
            },
            claims,
        },
    ))
}
