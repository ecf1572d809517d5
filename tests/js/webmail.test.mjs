// The background's webmail handlers (extension/background/webmail.js) in Node, with the real
// wasm core and a fake extension API: toolbar badge per tab, tickets (an older message's result
// never overwrites a newer one), the continuity note per From address, the personal mark, and
// the validation of what a content script sends.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach, test } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIX = path.join(ROOT, 'tests/fixtures/smime');

// ------------------------------------------------------------------ a fake extension API

/** @type {Map<string, unknown>} */
const local = new Map();
/** @type {Map<string, unknown>} */
const session = new Map();
/** Toolbar state per tab: { text, color, title }. */
const badges = new Map();
const listeners = { removed: [], updated: [] };
const area = (/** @type {Map<string, unknown>} */ m) => ({
  get: async (k) => (m.has(k) ? { [k]: structuredClone(m.get(k)) } : {}),
  set: async (items) => { for (const [k, v] of Object.entries(items)) m.set(k, structuredClone(v)); },
  remove: async (k) => { m.delete(k); },
});
const tabBadge = (tabId) => { if (!badges.has(tabId)) badges.set(tabId, {}); return badges.get(tabId); };
globalThis.chrome = /** @type {any} */ ({
  runtime: { id: 'test', getURL: (p) => pathToFileURL(path.join(ROOT, p)).href },
  i18n: { getMessage: () => '' },
  storage: { local: area(local), session: area(session) },
  action: {
    setBadgeText: async ({ tabId, text }) => { tabBadge(tabId).text = text; },
    setBadgeBackgroundColor: async ({ tabId, color }) => { tabBadge(tabId).color = color; },
    setTitle: async ({ tabId, title }) => { tabBadge(tabId).title = title; },
  },
  tabs: {
    onRemoved: { addListener: (f) => listeners.removed.push(f) },
    onUpdated: { addListener: (f) => listeners.updated.push(f) },
  },
});
// The core loads its wasm with fetch(getURL(...)); Node's fetch has no file: URLs.
const realFetch = globalThis.fetch;
globalThis.fetch = async (url, init) => {
  const u = String(url instanceof Request ? url.url : url);
  if (u.startsWith('file:')) return new Response(fs.readFileSync(new URL(u)), { headers: { 'content-type': 'application/wasm' } });
  return realFetch(url, init);
};

const wm = await import('../../extension/background/webmail.js');
const { webmailContentHandlers: content, webmailPageHandlers: pages } = wm;

const rootB64 = fs.readFileSync(path.join(FIX, 'pki/root.pem'), 'utf8').replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');
const mail = (/** @type {string} */ rel) => fs.readFileSync(path.join(FIX, rel)).toString('base64');
const tab = (/** @type {number} */ tabId) => ({ id: 'test', url: 'http://127.0.0.1:8080/?_task=mail', tabId, frameId: 1 });

beforeEach(() => {
  local.clear();
  session.clear();
  badges.clear();
  local.set('trust.userRoots', [rootB64]);
});

/** begin + verify in one tab. */
async function open(tabId, rel) {
  const { ticket } = await content['webmail.begin']({}, tab(tabId));
  return content['webmail.verify']({ ticket, raw: mail(rel) }, tab(tabId));
}

test('a verified message: green badge for that tab only, a stable personal mark, no message bytes stored', async () => {
  const r = await open(1, 'generated/001.eml');
  assert.equal(r.verdict.status, 'verified');
  assert.equal(r.current, true);
  assert.equal(r.continuity, null);
  assert.deepEqual(badges.get(1), { text: '✓', color: '#1a7f37', title: `ImpaleMail: ${r.verdict.summary}` });
  assert.equal(badges.get(2), undefined);
  assert.match(r.mark.phrase, /^[a-z]+ [a-z]+$/);
  assert.match(r.mark.color, /^#[0-9a-f]{6}$/);
  const r2 = await open(1, 'generated/016.eml');
  assert.deepEqual(r2.mark, r.mark, 'the mark is made once');
  assert.deepEqual(await pages['webmail.tabVerdict']({ tabId: 1 }, tab(0)), { state: 'done', verdict: r2.verdict, continuity: null });
  const stored = JSON.stringify([...local, ...session]);
  assert.ok(!stored.includes('Hello Bob') && !stored.includes('Hello Rob'), 'no message text in storage');
  const seen = local.get(wm.SEEN_KEY);
  assert.deepEqual(Object.keys(seen), ['alice@example.com']);
  assert.equal(seen['alice@example.com'].sha256, r.verdict.details.signer.certificate.sha256);
});

test('each status has its badge; a failed fetch is grey "?"', async () => {
  assert.equal((await open(3, 'generated/016.eml')).verdict.status, 'invalid');
  assert.equal(badges.get(3).text, '!');
  assert.equal((await open(3, 'attacks/m1-prepended-text.eml')).verdict.status, 'not_verified');
  assert.equal(badges.get(3).text, '?');
  assert.equal(badges.get(3).color, '#b26a00');
  const { ticket } = await content['webmail.begin']({}, tab(3));
  assert.equal(badges.get(3).text, '…');
  await content['webmail.failed']({ ticket, problem: 'request_check' }, tab(3));
  assert.deepEqual(badges.get(3), { text: '?', color: '#6b7280', title: 'ImpaleMail: the message could not be checked (request_check).' });
});

test('an older message\'s result never replaces a newer message\'s state', async () => {
  const a = await content['webmail.begin']({}, tab(4));
  const b = await content['webmail.begin']({}, tab(4));
  const late = await content['webmail.verify']({ ticket: a.ticket, raw: mail('generated/001.eml') }, tab(4));
  assert.equal(late.current, false);
  assert.equal(badges.get(4).text, '…', 'still checking the newer one');
  await content['webmail.verify']({ ticket: b.ticket, raw: mail('generated/016.eml') }, tab(4));
  assert.equal(badges.get(4).text, '!');
  await content['webmail.failed']({ ticket: a.ticket, problem: 'network' }, tab(4));
  assert.equal(badges.get(4).text, '!', 'a stale failure changes nothing either');
});

test('continuity: another key, another issuer, or no signature after a verified one is noted', async () => {
  assert.equal((await open(5, 'attacks/c4-untrusted-ca.eml')).continuity, null, 'nothing known yet');
  assert.equal(local.get(wm.SEEN_KEY), undefined, 'an untrusted signer is not remembered');
  await open(5, 'generated/001.eml');
  const mallory = await open(5, 'attacks/i1-from-not-signer.eml');
  assert.equal(mallory.continuity?.kind, 'key_changed');
  assert.equal(mallory.continuity.address, 'alice@example.com');
  assert.match(badges.get(5).title, /Earlier messages from alice@example\.com .* different certificate/);
  assert.equal((await open(5, 'attacks/c4-untrusted-ca.eml')).continuity?.kind, 'issuer_changed');
  assert.equal((await open(5, 'generated/022.eml')).continuity?.kind, 'no_longer_signed');
  assert.equal((await open(5, 'generated/010.eml')).continuity, null, 'same key again');
});

test('navigation and closing the tab clear what was kept', async () => {
  await open(6, 'generated/001.eml');
  for (const f of listeners.updated) f(6, { status: 'loading' });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(badges.get(6).text, '');
  assert.deepEqual(await pages['webmail.tabVerdict']({ tabId: 6 }, tab(0)), { state: 'none' });
  for (const f of listeners.removed) f(6);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(await pages['webmail.tabVerdict']({ tabId: 6 }, tab(0)), null);
});

test('what a content script sends is validated', async () => {
  const { ticket } = await content['webmail.begin']({}, tab(7));
  const bad = async (name, msg, sender = tab(7), type = 'webmail.verify') => {
    await assert.rejects(content[type](msg, sender), (e) => e.name === name, JSON.stringify(msg).slice(0, 80));
  };
  await bad('BadMessage', { ticket, raw: 'not base64!' });
  await bad('BadMessage', { ticket, raw: 42 });
  await bad('BadMessage', { ticket: 'x', raw: '' });
  await bad('TooLarge', { ticket, raw: 'A'.repeat(wm.MAX_WEBMAIL_MESSAGE_B64 + 4) });
  await bad('BadMessage', { ticket, raw: '' }, { id: 'test', url: 'x' });
  await bad('BadMessage', { ticket, problem: 'something else' }, tab(7), 'webmail.failed');
  await assert.rejects(pages['webmail.tabVerdict']({ tabId: '7' }, tab(0)), (e) => e.name === 'BadMessage');
  await assert.rejects(pages['webmail.setPersonalMark']({ phrase: '', color: '#123456' }, tab(0)), (e) => e.name === 'BadMessage');
  assert.deepEqual(await pages['webmail.setPersonalMark']({ phrase: 'blue whale', color: '#123456' }, tab(0)), { phrase: 'blue whale', color: '#123456' });
  assert.deepEqual(await pages['webmail.personalMark']({}, tab(0)), { phrase: 'blue whale', color: '#123456' });
});
