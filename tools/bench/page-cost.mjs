#!/usr/bin/env node
// What the content script costs pages it does not help: real-world-like pages of the project's
// forms corpus (tests/forms/corpus, the first N in name order), served on 127.0.0.1, each loaded
// in headless Chromium three ways, interleaved page by page in a rotating order for R rounds:
//   none     no extension;
//   control  an empty extension with the same content-script declaration as ours
//            (`<all_urls>`, all frames, `document_idle`) and an empty script;
//   ours     dist/chrome.
// For every load it records the load event (PerformanceNavigationTiming.loadEventStart, ms from
// the navigation's start) and the main thread's blocking time until one second after the load
// event (the sum over long tasks of their time beyond 50 ms, as Lighthouse's TBT counts it). It
// prints the median and the 90th percentile of each, and of ours minus control per page
// (paired: the same page in the same round). Figures only: it asserts nothing. The issue's
// targets (#26): at most 2 ms median and 10 ms at the 90th percentile over the control, and no
// added blocking time.
//
//   node tools/bench/page-cost.mjs [--pages N] [--rounds R]
//
// Writes target/bench/page-cost.json. Chromium only for now (Firefox through geckodriver has no
// per-load long-task timing that matches; see tools/bench/README.md).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../../tests/e2e/lib/chrome.mjs';
import { ROOT } from '../../tests/e2e/lib/harness.mjs';
import { startServer } from '../../tests/e2e/lib/server.mjs';

const arg = (/** @type {string} */ name, /** @type {number} */ dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) || dflt : dflt;
};
/** Pages of the corpus loaded (the issue asks for at least 60). */
const PAGES = arg('--pages', 60);
/** Rounds: every page is loaded once per variant per round. */
const ROUNDS = arg('--rounds', 3);
/** How long after the load event blocking time is still counted (ms). */
const AFTER_LOAD_MS = 1000;
const CORPUS = path.join(ROOT, 'tests/forms/corpus');
const OUT = path.join(ROOT, 'target', 'bench');

// In the page world, before the page's own scripts: long tasks as they happen.
const PROBE = `
window.__cost = { long: [] };
try {
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__cost.long.push([e.startTime, e.duration]); })
    .observe({ type: 'longtask', buffered: true });
} catch {}
`;

/** An unpacked extension with an empty content script declared exactly like ours. */
function controlExtension() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'impalemail-control-'));
  const ours = JSON.parse(fs.readFileSync(path.join(ROOT, 'dist/chrome/manifest.json'), 'utf8'));
  fs.writeFileSync(path.join(dir, 'empty.js'), '');
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
    manifest_version: 3, name: 'control', version: '1.0',
    content_scripts: ours.content_scripts.map((/** @type {any} */ cs) => ({ ...cs, js: ['empty.js'] })),
  }));
  return dir;
}

/** @param {string | null} extDir */
async function launch(extDir) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'impalemail-pagecost-'));
  const args = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-gpu'];
  if (extDir) args.push(`--disable-extensions-except=${extDir}`, `--load-extension=${extDir}`);
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1000, height: 700 },
    ignoreDefaultArgs: extDir ? ['--disable-extensions'] : [], args,
  });
  await ctx.addInitScript(PROBE);
  return { ctx, profile };
}

/**
 * One load: the load event and the blocking time up to AFTER_LOAD_MS after it.
 * @param {import('playwright-core').BrowserContext} ctx @param {string} url
 */
async function load(ctx, url) {
  const page = await ctx.newPage();
  try {
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForTimeout(AFTER_LOAD_MS);
    return await page.evaluate(() => {
      const nav = /** @type {PerformanceNavigationTiming} */ (performance.getEntriesByType('navigation')[0]);
      const end = nav.loadEventStart + 1000;
      const blocking = (/** @type {any} */ (globalThis).__cost?.long ?? [])
        .filter((/** @type {number[]} */ [start]) => start < end)
        .reduce((/** @type {number} */ s, /** @type {number[]} */ [, d]) => s + Math.max(0, d - 50), 0);
      return { load: nav.loadEventStart, blocking };
    });
  } finally {
    await page.close();
  }
}

/** @param {number[]} xs @param {number} q */
function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const i = (s.length - 1) * q;
  return s[Math.floor(i)] + (s[Math.ceil(i)] - s[Math.floor(i)]) * (i - Math.floor(i));
}

const fmt = (/** @type {number} */ x) => x.toFixed(1).padStart(7);

const files = fs.readdirSync(CORPUS).filter((f) => f.endsWith('.html')).sort().slice(0, PAGES);
const server = await startServer({ root: CORPUS });
const control = controlExtension();
/** @type {Record<string, Awaited<ReturnType<typeof launch>>>} */
const browsers = {
  none: await launch(null),
  control: await launch(control),
  ours: await launch(path.join(ROOT, 'dist/chrome')),
};
const variants = Object.keys(browsers);
/** @type {Record<string, { load: number[], blocking: number[] }>} */
const by = Object.fromEntries(variants.map((v) => [v, { load: [], blocking: [] }]));
/** ours minus control, per page and round. */
const delta = { load: /** @type {number[]} */ ([]), blocking: /** @type {number[]} */ ([]) };
try {
  // One warm-up load per browser (first navigation costs everyone).
  for (const v of variants) await load(browsers[v].ctx, `${server.origin}/${files[0]}`);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, f] of files.entries()) {
      const order = variants.map((_, k) => variants[(k + i + round) % variants.length]);
      /** @type {Record<string, { load: number, blocking: number }>} */
      const got = {};
      for (const v of order) got[v] = await load(browsers[v].ctx, `${server.origin}/${f}`);
      for (const v of variants) {
        by[v].load.push(got[v].load);
        by[v].blocking.push(got[v].blocking);
      }
      delta.load.push(got.ours.load - got.control.load);
      delta.blocking.push(got.ours.blocking - got.control.blocking);
    }
    process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
  }
} finally {
  for (const b of Object.values(browsers)) await b.ctx.close().catch(() => {});
  server.close();
}

console.log(`page cost in headless Chromium: ${files.length} pages of tests/forms/corpus, ${ROUNDS} rounds, ${os.cpus().length} CPUs`);
console.log('                      load event (ms)        blocking time (ms)');
console.log('                      median     p90         median     p90');
for (const v of variants) {
  console.log(`  ${v.padEnd(18)}${fmt(quantile(by[v].load, 0.5))} ${fmt(quantile(by[v].load, 0.9))}     ${fmt(quantile(by[v].blocking, 0.5))} ${fmt(quantile(by[v].blocking, 0.9))}`);
}
console.log(`  ${'ours - control'.padEnd(18)}${fmt(quantile(delta.load, 0.5))} ${fmt(quantile(delta.load, 0.9))}     ${fmt(quantile(delta.blocking, 0.5))} ${fmt(quantile(delta.blocking, 0.9))}   (paired, per page and round)`);
fs.mkdirSync(OUT, { recursive: true });
fs.writeFileSync(path.join(OUT, 'page-cost.json'), JSON.stringify({ pages: files.length, rounds: ROUNDS, by, delta }, null, 1));
