/**
 * Benchmark: reading a large tidy CSV (issue 15). A 1M-row tidy file took
 * 27 s and 2 GB; the target is well under 2 GB (aim: under 600 MB) and much
 * faster.
 *
 * Writes a tidy CSV of `--rows` rows (default 1,000,000) to a temporary
 * folder (removed at the end; never committed): `--areas` areas (default
 * 2,000, named `Area 0001`, ...), each with 23 annual series over the years
 * needed (children in care, started and ceased totals; children in care by
 * placement, provider and age; started by age; the rate per 10,000), whose
 * parts add up to their totals, with about 1 figure in 50 suppressed
 * (`c`) and a source and line on every row. Then a fresh process
 * (`node --import tsx`) reads it with `loadTidyCsv(path, { allowGaps: true })`
 * (what `carecast project --tidy` does) `--runs` times (default 1, each in
 * its own process) and reports wall time, CPU time (user + system, every
 * thread, garbage collection included) and the process's peak resident
 * memory (`process.resourceUsage().maxRSS`), with the load average before
 * each run: wall time grows with the load, so compare CPU times.
 *
 * Usage: `npx tsx benchmarks/tidy-large.ts [--rows 1000000] [--areas 2000] [--runs 1]`
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Args {
  rows: number;
  areas: number;
  runs: number;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { rows: 1_000_000, areas: 2000, runs: 1 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = Number(argv[++i]);
    if (k === '--rows') args.rows = v;
    else if (k === '--areas') args.areas = v;
    else if (k === '--runs') args.runs = v;
    else throw new Error(`unknown argument ${k}; usage: npx tsx benchmarks/tidy-large.ts [--rows 1000000] [--areas 2000] [--runs 1]`);
  }
  for (const [k, v] of Object.entries(args)) if (!Number.isInteger(v) || v < 1) throw new Error(`--${k} must be a whole number of at least 1`);
  return args;
}

/** A small seeded generator (mulberry32): the same file every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Split a whole number into parts in the given proportions (largest remainder), so they add up to it. */
function split(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((s, x) => s + x, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i]++;
    left--;
  }
  return out;
}

const PLACEMENT = ['fostering', 'residential', 'adoption', 'parents', 'other'];
const PROVIDER = ['internal', 'private', 'voluntary', 'other'];
const AGE = ['under_1', '1_4', '5_9', '10_15', '16_plus'];
const SERIES_PER_AREA = 23;

/**
 * Write the tidy CSV: every area's series, `years` years each.
 *
 * @returns the rows written
 */
function writeTidy(path: string, areas: number, years: number): number {
  const fd = openSync(path, 'w');
  const next = rng(42);
  let buf = 'area,measure,kind,unit,frequency,period,breakdown,value,suppressed,source,line\r\n';
  let rows = 0;
  let line = 1;
  const flush = (force: boolean): void => {
    if (force || buf.length > 1 << 20) {
      writeSync(fd, buf);
      buf = '';
    }
  };
  const first = 2025 - years;
  for (let a = 1; a <= areas; a++) {
    const area = `Area ${String(a).padStart(4, '0')}`;
    const row = (measure: string, kind: string, unit: string, year: number, breakdown: string, value: number | null): void => {
      const suppressed = value !== null && next() < 0.02;
      buf += `${area},${measure},${kind},${unit},annual,${year},${breakdown},${suppressed || value === null ? '' : value},${suppressed ? 'c' : ''},generated.csv,${++line}\r\n`;
      rows++;
    };
    let cic = 200 + Math.floor(next() * 800);
    const wPlace = PLACEMENT.map(() => 0.2 + next());
    const wProv = PROVIDER.map(() => 0.2 + next());
    const wAge = AGE.map(() => 0.2 + next());
    for (let y = first; y <= 2024; y++) {
      const started = Math.floor(cic * (0.3 + 0.1 * next()));
      const ceased = Math.floor(cic * (0.3 + 0.1 * next()));
      row('children_in_care', 'snapshot', 'children', y, '', cic);
      row('started', 'flow', 'children', y, '', started);
      row('ceased', 'flow', 'children', y, '', ceased);
      split(cic, wPlace).forEach((v, i) => row('children_in_care', 'snapshot', 'children', y, `placement=${PLACEMENT[i]}`, v));
      split(cic, wProv).forEach((v, i) => row('children_in_care', 'snapshot', 'children', y, `provider=${PROVIDER[i]}`, v));
      split(cic, wAge).forEach((v, i) => row('children_in_care', 'snapshot', 'children', y, `age=${AGE[i]}`, v));
      split(started, wAge).forEach((v, i) => row('started', 'flow', 'children', y, `age=${AGE[i]}`, v));
      row('cic_rate', 'rate', 'per_10k', y, '', Math.round((cic / 1000) * 700) / 10);
      cic = Math.max(50, cic + started - ceased);
      flush(false);
    }
  }
  flush(true);
  closeSync(fd);
  return rows;
}

/** The child process: read the file once and print its figures as JSON. */
const CHILD = `
import { loadTidyCsv } from ${JSON.stringify(pathToFileURL(join(ROOT, 'src/data/loaders/tidyFiles.ts')).href)};
const t0 = performance.now();
const c0 = process.cpuUsage();
const ds = loadTidyCsv(process.argv[1], { allowGaps: true });
const cpu = process.cpuUsage(c0);
const wall = performance.now() - t0;
const series = ds.reduce((s, d) => s + d.series.length, 0);
const points = ds.reduce((s, d) => s + d.series.reduce((t, x) => t + x.points.length, 0), 0);
console.log(JSON.stringify({ wall, cpu: (cpu.user + cpu.system) / 1000, rssMb: process.resourceUsage().maxRSS / 1024, areas: ds.length, series, points }));
`;

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const years = Math.max(1, Math.round(args.rows / (args.areas * SERIES_PER_AREA)));
  const dir = mkdtempSync(join(os.tmpdir(), 'carecast-tidy-large-'));
  try {
    const path = join(dir, 'tidy-large.csv');
    const g0 = performance.now();
    const rows = writeTidy(path, args.areas, years);
    const size = statSync(path).size;
    console.log(`carecast tidy-large: ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, ${os.platform()}, node ${process.version}, ${new Date().toISOString()}`);
    console.log(`file: ${rows.toLocaleString('en-GB')} rows (${args.areas} areas x ${SERIES_PER_AREA} series x ${years} years), ${(size / 1e6).toFixed(0)} MB, written in ${((performance.now() - g0) / 1000).toFixed(1)} s`);
    console.log('run | load average (1 min) | wall ms | CPU ms | peak RSS MB | areas | series | points');
    for (let r = 1; r <= args.runs; r++) {
      const load = os.loadavg()[0];
      const res = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD, path], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
      if (res.status !== 0) throw new Error(`the reading process failed (${res.status}): ${res.stderr.slice(0, 2000)}`);
      const m = JSON.parse(res.stdout.trim().split('\n').pop() as string) as { wall: number; cpu: number; rssMb: number; areas: number; series: number; points: number };
      console.log(`${r} | ${load.toFixed(1)} | ${m.wall.toFixed(0)} | ${m.cpu.toFixed(0)} | ${m.rssMb.toFixed(0)} | ${m.areas} | ${m.series} | ${m.points}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
