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
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BROWSERS, ROOT, launchBrowser } from './lib/harness.mjs';
import { js, until } from './lib/pages.mjs';
import { roundcubeInstalled, startRoundcube } from './lib/roundcube.mjs';
import { driver, logIn, openMessage, toolbar } from './lib/roundcube-ui.mjs';

const SKIP = process.env.WEBMAIL_E2E === '0';
const FIX = path.join(ROOT, 'tests/fixtures/smime');

/** The test CA's root as base64 DER, the form `trust.userRoots` keeps. */
const ROOT_B64 = fs.readFileSync(path.join(FIX, 'pki/root.pem'), 'utf8')
  .replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');

/** Lines joined with CRLF, ending in CRLF. @param {string[]} lines */
const crlf = (lines) => lines.map((l) => `${l}\r\n`).join('');

/** An unsigned HTML mail "from Alice" that draws a look-alike green verified box in its body. */
const FAKE_BADGE_MAIL = crlf([
  'Date: Wed, 04 Mar 2026 09:00:00 +0000',
  'From: Alice Example <alice@example.com>',
  'To: testuser@example.test',
  'Subject: Fake verified badge',
  'Message-ID: <webmail-fake-badge-0009@example.com>',
  'MIME-Version: 1.0',
  'Content-Type: text/html; charset=utf-8',
  'Content-Transfer-Encoding: 7bit',
  '',
  '<html><body>',
  '<div style="border:2px solid #1a7f37;background:#e9f7ee;border-radius:6px;padding:6px 10px;font:13px sans-serif">',
  '<b style="background:#1a7f37;color:#fff;border-radius:50%;padding:0 5px">&#10003;</b>',
  ' <b>Signature verified</b> Signed by alice@example.com; the message is unchanged.</div>',
  '<p>Please pay invoice 4711 to IBAN XX00 1234 today.</p>',
  '</body></html>',
]);

/**
 * The mailbox, in UID order, and what the toolbar must say for each message. `title` is a piece
 * of the tooltip (the core's summary), `continuity` a piece of the continuity note or null.
 * @type {{ file: string, from?: string, bytes?: string, badge: string, title: string, continuity: string | null }[]}
 */
const MAILS = [
  { file: '01-valid.eml', from: 'generated/001.eml', badge: '✓', title: 'Signed by alice@example.com; the message is unchanged.', continuity: null },
  { file: '02-tampered.eml', from: 'generated/016.eml', badge: '!', title: 'The message was changed after it was signed.', continuity: null },
  { file: '03-wrong-sender.eml', from: 'attacks/i1-from-not-signer.eml', badge: '?', title: 'signed by someone other than the sender shown', continuity: 'were signed with a different certificate' },
  { file: '04-expired.eml', from: 'generated/021.eml', badge: '!', title: "The signer's certificate has expired.", continuity: 'were signed with a different certificate' },
  { file: '05-untrusted.eml', from: 'attacks/c4-untrusted-ca.eml', badge: '?', title: 'not issued by an authority you trust', continuity: 'from another authority' },
  { file: '06-opaque.eml', from: 'generated/010.eml', badge: '✓', title: 'Signed by alice@example.com; the message is unchanged.', continuity: null },
  { file: '07-partial.eml', from: 'attacks/m1-prepended-text.eml', badge: '?', title: 'Only part of the message is signed (part 2.1).', continuity: null },
  { file: '08-unsigned.eml', from: 'generated/022.eml', badge: '?', title: 'The message is not signed.', continuity: 'were signed; this one is not' },
  { file: '09-fake-badge.eml', bytes: FAKE_BADGE_MAIL, badge: '?', title: 'The message is not signed.', continuity: 'were signed; this one is not' },
];

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

for (const name of BROWSERS) {
  describe(`S/MIME verdicts in Roundcube, ${name}`, () => {
    /** @type {string} */ let mailDir;
    /** @type {Awaited<ReturnType<typeof startRoundcube>> | undefined} */ let rc;
    /** @type {Awaited<ReturnType<typeof launchBrowser>> | undefined} */ let browser;
    /** @type {unknown} */ let setupError;

    before(async () => {
      if (SKIP) return;
      try {
        if (!roundcubeInstalled()) throw new Error('Roundcube/Dovecot/PHP are not installed: run tests/webmail/install.sh (as root)');
        mailDir = fs.mkdtempSync(path.join(os.tmpdir(), 'impalemail-wm-mail-'));
        for (const m of MAILS) {
          const bytes = m.bytes !== undefined ? Buffer.from(m.bytes) : fs.readFileSync(path.join(FIX, /** @type {string} */ (m.from)));
          // IMAP hands out CRLF (RFC 3501 §2.2): only CRLF files come back byte for byte.
          assert.ok(!/(?<!\r)\n/.test(bytes.toString('latin1')), `${m.file} must have CRLF line ends`);
          fs.writeFileSync(path.join(mailDir, m.file), bytes);
        }
        rc = await startRoundcube({ mailDir });
        browser = await launchBrowser(name);
      } catch (e) {
        setupError = e;
      }
    });

    after(async () => {
      try {
        await browser?.close();
      } finally {
        try { await rc?.stop(); } finally { if (mailDir) fs.rmSync(mailDir, { recursive: true, force: true }); }
      }
    });

    test('log in, open each message; the toolbar says the true verdict and the badge sits above the body', async (t) => {
      if (SKIP) return t.skip('WEBMAIL_E2E=0');
      if (setupError) throw setupError;
      assert.ok(rc && browser);
      const shots = browser.outDir;

      // An extension page: it may read and set what content scripts and pages never can.
      const ext = await browser.openExtensionPage('ui/options.html');
      const api = name === 'firefox' ? 'browser' : 'chrome';
      await ext.eval(`${api}.storage.local.set({ 'trust.userRoots': [${js(ROOT_B64)}] })`);
      // A self-hosted Roundcube is checked once the user turned it on for its origin (the
      // popup's offer; tests/e2e/webmail-replicas.test.mjs goes through that flow).
      await ext.eval(`${api}.runtime.sendMessage({ type: 'webmail.enableSite', origin: ${js(rc.origin)}, adapter: 'roundcube' })`);
      assert.deepEqual(await ext.eval(`${api}.storage.local.get('trust.userRoots').then((g) => g['trust.userRoots'])`), [ROOT_B64]);
      const bar = toolbar(ext, name);
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
      }
      await ext.close();
      await page.close();
    });
  });
}
