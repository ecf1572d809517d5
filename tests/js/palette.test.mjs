// Contrast of the two colour schemes, by WCAG 2.1's formula (1.4.3 text at least 4.5:1, 1.4.11
// focus indicators and the mark's box at least 3:1): the extension pages' palette
// (extension/ui/palette.css, after `prefers-color-scheme`) and the in-page button, menu and
// badge's (extension/content/scheme.js, after the page's own surface). axe checks the pages as
// drawn (tests/e2e/a11y.test.mjs); this checks every pair, also those no test page shows.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { BADGE_PALETTE, DARK_BELOW_LUMINANCE, MENU_PALETTE, darkSurface, luminance, parseRgb } from '../../extension/content/scheme.js';
import { MARK_COLORS } from '../../extension/shared/mark.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const AA_TEXT = 4.5;
const AA_NON_TEXT = 3;

/** @param {string} hex `#rgb` or `#rrggbb` */
function rgb(hex) {
  const h = hex.length === 4 ? hex.replace(/[0-9a-f]/gi, (c) => c + c) : hex;
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(h);
  assert.ok(m, `not an opaque #rrggbb colour: ${hex}`);
  return [1, 2, 3].map((i) => parseInt(m[i], 16));
}

/** @param {string} a @param {string} b */
function contrast(a, b) {
  const [x, y] = [luminance(rgb(a)), luminance(rgb(b))].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** The custom properties of a CSS block. @param {string} block */
function props(block) {
  return Object.fromEntries([...block.matchAll(/--([\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]));
}

/** palette.css's light scheme and its dark one (the light one with the dark overrides). */
function pagePalettes() {
  const css = fs.readFileSync(path.join(ROOT, 'extension/ui/palette.css'), 'utf8');
  const light = props(/^:root \{([^}]*)\}/m.exec(css)?.[1] ?? '');
  const dark = { ...light, ...props(/@media \(prefers-color-scheme: dark\) \{\s*:root \{([^}]*)\}/.exec(css)?.[1] ?? '') };
  return { light, dark };
}

/**
 * Asserts every pair's contrast, naming the failures.
 * @param {string} scheme @param {[string, string, string, number][]} pairs [what, fg, bg, minimum]
 */
function assertPairs(scheme, pairs) {
  const bad = pairs.map(([what, fg, bg, min]) => ({ what, ratio: contrast(fg, bg), min })).filter((p) => p.ratio < p.min);
  assert.deepEqual(bad.map((p) => `${scheme}: ${p.what} ${p.ratio.toFixed(2)} < ${p.min}`), []);
}

test('the pages: every text colour is AA on the background and the soft background, in both schemes', () => {
  const { light, dark } = pagePalettes();
  assert.notEqual(light.bg, dark.bg, 'the dark scheme has its own background');
  for (const [scheme, p] of Object.entries({ light, dark })) {
    /** @type {[string, string, string, number][]} */
    const pairs = [];
    for (const text of ['fg', 'fg-muted', 'link', 'ok', 'warn', 'danger']) {
      for (const bg of ['bg', 'bg-soft']) pairs.push([`--${text} on --${bg}`, p[text], p[bg], AA_TEXT]);
    }
    pairs.push(['--accent-text on --accent', p['accent-text'], p.accent, AA_TEXT]);
    pairs.push(['white on --danger-fill', '#ffffff', p['danger-fill'], AA_TEXT]);
    pairs.push(['--focus on --bg', p.focus, p.bg, AA_NON_TEXT]);
    assertPairs(scheme, pairs);
  }
});

test('the in-page menu: text AA on its background and hover, both palettes', () => {
  for (const [scheme, p] of Object.entries(MENU_PALETTE)) {
    /** @type {[string, string, string, number][]} */
    const pairs = [];
    for (const text of ['fg', 'muted', 'accent', 'error']) {
      for (const bg of ['bg', 'hover']) pairs.push([`${text} on ${bg}`, p[text], p[bg], AA_TEXT]);
    }
    pairs.push(['button border on bg', p.line, p.bg, AA_NON_TEXT]);
    assertPairs(scheme, pairs);
  }
  assert.ok(luminance(rgb(MENU_PALETTE.dark.bg)) < DARK_BELOW_LUMINANCE && luminance(rgb(MENU_PALETTE.light.bg)) >= DARK_BELOW_LUMINANCE);
});

test('the badge: text AA on every verdict look, white on every icon and mark, the mark plain on both', () => {
  for (const [scheme, p] of Object.entries(BADGE_PALETTE)) {
    /** @type {[string, string, string, number][]} */
    const pairs = [];
    for (const look of ['ok', 'dom', 'bad', 'warn', 'none']) {
      const bg = p[`${look}Bg`];
      for (const text of ['fg', 'soft', 'warnText']) pairs.push([`${text} on ${look}Bg`, p[text], bg, AA_TEXT]);
      pairs.push([`focus on ${look}Bg`, p.focus, bg, AA_NON_TEXT]);
      pairs.push([`${look}Line on ${look}Bg`, p[`${look}Line`], bg, AA_NON_TEXT]);
    }
    for (const icon of ['iconOk', 'iconDom', 'iconBad', 'iconWarn', 'iconNone']) pairs.push([`white on ${icon}`, '#ffffff', p[icon], AA_TEXT]);
    for (const c of MARK_COLORS) pairs.push([`white on the mark ${c}`, '#ffffff', c, AA_TEXT]);
    // On the light looks the mark's own colour stands out; on the dark ones its white ring does.
    for (const look of ['ok', 'dom', 'bad', 'warn', 'none']) {
      for (const c of MARK_COLORS) pairs.push([`mark ${c} (or its ring) on ${look}Bg`, scheme === 'dark' ? '#ffffff' : c, p[`${look}Bg`], AA_NON_TEXT]);
    }
    assertPairs(scheme, pairs);
  }
});

test('the page\'s scheme: the first painted background decides, else the root\'s color-scheme', () => {
  /** @typedef {{ bg: string, up?: Node }} Node */
  /** @param {Record<string, string>} bgs @param {string} scheme @param {boolean} prefersDark */
  const view = (bgs, scheme, prefersDark) => /** @type {any} */ ({
    getComputedStyle: (/** @type {any} */ n) => ({ backgroundColor: bgs[n.id] ?? 'rgba(0, 0, 0, 0)', colorScheme: n.id === 'root' ? scheme : '' }),
    matchMedia: () => ({ matches: prefersDark }),
  });
  const root = /** @type {any} */ ({ id: 'root' });
  const body = /** @type {any} */ ({ id: 'body', up: root });
  const field = /** @type {any} */ ({ id: 'field', up: body });
  const up = (/** @type {any} */ n) => n.up ?? null;
  // Roundcube's dark skin: no color-scheme, a dark body.
  assert.equal(darkSurface(view({ body: 'rgb(33, 41, 46)' }, 'normal', false), field, up, root), true);
  // A white field on a dark page: the field is what the button sits on.
  assert.equal(darkSurface(view({ field: 'rgb(255, 255, 255)', body: 'rgb(0, 0, 0)' }, 'dark', true), field, up, root), false);
  // A faint tint lets the surface beneath decide.
  assert.equal(darkSurface(view({ field: 'rgba(255, 255, 255, 0.1)', body: 'rgb(20, 20, 20)' }, 'normal', false), field, up, root), true);
  // Nothing painted: the canvas follows the root's color-scheme (and the preference where it allows both).
  assert.equal(darkSurface(view({}, 'normal', true), field, up, root), false);
  assert.equal(darkSurface(view({}, 'dark', false), field, up, root), true);
  assert.equal(darkSurface(view({}, 'light dark', true), field, up, root), true);
  assert.equal(darkSurface(view({}, 'light dark', false), field, up, root), false);
  assert.deepEqual(parseRgb('rgb(1 2 3 / 50%)'), [1, 2, 3, 0.5]);
  assert.equal(parseRgb('oklch(0.5 0.1 20)'), null);
});
