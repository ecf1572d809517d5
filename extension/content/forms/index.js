// @ts-check
/**
 * Signup-form detection and the in-page alias button, content side.
 *
 * Scanner: extract.js reads the candidate fields of the document and its open shadow roots
 * (skipping hidden, disabled and read-only ones); the background classifies the batch in
 * the Rust core (src/forms/) and says which fields get a button, which fields a click fills
 * (the field and its confirm twin) and which aliases this site already has. The scan runs
 * at start and again on DOM changes (a debounced MutationObserver on the document and on
 * every open shadow root), within a per-minute budget.
 *
 * UI: button.js draws one button per chosen field in a closed shadow root; only trusted
 * clicks and keys act. Filling is fill.js. Every frame runs this on its own (manifest
 * `all_frames`), and the background makes aliases for the frame's own page.
 *
 * Nothing is put on `window` and the page's elements get no attributes: the only thing a
 * page can see is the host element of a drawn button.
 */
import { scan, collectRoots } from '../extract.js';
import { FieldButton, ownHosts } from './button.js';
import { fillFields } from './fill.js';

/** Quiet time after the last DOM change before a rescan (ms): SPAs mutate in bursts. */
export const SCAN_DEBOUNCE_MS = 300;
/**
 * Longest a rescan waits after the first of a run of DOM changes (ms), so that a page that
 * never stops mutating (a ticker, an animation written to style attributes) still gets
 * its late forms scanned.
 */
export const SCAN_MAX_WAIT_MS = 2000;
/** Most scans per frame per minute; later changes wait for the window to free up. */
export const MAX_SCANS_PER_MINUTE = 20;
/** Most buttons drawn in one frame; a page with more alias-worthy fields is not a signup form. */
export const MAX_BUTTONS_PER_FRAME = 10;
/** Most aliases already used on the site that the menu lists (as the background sends). */
export const MAX_EXISTING_SHOWN = 5;
/** Input types worth asking the classifier about (an e-mail or user-name box). */
const ASK_TYPES = new Set(['email', 'text']);
const MINUTE_MS = 60_000;

/** @typedef {typeof import('../../shared/ext.js').send} Send */
/** @typedef {HTMLInputElement | HTMLTextAreaElement} TextField */
/** @typedef {{ el: TextField, mode: 'new' | 'existing', fills: TextField[] }} Target */

/**
 * An error from a background reply, with its message.
 * @param {import('../../shared/ext.js').Reply} reply
 */
function replyError(reply) {
  return new Error(reply.ok ? 'unexpected reply' : reply.error.message);
}

/** @param {unknown} el @returns {el is TextField} */
function isTextField(el) {
  return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement;
}

/**
 * Starts the scanner and the buttons in this frame.
 * @param {Document} doc
 * @param {Send} send
 */
export function startForms(doc, send) {
  if (!doc.documentElement || doc.documentElement.nodeName !== 'HTML') return; // XML, SVG documents
  if (!doc.defaultView) return;
  const view = doc.defaultView;

  /** @type {Map<TextField, FieldButton>} */
  const buttons = new Map();
  /** @type {string[]} */
  let existing = [];
  /** @type {number[]} */
  let scanTimes = [];
  /** @type {ReturnType<typeof setTimeout> | null} */
  let timer = null;
  let running = false;
  let again = false;
  /** @type {WeakSet<Node>} */
  const observed = new WeakSet();

  const resize = new ResizeObserver(() => reposition());
  let frame = 0;
  /** Repositions every button at the next frame (at most once per frame). */
  function reposition() {
    if (frame || !buttons.size) return;
    frame = view.requestAnimationFrame(() => {
      frame = 0;
      for (const b of buttons.values()) b.position();
    });
  }

  /** @param {Target[]} targets */
  function reconcile(targets) {
    const keep = new Set(targets.map((t) => t.el));
    for (const [el, b] of buttons) {
      if (!keep.has(el)) {
        b.remove();
        resize.unobserve(el);
        buttons.delete(el);
      }
    }
    for (const t of targets) {
      const options = {
        mode: t.mode,
        existing,
        onNew: () => createAndFill(t),
        onExisting: async (/** @type {string} */ address) => fillFields(t.fills, address),
        onSettings: () => void send({ type: 'forms.openOptions' }),
      };
      const b = buttons.get(t.el);
      if (b) b.update(options);
      else {
        buttons.set(t.el, new FieldButton(t.el, options));
        resize.observe(t.el);
      }
    }
    for (const b of buttons.values()) b.position();
  }

  /**
   * Asks the background for a new alias and fills it in.
   * @param {Target} t
   */
  async function createAndFill(t) {
    const reply = await send({ type: 'forms.createAlias' });
    if (!reply.ok) throw replyError(reply);
    const address = /** @type {{ address?: unknown }} */ (reply.value)?.address;
    if (typeof address !== 'string') throw new Error('no address in the reply');
    fillFields(t.fills, address);
    existing = [address, ...existing.filter((a) => a !== address)].slice(0, MAX_EXISTING_SHOWN);
    for (const b of buttons.values()) b.update({ existing });
    return address;
  }

  /** One scan, classification and redraw. */
  async function run() {
    const s = scan(doc);
    for (const root of collectRoots(doc)) {
      if (root !== doc && !observed.has(root)) {
        observed.add(root);
        observer.observe(root, OBSERVE);
      }
    }
    const worth = s.batch.fields.some((f) => f.tag === 'input' && ASK_TYPES.has(f.type));
    if (!worth) return reconcile([]);
    const reply = await send({ type: 'forms.classify', batch: s.batch });
    if (!reply.ok) return; // the background is restarting or refused: keep what is drawn
    const v = /** @type {{ fields?: unknown, existing?: unknown }} */ (reply.value);
    if (!v || !Array.isArray(v.fields)) return;
    existing = Array.isArray(v.existing) ? v.existing.filter((a) => typeof a === 'string').slice(0, MAX_EXISTING_SHOWN) : [];
    /** @type {Target[]} */
    const targets = [];
    for (const f of /** @type {{ index: number, button?: boolean, offer_existing?: boolean, fills?: unknown }[]} */ (v.fields)) {
      const el = s.elements[f.index];
      if (!isTextField(el) || targets.length >= MAX_BUTTONS_PER_FRAME) continue;
      if (f.button) {
        const fills = (Array.isArray(f.fills) ? f.fills : [f.index])
          .map((i) => s.elements[/** @type {number} */ (i)])
          .filter(isTextField);
        if (!fills.includes(el)) fills.unshift(el);
        targets.push({ el, mode: 'new', fills });
      } else if (f.offer_existing && existing.length) {
        targets.push({ el, mode: 'existing', fills: [el] });
      }
    }
    reconcile(targets);
  }

  /** Runs a scan now, or later when one is running or the per-minute budget is spent. */
  async function tick() {
    timer = null;
    pendingSince = 0;
    if (running) {
      again = true;
      return;
    }
    const now = Date.now();
    scanTimes = scanTimes.filter((t) => now - t < MINUTE_MS);
    if (scanTimes.length >= MAX_SCANS_PER_MINUTE) {
      timer = setTimeout(tick, MINUTE_MS - (now - scanTimes[0]) + 1);
      return;
    }
    scanTimes.push(now);
    running = true;
    try {
      await run();
    } catch {
      // A page that changes under the scan: the next mutation scans again.
    } finally {
      running = false;
    }
    if (again) {
      again = false;
      schedule();
    }
  }

  /** When the first change not yet scanned happened (ms), 0 when none is pending. */
  let pendingSince = 0;
  function schedule() {
    const now = Date.now();
    if (!pendingSince) pendingSince = now;
    if (timer) clearTimeout(timer);
    const wait = Math.max(0, Math.min(SCAN_DEBOUNCE_MS, pendingSince + SCAN_MAX_WAIT_MS - now));
    timer = setTimeout(tick, wait);
  }

  /** @param {Node} n */
  const ours = (n) => ownHosts.has(n);
  const observer = new MutationObserver((records) => {
    const relevant = records.some((r) => {
      if (ours(r.target)) return false;
      if (r.type !== 'childList') return true;
      return [...Array.from(r.addedNodes), ...Array.from(r.removedNodes)].some((n) => !ours(n));
    });
    if (!relevant) return; // our own hosts moving
    schedule();
    reposition();
  });
  const OBSERVE = {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ['type', 'hidden', 'style', 'class', 'disabled', 'readonly', 'aria-hidden', 'inert', 'open'],
  };
  observer.observe(doc, OBSERVE);
  view.addEventListener('scroll', reposition, { capture: true, passive: true });
  view.addEventListener('resize', reposition, { passive: true });
  // A late stylesheet or web font moves fields without a DOM change.
  view.addEventListener('load', reposition);
  void tick();
}
