// The sync exports of the wasm core, in Node (issue #25): a code, two devices sharing a vault
// through sealed storage.sync items, a wrong code, a changed item, and the claim on expiry.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import * as core from '../../pkg/impalemail.js';
import * as seal from './sync-seal.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
core.initSync({ module: fs.readFileSync(path.join(ROOT, 'pkg/impalemail_bg.wasm')) });
const NOW = 1_800_000_000;

/** The background's part (sync-seal.mjs), with this core. @param {string} state */
const keysOf = (state) => seal.keysOf(core, state);

async function openAll(keys, area) {
  const opened = {};
  for (const t of core.syncToOpen(area)) {
    assert.equal(t.nonce.length, 12);
    try {
      opened[t.key] = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: t.nonce, additionalData: t.ad }, keys.key, t.sealed));
    } catch {
      // Fails authentication: the core refuses it.
    }
  }
  return opened;
}

const sealOne = (keys, t) => seal.sealOne(core, keys, t);

/** `syncOutgoing` as the background runs it: `set` then holds every value to write. */
async function outgoing(state, vault, area, now) {
  const keys = await keysOf(state);
  const out = core.syncOutgoing(state, vault, area, await openAll(keys, area), keys.check, now);
  for (const t of out.seal) out.set[t.key] = await sealOne(keys, t);
  return out;
}

async function incoming(state, vault, area, now) {
  const keys = await keysOf(state);
  return core.syncIncoming(state, vault, area, await openAll(keys, area), keys.check, now);
}

/** A vault (JSON text) with one alias. */
function vaultWith(address) {
  const record = { id: 'a1', address, source: 'catch-all', site: 'shop.example', created: NOW, state: 'active' };
  return core.vaultApply(undefined, { op: 'add', record });
}

test('a new code is eight groups of four and a typo is caught in plain words', () => {
  const code = core.syncCodeNew();
  assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/);
  assert.notEqual(core.syncCodeNew(), code);
  assert.equal(core.syncCode(core.syncStart(code.toLowerCase())), code);
  const typo = (code[0] === '7' ? '8' : '7') + code.slice(1);
  assert.throws(() => core.syncStart(typo), (e) => e.name === 'SyncError' && e.variant === 'CodeTypo' && /typo/.test(e.message));
  assert.throws(() => core.syncStart(code.slice(2)), (e) => e.variant === 'CodeLength' && /should have 32/.test(e.message));
});

test('an alias made on one device arrives on the other; a wrong code or a changed item changes nothing', async () => {
  const code = core.syncCodeNew();
  let a = core.syncStart(code);
  const b = core.syncStart(code);
  const out = await outgoing(a, vaultWith('hello@mine.example'), {}, NOW);
  a = out.state;
  assert.ok(out.bytes > 0 && out.bytes <= 102_400 && out.items === 1);
  assert.deepEqual(out.remove, []);
  const area = { ...out.set, 'unrelated.key': { not: 'ours' } };
  for (const [key, value] of Object.entries(out.set)) {
    assert.ok(key.length + JSON.stringify(value).length <= 8192);
    assert.ok(!value.includes('hello'), 'the vendor sees ciphertext only');
    assert.match(value, /^2\./);
  }
  const got = await incoming(b, undefined, area, NOW + 5);
  assert.match(got.state, /^impalemail-sync-state:1:/);
  assert.equal(got.changed, 1);
  assert.deepEqual(got.refused, []);
  assert.equal(JSON.parse(got.vault).records[0].address, 'hello@mine.example');

  // Nothing new to write when the area already holds it.
  const again = await outgoing(a, vaultWith('hello@mine.example'), area, NOW + 6);
  assert.deepEqual(Object.keys(again.set), []);

  const other = core.syncStart(core.syncCodeNew());
  await assert.rejects(incoming(other, undefined, area, NOW), (e) => e.variant === 'WrongCode' && /Nothing here was changed/.test(e.message));

  const [key, value] = Object.entries(out.set).find(([k]) => k !== 'k');
  const changed = { ...area, [key]: value.slice(0, -6) + (value.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA') };
  const c = await incoming(core.syncStart(code), undefined, changed, NOW);
  assert.equal(c.changed, 0);
  assert.equal(c.refused.length, 1);
  assert.match(c.refused[0][1], /changed or cut short/);
  assert.deepEqual(JSON.parse(c.vault).records, []);

  // Cut short, and the earlier format (1: XChaCha20-Poly1305, never shipped).
  for (const [bad, words] of [[value.slice(0, 20), /changed or cut short/], ['1' + value.slice(1), /another version of ImpaleMail/]]) {
    const d = await incoming(core.syncStart(code), undefined, { ...area, [key]: bad }, NOW);
    assert.equal(d.changed, 0);
    assert.match(d.refused[0][1], words);
  }
});

test('expiry at the provider: claim, wait, act, done', async () => {
  const vault = vaultWith('x1@me.anonaddy.com');
  let s = (await outgoing(core.syncStart(core.syncCodeNew()), vault, {}, NOW)).state;
  const id = 'X1@me.anonaddy.com'; // by address, any case
  const first = core.syncClaim(s, id, 'disable', NOW + 10, false);
  assert.equal(first.turn, 'wait');
  assert.equal(first.until, NOW + 10 + 15 * 60);
  s = first.state;
  assert.equal(core.syncClaim(s, id, 'disable', first.until, false).turn, 'act');
  const done = core.syncClaim(s, id, 'disable', first.until, true);
  assert.equal(done.turn, 'done');
  assert.throws(() => core.syncClaim(s, id, 'explode', NOW, false), (e) => e.name === 'BadArgument');
});

test('the item beside the records: sealed with the code, bound to its key, within the reserve', async () => {
  const code = core.syncCodeNew();
  const a = core.syncStart(code);
  const t = core.syncSealExtra('{"secret":"ab12"}');
  assert.equal(t.key, 'x');
  const value = await sealOne(await keysOf(a), t);
  assert.match(value, /^2\./);
  assert.ok(!value.includes('ab12'));
  const mine = await openAll(await keysOf(core.syncStart(code)), { x: value });
  assert.equal(core.syncOpenExtra(value, mine), '{"secret":"ab12"}');
  const theirs = await openAll(await keysOf(core.syncStart(core.syncCodeNew())), { x: value });
  assert.throws(() => core.syncOpenExtra(value, theirs), (e) => e.name === 'SyncError' && /changed or cut short/.test(e.message));
  const moved = await openAll(await keysOf(a), { 'v0.0': value });
  assert.deepEqual(moved, {}, 'bound to its key');
  assert.throws(() => core.syncSealExtra('x'.repeat(8192)), (e) => e.variant === 'Full');
});
