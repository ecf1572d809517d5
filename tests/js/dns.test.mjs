// DNS over HTTPS for DKIM (extension/background/dns.js, dkim.js) in Node, against the local
// stand-in (tests/e2e/lib/doh-server.mjs) serving the DKIM fixtures' keys and DMARC records
// (tests/fixtures/dkim/dns.json): the wire format both ways, the mapping of each way a resolver
// answers or fails to the core's `{ txt }` / `no_record` / `failed`, the TTL cache, the named
// limits, the setting (off by default, https only), and the one verdict the webmail shows.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { installFakeBrowser } from './fake-browser.mjs';
import { startDohServer, TTL } from '../e2e/lib/doh-server.mjs';

const { local, session, badges } = installFakeBrowser();
const dns = await import('../../extension/background/dns.js');
const { dkimAt, strongest } = await import('../../extension/background/dkim.js');
const wm = await import('../../extension/background/webmail.js');

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIX = path.join(ROOT, 'tests/fixtures/dkim');
/** @type {Record<string, any>} */
const ZONE = {
  ...JSON.parse(fs.readFileSync(path.join(FIX, 'dns.json'), 'utf8')),
  'alias._domainkey.example.com': { cname: 'rsa2048._domainkey.example.com' },
  'empty.example.com': { nodata: true },
};
const KEY = 'rsa2048._domainkey.example.com';
const mail = (/** @type {string} */ name) => fs.readFileSync(path.join(FIX, name));
/** The fixtures' check time (tests/dkim.rs). */
const NOW = 1_790_000_000;

/** @type {Awaited<ReturnType<typeof startDohServer>>} */
let doh;
before(async () => { doh = await startDohServer({ zone: ZONE }); });
after(async () => { await doh.close(); });
beforeEach(() => {
  dns.clearDnsCache();
  doh.asked.length = 0;
  local.clear();
  session.clear();
});

test('a key over 255 bytes comes back whole (its character-strings joined), several records each on its own', async () => {
  const got = await dns.lookupTxt(`${doh.url}/dns-query`, KEY, NOW);
  assert.deepEqual(got, { txt: ZONE[KEY] });
  assert.ok(ZONE[KEY][0].length > 255);
  const two = await dns.lookupTxt(`${doh.url}/dns-query`, 'rsa2048._domainkey.mail.example.com', NOW);
  assert.deepEqual(two, { txt: ZONE['rsa2048._domainkey.mail.example.com'] });
  assert.deepEqual(await dns.lookupTxt(`${doh.url}/dns-query`, 'alias._domainkey.example.com', NOW), { txt: ZONE[KEY] }, 'through a CNAME');
});

test('NXDOMAIN and NOERROR without TXT are "no record"; SERVFAIL, garbage, an HTTP error and silence are "failed"', async () => {
  assert.equal(await dns.lookupTxt(`${doh.url}/dns-query`, 'nope._domainkey.example.com', NOW), 'no_record');
  assert.equal(await dns.lookupTxt(`${doh.url}/dns-query`, 'empty.example.com', NOW), 'no_record');
  assert.equal(await dns.lookupTxt(`${doh.url}/nxdomain`, KEY, NOW), 'no_record');
  assert.equal(await dns.lookupTxt(`${doh.url}/servfail`, KEY, NOW), 'failed');
  assert.equal(await dns.lookupTxt(`${doh.url}/garbage`, KEY, NOW), 'failed');
  assert.equal(await dns.lookupTxt(`${doh.url}/no-such-path`, KEY, NOW), 'failed');
  assert.equal(await dns.lookupTxt(`${doh.url}/timeout`, KEY, NOW), 'failed', `no answer within ${dns.DOH_TIMEOUT_MS} ms`);
  assert.equal(await dns.lookupTxt('http://127.0.0.1:9/dns-query', KEY, NOW), 'failed', 'nothing listening');
});

test('an answer to another question, a truncated one, or one that runs off its end is "failed"', () => {
  const q = /** @type {Uint8Array} */ (dns.encodeQuery(KEY));
  assert.equal(dns.base64url(q).includes('='), false);
  // The stand-in's answer for KEY, then bent.
  const ok = Buffer.from(q);
  ok[2] = 0x81; ok[3] = 0x80; // QR RD RA, NOERROR, no answers: NODATA
  assert.deepEqual(dns.parseAnswer(ok, KEY), { result: 'no_record', ttl: dns.MIN_TTL_SECONDS });
  assert.equal(dns.parseAnswer(ok, 'other._domainkey.example.com').result, 'failed', 'another question');
  const tc = Buffer.from(ok); tc[2] |= 0x02;
  assert.equal(dns.parseAnswer(tc, KEY).result, 'failed', 'truncated');
  const query = Buffer.from(q);
  assert.equal(dns.parseAnswer(query, KEY).result, 'failed', 'a query, not an answer');
  const claims = Buffer.from(ok); claims[7] = 1; // one answer record that is not there
  assert.equal(dns.parseAnswer(claims, KEY).result, 'failed');
  const loop = Buffer.concat([ok.subarray(0, 12), Buffer.from([0xc0, 12])]);
  assert.equal(dns.parseAnswer(loop, KEY).result, 'failed', 'a name pointing at itself');
  assert.equal(dns.encodeQuery(`${'a'.repeat(64)}.example.com`), null, 'a label over 63 octets');
});

test('answers are kept for their TTL (bounded), negative ones for the SOA minimum; failures are not kept', async () => {
  const url = `${doh.url}/dns-query`;
  await dns.lookupTxt(url, KEY, NOW);
  await dns.lookupTxt(url, KEY, NOW + TTL - 1);
  assert.equal(doh.asked.length, 1, 'kept');
  await dns.lookupTxt(url, KEY, NOW + TTL);
  assert.equal(doh.asked.length, 2, 'asked again after the TTL');
  await dns.lookupTxt(url, 'nope.example.com', NOW);
  await dns.lookupTxt(url, 'nope.example.com', NOW + 59);
  assert.equal(doh.asked.length, 3);
  await dns.lookupTxt(url, 'nope.example.com', NOW + 60);
  assert.equal(doh.asked.length, 4, 'the SOA minimum (60 s) bounds the negative answer');
  const before = doh.asked.length;
  await dns.lookupTxt(`${doh.url}/servfail`, KEY, NOW);
  await dns.lookupTxt(`${doh.url}/servfail`, KEY, NOW);
  assert.equal(doh.asked.length, before + 2, 'a failure is asked again');
});

test('at most MAX_DNS_QUERIES_PER_MESSAGE names are asked for one message', async () => {
  const queries = Array.from({ length: dns.MAX_DNS_QUERIES_PER_MESSAGE + 2 }, (_, i) => ({ name: `s${i}._domainkey.example.com` }));
  const got = await dns.answerQueries(`${doh.url}/dns-query`, queries, NOW);
  assert.equal(doh.asked.length, dns.MAX_DNS_QUERIES_PER_MESSAGE);
  assert.deepEqual(got.slice(-2).map((a) => a.result), ['failed', 'failed']);
  assert.equal(got[0].result, 'no_record');
});

test('the setting: off by default; a custom resolver must be https (plain http only to this computer)', async () => {
  assert.deepEqual(await dns.dnsSettings(), { on: false, resolver: 'quad9', custom: '' });
  assert.equal(dns.resolverUrl('http://dns.example.net/dns-query'), null);
  assert.equal(dns.resolverUrl('https://user:pw@dns.example.net/dns-query'), null);
  assert.equal(dns.resolverUrl('ftp://dns.example.net/'), null);
  assert.equal(dns.resolverUrl('https://dns.example.net/dns-query'), 'https://dns.example.net/dns-query');
  assert.equal(dns.resolverUrl('http://127.0.0.1:8053/dns-query'), 'http://127.0.0.1:8053/dns-query');
  await assert.rejects(dns.setDnsSettings({ on: true, resolver: 'custom', custom: 'http://dns.example.net/q' }), { name: 'BadResolver' });
  await assert.rejects(dns.setDnsSettings({ on: true, resolver: 'custom' }), { name: 'BadResolver' });
  await assert.rejects(dns.setDnsSettings({ on: true, resolver: 'opendns' }), { name: 'BadMessage' });
  assert.deepEqual(await dns.setDnsSettings({ on: true, resolver: 'mullvad' }), { on: true, resolver: 'mullvad', custom: '' });
  assert.equal(dns.resolverOf(await dns.dnsSettings()), 'https://dns.mullvad.net/dns-query');
  assert.equal(dns.resolverOrigin('https://dns.mullvad.net/dns-query'), 'https://dns.mullvad.net/*');
  for (const r of dns.RESOLVERS) assert.match(r.url, /^https:\/\/[a-z0-9.-]+\/dns-query$/);
});

test('a DKIM check through the stand-in: green names the domain; a changed body is red under p=reject; DNS trouble is never green or red', async () => {
  const url = `${doh.url}/dns-query`;
  const good = /** @type {any} */ (await dkimAt(mail('rsa2048-relaxed.eml'), NOW, url));
  assert.equal(good.status, 'verified');
  assert.equal(good.signing_domain, 'example.com');
  assert.deepEqual([...doh.asked].sort(), ['_dmarc.example.com', KEY]);
  const changed = Buffer.from(mail('rsa2048-relaxed.eml').toString('latin1').replace('Alice\r\n', 'Mallory\r\n'), 'latin1');
  const bad = /** @type {any} */ (await dkimAt(changed, NOW, url));
  assert.deepEqual([bad.status, bad.reason.kind, bad.dmarc_policy], ['invalid', 'body_changed', 'reject']);
  for (const broken of ['timeout', 'garbage', 'servfail']) {
    dns.clearDnsCache();
    const v = /** @type {any} */ (await dkimAt(mail('rsa2048-relaxed.eml'), NOW, `${doh.url}/${broken}`));
    assert.deepEqual([v.status, v.reason.kind], ['not_verified', 'dns_failed'], broken);
  }
  dns.clearDnsCache();
  const none = /** @type {any} */ (await dkimAt(mail('rsa2048-relaxed.eml'), NOW, `${doh.url}/nxdomain`));
  assert.deepEqual([none.status, none.reason.kind], ['not_verified', 'key_not_found']);
});

test('one verdict: S/MIME when signed; DKIM when S/MIME found none and DNS is on; otherwise "not signed"', async () => {
  const smimeUnsigned = { status: 'not_verified', reason: { kind: 'unsigned' }, summary: 's', explanation: 'e', details: { from: [] } };
  const smimeSigned = { status: 'verified', reason: null, summary: 's', explanation: 'e', details: {} };
  const dkimGood = { status: 'verified', reason: null, summary: 'd', explanation: 'e', signing_domain: 'example.com' };
  assert.equal(strongest(smimeSigned, null), smimeSigned);
  assert.equal(strongest(smimeUnsigned, { ...dkimGood, reason: { kind: 'unsigned' }, status: 'not_verified' }), smimeUnsigned);
  assert.deepEqual(strongest(smimeUnsigned, dkimGood), { ...dkimGood, kind: 'dkim', details: { from: [] } });

  // Through the webmail handlers, as a Roundcube tab reports it.
  local.set(wm.WEBMAIL_SITES_KEY, [{ origin: 'http://127.0.0.1:8080', adapter: 'roundcube' }]);
  const tab = { id: 'test', url: 'http://127.0.0.1:8080/?_task=mail', tabUrl: 'http://127.0.0.1:8080/', tabId: 5, frameId: 0 };
  const open = async (/** @type {Buffer} */ raw) => {
    const { ticket } = await wm.webmailContentHandlers['webmail.begin']({}, tab);
    return /** @type {any} */ (await wm.webmailContentHandlers['webmail.verify']({ ticket, raw: raw.toString('base64') }, tab));
  };
  const off = await open(mail('rsa2048-relaxed.eml'));
  assert.equal(off.words.look, 'unsigned', 'DNS off: no lookups, "not signed"');
  assert.equal(doh.asked.length, 0);
  await dns.setDnsSettings({ on: true, resolver: 'custom', custom: `${doh.url}/dns-query` });
  const on = await open(mail('rsa2048-relaxed.eml'));
  assert.equal(on.words.look, 'domain');
  assert.equal(on.words.summary, "Sent through example.com's mail servers; the text is unchanged.");
  assert.match(on.words.explanation, /says nothing about which person wrote it/);
  assert.deepEqual(badges.get(5), { text: '@', color: '#1f5fa8', title: `ImpaleMail: ${on.words.summary}` });
  assert.equal(local.get(wm.SEEN_KEY), undefined, 'no key continuity for DKIM');
  const changed = Buffer.from(mail('rsa2048-relaxed.eml').toString('latin1').replace('Alice\r\n', 'Mallory\r\n'), 'latin1');
  const red = await open(changed);
  assert.equal(red.words.look, 'invalid');
  assert.equal(red.words.summary, 'The text was changed after the sender\'s domain signed it.');
  assert.match(red.words.explanation, /example\.com signs all its mail and asks that mail failing this check be rejected/);
  assert.equal(badges.get(5).text, '!');
  const signed = await open(fs.readFileSync(path.join(ROOT, 'tests/fixtures/smime/generated/001.eml')));
  assert.notEqual(signed.verdict.kind, 'dkim', 'an S/MIME-signed message is S/MIME\'s');
});

test('the alias-leak note on a DKIM-verified message names the domain DKIM proved', async () => {
  const { call } = await import('../../extension/background/core.js');
  local.set(wm.WEBMAIL_SITES_KEY, [{ origin: 'http://127.0.0.1:8080', adapter: 'roundcube' }]);
  // The fixtures are from alice@news.example.com (subdomain-from.eml: d=example.com) to bob@example.org.
  const csv = 'id,address,source,provider_id,site,origin,created,expires,state,label,note\r\n'
    + 't1,bob@example.org,catch-all,,shop.example.net,,1,,active,,\r\n';
  local.set('vault', await call((c) => c.vaultApply(undefined, { op: 'import', text: csv })));
  await dns.setDnsSettings({ on: true, resolver: 'custom', custom: `${doh.url}/dns-query` });
  const tab = { id: 'test', url: 'http://127.0.0.1:8080/?_task=mail', tabUrl: 'http://127.0.0.1:8080/', tabId: 6, frameId: 0 };
  const { ticket } = await wm.webmailContentHandlers['webmail.begin']({}, tab);
  const r = /** @type {any} */ (await wm.webmailContentHandlers['webmail.verify']({ ticket, raw: mail('subdomain-from.eml').toString('base64') }, tab));
  assert.equal(r.words.look, 'domain', JSON.stringify(r.verdict));
  assert.equal(r.verdict.signing_domain, 'example.com');
  assert.deepEqual(r.aliases.map((/** @type {any} */ a) => [a.sender_site, a.other_sender]), [['example.com', true]]);
  assert.match(r.words.personal.join(' '), /made for shop\.example\.net, but the sender is example\.com/);
});
