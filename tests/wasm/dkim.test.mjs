// The DKIM exports of the wasm core, in Node: the names it asks for, the DNS answers it takes,
// RSA and Ed25519 through WebCrypto with the same driver as S/MIME (background/verify-job.js),
// and the verdicts tests/dkim.rs expects natively.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { initSync, DkimJob } from '../../pkg/impalemail.js';
import { runJob } from '../../extension/background/verify-job.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIX = path.join(ROOT, 'tests/fixtures/dkim');
initSync({ module: fs.readFileSync(path.join(ROOT, 'pkg/impalemail_bg.wasm')) });

/** tests/dkim.rs's check time, four months after the fixtures' t=. */
const NOW = 1_790_000_000;
/** @type {Record<string, string[]>} */
const ZONE = JSON.parse(fs.readFileSync(path.join(FIX, 'dns.json'), 'utf8'));
const mail = (/** @type {string} */ name) => fs.readFileSync(path.join(FIX, name));

/**
 * The extension's check as the background would run it: the names the core asks for answered
 * from `zone`, RSA and Ed25519 answered by Node's WebCrypto.
 * @param {Uint8Array} raw @param {Record<string, string[]>} zone
 */
async function check(raw, zone = ZONE) {
  const job = new DkimJob(raw, NOW);
  const queries = job.dnsQueries();
  job.setDns(queries.map((/** @type {{name: string}} */ q) => ({
    name: q.name,
    result: zone[q.name] ? { txt: zone[q.name] } : 'no_record',
  })));
  let asked = 0;
  const verdict = await runJob({
    step: () => job.step(),
    answer: (d, s) => { asked += s.length; job.answer(d, s); },
    free: () => job.free(),
  }, raw, crypto.subtle, async (fn) => fn());
  return { verdict: /** @type {any} */ (verdict), queries, asked };
}

/** @param {Uint8Array} raw @param {string} from @param {string} to */
const replace = (raw, from, to) => {
  const s = Buffer.from(raw).toString('latin1');
  assert.ok(s.includes(from), from);
  return Buffer.from(s.replace(from, to), 'latin1');
};

test('the core names the TXT records it needs', () => {
  const job = new DkimJob(mail('subdomain-from.eml'), NOW);
  assert.deepEqual(job.dnsQueries(), [
    { name: 'rsa2048._domainkey.example.com', purpose: 'key' },
    { name: '_dmarc.news.example.com', purpose: 'dmarc' },
    { name: '_dmarc.example.com', purpose: 'dmarc' },
  ]);
  job.free();
});

test('RSA goes to WebCrypto and a good mail is green, the domain named', async () => {
  const { verdict, asked } = await check(mail('rsa2048-relaxed.eml'));
  assert.equal(asked, 1);
  assert.equal(verdict.status, 'verified');
  assert.equal(verdict.signing_domain, 'example.com');
  assert.equal(verdict.summary, "Sent through example.com's mail servers; the text is unchanged.");
  assert.equal(verdict.dmarc_policy, 'reject');
});

test('Ed25519 goes to WebCrypto too: a good mail is green, a changed header red', async () => {
  const { verdict, asked } = await check(mail('ed25519.eml'));
  assert.equal(asked, 1);
  assert.equal(verdict.status, 'verified');
  const header = await check(replace(mail('ed25519.eml'), 'Quarterly report', 'Quarterly rePort'));
  assert.equal(header.asked, 1);
  assert.equal(header.verdict.status, 'invalid');
  assert.equal(header.verdict.reason.kind, 'header_changed');
});

test('an Ed25519 key that is no point, or of small order, is judged by the core, nothing asked', async () => {
  const withKey = (/** @type {number} */ first) => {
    const key = new Uint8Array(32);
    key[0] = first;
    return { ...ZONE, 'ed._domainkey.example.com': [`v=DKIM1; k=ed25519; p=${Buffer.from(key).toString('base64')}`] };
  };
  // y = 2 is on no point of the curve.
  const bad = await check(mail('ed25519.eml'), withKey(2));
  assert.equal(bad.asked, 0);
  assert.deepEqual(bad.verdict.signatures[0].outcome, { kind: 'malformed', what: 'its Ed25519 key is not a valid point' });
  // The identity (y = 1) is a point of small order: refused by the strict rules.
  const small = await check(mail('ed25519.eml'), withKey(1));
  assert.equal(small.asked, 0);
  assert.equal(small.verdict.signatures[0].outcome.kind, 'header_changed');
});

test('a changed body is red under the domain\'s reject policy; a changed header fails in WebCrypto', async () => {
  const body = await check(replace(mail('rsa2048-relaxed.eml'), 'Alice\r\n', 'Mallory\r\n'));
  assert.equal(body.verdict.status, 'invalid');
  assert.equal(body.verdict.reason.kind, 'body_changed');
  const header = await check(replace(mail('rsa2048-relaxed.eml'), 'Quarterly report', 'Quarterly rePort'));
  assert.equal(header.asked, 1);
  assert.equal(header.verdict.status, 'invalid');
  assert.equal(header.verdict.reason.kind, 'header_changed');
});

test('text after l=, an unaligned signer and a missing key say so in plain words', async () => {
  const added = Buffer.concat([mail('length.eml'), Buffer.from('P.S. wire the money.\r\n')]);
  const l = (await check(added)).verdict;
  assert.equal(l.status, 'not_verified');
  assert.equal(l.summary, 'Text was added after the signed part.');
  const un = (await check(mail('unaligned.eml'))).verdict;
  assert.deepEqual(un.reason, { kind: 'not_aligned', signer: 'mailer.example.net', from: 'example.com' });
  const zone = { ...ZONE };
  delete zone['rsa2048._domainkey.example.com'];
  const missing = (await check(mail('rsa2048-relaxed.eml'), zone)).verdict;
  assert.deepEqual(missing.reason, { kind: 'key_not_found', name: 'rsa2048._domainkey.example.com' });
});

test('answers of the wrong shape are refused with a named error', () => {
  const job = new DkimJob(mail('rsa2048-relaxed.eml'), NOW);
  assert.throws(() => job.setDns([{ name: 'x', result: { kind: 'txt' } }]), (e) => /** @type {Error} */ (e).name === 'BadArgument');
  job.setDns([{ name: 'rsa2048._domainkey.example.com', result: { txt: ZONE['rsa2048._domainkey.example.com'] } }]);
  const step = job.step();
  assert.equal(step.signatures.length, 1);
  assert.equal(step.signatures[0].scheme, 'RSASSA-PKCS1-v1_5');
  assert.equal(step.signatures[0].hash, 'SHA-256');
  assert.throws(() => job.answer([], []), (e) => /** @type {Error} */ (e).name === 'BadArgument');
  assert.throws(() => job.answer([new Uint8Array(1)], [true]), (e) => /** @type {Error} */ (e).name === 'BadArgument');
  assert.throws(() => job.answer([], ['yes']), (e) => /** @type {Error} */ (e).name === 'BadArgument');
  job.answer([], [false]);
  assert.equal(job.step().verdict.reason.kind, 'header_changed');
  job.free();
});
