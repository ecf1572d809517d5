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
