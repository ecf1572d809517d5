// The background readies the S/MIME check when a webmail page says a message is coming
// (`webmail.begin` -> smime.js `warmUp`): once per worker, a check of the built-in warm-up
// message, which must match its fixtures, come out green (so that it runs the code a real check
// runs), store nothing and leave the answer to `webmail.begin` as it was. Its own file: the
// "once per worker" state is the module's, fresh here.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { installFakeBrowser, ROOT, spyVerify, waitUntil } from './fake-browser.mjs';
import { fixtures, warmUpModule } from '../../tools/warm-up-input.mjs';

const { local, session } = installFakeBrowser();
const wm = await import('../../extension/background/webmail.js');
const smime = await import('../../extension/background/smime.js');
const input = await import('../../extension/background/warm-up-input.js');

test('the warm-up message is the fixture it is made of (node tools/warm-up-input.mjs rewrites it)', () => {
  const { mail, rootDer } = fixtures();
  assert.equal(fs.readFileSync(path.join(ROOT, 'extension/background/warm-up-input.js'), 'utf8'), warmUpModule(mail, rootDer));
});

test('webmail.begin readies the check once per worker, after its answer, green and storing nothing', async () => {
  local.set(wm.WEBMAIL_SITES_KEY, [{ origin: 'http://127.0.0.1:8080', adapter: 'roundcube' }]);
  const tab = { id: 'test', url: 'http://127.0.0.1:8080/?_task=mail', tabUrl: 'http://127.0.0.1:8080/?_task=mail', tabId: 7, frameId: 1 };
  const { results: verified, restore } = spyVerify();
  try {
    const before = JSON.stringify([...local.entries()]);
    const { ticket } = await wm.webmailContentHandlers['webmail.begin']({}, tab);
    assert.match(ticket, /^[0-9a-f]+$/);
    assert.deepEqual(verified, [], 'nothing is checked before the answer');
    // Begun by webmail.begin itself (not by the call below, which only waits for it).
    await waitUntil(() => verified.length >= 2);
    assert.ok(verified.length >= 2, 'webmail.begin began the warm-up');
    await smime.warmUp();
    // The signer's and the intermediate's signatures, both good: the green path ran.
    assert.ok(verified.length >= 2 && verified.every(Boolean), JSON.stringify(verified));
    assert.equal(JSON.stringify([...local.entries()]), before, 'nothing stored');
    assert.ok(![...session.keys()].some((k) => k.includes('warm')), 'nothing about it in session storage');
    const count = verified.length;
    await wm.webmailContentHandlers['webmail.begin']({}, tab);
    await new Promise((r) => setTimeout(r, 0));
    await smime.warmUp();
    assert.equal(verified.length, count, 'once per worker');
  } finally {
    restore();
  }
  // Its verdict, which warmUp drops: verified, through the built-in root given to it alone.
  const v = /** @type {any} */ (await smime.verifyAt(
    Uint8Array.from(Buffer.from(input.WARM_UP_MAIL_B64, 'base64')), input.WARM_UP_NOW, [Uint8Array.from(Buffer.from(input.WARM_UP_ROOT_B64, 'base64'))],
  ));
  assert.equal(v.status, 'verified', JSON.stringify(v.reason));
  assert.equal(v.details.chain.length, 3);
});
