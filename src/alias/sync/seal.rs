//! Records into `storage.sync` items and back, each item sealed with XChaCha20-Poly1305.
//!
//! **Quotas** (Chrome's `storage.sync` and Firefox's alike): 102,400 bytes in all,
//! 8,192 per item (key length plus the JSON text of the value), 512 items. The vault's
//! records are spread over `2^k` items by the first `k` bits of their id (a hash of the
//! address), with the smallest `k` at which every item fits: a change rewrites one item,
//! and every device that holds the same records writes the same keys. Each item is a
//! self-contained set of whole records, so items from different writers, or a set of items
//! only partly delivered, still merge into a correct replica (the merge is a join).
//!
//! **Item value**: `"1." + base64(nonce ‖ ciphertext ‖ tag)`, version `1` outside the
//! ciphertext so that a newer format is told apart before decryption; XChaCha20-Poly1305
//! (draft-irtf-cfrg-xchacha, RFC 8439's AEAD with a 192-bit nonce) with a random nonce per
//! write, and as associated data `"impalemail-sync" ‖ version ‖ item key`, so an item
//! moved to another key or relabelled with another version fails authentication.
//!
//! **Why XChaCha20-Poly1305 in the core** rather than AES-256-GCM through WebCrypto:
//! sealing stays one synchronous call into the core (WebCrypto is asynchronous, so every
//! seal and open would be a round trip through the background, as S/MIME's offload is), the
//! native tests exercise exactly what the extension runs, and a random 192-bit nonce never
//! repeats in practice, where GCM's 96-bit random nonces must stay below 2^32 messages per
//! key. Cost: the wasm grows by the figure in ARCHITECTURE.md, "Sync".
//!
//! **Check item** `k`: `"1." + base64(check)` (from [`SyncKeys`]), so that a wrong code is
//! reported as such rather than as every item being damaged.

use super::code::SyncKeys;
use super::error::SyncError;
use super::pack::{pack, unpack};
use super::replica::{Replica, SyncRecord};
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

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
pub const ITEM_FORMAT: u64 = 1;
/// The key of the code check item.
pub const CHECK_KEY: &str = "k";
/// The key of the item that carries what travels beside the records (the per-site secret,
/// temporary inbox credentials, the chosen alias sources), inside [`RESERVED_BYTES`].
pub const EXTRA_KEY: &str = "x";
/// Most id bits used to spread records over items (`2^9` = 512 items at most).
const MAX_SPREAD_BITS: u32 = 9;
/// XChaCha20's nonce, bytes.
const NONCE_BYTES: usize = 24;
/// Poly1305's tag, bytes.
const TAG_BYTES: usize = 16;

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

fn aad(key: &str) -> Vec<u8> {
    let mut a = b"impalemail-sync".to_vec();
    a.push(ITEM_FORMAT as u8);
    a.extend_from_slice(key.as_bytes());
    a
}

fn sealed_len(key: &str, plain: usize) -> usize {
    let raw = NONCE_BYTES + plain + TAG_BYTES;
    key.len() + 2 + 2 + (raw * 4).div_ceil(3)
}

/// Seals one item.
pub fn seal_item(key: &str, plain: &[u8], keys: &SyncKeys) -> Result<String, SyncError> {
    let mut nonce = [0u8; NONCE_BYTES];
    getrandom::getrandom(&mut nonce).map_err(|e| SyncError::Randomness {
        message: e.to_string(),
    })?;
    seal_item_with_nonce(key, plain, keys, nonce)
}

fn seal_item_with_nonce(
    key: &str,
    plain: &[u8],
    keys: &SyncKeys,
    nonce: [u8; NONCE_BYTES],
) -> Result<String, SyncError> {
    let cipher = XChaCha20Poly1305::new((&keys.item).into());
    let aad = aad(key);
    let ct = cipher
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: plain,
                aad: &aad,
            },
        )
        .map_err(|_| SyncError::Full {
            needed: plain.len(),
            budget: QUOTA_BYTES_PER_ITEM,
        })?;
    let mut raw = nonce.to_vec();
    raw.extend_from_slice(&ct);
    Ok(format!("{ITEM_FORMAT}.{}", B64.encode(raw)))
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
        return Err(bad("unknown version"));
    }
    Ok(payload)
}

/// Opens one item to its packed plaintext.
pub fn open_item(key: &str, value: &str, keys: &SyncKeys) -> Result<Vec<u8>, SyncError> {
    let tampered = || SyncError::Tampered {
        item: key.to_string(),
    };
    let raw = B64
        .decode(split_value(key, value)?)
        .map_err(|_| tampered())?;
    if raw.len() < NONCE_BYTES + TAG_BYTES {
        return Err(tampered());
    }
    let (nonce, ct) = raw.split_at(NONCE_BYTES);
    let mut n = [0u8; NONCE_BYTES];
    n.copy_from_slice(nonce);
    let cipher = XChaCha20Poly1305::new((&keys.item).into());
    cipher
        .decrypt(
            &XNonce::from(n),
            Payload {
                msg: ct,
                aad: &aad(key),
            },
        )
        .map_err(|_| tampered())
}

/// Seals the item beside the records ([`EXTRA_KEY`]); refused with [`SyncError::Full`]
/// when it would not fit [`RESERVED_BYTES`].
pub fn seal_extra(plain: &[u8], keys: &SyncKeys) -> Result<String, SyncError> {
    let needed = sealed_len(EXTRA_KEY, plain.len());
    if needed > RESERVED_BYTES {
        return Err(SyncError::Full {
            needed,
            budget: RESERVED_BYTES,
        });
    }
    seal_item(EXTRA_KEY, plain, keys)
}

/// The value of the code check item.
pub fn check_value(keys: &SyncKeys) -> String {
    format!("{ITEM_FORMAT}.{}", B64.encode(keys.check))
}

/// What to write to `storage.sync`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sealed {
    /// Items to set (new or changed), key and value, in one `storage.sync.set` call.
    pub set: Items,
    /// Record items to remove (a previous spread's keys), in one `remove` call.
    pub remove: Vec<String>,
    /// Bytes all record items and the check item take, against [`QUOTA_BYTES`].
    pub bytes: usize,
    /// Record items written in all (changed or not).
    pub items: usize,
}

fn spread(id: &str, k: u32) -> usize {
    if k == 0 {
        return 0;
    }
    let hex = id.strip_prefix('a').unwrap_or(id);
    let top = u64::from_str_radix(hex.get(..4).unwrap_or("0"), 16).unwrap_or(0);
    (top >> (16 - k)) as usize
}

/// Packs the replica into items for `storage.sync`. `previous` is what the area holds
/// now (its record items and check item; other keys are ignored): an item whose records
/// are unchanged keeps its value (no write), and record items of an earlier spread are
/// removed. Refused with [`SyncError::Full`] when the records need more than the area
/// offers them: nothing is written then, and the local vault is unaffected.
pub fn seal_replica(
    replica: &Replica,
    keys: &SyncKeys,
    previous: &[(String, String)],
) -> Result<Sealed, SyncError> {
    let budget = QUOTA_BYTES - RESERVED_BYTES;
    let check = check_value(keys);
    let mut chosen = None;
    for k in 0..=MAX_SPREAD_BITS {
        let mut buckets: Vec<Vec<(&String, &SyncRecord)>> = vec![Vec::new(); 1 << k];
        for (id, r) in &replica.records {
            buckets[spread(id, k)].push((id, r));
        }
        let items: Vec<(String, Vec<u8>)> = buckets
            .iter()
            .enumerate()
            .filter(|(_, b)| !b.is_empty())
            .map(|(n, b)| (format!("v{k}.{n:x}"), pack(b)))
            .collect();
        if items
            .iter()
            .all(|(key, p)| sealed_len(key, p.len()) <= QUOTA_BYTES_PER_ITEM)
        {
            chosen = Some(items);
            break;
        }
    }
    let items = chosen.ok_or(SyncError::Full {
        needed: QUOTA_BYTES_PER_ITEM + 1,
        budget: QUOTA_BYTES_PER_ITEM,
    })?;
    let bytes = items
        .iter()
        .map(|(key, p)| sealed_len(key, p.len()))
        .sum::<usize>()
        + item_bytes(CHECK_KEY, &check);
    if bytes > budget || items.len() + 1 > MAX_ITEMS {
        return Err(SyncError::Full {
            needed: bytes,
            budget,
        });
    }
    let mut out = Sealed {
        bytes,
        items: items.len(),
        ..Sealed::default()
    };
    if item(previous, CHECK_KEY) != Some(&check) {
        out.set.push((CHECK_KEY.to_string(), check));
    }
    for (key, plain) in &items {
        let same = item(previous, key)
            .and_then(|v| open_item(key, v, keys).ok())
            .is_some_and(|p| p == *plain);
        if !same {
            out.set.push((key.clone(), seal_item(key, plain, keys)?));
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

/// Opens every record item of `items` (the whole `storage.sync` area; other keys are
/// ignored). A wrong code is refused as a whole ([`SyncError::WrongCode`]); an item that
/// fails on its own is left out and listed, the others still count (each is whole).
pub fn open_items(items: &[(String, String)], keys: &SyncKeys) -> Result<Opened, SyncError> {
    if let Some(v) = item(items, CHECK_KEY) {
        let payload = split_value(CHECK_KEY, v)?;
        if B64.decode(payload).ok().as_deref() != Some(&keys.check[..]) {
            return Err(SyncError::WrongCode);
        }
    }
    let mut out = Opened::default();
    for (key, value) in items.iter().filter(|(k, _)| is_record_key(k)) {
        match open_item(key, value, keys).and_then(|p| unpack(&p, key)) {
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
    use crate::alias::sync::SyncCode;

    #[test]
    fn record_keys() {
        assert!(is_record_key("v0.0") && is_record_key("v3.7") && is_record_key("v9.1ff"));
        for k in ["k", "v", "v.", "v1.", "v.1", "vx.1", "v1.g", "inbox.1"] {
            assert!(!is_record_key(k), "{k}");
        }
    }

    #[test]
    fn sealed_length_is_exact() {
        let keys = SyncCode::from_random([3; 18]).keys();
        for n in [0, 1, 2, 3, 100, 5000] {
            let v = seal_item("v2.3", &vec![7; n], &keys).unwrap();
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
        let keys = SyncCode::from_random([5; 18]).keys();
        let v = seal_extra(b"{}", &keys).unwrap();
        assert_eq!(open_item(EXTRA_KEY, &v, &keys).unwrap(), b"{}");
        assert!(open_item("v0.0", &v, &keys).is_err(), "bound to its key");
        assert!(matches!(
            seal_extra(&[0; RESERVED_BYTES], &keys),
            Err(SyncError::Full { .. })
        ));
    }

    #[test]
    fn a_fixed_nonce_gives_the_same_item() {
        let keys = SyncCode::from_random([4; 18]).keys();
        let a = seal_item_with_nonce("v0.0", b"x", &keys, [1; 24]).unwrap();
        let b = seal_item_with_nonce("v0.0", b"x", &keys, [1; 24]).unwrap();
        assert_eq!(a, b);
        assert_eq!(open_item("v0.0", &a, &keys).unwrap(), b"x");
    }
}
