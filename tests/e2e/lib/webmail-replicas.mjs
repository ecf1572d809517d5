// Local replicas of Gmail and Outlook on the web: just the DOM hooks and URL routes ImpaleMail's
// adapters rely on (extension/content/webmail/gmail.js, outlook.js), written by us from the
// services' public behaviour, never copied from their pages. They are single-page apps like the
// originals (a conversation replaces the inbox without a new document), authenticate the raw
// message routes with a cookie like the originals, and serve pages with a strict CSP.
//
// Gmail replica, one origin:
//   GET  /mail/u/0/                         the app (sets the session cookie SID)
//   GET  /mail/u/0/?ik=<key>&view=att&th=<legacy>&attid=0&disp=comp&safe=1&zw   the message's bytes
//   GET  /mail/u/0/?ik=<key>&view=att&permmsgid=msg-f:<n>&attid=0&disp=comp&safe=1&zw
//        (no session cookie: 302 to a sign-in page, as Gmail does; no or another account key
//        `ik`: an error page. The app page carries the key as Gmail does, the tenth element of
//        `GLOBALS` in an inline script, here with a CSP nonce)
//   GET  /replica/gmail.js, /replica/data.json
//   GET  /replica/framed.html               the app in an iframe of its own origin, at #inbox/t1
// Outlook replica, another origin:
//   GET  /mail/0/inbox[/id/<ItemId>]        the app (sets X-OWA-CANARY)
//   POST /owa/service.svc?action=GetItem    EWS JSON GetItem with IncludeMimeContent; needs the
//        canary header equal to the cookie (else HTTP 440, OWA's "login timeout")
//   GET  /replica/outlook.js, /replica/data.json
import crypto from 'node:crypto';
import http from 'node:http';

export const STRICT_CSP = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'";

/**
 * One message of a replica mailbox.
 * @typedef {{ id: string, thread: string, subject: string, from: string, bodyHtml: string, raw: Buffer }} ReplicaMessage
 */

/** @param {http.ServerResponse} res @param {number} status @param {Record<string, string>} headers @param {string | Buffer} body */
export function send(res, status, headers, body) {
  res.writeHead(status, { 'cache-control': 'no-store', ...headers });
  res.end(body);
}

/** @param {http.IncomingMessage} req */
export function cookies(req) {
  return Object.fromEntries((req.headers.cookie ?? '').split(';').map((c) => c.trim().split('=')).filter((kv) => kv.length === 2));
}

/** @param {http.Server} srv @returns {Promise<http.Server & { origin: string }>} */
export function listen(srv) {
  return new Promise((resolve, reject) => {
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = /** @type {import('node:net').AddressInfo} */ (srv.address());
      resolve(Object.assign(srv, { origin: `http://127.0.0.1:${addr.port}` }));
    });
  });
}

/** What the page scripts get: everything but the bytes. @param {ReplicaMessage[]} messages */
export const pageData = (messages) => JSON.stringify(messages.map((m) => ({ id: m.id, thread: m.thread, subject: m.subject, from: m.from, bodyHtml: m.bodyHtml })));

// ------------------------------------------------------------------ Gmail

/** The replica account's key (`ik`): a few hex digits, as Gmail's. */
export const GMAIL_IK = 'a1b2c3d4e5';
/** The nonce of the app page's inline script. */
const GMAIL_NONCE = crypto.randomBytes(16).toString('base64');

const GMAIL_APP = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Inbox - replica@example.test - Gmail replica</title>
<script nonce="${GMAIL_NONCE}">var GLOBALS=[null,null,4711,"replica@example.test",null,"mail",[],"",false,"${GMAIL_IK}","en",1];</script>
<script src="/replica/gmail.js" defer></script></head>
<body><div class="nH"><div role="navigation" class="aeN">Inbox</div>
<div role="main" id="main"></div></div></body></html>`;

// The app: the inbox is a table of threads (tr.zA); a click opens the thread under
// #inbox/<thread>; each message is a div.adn with its id, a header div.gE and a body div.ii.gt.
const GMAIL_JS = `
const main = document.getElementById('main');
let data = [];
function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
function inbox() {
  const table = el('table', 'F'); const tbody = el('tbody');
  const threads = [...new Set(data.map((m) => m.thread))];
  for (const t of threads) {
    const first = data.find((m) => m.thread === t);
    const tr = el('tr', 'zA'); tr.dataset.thread = t; tr.tabIndex = 0;
    tr.append(el('td', 'yX', first.from), el('td', 'xY', first.subject));
    tr.addEventListener('click', () => { location.hash = '#inbox/' + t; });
    tbody.append(tr);
  }
  table.append(tbody); main.replaceChildren(table);
}
function thread(t) {
  const box = el('div', 'nH conversation');
  box.append(el('h2', 'hP', data.find((m) => m.thread === t)?.subject ?? ''));
  for (const m of data.filter((x) => x.thread === t)) {
    const adn = el('div', 'adn ads');
    let holder = adn;
    if (/^msg-f:/.test(m.id)) { holder = el('div'); holder.dataset.messageId = '#' + m.id; adn.append(holder); }
    else adn.dataset.legacyMessageId = m.id;
    const header = el('div', 'gE iv gt'); header.append(el('h3', 'iw', m.from));
    const body = el('div', 'ii gt'); const inner = el('div', 'a3s aiL');
    // The mail's own HTML, as Gmail shows it (sanitised there; the replica trusts its fixtures).
    inner.innerHTML = m.bodyHtml;
    body.append(inner); holder.append(header, body); box.append(adn);
  }
  main.replaceChildren(box);
}
function route() {
  const m = /^#inbox\\/([0-9a-z]+)$/.exec(location.hash);
  if (m) thread(m[1]); else inbox();
}
fetch('/replica/data.json').then((r) => r.json()).then((d) => { data = d; route(); window.addEventListener('hashchange', route); document.body.dataset.replica = 'ready'; });
`;

/**
 * @param {{ messages: ReplicaMessage[] }} opts
 * @returns {Promise<http.Server & { origin: string, app: string, fetches: string[] }>}
 */
export async function startGmailReplica({ messages }) {
  /** Raw-source requests seen (path and query), for the tests. @type {string[]} */
  const fetches = [];
  const srv = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/replica/gmail.js') return send(res, 200, { 'content-type': 'text/javascript' }, GMAIL_JS);
    if (url.pathname === '/replica/data.json') return send(res, 200, { 'content-type': 'application/json' }, pageData(messages));
    if (url.pathname === '/mail/u/0/' && url.searchParams.get('view') === 'att') {
      fetches.push(url.pathname + url.search);
      if (cookies(req).SID !== 'replica-session') return send(res, 302, { location: '/accounts/signin' }, '');
      if (url.searchParams.get('ik') !== GMAIL_IK) return send(res, 400, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': STRICT_CSP }, '<html><body>Error</body></html>');
      const want = url.searchParams.get('th') ?? url.searchParams.get('permmsgid');
      const m = messages.find((x) => x.id === want);
      if (!m || url.searchParams.get('disp') !== 'comp' || url.searchParams.get('attid') !== '0') {
        return send(res, 404, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': STRICT_CSP }, '<html><body>Not found</body></html>');
      }
      return send(res, 200, { 'content-type': 'text/plain; charset=us-ascii', 'content-disposition': 'attachment; filename="original_msg.eml"' }, m.raw);
    }
    if (url.pathname === '/mail/u/0/') {
      const csp = STRICT_CSP.replace("script-src 'self'", `script-src 'self' 'nonce-${GMAIL_NONCE}'`);
      return send(res, 200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp, 'set-cookie': 'SID=replica-session; Path=/; HttpOnly; SameSite=Lax' }, GMAIL_APP);
    }
    // The app framed by a page of its own origin (as Roundcube's preview is): its verdict is the tab's.
    if (url.pathname === '/replica/framed.html') {
      return send(res, 200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': STRICT_CSP }, `<!doctype html><html><head><title>Framed</title></head><body><iframe id="app" src="/mail/u/0/#inbox/t1" width="800" height="500"></iframe></body></html>`);
    }
    if (url.pathname === '/accounts/signin') return send(res, 200, { 'content-type': 'text/html; charset=utf-8' }, '<html><body>Sign in</body></html>');
    send(res, 404, { 'content-type': 'text/plain' }, 'not found');
  });
  const s = await listen(srv);
  return Object.assign(s, { app: `${s.origin}/mail/u/0/`, fetches });
}

// ------------------------------------------------------------------ Outlook

const OUTLOOK_APP = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mail - Outlook replica</title>
<script src="/replica/outlook.js" defer></script></head>
<body><div id="app"><div role="navigation">Inbox</div>
<div role="main"><div role="listbox" id="list" aria-label="Message list"></div>
<div id="ReadingPaneContainerId"></div></div></div></body></html>`;

// The app: rows (div[role=option]) open /mail/0/inbox/id/<ItemId> with history.pushState and
// render the reading pane: a subject heading and the body (aria-label "Message body").
const OUTLOOK_JS = `
const list = document.getElementById('list');
const pane = document.getElementById('ReadingPaneContainerId');
let data = [];
function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
function render() {
  const m = /^\\/mail\\/0\\/inbox\\/id\\/([^/]+)$/.exec(location.pathname);
  const msg = m ? data.find((x) => x.id === decodeURIComponent(m[1])) : null;
  if (!msg) { pane.replaceChildren(); return; }
  const heading = el('div', 'subject', msg.subject); heading.setAttribute('role', 'heading'); heading.setAttribute('aria-level', '2');
  const body = el('div', 'body'); body.setAttribute('aria-label', 'Message body'); body.innerHTML = msg.bodyHtml;
  pane.replaceChildren(heading, el('div', 'from', msg.from), body);
}
function go(path) { history.pushState({}, '', path); render(); }
fetch('/replica/data.json').then((r) => r.json()).then((d) => {
  data = d;
  for (const m of data) {
    const row = el('div', 'row', m.from + ' — ' + m.subject); row.setAttribute('role', 'option'); row.dataset.item = m.id; row.tabIndex = 0;
    row.addEventListener('click', () => go('/mail/0/inbox/id/' + encodeURIComponent(m.id)));
    list.append(row);
  }
  const back = el('button', 'back', 'Inbox'); back.id = 'back'; back.addEventListener('click', () => go('/mail/0/inbox'));
  list.append(back);
  window.addEventListener('popstate', render);
  render();
  document.body.dataset.replica = 'ready';
});
`;

/**
 * Exchange's `POST /owa/service.svc?action=GetItem` (EWS JSON) with `IncludeMimeContent`, as
 * both Outlook replicas answer it: the canary header must equal the cookie (else HTTP 440,
 * OWA's "login timeout").
 * @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {URL} url
 * @param {{ canary: string, messages: ReplicaMessage[], fetches: string[] }} opts
 */
export function ewsGetItem(req, res, url, { canary, messages, fetches }) {
  fetches.push(url.pathname + url.search);
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    if (cookies(req)['X-OWA-CANARY'] !== canary || req.headers['x-owa-canary'] !== canary) return send(res, 440, { 'content-type': 'text/plain' }, 'Login Timeout');
    if (url.searchParams.get('action') !== 'GetItem' || req.headers.action !== 'GetItem') return send(res, 400, { 'content-type': 'text/plain' }, 'bad action');
    /** @type {any} */
    let request;
    try { request = JSON.parse(body); } catch { return send(res, 400, { 'content-type': 'text/plain' }, 'bad json'); }
    const id = request?.Body?.ItemIds?.[0]?.Id;
    const m = messages.find((x) => x.id === id);
    const withMime = request?.Body?.ItemShape?.IncludeMimeContent === true;
    const item = m && withMime
      ? { __type: 'ItemInfoResponseMessage:#Exchange', ResponseClass: 'Success', ResponseCode: 'NoError',
        Items: [{ __type: 'Message:#Exchange', ItemId: { Id: id }, MimeContent: { CharacterSet: 'UTF-8', Value: m.raw.toString('base64') } }] }
      : { __type: 'ItemInfoResponseMessage:#Exchange', ResponseClass: 'Error', ResponseCode: 'ErrorItemNotFound', Items: [] };
    send(res, 200, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify({ Header: {}, Body: { ResponseMessages: { Items: [item] } } }));
  });
}

/**
 * @param {{ messages: ReplicaMessage[] }} opts
 * @returns {Promise<http.Server & { origin: string, app: string, fetches: string[] }>}
 */
export async function startOutlookReplica({ messages }) {
  const canary = crypto.randomBytes(24).toString('base64url');
  /** @type {string[]} */
  const fetches = [];
  const srv = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/replica/outlook.js') return send(res, 200, { 'content-type': 'text/javascript' }, OUTLOOK_JS);
    if (url.pathname === '/replica/data.json') return send(res, 200, { 'content-type': 'application/json' }, pageData(messages));
    if (url.pathname === '/owa/service.svc' && req.method === 'POST') return ewsGetItem(req, res, url, { canary, messages, fetches });
    if (url.pathname === '/mail/0/inbox' || url.pathname.startsWith('/mail/0/inbox/id/')) {
      return send(res, 200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': STRICT_CSP, 'set-cookie': `X-OWA-CANARY=${canary}; Path=/; SameSite=Lax` }, OUTLOOK_APP);
    }
    send(res, 404, { 'content-type': 'text/plain' }, 'not found');
  });
  const s = await listen(srv);
  return Object.assign(s, { app: `${s.origin}/mail/0/inbox`, fetches });
}
