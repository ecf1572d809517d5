// @ts-check
/**
 * The badge's words that come from the user's data, drawn as pixels in a canvas inside the
 * badge's closed shadow root, never text (issue 27 #3): the personal mark, and the notes
 * about the user's own history and vault (which of the user's aliases the message went to
 * and which site it was made for, since when the sender's messages were signed as before).
 * The verdict's own words about the message ("Signed by …", the warnings, the details) are
 * text: they say what the message itself shows, which the page has anyway.
 *
 * Text in a closed shadow root is still text to the page: `window.find` matches it, and a
 * selection across the badge copies it. Pixels are not: no page API searches, selects or
 * copies a canvas's content, and the page cannot reach this canvas to read it back
 * (`getImageData` needs the element, which the closed root hides; the content script's
 * prototypes are its own). Each canvas has a fixed size whatever its words, so the badge's
 * layout (which the page can measure, also with a font of its own whose glyph widths encode
 * letters) does not depend on them either; it tells only whether there is a note at all.
 *
 * People read the pixels; screen readers read the canvas's accessible name (`role="img"`,
 * `aria-label`), an attribute inside the closed shadow root: page script has no API that
 * returns another tree's accessible names (the Accessibility Object Model is not shipped).
 */
import { createElement } from '../dom.js';
import { markColor } from '../../shared/mark.js';
import { BADGE_PALETTE } from '../scheme.js';

/**
 * Where words are drawn: the box (CSS px, the same whatever the words), the most lines, the
 * largest and smallest font size (CSS px: longer words shrink, and what does not fit at the
 * smallest ends in "…"; the accessible name keeps it all), the text colour on a light and on a
 * dark badge (scheme.js), and whether it sits on a coloured pill (the mark's colour) with a
 * margin.
 * @typedef {{ width: number, height: number, lines: number, px: number, minPx: number, color: string, darkColor: string, pill: boolean }} Box
 */
/** @type {Box} The mark: one line on the user's colour. */
export const MARK_BOX = { width: 168, height: 20, lines: 1, px: 13, minPx: 8, color: '#fff', darkColor: '#fff', pill: true };
/** @type {Box} A warning about the user's alias or history, under the status (the badge's warning colour). */
export const WARNING_BOX = {
  width: 420, height: 68, lines: 4, px: 13, minPx: 9, color: BADGE_PALETTE.light.warnText, darkColor: BADGE_PALETTE.dark.warnText, pill: false,
};
/** @type {Box} A plain note in the details (which site an alias was made for). */
export const NOTE_BOX = {
  width: 420, height: 36, lines: 2, px: 13, minPx: 9, color: BADGE_PALETTE.light.fg, darkColor: BADGE_PALETTE.dark.fg, pill: false,
};
/** Width of the white ring around a pill on a dark badge (CSS px). */
const RING_PX = 1.5;
/** Line height as a share of the font size. */
const LINE_HEIGHT = 1.3;
/** The font: generic families only (a page's @font-face cannot measure pixels anyway). */
const FONT = '600 {px}px system-ui, sans-serif';

/**
 * A canvas for `box` (hidden until painted). It keeps its box's shape when the badge is
 * narrower than the box (it scales down, the words with it).
 * @param {Document} doc @param {Box} box @param {string} [explain] the tooltip: what it is
 */
export function createWords(doc, box, explain) {
  const canvas = /** @type {HTMLCanvasElement} */ (createElement(doc, 'canvas'));
  canvas.hidden = true;
  if (explain) canvas.title = explain;
  canvas.setAttribute('role', 'img');
  canvas.width = box.width;
  canvas.height = box.height;
  canvas.style.width = `${box.width}px`;
  canvas.style.maxWidth = '100%';
  canvas.style.height = 'auto';
  return canvas;
}

/**
 * `text` in lines at most `room` wide (at the context's font): by words, and a word wider
 * than a line (an address, or a language written without spaces) by characters.
 * @param {CanvasRenderingContext2D} ctx @param {string} text @param {number} room
 */
function wrap(ctx, text, room) {
  /** @type {string[]} */
  const lines = [];
  let line = '';
  for (const word of text.split(/(?<=\s)/)) {
    if (ctx.measureText(line + word).width <= room) line += word;
    else {
      if (line.trim()) lines.push(line.trimEnd());
      line = '';
      for (const ch of word) {
        if (line && ctx.measureText(line + ch).width > room) {
          lines.push(line);
          line = '';
        }
        line += ch;
      }
    }
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

/**
 * Paints `text` into the canvas (or hides it for none), `background` the pill's colour.
 * @param {HTMLCanvasElement} canvas @param {Box} box @param {string} text @param {string} [background]
 * @param {boolean} [dark] on a dark badge: the box's dark text colour, and a white ring around
 *   a pill (the mark's colours are dark enough for white text, so their box would blur into a
 *   dark badge; the phrase and colour are unchanged)
 */
export function paintWords(canvas, box, text, background = '', dark = false) {
  const ctx = text ? canvas.getContext('2d') : null;
  if (!text || !ctx) {
    canvas.hidden = true;
    canvas.removeAttribute('aria-label');
    return;
  }
  const ratio = Math.min(4, Math.max(1, canvas.ownerDocument.defaultView?.devicePixelRatio ?? 1));
  canvas.width = Math.round(box.width * ratio);
  canvas.height = Math.round(box.height * ratio);
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, box.width, box.height);
  if (box.pill) {
    ctx.fillStyle = background;
    ctx.beginPath();
    ctx.roundRect(0, 0, box.width, box.height, 4);
    ctx.fill();
    if (dark) {
      ctx.beginPath();
      ctx.roundRect(RING_PX / 2, RING_PX / 2, box.width - RING_PX, box.height - RING_PX, 4);
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = RING_PX;
      ctx.stroke();
    }
  }
  const pad = box.pill ? 6 : 0;
  const room = box.width - 2 * pad;
  let px = box.px;
  /** @type {string[]} */
  let lines;
  for (;; px--) {
    ctx.font = FONT.replace('{px}', String(px));
    lines = wrap(ctx, text, room);
    if (px <= box.minPx || (lines.length <= box.lines && lines.length * px * LINE_HEIGHT <= box.height)) break;
  }
  const fit = Math.max(1, Math.min(box.lines, Math.floor(box.height / (px * LINE_HEIGHT))));
  if (lines.length > fit) lines = [...lines.slice(0, fit - 1), `${lines[fit - 1]}…`];
  const lh = px * LINE_HEIGHT;
  const top = box.lines === 1 ? (box.height - lh) / 2 : 0;
  ctx.fillStyle = dark ? box.darkColor : box.color;
  ctx.textBaseline = 'middle';
  lines.forEach((l, i) => ctx.fillText(l, pad, top + lh * (i + 0.5), room));
  canvas.setAttribute('aria-label', text);
  canvas.hidden = false;
}

/**
 * Paints the personal mark (or hides it for no mark).
 * @param {HTMLCanvasElement} canvas @param {{ phrase: string, color: string } | null} m
 * @param {boolean} [dark] on a dark badge (a white ring around it)
 */
export function paintMark(canvas, m, dark = false) {
  paintWords(canvas, MARK_BOX, m?.phrase ?? '', m ? markColor(m.color) : '', dark);
}
