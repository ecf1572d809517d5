// @ts-check
/**
 * The content script's working part: the forms scanner and button, the webmail adapters and
 * the self-test. Bundled by build.sh into `content/full.js`, an ES module the entry point
 * (`main.js`, injected into every frame) imports only in a frame that has something for it, and
 * only after the page's load event.
 */
import { startForms } from './forms/index.js';
import { runSelfTest } from './selftest.js';
import { startWebmail } from './webmail/detect.js';

/**
 * Starts everything in this frame; answers the handler of the extension's messages.
 * @param {Document} doc
 * @param {Location} loc
 * @param {typeof import('../shared/ext.js').send} send
 * @param {{ contextTarget?: { el: EventTarget, at: number } | null }} opts
 */
export function start(doc, loc, send, opts) {
  void runSelfTest(doc, loc, send);
  const onMessage = startForms(doc, send, opts);
  startWebmail(doc, loc, send).catch(() => {});
  return (/** @type {unknown} */ message) => onMessage?.(message);
}
