// @ts-check
/**
 * The personal mark as the in-page badge draws it: pixels in a canvas inside the badge's
 * closed shadow root, never text (issue 27 #3).
 *
 * Text in a closed shadow root is still text to the page: `window.find` matches it, and a
 * selection across the badge copies it. Pixels are not: no page API searches, selects or
 * copies a canvas's content, and the page cannot reach this canvas to read it back
 * (`getImageData` needs the element, which the closed root hides; the content script's
 * prototypes are its own). The canvas has a fixed size whatever the phrase, so the badge's
 * layout (which the page can measure, also with a font of its own whose glyph widths encode
 * letters) does not depend on the phrase either.
 *
 * People read the pixels; screen readers read the canvas's accessible name (`role="img"`,
 * `aria-label`), an attribute inside the closed shadow root: page script has no API that
 * returns another tree's accessible names (the Accessibility Object Model is not shipped).
 */
import { createElement } from '../dom.js';
import { markColor } from '../../shared/mark.js';

/** The mark's box (CSS px): the same for every phrase, so layout reveals nothing. */
export const MARK_WIDTH_PX = 168;
export const MARK_HEIGHT_PX = 20;
/** Width of the white ring around the mark on a dark badge (CSS px). */
const MARK_RING_PX = 1.5;
/** Largest and smallest font size the phrase is drawn at (CSS px); a longer phrase shrinks. */
const MARK_FONT_PX = 13;
const MIN_MARK_FONT_PX = 8;
/** The font the phrase is drawn in: generic families only (a page's @font-face cannot measure pixels anyway). */
const MARK_FONT = '600 {px}px system-ui, sans-serif';

/**
 * A canvas for the mark (hidden until painted).
 * @param {Document} doc @param {string} explain the tooltip: what the mark is
 */
export function createMark(doc, explain) {
  const canvas = /** @type {HTMLCanvasElement} */ (createElement(doc, 'canvas'));
  canvas.className = 'mark';
  canvas.hidden = true;
  canvas.title = explain;
  canvas.setAttribute('role', 'img');
  canvas.style.width = `${MARK_WIDTH_PX}px`;
  canvas.style.height = `${MARK_HEIGHT_PX}px`;
  return canvas;
}

/**
 * Paints `m` into the canvas (or hides it for no mark).
 * @param {HTMLCanvasElement} canvas @param {{ phrase: string, color: string } | null} m
 * @param {boolean} [dark] on a dark badge: a white ring keeps the mark's box plain to see
 */
export function paintMark(canvas, m, dark = false) {
  const ctx = m ? canvas.getContext('2d') : null;
  if (!m || !ctx) {
    canvas.hidden = true;
    canvas.removeAttribute('aria-label');
    return;
  }
  const ratio = Math.min(4, Math.max(1, canvas.ownerDocument.defaultView?.devicePixelRatio ?? 1));
  canvas.width = Math.round(MARK_WIDTH_PX * ratio);
  canvas.height = Math.round(MARK_HEIGHT_PX * ratio);
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.fillStyle = markColor(m.color);
  ctx.beginPath();
  ctx.roundRect(0, 0, MARK_WIDTH_PX, MARK_HEIGHT_PX, 4);
  ctx.fill();
  if (dark) {
    // The mark's colours are dark enough for white text, so on a dark badge their box would
    // blur into it: the same box, with a white ring (the phrase and colour are unchanged).
    ctx.beginPath();
    ctx.roundRect(MARK_RING_PX / 2, MARK_RING_PX / 2, MARK_WIDTH_PX - MARK_RING_PX, MARK_HEIGHT_PX - MARK_RING_PX, 4);
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = MARK_RING_PX;
    ctx.stroke();
  }
  let px = MARK_FONT_PX;
  const room = MARK_WIDTH_PX - 12;
  ctx.font = MARK_FONT.replace('{px}', String(px));
  while (px > MIN_MARK_FONT_PX && ctx.measureText(m.phrase).width > room) {
    px -= 1;
    ctx.font = MARK_FONT.replace('{px}', String(px));
  }
  ctx.fillStyle = '#fff';
  ctx.textBaseline = 'middle';
  ctx.fillText(m.phrase, 6, MARK_HEIGHT_PX / 2, room);
  canvas.setAttribute('aria-label', m.phrase);
  canvas.hidden = false;
}
