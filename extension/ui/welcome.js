// @ts-check
/**
 * The welcome page: opened once on install (background.js) and from the popup. It says what
 * the two jobs are, saves how addresses are made (the temporary inbox with its lifetime, an
 * alias service, or the user's own domain or address), lets the user try the alias button
 * right here, shows the personal mark, and lists the webmail sites that are checked. Every
 * change goes through the background, like the options page's.
 */
import { i18n, openOptionsPage, send } from '../shared/ext.js';
import { markColor } from '../shared/mark.js';
import { GENERATORS, byId, h, settingsErrorField, showError } from './components.js';
import { localize } from './i18n.js';
import { startDkimDns } from './dkim-dns.js';
import { startSites } from './webmail-sites.js';

/** The provider id of the no-account temporary inbox. */
const TEMPORARY_INBOX = 'mailtm';
/**
 * The page the "try it" alias is made for: a name under `.example` (RFC 2606), so the vault
 * shows where it was made and no real site is ever named.
 */
export const TRY_URL = 'https://welcome.impalemail.example/';
/** Which setting each of "your own" generators needs, and its label's locale key. */
const OWN_FIELD = /** @type {Record<string, { field: 'catch_all_domain' | 'own_address' | 'subdomain', label: string }>} */ ({
  'catch-all': { field: 'catch_all_domain', label: 'optCatchAll' },
  'per-site': { field: 'catch_all_domain', label: 'optCatchAll' },
  plus: { field: 'own_address', label: 'optOwnAddress' },
  subdomain: { field: 'subdomain', label: 'optSubdomain' },
});

/** @typedef {import('./components.js').SettingsView} SettingsView */
/** @typedef {import('./components.js').ProviderInfo} ProviderInfo */

/** @type {{ view: SettingsView | null, providers: ProviderInfo[] }} */
const state = { view: null, providers: [] };

/** @param {string} id @returns {HTMLSelectElement} */
const select = (id) => /** @type {HTMLSelectElement} */ (byId(id));
/** @param {string} id @returns {HTMLInputElement} */
const input = (id) => /** @type {HTMLInputElement} */ (byId(id));

/** The chosen way of making addresses. */
function chosenKind() {
  return /** @type {HTMLInputElement | null} */ (document.querySelector('input[name="kind"]:checked'))?.value ?? 'temporary';
}

/** Shows the label and value of the chosen "your own" generator. */
function showOwnField() {
  const own = OWN_FIELD[select('own-kind').value] ?? OWN_FIELD['catch-all'];
  byId('own-value-label').textContent = i18n(own.label);
  input('own-value').value = state.view?.[own.field] ?? '';
}

/** Fills the form from the settings view. @param {SettingsView} v */
function fill(v) {
  state.view = v;
  const d = v.default_generator;
  const kind = d === TEMPORARY_INBOX ? 'temporary' : OWN_FIELD[d] ? 'own' : 'service';
  input(`kind-${kind}`).checked = true;
  if ([...select('lifetime').options].some((o) => o.value === v.default_lifetime.kind)) select('lifetime').value = v.default_lifetime.kind;
  if (kind === 'service') select('service').value = d;
  if (kind === 'own') select('own-kind').value = d;
  showOwnField();
}

/**
 * The settings to save for the chosen way, or what the user must do first.
 * @returns {{ settings: SettingsView } | { openSection: string } | { fieldError: string }}
 */
function collect() {
  const v = /** @type {SettingsView} */ (state.view);
  const kind = chosenKind();
  if (kind === 'temporary') {
    const providers = v.providers.some((p) => p.provider === TEMPORARY_INBOX)
      ? v.providers.map((p) => (p.provider === TEMPORARY_INBOX ? { ...p, enabled: true } : p))
      : [...v.providers, { provider: TEMPORARY_INBOX, enabled: true }];
    return { settings: { ...v, default_generator: TEMPORARY_INBOX, default_lifetime: { kind: select('lifetime').value }, providers } };
  }
  if (kind === 'service') {
    const id = select('service').value;
    const info = state.providers.find((p) => p.id === id);
    const account = v.providers.find((p) => p.provider === id);
    const ready = account?.enabled && (!info?.capabilities.needs_key || account.has_key) && (!info?.capabilities.needs_domain || account.domain);
    // A service needs its key (and the browser's permission for its host): that is the
    // options page's card, which asks for both.
    if (!ready) return { openSection: `provider-${id}` };
    return { settings: { ...v, default_generator: id } };
  }
  const gen = select('own-kind').value;
  const own = OWN_FIELD[gen];
  const value = input('own-value').value.trim();
  if (!own || !value) return { fieldError: i18n('welcomeOwnMissing') };
  return { settings: { ...v, [own.field]: value, default_generator: gen } };
}

/** Saves the choice; says what happened in plain words. @param {SubmitEvent} e */
async function onSave(e) {
  e.preventDefault();
  const status = byId('source-status');
  const error = byId('own-value-error');
  error.hidden = true;
  input('own-value').removeAttribute('aria-invalid');
  const got = collect();
  if ('openSection' in got) {
    status.textContent = i18n('welcomeServiceFinish');
    await openOptionsPage(got.openSection);
    return;
  }
  if ('fieldError' in got) {
    error.textContent = got.fieldError;
    error.hidden = false;
    input('own-value').setAttribute('aria-invalid', 'true');
    input('own-value').focus();
    return;
  }
  status.textContent = i18n('optSaving');
  const reply = await send({ type: 'settings.set', settings: got.settings });
  if (!reply.ok) {
    // The core names the setting it refused; the person sees only what is wrong with it.
    status.textContent = '';
    error.textContent = settingsErrorField(reply.error).message;
    error.hidden = false;
    input('own-value').setAttribute('aria-invalid', 'true');
    input('own-value').focus();
    return;
  }
  fill(/** @type {SettingsView} */ (reply.value));
  status.textContent = i18n('welcomeSaved');
}

/** "Try it here": a real alias from the saved source, filled into both fields. */
async function onTry() {
  const button = /** @type {HTMLButtonElement} */ (byId('try-new'));
  const status = byId('try-status');
  button.disabled = true;
  status.textContent = i18n('formsCreating');
  const reply = await send({ type: 'alias.create', url: TRY_URL });
  button.disabled = false;
  if (!reply.ok) {
    status.textContent = '';
    showError(status, reply.error, () => void openOptionsPage());
    status.hidden = false;
    return;
  }
  const record = /** @type {{ id: string, address: string }} */ (reply.value);
  input('try-email').value = record.address;
  input('try-confirm').value = record.address;
  status.textContent = i18n('welcomeTryMade', record.address);
  await send({ type: 'alias.label', id: record.id, label: i18n('welcomeTryLabel') });
}

async function startSource() {
  const [view, providers] = await Promise.all([send({ type: 'settings.get' }), send({ type: 'alias.providers' })]);
  if (!view.ok || !providers.ok) {
    showError(byId('source-status'), !view.ok ? view.error : /** @type {any} */ (providers).error);
    return;
  }
  state.providers = /** @type {ProviderInfo[]} */ (providers.value);
  select('service').replaceChildren(
    ...state.providers.filter((p) => p.id !== TEMPORARY_INBOX).map((p) => h('option', { value: p.id, text: p.name })),
  );
  select('own-kind').replaceChildren(...GENERATORS.map(([id, key]) => h('option', { value: id, text: i18n(key) })));
  fill(/** @type {SettingsView} */ (view.value));
  select('own-kind').addEventListener('change', showOwnField);
  byId('source-form').addEventListener('submit', (e) => void onSave(/** @type {SubmitEvent} */ (e)));
  // Editing a choice's own control picks that choice.
  for (const [control, kind] of [['lifetime', 'temporary'], ['service', 'service'], ['own-kind', 'own'], ['own-value', 'own']]) {
    byId(control).addEventListener('focus', () => { input(`kind-${kind}`).checked = true; });
  }
}

async function startMark() {
  const got = await send({ type: 'webmail.personalMark' });
  if (!got.ok) return;
  const m = /** @type {{ phrase: string, color: string }} */ (got.value);
  const preview = byId('mark-preview');
  preview.textContent = m.phrase;
  preview.style.background = markColor(m.color);
}

localize(document);
byId('try-new').addEventListener('click', () => void onTry());
byId('mark-change').addEventListener('click', () => void openOptionsPage('mark-section'));
byId('open-options').addEventListener('click', () => void openOptionsPage());
Promise.all([startSource(), startMark(), startSites(), startDkimDns()]).finally(() => { document.body.dataset.ready = '1'; });
