// Local replicas of more webmails, for the adapters beyond Roundcube, SOGo, Gmail and Outlook
// (extension/content/webmail/<name>.js): just the DOM hooks and the routes each adapter relies
// on, written by us from the services' public behaviour and documentation, never copied from
// their pages. Each serves its app with a strict CSP, shows one message at a time like the
// original, and refuses its raw-message route without the session cookie and the token the
// original wants. Each records the raw-route requests it saw (`fetches`) and how it answered
// (`refused`).
//
// Outlook on the web on premises (Exchange 2016/2019), one origin:
//   GET  /owa/, /owa/projection.aspx      the app (sets X-OWA-CANARY); the item read is named
//        by `ItemID` in the query (`?ItemID=<id>&exvsurl=1&viewmodel=ReadMessageItem`, the read
//        form's URL) or after `#` (a message opened in its own window)
//   POST /owa/service.svc?action=GetItem  EWS JSON GetItem with IncludeMimeContent, as in
//        webmail-replicas.mjs (the canary header must equal the cookie, else HTTP 440)
//
// Horde IMP (Horde 5/6, dynamic view), one origin, under /horde/imp/:
//   GET  dynamic.php?page=mailbox           the mailbox (sets the session cookie Horde)
//   GET  dynamic.php?page=message&buid=<n>&mailbox=<base64url name>   the message window:
//        #msgHeaders .subject and #messageBody, as templates/dynamic/message.html.php has them
//   GET  view.php?actionID=view_source&buid=<n>&id=0&mailbox=<name>   the stored message as
//        text/plain; without the session cookie, or once the test ended the session
//        (`endSession()`), a redirect to the login page, as Horde does
//
// Zimbra (the HTML client), one origin:
//   GET  /h/search?action=view&id=<n>       the message page, made on the server as the HTML
//        client does (displayMessage.tag): table.Msg, td.MsgHdr, a#OPSHOWORIG, td.MsgBody;
//        sets the session cookie ZM_AUTH_TOKEN
//   GET  /service/home/~/?auth=co&view=text&id=<n>   the stored message as text/plain; without
//        the session cookie, or once the test ended the session, HTTP 401
//
// Nextcloud Mail, one origin:
//   GET  /apps/mail/box/1/thread/<id>       the app (sets the session cookie nc_session_id; the
//        CSRF token on <head data-requesttoken>); its list opens a thread with pushState
//   GET  /apps/mail/api/messages/<id>/source   JSON {source}; needs the session cookie and the
//        `requesttoken` header equal to the page's token, else HTTP 412 ("CSRF check failed")
//
// OX App Suite (7.x), one origin, under /appsuite/:
//   GET  /appsuite/                          the app (#io-ox-core; signed in: sets the HttpOnly
//        cookies open-xchange-secret-<hash> and open-xchange-session-<hash>, the hash made from
//        the User-Agent and the client name, as "Lifecycle of an OX Session" describes); its
//        list (.list-item[data-cid]) selects a mail by writing the hash `#!!&app=io.ox/mail&
//        folder=<folder>&id=<cid>`, and the detail view (article.mail-detail[data-cid]) follows
//   GET  /appsuite/api/login?action=autologin&client=open-xchange-appsuite   JSON {session}
//        from the session cookie of that User-Agent and client; an error object when there is
//        none or the test turned autologin off (`disableAutologin()`)
//   GET  /appsuite/api/mail?action=get&folder=<f>&id=<id>&src=1&session=<id>   JSON {data}
//        with the message's source; the session parameter must belong to the secret cookie,
//        else (also once the test ended the session, `endSession()`) an error `SES-0203`
//
// SnappyMail (2.x), one origin, under /snappymail/:
//   GET  /snappymail/                        the app (#rl-app; sets the session cookie smsession);
//        it asks `?/AppData/0/<n>/` for its data (JSON with accountHash, as boot.js does), and a
//        row of its list (.messageListItem) shows the message without changing the hash; the
//        view: the subject line (.messageItemHeader .subjectParent), the menu's "Download
//        original" link (the raw route with the key Message.js requestHash makes) and the body
//        (#messageItem .bodyText)
//   GET  /snappymail/?/Raw/&q[]=/0/Download/&q[]=/<key>   the stored message as message/rfc822;
//        with another account's hash in the key, without the session cookie, or once the test
//        ended the session (`endSession()`), an empty HTTP 200 page, as ServiceRaw answers
import crypto from 'node:crypto';
import http from 'node:http';
import { STRICT_CSP, cookies, ewsGetItem, listen, pageData, send } from './webmail-replicas.mjs';

/** @typedef {import('./webmail-replicas.mjs').ReplicaMessage} ReplicaMessage */
/** @typedef {http.Server & { origin: string, fetches: string[], refused: number[] }} Replica */

/** The page's shared script part: data, element helper. */
const COMMON_JS = `
let data = [];
function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
function load(then) { fetch('/replica/data.json').then((r) => r.json()).then((d) => { data = d; then(); document.body.dataset.replica = 'ready'; }); }
`;

/** An app page: title, its script, and a static skeleton. @param {string} title @param {string} script @param {string} skeleton */
const appPage = (title, script, skeleton) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<script src="/replica/${script}" defer></script></head><body>${skeleton}</body></html>`;

/**
 * A server with the replica's routes, where `route` answers what is its own (true when it did).
 * @param {(req: http.IncomingMessage, res: http.ServerResponse, url: URL, r: { fetches: string[], refused: number[] }) => boolean} route
 * @param {Record<string, string>} scripts the page scripts by file name
 * @param {ReplicaMessage[]} messages
 * @returns {Promise<Replica>}
 */
async function replica(route, scripts, messages) {
  /** @type {string[]} */ const fetches = [];
  /** @type {number[]} */ const refused = [];
  const srv = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const script = /^\/replica\/([a-z]+\.js)$/.exec(url.pathname)?.[1];
    if (script && scripts[script]) return send(res, 200, { 'content-type': 'text/javascript' }, COMMON_JS + scripts[script]);
    if (url.pathname === '/replica/data.json') return send(res, 200, { 'content-type': 'application/json' }, pageData(messages));
    if (!route(req, res, url, { fetches, refused })) send(res, 404, { 'content-type': 'text/plain' }, 'not found');
  });
  const s = await listen(srv);
  return Object.assign(s, { fetches, refused });
}

/** An HTML answer with the strict CSP and extra headers. @param {http.ServerResponse} res @param {string} html @param {Record<string, string>} [headers] */
const html = (res, html, headers = {}) => send(res, 200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': STRICT_CSP, ...headers }, html);

// ------------------------------------------------------------------ Exchange OWA on premises

// The list (div[role=option]) opens a message as OWA's own window does (`#viewmodel=
// ReadMessageItem&ItemID=<id>`); the read form: the subject (span.rpHighlightSubjectClass in a
// role=heading) and the body (aria-label "Message body").
const OWA_JS = `
const list = document.getElementById('list'); const pane = document.getElementById('read');
function itemId() {
  const q = new URLSearchParams(location.search).get('ItemID') ?? new URLSearchParams(location.hash.slice(1)).get('ItemID');
  return q === null ? null : q.replaceAll(' ', '+');
}
function render() {
  const msg = data.find((m) => m.id === itemId());
  if (!msg) { pane.replaceChildren(); return; }
  const h = el('div', 'subjectLine'); h.setAttribute('role', 'heading'); h.setAttribute('aria-level', '2');
  h.append(el('span', 'rpHighlightAllClass rpHighlightSubjectClass', msg.subject));
  const body = el('div', 'bodyWrap'); body.setAttribute('aria-label', 'Message body'); body.innerHTML = msg.bodyHtml;
  pane.replaceChildren(h, el('div', 'from', msg.from), body);
}
load(() => {
  for (const m of data) {
    const row = el('div', 'row', m.from + ' — ' + m.subject); row.setAttribute('role', 'option'); row.dataset.item = m.id; row.tabIndex = 0;
    row.addEventListener('click', () => { location.hash = 'viewmodel=ReadMessageItem&ItemID=' + encodeURIComponent(m.id); });
    list.append(row);
  }
  window.addEventListener('hashchange', render);
  render();
});
`;

/**
 * @param {{ messages: ReplicaMessage[] }} opts
 * @returns {Promise<Replica & { app: string }>}
 */
export async function startOwaReplica({ messages }) {
  const canary = crypto.randomBytes(24).toString('base64url');
  const s = await replica((req, res, url, r) => {
    if (url.pathname === '/owa/service.svc' && req.method === 'POST') {
      res.on('finish', () => { if (res.statusCode !== 200) r.refused.push(res.statusCode); });
      ewsGetItem(req, res, url, { canary, messages, fetches: r.fetches });
      return true;
    }
    if (url.pathname !== '/owa/' && url.pathname !== '/owa/projection.aspx') return false;
    html(res, appPage('Mail - Outlook Web App replica', 'owa.js',
      '<div id="owaApp"><div role="navigation">Inbox</div><div role="main"><div role="listbox" id="list" aria-label="Message list"></div><div id="read"></div></div></div>'),
    { 'set-cookie': `X-OWA-CANARY=${canary}; Path=/; SameSite=Lax` });
    return true;
  }, { 'owa.js': OWA_JS }, messages);
  return Object.assign(s, { app: `${s.origin}/owa/` });
}

// ------------------------------------------------------------------ Horde IMP

// The message window: the headers' subject and the body (the sender's HTML), drawn from the data.
const HORDE_JS = `
load(() => {
  const q = new URLSearchParams(location.search);
  const msg = data.find((m) => m.id === q.get('buid'));
  if (q.get('page') !== 'message' || !msg) return;
  document.querySelector('#msgHeaders .subject').textContent = msg.subject;
  document.getElementById('messageBody').innerHTML = msg.bodyHtml;
  document.getElementById('msgData').style.display = '';
});
`;

const HORDE_MESSAGE = '<div id="msgData" style="display:none"><div class="msgfullread"><div class="msgHeaders"><div id="msgHeaders">'
  + '<div><div class="subject allowTextSelection"></div><table id="msgHeadersTable"></table></div></div></div>'
  + '<div id="messageBody" class="messageBody allowTextSelection"></div></div></div>';

/**
 * @param {{ messages: ReplicaMessage[] }} opts `id` is the message's buid
 * @returns {Promise<Replica & { app: string, message: (buid: string) => string, endSession: () => void }>}
 */
export async function startHordeReplica({ messages }) {
  const session = crypto.randomBytes(16).toString('hex');
  let ended = false;
  const s = await replica((req, res, url, r) => {
    if (url.pathname === '/horde/imp/view.php') {
      r.fetches.push(url.pathname + url.search);
      const q = url.searchParams;
      if (ended || cookies(req).Horde !== session) {
        r.refused.push(302);
        send(res, 302, { location: '/horde/login.php' }, '');
        return true;
      }
      const m = messages.find((x) => x.id === q.get('buid'));
      if (q.get('actionID') !== 'view_source' || q.get('mailbox') !== 'SU5CT1g' || q.get('id') !== '0' || !m) return false;
      send(res, 200, { 'content-type': 'text/plain; charset=UTF-8', 'content-disposition': 'inline; filename="Message Source"' }, m.raw);
      return true;
    }
    if (url.pathname === '/horde/login.php') return (html(res, '<html><body>Log in</body></html>'), true);
    if (url.pathname !== '/horde/imp/dynamic.php') return false;
    const page = url.searchParams.get('page') === 'message' ? HORDE_MESSAGE : '<div id="horde-page"><div id="impbase"></div></div>';
    html(res, appPage('Horde IMP replica', 'horde.js', page), { 'set-cookie': `Horde=${session}; Path=/horde; HttpOnly; SameSite=Lax` });
    return true;
  }, { 'horde.js': HORDE_JS }, messages);
  return Object.assign(s, {
    app: `${s.origin}/horde/imp/dynamic.php?page=mailbox`,
    message: (/** @type {string} */ buid) => `${s.origin}/horde/imp/dynamic.php?page=message&buid=${buid}&mailbox=SU5CT1g`,
    endSession: () => { ended = true; },
  });
}

// ------------------------------------------------------------------ Zimbra

/** @param {string} t */
const escapeHtml = (t) => t.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The HTML client's message page, made on the server. @param {ReplicaMessage} m */
const zimbraMessage = (m) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Zimbra: ${escapeHtml(m.subject)}</title></head>
<body><table width="100%" class="Msg"><tr><td class="MsgHdr"><table><tr><td class="MsgHdrName">From :</td><td class="MsgHdrValue">${escapeHtml(m.from)}</td></tr>
<tr><td class="MsgHdrName">Subject :</td><td class="MsgHdrValue">${escapeHtml(m.subject)}</td></tr></table></td></tr>
<tr><td class="MsgOps"><a id="OPREPLY" href="/h/compose?op=reply&amp;id=${m.id}">Reply</a> <a id="OPSHOWORIG" target="_blank" href="/service/home/~/?id=${m.id}&amp;auth=co">Show original</a></td></tr>
<tr><td id="iframeBody1" class="MsgBody">${m.bodyHtml}</td></tr></table></body></html>`;

/**
 * @param {{ messages: ReplicaMessage[] }} opts `id` is the Zimbra item id
 * @returns {Promise<Replica & { message: (id: string) => string, endSession: () => void }>}
 */
export async function startZimbraReplica({ messages }) {
  const session = crypto.randomBytes(16).toString('hex');
  let ended = false;
  const s = await replica((req, res, url, r) => {
    const m = messages.find((x) => x.id === url.searchParams.get('id'));
    if (url.pathname === '/service/home/~/') {
      r.fetches.push(url.pathname + url.search);
      if (ended || cookies(req).ZM_AUTH_TOKEN !== session || url.searchParams.get('auth') !== 'co') {
        r.refused.push(401);
        send(res, 401, { 'content-type': 'text/html; charset=utf-8' }, '<html><body>must authenticate</body></html>');
        return true;
      }
      if (!m) return false;
      send(res, 200, { 'content-type': url.searchParams.get('view') === 'text' ? 'text/plain; charset=UTF-8' : 'message/rfc822' }, m.raw);
      return true;
    }
    if (url.pathname !== '/h/search' || !m) return false;
    html(res, zimbraMessage(m), { 'set-cookie': `ZM_AUTH_TOKEN=${session}; Path=/; HttpOnly; SameSite=Lax` });
    return true;
  }, {}, messages);
  return Object.assign(s, {
    message: (/** @type {string} */ id) => `${s.origin}/h/search?st=message&action=view&id=${id}`,
    endSession: () => { ended = true; },
  });
}

// ------------------------------------------------------------------ Nextcloud Mail

// The list (div.list-item[data-id]) opens a thread with pushState; the thread: the header with
// the subject (#mail-thread-header h2) and the envelope with its body (.mail-message-body).
const NEXTCLOUD_JS = `
const list = document.getElementById('list'); const pane = document.getElementById('thread');
function render() {
  const m = /\\/thread\\/([0-9]+)$/.exec(location.pathname);
  const msg = m && data.find((x) => x.id === m[1]);
  if (!msg) { pane.replaceChildren(); return; }
  const header = el('div'); header.id = 'mail-thread-header';
  const fields = el('div'); fields.id = 'mail-thread-header-fields'; fields.append(el('h2', '', msg.subject)); header.append(fields);
  const env = el('div', 'envelope'); env.append(el('div', 'sender', msg.from));
  const body = el('div', 'mail-message-body'); body.innerHTML = msg.bodyHtml; env.append(body);
  pane.replaceChildren(header, env);
}
load(() => {
  for (const m of data) {
    const row = el('div', 'list-item', m.from + ' — ' + m.subject); row.dataset.id = m.id; row.tabIndex = 0;
    row.addEventListener('click', () => { history.pushState({}, '', '/apps/mail/box/1/thread/' + m.id); render(); });
    list.append(row);
  }
  window.addEventListener('popstate', render);
  render();
});
`;

/**
 * @param {{ messages: ReplicaMessage[] }} opts `id` is the message's database id
 * @returns {Promise<Replica & { thread: (id: string) => string }>}
 */
export async function startNextcloudReplica({ messages }) {
  const session = crypto.randomBytes(16).toString('hex');
  const token = crypto.randomBytes(24).toString('base64') + ':' + crypto.randomBytes(24).toString('base64');
  const s = await replica((req, res, url, r) => {
    const source = /^\/apps\/mail\/api\/messages\/([0-9]+)\/source$/.exec(url.pathname);
    if (source) {
      r.fetches.push(url.pathname);
      if (cookies(req).nc_session_id !== session || req.headers.requesttoken !== token) {
        r.refused.push(412);
        send(res, 412, { 'content-type': 'application/json' }, JSON.stringify({ message: 'CSRF check failed' }));
        return true;
      }
      const m = messages.find((x) => x.id === source[1]);
      if (!m) return false;
      send(res, 200, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify({ source: m.raw.toString('utf8') }));
      return true;
    }
    if (!/^\/apps\/mail\/box\/1\/thread\/[0-9]+$/.test(url.pathname)) return false;
    html(res, appPage('Mail - Nextcloud replica', 'nextcloud.js', '<div id="content" class="app-mail"><div id="list"></div><div id="thread"></div></div>')
      .replace('<head>', `<head data-requesttoken="${token}">`),
    { 'set-cookie': `nc_session_id=${session}; Path=/; HttpOnly; SameSite=Lax` });
    return true;
  }, { 'nextcloud.js': NEXTCLOUD_JS }, messages);
  return Object.assign(s, { thread: (/** @type {string} */ id) => `${s.origin}/apps/mail/box/1/thread/${id}` });
}

// ------------------------------------------------------------------ OX App Suite

// The list selects a mail by writing the app's hash; the detail view: the header with the
// subject (h1.subject) and the content (.mail-detail-content), named by the mail's cid.
const OX_JS = `
const list = document.getElementById('list'); const pane = document.getElementById('detail');
const cid = (m) => 'default0/INBOX.' + m.id;
function render() {
  const h = new URLSearchParams(location.hash.slice(1));
  const msg = h.get('app') === 'io.ox/mail' && data.find((m) => cid(m) === h.get('id'));
  if (!msg) { pane.replaceChildren(); return; }
  const art = el('article', 'mail-detail'); art.dataset.cid = cid(msg);
  const header = el('header', 'detail-view-header'); header.append(el('div', 'from', msg.from), el('h1', 'subject', msg.subject));
  const body = el('section', 'mail-detail-content'); body.innerHTML = msg.bodyHtml;
  art.append(header, body);
  pane.replaceChildren(art);
}
load(() => {
  for (const m of data) {
    const row = el('li', 'list-item', m.from + ' — ' + m.subject); row.dataset.cid = cid(m); row.tabIndex = 0;
    row.addEventListener('click', () => { location.hash = '!!&app=io.ox/mail&folder=default0%2FINBOX&id=' + encodeURIComponent(cid(m)); });
    list.append(row);
  }
  window.addEventListener('hashchange', render);
  render();
});
`;

/**
 * @param {{ messages: ReplicaMessage[] }} opts `id` is the mail's IMAP UID in default0/INBOX
 * @returns {Promise<Replica & { app: string, mail: (id: string) => string, session: string, disableAutologin: () => void, endSession: () => void }>}
 */
export async function startOxReplica({ messages }) {
  const session = crypto.randomBytes(16).toString('hex');
  const secret = crypto.randomBytes(16).toString('hex');
  let autologin = true;
  let ended = false;
  /** The cookie hash: of the User-Agent and the client name. @param {http.IncomingMessage} req @param {string} client */
  const hash = (req, client) => crypto.createHash('sha256').update(`${req.headers['user-agent']}\n${client}`).digest('base64url').slice(0, 22);
  const json = (/** @type {http.ServerResponse} */ res, /** @type {unknown} */ body) => send(res, 200, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(body));
  const s = await replica((req, res, url, r) => {
    const q = url.searchParams;
    if (url.pathname === '/appsuite/api/login' && q.get('action') === 'autologin') {
      r.fetches.push(`${url.pathname}?action=autologin&client=${q.get('client')}`);
      const c = cookies(req)[`open-xchange-session-${hash(req, q.get('client') ?? '')}`];
      if (!autologin || c !== session) {
        r.refused.push(200);
        json(res, { error: 'The session could not be restored.', code: 'LGI-0016' });
      } else json(res, { session, user: 'alice', user_id: 3, context_id: 1, locale: 'en_US' });
      return true;
    }
    if (url.pathname === '/appsuite/api/mail' && q.get('action') === 'get' && q.get('src') === '1') {
      r.fetches.push(`${url.pathname}?folder=${q.get('folder')}&id=${q.get('id')}&session=${q.get('session') === session ? 'S' : 'other'}`);
      if (ended || q.get('session') !== session || cookies(req)[`open-xchange-secret-${hash(req, 'open-xchange-appsuite')}`] !== secret) {
        r.refused.push(200);
        json(res, { error: 'Your session expired. Please login again.', code: 'SES-0203' });
        return true;
      }
      const m = messages.find((x) => x.id === q.get('id'));
      if (q.get('folder') !== 'default0/INBOX' || !m) return false;
      json(res, { data: m.raw.toString('utf8') });
      return true;
    }
    if (url.pathname !== '/appsuite/') return false;
    const h = hash(req, 'open-xchange-appsuite');
    html(res, appPage('OX App Suite replica', 'ox.js', '<div id="io-ox-core"><div id="io-ox-windowmanager"><ul id="list"></ul><div id="detail"></div></div></div>'), {
      'set-cookie': /** @type {any} */ ([`open-xchange-secret-${h}=${secret}; Path=/; HttpOnly; SameSite=Lax`, `open-xchange-session-${h}=${session}; Path=/; HttpOnly; SameSite=Lax`]),
    });
    return true;
  }, { 'ox.js': OX_JS }, messages);
  return Object.assign(s, {
    app: `${s.origin}/appsuite/#!!&app=io.ox/mail&folder=default0%2FINBOX`,
    mail: (/** @type {string} */ id) => `${s.origin}/appsuite/#!!&app=io.ox/mail&folder=default0%2FINBOX&id=default0%2FINBOX.${id}`,
    session,
    disableAutologin: () => { autologin = false; },
    endSession: () => { ended = true; },
  });
}

// ------------------------------------------------------------------ SnappyMail

// The list shows a message in the view (the hash stays); the view's menu carries the raw route
// with the key the app makes (base64url JSON), the body the sender's HTML.
const SNAPPYMAIL_JS = `
const list = document.getElementById('list'); const view = document.getElementById('view');
let accountHash = '';
const b64url = (s) => btoa(unescape(encodeURIComponent(s))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
function show(msg) {
  const key = b64url(JSON.stringify({ folder: 'INBOX', uid: Number(msg.id), mimeType: 'message/rfc822', fileName: msg.subject + '.eml', accountHash }));
  const b = el('div', 'b-message');
  const tools = el('div', 'message-fixed-button-toolbar'); const menu = el('menu', 'dropdown-menu');
  const a = el('a', '', 'Download original'); a.setAttribute('data-i18n', 'MESSAGE/MENU_DOWNLOAD_ORIGINAL'); a.target = '_blank';
  a.href = location.pathname.replace(/\\/+$/, '') + '/?/Raw/&q[]=/0/Download/&q[]=/' + key;
  menu.append(a); tools.append(menu);
  const head = el('div', 'messageItemHeader'); const subj = el('div', 'subjectParent'); subj.append(el('span', 'subject', msg.subject)); head.append(subj);
  const item = el('div'); item.id = 'messageItem'; const body = el('div', 'bodyText'); body.innerHTML = msg.bodyHtml; item.append(body);
  b.append(tools, head, item);
  view.replaceChildren(b);
}
fetch(location.pathname + '?/AppData/0/' + Math.random().toString().slice(2) + '/', { headers: { Accept: 'application/json' } })
  .then((r) => r.json()).then((d) => { accountHash = d.accountHash; load(() => {
    for (const m of data) {
      const row = el('div', 'messageListItem', m.from + ' — ' + m.subject); row.dataset.uid = m.id; row.tabIndex = 0;
      row.addEventListener('click', () => show(m));
      list.append(row);
    }
  }); });
`;

/**
 * @param {{ messages: ReplicaMessage[] }} opts `id` is the message's IMAP UID in INBOX
 * @returns {Promise<Replica & { app: string, accountHash: string, endSession: () => void }>}
 */
export async function startSnappymailReplica({ messages }) {
  const session = crypto.randomBytes(16).toString('hex');
  const accountHash = crypto.createHash('sha1').update(session).digest('hex');
  let ended = false;
  const s = await replica((req, res, url, r) => {
    if (url.pathname !== '/snappymail/') return false;
    const q = decodeURIComponent(url.search);
    if (q.startsWith('?/AppData/')) {
      send(res, 200, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify({ Auth: true, accountHash, System: {} }));
      return true;
    }
    const raw = /^\?\/Raw\/&q\[\]=\/0\/Download\/&q\[\]=\/([\w-]+)$/.exec(q);
    if (raw) {
      r.fetches.push(`/snappymail/?/Raw/&q[]=/0/Download/&q[]=/${raw[1].length > 8 ? 'key' : raw[1]}`);
      /** @type {any} */ let key = null;
      try { key = JSON.parse(Buffer.from(raw[1], 'base64url').toString('utf8')); } catch { /* not a key */ }
      const m = messages.find((x) => key && key.folder === 'INBOX' && x.id === String(key.uid));
      if (ended || cookies(req).smsession !== session || key?.accountHash !== accountHash || !m) {
        r.refused.push(200);
        send(res, 200, { 'content-type': 'text/html; charset=utf-8' }, '');
        return true;
      }
      send(res, 200, { 'content-type': 'message/rfc822', 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(key.fileName)}` }, m.raw);
      return true;
    }
    if (url.search) return false;
    html(res, appPage('SnappyMail replica', 'snappymail.js', '<div id="rl-app"><div id="list"></div><div id="view"></div></div>'),
      { 'set-cookie': `smsession=${session}; Path=/; HttpOnly; SameSite=Lax` });
    return true;
  }, { 'snappymail.js': SNAPPYMAIL_JS }, messages);
  return Object.assign(s, { app: `${s.origin}/snappymail/#/mailbox/INBOX`, accountHash, endSession: () => { ended = true; } });
}
