// @ts-check
/**
 * Horde IMP (Horde 5/6, the dynamic view): the adapter. Verified against a local replica only
 * (tests/e2e/lib/webmail-adapters.mjs), never against a live Horde: see README.md. Facts from
 * Horde's public code (horde/imp: `view.php`, `templates/dynamic/message.html.php`).
 *
 * The dynamic view's message window (`<prefix>/imp/dynamic.php?page=message&buid=<n>&mailbox=
 * <base64url name>`) names its message in the URL: `buid` (the browser UID) and `mailbox`. The
 * preview pane beside the mailbox list does not, and is not checked: "Open in new window"
 * checks the message.
 *
 * The bytes come from IMP's "View Source" route beside the page, `view.php?actionID=
 * view_source&buid=<n>&id=0&mailbox=<name>`, which the session cookie authenticates and which
 * answers the stored message as text/plain. The badge goes after the subject in the headers,
 * never inside `#messageBody`, which holds the sender's (sanitised) HTML.
 */
import { first, noted, placeOutsideBody, watchOne } from './single.js';
import { fetchFromWebmail, messageFromResponse } from './fetch.js';

/** The dynamic view's page; group 1 is the app's path (`…/imp/`). */
const APP_PATH_RE = /^(\/(?:[^?#]{0,200}\/)?imp\/)dynamic\.php$/;
/** The message window's `page` parameter. */
const MESSAGE_PAGE = 'message';
/** A browser UID: a number. */
const BUID_RE = /^[0-9]{1,12}$/;
/** A mailbox as IMP puts it in URLs: base64url of its name. */
const MAILBOX_RE = /^[A-Za-z0-9_-]{1,1000}$/;
/** The subject in the message headers, first match wins. */
const SUBJECTS = ['#msgHeaders .subject', '.msgHeaders .subject'];
/** The message body: the sender's HTML. */
const BODIES = ['#messageBody', '.messageBody'];
/** Where the badge goes: after the subject, or before the body. @type {[string, InsertPosition][]} */
const BADGE_PLACES = [...SUBJECTS.map((s) => /** @type {[string, InsertPosition]} */ ([s, 'afterend'])), [BODIES[0], 'beforebegin']];

/** The message the URL names: `{ buid, mailbox }`, or null. @param {Location} loc */
function named(loc) {
  if (!APP_PATH_RE.test(loc.pathname)) return null;
  const q = new URLSearchParams(loc.search);
  const buid = q.get('buid') ?? '';
  const mailbox = q.get('mailbox') ?? '';
  return q.get('page') === MESSAGE_PAGE && BUID_RE.test(buid) && MAILBOX_RE.test(mailbox) ? { buid, mailbox } : null;
}

/** The message shown now, or null. @param {Document} doc @param {Location} loc @returns {import('./index.js').MessageRef | null} */
function shown(doc, loc) {
  const m = named(loc);
  if (!m || !first(doc, SUBJECTS)) return null;
  return { key: `${m.mailbox}/${m.buid}`, uid: m.buid, mbox: m.mailbox };
}

/** The message last reported (single.js). @type {import('./single.js').Seen} */
const seen = { last: '' };

/** @type {import('./index.js').WebmailAdapter} */
export const horde = {
  name: 'horde',
  probes: { subject: SUBJECTS.join(', '), body: BODIES.join(', ') },

  matches(loc, doc) {
    // IMP's dynamic view, and its message window's or mailbox's markup.
    return /^https?:$/.test(loc.protocol) && APP_PATH_RE.test(loc.pathname) && !!first(doc, ['#msgData', '#impbase']);
  },

  watch(doc, loc, onMessageShown, onMessageHidden) {
    watchOne(doc, () => shown(doc, loc), onMessageShown, onMessageHidden, seen);
  },

  messageId(doc, loc) {
    return noted(seen, shown(doc, loc));
  },

  isShown(_doc, loc, ref) {
    const m = named(loc);
    return !!m && `${m.mailbox}/${m.buid}` === ref.key;
  },

  async fetchRaw(_doc, loc, ref, maxBytes) {
    const app = APP_PATH_RE.exec(loc.pathname)?.[1];
    const buid = String(ref.uid ?? '');
    const mailbox = String(ref.mbox ?? '');
    if (!app || !BUID_RE.test(buid) || !MAILBOX_RE.test(mailbox)) return { ok: false, problem: 'no_token' };
    // Only this URL, on the page's own origin and app path.
    const query = new URLSearchParams({ actionID: 'view_source', buid, id: '0', mailbox });
    const res = await fetchFromWebmail(`${loc.origin}${app}view.php?${query}`);
    return 'problem' in res ? res : messageFromResponse(res, maxBytes);
  },

  placeBadge(doc, host) {
    return placeOutsideBody(doc, host, BADGE_PLACES, BODIES);
  },
};
