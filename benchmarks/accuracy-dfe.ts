/**
 * Benchmark (issue 4): accuracy and interval coverage of every carecast
 * method on the real DfE panel, side by side with R's forecast package.
 *
 * Data: every local authority of the DfE panel (`loadDfePanel()`: SFR
 * 2011-2017, EES 2019-2024; 2018 is a gap in the sources), children in care
 * at 31 March.
 *
 * (a) Rolling origins: training ends in 2014-2017 and 2019-2023 (2018 has
 *     no value, so it cannot be an origin, and it is never a scored target),
 *     forecasts 1-3 years ahead up to 2024, for every
 *     carecast method and `auto`, through {@link backtestPanel}. A method
 *     uses only the origins that leave it its minimum training length
 *     (dampedTrend needs 10 years: from 2020; repeatGrowth 6: from 2016).
 *     Pooled MASE (each error divided by its training window's mean absolute
 *     yearly change) and 80/95% coverage of the analytic bands; the same
 *     forecasts with bootstrap bands (`forecast(..., { intervals:
 *     'bootstrap' })`) and with per-series conformal bands (`intervals:
 *     'conformal'` without a calibration). Also `auto + panel evidence`:
 *     `auto` following `panelEvidence` built at each origin from every
 *     method's and per-series auto's errors on all areas whose target year
 *     is at most that origin (`backtestPanel(..., { evidence: 'asKnown' })`:
 *     cross-learning with no error from after the origin).
 * (b) Pooled conformal bands calibrated out of sample, "as known at the
 *     time": the forecasts made at origin o are scored with a calibration
 *     on every area's errors whose target year is at most o (so the errors
 *     were observable when the forecast was made; none of the evaluated
 *     errors, whose targets are after o, is used). Only steps whose
 *     calibration rests on at least 39 errors are scored (enough for a
 *     finite 95% quantile in both shapes), and the analytic and bootstrap
 *     coverage of exactly those forecasts is shown beside it. A second
 *     scheme, leave-one-authority-out (calibrate on all other areas, all
 *     origins), is shown for reference: it uses other areas' errors of the
 *     same years, which a forecaster would not have had.
 * (c) R: the same training series (2018 filled by the same straight line
 *     as carecast fills it, so both sides see identical data), the same
 *     origins and steps, through `ets`, `auto.arima`, `thetaf`,
 *     `rwf(drift = TRUE)` and `naive`, scored with R's own intervals
 *     (benchmarks/r-accuracy-dfe.R). Wall time of each method over the
 *     whole panel, against carecast's `forecast()` doing the same fits.
 *
 * Usage: `npx tsx benchmarks/accuracy-dfe.ts [--data DIR] [--no-r] [--paths 1000] [--runs 3]`
 * (default: the DfE panel bundled with carecast; `DIR` or
 * `$CARECAST_DFE_DIR`: a folder of raw DfE files). When `Rscript` is
 * missing and the process runs as root, it runs `apt-get install -y
 * r-base-core r-cran-forecast r-cran-jsonlite`.
 *
 * @module
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { AnnualSeries } from '../src/data/schemas.js';
import type { YearValue } from '../src/data/yearValue.js';
import { backtestPanel } from '../src/evaluate/backtest.js';
import type { BacktestForecast, BacktestMethod, PanelBacktestResult } from '../src/evaluate/backtestTypes.js';
import { streamSeed } from '../src/math/rng.js';
import type { PanelEvidence } from '../src/models/selectMethod.js';
import { METHOD_NAMES } from '../src/models/types.js';
import { forecast } from '../src/project/forecast.js';
import { calibrateConformal, scoreConformal } from '../src/evaluate/conformalBacktest.js';
import type { ConformalShape } from '../src/uncertainty/conformal.js';
import { benchmarkPanel } from './lib/dfeData.js';
import { arr, R_LABEL, R_METHODS, runR, type RMethod, type ROut, type RSeries } from './lib/rForecast.js';
import { cover, f3, inside, keyOf, maseOf, median, msf, pct, scoredOf, type Cover, type Scored } from './lib/scoring.js';

const ORIGINS = [2014, 2015, 2016, 2017, 2019, 2020, 2021, 2022, 2023];
const H = 3;
const LEVELS = [80, 95] as const;
const METHODS: BacktestMethod[] = [...METHOD_NAMES, 'auto'];
/** auto following the panel's own evidence as known at each origin (backtestPanel evidence: 'asKnown'). */
const EV = 'auto + panel evidence' as const;
type Row = BacktestMethod | typeof EV;
const ROWS: Row[] = [...METHODS, EV];
/** The method forecast() is asked for on a row. */
const methodOf = (m: Row): BacktestMethod => (m === EV ? 'auto' : m);
/** Errors a calibrated step needs before its forecasts are scored in (b): a finite 95% quantile in both shapes. */
const MIN_CAL = 39;

interface Args {
  data: string | undefined;
  r: boolean;
  paths: number;
  runs: number;
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { data: process.env.CARECAST_DFE_DIR, r: true, paths: 1000, runs: 3 };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    if (x === '--data') a.data = String(argv[++i]);
    else if (x === '--no-r') a.r = false;
    else if (x === '--paths') a.paths = Number(argv[++i]);
    else if (x === '--runs') a.runs = Number(argv[++i]);
    else throw new Error(`unknown argument ${x}; usage: npx tsx benchmarks/accuracy-dfe.ts [--data DIR] [--no-r] [--paths 1000] [--runs 3]`);
  }
  if (!Number.isInteger(a.paths) || a.paths < 10) throw new Error('--paths must be a whole number of at least 10');
  if (!Number.isInteger(a.runs) || a.runs < 1) throw new Error('--runs must be a whole number of at least 1');
  return a;
}

// ---- main ---------------------------------------------------------------------------------

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const command = ['npx tsx benchmarks/accuracy-dfe.ts', ...process.argv.slice(2)].join(' ');
  const tAll = performance.now();
  const load0 = performance.now();
  const { panel, cic, source: dataSource } = benchmarkPanel(args.data);
  const loadMs = performance.now() - load0;

  // (a) rolling-origin backtests, one method at a time (each on the origins its training length allows)
  const bt = new Map<Row, PanelBacktestResult>();
  const btMs = new Map<Row, number>();
  for (const m of ROWS) {
    const t0 = performance.now();
    bt.set(m, backtestPanel(cic, { methods: [methodOf(m)], horizon: H, origins: ORIGINS, levels: [...LEVELS], ...(m === EV ? { evidence: 'asKnown' as const } : {}) }));
    btMs.set(m, performance.now() - t0);
  }
  const evidenceAt = bt.get(EV)!.evidence ?? new Map<number, PanelEvidence>();
  /** The options forecast() needs to reproduce a row's forecasts at an origin. */
  const asked = (m: Row, origin: number): { method: BacktestMethod; evidence?: PanelEvidence } => {
    const e = m === EV ? evidenceAt.get(origin) : undefined;
    return { method: methodOf(m), ...(e ? { evidence: e } : {}) };
  };
  const autoBt = bt.get('auto')!;

  // slices: (area, origin) -> training points and steps, from auto's backtest (the widest set of origins)
  interface Slice {
    area: string;
    origin: number;
    steps: number;
    points: YearValue[];
  }
  const slices: Slice[] = [];
  const actualOf = new Map<string, Map<number, number | null>>();
  for (const [name, r] of autoBt.byArea) {
    const pts = cic.get(name)!.points.map((p) => ({ year: p.year, value: p.value }));
    actualOf.set(name, new Map(pts.map((p) => [p.year, p.value])));
    const last = Math.max(...pts.filter((p) => p.value !== null).map((p) => p.year));
    for (const o of r.origins) slices.push({ area: name, origin: o, steps: Math.min(H, last - o), points: pts.filter((p) => p.year <= o) });
  }
  const scaleOf = new Map<string, number>();
  for (const r of autoBt.byArea.values()) for (const f of r.forecasts) scaleOf.set(`${f.area}|${f.origin}`, f.scale);

  // scored rows per carecast method (analytic bands from the backtest)
  const rows = new Map<string, Map<string, Scored>>();
  for (const m of ROWS) {
    const map = new Map<string, Scored>();
    for (const r of bt.get(m)!.byArea.values()) {
      for (const f of r.forecasts) {
        const row = scoredOf(f);
        if (row) map.set(keyOf(f.area, f.origin, f.h), row);
      }
    }
    rows.set(m, map);
  }

  // bootstrap and per-series conformal bands on the same slices (the origins each method's backtest used)
  const bootMs = new Map<Row, number>();
  const seriesConfMs = new Map<Row, number>();
  const originsOf = new Map<Row, Map<string, readonly number[]>>();
  for (const m of ROWS) originsOf.set(m, new Map([...bt.get(m)!.byArea].map(([a, r]) => [a, r.origins])));
  for (const m of ROWS) {
    const map = rows.get(m)!;
    const mine = slices.filter((s) => originsOf.get(m)!.get(s.area)?.includes(s.origin));
    for (const kind of ['bootstrap', 'conformal'] as const) {
      const t0 = performance.now();
      mine.forEach((s, i) => {
        let p;
        try {
          p = forecast(s.points, {
            ...asked(m, s.origin),
            horizon: s.steps,
            levels: [...LEVELS],
            intervals: kind,
            ...(kind === 'bootstrap' ? { bootstrap: { paths: args.paths, seed: streamSeed(2026, i) } } : {}),
          });
        } catch {
          return;
        }
        for (let h = 1; h <= s.steps; h++) {
          const row = map.get(keyOf(s.area, s.origin, h));
          if (!row) continue;
          const v: [boolean, boolean] = [inside(row.actual, p.intervals[0].lower[h - 1], p.intervals[0].upper[h - 1]), inside(row.actual, p.intervals[1].lower[h - 1], p.intervals[1].upper[h - 1])];
          if (kind === 'bootstrap') row.boot = v;
          else row.series = v;
        }
      });
      (kind === 'bootstrap' ? bootMs : seriesConfMs).set(m, performance.now() - t0);
    }
  }

  // (b) pooled conformal, calibrated as known at the time (targets <= origin), and leave-one-area-out
  interface ConfOut {
    rt: Record<ConformalShape, Cover>;
    rtKeys: Set<string>;
    lolo: Record<ConformalShape, Cover>;
    rtByH: Map<number, Cover>;
  }
  const conf = new Map<Row, ConfOut>();
  for (const m of ROWS) {
    const b = bt.get(m)!;
    const all: BacktestForecast[] = [...b.byArea.values()].flatMap((r) => r.forecasts);
    const out: ConfOut = {
      rt: { symmetric: { n: 0, c80: 0, c95: 0 }, asymmetric: { n: 0, c80: 0, c95: 0 } },
      rtKeys: new Set(),
      lolo: { symmetric: { n: 0, c80: 0, c95: 0 }, asymmetric: { n: 0, c80: 0, c95: 0 } },
      rtByH: new Map(),
    };
    const add = (c: Cover, s: ReturnType<typeof scoreConformal>): void => {
      c.n += s.levels[0].n;
      c.c80 += s.levels[0].covered;
      c.c95 += s.levels[1].covered;
    };
    for (const shape of ['symmetric', 'asymmetric'] as const) {
      for (const o of ORIGINS) {
        const cal = calibrateConformal(b, { method: methodOf(m), levels: [...LEVELS], shape, include: (f) => f.target <= o });
        const ok = new Set(cal.steps.filter((s) => s.n >= MIN_CAL).map((s) => s.h));
        const evalRows = all.filter((f) => f.origin === o && f.actual !== null && ok.has(f.h));
        if (evalRows.length === 0) continue;
        const s = scoreConformal(evalRows, cal);
        add(out.rt[shape], s);
        if (shape === 'symmetric') {
          for (const f of evalRows) out.rtKeys.add(keyOf(f.area, f.origin, f.h));
          for (const st of s.byStep) {
            const c = out.rtByH.get(st.h) ?? { n: 0, c80: 0, c95: 0 };
            c.n += st.levels[0].n;
            c.c80 += st.levels[0].covered;
            c.c95 += st.levels[1].covered;
            out.rtByH.set(st.h, c);
          }
        }
      }
      for (const area of b.byArea.keys()) {
        const cal = calibrateConformal(b, { method: methodOf(m), levels: [...LEVELS], shape, include: (_f, key) => key !== area });
        add(out.lolo[shape], scoreConformal(b.byArea.get(area)!.forecasts, cal));
      }
      for (const c of [out.rt[shape], out.lolo[shape]]) {
        c.c80 = c.n ? c.c80 / c.n : NaN;
        c.c95 = c.n ? c.c95 / c.n : NaN;
      }
    }
    for (const c of out.rtByH.values()) {
      c.c80 /= c.n;
      c.c95 /= c.n;
    }
    conf.set(m, out);
  }

  // timing of fit + forecast alone, as R times it: every (area, origin) slice through forecast()
  const fitMs = new Map<Row, number>();
  const ccFits = new Map<Row, number>();
  for (const m of ROWS) {
    const mine = slices.filter((s) => {
      if (!originsOf.get(m)!.get(s.area)?.includes(s.origin)) return false;
      try {
        forecast(s.points, { ...asked(m, s.origin), horizon: s.steps, levels: [...LEVELS] });
        return true;
      } catch {
        return false; // e.g. loglinear on a series with a zero: a failure the backtest also records
      }
    });
    ccFits.set(m, mine.length);
    const once = (): void => {
      for (const s of mine) forecast(s.points, { ...asked(m, s.origin), horizon: s.steps, levels: [...LEVELS] });
    };
    once();
    const runs: number[] = [];
    for (let i = 0; i < args.runs; i++) {
      const t0 = performance.now();
      once();
      runs.push(performance.now() - t0);
    }
    fitMs.set(m, median(runs));
  }

  // (c) R on identical training data (2018 filled as forecast() fills it)
  const rSeries: RSeries[] = [];
  for (const [name, r] of autoBt.byArea) {
    const hist = forecast(cic.get(name)!, { method: 'naive', horizon: 1 }).history;
    const start = hist[0].year;
    const last = hist[hist.length - 1].year;
    rSeries.push({ area: name, start, y: hist.map((p) => p.used), origins: r.origins.map((o) => ({ origin: o, n: o - start + 1, h: Math.min(H, last - o) })) });
  }
  let rOut: ROut | undefined;
  let rSkip: string | undefined;
  const tR = performance.now();
  if (args.r) {
    const o = runR(rSeries, LEVELS);
    if (typeof o === 'string') rSkip = o;
    else rOut = o;
  } else rSkip = 'skipped (--no-r)';
  const rWallMs = performance.now() - tR;
  const rRows = new Map<RMethod, Map<string, Scored>>();
  if (rOut) {
    for (const m of R_METHODS) {
      const map = new Map<string, Scored>();
      const res = rOut.methods[m];
      rSeries.forEach((s, i) => {
        s.origins.forEach((o, j) => {
          const fc = res.series[i][j];
          if (!fc || fc.error) return;
          const mean = arr(fc.mean);
          const [l8, u8, l9, u9] = [arr(fc.lo80), arr(fc.hi80), arr(fc.lo95), arr(fc.hi95)];
          for (let h = 1; h <= o.h; h++) {
            const actual = actualOf.get(s.area)!.get(o.origin + h);
            if (actual === undefined || actual === null) continue;
            const point = mean[h - 1];
            if (point === null || point === undefined || !Number.isFinite(point)) continue;
            const scale = scaleOf.get(`${s.area}|${o.origin}`) ?? NaN;
            map.set(keyOf(s.area, o.origin, h), {
              area: s.area,
              origin: o.origin,
              h,
              actual,
              point,
              scale,
              ase: scale > 0 ? Math.abs(point - actual) / scale : NaN,
              own: [inside(actual, l8[h - 1], u8[h - 1]), inside(actual, l9[h - 1], u9[h - 1])],
            });
          }
        });
      });
      rRows.set(m, map);
    }
  }

  // ---- report --------------------------------------------------------------------------------
  const autoRows = rows.get('auto')!;
  const pairedAuto = (map: Map<string, Scored>): number => maseOf([...map.keys()].map((k) => autoRows.get(k)).filter((r): r is Scored => r !== undefined));
  const cpu = os.cpus();
  const L: string[] = [];
  L.push(`- Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${os.type()} ${os.release()} (${os.arch()}), ${Math.round(os.totalmem() / 2 ** 30)} GB RAM; load average at start ${os.loadavg().map((x) => x.toFixed(2)).join(' / ')}`);
  L.push(`- Node ${process.version}; ${rOut ? `${rOut.rVersion}, forecast ${rOut.forecastVersion}` : `R not run: ${rSkip?.split('\n')[0]}`}`);
  L.push(`- Date: ${new Date().toISOString()}`);
  L.push(`- Command: \`${command}\``);
  L.push('');
  const used = autoBt.byArea.size;
  L.push(
    `- Panel: ${dataSource}: ${cic.size} authorities (loaded in ${msf(loadMs)} ms), years ${panel.years[0]}-${panel.years.at(-1)}, missing ${panel.missingYears.join(', ')}. ` +
      `Backtested: ${used} authorities (auto); left out: ${autoBt.skipped.map((s) => s.area).join(', ') || 'none'} (too few years for an origin from 2014).`,
  );
  L.push(
    `- Origins ${ORIGINS.join(', ')} (training from the first year, 2011 for most), steps 1-${H} up to ${panel.years.at(-1)}; 2018 is never scored, and is filled by a straight line between 2017 and 2019 in training data from origin 2019 on, on both sides. ` +
      `${slices.length} (area, origin) fits for auto and the R methods, ${autoRows.size} scored forecasts.`,
  );
  L.push('');
  L.push('**Point accuracy, the methods\u2019 own bands (carecast: analytic; R: its own) and wall time over the whole panel**');
  L.push('');
  L.push('| side | method | origins | scored forecasts | MASE | auto MASE on the same forecasts | cover 80% | cover 95% | fits | wall ms (fit + forecast, whole panel) | `ets` time per fit / this method\u2019s |');
  L.push('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  const etsPerFit = rOut ? rOut.methods.ets.ms / rOut.nFits : undefined;
  for (const m of ROWS) {
    const map = rows.get(m)!;
    const os2 = [...new Set([...map.values()].map((r) => r.origin))].sort((a, b) => a - b);
    const c = cover([...map.values()], (r) => r.own);
    const t = fitMs.get(m)!;
    L.push(
      `| carecast | ${m} | ${os2[0]}-${os2.at(-1)} | ${map.size} | ${f3(maseOf([...map.values()]))} | ${m === 'auto' ? '—' : f3(pairedAuto(map))} | ${pct(c.c80)} | ${pct(c.c95)} | ${ccFits.get(m)} | ${msf(t)} | ${etsPerFit !== undefined ? `${(etsPerFit / (t / (ccFits.get(m) ?? 1))).toFixed(0)}×` : '—'} |`,
    );
  }
  if (rOut) {
    for (const m of R_METHODS) {
      const map = rRows.get(m)!;
      const c = cover([...map.values()], (r) => r.own);
      const res = rOut.methods[m];
      L.push(
        `| R | ${R_LABEL[m]} | ${ORIGINS[0]}-${ORIGINS.at(-1)} | ${map.size} | ${f3(maseOf([...map.values()]))} | ${f3(pairedAuto(map))} | ${pct(c.c80)} | ${pct(c.c95)} | ${rOut.nFits}${res.failures ? ` (${res.failures} failed)` : ''} | ${msf(res.ms)} | ${etsPerFit !== undefined ? `${(etsPerFit / (res.ms / (rOut.nFits - res.failures))).toFixed(1)}×` : '—'} |`,
      );
    }
  }
  L.push('');
  L.push(
    '`origins`: the origins the method could use (its minimum training length). MASE: mean of |forecast - actual| / (mean absolute yearly change of the training window) over every scored forecast. ' +
      '`auto MASE on the same forecasts`: auto scored on exactly the (area, origin, step) forecasts of that row, the paired comparison. ' +
      'Wall time: carecast = `forecast()` (analytic bands) on every (area, origin) slice, median of ' +
      `${args.runs} runs after a warm-up; R = one timed run after a warm-up on 5 series (fit + forecast with 80/95% intervals).`,
  );
  L.push('');
  L.push('**Interval coverage by band method (carecast, 80% / 95%)**');
  L.push('');
  L.push('| method | analytic, all | bootstrap, all | per-series conformal, all | pooled conformal as known at the time (symmetric) | same forecasts: analytic | same: bootstrap | pooled conformal as known (asymmetric) | leave-one-area-out conformal (symmetric) | forecasts in the conformal columns |');
  L.push('|---|---|---|---|---|---|---|---|---|---:|');
  const pair = (c: Cover): string => `${pct(c.c80)} / ${pct(c.c95)}`;
  for (const m of ROWS) {
    const all = [...rows.get(m)!.values()];
    const cf = conf.get(m)!;
    const same = all.filter((r) => cf.rtKeys.has(keyOf(r.area, r.origin, r.h)));
    L.push(
      `| ${m} | ${pair(cover(all, (r) => r.own))} | ${pair(cover(all, (r) => r.boot))} | ${pair(cover(all, (r) => r.series))} | ${pair(cf.rt.symmetric)} | ${pair(cover(same, (r) => r.own))} | ${pair(cover(same, (r) => r.boot))} | ${pair(cf.rt.asymmetric)} | ${pair(cf.lolo.symmetric)} | ${cf.rt.symmetric.n} (LOAO ${cf.lolo.symmetric.n}) |`,
    );
  }
  L.push('');
  L.push(`Pooled conformal "as known at the time": the forecasts made at origin o are scored with bands calibrated on all areas' errors whose target year is <= o; a step is scored only when its calibration rests on at least ${MIN_CAL} errors. So it covers origins ${[...new Set([...conf.get('auto')!.rtKeys].map((k) => Number(k.split('|')[1])))].sort().join(', ')} (auto), not all of (a).`);
  L.push('');
  L.push('**By step, auto (80% / 95%)**');
  L.push('');
  L.push('| h | forecasts | MASE | analytic | bootstrap | per-series conformal | pooled conformal as known (symmetric): forecasts, coverage | auto + panel evidence: MASE | R `ets` (MASE, coverage) | R `naive` (MASE, coverage) |');
  L.push('|---:|---:|---:|---|---|---|---|---:|---|---|');
  for (let h = 1; h <= H; h++) {
    const a = [...autoRows.values()].filter((r) => r.h === h);
    const c = conf.get('auto')!.rtByH.get(h);
    const rr = (m: RMethod): string => {
      const x = rRows.get(m) ? [...rRows.get(m)!.values()].filter((r) => r.h === h) : [];
      return x.length ? `${f3(maseOf(x))}, ${pair(cover(x, (r) => r.own))}` : '—';
    };
    const ev = [...rows.get(EV)!.values()].filter((r) => r.h === h);
    L.push(`| ${h} | ${a.length} | ${f3(maseOf(a))} | ${pair(cover(a, (r) => r.own))} | ${pair(cover(a, (r) => r.boot))} | ${pair(cover(a, (r) => r.series))} | ${c ? `${c.n}, ${pair(c)}` : '—'} | ${f3(maseOf(ev))} | ${rr('ets')} | ${rr('naive')} |`);
  }
  L.push('');
  const choices = new Map<string, number>();
  for (const r of autoBt.byArea.values()) for (const c of r.autoChoices) choices.set(c.method, (choices.get(c.method) ?? 0) + 1);
  L.push(`- \`auto\` chose (over all areas and origins): ${[...choices].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}.`);
  const evChoices = new Map<string, number>();
  for (const r of bt.get(EV)!.byArea.values()) for (const c of r.autoChoices) evChoices.set(c.method, (evChoices.get(c.method) ?? 0) + 1);
  L.push(
    `- \`auto + panel evidence\` (as known at each origin: every method's and per-series auto's errors on all areas with target years up to the origin, \`panelEvidence\`'s rule): ` +
      `${[...evidenceAt].map(([o, e]) => `${o}: ${e.method} (${e.scores.slice(0, 3).map((x) => `${x.strategy} ${f3(x.mase)}`).join(', ')}; ${e.forecasts} forecasts)`).join('; ')}. ` +
      `Chosen over all areas and origins: ${[...evChoices].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
  );
  // sanity: same method on both sides gives the same points
  if (rOut) {
    for (const [cm, rm] of [['naive', 'naive'], ['drift', 'drift'], ['theta', 'theta']] as const) {
      const a = rows.get(cm)!;
      const b = rRows.get(rm)!;
      let maxd = 0;
      let n = 0;
      for (const [k, r] of b) {
        const c = a.get(k);
        if (!c) continue;
        n++;
        maxd = Math.max(maxd, Math.abs(c.point - r.point));
      }
      L.push(`- Check: carecast ${cm} vs R ${R_LABEL[rm]} point forecasts on ${n} common forecasts: largest difference ${maxd.toExponential(1)} children.`);
    }
  }
  L.push(
    `- Time: backtestPanel per method (ms): ${ROWS.map((m) => `${m} ${msf(btMs.get(m))}`).join(', ')} (with the evidence: the backtest of every candidate first); bootstrap bands (${args.paths} paths, all slices): ${ROWS.map((m) => `${m} ${msf(bootMs.get(m))}`).join(', ')}; ` +
      `per-series conformal: ${ROWS.map((m) => `${m} ${msf(seriesConfMs.get(m))}`).join(', ')}. R process ${msf(rWallMs)} ms in all (warm-ups and start-up included). Whole benchmark ${((performance.now() - tAll) / 1000).toFixed(1)} s.`,
  );
  if (rOut) L.push(`- R warm-up (first 5 series, ms): ${R_METHODS.map((m) => `${m} ${msf(rOut!.methods[m].warmupMs)}`).join(', ')}; R peak RSS ${rOut.peakRssBytes ? `${(rOut.peakRssBytes / 2 ** 20).toFixed(0)} MB` : '—'}.`);
  L.push('');

  // goals
  L.push('**Goals**');
  L.push('');
  const autoMase = maseOf([...autoRows.values()]);
  if (rOut) {
    const best = R_METHODS.map((m) => ({ m, mase: maseOf([...rRows.get(m)!.values()]), paired: pairedAuto(rRows.get(m)!) })).sort((a, b) => a.mase - b.mase)[0];
    const evRows = rows.get(EV)!;
    const evPaired = maseOf([...rRows.get(best.m)!.keys()].map((k) => evRows.get(k)).filter((r): r is Scored => r !== undefined));
    L.push(
      `- auto MASE no worse than R's best single method: R's best is ${R_LABEL[best.m]} at ${f3(best.mase)}. ` +
        `auto, each series choosing alone, on the same forecasts ${f3(best.paired)} (all its forecasts ${f3(autoMase)}): **${best.paired <= best.mase + 1e-12 ? 'met' : 'not met'}**; ` +
        `auto following the panel's evidence as known at each origin, on the same forecasts ${f3(evPaired)}: **${evPaired <= best.mase + 1e-12 ? 'met' : 'not met'}**.`,
    );
  }
  const ac = cover([...autoRows.values()], (r) => r.own);
  const ab = cover([...autoRows.values()], (r) => r.boot);
  const acf = conf.get('auto')!.rt.symmetric;
  const ecf = conf.get(EV)!.rt.symmetric;
  const within = (c: Cover): string => (Math.abs(c.c80 - 0.8) <= 0.05 && Math.abs(c.c95 - 0.95) <= 0.05 ? 'met' : 'not met');
  L.push(
    `- 80% and 95% coverage within 5 points (auto): analytic ${pair(ac)} **${within(ac)}**; bootstrap ${pair(ab)} **${within(ab)}**; pooled conformal as known at the time ${pair(acf)} **${within(acf)}**; auto + panel evidence with pooled conformal as known ${pair(ecf)} **${within(ecf)}**.`,
  );
  if (rOut) {
    const ta = fitMs.get('auto')!;
    const td = fitMs.get('dampedTrend')!;
    L.push(
      `- At least 20x faster than R's ets on the whole panel: ets ${msf(rOut.methods.ets.ms)} ms for ${rOut.nFits} fits; carecast auto ${msf(ta)} ms for the same fits: ${(rOut.methods.ets.ms / ta).toFixed(0)}× **${rOut.methods.ets.ms / ta >= 20 ? 'met' : 'not met'}**; ` +
        `dampedTrend ${msf(td)} ms for its ${ccFits.get('dampedTrend')} fits (origins 2020 on): ${(((etsPerFit ?? NaN) * (ccFits.get('dampedTrend') ?? 0)) / td).toFixed(0)}× per fit against ets **${((etsPerFit ?? NaN) * (ccFits.get('dampedTrend') ?? 0)) / td >= 20 ? 'met' : 'not met'}**.`,
    );
  }
  console.log(L.join('\n'));
}

main();
