// After a delay, opens a modal dialog with a signup form (showModal puts it in the top layer,
// above everything in the body). Clicks that reach the document outside the dialog close it,
// as many modal libraries do.
setTimeout(() => {
  const dialog = document.createElement('dialog');
  dialog.setAttribute('aria-labelledby', 'dialog-title');
  const title = document.createElement('h2');
  title.id = 'dialog-title';
  title.textContent = 'Create an account';
  const form = document.createElement('form');
  form.id = 'signup';
  form.action = '/account/register';
  form.method = 'post';
  for (const [text, attrs] of [
    ['Email address', { type: 'email', id: 'email', name: 'email', autocomplete: 'email' }],
    ['Password', { type: 'password', id: 'password', name: 'password', autocomplete: 'new-password' }],
  ]) {
    const label = document.createElement('label');
    label.append(text);
    const input = document.createElement('input');
    for (const [k, v] of Object.entries(attrs)) input.setAttribute(k, v);
    label.append(input);
    form.append(label);
  }
  const submit = document.createElement('button');
  submit.type = 'submit';
  submit.textContent = 'Sign up';
  form.append(submit);
  dialog.append(title, form);
  document.body.append(dialog);
  dialog.showModal();
  document.addEventListener('click', (e) => {
    if (!dialog.contains(/** @type {Node} */ (e.target))) {
      dialog.close();
      document.body.dataset.closedByOutsideClick = '1';
    }
  });
}, 800);
