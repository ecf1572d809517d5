// Sync across devices (issue #25), end to end in each browser with two separate profiles,
// A and B. HONEST LIMIT: the browsers' sync engines need a signed-in account, which a test
// cannot have, so `storage.sync` does not travel by itself here. The test plays the sync
// engine: it reads profile A's `storage.sync` from one of A's extension pages
// (`storage.sync.get(null)`) and writes it into B's (`set`, and `remove` for keys B has and
// A does not), and back, as Chrome Sync or Firefox Sync would deliver the items (a whole
// area, last writer per key). Everything else is the real extension: the options page's
// switch, code, QR code and join field, the background's push on a change and its pull on
// `storage.onChanged`. The extension is the shipped build (dist/).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { BROWSERS, ROOT } from './lib/harness.mjs';
import { js, msg, reload, sendFrom, text, ui, until, visible, waitFor } from './lib/pages.mjs';
import { startMailTmMock } from './lib/mock-providers.mjs';
import { carry, useTwoProfiles } from './lib/sync-engine.mjs';

const CATCH_ALL = 'mine.example.test';
// The core in Node, only to make a valid code that is not A's (a wrong code).
const core = await import(path.join(ROOT, 'pkg/impalemail.js'));
core.initSync({ module: fs.readFileSync(path.join(ROOT, 'pkg/impalemail_bg.wasm')) });

/** @param {import('./lib/chrome.mjs').PageHandle} page */
async function records(page) {
  const r = await sendFrom(page, { type: 'alias.list' });
  assert.equal(r.ok, true, JSON.stringify(r));
  return /** @type {{ id: string, address: string, state: string, label?: string | null, site?: string | null }[]} */ (r.value.records);
}

/** Pushes what is waiting for the debounce now (the options page's "Sync now"). @param {import('./lib/chrome.mjs').PageHandle} page */
async function syncNow(page) {
  const r = await sendFrom(page, { type: 'sync.now' });
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(r.value.error ?? null, null, JSON.stringify(r.value.error));
}

/** @param {import('./lib/chrome.mjs').PageHandle} page */
async function useCatchAll(page) {
  const view = await sendFrom(page, { type: 'settings.get' });
  const saved = await sendFrom(page, { type: 'settings.set', settings: { ...view.value, catch_all_domain: CATCH_ALL } });
  assert.equal(saved.ok, true, JSON.stringify(saved));
}

for (const name of BROWSERS) {
  describe(`sync between two profiles in ${name}`, () => {
    /** @type {import('./lib/sync-engine.mjs').TwoProfiles['browserA']} */ let browserA;
    /** @type {import('./lib/sync-engine.mjs').TwoProfiles['browserB']} */ let browserB;
    /** @type {import('./lib/chrome.mjs').PageHandle} */ let a;
    /** @type {import('./lib/chrome.mjs').PageHandle} */ let b;
    let code = '';
    let shop = '';

    useTwoProfiles(name, async (p) => {
      ({ browserA, browserB, a, b } = p);
      await useCatchAll(a);
      await useCatchAll(b);
    });

    test('A turns sync on: the code in groups and as a QR code, the privacy note', async () => {
      const made = await sendFrom(a, { type: 'alias.create', url: 'https://shop.example/signup', source: 'per-site' });
      assert.equal(made.ok, true, JSON.stringify(made));
      shop = made.value.address;
      await waitFor(a, `!!document.querySelector('#sync-on')`);
      assert.equal(await a.eval(text('#sync-privacy')), msg('syncPrivacy'));
      await ui(browserA, a).click('#sync-on');
      await waitFor(a, `/^([0-9A-Z]{4} ){7}[0-9A-Z]{4}$/.test(${text('#sync-code')})`);
      code = (await a.eval(text('#sync-code'))).replaceAll(' ', '-');
      assert.equal(await a.eval(visible('#sync-qr svg path')), true);
      const area = await a.eval('(globalThis.browser ?? globalThis.chrome).storage.sync.get(null)');
      assert.ok(Object.keys(area).includes('k'));
      assert.ok(!JSON.stringify(area).includes('shop.example'), 'the browser vendor sees ciphertext');
    });

    test('B: a wrong code says so and changes nothing; the right one joins, and A\'s alias is there', async () => {
      await carry(a, b);
      const u = ui(browserB, b);
      const typo = (code[0] === '7' ? '8' : '7') + code.slice(1);
      await u.fill('#sync-join-code', typo);
      await u.click('#sync-join-button');
      await waitFor(b, `${text('#sync-error')} === ${js(msg('syncErrTypo'))}`);
      await u.fill('#sync-join-code', core.syncCodeNew());
      await u.click('#sync-join-button');
      await waitFor(b, `${text('#sync-error')} === ${js(msg('syncErrWrongCode'))}`);
      assert.equal((await records(b)).length, 0, 'nothing changed on B');
      await u.fill('#sync-join-code', code.toLowerCase());
      await u.click('#sync-join-button');
      await waitFor(b, `${text('#sync-code')}.length > 0`);
      assert.equal((await b.eval(text('#sync-code'))).replaceAll(' ', '-'), code);
      const onB = await records(b);
      assert.deepEqual(onB.map((r) => r.address), [shop]);
      const offered = await sendFrom(b, { type: 'alias.list', url: 'https://shop.example/login' });
      assert.deepEqual(offered.value.forSite.map((/** @type {{ address: string }} */ r) => r.address), [shop], 'offered on that site on B');
      // The per-site secret came along: B makes the same per-site address as A.
      const again = await sendFrom(b, { type: 'alias.create', url: 'https://news.example/', source: 'per-site' });
      const onA = await sendFrom(a, { type: 'alias.create', url: 'https://news.example/', source: 'per-site' });
      assert.equal(again.value.address, onA.value.address);
    });

    test('a disable on B shows in A; a conflict made apart ends the same in both', async () => {
      const x = (await records(b)).find((r) => r.address === shop);
      assert.ok(x);
      assert.equal((await sendFrom(b, { type: 'alias.setEnabled', id: x.id, enabled: false })).ok, true);
      await syncNow(b);
      await carry(b, a);
      await until(async () => (await records(a)).find((r) => r.address === shop)?.state === 'disabled', 'the disable reached A');
      await syncNow(a);

      // Apart: A disables the news alias, B relabels it.
      const news = (await records(a)).find((r) => r.site === 'news.example');
      const newsB = (await records(b)).find((r) => r.address === news?.address);
      assert.ok(news && newsB);
      await sendFrom(a, { type: 'alias.setEnabled', id: news.id, enabled: false });
      await sendFrom(b, { type: 'alias.label', id: newsB.id, label: 'newsletter' });
      await syncNow(a);
      await syncNow(b);
      // The engine delivers B's area to A (B's items win per key), A merges and writes back
      // what B's lacked, and that comes to B.
      await carry(b, a);
      await until(async () => (await records(a)).find((r) => r.address === news.address)?.label === 'newsletter', 'B\'s label reached A');
      await syncNow(a);
      await carry(a, b);
      await until(async () => (await records(b)).find((r) => r.address === news.address)?.state === 'disabled', 'A\'s disable reached B');
      for (const page of [a, b]) {
        const r = (await records(page)).find((x) => x.address === news.address);
        assert.deepEqual([r?.state, r?.label], ['disabled', 'newsletter']);
      }
    });

    test('a temporary inbox made on A opens on B: its password travelled, B signs in with it', async () => {
      const tm = await startMailTmMock();
      try {
        // A's choice of the temporary-inbox service (here the local stand-in) travels with
        // the alias sources, so B asks the same service.
        const view = await sendFrom(a, { type: 'settings.get' });
        const providers = view.value.providers.map((/** @type {any} */ p) => (p.provider === 'mailtm' ? { ...p, base_url: tm.origin } : p));
        assert.equal((await sendFrom(a, { type: 'settings.set', settings: { ...view.value, providers } })).ok, true);
        const made = await sendFrom(a, { type: 'alias.create', url: 'https://forum.example/join', source: 'mailtm' });
        assert.equal(made.ok, true, JSON.stringify(made));
        const address = made.value.address;
        tm.deliver(address, Buffer.from(`From: forum@forum.example\r\nTo: ${address}\r\nSubject: Welcome to the forum\r\n\r\nYour code is 4711.\r\n`));
        const before = tm.requests.length;
        await syncNow(a);
        await carry(a, b);
        const onB = await until(async () => (await records(b)).find((r) => r.address === address), 'the inbox alias reached B');
        const read = await until(async () => {
          const r = await sendFrom(b, { type: 'inbox.read', id: onB.id });
          return r.ok ? r.value : null;
        }, 'B read the inbox');
        assert.match(JSON.stringify(read), /Welcome to the forum/);
        const signIn = tm.requests.slice(before).find((r) => r.path === '/token');
        assert.ok(signIn, 'B signed in at the service (the token does not travel)');
        assert.equal(/** @type {{ address: string }} */ (signIn.body).address, address);
      } finally {
        await tm.close();
      }
    });

    test('turning sync off on B keeps B\'s aliases and A\'s synced items', async () => {
      const before = (await records(b)).length;
      await ui(browserB, b).click('#sync-off');
      await waitFor(b, `!!document.querySelector('#sync-on')`);
      assert.equal((await records(b)).length, before);
      const area = await b.eval('(globalThis.browser ?? globalThis.chrome).storage.sync.get(null)');
      assert.ok(Object.keys(area).includes('k'), 'the synced items stay for the other devices');
    });

    test('A outgrows its sync area: expired aliases leave it first, the options page says so in plain words, every alias stays on A', async () => {
      const now = Math.floor(Date.now() / 1000);
      // About 80 bytes of area an alias (tools/bench/sync-size.mjs): 1,600 more pass the
      // 102,400 bytes; the 800 expired ones can make room.
      const many = Array.from({ length: 1600 }, (_, i) => ({
        id: `f${i}`, address: `filler.${i}.${(i * 7919) % 10007}@${CATCH_ALL}`, source: 'catch-all', site: `site${i}.example`,
        created: now - 2 * 86_400 - i, ...(i < 800 ? { expires: now - 86_400 - i, state: 'expired' } : { state: 'active' }),
      }));
      const before = (await records(a)).length;
      const imported = await sendFrom(a, { type: 'vault.import', text: JSON.stringify({ format: 'impalemail-vault', schema: 1, records: many }) });
      assert.equal(imported.ok, true, JSON.stringify(imported));
      await syncNow(a);
      const status = await sendFrom(a, { type: 'sync.status' });
      const leftOut = status.value.leftOut;
      assert.ok(leftOut > 0 && leftOut <= 800, JSON.stringify(status.value));
      await reload(a);
      await waitFor(a, `!!document.querySelector('#sync-left-out')`);
      assert.equal(await a.eval(text('#sync-nearly-full')), msg('syncNearlyFull'));
      assert.equal(await a.eval(visible('#sync-nearly-full')), true);
      assert.equal(await a.eval(text('#sync-left-out')), msg('syncLeftOut', String(leftOut)));
      assert.equal((await records(a)).length, before + many.length, 'nothing local is dropped');
    });
  });
}
