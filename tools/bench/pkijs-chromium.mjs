// S/MIME verification benchmark, PKI.js in headless Chromium: the same PKI.js call as
// pkijs.mjs (pkijs-call.mjs), in an extension service worker of the same Chromium the
// extension's wasm is timed in (wasm-chromium.mjs), with Chromium's WebCrypto as its engine.
// pkijs.mjs times PKI.js in Node, whose WebCrypto (OpenSSL) hashes faster than Chromium's; this
// runner is the like-for-like comparison: same browser, same hashing, same kind of worker.
//
//   node tools/bench/pkijs-chromium.mjs [FILTER] [--iters N] [--corpus DIR]
//   node tools/bench/pkijs-chromium.mjs --serve      (run.sh)
//
// The bench extension (target/bench/pkijs-ext/, made here, never shipped): a manifest whose
// module service worker is bench.js; pkijs.js, PKI.js and asn1js from node_modules bundled for
// the browser by esbuild (a devDependency); pkijs-call.mjs; the corpus as hard links. A separate
// browser from wasm-chromium.mjs's, so that neither run's garbage is collected in the other's
// timings. The mail's MIME work uses the browser's native facilities: delimiters found with
// Uint8Array.prototype.indexOf (anchored on a byte of the delimiter), ranges read as text by
// TextDecoder (one character per byte), base64 decoded by Uint8Array.fromBase64. Timing: performance.now() inside the worker, as wasm-chromium.mjs.
//
// --serve reads `CASE_ID [ITERS]` lines on stdin and answers one JSON line each:
// {"id", "iters", "warmup", "median_ms", "samples_ms"} or {"id", "na"}; it prints
// {"ready": true, "chromium": VERSION} first.
import fs from 'node:fs';
import path from 'node:path';
import { keptAliveWorker, linkCorpus, median, parseArgs, readManifest, serve, warmupFor } from './runner.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const EXT = path.join(ROOT, 'target/bench/pkijs-ext');
const WARMUP_ROUNDS = 30;

function die(message) {
  process.stderr.write(`pkijs-chromium.mjs: ${message}\n`);
  process.exit(1);
}

const args = parseArgs(process.argv.slice(2), die);

let chromeLib;
let esbuild;
try {
  chromeLib = await import('../../tests/e2e/lib/chrome.mjs');
  esbuild = await import('esbuild');
} catch (e) {
  die(`cannot load playwright-core or esbuild from node_modules (${e.message}); they are devDependencies: npm ci`);
}
if (!fs.existsSync(chromeLib.CHROMIUM)) die(`${chromeLib.CHROMIUM} is missing: apt-get install chromium (or set CHROMIUM)`);
const manifest = readManifest(args.corpus, die);
let version;
try {
  version = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/pkijs/package.json'), 'utf8')).version;
} catch (e) {
  die(`node_modules/pkijs is missing (${e.message}): npm ci`);
}

// ---------------------------------------------------------------- the bench extension
async function prepare() {
  fs.rmSync(EXT, { recursive: true, force: true });
  fs.mkdirSync(EXT, { recursive: true });
  fs.writeFileSync(path.join(EXT, 'manifest.json'), JSON.stringify({
    manifest_version: 3, name: 'PKI.js benchmark (not shipped)', version: '1',
    background: { service_worker: 'bench.js', type: 'module' },
  }, null, 1));
  await esbuild.build({
    stdin: { contents: "export * as pkijs from 'pkijs';\nexport * as asn1js from 'asn1js';\n", resolveDir: ROOT },
    bundle: true, format: 'esm', platform: 'browser', outfile: path.join(EXT, 'pkijs.js'), logLevel: 'error',
  });
  fs.copyFileSync(path.join(import.meta.dirname, 'pkijs-call.mjs'), path.join(EXT, 'pkijs-call.mjs'));
  fs.writeFileSync(path.join(EXT, 'bench.js'), `// Bench only (tools/bench/pkijs-chromium.mjs).
import { asn1js, pkijs } from './pkijs.js';
import { greenOrReason, verifyMail } from './pkijs-call.mjs';

const CHECK_DATE = new Date(${manifest.now} * 1000);
const latin1 = new TextDecoder('latin1');
/**
 * Where the ASCII \`needle\` is in \`u8\` from \`from\`, or -1: the browser has no native search for
 * a byte string, so this anchors on one byte of the needle (its first \`-\`, which delimiters
 * start with and mail text rarely has; else its first byte) with the native
 * Uint8Array.prototype.indexOf and compares the rest at each hit.
 */
function indexOf(u8, needle, from) {
  const n = Uint8Array.from(needle, (ch) => ch.charCodeAt(0));
  const k = Math.max(0, needle.indexOf('-'));
  for (let at = u8.indexOf(n[k], from + k); at >= 0; at = u8.indexOf(n[k], at + 1)) {
    const start = at - k;
    let i = 0;
    while (i < n.length && u8[start + i] === n[i]) i++;
    if (i === n.length) return start;
  }
  return -1;
}
/** The mail as pkijs-call.mjs reads it. */
const mailOf = (u8) => ({
  length: u8.length,
  indexOf: (needle, from) => indexOf(u8, needle, from),
  latin1: (start, end) => latin1.decode(u8.subarray(start, end)),
  bytes: (start, end) => u8.subarray(start, end),
  base64: (t) => Uint8Array.fromBase64(t),
});
const load = async (f) => new Uint8Array(await (await fetch(\`corpus/\${f}\`)).arrayBuffer());
// (No top-level await in a service worker: the root is read with the first mail.)
let root = null;
globalThis.__pkijsBench = {
  load: async (f) => {
    root ??= await load('${manifest.root}');
    return load(f);
  },
  verifyOnce: (u8) => verifyMail(pkijs, asn1js, mailOf(u8), root, CHECK_DATE),
  greenOrReason: (u8) => greenOrReason(pkijs, asn1js, ${JSON.stringify(version)}, mailOf(u8), root, CHECK_DATE),
};
`);
  linkCorpus(args.corpus, manifest, path.join(EXT, 'corpus'));
}

// ---------------------------------------------------------------- in the worker
async function inWorker({ file, iters, warmup, timed }) {
  const bench = globalThis.__pkijsBench;
  if (!bench) throw new Error('the bench worker did not start (globalThis.__pkijsBench is missing)');
  const raw = await bench.load(file);
  const reason = await bench.greenOrReason(raw);
  if (reason) return { na: reason };
  for (let i = 0; i < warmup; i++) await bench.verifyOnce(raw);
  const samples = [];
  if (timed) {
    for (let i = 0; i < iters; i++) {
      const t = performance.now();
      const r = await bench.verifyOnce(raw);
      samples.push(performance.now() - t);
      if (r.signatureVerified !== true) return { error: 'verification failed during timing' };
    }
  }
  return { samples };
}

await prepare();
const { browser, sw, stop, checkSame } = await keptAliveWorker(chromeLib, EXT, die);

async function runCase(c, iters, timed = true, warmup = warmupFor(iters)) {
  await checkSame();
  const r = await sw.evaluate(inWorker, { file: c.file, iters, warmup, timed });
  if (r.error) die(`case ${c.id}: ${r.error}`);
  return r;
}

// JIT warm-up over the small cases, as pkijs.mjs does.
for (const c of manifest.cases.filter((x) => x.size_bytes <= 102400)) {
  await runCase(c, 0, false, c.size_bytes <= 2048 ? WARMUP_ROUNDS : Math.ceil(WARMUP_ROUNDS / 5));
}

if (args.serve) {
  await serve(manifest, runCase, { chromium: browser.version }, die);
} else {
  console.log(`PKI.js ${version} in Chromium ${browser.version} (an extension service worker), corpus ${args.corpus}`);
  for (const c of manifest.cases.filter((x) => !args.filter || x.id.includes(args.filter))) {
    const iters = args.iters ?? c.iters;
    const r = await runCase(c, iters);
    console.log(r.na ? `${c.id.padEnd(24)} n/a (${r.na})` : `${c.id.padEnd(24)} ${String(iters).padStart(5)} ${median(r.samples).toFixed(3).padStart(11)}`);
  }
}
await stop();
