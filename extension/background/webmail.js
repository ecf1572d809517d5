// @ts-check
/**
 * Webmail verdicts, background side (content-script handlers). Being written: the handler
 * table is empty until the webmail adapters land.
 */

/** @type {Record<string, (message: Record<string, unknown>, sender: import('../shared/ext.js').SenderInfo) => Promise<unknown>>} */
export const webmailContentHandlers = {};
