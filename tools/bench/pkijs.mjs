// S/MIME verification benchmark, PKI.js: the npm `pkijs` library (with `asn1js`) in Node,
// Node's WebCrypto (node:crypto `webcrypto`) as its engine, over the same corpus.
//
//   node tools/bench/pkijs.mjs [FILTER] [--iters N] [--corpus DIR]
//   node tools/bench/pkijs.mjs --serve      (used by tools/bench/run.sh)
//
// Each call is pkijs-call.mjs's `verifyMail` (the least MIME work that gets the signed bytes,
// here with Buffer searches and Node's native base64, then PKI.js's SignedData.verify with its
// chain check on): the same call pkijs-chromium.mjs times in the browser.
//
// What PKI.js's chain check covers: signatures along the chain, validity at checkDate,
// basicConstraints/keyUsage of the CAs; it does not check the signer's extended key usage
// (emailProtection) or that From matches the certificate, which our verifier does.
// A case PKI.js cannot verify (e.g. Ed25519, which it does not know) is not timed: the
// answer is n/a with PKI.js's own error.
//
// --serve reads `CASE_ID [ITERS]` lines on stdin and answers one JSON line each:
// {"id", "iters", "warmup", "median_ms", "samples_ms"} or {"id", "na"}; {"ready": true} first.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { webcrypto } from 'node:crypto';
import { greenOrReason as check, verifyMail } from './pkijs-call.mjs';
import { median, parseArgs, readManifest, serve, warmupFor } from './runner.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const WARMUP_ROUNDS = 30;

function die(message) {
  process.stderr.write(`pkijs.mjs: ${message}\n`);
  process.exit(1);
}

let pkijs;
let asn1js;
try {
  pkijs = await import('pkijs');
  asn1js = await import('asn1js');
} catch (e) {
  die(`cannot load pkijs/asn1js from node_modules (${e.message}); they are devDependencies in package.json: npm ci`);
}
pkijs.setEngine('node-webcrypto', new pkijs.CryptoEngine({ name: 'node-webcrypto', crypto: webcrypto }));

const args = parseArgs(process.argv.slice(2), die);
const manifest = readManifest(args.corpus, die);
const rootDer = new Uint8Array(fs.readFileSync(path.join(args.corpus, manifest.root)));
const checkDate = new Date(manifest.now * 1000);

/** The mail as pkijs-call.mjs reads it, on Node's Buffer. @param {Buffer} buf */
const mailOf = (buf) => ({
  length: buf.length,
  indexOf: (/** @type {string} */ needle, /** @type {number} */ from) => buf.indexOf(needle, from, 'latin1'),
  latin1: (/** @type {number} */ start, /** @type {number} */ end) => buf.toString('latin1', start, end),
  bytes: (/** @type {number} */ start, /** @type {number} */ end) => buf.subarray(start, end),
  base64: (/** @type {string} */ text) => Buffer.from(text, 'base64'),
});

/** One call: raw mail bytes to PKI.js's verdict. */
const verifyOnce = (buf) => verifyMail(pkijs, asn1js, mailOf(buf), rootDer, checkDate);

/** Null when green, else the reason. */
const greenOrReason = (c, buf) => check(pkijs, asn1js, pkijsVersion(), mailOf(buf), rootDer, checkDate);

function pkijsVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/pkijs/package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}

const read = (c) => fs.readFileSync(path.join(args.corpus, c.file));
const naCache = new Map();

async function measure(c, iters) {
  const buf = read(c);
  if (naCache.has(c.id)) return { na: naCache.get(c.id) };
  const reason = await greenOrReason(c, buf);
  if (reason) {
    naCache.set(c.id, reason);
    return { na: reason };
  }
  for (let i = 0; i < warmupFor(iters); i++) await verifyOnce(buf);
  const samples = [];
  for (let i = 0; i < iters; i++) {
    const t = performance.now();
    const r = await verifyOnce(buf);
    samples.push(performance.now() - t);
    if (r.signatureVerified !== true) die(`case ${c.id}: verification failed during timing`);
  }
  return { samples };
}


// JIT warm-up over the small cases, as wasm-node.mjs does for its tiers.
async function warmUp() {
  for (const c of manifest.cases.filter((x) => x.size_bytes <= 102400)) {
    const buf = read(c);
    if (await greenOrReason(c, buf)) continue;
    const rounds = c.size_bytes <= 2048 ? WARMUP_ROUNDS : Math.ceil(WARMUP_ROUNDS / 5);
    for (let i = 0; i < rounds; i++) await verifyOnce(buf);
  }
}

if (args.serve) {
  await warmUp();
  await serve(manifest, measure, {}, die);
} else {
  console.log(`PKI.js ${pkijsVersion()} in Node ${process.version}, corpus ${args.corpus}`);
  await warmUp();
  for (const c of manifest.cases.filter((x) => !args.filter || x.id.includes(args.filter))) {
    const iters = args.iters ?? c.iters;
    const m = await measure(c, iters);
    console.log(m.na ? `${c.id.padEnd(24)} n/a (${m.na})` : `${c.id.padEnd(24)} ${String(iters).padStart(5)} ${median(m.samples).toFixed(3).padStart(11)}`);
  }
}
