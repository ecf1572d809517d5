// The background's durable write queue (extension/background/store.js), with a fake storage
// that can fail the way browsers do: quota errors, and a service worker stopped mid-write.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createStore, MAX_JOURNAL_ENTRIES } from '../../extension/background/store.js';

/** An in-memory storage.local; `failNext(n, err)` makes the n-th next set throw, `hangNext` never resolve. */
function fakeStorage() {
  /** @type {Map<string, string>} */
  const data = new Map();
  const plan = [];
  let calls = 0;
  return {
    data,
    async get(key) {
      return data.has(key) ? { [key]: JSON.parse(data.get(key)) } : {};
    },
    async set(items) {
      calls++;
      const p = plan.find((x) => x.at === calls);
      if (p?.kind === 'throw') throw p.err;
      if (p?.kind === 'hang') return new Promise(() => {});
      for (const [k, v] of Object.entries(items)) data.set(k, JSON.stringify(v)); // all keys in one step
    },
    failAt(offset, err) { plan.push({ at: calls + offset, kind: 'throw', err }); },
    hangAt(offset) { plan.push({ at: calls + offset, kind: 'hang' }); },
  };
}

// A stand-in for the core's vault logic: a list of records, an add is idempotent by id.
const empty = () => ({ schema: 1, records: [] });
const apply = (doc, op) => {
  if (op.kind === 'add') {
    if (typeof op.record?.id !== 'string') throw new Error('record without id');
    return doc.records.some((r) => r.id === op.record.id) ? doc : { ...doc, records: [...doc.records, op.record] };
  }
  throw new Error(`unknown op ${op.kind}`);
};
const add = (id) => ({ kind: 'add', record: { id, address: `${id}@example.org` } });
let seq = 0;
const mk = (storage) => createStore({ storage, key: 'vault', empty, apply, newId: () => `j${++seq}` });

test('150 concurrent writes from many tabs all land, in order', async () => {
  const storage = fakeStorage();
  const store = mk(storage);
  const ids = Array.from({ length: 150 }, (_, i) => `a${i}`);
  await Promise.all(ids.map((id) => store.write(add(id))));
  const doc = await mk(storage).read();
  assert.deepEqual(doc.records.map((r) => r.id), ids);
  assert.deepEqual(JSON.parse(storage.data.get('vault.journal')), []);
});

test('a worker stopped between journal and document write loses nothing', async () => {
  const storage = fakeStorage();
  const first = mk(storage);
  await first.write(add('kept'));
  storage.hangAt(2); // the journal append succeeds, the document write never completes
  void first.write(add('in-flight'));
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(JSON.parse(storage.data.get('vault')).records.map((r) => r.id), ['kept']);
  // The browser restarts the background: a new store over the same storage.
  const second = mk(storage);
  assert.deepEqual((await second.read()).records.map((r) => r.id), ['kept', 'in-flight'], 'pending change visible');
  assert.deepEqual(await second.recover(), { replayed: 1, dropped: [] });
  assert.deepEqual(JSON.parse(storage.data.get('vault')).records.map((r) => r.id), ['kept', 'in-flight']);
  assert.deepEqual(JSON.parse(storage.data.get('vault.journal')), []);
});

test('a full disk at the document write keeps the change pending and says so', async () => {
  const storage = fakeStorage();
  const store = mk(storage);
  await store.write(add('a'));
  storage.failAt(2, new Error('QUOTA_BYTES quota exceeded'));
  await assert.rejects(store.write(add('b')), (e) => e.name === 'StorageFull' && /kept/.test(e.message));
  assert.deepEqual((await store.read()).records.map((r) => r.id), ['a', 'b']);
  await store.write(add('c')); // room again: everything is written
  assert.deepEqual(JSON.parse(storage.data.get('vault')).records.map((r) => r.id), ['a', 'b', 'c']);
  assert.deepEqual(JSON.parse(storage.data.get('vault.journal')), []);
});

test('a full disk at the journal write changes nothing', async () => {
  const storage = fakeStorage();
  const store = mk(storage);
  await store.write(add('a'));
  const before = [...storage.data.entries()];
  storage.failAt(1, new Error('QUOTA_BYTES quota exceeded'));
  await assert.rejects(store.write(add('b')), (e) => e.name === 'StorageFull' && /nothing was changed/.test(e.message));
  assert.deepEqual([...storage.data.entries()], before);
});

test('an operation the core refuses changes nothing and does not block later writes', async () => {
  const storage = fakeStorage();
  const store = mk(storage);
  await store.write(add('a'));
  await assert.rejects(store.write({ kind: 'add', record: {} }), /record without id/);
  await store.write(add('b'));
  assert.deepEqual((await store.read()).records.map((r) => r.id), ['a', 'b']);
});

test('a corrupt journal entry is dropped at recovery and reported, the rest applies', async () => {
  const storage = fakeStorage();
  await storage.set({ vault: empty(), 'vault.journal': [{ id: 'x', op: { kind: 'bogus' } }, { id: 'y', op: add('good') }] });
  const store = mk(storage);
  const r = await store.recover();
  assert.equal(r.replayed, 1);
  assert.match(r.dropped[0], /^x: unknown op bogus/);
  assert.deepEqual((await store.read()).records.map((x) => x.id), ['good']);
});

test('a journal that keeps growing is refused with a clear error', async () => {
  const storage = fakeStorage();
  const journal = Array.from({ length: MAX_JOURNAL_ENTRIES }, (_, i) => ({ id: `p${i}`, op: add(`p${i}`) }));
  await storage.set({ 'vault.journal': journal });
  await assert.rejects(mk(storage).write(add('z')), (e) => e.name === 'StorageStuck');
});

test('restart: in the queue, nothing changed when refused, pending operations kept on a fresh document', async () => {
  const storage = fakeStorage();
  const store = mk(storage);
  await store.write(add('old'));
  // A pending operation (its document write failed) and a document that is then damaged.
  storage.failAt(2, new Error('QUOTA_BYTES quota exceeded'));
  await assert.rejects(store.write(add('pending')), (e) => e.name === 'StorageFull');
  storage.data.set('vault', JSON.stringify('damaged'));
  // Declined or refused by `prepare`: nothing changes.
  assert.equal((await store.restart(async () => false)).restarted, false);
  await assert.rejects(store.restart(async () => { throw new Error('no'); }), /no/);
  assert.equal(JSON.parse(storage.data.get('vault')), 'damaged');
  assert.equal(JSON.parse(storage.data.get('vault.journal')).length, 1);
  // A write queued behind the restart lands after it, on the fresh document.
  /** @type {unknown[]} */
  const seen = [];
  const restarted = store.restart(async (doc, journal) => {
    seen.push(doc, journal.map((e) => e.op.record.id));
    return true;
  });
  const after = store.write(add('after'));
  assert.deepEqual(await restarted, { restarted: true, replayed: 1, dropped: [] });
  await after;
  assert.deepEqual(seen, ['damaged', ['pending']]);
  assert.deepEqual((await mk(storage).read()).records.map((r) => r.id), ['pending', 'after']);
  assert.deepEqual(JSON.parse(storage.data.get('vault.journal')), []);
});

test('replace: sees the pending operations, stores the new document and its companion in one write, or nothing', async () => {
  const storage = fakeStorage();
  const store = mk(storage);
  await store.write(add('a1'));
  // An operation left in the journal by a stopped worker is part of what `make` sees.
  storage.failAt(2, new Error('QUOTA_BYTES quota exceeded'));
  await assert.rejects(store.write(add('a2')), (e) => e.name === 'StorageFull');
  let seen = null;
  assert.equal(await store.replace(async (doc) => { seen = doc.records.map((r) => r.id); return null; }), false);
  assert.deepEqual(seen, ['a1', 'a2']);
  assert.equal(JSON.parse(storage.data.get('vault.journal')).length, 1, 'null: nothing written');
  let writes = 0;
  const set = storage.set.bind(storage);
  storage.set = async (items) => { writes++; return set(items); };
  const ok = await store.replace(async (doc) => ({ doc: { ...doc, records: [...doc.records, { id: 'm1' }] }, extra: { 'sync.state': 'S1' } }));
  assert.equal(ok, true);
  assert.equal(writes, 1, 'one write');
  assert.deepEqual(JSON.parse(storage.data.get('vault')).records.map((r) => r.id), ['a1', 'a2', 'm1']);
  assert.deepEqual(JSON.parse(storage.data.get('vault.journal')), []);
  assert.equal(JSON.parse(storage.data.get('sync.state')), 'S1');
  // A failed write changes neither.
  storage.failAt(1, new Error('QUOTA_BYTES quota exceeded'));
  await assert.rejects(store.replace(async (doc) => ({ doc: { ...doc, records: [] }, extra: { 'sync.state': 'S2' } })));
  assert.equal(JSON.parse(storage.data.get('sync.state')), 'S1');
  assert.equal(JSON.parse(storage.data.get('vault')).records.length, 3);
});
