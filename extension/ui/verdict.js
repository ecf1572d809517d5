// @ts-check
/**
 * Shows an S/MIME verdict (src/smime/verdict.rs `Verdict`) as text: a status line, what it
 * means for the reader, and the details in a disclosure. Every value from the message or its
 * certificates goes in through `textContent` (via `h`), never as markup.
 *
 * The wording comes from `_locales`: each reason kind has a summary and an explanation whose
 * English text is the core's own (`Reason::summary`, `Reason::explanation`). A kind this build
 * does not know yet (the core's `Reason` is non-exhaustive) shows the core's English text.
 */
import { i18n } from '../shared/ext.js';
import { camel, fingerprint, layerTexts, localised, NOTICE_WARNINGS, noticeTexts, verdictLook, verdictWords } from '../shared/words.js';
import { formatDate, h } from './components.js';

export { fingerprint, verdictWords };

/**
 * One certificate as the core shows it.
 * @typedef {{ subject: string, issuer: string, sha256: string, not_before?: string | null, not_after?: string | null }} CertSummary
 */

/**
 * The verdict the background returns for `inbox.verify`.
 * @typedef {{
 *   status: 'verified' | 'invalid' | 'not_verified',
 *   reason: ({ kind: string } & Record<string, unknown>) | null,
 *   summary: string,
 *   explanation: string,
 *   details: {
 *     checked_at?: string,
 *     signer?: { name: string, addresses: string[], certificate: CertSummary, certificate_der?: string, signing_time?: string | null, algorithms: string } | null,
 *     signers?: unknown[],
 *     chain?: CertSummary[],
 *     covered?: { part: string, content_type: string, signature_kind: string } | null,
 *     whole_message_covered?: boolean,
 *     from?: { name?: string | null, address: string }[],
 *     warnings?: ({ kind: string } & Record<string, unknown>)[],
 *     revocation_checked?: boolean,
 *     revocation?: { subject: string, status: { kind: string, source?: string, time?: string, reason?: string } }[],
 *     layers?: unknown[],
 *   },
 * }} Verdict
 */

/** The status line's label key and its icon (decorative: the label says the same in words). */
const STATUS = {
  verified: { key: 'verdictVerified', icon: '\u2713' },
  domain: { key: 'wmBadgeDomain', icon: '@' },
  invalid: { key: 'verdictInvalid', icon: '\u2717' },
  not_verified: { key: 'verdictNotVerified', icon: '!' },
  unsigned: { key: 'verdictUnsigned', icon: '\u2013' },
};

/** @type {Record<string, string[]>} */
const WARNING_FIELDS = {
  display_name_looks_like_address: ['name', 'address'],
  sender_differs_from_from: ['sender', 'from'],
  multiple_from_headers: ['count'],
  multiple_from_addresses: ['count'],
  other_signed_parts: ['parts'],
  certificate_profile: ['subject', 'rule'],
};

/** @param {Record<string, unknown>} data @param {string[] | undefined} fields */
function substitutions(data, fields) {
  return (fields ?? []).map((f) => {
    const v = data[f];
    return Array.isArray(v) ? v.join(', ') : String(v ?? '');
  });
}

/** An RFC 3339 time in the user's locale (the text as sent if it does not parse). @param {string} rfc3339 */
function when(rfc3339) {
  const t = Date.parse(rfc3339);
  return Number.isNaN(t) ? rfc3339 : formatDate(Math.floor(t / 1000));
}

/**
 * One warning as a sentence.
 * @param {{ kind: string } & Record<string, unknown>} w
 */
function warningText(w) {
  if (NOTICE_WARNINGS[w.kind]) return noticeTexts({ details: { warnings: [w] } })[0];
  return localised(`warn${camel(w.kind)}`, substitutions(w, WARNING_FIELDS[w.kind]), w.kind.replace(/_/g, ' '));
}

/**
 * The details disclosure, or null when the check found nothing to detail (an unsigned message).
 * @param {Verdict} v
 */
function detailsElement(v) {
  const d = v.details;
  const signer = d.signer ?? null;
  const chain = d.chain ?? [];
  /** @type {Node[]} */
  const rows = [];
  /** @param {string} key @param {string} field @param {(Node | string)[]} value */
  const row = (key, field, value) => rows.push(h('dt', { text: i18n(key) }), h('dd', { data: { field } }, value));
  if (signer) {
    row('verdictSigner', 'signer-name', [signer.name]);
    row('verdictSignerAddresses', 'signer-addresses', [signer.addresses.length ? signer.addresses.join(', ') : i18n('verdictNone')]);
    row('verdictFingerprint', 'fingerprint', [h('code', { className: 'fingerprint', text: fingerprint(signer.certificate.sha256) })]);
    row('verdictAlgorithms', 'algorithms', [signer.algorithms]);
    row('verdictSigningTime', 'signing-time', [signer.signing_time ? when(signer.signing_time) : i18n('verdictNone')]);
  }
  if (signer) row('verdictIssuer', 'issuer', [signer.certificate.issuer]);
  const layers = layerTexts(v);
  if (layers.length) row('verdictLayers', 'layers', [h('ol', { className: 'layers' }, layers.map((t) => h('li', { text: t })))]);
  if (chain.length) {
    // The core sends the validated path (signer first), or else the message's certificates in
    // the message's order: only the first is shown as a chain.
    const path = chain[0].sha256 === signer?.certificate.sha256 && chain.every((c, i) => i === 0 || chain[i - 1].issuer === c.subject);
    const list = h(path ? 'ol' : 'ul', { className: 'chain' }, chain.map((c) => h('li', { text: c.subject })));
    row(path ? 'verdictChain' : 'verdictCertificates', 'chain', [list]);
  }
  if (d.covered) {
    row('verdictCovered', 'covered', [
      i18n('verdictCoveredPart', [d.covered.part, d.covered.content_type]),
      ' ',
      i18n(d.whole_message_covered ? 'verdictWholeMessage' : 'verdictNotWholeMessage'),
    ]);
  }
  if (!rows.length && !d.warnings?.length) return null;
  if (d.from?.length) {
    row('verdictFrom', 'from', [d.from.map((m) => (m.name ? `${m.name} <${m.address}>` : m.address)).join(', ')]);
  }
  if (d.warnings?.length) {
    row('verdictWarnings', 'warnings', [h('ul', {}, d.warnings.map((w) => h('li', { text: warningText(w) })))]);
  }
  // Each certificate whose status is known (online revocation, or a CRL at hand).
  const known = /** @type {string[]} */ ((d.revocation ?? []).map(revocationLine).filter((t) => t !== null));
  row('verdictRevocation', 'revocation', [
    i18n(d.revocation_checked ? 'verdictRevocationChecked' : 'verdictRevocationNotChecked'),
    ...(known.length ? [h('ul', {}, known.map((t) => h('li', { text: t })))] : []),
  ]);
  if (d.checked_at) row('verdictCheckedAt', 'checked-at', [when(d.checked_at)]);
  return h('details', { className: 'verdict-details' }, [
    h('summary', { text: i18n('verdictDetails') }),
    h('dl', {}, rows),
  ]);
}

/**
 * One certificate's known revocation status as a line, or `null` when it is not known.
 * @param {{ subject: string, status: { kind: string, source?: string, time?: string, reason?: string } }} r
 * @returns {string | null}
 */
function revocationLine(r) {
  const s = r.status;
  if (s.kind === 'good') return i18n('verdictRevocationGood', [r.subject, String(s.source ?? '').toUpperCase()]);
  if (s.kind === 'revoked') return i18n('verdictRevocationRevoked', [r.subject, when(String(s.time ?? '')), s.reason ?? 'unspecified']);
  if (s.kind === 'unknown') return i18n('verdictRevocationUnknown', [r.subject]);
  return null;
}

/**
 * The verdict as a block of text. `data-status` and `data-reason` carry the machine values
 * (styling, tests); everything the reader sees is localised text.
 * @param {Verdict} v
 * @param {string} id a unique id prefix for the block's labelled parts
 * @param {unknown} [continuity] the sender's history note, if any (`verdictLook`)
 */
export function verdictElement(v, id, continuity) {
  const look = verdictLook(v, continuity);
  const status = STATUS[look] ?? STATUS.not_verified;
  const { summary, explanation } = verdictWords(v);
  const statusId = `${id}-status`;
  return h('section', {
    className: `verdict verdict-${look}`, id,
    attrs: { 'aria-labelledby': statusId },
    data: { status: v.status, reason: v.reason?.kind ?? '' },
  }, [
    h('p', { className: 'verdict-status', id: statusId }, [
      h('span', { className: 'verdict-icon', text: status.icon, attrs: { 'aria-hidden': 'true' } }),
      h('strong', { className: 'verdict-label', text: i18n(status.key) }),
      ' ',
      h('span', { className: 'verdict-summary', text: summary }),
    ]),
    ...noticeTexts(v).map((text) => h('p', { className: 'verdict-notice', data: { notice: '' }, text })),
    h('p', { className: 'verdict-explanation', text: explanation }),
    detailsElement(v),
  ]);
}
