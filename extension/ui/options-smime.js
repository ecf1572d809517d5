// @ts-check
/**
 * The options page's S/MIME sections: the personal mark the in-page badge shows, the
 * authorities trusted for signed mail (Mozilla's built-in ones, and the user's own, imported
 * with a preview of exactly what will be trusted), and the webmail sites where messages are
 * checked. Every change goes through the background (`trust.*`, `webmail.*`).
 */
import { i18n, requestHostPermissions, send } from '../shared/ext.js';
import { MARK_COLORS } from '../shared/mark.js';
import { blobToBase64 } from '../shared/base64.js';
import { certificateSave } from './cert-files.js';
import { byId, formatDate, h, showError } from './components.js';
import { startDkimDns } from './dkim-dns.js';
import { startSites } from './webmail-sites.js';

/** Largest certificate file read (bytes; the background refuses more too). */
export const MAX_ROOT_FILE_BYTES = 1 << 20;

/**
 * @typedef {{ subject: string, common_name: string | null, issuer: string, fingerprint_sha256: string,
 *   not_before: number, not_after: number, is_ca: boolean, self_issued: boolean, serial: string }} RootInfo
 */

// ------------------------------------------------------------------ personal mark

/** @param {{ phrase: string, color: string }} m */
function showMark(m) {
  const preview = byId('mark-preview');
  preview.textContent = m.phrase;
  preview.style.background = m.color;
  /** @type {HTMLInputElement} */ (byId('mark-phrase')).value = m.phrase;
  const select = /** @type {HTMLSelectElement} */ (byId('mark-color'));
  if (![...select.options].some((o) => o.value === m.color)) select.append(h('option', { value: m.color, text: m.color }));
  select.value = m.color;
}

async function startMark() {
  const select = /** @type {HTMLSelectElement} */ (byId('mark-color'));
  MARK_COLORS.forEach((c, i) => {
    const o = h('option', { value: c, text: i18n('optMarkColorN', [String(i + 1)]) });
    o.style.background = c;
    o.style.color = '#fff';
    select.append(o);
  });
  const got = await send({ type: 'webmail.personalMark' });
  if (got.ok) showMark(/** @type {any} */ (got.value));
  const save = async (/** @type {string} */ phrase, /** @type {string} */ color) => {
    const r = await send({ type: 'webmail.setPersonalMark', phrase, color });
    showError(byId('mark-error'), r.ok ? null : r.error);
    if (!r.ok) return;
    showMark(/** @type {any} */ (r.value));
    byId('mark-status').textContent = i18n('optMarkSaved');
  };
  byId('mark-form').addEventListener('submit', (e) => {
    e.preventDefault();
    save(/** @type {HTMLInputElement} */ (byId('mark-phrase')).value, select.value);
  });
  select.addEventListener('change', () => { byId('mark-preview').style.background = select.value; });
  byId('mark-random').addEventListener('click', async () => {
    const r = await send({ type: 'webmail.randomPersonalMark' });
    showError(byId('mark-error'), r.ok ? null : r.error);
    if (!r.ok) return;
    showMark(/** @type {any} */ (r.value));
    byId('mark-status').textContent = i18n('optMarkSaved');
  });
}

// ------------------------------------------------------------------ roots

/** One certificate as a list item. @param {RootInfo} c @param {HTMLElement[]} [extra] */
function certItem(c, extra = []) {
  const now = Date.now() / 1000;
  const warnings = [];
  if (!c.is_ca) warnings.push(i18n('optRootNotCa'));
  if (!c.self_issued) warnings.push(i18n('optRootNotSelfIssued'));
  if (c.not_after < now) warnings.push(i18n('optRootExpired'));
  return h('li', { data: { fingerprint: c.fingerprint_sha256 } }, [
    h('strong', { text: c.common_name ?? c.subject }),
    h('div', { text: i18n('optRootSubject', [c.subject]) }),
    h('div', { text: i18n('optRootIssuer', [c.issuer]) }),
    h('div', { text: i18n('optRootValidity', [formatDate(c.not_before), formatDate(c.not_after)]) }),
    h('div', { className: 'fp', text: `SHA-256 ${c.fingerprint_sha256}` }),
    ...warnings.map((w) => h('div', { className: 'warn', text: w })),
    ...extra,
  ]);
}

/** @param {RootInfo[]} user */
function renderRoots(user) {
  const list = byId('roots-list');
  list.replaceChildren(...user.map((c) => certItem(c, [h('button', {
    type: 'button', className: 'danger', text: i18n('optRootRemove'),
    attrs: { 'aria-label': i18n('optRootRemoveNamed', [c.common_name ?? c.subject]) },
    on: { click: () => removeRoot(c) },
  })])));
  byId('roots-empty').hidden = user.length > 0;
}

/** @param {RootInfo} c */
async function removeRoot(c) {
  const r = await send({ type: 'trust.removeRoot', fingerprint: c.fingerprint_sha256 });
  showError(byId('roots-error'), r.ok ? null : r.error);
  if (!r.ok) return;
  renderRoots(/** @type {RootInfo[]} */ (r.value));
  byId('roots-status').textContent = i18n('optRootRemoved', [c.common_name ?? c.subject]);
}


async function startRoots() {
  const got = await send({ type: 'trust.roots' });
  if (!got.ok) {
    showError(byId('roots-error'), got.error);
    return;
  }
  const { builtin, user } = /** @type {{ builtin: { version: string, count: number }, user: RootInfo[] }} */ (got.value);
  byId('roots-builtin').textContent = i18n('optRootsBuiltin', [String(builtin.count), builtin.version]);
  renderRoots(user);

  const input = /** @type {HTMLInputElement} */ (byId('roots-file'));
  const preview = byId('roots-preview');
  const confirm = /** @type {HTMLButtonElement} */ (byId('roots-confirm'));
  /** @type {{ file: string, fingerprints: string[] } | null} */
  let pending = null;
  const close = () => { preview.hidden = true; pending = null; };
  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    input.value = '';
    close();
    showError(byId('roots-error'), null);
    byId('roots-status').textContent = '';
    if (!file) return;
    if (file.size === 0 || file.size > MAX_ROOT_FILE_BYTES) {
      showError(byId('roots-error'), { name: 'BadFile', message: i18n('optRootsBadSize', [file.name]) });
      return;
    }
    const b64 = await blobToBase64(file);
    const r = await send({ type: 'trust.inspect', file: b64 });
    if (!r.ok) {
      showError(byId('roots-error'), { name: r.error.name, message: i18n('optRootsUnreadable', [file.name, r.error.message]) });
      return;
    }
    const certs = /** @type {RootInfo[]} */ (r.value);
    pending = { file: b64, fingerprints: certs.map((c) => c.fingerprint_sha256) };
    byId('roots-preview-list').replaceChildren(...certs.map((c) => certItem(c)));
    confirm.textContent = i18n('optRootsConfirm', [String(certs.length)]);
    preview.hidden = false;
    confirm.focus();
  });
  byId('roots-cancel').addEventListener('click', () => { close(); input.focus(); });
  confirm.addEventListener('click', async () => {
    if (!pending) return;
    const r = await send({ type: 'trust.addRoots', ...pending });
    if (!r.ok) {
      showError(byId('roots-error'), r.error);
      return;
    }
    const n = pending.fingerprints.length;
    close();
    renderRoots(/** @type {RootInfo[]} */ (r.value));
    byId('roots-status').textContent = i18n('optRootsAdded', [String(n)]);
  });
}

// ------------------------------------------------------------------ signers seen

/**
 * A signer remembered for key continuity (`smime.seen`).
 * @typedef {{ address: string, name: string, issuer: string, sha256: string, first_seen: string, der: string | null }} SeenSigner
 */

/** @param {SeenSigner[]} list */
function renderSeen(list) {
  byId('seen-list').replaceChildren(...list.map((s) => {
    const t = Date.parse(s.first_seen);
    return h('li', { data: { address: s.address } }, [
      h('strong', { text: s.address }),
      s.name ? h('div', { text: s.name }) : null,
      h('div', { text: i18n('optRootIssuer', [s.issuer]) }),
      Number.isNaN(t) ? null : h('div', { text: i18n('optSeenFirst', [formatDate(Math.floor(t / 1000))]) }),
      h('div', { className: 'fp', text: `SHA-256 ${s.sha256}` }),
      s.der ? certificateSave(s.der, s.address) : h('div', { className: 'help', text: i18n('optSeenNoCertificate') }),
      h('button', {
        type: 'button', className: 'danger', text: i18n('optSeenForget'),
        attrs: { 'aria-label': i18n('optSeenForgetNamed', [s.address]) },
        on: { click: () => forgetSigner(s.address) },
      }),
    ]);
  }));
  byId('seen-empty').hidden = list.length > 0;
}

/** @param {string} address */
async function forgetSigner(address) {
  const r = await send({ type: 'smime.forgetSigner', address });
  showError(byId('seen-error'), r.ok ? null : r.error);
  if (!r.ok) return;
  renderSeen(/** @type {SeenSigner[]} */ (r.value));
  byId('seen-status').textContent = i18n('optSeenForgotten', [address]);
}

async function startSeen() {
  const got = await send({ type: 'smime.seenSigners' });
  showError(byId('seen-error'), got.ok ? null : got.error);
  if (got.ok) renderSeen(/** @type {SeenSigner[]} */ (got.value));
}

// ------------------------------------------------------------------ online revocation

/** The host permissions the online check needs (`background/revocation.js`). */
const REVOCATION_ORIGINS = ['http://*/*', 'https://*/*'];

async function startRevocation() {
  const radios = /** @type {HTMLInputElement[]} */ ([...document.querySelectorAll('input[name="revocation"]')]);
  const show = (/** @type {string} */ mode) => { for (const r of radios) r.checked = r.value === mode; };
  const got = await send({ type: 'smime.revocation' });
  show(got.ok ? /** @type {any} */ (got.value).mode : 'off');
  for (const radio of radios) {
    // `click` (fired too when the keyboard selects a radio): the browsers show a permission
    // prompt only within a user action, and a click is one in both.
    radio.addEventListener('click', () => {
      const mode = radio.value;
      // Asked in the click's own turn: the browsers want a user gesture.
      const allowed = mode === 'off' ? Promise.resolve(true) : requestHostPermissions(REVOCATION_ORIGINS);
      allowed.then(async (ok) => {
        const status = byId('revocation-status');
        if (!ok) {
          show('off');
          await send({ type: 'smime.setRevocation', mode: 'off' });
          status.textContent = i18n('optRevocationDenied');
          return;
        }
        const r = await send({ type: 'smime.setRevocation', mode });
        showError(byId('revocation-error'), r.ok ? null : r.error);
        status.textContent = r.ok ? i18n('optRevocationSaved') : '';
      });
    });
  }
}

Promise.all([startMark(), startRoots(), startRevocation(), startDkimDns(), startSites(), startSeen()]).finally(() => { document.body.dataset.smimeReady = '1'; });
