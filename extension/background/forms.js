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
import { openOptionsPage } from '../shared/ext.js';
import { createAlias, siteOf, vault } from './aliases.js';
import { call, core } from './core.js';

/** Most aliases one tab may create through the in-page button per minute. */
export const MAX_CREATIONS_PER_TAB_PER_MINUTE = 10;
/** Most times one tab may open the options page from the in-page menu per minute. */
export const MAX_OPTIONS_PER_TAB_PER_MINUTE = 3;
/** Largest form batch accepted, in characters of JSON (the extractor sends far less). */
export const MAX_BATCH_CHARS = 512 * 1024;
/** Most existing aliases offered on one site (newest first). */
export const MAX_EXISTING_OFFERED = 5;
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
   * Returns `{ fields, forms, existing }`.
   */
  'forms.classify': async (message, sender) => {
    const url = senderPage(sender);
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
  /** Creates an alias for the sender's page with the default source; returns `{ address }`. */
  'forms.createAlias': async (_message, sender) => {
    const url = senderPage(sender);
    const tabId = /** @type {number} */ (sender.tabId);
    if (!creations.take(tabId, Date.now())) {
      throw fail(
        'RateLimited',
        `This tab made ${MAX_CREATIONS_PER_TAB_PER_MINUTE} aliases in the last minute, the most allowed; wait a minute and try again.`,
      );
    }
    const record = /** @type {{ address: string }} */ (await createAlias(url, null));
    return { address: record.address };
  },
  /** Opens the options page (the in-page menu's "Settings"). */
  'forms.openOptions': async (_message, sender) => {
    if (!optionsOpens.take(/** @type {number} */ (sender.tabId), Date.now())) {
      throw fail('RateLimited', `The options were opened ${MAX_OPTIONS_PER_TAB_PER_MINUTE} times from this tab in the last minute.`);
    }
    await openOptionsPage();
    return {};
  },
};
