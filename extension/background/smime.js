// @ts-check
/**
 * S/MIME verification in the background: the core decides, this file supplies the time and
 * the roots the user added (kept in extension storage; Mozilla's e-mail roots are built in).
 * The message's bytes are never stored.
 */
import { storageLocal } from '../shared/ext.js';
import { call } from './core.js';

/** Storage key of the user's own trust anchors: a list of base64 DER certificates. */
export const USER_ROOTS_KEY = 'trust.userRoots';

/** @returns {Promise<Uint8Array[]>} */
async function userRoots() {
  const got = await storageLocal.get(USER_ROOTS_KEY);
  const list = Array.isArray(got[USER_ROOTS_KEY]) ? /** @type {unknown[]} */ (got[USER_ROOTS_KEY]) : [];
  return list.filter((x) => typeof x === 'string').map((b64) => Uint8Array.from(atob(/** @type {string} */ (b64)), (c) => c.charCodeAt(0)));
}

/**
 * The verdict for a message's exact bytes, now.
 * @param {Uint8Array} raw
 */
export async function verifyBytes(raw) {
  const roots = await userRoots();
  return call((c) => c.verifyMessage(raw, Math.floor(Date.now() / 1000), roots));
}
