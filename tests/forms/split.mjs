#!/usr/bin/env node
// Which part of the forms corpus a page belongs to (tests/forms/README.md, "The split"), and the
// corpus's counts by part, language and form type.
//
//   node tests/forms/split.mjs NAME...   prints "holdout" or "tuned" for each file name
//   node tests/forms/split.mjs --check   checks every page is in the directory its name says, prints counts
//
// The rule depends on the file name only, never on results: a page is held out when the first
// hex digit of sha256(file name without ".html") is 0-4 (5 of 16, about a third). Pages written
// before the split (listed in BEFORE_SPLIT) stay in the tuned part.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BEFORE_SPLIT = new Set(`de_saas de_shop en_confirm_email en_contact en_guest_checkout en_hidden_disabled
en_login_and_signup en_login_variants en_modal_subscribe en_newsletter_footers en_other_person en_password_reset
en_placeholder_only en_search_boxes en_signup_plain en_spa_react_ids en_two_step en_username_fields
en_web_components es_site fr_site fw_angular fw_bootstrap fw_svelte fw_vue holdout_i18n holdout_mixed_en
holdout_signup_variants it_site ja_site ko_site nl_site pl_site pt_site ru_site tr_site zh_site`.split(/\s+/));

/** Pages written after the split that reproduce a pattern, not one real site (named by the pattern). */
const PATTERN_PAGES = new Set(['en_clobber-aspnet-membership', 'en_clobber-newsletter-cms', 'en_pattern-mui-formless-deep',
  'en_pattern-angular-material-formcontrol']);

/** @param {string} file */
export function partOf(file) {
  const stem = path.basename(file).replace(/\.html$/, '');
  if (BEFORE_SPLIT.has(stem)) return 'tuned';
  const d = parseInt(createHash('sha256').update(stem).digest('hex')[0], 16);
  return d <= 4 ? 'holdout' : 'tuned';
}

function check() {
  let bad = 0;
  /** @type {Record<string, Record<string, number>>} */
  const counts = {};
  const add = (k1, k2, n = 1) => { counts[k1] ??= {}; counts[k1][k2] = (counts[k1][k2] ?? 0) + n; };
  for (const [dir, part] of [['corpus', 'tuned'], ['holdout', 'holdout']]) {
    for (const f of readdirSync(path.join(HERE, dir)).filter((x) => x.endsWith('.html')).sort()) {
      if (partOf(f) !== part) { console.error(`${dir}/${f}: belongs in the ${partOf(f)} part`); bad++; }
      const html = readFileSync(path.join(HERE, dir, f), 'utf8');
      const lang = /^([a-z]{2})_/.exec(f)?.[1] ?? '?';
      const forms = [...html.matchAll(/data-label-form="([a-z_]+)"/g)].map((m) => m[1]);
      add(part, 'pages'); add(part, 'forms', forms.length);
      add(`${part} pages by language`, lang);
      add(`${part} forms by language`, lang, forms.length);
      for (const t of forms) add(`${part} forms by type`, t);
      const body = html.replace(/<!--[\s\S]*?-->/g, '');
      // Form-like containers that are not a <form> (React/Vue apps, hosted widgets).
      add(part, 'formless containers', [...body.matchAll(/<(?!form\b)[a-z][\w-]*\b[^>]*\sdata-label-form="/g)].length);
      // Pages whose header comment names an e-mail-first / multi-step flow.
      if (/multi-step/i.test(/^<!--[\s\S]*?-->/.exec(html)?.[0] ?? '')) add(part, 'multi-step pages');
      const stem = f.replace(/\.html$/, '');
      if (!BEFORE_SPLIT.has(stem) && !PATTERN_PAGES.has(stem)) add(part, 'pages from real sites (one site each)');
    }
  }
  for (const [k, v] of Object.entries(counts)) console.log(`${k}: ${Object.entries(v).map(([a, b]) => `${a} ${b}`).join(', ')}`);
  if (bad) process.exitCode = 1;
}

const args = process.argv.slice(2);
if (args[0] === '--check') check();
else for (const a of args) console.log(`${a}\t${partOf(a)}`);
