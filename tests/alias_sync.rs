//! Sync (issue #25): the merge converges with three replicas under random operations and
//! random delivery; sealed items refuse a wrong code, changed, cut or moved items and a
//! newer format with the local state unchanged; how many aliases fit the sync area.
#![allow(clippy::unwrap_used, clippy::panic)]

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use impalemail::alias::sync::code::{CHECK_INFO, ITEM_KEY_INFO};
use impalemail::alias::sync::hlc::MAX_CLOCK_SKEW_SECS;
use impalemail::alias::sync::pack::{pack, pack_replica, unpack, PACK_SCHEMA};
use impalemail::alias::sync::replica::{CLAIM_SETTLE_SECS, CLAIM_TIMEOUT_SECS};
use impalemail::alias::sync::seal::{
    item_bytes, item_value, leave_order, open_items, seal_replica, to_open, Sealed, ToSeal,
    CHECK_BYTES, CHECK_KEY, NONCE_BYTES, QUOTA_BYTES, RESERVED_BYTES,
};
use impalemail::alias::sync::{
    Change, Clock, ProviderAction, Replica, SyncCode, SyncError, SyncState, Turn,
};
use impalemail::alias::vault::record_id;
use impalemail::alias::{
    AliasRecord, AliasState, GeneratorKind, Lifetime, Provider, Source, Vault,
};
use proptest::prelude::*;

/// Fixed clock: 2023-11-14T22:13:20Z.
const NOW: u64 = 1_700_000_000;

const ADDRESSES: [&str; 5] = [
    "shop.amber.otter407@mine.example",
    "news.quiet.lamp112@mine.example",
    "q1w2e3@mozmail.com",
    "quiet-otter-lamp@duck.com",
    "x1@me.anonaddy.com",
];
const LABELS: [Option<&str>; 3] = [None, Some("shopping"), Some("newsletter")];

fn record(address: &str, created: u64) -> AliasRecord {
    AliasRecord::new(
        address,
        Source::Generator(GeneratorKind::PerSite),
        Some("https://shop.example"),
        created,
        Lifetime::SevenDays,
    )
    .unwrap()
}

/// One step of a random history.
#[derive(Debug, Clone)]
enum Step {
    /// Replica `r` makes a change to address `a`, `dt` seconds after the last step.
    Op {
        r: usize,
        kind: u8,
        a: usize,
        arg: usize,
        dt: u64,
    },
    /// The `n`th message in flight arrives (and stays in flight to arrive again if `dup`).
    Deliver { n: usize, dup: bool },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (
            0..3usize,
            0..6u8,
            0..ADDRESSES.len(),
            0..LABELS.len(),
            0..5u64
        )
            .prop_map(|(r, kind, a, arg, dt)| Step::Op {
                r,
                kind,
                a,
                arg,
                dt
            }),
        (any::<usize>(), any::<bool>()).prop_map(|(n, dup)| Step::Deliver { n, dup }),
    ]
}

struct Node {
    clock: Clock,
    replica: Replica,
    /// This device's wall clock is off by this many seconds.
    skew: i64,
}

impl Node {
    fn now(&self, t: u64) -> u64 {
        t.checked_add_signed(self.skew).unwrap()
    }
}

fn change(kind: u8, a: usize, arg: usize, created: u64) -> Change {
    let id = record_id(ADDRESSES[a]);
    match kind {
        0 => Change::Create(record(ADDRESSES[a], created)),
        1 => Change::SetState {
            id,
            state: AliasState::Disabled,
        },
        2 => Change::SetState {
            id,
            state: AliasState::Active,
        },
        3 => Change::Delete { id },
        4 => Change::SetLabel {
            id,
            label: LABELS[arg].map(str::to_string),
        },
        _ => Change::SetState {
            id,
            state: AliasState::Expired,
        },
    }
}

/// Runs a history; returns the three replicas after everything in flight arrived.
fn run(steps: &[Step], skews: [i64; 3], final_order: &[usize]) -> Vec<Node> {
    let mut nodes: Vec<Node> = (0..3)
        .map(|i| Node {
            clock: Clock::new(0x1000 + i as u64),
            replica: Replica::new(),
            skew: skews[i],
        })
        .collect();
    // Messages in flight: (to, packed record), each through the binary form.
    let mut flight: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut t = NOW;
    let deliver = |nodes: &mut Vec<Node>, to: usize, msg: &[u8], t: u64| {
        let got = unpack(msg, "test").unwrap();
        let now = nodes[to].now(t);
        for h in got.stamps() {
            nodes[to].clock.observe(h, now);
        }
        nodes[to].replica.merge(&got);
    };
    for s in steps {
        match *s {
            Step::Op {
                r,
                kind,
                a,
                arg,
                dt,
            } => {
                t += dt;
                let now = nodes[r].now(t);
                let c = change(kind, a, arg, now);
                let at = nodes[r].clock.tick(now);
                if nodes[r].replica.apply(&c, at).is_err() {
                    continue; // a change to an alias this replica does not have
                }
                let id = record_id(ADDRESSES[a]);
                let rec = &nodes[r].replica.records[&id];
                let msg = pack(&[(&id, rec)]);
                for to in (0..3).filter(|&to| to != r) {
                    flight.push((to, msg.clone()));
                }
            }
            Step::Deliver { n, dup } => {
                if flight.is_empty() {
                    continue;
                }
                let i = n % flight.len();
                let (to, msg) = if dup {
                    flight[i].clone()
                } else {
                    flight.remove(i)
                };
                deliver(&mut nodes, to, &msg, t);
            }
        }
    }
    // Whatever is still in flight arrives, in a random order.
    let mut k = 0;
    while !flight.is_empty() {
        let i = final_order.get(k).copied().unwrap_or(0) % flight.len();
        k += 1;
        let (to, msg) = flight.remove(i);
        deliver(&mut nodes, to, &msg, t);
    }
    nodes
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 400,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Three replicas, random changes (create, disable, enable, delete, relabel, expire) with
    /// clocks up to an hour apart, random delivery (reordered, duplicated, delayed): all equal.
    #[test]
    fn three_replicas_converge(
        steps in prop::collection::vec(step(), 1..80),
        skews in prop::array::uniform3(-3600i64..3600),
        final_order in prop::collection::vec(any::<usize>(), 0..200),
    ) {
        let nodes = run(&steps, skews, &final_order);
        prop_assert_eq!(&nodes[0].replica, &nodes[1].replica);
        prop_assert_eq!(&nodes[1].replica, &nodes[2].replica);
        prop_assert_eq!(nodes[0].replica.view(), nodes[2].replica.view());
        // And the whole replica survives its stored form.
        let again = unpack(&pack_replica(&nodes[0].replica), "test").unwrap();
        prop_assert_eq!(&again, &nodes[0].replica);
    }

    /// The merge is a join: commutative, associative, idempotent on whole replicas.
    #[test]
    fn merge_is_a_join(steps in prop::collection::vec(step(), 1..60)) {
        // No delivery: three diverged replicas.
        let ops: Vec<Step> = steps.into_iter().filter(|s| matches!(s, Step::Op { .. })).collect();
        // Each replica applies its own changes only.
        let mut local: Vec<Replica> = vec![Replica::new(), Replica::new(), Replica::new()];
        let mut clocks: Vec<Clock> = (0..3).map(|i| Clock::new(7 + i as u64)).collect();
        let mut t = NOW;
        for s in &ops {
            if let Step::Op { r, kind, a, arg, dt } = *s {
                t += dt;
                let at = clocks[r].tick(t);
                let _ = local[r].apply(&change(kind, a, arg, t), at);
            }
        }
        let join = |a: &Replica, b: &Replica| { let mut x = a.clone(); x.merge(b); x };
        let (a, b, c) = (&local[0], &local[1], &local[2]);
        prop_assert_eq!(join(a, b), join(b, a));
        prop_assert_eq!(join(&join(a, b), c), join(a, &join(b, c)));
        prop_assert_eq!(join(a, a), a.clone());
        let ab = join(a, b);
        prop_assert_eq!(join(&ab, b), ab.clone());
    }
}

#[test]
fn a_disable_here_and_a_relabel_there_both_survive() {
    let mut a = Clock::new(1);
    let mut b = Clock::new(2);
    let mut ra = Replica::new();
    let id = record_id(ADDRESSES[0]);
    ra.apply(&Change::Create(record(ADDRESSES[0], NOW)), a.tick(NOW))
        .unwrap();
    let mut rb = ra.clone();
    // Apart: A disables, B relabels (later, by B's clock).
    ra.apply(
        &Change::SetState {
            id: id.clone(),
            state: AliasState::Disabled,
        },
        a.tick(NOW + 10),
    )
    .unwrap();
    rb.apply(
        &Change::SetLabel {
            id: id.clone(),
            label: Some("work".into()),
        },
        b.tick(NOW + 20),
    )
    .unwrap();
    let (mut x, mut y) = (ra.clone(), rb.clone());
    x.merge(&rb);
    y.merge(&ra);
    assert_eq!(x, y);
    let r = &x.view().records[0];
    assert_eq!(
        (r.state, r.label.as_deref()),
        (AliasState::Disabled, Some("work"))
    );
}

#[test]
fn a_delete_is_not_undone_by_a_concurrent_enable_but_by_making_it_again() {
    let (mut a, mut b) = (Clock::new(1), Clock::new(2));
    let id = record_id(ADDRESSES[2]);
    let mut ra = Replica::new();
    ra.apply(&Change::Create(record(ADDRESSES[2], NOW)), a.tick(NOW))
        .unwrap();
    let mut rb = ra.clone();
    ra.apply(&Change::Delete { id: id.clone() }, a.tick(NOW + 5))
        .unwrap();
    rb.apply(
        &Change::SetState {
            id: id.clone(),
            state: AliasState::Active,
        },
        b.tick(NOW + 9),
    )
    .unwrap();
    ra.merge(&rb);
    assert!(ra.view().records.is_empty());
    // Only ids derived from an address name a tombstone.
    let bad = Change::Delete {
        id: "imported-7".into(),
    };
    assert!(ra.apply(&bad, a.tick(NOW + 6)).is_err());
    // A tombstone is small: its id and stamps (here two: the delete's and the enable's).
    assert!(pack_replica(&ra).len() <= 48, "{}", pack_replica(&ra).len());
    // The per-site generator makes the same address again: it is back.
    rb.merge(&ra);
    rb.apply(
        &Change::Create(record(ADDRESSES[2], NOW + 50)),
        b.tick(NOW + 50),
    )
    .unwrap();
    ra.merge(&rb);
    assert_eq!(ra.view().records.len(), 1);
    assert_eq!(ra, rb);
}

#[test]
fn a_clock_far_ahead_is_merged_but_not_followed() {
    let mut a = Clock::new(1);
    let ahead = impalemail::alias::sync::Hlc {
        wall: NOW + MAX_CLOCK_SKEW_SECS + 1,
        counter: 0,
        device: 9,
    };
    assert!(!a.observe(ahead, NOW));
    assert!(a.tick(NOW) < ahead);
}

#[test]
fn expiry_at_the_provider_is_claimed_by_one_device() {
    let id = record_id(ADDRESSES[2]);
    let mut clocks: Vec<Clock> = (1..=3).map(Clock::new).collect();
    let mut reps: Vec<Replica> = vec![Replica::new(); 3];
    let at = clocks[0].tick(NOW);
    reps[0]
        .apply(&Change::Create(record(ADDRESSES[2], NOW)), at)
        .unwrap();
    let first = reps[0].clone();
    for r in &mut reps[1..] {
        r.merge(&first);
    }
    // The alarm fires on all three, at slightly different times, before they sync.
    let mut turns = Vec::new();
    for (i, (r, c)) in reps.iter_mut().zip(clocks.iter_mut()).enumerate() {
        turns.push(
            r.claim(&id, ProviderAction::Disable, c, NOW + 100 + i as u64)
                .unwrap(),
        );
    }
    assert!(
        turns.iter().all(|t| matches!(t, Turn::Wait { .. })),
        "{turns:?}"
    );
    // They sync; after the settle time exactly one acts.
    let all = reps.iter().fold(Replica::new(), |mut acc, r| {
        acc.merge(r);
        acc
    });
    let later = NOW + 100 + CLAIM_SETTLE_SECS + 10;
    let turns: Vec<Turn> = (0..3)
        .map(|i| {
            reps[i].merge(&all);
            reps[i].turn(&id, ProviderAction::Disable, clocks[i].device(), later)
        })
        .collect();
    assert_eq!(turns, vec![Turn::Act, Turn::Other, Turn::Other]);
    // Claiming again changes nothing for the others.
    assert_eq!(
        reps[1]
            .claim(&id, ProviderAction::Disable, &mut clocks[1], later)
            .unwrap(),
        Turn::Other
    );
    // The first never finishes; after the timeout, the second takes over.
    let much_later = NOW + 100 + CLAIM_TIMEOUT_SECS + 1;
    let t1 = reps[1]
        .claim(&id, ProviderAction::Disable, &mut clocks[1], much_later)
        .unwrap();
    assert!(matches!(t1, Turn::Wait { .. }), "{t1:?}");
    let r1 = reps[1].clone();
    reps[0].merge(&r1);
    assert_eq!(
        reps[0].turn(&id, ProviderAction::Disable, 1, much_later),
        Turn::Other
    );
    let t1 = reps[1].turn(
        &id,
        ProviderAction::Disable,
        2,
        much_later + CLAIM_SETTLE_SECS,
    );
    assert_eq!(t1, Turn::Act);
    reps[1].finish(&id, ProviderAction::Disable).unwrap();
    let r1 = reps[1].clone();
    reps[0].merge(&r1);
    assert_eq!(
        reps[0].turn(&id, ProviderAction::Disable, 1, much_later),
        Turn::Done
    );
}

// ------------------------------------------------------------------ sealed items

/// The background's part (`background/sync.js`), standing in for WebCrypto: the keys from
/// HKDF-SHA-256 with the core's `info` strings, ChaCha20-Poly1305 (RFC 8439: a 96-bit nonce
/// and a 128-bit tag, as AES-256-GCM's, so every size is exact) in place of AES-256-GCM.
/// The real cipher is tested against the core in tests/js/sync.test.mjs.
struct Background {
    key: [u8; 32],
    check: [u8; CHECK_BYTES],
}

impl Background {
    fn of(code: &SyncCode) -> Background {
        let hk = hkdf::Hkdf::<sha2::Sha256>::new(None, code.key_material());
        let mut key = [0u8; 32];
        let mut check = [0u8; CHECK_BYTES];
        hk.expand(ITEM_KEY_INFO, &mut key).unwrap();
        hk.expand(CHECK_INFO, &mut check).unwrap();
        Background { key, check }
    }

    fn cipher(&self) -> ChaCha20Poly1305 {
        ChaCha20Poly1305::new((&self.key).into())
    }

    /// What the background opens of an area: the items that authenticate.
    fn open(&self, area: &[(String, String)]) -> Vec<(String, Vec<u8>)> {
        to_open(area)
            .into_iter()
            .filter_map(|t| {
                let plain = self
                    .cipher()
                    .decrypt(
                        &Nonce::from(<[u8; NONCE_BYTES]>::try_from(t.nonce.as_slice()).ok()?),
                        Payload {
                            msg: &t.sealed,
                            aad: &t.ad,
                        },
                    )
                    .ok()?;
                Some((t.key, plain))
            })
            .collect()
    }

    fn seal(&self, t: &ToSeal) -> String {
        let mut nonce = [0u8; NONCE_BYTES];
        getrandom::getrandom(&mut nonce).unwrap();
        let mut raw = nonce.to_vec();
        raw.extend(
            self.cipher()
                .encrypt(
                    &Nonce::from(nonce),
                    Payload {
                        msg: &t.plain,
                        aad: &t.ad,
                    },
                )
                .unwrap(),
        );
        item_value(&raw)
    }
}

/// `SyncState::outgoing` as the background runs it: open the area, ask the core, seal what
/// it lists; `set` then holds every value to write.
fn outgoing(
    s: &mut SyncState,
    vault: &Vault,
    area: &[(String, String)],
    now: u64,
) -> Result<Sealed, SyncError> {
    let bg = Background::of(&s.code);
    let mut out = s.outgoing(vault, area, &bg.open(area), &bg.check, now)?;
    for t in std::mem::take(&mut out.seal) {
        out.set.push((t.key.clone(), bg.seal(&t)));
    }
    Ok(out)
}

/// `SyncState::incoming` as the background runs it.
fn incoming(
    s: &mut SyncState,
    vault: &Vault,
    area: &[(String, String)],
    now: u64,
) -> Result<impalemail::alias::sync::Incoming, SyncError> {
    let bg = Background::of(&s.code);
    s.incoming(vault, area, &bg.open(area), &bg.check, now)
}

fn code(n: u8) -> SyncCode {
    SyncCode::from_random([n; 18])
}

fn vault_of(n: usize) -> Vault {
    let mut v = Vault::new();
    for i in 0..n {
        v.add(sample_alias(i)).unwrap();
    }
    v
}

/// A realistic mix: per-site and catch-all aliases and provider aliases, sites and origins,
/// a quarter with a label, lifetimes, some disabled or expired.
fn sample_alias(i: usize) -> AliasRecord {
    const WORDS: [&str; 8] = [
        "amber", "otter", "lamp", "quiet", "river", "stone", "maple", "cobalt",
    ];
    let site = format!("{}{}.example", WORDS[i % 8], i);
    let created = NOW + i as u64 * 3_600;
    let (address, source) = match i % 4 {
        0 => (
            format!(
                "{}{}.{}{:03}@mine.example",
                WORDS[i % 8],
                i,
                WORDS[(i / 8) % 8],
                i % 1000
            ),
            Source::Generator(GeneratorKind::PerSite),
        ),
        1 => (
            format!(
                "{}.{}{:03}@catch.example.net",
                WORDS[(i / 3) % 8],
                WORDS[i % 8],
                i % 1000
            ),
            Source::Generator(GeneratorKind::CatchAll),
        ),
        2 => (
            format!(
                "{}_{}{}@simplelogin.com",
                WORDS[i % 8],
                WORDS[(i / 5) % 8],
                i
            ),
            Source::Provider(Provider::SimpleLogin),
        ),
        _ => (
            format!("{:x}{}@mozmail.com", i * 7919, WORDS[i % 8]),
            Source::Provider(Provider::FirefoxRelay),
        ),
    };
    let lifetime = if i % 3 == 0 {
        Lifetime::Never
    } else {
        Lifetime::ThirtyDays
    };
    let mut r = AliasRecord::new(&address, source, Some(&site), created, lifetime).unwrap();
    if i % 4 >= 2 {
        r.provider_id = Some(format!("{}", 1_000_000 + i * 13));
    }
    r.origin = Some(if i % 2 == 0 {
        format!("https://www.{site}")
    } else {
        format!("https://{site}")
    });
    if i % 4 == 0 {
        r.label = Some(format!("{} account", WORDS[i % 8]));
    }
    if i % 5 == 0 {
        r.state = AliasState::Disabled;
    }
    r
}

#[test]
fn two_devices_share_through_sealed_items() {
    let mut a = SyncState::with_device(code(1), 1);
    let mut b = SyncState::with_device(code(1), 2);
    let va = vault_of(30);
    let out = outgoing(&mut a, &va, &Vec::new(), NOW + 1).unwrap();
    assert!(out.set.iter().any(|(k, _)| k == CHECK_KEY));
    let area = out.set.clone();
    let got = incoming(&mut b, &Vault::new(), &area, NOW + 2).unwrap();
    assert_eq!(got.vault.records.len(), 30);
    assert!(got.refused.is_empty());
    let mut sorted_a = va.records.clone();
    sorted_a.sort_by_key(|r| r.created);
    assert_eq!(got.vault.records, sorted_a);
    // Writing the same records again writes nothing; one change rewrites one item.
    let again = outgoing(&mut a, &va, &area, NOW + 3).unwrap();
    assert!(again.set.is_empty() && again.remove.is_empty(), "{again:?}");
    let mut va2 = va.clone();
    va2.set_label(&va.records[3].id, Some("changed")).unwrap();
    let one = outgoing(&mut a, &va2, &area, NOW + 4).unwrap();
    assert_eq!(one.set.len(), 1, "{:?}", one.set);
    // A record keeps the id the local vault gave it (an import's id need not be derived).
    let mut custom = vault_of(1);
    custom.records[0].id = "imported-7".into();
    let mut c = SyncState::with_device(code(1), 3);
    let back = incoming(&mut c, &custom, &area, NOW + 5).unwrap();
    let kept = back.vault.find_address(&custom.records[0].address).unwrap();
    assert_eq!(kept.id, "imported-7");
    // The stored state reads back.
    let back = SyncState::from_text(&a.to_text()).unwrap();
    assert_eq!(back.replica, a.replica);
    assert_eq!(back.clock, a.clock);
}

/// What B holds before and after: nothing may change when `area` is refused.
fn refused_unchanged(area: &[(String, String)]) -> Result<usize, SyncError> {
    let mut b = SyncState::with_device(code(1), 2);
    let vb = vault_of(3);
    outgoing(&mut b, &vb, &Vec::new(), NOW).unwrap();
    let before = b.to_text();
    let got = incoming(&mut b, &vb, area, NOW + 5);
    match got {
        Err(e) => {
            assert_eq!(b.to_text(), before, "state changed on {e}");
            Err(e)
        }
        Ok(inc) => {
            assert_eq!(inc.changed, 0, "{inc:?}");
            assert_eq!(inc.vault, b.replica.view());
            assert_eq!(b.to_text(), before);
            Ok(inc.refused.len())
        }
    }
}

/// Sets `key` in an area (replacing its value).
fn put(area: &mut Vec<(String, String)>, key: &str, value: String) {
    area.retain(|(k, _)| k != key);
    area.push((key.to_string(), value));
}

fn area_of(n: usize, code_n: u8) -> Vec<(String, String)> {
    let mut a = SyncState::with_device(code(code_n), 1);
    outgoing(&mut a, &vault_of(n), &Vec::new(), NOW)
        .unwrap()
        .set
}

#[test]
fn a_wrong_code_is_refused_and_changes_nothing() {
    let e = refused_unchanged(&area_of(10, 2)).unwrap_err();
    assert_eq!(e, SyncError::WrongCode);
    assert!(e.to_string().contains("not the sync code"), "{e}");
    // Without the check item, every item fails authentication instead.
    let mut area = area_of(10, 2);
    area.retain(|(k, _)| k != CHECK_KEY);
    assert_eq!(refused_unchanged(&area).unwrap(), 1);
}

#[test]
fn changed_cut_or_moved_items_are_refused_and_change_nothing() {
    let area = area_of(10, 1);
    let (key, value) = area.iter().find(|(k, _)| k.starts_with('v')).unwrap();
    let mut bytes = value.clone().into_bytes();
    let mid = bytes.len() / 2;
    bytes[mid] = if bytes[mid] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(bytes).unwrap();
    let cut = value[..value.len() - 8].to_string();
    let short = value[..20].to_string();
    for bad in [flipped, cut, short, "2.".to_string(), "2.!!".to_string()] {
        let mut a = area.clone();
        put(&mut a, key, bad);
        assert_eq!(refused_unchanged(&a).unwrap(), 1);
    }
    // An item moved to another key fails authentication (the key is in the associated data).
    let mut a = Vec::new();
    put(&mut a, "v3.5", value.clone());
    assert_eq!(refused_unchanged(&a).unwrap(), 1);
    let e = SyncError::Tampered { item: key.clone() };
    assert!(e.to_string().contains("changed or cut short"), "{e}");
}

#[test]
fn an_item_from_a_newer_format_is_refused_and_changes_nothing() {
    let area = area_of(10, 1);
    let bg = Background::of(&code(1));
    let (key, value) = area.iter().find(|(k, _)| k.starts_with('v')).unwrap();
    // A newer item version (outside the ciphertext).
    let newer = format!("3{}", &value[1..]);
    let mut a = area.clone();
    put(&mut a, key, newer);
    assert_eq!(refused_unchanged(&a).unwrap(), 1);
    // A newer pack schema inside an authentic item.
    let mut plain = pack_replica(&Replica::new());
    plain[0] = PACK_SCHEMA + 1;
    let mut a = Vec::new();
    let t = ToSeal {
        key: "v0.0".into(),
        ad: impalemail::alias::sync::seal::aad("v0.0"),
        plain,
    };
    put(&mut a, "v0.0", bg.seal(&t));
    assert_eq!(refused_unchanged(&a).unwrap(), 1);
    let opened = open_items(&a, &bg.open(&a), &bg.check).unwrap();
    assert!(matches!(
        opened.refused[0].1,
        SyncError::FutureSchema { found: 2, .. }
    ));
    let e = &opened.refused[0].1;
    assert!(e.to_string().contains("newer version"), "{e}");
    // A newer check item: the whole area is refused.
    let mut a = area.clone();
    put(&mut a, CHECK_KEY, "3.AAAA".into());
    assert!(matches!(
        refused_unchanged(&a).unwrap_err(),
        SyncError::FutureSchema {
            found: 3,
            supported: 2
        }
    ));
}

/// Format 1 (XChaCha20-Poly1305 in the core, never shipped): its items read as from another
/// version, in plain words, and change nothing; the next write replaces them.
#[test]
fn an_item_of_the_earlier_format_is_refused_in_plain_words() {
    let area = area_of(10, 1);
    let (key, value) = area.iter().find(|(k, _)| k.starts_with('v')).unwrap();
    let mut a = area.clone();
    put(&mut a, key, format!("1{}", &value[1..]));
    assert_eq!(refused_unchanged(&a).unwrap(), 1);
    let bg = Background::of(&code(1));
    let opened = open_items(&a, &bg.open(&a), &bg.check).unwrap();
    let e = &opened.refused[0].1;
    assert!(
        matches!(e, SyncError::OtherVersion { found: 1, .. }),
        "{e:?}"
    );
    assert!(
        e.to_string().contains("another version of ImpaleMail"),
        "{e}"
    );
    // An area wholly of format 1 (its check item too) is refused as a whole, and the next
    // write replaces every item.
    let old: Vec<(String, String)> = area
        .iter()
        .map(|(k, v)| (k.clone(), format!("1{}", &v[1..])))
        .collect();
    let e = refused_unchanged(&old).unwrap_err();
    assert!(
        matches!(e, SyncError::OtherVersion { found: 1, .. }),
        "{e:?}"
    );
    let mut s = SyncState::with_device(code(1), 9);
    let w = outgoing(&mut s, &vault_of(10), &old, NOW).unwrap();
    assert_eq!(w.set.len(), area.len(), "{:?}", w.set);
}

#[test]
fn how_many_aliases_fit_the_sync_area() {
    let budget = QUOTA_BYTES - RESERVED_BYTES;
    let n = 1_000;
    let mut s = SyncState::with_device(code(1), 0x5eed);
    let v = vault_of(n);
    let sealed = outgoing(&mut s, &v, &Vec::new(), NOW + 400 * 86_400).unwrap();
    let json = v.to_json().len();
    let packed = pack_replica(&s.replica).len();
    println!(
        "sync: {n} aliases take {} bytes in {} items ({:.1} bytes per alias sealed, {:.1} packed; \
         the vault's JSON: {:.1}); budget {budget} of {QUOTA_BYTES}",
        sealed.bytes,
        sealed.items,
        sealed.bytes as f64 / n as f64,
        packed as f64 / n as f64,
        json as f64 / n as f64,
    );
    assert!(sealed.bytes <= budget);
    for (k, val) in &sealed.set {
        assert!(item_bytes(k, val) <= 8_192, "{k}");
    }
    // The most that fit, and the refusal past it (nothing is written then).
    let mut lo = n;
    let mut hi = 10_000;
    while lo + 1 < hi {
        let mid = (lo + hi) / 2;
        let mut s = SyncState::with_device(code(1), 0x5eed);
        match outgoing(&mut s, &vault_of(mid), &Vec::new(), NOW) {
            Ok(_) => lo = mid,
            Err(SyncError::Full { needed, budget: b }) => {
                assert!(needed > b);
                hi = mid;
            }
            Err(e) => panic!("{e}"),
        }
    }
    println!("sync: at most {lo} such aliases fit the {budget} bytes");
    assert!(lo >= 1_000);
    let mut s = SyncState::with_device(code(1), 0x5eed);
    let e = outgoing(&mut s, &vault_of(hi), &Vec::new(), NOW).unwrap_err();
    assert!(e.to_string().contains("still kept on this device"), "{e}");
    // Tombstones of deleted aliases.
    let mut r = s.replica.clone();
    let mut c = Clock::new(0x5eed);
    let ids: Vec<String> = r.records.keys().take(1_000).cloned().collect();
    let before = pack_replica(&r).len();
    for id in &ids {
        r.apply(
            &Change::Delete { id: id.clone() },
            c.tick(NOW + 500 * 86_400),
        )
        .unwrap();
    }
    let after = pack_replica(&r).len();
    println!(
        "sync: a tombstone packs to {:.1} bytes (a live alias {:.1})",
        (after as f64 - (before as f64 - packed as f64 / n as f64 * 1_000.0)) / 1_000.0,
        packed as f64 / n as f64,
    );
    let _ = seal_replica(&r, &Background::of(&code(1)).check, &Vec::new(), &[]).unwrap();
}

/// Issue #25 part 4: when the vault outgrows the area, tombstones and then expired aliases
/// leave the area first, as few as make the rest fit; every other alias travels, and every
/// alias stays in the vault. Past what leaving them out can free, `Full` as before.
#[test]
fn a_full_area_leaves_tombstones_then_expired_aliases_out_first() {
    let budget = QUOTA_BYTES - RESERVED_BYTES;
    let n = 1_400;
    // All live: more than the area holds, and nothing may leave.
    let mut s = SyncState::with_device(code(1), 0x5eed);
    let e = outgoing(&mut s, &vault_of(n), &Vec::new(), NOW).unwrap_err();
    assert!(
        matches!(e, SyncError::Full { needed, budget: b } if needed > b),
        "{e:?}"
    );

    // The first 300 expired (some of them at their provider): the fewest of them leave.
    let mut v = vault_of(n);
    for (i, r) in v.records.iter_mut().take(300).enumerate() {
        r.state = if i % 7 == 0 {
            AliasState::DeletedAtProvider
        } else {
            AliasState::Expired
        };
    }
    let mut s = SyncState::with_device(code(1), 0x5eed);
    let mut area = Vec::new();
    let sealed = outgoing(&mut s, &v, &area, NOW).unwrap();
    write(&mut area, &sealed);
    println!(
        "sync: {n} aliases of which 300 expired: {} left out, {} bytes of {budget}",
        sealed.left_out, sealed.bytes
    );
    assert!(
        sealed.left_out > 0 && sealed.left_out < 300,
        "{}",
        sealed.left_out
    );
    assert!(sealed.bytes <= budget);
    assert!(
        budget - sealed.bytes < 300,
        "as few as make the rest fit: {}",
        sealed.bytes
    );
    assert_eq!(v.records.len(), n, "the vault keeps every alias");
    // The ones that left: the longest expired (expiry, or creation when none).
    let mut expired: Vec<&AliasRecord> = v.records.iter().take(300).collect();
    expired.sort_by_key(|r| r.expires.unwrap_or(r.created));
    let left: Vec<String> = expired[..sealed.left_out]
        .iter()
        .map(|r| r.address.clone())
        .collect();
    // A device that joins gets every other alias, and none of those.
    let mut b = SyncState::with_device(code(1), 7);
    let got = incoming(&mut b, &Vault::new(), &area, NOW).unwrap();
    assert_eq!(got.vault.records.len(), n - sealed.left_out);
    for r in &v.records {
        let there = got.vault.records.iter().any(|x| x.address == r.address);
        assert_eq!(there, !left.contains(&r.address), "{}", r.address);
    }

    // Tombstones leave before expired aliases: delete 100 live aliases.
    let gone: Vec<String> = v.records[300..400].iter().map(|r| r.id.clone()).collect();
    for id in &gone {
        v.remove(id).unwrap();
    }
    let again = outgoing(&mut s, &v, &area, NOW + 60).unwrap();
    let order = leave_order(&s.replica);
    let records: Vec<_> = s.replica.records.iter().collect();
    assert!(order[..100].iter().all(|&i| records[i].1.deleted.value));
    assert!(order[100..].iter().all(|&i| !records[i].1.deleted.value));
    assert!(again.left_out >= 100, "{}", again.left_out);
    assert!(
        again.left_out < sealed.left_out + 100,
        "the room the deletions made is used"
    );
    write(&mut area, &again);
    let mut c = SyncState::with_device(code(1), 8);
    let got = incoming(&mut c, &Vault::new(), &area, NOW + 60).unwrap();
    assert_eq!(got.vault.records.len(), n - 100 - (again.left_out - 100));
}

/// Applies a device's writes to the shared area, as `storage.sync.set` and `remove` would.
fn write(area: &mut Vec<(String, String)>, sealed: &impalemail::alias::sync::seal::Sealed) {
    for (k, v) in &sealed.set {
        put(area, k, v.clone());
    }
    area.retain(|(k, _)| !sealed.remove.contains(k));
}

/// The protocol the background follows: after a local change, `outgoing`; when the area
/// changed, `incoming`, store its vault, then `outgoing` (which writes only what the area
/// lacks). Two devices write the same keys at once and one overwrites the other (the sync
/// engine keeps the last write per key); still, all three end with every alias.
#[test]
fn devices_that_overwrite_each_others_items_still_converge() {
    let mut devices: Vec<SyncState> = (1..=3)
        .map(|d| SyncState::with_device(code(1), d))
        .collect();
    let mut vaults = [Vault::new(), Vault::new(), Vault::new()];
    for i in 0..5 {
        vaults[0].add(sample_alias(i)).unwrap();
        vaults[1].add(sample_alias(i + 5)).unwrap();
    }
    let mut area = Vec::new();
    // A and B both write against the empty area; B's items land last and replace A's.
    let wa = outgoing(&mut devices[0], &vaults[0], &area, NOW).unwrap();
    let wb = outgoing(&mut devices[1], &vaults[1], &area, NOW + 1).unwrap();
    write(&mut area, &wa);
    write(&mut area, &wb);
    // Every device hears of the change, merges, and publishes what the area lacks, until
    // nobody has anything to write.
    let mut rounds = 0;
    loop {
        rounds += 1;
        assert!(rounds < 10, "no quiescence");
        let mut wrote = false;
        for d in 0..3 {
            let now = NOW + 10 * rounds + d as u64;
            let got = incoming(&mut devices[d], &vaults[d], &area, now).unwrap();
            assert!(got.refused.is_empty());
            vaults[d] = got.vault;
            let w = outgoing(&mut devices[d], &vaults[d], &area, now).unwrap();
            wrote |= !w.set.is_empty() || !w.remove.is_empty();
            write(&mut area, &w);
        }
        if !wrote {
            break;
        }
    }
    assert_eq!(vaults[0].records.len(), 10);
    assert_eq!(vaults[0], vaults[1]);
    assert_eq!(vaults[1], vaults[2]);
    assert_eq!(devices[0].replica, devices[2].replica);
    println!("sync: three devices quiet after {rounds} rounds");
}
