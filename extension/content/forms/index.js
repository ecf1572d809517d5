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
 * page can see is the host element of a drawn button, the same on a login field whether or
 * not the site has an alias. The document is read through dom.js
 * (page markup can shadow its properties), and one button that fails to draw does not stop
 * the others.
 *
 * Messages from the extension (tabs.sendMessage, which pages cannot send): `forms.gesture`
 * (the context-menu entry or the keyboard command was used: fill the right-clicked or focused
 * field with a new alias), `forms.prefsChanged` (the global switch or a site's "not here"
 * changed: scan again, the background says whether to draw), and `forms.inspect` (what was
 * decided for every field: `./build.sh eval-forms`).
 */
import { activeElement, attr, contained, contains, defaultView, docUrl, documentElement, hasFocus, listen, queryAll, shadowRoot } from '../dom.js';
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
/** Input types the context menu and the keyboard command fill (a person may type an address there). */
const GESTURE_TYPES = new Set(['email', 'text', 'search', 'url', '']);
/**
 * How long after the right-click the context menu's "Fill with a new alias" still applies to
 * the field that was right-clicked (ms): the menu may stay open while the user reads it.
 */
export const CONTEXT_TARGET_MAX_AGE_MS = 60_000;
/** Longest an inspection (`forms.inspect`, the eval) waits for a pending scan to finish (ms). */
export const INSPECT_MAX_WAIT_MS = 5000;
/** Most attribute names an inspection may ask to read from each field. */
const MAX_INSPECT_ATTRS = 8;
const MINUTE_MS = 60_000;

/** @typedef {typeof import('../../shared/ext.js').send} Send */
/** @typedef {HTMLInputElement | HTMLTextAreaElement} TextField */
/** @typedef {{ el: TextField, mode: 'new' | 'existing', fills: TextField[] }} Target */
/**
 * The background's classification of a batch (src/forms/features.rs `Classification`).
 * @typedef {{ fields: { index: number, field_type: string, button?: boolean, offer_existing?: boolean, fills?: number[], rules?: string[] }[], forms: { index: number, form_type: string, rules?: string[] }[] }} Classification
 */

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
 * Starts the scanner and the buttons in this frame. `contextTarget` is the field of a trusted
 * right-click that happened before this part was loaded (the context menu's entry fills it).
 * Returns the handler of the extension's messages (`forms.gesture`, `forms.prefsChanged`,
 * `forms.inspect`), or null in a document that is not HTML.
 * @param {Document} doc
 * @param {Send} send
 * @param {{ contextTarget?: { el: EventTarget, at: number } | null }} [opts]
 * @returns {((message: unknown) => Promise<unknown> | undefined) | null}
 */
export function startForms(doc, send, { contextTarget: rightClicked = null } = {}) {
  // XML, SVG documents. (The root element is not a form: its own properties are the browser's.)
  if (documentElement(doc)?.nodeName !== 'HTML') return null;
  const found = defaultView(doc);
  if (!found) return null;
  const view = found;

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
  /**
   * The last scan, its classification (null when nothing was worth asking about) and the
   * fields given a button: what `forms.inspect` reports.
   * @type {{ scan: import('../extract.js').Scan, classification: Classification | null, targets: Target[], ms: number } | null}
   */
  let last = null;
  /** Why the background said not to draw ('off', 'site'), or null: no rescans on mutations then. */
  /** @type {string | null} */
  let paused = null;
  /** The text field of the last trusted right-click, and when (for the context menu). */
  /** @type {{ el: TextField, at: number } | null} */
  let contextTarget = rightClicked && isGestureField(rightClicked.el) ? /** @type {{ el: TextField, at: number }} */ (rightClicked) : null;

  const resize = new ResizeObserver(() => reposition());
  let frame = 0;
  /** Repositions every button at the next frame (at most once per frame). */
  function reposition() {
    if (frame || !buttons.size) return;
    frame = view.requestAnimationFrame(() => {
      frame = 0;
      for (const b of buttons.values()) contained('a button', () => b.position());
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
        onNew: (/** @type {string | undefined} */ source) => createAndFill(t, source),
        onExisting: async (/** @type {string} */ address) => fillFields(t.fills, address),
        onSettings: (/** @type {string | undefined} */ section) => void send({ type: 'forms.openOptions', ...(section ? { section } : {}) }),
        onNotHere: () => void notHere(),
      };
      const b = buttons.get(t.el);
      if (b) b.update(options);
      else {
        const made = contained('a button', () => new FieldButton(t.el, options));
        if (!made) continue;
        buttons.set(t.el, made);
        resize.observe(t.el);
      }
    }
    for (const b of buttons.values()) contained('a button', () => b.position());
  }

  /**
   * Asks the background for a new alias (from the default source, or `source`) and fills it
   * in; answers why none was made when the background says so.
   * @param {Target} t @param {string} [source]
   * @returns {Promise<{ address: string } | { failure: import('./button.js').AliasFailure }>}
   */
  async function createAndFill(t, source) {
    const reply = await send({ type: 'forms.createAlias', ...(source ? { source } : {}) });
    if (!reply.ok) throw replyError(reply);
    const value = /** @type {{ address?: unknown, failure?: import('./button.js').AliasFailure }} */ (reply.value);
    if (value?.failure) return { failure: value.failure };
    const address = value?.address;
    if (typeof address !== 'string') throw new Error('no address in the reply');
    fillFields(t.fills, address);
    existing = [address, ...existing.filter((a) => a !== address)].slice(0, MAX_EXISTING_SHOWN);
    for (const b of buttons.values()) b.update({ existing });
    return { address };
  }

  /** "Not on this site": the background remembers the site; the buttons go at once. */
  async function notHere() {
    const reply = await send({ type: 'forms.notHere' });
    if (reply.ok) {
      paused = 'site';
      reconcile([]);
      if (last) last.targets = [];
    }
  }

  /** One scan, classification and redraw. */
  async function run() {
    const t0 = performance.now();
    const s = scan(doc);
    last = { scan: s, classification: null, targets: [], ms: performance.now() - t0 };
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
    const v = /** @type {{ fields?: unknown, forms?: unknown, existing?: unknown, paused?: unknown }} */ (reply.value);
    if (!v || !Array.isArray(v.fields)) return;
    paused = typeof v.paused === 'string' ? v.paused : null;
    if (paused) return reconcile([]);
    const mine = last;
    if (mine) mine.classification = /** @type {Classification} */ ({ fields: v.fields, forms: Array.isArray(v.forms) ? v.forms : [] });
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
      } else if (f.offer_existing) {
        // A login field gets the same button whether or not the site has an alias: the page
        // sees the same host either way, and the menu says which (issue 27 #5).
        targets.push({ el, mode: 'existing', fills: [el] });
      }
    }
    if (mine) mine.targets = targets;
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
    if (!paused) schedule();
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
  // So does a style sheet the page adopts or drops, or a transition or animation (a modal
  // sliding in): the buttons follow when one ends, and when the user goes to a field (also by
  // pressing on one that already has the focus, where no focusin comes).
  for (const type of ['focusin', 'pointerdown', 'transitionend', 'animationend']) view.addEventListener(type, reposition, { capture: true, passive: true });

  // A field a scan left out while the page hid it, shown again by a style sheet alone (no DOM
  // change to wake the observer): the user going to it scans again.
  for (const type of ['focusin', 'pointerdown']) {
    listen(doc, type, (e) => {
      const el = e.composedPath()[0];
      if (e.isTrusted && !paused && isGestureField(el) && !buttons.has(/** @type {TextField} */ (el))) schedule();
    }, true);
  }

  // The field of the last trusted right-click, for the context menu's entry.
  listen(doc, 'contextmenu', (e) => {
    if (!e.isTrusted) return;
    const el = e.composedPath()[0];
    contextTarget = isGestureField(el) ? { el, at: Date.now() } : null;
  }, { capture: true, passive: true });

  /**
   * The context-menu entry or the keyboard command: fills the right-clicked (menu) or focused
   * (command) text field with a new alias, and its confirm twin when the classifier paired
   * them. The browser's UI saw the gesture; a page cannot send this message.
   * @param {unknown} via
   */
  async function onGesture(via) {
    /** @type {TextField | null} */
    let el = null;
    if (via === 'menu') {
      if (contextTarget && Date.now() - contextTarget.at < CONTEXT_TARGET_MAX_AGE_MS) el = contextTarget.el;
      contextTarget = null;
    } else if (via === 'command' && hasFocus(doc)) {
      el = deepActiveElement(doc);
    }
    if (!el || !isGestureField(el) || !el.isConnected || el.disabled || el.readOnly) return { filled: false };
    const paired = last?.targets.find((t) => t.el === el || (t.mode === 'new' && t.fills.includes(el)));
    const fills = paired && paired.mode === 'new' ? [el, ...paired.fills.filter((f) => f !== el)] : [el];
    const result = await createAndFill({ el, mode: 'new', fills });
    if ('address' in result) return { filled: true };
    // No alias was made: the field's own menu says why and offers the next steps.
    buttons.get(el)?.showFailure(result.failure);
    return { filled: false, failure: result.failure };
  }

  /**
   * What the extension decided for every input, textarea and select of this document (open
   * shadow roots included), in document order: the field type and form type from the last
   * classification (asked for now when the scan found nothing worth asking about), whether a
   * button is shown on it, and whether a click on a shown button fills it.
   * @param {Record<string, unknown>} message
   */
  async function inspect(message) {
    const t0 = Date.now();
    while ((running || timer || !last) && Date.now() - t0 < INSPECT_MAX_WAIT_MS) await new Promise((r) => setTimeout(r, 50));
    const settled = !running && !timer && Boolean(last);
    const s = last?.scan ?? scan(doc);
    let cls = last?.classification ?? null;
    if (!cls && s.batch.fields.length) {
      const reply = await send({ type: 'forms.classify', batch: s.batch });
      const v = reply.ok ? /** @type {{ fields?: unknown, forms?: unknown }} */ (reply.value) : null;
      if (v && Array.isArray(v.fields)) cls = /** @type {Classification} */ ({ fields: v.fields, forms: Array.isArray(v.forms) ? v.forms : [] });
    }
    const attrs = (Array.isArray(message.attrs) ? message.attrs : [])
      .filter((a) => typeof a === 'string' && /^[a-z][a-z0-9_.:-]*$/i.test(a))
      .slice(0, MAX_INSPECT_ATTRS);
    /** @type {Set<Element>} */
    const shown = new Set();
    /** @type {Set<Element>} */
    const filled = new Set();
    for (const t of last?.targets ?? []) {
      // What the eval counts as an offer: a button whose menu offers an alias (a login
      // field's button with no alias for the site offers none).
      if (!buttons.get(t.el)?.shown || (t.mode === 'existing' && !existing.length)) continue;
      shown.add(t.el);
      if (t.mode === 'new') for (const f of t.fills) filled.add(f);
    }
    const byIndex = new Map((cls?.fields ?? []).map((f) => [f.index, f]));
    const fields = [];
    /** @type {{ label: string | null, form_type: string | null }[]} */
    const forms = [];
    const formAttr = typeof message.formAttr === 'string' && /^[a-z][a-z0-9_.:-]*$/i.test(message.formAttr) ? message.formAttr : null;
    for (const root of collectRoots(doc)) {
      for (const el of queryAll(root, 'input, textarea, select')) {
        const i = s.elements.indexOf(el);
        const fr = i >= 0 ? byIndex.get(i) : undefined;
        const fi = i >= 0 ? s.batch.fields[i].formIndex : -1;
        fields.push({
          name: attr(el, 'name'),
          id: attr(el, 'id') || null,
          attrs: Object.fromEntries(attrs.map((a) => [a, attr(el, a)])),
          field_type: fr ? fr.field_type : 'other',
          form_type: fi >= 0 ? (cls?.forms[fi]?.form_type ?? null) : null,
          button: shown.has(el),
          fills: filled.has(el),
          rules: fr?.rules ?? [],
          form_rules: fi >= 0 ? (cls?.forms[fi]?.rules ?? []) : [],
        });
      }
      if (!formAttr) continue;
      for (const f of queryAll(root, `[${formAttr}]`)) {
        let fi = s.formElements.indexOf(f);
        if (fi < 0) fi = s.formElements.findIndex((fe) => contains(f, fe) || contains(fe, f));
        forms.push({ label: attr(f, formAttr), form_type: fi >= 0 ? (cls?.forms[fi]?.form_type ?? null) : null });
      }
    }
    return { url: docUrl(doc), settled, paused, scan_ms: last?.ms ?? null, fields, forms };
  }

  /**
   * The messages from the extension (the content script's entry point listens, and hands them
   * here once this part is loaded). Answers a promise, or undefined when it does not answer.
   * @param {unknown} message
   */
  const onMessage = (message) => {
    const m = /** @type {Record<string, unknown>} */ (message && typeof message === 'object' ? message : {});
    if (m.type === 'forms.gesture') {
      // Every frame of the tab hears the command; only the focused one answers.
      if (m.via === 'command' && !(hasFocus(doc) && deepActiveElement(doc))) return undefined;
      return onGesture(m.via);
    }
    if (m.type === 'forms.prefsChanged') {
      paused = null;
      schedule();
      return undefined;
    }
    if (m.type === 'forms.inspect' && m.url === docUrl(doc)) return inspect(m);
    return undefined;
  };
  void tick();
  return onMessage;
}

/**
 * A field the context menu and the keyboard command may fill.
 * @param {unknown} el
 * @returns {el is TextField}
 */
function isGestureField(el) {
  if (el instanceof HTMLTextAreaElement) return true;
  return el instanceof HTMLInputElement && GESTURE_TYPES.has(el.type);
}

/**
 * The focused text field, looking into open shadow roots; null when the focus is elsewhere.
 * @param {Document} doc
 * @returns {TextField | null}
 */
function deepActiveElement(doc) {
  /** @type {Element | null} */
  let a = activeElement(doc);
  // A focused element may be a form (with a tabindex): its `shadowRoot` can be shadowed.
  for (let sr = a && shadowRoot(a); sr && sr.activeElement; sr = shadowRoot(a)) a = sr.activeElement;
  return isGestureField(a) ? a : null;
}
