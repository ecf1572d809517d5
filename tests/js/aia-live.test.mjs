// Missing intermediates from caIssuers (RFC 5280 §4.2.2.1) through the background
// (extension/background/smime.js and revocation.js) in Node, with the real wasm core: a file
// server on the port the fixture certificates name (tests/fixtures/aia/generate.sh,
// 127.0.0.1:18963) and an OCSP responder (`openssl ocsp` per request, 127.0.0.1:18964, whose
// certificate has no id-pkix-ocsp-nocheck, so its CRL is fetched too). The background fetches,
// the core judges: a DER certificate, a certs-only PKCS#7, two levels, garbage, a loop, an
// answer too large, a server that never answers, a chain deeper than the rounds allowed; each
// URL kept in the cache.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';

import { startOcspResponder } from '../e2e/lib/ocsp-responder.mjs';
import { installFakeBrowser, ROOT } from './fake-browser.mjs';

const FIX = path.join(ROOT, 'tests/fixtures/aia');
const { local } = installFakeBrowser();
const smime = await import('../../extension/background/smime.js');
const rev = await import('../../extension/background/revocation.js');

const rootB64 = fs.readFileSync(path.join(FIX, 'pki/root.pem'), 'utf8').replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');
const mail = (/** @type {string} */ who) => new Uint8Array(fs.readFileSync(path.join(FIX, `mail-${who}.eml`)));

/** Every path asked of the file server. @type {string[]} */
const seen = [];
/** @type {import('node:net').Socket[]} */
const held = [];
const files = http.createServer((req, res) => {
  const p = String(req.url);
  seen.push(p);
  if (p === '/hang') { held.push(req.socket); return; }
  if (p === '/huge') { res.writeHead(200); res.end(Buffer.alloc(rev.MAX_CA_ISSUERS_BYTES + 1, 0x30)); return; }
  const f = path.join(FIX, 'serve', path.basename(p));
  if (!fs.existsSync(f)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200);
  res.end(fs.readFileSync(f));
});
/** @type {import('node:http').Server | null} */
let responder = null;

before(async () => {
  await new Promise((r) => files.listen(18963, '127.0.0.1', () => r(undefined)));
  responder = await startOcspResponder({ dir: FIX, port: 18964, responder: 'responder-checked' });
});
after(async () => {
  for (const s of held) s.destroy();
  await new Promise((r) => files.close(() => r(undefined)));
  const p = responder;
  if (p) await new Promise((r) => p.close(() => r(undefined)));
});
beforeEach(async () => {
  local.clear();
  local.set('trust.userRoots', [rootB64]);
  seen.length = 0;
  await smime.smimePageHandlers['smime.setRevocation']({ mode: 'hard' });
});

const verify = async (/** @type {string} */ who) => /** @type {any} */ (await smime.verifyBytes(mail(who)));
const chainLength = (/** @type {any} */ v) => v.details.chain.length;

test('off: nothing is fetched, the verdict names the caIssuers URL', async () => {
  await smime.smimePageHandlers['smime.setRevocation']({ mode: 'off' });
  const v = await verify('dora');
  assert.equal(v.reason.kind, 'untrusted_root');
  assert.deepEqual(v.details.signer.ca_issuers, ['http://127.0.0.1:18963/ca.der']);
  assert.deepEqual(seen, []);
});

test('a DER certificate completes the path; OCSP then the responder\'s CRL settle it; the answer is cached by URL', async () => {
  const v = await verify('dora');
  assert.equal(v.status, 'verified', JSON.stringify(v.reason));
  assert.equal(chainLength(v), 3);
  assert.equal(v.details.revocation[0].status.kind, 'good');
  assert.equal(v.details.revocation[0].status.source, 'ocsp');
  assert.deepEqual(seen, ['/ca.der', '/ca.crl']);
  assert.ok(local.get(rev.CA_ISSUERS_CACHE_KEY)['http://127.0.0.1:18963/ca.der']);
  seen.length = 0;
  assert.equal((await verify('dora')).status, 'verified');
  assert.ok(!seen.includes('/ca.der'), 'the cached certificate is not fetched again');
});

test('a certs-only PKCS#7, and two missing levels in two rounds', async () => {
  // Soft: the responder does not know fritz or emil ("unknown"), which hard-fail refuses.
  await smime.smimePageHandlers['smime.setRevocation']({ mode: 'soft' });
  const fritz = await verify('fritz');
  assert.equal(chainLength(fritz), 3);
  const emil = await verify('emil');
  assert.equal(chainLength(emil), 4);
  assert.deepEqual(seen.filter((p) => p !== '/ca.crl'), ['/ca.p7c', '/sub.der']);
});

test('garbage, too large and a server that never answers: no path, said plainly', async () => {
  for (const who of ['gus', 'hana', 'ivo']) {
    const v = await verify(who);
    assert.equal(v.status, 'not_verified', who);
    assert.equal(v.reason.kind, 'untrusted_root', who);
  }
  assert.deepEqual(seen, ['/garbage', '/huge', '/hang']);
  assert.equal(local.get(rev.CA_ISSUERS_CACHE_KEY), undefined, 'nothing usable was kept');
});

test('issuers that point at each other are fetched once each', async () => {
  const v = await verify('jan');
  assert.equal(v.reason.kind, 'untrusted_root');
  assert.deepEqual(seen, ['/loop-a.der', '/loop-b.der']);
});

test('a chain deeper than the rounds allowed stops after the last round', async () => {
  await smime.smimePageHandlers['smime.setRevocation']({ mode: 'soft' });
  const v = await verify('kai');
  assert.equal(v.reason.kind, 'untrusted_root');
  assert.deepEqual(seen, ['/deep-3.der', '/deep-2.der', '/deep-1.der'].slice(0, rev.MAX_CA_ISSUERS_ROUNDS));
  assert.deepEqual(v.details.signer.ca_issuers, ['http://127.0.0.1:18963/ca.der'], 'the next level is still named');
});
