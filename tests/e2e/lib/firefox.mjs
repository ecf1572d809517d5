// Headless Firefox ESR with the extension installed as a temporary add-on through geckodriver.
// The moz-extension:// UUID is pinned by a pref so extension pages have a known URL; WebDriver
// may not navigate to moz-extension:// itself, so those open from the privileged context
// (geckodriver --allow-system-access).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { WebDriver } from './wd.mjs';

export const FIREFOX = process.env.FIREFOX_BIN || '/usr/lib/firefox-esr/firefox-esr';
export const ADDON_ID = 'impalemail@impalemail.org';
export const FIXED_UUID = '5c1f3e0a-7b2d-4c9e-8f61-2a4d6b8c0e17';
/** The toolbar button's widget id: the add-on id with every character but [a-z0-9_-] as `_` (Firefox's makeWidgetId). */
const ACTION_WIDGET = `${ADDON_ID.toLowerCase().replace(/[^a-z0-9_-]/g, '_')}-browser-action`;
/** Time for a toolbar button just placed to draw its icon (ms). */
const ICON_PAINT_MS = 1000;

function geckodriverPath() {
  if (process.env.GECKODRIVER) return process.env.GECKODRIVER;
  const cargoBin = path.join(process.env.CARGO_HOME || path.join(os.homedir(), '.cargo'), 'bin', 'geckodriver');
  return fs.existsSync(cargoBin) ? cargoBin : 'geckodriver';
}

const freePort = () => new Promise((resolve) => {
  const s = net.createServer();
  s.listen(0, '127.0.0.1', () => { const p = /** @type {net.AddressInfo} */ (s.address()).port; s.close(() => resolve(p)); });
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @param {WebDriver} wd @param {string} handle
 * @returns {import('./chrome.mjs').PageHandle}
 */
function pageHandle(wd, handle) {
  const focus = () => wd.switchTo(handle);
  return {
    url: async () => { await focus(); return wd.url(); },
    eval: async (expr) => { await focus(); return wd.exec(`return (${expr});`); },
    async waitFor(expr, timeoutMs = 15000) {
      await focus();
      const t0 = Date.now();
      let last;
      while (Date.now() - t0 < timeoutMs) {
        last = await wd.exec(`return (${expr});`).catch((e) => { last = String(e); return null; });
        if (last) return last;
        await sleep(100);
      }
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${expr}`);
    },
    async screenshot(file) { await focus(); fs.writeFileSync(file, Buffer.from(await wd.screenshot(), 'base64')); },
    async close() {
      await focus();
      // Closing the last window would end the WebDriver session: blank it instead.
      if ((await wd.handles()).length <= 1) return void (await wd.go('about:blank'));
      await wd.closeWindow();
      await wd.switchTo((await wd.handles())[0]);
    },
    raw: wd,
  };
}

/**
 * @param {{ extDir: string | null, headless?: boolean, logDir?: string, prefs?: Record<string, unknown> }} opts
 * `prefs`: more Firefox preferences for the profile (the benchmark turns off timer coarsening).
 * `extDir` null: no add-on (the page-cost benchmark's "no extension" browser).
 */
export async function launch({ extDir, headless = true, logDir = os.tmpdir(), prefs = {} }) {
  const port = await freePort();
  const env = { ...process.env };
  if (headless) env.MOZ_HEADLESS = '1';
  const gd = spawn(geckodriverPath(), ['--port', String(port), '--allow-system-access'], { stdio: ['ignore', 'pipe', 'pipe'], env });
  fs.mkdirSync(logDir, { recursive: true });
  const log = fs.createWriteStream(path.join(logDir, 'geckodriver.log'));
  gd.stdout.pipe(log); gd.stderr.pipe(log);
  const wd = new WebDriver(`http://127.0.0.1:${port}`);
  const t0 = Date.now();
  for (;;) {
    try { if ((await wd.req('GET', '/status')).ready) break; } catch { /* not up yet */ }
    if (Date.now() - t0 > 15000) { gd.kill(); throw new Error('geckodriver did not start; see geckodriver.log'); }
    await sleep(100);
  }
  try {
    await wd.newSession({
      browserName: 'firefox',
      'moz:firefoxOptions': {
        binary: FIREFOX,
        args: headless ? ['-headless'] : [],
        prefs: {
          'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: FIXED_UUID }),
          'browser.shell.checkDefaultBrowser': false,
          'datareporting.policy.dataSubmissionEnabled': false,
          'devtools.console.stdout.chrome': true,
          ...prefs,
        },
      },
    });
    if (extDir) await wd.installAddon(extDir, true);
    await wd.req('POST', wd.s('/window/rect'), { width: 1000, height: 760 });
  } catch (e) {
    await wd.quit().catch(() => {});
    gd.kill();
    throw e;
  }
  const extensionOrigin = `moz-extension://${FIXED_UUID}`;
  return {
    name: 'firefox',
    version: String(/** @type {any} */ (wd.caps).browserVersion),
    extensionOrigin,
    wd,
    /** @param {string} url */
    async open(url) {
      const cur = await wd.currentHandle().catch(() => null);
      // Reuse the first blank tab, otherwise open a new one.
      let handle = cur;
      if (!handle || (await wd.url().catch(() => '')) !== 'about:blank') {
        const w = await wd.newWindow();
        handle = w.handle;
      }
      await wd.switchTo(handle);
      await wd.go(url);
      return pageHandle(wd, handle);
    },
    /**
     * Waits (up to 10 s) for a tab whose URL ends with `suffix` to open, and closes it (the
     * welcome page a fresh install opens), through the browser window's own tab strip.
     * @param {string} suffix
     */
    async closeTabsEndingWith(suffix) {
      await wd.setContext('chrome');
      try {
        for (let i = 0; i < 100; i++) {
          const closed = await wd.exec(`const w = Services.wm.getMostRecentWindow("navigator:browser");
            const tabs = w.gBrowser.tabs.filter((t) => t.linkedBrowser.currentURI.spec.endsWith(arguments[0]));
            for (const t of tabs) w.gBrowser.removeTab(t);
            return tabs.length;`, [suffix]);
          if (closed) return;
          await sleep(100);
        }
      } finally {
        await wd.setContext('content');
      }
    },
    /** @param {string} rel e.g. 'ui/popup.html' */
    async openExtensionPage(rel) {
      const before = new Set(await wd.handles());
      await wd.setContext('chrome');
      await wd.exec(`const w = Services.wm.getMostRecentWindow("navigator:browser");
        w.gBrowser.selectedTab = w.gBrowser.addTab(arguments[0], { triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() });`,
      [`${extensionOrigin}/${rel}`]);
      await wd.setContext('content');
      let handle;
      for (let i = 0; i < 50 && !handle; i++) {
        handle = (await wd.handles()).find((h) => !before.has(h));
        if (!handle) await sleep(100);
      }
      if (!handle) throw new Error('the extension page did not open');
      await wd.switchTo(handle);
      // The tab opens at once but loads afterwards: a script run before the page has loaded
      // can be dropped with the old document (and then answers null). Wait for the page.
      const want = `${extensionOrigin}/${rel}`;
      for (let i = 0; i < 100; i++) {
        const state = await wd.exec('return [location.href, document.readyState];').catch(() => null);
        if (state && state[0] === want && state[1] === 'complete') break;
        await sleep(100);
      }
      return pageHandle(wd, handle);
    },
    /**
     * Saves the whole browser window, its toolbar included, as shown with `page`'s tab
     * selected. Headless Firefox draws its own interface too; the extension's toolbar button
     * is put on the toolbar first (a new profile keeps it in the extensions menu).
     * @param {import('./chrome.mjs').PageHandle} page @param {string} file
     */
    async windowScreenshot(page, file) {
      await page.eval('1'); // selects the page's tab
      await wd.setContext('chrome');
      try {
        const added = await wd.exec(`const { CustomizableUI } = Services.wm.getMostRecentWindow('navigator:browser');
          if (CustomizableUI.getPlacementOfWidget(arguments[0])?.area === CustomizableUI.AREA_NAVBAR) return false;
          CustomizableUI.addWidgetToArea(arguments[0], CustomizableUI.AREA_NAVBAR);
          return true;`, [ACTION_WIDGET]);
        // A button just moved draws its icon a moment later (seen without this pause).
        if (added) await sleep(ICON_PAINT_MS);
        fs.writeFileSync(file, Buffer.from(await wd.screenshot(), 'base64'));
      } finally {
        await wd.setContext('content');
      }
    },
    closed: () => new Promise((resolve) => gd.on('exit', () => resolve(undefined))),
    async close() {
      await wd.quit().catch(() => {});
      gd.kill('SIGTERM');
    },
  };
}
