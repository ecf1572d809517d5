// Draws the extension's icons (16/32/48/128 px PNG) from a few shapes, so the artwork is
// ours and reproducible: `node tools/make-icons.mjs extension/icons`. No dependencies.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const out = process.argv[2] || 'extension/icons';
fs.mkdirSync(out, { recursive: true });

/** Signed distance helpers in a 0..1 unit square. */
const roundRect = (x, y, cx, cy, hw, hh, r) => {
  const qx = Math.abs(x - cx) - hw + r, qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const segment = (x, y, ax, ay, bx, by) => {
  const px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - t * dx, py - t * dy);
};

/** Colour of one sample: background tile, white envelope, gold spike through it. */
function sample(x, y) {
  const tile = roundRect(x, y, 0.5, 0.5, 0.48, 0.48, 0.16);
  if (tile > 0) return null;
  let c = [31, 78, 140];
  const env = roundRect(x, y, 0.47, 0.55, 0.30, 0.21, 0.04);
  if (env < 0) c = [255, 255, 255];
  const flap = Math.min(segment(x, y, 0.17, 0.36, 0.47, 0.58), segment(x, y, 0.47, 0.58, 0.77, 0.36));
  if (env < 0 && flap < 0.035) c = [31, 78, 140];
  const spike = segment(x, y, 0.16, 0.86, 0.86, 0.16);
  const tip = x > 0.74 && y < 0.28;
  if (spike < (tip ? 0.045 * (1 - (x - 0.74) / 0.12) + 0.005 : 0.045)) c = [245, 190, 40];
  return c;
}

function png(size) {
  const S = 4; // 4x4 supersampling
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let py = 0; py < size; py++) {
    raw[py * (size * 4 + 1)] = 0;
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < S; sy++) for (let sx = 0; sx < S; sx++) {
        const c = sample((px + (sx + 0.5) / S) / size, (py + (sy + 0.5) / S) / size);
        if (c) { r += c[0]; g += c[1]; b += c[2]; a++; }
      }
      const o = py * (size * 4 + 1) + 1 + px * 4;
      raw[o] = a ? r / a : 0; raw[o + 1] = a ? g / a : 0; raw[o + 2] = a ? b / a : 0; raw[o + 3] = (a * 255) / (S * S);
    }
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(zlib.crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const size of [16, 32, 48, 128]) fs.writeFileSync(path.join(out, `icon-${size}.png`), png(size));
console.log(`icons written to ${out}`);
