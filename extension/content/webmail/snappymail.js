// @ts-check
/**
 * SnappyMail (2.x): the adapter. Verified against a local replica only
 * (tests/e2e/lib/webmail-adapters.mjs), never against a live SnappyMail: see README.md. Facts
 * from SnappyMail's public code (the-djmaze/snappymail: `dev/Common/Links.js` serverRequestRaw,
 * `dev/Model/Message.js` requestHash and downloadLink, `MailMessageView.html`, the server's
 * `ServiceRaw` and `rawSmart`).
 *
 * The app does not name the message it shows in its URL (a row picked in the list leaves the
 * hash as it was). Its message view does, in the "Download original" link of its menu (outside
 * the message body): `<app path>?/Raw/&q[]=/0/Download/&q[]=/<key>`, where the key is
 * base64url JSON `{ folder, uid, mimeType, fileName, accountHash }` (the account hash the
 * server checks against the signed-in account). The adapter fetches exactly that route, on the
 * page's own origin and path, with the session cookie. The server answers a refused request
 * with an empty page, which is not a message. The badge goes after the subject line, never
 * inside the message body.
 */
import { attr, closest } from '../dom.js';
import { fetchFromWebmail, messageFromResponse } from './fetch.js';
import { first, oneShown, placeOutsideBody } from './single.js';

/** The message view's "Download original" link (in its menu, beside the message body). */
const LINKS = ['.b-message > .message-fixed-button-toolbar a[data-i18n="MESSAGE/MENU_DOWNLOAD_ORIGINAL"]'];
/** The raw route as the app writes it; group 1 the app's path, group 2 the key. */
const RAW_RE = /^(\/[^?#]{0,300})\?\/Raw\/&q\[\]=\/0\/Download\/&q\[\]=\/([\w-]{8,8000})$/;
/** An account hash as the server makes it (SHA-1, hex). */
const ACCOUNT_HASH_RE = /^[0-9a-f]{40}$/;
/** The subject line of the message view. */
const SUBJECTS = ['.b-message .messageItemHeader .subjectParent'];
/** The message body: the sender's HTML. */
const BODIES = ['.bodyText', '.b-text-part', '#messageItem [id^="rl-msg-"]'];
/** Where the badge goes. @type {[string, InsertPosition][]} */
const BADGE_PLACES = SUBJECTS.map((s) => [s, 'afterend']);

/** The message the view's link names, or null. @param {Document} doc @param {Location} loc @returns {import('./index.js').MessageRef | null} */
function shown(doc, loc) {
  const link = first(doc, LINKS);
  if (!link || BODIES.some((b) => !!closest(link, b))) return null;
  const m = RAW_RE.exec(attr(link, 'href') ?? '');
  if (!m || m[1] !== `${loc.pathname.replace(/\/+$/, '')}/`) return null;
  try {
    const key = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(m[2].replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))));
    const folder = key?.folder, uid = String(key?.uid);
    if (typeof folder !== 'string' || !folder || !/^[0-9]{1,12}$/.test(uid) || !ACCOUNT_HASH_RE.test(String(key?.accountHash))) return null;
    return { key: `${folder}/${uid}`, id: m[2] };
  } catch {
    return null;
  }
}

/** @type {import('./index.js').WebmailAdapter} */
export const snappymail = {
  name: 'snappymail',
  probes: { link: LINKS[0], subject: SUBJECTS[0], body: BODIES.join(', ') },

  matches(loc, doc) {
    return /^https?:$/.test(loc.protocol) && !!first(doc, ['#rl-app']);
  },

  ...oneShown(shown),

  async fetchRaw(_doc, loc, ref, maxBytes) {
    const key = String(ref.id ?? '');
    if (!/^[\w-]{8,8000}$/.test(key)) return { ok: false, problem: 'no_token' };
    // Only this URL, on the page's own origin and path: the route the view's link names.
    const res = await fetchFromWebmail(`${loc.origin}${loc.pathname.replace(/\/+$/, '')}/?/Raw/&q[]=/0/Download/&q[]=/${key}`);
    return 'problem' in res ? res : messageFromResponse(res, maxBytes);
  },

  placeBadge(doc, host) {
    return placeOutsideBody(doc, host, BADGE_PLACES, BODIES);
  },
};
