// A DNS-over-HTTPS stand-in on 127.0.0.1 for the tests (RFC 8484 wire format, GET `?dns=` and
// POST): it answers TXT questions from a zone (the DKIM keys and DMARC records of
// tests/fixtures/dkim/dns.json), and has one path per way a resolver goes wrong:
//
//   /dns-query   the zone: TXT records (strings over 255 bytes split into several
//                character-strings, RFC 1035 §3.3.14), `{ cname }` entries, NXDOMAIN with an SOA
//                for any other name (RFC 2308), NOERROR without records for `{ nodata: true }`
//   /timeout     never answers
//   /nxdomain    NXDOMAIN for every name
//   /servfail    SERVFAIL for every name
//   /garbage     HTTP 200 with bytes that are not a DNS message
//
// Every answer carries `access-control-allow-origin: *`: the test browsers hold no host
// permission for 127.0.0.1 (the options page asks for it in a click a test cannot make).
// Run on its own (`node tests/e2e/lib/doh-server.mjs ZONE.json`), it prints its URL and serves
// until killed (the CLI test, tests/cli_doh.rs).
import fs from 'node:fs';
import http from 'node:http';

/** The TTL of every answer, seconds. */
export const TTL = 300;

/**
 * @typedef {Record<string, string[] | { cname: string } | { nodata: true }>} Zone
 * @typedef {{ server: http.Server, url: string, asked: string[], close(): Promise<void> }} DohServer
 */

/** A DNS name in wire form. @param {string} name */
function wireName(name) {
  const out = [];
  for (const l of name.replace(/\.$/, '').split('.')) out.push(l.length, ...Buffer.from(l, 'latin1'));
  out.push(0);
  return out;
}

/** One resource record. @param {number[]} owner @param {number} type @param {number[]} rdata @param {number} [ttl] */
function rr(owner, type, rdata, ttl = TTL) {
  return [...owner, type >> 8, type & 255, 0, 1, ttl >>> 24, (ttl >> 16) & 255, (ttl >> 8) & 255, ttl & 255, rdata.length >> 8, rdata.length & 255, ...rdata];
}

/** A TXT record's rdata: the text in character-strings of at most 255 bytes. @param {string} text */
function txtRdata(text) {
  const b = Buffer.from(text, 'latin1');
  const out = [];
  for (let i = 0; i < b.length || i === 0; i += 255) {
    const part = b.subarray(i, i + 255);
    out.push(part.length, ...part);
  }
  return out;
}

/**
 * The answer to `query` (a DNS message) from `zone`, or with the RCODE `force`.
 * @param {Buffer} query @param {Zone} zone @param {number | null} force
 * @returns {{ answer: Buffer, name: string }}
 */
export function answerQuery(query, zone, force) {
  // The question's name (no compression in a query) and its end.
  let at = 12;
  const labels = [];
  while (query[at] !== 0) {
    labels.push(query.subarray(at + 1, at + 1 + query[at]).toString('latin1'));
    at += 1 + query[at];
  }
  const question = query.subarray(12, at + 5);
  const name = labels.join('.').toLowerCase();
  const type = query.readUInt16BE(at + 1);
  const answers = [];
  let rcode = force ?? 0;
  let authority = [];
  if (force === null) {
    let entry = zone[name];
    let owner = [0xc0, 12];
    for (let hops = 0; entry && !Array.isArray(entry) && 'cname' in entry && hops < 8; hops++) {
      const target = wireName(entry.cname);
      answers.push(rr(owner, 5, target));
      owner = target;
      entry = zone[entry.cname.toLowerCase()];
    }
    if (Array.isArray(entry)) {
      if (type === 16) for (const t of entry) answers.push(rr(owner, 16, txtRdata(t)));
    } else if (!entry && answers.length === 0) {
      rcode = 3;
    }
    if (!(Array.isArray(entry) && type === 16 && entry.length > 0)) {
      // NXDOMAIN or NODATA: the zone's SOA, its minimum 60 s (RFC 2308 §5).
      const soa = [...wireName('ns.test'), ...wireName('hostmaster.test'), 0, 0, 0, 1, 0, 0, 14, 16, 0, 0, 7, 8, 0, 9, 58, 128, 0, 0, 0, 60];
      authority = [rr(wireName('test'), 6, soa, 120)];
    }
  }
  const header = Buffer.from([query[0], query[1], 0x81, 0x80 | rcode, 0, 1, 0, answers.length, 0, authority.length, 0, 0]);
  return { answer: Buffer.concat([header, question, ...answers.map((a) => Buffer.from(a)), ...authority.map((a) => Buffer.from(a))]), name };
}

/**
 * Starts the stand-in.
 * @param {{ zone: Zone, port?: number, onRequest?: (path: string, name: string) => void }} opts
 * @returns {Promise<DohServer>}
 */
export async function startDohServer({ zone, port = 0, onRequest }) {
  /** @type {string[]} */
  const asked = [];
  const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type, accept', 'access-control-allow-methods': 'GET, POST' };
  const server = http.createServer(async (req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'OPTIONS') return res.writeHead(204, cors).end();
    /** @type {Buffer} */
    let query;
    if (req.method === 'POST') {
      const parts = [];
      for await (const p of req) parts.push(p);
      query = Buffer.concat(parts);
    } else {
      query = Buffer.from(String(u.searchParams.get('dns') ?? '').replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    }
    const force = { '/dns-query': null, '/nxdomain': 3, '/servfail': 2 }[u.pathname];
    if (u.pathname === '/timeout') {
      onRequest?.(u.pathname, '');
      return; // never answers; closed with the server
    }
    if (u.pathname === '/garbage') {
      onRequest?.(u.pathname, '');
      return res.writeHead(200, { ...cors, 'content-type': 'application/dns-message' }).end(Buffer.from('<html>not a DNS answer</html>'));
    }
    if (force === undefined || query.length < 17) return res.writeHead(400, cors).end();
    const { answer, name } = answerQuery(query, zone, force);
    asked.push(name);
    onRequest?.(u.pathname, name);
    res.writeHead(200, { ...cors, 'content-type': 'application/dns-message', 'cache-control': `max-age=${TTL}` }).end(answer);
  });
  await new Promise((r) => server.listen(port, '127.0.0.1', () => r(undefined)));
  const addr = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    server,
    url: `http://127.0.0.1:${addr.port}`,
    asked,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r(undefined)); }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const zone = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const s = await startDohServer({ zone });
  process.stdout.write(`${s.url}\n`);
}
