// The SOGo test webmail itself, without a browser: a real SOGo 5 (tests/webmail/start-sogo.sh)
// on the Dovecot of the Roundcube test bed serves the messages of lib/infra-messages.mjs, and
// the plain-HTTP client in lib/sogo.mjs logs in and fetches each message's source. This pins
// the facts the SOGo adapter relies on: `.../<uid>/export` with the X-XSRF-TOKEN header gives
// the stored bytes with LF for CRLF (and nothing else changed: trailing blanks stay); without
// the header SOGo refuses; the front serves SOGo's static files.
//
// Needs the packages of `tests/webmail/install.sh --sogo` and root. WEBMAIL_E2E=0 skips it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { imapCanonical, INFRA_MESSAGES } from './lib/infra-messages.mjs';
import { login as roundcubeLogin, rawSource as roundcubeSource } from './lib/roundcube.mjs';
import { login, rawSource, SogoError, sogoInstalled, startSogo } from './lib/sogo.mjs';

const SKIP = process.env.WEBMAIL_E2E === '0';

/** What SOGo sends for a stored file: IMAP's CRLF form, then every CRLF as LF. @param {Buffer} b */
const sogoForm = (b) => Buffer.from(imapCanonical(b).toString('latin1').replace(/\r\n/g, '\n'), 'latin1');

describe('SOGo test webmail (tests/webmail/start-sogo.sh)', () => {
  /** @type {string} */ let mailDir;
  /** @type {import('./lib/sogo.mjs').Sogo | undefined} */ let sogo;
  /** @type {import('./lib/sogo.mjs').SogoSession} */ let session;
  /** @type {unknown} */ let setupError;

  before(async () => {
    if (SKIP) return;
    try {
      if (!sogoInstalled()) throw new Error('SOGo is not installed: run tests/webmail/install.sh --sogo (as root)');
      mailDir = fs.mkdtempSync(path.join(os.tmpdir(), 'impalemail-sogo-infra-'));
      for (const [name, bytes] of Object.entries(INFRA_MESSAGES)) fs.writeFileSync(path.join(mailDir, name), bytes);
      sogo = await startSogo({ mailDir });
      session = await login(sogo.origin);
    } catch (e) {
      setupError = e;
    }
  });

  after(async () => {
    try { await sogo?.stop(); } finally { if (mailDir) fs.rmSync(mailDir, { recursive: true, force: true }); }
  });

  /** @param {import('node:test').TestContext} t */
  function ready(t) {
    if (SKIP) { t.skip('WEBMAIL_E2E=0'); return null; }
    if (setupError) throw setupError;
    assert.ok(sogo);
    return sogo;
  }

  test('the front serves the login page and SOGo\'s static files, on 127.0.0.1', async (t) => {
    const wm = ready(t);
    if (!wm) return;
    assert.match(wm.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await fetch(`${wm.origin}/SOGo/`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /ng-app="SOGo\.MainUI"/);
    const css = /href="(\/SOGo\.woa\/WebServerResources\/css\/styles\.css[^"]*)"/.exec(html)?.[1];
    assert.ok(css, 'the login page links SOGo\'s style sheet');
    const res = await fetch(`${wm.origin}${css}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/css/);
    assert.ok((await res.arrayBuffer()).byteLength > 10_000);
    // A way out of the resource folder is not followed (fetch itself resolves a plain `..`).
    assert.equal((await fetch(`${wm.origin}/SOGo.woa/WebServerResources/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd`)).status, 404);
  });

  test('export returns each stored message with LF for CRLF, nothing else changed', async (t) => {
    const wm = ready(t);
    if (!wm) return;
    assert.equal(wm.messages.length, Object.keys(INFRA_MESSAGES).length);
    const rc = await roundcubeLogin(wm.roundcubeOrigin, wm.user, wm.password);
    for (const m of wm.messages) {
      const file = fs.readFileSync(m.file);
      const got = await rawSource(wm.origin, session, m.uid);
      assert.ok(got.equals(sogoForm(file)), `${path.basename(m.file)}: got ${got.length} bytes, expected ${sogoForm(file).length}`);
      assert.ok(!got.includes('\r'), 'SOGo sends no CR');
      // The same Dovecot: Roundcube sends the CRLF form of the same message.
      assert.ok((await roundcubeSource(wm.roundcubeOrigin, rc, m.uid)).equals(imapCanonical(file)));
    }
    const blanks = await rawSource(wm.origin, session, wm.messages[1].uid);
    assert.ok(blanks.includes('This line ends with a tab\t\n'), 'the trailing tab stays');
  });

  test('without the X-XSRF-TOKEN header SOGo refuses; an unknown UID is no message', async (t) => {
    const wm = ready(t);
    if (!wm) return;
    await assert.rejects(rawSource(wm.origin, session, wm.messages[0].uid, { xsrf: false }), (e) => e instanceof SogoError && e.kind === 'xsrf');
    await assert.rejects(rawSource(wm.origin, session, 4000), (e) => e instanceof SogoError && e.kind === 'http');
    assert.ok((await rawSource(wm.origin, session, wm.messages[0].uid)).length > 0, 'the session still works');
  });

  test('a wrong password is a login error', async (t) => {
    const wm = ready(t);
    if (!wm) return;
    await assert.rejects(login(wm.origin, wm.user, 'wrong-password'),
      (e) => e instanceof SogoError && e.kind === 'login' && !e.message.includes('wrong-password'));
  });
});
