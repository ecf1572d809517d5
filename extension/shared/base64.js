// @ts-check
/**
 * Base64 of a blob or file, through FileReader: no byte-by-byte copy in script, and in Firefox
 * no touching of a page-owned ArrayBuffer (which content scripts may not read).
 */

/** @param {Blob} blob @returns {Promise<string>} */
export function blobToBase64(blob) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onerror = () => reject(r.error);
    r.onload = () => {
      const url = String(r.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    r.readAsDataURL(blob);
  });
}

/** Whether `s` is padded standard base64 (RFC 4648 §4). @param {unknown} s @returns {s is string} */
export const isBase64 = (s) => typeof s === 'string' && s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s);

/**
 * The bytes of a base64 string (check it with `isBase64` first): the engine's own decoder where
 * there is one (`Uint8Array.fromBase64`, TC39 "Uint8Array to/from base64"), else `atob` and a
 * plain loop (about ten times faster on a 25 MB message than `Uint8Array.from` with a mapping
 * function, which calls a function per byte).
 * @param {string} b64
 * @returns {Uint8Array<ArrayBuffer>}
 */
export function base64ToBytes(b64) {
  const U = /** @type {{ fromBase64?: (s: string) => Uint8Array<ArrayBuffer> }} */ (/** @type {unknown} */ (Uint8Array));
  if (typeof U.fromBase64 === 'function') return U.fromBase64(b64);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Base64 of bytes (the engine's own encoder where there is one). @param {Uint8Array | number[]} bytes */
export function bytesToBase64(bytes) {
  const u = bytes instanceof Uint8Array ? /** @type {Uint8Array & { toBase64?: () => string }} */ (bytes) : null;
  if (u && typeof u.toBase64 === 'function') return u.toBase64();
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}
