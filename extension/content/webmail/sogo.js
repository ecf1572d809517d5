// @ts-check
/**
 * SOGo 5 (the AngularJS web interface): the adapter. Tested against the real SOGo 5.8 of
 * Debian 12 (tests/webmail/start-sogo.sh; its README lists the facts used here).
 *
 * SOGo's mail is a single page at `/SOGo/so/<user>/Mail/view`. The message shown is named in
 * the hash, `#!/Mail/<account>/<mailbox path, URI-encoded>/<uid>`, and drawn into the same
 * document (`#detailView`), whose `md-card` is replaced for each message: a card still on
 * screen when the hash already names another message is the previous message's.
 *
 * The bytes come from SOGo's "Download message" route on the page's own origin and app path,
 * `<account>/folder<A>/folder<B>/<uid>/export`, with the `XSRF-TOKEN` cookie echoed in an
 * `X-XSRF-TOKEN` header (without it SOGo answers HTTP 500). SOGo sends the stored message with
 * LF for every CRLF; the core puts CRLF back before hashing (RFC 8551 §3.1.1).
 *
 * The badge goes after the subject block of the card, never inside `.msg-body`, which holds the
 * sender's (sanitised) HTML.
 */
import { body, closest, cookie, documentElement, insertAdjacent, parentElement, query } from '../dom.js';
import { fetchFromWebmail, messageFromResponse } from './fetch.js';

/** The mail app's path, `/SOGo/so/<user>/Mail/view`; group 1 is the prefix of every route. */
const APP_PATH_RE = /^(\/SOGo\/so\/[^/?#]{1,256}\/Mail\/)view$/;
/** A shown message's hash route: account, URI-encoded mailbox path, UID (32-bit, RFC 3501 §2.3.1.1). */
const HASH_RE = /^#!?\/Mail\/([0-9]{1,4})\/([^/?#]{1,2000})\/([0-9]{1,10})$/;
/** A decoded mailbox path: IMAP names (modified UTF-7, RFC 3501 §5.1.3) are printable ASCII. */
const MAILBOX_RE = /^[\x20-\x7e]{1,1000}$/;
/** SOGo's XSRF token in `document.cookie` (hex). */
const XSRF_RE = /(?:^|;\s*)XSRF-TOKEN=([0-9a-f]{16,128})(?:;|$)/;
/** SOGo's mail app on the page SOGo serves (before AngularJS draws anything). */
const APP = 'body[ng-app="SOGo.MailerUI"]';
/** The message card, first match wins (its subject heading must be in it). */
const CARDS = ['#detailView .sg-face > md-card', '[ui-view="message"] md-card'];
/** The card's subject heading. */
const SUBJECT = 'h5.sg-md-headline';
/** The message body: the sender's HTML. */
const BODY = '.msg-body';
/**
 * Where the badge goes in the card, first match wins: after the subject block, after the
 * subject, or before the body.
 * @type {[string, InsertPosition][]}
 */
const BADGE_PLACES = [['md-card-content > .sg-padded', 'afterend'], [SUBJECT, 'afterend'], [BODY, 'beforebegin']];
/** SOGo's `asCSSIdentifier` (Common/utils.js): how a mailbox name becomes a path component. */
const CSS_ID = /** @type {Record<string, string>} */ ({
  _: '_U_', '.': '_D_', '#': '_H_', '@': '_A_', '*': '_S_', ':': '_C_', ',': '_CO_', ' ': '_SP_', "'": '_SQ_', '&': '_AM_', '+': '_P_',
});

/** The last message reported and its card. */
let last = { key: '', card: /** @type {Element | null} */ (null) };

/** The shown card, if its subject heading is drawn. @param {Document} doc */
function card(doc) {
  for (const sel of CARDS) {
    const c = query(doc, sel);
    if (c && query(c, SUBJECT)) return c;
  }
  return null;
}

/** Whether `el` is inside a message body. @param {Element} el */
function inBody(el) {
  const p = parentElement(el);
  return !!p && !!closest(p, BODY);
}

/** @type {import('./index.js').WebmailAdapter} */
export const sogo = {
  name: 'sogo',
  probes: { app: APP, card: CARDS.join(', '), subject: SUBJECT, body: BODY },

  matches(loc, doc) {
    // The app's path and its AngularJS module on the served page's body.
    return /^https?:$/.test(loc.protocol) && APP_PATH_RE.test(loc.pathname) && !!query(doc, APP);
  },

  watch(doc, loc, onMessageShown, onMessageHidden) {
    // Opening a message changes the hash and replaces the card. A message (key and card) is
    // reported once: not when index.js already read it (it re-reads the message on every
    // change and checks the new one itself once a badge went), which would fetch it twice.
    let had = false;
    const look = () => {
      const before = last;
      const ref = sogo.messageId(doc, loc);
      if (ref && (ref.key !== before.key || ref.element !== before.card)) onMessageShown(ref);
      else if (!ref && had) onMessageHidden();
      had = !!ref;
    };
    new MutationObserver(look).observe(body(doc) ?? documentElement(doc), { childList: true, subtree: true });
    look();
  },

  messageId(doc, loc) {
    const m = HASH_RE.exec(loc.hash);
    const c = card(doc);
    if (!m || !c || !APP_PATH_RE.test(loc.pathname)) return null;
    /** @type {string} */
    let mbox;
    try {
      mbox = decodeURIComponent(decodeURIComponent(m[2])); // SOGo's router decodes twice
    } catch {
      return null;
    }
    if (!MAILBOX_RE.test(mbox)) return null;
    const key = `${m[1]}/${mbox}/${m[3]}`;
    if (c === last.card && key !== last.key) return null; // the previous message's view
    last = { key, card: c };
    return { key, id: m[1], mbox, uid: m[3], element: c };
  },

  isShown(doc, loc, ref) {
    return !!ref.element?.isConnected && sogo.messageId(doc, loc)?.key === ref.key;
  },

  async fetchRaw(doc, loc, ref, maxBytes) {
    const app = APP_PATH_RE.exec(loc.pathname)?.[1];
    const xsrf = XSRF_RE.exec(cookie(doc))?.[1];
    if (!app || !xsrf) return { ok: false, problem: 'no_token' };
    const folders = String(ref.mbox).split('/').map((n) => `folder${n.replace(/[_.#@*:, '&+]/g, (ch) => CSS_ID[ch]).replace(/^\d/, '_$&')}`);
    // Only this URL, on the page's own origin and app path.
    const res = await fetchFromWebmail(`${loc.origin}${app}${ref.id}/${folders.join('/')}/${ref.uid}/export`, { headers: { 'X-XSRF-TOKEN': xsrf } });
    return 'problem' in res ? res : messageFromResponse(res, maxBytes);
  },

  placeBadge(_doc, host, ref) {
    const c = ref.element;
    if (!c?.isConnected) return false;
    for (const [sel, where] of BADGE_PLACES) {
      const anchor = query(c, sel);
      if (!anchor || inBody(anchor)) continue;
      insertAdjacent(anchor, where, host);
      return true;
    }
    return false;
  },
};
