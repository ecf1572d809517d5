// @ts-check
/**
 * The alias button's switches, a section of its own on the options page and in the popup
 * (`<section id="forms-section" data-page="options|popup">`): the global switch, and the sites
 * where the user chose "Not on this site" in the in-page menu, each with a way to show the
 * button there again. The popup also offers to switch the button off or back on for the
 * current site. Every change goes through the background (`forms.prefs`, `forms.setEnabled`,
 * `forms.setSite`), which tells the open pages at once: no reload needed.
 */
import { activeTabUrl, getURL, i18n, runsInTab, send } from '../shared/ext.js';
import { h } from './components.js';

/**
 * The page the popup acts for: the active tab, or `?for=<url>` when the popup runs in a tab
 * of its own (as popup.js does).
 */
async function currentUrl() {
  let url = await activeTabUrl().catch(() => null);
  if ((await runsInTab()) || (url && url.startsWith(getURL('')))) url = new URLSearchParams(location.search).get('for');
  return url && /^https?:\/\//i.test(url) ? url : null;
}

/**
 * Sends a change and redraws the section.
 * @param {HTMLElement} section @param {string | null} url @param {{ type: string } & Record<string, unknown>} message
 */
async function change(section, url, message) {
  const reply = await send(message);
  await render(section, url, reply.ok ? null : reply.error.message);
}

/**
 * @param {HTMLElement} section @param {string | null} url @param {string | null} [error]
 */
async function render(section, url, error = null) {
  const reply = await send(url ? { type: 'forms.prefs', url } : { type: 'forms.prefs' });
  const popup = section.dataset.page === 'popup';
  const heading = h(popup ? 'h2' : 'h2', { id: 'h-forms', text: i18n('formsPrefsHeading') });
  if (!reply.ok) {
    section.replaceChildren(heading, h('p', { className: 'error', role: 'alert', text: reply.error.message }));
    return;
  }
  const p = /** @type {{ enabled: boolean, disabledSites: string[], site: string | null, siteDisabled: boolean }} */ (reply.value);
  const toggle = h('input', { type: 'checkbox', id: 'forms-enabled', checked: p.enabled });
  toggle.addEventListener('change', () => void change(section, url, { type: 'forms.setEnabled', enabled: toggle.checked }));
  /** @param {string} site */
  const showAgain = (site) => h('button', {
    type: 'button', className: 'forms-show-again', text: i18n('formsPrefsShowAgain', site), data: { site },
    on: { click: () => void change(section, url, { type: 'forms.setSite', site, enabled: true }) },
  });
  /** @type {(Node | null)[]} */
  const children = [
    heading,
    h('div', { className: 'inline' }, [toggle, h('label', { htmlFor: 'forms-enabled', text: i18n('formsPrefsEnabled') })]),
    h('p', { className: popup ? 'note' : 'help', text: i18n('formsPrefsNote') }),
  ];
  if (popup) {
    if (p.site && p.siteDisabled) {
      children.push(h('p', { id: 'forms-site-off', text: i18n('formsPrefsSiteOff', p.site) }), showAgain(p.site));
    } else if (p.site) {
      children.push(h('button', {
        type: 'button', id: 'forms-site-disable', text: i18n('formsPrefsSiteDisable', p.site),
        on: { click: () => void change(section, url, { type: 'forms.setSite', site: p.site, enabled: false }) },
      }));
    }
  } else {
    children.push(h('h3', { text: i18n('formsPrefsSitesHeading') }));
    children.push(p.disabledSites.length
      ? h('ul', { id: 'forms-sites', className: 'site-list' }, p.disabledSites.map((s) => h('li', { data: { site: s } }, [h('span', { text: s }), ' ', showAgain(s)])))
      : h('p', { className: 'help', id: 'forms-sites-empty', text: i18n('formsPrefsSitesEmpty') }));
  }
  if (error) children.push(h('p', { className: 'error', role: 'alert', text: error }));
  section.replaceChildren(...children.filter((c) => c !== null));
  section.dataset.ready = '1';
}

async function start() {
  const section = document.getElementById('forms-section');
  if (!section) return;
  await render(section, section.dataset.page === 'popup' ? await currentUrl() : null);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => void start());
else void start();
