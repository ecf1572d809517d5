// Helpers for driving the extension's own pages in both browsers: English UI strings from
// `_locales`, polling a page for a condition, and real input (Playwright in Chromium,
// WebDriver element commands in Firefox). The same helpers as aliases.test.mjs, shared so
// that newer tests do not copy them again.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './harness.mjs';

/** @typedef {import('./chrome.mjs').PageHandle} PageHandle */

/** English UI strings, so that a changed wording does not break the tests silently. */
export const MESSAGES = JSON.parse(fs.readFileSync(path.join(ROOT, 'extension/_locales/en/messages.json'), 'utf8'));

/**
 * An English UI string with its substitutions, as `i18n.getMessage` builds it.
 * @param {string} key @param {...string} subs
 */
export function msg(key, ...subs) {
  const m = MESSAGES[key];
  assert.ok(m, `no locale string ${key}`);
  return m.message.replace(/\$([A-Z_]+)\$/g, (/** @type {string} */ _, /** @type {string} */ name) => {
    const ph = m.placeholders?.[name.toLowerCase()]?.content ?? '';
    return subs[Number(ph.slice(1)) - 1] ?? '';
  });
}

/** Longest a condition is waited for (ms). */
export const WAIT_MS = 20000;

/**
 * Polls `expr` in the page until it is truthy and returns its value. It evaluates through the
 * debugger protocol / WebDriver, which the extension pages' CSP does not cover.
 * @param {PageHandle} page @param {string} expr @param {number} [timeoutMs]
 */
export function waitFor(page, expr, timeoutMs = WAIT_MS) {
  return until(() => page.eval(expr), expr, timeoutMs);
}

/** A value as a JavaScript literal. @param {unknown} v */
export const js = (v) => JSON.stringify(v);

/**
 * Polls `fn` (in Node) until it returns something truthy; an exception counts as "not yet".
 * @template T @param {() => Promise<T>} fn @param {string} what @param {number} [timeoutMs]
 * @returns {Promise<T>}
 */
export async function until(fn, what, timeoutMs = WAIT_MS) {
  const t0 = Date.now();
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() - t0 > timeoutMs) assert.fail(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : js(last)})`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
/** An expression: the text of the first element matching `sel` ('' when none). @param {string} sel */
export const text = (sel) => `(document.querySelector(${js(sel)})?.textContent ?? '')`;
/** An expression: whether `sel` exists and is not inside a hidden element. @param {string} sel */
export const visible = (sel) => `(!!document.querySelector(${js(sel)}) && !document.querySelector(${js(sel)}).closest('[hidden]'))`;

const W3C_ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/**
 * Real input (trusted events) in each browser. Every action first waits for its element.
 * @param {{ name: string }} browser @param {PageHandle} page
 */
export function ui(browser, page) {
  const present = (/** @type {string} */ sel) => waitFor(page, `!!document.querySelector(${js(sel)})`);
  if (browser.name === 'chrome') {
    const p = page.raw;
    return {
      click: async (/** @type {string} */ sel) => { await present(sel); await p.click(sel); },
      fill: async (/** @type {string} */ sel, /** @type {string} */ value) => { await present(sel); await p.fill(sel, value); },
      select: async (/** @type {string} */ sel, /** @type {string} */ value) => { await present(sel); await p.selectOption(sel, value); },
      async shot(/** @type {string} */ sel, /** @type {string} */ file) { await p.locator(sel).screenshot({ path: file }); },
      /** Reads the clipboard from a web page (Chromium grants no permissions to extension origins). @param {string} webOrigin */
      async readClipboard(webOrigin) {
        await p.context().grantPermissions(['clipboard-read'], { origin: webOrigin });
        const reader = await p.context().newPage();
        try {
          await reader.goto(`${webOrigin}/`);
          await reader.bringToFront();
          return await reader.evaluate(() => navigator.clipboard.readText());
        } finally {
          await reader.close();
          await p.bringToFront();
        }
      },
      focusPage: () => p.bringToFront(),
    };
  }
  const wd = page.raw;
  const find = async (/** @type {string} */ sel) => {
    await present(sel);
    await page.eval(`document.querySelector(${js(sel)}).scrollIntoView({ block: 'center' })`);
    const v = await wd.req('POST', wd.s('/element'), { using: 'css selector', value: sel });
    return v[W3C_ELEMENT];
  };
  const click = async (/** @type {string} */ sel) => wd.req('POST', wd.s(`/element/${await find(sel)}/click`), {});
  return {
    click,
    async fill(/** @type {string} */ sel, /** @type {string} */ value) {
      const id = await find(sel);
      await wd.req('POST', wd.s(`/element/${id}/clear`), {});
      if (value) await wd.req('POST', wd.s(`/element/${id}/value`), { text: value });
    },
    select: (/** @type {string} */ sel, /** @type {string} */ value) => click(`${sel} option[value=${js(value)}]`),
    async shot(/** @type {string} */ sel, /** @type {string} */ file) {
      const id = await find(sel);
      fs.writeFileSync(file, Buffer.from(await wd.req('GET', wd.s(`/element/${id}/screenshot`)), 'base64'));
    },
    /** Reads the system clipboard from the privileged context (any web origin argument is not needed). */
    async readClipboard() {
      await wd.setContext('chrome');
      try {
        return await wd.exec(`
          const trans = Cc['@mozilla.org/widget/transferable;1'].createInstance(Ci.nsITransferable);
          trans.init(null);
          trans.addDataFlavor('text/plain');
          Services.clipboard.getData(trans, Services.clipboard.kGlobalClipboard,
            Services.wm.getMostRecentWindow('navigator:browser').browsingContext.currentWindowContext);
          const out = {};
          trans.getTransferData('text/plain', out);
          return out.value.QueryInterface(Ci.nsISupportsString).data;`);
      } finally {
        await wd.setContext('content');
      }
    },
    focusPage: async () => { await page.eval('1'); },
  };
}

/** Waits until a page reports `data-ready`, failing with its error text otherwise. @param {PageHandle} page */
export async function ready(page) {
  const r = await waitFor(page, `document.body && document.body.dataset.ready`);
  if (r !== '1') assert.fail(`the page failed to load: ${await page.eval(`document.getElementById('load-error')?.textContent`)}`);
}

/** Waits until the popup has rendered its alias lists. @param {PageHandle} page */
export async function popupReady(page) {
  await waitFor(page, `document.body && document.body.dataset.aliases === 'ready'`);
}

/** Reloads a page and waits for the new document (the old one is marked, so it cannot be mistaken for it). @param {PageHandle} page */
export async function reload(page) {
  await page.eval(`(() => { document.documentElement.dataset.stale = '1'; setTimeout(() => location.reload(), 0); return true; })()`);
  await waitFor(page, `document.readyState === 'complete' && document.documentElement.dataset.stale === undefined`);
}

/**
 * Sends a message to the background from an extension page, as the page's own code would
 * (`browser.runtime.sendMessage` in Firefox, `chrome.runtime.sendMessage` in Chromium), and
 * resolves with the reply.
 * @param {PageHandle} page @param {Record<string, unknown>} message
 */
export function sendFrom(page, message) {
  return page.eval(`(globalThis.browser ?? globalThis.chrome).runtime.sendMessage(${js(message)})`);
}
