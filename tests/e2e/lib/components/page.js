// @ts-nocheck
/* global document, window */
// The in-page components of the content script, drawn on a test page (tests/e2e/lib/components.mjs
// bundles this file with the real modules, and `_locales` in place of the browser's i18n): the
// alias button with its menu open, and a badge for every verdict look, each with the personal
// mark. `window.components` lets the test open and close them.
import './open-shadow.js';
import { FieldButton } from '../../../../extension/content/forms/button.js';
import { createBadge } from '../../../../extension/content/webmail/badge.js';
import { badgeWords } from '../../../../extension/shared/words.js';

const { verdicts, mark } = JSON.parse(document.getElementById('data').textContent);
const field = document.getElementById('email');
const button = new FieldButton(field, {
  mode: 'new',
  existing: ['shop.7f3k@example.net'],
  onNew: async () => ({ address: 'fresh@example.net' }),
  onExisting: async () => {},
  onSettings: () => {},
  onNotHere: () => {},
});
const badges = [];
const into = document.getElementById('badges');
for (const v of verdicts) {
  const badge = createBadge(document);
  into.append(badge.host);
  // The words come with the verdict from the background (badgeWords), as in the extension.
  badge.show(v.state === 'failed' ? { state: 'failed', problem: 'network', mark } : { state: 'done', verdict: v.verdict, words: badgeWords(v.verdict, v.continuity ?? null, []), mark });
  badges.push(badge);
}
const pending = createBadge(document);
into.append(pending.host);
pending.show({ state: 'pending' });
window.components = {
  button,
  badges,
  badgeWords,
  /** Shows the button over the field and opens its menu. */
  openMenu() {
    button.position();
    button.open();
    return !button.menu.hidden;
  },
};
document.body.dataset.ready = '1';
