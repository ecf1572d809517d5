// @ts-check
/**
 * The personal mark's colours, for the background (which picks one at random on first use),
 * the options page (which offers them) and the places that draw a mark (badge, popup).
 */

/** Colours of the personal mark (readable with white text). */
export const MARK_COLORS = ['#6d28d9', '#0f766e', '#b45309', '#be123c', '#1d4ed8', '#4d7c0f', '#a21caf', '#0e7490'];

/** Whether `c` is a colour a mark may have (`#rrggbb`). @param {unknown} c @returns {c is string} */
export const isMarkColor = (c) => typeof c === 'string' && /^#[0-9a-f]{6}$/i.test(c);

/** The colour to draw a mark with: its own, or a neutral grey for anything else. @param {unknown} c */
export const markColor = (c) => (isMarkColor(c) ? c : '#444');
