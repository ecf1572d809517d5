// The in-page alias button where signup forms hide, in each browser: inside an open shadow
// root (with a password manager's icon over the field, which the button must not cover), and
// in a modal <dialog> that appears after load (the top layer). Pages under tests/site/forms/,
// served with a strict CSP. Screenshots go to target/e2e/<browser>/.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { BROWSERS } from './lib/harness.mjs';
import { contentScriptReady, FORMS_CATCH_ALL, HOST_SELECTOR, input, popupAddresses, sleep, tabUrls, useFormsBed, waitFor } from './lib/forms-pages.mjs';

const CATCH_ALL = FORMS_CATCH_ALL;
const ADDRESS = new RegExp(`^[a-z0-9.]+@${CATCH_ALL.replace(/\./g, '\\.')}$`);
const js = (/** @type {unknown} */ v) => JSON.stringify(v);

/** The visible hosts' rectangles, anywhere in the document (body or dialog). */
const VISIBLE_HOSTS = `(() => { const r = [...document.querySelectorAll(${js(HOST_SELECTOR)})].filter((h) => getComputedStyle(h).visibility === 'visible'); return r.length ? r.map((h) => h.getBoundingClientRect().toJSON()) : null; })()`;
/** Centre of a rectangle. @param {{ left: number, top: number, width: number, height: number }} r */
const centre = (r) => [r.left + r.width / 2, r.top + r.height / 2];

for (const name of BROWSERS) {
  describe(`alias button in shadow roots and dialogs in ${name}`, () => {
    /** @type {import('./lib/forms-pages.mjs').Browser} */ let browser;
    /** @type {import('./lib/forms-pages.mjs').Site} */ let site;
    useFormsBed(name, {}, (b, s) => { browser = b; site = s; });

    test('a signup form in an open shadow root gets the button, left of the password manager icon', async () => {
      const url = `${site.origin}/forms/shadow.html`;
      const page = await browser.open(url);
      const u = input(browser, page);
      await contentScriptReady(page);
      const [rect] = await waitFor(page, VISIBLE_HOSTS, 'the button');
      const field = `document.querySelector('shop-signup').shadowRoot.getElementById('email')`;
      const email = await page.eval(`${field}.getBoundingClientRect().toJSON()`);
      const pm = await page.eval(`document.querySelector('com-1password-button').getBoundingClientRect().toJSON()`);
      assert.ok(rect.right <= pm.left, `left of the password manager's icon: ${js(rect)} vs ${js(pm)}`);
      assert.ok(rect.left >= email.left + email.width / 2 && rect.top >= email.top && rect.bottom <= email.bottom, `inside the field: ${js(rect)} in ${js(email)}`);
      await u.shot(path.join(browser.outDir, 'forms-shadow-pm.png'), { x: email.left - 20, y: email.top - 30, width: email.width + 40, height: email.height + 50 });
      await u.clickAt(...centre(rect));
      await sleep(200);
      await u.press('ArrowDown'); // the menu itself has the focus: ArrowDown reaches its first item
      await u.press('Enter');
      const filled = await waitFor(page, `${field}.value`, 'the shadow field to be filled');
      assert.match(filled, ADDRESS);
      assert.ok((await popupAddresses(browser, url)).includes(filled), 'recorded for the site');
      await page.close();
    });

    test('a signup form in a late modal dialog gets a usable button; the dialog stays open', async () => {
      const url = `${site.origin}/forms/modal.html`;
      const page = await browser.open(url);
      const u = input(browser, page);
      await contentScriptReady(page);
      const [rect] = await waitFor(page, VISIBLE_HOSTS, 'the button in the dialog');
      const email = await page.eval(`document.getElementById('email').getBoundingClientRect().toJSON()`);
      assert.ok(rect.left >= email.left + email.width / 2 && rect.right <= email.right && rect.top >= email.top && rect.bottom <= email.bottom, `inside the field: ${js(rect)} in ${js(email)}`);
      await u.clickAt(...centre(rect));
      await sleep(200);
      await u.shot(path.join(browser.outDir, 'forms-modal-menu.png'));
      await u.press('ArrowDown'); // the menu itself has the focus: ArrowDown reaches its first item
      await u.press('Enter');
      const filled = await waitFor(page, `document.getElementById('email').value`, 'the dialog field to be filled');
      assert.match(filled, ADDRESS);
      assert.equal(await page.eval(`document.querySelector('dialog').open`), true, 'the dialog is still open');
      assert.equal(await page.eval(`document.body.dataset.closedByOutsideClick ?? ''`), '', 'the page saw no outside click');
      await page.close();
    });

    test('a signup form in an iframe gets the button in the frame, and New alias fills the frame\'s fields', async () => {
      const url = `${site.origin}/forms/iframe.html`;
      const page = await browser.open(url);
      const u = input(browser, page);
      const frameDoc = `document.getElementById('frame').contentDocument`;
      await waitFor(page, `(${frameDoc}?.querySelector('[data-impalemail-selftest]')?.textContent ?? '').startsWith('ImpaleMail core')`, 'the content script in the frame');
      const inner = await waitFor(page, `(() => { const r = [...${frameDoc}.querySelectorAll(${js(HOST_SELECTOR)})].filter((h) => getComputedStyle(h).visibility === 'visible'); return r.length ? r[0].getBoundingClientRect().toJSON() : null; })()`, 'the button in the frame');
      const frame = await page.eval(`(() => { const f = document.getElementById('frame'); const r = f.getBoundingClientRect(); return { left: r.left + f.clientLeft, top: r.top + f.clientTop }; })()`);
      assert.equal(await page.eval(`document.querySelectorAll(${js(HOST_SELECTOR)}).length`), 0, 'nothing drawn in the top document');
      await u.clickAt(frame.left + inner.left + inner.width / 2, frame.top + inner.top + inner.height / 2);
      await sleep(200);
      await u.press('ArrowDown'); // the menu itself has the focus: ArrowDown reaches its first item
      await u.press('Enter');
      const filled = await waitFor(page, `${frameDoc}.getElementById('email').value`, 'the frame\'s field to be filled');
      assert.match(filled, ADDRESS);
      assert.equal(await page.eval(`${frameDoc}.getElementById('email-confirm').value`), filled);
      assert.ok((await popupAddresses(browser, `${site.origin}/signup.html`)).includes(filled), 'recorded for the frame\'s site');
      await page.close();
    });

    test('the menu\'s Settings item opens the options page', async () => {
      const page = await browser.open(`${site.origin}/signup.html`);
      const u = input(browser, page);
      await contentScriptReady(page);
      const [rect] = await waitFor(page, VISIBLE_HOSTS, 'the button');
      const options = `${browser.extensionOrigin}/ui/options.html`;
      const before = (await tabUrls(browser, page)).filter((x) => x === options).length;
      await u.clickAt(...centre(rect));
      await sleep(200);
      await u.press('End'); // the last item
      await u.press('Enter');
      let now = before;
      for (let i = 0; i < 50 && now === before; i++) {
        await sleep(100);
        now = (await tabUrls(browser, page)).filter((x) => x === options).length;
      }
      assert.equal(now, before + 1, 'one more options tab');
      await page.close();
    });

    test('the button follows its field when it is resized, and hides and returns with it', async () => {
      const page = await browser.open(`${site.origin}/signup.html`);
      await contentScriptReady(page);
      await waitFor(page, VISIBLE_HOSTS, 'the button');
      const aligned = `(() => { const f = document.getElementById('email').getBoundingClientRect(); const h = [...document.querySelectorAll(${js(HOST_SELECTOR)})].filter((x) => getComputedStyle(x).visibility === 'visible'); return h.length === 1 && h[0].getBoundingClientRect().right <= f.right && h[0].getBoundingClientRect().left >= f.right - 40 && h[0].getBoundingClientRect().top >= f.top; })()`;
      assert.equal(await page.eval(aligned), true);
      await page.eval(`(document.getElementById('email').style.width = '220px', true)`);
      await waitFor(page, aligned, 'the button at the narrower field\'s right edge');
      await page.eval(`(document.getElementById('email').style.display = 'none', true)`);
      await waitFor(page, `${VISIBLE_HOSTS} === null`, 'the button to hide with its field');
      await page.eval(`(document.getElementById('email').style.display = '', true)`);
      await waitFor(page, aligned, 'the button to come back');
      await page.close();
    });

    test('a field a scan left out while the page hid it, shown again by a style sheet alone, gets its button when the user goes to it', async () => {
      const page = await browser.open(`${site.origin}/signup.html`);
      const u = input(browser, page);
      await contentScriptReady(page);
      await waitFor(page, VISIBLE_HOSTS, 'the button');
      // Hidden by an adopted style sheet, with a DOM change the scan sees while it is hidden:
      // the scan leaves the field out and its button goes.
      await page.eval(`(() => {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync('#signup { visibility: hidden !important; }');
        document.adoptedStyleSheets = [sheet];
        document.body.classList.add('busy');
        return true;
      })()`);
      await waitFor(page, `document.querySelectorAll(${js(HOST_SELECTOR)}).length === 0`, 'the button to go with the hidden form');
      // Shown again by the style sheet alone: no DOM change wakes the observer.
      await page.eval(`(document.adoptedStyleSheets = [], true)`);
      await sleep(1000);
      assert.equal(await page.eval(`document.querySelectorAll(${js(HOST_SELECTOR)}).length`), 0, 'no scan without a change or a gesture');
      // The user goes to the field: a scan, and its button.
      await u.click('#email');
      await waitFor(page, VISIBLE_HOSTS, 'the button after the user went to the field');
      await page.close();
    });
  });
}
