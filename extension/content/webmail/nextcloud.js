// @ts-check
/**
 * Nextcloud Mail: the adapter. Verified against a local replica only
 * (tests/e2e/lib/webmail-adapters.mjs), never against a live Nextcloud: see README.md. Facts
 * from Nextcloud Mail's public code (nextcloud/mail: `appinfo/routes.php`, `Thread.vue`, the
 * envelope's "View source" action).
 *
 * The app shows a thread at `<prefix>/apps/mail/box/<mailbox id>/thread/<message id>` (with
 * `/index.php` before `/apps` where pretty URLs are off); the URL's message id is the database
 * id of the message opened. The bytes come from the route the app's own "View source" uses,
 * `<prefix>/apps/mail/api/messages/<id>/source`, whose JSON answer carries the message as text
 * in `source`; Nextcloud wants its CSRF token there, the `requesttoken` header, whose value the
 * page carries on `<head data-requesttoken>` (it answers 412 without it). The badge goes after
 * the thread's subject header, never inside a message body.
 */
import { attr, query } from '../dom.js';
import { fetchFromWebmail, jsonFromResponse, messageFromText } from './fetch.js';
import { first, noted, placeOutsideBody, watchOne } from './single.js';

/** A thread's path: group 1 the prefix of every route (with `/index.php` if there), group 2 the message id. */
const THREAD_PATH_RE = /^((?:\/[^/?#]{1,100}){0,4}?)\/apps\/mail\/box\/[0-9]{1,12}\/thread\/([0-9]{1,12})$/;
/** The app's path, for `matches`. */
const APP_PATH_RE = /\/apps\/mail\//;
/** The element that carries the CSRF token, and its attribute. */
const TOKEN_HOLDER = 'head[data-requesttoken]';
const TOKEN_ATTR = 'data-requesttoken';
/** A request token as Nextcloud writes it (base64 and `:`). */
const TOKEN_RE = /^[A-Za-z0-9+/=:_-]{8,512}$/;
/** The thread's subject header, first match wins. */
const SUBJECTS = ['#mail-thread-header', '#mail-thread-header-fields h2'];
/** A message body: the sender's HTML (or its frame). */
const BODIES = ['.mail-message-body', '#mail-content', '.message-frame'];
/** Where the badge goes: after the subject header. @type {[string, InsertPosition][]} */
const BADGE_PLACES = SUBJECTS.map((s) => [s, 'afterend']);
/** Statuses with which Nextcloud refuses the session or the token (412: "CSRF check failed"). */
const REFUSED = [401, 403, 412];

/** The message shown now, or null. @param {Document} doc @param {Location} loc @returns {import('./index.js').MessageRef | null} */
function shown(doc, loc) {
  const id = THREAD_PATH_RE.exec(loc.pathname)?.[2];
  return id && first(doc, SUBJECTS) ? { key: id, id } : null;
}

/** The message last reported (single.js). @type {import('./single.js').Seen} */
const seen = { last: '' };

/** @type {import('./index.js').WebmailAdapter} */
export const nextcloud = {
  name: 'nextcloud',
  probes: { token: TOKEN_HOLDER, subject: SUBJECTS.join(', '), body: BODIES.join(', ') },

  matches(loc, doc) {
    return /^https?:$/.test(loc.protocol) && APP_PATH_RE.test(loc.pathname) && !!query(doc, TOKEN_HOLDER);
  },

  watch(doc, loc, onMessageShown, onMessageHidden) {
    watchOne(doc, () => shown(doc, loc), onMessageShown, onMessageHidden, seen);
  },

  messageId(doc, loc) {
    return noted(seen, shown(doc, loc));
  },

  isShown(_doc, loc, ref) {
    return THREAD_PATH_RE.exec(loc.pathname)?.[2] === ref.key;
  },

  async fetchRaw(doc, loc, ref, maxBytes) {
    const prefix = THREAD_PATH_RE.exec(loc.pathname)?.[1];
    const holder = query(doc, TOKEN_HOLDER);
    const token = holder ? attr(holder, TOKEN_ATTR) ?? '' : '';
    const id = String(ref.id ?? '');
    if (prefix === undefined || !TOKEN_RE.test(token) || !/^[0-9]{1,12}$/.test(id)) return { ok: false, problem: 'no_token' };
    // Only this URL, on the page's own origin and prefix.
    const res = await fetchFromWebmail(`${loc.origin}${prefix}/apps/mail/api/messages/${id}/source`, { headers: { requesttoken: token, Accept: 'application/json' } });
    if ('problem' in res) return res;
    const got = await jsonFromResponse(res, maxBytes, REFUSED);
    return got.ok ? messageFromText(got.json?.source, maxBytes) : got;
  },

  placeBadge(doc, host) {
    return placeOutsideBody(doc, host, BADGE_PLACES, BODIES);
  },
};
