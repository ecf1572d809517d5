// shared/ext.js `onTabLoading` with Chrome's tabs.onUpdated, which takes no filter and throws
// when given one: the listener is still added, without it, and still hears a page loading.
// (Firefox's, which takes `{ properties: ['status'] }`, is in webmail.test.mjs.)
import assert from 'node:assert/strict';
import { test } from 'node:test';

/** @type {Function[]} */
const added = [];
globalThis.chrome = /** @type {any} */ ({
  tabs: {
    onUpdated: {
      addListener: (/** @type {Function} */ f, /** @type {unknown} */ filter) => {
        if (filter !== undefined) throw new TypeError('This event does not support filters');
        added.push(f);
      },
    },
  },
});
const { onTabLoading } = await import('../../extension/shared/ext.js');

test('Chrome: the listener without a filter, for loading only', () => {
  /** @type {number[]} */
  const heard = [];
  onTabLoading((tabId) => heard.push(tabId));
  assert.equal(added.length, 1);
  added[0](3, { status: 'loading' });
  added[0](3, { title: 'x' });
  added[0](4, { status: 'complete' });
  assert.deepEqual(heard, [3]);
});
