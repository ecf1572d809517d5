// @ts-check
/** Webmail adapters and the verdict badge. Being written: does nothing yet. */

/**
 * @param {Document} _doc
 * @param {Location} _loc
 * @param {typeof import('../../shared/ext.js').send} _send
 */
export function startWebmail(_doc, _loc, _send) {}
