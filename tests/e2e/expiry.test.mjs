// Expiry, end to end in each browser: with a short default lifetime, the background's alarm
// fires by itself, disables the provider alias at the provider, marks both aliases expired,
// and the popup shows them expired; re-enabling works where the provider allows it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BROWSERS, launchBrowser } from './lib/harness.mjs';
import { startSimpleLoginMock } from './lib/mock-providers.mjs';
import { sendFrom, waitFor } from './lib/pages.mjs';

/** Lifetime given to new aliases in this test (seconds). */
const LIFETIME_SECS = 2;
/** Longest the alarm may take: Chromium may hold alarms up to 30 s (ms). */
const ALARM_WAIT_MS = 45000;

for (const name of BROWSERS) {
  describe(`expiry in ${name}`, () => {
    /** @type {Awaited<ReturnType<typeof launchBrowser>>} */ let browser;
    /** @type {Awaited<ReturnType<typeof startSimpleLoginMock>>} */ let sl;
    before(async () => {
      sl = await startSimpleLoginMock();
      browser = await launchBrowser(name);
    });
    after(async () => {
      await browser?.close();
      await sl?.close();
    });

    test('the alarm expires aliases by itself and disables them at the provider', async () => {
      const page = await browser.openExtensionPage('ui/options.html');
      await waitFor(page, `document.body && document.body.dataset.ready`);
      const ok = (reply) => {
        assert.equal(reply?.ok, true, JSON.stringify(reply?.error));
        return reply.value;
      };
      const view = ok(await sendFrom(page, { type: 'settings.get' }));
      ok(await sendFrom(page, {
        type: 'settings.set',
        settings: {
          ...view,
          catch_all_domain: 'expiring.example.test',
          default_lifetime: { kind: 'custom', secs: LIFETIME_SECS },
          providers: [{ provider: 'simplelogin', enabled: true, base_url: sl.origin, key: sl.key, domain: null }],
        },
      }));
      const local = ok(await sendFrom(page, { type: 'alias.create', url: 'https://shop.example.com/join', source: 'catch-all' }));
      const remote = ok(await sendFrom(page, { type: 'alias.create', url: 'https://shop.example.com/join', source: 'simplelogin' }));
      assert.equal(local.state, 'active');
      assert.equal(local.expires, local.created + LIFETIME_SECS);
      const remoteId = Number(remote.provider_id);
      assert.equal(sl.aliases.get(remoteId)?.enabled, true);

      const mark = sl.requests.length;
      // Nothing is called by hand: the alarm set at creation fires and does the work.
      const t0 = Date.now();
      let states;
      for (;;) {
        const list = ok(await sendFrom(page, { type: 'alias.list', url: 'https://shop.example.com/' }));
        states = Object.fromEntries(list.forSite.map((r) => [r.address, r.state]));
        if (states[local.address] === 'expired' && states[remote.address] === 'expired') break;
        assert.ok(Date.now() - t0 < ALARM_WAIT_MS, `not expired after ${ALARM_WAIT_MS} ms: ${JSON.stringify(states)}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      assert.equal(sl.aliases.get(remoteId)?.enabled, false, 'disabled at SimpleLogin');
      assert.deepEqual(sl.since(mark).map((r) => [r.method, r.path]), [
        ['GET', `/api/aliases/${remoteId}`],
        ['POST', `/api/aliases/${remoteId}/toggle`],
      ]);

      // The user can turn an expired alias back on where the provider allows it.
      const again = ok(await sendFrom(page, { type: 'alias.setEnabled', id: remote.id, enabled: true }));
      assert.equal(again.state, 'active');
      assert.equal(sl.aliases.get(remoteId)?.enabled, true);
      await page.close();
    });
  });
}
