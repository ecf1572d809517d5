// @ts-check
/**
 * Light or dark for the in-page button, menu and badge: they follow the page they sit in, not
 * the browser's preference, and draw with one of two palettes (below, held to WCAG 2.1 AA by
 * tests/js/palette.test.mjs).
 *
 * The page's scheme is read from what it paints: the computed background of the nearest
 * element, from the field (the button sits inside it) or from where the badge was put, up
 * through shadow hosts, whose background is opaque enough to decide; dark when its relative
 * luminance is below DARK_BELOW_LUMINANCE. Only when nothing is painted is the page's
 * `color-scheme` asked (the browser's canvas is dark when the root's used scheme is dark).
 * Not `color-scheme` first: the dark skins of webmail rarely declare it (Roundcube's elastic
 * skin puts `dark-mode` on <html> and restyles the colours: skins/elastic/ui.js
 * color_mode_init; no `color-scheme` anywhere in its CSS), and what text must contrast with
 * is the surface drawn behind it. A page can make us pick the wrong palette by painting one
 * colour under another, but it can draw over us anyway; the personal mark is the same in
 * both palettes.
 */

/**
 * WCAG 2.x relative luminance below which a surface is dark: where black and white text have
 * the same contrast on it ((L + 0.05) / 0.05 = 1.05 / (L + 0.05), L ≈ 0.179).
 */
export const DARK_BELOW_LUMINANCE = 0.179;
/** A background at least this opaque decides; a fainter one lets the one beneath show through. */
export const MIN_SURFACE_ALPHA = 0.5;
/** Most ancestors looked at for a painted background (then the root's `color-scheme` decides). */
export const MAX_SURFACE_LEVELS = 32;

/**
 * The button's and the menu's colours.
 * `fg`, `muted`, `accent` (the icon), `error` are text on `bg` and `hover`: at least 4.5:1.
 */
export const MENU_PALETTE = {
  light: { bg: '#ffffff', fg: '#1b1b1f', muted: '#555a6e', line: '#8a8fa3', hover: '#eef0ff', accent: '#3a3fb0', error: '#a4161a', sep: '#e3e5ee', off: '#6b7085', shadow: 'rgba(0,0,0,.18)' },
  dark: { bg: '#25262b', fg: '#ececf1', muted: '#a9adbd', line: '#80859a', hover: '#373a52', accent: '#b3b8ff', error: '#ff9ca1', sep: '#3d3f48', off: '#9094a5', shadow: 'rgba(0,0,0,.6)' },
};

/**
 * The badge's colours: a background and border per verdict look (`ok` verified, `dom` the
 * sender's domain verified by DKIM (not a person: blue, not green), `bad` invalid,
 * `warn` not verified or failed, `none` unsigned or pending); `fg` and `soft` (the summary and
 * labels) are text on every look's background, `warnText` the notices; `icon*` the round
 * icon's fill under white text.
 */
export const BADGE_PALETTE = {
  light: {
    fg: '#111111', soft: '#333333', line: '#cccccc', focus: '#1d4ed8', warnText: '#8a4b00',
    okBg: '#e9f7ee', okLine: '#1a7f37', badBg: '#fdecec', badLine: '#c62828', warnBg: '#fff5e0', warnLine: '#b26a00',
    noneBg: '#f3f4f6', noneLine: '#7d828c', domBg: '#e8f0fb', domLine: '#1f5fa8',
    iconOk: '#1a7f37', iconBad: '#c62828', iconWarn: '#975a00', iconNone: '#5f6571', iconDom: '#1f5fa8',
  },
  dark: {
    fg: '#ececf1', soft: '#c4c8d0', line: '#4a4e58', focus: '#8ab4ff', warnText: '#f0b45a',
    okBg: '#15281c', okLine: '#3fb950', badBg: '#2e1719', badLine: '#f47067', warnBg: '#2c2213', warnLine: '#d29922',
    noneBg: '#24262b', noneLine: '#8b949e', domBg: '#14213a', domLine: '#58a6ff',
    iconOk: '#1a7f37', iconBad: '#c62828', iconWarn: '#975a00', iconNone: '#5f6571', iconDom: '#1f5fa8',
  },
};

/**
 * CSS giving `sel` the light palette's custom properties and `sel.dark` the dark one's.
 * @param {string} sel @param {{ light: Record<string, string>, dark: Record<string, string> }} p
 */
export function paletteCss(sel, p) {
  const vars = (/** @type {Record<string, string>} */ o) => Object.entries(o).map(([k, v]) => `--${k}:${v}`).join(';');
  return `${sel}{${vars(p.light)}}${sel}.dark{${vars(p.dark)}}`;
}

/**
 * `[r, g, b, a]` (0-255, alpha 0-1) of a computed colour, or null for a form this does not
 * read (computed backgrounds are `rgb()` / `rgba()` in both browsers).
 * @param {string} s
 * @returns {number[] | null}
 */
export function parseRgb(s) {
  const m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+)(%?))?\s*\)$/.exec(s.trim());
  if (!m) return null;
  const a = m[4] === undefined ? 1 : Number(m[4]) / (m[5] ? 100 : 1);
  return [Number(m[1]), Number(m[2]), Number(m[3]), a];
}

/**
 * WCAG 2.x relative luminance of an sRGB colour (0-255 channels).
 * @param {number[]} rgb
 */
export function luminance(rgb) {
  const [r, g, b] = rgb.slice(0, 3).map((c) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * Whether the page is dark where `el` is (see the top of this file).
 * @param {Window} view @param {Element} el @param {(n: Element) => Element | null} up the composed parent
 * @param {Element | null} root the document's root element
 */
export function darkSurface(view, el, up, root) {
  /** @type {Element | null} */
  let n = el;
  for (let i = 0; n && i < MAX_SURFACE_LEVELS; n = up(n), i++) {
    const c = parseRgb(view.getComputedStyle(n).backgroundColor);
    if (c && c[3] >= MIN_SURFACE_ALPHA) return luminance(c) < DARK_BELOW_LUMINANCE;
  }
  const scheme = root ? view.getComputedStyle(root).colorScheme || '' : '';
  return /dark/.test(scheme) && (!/light/.test(scheme) || view.matchMedia('(prefers-color-scheme: dark)').matches);
}
