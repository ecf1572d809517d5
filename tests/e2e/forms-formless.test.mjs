// Fields without a <form>, in each browser: inputs alone in the shadow roots of web
// components, laid out over several boxes, with sign-in and registration side by side
// (tests/site/forms/formless.html). The content script groups each input with the section
// around its component (the nearest composed ancestor with a submit-like control), so only the
// registration e-mail's button makes an alias and a click fills it; the sign-in e-mail, which
// alone would read as a newsletter box, is a login field: its button (drawn on every login field,
// #27) offers no new alias (checked in Chromium's accessibility tree).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BROWSERS } from './lib/harness.mjs';
import { buttonRects, centre, contentScriptReady, FORMS_CATCH_ALL, input, menuItemNames, sleep, useFormsBed, visibleHosts, waitFor } from './lib/forms-pages.mjs';
import { msg } from './lib/pages.mjs';

const CATCH_ALL = FORMS_CATCH_ALL;
const ADDRESS = new RegExp(`^[a-z0-9.]+@${CATCH_ALL.replace(/\./g, '\\.')}$`);
const js = (/** @type {unknown} */ v) => JSON.stringify(v);
/** The input of a <shop-field> component, by name. */
const fieldOf = (/** @type {string} */ name) => `document.querySelector('shop-field[data-name=${name}]').shadowRoot.getElementById(${js(name)})`;

for (const name of BROWSERS) {
  describe(`formless sign-in and registration in web components in ${name}`, () => {
    /** @type {import('./lib/forms-pages.mjs').Browser} */ let browser;
    /** @type {import('./lib/forms-pages.mjs').Site} */ let site;
    useFormsBed(name, {}, (b, s) => { browser = b; site = s; });

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
      // Login fields get the same button either way (#27: the page cannot tell whether the user
      // has an alias there); it only offers aliases already used. The registration e-mail's
      // button is the one that makes a new alias.
      const rects = await buttonRects(page);
      assert.equal(rects.length, 2, `one button per e-mail field: ${js(rects)}`);
      const rect = rects.find((r) => r.top >= register.top && r.bottom <= register.bottom);
      assert.ok(rect, `a button on the registration e-mail: ${js(rects)} in ${js(register)}`);
      const loginRect = rects.find((r) => r.top >= login.top && r.bottom <= login.bottom);
      assert.ok(loginRect, `and the login field's: ${js(rects)}`);
      await u.clickAt(...centre(loginRect));
      await sleep(200);
      const names = await menuItemNames(browser, page);
      if (names) assert.ok(names.length > 0 && !names.includes(msg('formsNewAlias')), `no "New alias" on the sign-in e-mail: ${js(names)}`);
      await u.press('Escape');
      await u.clickAt(...centre(rect));
      await sleep(200);
      // The menu takes the focus itself; ArrowDown reaches "New alias" (the Enter rule of #27).
      await u.press('ArrowDown');
      await u.press('Enter');
      assert.match(await waitFor(page, `${fieldOf('register-email')}.value`, 'the registration e-mail to be filled'), ADDRESS);
      assert.equal(await page.eval(`${fieldOf('login-email')}.value`), '', 'the sign-in e-mail stays empty');
      await page.close();
    });
  });
}
