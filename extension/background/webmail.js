// @ts-check
/**
 * Webmail verdicts, background side.
 *
 * A webmail adapter (content script, `content/webmail/`) fetches the exact bytes of the message
 * the page shows from the page's own origin and sends them here. This file:
 *
 * - checks them (size, base64) and asks the core for the verdict (`smime.js`, time = now);
 * - draws the verdict on the toolbar button of the sender's tab (the one place the page cannot
 *   draw on), and keeps the last verdict per tab (memory + session storage) for the popup;
 * - remembers, per From address, the certificate that last signed a *verified* message from it
 *   (`smime.seen`, fingerprints and issuer only, never message bytes) and adds a `continuity`
 *   note when a later message from that address comes with another key, another issuer, or
 *   no signature at all;
 * - hands the content script the user's personal mark (`ui.personalMark`), generated here on
 *   first use, so the in-page badge can show something a page cannot know.
 *
 * A content script may be confused by a hostile page, so every handler only acts on the
 * sender's own tab and validates every field with named limits.
 */
import { onTabLoading, onTabRemoved, setTabBadge, storageLocal, storageSession } from '../shared/ext.js';
import { base64ToBytes, isBase64 } from '../shared/base64.js';
import { isMarkColor, MARK_COLORS } from '../shared/mark.js';
import { aliasUseText, badgeWords, continuityText, localised, noticeTexts, verdictLook, verdictWords } from '../shared/words.js';
import { vault } from './aliases.js';
import { call } from './core.js';
import { dkimFor, provenDomain, strongest } from './dkim.js';
import { verifyBytes, verifyP7mBytes, warmUpSoon } from './smime.js';

/**
 * Largest message a content script may send, in bytes (before base64). 25 MiB is the common
 * message size limit of mail servers; its base64 (~34 MiB) stays below the browsers' 64 MiB
 * limit for one extension message. `content/webmail/index.js` has the same figure.
 */
export const MAX_WEBMAIL_MESSAGE_BYTES = 25 * 1024 * 1024;
/** Longest base64 string accepted for a message of MAX_WEBMAIL_MESSAGE_BYTES. */
export const MAX_WEBMAIL_MESSAGE_B64 = Math.ceil(MAX_WEBMAIL_MESSAGE_BYTES / 3) * 4;
/** How many From addresses `smime.seen` remembers; the oldest are forgotten first. */
export const MAX_SEEN_ADDRESSES = 5000;
/**
 * How many of the remembered signers keep their certificate itself (for "Save the sender's
 * certificate" in the options page, issue #18 part 6); older entries keep the fingerprint and
 * issuer only. A certificate is 1-2 KB, so at most about 1 MB of storage.
 */
export const MAX_KEPT_CERTIFICATES = 500;
/** Longest base64 certificate that is kept (a certificate of 12 KB is already unusual). */
export const MAX_KEPT_CERTIFICATE_B64 = 16 * 1024;
/** Longest From address that is remembered (RFC 5321 §4.5.3.1.3 path limit). */
export const MAX_ADDRESS_LENGTH = 256;
/** Length of the ticket a `webmail.begin` hands out (hex characters). */
const TICKET_HEX = 32;

/** Storage key: signer certificate per From address, `{ [address]: SeenSigner }`. */
export const SEEN_KEY = 'smime.seen';
/** Storage key: the personal mark `{ phrase, color }` the in-page badge shows. */
export const PERSONAL_MARK_KEY = 'ui.personalMark';
/** Session-storage key prefix of the last verdict per tab. */
const TAB_KEY_PREFIX = 'webmail.tab.';
/** Session-storage key prefix of the webmail detected in a tab but not turned on. */
const DETECTED_KEY_PREFIX = 'webmail.detected.';
/** Storage key: the webmail sites the user turned signature checks on for, `[{ origin, adapter }]`. */
export const WEBMAIL_SITES_KEY = 'webmail.sites';
/** Most webmail sites the user may add. */
export const MAX_WEBMAIL_SITES = 100;
/** Storage key: the last result per webmail site, `{ [origin]: SiteResult }`, for the options page. */
export const WEBMAIL_RESULTS_KEY = 'webmail.results';
/** Most sites whose last result is kept (the oldest go first). */
export const MAX_SITE_RESULTS = 200;
/** Most probes a diagnostics report carries, and the longest route shape (characters). */
const MAX_REPORT_PROBES = 12;
const MAX_REPORT_PAGE = 300;
/** The webmail adapters (`content/webmail/<name>.js`). */
export const ADAPTERS = /** @type {const} */ (['roundcube', 'sogo', 'gmail', 'outlook', 'owa', 'horde', 'zimbra', 'nextcloud', 'ox', 'snappymail']);
/**
 * Where an adapter runs without being turned on: the service's own origins. Anywhere else
 * (a self-hosted Roundcube or SOGo, a replica) the user turns it on for the origin, because an
 * adapter trusts the page to show the message whose bytes it fetched: a look-alike page on
 * another origin could show one message and serve the signed bytes of another.
 * @type {Record<string, string[]>}
 */
export const BUILTIN_SITES = {
  gmail: ['https://mail.google.com'],
  outlook: ['https://outlook.live.com', 'https://outlook.office.com', 'https://outlook.office365.com'],
};

/**
 * @typedef {{ sha256: string, issuer: string, first_seen: string, name?: string, der?: string }} SeenSigner
 * @typedef {{ kind: 'key_changed' | 'issuer_changed' | 'no_longer_signed', address: string,
 *   first_seen: string, previous_sha256: string, previous_issuer: string }} Continuity
 * @typedef {{ phrase: string, color: string }} PersonalMark
 * @typedef {{ status: 'verified' | 'invalid' | 'not_verified', reason: { kind: string } | null,
 *   summary: string, explanation: string, details: any }} Verdict
 * @typedef {{ alias: string, site: string | null, label: string | null, state: string,
 *   sender_site: string | null, other_sender: boolean }} AliasUse
 * @typedef {{ adapter: string, page: string, probes: Record<string, boolean>, status: number | null, at: string }} Report
 *   The diagnostics of a failed check (issue #20 part 3): structure only, never message content,
 *   an address or an id (the content script replaces those parts of the route, and they are
 *   checked again here).
 * @typedef {{ adapter: string, at: string, ok: boolean, problem: string | null, status: number | null }} SiteResult
 * @typedef {{ state: 'none' } | { state: 'pending' } | { state: 'failed', problem: string, report?: Report }
 *   | { state: 'done', verdict: Verdict, continuity: Continuity | null, aliases?: AliasUse[] }} TabVerdict
 * @typedef {{ origin: string, adapter: string }} WebmailSite
 */

/** Why an adapter could not get the message's bytes: the codes a content script may report. */
export const FETCH_PROBLEMS = /** @type {const} */ (['too_large', 'request_check', 'http', 'network', 'timeout', 'not_a_message', 'no_token']);

/** The toolbar badge per outcome: short text, colour, and the i18n-free title prefix. */
const BADGE = {
  verified: { text: '✓', color: '#1a7f37' },
  // DKIM: the sender's domain, not a person (background/dkim.js): not the person-level tick.
  domain: { text: '@', color: '#1f5fa8' },
  // Verified, with a notice the reader must see (a display name the certificate does not
  // carry, replies going elsewhere, a Date: far from the signing time): not the plain green
  // tick, so the toolbar does not say less than the in-page badge.
  verified_notice: { text: '✓!', color: '#b26a00' },
  invalid: { text: '!', color: '#c62828' },
  not_verified: { text: '?', color: '#b26a00' },
  unsigned: { text: '–', color: '#6b7280' },
  pending: { text: '…', color: '#6b7280' },
  failed: { text: '?', color: '#6b7280' },
};

/** Words of the default personal mark: 64 × 64 pairs, easy to read and remember. */
const MARK_WORDS_A = ['amber', 'brave', 'calm', 'dusty', 'eager', 'fancy', 'gentle', 'happy', 'icy', 'jolly', 'kind', 'lucky', 'mellow', 'noble', 'olive', 'proud', 'quiet', 'rapid', 'silver', 'tidy', 'upbeat', 'vivid', 'witty', 'young', 'zesty', 'bold', 'crisp', 'daring', 'early', 'fuzzy', 'golden', 'humble', 'ivory', 'jade', 'keen', 'lively', 'merry', 'neat', 'oaken', 'plucky', 'royal', 'sunny', 'tender', 'urban', 'velvet', 'woolly', 'cosy', 'misty', 'rosy', 'sandy', 'stormy', 'breezy', 'cheery', 'frosty', 'glossy', 'hazel', 'lunar', 'mossy', 'nimble', 'polar', 'rustic', 'snowy', 'swift', 'wild'];
const MARK_WORDS_B = ['otter', 'falcon', 'maple', 'harbor', 'lantern', 'meadow', 'pebble', 'comet', 'willow', 'badger', 'canyon', 'dolphin', 'ember', 'fjord', 'garden', 'heron', 'island', 'juniper', 'kettle', 'lagoon', 'mango', 'nutmeg', 'orchid', 'penguin', 'quartz', 'river', 'saddle', 'thistle', 'tulip', 'valley', 'walnut', 'yarrow', 'acorn', 'beacon', 'cedar', 'dune', 'feather', 'glacier', 'hammock', 'iris', 'jasmine', 'kiwi', 'lichen', 'marble', 'nectar', 'oasis', 'parrot', 'quill', 'raven', 'spruce', 'teapot', 'umbrella', 'violin', 'wombat', 'zephyr', 'anchor', 'biscuit', 'cobalt', 'daisy', 'echo', 'fern', 'grove', 'hollow', 'lotus'];

/**
 * A typed error with a name the caller can branch on.
 * @param {string} name @param {string} message
 */
function fail(name, message) {
  const e = new Error(message);
  e.name = name;
  return e;
}

// ------------------------------------------------------------------ per-tab state

/** @type {Map<number, { ticket: string, view: TabVerdict }>} */
const tabs = new Map();
/** Serialises ticket checks and badge updates, so an older message's result never lands between a newer one's steps. */
let badgeQueue = Promise.resolve();

onTabRemoved((tabId) => {
  tabs.delete(tabId);
  storageSession?.remove(TAB_KEY_PREFIX + tabId).catch(() => {});
  storageSession?.remove(DETECTED_KEY_PREFIX + tabId).catch(() => {});
});

/**
 * The tab shows no message any more: empty badge. The ticket stays, so a verdict still on its
 * way for the message being opened is drawn when it arrives; with `forget` (the content script
 * said the message it checked is gone) it goes, and that verdict is dropped.
 * @param {number} tabId @param {boolean} [forget]
 */
function clearTab(tabId, forget = false) {
  const run = badgeQueue.then(async () => {
    const kept = await recall(tabId);
    if (!kept || (kept.view.state === 'none' && !forget)) return;
    await remember(tabId, forget ? '' : kept.ticket, { state: 'none' });
    await setTabBadge(tabId, badgeFor({ state: 'none' }));
  });
  badgeQueue = run.then(() => {}, () => {});
  return run;
}

// A new page in the tab (Chrome keeps tab badges across navigations; in Chrome a frame's
// navigation, such as Roundcube's preview, counts too, which only clears before the new verdict).
// What was recognised in a tab stays across its navigations (Chrome reports a single-page app's
// `pushState` as loading too): each page's content script says it again, and the popup only
// offers it while the tab still shows that origin.
onTabLoading((tabId) => { clearTab(tabId).catch(() => {}); });

/** @param {import('../shared/ext.js').SenderInfo} sender */
function senderTab(sender) {
  if (typeof sender.tabId !== 'number' || sender.tabId < 0) throw fail('BadMessage', 'webmail messages must come from a tab');
  return sender.tabId;
}

/** @param {number} tabId @param {string} ticket @param {TabVerdict} view */
async function remember(tabId, ticket, view) {
  tabs.set(tabId, { ticket, view });
  await storageSession?.set({ [TAB_KEY_PREFIX + tabId]: { ticket, view } }).catch(() => {});
}

/**
 * What is kept about a tab: memory first; after a service-worker restart, session storage.
 * @param {number} tabId @returns {Promise<{ ticket: string, view: TabVerdict } | null>}
 */
async function recall(tabId) {
  const mem = tabs.get(tabId);
  if (mem) return mem;
  const got = await storageSession?.get(TAB_KEY_PREFIX + tabId).catch(() => null);
  const kept = /** @type {any} */ (got?.[TAB_KEY_PREFIX + tabId]);
  return kept && typeof kept.ticket === 'string' && kept.view ? kept : null;
}

/** @param {TabVerdict} view */
function badgeFor(view) {
  if (view.state === 'none') return { text: '', color: BADGE.pending.color, title: 'ImpaleMail' };
  if (view.state === 'pending') return { ...BADGE.pending, title: `ImpaleMail: ${localised('wmBadgeChecking', [], 'checking the signature…')}` };
  if (view.state === 'failed') {
    const status = view.report?.status ? ` (HTTP ${view.report.status})` : '';
    return { ...BADGE.failed, title: `ImpaleMail: ${localised(`wmProblem_${view.problem}`, [], `the message could not be checked (${view.problem}).`)}${status}` };
  }
  const note = view.continuity ? ` ${continuityText(view.continuity)}` : '';
  const leak = (view.aliases ?? []).filter((a) => a.other_sender).map((a) => ` ${aliasUseText(a)}`).join('');
  const notices = noticeTexts(view.verdict);
  const look = verdictLook(view.verdict, view.continuity);
  const notice = notices.map((n) => ` ${n}`).join('');
  return { ...BADGE[look === 'verified' && notices.length > 0 ? 'verified_notice' : look], title: `ImpaleMail: ${verdictWords(view.verdict).summary}${notice}${note}${leak}` };
}

/**
 * If `ticket` is still the tab's newest, records `view` and draws it on the toolbar (with
 * `newTicket` true: makes `ticket` the newest first). Resolves with whether it did.
 * @param {number} tabId @param {string} ticket @param {TabVerdict} view @param {boolean} [newTicket]
 */
function show(tabId, ticket, view, newTicket = false) {
  const run = badgeQueue.then(async () => {
    if (!newTicket && (await recall(tabId))?.ticket !== ticket) return false;
    await remember(tabId, ticket, view);
    await setTabBadge(tabId, badgeFor(view));
    return true;
  });
  badgeQueue = run.then(() => {}, () => {});
  return run;
}

// ------------------------------------------------------------------ personal mark

/** @param {number} n */
function randomIndex(n) {
  const buf = new Uint32Array(1);
  crypto.getRandomValues(buf);
  return buf[0] % n; // n ≤ 64 divides 2^32: no bias
}

/** A fresh random mark: two words and a colour. @returns {PersonalMark} */
export function newPersonalMark() {
  return {
    phrase: `${MARK_WORDS_A[randomIndex(MARK_WORDS_A.length)]} ${MARK_WORDS_B[randomIndex(MARK_WORDS_B.length)]}`,
    color: MARK_COLORS[randomIndex(MARK_COLORS.length)],
  };
}

/** Longest personal phrase the user may set (characters). */
export const MAX_MARK_PHRASE = 40;

/** @param {unknown} m @returns {m is PersonalMark} */
function isMark(m) {
  const x = /** @type {any} */ (m);
  return !!x && typeof x.phrase === 'string' && x.phrase.trim().length > 0 && x.phrase.length <= MAX_MARK_PHRASE
    && isMarkColor(x.color);
}

/** @type {Promise<PersonalMark> | null} */
let markLoading = null;

/** The user's personal mark, made and stored on first use. @returns {Promise<PersonalMark>} */
export function personalMark() {
  markLoading ??= (async () => {
    const got = (await storageLocal.get(PERSONAL_MARK_KEY))[PERSONAL_MARK_KEY];
    if (isMark(got)) return got;
    const mark = newPersonalMark();
    await storageLocal.set({ [PERSONAL_MARK_KEY]: mark });
    return mark;
  })().finally(() => { markLoading = null; });
  return markLoading;
}

// ------------------------------------------------------------------ continuity

/** Serialises read-modify-write of `smime.seen`. */
let seenQueue = Promise.resolve();

/**
 * The one From address of a verdict, lower-cased, or null when there is not exactly one.
 * @param {Verdict} verdict
 */
function fromAddress(verdict) {
  const from = Array.isArray(verdict.details?.from) ? verdict.details.from : [];
  if (from.length !== 1 || typeof from[0]?.address !== 'string') return null;
  const a = from[0].address.toLowerCase();
  return a.length > 0 && a.length <= MAX_ADDRESS_LENGTH ? a : null;
}

/**
 * Compares the verdict's signer with the one remembered for its From address, and remembers
 * the signer of a verified message. Only a verified message (trusted chain, signer = From)
 * may set what is remembered, so a stranger's certificate cannot claim an address.
 * @param {Verdict} verdict
 * @param {Date} now
 * @returns {Promise<Continuity | null>}
 */
export function checkContinuity(verdict, now) {
  const run = seenQueue.then(async () => {
    const address = fromAddress(verdict);
    if (!address) return null;
    const stored = (await storageLocal.get(SEEN_KEY))[SEEN_KEY];
    /** @type {Record<string, SeenSigner>} */
    const seen = stored && typeof stored === 'object' ? /** @type {any} */ ({ ...stored }) : {};
    const before = Object.hasOwn(seen, address) ? seen[address] : undefined;
    const cert = verdict.details?.signer?.certificate;
    /** @type {Continuity | null} */
    let note = null;
    if (before) {
      const base = { address, first_seen: before.first_seen, previous_sha256: before.sha256, previous_issuer: before.issuer };
      if (!cert) {
        if (verdict.reason?.kind === 'unsigned') note = { kind: 'no_longer_signed', ...base };
      } else if (cert.sha256 !== before.sha256) {
        note = { kind: cert.issuer !== before.issuer ? 'issuer_changed' : 'key_changed', ...base };
      }
    }
    const der = keptCertificate(verdict);
    if (verdict.status === 'verified' && cert && (!before || before.sha256 !== cert.sha256 || (!before.der && der))) {
      const first = before && before.sha256 === cert.sha256 ? before.first_seen : now.toISOString().replace(/\.\d+Z$/, 'Z');
      /** @type {SeenSigner} */
      const entry = { sha256: cert.sha256, issuer: cert.issuer, first_seen: first, name: String(verdict.details?.signer?.name ?? '') };
      if (der) entry.der = der;
      delete seen[address];
      seen[address] = entry;
      const keys = Object.keys(seen);
      // Objects keep insertion order: forget the oldest entries beyond the limit, and the
      // oldest certificates beyond theirs.
      for (const k of keys.slice(0, Math.max(0, keys.length - MAX_SEEN_ADDRESSES))) delete seen[k];
      const withDer = Object.keys(seen).filter((k) => seen[k].der);
      for (const k of withDer.slice(0, Math.max(0, withDer.length - MAX_KEPT_CERTIFICATES))) delete seen[k].der;
      await storageLocal.set({ [SEEN_KEY]: seen });
    }
    return note;
  });
  seenQueue = run.then(() => {}, () => {});
  return run;
}

/**
 * The signer's certificate of a verified verdict (base64 DER), when it is one the options page
 * may offer for saving; null otherwise.
 * @param {Verdict} verdict
 */
function keptCertificate(verdict) {
  const der = verdict.details?.signer?.certificate_der;
  return typeof der === 'string' && der.length > 0 && der.length <= MAX_KEPT_CERTIFICATE_B64 && isBase64(der) ? der : null;
}

/** The remembered signers, newest first, for the options page. */
async function seenSigners() {
  const stored = (await storageLocal.get(SEEN_KEY))[SEEN_KEY];
  const seen = stored && typeof stored === 'object' ? /** @type {Record<string, SeenSigner>} */ (stored) : {};
  return Object.entries(seen).reverse().map(([address, s]) => ({
    address,
    name: typeof s.name === 'string' ? s.name : '',
    issuer: String(s.issuer ?? ''),
    sha256: String(s.sha256 ?? ''),
    first_seen: String(s.first_seen ?? ''),
    der: typeof s.der === 'string' ? s.der : null,
  }));
}

/**
 * Forgets what is remembered of one From address (its signer and certificate): the next signed
 * message from it is a first meeting again.
 * @param {string} address
 */
function forgetSigner(address) {
  const run = seenQueue.then(async () => {
    const stored = (await storageLocal.get(SEEN_KEY))[SEEN_KEY];
    const seen = stored && typeof stored === 'object' ? /** @type {Record<string, SeenSigner>} */ ({ ...stored }) : {};
    if (!Object.hasOwn(seen, address)) throw fail('NotFound', 'this sender is not remembered (any more)');
    delete seen[address];
    await storageLocal.set({ [SEEN_KEY]: seen });
  });
  seenQueue = run.then(() => {}, () => {});
  return run;
}

// ------------------------------------------------------------------ base64

/** @param {string} b64 */
function decodeBase64(b64) {
  if (!isBase64(b64)) throw fail('BadMessage', '"raw" is not base64');
  return base64ToBytes(b64);
}

/** @param {unknown} t */
function ticketOf(t) {
  if (typeof t !== 'string' || !new RegExp(`^[0-9a-f]{${TICKET_HEX}}$`).test(t)) throw fail('BadMessage', 'a webmail message needs the "ticket" of its webmail.begin');
  return t;
}

// ------------------------------------------------------------------ webmail sites

/** The origin of a URL, or null. @param {unknown} url */
function originOf(url) {
  try {
    const u = new URL(String(url));
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : null;
  } catch {
    return null;
  }
}

/** The sites the user turned on. @returns {Promise<WebmailSite[]>} */
async function userSites() {
  const got = (await storageLocal.get(WEBMAIL_SITES_KEY))[WEBMAIL_SITES_KEY];
  if (!Array.isArray(got)) return [];
  return got.filter((x) => x && typeof x.origin === 'string' && originOf(x.origin) === x.origin
    && ADAPTERS.includes(x.adapter)).map((x) => ({ origin: x.origin, adapter: x.adapter }));
}

/**
 * Whether `adapter` may run on `origin`: one of the service's own origins, or an origin the
 * user turned on for it.
 * @param {string} origin @param {string} adapter
 */
export async function siteEnabled(origin, adapter) {
  if ((BUILTIN_SITES[adapter] ?? []).includes(origin)) return true;
  return (await userSites()).some((s) => s.origin === origin && s.adapter === adapter);
}

/** Any adapter may run on this origin (for the steps that do not name theirs). @param {string} origin */
async function anyAdapterEnabled(origin) {
  if (Object.values(BUILTIN_SITES).some((list) => list.includes(origin))) return true;
  return (await userSites()).some((s) => s.origin === origin);
}

/**
 * Whether the sender is the webmail the tab shows: its top-level frame, or a frame of the same
 * origin inside it (Roundcube's preview). A webmail framed by another site (a hostile page
 * that embeds it, maybe invisibly, to get a green toolbar for its own tab) is not: it gets no
 * verdict, no toolbar and nothing in the popup. The tab's URL is the browser's (`sender.tab`),
 * not the content script's; without it only the top-level frame counts.
 * @param {import('../shared/ext.js').SenderInfo} sender
 */
function topLevelWebmail(sender) {
  if (sender.frameId === 0) return true;
  const top = originOf(sender.tabUrl);
  return !!top && top === originOf(sender.url);
}

/** The sender's origin, refused unless a webmail adapter may run there. @param {import('../shared/ext.js').SenderInfo} sender */
async function enabledSender(sender) {
  const origin = originOf(sender.url);
  if (!topLevelWebmail(sender)) throw fail('Refused', 'only the webmail the tab shows may report a verdict, not one framed by another site');
  if (!origin || !(await anyAdapterEnabled(origin))) {
    throw fail('Refused', 'signature checks are not turned on for this site');
  }
  return origin;
}

/** @param {unknown} a @returns {string} */
function adapterOf(a) {
  const name = ADAPTERS.find((x) => x === a);
  if (!name) throw fail('BadMessage', `"adapter" must be one of ${ADAPTERS.join(', ')}`);
  return name;
}

/**
 * The user's aliases the message was sent to. The sender's site they are compared with is the
 * DKIM-aligned domain when DKIM verified one (`provenDomain`), else the From address's.
 * @param {Verdict} verdict @returns {Promise<AliasUse[]>}
 */
async function aliasesAddressed(verdict) {
  const recipients = Array.isArray(verdict.details?.recipients) ? verdict.details.recipients.map((/** @type {any} */ m) => String(m?.address ?? '')) : [];
  if (recipients.length === 0) return [];
  const proven = provenDomain(verdict);
  const from = proven ? `@${proven}` : fromAddress(verdict);
  const doc = await vault();
  if (!doc) return [];
  return call((c) => c.vaultAliasesAddressed(doc, recipients, from ?? undefined));
}

// ------------------------------------------------------------------ diagnostics

/**
 * The diagnostics report of a failed check from what a content script sent, or a BadMessage
 * error. Only structure passes: the adapter's name, the route shape (path words, `*`, `N`,
 * query keys), which probes matched, the HTTP status.
 * @param {string} adapter @param {unknown} status @param {unknown} facts @param {Date} now
 * @returns {Report}
 */
export function reportOf(adapter, status, facts, now) {
  const f = /** @type {any} */ (facts && typeof facts === 'object' ? facts : {});
  const page = typeof f.page === 'string' ? f.page : '';
  if (page.length > MAX_REPORT_PAGE || !isRouteShape(page)) throw fail('BadMessage', '"facts.page" must be a route shape');
  const probes = f.probes && typeof f.probes === 'object' ? Object.entries(f.probes) : [];
  if (probes.length > MAX_REPORT_PROBES || probes.some(([k, v]) => !/^[A-Za-z]{1,20}$/.test(k) || typeof v !== 'boolean')) {
    throw fail('BadMessage', '"facts.probes" must map up to 12 short names to true or false');
  }
  if (status !== undefined && status !== null && !(Number.isInteger(status) && Number(status) >= 100 && Number(status) <= 599)) {
    throw fail('BadMessage', '"status" must be an HTTP status');
  }
  return { adapter, page, probes: Object.fromEntries(probes), status: typeof status === 'number' ? status : null, at: isoSeconds(now) };
}

/**
 * Whether `page` is a route shape as the content script makes it (webmail/index.js
 * `reportFacts`): path parts that are words (letters, `.`, `-`), `*` or `N`; query keys whose
 * value is `*` or a short lower-case word; `#…` for a hash. Digits, `@`, spaces and anything
 * longer cannot pass, so neither an id nor an address nor text can.
 * @param {string} page
 */
function isRouteShape(page) {
  const m = /^([^?#]*)(?:\?([^#]*))?(#…)?$/u.exec(page);
  if (!m) return false;
  const pathOk = m[1].split('/').every((p) => /^(|\*|N|[A-Za-z][A-Za-z.-]{0,23})$/.test(p));
  const queryOk = m[2] === undefined || m[2].split('&').every((kv) => /^[\w-]{1,24}=(\*|[a-z]{1,16})$/.test(kv));
  return pathOk && queryOk;
}

/** @param {Date} d */
const isoSeconds = (d) => d.toISOString().replace(/\.\d+Z$/, 'Z');

/** Serialises read-modify-write of the per-site results. */
let resultsQueue = Promise.resolve();

/**
 * Remembers how the last check on a site went (for the options page's list of sites).
 * @param {string} origin @param {Omit<SiteResult, 'at'>} result @param {Date} now
 */
function recordResult(origin, result, now) {
  const run = resultsQueue.then(async () => {
    const got = (await storageLocal.get(WEBMAIL_RESULTS_KEY))[WEBMAIL_RESULTS_KEY];
    /** @type {Record<string, SiteResult>} */
    const all = got && typeof got === 'object' ? /** @type {any} */ ({ ...got }) : {};
    delete all[origin];
    all[origin] = { ...result, at: isoSeconds(now) };
    const keys = Object.keys(all);
    for (const k of keys.slice(0, Math.max(0, keys.length - MAX_SITE_RESULTS))) delete all[k];
    await storageLocal.set({ [WEBMAIL_RESULTS_KEY]: all });
  });
  resultsQueue = run.then(() => {}, () => {});
  return run;
}

/** The last result per site. @returns {Promise<Record<string, SiteResult>>} */
async function siteResults() {
  const got = (await storageLocal.get(WEBMAIL_RESULTS_KEY))[WEBMAIL_RESULTS_KEY];
  return got && typeof got === 'object' ? /** @type {any} */ (got) : {};
}

// ------------------------------------------------------------------ handlers

/** @type {Record<string, (message: Record<string, unknown>, sender: import('../shared/ext.js').SenderInfo) => Promise<unknown>>} */
export const webmailContentHandlers = {
  /**
   * `{ adapter }`: an adapter recognised the page. Answers `{ enabled }`: whether it may check
   * messages here. When it may not, the popup offers to turn it on for this origin.
   */
  'webmail.hello': async (message, sender) => {
    const tabId = senderTab(sender);
    const adapter = adapterOf(message.adapter);
    const origin = originOf(sender.url);
    if (!origin) throw fail('BadMessage', 'webmail.hello must come from a web page');
    // Framed by another site: not this tab's webmail (and the popup offers nothing for it).
    if (!topLevelWebmail(sender)) return { enabled: false };
    const enabled = await siteEnabled(origin, adapter);
    if (!enabled) await storageSession?.set({ [DETECTED_KEY_PREFIX + tabId]: { origin, adapter } }).catch(() => {});
    return { enabled };
  },

  /**
   * A message is being shown: the toolbar says "checking" until its verdict arrives, so the
   * previous message's verdict never stays on screen, and the check gets ready (`warmUp`).
   * Returns the ticket later calls carry; only the newest ticket of a tab may set its badge.
   */
  'webmail.begin': async (_message, sender) => {
    const tabId = senderTab(sender);
    await enabledSender(sender);
    const bytes = new Uint8Array(TICKET_HEX / 2);
    crypto.getRandomValues(bytes);
    const ticket = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
    await show(tabId, ticket, { state: 'pending' }, true);
    // The page fetches the message once it has its ticket: the check gets ready meanwhile.
    warmUpSoon();
    return { ticket };
  },

  /**
   * `{ ticket, raw }`: `raw` is the message's exact bytes in base64. Answers
   * `{ verdict, continuity, mark, current, digest }` (`digest`: SHA-256 of the bytes, hex); `current` is false when another message was
   * shown in this tab meanwhile (the toolbar then keeps the newer one's state).
   */
  'webmail.verify': async (message, sender) => {
    const tabId = senderTab(sender);
    await enabledSender(sender);
    const ticket = ticketOf(message.ticket);
    const raw = message.raw;
    if (typeof raw !== 'string') throw fail('BadMessage', 'webmail.verify needs "raw", the message in base64');
    if (raw.length > MAX_WEBMAIL_MESSAGE_B64) {
      throw fail('TooLarge', `the message is larger than ${MAX_WEBMAIL_MESSAGE_BYTES} bytes`);
    }
    const bytes = decodeBase64(raw);
    const smime = /** @type {Verdict} */ (await verifyBytes(bytes));
    // Key continuity is S/MIME's (a DKIM key says nothing about a person, and domains rotate them).
    const continuity = await checkContinuity(smime, new Date());
    const verdict = /** @type {Verdict} */ (strongest(smime, await dkimFor(smime, bytes)));
    const aliases = await aliasesAddressed(verdict).catch(() => []);
    const mark = await personalMark();
    const current = await show(tabId, ticket, { state: 'done', verdict, continuity, aliases });
    const origin = originOf(sender.url);
    const adapter = ADAPTERS.find((a) => a === message.adapter);
    if (origin && adapter) await recordResult(origin, { adapter, ok: true, problem: null, status: null }, new Date()).catch(() => {});
    // The identity of what was verified, which the in-page badge carries with the message's id.
    const digest = [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
    return { verdict, continuity, aliases, mark, current, digest, words: badgeWords(verdict, continuity, aliases) };
  },

  /**
   * The webmail shows no message any more (e.g. Roundcube's preview went blank), or another one
   * in place of the one checked: the toolbar empties, and a verdict still on its way for the
   * message that was shown is dropped (its ticket is forgotten).
   */
  'webmail.clear': async (_message, sender) => {
    const tabId = senderTab(sender);
    if (!topLevelWebmail(sender)) return null;
    await clearTab(tabId, true);
    return null;
  },

  /**
   * `{ ticket, problem, status?, facts? }`: the adapter could not get the bytes; `problem` is
   * one of FETCH_PROBLEMS, `status` the HTTP status of the answer it refused, `facts` the
   * structure it looked for (`reportOf`). The toolbar says which step failed, the popup offers
   * the report to copy, and the options page shows the site's last result.
   */
  'webmail.failed': async (message, sender) => {
    const tabId = senderTab(sender);
    const origin = await enabledSender(sender);
    const ticket = ticketOf(message.ticket);
    const problem = FETCH_PROBLEMS.find((p) => p === message.problem);
    if (!problem) throw fail('BadMessage', `"problem" must be one of ${FETCH_PROBLEMS.join(', ')}`);
    const now = new Date();
    const facts = /** @type {any} */ (message.facts);
    const adapter = facts === undefined ? null : adapterOf(facts?.adapter);
    const report = adapter ? reportOf(adapter, message.status, facts, now) : undefined;
    await show(tabId, ticket, { state: 'failed', problem, report });
    if (adapter) await recordResult(origin, { adapter, ok: false, problem, status: report?.status ?? null }, now).catch(() => {});
    return { mark: await personalMark() };
  },
};

/** @type {Record<string, (message: Record<string, unknown>, sender: import('../shared/ext.js').SenderInfo) => Promise<unknown>>} */
export const webmailPageHandlers = {
  /** `{ tabId }`: the last webmail verdict of that tab, or null. For the popup. */
  'webmail.tabVerdict': async (message) => {
    const tabId = message.tabId;
    if (typeof tabId !== 'number' || !Number.isInteger(tabId) || tabId < 0) throw fail('BadMessage', 'webmail.tabVerdict needs a numeric "tabId"');
    return (await recall(tabId))?.view ?? null;
  },
  /**
   * `{ tabId }`: the webmail an adapter recognised in that tab where checks are not on yet
   * (`{ origin, adapter }`), or null. For the popup's offer to turn them on.
   */
  'webmail.tabDetected': async (message) => {
    const tabId = message.tabId;
    if (typeof tabId !== 'number' || !Number.isInteger(tabId) || tabId < 0) throw fail('BadMessage', 'webmail.tabDetected needs a numeric "tabId"');
    const got = await storageSession?.get(DETECTED_KEY_PREFIX + tabId).catch(() => null);
    const d = /** @type {any} */ (got?.[DETECTED_KEY_PREFIX + tabId]);
    if (!d || typeof d.origin !== 'string' || await siteEnabled(d.origin, d.adapter)) return null;
    return { origin: d.origin, adapter: d.adapter };
  },
  /**
   * The signers remembered per From address (key continuity), newest first:
   * `[{ address, name, issuer, sha256, first_seen, der }]` (`der`: base64, or null when the
   * certificate itself was not kept). For the options page's list and its "Save" buttons.
   */
  'smime.seenSigners': async () => seenSigners(),
  /** `{ address }`: forget one remembered signer. Answers the list. */
  'smime.forgetSigner': async (message) => {
    const address = typeof message.address === 'string' ? message.address.toLowerCase() : '';
    if (!address || address.length > MAX_ADDRESS_LENGTH) throw fail('BadMessage', '"address" must be a remembered e-mail address');
    await forgetSigner(address);
    return seenSigners();
  },
  /**
   * The webmail sites and how the last check on each went:
   * `{ builtin: WebmailSite[], user: WebmailSite[], results: { [origin]: SiteResult } }`.
   */
  'webmail.sites': async () => ({
    builtin: Object.entries(BUILTIN_SITES).flatMap(([adapter, list]) => list.map((origin) => ({ origin, adapter }))),
    user: await userSites(),
    results: await siteResults(),
  }),
  /** `{ origin, adapter }`: turn signature checks on for a site. */
  'webmail.enableSite': async (message) => {
    const adapter = adapterOf(message.adapter);
    const origin = originOf(message.origin);
    if (!origin || origin !== String(message.origin).replace(/\/$/, '')) throw fail('BadMessage', '"origin" must be a web origin such as https://mail.example.org');
    const sites = (await userSites()).filter((x) => x.origin !== origin);
    if (sites.length >= MAX_WEBMAIL_SITES) throw fail('TooMany', `at most ${MAX_WEBMAIL_SITES} webmail sites`);
    sites.push({ origin, adapter });
    await storageLocal.set({ [WEBMAIL_SITES_KEY]: sites });
    return sites;
  },
  /** `{ origin }`: turn signature checks off for a site the user added. */
  'webmail.disableSite': async (message) => {
    const sites = (await userSites()).filter((x) => x.origin !== message.origin);
    await storageLocal.set({ [WEBMAIL_SITES_KEY]: sites });
    return sites;
  },
  /**
   * `{ raw, kind }`: a file the user chose or dropped on the popup (base64 of its bytes);
   * `kind` is `eml` (a whole message) or `p7m` (a bare signed-data object). Answers
   * `{ verdict, aliases }`. Nothing is stored: not the bytes, not the signer.
   */
  /**
   * The popup's user is about to choose or drop a file (a drag with files over it, the file
   * check opened): the check gets ready meanwhile (`warmUp`, once per worker, after this answer).
   */
  'smime.ready': async () => {
    warmUpSoon();
    return {};
  },
  'smime.checkFile': async (message) => {
    const kind = message.kind ?? 'eml';
    if (kind !== 'eml' && kind !== 'p7m') throw fail('BadMessage', '"kind" must be eml or p7m');
    const raw = message.raw;
    if (typeof raw !== 'string') throw fail('BadMessage', 'smime.checkFile needs "raw", the file in base64');
    if (raw.length > MAX_WEBMAIL_MESSAGE_B64) throw fail('TooLarge', `the file is larger than ${MAX_WEBMAIL_MESSAGE_BYTES} bytes`);
    const bytes = decodeBase64(raw);
    if (bytes.length === 0) throw fail('BadMessage', 'the file is empty');
    const smime = /** @type {Verdict} */ (kind === 'p7m' ? await verifyP7mBytes(bytes) : await verifyBytes(bytes));
    const verdict = /** @type {Verdict} */ (kind === 'p7m' ? smime : strongest(smime, await dkimFor(smime, bytes)));
    const aliases = await aliasesAddressed(verdict).catch(() => []);
    return { verdict, aliases };
  },
  /** The personal mark, for the options page (made on first use). */
  'webmail.personalMark': async () => personalMark(),
  /** A fresh random mark replaces the current one. */
  'webmail.randomPersonalMark': async () => {
    const mark = newPersonalMark();
    await storageLocal.set({ [PERSONAL_MARK_KEY]: mark });
    return mark;
  },
  /** `{ phrase, color }`: the user's own mark. */
  'webmail.setPersonalMark': async (message) => {
    const mark = { phrase: String(message.phrase ?? '').trim(), color: String(message.color ?? '') };
    if (!isMark(mark)) throw fail('BadMessage', `the phrase must be 1-${MAX_MARK_PHRASE} characters and the colour #rrggbb`);
    await storageLocal.set({ [PERSONAL_MARK_KEY]: mark });
    return mark;
  },
};
