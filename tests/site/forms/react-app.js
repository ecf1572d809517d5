// A React 18 signup form with controlled inputs (value from state, onChange to state), written
// with createElement so that it needs no build step. Submit writes the state to #submitted.
/* global React, ReactDOM */
const h = React.createElement;

function Field({ label, type, name, autoComplete, value, onChange }) {
  return h('label', null, label, h('input', {
    type, id: name.replace('_', '-'), name, autoComplete, required: true, value,
    onChange: (e) => onChange(name, e.target.value),
  }));
}

function Signup() {
  const [state, setState] = React.useState({ email: '', email_confirm: '', password: '' });
  const [submitted, setSubmitted] = React.useState(null);
  const set = (name, value) => setState((s) => ({ ...s, [name]: value }));
  React.useEffect(() => {
    if (submitted) document.getElementById('submitted').textContent = JSON.stringify(submitted);
  }, [submitted]);
  return h('form', {
    id: 'signup', action: '/account/register', method: 'post',
    onSubmit: (e) => { e.preventDefault(); setSubmitted({ email: state.email, email_confirm: state.email_confirm }); },
  },
  h(Field, { label: 'Email address', type: 'email', name: 'email', autoComplete: 'email', value: state.email, onChange: set }),
  h(Field, { label: 'Confirm email address', type: 'email', name: 'email_confirm', autoComplete: 'off', value: state.email_confirm, onChange: set }),
  h(Field, { label: 'Password', type: 'password', name: 'password', autoComplete: 'new-password', value: state.password, onChange: set }),
  h('button', { type: 'submit', id: 'submit' }, 'Create account'));
}

ReactDOM.createRoot(document.getElementById('app')).render(h(Signup));
document.body.dataset.react = React.version;
