// The demo site and test pages, served on 127.0.0.1 only. Every HTML page is sent with a strict
// CSP (no inline script, no wasm in the page world) so the tests prove the extension works
// where sites lock themselves down.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

export const SITE_DIR = path.resolve(import.meta.dirname, '../../site');
export const STRICT_CSP = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'";

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.png': 'image/png', '.eml': 'message/rfc822' };

/**
 * Starts the server. `routes` may add handlers by pathname (tests' own pages and APIs).
 * @param {{ port?: number, host?: string, root?: string, routes?: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void> }} [opts]
 * @returns {Promise<http.Server & { origin: string }>}
 */
export function startServer({ port = 0, host = '127.0.0.1', root = SITE_DIR, routes = {} } = {}) {
  const srv = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = routes[url.pathname];
    if (route) return route(req, res);
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = path.resolve(root, rel);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    const headers = { 'content-type': type, 'cache-control': 'no-store' };
    if (type.startsWith('text/html')) headers['content-security-policy'] = STRICT_CSP;
    res.writeHead(200, headers);
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    srv.on('error', reject);
    srv.listen(port, host, () => {
      const addr = /** @type {import('node:net').AddressInfo} */ (srv.address());
      resolve(Object.assign(srv, { origin: `http://${host}:${addr.port}` }));
    });
  });
}
