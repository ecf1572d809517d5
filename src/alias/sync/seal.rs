//! Records into `storage.sync` items and back, each item sealed with AES-256-GCM by the
//! background (**Who seals** below).
//!
//! **Quotas** (Chrome's `storage.sync` and Firefox's alike): 102,400 bytes in all,
//! 8,192 per item (key length plus the JSON text of the value), 512 items. The vault's
//! records are spread over `2^k` items by the first `k` bits of their id (a hash of the
//! address), with the smallest `k` at which every item fits: a change rewrites one item,
//! and every device that holds the same records writes the same keys. Each item is a
//! self-contained set of whole records, so items from different writers, or a set of items
//! only partly delivered, still merge into a correct replica (the merge is a join).
//!
//! **Item value**: `"2." + base64(nonce ‖ ciphertext ‖ tag)`, version `2` outside the
//! ciphertext so that another format is told apart before decryption; AES-256-GCM
//! (NIST SP 800-38D) with a random 96-bit nonce per write (§8.2.2, the RBG-based
//! construction) and a 128-bit tag, and as associated data `"impalemail-sync" ‖ version ‖
//! item key`, so an item moved to another key or relabelled with another version fails
//! authentication. Format 1 (XChaCha20-Poly1305 in the core, never shipped) reads as "from
//! another version".
//!
//! **Who seals.** The core is sans-IO and holds no cipher: it packs the records, says which
//! items to seal (key, plaintext, associated data: [`ToSeal`]) and which to open
//! ([`to_open`]), and reads what the background's `background/sync.js` got back from
//! WebCrypto (`crypto.subtle.encrypt`/`decrypt` with `AES-GCM`, the key from `HKDF`, see
//! [`super::code`]). AES-256-GCM through WebCrypto rather than XChaCha20-Poly1305 in the
//! core: it takes 4.6 KB of gzipped wasm off the core (ARCHITECTURE.md, "Sync"), runs in the
//! browser's native code, and the item key never enters the wasm's memory (a
//! non-extractable `CryptoKey`).
//!
//! **Why a random 96-bit nonce is safe here**: SP 800-38D §8.3 caps the RBG construction at
//! 2^32 sealings per key (two nonces then repeat with a chance below 2^-32). Chrome lets an
//! extension write `storage.sync` at most 1,800 times an hour; a write seals only the items
//! that changed (usually one: a change rewrites the item that holds the record). One device
//! writing one item at that cap without pause would need 2^32 / 1,800 hours (272 years) to
//! reach the bound; even every write resealing all 513 items (far past what the debounced
//! writer does) would take 2^32 / (1,800 × 513) hours, about six months of writing at the
//! quota day and night.
//!
//! **When the area is full** (issue #25 part 4), records that matter least leave the area
//! first ([`leave_order`]): tombstones, oldest deletion first, then expired aliases (expired,
//! or deleted at their provider) with no provider action still to do, longest expired first,
//! as few as make the rest fit. They stay in every device's vault and replica; the area just
//! stops carrying them ([`Sealed::left_out`] says how many), so a device that joins later does
//! not get them, and a deletion left out does not reach a device that had not seen it yet.
//! Nothing else is ever left out: past that, sealing is refused with [`SyncError::Full`].
//!
//! **Check item** `k`: `"2." + base64(check)` (the code check, from HKDF), so that a wrong
//! code is reported as such rather than as every item being damaged.

use super::error::SyncError;
use super::pack::{pack, unpack};
use super::replica::{Replica, SyncRecord};
use crate::alias::vault::AliasState;
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use base64::Engine as _;

/// `storage.sync`'s total quota, bytes (Chrome `QUOTA_BYTES`; Firefox the same).
pub const QUOTA_BYTES: usize = 102_400;
/// `storage.sync`'s quota per item, bytes: key plus JSON of the value.
pub const QUOTA_BYTES_PER_ITEM: usize = 8_192;
/// `storage.sync`'s item count limit.
pub const MAX_ITEMS: usize = 512;
/// Bytes of the area left to what else travels (issue #25: inbox credentials, the chosen
/// alias sources, optionally provider keys), so the vault's records may use the rest.
pub const RESERVED_BYTES: usize = 8_192;
/// The item format this build writes (and the newest it reads).
pub const ITEM_FORMAT: u64 = 2;
/// The key of the code check item.
pub const CHECK_KEY: &str = "k";
/// The key of the item that carries what travels beside the records (the per-site secret,
/// temporary inbox credentials, the chosen alias sources), inside [`RESERVED_BYTES`].
pub const EXTRA_KEY: &str = "x";
/// Most id bits used to spread records over items (`2^9` = 512 items at most).
const MAX_SPREAD_BITS: u32 = 9;
/// AES-GCM's nonce (IV), bytes: 96 bits, SP 800-38D §5.2.1.1's recommended length.
pub const NONCE_BYTES: usize = 12;
/// AES-GCM's tag, bytes: the full 128 bits (SP 800-38D §5.2.1.2).
pub const TAG_BYTES: usize = 16;
/// Bytes of the code check (item `k`).
pub const CHECK_BYTES: usize = 16;

/// `storage.sync` items: key and value, in key order as the browser lists them or not.
pub type Items = Vec<(String, String)>;

/// The value of `key` in `items`.
pub fn item<'a>(items: &'a [(String, String)], key: &str) -> Option<&'a String> {
    items.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// The bytes an item costs against the quotas: its key and its value as a JSON string.
pub fn item_bytes(key: &str, value: &str) -> usize {
    key.len() + value.len() + 2
}

/// Whether a `storage.sync` key is one of the vault's record items (`v<k>.<n>`).
pub fn is_record_key(key: &str) -> bool {
    key.strip_prefix('v')
        .and_then(|rest| rest.split_once('.'))
        .is_some_and(|(k, n)| {
            !k.is_empty()
                && !n.is_empty()
                && k.bytes().all(|b| b.is_ascii_digit())
                && n.bytes().all(|b| b.is_ascii_hexdigit())
        })
}

/// The associated data of the item at `key`: `"impalemail-sync" ‖ version ‖ key`.
pub fn aad(key: &str) -> Vec<u8> {
    let mut a = b"impalemail-sync".to_vec();
    a.push(ITEM_FORMAT as u8);
    a.extend_from_slice(key.as_bytes());
    a
}

fn sealed_len(key: &str, plain: usize) -> usize {
    let raw = NONCE_BYTES + plain + TAG_BYTES;
    key.len() + 2 + 2 + (raw * 4).div_ceil(3)
}

/// One item for the background to seal: `nonce ‖ AES-256-GCM(plain, ad)` goes through
/// [`item_value`] into `storage.sync` at `key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToSeal {
    /// The item's key in `storage.sync`.
    pub key: String,
    /// The packed plaintext.
    pub plain: Vec<u8>,
    /// The associated data ([`aad`] of the key).
    pub ad: Vec<u8>,
}

impl ToSeal {
    fn new(key: &str, plain: Vec<u8>) -> ToSeal {
        ToSeal {
            key: key.to_string(),
            plain,
            ad: aad(key),
        }
    }
}

/// The `storage.sync` value of a sealed item: `raw` is `nonce ‖ ciphertext ‖ tag`.
pub fn item_value(raw: &[u8]) -> String {
    format!("{ITEM_FORMAT}.{}", B64.encode(raw))
}

/// The version and base64 payload of an item value.
fn split_value<'a>(key: &str, value: &'a str) -> Result<&'a str, SyncError> {
    let bad = |reason| SyncError::Malformed {
        item: key.to_string(),
        reason,
    };
    let (version, payload) = value.split_once('.').ok_or_else(|| bad("no version"))?;
    let version: u64 = version.parse().map_err(|_| bad("no version"))?;
    if version > ITEM_FORMAT {
        return Err(SyncError::FutureSchema {
            found: version,
            supported: ITEM_FORMAT,
        });
    }
    if version != ITEM_FORMAT {
        return Err(SyncError::OtherVersion {
            item: key.to_string(),
            found: version,
        });
    }
    Ok(payload)
}

/// One item for the background to open: `raw` is `nonce ‖ ciphertext ‖ tag`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToOpen {
    /// The item's key.
    pub key: String,
    /// The nonce (the first [`NONCE_BYTES`] of the item).
    pub nonce: Vec<u8>,
    /// Ciphertext and tag.
    pub sealed: Vec<u8>,
    /// The associated data ([`aad`] of the key).
    pub ad: Vec<u8>,
}

/// The items of an area the background should try to open: the record items and
/// [`EXTRA_KEY`] whose value is of this format and long enough to hold a nonce and a tag.
/// What the background could not open (or was not asked to) is missing from the plaintexts
/// it hands back, and [`open_items`] refuses it in plain words.
pub fn to_open(items: &[(String, String)]) -> Vec<ToOpen> {
    items
        .iter()
        .filter(|(k, _)| is_record_key(k) || k == EXTRA_KEY)
        .filter_map(|(key, value)| {
            let raw = B64.decode(split_value(key, value).ok()?).ok()?;
            if raw.len() < NONCE_BYTES + TAG_BYTES {
                return None;
            }
            let (nonce, sealed) = raw.split_at(NONCE_BYTES);
            Some(ToOpen {
                key: key.clone(),
                nonce: nonce.to_vec(),
                sealed: sealed.to_vec(),
                ad: aad(key),
            })
        })
        .collect()
}

/// The plaintext the background opened for the item `key` of `items`, checking the item's
/// format first (another or a newer version is told apart from a changed item).
pub fn opened_item<'a>(
    items: &[(String, String)],
    opened: &'a [(String, Vec<u8>)],
    key: &str,
) -> Result<&'a [u8], SyncError> {
    if let Some(v) = item(items, key) {
        split_value(key, v)?;
    }
    opened
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, p)| p.as_slice())
        .ok_or_else(|| SyncError::Tampered {
            item: key.to_string(),
        })
}

/// The item beside the records ([`EXTRA_KEY`]) to seal; refused with [`SyncError::Full`]
/// when it would not fit [`RESERVED_BYTES`].
pub fn seal_extra(plain: &[u8]) -> Result<ToSeal, SyncError> {
    let needed = sealed_len(EXTRA_KEY, plain.len());
    if needed > RESERVED_BYTES {
        return Err(SyncError::Full {
            needed,
            budget: RESERVED_BYTES,
        });
    }
    Ok(ToSeal::new(EXTRA_KEY, plain.to_vec()))
}

/// The value of the code check item.
pub fn check_value(check: &[u8]) -> String {
    item_value(check)
}

/// What to write to `storage.sync`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sealed {
    /// Items to set as they are (the check item), key and value.
    pub set: Items,
    /// Items to seal (new or changed) and then set, in one `storage.sync.set` call with
    /// [`Sealed::set`].
    pub seal: Vec<ToSeal>,
    /// Record items to remove (a previous spread's keys), in one `remove` call.
    pub remove: Vec<String>,
    /// Bytes all record items and the check item take, against [`QUOTA_BYTES`].
    pub bytes: usize,
    /// Record items written in all (changed or not).
    pub items: usize,
    /// Records left out of the area to make room ([`leave_order`]); 0 when all fit.
    pub left_out: usize,
}

fn spread(id: &str, k: u32) -> usize {
    if k == 0 {
        return 0;
    }
    let hex = id.strip_prefix('a').unwrap_or(id);
    let top = u64::from_str_radix(hex.get(..4).unwrap_or("0"), 16).unwrap_or(0);
    (top >> (16 - k)) as usize
}

/// The records that may leave the area when it is full, as positions in the replica's
/// records, in the order they leave: tombstones by the time of the deletion, then expired
/// aliases (expired, or deleted at the provider) whose provider actions are all done, by
/// expiry (creation when none), oldest first.
pub fn leave_order(replica: &Replica) -> Vec<usize> {
    let mut out: Vec<(u8, u64, usize)> = replica
        .records
        .iter()
        .enumerate()
        .filter_map(|(i, (_, r))| {
            if r.deleted.value {
                return Some((0, r.deleted.at.wall, i));
            }
            let body = r.body.value.as_ref()?;
            let expired = matches!(
                r.state.value,
                AliasState::Expired | AliasState::DeletedAtProvider
            );
            let open_claim = r.claims.iter().flatten().any(|c| !c.done);
            (expired && !open_claim).then(|| (1, body.expires.unwrap_or(body.created), i))
        })
        .collect();
    crate::sort::sort_by_key(&mut out, |&key| key);
    out.into_iter().map(|(_, _, i)| i).collect()
}

/// Record items, key and packed plaintext.
type PackedItems = Vec<(String, Vec<u8>)>;

/// The records spread over the fewest items that each fit, packed: `(items, bytes)` (bytes
/// with the check item), or the bytes they need when that is more than the area offers them.
fn spread_items(
    records: &[(&String, &SyncRecord)],
    check: &str,
) -> Result<(PackedItems, usize), usize> {
    let budget = QUOTA_BYTES - RESERVED_BYTES;
    let mut needed = 0;
    for k in 0..=MAX_SPREAD_BITS {
        let mut buckets: Vec<Vec<(&String, &SyncRecord)>> = vec![Vec::new(); 1 << k];
        for &(id, r) in records {
            buckets[spread(id, k)].push((id, r));
        }
        let items: Vec<(String, Vec<u8>)> = buckets
            .iter()
            .enumerate()
            .filter(|(_, b)| !b.is_empty())
            .map(|(n, b)| (format!("v{k}.{n:x}"), pack(b)))
            .collect();
        needed = items
            .iter()
            .map(|(key, p)| sealed_len(key, p.len()))
            .sum::<usize>()
            + item_bytes(CHECK_KEY, check);
        if items
            .iter()
            .all(|(key, p)| sealed_len(key, p.len()) <= QUOTA_BYTES_PER_ITEM)
        {
            if needed <= budget && items.len() < MAX_ITEMS {
                return Ok((items, needed));
            }
            break;
        }
    }
    Err(needed.max(budget + 1))
}

/// Packs the replica into items for `storage.sync`. `previous` is what the area holds
/// now (its record items and check item; other keys are ignored) and `opened` the
/// plaintexts the background opened of it ([`to_open`]): an item whose records are
/// unchanged keeps its value (no write), and record items of an earlier spread are
/// removed. When the records do not all fit, the fewest records of [`leave_order`] are left
/// out; refused with [`SyncError::Full`] when even that is not enough: nothing is written
/// then, and the local vault is unaffected.
pub fn seal_replica(
    replica: &Replica,
    check: &[u8],
    previous: &[(String, String)],
    opened: &[(String, Vec<u8>)],
) -> Result<Sealed, SyncError> {
    let check = check_value(check);
    let all: Vec<(&String, &SyncRecord)> = replica.records.iter().collect();
    let without = |n: usize, order: &[usize]| {
        let mut gone = vec![false; all.len()];
        for &i in &order[..n] {
            gone[i] = true;
        }
        let kept: Vec<(&String, &SyncRecord)> = all
            .iter()
            .zip(&gone)
            .filter(|(_, &g)| !g)
            .map(|(&r, _)| r)
            .collect();
        spread_items(&kept, &check)
    };
    let (items, bytes, left_out) = match spread_items(&all, &check) {
        Ok((items, bytes)) => (items, bytes, 0),
        Err(_) => {
            // The fewest of the leave order that make the rest fit: a binary search on how
            // many leave (fewer records never need more room).
            let order = leave_order(replica);
            let mut best = without(order.len(), &order).map_err(|needed| SyncError::Full {
                needed,
                budget: QUOTA_BYTES - RESERVED_BYTES,
            })?;
            let (mut lo, mut hi) = (1, order.len());
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                match without(mid, &order) {
                    Ok(found) => {
                        hi = mid;
                        best = found;
                    }
                    Err(_) => lo = mid + 1,
                }
            }
            (best.0, best.1, hi)
        }
    };
    let mut out = Sealed {
        bytes,
        items: items.len(),
        left_out,
        ..Sealed::default()
    };
    if item(previous, CHECK_KEY) != Some(&check) {
        out.set.push((CHECK_KEY.to_string(), check));
    }
    for (key, plain) in items.iter() {
        let same = opened_item(previous, opened, key).is_ok_and(|p| p == plain.as_slice());
        if !same {
            out.seal.push(ToSeal::new(key, plain.clone()));
        }
    }
    out.remove = previous
        .iter()
        .map(|(k, _)| k)
        .filter(|k| is_record_key(k) && !items.iter().any(|(key, _)| key == *k))
        .cloned()
        .collect();
    Ok(out)
}

/// What [`open_items`] read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Opened {
    /// The records of every item that opened, merged.
    pub replica: Replica,
    /// Items left out, with why (changed on the way, damaged, newer format).
    pub refused: Vec<(String, SyncError)>,
}

/// Reads every record item of `items` (the whole `storage.sync` area; other keys are
/// ignored) from the plaintexts the background opened ([`to_open`]), `check` being the
/// code check the background derived from the code. A wrong code is refused as a whole ([`SyncError::WrongCode`]); an item that
/// fails on its own is left out and listed, the others still count (each is whole).
pub fn open_items(
    items: &[(String, String)],
    opened: &[(String, Vec<u8>)],
    check: &[u8],
) -> Result<Opened, SyncError> {
    if let Some(v) = item(items, CHECK_KEY) {
        let payload = split_value(CHECK_KEY, v)?;
        if B64.decode(payload).ok().as_deref() != Some(check) {
            return Err(SyncError::WrongCode);
        }
    }
    let mut out = Opened::default();
    for (key, _) in items.iter().filter(|(k, _)| is_record_key(k)) {
        match opened_item(items, opened, key).and_then(|p| unpack(p, key)) {
            Ok(r) => {
                out.replica.merge(&r);
            }
            Err(e) => out.refused.push((key.to_string(), e)),
        }
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn record_keys() {
        assert!(is_record_key("v0.0") && is_record_key("v3.7") && is_record_key("v9.1ff"));
        for k in ["k", "v", "v.", "v1.", "v.1", "vx.1", "v1.g", "inbox.1"] {
            assert!(!is_record_key(k), "{k}");
        }
    }

    #[test]
    fn sealed_length_is_exact() {
        for n in [0, 1, 2, 3, 100, 5000] {
            let v = item_value(&vec![7; NONCE_BYTES + n + TAG_BYTES]);
            assert_eq!(item_bytes("v2.3", &v), sealed_len("v2.3", n), "{n}");
        }
    }

    #[test]
    fn the_spread_uses_the_ids_first_bits() {
        assert_eq!(spread("affff000000000000", 0), 0);
        assert_eq!(spread("affff000000000000", 1), 1);
        assert_eq!(spread("a7fff000000000000", 1), 0);
        assert_eq!(spread("a8000000000000000", 9), 256);
    }

    #[test]
    fn the_extra_item_fits_the_reserve_or_is_refused() {
        let s = seal_extra(b"{}").unwrap();
        assert_eq!(
            (s.key.as_str(), s.plain.as_slice()),
            (EXTRA_KEY, &b"{}"[..])
        );
        assert_eq!(s.ad, aad(EXTRA_KEY));
        assert_ne!(aad(EXTRA_KEY), aad("v0.0"), "bound to its key");
        assert!(matches!(
            seal_extra(&[0; RESERVED_BYTES]),
            Err(SyncError::Full { .. })
        ));
    }

    #[test]
    fn what_to_open_splits_nonce_and_skips_other_formats() {
        let raw: Vec<u8> = (0..40).collect();
        let items = vec![
            ("v0.0".to_string(), item_value(&raw)),
            ("v0.1".to_string(), item_value(&raw[..27])),
            ("v0.2".to_string(), format!("1.{}", B64.encode(&raw))),
            ("x".to_string(), item_value(&raw)),
            ("inbox".to_string(), item_value(&raw)),
        ];
        let got = to_open(&items);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].nonce, raw[..NONCE_BYTES]);
        assert_eq!(got[0].sealed, raw[NONCE_BYTES..]);
        assert_eq!(got[0].ad, aad("v0.0"));
        let e = opened_item(&items, &[], "v0.2").unwrap_err();
        assert!(
            matches!(e, SyncError::OtherVersion { found: 1, .. }),
            "{e:?}"
        );
        assert!(e.to_string().contains("another version"), "{e}");
        let e = opened_item(&items, &[], "v0.1").unwrap_err();
        assert!(matches!(e, SyncError::Tampered { .. }), "{e:?}");
    }
}
