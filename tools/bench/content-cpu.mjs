#!/usr/bin/env node
// What the content script's entry point costs a frame, counted rather than timed (so that a
// loaded machine changes it little): the first N pages of tests/forms/corpus, served on
// 127.0.0.1, loaded in a headless Chromium with dist/chrome and then with an empty control
// extension declared like ours, under a DevTools trace; for each page, the main-thread CPU time
// (`tdur`) of the content script's evaluation (`EvaluateScript`, which runs before the page's
// load event in Chromium) and of its functions called at and after the load event
// (`FunctionCall`, by name). Prints the quantiles; asserts nothing.
//
//   node tools/bench/content-cpu.mjs [--pages N]      (12)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../../tests/e2e/lib/chrome.mjs';
import { ROOT } from '../../tests/e2e/lib/harness.mjs';
import { startServer } from '../../tests/e2e/lib/server.mjs';

const i = process.argv.indexOf('--pages');
/** Pages of the corpus loaded per variant. */
const PAGES = i > 0 ? Number(process.argv[i + 1]) || 12 : 12;
/** How long each page stays open after its load event (its idle work included), ms. */
const STAY_MS = 1200;
const CORPUS = path.join(ROOT, 'tests/forms/corpus');
const DIST = path.join(ROOT, 'dist/chrome');
const files = fs.readdirSync(CORPUS).filter((f) => f.endsWith('.html')).sort().slice(0, PAGES);

/** An empty content script declared like ours. @returns {string} the extension's directory */
function control() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'impalemail-cpu-control-'));
  const ours = JSON.parse(fs.readFileSync(path.join(DIST, 'manifest.json'), 'utf8'));
  fs.writeFileSync(path.join(dir, 'empty.js'), '');
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
    manifest_version: 3, name: 'control', version: '1.0',
    content_scripts: ours.content_scripts.map((/** @type {any} */ cs) => ({ ...cs, js: ['empty.js'] })),
  }));
  return dir;
}

/**
 * The trace events of loading every page once with `extDir`.
 * @param {string} extDir @param {string} origin @returns {Promise<any[]>}
 */
async function traced(extDir, origin) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'impalemail-cpu-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, ignoreDefaultArgs: ['--disable-extensions'],
    args: [`--disable-extensions-except=${extDir}`, `--load-extension=${extDir}`, '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    const page = await ctx.newPage();
    await page.goto(`${origin}/${files[0]}`); // warm-up, not traced
    const cdp = await ctx.newCDPSession(page);
    /** @type {any[]} */
    const events = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
    const complete = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'v8'] }, transferMode: 'ReportEvents' });
    for (const f of files) {
      await page.goto(`${origin}/${f}`, { waitUntil: 'load' });
      await page.waitForTimeout(STAY_MS);
    }
    await cdp.send('Tracing.end');
    await complete;
    return events;
  } finally {
    await ctx.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
  }
}

/** @param {number[]} xs @param {number} q */
function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const k = (s.length - 1) * q;
  return s[Math.floor(k)] + (s[Math.ceil(k)] - s[Math.floor(k)]) * (k - Math.floor(k));
}

/** @param {number[]} xs */
const summary = (xs) => `median ${quantile(xs, 0.5).toFixed(2)}, min ${quantile(xs, 0).toFixed(2)}, max ${quantile(xs, 1).toFixed(2)} ms (${xs.length})`;

const server = await startServer({ root: CORPUS, routes: {} });
const controlDir = control();
try {
  console.log(`content script CPU in headless Chromium: ${files.length} pages of tests/forms/corpus, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  for (const [name, dir, script] of [['ours', DIST, '/content/content.js'], ['control', controlDir, '/empty.js']]) {
    const events = await traced(dir, server.origin);
    const ofScript = (/** @type {string} */ kind) => events.filter((e) => e.ph === 'X' && e.name === kind && String(e.args?.data?.url ?? '').endsWith(script));
    console.log(`  ${name.padEnd(8)} evaluation (before the load event): ${summary(ofScript('EvaluateScript').map((e) => (e.tdur ?? 0) / 1000))}`);
    /** @type {Map<string, number[]>} */
    const calls = new Map();
    for (const e of ofScript('FunctionCall')) {
      const fn = e.args.data.functionName || '(anonymous)';
      calls.set(fn, [...(calls.get(fn) ?? []), (e.tdur ?? 0) / 1000]);
    }
    for (const [fn, xs] of calls) console.log(`  ${name.padEnd(8)} function ${fn}: ${summary(xs)}`);
  }
} finally {
  await server.close?.();
  fs.rmSync(controlDir, { recursive: true, force: true });
}
