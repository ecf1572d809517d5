// The sync section's "Also sync the API keys of my alias services" box (issue #25 part 2), end
// to end in each browser: off by default; A's SimpleLogin key does not reach B until the box is
// ticked on both; then it does, sealed (the area never holds it in the clear). The test carries
// `storage.sync` between the two profiles, as the browser's sync engine would
// (tests/e2e/sync.test.mjs does the same for the records).
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { BROWSERS } from './lib/harness.mjs';
import { msg, sendFrom, text, ui, waitFor } from './lib/pages.mjs';
import { carry, useTwoProfiles } from './lib/sync-engine.mjs';

const KEY = 'sl-key-only-on-a';

/** "Sync now" through the background, then what the page shows. @param {import('./lib/chrome.mjs').PageHandle} page */
async function syncNow(page) {
  const r = await sendFrom(page, { type: 'sync.now' });
  assert.equal(r.ok, true, JSON.stringify(r));
}

/** Whether SimpleLogin is set up with a key on a profile. @param {import('./lib/chrome.mjs').PageHandle} page */
async function hasSimpleLoginKey(page) {
  const view = await sendFrom(page, { type: 'settings.get' });
  return view.value.providers.some((/** @type {any} */ p) => p.provider === 'simplelogin' && p.has_key);
}

for (const name of BROWSERS) {
  describe(`provider keys and sync in ${name}`, () => {
    /** @type {import('./lib/sync-engine.mjs').TwoProfiles['browserA']} */ let browserA;
    /** @type {import('./lib/sync-engine.mjs').TwoProfiles['browserB']} */ let browserB;
    /** @type {import('./lib/chrome.mjs').PageHandle} */ let a;
    /** @type {import('./lib/chrome.mjs').PageHandle} */ let b;
    useTwoProfiles(name, async (p) => {
      ({ browserA, browserB, a, b } = p);
    });

    test('the box is off by default; the key travels only once it is ticked on both profiles', async () => {
      const view = await sendFrom(a, { type: 'settings.get' });
      const saved = await sendFrom(a, { type: 'settings.set', settings: { ...view.value, providers: [...view.value.providers, { provider: 'simplelogin', enabled: true, key: KEY }] } });
      assert.equal(saved.ok, true, JSON.stringify(saved));
      await waitFor(a, `!!document.querySelector('#sync-on')`);
      await ui(browserA, a).click('#sync-on');
      await waitFor(a, `${text('#sync-code')}.length > 0`);
      const code = (await a.eval(text('#sync-code'))).replaceAll(' ', '-');
      assert.equal(await a.eval(`document.getElementById('sync-keys').checked`), false, 'off by default');
      assert.equal(await a.eval(text('label[for="sync-keys"]')), msg('syncKeys'));
      assert.equal(await a.eval(text('#sync-keys-help')), msg('syncKeysHelp'));

      await carry(a, b);
      const u = ui(browserB, b);
      await waitFor(b, `!!document.querySelector('#sync-join-code')`);
      await u.fill('#sync-join-code', code);
      await u.click('#sync-join-button');
      await waitFor(b, `${text('#sync-code')}.length > 0`);
      assert.equal(await hasSimpleLoginKey(b), false, 'no box: the key stays on A');

      // Ticked on A: A sends it (sealed); B takes it once B ticks too.
      await ui(browserA, a).click('#sync-keys');
      await waitFor(a, `document.getElementById('sync-keys')?.checked === true`);
      await ui(browserA, a).shot('#sync-section', path.join(browserA.outDir, 'options-sync-keys.png'));
      await syncNow(a);
      const area = await a.eval('(globalThis.browser ?? globalThis.chrome).storage.sync.get(null)');
      assert.ok(!JSON.stringify(area).includes(KEY), 'the browser vendor never sees the key');
      await carry(a, b);
      await syncNow(b);
      assert.equal(await hasSimpleLoginKey(b), false, 'not ticked on B yet');
      await u.click('#sync-keys');
      await waitFor(b, `document.getElementById('sync-keys')?.checked === true`);
      await syncNow(b);
      assert.equal(await hasSimpleLoginKey(b), true, 'ticked on both: the account is set up on B');
    });
  });
}
