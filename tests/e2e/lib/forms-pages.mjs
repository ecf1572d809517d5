// Helpers for the in-page alias button tests: trusted input at coordinates and keys in each
// browser (Playwright's mouse and keyboard in Chromium, WebDriver actions in Firefox: both
// produce events with isTrusted = true), waiting, the options and the popup's alias list.
import fs from 'node:fs';
import { after, before } from 'node:test';
import { launchBrowser } from './harness.mjs';
import { until } from './pages.mjs';
import { startServer } from './server.mjs';

/** Longest a condition is waited for (ms). */
export const WAIT_MS = 15000;
const BUTTON_JS = fs.readFileSync(new URL('../../../extension/content/forms/button.js', import.meta.url), 'utf8');
/**
 * The button's host elements: a `div` (extension/content/forms/button.js HOST_TAG) that is a
 * manual popover (the test pages have no popovers of their own).
 */
export const HOST_SELECTOR = `${/export const HOST_TAG = '([a-z-]+)'/.exec(BUTTON_JS)?.[1]}[popover="manual"]`;
/**
 * extension/content/forms/button.js INPUT_DELAY_MS: the button and the menu ignore clicks and
 * keys for this long after they appear or move.
 */
export const INPUT_DELAY_MS = Number(/export const INPUT_DELAY_MS = (\d+)/.exec(BUTTON_JS)?.[1]);
/**
 * How long trusted input waits before each click and key (ms): past INPUT_DELAY_MS, as a
 * person who reads the button or the menu before choosing. A wait, not a measured figure.
 */
export const HUMAN_PAUSE_MS = INPUT_DELAY_MS + 200;

const js = (/** @type {unknown} */ v) => JSON.stringify(v);
const W3C_ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
/** WebDriver key codes. */
const WD_KEYS = { Enter: '\uE007', ArrowDown: '\uE015', Escape: '\uE00C', End: '\uE010', Alt: '\uE00A' };

/**
 * Polls `expr` in the page until it is truthy and returns its value.
 * @param {import('./chrome.mjs').PageHandle} page @param {string} expr @param {string} [what]
 */
export function waitFor(page, expr, what = expr) {
  return until(() => page.eval(expr), what, WAIT_MS);
}

export const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/**
 * WebDriver actions for a click at viewport (x, y): one press, or two for a double-click.
 * @param {number} x @param {number} y @param {{ clickCount?: number }} [o]
 */
function clickActions(x, y, o = {}) {
  const press = [{ type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 }];
  return [{
    type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' },
    actions: [{ type: 'pointerMove', x: Math.round(x), y: Math.round(y), origin: 'viewport' }, ...press, ...(o.clickCount === 2 ? press : [])],
  }];
}

/**
 * Trusted input for one page. Each click at coordinates and each key waits HUMAN_PAUSE_MS
 * first (a person sees the button or the menu before choosing), unless `hasty` (an attack's
 * input, as fast as the page wants it).
 * @param {{ name: string }} browser
 * @param {import('./chrome.mjs').PageHandle} page
 * @param {{ hasty?: boolean }} [opts]
 */
export function input(browser, page, { hasty = false } = {}) {
  const pause = () => (hasty ? Promise.resolve() : sleep(HUMAN_PAUSE_MS));
  if (browser.name === 'chrome') {
    const p = page.raw;
    return {
      /** @param {number} x @param {number} y @param {{ clickCount?: number }} [o] */
      clickAt: async (x, y, o = {}) => { await pause(); await p.bringToFront(); await p.mouse.click(x, y, o); },
      /** @param {string} sel */
      click: async (sel) => { await p.bringToFront(); await p.click(sel); },
      /** @param {'Enter' | 'ArrowDown' | 'Escape' | 'End'} key @param {{ alt?: boolean }} [mods] */
      press: async (key, mods = {}) => { await pause(); await p.keyboard.press(mods.alt ? `Alt+${key}` : key); },
      /** @param {string} sel @param {string} text */
      fill: (sel, text) => p.fill(sel, text),
      /** @param {string} file @param {{ x: number, y: number, width: number, height: number }} [clip] */
      shot: (file, clip) => p.screenshot({ path: file, clip }),
    };
  }
  const wd = page.raw;
  /** @param {object[]} sources */
  const perform = async (sources) => {
    await page.eval('1'); // focus this page's window
    await wd.req('POST', wd.s('/actions'), { actions: sources });
    await wd.req('DELETE', wd.s('/actions'));
  };
  const find = async (/** @type {string} */ sel) => {
    const v = await wd.req('POST', wd.s('/element'), { using: 'css selector', value: sel });
    return v[W3C_ELEMENT];
  };
  return {
    /** @param {number} x @param {number} y @param {{ clickCount?: number }} [o] */
    clickAt: async (x, y, o = {}) => { await pause(); await perform(clickActions(x, y, o)); },
    /** @param {string} sel */
    click: async (sel) => { await page.eval('1'); await wd.req('POST', wd.s(`/element/${await find(sel)}/click`), {}); },
    /** @param {'Enter' | 'ArrowDown' | 'Escape' | 'End'} key @param {{ alt?: boolean }} [mods] */
    press: async (key, mods = {}) => { await pause(); await perform([{
      type: 'key', id: 'keyboard',
      actions: [
        ...(mods.alt ? [{ type: 'keyDown', value: WD_KEYS.Alt }] : []),
        { type: 'keyDown', value: WD_KEYS[key] }, { type: 'keyUp', value: WD_KEYS[key] },
        ...(mods.alt ? [{ type: 'keyUp', value: WD_KEYS.Alt }] : []),
      ],
    }]); },
    /** @param {string} sel @param {string} text */
    async fill(sel, text) {
      await page.eval('1'); // this page's window (an extension page opened since may have the focus)
      const id = await find(sel);
      await wd.req('POST', wd.s(`/element/${id}/clear`), {});
      if (text) await wd.req('POST', wd.s(`/element/${id}/value`), { text });
    },
    /** Firefox: the whole viewport (WebDriver has no clip). @param {string} file */
    shot: async (file) => { await page.eval('1'); fs.writeFileSync(file, Buffer.from(await wd.screenshot(), 'base64')); },
  };
}

/**
 * The rectangles of the drawn buttons (visible hosts), in viewport coordinates.
 * @param {import('./chrome.mjs').PageHandle} page
 * @returns {Promise<{ left: number, top: number, right: number, bottom: number, width: number, height: number }[]>}
 */
export function buttonRects(page) {
  return page.eval(`[...document.querySelectorAll(${js(HOST_SELECTOR)})]
    .filter((h) => getComputedStyle(h).visibility === 'visible')
    .map((h) => { const r = h.getBoundingClientRect(); return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height }; })`);
}

/** @param {import('./chrome.mjs').PageHandle} page @param {string} sel */
export function rectOf(page, sel) {
  return page.eval(`(() => { const r = document.querySelector(${js(sel)}).getBoundingClientRect(); return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height }; })()`);
}

/**
 * Waits until the content script answered the page's self-test box: it runs, and the
 * background answered it at least once (the form scan starts at the same time).
 * @param {import('./chrome.mjs').PageHandle} page
 */
export function contentScriptReady(page) {
  return waitFor(page, `(document.querySelector('[data-impalemail-selftest]')?.textContent ?? '').startsWith('ImpaleMail core')`, 'the content script');
}

/**
 * Sets the catch-all domain in the options page and makes catch-all the default source (a
 * fresh install's default is the temporary inbox, which needs a network the tests do not have).
 * @param {any} browser @param {string} domain @param {string} savedText the "saved" status
 */
export async function setCatchAll(browser, domain, savedText) {
  const page = await browser.openExtensionPage('ui/options.html');
  await waitFor(page, `document.body && document.body.dataset.ready === '1'`, 'the options page');
  await waitFor(page, `!!document.getElementById('catch_all_domain')`);
  const u = input(browser, page);
  await u.fill('#catch_all_domain', domain);
  // Catch-all as the default source: the core checks it has its domain when saving.
  await page.eval(`document.getElementById('default_generator').value = 'catch-all'`);
  await u.click('#save');
  await waitFor(page, `(document.getElementById('save-status')?.textContent ?? '') === ${js(savedText)}`, 'the options to save');
  await page.close();
}

/**
 * The addresses the popup lists for the site of `url` (through `alias.list`).
 * @param {any} browser @param {string} url
 * @returns {Promise<string[]>}
 */
export async function popupAddresses(browser, url) {
  const page = await browser.openExtensionPage(`ui/popup.html?for=${encodeURIComponent(url)}`);
  await waitFor(page, `document.body && document.body.dataset.aliases === 'ready'`, 'the popup');
  const list = await page.eval(`[...document.querySelectorAll('#site-list li.alias .address')].map((e) => e.textContent)`);
  await page.close();
  return list;
}

/**
 * The URLs of every open tab.
 * @param {any} browser
 * @param {import('./chrome.mjs').PageHandle} page any page of the browser
 * @returns {Promise<string[]>}
 */
export async function tabUrls(browser, page) {
  if (browser.name === 'chrome') return page.raw.context().pages().map((/** @type {any} */ p) => p.url());
  const wd = page.raw;
  const urls = [];
  for (const h of await wd.handles()) {
    await wd.switchTo(h);
    urls.push(await wd.url());
  }
  return urls; // page handles switch back to their own window on their next call
}

/**
 * An expression for the rectangles of the visible button hosts in `doc` (a document
 * expression), or null when none is visible.
 * @param {string} [doc]
 */
export const visibleHosts = (doc = 'document') =>
  `(() => { const r = [...${doc}.querySelectorAll(${js(HOST_SELECTOR)})].filter((h) => getComputedStyle(h).visibility === 'visible'); return r.length ? r.map((h) => h.getBoundingClientRect().toJSON()) : null; })()`;

/** Centre of a rectangle. @param {{ left: number, top: number, width: number, height: number }} r */
export const centre = (r) => [r.left + r.width / 2, r.top + r.height / 2];

/**
 * The names of the open menu's items, from Chromium's accessibility tree (which includes
 * closed shadow roots) of the page or of one of its frames (an out-of-process one too);
 * null in Firefox.
 * @param {{ name: string }} browser @param {import('./chrome.mjs').PageHandle} page @param {any} [frame]
 * @returns {Promise<string[] | null>}
 */
export async function menuItemNames(browser, page, frame) {
  if (browser.name !== 'chrome') return null;
  const cdp = await page.raw.context().newCDPSession(frame ?? page.raw);
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    return nodes.filter((/** @type {any} */ n) => n.role?.value === 'menuitem' && !n.ignored).map((/** @type {any} */ n) => n.name?.value ?? '');
  } finally {
    await cdp.detach();
  }
}

/**
 * Evaluates in a cross-origin iframe (found by its selector in the top document): Playwright's
 * frame in Chromium, WebDriver's "switch to frame" in Firefox.
 * @param {{ name: string }} browser @param {import('./chrome.mjs').PageHandle} page @param {string} sel
 */
export function frameOf(browser, page, sel) {
  if (browser.name === 'chrome') {
    const frame = async () => {
      const el = await page.raw.$(sel);
      const f = el && (await el.contentFrame());
      if (!f) throw new Error(`no frame ${sel}`);
      return f;
    };
    return {
      /** @param {string} expr */
      eval: async (expr) => (await frame()).evaluate(expr),
      raw: frame,
    };
  }
  const wd = page.raw;
  return {
    /** @param {string} expr */
    async eval(expr) {
      await page.eval('1'); // this page's window, top frame
      const el = await wd.req('POST', wd.s('/element'), { using: 'css selector', value: sel });
      await wd.req('POST', wd.s('/frame'), { id: el });
      try {
        return await wd.exec(`return (${expr});`);
      } finally {
        await wd.req('POST', wd.s('/frame/parent'), {});
      }
    },
    raw: async () => null,
  };
}

/**
 * Trusted clicks and keys in an iframe (found by its selector in the top document), at the
 * frame's own viewport coordinates. Chromium: Playwright's mouse at the frame's offset in the
 * page. Firefox: WebDriver actions performed with the frame as the current browsing context;
 * actions performed from the top document at page coordinates do not reach an out-of-process
 * (cross-origin, Fission) frame in headless Firefox ESR 140: the click lands nowhere.
 * @param {{ name: string }} browser @param {import('./chrome.mjs').PageHandle} page @param {string} sel
 */
export function frameInput(browser, page, sel) {
  const offset = () => page.eval(`(() => { const f = document.querySelector(${js(sel)}); const r = f.getBoundingClientRect(); return { left: r.left + f.clientLeft, top: r.top + f.clientTop }; })()`);
  if (browser.name === 'chrome') {
    const u = input(browser, page);
    return {
      /** @param {number} x @param {number} y */
      clickAt: async (x, y) => { const o = await offset(); await u.clickAt(o.left + x, o.top + y); },
      /** @param {'Enter' | 'ArrowDown' | 'Escape' | 'End'} key */
      press: (key) => u.press(key),
    };
  }
  const wd = page.raw;
  const pause = () => sleep(HUMAN_PAUSE_MS);
  /** @param {object[]} sources */
  const perform = async (sources) => {
    await page.eval('1'); // this page's window, top frame
    const el = await wd.req('POST', wd.s('/element'), { using: 'css selector', value: sel });
    await wd.req('POST', wd.s('/frame'), { id: el });
    try {
      await wd.req('POST', wd.s('/actions'), { actions: sources });
      await wd.req('DELETE', wd.s('/actions'));
    } finally {
      await wd.req('POST', wd.s('/frame/parent'), {});
    }
  };
  return {
    /** @param {number} x @param {number} y @param {{ clickCount?: number }} [o] */
    clickAt: async (x, y, o = {}) => { await pause(); await perform(clickActions(x, y, o)); },
    /** @param {'Enter' | 'ArrowDown' | 'Escape' | 'End'} key */
    press: async (key) => { await pause(); await perform([{ type: 'key', id: 'keyboard', actions: [{ type: 'keyDown', value: WD_KEYS[key] }, { type: 'keyUp', value: WD_KEYS[key] }] }]); },
  };
}

/**
 * Polls `expr` in a frame until it is truthy.
 * @param {{ eval(expr: string): Promise<any> }} frame @param {string} expr @param {string} [what]
 */
export async function waitInFrame(frame, expr, what = expr) {
  return waitFor(/** @type {any} */ ({ eval: (/** @type {string} */ e) => frame.eval(e) }), expr, what);
}

/** @typedef {Awaited<ReturnType<typeof launchBrowser>>} Browser a launched browser with the extension */
/** @typedef {Awaited<ReturnType<typeof startServer>>} Site the test site's server */

/** The catch-all domain the alias button tests make their aliases at (no network needed). */
export const FORMS_CATCH_ALL = 'aliases.example.test';
const EN_MESSAGES = JSON.parse(fs.readFileSync(new URL('../../../extension/_locales/en/messages.json', import.meta.url), 'utf8'));

/**
 * The test site (tests/site, with `server`'s extra routes) and a browser whose default alias
 * source is catch-all at FORMS_CATCH_ALL, for one `describe` block of a forms e2e file:
 * `before` starts both and hands them to `ready`; `after` closes them.
 * @param {string} name the browser
 * @param {Parameters<typeof startServer>[0]} server
 * @param {(browser: Browser, site: Site) => void | Promise<void>} ready
 */
export function useFormsBed(name, server, ready) {
  /** @type {Browser | undefined} */ let browser;
  /** @type {Site | undefined} */ let site;
  before(async () => {
    site = await startServer(server);
    browser = await launchBrowser(name);
    await setCatchAll(browser, FORMS_CATCH_ALL, EN_MESSAGES.optSaved.message);
    await ready(browser, site);
  });
  after(async () => {
    await browser?.close();
    site?.close();
  });
}
