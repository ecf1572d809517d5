// @ts-check
/**
 * The in-page verdict badge: one host element placed by the adapter next to the message header
 * (never inside the mail body), with a CLOSED shadow root, so the page's scripts cannot read
 * or change what it says, and its styles reset so the page's CSS cannot restyle it.
 *
 * It shows the status in plain words and the user's personal mark (a phrase and a colour only
 * the extension knows: a look-alike "verified" box drawn by a message or a page lacks it). A
 * click opens the details: signer, issuer chain, fingerprints, signing time, algorithm, the part
 * covered, and for anything not green the reason and what it means. The toolbar button, which
 * no page can draw on, shows the same verdict.
 *
 * DOM is built with `textContent` only; the words that come from the user's data (the personal
 * mark, the notes about the user's aliases and history) are drawn in canvases (mark.js).
 */
import { i18n } from '../../shared/ext.js';
import { composedParent, createElement, documentElement } from '../dom.js';
import { BADGE_PALETTE, darkSurface, paletteCss } from '../scheme.js';
import { MARK_BOX, NOTE_BOX, WARNING_BOX, createWords, paintMark, paintWords } from './mark.js';
import { fingerprint } from '../../shared/words.js';

/** Tag of the host element (a custom-element name, so `attachShadow` is allowed). */
const HOST_TAG = 'impalemail-verdict';
/** Most certificates listed in the details (the core caps chains at 10). */
const MAX_CHAIN_SHOWN = 10;

/**
 * @typedef {import('./index.js').FetchProblem} FetchProblem
 * @typedef {{ phrase: string, color: string } | null} Mark
 * @typedef {{ state: 'pending' }
 *   | { state: 'failed', problem: FetchProblem, mark: Mark }
 *   | { state: 'done', verdict: any, words: import('../../shared/words.js').BadgeWords, mark: Mark }} BadgeState
 * The words of a verdict come from the background (`badgeWords`, shared/words.js), in the user's
 * language: the verdict's wording stays out of the content script (its size budget).
 */

/** A verdict's icon and title by its look (`verdictLook`). @type {Record<string, string>} */
const ICON = { verified: '✓', domain: '@', invalid: '!', unsigned: '–', not_verified: '?' };
/** @type {Record<string, string>} */
const TITLE = { verified: 'wmBadgeVerified', domain: 'wmBadgeDomain', invalid: 'wmBadgeInvalid', unsigned: 'wmBadgeUnsigned', not_verified: 'wmBadgeNotVerified' };

const STYLE = `${paletteCss('.box', BADGE_PALETTE)}
:host { all: initial !important; display: block !important; margin: 6px 0 !important; contain: content; }
* { box-sizing: border-box; }
.box { font: 13px/1.4 system-ui, sans-serif; color: var(--fg); border: 2px solid var(--noneLine); border-radius: 6px;
  background: var(--noneBg); padding: 6px 10px; }
.box.verified { border-color: var(--okLine); background: var(--okBg); }
.box.invalid { border-color: var(--badLine); background: var(--badBg); }
.box.domain { border-color: var(--domLine); background: var(--domBg); }
.box.not_verified, .box.failed { border-color: var(--warnLine); background: var(--warnBg); }
.box.verified.noticed { border-color: var(--warnLine); border-style: dashed; }
.row { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
button.toggle { all: unset; cursor: pointer; display: flex; align-items: center; gap: 8px; flex: 1; min-width: 0; }
button.toggle:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
.icon { font-weight: 700; width: 1.4em; height: 1.4em; border-radius: 50%; color: #fff; display: inline-flex;
  align-items: center; justify-content: center; background: var(--iconNone); flex: none; }
.verified .icon { background: var(--iconOk); } .domain .icon { background: var(--iconDom); } .invalid .icon { background: var(--iconBad); }
.not_verified .icon, .failed .icon { background: var(--iconWarn); }
.title { font-weight: 700; } .summary { color: var(--soft); }
.mark { flex: none; } .mark[hidden], .words[hidden] { display: none; } .words { display: block; margin: 4px 0; }
.details { margin-top: 6px; border-top: 1px solid var(--line); padding-top: 6px; }
.details[hidden] { display: none; }
dl { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; }
dt { font-weight: 600; color: var(--soft); } dd { margin: 0; overflow-wrap: anywhere; }
.mono { font-family: ui-monospace, monospace; font-size: 12px; }
.note { margin: 4px 0; } .note[hidden] { display: none; } .warn { color: var(--warnText); font-weight: 600; }
ol { margin: 0; padding-left: 1.2em; }
.live { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
`;

/** @param {Document} doc @param {string} tag @param {string} [cls] @param {string} [text] */
function el(doc, tag, cls, text) {
  const e = createElement(doc, tag); // a mail's `<img name="createElement">` shadows the document's
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}


/**
 * Makes a badge (not yet in the page: the adapter places `host`).
 * @param {Document} doc
 * @returns {{ host: HTMLElement, show(state: BadgeState, quiet?: boolean): void }}
 * `show` paints the state; `quiet`: the screen reader is not told (it was, for this message).
 */
export function createBadge(doc) {
  const host = createElement(doc, HOST_TAG);
  const root = host.attachShadow({ mode: 'closed' });
  const style = el(doc, 'style');
  style.textContent = STYLE;
  const box = el(doc, 'div', 'box');
  // What a screen reader says, once, politely: the verdict's title and summary when it is
  // known (not "Checking…", not again when the adapter shows the same message again: `quiet`).
  const live = el(doc, 'p', 'live');
  live.setAttribute('role', 'status');
  live.setAttribute('aria-atomic', 'true');
  const row = el(doc, 'div', 'row');
  const toggle = /** @type {HTMLButtonElement} */ (el(doc, 'button', 'toggle'));
  toggle.type = 'button';
  toggle.setAttribute('aria-expanded', 'false');
  const icon = el(doc, 'span', 'icon');
  icon.setAttribute('aria-hidden', 'true');
  const title = el(doc, 'span', 'title');
  const summary = el(doc, 'span', 'summary');
  toggle.append(icon, title, summary);
  // The user's own words are pixels, not text (mark.js).
  const mark = createWords(doc, MARK_BOX, i18n('wmMarkExplain'));
  mark.className = 'mark';
  row.append(toggle, mark);
  // Warnings shown without a click: the message's own (text), then a changed certificate and
  // an alias that reached another site (the user's history and vault: pixels).
  const alert = el(doc, 'p', 'note warn');
  alert.hidden = true;
  const personal = createWords(doc, WARNING_BOX);
  personal.className = 'words';
  const details = el(doc, 'div', 'details');
  details.hidden = true;
  box.append(live, row, alert, personal, details);
  root.append(style, box);

  toggle.addEventListener('click', () => {
    details.hidden = !details.hidden;
    toggle.setAttribute('aria-expanded', String(!details.hidden));
  });

  return {
    host,
    show(state, quiet = false) {
      details.replaceChildren();
      alert.hidden = true;
      paintWords(personal, WARNING_BOX, '');
      const cls = state.state === 'done' ? state.words.look : state.state;
      // Light or dark as the page is where the badge was put (scheme.js).
      const view = doc.defaultView;
      const dark = !!view && host.isConnected && darkSurface(view, host, composedParent, documentElement(doc));
      box.className = `box ${cls}${dark ? ' dark' : ''}`;
      if (state.state === 'pending') {
        icon.textContent = '…';
        title.textContent = i18n('wmBadgeChecking');
        summary.textContent = '';
        return;
      }
      paintMark(mark, state.mark, dark);
      const say = () => { if (!quiet) live.textContent = `${title.textContent}. ${summary.textContent}`; };
      if (state.state === 'failed') {
        icon.textContent = '?';
        title.textContent = i18n('wmBadgeFailed');
        summary.textContent = i18n(`wmProblem_${state.problem}`);
        details.append(el(doc, 'p', 'note', i18n('wmFailedMeaning')));
        say();
        return;
      }
      const v = state.verdict;
      const w = state.words;
      icon.textContent = ICON[cls] ?? '?';
      title.textContent = i18n(TITLE[cls] ?? 'wmBadgeNotVerified');
      summary.textContent = w.summary;
      say();
      // Warnings the reader must see without a click: the message's own notices (text), then a
      // changed certificate and an alias that reached someone other than the site it was made
      // for (the user's history and vault: pixels). Which site an alias belongs to goes in the
      // details. A green verdict with a notice (a name the certificate does not carry, replies
      // going elsewhere) is not plain green: its border says so too.
      if (w.notices.length && cls === 'verified') box.classList.add('noticed');
      if (w.notices.length) {
        alert.hidden = false;
        alert.textContent = w.notices.join(' ');
      }
      paintWords(personal, WARNING_BOX, w.personal.join(' '), '', dark);
      for (const t of w.aliasNotes) {
        const note = createWords(doc, NOTE_BOX);
        note.className = 'words';
        paintWords(note, NOTE_BOX, t, '', dark);
        details.append(note);
      }
      renderDetails(doc, details, v, w);
    },
  };
}

/**
 * @param {Document} doc @param {HTMLElement} into @param {any} v the verdict (src/smime/verdict.rs)
 * @param {import('../../shared/words.js').BadgeWords} w its words
 */
function renderDetails(doc, into, v, w) {
  if (v.status !== 'verified') {
    into.append(el(doc, 'p', 'note', `${i18n('wmDetailWhy')}: ${w.summary}`));
    into.append(el(doc, 'p', 'note', `${i18n('wmDetailMeaning')}: ${w.explanation}`));
  } else {
    into.append(el(doc, 'p', 'note', w.explanation));
  }
  for (const t of w.warnings) into.append(el(doc, 'p', 'note warn', t));
  const dl = el(doc, 'dl');
  /** @param {string} key @param {string | Node} value @param {string} [cls] */
  const add = (key, value, cls) => {
    const dd = el(doc, 'dd', cls);
    if (typeof value === 'string') dd.textContent = value; else dd.append(value);
    dl.append(el(doc, 'dt', undefined, i18n(key)), dd);
  };
  const s = v.details?.signer;
  if (s) {
    const who = [s.name, ...(Array.isArray(s.addresses) ? s.addresses : [])].filter(Boolean).join(' · ');
    add('wmDetailSigner', who);
    add('wmDetailIssuer', String(s.certificate?.issuer ?? ''));
    add('wmDetailFingerprint', fingerprint(s.certificate?.sha256), 'mono');
    if (s.certificate?.not_before || s.certificate?.not_after) {
      add('wmDetailValidity', `${s.certificate?.not_before ?? '?'} – ${s.certificate?.not_after ?? '?'}`);
    }
    if (s.signing_time) add('wmDetailSigningTime', String(s.signing_time));
    add('wmDetailAlgorithm', String(s.algorithms ?? ''));
  }
  const layers = w.layers;
  if (layers.length) {
    const ol = el(doc, 'ol');
    for (const t of layers) ol.append(el(doc, 'li', undefined, t));
    add('wmDetailLayers', ol);
  }
  const chain = Array.isArray(v.details?.chain) ? v.details.chain.slice(0, MAX_CHAIN_SHOWN) : [];
  if (chain.length) {
    const ol = el(doc, 'ol');
    for (const c of chain) {
      const li = el(doc, 'li');
      li.append(el(doc, 'div', undefined, String(c.subject ?? '')), el(doc, 'div', 'mono', fingerprint(c.sha256)));
      ol.append(li);
    }
    add('wmDetailChain', ol);
  }
  const cov = v.details?.covered;
  if (cov) {
    const whole = v.details?.whole_message_covered ? i18n('wmCoveredWhole') : i18n('wmCoveredPart');
    add('wmDetailCovered', `${whole} (${i18n('wmPart')} ${cov.part}, ${cov.content_type}, ${cov.signature_kind})`);
  }
  if (v.details?.checked_at) add('wmDetailCheckedAt', String(v.details.checked_at));
  into.append(dl);
  into.append(el(doc, 'p', 'note', i18n('wmMarkExplain')));
}
