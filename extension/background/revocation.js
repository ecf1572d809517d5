// @ts-check
/**
 * Online revocation (RFC 6960 OCSP, then RFC 5280 CRLs from the distribution points),
 * background side: the one module that fetches for S/MIME.
 *
 * Off by default. When the user turns it on (options page, `smime.setRevocation`), the check of
 * a message runs twice: the first pass's verdict names, per certificate of the chain whose
 * status no CRL settled, the responder's URL and the DER request the core built
 * (`details.revocation[].ocsp_url`, `.ocsp_request`); this module brings the answers (from its
 * cache, or by one POST each) and the second pass, with the answers and the user's mode, gives
 * the verdict. The core judges every answer (signature, responder, serial, freshness); this
 * module only moves bytes.
 *
 * What is sent: the request (hashes of the issuer's name and key, and the certificate's serial
 * number) to the responder the certificate names, so the certificate authority learns which
 * certificate is checked, and when. Nothing else: no cookies, no message, no address.
 *
 * When OCSP leaves a certificate unsettled (no responder, not reached, a bad answer), the CRL
 * of its distribution point is fetched (GET) and the check runs a third time with it.
 *
 * The fetch (like the alias providers' in `aliases.js`): no cookies, redirects not followed, a
 * time limit and a size limit. Plain `http://` is allowed: OCSP responders are normally served
 * over http, the answer being signed (RFC 6960 Appendix A.1; an https responder would need its
 * own certificate checked, possibly by OCSP).
 *
 * Cache: per request (one certificate, one issuer), until the answer's own nextUpdate, in
 * `storage.local` (`smime.ocspCache`), at most `MAX_OCSP_CACHE_ENTRIES`. Only answers of a
 * check in which every answer was usable are kept, so a bad answer is asked again next time.
 *
 * Before all that, under the same switch: when the chain has no path to a trusted root because
 * an issuer is missing, the verdict names the certificates' caIssuers URLs (RFC 5280 §4.2.2.1,
 * the core's `smime::aia`: `signer.ca_issuers`); they are fetched the same way (GET, a DER
 * certificate or a certs-only PKCS#7) and the check runs again with what came back as untrusted
 * intermediates, for at most `MAX_CA_ISSUERS_ROUNDS` rounds and `MAX_CA_ISSUERS_FETCHES`
 * URLs, none twice (so issuers that point at each other end). Kept per URL for
 * `CA_ISSUERS_CACHE_SECS` in `smime.caIssuersCache`.
 */
import { base64ToBytes, bytesToBase64, isBase64 } from '../shared/base64.js';
import { storageLocal } from '../shared/ext.js';

/** Storage key of the user's choice: `'off' | 'soft' | 'hard'`. */
export const REVOCATION_MODE_KEY = 'smime.revocation';
/** The modes (the core's `path::OnlineMode`): off (default), soft-fail, hard-fail. */
export const REVOCATION_MODES = /** @type {const} */ (['off', 'soft', 'hard']);
/** Storage key of the answers kept: `{ [request base64]: { response, until } }`. */
export const OCSP_CACHE_KEY = 'smime.ocspCache';
/**
 * Most answers kept. One per certificate whose status was asked: a user's correspondents'
 * certificates and their CAs. Each is about 1.5-4 KB, so the cache stays under 2 MB.
 */
export const MAX_OCSP_CACHE_ENTRIES = 500;
/**
 * Time limit of one OCSP request, milliseconds. Responders answer in well under a second;
 * the verdict waits for the slowest one, so the limit is short (a soft-fail verdict then says
 * that revocation could not be checked).
 */
export const OCSP_FETCH_TIMEOUT_MS = 8000;
/** Largest answer read, bytes: the core's `ocsp::MAX_RESPONSE_BYTES`. */
export const MAX_OCSP_RESPONSE_BYTES = 64 * 1024;
/** Most requests of one check: the core's `path::MAX_OCSP_RESPONSES`. */
export const MAX_OCSP_REQUESTS = 16;
/**
 * Largest CRL read from a distribution point, bytes. An e-mail CA's CRL is usually tens of
 * kilobytes; the largest public CAs' reach a few megabytes. 8 MiB bounds the download and the
 * core's parsing (wasm memory) while taking those.
 */
export const MAX_CRL_BYTES = 8 * 1024 * 1024;
/** Time limit of one CRL download, milliseconds (longer than OCSP's: a CRL is larger). */
export const CRL_FETCH_TIMEOUT_MS = 15000;
/** Most CRLs fetched for one check: the core's `path::MAX_ONLINE_CRLS`. */
export const MAX_ONLINE_CRLS = 8;
/** Largest caIssuers answer read, bytes: the core's `aia::MAX_CA_ISSUERS_BYTES`. */
export const MAX_CA_ISSUERS_BYTES = 64 * 1024;
/** Time limit of one caIssuers download, milliseconds (one or a few certificates, as OCSP). */
export const CA_ISSUERS_FETCH_TIMEOUT_MS = 8000;
/** Most caIssuers URLs fetched for one message: the core's `aia::MAX_CA_ISSUERS_FETCHES`. */
export const MAX_CA_ISSUERS_FETCHES = 4;
/** Most rounds of fetching and checking again: the core's `aia::MAX_CA_ISSUERS_ROUNDS`. */
export const MAX_CA_ISSUERS_ROUNDS = 3;
/** Storage key of the caIssuers answers kept: `{ [url]: { body, until } }`. */
export const CA_ISSUERS_CACHE_KEY = 'smime.caIssuersCache';
/**
 * How long a caIssuers answer is kept, seconds: a day. CA certificates live for years, but a
 * CA that replaces one (a new key, a fixed profile) publishes it at the same URL.
 */
export const CA_ISSUERS_CACHE_SECS = 24 * 60 * 60;
/** Most caIssuers answers kept (1-2 KB each): the CAs of a user's correspondents. */
export const MAX_CA_ISSUERS_CACHE_ENTRIES = 100;
/** The host permissions asked for when the user turns the check on (responders are anywhere). */
export const REVOCATION_ORIGINS = ['http://*/*', 'https://*/*'];

/**
 * @typedef {{ subject: string, serial: string, status: { kind: string }, ocsp_url?: string,
 *   ocsp_request?: string, crl_urls?: string[] }} RevocationEntry
 * @typedef {{ key: string, bytes: Uint8Array }} Fetched
 * @typedef {(url: string, init: RequestInit) => Promise<Response>} FetchLike
 */

/** The user's mode. @returns {Promise<'off' | 'soft' | 'hard'>} */
export async function revocationMode() {
  const got = (await storageLocal.get(REVOCATION_MODE_KEY))[REVOCATION_MODE_KEY];
  return REVOCATION_MODES.find((m) => m === got) ?? 'off';
}

/**
 * The entries of a verdict that name something to fetch.
 * @param {any} verdict @returns {RevocationEntry[]}
 */
export function wanted(verdict) {
  const list = verdict?.details?.revocation;
  if (!Array.isArray(list)) return [];
  return list.filter((e) => e && (typeof e.ocsp_url === 'string' || (Array.isArray(e.crl_urls) && e.crl_urls.length > 0)));
}

/**
 * Reads at most `limit` bytes of a body; `null` when it is longer.
 * @param {Response} r @param {number} limit @returns {Promise<Uint8Array | null>}
 */
async function readLimited(r, limit) {
  if (!r.body) return new Uint8Array(await r.arrayBuffer());
  const reader = r.body.getReader();
  /** @type {Uint8Array[]} */
  const parts = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/**
 * One fetch the way this module fetches: no cookies, redirects not followed, not from the
 * browser's cache, at most `limit` bytes within `timeout` ms; `null` when there is nothing to
 * use (not http(s), no answer in time, an HTTP error, a redirect, too large).
 * @param {string} url @param {RequestInit} init @param {number} limit @param {number} timeout
 * @param {FetchLike} fetchImpl @returns {Promise<Uint8Array | null>}
 */
export async function fetchLimited(url, init, limit, timeout, fetchImpl) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeout);
  try {
    const r = await fetchImpl(u.href, { ...init, redirect: 'manual', credentials: 'omit', cache: 'no-store', signal: controller.signal });
    if (!r.ok) return null;
    return await readLimited(r, limit);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * POSTs one DER request to `url` (RFC 6960 Appendix A.1) and resolves with the answer's bytes,
 * or `null`. The core judges what comes back.
 * @param {string} url @param {Uint8Array} request @param {FetchLike} [fetchImpl]
 */
export function fetchOcsp(url, request, fetchImpl = fetch) {
  const init = { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: /** @type {Uint8Array<ArrayBuffer>} */ (request) };
  return fetchLimited(url, init, MAX_OCSP_RESPONSE_BYTES, OCSP_FETCH_TIMEOUT_MS, fetchImpl);
}

/**
 * GETs a CRL from a distribution point (RFC 5280 §4.2.1.13: DER over http), or `null`.
 * @param {string} url @param {FetchLike} [fetchImpl]
 */
export function fetchCrl(url, fetchImpl = fetch) {
  return fetchLimited(url, { method: 'GET' }, MAX_CRL_BYTES, CRL_FETCH_TIMEOUT_MS, fetchImpl);
}

/**
 * The CRLs for the certificates the OCSP pass left unsettled: those of the first pass's
 * entries (`first`; a hard-fail verdict lists none) that the second (`second`) does not show
 * settled, the first distribution point of each, each URL once. Not cached: a CRL is large,
 * and this is the fallback when OCSP gave nothing usable.
 * @param {any} first @param {any} second @param {FetchLike} [fetchImpl]
 * @returns {Promise<Uint8Array[]>}
 */
export async function crlsFor(first, second, fetchImpl) {
  const done = Array.isArray(second?.details?.revocation) ? /** @type {RevocationEntry[]} */ (second.details.revocation) : [];
  const settled = new Set(done
    .filter((e) => e.status?.kind === 'good' || e.status?.kind === 'revoked')
    .map((e) => `${e.subject}\n${e.serial}`));
  // The second pass's URL when it names one: a delegated OCSP responder's own distribution
  // point comes first there when the responder's status is what is missing.
  const again = new Map(done.filter((e) => Array.isArray(e.crl_urls) && e.crl_urls.length > 0)
    .map((e) => [`${e.subject}\n${e.serial}`, e]));
  const urls = [...new Set(wanted(first)
    .map((e) => again.get(`${e.subject}\n${e.serial}`) ?? e)
    .filter((e) => !settled.has(`${e.subject}\n${e.serial}`) && Array.isArray(e.crl_urls) && e.crl_urls.length > 0)
    .map((e) => String(/** @type {string[]} */ (e.crl_urls)[0])))].slice(0, MAX_ONLINE_CRLS);
  const got = await Promise.all(urls.map((u) => fetchCrl(u, fetchImpl)));
  return /** @type {Uint8Array[]} */ (got.filter((c) => c !== null));
}

/** @returns {Promise<Record<string, { response: string, until: number }>>} */
async function cache() {
  const got = (await storageLocal.get(OCSP_CACHE_KEY))[OCSP_CACHE_KEY];
  return got && typeof got === 'object' ? /** @type {any} */ (got) : {};
}

/**
 * The answers for a first pass's verdict: from the cache while they are current, else fetched
 * (all at once). `fetched` lists what came from the network, for `remember`.
 * @param {any} verdict @param {number} now unix seconds @param {FetchLike} [fetchImpl]
 * @returns {Promise<{ answers: Uint8Array[], fetched: Fetched[] }>}
 */
export async function answersFor(verdict, now, fetchImpl) {
  const entries = wanted(verdict)
    .filter((e) => typeof e.ocsp_url === 'string' && isBase64(e.ocsp_request))
    .slice(0, MAX_OCSP_REQUESTS);
  const kept = await cache();
  /** @type {Fetched[]} */
  const fetched = [];
  const answers = await Promise.all(entries.map(async (e) => {
    const key = /** @type {string} */ (e.ocsp_request);
    const hit = Object.hasOwn(kept, key) ? kept[key] : undefined;
    if (hit && hit.until > now && isBase64(hit.response)) return base64ToBytes(hit.response);
    const bytes = await fetchOcsp(/** @type {string} */ (e.ocsp_url), base64ToBytes(key), fetchImpl);
    if (bytes) fetched.push({ key, bytes });
    return bytes;
  }));
  return { answers: /** @type {Uint8Array[]} */ (answers.filter((a) => a !== null)), fetched };
}

/**
 * Keeps fetched answers until their own expiry (`until(bytes)`, the core's reading of
 * nextUpdate), dropping expired entries and, past `MAX_OCSP_CACHE_ENTRIES`, those that expire
 * first.
 * @param {Fetched[]} fetched @param {(bytes: Uint8Array) => Promise<number | null>} until
 * @param {number} now unix seconds
 */
export async function remember(fetched, until, now) {
  if (fetched.length === 0) return;
  const kept = await cache();
  for (const f of fetched) {
    const t = await until(f.bytes);
    if (typeof t === 'number' && t > now) kept[f.key] = { response: bytesToBase64(f.bytes), until: t };
  }
  const live = Object.entries(kept)
    .filter(([, v]) => v && typeof v.until === 'number' && v.until > now)
    .sort((a, b) => b[1].until - a[1].until)
    .slice(0, MAX_OCSP_CACHE_ENTRIES);
  await storageLocal.set({ [OCSP_CACHE_KEY]: Object.fromEntries(live) });
}

/**
 * Whether every answer of a second pass was usable: no certificate left unsettled that the
 * check could have settled online.
 * @param {any} verdict
 */
export function allAnswered(verdict) {
  const warnings = Array.isArray(verdict?.details?.warnings) ? verdict.details.warnings : [];
  return verdict?.reason?.kind !== 'revocation_unknown' && !warnings.some((/** @type {any} */ w) => w?.kind === 'revocation_not_checked');
}

/**
 * The caIssuers URLs a verdict names (every signer's and layer's).
 * @param {any} verdict @returns {string[]}
 */
export function issuerUrls(verdict) {
  const d = verdict?.details ?? {};
  const signers = [d.signer, ...(Array.isArray(d.signers) ? d.signers : []),
    ...(Array.isArray(d.layers) ? d.layers.map((/** @type {any} */ l) => l?.signer) : [])];
  const urls = signers.flatMap((s) => (Array.isArray(s?.ca_issuers) ? s.ca_issuers : []));
  return [...new Set(urls.filter((u) => typeof u === 'string'))];
}

/**
 * GETs a caIssuers URL (a DER certificate or a certs-only PKCS#7, RFC 5280 §4.2.2.1), or `null`.
 * @param {string} url @param {FetchLike} [fetchImpl]
 */
export function fetchIssuer(url, fetchImpl = fetch) {
  return fetchLimited(url, { method: 'GET' }, MAX_CA_ISSUERS_BYTES, CA_ISSUERS_FETCH_TIMEOUT_MS, fetchImpl);
}

/**
 * Runs `pass` (a check without online revocation, with the given fetched issuer answers)
 * again while its verdict names caIssuers URLs not fetched yet, within the limits; answers
 * come from the cache while they are current. Resolves with the last verdict and the answers.
 * @param {any} verdict the first pass's @param {number} now unix seconds
 * @param {(certs: Uint8Array[]) => Promise<any>} pass @param {FetchLike} [fetchImpl]
 * @returns {Promise<{ verdict: any, certs: Uint8Array[] }>}
 */
export async function withIssuers(verdict, now, pass, fetchImpl) {
  /** @type {string[]} */
  const tried = [];
  /** @type {Uint8Array[]} */
  const certs = [];
  if (issuerUrls(verdict).length === 0) return { verdict, certs };
  const kept = /** @type {Record<string, { body: string, until: number }>} */ (
    (await storageLocal.get(CA_ISSUERS_CACHE_KEY))[CA_ISSUERS_CACHE_KEY] ?? {});
  let fresh = false;
  for (let round = 0; round < MAX_CA_ISSUERS_ROUNDS; round++) {
    const urls = issuerUrls(verdict).filter((u) => !tried.includes(u)).slice(0, MAX_CA_ISSUERS_FETCHES - tried.length);
    if (urls.length === 0) break;
    tried.push(...urls);
    const got = await Promise.all(urls.map(async (u) => {
      const hit = Object.hasOwn(kept, u) ? kept[u] : undefined;
      if (hit && hit.until > now && isBase64(hit.body)) return base64ToBytes(hit.body);
      const bytes = await fetchIssuer(u, fetchImpl);
      // Only what looks like DER (a SEQUENCE) is kept; the core judges it each time.
      if (bytes && bytes[0] === 0x30) {
        kept[u] = { body: bytesToBase64(bytes), until: now + CA_ISSUERS_CACHE_SECS };
        fresh = true;
      }
      return bytes;
    }));
    certs.push(.../** @type {Uint8Array[]} */ (got.filter((b) => b !== null)));
    verdict = await pass(certs);
  }
  if (fresh) {
    const live = Object.entries(kept)
      .filter(([, v]) => v && typeof v.until === 'number' && v.until > now)
      .sort((a, b) => b[1].until - a[1].until)
      .slice(0, MAX_CA_ISSUERS_CACHE_ENTRIES);
    await storageLocal.set({ [CA_ISSUERS_CACHE_KEY]: Object.fromEntries(live) });
  }
  return { verdict, certs };
}
