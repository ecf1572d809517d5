// A real SOGo 5 webmail for the end-to-end tests, on the Dovecot (and beside the Roundcube) of
// lib/roundcube.mjs, and a plain-HTTP client for the few SOGo requests the tests make
// themselves: log in, fetch a message's source. tests/webmail/start-sogo.sh starts it (its own
// PostgreSQL, memcached, sogod and a static front), tests/webmail/stop.sh stops it with the rest;
// the packages come from `tests/webmail/install.sh --sogo`, which this module does not run.
//
// SOGo facts this client relies on (SOGo 5.8.0, Debian 12; tests/webmail/README.md):
// - Login is `POST /SOGo/connect` with JSON `{userName, password}`: 200 and two cookies, the
//   session (`0xHIGHFLYxSOGo`, HttpOnly) and `XSRF-TOKEN` (readable by the page's script).
// - A request under /SOGo/so/<user>/ must echo the XSRF-TOKEN cookie in an `X-XSRF-TOKEN`
//   header; without it SOGo answers HTTP 500 ("the called object returned no result").
// - `/SOGo/so/<user>/Mail/<account>/folder<Mailbox>/<uid>/export` answers the message as
//   `message/rfc822`, `Content-Disposition: attachment; filename="<uid>.eml"`: the stored bytes
//   with every CRLF turned into LF (SOPE's IMAP client drops the CRs; nothing else changes).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { errorTitle, request } from './http-client.mjs';
import { PASSWORD, startRoundcube, USER, WEBMAIL_DIR } from './roundcube.mjs';

const run = promisify(execFile);

export const START_SOGO_SH = path.join(WEBMAIL_DIR, 'start-sogo.sh');
/** Time start-sogo.sh may take (about 10 s here: initdb, then sogod's first answer). */
const START_TIMEOUT_MS = 120_000;
/** SOGo's name for the first (the only) mail account of a user. */
export const ACCOUNT = '0';

/** Something SOGo answered that is not what was asked for. The message carries no password or token. */
export class SogoError extends Error {
  /** @param {string} message @param {{ kind: 'not-installed' | 'start' | 'login' | 'xsrf' | 'http', status?: number }} info */
  constructor(message, { kind, status }) {
    super(message);
    this.name = 'SogoError';
    this.kind = kind;
    this.status = status;
  }
}

/**
 * @typedef {import('./roundcube.mjs').Roundcube & { roundcubeOrigin: string }} Sogo
 *   `origin` is SOGo's (http://127.0.0.1:PORT, the app under /SOGo/), `roundcubeOrigin` the
 *   Roundcube on the same Dovecot; `stop()` ends them all.
 * @typedef {{ jar: Map<string, string>, xsrf: string }} SogoSession
 */

/** Whether SOGo and what start-sogo.sh runs with it are installed. */
export function sogoInstalled() {
  const pg = fs.existsSync('/usr/lib/postgresql') && fs.readdirSync('/usr/lib/postgresql').some((v) => fs.existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));
  return pg && ['/usr/sbin/sogod', '/usr/bin/memcached'].every((f) => fs.existsSync(f));
}

/**
 * Starts Dovecot + Roundcube (lib/roundcube.mjs, every `*.eml` of `mailDir` in testuser's
 * INBOX) and SOGo on the same Dovecot.
 * @param {{ mailDir: string, scratchDir?: string }} opts
 * @returns {Promise<Sogo>}
 */
export async function startSogo(opts) {
  if (!sogoInstalled()) {
    throw new SogoError('SOGo/PostgreSQL/memcached are not installed: run tests/webmail/install.sh --sogo (as root)', { kind: 'not-installed' });
  }
  const rc = await startRoundcube(opts);
  try {
    await run('bash', [START_SOGO_SH, rc.scratchDir], { timeout: START_TIMEOUT_MS, env: process.env });
  } catch (e) {
    const err = /** @type {{ stderr?: string, message: string }} */ (e);
    await rc.stop().catch(() => {});
    throw new SogoError(`tests/webmail/start-sogo.sh failed (logs in ${rc.scratchDir}/logs/sogo): ${(err.stderr || err.message).trim()}`, { kind: 'start' });
  }
  const env = Object.fromEntries(fs.readFileSync(path.join(rc.scratchDir, 'ports.env'), 'utf8').trim().split('\n')
    .map((l) => /** @type {[string, string]} */ (l.split('=', 2))));
  return { ...rc, origin: env.SOGO_ORIGIN, httpPort: Number(env.SOGO_HTTP_PORT), roundcubeOrigin: rc.origin };
}

/**
 * Logs in as the login page does (`POST /SOGo/connect`).
 * @param {string} origin @param {string} [user] @param {string} [password]
 * @returns {Promise<SogoSession>}
 */
export async function login(origin, user = USER, password = PASSWORD) {
  /** @type {Map<string, string>} */
  const jar = new Map();
  const res = await request(`${origin}/SOGo/connect`, jar, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userName: user, password, rememberLogin: 0 }),
  });
  const text = await res.text();
  const xsrf = jar.get('XSRF-TOKEN');
  if (res.status !== 200 || !xsrf) {
    throw new SogoError(`login as ${user} failed: HTTP ${res.status} ${errorTitle(text) || text.slice(0, 80)}`, { kind: 'login', status: res.status });
  }
  return { jar, xsrf };
}

/** The path of a message's object in SOGo. @param {string} user @param {number | string} uid @param {string} mbox */
export const messagePath = (user, uid, mbox) => `/SOGo/so/${encodeURIComponent(user)}/Mail/${ACCOUNT}/folder${mbox}/${uid}`;

/**
 * A stored message as SOGo's "Download message" sends it (`.../<uid>/export`): the stored
 * bytes with LF for CRLF. `xsrf: false` leaves the X-XSRF-TOKEN header out (to test SOGo's check).
 * @param {string} origin @param {SogoSession} session @param {number | string} uid
 * @param {{ mbox?: string, user?: string, xsrf?: boolean }} [opts]
 * @returns {Promise<Buffer>}
 */
export async function rawSource(origin, session, uid, { mbox = 'INBOX', user = USER, xsrf = true } = {}) {
  const res = await request(`${origin}${messagePath(user, uid, mbox)}/export`, session.jar, { headers: xsrf ? { 'x-xsrf-token': session.xsrf } : {} });
  const bytes = Buffer.from(await res.arrayBuffer());
  if (res.status === 500 && !xsrf) throw new SogoError(`export of UID ${uid} without X-XSRF-TOKEN: HTTP 500`, { kind: 'xsrf', status: 500 });
  const type = res.headers.get('content-type') ?? '';
  if (res.status !== 200 || !type.startsWith('message/rfc822')) {
    throw new SogoError(`export of UID ${uid} in ${mbox} answered HTTP ${res.status} (${type})`, { kind: 'http', status: res.status });
  }
  if (!/^attachment/i.test(res.headers.get('content-disposition') ?? '')) {
    throw new SogoError(`export of UID ${uid} did not answer a download`, { kind: 'http', status: res.status });
  }
  return bytes;
}
