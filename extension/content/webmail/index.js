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
import { blobToBase64 } from '../../shared/base64.js';
import { contained } from '../dom.js';
import { createBadge } from './badge.js';
import { gmail } from './gmail.js';
import { outlook } from './outlook.js';
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
 * What an adapter knows about one shown message: `key` names it (unique in the page); the
 * rest is the adapter's own (opaque to this file).
 * @typedef {{ key: string, uid?: string, mbox?: string, id?: string, element?: Element }} MessageRef
 */

/**
 * The message's bytes as an adapter got them: a blob, or base64 where the webmail sends that.
 * @typedef {{ ok: true, blob: Blob } | { ok: true, base64: string } | { ok: false, problem: FetchProblem }} RawMessage
 */

/**
 * The interface every webmail adapter implements.
 * @typedef {{
 *   name: string,
 *   matches(loc: Location, doc: Document): boolean,
 *   watch(doc: Document, loc: Location, onMessageShown: (ref: MessageRef) => void, onMessageHidden: () => void): void,
 *   messageId(doc: Document, loc: Location): MessageRef | null,
 *   fetchRaw(doc: Document, loc: Location, ref: MessageRef, maxBytes: number): Promise<RawMessage>,
 *   placeBadge(doc: Document, host: HTMLElement, ref: MessageRef): boolean,
 * }} WebmailAdapter
 */

/** @type {WebmailAdapter[]} */
const ADAPTERS = [roundcube, gmail, outlook];



/**
 * @param {Document} doc
 * @param {Location} loc
 * @param {typeof import('../../shared/ext.js').send} send
 */
export async function startWebmail(doc, loc, send) {
  const adapter = ADAPTERS.find((a) => contained('a webmail adapter', () => a.matches(loc, doc)));
  if (!adapter) return;
  // The background decides whether this adapter may run on this origin: the service's own
  // origins, or one the user turned on (the popup offers it when it is off).
  const hello = await send({ type: 'webmail.hello', adapter: adapter.name });
  if (!hello.ok || !/** @type {{ enabled: boolean }} */ (hello.value).enabled) return;
  /** Badges in the page, by message key (a conversation view shows several messages). @type {Map<string, HTMLElement>} */
  const shown = new Map();
  adapter.watch(doc, loc, (ref) => {
    const before = shown.get(ref.key);
    if (before?.isConnected && !ref.element) return; // already checked, still on screen
    if (before?.isConnected && ref.element && ref.element.contains(before)) return;
    before?.remove(); // also when a page comes back from the cache
    shown.delete(ref.key);
    check(adapter, doc, loc, ref, send, (host) => { shown.set(ref.key, host); }).catch(() => {});
  }, () => {
    for (const host of shown.values()) host.remove();
    shown.clear();
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
  if (adapter.placeBadge(doc, badge.host, ref)) placed(badge.host);

  /** @type {RawMessage} */
  const got = await adapter.fetchRaw(doc, loc, ref, MAX_WEBMAIL_MESSAGE_BYTES).catch(() => ({ ok: false, problem: 'network' }));
  if (!got.ok) {
    const r = await send({ type: 'webmail.failed', ticket, problem: got.problem });
    badge.show({ state: 'failed', problem: got.problem, mark: r.ok ? /** @type {any} */ (r.value).mark : null });
    return;
  }
  const raw = 'base64' in got ? got.base64 : await blobToBase64(got.blob);
  const r = await send({ type: 'webmail.verify', ticket, raw });
  if (!r.ok) {
    /** @type {FetchProblem} */
    const problem = r.error.name === 'TooLarge' ? 'too_large' : 'not_a_message';
    const f = await send({ type: 'webmail.failed', ticket, problem });
    badge.show({ state: 'failed', problem, mark: f.ok ? /** @type {any} */ (f.value).mark : null });
    return;
  }
  const v = /** @type {any} */ (r.value);
  badge.show({ state: 'done', verdict: v.verdict, continuity: v.continuity, mark: v.mark, aliases: v.aliases });
}
