// @ts-check
/**
 * The DKIM switch and the choice of DNS-over-HTTPS resolver (background/dns.js), built into
 * `#dkim-dns`: the options page and the welcome page show the same controls, below the
 * privacy sentence (`optDkimPrivacy`: the resolver learns the domain of every sender whose
 * message is checked). Off until the user turns it on; turning it on (or choosing another
 * resolver while on) asks the browser for the resolver's host in the user's own click, and a
 * refusal leaves it off. Every change goes through the background (`dkim.setDns`).
 */
import { i18n, requestHostPermissions, send } from '../shared/ext.js';
import { byId, h, showError } from './components.js';

/** @typedef {{ on: boolean, resolver: string, custom: string }} DnsSettings */

/** The host pattern the browser is asked for (`https://dns.quad9.net/*`), or null. @param {string} url */
function originPattern(url) {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}/*`;
  } catch {
    return null;
  }
}

/** Builds the controls and wires them. */
export async function startDkimDns() {
  const got = await send({ type: 'dkim.dns' });
  const box = byId('dkim-dns');
  const error = h('p', { id: 'dkim-error', className: 'error', hidden: true, attrs: { role: 'alert' } });
  const status = h('p', { id: 'dkim-status', attrs: { role: 'status', 'aria-live': 'polite' } });
  if (!got.ok) {
    box.replaceChildren(error);
    showError(error, got.error);
    return;
  }
  const { settings, resolvers } = /** @type {{ settings: DnsSettings, resolvers: { id: string, url: string }[] }} */ (got.value);
  let saved = settings;
  const on = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', id: 'dkim-on', checked: settings.on }));
  const custom = /** @type {HTMLInputElement} */ (h('input', {
    type: 'url', id: 'dkim-custom', value: settings.custom, placeholder: 'https://dns.example.net/dns-query',
    autocomplete: 'off', spellcheck: false, attrs: { 'aria-label': i18n('dohResolverCustomUrl') },
  }));
  const radio = (/** @type {string} */ id, /** @type {string} */ label, /** @type {Node[]} */ extra = []) => h('label', {}, [
    h('input', { type: 'radio', name: 'dkim-resolver', value: id, checked: settings.resolver === id }), ' ', label, ...extra,
  ]);
  box.replaceChildren(
    h('label', {}, [on, ' ', i18n('optDkimOn')]),
    h('fieldset', { className: 'field' }, [
      h('legend', { className: 'label', text: i18n('optDkimResolver') }),
      ...resolvers.map((r) => h('div', {}, [radio(r.id, i18n(`dohResolver_${r.id}`))])),
      h('div', {}, [radio('custom', i18n('dohResolver_custom')), ' ', custom,
        h('button', { type: 'button', id: 'dkim-custom-use', text: i18n('dohResolverCustomUse') })]),
    ]),
    error,
    status,
  );
  const chosen = () => /** @type {HTMLInputElement | null} */ (box.querySelector('input[name="dkim-resolver"]:checked'))?.value ?? 'quad9';

  /**
   * Saves what the controls show. Called in the user's click: the permission request comes
   * first, before any `await`, as the browsers want a user gesture for it.
   */
  const save = () => {
    const want = { on: on.checked, resolver: chosen(), custom: custom.value.trim() };
    const url = want.resolver === 'custom' ? want.custom : resolvers.find((r) => r.id === want.resolver)?.url ?? '';
    const pattern = originPattern(url);
    const allowed = !want.on ? Promise.resolve(true) : pattern ? requestHostPermissions([pattern]) : Promise.resolve(true);
    allowed.then(async (ok) => {
      if (!ok) want.on = false;
      const r = await send({ type: 'dkim.setDns', ...want });
      showError(error, r.ok ? null : r.error.name === 'BadResolver' ? { name: 'BadResolver', message: i18n('optDkimBadUrl') } : r.error);
      if (!r.ok) {
        on.checked = saved.on;
        status.textContent = '';
        return;
      }
      saved = /** @type {DnsSettings} */ (r.value);
      on.checked = saved.on;
      status.textContent = ok ? i18n('optDkimSaved') : i18n('optDkimDenied');
    });
  };
  on.addEventListener('click', save);
  for (const r of box.querySelectorAll('input[name="dkim-resolver"]')) r.addEventListener('click', save);
  byId('dkim-custom-use').addEventListener('click', () => {
    /** @type {HTMLInputElement} */ (box.querySelector('input[name="dkim-resolver"][value="custom"]')).checked = true;
    save();
  });
}
