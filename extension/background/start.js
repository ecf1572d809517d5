// @ts-check
/**
 * The background's first statement: starts fetching and compiling the core. ES modules run in
 * import order and this is `background.js`'s first import, so the wasm's fetch is under way
 * before the rest of the bundle (aliases, forms, sync, webmail, the router) is evaluated, and a
 * message that woke the worker finds the core sooner (issue #26, "cold start to the first
 * verdict"). A failure here is reported by the first call that needs the core.
 */
import { core } from './core.js';

core().catch(() => {});
