// The vault under concurrent writes, end to end in each browser: three extension pages fire
// 40 `alias.create` messages each at the same moment (120 in flight), and every record must
// be in the vault afterwards, stored (journal empty), and still there after a page reload.
// In Chromium the service worker is then stopped through the DevTools protocol, and the next
// `alias.list` (which wakes it) must still see all 120.
//
// The three pages start together: each waits for a "go" on a BroadcastChannel, so the bursts
// overlap in the background rather than running one page after another (WebDriver runs one
// command at a time, so firing from Node page by page would not overlap in Firefox).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BROWSERS, launchBrowser } from './lib/harness.mjs';
import { msg, popupReady, ready, reload, sendFrom, text, waitFor } from './lib/pages.mjs';

const CATCH_ALL = 'aliases.example.test';
const PAGES = 3;
const PER_PAGE = 40;
const TOTAL = PAGES * PER_PAGE;
/** Longest the whole burst may take before the test gives up (ms); it prints how long it took. */
const BURST_TIMEOUT_MS = 180000;

/**
 * Readies a burst of `alias.create` messages in one page, to start on a "go" from the channel.
 * Results land in the DOM (shared with every
 * script world, including WebDriver's sandbox) as JSON.
 * @param {number} page
 */
function armBurst(page) {
  return `(() => {
    const root = document.documentElement;
    const api = globalThis.browser ?? globalThis.chrome;
    delete root.dataset.burst;
    const go = () => {
      root.dataset.burstStarted = String(Date.now());
      const sends = Array.from({ length: ${PER_PAGE} }, (_, i) =>
        api.runtime.sendMessage({ type: 'alias.create', url: 'https://site-${page}-' + i + '.example/signup', source: 'catch-all' }));
      Promise.all(sends).then(
        (replies) => { root.dataset.burst = JSON.stringify(replies); },
        (e) => { root.dataset.burst = JSON.stringify([{ ok: false, error: { name: 'Thrown', message: String(e) } }]); });
    };
    // An open channel with a listener stays alive as long as its page.
    new BroadcastChannel('impalemail-burst').onmessage = () => go();
    return true;
  })()`;
}

/** @param {import('./lib/chrome.mjs').PageHandle} page */
async function listCount(page) {
  const reply = await sendFrom(page, { type: 'alias.list' });
  assert.equal(reply.ok, true, JSON.stringify(reply));
  return /** @type {{ id: string }[]} */ (reply.value.records);
}

for (const name of BROWSERS) {
  describe(`vault under concurrent writes in ${name}`, () => {
    /** @type {Awaited<ReturnType<typeof launchBrowser>>} */ let browser;
    /** @type {import('./lib/chrome.mjs').PageHandle[]} */ const pages = [];
    /** Ids of the records the replies reported. */
    let created = /** @type {Set<string>} */ (new Set());

    before(async () => {
      browser = await launchBrowser(name);
    });
    after(async () => {
      await browser?.close();
    });

    test(`${TOTAL} alias.create from ${PAGES} pages at once: every record is stored`, async () => {
      for (let i = 0; i < PAGES; i++) {
        const page = await browser.openExtensionPage('ui/popup.html');
        await ready(page);
        await popupReady(page);
        pages.push(page);
      }
      const view = await sendFrom(pages[0], { type: 'settings.get' });
      assert.equal(view.ok, true);
      const saved = await sendFrom(pages[0], { type: 'settings.set', settings: { ...view.value, catch_all_domain: CATCH_ALL } });
      assert.equal(saved.ok, true, JSON.stringify(saved));
      assert.equal((await listCount(pages[0])).length, 0, 'a fresh vault');

      for (const [i, page] of pages.entries()) assert.equal(await page.eval(armBurst(i)), true);
      const t0 = Date.now();
      // A channel's message reaches every other channel of that name, this page's own included.
      await pages[0].eval(`(() => { const c = new BroadcastChannel('impalemail-burst'); c.postMessage('go'); c.close(); return true; })()`);
      /** @type {{ ok: boolean, value?: { id: string, address: string, source: string, site: string }, error?: unknown }[]} */
      const replies = [];
      const started = [];
      for (const page of pages) {
        const json = await waitFor(page, `document.documentElement.dataset.burst`, BURST_TIMEOUT_MS);
        replies.push(...JSON.parse(json));
        started.push(Number(await page.eval(`document.documentElement.dataset.burstStarted`)));
      }
      console.log(`# ${name}: ${TOTAL} alias.create from ${PAGES} pages answered in ${Date.now() - t0} ms (pages started within ${Math.max(...started) - Math.min(...started)} ms)`);

      const failed = replies.filter((r) => !r.ok);
      assert.deepEqual(failed, [], 'every create succeeded');
      assert.equal(replies.length, TOTAL);
      const records = replies.map((r) => /** @type {NonNullable<typeof r.value>} */ (r.value));
      created = new Set(records.map((r) => r.id));
      assert.equal(created.size, TOTAL, 'the generator made a new address every time');
      assert.equal(new Set(records.map((r) => r.address)).size, TOTAL);
      for (const r of records) {
        assert.equal(r.source, 'catch-all');
        assert.ok(r.address.endsWith(`@${CATCH_ALL}`), r.address);
      }
      assert.deepEqual(new Set(records.map((r) => r.site)).size, TOTAL, 'one record per site');

      // The vault holds all of them, and they are in storage (no write left in the journal).
      const listed = await listCount(pages[1]);
      assert.equal(listed.length, TOTAL);
      assert.deepEqual(new Set(listed.map((r) => r.id)), created);
      const stored = await pages[2].eval(`(globalThis.browser ?? globalThis.chrome).storage.local.get(['vault', 'vault.journal'])`);
      assert.deepEqual(stored['vault.journal'], [], 'the journal is empty');
      const doc = JSON.parse(stored.vault);
      assert.deepEqual(new Set(doc.records.map((/** @type {{ id: string }} */ r) => r.id)), created, 'the stored document holds every record');
    });

    test('a reloaded page still shows all of them', async () => {
      const page = pages[0];
      await reload(page);
      await popupReady(page);
      assert.equal(await page.eval(text('#all-heading')), msg('popupAllHeading'));
      assert.equal(await page.eval(`document.querySelectorAll('#all-list li.alias').length`), TOTAL);
      assert.deepEqual(new Set(await page.eval(`[...document.querySelectorAll('#all-list li.alias')].map((li) => li.dataset.id)`)), created);
    });

    test('after the service worker is stopped, the next alias.list wakes it and sees all of them', { skip: name !== 'chrome' && 'Firefox runs the background as an event page, not a service worker' }, async () => {
      const ctx = pages[0].raw.context();
      const [worker] = ctx.serviceWorkers();
      assert.ok(worker, 'the service worker runs');
      // Something only this instance of the worker holds: gone once it has really stopped.
      await worker.evaluate(`globalThis.impalemailTestMarker = 'before-stop'`);
      // DevTools' ServiceWorker domain, from a web page's session (a session on one of the
      // extension's own pages would stop with it).
      const blank = await browser.open('about:blank');
      const cdp = await ctx.newCDPSession(blank.raw);
      /** @type {string[]} */
      const states = [];
      cdp.on('ServiceWorker.workerVersionUpdated', (/** @type {{ versions: { scriptURL: string, runningStatus: string }[] }} */ e) => {
        for (const v of e.versions) if (v.scriptURL.startsWith(browser.extensionOrigin)) states.push(v.runningStatus);
      });
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      const t0 = Date.now();
      while (states.at(-1) !== 'stopped') {
        if (Date.now() - t0 > 15000) assert.fail(`the worker did not stop (states: ${states.join(', ')})`);
        await new Promise((r) => setTimeout(r, 50));
      }

      const listed = await listCount(pages[1]);
      assert.equal(listed.length, TOTAL);
      assert.deepEqual(new Set(listed.map((r) => r.id)), created);
      assert.equal(states.at(-1), 'running', `the message woke the worker (states: ${states.join(', ')})`);
      const markers = await Promise.all(ctx.serviceWorkers().map((w) => w.evaluate(`globalThis.impalemailTestMarker ?? null`).catch(() => 'gone')));
      assert.ok(!markers.includes('before-stop'), `a new worker instance answered (markers: ${markers.join(', ')})`);
      await cdp.detach();
      await blank.close();
    });
  });
}
