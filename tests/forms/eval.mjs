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
// Without --dir it runs both parts of the corpus, each measured on its own: the tuned part
// (tests/forms/corpus, which the rules may be tuned on) and the held-out part
// (tests/forms/holdout, which nobody tuning the rules looks at; see tests/forms/README.md, "The
// split"), with --label-attr data-label-field. For the held-out part it prints only the summary:
// no per-field lines and no misses, unless --show-holdout is given.
//
// Per part, the summary gives: pages, forms, fields; signup e-mail recall (fields marked
// fills=1 inside forms labelled signup that a click filled); fills precision and recall over
// every field; false offers on login forms (fields of forms labelled login that are not
// fills=1 and got a button or a fill, over all such fields); pages where the extension
// answered nothing (no reply within PAGE_TIMEOUT_MS, e.g. the content script threw; their
// fields count as given no button and no fill, their forms as unclassified); form-type
// and field-type accuracy; the content script's scan time; the part's wall-clock time.
//
// Labels are checked: an unknown label value, an input/textarea/select without a label, a
// fills value other than "1", fills on a field whose label is never filled, or a page without
// any labelled field is an error (listed at the end, exit status 2).
//
// Usage:
//   node tests/forms/eval.mjs [--dir DIR] [--label-attr NAME] [--ledger FILE] [--quiet] [--show-holdout] [--rules]
// --rules adds to each per-field line the ids of the rules that matched the field and its form.
// (--corpus is the old name of --dir.) --ledger compares the misses (needs --label-attr) with
// tests/forms/EXPECTED_FAILURES.md and exits 1 when a miss is new (a regression); misses that
// went away are listed as fixed. Without --dir the ledger applies to the tuned part only, and
// when --ledger is not given the default ledger is compared for information (no exit status).
// --quiet prints only the summaries.

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
/** Allowed values of the field, form and fills labels (tests/forms/README.md, "Labels"). */
const FIELD_LABELS = new Set([
  'email_new_account', 'email_login', 'username', 'email_confirm', 'email_newsletter',
  'email_other_person', 'search', 'other',
]);
const FORM_LABELS = new Set(['signup', 'login', 'newsletter', 'guest_checkout', 'password_change', 'contact', 'other']);
/** The two parts of the corpus, run when no --dir is given; the held-out part is not tuned on. */
const PARTS = [
  { name: 'tuned', dir: path.join(HERE, 'corpus'), holdout: false },
  { name: 'holdout', dir: path.join(HERE, 'holdout'), holdout: true },
];
const DEFAULT_LABEL_ATTR = 'data-label-field';
const DEFAULT_LEDGER = path.join(HERE, 'EXPECTED_FAILURES.md');

/** @param {string[]} argv */
function parseArgs(argv) {
  const o = { dir: '', labelAttr: '', ledger: '', quiet: false, showHoldout: false, rules: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dir' || a === '--corpus') o.dir = path.resolve(argv[++i]);
    else if (a === '--label-attr') o.labelAttr = argv[++i] ?? '';
    else if (a === '--ledger') o.ledger = path.resolve(argv[++i]);
    else if (a === '--quiet') o.quiet = true;
    else if (a === '--show-holdout') o.showHoldout = true;
    else if (a === '--rules') o.rules = true;
    else throw new Error(`unknown argument ${a} (use [--dir DIR] [--label-attr NAME] [--ledger FILE] [--quiet] [--show-holdout] [--rules])`);
  }
  if (o.labelAttr && !/^[a-z][a-z0-9_.:-]*$/i.test(o.labelAttr)) throw new Error(`--label-attr: not an attribute name: ${o.labelAttr}`);
  if (!o.dir && !o.labelAttr) o.labelAttr = DEFAULT_LABEL_ATTR;
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

/**
 * For every input/textarea/select, in the order of the extension's answer (each root of
 * collectRoots, then querySelectorAll), the value of `formAttr` on its nearest labelled
 * ancestor (crossing shadow roots to their host), or null. Read from the page after the
 * extension has answered; the page's DOM is not changed.
 */
async function fieldFormLabels(page, formAttr) {
  return page.raw.evaluate(async (attr) => {
    const m = await import('/__content/extract.js');
    const out = [];
    for (const root of m.collectRoots(document)) {
      for (const el of Array.from(root.querySelectorAll('input, textarea, select'))) {
        // Through the prototypes: pages clobber form properties (an input named getAttribute
        // or parentNode shadows the method on its form).
        const getAttr = Element.prototype.getAttribute;
        const parentOf = /** @type {() => Node | null} */ (Object.getOwnPropertyDescriptor(Node.prototype, 'parentNode')?.get);
        /** @type {any} */
        let n = el;
        let label = null;
        while (n) {
          if (n instanceof Element && getAttr.call(n, attr) !== null) { label = getAttr.call(n, attr); break; }
          n = parentOf.call(n);
          if (n instanceof ShadowRoot) n = n.host;
        }
        out.push(label);
      }
    }
    return out;
  }, formAttr);
}

/**
 * The labels of a page the extension did not answer for, read from the page itself in the
 * same order as an answer: fields with no decision, forms with no type.
 */
async function pageLabels(page, attrs, formAttr) {
  return page.raw.evaluate(async ({ attrs, formAttr }) => {
    const m = await import('/__content/extract.js');
    const fields = [];
    const forms = [];
    for (const root of m.collectRoots(document)) {
      for (const el of Array.from(root.querySelectorAll('input, textarea, select'))) {
        fields.push({
          name: el.getAttribute('name'), id: el.id || null,
          attrs: Object.fromEntries(attrs.map((a) => [a, el.getAttribute(a)])),
          field_type: 'other', form_type: null, button: false, fills: false,
        });
      }
      if (formAttr) for (const f of Array.from(root.querySelectorAll(`[${formAttr}]`))) forms.push({ label: Element.prototype.getAttribute.call(f, formAttr), form_type: null });
    }
    return { fields, forms };
  }, { attrs, formAttr });
}

/** Opens every page of one part and asks the extension what it decided. */
async function runPart(browser, ctl, part, opt) {
  const t0 = Date.now();
  const files = (await readdir(part.dir)).filter((f) => f.endsWith('.html')).sort();
  if (!files.length) throw new Error(`no .html files in ${part.dir}`);
  const stem = opt.labelAttr.replace(/field$/, '');
  const formAttr = opt.labelAttr ? `${stem}form` : '';
  const attrs = opt.labelAttr ? [opt.labelAttr, `${stem}fills`] : [];
  const { server, base } = await serve(part.dir);
  const pages = [];
  /** @type {{ file: string, error: string }[]} */
  const unanswered = [];
  try {
    for (const file of files) {
      const url = `${base}/${encodeURIComponent(file)}`;
      const page = await browser.open(url);
      try {
        page.raw.setDefaultTimeout(PAGE_TIMEOUT_MS);
        let got;
        try {
          got = await inspect(ctl, page.raw.url(), attrs, formAttr);
          if (!got.settled && (!part.holdout || opt.showHoldout)) console.error(`${file}: the page was still changing after the inspection's wait`);
        } catch (e) {
          // No answer: every field counts as undecided (no button, no fill) and every form as
          // unclassified, so the page's labelled fields still weigh in recall and accuracy.
          unanswered.push({ file, error: String(e instanceof Error ? e.message : e) });
          got = { settled: false, scan_ms: null, ...(await pageLabels(page, attrs, formAttr)) };
        }
        const formLabels = formAttr ? await fieldFormLabels(page, formAttr) : [];
        pages.push({ file, ...got, formLabels });
      } finally {
        await page.close();
      }
    }
  } finally {
    server.close();
  }
  return { pages, unanswered, files, seconds: (Date.now() - t0) / 1000 };
}

/** @param {number} a @param {number} b */
const ratio = (a, b) => (b ? +(a / b).toFixed(3) : null);

/** Scores one part; prints its per-field lines when `verbose`. Returns the summary, misses and label errors. */
function score(part, run, opt, verbose) {
  const stem = opt.labelAttr.replace(/field$/, '');
  const fillsAttr = opt.labelAttr ? `${stem}fills` : '';
  let tp = 0, fp = 0, fn = 0, formOk = 0, formN = 0, fieldOk = 0, fieldN = 0, buttonOnLogin = 0;
  let rows = 0, buttons = 0, fills = 0, signupWant = 0, signupGot = 0, loginN = 0, loginOffers = 0;
  /** @type {Record<string, number>} */
  const formsByType = {};
  /** @type {Record<string, number>} */
  const pagesByLang = {};
  const misses = [];
  const errors = [];
  for (const file of run.files) {
    const lang = /^([a-z]{2})_/.exec(file)?.[1] ?? 'other';
    pagesByLang[lang] = (pagesByLang[lang] ?? 0) + 1;
  }
  for (const p of run.pages) {
    const hasFillsAttr = fillsAttr && p.fields.some((f) => f.attrs[fillsAttr] !== null);
    if (opt.labelAttr && p.formLabels.length !== p.fields.length) errors.push(`${p.file}: ${p.fields.length} fields in the answer, ${p.formLabels.length} in the page`);
    if (opt.labelAttr && !p.fields.some((f) => f.attrs[opt.labelAttr])) errors.push(`${p.file}: no labelled field`);
    p.fields.forEach((f, index) => {
      const label = opt.labelAttr ? f.attrs[opt.labelAttr] : null;
      const formLabel = opt.labelAttr ? (p.formLabels[index] ?? null) : null;
      const where = `${p.file}#${f.id || f.name || 'input' + index}`;
      const row = {
        file: p.file, index, name: f.name, id: f.id, label,
        field_type: f.field_type, form_type: f.form_type, button: f.button, fills: f.fills,
        ...(opt.rules ? { rules: f.rules, form_rules: f.form_rules } : {}),
      };
      rows++;
      if (row.button) buttons++;
      if (row.fills) fills++;
      if (verbose) console.log(JSON.stringify(row));
      if (!opt.labelAttr) return;
      if (label === null) errors.push(`${where}: no ${opt.labelAttr}`);
      else if (!FIELD_LABELS.has(label)) errors.push(`${where}: unknown field label "${label}"`);
      const fv = f.attrs[fillsAttr];
      if (fv !== null && fv !== '1') errors.push(`${where}: ${fillsAttr}="${fv}" (only "1" is used)`);
      if (fv === '1' && !FILLED_LABELS.has(label ?? '')) errors.push(`${where}: ${fillsAttr}="1" on a field labelled ${label}`);
      const want = hasFillsAttr ? fv === '1' : FILLED_LABELS.has(label ?? '');
      if (row.fills && want) tp++;
      else if (row.fills) fp++;
      else if (want) fn++;
      if (want && formLabel === 'signup') {
        signupWant++;
        if (row.fills) signupGot++;
        else if (verbose) console.log(`signup e-mail not filled: ${where} (${row.field_type} in ${row.form_type})`);
      }
      if (formLabel === 'login' && !want) {
        loginN++;
        if (row.button || row.fills) {
          loginOffers++;
          if (verbose) console.log(`false offer on a login form: ${where} (${label} -> ${row.field_type} in ${row.form_type})`);
        }
      }
      if (row.button && (label === 'email_login' || label === 'username')) buttonOnLogin++;
      if (label) {
        fieldN++;
        if (row.field_type === label) fieldOk++;
        else misses.push(`${where}: field ${label} -> ${row.field_type}`);
      }
    });
    p.forms.forEach((f, j) => {
      formN++;
      if (!FORM_LABELS.has(f.label)) errors.push(`${p.file}#form${j}: unknown form label "${f.label}"`);
      formsByType[f.label] = (formsByType[f.label] ?? 0) + 1;
      const got = f.form_type ?? 'none';
      if (got === f.label || (got === 'none' && f.label === 'other')) formOk++;
      else misses.push(`${p.file}#form${j}: form ${f.label} -> ${got}`);
    });
  }
  const scanMs = run.pages.map((p) => p.scan_ms).filter((x) => typeof x === 'number').sort((a, b) => a - b);
  /** @type {Record<string, unknown>} */
  const summary = {
    summary: true,
    part: part.name,
    dir: path.relative(ROOT, part.dir),
    pages: run.files.length,
    pages_unanswered: run.unanswered.length,
    fields: rows,
    buttons,
    fills,
    scan_ms_median: scanMs.length ? +scanMs[Math.floor(scanMs.length / 2)].toFixed(2) : null,
    scan_ms_max: scanMs.length ? +scanMs[scanMs.length - 1].toFixed(2) : null,
    seconds: +run.seconds.toFixed(1),
  };
  if (opt.labelAttr) {
    Object.assign(summary, {
      forms: formN,
      labelled_fields: fieldN,
      signup_email_recall: ratio(signupGot, signupWant),
      signup_email_fields: signupWant,
      fills_precision: +(tp + fp ? tp / (tp + fp) : 1).toFixed(3),
      fills_recall: +(tp + fn ? tp / (tp + fn) : 1).toFixed(3),
      fills_tp: tp,
      fills_fp: fp,
      fills_fn: fn,
      login_false_offers: ratio(loginOffers, loginN),
      login_false_offer_fields: loginOffers,
      login_fields: loginN,
      form_type_accuracy: +(formOk / Math.max(formN, 1)).toFixed(3),
      field_type_accuracy: +(fieldOk / Math.max(fieldN, 1)).toFixed(3),
      button_on_login_fields: buttonOnLogin,
      forms_by_type: formsByType,
    });
  }
  summary.pages_by_lang = pagesByLang;
  return { summary, misses, errors };
}

/** One line per part, for people. */
function table(summaries) {
  const cols = [
    ['part', 'part'], ['pages', 'pages'], ['forms', 'forms'], ['fields', 'labelled_fields'],
    ['signup recall', 'signup_email_recall'], ['fills P', 'fills_precision'], ['fills R', 'fills_recall'],
    ['login false offers', 'login_false_offers'], ['unanswered', 'pages_unanswered'],
    ['form type', 'form_type_accuracy'], ['scan ms', 'scan_ms_median'], ['s', 'seconds'],
  ];
  const cells = [cols.map((c) => c[0]), ...summaries.map((s) => cols.map((c) => String(s[c[1]] ?? '-')))];
  const w = cols.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => r.map((c, i) => c.padStart(w[i])).join('  ')).join('\n');
}

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  const parts = opt.dir ? [{ name: path.basename(opt.dir), dir: opt.dir, holdout: false }] : PARTS;
  const t0 = Date.now();
  const browser = await launchBrowser('chrome');
  const runs = [];
  let benchResult;
  try {
    const ctl = await browser.openExtensionPage('ui/options.html');
    const { server, base } = await serve(parts[0].dir);
    try {
      benchResult = await bench(browser, base);
    } finally {
      server.close();
    }
    for (const part of parts) runs.push(await runPart(browser, ctl, part, opt));
  } finally {
    await browser.close();
  }

  const summaries = [];
  const allErrors = [];
  for (const [k, part] of parts.entries()) {
    const run = runs[k];
    const open = !part.holdout || opt.showHoldout;
    const { summary, misses, errors } = score(part, run, opt, open && !opt.quiet);
    summaries.push(summary);
    console.log(JSON.stringify(summary));
    for (const u of run.unanswered) console.error(open ? `no answer: ${u.file}: ${u.error}` : `no answer: a page of the ${part.name} part`);
    if (open) for (const m of misses) console.error(`miss: ${m}`);
    // Label errors name the file even in the held-out part: they are about our labels, not the detector.
    allErrors.push(...errors);
    const ledgerFile = opt.ledger || (!opt.dir && opt.labelAttr ? DEFAULT_LEDGER : '');
    if (ledgerFile && !part.holdout) {
      const expected = await readLedger(ledgerFile);
      const keys = new Set(misses);
      const fresh = [...keys].filter((k) => !expected.has(k));
      const fixed = [...expected].filter((k) => !keys.has(k));
      for (const k of fixed) console.error(`fixed (remove from ledger): ${k}`);
      for (const k of fresh) console.error(`NEW MISS (regression or unlisted): ${k}`);
      console.log(JSON.stringify({ ledger: path.relative(ROOT, ledgerFile), part: part.name, listed: expected.size, new: fresh.length, fixed: fixed.length, enforced: Boolean(opt.ledger) }));
      if (fresh.length && opt.ledger) process.exitCode = 1;
    }
  }
  console.log(JSON.stringify({ bench: benchResult, seconds_total: +((Date.now() - t0) / 1000).toFixed(1) }));
  if (opt.labelAttr) console.log(table(summaries));
  if (allErrors.length) {
    for (const e of allErrors) console.error(`LABEL ERROR: ${e}`);
    console.error(`${allErrors.length} label error(s)`);
    process.exitCode = 2;
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 2;
});
