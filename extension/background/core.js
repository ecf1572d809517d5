// @ts-check
/**
 * Loads the Rust core (wasm) once and hands it out. If a call traps (a Rust panic becomes a
 * wasm trap, after which the instance's memory cannot be trusted), `call` reports an error
 * and the next call starts from a fresh instance.
 */
import init, * as wasm from '../pkg/impalemail.js';
import { getURL } from '../shared/ext.js';

/** @typedef {typeof wasm} Core */

/** @type {Promise<Core> | null} */
let loading = null;
/** @type {Core | null} */
let ready = null;

/** Instantiates the module (once) and resolves with its exports. */
export function core() {
  if (!loading) {
    loading = init({ module_or_path: getURL('pkg/impalemail_bg.wasm') }).then(() => {
      wasm.initCore();
      ready = wasm;
      return wasm;
    });
    loading.catch(() => {
      loading = null; // let the next call try again
    });
  }
  return loading;
}

/**
 * The core, synchronously, for code that runs after `await core()` (the storage queue's
 * pure apply functions). Throws if it is not instantiated.
 * @returns {Core}
 */
export function loaded() {
  if (!ready) {
    const e = new Error('The core is not loaded yet.');
    e.name = 'CoreNotReady';
    throw e;
  }
  return ready;
}

/**
 * Runs `fn` with the core. A trap (`WebAssembly.RuntimeError`) discards the instance so that
 * the next call re-instantiates it, and is rethrown as an error the router reports.
 * @template T
 * @param {(core: Core) => T} fn
 * @returns {Promise<T>}
 */
export async function call(fn) {
  const c = await core();
  try {
    return fn(c);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      loading = null;
      ready = null;
      const err = new Error(`The core stopped on an internal error and was restarted: ${e.message}`);
      err.name = 'CoreTrap';
      throw err;
    }
    throw e;
  }
}
