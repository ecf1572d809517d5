// @ts-check
/**
 * "Sync across your devices" (issue #25), a section of its own on the options page and the
 * welcome page (`<section id="sync-section" data-page="options|welcome">`): off until the user
 * turns it on; then the sync code in groups of four and as a QR code, the last result, how
 * much of the browser's sync space is used, whether provider API keys travel (a box of its own,
 * off by default, `sync.keys`), "Sync now" and the off switch. Joining takes a
 * typed code. Every change goes through the background (`sync.on`, `sync.off`, `sync.now`,
 * `sync.status`, background/sync.js); the privacy note says in plain words what the browser
 * vendor sees.
 */
import { i18n, send } from '../shared/ext.js';
import { errorText, formatDate, h } from './components.js';
import { qrSvg } from './qr.js';

/**
 * @typedef {{ on: boolean, keys?: boolean, code: string | null, quota: number, bytes?: number, at?: number,
 *   nearlyFull?: boolean, leftOut?: number, error?: { name: string, message: string, variant?: string } | null }} Status
 */

/** The locale key of each sync error the user can meet, by error name or core variant. */
const ERROR_KEYS = /** @type {Record<string, string>} */ ({
  CodeTypo: 'syncErrTypo',
  CodeLength: 'syncErrLength',
  CodeCharacter: 'syncErrLength',
  WrongCode: 'syncErrWrongCode',
  SyncInUse: 'syncErrInUse',
  SyncFull: 'syncErrFull',
  SyncStorageFull: 'syncErrStorageFull',
  SyncBusy: 'syncErrBusy',
});

/** An error in the page's language where there are words for it, else the background's. @param {{ name: string, message: string, variant?: string }} e */
function errorWords(e) {
  const key = ERROR_KEYS[e.variant ?? ''] ?? ERROR_KEYS[e.name];
  const words = key ? i18n(key) : '';
  return words && words !== key ? words : errorText(e);
}

/**
 * Draws the section, with `error` (the last action's) under it.
 * @param {HTMLElement} section @param {{ name: string, message: string, variant?: string } | null} [error]
 */
async function render(section, error = null) {
  const reply = await send({ type: 'sync.status' });
  const heading = h('h2', { id: 'h-sync', text: i18n('syncHeading') });
  const privacy = h('p', { className: 'help', id: 'sync-privacy', text: i18n('syncPrivacy') });
  /** @param {{ type: string } & Record<string, unknown>} message */
  const act = async (message) => {
    const r = await send(message);
    const value = r.ok ? /** @type {{ error?: { name: string, message: string } | null }} */ (r.value) : null;
    await render(section, r.ok ? value?.error ?? null : r.error);
  };
  const errorBox = h('p', { id: 'sync-error', className: 'error', role: 'alert', hidden: !error, text: error ? errorWords(error) : '' });
  if (!reply.ok) {
    section.replaceChildren(heading, privacy, h('p', { className: 'error', role: 'alert', text: errorText(reply.error) }));
    return;
  }
  const s = /** @type {Status} */ (reply.value);
  if (!s.on || !s.code) {
    const code = h('input', { type: 'text', id: 'sync-join-code', autocomplete: 'off', spellcheck: false, attrs: { 'aria-describedby': 'sync-error', inputmode: 'text' } });
    /** @type {(Node | null)[]} */
    const children = [
      heading,
      privacy,
      h('p', { className: 'help', text: i18n('syncOffHelp') }),
      h('div', { className: 'inline' }, [
        h('button', { type: 'button', id: 'sync-on', className: 'primary', text: i18n('syncTurnOn'), on: { click: () => void act({ type: 'sync.on' }) } }),
      ]),
      h('form', { id: 'sync-join', className: 'field', on: { submit: (/** @type {Event} */ e) => { e.preventDefault(); void act({ type: 'sync.on', code: code.value }); } } }, [
        h('label', { htmlFor: 'sync-join-code', text: i18n('syncJoinLabel') }),
        h('div', { className: 'inline' }, [code, h('button', { type: 'submit', id: 'sync-join-button', text: i18n('syncJoin') })]),
      ]),
      errorBox,
    ];
    if (error?.name === 'SyncInUse') {
      children.push(h('div', { className: 'preview', id: 'sync-start-over' }, [
        h('p', { className: 'help', text: i18n('syncStartOverHelp') }),
        h('button', { type: 'button', id: 'sync-start-over-button', text: i18n('syncStartOver'), on: { click: () => void act({ type: 'sync.on', replace: true }) } }),
      ]));
    }
    section.replaceChildren(...children.filter((c) => c !== null));
    return;
  }
  const groups = s.code.split('-');
  const used = Math.round(((s.bytes ?? 0) / s.quota) * 100);
  /** @type {(Node | null)[]} */
  const children = [
    heading,
    h('p', { id: 'sync-state', text: i18n('syncOnCode') }),
    h('p', { className: 'sync-code', id: 'sync-code', attrs: { 'aria-label': groups.join(' ') } }, groups.flatMap((g, i) => [i ? ' ' : '', h('span', { text: g })])),
    h('div', { className: 'sync-qr', id: 'sync-qr' }, [qrSvg(s.code, { label: i18n('syncQrLabel') })]),
    privacy,
    h('p', { className: 'help', id: 'sync-last', text: s.at ? i18n('syncLastAt', [formatDate(Math.floor(s.at / 1000)), String(used)]) : '' }),
    s.nearlyFull ? h('p', { className: 'error', id: 'sync-nearly-full', role: 'status', text: i18n('syncNearlyFull') }) : null,
    s.leftOut ? h('p', { className: 'help', id: 'sync-left-out', text: i18n('syncLeftOut', [String(s.leftOut)]) }) : null,
    // Off by default: the keys travel only when the user says so, on this device.
    h('div', { className: 'field check' }, [
      h('input', {
        type: 'checkbox', id: 'sync-keys', checked: s.keys === true, attrs: { 'aria-describedby': 'sync-keys-help' },
        on: { change: (/** @type {Event} */ e) => void act({ type: 'sync.keys', on: /** @type {HTMLInputElement} */ (e.target).checked }) },
      }),
      h('label', { htmlFor: 'sync-keys', text: i18n('syncKeys') }),
    ]),
    h('p', { className: 'help', id: 'sync-keys-help', text: i18n('syncKeysHelp') }),
    errorBox,
    h('div', { className: 'inline' }, [
      h('button', { type: 'button', id: 'sync-now', text: i18n('syncNow'), on: { click: () => void act({ type: 'sync.now' }) } }),
      h('button', { type: 'button', id: 'sync-off', text: i18n('syncTurnOff'), on: { click: () => void act({ type: 'sync.off' }) } }),
    ]),
    h('p', { className: 'help', text: i18n('syncOffNote') }),
  ];
  if (!error && s.error) errorBox.replaceChildren(errorWords(s.error));
  errorBox.hidden = !error && !s.error;
  section.replaceChildren(...children.filter((c) => c !== null));
}

const section = document.getElementById('sync-section');
if (section) void render(section);
