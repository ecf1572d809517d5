// Areas of a page read as forms by their submit-like controls, in each browser
// (tests/site/forms/page-wide.html): an ASP.NET WebForms <form> around the whole page holds a
// sign-in and a registration area, each with its own submit; the extractor reads each area as
// a form of its own, so the registration e-mail's button makes an alias and a click fills it
// while the sign-in e-mail's button offers no new alias. A formless sign-up box whose submit is
// a link styled as a button, and whose e-mail field is labelled only by a floating label written
// after it, gets its button too.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BROWSERS } from './lib/harness.mjs';
import { buttonRects, centre, contentScriptReady, FORMS_CATCH_ALL, input, menuItemNames, rectOf, sleep, useFormsBed, visibleHosts, waitFor } from './lib/forms-pages.mjs';
import { msg } from './lib/pages.mjs';

const CATCH_ALL = FORMS_CATCH_ALL;
const ADDRESS = new RegExp(`^[a-z0-9.]+@${CATCH_ALL.replace(/\./g, '\\.')}$`);
const js = (/** @type {unknown} */ v) => JSON.stringify(v);
const LOGIN = '#ctl00_Main_Login_txtEmail';
const REGISTER = '#ctl00_Main_Register_txtEmail';
const CLUB = '#club-email';

for (const name of BROWSERS) {
  describe(`areas of a page-wide form and a formless box with a link button in ${name}`, () => {
    /** @type {import('./lib/forms-pages.mjs').Browser} */ let browser;
    /** @type {import('./lib/forms-pages.mjs').Site} */ let site;
    useFormsBed(name, {}, (b, s) => { browser = b; site = s; });

    test('the registration area and the link-button box make aliases; the sign-in area does not', async () => {
      const page = await browser.open(`${site.origin}/forms/page-wide.html`);
      const u = input(browser, page);
      await contentScriptReady(page);
      await waitFor(page, visibleHosts(), 'a button');
      await sleep(500); // a second scan, if any, settles
      const rects = await buttonRects(page);
      /** The drawn button inside a field's box. @param {string} sel */
      const buttonOn = async (sel) => {
        const f = await rectOf(page, sel);
        return rects.find((r) => r.top >= f.top && r.bottom <= f.bottom && r.left >= f.left && r.right <= f.right);
      };
      const login = await buttonOn(LOGIN);
      const register = await buttonOn(REGISTER);
      const club = await buttonOn(CLUB);
      assert.ok(register, `a button on the registration e-mail: ${js(rects)}`);
      assert.ok(club, `a button on the club e-mail: ${js(rects)}`);
      if (login) {
        // Login fields may get the button that offers aliases already used (#27), never "New alias".
        await u.clickAt(...centre(login));
        await sleep(200);
        const names = await menuItemNames(browser, page);
        if (names) assert.ok(!names.includes(msg('formsNewAlias')), `no "New alias" on the sign-in e-mail: ${js(names)}`);
        await u.press('Escape');
      }
      for (const [rect, sel] of /** @type {const} */ ([[register, REGISTER], [club, CLUB]])) {
        await u.clickAt(...centre(rect));
        await sleep(200);
        // The menu takes the focus itself; ArrowDown reaches "New alias" (the Enter rule of #27).
        await u.press('ArrowDown');
        await u.press('Enter');
        assert.match(await waitFor(page, `document.querySelector(${js(sel)}).value`, `${sel} to be filled`), ADDRESS);
      }
      assert.equal(await page.eval(`document.querySelector(${js(LOGIN)}).value`), '', 'the sign-in e-mail stays empty');
      await page.close();
    });
  });
}
