// @ts-check
/**
 * The in-field alias button and its menu.
 *
 * Design against the recurring complaints (shared/notes/alias-user-requests.md #1, #10, #13):
 * - The page is never restyled: the button lives in a host element appended to the body (or
 *   to the open modal <dialog> around the field, so it shares the top layer), positioned
 *   absolutely over the right edge of the field. The field keeps its size, padding and
 *   label; nothing is inserted next to it (sibling selectors such as `input + label` keep
 *   working).
 * - The host's shadow root is closed and holds the button, the menu and their styles, so
 *   the page can neither read the menu (the aliases of this site) nor press it: only
 *   trusted events (`event.isTrusted`) do anything.
 * - Password managers' icons and the page's own controls (show-password eyes, clear
 *   buttons) keep their place: the button moves to the left of the field's reserved right
 *   padding, of a background-image icon, of known password-manager markers, and of anything
 *   that a hit test finds drawn over the field where the button would go.
 * - Nothing is created until the user picks "New alias".
 * - Events inside the menu stop at the host, so a page's "click outside closes the modal"
 *   handler does not close the form the user is filling.
 */
import { i18n } from '../../shared/ext.js';
import { camel } from '../../shared/words.js';
import { attr, composedParent, contained, createElement, pageDocument, parentElement, parentNode, queryAll, rectOf } from '../dom.js';
import { isVisible } from '../extract.js';
import { MENU_PALETTE, darkSurface, paletteCss } from '../scheme.js';

/**
 * Tag name of the host element: a plain `div` (one of the elements that can hold a shadow
 * root). A custom element name (the host was `impalemail-alias-button`) lets a page learn
 * that we are installed and break the button by defining that element first (its
 * constructor attaches a shadow root, so ours cannot); a page cannot define or customize
 * `div` (a customized built-in needs `is` at creation).
 */
export const HOST_TAG = 'div';
/** Smallest and largest button edge (CSS px). The button is the field's height minus a margin. */
export const MIN_BUTTON_PX = 16;
export const MAX_BUTTON_PX = 24;
/** Gap between the button and the field's border or a neighbouring icon (CSS px). */
export const GAP_PX = 4;
/** A field narrower than this many button widths gets no button: it would cover the text. */
export const MIN_FIELD_WIDTH_IN_BUTTONS = 5;
/** Right padding at or above this (CSS px) means the page reserved room for its own icon. */
export const RESERVED_PADDING_PX = 18;
/** How many overlapping elements the button steps left of before it gives up and hides. */
export const MAX_OVERLAY_STEPS = 3;
/**
 * Shortest time between the button or the menu appearing, moving, being redrawn or being put
 * back on top and a click or key that acts on it (ms). A person does not aim at a control
 * that appeared or jumped under the pointer less than this ago; a page that moves the
 * button or the menu under a click (the double-click variant of DOM-based extension
 * clickjacking) does. The browsers' own prompts do the same: Chromium's
 * views::InputEventActivationProtector ignores input for the double-click interval (500 ms
 * by default) after a permission bubble shows, Firefox's prompts for
 * `security.notification_enable_delay` (500 ms).
 */
export const INPUT_DELAY_MS = 500;
/**
 * Lowest share of the button's host, the menu and the field that must be visible for a
 * click to act (`visibleShare`: the product of `opacity` and `filter: opacity()` over the
 * element and every ancestor, across shadow boundaries, or 0 when hidden another way).
 * Clickjacking hides the real control at 0 or near it (0.01, 0.1 in the 2025 proofs of
 * concept); at 0.8 the white button and a field are plainly visible, while a page that dims
 * a form that much means it is not in use (a disabled look, a modal fading in or out), where
 * acting would be a surprise too.
 */
export const MIN_OPACITY = 0.8;
/** Elements that password managers put over fields (LastPass, 1Password, Dashlane, Bitwarden). */
const PM_MARKERS =
  '[data-lastpass-icon-root], [data-lastpass-root], com-1password-button, com-1password-inline-menu, ' +
  '[data-dashlane-shadowhost], [data-dashlane-label], [data-bitwarden-watching] ~ div[class*="bitwarden"], ' +
  'bitwarden-inline-menu-button, [id^="__lpform_"]';
/** Ancestor levels searched for password-manager markers. */
const PM_MARKER_LEVELS = 3;

/**
 * The open modal dialog or popover holding `el` (in its own tree), if any. `el` is the field,
 * whose own properties page markup cannot shadow (a form's and the document's it can: those
 * are read through dom.js, as is the document through `this.doc`).
 * @param {Element} el
 * @returns {Element | null}
 */
function topLayerAncestor(el) {
  for (const sel of ['dialog:modal', ':popover-open']) {
    try {
      const found = el.closest(sel);
      if (found) return found;
    } catch {
      // a browser without this selector
    }
  }
  return null;
}

/** Every host we made, so hit tests and the mutation observer can skip them. */
export const ownHosts = new WeakSet();

/**
 * Filters that leave what they draw unreadable, whatever the opacity: a blur wider than
 * `MAX_BLUR_PX` (CSS px; 1 px softens text, 2 px and more smear it), `brightness()` or
 * `contrast()` below `MIN_FILTER_LEVEL` (at 0 everything is one black or grey; at 0.5 text
 * on a white form still reads), `invert()` within `INVERT_GREY_BAND` of 0.5 (every colour
 * becomes the same grey), and any `url()` filter (an SVG filter can draw anything at all).
 */
export const MAX_BLUR_PX = 1;
export const MIN_FILTER_LEVEL = 0.5;
export const INVERT_GREY_BAND = 0.25;
/**
 * Smallest share of its own laid-out size that the field (and the button) may be drawn at
 * once transformed (`transform: scale()`, `scale`, `zoom` on an ancestor): below half, the
 * field and its label shrink to where a person no longer reads them as the form they fill.
 */
export const MIN_SCALE = 0.5;

/** One function of a computed `filter` (its name and its argument). */
const FILTER_FN = /([a-z-]+)\(([^()]*)/g;

/**
 * How much of `el` the page lets the user see: 0 when the page hides it (`visibility`, a
 * `content-visibility: hidden` ancestor, a `clip-path`, `clip`, `mask` or `mix-blend-mode`
 * on it or an ancestor, a filter that blurs, darkens, greys or replaces it), else the
 * opacity it is drawn with (`opacity` × `filter: opacity()` of it and every ancestor,
 * multiplied), up through shadow hosts to the root element. A page rarely clips, masks or
 * blends a form the user fills; where it does, our button does nothing rather than act on
 * what the user may not see.
 * @param {Window} view @param {Element} el
 */
export function visibleShare(view, el) {
  if (view.getComputedStyle(el).visibility !== 'visible') return 0;
  let alpha = 1;
  /** @type {Node | null} */
  let n = el;
  for (; n; n = n instanceof ShadowRoot ? n.host : parentNode(n)) {
    if (!(n instanceof Element)) continue;
    const cs = view.getComputedStyle(n);
    if ((n !== el && cs.getPropertyValue('content-visibility') === 'hidden') || cs.clipPath !== 'none' ||
        (cs.clip !== 'auto' && /absolute|fixed/.test(cs.position)) || cs.getPropertyValue('mask-image') !== 'none' ||
        cs.mixBlendMode !== 'normal') return 0;
    alpha *= parseFloat(cs.opacity);
    for (const [, fn, arg] of cs.filter.matchAll(FILTER_FN)) {
      const v = parseFloat(arg) / (arg.trim().endsWith('%') ? 100 : 1);
      if (fn === 'opacity') alpha *= v;
      else if (fn === 'url' || (fn === 'blur' && v > MAX_BLUR_PX) ||
        ((fn === 'brightness' || fn === 'contrast') && v < MIN_FILTER_LEVEL) ||
        (fn === 'invert' && Math.abs(v - 0.5) < INVERT_GREY_BAND)) return 0;
    }
  }
  return Number.isNaN(alpha) ? 0 : alpha;
}

const CSS = `${paletteCss('.wrap', MENU_PALETTE)}
:host { all: initial; }
.wrap { position: relative; width: 100%; height: 100%; font: 13px/1.35 system-ui, sans-serif; color: var(--fg); }
.btn { box-sizing: border-box; width: 100%; height: 100%; margin: 0; padding: 2px; border: 1px solid var(--line);
  border-radius: 5px; background: var(--bg); color: var(--accent); cursor: pointer; display: flex; align-items: center;
  justify-content: center; }
.btn:hover { background: var(--hover); }
.btn:focus-visible, .item:focus-visible, .menu:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.btn svg { width: 100%; height: 100%; display: block; }
.menu { position: absolute; right: 0; top: calc(100% + 6px); min-width: 220px; max-width: 340px; box-sizing: border-box;
  max-height: 60vh; overflow-y: auto; padding: 4px; background: var(--bg); border: 1px solid var(--line); border-radius: 8px;
  box-shadow: 0 6px 24px var(--shadow); }
.menu.up { top: auto; bottom: calc(100% + 6px); }
.menu[hidden] { display: none; }
.head { padding: 4px 8px; font-size: 11px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.item { display: block; width: 100%; box-sizing: border-box; margin: 0; padding: 7px 8px; border: 0; border-radius: 5px;
  background: transparent; color: inherit; font: inherit; text-align: left; cursor: pointer; overflow: hidden;
  text-overflow: ellipsis; white-space: nowrap; }
.item:hover, .item:focus { background: var(--hover); }
.item[disabled] { color: var(--off); cursor: default; }
.item.new { font-weight: 600; }
.item.addr { font-family: ui-monospace, monospace; font-size: 12px; }
.sep { height: 1px; margin: 4px 0; background: var(--sep); }
.status { padding: 6px 8px; font-size: 12px; white-space: normal; }
.status.error { color: var(--error); }
.status[hidden] { display: none; }
`;

/**
 * An SVG element (built with createElementNS: no markup parsing).
 * @param {import('../dom.js').PageDocument} doc @param {string} tag @param {Record<string, string>} attrs
 */
function svg(doc, tag, attrs) {
  const el = doc.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

/**
 * The icon: an envelope with a mask slit.
 * @param {import('../dom.js').PageDocument} doc
 */
function icon(doc) {
  const s = svg(doc, 'svg', { viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' });
  s.append(
    svg(doc, 'rect', { x: '3', y: '6', width: '18', height: '13', rx: '2', fill: 'none', stroke: 'currentColor', 'stroke-width': '2' }),
    svg(doc, 'path', { d: 'M4 7l8 6 8-6', fill: 'none', stroke: 'currentColor', 'stroke-width': '2', 'stroke-linejoin': 'round' }),
  );
  return s;
}

/**
 * Styles a shadow root. Constructed style sheets are CSSOM, which a page's CSP does not
 * cover (the demo pages send `default-src 'self'`, which would refuse a <style> element);
 * the <style> element is the fallback where adoption fails. Returns where the sheet's
 * `:host` rule is (the <style> element's sheet exists once the host is in the document).
 * @param {ShadowRoot} root
 * @returns {() => CSSStyleRule | null}
 */
function style(root) {
  /** The sheet's `:host` rule, found by its selector (the palette's rules come before it). @param {CSSStyleSheet | null | undefined} sheet */
  const first = (sheet) => /** @type {CSSStyleRule | null} */ (
    [...(sheet?.cssRules ?? [])].find((r) => r instanceof CSSStyleRule && r.selectorText === ':host') ?? null);
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
    if (root.adoptedStyleSheets.length === 1) return () => first(sheet);
  } catch {
    // fall through
  }
  const el = /** @type {HTMLStyleElement} */ (createElement(root.ownerDocument, 'style'));
  el.textContent = CSS;
  root.append(el);
  return () => first(el.sheet);
}

/**
 * Sets an inline style on the host through CSSOM (never the `style` attribute, which a CSP
 * without 'unsafe-inline' refuses), with `!important` so that page rules cannot move it
 * (but for READERS_SPACING).
 * @param {HTMLElement} el @param {Record<string, string>} props
 */
function setStyles(el, props) {
  for (const [k, v] of Object.entries(props)) el.style.setProperty(k, v, READERS_SPACING.has(k) ? '' : 'important');
}

/**
 * Set on the host without `!important`, after `all: initial`: a reader's own text-spacing
 * style sheet (WCAG 2.1 1.4.12; axe's avoid-inline-spacing) must be able to widen the menu's
 * letters and words. It cannot move or hide anything: the menu's box is still ours.
 */
const READERS_SPACING = new Set(['letter-spacing', 'word-spacing']);

/**
 * Why no alias was made (the background's `aliasFailure`): `reason` picks the plain words
 * (`formsWhy<Reason>`), the others the next steps the menu offers.
 * @typedef {{
 *   reason: string,
 *   source: string,
 *   alternatives: string[],
 *   temporaryInbox: boolean,
 *   section: string | null,
 *   retryAfterSecs: number | null,
 * }} AliasFailure
 */

/**
 * @typedef {{
 *   mode: 'new' | 'existing',
 *   existing: string[],
 *   onNew: (source?: string) => Promise<{ address: string } | { failure: AliasFailure }>,
 *   onExisting: (address: string) => Promise<void>,
 *   onSettings: (section?: string) => void,
 *   onNotHere: () => void,
 * }} ButtonOptions
 * `mode` 'new' offers "New alias" and the site's existing aliases; 'existing' (login fields)
 * offers only the existing ones, or says there are none (the button is the same either way). `onNew` creates (with the default source, or `source`) and
 * fills, resolving with the address or with why none was made. `onNotHere` is the menu's
 * "Not on this site" (the buttons of the site go away).
 */

/** Reasons after which the same source is worth trying again (the others need the settings). */
const RETRYABLE = new Set(['offline', 'down', 'busy', 'no-domain', 'tab-limit', 'other']);

/**
 * A source's name in the user's language ("the temporary inbox", "your catch-all domain",
 * "SimpleLogin"): `_locales` key `src<Id in camel case>`; an unknown id is shown as it is.
 * @param {string} id
 */
export function sourceName(id) {
  const key = `src${camel(id)}`;
  const name = i18n(key);
  return name && name !== key ? name : id;
}

/**
 * The menu's sentence for a failure, with the wait the service asked for.
 * @param {AliasFailure} f
 */
export function failureText(f) {
  const reason = camel(f.reason);
  let text = i18n(`formsWhy${reason}`, sourceName(f.source));
  if (text === `formsWhy${reason}`) text = i18n('formsWhyOther', sourceName(f.source));
  if (f.retryAfterSecs) text += ` ${i18n('formsWaitSeconds', String(Math.ceil(f.retryAfterSecs)))}`;
  return text;
}

/** The button on one field. */
export class FieldButton {
  /**
   * @param {HTMLInputElement | HTMLTextAreaElement} field
   * @param {ButtonOptions} options
   */
  constructor(field, options) {
    this.field = field;
    this.options = options;
    const doc = pageDocument(field.ownerDocument);
    this.doc = doc;
    this.host = /** @type {HTMLElement} */ (doc.createElement(HOST_TAG));
    ownHosts.add(this.host);
    /** Every inline style we set on the host, to restore after the page changed it. */
    /** @type {Record<string, string>} */
    this.styles = {};
    /** The host's `style` attribute as we last wrote it. */
    this.cssText = '';
    /** Whether the host is a popover (the browser has the Popover API). */
    this.popover = false;
    this.root = this.host.attachShadow({ mode: 'closed' });
    this.hostRule = style(this.root);
    /** The `:host` rule that holds all of `styles` (once it exists). */
    /** @type {CSSStyleRule | null} */
    this.synced = null;
    this.setStyles({
      all: 'initial', 'letter-spacing': 'normal', 'word-spacing': 'normal', position: 'absolute', left: '0px', top: '0px', width: '0px', height: '0px',
      margin: '0', padding: '0', border: '0', display: 'block', visibility: 'hidden',
      'z-index': '2147483646', overflow: 'visible', transform: 'none', contain: 'layout style',
    });
    const wrap = doc.createElement('div');
    wrap.className = 'wrap';
    this.button = doc.createElement('button');
    this.button.type = 'button';
    this.button.className = 'btn';
    this.button.tabIndex = 0;
    this.button.setAttribute('aria-haspopup', 'menu');
    this.button.setAttribute('aria-expanded', 'false');
    this.button.setAttribute('aria-label', i18n('formsButtonLabel'));
    this.button.title = i18n('formsButtonLabel');
    this.button.append(icon(doc));
    this.menu = doc.createElement('div');
    this.menu.className = 'menu';
    this.menu.setAttribute('role', 'menu');
    this.menu.setAttribute('aria-label', i18n('formsMenuLabel'));
    this.menu.hidden = true;
    // The menu itself takes the focus when it opens, so that Enter right after the click that
    // opened it activates nothing (ArrowDown reaches the items).
    this.menu.tabIndex = -1;
    wrap.append(this.button, this.menu);
    this.root.append(wrap);
    this.wrap = wrap;
    /** @type {{ text: string, error: boolean } | null} */
    this.status = null;
    /** @type {AliasFailure | null} why the last "New alias" made none, until the menu closes */
    this.failure = null;
    this.busy = false;
    this.shown = false;
    this.left = 0;
    this.top = 0;
    /** When the button or the menu last appeared, moved, was redrawn or was raised (performance.now()). */
    this.changedAt = performance.now();

    // The page sees none of the menu's events (a "click outside" handler must not close the
    // form's modal; a key handler must not read what the user picks).
    for (const type of ['click', 'mousedown', 'mouseup', 'pointerdown', 'pointerup', 'keydown', 'keyup', 'keypress', 'dblclick', 'contextmenu']) {
      wrap.addEventListener(type, (e) => e.stopPropagation());
    }
    this.button.addEventListener('click', (e) => {
      if (!e.isTrusted) return;
      if (!this.menu.hidden) this.close(false);
      else if (this.mayAct(e, [this.button])) this.open();
    });
    this.menu.addEventListener('keydown', (e) => this.onMenuKey(e));
    this.onFieldKey = (/** @type {KeyboardEvent} */ e) => {
      // Alt+ArrowDown in the field opens the menu: the host sits at the end of the body, so
      // Tab does not reach it right after the field.
      if (e.isTrusted && e.altKey && e.key === 'ArrowDown') {
        e.preventDefault();
        this.open();
      }
    };
    /** @type {HTMLElement} */ (field).addEventListener('keydown', this.onFieldKey);
    this.onOutside = (/** @type {Event} */ e) => {
      if (!e.composedPath().includes(this.host)) this.close(false);
    };

    // The host is a manual popover: in the top layer, above every element of the page that
    // is not itself in the top layer, so no page element can cover the button or the menu
    // (and no ancestor's overflow clips the menu). A field in a modal dialog or an open
    // popover is in the top layer already, and everything outside a modal dialog is inert:
    // the host then goes inside that element, so it is not inert either.
    const layer = topLayerAncestor(field);
    (layer || doc.body || doc.documentElement).append(this.host);
    this.raise();
    // An element the page puts in the top layer later goes above ours: ours goes back on
    // top, and the delay starts again (the user may have seen the page's element there).
    this.onTopLayer = (/** @type {Event} */ e) => {
      // (Our other buttons' hosts going back on top are not the page's.)
      if (!ownHosts.has(/** @type {Node} */ (e.target)) && (!('newState' in e) || e.newState === 'open')) this.raise();
    };
    doc.addEventListener('toggle', this.onTopLayer, true);
    doc.addEventListener('fullscreenchange', this.onTopLayer, true);
    // `toggle` comes in a later task, which a browser may run after a click already queued
    // (input goes first): `beforetoggle` comes while the page's popover opens, so from that
    // moment a click waits and the menu is closed, before anything of the page's is drawn.
    this.onBeforeTopLayer = (/** @type {Event} */ e) => {
      if (!ownHosts.has(/** @type {Node} */ (e.target)) && (!('newState' in e) || e.newState === 'open')) {
        this.changedAt = performance.now();
        this.close(false);
      }
    };
    doc.addEventListener('beforetoggle', this.onBeforeTopLayer, true);
    // The page changing the host's attributes (an `!important` opacity in its style, a
    // class, the popover attribute): our styles are put back, the menu closes and the delay
    // starts again.
    /** The frame that puts our styles back, if one is pending. */
    this.restoring = 0;
    this.guard = new MutationObserver(() => this.onHostChanged());
    this.guard.observe(this.host, { attributes: true });
  }

  /**
   * Puts the host on top of the top layer (a manual popover shown again goes last). Where
   * the browser refuses (no Popover API) it stays an ordinary positioned element.
   */
  raise() {
    this.changedAt = performance.now();
    if (typeof this.host.showPopover !== 'function') return;
    this.close(false);
    if (attr(this.host, 'popover') !== 'manual') this.host.setAttribute('popover', 'manual');
    this.popover = true;
    this.setStyles({ position: 'fixed' });
    try {
      if (this.host.matches(':popover-open')) this.host.hidePopover();
      this.host.showPopover();
    } catch {
      // not connected, or in a document that refuses: the next position() tries again
    }
  }

  /**
   * Sets inline styles on the host through CSSOM (never the `style` attribute, which a CSP
   * without 'unsafe-inline' refuses), with `!important` so that page rules cannot move it
   * (`all: initial` first: no page rule reaches any property of the host).
   * @param {Record<string, string>} props
   */
  setStyles(props) {
    this.checkHost();
    Object.assign(this.styles, props);
    setStyles(this.host, props);
    this.cssText = this.host.style.cssText;
    this.syncRule(props);
  }

  /**
   * Writes host styles into the shadow root's `:host` rule as well, `!important`: in the
   * cascade an important declaration of the inner (shadow) context beats the outer one's,
   * the page's inline `!important` style included (CSS Cascade 5 §6.1, "Context"; measured
   * in Chromium and Firefox), so no page rule or inline style changes how the host is drawn
   * (`all: initial` first: no property is left to the page). The inline copy is the
   * fallback where the rule is not there yet.
   * @param {Record<string, string>} props
   */
  syncRule(props) {
    const rule = this.hostRule();
    if (!rule) return;
    if (rule !== this.synced) {
      this.synced = rule;
      props = this.styles;
    }
    for (const [k, v] of Object.entries(props)) rule.style.setProperty(k, v, 'important');
  }

  /** Whether the page changed the host's attributes since we last wrote them. */
  tampered() {
    const popoverKept = !this.popover || attr(this.host, 'popover') === 'manual';
    return this.host.style.cssText !== this.cssText || !popoverKept ||
      !this.host.getAttributeNames().every((n) => n === 'style' || n === 'popover');
  }

  /** If the page changed the host's attributes: puts ours back (and only ours), and raise(). */
  checkHost() {
    if (!this.tampered()) return;
    for (const n of this.host.getAttributeNames()) this.host.removeAttribute(n);
    setStyles(this.host, this.styles);
    this.cssText = this.host.style.cssText;
    this.raise();
  }

  /**
   * The page changed the host: from now on the delay starts again and the menu closes; our
   * styles go back at the next frame (not at once: a page that sets its own again on every
   * change would make a loop of observers that hangs the tab).
   */
  onHostChanged() {
    if (!this.tampered()) return;
    this.changedAt = performance.now();
    this.close(false);
    if (this.restoring) return;
    this.restoring = this.doc.defaultView?.requestAnimationFrame(() => {
      this.restoring = 0;
      contained('the button', () => this.checkHost());
    }) ?? 0;
  }

  /**
   * Whether a trusted click or key on the button or a menu item may act: the button and the
   * menu are on top where the pointer is, drawn (not faded by the page), and have been where
   * they are for INPUT_DELAY_MS. A refused click does nothing and says nothing (the page
   * sees none of our events either way).
   * @param {MouseEvent} e @param {Element[]} shown what the user must see: the button, or the menu too
   */
  mayAct(e, shown) {
    this.checkHost();
    // Where the field is now: a field the page moved since the last frame moves the button
    // (and the menu) now, which starts the delay.
    this.position();
    const view = this.doc.defaultView;
    if (!view || !this.shown || !this.host.isConnected) return false;
    if (performance.now() - this.changedAt < INPUT_DELAY_MS) return false;
    for (const el of [...shown, this.host, this.field]) {
      if (visibleShare(view, el) < MIN_OPACITY) return false;
    }
    // Not shrunk by a transform or zoom (the host's own are ours; the field's ancestors' are
    // the page's): drawn at MIN_SCALE of its laid-out size at least.
    const f = rectOf(this.field);
    const b = rectOf(this.button);
    const size = parseFloat(this.styles.width) || MIN_BUTTON_PX;
    if (f.width < this.field.offsetWidth * MIN_SCALE || f.height < this.field.offsetHeight * MIN_SCALE ||
      b.width < size * MIN_SCALE || b.height < size * MIN_SCALE) return false;
    // A pointer click (a key's click has detail 0 and no position): the topmost element
    // under the pointer is our host. (An element with `pointer-events: none` is not in this
    // list; the top layer and raise() keep those below us.)
    if (e.detail > 0 || e.clientX || e.clientY) {
      const top = this.doc.elementsFromPoint(e.clientX, e.clientY)[0];
      if (top !== this.host) return false;
    }
    return true;
  }

  /** @param {Partial<ButtonOptions>} options */
  update(options) {
    const before = this.options;
    this.options = { ...this.options, ...options };
    const changed = before.mode !== this.options.mode || before.existing.join() !== this.options.existing.join();
    // A rescan while the menu is open redraws it only when what it offers changed, and keeps
    // the focused item's place, so a key press in flight still lands on a menu item.
    if (changed && !this.menu.hidden && !this.busy) {
      const at = this.menuItems().indexOf(/** @type {HTMLButtonElement} */ (this.root.activeElement));
      this.render();
      const items = this.menuItems();
      if (at < 0) this.menu.focus();
      else items[Math.min(at, items.length - 1)]?.focus();
    }
  }

  /** Builds the menu's items from the options and the status line. */
  render() {
    const doc = this.doc;
    // New items where others were: a click aimed at the old ones waits like any other.
    this.changedAt = performance.now();
    /** @type {HTMLElement[]} */
    const items = [];
    const item = (/** @type {string} */ text, /** @type {string} */ cls, /** @type {() => void} */ act) => {
      const b = doc.createElement('button');
      b.type = 'button';
      b.className = `item ${cls}`;
      b.setAttribute('role', 'menuitem');
      b.tabIndex = -1;
      b.textContent = text;
      b.disabled = this.busy;
      b.addEventListener('click', (e) => {
        if (e.isTrusted && !this.busy && this.mayAct(e, [this.button, this.menu])) act();
      });
      items.push(b);
      return b;
    };
    const head = doc.createElement('div');
    head.className = 'head';
    head.textContent = i18n('extName');
    const f = this.failure;
    if (f) {
      // The next steps after a failure: the same source again, the temporary inbox, the
      // other sources set up, the settings where it is fixed.
      if (RETRYABLE.has(f.reason)) item(i18n('formsTryAgain'), 'retry', () => this.createNew(f.source));
      if (f.temporaryInbox) item(i18n('formsUseTemporaryInbox'), 'use-temporary', () => this.createNew('mailtm'));
      for (const id of f.alternatives) item(i18n('formsUseSource', sourceName(id)), 'use-source', () => this.createNew(id)).dataset.source = id;
      if (f.section) {
        const section = f.section;
        item(i18n('formsFixInSettings'), 'fix', () => {
          this.close(true);
          this.options.onSettings(section);
        });
      }
    } else if (this.options.mode === 'new') item(i18n('formsNewAlias'), 'new', () => this.createNew());
    if (this.options.mode === 'existing' && !this.options.existing.length && !f) {
      const none = doc.createElement('div');
      none.className = 'status';
      none.textContent = i18n('formsNoneHere');
      items.push(none);
    }
    if (this.options.existing.length) {
      const h = doc.createElement('div');
      h.className = 'head';
      h.textContent = i18n('formsUsedHere');
      items.push(h);
      for (const address of this.options.existing) {
        const b = item(address, 'addr', () => this.useExisting(address));
        b.setAttribute('aria-label', i18n('formsUseExisting', address));
      }
    }
    const sep = doc.createElement('div');
    sep.className = 'sep';
    sep.setAttribute('role', 'separator');
    items.push(sep);
    item(i18n('formsNotHere'), 'not-here', () => {
      this.close(true);
      this.options.onNotHere();
    });
    // After a failure with a settings section, "Open the settings" above already goes there.
    if (!f?.section) {
      item(i18n('formsSettings'), 'settings', () => {
        this.close(true);
        this.options.onSettings();
      });
    }
    const status = doc.createElement('div');
    status.className = `status${this.status?.error ? ' error' : ''}`;
    status.setAttribute('role', this.status?.error ? 'alert' : 'status');
    status.textContent = this.status?.text ?? '';
    status.hidden = !this.status;
    // Why no alias was made comes first, then the next steps; progress goes last.
    if (f) this.menu.replaceChildren(head, status, ...items);
    else this.menu.replaceChildren(head, ...items, status);
  }

  /** Menu items that can take the focus. */
  menuItems() {
    return /** @type {HTMLButtonElement[]} */ (Array.from(this.menu.querySelectorAll('.item')));
  }

  /** Light or dark, as the page is around the field (scheme.js). */
  paint() {
    const view = this.doc.defaultView;
    if (view) this.wrap.classList.toggle('dark', darkSurface(view, this.field, composedParent, this.doc.documentElement));
  }

  open() {
    if (!this.shown) return;
    this.paint();
    this.status = null;
    this.failure = null;
    this.render();
    this.menu.hidden = false;
    this.button.setAttribute('aria-expanded', 'true');
    // Open upwards when the menu would run off the bottom of the viewport.
    this.menu.classList.remove('up');
    const view = this.doc.defaultView;
    if (view) {
      const m = this.menu.getBoundingClientRect();
      const h = this.host.getBoundingClientRect();
      if (m.bottom > view.innerHeight && h.top - m.height - 6 >= 0) this.menu.classList.add('up');
    }
    this.doc.addEventListener('pointerdown', this.onOutside, true);
    // Not the first item: Enter right after the click that opened the menu does nothing.
    this.menu.focus();
  }

  /** @param {boolean} toField return the focus to the field */
  close(toField) {
    if (this.menu.hidden) return;
    this.menu.hidden = true;
    this.button.setAttribute('aria-expanded', 'false');
    this.doc.removeEventListener('pointerdown', this.onOutside, true);
    if (toField) this.field.focus({ preventScroll: true });
  }

  /** @param {KeyboardEvent} e */
  onMenuKey(e) {
    if (!e.isTrusted) return;
    const items = this.menuItems();
    const at = items.indexOf(/** @type {HTMLButtonElement} */ (this.root.activeElement));
    if (e.key === 'Escape') {
      e.preventDefault();
      this.close(true);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      const from = at < 0 && step < 0 ? 0 : at;
      items[(from + step + items.length) % items.length]?.focus();
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      items[e.key === 'Home' ? 0 : items.length - 1]?.focus();
    } else if (e.key === 'Tab') {
      this.close(false);
    }
  }

  /**
   * Makes an alias with the default source (or `source`) and fills it; on failure the menu
   * stays open and says why, with the next steps.
   * @param {string} [source]
   */
  async createNew(source) {
    this.busy = true;
    this.failure = null;
    this.status = { text: i18n('formsCreating'), error: false };
    this.render();
    /** @type {{ address: string } | { failure: AliasFailure }} */
    let result;
    try {
      result = await this.options.onNew(source);
    } catch (e) {
      // No answer at all (the extension was updated or stopped under the page): the error
      // goes to the console, the menu offers to try again.
      console.warn('ImpaleMail:', e);
      result = { failure: { reason: 'other', source: source ?? 'mailtm', alternatives: [], temporaryInbox: false, section: null, retryAfterSecs: null } };
    }
    this.busy = false;
    if ('failure' in result) {
      this.failure = result.failure;
      this.status = { text: failureText(result.failure), error: true };
      this.render();
      this.menuItems()[0]?.focus();
      return;
    }
    this.close(true);
  }

  /**
   * Opens the menu on a failure that happened elsewhere (the context menu, the keyboard
   * command): why, and the next steps.
   * @param {AliasFailure} f
   */
  showFailure(f) {
    this.open();
    if (this.menu.hidden) return;
    this.failure = f;
    this.status = { text: failureText(f), error: true };
    this.render();
    this.menuItems()[0]?.focus();
  }

  /** @param {string} address */
  async useExisting(address) {
    this.close(true);
    await this.options.onExisting(address);
  }

  /** Hides the button (and its menu) until the next `position` finds the field again. */
  hide() {
    if (!this.shown) return;
    this.shown = false;
    this.close(false);
    this.setStyles({ visibility: 'hidden' });
  }

  /**
   * Whether a known password-manager element or an icon the page drew over the field sits at
   * the right of the field: how far from the right edge the button must stay (CSS px).
   * @param {DOMRect} r the field's rectangle
   */
  reservedRight(r) {
    const view = this.doc.defaultView;
    if (!view) return 0;
    const cs = view.getComputedStyle(this.field);
    let inset = (parseFloat(cs.borderRightWidth) || 0) + GAP_PX;
    const padding = parseFloat(cs.paddingRight) || 0;
    if (padding >= RESERVED_PADDING_PX) inset = Math.max(inset, padding);
    // An icon painted as a background image (LastPass's and Dashlane's older markers, many
    // sites' own envelope icons) sits at the right: leave a square of the field's height.
    if (cs.backgroundImage && cs.backgroundImage !== 'none' && !cs.backgroundImage.includes('gradient')) {
      inset = Math.max(inset, r.height);
    }
    let p = parentElement(this.field);
    for (let level = 0; level < PM_MARKER_LEVELS && p; level++, p = parentElement(p)) {
      for (const m of queryAll(p, PM_MARKERS)) {
        if (m === this.field || ownHosts.has(m)) continue;
        const mr = rectOf(m);
        if (mr.width && mr.bottom > r.top && mr.top < r.bottom && mr.left < r.right && mr.right > r.left + r.width / 2) {
          inset = Math.max(inset, r.right - mr.left + GAP_PX);
        }
      }
    }
    return inset;
  }

  /**
   * The element drawn over the field at (x, y) if it is not the field itself (a password
   * manager's icon, a show-password eye...), else null.
   * @param {number} x @param {number} y
   * @returns {Element | null}
   */
  overlayAt(x, y) {
    // The field's own tree finds what its component draws over it (a show-password eye);
    // the document finds what a password manager appends to the body. Browsers differ in
    // what a shadow root's elementsFromPoint returns from outside it, so ask both.
    const scope = this.field.getRootNode();
    const scopes = scope instanceof ShadowRoot ? [scope, this.doc] : [this.doc];
    for (const at of scopes) {
      for (const h of at.elementsFromPoint(x, y)) {
        if (ownHosts.has(h)) continue;
        if (!this.holdsField(h)) return h;
        break;
      }
    }
    return null;
  }

  /**
   * Whether `el` is the field or one of its ancestors, across shadow boundaries (a hit test
   * in the document returns the shadow host for anything inside it).
   * @param {Element} el
   */
  holdsField(el) {
    /** @type {Node | null} */
    let n = this.field;
    while (n) {
      if (n === el) return true;
      n = parentNode(n) ?? (n instanceof ShadowRoot ? n.host : null);
    }
    return false;
  }

  /** Puts the button over the right edge of the field, or hides it when the field is gone. */
  position() {
    const f = this.field;
    if (!f.isConnected || !isVisible(f)) return this.hide();
    const r = f.getBoundingClientRect();
    const size = Math.round(Math.max(MIN_BUTTON_PX, Math.min(MAX_BUTTON_PX, r.height - 8)));
    if (r.width < size * MIN_FIELD_WIDTH_IN_BUTTONS || r.height < MIN_BUTTON_PX) return this.hide();
    let x = r.right - this.reservedRight(r) - size;
    const y = r.top + (r.height - size) / 2;
    const view = this.doc.defaultView;
    const inView = view && y >= 0 && y + size <= view.innerHeight && x >= 0 && x + size <= view.innerWidth;
    for (let step = 0; inView && step < MAX_OVERLAY_STEPS; step++) {
      const over = this.overlayAt(x + size / 2, y + size / 2);
      if (!over) break;
      const o = rectOf(over);
      // Something covers the whole field (a modal's backdrop, a cookie banner): no button.
      if (o.left <= r.left && o.right >= r.right && o.top <= r.top && o.bottom >= r.bottom) return this.hide();
      x = o.left - GAP_PX - size;
    }
    if (x < r.left + r.width / 2) return this.hide();
    // Place by the difference between where the host is and where it should be, which holds
    // whatever the host's containing block is (a positioned or transformed body, a dialog).
    if (!this.host.isConnected) {
      (topLayerAncestor(f) || this.doc.body || this.doc.documentElement).append(this.host);
      this.raise();
    }
    const now = this.host.getBoundingClientRect();
    const wasShown = this.shown;
    const left = Math.round(this.left + (x - now.left));
    const top = Math.round(this.top + (y - now.top));
    // Appeared or moved: a click waits INPUT_DELAY_MS from now.
    if (!wasShown || left !== this.left || top !== this.top || Math.abs(now.width - size) > 0.5) this.changedAt = performance.now();
    this.left = left;
    this.top = top;
    this.setStyles({
      left: `${this.left}px`, top: `${this.top}px`, width: `${size}px`, height: `${size}px`, visibility: 'visible',
    });
    this.shown = true;
    if (!wasShown) {
      this.menu.hidden = true;
      this.paint();
    }
  }

  /** Removes the host and the field's listener. */
  remove() {
    this.close(false);
    this.guard.disconnect();
    this.doc.removeEventListener('toggle', this.onTopLayer, true);
    this.doc.removeEventListener('fullscreenchange', this.onTopLayer, true);
    this.doc.removeEventListener('beforetoggle', this.onBeforeTopLayer, true);
    /** @type {HTMLElement} */ (this.field).removeEventListener('keydown', this.onFieldKey);
    this.host.remove();
  }
}
