// The web front of the SOGo test bed (tests/webmail/start-sogo.sh): what Apache does in Debian's
// /usr/share/doc/sogo/apache.conf, on 127.0.0.1 only. sogod (SOPE's own HTTP server) answers
// /SOGo/... but not the static files its pages link to (/SOGo.woa/WebServerResources/...);
// this server sends those from the sogo-common package and hands everything else to sogod,
// byte for byte, with the x-webobjects-server-* headers sogod builds its absolute URLs from.
//
//   node sogo-front.mjs LISTEN_PORT SOGOD_PORT
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

/** Where Debian's sogo-common puts SOGo's static web files. */
const RESOURCES = '/usr/share/GNUstep/SOGo/WebServerResources';
/** The URL prefixes Apache aliases to RESOURCES in Debian's example configuration. */
const RESOURCE_PREFIXES = ['/SOGo.woa/WebServerResources/', '/SOGo/WebServerResources/'];
/** Content types of the static files SOGo's pages load. */
const TYPES = {
  '.css': 'text/css', '.js': 'text/javascript', '.map': 'application/json', '.json': 'application/json',
  '.png': 'image/png', '.gif': 'image/gif', '.jpg': 'image/jpeg', '.svg': 'image/svg+xml', '.ico': 'image/x-icon',
  '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.eot': 'application/vnd.ms-fontobject',
  '.html': 'text/html; charset=utf-8', '.wav': 'audio/wav',
};

const [listenPort, sogodPort] = process.argv.slice(2).map(Number);
if (!(listenPort > 0 && sogodPort > 0)) {
  process.stderr.write('usage: node sogo-front.mjs LISTEN_PORT SOGOD_PORT\n');
  process.exit(2);
}

/** @param {http.ServerResponse} res @param {number} status @param {string} text */
const plain = (res, status, text) => { res.writeHead(status, { 'content-type': 'text/plain' }); res.end(text); };

/** @param {string} pathname @param {http.ServerResponse} res */
function sendResource(pathname, res) {
  const prefix = RESOURCE_PREFIXES.find((p) => pathname.startsWith(p)) ?? '';
  const file = path.resolve(RESOURCES, `.${path.posix.normalize(`/${decodeURIComponent(pathname.slice(prefix.length))}`)}`);
  if (!file.startsWith(`${RESOURCES}/`)) return plain(res, 403, 'forbidden');
  fs.stat(file, (err, st) => {
    if (err || !st.isFile()) return plain(res, 404, 'not found');
    res.writeHead(200, {
      'content-type': TYPES[/** @type {keyof TYPES} */ (path.extname(file))] ?? 'application/octet-stream',
      'content-length': st.size, 'cache-control': 'max-age=3600',
    });
    fs.createReadStream(file).pipe(res);
  });
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://front');
  if (req.method === 'GET' && RESOURCE_PREFIXES.some((p) => url.pathname.startsWith(p))) return sendResource(url.pathname, res);
  if (url.pathname === '/') { res.writeHead(302, { location: '/SOGo/' }); res.end(); return; }
  const host = req.headers.host ?? `127.0.0.1:${listenPort}`;
  const headers = { ...req.headers };
  delete headers['x-webobjects-remote-user'];
  Object.assign(headers, {
    'x-webobjects-server-name': host.replace(/:\d+$/, ''), 'x-webobjects-server-port': String(listenPort),
    'x-webobjects-server-url': `http://${host}`, 'x-webobjects-server-protocol': 'HTTP/1.0', connection: 'close',
  });
  // A fresh connection per request (agent: false): sogod's HTTP server does not keep connections
  // alive reliably (Debian's Apache example sets proxy-nokeepalive for it).
  const up = http.request({ host: '127.0.0.1', port: sogodPort, method: req.method, path: req.url, headers, agent: false }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
    answer.pipe(res);
  });
  up.on('error', (e) => { if (!res.headersSent) plain(res, 502, `sogod: ${e.message}`); else res.destroy(); });
  req.pipe(up);
});
server.listen(listenPort, '127.0.0.1');
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
