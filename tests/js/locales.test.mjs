// Every shipped locale has every key of the default locale (en), with the same placeholders,
// and no key the default lacks: a missing string would show the key's name to the user.
// Beyond that: no string is far longer than English's (it would break the popup's layout), no
// sentence is left in English, and every verdict reason the core can produce has its words.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { installFakeBrowser } from './fake-browser.mjs';

installFakeBrowser();
const { DKIM_REASON_FIELDS, REASON_FIELDS, camel } = await import('../../extension/shared/words.js');

const ROOT = path.resolve(import.meta.dirname, '../..');
const DIR = path.join(ROOT, 'extension/_locales');
/** @param {string} lang @returns {Record<string, { message: string, placeholders?: Record<string, { content: string }> }>} */
const load = (lang) => JSON.parse(fs.readFileSync(path.join(DIR, lang, 'messages.json'), 'utf8'));
/** The `$NAME$` placeholders a message uses, sorted. @param {{ message: string }} m */
const placeholders = (m) => [...new Set(m.message.match(/\$[A-Z0-9_]+\$/g) ?? [])].sort();

const en = load('en');
const others = fs.readdirSync(DIR).filter((l) => l !== 'en').sort();

/** The thirteen languages the form detector reads (issue 19); Chrome's names for them. */
const EXPECTED = ['de', 'en', 'es', 'fr', 'it', 'ja', 'ko', 'nl', 'pl', 'pt_BR', 'ru', 'tr', 'zh_CN'];

// East Asian Wide and Fullwidth characters (Unicode UAX #11) take two columns on screen: Hangul
// Jamo, CJK punctuation, kana, CJK ideographs, Hangul syllables, fullwidth forms.
const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA960-\uA97F\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u;

/**
 * How many columns a message takes, placeholders left out (they are the same text in every
 * language): wide characters count 2, everything else 1.
 * @param {string} text
 */
export function displayWidth(text) {
  let width = 0;
  for (const ch of text.replace(/\$[A-Z0-9_]+\$/g, '')) width += WIDE.test(ch) ? 2 : 1;
  return width;
}

/**
 * The most columns a translation may take for an English text of `w` columns: one and a half
 * times, plus 12. Translations from English run longer (W3C's "Text size in translation": up to
 * two or three times for a word or two, about 1.3–1.7 times for sentences); the 12 columns are
 * the room a one-word button or label needs ("Copy" → "Копировать"), the factor is what a
 * sentence needs. Beyond that the popup (360 px wide), the menu and the badge wrap badly or
 * clip: such a string should be rewritten shorter, not allowed.
 * @param {number} w
 */
export const maxWidth = (w) => Math.floor(1.5 * w) + 12;

/**
 * Strings allowed past `maxWidth`, each with its reason. Keep it short: the fix is usually a
 * shorter translation.
 * @type {Record<string, string>}
 */
const LONG_OK = {
};

/**
 * Keys whose text is the same in every language: a brand or product name only.
 * @type {Set<string>}
 */
const BRAND_ONLY = new Set([
  'extName', 'actionTitle', 'srcSimplelogin', 'srcAddy', 'srcFirefoxRelay', 'srcDuckduckgo',
  'srcFastmail', 'srcForwardemail',
]);

/**
 * Strings of three words or more that may equal English in a given locale, with the reason.
 * @type {Record<string, string>}
 */
const SAME_AS_EN_OK = {
};

/** Words (letters only) in a message with its placeholders removed. @param {string} text */
const words = (text) => text.replace(/\$[A-Z0-9_]+\$/g, ' ').split(/[^\p{L}]+/u).filter(Boolean);

test('the locales are exactly the thirteen languages the form detector reads', () => {
  assert.deepEqual(['en', ...others].sort(), EXPECTED);
});

test('the manifest\'s description fits the stores\' 132 characters in every locale', () => {
  const over = ['en', ...others].map((lang) => [lang, load(lang).extDescription.message.length])
    .filter(([, n]) => Number(n) > 132);
  assert.deepEqual(over, [], 'extDescription longer than 132 characters');
});

test('langTag is each locale\'s own BCP 47 tag (the pages\' lang attribute)', () => {
  for (const lang of ['en', ...others]) assert.equal(load(lang).langTag.message, lang.replace('_', '-'));
});

test('displayWidth counts wide characters twice and leaves placeholders out', () => {
  assert.equal(displayWidth('Copy'), 4);
  assert.equal(displayWidth('コピー'), 6);
  assert.equal(displayWidth('복사'), 4);
  assert.equal(displayWidth('（无主题）'), 10);
  assert.equal(displayWidth('Made $ADDRESS$.'), 6);
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

  test(`${lang}: no string is far longer on screen than English's`, () => {
    const m = load(lang);
    const tooLong = Object.keys(en)
      .filter((key) => key in m && !(`${lang}.${key}` in LONG_OK))
      .map((key) => ({ key, en: displayWidth(en[key].message), [lang]: displayWidth(m[key].message) }))
      .filter((r) => r[lang] > maxWidth(r.en));
    assert.deepEqual(tooLong, [], `${lang}: strings wider than 1.5 × English + 12 columns; shorten them`);
  });

  test(`${lang}: no sentence is left in English`, () => {
    const m = load(lang);
    const same = Object.keys(en).filter((key) => key in m
      && !BRAND_ONLY.has(key) && !(`${lang}.${key}` in SAME_AS_EN_OK)
      && words(en[key].message).length >= 3
      && m[key].message.trim() === en[key].message.trim());
    assert.deepEqual(same, [], `${lang}: identical to English`);
  });
}

test('the welcome page names the popup\'s button by its own words in every locale', () => {
  for (const lang of ['en', ...others]) {
    const m = load(lang);
    assert.ok(m.welcomeComeBack.message.includes(m.popupWelcome.message), `${lang}: welcomeComeBack does not say "${m.popupWelcome.message}"`);
  }
});

test('brand-only strings are the same in every locale', () => {
  for (const lang of others) {
    const m = load(lang);
    for (const key of BRAND_ONLY) assert.equal(m[key].message, en[key].message, `${lang}.${key}`);
  }
});

test('the exception lists name only real keys', () => {
  for (const k of [...Object.keys(LONG_OK), ...Object.keys(SAME_AS_EN_OK)]) {
    const [lang, key] = k.split('.');
    assert.ok(others.includes(lang) && key in en, `${k} names no string`);
  }
});

/** The core's reason kinds, read from the `Reason` enum in src/smime/verdict.rs. */
function coreReasonKinds() {
  const src = fs.readFileSync(path.join(ROOT, 'src/smime/verdict.rs'), 'utf8');
  const body = src.match(/pub enum Reason \{([\s\S]*?)\n\}/)?.[1];
  assert.ok(body, 'src/smime/verdict.rs has no `pub enum Reason`');
  // Variants sit at four spaces of indent; their fields and doc comments deeper or after `///`.
  return [...body.matchAll(/^ {4}([A-Z][A-Za-z0-9]*)\b/gm)].map((x) => x[1]);
}

test('every reason kind of the core has its summary and explanation, with its fields as placeholders', () => {
  const kinds = coreReasonKinds();
  assert.ok(kinds.length >= 15 && kinds.includes('AlteredContent') && kinds.includes('RevocationUnknown'), `parsed ${kinds}`);
  for (const kind of kinds) {
    assert.ok(en[`reason${kind}`], `en lacks reason${kind}`);
    assert.ok(en[`explain${kind}`], `en lacks explain${kind}`);
    const snake = kind.replace(/[A-Z]/g, (c, i) => (i ? '_' : '') + c.toLowerCase());
    assert.equal(camel(snake), kind);
    assert.equal(placeholders(en[`reason${kind}`]).length, (REASON_FIELDS[snake] ?? []).length,
      `reason${kind}: one placeholder per field words.js passes`);
    assert.deepEqual(placeholders(en[`explain${kind}`]), [], `explain${kind} takes no placeholders`);
  }
});

test('every DKIM reason kind of the core has its summary, with its fields as placeholders', () => {
  const src = fs.readFileSync(path.join(ROOT, 'src/dkim/verdict.rs'), 'utf8');
  const body = src.match(/pub enum DkimReason \{([\s\S]*?)\n\}/)?.[1];
  assert.ok(body, 'src/dkim/verdict.rs has no `pub enum DkimReason`');
  const kinds = [...body.matchAll(/^ {4}([A-Z][A-Za-z0-9]*)\b/gm)].map((x) => x[1]);
  assert.ok(kinds.length >= 15 && kinds.includes('BodyChanged') && kinds.includes('NotAligned'), `parsed ${kinds}`);
  for (const kind of kinds) {
    assert.ok(en[`dkimReason${kind}`], `en lacks dkimReason${kind}`);
    const snake = kind.replace(/[A-Z]/g, (c, i) => (i ? '_' : '') + c.toLowerCase());
    assert.equal(placeholders(en[`dkimReason${kind}`]).length, (DKIM_REASON_FIELDS[snake] ?? []).length,
      `dkimReason${kind}: one placeholder per field words.js passes`);
  }
});
