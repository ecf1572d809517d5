// S/MIME verdicts in the Gmail and Outlook adapters, end to end in each browser, against local
// replicas of the two services (tests/e2e/lib/webmail-replicas.mjs: their DOM hooks and raw
// message routes; the live services cannot be reached from here). Also the popup's part: the
// offer to turn checks on for a webmail it recognised, the tab's verdict, and the check of a
// dropped/chosen message file; and the options page's root import with its preview.
//
// The verdict is read where no page can draw: the toolbar button's badge and tooltip (through
// an extension page). The in-page badge's closed shadow root shows the page nothing, so the
// tests check where it sits and that the page learns nothing from it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BROWSERS, ROOT, launchBrowser } from './lib/harness.mjs';
import { js, ready, reload, sendFrom, ui, until, waitFor } from './lib/pages.mjs';
import { GMAIL_IK, startGmailReplica, startOutlookReplica } from './lib/webmail-replicas.mjs';

const FIX = path.join(ROOT, 'tests/fixtures/smime');
const ROOT_PEM = path.join(FIX, 'pki/root.pem');
const ROOT_B64 = fs.readFileSync(ROOT_PEM, 'utf8').replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');
const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));
const read = (/** @type {string} */ rel) => fs.readFileSync(path.join(FIX, rel));

/** An unsigned HTML mail whose body imitates a Gmail message (with the valid message's id) and a green badge. */
const FAKE_BODY = '<div class="adn ads" data-legacy-message-id="18c0ffee00000001"><div class="ii gt">'
  + '<div style="border:2px solid #1a7f37;background:#e9f7ee;padding:6px">&#10003; <b>Signature verified</b></div></div></div>'
  + '<p>Please pay invoice 4711 today.</p>';
const FAKE_RAW = Buffer.from([
  'From: Alice Example <alice@example.com>', 'To: bob@example.org', 'Subject: Fake verified badge',
  'MIME-Version: 1.0', 'Content-Type: text/html; charset=utf-8', '', FAKE_BODY, '',
].join('\r\n'));

/** Gmail: legacy hex ids and one newer `msg-f:` id; thread t3 holds two messages. */
const GMAIL = [
  { id: '18c0ffee00000001', thread: 't1', subject: 'Valid', from: 'Alice Example', bodyHtml: '<p>Hello Bob</p>', raw: read('generated/001.eml'), badge: '✓' },
  { id: '18c0ffee00000002', thread: 't2', subject: 'Tampered', from: 'Alice Example', bodyHtml: '<p>Hello Rob</p>', raw: read('generated/016.eml'), badge: '!' },
  { id: '18c0ffee00000003', thread: 't3', subject: 'Thread', from: 'Alice Example', bodyHtml: '<p>first</p>', raw: read('generated/001.eml'), badge: '✓' },
  { id: 'msg-f:1790000000000000004', thread: 't3', subject: 'Thread', from: 'Alice Example', bodyHtml: '<p>second</p>', raw: read('generated/010.eml'), badge: '✓' },
  { id: '18c0ffee00000005', thread: 't5', subject: 'Fake verified badge', from: 'Alice Example', bodyHtml: FAKE_BODY, raw: FAKE_RAW, badge: '?' },
];
/** Outlook: EWS ids are base64 with `+`, `/` and `=`, URL-encoded in the path. */
const OUTLOOK = [
  { id: 'AAMkAGI2TG93AAA+/bcd=', thread: 'a', subject: 'Valid', from: 'Alice Example', bodyHtml: '<p>Hello Bob</p>', raw: read('generated/001.eml'), badge: '✓' },
  { id: 'AAMkAGI2TG94AAA/+xyz=', thread: 'b', subject: 'Partly signed', from: 'Alice Example', bodyHtml: '<p>prepended</p>', raw: read('attacks/m1-prepended-text.eml'), badge: '?' },
  { id: 'AAMkAGI2TG95AAA==', thread: 'c', subject: 'Untrusted', from: 'Alice Example', bodyHtml: '<p>untrusted</p>', raw: read('attacks/c4-untrusted-ca.eml'), badge: '?' },
];


/** Sets a file input's file with real input (Playwright in Chromium, WebDriver in Firefox). */
async function setFile(/** @type {any} */ browser, /** @type {any} */ page, /** @type {string} */ sel, /** @type {string} */ file) {
  await waitFor(page, `!!document.querySelector(${js(sel)})`);
  if (browser.name === 'chrome') return page.raw.setInputFiles(sel, file);
  const wd = page.raw;
  await page.eval('1'); // focus this tab
  const v = await wd.req('POST', wd.s('/element'), { using: 'css selector', value: sel });
  await wd.req('POST', wd.s(`/element/${v['element-6066-11e4-a52e-4f735466cecf']}/value`), { text: file });
}

for (const name of BROWSERS) {
  describe(`S/MIME in the Gmail and Outlook replicas, popup and options, ${name}`, () => {
    /** @type {Awaited<ReturnType<typeof startGmailReplica>> | undefined} */ let gmail;
    /** @type {Awaited<ReturnType<typeof startOutlookReplica>> | undefined} */ let outlook;
    /** @type {Awaited<ReturnType<typeof launchBrowser>> | undefined} */ let browser;
    const api = name === 'firefox' ? 'browser' : 'chrome';

    before(async () => {
      gmail = await startGmailReplica({ messages: GMAIL });
      outlook = await startOutlookReplica({ messages: OUTLOOK });
      browser = await launchBrowser(name);
    });
    after(async () => {
      await browser?.close();
      gmail?.close();
      outlook?.close();
    });

    /** An extension page, and reading the toolbar of a tab through it. */
    async function extPage() {
      assert.ok(browser);
      const ext = await browser.openExtensionPage('ui/options.html');
      await ready(ext);
      return {
        ext,
        /** @param {number} tabId */
        badgeOf: (tabId) => ext.eval(`Promise.all([${api}.action.getBadgeText({ tabId: ${tabId} }), ${api}.action.getTitle({ tabId: ${tabId} })])`),
        allTabs: () => ext.eval(`${api}.tabs.query({}).then((ts) => ts.map((t) => t.id))`),
        /** @param {Record<string, unknown>} m */
        send: (m) => ext.eval(`${api}.runtime.sendMessage(${js(m)})`),
      };
    }

    /** The final toolbar state of a tab (not empty, not "checking"). */
    async function verdictOf(/** @type {any} */ x, /** @type {number} */ tabId, /** @type {string} */ what) {
      return until(async () => {
        const b = await x.badgeOf(tabId);
        return b[0] !== '' && b[0] !== '…' && !/^ImpaleMail(: checking|$)/i.test(b[1]) ? b : null;
      }, what);
    }

    test('Gmail: each opened message gets its true verdict; threads, newer ids, a mail imitating a message', async () => {
      assert.ok(browser && gmail);
      const x = await extPage();
      await x.ext.eval(`${api}.storage.local.set({ 'trust.userRoots': [${js(ROOT_B64)}] })`);
      const on = await x.send({ type: 'webmail.enableSite', origin: gmail.origin, adapter: 'gmail' });
      assert.equal(on.ok, true, js(on));
      const page = await browser.open(gmail.app);
      const u = ui(browser, page);
      await waitFor(page, `document.body.dataset.replica === 'ready'`);

      /** @type {number | undefined} */ let tabId;
      for (const thread of ['t1', 't2', 't3', 't5']) {
        const msgs = GMAIL.filter((m) => m.thread === thread);
        if (tabId !== undefined) await x.ext.eval(`${api}.action.setBadgeText({ tabId: ${tabId}, text: '' })`);
        await u.focusPage();
        if (await page.eval(`!!document.querySelector('div.conversation')`)) {
          await page.eval(`(location.hash = '#inbox', 1)`);
          await waitFor(page, `!document.querySelector('div.conversation') && !!document.querySelector('tr.zA')`);
        }
        await u.click(`tr.zA[data-thread="${thread}"] td.xY`);
        await until(() => page.eval(`document.querySelectorAll('impalemail-verdict').length === ${msgs.length}`), `${thread}: ${msgs.length} badge(s)`);
        tabId ??= await until(async () => {
          for (const id of await x.allTabs()) if ((await x.badgeOf(id))[0] !== '') return id;
          return undefined;
        }, 'the tab with a toolbar badge');
        const [text, title] = await verdictOf(x, /** @type {number} */ (tabId), `${thread}: toolbar`);
        // The toolbar shows the last message checked in the thread; all of this thread's agree.
        assert.ok(msgs.some((m) => m.badge === text), `${thread}: toolbar ${text} (${title})`);
        if (thread !== 't3') assert.equal(text, msgs[0].badge, `${thread}: ${title}`);
        // Placement: between each message's header and its body, never inside a body; closed.
        const place = await page.eval(`(() => Array.from(document.querySelectorAll('impalemail-verdict')).map((host) => ({
          inBody: !!host.closest('div.ii.gt, div.a3s'),
          beforeBody: host.nextElementSibling?.matches('div.ii.gt') ?? false,
          shadow: host.shadowRoot === null, text: host.textContent, attributes: host.attributes.length })))()`);
        for (const p of place) assert.deepEqual(p, { inBody: false, beforeBody: true, shadow: true, text: '', attributes: 0 }, `${thread}: badge placement`);
        await page.screenshot(path.join(browser.outDir, `gmail-${thread}.png`));
      }
      // The fake message: one badge (the real message's), none for the imitation inside its body,
      // and the raw source of the imitated id was never fetched for it.
      assert.equal(gmail.fetches.filter((f) => f.includes('th=18c0ffee00000001')).length, 1, js(gmail.fetches));
      assert.ok(gmail.fetches.some((f) => f.includes('permmsgid=msg-f%3A1790000000000000004')), js(gmail.fetches));
      assert.ok(gmail.fetches.every((f) => f.startsWith(`/mail/u/0/?ik=${GMAIL_IK}&view=att&`)), `only the download route was fetched, with the account key: ${js(gmail.fetches)}`);

      // The popup shows the tab's verdict, with the personal mark, in details.
      const popup = await browser.openExtensionPage(`ui/popup.html?tab=${tabId}`);
      await waitFor(popup, `!!document.querySelector('#mail-verdict [data-status]')`);
      assert.equal(await popup.eval(`document.querySelector('#mail-verdict [data-status]').dataset.status`), 'not_verified');
      assert.equal(await popup.eval(`document.querySelector('#mail-verdict [data-status]').dataset.reason`), 'unsigned');
      assert.ok(await popup.eval(`!!document.querySelector('#mail-verdict .mark')?.textContent`));
      await popup.close();

      // Back to the inbox: the verdict leaves the toolbar.
      await u.focusPage();
      await page.eval(`(location.hash = '#inbox', 1)`);
      await until(async () => (await x.badgeOf(/** @type {number} */ (tabId)))[0] === '', 'the toolbar to clear');
      assert.equal(await page.eval(`document.querySelectorAll('impalemail-verdict').length`), 0);
      await page.close();
      await x.ext.close();
    });

    test('Outlook: off until the user turns it on from the popup; then each message\'s verdict', async () => {
      assert.ok(browser && outlook);
      const x = await extPage();
      await x.ext.eval(`${api}.storage.local.set({ 'trust.userRoots': [${js(ROOT_B64)}] })`);
      const page = await browser.open(outlook.app);
      const u = ui(browser, page);
      await waitFor(page, `document.body.dataset.replica === 'ready'`);
      await u.click(`[role="option"][data-item=${js(OUTLOOK[0].id)}]`);
      // Not turned on: nothing is fetched, no badge; the popup offers it for this origin.
      const tabId = await until(async () => {
        for (const id of await x.allTabs()) {
          const d = await x.send({ type: 'webmail.tabDetected', tabId: id });
          if (d.ok && d.value) return id;
        }
        return undefined;
      }, 'the popup\'s offer');
      await sleep(500);
      assert.equal(await page.eval(`document.querySelectorAll('impalemail-verdict').length`), 0);
      assert.deepEqual(outlook.fetches, []);
      const popup = await browser.openExtensionPage(`ui/popup.html?tab=${tabId}`);
      await waitFor(popup, `!document.getElementById('mail-offer').hidden`);
      assert.ok((await popup.eval(`document.getElementById('mail-offer-text').textContent`)).includes(outlook.origin));
      await ui(browser, popup).click('#mail-enable');
      await waitFor(popup, `document.getElementById('mail-offer-text').textContent.includes(${js(outlook.origin)}) && document.getElementById('mail-enable').hidden`);
      await popup.close();
      // The page reloaded at the message's URL: checked now.
      for (const [i, m] of OUTLOOK.entries()) {
        await u.focusPage();
        if (i > 0) {
          await x.ext.eval(`${api}.action.setBadgeText({ tabId: ${tabId}, text: '' })`);
          await u.click(`[role="option"][data-item=${js(m.id)}]`);
        }
        await until(() => page.eval(`!!document.querySelector('impalemail-verdict') && location.pathname.endsWith(${js(encodeURIComponent(m.id))})`), `${m.subject}: badge`);
        const [text, title] = await verdictOf(x, tabId, `${m.subject}: toolbar`);
        assert.equal(text, m.badge, `${m.subject}: ${title}`);
        const place = await page.eval(`(() => { const host = document.querySelector('impalemail-verdict');
          return { afterSubject: host.previousElementSibling?.getAttribute('role') === 'heading', inBody: !!host.closest('[aria-label="Message body"]'),
            shadow: host.shadowRoot === null, count: document.querySelectorAll('impalemail-verdict').length }; })()`);
        assert.deepEqual(place, { afterSubject: true, inBody: false, shadow: true, count: 1 }, `${m.subject}: placement`);
        await page.screenshot(path.join(browser.outDir, `outlook-${i + 1}.png`));
      }
      assert.ok(outlook.fetches.length >= OUTLOOK.length && outlook.fetches.every((f) => f === '/owa/service.svc?action=GetItem&app=Mail'), js(outlook.fetches));
      // Back to the inbox: cleared.
      await u.click('#back');
      await until(async () => (await x.badgeOf(tabId))[0] === '', 'the toolbar to clear');
      await page.close();
      await x.ext.close();
    });

    test('the popup checks a chosen .eml or .p7m file; the options page imports a root with a preview', async () => {
      assert.ok(browser);
      const x = await extPage();
      await x.ext.eval(`${api}.storage.local.remove('trust.userRoots')`);
      const popup = await browser.openExtensionPage('ui/popup.html');
      await setFile(browser, popup, '#file-input', path.join(FIX, 'generated/001.eml'));
      await waitFor(popup, `!!document.querySelector('#file-result [data-status]')`);
      // The test CA is not trusted yet.
      assert.equal(await popup.eval(`document.querySelector('#file-result [data-status]').dataset.reason`), 'untrusted_root');

      // Options: choose the root file, see what it is, trust it.
      await x.ext.close();
      const opts = await browser.openExtensionPage('ui/options.html');
      await waitFor(opts, `document.body.dataset.smimeReady === '1'`);
      assert.match(await opts.eval(`document.getElementById('roots-builtin').textContent`), /\d+ .*NSS/);
      await setFile(browser, opts, '#roots-file', ROOT_PEM);
      await waitFor(opts, `!document.getElementById('roots-preview').hidden`);
      assert.match(await opts.eval(`document.getElementById('roots-preview-list').textContent`), /ImpaleMail Test Root CA/);
      assert.equal(await opts.eval(`${api}.storage.local.get('trust.userRoots').then((g) => g['trust.userRoots'] ?? null)`), null, 'the preview trusts nothing');
      await ui(browser, opts).click('#roots-confirm');
      await waitFor(opts, `document.querySelectorAll('#roots-list li').length === 1`);
      assert.deepEqual(await opts.eval(`${api}.storage.local.get('trust.userRoots').then((g) => g['trust.userRoots'])`), [ROOT_B64]);

      // Every generated mail, checked by this browser's WebCrypto for the RSA/ECDSA maths
      // (the wasm has none of its own): the native engine's golden verdict (status, reason,
      // algorithms; the goldens' clock is 2027-01-01 and these certificates are valid from
      // 2025 to 2035, so today's check agrees).
      const generated = fs.readdirSync(path.join(FIX, 'generated')).filter((f) => f.endsWith('.eml')).sort();
      for (const f of generated) {
        const raw = read(`generated/${f}`).toString('base64');
        const reply = await sendFrom(popup, { type: 'smime.checkFile', raw, kind: 'eml' });
        assert.ok(reply?.ok, `${f}: ${js(reply)}`);
        const v = reply.value.verdict;
        const golden = JSON.parse(read(`generated/${f.replace('.eml', '.json')}`).toString('utf8'));
        const key = (/** @type {any} */ x) => [x.status, x.reason?.kind ?? null, x.details?.signer?.algorithms ?? null];
        assert.deepEqual(key(v), key(golden), f);
      }
      // A large message (1.6 MB, above the 64 KiB from which WebCrypto hashes the content) with
      // bare LF line ends: the core hands the canonical (CRLF) form over as a view of its
      // memory, this browser's WebCrypto hashes it. Verified, as the CRLF original is.
      const large = Buffer.from(read('large/large-detached.eml').toString('latin1').replaceAll('\r\n', '\n'), 'latin1');
      const largeReply = await sendFrom(popup, { type: 'smime.checkFile', raw: large.toString('base64'), kind: 'eml' });
      assert.equal(largeReply?.value?.verdict?.status, 'verified', js(largeReply?.value?.verdict?.summary ?? largeReply));

      // The same file now verifies; a tampered one does not; a bare .p7m is checked too.
      for (const [file, status] of [['generated/001.eml', 'verified'], ['generated/016.eml', 'invalid']]) {
        await popup.eval(`(document.getElementById('file-result').replaceChildren(), 1)`);
        await setFile(browser, popup, '#file-input', path.join(FIX, file));
        await waitFor(popup, `!!document.querySelector('#file-result [data-status]')`);
        assert.equal(await popup.eval(`document.querySelector('#file-result [data-status]').dataset.status`), status, file);
        // Issue #18 part 6: a green verdict offers the signer's certificate as .pem and .cer
        // (made in the popup from the verdict); a red one offers nothing.
        const links = await popup.eval(`[...document.querySelectorAll('#file-result .cert-save a')].map((a) => a.getAttribute('download'))`);
        assert.deepEqual(links, status === 'verified' ? ['alice@example.com.pem', 'alice@example.com.cer'] : [], file);
      }
      // The saved files are the signer's certificate: the .cer's SHA-256 is the golden
      // verdict's fingerprint, and the .pem holds the same bytes in base64 lines of 64.
      await popup.eval(`(document.getElementById('file-result').replaceChildren(), 1)`);
      await setFile(browser, popup, '#file-input', path.join(FIX, 'generated/001.eml'));
      await waitFor(popup, `!!document.querySelector('#file-result .cert-save')`);
      const saved = await popup.eval(`(async () => {
        const [pem, cer] = [...document.querySelectorAll('#file-result .cert-save a')].map((a) => a.href);
        const der = new Uint8Array(await (await fetch(cer)).arrayBuffer());
        const hex = [...new Uint8Array(await crypto.subtle.digest('SHA-256', der))].map((b) => b.toString(16).padStart(2, '0')).join('');
        return { pem: await (await fetch(pem)).text(), der: btoa(String.fromCharCode(...der)), hex };
      })()`);
      assert.equal(saved.hex, JSON.parse(read('generated/001.json').toString()).details.signer.certificate.sha256);
      assert.match(saved.pem, /^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{64}\n)+[A-Za-z0-9+/=]{1,64}\n-----END CERTIFICATE-----\n$/);
      assert.equal(saved.pem.replace(/-----[A-Z ]+-----|\n/g, ''), saved.der);
      const p7m = path.join(browser.outDir, 'smime.p7m');
      fs.writeFileSync(p7m, Buffer.from(read('generated/010.eml').toString('latin1').split('\r\n\r\n')[1].replace(/\s+/g, ''), 'base64'));
      await popup.eval(`(document.getElementById('file-result').replaceChildren(), 1)`);
      await setFile(browser, popup, '#file-input', p7m);
      await waitFor(popup, `!!document.querySelector('#file-result [data-status]')`);
      assert.equal(await popup.eval(`document.querySelector('#file-result [data-status]').dataset.status`), 'verified');
      // An empty file: a clear error, no verdict.
      const empty = path.join(browser.outDir, 'empty.eml');
      fs.writeFileSync(empty, '');
      await popup.eval(`(document.getElementById('file-result').replaceChildren(), 1)`);
      await setFile(browser, popup, '#file-input', empty);
      await waitFor(popup, `!document.getElementById('file-error').hidden`);
      assert.match(await popup.eval(`document.getElementById('file-error').textContent`), /empty/);

      // The options page lists the signers remembered from verified webmail messages, offers
      // their certificates and forgets one on request (a file check remembers nobody).
      const alice = JSON.parse(read('generated/001.json').toString()).details.signer.certificate;
      await opts.eval(`${api}.storage.local.set({ 'smime.seen': { 'alice@example.com': { sha256: ${js(alice.sha256)}, issuer: ${js(alice.issuer)}, first_seen: '2026-12-01T10:00:00Z', name: 'Alice Example', der: ${js(saved.der)} }, 'bob@example.org': { sha256: 'ab', issuer: 'CN=Old', first_seen: '2026-11-01T10:00:00Z' } } })`);
      await reload(opts);
      await waitFor(opts, `document.body.dataset.smimeReady === '1' && document.querySelectorAll('#seen-list > li').length === 2`);
      assert.deepEqual(await opts.eval(`[...document.querySelectorAll('#seen-list > li')].map((li) => [li.dataset.address, li.querySelectorAll('.cert-save a').length])`),
        [['bob@example.org', 0], ['alice@example.com', 2]], 'newest first; bob has no certificate kept');
      await ui(browser, opts).click('#seen-list > li[data-address="bob@example.org"] button.danger');
      await waitFor(opts, `document.querySelectorAll('#seen-list > li').length === 1`);
      assert.deepEqual(await opts.eval(`${api}.storage.local.get('smime.seen').then((g) => Object.keys(g['smime.seen']))`), ['alice@example.com']);
      assert.match(await opts.eval(`document.getElementById('seen-status').textContent`), /bob@example\.org/);

      // Remove the root again.
      await ui(browser, opts).click('#roots-list li button');
      await waitFor(opts, `document.querySelectorAll('#roots-list li').length === 0`);
      assert.deepEqual(await opts.eval(`${api}.storage.local.get('trust.userRoots').then((g) => g['trust.userRoots'])`), []);
      await popup.close();
      await opts.close();
    });
  });
}
