// Gives each <shop-field> an open shadow root holding its input alone (no label element
// around it, no form): the input's only parent is the shadow root. The label text goes in
// aria-label, as design-system inputs do.
for (const host of document.querySelectorAll('shop-field')) {
  const root = host.attachShadow({ mode: 'open' });
  const input = document.createElement('input');
  input.type = host.dataset.type;
  input.name = host.dataset.name;
  input.id = host.dataset.name;
  input.setAttribute('aria-label', host.dataset.label);
  if (input.type === 'email') input.autocomplete = 'email';
  input.style.font = 'inherit';
  input.style.padding = '.4em .5em';
  input.style.width = '260px';
  root.append(input);
}
