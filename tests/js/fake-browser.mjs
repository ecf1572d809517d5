// A fake extension API for the background's modules in Node: storage (local, session), the
// toolbar button per tab, tab events, i18n without locales, and fetch of file: URLs (the core
// loads its wasm with fetch(getURL(...)), which Node cannot do for files). Install it before
// importing any extension module.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * One fake device's `storage.sync` area with Chrome's limits (storage.sync documentation:
 * QUOTA_BYTES 102,400, QUOTA_BYTES_PER_ITEM 8,192 counting the key and the value's JSON,
 * MAX_ITEMS 512, MAX_WRITE_OPERATIONS_PER_MINUTE 120), refusing a write that breaks one with
 * Chrome's message and changing nothing. `storage.onChanged` fires for every write, the
 * device's own too, as in both browsers. `FakeSyncCloud` carries items between devices.
 */
export class FakeSyncArea {
  constructor({ quotaBytes = 102_400, perItem = 8_192, maxItems = 512, writesPerMinute = 120 } = {}) {
    this.limits = { quotaBytes, perItem, maxItems, writesPerMinute };
    /** @type {Map<string, unknown>} */
    this.items = new Map();
    /** Keys changed here since the cloud last carried them. @type {Set<string>} */
    this.dirty = new Set();
    /** Write calls (set, remove) so far. */
    this.writes = 0;
    /** @type {number[]} */
    this.writeTimes = [];
    /** @type {Function[]} */
    this.listeners = [];
  }
  bytes(items = this.items) {
    let n = 0;
    for (const [k, v] of items) n += k.length + JSON.stringify(v).length;
    return n;
  }
  countWrite() {
    const now = Date.now();
    this.writeTimes = this.writeTimes.filter((t) => now - t < 60_000);
    if (this.writeTimes.length >= this.limits.writesPerMinute) throw new Error('MAX_WRITE_OPERATIONS_PER_MINUTE quota exceeded');
    this.writeTimes.push(now);
    this.writes += 1;
  }
  /** Applies changes (`undefined` removes) and tells the listeners. */
  apply(changes, { dirty = true } = {}) {
    /** @type {Record<string, { oldValue?: unknown, newValue?: unknown }>} */
    const told = {};
    for (const [k, v] of Object.entries(changes)) {
      const old = this.items.get(k);
      if (JSON.stringify(old) === JSON.stringify(v)) continue;
      if (v === undefined) this.items.delete(k);
      else this.items.set(k, structuredClone(v));
      if (dirty) this.dirty.add(k);
      told[k] = { oldValue: old, newValue: v };
    }
    if (Object.keys(told).length > 0) setTimeout(() => { for (const f of this.listeners) f(told, 'sync'); }, 0);
  }
  async get(keys) {
    const all = Object.fromEntries([...this.items].map(([k, v]) => [k, structuredClone(v)]));
    if (keys === null || keys === undefined) return all;
    const want = typeof keys === 'string' ? [keys] : keys;
    return Object.fromEntries(want.filter((k) => k in all).map((k) => [k, all[k]]));
  }
  async set(items) {
    const next = new Map(this.items);
    for (const [k, v] of Object.entries(items)) {
      if (k.length + JSON.stringify(v).length > this.limits.perItem) throw new Error('QUOTA_BYTES_PER_ITEM quota exceeded');
      next.set(k, v);
    }
    if (next.size > this.limits.maxItems) throw new Error('MAX_ITEMS quota exceeded');
    if (this.bytes(next) > this.limits.quotaBytes) throw new Error('QUOTA_BYTES quota exceeded');
    this.countWrite();
    this.apply(items);
  }
  async remove(keys) {
    this.countWrite();
    this.apply(Object.fromEntries((typeof keys === 'string' ? [keys] : keys).map((k) => [k, undefined])));
  }
}

/**
 * The browser vendor's sync service between fake devices: `carry(device)` uploads the items
 * the device changed since its last turn (the last upload of a key wins, as Chrome Sync's
 * per-key last writer wins) and brings the device every item it lacks or holds older. It sees
 * what the vendor sees: the keys and values as stored.
 */
export class FakeSyncCloud {
  constructor() {
    /** @type {Map<string, unknown>} */
    this.items = new Map();
    /** Uploads that changed an item, so far. */
    this.changes = 0;
  }
  /** @param {FakeSyncArea} area */
  carry(area) {
    for (const k of area.dirty) {
      if (JSON.stringify(this.items.get(k)) !== JSON.stringify(area.items.get(k))) this.changes += 1;
      if (area.items.has(k)) this.items.set(k, structuredClone(area.items.get(k)));
      else this.items.delete(k);
    }
    area.dirty.clear();
    /** @type {Record<string, unknown>} */
    const changes = {};
    for (const [k, v] of this.items) changes[k] = v;
    for (const k of area.items.keys()) if (!this.items.has(k)) changes[k] = undefined;
    area.apply(changes, { dirty: false });
  }
}

/**
 * Installs the fake API. `root`: the directory `runtime.getURL` resolves against (a copy of
 * the extension for a second device); `sync`: this device's `storage.sync` area.
 * @param {{ root?: string, sync?: FakeSyncArea }} [opts]
 * @returns {{ local: Map<string, unknown>, session: Map<string, unknown>, badges: Map<number, any>, listeners: { removed: Function[], updated: Function[] }, sync: FakeSyncArea }}
 */
export function installFakeBrowser({ root = ROOT, sync = new FakeSyncArea() } = {}) {
  const local = new Map();
  const session = new Map();
  const badges = new Map();
  const listeners = { removed: [], updated: [], updatedFilters: [] };
  const area = (/** @type {Map<string, unknown>} */ m) => ({
    get: async (k) => (m.has(k) ? { [k]: structuredClone(m.get(k)) } : {}),
    set: async (items) => { for (const [k, v] of Object.entries(items)) m.set(k, structuredClone(v)); },
    remove: async (k) => { m.delete(k); },
  });
  const tabBadge = (tabId) => { if (!badges.has(tabId)) badges.set(tabId, {}); return badges.get(tabId); };
  globalThis.chrome = /** @type {any} */ ({
    runtime: { id: 'test', getURL: (p) => pathToFileURL(path.join(root, p)).href },
    i18n: { getMessage: () => '' },
    storage: {
      local: area(local),
      session: area(session),
      sync,
      onChanged: { addListener: (f) => sync.listeners.push(f) },
    },
    alarms: { create: async () => {}, clear: async () => true, onAlarm: { addListener: () => {} } },
    action: {
      setBadgeText: async ({ tabId, text }) => { tabBadge(tabId).text = text; },
      setBadgeBackgroundColor: async ({ tabId, color }) => { tabBadge(tabId).color = color; },
      setTitle: async ({ tabId, title }) => { tabBadge(tabId).title = title; },
    },
    tabs: {
      onRemoved: { addListener: (f) => listeners.removed.push(f) },
      // Firefox's event, which takes a filter (Chrome's throws if given one: tab-loading.test.mjs).
      onUpdated: { addListener: (f, filter) => { listeners.updated.push(f); listeners.updatedFilters.push(filter); } },
      query: async () => [],
      sendMessage: async () => undefined,
    },
  });
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (url, init) => {
    const u = String(url instanceof Request ? url.url : url);
    if (u.startsWith('file:')) return new Response(fs.readFileSync(new URL(u)), { headers: { 'content-type': 'application/wasm' } });
    return realFetch(url, init);
  };
  return { local, session, badges, listeners, sync };
}

/**
 * Records what WebCrypto's `verify` answers from now on (the signatures the core asks for);
 * `restore()` puts the real one back.
 */
export function spyVerify() {
  const real = crypto.subtle.verify.bind(crypto.subtle);
  /** @type {boolean[]} */
  const results = [];
  crypto.subtle.verify = async (...a) => {
    const ok = await real(...a);
    results.push(ok);
    return ok;
  };
  return { results, restore: () => { crypto.subtle.verify = real; } };
}

/** Waits (up to 5 s) until `done()` holds. @param {() => boolean} done */
export async function waitUntil(done) {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
}
