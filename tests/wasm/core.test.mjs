// The wasm boundary, tested in Node against the same pkg/ the extension ships.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { initSync, coreVersion, selfTestDigest, initCore } from '../../pkg/impalemail.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
initSync({ module: fs.readFileSync(path.join(ROOT, 'pkg/impalemail_bg.wasm')) });
initCore();

test('coreVersion is the crate version', () => {
  const v = /^version\s*=\s*"([^"]+)"/m.exec(fs.readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8'))?.[1];
  assert.equal(coreVersion(), v);
});

test('selfTestDigest matches SHA-256 over UTF-8, including non-ASCII text', () => {
  for (const s of ['', 'ImpaleMail', 'grüße, 日本語, 🦀']) {
    assert.equal(selfTestDigest(s), crypto.createHash('sha256').update(s, 'utf8').digest('hex'));
  }
});

test('the wasm\'s base64 decoding (its SIMD path for large bodies) gives the bytes Node decodes', async () => {
  const { selfTestBase64 } = await import('../../pkg/impalemail.js');
  const rand = (n) => crypto.randomBytes(n);
  /** Base64 of `bytes`, wrapped at `width` with `eol`. */
  const wrap = (bytes, width, eol) => (bytes.toString('base64').match(new RegExp(`.{1,${width}}`, 'g')) ?? []).join(eol);
  let cases = 0;
  for (const size of [0, 1, 2, 3, 11, 12, 13, 6143, 6144, 6145, 12288, 100000, 1 << 20]) {
    for (const [width, eol] of [[76, '\r\n'], [64, '\n'], [1000, '\r\n'], [19, '\n']]) {
      const bytes = rand(size);
      const text = Buffer.from(wrap(bytes, width, eol), 'latin1');
      assert.deepEqual(Buffer.from(selfTestBase64(text)), bytes, `${size} bytes, lines of ${width}`);
      cases += 1;
    }
  }
  // Every character the fast path must refuse, alone in an otherwise valid 1 MiB body: the
  // careful path skips it (RFC 2045 §6.8), so the result is Node's decoding without it.
  const body = Buffer.from(rand(3 << 18).toString('base64'), 'latin1');
  for (let c = 0; c < 256; c++) {
    const ch = String.fromCharCode(c);
    if (/[A-Za-z0-9+/=]/.test(ch)) continue;
    const at = 4096 + c * 97;
    const noisy = Buffer.concat([body.subarray(0, at), Buffer.from([c]), body.subarray(at)]);
    assert.deepEqual(Buffer.from(selfTestBase64(noisy)), Buffer.from(body.toString('latin1'), 'base64'), `byte ${c}`);
    cases += 1;
  }
  // A `=` in the middle ends the data there.
  const cut = Buffer.concat([body.subarray(0, 20000), Buffer.from('='), body.subarray(20000)]);
  assert.deepEqual(Buffer.from(selfTestBase64(cut)), Buffer.from(body.subarray(0, 20000).toString('latin1'), 'base64'));
  assert.ok(cases > 240, `${cases} cases`);
});
