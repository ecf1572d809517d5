// @ts-check
/**
 * A message's check in rounds (the core's `smime::offload`): the core parses, builds the path
 * and decides; the browser's WebCrypto does what it does natively and several times faster than
 * wasm: the RSA, ECDSA and Ed25519 signature maths and the SHA-2 digest of a large content. Each round
 * the core asks, this answers every request at once, in the request's order; the core uses an
 * answer only for the request it made, checks itself what WebCrypto could not (`null`), and the
 * verdict is the one it gives with no help at all.
 *
 * No browser API but `crypto.subtle` (passed in): the background and the Node benchmark share it.
 */

/**
 * @typedef {{ algorithm: string, kind: string, start: number, end: number, bytes?: Uint8Array, length?: number }} DigestRequest
 * @typedef {{ scheme: string, hash?: string, namedCurve?: string, saltLength?: number,
 *   spki: Uint8Array, data: Uint8Array, signature: Uint8Array }} SignatureRequest
 * @typedef {{ verdict?: unknown, digests?: DigestRequest[], signatures?: SignatureRequest[] }} StepResult
 * @typedef {{ step(): unknown, answer(digests: unknown[], signatures: unknown[]): void, free(): void }} Job
 */

/** A view WebCrypto accepts. @param {Uint8Array} b */
const buf = (b) => /** @type {Uint8Array<ArrayBuffer>} */ (b);

/**
 * The digest a request asks for, or `null` when WebCrypto fails (the core hashes it then).
 * `r.bytes` is a view of the core's memory, valid only until the next call into the core: this
 * must be called in the same turn as the `step()` that made it (everything before the `await`
 * runs at once, and WebCrypto copies its input before `digest` returns). A view that is no
 * longer whole (the memory grew and detached it) is not hashed but answered `null`.
 * @param {SubtleCrypto} subtle @param {Uint8Array} raw @param {DigestRequest} r
 * @returns {Promise<Uint8Array | null>}
 */
export async function digest(subtle, raw, r) {
  if (r.bytes && r.bytes.byteLength !== r.length) return null;
  try {
    return new Uint8Array(await subtle.digest(r.algorithm, buf(r.bytes ?? raw.subarray(r.start, r.end))));
  } catch {
    return null;
  }
}

/**
 * Whether a signature verifies; `null` when WebCrypto cannot tell (a key it will not import, a
 * scheme it lacks): the core checks it then.
 * @param {SubtleCrypto} subtle @param {SignatureRequest} r
 * @returns {Promise<boolean | null>}
 */
export async function signature(subtle, r) {
  try {
    // Ed25519 names no hash (and the core judged its key and R already: only the equation).
    /** @type {RsaHashedImportParams | EcKeyImportParams | Algorithm} */
    const importAs = r.scheme === 'ECDSA'
      ? { name: 'ECDSA', namedCurve: /** @type {string} */ (r.namedCurve) }
      : r.hash ? { name: r.scheme, hash: r.hash } : { name: r.scheme };
    const key = await subtle.importKey('spki', buf(r.spki), importAs, false, ['verify']);
    /** @type {AlgorithmIdentifier | RsaPssParams | EcdsaParams} */
    const params = r.scheme === 'ECDSA'
      ? { name: 'ECDSA', hash: /** @type {string} */ (r.hash) }
      : r.scheme === 'RSA-PSS' ? { name: 'RSA-PSS', saltLength: /** @type {number} */ (r.saltLength) } : { name: r.scheme };
    return await subtle.verify(params, key, buf(r.signature), buf(r.data));
  } catch {
    return null;
  }
}

/**
 * Runs a job to its verdict. `run` performs each synchronous call into the core (the background
 * passes its trap-aware `call`), so a trap mid-way surfaces as the caller's error.
 * @param {Job} job @param {Uint8Array} raw the message, for digests of a range of it
 * @param {SubtleCrypto} subtle
 * @param {<T>(fn: () => T) => Promise<T>} run
 * @returns {Promise<unknown>} the verdict
 */
export async function runJob(job, raw, subtle, run) {
  try {
    for (;;) {
      // The digests start in the same turn as the step (their inputs are views of the core's
      // memory); the signatures after.
      const { step, hashing } = await run(() => {
        const s = /** @type {StepResult} */ (job.step());
        return { step: s, hashing: Promise.all((s.digests ?? []).map((r) => digest(subtle, raw, r))) };
      });
      if (step.verdict !== undefined) return step.verdict;
      const [digests, signatures] = await Promise.all([
        hashing,
        Promise.all((step.signatures ?? []).map((r) => signature(subtle, r))),
      ]);
      await run(() => job.answer(digests, signatures));
    }
  } finally {
    try {
      job.free();
    } catch {
      // A job of an instance that trapped is gone already.
    }
  }
}
