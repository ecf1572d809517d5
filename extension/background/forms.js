// @ts-check
/**
 * Form detection and alias fill, background side: the content-script handlers behind the
 * in-page alias button (extension/content/forms/).
 *
 * These run for content scripts in any page, which may be hostile and may have confused our
 * script, so every handler validates its message, answers only about the sender's own page
 * (`sender.url`, never a URL from the message), and returns addresses only: no keys, no
 * record ids, no other site's aliases. The content script sends `forms.createAlias` only
 * after a trusted user gesture; the background cannot see gestures, so a per-tab rate limit
 * bounds what a confused script could create.
 */
import { allTabIds, openOptionsPage, sendToTab, storageLocal } from '../shared/ext.js';
import { TEMPORARY_INBOX, aliasSources, createAlias, enableTemporaryInbox, siteOf, vault } from './aliases.js';
import { call, core } from './core.js';
import { createStore } from './store.js';

/** Most aliases one tab may create through the in-page button per minute. */
export const MAX_CREATIONS_PER_TAB_PER_MINUTE = 10;
/** Most times one tab may open the options page from the in-page menu per minute. */
export const MAX_OPTIONS_PER_TAB_PER_MINUTE = 3;
/** Most other sources the in-page menu offers after a failure (besides the temporary inbox). */
export const MAX_ALTERNATIVES_OFFERED = 3;
/** Largest form batch accepted, in characters of JSON (the extractor sends far less). */
export const MAX_BATCH_CHARS = 512 * 1024;
/** Most existing aliases offered on one site (newest first). */
export const MAX_EXISTING_OFFERED = 5;
/** Most sites the user can switch the button off for ("not here"); the oldest go first. */
export const MAX_DISABLED_SITES = 2000;
/** Longest site name accepted from our pages (a DNS name is at most 253 characters). */
export const MAX_SITE_CHARS = 253;
/** Longest URL `forms.inspect` accepts. */
export const MAX_INSPECT_URL_CHARS = 4096;
/** The context-menu entry's id ("Fill with a new alias", on editable fields). */
export const MENU_FILL_NEW = 'impalemail-fill-new-alias';
/** The keyboard command's name (manifest `commands`). */
export const COMMAND_FILL_NEW = 'fill-new-alias';
/** The window of the per-tab rate limits (ms). */
const RATE_WINDOW_MS = 60_000;

/**
 * @param {string} name @param {string} message
 */
function fail(name, message) {
  const e = new Error(message);
  e.name = name;
  return e;
}

/** The options page's sections the in-page menu may open: new aliases, own addresses, one provider. */
const OPTIONS_SECTION = /^(h-new|h-own|provider-[a-z-]{1,20})$/;

/**
 * Why no alias was made, by the core's error variant: the reasons the in-page menu explains in
 * plain words (`_locales`: formsWhy<Reason>), each with its next step. Anything not listed is
 * `other` (try again, or another source).
 * @type {Record<string, string>}
 */
const FAILURE_REASON = {
  InvalidSettings: 'setup', // a generator's domain or address, or the account, is not set up
  MissingSetting: 'setup', // an API key or a domain the provider needs
  InvalidBaseUrl: 'setup',
  Network: 'offline', // fetch failed: offline, DNS, TLS, or the host is not allowed
  ServerError: 'down', // HTTP 5xx
  Malformed: 'down', // an answer that is not the service's API (a portal page, a changed API)
  RateLimited: 'busy', // HTTP 429
  NoDomain: 'no-domain', // the temporary-inbox service offers no domain right now
  Unauthorized: 'key', // the key was refused: expired or revoked
  PlanLimit: 'plan', // the account's plan allows no more aliases
};

/** A generator's settings live in "Your own addresses"; a provider's in its own card. */
function sectionOf(/** @type {string} */ source) {
  return ['catch-all', 'plus', 'subdomain', 'per-site'].includes(source) ? 'h-own' : `provider-${source}`;
}

/**
 * The in-page menu's account of a failed creation: `reason` (see FAILURE_REASON), the source
 * that failed, the other sources set up (the menu offers them), whether the temporary inbox
 * can be offered, the options section that fixes it, and how long to wait when the service
 * said. No message text from the service or the core crosses to the page.
 * @param {unknown} e @param {string} source @param {{ ready: string[], temporaryInbox: boolean }} sources
 */
function aliasFailure(e, source, sources) {
  const variant = /** @type {{ variant?: unknown }} */ (e)?.variant;
  const reason = (typeof variant === 'string' && Object.hasOwn(FAILURE_REASON, variant) && FAILURE_REASON[variant]) || 'other';
  const retry = /** @type {{ retryAfterSecs?: unknown }} */ (e)?.retryAfterSecs;
  // The error stays in the background's console, for whoever debugs; the page gets the reason.
  console.warn('ImpaleMail: no alias was made:', e);
  return {
    reason,
    source,
    alternatives: sources.ready.filter((id) => id !== source && id !== TEMPORARY_INBOX).slice(0, MAX_ALTERNATIVES_OFFERED),
    temporaryInbox: source !== TEMPORARY_INBOX && sources.temporaryInbox,
    section: ['setup', 'key', 'plan', 'other'].includes(reason) ? sectionOf(source) : null,
    retryAfterSecs: typeof retry === 'number' && retry > 0 ? Math.min(retry, 3600) : null,
  };
}

/**
 * The sender's page URL, if it is an http(s) page (aliases are for web sites only).
 * @param {import('../shared/ext.js').SenderInfo} sender
 */
function senderPage(sender) {
  const url = sender.url;
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) {
    throw fail('NotAWebPage', 'Aliases are made for web pages (http or https) only.');
  }
  return url;
}

/**
 * A sliding-window counter per tab. State lives in memory: a stopped service worker starts
 * afresh, which only ever allows a little more, never blocks the user.
 * @param {number} max
 */
function rateLimiter(max) {
  /** @type {Map<number, number[]>} */
  const hits = new Map();
  return {
    /**
     * Counts one use by `tabId`, or returns false when the tab used up its allowance.
     * @param {number} tabId @param {number} now ms
     */
    take(tabId, now) {
      const recent = (hits.get(tabId) ?? []).filter((t) => now - t < RATE_WINDOW_MS);
      if (recent.length >= max) {
        hits.set(tabId, recent);
        return false;
      }
      recent.push(now);
      hits.set(tabId, recent);
      // Forget tabs that went quiet, so the map cannot grow without bound.
      for (const [tab, times] of hits) if (times.every((t) => now - t >= RATE_WINDOW_MS)) hits.delete(tab);
      return true;
    },
  };
}

const creations = rateLimiter(MAX_CREATIONS_PER_TAB_PER_MINUTE);
const optionsOpens = rateLimiter(MAX_OPTIONS_PER_TAB_PER_MINUTE);

/**
 * The active aliases already recorded for the site of `url` (addresses only, newest first).
 * @param {string} url
 * @returns {Promise<string[]>}
 */
export async function existingAddresses(url) {
  await core(); // reading the vault may replay its journal through the core
  const v = await vault();
  return call((c) => {
    const site = siteOf(c, url);
    if (!site) return [];
    const records = /** @type {{ address: string, state: string }[]} */ (c.vaultRecords(v, site, undefined));
    return records.filter((r) => r.state === 'active').map((r) => r.address).slice(0, MAX_EXISTING_OFFERED);
  });
}

/**
 * Checks the shape of a batch before it reaches the core (which checks every limit itself).
 * @param {unknown} batch
 */
function validBatch(batch) {
  if (!batch || typeof batch !== 'object') return false;
  const b = /** @type {Record<string, unknown>} */ (batch);
  if (!Array.isArray(b.fields) || !Array.isArray(b.forms) || !b.page || typeof b.page !== 'object') return false;
  return JSON.stringify(batch).length <= MAX_BATCH_CHARS;
}

/** @type {Record<string, (message: Record<string, unknown>, sender: import('../shared/ext.js').SenderInfo) => Promise<unknown>>} */
export const formsContentHandlers = {
  /**
   * Classifies the sender's candidate fields, and lists the aliases already used on its site.
   * Returns `{ fields, forms, existing }`, or `{ paused: 'off' | 'site' }` with nothing
   * classified when the user switched the button off everywhere or on this site.
   */
  'forms.classify': async (message, sender) => {
    const url = senderPage(sender);
    const paused = await pausedFor(url);
    if (paused) return { fields: [], forms: [], existing: [], paused };
    if (!validBatch(message.batch)) {
      throw fail('BadMessage', `forms.classify needs a batch { fields, forms, page } of at most ${MAX_BATCH_CHARS} characters`);
    }
    const classification = /** @type {{ fields: unknown[], forms: unknown[] }} */ (
      await call((c) => c.classifyForms(message.batch))
    );
    const wanted = /** @type {{ button?: boolean, offer_existing?: boolean }[]} */ (classification.fields).some(
      (f) => f.button || f.offer_existing,
    );
    return {
      fields: classification.fields,
      forms: classification.forms,
      existing: wanted ? await existingAddresses(url) : [],
    };
  },
  /**
   * Creates an alias for the sender's page with the default source, or with `source` when the
   * menu offers another one after a failure (only a source that is set up, or the temporary
   * inbox). Answers `{ address }`, or `{ failure }` (see `aliasFailure`): a source that cannot
   * make an alias is an answer the menu explains, not an error.
   */
  'forms.createAlias': async (message, sender) => {
    const url = senderPage(sender);
    const tabId = /** @type {number} */ (sender.tabId);
    const sources = await aliasSources();
    const source = message.source === undefined || message.source === null ? null : message.source;
    const allowed = source === null || (typeof source === 'string' && (sources.ready.includes(source) || (source === TEMPORARY_INBOX && sources.temporaryInbox)));
    if (!allowed) throw fail('BadMessage', 'forms.createAlias: "source" must be one of the sources that are set up');
    const tried = source ?? sources.defaultSource;
    if (!creations.take(tabId, Date.now())) {
      return { failure: { reason: 'tab-limit', source: tried, alternatives: [], temporaryInbox: false, section: null, retryAfterSecs: 60 } };
    }
    try {
      if (source === TEMPORARY_INBOX) await enableTemporaryInbox();
      const record = /** @type {{ address: string }} */ (await createAlias(url, source));
      return { address: record.address };
    } catch (e) {
      return { failure: aliasFailure(e, tried, sources) };
    }
  },
  /**
   * Opens the options page (the in-page menu's "Settings"), at `section` when the menu names
   * one of the page's sections (after a failure: the source's own settings).
   */
  'forms.openOptions': async (message, sender) => {
    if (!optionsOpens.take(/** @type {number} */ (sender.tabId), Date.now())) {
      throw fail('RateLimited', `The options were opened ${MAX_OPTIONS_PER_TAB_PER_MINUTE} times from this tab in the last minute.`);
    }
    const section = typeof message.section === 'string' && OPTIONS_SECTION.test(message.section) ? message.section : undefined;
    await openOptionsPage(section);
    return {};
  },
};

// ---------------------------------------------------------------- preferences

/**
 * The button's preferences, in `storage.local` under `forms.prefs` through the journalled
 * store: the global switch and the sites where the user chose "not here" (registrable
 * domains, newest last). Kept apart from the settings document, which the core owns.
 * @typedef {{ schema: 1, enabled: boolean, disabledSites: string[] }} FormsPrefs
 */

/** @returns {FormsPrefs} */
const emptyPrefs = () => ({ schema: 1, enabled: true, disabledSites: [] });

/**
 * Applies one preference change; refuses anything else.
 * @param {FormsPrefs} doc @param {unknown} op
 * @returns {FormsPrefs}
 */
export function applyPrefsOp(doc, op) {
  const o = /** @type {{ kind?: unknown, enabled?: unknown, site?: unknown }} */ (op ?? {});
  const base = { ...emptyPrefs(), ...doc };
  if (o.kind === 'setEnabled' && typeof o.enabled === 'boolean') return { ...base, enabled: o.enabled };
  if ((o.kind === 'disableSite' || o.kind === 'enableSite') && typeof o.site === 'string' && o.site && o.site.length <= MAX_SITE_CHARS) {
    const rest = base.disabledSites.filter((x) => x !== o.site);
    return { ...base, disabledSites: o.kind === 'disableSite' ? [...rest, o.site].slice(-MAX_DISABLED_SITES) : rest };
  }
  throw fail('BadOperation', 'unknown forms preference change');
}

const prefsStore = createStore({ storage: storageLocal, key: 'forms.prefs', empty: emptyPrefs, apply: applyPrefsOp });

/** @returns {Promise<FormsPrefs>} */
async function prefs() {
  return { ...emptyPrefs(), ...(await prefsStore.read()) };
}

/**
 * The site (registrable domain) of a page URL, or undefined.
 * @param {string} url
 */
async function siteOfUrl(url) {
  await core();
  return call((c) => siteOf(c, url));
}

/**
 * Tells the content script in every tab and frame that the preferences changed, so pages
 * already open draw or remove their buttons without a reload. Best effort: a tab without our
 * content script simply does not answer.
 */
async function broadcastPrefs() {
  const ids = await allTabIds().catch(() => []);
  await Promise.all(ids.map((id) => sendToTab(id, { type: 'forms.prefsChanged' })));
}

/**
 * Writes one change and tells the open pages.
 * @param {unknown} op
 */
async function changePrefs(op) {
  const doc = await prefsStore.write(op);
  await broadcastPrefs();
  return doc;
}

/**
 * Why the button is off for this page: 'off' (the global switch), 'site' ("not here"), or null.
 * @param {string} url
 * @returns {Promise<'off' | 'site' | null>}
 */
async function pausedFor(url) {
  const p = await prefs();
  if (!p.enabled) return 'off';
  if (!p.disabledSites.length) return null;
  const site = await siteOfUrl(url);
  return site && p.disabledSites.includes(site) ? 'site' : null;
}

/** @type {Record<string, (message: Record<string, unknown>, sender: import('../shared/ext.js').SenderInfo) => Promise<unknown>>} */
export const formsPrefsContentHandlers = {
  /**
   * The in-page menu's "Not on this site": remembers the sender's own site (never a site from
   * the message). The content script sends it only after a trusted click.
   */
  'forms.notHere': async (_message, sender) => {
    const site = await siteOfUrl(senderPage(sender));
    if (!site) throw fail('NoSite', 'This page has no site to remember.');
    await changePrefs({ kind: 'disableSite', site });
    return { site };
  },
};

/**
 * Our own pages (options, popup): the switches, and the eval's inspection.
 * @type {Record<string, (message: Record<string, unknown>, sender: import('../shared/ext.js').SenderInfo) => Promise<unknown>>}
 */
export const formsPageHandlers = {
  /** `{ url? }` → `{ enabled, disabledSites, site, siteDisabled }` (site of `url`, if given). */
  'forms.prefs': async (message) => {
    const p = await prefs();
    const url = typeof message.url === 'string' && /^https?:\/\//i.test(message.url) ? message.url : null;
    const site = url ? ((await siteOfUrl(url)) ?? null) : null;
    return { enabled: p.enabled, disabledSites: p.disabledSites, site, siteDisabled: Boolean(site && p.disabledSites.includes(site)) };
  },
  /** `{ enabled: boolean }`: the global switch. */
  'forms.setEnabled': async (message) => {
    if (typeof message.enabled !== 'boolean') throw fail('BadMessage', 'forms.setEnabled needs a boolean "enabled"');
    const p = await changePrefs({ kind: 'setEnabled', enabled: message.enabled });
    return { enabled: p.enabled };
  },
  /** `{ site: string, enabled: boolean }`: "not here" for a site, or its undo. */
  'forms.setSite': async (message) => {
    if (typeof message.site !== 'string' || !message.site || message.site.length > MAX_SITE_CHARS || typeof message.enabled !== 'boolean') {
      throw fail('BadMessage', `forms.setSite needs a "site" of at most ${MAX_SITE_CHARS} characters and a boolean "enabled"`);
    }
    const p = await changePrefs({ kind: message.enabled ? 'enableSite' : 'disableSite', site: message.site });
    return { disabledSites: p.disabledSites };
  },
  /**
   * What the content script in the top frame of the tab showing `url` decided for every
   * input, textarea and select (`./build.sh eval-forms`, tests/forms/eval.mjs). Our pages
   * only: it reaches the content script through `tabs.sendMessage`, which no web page can
   * send, and the reply goes to the extension, never to the page.
   */
  'forms.inspect': async (message) => {
    const url = message.url;
    if (typeof url !== 'string' || url.length > MAX_INSPECT_URL_CHARS) throw fail('BadMessage', 'forms.inspect needs a "url"');
    const ask = { type: 'forms.inspect', url, attrs: message.attrs, formAttr: message.formAttr };
    for (const id of await allTabIds()) {
      const reply = await sendToTab(id, ask, 0);
      if (reply?.ok) return reply.value;
    }
    throw fail('NotFound', `No tab with our content script shows ${url}`);
  },
};

// ---------------------------------------------------------------- context menu and command

/**
 * The context menu's "Fill with a new alias" was clicked in `frameId` of `tabId`: a user
 * gesture in the browser's own UI, which a page cannot fake. The frame's content script fills
 * the field the user right-clicked (and its confirm twin) through `forms.createAlias`, so the
 * per-tab rate limit applies as for the in-page button.
 * @param {string} menuItemId @param {number} tabId @param {number} frameId
 */
export function onFormsMenuClick(menuItemId, tabId, frameId) {
  if (menuItemId !== MENU_FILL_NEW) return;
  void sendToTab(tabId, { type: 'forms.gesture', via: 'menu' }, frameId);
}

/**
 * The keyboard command: every frame of the active tab hears it, and only the frame whose
 * document has the focus and a text field focused acts.
 * @param {string} command @param {number} tabId
 */
export function onFormsCommand(command, tabId) {
  if (command !== COMMAND_FILL_NEW) return;
  void sendToTab(tabId, { type: 'forms.gesture', via: 'command' });
}
