// Mock alias-provider APIs on 127.0.0.1 for the end-to-end tests. They implement exactly the
// requests the core makes (src/alias/providers/<service>.rs), check the credentials the way the
// real service does, and record every request so the tests can assert what was sent.
//
// The extension calls them from its own origin (the background's fetch) without a host
// permission for 127.0.0.1 in the tests, so the mocks answer CORS preflights and send
// `Access-Control-Allow-Origin: *` on every response, as a self-hosted server set up for
// browser clients would.
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
