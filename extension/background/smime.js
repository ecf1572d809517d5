// @ts-check
/**
 * S/MIME verification in the background: the core decides, this file supplies the time and
 * the roots the user added (kept in extension storage; Mozilla's e-mail roots are built in).
 * The message's bytes are never stored.
 *
 * The options page manages the user's roots through `smimePageHandlers`: it sees what a file
 * holds before anything is trusted (`trust.inspect`), adds exactly the certificates it showed
 * (`trust.addRoots`, by fingerprint), and removes one (`trust.removeRoot`).
 */
import { base64ToBytes as fromBase64, bytesToBase64 as toBase64, isBase64 } from '../shared/base64.js';
import { storageLocal } from '../shared/ext.js';
import { call } from './core.js';
import { allAnswered, answersFor, crlsFor, remember, REVOCATION_MODE_KEY, REVOCATION_MODES, revocationMode, wanted, withIssuers } from './revocation.js';
import { runJob } from './verify-job.js';
import { WARM_UP_MAIL_B64, WARM_UP_NOW, WARM_UP_ROOT_B64 } from './warm-up-input.js';

/** Storage key of the user's own trust anchors: a list of base64 DER certificates. */
export const USER_ROOTS_KEY = 'trust.userRoots';
/** Most roots the user may add. */
export const MAX_USER_ROOTS = 64;
/** Largest certificate file accepted for import, bytes (the core's `trust::MAX_INPUT_BYTES`). */
export const MAX_ROOT_FILE_BYTES = 1 << 20;

/**
 * @typedef {{ subject: string, common_name: string | null, issuer: string, fingerprint_sha256: string,
 *   not_before: number, not_after: number, is_ca: boolean, self_issued: boolean, serial: string, der: number[] }} RootInfo
 */

/** A typed error. @param {string} name @param {string} message */
function fail(name, message) {
  const e = new Error(message);
  e.name = name;
  return e;
}

/** The stored list (base64 DER strings), invalid entries skipped. @returns {Promise<string[]>} */
async function storedRoots() {
  const got = await storageLocal.get(USER_ROOTS_KEY);
  const list = Array.isArray(got[USER_ROOTS_KEY]) ? /** @type {unknown[]} */ (got[USER_ROOTS_KEY]) : [];
  return /** @type {string[]} */ (list.filter((x) => isBase64(x) && x.length > 0));
}

/** @returns {Promise<Uint8Array[]>} */
async function userRoots() {
  return (await storedRoots()).map(fromBase64);
}

/**
 * The verdict for a message's exact bytes, now. The core decides; WebCrypto does the signature
 * maths and a large content's digest when the core asks (`verify-job.js`, `smime::offload`).
 * @param {Uint8Array} raw
 */
export async function verifyBytes(raw) {
  const mode = await revocationMode();
  return checked((now, roots) => verifyAt(raw, now, roots, mode));
}

/**
 * The check itself, at `now` with `roots` (also what `tools/bench` times in Chromium), with
 * online revocation in `mode` (`revocation.js`).
 * @param {Uint8Array} raw @param {number} now @param {Uint8Array[]} roots
 * @param {'off' | 'soft' | 'hard'} [mode]
 */
export async function verifyAt(raw, now, roots, mode = 'off') {
  warming ??= Promise.resolve();
  return online(mode, now, async (m, answers, crls, certs) => {
    const job = await call((c) => new c.VerifyJob(raw, now, roots));
    await call(() => { job.setOnline(m, answers); job.setOnlineCrls(crls); job.setIssuerCerts(certs); });
    return runJob(job, raw, crypto.subtle, (fn) => call(() => fn()));
  });
}

/**
 * The warm-up, once this worker has begun one or a real check (the first pays for compiling).
 * @type {Promise<void> | null}
 */
let warming = null;

/**
 * Readies the check while a webmail page fetches the message it is about to send
 * (`webmail.begin`), or while the popup's user picks a file (`smime.ready`): once per worker,
 * a check of a small built-in signed message (`warm-up-input.js`) whose verdict is dropped. The first check in a worker pays for V8
 * compiling the core's functions it calls (wasm is compiled lazily, on first call) and for the
 * first WebCrypto calls: 20 ms of a restarted worker's 56 to its first verdict on this machine
 * (tools/bench, "cold start"). Done here, beside the page's fetch, that is off the time to the
 * verdict. Nothing is stored, and the built-in root is trusted for this check alone. Resolves
 * when it is done (at once when this worker has checked before).
 * @returns {Promise<void>}
 */
export function warmUp() {
  warming ??= verifyAt(fromBase64(WARM_UP_MAIL_B64), WARM_UP_NOW, [fromBase64(WARM_UP_ROOT_B64)]).then(
    () => {},
    () => {}, // readying only: a real check reports its own errors
  );
  return warming;
}

/**
 * `warmUp` in a later task than the current one, so that the answer a handler is about to give
 * (which the page waits for before it fetches the message) is not held up by it.
 */
export function warmUpSoon() {
  setTimeout(() => void warmUp(), 0);
}

/**
 * Runs `pass` once without online revocation; when `mode` is on: while the verdict names
 * caIssuers URLs for a missing issuer, fetches them and runs it again with what came back;
 * when the verdict names certificates to check online, fetches the OCSP answers and runs it
 * again with them and the mode; when that leaves a certificate with a distribution point
 * unsettled, fetches the CRLs and runs it a third time (see `revocation.js`).
 * @param {'off' | 'soft' | 'hard'} mode @param {number} now
 * @param {(mode: string, answers: Uint8Array[], crls: Uint8Array[], certs: Uint8Array[]) => Promise<unknown>} pass
 */
async function online(mode, now, pass) {
  const start = await pass('off', [], [], []);
  if (mode === 'off') return start;
  const { verdict: first, certs } = await withIssuers(start, now, (c) => pass('off', [], [], c));
  if (wanted(first).length === 0) return first;
  const { answers, fetched } = await answersFor(first, now);
  let verdict = await pass(mode, answers, [], certs);
  if (allAnswered(verdict)) {
    await remember(fetched, (b) => call((c) => c.ocspAnswerUntil(b) ?? null), now);
    return verdict;
  }
  const crls = await crlsFor(first, verdict);
  if (crls.length > 0) verdict = await pass(mode, answers, crls, certs);
  return verdict;
}

/**
 * The verdict for a bare `.p7m` file (signed-data on its own, no message around it), now.
 * @param {Uint8Array} bytes
 */
export async function verifyP7mBytes(bytes) {
  const mode = await revocationMode();
  return checked((now, roots) => online(mode, now, async (m, answers, crls, certs) => {
    const job = await call((c) => c.VerifyJob.p7m(bytes, now, roots));
    await call(() => { job.setOnline(m, answers); job.setOnlineCrls(crls); job.setIssuerCerts(certs); });
    return runJob(job, new Uint8Array(0), crypto.subtle, (fn) => call(() => fn()));
  }));
}

/**
 * Runs one check with the time and the user's roots. A trap in the core (a panic: a bug, never
 * a property of the message) still gives the reader a verdict: "could not finish checking",
 * from the restarted core.
 * @param {(now: number, roots: Uint8Array[]) => Promise<unknown>} verify
 */
export async function checked(verify) {
  const roots = await userRoots();
  const now = Math.floor(Date.now() / 1000);
  try {
    return await verify(now, roots);
  } catch (e) {
    if (!(e instanceof Error) || e.name !== 'CoreTrap') throw e;
    return call((c) => c.internalErrorVerdict(now));
  }
}

/**
 * What a certificate file holds (PEM with one or more certificates, or one DER certificate).
 * @param {Uint8Array} bytes @returns {Promise<RootInfo[]>}
 */
async function inspect(bytes) {
  if (bytes.length === 0) throw fail('BadMessage', 'the file is empty');
  if (bytes.length > MAX_ROOT_FILE_BYTES) throw fail('TooLarge', `the file is larger than ${MAX_ROOT_FILE_BYTES} bytes`);
  return /** @type {RootInfo[]} */ (await call((c) => c.inspectRoots(bytes)));
}

/** The user's roots, each described. @returns {Promise<RootInfo[]>} */
async function describedRoots() {
  /** @type {RootInfo[]} */
  const out = [];
  for (const b64 of await storedRoots()) {
    const [info] = await inspect(fromBase64(b64)).catch(() => []);
    if (info) out.push(info);
  }
  return out;
}

/** @param {unknown} raw */
function fileBytes(raw) {
  if (!isBase64(raw)) {
    throw fail('BadMessage', '"file" must be the file in base64');
  }
  if (raw.length > Math.ceil(MAX_ROOT_FILE_BYTES / 3) * 4) throw fail('TooLarge', `the file is larger than ${MAX_ROOT_FILE_BYTES} bytes`);
  return fromBase64(raw);
}

/** @type {Record<string, (message: Record<string, unknown>) => Promise<unknown>>} */
export const smimePageHandlers = {
  /** `{ builtin: { version, count }, user: RootInfo[] }` for the options page. */
  'trust.roots': async () => ({
    builtin: await call((c) => c.builtinRoots()),
    user: await describedRoots(),
  }),
  /** `{ file }` (base64): what the file holds, trusted nothing yet. */
  'trust.inspect': async (m) => inspect(fileBytes(m.file)),
  /**
   * `{ file, fingerprints }`: trusts the certificates of `file` whose SHA-256 fingerprints the
   * user saw in the preview (so what is trusted is exactly what was shown). Answers the list.
   */
  'trust.addRoots': async (m) => {
    const want = Array.isArray(m.fingerprints) ? m.fingerprints.map(String) : [];
    if (want.length === 0) throw fail('BadMessage', 'no certificate was chosen');
    const found = (await inspect(fileBytes(m.file))).filter((c) => want.includes(c.fingerprint_sha256));
    if (found.length !== want.length) throw fail('BadMessage', 'the file does not hold the certificates that were shown');
    const stored = await storedRoots();
    const have = new Set((await describedRoots()).map((r) => r.fingerprint_sha256));
    const added = found.filter((c) => !have.has(c.fingerprint_sha256)).map((c) => toBase64(c.der));
    if (stored.length + added.length > MAX_USER_ROOTS) throw fail('TooMany', `at most ${MAX_USER_ROOTS} roots of your own`);
    await storageLocal.set({ [USER_ROOTS_KEY]: [...stored, ...added] });
    return describedRoots();
  },
  /** `{ mode }`: online revocation ('off' | 'soft' | 'hard'). */
  'smime.revocation': async () => ({ mode: await revocationMode() }),
  /**
   * `{ mode }`: sets it. The page asked for the host permissions first (a user gesture is
   * needed); without them a soft-fail check says that revocation could not be checked.
   */
  'smime.setRevocation': async (m) => {
    const mode = REVOCATION_MODES.find((x) => x === m.mode);
    if (!mode) throw fail('BadMessage', 'the revocation check is off, soft or hard');
    await storageLocal.set({ [REVOCATION_MODE_KEY]: mode });
    return { mode };
  },
  /** `{ fingerprint }`: stops trusting one of the user's roots. Answers the list. */
  'trust.removeRoot': async (m) => {
    const fp = String(m.fingerprint ?? '');
    const kept = [];
    for (const b64 of await storedRoots()) {
      const [info] = await inspect(fromBase64(b64)).catch(() => []);
      // An entry that no longer parses is kept: removing it is not what the user asked.
      if (!info || info.fingerprint_sha256 !== fp) kept.push(b64);
    }
    await storageLocal.set({ [USER_ROOTS_KEY]: kept });
    return describedRoots();
  },
};
