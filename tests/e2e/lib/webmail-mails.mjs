// The nine messages of the webmail end-to-end tests (webmail-roundcube, webmail-sogo): what
// each one is and what the toolbar must say for it, and the test CA's root the user trusts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './harness.mjs';
import { crlf } from './infra-messages.mjs';

/** The S/MIME fixtures the messages come from. */
export const FIX = path.join(ROOT, 'tests/fixtures/smime');

/** The test CA's root as base64 DER, the form `trust.userRoots` keeps. */
export const ROOT_B64 = fs.readFileSync(path.join(FIX, 'pki/root.pem'), 'utf8')
  .replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');

/** An unsigned HTML mail "from Alice" that draws a look-alike green verified box in its body. */
const FAKE_BADGE_MAIL = crlf([
  'Date: Wed, 04 Mar 2026 09:00:00 +0000',
  'From: Alice Example <alice@example.com>',
  'To: testuser@example.test',
  'Subject: Fake verified badge',
  'Message-ID: <webmail-fake-badge-0009@example.com>',
  'MIME-Version: 1.0',
  'Content-Type: text/html; charset=utf-8',
  'Content-Transfer-Encoding: 7bit',
  '',
  '<html><body>',
  '<div style="border:2px solid #1a7f37;background:#e9f7ee;border-radius:6px;padding:6px 10px;font:13px sans-serif">',
  '<b style="background:#1a7f37;color:#fff;border-radius:50%;padding:0 5px">&#10003;</b>',
  ' <b>Signature verified</b> Signed by alice@example.com; the message is unchanged.</div>',
  '<p>Please pay invoice 4711 to IBAN XX00 1234 today.</p>',
  '</body></html>',
]);

/**
 * The mailbox, in UID order, and what the toolbar must say for each message. `title` is a piece
 * of the tooltip (the core's summary), `continuity` a piece of the continuity note or null.
 * @type {{ file: string, from?: string, bytes?: string, badge: string, title: string, continuity: string | null }[]}
 */
export const MAILS = [
  { file: '01-valid.eml', from: 'generated/001.eml', badge: '✓', title: 'Signed by alice@example.com; the message is unchanged.', continuity: null },
  { file: '02-tampered.eml', from: 'generated/016.eml', badge: '!', title: 'The message was changed after it was signed.', continuity: null },
  { file: '03-wrong-sender.eml', from: 'attacks/i1-from-not-signer.eml', badge: '?', title: 'signed by someone other than the sender shown', continuity: 'were signed with a different certificate' },
  { file: '04-expired.eml', from: 'generated/021.eml', badge: '!', title: "The signer's certificate has expired.", continuity: 'were signed with a different certificate' },
  { file: '05-untrusted.eml', from: 'attacks/c4-untrusted-ca.eml', badge: '?', title: 'not issued by an authority you trust', continuity: 'from another authority' },
  { file: '06-opaque.eml', from: 'generated/010.eml', badge: '✓', title: 'Signed by alice@example.com; the message is unchanged.', continuity: null },
  { file: '07-partial.eml', from: 'attacks/m1-prepended-text.eml', badge: '?', title: 'Only part of the message is signed (part 2.1).', continuity: null },
  { file: '08-unsigned.eml', from: 'generated/022.eml', badge: '?', title: 'The message is not signed.', continuity: 'were signed; this one is not' },
  { file: '09-fake-badge.eml', bytes: FAKE_BADGE_MAIL, badge: '?', title: 'The message is not signed.', continuity: 'were signed; this one is not' },
];

/**
 * A new temporary folder with the nine messages as `.eml` files (CRLF, as IMAP hands them out).
 * @returns {string}
 */
export function writeMailDir() {
  const mailDir = fs.mkdtempSync(path.join(os.tmpdir(), 'impalemail-wm-mail-'));
  writeMails(mailDir);
  return mailDir;
}

/** Writes MAILS into the folder `mailDir`, each under its file name. @param {string} mailDir */
export function writeMails(mailDir) {
  for (const m of MAILS) {
    const bytes = m.bytes !== undefined ? Buffer.from(m.bytes) : fs.readFileSync(path.join(FIX, /** @type {string} */ (m.from)));
    // IMAP hands out CRLF (RFC 3501 §2.2): only CRLF files come back byte for byte.
    assert.ok(!/(?<!\r)\n/.test(bytes.toString('latin1')), `${m.file} must have CRLF line ends`);
    fs.writeFileSync(path.join(mailDir, m.file), bytes);
  }
}
