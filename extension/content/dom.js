// @ts-check
/**
 * Reading the page's DOM where page markup cannot answer instead of the browser (DOM
 * clobbering).
 *
 * What markup can shadow, and so what is read here:
 * - A `<form>`: its named properties (the `name` and `id` of its controls and images) come
 *   before everything on its prototype chain (`[LegacyOverrideBuiltIns]`), so with
 *   `<input name="id">` `form.id` is that input, and `getAttribute`, `closest`, `tagName`,
 *   `parentElement`, `textContent`... can all be elements too.
 * - The `document`: the `name` of its forms, images, embeds, objects and iframes (and the `id`
 *   of images and objects) come first the same way: `<img name="body">`,
 *   `<form name="querySelectorAll">`, `<embed name="getElementById">`. Only its unforgeable
 *   `location` is an own property that markup cannot shadow.
 * Any node the scan reaches by walking (a parent, a sibling, an element found by id) may be a
 * form, so walking goes through this module as well.
 *
 * Which of these a content script sees differs by browser (measured with
 * tests/e2e/forms-clobber.test.mjs against the content script of before this module): in
 * Chromium's isolated world a form's named properties show (the scan threw on a form with an
 * input named `id`: 4 pages of 563 in the held-out corpus got no button) and the document's
 * do not; Firefox's Xray wrappers show neither. Both are read through here all the same: the
 * DOM standard says they shadow, and what a browser exposes to extensions can change.
 *
 * What markup cannot shadow, and so is read directly:
 * - Other elements (inputs, textareas, selects, labels, buttons...) and shadow roots: they
 *   have no named properties. Expandos a page script sets are not seen either: the content
 *   script runs in its own world (Chromium's isolated world, Firefox's Xray wrappers), with its
 *   own prototypes that the page cannot change. So a field's `type`, `value`, `form`,
 *   `disabled`... are read on the field once it is known to be one (`instanceof`).
 * - `window`: its named properties (elements by `id` or `name`) come only for names that
 *   the window and its prototype chain do not have (HTML's named property visibility), so
 *   `getComputedStyle`, `innerHeight`, `addEventListener` stay the browser's. The one global a
 *   content script looks up that a browser may lack is `browser` (shared/ext.js); a page's
 *   `<div id="browser">` did not reach it in either browser (the same test).
 *
 * The functions below were taken from the prototypes when the content script started, before
 * any page markup was read, and are called on the node they read.
 */

/**
 * A getter of `proto`'s property `name`, as a function of the object.
 * @template T
 * @param {object} proto @param {string} name
 * @returns {(self: any) => T}
 */
function getter(proto, name) {
  // The nearest prototype of the chain that has it wins, as for a property read (whether a
  // document's getter sits on HTMLDocument or on Document is the browser's business).
  for (let p = proto; p; p = Object.getPrototypeOf(p)) {
    const get = Object.getOwnPropertyDescriptor(p, name)?.get;
    if (get) return (self) => get.call(self);
  }
  throw new TypeError(`no getter ${name}`);
}

/**
 * A method of `proto`, as a function of the object and the method's arguments.
 * @template {(...args: any[]) => any} F
 * @param {{ prototype: object }} iface @param {string} name
 * @returns {(self: any, ...args: Parameters<F>) => ReturnType<F>}
 */
function method(iface, name) {
  const fn = /** @type {Record<string, F>} */ (iface.prototype)[name];
  return (self, ...args) => fn.apply(self, args);
}

const N = Node.prototype;
const E = Element.prototype;
const D = HTMLDocument.prototype;

/** @type {(n: Node) => number} */
const nodeType = getter(N, 'nodeType');
/** @type {(n: Node) => ParentNode | null} */
export const parentNode = getter(N, 'parentNode');
/** @type {(n: Node) => HTMLElement | null} */
export const parentElement = getter(N, 'parentElement');
/** @type {(n: Node) => ChildNode | null} */
export const previousSibling = getter(N, 'previousSibling');
/** @type {(n: Node) => Document | null} */
export const ownerDocument = getter(N, 'ownerDocument');
/** @type {(n: Node) => string | null} */
export const textContent = getter(N, 'textContent');
/** @type {(n: Node) => string} */
export const baseURI = getter(N, 'baseURI');
/** @type {(r: ShadowRoot) => Element} */
const hostOf = getter(ShadowRoot.prototype, 'host');
/**
 * The parent element of `n`, or the host of the shadow root `n` sits at the top of: the
 * composed tree, where a web component's inner input belongs to the form or section around
 * its host.
 * @param {Node} n
 * @returns {Element | null}
 */
export function composedParent(n) {
  const p = parentElement(n);
  if (p) return p;
  const r = parentNode(n);
  return r && nodeType(r) === 11 && r instanceof ShadowRoot ? hostOf(r) : null;
}
/** @type {(n: Node) => Node} */
export const getRootNode = method(Node, 'getRootNode');
/** @type {(n: Node, other: Node | null) => boolean} */
export const contains = method(Node, 'contains');

/** @type {(el: Element) => string} */
export const tagName = getter(E, 'tagName');
/** @type {(el: Element) => Element | null} */
export const previousElementSibling = getter(E, 'previousElementSibling');
/** @type {(el: Element) => Element | null} */
export const nextElementSibling = getter(E, 'nextElementSibling');
/** @type {(el: Element) => ShadowRoot | null} */
export const shadowRoot = getter(E, 'shadowRoot');
/** @type {(el: Element, name: string) => string | null} */
export const attr = method(Element, 'getAttribute');
/** @type {(el: Element, selectors: string) => Element | null} */
export const closest = method(Element, 'closest');
/** @type {(el: Element, selectors: string) => boolean} */
export const matches = method(Element, 'matches');
/** @type {(el: Element) => DOMRect} */
export const rectOf = method(Element, 'getBoundingClientRect');
/** @type {(el: Element) => DOMRectList} */
export const clientRects = method(Element, 'getClientRects');
/** @type {(el: Element, where: InsertPosition, node: Element) => Element | null} */
export const insertAdjacent = method(Element, 'insertAdjacentElement');

/** @type {(doc: Document) => Window | null} */
export const defaultView = getter(D, 'defaultView');
/** @type {(doc: Document) => HTMLElement} */
export const documentElement = getter(D, 'documentElement');
/** @type {(doc: Document) => HTMLElement | null} */
export const body = getter(D, 'body');
/** @type {(doc: Document) => string} */
export const docTitle = getter(D, 'title');
/** @type {(doc: Document) => string} */
export const docUrl = getter(D, 'URL');
/** @type {(doc: Document) => string} */
export const cookie = getter(D, 'cookie');
/** @type {(doc: Document) => Element | null} */
export const activeElement = getter(D, 'activeElement');
/** @type {(doc: Document) => boolean} */
export const hasFocus = method(Document, 'hasFocus');
/** @type {(doc: Document, root: Node, whatToShow: number) => TreeWalker} */
export const createTreeWalker = method(Document, 'createTreeWalker');
/** @type {(doc: Document, x: number, y: number) => Element[]} */
const docElementsFromPoint = method(Document, 'elementsFromPoint');
/** @type {{ <K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K): HTMLElementTagNameMap[K], (doc: Document, tag: string): HTMLElement }} */
export const createElement = /** @type {any} */ (method(Document, 'createElement'));
/** @type {(doc: Document, ns: string, tag: string) => Element} */
const createElementNS = method(Document, 'createElementNS');
/** @type {(t: EventTarget, type: string, fn: EventListener, options?: boolean | AddEventListenerOptions) => void} */
export const listen = method(EventTarget, 'addEventListener');
/** @type {(t: EventTarget, type: string, fn: EventListener, options?: boolean | EventListenerOptions) => void} */
const unlisten = method(EventTarget, 'removeEventListener');

const DOCUMENT_NODE = 9;
const FRAGMENT_NODE = 11;

/** @param {Node} n @returns {n is Document} */
export const isDocument = (n) => nodeType(n) === DOCUMENT_NODE;

/**
 * A ParentNode method (each of Document, DocumentFragment and Element has its own copy),
 * picked by the node's type; `null` for a node that has none.
 * @template {(...args: any[]) => any} F
 * @param {string} name
 * @returns {(scope: Node, ...args: Parameters<F>) => ReturnType<F> | null}
 */
function scoped(name) {
  /** @type {Record<number, (self: any, ...args: Parameters<F>) => ReturnType<F>>} */
  const byType = { [DOCUMENT_NODE]: method(Document, name), [FRAGMENT_NODE]: method(DocumentFragment, name) };
  if (name in E) byType[1] = method(Element, name);
  return (scope, ...args) => byType[nodeType(scope)]?.(scope, ...args) ?? null;
}

const scopedQueryAll = /** @type {(scope: Node, selectors: string) => NodeListOf<Element> | null} */ (scoped('querySelectorAll'));

/**
 * Every element under `scope` (a document, a shadow root or an element) that matches.
 * @param {Node} scope @param {string} selectors
 * @returns {Element[]}
 */
export const queryAll = (scope, selectors) => Array.from(scopedQueryAll(scope, selectors) ?? []);

/**
 * The first element under `scope` (a document, a shadow root or an element) that matches.
 * @type {(scope: Node, selectors: string) => Element | null}
 */
export const query = scoped('querySelector');

/**
 * The element with this id in a document or shadow root (null under anything else).
 * @type {(scope: Node, id: string) => Element | null}
 */
export const byId = scoped('getElementById');

/**
 * Runs `fn`; a throw is logged without any page data and gives `undefined`, so one form (or
 * one field, one message) that breaks does not stop the others.
 * @template T
 * @param {string} what what was being done, for the console
 * @param {() => T} fn
 * @returns {T | undefined}
 */
export function contained(what, fn) {
  try {
    return fn();
  } catch (e) {
    console.warn(`ImpaleMail: skipped ${what}: ${e instanceof Error ? e.name : 'error'}`);
    return undefined;
  }
}

/**
 * The document as the in-page UI uses it: the same few members as a `Document`, each read
 * through the browser's prototype, so the UI's code reads like plain DOM code.
 * @param {Document} doc
 */
export function pageDocument(doc) {
  return {
    /** The document itself, for comparisons and as a node. */
    node: doc,
    get defaultView() { return defaultView(doc); },
    get body() { return body(doc); },
    get documentElement() { return documentElement(doc); },
    /** @type {{ <K extends keyof HTMLElementTagNameMap>(tag: K): HTMLElementTagNameMap[K], (tag: string): HTMLElement }} */
    createElement: /** @type {any} */ ((/** @type {string} */ tag) => createElement(doc, tag)),
    /** @param {string} ns @param {string} tag */
    createElementNS: (ns, tag) => createElementNS(doc, ns, tag),
    /** @param {string} type @param {EventListener} fn @param {boolean | AddEventListenerOptions} [options] */
    addEventListener: (type, fn, options) => listen(doc, type, fn, options),
    /** @param {string} type @param {EventListener} fn @param {boolean | EventListenerOptions} [options] */
    removeEventListener: (type, fn, options) => unlisten(doc, type, fn, options),
    /** @param {number} x @param {number} y */
    elementsFromPoint: (x, y) => docElementsFromPoint(doc, x, y),
  };
}
/** @typedef {ReturnType<typeof pageDocument>} PageDocument */
