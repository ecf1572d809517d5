// What the Node-driven runners share (wasm-node, wasm-chromium, wasm-firefox, pkijs,
// pkijs-chromium): their command line, their protocol with run.sh (medians, the warm-up count,
// the request loop of `--serve`; see tools/bench/README.md), the bench copy of a build with its
// entry bundled as build.sh bundles the background, and a Chromium whose extension worker stays up.
import fs from 'node:fs';
import path from 'node:path';

/**
 * `[FILTER] [--iters N] [--corpus DIR] [--serve]` and the runner's own options: `extra` maps an
 * option to the key it sets, with `int:` or `str:` before the key for its value's kind.
 * @param {string[]} argv @param {(message: string) => never} die
 * @param {Record<string, string>} [extra]
 * @returns {{ corpus: string, serve: boolean, filter: string | null, iters: number | null, [k: string]: any }}
 */
export function parseArgs(argv, die, extra = {}) {
  /** @type {any} */
  const args = {
    corpus: process.env.IMPALEMAIL_BENCH_CORPUS ?? path.resolve(import.meta.dirname, '../../target/bench/corpus'),
    serve: false,
    filter: null,
    iters: null,
  };
  const usage = ['[FILTER]', '[--iters N]', '[--corpus DIR]', '[--serve]', ...Object.keys(extra).map((o) => `[${o} X]`)].join(' ');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--serve') args.serve = true;
    else if (a === '--corpus') args.corpus = argv[++i] ?? die('--corpus needs a directory');
    else if (a === '--iters') {
      args.iters = Number.parseInt(argv[++i] ?? '', 10);
      if (!(args.iters > 0)) die('--iters needs a positive number');
    } else if (a in extra) {
      const [kind, key] = extra[a].split(':');
      const v = argv[++i] ?? die(`${a} needs a value`);
      args[key] = kind === 'int' ? Number.parseInt(v, 10) : v;
      if (kind === 'int' && !(args[key] >= 0)) die(`${a} needs a number`);
    } else if (a.startsWith('-')) die(`unknown option ${a} (use: ${usage})`);
    else args.filter = a;
  }
  return args;
}

/** The median of `samples` (ms). @param {number[]} samples */
export function median(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** Untimed calls before `iters` timed ones of a case. @param {number} iters */
export const warmupFor = (iters) => Math.max(1, Math.floor(iters / 5));

/**
 * `--serve`: prints `ready` as the first line, then reads `CASE_ID [ITERS]` lines on stdin and
 * answers each with one JSON line, {"id", "iters", "warmup", "median_ms", "samples_ms"} or
 * {"id", "na"} (a case the implementation cannot verify, with its reason).
 * @param {{ cases: { id: string, iters: number }[] }} manifest
 * @param {(c: any, iters: number) => Promise<{ samples: number[] } | { na: string }>} measure
 * @param {object} ready @param {(message: string) => never} die
 */
/**
 * From this content size up, the browser runners also time the hashing floor: WebCrypto's
 * digest of as many bytes as the signed content, with the case's digest algorithm, in the same
 * browser context, one digest right after each timed check (so that load hits both alike).
 * Issue #26 asks the large-message check to stay within 10 ms of it.
 */
export const FLOOR_MIN_BYTES = 5 * 1024 * 1024;

/**
 * The digest a case's signer uses (make-corpus.sh's SIGNERS), in WebCrypto's name, or null when
 * the case is too small to time a floor for.
 * @param {{ algorithm: string, size_bytes: number }} c
 */
export function floorDigest(c) {
  if (c.size_bytes < FLOOR_MIN_BYTES) return null;
  return c.algorithm === 'P-384' ? 'SHA-384' : c.algorithm === 'Ed25519' ? 'SHA-512' : 'SHA-256';
}

export async function serve(manifest, measure, ready, die) {
  const readline = await import('node:readline');
  process.stdout.write(`${JSON.stringify({ ready: true, ...ready })}\n`);
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const [id, n] = line.trim().split(/\s+/);
    if (!id) continue;
    const c = manifest.cases.find((x) => x.id === id) ?? die(`no case \`${id}\` in the corpus`);
    const iters = n ? Number.parseInt(n, 10) : c.iters;
    const m = await measure(c, iters);
    const answer = 'na' in m
      ? { id, na: m.na }
      : {
        id, iters, warmup: warmupFor(iters), median_ms: median(m.samples), samples_ms: m.samples,
        ...(m.floor?.length ? { floor_median_ms: median(m.floor), floor_samples_ms: m.floor } : {}),
      };
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  }
}

/**
 * A headless Chromium with the unpacked extension `extDir` (tests/e2e/lib/chrome.mjs), its
 * service worker kept from idling out: an idle worker is stopped after 30 s, and the other
 * runners can take longer than that between two of our cases; an extension API call resets the
 * timer. `checkSame()` dies if the worker was restarted since (its warm state is gone).
 * @param {any} chromeLib @param {string} extDir @param {(message: string) => never} die
 */
export async function keptAliveWorker(chromeLib, extDir, die) {
  const browser = await chromeLib.launch({ extDir });
  const sw = browser.serviceWorker;
  const keepAlive = setInterval(() => {
    sw.evaluate('chrome.runtime.getPlatformInfo().then(() => true)').catch(() => {});
  }, 10000);
  const stop = async () => {
    clearInterval(keepAlive);
    await browser.close();
  };
  process.on('SIGTERM', () => stop().then(() => process.exit(0)));
  const workerId = await sw.evaluate('globalThis.__benchId ??= Math.random()');
  const checkSame = async () => {
    const id = await sw.evaluate('globalThis.__benchId').catch(() => undefined);
    if (id !== workerId) die('the service worker was restarted during the run (its warm state is gone); rerun');
  };
  return { browser, sw, stop, checkSame };
}

/**
 * The corpus's manifest.json (tools/bench/make-corpus.sh).
 * @param {string} corpus @param {(message: string) => never} die
 */
export function readManifest(corpus, die) {
  try {
    return JSON.parse(fs.readFileSync(path.join(corpus, 'manifest.json'), 'utf8'));
  } catch (e) {
    return die(`cannot read ${corpus}/manifest.json: ${/** @type {Error} */ (e).message} (tools/bench/make-corpus.sh makes it)`);
  }
}

/**
 * A fresh bench copy of an unpacked build: `dist` copied to `ext`, its wasm replaced by
 * $IMPALEMAIL_PKG's when run.sh sets it (so that every wasm column times the same file).
 * @param {string} dist @param {string} ext
 */
export function copyExtension(dist, ext) {
  fs.rmSync(ext, { recursive: true, force: true });
  fs.cpSync(dist, ext, { recursive: true });
  if (process.env.IMPALEMAIL_PKG) {
    fs.copyFileSync(path.join(process.env.IMPALEMAIL_PKG, 'impalemail_bg.wasm'), path.join(ext, 'pkg', 'impalemail_bg.wasm'));
  }
}

/**
 * A bench entry bundled into one module file with the shipped background's options
 * (tools/bundle-background.mjs): `entry` is the entry's source, its relative imports
 * resolved from extension/background/. wasm-bindgen's glue comes from $IMPALEMAIL_PKG when
 * run.sh sets it (else pkg/), so that it matches the wasm timed.
 * @param {string} entry @param {string} outfile
 */
export async function bundleEntry(entry, outfile) {
  const root = path.resolve(import.meta.dirname, '../..');
  const glue = path.join(process.env.IMPALEMAIL_PKG ?? path.join(root, 'pkg'), 'impalemail.js');
  const esbuild = await import('esbuild');
  const { BACKGROUND_BUNDLE } = await import('../bundle-background.mjs');
  await esbuild.build({
    ...BACKGROUND_BUNDLE,
    stdin: { contents: entry, resolveDir: path.join(root, 'extension/background'), sourcefile: 'bench-entry.js' },
    outfile,
    plugins: [{ name: 'glue', setup: (b) => { b.onResolve({ filter: /\/pkg\/impalemail\.js$/ }, () => ({ path: glue })); } }],
  });
}

/**
 * The root and every mail of the corpus into `dir` (made), as hard links where possible.
 * @param {string} corpus @param {{ root: string, cases: { file: string }[] }} manifest
 * @param {string} dir
 */
export function linkCorpus(corpus, manifest, dir) {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of [manifest.root, ...manifest.cases.map((c) => c.file)]) {
    try {
      fs.linkSync(path.join(corpus, f), path.join(dir, f));
    } catch {
      fs.copyFileSync(path.join(corpus, f), path.join(dir, f));
    }
  }
}
