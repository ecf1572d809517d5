// One PKI.js verification of a raw mail, shared by the PKI.js runners: in Node (pkijs.mjs) and
// in headless Chromium (pkijs-chromium.mjs, bundled into a bench-only extension with esbuild).
// No platform API here: each runner passes the mail through the `Mail` accessors below, built
// on its platform's native searching and base64 (Node's Buffer; the browser's string search and
// Uint8Array.fromBase64), and its PKI.js and asn1js modules.
//
// PKI.js reads CMS, not mail, so each call first does the least MIME work that gets the signed
// bytes:
// - detached (multipart/signed): the boundary from the top-level Content-Type, the signed
//   part = the exact bytes between the first delimiter line and the CRLF before the next
//   delimiter (RFC 1847/2046), the signature = the base64 body of the second part;
// - opaque (application/pkcs7-mime): the base64 body after the header block.
// Then asn1js.fromBER + ContentInfo + SignedData and `SignedData.verify({ signer: 0, data,
// trustedCerts: [root], checkChain: true, checkDate, extendedMode: true })`; the root is parsed
// from DER in each call, as the other runners do. asn1js refuses content longer than 16 MiB by
// default (`maxContentLength`); the top-level decode passes the mail's size instead, so the
// 25 MB opaque mails can be read at all.

/**
 * @typedef {{
 *   length: number,
 *   indexOf(needle: string, from: number): number,
 *   latin1(start: number, end: number): string,
 *   bytes(start: number, end: number): Uint8Array,
 *   base64(text: string): Uint8Array,
 * }} Mail
 * `indexOf` finds an ASCII needle in the mail's bytes; `latin1` is a range of them as text,
 * one character per byte; `bytes` a view of a range; `base64` decodes base64 text with line
 * breaks.
 */

/** Header block (as text) and the offset where the body starts. @param {Mail} mail */
function splitHeader(mail, from = 0) {
  const end = mail.indexOf('\r\n\r\n', from);
  if (end < 0) throw new Error('no end of header');
  return { header: mail.latin1(from, end), body: end + 4 };
}

/** @param {Mail} mail @returns {{ cms: Uint8Array, data: Uint8Array | undefined }} */
export function extract(mail) {
  const { header, body } = splitHeader(mail);
  const ct = /^content-type:([^\r\n]*(?:\r\n[ \t][^\r\n]*)*)/im.exec(header)?.[1] ?? '';
  if (/multipart\/signed/i.test(ct)) {
    const boundary = /boundary="?([^";\r\n]+)"?/i.exec(ct)?.[1];
    if (!boundary) throw new Error('multipart/signed without a boundary');
    const delim = `--${boundary}\r\n`;
    const next = `\r\n--${boundary}`;
    const first = mail.indexOf(delim, body);
    if (first < 0) throw new Error('no first part');
    const start = first + delim.length;
    const end = mail.indexOf(next, start);
    if (end < 0) throw new Error('no second part');
    const data = mail.bytes(start, end);
    const sigPart = end + next.length + 2; // past the delimiter's CRLF
    const sig = splitHeader(mail, sigPart);
    const close = mail.indexOf(next, sig.body);
    return { cms: mail.base64(mail.latin1(sig.body, close < 0 ? mail.length : close)), data };
  }
  return { cms: mail.base64(mail.latin1(body, mail.length)), data: undefined };
}

/** @param {Uint8Array} u8 */
const toArrayBuffer = (u8) => u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength);

/**
 * One call: raw mail to PKI.js's verdict.
 * @param {any} pkijs @param {any} asn1js @param {Mail} mail
 * @param {Uint8Array} rootDer @param {Date} checkDate
 */
export async function verifyMail(pkijs, asn1js, mail, rootDer, checkDate) {
  const { cms, data } = extract(mail);
  const asn1 = asn1js.fromBER(cms, { maxContentLength: Math.max(mail.length, 16777216) });
  if (asn1.offset === -1) throw new Error(`asn1js: ${asn1.result.error}`);
  const ci = new pkijs.ContentInfo({ schema: asn1.result });
  const sd = new pkijs.SignedData({ schema: ci.content });
  const root = pkijs.Certificate.fromBER(rootDer);
  return sd.verify({
    signer: 0,
    data: data === undefined ? undefined : toArrayBuffer(data),
    trustedCerts: [root],
    checkChain: true,
    checkDate,
    extendedMode: true,
  });
}

/**
 * Null when PKI.js verifies the mail, else its reason.
 * @param {any} pkijs @param {any} asn1js @param {string} version @param {Mail} mail
 * @param {Uint8Array} rootDer @param {Date} checkDate
 */
export async function greenOrReason(pkijs, asn1js, version, mail, rootDer, checkDate) {
  try {
    const r = await verifyMail(pkijs, asn1js, mail, rootDer, checkDate);
    if (r.signatureVerified !== true) return `PKI.js ${version}: ${r.message || 'signature not verified'} (code ${r.code})`;
    if (r.signerCertificateVerified !== true) return `PKI.js ${version}: signer certificate not verified`;
    return null;
  } catch (e) {
    const err = /** @type {any} */ (e);
    const m = err?.message ?? String(e);
    return `PKI.js ${version}: ${m}${err?.code !== undefined ? ` (code ${err.code})` : ''}`;
  }
}
