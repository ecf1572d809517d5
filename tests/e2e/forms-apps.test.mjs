// The in-page alias button on application-style pages, end to end in each browser, on pages
// served with a strict CSP: a Vue 3 app (v-model), a web component (custom element with its own
// shadow root and state), a single-page app that swaps its signup form for a login form and
// back without a reload, and a signup and a login form in a cross-origin iframe (the frame is
// served from http://localhost:<port>, the page from http://127.0.0.1:<port>: another origin
// and another site). Each asserts that the app's own state holds the alias after submit, that
// the vault has it for the right site, and that a login form offers only the alias already
// made there. Screenshots go to target/e2e/<browser>/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BROWSERS, ROOT, launchBrowser } from './lib/harness.mjs';
import {
  HOST_SELECTOR, centre, contentScriptReady, frameInput, frameOf, input, menuItemNames, popupAddresses, setCatchAll, sleep,
  visibleHosts, waitFor, waitInFrame,
} from './lib/forms-pages.mjs';
import { STRICT_CSP, startServer } from './lib/server.mjs';

const CATCH_ALL = 'aliases.example.test';
const ADDRESS = new RegExp(`^[a-z0-9.]+@${CATCH_ALL.replace(/\./g, '\\.')}$`);
const MESSAGES = JSON.parse(fs.readFileSync(path.join(ROOT, 'extension/_locales/en/messages.json'), 'utf8'));
/** @param {string} key @param {string} [sub] */
const msg = (key, sub = '') => MESSAGES[key].message.replace(/\$[A-Z_]+\$/g, sub);
const js = (/** @type {unknown} */ v) => JSON.stringify(v);
const value = (/** @type {string} */ sel) => `document.querySelector(${js(sel)}).value`;

/** Vue's runtime-only ES module build (no template compiler: no eval under the strict CSP). */
const VUE = (() => {
  try {
    const req = createRequire(path.join(ROOT, 'package.json'));
    return path.join(path.dirname(req.resolve('vue/package.json')), 'dist', 'vue.runtime.esm-browser.prod.js');
  } catch {
    return null;
  }
})();

/**
 * A page embedding `src` (another origin) in an iframe, with the strict CSP plus that origin
 * as the one allowed frame source.
 * @param {string} title @param {() => string} src
 */
const framePage = (title, src) => (/** @type {any} */ _req, /** @type {any} */ res) => {
  const origin = new URL(src()).origin;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': `${STRICT_CSP}; frame-src ${origin}` });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><link rel="stylesheet" href="/site.css"></head>
<body><h1>${title}</h1><iframe id="frame" src="${src()}" title="${title}" width="640" height="420"></iframe></body></html>`);
};

for (const name of BROWSERS) {
  describe(`alias button in apps and cross-origin frames in ${name}`, () => {
    /** @type {Awaited<ReturnType<typeof launchBrowser>>} */ let browser;
    /** @type {Awaited<ReturnType<typeof startServer>>} */ let site;
    /** The same files on another port, reached as http://localhost:<port>: another origin and site. */
    /** @type {Awaited<ReturnType<typeof startServer>>} */ let other;
    let otherOrigin = '';
    before(async () => {
      other = await startServer();
      otherOrigin = other.origin.replace('127.0.0.1', 'localhost');
      site = await startServer({
        routes: {
          ...(VUE ? { '/vendor/vue.js': (_req, res) => { res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' }); fs.createReadStream(VUE).pipe(res); } } : {}),
          '/forms/xframe-signup.html': framePage('Partner signup', () => `${otherOrigin}/signup.html`),
          '/forms/xframe-login.html': framePage('Partner sign-in', () => `${otherOrigin}/login.html`),
        },
      });
      browser = await launchBrowser(name);
      await setCatchAll(browser, CATCH_ALL, msg('optSaved'));
    });
    after(async () => {
      await browser?.close();
      site?.close();
      other?.close();
    });

    /**
     * Opens `url`, clicks the button, picks "New alias" and returns the filled address.
     * @param {string} url @param {string} field an expression for the e-mail field
     */
    async function newAliasOn(url, field) {
      const page = await browser.open(url);
      const u = input(browser, page);
      await contentScriptReady(page);
      const [rect] = await waitFor(page, visibleHosts(), 'the button');
      await u.clickAt(...centre(rect));
      await sleep(200);
      const names = await menuItemNames(browser, page);
      if (names) assert.equal(names[0], msg('formsNewAlias'));
      await u.press('ArrowDown'); // the menu itself has the focus: ArrowDown reaches its first item
      await u.press('Enter');
      const filled = await waitFor(page, `${field}.value`, 'the e-mail field to be filled');
      assert.match(filled, ADDRESS);
      await sleep(300); // past the filler's re-check, so a framework revert would show
      assert.equal(await page.eval(`${field}.value`), filled, 'the page did not revert it');
      return { page, u, filled };
    }

    test('a Vue 3 app (v-model) keeps the alias in its state through submit', { skip: VUE ? false : 'the devDependency vue is not installed' }, async () => {
      const url = `${site.origin}/forms/vue.html`;
      const probe = await browser.open(url);
      assert.match(await waitFor(probe, 'document.body.dataset.vue', 'Vue to render'), /^3\./);
      await probe.close();
      const { page, u, filled } = await newAliasOn(url, `document.getElementById('email')`);
      assert.equal(await page.eval(value('#email-confirm')), filled, 'the confirm field too');
      await u.fill('#password', 'correct horse battery staple');
      await u.click('#submit');
      const submitted = JSON.parse(await waitFor(page, `document.getElementById('submitted').textContent`, 'the submit'));
      assert.deepEqual(submitted, { email: filled, email_confirm: filled }, "Vue's reactive state has the alias in both fields");
      assert.ok((await popupAddresses(browser, url)).includes(filled), 'the vault has it for 127.0.0.1');
      await page.close();
    });

    test('a web component (custom element, own shadow root and state) keeps the alias through submit', async () => {
      const url = `${site.origin}/forms/component.html`;
      const root = `document.querySelector('club-signup').shadowRoot`;
      const { page, filled } = await newAliasOn(url, `${root}.getElementById('email')`);
      assert.equal(await page.eval(`${root}.getElementById('email-confirm').value`), filled, 'the confirm field in the shadow root too');
      assert.equal(await page.eval(`${root}.querySelectorAll(${js(HOST_SELECTOR)}).length`), 0, 'nothing drawn inside the component');
      // The password is typed by the test through the component's own listener, as a person would.
      await page.eval(`(() => { const p = ${root}.getElementById('password'); p.value = 'correct horse battery staple'; p.dispatchEvent(new Event('input')); return true; })()`);
      await page.eval(`(${root}.getElementById('submit').click(), true)`);
      const submitted = JSON.parse(await waitFor(page, `document.getElementById('submitted').textContent`, 'the submit'));
      assert.deepEqual(submitted, { email: filled, email_confirm: filled }, "the component's state has the alias");
      assert.ok((await popupAddresses(browser, url)).includes(filled), 'the vault has it for 127.0.0.1');
      await page.close();
    });

    test('a single-page app: signup, then its login view (no reload) offers only existing aliases, then signup again', async () => {
      const url = `${site.origin}/forms/spa.html`;
      const { page, u, filled } = await newAliasOn(url, `document.getElementById('email')`);
      assert.equal(await page.eval(value('#email-confirm')), filled);
      await u.fill('#password', 'correct horse battery staple');
      await u.click('#submit');
      const submitted = JSON.parse(await waitFor(page, `document.getElementById('submitted').textContent`, 'the submit'));
      assert.deepEqual(submitted, { view: 'signup', email: filled, email_confirm: filled }, "the app's store has the alias");
      const known = await popupAddresses(browser, url);
      assert.ok(known.includes(filled), 'the vault has it for 127.0.0.1');

      // To the login view, without a reload: the signup button goes, a login button comes.
      await page.eval(`window.__spaMarker = 'same document'`);
      await u.click('#to-login');
      await waitFor(page, `document.body.dataset.view === 'login'`, 'the login view');
      await waitFor(page, visibleHosts(), 'the button on the login field');
      assert.equal(await page.eval('window.__spaMarker'), 'same document', 'no reload happened');
      const [rect] = await page.eval(visibleHosts());
      await u.clickAt(...centre(rect));
      await sleep(200);
      const names = await menuItemNames(browser, page);
      if (names) {
        assert.ok(!names.includes(msg('formsNewAlias')), `no "New alias" on the login form: ${js(names)}`);
        assert.ok(names.includes(msg('formsUseExisting', filled)), `the alias made here is offered: ${js(names)}`);
        assert.deepEqual(names.slice(-2), [msg('formsNotHere'), msg('formsSettings')]);
      }
      await u.press('ArrowDown'); // the menu itself has the focus: ArrowDown reaches its first item
      await u.press('Enter'); // the first item: an existing alias
      const used = await waitFor(page, value('#email'), 'the login field to be filled');
      assert.ok(known.includes(used), `an existing alias was filled: ${used}`);
      assert.deepEqual((await popupAddresses(browser, url)).sort(), [...known].sort(), 'no alias was made');
      await u.fill('#password', 'correct horse battery staple');
      await u.click('#submit');
      assert.equal(JSON.parse(await waitFor(page, `(document.getElementById('submitted').textContent.includes('login') && document.getElementById('submitted').textContent)`, 'the login submit')).email, used);

      // And back to signup: "New alias" again.
      await u.click('#to-signup');
      await waitFor(page, `document.body.dataset.view === 'signup'`, 'the signup view');
      const [again] = await waitFor(page, `(() => { const r = ${visibleHosts()}; return r && document.getElementById('email').value === '' ? r : null; })()`, 'the button on the new signup field');
      await u.clickAt(...centre(again));
      await sleep(200);
      const names2 = await menuItemNames(browser, page);
      if (names2) assert.equal(names2[0], msg('formsNewAlias'));
      await u.press('ArrowDown'); // the menu itself has the focus: ArrowDown reaches its first item
      await u.press('Enter');
      const second = await waitFor(page, value('#email'), 'the new signup field to be filled');
      assert.match(second, ADDRESS);
      assert.ok(!known.includes(second), 'a new alias');
      await page.close();
    });

    test('a signup form in a cross-origin iframe: the frame gets the button, the alias is for the frame\'s site; its login form offers it', async () => {
      const page = await browser.open(`${site.origin}/forms/xframe-signup.html`);
      const u = input(browser, page);
      const fu = frameInput(browser, page, '#frame');
      const frame = frameOf(browser, page, '#frame');
      await waitInFrame(frame, `(document.querySelector('[data-impalemail-selftest]')?.textContent ?? '').startsWith('ImpaleMail core')`, 'the content script in the frame');
      const [inner] = await waitInFrame(frame, visibleHosts(), 'the button in the frame');
      assert.equal(await page.eval(`document.querySelectorAll(${js(HOST_SELECTOR)}).length`), 0, 'nothing drawn in the top document');
      await fu.clickAt(...centre(inner));
      await sleep(200);
      const names = await menuItemNames(browser, page, await frame.raw());
      if (names) assert.equal(names[0], msg('formsNewAlias'));
      await fu.press('ArrowDown'); // the menu itself has the focus: ArrowDown reaches its first item
      await fu.press('Enter');
      const filled = await waitInFrame(frame, value('#email'), 'the frame\'s field to be filled');
      assert.match(filled, ADDRESS);
      assert.equal(await frame.eval(value('#email-confirm')), filled, 'and its confirm field');
      assert.ok((await popupAddresses(browser, `${otherOrigin}/signup.html`)).includes(filled), 'recorded for localhost, the frame\'s site');
      assert.ok(!(await popupAddresses(browser, `${site.origin}/`)).includes(filled), 'not for 127.0.0.1, the page\'s site');
      await u.shot(path.join(browser.outDir, 'forms-xframe.png'));
      await page.close();

      const login = await browser.open(`${site.origin}/forms/xframe-login.html`);
      const lu = frameInput(browser, login, '#frame');
      const lframe = frameOf(browser, login, '#frame');
      const [lrect] = await waitInFrame(lframe, visibleHosts(), 'the button on the framed login field');
      await lu.clickAt(...centre(lrect));
      await sleep(200);
      const lnames = await menuItemNames(browser, login, await lframe.raw());
      if (lnames) assert.deepEqual(lnames, [msg('formsUseExisting', filled), msg('formsNotHere'), msg('formsSettings')], 'only the alias made in the frame');
      await lu.press('ArrowDown'); // the menu itself has the focus: ArrowDown reaches its first item
      await lu.press('Enter');
      assert.equal(await waitInFrame(lframe, value('#email'), 'the framed login field to be filled'), filled);
      assert.deepEqual(await popupAddresses(browser, `${otherOrigin}/login.html`), [filled], 'no alias was made');
      await login.close();
    });
  });
}
