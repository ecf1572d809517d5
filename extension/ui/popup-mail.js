// @ts-check
/**
 * The popup's S/MIME part: the verdict of the message the current tab's webmail shows (the
 * background kept it when it drew the toolbar badge), the offer to turn checks on for a webmail
 * the extension recognised but may not run on yet, and the check of a message file the user
 * chooses or drops on the popup (`.eml`, or a bare `.p7m`).
 *
 * A file is read here, sent to the background as base64, checked by the core and forgotten:
 * nothing of it is stored.
 *
 * Which tab is "the current tab": as for the aliases (popup.js), the active tab; when this
 * page runs in a tab of its own (the end-to-end tests), `?tab=<id>` names it.
 */
import { activeTab, extensionVersion, getURL, i18n, reloadTab, runsInTab, send } from '../shared/ext.js';
import { markColor } from '../shared/mark.js';
import { aliasUseText, continuityText } from '../shared/words.js';
import { blobToBase64 } from '../shared/base64.js';
import { byId, h, showError } from './components.js';
import { certificateSave } from './cert-files.js';
import { verdictElement } from './verdict.js';
import { browserName, reportText } from './report.js';

/** Largest file checked, bytes (the background's MAX_WEBMAIL_MESSAGE_BYTES). */
export const MAX_FILE_BYTES = 25 * 1024 * 1024;

/** @typedef {import('./verdict.js').Verdict} Verdict */
/** @typedef {import('../shared/words.js').AliasUse} AliasUse */

/**
 * The tab the popup acts for, and its origin when the popup may see it: the active tab, or
 * `?tab=` when this page is a tab itself (its origin is then unknown).
 * @returns {Promise<{ id: number, origin: string | null } | null>}
 */
async function currentTab() {
  const tab = await activeTab().catch(() => null);
  if ((await runsInTab()) || (tab?.url && tab.url.startsWith(getURL('')))) {
    const id = Number(new URLSearchParams(location.search).get('tab'));
    return Number.isInteger(id) && id >= 0 ? { id, origin: null } : null;
  }
  if (!tab) return null;
  let origin = null;
  try {
    origin = tab.url ? new URL(tab.url).origin : null;
  } catch {
    /* no URL */
  }
  return { id: tab.id, origin };
}

/**
 * A verdict with the notes that go with it: the personal mark (so the reader learns what the
 * in-page badge must show), the continuity note, and the aliases the message was sent to.
 * @param {Verdict} verdict @param {string} id @param {{ continuity?: any, aliases?: AliasUse[], mark?: { phrase: string, color: string } | null }} extra
 */
function verdictBlock(verdict, id, { continuity = null, aliases = [], mark = null }) {
  const notes = [];
  if (continuity) notes.push(h('p', { className: 'warning', attrs: { role: 'alert' }, text: continuityText(continuity) }));
  for (const a of aliases) {
    notes.push(h('p', { className: a.other_sender ? 'warning' : 'note', data: { alias: a.alias, leak: String(a.other_sender) }, text: aliasUseText(a) }));
  }
  const block = verdictElement(verdict, id, continuity);
  if (mark) {
    const chip = h('span', { className: 'mark', text: mark.phrase });
    chip.style.background = markColor(mark.color);
    block.append(h('p', { className: 'note mark-note' }, [i18n('popupMarkIs'), ' ', chip]));
  }
  const signer = verdict.details?.signer;
  if (verdict.status === 'verified' && signer?.certificate_der) {
    block.append(certificateSave(signer.certificate_der, signer.addresses[0] ?? signer.name));
  }
  return h('div', {}, [...notes, block]);
}

/**
 * A failed check: what failed, in the user's words, and the report to copy for a bug report.
 * @param {{ problem: string, report?: import('../background/webmail.js').Report }} view
 */
function failedBlock(view) {
  const text = reportText(view, { version: extensionVersion(), browser: browserName(navigator.userAgent) });
  const status = h('span', { className: 'visually-hidden', attrs: { role: 'status' } });
  const button = h('button', { type: 'button', id: 'mail-copy-report', text: i18n('popupCopyReport') });
  const preview = h('pre', { id: 'mail-report', className: 'report', text });
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = i18n('popupReportCopied');
      button.textContent = i18n('popupReportCopied');
    } catch {
      // No clipboard (a policy, an old browser): the text is selected for the user to copy.
      window.getSelection()?.selectAllChildren(preview);
    }
  });
  return h('div', {}, [
    h('p', { className: 'warning', text: `${i18n('wmBadgeFailed')}: ${i18n(`wmProblem_${view.problem}`)}` }),
    h('p', { className: 'note', text: i18n('popupReportHelp') }),
    button,
    status,
    h('details', {}, [h('summary', { text: i18n('popupReportShow') }), preview]),
  ]);
}

/** The current tab's webmail verdict, or the offer to turn checks on there. */
async function renderTab() {
  const section = byId('mail-section');
  const slot = byId('mail-verdict');
  const offer = byId('mail-offer');
  const tab = await currentTab();
  if (tab === null) return;
  const id = tab.id;
  const [got, mark] = await Promise.all([send({ type: 'webmail.tabVerdict', tabId: id }), send({ type: 'webmail.personalMark' })]);
  const view = got.ok ? /** @type {any} */ (got.value) : null;
  if (view && view.state !== 'none') {
    section.hidden = false;
    if (view.state === 'pending') slot.replaceChildren(h('p', { className: 'note', text: i18n('wmBadgeChecking') }));
    else if (view.state === 'failed') slot.replaceChildren(failedBlock(view));
    else slot.replaceChildren(verdictBlock(view.verdict, 'mail-verdict-block', { continuity: view.continuity, aliases: view.aliases ?? [], mark: mark.ok ? /** @type {any} */ (mark.value) : null }));
    return;
  }
  const detected = await send({ type: 'webmail.tabDetected', tabId: id });
  const d = detected.ok ? /** @type {{ origin: string, adapter: string } | null} */ (detected.value) : null;
  // Recognised on a page this tab has since left: nothing to offer.
  if (!d || (tab.origin !== null && tab.origin !== d.origin)) return;
  section.hidden = false;
  offer.hidden = false;
  byId('mail-offer-text').textContent = i18n('popupMailOffer', [d.origin]);
  const button = /** @type {HTMLButtonElement} */ (byId('mail-enable'));
  button.onclick = async () => {
    button.disabled = true;
    const r = await send({ type: 'webmail.enableSite', origin: d.origin, adapter: d.adapter });
    if (!r.ok) {
      button.disabled = false;
      showError(byId('mail-error'), r.error);
      return;
    }
    byId('mail-offer-text').textContent = i18n('popupMailEnabled', [d.origin]);
    button.hidden = true;
    await reloadTab(id).catch(() => {});
  };
}


/** `p7m` for a bare signed-data file, `eml` for a message. @param {File} file */
export function fileKind(file) {
  return /\.(p7m|p7c|p7s)$/i.test(file.name) || /pkcs7/i.test(file.type) ? 'p7m' : 'eml';
}

/** Checks one file and shows its verdict. @param {File} file */
async function checkFile(file) {
  const slot = byId('file-result');
  const status = byId('file-status');
  const errorBox = byId('file-error');
  showError(errorBox, null);
  slot.replaceChildren();
  /** @type {HTMLDetailsElement} */ (byId('file-check')).open = true;
  if (file.size === 0) {
    showError(errorBox, { name: 'BadFile', message: i18n('fileEmpty', [file.name]) });
    return;
  }
  if (file.size > MAX_FILE_BYTES) {
    showError(errorBox, { name: 'TooLarge', message: i18n('fileTooLarge', [file.name, String(Math.round(MAX_FILE_BYTES / 1024 / 1024))]) });
    return;
  }
  status.textContent = i18n('fileChecking', [file.name]);
  const raw = await blobToBase64(file).catch(() => null);
  if (raw === null) {
    status.textContent = '';
    showError(errorBox, { name: 'BadFile', message: i18n('fileUnreadable', [file.name]) });
    return;
  }
  const reply = await send({ type: 'smime.checkFile', raw, kind: fileKind(file) });
  status.textContent = '';
  if (!reply.ok) {
    showError(errorBox, reply.error);
    return;
  }
  const { verdict, aliases } = /** @type {{ verdict: Verdict, aliases: AliasUse[] }} */ (reply.value);
  slot.replaceChildren(h('p', { className: 'note file-name', text: file.name }), verdictBlock(verdict, 'file-verdict-block', { aliases }));
  status.textContent = i18n('fileChecked', [file.name]);
}

/** Asks the background to ready the check, once per popup: a file is probably coming. */
let readied = false;
function ready() {
  if (readied) return;
  readied = true;
  send({ type: 'smime.ready' }).catch(() => {});
}

/** Wires the file chooser and drag-and-drop onto the whole popup. */
function wireFileCheck() {
  const input = /** @type {HTMLInputElement} */ (byId('file-input'));
  byId('file-check').addEventListener('toggle', () => {
    if (/** @type {HTMLDetailsElement} */ (byId('file-check')).open) ready();
  });
  input.addEventListener('click', ready);
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) checkFile(file);
    input.value = '';
  });
  const zone = byId('file-drop');
  document.addEventListener('dragover', (e) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    ready();
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    zone.classList.add('dragging');
  });
  document.addEventListener('dragleave', (e) => { if (e.target === document.documentElement || e.target === zone) zone.classList.remove('dragging'); });
  document.addEventListener('drop', (e) => {
    zone.classList.remove('dragging');
    const files = e.dataTransfer?.files;
    if (!files || files.length === 0) return;
    e.preventDefault();
    if (files.length > 1) {
      showError(byId('file-error'), { name: 'BadFile', message: i18n('fileOneAtATime') });
      return;
    }
    checkFile(files[0]);
  });
}

/** Starts the S/MIME part of the popup. */
export function startMail() {
  wireFileCheck();
  renderTab().catch((e) => showError(byId('mail-error'), { name: 'Error', message: String(e?.message ?? e) }));
}
