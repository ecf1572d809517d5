// The alias UI, end to end in each browser: the options page saves settings through the core
// (and keeps the user's input when the core refuses it), the popup makes, copies, labels,
// turns off and on, and deletes aliases, and a SimpleLogin account on a local mock server is
// set up, tested and used, with the mock recording exactly what the extension sent.
//
// The popup is opened as a tab here, where there is no "active tab" to act for, so it is
// given the page with `?for=<url>` (the documented seam in extension/ui/popup.js).
// Screenshots go to target/e2e/<browser>/.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BROWSERS, launchBrowser } from './lib/harness.mjs';
import { startSimpleLoginMock } from './lib/mock-providers.mjs';
import { js, msg, popupReady, ready, reload, text, ui, visible, waitFor } from './lib/pages.mjs';
import { startServer } from './lib/server.mjs';

const SITE_URL = 'http://shop.example.test/signup';
const SITE = 'example.test';
const CATCH_ALL = 'aliases.example.test';
const POPUP = `ui/popup.html?for=${encodeURIComponent(SITE_URL)}`;

for (const name of BROWSERS) {
  describe(`aliases in ${name}`, () => {
    /** @type {Awaited<ReturnType<typeof launchBrowser>>} */ let browser;
    /** @type {Awaited<ReturnType<typeof startSimpleLoginMock>>} */ let sl;
    /** @type {Awaited<ReturnType<typeof startServer>>} */ let site;
    before(async () => {
      sl = await startSimpleLoginMock();
      site = await startServer();
      browser = await launchBrowser(name);
    });
    after(async () => {
      await browser?.close();
      await sl?.close();
      site?.close();
    });

    test('options: a bad catch-all domain is refused and kept; a good one is saved and kept after a reload', async () => {
      const page = await browser.openExtensionPage('ui/options.html');
      const u = ui(browser, page);
      await ready(page);
      assert.equal(await page.eval(`document.getElementById('catch_all_domain').value`), '', 'a fresh install has no catch-all domain');

      await u.fill('#catch_all_domain', 'not a domain!');
      await u.click('#save');
      const error = await waitFor(page, `${visible('#catch_all_domain-error')} && ${text('#catch_all_domain-error')}`);
      assert.match(error, /not a domain!/, `the error names the value: ${error}`);
      assert.equal(await page.eval(`document.getElementById('catch_all_domain').value`), 'not a domain!', 'the input is kept');
      assert.equal(await page.eval(`document.getElementById('catch_all_domain').getAttribute('aria-invalid')`), 'true');
      assert.match(await page.eval(text('#save-status')), /^Not saved: catch_all_domain: /);

      await u.fill('#catch_all_domain', CATCH_ALL);
      await u.click('#save');
      await waitFor(page, `${text('#save-status')} === ${js(msg('optSaved'))}`);
      assert.equal(await page.eval(`document.getElementById('catch_all_domain-error').hidden`), true, 'the error is cleared');

      await reload(page);
      await ready(page);
      assert.equal(await page.eval(`document.getElementById('catch_all_domain').value`), CATCH_ALL);
      assert.equal(await page.eval(`document.getElementById('per_site_secret').textContent`), msg('optSecretSet'), 'a fresh install has a per-site secret');
      await page.close();
    });

    test('popup: make a catch-all alias for the site, copy, label, disable, enable and delete it', async () => {
      const page = await browser.openExtensionPage(POPUP);
      const u = ui(browser, page);
      await ready(page);
      await popupReady(page);
      assert.equal(await page.eval(text('#site-heading')), msg('popupSiteHeading', SITE));
      assert.equal(await page.eval(text('#create')), msg('popupCreate', SITE));
      assert.equal(await page.eval(`document.querySelectorAll('#site-list li').length`), 0, 'nothing is made before the click');
      assert.equal(await page.eval(visible('#site-empty')), true);

      await u.select('#create-source', 'catch-all');
      await u.click('#create');
      await waitFor(page, `document.querySelectorAll('#site-list li.alias').length === 1`);
      const row = '#site-list li.alias';
      const address = await page.eval(text(`${row} .address`));
      assert.match(address, new RegExp(`^[a-z0-9.]+@${CATCH_ALL.replace(/\./g, '\\.')}$`));
      assert.equal(await page.eval(`document.querySelector(${js(row)}).dataset.state`), 'active');
      assert.equal(await page.eval(text(`${row} .source`)), msg('sourceCatchAll'));
      assert.equal(await page.eval(text(`${row} .state`)), msg('aliasStateActive'));
      assert.ok(await page.eval(`!!document.querySelector(${js(`${row} time`)})?.dateTime`), 'the creation date is shown');

      // Copy: the status says so, and the clipboard holds the address.
      await u.focusPage();
      await u.click(`${row} [data-action="copy"]`);
      await waitFor(page, `${text('#live')} === ${js(msg('aliasCopiedStatus', address))}`);
      assert.equal(await u.readClipboard(site.origin), address);

      // Label.
      await u.click(`${row} [data-action="label"]`);
      await u.fill(`${row} .label-input`, 'shop signup');
      await u.click(`${row} [data-action="save-label"]`);
      await waitFor(page, `${text(`${row} .label-text`)} === 'shop signup'`);

      // Disable, then enable.
      await u.click(`${row} [data-action="toggle"]`);
      await waitFor(page, `document.querySelector(${js(row)})?.dataset.state === 'disabled'`);
      assert.equal(await page.eval(text(`${row} .state`)), msg('aliasStateDisabled'));
      assert.equal(await page.eval(text(`${row} [data-action="toggle"]`)), msg('aliasEnable'));
      await page.screenshot(path.join(browser.outDir, 'popup-tab.png'));
      await u.shot('body', path.join(browser.outDir, 'popup-aliases.png'));
      await u.click(`${row} [data-action="toggle"]`);
      await waitFor(page, `document.querySelector(${js(row)})?.dataset.state === 'active'`);

      // The label and state were stored: a fresh popup shows them.
      await reload(page);
      await popupReady(page);
      await waitFor(page, `${text(`${row} .label-text`)} === 'shop signup'`);
      assert.equal(await page.eval(text(`${row} .address`)), address);

      // Delete: a confirm step; a local alias has no "also at the provider" choice.
      await u.click(`${row} [data-action="delete"]`);
      await waitFor(page, visible(`${row} [data-action="confirm-delete"]`));
      assert.equal(await page.eval(`document.querySelector(${js(`${row} .at-provider`)})`), null);
      await u.click(`${row} [data-action="confirm-delete"]`);
      await waitFor(page, `document.querySelectorAll('#site-list li').length === 0 && ${visible('#site-empty')}`);
      assert.equal(await page.eval(text('#live')), msg('aliasDeletedStatus', address));
      await page.close();
    });

    test('popup: a tab without a web site offers no alias to make, and still lists the aliases', async () => {
      const page = await browser.openExtensionPage('ui/popup.html');
      await ready(page);
      await popupReady(page);
      assert.equal(await page.eval(visible('#no-site')), true);
      assert.equal(await page.eval(visible('#create')), false, 'no create button without a site');
      assert.equal(await page.eval(text('#all-heading')), msg('popupAllHeading'));
      assert.equal(await page.eval(visible('#search')), true);
      await page.close();
    });

    test('SimpleLogin on a mock server: set up and tested in the options, used from the popup', async () => {
      const options = await browser.openExtensionPage('ui/options.html');
      const o = ui(browser, options);
      await ready(options);
      assert.equal(await options.eval(`document.getElementById('simplelogin-key').type`), 'password');
      assert.equal(await options.eval(`document.getElementById('simplelogin-key').value`), '');
      assert.equal(await options.eval(`document.getElementById('simplelogin-key').placeholder`), msg('optKeyNone'));

      // Enable, point at the mock, enter the key, and Test (which saves first).
      let mark = sl.requests.length;
      await o.click('#simplelogin-enabled');
      await o.fill('#simplelogin-base_url', sl.origin);
      await o.fill('#simplelogin-key', sl.key);
      await o.click('#simplelogin-test');
      const result = await waitFor(options, `/^It works|refused|could not|error/i.test(${text('#simplelogin-result')}) && ${text('#simplelogin-result')}`);
      assert.equal(result, msg('optTestOk', '0'));
      assert.equal(await options.eval(text('#save-status')), msg('optSaved'));
      assert.deepEqual(sl.since(mark).map((r) => [r.method, r.path, r.auth, r.status]), [['GET', '/api/v2/aliases?page_id=0', sl.key, 200]]);
      // The key is never shown again; the field says one is saved.
      assert.equal(await options.eval(`document.getElementById('simplelogin-key').value`), '');
      assert.equal(await options.eval(`document.getElementById('simplelogin-key').placeholder`), msg('optKeySaved'));
      await options.screenshot(path.join(browser.outDir, 'options-providers.png'));
      await options.eval(`(scrollTo(0, 0), true)`);
      await options.screenshot(path.join(browser.outDir, 'options.png'));

      // Create from the popup with SimpleLogin.
      const popup = await browser.openExtensionPage(POPUP);
      const p = ui(browser, popup);
      await ready(popup);
      await popupReady(popup);
      mark = sl.requests.length;
      await p.select('#create-source', 'simplelogin');
      await p.click('#create');
      const row = '#site-list li.alias[data-source="simplelogin"]';
      await waitFor(popup, `!!document.querySelector(${js(row)})`);
      const [created] = sl.since(mark);
      assert.deepEqual(
        { method: created.method, path: created.path, auth: created.auth, authorization: created.authorization, body: created.body },
        { method: 'POST', path: '/api/alias/random/new?hostname=shop.example.test', auth: sl.key, authorization: null, body: { note: `generated by ImpaleMail for ${SITE}` } },
      );
      assert.match(created.contentType ?? '', /^application\/json/);
      const [remote] = [...sl.aliases.values()];
      assert.equal(await popup.eval(text(`${row} .address`)), remote.email);
      assert.equal(await popup.eval(text(`${row} .source`)), 'SimpleLogin');

      // Disable: the core reads the alias, then toggles it (toggle is not idempotent).
      mark = sl.requests.length;
      await p.click(`${row} [data-action="toggle"]`);
      await waitFor(popup, `document.querySelector(${js(row)})?.dataset.state === 'disabled'`);
      assert.deepEqual(sl.since(mark).map((r) => [r.method, r.path, r.auth]), [
        ['GET', `/api/aliases/${remote.id}`, sl.key],
        ['POST', `/api/aliases/${remote.id}/toggle`, sl.key],
      ]);
      assert.equal(sl.aliases.get(remote.id)?.enabled, false, 'the mock recorded the toggle');
      await p.shot('body', path.join(browser.outDir, 'popup-simplelogin.png'));

      // Delete, also at SimpleLogin.
      mark = sl.requests.length;
      await p.click(`${row} [data-action="delete"]`);
      await p.click(`${row} .at-provider`);
      await p.click(`${row} [data-action="confirm-delete"]`);
      await waitFor(popup, `!document.querySelector(${js(row)})`);
      assert.deepEqual(sl.since(mark).map((r) => [r.method, r.path, r.auth]), [['DELETE', `/api/aliases/${remote.id}`, sl.key]]);
      assert.equal(sl.aliases.size, 0);

      // A wrong key: Test and the popup both say SimpleLogin refused it, in plain words.
      await o.fill('#simplelogin-key', 'wrong-key');
      await o.click('#simplelogin-test');
      const refused = await waitFor(options, `/refused/.test(${text('#simplelogin-result')}) && ${text('#simplelogin-result')}`);
      assert.match(refused, /^SimpleLogin refused the API key \(HTTP 401\)/);
      mark = sl.requests.length;
      await reload(popup);
      await popupReady(popup);
      await p.select('#create-source', 'simplelogin');
      await p.click('#create');
      const shown = await waitFor(popup, `${visible('#create-error')} && ${text('#create-error span')}`);
      assert.match(shown, /^SimpleLogin refused the API key \(HTTP 401\)\. Check your SimpleLogin API key in ImpaleMail's options/);
      assert.equal(await popup.eval(text('#create-error button')), msg('commonOpenOptions'), 'the error links to the options');
      assert.deepEqual(sl.since(mark).map((r) => [r.method, r.path, r.auth, r.status]), [['POST', '/api/alias/random/new?hostname=shop.example.test', 'wrong-key', 401]]);
      assert.equal(await popup.eval(`document.querySelectorAll('#site-list li').length`), 0, 'nothing was recorded');
      await p.shot('body', path.join(browser.outDir, 'popup-error.png'));
      await popup.close();
      await options.close();
    });

    test('options: vault import reports what it added, and a foreign file changes nothing', async () => {
      const page = await browser.openExtensionPage('ui/options.html');
      await ready(page);
      const address = 'imported@aliases.example.test';
      const id = `a${crypto.createHash('sha256').update(address).digest('hex').slice(0, 16)}`;
      const csv = `id,address,source,provider_id,site,origin,created,expires,state,label,note\r\n${id},${address},catch-all,,example.org,https://example.org,1772532000,,active,from a backup,\r\n`;
      /** Puts a file into the import input, as choosing it in the file dialog does. */
      const choose = (/** @type {string} */ content, /** @type {string} */ file) => page.eval(`(() => {
        const input = document.getElementById('import-file');
        const dt = new DataTransfer();
        dt.items.add(new File([${js(content)}], ${js(file)}, { type: 'text/plain' }));
        input.files = dt.files;
        input.dispatchEvent(new Event('change', { bubbles: true }));
        return true;
      })()`);
      await choose(csv, 'backup.csv');
      const done = await waitFor(page, `/added|failed/.test(${text('#vault-status')}) && ${text('#vault-status')}`);
      assert.match(done, /^1 added, \d+ total\.$/);
      await page.eval(`document.getElementById('vault-status').textContent = ''`);
      await choose(csv, 'backup.csv');
      assert.match(await waitFor(page, `/added|failed/.test(${text('#vault-status')}) && ${text('#vault-status')}`), /^0 added, \d+ total\.$/);
      await page.eval(`document.getElementById('vault-status').textContent = ''`);
      await choose('{"hello": "world"}', 'other.json');
      const refused = await waitFor(page, `/added|failed/.test(${text('#vault-status')}) && ${text('#vault-status')}`);
      assert.match(refused, /^Import failed: .*Nothing was changed/);
      await page.close();
    });
  });
}
