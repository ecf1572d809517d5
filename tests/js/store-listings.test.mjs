// The store listings (store/<locale>.md): one per shipped locale, each with the name, a summary
// that is the manifest's own description in that locale (at most 132 characters, the Chrome Web
// Store's limit), and a description that is translated, names the services by their own names,
// and fits the stores' limits.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LOCALES = fs.readdirSync(path.join(ROOT, 'extension/_locales')).sort();
const BRANDS = ['ImpaleMail', 'SimpleLogin', 'addy.io', 'Firefox Relay', 'DuckDuckGo Email Protection', 'Fastmail',
  'Forward Email', 'mail.tm', 'Gmail', 'Outlook', 'Roundcube', 'S/MIME'];

/** The `## Name`, `## Summary` and `## Description` sections of a listing. @param {string} lang */
function listing(lang) {
  const text = fs.readFileSync(path.join(ROOT, 'store', `${lang}.md`), 'utf8');
  /** @type {Record<string, string>} */ const fields = {};
  for (const part of text.split(/^## /m).slice(1)) {
    const [head, ...body] = part.split('\n');
    fields[head.trim()] = body.join('\n').trim();
  }
  return fields;
}
/** @param {string} lang */
const manifestDescription = (lang) =>
  JSON.parse(fs.readFileSync(path.join(ROOT, 'extension/_locales', lang, 'messages.json'), 'utf8')).extDescription.message;

test('there is a listing for every shipped locale, and none for another', () => {
  const files = fs.readdirSync(path.join(ROOT, 'store')).filter((f) => f.endsWith('.md') && f !== 'README.md')
    .map((f) => f.slice(0, -3)).sort();
  assert.deepEqual(files, LOCALES);
});

for (const lang of LOCALES) {
  test(`${lang}: name, summary (the manifest's description, ≤ 132) and description`, () => {
    const f = listing(lang);
    assert.deepEqual(Object.keys(f), ['Name', 'Summary', 'Description']);
    assert.equal(f.Name, 'ImpaleMail');
    assert.equal(f.Summary, manifestDescription(lang));
    assert.ok(f.Summary.length <= 132, `summary is ${f.Summary.length} characters`);
    assert.ok(f.Description.length >= 600 && f.Description.length <= 16000, `description is ${f.Description.length} characters`);
    for (const b of BRANDS) assert.ok(f.Description.includes(b), `the description lacks ${b}`);
    if (lang !== 'en') {
      const en = listing('en').Description.split('\n').map((l) => l.trim()).filter((l) => l.split(' ').length >= 4);
      const same = f.Description.split('\n').map((l) => l.trim()).filter((l) => en.includes(l));
      assert.deepEqual(same, [], 'lines left in English');
    }
  });
}
