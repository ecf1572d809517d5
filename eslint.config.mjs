// ESLint for the extension's JavaScript and the test/build scripts.
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['pkg/**', 'dist/**', 'target/**', 'node_modules/**', 'fuzz/**', 'extension/pkg/**', 'extension/content/content.js'] },
  js.configs.recommended,
  {
    files: ['extension/**/*.js'],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.webextensions, ...globals.serviceworker },
    },
    rules: {
      // Only shared/ext.js may touch the browser API.
      'no-restricted-globals': ['error', { name: 'chrome', message: 'Use extension/shared/ext.js' }, { name: 'browser', message: 'Use extension/shared/ext.js' }],
      'no-restricted-properties': ['error', { object: 'document', property: 'write' }],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'eqeqeq': 'error',
      'no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['extension/shared/ext.js'],
    rules: { 'no-restricted-globals': 'off' },
  },
  {
    files: ['tests/**/*.mjs', 'tools/**/*.mjs', 'eslint.config.mjs'],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
  },
  {
    // Scripts evaluated inside test pages run in a browser.
    files: ['tests/site/**/*.js', 'tests/forms/**/*.js', 'tests/forms/eval.mjs'],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.browser, ...globals.node } },
  },
];
