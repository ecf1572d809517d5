// Where the time goes in a V8 CPU profile (`node --cpu-prof`): self time per function,
// the top entries, wasm functions by their name-section names.
//
//   node --cpu-prof --cpu-prof-dir=target/bench/prof tools/bench/wasm-node.mjs p384-2k-detached --iters 200
//   node tools/bench/cpuprof-top.mjs target/bench/prof/*.cpuprofile [--top 25] [--match TEXT]
//
// --match keeps only samples whose stack contains a frame whose name includes TEXT (e.g.
// verifyMessage: leaves out module loading, file reads and idle time). The warm-up of the
// other small cases is in the profile too; time one case with many --iters so that it
// dominates, or keep only the last MS milliseconds of the profile with --last MS (the timed
// calls of the one case run last). Percentages are of the kept samples.
import fs from 'node:fs';

const argv = process.argv.slice(2);
let top = 25;
let match = null;
let last = null;
const files = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--top') top = Number(argv[++i]);
  else if (argv[i] === '--match') match = argv[++i];
  else if (argv[i] === '--last') last = Number(argv[++i]);
  else files.push(argv[i]);
}
if (!files.length) {
  console.error('usage: cpuprof-top.mjs FILE.cpuprofile... [--top N] [--match TEXT] [--last MS]');
  process.exit(1);
}
for (const file of files) {
  const p = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n) => n.callFrame.functionName || `(anonymous ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber})`;
  const keep = (id) => {
    if (!match) return true;
    for (let x = id; x !== undefined; x = parent.get(x)) if (name(byId.get(x)).includes(match)) return true;
    return false;
  };
  const self = new Map();
  let total = 0;
  const dt = p.timeDeltas;
  const at = [];
  for (let i = 0, t = 0; i < dt.length; i++) at.push((t += dt[i]));
  const end = at[at.length - 1] ?? 0;
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i];
    if (last !== null && at[i] < end - last * 1000) continue;
    if (!keep(id)) continue;
    const ms = (dt[i + 1] ?? dt[i] ?? 0) / 1000;
    const k = name(byId.get(id));
    self.set(k, (self.get(k) ?? 0) + ms);
    total += ms;
  }
  console.log(`${file}: ${total.toFixed(1)} ms sampled${match ? ` under "${match}"` : ''}`);
  for (const [k, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((100 * ms) / total).toFixed(1).padStart(6)}%  ${ms.toFixed(1).padStart(9)} ms  ${k}`);
  }
}
