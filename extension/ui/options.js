// @ts-check
/**
 * The options page: the alias settings (sent back whole as an edited settings *view*; the core
 * validates and names the field that is wrong), provider accounts with a "Test" button, and
 * the vault's export and import.
 *
 * API keys never come back from the background: a key field is empty, with the placeholder
 * "saved" when a key is stored, and an empty field keeps the stored key (the core does that).
 * What the user typed stays in the form when saving fails.
 */
import { i18n, requestHostPermissions, send } from '../shared/ext.js';
import { byId, errorText, GENERATORS, h, settingsErrorField } from './components.js';
import { localize } from './i18n.js';

/** @typedef {import('./components.js').ProviderInfo} ProviderInfo */
/** @typedef {import('./components.js').ProviderView} ProviderView */
/** @typedef {import('./components.js').SettingsView} SettingsView */

/** Largest import file read (bytes); the background refuses more too (`MAX_IMPORT_CHARS`). */
export const MAX_IMPORT_BYTES = 8 * 1024 * 1024;
/** How long an export's object URL stays valid after the download started (ms). */
export const EXPORT_URL_LIFETIME_MS = 60_000;

/** The lifetimes with a fixed length; anything else is `custom`. */
/** The provider id of the no-account temporary inbox, a fresh install's default source. */
const TEMPORARY_INBOX = 'mailtm';
const FIXED_LIFETIMES = ['never', 'one-hour', 'one-day', 'seven-days', 'thirty-days'];
const HOUR = 3600;
const DAY = 86400;

const state = {
  view: /** @type {SettingsView | null} */ (null),
  providers: /** @type {ProviderInfo[]} */ ([]),
  /** Whether the form holds edits that are not saved. */
  dirty: false,
  /** Provider accounts the next save leaves out ("Remove this account"). @type {Set<string>} */
  removing: new Set(),
};

/** @template {HTMLElement} T @param {string} id @returns {T} */
const field = (id) => byId(id);
const input = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (field(id));
const select = (/** @type {string} */ id) => /** @type {HTMLSelectElement} */ (field(id));

// ------------------------------------------------------------------ rendering

function buildGeneratorSelect() {
  const sel = select('default_generator');
  sel.replaceChildren(...GENERATORS.map(([id, key]) => h('option', { value: id, text: i18n(key) })));
  for (const p of state.providers) if (p.capabilities.create) sel.append(h('option', { value: p.id, text: p.name }));
}

/** @param {ProviderInfo} p */
function capabilityLine(p) {
  const c = p.capabilities;
  /** @type {[boolean, string][]} */
  const caps = [[c.create, 'capCreate'], [c.list, 'capList'], [c.disable, 'capDisable'], [c.enable, 'capEnable'], [c.delete, 'capDelete'], [c.inbox, 'capInbox']];
  // A list in the page's language ("create, list and delete", "作成、一覧、削除").
  const list = new Intl.ListFormat(i18n('langTag'), { type: 'conjunction' });
  const line = i18n('optCaps', list.format(caps.filter(([on]) => on).map(([, key]) => i18n(key))));
  return c.needs_key ? line : `${line} ${i18n('optNoKeyNeeded')}`;
}

/** One card per provider; values are filled by `fill`. @param {ProviderInfo} p */
function providerCard(p) {
  const id = p.id;
  const c = p.capabilities;
  const enabled = h('input', { type: 'checkbox', id: `${id}-enabled` });
  const baseUrl = h('input', {
    type: 'url', id: `${id}-base_url`, placeholder: p.default_base_url, autocomplete: 'off', spellcheck: false,
    attrs: { 'aria-describedby': `${id}-base_url-help ${id}-error` },
  });
  const baseField = h('div', { className: 'field' }, [
    h('label', { htmlFor: baseUrl.id, text: i18n('optBaseUrl') }),
    baseUrl,
    h('p', { className: 'help', id: `${id}-base_url-help`, text: i18n('optBaseUrlHelp') }),
  ]);
  const key = c.needs_key
    ? h('input', { type: 'password', id: `${id}-key`, autocomplete: 'off', spellcheck: false, attrs: { 'aria-describedby': `${id}-error` } })
    : null;
  const domain = c.needs_domain
    ? h('input', { type: 'text', id: `${id}-domain`, autocomplete: 'off', spellcheck: false, placeholder: 'aliases.example.com', attrs: { 'aria-describedby': `${id}-error` } })
    : null;
  const result = h('p', { className: 'test-result', id: `${id}-result`, attrs: { role: 'status', 'aria-live': 'polite' } });
  const error = h('p', { className: 'field-error', id: `${id}-error`, hidden: true });
  const test = c.list
    ? h('button', { type: 'button', id: `${id}-test`, text: i18n('optTest'), on: { click: () => { testProvider(p); } } })
    : h('p', { className: 'help', text: i18n('optTestUnsupported', p.name) });
  // A new device (or one that never synced) gets the account's aliases back.
  const bringIn = c.list
    ? h('button', { type: 'button', id: `${id}-bringin`, text: i18n('optBringIn'), on: { click: () => { bringInAliases(p); } } })
    : null;
  // Shown for a configured account; the first click asks, the second removes (with its key).
  const remove = h('button', { type: 'button', id: `${id}-remove`, hidden: true, text: i18n('optRemoveAccount'), on: { click: () => { removeAccount(p); } } });
  return h('article', { className: 'card', id: `provider-${id}`, attrs: { 'aria-labelledby': `${id}-name` } }, [
    h('h3', { id: `${id}-name`, text: p.name }),
    h('p', { className: 'help', text: capabilityLine(p) }),
    h('div', { className: 'field check' }, [enabled, h('label', { htmlFor: enabled.id, text: i18n('optUseProvider', p.name) })]),
    // A self-hostable service shows its server address; for the others it is an advanced
    // setting (tests and unusual set-ups), folded away.
    c.self_hosted ? baseField : h('details', { className: 'advanced' }, [h('summary', { text: i18n('optAdvanced') }), baseField]),
    key ? h('div', { className: 'field' }, [h('label', { htmlFor: key.id, text: i18n('optApiKey') }), key]) : null,
    domain ? h('div', { className: 'field' }, [h('label', { htmlFor: domain.id, text: i18n('optDomain') }), domain]) : null,
    error,
    h('div', { className: 'inline' }, [test, bringIn, remove, result]),
  ]);
}

/** Fills the form from a settings view (after loading, and after a successful save). @param {SettingsView} v */
function fill(v) {
  state.view = v;
  select('default_generator').value = v.default_generator;
  const kind = v.default_lifetime?.kind ?? 'never';
  select('lifetime').value = FIXED_LIFETIMES.includes(kind) ? kind : 'custom';
  if (kind === 'custom') {
    const secs = v.default_lifetime.secs ?? HOUR;
    const unit = secs % DAY === 0 ? DAY : HOUR;
    select('lifetime_unit').value = String(unit);
    input('lifetime_amount').value = String(Math.max(1, Math.round(secs / unit)));
  }
  showCustomLifetime();
  select('style').value = v.style;
  input('site_in_tag').checked = Boolean(v.site_in_tag);
  input('catch_all_domain').value = v.catch_all_domain ?? '';
  input('own_address').value = v.own_address ?? '';
  input('subdomain').value = v.subdomain ?? '';
  byId('per_site_secret').textContent = i18n(v.per_site_secret ? 'optSecretSet' : 'optSecretNotSet');
  for (const p of state.providers) {
    const pv = v.providers.find((x) => x.provider === p.id);
    input(`${p.id}-enabled`).checked = Boolean(pv?.enabled);
    input(`${p.id}-base_url`).value = pv?.base_url ?? '';
    if (pv?.base_url) {
      const details = input(`${p.id}-base_url`).closest('details');
      if (details) details.open = true;
    }
    const key = document.getElementById(`${p.id}-key`);
    if (key instanceof HTMLInputElement) {
      key.value = '';
      key.placeholder = i18n(pv?.has_key ? 'optKeySaved' : 'optKeyNone');
    }
    const domain = document.getElementById(`${p.id}-domain`);
    if (domain instanceof HTMLInputElement) domain.value = pv?.domain ?? '';
    const remove = byId(`${p.id}-remove`);
    remove.hidden = !pv || p.id === TEMPORARY_INBOX;
    remove.textContent = i18n('optRemoveAccount');
    delete remove.dataset.confirm;
  }
  state.dirty = false;
}

function showCustomLifetime() {
  byId('lifetime-custom').hidden = select('lifetime').value !== 'custom';
}

// ------------------------------------------------------------------ errors

/** Every field error is cleared before a save. */
function clearErrors() {
  for (const e of document.querySelectorAll('.field-error')) {
    e.textContent = '';
    /** @type {HTMLElement} */ (e).hidden = true;
  }
  for (const e of document.querySelectorAll('[aria-invalid]')) e.removeAttribute('aria-invalid');
}

/**
 * Shows `message` at the field the core named (`catch_all_domain`, `providers.simplelogin`, ...)
 * and returns the control to focus, or null when the page has no such field.
 * @param {string} name @param {string} message
 * @returns {HTMLElement | null}
 */
function showFieldError(name, message) {
  /** @type {string} */
  let box;
  /** @type {string} */
  let control;
  const provider = /^providers\.(.+)$/.exec(name)?.[1];
  if (provider) {
    if (!document.getElementById(`provider-${provider}`)) return null;
    box = `${provider}-error`;
    // The card has several inputs: mark the one the message is about.
    const which = /server address|base url/i.test(message) ? 'base_url' : /api key/i.test(message) ? 'key' : /domain/i.test(message) ? 'domain' : 'enabled';
    control = document.getElementById(`${provider}-${which}`) ? `${provider}-${which}` : `${provider}-enabled`;
    const details = byId(control).closest('details');
    if (details) details.open = true;
  } else if (name === 'lifetime' || name === 'default_lifetime') {
    box = 'lifetime-error';
    control = select('lifetime').value === 'custom' ? 'lifetime_amount' : 'lifetime';
  } else {
    if (!document.getElementById(`${name}-error`)) return null;
    box = `${name}-error`;
    control = document.getElementById(name) instanceof HTMLInputElement || document.getElementById(name) instanceof HTMLSelectElement ? name : '';
  }
  const b = byId(box);
  b.textContent = message;
  b.hidden = false;
  if (!control) return null;
  const c = byId(control);
  c.setAttribute('aria-invalid', 'true');
  return c;
}

// ------------------------------------------------------------------ saving

/**
 * The settings view with the form's edits, the host permissions a custom server needs, and
 * the errors found before asking the core.
 */
function collect() {
  const v = /** @type {SettingsView} */ (state.view);
  /** @type {{ field: string, message: string }[]} */
  const errors = [];
  /** @type {{ pattern: string, origin: string, provider: ProviderInfo }[]} */
  const hosts = [];
  const text = (/** @type {string} */ id) => input(id).value.trim() || null;
  const kind = select('lifetime').value;
  /** @type {{ kind: string, secs?: number }} */
  let lifetime = { kind };
  if (kind === 'custom') {
    const raw = input('lifetime_amount').value.trim();
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < 1) errors.push({ field: 'lifetime', message: i18n('optLifetimeBad') });
    lifetime = { kind, secs: n * Number(select('lifetime_unit').value) };
  }
  /** @type {ProviderView[]} */
  const providers = [];
  for (const p of state.providers) {
    const old = v.providers.find((x) => x.provider === p.id);
    const enabled = input(`${p.id}-enabled`).checked;
    const baseUrl = text(`${p.id}-base_url`);
    const keyInput = document.getElementById(`${p.id}-key`);
    const key = keyInput instanceof HTMLInputElement ? keyInput.value.trim() : '';
    const domainInput = document.getElementById(`${p.id}-domain`);
    const domain = domainInput instanceof HTMLInputElement ? domainInput.value.trim() || null : old?.domain ?? null;
    if (!old && !enabled && !baseUrl && !key && !domain) continue; // never configured: leave it out
    if (state.removing.has(p.id)) continue;
    /** @type {ProviderView} */
    const entry = { ...(old ?? {}), provider: p.id, enabled, base_url: baseUrl, domain };
    if (key) entry.key = key;
    providers.push(entry);
    // The provider's API host is an optional permission: asked for when the provider is on.
    // The temporary inbox's public service is a required host (manifest `host_permissions`):
    // a fresh install makes its first alias there with nothing to allow.
    const apiBase = baseUrl ?? (enabled && p.id !== TEMPORARY_INBOX ? p.default_base_url : null);
    if (apiBase) {
      try {
        const u = new URL(apiBase);
        // Match patterns carry no port in Firefox, and a pattern without one covers every port.
        if (u.protocol === 'https:' || u.protocol === 'http:') hosts.push({ pattern: `${u.protocol}//${u.hostname}/*`, origin: u.origin, provider: p });
      } catch {
        // not a URL: the core names the field when saving
      }
    }
  }
  const settings = {
    ...v,
    default_generator: select('default_generator').value,
    default_lifetime: lifetime,
    style: select('style').value,
    site_in_tag: input('site_in_tag').checked,
    catch_all_domain: text('catch_all_domain'),
    own_address: text('own_address'),
    subdomain: text('subdomain'),
    providers,
  };
  return { settings, errors, hosts };
}

/**
 * Saves the form. Call it straight from a click handler: it asks for the host permissions of
 * custom servers before its first `await`, while the click still counts as a user gesture.
 * Resolves with whether the settings were saved.
 */
function save() {
  const status = byId('save-status');
  clearErrors();
  const { settings, errors, hosts } = collect();
  if (errors.length) {
    status.className = 'error';
    status.textContent = i18n('optFixHighlighted');
    const first = errors.map((e) => showFieldError(e.field, e.message)).find(Boolean);
    first?.focus();
    return Promise.resolve(false);
  }
  const permission = hosts.length ? requestHostPermissions([...new Set(hosts.map((x) => x.pattern))]) : Promise.resolve(true);
  return (async () => {
    status.className = '';
    status.textContent = i18n('optSaving');
    const button = /** @type {HTMLButtonElement} */ (byId('save'));
    button.disabled = true;
    const reply = await send({ type: 'settings.set', settings });
    button.disabled = false;
    if (!reply.ok) {
      const { field: name, message } = settingsErrorField(reply.error);
      status.className = 'error';
      status.textContent = i18n('optNotSaved', name ? `${name}: ${message}` : message);
      const control = name ? showFieldError(name, message) : null;
      control?.focus();
      return false;
    }
    fill(/** @type {SettingsView} */ (reply.value));
    status.className = 'ok';
    status.textContent = i18n('optSaved');
    permission.then((granted) => {
      if (granted) return;
      for (const x of hosts) {
        const result = byId(`${x.provider.id}-result`);
        result.className = 'test-result error';
        result.textContent = i18n('optPermissionDenied', [x.origin, x.provider.name]);
      }
    });
    return true;
  })();
}

/**
 * Runs one of a provider account's buttons (`type`: `provider.test`, `provider.bringIn`),
 * saving first what the form holds; the account's result line says `busy` meanwhile, then
 * what `said` makes of the answer, or the error in plain words.
 * @param {ProviderInfo} p @param {string} type @param {string} buttonId @param {string} busy
 * @param {(value: any) => string} said
 */
async function accountAction(p, type, buttonId, busy, said) {
  const result = byId(`${p.id}-result`);
  const button = /** @type {HTMLButtonElement} */ (byId(buttonId));
  if (state.dirty && !(await save())) return;
  result.className = 'test-result';
  result.textContent = i18n(busy);
  button.disabled = true;
  const reply = await send({ type, provider: p.id });
  button.disabled = false;
  if (!reply.ok) {
    result.className = 'test-result error';
    result.textContent = errorText(reply.error);
    return;
  }
  result.className = 'test-result ok';
  result.textContent = said(reply.value);
}

/**
 * Removes a provider account from the settings, its key with it (with sync and the keys box,
 * on the other devices too): the first click asks, the second saves without it. Aliases made
 * with it stay in the list.
 * @param {ProviderInfo} p
 */
async function removeAccount(p) {
  const button = byId(`${p.id}-remove`);
  if (!button.dataset.confirm) {
    button.dataset.confirm = '1';
    button.textContent = i18n('optRemoveAccountConfirm');
    return;
  }
  state.removing.add(p.id);
  const saved = await save();
  state.removing.delete(p.id);
  const result = byId(`${p.id}-result`);
  result.className = saved ? 'test-result ok' : 'test-result error';
  result.textContent = saved ? i18n('optAccountRemoved') : byId('save-status').textContent;
}

/** Tests a provider account. @param {ProviderInfo} p */
function testProvider(p) {
  return accountAction(p, 'provider.test', `${p.id}-test`, 'optTesting', (/** @type {{ aliases: number, complete: boolean }} */ v) =>
    i18n(v.complete ? 'optTestOk' : 'optTestOkMore', String(v.aliases)));
}

/** Brings the account's aliases into the list ("Brought in N aliases, M were already here"). @param {ProviderInfo} p */
function bringInAliases(p) {
  return accountAction(p, 'provider.bringIn', `${p.id}-bringin`, 'optBringingIn', (/** @type {{ added: number, known: number, skipped: number, complete: boolean }} */ v) =>
    [
      i18n('optBroughtIn', [String(v.added), String(v.known)]),
      v.skipped > 0 ? i18n('optBroughtInSkipped', String(v.skipped)) : '',
      v.complete ? '' : i18n('optBroughtInMore'),
    ].filter(Boolean).join(' '));
}

// ------------------------------------------------------------------ vault

/** @param {'json' | 'csv'} format */
async function exportVault(format) {
  const status = byId('vault-status');
  const reply = await send({ type: 'vault.export', format });
  if (!reply.ok) {
    status.className = 'error';
    status.textContent = errorText(reply.error);
    return;
  }
  const day = new Date().toISOString().slice(0, 10);
  const name = `impalemail-aliases-${day}.${format}`;
  const blob = new Blob([/** @type {string} */ (reply.value)], { type: format === 'json' ? 'application/json' : 'text/csv' });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), EXPORT_URL_LIFETIME_MS);
  status.className = 'ok';
  status.textContent = i18n('optExported', name);
}

async function importVault() {
  const fileInput = input('import-file');
  const status = byId('vault-status');
  const file = fileInput.files?.[0];
  if (!file) return;
  const fail = (/** @type {string} */ message) => {
    const nothing = /nothing was changed/i.test(message) ? '' : ` ${i18n('optNothingChanged')}`;
    status.className = 'error';
    status.textContent = i18n('optImportFailed', message) + nothing;
  };
  status.className = '';
  status.textContent = i18n('optImporting');
  try {
    if (file.size > MAX_IMPORT_BYTES) {
      fail(`${file.name}: ${file.size} > ${MAX_IMPORT_BYTES} bytes.`);
      return;
    }
    const reply = await send({ type: 'vault.import', text: await file.text() });
    if (!reply.ok) {
      fail(errorText(reply.error));
      return;
    }
    const { added, total } = /** @type {{ added: number, total: number }} */ (reply.value);
    status.className = 'ok';
    status.textContent = i18n('optImported', [String(added), String(total)]);
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  } finally {
    fileInput.value = ''; // the same file may be chosen again
  }
}

/**
 * A damaged vault: say so, and offer the way out (save the stored text as it is, then set it
 * aside and start an empty list; the copy stays in storage too).
 */
async function checkVaultHealth() {
  const health = await send({ type: 'vault.health' });
  const box = byId('vault-damaged');
  if (!health.ok || /** @type {{ ok: boolean }} */ (health.value).ok) {
    box.hidden = true;
    return;
  }
  const v = /** @type {{ ok: false, error: string, chars: number }} */ (health.value);
  byId('vault-damaged-text').textContent = i18n('optVaultDamaged', [errorText({ name: 'VaultError', message: v.error })]);
  box.hidden = false;
  byId('vault-save-copy').onclick = async () => {
    const raw = await send({ type: 'vault.rawCopy' });
    if (!raw.ok) return;
    const day = new Date().toISOString().slice(0, 10);
    const blob = new Blob([/** @type {string} */ (raw.value)], { type: 'text/plain' });
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: `impalemail-aliases-unreadable-${day}.txt`, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), EXPORT_URL_LIFETIME_MS);
    /** @type {HTMLButtonElement} */ (byId('vault-set-aside')).disabled = false;
  };
  byId('vault-set-aside').onclick = async () => {
    const r = await send({ type: 'vault.setAside' });
    const status = byId('vault-status');
    if (!r.ok) {
      status.className = 'error';
      status.textContent = errorText(r.error);
      return;
    }
    status.className = 'ok';
    status.textContent = i18n('optVaultSetAside');
    await checkVaultHealth();
  };
}

// ------------------------------------------------------------------ start

async function start() {
  localize(document);
  byId('export-json').addEventListener('click', () => { exportVault('json'); });
  byId('export-csv').addEventListener('click', () => { exportVault('csv'); });
  input('import-file').addEventListener('change', () => { importVault(); });
  checkVaultHealth();
  const [providers, view] = await Promise.all([send({ type: 'alias.providers' }), send({ type: 'settings.get' })]);
  const loadError = byId('load-error');
  if (!providers.ok || !view.ok) {
    const err = !providers.ok ? providers.error : !view.ok ? view.error : null;
    loadError.hidden = false;
    loadError.textContent = i18n('optLoadFailed', err ? errorText(err) : '');
    document.body.dataset.ready = 'error';
    return;
  }
  state.providers = /** @type {ProviderInfo[]} */ (providers.value);
  buildGeneratorSelect();
  byId('providers').replaceChildren(...state.providers.map(providerCard));
  fill(/** @type {SettingsView} */ (view.value));
  const form = byId('settings-form');
  form.hidden = false;
  form.addEventListener('input', () => { state.dirty = true; });
  form.addEventListener('change', () => { state.dirty = true; });
  select('lifetime').addEventListener('change', showCustomLifetime);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    save();
  });
  showSection(location.hash.slice(1));
  document.body.dataset.ready = '1';
}

/**
 * Brings the section the page was opened at into view (the in-page menu and the welcome page
 * open `options.html#provider-simplelogin`, `#h-own`...): the form was hidden while loading,
 * so the browser's own jump to the fragment found nothing. A provider's card opens and its
 * first field takes the focus.
 * @param {string} id
 */
function showSection(id) {
  const target = id ? document.getElementById(decodeURIComponent(id)) : null;
  if (!target) return;
  target.scrollIntoView({ block: 'start' });
  const field = /** @type {HTMLElement | null} */ (target.closest('section, .card, [id^="provider-"]')?.querySelector('input:not([type="hidden"]), select') ?? null);
  (field ?? target).focus({ preventScroll: true });
}

start();
