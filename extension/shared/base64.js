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
