// The badge in Roundcube's dark mode, in each browser: the elastic skin's dark mode (the
// `colorMode=dark` cookie its colour switch sets; it puts `dark-mode` on <html> of the page and
// of the message frame and declares no `color-scheme`) gets the badge's dark palette, and the
// light skin the light one (content/scheme.js). The badge is in a closed shadow root: its
// colour is read from a screenshot, inside its border, and compared with the palette.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { BADGE_PALETTE } from '../../extension/content/scheme.js';
import { BROWSERS, ROOT, launchBrowser } from './lib/harness.mjs';
import { js } from './lib/pages.mjs';
import { roundcubeInstalled, startRoundcube } from './lib/roundcube.mjs';
import { driver, logIn, openMessage } from './lib/roundcube-ui.mjs';

const SKIP = process.env.WEBMAIL_E2E === '0';
const FIX = path.join(ROOT, 'tests/fixtures/smime');
const ROOT_B64 = fs.readFileSync(path.join(FIX, 'pki/root.pem'), 'utf8').replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
/** Largest difference per channel between the palette and the screenshot (antialiasing, colour management). */
const CHANNEL_TOLERANCE = 6;

/**
 * The RGB of pixel (x, y) of an 8-bit RGB or RGBA PNG (what both browsers' screenshots are).
 * @param {Buffer} png @param {number} x @param {number} y
 */
function pixel(png, x, y) {
  let at = 8;
  let width = 0; let height = 0; let type = 0;
  const idat = [];
  while (at < png.length) {
    const len = png.readUInt32BE(at);
    const kind = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + len);
    if (kind === 'IHDR') { width = data.readUInt32BE(0); height = data.readUInt32BE(4); type = data[9]; assert.equal(data[8], 8, '8-bit PNG'); }
    if (kind === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  const bpp = type === 6 ? 4 : 3;
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const rows = [];
  for (let r = 0; r < height && r <= y; r++) {
    const f = raw[r * (stride + 1)];
    const line = Buffer.from(raw.subarray(r * (stride + 1) + 1, (r + 1) * (stride + 1)));
    const up = rows[r - 1];
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? line[i - bpp] : 0; const b = up ? up[i] : 0; const c = up && i >= bpp ? up[i - bpp] : 0;
      const p = a + b - c; const pa = Math.abs(p - a); const pb = Math.abs(p - b); const pc = Math.abs(p - c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][f];
      line[i] = (line[i] + pred) & 255;
    }
    rows.push(line);
  }
  return [...rows[y].subarray(x * bpp, x * bpp + 3)];
}

/** @param {string} hex */
const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

for (const name of BROWSERS) {
  describe(`the badge in Roundcube's light and dark mode, ${name}`, () => {
    /** @type {string} */ let mailDir;
    /** @type {Awaited<ReturnType<typeof startRoundcube>> | undefined} */ let rc;
    /** @type {any} */ let browser;

    before(async () => {
      if (SKIP || !roundcubeInstalled()) return;
      mailDir = fs.mkdtempSync(path.join(os.tmpdir(), 'impalemail-wm-dark-'));
      fs.writeFileSync(path.join(mailDir, '01-valid.eml'), fs.readFileSync(path.join(FIX, 'generated/001.eml')));
      rc = await startRoundcube({ mailDir });
      browser = await launchBrowser(name);
    });
    after(async () => {
      try { await browser?.close(); } finally { try { await rc?.stop(); } finally { if (mailDir) fs.rmSync(mailDir, { recursive: true, force: true }); } }
    });

    test('the verified badge takes the dark palette in dark mode and the light one otherwise', async (t) => {
      if (SKIP) return t.skip('WEBMAIL_E2E=0');
      if (!rc) throw new Error('Roundcube/Dovecot/PHP are not installed: run tests/webmail/install.sh (as root)');
      const ext = await browser.openExtensionPage('ui/options.html');
      const api = name === 'firefox' ? 'browser' : 'chrome';
      await ext.eval(`${api}.storage.local.set({ 'trust.userRoots': [${js(ROOT_B64)}] })`);
      await ext.eval(`${api}.runtime.sendMessage({ type: 'webmail.enableSite', origin: ${js(rc.origin)}, adapter: 'roundcube' })`);
      const page = await browser.open(`${rc.origin}/?_task=login`);
      const d = driver(browser, page);
      await d.setSize(1400, 900);
      await logIn(d, page, rc);
      const stored = rc.messages[0];
      for (const scheme of /** @type {const} */ (['dark', 'light'])) {
        // Roundcube's own switch: its cookie, read when the page loads.
        await page.eval(`(document.cookie = 'colorMode=${scheme}; path=/', true)`);
        await d.focus();
        if (name === 'chrome') await page.raw.reload(); else await page.raw.go(await page.url());
        await openMessage(d, stored, `01-valid.eml (${scheme})`);
        assert.equal(await d.inPreview(`document.documentElement.classList.contains('dark-mode')`), scheme === 'dark', `Roundcube's ${scheme} mode`);
        assert.equal(await d.inPreview(`getComputedStyle(document.documentElement).colorScheme`), 'normal', 'Roundcube declares no color-scheme');
        const frame = await page.eval(`(() => { const r = document.getElementById('messagecontframe').getBoundingClientRect(); return { x: r.left, y: r.top }; })()`);
        const host = await d.inPreview(`(() => { const r = document.querySelector('impalemail-verdict').getBoundingClientRect(); return { x: r.left, y: r.top, h: r.height }; })()`);
        await new Promise((r) => setTimeout(r, 300)); // a frame to paint
        const file = path.join(browser.outDir, `webmail-${scheme}-badge.png`);
        await page.screenshot(file);
        // Inside the 2 px border, left of the icon: the box's own background.
        const got = pixel(fs.readFileSync(file), Math.round(frame.x + host.x + 5), Math.round(frame.y + host.y + host.h / 2));
        const want = rgb(BADGE_PALETTE[scheme].okBg);
        assert.ok(got.every((c, i) => Math.abs(c - want[i]) <= CHANNEL_TOLERANCE), `${scheme}: the badge's background is ${got}, the palette's ${want}`);
      }
    });
  });
}
