// @ts-check
/**
 * Small helpers shared by the popup and the options page: DOM building without `innerHTML`
 * (every piece of data goes in through `textContent` or an attribute), dates in the user's
 * locale, source names, and errors from the background in plain words.
 */
import { i18n } from '../shared/ext.js';

/**
 * A vault record as the background returns it (see src/alias/vault.rs `AliasRecord`).
 * @typedef {{
 *   id: string, address: string, source: string, provider_id?: string | null,
 *   site?: string | null, origin?: string | null, created: number, expires?: number | null,
 *   state: 'active' | 'disabled' | 'expired' | 'deleted-at-provider', label?: string | null, note?: string | null,
 * }} AliasRecord
 */

/**
 * What a provider's API allows (src/alias/providers/mod.rs `Capabilities`).
 * @typedef {{ create: boolean, list: boolean, disable: boolean, enable: boolean, delete: boolean,
 *   inbox: boolean, needs_key: boolean, needs_domain: boolean, self_hosted: boolean }} Capabilities
 */

/** @typedef {{ id: string, name: string, capabilities: Capabilities, default_base_url: string }} ProviderInfo */

/**
 * One provider account in the settings view (no key: `has_key` says whether one is saved).
 * @typedef {{ provider: string, enabled: boolean, base_url?: string | null, has_key?: boolean,
 *   domain?: string | null, key?: string }} ProviderView
 */

/**
 * The settings view (src/alias/service.rs `settings_view`).
 * @typedef {{
 *   default_generator: string,
 *   default_lifetime: { kind: string, secs?: number },
 *   style: string,
 *   catch_all_domain: string | null,
 *   own_address: string | null,
 *   subdomain: string | null,
 *   site_in_tag: boolean,
 *   per_site_secret: boolean,
 *   providers: ProviderView[],
 * }} SettingsView
 */

/** The local generators, in the order the selects list them, with their name's locale key. */
export const GENERATORS = /** @type {const} */ ([
  ['catch-all', 'sourceCatchAll'],
  ['plus', 'sourcePlus'],
  ['subdomain', 'sourceSubdomain'],
  ['per-site', 'sourcePerSite'],
]);

/**
 * Whether a local generator has what it needs in the settings (the same rules as the core's
 * `create_local`; the core still decides, this only greys out the select's option).
 * @param {string} id @param {SettingsView} s
 */
export function generatorReady(id, s) {
  switch (id) {
    case 'catch-all': return Boolean(s.catch_all_domain);
    case 'plus': return Boolean(s.own_address);
    case 'subdomain': return Boolean(s.subdomain);
    case 'per-site': return Boolean(s.catch_all_domain) && s.per_site_secret;
    default: return false;
  }
}

/**
 * The name of a record's source: a generator's localised name or the provider's own name.
 * @param {string} source @param {ProviderInfo[]} providers
 */
export function sourceName(source, providers) {
  const g = GENERATORS.find(([id]) => id === source);
  if (g) return i18n(g[1]);
  return providers.find((p) => p.id === source)?.name ?? source;
}

/**
 * Builds an element. `props` sets properties (`className`, `type`, `disabled`...), except
 * `text` (textContent), `attrs` (attributes, e.g. `aria-*`), `data` (dataset) and `on`
 * (event listeners). Children are nodes or strings (inserted as text).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, any> & { text?: string, attrs?: Record<string, string>, data?: Record<string, string>, on?: Record<string, (e: any) => void> }} [props]
 * @param {(Node | string | null | undefined | false)[]} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  const { text, attrs, data, on, ...rest } = props;
  for (const [k, v] of Object.entries(rest)) /** @type {any} */ (node)[k] = v;
  if (text !== undefined) node.textContent = text;
  for (const [k, v] of Object.entries(attrs ?? {})) node.setAttribute(k, v);
  for (const [k, v] of Object.entries(data ?? {})) node.dataset[k] = v;
  for (const [k, v] of Object.entries(on ?? {})) node.addEventListener(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

/**
 * An element by id, or a clear error if the page lacks it.
 * @template {HTMLElement} [T=HTMLElement]
 * @param {string} id
 * @returns {T}
 */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page lacks #${id}`);
  return /** @type {T} */ (node);
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * A `<time>` for unix seconds, in the user's locale; with `key`, inside that sentence
 * (e.g. "Created $DATE$").
 * @param {number} secs @param {string} [key]
 */
export function timeElement(secs, key) {
  const d = new Date(secs * 1000);
  const text = dateFormat.format(d);
  return h('time', { dateTime: d.toISOString(), text: key ? i18n(key, text) : text });
}

/** A date in the user's locale. @param {number} secs */
export function formatDate(secs) {
  return dateFormat.format(new Date(secs * 1000));
}

/**
 * The background's error message, as a sentence (the core writes them lower-case, to be
 * embedded; the popup shows them on their own).
 * @param {{ name: string, message: string }} error
 */
export function errorText(error) {
  const m = (error.message || error.name || '').trim();
  const s = m.charAt(0).toUpperCase() + m.slice(1);
  return /[.!?)”]$/.test(s) ? s : `${s}.`;
}

/**
 * Whether an error asks the user to set something up in the options (the core's messages say
 * "… in ImpaleMail's options"), so a link to the options page helps.
 * @param {{ name: string, message: string }} error
 */
export function pointsToOptions(error) {
  return /\boptions\b/i.test(error.message);
}

/**
 * The field an `InvalidSettings` error names ("setting `catch_all_domain`: …"), and the rest of
 * its message.
 * @param {{ name: string, message: string }} error
 * @returns {{ field: string | null, message: string }}
 */
export function settingsErrorField(error) {
  const m = /^setting `([^`]+)`:\s*(.*)$/s.exec(error.message);
  if (!m) return { field: null, message: errorText(error) };
  return { field: m[1], message: errorText({ name: error.name, message: m[2] }) };
}

/**
 * Fills `box` with an error message, and a button to the options page when the message asks
 * to set something up. `box` should be a live region (`role="alert"`).
 * @param {HTMLElement} box
 * @param {{ name: string, message: string } | null} error
 * @param {() => void} [openOptions]
 */
export function showError(box, error, openOptions) {
  box.replaceChildren();
  box.hidden = !error;
  if (!error) return;
  box.append(h('span', { text: errorText(error) }));
  if (openOptions && pointsToOptions(error)) {
    box.append(' ', h('button', { type: 'button', className: 'link', text: i18n('commonOpenOptions'), on: { click: openOptions } }));
  }
}
