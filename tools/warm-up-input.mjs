#!/usr/bin/env node
// Writes extension/background/warm-up-input.js, the message the background checks to ready the
// S/MIME check before a webmail message arrives (background/smime.js `warmUp`), from the test
// fixtures it is made of. Run it when those fixtures change; tests/js/warm-up.test.mjs says when.
//
//   node tools/warm-up-input.mjs
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const MAIL = 'tests/fixtures/smime/generated/001.eml';
const ROOT_PEM = 'tests/fixtures/smime/pki/root.pem';
/** 2027-01-01T00:00:00Z, when the fixtures' expected verdicts are checked. */
const NOW = 1798761600;

/** The warm-up module's text for `mail` and `rootDer`. @param {Buffer} mail @param {Buffer} rootDer */
export function warmUpModule(mail, rootDer) {
  /** @param {Buffer} b */
  const lines = (b) => (b.toString('base64').match(/.{1,96}/g) ?? []).map((l) => `  '${l}'`).join(' +\n');
  return `// @ts-check
/**
 * What the background checks to ready the S/MIME check before a message arrives (\`smime.js\`
 * \`warmUp\`): the test suite's \`${MAIL}\` (a 4 KB RSA-2048 detached
 * signature of the project's own test PKI, signer and intermediate in the CMS) and that PKI's
 * root (\`${ROOT_PEM}\`, DER), checked at 2027-01-01. The root is given to that
 * one check only, as its own trust anchor: it is never trusted for a message. Written by
 * \`node tools/warm-up-input.mjs\` (\`tests/js/warm-up.test.mjs\` checks that it matches the fixtures
 * and that the check comes out verified).
 */

/** The message, base64. */
export const WARM_UP_MAIL_B64 =
${lines(mail)};

/** Its root, DER in base64. */
export const WARM_UP_ROOT_B64 =
${lines(rootDer)};

/** When it is checked (seconds since 1970): inside every certificate's validity. */
export const WARM_UP_NOW = ${NOW};
`;
}

/** The fixtures, read. */
export function fixtures() {
  const mail = fs.readFileSync(path.join(ROOT, MAIL));
  const rootDer = Buffer.from(new crypto.X509Certificate(fs.readFileSync(path.join(ROOT, ROOT_PEM))).raw);
  return { mail, rootDer };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { mail, rootDer } = fixtures();
  fs.writeFileSync(path.join(ROOT, 'extension/background/warm-up-input.js'), warmUpModule(mail, rootDer));
}
