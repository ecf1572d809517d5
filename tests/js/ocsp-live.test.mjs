// Online revocation through the background (extension/background/smime.js and revocation.js)
// in Node, with the real wasm core and a live OCSP responder (`openssl ocsp` per request, behind
// a server on the port the fixture certificates name: tests/fixtures/ocsp/generate.sh,
// 127.0.0.1:18961; tests/e2e/lib/ocsp-responder.mjs). The background fetches, the core judges: good, revoked,
// unknown, the cache until nextUpdate, a responder that is down, and one that never answers.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';

import { startOcspResponder } from '../e2e/lib/ocsp-responder.mjs';
import { installFakeBrowser, ROOT } from './fake-browser.mjs';

const FIX = path.join(ROOT, 'tests/fixtures/ocsp');
const PORT = 18961;
const { local } = installFakeBrowser();
const smime = await import('../../extension/background/smime.js');
const rev = await import('../../extension/background/revocation.js');

const pem = (/** @type {string} */ name) => fs.readFileSync(path.join(FIX, `pki/${name}.pem`), 'utf8');
const rootB64 = pem('root').replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');
const mail = (/** @type {string} */ who) => new Uint8Array(fs.readFileSync(path.join(FIX, `mail-${who}.eml`)));

/** @type {import('node:http').Server | null} */
let responder = null;

/** Starts the responder (127.0.0.1 only, `openssl ocsp` per request: tests/e2e/lib/ocsp-responder.mjs). */
async function startResponder() {
  responder = await startOcspResponder({ dir: FIX, port: PORT });
}

async function stopResponder() {
  const p = responder;
  responder = null;
  if (p) await new Promise((r) => p.close(() => r(undefined)));
}

before(startResponder);
after(stopResponder);

beforeEach(() => {
  local.clear();
  local.set('trust.userRoots', [rootB64]);
});

const setMode = (/** @type {string} */ mode) => smime.smimePageHandlers['smime.setRevocation']({ mode });
const warnings = (/** @type {any} */ v) => v.details.warnings.map((/** @type {any} */ w) => w.kind);

test('off by default: nothing is fetched, the verdict names what could be', async () => {
  assert.deepEqual(await smime.smimePageHandlers['smime.revocation']({}), { mode: 'off' });
  const v = /** @type {any} */ (await smime.verifyBytes(mail('bob')));
  assert.equal(v.status, 'verified', 'bob is revoked, but nothing was asked');
  assert.equal(v.details.revocation[0].status.kind, 'not_checked');
  assert.equal(v.details.revocation[0].ocsp_url, `http://127.0.0.1:${PORT}/ocsp`);
  assert.equal(local.get(rev.OCSP_CACHE_KEY), undefined);
});

test('good, revoked and unknown from the live responder; answers kept until their nextUpdate', async () => {
  await setMode('soft');
  const good = /** @type {any} */ (await smime.verifyBytes(mail('alice')));
  assert.equal(good.status, 'verified');
  assert.deepEqual(warnings(good), []);
  assert.equal(good.details.revocation[0].status.kind, 'good');
  assert.equal(good.details.revocation[0].status.source, 'ocsp');
  const revoked = /** @type {any} */ (await smime.verifyBytes(mail('bob')));
  assert.equal(revoked.status, 'invalid');
  assert.equal(revoked.reason.kind, 'revoked');
  assert.deepEqual(revoked.details.revocation[0].status, { kind: 'revoked', source: 'ocsp', reason: 'keyCompromise', time: '2026-01-01T00:00:00Z' });
  const unknown = /** @type {any} */ (await smime.verifyBytes(mail('carol')));
  assert.equal(unknown.status, 'verified', 'soft-fail keeps the verdict');
  assert.deepEqual(warnings(unknown), ['revocation_not_checked']);
  const cache = /** @type {Record<string, { until: number }>} */ (local.get(rev.OCSP_CACHE_KEY));
  assert.equal(Object.keys(cache).length, 2, 'alice\'s and bob\'s answers, not the unknown one');
  const now = Date.now() / 1000;
  for (const e of Object.values(cache)) assert.ok(e.until > now + 6 * 86400 && e.until < now + 8 * 86400, 'seven days, the answer\'s own nextUpdate');
  await setMode('hard');
  const strict = /** @type {any} */ (await smime.verifyBytes(mail('carol')));
  assert.equal(strict.status, 'not_verified');
  assert.equal(strict.reason.kind, 'revocation_unknown');
});

test('a responder that is down: the cache answers, soft-fail notes it, hard-fail is not green', async () => {
  await setMode('soft');
  await smime.verifyBytes(mail('alice'));
  await stopResponder();
  try {
    const cached = /** @type {any} */ (await smime.verifyBytes(mail('alice')));
    assert.equal(cached.details.revocation[0].status.kind, 'good', 'from the cache');
    local.delete(rev.OCSP_CACHE_KEY);
    const soft = /** @type {any} */ (await smime.verifyBytes(mail('alice')));
    assert.equal(soft.status, 'verified');
    assert.deepEqual(warnings(soft), ['revocation_not_checked']);
    await setMode('hard');
    const hard = /** @type {any} */ (await smime.verifyBytes(mail('alice')));
    assert.equal(hard.status, 'not_verified');
    assert.equal(hard.reason.kind, 'revocation_unknown');
  } finally {
    await startResponder();
  }
});

test('a responder that never answers is given up after the time limit', async () => {
  /** @type {net.Socket[]} */
  const held = [];
  const server = net.createServer((s) => { held.push(s); });
  await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
  const port = /** @type {net.AddressInfo} */ (server.address()).port;
  try {
    const got = await rev.fetchOcsp(`http://127.0.0.1:${port}/ocsp`, new Uint8Array([0x30, 0x00]));
    assert.equal(got, null);
    assert.ok(held.length >= 1, 'the request reached the server');
  } finally {
    for (const s of held) s.destroy();
    await new Promise((r) => server.close(() => r(undefined)));
  }
});

test('an answer larger than the limit is not read, and only http(s) is fetched', async () => {
  const big = new Uint8Array(rev.MAX_OCSP_RESPONSE_BYTES + 1);
  const fake = async () => new Response(big, { status: 200 });
  assert.equal(await rev.fetchOcsp('http://127.0.0.1/ocsp', new Uint8Array(2), fake), null);
  const fits = async () => new Response(big.subarray(1), { status: 200 });
  assert.equal((await rev.fetchOcsp('http://127.0.0.1/ocsp', new Uint8Array(2), fits))?.length, rev.MAX_OCSP_RESPONSE_BYTES);
  let asked = false;
  const spy = async () => { asked = true; return new Response(''); };
  assert.equal(await rev.fetchOcsp('ldap://ca.example/ocsp', new Uint8Array(2), spy), null);
  assert.equal(await rev.fetchOcsp('file:///etc/passwd', new Uint8Array(2), spy), null);
  assert.equal(asked, false);
  await assert.rejects(setMode('always'), /off, soft or hard/);
});

test('when OCSP gives nothing usable, the CRL of the distribution point is fetched; a huge one is not read', async () => {
  const crl = fs.readFileSync(path.join(FIX, 'ca.crl'));
  let body = crl;
  let gets = 0;
  const http = await import('node:http');
  const server = http.createServer((req, res) => {
    gets++;
    res.writeHead(req.url === '/ca.crl' ? 200 : 404, { 'content-type': 'application/pkix-crl' });
    res.end(body);
  });
  await new Promise((r) => server.listen(18962, '127.0.0.1', () => r(undefined)));
  await stopResponder();
  try {
    await setMode('hard');
    const revoked = /** @type {any} */ (await smime.verifyBytes(mail('bob')));
    assert.equal(revoked.reason?.kind, 'revoked');
    assert.equal(revoked.details.revocation[0].status.source, 'crl');
    const good = /** @type {any} */ (await smime.verifyBytes(mail('alice')));
    assert.equal(good.status, 'verified', 'hard-fail, settled by the CRL');
    assert.deepEqual(good.details.revocation[0].status, { kind: 'good', source: 'crl' });
    assert.ok(gets >= 2);
    body = Buffer.alloc(rev.MAX_CRL_BYTES + 1);
    assert.equal(await rev.fetchCrl('http://127.0.0.1:18962/ca.crl'), null, 'over the size limit');
    const notRead = /** @type {any} */ (await smime.verifyBytes(mail('alice')));
    assert.equal(notRead.reason?.kind, 'revocation_unknown');
  } finally {
    await new Promise((r) => server.close(() => r(undefined)));
    await startResponder();
  }
});
