// Verdicts belong to the top-level webmail and to one message (issue 27, #2 and #3), in each
// browser, against the Gmail and Outlook replicas (tests/e2e/lib/webmail-replicas.mjs):
//
// - A page of another origin frames an enabled webmail showing a validly signed message: no
//   tab's toolbar shows a verdict, the popup offers nothing, and nothing is fetched. The same
//   webmail framed by a page of its own origin (as Roundcube's preview is) does get its
//   verdict (so the frame test can fail).
// - A single-page webmail switches to another message under the same elements, by history
//   navigation (Outlook: pushState, the same heading and body reused) and by an attribute
//   change (Gmail: the message container's id attribute): the old badge goes, and the toolbar
//   and the one badge left show the new message's verdict; back again, the first's. Outlook
//   switching by replaceState (no event) with only an attribute of the reading pane changed:
//   the green badge and toolbar verdict go.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BROWSERS, ROOT, launchBrowser } from './lib/harness.mjs';
import { frameOf } from './lib/forms-pages.mjs';
import { js, ready, until, waitFor } from './lib/pages.mjs';
import { startServer } from './lib/server.mjs';
import { startGmailReplica, startOutlookReplica } from './lib/webmail-replicas.mjs';

const FIX = path.join(ROOT, 'tests/fixtures/smime');
const ROOT_B64 = fs.readFileSync(path.join(FIX, 'pki/root.pem'), 'utf8').replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');
const read = (/** @type {string} */ rel) => fs.readFileSync(path.join(FIX, rel));
const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));
/** Time given to a framed webmail to do what it would (ms): a wait, not a measured figure. */
const SETTLE_MS = 2500;
const BADGES = `document.querySelectorAll('impalemail-verdict').length`;

const GMAIL = [
  { id: '18c0ffee00000001', thread: 't1', subject: 'Valid', from: 'Alice Example', bodyHtml: '<p>Hello Bob</p>', raw: read('generated/001.eml') },
  { id: '18c0ffee00000002', thread: 't2', subject: 'Tampered', from: 'Alice Example', bodyHtml: '<p>Hello Rob</p>', raw: read('generated/016.eml') },
];
const OUTLOOK = [
  { id: 'AAMkAGI2TG93AAA+/bcd=', thread: 'a', subject: 'Valid', from: 'Alice Example', bodyHtml: '<p>Hello Bob</p>', raw: read('generated/001.eml') },
  { id: 'AAMkAGI2TG94AAA/+xyz=', thread: 'b', subject: 'Partly signed', from: 'Alice Example', bodyHtml: '<p>prepended</p>', raw: read('attacks/m1-prepended-text.eml') },
];

for (const name of BROWSERS) {
  describe(`verdicts bound to the top-level webmail and to one message, ${name}`, () => {
    /** @type {Awaited<ReturnType<typeof startGmailReplica>>} */ let gmail;
    /** @type {Awaited<ReturnType<typeof startOutlookReplica>>} */ let outlook;
    /** @type {Awaited<ReturnType<typeof startServer>>} */ let hostile;
    /** @type {Awaited<ReturnType<typeof launchBrowser>>} */ let browser;
    const api = name === 'firefox' ? 'browser' : 'chrome';

    before(async () => {
      gmail = await startGmailReplica({ messages: GMAIL });
      outlook = await startOutlookReplica({ messages: OUTLOOK });
      hostile = await startServer({
        routes: {
          // No CSP: the page frames the webmail, tiny and invisible.
          '/game.html': (_req, res) => {
            res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
            res.end(`<!doctype html><html><head><title>A game</title></head><body><h1>Play!</h1>
<iframe id="wm" src="${gmail.app}#inbox/t1" style="width: 400px; height: 300px; opacity: 0.01; border: 0"></iframe></body></html>`);
          },
        },
      });
      browser = await launchBrowser(name);
    });
    after(async () => {
      await browser?.close();
      gmail?.close();
      outlook?.close();
      hostile?.close();
    });

    /**
     * An extension page that reads the toolbar of every tab and sends as the popup, with the
     * test root trusted and checks turned on for `site`.
     * @param {{ origin: string }} site @param {string} adapter
     */
    async function extPage(site, adapter) {
      const ext = await browser.openExtensionPage('ui/options.html');
      await ready(ext);
      await ext.eval(`${api}.storage.local.set({ 'trust.userRoots': [${js(ROOT_B64)}] })`);
      const on = await ext.eval(`${api}.runtime.sendMessage(${js({ type: 'webmail.enableSite', origin: site.origin, adapter })})`);
      assert.equal(on.ok, true, js(on));
      return {
        ext,
        /** @param {number} tabId @returns {Promise<[string, string]>} */
        badgeOf: (tabId) => ext.eval(`Promise.all([${api}.action.getBadgeText({ tabId: ${tabId} }), ${api}.action.getTitle({ tabId: ${tabId} })])`),
        /** @returns {Promise<number[]>} */
        allTabs: () => ext.eval(`${api}.tabs.query({}).then((ts) => ts.map((t) => t.id))`),
        /** @param {Record<string, unknown>} m */
        send: (m) => ext.eval(`${api}.runtime.sendMessage(${js(m)})`),
      };
    }

    /** The one tab whose toolbar shows `text`. @param {Awaited<ReturnType<typeof extPage>>} x @param {string} text */
    const tabShowing = (x, text) => until(async () => {
      for (const id of await x.allTabs()) if ((await x.badgeOf(id))[0] === text) return id;
      return undefined;
    }, `a tab showing ${text}`);

    /**
     * Opens `url` (a replica showing a validly signed message): its tab shows ✓ and it has one badge.
     * @param {Awaited<ReturnType<typeof extPage>>} x @param {string} url
     */
    async function openVerified(x, url) {
      const page = await browser.open(url);
      await waitFor(page, `document.body.dataset.replica === 'ready'`);
      const tabId = await tabShowing(x, '✓');
      await until(() => page.eval(`${BADGES} === 1`), 'the badge of the first message');
      return { page, tabId };
    }

    test('a webmail framed by a page of another origin: no toolbar verdict, no popup offer, nothing fetched', async () => {
      const x = await extPage(gmail, 'gmail');
      const fetched = gmail.fetches.length;
      const page = await browser.open(`${hostile.origin}/game.html`);
      const frame = frameOf(browser, page, '#wm');
      await until(() => frame.eval(`document.body?.dataset.replica === 'ready' && !!document.querySelector('div.adn')`), 'the framed webmail to show the message');
      await sleep(SETTLE_MS);
      for (const id of await x.allTabs()) {
        assert.deepEqual((await x.badgeOf(id))[0], '', `tab ${id}: no toolbar verdict`);
        const v = await x.send({ type: 'webmail.tabVerdict', tabId: id });
        assert.ok(v.ok && (v.value === null || v.value.state === 'none'), `tab ${id}: nothing for the popup: ${js(v)}`);
        const d = await x.send({ type: 'webmail.tabDetected', tabId: id });
        assert.ok(d.ok && !d.value, `tab ${id}: no offer to turn it on: ${js(d)}`);
      }
      assert.equal(gmail.fetches.length, fetched, 'the framed webmail fetched nothing');
      assert.equal(await frame.eval(BADGES), 0, 'no badge in the frame either');
      await page.close();
      // The same message in a frame of the webmail's own origin gets its verdict on the tab.
      const own = await browser.open(`${gmail.origin}/replica/framed.html`);
      await tabShowing(x, '✓');
      await own.close();
      await x.ext.close();
    });

    test('Outlook: another message under the same heading by history navigation; back again', async () => {
      const x = await extPage(outlook, 'outlook');
      const { page, tabId } = await openVerified(x, `${outlook.app}/id/${encodeURIComponent(OUTLOOK[0].id)}`);
      // The page shows the second message in the same heading and body elements.
      await page.eval(`(() => {
        history.pushState({}, '', '/mail/0/inbox/id/' + encodeURIComponent(${js(OUTLOOK[1].id)}));
        document.querySelector('#ReadingPaneContainerId .subject').firstChild.data = ${js(OUTLOOK[1].subject)};
        document.querySelector('#ReadingPaneContainerId .body').firstChild.firstChild.data = 'prepended';
        return true; })()`);
      await until(async () => (await page.eval(BADGES)) === 1 && (await x.badgeOf(tabId))[0] === '?', 'one badge, and the second message\'s verdict on the toolbar');
      // Back: the first message again (the app renders it anew).
      await page.eval(`(history.back(), true)`);
      await until(async () => (await page.eval(BADGES)) === 1 && (await x.badgeOf(tabId))[0] === '✓' && (await page.eval('location.pathname')).endsWith(encodeURIComponent(OUTLOOK[0].id)), 'the first message\'s verdict again');
      await page.close();
      await x.ext.close();
    });

    test("Gmail: another message in the same container by a change of its id attribute", async () => {
      const x = await extPage(gmail, 'gmail');
      const { page, tabId } = await openVerified(x, `${gmail.app}#inbox/t1`);
      await page.eval(`(document.querySelector('div.adn').dataset.legacyMessageId = ${js(GMAIL[1].id)}, true)`);
      await until(async () => (await page.eval(BADGES)) === 1 && (await x.badgeOf(tabId))[0] === '!', 'one badge, and the tampered message\'s verdict on the toolbar');
      await page.close();
      await x.ext.close();
    });

    test('Gmail: another message in the same container by history navigation (pushState, the id attribute and texts reused); back again', async () => {
      const x = await extPage(gmail, 'gmail');
      const { page, tabId } = await openVerified(x, `${gmail.app}#inbox/t1`);
      await page.eval(`(() => {
        history.pushState({}, '', '#inbox/t2');
        const adn = document.querySelector('div.adn');
        adn.dataset.legacyMessageId = ${js(GMAIL[1].id)};
        document.querySelector('h2.hP').firstChild.data = ${js(GMAIL[1].subject)};
        adn.querySelector('.a3s p').firstChild.data = 'Hello Rob';
        return true; })()`);
      await until(async () => (await page.eval(BADGES)) === 1 && (await x.badgeOf(tabId))[0] === '!', 'one badge, and the tampered message\'s verdict on the toolbar');
      // Back: the app renders the first message anew.
      await page.eval(`(history.back(), true)`);
      await until(async () => (await page.eval(BADGES)) === 1 && (await x.badgeOf(tabId))[0] === '✓' && (await page.eval('location.hash')) === '#inbox/t1', 'the first message\'s verdict again');
      await page.close();
      await x.ext.close();
    });

    test('Outlook: another message by replaceState (no event), the reading pane changed only by an attribute: the green badge goes', async () => {
      const x = await extPage(outlook, 'outlook');
      const { page, tabId } = await openVerified(x, `${outlook.app}/id/${encodeURIComponent(OUTLOOK[0].id)}`);
      await page.eval(`(history.replaceState({}, '', '/mail/0/inbox/id/' + encodeURIComponent(${js(OUTLOOK[1].id)})),
        document.getElementById('ReadingPaneContainerId').setAttribute('aria-label', ${js(OUTLOOK[1].subject)}), true)`);
      // The first message's badge and toolbar verdict go; whatever shows after is the second's.
      await until(async () => {
        const t = (await x.badgeOf(tabId))[0];
        const n = await page.eval(BADGES);
        return t !== '✓' && n === (t === '?' ? 1 : 0) ? [t, n] : undefined;
      }, 'the green verdict to go');
      await sleep(SETTLE_MS);
      // The second message may have been checked meanwhile (its verdict is "?"): never the
      // first one's green again, and at most the second one's badge.
      const [text, badges] = [(await x.badgeOf(tabId))[0], await page.eval(BADGES)];
      assert.ok(text !== '✓' && badges === (text === '?' ? 1 : 0), `no green verdict comes back for the message no longer shown (${text}, ${badges} badges)`);
      await page.close();
      await x.ext.close();
    });
  });
}
