// The wasm core is what the background compiles at every start of the extension and of its worker
// (the cold-start budgets: first verdict under 100 ms in a fresh browser, under 50 ms on a worker
// restart): the shipped module stays within its size budget, gzipped as a server would send it
// (`gzip -9`, the figure build.sh prints and the history in ARCHITECTURE.md uses). The budget is read in decimal kilobytes, the stricter reading.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The whole wasm, gzipped: 420 KB (ARCHITECTURE.md, "Size"). */
const MAX_WASM_GZIP_BYTES = 420_000;

test('the shipped wasm is at most 420 KB gzipped, in both builds', () => {
  for (const browser of ['chrome', 'firefox']) {
    const file = path.join(ROOT, 'dist', browser, 'pkg', 'impalemail_bg.wasm');
    assert.ok(fs.existsSync(file), `${file} is not built: run ./build.sh first`);
    const gz = execFileSync('gzip', ['-9c', file], { maxBuffer: 1 << 26 }).length;
    assert.ok(gz <= MAX_WASM_GZIP_BYTES, `${browser}: ${gz} bytes gzipped, over ${MAX_WASM_GZIP_BYTES}`);
  }
});
