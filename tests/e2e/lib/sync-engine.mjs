// Two browser profiles and the sync engine between them, for the sync e2e files
// (tests/e2e/sync.test.mjs, sync-keys.test.mjs): the engines need an account, so the tests carry
// `storage.sync` from one profile to the other themselves, as the engine would.
import { after, before } from 'node:test';
import { launchBrowser } from './harness.mjs';
import { js, ready as pageReady } from './pages.mjs';

/**
 * The sync engine's part: profile `from`'s storage.sync becomes profile `to`'s (keys `to` has
 * and `from` has not are removed, as a delivered deletion would).
 * @param {import('./chrome.mjs').PageHandle} from @param {import('./chrome.mjs').PageHandle} to
 */
export async function carry(from, to) {
  const items = await from.eval('(globalThis.browser ?? globalThis.chrome).storage.sync.get(null)');
  await to.eval(`(async () => {
    const api = globalThis.browser ?? globalThis.chrome;
    const items = ${js(items)};
    const gone = Object.keys(await api.storage.sync.get(null)).filter((k) => !(k in items));
    if (gone.length) await api.storage.sync.remove(gone);
    await api.storage.sync.set(items);
    return true;
  })()`);
}

/**
 * @typedef {{ browserA: Awaited<ReturnType<typeof launchBrowser>>, browserB: Awaited<ReturnType<typeof launchBrowser>>,
 *   a: import('./chrome.mjs').PageHandle, b: import('./chrome.mjs').PageHandle }} TwoProfiles
 */

/**
 * Two browsers of `name`, each with its options page
 * open and ready, for one `describe` block: `before` launches them and hands them to `ready`;
 * `after` closes them.
 * @param {string} name @param {(p: TwoProfiles) => void | Promise<void>} ready
 */
export function useTwoProfiles(name, ready) {
  /** @type {Partial<TwoProfiles>} */
  const p = {};
  before(async () => {
    p.browserA = await launchBrowser(name);
    p.browserB = await launchBrowser(name);
    p.a = await p.browserA.openExtensionPage('ui/options.html');
    p.b = await p.browserB.openExtensionPage('ui/options.html');
    await pageReady(p.a);
    await pageReady(p.b);
    await ready(/** @type {TwoProfiles} */ (p));
  });
  after(async () => {
    await p.browserA?.close();
    await p.browserB?.close();
  });
}
