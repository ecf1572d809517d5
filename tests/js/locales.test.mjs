// Every shipped locale has every key of the default locale (en), with the same placeholders,
// and no key the default lacks: a missing string would show the key's name to the user.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const DIR = path.resolve(import.meta.dirname, '../../extension/_locales');
/** @param {string} lang */
const load = (lang) => JSON.parse(fs.readFileSync(path.join(DIR, lang, 'messages.json'), 'utf8'));
/** The `$NAME$` placeholders a message uses, sorted. @param {{ message: string }} m */
const placeholders = (m) => [...new Set(m.message.match(/\$[A-Z0-9_]+\$/g) ?? [])].sort();

const en = load('en');
const others = fs.readdirSync(DIR).filter((l) => l !== 'en');

test('there is at least one locale besides English', () => {
  assert.ok(others.length >= 1);
});

for (const lang of others) {
  test(`${lang}: the same keys as en, the same placeholders, nothing empty`, () => {
    const m = load(lang);
    assert.deepEqual(Object.keys(en).filter((k) => !(k in m)), [], `keys missing in ${lang}`);
    assert.deepEqual(Object.keys(m).filter((k) => !(k in en)), [], `keys in ${lang} that en lacks`);
    for (const [key, value] of Object.entries(m)) {
      assert.ok(value.message.trim(), `${lang}.${key} is empty`);
      assert.deepEqual(placeholders(value), placeholders(en[key]), `${lang}.${key}: placeholders differ from en`);
      for (const p of placeholders(value)) {
        const name = p.slice(1, -1).toLowerCase();
        assert.ok(value.placeholders?.[name], `${lang}.${key}: ${p} is not declared in ${lang} (each locale declares its own)`);
      }
    }
  });
}
