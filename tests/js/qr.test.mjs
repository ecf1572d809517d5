// The QR encoder of the sync code (extension/ui/qr.js). Two checks:
// 1. A reader written here from ISO/IEC 18004 (not from the encoder): the format bits read the
//    same in both copies and their BCH code is valid, unmasking and reading the modules in
//    placement order gives codewords whose Reed-Solomon syndromes are all zero (every block),
//    and byte mode gives the text back.
// 2. zbarimg (apt package zbar-tools), an independent decoder, reads the rendered image. It is
//    skipped, saying so, where zbarimg is not installed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { QR_MAX_BYTES, QR_QUIET_ZONE, formatBits, gfExp, gfMul, qrEncode } from '../../extension/ui/qr.js';

const SAMPLES = ['HC8Y-HB23-Z72A-KY49-YVSA-D0ZD-Z0AM-DH87', 'A', 'hello, world', 'x'.repeat(26), 'Grüße 同期 ✓', 'y'.repeat(QR_MAX_BYTES)];

/** Per version at level M: [data, ec, blocks] (ISO/IEC 18004 Table 9), for the reader. */
const TABLE = { 1: [16, 10, 1], 2: [28, 16, 1], 3: [44, 26, 1], 4: [32, 18, 2] };

/** Modules that are function patterns or format areas (not data), for `size`. */
function isFunction(x, y, size, version) {
  const inFinder = (fx, fy) => x >= fx - 1 && x <= fx + 7 && y >= fy - 1 && y <= fy + 7;
  if (inFinder(0, 0) || inFinder(size - 7, 0) || inFinder(0, size - 7)) return true;
  if (x === 6 || y === 6) return true;
  const a = { 1: 0, 2: 18, 3: 22, 4: 26 }[version];
  if (a && Math.abs(x - a) <= 2 && Math.abs(y - a) <= 2) return true;
  if ((y === 8 && (x <= 8 || x >= size - 8)) || (x === 8 && (y <= 8 || y >= size - 8))) return true;
  return false;
}

function read(modules) {
  const size = modules.length;
  const version = (size - 17) / 4;
  // Format bits, copy one around the top-left finder, copy two split (§7.9.1, Figure 25).
  const bit = (x, y) => (modules[y][x] ? 1 : 0);
  let f1 = 0;
  const order1 = [[8, 0], [8, 1], [8, 2], [8, 3], [8, 4], [8, 5], [8, 7], [8, 8], [7, 8], [5, 8], [4, 8], [3, 8], [2, 8], [1, 8], [0, 8]];
  order1.forEach(([x, y], i) => { f1 |= bit(x, y) << i; });
  let f2 = 0;
  for (let i = 0; i < 8; i++) f2 |= bit(size - 1 - i, 8) << i;
  for (let i = 8; i < 15; i++) f2 |= bit(8, size - 15 + i) << i;
  assert.equal(f1, f2, 'both format copies agree');
  const unmasked = f1 ^ 0x5412;
  const ecl = unmasked >>> 13;
  const mask = (unmasked >>> 10) & 7;
  assert.equal(ecl, 0b00, 'level M');
  assert.equal(formatBits(mask), f1, 'a valid BCH codeword');
  assert.equal(bit(8, size - 8), 1, 'the dark module');
  const masks = [(x, y) => (x + y) % 2 === 0, (x, y) => y % 2 === 0, (x) => x % 3 === 0, (x, y) => (x + y) % 3 === 0,
    (x, y) => (Math.floor(y / 2) + Math.floor(x / 3)) % 2 === 0, (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
    (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0, (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0];
  const bits = [];
  // Column pairs from the right edge, skipping the timing column; the first goes up, then
  // they alternate (§7.7.3).
  let pair = 0;
  for (let right = size - 1; right >= 1; right -= 2, pair++) {
    if (right === 6) right = 5;
    for (let v = 0; v < size; v++) {
      const y = pair % 2 === 0 ? size - 1 - v : v;
      for (const x of [right, right - 1]) {
        if (isFunction(x, y, size, version)) continue;
        bits.push((modules[y][x] ? 1 : 0) ^ (masks[mask](x, y) ? 1 : 0));
      }
    }
  }
  const [data, ec, blocks] = TABLE[version];
  const total = (data + ec) * blocks;
  const codewords = [];
  for (let i = 0; i < total; i++) codewords.push(bits.slice(i * 8, i * 8 + 8).reduce((a, b) => (a << 1) | b, 0));
  // De-interleave and check each block's syndromes S_j = c(α^j) = 0, j < ec.
  const dataOut = [];
  for (let b = 0; b < blocks; b++) {
    const block = [];
    for (let i = 0; i < data; i++) block.push(codewords[i * blocks + b]);
    for (let i = 0; i < ec; i++) block.push(codewords[data * blocks + i * blocks + b]);
    for (let j = 0; j < ec; j++) {
      let s = 0;
      for (const c of block) s = gfMul(s, gfExp(j)) ^ c;
      assert.equal(s, 0, `block ${b}: syndrome ${j}`);
    }
    dataOut.push(...block.slice(0, data));
  }
  const stream = dataOut.flatMap((c) => Array.from({ length: 8 }, (_, i) => (c >>> (7 - i)) & 1));
  const take = (n) => stream.splice(0, n).reduce((a, b) => (a << 1) | b, 0);
  assert.equal(take(4), 0b0100, 'byte mode');
  const count = take(8);
  return new TextDecoder().decode(Uint8Array.from({ length: count }, () => take(8)));
}

test('the reader gets every sample back: format, Reed-Solomon, byte mode', () => {
  for (const text of SAMPLES) {
    const { version, modules } = qrEncode(text);
    assert.equal(modules.length, 17 + 4 * version);
    assert.equal(read(modules), text, text);
  }
  assert.equal(qrEncode(SAMPLES[0]).version, 3, 'the sync code is a version 3 symbol');
  assert.throws(() => qrEncode('z'.repeat(QR_MAX_BYTES + 1)), RangeError);
});

test('a damaged symbol is caught by the reader (the check can fail)', () => {
  const { modules } = qrEncode(SAMPLES[0]);
  const size = modules.length;
  modules[size - 1][size - 1] = !modules[size - 1][size - 1]; // the first data bit
  assert.throws(() => read(modules), /syndrome/);
});

let zbar = null;
try {
  execFileSync('zbarimg', ['--version'], { stdio: 'ignore' });
  zbar = 'zbarimg';
} catch { /* not installed */ }

test('zbarimg reads the rendered symbols', { skip: zbar ? false : 'zbarimg is not installed (apt install zbar-tools)' }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'impalemail-qr-'));
  try {
    for (const text of SAMPLES) {
      const { modules } = qrEncode(text);
      const scale = 6;
      const side = (modules.length + 2 * QR_QUIET_ZONE) * scale;
      const pixels = Buffer.alloc(side * side, 255);
      modules.forEach((row, y) => row.forEach((dark, x) => {
        if (!dark) return;
        for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) pixels[((y + QR_QUIET_ZONE) * scale + dy) * side + (x + QR_QUIET_ZONE) * scale + dx] = 0;
      }));
      const file = path.join(dir, 'qr.pgm');
      fs.writeFileSync(file, Buffer.concat([Buffer.from(`P5 ${side} ${side} 255\n`), pixels]));
      const out = execFileSync(zbar, ['--raw', '-q', '-Sbinary', file]).toString('utf8');
      assert.equal(out.replace(/\n$/, ''), text);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
