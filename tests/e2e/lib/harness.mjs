// Shared pieces of the end-to-end tests: which browsers, where the built extension and the
// artefacts (screenshots, logs) go, and launching a browser by name.
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const ARTEFACTS = path.join(ROOT, 'target', 'e2e');

/** Browsers to test: E2E_BROWSERS=chrome,firefox (default both). */
export const BROWSERS = (process.env.E2E_BROWSERS || 'chrome,firefox').split(',').map((s) => s.trim()).filter(Boolean);

/** The crate version, which the core reports. */
export const CRATE_VERSION = /^version\s*=\s*"([^"]+)"/m.exec(fs.readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8'))?.[1];

/**
 * The page a fresh install opens (background.js). Tests close it at launch unless they are
 * about it (`keepWelcome`): an extra tab that takes the focus changes where trusted keys go.
 */
export const WELCOME_PATH = '/ui/welcome.html';

/**
 * @param {'chrome' | 'firefox' | string} name
 * @param {{ headless?: boolean, keepWelcome?: boolean, lang?: string, colorScheme?: 'light' | 'dark' }} [opts]
 * `lang` and `colorScheme`: Chromium only (chrome.mjs).
 */
export async function launchBrowser(name, { headless = true, keepWelcome = false, lang, colorScheme } = {}) {
  const extDir = path.join(ROOT, 'dist', name);
  if (!fs.existsSync(path.join(extDir, 'manifest.json'))) throw new Error(`${extDir} is not built: run ./build.sh first`);
  const outDir = path.join(ARTEFACTS, name);
  fs.mkdirSync(outDir, { recursive: true });
  const mod = name === 'chrome' ? await import('./chrome.mjs') : await import('./firefox.mjs');
  const browser = await mod.launch({ extDir, headless, logDir: outDir, lang, colorScheme });
  if (!keepWelcome) await browser.closeTabsEndingWith(WELCOME_PATH);
  return Object.assign(browser, { outDir, extDir });
}
