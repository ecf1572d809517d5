// @ts-check
/**
 * The alias service in the background: settings and vault documents in extension storage
 * (through the durable write queue of store.js), provider conversations (the core builds
 * every request and reads every response; this file only performs the fetch), temporary
 * inboxes, and expiry alarms. Keys and inbox credentials never leave this context: the
 * handlers return settings *views* without them.
 */
import { alarms, hasHostPermission, storageLocal } from '../shared/ext.js';
import { call, core, loaded } from './core.js';
import { verifyBytes } from './smime.js';
import { createStore } from './store.js';

/** Name of the alarm that expires aliases. */
export const EXPIRY_ALARM = 'impalemail.expiry';
/** Longest a provider request may take before it is reported as a network failure (ms). */
export const FETCH_TIMEOUT_MS = 20000;
/** Largest response body read from a provider (bytes of text), so a hostile server cannot exhaust memory. */
export const MAX_RESPONSE_CHARS = 8 * 1024 * 1024;
/** Largest import file accepted from the options page (characters). */
export const MAX_IMPORT_CHARS = 8 * 1024 * 1024;
/** Storage key of damaged vault documents set aside by the user (never deleted by us). */
export const UNREADABLE_KEY = 'vault.unreadable';
/** How many set-aside copies are kept (the oldest goes first). */
export const MAX_UNREADABLE_KEPT = 5;

/** Unix seconds, as the core expects them. */
export const nowSecs = () => Math.floor(Date.now() / 1000);

/**
 * @param {string} name @param {string} message
 */
function fail(name, message) {
  const e = new Error(message);
  e.name = name;
  return e;
}

/** @type {(() => void)[]} */
const localChangeListeners = [];

/**
 * Calls `listener` after every local change of the vault, the temporary inboxes or the
 * settings (background/sync.js pushes them; after its own `syncAccess` writes too, when the
 * push then finds nothing new to write). Not after `syncAccess.replaceVault`.
 * @param {() => void} listener
 */
export function onLocalChange(listener) {
  localChangeListeners.push(listener);
}

function localChanged() {
  for (const listener of localChangeListeners) listener();
}

/** The settings document (JSON text): `init` once with fresh settings, then `update`s. */
const settingsStore = createStore({
  storage: storageLocal,
  onWrite: localChanged,
  key: 'settings',
  /** @returns {string | null} */
  empty: () => null,
  apply: (doc, op) => {
    const o = /** @type {{ kind: string, json?: string, patch?: unknown }} */ (op);
    if (o.kind === 'init') return doc ?? /** @type {string} */ (o.json);
    if (o.kind === 'update' && doc) return loaded().settingsUpdate(doc, o.patch);
    throw fail('BadOperation', `unknown settings operation ${o.kind}`);
  },
});

/** The vault document (JSON text); operations are the core's `VaultOp`s. */
const vaultStore = createStore({
  storage: storageLocal,
  onWrite: localChanged,
  key: 'vault',
  /** @returns {string | null} */
  empty: () => null,
  apply: (doc, op) => loaded().vaultApply(doc ?? undefined, op),
});

/** Temporary-inbox credentials by record id: kept apart so that a vault export never holds them. */
const inboxStore = createStore({
  storage: storageLocal,
  onWrite: localChanged,
  key: 'inboxes',
  /** @returns {Record<string, unknown>} */
  empty: () => ({}),
  apply: (doc, op) => {
    const o = /** @type {{ kind: string, id: string, credentials?: unknown }} */ (op);
    const next = { ...doc };
    if (o.kind === 'set') next[o.id] = o.credentials;
    else if (o.kind === 'remove') delete next[o.id];
    else throw fail('BadOperation', `unknown inbox operation ${o.kind}`);
    return next;
  },
});

/**
 * The stored settings (JSON text), made with a fresh per-site secret on first use.
 * @returns {Promise<string>}
 */
async function settings() {
  await core();
  const doc = await settingsStore.read();
  if (doc) return doc;
  const made = await settingsStore.write({ kind: 'init', json: loaded().settingsInitial() });
  if (!made) throw fail('StorageError', 'The settings could not be stored.');
  return made;
}

/**
 * The stored vault (JSON text), `undefined` before the first alias.
 * @returns {Promise<string | undefined>}
 */
export async function vault() {
  return (await vaultStore.read()) ?? undefined;
}

/**
 * A byte string: one character (U+0000 to U+00FF) per byte, so that bytes that are not UTF-8
 * survive the trip through the core. (`TextDecoder('latin1')` would not do: the Encoding
 * Standard maps that label to windows-1252, which changes 0x80-0x9F.)
 * @param {Uint8Array} bytes
 */
function byteString(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return s;
}

/**
 * Performs one request the core built and hands back what the core needs to read it.
 * Cookies are never sent; redirects are not followed (a provider API does not redirect, and
 * following one could send the key elsewhere). With `bytes`, a successful body is handed
 * over as a byte string (see `byteString`), not decoded as UTF-8: a raw message's signed
 * bytes must arrive exactly.
 * @param {{ method: string, url: string, headers: [string, string][], body?: string | null }} request
 * @param {{ bytes?: boolean }} [opts]
 */
async function perform(request, { bytes = false } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
  try {
    const r = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body ?? undefined,
      redirect: 'manual',
      credentials: 'omit',
      cache: 'no-store',
      signal: controller.signal,
    });
    let body;
    if (bytes && r.ok) {
      body = byteString(new Uint8Array(await r.arrayBuffer()).subarray(0, MAX_RESPONSE_CHARS));
    } else {
      body = await r.text();
      if (body.length > MAX_RESPONSE_CHARS) body = body.slice(0, MAX_RESPONSE_CHARS);
    }
    return { status: r.status, headers: [...r.headers.entries()], body };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Drives a provider flow to its end.
 * @param {import('../pkg/impalemail.js').AliasFlow} flow
 * @param {{ bytes?: boolean }} [opts] passed to `perform`
 * @returns {Promise<any>} the outcome
 */
export async function runFlow(flow, opts) {
  try {
    let step = flow.next(null);
    while (!step.done) {
      let response;
      try {
        response = await perform(step.request, opts);
      } catch (e) {
        let message = e instanceof Error ? e.message : String(e);
        // Provider hosts are optional permissions: without one, only a server that allows
        // cross-origin requests answers. Say what would help.
        if (!(await hasHostPermission(step.request.url))) {
          message += ` (ImpaleMail has no access to ${new URL(step.request.url).host} yet: save the provider in ImpaleMail's options and allow it)`;
        }
        step = flow.networkError(message);
        continue;
      }
      step = flow.next(response);
    }
    if (step.error) throw step.error;
    return step.ok;
  } finally {
    flow.free();
  }
}

/**
 * What a provider's API allows (`undefined` for an unknown provider id).
 * @param {import('./core.js').Core} c @param {string} provider
 * @returns {Record<string, boolean> | undefined}
 */
function capabilities(c, provider) {
  return /** @type {{ id: string, capabilities: Record<string, boolean> }[]} */ (c.aliasProviders()).find((p) => p.id === provider)?.capabilities;
}

/**
 * The site of a page URL, or `undefined` when it has none (browser pages, garbage).
 * @param {import('./core.js').Core} c @param {string} url
 */
export function siteOf(c, url) {
  try {
    return c.registrableDomain(url);
  } catch {
    return undefined;
  }
}

/**
 * Schedules the expiry alarm at the next expiry (or clears it), not before `notBefore` (unix
 * seconds: records another device is expiring stay due until then).
 * @param {number} [notBefore]
 */
export async function scheduleExpiry(notBefore = 0) {
  const next = loaded().vaultNextExpiry(await vault(), nowSecs());
  await alarms.clear(EXPIRY_ALARM);
  if (next !== undefined) await alarms.create(EXPIRY_ALARM, { when: Math.max(Date.now() + 1000, next * 1000, Number.isFinite(notBefore) ? notBefore * 1000 : 0) });
}

/**
 * Whose turn a provider action on an expired alias is: `{ act }` here now, `{ done }` done by
 * another device, or neither (wait until `until`, unix seconds). Without sync, always here.
 * @typedef {(address: string, action: 'disable' | 'delete', finish: boolean) => Promise<{ act: boolean, done: boolean, until: number }>} ClaimGate
 */
/** @type {ClaimGate} */
let claimGate = async () => ({ act: true, done: false, until: 0 });

/** Sync installs its claims (background/sync.js). @param {ClaimGate} gate */
export function setClaimGate(gate) {
  claimGate = gate;
}

/**
 * Expires what is due: disables provider aliases at their provider where it can, then marks
 * every due record expired. A provider that fails keeps its record due; it is retried at the
 * next alarm. Returns what happened.
 */
export async function runExpiry() {
  const c = await core();
  const s = await settings();
  const due = /** @type {{ id: string, address: string, source: string, provider_id?: string | null }[]} */ (c.vaultDue(await vault(), nowSecs()));
  /** @type {{ id: string, error: string }[]} */
  const failed = [];
  /** Records another device is expiring at the provider (or may still): left due here. */
  const deferred = new Set();
  /** When to look again at the deferred ones (unix seconds). */
  let retryAt = Infinity;
  /**
   * Whether this device performs `action` at the provider for `r` now (with sync on, one
   * device does: `claimGate`); `false` leaves the record due.
   * @param {{ id: string, address: string }} r @param {'disable' | 'delete'} action
   */
  const mine = async (r, action) => {
    const turn = await claimGate(r.address, action, false);
    if (turn.act) return true;
    if (turn.done) return 'done';
    deferred.add(r.id);
    retryAt = Math.min(retryAt, turn.until);
    return false;
  };
  const inboxes = await inboxStore.read();
  /** Temporary inboxes deleted at the service, whose credentials go with them. */
  const deletedInboxes = [];
  for (const r of due) {
    const provider = c.aliasResolveSource(s, r.source).provider;
    if (provider === TEMPORARY_INBOX) {
      // A temporary inbox ends with its account at the service (its mail goes with it); the
      // record stays, expired. An account the service no longer knows is already gone.
      const creds = inboxes[r.id];
      if (!creds) continue;
      const turn = await mine(r, 'delete');
      if (turn === 'done') deletedInboxes.push(r.id);
      if (turn !== true) continue;
      try {
        await runFlow(c.inboxFlow(s, creds, 'delete', undefined, nowSecs()));
      } catch (e) {
        const variant = /** @type {{ variant?: string }} */ (e).variant;
        if (variant !== 'Unauthorized' && variant !== 'NotFound') {
          failed.push({ id: r.id, error: e instanceof Error ? e.message : String(e) });
          continue;
        }
      }
      await claimGate(r.address, 'delete', true);
      deletedInboxes.push(r.id);
      continue;
    }
    if (!provider || !r.provider_id) continue;
    const caps = capabilities(c, provider);
    if (!caps?.disable) continue;
    const turn = await mine(r, 'disable');
    if (turn !== true) continue;
    try {
      await runFlow(c.aliasFlowSetEnabled(s, provider, r.provider_id, false, nowSecs()));
      await claimGate(r.address, 'disable', true);
    } catch (e) {
      failed.push({ id: r.id, error: e instanceof Error ? e.message : String(e) });
    }
  }
  const left = new Set([...failed.map((f) => f.id), ...deferred]);
  // Only the records that were disabled (or need no provider call, or another device
  // disabled) become expired now.
  for (const r of due) if (!left.has(r.id)) await vaultStore.write({ op: 'set-state', id: r.id, state: 'expired' });
  for (const id of deletedInboxes) await inboxStore.write({ kind: 'remove', id });
  await scheduleExpiry(retryAt);
  return { expired: due.length - left.size, failed, deferred: deferred.size };
}

/**
 * Creates an alias for the page at `url` with `source` (or the default) and records it.
 * @param {string} url @param {string | null} source
 */
export async function createAlias(url, source) {
  const c = await core();
  const s = await settings();
  const resolved = c.aliasResolveSource(s, source ?? undefined);
  let record;
  if (resolved.provider === 'mailtm') {
    const outcome = await runFlow(c.aliasCreateFlow(s, 'mailtm', url, nowSecs()));
    record = c.aliasRecordFromOutcome(s, outcome, url, nowSecs());
    await inboxStore.write({ kind: 'set', id: record.id, credentials: outcome.inbox });
  } else if (resolved.provider) {
    const outcome = await runFlow(c.aliasCreateFlow(s, resolved.provider, url, nowSecs()));
    record = c.aliasRecordFromOutcome(s, outcome, url, nowSecs());
  } else {
    record = c.aliasCreateLocal(s, resolved.id, url, nowSecs());
  }
  await vaultStore.write({ op: 'add', record });
  await scheduleExpiry();
  return record;
}

/** The provider id of the no-account temporary inbox, a fresh install's default source. */
export const TEMPORARY_INBOX = 'mailtm';

/**
 * What can make an alias now: the ids of the sources that are set up (the default first), the
 * default's id (set up or not), and whether the temporary inbox may be offered: it is set up, or it was never configured (an
 * install from before it was the default), so choosing it turns it on. A temporary inbox the
 * user switched off is not offered.
 * @returns {Promise<{ ready: string[], temporaryInbox: boolean, defaultSource: string }>}
 */
export async function aliasSources() {
  const c = await core();
  const s = await settings();
  const ready = /** @type {string[]} */ (c.aliasReadySources(s));
  const view = /** @type {{ default_generator: string, providers: { provider: string }[] }} */ (c.settingsView(s));
  return {
    ready,
    temporaryInbox: ready.includes(TEMPORARY_INBOX) || !view.providers.some((p) => p.provider === TEMPORARY_INBOX),
    defaultSource: view.default_generator,
  };
}

/**
 * Turns the temporary inbox on when it was never configured: the user chose it from the
 * in-page menu. One it was switched off for stays off (see `aliasSources`).
 */
export async function enableTemporaryInbox() {
  const c = await core();
  const s = await settings();
  const view = /** @type {{ providers: { provider: string }[] }} */ (c.settingsView(s));
  if (view.providers.some((p) => p.provider === TEMPORARY_INBOX)) return;
  await settingsStore.write({ kind: 'update', patch: { ...view, providers: [...view.providers, { provider: TEMPORARY_INBOX, enabled: true }] } });
}

/** @param {string} id */
async function recordById(id) {
  const all = /** @type {any[]} */ (loaded().vaultRecords(await vault()));
  const r = all.find((x) => x.id === id);
  if (!r) throw fail('UnknownRecord', 'That alias is no longer in the vault.');
  return r;
}

/**
 * Turns an alias on or off, at its provider first where it has one.
 * @param {string} id @param {boolean} enabled
 */
export async function setEnabled(id, enabled) {
  const c = await core();
  const s = await settings();
  const r = await recordById(id);
  const provider = c.aliasResolveSource(s, r.source).provider;
  if (provider && r.provider_id) {
    const caps = capabilities(c, provider);
    if (!caps?.[enabled ? 'enable' : 'disable']) {
      throw fail('Unsupported', `${provider} cannot ${enabled ? 're-enable' : 'disable'} an alias from here; do it on its website.`);
    }
    await runFlow(c.aliasFlowSetEnabled(s, provider, r.provider_id, enabled, nowSecs()));
  }
  await vaultStore.write({ op: 'set-state', id, state: enabled ? 'active' : 'disabled' });
  return recordById(id);
}

/**
 * Deletes an alias from the vault, and at its provider when asked.
 * @param {string} id @param {boolean} atProvider
 */
export async function deleteAlias(id, atProvider) {
  const c = await core();
  const s = await settings();
  const r = await recordById(id);
  const provider = c.aliasResolveSource(s, r.source).provider;
  if (atProvider && provider === 'mailtm') {
    const creds = (await inboxStore.read())[id];
    if (creds) await runFlow(c.inboxFlow(s, creds, 'delete', undefined, nowSecs()));
  } else if (atProvider && provider && r.provider_id) {
    await runFlow(c.aliasFlowDelete(s, provider, r.provider_id, nowSecs()));
  }
  await vaultStore.write({ op: 'remove', id });
  await inboxStore.write({ kind: 'remove', id });
  return { id };
}

/**
 * Reads a temporary inbox: `what` is `messages`, `message` or `raw-source`. With `bytes`, a
 * raw source comes back as a byte string (one character per byte), for the verifier.
 * @param {string} id @param {'messages' | 'message' | 'raw-source'} what @param {string} [messageId]
 * @param {{ bytes?: boolean }} [opts]
 */
export async function readInbox(id, what, messageId, opts) {
  const c = await core();
  const s = await settings();
  const creds = (await inboxStore.read())[id];
  if (!creds) throw fail('UnknownRecord', 'This alias has no temporary inbox on this device.');
  const outcome = await runFlow(c.inboxFlow(s, creds, what, messageId, nowSecs()), opts);
  if (outcome.new_token) {
    await inboxStore.write({ kind: 'set', id, credentials: { ...(/** @type {object} */ (creds)), token: outcome.new_token } });
  }
  // The renewed token stays here: pages get the messages, never credentials.
  return { ...outcome, new_token: undefined };
}

/**
 * The aliases a provider account lists (every page, up to the core's `MAX_LIST_PAGES`;
 * `complete: false` when that stopped it). `unsupported` says, in plain words, why a
 * provider that cannot list is refused.
 * @param {string} provider @param {string} unsupported
 * @returns {Promise<{ aliases: { address: string }[], complete: boolean }>}
 */
async function listAliases(provider, unsupported) {
  const c = await core();
  const s = await settings();
  const caps = capabilities(c, provider);
  if (!caps) throw fail('BadMessage', `unknown provider ${provider}`);
  if (!caps.list) throw fail('Unsupported', unsupported);
  return runFlow(c.aliasFlowList(s, provider, nowSecs()));
}

/**
 * Checks a provider account: lists its aliases where the provider can.
 * @param {string} provider
 */
export async function testProvider(provider) {
  const outcome = await listAliases(provider, 'This provider offers no way to check the key without creating an alias.');
  return { ok: true, aliases: outcome.aliases.length, complete: outcome.complete };
}

/**
 * "Bring in my aliases": lists the account's aliases through the provider's API and merges
 * them into the vault (the core's `bring-in`: a new address becomes a record with the
 * provider's id and the site its note or field names; a known one keeps its label and note
 * and takes the provider's state). Answers how many are `added`, how many were `known`
 * already, how many the vault could not hold (`skipped`: not an address) and whether the
 * list was `complete`.
 * @param {string} provider
 */
export async function bringInAliases(provider) {
  const outcome = await listAliases(provider, 'This provider offers no way to list your aliases.');
  const addresses = (/** @type {string | null | undefined} */ doc) =>
    new Set(/** @type {{ address: string }[]} */ (loaded().vaultRecords(doc ?? undefined)).map((r) => r.address.toLowerCase()));
  const listed = new Set(outcome.aliases.map((a) => a.address.toLowerCase()));
  const before = addresses(await vault());
  // As the records the core's `bring-in` reads (its reader of records, not one more): `state`
  // is the provider's on or off, `site` the provider's field as given.
  const records = /** @type {{ address: string, provider: string, provider_id?: string | null, enabled: boolean, note?: string | null, site?: string | null }[]} */ (outcome.aliases).map((a) => ({
    id: '', address: a.address, source: a.provider, provider_id: a.provider_id ?? null, site: a.site ?? null, note: a.note ?? null, created: 0, state: a.enabled ? 'active' : 'disabled',
  }));
  const after = addresses(await vaultStore.write({ op: 'bring-in', records, now: nowSecs() }));
  await scheduleExpiry();
  const known = [...listed].filter((a) => before.has(a)).length;
  const added = [...listed].filter((a) => !before.has(a) && after.has(a)).length;
  return { added, known, skipped: listed.size - known - added, complete: outcome.complete };
}

/** Handlers for the extension's own pages (popup, options). */
export const aliasPageHandlers = {
  'alias.providers': async () => call((c) => c.aliasProviders()),
  'settings.get': async () => {
    const s = await settings();
    return call((c) => c.settingsView(s));
  },
  /** @param {Record<string, unknown>} m */
  'settings.set': async (m) => {
    await settings();
    const doc = await settingsStore.write({ kind: 'update', patch: m.settings });
    return call((c) => c.settingsView(/** @type {string} */ (doc)));
  },
  /** @param {Record<string, unknown>} m */
  'alias.list': async (m) => {
    const url = typeof m.url === 'string' ? m.url : '';
    const site = url ? await call((c) => siteOf(c, url)) : undefined;
    const v = await vault();
    return call((c) => ({
      site: site ?? null,
      forSite: site ? c.vaultRecords(v, site, undefined) : [],
      records: c.vaultRecords(v, undefined, typeof m.query === 'string' ? m.query : undefined),
    }));
  },
  /** @param {Record<string, unknown>} m */
  'alias.create': async (m) => {
    if (typeof m.url !== 'string') throw fail('BadMessage', 'alias.create needs the page "url"');
    return createAlias(m.url, typeof m.source === 'string' ? m.source : null);
  },
  /** @param {Record<string, unknown>} m */
  'alias.setEnabled': async (m) => setEnabled(String(m.id), m.enabled === true),
  /** @param {Record<string, unknown>} m */
  'alias.delete': async (m) => deleteAlias(String(m.id), m.atProvider === true),
  /** @param {Record<string, unknown>} m */
  'alias.label': async (m) => {
    const id = String(m.id);
    const label = typeof m.label === 'string' && m.label.trim() ? m.label.trim() : null;
    await vaultStore.write({ op: 'set-label', id, label });
    return recordById(id);
  },
  /**
   * Whether the stored vault can be read: `{ ok: true, count }`, or `{ ok: false, error, chars }`
   * when the document is damaged (then every alias operation is refused and nothing is
   * changed, until the user saves a copy and sets it aside).
   */
  'vault.health': async () => {
    const doc = await vault();
    try {
      return { ok: true, count: /** @type {unknown[]} */ (await call((c) => c.vaultRecords(doc))).length };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e), chars: doc?.length ?? 0 };
    }
  },
  /** The stored vault document exactly as it is (to save a copy of a damaged one). */
  'vault.rawCopy': async () => (await vault()) ?? '',
  /**
   * Sets a damaged vault aside: its text (and the changes still pending in its journal) is kept
   * under `vault.unreadable` (the newest MAX_UNREADABLE_KEPT copies), and the list starts again
   * from those pending changes (an alias made just before the damage is not lost). Refused
   * while the vault is readable. In the vault's write queue, so no change lands in between.
   * Answers `{ setAside, restored }`: whether it was set aside, and how many pending changes
   * the fresh list holds.
   */
  'vault.setAside': async () => {
    const out = await vaultStore.restart(async (doc, journal) => {
      if (doc === null) return false;
      const readable = await call((c) => c.vaultRecords(doc)).then(() => true, () => false);
      if (readable) throw fail('BadMessage', 'The stored aliases are readable: nothing to set aside.');
      const kept = /** @type {unknown[]} */ ((await storageLocal.get(UNREADABLE_KEY))[UNREADABLE_KEY] ?? []);
      /** @type {Record<string, unknown>} */
      const copy = { at: new Date().toISOString(), text: doc };
      if (journal.length > 0) copy.pending = journal.map((e) => e.op);
      const copies = [...(Array.isArray(kept) ? kept : []), copy].slice(-MAX_UNREADABLE_KEPT);
      // The copy first, in its own write: if the worker stops before the vault is replaced,
      // both are kept.
      await storageLocal.set({ [UNREADABLE_KEY]: copies });
      return true;
    });
    return { setAside: out.restarted, restored: out.replayed };
  },
  /** @param {Record<string, unknown>} m */
  'vault.export': async (m) => {
    const format = m.format === 'csv' ? 'csv' : 'json';
    const v = await vault();
    return call((c) => c.vaultExport(v, format));
  },
  /** @param {Record<string, unknown>} m */
  'vault.import': async (m) => {
    if (typeof m.text !== 'string' || m.text.length > MAX_IMPORT_CHARS) {
      throw fail('BadMessage', `Choose a file of at most ${MAX_IMPORT_CHARS / 1024 / 1024} MiB.`);
    }
    const before = /** @type {any[]} */ (loaded().vaultRecords(await vault())).length;
    const doc = await vaultStore.write({ op: 'import', text: m.text });
    await scheduleExpiry();
    const after = /** @type {any[]} */ (loaded().vaultRecords(doc ?? undefined)).length;
    return { added: after - before, total: after };
  },
  /** @param {Record<string, unknown>} m */
  'provider.test': async (m) => testProvider(String(m.provider)),
  /** @param {Record<string, unknown>} m */
  'provider.bringIn': async (m) => bringInAliases(String(m.provider)),
  /** @param {Record<string, unknown>} m */
  'inbox.read': async (m) => {
    const what = m.what === 'message' || m.what === 'raw-source' ? m.what : 'messages';
    return readInbox(String(m.id), what, typeof m.messageId === 'string' ? m.messageId : undefined);
  },
  /**
   * The S/MIME verdict of a message in a temporary inbox, from its raw source.
   * @param {Record<string, unknown>} m
   */
  'inbox.verify': async (m) => {
    if (typeof m.messageId !== 'string') throw fail('BadMessage', 'inbox.verify needs a "messageId"');
    const outcome = await readInbox(String(m.id), 'raw-source', m.messageId, { bytes: true });
    // A byte string: each character is one byte of the message as the provider sent it.
    return verifyBytes(Uint8Array.from(outcome.source, (ch) => ch.charCodeAt(0)));
  },
  'alias.runExpiry': async () => runExpiry(),
};

/**
 * What sync (background/sync.js) reads and merges: the vault through its write queue (the
 * merged vault and the sync state in one write), the per-site secret, the temporary inboxes'
 * credentials. Never offered to pages.
 */
export const syncAccess = {
  vault,
  /** @param {(doc: string | null) => Promise<{ doc: string | null, extra?: Record<string, unknown> } | null>} make */
  replaceVault: (make) => vaultStore.replace(make),
  /** The per-site secret (hex) of the stored settings. */
  async perSiteSecret() {
    const s = /** @type {{ per_site_secret?: unknown }} */ (JSON.parse(await settings()));
    return typeof s.per_site_secret === 'string' ? s.per_site_secret : '';
  },
  /** Takes another device's per-site secret, so per-site aliases are the same on both. @param {string} hex */
  async setPerSiteSecret(hex) {
    const s = await settings();
    const view = /** @type {Record<string, unknown>} */ (loaded().settingsView(s));
    await settingsStore.write({ kind: 'update', patch: { ...view, per_site_secret: hex } });
  },
  /** The settings view (no keys, no secret). @returns {Promise<Record<string, any>>} */
  settingsView: async () => loaded().settingsView(await settings()),
  /**
   * Takes alias sources another device chose: `fields` (settings view fields), `providers`
   * (by id: `enabled`, `base_url`, `domain`, and `key` only when the user let keys travel) and
   * `removed` (provider accounts removed on another device, only when keys travel). A provider
   * that needs a key this device does not have and did not get is left out (it cannot be set up
   * without one); a provider set up only here stays, with its key. Throws, changing nothing,
   * if the result is refused.
   * @param {Record<string, unknown>} fields @param {Record<string, Record<string, unknown>>} providers
   * @param {string[]} [removed]
   */
  async applySources(fields, providers, removed = []) {
    const c = await core();
    const view = /** @type {Record<string, any>} */ (c.settingsView(await settings()));
    const list = /** @type {Record<string, any>[]} */ (view.providers.filter((/** @type {{ provider: string }} */ q) => !removed.includes(q.provider)));
    for (const [id, p] of Object.entries(providers)) {
      const i = list.findIndex((q) => q.provider === id);
      if (i >= 0) list[i] = { ...list[i], ...p };
      else if (!capabilities(c, id)?.needs_key || (typeof p.key === 'string' && p.key)) list.push({ provider: id, ...p });
    }
    await settingsStore.write({ kind: 'update', patch: { ...view, ...fields, providers: list } });
  },
  /**
   * The provider accounts' API keys by provider id (sync sends them only when the user ticked
   * the box for it). Never offered to pages.
   * @returns {Promise<Record<string, string>>}
   */
  async providerKeys() {
    const s = /** @type {{ providers?: { provider: string, key?: unknown }[] }} */ (JSON.parse(await settings()));
    return Object.fromEntries((s.providers ?? []).filter((p) => typeof p.key === 'string' && p.key).map((p) => [p.provider, String(p.key)]));
  },
  /** @returns {Promise<Record<string, any>>} temporary inbox credentials by record id */
  inboxes: () => inboxStore.read(),
  /** @param {string} id @param {unknown} credentials */
  setInbox: (id, credentials) => inboxStore.write({ kind: 'set', id, credentials }),
  scheduleExpiry,
};

/** Called once when the background starts: finish interrupted writes, re-arm the alarm. */
export async function startAliases() {
  await core();
  await settingsStore.recover();
  await vaultStore.recover();
  await inboxStore.recover();
  await scheduleExpiry();
}

/** @param {{ name: string }} alarm */
export function onAlarm(alarm) {
  if (alarm.name === EXPIRY_ALARM) runExpiry().catch(() => {});
}
