// The alias exports of the wasm core, in Node: settings, local generators, a provider flow
// driven step by step, and the vault operations the background journals.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import * as core from '../../pkg/impalemail.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
core.initSync({ module: fs.readFileSync(path.join(ROOT, 'pkg/impalemail_bg.wasm')) });
const NOW = 1_800_000_000;

function settingsWith(patch) {
  const initial = core.settingsInitial();
  return core.settingsUpdate(initial, { ...core.settingsView(initial), ...patch });
}

test('fresh settings carry a per-site secret that the view never shows', () => {
  const s = core.settingsInitial();
  const secret = JSON.parse(s).per_site_secret;
  assert.match(secret, /^[0-9a-f]{64}$/);
  const view = core.settingsView(s);
  assert.equal(view.per_site_secret, true);
  assert.ok(!JSON.stringify(view).includes(secret));
  assert.notEqual(JSON.parse(core.settingsInitial()).per_site_secret, secret, 'each install gets its own secret');
});

test('a bad setting is refused naming the field', () => {
  assert.throws(() => settingsWith({ catch_all_domain: 'not a domain' }), (e) => e.name === 'AliasError' && /catch_all_domain/.test(e.message));
});

test('local generators make records for the site of the page', () => {
  const s = settingsWith({ catch_all_domain: 'mine.example', own_address: 'me@mail.example' });
  const r = core.aliasCreateLocal(s, 'catch-all', 'https://login.shop.example.co.uk/join', NOW);
  assert.match(r.address, /^[a-z0-9.]+@mine\.example$/);
  assert.equal(r.site, 'example.co.uk');
  assert.equal(r.origin, 'https://login.shop.example.co.uk');
  assert.equal(r.created, NOW);
  const a = core.aliasCreateLocal(s, 'per-site', 'https://a.example.org/', NOW);
  const b = core.aliasCreateLocal(s, 'per-site', 'https://www.example.org/signup', NOW + 5);
  assert.equal(a.address, b.address);
  assert.throws(() => core.aliasCreateLocal(core.settingsInitial(), 'catch-all', 'https://x.example', NOW), /catch-all domain/);
});

test('a SimpleLogin flow: the core builds the request, reads the response, hides the key', () => {
  const key = 'sl-key-0123456789';
  const s = settingsWith({ providers: [{ provider: 'simplelogin', enabled: true, base_url: 'http://127.0.0.1:9', key, domain: null }] });
  const flow = core.aliasCreateFlow(s, 'simplelogin', 'https://shop.example.com/signup', NOW);
  const step = flow.next(null);
  assert.equal(step.done, false);
  assert.equal(step.request.method, 'POST');
  assert.match(step.request.url, /^http:\/\/127\.0\.0\.1:9\/api\/alias\/random\/new\?hostname=shop\.example\.com/);
  assert.deepEqual(step.request.headers.find(([n]) => n.toLowerCase() === 'authentication'), ['Authentication', key]);
  const done = flow.next({ status: 201, headers: [], body: JSON.stringify({ id: 42, email: 'x.y@sl.test', alias: 'x.y@sl.test', enabled: true }) });
  assert.equal(done.done, true);
  assert.equal(done.ok.kind, 'created');
  const record = core.aliasRecordFromOutcome(s, done.ok, 'https://shop.example.com/signup', NOW);
  assert.equal(record.address, 'x.y@sl.test');
  assert.equal(record.provider_id, '42');
  assert.equal(record.site, 'example.com');
  // Only an outcome that created an alias makes a record; anything else is an AliasError.
  const other = { kind: 'deleted', provider_id: '42' };
  assert.throws(() => core.aliasRecordFromOutcome(s, other, 'https://shop.example.com/', NOW), (e) => e.name === 'AliasError');
  assert.throws(() => core.aliasRecordFromOutcome(s, { kind: 'created' }, 'https://shop.example.com/', NOW), (e) => e.name === 'AliasError');
  assert.throws(() => core.aliasRecordFromOutcome(s, 'created', 'https://shop.example.com/', NOW), (e) => e.name === 'BadArgument');
  flow.free();

  const denied = core.aliasCreateFlow(s, 'simplelogin', 'https://shop.example.com/', NOW);
  denied.next(null);
  const err = denied.next({ status: 401, headers: [], body: `{"error":"wrong api key ${key}"}` }).error;
  assert.equal(err.variant, 'Unauthorized');
  assert.ok(!err.message.includes(key), err.message);
  const down = core.aliasCreateFlow(s, 'simplelogin', 'https://shop.example.com/', NOW);
  down.next(null);
  assert.equal(down.networkError('Failed to fetch').error.variant, 'Network');
});

test('vault operations replay idempotently and bad imports change nothing', () => {
  const s = settingsWith({ catch_all_domain: 'mine.example' });
  const rec = core.aliasCreateLocal(s, 'catch-all', 'https://shop.example.com/', NOW);
  const v1 = core.vaultApply(undefined, { op: 'add', record: rec });
  assert.equal(core.vaultApply(v1, { op: 'add', record: rec }), v1);
  const v2 = core.vaultApply(v1, { op: 'set-label', id: rec.id, label: 'shop' });
  assert.equal(core.vaultRecords(v2, 'www.example.com', undefined)[0].label, 'shop');
  const csv = core.vaultExport(v2, 'csv');
  assert.ok(csv.startsWith('id,address,source'));
  assert.throws(() => core.vaultApply(v2, { op: 'import', text: '{"format":"someone-else","records":[]}' }), (e) => e.name === 'AliasError');
  assert.throws(() => core.vaultApply(v2, { op: 'frobnicate' }), (e) => e.name === 'BadArgument');
  assert.throws(() => core.vaultApply(v2, { op: 'set-label', label: 'x' }), (e) => e.name === 'BadArgument' && /missing field `id`/.test(e.message));
  assert.throws(() => core.vaultApply(v2, undefined), (e) => e.name === 'BadArgument');
  assert.throws(() => core.vaultApply(v2, 'add'), (e) => e.name === 'BadArgument');
  const v3 = core.vaultApply(undefined, { op: 'import', text: csv });
  assert.equal(core.vaultRecords(v3, undefined, undefined)[0].address, rec.address);
});

test('expiry: due records and the next alarm time', () => {
  const s = settingsWith({ catch_all_domain: 'mine.example', default_lifetime: { kind: 'one-hour' } });
  const rec = core.aliasCreateLocal(s, 'catch-all', 'https://shop.example.com/', NOW);
  assert.equal(rec.expires, NOW + 3600);
  const v = core.vaultApply(undefined, { op: 'add', record: rec });
  assert.equal(core.vaultNextExpiry(v, NOW), NOW + 3600);
  assert.equal(core.vaultDue(v, NOW + 3599).length, 0);
  assert.equal(core.vaultDue(v, NOW + 3600).length, 1);
  const after = core.vaultApply(v, { op: 'apply-expiry', now: NOW + 3600 });
  assert.equal(core.vaultRecords(after, undefined, undefined)[0].state, 'expired');
});

test('the form classifier is reachable: a signup email gets the button, a login email does not', () => {
  const field = (index, formIndex, extra) => ({ index, formIndex, tag: 'input', type: 'email', name: 'email', ...extra });
  const out = core.classifyForms({
    fields: [field(0, 0, { label: 'Email address', autocomplete: 'email' }), field(1, 1, { label: 'Email', autocomplete: 'username' })],
    forms: [
      { index: 0, isForm: true, buttons: ['Create account'], passwordCount: 1, passwordAutocompletes: ['new-password'], visibleInputs: 2 },
      { index: 1, isForm: true, buttons: ['Sign in'], passwordCount: 1, passwordAutocompletes: ['current-password'], visibleInputs: 2 },
    ],
    page: { urlPath: '/account', title: 'Demo Shop' },
  });
  assert.equal(out.fields[0].button, true);
  assert.equal(out.fields[1].button, false);
  assert.equal(out.forms[1].form_type, 'login');
});
