// The demo of `./build.sh run --headless` (lib/demo.mjs), run as a test so that it cannot rot
// unnoticed: in each browser the first click makes an inbox alias at the local mail.tm
// stand-in and fills it into both e-mail fields, the signup's welcome mail is in that inbox
// and its signature checks out, and the three Roundcube messages get three different toolbar
// verdicts (green ✓, red !, and the unsigned one's grey –). Every step's screenshot is written.
//
// Needs the Roundcube test bed (root, tests/webmail/install.sh); WEBMAIL_E2E=0 skips it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { runDemo, WEBMAIL_MAILS } from './lib/demo.mjs';
import { BROWSERS } from './lib/harness.mjs';
import { msg } from './lib/pages.mjs';

const SKIP = process.env.WEBMAIL_E2E === '0';

/** The toolbar badge's colours (extension/background/webmail.js BADGE), as `[r, g, b]`. */
const GREEN = [0x1a, 0x7f, 0x37];
const RED = [0xc6, 0x28, 0x28];
/** The toolbar's grey for an unsigned message from a sender with no signed history (#6b7280). */
const GREY = [107, 114, 128];

for (const name of BROWSERS) {
  describe(`the demo in ${name}`, () => {
    test('alias filled twice, welcome mail in its inbox, three webmail verdicts, a screenshot of each step', { skip: SKIP && 'WEBMAIL_E2E=0' }, async () => {
      const result = await runDemo({ name, headless: true, log: () => {} });
      assert.ok(result);

      assert.match(result.alias, /^[a-z]+\.[a-z]+\d{3}@inbox\.mailtm\.test$/, 'an inbox alias at the stand-in\'s public domain');
      assert.equal(result.confirm, result.alias, 'the confirm field holds the same alias');

      assert.deepEqual(result.inbox.subjects, ['Welcome to Demo Shop'], 'the welcome mail is the one message');
      assert.deepEqual(result.inbox.from, ['alice@example.com']);
      assert.deepEqual([result.inbox.status, result.inbox.label], ['verified', msg('verdictVerified')]);
      assert.equal(result.inbox.summary, msg('verdictVerifiedSummary', 'alice@example.com'));

      assert.deepEqual(result.webmail.map((w) => w.file), WEBMAIL_MAILS.map((m) => m.file));
      const [signed, tampered, unsigned] = result.webmail;
      assert.equal(signed.badge, '✓', signed.title);
      assert.deepEqual(signed.color.slice(0, 3), GREEN);
      assert.match(signed.title, /Signed by alice@example\.com; the message is unchanged\./);
      assert.equal(tampered.badge, '!', tampered.title);
      assert.deepEqual(tampered.color.slice(0, 3), RED);
      assert.match(tampered.title, /The message was changed after it was signed\./);
      assert.equal(unsigned.badge, '–', unsigned.title);
      assert.match(unsigned.title, /The message is not signed\./);
      assert.deepEqual(unsigned.color.slice(0, 3), GREY);

      assert.equal(result.toolbar.badge, '✓');
      assert.equal(result.toolbar.popupLabel, msg('verdictVerified'), 'the popup for the webmail tab says what the toolbar says');

      const slugs = result.shots.map((s) => s.file.replace(/^.*\/demo-|\.png$/g, ''));
      assert.deepEqual(slugs.filter((s) => s !== 'welcome'),
        ['menu', 'filled', 'popup-inbox', 'popup-message', 'webmail-signed', 'webmail-tampered', 'webmail-unsigned',
          // Only Firefox draws its toolbar when headless.
          ...(name === 'firefox' ? ['toolbar'] : []), 'toolbar-popup']);
      for (const s of result.shots) assert.ok(fs.statSync(s.file).size > 1000, `${s.file} was written`);
    });
  });
}
