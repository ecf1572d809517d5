// @ts-check
/**
 * Outlook on the web on premises (Exchange Server 2016/2019 OWA, under `/owa/` on the
 * company's own host): the adapter. Verified against a local replica only
 * (tests/e2e/lib/webmail-adapters.mjs), never against a live Exchange: see README.md.
 *
 * OWA names the message it reads in the URL with the item's EWS id in an `ItemID` parameter:
 * the read form's own URL, which Exchange gives out as an item's `WebClientReadFormQueryString`
 * (`/owa/?ItemID=<URL-encoded EWS id>&exvsurl=1&viewmodel=ReadMessageItem`, Microsoft's EWS
 * reference), and the same parameters after `#` in a message opened in its own window (also
 * under `/owa/projection.aspx`). The reading pane beside the message list (`#path=/mail`)
 * does not name its message in the URL and is not checked: opening the message in its own
 * window checks it.
 *
 * The bytes come from the same Exchange route the cloud adapter uses (`ews.js`: `GetItem` with
 * `IncludeMimeContent` and the `X-OWA-CANARY` header). The badge goes after the subject,
 * never inside the message body.
 */
import { contains, query } from '../dom.js';
import { fetchMimeContent, validItemId } from './ews.js';
import { first, noted, placeOutsideBody, watchOne } from './single.js';

/** OWA's app paths: the app itself and the window of a message opened on its own. */
const APP_PATH_RE = /^\/owa\/(?:projection\.aspx)?$/i;
/** The parameter (in the query or after `#`) that names the item read. */
const ITEM_PARAM = 'ItemID';
/** The subject of the message read, first match wins (OWA 2013–2019 class, then the ARIA role). */
const SUBJECTS = ['.rpHighlightSubjectClass', '[role="main"] [role="heading"]'];
/** The message body, the sender's HTML (OWA's ARIA label, then its body container's id). */
const BODIES = ['[aria-label="Message body"]', '#Item\\.MessageUniqueBody'];
/** Where the badge goes: after the subject. @type {[string, InsertPosition][]} */
const BADGE_PLACES = SUBJECTS.map((s) => [s, 'afterend']);

/** The EWS id the URL names, or null. @param {Location} loc */
function itemIdOf(loc) {
  if (!APP_PATH_RE.test(loc.pathname)) return null;
  // URLSearchParams reads `+` as a space; an EWS id has no spaces, so a bare `+` was one.
  const raw = new URLSearchParams(loc.search).get(ITEM_PARAM) ?? new URLSearchParams(loc.hash.slice(1)).get(ITEM_PARAM);
  const id = raw?.replaceAll(' ', '+') ?? '';
  return validItemId(id) ? id : null;
}

/** Whether the subject is drawn, outside the body. @param {Document} doc */
function subjectShown(doc) {
  const subject = first(doc, SUBJECTS);
  const mailBody = first(doc, BODIES);
  return !!subject && !(mailBody && contains(mailBody, subject));
}

/** The message shown now, or null. @param {Document} doc @param {Location} loc @returns {import('./index.js').MessageRef | null} */
function shown(doc, loc) {
  const id = itemIdOf(loc);
  return id && subjectShown(doc) ? { key: id, id } : null;
}

/** The message last reported (single.js). @type {import('./single.js').Seen} */
const seen = { last: '' };

/** @type {import('./index.js').WebmailAdapter} */
export const owa = {
  name: 'owa',
  probes: { subject: SUBJECTS.join(', '), body: BODIES.join(', ') },

  matches(loc, doc) {
    // OWA's path, and either an item in the URL or the mail app's route.
    return /^https?:$/.test(loc.protocol) && APP_PATH_RE.test(loc.pathname)
      && (itemIdOf(loc) !== null || /^#path=\/mail/.test(loc.hash) || !!query(doc, SUBJECTS[0]));
  },

  watch(doc, loc, onMessageShown, onMessageHidden) {
    watchOne(doc, () => shown(doc, loc), onMessageShown, onMessageHidden, seen);
  },

  messageId(doc, loc) {
    return noted(seen, shown(doc, loc));
  },

  isShown(_doc, loc, ref) {
    return itemIdOf(loc) === ref.key;
  },

  fetchRaw(doc, loc, ref, maxBytes) {
    return fetchMimeContent(doc, loc, String(ref.id ?? ''), maxBytes);
  },

  placeBadge(doc, host) {
    return placeOutsideBody(doc, host, BADGE_PLACES, BODIES);
  },
};
