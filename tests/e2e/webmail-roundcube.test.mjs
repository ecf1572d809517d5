// S/MIME verdicts in a real Roundcube 1.6 (tests/webmail/), end to end in each browser: the test
// root is trusted, the user logs in through Roundcube's login form, opens each message by
// clicking its row, and the verdict is read where no page can draw: the toolbar button's badge
// and tooltip for that tab (through an extension page, which may call `action.getBadgeText`).
// The in-page badge lives in a closed shadow root that exposes nothing to the page, so the
// tests only check that it is placed outside the message body and take a screenshot of each
// one (target/e2e/<browser>/webmail-*.png: the visual check). A hostile HTML message that
// draws its own green "verified" box still gets the true verdict on the toolbar.
//
// Needs root and the packages of tests/webmail/install.sh. WEBMAIL_E2E=0 skips it.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { BROWSERS } from './lib/harness.mjs';
import { until } from './lib/pages.mjs';
import { MAILS, ROOT_B64, writeMails } from './lib/webmail-mails.mjs';
import { driver, logIn, openMessage, prepareExtension, useRoundcube } from './lib/roundcube-ui.mjs';

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

for (const name of BROWSERS) {
  describe(`S/MIME verdicts in Roundcube, ${name}`, () => {
    const bed = useRoundcube(name, 'impalemail-wm-mail-', writeMails);

    test('log in, open each message; the toolbar says the true verdict and the badge sits above the body', async (t) => {
      if (bed.skip) return t.skip('WEBMAIL_E2E=0');
      const { rc, browser } = bed.ready();
      const shots = browser.outDir;

      const { ext, bar } = await prepareExtension(browser, { rootB64: ROOT_B64, origin: rc.origin, adapter: 'roundcube' });
      const { badgeOf } = bar;

      const page = await browser.open(`${rc.origin}/?_task=login`);
      const d = driver(browser, page);
      await d.setSize(1400, 900);
      await logIn(d, page, rc);

      /** @type {number | undefined} */ let tabId;
      for (const [i, m] of MAILS.entries()) {
        /** @type {import('./lib/roundcube.mjs').StoredMessage | undefined} */
        const stored = rc.messages.find((x) => path.basename(x.file) === m.file);
        assert.ok(stored, `${m.file} is in the mailbox`);
        // Clear the toolbar first, so that what is read next was drawn for this message.
        if (tabId !== undefined) await bar.clear(tabId);
        await openMessage(d, stored, m.file);
        // The one tab with a badge is the webmail's.
        if (tabId === undefined) tabId = await bar.badgedTab();
        const [text, title] = await bar.verdict(tabId, m.file);
        assert.equal(text, m.badge, `${m.file}: toolbar badge (title: ${title})`);
        assert.ok(title.includes(m.title), `${m.file}: toolbar title "${title}" should say "${m.title}"`);
        if (m.continuity) assert.ok(title.includes(m.continuity), `${m.file}: toolbar title "${title}" should note "${m.continuity}"`);
        else assert.ok(!title.includes('Earlier messages'), `${m.file}: no continuity note expected in "${title}"`);

        // The badge is in the header, outside the message body, and shows nothing to the page.
        const place = await d.inPreview(`(() => {
          const host = document.querySelector('impalemail-verdict');
          const body = document.getElementById('messagebody');
          return { inBody: !!body && body.contains(host), before: !!(body && (host.compareDocumentPosition(body) & Node.DOCUMENT_POSITION_FOLLOWING)),
            shadow: host.shadowRoot === null, text: host.textContent, attributes: host.attributes.length,
            count: document.querySelectorAll('impalemail-verdict').length };
        })()`);
        assert.deepEqual(place, { inBody: false, before: true, shadow: true, text: '', attributes: 0, count: 1 }, `${m.file}: badge placement`);
        if (i === 0 || m.file === '02-tampered.eml' || m.file === '09-fake-badge.eml') await d.clickBadge(); // open the details
        await sleep(300); // let the frame paint the badge before the screenshot
        await page.screenshot(path.join(shots, `webmail-${m.file.replace(/\.eml$/, '')}.png`));
      }

      // Another folder: the preview goes blank, and the last message's verdict leaves the toolbar.
      assert.notEqual((await badgeOf(/** @type {number} */ (tabId)))[0], '');
      await d.focus();
      await d.click('#mailboxlist li.drafts a');
      await until(async () => (await d.inPreview('1')) === null, 'the preview to go blank');
      await until(async () => (await badgeOf(/** @type {number} */ (tabId)))[0] === '', 'the toolbar badge to clear when no message is shown');

      // The full view (`_action=show`, "open in new window") is checked as well, in the top document.
      const valid = rc.messages.find((x) => path.basename(x.file) === '01-valid.eml');
      assert.ok(valid);
      const showUrl = `${rc.origin}/?_task=mail&_action=show&_uid=${valid.uid}&_mbox=${encodeURIComponent(valid.mbox)}`;
      await d.focus(); // WebDriver navigates the focused tab
      if (name === 'chrome') await page.raw.goto(showUrl); else await page.raw.go(showUrl);
      const [showText, showTitle] = await bar.verdict(/** @type {number} */ (tabId), 'the full view');
      assert.equal(showText, '✓', showTitle);
      assert.equal(await d.inPreview(`document.querySelectorAll('impalemail-verdict').length`), 1);
      await page.screenshot(path.join(shots, 'webmail-show-01-valid.png'));

      if (name === 'chrome') {
        // A stale request token (Roundcube answers HTTP 200 "Request Check Failed"): the page is
        // Roundcube's own, with only the token in its set_env changed on the way (Playwright).
        const tampered = rc.messages.find((x) => path.basename(x.file) === '02-tampered.eml');
        assert.ok(tampered);
        /** @type {import('playwright-core').Page} */
        const p = page.raw;
        const isShow = (/** @type {URL} */ u) => u.searchParams.get('_action') === 'show';
        await p.route(isShow, async (route) => {
          const res = await route.fetch();
          const body = (await res.text()).replace(/"request_token":"[^"]+"/, '"request_token":"staleTokenStaleToken1234"');
          await route.fulfill({ response: res, body });
        });
        await p.goto(`${rc.origin}/?_task=mail&_action=show&_uid=${tampered.uid}&_mbox=${encodeURIComponent(tampered.mbox)}`);
        const [failText, failTitle] = await bar.verdict(/** @type {number} */ (tabId), 'the toolbar state after a refused fetch');
        assert.equal(failText, '?', failTitle);
        assert.match(failTitle, /session check failed/);
        await p.unroute(isShow);
        await page.screenshot(path.join(shots, 'webmail-request-check-failed.png'));
        // The popup offers the diagnostics report: the adapter, the step, the route's shape
        // and the page parts found; not the message's uid, mailbox or any address.
        const popup = await browser.openExtensionPage(`ui/popup.html?tab=${tabId}`);
        const report = await popup.waitFor(`document.getElementById('mail-report')?.textContent`);
        assert.match(report, /^Adapter: roundcube$/m);
        assert.match(report, /^Problem code: request_check$/m);
        assert.match(report, /^Failed step: downloading the raw message/m);
        assert.match(report, /^Page route: \/\?_task=mail&_action=show&_uid=\*&_mbox=\*$/m);
        assert.match(report, /^Page parts found: body yes, header yes, preview no, token (yes|no)$/m);
        assert.ok(!/@|INBOX|alice|bob/i.test(report), `no mailbox or address in: ${report}`);
        assert.equal(await popup.eval(`document.getElementById('mail-copy-report')?.textContent`), 'Copy a report');
        await popup.raw.screenshot({ path: path.join(shots, 'popup-webmail-report.png') });
        await popup.close();
        // The options page says how the last check on this site went.
        const options = await browser.openExtensionPage('ui/options.html');
        const last = await options.waitFor(`document.querySelector('#webmail-list li[data-origin="${rc.origin}"] .site-result')?.textContent`);
        assert.match(last, /^Last check failed \(.+\): The webmail refused/);
        await options.close();
      }
      await ext.close();
      await page.close();
    });
  });
}
