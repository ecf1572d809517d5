// Writes the manifest for one browser from extension/manifest.json:
//   node tools/manifest.mjs <chrome|firefox> <in> <out>
// Chrome: a module service worker, no Gecko settings, `minimum_chrome_version` (137: Ed25519 in WebCrypto), web-accessible resources at a per-session URL. Firefox: module background scripts
// (Firefox has no extension service workers), with the Gecko id and data-collection declaration.
import fs from 'node:fs';

const [browser, input, output] = process.argv.slice(2);
const m = JSON.parse(fs.readFileSync(input, 'utf8'));
if (browser === 'chrome') {
  delete m.background.scripts;
  delete m.browser_specific_settings;
} else if (browser === 'firefox') {
  delete m.background.service_worker;
  // Chromium's floor (Ed25519 in WebCrypto, which the S/MIME and DKIM checks use, came in
  // Chromium 137); Firefox's is `strict_min_version`.
  delete m.minimum_chrome_version;
  // Chromium's per-session resource URL; Firefox's extension URLs carry a random per-install
  // id already, and its linter does not know the key.
  for (const r of m.web_accessible_resources ?? []) delete r.use_dynamic_url;
} else {
  throw new Error(`unknown browser ${browser}`);
}
fs.writeFileSync(output, JSON.stringify(m, null, 2) + '\n');
