// @ts-check
/**
 * Durable, serialised writes of one document in extension storage (the alias vault, the
 * settings), so that nothing the user had is lost:
 *
 * - Every change is an *operation* (a plain JSON value) applied by a pure function
 *   `apply(doc, op) → doc` (the Rust core's vault logic). Operations are idempotent (an add
 *   carries its record's id; a state change names the record), so replaying one is harmless.
 * - All writes go through one in-memory queue: concurrent requests from many tabs are applied
 *   one after the other, never read-modify-write over each other.
 * - Before an operation is applied it is appended to a journal key, in its own write. The
 *   document and the emptied journal are then written in ONE `storage.set` call, which both
 *   browsers commit atomically. If the service worker is stopped in between, or the browser
 *   quits, `recover()` at the next start applies what the journal still holds.
 * - If the final write fails (storage quota), the operation stays in the journal: the reader
 *   still sees it (`read()` applies the journal), the error is reported, and the next start or
 *   write retries it.
 * - A document that cannot be read any more is set aside in the queue too (`restart`): the
 *   caller keeps a copy first, and the operations still in the journal are applied to a fresh
 *   document, so a change that was not yet folded in survives.
 */

/**
 * The slice of `storage.local` the store needs (the background passes the real one; tests a fake).
 * @typedef {{
 *   get(key: string): Promise<Record<string, unknown>>,
 *   set(items: Record<string, unknown>): Promise<void>,
 * }} StorageArea
 */

/**
 * @typedef {{ id: string, op: unknown }} JournalEntry
 */

/** Most operations the journal may hold before writes are refused (a stuck quota, say). */
export const MAX_JOURNAL_ENTRIES = 1000;

/**
 * @template Doc
 * @param {{
 *   storage: StorageArea,
 *   key: string,
 *   empty: () => Doc,
 *   apply: (doc: Doc, op: unknown) => Doc,
 *   newId?: () => string,
 *   onWrite?: () => void,
 * }} opts `onWrite` is told after each operation `write` stored (not after `replace`, whose
 *   caller knows)
 */
export function createStore({ storage, key, empty, apply, newId = () => crypto.randomUUID(), onWrite = () => {} }) {
  const journalKey = `${key}.journal`;
  /** @type {Promise<unknown>} */
  let tail = Promise.resolve();

  /** Runs `task` after every task queued before it, whatever their outcome. */
  /** @template T @param {() => Promise<T>} task @returns {Promise<T>} */
  function serialise(task) {
    const run = tail.then(task, task);
    tail = run.catch(() => {});
    return run;
  }

  /** @returns {Promise<{ doc: Doc, journal: JournalEntry[] }>} */
  async function load() {
    const got = await storage.get(key);
    const j = await storage.get(journalKey);
    const doc = /** @type {Doc | undefined} */ (got[key]) ?? empty();
    const journal = Array.isArray(j[journalKey]) ? /** @type {JournalEntry[]} */ (j[journalKey]) : [];
    return { doc, journal };
  }

  /**
   * Applies journal entries in order; an entry that no longer applies (it was malformed) is
   * dropped rather than blocking every later write, and reported.
   * @param {Doc} doc @param {JournalEntry[]} journal
   */
  function replay(doc, journal) {
    /** @type {string[]} */
    const dropped = [];
    for (const entry of journal) {
      try {
        doc = apply(doc, entry.op);
      } catch (e) {
        dropped.push(`${entry.id}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return { doc, dropped };
  }

  /**
   * Applies the journal to `base` and stores the result with the journal emptied, in one write.
   * @param {Doc} base @param {JournalEntry[]} journal
   */
  async function fold(base, journal) {
    const out = replay(base, journal);
    await storage.set({ [key]: out.doc, [journalKey]: [] });
    return { replayed: journal.length - out.dropped.length, dropped: out.dropped };
  }

  return {
    /** The document as the user should see it: the stored one plus any pending operations. */
    async read() {
      const { doc, journal } = await load();
      return replay(doc, journal).doc;
    },

    /**
     * Applies what a previous run left in the journal. Call once when the background starts.
     * @returns {Promise<{ replayed: number, dropped: string[] }>}
     */
    recover() {
      return serialise(async () => {
        const { doc, journal } = await load();
        if (journal.length === 0) return { replayed: 0, dropped: [] };
        return fold(doc, journal);
      });
    },

    /**
     * Starts the document afresh, in the queue: `prepare(doc, journal)` sees the stored
     * document and the journal's entries; it returns false to leave everything as it is, throws
     * to refuse (nothing changed), or keeps what it must (its own writes) and returns true. Then
     * the journal's operations are applied to `empty()` and stored in one write with the
     * journal emptied; an operation that no longer applies is dropped and reported.
     * @param {(doc: Doc, journal: JournalEntry[]) => Promise<boolean>} prepare
     * @returns {Promise<{ restarted: boolean, replayed: number, dropped: string[] }>}
     */
    restart(prepare) {
      return serialise(async () => {
        const { doc, journal } = await load();
        if (!(await prepare(doc, journal))) return { restarted: false, replayed: 0, dropped: [] };
        return { restarted: true, ...(await fold(empty(), journal)) };
      });
    },

    /**
     * Replaces the document with what `make(doc)` makes of it (`doc` with the pending
     * operations applied), in the queue, in ONE write that also empties the journal and stores
     * `extra` beside it (sync: the merged vault and the sync state that saw it land together,
     * or neither does). `make` returns null to leave everything as it is.
     * @param {(doc: Doc) => Promise<{ doc: Doc, extra?: Record<string, unknown> } | null>} make
     * @returns {Promise<boolean>} whether anything was written
     */
    replace(make) {
      return serialise(async () => {
        const { doc, journal } = await load();
        const out = await make(replay(doc, journal).doc);
        if (!out) return false;
        await storage.set({ ...out.extra, [key]: out.doc, [journalKey]: [] });
        return true;
      });
    },

    /**
     * Queues one operation; resolves with the new document once it is durably stored.
     * An operation the core refuses rejects without changing anything.
     * @param {unknown} op
     * @returns {Promise<Doc>}
     */
    write(op) {
      return serialise(async () => {
        const { doc, journal } = await load();
        const base = replay(doc, journal).doc;
        const next = apply(base, op); // throws for a refused operation: nothing written
        if (journal.length >= MAX_JOURNAL_ENTRIES) {
          const e = new Error('Storage is not accepting writes (too many pending changes); free some space and restart the browser.');
          e.name = 'StorageStuck';
          throw e;
        }
        const entry = { id: newId(), op };
        try {
          await storage.set({ [journalKey]: [...journal, entry] });
        } catch (e) {
          const err = new Error(`The change could not be saved and nothing was changed: ${e instanceof Error ? e.message : String(e)}`);
          err.name = 'StorageFull';
          throw err;
        }
        try {
          await storage.set({ [key]: next, [journalKey]: [] });
        } catch (e) {
          const err = new Error(`The change is kept and will be saved when storage has room again: ${e instanceof Error ? e.message : String(e)}`);
          err.name = 'StorageFull';
          throw err;
        }
        onWrite();
        return next;
      });
    },
  };
}
