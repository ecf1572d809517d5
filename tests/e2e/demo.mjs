// `./build.sh run [chrome|firefox]`: the demo site on 127.0.0.1 and a browser with the extension.
// With DEMO_HEADLESS=1 it visits each demo page, saves screenshots and exits; otherwise it opens
// the demo site and waits until the browser is closed.
import path from 'node:path';
import { launchBrowser } from './lib/harness.mjs';
import { startServer } from './lib/server.mjs';

const name = process.argv[2] || 'chrome';
const headless = process.env.DEMO_HEADLESS === '1';
const server = await startServer({ port: Number(process.env.DEMO_PORT || 0) });
console.log(`demo site: ${server.origin}/`);
const browser = await launchBrowser(name, { headless });
console.log(`${name} ${browser.version} started with the extension (${browser.extensionOrigin})`);
try {
  if (headless) {
    const shots = [];
    for (const page of ['index.html', 'signup.html', 'login.html', 'webmail.html']) {
      const p = await browser.open(`${server.origin}/${page}`);
      await p.waitFor(`document.querySelector('[data-impalemail-selftest]')?.dataset.result`, 15000).catch(() => {});
      const file = path.join(browser.outDir, `demo-${page.replace('.html', '')}.png`);
      await p.screenshot(file);
      shots.push(file);
      await p.close();
    }
    const popup = await browser.openExtensionPage('ui/popup.html');
    await popup.waitFor('document.body && document.body.dataset.ready', 15000).catch(() => {});
    const file = path.join(browser.outDir, 'demo-popup.png');
    await popup.screenshot(file);
    shots.push(file);
    console.log(`screenshots:\n  ${shots.join('\n  ')}`);
  } else {
    await browser.open(`${server.origin}/`);
    console.log('close the browser window to stop');
    await browser.closed();
  }
} finally {
  await browser.close();
  server.close();
}
