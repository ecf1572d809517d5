// S/MIME verdicts in a real SOGo 5 (tests/webmail/start-sogo.sh), end to end in each browser:
// the same nine messages and the same checks as webmail-roundcube.test.mjs. The user logs in
// through SOGo's login form; each message is opened through SOGo's own router (the hash route
// a click on a row goes to), and one by clicking its row; the verdict is read on the toolbar
// (through an extension page) and the in-page badge must sit above the message body, which in
// SOGo is part of the same document as the app.
//
// Needs root and the packages of `tests/webmail/install.sh --sogo`. WEBMAIL_E2E=0 skips it.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { BROWSERS } from './lib/harness.mjs';
import { js, until } from './lib/pages.mjs';
import { driver, prepareExtension, useRoundcube } from './lib/roundcube-ui.mjs';
import { sogoInstalled, startSogo } from './lib/sogo.mjs';
import { MAILS, ROOT_B64, writeMails } from './lib/webmail-mails.mjs';

/** A folder of SOGo's folder list (INBOX first, then Drafts). */
const FOLDER = 'md-list-item.sg-mailbox-list-item';
/** A message row of SOGo's message list. */
const ROW = 'md-list-item.sg-message-list-item';

/** SOGo on the Roundcube bed's Dovecot, for useRoundcube. @type {import('./lib/roundcube-ui.mjs').WebmailServer<import('./lib/sogo.mjs').Sogo>} */
const SOGO = { what: 'SOGo is not installed: run tests/webmail/install.sh --sogo (as root)', installed: sogoInstalled, start: startSogo };

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

for (const name of BROWSERS) {
  describe(`S/MIME verdicts in SOGo, ${name}`, () => {
    const bed = useRoundcube(name, 'impalemail-wm-mail-', writeMails, SOGO);

    test('log in, open each message; the toolbar says the true verdict and the badge sits above the body', async (t) => {
      if (bed.skip) return t.skip('WEBMAIL_E2E=0');
      const { rc: wm, browser } = bed.ready();
      const shots = browser.outDir;
      const { ext, bar } = await prepareExtension(browser, { rootB64: ROOT_B64, origin: wm.origin, adapter: 'sogo' });

      const page = await browser.open(`${wm.origin}/SOGo/`);
      const d = driver(browser, page, { inTop: true });
      await d.setSize(1400, 900);
      await d.fill('input[ng-model="app.creds.username"]', wm.user);
      await d.fill('#passwordField', wm.password);
      await d.click('button[type="submit"]');
      await until(() => page.eval(`location.pathname.endsWith('/Mail/view') && document.querySelectorAll(${js(ROW)}).length === ${MAILS.length}`), 'the message list');

      /** The UID of a message file. @param {string} file */
      const uidOf = (file) => {
        const stored = wm.messages.find((x) => path.basename(x.file) === file);
        assert.ok(stored, `${file} is in the mailbox`);
        return stored.uid;
      };
      /** Waits until the page shows message `uid` with a badge. @param {number} uid @param {string} what */
      const shown = (uid, what) => until(() => page.eval(`location.hash.endsWith('/INBOX/${uid}') && !!document.querySelector('#detailView h5.sg-md-headline') && !!document.querySelector('impalemail-verdict')`), `${what} with its badge`);

      /** @type {number | undefined} */ let tabId;
      for (const [i, m] of MAILS.entries()) {
        const uid = uidOf(m.file);
        // Clear the toolbar first, so that what is read next was drawn for this message.
        if (tabId !== undefined) await bar.clear(tabId);
        await d.focus();
        // SOGo's router: the state a click on the row goes to (mail.account.mailbox.message).
        await page.eval(`location.hash = ${js(`#!/Mail/0/INBOX/${uid}`)}`);
        await shown(uid, m.file);
        if (tabId === undefined) tabId = await bar.badgedTab();
        const [text, title] = await bar.verdict(tabId, m.file);
        assert.equal(text, m.badge, `${m.file}: toolbar badge (title: ${title})`);
        assert.ok(title.includes(m.title), `${m.file}: toolbar title "${title}" should say "${m.title}"`);
        if (m.continuity) assert.ok(title.includes(m.continuity), `${m.file}: toolbar title "${title}" should note "${m.continuity}"`);
        else assert.ok(!title.includes('Earlier messages'), `${m.file}: no continuity note expected in "${title}"`);

        // The view of the message before may still be leaving (SOGo animates the change) with its badge.
        await until(() => page.eval(`document.querySelectorAll('impalemail-verdict').length === 1`), `${m.file}: one badge`);
        // The badge is in the message card, above the body (the sender's HTML), and shows nothing to the page.
        const place = await d.inPreview(`(() => {
          const host = document.querySelector('impalemail-verdict');
          const body = document.querySelector('#detailView .msg-body');
          return { inBody: !!body && body.contains(host), before: !!(body && (host.compareDocumentPosition(body) & Node.DOCUMENT_POSITION_FOLLOWING)),
            inCard: !!host.closest('#detailView md-card'), shadow: host.shadowRoot === null, text: host.textContent,
            attributes: host.attributes.length, count: document.querySelectorAll('impalemail-verdict').length };
        })()`);
        assert.deepEqual(place, { inBody: false, before: true, inCard: true, shadow: true, text: '', attributes: 0, count: 1 }, `${m.file}: badge placement`);
        if (i === 0 || m.file === '02-tampered.eml' || m.file === '09-fake-badge.eml') await d.clickBadge(); // open the details
        await sleep(300); // let the page paint the badge before the screenshot
        await page.screenshot(path.join(shots, `sogo-${m.file.replace(/\.eml$/, '')}.png`));
      }
      assert.ok(tabId !== undefined);

      // Another folder: the message view closes, and the last message's verdict leaves the toolbar.
      assert.notEqual((await bar.badgeOf(tabId))[0], '');
      await d.focus();
      await d.click(`${FOLDER}:nth-child(2)`); // Drafts
      await until(async () => (await page.eval(`document.querySelectorAll('impalemail-verdict').length`)) === 0, 'the badge to go');
      await until(async () => (await bar.badgeOf(/** @type {number} */ (tabId)))[0] === '', 'the toolbar badge to clear when no message is shown');

      // Back to the INBOX, and a click on a row: the message it opens gets its true verdict.
      await d.click(`${FOLDER}:nth-child(1)`); // INBOX
      await until(() => page.eval(`document.querySelectorAll(${js(ROW)}).length === ${MAILS.length}`), 'the message list again');
      // (Retried until a message opens: while the list animates in, Firefox may find another
      // element over the row, or the click may land before the row takes clicks.)
      const uid = Number(await until(async () => {
        try { await d.click(`${ROW} button.md-no-style`); } catch { return null; }
        await sleep(500);
        return page.eval(`/\\/INBOX\\/(\\d+)$/.exec(location.hash)?.[1]`);
      }, 'a message opened by a click on its row'));
      const m = MAILS.find((x) => uidOf(x.file) === uid);
      assert.ok(m, `UID ${uid} is one of the nine`);
      await shown(uid, `${m.file} (clicked)`);
      const [text, title] = await bar.verdict(tabId, `${m.file} (clicked)`);
      assert.equal(text, m.badge, `${m.file} (clicked): toolbar badge (title: ${title})`);
      assert.ok(title.includes(m.title), `${m.file} (clicked): toolbar title "${title}" should say "${m.title}"`);

      if (name === 'chrome') {
        // A stale XSRF token: the adapter's request reaches the real SOGo with another token in
        // its X-XSRF-TOKEN header (changed on the way, Playwright), and SOGo refuses it (HTTP 500).
        const other = MAILS.find((x) => x !== m);
        assert.ok(other);
        const otherUid = uidOf(other.file);
        /** @type {import('playwright-core').Page} */
        const p = page.raw;
        let seen = 0;
        const isExport = (/** @type {URL} */ u) => u.pathname.endsWith(`/INBOX/${otherUid}/export`) || u.pathname.endsWith(`/folderINBOX/${otherUid}/export`);
        await p.route(isExport, async (route) => {
          seen++;
          await route.continue({ headers: { ...route.request().headers(), 'x-xsrf-token': '0123456789abcdef0123456789abcdef01234567' } });
        });
        await bar.clear(tabId);
        await page.eval(`location.hash = ${js(`#!/Mail/0/INBOX/${otherUid}`)}`);
        await shown(otherUid, `${other.file} (stale token)`);
        const [failText, failTitle] = await bar.verdict(tabId, 'the toolbar state after a refused fetch');
        assert.equal(failText, '?', failTitle);
        assert.match(failTitle, /answered with an error/);
        assert.equal(seen, 1, 'the adapter asked SOGo once');
        await p.unroute(isExport);
        await page.screenshot(path.join(shots, 'sogo-stale-xsrf.png'));
      }
      await ext.close();
      await page.close();
    });
  });
}
