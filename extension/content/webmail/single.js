// @ts-check
/**
 * What the adapters of webmails that show one message at a time share (`owa.js`, `horde.js`,
 * `nextcloud.js`, ...): noticing which message is shown, and putting the badge next to its
 * subject but never inside its body. Each adapter bundles its own copy (build.sh).
 */
import { body, closest, defaultView, documentElement, insertAdjacent, parentElement, query } from '../dom.js';

/** How long DOM changes settle before the page is read again (ms). */
const SCAN_DEBOUNCE_MS = 150;

/**
 * The key of the message last reported, shared by an adapter's `messageId` and its watcher:
 * index.js reads `messageId` after every change that removed a badge and checks the message it
 * gets itself, so the watcher must not report that message again (it would be fetched twice).
 * @typedef {{ last: string }} Seen
 */

/** `ref`, noted as reported in `seen`. @param {Seen} seen @param {import('./index.js').MessageRef | null} ref */
export function noted(seen, ref) {
  if (ref) seen.last = ref.key;
  return ref;
}

/**
 * Reports the message `read` finds whenever it changes: a debounced MutationObserver (a
 * single-page app may navigate with the History API, which fires no event a content script
 * hears), `popstate` and `hashchange`. A message is reported once per key (`seen`).
 * @param {Document} doc
 * @param {() => import('./index.js').MessageRef | null} read the message shown now
 * @param {(ref: import('./index.js').MessageRef) => void} onMessageShown
 * @param {() => void} onMessageHidden
 * @param {Seen} seen
 */
export function watchOne(doc, read, onMessageShown, onMessageHidden, seen) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const scan = () => {
    timer = undefined;
    const ref = read();
    const key = ref?.key ?? '';
    if (key === seen.last) return;
    if (seen.last && !key) onMessageHidden();
    seen.last = key;
    if (ref) onMessageShown(ref);
  };
  const later = () => {
    if (timer === undefined) timer = setTimeout(scan, SCAN_DEBOUNCE_MS);
  };
  new MutationObserver(later).observe(body(doc) ?? documentElement(doc), { childList: true, subtree: true });
  for (const type of ['popstate', 'hashchange']) defaultView(doc)?.addEventListener(type, later);
  scan();
}

/** The first element a list of selectors finds in `scope`. @param {Node} scope @param {string[]} selectors */
export function first(scope, selectors) {
  for (const sel of selectors) {
    const el = query(scope, sel);
    if (el) return el;
  }
  return null;
}

/** Whether `el` is inside (or is) an element of `bodies` (the sender's HTML). @param {Element} el @param {string[]} bodies */
function inBody(el, bodies) {
  const p = parentElement(el);
  return !!p && bodies.some((b) => !!closest(p, b));
}

/**
 * Puts the badge at the first place of `places` found in `scope` that is not inside a message
 * body.
 * @param {Node} scope @param {HTMLElement} host
 * @param {[string, InsertPosition][]} places selector and where, first match wins
 * @param {string[]} bodies the message body's selectors
 */
export function placeOutsideBody(scope, host, places, bodies) {
  for (const [sel, where] of places) {
    const anchor = query(scope, sel);
    if (!anchor || inBody(anchor, bodies)) continue;
    insertAdjacent(anchor, where, host);
    return true;
  }
  return false;
}

/**
 * The members of an adapter that shows one message at a time which follow from the function
 * finding it (`shown`): `watch`, `messageId` and `isShown` (the message shown has the key).
 * @param {(doc: Document, loc: Location) => import('./index.js').MessageRef | null} shown
 * @returns {Pick<import('./index.js').WebmailAdapter, 'watch' | 'messageId' | 'isShown'>}
 */
export function oneShown(shown) {
  /** @type {Seen} */
  const seen = { last: '' };
  return {
    watch: (doc, loc, onMessageShown, onMessageHidden) => watchOne(doc, () => shown(doc, loc), onMessageShown, onMessageHidden, seen),
    messageId: (doc, loc) => noted(seen, shown(doc, loc)),
    isShown: (doc, loc, ref) => shown(doc, loc)?.key === ref.key,
  };
}
