// @ts-check
/** The popup: asks the background (and so the wasm core) what to show. */
import { i18n, send } from '../shared/ext.js';
import { localize } from './i18n.js';

/** @param {string} id */
function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`popup.html lacks #${id}`);
  return el;
}

async function render() {
  localize(document);
  const status = byId('status');
  const info = await send({ type: 'core.info' });
  if (!info.ok) {
    status.textContent = i18n('popupCoreFailed', info.error.message);
    status.className = 'error';
    document.body.dataset.ready = 'error';
    return;
  }
  const { version } = /** @type {{ version: string }} */ (info.value);
  byId('version').textContent = version;
  status.textContent = i18n('popupCoreReady', version);
  const test = await send({ type: 'core.selftest', input: 'ImpaleMail' });
  byId('selftest').textContent = test.ok ? /** @type {{ sha256: string }} */ (test.value).sha256 : test.error.message;
  document.body.dataset.ready = '1';
}

render();
