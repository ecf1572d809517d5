// @ts-check
/**
 * The content script's entry point (bundled by build.sh into `content/content.js`, a classic
 * script, because content scripts cannot be ES modules). It runs in every frame of every page,
 * in the extension's isolated world, so it does as little as possible until a page needs it,
 * and never compiles wasm (Chromium refuses wasm in content scripts on pages with a strict
 * CSP): every computation is a message to the background.
 */
import { send } from '../shared/ext.js';
import { startForms } from './forms/index.js';
import { runSelfTest } from './selftest.js';
import { startWebmail } from './webmail/index.js';

/** Marks this isolated world once, so a second injection (extension reload) does nothing. */
const GUARD = Symbol.for('impalemail.content');

const g = /** @type {Record<symbol, unknown>} */ (/** @type {unknown} */ (globalThis));
if (!g[GUARD]) {
  g[GUARD] = true;
  runSelfTest(document, location, send);
  startForms(document, send);
  startWebmail(document, location, send).catch(() => {});
}
