// <club-signup>: a custom element with an open shadow root and its own state. The inputs are
// not read on submit: the state is what the component saw through `input` events.
class ClubSignup extends HTMLElement {
  constructor() {
    super();
    this.state = { email: '', email_confirm: '', password: '' };
    const root = this.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(`
      form { display: grid; gap: .6em; max-width: 360px; padding: 1em; border: 1px solid #ccd; border-radius: 8px; font: 15px/1.5 system-ui, sans-serif; }
      label { display: grid; gap: .2em; }
      input { font: inherit; padding: .4em .5em; border: 1px solid #99a; border-radius: 4px; }
      button { font: inherit; padding: .5em; background: #1f4e8c; color: #fff; border: 0; border-radius: 4px; }
    `);
    root.adoptedStyleSheets = [sheet];
    const form = document.createElement('form');
    form.action = '/account/register';
    form.method = 'post';
    const heading = document.createElement('h2');
    heading.textContent = 'Create your account';
    for (const [label, type, name, ac] of [
      ['Email address', 'email', 'email', 'email'],
      ['Confirm email address', 'email', 'email_confirm', 'off'],
      ['Password', 'password', 'password', 'new-password'],
    ]) {
      const l = document.createElement('label');
      const i = document.createElement('input');
      Object.assign(i, { type, name, id: name.replace('_', '-'), autocomplete: ac, required: true });
      i.addEventListener('input', () => { this.state[name] = i.value; });
      l.append(label, i);
      form.append(l);
    }
    const submit = document.createElement('button');
    submit.type = 'submit';
    submit.id = 'submit';
    submit.textContent = 'Create account';
    form.append(submit);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      document.getElementById('submitted').textContent = JSON.stringify({ email: this.state.email, email_confirm: this.state.email_confirm });
    });
    root.append(heading, form);
  }
}
customElements.define('club-signup', ClubSignup);
document.body.dataset.defined = '1';
