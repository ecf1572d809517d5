// @ts-check
/**
 * DKIM and DMARC (issue #21) in the background: the core's `DkimJob` names the TXT records it
 * needs, `dns.js` asks the user's DNS-over-HTTPS resolver, and the RSA maths goes to WebCrypto
 * through the same driver as S/MIME (`verify-job.js`). Ed25519 is checked in the core.
 *
 * One verdict, strongest first (`strongest`): S/MIME's person-level verdict whenever the message
 * carries an S/MIME signature; otherwise, when the user turned DNS lookups on, DKIM's
 * domain-level one ("sent through example.com's mail servers; the text is unchanged"), which
 * never names a person; otherwise S/MIME's "not signed". DKIM runs only in that middle case: an
 * S/MIME-signed message never costs a DNS query. Key continuity is not kept for DKIM (domains
 * rotate their keys as a matter of course), so nothing of a DKIM check is stored.
 */
import { call } from './core.js';
import { answerQueries, dnsSettings, resolverOf } from './dns.js';
import { runJob } from './verify-job.js';

/**
 * @typedef {{ status: string, reason: ({ kind: string } & Record<string, unknown>) | null, summary: string,
 *   explanation: string, details?: any, kind?: 'dkim', signing_domain?: string | null }} AnyVerdict
 */

/**
 * The DKIM verdict of `raw` at `now`, its DNS answered by `resolver` (a DoH URL).
 * @param {Uint8Array} raw @param {number} now unix seconds @param {string} resolver
 * @param {import('./dns.js').FetchLike} [fetchImpl]
 * @returns {Promise<AnyVerdict>}
 */
export async function dkimAt(raw, now, resolver, fetchImpl) {
  const job = await call((c) => new c.DkimJob(raw, now));
  try {
    const queries = /** @type {{ name: string }[]} */ (await call(() => job.dnsQueries()));
    const answers = await answerQueries(resolver, queries, now, fetchImpl);
    await call(() => job.setDns(answers));
  } catch (e) {
    job.free();
    throw e;
  }
  return /** @type {Promise<AnyVerdict>} */ (runJob(job, raw, crypto.subtle, (fn) => call(() => fn())));
}

/**
 * The DKIM verdict for a message S/MIME found unsigned, when the user turned the lookups on;
 * null otherwise (and when the check could not finish: the S/MIME verdict stands then).
 * @param {AnyVerdict} smime @param {Uint8Array} raw
 * @returns {Promise<AnyVerdict | null>}
 */
export async function dkimFor(smime, raw) {
  if (smime.status !== 'not_verified' || smime.reason?.kind !== 'unsigned') return null;
  const settings = await dnsSettings();
  if (!settings.on) return null;
  try {
    return await dkimAt(raw, Math.floor(Date.now() / 1000), resolverOf(settings));
  } catch {
    return null;
  }
}

/**
 * The one verdict shown: S/MIME's, unless it found no signature and DKIM found one. The DKIM
 * verdict is marked `kind: 'dkim'` (the words and the badge's look follow it) and keeps the
 * S/MIME check's `details` (the From and To addresses, the header warnings), which are about
 * the message, not its signature.
 * @param {AnyVerdict} smime @param {AnyVerdict | null} dkim
 * @returns {AnyVerdict}
 */
export function strongest(smime, dkim) {
  if (!dkim || dkim.reason?.kind === 'unsigned') return smime;
  return { ...dkim, kind: 'dkim', details: smime.details ?? {} };
}

/**
 * The domain the alias-leak note compares with an alias's site: the DKIM-aligned signing
 * domain when DKIM verified it (the only domain the message proves), else null (the From
 * address's, which anyone can write).
 * @param {AnyVerdict} shown
 */
export function provenDomain(shown) {
  const d = shown.signing_domain;
  return shown.kind === 'dkim' && shown.status === 'verified' && typeof d === 'string' ? d : null;
}
