// The content script is injected into every frame of every page: its entry point
// (dist/<browser>/content/content.js) stays tiny, and with the working part it imports where a
// frame has something for it (content/full.js) it stays within the whole budget, gzipped as a
// server would send them (both built by build.sh).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import zlib from 'node:zlib';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The entry point, injected everywhere: 3 KB gzipped (issue #26). */
const MAX_ENTRY_GZIP_BYTES = 3 * 1024;
/** The entry point and the working part together: 20 KB gzipped. */
const MAX_CONTENT_SCRIPT_GZIP_BYTES = 20 * 1024;

/** @param {string} browser @param {string} name */
function gzipped(browser, name) {
  const file = path.join(ROOT, 'dist', browser, 'content', name);
  assert.ok(fs.existsSync(file), `${file} is not built: run ./build.sh first`);
  return zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
}

test('the content script entry point is at most 3 KB gzipped, in both builds', () => {
  for (const browser of ['chrome', 'firefox']) {
    const gz = gzipped(browser, 'content.js');
    assert.ok(gz <= MAX_ENTRY_GZIP_BYTES, `${browser}: ${gz} bytes gzipped, over ${MAX_ENTRY_GZIP_BYTES}`);
  }
});

test('the entry point and its working part are at most 20 KB gzipped, in both builds', () => {
  for (const browser of ['chrome', 'firefox']) {
    const gz = gzipped(browser, 'content.js') + gzipped(browser, 'full.js');
    assert.ok(gz <= MAX_CONTENT_SCRIPT_GZIP_BYTES, `${browser}: ${gz} bytes gzipped, over ${MAX_CONTENT_SCRIPT_GZIP_BYTES}`);
  }
});
