// @ts-check
/**
 * "Save the sender's certificate" (issue #18 part 6): a verified signer's certificate as a file
 * a mail program imports to encrypt a reply to that sender (RFC 8551 §2.5.3): `.pem` (RFC 7468
 * §5, text) and `.cer` (the DER bytes), both made here from the base64 DER the core's verdict
 * carries (`SignerDetails.certificate_der`). The files are made in the popup or the options
 * page only, never in a web page.
 */
import { i18n } from '../shared/ext.js';
import { base64ToBytes } from '../shared/base64.js';
import { h } from './components.js';

/** PEM's line length (RFC 7468 §2: "exactly 64 characters" except the last line). */
const PEM_LINE = 64;

/** The PEM text of a certificate given as base64 DER. @param {string} der64 */
export function pemOf(der64) {
  const lines = der64.match(new RegExp(`.{1,${PEM_LINE}}`, 'g')) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * A file name for a sender's certificate: the address (or name), with anything a file system
 * might refuse replaced, and the extension.
 * @param {string} who @param {'pem' | 'cer'} ext
 */
export function certificateFileName(who, ext) {
  const base = who.replace(/[^\p{L}\p{N}@._+-]+/gu, '_').replace(/^[._]+/, '').slice(0, 80) || 'certificate';
  return `${base}.${ext}`;
}

/**
 * The two save links and how to use the file, for a certificate (base64 DER) of `who`.
 * @param {string} der64 @param {string} who
 */
export function certificateSave(der64, who) {
  /** @param {'pem' | 'cer'} ext @param {BlobPart} body @param {string} type @param {string} key */
  const link = (ext, body, type, key) => h('a', {
    className: 'cert-save-link',
    text: i18n(key),
    attrs: { href: URL.createObjectURL(new Blob([body], { type })), download: certificateFileName(who, ext) },
    data: { ext },
  });
  const der = /** @type {Uint8Array<ArrayBuffer>} */ (base64ToBytes(der64));
  return h('div', { className: 'cert-save' }, [
    h('span', { text: i18n('certSave') }), ' ',
    link('pem', pemOf(der64), 'application/x-pem-file', 'certSavePem'), ' ',
    link('cer', der, 'application/pkix-cert', 'certSaveCer'),
    h('details', { className: 'cert-howto' }, [
      h('summary', { text: i18n('certHowTo') }),
      h('ul', {}, ['certImportThunderbird', 'certImportOutlook', 'certImportAppleMail'].map((k) => h('li', { text: i18n(k) }))),
    ]),
  ]);
}
