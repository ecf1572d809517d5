// Headless Chromium (Debian's /usr/bin/chromium) with the unpacked extension, driven by
// playwright-core. The page handle offers the same small interface as firefox.mjs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/**
 * @typedef {{
 *   url(): Promise<string>,
 *   eval(expr: string): Promise<any>,
 *   waitFor(expr: string, timeoutMs?: number): Promise<any>,
 *   screenshot(file: string): Promise<void>,
 *   close(): Promise<void>,
 *   raw: any,
 * }} PageHandle
 */

/** @param {import('playwright-core').Page} page @returns {PageHandle} */
function handle(page) {
  return {
    url: async () => page.url(),
    eval: (expr) => page.evaluate(expr),
    // Polls from Node with page.evaluate (CDP evaluation, which extension pages' CSP allows;
    // page.waitForFunction compiles its predicate in the page, which that CSP refuses).
    async waitFor(expr, timeoutMs = 15000) {
      const t0 = Date.now();
      for (;;) {
        const v = await page.evaluate(expr).catch(() => null);
        if (v) return v;
        if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    screenshot: async (file) => { await page.screenshot({ path: file }); },
    close: () => page.close(),
    raw: page,
  };
}

/**
 * @param {{ extDir: string, headless?: boolean, lang?: string, colorScheme?: 'light' | 'dark' }} opts
 * `lang`: the browser's UI language, which the extension's words follow (`--lang`, and
 * LANGUAGE, which Chromium on Linux reads too), and the pages' `navigator.language`, which
 * dates follow; `colorScheme`: what pages see as the
 * preferred scheme.
 */
export async function launch({ extDir, headless = true, lang, colorScheme }) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'impalemail-chrome-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless,
    ignoreDefaultArgs: ['--disable-extensions'],
    viewport: { width: 1000, height: 700 },
    ...(colorScheme ? { colorScheme } : {}),
    ...(lang ? { locale: lang.replace('_', '-'), env: { ...process.env, LANGUAGE: lang, LANG: `${lang}.UTF-8` } } : {}),
    args: [
      ...(lang ? [`--lang=${lang}`] : []),
      `--disable-extensions-except=${extDir}`, `--load-extension=${extDir}`,
      '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', '--disable-quic', '--disable-gpu',
    ],
  });
  let [sw] = ctx.serviceWorkers();
  if (!sw) sw = await ctx.waitForEvent('serviceworker', { timeout: 20000 });
  const extensionOrigin = `chrome-extension://${new URL(sw.url()).host}`;
  return {
    name: 'chrome',
    version: ctx.browser()?.version() ?? 'chromium',
    extensionOrigin,
    serviceWorker: sw,
    /** @param {string} url */
    async open(url) {
      const page = await ctx.newPage();
      await page.goto(url);
      return handle(page);
    },
    /** @param {string} rel e.g. 'ui/popup.html' */
    async openExtensionPage(rel) {
      const page = await ctx.newPage();
      await page.goto(`${extensionOrigin}/${rel}`);
      return handle(page);
    },
    /**
     * Waits (up to 10 s) for a tab whose URL ends with `suffix` to open, and closes it (the
     * welcome page a fresh install opens).
     * @param {string} suffix
     */
    async closeTabsEndingWith(suffix) {
      for (let i = 0; i < 100; i++) {
        const found = ctx.pages().filter((p) => p.url().endsWith(suffix));
        if (found.length) {
          for (const p of found) await p.close();
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    /** Resolves when the user closes the browser (interactive `build.sh run`). */
    closed: () => new Promise((resolve) => ctx.on('close', () => resolve(undefined))),
    async close() {
      await ctx.close().catch(() => {});
      // Chromium may still be writing to the profile as it exits: retried, and a profile that
      // still cannot be removed is left in the temporary directory rather than failing.
      try {
        fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
      } catch {
        // left behind in os.tmpdir()
      }
    },
  };
}
