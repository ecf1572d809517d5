#!/usr/bin/env node
// What the vault takes in `storage.sync` (issue #25 part 4): the shipped core (pkg/) packs a
// vault of N aliases as the background would push it, sealed the way the background seals
// (AES-256-GCM through WebCrypto, the key from HKDF-SHA-256 of the code; tests/wasm/sync-seal.mjs),
// and the bench prints
// the bytes of the area, its items and the bytes per alias, then the most aliases that fit the
// browsers' 102,400-byte area (the core refuses more with `Full`, keeping every alias local).
//
// The aliases are a mix like a real vault's, made up here: addresses from the temporary-inbox
// service with an expiry, catch-all and per-site addresses, provider aliases with the
// provider's id; a site for each, a label on one in five, a note on one in ten, one in nine
// disabled. Figures only: it asserts nothing (tests/js/sync.test.mjs checks the refusal).
//
//   node tools/bench/sync-size.mjs [--aliases N]       (./build.sh bench sync)
import fs from 'node:fs';
import path from 'node:path';
import * as core from '../../pkg/impalemail.js';
import { keysOf, sealOne } from '../../tests/wasm/sync-seal.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
core.initSync({ module: fs.readFileSync(path.join(ROOT, 'pkg/impalemail_bg.wasm')) });
const i = process.argv.indexOf('--aliases');
const N = i > 0 ? Number(process.argv[i + 1]) || 1000 : 1000;
/** The browsers' `storage.sync.QUOTA_BYTES` (Chrome and Firefox). */
const QUOTA_BYTES = 102_400;
const NOW = Math.floor(Date.now() / 1000);
const WORDS = ['amber', 'birch', 'cedar', 'delta', 'ember', 'fjord', 'grove', 'harbor', 'iris', 'juniper', 'kestrel', 'linden'];
const word = (/** @type {number} */ k) => WORDS[k % WORDS.length];

/** A made-up alias record `k` of the vault's JSON form. @param {number} k */
function record(k) {
  const site = `${word(k * 7)}-${k % 500}.example`;
  const created = NOW - k * 3_600;
  const kind = k % 4;
  /** @type {Record<string, unknown>} */
  const r = {
    id: `b${k}`,
    site,
    origin: `https://www.${site}`,
    created,
    state: k % 9 === 0 ? 'disabled' : 'active',
  };
  if (kind === 0) Object.assign(r, { address: `${word(k)}.${word(k * 3)}${k}@inbox.mail.example`, source: 'mailtm', expires: created + 7 * 86_400 });
  if (kind === 1) Object.assign(r, { address: `${word(k)}${k}@mine.example`, source: 'catch-all' });
  if (kind === 2) Object.assign(r, { address: `${site.replace(/\W/g, '')}.${(k * 7919 % 100_000).toString(36)}@mine.example`, source: 'per-site' });
  if (kind === 3) Object.assign(r, { address: `${word(k)}_${word(k * 5)}${k}@simplelogin.example`, source: 'simplelogin', provider_id: String(4_000_000 + k) });
  if (k % 5 === 0) r.label = `${word(k * 11)} newsletter`;
  if (k % 10 === 0) r.note = `signed up for the ${word(k * 13)} offer`;
  return r;
}
const vault = (/** @type {number} */ n) => JSON.stringify({ format: 'impalemail-vault', schema: 1, records: Array.from({ length: n }, (_, k) => record(k)) });

/** A first push of `n` aliases into an empty area: `{ bytes, items, full }`. @param {number} n */
async function push(n) {
  const state = core.syncStart(core.syncCodeNew());
  const keys = await keysOf(core, state);
  const t0 = performance.now();
  try {
    const out = core.syncOutgoing(state, vault(n), {}, {}, keys.check, NOW);
    for (const t of out.seal) out.set[t.key] = await sealOne(core, keys, t);
    const bytes = Object.entries(out.set).reduce((s, [k, v]) => s + k.length + JSON.stringify(v).length, 0);
    return { bytes, items: Object.keys(out.set).length, coreBytes: out.bytes, ms: performance.now() - t0, full: false };
  } catch (e) {
    if (/** @type {{ variant?: string }} */ (e).variant === 'Full') return { bytes: 0, items: 0, coreBytes: 0, ms: performance.now() - t0, full: true };
    throw e;
  }
}

const r = await push(N);
if (r.full) {
  console.log(`${N} aliases do not fit the ${QUOTA_BYTES}-byte sync area`);
} else {
  console.log(`sync area for ${N} aliases (packed, sealed with AES-256-GCM, base64): ${r.bytes} bytes in ${r.items} items` +
    ` (the core's own count ${r.coreBytes}), ${(r.bytes / N).toFixed(1)} bytes an alias, ${(r.bytes * 100 / QUOTA_BYTES).toFixed(0)} % of ${QUOTA_BYTES}; push prepared in ${r.ms.toFixed(0)} ms`);
}
// The most that fit: a binary search on the count (each probe is a whole first push).
let lo = 0;
let hi = 4_000;
while (lo < hi) {
  const mid = Math.ceil((lo + hi) / 2);
  if ((await push(mid)).full) hi = mid - 1;
  else lo = mid;
}
console.log(`the most aliases of this mix that fit: ${lo} (${(QUOTA_BYTES / lo).toFixed(1)} bytes of area an alias at the limit)`);
