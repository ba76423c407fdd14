/**
 * Benchmark: episode-level SSDA903 input (issue 6). Target: parse + fit
 * 100,000 episodes in under 2 s and under 500 MB.
 *
 * Data: `generateSyntheticEpisodes` (seed 42) with enough starters per day
 * for about 100,000 episode rows over five yearly returns (rows repeat
 * across returns as in real data, so de-duplication has real work to do).
 * Generation is not timed. Timed, in one process after one warm-up run:
 * `readSsda903` (CSV parsing, validation, de-duplication and repair) and
 * `fitMultiState` (exposure-based rates), then the median of `--runs`
 * (default 5) runs. Memory: peak resident set size of a fresh child process
 * doing one parse + fit (`process.resourceUsage().maxRSS`), and the heap in
 * use after it.
 *
 * Also timed, for information: `deriveAnnualDataset`; the 5-year expected
 * projection (daily chain, report days every 31 March), its first call and
 * then the median of `--runs` more; and a 1-year projection with 200
 * simulated paths.
 *
 * Usage: `npx tsx benchmarks/episodes-speed.ts [--runs 5] [--rows 100000] [--memory-only]`
 * (`--memory-only`: only the fresh process, e.g. for `--rows 1000000`)
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deriveAnnualDataset } from '../src/data/episodes.js';
import { readSsda903, type Ssda903ReturnText } from '../src/data/loaders/ssda903.js';
import { generateSyntheticEpisodes, type SyntheticEpisodes } from '../src/data/syntheticEpisodes.js';
import { createRng } from '../src/math/rng.js';
import { fitMultiState, projectMultiState } from '../src/system/multiState.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const runs = arg('runs', 5);
const targetRows = arg('rows', 100_000);

function generate(): SyntheticEpisodes {
  // about 5,600 rows per starter a day over 5 returns (10-year burn-in)
  return generateSyntheticEpisodes({ firstYear: 2018, years: 5, entriesPerDay: targetRows / 5_600 }, createRng(42));
}

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

if (args.includes('--child')) {
  // the returns the parent generated, read from a file: the peak then is the texts + parse + fit, not the generator's children
  const syn = { returns: JSON.parse(readFileSync(args[args.indexOf('--child') + 1], 'utf8')) as Ssda903ReturnText[] };
  const rssBefore = process.resourceUsage().maxRSS;
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const data = readSsda903(syn.returns);
  const model = fitMultiState(data);
  const wall = performance.now() - w0;
  const c = process.cpuUsage(c0);
  const heap = process.memoryUsage().heapUsed;
  console.log(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, rssAfterGenerateKb: rssBefore, heapMb: heap / 2 ** 20, exits: model.exitCounts.length, cpuMs: (c.user + c.system) / 1000, wallMs: wall }));
  process.exit(0);
}

const syn = generate();
const tmp = mkdtempSync(join(os.tmpdir(), 'carecast-episodes-speed-'));
const returnsFile = join(tmp, 'returns.json');
writeFileSync(returnsFile, JSON.stringify(syn.returns));
/** Peak memory and one cold parse + fit in a fresh process that reads the generated returns (not generating them). */
function memoryChild(): void {
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', returnsFile], { encoding: 'utf8' });
  const line = child.stdout.trim().split('\n').pop() ?? '{}';
  try {
    const m = JSON.parse(line) as { maxRssKb: number; rssAfterGenerateKb: number; heapMb: number; cpuMs: number; wallMs: number };
    console.log(`fresh process (read the returns' texts, then parse + fit): peak RSS ${(m.maxRssKb / 1024).toFixed(0)} MB (${(m.rssAfterGenerateKb / 1024).toFixed(0)} MB holding the texts), heap in use after ${m.heapMb.toFixed(0)} MB; its one cold parse + fit: ${m.wallMs.toFixed(0)} ms wall, ${m.cpuMs.toFixed(0)} ms CPU (all threads, GC included)`);
  } catch {
    console.log(`memory child failed: ${child.stderr}`);
  }
  console.log(`load average ${os.loadavg().map((v) => v.toFixed(1)).join(' ')}`);
}
if (args.includes('--memory-only')) {
  console.log(`generated: ${syn.episodeRows} episode rows in ${syn.returns.length} returns`);
  memoryChild();
  rmSync(tmp, { recursive: true, force: true });
  process.exit(0);
}
const bytes = syn.returns.reduce((s, r) => s + r.episodes.length + (r.header?.length ?? 0) + (r.uasc?.length ?? 0), 0);
console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, ${os.platform()}`);
console.log(`generated: ${syn.episodeRows} episode rows in ${syn.returns.length} returns (${(bytes / 2 ** 20).toFixed(1)} MB of CSV), ${syn.children} children`);

const parseT: number[] = [];
const fitT: number[] = [];
let data = readSsda903(syn.returns);
fitMultiState(data); // warm-up
for (let r = 0; r < runs; r++) {
  const t0 = performance.now();
  data = readSsda903(syn.returns);
  const t1 = performance.now();
  fitMultiState(data);
  const t2 = performance.now();
  parseT.push(t1 - t0);
  fitT.push(t2 - t1);
}
const total = parseT.map((p, i) => p + fitT[i]);
console.log(`episodes after cleaning: ${data.episodes.length}; fixes: ${data.fixes.length}`);
console.log(`parse+clean ms: median ${median(parseT).toFixed(0)} [${parseT.map((v) => v.toFixed(0)).join(', ')}]`);
console.log(`fit ms: median ${median(fitT).toFixed(0)} [${fitT.map((v) => v.toFixed(0)).join(', ')}]`);
console.log(`parse+fit ms: median ${median(total).toFixed(0)} (target < 2000)`);

let t0 = performance.now();
deriveAnnualDataset(data);
console.log(`deriveAnnualDataset ms: ${(performance.now() - t0).toFixed(0)}`);
const model = fitMultiState(data);
const projT: number[] = [];
for (let r = 0; r <= runs; r++) {
  t0 = performance.now();
  projectMultiState(model, { days: 5 * 365 });
  projT.push(performance.now() - t0);
}
console.log(`expected projection, 5 years (1,825 daily steps) ms: first call ${projT[0].toFixed(0)}, then median ${median(projT.slice(1)).toFixed(0)} [${projT.slice(1).map((v) => v.toFixed(0)).join(', ')}]`);
t0 = performance.now();
projectMultiState(model, { days: 365, paths: 200, seed: 1 });
console.log(`1 year, expected + 200 simulated paths ms: ${(performance.now() - t0).toFixed(0)}`);

memoryChild();
rmSync(tmp, { recursive: true, force: true });
