/**
 * Benchmark (issue 12): accuracy, bands and speed of every carecast method and of the default
 * strategy on the DfE panel, side by side with R's forecast package, exactly as the pre-registration
 * fixes it (docs/preregistration/issue-12-global-models.md, "Data and evaluation design", "Goals",
 * and the decisions recorded at its end).
 *
 * - Data: every LA of the DfE panel (`loadDfePanel()`), children looked after at 31 March, 2011-2024;
 *   2018 is not published for LAs: never an origin or a scored target, filled by the straight line
 *   between 2017 and 2019 in training data (both sides).
 * - Evaluated: origins 2014-2017 and 2019-2023, every LA with at least 4 published values up to the
 *   origin, steps 1-8 with target at most 2024; ranges 1-3 and 4-8.
 * - carecast: the seven single-series methods, per-series `auto`, the four global methods fitted as
 *   known at each origin (`backtestPanel`; the rate ones with every LA's population), the ablations
 *   (panelGrowth with w = 1, w = 0, phi = 1; panelAR without its series effect), the default strategy
 *   as known at each origin (panel evidence from errors with target <= origin, steps 1-3, the
 *   pre-registered rule, over every method's and per-series auto's backtests at every origin each
 *   allows), and the default reconciled with England (`forecastPanel(..., { reconcile: 'england' })`).
 * - Bands: each method's own (analytic) bands, and pooled conformal bands calibrated as known (errors
 *   with target <= origin, steps with at least 39 errors calibrated, the power law beyond); the
 *   default's from the errors of the strategy in use at that origin, the reconciled default's from
 *   reconciled errors.
 * - Scores: MASE on the forecasts every method shares (standard error by resampling LAs, 1000 draws,
 *   seed 1), coverage at 80/95% per step, scaled Winkler score, scaled CRPS.
 * - R, same run: `naive`, `ets`, `thetaf`, `auto.arima` on the same training series with R's own
 *   80/95% intervals (benchmarks/r-accuracy-dfe.R).
 * - Speed: per fit, carecast against R; `forecastPanel` on every LA with the default strategy and bands.
 *
 * Usage: `npx tsx benchmarks/accuracy-dfe.ts [--data DIR] [--no-r] [--runs 3]`
 *
 * @module
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { dfePanelPopulations, type SeriesPopulation } from '../src/data/ons/panelPopulation.js';
import type { AnnualSeries } from '../src/data/schemas.js';
import { backtestPanel } from '../src/evaluate/backtest.js';
import type { BacktestForecast, BacktestMethod, PanelBacktestResult } from '../src/evaluate/backtestTypes.js';
import { calibrateConformal } from '../src/evaluate/conformalBacktest.js';
import { panelEvidence } from '../src/evaluate/panelEvidence.js';
import { fitGlobal } from '../src/models/global/fitGlobal.js';
import type { GlobalFit } from '../src/models/global/shared.js';
import { isGlobalMethodName, type MethodOptions } from '../src/models/registry.js';
import type { PanelEvidence } from '../src/models/selectMethod.js';
import { GLOBAL_METHOD_NAMES, METHOD_NAMES, type AnyMethodName, type GlobalMethodName } from '../src/models/types.js';
import { forecast, type Projection } from '../src/project/forecast.js';
import { forecastPanel } from '../src/system/forecastPanel.js';
import { calibrateConformalErrors, type ConformalCalibration } from '../src/uncertainty/conformal.js';
import {
  areaSums,
  bootstrapAreas,
  conformalScore,
  count,
  f2,
  f3,
  keyOf,
  meanOf,
  median,
  msf,
  pct,
  rBandScore,
  scoredOf,
  sd,
  type AreaSums,
  type Scored,
} from './lib/accuracyScores.js';
import { benchmarkPanel } from './lib/dfeData.js';
import { arr, runR, type RMethod, type ROut, type RSeries } from './lib/rForecast.js';

const ORIGINS = [2014, 2015, 2016, 2017, 2019, 2020, 2021, 2022, 2023];
const H = 8;
const RANGES = [
  { name: '1-3', lo: 1, hi: 3 },
  { name: '4-8', lo: 4, hi: 8 },
] as const;
const LEVELS = [80, 95];
/** An (LA, origin) is evaluated when the LA has at least this many published values up to the origin. */
const MIN_YEARS = 4;
/** The evidence's steps (panelEvidence's rule, pre-registered). */
const EVIDENCE_STEPS = 3;
const DRAWS = 1000;
const SEED = 1;

interface Spec {
  readonly label: string;
  readonly method: BacktestMethod;
  readonly methodOptions?: MethodOptions;
  /** The method this ablation changes. */
  readonly parent?: string;
}
const RATE = new Set<string>(['panelGrowthRate', 'panelARRate']);
const BASE_SPECS: Spec[] = [...METHOD_NAMES.map((m) => ({ label: m, method: m })), { label: 'auto', method: 'auto' }, ...GLOBAL_METHOD_NAMES.map((m) => ({ label: m, method: m }))];
const ABLATIONS: Spec[] = [
  { label: 'panelGrowth, w = 1 (no shrinkage)', method: 'panelGrowth', methodOptions: { panelGrowth: { w: 1 } }, parent: 'panelGrowth' },
  { label: 'panelGrowth, w = 0 (panel growth only)', method: 'panelGrowth', methodOptions: { panelGrowth: { w: 0 } }, parent: 'panelGrowth' },
  { label: 'panelGrowth, phi = 1 (no damping)', method: 'panelGrowth', methodOptions: { panelGrowth: { phi: 1 } }, parent: 'panelGrowth' },
  { label: 'panelAR without m (no series effect)', method: 'panelAR', methodOptions: { panelAR: { seriesEffect: false } }, parent: 'panelAR' },
];
const SPECS = [...BASE_SPECS, ...ABLATIONS];
const DEFAULT = 'default (panel evidence as known)';
const RECONCILED = 'default, reconciled with England';
const R_ASKED: readonly RMethod[] = ['naive', 'ets', 'theta', 'arima'];
const R_NAME: Record<string, string> = { naive: 'R `naive(y)`', ets: 'R `ets(y)`', theta: 'R `thetaf(y)`', arima: 'R `auto.arima(y)`' };

interface Args {
  data: string | undefined;
  r: boolean;
  runs: number;
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { data: process.env.CARECAST_DFE_DIR, r: true, runs: 3 };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    if (x === '--data') a.data = String(argv[++i]);
    else if (x === '--no-r') a.r = false;
    else if (x === '--runs') a.runs = Number(argv[++i]);
    else throw new Error(`unknown argument ${x}; usage: npx tsx benchmarks/accuracy-dfe.ts [--data DIR] [--no-r] [--runs 3]`);
  }
  if (!Number.isInteger(a.runs) || a.runs < 1) throw new Error('--runs must be a whole number of at least 1');
  return a;
}

const rowsOf = (bt: PanelBacktestResult): BacktestForecast[] => [...bt.byArea.values()].flatMap((r) => r.forecasts);

function trainingScale(p: Projection): number {
  const h = p.history;
  let s = 0;
  for (let i = 1; i < h.length; i++) s += Math.abs(h[i].used - h[i - 1].used);
  return h.length > 1 ? s / (h.length - 1) : Number.NaN;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const command = ['npx tsx benchmarks/accuracy-dfe.ts', ...process.argv.slice(2)].join(' ');
  const tAll = performance.now();
  const loadAvg = os.loadavg();
  const { panel, cic, source: dataSource } = benchmarkPanel(args.data);
  const england = panel.series.get('England')!.childrenInCare;
  const populations = dfePanelPopulations(panel).populations;
  const englandPopulation: SeriesPopulation | undefined = dfePanelPopulations(panel, { level: 'national' }).populations.get('England');
  const published = new Map<string, Map<number, number>>();
  for (const [k, s] of cic) published.set(k, new Map(s.points.filter((p) => p.value !== null).map((p) => [p.year, p.value as number])));
  const observedUpTo = (area: string, o: number): number => [...published.get(area)!.keys()].filter((y) => y <= o).length;
  const evaluated = (area: string, o: number): boolean => ORIGINS.includes(o) && published.get(area)!.has(o) && observedUpTo(area, o) >= MIN_YEARS;

  // ---- backtests of every method, every origin each allows, 8 steps (the global methods fitted as known at each origin)
  const bt = new Map<string, PanelBacktestResult>();
  const btMs = new Map<string, number>();
  for (const s of SPECS) {
    const t0 = performance.now();
    bt.set(s.label, backtestPanel(cic, { methods: [s.method], horizon: H, ...(RATE.has(s.method) ? { populations } : {}), ...(s.methodOptions ? { methodOptions: s.methodOptions } : {}) }));
    btMs.set(s.label, performance.now() - t0);
    console.error(`backtest ${s.label}: ${msf(btMs.get(s.label))} ms`);
  }
  const t3 = performance.now();
  const auto3 = backtestPanel(cic, { methods: ['auto'], horizon: EVIDENCE_STEPS });
  btMs.set('auto (3 steps, for the evidence)', performance.now() - t3);

  // ---- the evidence as known at each origin: every method's and per-series auto's errors with target <= origin, steps 1-3
  const candidates: BacktestForecast[] = [...BASE_SPECS.filter((s) => s.method !== 'auto').flatMap((s) => rowsOf(bt.get(s.label)!)), ...rowsOf(auto3)];
  const evidenceAt = new Map<number, PanelEvidence | undefined>();
  for (const o of ORIGINS) {
    let e: PanelEvidence | undefined;
    try {
      e = panelEvidence(candidates, { asOf: o, maxStep: EVIDENCE_STEPS, source: `DfE LAs' backtest errors known by ${o}` });
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
    }
    evidenceAt.set(o, e);
  }
  const strategyAt = (o: number): AnyMethodName | 'auto' => evidenceAt.get(o)?.method ?? 'auto';

  // ---- the default strategy as known at each origin
  const fits = new Map<string, GlobalFit>();
  const fitAt = (m: GlobalMethodName, o: number): GlobalFit => {
    const k = `${m}|${o}`;
    if (!fits.has(k)) fits.set(k, fitGlobal(m, cic, { origin: o, ...(RATE.has(m) ? { population: populations } : {}) }));
    return fits.get(k)!;
  };
  const defaultRows: BacktestForecast[] = [];
  const tDef = performance.now();
  for (const o of ORIGINS) {
    const e = evidenceAt.get(o);
    const r = backtestPanel(cic, { methods: ['auto'], horizon: H, origins: [o], populations, ...(e ? { evidence: e } : {}) });
    defaultRows.push(...rowsOf(r));
  }
  btMs.set(DEFAULT, performance.now() - tDef);

  // ---- reconciliation with England by forecastPanel: the default at each origin, and the strategies in use at every origin (for their calibration)
  const allOrigins = [...new Set(rowsOf(bt.get('naive')!).map((f) => f.origin))].sort((a, b) => a - b);
  interface RecRow {
    area: string;
    origin: number;
    h: number;
    target: number;
    actual: number | null;
    point: number;
    base: number;
    scale: number;
  }
  const recFailures: string[] = [];
  const reconcileAt = (o: number, method: AnyMethodName | 'auto' | 'evidence', evidence?: PanelEvidence): RecRow[] => {
    const series = new Map<string, AnnualSeries>();
    for (const [k, s] of cic) if (published.get(k)!.has(o)) series.set(k, { ...s, points: s.points.filter((p) => p.year <= o) });
    const g = method === 'evidence' ? (evidence?.method !== undefined && evidence.method !== 'auto' && isGlobalMethodName(evidence.method) ? evidence.method : undefined) : method !== 'auto' && isGlobalMethodName(method) ? method : undefined;
    try {
      const r = forecastPanel(series, {
        to: o + H,
        method,
        ...(evidence ? { evidence } : {}),
        ...(g ? { fit: fitAt(g, o) } : {}),
        intervals: 'analytic',
        populations,
        reconcile: 'england',
        england: { ...england, points: england.points.filter((p) => p.year <= o) },
        ...(englandPopulation ? { englandPopulation } : {}),
      });
      const out: RecRow[] = [];
      for (const a of r.reconciliation!.areas) {
        const p = r.byArea.get(a)!;
        const scale = trainingScale(p);
        p.years.forEach((target, i) => {
          if (target > 2024) return;
          const v = published.get(a)!.get(target);
          out.push({ area: a, origin: o, h: i + 1, target, actual: v === undefined ? null : v, point: p.point[i], base: p.reconciliation!.basePoint[i], scale });
        });
      }
      return out;
    } catch (e) {
      recFailures.push(`${method} at ${o}: ${(e as Error).message.split('\n')[0]}`);
      return [];
    }
  };
  const tRec = performance.now();
  const reconciledDefault: RecRow[] = [];
  for (const o of ORIGINS) {
    const e = evidenceAt.get(o);
    reconciledDefault.push(...reconcileAt(o, e ? 'evidence' : 'auto', e));
  }
  const inUse = [...new Set(ORIGINS.map(strategyAt))];
  const reconciledOf = new Map<string, RecRow[]>();
  for (const m of inUse) reconciledOf.set(m, allOrigins.flatMap((o) => reconcileAt(o, m)));
  const recMs = performance.now() - tRec;

  // ---- pooled conformal calibrations as known at each origin
  const calMemo = new Map<string, ConformalCalibration>();
  const calOf = (label: string, method: BacktestMethod, o: number): ConformalCalibration => {
    const k = `${label}|${o}`;
    if (!calMemo.has(k)) calMemo.set(k, calibrateConformal(bt.get(label)!, { method, levels: LEVELS, include: (f) => f.target <= o }));
    return calMemo.get(k)!;
  };
  const defaultCal = (o: number): ConformalCalibration => {
    const m = strategyAt(o);
    return calOf(m, m, o);
  };
  const recCalMemo = new Map<number, ConformalCalibration>();
  const reconciledCal = (o: number): ConformalCalibration => {
    if (!recCalMemo.has(o)) {
      const m = strategyAt(o);
      const byStep: number[][] = Array.from({ length: H }, () => []);
      const areas = new Set<string>();
      for (const r of reconciledOf.get(m)!) {
        if (r.actual === null || r.target > o || !(r.scale > 0)) continue;
        byStep[r.h - 1].push((r.point - r.actual) / r.scale);
        areas.add(r.area);
      }
      recCalMemo.set(o, calibrateConformalErrors(byStep, { method: m, levels: LEVELS, source: 'pooled', areas: areas.size }));
    }
    return recCalMemo.get(o)!;
  };

  // ---- scored forecasts of the evaluation set, per row label
  const scored = new Map<string, Map<string, Scored>>();
  const addRows = (label: string, rows: Iterable<BacktestForecast>, cal: (o: number) => ConformalCalibration | undefined): void => {
    const map = new Map<string, Scored>();
    for (const f of rows) {
      if (!evaluated(f.area, f.origin)) continue;
      const s = scoredOf(f);
      if (!s) continue;
      const c = cal(f.origin);
      const cs = c ? conformalScore(s, c) : null;
      if (cs) s.conformal = cs;
      map.set(keyOf(s.area, s.origin, s.h), s);
    }
    scored.set(label, map);
  };
  for (const s of SPECS) addRows(s.label, rowsOf(bt.get(s.label)!), (o) => calOf(s.label, s.method, o));
  addRows(DEFAULT, defaultRows, defaultCal);
  {
    const map = new Map<string, Scored>();
    for (const r of reconciledDefault) {
      if (!evaluated(r.area, r.origin) || r.actual === null || !(r.scale > 0)) continue;
      const s: Scored = { area: r.area, origin: r.origin, h: r.h, actual: r.actual, point: r.point, scale: r.scale, ase: Math.abs(r.point - r.actual) / r.scale };
      const cs = conformalScore(s, reconciledCal(r.origin));
      if (cs) s.conformal = cs;
      map.set(keyOf(r.area, r.origin, r.h), s);
    }
    scored.set(RECONCILED, map);
  }
  // sanity: forecastPanel's unreconciled points are the backtest's
  let baseDiff = 0;
  let baseN = 0;
  const defaultByKey = new Map(defaultRows.map((f) => [keyOf(f.area, f.origin, f.h), f]));
  for (const r of reconciledDefault) {
    const f = defaultByKey.get(keyOf(r.area, r.origin, r.h));
    if (!f) continue;
    baseN++;
    baseDiff = Math.max(baseDiff, Math.abs(f.point - r.base));
  }

  // ---- R on identical training data
  const rSeries: RSeries[] = [];
  const scaleOf = new Map<string, number>();
  for (const f of rowsOf(bt.get('naive')!)) scaleOf.set(`${f.area}|${f.origin}`, f.scale);
  for (const [name, s] of cic) {
    const os2 = ORIGINS.filter((o) => evaluated(name, o));
    if (os2.length === 0) continue;
    const hist = forecast(s, { method: 'naive', horizon: 1, intervals: 'analytic' }).history;
    const start = hist[0].year;
    const last = hist[hist.length - 1].year;
    const origins = os2.filter((o) => o < last).map((o) => ({ origin: o, n: o - start + 1, h: Math.min(H, last - o) }));
    if (origins.length > 0) rSeries.push({ area: name, start, y: hist.map((p) => p.used), origins });
  }
  let rOut: ROut | undefined;
  let rSkip: string | undefined;
  const tR = performance.now();
  if (args.r) {
    const o = runR(rSeries, LEVELS, R_ASKED);
    if (typeof o === 'string') rSkip = o;
    else rOut = o;
  } else rSkip = 'skipped (--no-r)';
  const rWallMs = performance.now() - tR;
  const etsModels = new Map<string, number>();
  if (rOut) {
    for (const m of R_ASKED) {
      const map = new Map<string, Scored>();
      const res = rOut.methods[m]!;
      rSeries.forEach((s, i) => {
        s.origins.forEach((o, j) => {
          const fc = res.series[i][j];
          if (!fc || fc.error) return;
          if (m === 'ets' && fc.model) etsModels.set(fc.model, (etsModels.get(fc.model) ?? 0) + 1);
          const mean = arr(fc.mean);
          const [l8, u8, l9, u9] = [arr(fc.lo80), arr(fc.hi80), arr(fc.lo95), arr(fc.hi95)];
          for (let h = 1; h <= o.h; h++) {
            const actual = published.get(s.area)!.get(o.origin + h);
            const point = mean[h - 1];
            const scale = scaleOf.get(`${s.area}|${o.origin}`) ?? Number.NaN;
            if (actual === undefined || !Number.isFinite(point) || !(scale > 0)) continue;
            const clip = (v: number): number => Math.max(0, v);
            map.set(keyOf(s.area, o.origin, h), {
              area: s.area,
              origin: o.origin,
              h,
              actual,
              point,
              scale,
              ase: Math.abs(point - actual) / scale,
              own: rBandScore(actual, scale, point, clip(l8[h - 1]), clip(u8[h - 1]), clip(l9[h - 1]), clip(u9[h - 1])),
            });
          }
        });
      });
      scored.set(R_NAME[m], map);
    }
  }

  // ---- the forecasts every method shares: the methods that forecast from every evaluated origin
  const labels = [...scored.keys()];
  const originsOf = (label: string): number[] => [...new Set([...scored.get(label)!.values()].map((r) => r.origin))].sort((a, b) => a - b);
  const core = labels.filter((l) => ORIGINS.every((o) => originsOf(l).includes(o)));
  const late = labels.filter((l) => !core.includes(l));
  const common = new Set([...scored.get(DEFAULT)!.keys()].filter((k) => core.every((l) => scored.get(l)!.has(k))));
  const inRange = (k: string, r: (typeof RANGES)[number]): boolean => {
    const h = Number(k.split('|')[2]);
    return h >= r.lo && h <= r.hi;
  };
  const rowsIn = (label: string, keys: Iterable<string>): Scored[] => [...keys].map((k) => scored.get(label)!.get(k)).filter((r): r is Scored => r !== undefined);

  // point accuracy with bootstrap standard errors (the same draws for every label and the ratio to naive)
  interface Point {
    mase: number;
    se: number;
    n: number;
    ratio: number;
    ratioSe: number;
  }
  const pointOf = new Map<string, Point[]>();
  const naiveLabel = 'naive';
  {
    const measures: AreaSums[] = [];
    for (const l of labels) for (const r of RANGES) measures.push(areaSums(rowsIn(l, [...common].filter((k) => inRange(k, r))), (x) => x.ase));
    const draws = bootstrapAreas(measures, DRAWS, SEED);
    const idx = (l: string, ri: number): number => labels.indexOf(l) * RANGES.length + ri;
    for (const l of labels) {
      pointOf.set(
        l,
        RANGES.map((_, ri) => {
          const m = measures[idx(l, ri)];
          const nv = measures[idx(naiveLabel, ri)];
          const ratios = draws[idx(l, ri)].map((v, d) => v / draws[idx(naiveLabel, ri)][d]);
          const n = [...m.values()].reduce((a, b) => a + b.n, 0);
          return { mase: meanOf(m), se: sd(draws[idx(l, ri)]), n, ratio: meanOf(m) / meanOf(nv), ratioSe: sd(ratios) };
        }),
      );
    }
  }
  // bands on a set of forecasts
  interface Bands {
    n: number;
    c80: number;
    c95: number;
    w80: number;
    w95: number;
    crps: number;
  }
  const bandsOf = (rows: readonly Scored[], pick: (r: Scored) => Scored['own'] | undefined): Bands => {
    let n = 0;
    let a = 0;
    let b = 0;
    let w8 = 0;
    let w9 = 0;
    let c = 0;
    let cn = 0;
    for (const r of rows) {
      const s = pick(r);
      if (!s) continue;
      n++;
      if (s.in80) a++;
      if (s.in95) b++;
      w8 += s.w80;
      w9 += s.w95;
      if (Number.isFinite(s.crps)) {
        c += s.crps;
        cn++;
      }
    }
    return { n, c80: n ? a / n : Number.NaN, c95: n ? b / n : Number.NaN, w80: n ? w8 / n : Number.NaN, w95: n ? w9 / n : Number.NaN, crps: cn ? c / cn : Number.NaN };
  };
  const commonIn = (r: (typeof RANGES)[number]): string[] => [...common].filter((k) => inRange(k, r));
  const stepKeys = (h: number): string[] => [...common].filter((k) => Number(k.split('|')[2]) === h);

  // ---- timing: per fit (carecast forecast() on every evaluated (LA, origin) slice, against R), and the whole panel
  interface Slice {
    area: string;
    origin: number;
    steps: number;
    points: { year: number; value: number | null }[];
  }
  const slices: Slice[] = rSeries.flatMap((s) => s.origins.map((o) => ({ area: s.area, origin: o.origin, steps: o.h, points: cic.get(s.area)!.points.filter((p) => p.year <= o.origin).map((p) => ({ year: p.year, value: p.value })) })));
  const timeFits = (run: (s: Slice) => void): number => {
    for (const s of slices) run(s);
    const runs: number[] = [];
    for (let i = 0; i < args.runs; i++) {
      const t0 = performance.now();
      for (const s of slices) run(s);
      runs.push(performance.now() - t0);
    }
    return median(runs);
  };
  const fitMs = new Map<string, number>();
  fitMs.set('naive', timeFits((s) => forecast(s.points, { method: 'naive', horizon: s.steps, levels: LEVELS, intervals: 'analytic' })));
  fitMs.set('auto', timeFits((s) => forecast(s.points, { method: 'auto', horizon: s.steps, levels: LEVELS, intervals: 'analytic' })));
  fitMs.set('panelGrowth', timeFits((s) => forecast(s.points, { method: 'panelGrowth', panel: fitAt('panelGrowth', s.origin), horizon: s.steps, levels: LEVELS, intervals: 'analytic' })));
  fitMs.set(DEFAULT, timeFits((s) => {
    const e = evidenceAt.get(s.origin);
    const m = strategyAt(s.origin);
    const g = m !== 'auto' && isGlobalMethodName(m) ? m : undefined;
    forecast(s.points, { method: 'auto', ...(e ? { evidence: e } : {}), ...(g ? { panel: fitAt(g, s.origin), ...(populations.get(s.area) ? { population: populations.get(s.area)! } : {}) } : {}), horizon: s.steps, levels: LEVELS, conformal: defaultCal(s.origin) });
  }));
  const whole = panelSeriesOf(cic);
  const panelRuns = (opts: Parameters<typeof forecastPanel>[1], warm: number, runs: number): number[] => {
    for (let i = 0; i < warm; i++) forecastPanel(whole, opts);
    const out: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      forecastPanel(whole, opts);
      out.push(performance.now() - t0);
    }
    return out;
  };
  const panelMs = panelRuns({ to: 2030 }, 3, 20);
  const panelRecMs = panelRuns({ to: 2030, reconcile: 'england' }, 1, 5);
  const one = forecastPanel(whole, { to: 2030 });
  const oneRec = forecastPanel(whole, { to: 2030, reconcile: 'england' });

  // ---- report
  const cpu = os.cpus();
  const L: string[] = [];
  L.push(`- Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${os.type()} ${os.release()} (${os.arch()}), ${Math.round(os.totalmem() / 2 ** 30)} GB RAM; load average at start ${loadAvg.map((x) => x.toFixed(2)).join(' / ')}`);
  L.push(`- Node ${process.version}; ${rOut ? `${rOut.rVersion}, forecast ${rOut.forecastVersion}` : `R not run: ${rSkip?.split('\n')[0]}`}`);
  L.push(`- Date: ${new Date().toISOString()}`);
  L.push(`- Command: \`${command}\``);
  L.push('');
  const evAreas = new Set([...common].map((k) => k.split('|')[0]));
  L.push(
    `- Panel: ${dataSource}: ${cic.size} LAs; evaluated: origins ${ORIGINS.join(', ')}, LAs with at least ${MIN_YEARS} published values up to the origin, steps 1-${H} to ${panel.years.at(-1)} (2018 never scored, filled in training). ` +
      `Forecasts every method shares (the methods forecasting from every origin: ${core.length} rows below, R's included): **${count(common.size)}** from ${evAreas.size} LAs (${count(commonIn(RANGES[0]).length)} at 1-3, ${count(commonIn(RANGES[1]).length)} at 4-8). ` +
      `Methods starting later (${late.join(', ')}) are scored on their own forecasts within those, beside naive and the default on the same.`,
  );
  L.push('');
  L.push('**Point accuracy on the shared forecasts** (MASE ± standard error from resampling LAs, 1000 draws, seed 1; ratio to naive ± its standard error)');
  L.push('');
  L.push('| method | MASE 1-3 | / naive | MASE 4-8 | / naive |');
  L.push('|---|---:|---:|---:|---:|');
  const rowLabel = (l: string): string => (l === DEFAULT || l === RECONCILED ? `**${l}**` : l);
  for (const l of core) {
    const p = pointOf.get(l)!;
    L.push(`| ${rowLabel(l)} | ${f3(p[0].mase)} ± ${f3(p[0].se)} | ${f3(p[0].ratio)} ± ${f3(p[0].ratioSe)} | ${f3(p[1].mase)} ± ${f3(p[1].se)} | ${f3(p[1].ratio)} ± ${f3(p[1].ratioSe)} |`);
  }
  L.push('');
  if (late.length > 0) {
    L.push('**Methods starting at later origins**, on their own forecasts within the shared ones, with naive and the default on exactly the same');
    L.push('');
    L.push('| method | origins | forecasts 1-3 / 4-8 | MASE 1-3 (naive, default) | MASE 4-8 (naive, default) |');
    L.push('|---|---|---:|---|---|');
    for (const l of late) {
      const keys = [...scored.get(l)!.keys()].filter((k) => common.has(k));
      const cell = (r: (typeof RANGES)[number]): string => {
        const ks = keys.filter((k) => inRange(k, r));
        if (ks.length === 0) return '—';
        const m = (lab: string): number => meanOf(areaSums(rowsIn(lab, ks), (x) => x.ase));
        return `${f3(m(l))} (${f3(m(naiveLabel))}, ${f3(m(DEFAULT))})`;
      };
      const os2 = [...new Set(keys.map((k) => Number(k.split('|')[1])))].sort((a, b) => a - b);
      L.push(`| ${l} | ${os2[0] ?? '—'}-${os2.at(-1) ?? '—'} | ${keys.filter((k) => inRange(k, RANGES[0])).length} / ${keys.filter((k) => inRange(k, RANGES[1])).length} | ${cell(RANGES[0])} | ${cell(RANGES[1])} |`);
    }
    L.push('');
  }
  for (const r of RANGES) {
    L.push(`**Bands, ${r.name} years ahead, on the shared forecasts** (coverage at 80% / 95%; Winkler scores and CRPS scaled by each forecast's MASE scale, lower is better)`);
    L.push('');
    L.push('| method | own bands: cover | W80 | W95 | CRPS | pooled conformal as known: cover | W80 | W95 | CRPS | forecasts with conformal bands |');
    L.push('|---|---|---:|---:|---:|---|---:|---:|---:|---:|');
    for (const l of core) {
      const rows = rowsIn(l, commonIn(r));
      const o = bandsOf(rows, (x) => x.own);
      const c = bandsOf(rows, (x) => x.conformal);
      const own = o.n ? `${pct(o.c80)} / ${pct(o.c95)} | ${f2(o.w80)} | ${f2(o.w95)} | ${f3(o.crps)}` : '— | — | — | —';
      const conf = c.n ? `${pct(c.c80)} / ${pct(c.c95)} | ${f2(c.w80)} | ${f2(c.w95)} | ${f3(c.crps)}` : '— | — | — | —';
      L.push(`| ${rowLabel(l)} | ${own} | ${conf} | ${c.n} |`);
    }
    L.push('');
  }
  L.push(
    "Own bands: carecast's analytic bands (the CRPS of the model's distribution, censored at 0), R's own intervals (the CRPS of the normal with R's 95% interval, censored at 0: exact for naive, thetaf and auto.arima, " +
      `an approximation for the ets fits with multiplicative errors: ${[...etsModels].filter(([m]) => /\(M/.test(m)).reduce((a, [, k]) => a + k, 0)} of ${[...etsModels.values()].reduce((a, b) => a + b, 0)}). ` +
      "Pooled conformal as known: at origin o, each method's errors from its backtest at every origin it allows with target year <= o; steps with at least 39 errors calibrated, the power law beyond. " +
      "The default's: the errors of the strategy in use at o (the method the evidence picked, or auto's); the reconciled default's: that strategy's reconciled errors (forecastPanel with reconcile 'england' at every origin).",
  );
  L.push('');
  // by step
  L.push('**By step, on the shared forecasts** (coverage 80% / 95%)');
  L.push('');
  L.push(`| h | forecasts | default MASE | naive MASE | default, pooled conformal as known | default, analytic | naive, pooled conformal as known | reconciled default, conformal on reconciled errors | ${R_NAME.ets} |`);
  L.push('|---:|---:|---:|---:|---|---|---|---|---|');
  const stepCover = new Map<number, { d: ReturnType<typeof bandsOf>; r: ReturnType<typeof bandsOf> }>();
  for (let h = 1; h <= H; h++) {
    const ks = stepKeys(h);
    const d = bandsOf(rowsIn(DEFAULT, ks), (x) => x.conformal);
    const rc = bandsOf(rowsIn(RECONCILED, ks), (x) => x.conformal);
    stepCover.set(h, { d, r: rc });
    const pair = (b: Bands): string => (b.n ? `${pct(b.c80)} / ${pct(b.c95)}` : '—');
    const ets = scored.has(R_NAME.ets) ? pair(bandsOf(rowsIn(R_NAME.ets, ks), (x) => x.own)) : '—';
    L.push(
      `| ${h} | ${ks.length} | ${f3(meanOf(areaSums(rowsIn(DEFAULT, ks), (x) => x.ase)))} | ${f3(meanOf(areaSums(rowsIn(naiveLabel, ks), (x) => x.ase)))} | ${pair(d)}${d.n < ks.length ? ` (${d.n})` : ''} | ${pair(bandsOf(rowsIn(DEFAULT, ks), (x) => x.own))} | ${pair(bandsOf(rowsIn(naiveLabel, ks), (x) => x.conformal))} | ${pair(rc)} | ${ets} |`,
    );
  }
  L.push('');
  // calibration as known per origin: H and k, and how the extrapolated steps covered
  L.push("**The default's pooled conformal calibration as known at each origin** (H: the last step with at least 39 errors; k per level: fitted slope, floored at 0.5)");
  L.push('');
  L.push('| origin | evidence picks | errors (steps 1..8) | H | k 80% (fitted) | k 95% (fitted) | evaluated forecasts beyond H: n, cover 80% / 95% |');
  L.push('|---:|---|---|---:|---|---|---|');
  for (const o of ORIGINS) {
    const c = defaultCal(o);
    const x = c.extrapolation;
    const e80 = x.exponents.find((e) => e.level === 80);
    const e95 = x.exponents.find((e) => e.level === 95);
    const beyond = rowsIn(DEFAULT, [...common].filter((k) => Number(k.split('|')[1]) === o)).filter((r) => r.conformal?.extrapolated);
    const b = bandsOf(beyond, (r) => r.conformal);
    L.push(
      `| ${o} | ${strategyAt(o)} | ${c.steps.map((s) => s.n).join('/')} | ${x.calibratedSteps} | ${e80 ? `${f2(e80.upper)} (${f2(e80.fittedUpper)})` : '—'} | ${e95 ? `${f2(e95.upper)} (${f2(e95.fittedUpper)})` : '—'} | ${b.n ? `${b.n}, ${pct(b.c80)} / ${pct(b.c95)}` : '—'} |`,
    );
  }
  const extr = (l: string): string => {
    const b = bandsOf(rowsIn(l, common).filter((r) => r.conformal?.extrapolated), (r) => r.conformal);
    const c = bandsOf(rowsIn(l, common).filter((r) => r.conformal && !r.conformal.extrapolated), (r) => r.conformal);
    return `${l}: extrapolated ${b.n} forecasts, ${pct(b.c80)} / ${pct(b.c95)}; calibrated steps ${c.n}, ${pct(c.c80)} / ${pct(c.c95)}`;
  };
  L.push('');
  L.push(`- Steps beyond H against calibrated ones (80% / 95%), all origins: ${[DEFAULT, naiveLabel, 'auto', RECONCILED].map(extr).join('; ')}.`);
  L.push(
    `- Other methods' calibrations as known, per origin (H; k at 80% / 95%; the 95% quantile at H, in MASE scales): ` +
      ['auto', 'panelGrowth', 'panelAR'].map((l) => `${l}: ${ORIGINS.map((o) => {
        const c = calOf(l, l as BacktestMethod, o);
        const x = c.extrapolation;
        const q = x.calibratedSteps > 0 ? c.steps[x.calibratedSteps - 1].levels[c.levels.indexOf(95)].upper : Number.NaN;
        return `${o} H ${x.calibratedSteps}, k ${x.exponents.map((e) => f2(e.upper)).join('/')}, q95 ${f2(q)}`;
      }).join('; ')}`).join('. ') + '.',
  );
  L.push(
    `- The evidence as known at each origin (steps 1-${EVIDENCE_STEPS}, errors with target <= origin, from every method's backtest at every origin it allows and per-series auto's 3-step one): ` +
      ORIGINS.map((o) => {
        const e = evidenceAt.get(o);
        return e ? `${o}: **${e.method}** (${e.scores.slice(0, 3).map((s) => `${s.strategy} ${f3(s.mase)} ± ${f3(s.se)}`).join(', ')}; ${e.forecasts} forecasts${e.excluded.length ? `; too few forecasts: ${e.excluded.join(', ')}` : ''})` : `${o}: none`;
      }).join('; ') +
      '.',
  );
  L.push('');
  // ablations
  L.push('**Ablations** (on the shared forecasts; the parent method beside)');
  L.push('');
  L.push('| variant | MASE 1-3 (parent) | MASE 4-8 (parent) | pooled conformal as known 1-8: cover 80% / 95%, CRPS (parent) |');
  L.push('|---|---|---|---|');
  const ablationRows: [string, string][] = [...ABLATIONS.map((a) => [a.label, a.parent!] as [string, string]), [RECONCILED, DEFAULT]];
  for (const [l, parent] of ablationRows) {
    if (!pointOf.has(l) || !core.includes(l)) continue;
    const p = pointOf.get(l)!;
    const q = pointOf.get(parent)!;
    const b = bandsOf(rowsIn(l, common), (x) => x.conformal);
    const bp = bandsOf(rowsIn(parent, common), (x) => x.conformal);
    L.push(`| ${l} | ${f3(p[0].mase)} (${f3(q[0].mase)}) | ${f3(p[1].mase)} (${f3(q[1].mase)}) | ${pct(b.c80)} / ${pct(b.c95)}, ${f3(b.crps)} (${pct(bp.c80)} / ${pct(bp.c95)}, ${f3(bp.crps)}) |`);
  }
  L.push('');
  // speed
  const nFits = slices.length;
  L.push('**Speed**');
  L.push('');
  L.push(`| side | method | fits | wall ms | µs per fit | R \`ets\` per fit / this |`);
  L.push('|---|---|---:|---:|---:|---:|');
  const etsPer = rOut ? rOut.methods.ets!.ms / rOut.nFits : undefined;
  for (const [l, ms] of fitMs) L.push(`| carecast | ${l} | ${nFits} | ${msf(ms)} | ${msf((1000 * ms) / nFits)} | ${etsPer !== undefined ? `${(etsPer / (ms / nFits)).toFixed(0)}×` : '—'} |`);
  if (rOut) {
    for (const m of R_ASKED) {
      const res = rOut.methods[m]!;
      L.push(`| R | ${R_NAME[m].replace(/^R /, '')} | ${rOut.nFits}${res.failures ? ` (${res.failures} failed)` : ''} | ${msf(res.ms)} | ${msf((1000 * res.ms) / rOut.nFits)} | ${etsPer !== undefined ? `${(etsPer / (res.ms / rOut.nFits)).toFixed(1)}×` : '—'} |`);
    }
  }
  L.push('');
  L.push(
    `carecast: \`forecast()\` on every evaluated (LA, origin) slice (the default: the evidence and the global fit as known at the origin, with its pooled conformal bands), median of ${args.runs} runs after a warm-up; R: one timed run after a warm-up on 5 series (fit + forecast with 80/95% intervals).`,
  );
  L.push('');
  L.push(
    `- \`forecastPanel\` on every LA of the panel (${whole.size} series, ${one.byArea.size} projected, ${one.skipped.length} skipped: ${one.skipped.map((s) => s.area).join(', ')}) to 2030 with the default strategy and bands, warm: ` +
      `median **${msf(median(panelMs))} ms** (min ${msf(Math.min(...panelMs))}, max ${msf(Math.max(...panelMs))}; 20 runs after 3 warm-ups); with \`reconcile: 'england'\`: median ${msf(median(panelRecMs))} ms (5 runs).`,
  );
  L.push(`- One projection of the panel: ${one.byArea.get('Derby')?.summary ?? ''}`);
  L.push(
    `- Time: backtests (ms): ${[...btMs].map(([k, v]) => `${k} ${msf(v)}`).join(', ')}; reconciliation by forecastPanel at every origin for ${inUse.join(', ')} and the default: ${msf(recMs)} ms. ` +
      `R process ${msf(rWallMs)} ms in all. Whole benchmark ${((performance.now() - tAll) / 1000).toFixed(1)} s.`,
  );
  L.push(
    `- Checks: forecastPanel's unreconciled points equal the default's backtest on ${baseN} forecasts (largest difference ${baseDiff.toExponential(1)}); ` +
      (rOut && scored.has(R_NAME.naive)
        ? (() => {
            let d = 0;
            let n = 0;
            for (const [k, r] of scored.get(R_NAME.naive)!) {
              const c = scored.get('naive')!.get(k);
              if (!c) continue;
              n++;
              d = Math.max(d, Math.abs(c.point - r.point));
            }
            return `carecast naive against R naive on ${n} forecasts: largest difference ${d.toExponential(1)}; `;
          })()
        : '') +
      `reconciliation could not run at ${recFailures.length === 0 ? 'no origin' : recFailures.join('; ')}; with reconcile at 2024: ${oneRec.reconciliation?.caveats[0] ?? ''}`,
  );
  L.push('');

  // goals
  const pd = pointOf.get(DEFAULT)!;
  const worst = (pick: (h: number) => Bands): { d80: number; d95: number; at80: number; at95: number } => {
    let d80 = 0;
    let d95 = 0;
    let at80 = 0;
    let at95 = 0;
    for (let h = 1; h <= H; h++) {
      const b = pick(h);
      if (Math.abs(b.c80 - 0.8) > Math.abs(d80)) {
        d80 = b.c80 - 0.8;
        at80 = h;
      }
      if (Math.abs(b.c95 - 0.95) > Math.abs(d95)) {
        d95 = b.c95 - 0.95;
        at95 = h;
      }
    }
    return { d80, d95, at80, at95 };
  };
  const cov = worst((h) => stepCover.get(h)!.d);
  const covOk = Math.abs(cov.d80) <= 0.03 && Math.abs(cov.d95) <= 0.03;
  const scoreCells = RANGES.map((r) => {
    const d = bandsOf(rowsIn(DEFAULT, commonIn(r)), (x) => x.conformal);
    const n = bandsOf(rowsIn(naiveLabel, commonIn(r)), (x) => x.conformal);
    return { r, d, n, ok: d.w80 < n.w80 && d.w95 < n.w95 && d.crps < n.crps };
  });
  const met = (b: boolean): string => (b ? '**met**' : '**not met**');
  L.push('**Goals** (pre-registered; the default strategy as known at each origin, on the shared forecasts)');
  L.push('');
  L.push('| goal | figures | verdict |');
  L.push('|---|---|---|');
  L.push(
    `| (1) MASE at least 5% below naive's at 1-3 and at 4-8 | 1-3: ${f3(pd[0].mase)} against ${f3(pointOf.get(naiveLabel)![0].mase)}, ratio ${f3(pd[0].ratio)} ± ${f3(pd[0].ratioSe)}; 4-8: ${f3(pd[1].mase)} against ${f3(pointOf.get(naiveLabel)![1].mase)}, ratio ${f3(pd[1].ratio)} ± ${f3(pd[1].ratioSe)} | ${met(pd[0].ratio <= 0.95 && pd[1].ratio <= 0.95)} |`,
  );
  L.push(
    `| (2) 80% and 95% coverage within 3 points of nominal at every step 1-8 (pooled conformal as known) | ${[...stepCover].map(([h, c]) => `h${h} ${pct(c.d.c80)}/${pct(c.d.c95)}`).join(', ')}; furthest: ${(100 * cov.d80).toFixed(1)} points at 80% (h = ${cov.at80}), ${(100 * cov.d95).toFixed(1)} at 95% (h = ${cov.at95}) | ${met(covOk)} |`,
  );
  L.push(
    `| (3) Winkler score (80%, 95%) and CRPS below naive's, both with pooled conformal bands as known, at 1-3 and 4-8 | ${scoreCells.map((s) => `${s.r.name}: W80 ${f2(s.d.w80)} vs ${f2(s.n.w80)}, W95 ${f2(s.d.w95)} vs ${f2(s.n.w95)}, CRPS ${f3(s.d.crps)} vs ${f3(s.n.crps)}`).join('; ')} | ${met(scoreCells.every((s) => s.ok))} |`,
  );
  L.push(`| (4) whole panel with bands in under 0.1 s once warm | forecastPanel, ${one.byArea.size} LAs to 2030: median ${msf(median(panelMs))} ms | ${met(median(panelMs) < 100)} |`);
  L.push('');
  // post hoc, decided after the first run of this benchmark (2026-12-07; docs/preregistration/issue-12-global-models.md,
  // "Decided after the first run"): the default's bands are a global method's own pooled bands where a global method
  // forecast the series, pooled conformal otherwise (a naive stand-in, or a single-series method in use). Not a
  // pre-registered goal test: the choice was made on these very forecasts; the goals above stay read on the
  // pre-registered bands.
  {
    const globalAt = (k: string): boolean => {
      const m = defaultByKey.get(k)?.model;
      return m !== undefined && (GLOBAL_METHOD_NAMES as readonly string[]).includes(m);
    };
    const mixed = (ks: readonly string[]): ReturnType<typeof bandsOf> => {
      const rows = rowsIn(DEFAULT, ks);
      return bandsOf(rows, (x) => (globalAt(keyOf(x.area, x.origin, x.h)) ? x.own : x.conformal));
    };
    const pair = (b: ReturnType<typeof bandsOf>): string => (b.n ? `${pct(b.c80)} / ${pct(b.c95)}` : '—');
    const nGlobal = [...common].filter((k) => globalAt(k)).length;
    L.push(
      '**Post hoc (not pre-registered): the default with the bands chosen after the first run.** Decided on 2026-12-07 after seeing the first run of this benchmark, ' +
        'on these same forecasts, so these figures are not an out-of-sample test of that choice and the goals above stay read on the pre-registered bands. ' +
        "The bands: a global method's own pooled bands where a global method forecast the series (as known at the origin), pooled conformal as known otherwise " +
        `(a naive stand-in, or naive when the evidence as known picked it). Of the ${count(common.size)} shared forecasts, ${count(nGlobal)} have the global method's own bands.`,
    );
    L.push('');
    L.push('| range | default, post hoc bands: cover 80% / 95% | W80 | W95 | CRPS | default, pre-registered (pooled conformal as known): cover, W80, W95, CRPS | naive, pooled conformal as known: W80, W95, CRPS |');
    L.push('|---|---|---:|---:|---:|---|---|');
    const cells = RANGES.map((r) => {
      const d = mixed(commonIn(r));
      const c = bandsOf(rowsIn(DEFAULT, commonIn(r)), (x) => x.conformal);
      const n = bandsOf(rowsIn(naiveLabel, commonIn(r)), (x) => x.conformal);
      L.push(`| ${r.name} | ${pair(d)} | ${f2(d.w80)} | ${f2(d.w95)} | ${f3(d.crps)} | ${pair(c)}, ${f2(c.w80)}, ${f2(c.w95)}, ${f3(c.crps)} | ${f2(n.w80)}, ${f2(n.w95)}, ${f3(n.crps)} |`);
      return { r, d, n, ok: d.w80 < n.w80 && d.w95 < n.w95 && d.crps < n.crps };
    });
    L.push('');
    const post = worst((h) => mixed(stepKeys(h)));
    L.push(
      `By step (80% / 95%): ${Array.from({ length: H }, (_, i) => `h${i + 1} ${pair(mixed(stepKeys(i + 1)))}`).join(', ')}; furthest from nominal: ${(100 * post.d80).toFixed(1)} points at 80% (h = ${post.at80}), ${(100 * post.d95).toFixed(1)} at 95% (h = ${post.at95}). ` +
        `Read against goals (2) and (3) for information only (post hoc, not a test): coverage within 3 points at every step: ${Math.abs(post.d80) <= 0.03 && Math.abs(post.d95) <= 0.03 ? 'yes' : 'no'}; ` +
        `Winkler scores and CRPS below naive's with pooled conformal bands: ${cells.map((c) => `${c.r.name} ${c.ok ? 'yes' : 'no'}`).join(', ')}.`,
    );
    L.push('');
  }
  // reconciliation verdict
  const pr = pointOf.get(RECONCILED);
  let drop = 0;
  let dropAt = '';
  for (const [h, c] of stepCover) {
    for (const [lev, a, b] of [[80, c.r.c80, c.d.c80], [95, c.r.c95, c.d.c95]] as const) {
      if (b - a > drop) {
        drop = b - a;
        dropAt = `${lev}% at h = ${h}`;
      }
    }
  }
  const recOk = pr !== undefined && pr[0].mase < pd[0].mase && pr[1].mase < pd[1].mase && drop <= 0.01;
  L.push(
    `**Reconciliation with England** (pre-registered bar: lowers the LA MASE at both ranges and lowers 80% or 95% coverage by no more than 1 point at any step): ` +
      (pr ? `MASE 1-3 ${pr[0].mase.toFixed(4)} against ${pd[0].mase.toFixed(4)}, 4-8 ${pr[1].mase.toFixed(4)} against ${pd[1].mase.toFixed(4)}; largest coverage loss ${(100 * drop).toFixed(1)} points${dropAt ? ` (${dropAt})` : ''}: ` : 'not run: ') +
      `${recOk ? '**met**: it becomes the default of forecastPanel' : '**not met**: it stays an option of forecastPanel (`reconcile: \'england\'`), not the default'}.`,
  );
  console.log(L.join('\n'));
}

/** Every LA's full series (the panel as a user would pass it). */
function panelSeriesOf(cic: ReadonlyMap<string, AnnualSeries>): Map<string, AnnualSeries> {
  return new Map(cic);
}

main();
