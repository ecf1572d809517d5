// The background as one module file: its modules and wasm-bindgen's glue, bundled by esbuild
// (ESM, not minified). build.sh ships it; the bench entries (tools/bench/runner.mjs
// bundleEntry) are bundled with the same options, so that they time what ships.
//
//   node tools/bundle-background.mjs OUTFILE     (build.sh)
import path from 'node:path';
import * as esbuild from 'esbuild';

/** esbuild's options for the background, whatever its entry. */
export const BACKGROUND_BUNDLE = /** @type {const} */ ({ bundle: true, format: 'esm', target: 'es2022', logLevel: 'warning' });

if (import.meta.url === `file://${process.argv[1]}`) {
  const outfile = process.argv[2];
  if (!outfile) {
    process.stderr.write('usage: node tools/bundle-background.mjs OUTFILE\n');
    process.exit(2);
  }
  const root = path.resolve(import.meta.dirname, '..');
  await esbuild.build({ ...BACKGROUND_BUNDLE, entryPoints: [path.join(root, 'extension/background/background.js')], outfile });
}
