// Pictures of the UI in dark mode (popup, options, in-page menu, badges) and of the in-page menu
// and badges in Japanese, Russian and German, next to tools/i18n-screens.mjs's popup, options
// and welcome page in those languages (issue 19):
//
//   ./build.sh && node tools/ui-screens.mjs [OUT_DIR]     (default: docs/i18n)
//
// Writes <OUT_DIR>/dark-{menu,popup,options,badge}.png and <lang>-{menu,badge}.png.
// Headless Chromium with the built extension (dist/chrome), one fresh profile per variant:
// `--lang` sets the UI language the extension's words follow; the dark variant has the browser
// prefer dark (the popup and options follow it) and a dark signup page (the in-page button and
// menu follow the page: content/scheme.js). For each: the in-page menu on the demo signup page,
// the popup with the alias that menu made, the options page's top, and the verdict badges of
// every look with the personal mark (drawn by the same module on the components test page,
// tests/e2e/lib/components.mjs, as a message in webmail would show them).
import fs from 'node:fs';
import path from 'node:path';
import { componentRoutes } from '../tests/e2e/lib/components.mjs';
import { HUMAN_PAUSE_MS, buttonRects, centre, contentScriptReady, setCatchAll, sleep } from '../tests/e2e/lib/forms-pages.mjs';
import { ROOT, launchBrowser } from '../tests/e2e/lib/harness.mjs';
import { until, waitFor } from '../tests/e2e/lib/pages.mjs';
import { SITE_DIR, startServer } from '../tests/e2e/lib/server.mjs';

const OUT = path.resolve(process.argv[2] ?? path.join(ROOT, 'docs/i18n'));
/**
 * The variants: a file-name slug, the UI language, the scheme, and whether the popup and the
 * options page are shot too (in the other languages tools/i18n-screens.mjs shoots them).
 */
const VARIANTS = [
  { slug: 'dark', lang: 'en', scheme: 'dark', pages: true },
  { slug: 'ja', lang: 'ja', scheme: 'light', pages: false },
  { slug: 'ru', lang: 'ru', scheme: 'light', pages: false },
  { slug: 'de', lang: 'de', scheme: 'light', pages: false },
];
/** The part of the signup page with the form and the open menu (CSS px). */
const MENU_CROP = { x: 100, y: 20, width: 640, height: 365 };
/** Time for a frame to paint what was just drawn, before a screenshot (ms). */
const PAINT_MS = 300;
const CATCH_ALL = 'example.net';
/** A dark skin for the demo signup page, as webmail dark modes do it: colours, no color-scheme. */
const DARK_CSS = `body { background: #21292e; color: #e8eaec; } form { border-color: #44525c; }
input { background: #2c353b; color: #e8eaec; border-color: #6b7a85; } .selftest { background: #2c353b; color: #c8ccd0; }`;

const routes = {
  ...componentRoutes,
  /** @param {any} _req @param {import('node:http').ServerResponse} res */
  '/signup-dark.html': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'self'" });
    res.end(fs.readFileSync(path.join(SITE_DIR, 'signup.html'), 'utf8').replace('</head>', '<link rel="stylesheet" href="/dark.css"></head>'));
  },
  /** @param {any} _req @param {import('node:http').ServerResponse} res */
  '/dark.css': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/css' });
    res.end(DARK_CSS);
  },
};

/** The words of `key` in `lang`. @param {string} lang @param {string} key */
const word = (lang, key) => JSON.parse(fs.readFileSync(path.join(ROOT, 'extension/_locales', lang, 'messages.json'), 'utf8'))[key].message;

const site = await startServer({ routes });
const made = [];
try {
  for (const v of VARIANTS) {
    const browser = await launchBrowser('chrome', { lang: v.lang, colorScheme: /** @type {'light' | 'dark'} */ (v.scheme) });
    try {
      const file = (/** @type {string} */ what) => path.join(OUT, `${v.slug}-${what}.png`);
      await setCatchAll(browser, CATCH_ALL, word(v.lang, 'optSaved'));
      // The menu, opened with a click, on the (dark or light) signup page.
      const url = `${site.origin}/${v.scheme === 'dark' ? 'signup-dark.html' : 'signup.html'}`;
      const page = await browser.open(url);
      await contentScriptReady(page);
      const rects = await until(async () => ((await buttonRects(page)).length === 1 ? buttonRects(page) : null), 'the alias button');
      await sleep(HUMAN_PAUSE_MS);
      await page.raw.mouse.click(...centre(rects[0]));
      await sleep(PAINT_MS);
      await page.raw.screenshot({ path: file('menu'), clip: MENU_CROP });
      made.push(file('menu'));
      await sleep(HUMAN_PAUSE_MS);
      await page.raw.keyboard.press('ArrowDown');
      await sleep(HUMAN_PAUSE_MS);
      await page.raw.keyboard.press('Enter');
      await waitFor(page, `document.getElementById('email').value.includes('@')`);
      if (v.pages) {
        // The popup for that site, with the alias the menu made.
        const popup = await browser.openExtensionPage(`ui/popup.html?for=${encodeURIComponent(url)}`);
        await popup.raw.setViewportSize({ width: 380, height: 700 });
        await waitFor(popup, `document.body && document.body.dataset.aliases === 'ready'`);
        await sleep(PAINT_MS);
        await popup.raw.locator('body').screenshot({ path: file('popup') });
        made.push(file('popup'));
        // The options page, its first screen.
        const options = await browser.openExtensionPage('ui/options.html');
        await waitFor(options, `document.body && document.body.dataset.ready === '1'`);
        await sleep(PAINT_MS);
        await options.raw.screenshot({ path: file('options') });
        made.push(file('options'));
      }
      // The badges: verified, invalid, not verified, unsigned, each with the mark.
      const comps = await browser.open(`${site.origin}/components.html?lang=${v.lang}&scheme=${v.scheme}`);
      await waitFor(comps, `document.body.dataset.ready === '1'`);
      await sleep(PAINT_MS);
      const box = await comps.eval(`(() => { const hs = [...document.querySelectorAll('#badges > *')].slice(0, 4); const a = hs[0].getBoundingClientRect(), b = hs[3].getBoundingClientRect(); return { x: a.left - 6, y: a.top - 6, width: a.width + 12, height: b.bottom - a.top + 12 }; })()`);
      await comps.raw.screenshot({ path: file('badge'), clip: box });
      made.push(file('badge'));
    } finally {
      await browser.close();
    }
  }
} finally {
  site.close();
}
for (const f of made) console.log(path.relative(process.cwd(), f));
