// A real Roundcube 1.6 webmail (with Dovecot behind it) for the end-to-end tests, and a plain-HTTP
// client for the few Roundcube requests the tests make themselves: log in, list the INBOX, fetch a
// message's raw source. The servers are started and stopped by tests/webmail/start.sh and stop.sh
// (see tests/webmail/README.md); the packages come from tests/webmail/install.sh, which this module
// does not run.
//
// Roundcube facts this client relies on (Roundcube 1.6.5, Debian 12):
// - Login needs the session cookie and the `_token` of the login page it was served with; a
//   successful POST answers 302 and replaces the session cookie (session fixation guard).
// - Each later request needs the request token of the logged-in session, found in the mail page's
//   `rcmail.set_env({..."request_token":"..."})`.
// - `_action=viewsource` without `_save=1` sends a *reformatted* text: CR and trailing tabs before
//   each LF are dropped, and trailing white space at the end. Only `_save=1` sends the bytes
//   Dovecot stores. With `_save=1` a missing or wrong `_token` answers HTTP 200 with an HTML
//   "Request Check Failed" page, not an error status.
// - The session auth cookie (roundcube_sessauth) is re-issued every session_lifetime / 2; the
//   session object here keeps its cookie jar current from every response.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { cookieHeader, errorTitle, request } from './http-client.mjs';

const run = promisify(execFile);

export const WEBMAIL_DIR = path.resolve(import.meta.dirname, '../../webmail');
export const START_SH = path.join(WEBMAIL_DIR, 'start.sh');
export const STOP_SH = path.join(WEBMAIL_DIR, 'stop.sh');
/** The test login that start.sh creates. */
export const USER = 'testuser';
export const PASSWORD = 'testpass';
/** Roundcube's document root as Debian's roundcube-core installs it. */
const ROUNDCUBE_INDEX = '/var/lib/roundcube/public_html/index.php';
/** Time start.sh may take (it needs ~1-2 s; a loaded CI machine gets slack). */
const START_TIMEOUT_MS = 60_000;

/** Something Roundcube answered that is not what was asked for. The message carries no password or token. */
export class RoundcubeError extends Error {
  /** @param {string} message @param {{ kind: 'not-installed' | 'start' | 'login' | 'request-check' | 'http' | 'parse', status?: number }} info */
  constructor(message, { kind, status }) {
    super(message);
    this.name = 'RoundcubeError';
    this.kind = kind;
    this.status = status;
  }
}

/**
 * @typedef {{ file: string, uid: number, mbox: string }} StoredMessage
 *   one .eml of the source folder and where Dovecot put it
 * @typedef {{
 *   origin: string, user: string, password: string, scratchDir: string,
 *   httpPort: number, imapPort: number, messages: StoredMessage[], stop: () => Promise<void>,
 * }} Roundcube
 * @typedef {{ cookie: string, token: string, jar?: Map<string, string> }} Session
 *   `cookie` is the Cookie header to send, `jar` the cookies behind it; calls update both in place.
 *   A hand-made `{ cookie, token }` works too.
 */

/** Whether Debian's Roundcube and the servers start.sh runs are installed. */
export function roundcubeInstalled() {
  const hasCmd = (/** @type {string} */ c) => (process.env.PATH ?? '/usr/bin:/usr/sbin').split(':')
    .concat(['/usr/sbin', '/usr/bin']).some((d) => fs.existsSync(path.join(d, c)));
  return fs.existsSync(ROUNDCUBE_INDEX) && ['php', 'dovecot', 'doveadm', 'sqlite3'].every(hasCmd);
}

/**
 * Starts Roundcube + Dovecot with every `*.eml` of `mailDir` in testuser's INBOX (sorted by file
 * name, bytes unchanged). `scratchDir` defaults to a new temporary folder, removed again by
 * `stop()` unless WEBMAIL_KEEP=1 (logs are in `<scratch>/logs`). `stop()` is idempotent and also
 * runs when the process exits, so a crashed test leaves no servers behind.
 * @param {{ mailDir: string, scratchDir?: string }} opts
 * @returns {Promise<Roundcube>}
 */
export async function startRoundcube({ mailDir, scratchDir }) {
  if (!roundcubeInstalled()) {
    throw new RoundcubeError('Roundcube/Dovecot/PHP are not installed: run tests/webmail/install.sh (as root)', { kind: 'not-installed' });
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new RoundcubeError('tests/webmail/start.sh needs root (Dovecot runs mail processes as the user vmail)', { kind: 'start' });
  }
  const ownScratch = !scratchDir;
  const dir = scratchDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'impalemail-webmail-'));
  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    // An exit handler cannot await: the synchronous twin of stop(), best effort.
    try { execFileSync('bash', [STOP_SH, dir], { stdio: 'ignore', timeout: 15_000 }); } catch { /* exiting anyway */ }
    if (ownScratch && process.env.WEBMAIL_KEEP !== '1') fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopSync);
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', stopSync);
    await run('bash', [STOP_SH, dir], { timeout: 15_000 });
    if (ownScratch && process.env.WEBMAIL_KEEP !== '1') fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await run('bash', [START_SH, dir, mailDir], { timeout: START_TIMEOUT_MS, env: process.env });
  } catch (e) {
    const err = /** @type {{ stderr?: string, message: string }} */ (e);
    // start.sh stops what it started when it fails; this also covers a timeout. The scratch
    // folder stays, for its logs.
    stopped = true;
    process.removeListener('exit', stopSync);
    await run('bash', [STOP_SH, dir], { timeout: 15_000 }).catch(() => {});
    throw new RoundcubeError(`tests/webmail/start.sh failed (logs in ${dir}/logs): ${(err.stderr || err.message).trim()}`, { kind: 'start' });
  }
  const env = Object.fromEntries(fs.readFileSync(path.join(dir, 'ports.env'), 'utf8').trim().split('\n')
    .map((l) => /** @type {[string, string]} */ (l.split('=', 2))));
  const messages = fs.readFileSync(path.join(dir, 'messages.tsv'), 'utf8').split('\n').filter(Boolean).map((l) => {
    const [uid, mbox, file] = l.split('\t');
    return { uid: Number(uid), mbox, file };
  });
  return {
    origin: env.WEBMAIL_ORIGIN, user: USER, password: PASSWORD, scratchDir: dir,
    httpPort: Number(env.WEBMAIL_HTTP_PORT), imapPort: Number(env.WEBMAIL_IMAP_PORT), messages, stop,
  };
}

// ------------------------------------------------------------------ HTTP client

/**
 * Logs in over plain HTTP, as the login form does.
 * @param {string} origin e.g. http://127.0.0.1:8080
 * @param {string} user @param {string} password
 * @returns {Promise<Session>}
 */
export async function login(origin, user, password) {
  /** @type {Map<string, string>} */
  const jar = new Map();
  const page = await request(`${origin}/?_task=login`, jar);
  const html = await page.text();
  const formToken = /<input[^>]*name="_token"[^>]*value="([^"]+)"/.exec(html)?.[1];
  if (page.status !== 200 || !formToken) {
    throw new RoundcubeError(`login page ${origin}/?_task=login answered ${page.status} without a _token field`, { kind: 'login', status: page.status });
  }
  const body = new URLSearchParams({
    _token: formToken, _task: 'login', _action: 'login', _timezone: 'UTC', _url: '', _user: user, _pass: password,
  });
  const res = await request(`${origin}/?_task=login`, jar, {
    method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) {
    // Roundcube answers a failed login with the login page again (401 for wrong credentials).
    const text = await res.text();
    const why = /rcmail\.display_message\("([^"]*)"/.exec(text)?.[1] ?? errorTitle(text);
    throw new RoundcubeError(`login as ${user} failed: HTTP ${res.status}${why ? ` (${why})` : ''}`, { kind: 'login', status: res.status });
  }
  await res.arrayBuffer();
  const mail = await request(new URL(location, `${origin}/`).href, jar);
  const mailHtml = await mail.text();
  const token = /"request_token"\s*:\s*"([^"]+)"/.exec(mailHtml)?.[1];
  if (mail.status !== 200 || !token) {
    throw new RoundcubeError(`after login, ${location} answered ${mail.status} without a request_token`, { kind: 'login', status: mail.status });
  }
  const session = { cookie: cookieHeader(jar), token, jar };
  return session;
}

/**
 * One GET within a logged-in session; keeps `session.cookie` current.
 * @param {Session} session @param {string} url @param {HeadersInit} [headers]
 */
async function sessionGet(session, url, headers) {
  const jar = session.jar ?? parseCookieHeader(session.cookie);
  const res = await request(url, jar, { headers });
  session.jar = jar;
  session.cookie = cookieHeader(jar);
  return res;
}

/** @param {string} header */
function parseCookieHeader(header) {
  return new Map(header.split(';').map((s) => s.trim()).filter(Boolean).map((s) => {
    const eq = s.indexOf('=');
    return /** @type {[string, string]} */ ([s.slice(0, eq), s.slice(eq + 1)]);
  }));
}

/**
 * The exact bytes of a stored message, as Roundcube's "Download (.eml)" sends them
 * (`_action=viewsource&_save=1` with the request token). Throws a RoundcubeError on Roundcube's
 * HTTP-200 "Request Check Failed" page (missing/wrong token) and on any other non-message answer.
 * `session.token` may be '' (or anything) to test that check.
 * @param {string} origin @param {Session} session @param {number | string} uid @param {string} [mbox]
 * @param {{ save?: boolean }} [opts] `save: false` asks for the reformatted view instead (for tests that show the difference)
 * @returns {Promise<Buffer>}
 */
export async function rawSource(origin, session, uid, mbox = 'INBOX', { save = true } = {}) {
  const q = new URLSearchParams({ _task: 'mail', _action: 'viewsource', _uid: String(uid), _mbox: mbox });
  if (save) q.set('_save', '1');
  if (session.token) q.set('_token', session.token);
  const res = await sessionGet(session, `${origin}/?${q}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type') ?? '';
  if (type.startsWith('text/html')) {
    const html = bytes.toString('utf8');
    const title = errorTitle(html);
    if (/request check failed/i.test(html)) {
      throw new RoundcubeError(`Roundcube refused viewsource of UID ${uid}: "Request Check Failed" (HTTP ${res.status}; missing or wrong _token)`, { kind: 'request-check', status: res.status });
    }
    throw new RoundcubeError(`viewsource of UID ${uid} in ${mbox} answered an HTML page (HTTP ${res.status}: ${title})`, { kind: 'http', status: res.status });
  }
  if (res.status !== 200) {
    throw new RoundcubeError(`viewsource of UID ${uid} in ${mbox} answered HTTP ${res.status}`, { kind: 'http', status: res.status });
  }
  if (save && !/attachment/i.test(res.headers.get('content-disposition') ?? '')) {
    throw new RoundcubeError(`viewsource of UID ${uid} with _save=1 did not answer a download (content-type ${type})`, { kind: 'http', status: res.status });
  }
  return bytes;
}

/**
 * The UIDs of a mailbox, ascending, as Roundcube's message list (`_action=list&_remote=1`) shows them.
 * @param {string} origin @param {Session} session @param {string} [mbox]
 * @returns {Promise<number[]>}
 */
export async function listUids(origin, session, mbox = 'INBOX') {
  const q = new URLSearchParams({ _task: 'mail', _action: 'list', _mbox: mbox, _page: '1', _remote: '1' });
  const res = await sessionGet(session, `${origin}/?${q}`, { 'x-roundcube-request': session.token });
  const text = await res.text();
  /** @type {{ exec?: string }} */ let json;
  try { json = JSON.parse(text); } catch {
    throw new RoundcubeError(`message list of ${mbox} is not JSON (HTTP ${res.status}: ${errorTitle(text) || text.slice(0, 80)})`, { kind: 'parse', status: res.status });
  }
  const exec = json.exec ?? '';
  if (/request check failed|session_error/i.test(exec)) {
    throw new RoundcubeError(`Roundcube refused the message list of ${mbox} (request check or session error)`, { kind: 'request-check', status: res.status });
  }
  const uids = [...exec.matchAll(/add_message_row\(\s*"?(\d+)"?\s*,/g)].map((m) => Number(m[1]));
  return uids.sort((a, b) => a - b);
}
