// Accessibility, checked by a machine, in each browser: axe-core (npm `axe-core`) over the
// popup, the options page and the welcome page, light and dark (the browser's colour scheme),
// and over the in-page alias button with its menu open and the verdict badges of every look,
// on a light and on a dark page. The in-page components live in closed shadow roots, which axe
// cannot enter: they are drawn from the same modules on a test page with open roots
// (tests/e2e/lib/components.mjs). Every violation axe finds is printed; the test fails on any
// serious or critical one.
//
// And a keyboard-only walkthrough: the welcome page's first-run path (the way addresses are
// made, saved; an alias made in its try-it form) and the pages' focus rings; the alias fill from
// the in-page button on the demo signup page (Alt+ArrowDown in the field, ArrowDown, Enter; the
// menu ignores keys for INPUT_DELAY_MS after it appears, and each key waits HUMAN_PAUSE_MS);
// the verdict details opened from the badge; the focus visible at every stop; the badge's
// verdict in one polite live region, said once.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { BADGE_PALETTE, MENU_PALETTE } from '../../extension/content/scheme.js';
import { componentRoutes } from './lib/components.mjs';
import { HUMAN_PAUSE_MS, buttonRects, contentScriptReady, setCatchAll, sleep } from './lib/forms-pages.mjs';
import { BROWSERS, launchBrowser } from './lib/harness.mjs';
import { js, msg, ready, sendFrom, until, waitFor } from './lib/pages.mjs';
import { startServer } from './lib/server.mjs';

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** Impacts that fail the test (axe's own scale: minor, moderate, serious, critical). */
const FAILING_IMPACTS = ['serious', 'critical'];
/** Most Tab presses a walk through one page takes before it is called a trap. */
const MAX_TAB_STOPS = 60;
const CATCH_ALL = 'a11y.example';

/** `#rrggbb` as the browsers compute it. @param {string} hex */
const computed = (hex) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

/**
 * Runs axe over the page (its whole document, open shadow roots included) and returns the
 * violations, printing every one with its impact and where.
 * @param {any} page @param {string} what
 */
async function axe(page, what) {
  await page.eval(`(() => { if (!window.axe) { ${AXE_SOURCE}\n } return typeof window.axe; })()`);
  const violations = JSON.parse(await page.eval(`window.axe.run(document, { resultTypes: ['violations'] })
    .then((r) => JSON.stringify(r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ') + (n.failureSummary ? ': ' + n.failureSummary.replace(/\\s+/g, ' ') : '')) }))))`));
  const line = violations.map((/** @type {any} */ v) => `${v.impact} ${v.id} (${v.nodes.length})`).join(', ') || 'none';
  console.log(`axe ${what}: ${line}`);
  for (const v of violations) console.log(`  ${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.slice(0, 5).join('\n    ')}`);
  return violations.filter((/** @type {any} */ v) => FAILING_IMPACTS.includes(v.impact));
}

/**
 * The browser's colour scheme for extension pages and sites: Chromium emulates it per page,
 * Firefox through its content override preference.
 * @param {any} browser @param {any} page @param {'light' | 'dark'} scheme
 */
async function useScheme(browser, page, scheme) {
  if (browser.name === 'chrome') return page.raw.emulateMedia({ colorScheme: scheme });
  const wd = browser.wd;
  await wd.setContext('chrome');
  try {
    await wd.exec(`Services.prefs.setIntPref('layout.css.prefers-color-scheme.content-override', arguments[0]);`, [scheme === 'dark' ? 0 : 1]);
  } finally {
    await wd.setContext('content');
  }
}

/** Trusted keys: Playwright's keyboard, WebDriver actions. @param {any} browser @param {any} page */
function keys(browser, page) {
  const WD = { Tab: '\uE004', Enter: '\uE007', Space: '\uE00D', ArrowDown: '\uE015', Escape: '\uE00C', Alt: '\uE00A', Shift: '\uE008' };
  return async (/** @type {keyof typeof WD} */ key, /** @type {{ alt?: boolean, pause?: boolean }} */ o = {}) => {
    if (o.pause) await sleep(HUMAN_PAUSE_MS);
    if (browser.name === 'chrome') await page.raw.bringToFront();
    if (browser.name === 'chrome') return page.raw.keyboard.press(`${o.alt ? 'Alt+' : ''}${key === 'Space' ? ' ' : key}`);
    await page.eval('1');
    const wd = page.raw;
    const mod = o.alt ? [{ type: 'keyDown', value: WD.Alt }] : [];
    await wd.req('POST', wd.s('/actions'), { actions: [{ type: 'key', id: 'kb', actions: [...mod, { type: 'keyDown', value: WD[key] }, { type: 'keyUp', value: WD[key] }, ...(o.alt ? [{ type: 'keyUp', value: WD.Alt }] : [])] }] });
    await wd.req('DELETE', wd.s('/actions'));
  };
}

/**
 * What has the focus (into open shadow roots; numbered in a data attribute the first time, to
 * tell stops of the same kind apart), and whether it shows: it matches :focus-visible and
 * draws an outline or a ring.
 */
const FOCUSED = `(() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body) return null;
  const cs = getComputedStyle(el);
  const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none';
  const root = document.documentElement;
  if (!el.dataset.stop) el.dataset.stop = root.dataset.stops = String(Number(root.dataset.stops || 0) + 1);
  return { stop: el.dataset.stop, id: el.id || el.className || el.tagName, tag: el.tagName, visible: el.matches(':focus-visible') && ring };
})()`;

/**
 * Presses Tab through the page until the focus comes back where it started or leaves it,
 * returning every stop.
 * @param {any} press @param {any} page
 */
async function tabThrough(press, page) {
  const stops = [];
  for (let i = 0; i < MAX_TAB_STOPS; i++) {
    await press('Tab');
    const f = await page.eval(FOCUSED);
    if (!f || stops.some((s) => s.stop === f.stop)) break;
    stops.push(f);
  }
  return stops;
}

for (const name of BROWSERS) {
  describe(`accessibility (${name})`, () => {
    /** @type {any} */ let browser;
    /** @type {Awaited<ReturnType<typeof startServer>>} */ let site;

    before(async () => {
      site = await startServer({ routes: componentRoutes });
      browser = await launchBrowser(name, { keepWelcome: true });
      await browser.closeTabsEndingWith('/ui/welcome.html');
      await formsEnabled(false);
    });
    after(async () => {
      await browser?.close();
      site?.close();
    });

    /**
     * The extension's own button off (until the walkthrough on the signup page): on the
     * components page it would draw a second button on the field and take its keys.
     * @param {boolean} enabled
     */
    async function formsEnabled(enabled) {
      const options = await browser.openExtensionPage('ui/options.html');
      const r = await sendFrom(options, { type: 'forms.setEnabled', enabled });
      assert.equal(r.ok, true, JSON.stringify(r.error));
      await options.close();
    }

    for (const scheme of /** @type {const} */ (['light', 'dark'])) {
      test(`axe: the popup, the options page and the welcome page (${scheme}): no serious or critical violation`, async () => {
        const failing = [];
        for (const [rel, readyExpr] of [
          ['ui/popup.html', `document.body && document.body.dataset.ready === '1'`],
          ['ui/options.html', `document.body && document.body.dataset.ready === '1'`],
          ['ui/welcome.html', `document.body && document.body.dataset.ready === '1'`],
        ]) {
          const page = await browser.openExtensionPage(rel);
          await useScheme(browser, page, scheme);
          await waitFor(page, readyExpr);
          const bg = await page.eval(`getComputedStyle(document.documentElement).backgroundColor`);
          assert.equal(bg, scheme === 'dark' ? 'rgb(28, 29, 33)' : 'rgb(255, 255, 255)', `${rel} follows the ${scheme} scheme`);
          failing.push(...(await axe(page, `${rel} (${scheme})`)).map((/** @type {any} */ v) => `${rel}: ${v.impact} ${v.id}: ${v.nodes.join('; ')}`));
          await page.close();
        }
        await useScheme(browser, null, 'light').catch(() => {});
        assert.deepEqual(failing, []);
      });

      test(`axe: the in-page button's menu and the badges on a ${scheme} page: no serious or critical violation, the page's scheme`, async () => {
        const page = await browser.open(`${site.origin}/components.html?scheme=${scheme}`);
        await waitFor(page, `document.body.dataset.ready === '1'`);
        assert.equal(await page.eval(`components.openMenu()`), true, 'the menu opens');
        const p = MENU_PALETTE[scheme];
        assert.equal(await page.eval(`getComputedStyle(components.button.menu).backgroundColor`), computed(p.bg), 'the menu takes the page\'s scheme');
        assert.equal(await page.eval(`getComputedStyle(components.badges[0].host.shadowRoot.querySelector('.box')).backgroundColor`), computed(BADGE_PALETTE[scheme].okBg), 'the badge takes the page\'s scheme');
        const failing = await axe(page, `menu and badges (${scheme} page)`);
        assert.deepEqual(failing.map((/** @type {any} */ v) => `${v.impact} ${v.id}: ${v.nodes.join('; ')}`), []);
        await page.close();
      });
    }

    test('keyboard: the menu and the verdict details, every stop with a visible focus; the badge says its verdict once, politely', async () => {
      const page = await browser.open(`${site.origin}/components.html?scheme=dark`);
      await waitFor(page, `document.body.dataset.ready === '1'`);
      const press = keys(browser, page);
      await page.eval(`components.button.position(), document.getElementById('email').focus()`);
      await press('ArrowDown', { alt: true, pause: true });
      await until(() => page.eval(`!components.button.menu.hidden`), 'the menu to open from the field');
      await press('ArrowDown', { pause: true });
      const item = await page.eval(FOCUSED);
      assert.ok(item && /item/.test(item.id) && item.visible, `the first item has a visible focus: ${JSON.stringify(item)}`);
      await press('Escape');
      assert.equal(await page.eval(`components.button.menu.hidden && document.activeElement.id`), 'email', 'Escape closes the menu and gives the field its focus back');
      // From the field on, Tab reaches the badges' toggles; Enter opens the details.
      const stops = await tabThrough(press, page);
      const toggles = stops.filter((s) => s.id === 'toggle');
      assert.ok(toggles.length >= 5, `every badge's toggle is a tab stop: ${JSON.stringify(stops)}`);
      assert.deepEqual(stops.filter((s) => !s.visible), [], 'the focus shows at every stop');
      await page.eval(`components.badges[0].host.shadowRoot.querySelector('.toggle').focus()`);
      await press('Enter');
      assert.equal(await page.eval(`components.badges[0].host.shadowRoot.querySelector('.toggle').getAttribute('aria-expanded')`), 'true');
      assert.equal(await page.eval(`components.badges[0].host.shadowRoot.querySelector('.details').hidden`), false, 'Enter opens the details');
      // One polite live region per badge, with the verdict's title and summary; none while checking.
      const live = await page.eval(`[...document.querySelectorAll('#badges > *')].map((h) => { const l = h.shadowRoot.querySelectorAll('[role=status], [aria-live]'); return { n: l.length, text: l[0]?.textContent ?? '', polite: l[0]?.getAttribute('aria-live') ?? 'polite (status)' }; })`);
      assert.ok(live.every((/** @type {any} */ l) => l.n === 1), JSON.stringify(live));
      assert.ok(live.slice(0, 5).every((/** @type {any} */ l) => l.text.length > 0), 'a verdict is announced');
      assert.equal(live[5].text, '', 'checking is not announced');
      // Shown again quietly (the webmail redrew the same message): nothing new is said.
      const v001 = js(JSON.parse(fs.readFileSync(new URL('../fixtures/smime/generated/001.json', import.meta.url), 'utf8')));
      await page.eval(`components.badges[1].show({ state: 'done', verdict: ${v001}, words: components.badgeWords(${v001}, null, []), mark: null }, true)`);
      assert.equal(await page.eval(`components.badges[1].host.shadowRoot.querySelector('[role=status]').textContent`), live[1].text, 'a quiet show keeps what was said');
      await page.close();
    });

    test('keyboard only: the welcome page\'s first run, and an alias from the in-page button', async () => {
      await formsEnabled(true);
      await setCatchAll(browser, CATCH_ALL, msg('optSaved'));
      const welcome = await browser.openExtensionPage('ui/welcome.html');
      await ready(welcome);
      const press = keys(browser, welcome);
      const stops = await tabThrough(press, welcome);
      assert.ok(stops.length >= 6, JSON.stringify(stops));
      assert.deepEqual(stops.filter((s) => !s.visible), [], 'the focus shows at every stop of the welcome page');
      // The try-it form: Tab to its button, Enter makes an alias (the catch-all set above).
      await welcome.eval(`document.getElementById('try-new').focus()`);
      await press('Enter');
      const made = await waitFor(welcome, `document.getElementById('try-email').value`);
      assert.ok(made.endsWith(`@${CATCH_ALL}`), made);
      await welcome.close();

      const signup = await browser.open(`${site.origin}/signup.html`);
      await contentScriptReady(signup);
      await until(async () => ((await buttonRects(signup)).length === 1 ? true : null), 'the alias button');
      const sp = keys(browser, signup);
      for (let i = 0; i < MAX_TAB_STOPS && (await signup.eval(`document.activeElement.id`)) !== 'email'; i++) await sp('Tab');
      assert.equal(await signup.eval(`document.activeElement.id`), 'email', 'Tab reaches the e-mail field');
      await sp('ArrowDown', { alt: true, pause: true });
      await sp('ArrowDown', { pause: true });
      await sp('Enter', { pause: true });
      const filled = await waitFor(signup, `document.getElementById('email').value.includes('@') && document.getElementById('email').value`);
      assert.ok(filled.endsWith(`@${CATCH_ALL}`), filled);
      assert.equal(await signup.eval(`document.activeElement.id`), 'email', 'the focus is back in the field');
      await signup.close();
    });
  });
}
