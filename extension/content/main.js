// @ts-check
/**
 * The content script's entry point, injected into every frame of every page (bundled by
 * build.sh into `content/content.js`, a classic script: content scripts cannot be ES modules).
 * A frame it does not help must pay nothing measurable, so this part is small and does no work
 * before the page's load event:
 *
 * - After the load event, when the browser is idle, it looks once for something to do: a field
 *   that could take an e-mail address, a webmail page, or the loopback self-test (a field that
 *   says it takes one, and a webmail page, at the load event itself). Only then it
 *   imports the working part (`content/full.js`, an extension resource: a dynamic import from
 *   the isolated world, which the page's CSP does not govern; Chromium gives it a per-session
 *   URL, `use_dynamic_url`, so pages cannot probe for it).
 * - Fields that appear later: a MutationObserver notes that the page changed, and the same
 *   look runs at the next idle moment (at most once per `RECHECK_MS`).
 * - The user's own gestures load it at once: focusing a field, a right-click on one (the
 *   context menu's entry needs the field), and the extension's messages (context menu,
 *   keyboard command, the eval's inspection).
 *
 * Before the load event it only adds the load and gesture listeners: the extension's message
 * listener (whose API binding costs a frame about 0.2 ms of main-thread time in Chromium) and the
 * DOM interfaces it reads are set up at the load event or at the first gesture.
 *
 * It never compiles wasm (Chromium refuses wasm in content scripts on pages with a strict
 * CSP): every computation is a message to the background.
 */
import { onExtensionMessage, send } from '../shared/ext.js';

/* global EXT_NS */
/** Marks this isolated world once, so a second injection (extension reload) does nothing. */
const GUARD = Symbol.for('impalemail.content');
/**
 * Fields the working part may act on: what the forms scanner asks about or the gestures fill
 * (e-mail, text, search, URL and untyped inputs, text areas). A cheap selector: the scanner
 * decides.
 */
const FIELDS = 'input:not([type]),input[type=email],input[type=text],input[type=search],input[type=url],textarea';
/**
 * Fields that say they take an e-mail address (their type, autocomplete, name or id): a page
 * with one loads the working part at its load event rather than at the next idle moment, so a
 * signup form's button comes as soon as the page is loaded; other fields wait for idle time.
 */
const EMAIL_FIELDS = 'input[type=email],input[autocomplete~=email i],input[name*=mail i],input[id*=mail i]';
/** Where a webmail adapter may recognise its page: Roundcube's `_task=mail`, Gmail's and Outlook's `/mail/`, SOGo's `/SOGo/so/<user>/Mail/`, Exchange's `/owa/`, Horde's `/imp/dynamic.php`, Zimbra's `/h/`, Nextcloud's `/apps/mail/`, OX App Suite's `/appsuite/`, SnappyMail's `#/mailbox/` (the hash). */
const WEBMAIL = /[?&]_task=mail(&|$)|^\/mail\/|^\/SOGo\/so\/[^/]+\/Mail\/|^\/owa\/|\/imp\/dynamic\.php$|^\/h\/|\/apps\/mail\/|\/appsuite\/|^#\/mailbox\//i;
/** Hosts the self-test answers on (selftest.js). */
const LOOPBACK = /^(127\.0\.0\.1|localhost|\[::1\])$/;
/** Longest wait for an idle moment after the load event, or after a change (ms). */
const IDLE_TIMEOUT_MS = 500;
/** Shortest time between two looks after page changes (ms). */
const RECHECK_MS = 250;

/** The document's URL, read through the prototype (page markup can shadow `document.URL`). @param {Document} doc */
const documentUrl = (doc) => String(Object.getOwnPropertyDescriptor(Document.prototype, 'URL')?.get?.call(doc));

const g = /** @type {Record<symbol, unknown>} */ (/** @type {unknown} */ (globalThis));
if (!g[GUARD]) {
  g[GUARD] = true;
  boot(document, location);
}

/**
 * @param {Document} doc
 * @param {Location} loc
 */
function boot(doc, loc) {
  /** @type {Promise<(message: unknown) => Promise<unknown> | undefined> | null} */
  let full = null;
  /** @type {{ el: EventTarget, at: number } | null} */
  let rightClicked = null;
  /** @type {MutationObserver | null} */
  let observer = null;
  let pending = false;
  /** Whether the URL is one a webmail adapter may serve (its query, path or hash). */
  const isWebmail = () => [loc.search, loc.pathname, loc.hash].some((x) => WEBMAIL.test(x));
  let listening = false;
  /** Whether this is an HTML document (not XML or SVG: nothing to do there), asked once. */
  let html = /** @type {boolean | null} */ (null);
  const isHtml = () => (html ??= doc instanceof HTMLDocument);

  const load = () => {
    if (!full) {
      observer?.disconnect();
      // `EXT_NS` is replaced by build.sh with `browser` (Firefox) or `chrome` (Chromium): the one
      // use of the browser API outside shared/ext.js, because addons.mozilla.org's linter
      // accepts a dynamic import only as `import(browser.runtime.getURL("…"))`.
      full = import(EXT_NS.runtime.getURL('content/full.js')).then((m) => m.start(doc, loc, send, { contextTarget: rightClicked }));
      full.catch((e) => console.warn('ImpaleMail:', e));
    }
    return full;
  };
  /** Whether the frame has something for the working part. */
  const wanted = () =>
    isWebmail() ||
    (LOOPBACK.test(loc.hostname) && Document.prototype.querySelector.call(doc, '[data-impalemail-selftest]') !== null) ||
    Document.prototype.querySelector.call(doc, FIELDS) !== null;
  const idle = (/** @type {() => void} */ fn) =>
    typeof requestIdleCallback === 'function' ? requestIdleCallback(fn, { timeout: IDLE_TIMEOUT_MS }) : setTimeout(fn, 0);
  const look = () => {
    pending = false;
    if (!full && wanted()) void load();
  };
  const afterLoad = () => {
    if (!isHtml()) return;
    listen();
    // A webmail page (by its URL) is a message the user opened to read, and a field that says it
    // takes an e-mail address is most likely where a button belongs: both start at the load
    // event, not at the next idle moment (up to IDLE_TIMEOUT_MS later on a busy page).
    if (isWebmail() || Document.prototype.querySelector.call(doc, EMAIL_FIELDS) !== null) void load();
    else idle(look);
    // Fields that arrive later (single-page apps): look again at the next idle moment.
    observer = new MutationObserver(() => {
      if (pending || full) return;
      pending = true;
      setTimeout(() => idle(look), RECHECK_MS);
    });
    observer.observe(doc, { childList: true, subtree: true });
  };
  if (doc.readyState === 'complete') afterLoad();
  else addEventListener('load', afterLoad, { once: true });

  // The user's gestures: load now (a focused field gets its button as fast as a person notices).
  addEventListener('focusin', (e) => {
    if (e.isTrusted && !full && isField(e.composedPath()[0]) && isHtml()) {
      listen();
      void load();
    }
  }, true);
  addEventListener('contextmenu', (e) => {
    if (!e.isTrusted || full) return;
    const el = e.composedPath()[0];
    if (isField(el) && isHtml()) {
      listen(); // before the menu's entry can send its message
      rightClicked = { el: /** @type {EventTarget} */ (el), at: Date.now() };
      void load();
    }
  }, true);

  // The extension's messages (from the load event on, or from the first gesture on a field): the
  // working part answers, loaded first if need be. Which frame answers a message sent to every
  // frame is decided before loading anything (the keyboard command: the focused frame; the
  // eval's inspection: the frame whose URL it names).
  function listen() {
    if (listening) return;
    listening = true;
    onExtensionMessage((message) => {
      const m = /** @type {Record<string, unknown>} */ (message && typeof message === 'object' ? message : {});
      if (m.type === 'forms.prefsChanged' && !full) return undefined; // nothing drawn yet
      if (m.type === 'forms.gesture' && m.via === 'command' && !Document.prototype.hasFocus.call(doc)) return undefined;
      if (m.type === 'forms.inspect' && m.url !== documentUrl(doc)) return undefined;
      if (m.type !== 'forms.gesture' && m.type !== 'forms.inspect' && m.type !== 'forms.prefsChanged') return undefined;
      return load().then((handle) => handle(message));
    });
  }
}

/** @param {unknown} el */
function isField(el) {
  return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement;
}
