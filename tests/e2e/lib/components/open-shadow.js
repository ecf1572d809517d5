/* global Element */
// Test page only: every shadow root opens, so that axe (which cannot enter a closed root) checks
// what is inside ours. Imported before the components, which attach theirs as 'closed'.
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function attachOpen(init) {
  return attach.call(this, { ...init, mode: 'open' });
};
