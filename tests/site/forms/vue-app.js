// A Vue 3 signup form whose inputs are bound with v-model (vModelText, as a compiled template
// would use it) to a reactive state. Submit writes the component's state to #submitted.
import { createApp, h, reactive, version, vModelText, withDirectives } from '/vendor/vue.js';

const field = (state, label, type, name, autocomplete) => h('label', null, [
  label,
  withDirectives(h('input', {
    type, id: name.replace('_', '-'), name, autocomplete, required: true,
    'onUpdate:modelValue': (v) => { state[name] = v; },
  }), [[vModelText, state[name]]]),
]);

createApp({
  setup() {
    const state = reactive({ email: '', email_confirm: '', password: '' });
    const submit = (e) => {
      e.preventDefault();
      document.getElementById('submitted').textContent = JSON.stringify({ email: state.email, email_confirm: state.email_confirm });
    };
    return () => h('form', { id: 'signup', action: '/account/register', method: 'post', onSubmit: submit }, [
      field(state, 'Email address', 'email', 'email', 'email'),
      field(state, 'Confirm email address', 'email', 'email_confirm', 'off'),
      field(state, 'Password', 'password', 'password', 'new-password'),
      h('button', { type: 'submit', id: 'submit' }, 'Create account'),
    ]);
  },
}).mount('#app');
document.body.dataset.vue = version;
