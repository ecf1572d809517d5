#!/usr/bin/env node
// What the forms content script costs the page, in headless Chromium with the real extension
// (dist/chrome): long tasks (PerformanceObserver 'longtask', >= 50 ms on the page's main thread)
// while a typical signup page and a page with 2,000 inputs load and are scanned, and the time
// from the trusted key press on "New alias" to the field's `input` event (click to filled field:
// the background makes the alias, stores it in the vault, and the content script fills).
// The scan time itself, measured inside the content script, comes from
// `./build.sh eval-forms` (its summary's `scan_ms_median` and `bench.scan_ms_median`).
//
// Prints a table and writes target/bench/forms-cost.json. Figures only: it asserts nothing.
//
//   node tools/bench/forms-cost.mjs [--runs N]
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser, ROOT } from '../../tests/e2e/lib/harness.mjs';
import { HOST_SELECTOR, HUMAN_PAUSE_MS, contentScriptReady, setCatchAll, waitFor } from '../../tests/e2e/lib/forms-pages.mjs';
import { startServer } from '../../tests/e2e/lib/server.mjs';
import { CHROMIUM } from '../../tests/e2e/lib/chrome.mjs';
import { chromium } from 'playwright-core';

const RUNS = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 8;
/** Inputs on the large page. */
const LARGE_INPUTS = 2000;
const OUT = path.join(ROOT, 'target', 'bench');

// Runs in the page world before anything else: records long tasks and event times.
const PROBE = `
window.__cost = { longtasks: [], keydown: 0, input: 0 };
new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__cost.longtasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
document.addEventListener('keydown', (e) => { if (e.key === 'Enter' && e.isTrusted) window.__cost.keydown = e.timeStamp; }, true);
document.addEventListener('input', (e) => { if (e.target && e.target.id === 'email' && !window.__cost.input) window.__cost.input = e.timeStamp; }, true);
`;

const large = () => {
  const forms = [];
  for (let f = 0; f < LARGE_INPUTS / 20; f++) {
    const inputs = [];
    for (let i = 0; i < 20; i++) inputs.push(`<label>Field ${f}.${i} <input name="f${f}_${i}" type="${i === 0 ? 'email' : 'text'}"></label>`);
    forms.push(`<form action="/s${f}">${inputs.join('')}<button>Send</button></form>`);
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Large</title></head><body>${forms.join('')}<p data-impalemail-selftest data-input="x">…</p></body></html>`;
};

const median = (/** @type {number[]} */ xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

/**
 * The same page loads in the same Chromium without the extension: the long tasks the page
 * causes by itself (parsing and laying out 2,000 inputs is work of its own).
 * @param {string} url @param {number} runs
 */
async function baseline(url, runs) {
  const b = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'] });
  try {
    const ctx = await b.newContext({ viewport: { width: 1000, height: 700 } });
    await ctx.addInitScript(PROBE);
    /** @type {number[]} */ const longest = [];
    for (let i = 0; i < runs; i++) {
      const page = await ctx.newPage();
      await page.goto(`${url}?run=${i}`);
      await page.waitForTimeout(1500);
      const c = await page.evaluate(() => /** @type {any} */ (globalThis).__cost);
      longest.push(c.longtasks.length ? Math.max(...c.longtasks) : 0);
      await page.close();
    }
    return longest;
  } finally {
    await b.close();
  }
}

const site = await startServer({
  routes: {
    '/large.html': (_req, res) => { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }); res.end(large()); },
  },
});
const browser = await launchBrowser('chrome');
try {
  await setCatchAll(browser, 'bench.example.test', JSON.parse(fs.readFileSync(path.join(ROOT, 'extension/_locales/en/messages.json'), 'utf8')).optSaved.message);
  const blank = await browser.open('about:blank');
  await blank.raw.context().addInitScript(PROBE);

  /** @type {number[]} */ const fill = [];
  /** @type {number[]} */ const typicalLong = [];
  for (let i = 0; i < RUNS; i++) {
    const page = await browser.open(`${site.origin}/signup.html?run=${i}`);
    const p = page.raw;
    await contentScriptReady(page);
    await p.click('#email');
    await waitFor(page, `[...document.querySelectorAll(${JSON.stringify(HOST_SELECTOR)})].some((h) => getComputedStyle(h).visibility === 'visible')`, 'the button');
    const rect = await page.eval(`[...document.querySelectorAll(${JSON.stringify(HOST_SELECTOR)})].find((h) => getComputedStyle(h).visibility === 'visible').getBoundingClientRect().toJSON()`);
    // The button ignores a press that comes sooner after it appeared than a person could (#27).
    await new Promise((r) => setTimeout(r, HUMAN_PAUSE_MS));
    await p.mouse.click(rect.x + rect.width / 2, rect.y + rect.height / 2);
    // The menu takes the focus itself and, like the button, ignores keys that come too soon;
    // ArrowDown reaches "New alias" (the Enter rule of #27).
    await new Promise((r) => setTimeout(r, HUMAN_PAUSE_MS));
    await p.keyboard.press('ArrowDown');
    await new Promise((r) => setTimeout(r, HUMAN_PAUSE_MS));
    await p.keyboard.press('Enter');
    await waitFor(page, `window.__cost.input > 0`, 'the fill');
    const c = await page.eval(`window.__cost`);
    fill.push(c.input - c.keydown);
    typicalLong.push(c.longtasks.length ? Math.max(...c.longtasks) : 0);
    await p.close();
  }
  /** @type {number[]} */ const largeLong = [];
  /** @type {number[]} */ const largeCount = [];
  for (let i = 0; i < Math.min(RUNS, 4); i++) {
    const page = await browser.open(`${site.origin}/large.html?run=${i}`);
    await contentScriptReady(page);
    await new Promise((r) => setTimeout(r, 1500)); // the scans settle
    const c = await page.eval(`window.__cost`);
    largeLong.push(c.longtasks.length ? Math.max(...c.longtasks) : 0);
    largeCount.push(c.longtasks.length);
    await page.raw.close();
  }
  const typicalBase = await baseline(`${site.origin}/signup.html`, Math.min(RUNS, 4));
  const largeBase = await baseline(`${site.origin}/large.html`, Math.min(RUNS, 4));
  const out = {
    runs: RUNS,
    typical_page_longest_task_ms_without_extension: Math.max(0, ...typicalBase),
    large_page_longest_task_ms_without_extension: Math.max(0, ...largeBase),
    click_to_fill_ms_median: median(fill),
    click_to_fill_ms: fill.map((x) => Math.round(x * 10) / 10),
    typical_page_longest_task_ms: Math.max(0, ...typicalLong),
    large_page_inputs: LARGE_INPUTS,
    large_page_long_tasks: largeCount,
    large_page_longest_task_ms: Math.max(0, ...largeLong),
    note: 'long tasks include the page\'s own parsing and layout; 0 means no task of 50 ms or more',
  };
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, 'forms-cost.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.log(`click to filled field: median ${out.click_to_fill_ms_median.toFixed(1)} ms over ${RUNS} (${out.click_to_fill_ms.join(', ')})`);
  console.log(`typical page: longest long task ${out.typical_page_longest_task_ms.toFixed(0)} ms (without the extension: ${out.typical_page_longest_task_ms_without_extension.toFixed(0)} ms)`);
  console.log(`${LARGE_INPUTS}-input page: long tasks per load ${largeCount.join(', ')}, longest ${out.large_page_longest_task_ms.toFixed(0)} ms (without the extension: ${out.large_page_longest_task_ms_without_extension.toFixed(0)} ms)`);
  console.log(`wrote ${path.join(OUT, 'forms-cost.json')}`);
} finally {
  await browser.close();
  site.close();
}
