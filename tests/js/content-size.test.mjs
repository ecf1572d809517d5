// The content script is injected into every frame of every page: its bundle
// (dist/chrome/content/content.js, built by build.sh) stays within its budget, gzipped as a
// server would send it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import zlib from 'node:zlib';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The content script's budget: 20 KB gzipped (gzip -9). */
const MAX_CONTENT_SCRIPT_GZIP_BYTES = 20 * 1024;

test('the bundled content script is at most 20 KB gzipped, in both builds', () => {
  for (const browser of ['chrome', 'firefox']) {
    const file = path.join(ROOT, 'dist', browser, 'content', 'content.js');
    assert.ok(fs.existsSync(file), `${file} is not built: run ./build.sh first`);
    const gz = zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
    assert.ok(gz <= MAX_CONTENT_SCRIPT_GZIP_BYTES, `${browser}: ${gz} bytes gzipped, over ${MAX_CONTENT_SCRIPT_GZIP_BYTES}`);
  }
});
