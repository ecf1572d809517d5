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

/** The bytes of a base64 string (check it with `isBase64` first). @param {string} b64 */
export function base64ToBytes(b64) {
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/** Base64 of bytes. @param {Uint8Array | number[]} bytes */
export function bytesToBase64(bytes) {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}
