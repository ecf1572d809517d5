// @ts-check
/**
 * The self-test hook: on a page served from the loopback interface (the demo site and the
 * end-to-end tests), an element `[data-impalemail-selftest]` is answered with the SHA-256 of
 * its `data-input`, computed by the wasm core in the background. It proves the whole path
 * page → content script → router → wasm → page in each browser, including on pages with a
 * strict CSP. On any other origin it does nothing, so ordinary sites cannot use it to detect
 * the extension.
 */

import { query } from './dom.js';

/** Hosts the self-test answers on. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * @param {Document} doc
 * @param {Location} loc
 * @param {typeof import('../shared/ext.js').send} send
 */
export async function runSelfTest(doc, loc, send) {
  if (!LOOPBACK_HOSTS.has(loc.hostname)) return;
  const el = query(doc, '[data-impalemail-selftest]'); // the document's own can be shadowed
  if (!(el instanceof HTMLElement)) return;
  const reply = await send({ type: 'core.selftest', input: el.dataset.input ?? '' });
  if (reply.ok) {
    const v = /** @type {{ version: string, sha256: string }} */ (reply.value);
    el.dataset.result = v.sha256;
    el.textContent = `ImpaleMail core ${v.version}: sha256 ${v.sha256}`;
  } else {
    el.dataset.error = reply.error.name;
    el.textContent = `ImpaleMail self-test failed: ${reply.error.message}`;
  }
}
