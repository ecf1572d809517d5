// @ts-check
/**
 * OX App Suite (7.x): the adapter. Verified against a local replica only
 * (tests/e2e/lib/webmail-adapters.mjs), never against a live App Suite: see README.md. Facts
 * from OX's public code and documentation (open-xchange/appsuite-frontend: `_.cid`,
 * `_.url.hash`, `io.ox/mail/actions/source`; appsuite-middleware: the HTTP API's
 * `mail?action=get&src=1`, "Lifecycle of an OX Session", "Cookies").
 *
 * The app (`…/appsuite/`) names what it shows in its hash: `#!!&app=io.ox/mail&folder=
 * <folder>&id=<cid>`, where the cid is `<folder>.<id>` with the dots inside each part escaped
 * as `\.` (a thread's cid starts with `thread.`; several cids, separated by commas, when more
 * than one message is selected: then nothing is checked). The message is checked once its
 * detail view (`.mail-detail[data-cid=<cid>]`) is on the page.
 *
 * The bytes come from the route the app's own "View source" uses, `…/appsuite/api/mail?
 * action=get&folder=<folder>&id=<id>&src=1&session=<session id>`, whose JSON answer carries
 * the message as text in `data`. Every API call wants the session id as a parameter beside
 * the HttpOnly secret cookie; the page keeps it in script only. The adapter asks for it the
 * way the app itself does when it loads (the documented `login?action=autologin`, which
 * answers `{ session }` from the HttpOnly session cookie of this browser and client); the id
 * is checked by shape, used for that one request, and never kept, logged or reported. An
 * installation whose operator turned autologin off answers without it: the badge then says the
 * session token was not found; a session the middleware refuses (an error `SES-…`), that the
 * webmail refused the request. The badge goes after the subject in the detail view's header,
 * never inside the mail's content.
 */
import { attr, queryAll } from '../dom.js';
import { fetchFromWebmail, jsonFromResponse, messageFromText, refused } from './fetch.js';
import { first, oneShown, placeOutsideBody } from './single.js';

/** The app's page; group 1 its path, under which its API lies (`…/appsuite/api/…`, `ox.apiRoot`). */
const APP_PATH_RE = /^((?:\/[^/?#]{1,100}){0,4}?\/appsuite)\/(?:index\.html)?$/;
/** The app's own client name: the session cookie's name derives from it ("Cookie Hash"). */
const CLIENT = 'open-xchange-appsuite';
/** A session id as the middleware makes it (an unformatted UUID: 32 hex digits). */
const SESSION_RE = /^[0-9a-f]{32}$/i;
/** A mail id (an IMAP UID, or a primary account's composite) and a folder, as routes take them. */
const ID_RE = /^[\w:-]{1,200}$/;
const FOLDER_RE = /^\P{Cc}{1,1000}$/u;
/** A cid: the folder, the first unescaped dot, the id (`_.cid`). */
const CID_RE = /^(.*?[^\\])\.(.+)$/;
/** A message's detail view, named by its cid. */
const DETAIL = '.mail-detail[data-cid]';
/** Where the badge goes in the detail view: after the subject, first match wins. @type {[string, InsertPosition][]} */
const BADGE_PLACES = [['.subject', 'afterend'], ['.detail-view-header', 'beforeend']];
/** The mail's content: the sender's HTML (or its frame). */
const BODIES = ['.mail-detail-content', '.mail-detail-frame'];
/** Statuses with which the middleware refuses the session. */
const REFUSED = [401, 403];

/** The hash's parameters, decoded as the app writes them (`_.url.hash`). @param {Location} loc */
function hashParams(loc) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const part of loc.hash.slice(1).split('&')) {
    const eq = part.indexOf('=');
    try {
      if (eq > 0) out[decodeURIComponent(part.slice(0, eq))] = decodeURIComponent(part.slice(eq + 1));
    } catch { /* not the app's */ }
  }
  return out;
}

/** The cid the hash names when one mail is selected, or null. @param {Location} loc */
function namedCid(loc) {
  const h = hashParams(loc);
  const cid = (h.id ?? '').replace(/^thread\./, '');
  return h.app === 'io.ox/mail' && cid && !cid.includes(',') ? cid : null;
}

/** The message shown now, or null. @param {Document} doc @param {Location} loc @returns {import('./index.js').MessageRef | null} */
function shown(doc, loc) {
  const cid = namedCid(loc);
  const m = cid && CID_RE.exec(cid);
  if (!m) return null;
  const element = queryAll(doc, DETAIL).find((e) => attr(e, 'data-cid') === cid);
  if (!element) return null;
  const unescape = (/** @type {string} */ s) => s.replace(/\\(\\?)/g, '$1');
  return { key: cid, mbox: unescape(m[1]), uid: unescape(m[2]), element };
}

/** @type {import('./index.js').WebmailAdapter} */
export const ox = {
  name: 'ox',
  probes: { detail: DETAIL, subject: `${DETAIL} .subject`, body: BODIES.join(', ') },

  matches(loc, doc) {
    return /^https?:$/.test(loc.protocol) && APP_PATH_RE.test(loc.pathname) && !!first(doc, ['#io-ox-core', '#io-ox-windowmanager']);
  },

  ...oneShown(shown),

  async fetchRaw(_doc, loc, ref, maxBytes) {
    const app = APP_PATH_RE.exec(loc.pathname)?.[1];
    const folder = String(ref.mbox ?? '');
    const id = String(ref.uid ?? '');
    if (!app || !FOLDER_RE.test(folder) || !ID_RE.test(id)) return { ok: false, problem: 'no_token' };
    // The session id, as the app gets it when it loads (only this URL, on the page's own origin).
    const login = await fetchFromWebmail(`${loc.origin}${app}/api/login?${new URLSearchParams({ action: 'autologin', client: CLIENT })}`, { headers: { Accept: 'application/json' } });
    if ('problem' in login) return login;
    if (login.status !== 200) return refused(login, 'no_token');
    /** @type {unknown} */
    let session;
    try {
      session = (await login.json())?.session;
    } catch { /* not JSON: no session */ }
    if (typeof session !== 'string' || !SESSION_RE.test(session)) return { ok: false, problem: 'no_token' };
    const query = new URLSearchParams({ action: 'get', folder, id, src: '1', session });
    const res = await fetchFromWebmail(`${loc.origin}${app}/api/mail?${query}`, { headers: { Accept: 'application/json' } });
    if ('problem' in res) return res;
    const got = await jsonFromResponse(res, maxBytes, REFUSED);
    if (!got.ok) return got;
    // The middleware answers an error as JSON `{ error, code }`; `SES-…` codes refuse the session.
    if (/^SES-/.test(String(got.json?.code))) return { ok: false, problem: 'request_check' };
    return messageFromText(got.json?.data, maxBytes);
  },

  placeBadge(_doc, host, ref) {
    return !!ref.element && placeOutsideBody(ref.element, host, BADGE_PLACES, BODIES);
  },
};
