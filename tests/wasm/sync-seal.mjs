// The background's part of sync sealing, written from the format's description
// (src/alias/sync/seal.rs, code.rs) with Node's WebCrypto rather than taken from
// background/sync.js, so that the two agree through the format: HKDF-SHA-256 of the code (no
// salt, the core's `info`), AES-256-GCM with a random 96-bit nonce and the core's associated
// data. Used by tests/wasm/sync.test.mjs and tools/bench/sync-size.mjs.

/** @typedef {typeof import('../../pkg/impalemail.js')} Core */

/**
 * The item key and the code check of a sync state.
 * @param {Core} core @param {string} state
 */
export async function keysOf(core, state) {
  const m = core.syncKeyMaterial(state);
  const ikm = await crypto.subtle.importKey('raw', m.ikm, 'HKDF', false, ['deriveKey', 'deriveBits']);
  const hkdf = (/** @type {Uint8Array} */ info) => ({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info });
  return {
    key: await crypto.subtle.deriveKey(hkdf(m.itemInfo), ikm, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']),
    check: new Uint8Array(await crypto.subtle.deriveBits(hkdf(m.checkInfo), ikm, 128)),
  };
}

/**
 * One item the core asked to seal, as its `storage.sync` value.
 * @param {Core} core @param {{ key: CryptoKey }} keys @param {{ plain: Uint8Array, ad: Uint8Array }} t
 */
export async function sealOne(core, keys, t) {
  const nonce = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: t.ad }, keys.key, t.plain));
  return core.syncItemValue(new Uint8Array([...nonce, ...sealed]));
}
