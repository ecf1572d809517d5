// S/MIME verification benchmark, wasm side: the extension's pkg/ (wasm-bindgen --target web
// output after wasm-opt) loaded in Node, timed over the same corpus as benches/verify.rs.
//
//   node [NODE_FLAGS] tools/bench/wasm-node.mjs [FILTER] [--iters N] [--corpus DIR]
//   node [NODE_FLAGS] tools/bench/wasm-node.mjs --serve      (used by tools/bench/run.sh)
//
// Each timed call is the extension's own check, as background/smime.js `verifyAt` makes it:
// a `VerifyJob` (the JS glue copies the message into wasm memory once; the core parses the
// user root), run to its verdict by extension/background/verify-job.js with Node's WebCrypto
// doing the signature maths and large digests the core asks for (chain validation included,
// built-in roots on).
// Every message must be GREEN (verified, chain signer/intermediate/test root, the expected
// signature kind) before it is timed, otherwise this exits with an error.
//
// Warm-up: before anything is timed, every 2 KB and 100 KB case runs WARMUP_ROUNDS times so
// that V8's dynamic tiering has moved the hot functions (SHA-2, bignum, base64, DER) from
// Liftoff to TurboFan; wasm has no on-stack replacement, so a function entered once for a
// 25 MB loop would otherwise stay in Liftoff for that whole call. Each case then gets the
// same per-case warm-up as the native side (a fifth of N, at least one).
//
// --serve reads `CASE_ID [ITERS]` lines on stdin and answers one JSON line each:
// {"id", "iters", "warmup", "median_ms", "samples_ms"}; it prints {"ready": true} first.
import fs from 'node:fs';
import path from 'node:path';
import { median, parseArgs, readManifest, serve as serveRequests, warmupFor } from './runner.mjs';
import { performance } from 'node:perf_hooks';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PKG = process.env.IMPALEMAIL_PKG ?? path.join(ROOT, 'pkg');
const ROOT_CN = 'ImpaleMail Test Root CA';
const WARMUP_ROUNDS = 30;

function die(message) {
  process.stderr.write(`wasm-node.mjs: ${message}\n`);
  process.exit(1);
}

const args = parseArgs(process.argv.slice(2), die);
const manifest = readManifest(args.corpus, die);
const rootDer = new Uint8Array(fs.readFileSync(path.join(args.corpus, manifest.root)));
const now = manifest.now;

const wasmPath = path.join(PKG, 'impalemail_bg.wasm');
if (!fs.existsSync(wasmPath)) die(`${wasmPath} is missing: build it with ./build.sh`);
const core = await import(path.join(PKG, 'impalemail.js'));
core.initSync({ module: fs.readFileSync(wasmPath) });
core.initCore();

const { runJob } = await import(path.join(ROOT, 'extension/background/verify-job.js'));
const read = (c) => new Uint8Array(fs.readFileSync(path.join(args.corpus, c.file)));
const direct = async (fn) => fn();
const verifyOnce = (raw) => runJob(new core.VerifyJob(raw, now, [rootDer]), raw, globalThis.crypto.subtle, direct);

function checkGreen(c, v) {
  const fail = (why) => die(`case ${c.id}: ${why}; the benchmark only times green messages`);
  if (v?.status !== 'verified') fail(`verdict is ${v?.status} (${v?.summary})`);
  const chain = v.details?.chain ?? [];
  if (chain.length !== 3 || !String(chain[2].subject).includes(ROOT_CN)) {
    fail(`chain is not signer/intermediate/test root: ${JSON.stringify(chain.map((x) => x.subject))}`);
  }
  const kind = v.details?.covered?.signature_kind;
  if (kind !== c.mode) fail(`signature kind is ${kind}, expected ${c.mode}`);
}

async function measure(c, iters) {
  const raw = read(c);
  checkGreen(c, await verifyOnce(raw));
  for (let i = 0; i < warmupFor(iters); i++) await verifyOnce(raw);
  const samples = [];
  for (let i = 0; i < iters; i++) {
    const t = performance.now();
    const v = await verifyOnce(raw);
    samples.push(performance.now() - t);
    if (v === undefined) die('no verdict');
  }
  return samples;
}

// Global warm-up over the small cases (every algorithm and both modes), checked green.
async function warmUp() {
  for (const c of manifest.cases.filter((x) => x.size_bytes <= 102400)) {
    const raw = read(c);
    checkGreen(c, await verifyOnce(raw));
    const rounds = c.size_bytes <= 2048 ? WARMUP_ROUNDS : Math.ceil(WARMUP_ROUNDS / 5);
    for (let i = 0; i < rounds; i++) await verifyOnce(raw);
  }
}

async function serve() {
  await warmUp();
  await serveRequests(manifest, async (c, iters) => ({ samples: await measure(c, iters) }), {}, die);
}

async function table() {
  const flags = process.execArgv.join(' ') || 'none';
  console.log(`wasm in Node ${process.version} (flags: ${flags}), pkg ${PKG}, corpus ${args.corpus}`);
  await warmUp();
  const pad = (s, n) => String(s).padEnd(n);
  const lpad = (s, n) => String(s).padStart(n);
  console.log(`${pad('algorithm', 9)} ${lpad('size', 7)} ${pad('mode', 9)} ${lpad('N', 5)} ${lpad('median_ms', 11)} ${lpad('min_ms', 9)}`);
  const cases = manifest.cases.filter((c) => !args.filter || c.id.includes(args.filter));
  if (cases.length === 0) die('no case matches the filter');
  for (const c of cases) {
    const iters = args.iters ?? c.iters;
    const samples = await measure(c, iters);
    console.log(
      `${pad(c.algorithm, 9)} ${lpad(c.size, 7)} ${pad(c.mode, 9)} ${lpad(iters, 5)} ${lpad(median(samples).toFixed(3), 11)} ${lpad(Math.min(...samples).toFixed(3), 9)}`,
    );
  }
}

if (args.serve) await serve();
else await table();
