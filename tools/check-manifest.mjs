// Checks a built manifest the way Chrome would refuse or warn at load time, since Chromium has no
// offline linter like web-ext: node tools/check-manifest.mjs dist/chrome/manifest.json
import fs from 'node:fs';
import path from 'node:path';

const file = process.argv[2];
const dir = path.dirname(file);
const m = JSON.parse(fs.readFileSync(file, 'utf8'));
const problems = [];
const need = (cond, msg) => { if (!cond) problems.push(msg); };
const exists = (rel) => fs.existsSync(path.join(dir, rel));

need(m.manifest_version === 3, 'manifest_version must be 3');
need(typeof m.background?.service_worker === 'string' && exists(m.background.service_worker), 'background.service_worker must name a file');
need(m.background?.type === 'module', 'the service worker must be a module');
need(!('scripts' in (m.background ?? {})), 'Chrome warns on background.scripts');
need(!('browser_specific_settings' in m), 'Chrome warns on browser_specific_settings');
need(/script-src 'self' 'wasm-unsafe-eval'/.test(m.content_security_policy?.extension_pages ?? ''), "CSP must allow 'wasm-unsafe-eval' for the core");
for (const [size, icon] of Object.entries(m.icons ?? {})) need(exists(icon), `icon ${size} missing: ${icon}`);
for (const s of ['16', '32', '48', '128']) need(m.icons?.[s], `no ${s}px icon`);
for (const cs of m.content_scripts ?? []) for (const js of cs.js ?? []) need(exists(js), `content script missing: ${js}`);
need(exists(m.action?.default_popup ?? ''), 'popup page missing');
if (m.default_locale) {
  const messages = JSON.parse(fs.readFileSync(path.join(dir, '_locales', m.default_locale, 'messages.json'), 'utf8'));
  for (const v of JSON.stringify(m).match(/__MSG_(\w+)__/g) ?? []) need(v.slice(6, -2) in messages, `missing locale string ${v}`);
}
const KNOWN = new Set(['storage', 'alarms', 'contextMenus', 'activeTab', 'scripting', 'unlimitedStorage']);
for (const p of m.permissions ?? []) need(KNOWN.has(p), `unexpected permission ${p}`);

if (problems.length) { console.error(problems.map((p) => `manifest: ${p}`).join('\n')); process.exit(1); }
console.log(`${file}: ok`);
