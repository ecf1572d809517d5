// S/MIME verification benchmark, the extension in headless Chromium: the wasm as the real
// background service worker loads and calls it, timed inside that worker.
//
//   node tools/bench/wasm-chromium.mjs [FILTER] [--iters N] [--corpus DIR] [--cold K]
//   node tools/bench/wasm-chromium.mjs --serve [--cold K] [--cold-out FILE]   (run.sh)
//   node tools/bench/wasm-chromium.mjs --cold K --cold-only [--cold-out FILE]   (the cold start alone)
//   node tools/bench/wasm-chromium.mjs [FILTER] --phases [--iters N]   (where each check's time goes)
//   node tools/bench/wasm-chromium.mjs --begin K   (restarts woken as by webmail.begin, then exit)
//
// The extension: a copy of dist/chrome (BENCH_DIST to use another build) in
// target/bench/chrome-ext/ (with its wasm replaced by $IMPALEMAIL_PKG's when run.sh sets it, so
// that both wasm columns time the same file), unchanged except for a bench entry point that the
// copy's manifest names as its service worker, background/bench.js, bundled into one file from
// extension/background/ as build.sh bundles the shipped background.js (runner.mjs bundleEntry):
//
//   import '.../bench-t0.js';    // first statement of the worker: globalThis.__benchT0 = performance.now()
//   import './background.js';    // the real background, untouched (starts loading the core)
//   import { call } from './core.js';   // the same module instances the background uses
//   ... starts the cold-start verdict, then exposes { call } as globalThis.__impalemailBench
//
// A timed call is `verifyAt(raw, now, [root])` of background/smime.js: exactly what the
// background's verifyBytes (extension/background/smime.js) does after reading the user roots
// from storage, through core.js's `call` wrapper (await the instantiated core, trap
// handling), with the manifest's `now` instead of Date.now() and the bench root as the user
// root. The mails are hard links in the copy (bench-corpus/), fetched and turned into a
// Uint8Array inside the worker before timing: the transfer is not timed. Timing is
// performance.now() inside the worker (Chromium coarsens it to 100 us there; the medians are
// over 5..50 calls of 1 ms and more). Every message must be GREEN before it is timed, and the
// worker first runs every 2 KB case 30 times and every 100 KB case 6 times so that V8 has
// tiered the wasm up (as wasm-node.mjs does).
//
// Cold start (--cold K, default 0): K launches of a fresh profile before the timed browser;
// in each, the bench entry starts one verdict on a 2 KB mail (rsa2048-2k-detached, baked into
// background/bench-input.js) at the top level, as a message arriving at a stopped worker
// would. Reported per launch: `first_statement_ms` (worker start, performance.timeOrigin, to
// the first statement: fetching, parsing and linking the modules), `verdict_ms` (first
// statement to the verdict: instantiating the wasm -- compile included, no code cache in a
// fresh profile -- initCore, and the verify), and their sum `total_ms`; `verdict_ms` splits
// into `core_ready_ms` (first statement to core.js's core() resolving: fetch, compile and
// instantiate the wasm, initCore) and `first_verify_ms` (the first verifyAt call, on
// code that has not tiered up yet).
//
// --serve reads `CASE_ID [ITERS]` lines and answers one JSON line each: {"id", "iters",
// "warmup", "median_ms", "samples_ms"}; it prints {"ready": true, "chromium": VERSION} first.
import fs from 'node:fs';
import path from 'node:path';
import { bundleEntry, copyExtension, floorDigest, keptAliveWorker, linkCorpus, median, parseArgs, readManifest, serve, warmupFor } from './runner.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DIST = process.env.BENCH_DIST ?? path.join(ROOT, 'dist/chrome');
const EXT = path.join(ROOT, 'target/bench/chrome-ext');
/** The same extension with the entry of `--begin` (beginRestarts). */
const EXT_BEGIN = path.join(ROOT, 'target/bench/chrome-ext-begin');
const ROOT_CN = 'ImpaleMail Test Root CA';
const COLD_CASE = 'rsa2048-2k-detached';
const WARMUP_ROUNDS = 30;

function die(message) {
  process.stderr.write(`wasm-chromium.mjs: ${message}\n`);
  process.exit(1);
}

const argv = process.argv.slice(2);
// --cold-only: the cold starts and restarts, then exit (no timed browser), e.g. to compare two
// builds launch by launch: BENCH_DIST=A ... --cold 1 --cold-only, BENCH_DIST=B ..., in turn.
const coldOnly = argv.includes('--cold-only');
// --phases: instead of the timings, where each case's time goes (inWorkerPhases).
const phasesOnly = argv.includes('--phases');
const args = { cold: 0, coldOut: null, begin: 0, phases: phasesOnly, ...parseArgs(argv.filter((a) => a !== '--cold-only' && a !== '--phases'), die, { '--cold': 'int:cold', '--cold-out': 'str:coldOut', '--begin': 'int:begin' }) };

let chromeLib;
try {
  chromeLib = await import('../../tests/e2e/lib/chrome.mjs');
} catch (e) {
  die(`cannot load tests/e2e/lib/chrome.mjs (playwright-core from node_modules): ${e.message}`);
}
if (!fs.existsSync(chromeLib.CHROMIUM)) die(`${chromeLib.CHROMIUM} is missing: apt-get install chromium (or set CHROMIUM)`);
if (!fs.existsSync(path.join(DIST, 'manifest.json'))) die(`${DIST} is missing: build it with ./build.sh`);

const manifest = readManifest(args.corpus, die);

// ---------------------------------------------------------------- the bench copy
async function prepare() {
  // run.sh passes its private copy of pkg/ (the one wasm-node times): that very wasm.
  copyExtension(DIST, EXT);
  const m = JSON.parse(fs.readFileSync(path.join(EXT, 'manifest.json'), 'utf8'));
  if (m.background?.service_worker !== 'background/background.js') {
    die(`unexpected background in ${DIST}/manifest.json: ${JSON.stringify(m.background)}`);
  }
  m.background.service_worker = 'background/bench.js';
  fs.writeFileSync(path.join(EXT, 'manifest.json'), JSON.stringify(m, null, 2));
  const cold = manifest.cases.find((c) => c.id === COLD_CASE) ?? die(`no ${COLD_CASE} in the corpus`);
  const b64 = (file) => fs.readFileSync(path.join(args.corpus, file)).toString('base64');
  fs.writeFileSync(path.join(EXT, 'background/bench-t0.js'),
    '// Bench only: the first statement the worker runs.\nglobalThis.__benchT0 = performance.now();\n');
  fs.writeFileSync(path.join(EXT, 'background/bench-input.js'),
    `// Bench only: the cold-start mail (${COLD_CASE}) and the bench root.\n` +
    `export const NOW = ${manifest.now};\nexport const MAIL_B64 = '${b64(cold.file)}';\nexport const ROOT_B64 = '${b64(manifest.root)}';\n`);
  await bundleEntry(`// Bench only (tools/bench/wasm-chromium.mjs): the real background plus a handle on its core.
import ${JSON.stringify(path.join(EXT, 'background/bench-t0.js'))};
import './background.js';
import { call, core } from './core.js';
import { verifyAt } from './smime.js';
import { digest, signature } from './verify-job.js';
import { MAIL_B64, NOW, ROOT_B64 } from ${JSON.stringify(path.join(EXT, 'background/bench-input.js'))};

const bytes = (b64) => Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
const root = bytes(ROOT_B64);
// When the core (started by background.js) is instantiated and initCore has run.
const coreAt = core().then(() => performance.now());
globalThis.__benchCold = verifyAt(bytes(MAIL_B64), NOW, [root]).then(
  async (v) => ({ t0: globalThis.__benchT0, verdict: performance.now(), core: await coreAt, status: v.status, chain: v.details?.chain?.length ?? 0 }),
  (e) => ({ error: String(e) }),
);
globalThis.__impalemailBench = { call, verifyAt, digest, signature };
// For the restart measurement: a worker woken again is not reachable through Playwright.
globalThis.__benchCold.then((r) => chrome.storage.local.set({ benchCold: { ...r, at: Date.now() } }));
`, path.join(EXT, 'background/bench.js'));
  linkCorpus(args.corpus, manifest, path.join(EXT, 'bench-corpus'));
  if (args.begin) {
    // --begin: the worker is woken by a message as a webmail page's `webmail.begin` wakes it,
    // and the check of the cold-start mail starts `fetchMs` later, when the page would have
    // fetched the message. With `warm`, the message does what webmail.begin does (warmUp after
    // its answer). Times from the worker's start, in storage.local `benchBegin`.
    fs.rmSync(EXT_BEGIN, { recursive: true, force: true });
    fs.cpSync(EXT, EXT_BEGIN, { recursive: true });
    await bundleEntry(`// Bench only (tools/bench/wasm-chromium.mjs --begin).
import ${JSON.stringify(path.join(EXT, 'background/bench-t0.js'))};
import './background.js';
import { verifyAt, warmUp } from './smime.js';
import { MAIL_B64, NOW, ROOT_B64 } from ${JSON.stringify(path.join(EXT, 'background/bench-input.js'))};

const bytes = (b64) => Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
chrome.runtime.onMessage.addListener((m) => {
  if (m?.type !== 'bench.begin') return;
  const begin = performance.now();
  if (m.warm) setTimeout(() => void warmUp(), 0);
  setTimeout(async () => {
    const check = performance.now();
    const v = await verifyAt(bytes(MAIL_B64), NOW, [bytes(ROOT_B64)]);
    const verdict = performance.now();
    await chrome.storage.local.set({ benchBegin: { t0: globalThis.__benchT0, begin, check, verdict, status: v.status, at: Date.now() } });
  }, m.fetchMs);
});
`, path.join(EXT_BEGIN, 'background/bench.js'));
  }
}

// ---------------------------------------------------------------- in the worker
// Runs inside the service worker (serialised by Playwright). Loads the case once (untimed),
// checks it green, warms up, times.
async function inWorker({ file, rootFile, now, iters, warmup, mode, rootCn, timed, floorAlg, contentBytes }) {
  const bench = globalThis.__impalemailBench;
  if (!bench) throw new Error('the bench entry did not run (globalThis.__impalemailBench is missing)');
  const load = async (f) => new Uint8Array(await (await fetch(globalThis.chrome.runtime.getURL(`bench-corpus/${f}`))).arrayBuffer());
  const raw = await load(file);
  const root = await load(rootFile);
  // The background's own check (smime.js verifyAt): from 64 KiB of content up, WebCrypto
  // hashes the content and the core checks the answer.
  const once = () => bench.verifyAt(raw, now, [root]);
  const v = await once();
  const chain = v?.details?.chain ?? [];
  if (v?.status !== 'verified') return { error: `verdict is ${v?.status} (${v?.summary})` };
  if (chain.length !== 3 || !String(chain[2].subject).includes(rootCn)) return { error: `chain is not signer/intermediate/test root` };
  if (v.details?.covered?.signature_kind !== mode) return { error: `signature kind is ${v.details?.covered?.signature_kind}` };
  for (let i = 0; i < warmup; i++) await once();
  const samples = [];
  const floor = [];
  // The hashing floor (runner.mjs floorDigest): as many bytes as the content, hashed by the
  // same WebCrypto right after each timed check.
  const content = floorAlg ? raw.slice(0, contentBytes) : null;
  if (timed) {
    for (let i = 0; i < iters; i++) {
      const t = performance.now();
      const r = await once();
      samples.push(performance.now() - t);
      if (r?.status !== 'verified') return { error: 'not verified during timing' };
      if (content) {
        const f = performance.now();
        await crypto.subtle.digest(floorAlg, content);
        floor.push(performance.now() - f);
      }
    }
  }
  return { samples, floor };
}

// --phases: where one check's time goes, round by round, in the worker (medians over the
// iterations, after the same warm-up): `copy` the message into the core (new VerifyJob), `step`
// the core's first step (MIME, base64, CMS, the path; it names the digest and the signatures
// WebCrypto is to make), `digest` the call to crypto.subtle.digest and `wait` for its answer
// (Chromium hashes in the call itself: `wait` is about 0), `sigs` the signatures, `last` the
// answer and the step to the verdict. The same calls as background/verify-job.js `runJob`.
async function inWorkerPhases({ file, rootFile, now, iters }) {
  const bench = globalThis.__impalemailBench;
  const load = async (f) => new Uint8Array(await (await fetch(globalThis.chrome.runtime.getURL(`bench-corpus/${f}`))).arrayBuffer());
  const raw = await load(file);
  const root = await load(rootFile);
  const c = await bench.call((x) => x);
  const rows = [];
  for (let i = 0; i < iters; i++) {
    const t = [performance.now()];
    const job = new c.VerifyJob(raw, now, [root]);
    t.push(performance.now());
    const s = job.step();
    t.push(performance.now());
    const hashing = Promise.all(s.digests.map((r) => bench.digest(crypto.subtle, raw, r)));
    t.push(performance.now());
    const digests = await hashing;
    t.push(performance.now());
    const signatures = await Promise.all(s.signatures.map((r) => bench.signature(crypto.subtle, r)));
    t.push(performance.now());
    job.answer(digests, signatures);
    const v = job.step();
    t.push(performance.now());
    job.free();
    if (v.verdict?.status !== 'verified') return { error: `verdict is ${v.verdict?.status}` };
    rows.push(t.slice(1).map((x, k) => x - t[k]));
  }
  return { rows };
}

async function runCase(sw, c, iters, timed = true, warmup = warmupFor(iters)) {
  const r = await sw.evaluate(inWorker, {
    file: c.file, rootFile: manifest.root, now: manifest.now, iters, warmup, mode: c.mode, rootCn: ROOT_CN, timed,
    floorAlg: floorDigest(c), contentBytes: c.size_bytes,
  });
  if (r.error) die(`case ${c.id}: ${r.error}; the benchmark only times green messages`);
  return r;
}

/** The figures of one start from the bench entry's `__benchCold` record (times from the worker's start). */
function startFigures(r, what) {
  if (!r || r.error) die(`${what}: ${r?.error ?? 'no result'}`);
  if (r.status !== 'verified' || r.chain !== 3) die(`${what}: the first verdict is ${r.status} (chain ${r.chain})`);
  return {
    first_statement_ms: r.t0, verdict_ms: r.verdict - r.t0, total_ms: r.verdict,
    core_ready_ms: r.core - r.t0, first_verify_ms: r.verdict - r.core,
  };
}

/** The medians of a list of starts' figures, each key prefixed with `prefix`. */
function startMedians(runs, prefix) {
  const keys = ['first_statement_ms', 'verdict_ms', 'total_ms', 'core_ready_ms', 'first_verify_ms'];
  return Object.fromEntries(keys.map((k) => [`${prefix}median_${k}`, median(runs.map((x) => x[k]))]));
}

async function coldOnce() {
  const b = await chromeLib.launch({ extDir: EXT });
  try {
    return { ...startFigures(await b.serviceWorker.evaluate('globalThis.__benchCold'), 'cold start'), chromium: b.version };
  } finally {
    await b.close();
  }
}

/** Polls `probe` every 50 ms until it returns something truthy, for up to `ms`. */
async function until(probe, ms, what) {
  for (const t0 = Date.now(); Date.now() - t0 < ms;) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  return die(`restart: timed out waiting for ${what}`);
}

/**
 * Warm-browser restarts: in one browser that has run the worker once, `k` times stop the
 * worker (DevTools' ServiceWorker.stopWorker, as Chromium stops an idle one after 30 s) and wake
 * it with a message from an extension page; each time the bench entry's startup verdict is read
 * back from storage.local.
 */
async function restarts(k, ext = EXT, wake = (/** @type {any} */ page, /** @type {number} */ since) => page.eval("chrome.runtime.sendMessage({ type: 'bench.wake' }).catch(() => null)")
  .then(() => page.waitFor(`chrome.storage.local.get('benchCold').then((s) => s.benchCold?.at >= ${since} && s.benchCold)`, 20000))
  .then((r) => startFigures(r, 'restart'))) {
  const b = await chromeLib.launch({ extDir: ext });
  try {
    if (ext === EXT) await b.serviceWorker.evaluate('globalThis.__benchCold');
    const page = await b.openExtensionPage('ui/options.html');
    const cdp = await page.raw.context().newCDPSession(page.raw);
    /** @type {Map<string, any>} */
    const versions = new Map();
    cdp.on('ServiceWorker.workerVersionUpdated', (e) => { for (const v of e.versions) versions.set(v.versionId, v); });
    await cdp.send('ServiceWorker.enable');
    const ours = () => [...versions.values()].filter((v) => v.scriptURL.endsWith('/background/bench.js'));
    const out = [];
    for (let i = 0; i < k; i++) {
      await until(() => ours().some((v) => v.runningStatus === 'running'), 10000, 'the worker to run');
      await new Promise((r) => setTimeout(r, 1000)); // let the previous start settle
      for (const v of ours()) if (v.runningStatus === 'running') await cdp.send('ServiceWorker.stopWorker', { versionId: v.versionId });
      await until(() => ours().every((v) => v.runningStatus === 'stopped'), 10000, 'the worker to stop');
      out.push(await wake(page, Date.now(), i));
    }
    return out;
  } finally {
    await b.close();
  }
}

// ---------------------------------------------------------------- main
await prepare();
const cold = [];
for (let i = 0; i < args.cold; i++) cold.push(await coldOnce());
if (cold.length) {
  const warm = await restarts(args.cold);
  const summary = {
    case: COLD_CASE, launches: cold.length, ...startMedians(cold, ''), runs: cold,
    restarts: warm.length, ...startMedians(warm, 'restart_'), restart_runs: warm,
  };
  if (args.coldOut) fs.writeFileSync(args.coldOut, JSON.stringify(summary, null, 1));
  else console.log(`cold start: ${JSON.stringify(summary)}`);
}
if (args.begin) {
  // Alternating with and without the warm-up, for a page whose fetch takes 0 and 30 ms.
  const rows = [];
  for (const fetchMs of [0, 30]) {
    const got = await restarts(2 * args.begin, EXT_BEGIN, async (page, since, i) => {
      const warm = i % 2 === 0;
      await page.eval(`chrome.runtime.sendMessage({ type: 'bench.begin', warm: ${warm}, fetchMs: ${fetchMs} }).catch(() => null)`);
      const r = await page.waitFor(`chrome.storage.local.get('benchBegin').then((s) => s.benchBegin?.at >= ${since} && s.benchBegin)`, 20000);
      if (r.status !== 'verified') die(`--begin: the verdict is ${r.status}`);
      return { warm, fetchMs, begin_ms: r.verdict - r.begin, check_ms: r.verdict - r.check, total_ms: r.verdict };
    });
    for (const warm of [false, true]) {
      const runs = got.filter((r) => r.warm === warm);
      rows.push({ fetch_ms: fetchMs, warm_up: warm, restarts: runs.length, median_begin_ms: median(runs.map((r) => r.begin_ms)), median_check_ms: median(runs.map((r) => r.check_ms)), median_total_ms: median(runs.map((r) => r.total_ms)), runs });
    }
  }
  console.log('restarts woken as by webmail.begin (medians, ms): to the verdict from the message (begin), from the check\'s start (check), from the worker\'s start (total)');
  for (const r of rows) console.log(`  page fetch ${String(r.fetch_ms).padStart(2)} ms, ${r.warm_up ? 'warm-up   ' : 'no warm-up'}: begin ${r.median_begin_ms.toFixed(1)}, check ${r.median_check_ms.toFixed(1)}, total ${r.median_total_ms.toFixed(1)} (${r.restarts} restarts)`);
  if (args.coldOut) fs.writeFileSync(args.coldOut, JSON.stringify(rows, null, 1));
}
if (coldOnly || args.begin) process.exit(0);

const { browser, sw, stop, checkSame } = await keptAliveWorker(chromeLib, EXT, die);
await sw.evaluate('globalThis.__benchCold'); // the startup verdict, then the tier-up warm-up:
for (const c of manifest.cases.filter((x) => x.size_bytes <= 102400)) {
  await runCase(sw, c, 0, false, c.size_bytes <= 2048 ? WARMUP_ROUNDS : Math.ceil(WARMUP_ROUNDS / 5));
}

async function measure(c, iters) {
  await checkSame();
  return runCase(sw, c, iters);
}

if (args.phases) {
  console.log(`where the time goes in Chromium ${browser.version} (medians, ms): copy, step, digest, wait, sigs, last`);
  for (const c of manifest.cases.filter((x) => !args.filter || x.id.includes(args.filter))) {
    const iters = args.iters ?? c.iters;
    await runCase(sw, c, 0, false); // the case's warm-up
    const r = await sw.evaluate(inWorkerPhases, { file: c.file, rootFile: manifest.root, now: manifest.now, iters });
    if (r.error) die(`case ${c.id}: ${r.error}`);
    const med = r.rows[0].map((_, k) => median(r.rows.map((row) => row[k])).toFixed(1).padStart(7));
    console.log(`${c.id.padEnd(24)} ${med.join('')}`);
  }
} else if (args.serve) {
  await serve(manifest, async (c, iters) => measure(c, iters), { chromium: browser.version }, die);
} else {
  console.log(`wasm in Chromium ${browser.version} (the extension's service worker), corpus ${args.corpus}`);
  for (const c of manifest.cases.filter((x) => !args.filter || x.id.includes(args.filter))) {
    const iters = args.iters ?? c.iters;
    const { samples, floor } = await measure(c, iters);
    const f = floor.length ? `   floor ${median(floor).toFixed(3)}` : '';
    console.log(`${c.id.padEnd(24)} ${String(iters).padStart(5)} ${median(samples).toFixed(3).padStart(11)}${f}`);
  }
}
await stop();
