// @ts-check
/**
 * The only module that touches the browser's extension API (`chrome.*` / `browser.*`).
 *
 * Chrome and Firefox both offer promise-returning MV3 APIs; Firefox names the namespace
 * `browser`, Chrome `chrome`. Everything else in the extension goes through this file, so
 * a difference between the browsers is handled once, here.
 */

/** @type {typeof chrome | null} */
let cachedApi = null;
/**
 * The API, looked up at its first use: in a Firefox content script the first read of
 * `browser` builds the whole API object (a few milliseconds of main-thread time), which a
 * frame that never needs it must not pay before its load event (issue #26).
 * @returns {typeof chrome}
 */
const api = () => (cachedApi ??= /** @type {any} */ (globalThis).browser ?? globalThis.chrome);

/**
 * A reply on the message channel: one shape for every handler.
 * `variant` names the core's error variant (e.g. `Unauthorized`) where there is one.
 * @typedef {{ ok: true, value: unknown } | { ok: false, error: { name: string, message: string, variant?: string } }} Reply
 */

/**
 * What the router learns about who sent a message.
 * @typedef {{ id?: string, url?: string, origin?: string, tabId?: number, tabUrl?: string, frameId?: number, documentId?: string }} SenderInfo
 */

/** The extension's own id. */
export function runtimeId() {
  return api().runtime.id;
}

/** The extension's version (its manifest's). */
export function extensionVersion() {
  return api().runtime.getManifest().version;
}

/**
 * The absolute URL of a file in the extension package.
 * @param {string} path
 */
export function getURL(path) {
  return api().runtime.getURL(path);
}

/**
 * A localised string from `_locales`.
 * @param {string} key
 * @param {string | string[]} [substitutions]
 */
export function i18n(key, substitutions) {
  return api().i18n.getMessage(key, substitutions) || key;
}

/**
 * Sends a message to the background and resolves with its reply. A closed channel (the
 * background was stopped, the extension reloaded) becomes an error reply, never a throw.
 * @param {{ type: string } & Record<string, unknown>} message
 * @returns {Promise<Reply>}
 */
export async function send(message) {
  try {
    const reply = await api().runtime.sendMessage(message);
    if (reply && typeof reply === 'object' && 'ok' in reply) return /** @type {Reply} */ (reply);
    return { ok: false, error: { name: 'NoReply', message: 'The background did not answer.' } };
  } catch (e) {
    return { ok: false, error: { name: 'ChannelError', message: String(e instanceof Error ? e.message : e) } };
  }
}

/**
 * Registers the one message listener of the background. Must be called synchronously at
 * the top level of the background script, so that a message that wakes a stopped service
 * worker finds it. The handler's promise becomes the reply.
 * @param {(message: unknown, sender: SenderInfo) => Promise<Reply>} handler
 */
export function onMessage(handler) {
  api().runtime.onMessage.addListener((message, sender, sendResponse) => {
    /** @type {SenderInfo} */
    const info = {
      id: sender.id,
      url: sender.url,
      origin: sender.origin,
      tabId: sender.tab?.id,
      tabUrl: sender.tab?.url,
      frameId: sender.frameId,
      documentId: /** @type {any} */ (sender).documentId,
    };
    handler(message, info).then(sendResponse, (e) =>
      sendResponse({ ok: false, error: { name: 'InternalError', message: String(e) } }),
    );
    return true; // the reply is sent asynchronously
  });
}

/**
 * The extension's local storage area (promise API in both browsers).
 * @type {{ get(key: string): Promise<Record<string, unknown>>, set(items: Record<string, unknown>): Promise<void> }}
 */
export const storageLocal = {
  get: (key) => api().storage.local.get(key),
  set: (items) => api().storage.local.set(items),
};

/**
 * The extension's `storage.sync` area (issue #25): the browser's own sync engine carries it to
 * the user's other devices (Chrome Sync, Firefox Sync). Only sealed items go there
 * (background/sync.js). `getAll` reads the whole area; `set` and `remove` are one write each
 * against Chrome's per-minute and per-hour write quotas.
 * @type {{ getAll(): Promise<Record<string, unknown>>, set(items: Record<string, unknown>): Promise<void>, remove(keys: string[]): Promise<void> }}
 */
export const storageSync = {
  getAll: () => api().storage.sync.get(null),
  set: (items) => api().storage.sync.set(items),
  remove: (keys) => api().storage.sync.remove(keys),
};

/**
 * Calls `listener(keys)` when `storage.sync` changed: another device's items arrived, or our
 * own write landed (both browsers report those too). Register it at the top level of the
 * background, like `onMessage`.
 * @param {(keys: string[]) => void} listener
 */
export function onSyncChanged(listener) {
  api().storage.onChanged.addListener((changes, area) => {
    if (area === 'sync') listener(Object.keys(changes));
  });
}

/** Alarms (the expiry of aliases). */
export const alarms = {
  /** @param {string} name @param {{ when: number }} info */
  create: (name, info) => api().alarms.create(name, info),
  /** @param {string} name */
  clear: (name) => api().alarms.clear(name),
  /** @param {(alarm: { name: string }) => void} listener */
  onAlarm: (listener) => api().alarms.onAlarm.addListener(listener),
};

/** The URL of the active tab of the current window (the popup's page), if the extension may see it. */
export async function activeTabUrl() {
  const [tab] = await api().tabs.query({ active: true, currentWindow: true });
  return tab?.url ?? null;
}

/**
 * The active tab of the current window (the popup's page): its id, and its URL if the
 * extension may see it (`activeTab`: after the user opened the popup on it).
 * @returns {Promise<{ id: number, url: string | null } | null>}
 */
export async function activeTab() {
  const [tab] = await api().tabs.query({ active: true, currentWindow: true });
  return typeof tab?.id === 'number' ? { id: tab.id, url: tab.url ?? null } : null;
}

/** Reloads a tab (after the user turned signature checks on for its site). @param {number} tabId */
export async function reloadTab(tabId) {
  await api().tabs.reload(tabId);
}

/**
 * Whether this page runs in a tab of its own (an extension page opened with a URL), rather than
 * as the toolbar popup, which belongs to no tab. `tabs.getCurrent` resolves to `undefined` in a
 * popup in both browsers.
 */
export async function runsInTab() {
  try {
    return Boolean(await api().tabs.getCurrent());
  } catch {
    return false;
  }
}

/**
 * Opens the options page (`options_ui` in the manifest) in a tab; with `section`, at that
 * element (`ui/options.html#<section>`, a new tab: `openOptionsPage` takes no fragment).
 * @param {string} [section]
 */
export async function openOptionsPage(section) {
  if (!section) return api().runtime.openOptionsPage();
  await api().tabs.create({ url: api().runtime.getURL(`ui/options.html#${encodeURIComponent(section)}`) });
}

/**
 * Opens one of the extension's own pages in a new tab (`path` relative to the extension root).
 * @param {string} path
 */
export async function openExtensionTab(path) {
  await api().tabs.create({ url: api().runtime.getURL(path) });
}

/**
 * Runs `listener` when the extension is first installed (not on updates or browser updates).
 * Register it at the top level of the background, like `onMessage`.
 * @param {() => void} listener
 */
export function onFirstInstall(listener) {
  api().runtime.onInstalled.addListener((details) => {
    if (details.reason === 'install') listener();
  });
}

/**
 * Asks the user for access to these origins (match patterns such as `https://sl.example.org/*`;
 * they must be covered by `optional_host_permissions`). Both browsers require a user gesture:
 * call it synchronously from a click handler, before any `await`. Resolves with whether access
 * was granted; a refusal by the browser (no gesture, pattern not declared) resolves `false`.
 * @param {string[]} origins
 * @returns {Promise<boolean>}
 */
export async function requestHostPermissions(origins) {
  try {
    return await api().permissions.request({ origins });
  } catch {
    return false;
  }
}

/**
 * Whether the extension may reach `url`'s host (a host permission granted at install or later).
 * True where the browser cannot tell (no permissions API).
 * @param {string} url
 * @returns {Promise<boolean>}
 */
export async function hasHostPermission(url) {
  try {
    const u = new URL(url);
    if (!api().permissions?.contains) return true;
    return await api().permissions.contains({ origins: [`${u.protocol}//${u.hostname}/*`] });
  } catch {
    return false;
  }
}

/** The session storage area, or an error where the browser lacks it. */
const sessionArea = () => {
  const area = api().storage?.session;
  if (!area) throw new Error('this browser has no session storage');
  return area;
};

/**
 * The extension's session storage (kept in memory by the browser, cleared when it quits; in
 * both browsers since MV3). Where the browser lacks it every call rejects, and callers fall
 * back to memory. Nothing here runs at load: this module is also bundled into the content
 * script, which runs in every frame, and reading `storage` there would make Chromium build the
 * storage API's bindings in every frame for nothing.
 * @type {{ get(key: string): Promise<Record<string, unknown>>, set(items: Record<string, unknown>): Promise<void>, remove(key: string): Promise<void> }}
 */
export const storageSession = {
  get: async (key) => sessionArea().get(key),
  set: async (items) => sessionArea().set(items),
  remove: async (key) => sessionArea().remove(key),
};

/**
 * The toolbar button's badge for one tab: only that tab shows it, and the browser drops it
 * when the tab closes. Errors (the tab closed in between) are swallowed: the badge is
 * advisory for a tab that no longer exists.
 * @param {number} tabId
 * @param {{ text: string, color: string, title: string }} badge
 */
export async function setTabBadge(tabId, { text, color, title }) {
  try {
    await Promise.all([
      api().action.setBadgeText({ tabId, text }),
      api().action.setBadgeBackgroundColor({ tabId, color }),
      api().action.setTitle({ tabId, title }),
    ]);
    // White text on every background colour (Firefox picks black on amber otherwise).
    await api().action.setBadgeTextColor?.({ tabId, color: '#ffffff' });
  } catch {
    /* the tab is gone */
  }
}

/**
 * Calls `listener(tabId)` when a tab closes (to forget what was kept about it).
 * @param {(tabId: number) => void} listener
 */
export function onTabRemoved(listener) {
  api().tabs?.onRemoved?.addListener((tabId) => listener(tabId));
}

/**
 * Calls `listener(tabId)` when a tab starts loading a page (the `status: 'loading'` update,
 * which needs no "tabs" permission). Chrome keeps a tab's badge across navigations; the
 * background uses this to drop a verdict that belonged to the previous page.
 * @param {(tabId: number) => void} listener
 */
export function onTabLoading(listener) {
  const onUpdated = api().tabs?.onUpdated;
  /** @param {number} tabId @param {{ status?: string }} info */
  const each = (tabId, info) => {
    if (info.status === 'loading') listener(tabId);
  };
  // Firefox takes a filter: only `status` changes reach the background, not every title,
  // favicon or audio change of every tab. Each event it sends costs the page loading in that
  // tab: with every update, the load event came 4.0 ms later than with a control extension
  // running our very content script (median of per-page medians, 30 pages, 3 rounds), with the
  // filter 0.0 (tools/bench/page-cost.mjs, 2026-12-07). Chrome's event takes no filter and
  // throws if given one.
  try {
    /** @type {{ addListener(f: typeof each, filter: { properties: string[] }): void } | undefined} */
    const filtered = /** @type {any} */ (onUpdated);
    filtered?.addListener(each, { properties: ['status'] });
  } catch {
    onUpdated?.addListener(each);
  }
}

// ---------------------------------------------------------------- forms (in-page alias button)

/**
 * Content scripts: listens for messages from the extension itself (`tabs.sendMessage` from the
 * background or our own pages). A web page cannot send these: content scripts receive only
 * their own extension's messages, and the manifest has no `externally_connectable`. A
 * handler that returns `undefined` does not answer (another frame or listener may).
 * @param {(message: unknown) => Promise<unknown> | undefined} handler
 */
export function onExtensionMessage(handler) {
  api().runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (sender.id !== api().runtime.id) return false;
    const p = handler(message);
    if (!p) return false;
    p.then(
      (value) => sendResponse({ ok: true, value }),
      (e) => sendResponse({ ok: false, error: { name: e instanceof Error ? e.name : 'Error', message: String(e instanceof Error ? e.message : e) } }),
    );
    return true;
  });
}

/** The ids of every open tab (no URLs: the extension has no "tabs" permission). */
export async function allTabIds() {
  const tabs = await api().tabs.query({});
  return tabs.map((t) => t.id).filter((id) => typeof id === 'number');
}

/**
 * Sends a message to our content script in one tab (one frame, or every frame when `frameId`
 * is undefined) and resolves with its reply, or `null` when no frame answered (no content
 * script there, the tab closed, nobody handled it).
 * @param {number} tabId @param {{ type: string } & Record<string, unknown>} message @param {number} [frameId]
 * @returns {Promise<Reply | null>}
 */
export async function sendToTab(tabId, message, frameId) {
  try {
    const reply = await api().tabs.sendMessage(tabId, message, frameId === undefined ? {} : { frameId });
    return reply && typeof reply === 'object' && 'ok' in reply ? /** @type {Reply} */ (reply) : null;
  } catch {
    return null;
  }
}

/**
 * The context-menu entry on editable fields (`contextMenus` permission). Created when the
 * extension is installed or updated (both browsers keep entries across restarts of the
 * background); `onClick` gets the tab and the frame the user right-clicked in. The click
 * listener must be registered at the top level of the background, like `onMessage`.
 */
export const contextMenu = {
  /** @param {string} id @param {string} title */
  createOnInstall(id, title) {
    api().runtime.onInstalled.addListener(() => {
      // After an update the entry may still exist: the duplicate-id error is expected.
      api().contextMenus.create({ id, title, contexts: ['editable'] }, () => void api().runtime.lastError);
    });
  },
  /** @param {(menuItemId: string, tabId: number, frameId: number) => void} listener */
  onClick(listener) {
    api().contextMenus?.onClicked.addListener((info, tab) => {
      if (typeof tab?.id === 'number') listener(String(info.menuItemId), tab.id, info.frameId ?? 0);
    });
  },
};

/**
 * Keyboard commands (manifest `commands`): `listener(command, tabId)` for the active tab.
 * @param {(command: string, tabId: number) => void} listener
 */
export function onCommand(listener) {
  api().commands?.onCommand.addListener((command, tab) => {
    if (typeof tab?.id === 'number') listener(command, tab.id);
  });
}
