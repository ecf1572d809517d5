// @ts-check
/**
 * The list of webmail sites where messages are checked, with the form that adds one, built
 * into `#webmail-sites`: the options page and the welcome page show the same list. Every
 * change goes through the background (`webmail.*`).
 */
import { i18n, send } from '../shared/ext.js';
import { byId, formatDate, h, showError } from './components.js';

/** @typedef {{ origin: string, adapter: string }} WebmailSite */
/** @typedef {import('../background/webmail.js').SiteResult} SiteResult */
/** @typedef {{ builtin: WebmailSite[], user: WebmailSite[], results?: Record<string, SiteResult> }} Sites */

/**
 * How the last check on a site went, in the user's words: worked at …, failed at … and why.
 * @param {SiteResult | undefined} r
 */
function lastResult(r) {
  const t = r ? Date.parse(r.at) : NaN;
  if (!r || Number.isNaN(t)) return h('span', { className: 'help site-result', text: i18n('optWebmailNoCheck') });
  const when = formatDate(Math.floor(t / 1000));
  if (r.ok) return h('span', { className: 'help site-result', data: { result: 'ok' }, text: i18n('optWebmailLastOk', [when]) });
  const why = `${i18n(`wmProblem_${r.problem}`)}${r.status ? ` (HTTP ${r.status})` : ''}`;
  return h('span', { className: 'help site-result warning', data: { result: 'failed' }, text: i18n('optWebmailLastFailed', [when, why]) });
}

/** @param {Sites} sites */
function renderSites(sites) {
  const name = (/** @type {string} */ a) => /** @type {Record<string, string>} */ (ADAPTER_NAMES)[a] ?? a;
  const result = (/** @type {WebmailSite} */ s) => lastResult(sites.results?.[s.origin]);
  byId('webmail-list').replaceChildren(
    ...sites.builtin.map((s) => h('li', { data: { origin: s.origin } }, [`${s.origin} — ${name(s.adapter)} `, h('span', { className: 'help', text: i18n('optWebmailBuiltin') }), ' ', result(s)])),
    ...sites.user.map((s) => h('li', { data: { origin: s.origin } }, [`${s.origin} — ${name(s.adapter)} `, result(s), ' ', h('button', {
      type: 'button', className: 'danger', text: i18n('optRootRemove'),
      attrs: { 'aria-label': i18n('optWebmailRemove', [s.origin]) },
      on: {
        click: async () => {
          const r = await send({ type: 'webmail.disableSite', origin: s.origin });
          showError(byId('webmail-error'), r.ok ? null : r.error);
          if (r.ok) renderSites({ ...sites, user: /** @type {WebmailSite[]} */ (r.value) });
        },
      },
    })])),
  );
}

/** The adapters a user can pick for a site of their own, with their names. */
const ADAPTER_NAMES = { roundcube: 'Roundcube', sogo: 'SOGo', gmail: 'Gmail', outlook: 'Outlook', owa: 'Exchange (OWA)', horde: 'Horde IMP', zimbra: 'Zimbra', nextcloud: 'Nextcloud Mail', ox: 'OX App Suite', snappymail: 'SnappyMail' };

/** Builds the list, the form and its error line into `#webmail-sites`. */
function build() {
  const origin = h('input', { type: 'url', id: 'webmail-origin', placeholder: 'https://mail.example.org', autocomplete: 'off', spellcheck: false });
  const adapter = h('select', { id: 'webmail-adapter' }, Object.entries(ADAPTER_NAMES).map(([value, text]) => h('option', { value, text })));
  byId('webmail-sites').replaceChildren(
    h('ul', { id: 'webmail-list', className: 'site-list' }),
    h('form', { id: 'webmail-form', className: 'inline', noValidate: true }, [
      h('label', { htmlFor: 'webmail-origin', className: 'visually-hidden', text: i18n('optWebmailOrigin') }),
      origin,
      h('label', { htmlFor: 'webmail-adapter', className: 'visually-hidden', text: i18n('optWebmailKind') }),
      adapter,
      h('button', { type: 'submit', text: i18n('optWebmailAdd') }),
    ]),
    h('p', { id: 'webmail-error', className: 'error', hidden: true, attrs: { role: 'alert' } }),
  );
}

/** Shows the sites and wires the form that adds one. */
export async function startSites() {
  build();
  const got = await send({ type: 'webmail.sites' });
  if (!got.ok) {
    showError(byId('webmail-error'), got.error);
    return;
  }
  let sites = /** @type {Sites} */ (got.value);
  renderSites(sites);
  byId('webmail-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = /** @type {HTMLInputElement} */ (byId('webmail-origin'));
    let origin = '';
    try {
      origin = new URL(input.value.trim()).origin;
    } catch {
      /* below */
    }
    if (!/^https?:\/\//.test(origin)) {
      showError(byId('webmail-error'), { name: 'BadInput', message: i18n('optWebmailBadOrigin') });
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    input.removeAttribute('aria-invalid');
    const adapter = /** @type {HTMLSelectElement} */ (byId('webmail-adapter')).value;
    const r = await send({ type: 'webmail.enableSite', origin, adapter });
    showError(byId('webmail-error'), r.ok ? null : r.error);
    if (!r.ok) return;
    sites = { ...sites, user: /** @type {WebmailSite[]} */ (r.value) };
    renderSites(sites);
    input.value = '';
  });
}

