// @ts-check
/**
 * DNS over HTTPS (RFC 8484) for the DKIM check: the TXT records the core names
 * (`DkimJob.dnsQueries()`: `<selector>._domainkey.<domain>` and `_dmarc.<domain>`), asked of the
 * resolver the user chose, and mapped to what the core reads (`{ txt }`, `no_record`, `failed`).
 *
 * **Why the wire format by GET** (RFC 8484 §4.1, `?dns=` the query in base64url, `Accept:
 * application/dns-message`), not the JSON API: the wire format is the standard that every DoH
 * resolver serves (the JSON API is Google's and Cloudflare's own, and Quad9 and Mullvad answer
 * it differently or not at all), its answer carries the exact TTLs and RCODE the cache and the
 * mapping need, and GET with the message ID 0 (§4.1: "SHOULD use a DNS ID of 0") is a simple
 * CORS request that HTTP caches may keep. The query and its answer are small, so the parser
 * (RFC 1035 §4.1, name compression §4.1.4) is a few dozen lines.
 *
 * **What the resolver learns**: each name looked up, so the signing domain and the From domain
 * of every message checked (and when). That is why it is off until the user turns it on
 * (options page and welcome page, `dkim.setDns`), and the browser asks the user for the
 * resolver's host when it is.
 *
 * The mapping (the core's `DnsResult`): NOERROR with TXT records at the name (or at the end of
 * its CNAME chain) → `{ txt }`; NXDOMAIN, or NOERROR without a TXT record (RFC 2308 "NODATA") →
 * `no_record` (RFC 6376 §6.1.2: no key); anything else (SERVFAIL, REFUSED, a truncated or
 * unreadable answer, an HTTP error, no answer within `DOH_TIMEOUT_MS`, an answer larger than
 * `MAX_DOH_ANSWER_BYTES`) → `failed`, which the core never turns green or red.
 *
 * Cache: in memory, per name, for the answer's TTL (RFC 1035 §3.2.1; a negative answer for its
 * SOA's minimum, RFC 2308 §5) held between `MIN_TTL_SECONDS` and `MAX_TTL_SECONDS`; failures
 * are not kept. A stopped service worker starts with an empty cache, which costs one round trip.
 */
import { storageLocal } from '../shared/ext.js';
import { fetchLimited } from './revocation.js';

/** Storage key of the setting: `{ on: boolean, resolver: string, custom: string }`. */
export const DNS_SETTINGS_KEY = 'dkim.dns';

/**
 * The resolvers offered, as data: each a DoH URL (RFC 8484 §3 URI template without
 * variables, the query appended as `?dns=`) and who runs it, in one line (the options and the
 * welcome page show `dohResolver_<id>` from the locales).
 */
export const RESOLVERS = /** @type {const} */ ([
  { id: 'cloudflare', url: 'https://cloudflare-dns.com/dns-query', who: 'Cloudflare (1.1.1.1), a US internet company' },
  { id: 'quad9', url: 'https://dns.quad9.net/dns-query', who: 'Quad9, a Swiss non-profit foundation' },
  { id: 'google', url: 'https://dns.google/dns-query', who: 'Google Public DNS, run by Google (USA)' },
  { id: 'mullvad', url: 'https://dns.mullvad.net/dns-query', who: 'Mullvad, a Swedish VPN company' },
]);

/** Time limit of one DoH request, milliseconds: resolvers answer in tens of ms; the badge waits. */
export const DOH_TIMEOUT_MS = 5000;
/** Largest DoH answer read, bytes: a DNS message is at most 65,535 bytes (RFC 8484 §6). */
export const MAX_DOH_ANSWER_BYTES = 65535;
/**
 * Most names asked for one message: the core's `MAX_SIGNATURES` (8) keys and two DMARC names.
 * Names past it are answered `failed` without asking.
 */
export const MAX_DNS_QUERIES_PER_MESSAGE = 10;
/**
 * Longest TXT record passed to the core, bytes (its strings joined, RFC 6376 §3.6.2.2): the
 * core's `MAX_RECORD_LEN`. A longer record is left out.
 */
export const MAX_TXT_RECORD_BYTES = 8 * 1024;
/** Most TXT records passed per name: the core's `MAX_RECORDS_PER_NAME`. */
export const MAX_TXT_RECORDS = 8;
/** Shortest time an answer is kept, seconds (a TTL of 0 would ask again for every message). */
export const MIN_TTL_SECONDS = 60;
/** Longest time an answer is kept, seconds: a key the domain withdrew is seen within the hour. */
export const MAX_TTL_SECONDS = 3600;
/** Most names kept in the cache; the oldest go first. */
export const MAX_CACHE_ENTRIES = 500;
/** Longest custom resolver URL accepted (characters). */
export const MAX_RESOLVER_URL = 512;
/** Longest name asked (RFC 1035 §2.3.4: 255 octets on the wire). */
const MAX_NAME_LENGTH = 253;
/** Most CNAMEs followed inside one answer. */
const MAX_CNAME_CHAIN = 8;

const TYPE_CNAME = 5;
const TYPE_SOA = 6;
const TYPE_TXT = 16;
const CLASS_IN = 1;
const RCODE_NOERROR = 0;
const RCODE_NXDOMAIN = 3;

/**
 * @typedef {{ txt: string[] } | 'no_record' | 'failed'} DnsResult
 * @typedef {{ name: string, result: DnsResult }} DnsAnswer
 * @typedef {{ on: boolean, resolver: string, custom: string }} DnsSettings
 * @typedef {(url: string, init: RequestInit) => Promise<Response>} FetchLike
 */

/** A typed error. @param {string} name @param {string} message */
function fail(name, message) {
  const e = new Error(message);
  e.name = name;
  return e;
}

/**
 * A custom resolver URL, or null when it is not one: `https:` only (the resolver sees every
 * name asked, and an unencrypted path would show them to the network too); plain `http:` only
 * to this computer (127.0.0.1, localhost, [::1]: the tests' stand-in), never over a network.
 * No user name or password, no fragment.
 * @param {unknown} url
 */
export function resolverUrl(url) {
  if (typeof url !== 'string' || url.length > MAX_RESOLVER_URL) return null;
  let u;
  try {
    u = new URL(url.trim());
  } catch {
    return null;
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) return null;
  if (u.username || u.password || u.hash) return null;
  return u.href;
}

/** The stored setting, defaults filled in (off, Quad9). @returns {Promise<DnsSettings>} */
export async function dnsSettings() {
  const got = /** @type {any} */ ((await storageLocal.get(DNS_SETTINGS_KEY))[DNS_SETTINGS_KEY]) ?? {};
  const resolver = RESOLVERS.some((r) => r.id === got.resolver) || got.resolver === 'custom' ? got.resolver : 'quad9';
  const custom = resolverUrl(got.custom) ?? '';
  return { on: got.on === true && (resolver !== 'custom' || custom !== ''), resolver, custom };
}

/**
 * Checks and stores a setting from the options or the welcome page (which asked the browser
 * for the resolver's host first, in the user's click).
 * @param {Record<string, unknown>} m @returns {Promise<DnsSettings>}
 */
export async function setDnsSettings(m) {
  const resolver = String(m.resolver ?? 'quad9');
  if (resolver !== 'custom' && !RESOLVERS.some((r) => r.id === resolver)) throw fail('BadMessage', `"resolver" must be one of ${RESOLVERS.map((r) => r.id).join(', ')} or custom`);
  const custom = m.custom === undefined || m.custom === '' ? '' : resolverUrl(m.custom);
  if (custom === null) throw fail('BadResolver', 'the resolver address must start with https:// (for example https://dns.example.net/dns-query)');
  if (resolver === 'custom' && m.on === true && !custom) throw fail('BadResolver', 'enter the address of your resolver first');
  const settings = { on: m.on === true, resolver, custom };
  await storageLocal.set({ [DNS_SETTINGS_KEY]: settings });
  cache.clear();
  return settings;
}

/** The URL of the resolver a setting names. @param {DnsSettings} s */
export function resolverOf(s) {
  return s.resolver === 'custom' ? s.custom : (RESOLVERS.find((r) => r.id === s.resolver)?.url ?? RESOLVERS[1].url);
}

/** The host-permission pattern for a resolver URL (`https://dns.quad9.net/*`). @param {string} url */
export function resolverOrigin(url) {
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}/*`;
}

// ------------------------------------------------------------------ wire format (RFC 1035 §4.1)

/**
 * The query: header (ID 0, RD set, one question), the name, QTYPE TXT, QCLASS IN. Null for a
 * name that is not a DNS name of at most 63-octet labels.
 * @param {string} name @returns {Uint8Array | null}
 */
export function encodeQuery(name) {
  const labels = name.replace(/\.$/, '').split('.');
  if (name.length > MAX_NAME_LENGTH || labels.some((l) => l.length === 0 || l.length > 63 || !/^[\x21-\x7e]+$/.test(l))) return null;
  const out = [0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
  for (const l of labels) out.push(l.length, ...[...l].map((c) => c.charCodeAt(0)));
  out.push(0, 0, TYPE_TXT, 0, CLASS_IN);
  return new Uint8Array(out);
}

/** base64url without padding (RFC 8484 §4.1, RFC 4648 §5). @param {Uint8Array} b */
export function base64url(b) {
  return btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Reads a (possibly compressed) name at `at`: the name in lower case and where the field ends.
 * Throws on a name running off the message or a pointer loop.
 * @param {Uint8Array} m @param {number} at @returns {{ name: string, end: number }}
 */
function readName(m, at) {
  const labels = [];
  let end = -1;
  for (let jumps = 0; ; jumps++) {
    if (at >= m.length || jumps > 64) throw new Error('bad name');
    const len = m[at];
    if (len === 0) {
      if (end < 0) end = at + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (at + 1 >= m.length) throw new Error('bad pointer');
      if (end < 0) end = at + 2;
      at = ((len & 0x3f) << 8) | m[at + 1];
      continue;
    }
    if (len > 63 || at + 1 + len > m.length) throw new Error('bad label');
    labels.push(String.fromCharCode(...m.subarray(at + 1, at + 1 + len)).toLowerCase());
    at += 1 + len;
  }
  return { name: labels.join('.'), end };
}

/**
 * The result for `name` from a DNS answer message, and how long it may be kept (seconds, before
 * the cache's bounds). Anything unreadable, or an answer to another question, is `failed`.
 * @param {Uint8Array} m @param {string} name
 * @returns {{ result: DnsResult, ttl: number }}
 */
export function parseAnswer(m, name) {
  const failed = { result: /** @type {DnsResult} */ ('failed'), ttl: 0 };
  try {
    if (m.length < 12) return failed;
    const u16 = (/** @type {number} */ i) => {
      if (i + 2 > m.length) throw new Error('short');
      return (m[i] << 8) | m[i + 1];
    };
    const u32 = (/** @type {number} */ i) => u16(i) * 65536 + u16(i + 2);
    const flags = u16(2);
    const qr = flags & 0x8000;
    const truncated = flags & 0x0200;
    const rcode = flags & 0x000f;
    if (!qr || truncated || (flags & 0x7800) !== 0) return failed;
    const [qd, an, ns] = [u16(4), u16(6), u16(8)];
    if (qd !== 1) return failed;
    const want = name.replace(/\.$/, '').toLowerCase();
    const q = readName(m, 12);
    if (q.name !== want || u16(q.end) !== TYPE_TXT || u16(q.end + 2) !== CLASS_IN) return failed;
    let at = q.end + 4;
    /** @type {{ owner: string, type: number, ttl: number, start: number, len: number, answer: boolean }[]} */
    const records = [];
    for (let i = 0; i < an + ns; i++) {
      const r = readName(m, at);
      const len = u16(r.end + 8);
      const start = r.end + 10;
      if (start + len > m.length) return failed;
      if (u16(r.end + 2) === CLASS_IN) records.push({ owner: r.name, type: u16(r.end), ttl: u32(r.end + 4), start, len, answer: i < an });
      at = start + len;
    }
    const answers = records.filter((r) => r.answer);
    if (rcode === RCODE_NXDOMAIN || rcode === RCODE_NOERROR) {
      // The names the question reaches through CNAMEs (RFC 1034 §3.6.2).
      const names = new Set([want]);
      for (let i = 0; i < MAX_CNAME_CHAIN; i++) {
        for (const r of answers) if (r.type === TYPE_CNAME && names.has(r.owner)) names.add(readName(m, r.start).name);
      }
      const txt = answers.filter((r) => r.type === TYPE_TXT && names.has(r.owner));
      if (rcode === RCODE_NOERROR && txt.length > 0) {
        const strings = txt.map((r) => txtRecord(m.subarray(r.start, r.start + r.len))).filter((s) => s.length <= MAX_TXT_RECORD_BYTES);
        const used = answers.filter((r) => names.has(r.owner));
        return { result: { txt: strings.slice(0, MAX_TXT_RECORDS) }, ttl: Math.min(...used.map((r) => r.ttl)) };
      }
      // Negative answers are kept for the SOA's minimum, capped by its own TTL (RFC 2308 §5).
      const soa = records.find((r) => !r.answer && r.type === TYPE_SOA);
      let ttl = MIN_TTL_SECONDS;
      if (soa) {
        const rname = readName(m, readName(m, soa.start).end);
        ttl = Math.min(soa.ttl, u32(rname.end + 16));
      }
      return { result: 'no_record', ttl };
    }
    return failed;
  } catch {
    return failed;
  }
}

/**
 * One TXT record's text: its character-strings joined (RFC 1035 §3.3.14; RFC 6376 §3.6.2.2),
 * each byte as one character (the records read are ASCII; nothing is lost either way).
 * @param {Uint8Array} rdata
 */
function txtRecord(rdata) {
  let out = '';
  for (let i = 0; i < rdata.length;) {
    const len = rdata[i];
    if (i + 1 + len > rdata.length) throw new Error('bad TXT');
    out += String.fromCharCode(...rdata.subarray(i + 1, i + 1 + len));
    i += 1 + len;
  }
  return out;
}

// ------------------------------------------------------------------ lookups and cache

/** @type {Map<string, { result: DnsResult, until: number }>} */
const cache = new Map();

/** Forgets every kept answer (a new resolver, the tests). */
export function clearDnsCache() {
  cache.clear();
}

/**
 * One name's result from `resolver` (a DoH URL): from the cache while it is current, else
 * asked (GET, RFC 8484 §4.1).
 * @param {string} resolver @param {string} name @param {number} now unix seconds
 * @param {FetchLike} [fetchImpl] @returns {Promise<DnsResult>}
 */
export async function lookupTxt(resolver, name, now, fetchImpl = fetch) {
  const key = `${resolver}\n${name.toLowerCase()}`;
  const hit = cache.get(key);
  if (hit && hit.until > now) return hit.result;
  const query = encodeQuery(name);
  if (!query) return 'no_record'; // not a name a domain could publish a key at
  const url = `${resolver}${resolver.includes('?') ? '&' : '?'}dns=${base64url(query)}`;
  const bytes = await fetchLimited(url, { method: 'GET', headers: { accept: 'application/dns-message' } }, MAX_DOH_ANSWER_BYTES, DOH_TIMEOUT_MS, fetchImpl);
  if (!bytes) return 'failed';
  const { result, ttl } = parseAnswer(bytes, name);
  if (result !== 'failed') {
    cache.delete(key);
    cache.set(key, { result, until: now + Math.min(MAX_TTL_SECONDS, Math.max(MIN_TTL_SECONDS, ttl)) });
    if (cache.size > MAX_CACHE_ENTRIES) cache.delete(/** @type {string} */ (cache.keys().next().value));
  }
  return result;
}

/**
 * The answers for the core's queries, all asked at once; past `MAX_DNS_QUERIES_PER_MESSAGE`,
 * `failed` without asking.
 * @param {string} resolver @param {{ name: string }[]} queries @param {number} now
 * @param {FetchLike} [fetchImpl] @returns {Promise<DnsAnswer[]>}
 */
export function answerQueries(resolver, queries, now, fetchImpl) {
  return Promise.all(queries.map(async (q, i) => ({
    name: q.name,
    result: i < MAX_DNS_QUERIES_PER_MESSAGE ? await lookupTxt(resolver, q.name, now, fetchImpl) : /** @type {DnsResult} */ ('failed'),
  })));
}

/** @type {Record<string, (message: Record<string, unknown>) => Promise<unknown>>} */
export const dnsPageHandlers = {
  /** The setting and the resolvers offered: `{ settings, resolvers: [{ id, url }] }`. */
  'dkim.dns': async () => ({ settings: await dnsSettings(), resolvers: RESOLVERS.map((r) => ({ id: r.id, url: r.url })) }),
  /**
   * `{ on, resolver, custom }`: sets it. The page asked the browser for the resolver's host in
   * the user's click first; answers the stored setting.
   */
  'dkim.setDns': async (m) => setDnsSettings(m),
};
