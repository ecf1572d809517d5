// A node:test reporter that prints, at the end of a run, each test file's time (the sum of its
// top-level tests' durations), slowest first: the browser suites' share of CI's 45-minute budget
// (build.sh node_tests writes it after the TAP output).
import path from 'node:path';

/** @param {AsyncIterable<{ type: string, data: any }>} source */
export default async function* fileTimes(source) {
  /** @type {Map<string, number>} */
  const byFile = new Map();
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0 && event.data.file) {
      const file = path.relative(process.cwd(), event.data.file);
      byFile.set(file, (byFile.get(file) ?? 0) + (event.data.details?.duration_ms ?? 0));
    }
  }
  const rows = [...byFile].sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((s, [, ms]) => s + ms, 0);
  yield `# time per file (s), ${(total / 1000).toFixed(0)} s in all\n`;
  for (const [file, ms] of rows) yield `#   ${(ms / 1000).toFixed(1).padStart(7)}  ${file}\n`;
}
