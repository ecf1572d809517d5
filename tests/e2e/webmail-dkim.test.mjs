// DKIM verdicts in a real Roundcube (issue #21), end to end in each browser: a mail without an
// S/MIME signature but with a DKIM signature by example.com (tests/fixtures/dkim/
// rsa2048-relaxed.eml, signed by dkimpy) shows the domain verdict on the toolbar ("@", "Sent
// through example.com's mail servers; the text is unchanged."), and the same mail with a
// changed body does not: it is red, example.com publishing DMARC p=reject. The background asks
// the DNS-over-HTTPS stand-in on 127.0.0.1 (tests/e2e/lib/doh-server.mjs) for the key and the
// DMARC record. The options page shows the switch off, with its privacy sentence, before the
// test turns it on through the background (the permission prompt of a real click cannot be
// clicked through; the stand-in sends the CORS headers a host permission would make unneeded).
// A third mail is signed with Ed25519 (ed25519.eml): green too, its equation checked by the
// browser's WebCrypto (Chromium 137+, Firefox 129+).
//
// Needs root and the packages of tests/webmail/install.sh; run under `flock /tmp/roundcube.lock`.
// WEBMAIL_E2E=0 skips it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startDohServer } from './lib/doh-server.mjs';
import { BROWSERS, ROOT } from './lib/harness.mjs';
import { js, waitFor } from './lib/pages.mjs';
import { checkEachMessage, prepareExtension, useRoundcube } from './lib/roundcube-ui.mjs';
import { ROOT_B64 } from './lib/webmail-mails.mjs';

const FIX = path.join(ROOT, 'tests/fixtures/dkim');
const SIGNED = fs.readFileSync(path.join(FIX, 'rsa2048-relaxed.eml'));
const CHANGED = Buffer.from(SIGNED.toString('latin1').replace('Alice\r\n', 'Mallory\r\n'), 'latin1');
/** Signed with Ed25519 (RFC 8463): the browser's own WebCrypto checks the equation. */
const ED25519 = fs.readFileSync(path.join(FIX, 'ed25519.eml'));
const ZONE = JSON.parse(fs.readFileSync(path.join(FIX, 'dns.json'), 'utf8'));

/** The mailbox, in UID order, and what the toolbar must say for each message. */
const MAILS = [
  { file: '01-dkim.eml', bytes: SIGNED, badge: '@', title: "Sent through example.com's mail servers; the text is unchanged." },
  { file: '02-dkim-changed.eml', bytes: CHANGED, badge: '!', title: "The text was changed after the sender's domain signed it." },
  { file: '03-dkim-ed25519.eml', bytes: ED25519, badge: '@', title: "Sent through example.com's mail servers; the text is unchanged." },
];

for (const name of BROWSERS) {
  describe(`DKIM verdicts in Roundcube, ${name}`, () => {
    const bed = useRoundcube(name, 'impalemail-dkim-mail-', (dir) => {
      for (const m of MAILS) fs.writeFileSync(path.join(dir, m.file), m.bytes);
    });
    /** @type {Awaited<ReturnType<typeof startDohServer>> | undefined} */ let doh;
    before(async () => { if (!bed.skip) doh = await startDohServer({ zone: ZONE }); });
    after(async () => { await doh?.close(); });

    test('off by default with the privacy sentence; on, a DKIM-signed mail shows its domain, a changed one is red', async (t) => {
      if (bed.skip) return t.skip('WEBMAIL_E2E=0');
      const { rc, browser } = bed.ready();
      assert.ok(doh);
      const { ext, bar } = await prepareExtension(browser, { rootB64: ROOT_B64, origin: rc.origin, adapter: 'roundcube' });
      const api = name === 'firefox' ? 'browser' : 'chrome';
      await waitFor(ext, `document.body.dataset.smimeReady === '1'`);
      assert.equal(await ext.eval(`document.getElementById('dkim-on').checked`), false, 'off until the user turns it on');
      assert.match(await ext.eval(`document.querySelector('#dkim-section').textContent`), /The resolver learns the domain of every sender whose message you open/);
      const set = await ext.eval(`${api}.runtime.sendMessage({ type: 'dkim.setDns', on: true, resolver: 'custom', custom: ${js(`${doh.url}/dns-query`)} })`);
      assert.equal(set.ok, true, JSON.stringify(set));

      const page = await checkEachMessage(browser, rc, bar, MAILS, async (d, shown, m) => {
        await d.clickBadge(); // the details, for the screenshot
        await shown.screenshot(path.join(browser.outDir, `webmail-${m.file.replace(/\.eml$/, '')}.png`));
      });
      assert.ok(doh.asked.includes('rsa2048._domainkey.example.com') && doh.asked.includes('_dmarc.example.com'), `asked: ${doh.asked}`);
      assert.ok(doh.asked.includes('ed._domainkey.example.com'), `asked: ${doh.asked}`);
      await ext.close();
      await page.close();
    });
  });
}
