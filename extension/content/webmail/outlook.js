// @ts-check
/**
 * Outlook on the web (outlook.live.com, outlook.office.com, outlook.office365.com): the
 * adapter, best effort. Verified against a local replica only (tests/e2e/lib/webmail-replicas.mjs),
 * never against the live service: see README.md.
 *
 * Outlook is a single-page app whose reading pane shows the message named in the URL path
 * (`/mail/<folder>/id/<ItemId>`, the ItemId URL-encoded). Navigation uses the History API,
 * which fires no event a content script can hear, so a debounced MutationObserver re-reads
 * the URL when the page changes (`single.js`).
 *
 * The exact bytes come from the Exchange Web Services JSON endpoint the page itself uses
 * (`ews.js`: `GetItem` with `IncludeMimeContent`). Nothing else is fetched.
 *
 * The badge goes right after the reading pane's subject heading, never inside the body.
 */
import { contains, insertAdjacent, query } from '../dom.js';
import { fetchMimeContent, validItemId } from './ews.js';
import { watchOne } from './single.js';

/** Outlook's own hosts; anywhere else the adapter runs only where the user turned it on. */
const OUTLOOK_HOSTS = ['outlook.live.com', 'outlook.office.com', 'outlook.office365.com'];
/** The reading pane's path: `/mail/[<account>/]<folder…>/id/<ItemId>`. */
const ITEM_PATH_RE = /^\/mail\/(?:[0-9]{1,3}\/)?(?:[^/]+\/){0,4}id\/([^/?#]+)/;
/** Outlook's mail app path. */
const MAIL_PATH_RE = /^\/mail\//;
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
  return validItemId(id) ? id : null;
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
    // Ready once the reading pane draws the subject of the message the URL names.
    watchOne(doc, () => {
      const id = itemIdOf(loc);
      return id && query(doc, SUBJECT) ? { key: id, id } : null;
    }, onMessageShown, onMessageHidden, { last: '' });
  },

  messageId(_doc, loc) {
    const id = itemIdOf(loc);
    return id ? { key: id, id } : null;
  },

  isShown(_doc, loc, ref) {
    return itemIdOf(loc) === ref.key;
  },

  fetchRaw(doc, loc, ref, maxBytes) {
    return fetchMimeContent(doc, loc, String(ref.id ?? ''), maxBytes);
  },

  placeBadge(doc, host) {
    const subject = query(doc, SUBJECT);
    const mailBody = query(doc, BODY);
    if (!subject || (mailBody && contains(mailBody, subject))) return false;
    insertAdjacent(subject, 'afterend', host);
    return true;
  },
};
