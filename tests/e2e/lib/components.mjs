// A test page with the content script's in-page components on it (the alias button and its menu,
// a badge for every verdict look): the real modules, bundled by esbuild with the words of one
// locale from extension/_locales in place of the browser's i18n, and with open shadow roots
// (components/open-shadow.js), so that axe can check inside them. `?scheme=dark` paints the page
// dark, as Roundcube's dark skin does (a dark background, no color-scheme), `?lang=` picks the
// locale. The field is a plain text field, which the installed extension leaves alone (its own
// button on it would take the keys this page's button is tested with). The verdicts are the core's golden answers (tests/fixtures/smime/generated).
import fs from 'node:fs';
import path from 'node:path';
import esbuild from 'esbuild';
import { ROOT } from './harness.mjs';

const FIXTURES = path.join(ROOT, 'tests/fixtures/smime/generated');
/** One golden verdict per look: verified, invalid, not verified, unsigned. */
const VERDICT_FILES = ['001.json', '016.json', '014.json', '022.json'];

/** The i18n of extension/shared/ext.js over one locale's messages.json (English for missing keys). @param {string} lang */
function i18nModule(lang) {
  const read = (/** @type {string} */ l) => JSON.parse(fs.readFileSync(path.join(ROOT, 'extension/_locales', l, 'messages.json'), 'utf8'));
  const messages = { ...read('en'), ...read(lang) };
  return `const M = ${JSON.stringify(messages)};
export function i18n(key, subs) {
  const m = M[key];
  if (!m) return key;
  const args = subs === undefined ? [] : [].concat(subs).map(String);
  const fill = (s) => s.replace(/\\$(\\d)/g, (_, n) => args[n - 1] ?? '');
  return m.message.replace(/\\$([A-Za-z0-9_@]+)\\$/g, (_, name) => fill(m.placeholders?.[name.toLowerCase()]?.content ?? '')).replace(/\\$\\$/g, '$');
}
export const send = async () => ({ ok: false, error: { name: 'TestPage', message: 'no background on the test page' } });`;
}

/** @type {Map<string, string>} */
const bundles = new Map();

/** The bundle for `lang`. @param {string} lang */
async function bundle(lang) {
  const have = bundles.get(lang);
  if (have) return have;
  const out = await esbuild.build({
    entryPoints: [path.join(import.meta.dirname, 'components/page.js')],
    bundle: true, format: 'iife', write: false, target: 'es2022', logLevel: 'warning',
    plugins: [{
      name: 'i18n-from-locales',
      setup(b) {
        b.onResolve({ filter: /(^|\/)ext\.js$/ }, () => ({ path: 'ext', namespace: 'i18n' }));
        b.onLoad({ filter: /.*/, namespace: 'i18n' }, () => ({ contents: i18nModule(lang), loader: 'js' }));
      },
    }],
  });
  const js = out.outputFiles[0].text;
  bundles.set(lang, js);
  return js;
}

/** The page's HTML. @param {string} lang @param {string} scheme */
function html(lang, scheme) {
  const verdicts = VERDICT_FILES.map((f) => ({ verdict: JSON.parse(fs.readFileSync(path.join(FIXTURES, f), 'utf8')) }));
  verdicts.push({ state: 'failed' });
  const data = JSON.stringify({ verdicts, mark: { phrase: 'amber otter 42', color: '#0f766e' } }).replace(/</g, '\\u003c');
  const dark = scheme === 'dark';
  return `<!doctype html><html lang="${lang.replace('_', '-')}"><head><meta charset="utf-8"><title>ImpaleMail components</title>
<style>body { font: 14px system-ui, sans-serif; margin: 0; padding: 16px 24px; background: ${dark ? '#21292e' : '#ffffff'}; color: ${dark ? '#e8eaec' : '#1b1b1f'}; }
main { max-width: 640px; } label { display: block; margin-bottom: 4px; } input { width: 320px; padding: 6px 8px; font: inherit;
background: ${dark ? '#2c353b' : '#ffffff'}; color: inherit; border: 1px solid #8a8fa3; border-radius: 4px; } #badges { margin-top: 280px; }</style></head>
<body><main><h1>Components</h1><form><label for="email">Note</label><input id="email" type="text" autocomplete="off"></form>
<div id="badges"></div></main><script src="/components-errors.js"></script><script type="application/json" id="data">${data}</script><script src="/components.js?lang=${lang}"></script></body></html>`;
}

/** A locale folder name of extension/_locales (`en`, `pt_BR`), else English. @param {string | null} l */
const locale = (l) => (l && /^[a-z]{2}(_[A-Z]{2})?$/.test(l) && fs.existsSync(path.join(ROOT, 'extension/_locales', l)) ? l : 'en');

/** Routes for tests/e2e/lib/server.mjs: `/components.html` and its script. */
export const componentRoutes = {
  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  '/components.html': (req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html(locale(u.searchParams.get('lang')), u.searchParams.get('scheme') ?? 'light'));
  },
  /** Puts an error of the page's scripts where the test reads it (`data-error` on the root). @param {any} _req @param {import('node:http').ServerResponse} res */
  '/components-errors.js': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
    res.end(`addEventListener('error', (e) => { document.documentElement.dataset.error = String(e.message) + ' ' + e.filename + ':' + e.lineno; });`);
  },
  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  '/components.js': (req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    bundle(locale(u.searchParams.get('lang'))).then((js) => {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
      res.end(js);
    }, (e) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(e));
    });
  },
};
