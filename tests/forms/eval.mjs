#!/usr/bin/env node
// Corpus evaluation for signup-form detection.
//
// Serves tests/forms/corpus over http://127.0.0.1 (ephemeral port), opens every page in
// headless Chromium (playwright-core, /usr/bin/chromium), imports the real
// extension/content/extract.js into the page, scans it, pipes the batches as JSON lines to
// `impalemail forms classify`, and compares the answers with the inline labels
// (data-label-field, data-label-form, data-label-fills; see tests/forms/README.md).
//
// Prints one JSON line per labelled input/textarea/select:
//   {file, index, name, id, label, field_type, form_type, button, fills}
// (`index` is the field's position in the batch, -1 when the extractor skipped it;
// `label` is the expected field type; `fills` is whether a click on some button fills it),
// then one summary line: precision/recall of `fills`, form-type and field-type accuracy.
//
// Usage:
//   node tests/forms/eval.mjs [--corpus DIR] [--classify "CMD ARGS"] [--ledger FILE] [--quiet]
// --classify defaults to "target/debug/impalemail forms classify" (run from /work/main).
// --ledger compares the misses with tests/forms/EXPECTED_FAILURES.md and exits 1 when a
// miss is new (a regression); misses that went away are listed as fixed.

import { createServer } from 'node:http';
import { readFile, readdir } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
/** Inputs on the synthetic benchmark page. */
const BENCH_INPUTS = 2000;
/** Longest time one page may take to load and scan. */
const PAGE_TIMEOUT_MS = 15000;

/** @param {string[]} argv */
function parseArgs(argv) {
  const o = {
    corpus: path.join(HERE, 'corpus'),
    classify: `${path.join(ROOT, 'target', 'debug', 'impalemail')} forms classify`,
    ledger: '',
    quiet: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--corpus') o.corpus = path.resolve(argv[++i]);
    else if (a === '--classify') o.classify = argv[++i];
    else if (a === '--ledger') o.ledger = path.resolve(argv[++i]);
    else if (a === '--quiet') o.quiet = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

/** Serves the corpus and the extractor; only on the loopback address. */
async function serve(corpus) {
  const extractJs = await readFile(path.join(ROOT, 'extension', 'content', 'extract.js'));
  const server = createServer(async (req, res) => {
    const url = new URL(req.url || '/', 'http://127.0.0.1');
    try {
      if (url.pathname === '/__bench.html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><title>bench</title><body></body>');
        return;
      }
      if (url.pathname === '/__extract.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(extractJs);
        return;
      }
      const name = path.basename(decodeURIComponent(url.pathname));
      const body = await readFile(path.join(corpus, name));
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

/** Runs in the page: scans it and reads the labels. */
async function scanInPage() {
  const m = await import('/__extract.js');
  const t0 = performance.now();
  const s = m.scan(document);
  const ms = performance.now() - t0;
  const labelled = [];
  const forms = [];
  for (const scope of m.collectRoots(document)) {
    for (const el of scope.querySelectorAll('input, textarea, select')) {
      labelled.push({
        index: s.elements.indexOf(el),
        name: el.getAttribute('name') || '',
        id: el.id || '',
        label: el.getAttribute('data-label-field') || '',
        fills: el.getAttribute('data-label-fills') === '1',
      });
    }
    for (const f of scope.querySelectorAll('[data-label-form]')) {
      let idx = s.formElements.indexOf(f);
      if (idx < 0) idx = s.formElements.findIndex((fe) => f.contains(fe) || fe.contains(f));
      forms.push({ index: idx, label: f.getAttribute('data-label-form') || '' });
    }
  }
  return { batch: s.batch, labelled, forms, ms };
}

/** Pipes batches to the classifier, one JSON line each, and reads one line back each. */
function classifyAll(cmd, batches) {
  const [exe, ...args] = cmd.split(/\s+/).filter(Boolean);
  return new Promise((ok, fail) => {
    const p = spawn(exe, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('error', fail);
    p.on('close', () => {
      const lines = out.split('\n').filter((l) => l.trim());
      if (lines.length !== batches.length) {
        fail(new Error(`classifier printed ${lines.length} lines for ${batches.length} batches`));
      } else ok(lines.map((l) => JSON.parse(l)));
    });
    for (const b of batches) p.stdin.write(JSON.stringify(b) + '\n');
    p.stdin.end();
  });
}

/** Keys of the misses listed in the ledger: lines starting with "- `key`". */
async function readLedger(file) {
  const text = await readFile(file, 'utf8');
  return new Set([...text.matchAll(/^- `([^`]+)`/gm)].map((m) => m[1]));
}

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  const { chromium } = await import(path.join(ROOT, 'node_modules', 'playwright-core', 'index.mjs'));
  const files = (await readdir(opt.corpus)).filter((f) => f.endsWith('.html')).sort();
  const { server, base } = await serve(opt.corpus);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const pages = [];
  let bench;
  try {
    const ctx = await browser.newContext();
    // Scan cost on a synthetic page with BENCH_INPUTS inputs in 100 forms (a data grid),
    // page already laid out; the scan stops at MAX_INPUTS_PER_SCAN candidates.
    const bp = await ctx.newPage();
    await bp.goto(`${base}/__bench.html`);
    bench = await bp.evaluate(async (n) => {
      const m = await import('/__extract.js');
      const forms = [];
      for (let f = 0; f < 100; f++) {
        const rows = [];
        for (let i = 0; i < n / 100; i++) rows.push(`<label>Field ${i}<input name="f${f}_${i}"></label>`);
        forms.push(`<form><h3>Section ${f}</h3>${rows.join('')}<button>Save</button></form>`);
      }
      document.body.innerHTML = forms.join('');
      // Warm-up; also lays the page out, as the browser does before the first paint.
      m.scan(document);
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
    await bp.close();
    for (const file of files) {
      const page = await ctx.newPage();
      page.setDefaultTimeout(PAGE_TIMEOUT_MS);
      await page.goto(`${base}/${file}`);
      pages.push({ file, ...(await page.evaluate(scanInPage)) });
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  const results = await classifyAll(opt.classify, pages.map((p) => p.batch));

  let tp = 0, fp = 0, fn = 0, formOk = 0, formN = 0, fieldOk = 0, fieldN = 0, buttonOnLogin = 0;
  const misses = [];
  for (let k = 0; k < pages.length; k++) {
    const p = pages[k];
    const r = results[k];
    if (r.error) throw new Error(`${p.file}: ${r.error}`);
    const filled = new Set(r.fields.filter((f) => f.button).flatMap((f) => f.fills));
    const formOfField = (i) => (i >= 0 ? p.batch.fields[i].formIndex : -1);
    p.labelled.forEach((l, j) => {
      const fr = l.index >= 0 ? r.fields[l.index] : null;
      const fi = formOfField(l.index);
      const row = {
        file: p.file,
        index: l.index,
        name: l.name,
        id: l.id,
        label: l.label,
        field_type: fr ? fr.field_type : 'other',
        form_type: fi >= 0 ? r.forms[fi].form_type : null,
        button: fr ? fr.button : false,
        fills: l.index >= 0 && filled.has(l.index),
      };
      if (!opt.quiet) console.log(JSON.stringify(row));
      if (row.fills && l.fills) tp++;
      else if (row.fills) fp++;
      else if (l.fills) fn++;
      if (row.button && (l.label === 'email_login' || l.label === 'username')) buttonOnLogin++;
      if (l.label) {
        fieldN++;
        if (row.field_type === l.label) fieldOk++;
        else misses.push(`${p.file}#${l.id || l.name || 'input' + j}: field ${l.label} -> ${row.field_type}`);
      }
    });
    p.forms.forEach((f, j) => {
      formN++;
      const got = f.index >= 0 ? r.forms[f.index].form_type : 'none';
      if (got === f.label || (got === 'none' && f.label === 'other')) formOk++;
      else misses.push(`${p.file}#form${j}: form ${f.label} -> ${got}`);
    });
  }
  const precision = tp + fp ? tp / (tp + fp) : 1;
  const recall = tp + fn ? tp / (tp + fn) : 1;
  const scanMs = pages.map((p) => p.ms).sort((a, b) => a - b);
  const summary = {
    summary: true,
    files: pages.length,
    forms: formN,
    fields: fieldN,
    fills_precision: +precision.toFixed(3),
    fills_recall: +recall.toFixed(3),
    fills_tp: tp,
    fills_fp: fp,
    fills_fn: fn,
    form_type_accuracy: +(formOk / Math.max(formN, 1)).toFixed(3),
    field_type_accuracy: +(fieldOk / Math.max(fieldN, 1)).toFixed(3),
    button_on_login_fields: buttonOnLogin,
    scan_ms_median: +scanMs[Math.floor(scanMs.length / 2)].toFixed(2),
    scan_ms_max: +scanMs[scanMs.length - 1].toFixed(2),
    bench,
  };
  console.log(JSON.stringify(summary));
  for (const m of misses) console.error(`miss: ${m}`);
  if (opt.ledger) {
    const expected = await readLedger(opt.ledger);
    const keys = new Set(misses.map((m) => m.split(':')[0] + ':' + m.split(':').slice(1).join(':')));
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
