// The background's webmail handlers (extension/background/webmail.js) in Node, with the real
// wasm core and a fake extension API: toolbar badge per tab, tickets (an older message's result
// never overwrites a newer one), the continuity note per From address, the personal mark, and
// the validation of what a content script sends.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, test } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIX = path.join(ROOT, 'tests/fixtures/smime');

import { installFakeBrowser } from './fake-browser.mjs';

const { local, session, badges, listeners } = installFakeBrowser();

const wm = await import('../../extension/background/webmail.js');
const { webmailContentHandlers: content, webmailPageHandlers: pages } = wm;
const { layerTexts, noticeTexts, verdictWords } = await import('../../extension/shared/words.js');

const rootB64 = fs.readFileSync(path.join(FIX, 'pki/root.pem'), 'utf8').replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');
const mail = (/** @type {string} */ rel) => fs.readFileSync(path.join(FIX, rel)).toString('base64');
// Roundcube's preview: a frame of the same origin as the tab's page.
const tab = (/** @type {number} */ tabId) => ({ id: 'test', url: 'http://127.0.0.1:8080/?_task=mail', tabUrl: 'http://127.0.0.1:8080/?_task=mail&_mbox=INBOX', tabId, frameId: 1 });

beforeEach(() => {
  local.clear();
  session.clear();
  badges.clear();
  local.set('trust.userRoots', [rootB64]);
  local.set(wm.WEBMAIL_SITES_KEY, [{ origin: 'http://127.0.0.1:8080', adapter: 'roundcube' }]);
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
  // The badge's words come with the verdict (the content script carries no verdict wording).
  assert.deepEqual({ look: r.words.look, summary: r.words.summary, personal: r.words.personal, notices: r.words.notices },
    { look: 'verified', summary: verdictWords(r.verdict).summary, personal: [], notices: [] });
  assert.deepEqual(badges.get(1), { text: '✓', color: '#1a7f37', title: `ImpaleMail: ${r.verdict.summary}` });
  assert.equal(badges.get(2), undefined);
  assert.match(r.mark.phrase, /^[a-z]+ [a-z]+$/);
  assert.match(r.mark.color, /^#[0-9a-f]{6}$/);
  const r2 = await open(1, 'generated/016.eml');
  assert.deepEqual(r2.mark, r.mark, 'the mark is made once');
  assert.deepEqual(await pages['webmail.tabVerdict']({ tabId: 1 }, tab(0)), { state: 'done', verdict: r2.verdict, continuity: null, aliases: [] });
  const stored = JSON.stringify([...local, ...session]);
  assert.ok(!stored.includes('Hello Bob') && !stored.includes('Hello Rob'), 'no message text in storage');
  const seen = local.get(wm.SEEN_KEY);
  assert.deepEqual(Object.keys(seen), ['alice@example.com']);
  assert.equal(seen['alice@example.com'].sha256, r.verdict.details.signer.certificate.sha256);
});

test('a name the certificate does not carry, replies going elsewhere, or a Date: far from the signing time is said on the verdict itself', async () => {
  const r = await open(1, 'layers/name-manager.eml');
  assert.equal(r.verdict.status, 'verified');
  const notes = noticeTexts(r.verdict);
  assert.equal(notes.length, 1);
  assert.match(notes[0], /The Manager/);
  assert.match(notes[0], /eve@example\.com/);
  // The toolbar says it too: not the plain green tick, and the notice in its title.
  assert.equal(badges.get(1).text, '✓!');
  assert.ok(badges.get(1).title.endsWith(notes[0]), badges.get(1).title);
  const reply = noticeTexts((await open(1, 'layers/reply-to-elsewhere.eml')).verdict);
  assert.equal(reply.length, 1);
  assert.match(reply[0], /accounts@attacker\.example/);
  assert.deepEqual(noticeTexts((await open(1, 'layers/name-family-given.eml')).verdict), []);
  const dated = await open(1, 'layers/date-days-later.eml');
  assert.equal(dated.verdict.status, 'verified');
  assert.equal(noticeTexts(dated.verdict).length, 1, 'a Date: days after the signing time');
  assert.deepEqual(noticeTexts((await open(1, 'layers/date-minutes-later.eml')).verdict), []);
  assert.deepEqual(noticeTexts((await open(1, 'generated/001.eml')).verdict), []);
  assert.equal(badges.get(1).text, '✓', 'plain green without a notice');
});

test('nested signatures: each layer is listed, and an inner signer who is not the sender is named on the verdict', async () => {
  const inner = (await open(1, 'layers/nest-od-inner-bob.eml')).verdict;
  assert.equal(inner.status, 'not_verified');
  assert.equal(inner.reason.kind, 'inner_signer_not_sender');
  assert.match(verdictWords(inner).summary, /bob@example\.org/);
  const lines = layerTexts(inner);
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^alice@example\.com \(RSA-2048/);
  assert.match(lines[1], /^bob@example\.org .*: valid$/);
  const outer = (await open(1, 'layers/nest-dd-outer-bob.eml')).verdict;
  assert.equal(outer.status, 'verified');
  assert.equal(noticeTexts(outer).length, 1);
  assert.match(noticeTexts(outer)[0], /bob@example\.org/);
  const altered = (await open(1, 'layers/nest-oo-inner-altered.eml')).verdict;
  assert.equal(altered.status, 'invalid');
  assert.match(layerTexts(altered)[1], /altered content/);
  assert.deepEqual(layerTexts((await open(1, 'generated/001.eml')).verdict), [], 'one signature: no layer list');
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
  assert.match(mallory.words.personal.join(' '), /Earlier messages from alice@example\.com .* different certificate/, 'drawn by the badge as pixels');
  assert.match(badges.get(5).title, /Earlier messages from alice@example\.com .* different certificate/);
  assert.equal((await open(5, 'attacks/c4-untrusted-ca.eml')).continuity?.kind, 'issuer_changed');
  assert.equal((await open(5, 'generated/022.eml')).continuity?.kind, 'no_longer_signed');
  assert.equal((await open(5, 'generated/010.eml')).continuity, null, 'same key again');
});

test('a verified signer is kept with its certificate for saving; the options page lists and forgets it', async () => {
  const r = await open(20, 'generated/001.eml');
  const signer = r.verdict.details.signer;
  const der = Buffer.from(signer.certificate_der, 'base64');
  const { createHash } = await import('node:crypto');
  assert.equal(createHash('sha256').update(der).digest('hex'), signer.certificate.sha256, 'the verdict carries the signer certificate itself');
  await open(20, 'attacks/c4-untrusted-ca.eml');
  const list = await pages['smime.seenSigners']({}, tab(0));
  assert.deepEqual(list.map((x) => [x.address, x.name, x.der]), [['alice@example.com', 'Alice Example', signer.certificate_der]], 'an untrusted signer is not listed');
  // Forgetting: the entry goes, and the next message from the address is a first meeting.
  assert.deepEqual(await pages['smime.forgetSigner']({ address: 'Alice@Example.com' }, tab(0)), []);
  assert.equal((await open(20, 'attacks/i1-from-not-signer.eml')).continuity, null);
  await assert.rejects(pages['smime.forgetSigner']({ address: 'alice@example.com' }, tab(0)), (e) => e.name === 'NotFound');
  await assert.rejects(pages['smime.forgetSigner']({}, tab(0)), (e) => e.name === 'BadMessage');
  // A signer remembered before certificates were kept gets its certificate, keeping first_seen.
  local.set(wm.SEEN_KEY, { 'alice@example.com': { sha256: signer.certificate.sha256, issuer: signer.certificate.issuer, first_seen: '2026-01-02T03:04:05Z' } });
  await open(20, 'generated/001.eml');
  const kept = local.get(wm.SEEN_KEY)['alice@example.com'];
  assert.equal(kept.first_seen, '2026-01-02T03:04:05Z');
  assert.equal(kept.der, signer.certificate_der);
  // Only the newest MAX_KEPT_CERTIFICATES keep their certificate; the oldest lose it first.
  const many = Object.fromEntries(Array.from({ length: wm.MAX_KEPT_CERTIFICATES }, (_, i) => [`k${i}@example.net`, { sha256: 'ab', issuer: 'x', first_seen: '2026-01-01T00:00:00Z', der: 'AAAA' }]));
  local.set(wm.SEEN_KEY, many);
  await open(20, 'generated/001.eml');
  const after = local.get(wm.SEEN_KEY);
  assert.equal(Object.values(after).filter((x) => x.der).length, wm.MAX_KEPT_CERTIFICATES);
  assert.ok(!after['k0@example.net'].der && after['k1@example.net'].der && after['alice@example.com'].der);
  assert.equal(Object.keys(after).length, wm.MAX_KEPT_CERTIFICATES + 1, 'entries stay, only certificates go');
});

test('navigation and closing the tab clear what was kept', async () => {
  // Only status changes are sent to the background where the browser can filter (Firefox).
  assert.deepEqual(listeners.updatedFilters, [{ properties: ['status'] }]);
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

const { call } = await import('../../extension/background/core.js');
const { smimePageHandlers: trust } = await import('../../extension/background/smime.js');

/** A sender in a tab of `url`. @param {number} tabId @param {string} url */
const at = (tabId, url) => ({ id: 'test', url, tabId, frameId: 0 });

test('adapters run only where the user turned them on, or on the service\'s own origin', async () => {
  const evil = at(8, 'https://webmail.evil.example/?_task=mail&_action=show&_uid=1&_mbox=INBOX');
  assert.deepEqual(await content['webmail.hello']({ adapter: 'roundcube' }, evil), { enabled: false });
  await assert.rejects(content['webmail.begin']({}, evil), (e) => e.name === 'Refused');
  // The popup learns what was recognised, and may turn it on.
  assert.deepEqual(await pages['webmail.tabDetected']({ tabId: 8 }, tab(0)), { origin: 'https://webmail.evil.example', adapter: 'roundcube' });
  await pages['webmail.enableSite']({ origin: 'https://webmail.evil.example', adapter: 'roundcube' }, tab(0));
  assert.deepEqual(await content['webmail.hello']({ adapter: 'roundcube' }, evil), { enabled: true });
  assert.equal(await pages['webmail.tabDetected']({ tabId: 8 }, tab(0)), null, 'no offer once it is on');
  const { ticket } = await content['webmail.begin']({}, evil);
  assert.match(ticket, /^[0-9a-f]{32}$/);
  // On for Roundcube is not on for another adapter.
  assert.deepEqual(await content['webmail.hello']({ adapter: 'gmail' }, evil), { enabled: false });
  // Gmail's and Outlook's own origins need nothing; a look-alike host does.
  assert.deepEqual(await content['webmail.hello']({ adapter: 'gmail' }, at(9, 'https://mail.google.com/mail/u/0/#inbox')), { enabled: true });
  assert.deepEqual(await content['webmail.hello']({ adapter: 'outlook' }, at(9, 'https://outlook.office.com/mail/inbox/id/AAMk')), { enabled: true });
  assert.deepEqual(await content['webmail.hello']({ adapter: 'gmail' }, at(9, 'https://mail.google.com.evil.example/mail/u/0/')), { enabled: false });
  // Turned off again: refused again.
  await pages['webmail.disableSite']({ origin: 'https://webmail.evil.example' }, tab(0));
  await assert.rejects(content['webmail.verify']({ ticket, raw: mail('generated/001.eml') }, evil), (e) => e.name === 'Refused');
  await assert.rejects(content['webmail.failed']({ ticket, problem: 'http' }, evil), (e) => e.name === 'Refused');
  // Bad input.
  await assert.rejects(content['webmail.hello']({ adapter: 'hotmail' }, evil), (e) => e.name === 'BadMessage');
  for (const origin of ['javascript:alert(1)', 'https://a.example/path', 'ftp://a.example', 42]) {
    await assert.rejects(pages['webmail.enableSite']({ origin, adapter: 'roundcube' }, tab(0)), (e) => e.name === 'BadMessage', String(origin));
  }
  const sites = await pages['webmail.sites']({}, tab(0));
  assert.deepEqual(sites.user, [{ origin: 'http://127.0.0.1:8080', adapter: 'roundcube' }]);
  assert.ok(sites.builtin.some((s) => s.origin === 'https://mail.google.com' && s.adapter === 'gmail'));
});

test('SOGo has no origin of its own: it runs only where the user turned it on', async () => {
  const sogoTab = at(11, 'https://groupware.example.org/SOGo/so/jane/Mail/view#!/Mail/0/INBOX/7');
  assert.deepEqual(await content['webmail.hello']({ adapter: 'sogo' }, sogoTab), { enabled: false });
  assert.ok(!(await pages['webmail.sites']({}, tab(0))).builtin.some((s) => s.adapter === 'sogo'));
  await pages['webmail.enableSite']({ origin: 'https://groupware.example.org', adapter: 'sogo' }, tab(0));
  assert.deepEqual(await content['webmail.hello']({ adapter: 'sogo' }, sogoTab), { enabled: true });
  assert.deepEqual(await content['webmail.hello']({ adapter: 'roundcube' }, sogoTab), { enabled: false }, 'on for SOGo only');
  await pages['webmail.disableSite']({ origin: 'https://groupware.example.org' }, tab(0));
  assert.deepEqual(await content['webmail.hello']({ adapter: 'sogo' }, sogoTab), { enabled: false });
});

test('a message to one of the user\'s aliases names its site, and warns when another site sent it', async () => {
  // generated/001.eml is from alice@example.com to bob@example.org.
  const csv = 'id,address,source,provider_id,site,origin,created,expires,state,label,note\r\n'
    + 't1,bob@example.org,catch-all,,shop.example.net,,1,,active,,\r\n';
  local.set('vault', await call((c) => c.vaultApply(undefined, { op: 'import', text: csv })));
  const r = await open(10, 'generated/001.eml');
  assert.deepEqual(r.aliases, [{ alias: 'bob@example.org', site: 'shop.example.net', label: null, state: 'active', sender_site: 'example.com', other_sender: true }]);
  assert.match(badges.get(10).title, /bob@example\.org, which you made for shop\.example\.net, but the sender is example\.com/);
  assert.deepEqual((await pages['webmail.tabVerdict']({ tabId: 10 }, tab(0))).aliases, r.aliases);
  // The same alias made for the sender's own site: named, no warning.
  const csv2 = csv.replace('shop.example.net', 'www.example.com');
  local.set('vault', await call((c) => c.vaultApply(undefined, { op: 'import', text: csv2 })));
  const r2 = await open(10, 'generated/001.eml');
  assert.equal(r2.aliases[0].other_sender, false);
  assert.ok(!/leaked/.test(badges.get(10).title));
});

test('the popup\'s file check: .eml and bare .p7m, nothing stored, bad files refused', async () => {
  const r = await pages['smime.checkFile']({ raw: mail('generated/001.eml') }, tab(0));
  assert.equal(r.verdict.status, 'verified');
  assert.deepEqual(r.aliases, []);
  const p7m = fs.readFileSync(path.join(FIX, 'generated/010.eml'), 'latin1').split('\r\n\r\n')[1].replace(/\s+/g, '');
  const der = Buffer.from(p7m, 'base64').toString('base64');
  const v = await pages['smime.checkFile']({ raw: der, kind: 'p7m' }, tab(0));
  assert.equal(v.verdict.status, 'verified');
  assert.ok(v.verdict.details.warnings.some((w) => w.kind === 'sender_check_skipped'));
  assert.equal(local.get(wm.SEEN_KEY), undefined, 'a file check remembers no signer');
  assert.equal(session.size, 0, 'and keeps nothing about the file');
  await assert.rejects(pages['smime.checkFile']({ raw: '' }, tab(0)), (e) => e.name === 'BadMessage');
  await assert.rejects(pages['smime.checkFile']({ raw: 'AAAA', kind: 'exe' }, tab(0)), (e) => e.name === 'BadMessage');
  await assert.rejects(pages['smime.checkFile']({ raw: 'A'.repeat(wm.MAX_WEBMAIL_MESSAGE_B64 + 4) }, tab(0)), (e) => e.name === 'TooLarge');
  const junk = await pages['smime.checkFile']({ raw: Buffer.from('not a mail at all').toString('base64') }, tab(0));
  assert.equal(junk.verdict.status, 'not_verified');
});

test('user roots: a preview of the file, then exactly what was shown is trusted; removal', async () => {
  local.delete('trust.userRoots');
  const pem = fs.readFileSync(path.join(FIX, 'pki/root.pem'));
  const file = pem.toString('base64');
  const before = await trust['trust.roots']({});
  assert.ok(before.builtin.count > 50, 'Mozilla roots are built in');
  assert.match(before.builtin.version, /NSS/);
  assert.deepEqual(before.user, []);
  const shown = await trust['trust.inspect']({ file });
  assert.equal(shown.length, 1);
  assert.match(shown[0].subject, /ImpaleMail Test Root CA/);
  assert.equal(local.get('trust.userRoots'), undefined, 'inspecting trusts nothing');
  // A message from the test CA is not trusted yet.
  assert.equal((await pages['smime.checkFile']({ raw: mail('generated/001.eml') }, tab(0))).verdict.reason.kind, 'untrusted_root');
  await assert.rejects(trust['trust.addRoots']({ file, fingerprints: ['00:11'] }), (e) => e.name === 'BadMessage', 'only what the file holds');
  const after = await trust['trust.addRoots']({ file, fingerprints: [shown[0].fingerprint_sha256] });
  assert.deepEqual(after.map((c) => c.fingerprint_sha256), [shown[0].fingerprint_sha256]);
  assert.deepEqual(local.get('trust.userRoots'), [rootB64]);
  assert.equal((await pages['smime.checkFile']({ raw: mail('generated/001.eml') }, tab(0))).verdict.status, 'verified');
  // Adding it again changes nothing.
  await trust['trust.addRoots']({ file, fingerprints: [shown[0].fingerprint_sha256] });
  assert.equal(local.get('trust.userRoots').length, 1);
  // Bad files: a clear error, nothing changes.
  await assert.rejects(trust['trust.inspect']({ file: Buffer.from('hello').toString('base64') }), (e) => e.name === 'TrustError');
  await assert.rejects(trust['trust.inspect']({ file: '' }), (e) => e.name === 'BadMessage');
  await assert.rejects(trust['trust.inspect']({ file: 'A'.repeat(2 * 1024 * 1024) }), (e) => e.name === 'TooLarge');
  assert.equal(local.get('trust.userRoots').length, 1);
  assert.deepEqual(await trust['trust.removeRoot']({ fingerprint: shown[0].fingerprint_sha256 }), []);
  assert.deepEqual(local.get('trust.userRoots'), []);
});

test('a panic in the core becomes a verdict, and the core starts afresh', async () => {
  const core = await import('../../extension/background/core.js');
  const { checked } = await import('../../extension/background/smime.js');
  const before = core.restartCount();
  // The trap itself: reported as CoreTrap, and the very next call works.
  await assert.rejects(core.call((c) => c.selfTestTrap('trap')), (e) => e.name === 'CoreTrap');
  assert.equal(core.restartCount(), before + 1);
  assert.equal(await core.call((c) => c.selfTestTrap('no')), false);
  // A check that traps: the reader gets the "could not finish" verdict, not an error.
  const v = await checked(() => core.call((c) => c.selfTestTrap('trap')));
  assert.equal(v.status, 'not_verified');
  assert.equal(v.reason.kind, 'internal_error');
  assert.equal(core.restartCount(), before + 2);
  // And real checks go on, in a tab too.
  const r = await open(11, 'generated/001.eml');
  assert.equal(r.verdict.status, 'verified');
  // Objects the old instance handed out are dead; a fresh one works.
  assert.ok(core.loaded().coreVersion());
});

test('a large message\'s content is hashed by WebCrypto, with the same verdicts', async () => {
  const core = await import('../../extension/background/core.js');
  const { verifyBytes } = await import('../../extension/background/smime.js');
  const raw = new Uint8Array(fs.readFileSync(path.join(FIX, 'large/large-detached.eml')));
  assert.ok(raw.length > 1024 * 1024);
  const roots = [Uint8Array.from(Buffer.from(rootB64, 'base64'))];
  const now = Math.floor(Date.now() / 1000);
  const job = await core.call((c) => new c.VerifyJob(raw, now, roots));
  const first = job.step();
  assert.deepEqual(first.digests.map((r) => [r.algorithm, r.kind, r.bytes]), [['SHA-256', 'message', undefined]], 'CRLF content is named by range');
  assert.ok(first.signatures.length >= 2, 'the signer\'s and the chain\'s signatures are asked for');
  // A wrong digest for the right request: never green.
  job.answer([new Uint8Array(32)], first.signatures.map(() => true));
  assert.equal(job.step().verdict.reason.kind, 'altered_content');
  job.free();
  // Count the digests WebCrypto computes for the background.
  const real = crypto.subtle.digest.bind(crypto.subtle);
  let calls = 0;
  crypto.subtle.digest = async (alg, data) => { calls += 1; return real(alg, data); };
  try {
    const v = await verifyBytes(raw);
    assert.equal(v.status, 'verified', JSON.stringify(v.reason));
    assert.equal(calls, 1, 'the content digest came from WebCrypto');
    assert.equal(v.details.covered.signature_kind, 'detached');
    assert.equal(v.details.chain.length, 3);
    // (The same verdict as the core alone, natively: tests/smime_offload.rs.)
    // One byte of the content changed: caught on this path too.
    const bad = raw.slice();
    const at = Buffer.from(bad).indexOf('Line 10000');
    bad[at] = 'X'.charCodeAt(0);
    assert.equal((await verifyBytes(bad)).reason.kind, 'altered_content');
    // WebCrypto failing: the core hashes instead.
    crypto.subtle.digest = async () => { throw new Error('no digest'); };
    assert.equal((await verifyBytes(raw)).status, 'verified');
  } finally {
    crypto.subtle.digest = real;
  }
});

test('signatures are checked by WebCrypto when the core asks, with the same verdicts', async () => {
  const core = await import('../../extension/background/core.js');
  const { verifyAt } = await import('../../extension/background/smime.js');
  const roots = [Uint8Array.from(Buffer.from(rootB64, 'base64'))];
  // The golden files' clock (tests/smime_verify.rs): 2027-01-01T00:00:00Z.
  const now = Date.UTC(2027, 0, 1) / 1000;
  const real = crypto.subtle.verify.bind(crypto.subtle);
  /** @type {string[]} */
  const schemes = [];
  try {
    crypto.subtle.verify = async (alg, key, sig, data) => { schemes.push(alg.name); return real(alg, key, sig, data); };
    for (const f of fs.readdirSync(path.join(FIX, 'generated')).filter((n) => n.endsWith('.eml'))) {
      const raw = new Uint8Array(fs.readFileSync(path.join(FIX, 'generated', f)));
      const v = await verifyAt(raw, now, roots);
      const golden = JSON.parse(fs.readFileSync(path.join(FIX, 'generated', f.replace('.eml', '.json')), 'utf8'));
      assert.deepEqual(v, golden, `${f}: the native engine's golden verdict`);
    }
    assert.ok(schemes.includes('RSASSA-PKCS1-v1_5') && schemes.includes('ECDSA'), `WebCrypto did the maths: ${[...new Set(schemes)]}`);
    const raw = new Uint8Array(fs.readFileSync(path.join(FIX, 'generated/001.eml')));
    assert.equal((await verifyAt(raw, now, roots)).status, 'verified');
    // The answers are used: a WebCrypto that says "no" makes the signature bad.
    crypto.subtle.verify = async () => false;
    assert.equal((await verifyAt(raw, now, roots)).reason.kind, 'bad_signature');
    // One that cannot check: the wasm has no RSA/ECDSA maths of its own (Cargo feature
    // `local-signatures` off), so the check is unsupported, never green.
    crypto.subtle.verify = async () => { throw new Error('unsupported'); };
    const v = await verifyAt(raw, now, roots);
    assert.equal(v.reason.kind, 'unsupported');
    assert.match(v.reason.what, /WebCrypto could not check/);
  } finally {
    crypto.subtle.verify = real;
  }
  // Answers that do not fit the requests are refused.
  const job = await core.call((c) => new c.VerifyJob(new Uint8Array(fs.readFileSync(path.join(FIX, 'generated/001.eml'))), now, roots));
  const step = job.step();
  assert.ok(step.signatures.length > 0);
  assert.throws(() => job.answer([], []), (e) => e.name === 'BadArgument');
  assert.throws(() => job.answer([], step.signatures.map(() => 'yes')), (e) => e.name === 'BadArgument');
  job.free();
});

test('named limits of the webmail state, hit exactly', async () => {
  const { smimePageHandlers: trust, MAX_USER_ROOTS } = await import('../../extension/background/smime.js');
  // The personal phrase.
  const at = 'x'.repeat(wm.MAX_MARK_PHRASE);
  assert.equal((await pages['webmail.setPersonalMark']({ phrase: at, color: '#123456' }, tab(0))).phrase, at);
  await assert.rejects(pages['webmail.setPersonalMark']({ phrase: `${at}x`, color: '#123456' }, tab(0)), (e) => e.name === 'BadMessage');
  // Webmail sites: the last one fits, one more is refused and nothing changes.
  const sites = (n) => Array.from({ length: n }, (_, i) => ({ origin: `https://mail${i}.example`, adapter: 'roundcube' }));
  local.set(wm.WEBMAIL_SITES_KEY, sites(wm.MAX_WEBMAIL_SITES - 1));
  await pages['webmail.enableSite']({ origin: 'https://last.example', adapter: 'roundcube' }, tab(0));
  assert.equal(local.get(wm.WEBMAIL_SITES_KEY).length, wm.MAX_WEBMAIL_SITES);
  await assert.rejects(pages['webmail.enableSite']({ origin: 'https://over.example', adapter: 'roundcube' }, tab(0)), (e) => e.name === 'TooMany');
  assert.equal(local.get(wm.WEBMAIL_SITES_KEY).length, wm.MAX_WEBMAIL_SITES);
  // The user's roots: filled with another certificate, the test root fits as the last one.
  const pemB64 = (f) => fs.readFileSync(path.join(FIX, f), 'utf8').replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');
  const file = fs.readFileSync(path.join(FIX, 'pki/root.pem')).toString('base64');
  const [shown] = await trust['trust.inspect']({ file });
  local.set('trust.userRoots', Array(MAX_USER_ROOTS).fill(pemB64('pki/inter.pem')));
  await assert.rejects(trust['trust.addRoots']({ file, fingerprints: [shown.fingerprint_sha256] }), (e) => e.name === 'TooMany');
  assert.equal(local.get('trust.userRoots').length, MAX_USER_ROOTS, 'nothing added');
  local.set('trust.userRoots', Array(MAX_USER_ROOTS - 1).fill(pemB64('pki/inter.pem')));
  await trust['trust.addRoots']({ file, fingerprints: [shown.fingerprint_sha256] });
  assert.equal(local.get('trust.userRoots').length, MAX_USER_ROOTS);
  // Signers remembered per address: the oldest is forgotten beyond the limit.
  local.set('trust.userRoots', [rootB64]);
  local.set(wm.WEBMAIL_SITES_KEY, [{ origin: 'http://127.0.0.1:8080', adapter: 'roundcube' }]);
  const seen = Object.fromEntries(Array.from({ length: wm.MAX_SEEN_ADDRESSES }, (_, i) => [`a${i}@example.net`, { sha256: 'ab', issuer: 'x', first_seen: '2026-01-01T00:00:00Z' }]));
  local.set(wm.SEEN_KEY, seen);
  await open(12, 'generated/001.eml');
  const after = local.get(wm.SEEN_KEY);
  assert.equal(Object.keys(after).length, wm.MAX_SEEN_ADDRESSES);
  assert.ok(!('a0@example.net' in after) && 'a1@example.net' in after && 'alice@example.com' in after);
});

test('a webmail framed by another site gets no verdict, no toolbar and no popup offer; a same-origin frame does', async () => {
  const framed = { id: 'test', url: 'http://127.0.0.1:8080/?_task=mail', tabUrl: 'https://hostile.example/game', tabId: 71, frameId: 3 };
  await assert.rejects(content['webmail.begin']({}, framed), { name: 'Refused' });
  await assert.rejects(content['webmail.verify']({ ticket: 'a'.repeat(32), raw: mail('generated/001.eml') }, framed), { name: 'Refused' });
  await assert.rejects(content['webmail.failed']({ ticket: 'a'.repeat(32), problem: 'http' }, framed), { name: 'Refused' });
  assert.deepEqual(await content['webmail.hello']({ adapter: 'roundcube' }, framed), { enabled: false });
  assert.equal(await pages['webmail.tabDetected']({ tabId: 71 }, tab(0)), null, 'the popup offers nothing for it');
  // Without the tab's URL only the top-level frame counts.
  const noTabUrl = { ...framed, tabUrl: undefined };
  await assert.rejects(content['webmail.begin']({}, noTabUrl), { name: 'Refused' });
  assert.equal(badges.get(71), undefined);
  assert.equal(await pages['webmail.tabVerdict']({ tabId: 71 }, tab(0)), null);
  // The same webmail as the tab's top-level page, or a frame of its origin in it, may.
  assert.equal((await open(72, 'generated/001.eml')).verdict.status, 'verified');
  assert.equal(badges.get(72).text, '✓');
});

test('a verdict that arrives after the content script said its message is gone is dropped; it names the bytes it verified', async () => {
  const { ticket } = await content['webmail.begin']({}, tab(73));
  await content['webmail.clear']({}, tab(73));
  const r = await content['webmail.verify']({ ticket, raw: mail('generated/001.eml') }, tab(73));
  assert.equal(r.current, false);
  assert.equal(badges.get(73).text, '', 'the toolbar stays empty');
  assert.deepEqual(await pages['webmail.tabVerdict']({ tabId: 73 }, tab(0)), { state: 'none' });
  const sha = (await import('node:crypto')).createHash('sha256').update(fs.readFileSync(path.join(FIX, 'generated/001.eml'))).digest('hex');
  assert.equal(r.digest, sha);
});

const { reportText, browserName } = await import('../../extension/ui/report.js');

test('diagnostics: each failed step gives its own report, with structure only; the site keeps its last result', async () => {
  const facts = { adapter: 'roundcube', page: '/?_task=mail&_action=preview&_uid=*&_mbox=*', probes: { body: true, header: true, preview: false, token: false } };
  /** @type {Map<string, string>} */
  const texts = new Map();
  for (const [problem, status] of /** @type {[string, number | undefined][]} */ ([['no_token', undefined], ['request_check', 200], ['http', 403], ['network', undefined], ['timeout', undefined], ['not_a_message', 200], ['too_large', undefined]])) {
    const { ticket } = await content['webmail.begin']({}, tab(30));
    await content['webmail.failed']({ ticket, problem, status, facts }, tab(30));
    const view = await pages['webmail.tabVerdict']({ tabId: 30 }, tab(0));
    assert.equal(view.state, 'failed');
    assert.deepEqual({ ...view.report, at: 'T' }, { ...facts, status: status ?? null, at: 'T' }, problem);
    if (status && status !== 200) assert.match(badges.get(30).title, new RegExp(`\\(HTTP ${status}\\)$`), 'the toolbar names the status');
    const text = reportText(view, { version: '1.2.3', browser: browserName('Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0 Safari/537.36') });
    assert.match(text, new RegExp(`Problem code: ${problem}\\b`));
    assert.match(text, /Browser: Chrome 156\n/);
    assert.match(text, /Page parts found: body yes, header yes, preview no, token no/);
    texts.set(problem, text);
  }
  const steps = [...texts.values()].map((t) => /Failed step: (.*)/.exec(t)?.[1]);
  assert.equal(new Set(steps).size, steps.length, 'every problem names its own step');
  // The options page: the last result per site, worked or failed.
  let sites = await pages['webmail.sites']({}, tab(0));
  assert.deepEqual({ ...sites.results['http://127.0.0.1:8080'], at: 'T' }, { adapter: 'roundcube', ok: false, problem: 'too_large', status: null, at: 'T' });
  const { ticket } = await content['webmail.begin']({}, tab(30));
  await content['webmail.verify']({ ticket, raw: mail('generated/001.eml'), adapter: 'roundcube' }, tab(30));
  sites = await pages['webmail.sites']({}, tab(0));
  assert.equal(sites.results['http://127.0.0.1:8080'].ok, true);
  assert.match(sites.results['http://127.0.0.1:8080'].at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

test('diagnostics: a report that carries more than structure is refused, and nothing is recorded', async () => {
  const { ticket } = await content['webmail.begin']({}, tab(31));
  const base = { adapter: 'roundcube', page: '/?_task=mail', probes: { body: true } };
  const refused = async (/** @type {any} */ facts, /** @type {unknown} */ status) =>
    assert.rejects(content['webmail.failed']({ ticket, problem: 'http', status, facts }, tab(31)), (e) => e.name === 'BadMessage');
  await refused({ ...base, page: '/?_task=mail&_uid=4711' });
  await refused({ ...base, page: '/SOGo/so/alice@example.com/Mail/' });
  await refused({ ...base, page: '/?_task=mail&subject=Hello Bob' });
  await refused({ ...base, page: 'x'.repeat(400) });
  await refused({ ...base, probes: { body: 'Hello Bob' } });
  await refused({ ...base, probes: Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`p${String.fromCharCode(97 + i)}`, true])) });
  await refused({ ...base, adapter: 'not-an-adapter' });
  await refused(base, 7000);
  await refused(base, '403');
  assert.equal(local.get(wm.WEBMAIL_RESULTS_KEY), undefined);
  assert.equal(badges.get(31).text, '…', 'the toolbar still says checking');
});
