// @ts-check
/** Fills every `[data-i18n]` element of an extension page from `_locales`. */
import { i18n } from '../shared/ext.js';

/** @param {ParentNode} root */
export function localize(root) {
  // The language the strings are in (the locale the browser picked, or the default), so screen
  // readers speak it and Chinese, Japanese and Korean text gets its own glyphs.
  if (root === document) document.documentElement.lang = i18n('langTag');
  for (const el of root.querySelectorAll('[data-i18n]')) {
    const key = /** @type {HTMLElement} */ (el).dataset.i18n;
    if (key) el.textContent = i18n(key);
  }
}
