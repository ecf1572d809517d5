// A damaged vault document (storage corrupted, a bad manual edit): nothing the user had is
// lost, every alias operation says clearly that the list cannot be read and changes nothing,
// and there is a way out: save the stored text as it is, set it aside (kept), start afresh,
// and import an earlier export.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installFakeBrowser } from './fake-browser.mjs';

const { local } = installFakeBrowser();
const { aliasPageHandlers: h, UNREADABLE_KEY, MAX_UNREADABLE_KEPT } = await import('../../extension/background/aliases.js');

const DAMAGED = '{"format":"impalemail-vault","version":1,"records":[{"id":"a1","address":"x@';
const CSV = 'id,address,source,provider_id,site,origin,created,expires,state,label,note\r\n'
  + 't1,shop.k3@alias.example,catch-all,,shop.example,,1,,active,,\r\n';

test('a damaged vault: clear errors, nothing changed, a copy, set aside, start afresh', async () => {
  local.set('vault', DAMAGED);
  const health = await h['vault.health']({});
  assert.equal(health.ok, false);
  assert.equal(health.chars, DAMAGED.length);
  assert.match(health.error, /\S/);
  // Operations are refused with that error and change nothing.
  await assert.rejects(h['vault.import']({ text: CSV }));
  await assert.rejects(h['vault.export']({ format: 'json' }));
  await assert.rejects(h['alias.label']({ id: 'a1', label: 'x' }));
  assert.equal(local.get('vault'), DAMAGED, 'the stored text is untouched');
  // The exact stored text can be saved.
  assert.equal(await h['vault.rawCopy']({}), DAMAGED);
  // Set aside: kept under its own key, the list starts empty and works again.
  assert.deepEqual(await h['vault.setAside']({}), { setAside: true, restored: 0 });
  const kept = local.get(UNREADABLE_KEY);
  assert.equal(kept.length, 1);
  assert.equal(kept[0].text, DAMAGED);
  assert.equal(kept[0].pending, undefined);
  assert.deepEqual(await h['vault.health']({}), { ok: true, count: 0 });
  const imported = await h['vault.import']({ text: CSV });
  assert.deepEqual(imported, { added: 1, total: 1 });
  // A readable vault is never set aside.
  await assert.rejects(h['vault.setAside']({}), (e) => e.name === 'BadMessage');
  assert.equal(local.get(UNREADABLE_KEY).length, 1);
});

test('changes still pending when the vault was damaged are kept and restored on the fresh list', async () => {
  local.delete(UNREADABLE_KEY);
  // An import whose document write did not complete (it is in the journal), then damage.
  local.set('vault', DAMAGED);
  local.set('vault.journal', [{ id: 'j-pending', op: { op: 'import', text: CSV } }]);
  assert.equal((await h['vault.health']({})).ok, false);
  assert.deepEqual(await h['vault.setAside']({}), { setAside: true, restored: 1 });
  const kept = local.get(UNREADABLE_KEY);
  assert.equal(kept.at(-1).text, DAMAGED);
  assert.deepEqual(kept.at(-1).pending, [{ op: 'import', text: CSV }]);
  assert.deepEqual(await h['vault.health']({}), { ok: true, count: 1 });
  assert.deepEqual(local.get('vault.journal'), []);
});

test('set-aside copies are capped, the oldest goes first', async () => {
  local.delete(UNREADABLE_KEY);
  for (let i = 0; i < MAX_UNREADABLE_KEPT + 2; i++) {
    local.set('vault', `${DAMAGED}${i}`);
    await h['vault.setAside']({});
  }
  const kept = local.get(UNREADABLE_KEY);
  assert.equal(kept.length, MAX_UNREADABLE_KEPT);
  assert.equal(kept[0].text, `${DAMAGED}2`);
  assert.equal(kept.at(-1).text, `${DAMAGED}${MAX_UNREADABLE_KEPT + 1}`);
});
