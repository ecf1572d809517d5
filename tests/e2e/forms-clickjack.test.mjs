// DOM-based extension clickjacking against the alias button, in each browser (issue 27, #1).
//
// Each test is one attack of a page that wants an alias the user did not choose (it reads it
// from the field as it is filled): the page hides or fades the button, the menu or the form,
// lays its own decoy over them, moves the menu under a click, or has the user press Enter
// right after the menu opened. The user's input is trusted (Playwright's mouse and keyboard,
// WebDriver actions). Each test then checks that nothing was filled and no alias was made, and
// then, with the attack stopped, that the same button still makes an alias for a user who sees
// it and chooses "New alias": so a test whose attack did not reach the button fails.
//
// The page's script is played through page.eval (the page's own world, as a script of the
// page would run). The menu's geometry (where "New alias" is under the button) is the demo's
// (tests/e2e/lib/demo.mjs NEW_ALIAS_ITEM).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { BROWSERS } from './lib/harness.mjs';
import { buttonRects, centre, contentScriptReady, HOST_SELECTOR, HUMAN_PAUSE_MS, input, popupAddresses, sleep, useFormsBed, waitFor } from './lib/forms-pages.mjs';
import { until } from './lib/pages.mjs';
import { SITE_DIR, STRICT_CSP } from './lib/server.mjs';

/** Where "New alias" is, from the button's bottom right corner (CSS px; lib/demo.mjs). */
const NEW_ALIAS_ITEM = { dx: -100, dy: 50 };
/**
 * How long a page is given after the attack's input before "nothing happened" is checked
 * (ms): one creation round trip takes a few ms. A wait, not a measured figure.
 */
const SETTLE_MS = 1500;
const js = (/** @type {unknown} */ v) => JSON.stringify(v);
/**
 * Ways a page hides an element other than opacity, as [property, value] pairs set together
 * (issue 27: visibility, clip-path, mask, filter, transform, size, colour, blending,
 * content-visibility).
 * @type {[string, [string, string][]][]}
 */
const HIDE = [
  ['visibility: hidden', [['visibility', 'hidden']]],
  ['clip-path: inset(50%)', [['clip-path', 'inset(50%)']]],
  ['mask-image: a transparent gradient', [['mask-image', 'linear-gradient(transparent, transparent)']]],
  ['filter: blur(8px)', [['filter', 'blur(8px)']]],
  ['filter: brightness(0)', [['filter', 'brightness(0)']]],
  ['filter: contrast(0)', [['filter', 'contrast(0)']]],
  ['transform: scale(0.01)', [['transform', 'scale(0.01)']]],
  ['transform: an off-screen translate', [['transform', 'translate(-5000px, -5000px)']]],
  ['mix-blend-mode: screen (white on white)', [['mix-blend-mode', 'screen']]],
  ['content-visibility: hidden', [['content-visibility', 'hidden']]],
];
/** What the host's computed style is checked for (the properties HIDE and the host's size use). */
const HIDING = ['visibility', 'clip-path', 'mask-image', 'filter', 'transform', 'mix-blend-mode', 'content-visibility', 'opacity',
  'width', 'height', 'color', 'background-color', 'zoom'];
const EMAIL = `document.getElementById('email').value`;

/**
 * The demo site's signup page (tests/site/signup.html), for the host-tag test with a script
 * that runs before the content script.
 * @param {string} head
 */
const signup = (head = '') => fs.readFileSync(path.join(SITE_DIR, 'signup.html'), 'utf8').replace('</head>', `${head}</head>`);

// Defines the button's old host tag before the content script runs, attaching a shadow root
// in its constructor (so nobody else can).
const DEFINE = `customElements.define('impalemail-alias-button', class extends HTMLElement {
  constructor() { super(); this.attachShadow({ mode: 'open' }); document.documentElement.dataset.defined = 'constructed'; }
});`;

/**
 * The page's attacks (run in the page). Each keeps itself applied against our repairs (a
 * MutationObserver that sets it again) until `window.__attack.stop()`.
 */
const ATTACKS = () => `(() => {
window.__attack = { stops: [], stop() { for (const s of this.stops) s(); this.stops = []; } };
window.__host = () => [...document.querySelectorAll(${js(HOST_SELECTOR)})].find((h) => h.id !== 'decoy');
/** Keeps an inline style on an element: sets it now and after every change. */
window.__keep = (el, prop, value) => {
  // (What the browser makes of the value, which may be written differently: compared with
  // that, so that setting it does not wake the observer for ever.)
  let kept;
  const set = () => {
    if (kept !== undefined && el.style.getPropertyValue(prop) === kept) return;
    el.style.setProperty(prop, value, 'important');
    kept = el.style.getPropertyValue(prop);
  };
  set();
  const mo = new MutationObserver(set);
  mo.observe(el, { attributes: true });
  window.__attack.stops.push(() => { mo.disconnect(); el.style.removeProperty(prop); });
};
/** A style sheet of the page's (CSSOM: the page's CSP refuses <style> elements). */
window.__sheet = (css) => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  window.__attack.stops.push(() => { document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet); });
};
/** The host's computed values of the properties that can hide it. */
window.__drawn = () => { const cs = getComputedStyle(window.__host()); return Object.fromEntries(${js(HIDING)}.map((p) => [p, cs.getPropertyValue(p)])); };
/** A decoy over the button (and well around it: a page that scrolls a little) that clicks go through. */
window.__decoy = (popover) => {
  const r = window.__host().getBoundingClientRect();
  const d = document.createElement('div');
  d.id = 'decoy';
  d.textContent = 'Play';
  Object.assign(d.style, { position: 'fixed', left: (r.left - 40) + 'px', top: (r.top - 80) + 'px', width: '200px', height: '240px',
    background: 'rgb(200, 0, 0)', color: '#fff', pointerEvents: 'none', zIndex: '2147483647', margin: '0', border: '0', inset: 'auto' });
  d.style.left = (r.left - 40) + 'px';
  d.style.top = (r.top - 80) + 'px';
  document.body.append(d);
  if (popover) { d.popover = 'manual'; d.showPopover(); }
  window.__attack.stops.push(() => d.remove());
};
/** Moves the form by (dx, dy) on the next click anywhere (capture: before ours sees it). */
window.__moveOnClick = (dx, dy) => {
  window.addEventListener('click', () => { document.getElementById('signup').style.transform = 'translate(' + dx + 'px, ' + dy + 'px)'; }, { capture: true, once: true });
  window.__attack.stops.push(() => { document.getElementById('signup').style.transform = ''; });
};
return true;
})()`;

for (const name of BROWSERS) {
  describe(`clickjacking the alias button in ${name}`, () => {
    /** @type {import('./lib/forms-pages.mjs').Browser} */ let browser;
    /** @type {import('./lib/forms-pages.mjs').Site} */ let site;
    const html = (/** @type {string} */ body) => (/** @type {any} */ _req, /** @type {any} */ res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': STRICT_CSP, 'cache-control': 'no-store' });
      res.end(body);
    };
    useFormsBed(name, {
      routes: {
        '/cj.html': html(signup()),
        '/defined.html': html(signup('<script src="/define.js"></script>')),
        '/define.js': (_req, res) => { res.writeHead(200, { 'content-type': 'text/javascript' }); res.end(DEFINE); },
      },
    }, (b, s) => { browser = b; site = s; });

    /**
     * Opens the page with the attacks' helpers, waits for the button; returns it, the user's
     * input (at a person's pace), the attacker's (at once) and how many aliases the site had.
     * @param {string} [file]
     */
    async function open(file = 'cj.html') {
      const url = `${site.origin}/${file}`;
      const page = await browser.open(url);
      await contentScriptReady(page);
      // Pushed down (through CSSOM: the page's CSP refuses style attributes), so that a menu
      // the page moves up stays in view.
      await page.eval(`(document.body.style.margin = '160px 40px', true)`);
      await waitFor(page, `(() => { const h = document.querySelectorAll(${js(HOST_SELECTOR)}); return h.length === 1 && getComputedStyle(h[0]).visibility === 'visible' && h[0].getBoundingClientRect().top > 160; })()`, 'the button, below the margin');
      await page.eval(ATTACKS());
      const [rect] = await buttonRects(page);
      const aliases = (await popupAddresses(browser, url)).length;
      return { url, page, rect, aliases, u: input(browser, page), hasty: input(browser, page, { hasty: true }) };
    }

    /**
     * Nothing was filled and no alias made; then, with the attack stopped, a user who sees
     * the button and chooses "New alias" gets one (the attack did reach a working button).
     * @param {Awaited<ReturnType<typeof open>>} t @param {string} what
     * @param {() => Promise<void>} [honest] the user's choice (default: click the button, ArrowDown, Enter)
     */
    async function nothingThenHonest(t, what, honest) {
      await sleep(SETTLE_MS);
      assert.equal(await t.page.eval(EMAIL), '', `${what}: nothing was filled`);
      assert.equal((await popupAddresses(browser, t.url)).length, t.aliases, `${what}: no alias was made`);
      await t.page.eval('window.__attack.stop(), true');
      if (honest) await honest();
      else {
        // The user goes to the field (a field the attack hid gets its button back then); the
        // button where it settles once the attack is gone (the same place twice in a row),
        // its menu closed if the attack left it open.
        await t.u.click('#email');
        const where = `(() => { const h = window.__host(); return h && getComputedStyle(h).visibility === 'visible' ? JSON.stringify(h.getBoundingClientRect()) : null; })()`;
        const rect = JSON.parse(await until(async () => {
          const a = await t.page.eval(where);
          await sleep(HUMAN_PAUSE_MS);
          return a && a === (await t.page.eval(where)) ? a : null;
        }, 'the button to settle'));
        await t.u.press('Escape');
        await t.u.clickAt(...centre(rect));
        await t.u.press('ArrowDown');
        await t.u.press('Enter');
      }
      assert.match(await waitFor(t.page, EMAIL, 'the honest choice to fill the field'), /@aliases\.example\.test$/);
      assert.equal((await popupAddresses(browser, t.url)).length, t.aliases + 1, 'one alias, the chosen one');
      await t.page.close();
    }

    /** The user clicks the button and chooses "New alias" from the keyboard, at a person's pace. */
    async function choose(/** @type {Awaited<ReturnType<typeof open>>} */ t) {
      await t.u.clickAt(...centre(t.rect));
      await t.u.press('ArrowDown');
      await t.u.press('Enter');
    }

    test('opacity 0 on the host (kept by the page) and a decoy with pointer-events: none over it', async () => {
      const t = await open();
      await t.page.eval(`(window.__keep(window.__host(), 'opacity', '0'), window.__decoy(false), true)`);
      await choose(t);
      await nothingThenHonest(t, 'host at opacity 0');
    });

    test('opacity 0 on the host once the menu is open (the menu fades with it)', async () => {
      const t = await open();
      await t.u.clickAt(...centre(t.rect));
      await t.page.eval(`(window.__keep(window.__host(), 'opacity', '0.05'), true)`);
      await t.u.press('ArrowDown');
      await t.u.press('Enter');
      await nothingThenHonest(t, 'menu at opacity 0.05');
    });

    test("opacity 0.01 on the field's form", async () => {
      const t = await open();
      await t.page.eval(`(window.__keep(document.getElementById('signup'), 'opacity', '0.01'), true)`);
      await choose(t);
      await nothingThenHonest(t, 'form at opacity 0.01');
    });

    for (const el of ['documentElement', 'body']) {
      test(`opacity 0.1 on ${el === 'body' ? 'body' : 'html'} (filter: opacity() as well)`, async () => {
        const t = await open();
        await t.page.eval(`(window.__keep(document.${el}, 'filter', 'opacity(0.1)'), window.__keep(document.${el}, 'opacity', '0.5'), true)`);
        await choose(t);
        await nothingThenHonest(t, `${el} faded`);
      });
    }

    test("the page's own popover with pointer-events: none shown over the open menu just before the click", async () => {
      const t = await open();
      await t.u.clickAt(...centre(t.rect)); // the menu opens, and the user has seen it
      await sleep(HUMAN_PAUSE_MS);
      // The page puts its decoy in the top layer over the menu; the user clicks the decoy at
      // once, where "New alias" is under it. (Ours goes back on top, but only just.)
      await t.page.eval(`(window.__decoy(true), true)`);
      await t.hasty.clickAt(t.rect.right + NEW_ALIAS_ITEM.dx, t.rect.bottom + NEW_ALIAS_ITEM.dy);
      // Ours is above the page's popover now: a user who sees it can use it.
      await nothingThenHonest(t, 'popover decoy');
    });

    /**
     * Whether our host is drawn above the decoy at the button's centre (where it is now: an
     * arrow key the menu did not take scrolls the page), the decoy hit-testable for the question.
     */
    const onTop = (/** @type {Awaited<ReturnType<typeof open>>} */ t) => t.page.eval(`(() => {
      const d = document.getElementById('decoy'); d.style.pointerEvents = 'auto';
      const r = window.__host().getBoundingClientRect();
      const [x, y] = [r.left + r.width / 2, r.top + r.height / 2];
      const top = document.elementsFromPoint(x, y)[0];
      d.style.pointerEvents = 'none';
      const dr = d.getBoundingClientRect();
      if (!(x > dr.left && x < dr.right && y > dr.top && y < dr.bottom)) throw new Error('the decoy does not cover the button');
      return top === window.__host(); })()`);

    test('a decoy with pointer-events: none and the highest z-index over the button stays under it', async () => {
      const t = await open();
      await t.page.eval(`(window.__decoy(false), true)`);
      assert.equal(await onTop(t), true, 'our button is drawn above the decoy');
      // The user sees our button over the page's decoy and chooses: that works, decoy and all.
      await choose(t);
      assert.match(await waitFor(t.page, EMAIL, 'the choice to fill the field'), /@aliases\.example\.test$/);
      assert.equal((await popupAddresses(browser, t.url)).length, t.aliases + 1, 'one alias, the chosen one');
      await t.page.close();
    });

    test("the page's own popover with pointer-events: none shown over the button just before the click", async () => {
      const t = await open();
      // The page puts its decoy in the top layer over the button; the user clicks the decoy
      // at once where the button is under it, and presses ArrowDown, Enter.
      await t.page.eval(`(window.__decoy(true), true)`);
      await t.hasty.clickAt(...centre(t.rect));
      await t.hasty.press('ArrowDown');
      await t.hasty.press('Enter');
      // Ours goes back on top (and waits again from then).
      await until(() => onTop(t), 'our button back above the popover');
      await nothingThenHonest(t, 'popover decoy over the button');
    });

    test('the field moved between two clicks: the menu moves under the second click', async () => {
      const t = await open();
      await t.u.clickAt(...centre(t.rect)); // the menu opens
      // The page moves the form so that "New alias" lands where the user is about to click.
      const target = centre(t.rect);
      const [dx, dy] = [target[0] - (t.rect.right + NEW_ALIAS_ITEM.dx), target[1] - (t.rect.bottom + NEW_ALIAS_ITEM.dy)];
      await t.page.eval(`(document.getElementById('signup').style.transform = 'translate(${dx}px, ${dy}px)', true)`);
      await waitFor(t.page, `Math.abs(window.__host().getBoundingClientRect().top - ${t.rect.top + dy}) < 2`, 'the button to follow the field');
      await t.hasty.clickAt(...target);
      // The menu is still open where it moved: a user who sees it there and clicks gets it.
      await nothingThenHonest(t, 'moved menu', () => t.u.clickAt(...target));
    });

    test('a double-click: the first click opens the menu, the page moves it under the second', async () => {
      const t = await open();
      const target = centre(t.rect);
      const [dx, dy] = [target[0] - (t.rect.right + NEW_ALIAS_ITEM.dx), target[1] - (t.rect.bottom + NEW_ALIAS_ITEM.dy)];
      await t.page.eval(`(window.__moveOnClick(${dx}, ${dy}), true)`);
      await sleep(HUMAN_PAUSE_MS); // the button has been there a while: the first click opens the menu
      await t.hasty.clickAt(...target, { clickCount: 2 });
      await nothingThenHonest(t, 'double-click');
    });

    test('Enter (and ArrowDown, Enter) right after the click that opened the menu', async () => {
      const t = await open();
      await t.u.clickAt(...centre(t.rect));
      await t.hasty.press('Enter'); // the menu itself has the focus: nothing
      await t.hasty.press('ArrowDown');
      await t.hasty.press('Enter'); // "New alias" has the focus, but the menu is too new
      await nothingThenHonest(t, 'Enter right after opening', () => t.u.press('Enter'));
    });

    // Our host: its styles are `!important` inline (which beats any rule of the page's) and
    // in the closed shadow root's `:host` rule (whose `!important` beats the page's inline
    // `!important`), so the page changes nothing of how it is drawn; a page that changes the
    // host's attributes makes the click wait anyway.
    const ON_HOST = [...HIDE, ['a tiny size', [['width', '1px'], ['height', '1px']]],
      ['colour and background matching the page', [['color', 'rgb(255, 255, 255)'], ['background-color', 'rgb(255, 255, 255)']]],
      ['zoom: 0.01', [['zoom', '0.01']]]];
    test("a page style sheet with !important on the host's every hiding property draws it no differently", async () => {
      const t = await open();
      const drawn = await t.page.eval('window.__drawn()');
      const rules = ON_HOST.flatMap(([, decl]) => decl.map(([p, v]) => `${p}: ${v} !important;`)).join(' ');
      await t.page.eval(`(window.__sheet(${js(`div, div[popover]:popover-open, body > div:last-child { ${rules} }`)}), true)`);
      assert.deepEqual(await t.page.eval('window.__drawn()'), drawn, "the host's computed style is ours");
      // The user sees the button as it was, and chooses: that works with the page's sheet on.
      await choose(t);
      assert.match(await waitFor(t.page, EMAIL, 'the choice to fill the field'), /@aliases\.example\.test$/);
      assert.equal((await popupAddresses(browser, t.url)).length, t.aliases + 1, 'one alias, the chosen one');
      await t.page.close();
    });

    for (const [what, decl] of ON_HOST) {
      test(`${what} inline (!important, kept by the page) on the host`, async () => {
        const t = await open();
        const drawn = await t.page.eval('window.__drawn()');
        await t.page.eval(`(${js(decl)}.forEach(([p, v]) => window.__keep(window.__host(), p, v)), true)`);
        await sleep(HUMAN_PAUSE_MS);
        // The shadow root's important rule beats the page's important inline style.
        assert.deepEqual(await t.page.eval('window.__drawn()'), drawn, "the host's computed style is ours");
        await choose(t);
        await nothingThenHonest(t, `${what} on the host`);
      });
    }

    // The field's ancestors (the form, its label) and the field: the page's to style, so a
    // click acts only while they are drawn. (Whatever hides the field whole hides the button.)
    const ON_FIELD = [...HIDE.map(([what, decl]) => /** @type {[string, string, [string, string][]]} */ ([what, '#signup', decl])),
      ['opacity 0.05 on the label around the field', '#signup > label:first-of-type', [['opacity', '0.05']]],
      ['a tiny size', '#email', [['width', '4px'], ['height', '4px']]],
      ['invert(0.5) on body (every colour one grey)', 'body', [['filter', 'invert(0.5)']]]];
    for (const [what, sel, decl] of ON_FIELD) {
      test(`${what} on ${sel} (a page style sheet, !important)`, async () => {
        const t = await open();
        await t.page.eval(`(window.__sheet(${js(`${sel} { ${decl.map(([p, v]) => `${p}: ${v} !important;`).join(' ')} }`)}), true)`);
        await choose(t);
        await nothingThenHonest(t, `${what} on ${sel}`);
      });
    }

    test('a page that defines the old host tag first learns nothing and breaks nothing', async () => {
      const t = await open('defined.html');
      assert.equal(await t.page.eval(`document.documentElement.dataset.defined ?? 'never'`), 'never', 'no element of that name was made');
      await nothingThenHonest(t, 'defined tag', () => choose(t));
    });
  });
}
