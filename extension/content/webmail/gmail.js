// @ts-check
/**
 * Gmail (mail.google.com): the adapter. Verified against a local replica only
 * (tests/e2e/lib/webmail-replicas.mjs), never against the live service: see README.md.
 *
 * Gmail is a single-page app: opening a conversation adds its messages to the page without a
 * new document. Each expanded message is a `div.adn` that carries the message's id, either
 * the legacy hex id (`data-legacy-message-id`) or, inside it, `data-message-id="#msg-f:<n>"`.
 * A debounced MutationObserver notices messages appearing and the conversation going away.
 *
 * The exact bytes come from Gmail's "download message" route on the page's own origin and
 * account path (`/mail/u/<n>/`): `?ik=<key>&view=att&th=<legacy id>&attid=0&disp=comp&safe=1&zw`,
 * or `…&permmsgid=msg-f:<n>…` for the newer ids. `ik` is the account's short hex key, which
 * Gmail writes into the page as the tenth element of its `GLOBALS` array (an inline script);
 * the session cookie authenticates the request. Nothing else is ever fetched. The answer must look like a message
 * (index.js `messageFromResponse`): Gmail's HTML error and sign-in pages do not.
 *
 * The badge goes between a message's header and its body (`div.ii.gt`), never inside the
 * body, whose HTML is the sender's.
 */
import { attr, body, closest, contained, defaultView, documentElement, parentElement, query, queryAll, textContent } from '../dom.js';
import { fetchFromWebmail, messageFromResponse } from './fetch.js';

/** Gmail's own origin; anywhere else the adapter runs only where the user turned it on. */
const GMAIL_HOST = 'mail.google.com';
/** A legacy message id: 16 hex digits (a 64-bit number). */
const LEGACY_ID_RE = /^[0-9a-f]{16}$/;
/** A permanent message id as Gmail writes it in `data-message-id` (leading `#` optional). */
const PERM_ID_RE = /^#?(msg-[af]:[0-9]{1,20})$/;
/** The account path (`/mail/u/0/`), the prefix of every Gmail route. */
const ACCOUNT_PATH_RE = /^\/mail\/u\/[0-9]{1,3}\//;
/**
 * Where the page names the account key `ik`, first match wins: the element at `index` of the
 * array literal that follows `before` in an inline script (Gmail's `GLOBALS`, element 9), or a
 * string assigned to a name.
 * @type {({ before: RegExp, index: number } | { re: RegExp })[]}
 */
const IK_SOURCES = [{ before: /\bGLOBALS\s*=\s*\[/, index: 9 }, { re: /\bGM_ID_KEY\s*=\s*"([0-9a-f]{6,16})"/ }];
/** An account key: a few hex digits. */
const IK_RE = /^[0-9a-f]{6,16}$/;
/** A string literal that is a whole array element (group 1: its text, without escapes). */
const STRING_RE = /\s*"([^"\\]{0,200})"\s*[,\]]/y;
/** Most characters of one inline script searched for the key (Gmail's sits near the start). */
const MAX_SCRIPT_SCAN = 256 * 1024;
/** How long DOM changes settle before the page is scanned again (ms). */
const SCAN_DEBOUNCE_MS = 150;
/** Most messages of one conversation checked (a long thread shows the newest expanded ones). */
const MAX_MESSAGES_PER_SCAN = 20;

/** @param {Element} el @returns {{ param: 'th' | 'permmsgid', id: string } | null} */
function idOf(el) {
  const legacy = attr(el, 'data-legacy-message-id') ?? '';
  if (LEGACY_ID_RE.test(legacy)) return { param: 'th', id: legacy };
  const inner = queryAll(el, '[data-message-id]').find((x) => !closest(x, BODY));
  const perm = (inner && attr(inner, 'data-message-id')) ?? attr(el, 'data-message-id') ?? '';
  const m = PERM_ID_RE.exec(perm);
  return m ? { param: 'permmsgid', id: m[1] } : null;
}

/**
 * Where element `n` of an array literal starting at `from` begins (-1 if it has fewer): top-level
 * commas counted, nested brackets and strings skipped.
 * @param {string} text @param {number} from @param {number} n
 */
function elementAt(text, from, n) {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    if (n === 0 && depth === 0) return i;
    const c = text[i];
    if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      if (depth-- === 0) return -1;
    } else if (c === ',' && depth === 0) n--;
  }
  return -1;
}

/** The account key in one script's text, or null. @param {string} text */
function ikIn(text) {
  for (const src of IK_SOURCES) {
    if ('re' in src) {
      const m = src.re.exec(text)?.[1];
      if (m) return m;
      continue;
    }
    const start = src.before.exec(text);
    const at = start ? elementAt(text, start.index + start[0].length, src.index) : -1;
    STRING_RE.lastIndex = at;
    const value = (at >= 0 && STRING_RE.exec(text)?.[1]) || '';
    if (IK_RE.test(value)) return value;
  }
  return null;
}

/** The account key from the page's own inline scripts (never one in a message body). @param {Document} doc */
function accountKey(doc) {
  for (const script of queryAll(doc, 'script:not([src])')) {
    if (inBody(script)) continue;
    const ik = ikIn((textContent(script) ?? '').slice(0, MAX_SCRIPT_SCAN));
    if (ik) return ik;
  }
  return null;
}

/** A message body: the sender's HTML, which may imitate anything, including a message. */
const BODY = 'div.ii.gt, div.a3s';

/** Whether `el` is inside a message body (its parent may be any element, a form too). @param {Element} el */
function inBody(el) {
  const p = parentElement(el);
  return !!p && !!closest(p, BODY);
}

/**
 * Expanded messages on screen, in document order. A `div.adn` inside a message body is the
 * mail's own markup (an attempt to get another message's verdict drawn next to it): skipped,
 * as is one whose reading throws (the others are still checked).
 * @param {Document} doc
 */
function messages(doc) {
  return queryAll(doc, 'div.adn')
    .filter((el) => contained('a message', () => !inBody(el) && idOf(el) !== null))
    .slice(0, MAX_MESSAGES_PER_SCAN);
}

/** @type {import('./index.js').WebmailAdapter} */
export const gmail = {
  name: 'gmail',
  probes: { main: 'div[role="main"]', message: 'div.adn', legacyId: '[data-legacy-message-id]', messageId: '[data-message-id]', body: BODY },

  matches(loc, doc) {
    if (loc.protocol !== 'https:' && loc.protocol !== 'http:') return false;
    if (!ACCOUNT_PATH_RE.test(loc.pathname)) return false;
    // On Gmail's own host the path says enough; elsewhere (a replica the user turned on) the
    // page must carry Gmail's main region too.
    return loc.hostname === GMAIL_HOST || !!query(doc, 'div[role="main"]');
  },

  watch(doc, _loc, onMessageShown, onMessageHidden) {
    /** Keys of the messages reported as shown. @type {Set<string>} */
    let seen = new Set();
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    const scan = () => {
      timer = undefined;
      /** @type {Set<string>} */
      const now = new Set();
      for (const el of messages(doc)) {
        const id = idOf(el);
        if (!id) continue;
        now.add(id.id);
        onMessageShown({ key: id.id, id: `${id.param}:${id.id}`, element: el });
      }
      if (now.size === 0 && seen.size > 0) onMessageHidden();
      seen = now;
    };
    const later = () => {
      if (timer === undefined) timer = setTimeout(scan, SCAN_DEBOUNCE_MS);
    };
    new MutationObserver(later).observe(body(doc) ?? documentElement(doc), { childList: true, subtree: true });
    defaultView(doc)?.addEventListener('hashchange', later);
    scan();
  },

  isShown(_doc, _loc, ref) {
    const el = ref.element;
    return !!el && el.isConnected && !inBody(el) && idOf(el)?.id === ref.key;
  },

  messageId(doc) {
    const el = messages(doc)[0];
    const id = el ? idOf(el) : null;
    return id ? { key: id.id, id: `${id.param}:${id.id}`, element: el } : null;
  },

  async fetchRaw(doc, loc, ref, maxBytes) {
    const [param, id] = String(ref.id ?? '').split(/:(.*)/s);
    if (!(param === 'th' && LEGACY_ID_RE.test(id ?? '')) && !(param === 'permmsgid' && PERM_ID_RE.test(id ?? ''))) {
      return { ok: false, problem: 'not_a_message' };
    }
    const account = ACCOUNT_PATH_RE.exec(loc.pathname)?.[0];
    const ik = contained('the account key', () => accountKey(doc));
    if (!account || !ik) return { ok: false, problem: 'no_token' };
    // Only this URL, on the page's own origin and account path.
    const url = new URL(loc.origin + account);
    url.search = new URLSearchParams({ ik, view: 'att', [param]: id, attid: '0', disp: 'comp', safe: '1', zw: '' }).toString();
    const res = await fetchFromWebmail(url.href);
    return 'problem' in res ? res : messageFromResponse(res, maxBytes);
  },

  placeBadge(_doc, host, ref) {
    const msg = ref.element;
    if (!msg || !msg.isConnected) return false;
    // `msg` and what is found in it are divs, which markup cannot shadow.
    const bodyDiv = Array.from(msg.querySelectorAll('div.ii.gt')).find((b) => !inBody(b));
    if (bodyDiv) {
      bodyDiv.insertAdjacentElement('beforebegin', host);
      return true;
    }
    const header = msg.querySelector('div.gE');
    if (header) {
      header.insertAdjacentElement('afterend', host);
      return true;
    }
    return false;
  },
};
