// @ts-check
/**
 * Sync (issue #25): the vault on every device through the browser's own `storage.sync`
 * (Chrome Sync, Firefox Sync), sealed with a key only the sync code gives. The Rust core does
 * everything but the moving and the cipher (`alias::sync`: the merge, the clock, the packing,
 * which items to seal and open); this file moves items between `storage.local` and
 * `storage.sync`, and seals and opens them with WebCrypto (**the seal** below: AES-256-GCM,
 * the key from HKDF-SHA-256 of the code):
 *
 * - **push** after a local change (debounced, at most one burst per `MIN_PUSH_INTERVAL_MS`):
 *   `syncOutgoing` seals only the items whose records changed; they go in one `set` call (one
 *   `remove` when the records were spread over a new number of items), with the item beside
 *   the records (`x`: the per-site secret, the temporary inboxes' credentials, the chosen alias
 *   sources) when it changed;
 * - **pull** at start-up and on `storage.onChanged` (area `sync`): `syncIncoming` merges the
 *   area into the local vault, which is stored together with the sync state in one write
 *   (store.js `replace`), then a push offers what only this device had;
 * - **claims** (`setClaimGate`): an alias expiring on every device is disabled at its
 *   provider by one of them (ARCHITECTURE.md, "Sync", "Who acts at a provider").
 *
 * Turning sync off forgets the code on this device and keeps every local record; the items in
 * `storage.sync` stay for the other devices (they are theirs too).
 */
import { onSyncChanged, storageLocal, storageSync } from '../shared/ext.js';
import { nowSecs, onLocalChange, setClaimGate, syncAccess } from './aliases.js';
import { core, loaded } from './core.js';

/**
 * The core's sync exports (src/bindings.rs `sync_exports`; tests/wasm/sync.test.mjs shows their
 * shapes), with the byte types wasm-bindgen's declarations leave open.
 * @typedef {{
 *   syncCodeNew(): string, syncStart(code: string): string, syncCode(state: string): string,
 *   syncIncoming(state: string, vault: any, area: Record<string, unknown>, opened: Opened, check: Uint8Array, now: number): any,
 *   syncOutgoing(state: string, vault: any, area: Record<string, unknown>, opened: Opened, check: Uint8Array, now: number): any,
 *   syncClaim(state: string, address: string, action: string, now: number, finish: boolean): any,
 *   syncSealExtra(extra: string): ToSeal, syncOpenExtra(sealed: string, opened: Opened): string,
 *   syncKeyMaterial(state: string): { ikm: Bytes, itemInfo: Bytes, checkInfo: Bytes },
 *   syncToOpen(area: Record<string, unknown>): { key: string, nonce: Bytes, sealed: Bytes, ad: Bytes }[],
 *   syncItemValue(raw: Uint8Array): string,
 * }} SyncExports
 * @typedef {Record<string, Uint8Array>} Opened plaintexts of the items that opened, by key
 * @typedef {Uint8Array<ArrayBuffer>} Bytes bytes from the core (each a copy out of the wasm's memory)
 * @typedef {{ key: string, plain: Bytes, ad: Bytes }} ToSeal an item the core asks to seal
 * @typedef {import('./core.js').Core & SyncExports} SyncCore
 */

/** The core, typed with its sync exports. @returns {Promise<SyncCore>} */
async function syncCore() {
  return /** @type {SyncCore} */ (await core());
}

/** `storage.local` key of this device's sync state (the core's text: code, clock, replica). */
export const SYNC_STATE_KEY = 'sync.state';
/** `storage.local` key of the last sync result, for the options page. */
export const SYNC_STATUS_KEY = 'sync.status';
/** Wait after a local change before pushing, so that a burst of changes is one write (ms). */
export const PUSH_DEBOUNCE_MS = 2000;
/**
 * Least time between two pushes (ms). A push is at most two writes (`set`, and `remove` when
 * the spread changed): at most 12 a minute and 720 an hour, under Chrome's 120 a minute and
 * 1,800 an hour (`MAX_WRITE_OPERATIONS_PER_MINUTE`, `_PER_HOUR`).
 */
export const MIN_PUSH_INTERVAL_MS = 10_000;
/** After the browser refused a write (quota, write limit), wait this long to try again (ms). */
export const RETRY_AFTER_MS = 60_000;
/** `storage.sync`'s quota, bytes (Chrome `QUOTA_BYTES`; Firefox the same). */
export const SYNC_QUOTA_BYTES = 102_400;
/** From this share of the quota on, the options page says the area is nearly full. */
export const NEARLY_FULL_SHARE = 0.85;
/** Most temporary inboxes whose credentials travel (the newest; each about 170 bytes sealed). */
export const MAX_SYNCED_INBOXES = 40;
/**
 * The most item `x` may take, key and JSON value (the core's `seal::RESERVED_BYTES`, which it
 * refuses to exceed): fewer inboxes travel, the oldest left out first, until it fits.
 */
export const EXTRA_BUDGET_BYTES = 8192;
/** AES-GCM's nonce, bytes: 96 bits (NIST SP 800-38D §5.2.1.1; the core's `seal::NONCE_BYTES`). */
const NONCE_BYTES = 12;
/** AES-GCM's tag, bits: the full 128 (SP 800-38D §5.2.1.2; the core's `seal::TAG_BYTES`). */
const TAG_BITS = 128;
/** What sealing adds to the plaintext: the nonce and the tag, then base64, a version, quotes. */
const sealedSize = (/** @type {number} */ plainBytes) => EXTRA_KEY.length + 4 + Math.ceil(((NONCE_BYTES + plainBytes + TAG_BITS / 8) * 4) / 3);
/** When another device holds the claim on a provider action, look again after (seconds; the core's settle time). */
export const CLAIM_RECHECK_SECS = 15 * 60;
/** `storage.local` key of the alias sources as last agreed with the other devices (`AgreedField`s). */
export const SYNC_SOURCES_KEY = 'sync.sources';
/**
 * `storage.local` key of this device's choice that provider API keys travel (off unless the
 * user ticks the box): a device with it on sends its keys with the alias sources, takes the
 * keys other devices sent, and removes a provider account another device removed.
 */
export const SYNC_KEYS_KEY = 'sync.keys';
/** The settings that travel as "the alias sources the user chose" (keys only with `SYNC_KEYS_KEY`; never the secret's value). */
const SOURCE_FIELDS = ['default_generator', 'default_lifetime', 'style', 'catch_all_domain', 'own_address', 'subdomain', 'site_in_tag'];
/** The key of the item beside the records (the core's `seal::EXTRA_KEY`). */
const EXTRA_KEY = 'x';
/** The schema of item `x`'s JSON this build writes (and the newest it reads). */
const EXTRA_SCHEMA = 1;

/**
 * @typedef {{ on: boolean, at?: number, pulledAt?: number, bytes?: number, items?: number, leftOut?: number,
 *   writes?: number, refused?: number, error?: { name: string, message: string } | null }} SyncStatus
 */

/** @param {string} name @param {string} message */
function fail(name, message) {
  const e = new Error(message);
  e.name = name;
  return e;
}

/** @type {Promise<unknown>} */
let tail = Promise.resolve();
/**
 * Runs `task` after every sync task queued before it: pushes, pulls, claims and the switch
 * never interleave (each reads and writes the sync state).
 * @template T @param {() => Promise<T>} task @returns {Promise<T>}
 */
function queued(task) {
  const run = tail.then(task, task);
  tail = run.catch(() => {});
  return run;
}

/** @returns {Promise<string | null>} */
async function readState() {
  const got = (await storageLocal.get(SYNC_STATE_KEY))[SYNC_STATE_KEY];
  return typeof got === 'string' ? got : null;
}

/** @returns {Promise<SyncStatus>} */
async function readStatus() {
  const got = (await storageLocal.get(SYNC_STATUS_KEY))[SYNC_STATUS_KEY];
  return got && typeof got === 'object' ? /** @type {SyncStatus} */ (got) : { on: false };
}

/** @param {Partial<SyncStatus>} patch */
async function updateStatus(patch) {
  await storageLocal.set({ [SYNC_STATUS_KEY]: { ...(await readStatus()), ...patch } });
}

/**
 * An error as the options page shows it: the browser's quota messages in plain words.
 * @param {unknown} e
 */
function plainError(e) {
  const err = e instanceof Error ? e : new Error(String(e));
  if (/QUOTA_BYTES|quota exceeded|QuotaExceeded/i.test(err.message) && !/WRITE_OPERATIONS/.test(err.message)) {
    return { name: 'SyncStorageFull', message: 'Your browser\'s sync storage is full. Nothing is lost: your aliases stay on this device, and ImpaleMail tries again later.' };
  }
  if (/WRITE_OPERATIONS/.test(err.message)) {
    return { name: 'SyncBusy', message: 'Your browser allows only so many sync writes a minute. Nothing is lost: ImpaleMail tries again in a minute.' };
  }
  if (err.name === 'SyncError' && /** @type {{ variant?: string }} */ (err).variant === 'Full') {
    return { name: 'SyncFull', message: `${err.message} Nothing is lost: your aliases stay on this device.` };
  }
  const variant = /** @type {{ variant?: unknown }} */ (err).variant;
  return { name: typeof variant === 'string' ? variant : err.name === 'Error' ? 'SyncError' : err.name, message: err.message };
}

// ---------------------------------------------------------------- item x: beside the records

/**
 * @typedef {Record<string, { v: string, at: number }>} Sources the chosen alias sources, field
 *   by field (`agreeSources`): each value as JSON text and when it was last changed (ms)
 * @typedef {{ v: string, at: number, seen: string }} AgreedField a field as last agreed, and
 *   what it was here right after
 * @typedef {{ schema: number, secret?: string, inboxes?: Record<string, { password: string, account_id: string | null }>, sources?: Sources }} Extra
 */

// ---------------------------------------------------------------- the seal

/**
 * The keys of a code (src/alias/sync/code.rs): HKDF-SHA-256 (RFC 5869) of the code's random
 * bytes, no salt, the core's `info` strings: the AES-256-GCM item key (non-extractable: it
 * never leaves WebCrypto, never enters the wasm) and the 16-byte code check of item `k`.
 * @param {SyncCore} c @param {string} state
 * @returns {Promise<{ key: CryptoKey, check: Uint8Array }>}
 */
async function keysOf(c, state) {
  const m = c.syncKeyMaterial(state);
  const ikm = await crypto.subtle.importKey('raw', m.ikm, 'HKDF', false, ['deriveKey', 'deriveBits']);
  const hkdf = (/** @type {Bytes} */ info) => ({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info });
  const key = await crypto.subtle.deriveKey(hkdf(m.itemInfo), ikm, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const check = new Uint8Array(await crypto.subtle.deriveBits(hkdf(m.checkInfo), ikm, 128));
  return { key, check };
}

/**
 * Opens the items the core lists (`syncToOpen`: nonce, ciphertext ‖ tag, associated data).
 * One that fails authentication (changed, cut short, another code's) is left out: the core
 * then refuses it in plain words.
 * @param {SyncCore} c @param {CryptoKey} key @param {Record<string, unknown>} area
 * @returns {Promise<Opened>}
 */
async function openArea(c, key, area) {
  /** @type {Opened} */
  const opened = {};
  for (const t of c.syncToOpen(area)) {
    try {
      const params = { name: 'AES-GCM', iv: t.nonce, additionalData: t.ad, tagLength: TAG_BITS };
      opened[t.key] = new Uint8Array(await crypto.subtle.decrypt(params, key, t.sealed));
    } catch {
      // Left out; the core says why.
    }
  }
  return opened;
}

/**
 * Seals an item the core lists: a fresh random 96-bit nonce from `crypto.getRandomValues`
 * (SP 800-38D §8.2.2; why that is safe at sync's write rates: src/alias/sync/seal.rs), then
 * the core writes `nonce ‖ ciphertext ‖ tag` as the item's value.
 * @param {SyncCore} c @param {CryptoKey} key @param {ToSeal} t
 * @returns {Promise<string>}
 */
async function sealItem(c, key, t) {
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const params = { name: 'AES-GCM', iv: nonce, additionalData: t.ad, tagLength: TAG_BITS };
  const sealed = new Uint8Array(await crypto.subtle.encrypt(params, key, t.plain));
  const raw = new Uint8Array(NONCE_BYTES + sealed.length);
  raw.set(nonce);
  raw.set(sealed, NONCE_BYTES);
  return c.syncItemValue(raw);
}

/**
 * Item `x` of the area, opened (`null` when there is none or it does not open: then this
 * device's own values are written over it).
 * @param {Record<string, unknown>} area @param {Opened} opened what `openArea` opened of it
 * @returns {Extra | null}
 */
function openExtra(area, opened) {
  const value = area[EXTRA_KEY];
  if (typeof value !== 'string') return null;
  try {
    const extra = /** @type {Extra} */ (JSON.parse(/** @type {SyncCore} */ (loaded()).syncOpenExtra(value, opened)));
    return extra && typeof extra === 'object' && extra.schema <= EXTRA_SCHEMA ? extra : null;
  } catch {
    return null;
  }
}

/**
 * The live (not expired) records of a vault by address.
 * @param {string | undefined} vault
 * @returns {Map<string, { id: string, address: string, created: number }>}
 */
function liveByAddress(vault) {
  const records = /** @type {{ id: string, address: string, created: number, state: string }[]} */ (loaded().vaultRecords(vault));
  return new Map(records.filter((r) => r.state !== 'expired').map((r) => [r.address.toLowerCase(), r]));
}

/** Whether the user let provider API keys travel from and to this device. */
async function keysTravel() {
  return (await storageLocal.get(SYNC_KEYS_KEY))[SYNC_KEYS_KEY] === true;
}

/** Whether a `provider:<id>` field's JSON text carries an API key. @param {string} text */
function hasKey(text) {
  try {
    const p = JSON.parse(text);
    return Boolean(p && typeof p === 'object' && typeof p.key === 'string' && p.key);
  } catch {
    return false;
  }
}

/**
 * This device's alias sources, field by field, each as JSON text: `SOURCE_FIELDS`, and
 * `provider:<id>` for each provider account (`enabled`, `base_url`, `domain`; its `key` only
 * when `keys`).
 * @param {boolean} keys
 * @returns {Promise<Record<string, string>>}
 */
async function localSources(keys) {
  const view = await syncAccess.settingsView();
  const secrets = keys ? await syncAccess.providerKeys() : {};
  /** @type {Record<string, string>} */
  const out = {};
  for (const f of SOURCE_FIELDS) out[f] = JSON.stringify(view[f] ?? null);
  for (const p of /** @type {Record<string, any>[]} */ (view.providers)) {
    const key = secrets[p.provider];
    out[`provider:${p.provider}`] = JSON.stringify({ enabled: p.enabled, base_url: p.base_url ?? null, domain: p.domain ?? null, ...(key ? { key } : {}) });
  }
  return out;
}

/**
 * Agrees on the alias sources with the area, field by field (last change wins, by its time;
 * equal times by the text, so every device picks the same). A field changed here since the
 * last agreement goes out with the time of now; a newer one from the area is applied here (on
 * joining, the other devices' win). What could not be applied (a provider that needs a key
 * this device lacks) stays as it is here, without fighting: a field counts as changed here
 * only when it differs from what it was after the last agreement (`seen`).
 * @param {Sources | undefined} area
 * @returns {Promise<Sources>}
 */
async function agreeSources(area) {
  const keys = await keysTravel();
  const local = await localSources(keys);
  const stored = /** @type {Record<string, AgreedField>} */ ((await storageLocal.get(SYNC_SOURCES_KEY))[SYNC_SOURCES_KEY] ?? {});
  const now = Date.now();
  /** @type {Record<string, AgreedField>} */
  const next = {};
  /** @type {Record<string, unknown>} */
  const fields = {};
  /** @type {Record<string, Record<string, unknown>>} */
  const providers = {};
  /** Provider accounts removed on another device (applied here only when keys travel). */
  const removed = [];
  const names = new Set([...Object.keys(local), ...Object.keys(stored), ...Object.keys(area ?? {})]);
  for (const f of names) {
    const mine = local[f] ?? 'null';
    const st = stored[f];
    const ar = area?.[f];
    if (st && mine !== st.seen) {
      // Later than anything seen for the field, even if this device's clock is behind.
      next[f] = { v: mine, at: Math.max(now, st.at + 1, (typeof ar?.at === 'number' ? ar.at : 0) + 1), seen: mine };
    } else if (ar && typeof ar.v === 'string' && typeof ar.at === 'number' && (!st || ar.at > st.at || (ar.at === st.at && ar.v > st.v) || (keys && hasKey(ar.v) && !hasKey(mine)))) {
      // (The last case: a key agreed on before the box was ticked here is taken now.)
      next[f] = { v: ar.v, at: ar.at, seen: mine };
      const provider = f.startsWith('provider:') ? f.slice('provider:'.length) : null;
      if (ar.v !== mine && ar.v !== 'null') {
        if (provider) {
          const p = JSON.parse(ar.v);
          // Keys are taken only where the user let them travel.
          if (!keys) delete p.key;
          providers[provider] = p;
        } else if (SOURCE_FIELDS.includes(f)) fields[f] = JSON.parse(ar.v);
      } else if (ar.v === 'null' && provider && keys && mine !== 'null' && st && st.v !== 'null') {
        // A tombstone: the account was removed on another device after this one agreed on
        // it. (Without an earlier agreement, on joining, the account set up here stays.)
        removed.push(provider);
      }
    } else {
      next[f] = st ?? { v: mine, at: now, seen: mine };
    }
  }
  if (Object.keys(fields).length > 0 || Object.keys(providers).length > 0 || removed.length > 0) {
    try {
      await syncAccess.applySources(fields, providers, removed);
    } catch {
      // Refused here (a value this build does not take): this device keeps its own.
    }
    const after = await localSources(keys);
    for (const f of Object.keys(next)) next[f].seen = after[f] ?? 'null';
  }
  if (JSON.stringify(next) !== JSON.stringify(stored)) await storageLocal.set({ [SYNC_SOURCES_KEY]: next });
  /** @type {Sources} */
  const out = {};
  for (const f of [...Object.keys(next)].sort()) out[f] = { v: next[f].v, at: next[f].at };
  return out;
}

/**
 * What item `x` should hold: the area's per-site secret if it has one (the first device's:
 * every device takes it), else ours; the temporary inboxes of live aliases, the area's
 * credentials first (a renewed token stays on the device that renewed it: tokens do not
 * travel, the password makes a new one); the alias sources (`agreeSources`, which also
 * applies the area's here). Keys sorted, so the same content is the same text.
 * @param {Extra | null} areaExtra @param {string | undefined} vault
 */
async function extraToSend(areaExtra, vault) {
  const live = liveByAddress(vault);
  /** @type {Map<string, { password: string, account_id: string | null, created: number }>} */
  const inboxes = new Map();
  const local = await syncAccess.inboxes();
  for (const r of live.values()) {
    const c = local[r.id];
    if (c && typeof c.password === 'string') inboxes.set(r.address.toLowerCase(), { password: c.password, account_id: c.account_id ?? null, created: r.created });
  }
  for (const [address, c] of Object.entries(areaExtra?.inboxes ?? {})) {
    const r = live.get(address);
    if (r && typeof c?.password === 'string') inboxes.set(address, { password: c.password, account_id: c.account_id ?? null, created: r.created });
  }
  const byAge = [...inboxes].sort((a, b) => b[1].created - a[1].created || (a[0] < b[0] ? -1 : 1));
  const secret = areaExtra?.secret || (await syncAccess.perSiteSecret());
  const sources = await agreeSources(areaExtra?.sources);
  for (let n = Math.min(MAX_SYNCED_INBOXES, byAge.length); ; n--) {
    const newest = byAge.slice(0, n).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    /** @type {NonNullable<Extra['inboxes']>} */
    const travelling = {};
    for (const [address, c] of newest) travelling[address] = { password: c.password, account_id: c.account_id };
    const text = JSON.stringify({ schema: EXTRA_SCHEMA, secret, inboxes: travelling, sources });
    if (n === 0 || sealedSize(new TextEncoder().encode(text).length) <= EXTRA_BUDGET_BYTES) return text;
  }
}

/**
 * Takes item `x` in: the per-site secret, and the credentials of inboxes this device lacks.
 * @param {Extra | null} extra @param {string | undefined} vault
 */
async function takeExtra(extra, vault) {
  if (!extra) return;
  if (typeof extra.secret === 'string' && extra.secret && extra.secret !== (await syncAccess.perSiteSecret())) {
    await syncAccess.setPerSiteSecret(extra.secret);
  }
  const live = liveByAddress(vault);
  const local = await syncAccess.inboxes();
  for (const [address, c] of Object.entries(extra.inboxes ?? {})) {
    const r = live.get(address);
    if (r && !local[r.id] && typeof c?.password === 'string') {
      await syncAccess.setInbox(r.id, { address: r.address, password: c.password, account_id: c.account_id ?? null, token: null });
    }
  }
}

// ---------------------------------------------------------------- push and pull

/** Sealed values of the area only (what the core reads). @param {Record<string, unknown>} area */
function strings(area) {
  return Object.fromEntries(Object.entries(area).filter(([, v]) => typeof v === 'string'));
}

/**
 * Merges the area into the local vault (one write: the vault and the state together) and
 * takes item `x` in. A wrong code or a newer format throws and changes nothing.
 *
 * `joining`: the first pull on a device that joins. The area's records are taken as the other
 * devices hold them, and the aliases this device already had (made here, or brought in from a
 * provider, which knows no label or origin) only fill their gaps (the vault's import merge,
 * which keeps everything): recorded first, with this moment's stamps, they would win over
 * the others' labels and dates.
 * @param {string} state @param {boolean} [joining]
 * @returns {Promise<{ changed: number, refused: number }>}
 */
async function pull(state, joining = false) {
  const c = await syncCore();
  const area = strings(await storageSync.getAll());
  const keys = await keysOf(c, state);
  const opened = await openArea(c, keys.key, area);
  let changed = 0;
  let refused = 0;
  await syncAccess.replaceVault(async (doc) => {
    const got = c.syncIncoming(state, joining ? undefined : doc ?? undefined, area, opened, keys.check, nowSecs());
    changed = got.changed;
    refused = got.refused.length;
    if (joining && doc) return { doc: c.vaultApply(got.vault ?? undefined, { op: 'import', text: doc }), extra: { [SYNC_STATE_KEY]: got.state } };
    if (got.changed === 0) return null;
    return { doc: got.vault, extra: { [SYNC_STATE_KEY]: got.state } };
  });
  const vault = await syncAccess.vault();
  await takeExtra(openExtra(area, opened), vault);
  if (changed > 0) await syncAccess.scheduleExpiry();
  await updateStatus({ pulledAt: Date.now(), refused });
  return { changed, refused };
}

/**
 * Writes what changed locally: only the changed items, in one `set` (and one `remove`).
 * @param {string} state
 * @returns {Promise<{ writes: number, bytes: number }>}
 */
async function push(state) {
  const c = await syncCore();
  const area = strings(await storageSync.getAll());
  const vault = await syncAccess.vault();
  const keys = await keysOf(c, state);
  const opened = await openArea(c, keys.key, area);
  const out = c.syncOutgoing(state, vault, area, opened, keys.check, nowSecs());
  const set = /** @type {Record<string, string>} */ (out.set);
  const areaExtra = openExtra(area, opened);
  const extra = await extraToSend(areaExtra, vault);
  /** @type {ToSeal[]} */
  const toSeal = out.seal;
  if (!areaExtra || JSON.stringify(areaExtra) !== extra) toSeal.push(c.syncSealExtra(extra));
  for (const t of toSeal) set[t.key] = await sealItem(c, keys.key, t);
  let writes = 0;
  // The previous spread's items go first: both at once may not fit the quota. Another device
  // reading in between merges fewer records, never loses any (the merge only adds).
  if (out.remove.length > 0) {
    await storageSync.remove(out.remove);
    writes += 1;
  }
  if (Object.keys(set).length > 0) {
    await storageSync.set(set);
    writes += 1;
  }
  await storageLocal.set({ [SYNC_STATE_KEY]: out.state });
  const xValue = set[EXTRA_KEY] ?? area[EXTRA_KEY];
  const bytes = out.bytes + (typeof xValue === 'string' ? EXTRA_KEY.length + JSON.stringify(xValue).length : 0);
  const before = await readStatus();
  await updateStatus({ at: Date.now(), bytes, items: out.items, leftOut: out.leftOut ?? 0, writes: (before.writes ?? 0) + writes, error: null });
  return { writes, bytes };
}

/** @type {ReturnType<typeof setTimeout> | null} */
let pushTimer = null;
let lastPushAt = 0;

/** Pushes soon: after `PUSH_DEBOUNCE_MS`, and not sooner than `MIN_PUSH_INTERVAL_MS` after the last. */
function schedulePush(delay = PUSH_DEBOUNCE_MS) {
  if (pushTimer) return;
  const wait = Math.max(delay, lastPushAt + MIN_PUSH_INTERVAL_MS - Date.now());
  pushTimer = setTimeout(() => {
    pushTimer = null;
    void pushNow();
  }, wait);
}

/** Pushes now (in the queue); a refused write is kept in the status and tried again later. */
function pushNow() {
  if (pushTimer) {
    clearTimeout(pushTimer);
    pushTimer = null;
  }
  return queued(async () => {
    const state = await readState();
    if (!state) return null;
    lastPushAt = Date.now();
    try {
      return await push(state);
    } catch (e) {
      await updateStatus({ error: plainError(e) });
      schedulePush(RETRY_AFTER_MS);
      return null;
    }
  });
}

let pullPending = false;

/** Pulls (in the queue; a burst of change events is one pull), then offers what only this device had. */
function pullNow() {
  if (pullPending) return tail;
  pullPending = true;
  return queued(async () => {
    pullPending = false;
    const state = await readState();
    if (!state) return;
    try {
      await pull(state);
    } catch (e) {
      await updateStatus({ error: plainError(e) });
      return;
    }
    schedulePush(0);
  });
}

// ---------------------------------------------------------------- the switch


/**
 * Turns sync on with a new code (`code` absent) or joins with a typed one. A mistyped or
 * wrong code throws in plain words and changes nothing. A new code is refused while the area
 * holds another code's items (the user's other devices already sync: join with their code),
 * unless `replace`: then those items are removed first (the other devices must join again).
 * @param {{ code?: string, replace?: boolean }} opts
 */
export function turnOn({ code, replace = false }) {
  return queued(async () => {
    const c = await syncCore();
    if (await readState()) throw fail('SyncAlreadyOn', 'Sync is already on on this device.');
    const area = strings(await storageSync.getAll());
    const ours = Object.keys(area).filter((k) => k === 'k' || k === EXTRA_KEY || /^v\d+\.[0-9a-f]+$/.test(k));
    let state;
    if (code === undefined) {
      if (ours.length > 0 && !replace) {
        throw fail('SyncInUse', 'ImpaleMail already syncs on your other devices. Enter the sync code shown on one of them (Options, "Sync across your devices") to join.');
      }
      if (ours.length > 0) await storageSync.remove(ours);
      state = c.syncStart(c.syncCodeNew());
    } else {
      state = c.syncStart(code); // a typo throws here
      // A wrong code throws here, before anything is stored.
      const keys = await keysOf(c, state);
      c.syncIncoming(state, (await syncAccess.vault()) ?? undefined, area, await openArea(c, keys.key, area), keys.check, nowSecs());
    }
    await storageLocal.set({ [SYNC_STATE_KEY]: state, [SYNC_STATUS_KEY]: { on: true, writes: 0, error: null } });
    await pull(state, code !== undefined);
    lastPushAt = Date.now();
    try {
      await push((await readState()) ?? state);
      return { code: c.syncCode(state), error: null };
    } catch (e) {
      // Sync is on and what arrived is merged; what this device adds waits for room.
      const error = plainError(e);
      await updateStatus({ error });
      schedulePush(RETRY_AFTER_MS);
      return { code: c.syncCode(state), error };
    }
  });
}

/**
 * Turns sync off on this device: the code and the sync state are forgotten, every local record
 * stays, and the items in `storage.sync` stay for the other devices.
 */
export function turnOff() {
  return queued(async () => {
    if (pushTimer) clearTimeout(pushTimer);
    pushTimer = null;
    await storageLocal.set({ [SYNC_STATE_KEY]: null, [SYNC_SOURCES_KEY]: null, [SYNC_KEYS_KEY]: null, [SYNC_STATUS_KEY]: { on: false } });
    return { on: false };
  });
}

/** What the options page shows: whether sync is on, the code, the last result, the area's use. */
export async function syncStatus() {
  const c = await syncCore();
  const state = await readState();
  const status = await readStatus();
  if (!state) return { on: false, code: null, quota: SYNC_QUOTA_BYTES };
  const bytes = status.bytes ?? 0;
  return {
    ...status,
    on: true,
    keys: await keysTravel(),
    code: c.syncCode(state),
    quota: SYNC_QUOTA_BYTES,
    nearlyFull: bytes >= SYNC_QUOTA_BYTES * NEARLY_FULL_SHARE || status.error?.name === 'SyncFull' || status.error?.name === 'SyncStorageFull',
  };
}

// ---------------------------------------------------------------- claims

setClaimGate(async (address, action, finish) => {
  const c = await syncCore();
  return queued(async () => {
    const state = await readState();
    const mine = { act: true, done: false, until: 0 };
    if (!state) return mine;
    let t;
    try {
      t = c.syncClaim(state, address, action, nowSecs(), finish);
    } catch (e) {
      // Not in the sync state yet (made just now, never pushed): no other device has it.
      if (/** @type {{ variant?: string }} */ (e).variant === 'UnknownRecord') return mine;
      throw e;
    }
    await storageLocal.set({ [SYNC_STATE_KEY]: t.state });
    schedulePush();
    return {
      act: t.turn === 'act' || t.turn === 'unclaimed',
      done: t.turn === 'done',
      until: typeof t.until === 'number' ? t.until : nowSecs() + CLAIM_RECHECK_SECS,
    };
  });
});

// ---------------------------------------------------------------- wiring

onLocalChange(() => {
  void readState().then((state) => {
    if (state) schedulePush();
  });
});

/**
 * Registers the `storage.sync` listener. Call synchronously at the top level of the
 * background (a change that wakes a stopped service worker must find it).
 */
export function listenForSync() {
  onSyncChanged(() => void pullNow());
}

/** At start-up: pull what arrived while the browser was closed, then push what is new here. */
export async function startSync() {
  if (await readState()) await pullNow();
}

/** Handlers for the extension's own pages (options, welcome). */
export const syncPageHandlers = {
  'sync.status': async () => syncStatus(),
  /** @param {Record<string, unknown>} m */
  'sync.on': async (m) => {
    if (m.code !== undefined && typeof m.code !== 'string') throw fail('BadMessage', 'sync.on takes a "code" string');
    return turnOn({ code: typeof m.code === 'string' ? m.code : undefined, replace: m.replace === true });
  },
  'sync.off': async () => turnOff(),
  /**
   * Ticks or unticks "provider API keys travel" on this device; the next push sends (or
   * stops sending) them.
   * @param {Record<string, unknown>} m
   */
  'sync.keys': async (m) => {
    if (typeof m.on !== 'boolean') throw fail('BadMessage', 'sync.keys takes "on": true or false');
    await queued(() => storageLocal.set({ [SYNC_KEYS_KEY]: m.on }));
    return pushNow().then(async () => syncStatus());
  },
  /** Pull, then push, now (the options page's "Sync now"). */
  'sync.now': async () => {
    await pullNow();
    return pushNow().then(async () => syncStatus());
  },
};
