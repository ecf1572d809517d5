// @ts-check
/**
 * Roundcube 1.6 (skins elastic and larry): the adapter.
 *
 * Roundcube shows a message in a page of its own: the preview iframe
 * (`?_task=mail&_action=preview&_uid=U&_mbox=M&_framed=1`) or the full view (`_action=show`).
 * Every message shown is a new document there, so the content script (injected into all
 * frames) starts afresh for each one; `pageshow` covers the back/forward cache.
 *
 * The exact bytes come from `?_task=mail&_action=viewsource&_uid=U&_mbox=M&_save=1&_token=T`
 * on the page's own origin and path (tests/webmail/README.md, "Roundcube facts"): without
 * `_save=1` Roundcube reformats the source and a signature would not verify; `_save=1` needs
 * the session's request token, and a wrong one answers HTTP 200 with a "Request Check Failed"
 * page. The content script cannot read `rcmail.env` (page world), so the token is read from
 * the page's own HTML: the inline `rcmail.set_env({... "request_token": "..."})` that
 * `rcmail_output_html::write()` emits, or a hidden `_token` input of a Roundcube form. Message
 * bodies cannot add either: Roundcube's washtml drops scripts and forms from mail HTML.
 */

import { byId, contains, defaultView, insertAdjacent, query, queryAll } from '../dom.js';
import { fetchFromWebmail, messageFromResponse, refused } from './fetch.js';

/** The id of the iframe Roundcube shows the selected message in (skins elastic and larry). */
const PREVIEW_FRAME_ID = 'messagecontframe';
/** Longest mailbox name taken from the URL (characters). */
const MAX_MBOX_LENGTH = 1000;
/** Longest UID taken from the URL (digits; IMAP UIDs are 32-bit). */
const MAX_UID_DIGITS = 10;
/** Roundcube's request token: alphanumeric (`rcmail::get_request_token`, base64url-ish), bounded. */
const TOKEN_RE = /"request_token"\s*:\s*"([A-Za-z0-9_-]{8,128})"/;
/** Longest inline script scanned for the token (characters); Roundcube's set_env is a few KB. */
const MAX_SCRIPT_SCAN = 512 * 1024;

/**
 * Where the badge goes, first match wins: right after the subject of the message header
 * (elastic), or before the header table (larry). Never inside the message body.
 * @type {{ selector: string, where: InsertPosition }[]}
 */
const BADGE_PLACES = [
  { selector: '#message-header > h2.subject', where: 'afterend' },
  { selector: '#message-header', where: 'afterbegin' },
  { selector: '#messageheader', where: 'afterbegin' },
  { selector: '#messagebody', where: 'beforebegin' },
];

/** @param {Location} loc */
function params(loc) {
  return new URLSearchParams(loc.search);
}

/** @param {Document} doc */
function requestToken(doc) {
  for (const s of /** @type {HTMLScriptElement[]} */ (queryAll(doc, 'script'))) {
    if (s.src) continue;
    const text = s.textContent ?? '';
    if (text.length > MAX_SCRIPT_SCAN || !text.includes('rcmail')) continue;
    const m = TOKEN_RE.exec(text);
    if (m) return m[1];
  }
  const input = query(doc, 'form input[type="hidden"][name="_token"]');
  const v = input instanceof HTMLInputElement ? input.value : '';
  return /^[A-Za-z0-9_-]{8,128}$/.test(v) ? v : null;
}

/** @type {import('./index.js').WebmailAdapter} */
export const roundcube = {
  name: 'roundcube',
  probes: { body: '#messagebody', header: '#message-header, #messageheader', preview: `#${PREVIEW_FRAME_ID}`, token: 'form input[name="_token"]' },

  matches(loc, doc) {
    const p = params(loc);
    if (loc.protocol !== 'https:' && loc.protocol !== 'http:') return false;
    if (p.get('_task') !== 'mail') return false;
    const action = p.get('_action') ?? '';
    // Roundcube's own markup: the client's set_env script, and the message body container (a
    // message page) or the preview frame (the mailbox page, which only clears the verdict).
    if (action === 'preview' || action === 'show') return !!byId(doc, 'messagebody') && requestToken(doc) !== null;
    if (action === '' || action === 'list') return !!byId(doc, PREVIEW_FRAME_ID) && requestToken(doc) !== null;
    return false;
  },

  watch(doc, loc, onMessageShown, onMessageHidden) {
    const frame = byId(doc, PREVIEW_FRAME_ID);
    if (frame instanceof HTMLIFrameElement && !byId(doc, 'messagebody')) {
      // The mailbox page: when the preview frame loads something that is not a message
      // (Roundcube's blank watermark page after a delete or a folder change), the verdict of
      // the message shown before must go. A message page in the frame reports for itself.
      frame.addEventListener('load', () => {
        /** @type {string} */
        let search;
        try {
          search = frame.contentWindow?.location.search ?? '';
        } catch {
          return; // not same-origin: not Roundcube's frame any more
        }
        const action = new URLSearchParams(search).get('_action');
        if (action !== 'preview' && action !== 'show') onMessageHidden();
      });
      return;
    }
    const fire = () => {
      const ref = roundcube.messageId(doc, loc);
      if (ref) onMessageShown(ref);
    };
    fire();
    // Back/forward cache: the page comes back without a new content script.
    defaultView(doc)?.addEventListener('pageshow', (e) => { if (e.persisted) fire(); });
  },

  messageId(_doc, loc) {
    const p = params(loc);
    const uid = p.get('_uid') ?? '';
    const mbox = p.get('_mbox') ?? '';
    if (!new RegExp(`^[0-9]{1,${MAX_UID_DIGITS}}$`).test(uid)) return null;
    if (!mbox || mbox.length > MAX_MBOX_LENGTH) return null;
    return { key: `${mbox}/${uid}`, uid, mbox };
  },

  isShown(doc, loc, ref) {
    return roundcube.messageId(doc, loc)?.key === ref.key;
  },

  async fetchRaw(doc, loc, ref, maxBytes) {
    const token = requestToken(doc);
    if (!token) return { ok: false, problem: 'no_token' };
    // Only this URL, on the page's own origin and path: nothing else is ever fetched.
    const url = new URL(loc.origin + loc.pathname);
    url.search = new URLSearchParams({
      _task: 'mail', _action: 'viewsource', _uid: String(ref.uid), _mbox: String(ref.mbox), _save: '1', _token: token,
    }).toString();
    const res = await fetchFromWebmail(url.href);
    if ('problem' in res) return res;
    if (res.status !== 200) return refused(res);
    if ((res.headers.get('content-type') ?? '').toLowerCase().startsWith('text/html')) {
      // HTTP 200 with an error page: a missing/expired token says "Request Check Failed".
      const text = await res.text();
      return refused(res, /request check failed/i.test(text) ? 'request_check' : 'not_a_message');
    }
    if (!(res.headers.get('content-disposition') ?? '').toLowerCase().startsWith('attachment')) return { ok: false, problem: 'not_a_message' };
    return messageFromResponse(res, maxBytes);
  },

  placeBadge(doc, host) {
    const body = byId(doc, 'messagebody');
    for (const { selector, where } of BADGE_PLACES) {
      const anchor = query(doc, selector);
      if (!anchor || (body && body !== anchor && contains(body, anchor))) continue;
      insertAdjacent(anchor, where, host);
      return true;
    }
    return false;
  },
};
