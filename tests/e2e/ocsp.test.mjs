// Online revocation in the real browsers: the options page's setting, and a message checked by
// the extension's background, which fetches the OCSP answer from a live `openssl ocsp`
// responder on 127.0.0.1 and hands it to the wasm core (tests/fixtures/ocsp: the certificates
// name http://127.0.0.1:18961/ocsp).
//
// The browser here holds no host permission for 127.0.0.1 (the options page asks for
// `http://*/*` when the user turns the check on, which a test cannot click through), so the
// responder's server (tests/e2e/lib/ocsp-responder.mjs) adds the CORS headers a permission would
// make unneeded.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BROWSERS, ROOT, launchBrowser } from './lib/harness.mjs';
import { startOcspResponder } from './lib/ocsp-responder.mjs';
import { js, ready, waitFor } from './lib/pages.mjs';

const FIX = path.join(ROOT, 'tests/fixtures/ocsp');
const FRONT_PORT = 18961;
const ROOT_B64 = fs.readFileSync(path.join(FIX, 'pki/root.pem'), 'utf8').replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');
const mail = (/** @type {string} */ who) => fs.readFileSync(path.join(FIX, `mail-${who}.eml`)).toString('base64');
const CORS = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type', 'access-control-allow-methods': 'POST, GET' };

/** @type {import('node:http').Server | null} */
let front = null;
let asked = 0;

// The responder on 127.0.0.1, with the CORS headers the test browser needs (it has no host
// permission), counting what it is asked.
before(async () => {
  front = await startOcspResponder({ dir: FIX, port: FRONT_PORT, headers: CORS, onRequest: () => { asked++; } });
});

after(async () => {
  await new Promise((r) => (front ? front.close(() => r(undefined)) : r(undefined)));
});

for (const name of BROWSERS) {
  describe(`online revocation in ${name}`, () => {
    /** @type {any} */
    let browser;
    before(async () => { browser = await launchBrowser(name); });
    after(async () => { await browser?.close(); });

    test('off by default with the privacy note; with the check on, a revoked signer is red and a good one green', async () => {
      asked = 0;
      const ext = await browser.openExtensionPage('ui/options.html');
      await ready(ext);
      const api = '(globalThis.browser ?? globalThis.chrome)';
      const send = (/** @type {Record<string, unknown>} */ m) => ext.eval(`${api}.runtime.sendMessage(${js(m)})`);
      await waitFor(ext, `document.body.dataset.smimeReady === '1'`);
      assert.equal(await ext.eval(`document.querySelector('input[name="revocation"]:checked')?.value`), 'off');
      const note = await ext.eval(`document.querySelector('#revocation-section .help').textContent`);
      assert.match(note, /learns which certificate is checked, and when/);
      await ext.eval(`${api}.storage.local.set({ 'trust.userRoots': [${js(ROOT_B64)}] })`);

      const off = await send({ type: 'smime.checkFile', raw: mail('bob'), kind: 'eml' });
      assert.equal(off.value.verdict.status, 'verified', 'off: nothing asked, bob looks fine');
      assert.equal(asked, 0);

      assert.deepEqual((await send({ type: 'smime.setRevocation', mode: 'hard' })).value, { mode: 'hard' });
      const bob = await send({ type: 'smime.checkFile', raw: mail('bob'), kind: 'eml' });
      assert.equal(bob.value.verdict.status, 'invalid', JSON.stringify(bob.value.verdict));
      assert.equal(bob.value.verdict.reason.kind, 'revoked');
      assert.deepEqual(bob.value.verdict.details.revocation[0].status, { kind: 'revoked', source: 'ocsp', reason: 'keyCompromise', time: '2026-01-01T00:00:00Z' });
      const alice = await send({ type: 'smime.checkFile', raw: mail('alice'), kind: 'eml' });
      assert.equal(alice.value.verdict.status, 'verified', JSON.stringify(alice.value.verdict));
      assert.equal(alice.value.verdict.details.revocation[0].status.source, 'ocsp');
      const before = asked;
      await send({ type: 'smime.checkFile', raw: mail('alice'), kind: 'eml' });
      assert.equal(asked, before, 'the second check of alice used the kept answer');
      await send({ type: 'smime.setRevocation', mode: 'off' });
      await ext.close();
    });
  });
}
