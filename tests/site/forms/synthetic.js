// Waits for any element added to the body that is not the page's own, then tries every
// synthetic way to press it and choose the first menu entry: click(), dispatched mouse and
// pointer events at its centre, Enter and Space keys, and Alt+ArrowDown then Enter in the
// e-mail field. Records what it did in body[data-attacked] (the number of rounds).
const own = new Set(document.body.children);
const email = document.getElementById('email');

function attack(host) {
  const r = host.getBoundingClientRect();
  const at = { bubbles: true, composed: true, cancelable: true, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2 };
  host.click();
  for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click']) {
    const E = type.startsWith('pointer') ? PointerEvent : MouseEvent;
    host.dispatchEvent(new E(type, at));
    document.elementFromPoint(at.clientX, at.clientY)?.dispatchEvent(new E(type, at));
  }
  for (const key of ['Enter', ' ']) {
    host.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true }));
    host.dispatchEvent(new KeyboardEvent('keyup', { key, bubbles: true, composed: true }));
  }
  email.focus();
  email.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', altKey: true, bubbles: true, composed: true }));
  document.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
  document.activeElement?.click?.();
}

let rounds = 0;
const timer = setInterval(() => {
  const host = [...document.body.children].find((el) => !own.has(el) && el.getBoundingClientRect().width > 0);
  if (!host) return;
  attack(host);
  rounds += 1;
  document.body.dataset.attacked = String(rounds);
  if (rounds >= 5) clearInterval(timer);
}, 200);
