// A hostile page, in each browser: what its scripts can learn about ImpaleMail and make it do.
// (Synthetic clicks and keys on the alias button, and a mail drawing a fake verdict badge, are
// tested in forms-fill.test.mjs and the webmail tests.)
//
// - The page gets no channel to the extension: no `chrome.runtime` / `browser` in its world, no
//   web-accessible resource to fetch, and its `postMessage` traffic is ignored.
// - Nothing is put on the page's `window` or on its elements' attributes; the button's shadow
//   root is closed.
// - A page that imitates a webmail on an origin the user did not turn on makes the extension
//   fetch nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BROWSERS, launchBrowser } from './lib/harness.mjs';
import { HOST_SELECTOR, contentScriptReady, sleep } from './lib/forms-pages.mjs';
import { js, ready, sendFrom, waitFor } from './lib/pages.mjs';
import { STRICT_CSP, startServer } from './lib/server.mjs';

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Join — hostile</title><script src="/hostile.js"></script></head>
<body>
<form id="signup" action="/register" method="post">
  <label>Email address <input type="email" id="email" name="email" autocomplete="email"></label>
  <label>Password <input type="password" id="password" name="password" autocomplete="new-password"></label>
  <button type="submit">Create account</button>
</form>
<p data-impalemail-selftest data-input="hostile">waiting</p>
</body></html>`;

// Runs before the content script (document_idle): records the page's own globals and
// attributes, probes for an extension channel, then spams what a page can send.
const SCRIPT = `
const own = Object.getOwnPropertyNames(window).sort();
const probes = {
  chromeRuntime: typeof globalThis.chrome === 'object' && globalThis.chrome !== null ? typeof globalThis.chrome.runtime : 'undefined',
  browser: typeof globalThis.browser,
};
document.addEventListener('DOMContentLoaded', () => {
  document.documentElement.dataset.own = JSON.stringify(own);
  document.documentElement.dataset.probes = JSON.stringify(probes);
  const attrs = (el) => [...el.attributes].map((a) => a.name + '=' + a.value).sort().join(' ');
  document.documentElement.dataset.inputAttrs = JSON.stringify([...document.querySelectorAll('input, form')].map(attrs));
  let n = 0;
  const spam = setInterval(() => {
    for (const type of ['forms.createAlias', 'alias.create', 'webmail.verify', 'core.selftest']) {
      window.postMessage({ type, url: location.href, source: 'impalemail' }, '*');
      window.dispatchEvent(new CustomEvent('impalemail', { detail: { type } }));
    }
    if (++n > 20) clearInterval(spam);
  }, 50);
});
`;

/** A page that imitates Roundcube's message view (set_env with a token, #messagebody). */
const FAKE_ROUNDCUBE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Roundcube Webmail :: look-alike</title>
<script>rcmail.set_env({"request_token":"AAAAAAAAAAAAAAAAAAAAAAAA"});</script></head>
<body><div id="message-header"><h2 class="subject">Invoice</h2></div><div id="messagebody"><p>Pay now.</p></div></body></html>`;

for (const name of BROWSERS) {
  describe(`a hostile page, ${name}`, () => {
    /** @type {Awaited<ReturnType<typeof startServer>> | undefined} */ let site;
    /** @type {Awaited<ReturnType<typeof launchBrowser>> | undefined} */ let browser;
    /** Requests the fake webmail received. @type {string[]} */
    const hits = [];

    before(async () => {
      const html = (/** @type {string} */ body) => (/** @type {any} */ _req, /** @type {any} */ res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': STRICT_CSP });
        res.end(body);
      };
      const script = (/** @type {string} */ body) => (/** @type {any} */ _req, /** @type {any} */ res) => {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(body);
      };
      site = await startServer({
        routes: {
          '/hostile.html': html(PAGE),
          '/hostile.js': script(SCRIPT),
          '/webmail/': (req, res) => {
            hits.push(req.url ?? '');
            html(FAKE_ROUNDCUBE)(req, res);
          },
        },
      });
      browser = await launchBrowser(name);
    });
    after(async () => {
      await browser?.close();
      site?.close();
    });

    test('the page gets no channel, no globals, no attributes, no resources; its messages do nothing', async () => {
      assert.ok(site && browser);
      const page = await browser.open(`${site.origin}/hostile.html`);
      await contentScriptReady(page);
      await page.eval(`(document.getElementById('email').focus(), 1)`);
      await waitFor(page, `!!document.querySelector(${js(HOST_SELECTOR)})`, 'the alias button');
      await sleep(1500); // the page's spam runs its course

      const probes = JSON.parse(await page.eval(`document.documentElement.dataset.probes`));
      assert.deepEqual(probes, { chromeRuntime: 'undefined', browser: 'undefined' }, 'no extension API in the page world');
      const own = JSON.parse(await page.eval(`document.documentElement.dataset.own`));
      const now = await page.eval(`Object.getOwnPropertyNames(window).sort()`);
      assert.deepEqual(now.filter((/** @type {string} */ k) => !own.includes(k)), [], 'nothing added to window');
      const attrs = await page.eval(`JSON.stringify([...document.querySelectorAll('input, form')].map((el) => [...el.attributes].map((a) => a.name + '=' + a.value).sort().join(' ')))`);
      assert.equal(attrs, await page.eval(`document.documentElement.dataset.inputAttrs`), 'no attributes added to the form or its fields');
      assert.equal(await page.eval(`document.querySelector(${js(HOST_SELECTOR)}).shadowRoot`), null, 'closed shadow root');
      assert.equal(await page.eval(`document.querySelector(${js(HOST_SELECTOR)}).textContent`), '');

      // No web-accessible resource: the page cannot load the core or any extension file.
      for (const rel of ['pkg/impalemail_bg.wasm', 'manifest.json', 'content/content.js', 'ui/popup.html']) {
        const got = await page.eval(`fetch(${js(`${browser.extensionOrigin}/${rel}`)}).then((r) => 'loaded ' + r.status, () => 'blocked')`);
        assert.equal(got, 'blocked', rel);
      }

      // The page's messages made nothing: the vault is empty.
      const ext = await browser.openExtensionPage('ui/options.html');
      await ready(ext); // the options page, loaded (a script run while it loads can be dropped)
      const list = await sendFrom(ext, { type: 'alias.list' });
      assert.equal(list.ok, true, js(list));
      assert.deepEqual(list.value.records ?? list.value, [], 'no alias was made');
      await ext.close();
      await page.close();
    });

    test('a look-alike webmail on an origin the user did not turn on is not fetched from', async () => {
      assert.ok(site && browser);
      hits.length = 0;
      const page = await browser.open(`${site.origin}/webmail/?_task=mail&_action=show&_uid=1&_mbox=INBOX`);
      await sleep(1500);
      assert.equal(await page.eval(`document.querySelectorAll('impalemail-verdict').length`), 0, 'no badge');
      assert.deepEqual(hits.filter((h) => h.includes('viewsource')), [], 'nothing fetched');
      // The adapter did recognise it (the popup would offer to turn checks on); the origin
      // check is what stopped it.
      const ext = await browser.openExtensionPage('ui/options.html');
      await ready(ext);
      const api = name === 'firefox' ? 'browser' : 'chrome';
      const ids = await ext.eval(`${api}.tabs.query({}).then((ts) => ts.map((t) => t.id))`);
      const detected = [];
      for (const id of ids) {
        const d = await sendFrom(ext, { type: 'webmail.tabDetected', tabId: id });
        if (d.ok && d.value) detected.push(d.value);
      }
      assert.deepEqual(detected, [{ origin: site.origin, adapter: 'roundcube' }]);
      await ext.close();
      await page.close();
    });
  });
}
