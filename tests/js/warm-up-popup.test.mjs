// The popup's file check readies the S/MIME check as webmail.begin does (warm-up.test.mjs): a
// drag with files or the file check opened sends `smime.ready`, whose answer comes first and
// which begins the warm-up once per worker. Its own file for a fresh worker state.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { installFakeBrowser, spyVerify, waitUntil } from './fake-browser.mjs';

installFakeBrowser();
const wm = await import('../../extension/background/webmail.js');
const smime = await import('../../extension/background/smime.js');

test('smime.ready begins the warm-up after its answer, once per worker', async () => {
  const { results, restore } = spyVerify();
  try {
    assert.deepEqual(await wm.webmailPageHandlers['smime.ready']({}, { url: 'chrome-extension://x/ui/popup.html' }), {});
    assert.deepEqual(results, [], 'nothing is checked before the answer');
    await waitUntil(() => results.length >= 2);
    assert.ok(results.length >= 2 && results.every(Boolean), `smime.ready began a green check: ${JSON.stringify(results)}`);
    await smime.warmUp();
    const count = results.length;
    await wm.webmailPageHandlers['smime.ready']({}, {});
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(results.length, count, 'once per worker');
  } finally {
    restore();
  }
});
