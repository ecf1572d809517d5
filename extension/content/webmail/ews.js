// @ts-check
/**
 * The raw message out of Exchange, as Outlook on the web (cloud, `outlook.js`) and its
 * on-premises form (Exchange 2016/2019, `owa.js`) both get it: the JSON form of the EWS
 * `GetItem` operation at `POST /owa/service.svc?action=GetItem`, with `IncludeMimeContent: true`
 * in the `ItemResponseShape`, authenticated by the session cookie and the `X-OWA-CANARY` header
 * (the value of the `X-OWA-CANARY` cookie, OWA's anti-CSRF token). The answer carries the MIME
 * content in base64 at `Body.ResponseMessages.Items[0].Items[0].MimeContent.Value`. Each
 * adapter bundles its own copy of this file (build.sh).
 */
import { cookie } from '../dom.js';
import { fetchFromWebmail, jsonFromResponse, looksLikeMessage } from './fetch.js';

/** Longest ItemId accepted (characters, decoded; EWS ids are base64 of ~150 bytes). */
export const MAX_ITEM_ID = 512;
/** An EWS ItemId: base64 or base64url (with Outlook's `-`/`_`). */
export const ITEM_ID_RE = /^[A-Za-z0-9+/=_-]+$/;
/** The anti-CSRF cookie whose value goes in the `X-OWA-CANARY` header. */
const CANARY_COOKIE = 'X-OWA-CANARY';
/** A canary value as OWA sets it (URL-safe characters). */
const CANARY_RE = /^[A-Za-z0-9._-]{8,256}$/;
/** The route, on the page's own origin (the same path in the cloud and on premises). */
const GET_ITEM_PATH = '/owa/service.svc?action=GetItem&app=Mail';
/** Statuses with which OWA refuses a session: 440 (its "login time-out"), 401, 403. */
const REFUSED = [440, 401, 403];

/** Whether `id` is an EWS ItemId this code sends. @param {string} id */
export const validItemId = (id) => id.length > 0 && id.length <= MAX_ITEM_ID && ITEM_ID_RE.test(id);

/** The canary cookie's value, or null. @param {Document} doc */
function canary(doc) {
  for (const part of cookie(doc).split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === CANARY_COOKIE) {
      const value = v.join('=');
      return CANARY_RE.test(value) ? value : null;
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

/**
 * The message `id` names, as base64, from the page's own origin.
 * @param {Document} doc @param {Location} loc @param {string} id @param {number} maxBytes
 * @returns {Promise<import('./index.js').RawMessage>}
 */
export async function fetchMimeContent(doc, loc, id, maxBytes) {
  if (!validItemId(id)) return { ok: false, problem: 'not_a_message' };
  const token = canary(doc);
  if (!token) return { ok: false, problem: 'no_token' };
  // Only this URL, on the page's own origin.
  const res = await fetchFromWebmail(`${loc.origin}${GET_ITEM_PATH}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8', Action: 'GetItem', 'X-OWA-CANARY': token },
    body: JSON.stringify(getItemRequest(id)),
  });
  if ('problem' in res) return res;
  const got = await jsonFromResponse(res, maxBytes, REFUSED);
  if (!got.ok) return got;
  const item = got.json?.Body?.ResponseMessages?.Items?.[0];
  if (item?.ResponseClass !== 'Success') return { ok: false, problem: 'http' };
  const b64 = item?.Items?.[0]?.MimeContent?.Value;
  if (typeof b64 !== 'string' || b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return { ok: false, problem: 'not_a_message' };
  if (b64.length > Math.ceil(maxBytes / 3) * 4) return { ok: false, problem: 'too_large' };
  if (!looksLikeMessage(atob(b64.slice(0, 1336)))) return { ok: false, problem: 'not_a_message' };
  return { ok: true, base64: b64 };
}
