// A fake extension API for the background's modules in Node: storage (local, session), the
// toolbar button per tab, tab events, i18n without locales, and fetch of file: URLs (the core
// loads its wasm with fetch(getURL(...)), which Node cannot do for files). Install it before
// importing any extension module.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** @returns {{ local: Map<string, unknown>, session: Map<string, unknown>, badges: Map<number, any>, listeners: { removed: Function[], updated: Function[] } }} */
export function installFakeBrowser() {
  const local = new Map();
  const session = new Map();
  const badges = new Map();
  const listeners = { removed: [], updated: [] };
  const area = (/** @type {Map<string, unknown>} */ m) => ({
    get: async (k) => (m.has(k) ? { [k]: structuredClone(m.get(k)) } : {}),
    set: async (items) => { for (const [k, v] of Object.entries(items)) m.set(k, structuredClone(v)); },
    remove: async (k) => { m.delete(k); },
  });
  const tabBadge = (tabId) => { if (!badges.has(tabId)) badges.set(tabId, {}); return badges.get(tabId); };
  globalThis.chrome = /** @type {any} */ ({
    runtime: { id: 'test', getURL: (p) => pathToFileURL(path.join(ROOT, p)).href },
    i18n: { getMessage: () => '' },
    storage: { local: area(local), session: area(session) },
    alarms: { create: async () => {}, clear: async () => true, onAlarm: { addListener: () => {} } },
    action: {
      setBadgeText: async ({ tabId, text }) => { tabBadge(tabId).text = text; },
      setBadgeBackgroundColor: async ({ tabId, color }) => { tabBadge(tabId).color = color; },
      setTitle: async ({ tabId, title }) => { tabBadge(tabId).title = title; },
    },
    tabs: {
      onRemoved: { addListener: (f) => listeners.removed.push(f) },
      onUpdated: { addListener: (f) => listeners.updated.push(f) },
      query: async () => [],
      sendMessage: async () => undefined,
    },
  });
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (url, init) => {
    const u = String(url instanceof Request ? url.url : url);
    if (u.startsWith('file:')) return new Response(fs.readFileSync(new URL(u)), { headers: { 'content-type': 'application/wasm' } });
    return realFetch(url, init);
  };
  return { local, session, badges, listeners };
}
