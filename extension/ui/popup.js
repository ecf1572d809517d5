// @ts-check
/**
 * The popup: the aliases for the site of the current tab (made with a click, never before),
 * a search over all aliases, and per alias: copy, turn off/on, label, delete, and the
 * temporary inbox of mail.tm aliases. Every decision is the background's (and so the wasm
 * core's); this page only shows what it answers and sends what the user clicked.
 *
 * Which page is "the current tab": the toolbar popup belongs to no tab, and `activeTabUrl()`
 * gives the tab it was opened over (the `activeTab` permission is granted by that click).
 * When this page is instead opened as a tab of its own (by the end-to-end tests, or by a user
 * who opens the popup's URL), the active tab is this page itself, which names no site; then,
 * and only then, the page reads the site's URL from its own query string, `?for=<url>`. The
 * toolbar popup's URL (`default_popup`) has no query string, and web pages cannot navigate to
 * extension pages, so this seam cannot be used to make the popup act for another site.
 */
import { activeTabUrl, getURL, i18n, openExtensionTab, openOptionsPage, runsInTab, send } from '../shared/ext.js';
import { byId, errorText, GENERATORS, generatorReady, h, showError, sourceName, timeElement } from './components.js';
import { localize } from './i18n.js';
import { startMail } from './popup-mail.js';
import { verdictElement } from './verdict.js';

/** @typedef {import('./components.js').AliasRecord} AliasRecord */
/** @typedef {import('./components.js').ProviderInfo} ProviderInfo */
/** @typedef {import('./components.js').SettingsView} SettingsView */

/** Most rows a list renders (a vault holds up to 10 000 records); the search narrows the rest. */
export const MAX_ROWS = 200;
/** Pause after the last keystroke before the search asks the background (ms). */
export const SEARCH_DEBOUNCE_MS = 150;
/** How long a copy button says "Copied" (ms). */
export const COPIED_FEEDBACK_MS = 2000;

const state = {
  /** The page the popup acts for (http/https only), or null. */
  url: /** @type {string | null} */ (null),
  /** Its site (registrable domain) as the core computed it. */
  site: /** @type {string | null} */ (null),
  settings: /** @type {SettingsView | null} */ (null),
  providers: /** @type {ProviderInfo[]} */ ([]),
  query: '',
  /** Increases with every list request, so that a slow, stale answer is dropped. */
  listSeq: 0,
};

/** Announces a short status to screen readers (and shows it). @param {string} text */
function announce(text) {
  byId('live').textContent = text;
}

function openOptions() {
  openOptionsPage();
}

/** The URL of the page the popup acts for; see the module comment for `?for=`. */
async function pageUrl() {
  let url = await activeTabUrl().catch(() => null);
  if ((await runsInTab()) || (url && url.startsWith(getURL('')))) {
    url = new URLSearchParams(location.search).get('for');
  }
  return url && /^https?:\/\//i.test(url) ? url : null;
}

/** @param {string} source */
function providerOf(source) {
  return state.providers.find((p) => p.id === source) ?? null;
}

// ------------------------------------------------------------------ the create control

function renderCreateControl() {
  const form = byId('create-form');
  const select = /** @type {HTMLSelectElement} */ (byId('create-source'));
  const button = /** @type {HTMLButtonElement} */ (byId('create'));
  const hint = byId('create-hint');
  form.hidden = !state.site;
  if (!state.site) return;
  button.textContent = i18n('popupCreate', state.site);
  const previous = select.value;
  select.replaceChildren();
  const s = state.settings;
  let usable = 0;
  if (s) {
    for (const [id, key] of GENERATORS) {
      const ready = generatorReady(id, s);
      usable += ready ? 1 : 0;
      select.append(h('option', { value: id, disabled: !ready, text: ready ? i18n(key) : i18n('popupNotSetUp', i18n(key)) }));
    }
    for (const p of s.providers) {
      const info = providerOf(p.provider);
      if (!p.enabled || !info?.capabilities.create) continue;
      usable += 1;
      select.append(h('option', { value: info.id, text: info.name }));
    }
  }
  const options = [...select.options];
  const pick = (/** @type {string | undefined} */ v) => options.find((o) => o.value === v && !o.disabled);
  const chosen = pick(previous) ?? pick(s?.default_generator) ?? options.find((o) => !o.disabled);
  if (chosen) select.value = chosen.value;
  select.disabled = !s;
  button.disabled = s !== null && usable === 0;
  hint.replaceChildren();
  hint.hidden = !(s && usable === 0);
  if (s && usable === 0) {
    hint.append(i18n('popupNothingSetUp'), ' ', h('button', { type: 'button', className: 'link', text: i18n('commonOpenOptions'), on: { click: openOptions } }));
  }
}

/** @param {SubmitEvent} e */
async function onCreate(e) {
  e.preventDefault();
  const button = /** @type {HTMLButtonElement} */ (byId('create'));
  const select = /** @type {HTMLSelectElement} */ (byId('create-source'));
  const box = byId('create-error');
  if (!state.url || button.disabled) return;
  showError(box, null);
  setBusy(button, true);
  announce(i18n('popupCreating'));
  const reply = await send({ type: 'alias.create', url: state.url, source: select.value || null });
  setBusy(button, false);
  if (!reply.ok) {
    announce('');
    showError(box, reply.error, openOptions);
    return;
  }
  const record = /** @type {AliasRecord} */ (reply.value);
  announce(i18n('popupCreated', record.address));
  await refresh({ list: 'site', id: record.id, action: 'copy' });
}

/** @param {HTMLButtonElement} button @param {boolean} busy */
function setBusy(button, busy) {
  button.disabled = busy;
  if (busy) button.setAttribute('aria-busy', 'true');
  else button.removeAttribute('aria-busy');
}

// ------------------------------------------------------------------ lists

/**
 * Asks the background for the lists and renders them. `focus` names a control to focus
 * afterwards (the rows are rebuilt, so focus would otherwise fall to the body).
 * @param {{ list: string, id: string, action: string } | null} [focus]
 */
async function refresh(focus = null) {
  const seq = ++state.listSeq;
  const reply = await send({ type: 'alias.list', url: state.url ?? undefined, query: state.query || undefined });
  if (seq !== state.listSeq) return; // a newer request is on its way
  const loadError = byId('load-error');
  if (!reply.ok) {
    loadError.hidden = false;
    loadError.textContent = i18n('popupLoadFailed', errorText(reply.error));
    return;
  }
  loadError.hidden = true;
  const { site, forSite, records } = /** @type {{ site: string | null, forSite: AliasRecord[], records: AliasRecord[] }} */ (reply.value);
  state.site = site;
  renderSite(forSite);
  renderAll(records, forSite);
  renderCreateControl();
  document.body.dataset.aliases = 'ready';
  if (focus) {
    const target = document.querySelector(`#${focus.list}-list li[data-id="${CSS.escape(focus.id)}"] [data-action="${focus.action}"]`);
    if (target instanceof HTMLElement) target.focus();
    else byId('search').focus();
  }
}

/** @param {AliasRecord[]} forSite */
function renderSite(forSite) {
  const heading = byId('site-heading');
  heading.textContent = state.site ? i18n('popupSiteHeading', state.site) : '';
  heading.hidden = !state.site;
  byId('no-site').hidden = Boolean(state.site);
  const list = byId('site-list');
  list.replaceChildren(...forSite.slice(0, MAX_ROWS).map((r) => aliasRow(r, 'site')));
  byId('site-empty').hidden = !state.site || forSite.length > 0;
}

/** @param {AliasRecord[]} records @param {AliasRecord[]} forSite */
function renderAll(records, forSite) {
  const searching = state.query.trim() !== '';
  const shownAbove = new Set(forSite.map((r) => r.id));
  const rows = searching ? records : records.filter((r) => !shownAbove.has(r.id));
  byId('all-heading').textContent = i18n(searching ? 'popupResultsHeading' : state.site ? 'popupOtherHeading' : 'popupAllHeading');
  byId('all-list').replaceChildren(...rows.slice(0, MAX_ROWS).map((r) => aliasRow(r, 'all')));
  const empty = byId('all-empty');
  empty.hidden = rows.length > 0;
  empty.textContent = searching ? i18n('popupNoResults', state.query.trim()) : i18n('popupNoOther');
  const more = byId('all-more');
  more.hidden = rows.length <= MAX_ROWS;
  more.textContent = i18n('popupMoreRows', [String(MAX_ROWS), String(rows.length)]);
}

const STATE_KEYS = {
  active: 'aliasStateActive',
  disabled: 'aliasStateDisabled',
  expired: 'aliasStateExpired',
  'deleted-at-provider': 'aliasStateDeleted',
};

/**
 * One alias row.
 * @param {AliasRecord} r
 * @param {string} list which list it is in ('site' or 'all'), to keep element ids unique
 */
function aliasRow(r, list) {
  const addrId = `${list}-addr-${r.id}`;
  const provider = providerOf(r.source);
  const caps = provider?.capabilities;
  const described = { 'aria-describedby': addrId };
  const errorBox = h('p', { className: 'error row-error', hidden: true, attrs: { role: 'alert' } });
  const panel = h('div', { className: 'row-panel', hidden: true });

  const copy = h('button', { type: 'button', className: 'copy', text: i18n('aliasCopy'), attrs: described, data: { action: 'copy' } });
  copy.addEventListener('click', () => copyAddress(r, copy, errorBox));

  const actions = h('div', { className: 'row-actions' });
  const canToggle = !provider || (r.state === 'active' ? caps?.disable : caps?.enable);
  if (r.state === 'active' || r.state === 'disabled') {
    if (canToggle) {
      const enable = r.state === 'disabled';
      const toggle = h('button', { type: 'button', text: i18n(enable ? 'aliasEnable' : 'aliasDisable'), attrs: described, data: { action: 'toggle' } });
      toggle.addEventListener('click', () => setEnabled(r, enable, toggle, errorBox, list));
      actions.append(toggle);
    } else if (provider && r.state === 'active' && provider.id !== 'mailtm') {
      actions.append(h('span', { className: 'note', text: i18n('aliasNoToggle', provider.name) }));
    }
  }
  if (caps?.inbox) {
    const inbox = h('button', { type: 'button', text: i18n('aliasInbox'), attrs: described, data: { action: 'inbox' } });
    inbox.addEventListener('click', () => openInbox(r, list));
    actions.append(inbox);
  }
  const label = h('button', { type: 'button', text: i18n('aliasLabel'), attrs: { ...described, 'aria-expanded': 'false' }, data: { action: 'label' } });
  label.addEventListener('click', () => openLabelEditor(r, panel, label, errorBox, list));
  const del = h('button', { type: 'button', className: 'danger', text: i18n('aliasDelete'), attrs: { ...described, 'aria-expanded': 'false' }, data: { action: 'delete' } });
  del.addEventListener('click', () => openDeleteConfirm(r, panel, del, errorBox, list));
  actions.append(label, del);

  const meta = h('div', { className: 'row-meta' }, [
    h('span', { className: `state state-${r.state}`, text: i18n(STATE_KEYS[r.state] ?? 'aliasStateActive') }),
    h('span', { className: 'source', text: sourceName(r.source, state.providers) }),
    r.label ? h('span', { className: 'label-text', text: r.label }) : null,
  ]);
  const dates = h('div', { className: 'row-dates' }, [
    timeElement(r.created, 'aliasCreated'),
    typeof r.expires === 'number'
      ? timeElement(r.expires, r.state === 'expired' || r.expires * 1000 <= Date.now() ? 'aliasExpiredOn' : 'aliasExpires')
      : null,
  ]);
  return h('li', { className: 'alias', data: { id: r.id, state: r.state, source: r.source } }, [
    h('div', { className: 'row-main' }, [h('span', { className: 'address', id: addrId, text: r.address }), copy]),
    meta,
    dates,
    actions,
    panel,
    errorBox,
  ]);
}

/**
 * @param {AliasRecord} r @param {HTMLButtonElement} button @param {HTMLElement} errorBox
 */
async function copyAddress(r, button, errorBox) {
  showError(errorBox, null);
  try {
    await navigator.clipboard.writeText(r.address);
  } catch (e) {
    showError(errorBox, { name: 'Clipboard', message: i18n('aliasCopyFailed', e instanceof Error ? e.message : String(e)) });
    const address = button.previousElementSibling;
    if (address) window.getSelection()?.selectAllChildren(address);
    return;
  }
  button.textContent = i18n('aliasCopied');
  button.classList.add('done');
  announce(i18n('aliasCopiedStatus', r.address));
  setTimeout(() => {
    button.textContent = i18n('aliasCopy');
    button.classList.remove('done');
  }, COPIED_FEEDBACK_MS);
}

/**
 * @param {AliasRecord} r @param {boolean} enabled @param {HTMLButtonElement} button
 * @param {HTMLElement} errorBox @param {string} list
 */
async function setEnabled(r, enabled, button, errorBox, list) {
  showError(errorBox, null);
  setBusy(button, true);
  announce(i18n('aliasWorking'));
  const reply = await send({ type: 'alias.setEnabled', id: r.id, enabled });
  setBusy(button, false);
  if (!reply.ok) {
    announce('');
    showError(errorBox, reply.error, openOptions);
    return;
  }
  announce(i18n(enabled ? 'aliasEnabledStatus' : 'aliasDisabledStatus', r.address));
  await refresh({ list, id: r.id, action: 'toggle' });
}

/**
 * Opens the inline label editor of a row; what the user typed stays until it is saved or
 * cancelled, also when saving fails.
 * @param {AliasRecord} r @param {HTMLElement} panel @param {HTMLButtonElement} opener
 * @param {HTMLElement} errorBox @param {string} list
 */
function openLabelEditor(r, panel, opener, errorBox, list) {
  if (opener.getAttribute('aria-expanded') === 'true') return closePanel(panel, opener);
  resetPanel(panel);
  const inputId = `${list}-label-${r.id}`;
  const input = h('input', { type: 'text', id: inputId, className: 'label-input', value: r.label ?? '', maxLength: 1000, autocomplete: 'off' });
  const save = h('button', { type: 'submit', className: 'primary', text: i18n('commonSave'), data: { action: 'save-label' } });
  const cancel = h('button', { type: 'button', text: i18n('commonCancel'), data: { action: 'cancel' }, on: { click: () => closePanel(panel, opener) } });
  const form = h('form', { className: 'label-form' }, [
    h('label', { htmlFor: inputId, className: 'visually-hidden', text: i18n('aliasLabelInput', r.address) }),
    input, save, cancel,
  ]);
  form.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); closePanel(panel, opener); } });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    showError(errorBox, null);
    setBusy(save, true);
    const reply = await send({ type: 'alias.label', id: r.id, label: input.value });
    setBusy(save, false);
    if (!reply.ok) {
      showError(errorBox, reply.error, openOptions);
      input.focus();
      return;
    }
    announce(i18n('aliasLabelSaved'));
    await refresh({ list, id: r.id, action: 'label' });
  });
  panel.append(form);
  panel.hidden = false;
  opener.setAttribute('aria-expanded', 'true');
  input.focus();
}

/**
 * Opens the delete confirmation of a row, with "also at <provider>" where the provider can
 * delete.
 * @param {AliasRecord} r @param {HTMLElement} panel @param {HTMLButtonElement} opener
 * @param {HTMLElement} errorBox @param {string} list
 */
function openDeleteConfirm(r, panel, opener, errorBox, list) {
  if (opener.getAttribute('aria-expanded') === 'true') return closePanel(panel, opener);
  resetPanel(panel);
  const provider = providerOf(r.source);
  const remote = provider && provider.capabilities.delete && (r.provider_id || provider.capabilities.inbox);
  const checkId = `${list}-atprovider-${r.id}`;
  const check = h('input', { type: 'checkbox', id: checkId, className: 'at-provider' });
  const warning = h('p', { className: 'note' });
  const updateWarning = () => {
    warning.textContent = !provider ? i18n('aliasDeleteLocalOnly') : check.checked ? '' : i18n('aliasDeleteStays', provider.name);
    warning.hidden = warning.textContent === '';
  };
  check.addEventListener('change', updateWarning);
  updateWarning();
  const yes = h('button', { type: 'button', className: 'danger', text: i18n('aliasDeleteYes'), data: { action: 'confirm-delete' } });
  const cancel = h('button', { type: 'button', text: i18n('commonCancel'), data: { action: 'cancel' }, on: { click: () => closePanel(panel, opener) } });
  yes.addEventListener('click', async () => {
    showError(errorBox, null);
    setBusy(yes, true);
    announce(i18n('aliasWorking'));
    const reply = await send({ type: 'alias.delete', id: r.id, atProvider: Boolean(remote && check.checked) });
    setBusy(yes, false);
    if (!reply.ok) {
      announce('');
      showError(errorBox, reply.error, openOptions);
      return;
    }
    announce(i18n('aliasDeletedStatus', r.address));
    await refresh();
    byId('search').focus();
  });
  const box = h('div', { className: 'confirm', attrs: { role: 'group', 'aria-label': i18n('aliasDeleteConfirm', r.address) } }, [
    h('p', { text: i18n('aliasDeleteConfirm', r.address) }),
    remote && provider ? h('div', { className: 'check' }, [check, h('label', { htmlFor: checkId, text: i18n('aliasDeleteAtProvider', provider.name) })]) : null,
    warning,
    h('div', { className: 'row-actions' }, [yes, cancel]),
  ]);
  box.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); closePanel(panel, opener); } });
  panel.append(box);
  panel.hidden = false;
  opener.setAttribute('aria-expanded', 'true');
  cancel.focus();
}

/** @param {HTMLElement} panel */
function resetPanel(panel) {
  panel.replaceChildren();
  for (const b of panel.parentElement?.querySelectorAll('[aria-expanded]') ?? []) b.setAttribute('aria-expanded', 'false');
}

/** @param {HTMLElement} panel @param {HTMLElement} opener */
function closePanel(panel, opener) {
  panel.replaceChildren();
  panel.hidden = true;
  opener.setAttribute('aria-expanded', 'false');
  opener.focus();
}

// ------------------------------------------------------------------ temporary inbox

const inbox = {
  record: /** @type {AliasRecord | null} */ (null),
  list: 'site',
};

/** @param {AliasRecord} r @param {string} list */
function openInbox(r, list) {
  inbox.record = r;
  inbox.list = list;
  byId('aliases-view').hidden = true;
  byId('inbox-view').hidden = false;
  byId('inbox-heading').textContent = i18n('inboxHeading', r.address);
  byId('inbox-back').focus();
  loadMessages();
}

function closeInbox() {
  byId('inbox-view').hidden = true;
  byId('aliases-view').hidden = false;
  const r = inbox.record;
  inbox.record = null;
  const target = r && document.querySelector(`#${inbox.list}-list li[data-id="${CSS.escape(r.id)}"] [data-action="inbox"]`);
  if (target instanceof HTMLElement) target.focus();
}

/**
 * A mail.tm date (ISO 8601) in the user's locale, or the text as sent.
 * @param {string} iso
 */
function inboxDate(iso) {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? h('span', { text: iso }) : timeElement(Math.floor(t / 1000));
}

async function loadMessages() {
  const r = inbox.record;
  if (!r) return;
  const status = byId('inbox-status');
  const list = byId('inbox-list');
  byId('inbox-message').hidden = true;
  list.hidden = false;
  status.textContent = i18n('inboxLoading');
  showError(byId('inbox-error'), null);
  const reply = await send({ type: 'inbox.read', id: r.id, what: 'messages' });
  if (inbox.record !== r) return;
  if (!reply.ok) {
    status.textContent = '';
    showError(byId('inbox-error'), reply.error, openOptions);
    return;
  }
  const { messages } = /** @type {{ messages: { id: string, from: string, subject: string, intro: string, created_at: string, seen: boolean }[] }} */ (reply.value);
  status.textContent = messages.length ? '' : i18n('inboxEmpty');
  list.replaceChildren(...messages.map((m) => h('li', { className: m.seen ? 'seen' : 'unseen' }, [
    h('button', { type: 'button', className: 'message-button', data: { messageId: m.id }, on: { click: () => openMessage(m.id) } }, [
      h('span', { className: 'message-subject', text: m.subject || i18n('inboxNoSubject') }),
      h('span', { className: 'message-from', text: m.from }),
      inboxDate(m.created_at),
      h('span', { className: 'message-intro', text: m.intro }),
    ]),
  ])));
}

/**
 * The readable text of an HTML part, without ever putting it into this page: it is parsed
 * into an inert document (no scripts run, nothing is fetched) and only its text is taken.
 * @param {string} html
 */
export function htmlToText(html) {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const n of doc.querySelectorAll('script, style, template, noscript, head, title')) n.remove();
  for (const n of doc.querySelectorAll('br, p, div, li, tr, h1, h2, h3, h4, h5, h6, blockquote, pre, table')) n.append('\n');
  return (doc.body?.textContent ?? '').replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** @param {string} messageId */
async function openMessage(messageId) {
  const r = inbox.record;
  if (!r) return;
  const status = byId('inbox-status');
  status.textContent = i18n('inboxLoading');
  showError(byId('inbox-error'), null);
  const reply = await send({ type: 'inbox.read', id: r.id, what: 'message', messageId });
  if (inbox.record !== r) return;
  status.textContent = '';
  if (!reply.ok) {
    showError(byId('inbox-error'), reply.error, openOptions);
    return;
  }
  const { message } = /** @type {{ message: { summary: { from: string, subject: string, created_at: string }, text: string, html: string } }} */ (reply.value);
  const htmlOnly = !message.text.trim() && message.html.trim() !== '';
  const body = htmlOnly ? htmlToText(message.html) : message.text;
  const back = h('button', { type: 'button', text: i18n('inboxMessages'), data: { action: 'back-to-list' }, on: { click: () => { loadMessages(); } } });
  const verdictSlot = h('div', { id: 'inbox-verdict' });
  const check = h('button', {
    type: 'button', text: i18n('inboxCheckSignature'),
    attrs: { 'aria-controls': 'inbox-verdict' },
    data: { action: 'check-signature' },
  });
  check.addEventListener('click', () => { checkSignature(r, messageId, check, verdictSlot); });
  const article = byId('inbox-message');
  article.replaceChildren(...[
    h('div', { className: 'inbox-bar' }, [back, check]),
    h('h3', { text: message.summary.subject || i18n('inboxNoSubject') }),
    h('dl', {}, [
      h('dt', { text: i18n('inboxFrom') }), h('dd', { text: message.summary.from }),
      h('dt', { text: i18n('inboxReceived') }), h('dd', {}, [inboxDate(message.summary.created_at)]),
    ]),
    verdictSlot,
    htmlOnly ? h('p', { className: 'note', text: i18n('inboxHtmlOnly') }) : null,
    h('pre', { className: 'message-body', text: body }),
  ].filter((n) => n !== null));
  article.dataset.messageId = messageId;
  byId('inbox-list').hidden = true;
  article.hidden = false;
  back.focus();
}

/**
 * Asks the background for the S/MIME verdict of the message on show (it fetches the raw
 * source from the provider and the core checks the exact bytes), and shows it in `slot`.
 * @param {AliasRecord} r @param {string} messageId @param {HTMLButtonElement} button @param {HTMLElement} slot
 */
async function checkSignature(r, messageId, button, slot) {
  const status = byId('inbox-status');
  const article = byId('inbox-message');
  showError(byId('inbox-error'), null);
  slot.replaceChildren();
  setBusy(button, true);
  status.textContent = i18n('inboxChecking');
  const reply = await send({ type: 'inbox.verify', id: r.id, messageId });
  // The user may have gone on to another message, or out of the inbox, meanwhile (a message
  // opened again gets a new slot: this one is then detached).
  if (inbox.record !== r || article.hidden || !slot.isConnected) return;
  setBusy(button, false);
  if (!reply.ok) {
    status.textContent = '';
    showError(byId('inbox-error'), reply.error, openOptions);
    return;
  }
  const verdict = /** @type {import('./verdict.js').Verdict} */ (reply.value);
  const block = verdictElement(verdict, 'inbox-verdict-block');
  slot.replaceChildren(block);
  status.textContent = i18n('inboxChecked', i18n(verdict.status === 'verified' ? 'verdictVerified' : verdict.status === 'invalid' ? 'verdictInvalid' : 'verdictNotVerified'));
}

// ------------------------------------------------------------------ about, start

async function renderAbout() {
  const status = byId('status');
  const info = await send({ type: 'core.info' });
  if (!info.ok) {
    status.textContent = i18n('popupCoreFailed', info.error.message);
    status.className = 'error';
    const loadError = byId('load-error');
    loadError.hidden = false;
    loadError.textContent = status.textContent;
    /** @type {HTMLDetailsElement} */ (byId('about')).open = true;
    document.body.dataset.ready = 'error';
    return;
  }
  const { version } = /** @type {{ version: string }} */ (info.value);
  byId('version').textContent = version;
  status.textContent = i18n('popupCoreReady', version);
  const test = await send({ type: 'core.selftest', input: 'ImpaleMail' });
  byId('selftest').textContent = test.ok ? /** @type {{ sha256: string }} */ (test.value).sha256 : test.error.message;
  document.body.dataset.ready = '1';
}

async function loadAliases() {
  state.url = await pageUrl();
  const [settings, providers] = await Promise.all([send({ type: 'settings.get' }), send({ type: 'alias.providers' })]);
  if (providers.ok) state.providers = /** @type {ProviderInfo[]} */ (providers.value);
  if (settings.ok) state.settings = /** @type {SettingsView} */ (settings.value);
  else showError(byId('create-error'), settings.error, openOptions);
  await refresh();
}

function start() {
  localize(document);
  const search = /** @type {HTMLInputElement} */ (byId('search'));
  search.placeholder = i18n('popupSearchPlaceholder');
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.query = search.value;
      refresh();
    }, SEARCH_DEBOUNCE_MS);
  });
  byId('create-form').addEventListener('submit', onCreate);
  byId('open-options').addEventListener('click', openOptions);
  byId('open-welcome').addEventListener('click', () => void openExtensionTab('ui/welcome.html'));
  byId('inbox-back').addEventListener('click', closeInbox);
  byId('inbox-refresh').addEventListener('click', () => { loadMessages(); });
  byId('inbox-view').addEventListener('keydown', (e) => { if (e.key === 'Escape') closeInbox(); });
  renderAbout();
  loadAliases();
  startMail();
}

start();
