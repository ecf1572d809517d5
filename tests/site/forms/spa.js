// A tiny client-side router: #view holds either the signup or the login form, rebuilt from
// scratch on each route change (no reload). The store keeps what the user typed per view.
const store = { signup: { email: '', email_confirm: '', password: '' }, login: { email: '', password: '' } };
const VIEWS = {
  signup: { title: 'Create your SPA Shop account', action: '/account/register', button: 'Create account', fields: [
    ['Email address', 'email', 'email', 'email'],
    ['Confirm email address', 'email', 'email_confirm', 'off'],
    ['Password', 'password', 'password', 'new-password'],
  ] },
  login: { title: 'Sign in to SPA Shop', action: '/account/login', button: 'Sign in', fields: [
    ['Email', 'email', 'email', 'username'],
    ['Password', 'password', 'password', 'current-password'],
  ] },
};

function render(name) {
  const v = VIEWS[name];
  const view = document.getElementById('view');
  const h1 = document.createElement('h1');
  h1.textContent = v.title;
  const form = document.createElement('form');
  form.id = name;
  form.action = v.action;
  form.method = 'post';
  for (const [label, type, field, ac] of v.fields) {
    const l = document.createElement('label');
    const i = document.createElement('input');
    Object.assign(i, { type, name: field, id: field.replace('_', '-'), autocomplete: ac, required: true });
    i.addEventListener('input', () => { store[name][field] = i.value; });
    l.append(label, ' ', i);
    form.append(l);
  }
  const b = document.createElement('button');
  b.type = 'submit';
  b.id = 'submit';
  b.textContent = v.button;
  form.append(b);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    document.getElementById('submitted').textContent = JSON.stringify({ view: name, ...store[name], password: undefined });
  });
  view.replaceChildren(h1, form);
  document.title = `${v.title} — SPA Shop`;
  document.body.dataset.view = name;
}

function route() {
  render(location.hash === '#/login' ? 'login' : 'signup');
}
for (const a of document.querySelectorAll('nav a')) {
  a.addEventListener('click', (e) => {
    e.preventDefault();
    history.pushState(null, '', a.getAttribute('href'));
    route();
  });
}
addEventListener('popstate', route);
route();
