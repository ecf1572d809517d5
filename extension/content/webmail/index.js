// @ts-check
/**
 * Webmail: find the message a webmail page shows, get its exact bytes from the webmail's own
 * origin, have the background check its S/MIME signature, and show the verdict next to the
 * message header (the toolbar button shows it too, drawn by the background).
 *
 * One adapter per webmail (`roundcube.js`, ...) implements the small interface below;
 * `detect.js` picks one, and this file runs the same steps for each message shown. Nothing is put on the
 * page's `window`, and nothing the page can read says what the verdict is (the badge lives in
 * a closed shadow root).
 */
import { blobToBase64 } from '../../shared/base64.js';
import { contained, defaultView, documentElement, query } from '../dom.js';
import { createBadge } from './badge.js';

/**
 * Largest message fetched and sent to the background, in bytes. The background refuses more
 * (`MAX_WEBMAIL_MESSAGE_BYTES` in background/webmail.js, the same figure).
 */
export const MAX_WEBMAIL_MESSAGE_BYTES = 25 * 1024 * 1024;

/**
 * Why the bytes could not be had; the background accepts exactly these codes.
 * @typedef {'too_large' | 'request_check' | 'http' | 'network' | 'timeout' | 'not_a_message' | 'no_token'} FetchProblem
 */

/**
 * What an adapter knows about one shown message: `key` names it (unique in the page); the
 * rest is the adapter's own (opaque to this file).
 * @typedef {{ key: string, uid?: string, mbox?: string, id?: string, element?: Element }} MessageRef
 */

/**
 * The message's bytes as an adapter got them: a blob, or base64 where the webmail sends that.
 * @typedef {{ ok: true, blob: Blob } | { ok: true, base64: string } | import('./fetch.js').FetchFailure} RawMessage
 */

/**
 * The interface every webmail adapter implements. `probes` names the page structure it relies
 * on (a short name per CSS selector): which of them match goes into the diagnostics report
 * when a check fails.
 * @typedef {{
 *   name: string,
 *   probes?: Record<string, string>,
 *   matches(loc: Location, doc: Document): boolean,
 *   watch(doc: Document, loc: Location, onMessageShown: (ref: MessageRef) => void, onMessageHidden: () => void): void,
 *   messageId(doc: Document, loc: Location): MessageRef | null,
 *   isShown(doc: Document, loc: Location, ref: MessageRef): boolean,
 *   fetchRaw(doc: Document, loc: Location, ref: MessageRef, maxBytes: number): Promise<RawMessage>,
 *   placeBadge(doc: Document, host: HTMLElement, ref: MessageRef): boolean,
 * }} WebmailAdapter
 */

/** Path parts a diagnostics report shows as they are: the webmails' own route words. Any other part becomes `*` (or `N`, digits): it may name a user, a folder or a message. */
const ROUTE_WORDS = /^(mail|u|owa|SOGo|so|Mail|view|apps|box|thread|imp|appsuite|service|home|h|[\w-]{1,24}\.(php|aspx))$/;
/** Query values a report shows (Roundcube's `_task`/`_action`): short lower-case words only. */
const ROUTE_VALUE_RE = /^[a-z]{1,16}$/;
/** Most probes a report lists. */
const MAX_PROBES = 12;

/**
 * The structural facts of a failed check, for the diagnostics report: the adapter, the page's
 * route shape, and which of the adapter's probes match. Never message content, an address or
 * an id: path parts and query values outside the route words are replaced, query keys kept.
 * @param {WebmailAdapter} adapter @param {Document} doc @param {Location} loc
 */
export function reportFacts(adapter, doc, loc) {
  const path = loc.pathname.split('/').map((s) => (s === '' || ROUTE_WORDS.test(s) ? s : /^[0-9]+$/.test(s) ? 'N' : '*')).join('/');
  const params = [...new URLSearchParams(loc.search)].filter(([k]) => /^[\w-]{1,24}$/.test(k)).slice(0, MAX_PROBES)
    .map(([k, v]) => `${k}=${(k === '_task' || k === '_action') && ROUTE_VALUE_RE.test(v) ? v : '*'}`).join('&');
  /** @type {Record<string, boolean>} */
  const probes = {};
  for (const [name, sel] of Object.entries(adapter.probes ?? {}).slice(0, MAX_PROBES)) {
    probes[name] = contained('a webmail probe', () => !!query(doc, sel)) === true;
  }
  return { adapter: adapter.name, page: `${path}${params ? `?${params}` : ''}${loc.hash ? '#…' : ''}`, probes };
}

/**
 * Checks the messages `adapter` finds in this page (`detect.js` chose it).
 * @param {Document} doc
 * @param {Location} loc
 * @param {typeof import('../../shared/ext.js').send} send
 * @param {WebmailAdapter} adapter
 */
export async function checkMessages(doc, loc, send, adapter) {
  // The background decides whether this adapter may run on this origin: the service's own
  // origins, or one the user turned on (the popup offers it when it is off).
  const hello = await send({ type: 'webmail.hello', adapter: adapter.name });
  if (!hello.ok || !/** @type {{ enabled: boolean }} */ (hello.value).enabled) return;
  /**
   * Badges in the page, by message key (a conversation view shows several messages). Each
   * belongs to one message: the adapter's id (`ref`) and, once verified, the digest of the
   * bytes the verdict is about.
   * @type {Map<string, { host: HTMLElement, ref: MessageRef, digest: string | null }>}
   */
  const shown = new Map();
  /**
   * The messages whose verdict a screen reader was told (badge.js `quiet`), by key: a badge
   * the adapter draws again for a message still shown (the webmail redrew its header) says
   * nothing new; a message shown again after it went is announced again.
   * @type {Set<string>}
   */
  const announced = new Set();
  /** Whether the adapter still shows this message (a throw counts as no). @param {MessageRef} ref */
  const stillShown = (ref) => contained('a webmail adapter', () => adapter.isShown(doc, loc, ref)) === true;
  /** @param {MessageRef} ref */
  const onShown = (ref) => {
    const before = shown.get(ref.key);
    if (before?.host.isConnected && !ref.element) return; // already checked, still on screen
    if (before?.host.isConnected && ref.element && ref.element.contains(before.host)) return;
    before?.host.remove(); // also when a page comes back from the cache
    shown.delete(ref.key);
    const entry = { host: /** @type {HTMLElement | null} */ (null), ref, digest: /** @type {string | null} */ (null) };
    check(adapter, doc, loc, ref, send, () => stillShown(ref) && shown.get(ref.key) === entry, (host) => {
      entry.host = host;
      shown.set(ref.key, /** @type {any} */ (entry));
    }, (digest) => { entry.digest = digest; }, announced).catch(() => {});
  };
  // The message a badge verified may be replaced under the same element (a single-page
  // webmail that reuses its heading or container, changes an id attribute, or navigates its
  // history): the adapter's message identity is read again on every change, and a badge
  // whose message is no longer shown goes at once, with the toolbar's verdict.
  const recheck = () => {
    let gone = false;
    for (const [key, b] of shown) {
      if (stillShown(b.ref)) continue;
      b.host.remove();
      shown.delete(key);
      announced.delete(key);
      gone = true;
    }
    if (!gone) return;
    send({ type: 'webmail.clear' }).catch(() => {});
    const now = contained('a webmail adapter', () => adapter.messageId(doc, loc));
    if (now && !shown.has(now.key)) onShown(now);
  };
  new MutationObserver(recheck).observe(documentElement(doc), { subtree: true, childList: true, attributes: true, characterData: true });
  for (const type of ['popstate', 'hashchange']) defaultView(doc)?.addEventListener(type, recheck);
  adapter.watch(doc, loc, onShown, () => {
    for (const b of shown.values()) b.host.remove();
    shown.clear();
    announced.clear();
    send({ type: 'webmail.clear' }).catch(() => {});
  });
}

/**
 * The steps for one shown message.
 * @param {WebmailAdapter} adapter @param {Document} doc @param {Location} loc @param {MessageRef} ref
 * @param {typeof import('../../shared/ext.js').send} send
 * @param {() => boolean} current whether the message is still the one shown (else what arrives is dropped)
 * @param {(host: HTMLElement) => void} placed called with the badge's host once it is in the page
 * @param {(digest: string) => void} verified called with the digest of the bytes the verdict is about
 * @param {Set<string>} announced the keys of the messages whose verdict was announced
 */
async function check(adapter, doc, loc, ref, send, current, placed, verified, announced) {
  const begun = await send({ type: 'webmail.begin' });
  if (!begun.ok) return;
  const ticket = /** @type {{ ticket: string }} */ (begun.value).ticket;
  const badge = createBadge(doc);
  // Placed first: the badge takes its light or dark look from where it is.
  if (adapter.placeBadge(doc, badge.host, ref)) placed(badge.host);
  badge.show({ state: 'pending' });
  /** @param {import('./badge.js').BadgeState} state */
  const show = (state) => {
    badge.show(state, announced.has(ref.key));
    announced.add(ref.key);
  };

  /** The check failed: the background records the step (and the report's facts), the badge says it. @param {import('./fetch.js').FetchFailure} f */
  const failed = async (f) => {
    const r = await send({ type: 'webmail.failed', ticket, problem: f.problem, status: f.status, facts: reportFacts(adapter, doc, loc) });
    if (!current()) return badge.host.remove();
    show({ state: 'failed', problem: f.problem, mark: r.ok ? /** @type {any} */ (r.value).mark : null });
  };
  /** @type {RawMessage} */
  const got = await adapter.fetchRaw(doc, loc, ref, MAX_WEBMAIL_MESSAGE_BYTES)
    .catch((e) => ({ ok: false, problem: e?.name === 'TimeoutError' ? 'timeout' : 'network' }));
  if (!current()) return badge.host.remove();
  if (!got.ok) return failed(got);
  const raw = 'base64' in got ? got.base64 : await blobToBase64(got.blob);
  const r = await send({ type: 'webmail.verify', ticket, raw, adapter: adapter.name });
  if (!r.ok) return failed({ ok: false, problem: r.error.name === 'TooLarge' ? 'too_large' : 'not_a_message' });
  const v = /** @type {any} */ (r.value);
  // A verdict for a message no longer shown is dropped (the background dropped it from the
  // toolbar too when the message went).
  if (!current()) return badge.host.remove();
  verified(String(v.digest ?? ''));
  show({ state: 'done', verdict: v.verdict, words: v.words, mark: v.mark });
}
