// Sync through storage.sync (issue #25), the background's glue (extension/background/sync.js)
// with the real core, in Node: two (or three) fake devices, each a separate copy of the
// extension with its own module instances, wasm instance, storage.local and storage.sync
// area. `FakeSyncCloud` (fake-browser.mjs) plays the browser vendor's sync service: the test
// carries each device's changed items up and the others' down, when it chooses, so devices
// can change things while apart. What the cloud holds is what the vendor sees.
//
// Each device's core is the shipped one (pkg/); the last test checks that sync stays off, and
// writes nothing to the area, until the user turns it on.
//
// Not covered here: the real browsers' sync engines (they need an account; the two-profile
// e2e, tests/e2e/sync.test.mjs, plays the engine between two real profiles).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { FakeSyncArea, FakeSyncCloud, ROOT, installFakeBrowser } from './fake-browser.mjs';

const cloud = new FakeSyncCloud();
/** @type {Awaited<ReturnType<typeof device>>[]} */
const devices = [];

/**
 * A device: a copy of the extension (so that its modules are its own), its fake browser, and
 * `ask(type, fields)`, which sends a message as the options page does and throws the reply's
 * error.
 * @param {string} name @param {ConstructorParameters<typeof FakeSyncArea>[0]} [limits]
 * @param {{ via?: FakeSyncCloud }} [opts] which vendor service
 */
async function device(name, limits, { via = cloud } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `impalemail-sync-${name}-`));
  fs.cpSync(path.join(ROOT, 'extension'), path.join(dir, 'extension'), { recursive: true, dereference: true });
  const root = path.join(dir, 'extension');
  const fake = installFakeBrowser({ root, sync: new FakeSyncArea(limits) });
  const url = (/** @type {string} */ p) => pathToFileURL(path.join(root, p)).href;
  const { route } = await import(url('background/router.js'));
  const sync = await import(url('background/sync.js'));
  const core = await import(url('pkg/impalemail.js'));
  sync.listenForSync();
  const page = { id: 'test', url: globalThis.chrome.runtime.getURL('ui/options.html') };
  /** @param {string} type @param {Record<string, unknown>} [fields] */
  const ask = async (type, fields = {}) => {
    const r = await route({ type, ...fields }, page);
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
    return r.value;
  };
  const d = {
    name,
    ...fake,
    ask,
    core,
    /** The vault's records. @returns {Promise<any[]>} */
    records: async () => (await ask('alias.list', {})).records,
    /** The vendor's sync service carries this device's items up and everyone's down; then the device syncs. */
    carry: async () => {
      await ask('sync.now'); // what is still waiting for the debounce goes now
      via.carry(fake.sync);
      await new Promise((r) => setTimeout(r, 5)); // the onChanged events
      return ask('sync.now');
    },
    dir,
  };
  devices.push(d);
  return d;
}

/**
 * The vendor's service keeps carrying until no device has anything new to write (each device
 * pushes again what an item written over by another device lacked). Returns the rounds.
 * @param {Awaited<ReturnType<typeof device>>[]} among @param {FakeSyncCloud} [via] their vendor service
 */
async function settle(among = [A, B], via = cloud) {
  const activity = () => among.reduce((n, d) => n + d.sync.writes, via.changes);
  for (let round = 1; round <= 6; round++) {
    const before = activity();
    for (const d of among) await d.carry();
    if (activity() === before) return round;
  }
  throw new Error('the devices kept writing: sync does not settle');
}

after(async () => {
  for (const d of devices) {
    await d.ask('sync.off').catch(() => {});
    fs.rmSync(d.dir, { recursive: true, force: true });
  }
});

/** @param {Awaited<ReturnType<typeof device>>} d @param {string} domain */
async function useCatchAll(d, domain) {
  const view = await d.ask('settings.get');
  await d.ask('settings.set', { settings: { ...view, catch_all_domain: domain } });
}

const A = await device('a');
const B = await device('b');
await useCatchAll(A, 'mine.example');
await useCatchAll(B, 'mine.example');

test('turning on, joining, a wrong or mistyped code, a second first device', async () => {
  assert.deepEqual(await A.ask('sync.status'), { on: false, code: null, quota: 102_400 });
  const pre = await A.ask('alias.create', { url: 'https://pre.example/join', source: 'per-site' });
  const preB = await B.ask('alias.create', { url: 'https://pre.example/join', source: 'per-site' });
  assert.notEqual(pre.address, preB.address, 'two installs, two per-site secrets');

  const on = await A.ask('sync.on');
  assert.match(on.code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/);
  assert.equal((await A.ask('sync.status')).code, on.code);
  cloud.carry(A.sync);
  for (const [key, value] of cloud.items) {
    assert.ok(!JSON.stringify(value).includes('pre.example') && !JSON.stringify(value).includes('mine.example'), `${key}: ciphertext only`);
  }
  cloud.carry(B.sync);

  const localBefore = JSON.stringify([...B.local]);
  const other = A.core.syncCodeNew();
  await assert.rejects(B.ask('sync.on', { code: other }), (e) => e.variant === 'WrongCode' && /Nothing here was changed/.test(e.message));
  const typo = (on.code[0] === '7' ? '8' : '7') + on.code.slice(1);
  await assert.rejects(B.ask('sync.on', { code: typo }), (e) => e.variant === 'CodeTypo' && /typo/.test(e.message));
  await assert.rejects(B.ask('sync.on', {}), (e) => e.name === 'SyncInUse' && /Enter the sync code/.test(e.message));
  assert.equal(JSON.stringify([...B.local]), localBefore, 'refused: nothing on B changed');
  assert.equal((await B.ask('sync.status')).on, false);

  const joined = await B.ask('sync.on', { code: ` ${on.code.toLowerCase().replaceAll('-', ' ')} ` });
  assert.equal(joined.code, on.code);
  const addresses = (await B.records()).map((r) => r.address).sort();
  assert.deepEqual(addresses, [pre.address, preB.address].sort(), 'A\'s alias arrived; B\'s own stayed');
  await assert.rejects(B.ask('sync.on', { code: on.code }), (e) => e.name === 'SyncAlreadyOn');
  await settle();
  assert.deepEqual((await A.records()).map((r) => r.address).sort(), addresses, 'B\'s alias reached A');
});

test('a changed, cut short or earlier-format item is left out, changes nothing, and is written again', async () => {
  await settle();
  const before = JSON.stringify(await B.records());
  const key = [...B.sync.items.keys()].find((k) => /^v\d+\.[0-9a-f]+$/.test(k));
  assert.ok(key);
  const value = String(B.sync.items.get(key));
  assert.match(value, /^2\./, 'format 2: AES-256-GCM through WebCrypto');
  const flipped = value.slice(0, -6) + (value.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA');
  for (const bad of [flipped, value.slice(0, 30), `1${value.slice(1)}`]) {
    B.sync.apply({ [key]: bad }, { dirty: false });
    const status = await B.ask('sync.now');
    assert.equal(status.refused, 1, bad.slice(0, 12));
    assert.equal(JSON.stringify(await B.records()), before, 'nothing on B changed');
    const healed = String(B.sync.items.get(key));
    assert.notEqual(healed, bad, 'the next push writes it again');
    assert.match(healed, /^2\./);
  }
  await settle();
});

test('per-site aliases: the same address on both devices after joining', async () => {
  const a = await A.ask('alias.create', { url: 'https://post.example/signup', source: 'per-site' });
  const b = await B.ask('alias.create', { url: 'https://www.post.example/register', source: 'per-site' });
  assert.equal(a.address, b.address);
  const writesBefore = A.sync.writes;
  const made = await A.ask('alias.create', { url: 'https://shop.example/signup', source: 'per-site' });
  await A.ask('sync.now');
  console.log(`# writes to storage.sync for one new alias: ${A.sync.writes - writesBefore}`);
  assert.equal(A.sync.writes - writesBefore, 1, 'one set call');
  await settle();
  const onB = (await B.records()).find((r) => r.address === made.address);
  assert.equal(onB?.site, 'shop.example');
  const again = await B.ask('alias.list', { url: 'https://shop.example/login' });
  assert.deepEqual(again.forSite.map((r) => r.address), [made.address], 'offered on that site\'s login on B');
});

test('the chosen alias sources travel (never a key); the last change wins', async () => {
  const viewA = await A.ask('settings.get');
  await A.ask('settings.set', { settings: { ...viewA, default_generator: 'per-site', own_address: 'me@home.example' } });
  const viewB0 = await B.ask('settings.get');
  const withKey = { ...viewB0, providers: [...viewB0.providers, { provider: 'simplelogin', enabled: true, key: 'sl-key-on-b' }] };
  await B.ask('settings.set', { settings: withKey });
  await settle();
  const viewB = await B.ask('settings.get');
  assert.equal(viewB.default_generator, 'per-site');
  assert.equal(viewB.own_address, 'me@home.example');
  assert.equal(viewB.providers.find((p) => p.provider === 'simplelogin')?.has_key, true, 'B\'s key stays on B');
  assert.equal((await A.ask('settings.get')).providers.some((p) => p.provider === 'simplelogin'), false, 'no key here: the account is not set up on A');
  for (const value of cloud.items.values()) assert.ok(!String(value).includes('sl-key-on-b') && !String(value).includes('home.example'));
  const viewB2 = await B.ask('settings.get');
  await B.ask('settings.set', { settings: { ...viewB2, default_lifetime: { kind: 'one-day' } } });
  await settle();
  assert.deepEqual((await A.ask('settings.get')).default_lifetime, { kind: 'one-day' });
  assert.equal((await A.ask('settings.get')).own_address, 'me@home.example');
});

/** The API key a device stores for `provider` (its settings document: the pages never see keys). @param {Awaited<ReturnType<typeof device>>} d @param {string} provider */
const storedKey = (d, provider) => JSON.parse(/** @type {string} */ (d.local.get('settings'))).providers.find((/** @type {any} */ p) => p.provider === provider)?.key;
/** Whether `provider` is set up on a device. @param {Awaited<ReturnType<typeof device>>} d @param {string} provider */
const hasProvider = async (d, provider) => (await d.ask('settings.get')).providers.some((/** @type {any} */ p) => p.provider === provider);

test('provider API keys travel only with the box ticked, on both devices; a removed account is removed on the others', async () => {
  assert.equal((await A.ask('sync.status')).keys, false, 'off by default');
  // Ticked on B only: B sends its key, A (not ticked) takes none.
  assert.equal((await B.ask('sync.keys', { on: true })).keys, true);
  await settle();
  assert.equal(await hasProvider(A, 'simplelogin'), false, 'not ticked on A: no key taken');
  // Ticked on A too: the account is set up on A with B's key.
  await A.ask('sync.keys', { on: true });
  await settle();
  assert.equal(storedKey(A, 'simplelogin'), 'sl-key-on-b');
  assert.equal((await A.ask('settings.get')).providers.find((/** @type {any} */ p) => p.provider === 'simplelogin').has_key, true);
  for (const value of cloud.items.values()) assert.ok(!String(value).includes('sl-key-on-b'), 'sealed: the vendor never sees a key');
  // A key changed on A reaches B.
  const viewA = await A.ask('settings.get');
  await A.ask('settings.set', { settings: { ...viewA, providers: viewA.providers.map((/** @type {any} */ p) => (p.provider === 'simplelogin' ? { ...p, key: 'sl-key-new' } : p)) } });
  await settle();
  assert.equal(storedKey(B, 'simplelogin'), 'sl-key-new');

  // Removed on A: removed on B (a tombstone), and it stays removed.
  const v = await A.ask('settings.get');
  await A.ask('settings.set', { settings: { ...v, providers: v.providers.filter((/** @type {any} */ p) => p.provider !== 'simplelogin') } });
  await settle();
  assert.equal(await hasProvider(B, 'simplelogin'), false);
  assert.equal(await hasProvider(A, 'simplelogin'), false);

  // Without the box on B, a removal on A leaves B's account (and its key) alone.
  const withKey = async (/** @type {Awaited<ReturnType<typeof device>>} */ d) => {
    const w = await d.ask('settings.get');
    await d.ask('settings.set', { settings: { ...w, providers: [...w.providers, { provider: 'addy', enabled: true, key: 'addy-key' }] } });
  };
  await withKey(A);
  await settle();
  assert.equal(storedKey(B, 'addy'), 'addy-key');
  await B.ask('sync.keys', { on: false });
  const w = await A.ask('settings.get');
  await A.ask('settings.set', { settings: { ...w, providers: w.providers.filter((/** @type {any} */ p) => p.provider !== 'addy') } });
  await settle();
  assert.equal(await hasProvider(A, 'addy'), false);
  assert.equal(storedKey(B, 'addy'), 'addy-key', 'not ticked on B: B keeps its account');
  // Unticked on A as well: the keys leave what A writes; nobody loses theirs.
  await A.ask('sync.keys', { on: false });
  await settle();
  assert.equal(storedKey(B, 'addy'), 'addy-key');
  assert.equal((await A.ask('sync.status')).keys, false);
});

test('a disable on B reaches A; a delete is a tombstone; concurrent edits converge', async () => {
  const [x] = (await B.records()).filter((r) => r.site === 'shop.example');
  await B.ask('alias.setEnabled', { id: x.id, enabled: false });
  await settle();
  assert.equal((await A.records()).find((r) => r.address === x.address).state, 'disabled');

  // Apart: A disables, B relabels the same alias.
  const [y] = (await A.records()).filter((r) => r.site === 'post.example');
  const yB = (await B.records()).find((r) => r.address === y.address);
  await A.ask('alias.setEnabled', { id: y.id, enabled: false });
  await B.ask('alias.label', { id: yB.id, label: 'newsletter' });
  await settle();
  const endA = (await A.records()).find((r) => r.address === y.address);
  const endB = (await B.records()).find((r) => r.address === y.address);
  assert.deepEqual([endA.state, endA.label], ['disabled', 'newsletter']);
  assert.deepEqual([endB.state, endB.label], ['disabled', 'newsletter']);

  // A deletes; B relabels it while apart: deleted on both, and stays so.
  await A.ask('alias.delete', { id: x.id, atProvider: false });
  await B.ask('alias.label', { id: (await B.records()).find((r) => r.address === x.address).id, label: 'late' });
  await settle();
  assert.equal((await A.records()).some((r) => r.address === x.address), false);
  assert.equal((await B.records()).some((r) => r.address === x.address), false);
  assert.deepEqual((await A.records()).map((r) => r.address).sort(), (await B.records()).map((r) => r.address).sort());
});

test('a temporary inbox opens on the other device: its credentials travel, its token does not', async () => {
  const now = Math.floor(Date.now() / 1000);
  const record = { id: 'tmp-1', address: 'box1@inbox.example', source: 'mailtm', provider_id: 'acc-1', site: 'forum.example', created: now, expires: now + 3600, state: 'active' };
  await A.ask('vault.import', { text: JSON.stringify({ format: 'impalemail-vault', schema: 1, records: [record] }) });
  const inboxes = /** @type {Record<string, unknown>} */ (A.local.get('inboxes') ?? {});
  A.local.set('inboxes', { ...inboxes, 'tmp-1': { address: record.address, password: 'pw-1', account_id: 'acc-1', token: 'secret-token' } });
  await settle();
  const onB = (await B.records()).find((r) => r.address === record.address);
  assert.ok(onB);
  const creds = /** @type {Record<string, any>} */ (B.local.get('inboxes'))[onB.id];
  assert.deepEqual(creds, { address: record.address, password: 'pw-1', account_id: 'acc-1', token: null });
  for (const value of cloud.items.values()) assert.ok(!String(value).includes('pw-1'));
});

test('many temporary inboxes: the newest travel within the 8 KB beside the records, the records all do', async () => {
  const now = Math.floor(Date.now() / 1000);
  const records = Array.from({ length: 60 }, (_, i) => ({
    id: `box-${i}`, address: `wordy.mailbox${String(i).padStart(3, '0')}@somewhat-long-domain.example`, source: 'mailtm',
    provider_id: `6570${String(i).padStart(20, '0')}`, site: `s${i}.example`, created: now - 1000 + i, expires: now + 30 * 86_400, state: 'active',
  }));
  await A.ask('vault.import', { text: JSON.stringify({ format: 'impalemail-vault', schema: 1, records }) });
  const inboxes = { .../** @type {Record<string, unknown>} */ (A.local.get('inboxes') ?? {}) };
  for (const r of records) inboxes[r.id] = { address: r.address, password: `${r.id}`.padEnd(32, '0'), account_id: r.provider_id, token: 't' };
  A.local.set('inboxes', inboxes);
  const status = await A.ask('sync.now');
  assert.equal(status.error, null);
  await settle();
  const onB = await B.records();
  assert.equal(records.filter((r) => onB.some((x) => x.address === r.address)).length, 60);
  const credsB = /** @type {Record<string, any>} */ (B.local.get('inboxes'));
  const withCreds = records.filter((r) => credsB[onB.find((x) => x.address === r.address).id]);
  console.log(`# temporary inboxes whose passwords fit beside the records: ${withCreds.length} of 60 (at most ${40})`);
  assert.ok(withCreds.length >= 30 && withCreds.length <= 40, String(withCreds.length));
  assert.ok(withCreds.every((r) => r.created >= records[60 - withCreds.length].created), 'the newest');
  const x = cloud.items.get('x');
  assert.ok('x'.length + JSON.stringify(x).length <= 8192);
});

test('expiry at the provider happens once, on one device', async () => {
  const realNow = Date.now;
  let offset = 0;
  Date.now = () => realNow() + offset;
  const realFetch = globalThis.fetch;
  /** @type {string[]} */
  const calls = [];
  globalThis.fetch = async (url, init) => {
    const u = String(url);
    if (u.startsWith('file:')) return realFetch(url, init);
    calls.push(`${init?.method ?? 'GET'} ${u}`);
    return new Response(null, { status: 204 });
  };
  try {
    offset = 2 * 3600 * 1000; // the inbox of the previous test is due
    const first = await A.ask('alias.runExpiry');
    assert.equal(first.deferred, 1, 'A claims, then waits for the claim to settle');
    assert.deepEqual(calls, []);
    await settle();
    const seenB = await B.ask('alias.runExpiry');
    assert.equal(seenB.deferred, 1, 'A holds the claim');
    offset += 16 * 60 * 1000;
    const acted = await A.ask('alias.runExpiry');
    assert.equal(acted.expired, 1);
    assert.equal(calls.length, 1);
    assert.match(calls[0], /^DELETE .*\/accounts\/acc-1$/);
    await settle();
    assert.equal((await B.records()).find((r) => r.address === 'box1@inbox.example').state, 'expired');
    offset += 2 * 86_400 * 1000;
    await B.ask('alias.runExpiry');
    assert.equal(calls.length, 1, 'B never deleted it a second time');
  } finally {
    Date.now = realNow;
    globalThis.fetch = realFetch;
  }
});

test('a full area: a plain error, nothing lost, and sync resumes when there is room', async () => {
  const C = await device('c', { quotaBytes: 300 });
  await useCatchAll(C, 'mine.example');
  await C.ask('alias.create', { url: 'https://made-on-c.example/', source: 'catch-all' });
  const code = (await A.ask('sync.status')).code;
  cloud.carry(C.sync);
  const joined = await C.ask('sync.on', { code });
  assert.equal(joined.error.name, 'SyncStorageFull', 'joined, but this device\'s aliases could not be written yet');
  assert.equal((await C.records()).length, (await A.records()).length + 1, 'A\'s aliases arrived, C\'s stayed');
  C.sync.limits.quotaBytes = 102_400;
  await settle([A, B, C]);
  const count = (await A.records()).length;
  assert.equal((await C.records()).length, count);
  C.sync.limits.quotaBytes = C.sync.bytes();
  await C.ask('alias.create', { url: 'https://more.example/', source: 'catch-all' });
  const status = await C.ask('sync.now');
  assert.equal(status.error.name, 'SyncStorageFull');
  assert.match(status.error.message, /sync storage is full\. Nothing is lost/);
  assert.equal((await C.records()).length, count + 1, 'the new alias stays on the device');
  C.sync.limits.quotaBytes = 102_400;
  const resumed = await C.ask('sync.now');
  assert.equal(resumed.error, null);
  await settle([A, B, C]);
  assert.equal((await A.records()).length, count + 1);
});

test('more aliases than the area holds: refused in plain words, every alias kept; the figures', async () => {
  const now = Math.floor(Date.now() / 1000);
  const records = Array.from({ length: 1000 }, (_, i) => ({
    id: `r${i}`, address: `shopper.${i}.${(i * 7919) % 10007}@mine.example`, source: 'catch-all',
    site: `site${i % 400}.example`, created: now - i, state: i % 9 === 0 ? 'disabled' : 'active',
  }));
  const before = (await A.records()).length;
  await A.ask('vault.import', { text: JSON.stringify({ format: 'impalemail-vault', schema: 1, records }) });
  const s = await A.ask('sync.now');
  assert.equal(s.error, null);
  const total = before + 1000;
  console.log(`# ${total} aliases: ${s.bytes} bytes of storage.sync in ${s.items} record items (+ k, x): ${(s.bytes / total).toFixed(1)} bytes an alias`);
  assert.ok(s.bytes <= 102_400);
  const more = Array.from({ length: 1000 }, (_, i) => ({
    id: `m${i}`, address: `extra.${i}@mine.example`, source: 'catch-all', site: `more${i}.example`, created: now, state: 'active',
  }));
  await A.ask('vault.import', { text: JSON.stringify({ format: 'impalemail-vault', schema: 1, records: more }) });
  const full = await A.ask('sync.now');
  assert.equal(full.error.name, 'SyncFull');
  assert.match(full.error.message, /Nothing is lost/);
  assert.equal(full.nearlyFull, true);
  assert.equal((await A.records()).length, total + 1000);
});

test('turning sync off on one device: its aliases stay, the synced items stay for the others', async () => {
  const count = (await B.records()).length;
  const items = B.sync.items.size;
  assert.deepEqual(await B.ask('sync.off'), { on: false });
  assert.equal((await B.records()).length, count);
  assert.equal(B.sync.items.size, items);
  const writes = B.sync.writes;
  await B.ask('alias.create', { url: 'https://after.example/', source: 'catch-all' });
  await B.ask('sync.now');
  assert.equal(B.sync.writes, writes, 'nothing is written once off');
  assert.equal((await B.ask('sync.status')).on, false);
});

test('a device that had the aliases already (brought in from a provider) joins: what the others hold wins, its own fills only the gaps', async () => {
  // Apart from the other tests: a vendor service of their own.
  const other = new FakeSyncCloud();
  const E = await device('e', undefined, { via: other });
  const F = await device('f', undefined, { via: other });
  await useCatchAll(E, 'mine.example');
  const made = await E.ask('alias.create', { url: 'https://club.example/join', source: 'catch-all' });
  await E.ask('alias.label', { id: made.id, label: 'club' });
  const { code } = await E.ask('sync.on');
  await E.carry();
  // F has the same address with less (as "Bring in my aliases" makes it: no label, no origin,
  // created now), and a note E lacks.
  const csv = 'id,address,source,provider_id,site,origin,created,expires,state,label,note\r\n'
    + `${made.id},${made.address},catch-all,,club.example,,${made.created + 500},,active,,from the provider\r\n`;
  await useCatchAll(F, 'mine.example');
  await F.ask('vault.import', { text: csv });
  other.carry(F.sync);
  await F.ask('sync.on', { code });
  await settle([E, F], other);
  for (const d of [E, F]) {
    const r = (await d.records()).find((x) => x.address === made.address);
    assert.deepEqual([r.label, r.origin, r.created, r.note], ['club', made.origin, made.created, 'from the provider'], d.name);
  }
});

test('expired aliases leave a full area first: the rest travel, the status says how many, every alias stays', async () => {
  // Apart from the other tests: a vendor service of their own.
  const other = new FakeSyncCloud();
  const G = await device('g', undefined, { via: other });
  const H = await device('h', undefined, { via: other });
  await useCatchAll(G, 'mine.example');
  await useCatchAll(H, 'mine.example');
  const now = Math.floor(Date.now() / 1000);
  const records = Array.from({ length: 2100 }, (_, i) => ({
    id: `g${i}`, address: `shopper.${i}.${(i * 7919) % 10007}@mine.example`, source: 'catch-all', site: `site${i % 400}.example`,
    created: now - 10 * 86_400 - i, ...(i % 3 === 0 ? { expires: now - 86_400 - i, state: 'expired' } : { state: 'active' }),
  }));
  await G.ask('vault.import', { text: JSON.stringify({ format: 'impalemail-vault', schema: 1, records }) });
  const { code } = await G.ask('sync.on');
  const s = await G.ask('sync.now');
  assert.equal(s.error, null, 'no longer refused: expired aliases made room');
  assert.ok(s.leftOut > 0 && s.leftOut <= 700, `left out ${s.leftOut}`);
  assert.equal(s.nearlyFull, true);
  assert.ok(s.bytes <= 102_400);
  await G.carry();
  await H.ask('sync.on', { code });
  await settle([G, H], other);
  assert.equal((await G.records()).length, 2100, 'every alias stays on the device');
  const got = await H.records();
  assert.equal(got.length, 2100 - s.leftOut);
  const expired = new Set(records.filter((r) => r.state === 'expired').map((r) => r.address));
  const missing = records.filter((r) => !got.some((x) => x.address === r.address));
  assert.ok(missing.every((r) => expired.has(r.address)), 'only expired aliases stay behind');
});

test('sync is off until the user turns it on: a new device says so and writes nothing to storage.sync', async () => {
  const S = await device('fresh');
  assert.equal(typeof S.core.syncStart, 'function', 'the shipped core has the sync exports');
  assert.deepEqual(await S.ask('sync.status'), { on: false, code: null, quota: 102_400 });
  await S.ask('alias.create', { url: 'https://shop.example/', source: 'catch-all' }).catch(() => {});
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(S.sync.writes, 0, 'nothing reaches storage.sync');
});
