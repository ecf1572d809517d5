// @ts-check
/**
 * Zimbra (the HTML client under `/h/`): the adapter. Verified against a local replica only
 * (tests/e2e/lib/webmail-adapters.mjs), never against a live Zimbra: see README.md. Facts from
 * Zimbra's public code (Zimbra/zm-web-client, `WEB-INF/tags/message/displayMessage.tag`).
 *
 * The HTML client draws a message as a server-made page (`/h/search?…&action=view&id=<n>`):
 * a table `table.Msg` with the headers (`td.MsgHdr`), the operations bar whose "Show original"
 * link (`a#OPSHOWORIG`, `/service/home/~/?id=<n>&auth=co`) names the message, and the body
 * (`td.MsgBody`, the sender's sanitised HTML). The Ajax client and the modern one are not
 * served yet.
 *
 * The bytes come from Zimbra's REST route on the page's own origin,
 * `/service/home/~/?auth=co&view=text&id=<n>` (auth by the session cookie, `auth=co`), the one
 * "Show original" opens. The badge goes at the end of the headers' cell, never inside the body.
 */
import { attr, closest, parentElement, query } from '../dom.js';
import { first, noted, placeOutsideBody, watchOne } from './single.js';
import { fetchFromWebmail, messageFromResponse } from './fetch.js';

/** The HTML client's paths. */
const APP_PATH_RE = /^\/h\//;
/** The message shown, first match wins: the "Show original" link (its `id` parameter). */
const ORIGINAL_LINKS = ['a#OPSHOWORIG', 'td.MsgOps a[href^="/service/home/~/?"]'];
/** A Zimbra item id: a number, maybe after the owning account's id (a shared folder). */
const ITEM_ID_RE = /^(?:[0-9a-f-]{36}:)?[0-9]{1,10}$/;
/** The message body: the sender's HTML. */
const BODIES = ['td.MsgBody', '.MsgBody'];
/** Where the badge goes: at the end of the headers' cell, or before the message table. @type {[string, InsertPosition][]} */
const BADGE_PLACES = [['td.MsgHdr', 'beforeend'], ['table.Msg', 'beforebegin']];
/** The REST route that answers a message's bytes. */
const RAW_PATH = '/service/home/~/';

/** The id the page's "Show original" link names (never a link in a body), or null. @param {Document} doc */
function shownId(doc) {
  const link = first(doc, ORIGINAL_LINKS);
  const p = link && parentElement(link);
  if (!link || !p || BODIES.some((b) => closest(p, b))) return null;
  let id;
  try {
    id = new URL(attr(link, 'href') ?? '', 'http://x/').searchParams.get('id') ?? '';
  } catch {
    return null;
  }
  return ITEM_ID_RE.test(id) ? id : null;
}

/** The message shown now, or null. @param {Document} doc @returns {import('./index.js').MessageRef | null} */
function shown(doc) {
  const id = shownId(doc);
  return id ? { key: id, id } : null;
}

/** The message last reported (single.js). @type {import('./single.js').Seen} */
const seen = { last: '' };

/** @type {import('./index.js').WebmailAdapter} */
export const zimbra = {
  name: 'zimbra',
  probes: { original: ORIGINAL_LINKS.join(', '), body: BODIES.join(', ') },

  matches(loc, doc) {
    return /^https?:$/.test(loc.protocol) && APP_PATH_RE.test(loc.pathname) && !!query(doc, 'table.Msg');
  },

  watch(doc, _loc, onMessageShown, onMessageHidden) {
    watchOne(doc, () => shown(doc), onMessageShown, onMessageHidden, seen);
  },

  messageId(doc) {
    return noted(seen, shown(doc));
  },

  isShown(doc, _loc, ref) {
    return shownId(doc) === ref.key;
  },

  async fetchRaw(_doc, loc, ref, maxBytes) {
    const id = String(ref.id ?? '');
    if (!ITEM_ID_RE.test(id)) return { ok: false, problem: 'not_a_message' };
    // Only this URL, on the page's own origin.
    const res = await fetchFromWebmail(`${loc.origin}${RAW_PATH}?${new URLSearchParams({ auth: 'co', view: 'text', id })}`);
    return 'problem' in res ? res : messageFromResponse(res, maxBytes);
  },

  placeBadge(doc, host) {
    return placeOutsideBody(doc, host, BADGE_PLACES, BODIES);
  },
};
