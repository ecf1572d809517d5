// The privacy policy: the page in the extension says what PRIVACY.md says, and the popup's About
// and the welcome page link to it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (/** @type {string} */ p) => fs.readFileSync(path.join(ROOT, p), 'utf8');
/** Text without tags and markup, whitespace collapsed, quotes made plain. @param {string} s */
const plain = (s) => s.replace(/<!--[\s\S]*?-->/g, ' ').replace(/<[^>]+>/g, '').replace(/[*_`]/g, '')
  .replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim();

const md = read('PRIVACY.md');
const html = read('extension/ui/privacy.html');

test('every paragraph and item of PRIVACY.md is on the extension\'s privacy page', () => {
  const page = plain(html);
  // Paragraphs, list items and headings of the Markdown, line wraps undone; the sentence that
  // says where the page is, and the title, are the Markdown's own.
  const blocks = md.replace(/^# .*$/m, '').replace(/ The same text is in the extension[^)]*\)\./, '')
    .split(/\n(?=- |\n|#)/).map((b) => plain(b.trim().replace(/^- |^#+ /, ''))).filter(Boolean);
  assert.ok(blocks.length > 15, `read ${blocks.length} blocks`);
  const missing = blocks.filter((b) => !page.includes(b));
  assert.deepEqual(missing, [], 'in PRIVACY.md but not in extension/ui/privacy.html');
});

test('the popup\'s About and the welcome page link to the privacy page', () => {
  for (const p of ['extension/ui/popup.html', 'extension/ui/welcome.html']) {
    assert.match(read(p), /<a href="privacy\.html"[^>]*data-i18n="privacyLink"/, p);
  }
  assert.match(read('extension/ui/popup.html'), /<details id="about">[\s\S]*href="privacy\.html"[\s\S]*<\/details>/);
});

test('the policy names every place data goes, and nothing goes to us', () => {
  for (const s of ['mail.tm', 'SimpleLogin', 'addy.io', 'Firefox Relay', 'DuckDuckGo Email Protection', 'Fastmail',
    'Forward Email', 'Certificate authorities', 'DNS resolver', 'off by default', 'nothing is ever sent to us', 'No telemetry']) {
    assert.ok(plain(md).includes(s), `PRIVACY.md lacks ${s}`);
    assert.ok(plain(html).includes(s), `privacy.html lacks ${s}`);
  }
});
