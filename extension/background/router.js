// @ts-check
/**
 * The one message router. Handlers are grouped by how much the background trusts whoever
 * sent the message (uBlock Origin Lite's layout):
 *
 * 1. `extensionPageHandlers`: the popup and the options page. They are our own code in our
 *    own origin, and may do everything the user can do.
 * 2. `contentScriptHandlers`: our content scripts, which run inside web pages that may be
 *    hostile. A content script may be confused by its page, so these handlers only answer
 *    about the sender's own tab and origin, never return secrets, and validate every field.
 *
 * Messages from web pages and other extensions are never accepted: the manifest declares no
 * `externally_connectable`, and the router checks `sender.id` on every message.
 */
import { getURL, runtimeId } from '../shared/ext.js';
import { aliasPageHandlers } from './aliases.js';
import { call } from './core.js';
import { dnsPageHandlers } from './dns.js';
import { formsContentHandlers, formsPageHandlers, formsPrefsContentHandlers } from './forms.js';
import { smimePageHandlers } from './smime.js';
import { syncPageHandlers } from './sync.js';
import { webmailContentHandlers, webmailPageHandlers } from './webmail.js';

/** @typedef {import('../shared/ext.js').Reply} Reply */
/** @typedef {import('../shared/ext.js').SenderInfo} SenderInfo */
/** @typedef {(message: Record<string, unknown>, sender: SenderInfo) => Promise<unknown>} Handler */

/** Longest string a content script may send for the self-test (characters). */
export const MAX_SELFTEST_INPUT = 1024;

/**
 * A typed error with a name the caller can branch on.
 * @param {string} name
 * @param {string} message
 */
function fail(name, message) {
  const e = new Error(message);
  e.name = name;
  return e;
}

/** @type {Record<string, Handler>} */
const contentScriptHandlers = {
  /** The self-test: the content script proves the page → background → wasm path works. */
  'core.selftest': async (message) => {
    const input = message.input;
    if (typeof input !== 'string' || input.length > MAX_SELFTEST_INPUT) {
      throw fail('BadMessage', `core.selftest needs a string "input" of at most ${MAX_SELFTEST_INPUT} characters`);
    }
    return call((c) => ({ version: c.coreVersion(), sha256: c.selfTestDigest(input) }));
  },
  ...formsContentHandlers,
  ...formsPrefsContentHandlers,
  ...webmailContentHandlers,
};

/** @type {Record<string, Handler>} */
const extensionPageHandlers = {
  ...contentScriptHandlers,
  .../** @type {Record<string, Handler>} */ (aliasPageHandlers),
  .../** @type {Record<string, Handler>} */ (webmailPageHandlers),
  .../** @type {Record<string, Handler>} */ (smimePageHandlers),
  .../** @type {Record<string, Handler>} */ (dnsPageHandlers),
  ...formsPageHandlers,
  .../** @type {Record<string, Handler>} */ (syncPageHandlers),
  /** What the popup shows about the core. */
  'core.info': async () => call((c) => ({ version: c.coreVersion() })),
};

/**
 * Who sent this? `page` for the extension's own pages, `content` for a content script in a
 * tab, `null` for anything else (refused).
 * @param {SenderInfo} sender
 * @returns {'page' | 'content' | null}
 */
export function classifySender(sender) {
  if (sender.id !== runtimeId()) return null;
  const ownOrigin = getURL('');
  if (sender.url && sender.url.startsWith(ownOrigin)) return 'page';
  if (typeof sender.tabId === 'number' && sender.tabId >= 0 && sender.url) return 'content';
  return null;
}

/**
 * Routes one message and produces the reply. Never throws.
 * @param {unknown} message
 * @param {SenderInfo} sender
 * @returns {Promise<Reply>}
 */
export async function route(message, sender) {
  if (!message || typeof message !== 'object' || typeof (/** @type {any} */ (message).type) !== 'string') {
    return { ok: false, error: { name: 'BadMessage', message: 'A message must be an object with a string "type".' } };
  }
  const msg = /** @type {Record<string, unknown> & { type: string }} */ (message);
  const trust = classifySender(sender);
  const table = trust === 'page' ? extensionPageHandlers : trust === 'content' ? contentScriptHandlers : null;
  if (!table) {
    return { ok: false, error: { name: 'Refused', message: 'Messages are accepted only from ImpaleMail itself.' } };
  }
  const handler = Object.hasOwn(table, msg.type) ? table[msg.type] : undefined;
  if (!handler) {
    return { ok: false, error: { name: 'UnknownMessage', message: `No handler for "${msg.type}" from this sender.` } };
  }
  try {
    return { ok: true, value: await handler(msg, sender) };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    const variant = /** @type {{ variant?: unknown }} */ (err).variant;
    return {
      ok: false,
      error: { name: err.name || 'Error', message: err.message, ...(typeof variant === 'string' ? { variant } : {}) },
    };
  }
}
