// Builds <shop-signup>'s open shadow root with a signup form, then puts a password-manager
// icon over the right end of its e-mail field, the way 1Password positions its button: an
// absolutely positioned element appended to the body.
const host = document.querySelector('shop-signup');
const root = host.attachShadow({ mode: 'open' });
const sheet = new CSSStyleSheet();
sheet.replaceSync(`
  form { display: grid; gap: .6em; max-width: 360px; padding: 1em; border: 1px solid #ccd; border-radius: 8px; font: 15px/1.5 system-ui, sans-serif; }
  label { display: grid; gap: .2em; }
  input { font: inherit; padding: .4em .5em; border: 1px solid #99a; border-radius: 4px; }
  button { font: inherit; padding: .5em; background: #1f4e8c; color: #fff; border: 0; border-radius: 4px; }
`);
root.adoptedStyleSheets = [sheet];
const form = document.createElement('form');
form.id = 'signup';
form.action = '/account/register';
form.method = 'post';
const field = (label, attrs) => {
  const l = document.createElement('label');
  l.append(label);
  const i = document.createElement('input');
  for (const [k, v] of Object.entries(attrs)) i.setAttribute(k, v);
  l.append(i);
  form.append(l);
  return i;
};
const heading = document.createElement('h2');
heading.textContent = 'Create your account';
root.append(heading);
const email = field('Email address', { type: 'email', id: 'email', name: 'email', autocomplete: 'email' });
field('Password', { type: 'password', id: 'password', name: 'password', autocomplete: 'new-password' });
const submit = document.createElement('button');
submit.type = 'submit';
submit.textContent = 'Create account';
form.append(submit);
root.append(form);

const pm = document.createElement('com-1password-button');
pm.style.position = 'absolute';
pm.style.width = '24px';
pm.style.height = '24px';
pm.style.background = '#0a6cff';
pm.style.borderRadius = '50%';
pm.style.zIndex = '10';
const place = () => {
  const r = email.getBoundingClientRect();
  pm.style.left = `${r.right - 30 + scrollX}px`;
  pm.style.top = `${r.top + (r.height - 24) / 2 + scrollY}px`;
};
document.body.append(pm);
place();
addEventListener('resize', place);
