// The content script is injected into every frame of every page: its entry point
// (dist/<browser>/content/content.js) stays tiny, and what one frame can load stays within the
// whole budget, gzipped as a server would send them (all built by build.sh). A frame loads the
// entry; where it has something to do, the working part (content/full.js); on a webmail page,
// one adapter (content/wm-<name>.js); and anything these would import statically (nothing: a
// test below).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import zlib from 'node:zlib';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The entry point, injected everywhere: 3 KB gzipped (issue #26). */
const MAX_ENTRY_GZIP_BYTES = 3 * 1024;
/** What one frame can load (entry, working part, one adapter, their chunks): 20 KB gzipped. */
const MAX_CONTENT_SCRIPT_GZIP_BYTES = 20 * 1024;
/** A static import between the built modules (esbuild's chunks): `from"./chunk-X.js"`, minified or not. */
const STATIC_IMPORT_RE = /(?:from|import)\s*["']\.\/([\w.-]+\.js)["']/g;

/** @param {string} browser @param {string} name */
function file(browser, name) {
  const f = path.join(ROOT, 'dist', browser, 'content', name);
  assert.ok(fs.existsSync(f), `${f} is not built: run ./build.sh first`);
  return f;
}

/** @param {string} browser @param {string} name */
const gzipped = (browser, name) => zlib.gzipSync(fs.readFileSync(file(browser, name)), { level: 9 }).length;

/**
 * The files loading `names` brings into a frame: them and what they import statically.
 * @param {string} browser @param {string[]} names
 */
function closure(browser, names) {
  const seen = new Set();
  const todo = [...names];
  while (todo.length) {
    const n = /** @type {string} */ (todo.pop());
    if (seen.has(n)) continue;
    seen.add(n);
    for (const m of fs.readFileSync(file(browser, n), 'utf8').matchAll(STATIC_IMPORT_RE)) todo.push(m[1]);
  }
  return [...seen];
}

/** Every frame's possible load, with its gzipped size. @param {string} browser */
function frames(browser) {
  const adapters = fs.readdirSync(path.join(ROOT, 'dist', browser, 'content')).filter((n) => /^wm-[\w-]+\.js$/.test(n));
  const loads = [['content.js', 'full.js'], ...adapters.map((a) => ['content.js', 'full.js', a])];
  return loads.map((l) => {
    const files = closure(browser, l);
    return { what: l.join(' + '), files, gz: files.reduce((sum, f) => sum + gzipped(browser, f), 0) };
  });
}

test('the content script entry point is at most 3 KB gzipped, in both builds', () => {
  for (const browser of ['chrome', 'firefox']) {
    const gz = gzipped(browser, 'content.js');
    assert.ok(gz <= MAX_ENTRY_GZIP_BYTES, `${browser}: ${gz} bytes gzipped, over ${MAX_ENTRY_GZIP_BYTES}`);
  }
});

test('no built module imports another statically; each adapter is its own file', () => {
  for (const browser of ['chrome', 'firefox']) {
    // Chromium serves these files only under the per-session URL (`use_dynamic_url`) that
    // `runtime.getURL` gives; a relative import from one of them is refused.
    for (const f of fs.readdirSync(path.join(ROOT, 'dist', browser, 'content'))) {
      assert.doesNotMatch(fs.readFileSync(file(browser, f), 'utf8'), STATIC_IMPORT_RE, `${browser}: ${f} imports another file statically`);
    }
    const adapters = frames(browser).slice(1);
    assert.ok(adapters.length >= 4, `${browser}: ${adapters.length} adapter files built`);
    for (const a of adapters) assert.equal(a.files.filter((f) => f.startsWith('wm-')).length, 1, `${browser}: ${a.what} loads one adapter`);
  }
});

test('what one frame can load is at most 20 KB gzipped, in both builds', () => {
  for (const browser of ['chrome', 'firefox']) {
    for (const f of frames(browser)) {
      assert.ok(f.gz <= MAX_CONTENT_SCRIPT_GZIP_BYTES, `${browser}: ${f.what} (${f.files.join(', ')}) is ${f.gz} bytes gzipped, over ${MAX_CONTENT_SCRIPT_GZIP_BYTES}`);
    }
    const worst = Math.max(...frames(browser).map((f) => f.gz));
    console.log(`${browser}: the heaviest frame loads ${worst} bytes gzipped of content script`);
  }
});
