// The messages the webmail infrastructure tests (roundcube-infra, sogo-infra) put in the test
// INBOX: plain, trailing white space, bare LF, and a multipart/signed with a dummy signature.
import crypto from 'node:crypto';

/** Lines joined with CRLF, ending in CRLF. @param {string[]} lines */
export const crlf = (lines) => lines.map((l) => `${l}\r\n`).join('');

/** 600 fixed pseudo-random bytes as 76-column base64: a stand-in for a CMS blob (not a real signature). */
function dummyP7s() {
  const chunks = [];
  for (let i = 0; chunks.length * 32 < 600; i++) chunks.push(crypto.createHash('sha256').update(`impalemail-dummy-p7s-${i}`).digest());
  const b64 = Buffer.concat(chunks).subarray(0, 600).toString('base64');
  return b64.match(/.{1,76}/g) ?? [];
}

/** The test messages, by file name (sorted order = UID order). */
export const INFRA_MESSAGES = {
  '01-plain.eml': Buffer.from(crlf([
    'Date: Tue, 03 Mar 2026 10:00:00 +0000',
    'From: Bob Plain <bob@example.test>',
    'To: testuser@example.test',
    'Subject: Plain test message',
    'Message-ID: <infra-plain-0001@example.test>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 7bit',
    '',
    'Hello, this is a plain message.',
    'Second line.',
  ])),
  // CRLF throughout, with trailing spaces, a trailing tab and a blank-only line: the bytes a
  // signature covers, which Roundcube's reformatted view would change.
  '02-trailing-whitespace.eml': Buffer.from(crlf([
    'Date: Tue, 03 Mar 2026 10:01:00 +0000',
    'From: Carol Blanks <carol@example.test>',
    'To: testuser@example.test',
    'Subject: Trailing white space   ',
    'Message-ID: <infra-blanks-0002@example.test>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'This line ends with three spaces   ',
    'This line ends with a tab\t',
    '   ',
    'Last line.',
  ])),
  // Bare LF line ends (and trailing blanks). IMAP sends messages with CRLF line ends (RFC 3501
  // section 2.2), so Dovecot turns each bare LF into CRLF: this one comes back CRLF-normalised.
  '03-lf-only.eml': Buffer.from([
    'Date: Tue, 03 Mar 2026 10:02:00 +0000',
    'From: Dave Unix <dave@example.test>',
    'To: testuser@example.test',
    'Subject: LF only',
    'Message-ID: <infra-lf-0003@example.test>',
    '',
    'Written with bare LF line ends.  ',
    'Tab at the end:\t',
    '',
  ].join('\n')),
  '04-multipart-signed.eml': Buffer.from(crlf([
    'Date: Tue, 03 Mar 2026 10:03:00 +0000',
    'From: Alice Sender <alice@example.test>',
    'To: testuser@example.test',
    'Subject: Multipart/signed with a dummy signature',
    'Message-ID: <infra-signed-0004@example.test>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg="sha-256"; boundary="----B0UNDARY"',
    '',
    'This is an S/MIME signed message',
    '',
    '------B0UNDARY',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 7bit',
    '',
    'Signed text. The next line ends with a tab:\t',
    'Bye.',
    '',
    '------B0UNDARY',
    'Content-Type: application/pkcs7-signature; name="smime.p7s"',
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="smime.p7s"',
    '',
    ...dummyP7s(),
    '',
    '------B0UNDARY--',
  ])),
};

/** What IMAP delivers for a stored file: bare LF become CRLF, everything else unchanged. @param {Buffer} b */
export const imapCanonical = (b) => Buffer.from(b.toString('latin1').replace(/(?<!\r)\n/g, '\r\n'), 'latin1');
