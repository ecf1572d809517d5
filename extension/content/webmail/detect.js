// @ts-check
/**
 * Which webmail adapter serves this page, if any. Each adapter is a file of its own in the
 * build (`content/wm-<name>.js`, build.sh), loaded only on a page whose URL it may serve, so
 * that a frame carries at most one adapter's code and adding an adapter costs no other page
 * anything. (The checks themselves, `index.js` and the badge, stay in the working part: tried
 * as a file of their own on 2026-12-06, pages with a form went from 17.4 to 14.2 KB gzipped
 * but a webmail frame from 19.3 to 20.3, over the content script's 20 KB budget, because each
 * file is gzipped on its own.)
 */
/* global EXT_NS */
import { contained } from '../dom.js';
import { checkMessages } from './index.js';

/** @typedef {import('./index.js').WebmailAdapter} WebmailAdapter */

/**
 * The adapters, in the order they are tried: where each may apply by the URL alone, and its
 * module, whose own `matches` then looks at the page. (The literal
 * `import(EXT_NS.runtime.getURL(…))` per adapter is the one form addons.mozilla.org's linter
 * accepts for a dynamic import; build.sh builds the files these lines name.)
 * @type {{ url: (loc: Location) => boolean, load: () => Promise<Record<string, WebmailAdapter>> }[]}
 */
const ADAPTERS = [
  // Roundcube: `?_task=mail` on any path (self-hosted under any prefix).
  { url: (loc) => /[?&]_task=mail(&|$)/.test(loc.search), load: () => import(EXT_NS.runtime.getURL('content/wm-roundcube.js')) },
  // SOGo: its mail app's path.
  { url: (loc) => /^\/SOGo\/so\/[^/]+\/Mail\//.test(loc.pathname), load: () => import(EXT_NS.runtime.getURL('content/wm-sogo.js')) },
  // Gmail: `/mail/u/<n>/`.
  { url: (loc) => /^\/mail\/u\/[0-9]/.test(loc.pathname), load: () => import(EXT_NS.runtime.getURL('content/wm-gmail.js')) },
  // Outlook on the web: `/mail/` (not Gmail's `/mail/u/`).
  { url: (loc) => /^\/mail\/(?!u\/)/.test(loc.pathname), load: () => import(EXT_NS.runtime.getURL('content/wm-outlook.js')) },
  // Outlook on the web on premises (Exchange 2016/2019): `/owa/`, `/owa/projection.aspx`.
  { url: (loc) => /^\/owa\//i.test(loc.pathname), load: () => import(EXT_NS.runtime.getURL('content/wm-owa.js')) },
  // Horde IMP's dynamic view: `…/imp/dynamic.php`.
  { url: (loc) => /\/imp\/dynamic\.php$/.test(loc.pathname), load: () => import(EXT_NS.runtime.getURL('content/wm-horde.js')) },
  // Zimbra's HTML client: `/h/…`.
  { url: (loc) => /^\/h\//.test(loc.pathname), load: () => import(EXT_NS.runtime.getURL('content/wm-zimbra.js')) },
  // Nextcloud Mail: `…/apps/mail/…`.
  { url: (loc) => /\/apps\/mail\//.test(loc.pathname), load: () => import(EXT_NS.runtime.getURL('content/wm-nextcloud.js')) },
  // OX App Suite: `…/appsuite/`.
  { url: (loc) => /\/appsuite\//.test(loc.pathname), load: () => import(EXT_NS.runtime.getURL('content/wm-ox.js')) },
  // SnappyMail: its mailbox route, `#/mailbox/…`.
  { url: (loc) => /^#\/mailbox\//.test(loc.hash), load: () => import(EXT_NS.runtime.getURL('content/wm-snappymail.js')) },
];

/**
 * The adapter for this page: the first whose URL test passes, whose module loads, and whose
 * own `matches` accepts the page (a throw or a failed load counts as no).
 * @param {Document} doc @param {Location} loc
 * @returns {Promise<WebmailAdapter | null>}
 */
async function adapterFor(doc, loc) {
  for (const a of ADAPTERS) {
    if (!contained('a webmail adapter', () => a.url(loc))) continue;
    const m = await a.load().catch(() => null);
    const adapter = m && Object.values(m)[0];
    if (adapter && contained('a webmail adapter', () => adapter.matches(loc, doc))) return adapter;
  }
  return null;
}

/**
 * Starts the webmail checks when an adapter serves this page.
 * @param {Document} doc @param {Location} loc
 * @param {typeof import('../../shared/ext.js').send} send
 */
export async function startWebmail(doc, loc, send) {
  const adapter = await adapterFor(doc, loc);
  if (adapter) await checkMessages(doc, loc, send, adapter);
}
