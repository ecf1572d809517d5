// @ts-check
/**
 * Form feature extraction for signup-form detection.
 *
 * Walks a document (and its open shadow roots), picks the candidate fields a person could
 * type an e-mail address or user name into, and builds one compact, JSON-able batch of
 * records. The background classifies the batch in Rust (src/forms/); nothing here decides.
 *
 * Cost: one pass of querySelectorAll per tree scope, attribute reads for every
 * input, and layout reads (getComputedStyle, getClientRects) only for inputs that passed
 * the cheap attribute checks. This module only reads the DOM, so the browser lays the
 * page out at most once per scan. It does not use any browser extension API.
 *
 * Page markup can shadow the properties of forms and of the document (`<input name="id">`
 * makes `form.id` an element): every node that may be one is read through dom.js. A form
 * (or a field) whose reading still throws is left out of the batch, with a line in the
 * console, and the frame's other forms are sent as usual.
 *
 * @module extract
 */

import {
  attr, baseURI, byId, clientRects, closest, composedParent, contained, createTreeWalker, defaultView, docTitle, getRootNode,
  isDocument, matches, nextElementSibling, ownerDocument, parentElement, previousElementSibling, previousSibling, query, queryAll,
  rectOf, shadowRoot, tagName, textContent,
} from './dom.js';

/** Most candidate fields sent per scan; a page with more is a data grid, not a signup form. */
export const MAX_INPUTS_PER_SCAN = 500;
/** Most forms / form-like containers per scan. */
export const MAX_FORMS_PER_SCAN = 200;
/** Longest text kept for one feature (label, heading, button text...), in characters. */
export const MAX_TEXT_LEN = 200;
/** Most entries kept in a list feature (buttons, links, checkboxes, classes). */
export const MAX_LIST_LEN = 12;
/** How deep nested open shadow roots are followed. */
export const MAX_SHADOW_DEPTH = 8;
/**
 * How many ancestors are walked from a form-less input to find its container. Component
 * libraries wrap each field in four to six elements (MUI: input, InputBase, FormControl, Grid
 * item, Grid container, Box; Chakra and Ant Design alike) before the box that holds the
 * submit; the walk also stops at an ancestor that holds a `<form>`, so going deep never merges
 * a formless area with a real form beside it.
 */
export const MAX_CONTAINER_DEPTH = 10;
/** How many previous siblings / ancestors are searched for a heading before a form. */
export const MAX_HEADING_STEPS = 6;
/** How many previous siblings are read for the text before a label-less field. */
export const MAX_NEARBY_STEPS = 3;
/**
 * Longest text of a link line just outside a form ("Already have an account? Log in") that is
 * read as one of the form's links; a longer block is page text, not the form's.
 */
export const MAX_LINK_LINE_LEN = 100;
/**
 * Attributes that frameworks and test tooling put on fields and that name the field's purpose
 * when `name` and `id` are generated (`formcontrolname="email"`, `data-testid="signup-email"`).
 */
const HINT_ATTRS = ['formcontrolname', 'data-testid', 'data-test', 'data-qa', 'data-cy', 'data-id', 'data-gigya-name'];

/** Input types that are never candidates (checkboxes are read as form features instead). */
const SKIP_TYPES = new Set([
  'hidden', 'submit', 'button', 'image', 'reset', 'file', 'range', 'color', 'checkbox', 'radio',
]);
const BUTTON_SELECTOR =
  'button, input[type=submit], input[type=button], input[type=image], [role=button]';
/**
 * Controls that act as a formless area's submit without being buttons: links and divs styled
 * as buttons (`<a class="btn">`, `<a class="button">`, `<div onclick>`), common in SPAs.
 */
const BUTTON_LIKE = `${BUTTON_SELECTOR}, a[class*=btn i], a[class*=button i], [onclick]:not(input, select, textarea, form, body)`;
/**
 * Controls that submit a form (ASP.NET WebForms link buttons post back through `__doPostBack`):
 * a `<form>` whose fields sit in two or more areas with a submit of their own is a page-wide
 * form (WebForms, some CMSs) holding several forms, and each area is read as one.
 */
const SUBMIT_SELECTOR = 'button:not([type]), button[type=submit], input[type=submit], input[type=image], a[href*=__doPostBack]';
const HEADING_SELECTOR = 'h1, h2, h3, h4, h5, h6, legend, [role=heading]';
const FIELD_OR_HEADING = `input, select, textarea, button, ${HEADING_SELECTOR}`;
/** Before a form, a title styled as one (`mat-card-title`, `.modal-title`) titles it too. */
const TITLE_SELECTOR = `${HEADING_SELECTOR}, [class*=title i]`;
/** Buttons inside a field's wrapper that do not submit anything (password eye, clear). */
const TOGGLE_BUTTON = /^(show|hide|toggle|clear|eye|×|x)$/i;
/**
 * Buttons beside one field that check or verify it ("Send code", "인증요청", "获取验证码",
 * "중복확인"): they submit nothing, so they do not make the field's row a form of its own.
 */
const FIELD_ACTION_BUTTON = /\bcode\b|verif|availab|인증|중복|验证|驗證|認証|код/i;

/**
 * One candidate field; mirrors `FieldFeatures` in src/forms/features.rs.
 * @typedef {{
 *   index: number, formIndex: number, tag: string, type: string, autocomplete: string,
 *   name: string, id: string, hints: string, classes: string[], placeholder: string, ariaLabel: string,
 *   ariaDescribed: string, label: string, nearby: string, maxLength: number,
 *   inputMode: string, required: boolean
 * }} FieldFeatures
 */
/**
 * One form or form-like container; mirrors `FormFeatures` in src/forms/features.rs.
 * @typedef {{
 *   index: number, isForm: boolean, action: string, method: string, id: string,
 *   name: string, classes: string[], heading: string, buttons: string[], links: string[],
 *   passwordCount: number, passwordAutocompletes: string[], visibleInputs: number,
 *   checkboxes: string[]
 * }} FormFeatures
 */
/** @typedef {{ urlPath: string, title: string }} PageInfo */
/** @typedef {{ fields: FieldFeatures[], forms: FormFeatures[], page: PageInfo }} Batch */
/**
 * A scan: the batch, plus the elements behind each record (same order) for the filler.
 * @typedef {{ batch: Batch, elements: Element[], formElements: Element[], truncated: boolean }} Scan
 */
/** @typedef {Document | ShadowRoot | Element} ScanRoot */
/** @typedef {HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement} Field */

/**
 * Collapses whitespace and cuts to MAX_TEXT_LEN.
 * @param {string | null | undefined} s
 * @returns {string}
 */
function clean(s) {
  if (!s) return '';
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > MAX_TEXT_LEN ? t.slice(0, MAX_TEXT_LEN) : t;
}

/**
 * Text of a node, cut early so that a huge container costs little.
 * @param {Node | null | undefined} n
 * @returns {string}
 */
function textOf(n) {
  if (!n) return '';
  const t = textContent(n) || '';
  return clean(t.length > 4 * MAX_TEXT_LEN ? t.slice(0, 4 * MAX_TEXT_LEN) : t);
}

/**
 * Class tokens, without generated hashes (CSS modules, styled-components, Svelte).
 * @param {Element} el
 * @returns {string[]}
 */
function classTokens(el) {
  /** @type {string[]} */
  const out = [];
  // The class attribute's tokens, as `classList` has them (a form's `classList` can be shadowed).
  for (const c of new Set((attr(el, 'class') ?? '').split(/[\t\n\f\r ]+/).filter(Boolean))) {
    if (/^(css|sc|jsx|svelte|emotion)-/.test(c) || (/\d/.test(c) && c.length >= 6)) continue;
    out.push(c.slice(0, MAX_TEXT_LEN));
    if (out.length >= MAX_LIST_LEN) break;
  }
  return out;
}

/**
 * The root itself and every open shadow root below it, depth-first.
 * @param {ScanRoot} root
 * @returns {(Document | ShadowRoot | Element)[]}
 */
export function collectRoots(root) {
  /** @type {(Document | ShadowRoot | Element)[]} */
  const out = [root];
  /**
   * @param {Document | ShadowRoot | Element} scope
   * @param {number} depth
   */
  const walk = (scope, depth) => {
    if (depth >= MAX_SHADOW_DEPTH) return;
    const doc = ownerDocument(scope) || /** @type {Document} */ (scope);
    const walker = createTreeWalker(doc, scope, 1 /* NodeFilter.SHOW_ELEMENT */);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const sr = shadowRoot(/** @type {Element} */ (n));
      if (sr) {
        out.push(sr);
        walk(sr, depth + 1);
      }
    }
  };
  walk(root, 0);
  return out;
}

/**
 * Whether an element matched by `input, textarea, select` is an HTML field: the selector
 * also matches elements of those names in SVG or MathML, which have none of a field's
 * properties. A field cannot be shadowed by markup, so its own properties are read directly.
 * @param {Element} el
 * @returns {el is Field}
 */
function isField(el) {
  return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement;
}

/**
 * Cheap attribute checks, no layout.
 * @param {Field} el
 * @returns {boolean}
 */
function passesAttributes(el) {
  if (el.disabled) return false;
  if (el instanceof HTMLInputElement) {
    if (SKIP_TYPES.has(el.type) || el.readOnly) return false;
  } else if (el instanceof HTMLTextAreaElement && el.readOnly) {
    return false;
  }
  return !el.closest('[aria-hidden="true"], [hidden], [inert]');
}

/**
 * Layout checks: rendered, non-zero size, not visibility:hidden.
 * @param {Element} el
 * @returns {boolean}
 */
export function isVisible(el) {
  const r = rectOf(el);
  if (r.width < 1 || r.height < 1) return false;
  const doc = ownerDocument(el);
  const view = doc && defaultView(doc);
  if (!view) return true;
  const st = view.getComputedStyle(el);
  return st.visibility !== 'hidden' && st.display !== 'none' && st.opacity !== '0';
}

/**
 * Texts of the elements named by an id list attribute (aria-labelledby / describedby).
 * @param {Element} el
 * @param {string} name the attribute
 * @returns {string}
 */
function idrefText(el, name) {
  const ids = attr(el, name);
  if (!ids) return '';
  const scope = getRootNode(el);
  return clean(ids.split(/\s+/).map((id) => textOf(byId(scope, id))).join(' '));
}

/**
 * The text just before an element: previous siblings, then the parent's previous siblings.
 * Stops at anything that holds another field or a heading (that text belongs to them).
 * @param {Element} el
 * @returns {string}
 */
function textBefore(el) {
  /** @type {Node | null} */
  let n = el;
  for (let level = 0; level < 2 && n; level++) {
    let steps = 0;
    for (let p = previousSibling(n); p && steps < MAX_NEARBY_STEPS; p = previousSibling(p)) {
      if (p instanceof Element && (matches(p, FIELD_OR_HEADING) || query(p, FIELD_OR_HEADING))) return '';
      const t = textOf(p);
      if (t) return t;
      steps++;
    }
    n = parentElement(n);
  }
  return '';
}

/**
 * Label text for a field: label elements, aria-labelledby, then the text before it.
 * @param {Field} el
 * @returns {string}
 */
function labelText(el) {
  const labels = el.labels ? Array.from(el.labels) : [];
  const fromLabels = clean(labels.map((l) => textOf(l)).join(' '));
  if (fromLabels) return fromLabels;
  const byRef = idrefText(el, 'aria-labelledby');
  if (byRef) return byRef;
  // A floating label comes right after its input, often without `for` (Bootstrap's
  // `.form-floating`, Material's outlined fields).
  const next = nextElementSibling(el);
  return textBefore(el) || (next && matches(next, 'label, [class*=label i]') ? textOf(next) : '');
}

/**
 * Short text around a field: its wrapper's text (two levels up at most), as long as the
 * wrapper holds no other field (else the text is the whole form's).
 * @param {Element} el
 * @returns {string}
 */
function nearbyText(el) {
  let p = parentElement(el);
  for (let i = 0; i < 2 && p; i++, p = parentElement(p)) {
    if (queryAll(p, 'input, select, textarea').length > 1) return '';
    const t = textOf(p);
    if (t) return t;
  }
  return '';
}

/**
 * Text of a button-like element.
 * @param {Element} b
 * @returns {string}
 */
function buttonText(b) {
  return clean(
    textOf(b) || (b instanceof HTMLInputElement ? b.value : '') || attr(b, 'aria-label') || attr(b, 'title'),
  );
}

/**
 * The form-like container of an input outside any <form> of its own tree (SPAs, web
 * components): walking up the composed tree (a shadow root's host included, so the input of a
 * custom element joins the fields around the element), the first <form>, else the nearest
 * ancestor holding a real (non-toggle) button-like control outside any form, so that fields
 * spread over several boxes are grouped under their common ancestor with the submit-like
 * control. Falls back to the input's parent.
 * @param {Element} el
 * @param {Map<Element, boolean>} cache
 * @returns {Element}
 */
function findContainer(el, cache) {
  return areaOf(el, null, cache) || composedParent(el) || el;
}

/**
 * The nearest ancestor of a field, below `stop` (a form), that holds a real (non-toggle,
 * non-check) submit of its own, or without `stop`, a button-like control; null when there is none within MAX_CONTAINER_DEPTH. Without `stop` (a
 * formless field), a `<form>` on the way is the answer, and the buttons of a `<form>` inside an
 * ancestor are not the formless area's submit.
 * @param {Element} el
 * @param {Element | null} stop
 * @param {Map<Element, boolean>} cache
 * @returns {Element | null}
 */
function areaOf(el, stop, cache) {
  let p = composedParent(el);
  const sel = stop ? SUBMIT_SELECTOR : BUTTON_LIKE;
  for (let i = 0; i < MAX_CONTAINER_DEPTH && p && p !== stop && tagName(p) !== 'BODY'; i++, p = composedParent(p)) {
    if (!stop && tagName(p) === 'FORM') return p;
    let has = cache.get(p);
    if (has === undefined) {
      has = queryAll(p, sel).some((b) => {
        const t = buttonText(b);
        return (stop || !closest(b, 'form')) && t.length > 1 && !TOGGLE_BUTTON.test(t) && !FIELD_ACTION_BUTTON.test(t);
      });
      cache.set(p, has);
    }
    if (has) return p;
  }
  return null;
}

/**
 * Heading in the container, else the selected tab of its tab panel, else the nearest heading (or
 * selected tab of a tab list) before it (siblings, then ancestors' siblings), else the title of
 * an enclosing dialog.
 * @param {Element} c
 * @returns {string}
 */
function headingFor(c) {
  const inside = query(c, HEADING_SELECTOR);
  if (inside) return textOf(inside);
  // In a tabbed "Sign in | Create account" box, the selected tab titles the panel.
  const panel = closest(c, '[role=tabpanel]');
  const tab = panel && idrefText(panel, 'aria-labelledby');
  if (tab) return tab;
  /** @type {Element | null} */
  let n = c;
  let steps = 0;
  while (n && steps < MAX_HEADING_STEPS) {
    for (let p = previousElementSibling(n); p && steps < MAX_HEADING_STEPS; p = previousElementSibling(p)) {
      steps++;
      if (matches(p, TITLE_SELECTOR)) return textOf(p);
      const selected = matches(p, '[role=tablist]') && query(p, '[aria-selected=true]');
      if (selected) return textOf(selected);
      // A heading beside other fields titles those fields, not ours.
      if (query(p, 'input, select, textarea')) return dialogTitle(c);
      const hs = queryAll(p, TITLE_SELECTOR);
      if (hs.length) return textOf(hs[hs.length - 1]);
    }
    n = parentElement(n);
    steps++;
  }
  return dialogTitle(c);
}

/**
 * Title of the dialog around a container, if any.
 * @param {Element} c
 * @returns {string}
 */
function dialogTitle(c) {
  const dialog = closest(c, 'dialog, [role=dialog], [aria-modal=true]');
  return dialog ? idrefText(dialog, 'aria-labelledby') || clean(attr(dialog, 'aria-label')) : '';
}

/**
 * Path of a form's action URL, without host or query.
 * @param {Element} c
 * @returns {string}
 */
function actionPath(c) {
  const a = attr(c, 'action');
  if (!a) return '';
  try {
    const u = new URL(a, baseURI(c));
    // SvelteKit names its form actions in the query ("?/login"); other queries may hold
    // tokens and are dropped.
    return clean(u.pathname + (u.search.startsWith('?/') ? ' ' + u.search.slice(2) : ''));
  } catch {
    return '';
  }
}

/**
 * Label text of a checkbox.
 * @param {HTMLInputElement} cb
 * @returns {string}
 */
function checkboxText(cb) {
  return labelText(cb) || nearbyText(cb);
}

/**
 * Builds the record of one form or container (its `index` is set by the caller).
 * @param {Element} c
 * @param {Field[]} fields candidate fields of this container
 * @returns {Omit<FormFeatures, 'index'>}
 */
function formFeatures(c, fields) {
  /** @type {string[]} */
  const submits = [];
  /** @type {string[]} */
  const others = [];
  const isForm = tagName(c) === 'FORM';
  for (const b of queryAll(c, isForm ? BUTTON_SELECTOR : BUTTON_LIKE)) {
    if (clientRects(b).length === 0) continue;
    const t = buttonText(b);
    if (!t || TOGGLE_BUTTON.test(t)) continue;
    const type = (attr(b, 'type') || (tagName(b) === 'BUTTON' ? 'submit' : '')).toLowerCase();
    (type === 'submit' || type === 'image' ? submits : others).push(t);
  }
  const buttons = submits.concat(others).slice(0, MAX_LIST_LEN);
  /** @type {string[]} */
  const links = [];
  for (const a of queryAll(c, 'a')) {
    const t = textOf(a);
    if (t) links.push(t);
    if (links.length >= MAX_LIST_LEN) break;
  }
  // "Already have an account? Log in" / "New here? Sign up" usually sits just outside the form:
  // a short line holding a link, right before or after it (or after its parent, when the form
  // is the last child), is read as one of its links, with the words around the link; a page
  // header, menu or footer is not.
  const parent = parentElement(c);
  for (const n of [previousElementSibling(c), nextElementSibling(c) || (parent && nextElementSibling(parent))]) {
    const t = n && links.length < MAX_LIST_LEN && !matches(n, 'header, nav, footer') && !query(n, 'input, select, textarea') && (matches(n, 'a') || query(n, 'a')) ? textOf(n) : '';
    if (t && t.length <= MAX_LINK_LINE_LEN) links.push(t);
  }
  /** @type {string[]} */
  const checkboxes = [];
  let visibleCheckboxes = 0;
  for (const cb of queryAll(c, 'input[type=checkbox]')) {
    // Custom checkboxes hide the real input; count it when its label shows.
    if (checkboxes.length < MAX_LIST_LEN && cb instanceof HTMLInputElement) checkboxes.push(checkboxText(cb));
    visibleCheckboxes++;
  }
  const passwords = fields.filter((f) => f.type === 'password');
  return {
    isForm,
    action: isForm ? actionPath(c) : '',
    method: clean(attr(c, 'method')).toLowerCase(),
    id: clean(attr(c, 'id')),
    name: clean(attr(c, 'name')),
    classes: classTokens(c),
    heading: headingFor(c),
    buttons,
    links,
    passwordCount: passwords.length,
    passwordAutocompletes: passwords.map((p) => clean(p.getAttribute('autocomplete')).toLowerCase()),
    visibleInputs: fields.length + visibleCheckboxes,
    checkboxes,
  };
}

/**
 * Builds the record of one field (its `index` and `formIndex` are set by the caller).
 * @param {Field} el
 * @returns {Omit<FieldFeatures, 'index' | 'formIndex'>}
 */
function fieldFeatures(el) {
  const label = labelText(el);
  const ml = el.getAttribute('maxlength');
  return {
    tag: el.tagName.toLowerCase(),
    type: el instanceof HTMLInputElement ? el.type : '',
    autocomplete: clean(el.getAttribute('autocomplete')).toLowerCase(),
    name: clean(el.getAttribute('name')),
    id: clean(el.id),
    classes: classTokens(el),
    placeholder: clean(el.getAttribute('placeholder')),
    // A `title` is the label of many fields that show none (`title="이메일"`).
    ariaLabel: clean(el.getAttribute('aria-label') || el.getAttribute('title')),
    hints: clean(HINT_ATTRS.map((a) => el.getAttribute(a) ?? '').join(' ')),
    ariaDescribed: idrefText(el, 'aria-describedby'),
    label,
    nearby: label ? '' : nearbyText(el),
    maxLength: ml && /^\d+$/.test(ml) ? Math.min(Number(ml), 2147483647) : -1,
    inputMode: clean(el.getAttribute('inputmode')).toLowerCase(),
    required: el.required,
  };
}

/**
 * The form or form-like container of a field: its form owner (`form` attribute included),
 * the form around it, or the nearest ancestor with a real button.
 * @param {Field} el
 * @param {Map<Element, boolean>} cache
 * @returns {Element}
 */
function containerOf(el, cache) {
  return el.form || el.closest('form') || findContainer(el, cache);
}

/**
 * Scans `root` and returns the batch with the elements behind it. Each field, and each form
 * with its fields, is read on its own: one that throws is left out (`contained`).
 * @param {ScanRoot} root
 * @returns {Scan}
 */
export function scan(root) {
  /** @type {Field[]} */
  const candidates = [];
  let truncated = false;
  outer: for (const scope of collectRoots(root)) {
    for (const el of queryAll(scope, 'input, textarea, select')) {
      if (!isField(el) || !contained('a field', () => passesAttributes(el) && isVisible(el))) continue;
      if (candidates.length >= MAX_INPUTS_PER_SCAN) {
        truncated = true;
        break outer;
      }
      candidates.push(el);
    }
  }
  /** @type {Map<Element, boolean>} */
  const cache = new Map();
  /** @type {Map<Element, boolean>} */
  const submitCache = new Map();
  const found = candidates.map((el) => contained('a field', () => containerOf(el, cache)));
  // A page-wide form: its fields go to the areas with a submit of their own (the rest stay
  // with the form), when there are two such areas or more.
  for (const form of new Set(found)) {
    if (!(form instanceof HTMLFormElement)) continue;
    const idx = found.flatMap((c, i) => (c === form ? [i] : []));
    const areas = idx.map((i) => contained('a field', () => areaOf(candidates[i], form, submitCache)));
    if (new Set(areas.filter(Boolean)).size > 1) idx.forEach((i, k) => { found[i] = areas[k] || form; });
  }
  /** @type {Element[]} */
  const containers = [];
  /** @type {Map<Element, Field[]>} */
  const members = new Map();
  /** The container of each field; null past MAX_FORMS_PER_SCAN (the field is sent without one). */
  /** @type {Map<Field, Element | null>} */
  const owner = new Map();
  for (const [i, el] of candidates.entries()) {
    const c = found[i];
    if (!c) continue;
    let list = members.get(c);
    if (!list && containers.length >= MAX_FORMS_PER_SCAN) {
      truncated = true;
      owner.set(el, null);
      continue;
    }
    if (!list) {
      list = [];
      members.set(c, list);
      containers.push(c);
    }
    list.push(el);
    owner.set(el, c);
  }
  /** @type {FormFeatures[]} */
  const forms = [];
  /** @type {Element[]} */
  const formElements = [];
  /** The records of the fields of each container read without a throw, and its index. */
  /** @type {Map<Element, { index: number, fields: Map<Field, Omit<FieldFeatures, 'index' | 'formIndex'>> }>} */
  const read = new Map();
  for (const c of containers) {
    const list = members.get(c) ?? [];
    const got = contained('a form', () => ({ form: formFeatures(c, list), fields: new Map(list.map((el) => [el, fieldFeatures(el)])) }));
    if (!got) continue;
    read.set(c, { index: forms.length, fields: got.fields });
    forms.push({ index: forms.length, ...got.form });
    formElements.push(c);
  }
  /** @type {FieldFeatures[]} */
  const fields = [];
  /** @type {Field[]} */
  const elements = [];
  for (const el of candidates) {
    const c = owner.get(el);
    if (c === undefined) continue; // its container could not be found
    const form = c && read.get(c);
    const record = c ? form?.fields.get(el) : contained('a field', () => fieldFeatures(el));
    if (!record) continue; // its form was left out, or it threw
    fields.push({ index: fields.length, formIndex: form ? form.index : -1, ...record });
    elements.push(el);
  }
  const doc = isDocument(root) ? root : ownerDocument(root);
  const page = {
    // `location` is unforgeable (an own property of the document): markup cannot shadow it.
    urlPath: doc && doc.location ? clean(doc.location.pathname) : '',
    title: doc ? clean(docTitle(doc)) : '',
  };
  return { batch: { fields, forms, page }, elements, formElements, truncated };
}

/**
 * Extracts the batch of `root` (a document, shadow root or element).
 * @param {ScanRoot} root
 * @returns {Batch}
 */
export function extractBatch(root) {
  return scan(root).batch;
}
