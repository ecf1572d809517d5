// S/MIME verification benchmark, PKI.js: the npm `pkijs` library (with `asn1js`) in Node,
// Node's WebCrypto (node:crypto `webcrypto`) as its engine, over the same corpus.
//
//   node tools/bench/pkijs.mjs [FILTER] [--iters N] [--corpus DIR]
//   node tools/bench/pkijs.mjs --serve      (used by tools/bench/run.sh)
//
// PKI.js reads CMS, not mail, so each timed call first does the least MIME work that gets
// the signed bytes, on the raw mail bytes (Buffer searches and Node's native base64):
// - detached (multipart/signed): the boundary from the top-level Content-Type, the signed
//   part = the exact bytes between the first delimiter line and the CRLF before the next
//   delimiter (RFC 1847/2046), the signature = the base64 body of the second part;
// - opaque (application/pkcs7-mime): the base64 body after the header block.
// Then asn1js.fromBER + ContentInfo + SignedData and `SignedData.verify({ signer: 0, data,
// trustedCerts: [root], checkChain: true, checkDate: now, extendedMode: true })`; the root
// is parsed from DER in each call, as the other runners do. asn1js refuses content longer
// than 16 MiB by default (`maxContentLength`); the top-level decode passes the mail's size
// instead, so the 25 MB opaque mails can be read at all.
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
import readline from 'node:readline';
import { performance } from 'node:perf_hooks';
import { webcrypto } from 'node:crypto';

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

const args = { corpus: path.join(ROOT, 'target/bench/corpus'), serve: false, filter: null, iters: null };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--serve') args.serve = true;
  else if (a === '--corpus') args.corpus = process.argv[++i] ?? die('--corpus needs a directory');
  else if (a === '--iters') args.iters = Number.parseInt(process.argv[++i] ?? '', 10);
  else if (a.startsWith('-')) die(`unknown option ${a}`);
  else args.filter = a;
}
let manifest;
try {
  manifest = JSON.parse(fs.readFileSync(path.join(args.corpus, 'manifest.json'), 'utf8'));
} catch (e) {
  die(`cannot read ${args.corpus}/manifest.json: ${e.message} (tools/bench/make-corpus.sh makes it)`);
}
const rootDer = new Uint8Array(fs.readFileSync(path.join(args.corpus, manifest.root)));
const checkDate = new Date(manifest.now * 1000);

const CRLF2 = Buffer.from('\r\n\r\n');

/** Header block (as latin1 text) and the offset where the body starts. */
function splitHeader(buf, from = 0) {
  const end = buf.indexOf(CRLF2, from);
  if (end < 0) throw new Error('no end of header');
  return { header: buf.toString('latin1', from, end), body: end + 4 };
}

/** @returns {{ cms: Uint8Array, data: Uint8Array | undefined }} */
function extract(buf) {
  const { header, body } = splitHeader(buf);
  const ct = /^content-type:([^\r\n]*(?:\r\n[ \t][^\r\n]*)*)/im.exec(header)?.[1] ?? '';
  if (/multipart\/signed/i.test(ct)) {
    const boundary = /boundary="?([^";\r\n]+)"?/i.exec(ct)?.[1];
    if (!boundary) throw new Error('multipart/signed without a boundary');
    const delim = Buffer.from(`--${boundary}\r\n`);
    const next = Buffer.from(`\r\n--${boundary}`);
    const first = buf.indexOf(delim, body);
    if (first < 0) throw new Error('no first part');
    const start = first + delim.length;
    const end = buf.indexOf(next, start);
    if (end < 0) throw new Error('no second part');
    const data = buf.subarray(start, end);
    const sigPart = end + next.length + 2; // past the delimiter's CRLF
    const sig = splitHeader(buf, sigPart);
    const close = buf.indexOf(next, sig.body);
    const cms = Buffer.from(buf.toString('latin1', sig.body, close < 0 ? buf.length : close), 'base64');
    return { cms, data };
  }
  return { cms: Buffer.from(buf.toString('latin1', body), 'base64'), data: undefined };
}

const toArrayBuffer = (u8) => u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength);

/** One call: raw mail bytes to PKI.js's verdict. */
async function verifyOnce(buf) {
  const { cms, data } = extract(buf);
  const asn1 = asn1js.fromBER(cms, { maxContentLength: Math.max(buf.length, 16777216) });
  if (asn1.offset === -1) throw new Error(`asn1js: ${asn1.result.error}`);
  const ci = new pkijs.ContentInfo({ schema: asn1.result });
  const sd = new pkijs.SignedData({ schema: ci.content });
  const root = pkijs.Certificate.fromBER(rootDer);
  return sd.verify({
    signer: 0,
    data: data === undefined ? undefined : toArrayBuffer(data),
    trustedCerts: [root],
    checkChain: true,
    checkDate,
    extendedMode: true,
  });
}

/** Null when green, else the reason. */
async function greenOrReason(c, buf) {
  try {
    const r = await verifyOnce(buf);
    if (r.signatureVerified !== true) return `PKI.js ${pkijsVersion()}: ${r.message || 'signature not verified'} (code ${r.code})`;
    if (r.signerCertificateVerified !== true) return `PKI.js ${pkijsVersion()}: signer certificate not verified`;
    return null;
  } catch (e) {
    const m = e?.message ?? String(e);
    return `PKI.js ${pkijsVersion()}: ${m}${e?.code !== undefined ? ` (code ${e.code})` : ''}`;
  }
}

function pkijsVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/pkijs/package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}

const read = (c) => fs.readFileSync(path.join(args.corpus, c.file));
const warmupFor = (iters) => Math.max(1, Math.floor(iters / 5));
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

function median(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
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
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const [id, n] = line.trim().split(/\s+/);
    if (!id) continue;
    const c = manifest.cases.find((x) => x.id === id) ?? die(`no case \`${id}\` in the corpus`);
    const iters = n ? Number.parseInt(n, 10) : c.iters;
    const m = await measure(c, iters);
    const answer = m.na
      ? { id, na: m.na }
      : { id, iters, warmup: warmupFor(iters), median_ms: median(m.samples), samples_ms: m.samples };
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  }
} else {
  console.log(`PKI.js ${pkijsVersion()} in Node ${process.version}, corpus ${args.corpus}`);
  await warmUp();
  for (const c of manifest.cases.filter((x) => !args.filter || x.id.includes(args.filter))) {
    const iters = args.iters ?? c.iters;
    const m = await measure(c, iters);
    console.log(m.na ? `${c.id.padEnd(24)} n/a (${m.na})` : `${c.id.padEnd(24)} ${String(iters).padStart(5)} ${median(m.samples).toFixed(3).padStart(11)}`);
  }
}
