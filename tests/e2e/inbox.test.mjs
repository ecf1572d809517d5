// The temporary inbox, end to end in each browser, against a mail.tm mock on 127.0.0.1: the
// options page points mail.tm at the mock, the popup makes an inbox alias, lists its mail,
// shows a message as text (never its HTML), and checks S/MIME signatures of fixture mails
// whose raw source the mock serves byte for byte. The mock records every request, so the
// tests assert exactly what the extension sent (tokens, bodies, the renewal after a 401).
//
// The fixtures are signed by the project's test CA, which the browser does not trust: the
// valid one comes out "not verified / untrusted root" here (its golden verdict, made with the
// test root trusted, is green), the tampered one "invalid", the unsigned one "unsigned".
// Screenshots go to target/e2e/<browser>/.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BROWSERS, ROOT, launchBrowser } from './lib/harness.mjs';
import { startMailTmMock } from './lib/mock-providers.mjs';
import { js, msg, popupReady, ready, sendFrom, text, ui, visible, waitFor } from './lib/pages.mjs';

const SITE_URL = 'http://shop.example.test/signup';
const POPUP = `ui/popup.html?for=${encodeURIComponent(SITE_URL)}`;
const FIXTURES = path.join(ROOT, 'tests/fixtures/smime/generated');

/** A fixture mail and its golden verdict (made with the test root trusted, at a fixed time). @param {string} n */
function fixture(n) {
  return {
    raw: fs.readFileSync(path.join(FIXTURES, `${n}.eml`)),
    golden: JSON.parse(fs.readFileSync(path.join(FIXTURES, `${n}.json`), 'utf8')),
  };
}
/** Valid RSA-2048/SHA-256 signature by alice@example.com. */
const VALID = fixture('001');
/** 001 with one word of the signed text changed. */
const TAMPERED = fixture('016');
/** No signature at all. */
const UNSIGNED = fixture('022');
/** A valid signature over an 8bit ISO-8859-1 part (tests/fixtures/inbox/PROVENANCE.md). */
const LATIN1 = fs.readFileSync(path.join(ROOT, 'tests/fixtures/inbox/latin1-8bit.eml'));

/** Polls a condition on the Node side (the mock's request log). @param {() => boolean} cond */
async function until(cond, timeoutMs = 20000) {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) assert.fail(`timed out waiting for ${cond}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sha256 = (/** @type {Buffer} */ b) => crypto.createHash('sha256').update(b).digest('hex');
const fingerprint = (/** @type {string} */ hex) => hex.toUpperCase().match(/../g)?.join(':');

for (const name of BROWSERS) {
  describe(`temporary inbox in ${name}`, () => {
    /** @type {Awaited<ReturnType<typeof launchBrowser>>} */ let browser;
    /** @type {Awaited<ReturnType<typeof startMailTmMock>>} */ let tm;
    /** @type {import('./lib/chrome.mjs').PageHandle} */ let popup;
    /** The inbox alias the popup made, and what the mock knows of it. */
    const inbox = { address: '', password: '', accountId: '', token: '' };
    /** Message ids by fixture. */
    const ids = { valid: '', tampered: '', unsigned: '', html: '', latin1: '' };
    /** How many messages the inbox holds. */
    let delivered = 0;
    const ROW = '#site-list li.alias[data-source="mailtm"]';

    before(async () => {
      tm = await startMailTmMock();
      browser = await launchBrowser(name);
    });
    after(async () => {
      await browser?.close();
      await tm?.close();
    });

    /** Opens a message from the inbox list and waits for its text. @param {string} id */
    async function openMessage(id) {
      const u = ui(browser, popup);
      if (await popup.eval(visible('#inbox-message'))) await u.click('#inbox-message [data-action="back-to-list"]');
      await waitFor(popup, `${visible('#inbox-list')} && document.querySelectorAll('#inbox-list li').length === ${delivered}`);
      await u.click(`#inbox-list button[data-message-id=${js(id)}]`);
      await waitFor(popup, `${visible('#inbox-message')} && document.getElementById('inbox-message').dataset.messageId === ${js(id)}`);
    }

    /** Clicks "Check signature" and waits for the verdict block. */
    async function check() {
      await ui(browser, popup).click('#inbox-message [data-action="check-signature"]');
      await waitFor(popup, `!!document.querySelector('#inbox-verdict-block') || (${visible('#inbox-error')} && ${text('#inbox-error')})`)
        .then((v) => { if (typeof v === 'string') assert.fail(`the check failed: ${v}`); });
      return {
        status: await popup.eval(`document.getElementById('inbox-verdict-block').dataset.status`),
        reason: await popup.eval(`document.getElementById('inbox-verdict-block').dataset.reason`),
        label: await popup.eval(text('#inbox-verdict-block .verdict-label')),
        summary: await popup.eval(text('#inbox-verdict-block .verdict-summary')),
        explanation: await popup.eval(text('#inbox-verdict-block .verdict-explanation')),
      };
    }

    test('options: mail.tm is turned on and pointed at the mock', async () => {
      const options = await browser.openExtensionPage('ui/options.html');
      const o = ui(browser, options);
      await ready(options);
      assert.equal(await options.eval(`document.getElementById('mailtm-enabled').checked`), true, 'a fresh install offers the temporary inbox');
      await o.click('#provider-mailtm details.advanced > summary');
      await o.fill('#mailtm-base_url', tm.origin);
      await o.click('#save');
      await waitFor(options, `${text('#save-status')} === ${js(msg('optSaved'))}`);
      const view = await sendFrom(options, { type: 'settings.get' });
      assert.equal(view.ok, true);
      assert.deepEqual(
        view.value.providers.filter((/** @type {any} */ p) => p.provider === 'mailtm').map((/** @type {any} */ p) => [p.enabled, p.base_url]),
        [[true, tm.origin]],
      );
      assert.deepEqual(tm.requests, [], 'saving calls nothing');
      await options.close();
    });

    test('popup: makes a mail.tm inbox alias; the mock saw domains, account and token requests', async () => {
      popup = await browser.openExtensionPage(POPUP);
      const p = ui(browser, popup);
      await ready(popup);
      await popupReady(popup);
      await p.select('#create-source', 'mailtm');
      await p.click('#create');
      const shown = await waitFor(popup, `${text(`${ROW} .address`)} || (${visible('#create-error')} && 'error: ' + ${text('#create-error')})`);
      assert.doesNotMatch(shown, /^error: /);

      const [domains, account, token, ...rest] = tm.requests;
      assert.deepEqual(rest, [], 'three requests make an inbox');
      assert.deepEqual([domains.method, domains.path, domains.authorization, domains.status], ['GET', '/domains', null, 200]);
      assert.deepEqual([account.method, account.path, account.authorization, account.status], ['POST', '/accounts', null, 201]);
      assert.deepEqual([token.method, token.path, token.authorization, token.status], ['POST', '/token', null, 200]);
      assert.match(account.contentType ?? '', /^application\/json/);
      assert.match(account.accept ?? '', /application\/json/);
      const body = /** @type {{ address: string, password: string }} */ (account.body);
      assert.deepEqual(Object.keys(body).sort(), ['address', 'password']);
      assert.match(body.address, new RegExp(`^[a-z]+\\.[a-z]+\\d{3}@${tm.domain.replace(/\./g, '\\.')}$`), 'a words-style address at the public domain, not the private one');
      assert.match(body.password, /^[0-9a-f]{32}$/, '128 random bits');
      assert.deepEqual(token.body, body, 'the token is asked for with the same credentials');
      assert.equal(shown, body.address, 'the popup shows the address the mock made');
      assert.equal(await popup.eval(text(`${ROW} .source`)), 'mail.tm');

      const [acct] = [...tm.accounts.values()];
      inbox.address = body.address;
      inbox.password = body.password;
      inbox.accountId = acct.id;
      [inbox.token] = tm.validTokens();
      // The page gets the record, never the inbox credentials.
      const list = await sendFrom(popup, { type: 'alias.list', url: SITE_URL });
      const listed = JSON.stringify(list.value);
      assert.ok(listed.includes(inbox.address));
      assert.ok(!listed.includes(inbox.password) && !listed.includes(inbox.token), 'no password or token reaches the page');
    });

    test('inbox: lists the mock\'s messages and shows one as text, never as HTML', async () => {
      const p = ui(browser, popup);
      const t = Date.now();
      const at = (/** @type {number} */ s) => new Date(t - s * 60000).toISOString();
      ids.valid = tm.deliver(inbox.address, VALID.raw, { createdAt: at(1) });
      ids.tampered = tm.deliver(inbox.address, TAMPERED.raw, { createdAt: at(2) });
      ids.unsigned = tm.deliver(inbox.address, UNSIGNED.raw, { createdAt: at(3) });
      const html = [
        'From: Shop <news@shop.example.test>', `To: ${inbox.address}`, 'Subject: Welcome to the shop', 'MIME-Version: 1.0',
        'Content-Type: text/html; charset=utf-8', '',
        `<html><head><title>t</title><style>p{}</style></head><body><h1>Welcome</h1><p>Confirm <b>now</b></p><img src="${tm.origin}/pixel.gif"><script>document.title = 'pwned'</script></body></html>`, '',
      ].join('\r\n');
      ids.html = tm.deliver(inbox.address, Buffer.from(html), { createdAt: at(4) });
      delivered = 4;

      const mark = tm.requests.length;
      await p.click(`${ROW} [data-action="inbox"]`);
      await waitFor(popup, `${visible('#inbox-list')} && document.querySelectorAll('#inbox-list li').length === 4`);
      assert.equal(await popup.eval(text('#inbox-heading')), msg('inboxHeading', inbox.address));
      assert.deepEqual(
        await popup.eval(`[...document.querySelectorAll('#inbox-list button')].map((b) => [b.dataset.messageId, b.querySelector('.message-subject').textContent, b.querySelector('.message-from').textContent])`),
        [[ids.valid, 'Test', 'alice@example.com'], [ids.tampered, 'Test', 'alice@example.com'], [ids.unsigned, 'Test', 'alice@example.com'], [ids.html, 'Welcome to the shop', 'news@shop.example.test']],
      );
      assert.deepEqual(tm.since(mark).map((r) => [r.method, r.path, r.authorization, r.status]), [['GET', '/messages?page=1', `Bearer ${inbox.token}`, 200]]);
      await p.shot('body', path.join(browser.outDir, 'popup-inbox.png'));

      // The HTML-only message: its text, no element of it, nothing fetched, no script run.
      const before = tm.requests.length;
      await openMessage(ids.html);
      assert.equal(await popup.eval(text('#inbox-message h3')), 'Welcome to the shop');
      assert.equal(await popup.eval(visible('#inbox-message .note')), true);
      assert.equal(await popup.eval(text('#inbox-message .note')), msg('inboxHtmlOnly'));
      const body = await popup.eval(text('#inbox-message .message-body'));
      assert.match(body, /^Welcome\s+Confirm now$/);
      assert.equal(await popup.eval(`document.querySelectorAll('#inbox-message img, #inbox-message script, #inbox-message b, #inbox-message h1').length`), 0);
      assert.notEqual(await popup.eval('document.title'), 'pwned');
      assert.deepEqual(tm.since(before).map((r) => [r.method, r.path, r.authorization]), [['GET', `/messages/${ids.html}`, `Bearer ${inbox.token}`]], 'the tracking image was not fetched');

      await openMessage(ids.valid);
      assert.equal(await popup.eval(text('#inbox-message .message-body')), 'Hello Bob, this is a signed test message.');
      assert.equal(await popup.eval(`document.querySelector('#inbox-message [data-action="check-signature"]').getAttribute('aria-disabled')`), null, 'the button is live');
    });

    test('check signature: a valid signature from an untrusted CA is "not verified", with the signer shown', async () => {
      const p = ui(browser, popup);
      const mark = tm.requests.length;
      const v = await check();
      assert.deepEqual(tm.since(mark).map((r) => [r.method, r.path, r.authorization, r.status]), [['GET', `/messages/${ids.valid}/download`, `Bearer ${inbox.token}`, 200]]);
      assert.equal(sha256(/** @type {Buffer} */ (tm.since(mark)[0].served)), sha256(VALID.raw), 'the mock served the fixture\'s bytes');
      assert.deepEqual([v.status, v.reason], ['not_verified', 'untrusted_root']);
      assert.equal(v.label, msg('verdictNotVerified'));
      assert.equal(v.summary, msg('reasonUntrustedRoot'));
      assert.equal(v.explanation, msg('explainUntrustedRoot'));
      assert.equal(await popup.eval(text('#inbox-status')), msg('inboxChecked', msg('verdictNotVerified')));

      // The core's own verdict for the same message: the English UI says exactly what the core
      // says, and the bytes it checked are the fixture's (same signer, same covered range).
      const direct = await sendFrom(popup, { type: 'inbox.verify', id: await popup.eval(`document.querySelector(${js(ROW)}).dataset.id`), messageId: ids.valid });
      assert.equal(direct.ok, true, JSON.stringify(direct));
      const verdict = direct.value;
      assert.equal(v.summary, verdict.summary);
      assert.equal(v.explanation, verdict.explanation);
      assert.deepEqual(verdict.details.covered, VALID.golden.details.covered);
      assert.deepEqual(verdict.details.signer.certificate, VALID.golden.details.signer.certificate);

      // Details: folded away until opened.
      assert.equal(await popup.eval(`document.querySelector('#inbox-verdict-block details').open`), false);
      await p.click('#inbox-verdict-block details > summary');
      await waitFor(popup, `document.querySelector('#inbox-verdict-block details').open`);
      const field = (/** @type {string} */ f) => popup.eval(text(`#inbox-verdict-block [data-field="${f}"]`));
      const signer = VALID.golden.details.signer;
      assert.equal(await field('signer-name'), signer.name);
      assert.equal(await field('signer-addresses'), signer.addresses.join(', '));
      assert.equal(await field('fingerprint'), fingerprint(signer.certificate.sha256));
      assert.equal(await field('algorithms'), signer.algorithms);
      assert.notEqual(await field('signing-time'), '');
      assert.deepEqual(
        await popup.eval(`[...document.querySelectorAll('#inbox-verdict-block [data-field="chain"] li')].map((li) => li.textContent)`),
        verdict.details.chain.map((/** @type {{ subject: string }} */ c) => c.subject),
      );
      assert.equal(verdict.details.chain[0].subject, signer.certificate.subject, 'the chain starts at the signer');
      assert.equal(await popup.eval(`document.querySelector('#inbox-verdict-block [data-field="chain"]').previousElementSibling.textContent`), msg('verdictChain'));
      assert.equal(await field('issuer'), signer.certificate.issuer);
      assert.equal(await field('covered'), `${msg('verdictCoveredPart', '1', 'text/plain')} ${msg('verdictWholeMessage')}`);
      assert.equal(await field('from'), 'Alice Example <alice@example.com>');
      await p.shot('#inbox-view', path.join(browser.outDir, 'popup-verdict-untrusted.png'));
    });

    test('check signature: a tampered message is "invalid"; an unsigned one is "unsigned"', async () => {
      const p = ui(browser, popup);
      await openMessage(ids.tampered);
      assert.equal(await popup.eval(`document.querySelector('#inbox-verdict-block')`), null, 'a new message starts without a verdict');
      let mark = tm.requests.length;
      const bad = await check();
      assert.deepEqual([bad.status, bad.reason], ['invalid', TAMPERED.golden.reason.kind]);
      assert.equal(TAMPERED.golden.reason.kind, 'altered_content');
      assert.equal(bad.label, msg('verdictInvalid'));
      assert.equal(bad.summary, TAMPERED.golden.summary);
      assert.equal(bad.explanation, TAMPERED.golden.explanation);
      assert.deepEqual(tm.since(mark).map((r) => [r.method, r.path, r.status]), [['GET', `/messages/${ids.tampered}/download`, 200]]);
      assert.equal(sha256(/** @type {Buffer} */ (tm.since(mark)[0].served)), sha256(TAMPERED.raw));
      assert.equal(await popup.eval(visible('#inbox-verdict-block details')), true, 'the details of a bad signature are offered');
      // The core lists the message's certificates in the message's order when no path was
      // validated (here the CA's first): they are not shown as a chain.
      assert.deepEqual(
        await popup.eval(`[...document.querySelectorAll('#inbox-verdict-block [data-field="chain"] li')].map((li) => li.textContent)`),
        TAMPERED.golden.details.chain.map((/** @type {{ subject: string }} */ c) => c.subject),
      );
      assert.equal(await popup.eval(`document.querySelector('#inbox-verdict-block [data-field="chain"]').previousElementSibling.textContent`), msg('verdictCertificates'));
      await p.shot('#inbox-view', path.join(browser.outDir, 'popup-verdict-invalid.png'));

      await openMessage(ids.unsigned);
      mark = tm.requests.length;
      const none = await check();
      assert.deepEqual([none.status, none.reason], ['not_verified', 'unsigned']);
      assert.equal(none.label, msg('verdictUnsigned'), 'an unsigned message with no signed history is "Not signed" (grey)');
      assert.equal(none.summary, UNSIGNED.golden.summary);
      assert.equal(none.summary, msg('reasonUnsigned'));
      assert.equal(await popup.eval(`document.querySelector('#inbox-verdict-block details')`), null, 'nothing to detail');
      assert.deepEqual(tm.since(mark).map((r) => [r.method, r.path, r.status]), [['GET', `/messages/${ids.unsigned}/download`, 200]]);
      await p.shot('#inbox-view', path.join(browser.outDir, 'popup-verdict-unsigned.png'));
    });

    // The background must hand the raw source over as bytes: decoding it as UTF-8 and encoding
    // it again changes 8bit bytes that are not UTF-8, and a correctly signed Latin-1 mail would
    // come out "invalid / altered".
    test('check signature: an 8bit Latin-1 signed part is checked on its exact bytes', async () => {
      ids.latin1 = tm.deliver(inbox.address, LATIN1, { createdAt: new Date(Date.now() - 5 * 60000).toISOString() });
      delivered += 1;
      await ui(browser, popup).click('#inbox-message [data-action="back-to-list"]');
      await ui(browser, popup).click('#inbox-refresh');
      await openMessage(ids.latin1);
      const mark = tm.requests.length;
      const v = await check();
      assert.equal(sha256(/** @type {Buffer} */ (tm.since(mark)[0].served)), sha256(LATIN1), 'the mock served the exact bytes');
      assert.deepEqual([v.status, v.reason], ['not_verified', 'untrusted_root']);
    });

    test('an expired token is renewed once and the new one is kept', async () => {
      const p = ui(browser, popup);
      await p.click('#inbox-message [data-action="back-to-list"]');
      await waitFor(popup, `${visible('#inbox-list')} && document.querySelectorAll('#inbox-list li').length === ${delivered} && ${text('#inbox-status')} === ''`);
      tm.expireTokens();
      let mark = tm.requests.length;
      await p.click('#inbox-refresh');
      await until(() => tm.since(mark).some((r) => r.method === 'GET' && r.status === 200));
      await waitFor(popup, `${text('#inbox-status')} === '' && document.querySelectorAll('#inbox-list li').length === ${delivered}`);
      const renewal = tm.since(mark);
      assert.deepEqual(renewal.map((r) => [r.method, r.path, r.status]), [
        ['GET', '/messages?page=1', 401],
        ['POST', '/token', 200],
        ['GET', '/messages?page=1', 200],
      ]);
      assert.equal(renewal[0].authorization, `Bearer ${inbox.token}`);
      assert.deepEqual(renewal[1].body, { address: inbox.address, password: inbox.password });
      const [fresh] = tm.validTokens();
      assert.notEqual(fresh, inbox.token);
      assert.equal(renewal[2].authorization, `Bearer ${fresh}`);

      mark = tm.requests.length;
      await p.click('#inbox-refresh');
      await until(() => tm.since(mark).length > 0);
      assert.deepEqual(tm.since(mark).map((r) => [r.method, r.path, r.authorization, r.status]), [['GET', '/messages?page=1', `Bearer ${fresh}`, 200]], 'the renewed token was stored');
      inbox.token = fresh;
    });

    test('deleting the alias at mail.tm deletes the inbox account', async () => {
      const p = ui(browser, popup);
      await p.click('#inbox-back');
      await waitFor(popup, visible(ROW));
      const mark = tm.requests.length;
      await p.click(`${ROW} [data-action="delete"]`);
      await p.click(`${ROW} .at-provider`);
      await p.click(`${ROW} [data-action="confirm-delete"]`);
      await waitFor(popup, `!document.querySelector(${js(ROW)})`);
      assert.deepEqual(tm.since(mark).map((r) => [r.method, r.path, r.authorization, r.status]), [['DELETE', `/accounts/${inbox.accountId}`, `Bearer ${inbox.token}`, 204]]);
      assert.equal(tm.accounts.size, 0);
      await popup.close();
    });
  });
}
