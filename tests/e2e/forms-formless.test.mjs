// Fields without a <form>, in each browser: inputs alone in the shadow roots of web
// components, laid out over several boxes, with sign-in and registration side by side
// (tests/site/forms/formless.html). The content script groups each input with the section
// around its component (the nearest composed ancestor with a submit-like control), so only the
// registration e-mail gets the alias button and a click fills it; the sign-in e-mail, which
// alone would read as a newsletter box, gets none.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BROWSERS, ROOT, launchBrowser } from './lib/harness.mjs';
import { buttonRects, centre, contentScriptReady, input, setCatchAll, sleep, waitFor, visibleHosts } from './lib/forms-pages.mjs';
import { startServer } from './lib/server.mjs';

const CATCH_ALL = 'aliases.example.test';
const ADDRESS = new RegExp(`^[a-z0-9.]+@${CATCH_ALL.replace(/\./g, '\\.')}$`);
const MESSAGES = JSON.parse(fs.readFileSync(path.join(ROOT, 'extension/_locales/en/messages.json'), 'utf8'));
const js = (/** @type {unknown} */ v) => JSON.stringify(v);
/** The input of a <shop-field> component, by name. */
const fieldOf = (/** @type {string} */ name) => `document.querySelector('shop-field[data-name=${name}]').shadowRoot.getElementById(${js(name)})`;

for (const name of BROWSERS) {
  describe(`formless sign-in and registration in web components in ${name}`, () => {
    /** @type {Awaited<ReturnType<typeof launchBrowser>>} */ let browser;
    /** @type {Awaited<ReturnType<typeof startServer>>} */ let site;
    before(async () => {
      site = await startServer();
      browser = await launchBrowser(name);
      await setCatchAll(browser, CATCH_ALL, MESSAGES.optSaved.message);
    });
    after(async () => {
      await browser?.close();
      site?.close();
    });

    test('only the registration e-mail gets the button, and a click fills it', async () => {
      const url = `${site.origin}/forms/formless.html`;
      const page = await browser.open(url);
      const u = input(browser, page);
      await contentScriptReady(page);
      await waitFor(page, visibleHosts(), 'a button');
      const register = await page.eval(`${fieldOf('register-email')}.getBoundingClientRect().toJSON()`);
      const login = await page.eval(`${fieldOf('login-email')}.getBoundingClientRect().toJSON()`);
      // Let a second scan (if any) settle before counting.
      await sleep(500);
      const rects = await buttonRects(page);
      assert.equal(rects.length, 1, `one button: ${js(rects)}`);
      const [rect] = rects;
      assert.ok(rect.top >= register.top && rect.bottom <= register.bottom, `on the registration e-mail: ${js(rect)} in ${js(register)}`);
      assert.ok(rect.bottom <= login.top || rect.top >= login.bottom, `not on the sign-in e-mail: ${js(rect)} vs ${js(login)}`);
      await u.clickAt(...centre(rect));
      await sleep(200);
      await u.press('Enter');
      assert.match(await waitFor(page, `${fieldOf('register-email')}.value`, 'the registration e-mail to be filled'), ADDRESS);
      assert.equal(await page.eval(`${fieldOf('login-email')}.value`), '', 'the sign-in e-mail stays empty');
      await page.close();
    });
  });
}
