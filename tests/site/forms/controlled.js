// A minimal emulation of React's controlled inputs (react-dom's inputValueTracking and
// restoreControlledState), without React: each input gets an own `value` property whose
// setter records the value the framework last saw; an `input` event updates the state only
// when the DOM value differs from that record; and after every event the state is written
// back to the DOM. A filler that sets `el.value` through the page's own property, or
// dispatches no `input` event, sees its value reverted and the state stay empty.
const state = { email: '', email_confirm: '', password: '' };
const native = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');

for (const input of document.querySelectorAll('#signup input')) {
  let tracked = '';
  Object.defineProperty(input, 'value', {
    configurable: true,
    get() { return native.get.call(this); },
    set(v) { tracked = String(v); native.set.call(this, v); },
  });
  input.addEventListener('input', () => {
    const now = native.get.call(input);
    if (now !== tracked) {
      tracked = now;
      state[input.name] = now;
    }
    // restoreControlledState: the DOM shows the state, whatever the event did.
    if (native.get.call(input) !== state[input.name]) input.value = state[input.name];
  });
  input.addEventListener('change', () => {
    if (native.get.call(input) !== state[input.name]) input.value = state[input.name];
  });
}

document.getElementById('signup').addEventListener('submit', (e) => {
  e.preventDefault();
  document.getElementById('submitted').textContent = JSON.stringify({ email: state.email, email_confirm: state.email_confirm });
});
