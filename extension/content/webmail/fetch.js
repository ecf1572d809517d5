// @ts-check
/**
 * What every adapter does with the answer of a raw-source route: refuse what is not a message.
 */

/** @typedef {import('./index.js').FetchProblem} FetchProblem */

/** Longest wait for a raw-source answer, body included (ms): 25 MB at under 1 MB/s, with room. */
export const FETCH_TIMEOUT_MS = 60_000;

/** @typedef {{ ok: false, problem: FetchProblem, status?: number }} FetchFailure */

/** Longest `Content-Length` a JSON answer carrying a base64 message may have (bytes). */
const JSON_OVERHEAD_BYTES = 64 * 1024;

/**
 * Fetches a raw-source route of the page's own webmail with the user's session: no redirects
 * (a sign-in page is not the message), no cache, at most FETCH_TIMEOUT_MS. Absolute URL, plain
 * fetch: works in both browsers' content scripts (Firefox's `content.fetch` did not). A
 * failure (`problem` `network` or `timeout`) when it could not be reached.
 * @param {string} url @param {RequestInit} [init]
 * @returns {Promise<Response | FetchFailure>}
 */
export async function fetchFromWebmail(url, init = {}) {
  try {
    return await fetch(url, { ...init, credentials: 'include', redirect: 'error', cache: 'no-store', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch (e) {
    return { ok: false, problem: /** @type {any} */ (e)?.name === 'TimeoutError' ? 'timeout' : 'network' };
  }
}

/**
 * The failure for an answer the adapter refuses, with its HTTP status (for the diagnostics
 * report: a status says which step failed, never what the message is).
 * @param {Response} res @param {FetchProblem} [problem]
 * @returns {FetchFailure}
 */
export const refused = (res, problem = 'http') => ({ ok: false, problem, status: res.status });

/** A header field name (printable ASCII except ':', RFC 5322 §2.2) and its colon. */
const FIRST_FIELD_RE = /^[\x21-\x39\x3b-\x7e]{1,998}:/;

/**
 * Whether a text starts like an RFC 5322 message: a header field on the first line. An HTML
 * error page or a JSON answer does not. (Strings, not bytes: in Firefox a content script may
 * not read the buffers of a page-owned response.)
 * @param {string} head the first characters
 */
export function looksLikeMessage(head) {
  return FIRST_FIELD_RE.test(head);
}

/**
 * The message out of a raw-source response: status 200, not an HTML page, at most `maxBytes`,
 * and starting like a message.
 * @param {Response} res @param {number} maxBytes
 * @returns {Promise<{ ok: true, blob: Blob } | FetchFailure>}
 */
export async function messageFromResponse(res, maxBytes) {
  if (res.status !== 200) return refused(res);
  const length = Number(res.headers.get('content-length') ?? '0');
  if (length > maxBytes) return { ok: false, problem: 'too_large' };
  if ((res.headers.get('content-type') ?? '').toLowerCase().startsWith('text/html')) return { ok: false, problem: 'not_a_message' };
  const blob = await res.blob();
  if (blob.size > maxBytes) return { ok: false, problem: 'too_large' };
  const head = await blob.slice(0, 1000).text();
  return looksLikeMessage(head) ? { ok: true, blob } : { ok: false, problem: 'not_a_message' };
}

/** The limit for a JSON answer that carries a message of `maxBytes` in base64. @param {number} maxBytes */
export const maxJsonBytes = (maxBytes) => Math.ceil(maxBytes / 3) * 4 + JSON_OVERHEAD_BYTES;

/**
 * The JSON of an answer that carries a message (as base64 or text), at most
 * `maxJsonBytes(maxBytes)` long; `sessionRefused` lists the statuses with which the webmail
 * refuses the session or its token.
 * @param {Response} res @param {number} maxBytes @param {number[]} sessionRefused
 * @returns {Promise<{ ok: true, json: any } | FetchFailure>}
 */
export async function jsonFromResponse(res, maxBytes, sessionRefused) {
  if (sessionRefused.includes(res.status)) return refused(res, 'request_check');
  if (res.status !== 200) return refused(res);
  const limit = maxJsonBytes(maxBytes);
  if (Number(res.headers.get('content-length') ?? '0') > limit) return { ok: false, problem: 'too_large' };
  const text = await res.text();
  if (text.length > limit) return { ok: false, problem: 'too_large' };
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch {
    return { ok: false, problem: 'not_a_message' };
  }
}

/**
 * The message out of a JSON answer's text field (Nextcloud's `source`, OX's `data`): a string,
 * at most `maxBytes` once UTF-8 encoded, starting like a message.
 * @param {unknown} text @param {number} maxBytes
 * @returns {{ ok: true, blob: Blob } | FetchFailure}
 */
export function messageFromText(text, maxBytes) {
  if (typeof text !== 'string' || !looksLikeMessage(text.slice(0, 1000))) return { ok: false, problem: 'not_a_message' };
  const blob = new Blob([text]);
  return blob.size > maxBytes ? { ok: false, problem: 'too_large' } : { ok: true, blob };
}
