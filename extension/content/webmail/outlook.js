// @ts-check
/**
 * Outlook on the web (outlook.live.com, outlook.office.com, outlook.office365.com): the
 * adapter, best effort. Verified against a local replica only (tests/e2e/lib/webmail-replicas.mjs),
 * never against the live service: see README.md.
 *
 * Outlook is a single-page app whose reading pane shows the message named in the URL path
 * (`/mail/<folder>/id/<ItemId>`, the ItemId URL-encoded). Navigation uses the History API,
 * which fires no event a content script can hear, so a debounced MutationObserver re-reads
 * the URL when the page changes.
 *
 * The exact bytes come from the Exchange Web Services JSON endpoint the page itself uses:
 * `POST /owa/service.svc?action=GetItem` with `IncludeMimeContent: true` (Exchange's
 * `ItemResponseShape`), authenticated by the session cookie and the `X-OWA-CANARY` header,
 * whose value is the `X-OWA-CANARY` cookie. The answer carries the MIME content in base64 at
 * `Body.ResponseMessages.Items[0].Items[0].MimeContent.Value`. Nothing else is fetched.
 *
 * The badge goes right after the reading pane's subject heading, never inside the body.
 */
import { body, contains, cookie, defaultView, documentElement, insertAdjacent, query } from '../dom.js';
import { fetchFromWebmail, looksLikeMessage, maxJsonBytes, refused } from './fetch.js';

/** Outlook's own hosts; anywhere else the adapter runs only where the user turned it on. */
const OUTLOOK_HOSTS = ['outlook.live.com', 'outlook.office.com', 'outlook.office365.com'];
/** The reading pane's path: `/mail/[<account>/]<folder…>/id/<ItemId>`. */
const ITEM_PATH_RE = /^\/mail\/(?:[0-9]{1,3}\/)?(?:[^/]+\/){0,4}id\/([^/?#]+)/;
/** Outlook's mail app path. */
const MAIL_PATH_RE = /^\/mail\//;
/** Longest ItemId accepted (characters, decoded; EWS ids are base64 of ~150 bytes). */
const MAX_ITEM_ID = 512;
/** An EWS ItemId: base64 or base64url (with Outlook's `-`/`_`). */
const ITEM_ID_RE = /^[A-Za-z0-9+/=_-]+$/;
/** The anti-CSRF cookie whose value goes in the `X-OWA-CANARY` header. */
const CANARY_COOKIE = 'X-OWA-CANARY';
/** How long DOM changes settle before the URL is read again (ms). */
const SCAN_DEBOUNCE_MS = 150;
/** The reading pane and its parts (Outlook's own ids and roles, reproduced by the replica). */
const READING_PANE = '#ReadingPaneContainerId';
const SUBJECT = `${READING_PANE} [role="heading"]`;
const BODY = `${READING_PANE} [aria-label="Message body"]`;

/** The message id in the URL, or null. @param {Location} loc */
function itemIdOf(loc) {
  const m = ITEM_PATH_RE.exec(loc.pathname);
  if (!m) return null;
  let id;
  try {
    id = decodeURIComponent(m[1]);
  } catch {
    return null;
  }
  return id.length <= MAX_ITEM_ID && ITEM_ID_RE.test(id) ? id : null;
}

/** @param {Document} doc */
function canary(doc) {
  for (const part of cookie(doc).split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === CANARY_COOKIE) {
      const value = v.join('=');
      return /^[A-Za-z0-9._-]{8,256}$/.test(value) ? value : null;
    }
  }
  return null;
}

/** The GetItem request for one id (Exchange's JSON form of the EWS GetItem operation). @param {string} id */
function getItemRequest(id) {
  return {
    __type: 'GetItemJsonRequest:#Exchange',
    Header: { __type: 'JsonRequestHeaders:#Exchange', RequestServerVersion: 'Exchange2013' },
    Body: {
      __type: 'GetItemRequest:#Exchange',
      ItemShape: { __type: 'ItemResponseShape:#Exchange', BaseShape: 'IdOnly', IncludeMimeContent: true },
      ItemIds: [{ __type: 'ItemId:#Exchange', Id: id }],
    },
  };
}

/** @type {import('./index.js').WebmailAdapter} */
export const outlook = {
  name: 'outlook',
  probes: { app: 'div#app', pane: READING_PANE, subject: SUBJECT, body: BODY },

  matches(loc, doc) {
    if (loc.protocol !== 'https:' && loc.protocol !== 'http:') return false;
    if (!MAIL_PATH_RE.test(loc.pathname) || /^\/mail\/u\//.test(loc.pathname)) return false;
    return OUTLOOK_HOSTS.includes(loc.hostname) || !!query(doc, '#app [role="main"], div#app');
  },

  watch(doc, loc, onMessageShown, onMessageHidden) {
    let last = '';
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    const scan = () => {
      timer = undefined;
      const id = itemIdOf(loc);
      const ready = !!id && !!query(doc, SUBJECT);
      const key = ready ? /** @type {string} */ (id) : '';
      if (key === last) return;
      if (last && !key) onMessageHidden();
      last = key;
      if (key) onMessageShown({ key, id: key });
    };
    const later = () => {
      if (timer === undefined) timer = setTimeout(scan, SCAN_DEBOUNCE_MS);
    };
    new MutationObserver(later).observe(body(doc) ?? documentElement(doc), { childList: true, subtree: true });
    defaultView(doc)?.addEventListener('popstate', later);
    scan();
  },

  messageId(_doc, loc) {
    const id = itemIdOf(loc);
    return id ? { key: id, id } : null;
  },

  isShown(_doc, loc, ref) {
    return itemIdOf(loc) === ref.key;
  },

  async fetchRaw(doc, loc, ref, maxBytes) {
    const id = String(ref.id ?? '');
    if (!id || id.length > MAX_ITEM_ID || !ITEM_ID_RE.test(id)) return { ok: false, problem: 'not_a_message' };
    const token = canary(doc);
    if (!token) return { ok: false, problem: 'no_token' };
    // Only this URL, on the page's own origin.
    const res = await fetchFromWebmail(`${loc.origin}/owa/service.svc?action=GetItem&app=Mail`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', Action: 'GetItem', 'X-OWA-CANARY': token },
      body: JSON.stringify(getItemRequest(id)),
    });
    if ('problem' in res) return res;
    if (res.status === 440 || res.status === 401 || res.status === 403) return refused(res, 'request_check');
    if (res.status !== 200) return refused(res);
    if (Number(res.headers.get('content-length') ?? '0') > maxJsonBytes(maxBytes)) return { ok: false, problem: 'too_large' };
    const text = await res.text();
    if (text.length > maxJsonBytes(maxBytes)) return { ok: false, problem: 'too_large' };
    /** @type {any} */
    let answer;
    try {
      answer = JSON.parse(text);
    } catch {
      return { ok: false, problem: 'not_a_message' };
    }
    const item = answer?.Body?.ResponseMessages?.Items?.[0];
    if (item?.ResponseClass !== 'Success') return { ok: false, problem: 'http' };
    const b64 = item?.Items?.[0]?.MimeContent?.Value;
    if (typeof b64 !== 'string' || b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return { ok: false, problem: 'not_a_message' };
    if (b64.length > Math.ceil(maxBytes / 3) * 4) return { ok: false, problem: 'too_large' };
    if (!looksLikeMessage(atob(b64.slice(0, 1336)))) return { ok: false, problem: 'not_a_message' };
    return { ok: true, base64: b64 };
  },

  placeBadge(doc, host) {
    const subject = query(doc, SUBJECT);
    const mailBody = query(doc, BODY);
    if (!subject || (mailBody && contains(mailBody, subject))) return false;
    insertAdjacent(subject, 'afterend', host);
    return true;
  },
};
