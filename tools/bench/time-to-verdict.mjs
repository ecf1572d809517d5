#!/usr/bin/env node
// Time to verdict as a reader feels it (issue #20 part 5): in the real Roundcube and the real SOGo
// of the test bed (tests/webmail/, one Dovecot on 127.0.0.1; SOGo when `tests/webmail/install.sh
// --sogo` installed it) with dist/chrome loaded in headless Chromium, from opening a message to
// the verdict on the toolbar button, for signed messages
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
// Opening a message: in Roundcube the press on its row in the list (the preview frame then
// loads: `open` from its navigation start, `load` from its load event); in SOGo the change to
// the hash route a click on a row goes to (`#!/Mail/0/INBOX/<uid>`, as webmail-sogo.test.mjs
// drives it: the app draws the message in the same document, `load` from the moment its view is
// on the page).
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
// Needs root (the Roundcube bed; SOGo's packages for its rows), tools/bench/make-corpus.sh's corpus
// and a built dist/chrome. Run it under `flock /tmp/roundcube.lock` where others share the bed.
// Prints medians; asserts nothing but the verdicts. Writes target/bench/time-to-verdict.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, ROOT } from '../../tests/e2e/lib/harness.mjs';
import { roundcubeInstalled, startRoundcube } from '../../tests/e2e/lib/roundcube.mjs';
import { driver, logIn, prepareExtension, rowId } from '../../tests/e2e/lib/roundcube-ui.mjs';
import { sogoInstalled, startSogo } from '../../tests/e2e/lib/sogo.mjs';
import { median } from './runner.mjs';
import { until } from '../../tests/e2e/lib/pages.mjs';

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

// One bed: SOGo's start also starts Roundcube on the same Dovecot and mailbox.
const withSogo = sogoInstalled();
if (!withSogo) process.stderr.write('time-to-verdict.mjs: SOGo is not installed (tests/webmail/install.sh --sogo): Roundcube only\n');
const bed = withSogo ? await startSogo({ mailDir }) : await startRoundcube({ mailDir });
const rcOrigin = withSogo ? /** @type {any} */ (bed).roundcubeOrigin : bed.origin;
/** The UID of a case's message in the INBOX. @param {any} c */
const uidOf = (c) => (bed.messages.find((m) => path.basename(m.file) === `${c.id}.eml`) ?? die(`${c.id} is not in the mailbox`)).uid;
const browser = await launchBrowser('chrome');
/** @typedef {{ press: number, open: number | null, load: number }} Times */
/** @type {Record<string, any>} */
const out = { chromium: browser.version, rounds: ROUNDS, webmails: {} };
try {
  const { ext, bar } = await prepareExtension(browser, { rootB64, origin: rcOrigin, adapter: 'roundcube' });
  if (withSogo) await ext.eval(`chrome.runtime.sendMessage(${JSON.stringify({ type: 'webmail.enableSite', origin: bed.origin, adapter: 'sogo' })})`);

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

  /** The same bytes checked from an extension page (transfer + verification). @param {any} c */
  const checkOnly = async (c) => ext.eval(`(async () => {
    const raw = ${JSON.stringify(fs.readFileSync(path.join(mailDir, `${c.id}.eml`)).toString('base64'))};
    const t = performance.now();
    const r = await chrome.runtime.sendMessage({ type: 'smime.checkFile', kind: 'eml', raw });
    const ms = performance.now() - t;
    return r?.ok && r.value.verdict.status === 'verified' ? ms : 'not verified: ' + JSON.stringify(r).slice(0, 200);
  })()`);

  /**
   * Times one webmail: `opener(c)` opens case c's message and resolves with when the opening
   * began and the webmail's own moments; the toolbar's verdict is read as described above.
   * @param {string} name
   * @param {(c: any) => Promise<{ begin: () => Promise<number>, open: () => Promise<number | null>, load: () => Promise<number> }>} opener
   */
  const measure = async (name, opener) => {
    /** @type {number | undefined} */
    let tabId;
    /** @param {any} c @returns {Promise<Times>} */
    const open = async (c) => {
      if (tabId !== undefined) await bar.clear(tabId);
      // The poller: started before the opening, reads the badge until it is final.
      const done = ext.eval(`(async () => {
        const t0 = Date.now();
        for (;;) {
          const tabs = ${tabId === undefined ? `(await chrome.tabs.query({})).map((t) => t.id)` : `[${tabId}]`};
          for (const id of tabs) {
            const text = await chrome.action.getBadgeText({ tabId: id });
            if (text !== '' && text !== '…') {
              const at = performance.timeOrigin + performance.now();
              return { id, text, title: await chrome.action.getTitle({ tabId: id }), at };
            }
          }
          if (Date.now() - t0 > ${VERDICT_TIMEOUT_MS}) return null;
        }
      })()`);
      const moments = await opener(c);
      const r = await done;
      if (!r) die(`${name} ${c.id}: no verdict within ${VERDICT_TIMEOUT_MS} ms`);
      if (r.text !== '✓') die(`${name} ${c.id}: the verdict is "${r.text}" (${r.title}); the bench times green messages only`);
      tabId = r.id;
      const openAt = await moments.open();
      return { press: r.at - await moments.begin(), open: openAt === null ? null : r.at - openAt, load: r.at - await moments.load() };
    };
    // One untimed pass: the webmail's caches, the content script and the core loaded once.
    for (const c of cases) await open(c);
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
    return figures;
  };

  /** A page of `origin` logged in and sized; `login` fills its form. @param {string} url @param {(d: any, page: any) => Promise<void>} login @param {boolean} [inTop] */
  const loggedIn = async (url, login, inTop = false) => {
    const page = await browser.open(url);
    const d = driver(browser, page, inTop ? { inTop: true } : undefined);
    await d.setSize(1400, 900);
    await login(d, page);
    /** @type {import('playwright-core').Page} */
    const p = page.raw;
    await p.evaluate(`document.addEventListener('mousedown', () => { window.__pressAt = performance.timeOrigin + performance.now(); }, true)`);
    return { page, d, p };
  };

  // Roundcube: the press on the row; the preview frame's navigation start and load event.
  {
    const { p } = await loggedIn(`${rcOrigin}/?_task=login`, (d, page) => logIn(d, page, bed));
    out.webmails.roundcube = await measure('roundcube', async (c) => {
      const uid = uidOf(c);
      await p.bringToFront();
      await p.click(`#${rowId(uid)} td.subject`);
      const nav = async () => {
        const frame = p.frames().find((f) => new URL(f.url()).searchParams.get('_uid') === String(uid)) ?? die(`${c.id}: no preview frame`);
        return frame.evaluate(`(() => { const n = performance.getEntriesByType('navigation')[0]; return { start: performance.timeOrigin, load: performance.timeOrigin + n.loadEventEnd }; })()`);
      };
      return { begin: () => p.evaluate('window.__pressAt'), open: async () => (await nav()).start, load: async () => (await nav()).load };
    });
    await p.close();
  }

  // SOGo: the hash route a click on a row goes to; the moment the message's view is on the page.
  if (withSogo) {
    const ROW = 'md-list-item.sg-message-list-item';
    const { p } = await loggedIn(`${bed.origin}/SOGo/`, async (d, page) => {
      await d.fill('input[ng-model="app.creds.username"]', bed.user);
      await d.fill('#passwordField', bed.password);
      await d.click('button[type="submit"]');
      await until(() => page.eval(`location.pathname.endsWith('/Mail/view') && document.querySelectorAll(${JSON.stringify(ROW)}).length === ${cases.length}`), 'the SOGo message list');
    }, true);
    out.webmails.sogo = await measure('sogo', async (c) => {
      const uid = uidOf(c);
      await p.bringToFront();
      // The view's headline for this message: noted when it appears (a MutationObserver set before the change).
      await p.evaluate(`(() => {
        window.__shownAt = 0;
        const seen = () => location.hash.endsWith('/INBOX/${uid}') && document.querySelector('#detailView h5.sg-md-headline');
        const o = new MutationObserver(() => { if (!window.__shownAt && seen()) { window.__shownAt = performance.timeOrigin + performance.now(); o.disconnect(); } });
        o.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
        window.__pressAt = performance.timeOrigin + performance.now();
        location.hash = '#!/Mail/0/INBOX/${uid}';
      })()`);
      return {
        begin: () => p.evaluate('window.__pressAt'),
        open: async () => null,
        load: () => until(() => p.evaluate('window.__shownAt || null'), `${c.id}: SOGo's message view`),
      };
    });
    await p.close();
  }
  await cdp.detach().catch(() => {});
} finally {
  await browser.close();
  await bed.stop();
  fs.rmSync(mailDir, { recursive: true, force: true });
}

/** @param {Times[]} xs @param {keyof Times} k */
const m = (xs, k) => (xs.some((x) => x[k] === null) ? null : median(xs.map((x) => /** @type {number} */ (x[k]))));
const cols = /** @type {(keyof Times)[]} */ (['press', 'open', 'load']);
const fmt = (/** @type {number | null} */ v, /** @type {number} */ w) => (v === null ? '-' : v.toFixed(1)).padStart(w);
console.log(`time to verdict, Chromium ${browser.version}, ${ROUNDS} rounds, median ms to the toolbar verdict from:`);
console.log('  press: the opening (Roundcube: the press on the row, which waits for a possible double-click');
console.log('         before it loads the preview; SOGo: the change to the message\'s hash route);');
console.log('  open: Roundcube\'s preview page\'s navigation start; load: its load event, or SOGo\'s message');
console.log('        view on the page (what the extension adds);');
console.log('  check: the same bytes checked from an extension page (transfer and verification only)');
console.log(`${'webmail case'.padEnd(34)} ${cols.map((k) => `warm ${k}`.padStart(11)).join(' ')} ${cols.map((k) => `stopped ${k}`.padStart(13)).join(' ')} ${'check'.padStart(8)}`);
for (const [webmail, figures] of Object.entries(out.webmails)) {
  /** @type {Record<string, any>} */
  const rows = {};
  for (const c of cases) {
    const f = figures[c.id];
    const row = {
      warm: Object.fromEntries(cols.map((k) => [`${k}_ms`, m(f.warm, k)])),
      stopped: Object.fromEntries(cols.map((k) => [`${k}_ms`, m(f.stopped, k)])),
      check_ms: median(f.check), samples: f,
    };
    rows[c.id] = row;
    console.log(`${`${webmail} ${c.id}`.padEnd(34)} ${cols.map((k) => fmt(row.warm[`${k}_ms`], 11)).join(' ')} ${cols.map((k) => fmt(row.stopped[`${k}_ms`], 13)).join(' ')} ${fmt(row.check_ms, 8)}`);
  }
  out.webmails[webmail] = rows;
}
fs.mkdirSync(path.join(ROOT, 'target/bench'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'target/bench/time-to-verdict.json'), JSON.stringify(out, null, 1));
