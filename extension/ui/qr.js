// @ts-check
/**
 * A small QR code encoder (ISO/IEC 18004:2015) for the sync code, so that a phone's camera
 * can read it off the options page: byte mode (§7.4.5), error correction level M (§7.5.1:
 * about 15 % of the symbol may be damaged), versions 1 to 4 (at most 62 bytes; the code is 39
 * characters, version 3). Pure: `qrEncode` gives the modules, `qrSvg` draws them (DOM only, no
 * markup strings). Written here rather than in the Rust core: the wasm has no bytes to spare.
 */

/**
 * Per version at level M: data codewords per block, error correction codewords per block,
 * blocks (§7.5.1, Table 9), and the alignment pattern's centre (§6.3.6, Annex E; versions 2
 * to 6 have one, away from the finder patterns).
 */
const VERSIONS_M = [
  { data: 16, ec: 10, blocks: 1, align: 0 },
  { data: 28, ec: 16, blocks: 1, align: 18 },
  { data: 44, ec: 26, blocks: 1, align: 22 },
  { data: 32, ec: 18, blocks: 2, align: 26 },
];
/** Largest text (UTF-8 bytes) the versions above hold at level M in byte mode. */
export const QR_MAX_BYTES = 62;
/** Light modules around the symbol (§6.3.8: at least 4). */
export const QR_QUIET_ZONE = 4;

// GF(256) with the field polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D, §7.5.2).
const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
for (let i = 0, x = 1; i < 255; i++) {
  EXP[i] = x;
  LOG[x] = i;
  x <<= 1;
  if (x & 0x100) x ^= 0x11d;
}
for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255];
/** @param {number} a @param {number} b */
export const gfMul = (a, b) => (a && b ? EXP[LOG[a] + LOG[b]] : 0);
/** α^i in GF(256). @param {number} i */
export const gfExp = (i) => EXP[i % 255];

/** The Reed-Solomon error correction codewords of `data` (§7.5.2). @param {number[]} data @param {number} n */
function reedSolomon(data, n) {
  // The generator polynomial (x - α^0)(x - α^1)...(x - α^(n-1)), highest degree first.
  let g = [1];
  for (let i = 0; i < n; i++) {
    const next = new Array(g.length + 1).fill(0);
    for (let j = 0; j < g.length; j++) {
      next[j] ^= g[j];
      next[j + 1] ^= gfMul(g[j], EXP[i]);
    }
    g = next;
  }
  const rem = new Array(n).fill(0);
  for (const byte of data) {
    const factor = byte ^ rem[0];
    rem.shift();
    rem.push(0);
    for (let i = 0; i < n; i++) rem[i] ^= gfMul(g[i + 1], factor);
  }
  return rem;
}

/** The data masks (§7.8.2, Table 10), by column `x` and row `y`. */
const MASKS = [
  (/** @type {number} */ x, /** @type {number} */ y) => (x + y) % 2 === 0,
  (/** @type {number} */ _x, /** @type {number} */ y) => y % 2 === 0,
  (/** @type {number} */ x) => x % 3 === 0,
  (/** @type {number} */ x, /** @type {number} */ y) => (x + y) % 3 === 0,
  (/** @type {number} */ x, /** @type {number} */ y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
  (/** @type {number} */ x, /** @type {number} */ y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (/** @type {number} */ x, /** @type {number} */ y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (/** @type {number} */ x, /** @type {number} */ y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];

/** The 15 format bits for level M and `mask` (§7.9: BCH(15,5), then XOR 0x5412). @param {number} mask */
export function formatBits(mask) {
  const data = (0b00 << 3) | mask; // M is 00
  let rem = data;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  return ((data << 10) | rem) ^ 0x5412;
}

/**
 * The penalty of a masked symbol (§7.8.3: runs, blocks, finder-like patterns, balance).
 * @param {boolean[][]} m
 */
function penalty(m) {
  const n = m.length;
  let score = 0;
  const finderLike = [[true, false, true, true, true, false, true, false, false, false, false], [false, false, false, false, true, false, true, true, true, false, true]];
  for (let pass = 0; pass < 2; pass++) {
    const at = pass === 0 ? (/** @type {number} */ a, /** @type {number} */ b) => m[a][b] : (/** @type {number} */ a, /** @type {number} */ b) => m[b][a];
    for (let a = 0; a < n; a++) {
      let run = 1;
      for (let b = 1; b <= n; b++) {
        if (b < n && at(a, b) === at(a, b - 1)) run++;
        else {
          if (run >= 5) score += run - 2;
          run = 1;
        }
      }
      for (let b = 0; b + 11 <= n; b++) {
        for (const p of finderLike) if (p.every((v, i) => at(a, b + i) === v)) score += 40;
      }
    }
  }
  let dark = 0;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      if (m[y][x]) dark++;
      if (y + 1 < n && x + 1 < n && m[y][x] === m[y][x + 1] && m[y][x] === m[y + 1][x] && m[y][x] === m[y + 1][x + 1]) score += 3;
    }
  }
  return score + (Math.ceil(Math.abs(dark * 20 - n * n * 10) / (n * n)) - 1) * 10;
}

/**
 * The QR code of `text`: `modules[y][x]` is true for a dark module; no quiet zone. Throws for
 * text longer than `QR_MAX_BYTES`.
 * @param {string} text
 * @returns {{ version: number, mask: number, modules: boolean[][] }}
 */
export function qrEncode(text) {
  const bytes = new TextEncoder().encode(text);
  const version = VERSIONS_M.findIndex((v) => v.data * v.blocks >= bytes.length + 2) + 1;
  if (version === 0) throw new RangeError(`A QR code here holds at most ${QR_MAX_BYTES} bytes.`);
  const spec = VERSIONS_M[version - 1];
  const capacity = spec.data * spec.blocks * 8;

  // The bit stream (§7.4): mode 0100 (byte), an 8-bit count (versions 1 to 9), the bytes, a
  // terminator of up to four 0s, 0s to the byte, then the pad bytes 0xEC 0x11 in turn.
  /** @type {number[]} */
  const bits = [];
  const put = (/** @type {number} */ value, /** @type {number} */ len) => {
    for (let i = len - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  put(0b0100, 4);
  put(bytes.length, 8);
  for (const b of bytes) put(b, 8);
  put(0, Math.min(4, capacity - bits.length));
  put(0, (8 - (bits.length % 8)) % 8);
  for (let pad = 0xec; bits.length < capacity; pad ^= 0xec ^ 0x11) put(pad, 8);
  /** @type {number[]} */
  const codewords = [];
  for (let i = 0; i < bits.length; i += 8) codewords.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0));

  // Blocks, their error correction, interleaved (§7.6).
  const blocks = Array.from({ length: spec.blocks }, (_, i) => codewords.slice(i * spec.data, (i + 1) * spec.data));
  const ecs = blocks.map((b) => reedSolomon(b, spec.ec));
  /** @type {number[]} */
  const stream = [];
  for (let i = 0; i < spec.data; i++) for (const b of blocks) stream.push(b[i]);
  for (let i = 0; i < spec.ec; i++) for (const e of ecs) stream.push(e[i]);

  // The function patterns (§6.3): finders with separators, timing, alignment, the dark module,
  // and the format areas (reserved, written last).
  const size = 17 + 4 * version;
  const modules = Array.from({ length: size }, () => new Array(size).fill(false));
  const reserved = Array.from({ length: size }, () => new Array(size).fill(false));
  const fix = (/** @type {number} */ x, /** @type {number} */ y, /** @type {boolean} */ dark) => {
    modules[y][x] = dark;
    reserved[y][x] = true;
  };
  for (const [cx, cy] of [[3, 3], [size - 4, 3], [3, size - 4]]) {
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const x = cx + dx;
        const y = cy + dy;
        const d = Math.max(Math.abs(dx), Math.abs(dy));
        if (x >= 0 && x < size && y >= 0 && y < size) fix(x, y, d !== 2 && d !== 4);
      }
    }
  }
  for (let i = 8; i < size - 8; i++) {
    fix(6, i, i % 2 === 0);
    fix(i, 6, i % 2 === 0);
  }
  if (spec.align) {
    for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) fix(spec.align + dx, spec.align + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
  }
  for (let i = 0; i < 9; i++) {
    if (!reserved[8][i]) fix(i, 8, false);
    if (!reserved[i][8]) fix(8, i, false);
  }
  for (let i = 0; i < 8; i++) {
    fix(size - 1 - i, 8, false);
    fix(8, size - 1 - i, false);
  }
  fix(8, size - 8, true); // the dark module (§6.3.7... Figure 25)

  // The codewords, two columns at a time from the bottom right, up then down (§7.7.3);
  // the remainder bits (7 in versions 2 to 6) stay light.
  let bit = 0;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let v = 0; v < size; v++) {
      for (let j = 0; j < 2; j++) {
        const x = right - j;
        const y = ((right + 1) & 2) === 0 ? size - 1 - v : v;
        if (reserved[y][x]) continue;
        modules[y][x] = bit < stream.length * 8 && ((stream[bit >>> 3] >>> (7 - (bit & 7))) & 1) === 1;
        bit++;
      }
    }
  }

  // The mask with the lowest penalty (§7.8.3), with its format bits (§7.9.1).
  let best = { mask: 0, modules, score: Infinity };
  for (let mask = 0; mask < 8; mask++) {
    const m = modules.map((row, y) => row.map((dark, x) => (reserved[y][x] ? dark : dark !== MASKS[mask](x, y))));
    const f = formatBits(mask);
    const on = (/** @type {number} */ i) => ((f >>> i) & 1) === 1;
    for (let i = 0; i <= 5; i++) m[i][8] = on(i);
    m[7][8] = on(6);
    m[8][8] = on(7);
    m[8][7] = on(8);
    for (let i = 9; i < 15; i++) m[8][14 - i] = on(i);
    for (let i = 0; i < 8; i++) m[8][size - 1 - i] = on(i);
    for (let i = 8; i < 15; i++) m[size - 15 + i][8] = on(i);
    m[size - 8][8] = true;
    const score = penalty(m);
    if (score < best.score) best = { mask, modules: m, score };
  }
  return { version, mask: best.mask, modules: best.modules };
}

/**
 * The QR code of `text` as an SVG element, `px` pixels a side, with the quiet zone, and
 * `label` as its accessible name.
 * @param {string} text @param {{ px?: number, label: string }} opts
 */
export function qrSvg(text, { px = 196, label }) {
  const { modules } = qrEncode(text);
  const ns = 'http://www.w3.org/2000/svg';
  const side = modules.length + 2 * QR_QUIET_ZONE;
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${side} ${side}`);
  svg.setAttribute('width', String(px));
  svg.setAttribute('height', String(px));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('shape-rendering', 'crispEdges');
  const bg = document.createElementNS(ns, 'rect');
  bg.setAttribute('width', String(side));
  bg.setAttribute('height', String(side));
  bg.setAttribute('fill', '#fff');
  let d = '';
  modules.forEach((row, y) => row.forEach((dark, x) => {
    if (dark) d += `M${x + QR_QUIET_ZONE} ${y + QR_QUIET_ZONE}h1v1h-1z`;
  }));
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000');
  svg.append(bg, path);
  return svg;
}
