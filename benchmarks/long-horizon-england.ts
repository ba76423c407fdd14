/**
 * Benchmark: how far ahead can children in care be forecast? England's
 * national series 1994-2024 (31 years, the DfE time series in the bundled
 * panel) is the only long series in the data: the LA panel has 13 years of
 * stock and 6 of flows, so it scores forecasts 1-3 years ahead only, while
 * sufficiency statements project 10-12 years ahead.
 *
 * Rolling origins 2003-2023 (training from 1994, so at least 10 years and
 * every method can fit), forecasts 1-10 years ahead up to 2024, through:
 * every carecast method and `auto` (`backtest`), and R's `ets`, `auto.arima`, `thetaf`,
 * `rwf(drift = TRUE)` and `naive` on identical training data. Scored: MASE
 * (each error over the training window's mean absolute yearly change),
 * coverage of each method's own 80/95% bands, their Winkler scores and the
 * CRPS of the distribution behind them (both over the same scale), by step
 * bucket, with the scorers the panel benchmark uses (`lib/accuracyScores.ts`).
 *
 * One series, overlapping windows: the forecasts from neighbouring origins
 * share most of their errors, so the evidence is far thinner than the counts
 * suggest (12 forecasts at 10 years ahead, from origins 2003-2014).
 *
 * The stock-flow model this benchmark also ran (issues 3-11) was replaced by the one system
 * model of issue 13; its validation on England, total and flows 1-10 years ahead, is
 * `benchmarks/system-accuracy.ts`.
 *
 * Usage: `npx tsx benchmarks/long-horizon-england.ts [--data DIR] [--no-r] [--paths 2000]`
 * (default: the bundled DfE panel; `DIR` or `$CARECAST_DFE_DIR`: a folder of raw DfE files)
 *
 * @module
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { benchmarkPanel } from './lib/dfeData.js';
import { backtest } from '../src/evaluate/backtest.js';
import type { BacktestMethod } from '../src/evaluate/backtestTypes.js';
import { METHOD_NAMES } from '../src/models/types.js';
import { arr, R_LABEL, R_METHODS, runR, type RMethod } from './lib/rForecast.js';
import { f2, f3, pct, rBandScore, scoredOf, type BandScore, type Scored } from './lib/accuracyScores.js';

const ORIGINS = Array.from({ length: 21 }, (_, i) => 2003 + i);
const H = 10;
const LEVELS = [80, 95] as const;
const BUCKETS: readonly (readonly [number, number])[] = [
  [1, 1],
  [2, 3],
  [4, 6],
  [7, 10],
];

function parseArgs(argv: readonly string[]): { data: string | undefined; r: boolean; paths: number } {
  const a: { data: string | undefined; r: boolean; paths: number } = { data: process.env.CARECAST_DFE_DIR, r: true, paths: 2000 };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    if (x === '--data') a.data = String(argv[++i]);
    else if (x === '--no-r') a.r = false;
    else if (x === '--paths') a.paths = Number(argv[++i]);
    else throw new Error(`unknown argument ${x}; usage: npx tsx benchmarks/long-horizon-england.ts [--data DIR] [--no-r] [--paths 2000]`);
  }
  if (!Number.isInteger(a.paths) || a.paths < 100) throw new Error('--paths must be a whole number of at least 100');
  return a;
}

/** The mean of a value over the items where it is finite (`NaN` when none is). */
function meanBy<T>(xs: readonly T[], value: (x: T) => number): number {
  let s = 0;
  let n = 0;
  for (const x of xs) {
    const v = value(x);
    if (!Number.isFinite(v)) continue;
    s += v;
    n++;
  }
  return n > 0 ? s / n : Number.NaN;
}

/** The own bands of the forecasts that have them. */
const bandsOf = (rs: readonly Scored[]): BandScore[] => rs.flatMap((r) => (r.own ? [r.own] : []));


function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const command = ['npx tsx benchmarks/long-horizon-england.ts', ...process.argv.slice(2)].join(' ');
  const t0 = performance.now();
  const england = benchmarkPanel(args.data).panel.series.get('England')!;
  const stock = england.childrenInCare;
  const actual = new Map(stock.points.filter((p) => p.value !== null).map((p) => [p.year, p.value as number]));
  const first = Math.min(...actual.keys());
  const last = Math.max(...actual.keys());
  const y = [...actual.keys()].sort((a, b) => a - b).map((yr) => actual.get(yr)!);

  // carecast methods through backtest (one call per method: each uses every origin)
  const rows = new Map<string, Scored[]>();
  // 80% band width over the point at h = 10, per method, from the origins that reach 10 years ahead
  const widthsAt10 = new Map<string, number[]>();
  const scaleOf = new Map<number, number>();
  const methods: BacktestMethod[] = [...METHOD_NAMES, 'auto'];
  const autoChoices: string[] = [];
  for (const m of methods) {
    const r = backtest(stock, { methods: [m], horizon: H, origins: ORIGINS, levels: [...LEVELS] });
    const out: Scored[] = [];
    widthsAt10.set(m, r.forecasts.filter((f) => f.h === H).map((f) => (f.hi_80 - f.lo_80) / f.point));
    for (const f of r.forecasts) {
      const row = scoredOf(f);
      if (!row) continue;
      scaleOf.set(f.origin, f.scale);
      out.push(row);
    }
    rows.set(m, out);
    if (m === 'auto') for (const c of r.autoChoices) autoChoices.push(`${c.origin} ${c.method}`);
  }


  // R on the same training data
  let rNote = '';
  if (args.r) {
    const rOut = runR([{ area: 'England', start: first, y, origins: ORIGINS.map((o) => ({ origin: o, n: o - first + 1, h: Math.min(H, last - o) })) }], LEVELS);
    if (typeof rOut === 'string') rNote = `R not run: ${rOut.split('\n')[0]}`;
    else {
      rNote = `${rOut.rVersion}, forecast ${rOut.forecastVersion}`;
      for (const m of R_METHODS) {
        const out: Scored[] = [];
        rOut.methods[m]!.series[0].forEach((fc, j) => {
          if (fc.error) return;
          const o = ORIGINS[j];
          const [mean, l8, u8, l9, u9] = [arr(fc.mean), arr(fc.lo80), arr(fc.hi80), arr(fc.lo95), arr(fc.hi95)];
          for (let h = 1; h <= mean.length; h++) {
            const a = actual.get(o + h);
            if (a === undefined) continue;
            const scale = scaleOf.get(o)!;
            out.push({
              area: 'England',
              origin: o,
              h,
              actual: a,
              point: mean[h - 1],
              scale,
              ase: Math.abs(mean[h - 1] - a) / scale,
              own: rBandScore(a, scale, mean[h - 1], l8[h - 1], u8[h - 1], l9[h - 1], u9[h - 1]),
            });
          }
        });
        rows.set(`R ${R_LABEL[m as RMethod]}`, out);
      }
    }
  } else rNote = 'R not run (--no-r)';

  // report
  const L: string[] = [];
  const cpu = os.cpus();
  L.push(`- Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${os.type()} ${os.release()} (${os.arch()}); Node ${process.version}; ${rNote}`);
  L.push(`- Date: ${new Date().toISOString()}`);
  L.push(`- Command: \`${command}\``);
  L.push(`- Series: England, children looked after at 31 March, ${first}-${last} (${y.length} years); origins ${ORIGINS[0]}-${ORIGINS.at(-1)}, steps 1-${H} up to ${last}.`);
  L.push('');
  const bucketName = (b: readonly [number, number]): string => (b[0] === b[1] ? `h ${b[0]}` : `h ${b[0]}-${b[1]}`);
  const inB = (r: Scored, b: readonly [number, number]): boolean => r.h >= b[0] && r.h <= b[1];
  L.push(`| method | ${BUCKETS.map((b) => `MASE ${bucketName(b)}`).join(' | ')} | MASE all | ${BUCKETS.map((b) => `cover 80 / 95, ${bucketName(b)}`).join(' | ')} | 80% band width / point at h 10 (median) |`);
  L.push(`|---|${BUCKETS.map(() => '---:').join('|')}|---:|${BUCKETS.map(() => '---').join('|')}|---:|`);
  for (const [name, rs] of rows) {
    const mase = BUCKETS.map((b) => f3(meanBy(rs.filter((r) => inB(r, b)), (r) => r.ase)));
    const cov = BUCKETS.map((b) => {
      const own = bandsOf(rs.filter((r) => inB(r, b)));
      return `${pct(meanBy(own, (x) => +x.in80))} / ${pct(meanBy(own, (x) => +x.in95))}`;
    });
    L.push(`| ${name} | ${mase.join(' | ')} | ${f3(meanBy(rs, (r) => r.ase))} | ${cov.join(' | ')} | ${widthAt10(name)} |`);
  }
  L.push('');
  L.push('Scaled Winkler scores (W80, W95) and CRPS of the same bands, by step bucket (lower is better):');
  L.push('');
  L.push(`| method | ${BUCKETS.map((b) => `W80 / W95 / CRPS, ${bucketName(b)}`).join(' | ')} |`);
  L.push(`|---|${BUCKETS.map(() => '---').join('|')}|`);
  for (const [name, rs] of rows) {
    const cells = BUCKETS.map((b) => {
      const own = bandsOf(rs.filter((r) => inB(r, b)));
      return `${f2(meanBy(own, (x) => x.w80))} / ${f2(meanBy(own, (x) => x.w95))} / ${f3(meanBy(own, (x) => x.crps))}`;
    });
    L.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  L.push('');
  const n = BUCKETS.map((b) => `${bucketName(b)}: ${(rows.get('naive') ?? []).filter((r) => inB(r, b)).length}`);
  L.push(`- Forecasts per bucket (each method): ${n.join(', ')}. Every forecast of a bucket comes from overlapping windows of one series: read differences of a few hundredths as noise.`);
  L.push(`- \`auto\` chose: ${autoChoices.join(', ')}.`);
  L.push(`- Whole benchmark ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
  console.log(L.join('\n'));

  function widthAt10(name: string): string {
    const widths = [...(widthsAt10.get(name) ?? [])].sort((x, y) => x - y);
    return widths.length ? pct(widths[Math.floor(widths.length / 2)]) : '—';
  }
}

main();
