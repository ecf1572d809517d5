// Roundcube in a real browser, for the end-to-end test (tests/e2e/webmail-roundcube.test.mjs)
// and the demo (lib/demo.mjs): real input and frame access in each browser, logging in
// through Roundcube's own form, opening a message by clicking its row, and reading the
// toolbar verdict of a tab from an extension page (where `action.getBadgeText` may be
// called; a page cannot draw there, and headless browsers do not show the toolbar).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { launchBrowser } from './harness.mjs';
import { js, until } from './pages.mjs';
import { roundcubeInstalled, startRoundcube } from './roundcube.mjs';

/** WEBMAIL_E2E=0 skips the tests that need the Roundcube bed. */
const SKIP_WEBMAIL = process.env.WEBMAIL_E2E === '0';

/** How often, and how far apart, filling a field the page has not made usable yet is tried again. */
const FILL_TRIES = 40;
const FILL_RETRY_MS = 250;

const W3C_ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/** Roundcube's row id for a UID: `rcmrow` + base64 without padding (rcube_utils::html_identifier). @param {number} uid */
export const rowId = (uid) => `rcmrow${Buffer.from(String(uid)).toString('base64').replace(/=+$/, '')}`;


/**
 * Real input and frame access in each browser: Playwright in Chromium, WebDriver in Firefox.
 * `inTop`: the message is shown in the top document (a single-page webmail such as SOGo), not
 * in Roundcube's preview frame.
 * @param {{ name: string }} browser @param {import('./chrome.mjs').PageHandle} page @param {{ inTop?: boolean }} [opts]
 */
export function driver(browser, page, { inTop = false } = {}) {
  if (browser.name === 'chrome') {
    /** @type {import('playwright-core').Page} */
    const p = page.raw;
    const previewFrame = () => (inTop ? p.mainFrame() : p.frames().find((f) => /[?&]_action=(preview|show)\b/.test(f.url())));
    return {
      fill: async (/** @type {string} */ sel, /** @type {string} */ text) => { await p.waitForSelector(sel); await p.fill(sel, text); },
      click: async (/** @type {string} */ sel) => { await p.waitForSelector(sel); await p.click(sel); },
      /** Evaluates `expr` in the frame that shows the message (or null when there is none). @param {string} expr */
      async inPreview(expr) {
        const f = previewFrame();
        return f ? f.evaluate(expr) : null;
      },
      async clickBadge() {
        const f = previewFrame();
        assert.ok(f, 'no preview frame');
        await f.locator('impalemail-verdict').click({ position: { x: 40, y: 14 } });
      },
      setSize: (/** @type {number} */ width, /** @type {number} */ height) => p.setViewportSize({ width, height }),
      focus: () => p.bringToFront(),
    };
  }
  const wd = page.raw;
  const find = async (/** @type {string} */ sel) => {
    await until(() => page.eval(`!!document.querySelector(${js(sel)})`), sel);
    const v = await wd.req('POST', wd.s('/element'), { using: 'css selector', value: sel });
    return v[W3C_ELEMENT];
  };
  /** Runs `fn` inside the message frame (the preview iframe, or the page itself for _action=show). @template T @param {() => Promise<T>} fn */
  const withPreview = async (fn) => {
    await page.eval('1'); // focuses this tab
    if (inTop) return fn();
    const shownInTop = await wd.exec('return /[?&]_action=(preview|show)\\b/.test(location.search);');
    if (shownInTop) return fn();
    const frame = await wd.exec(`return document.getElementById('messagecontframe');`).catch(() => null);
    if (!frame) return null;
    await wd.req('POST', wd.s('/frame'), { id: frame });
    try {
      // The frame stays when no message is shown (Roundcube's blank page): then there is none.
      if (!(await wd.exec('return /[?&]_action=(preview|show)\\b/.test(location.search);'))) return null;
      return await fn();
    } finally {
      await wd.req('POST', wd.s('/frame/parent'), {});
    }
  };
  return {
    // A login form can be in the page before its script makes it usable (SOGo's AngularJS
    // page: "element not interactable" for a moment, seen under load): tried again for a while.
    async fill(/** @type {string} */ sel, /** @type {string} */ text) {
      for (let tries = 0; ; tries++) {
        try {
          const id = await find(sel);
          await wd.req('POST', wd.s(`/element/${id}/clear`), {});
          await wd.req('POST', wd.s(`/element/${id}/value`), { text });
          return;
        } catch (e) {
          if (tries >= FILL_TRIES || !/not interactable|stale element/.test(String(e))) throw e;
          await new Promise((r) => setTimeout(r, FILL_RETRY_MS));
        }
      }
    },
    click: async (/** @type {string} */ sel) => wd.req('POST', wd.s(`/element/${await find(sel)}/click`), {}),
    /** @param {string} expr */
    inPreview: (expr) => withPreview(() => wd.exec(`return (${expr});`)),
    // Clicks the badge's first line (the status button), not the centre of the host, which
    // may be a note below it: a pointer action relative to the host's centre.
    clickBadge: () => withPreview(async () => {
      const v = await wd.req('POST', wd.s('/element'), { using: 'css selector', value: 'impalemail-verdict' });
      const rect = await wd.req('GET', wd.s(`/element/${v[W3C_ELEMENT]}/rect`));
      const origin = { [W3C_ELEMENT]: v[W3C_ELEMENT] };
      await wd.req('POST', wd.s('/actions'), { actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [
        { type: 'pointerMove', origin, x: Math.round(40 - rect.width / 2), y: Math.round(14 - rect.height / 2) },
        { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 },
      ] }] });
    }),
    setSize: (/** @type {number} */ width, /** @type {number} */ height) => wd.req('POST', wd.s('/window/rect'), { width, height }),
    focus: () => page.eval('1'),
  };
}

/**
 * Logs in through Roundcube's login form and waits for the message list.
 * @param {ReturnType<typeof driver>} d @param {import('./chrome.mjs').PageHandle} page
 * @param {{ user: string, password: string, messages: { uid: number }[] }} rc
 */
export async function logIn(d, page, rc) {
  await d.fill('#rcmloginuser', rc.user);
  await d.fill('#rcmloginpwd', rc.password);
  await d.click('#rcmloginsubmit');
  await until(() => page.eval(`!!document.getElementById(${js(rowId(rc.messages[0]?.uid ?? 1))})`), 'the message list');
}

/**
 * Opens a message by clicking its row and waits until its preview shows the verdict badge.
 * @param {ReturnType<typeof driver>} d @param {{ uid: number }} message @param {string} what
 */
export async function openMessage(d, message, what) {
  await d.focus();
  await d.click(`#${rowId(message.uid)} td.subject`);
  await until(() => d.inPreview(`new URLSearchParams(location.search).get('_uid') === ${js(String(message.uid))} && !!document.querySelector('impalemail-verdict')`),
    `the preview of ${what} with its badge`);
}

/**
 * The toolbar button as an extension page reads it, per tab.
 * @param {import('./chrome.mjs').PageHandle} ext an extension page (options, popup)
 * @param {string} name the browser's name
 */
export function toolbar(ext, name) {
  const api = name === 'firefox' ? 'browser' : 'chrome';
  /** `[text, title]` of the badge of a tab. @param {number} tabId @returns {Promise<[string, string]>} */
  const badgeOf = async (tabId) => ext.eval(`Promise.all([${api}.action.getBadgeText({ tabId: ${tabId} }), ${api}.action.getTitle({ tabId: ${tabId} })])`);
  /** @returns {Promise<number[]>} */
  const allTabs = () => ext.eval(`${api}.tabs.query({}).then((ts) => ts.map((t) => t.id))`);
  return {
    badgeOf,
    /** The badge's colour, `[r, g, b, a]`. @param {number} tabId @returns {Promise<number[]>} */
    colorOf: (tabId) => ext.eval(`${api}.action.getBadgeBackgroundColor({ tabId: ${tabId} })`),
    /** Clears a tab's badge, so that what is read next was drawn afterwards. @param {number} tabId */
    clear: (tabId) => ext.eval(`${api}.action.setBadgeText({ tabId: ${tabId}, text: '' })`),
    /** The one tab with a badge (the webmail's): waits for it. @returns {Promise<number>} */
    badgedTab: () => until(async () => {
      const withBadge = [];
      for (const id of await allTabs()) if ((await badgeOf(id))[0] !== '') withBadge.push(id);
      assert.ok(withBadge.length <= 1, `only the webmail tab has a badge, not ${withBadge.length} tabs`);
      return withBadge[0];
    }, 'a toolbar badge'),
    /**
     * Waits until the tab's badge shows a final verdict (text and title are set by separate
     * calls: both must be final). @param {number} tabId @param {string} what
     * @returns {Promise<[string, string]>}
     */
    verdict: (tabId, what) => /** @type {Promise<[string, string]>} */ (until(async () => {
      const b = await badgeOf(tabId);
      return b[0] !== '' && b[0] !== '…' && !/^ImpaleMail(: checking|$)/i.test(b[1]) ? b : null;
    }, `the toolbar verdict of ${what}`)),
  };
}

/**
 * Opens an extension page and, from there, trusts `rootB64` (the test CA) and turns signature
 * checks on for a self-hosted webmail (what the popup's offer does; tests/e2e/webmail-replicas
 * goes through that flow). Returns the page and the toolbar reader.
 * @param {{ name: string, openExtensionPage: (rel: string) => Promise<import('./chrome.mjs').PageHandle> }} browser
 * @param {{ rootB64: string, origin: string, adapter: string }} site
 */
export async function prepareExtension(browser, { rootB64, origin, adapter }) {
  // An extension page: it may read and set what content scripts and pages never can.
  const ext = await browser.openExtensionPage('ui/options.html');
  const api = browser.name === 'firefox' ? 'browser' : 'chrome';
  await ext.eval(`${api}.storage.local.set({ 'trust.userRoots': [${js(rootB64)}] })`);
  await ext.eval(`${api}.runtime.sendMessage({ type: 'webmail.enableSite', origin: ${js(origin)}, adapter: ${js(adapter)} })`);
  assert.deepEqual(await ext.eval(`${api}.storage.local.get('trust.userRoots').then((g) => g['trust.userRoots'])`), [rootB64]);
  return { ext, bar: toolbar(ext, browser.name) };
}

/**
 * A webmail server the e2e files start on 127.0.0.1 with a mailbox folder: Roundcube + Dovecot
 * (tests/webmail/), or SOGo on the same Dovecot (`tests/webmail/install.sh --sogo`).
 * @template S
 * @typedef {{ what: string, installed: () => boolean, start: (opts: { mailDir: string }) => Promise<S> }} WebmailServer
 */

/** @type {WebmailServer<Awaited<ReturnType<typeof startRoundcube>>>} */
export const ROUNDCUBE = {
  what: 'Roundcube/Dovecot/PHP are not installed: run tests/webmail/install.sh (as root)',
  installed: roundcubeInstalled,
  start: startRoundcube,
};

/**
 * A webmail bed and a browser for one `describe` block of a webmail e2e file: `before`
 * writes the mailbox with `fill(dir)`, starts the server (Roundcube unless `server` says
 * otherwise) and launches the browser; `after` stops both and removes the mailbox. A setup
 * failure is kept and thrown by `ready()` in the test, so each browser's block reports its
 * own. WEBMAIL_E2E=0 skips.
 * @template [S=Awaited<ReturnType<typeof startRoundcube>>]
 * @param {string} name the browser @param {string} prefix the mailbox folder's name prefix
 * @param {(dir: string) => void} fill
 * @param {WebmailServer<S>} [server]
 */
export function useRoundcube(name, prefix, fill, server) {
  const srv = /** @type {WebmailServer<S>} */ (server ?? ROUNDCUBE);
  /** @type {{ mailDir: string, rc?: S & { stop: () => Promise<void> }, browser?: Awaited<ReturnType<typeof launchBrowser>>, error?: unknown }} */
  const bed = { mailDir: '' };
  before(async () => {
    if (SKIP_WEBMAIL) return;
    try {
      if (!srv.installed()) throw new Error(srv.what);
      bed.mailDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
      fill(bed.mailDir);
      bed.rc = /** @type {S & { stop: () => Promise<void> }} */ (await srv.start({ mailDir: bed.mailDir }));
      bed.browser = await launchBrowser(name);
    } catch (e) {
      bed.error = e;
    }
  });
  after(async () => {
    try {
      await bed.browser?.close();
    } finally {
      try { await bed.rc?.stop(); } finally { if (bed.mailDir) fs.rmSync(bed.mailDir, { recursive: true, force: true }); }
    }
  });
  return {
    /** Whether WEBMAIL_E2E=0 asks to skip. */
    skip: SKIP_WEBMAIL,
    /** The started bed and browser, or the setup's error. */
    ready() {
      if (bed.error) throw bed.error;
      assert.ok(bed.rc && bed.browser, 'the webmail bed did not start');
      return { rc: bed.rc, browser: bed.browser };
    },
  };
}

/**
 * Logs in and opens each of `mails` in turn by clicking its row; the toolbar must show its
 * `badge` and a title that includes its `title`. `each` runs after each message's check (the
 * details, a screenshot).
 * @param {{ name: string, open: (url: string) => Promise<import('./chrome.mjs').PageHandle> }} browser
 * @param {Awaited<ReturnType<typeof startRoundcube>>} rc
 * @param {ReturnType<typeof toolbar>} bar
 * @param {{ file: string, badge: string, title: string }[]} mails
 * @param {(d: ReturnType<typeof driver>, page: import('./chrome.mjs').PageHandle, m: { file: string }) => Promise<void>} [each]
 */
export async function checkEachMessage(browser, rc, bar, mails, each) {
  const page = await browser.open(`${rc.origin}/?_task=login`);
  const d = driver(browser, page);
  await d.setSize(1400, 900);
  await logIn(d, page, rc);
  /** @type {number | undefined} */ let tabId;
  for (const m of mails) {
    const stored = rc.messages.find((x) => path.basename(x.file) === m.file);
    assert.ok(stored, `${m.file} is in the mailbox`);
    if (tabId !== undefined) await bar.clear(tabId);
    await openMessage(d, stored, m.file);
    if (tabId === undefined) tabId = await bar.badgedTab();
    const [text, title] = await bar.verdict(tabId, m.file);
    assert.equal(text, m.badge, `${m.file}: toolbar badge (title: ${title})`);
    assert.ok(title.includes(m.title), `${m.file}: toolbar title "${title}" should say "${m.title}"`);
    if (each) await each(d, page, m);
  }
  return page;
}
