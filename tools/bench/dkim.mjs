#!/usr/bin/env node
// What a DKIM check costs beyond DNS (issue #21's budget: "a few milliseconds beyond the DNS
// round trip"): the extension's own path in Node, the wasm core (pkg/) with WebCrypto doing
// the RSA maths through `runJob` (extension/background/verify-job.js), the DNS answers already
// in hand. Mails of 2 KB to 10 MB, signed here with the tests' keys (tests/fixtures/dkim/keys:
// RSA 2048 rsa-sha256 and Ed25519, relaxed/relaxed; the body is generated already canonical,
// so signing is a hash and a signature), each checked to be green before it is timed. Then the
// DNS side for comparison: one DoH lookup of the key against the local stand-in
// (tests/e2e/lib/doh-server.mjs on 127.0.0.1: the floor of a real resolver's round trip), and
// the same lookup from the background's TTL cache.
//
// Prints a table and writes target/bench/dkim.json. Figures only: it asserts nothing.
//
//   node tools/bench/dkim.mjs [--iters N]
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { installFakeBrowser } from '../../tests/js/fake-browser.mjs';
import { startDohServer } from '../../tests/e2e/lib/doh-server.mjs';

installFakeBrowser();
const ROOT = path.resolve(import.meta.dirname, '../..');
const FIX = path.join(ROOT, 'tests/fixtures/dkim');
const { initSync, DkimJob } = await import(path.join(ROOT, 'pkg/impalemail.js'));
const { runJob } = await import('../../extension/background/verify-job.js');
const dns = await import('../../extension/background/dns.js');
initSync({ module: fs.readFileSync(path.join(ROOT, 'pkg/impalemail_bg.wasm')) });

const ITERS = Number(process.argv[process.argv.indexOf('--iters') + 1]) || 30;
const NOW = 1_790_000_000;
const ZONE = JSON.parse(fs.readFileSync(path.join(FIX, 'dns.json'), 'utf8'));
const SIZES = [['2k', 2 * 1024], ['100k', 100 * 1024], ['1m', 1024 * 1024], ['10m', 10 * 1024 * 1024]];

const RSA = crypto.createPrivateKey(fs.readFileSync(path.join(FIX, 'keys/rsa2048.pem')));
// The Ed25519 seed as PKCS#8 (RFC 8410 §7: this fixed prefix, then the 32-byte seed).
const ED = crypto.createPrivateKey({
  key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(fs.readFileSync(path.join(FIX, 'keys/ed25519.seed'), 'utf8').trim(), 'base64')]),
  format: 'der', type: 'pkcs8',
});

/**
 * A mail of about `size` bytes signed by example.com (RFC 6376 §3.7, relaxed/relaxed). The
 * headers and the body are written in canonical form already (single spaces, no trailing
 * white space, CRLF), so the relaxed forms are the lower-cased names and the text as is.
 * @param {number} size @param {'rsa' | 'ed'} alg
 */
function signed(size, alg) {
  const line = 'The quarterly figures are in the attached report as discussed on Monday.\r\n';
  const body = line.repeat(Math.max(1, Math.floor(size / line.length)));
  const headers = [['From', 'Alice Example <alice@example.com>'], ['To', 'Bob <bob@example.org>'], ['Subject', 'Quarterly report'],
    ['Date', 'Thu, 28 May 2026 20:26:00 +0000'], ['Message-ID', '<bench@example.com>']];
  const bh = crypto.createHash('sha256').update(body).digest('base64');
  const a = alg === 'rsa' ? 'rsa-sha256' : 'ed25519-sha256';
  const s = alg === 'rsa' ? 'rsa2048' : 'ed';
  const sig = `v=1; a=${a}; c=relaxed/relaxed; d=example.com; s=${s}; t=1780000000; h=from:to:subject:date:message-id; bh=${bh}; b=`;
  const input = headers.map(([k, v]) => `${k.toLowerCase()}:${v}\r\n`).join('') + `dkim-signature:${sig}`;
  const b = alg === 'rsa'
    ? crypto.sign('sha256', Buffer.from(input), RSA)
    : crypto.sign(null, crypto.createHash('sha256').update(input).digest(), ED); // RFC 8463 §3
  const head = [`DKIM-Signature: ${sig}${b.toString('base64')}`, ...headers.map(([k, v]) => `${k}: ${v}`)].join('\r\n');
  return Buffer.from(`${head}\r\n\r\n${body}`);
}

/** One check as the background runs it, the DNS answers in hand. @param {Uint8Array} raw */
async function check(raw) {
  const job = new DkimJob(raw, NOW);
  const queries = job.dnsQueries();
  job.setDns(queries.map((/** @type {{ name: string }} */ q) => ({ name: q.name, result: ZONE[q.name] ? { txt: ZONE[q.name] } : 'no_record' })));
  return /** @type {any} */ (await runJob(job, raw, crypto.webcrypto.subtle, async (fn) => fn()));
}

/** Median of `n` timed runs of `fn`, in ms (after 3 untimed). @param {() => Promise<unknown>} fn @param {number} n */
async function median(fn, n) {
  for (let i = 0; i < 3; i++) await fn();
  const t = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  t.sort((x, y) => x - y);
  return t[Math.floor(t.length / 2)];
}

const rows = [];
for (const alg of /** @type {const} */ (['rsa', 'ed'])) {
  for (const [label, size] of SIZES) {
    const raw = signed(size, alg);
    const v = await check(raw);
    if (v.status !== 'verified') {
      rows.push({ check: `${alg === 'rsa' ? 'rsa-sha256 2048' : 'ed25519-sha256'} ${label}`, median_ms: null, note: `not green: ${v.summary}` });
      continue;
    }
    const n = size >= 10 * 1024 * 1024 ? Math.max(5, Math.floor(ITERS / 6)) : ITERS;
    rows.push({ check: `${alg === 'rsa' ? 'rsa-sha256 2048' : 'ed25519-sha256'} ${label}`, median_ms: await median(() => check(raw), n) });
  }
}

const doh = await startDohServer({ zone: ZONE });
const url = `${doh.url}/dns-query`;
const KEY = 'rsa2048._domainkey.example.com';
rows.push({ check: 'DoH lookup of the key, local stand-in (127.0.0.1), not cached', median_ms: await median(async () => { dns.clearDnsCache(); await dns.lookupTxt(url, KEY, NOW); }, ITERS) });
rows.push({ check: 'the same from the TTL cache', median_ms: await median(() => dns.lookupTxt(url, KEY, NOW), ITERS) });
await doh.close();

const width = Math.max(...rows.map((r) => r.check.length));
console.log(`\nDKIM check beyond DNS (wasm core in Node ${process.version}, RSA by WebCrypto; medians of ${ITERS} runs, ms)`);
for (const r of rows) console.log(`  ${r.check.padEnd(width)}  ${r.median_ms === null ? `n/a (${r.note})` : r.median_ms.toFixed(3)}`);
const out = path.join(ROOT, 'target/bench');
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, 'dkim.json'), JSON.stringify({ node: process.version, iters: ITERS, rows }, null, 1));
console.log(`  (written to ${path.relative(ROOT, path.join(out, 'dkim.json'))})`);
