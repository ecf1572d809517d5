// Two browser profiles and the sync engine between them, for the sync e2e files
// (tests/e2e/sync.test.mjs, sync-keys.test.mjs): the engines need an account, so the tests carry
// `storage.sync` from one profile to the other themselves, as the engine would.
import { js } from './pages.mjs';

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
