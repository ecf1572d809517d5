#!/usr/bin/env node
// Signup-form detection through the whole extension (`./build.sh eval-forms DIR`).
//
// Serves DIR over http://127.0.0.1 (ephemeral port) and opens every .html file in headless
// Chromium with the built extension (dist/chrome) loaded, so the real content script scans the
// page, the real background classifies it in the wasm core, and the real button code decides
// where buttons are drawn. Then it asks the extension what it decided.
//
// How the harness learns it: the content script answers a `forms.inspect` message with, for
// every input/textarea/select in document order (open shadow roots included), the field type
// and form type of its last classification, whether a button is shown on the field, and
// whether a click on a shown button fills it. That message is a *tab message*
// (`tabs.sendMessage`): only the extension's own background and pages can send it, never a
// web page, and the answer goes back to the extension, never into the page. The harness
// reaches it from one of our pages (the options page, opened in the same browser), which
// sends `forms.inspect {url}` to the background (a handler in the extension-pages trust group
// of background/router.js); the background asks the top frame of each tab, and only the
// content script showing that URL answers. Nothing is added to the page or to `window`.
//
// Output: one JSON line per input/textarea/select:
//   {file, index, name, id, label, field_type, form_type, button, fills}
// `index` is the element's position in document order among those elements; `label` is the
// value of the --label-attr attribute (null without the option); `field_type` is "other" for
// fields the extractor skipped (hidden, disabled, read-only...); `form_type` is null for
// fields outside any classified form. Then one summary line. With --label-attr NAME it also
// prints precision and recall of `fills` and the form-type accuracy: the expected `fills` is
// the attribute NAME with its trailing "field" replaced by "fills" (the corpus:
// data-label-field -> data-label-fills, "1" means fills), and the form's expected type is
// that stem + "form" on the form element (data-label-form). Where no such fills attribute is
// on the page, a field is expected to be filled when its label is email_new_account,
// email_newsletter or email_confirm.
//
// Usage:
//   node tests/forms/eval.mjs --dir DIR [--label-attr NAME] [--ledger FILE] [--quiet]
// (--corpus is the old name of --dir.) --ledger compares the misses (needs --label-attr) with
// tests/forms/EXPECTED_FAILURES.md and exits 1 when a miss is new (a regression); misses that
// went away are listed as fixed. --quiet prints only the summary.

import { createServer } from 'node:http';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../e2e/lib/harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
/** Inputs on the synthetic benchmark page. */
const BENCH_INPUTS = 2000;
/** Longest time one page may take to load and be inspected (ms). */
const PAGE_TIMEOUT_MS = 20000;
/** Field labels whose field a click on the button should fill, when the page has no fills attribute. */
const FILLED_LABELS = new Set(['email_new_account', 'email_newsletter', 'email_confirm']);

/** @param {string[]} argv */
function parseArgs(argv) {
  const o = { dir: path.join(HERE, 'corpus'), labelAttr: '', ledger: '', quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dir' || a === '--corpus') o.dir = path.resolve(argv[++i]);
    else if (a === '--label-attr') o.labelAttr = argv[++i] ?? '';
    else if (a === '--ledger') o.ledger = path.resolve(argv[++i]);
    else if (a === '--quiet') o.quiet = true;
    else throw new Error(`unknown argument ${a} (use --dir DIR [--label-attr NAME] [--ledger FILE] [--quiet])`);
  }
  if (o.labelAttr && !/^[a-z][a-z0-9_.:-]*$/i.test(o.labelAttr)) throw new Error(`--label-attr: not an attribute name: ${o.labelAttr}`);
  if (o.ledger && !o.labelAttr) throw new Error('--ledger needs --label-attr');
  return o;
}

/** The extractor's modules, served under /__content/ for the benchmark page (extract.js imports ./dom.js). */
const CONTENT_MODULES = ['extract.js', 'dom.js'];

/** Serves DIR and the extractor (for the benchmark page); only on the loopback address. */
async function serve(dir) {
  const modules = new Map(await Promise.all(CONTENT_MODULES.map(async (f) => [`/__content/${f}`, await readFile(path.join(ROOT, 'extension', 'content', f))])));
  const server = createServer(async (req, res) => {
    const url = new URL(req.url || '/', 'http://127.0.0.1');
    try {
      if (url.pathname === '/__bench.html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><title>bench</title><body></body>');
        return;
      }
      const module = modules.get(url.pathname);
      if (module) {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(module);
        return;
      }
      const name = path.basename(decodeURIComponent(url.pathname));
      const body = await readFile(path.join(dir, name));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(undefined)));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { server, base: `http://127.0.0.1:${port}` };
}

/** Keys of the misses listed in the ledger: lines starting with "- `key`". */
async function readLedger(file) {
  const text = await readFile(file, 'utf8');
  return new Set([...text.matchAll(/^- `([^`]+)`/gm)].map((m) => m[1]));
}

/**
 * Scan cost of extract.js on a synthetic page with BENCH_INPUTS inputs in 100 forms (a data
 * grid), page already laid out; the scan stops at MAX_INPUTS_PER_SCAN candidates. Measured in
 * the page's own world (the content script's scan is the same code).
 */
async function bench(browser, base) {
  const page = await browser.open(`${base}/__bench.html`);
  try {
    return await page.raw.evaluate(async (n) => {
      const m = await import('/__content/extract.js');
      const forms = [];
      for (let f = 0; f < 100; f++) {
        const rows = [];
        for (let i = 0; i < n / 100; i++) rows.push(`<label>Field ${i}<input name="f${f}_${i}"></label>`);
        forms.push(`<form><h3>Section ${f}</h3>${rows.join('')}<button>Save</button></form>`);
      }
      document.body.innerHTML = forms.join('');
      m.scan(document); // warm-up; also lays the page out, as the browser does before the first paint
      const times = [];
      for (let k = 0; k < 5; k++) {
        const t0 = performance.now();
        const s = m.scan(document);
        times.push(performance.now() - t0);
        if (k === 0 && s.batch.fields.length === 0) throw new Error('bench page has no fields');
      }
      times.sort((a, b) => a - b);
      return { inputs: n, scan_ms_median: +times[2].toFixed(2) };
    }, BENCH_INPUTS);
  } finally {
    await page.close();
  }
}

/**
 * Asks the extension (through our options page) what it decided on the tab showing `url`.
 * Retries until the content script is there and answers.
 */
async function inspect(ctl, url, attrs, formAttr) {
  const t0 = Date.now();
  let last;
  for (;;) {
    const reply = await ctl.raw.evaluate(
      (m) => globalThis.chrome.runtime.sendMessage(m),
      { type: 'forms.inspect', url, attrs, formAttr },
    );
    if (reply?.ok) return reply.value;
    last = reply?.error?.message ?? String(reply);
    if (Date.now() - t0 > PAGE_TIMEOUT_MS) throw new Error(`${url}: the extension did not answer (${last})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  const files = (await readdir(opt.dir)).filter((f) => f.endsWith('.html')).sort();
  if (!files.length) throw new Error(`no .html files in ${opt.dir}`);
  const stem = opt.labelAttr.replace(/field$/, '');
  const fillsAttr = opt.labelAttr ? `${stem}fills` : '';
  const formAttr = opt.labelAttr ? `${stem}form` : '';
  const attrs = opt.labelAttr ? [opt.labelAttr, fillsAttr] : [];
  const { server, base } = await serve(opt.dir);
  const browser = await launchBrowser('chrome');
  const pages = [];
  let benchResult;
  try {
    const ctl = await browser.openExtensionPage('ui/options.html');
    benchResult = await bench(browser, base);
    for (const file of files) {
      const url = `${base}/${encodeURIComponent(file)}`;
      const page = await browser.open(url);
      page.raw.setDefaultTimeout(PAGE_TIMEOUT_MS);
      const got = await inspect(ctl, page.raw.url(), attrs, formAttr);
      if (!got.settled) console.error(`${file}: the page was still changing after the inspection's wait`);
      pages.push({ file, ...got });
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }

  let tp = 0, fp = 0, fn = 0, formOk = 0, formN = 0, fieldOk = 0, fieldN = 0, buttonOnLogin = 0;
  let rows = 0, buttons = 0, fills = 0;
  const misses = [];
  for (const p of pages) {
    const hasFillsAttr = fillsAttr && p.fields.some((f) => f.attrs[fillsAttr] !== null);
    p.fields.forEach((f, index) => {
      const label = opt.labelAttr ? f.attrs[opt.labelAttr] : null;
      const row = {
        file: p.file, index, name: f.name, id: f.id, label,
        field_type: f.field_type, form_type: f.form_type, button: f.button, fills: f.fills,
      };
      rows++;
      if (row.button) buttons++;
      if (row.fills) fills++;
      if (!opt.quiet) console.log(JSON.stringify(row));
      if (!opt.labelAttr) return;
      const want = hasFillsAttr ? f.attrs[fillsAttr] === '1' : FILLED_LABELS.has(label ?? '');
      if (row.fills && want) tp++;
      else if (row.fills) fp++;
      else if (want) fn++;
      if (row.button && (label === 'email_login' || label === 'username')) buttonOnLogin++;
      if (label) {
        fieldN++;
        if (row.field_type === label) fieldOk++;
        else misses.push(`${p.file}#${f.id || f.name || 'input' + index}: field ${label} -> ${row.field_type}`);
      }
    });
    p.forms.forEach((f, j) => {
      formN++;
      const got = f.form_type ?? 'none';
      if (got === f.label || (got === 'none' && f.label === 'other')) formOk++;
      else misses.push(`${p.file}#form${j}: form ${f.label} -> ${got}`);
    });
  }
  const scanMs = pages.map((p) => p.scan_ms).filter((x) => typeof x === 'number').sort((a, b) => a - b);
  /** @type {Record<string, unknown>} */
  const summary = {
    summary: true,
    files: pages.length,
    fields: rows,
    buttons,
    fills,
    scan_ms_median: scanMs.length ? +scanMs[Math.floor(scanMs.length / 2)].toFixed(2) : null,
    scan_ms_max: scanMs.length ? +scanMs[scanMs.length - 1].toFixed(2) : null,
    bench: benchResult,
  };
  if (opt.labelAttr) {
    Object.assign(summary, {
      labelled_fields: fieldN,
      forms: formN,
      fills_precision: +(tp + fp ? tp / (tp + fp) : 1).toFixed(3),
      fills_recall: +(tp + fn ? tp / (tp + fn) : 1).toFixed(3),
      fills_tp: tp,
      fills_fp: fp,
      fills_fn: fn,
      form_type_accuracy: +(formOk / Math.max(formN, 1)).toFixed(3),
      field_type_accuracy: +(fieldOk / Math.max(fieldN, 1)).toFixed(3),
      button_on_login_fields: buttonOnLogin,
    });
  }
  console.log(JSON.stringify(summary));
  for (const m of misses) console.error(`miss: ${m}`);
  if (opt.ledger) {
    const expected = await readLedger(opt.ledger);
    const keys = new Set(misses);
    const fresh = [...keys].filter((k) => !expected.has(k));
    const fixed = [...expected].filter((k) => !keys.has(k));
    for (const k of fixed) console.error(`fixed (remove from ledger): ${k}`);
    for (const k of fresh) console.error(`NEW MISS (regression or unlisted): ${k}`);
    if (fresh.length) process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 2;
});
