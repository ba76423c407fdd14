/**
 * Benchmark: carecast's baseline methods over the DfE panel of English local
 * authorities, side by side with R's forecast package (issue 2).
 *
 * For every authority with children in care published for every panel year
 * (2011-2017 and 2019-2024; 2018 is a real gap in the sources), the series
 * 2011-2024 is projected three years ahead with each method and with
 * `'auto'`, through the public {@link forecast} (which fills 2018 by
 * straight-line interpolation). Each method is timed over the whole panel:
 * one warm-up run, then the median of `--runs` (default 5) timed runs.
 * Peak resident memory is reported too.
 *
 * The same 14-point series (2018 filled as forecast() fills it) are written
 * to a temporary JSON file and given to `benchmarks/r-baseline-speed.R`,
 * which times R's `naive`, `rwf(drift = TRUE)`, `tslm(y ~ trend)` (and with
 * `lambda = 0`, the log-linear trend) and `ets(model = "AAN", damped = TRUE)` and `thetaf`
 * the same way, and returns the damped-trend forecasts, which are compared
 * with carecast's for every authority.
 *
 * Usage: `npx tsx benchmarks/baseline-speed.ts [--runs 5] [--data DIR] [--no-r]`
 * (default: the DfE panel bundled with carecast; `DIR` or
 * `$CARECAST_DFE_DIR`: a folder of raw DfE files). When `Rscript` is
 * missing and the process runs as root, it tries
 * `apt-get install -y r-base-core r-cran-forecast r-cran-jsonlite`; failing
 * that, the R columns are skipped with a message.
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { benchmarkPanel } from './lib/dfeData.js';
import type { AnnualSeries } from '../src/data/schemas.js';
import { METHOD_NAMES, type MethodName } from '../src/models/types.js';
import { forecast, type Projection } from '../src/project/forecast.js';
import { ensureR, sh } from './lib/rForecast.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const H = 3;

interface Args {
  runs: number;
  data: string | undefined;
  r: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { runs: 5, data: process.env.CARECAST_DFE_DIR, r: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') args.runs = Number(argv[++i]);
    else if (a === '--data') args.data = String(argv[++i]);
    else if (a === '--no-r') args.r = false;
    else throw new Error(`unknown argument ${a}; usage: npx tsx benchmarks/baseline-speed.ts [--runs 5] [--data DIR] [--no-r]`);
  }
  if (!Number.isInteger(args.runs) || args.runs < 1) throw new Error('--runs must be a whole number of at least 1');
  return args;
}

// ---- peak memory ------------------------------------------------------------

let peakRss = process.memoryUsage().rss;
function sampleRss(): void {
  const r = process.memoryUsage().rss;
  if (r > peakRss) peakRss = r;
}

// ---- timing -------------------------------------------------------------------

interface Timing {
  readonly medianMs: number;
  readonly runsMs: readonly number[];
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** One warm-up run, then `runs` timed runs; the last run's result is returned. */
function time<T>(fn: () => T, runs: number): { timing: Timing; result: T } {
  let result = fn();
  sampleRss();
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = fn();
    runsMs.push(performance.now() - t0);
    sampleRss();
  }
  return { timing: { medianMs: median(runsMs), runsMs }, result };
}

// ---- R ------------------------------------------------------------------------

interface RDamped {
  readonly area: string;
  readonly point?: readonly number[];
  readonly alpha?: number;
  readonly beta?: number;
  readonly phi?: number;
  readonly l0?: number;
  readonly b0?: number;
  readonly sse?: number;
  readonly loglik?: number;
  readonly method?: string;
  readonly error?: string;
}

interface RResult {
  readonly rVersion: string;
  readonly forecastVersion: string;
  readonly nSeries: number;
  readonly times: Readonly<Record<string, Timing>>;
  readonly dampedTrend: readonly RDamped[];
  readonly peakRssBytes: number | null;
}

function runR(series: readonly { area: string; start: number; y: readonly number[] }[], runs: number): RResult | string {
  const skip = ensureR();
  if (skip) return skip;
  const dir = mkdtempSync(join(os.tmpdir(), 'carecast-bench-'));
  try {
    const input = join(dir, 'series.json');
    const output = join(dir, 'r-result.json');
    writeFileSync(input, JSON.stringify({ h: H, runs, series }));
    const r = sh('Rscript', [join(HERE, 'r-baseline-speed.R'), input, output]);
    if (!r.ok) return `the R script failed:\n${r.out}`;
    return JSON.parse(readFileSync(output, 'utf8')) as RResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- formatting -----------------------------------------------------------------

const ms = (v: number | undefined) => (v === undefined ? '—' : v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));
const mb = (bytes: number | null | undefined) => (bytes === null || bytes === undefined ? '—' : `${(bytes / 2 ** 20).toFixed(0)} MB`);
const pct = (v: number) => (v === 0 ? '0%' : v < 1e-5 ? `${(v * 100).toExponential(1)}%` : `${(v * 100).toFixed(v < 0.001 ? 4 : 2)}%`);
const f3 = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(3));

// ---- main ---------------------------------------------------------------------------

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const command = ['npx tsx benchmarks/baseline-speed.ts', ...process.argv.slice(2)].join(' ');

  const t0 = performance.now();
  const { panel, source: dataSource } = benchmarkPanel(args.data);
  const loadMs = performance.now() - t0;
  sampleRss();

  // Authorities with every panel year published and above zero (loglinear and repeatGrowth need positive values).
  const chosen: AnnualSeries[] = [];
  const left: string[] = [];
  for (const a of panel.areas.filter((x) => x.level === 'local_authority')) {
    const s = panel.series.get(a.name)!.childrenInCare;
    const byYear = new Map(s.points.map((p) => [p.year, p.value]));
    const complete = panel.years.every((y) => {
      const v = byYear.get(y);
      return v !== undefined && v !== null && v > 0;
    });
    if (complete) chosen.push(s);
    else left.push(a.name);
  }

  // What forecast() fits: 2011-2024 with 2018 interpolated.
  const histories = chosen.map((s) => forecast(s, { method: 'naive', horizon: 1 }).history);
  const n = histories[0].length;
  const imputed = [...new Set(histories.flatMap((h) => h.filter((p) => p.imputed).map((p) => p.year)))];

  const methods: (MethodName | 'auto')[] = [...METHOD_NAMES, 'auto'];
  const timings = new Map<MethodName | 'auto', Timing>();
  const results = new Map<MethodName | 'auto', Projection[]>();
  for (const m of methods) {
    const { timing, result } = time(() => chosen.map((s) => forecast(s, { method: m, horizon: H })), args.runs);
    timings.set(m, timing);
    results.set(m, result);
  }
  const autoChoice = new Map<string, number>();
  for (const p of results.get('auto')!) autoChoice.set(p.method, (autoChoice.get(p.method) ?? 0) + 1);
  const nodePeak = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);

  // R.
  let r: RResult | undefined;
  let rSkip: string | undefined;
  if (args.r) {
    const out = runR(
      chosen.map((s, i) => ({ area: s.area, start: histories[i][0].year, y: histories[i].map((p) => p.used) })),
      args.runs,
    );
    if (typeof out === 'string') rSkip = out;
    else r = out;
  } else rSkip = 'R side skipped (--no-r)';

  // Damped trend: carecast vs R.
  interface Cmp {
    area: string;
    maxRel: number;
    maxAbs: number;
    cc: readonly number[];
    rr: readonly number[];
    ccPar: Readonly<Record<string, number>>;
    ccSse: number;
    r: RDamped;
  }
  const cmps: Cmp[] = [];
  const rErrors: string[] = [];
  if (r) {
    const byArea = new Map(r.dampedTrend.map((d) => [d.area, d]));
    for (const p of results.get('dampedTrend')!) {
      const d = byArea.get(p.area);
      if (!d || !d.point) {
        rErrors.push(`${p.area}: ${d?.error ?? 'no R result'}`);
        continue;
      }
      const rel = p.point.map((v, i) => Math.abs(v - d.point![i]) / Math.max(Math.abs(d.point![i]), 1e-9));
      cmps.push({
        area: p.area,
        maxRel: Math.max(...rel),
        maxAbs: Math.max(...p.point.map((v, i) => Math.abs(v - d.point![i]))),
        cc: p.point,
        rr: d.point,
        ccPar: p.diagnostics.params,
        ccSse: p.diagnostics.residuals.reduce((s, e) => s + e * e, 0),
        r: d,
      });
    }
  }
  cmps.sort((a, b) => b.maxRel - a.maxRel);

  // ---- report (Markdown) ----
  const cpu = os.cpus();
  const lines: string[] = [];
  lines.push(`- Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${os.type()} ${os.release()} (${os.arch()}), ${Math.round(os.totalmem() / 2 ** 30)} GB RAM`);
  lines.push(`- Node ${process.version}; ${r ? `${r.rVersion}, forecast ${r.forecastVersion}` : `R: not run (${rSkip?.split('\n')[0]})`}`);
  lines.push(`- Date: ${new Date().toISOString()}`);
  lines.push(`- Command: \`${command}\``);
  lines.push('');
  lines.push(
    `- Panel: ${dataSource}: ${panel.areas.filter((a) => a.level === 'local_authority').length} local authorities, years ${panel.years[0]}-${panel.years[panel.years.length - 1]}, missing ${panel.missingYears.join(', ') || 'none'}; ` +
      `loaded in ${ms(loadMs)} ms (loadDfePanel, one cold run).`,
  );
  lines.push(
    `- Benchmarked: ${chosen.length} authorities with every year published and above zero (${n} points each, ${imputed.join(', ') || 'no year'} interpolated by forecast()); ` +
      `left out: ${left.map((a) => `"${a}"`).join(', ')}.`,
  );
  lines.push(`- Each run projects every one of them ${H} years ahead (80% and 95% intervals); warm-up run, then median of ${args.runs} runs.`);
  lines.push('');
  lines.push('| method | carecast ms (whole panel) | carecast µs per series | R equivalent | R ms (whole panel) | ratio R / carecast |');
  lines.push('|---|---:|---:|---|---:|---:|');
  const rName: Partial<Record<MethodName | 'auto', string>> = {
    naive: '`naive(y)`',
    drift: '`rwf(y, drift = TRUE)`',
    linear: '`tslm(y ~ trend)`',
    loglinear: '`tslm(y ~ trend, lambda = 0)`',
    dampedTrend: '`ets(y, "AAN", damped = TRUE)`',
    theta: '`thetaf(y)`',
  };
  for (const m of methods) {
    const t = timings.get(m)!;
    const rt = r?.times[m]?.medianMs;
    lines.push(
      `| ${m} | ${ms(t.medianMs)} | ${((t.medianMs * 1000) / chosen.length).toFixed(0)} | ${rName[m] ?? '(none)'} | ${ms(rt)} | ${rt !== undefined ? `${(rt / t.medianMs).toFixed(1)}×` : '—'} |`,
    );
  }
  lines.push('');
  lines.push(`- Peak RSS: carecast (Node, whole benchmark process) ${mb(nodePeak)}; R (Rscript process) ${mb(r?.peakRssBytes)}.`);
  lines.push(`- \`auto\` chose: ${[...autoChoice.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}.`);
  lines.push('');
  if (r) {
    const within = cmps.filter((c) => c.maxRel <= 0.01).length;
    const within01 = cmps.filter((c) => c.maxRel <= 0.001).length;
    const worst = cmps[0];
    lines.push(
      `Damped trend point forecasts, h = 1..${H}, carecast vs R \`ets(y, model = "AAN", damped = TRUE)\` over ${cmps.length} authorities: ` +
        `max relative difference ${worst ? pct(worst.maxRel) : '—'}${worst ? ` (${worst.area})` : ''}; ` +
        `largest absolute difference ${cmps.length ? Math.max(...cmps.map((c) => c.maxAbs)).toExponential(1) : '—'} children; ` +
        `${within} of ${cmps.length} agree within 1% at every horizon (${within01} within 0.1%); median of the per-authority maxima ${cmps.length ? pct(median(cmps.map((c) => c.maxRel))) : '—'}.`,
    );
    if (rErrors.length > 0) lines.push(`R failed on: ${rErrors.join('; ')}.`);
    const over = cmps.filter((c) => c.maxRel > 0.01);
    if (over.length > 0) {
      lines.push('');
      lines.push(`Authorities differing by more than 1% (lower SSE = the better fit of the same likelihood, n log SSE):`);
      lines.push('');
      lines.push('| authority | max rel. diff | carecast h=1..3 | R h=1..3 | carecast α, β, φ | R α, β, φ | carecast SSE | R SSE | better fit |');
      lines.push('|---|---:|---|---|---|---|---:|---:|---|');
      for (const c of over) {
        const better = Math.abs(c.ccSse - (c.r.sse ?? NaN)) <= 1e-6 * c.ccSse ? 'same' : c.ccSse < (c.r.sse ?? Infinity) ? 'carecast' : 'R';
        lines.push(
          `| ${c.area} | ${pct(c.maxRel)} | ${c.cc.map((v) => v.toFixed(1)).join(', ')} | ${c.rr.map((v) => v.toFixed(1)).join(', ')} | ` +
            `${f3(c.ccPar.alpha)}, ${f3(c.ccPar.beta)}, ${f3(c.ccPar.phi)} | ${f3(c.r.alpha)}, ${f3(c.r.beta)}, ${f3(c.r.phi)} | ${c.ccSse.toFixed(1)} | ${c.r.sse?.toFixed(1) ?? '—'} | ${better} |`,
        );
      }
      const ccBetter = over.filter((c) => c.ccSse < (c.r.sse ?? Infinity) * (1 - 1e-6)).length;
      const rBetter = over.filter((c) => (c.r.sse ?? Infinity) < c.ccSse * (1 - 1e-6)).length;
      lines.push('');
      lines.push(`Of these ${over.length}: carecast's optimum has the lower SSE in ${ccBetter}, R's in ${rBetter}.`);
    }
  } else {
    lines.push(`R comparison skipped: ${rSkip}`);
  }
  lines.push('');
  lines.push(
    `Timed runs (ms), carecast: ${methods.map((m) => `${m} [${timings.get(m)!.runsMs.map((v) => ms(v)).join(', ')}]`).join('; ')}` +
      (r ? `. R: ${Object.entries(r.times).map(([m, t]) => `${m} [${t.runsMs.map((v) => ms(v)).join(', ')}]`).join('; ')}.` : '.'),
  );
  console.log(lines.join('\n'));
}

main();
