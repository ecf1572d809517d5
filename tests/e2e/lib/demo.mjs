// The demo of `./build.sh run`: both jobs of the extension end to end on this machine, with no
// network. It starts three local services and one browser with the extension:
//
// - the demo site (tests/site/) on 127.0.0.1, whose signup form "sends" a welcome mail to the
//   address it is given when that address is an inbox of the stand-in below;
// - a stand-in of the temporary-inbox service's documented API (mail.tm, `startMailTmMock`),
//   which the demo profile's settings point mail.tm at, so the first click in the signup
//   page's e-mail field makes an inbox alias there;
// - the real Roundcube + Dovecot test bed (tests/webmail/) with three messages (signed,
//   tampered, unsigned), turned on as a webmail site in the demo profile, which also trusts
//   the project's test root (tests/fixtures/smime/pki/root.pem) that signed them. These three
//   settings are all that tell the demo profile from a fresh install.
//
// Headless (`runDemo({ headless: true })`) it goes through every step with real clicks, saves a
// screenshot of each and answers what it saw, for `tests/e2e/demo.mjs` to print and
// `tests/e2e/demo.test.mjs` to check. With a display it sets the profile up, opens the pages in
// tabs and leaves the clicking to the user.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, ROOT } from './harness.mjs';
import { centre, contentScriptReady, input, sleep, tabUrls, visibleHosts } from './forms-pages.mjs';
import { startMailTmMock } from './mock-providers.mjs';
import { js, popupReady, ready, sendFrom, text, ui, visible, waitFor } from './pages.mjs';
import { roundcubeInstalled, startRoundcube } from './roundcube.mjs';
import { driver, logIn, openMessage, toolbar } from './roundcube-ui.mjs';
import { startServer } from './server.mjs';

/** The demo's messages (tests/fixtures/demo/make.sh signs them with the test PKI). */
const MAILS = path.join(ROOT, 'tests/fixtures/demo');
/** The test CA's root, at the top of every demo signature's certificate chain. */
export const TEST_ROOT = path.join(ROOT, 'tests/fixtures/smime/pki/root.pem');
/**
 * The welcome mail the demo shop sends, signed by alice@example.com and delivered byte for
 * byte (its To header names someone else: the stand-in delivers by inbox, and a re-addressed
 * copy is not needed).
 */
export const WELCOME_MAIL = path.join(MAILS, 'welcome.eml');
/** The demo user's Roundcube INBOX, in order. */
export const WEBMAIL_MAILS = [
  { file: '01-signed.eml', what: 'a signed message' },
  { file: '02-tampered.eml', what: 'a signed invoice whose bank account was changed after signing' },
  { file: '03-unsigned.eml', what: 'an unsigned message' },
];
/** The welcome page the extension opens on install (issue #16's first-run work; absent until it lands). */
const WELCOME_PAGE = 'ui/welcome.html';
/** Window size for the webmail: Roundcube's elastic skin shows folders, list and message side by side. */
const WEBMAIL_SIZE = { width: 1280, height: 800 };
/**
 * Where "New alias" is in the open menu, from the button's bottom right corner (CSS px), as
 * extension/content/forms/button.js lays it out: the menu opens 6 px below the button, right
 * aligned; 1 px border and 4 px padding, a heading line (8 px padding + 11 px text), then the
 * first item (14 px padding + 13 px text): its middle is about 50 px down. The menu is in a
 * closed shadow root, so its items cannot be found any other way from outside; a click that
 * missed would fill nothing, which the demo reports.
 */
const NEW_ALIAS_ITEM = { dx: -100, dy: 50 };
/** The README's part of the signup page: the form and the menu below the e-mail field. */
const SIGNUP_CROP = { x: 100, y: 20, width: 640, height: 365 };
/** The README's part of Roundcube: the message list and the message with its badge. */
const WEBMAIL_CROP = { x: 298, y: 0, width: WEBMAIL_SIZE.width - 298, height: 440 };
/** The README's part of a browser window, shown a little larger: the toolbar's right end above the message and its badge. */
const TOOLBAR_CROP = { x: WEBMAIL_SIZE.width - 660, y: 0, width: 660, height: 250 };
/** Height of the window a popup page is shot in (CSS px; its body is about 850 px tall). */
const POPUP_TAB_HEIGHT = 1100;
/** Time for a frame to paint what was just drawn, before a screenshot (ms). */
const PAINT_MS = 300;

/** @param {string} s */
const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The signup form's target: the shop "sends" its welcome mail to the address given, which
 * reaches the temporary-inbox stand-in when it is one of its inboxes.
 * @param {Awaited<ReturnType<typeof startMailTmMock>>} tm @param {Buffer} welcome
 * @returns {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void}
 */
function registerRoute(tm, welcome) {
  return (req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const email = new URLSearchParams(body).get('email') ?? '';
      const inbox = [...tm.accounts.values()].some((a) => a.address === email);
      if (inbox) tm.deliver(email, welcome);
      const said = inbox
        ? `We sent a welcome mail to <code>${escapeHtml(email)}</code>. Open the ImpaleMail popup on the signup page to read it.`
        : `This demo shop sends mail only to the local temporary inboxes; <code>${escapeHtml(email)}</code> is not one.`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'self'", 'cache-control': 'no-store' });
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Welcome — Demo Shop</title><link rel="stylesheet" href="/site.css"></head>
<body><h1>Your Demo Shop account is ready</h1><p>${said}</p><p><a href="/">Back to the demo site</a></p></body></html>`);
    });
  };
}

/**
 * Sets the demo profile up through the extension's own messages, from an extension page.
 * @param {import('./chrome.mjs').PageHandle} ext @param {{ mailtm: string, webmail: string }} origins
 */
async function setUpProfile(ext, origins) {
  /** @param {Record<string, unknown>} message */
  const send = async (message) => {
    const r = await sendFrom(ext, message);
    if (!r?.ok) throw new Error(`${message.type} failed: ${js(r?.error ?? r)}`);
    return r.value;
  };
  const view = await send({ type: 'settings.get' });
  const others = view.providers.filter((/** @type {{ provider: string }} */ p) => p.provider !== 'mailtm');
  const mailtm = view.providers.find((/** @type {{ provider: string }} */ p) => p.provider === 'mailtm') ?? { provider: 'mailtm' };
  await send({
    type: 'settings.set',
    settings: {
      ...view,
      providers: [...others, {
        ...mailtm,
        base_url: origins.mailtm,
      }],
    },
  });
  // The test root, through the options page's import (preview, then trust what was shown).
  const file = fs.readFileSync(TEST_ROOT).toString('base64');
  const roots = await send({ type: 'trust.inspect', file });
  await send({ type: 'trust.addRoots', file, fingerprints: roots.map((/** @type {{ fingerprint_sha256: string }} */ r) => r.fingerprint_sha256) });
  await send({ type: 'webmail.enableSite', origin: origins.webmail, adapter: 'roundcube' });
  return roots[0];
}

/**
 * @typedef {{ x: number, y: number, width: number, height: number }} Rect
 * @typedef {{ file: string, what: string, crop?: Rect, zoom?: number }} Shot
 *   `crop`: the part the README shows (docs/), in CSS px of the screenshot; `zoom`: its scale there
 *   (default: as large as fits the README's width, never larger than taken)
 * @typedef {{ file: string, what: string, badge: string, title: string, color: number[] }} WebmailVerdict
 * @typedef {{
 *   browser: string, version: string, alias: string, confirm: string,
 *   inbox: { subjects: string[], from: string[], status: string, label: string, summary: string },
 *   webmail: WebmailVerdict[], toolbar: { badge: string, title: string, popupLabel: string },
 *   shots: Shot[], skipped: string[], steps: { step: string, seconds: number }[], seconds: number,
 * }} DemoResult
 */

/**
 * Runs the demo in one browser.
 * @param {{ name: string, headless: boolean, log?: (line: string) => void }} opts
 * @returns {Promise<DemoResult | null>} what it saw (headless), or null once the user closed the browser
 */
export async function runDemo({ name, headless, log = (line) => console.log(line) }) {
  const t0 = Date.now();
  /** @type {{ step: string, seconds: number }[]} */
  const steps = [];
  const mark = (/** @type {string} */ step) => steps.push({ step, seconds: (Date.now() - t0) / 1000 });
  /** @type {(() => unknown)[]} */
  const cleanup = [];
  try {
    if (!roundcubeInstalled()) throw new Error('Roundcube/Dovecot/PHP are not installed: run tests/webmail/install.sh (as root)');
    const tm = await startMailTmMock();
    cleanup.push(() => tm.close());
    const welcome = fs.readFileSync(WELCOME_MAIL);
    /** @type {string | null} */ let webmailOrigin = null;
    const site = await startServer({
      port: Number(process.env.DEMO_PORT || 0),
      routes: {
        '/account/register': registerRoute(tm, welcome),
        // The index page's link to the webmail, whose port is chosen when it starts.
        '/webmail': (_req, res) => { res.writeHead(302, { location: `${webmailOrigin}/?_task=mail` }); res.end(); },
      },
    });
    cleanup.push(() => site.close());
    const mailDir = fs.mkdtempSync(path.join(os.tmpdir(), 'impalemail-demo-mail-'));
    cleanup.push(() => fs.rmSync(mailDir, { recursive: true, force: true }));
    for (const m of WEBMAIL_MAILS) fs.copyFileSync(path.join(MAILS, m.file), path.join(mailDir, m.file));
    const rc = await startRoundcube({ mailDir });
    cleanup.push(() => rc.stop());
    webmailOrigin = rc.origin;
    mark('services started');
    const browser = await launchBrowser(name, { headless, keepWelcome: true });
    cleanup.push(() => browser.close());
    mark('browser started');
    log(`demo site:          ${site.origin}/`);
    log(`temporary inboxes:  ${tm.origin} (a local stand-in of the mail.tm API; the demo profile's mail.tm points here)`);
    log(`webmail:            ${rc.origin}/ (Roundcube + Dovecot; log in as ${rc.user} / ${rc.password})`);
    log(`${name} ${browser.version} with the extension (${browser.extensionOrigin})`);

    const ext = await browser.openExtensionPage('ui/options.html');
    await ready(ext);
    const root = await setUpProfile(ext, { mailtm: tm.origin, webmail: rc.origin });
    log(`the demo profile trusts the test root "${root.subject}" (SHA-256 ${root.fingerprint_sha256.slice(0, 23)}…), which signed the demo's messages;`);
    log(`  a real install trusts only Mozilla's e-mail roots and those you import in the options`);
    mark('profile set up');
    const hasWelcome = fs.existsSync(path.join(browser.extDir, WELCOME_PAGE));
    const signupUrl = `${site.origin}/signup.html`;

    if (!headless) {
      // The extension opens its welcome page on install; opened here when it has not (yet).
      const welcomeOpen = (await tabUrls(browser, ext)).some((u) => u.startsWith(`${browser.extensionOrigin}/${WELCOME_PAGE}`));
      await ext.close();
      if (hasWelcome && !welcomeOpen) await browser.openExtensionPage(WELCOME_PAGE);
      await browser.open(signupUrl);
      const page = await browser.open(`${rc.origin}/?_task=login`);
      await logIn(driver(browser, page), page, rc);
      log('');
      log('In the signup tab: click the envelope in the e-mail field, then "New alias"; both e-mail fields are filled.');
      log('Press "Create account": the shop sends a welcome mail, which the ImpaleMail popup shows under the alias ("Inbox").');
      log('In the Roundcube tab: open each message; the badge above it and the toolbar button give the verdict.');
      log('Close the browser (or press Ctrl-C here) to stop.');
      // Ctrl-C must stop Roundcube and Dovecot too: the cleanup below runs on either.
      const stopped = new Promise((resolve) => {
        for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.once(sig, () => resolve(undefined));
      });
      await Promise.race([browser.closed(), stopped]);
      return null;
    }

    /** @type {Shot[]} */
    const shots = [];
    /** @type {string[]} */
    const skipped = [];
    const shotFile = (/** @type {string} */ slug) => path.join(browser.outDir, `demo-${slug}.png`);

    // 1. The welcome page.
    if (hasWelcome) {
      const page = await browser.openExtensionPage(WELCOME_PAGE);
      await sleep(PAINT_MS);
      const file = shotFile('welcome');
      await page.screenshot(file);
      shots.push({ file, what: 'the welcome page the extension opens on install' });
      await page.close();
    } else {
      skipped.push(`the welcome page (${WELCOME_PAGE} is not in this build yet)`);
    }
    await ext.close();

    // 2-3. The signup page: the button in the e-mail field, its menu, "New alias".
    const signup = await browser.open(signupUrl);
    const u = input(browser, signup);
    await contentScriptReady(signup);
    const [button] = await waitFor(signup, visibleHosts(), 15000);
    const [bx, by] = centre(button);
    await u.clickAt(bx, by);
    await sleep(PAINT_MS);
    let file = shotFile('menu');
    await signup.screenshot(file);
    shots.push({ file, what: 'the alias button in the signup page\'s e-mail field, and its menu', crop: SIGNUP_CROP });
    await u.clickAt(button.right + NEW_ALIAS_ITEM.dx, button.bottom + NEW_ALIAS_ITEM.dy);
    const alias = await waitFor(signup, `document.getElementById('email').value`)
      .catch(() => { throw new Error('clicking "New alias" filled nothing'); });
    const confirm = await signup.eval(`document.getElementById('email-confirm').value`);
    await sleep(PAINT_MS);
    file = shotFile('filled');
    await signup.screenshot(file);
    shots.push({ file, what: `the alias ${alias} filled into the e-mail field and its confirm twin`, crop: SIGNUP_CROP });
    log(`alias made and filled: ${alias} (confirm field: ${confirm})`);
    mark('alias made');

    // Sign up: the shop sends its welcome mail to the alias's inbox.
    await u.fill('#password', 'correct horse battery staple');
    await u.click('button[type="submit"]');
    await waitFor(signup, `document.title.startsWith('Welcome')`);
    await signup.close();

    // 4-5. The popup: the alias's inbox with the welcome mail, and its signature checked.
    const popup = await browser.openExtensionPage(`ui/popup.html?for=${encodeURIComponent(signupUrl)}`);
    const pu = ui(browser, popup);
    await ready(popup);
    await popupReady(popup);
    const row = `#site-list li.alias[data-source="mailtm"]`;
    await pu.click(`${row} [data-action="inbox"]`);
    await waitFor(popup, `${visible('#inbox-list')} && document.querySelectorAll('#inbox-list li').length > 0`);
    /** @type {string[]} */
    const subjects = await popup.eval(`[...document.querySelectorAll('#inbox-list .message-subject')].map((e) => e.textContent)`);
    /** @type {string[]} */
    const from = await popup.eval(`[...document.querySelectorAll('#inbox-list .message-from')].map((e) => e.textContent)`);
    file = shotFile('popup-inbox');
    await pu.shot('body', file);
    shots.push({ file, what: 'the popup: the alias\'s temporary inbox with the welcome mail' });
    await pu.click('#inbox-list button');
    await pu.click('#inbox-message [data-action="check-signature"]');
    await waitFor(popup, `!!document.querySelector('#inbox-verdict-block') || (${visible('#inbox-error')} && ${text('#inbox-error')})`);
    const inboxVerdict = await popup.eval(`(() => { const b = document.getElementById('inbox-verdict-block');
      return b && { status: b.dataset.status, label: b.querySelector('.verdict-label')?.textContent ?? '', summary: b.querySelector('.verdict-summary')?.textContent ?? '' }; })()`);
    if (!inboxVerdict) throw new Error(`the inbox could not check the welcome mail: ${await popup.eval(text('#inbox-error'))}`);
    file = shotFile('popup-message');
    await pu.shot('body', file);
    shots.push({ file, what: `the welcome mail opened in the popup, its signature checked: ${inboxVerdict.label}` });
    log(`temporary inbox: ${subjects.length} message(s) (${subjects.map((s, i) => `"${s}" from ${from[i]}`).join(', ')}); signature: ${inboxVerdict.label} (${inboxVerdict.summary})`);
    await popup.close();
    mark('inbox read');

    // 6-8. Roundcube: each message with its in-page badge; the toolbar read for that tab.
    const tools = await browser.openExtensionPage('ui/options.html');
    const bar = toolbar(tools, name);
    const page = await browser.open(`${rc.origin}/?_task=login`);
    const d = driver(browser, page);
    await d.setSize(WEBMAIL_SIZE.width, WEBMAIL_SIZE.height);
    await logIn(d, page, rc);
    /** @type {WebmailVerdict[]} */
    const webmail = [];
    /** @type {number | undefined} */ let tabId;
    for (const m of WEBMAIL_MAILS) {
      const stored = rc.messages.find((x) => path.basename(x.file) === m.file);
      if (!stored) throw new Error(`${m.file} is not in the demo mailbox`);
      if (tabId !== undefined) await bar.clear(tabId);
      await openMessage(d, stored, m.what);
      tabId ??= await bar.badgedTab();
      const [badge, title] = await bar.verdict(tabId, m.what);
      const color = await bar.colorOf(tabId);
      webmail.push({ file: m.file, what: m.what, badge, title, color });
      await sleep(PAINT_MS);
      file = shotFile(`webmail-${m.file.replace(/^\d+-|\.eml$/g, '')}`);
      await page.screenshot(file);
      shots.push({ file, what: `Roundcube showing ${m.what}, and the extension's badge above it: ${title.replace(/^ImpaleMail: /, '')}`, crop: WEBMAIL_CROP });
      log(`webmail, ${m.what}: toolbar badge "${badge}" (rgb ${color.slice(0, 3).join(', ')}), "${title}"`);
    }
    mark('webmail verdicts');

    // 9. The toolbar verdict, with the first message shown again. Headless Firefox draws its
    // toolbar, so its window is pictured; headless Chromium does not. In both, the toolbar
    // button's popup is then opened as a page for the webmail tab and its address: what a
    // click on the button shows there.
    const first = /** @type {{ uid: number }} */ (rc.messages.find((x) => path.basename(x.file) === WEBMAIL_MAILS[0].file));
    await bar.clear(/** @type {number} */ (tabId));
    await openMessage(d, first, WEBMAIL_MAILS[0].what);
    const [badge, title] = await bar.verdict(/** @type {number} */ (tabId), WEBMAIL_MAILS[0].what);
    if ('windowScreenshot' in browser) {
      await sleep(PAINT_MS);
      file = shotFile('toolbar');
      await browser.windowScreenshot(page, file);
      shots.push({ file, what: `the browser window with its toolbar: the ImpaleMail button's badge reads "${badge}" for the message shown`, crop: TOOLBAR_CROP, zoom: 1.2 });
    } else {
      skipped.push('the toolbar itself (headless Chromium does not draw it; run firefox for that picture)');
    }
    const forTab = await browser.openExtensionPage(`ui/popup.html?tab=${tabId}&for=${encodeURIComponent(await page.url())}`);
    await ready(forTab);
    const popupLabel = await waitFor(forTab, text('#mail-verdict .verdict-label'));
    // Tall enough for the whole popup: Firefox's element screenshot keeps to the viewport.
    await driver(browser, forTab).setSize(WEBMAIL_SIZE.width, POPUP_TAB_HEIGHT);
    file = shotFile('toolbar-popup');
    await ui(browser, forTab).shot('body', file);
    shots.push({ file, what: `the toolbar button's popup for the webmail tab: ${popupLabel}; the button's badge reads "${badge}", its tooltip "${title}"` });
    log(`toolbar for the webmail tab: badge "${badge}", tooltip "${title}"; its popup says "${popupLabel}"`);
    await forTab.close();
    await tools.close();
    mark('toolbar');

    return {
      browser: name, version: browser.version, alias, confirm,
      inbox: { subjects, from, ...inboxVerdict },
      webmail, toolbar: { badge, title, popupLabel }, shots, skipped, steps, seconds: (Date.now() - t0) / 1000,
    };
  } finally {
    for (const f of cleanup.reverse()) await Promise.resolve().then(f).catch((e) => log(`cleanup: ${e.message}`));
  }
}
