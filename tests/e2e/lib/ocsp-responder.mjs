// An OCSP responder for the tests, listening on 127.0.0.1 only: a Node HTTP server that answers
// each request (a POST body, or a GET with the base64 request in the path, RFC 6960 Appendix
// A.1) with `openssl ocsp` in its one-shot responder mode (`-reqin`/`-respout`), from the
// certificate index and responder key of `dir`. (`openssl ocsp -port` would listen on every
// interface, and serves one connection at a time.)
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

/**
 * @param {{ dir: string, port: number, responder?: string, headers?: Record<string, string>, onRequest?: () => void }} opts
 * `dir`: holds index.txt and pki/{responder,ca}.pem; `responder`: the signer's name in pki/
 * (default `responder`); `headers`: added to every answer (CORS for the browser tests);
 * `onRequest`: called for every request (the tests count them).
 * @returns {Promise<http.Server>}
 */
export function startOcspResponder({ dir, port, responder = 'responder', headers = {}, onRequest = () => {} }) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'impalemail-ocsp-'));
  let n = 0;
  const server = http.createServer((req, res) => {
    if (req.method === 'OPTIONS') { res.writeHead(204, headers); res.end(); return; }
    /** @type {Buffer[]} */
    const body = [];
    req.on('data', (c) => body.push(c));
    req.on('end', () => {
      onRequest();
      const der = req.method === 'GET'
        ? Buffer.from(decodeURIComponent(String(req.url).split('/').pop() ?? ''), 'base64')
        : Buffer.concat(body);
      const id = n++;
      const reqFile = path.join(work, `req-${id}.der`);
      const respFile = path.join(work, `resp-${id}.der`);
      fs.writeFileSync(reqFile, der);
      execFile('openssl', ['ocsp', '-index', 'index.txt', '-rsigner', `pki/${responder}.pem`, '-rkey', `pki/${responder}.key`,
        '-CA', 'pki/ca.pem', '-ndays', '7', '-reqin', reqFile, '-respout', respFile], { cwd: dir }, (err) => {
        if (err || !fs.existsSync(respFile)) {
          res.writeHead(500, headers);
          res.end();
          return;
        }
        res.writeHead(200, { ...headers, 'content-type': 'application/ocsp-response' });
        res.end(fs.readFileSync(respFile));
      });
    });
  });
  server.on('close', () => fs.rmSync(work, { recursive: true, force: true }));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
