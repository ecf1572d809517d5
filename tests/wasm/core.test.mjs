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

test('the wasm\'s search for a bare LF (its SIMD path) finds what the definition finds', async () => {
  const { selfTestBareLf } = await import('../../pkg/impalemail.js');
  /** The first LF not preceded by a CR, byte by byte. @param {Uint8Array} d */
  const reference = (d) => {
    for (let i = 0; i < d.length; i++) if (d[i] === 10 && (i === 0 || d[i - 1] !== 13)) return i;
    return undefined;
  };
  let cases = 0;
  // Every length up to three 64-byte blocks and a bit, CRLF lines of varying width, with an
  // LF, a CR, a CRLF or two LFs put at every position: block and vector edges included.
  for (let len = 0; len < 210; len++) {
    const base = new Uint8Array(len);
    for (let i = 0, col = 0; i < len; i++, col++) {
      if (col === 7 + (len % 5) && i + 2 <= len) {
        base[i] = 13;
        base[++i] = 10;
        col = -1;
      } else base[i] = 97 + (i % 26);
    }
    assert.equal(selfTestBareLf(base), reference(base), `len ${len}`);
    for (let pos = 0; pos < len; pos++) {
      for (const put of [[10], [13], [13, 10], [10, 10]]) {
        const d = base.slice();
        put.forEach((c, k) => { if (pos + k < len) d[pos + k] = c; });
        assert.equal(selfTestBareLf(d), reference(d), `len ${len} pos ${pos} [${put}]`);
        cases += 1;
      }
    }
  }
  // A large CRLF body, then one bare LF near its end.
  const big = Buffer.from('0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd\r\n'.repeat(20000), 'latin1');
  assert.equal(selfTestBareLf(big), undefined);
  big[big.length - 2] = 120;
  assert.equal(selfTestBareLf(big), big.length - 1);
  assert.ok(cases > 80000, `${cases} cases`);
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
  // Wrapped bodies with one irregular line among regular ones (a character outside the alphabet
  // at its start, inside or at its end, a shorter line, a space): the SIMD blocks that meet it
  // are refused and decoded the careful way, and the result is the decoding of the alphabet
  // characters alone (RFC 2045 §6.8).
  const alphabetOnly = (/** @type {string} */ t) => t.replace(/[^A-Za-z0-9+/]/g, '');
  for (const width of [16, 20, 64, 72, 76]) {
    const lines = wrap(rand(12000), width, '\n').split('\n');
    const k = lines.length >> 1;
    /** @type {Array<[string, (l: string) => string, string]>} */
    const edits = [
      ['no change', (l) => l, ''],
      // One alphabet character more at the end keeps the count a multiple of 4.
      ...[0, 7, width - 13, width - 1].map((p) => /** @type {[string, (l: string) => string, string]} */ ([`'*' at ${p}`, (l) => l.slice(0, p) + '*' + l.slice(p + 1), 'A'])),
      ['4 characters fewer', (l) => l.slice(4), ''],
      ['a space', (l) => l.slice(0, 8) + ' ' + l.slice(8), ''],
    ];
    for (const [what, edit, tail] of edits) {
      const text = lines.map((l, i) => (i === k ? edit(l) : l)).join('\r\n') + tail;
      const want = Buffer.from(alphabetOnly(text), 'base64');
      assert.deepEqual(Buffer.from(selfTestBase64(Buffer.from(text, 'latin1'))), want, `lines of ${width}, ${what}`);
      cases += 1;
    }
  }
  // A `=` in the middle ends the data there.
  const cut = Buffer.concat([body.subarray(0, 20000), Buffer.from('='), body.subarray(20000)]);
  assert.deepEqual(Buffer.from(selfTestBase64(cut)), Buffer.from(body.subarray(0, 20000).toString('latin1'), 'base64'));
  assert.ok(cases > 270, `${cases} cases`);
});
