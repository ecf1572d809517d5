// @ts-check
/**
 * The words of a verdict (S/MIME's, or DKIM's when it is the one shown: `kind: 'dkim'`,
 * background/dkim.js) in the user's language, for every place that shows one: the
 * popup and its file check (`ui/verdict.js`), the in-page badge (`content/webmail/badge.js`)
 * and the toolbar tooltip (`background/webmail.js`). One table, so the three never disagree.
 *
 * `_locales` has a summary and an explanation per reason kind (`reason<Kind>`,
 * `explain<Kind>`), whose English text is the core's own (`Reason::summary`,
 * `Reason::explanation` in src/smime/verdict.rs). A kind this build does not know yet (the
 * core's `Reason` is non-exhaustive) shows the core's English text.
 */
import { i18n } from './ext.js';

/**
 * The data fields each reason kind puts into its sentence, in placeholder order.
 * @type {Record<string, string[]>}
 */
export const REASON_FIELDS = {
  invalid_certificate: ['what'],
  weak_algorithm: ['what'],
  partially_signed: ['part'],
  unsupported: ['what'],
  malformed: ['what'],
  limit_exceeded: ['which'],
  inner_signer_not_sender: ['signer'],
};

/** `snake_case` or `kebab-case` to `CamelCase`, for locale keys. @param {string} kind */
export const camel = (kind) => kind.replace(/(^|[_-])([a-z])/g, (_, __, c) => c.toUpperCase());

/**
 * A localised string, or `fallback` when this build's locales lack `key` (or there are no
 * locales, as in the Node tests).
 * @param {string} key @param {string[]} subs @param {string} fallback
 */
export function localised(key, subs, fallback) {
  let text = '';
  try {
    text = i18n(key, subs);
  } catch {
    /* no i18n API */
  }
  return text && text !== key ? text : fallback;
}

/**
 * How a verdict looks (badge colour and icon): its status, except that a message with no
 * signature at all, from a sender with no signed history here, is `unsigned`: grey, with no
 * warning. Most mail is unsigned, and amber on all of it would teach people to ignore amber.
 * Unsigned mail from a sender whose earlier mail was signed stays amber (the continuity note
 * says why).
 * @param {{ status: string, reason?: { kind?: unknown } | null }} v @param {unknown} [continuity]
 * @returns {'verified' | 'domain' | 'invalid' | 'not_verified' | 'unsigned'}
 */
export function verdictLook(v, continuity) {
  // DKIM's green is about a domain, never a person: its own look (background/dkim.js).
  if (v.status === 'verified' && /** @type {any} */ (v).kind === 'dkim') return 'domain';
  if (v.status === 'verified' || v.status === 'invalid') return v.status;
  return v.reason?.kind === 'unsigned' && !continuity ? 'unsigned' : 'not_verified';
}

/**
 * The summary and explanation in the user's language.
 * @param {{ status: string, reason: ({ kind: string } & Record<string, unknown>) | null, summary: string, explanation: string, details?: any }} v
 */
export function verdictWords(v) {
  const summary = String(v.summary ?? '');
  const explanation = String(v.explanation ?? '');
  if (/** @type {any} */ (v).kind === 'dkim') return dkimWords(/** @type {any} */ (v));
  if (v.status === 'verified') {
    const who = String(v.details?.signer?.addresses?.[0] ?? '');
    return {
      summary: localised('verdictVerifiedSummary', [who], summary),
      explanation: localised('explainVerified', [], explanation),
    };
  }
  const kind = typeof v.reason?.kind === 'string' ? v.reason.kind : '';
  if (!kind || !v.reason) return { summary, explanation };
  const reason = v.reason;
  const subs = (REASON_FIELDS[kind] ?? []).map((f) => {
    const x = reason[f];
    return Array.isArray(x) ? x.join(', ') : String(x ?? '');
  });
  const name = camel(kind);
  return { summary: localised(`reason${name}`, subs, summary), explanation: localised(`explain${name}`, [], explanation) };
}

/**
 * The data fields each DKIM reason kind (src/dkim/verdict.rs `DkimReason`) puts into its
 * sentence (`dkimReason<Kind>`), in placeholder order.
 * @type {Record<string, string[]>}
 */
export const DKIM_REASON_FIELDS = {
  several_from: ['count'],
  expired: ['at'],
  weak: ['what'],
  not_aligned: ['signer', 'from'],
  malformed: ['what'],
  unsupported: ['what'],
};

/** Which explanation (`dkimExplain<Name>`) each DKIM reason kind has, as the core groups them. @type {Record<string, string>} */
const DKIM_EXPLAIN = {
  unsigned: 'None', no_from: 'None', several_from: 'SeveralFrom', body_changed: 'Changed', header_changed: 'Changed',
  text_added: 'TextAdded', not_aligned: 'NotAligned', from_not_signed: 'FromNotSigned',
};

/**
 * A DKIM verdict's words: green names the domain whose servers sent it, never a person; red
 * (a failure under the From domain's DMARC reject or quarantine policy) says what the domain asks.
 * @param {{ status: string, reason: any, summary: string, explanation: string, signing_domain?: string,
 *   from_domain?: string, dmarc_policy?: string }} v
 */
function dkimWords(v) {
  if (v.status === 'verified') {
    const d = String(v.signing_domain ?? '');
    return { summary: localised('dkimVerifiedSummary', [d], v.summary), explanation: localised('dkimExplainVerified', [d], v.explanation) };
  }
  const kind = String(v.reason?.kind ?? '');
  const subs = (DKIM_REASON_FIELDS[kind] ?? []).map((f) => String(v.reason?.[f] ?? ''));
  const summary = localised(`dkimReason${camel(kind)}`, subs, v.summary);
  const policy = v.status === 'invalid' && (v.dmarc_policy === 'reject' || v.dmarc_policy === 'quarantine') ? v.dmarc_policy : null;
  const explanation = policy
    ? localised(`dkimExplainPolicy${camel(policy)}`, [String(v.from_domain ?? '')], v.explanation)
    : localised(`dkimExplain${DKIM_EXPLAIN[kind] ?? 'Other'}`, [], v.explanation);
  return { summary, explanation };
}

/**
 * The continuity note: an address's earlier messages came with another certificate.
 * @param {{ kind: string, address: string, first_seen: string, previous_issuer: string }} c
 */
export function continuityText(c) {
  const subs = [String(c.address), String(c.first_seen), String(c.previous_issuer)];
  switch (c.kind) {
    case 'issuer_changed':
      return localised('wmContinuityIssuerChanged', subs, `Earlier messages from ${subs[0]} (since ${subs[1]}) were signed by a certificate from another authority (${subs[2]}).`);
    case 'no_longer_signed':
      return localised('wmContinuityNoLongerSigned', subs, `Earlier messages from ${subs[0]} (since ${subs[1]}) were signed; this one is not.`);
    default:
      return localised('wmContinuityKeyChanged', subs, `Earlier messages from ${subs[0]} (since ${subs[1]}) were signed with a different certificate.`);
  }
}

/**
 * One of the user's aliases received the message.
 * @typedef {{ alias: string, site: string | null, label: string | null, state: string,
 *   sender_site: string | null, other_sender: boolean }} AliasUse
 */

/**
 * What to say about an alias the message was sent to: the site it was made for, and a warning
 * when the sender belongs to another site.
 * @param {AliasUse} a
 */
export function aliasUseText(a) {
  if (a.other_sender) {
    return localised('wmAliasLeak', [a.alias, a.site ?? '', a.sender_site ?? ''],
      `Sent to your alias ${a.alias}, which you made for ${a.site}, but the sender is ${a.sender_site}: the address may have leaked or been sold.`);
  }
  if (a.site) return localised('wmAliasFor', [a.alias, a.site], `Sent to your alias ${a.alias}, which you made for ${a.site}.`);
  return localised('wmAliasNoSite', [a.alias], `Sent to your alias ${a.alias}.`);
}

/** A SHA-256 in the usual fingerprint form: upper-case byte pairs joined by colons. @param {string} hex */
export function fingerprint(hex) {
  return (String(hex ?? '').toUpperCase().match(/[0-9A-F]{2}/g) ?? []).join(':');
}

/**
 * Warnings the reader must see on the verdict itself (the badge's line under the status and
 * the popup's), not only in the details: each kind's data fields in placeholder order
 * (`warn<Kind>` in `_locales`). A green verdict with one of these does not look plain green.
 * @type {Record<string, string[]>}
 */
export const NOTICE_WARNINGS = {
  display_name_not_signer: ['name', 'address', 'certificate_name'],
  reply_to_elsewhere: ['reply_to', 'signer'],
  date_far_from_signing_time: ['date', 'signing_time'],
  outer_signer_not_sender: ['signer'],
  revocation_not_checked: ['subject'],
};

/**
 * The verdict's notices (`NOTICE_WARNINGS`) as sentences in the user's language.
 * @param {{ details?: { warnings?: unknown } }} v
 * @returns {string[]}
 */
export function noticeTexts(v) {
  const warnings = Array.isArray(v.details?.warnings) ? v.details.warnings : [];
  /** @type {string[]} */
  const out = [];
  for (const w of warnings) {
    const fields = NOTICE_WARNINGS[w?.kind];
    if (!fields) continue;
    const subs = fields.map((f) => String(w[f] ?? '')).map((x) => (w.kind === 'date_far_from_signing_time' ? localTime(x) : x));
    // A certificate that names no person has its own sentence.
    const key = w.kind === 'display_name_not_signer' && !subs[2] ? 'warnDisplayNameNotSignerNoName' : `warn${camel(w.kind)}`;
    out.push(localised(key, subs, `${w.kind.replace(/_/g, ' ')}: ${subs.filter(Boolean).join(', ')}`));
  }
  return out;
}

/**
 * Each signature layer of a message whose signatures are nested (`details.layers`, outermost
 * first) as one line: who signed, with what, and that layer's result.
 * @param {{ details?: { layers?: unknown } }} v
 * @returns {string[]}
 */
export function layerTexts(v) {
  const layers = Array.isArray(v.details?.layers) ? v.details.layers : [];
  return layers.map((l) => {
    const s = l?.signer;
    const who = s ? String(s.addresses?.[0] ?? s.name ?? '') : '?';
    const result = l?.outcome
      ? verdictWords({ status: 'invalid', reason: l.outcome, summary: String(l.outcome.kind ?? '').replace(/_/g, ' '), explanation: '' }).summary
      : localised('layerValid', [], 'valid');
    return localised('layerLine', [who, String(s?.algorithms ?? ''), result], `${who} (${s?.algorithms ?? ''}): ${result}`);
  });
}

/** An RFC 3339 time as the user's locale writes it (the text as sent if it does not parse). @param {string} rfc3339 */
function localTime(rfc3339) {
  const t = Date.parse(rfc3339);
  return Number.isNaN(t) ? rfc3339 : new Date(t).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * A warning of the verdict's details as a sentence, or null for a kind shown elsewhere (the
 * notices) or unknown to this build.
 * @param {any} w
 */
export function detailWarningText(w) {
  switch (w?.kind) {
    case 'display_name_looks_like_address': return i18n('wmWarnDisplayName', [String(w.name), String(w.address)]);
    case 'sender_differs_from_from': return i18n('wmWarnSender', [String(w.sender), String(w.from)]);
    case 'multiple_from_headers': return i18n('wmWarnMultipleFrom');
    case 'multiple_from_addresses': return i18n('wmWarnMultipleFrom');
    case 'no_from_address': return i18n('wmWarnNoFrom');
    case 'signing_time_outside_validity': return i18n('wmWarnSigningTime');
    case 'other_signed_parts': return i18n('wmWarnOtherParts');
    case 'certificate_profile': return i18n('wmWarnCertificateProfile', [String(w.subject), String(w.rule)]);
    default: return null;
  }
}

/**
 * What the in-page badge says about a verdict, in the user's language: made by the background
 * and sent with the verdict, so that this wording (and its tables) is not part of the content
 * script. `personal` are the notes from the user's own history and vault (a changed
 * certificate, an alias that reached another sender), which the badge draws as pixels;
 * `aliasNotes` the other aliases' notes (which site an alias was made for), in its details.
 * @typedef {{ look: string, summary: string, explanation: string, notices: string[], personal: string[],
 *   aliasNotes: string[], warnings: string[], layers: string[] }} BadgeWords
 * @param {{ status: string, reason: any, summary: string, explanation: string, details?: any }} verdict
 * @param {any} continuity @param {AliasUse[]} aliases
 * @returns {BadgeWords}
 */
export function badgeWords(verdict, continuity, aliases) {
  const w = verdictWords(verdict);
  const warnings = Array.isArray(verdict.details?.warnings) ? verdict.details.warnings : [];
  return {
    look: verdictLook(verdict, continuity),
    summary: w.summary,
    explanation: w.explanation,
    notices: noticeTexts(verdict),
    personal: [...(continuity ? [continuityText(continuity)] : []), ...aliases.filter((a) => a.other_sender).map(aliasUseText)],
    aliasNotes: aliases.filter((a) => !a.other_sender).map(aliasUseText),
    warnings: /** @type {string[]} */ (warnings.map(detailWarningText).filter(Boolean)),
    layers: layerTexts(verdict),
  };
}
