// S/MIME verdicts in the webmail adapters beyond Roundcube, SOGo, Gmail and Outlook, end to end
// in each browser, against local replicas (tests/e2e/lib/webmail-adapters.mjs: each service's
// DOM hooks and raw-message route; the real services cannot be reached from here). For each: a
// valid signed message is green, a tampered one red, and when the raw route refuses the
// request (its token spoilt in the page) the badge says the message could not be checked.
// Every badge sits outside the message body, in a closed shadow root. One browser session per
// browser.
//
// The verdict is read where no page can draw: the toolbar button's badge and tooltip (through
// an extension page).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BROWSERS, launchBrowser } from './lib/harness.mjs';
import { js, msg, ready, ui, until, waitFor } from './lib/pages.mjs';
import { startHordeReplica, startNextcloudReplica, startOwaReplica, startOxReplica, startSnappymailReplica, startZimbraReplica } from './lib/webmail-adapters.mjs';
import { FIX, MAILS, ROOT_B64, writeMailDir } from './lib/webmail-mails.mjs';
import fs from 'node:fs';

/** The two signed messages of the nine (webmail-mails.mjs), valid and tampered, and the unsigned fake-badge one. */
const [VALID, TAMPERED] = MAILS;
const FAKE = MAILS[8];
const raw = (/** @type {typeof MAILS[number]} */ m) => fs.readFileSync(path.join(FIX, /** @type {string} */ (m.from)));
/** The fake-badge mail's bytes (webmail-mails.mjs writes them into a temporary folder, removed here). */
function fakeRaw() {
  const dir = writeMailDir();
  try {
    return fs.readFileSync(path.join(dir, FAKE.file));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
/**
 * The toolbar's words when the raw route refused the request, by the adapter's problem code,
 * with the HTTP status of the refusing answer when there was one (the diagnostics, issue #20).
 */
const NOT_CHECKED = (/** @type {string} */ problem, /** @type {number | undefined} */ status = undefined) =>
  `ImpaleMail: ${msg(`wmProblem_${problem}`)}${status ? ` (HTTP ${status})` : ''}`;

/**
 * A replica's mailbox: the valid and the tampered message under the service's own kind of id.
 * @param {[string, string]} ids
 */
const mailbox = ([valid, tampered]) => [
  { id: valid, thread: 'a', subject: 'Valid', from: 'Alice Example', bodyHtml: '<p>Hello Bob</p>', raw: raw(VALID) },
  { id: tampered, thread: 'b', subject: 'Tampered', from: 'Alice Example', bodyHtml: '<p>Hello Rob</p>', raw: raw(TAMPERED) },
];

for (const name of BROWSERS) {
  describe(`S/MIME in more webmail adapters' replicas, ${name}`, () => {
    /** @type {Awaited<ReturnType<typeof launchBrowser>> | undefined} */ let browser;
    /** @type {{ close(): void }[]} */ const servers = [];
    const api = name === 'firefox' ? 'browser' : 'chrome';

    before(async () => {
      browser = await launchBrowser(name);
    });
    after(async () => {
      await browser?.close();
      for (const s of servers) s.close();
    });

    /**
     * An extension page that trusts the test root, turns `adapter` on for `origin`, and reads
     * the toolbar of the one tab with a webmail verdict.
     * @param {string} origin @param {string} adapter
     */
    async function extPage(origin, adapter) {
      assert.ok(browser);
      const ext = await browser.openExtensionPage('ui/options.html');
      await ready(ext);
      await ext.eval(`${api}.storage.local.set({ 'trust.userRoots': [${js(ROOT_B64)}] })`);
      const on = await ext.eval(`${api}.runtime.sendMessage(${js({ type: 'webmail.enableSite', origin, adapter })})`);
      assert.equal(on.ok, true, js(on));
      /** @param {number} tabId */
      const badgeOf = (tabId) => ext.eval(`Promise.all([${api}.action.getBadgeText({ tabId: ${tabId} }), ${api}.action.getTitle({ tabId: ${tabId} })])`);
      /** @type {number | undefined} */ let tab;
      return {
        ext,
        /** Forgets the last verdict shown (and its tab, if it was closed), so that the next one is waited for. */
        async clear() {
          const open = tab !== undefined && await ext.eval(`${api}.tabs.get(${tab}).then(() => true, () => false)`);
          if (open) await ext.eval(`${api}.action.setBadgeText({ tabId: ${tab}, text: '' })`);
          else tab = undefined;
        },
        /** The next final toolbar state (not empty, not "checking"). @param {string} what */
        async verdict(what) {
          tab ??= await until(async () => {
            for (const id of await ext.eval(`${api}.tabs.query({}).then((ts) => ts.map((t) => t.id))`)) if ((await badgeOf(id))[0] !== '') return id;
            return undefined;
          }, `${what}: the tab with a toolbar badge`);
          const t = /** @type {number} */ (tab);
          return until(async () => {
            const b = await badgeOf(t);
            return b[0] !== '' && b[0] !== '…' && !/^ImpaleMail(: checking|$)/i.test(b[1]) ? b : null;
          }, `${what}: toolbar`);
        },
      };
    }

    /**
     * Waits for one badge in `page` and checks where it is: outside every element `bodySel`
     * matches, closed, and (when given) right after an element matching `afterSel`.
     * @param {any} page @param {string} bodySel @param {string} afterSel @param {string} what
     */
    async function badgePlaced(page, bodySel, afterSel, what) {
      await waitFor(page, `document.querySelectorAll('impalemail-verdict').length === 1`);
      const place = await page.eval(`(() => { const host = document.querySelector('impalemail-verdict');
        return { inBody: !!host.closest(${js(bodySel)}), after: !!host.previousElementSibling?.matches(${js(afterSel)}),
          shadow: host.shadowRoot === null, text: host.textContent }; })()`);
      assert.deepEqual(place, { inBody: false, after: true, shadow: true, text: '' }, `${what}: badge placement`);
    }

    /**
     * Opens `url` in a new tab and waits for its toolbar verdict and its one badge.
     * @param {Awaited<ReturnType<typeof extPage>>} x @param {string} url
     * @param {{ body: string, after: string, what: string }} where
     */
    async function openChecked(x, url, { body, after, what }) {
      assert.ok(browser);
      await x.clear();
      const page = await browser.open(url);
      const verdict = await x.verdict(what);
      await badgePlaced(page, body, after, what);
      await page.screenshot(path.join(browser.outDir, `${what.replace(/\W+/g, '-')}.png`));
      await page.close();
      return verdict;
    }

    /**
     * Clicks `sel` in `page` (an app page) and checks that the next verdict is `mail`'s and its
     * badge is placed as `where` says.
     * @param {Awaited<ReturnType<typeof extPage>>} x @param {any} page @param {ReturnType<typeof ui>} u @param {string} sel
     * @param {{ badge: string, title: string }} mail @param {{ body: string, after: string }} where @param {string} what
     */
    async function clickChecked(x, page, u, sel, mail, where, what) {
      await x.clear();
      await u.click(sel);
      const [text, title] = await x.verdict(what);
      assert.equal(text, mail.badge, title);
      assert.ok(title.includes(mail.title), title);
      await badgePlaced(page, where.body, where.after, what);
    }

    test('Outlook on the web on premises (Exchange OWA): read form by URL, own window, refused canary', async () => {
      assert.ok(browser);
      const ids = /** @type {[string, string]} */ (['AAMkADExch+2016/valid=', 'AAMkADExch/2019+tampered==']);
      const owa = await startOwaReplica({ messages: mailbox(ids) });
      servers.push(owa);
      const x = await extPage(owa.origin, 'owa');
      const BODY = '[aria-label="Message body"]';
      const SUBJECT = '.rpHighlightSubjectClass';
      // The read form's own URL (Exchange's WebClientReadFormQueryString): green.
      const page = await browser.open(`${owa.app}?ItemID=${encodeURIComponent(ids[0])}&exvsurl=1&viewmodel=ReadMessageItem`);
      await waitFor(page, `document.body.dataset.replica === 'ready'`);
      const [text, title] = await x.verdict('valid');
      assert.equal(text, VALID.badge, title);
      assert.ok(title.includes(VALID.title), title);
      await badgePlaced(page, BODY, SUBJECT, 'valid');
      await page.screenshot(path.join(browser.outDir, 'owa-valid.png'));
      await page.close();

      // The mail app; a message opened in its own window's form (`#…&ItemID=`): red.
      const app = await browser.open(`${owa.app}#path=/mail`);
      const u = ui(browser, app);
      await waitFor(app, `document.body.dataset.replica === 'ready'`);
      await x.clear();
      await u.click(`[role="option"][data-item=${js(ids[1])}]`);
      const [text2, title2] = await x.verdict('tampered');
      assert.equal(text2, TAMPERED.badge, title2);
      assert.ok(title2.includes(TAMPERED.title), title2);
      await badgePlaced(app, BODY, SUBJECT, 'tampered');

      // The canary cookie spoilt: the route refuses (440) and the badge says it could not check.
      await app.eval(`(document.cookie = 'X-OWA-CANARY=spoilt-canary-value; Path=/', 1)`);
      await x.clear();
      await u.click(`[role="option"][data-item=${js(ids[0])}]`);
      const [text3, title3] = await x.verdict('refused');
      assert.deepEqual([text3, title3], ['?', NOT_CHECKED('request_check', 440)]);
      await badgePlaced(app, BODY, SUBJECT, 'refused');
      assert.deepEqual(owa.refused, [440]);
      assert.ok(owa.fetches.length === 3 && owa.fetches.every((f) => f === '/owa/service.svc?action=GetItem&app=Mail'), js(owa.fetches));
      await app.close();
      await x.ext.close();
    });

    test('Horde IMP (dynamic view): the message window; an ended session is refused', async () => {
      const horde = await startHordeReplica({ messages: mailbox(['17', '18']) });
      servers.push(horde);
      const x = await extPage(horde.origin, 'horde');
      const where = { body: '#messageBody', after: '#msgHeaders .subject' };
      const [text, title] = await openChecked(x, horde.message('17'), { ...where, what: 'horde valid' });
      assert.equal(text, VALID.badge, title);
      assert.ok(title.includes(VALID.title), title);
      const [text2, title2] = await openChecked(x, horde.message('18'), { ...where, what: 'horde tampered' });
      assert.equal(text2, TAMPERED.badge, title2);
      assert.ok(title2.includes(TAMPERED.title), title2);
      // The session ended: the route redirects to the login page, and the badge says so.
      horde.endSession();
      assert.deepEqual(await openChecked(x, horde.message('17'), { ...where, what: 'horde refused' }), ['?', NOT_CHECKED('network')]);
      assert.deepEqual(horde.refused, [302]);
      assert.ok(horde.fetches.length === 3 && horde.fetches.every((f) => /^\/horde\/imp\/view\.php\?actionID=view_source&buid=1[78]&id=0&mailbox=SU5CT1g$/.test(f)), js(horde.fetches));
      await x.ext.close();
    });

    test('Zimbra (HTML client): the message page; an ended session is refused', async () => {
      // 259: an unsigned mail whose body carries its own "Show original" link to the valid message.
      const fake = { id: '259', thread: 'c', subject: 'Fake', from: 'Alice Example', raw: fakeRaw(),
        bodyHtml: '<a id="OPSHOWORIG" href="/service/home/~/?id=257&amp;auth=co">Show original</a><p>Pay invoice 4711</p>' };
      const zimbra = await startZimbraReplica({ messages: [...mailbox(['257', '258']), fake] });
      servers.push(zimbra);
      const x = await extPage(zimbra.origin, 'zimbra');
      const where = { body: 'td.MsgBody', after: 'table' };
      const [text, title] = await openChecked(x, zimbra.message('257'), { ...where, what: 'zimbra valid' });
      assert.equal(text, VALID.badge, title);
      assert.ok(title.includes(VALID.title), title);
      const [text2, title2] = await openChecked(x, zimbra.message('258'), { ...where, what: 'zimbra tampered' });
      assert.equal(text2, TAMPERED.badge, title2);
      assert.ok(title2.includes(TAMPERED.title), title2);
      // The body's imitation of the link is not the message's id: the fake's own bytes are checked.
      const [text3, title3] = await openChecked(x, zimbra.message('259'), { ...where, what: 'zimbra fake link' });
      assert.deepEqual([text3, title3.includes(FAKE.title)], [FAKE.badge, true], title3);
      zimbra.endSession();
      assert.deepEqual(await openChecked(x, zimbra.message('257'), { ...where, what: 'zimbra refused' }), ['?', NOT_CHECKED('http', 401)]);
      assert.deepEqual(zimbra.refused, [401]);
      assert.deepEqual(zimbra.fetches, ['257', '258', '259', '257'].map((id) => `/service/home/~/?auth=co&view=text&id=${id}`));
      await x.ext.close();
    });

    test('Nextcloud Mail: a thread by URL, another opened in the app, a spoilt request token refused', async () => {
      assert.ok(browser);
      const nc = await startNextcloudReplica({ messages: mailbox(['41', '42']) });
      servers.push(nc);
      const x = await extPage(nc.origin, 'nextcloud');
      const where = { body: '.mail-message-body', after: '#mail-thread-header' };
      const [text, title] = await openChecked(x, nc.thread('41'), { ...where, what: 'nextcloud valid' });
      assert.equal(text, VALID.badge, title);
      assert.ok(title.includes(VALID.title), title);
      // In the app: another thread opened from the list (pushState): red.
      await x.clear();
      const page = await browser.open(nc.thread('41'));
      const u = ui(browser, page);
      await x.verdict('nextcloud valid again');
      await x.clear();
      await u.click('.list-item[data-id="42"]');
      const [text2, title2] = await x.verdict('nextcloud tampered');
      assert.equal(text2, TAMPERED.badge, title2);
      assert.ok(title2.includes(TAMPERED.title), title2);
      await badgePlaced(page, where.body, where.after, 'nextcloud tampered');
      // The page's token spoilt: Nextcloud's CSRF check refuses (412), the badge says so.
      await page.eval(`(document.head.dataset.requesttoken = 'spoilt-request-token', 1)`);
      await x.clear();
      await u.click('.list-item[data-id="41"]');
      assert.deepEqual(await x.verdict('nextcloud refused'), ['?', NOT_CHECKED('request_check', 412)]);
      await badgePlaced(page, where.body, where.after, 'nextcloud refused');
      assert.deepEqual(nc.refused, [412]);
      assert.deepEqual(nc.fetches, ['41', '41', '42', '41'].map((id) => `/apps/mail/api/messages/${id}/source`));
      await page.close();
      await x.ext.close();
    });

    test('OX App Suite: a mail by its hash, another selected in the list, the session missing and ended', async () => {
      assert.ok(browser);
      const ox = await startOxReplica({ messages: mailbox(['61', '62']) });
      servers.push(ox);
      const x = await extPage(ox.origin, 'ox');
      const where = { body: '.mail-detail-content', after: 'h1.subject' };
      const [text, title] = await openChecked(x, ox.mail('61'), { ...where, what: 'ox valid' });
      assert.equal(text, VALID.badge, title);
      assert.ok(title.includes(VALID.title), title);
      // In the app: another mail selected in the list (the hash changes): red.
      const page = await browser.open(ox.app);
      const u = ui(browser, page);
      await waitFor(page, `document.body.dataset.replica === 'ready'`);
      await clickChecked(x, page, u, '.list-item[data-cid="default0/INBOX.62"]', TAMPERED, where, 'ox tampered');
      // The session ended: the middleware answers SES-0203, the badge says the webmail refused.
      ox.endSession();
      await x.clear();
      await u.click('.list-item[data-cid="default0/INBOX.61"]');
      assert.deepEqual(await x.verdict('ox ended'), ['?', NOT_CHECKED('request_check')]);
      await badgePlaced(page, where.body, where.after, 'ox ended');
      await page.close();
      // Autologin turned off: no session id to be had, its own step in the report, which
      // holds neither the session id nor the folder or the mail's id.
      ox.disableAutologin();
      await x.clear();
      const page2 = await browser.open(ox.mail('62'));
      assert.deepEqual(await x.verdict('ox no session'), ['?', NOT_CHECKED('no_token')]);
      await badgePlaced(page2, where.body, where.after, 'ox no session');
      const tabId = await x.ext.eval(`${api}.tabs.query({}).then(async (ts) => { for (const t of ts) if (await ${api}.action.getBadgeText({ tabId: t.id }) === '?') return t.id; })`);
      const popup = await browser.openExtensionPage(`ui/popup.html?tab=${tabId}`);
      const report = await popup.waitFor(`document.getElementById('mail-report')?.textContent`);
      assert.match(report, /^Adapter: ox$/m);
      assert.match(report, /^Problem code: no_token$/m);
      assert.match(report, /^Page route: \/appsuite\/#…$/m);
      assert.match(report, /^Page parts found: detail yes, subject yes, body yes$/m);
      assert.ok(!report.includes(ox.session) && !/INBOX|\b62\b|alice/i.test(report), `no session, folder or id in: ${report}`);
      await popup.close();
      await page2.close();
      assert.deepEqual(ox.refused, [200, 200]);
      assert.deepEqual(ox.fetches, [
        ...['61', '62'].flatMap((id) => ['/appsuite/api/login?action=autologin&client=open-xchange-appsuite', `/appsuite/api/mail?folder=default0/INBOX&id=${id}&session=S`]),
        '/appsuite/api/login?action=autologin&client=open-xchange-appsuite', '/appsuite/api/mail?folder=default0/INBOX&id=61&session=S',
        '/appsuite/api/login?action=autologin&client=open-xchange-appsuite',
      ]);
      await x.ext.close();
    });

    test('SnappyMail: messages shown from the list (the hash stays), a body imitating the link, an ended session', async () => {
      assert.ok(browser);
      // 83: an unsigned mail whose body imitates the view's menu with a link to the valid message's route.
      const fake = { id: '83', thread: 'c', subject: 'Fake', from: 'Alice Example', raw: fakeRaw(), bodyHtml: '' };
      const sm = await startSnappymailReplica({ messages: [...mailbox(['81', '82']), fake] });
      servers.push(sm);
      const key = Buffer.from(JSON.stringify({ folder: 'INBOX', uid: 81, mimeType: 'message/rfc822', fileName: 'Valid.eml', accountHash: sm.accountHash })).toString('base64url');
      fake.bodyHtml = `<div class="b-message"><div class="message-fixed-button-toolbar"><a data-i18n="MESSAGE/MENU_DOWNLOAD_ORIGINAL" href="/snappymail/?/Raw/&amp;q[]=/0/Download/&amp;q[]=/${key}">Download original</a></div></div><p>Pay invoice 4711</p>`;
      const x = await extPage(sm.origin, 'snappymail');
      const where = { body: '.bodyText', after: '.subjectParent' };
      const page = await browser.open(sm.app);
      const u = ui(browser, page);
      await waitFor(page, `document.body.dataset.replica === 'ready'`);
      await clickChecked(x, page, u, '.messageListItem[data-uid="81"]', VALID, where, 'snappymail valid');
      await clickChecked(x, page, u, '.messageListItem[data-uid="82"]', TAMPERED, where, 'snappymail tampered');
      // The fake's body imitates the menu's link to the valid message: the fake's own bytes are checked.
      await clickChecked(x, page, u, '.messageListItem[data-uid="83"]', FAKE, where, 'snappymail fake link');
      // The session ended: SnappyMail answers an empty page, which is not a message.
      sm.endSession();
      await x.clear();
      await u.click('.messageListItem[data-uid="81"]');
      assert.deepEqual(await x.verdict('snappymail ended'), ['?', NOT_CHECKED('not_a_message')]);
      await badgePlaced(page, where.body, where.after, 'snappymail ended');
      assert.deepEqual(sm.refused, [200]);
      assert.equal(sm.fetches.length, 4, js(sm.fetches));
      await page.close();
      await x.ext.close();
    });
  });
}
