#!/usr/bin/env node
// Time to verdict as a reader feels it (issue #20 part 5): in the real Roundcube of the test bed
// (tests/webmail/, Dovecot on 127.0.0.1) with dist/chrome loaded in headless Chromium, from the
// press on a message's row in the list to the verdict on the toolbar button, for signed messages
// of 2 KB, 100 KB and 5 MB (the bench corpus's RSA-2048 detached cases, trusted through the
// bench root), each opened
//   warm     with the background worker running (the usual case: it has just been used), and
//   stopped  right after the worker was stopped (DevTools' ServiceWorker.stopWorker, as
//            Chromium stops an idle worker after 30 s): the message wakes it.
// Beside them, `check`: the same bytes checked from an extension page (`smime.checkFile`: the
// transfer of the base64 to the background and the verification, no webmail), so that the
// webmail's own work (the preview page, the content script's start, the raw-source download)
// shows apart from the check.
//
// How it is timed, without any hook in the extension: the page records the `mousedown` of the
// press (performance.timeOrigin + now, the same clock in every context of one browser); an
// extension page asks `action.getBadgeText` for the tab in a tight loop from just before the
// press until the badge shows a final verdict, and records that moment the same way. The
// toolbar badge is set by the background when it answers the content script, right before the
// in-page badge is drawn. Every message must come out verified.
//
//   node tools/bench/time-to-verdict.mjs [--rounds R]     (default 5; `./build.sh bench time-to-verdict`)
//
// Needs root (the Roundcube bed), tools/bench/make-corpus.sh's corpus and a built dist/chrome.
// Prints medians; asserts nothing but the verdicts. Writes target/bench/time-to-verdict.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, ROOT } from '../../tests/e2e/lib/harness.mjs';
import { roundcubeInstalled, startRoundcube } from '../../tests/e2e/lib/roundcube.mjs';
import { driver, logIn, prepareExtension, rowId } from '../../tests/e2e/lib/roundcube-ui.mjs';
import { median } from './runner.mjs';

/** The corpus cases, one per size: RSA-2048 detached (the common real-world signature). */
const CASES = ['rsa2048-2k-detached', 'rsa2048-100k-detached', 'rsa2048-5m-detached'];
/** Longest wait for one verdict (ms). */
const VERDICT_TIMEOUT_MS = 60_000;

function die(message) {
  process.stderr.write(`time-to-verdict.mjs: ${message}\n`);
  process.exit(1);
}

const i = process.argv.indexOf('--rounds');
const ROUNDS = i > 0 ? Number(process.argv[i + 1]) || 5 : 5;
const CORPUS = process.env.BENCH_CORPUS ?? path.join(ROOT, 'target/bench/corpus');
const manifestFile = path.join(CORPUS, 'manifest.json');
if (!fs.existsSync(manifestFile)) die(`no bench corpus in ${CORPUS}: run tools/bench/make-corpus.sh first`);
if (!roundcubeInstalled()) die('the Roundcube test bed is not installed: tests/webmail/install.sh (as root)');
const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
const cases = CASES.map((id) => manifest.cases.find((/** @type {any} */ c) => c.id === id) ?? die(`no ${id} in the corpus`));

// The mailbox: the three messages, with CRLF line ends as IMAP hands them out.
const mailDir = fs.mkdtempSync(path.join(os.tmpdir(), 'impalemail-ttv-'));
for (const c of cases) {
  const bytes = fs.readFileSync(path.join(CORPUS, c.file)).toString('latin1').replace(/\r?\n/g, '\r\n');
  fs.writeFileSync(path.join(mailDir, `${c.id}.eml`), Buffer.from(bytes, 'latin1'));
}
const rootB64 = fs.readFileSync(path.join(CORPUS, manifest.root)).toString('base64');

const rc = await startRoundcube({ mailDir });
const browser = await launchBrowser('chrome');
try {
  const { ext, bar } = await prepareExtension(browser, { rootB64, origin: rc.origin, adapter: 'roundcube' });
  const page = await browser.open(`${rc.origin}/?_task=login`);
  const d = driver(browser, page);
  await d.setSize(1400, 900);
  await logIn(d, page, rc);
  /** @type {import('playwright-core').Page} */
  const p = page.raw;
  await p.evaluate(`document.addEventListener('mousedown', () => { window.__pressAt = performance.timeOrigin + performance.now(); }, true)`);

  // DevTools for stopping the worker (as tools/bench/wasm-chromium.mjs does).
  const cdp = await ext.raw.context().newCDPSession(ext.raw);
  /** @type {Map<string, any>} */
  const versions = new Map();
  cdp.on('ServiceWorker.workerVersionUpdated', (/** @type {any} */ e) => { for (const v of e.versions) versions.set(v.versionId, v); });
  await cdp.send('ServiceWorker.enable');
  const ours = () => [...versions.values()].filter((v) => v.scriptURL.endsWith('/background/background.js'));
  const stopWorker = async () => {
    for (const v of ours()) if (v.runningStatus === 'running') await cdp.send('ServiceWorker.stopWorker', { versionId: v.versionId });
    for (const t0 = Date.now(); ours().some((v) => v.runningStatus !== 'stopped');) {
      if (Date.now() - t0 > 10_000) die('the worker did not stop');
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  /** @type {number | undefined} */
  let tabId;
  /** Opens one message; resolves with ms from the press to the toolbar's final verdict. @param {any} c */
  const open = async (c) => {
    const stored = rc.messages.find((m) => path.basename(m.file) === `${c.id}.eml`) ?? die(`${c.id} is not in the mailbox`);
    if (tabId !== undefined) await bar.clear(tabId);
    const api = 'chrome';
    // The poller: started before the press, reads the badge until it is final.
    const done = ext.eval(`(async () => {
      const t0 = Date.now();
      for (;;) {
        const tabs = ${tabId === undefined ? `(await ${api}.tabs.query({})).map((t) => t.id)` : `[${tabId}]`};
        for (const id of tabs) {
          const text = await ${api}.action.getBadgeText({ tabId: id });
          if (text !== '' && text !== '…') {
            const at = performance.timeOrigin + performance.now();
            return { id, text, title: await ${api}.action.getTitle({ tabId: id }), at };
          }
        }
        if (Date.now() - t0 > ${VERDICT_TIMEOUT_MS}) return null;
      }
    })()`);
    await p.bringToFront();
    await p.click(`#${rowId(stored.uid)} td.subject`);
    const r = await done;
    if (!r) die(`${c.id}: no verdict within ${VERDICT_TIMEOUT_MS} ms`);
    if (r.text !== '✓') die(`${c.id}: the verdict is "${r.text}" (${r.title}); the bench times green messages only`);
    tabId = r.id;
    const pressAt = await p.evaluate('window.__pressAt');
    // The preview frame's document: when its navigation started and when its load event ended.
    const frame = p.frames().find((f) => new URL(f.url()).searchParams.get('_uid') === String(stored.uid)) ?? die(`${c.id}: no preview frame`);
    const nav = await frame.evaluate(`(() => { const n = performance.getEntriesByType('navigation')[0]; return { start: performance.timeOrigin, load: performance.timeOrigin + n.loadEventEnd }; })()`);
    return { press: r.at - pressAt, open: r.at - nav.start, load: r.at - nav.load };
  };

  /** The same bytes checked from an extension page (transfer + verification). @param {any} c */
  const checkOnly = async (c) => ext.eval(`(async () => {
    const raw = ${JSON.stringify(fs.readFileSync(path.join(mailDir, `${c.id}.eml`)).toString('base64'))};
    const t = performance.now();
    const r = await chrome.runtime.sendMessage({ type: 'smime.checkFile', kind: 'eml', raw });
    const ms = performance.now() - t;
    return r?.ok && r.value.verdict.status === 'verified' ? ms : 'not verified: ' + JSON.stringify(r).slice(0, 200);
  })()`);

  // One untimed pass: Roundcube's PHP caches, the content script and the core loaded once.
  for (const c of cases) await open(c);
  /** @typedef {{ press: number, open: number, load: number }} Times */
  /** @type {Record<string, { warm: Times[], stopped: Times[], check: number[] }>} */
  const figures = Object.fromEntries(cases.map((c) => [c.id, { warm: [], stopped: [], check: [] }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of cases) {
      figures[c.id].warm.push(await open(c));
      await open(c === cases[0] ? cases[1] : cases[0]); // another message first: c is then opened afresh
      await stopWorker();
      figures[c.id].stopped.push(await open(c));
      const ms = await checkOnly(c);
      if (typeof ms !== 'number') die(`${c.id}: ${ms}`);
      figures[c.id].check.push(ms);
    }
  }
  const out = { chromium: browser.version, rounds: ROUNDS, cases: {} };
  const m = (/** @type {Times[]} */ xs, /** @type {keyof Times} */ k) => median(xs.map((x) => x[k]));
  console.log(`time to verdict in Roundcube, Chromium ${browser.version}, ${ROUNDS} rounds, median ms to the toolbar verdict from:`);
  console.log('  press: the press on the row (Roundcube waits for a possible double-click before it loads the preview);');
  console.log('  open: the preview page\'s navigation start; load: its load event (what the extension adds);');
  console.log('  check: the same bytes checked from an extension page (transfer and verification only)');
  const cols = ['press', 'open', 'load'];
  console.log(`${'case'.padEnd(24)} ${cols.map((k) => `warm ${k}`.padStart(11)).join(' ')} ${cols.map((k) => `stopped ${k}`.padStart(13)).join(' ')} ${'check'.padStart(8)}`);
  for (const c of cases) {
    const f = figures[c.id];
    const row = {
      warm: Object.fromEntries(cols.map((k) => [`${k}_ms`, m(f.warm, /** @type {keyof Times} */ (k))])),
      stopped: Object.fromEntries(cols.map((k) => [`${k}_ms`, m(f.stopped, /** @type {keyof Times} */ (k))])),
      check_ms: median(f.check), samples: f,
    };
    /** @type {any} */ (out.cases)[c.id] = row;
    console.log(`${c.id.padEnd(24)} ${cols.map((k) => row.warm[`${k}_ms`].toFixed(1).padStart(11)).join(' ')} ${cols.map((k) => row.stopped[`${k}_ms`].toFixed(1).padStart(13)).join(' ')} ${row.check_ms.toFixed(1).padStart(8)}`);
  }
  fs.mkdirSync(path.join(ROOT, 'target/bench'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'target/bench/time-to-verdict.json'), JSON.stringify(out, null, 1));
  await cdp.detach().catch(() => {});
} finally {
  await browser.close();
  await rc.stop();
  fs.rmSync(mailDir, { recursive: true, force: true });
}
