// The sync exports of the wasm core, in Node (issue #25): a code, two devices sharing a vault
// through sealed storage.sync items, a wrong code, a changed item, and the claim on expiry.
// They are not in the shipped wasm yet (the `sync` feature): build.sh's node suite builds them
// into target/pkg-sync first.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import * as core from '../../target/pkg-sync/impalemail.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
core.initSync({ module: fs.readFileSync(path.join(ROOT, 'target/pkg-sync/impalemail_bg.wasm')) });
const NOW = 1_800_000_000;

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

test('an alias made on one device arrives on the other; a wrong code or a changed item changes nothing', () => {
  const code = core.syncCodeNew();
  let a = core.syncStart(code);
  const b = core.syncStart(code);
  const out = core.syncOutgoing(a, vaultWith('hello@mine.example'), {}, NOW);
  a = out.state;
  assert.ok(out.bytes > 0 && out.bytes <= 102_400 && out.items === 1);
  assert.deepEqual(out.remove, []);
  const area = { ...out.set, 'unrelated.key': { not: 'ours' } };
  for (const [key, value] of Object.entries(out.set)) {
    assert.ok(key.length + JSON.stringify(value).length <= 8192);
    assert.ok(!value.includes('hello'), 'the vendor sees ciphertext only');
  }
  const got = core.syncIncoming(b, undefined, area, NOW + 5);
  assert.match(got.state, /^impalemail-sync-state:1:/);
  assert.equal(got.changed, 1);
  assert.deepEqual(got.refused, []);
  assert.equal(JSON.parse(got.vault).records[0].address, 'hello@mine.example');

  // Nothing new to write when the area already holds it.
  const again = core.syncOutgoing(a, vaultWith('hello@mine.example'), area, NOW + 6);
  assert.deepEqual(Object.keys(again.set), []);

  const other = core.syncStart(core.syncCodeNew());
  assert.throws(() => core.syncIncoming(other, undefined, area, NOW), (e) => e.variant === 'WrongCode' && /Nothing here was changed/.test(e.message));

  const [key, value] = Object.entries(out.set).find(([k]) => k !== 'k');
  const changed = { ...area, [key]: value.slice(0, -6) + (value.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA') };
  const c = core.syncIncoming(core.syncStart(code), undefined, changed, NOW);
  assert.equal(c.changed, 0);
  assert.equal(c.refused.length, 1);
  assert.match(c.refused[0][1], /changed or cut short/);
  assert.deepEqual(JSON.parse(c.vault).records, []);
});

test('expiry at the provider: claim, wait, act, done', () => {
  const vault = vaultWith('x1@me.anonaddy.com');
  let s = core.syncOutgoing(core.syncStart(core.syncCodeNew()), vault, {}, NOW).state;
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

test('the item beside the records: sealed with the code, bound to its key, within the reserve', () => {
  const code = core.syncCodeNew();
  const a = core.syncStart(code);
  const value = core.syncSealExtra(a, '{"secret":"ab12"}');
  assert.match(value, /^1\./);
  assert.ok(!value.includes('ab12'));
  assert.equal(core.syncOpenExtra(core.syncStart(code), value), '{"secret":"ab12"}');
  assert.throws(() => core.syncOpenExtra(core.syncStart(core.syncCodeNew()), value), (e) => e.name === 'SyncError' && /changed or cut short/.test(e.message));
  assert.throws(() => core.syncSealExtra(a, 'x'.repeat(8192)), (e) => e.variant === 'Full');
});
