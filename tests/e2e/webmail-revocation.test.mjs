// Online revocation in a real Roundcube 1.6 (tests/webmail/), end to end in each browser, with
// the check on (soft-fail): three messages opened by clicking their rows, the verdict read from
// the toolbar (tests/e2e/webmail-roundcube.test.mjs says why there).
// - bob (tests/fixtures/ocsp): the live `openssl ocsp` responder on 127.0.0.1:18961 says
//   revoked: red "!", "has been revoked";
// - alice (the same CA): good: the plain green tick;
// - dora (tests/fixtures/aia): her mail lacks her CA's certificate, which the background fetches
//   from her caIssuers URL (127.0.0.1:18963/ca.der); her responder (127.0.0.1:18964) never
//   answers and her CRL is not there: the soft-fail wording, "could not be checked online".
// The browser holds no host permission for 127.0.0.1 (a test cannot click through the
// permission prompt), so the servers send the CORS headers a permission would make unneeded.
//
// Needs root and the packages of tests/webmail/install.sh; run under
// `flock /tmp/roundcube.lock` (the test bed is shared). WEBMAIL_E2E=0 skips it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BROWSERS, ROOT } from './lib/harness.mjs';
import { startOcspResponder } from './lib/ocsp-responder.mjs';
import { js } from './lib/pages.mjs';
import { checkEachMessage, prepareExtension, useRoundcube } from './lib/roundcube-ui.mjs';

const SKIP = process.env.WEBMAIL_E2E === '0';
const OCSP = path.join(ROOT, 'tests/fixtures/ocsp');
const AIA = path.join(ROOT, 'tests/fixtures/aia');
const CORS = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type', 'access-control-allow-methods': 'POST, GET' };
const rootOf = (/** @type {string} */ dir) => fs.readFileSync(path.join(dir, 'pki/root.pem'), 'utf8').replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');

/** The mailbox, in UID order, and what the toolbar must say. */
const MAILS = [
  { file: '01-bob-revoked.eml', from: path.join(OCSP, 'mail-bob.eml'), badge: '!', title: "The signer's certificate has been revoked." },
  { file: '02-alice-good.eml', from: path.join(OCSP, 'mail-alice.eml'), badge: '✓', title: 'Signed by alice@example.org; the message is unchanged.' },
  { file: '03-dora-unreachable.eml', from: path.join(AIA, 'mail-dora.eml'), badge: '✓!', title: 'could not be checked online whether the certificate of' },
];

/** @type {{ close: () => unknown }[]} */
const servers = [];
/** @type {net.Socket[]} */
const held = [];

// The responder (alice, bob), dora's caIssuers server (her CA's certificate; no CRL) and her
// responder, which never answers.
before(async () => {
  if (SKIP) return;
  servers.push(await startOcspResponder({ dir: OCSP, port: 18961, headers: CORS }));
  const files = http.createServer((req, res) => {
    if (req.url !== '/ca.der') { res.writeHead(404, CORS); res.end(); return; }
    res.writeHead(200, { ...CORS, 'content-type': 'application/pkix-cert' });
    res.end(fs.readFileSync(path.join(AIA, 'serve/ca.der')));
  });
  const hang = net.createServer((s) => { held.push(s); });
  await Promise.all([
    new Promise((r) => files.listen(18963, '127.0.0.1', () => r(undefined))),
    new Promise((r) => hang.listen(18964, '127.0.0.1', () => r(undefined))),
  ]);
  servers.push(files, hang);
});

after(async () => {
  for (const s of held) s.destroy();
  for (const s of servers) s.close();
});

for (const name of BROWSERS) {
  describe(`online revocation in Roundcube, ${name}`, () => {
    const bed = useRoundcube(name, 'impalemail-wm-revocation-', (dir) => {
      for (const m of MAILS) fs.copyFileSync(m.from, path.join(dir, m.file));
    });

    test('revoked is red, good is green, an unreachable responder gives the soft-fail wording', async (t) => {
      if (bed.skip) return t.skip('WEBMAIL_E2E=0');
      const { rc, browser } = bed.ready();
      const { ext, bar } = await prepareExtension(browser, { rootB64: rootOf(OCSP), origin: rc.origin, adapter: 'roundcube' });
      const api = browser.name === 'firefox' ? 'browser' : 'chrome';
      await ext.eval(`${api}.storage.local.set({ 'trust.userRoots': ${js([rootOf(OCSP), rootOf(AIA)])} })`);
      const set = await ext.eval(`${api}.runtime.sendMessage({ type: 'smime.setRevocation', mode: 'soft' })`);
      assert.deepEqual(set.value, { mode: 'soft' });
      await checkEachMessage(browser, rc, bar, MAILS);
      await ext.close();
    });
  });
}
