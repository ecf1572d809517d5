// @ts-check
/**
 * Fills a field the way a person typing would look to the page's framework.
 *
 * Frameworks keep their own copy of an input's value: React tracks the last value it saw
 * through a property on the node and ignores an `input` event whose value did not change by
 * that measure; Vue's v-model, Angular's forms and Svelte's bind:value listen for `input`
 * and `change`. So the value is set through the native `value` setter of the element's
 * prototype (the page's own setter, or React's tracker on the instance, is skipped, so the
 * framework sees a change), followed by the events a keyboard would cause:
 * focus, keydown, input (an InputEvent), keyup, change, blur -- what duckduckgo-autofill
 * does (alias-user-requests.md #4: Adobe, Sony sign-in clearing or ignoring filled values).
 *
 * A framework that re-renders from stale state can still put the old value back; the
 * filler checks once after the next frames and fills again (`REFILL_DELAY_MS`).
 *
 * The fields themselves cannot be shadowed by page markup (only forms and the document can:
 * dom.js), so their properties and methods are used directly; the document's `activeElement`
 * is read through dom.js.
 */
import { activeElement } from '../dom.js';

/** How long after a fill the value is checked, and filled again if the page reverted it (ms). */
export const REFILL_DELAY_MS = 150;

/** The native `value` setters, taken when the content script starts. */
const INPUT_VALUE = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
const TEXTAREA_VALUE = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.set;

/**
 * Sets the value and dispatches the events of typing it.
 * @param {HTMLInputElement | HTMLTextAreaElement} el
 * @param {string} value
 */
function fillOnce(el, value) {
  const opts = { bubbles: true, composed: true, cancelable: true };
  el.focus({ preventScroll: true });
  el.dispatchEvent(new KeyboardEvent('keydown', { ...opts, key: 'Unidentified' }));
  const set = el instanceof HTMLTextAreaElement ? TEXTAREA_VALUE : INPUT_VALUE;
  if (set) set.call(el, value);
  else el.value = value;
  el.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertReplacementText', data: value }));
  el.dispatchEvent(new KeyboardEvent('keyup', { ...opts, key: 'Unidentified' }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
  el.blur();
}

/**
 * Fills `fields` (the clicked field first) with `value` and leaves the focus on the first
 * one. A framework that re-renders from stale state can put the old value back: each field is
 * checked once after `REFILL_DELAY_MS` and filled again if so (without blocking the caller,
 * so the menu closes at once).
 * @param {(HTMLInputElement | HTMLTextAreaElement)[]} fields
 * @param {string} value
 */
export function fillFields(fields, value) {
  const live = fields.filter((f) => f.isConnected && !f.disabled && !f.readOnly);
  for (const f of live) fillOnce(f, value);
  if (live[0]) live[0].focus({ preventScroll: true });
  setTimeout(() => {
    const reverted = live.filter((f) => f.isConnected && f.value !== value);
    if (!reverted.length) return;
    const focused = live[0] && activeElement(live[0].ownerDocument) === live[0];
    for (const f of reverted) fillOnce(f, value);
    if (focused) live[0].focus({ preventScroll: true });
  }, REFILL_DELAY_MS);
}
