// Mock alias-provider APIs on 127.0.0.1 for the end-to-end tests. They implement exactly the
// requests the core makes (src/alias/providers/<service>.rs), check the credentials the way the
// real service does, and record every request so the tests can assert what was sent.
//
// The extension calls them from its own origin (the background's fetch) without a host
// permission for 127.0.0.1 in the tests, so the mocks answer CORS preflights and send
// `Access-Control-Allow-Origin: *` on every response, as a self-hosted server set up for
// browser clients would.
import crypto from 'node:crypto';
import http from 'node:http';

/** Headers every response carries. */
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'Authentication, Authorization, Content-Type',
  'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  'access-control-max-age': '0',
};

/**
 * @typedef {{ method: string, path: string, auth: string | null, authorization: string | null,
 *   contentType: string | null, body: unknown, status: number }} Recorded
 */

/**
 * @param {http.IncomingMessage} req
 * @returns {Promise<string>}
 */
function readBody(req) {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c) => { text += c; });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

/**
 * A SimpleLogin API (simple-login/app docs/api.md) as the core uses it:
 * - `POST /api/alias/random/new?hostname=<host>` with `{note}` -> 201 alias object;
 * - `GET /api/v2/aliases?page_id=N` -> `{aliases: [...]}` (20 per page);
 * - `GET /api/aliases/:id` -> alias object; `POST /api/aliases/:id/toggle` -> `{enabled}`;
 * - `DELETE /api/aliases/:id` -> `{deleted: true}`.
 * Every call needs the header `Authentication: <key>` (401 otherwise, as SimpleLogin answers).
 * @param {{ key?: string, host?: string }} [opts]
 */
export async function startSimpleLoginMock({ key = 'sl-test-key', host = '127.0.0.1' } = {}) {
  /** @type {Recorded[]} */
  const requests = [];
  /** @type {Map<number, { id: number, email: string, enabled: boolean, note: string | null, hostname: string }>} */
  const aliases = new Map();
  let nextId = 42;

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    /** @param {number} status @param {unknown} body */
    const reply = (status, body) => {
      res.writeHead(status, { ...CORS, 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
      return status;
    };
    if (req.method === 'OPTIONS') {
      /** @type {Record<string, string>} */
      const headers = { ...CORS };
      // Chromium's Private Network Access preflight, in case the embedder enforces it.
      if (req.headers['access-control-request-private-network']) headers['access-control-allow-private-network'] = 'true';
      res.writeHead(204, headers);
      return res.end();
    }
    const raw = await readBody(req);
    /** @type {unknown} */
    let body = raw;
    try { body = raw ? JSON.parse(raw) : null; } catch { /* kept as text */ }
    const entry = {
      method: req.method ?? '',
      path: url.pathname + url.search,
      auth: /** @type {string | undefined} */ (req.headers.authentication) ?? null,
      authorization: req.headers.authorization ?? null,
      contentType: req.headers['content-type'] ?? null,
      body,
      status: 0,
    };
    requests.push(entry);
    if (entry.auth !== key) {
      entry.status = reply(401, { error: 'Wrong api key' });
      return;
    }
    const view = (/** @type {{ id: number, email: string, enabled: boolean, note: string | null }} */ a) => ({
      id: a.id, email: a.email, alias: a.email, enabled: a.enabled, note: a.note, name: null,
      creation_timestamp: 1772532000, nb_forward: 0, nb_block: 0, nb_reply: 0, pinned: false,
    });
    const one = /^\/api\/aliases\/(\d+)(\/toggle)?$/.exec(url.pathname);
    if (req.method === 'POST' && url.pathname === '/api/alias/random/new') {
      const hostname = url.searchParams.get('hostname') ?? '';
      const id = nextId++;
      const alias = { id, email: `random.word${id}@sl.test`, enabled: true, note: /** @type {any} */ (body)?.note ?? null, hostname };
      aliases.set(id, alias);
      entry.status = reply(201, view(alias));
    } else if (req.method === 'GET' && url.pathname === '/api/v2/aliases') {
      const page = Number(url.searchParams.get('page_id') ?? 'x');
      if (!Number.isInteger(page) || page < 0) entry.status = reply(400, { error: 'page_id must be provided in request query' });
      else entry.status = reply(200, { aliases: [...aliases.values()].slice(page * 20, page * 20 + 20).map(view) });
    } else if (one && req.method === 'GET' && !one[2]) {
      const a = aliases.get(Number(one[1]));
      entry.status = a ? reply(200, view(a)) : reply(404, { error: 'Unknown error' });
    } else if (one && req.method === 'POST' && one[2]) {
      const a = aliases.get(Number(one[1]));
      if (a) a.enabled = !a.enabled;
      entry.status = a ? reply(200, { enabled: a.enabled }) : reply(404, { error: 'Unknown error' });
    } else if (one && req.method === 'DELETE' && !one[2]) {
      const deleted = aliases.delete(Number(one[1]));
      entry.status = deleted ? reply(200, { deleted: true }) : reply(404, { error: 'Unknown error' });
    } else {
      entry.status = reply(404, { error: `no route ${req.method} ${url.pathname}` });
    }
  });
  await new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, host, () => resolve(undefined));
  });
  const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  return {
    origin: `http://${host}:${port}`,
    key,
    requests,
    aliases,
    /** Requests recorded since `mark` (an index into `requests`). @param {number} mark */
    since: (mark) => requests.slice(mark),
    close: () => new Promise((resolve) => {
      server.close(() => resolve(undefined));
      server.closeAllConnections(); // the browser keeps connections alive
    }),
  };
}

/**
 * The parts of an RFC 5322 message the mail.tm API reports about it (sender, subject, plain
 * text, HTML), read the simple way a mock needs: unfolded headers, multipart split on the
 * boundary, 7bit/8bit bodies only (what the fixtures use).
 * @param {Buffer} raw
 */
function describeMessage(raw) {
  const text = raw.toString('latin1');
  /** @param {string} entity */
  const split = (entity) => {
    const m = /\r?\n\r?\n/.exec(entity);
    const head = m ? entity.slice(0, m.index) : entity;
    const body = m ? entity.slice(m.index + m[0].length) : '';
    /** @type {Record<string, string>} */
    const headers = {};
    for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] ??= line.slice(i + 1).trim();
    }
    return { headers, body };
  };
  /** @type {{ text: string, html: string }} */
  const found = { text: '', html: '' };
  /** @param {string} entity @param {number} depth */
  const walk = (entity, depth) => {
    const { headers, body } = split(entity);
    const type = (headers['content-type'] ?? 'text/plain').toLowerCase();
    const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
    if (type.startsWith('multipart/') && boundary && depth < 8) {
      const parts = body.split(`--${boundary}`).slice(1);
      for (const p of parts) if (!p.startsWith('--')) walk(p.replace(/^\r?\n/, ''), depth + 1);
    } else if (type.startsWith('text/plain') && !found.text) {
      found.text = body.replace(/\r\n/g, '\n').trim();
    } else if (type.startsWith('text/html') && !found.html) {
      found.html = body.replace(/\r\n/g, '\n').trim();
    }
  };
  walk(text, 0);
  const { headers } = split(text);
  const from = headers.from ?? '';
  const angle = /^(.*?)\s*<([^>]+)>$/.exec(from);
  return {
    from: angle ? { name: angle[1].replace(/^"|"$/g, ''), address: angle[2] } : { name: '', address: from },
    subject: headers.subject ?? '',
    msgid: headers['message-id'] ?? '',
    text: found.text,
    html: found.html,
  };
}

/**
 * @typedef {{ method: string, path: string, authorization: string | null, accept: string | null,
 *   contentType: string | null, body: unknown, status: number, served?: Buffer }} MailTmRecorded
 */

/**
 * A mail.tm API (docs.mail.tm) as the core uses it (src/alias/providers/mailtm.rs):
 * - `GET /domains` -> Hydra collection of domains (open);
 * - `POST /accounts {address, password}` -> 201 account (open; 422 for a taken address, a
 *   domain not offered, or a bad body);
 * - `POST /token {address, password}` -> 200 `{id, token}` (open; 401 for wrong credentials);
 * - `GET /messages?page=1`, `GET /messages/{id}`, `GET /messages/{id}/download` (the raw
 *   RFC 5322 source, served byte for byte), `DELETE /accounts/{id}`: these need
 *   `Authorization: Bearer <token>` of that account (401 otherwise, as mail.tm answers an
 *   expired JWT). A message of another account is 404.
 * Tests put mail into an inbox with `deliver`, and make every issued token expire with
 * `expireTokens` (the core must then get a new one once).
 * @param {{ host?: string, domain?: string }} [opts]
 */
export async function startMailTmMock({ host = '127.0.0.1', domain = 'inbox.mailtm.test', port = 0 } = {}) {
  /**
   * While set, every request gets this answer (a service that is down or rate-limited):
   * `{ status, headers?, json? }`. For the first-run tests' failure cases.
   * @type {{ status: number, headers?: Record<string, string>, json?: unknown } | null}
   */
  let fault = null;
  /** @type {MailTmRecorded[]} */
  const requests = [];
  /** @type {Map<string, { id: string, address: string, password: string, createdAt: string }>} */
  const accounts = new Map();
  /** token -> account id, for tokens that are still valid */
  const tokens = new Map();
  /** @type {Map<string, { id: string, accountId: string, raw: Buffer, createdAt: string, seen: boolean }>} */
  const messages = new Map();
  let serial = 0;
  const newId = (/** @type {string} */ prefix) => `${prefix}${(++serial).toString(16).padStart(8, '0')}${crypto.randomBytes(4).toString('hex')}`;
  // A private domain first: the core must pick the first active *public* one.
  const domains = [
    { '@id': '/domains/d0', '@type': 'Domain', id: 'd0', domain: 'private.mailtm.test', isActive: true, isPrivate: true, createdAt: '2026-01-01T00:00:00+00:00', updatedAt: '2026-01-01T00:00:00+00:00' },
    { '@id': '/domains/d1', '@type': 'Domain', id: 'd1', domain, isActive: true, isPrivate: false, createdAt: '2026-01-01T00:00:00+00:00', updatedAt: '2026-01-01T00:00:00+00:00' },
  ];
  /** @param {unknown[]} members @param {string} id */
  const hydra = (members, id) => ({ '@context': `/contexts/${id}`, '@id': `/${id.toLowerCase()}s`, '@type': 'hydra:Collection', 'hydra:member': members, 'hydra:totalItems': members.length });
  /** @param {{ id: string, accountId: string, raw: Buffer, createdAt: string, seen: boolean }} m */
  const summary = (m) => {
    const d = describeMessage(m.raw);
    const to = accounts.get(m.accountId)?.address ?? '';
    return {
      '@id': `/messages/${m.id}`, '@type': 'Message', id: m.id, accountId: `/accounts/${m.accountId}`, msgid: d.msgid,
      from: d.from, to: [{ address: to, name: '' }], subject: d.subject,
      intro: (d.text || d.html.replace(/<(script|style|head)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim().slice(0, 100),
      seen: m.seen, isDeleted: false, hasAttachments: false, size: m.raw.length,
      downloadUrl: `/messages/${m.id}/download`, createdAt: m.createdAt, updatedAt: m.createdAt,
    };
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (req.method === 'OPTIONS') {
      /** @type {Record<string, string>} */
      const headers = { ...CORS };
      if (req.headers['access-control-request-private-network']) headers['access-control-allow-private-network'] = 'true';
      res.writeHead(204, headers);
      return res.end();
    }
    const rawBody = await readBody(req);
    /** @type {unknown} */
    let body = rawBody;
    try { body = rawBody ? JSON.parse(rawBody) : null; } catch { /* kept as text */ }
    /** @type {MailTmRecorded} */
    const entry = {
      method: req.method ?? '',
      path: url.pathname + url.search,
      authorization: req.headers.authorization ?? null,
      accept: req.headers.accept ?? null,
      contentType: req.headers['content-type'] ?? null,
      body,
      status: 0,
    };
    requests.push(entry);
    /** @param {number} status @param {unknown} [json] @param {string} [type] */
    const reply = (status, json, type = 'application/ld+json; charset=utf-8') => {
      if (json === undefined) {
        res.writeHead(status, CORS);
        res.end();
      } else {
        res.writeHead(status, { ...CORS, 'content-type': type });
        res.end(JSON.stringify(json));
      }
      entry.status = status;
    };
    /** @param {string} message */
    const unprocessable = (message) => reply(422, { '@type': 'ConstraintViolationList', 'hydra:title': 'An error occurred', 'hydra:description': message, violations: [{ propertyPath: 'address', message }] });
    const credentials = () => {
      const b = /** @type {any} */ (body);
      const json = /^application\/(ld\+)?json/.test(entry.contentType ?? '');
      return json && b && typeof b.address === 'string' && typeof b.password === 'string' ? { address: b.address, password: b.password } : null;
    };

    if (fault) {
      res.writeHead(fault.status, { ...CORS, 'content-type': 'application/json', ...(fault.headers ?? {}) });
      res.end(JSON.stringify(fault.json ?? { code: fault.status, message: 'fault' }));
      entry.status = fault.status;
      return;
    }
    if (req.method === 'GET' && url.pathname === '/domains') return reply(200, hydra(domains, 'Domain'));
    if (req.method === 'POST' && url.pathname === '/accounts') {
      const c = credentials();
      if (!c) return reply(400, { 'hydra:description': 'Invalid JSON body: address and password (strings) are required' });
      const at = c.address.lastIndexOf('@');
      const dom = at > 0 ? c.address.slice(at + 1) : '';
      if (!domains.some((d) => d.domain === dom && d.isActive && !d.isPrivate)) return unprocessable(`address: The domain "${dom}" is not valid.`);
      if (!/^[a-z0-9._-]+$/.test(c.address.slice(0, at))) return unprocessable('address: This value is not a valid email address.');
      if (c.password.length < 6) return unprocessable('password: This value is too short.');
      if ([...accounts.values()].some((a) => a.address === c.address)) return unprocessable('address: This value is already used.');
      const id = newId('acc');
      const createdAt = new Date().toISOString();
      accounts.set(id, { id, address: c.address, password: c.password, createdAt });
      return reply(201, { '@id': `/accounts/${id}`, '@type': 'Account', id, address: c.address, quota: 40000000, used: 0, isDisabled: false, isDeleted: false, createdAt, updatedAt: createdAt });
    }
    if (req.method === 'POST' && url.pathname === '/token') {
      const c = credentials();
      const account = c && [...accounts.values()].find((a) => a.address === c.address && a.password === c.password);
      if (!account) return reply(401, { code: 401, message: 'Invalid credentials.' }, 'application/json');
      const token = `jwt.${crypto.randomBytes(12).toString('hex')}`;
      tokens.set(token, account.id);
      return reply(200, { id: account.id, token }, 'application/json');
    }

    // Everything else needs a valid bearer token.
    const bearer = /^Bearer (\S+)$/.exec(entry.authorization ?? '')?.[1];
    const accountId = bearer ? tokens.get(bearer) : undefined;
    if (!accountId || !accounts.has(accountId)) {
      return reply(401, { code: 401, message: bearer ? 'Expired JWT Token' : 'JWT Token not found' }, 'application/json');
    }
    const one = /^\/messages\/([^/]+)(\/download)?$/.exec(url.pathname);
    const acct = /^\/accounts\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && url.pathname === '/messages') {
      const page = Number(url.searchParams.get('page') ?? '1');
      const mine = [...messages.values()].filter((m) => m.accountId === accountId).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      return reply(200, hydra(mine.slice((page - 1) * 30, page * 30).map(summary), 'Message'));
    }
    if (one && req.method === 'GET') {
      const m = messages.get(decodeURIComponent(one[1]));
      if (!m || m.accountId !== accountId) return reply(404, { '@type': 'hydra:Error', 'hydra:title': 'An error occurred', 'hydra:description': 'Not Found' });
      if (one[2]) {
        // The raw source, exactly as received: not re-encoded, not re-wrapped.
        res.writeHead(200, { ...CORS, 'content-type': 'message/rfc822', 'content-disposition': `attachment; filename="${m.id}.eml"`, 'content-length': String(m.raw.length) });
        res.end(m.raw);
        entry.status = 200;
        entry.served = m.raw;
        return;
      }
      m.seen = true;
      const d = describeMessage(m.raw);
      return reply(200, {
        ...summary(m), cc: [], bcc: [], flagged: false, verifications: [], retention: true,
        retentionDate: m.createdAt, text: d.text, html: d.html ? [d.html] : [], attachments: [],
      });
    }
    if (acct && req.method === 'DELETE') {
      const id = decodeURIComponent(acct[1]);
      if (id !== accountId) return reply(403, { '@type': 'hydra:Error', 'hydra:description': 'Access Denied.' });
      accounts.delete(id);
      for (const [mid, m] of messages) if (m.accountId === id) messages.delete(mid);
      for (const [t, a] of tokens) if (a === id) tokens.delete(t);
      return reply(204);
    }
    return reply(404, { '@type': 'hydra:Error', 'hydra:description': `no route ${req.method} ${url.pathname}` });
  });
  await new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(port, host, () => resolve(undefined));
  });
  const bound = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  return {
    origin: `http://${host}:${bound}`,
    port: bound,
    domain,
    /** Answers every request with this failure until `null`. @param {typeof fault} f */
    setFault(f) { fault = f; },
    /** Makes every domain private (none to make an address on) or public again. @param {boolean} on */
    setNoPublicDomain(on) { domains[1].isPrivate = on; },
    requests,
    accounts,
    messages,
    /** Requests recorded since `mark` (an index into `requests`). @param {number} mark */
    since: (mark) => requests.slice(mark),
    /**
     * Puts a message (its exact bytes) into the inbox of `address`; returns its id.
     * @param {string} address @param {Buffer} raw @param {{ createdAt?: string }} [opts]
     */
    deliver(address, raw, { createdAt = new Date().toISOString() } = {}) {
      const account = [...accounts.values()].find((a) => a.address === address);
      if (!account) throw new Error(`no mail.tm mock account ${address}`);
      const id = newId('msg');
      messages.set(id, { id, accountId: account.id, raw: Buffer.from(raw), createdAt, seen: false });
      return id;
    },
    /** Makes every token issued so far invalid (what an expired JWT looks like). */
    expireTokens() { tokens.clear(); },
    /** The tokens currently valid, for assertions. */
    validTokens: () => [...tokens.keys()],
    close: () => new Promise((resolve) => {
      server.close(() => resolve(undefined));
      server.closeAllConnections();
    }),
  };
}
