// The webmail test infrastructure itself, without a browser: a real Roundcube 1.6 + Dovecot
// (tests/webmail/) serves the messages written here, and the plain-HTTP client in
// lib/roundcube.mjs logs in and fetches each message's source. This pins the facts the webmail
// adapter relies on: `_action=viewsource&_save=1` with the request token gives the stored bytes;
// without `_save=1` Roundcube reformats them; without the token it answers HTTP 200 with a
// "Request Check Failed" page.
//
// Needs the packages of tests/webmail/install.sh and root. WEBMAIL_E2E=0 skips it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { imapCanonical, INFRA_MESSAGES as MESSAGES } from './lib/infra-messages.mjs';
import { listUids, login, rawSource, roundcubeInstalled, RoundcubeError, startRoundcube } from './lib/roundcube.mjs';

const SKIP = process.env.WEBMAIL_E2E === '0';
const SKIP_MSG = 'WEBMAIL_E2E=0: the Roundcube webmail tests are switched off';

describe('Roundcube test webmail (tests/webmail/)', () => {
  /** @type {string} */ let mailDir;
  /** @type {Awaited<ReturnType<typeof startRoundcube>> | undefined} */ let rc;
  /** @type {Awaited<ReturnType<typeof login>>} */ let session;
  /** Why set-up failed: every test then fails with it (a failing `before` only cancels them). */
  /** @type {unknown} */ let setupError;

  before(async () => {
    if (SKIP) return;
    try {
      if (!roundcubeInstalled()) throw new Error('Roundcube/Dovecot/PHP are not installed: run tests/webmail/install.sh (as root)');
      mailDir = fs.mkdtempSync(path.join(os.tmpdir(), 'impalemail-infra-mail-'));
      for (const [name, bytes] of Object.entries(MESSAGES)) fs.writeFileSync(path.join(mailDir, name), bytes);
      rc = await startRoundcube({ mailDir });
      session = await login(rc.origin, rc.user, rc.password);
    } catch (e) {
      setupError = e;
    }
  });

  /**
   * Skips (WEBMAIL_E2E=0) or fails with the set-up error; else returns the running webmail.
   * @param {import('node:test').TestContext} t
   */
  function ready(t) {
    if (SKIP) { t.skip(SKIP_MSG); return null; }
    if (setupError) throw setupError;
    assert.ok(rc);
    return rc;
  }

  after(async () => {
    try {
      await rc?.stop();
    } finally {
      if (mailDir) fs.rmSync(mailDir, { recursive: true, force: true });
    }
  });

  test('every source file is in the INBOX, in sorted order, and Roundcube lists them', async (t) => {
    const wm = ready(t);
    if (!wm) return;
    const names = Object.keys(MESSAGES).sort();
    assert.deepEqual(wm.messages.map((m) => path.basename(m.file)), names);
    assert.ok(wm.messages.every((m) => m.mbox === 'INBOX'));
    const uids = wm.messages.map((m) => m.uid);
    assert.deepEqual(uids, [...uids].sort((a, b) => a - b), 'UIDs rise with the file names');
    assert.deepEqual(await listUids(wm.origin, session), uids);
  });

  test('rawSource (viewsource&_save=1&_token) returns each file byte for byte (bare LF comes back as CRLF)', async (t) => {
    const wm = ready(t);
    if (!wm) return;
    for (const m of wm.messages) {
      const file = fs.readFileSync(m.file);
      const got = await rawSource(wm.origin, session, m.uid, m.mbox);
      if (path.basename(m.file) === '03-lf-only.eml') {
        // Not the file's bytes: IMAP delivered it with CRLF (RFC822.SIZE grows by one per LF).
        assert.notDeepEqual(got, file);
        assert.deepEqual(got, imapCanonical(file), `${m.file}: expected the CRLF-normalised bytes`);
      } else {
        assert.ok(got.equals(file), `${m.file}: got ${got.length} bytes, file has ${file.length}`);
      }
    }
  });

  test('without _save=1 Roundcube reformats the source (why the adapter uses _save=1)', async (t) => {
    const wm = ready(t);
    if (!wm) return;
    const m = wm.messages.find((x) => path.basename(x.file) === '02-trailing-whitespace.eml');
    assert.ok(m);
    const file = fs.readFileSync(m.file);
    const shown = await rawSource(wm.origin, session, m.uid, m.mbox, { save: false });
    assert.ok(!shown.equals(file), 'the reformatted view should differ from the stored bytes');
    const text = shown.toString('utf8');
    assert.ok(!text.includes('\r'), 'the view drops every CR');
    assert.ok(text.includes('This line ends with a tab\n'), 'the view drops the trailing tab');
    assert.ok(file.includes('This line ends with a tab\t\r\n'), 'the file has it');
  });

  test('a missing or wrong request token is an error, not a message', async (t) => {
    const wm = ready(t);
    if (!wm) return;
    const uid = wm.messages[0].uid;
    for (const token of ['', 'not-the-token']) {
      await assert.rejects(
        rawSource(wm.origin, { ...session, jar: new Map(session.jar), token }, uid),
        (e) => e instanceof RoundcubeError && e.kind === 'request-check' && /Request Check Failed/.test(e.message),
      );
    }
    // and the session still works afterwards
    assert.ok((await rawSource(wm.origin, session, uid)).equals(fs.readFileSync(wm.messages[0].file)));
  });

  test('a wrong password is a login error', async (t) => {
    const wm = ready(t);
    if (!wm) return;
    await assert.rejects(login(wm.origin, wm.user, 'wrong-password'),
      (e) => e instanceof RoundcubeError && e.kind === 'login' && !e.message.includes('wrong-password'));
  });
});
