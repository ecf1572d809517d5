// DKIM verdicts in a real Roundcube (issue #21), end to end in each browser: a mail without an
// S/MIME signature but with a DKIM signature by example.com (tests/fixtures/dkim/
// rsa2048-relaxed.eml, signed by dkimpy) shows the domain verdict on the toolbar ("@", "Sent
// through example.com's mail servers; the text is unchanged."), and the same mail with a
// changed body does not: it is red, example.com publishing DMARC p=reject. The background asks
// the DNS-over-HTTPS stand-in on 127.0.0.1 (tests/e2e/lib/doh-server.mjs) for the key and the
// DMARC record. The options page shows the switch off, with its privacy sentence, before the
// test turns it on through the background (the permission prompt of a real click cannot be
// clicked through; the stand-in sends the CORS headers a host permission would make unneeded).
//
// Needs root and the packages of tests/webmail/install.sh; run under `flock /tmp/roundcube.lock`.
// WEBMAIL_E2E=0 skips it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startDohServer } from './lib/doh-server.mjs';
import { BROWSERS, ROOT, launchBrowser } from './lib/harness.mjs';
import { js, waitFor } from './lib/pages.mjs';
import { roundcubeInstalled, startRoundcube } from './lib/roundcube.mjs';
import { driver, logIn, openMessage, prepareExtension } from './lib/roundcube-ui.mjs';
import { ROOT_B64 } from './lib/webmail-mails.mjs';

const SKIP = process.env.WEBMAIL_E2E === '0';
const FIX = path.join(ROOT, 'tests/fixtures/dkim');
const SIGNED = fs.readFileSync(path.join(FIX, 'rsa2048-relaxed.eml'));
const CHANGED = Buffer.from(SIGNED.toString('latin1').replace('Alice\r\n', 'Mallory\r\n'), 'latin1');
const ZONE = JSON.parse(fs.readFileSync(path.join(FIX, 'dns.json'), 'utf8'));

/** The mailbox, in UID order, and what the toolbar must say for each message. */
const MAILS = [
  { file: '01-dkim.eml', bytes: SIGNED, badge: '@', title: "Sent through example.com's mail servers; the text is unchanged." },
  { file: '02-dkim-changed.eml', bytes: CHANGED, badge: '!', title: "The text was changed after the sender's domain signed it." },
];

for (const name of BROWSERS) {
  describe(`DKIM verdicts in Roundcube, ${name}`, () => {
    /** @type {string} */ let mailDir;
    /** @type {Awaited<ReturnType<typeof startRoundcube>> | undefined} */ let rc;
    /** @type {Awaited<ReturnType<typeof launchBrowser>> | undefined} */ let browser;
    /** @type {Awaited<ReturnType<typeof startDohServer>> | undefined} */ let doh;
    /** @type {unknown} */ let setupError;

    before(async () => {
      if (SKIP) return;
      try {
        if (!roundcubeInstalled()) throw new Error('Roundcube/Dovecot/PHP are not installed: run tests/webmail/install.sh (as root)');
        mailDir = fs.mkdtempSync(path.join(os.tmpdir(), 'impalemail-dkim-mail-'));
        for (const m of MAILS) fs.writeFileSync(path.join(mailDir, m.file), m.bytes);
        doh = await startDohServer({ zone: ZONE });
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
        try { await rc?.stop(); } finally {
          await doh?.close();
          if (mailDir) fs.rmSync(mailDir, { recursive: true, force: true });
        }
      }
    });

    test('off by default with the privacy sentence; on, a DKIM-signed mail shows its domain, a changed one is red', async (t) => {
      if (SKIP) return t.skip('WEBMAIL_E2E=0');
      if (setupError) throw setupError;
      assert.ok(rc && browser && doh);
      const { ext, bar } = await prepareExtension(browser, { rootB64: ROOT_B64, origin: rc.origin, adapter: 'roundcube' });
      const api = name === 'firefox' ? 'browser' : 'chrome';
      await waitFor(ext, `document.body.dataset.smimeReady === '1'`);
      assert.equal(await ext.eval(`document.getElementById('dkim-on').checked`), false, 'off until the user turns it on');
      assert.match(await ext.eval(`document.querySelector('#dkim-section').textContent`), /The resolver learns the domain of every sender whose message you open/);
      const set = await ext.eval(`${api}.runtime.sendMessage({ type: 'dkim.setDns', on: true, resolver: 'custom', custom: ${js(`${doh.url}/dns-query`)} })`);
      assert.equal(set.ok, true, JSON.stringify(set));

      const page = await browser.open(`${rc.origin}/?_task=login`);
      const d = driver(browser, page);
      await d.setSize(1400, 900);
      await logIn(d, page, rc);
      /** @type {number | undefined} */ let tabId;
      for (const m of MAILS) {
        const stored = rc.messages.find((x) => path.basename(x.file) === m.file);
        assert.ok(stored, `${m.file} is in the mailbox`);
        if (tabId !== undefined) await bar.clear(tabId);
        await openMessage(d, stored, m.file);
        if (tabId === undefined) tabId = await bar.badgedTab();
        const [text, title] = await bar.verdict(tabId, m.file);
        assert.equal(text, m.badge, `${m.file}: toolbar badge (title: ${title})`);
        assert.ok(title.includes(m.title), `${m.file}: toolbar title "${title}" should say "${m.title}"`);
        await d.clickBadge(); // the details, for the screenshot
        await page.screenshot(path.join(browser.outDir, `webmail-${m.file.replace(/\.eml$/, '')}.png`));
      }
      assert.ok(doh.asked.includes('rsa2048._domainkey.example.com') && doh.asked.includes('_dmarc.example.com'), `asked: ${doh.asked}`);
      await ext.close();
      await page.close();
    });
  });
}
