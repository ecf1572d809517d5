// @ts-check
/**
 * Webmail: find the message a webmail page shows, get its exact bytes from the webmail's own
 * origin, have the background check its S/MIME signature, and show the verdict next to the
 * message header (the toolbar button shows it too, drawn by the background).
 *
 * One adapter per webmail (`roundcube.js`, ...) implements the small interface below; this
 * file only picks one and runs the same steps for each message shown. Nothing is put on the
 * page's `window`, and nothing the page can read says what the verdict is (the badge lives in
 * a closed shadow root).
 */
import { createBadge } from './badge.js';
import { roundcube } from './roundcube.js';

/**
 * Largest message fetched and sent to the background, in bytes. The background refuses more
 * (`MAX_WEBMAIL_MESSAGE_BYTES` in background/webmail.js, the same figure).
 */
export const MAX_WEBMAIL_MESSAGE_BYTES = 25 * 1024 * 1024;

/**
 * Why the bytes could not be had; the background accepts exactly these codes.
 * @typedef {'too_large' | 'request_check' | 'http' | 'network' | 'not_a_message' | 'no_token'} FetchProblem
 */

/**
 * What an adapter knows about one shown message (opaque to this file).
 * @typedef {{ uid: string, mbox: string }} MessageRef
 */

/**
 * The interface every webmail adapter implements.
 * @typedef {{
 *   name: string,
 *   matches(loc: Location, doc: Document): boolean,
 *   watch(doc: Document, loc: Location, onMessageShown: (ref: MessageRef) => void, onMessageHidden: () => void): void,
 *   messageId(doc: Document, loc: Location): MessageRef | null,
 *   fetchRaw(doc: Document, loc: Location, ref: MessageRef, maxBytes: number): Promise<{ ok: true, blob: Blob } | { ok: false, problem: FetchProblem }>,
 *   placeBadge(doc: Document, host: HTMLElement): boolean,
 * }} WebmailAdapter
 */

/** @type {WebmailAdapter[]} */
const ADAPTERS = [roundcube];

/**
 * Base64 of a blob, through FileReader (no byte-by-byte copy; Firefox content scripts may not
 * touch the page-owned ArrayBuffer a fetch returns).
 * @param {Blob} blob @returns {Promise<string>}
 */
function blobToBase64(blob) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onerror = () => reject(r.error);
    r.onload = () => {
      const url = String(r.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    r.readAsDataURL(blob);
  });
}

/**
 * @param {Document} doc
 * @param {Location} loc
 * @param {typeof import('../../shared/ext.js').send} send
 */
export function startWebmail(doc, loc, send) {
  const adapter = ADAPTERS.find((a) => a.matches(loc, doc));
  if (!adapter) return;
  /** @type {HTMLElement | null} */
  let shown = null;
  adapter.watch(doc, loc, (ref) => {
    shown?.remove(); // one badge per document, also when a page comes back from the cache
    check(adapter, doc, loc, ref, send, (host) => { shown = host; }).catch(() => {});
  }, () => {
    send({ type: 'webmail.clear' }).catch(() => {});
  });
}

/**
 * The steps for one shown message.
 * @param {WebmailAdapter} adapter @param {Document} doc @param {Location} loc @param {MessageRef} ref
 * @param {typeof import('../../shared/ext.js').send} send
 * @param {(host: HTMLElement) => void} placed called with the badge's host once it is in the page
 */
async function check(adapter, doc, loc, ref, send, placed) {
  const begun = await send({ type: 'webmail.begin' });
  if (!begun.ok) return;
  const ticket = /** @type {{ ticket: string }} */ (begun.value).ticket;
  const badge = createBadge(doc);
  badge.show({ state: 'pending' });
  if (adapter.placeBadge(doc, badge.host)) placed(badge.host);

  const got = await adapter.fetchRaw(doc, loc, ref, MAX_WEBMAIL_MESSAGE_BYTES).catch(() => /** @type {const} */ ({ ok: false, problem: 'network' }));
  if (!got.ok) {
    const r = await send({ type: 'webmail.failed', ticket, problem: got.problem });
    badge.show({ state: 'failed', problem: got.problem, mark: r.ok ? /** @type {any} */ (r.value).mark : null });
    return;
  }
  const raw = await blobToBase64(got.blob);
  const r = await send({ type: 'webmail.verify', ticket, raw });
  if (!r.ok) {
    /** @type {FetchProblem} */
    const problem = r.error.name === 'TooLarge' ? 'too_large' : 'not_a_message';
    const f = await send({ type: 'webmail.failed', ticket, problem });
    badge.show({ state: 'failed', problem, mark: f.ok ? /** @type {any} */ (f.value).mark : null });
    return;
  }
  const v = /** @type {any} */ (r.value);
  badge.show({ state: 'done', verdict: v.verdict, continuity: v.continuity, mark: v.mark });
}
