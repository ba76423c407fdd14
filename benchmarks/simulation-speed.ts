/**
 * Benchmark: the simulation engine (issue 4). Target: 10,000 paths × 12 years
 * × 20 series in under 1 s.
 *
 * Series: children in care at 31 March for 20 local authorities from the DfE
 * panel (`loadDfePanel()`, bundled: SFR 2011-2017 + EES 2019-2024, 2018
 * filled by a straight line as `forecast()` fills it; 14 points each), evenly
 * spaced among the authorities with all years published and above zero
 * (`--data DIR` or `$CARECAST_DFE_DIR`: the panel built from a folder of raw
 * DfE files).
 *
 * For each method (all 20 series with it) and for a mix (methods in turn):
 *
 * - in-process (`simulateSeriesSync`): simulation alone (`bands: false`),
 *   `pathBands` for all 20 series afterwards, and the whole call with bands;
 * - 2 workers from a pool started beforehand and warmed with two runs of the
 *   mix (`pool` option): the whole call (bands computed in the workers) and
 *   simulation alone;
 * - the mix with `workers: 2`, the pool started and closed by each call;
 *
 * one warm-up run, then the median of `--runs` (default 5) timed runs.
 *
 * Then the in-process / worker threshold: in fresh child processes, once
 * from the TypeScript sources (tsx) and once from a build (`tsc` into a
 * temporary folder), the time to start 2 workers, and in-process vs
 * `workers: 2` (a pool started and closed by the call) for growing jobs.
 *
 * Usage: `npx tsx benchmarks/simulation-speed.ts [--runs 5] [--data DIR] [--no-threshold]`
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchmarkPanel } from './lib/dfeData.js';
import { METHOD_NAMES, type MethodName } from '../src/models/types.js';
import { pathBands } from '../src/uncertainty/pathBands.js';
import { simulateSeries, simulateSeriesSync, type SimulationSpec } from '../src/uncertainty/simulate.js';
import { SimulationPool } from '../src/uncertainty/workerPool.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const H = 12;
const PATHS = 10_000;
const N_SERIES = 20;
const TARGET_MS = 1000;

interface Args {
  runs: number;
  data: string | undefined;
  threshold: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { runs: 5, data: process.env.CARECAST_DFE_DIR, threshold: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') args.runs = Number(argv[++i]);
    else if (a === '--data') args.data = String(argv[++i]);
    else if (a === '--no-threshold') args.threshold = false;
    else throw new Error(`unknown argument ${a}; usage: npx tsx benchmarks/simulation-speed.ts [--runs 5] [--data DIR] [--no-threshold]`);
  }
  if (!Number.isInteger(args.runs) || args.runs < 1) throw new Error('--runs must be a whole number of at least 1');
  return args;
}

// ---- series -----------------------------------------------------------------------

interface Input {
  readonly source: string;
  readonly series: { readonly id: string; readonly y: number[] }[];
}

function loadSeries(dir: string | undefined): Input {
  const { panel, source } = benchmarkPanel(dir);
  {
    const all = [...panel.years, ...panel.missingYears].sort((a, b) => a - b);
    const complete: { id: string; y: number[] }[] = [];
    for (const a of panel.areas.filter((x) => x.level === 'local_authority')) {
      const byYear = new Map(panel.series.get(a.name)!.childrenInCare.points.map((p) => [p.year, p.value]));
      if (!panel.years.every((yr) => (byYear.get(yr) ?? 0) > 0)) continue;
      // interior gaps (2018) by straight line, as forecast() fills them
      const y = all.map((yr) => {
        const v = byYear.get(yr);
        if (v !== undefined && v !== null) return v;
        const before = Math.max(...panel.years.filter((t) => t < yr));
        const after = Math.min(...panel.years.filter((t) => t > yr));
        const vb = byYear.get(before) as number;
        const va = byYear.get(after) as number;
        return vb + ((va - vb) * (yr - before)) / (after - before);
      });
      complete.push({ id: a.name, y });
    }
    if (complete.length >= N_SERIES) {
      const step = Math.floor(complete.length / N_SERIES);
      const chosen = Array.from({ length: N_SERIES }, (_, i) => complete[i * step]);
      return {
        source: `${source}: ${complete.length} authorities with every year published and above zero, every ${step}th taken; years ${all[0]}-${all[all.length - 1]} (${all.length} points, ${panel.missingYears.join(', ') || 'none'} interpolated)`,
        series: chosen,
      };
    }
  }
  // synthetic: 11 years of a trend with noise, seeded
  let s = 12345;
  const u = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const series = Array.from({ length: N_SERIES }, (_, i) => {
    const base = 200 + 60 * i;
    return { id: `synthetic-${i + 1}`, y: Array.from({ length: 11 }, (_, t) => Math.round(base * (1 + 0.03 * t) + 20 * (u() - 0.5))) };
  });
  return { source: `synthetic (too few complete series in ${source}): 20 trending series of 11 points`, series };
}

// ---- timing -------------------------------------------------------------------------

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function time(fn: () => unknown, runs: number): Promise<{ median: number; runs: number[] }> {
  await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return { median: median(out), runs: out };
}

const ms = (v: number) => (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));
const rate = (values: number, tMs: number) => `${((values / tMs) * 1000 / 1e6).toFixed(1)} M`;

// ---- the threshold, in a child process ---------------------------------------------------

/** Run in a fresh Node process: worker startup, then in-process vs workers: 2 for growing jobs. */
const CHILD = `
const cfg = JSON.parse(process.env.CARECAST_BENCH_CFG);
const { simulateSeries, simulateSeriesSync } = await import(cfg.simulate);
const { SimulationPool, WORKER_MODE } = await import(cfg.pool);
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const specs = cfg.series.map((s, i) => ({ id: s.id, series: s.y, method: cfg.methods[i % cfg.methods.length] }));
const startup = [];
for (let i = 0; i < cfg.startRuns; i++) {
  const t0 = performance.now();
  const pool = new SimulationPool(2);
  await pool.ready();
  startup.push(performance.now() - t0);
  await pool.close();
}
simulateSeriesSync(specs, { horizon: cfg.h, paths: 2000, seed: 1 });
const sizes = [];
for (const paths of cfg.paths) {
  const opts = { horizon: cfg.h, paths, seed: 1 };
  const inproc = [];
  const workers = [];
  for (let r = 0; r < cfg.sizeRuns; r++) {
    let t0 = performance.now();
    simulateSeriesSync(specs, opts);
    inproc.push(performance.now() - t0);
    t0 = performance.now();
    await simulateSeries(specs, { ...opts, workers: 2 });
    workers.push(performance.now() - t0);
  }
  sizes.push({ paths, values: paths * cfg.h * specs.length, inProcessMs: med(inproc), workersMs: med(workers) });
}
process.stdout.write(JSON.stringify({ mode: WORKER_MODE, startupMs: med(startup), startupRuns: startup, sizes }));
`;

interface ChildResult {
  readonly mode: string;
  readonly startupMs: number;
  readonly startupRuns: number[];
  readonly sizes: { paths: number; values: number; inProcessMs: number; workersMs: number }[];
}

function runChild(execArgv: string[], simulate: string, pool: string, input: Input): ChildResult | string {
  const cfg = {
    simulate,
    pool,
    series: input.series,
    methods: METHOD_NAMES,
    h: H,
    startRuns: 5,
    sizeRuns: 3,
    paths: [500, 2000, 10_000, 20_000, 40_000, 80_000],
  };
  const r = spawnSync(process.execPath, [...execArgv, '--input-type=module', '-e', CHILD], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CARECAST_BENCH_CFG: JSON.stringify(cfg) },
    maxBuffer: 1 << 24,
    timeout: 20 * 60 * 1000,
  });
  if (r.status !== 0) return `child failed (${r.status}): ${r.stderr}`;
  return JSON.parse(r.stdout) as ChildResult;
}

function thresholds(input: Input): { tsx: ChildResult | string; compiled: ChildResult | string } {
  const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const src = (f: string) => pathToFileURL(join(ROOT, 'src/uncertainty', f)).href;
  const tsx = runChild(['--import', tsxLoader], src('simulate.ts'), src('workerPool.ts'), input);
  const out = mkdtempSync(join(os.tmpdir(), 'carecast-build-'));
  try {
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json'), '--outDir', out], {
      encoding: 'utf8',
    });
    if (tsc.status !== 0) return { tsx, compiled: `tsc failed: ${tsc.stdout}${tsc.stderr}` };
    const dist = (f: string) => pathToFileURL(join(out, 'uncertainty', f)).href;
    const compiled = runChild([], dist('simulate.js'), dist('workerPool.js'), input);
    return { tsx, compiled };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

// ---- main ----------------------------------------------------------------------------------

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const command = ['npx tsx benchmarks/simulation-speed.ts', ...process.argv.slice(2)].join(' ');
  const load0 = os.loadavg();
  const input = loadSeries(args.data);
  const values = PATHS * H * N_SERIES;
  const scenarios: (MethodName | 'mix')[] = [...METHOD_NAMES, 'mix'];
  const specsOf = (sc: MethodName | 'mix'): SimulationSpec[] =>
    input.series.map((s, i) => ({ id: s.id, series: s.y, method: sc === 'mix' ? METHOD_NAMES[i % METHOD_NAMES.length] : sc }));
  const opts = { horizon: H, paths: PATHS, seed: 2026 };

  const t0 = performance.now();
  const pool = new SimulationPool(2);
  await pool.ready();
  const poolStartMs = performance.now() - t0;
  // fresh workers run their first jobs slowly (V8 has not optimised the code yet): warm the pool on the mix
  for (let i = 0; i < 2; i++) await simulateSeries(specsOf('mix'), { ...opts, pool });

  interface Row {
    name: string;
    simMs: number;
    bandsMs: number;
    totalMs: number;
    poolTotalMs: number;
    poolSimMs: number;
    runs: string;
  }
  const rows: Row[] = [];
  for (const sc of scenarios) {
    const specs = specsOf(sc);
    let last = simulateSeriesSync(specs, { ...opts, bands: false });
    const sim = await time(() => (last = simulateSeriesSync(specs, { ...opts, bands: false })), args.runs);
    const bands = await time(() => last.series.map((s) => pathBands(s.paths)), args.runs);
    const total = await time(() => simulateSeriesSync(specs, opts), args.runs);
    const poolTotal = await time(() => simulateSeries(specs, { ...opts, pool }), args.runs);
    const poolSim = await time(() => simulateSeries(specs, { ...opts, pool, bands: false }), args.runs);
    rows.push({
      name: sc,
      simMs: sim.median,
      bandsMs: bands.median,
      totalMs: total.median,
      poolTotalMs: poolTotal.median,
      poolSimMs: poolSim.median,
      runs: `${sc}: in-process [${total.runs.map(ms).join(', ')}], 2 workers [${poolTotal.runs.map(ms).join(', ')}]`,
    });
    console.error(`${sc}: in-process ${ms(total.median)} ms, 2 workers ${ms(poolTotal.median)} ms`);
  }
  // the mix, with workers: 2 started and closed by the call (what a one-off call costs)
  const mix = specsOf('mix');
  const cold = await time(() => simulateSeries(mix, { ...opts, workers: 2 }), args.runs);
  await pool.close();

  const th = args.threshold ? thresholds(input) : undefined;
  const load1 = os.loadavg();

  // ---- report ----
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines: string[] = [];
  lines.push('### Result', '');
  lines.push(`- Machine: ${cpu}, ${os.cpus().length} cores, ${os.type()} ${os.release()} (${os.arch()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM`);
  lines.push(`- Node ${process.version}; load average at start ${load0.map((v) => v.toFixed(2)).join(' / ')}, at end ${load1.map((v) => v.toFixed(2)).join(' / ')} (1/5/15 min; the machine is shared)`);
  lines.push(`- Date: ${new Date().toISOString()}`);
  lines.push(`- Command: \`${command}\``, '');
  lines.push(`- Series: ${input.source}.`);
  lines.push(`- Job: ${N_SERIES} series × ${PATHS.toLocaleString('en-GB')} paths × ${H} years = ${(values / 1e6).toFixed(1)} M values, seed 2026, 80/95% intervals and the 5/10/25/50/75/90/95 quantiles for every series and year. Warm-up run, then median of ${args.runs}.`);
  lines.push(`- 2 workers: a \`SimulationPool(2)\` started once (${ms(poolStartMs)} ms to start) and warmed with two runs of the mix, neither in the times below; the bands are computed in the workers.`, '');
  lines.push('| method | in-process: simulate ms | pathBands ms (20 series) | in-process total ms | values/s in-process | 2 workers: total ms | 2 workers: simulate ms | target (1 s) |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---|');
  for (const r of rows) {
    const best = Math.min(r.totalMs, r.poolTotalMs);
    lines.push(
      `| ${r.name} | ${ms(r.simMs)} | ${ms(r.bandsMs)} | ${ms(r.totalMs)} | ${rate(values, r.totalMs)} (${Math.round((PATHS * N_SERIES) / r.totalMs * 1000).toLocaleString('en-GB')} paths/s) | ${ms(r.poolTotalMs)} | ${ms(r.poolSimMs)} | ${best < TARGET_MS ? `met (${(TARGET_MS / best).toFixed(1)}× under)` : 'missed'} |`,
    );
  }
  lines.push('');
  lines.push(`- The mix with \`workers: 2\` (pool started and closed inside the call): ${ms(cold.median)} ms (runs ${cold.runs.map(ms).join(', ')}).`);
  lines.push(`- Timed runs (ms): ${rows.map((r) => r.runs).join('; ')}.`);
  if (th) {
    lines.push('', 'In-process vs `workers: 2` (pool started and closed by each call), the mix of methods, 20 series × 12 years, fresh Node process per build, median of 3:', '');
    lines.push('| build | start 2 workers ms | ' + (typeof th.tsx === 'string' ? '' : th.tsx.sizes.map((s) => `${s.paths.toLocaleString('en-GB')} paths (${(s.values / 1e6).toFixed(2)} M values)`).join(' | ')) + ' |');
    lines.push('|---|---:|' + (typeof th.tsx === 'string' ? '' : th.tsx.sizes.map(() => '---:').join('|')) + '|');
    for (const [name, r] of [
      ['from sources (tsx)', th.tsx],
      ['compiled (tsc build)', th.compiled],
    ] as const) {
      if (typeof r === 'string') lines.push(`| ${name} | ${r.replace(/\n/g, ' ')} |`);
      else lines.push(`| ${name} | ${ms(r.startupMs)} | ${r.sizes.map((s) => `${ms(s.inProcessMs)} / ${ms(s.workersMs)}`).join(' | ')} |`);
    }
    lines.push('', 'Cells: in-process ms / `workers: 2` ms.');
  }
  console.log(lines.join('\n'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
