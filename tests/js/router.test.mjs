// The one message router (extension/background/router.js) in Node with the real handlers and
// core: who may send what. Web pages and other extensions are refused; a content script gets
// only the content-script group (never the popup's or the options page's handlers, never
// another tab's state); malformed and unknown messages get a clear error, never a throw.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT, installFakeBrowser } from './fake-browser.mjs';

const { local, badges } = installFakeBrowser();
const { route, classifySender } = await import('../../extension/background/router.js');

const OWN = `${globalThis.chrome.runtime.getURL('')}`;
const page = { id: 'test', url: `${OWN}ui/popup.html` };
const content = (/** @type {number} */ tabId, url = 'https://shop.example/join') => ({ id: 'test', url, tabId, frameId: 0 });

test('who is who', () => {
  assert.equal(classifySender(page), 'page');
  assert.equal(classifySender(content(3)), 'content');
  assert.equal(classifySender({ id: 'another-extension', url: `${OWN}ui/popup.html` }), null, 'another extension');
  assert.equal(classifySender({ id: 'test' }), null, 'no URL, no tab');
  assert.equal(classifySender({ id: 'test', url: 'https://evil.example/', tabId: -1 }), null, 'no tab');
  assert.equal(classifySender({ url: 'https://evil.example/', tabId: 3 }), null, 'no extension id: a web page');
});

test('malformed and unknown messages: a clear error, never a throw', async () => {
  for (const bad of [null, undefined, 42, 'core.info', [], {}, { type: 7 }, { type: null }]) {
    const r = await route(bad, page);
    assert.equal(r.ok, false, JSON.stringify(bad));
    assert.equal(r.ok === false && r.error.name, 'BadMessage', JSON.stringify(bad));
  }
  for (const type of ['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    const r = await route({ type }, page);
    assert.equal(r.ok === false && r.error.name, 'UnknownMessage', type);
  }
});

test('senders that are not ImpaleMail are refused whatever they ask', async () => {
  for (const sender of [{ id: 'other', url: 'https://evil.example/', tabId: 1 }, { url: `${OWN}ui/options.html` }]) {
    for (const type of ['core.info', 'alias.list', 'trust.addRoots', 'webmail.verify', 'forms.createAlias']) {
      const r = await route({ type }, sender);
      assert.equal(r.ok === false && r.error.name, 'Refused', `${type} from ${JSON.stringify(sender)}`);
    }
  }
});

test('a content script gets the content-script group only', async () => {
  // Everything only the user's own pages may do: list or export the vault, change settings,
  // trust a root, read another tab's verdict, check files, turn webmail sites on.
  const pageOnly = ['alias.list', 'alias.create', 'alias.delete', 'vault.export', 'vault.import', 'settings.get', 'settings.set',
    'trust.addRoots', 'trust.removeRoot', 'trust.roots', 'webmail.tabVerdict', 'webmail.tabDetected', 'webmail.enableSite',
    'webmail.setPersonalMark', 'webmail.personalMark', 'smime.checkFile', 'smime.ready', 'inbox.read', 'core.info',
    'sync.status', 'sync.on', 'sync.off', 'sync.now', 'sync.keys', 'provider.test', 'provider.bringIn'];
  for (const type of pageOnly) {
    const r = await route({ type, tabId: 1 }, content(2));
    assert.equal(r.ok === false && r.error.name, 'UnknownMessage', type);
  }
  assert.equal(local.get('trust.userRoots'), undefined);
  assert.equal(local.get('webmail.sites'), undefined);
  // What it may do, it does for its own tab only: a "tabId" it names is ignored.
  const ok = await route({ type: 'core.selftest', input: 'x' }, content(2));
  assert.equal(ok.ok, true);
  const hello = await route({ type: 'webmail.hello', adapter: 'roundcube', tabId: 9 }, content(2, 'https://mail.example.org/?_task=mail'));
  assert.deepEqual(hello, { ok: true, value: { enabled: false } });
  const begun = await route({ type: 'webmail.begin', tabId: 9 }, content(2, 'https://mail.example.org/?_task=mail'));
  assert.equal(begun.ok === false && begun.error.name, 'Refused', 'not turned on for that origin');
  assert.equal(badges.get(9), undefined, 'nothing drawn for the tab it named');
  // Field validation in the content group.
  const big = await route({ type: 'core.selftest', input: 'x'.repeat(5000) }, content(2));
  assert.equal(big.ok === false && big.error.name, 'BadMessage');
});

test('the extension\'s own pages reach every group', async () => {
  const info = await route({ type: 'core.info' }, page);
  assert.equal(info.ok, true);
  const crate = /^version\s*=\s*"([^"]+)"/m.exec(fs.readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8'))?.[1];
  assert.deepEqual(info.ok && info.value, { version: crate });
  const sites = await route({ type: 'webmail.sites' }, page);
  assert.equal(sites.ok, true);
});
