// @ts-check
/**
 * Form detection and alias fill, background side (content-script handlers). Being written:
 * the handler table is empty until the in-page button lands.
 */

/** @type {Record<string, (message: Record<string, unknown>, sender: import('../shared/ext.js').SenderInfo) => Promise<unknown>>} */
export const formsContentHandlers = {};
