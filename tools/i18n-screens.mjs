// Screenshots of the popup, the options page and the welcome page in other languages, for
// looking at the layout (issue 19): Chromium with the built extension (dist/chrome), started with
// `--lang=<lang>` and LANGUAGE=<lang>, offline. A catch-all domain is set so the popup can show an
// alias (with its dates in the locale's format) without any network.
//
//   ./build.sh && node tools/i18n-screens.mjs [LANG...]     (default: ja ru de)
//
// Writes docs/i18n/<lang>-popup.png, -options.png, -welcome.png. CJK needs a CJK font on the
// machine (Debian: fonts-noto-cjk), or the text shows as boxes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(import.meta.dirname, '..');
const EXT = path.join(ROOT, 'dist/chrome');
const OUT = path.join(ROOT, 'docs/i18n');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const langs = process.argv.slice(2).length ? process.argv.slice(2) : ['ja', 'ru', 'de'];

/** @param {import('playwright-core').Page} page @param {string} expr */
async function until(page, expr, ms = 20000) {
  const t0 = Date.now();
  for (;;) {
    const v = await page.evaluate(expr).catch(() => null);
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${expr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The whole page in one shot, with a viewport as tall as the page: a full-page screenshot would
 * paint the options page's sticky save bar over the middle of it.
 * @param {import('playwright-core').Page} page @param {string} file
 */
async function whole(page, file) {
  const height = await page.evaluate('document.documentElement.scrollHeight');
  await page.setViewportSize({ width: 900, height });
  await page.screenshot({ path: file });
}

/** @param {string} lang */
async function shoot(lang) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'impalemail-i18n-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    ignoreDefaultArgs: ['--disable-extensions'],
    viewport: { width: 900, height: 700 },
    locale: lang.replace('_', '-'),
    env: { ...process.env, LANGUAGE: lang, LANG: `${lang}.UTF-8` },
    args: [
      `--disable-extensions-except=${EXT}`, `--load-extension=${EXT}`, `--lang=${lang.replace('_', '-')}`,
      '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', '--disable-gpu',
    ],
  });
  try {
    let [sw] = ctx.serviceWorkers();
    if (!sw) sw = await ctx.waitForEvent('serviceworker', { timeout: 20000 });
    const origin = `chrome-extension://${new URL(sw.url()).host}`;

    const options = await ctx.newPage();
    await options.goto(`${origin}/ui/options.html`);
    await until(options, `document.body?.dataset.ready === '1'`);
    await options.fill('#catch_all_domain', 'aliases.example.test');
    await options.click('#save');
    await until(options, `document.getElementById('save-status')?.textContent`);

    const popup = await ctx.newPage();
    await popup.setViewportSize({ width: 380, height: 600 });
    await popup.goto(`${origin}/ui/popup.html?for=${encodeURIComponent('https://shop.example.com/signup')}`);
    await until(popup, `document.body?.dataset.aliases === 'ready'`);
    await popup.evaluate(`(() => { const s = document.getElementById('create-source');
      const o = [...s.options].find((x) => !x.disabled && /catch/i.test(x.value)); if (o) s.value = o.value; return true; })()`);
    await popup.click('#create');
    await until(popup, `document.querySelector('#site-list li')`);
    await popup.evaluate(`document.getElementById('about').open = true`);
    await until(popup, `document.getElementById('version')?.textContent !== '…'`).catch(() => {});
    const lang0 = await popup.evaluate('document.documentElement.lang');
    await popup.screenshot({ path: path.join(OUT, `${lang}-popup.png`), fullPage: true });

    await options.reload();
    await until(options, `document.body?.dataset.ready === '1'`);
    await whole(options, path.join(OUT, `${lang}-options.png`));

    const welcome = await ctx.newPage();
    await welcome.goto(`${origin}/ui/welcome.html`);
    await until(welcome, `document.querySelector('[data-i18n="welcomeTitle"]')?.textContent`);
    await new Promise((r) => setTimeout(r, 500));
    await whole(welcome, path.join(OUT, `${lang}-welcome.png`));
    console.log(`${lang}: html lang=${lang0}, screenshots in docs/i18n/`);
  } finally {
    await ctx.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}

fs.mkdirSync(OUT, { recursive: true });
for (const lang of langs) await shoot(lang);
