// S/MIME verification benchmark, the extension in headless Firefox ESR: the extension's own
// check, `verifyAt` of background/smime.js, timed inside an extension page of the installed
// add-on (tests/e2e/lib/firefox.mjs: geckodriver, a temporary add-on, the pinned UUID).
//
//   node tools/bench/wasm-firefox.mjs [FILTER] [--iters N] [--corpus DIR]
//   node tools/bench/wasm-firefox.mjs --serve      (run.sh)
//
// The extension: a copy of dist/firefox (BENCH_DIST_FIREFOX to use another build) in
// target/bench/firefox-ext/, with pkg/ replaced by $IMPALEMAIL_PKG when run.sh sets it (the
// wasm the other columns time), plus an empty page (bench.html) and the mails as hard links
// (bench-corpus/). In Firefox the background is an event page, not a worker: the bench page
// is the same kind of context. It imports background/bench-page.js, background/smime.js's
// `verifyAt` bundled as build.sh bundles the background (runner.mjs bundleEntry), so the core is loaded and
// called by the extension's own modules (core.js's `call`, verify-job.js's rounds, Firefox's
// WebCrypto), and a timed call is `verifyAt(raw, now, [root])`, as wasm-chromium.mjs times it.
// The mail is fetched into a Uint8Array before timing. Firefox coarsens performance.now() to
// 1 ms in extension pages; the profile turns that off (`privacy.reduceTimerPrecision`). Same
// green check, tier-up warm-up and N as wasm-chromium.mjs.
//
// --serve reads `CASE_ID [ITERS]` lines and answers one JSON line each (runner.mjs); it prints
// {"ready": true, "firefox": VERSION} first.
import fs from 'node:fs';
import path from 'node:path';
import { bundleEntry, copyExtension, floorDigest, linkCorpus, median, parseArgs, readManifest, serve, warmupFor } from './runner.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DIST = process.env.BENCH_DIST_FIREFOX ?? path.join(ROOT, 'dist/firefox');
const EXT = path.join(ROOT, 'target/bench/firefox-ext');
const ROOT_CN = 'ImpaleMail Test Root CA';
const WARMUP_ROUNDS = 30;

function die(message) {
  process.stderr.write(`wasm-firefox.mjs: ${message}\n`);
  process.exit(1);
}

const args = parseArgs(process.argv.slice(2), die);
let ff;
try {
  ff = await import('../../tests/e2e/lib/firefox.mjs');
} catch (e) {
  die(`cannot load tests/e2e/lib/firefox.mjs: ${e.message}`);
}
if (!fs.existsSync(ff.FIREFOX)) die(`${ff.FIREFOX} is missing: apt-get install firefox-esr (or set FIREFOX_BIN)`);
if (!fs.existsSync(path.join(DIST, 'manifest.json'))) die(`${DIST} is missing: build it with ./build.sh`);
const manifest = readManifest(args.corpus, die);

async function prepare() {
  copyExtension(DIST, EXT);
  // The page's own instance of the background's check, bundled as build.sh bundles background.js.
  await bundleEntry("export { verifyAt } from './smime.js';\n", path.join(EXT, 'background/bench-page.js'));
  fs.writeFileSync(path.join(EXT, 'bench.html'), '<!doctype html><meta charset="utf-8"><title>bench (not shipped)</title>\n');
  linkCorpus(args.corpus, manifest, path.join(EXT, 'bench-corpus'));
}

/** The page's side of one case (a script for WebDriver): load, check green, warm up, time. */
function inPage({ file, iters, warmup, timed, mode, floorAlg, contentBytes }) {
  return `(async () => {
    const p = ${JSON.stringify({ file, rootFile: manifest.root, now: manifest.now, iters, warmup, timed, mode, rootCn: ROOT_CN, floorAlg, contentBytes })};
    globalThis.__bench ??= await import('/background/bench-page.js');
    const load = async (f) => new Uint8Array(await (await fetch('/bench-corpus/' + f)).arrayBuffer());
    const raw = await load(p.file);
    const root = await load(p.rootFile);
    const once = () => globalThis.__bench.verifyAt(raw, p.now, [root]);
    const v = await once();
    const chain = v?.details?.chain ?? [];
    if (v?.status !== 'verified') return { error: 'verdict is ' + v?.status + ' (' + v?.summary + ')' };
    if (chain.length !== 3 || !String(chain[2].subject).includes(p.rootCn)) return { error: 'chain is not signer/intermediate/test root' };
    if (v.details?.covered?.signature_kind !== p.mode) return { error: 'signature kind is ' + v.details?.covered?.signature_kind };
    for (let i = 0; i < p.warmup; i++) await once();
    const samples = [];
    const floor = [];
    const content = p.floorAlg ? raw.slice(0, p.contentBytes) : null;
    if (p.timed) {
      for (let i = 0; i < p.iters; i++) {
        const t = performance.now();
        const r = await once();
        samples.push(performance.now() - t);
        if (r?.status !== 'verified') return { error: 'not verified during timing' };
        if (content) {
          const f = performance.now();
          await crypto.subtle.digest(p.floorAlg, content);
          floor.push(performance.now() - f);
        }
      }
    }
    return { samples, floor };
  })()`;
}

await prepare();
const browser = await ff.launch({ extDir: EXT, prefs: { 'privacy.reduceTimerPrecision': false } });
const stop = () => browser.close();
process.on('SIGTERM', () => stop().then(() => process.exit(0)));
const page = await browser.openExtensionPage('bench.html');

async function runCase(c, iters, timed = true, warmup = warmupFor(iters)) {
  const r = await page.eval(inPage({ file: c.file, iters, warmup, timed, mode: c.mode, floorAlg: floorDigest(c), contentBytes: c.size_bytes }));
  if (!r || r.error) die(`case ${c.id}: ${r?.error ?? 'no answer from the page'}; the benchmark only times green messages`);
  return r;
}

// Tier-up warm-up, as wasm-chromium.mjs.
for (const c of manifest.cases.filter((x) => x.size_bytes <= 102400)) {
  await runCase(c, 0, false, c.size_bytes <= 2048 ? WARMUP_ROUNDS : Math.ceil(WARMUP_ROUNDS / 5));
}

if (args.serve) {
  await serve(manifest, async (c, iters) => runCase(c, iters), { firefox: browser.version }, die);
} else {
  console.log(`wasm in Firefox ${browser.version} (an extension page), corpus ${args.corpus}`);
  for (const c of manifest.cases.filter((x) => !args.filter || x.id.includes(args.filter))) {
    const iters = args.iters ?? c.iters;
    const { samples, floor } = await runCase(c, iters);
    const f = floor.length ? `   floor ${median(floor).toFixed(3)}` : '';
    console.log(`${c.id.padEnd(24)} ${String(iters).padStart(5)} ${median(samples).toFixed(3).padStart(11)}${f}`);
  }
}
await stop();
