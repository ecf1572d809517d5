// The extractor's named limits (extension/content/extract.js), hit exactly in a real browser:
// MAX_INPUTS_PER_SCAN inputs are all read, one more is cut off and the scan says it was
// truncated; the same for MAX_FORMS_PER_SCAN forms and MAX_SHADOW_DEPTH nested shadow roots.
// The module is imported into the page itself (the content script's scan is the same code).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BROWSERS, ROOT, launchBrowser } from './lib/harness.mjs';
import { startServer } from './lib/server.mjs';

const EXTRACT = fs.readFileSync(path.join(ROOT, 'extension/content/extract.js'), 'utf8');
const DOM = fs.readFileSync(path.join(ROOT, 'extension/content/dom.js'), 'utf8');
const limit = (/** @type {string} */ name) => Number(new RegExp(`export const ${name} = (\\d+);`).exec(EXTRACT)?.[1]);
const MAX_INPUTS_PER_SCAN = limit('MAX_INPUTS_PER_SCAN');
const MAX_FORMS_PER_SCAN = limit('MAX_FORMS_PER_SCAN');
const MAX_SHADOW_DEPTH = limit('MAX_SHADOW_DEPTH');

/**
 * Builds a page in the page world and scans it: `n` inputs in `forms` forms, or fields at each
 * shadow depth up to `depth`. Returns what the scan found.
 * @param {{ inputs?: number, forms?: number, depth?: number }} spec
 */
const scanExpr = (spec) => `(async () => {
  const m = await import('/extract.js');
  document.body.replaceChildren();
  const spec = ${JSON.stringify(spec)};
  if (spec.depth !== undefined) {
    let host = document.body;
    for (let d = 0; d <= spec.depth; d++) {
      const div = document.createElement('div');
      const input = document.createElement('input');
      input.type = 'email';
      input.name = 'depth' + d;
      div.append(input);
      const next = document.createElement('div');
      div.append(next);
      host.append(div);
      host = next.attachShadow({ mode: 'open' });
    }
  } else {
    const perForm = Math.ceil(spec.inputs / spec.forms);
    let left = spec.inputs;
    for (let f = 0; f < spec.forms; f++) {
      const form = document.createElement('form');
      for (let i = 0; i < perForm && left > 0; i++, left--) {
        const input = document.createElement('input');
        input.type = 'text';
        input.name = 'f' + f + '_' + i;
        form.append(input);
      }
      document.body.append(form);
    }
  }
  const s = m.scan(document);
  return { fields: s.batch.fields.length, forms: s.batch.forms.length, truncated: s.truncated,
    names: s.batch.fields.map((f) => f.name) };
})()`;

for (const name of BROWSERS) {
  describe(`extractor limits in ${name}`, () => {
    /** @type {Awaited<ReturnType<typeof startServer>> | undefined} */ let site;
    /** @type {Awaited<ReturnType<typeof launchBrowser>> | undefined} */ let browser;
    before(async () => {
      site = await startServer({
        routes: {
          '/limits.html': (_req, res) => { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }); res.end('<!doctype html><title>limits</title><body></body>'); },
          '/extract.js': (_req, res) => { res.writeHead(200, { 'content-type': 'text/javascript' }); res.end(EXTRACT); },
          '/dom.js': (_req, res) => { res.writeHead(200, { 'content-type': 'text/javascript' }); res.end(DOM); },
        },
      });
      browser = await launchBrowser(name);
    });
    after(async () => {
      await browser?.close();
      site?.close();
    });

    test('inputs, forms and shadow depth: at the limit all, one over cut off and flagged', async () => {
      assert.ok(site && browser);
      assert.ok(MAX_INPUTS_PER_SCAN > 0 && MAX_FORMS_PER_SCAN > 0 && MAX_SHADOW_DEPTH > 0);
      const page = await browser.open(`${site.origin}/limits.html`);
      const at = await page.eval(scanExpr({ inputs: MAX_INPUTS_PER_SCAN, forms: 10 }));
      assert.deepEqual([at.fields, at.truncated], [MAX_INPUTS_PER_SCAN, false]);
      const over = await page.eval(scanExpr({ inputs: MAX_INPUTS_PER_SCAN + 1, forms: 10 }));
      assert.deepEqual([over.fields, over.truncated], [MAX_INPUTS_PER_SCAN, true]);

      const formsAt = await page.eval(scanExpr({ inputs: MAX_FORMS_PER_SCAN, forms: MAX_FORMS_PER_SCAN }));
      assert.deepEqual([formsAt.forms, formsAt.truncated], [MAX_FORMS_PER_SCAN, false]);
      const formsOver = await page.eval(scanExpr({ inputs: MAX_FORMS_PER_SCAN + 1, forms: MAX_FORMS_PER_SCAN + 1 }));
      assert.deepEqual([formsOver.forms, formsOver.truncated], [MAX_FORMS_PER_SCAN, true]);

      // Fields at shadow depths 0..MAX_SHADOW_DEPTH are read; deeper ones are not.
      const deep = await page.eval(scanExpr({ depth: MAX_SHADOW_DEPTH + 1 }));
      assert.deepEqual(deep.names, Array.from({ length: MAX_SHADOW_DEPTH + 1 }, (_, d) => `depth${d}`));
      await page.close();
    });
  });
}
