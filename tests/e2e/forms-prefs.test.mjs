// The alias button's switches and the gesture entries, end to end in each browser:
// - "Not on this site" in the in-page menu removes the button at once (no reload) and on later
//   visits; the options page lists the site and "Show again" brings the button back in the
//   open tab without a reload;
// - the global switch in the popup hides the buttons of open pages at once; the options page
//   turns it back on;
// - the context-menu entry "Fill with a new alias" fills the field the user right-clicked, also
//   where no alias is offered (a login field), and the keyboard command fills the focused
//   field; a page's synthetic right-click gives the entry nothing to fill.
//
// What is real and what is not: browsers do not let automation click their own context menu
// or press an extension's shortcut in headless mode. In Chromium the test dispatches the
// browser's events to the background's real listeners (`chrome.contextMenus.onClicked.dispatch`
// and `chrome.commands.onCommand.dispatch` in the service worker), so everything after the
// browser's UI runs as in use: the listener in background.js, the handler in forms.js, the
// tab message, the content script's checks (a trusted right-click, the focused field), the
// alias creation and the fill. In Firefox the browser's own UI is used through Marionette's
// privileged context: a real right-click (WebDriver actions) opens the real context menu, whose
// "Fill with a new alias" item is activated (`activateItem`); the shortcut is the browser's own
// `<key>` element for the command (`doCommand`), so only the key press recognition is skipped.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BROWSERS, ROOT, launchBrowser } from './lib/harness.mjs';
import { buttonRects, centre, contentScriptReady, input, menuItemNames, popupAddresses, setCatchAll, sleep, visibleHosts, waitFor } from './lib/forms-pages.mjs';
import { startServer } from './lib/server.mjs';

const CATCH_ALL = 'aliases.example.test';
const ADDRESS = new RegExp(`^[a-z0-9.]+@${CATCH_ALL.replace(/\./g, '\\.')}$`);
/** Settle time after the content script answered before "nothing is drawn" is checked (ms). */
const SETTLE_MS = 1500;
const MESSAGES = JSON.parse(fs.readFileSync(path.join(ROOT, 'extension/_locales/en/messages.json'), 'utf8'));
/** @param {string} key @param {string} [sub] */
const msg = (key, sub = '') => MESSAGES[key].message.replace(/\$[A-Z_]+\$/g, sub);
const value = (/** @type {string} */ sel) => `document.querySelector(${JSON.stringify(sel)}).value`;
const js = (/** @type {unknown} */ v) => JSON.stringify(v);

for (const name of BROWSERS) {
  describe(`alias button switches, context menu and command in ${name}`, () => {
    /** @type {Awaited<ReturnType<typeof launchBrowser>>} */ let browser;
    /** @type {Awaited<ReturnType<typeof startServer>>} */ let site;
    before(async () => {
      site = await startServer();
      browser = await launchBrowser(name);
      await setCatchAll(browser, CATCH_ALL, msg('optSaved'));
    });
    after(async () => {
      await browser?.close();
      site?.close();
    });

    test('"Not on this site" removes the button now and on later visits; "Show again" in the options brings it back without a reload', async () => {
      const url = `${site.origin}/signup.html`;
      const page = await browser.open(url);
      const u = input(browser, page);
      await contentScriptReady(page);
      const [rect] = await waitFor(page, visibleHosts(), 'the button');
      await u.clickAt(...centre(rect));
      await sleep(200);
      const names = await menuItemNames(browser, page);
      if (names) assert.deepEqual(names, [msg('formsNewAlias'), msg('formsNotHere'), msg('formsSettings')]);
      await u.press('ArrowDown'); // the menu itself has the focus: ArrowDown reaches its first item
      await u.press('ArrowDown'); // "Not on this site"
      await u.press('Enter');
      await waitFor(page, `${visibleHosts()} === null`, 'the button to go');
      assert.deepEqual(await popupAddresses(browser, url), [], 'nothing was made');

      const later = await browser.open(url);
      await contentScriptReady(later);
      await sleep(SETTLE_MS);
      assert.deepEqual(await buttonRects(later), [], 'no button on a later visit');

      const options = await browser.openExtensionPage('ui/options.html');
      const ou = input(browser, options);
      await waitFor(options, `document.getElementById('forms-section')?.dataset.ready === '1'`, 'the section');
      assert.deepEqual(await options.eval(`[...document.querySelectorAll('#forms-sites li')].map((li) => li.dataset.site)`), ['127.0.0.1']);
      await ou.click('#forms-sites .forms-show-again');
      await waitFor(options, `!!document.getElementById('forms-sites-empty')`, 'the list to empty');
      await options.close();
      await waitFor(later, visibleHosts(), 'the button to come back without a reload');
      await later.close();
      await page.close();
    });

    test('the global switch in the popup hides the buttons of open pages at once; the options page turns it back on', async () => {
      const url = `${site.origin}/signup.html`;
      const page = await browser.open(url);
      await contentScriptReady(page);
      await waitFor(page, visibleHosts(), 'the button');
      const popup = await browser.openExtensionPage(`ui/popup.html?for=${encodeURIComponent(url)}`);
      await waitFor(popup, `document.getElementById('forms-section')?.dataset.ready === '1'`, 'the popup section');
      assert.equal(await popup.eval(`document.getElementById('forms-enabled').checked`), true);
      await input(browser, popup).click('#forms-enabled');
      await waitFor(popup, `document.getElementById('forms-enabled')?.checked === false`, 'the switch to turn off');
      await popup.close();
      await waitFor(page, `${visibleHosts()} === null`, 'the button to go');

      const options = await browser.openExtensionPage('ui/options.html');
      await waitFor(options, `document.getElementById('forms-section')?.dataset.ready === '1'`, 'the section');
      assert.equal(await options.eval(`document.getElementById('forms-enabled').checked`), false);
      await input(browser, options).click('#forms-enabled');
      await waitFor(options, `document.getElementById('forms-enabled')?.checked === true`, 'the switch to turn on');
      await options.close();
      await waitFor(page, visibleHosts(), 'the button to come back');
      await page.close();
    });


    /**
     * The user picks the context-menu entry on `sel` (Firefox: a real right-click on it first;
     * Chromium: the right-click is the test's own, see below) or presses the shortcut.
     * @param {'menu' | 'command'} kind @param {any} page
     */
    async function dispatchGesture(kind, page) {
      if (name === 'chrome') {
        await browser.serviceWorker.evaluate(async (k) => {
          const chrome = /** @type {any} */ (globalThis).chrome;
          const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
          if (k === 'menu') chrome.contextMenus.onClicked.dispatch({ menuItemId: 'impalemail-fill-new-alias', editable: true, frameId: 0 }, tab);
          else chrome.commands.onCommand.dispatch('fill-new-alias', tab);
        }, kind);
        return;
      }
      const wd = page.raw;
      await page.eval('1'); // this tab
      await wd.setContext('chrome');
      try {
        if (kind === 'command') {
          const fired = await wd.exec(`const k = document.querySelector('keyset[id^="ext-keyset-id-impalemail"] > key'); if (k) k.doCommand(); return !!k;`);
          assert.ok(fired, "the browser has the command's key");
          return;
        }
        const r = await wd.req('POST', wd.s('/execute/async'), { script: `
          const done = arguments[arguments.length - 1];
          const menu = document.getElementById('contentAreaContextMenu');
          const pick = () => {
            const item = [...menu.querySelectorAll('menuitem')].find((m) => m.getAttribute('label') === ${js(MESSAGES.formsMenuFillNew.message)});
            if (!item || item.hidden) { menu.hidePopup(); return done('no entry'); }
            menu.activateItem(item);
            done('picked');
          };
          if (menu.state === 'open') pick(); else { menu.addEventListener('popupshown', pick, { once: true }); setTimeout(() => done('no menu'), 5000); }`, args: [] });
        assert.equal(r, 'picked');
      } finally {
        await wd.setContext('content');
      }
    }

    /** A real right-click on `sel`. @param {any} page @param {string} sel */
    async function rightClick(page, sel) {
      if (name === 'chrome') return page.raw.click(sel, { button: 'right' });
      const wd = page.raw;
      await page.eval('1');
      const el = (await wd.req('POST', wd.s('/element'), { using: 'css selector', value: sel }))['element-6066-11e4-a52e-4f735466cecf'];
      await wd.req('POST', wd.s('/actions'), { actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [
        { type: 'pointerMove', origin: { 'element-6066-11e4-a52e-4f735466cecf': el }, x: 0, y: 0 }, { type: 'pointerDown', button: 2 }, { type: 'pointerUp', button: 2 }] }] });
      await wd.req('DELETE', wd.s('/actions'));
    }

    /** Focuses a field (a page focus: what the command acts on). @param {any} page @param {string} sel */
    const focus = (page, sel) => (name === 'chrome' ? page.raw.focus(sel) : page.eval(`(document.querySelector(${js(sel)}).focus(), 1)`));

    test('the context-menu entry fills the right-clicked field, also a login field whose button offers no alias yet; a synthetic right-click gives it nothing', async () => {
      const url = `${site.origin}/login.html`;
      const page = await browser.open(url);
      await contentScriptReady(page);
      await sleep(SETTLE_MS);
      // The login field's button is drawn whether or not the site has an alias (its menu says).
      await waitFor(page, visibleHosts(), 'the login field\'s button');
      const before = await popupAddresses(browser, url);
      if (name === 'chrome') {
        // A page script "right-clicks" the field: the entry must find no target. (Firefox shows
        // the entry only after a real right-click, so there the case cannot arise.)
        await page.raw.bringToFront();
        await page.eval(`(document.getElementById('email').dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, composed: true })), true)`);
        await dispatchGesture('menu', page);
        await sleep(SETTLE_MS);
        assert.equal(await page.eval(value('#email')), '', 'nothing filled after a synthetic right-click');
        assert.deepEqual(await popupAddresses(browser, url), before, 'nothing made');
      }
      // The user right-clicks the field and picks the entry.
      await rightClick(page, '#email');
      await dispatchGesture('menu', page);
      const filled = await waitFor(page, value('#email'), 'the field to be filled');
      assert.match(filled, ADDRESS);
      assert.equal(await page.eval(value('#password')), '', 'the password field is left alone');
      const after = await popupAddresses(browser, url);
      assert.ok(after.includes(filled) && after.length === before.length + 1, 'one alias, recorded for the site');
      await page.close();
    });

    test('the keyboard command fills the focused field and its confirm twin; without a focused text field it does nothing', async () => {
      const url = `${site.origin}/signup.html`;
      const page = await browser.open(url);
      await contentScriptReady(page);
      await waitFor(page, visibleHosts(), 'the button');
      const before = await popupAddresses(browser, url);
      if (name === 'chrome') await page.raw.bringToFront();
      await focus(page, '#password');
      await dispatchGesture('command', page);
      await sleep(SETTLE_MS);
      assert.equal(await page.eval(value('#email')), '', 'a password field is not filled');
      assert.deepEqual(await popupAddresses(browser, url), before, 'nothing made');
      await focus(page, '#email');
      await dispatchGesture('command', page);
      const filled = await waitFor(page, value('#email'), 'the field to be filled');
      assert.match(filled, ADDRESS);
      assert.equal(await page.eval(value('#email-confirm')), filled, 'the confirm twin too');
      assert.ok((await popupAddresses(browser, url)).includes(filled), 'recorded for the site');
      await page.close();
    });
  });
}
