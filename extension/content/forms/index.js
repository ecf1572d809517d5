// @ts-check
/** Signup-form detection and the in-page alias button. Being written: does nothing yet. */

/**
 * @param {Document} _doc
 * @param {typeof import('../../shared/ext.js').send} _send
 */
export function startForms(_doc, _send) {}
