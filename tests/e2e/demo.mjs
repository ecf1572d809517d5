// `./build.sh run [chrome|firefox] [--headless] [--docs]`: both jobs of the extension on this
// machine, with no network (lib/demo.mjs says what runs). With DEMO_HEADLESS=1 it clicks
// through every step, saves a screenshot of each under target/e2e/<browser>/ and prints their
// paths; otherwise it opens the pages in tabs and waits until the browser is closed. With
// DEMO_DOCS=1 (headless only) it also writes the screenshots, scaled down, to docs/ for the
// README.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM } from './lib/chrome.mjs';
import { runDemo } from './lib/demo.mjs';
import { ROOT } from './lib/harness.mjs';

/** Width of the README's pictures (CSS px); a popup screenshot narrower than this keeps its size. */
const DOCS_WIDTH = 800;
const DOCS_DIR = path.join(ROOT, 'docs');

const name = process.argv[2] || 'chrome';
const headless = process.env.DEMO_HEADLESS === '1';
const docs = process.env.DEMO_DOCS === '1';

/**
 * Writes each screenshot to docs/, cut to the part the README needs (`crop`, CSS px of the
 * screenshot) and at most DOCS_WIDTH wide unless it asks for a `zoom`, through a plain headless Chromium (the picture
 * drawn at the smaller size and captured; no image library needed).
 * @param {import('./lib/demo.mjs').Shot[]} shots
 */
async function writeDocs(shots) {
  fs.mkdirSync(DOCS_DIR, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    const out = [];
    for (const { file, crop, zoom } of shots) {
      const data = fs.readFileSync(file).toString('base64');
      await page.setContent(`<body style="margin:0"><div id="c" style="position:relative;overflow:hidden"><img id="i" style="position:absolute" src="data:image/png;base64,${data}"></div></body>`);
      const size = await page.evaluate(`(() => { const img = document.getElementById('i');
        return img.decode().then(() => ({ w: img.naturalWidth, h: img.naturalHeight })); })()`);
      const c = crop ?? { x: 0, y: 0, width: size.w, height: size.h };
      const scale = zoom ?? Math.min(1, DOCS_WIDTH / c.width);
      const width = Math.round(c.width * scale);
      const height = Math.round(c.height * scale);
      await page.setViewportSize({ width, height });
      await page.evaluate(`Object.assign(document.getElementById('c').style, { width: '${width}px', height: '${height}px' });
        Object.assign(document.getElementById('i').style, { width: '${size.w * scale}px', left: '${-c.x * scale}px', top: '${-c.y * scale}px' })`);
      const target = path.join(DOCS_DIR, path.basename(file));
      await page.screenshot({ path: target, clip: { x: 0, y: 0, width, height } });
      out.push(target);
    }
    return out;
  } finally {
    await browser.close();
  }
}

const result = await runDemo({ name, headless });
if (result) {
  console.log('\nscreenshots:');
  for (const s of result.shots) console.log(`  ${path.relative(process.cwd(), s.file)}\n      ${s.what}`);
  for (const s of result.skipped) console.log(`  (skipped: ${s})`);
  console.log(`\nthe demo took ${result.seconds.toFixed(1)} s in ${name}: ${result.steps.map((s) => `${s.step} at ${s.seconds.toFixed(1)} s`).join(', ')}`);
  if (docs) {
    const written = await writeDocs(result.shots);
    console.log(`\nfor the README: ${written.map((f) => `${path.relative(process.cwd(), f)} (${Math.round(fs.statSync(f).size / 1024)} KB)`).join(', ')}`);
  }
}
