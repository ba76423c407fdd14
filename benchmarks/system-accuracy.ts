/**
 * Validation of the system model (issue 13), as pre-registered in
 * docs/preregistration/issue-13-system-model.md ("Validation" and decisions 20-32):
 *
 * - **LA panel (EES)**: origins 2021, 2022, 2023, steps 1-3 to 2024; every LA projected with
 *   `projectSystem` as known at the origin: the total anchored to the default strategy as known then
 *   (panel evidence, global fit and calibrations from what was known at the origin), the flow and share
 *   dynamics fitted on every LA cut at the origin. Components: total, starters, ceased, the four
 *   placement groups and residential, in-house and external (provider `other` and the age bands for
 *   information).
 * - **LA panel (SFR)**: three-way placement and provider groups, origins 2013-2016, steps 1-3 to 2017.
 * - **England 1994-2024**: total and flows, origins 2003-2021, steps 1-10.
 *
 * Reported: 80% and 95% coverage per component and step (type-7 quantiles of 1000 paths); MASE of the
 * system (the total's point, the paths' medians) against single-series naive and drift on each
 * component's own series; the scaled Winkler score and CRPS; the rank correlation of the total's errors
 * between steps beside the copula's; the widest 80% share band per group at 10 years and the share of
 * draws below 0.1%; the goal (coverage within 5 points of nominal for the total, flows and main groups at
 * steps 1-3), read as pre-registered.
 *
 * Run: npx tsx benchmarks/system-accuracy.ts [--paths 1000] [--no-sfr] [--no-england] [--no-shares] [--smoke]
 * (`--smoke`: 8 LAs, the last origin of each set, 200 paths, and no score printed: a check that the
 * script runs, which shows no validation figure)
 * (the bundled DfE panel; ~10-20 minutes on this machine, most of it the backtests behind the evidence
 * and calibrations as known at each origin). Prints a markdown report for benchmarks/RESULTS.md.
 *
 * @module
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { dfePanelPopulations } from '../src/data/ons/panelPopulation.js';
import { fillInteriorGaps } from '../src/data/fillGaps.js';
import type { DfePanelSeries } from '../src/data/dfe/panelTypes.js';
import type { AnnualSeries } from '../src/data/schemas.js';
import { yearValuesOf, type SeriesInput } from '../src/data/yearValue.js';
import { backtest, backtestPanel } from '../src/evaluate/backtest.js';
import type { BacktestMethod, PanelBacktestResult } from '../src/evaluate/backtestTypes.js';
import { calibrateConformal } from '../src/evaluate/conformalBacktest.js';
import { crpsSample } from '../src/evaluate/crps.js';
import { panelEvidence } from '../src/evaluate/panelEvidence.js';
import { streamSeed } from '../src/math/rng.js';
import { fitGlobal } from '../src/models/global/fitGlobal.js';
import type { GlobalFit } from '../src/models/global/shared.js';
import { isGlobalMethodName } from '../src/models/registry.js';
import type { PanelEvidence } from '../src/models/selectMethod.js';
import { GLOBAL_METHOD_NAMES, METHOD_NAMES, type GlobalMethodName } from '../src/models/types.js';
import { forecast } from '../src/project/forecast.js';
import { DFE_SFR_PLACEMENT, DFE_SYSTEM_DIMENSIONS, dfeGroupSeries, dfeSystemInput } from '../src/system/dfeInput.js';
import { dfeSystemFit, loadDfeSystem } from '../src/system/dfeSystem.js';
import { fitSystemDynamics, type SystemDynamics } from '../src/system/dynamics.js';
import type { SystemInput } from '../src/system/input.js';
import { projectSystem, type SystemProjection, type SystemSeries } from '../src/system/projectSystem.js';
import type { SystemTotalOptions } from '../src/system/total.js';
import type { ConformalCalibration } from '../src/uncertainty/conformal.js';
import { pathBands } from '../src/uncertainty/pathBands.js';
import { benchmarkPanel } from './lib/dfeData.js';

const LEVELS = [80, 95] as const;
const CAL_LEVELS = [50, 80, 90, 95];
const EVIDENCE_STEPS = 3;
const CAL_STEPS = 10;
const RATE = new Set<string>(['panelGrowthRate', 'panelARRate']);
const EES_ORIGINS = [2021, 2022, 2023];
const SFR_ORIGINS = [2013, 2014, 2015, 2016];
const ENGLAND_ORIGINS = Array.from({ length: 19 }, (_, i) => 2003 + i);
const GOAL = ['total', 'started', 'ceased', 'fostering', 'residential', 'in_house', 'external'];

interface Args {
  paths: number;
  smoke: boolean;
  sfr: boolean;
  england: boolean;
  shares: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { paths: 1000, smoke: false, sfr: true, england: true, shares: true };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    if (x === '--paths') a.paths = Number(argv[++i]);
    else if (x === '--no-sfr') a.sfr = false;
    else if (x === '--no-england') a.england = false;
    else if (x === '--no-shares') a.shares = false;
    else if (x === '--smoke') a.smoke = true;
    else throw new Error(`unknown argument ${x}; usage: npx tsx benchmarks/system-accuracy.ts [--paths 1000] [--no-sfr] [--no-england] [--no-shares]`);
  }
  if (!Number.isInteger(a.paths) || a.paths < 100) throw new Error('--paths must be a whole number of at least 100');
  return a;
}

/** One scored forecast of one component. */
interface Row {
  readonly set: string;
  readonly component: string;
  readonly area: string;
  readonly origin: number;
  readonly h: number;
  readonly actual: number;
  readonly scale: number;
  readonly point: number;
  readonly naive: number | null;
  readonly drift: number | null;
  readonly in80: boolean;
  readonly in95: boolean;
  readonly w80: number;
  readonly w95: number;
  readonly crps: number;
}

const values = (s: SeriesInput): Map<number, number> => {
  const m = new Map<number, number>();
  for (const p of yearValuesOf(s).points) if (p.value !== null) m.set(p.year, p.value);
  return m;
};
const cut = <S extends SeriesInput>(s: S, origin: number): S =>
  (Array.isArray(s) ? (s as readonly { year: number }[]).filter((p) => p.year <= origin) : { ...(s as AnnualSeries), points: (s as AnnualSeries).points.filter((p) => p.year <= origin) }) as S;

/** The MASE scale: the mean absolute yearly change up to the origin, interior gaps filled on the straight line (decision 30). */
function scaleOf(s: SeriesInput, origin: number): number {
  const pts = yearValuesOf(cut(s, origin)).points;
  const filled = fillInteriorGaps(pts).map((f) => f.used);
  if (filled.length < 2) return Number.NaN;
  let sum = 0;
  for (let i = 1; i < filled.length; i++) sum += Math.abs(filled[i] - filled[i - 1]);
  return sum / (filled.length - 1);
}

function winkler(y: number, lo: number, hi: number, level: number): number {
  const a = 1 - level / 100;
  return hi - lo + (y < lo ? (2 / a) * (lo - y) : 0) + (y > hi ? (2 / a) * (y - hi) : 0);
}

/** Naive and drift points of a component's own series (decision 30). */
function singleSeries(s: SeriesInput, origin: number, horizon: number): { naive: readonly number[] | null; drift: readonly number[] | null } {
  const run = (method: 'naive' | 'drift'): readonly number[] | null => {
    try {
      return forecast(cut(s, origin), { horizon, method, intervals: 'analytic' }).point;
    } catch {
      return null;
    }
  };
  return { naive: run('naive'), drift: run('drift') };
}

/** Score one projected quantity against its actuals. */
function scoreSeries(
  rows: Row[],
  set: string,
  component: string,
  area: string,
  origin: number,
  series: SystemSeries,
  samples: { horizon: number; values: ArrayLike<number> },
  own: SeriesInput,
  actualAt: (year: number) => number | undefined,
): void {
  const H = samples.horizon;
  const scale = scaleOf(own, origin);
  const ss = singleSeries(own, origin, H);
  for (let h = 1; h <= H; h++) {
    const y = actualAt(origin + h);
    if (y === undefined) continue;
    const i80 = series.intervals.find((iv) => iv.level === 80)!;
    const i95 = series.intervals.find((iv) => iv.level === 95)!;
    const col = new Float64Array(samples.values.length / H);
    for (let p = 0; p < col.length; p++) col[p] = samples.values[p * H + h - 1];
    rows.push({
      set,
      component,
      area,
      origin,
      h,
      actual: y,
      scale,
      point: series.point[h - 1],
      naive: ss.naive?.[h - 1] ?? null,
      drift: ss.drift?.[h - 1] ?? null,
      in80: y >= i80.lower[h - 1] && y <= i80.upper[h - 1],
      in95: y >= i95.lower[h - 1] && y <= i95.upper[h - 1],
      w80: winkler(y, i80.lower[h - 1], i80.upper[h - 1], 80),
      w95: winkler(y, i95.lower[h - 1], i95.upper[h - 1], 95),
      crps: crpsSample(y, col),
    });
  }
}

/** A group's actual: only where every category of it is published (a deduced one counts: decision 22). */
function groupActuals(groupSeries: Record<string, AnnualSeries>, groups: readonly string[]): Map<number, number> {
  const out = new Map<number, number>();
  const years = new Set(groups.flatMap((g) => groupSeries[g].points.map((p) => p.year)));
  for (const y of years) {
    let sum = 0;
    let ok = true;
    for (const g of groups) {
      const p = groupSeries[g].points.find((q) => q.year === y);
      if (!p || p.value === null || /half their bound/.test(p.provenance?.note ?? '')) {
        ok = false;
        break;
      }
      sum += p.value;
    }
    if (ok) out.set(y, sum);
  }
  return out;
}

/** A group's own series (bounded categories at half their bound; decision 30), summing derived groups. */
function groupOwn(groupSeries: Record<string, AnnualSeries>, groups: readonly string[]): { year: number; value: number | null }[] {
  const years = [...new Set(groups.flatMap((g) => groupSeries[g].points.map((p) => p.year)))].sort((a, b) => a - b);
  return years.map((year) => {
    let v: number | null = 0;
    for (const g of groups) {
      const p = groupSeries[g].points.find((q) => q.year === year);
      if (!p || p.value === null) v = null;
      else if (v !== null) v += p.value;
    }
    return { year, value: v };
  });
}

// ---------------------------------------------------------------------------

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const command = ['npx tsx benchmarks/system-accuracy.ts', ...process.argv.slice(2)].join(' ');
  const tAll = performance.now();
  const loadAvg = os.loadavg();
  const { panel, cic, source } = benchmarkPanel();
  const { populations } = dfePanelPopulations(panel);
  const allLas = panel.areas.filter((a) => a.level === 'local_authority').map((a) => a.name);
  const las = args.smoke ? allLas.slice(0, 8) : allLas;
  if (args.smoke) args.paths = 200;
  const seriesOf = (name: string): DfePanelSeries => panel.series.get(name)!;
  const timings: string[] = [];
  const time = <T>(label: string, f: () => T): T => {
    const t0 = performance.now();
    const r = f();
    timings.push(`${label} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    console.error(`${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return r;
  };

  // ---- the default strategy as known at each origin (decision 26): backtests of every strategy the bundled evidence considers
  const strategies: BacktestMethod[] = [...METHOD_NAMES, ...GLOBAL_METHOD_NAMES];
  const bt = new Map<string, PanelBacktestResult>();
  for (const m of strategies) {
    bt.set(m, time(`backtest ${m}`, () => backtestPanel(cic, { methods: [m], horizon: CAL_STEPS, ...(RATE.has(m) ? { populations } : {}) })));
  }
  const auto3 = time('backtest auto (3 steps)', () => backtestPanel(cic, { methods: ['auto'], horizon: EVIDENCE_STEPS }));
  const autoCal = time('backtest auto (10 steps, for its calibration)', () => backtestPanel(cic, { methods: ['auto'], horizon: CAL_STEPS }));
  const evidenceRows: PanelBacktestResult[] = [...bt.values(), auto3];
  const evidenceAt = new Map<number, PanelEvidence | undefined>();
  const evidenceOf = (o: number): PanelEvidence | undefined => {
    if (!evidenceAt.has(o)) {
      let e: PanelEvidence | undefined;
      try {
        e = panelEvidence(evidenceRows, { asOf: o, maxStep: EVIDENCE_STEPS, source: `DfE LAs' backtest errors known by ${o}` });
      } catch (err) {
        if (!(err instanceof RangeError)) throw err;
      }
      evidenceAt.set(o, e);
    }
    return evidenceAt.get(o);
  };
  const fits = new Map<string, GlobalFit>();
  const fitAt = (m: GlobalMethodName, o: number): GlobalFit => {
    const k = `${m}|${o}`;
    if (!fits.has(k)) fits.set(k, fitGlobal(m, cic, { origin: o, ...(RATE.has(m) ? { population: populations } : {}) }));
    return fits.get(k)!;
  };
  const cals = new Map<string, ConformalCalibration>();
  const calAt = (m: BacktestMethod, o: number): ConformalCalibration => {
    const k = `${m}|${o}`;
    if (!cals.has(k)) cals.set(k, calibrateConformal(m === 'auto' ? autoCal : bt.get(m)!, { method: m, levels: CAL_LEVELS, include: (f) => f.target <= o }));
    return cals.get(k)!;
  };
  /** The total's options as known at T for one LA (decision 26). */
  const totalAsKnown = (name: string, o: number): SystemTotalOptions => {
    const e = evidenceOf(o);
    const m = e?.method ?? 'auto';
    const g = m !== 'auto' && isGlobalMethodName(m) ? m : undefined;
    const base: SystemTotalOptions = {
      ...(e ? { evidence: e } : { method: 'auto' }),
      ...(g ? { panel: fitAt(g, o) } : {}),
      ...(g && RATE.has(g) && populations.has(name) ? { population: populations.get(name)! } : {}),
    };
    const probe = forecast(cut(seriesOf(name).childrenInCare, o), { ...base, horizon: 1, levels: [...LEVELS] });
    return probe.intervalMethod === 'conformal' ? { ...base, conformal: calAt(m as BacktestMethod, o) } : base;
  };
  const strategyWords = (o: number): string => {
    const e = evidenceOf(o);
    return e ? `${e.method} (evidence of ${e.forecasts.toLocaleString('en-GB')} forecasts)` : 'auto (no evidence yet)';
  };

  const rows: Row[] = [];
  const failures: string[] = [];
  const totalErrors: { set: string; area: string; origin: number; h: number; e: number }[] = [];
  const anchorMismatch: string[] = [];

  /** Score every component of one LA projection. */
  const scoreLa = (set: string, name: string, o: number, sys: SystemProjection, dims: Record<string, { groups: Record<string, readonly string[]>; series: Record<string, AnnualSeries> }>): void => {
    const s = seriesOf(name);
    const cicValues = values(s.childrenInCare);
    scoreSeries(rows, set, 'total', name, o, sys.stock, sys.paths.stock, s.childrenInCare, (y) => cicValues.get(y));
    const scale = scaleOf(s.childrenInCare, o);
    sys.years.forEach((y, i) => {
      const a = cicValues.get(y);
      if (a !== undefined && scale > 0) totalErrors.push({ set, area: name, origin: o, h: i + 1, e: (sys.stock.point[i] - a) / scale });
    });
    if (sys.started && sys.ceased && s.started && s.ceased) {
      const ev = values(s.started);
      const cv = values(s.ceased);
      scoreSeries(rows, set, 'started', name, o, sys.started, sys.paths.started!, s.started, (y) => ev.get(y));
      scoreSeries(rows, set, 'ceased', name, o, sys.ceased, sys.paths.ceased!, s.ceased, (y) => cv.get(y));
    }
    for (const [dim, d] of Object.entries(dims)) {
      const bd = sys.breakdowns[dim];
      if (!bd) continue;
      for (const [component, parts] of Object.entries(d.groups)) {
        const key = parts.length === 1 ? parts[0] : component;
        const g = bd.byGroup[key];
        if (!g) continue;
        const act = groupActuals(d.series, parts);
        scoreSeries(rows, set, component, name, o, g, bd.paths[key], groupOwn(d.series, parts), (y) => act.get(y));
      }
    }
  };

  // ---- LA panel, EES: origins 2021-2023 (decisions 26, 27)
  const eesGroups = {
    placement: { fostering: ['fostering'], homes_secure: ['homes_secure'], independent_supported: ['independent_supported'], other_placement: ['other'], residential: ['homes_secure', 'independent_supported'] },
    provider: { in_house: ['in_house'], external: ['external'], other_provider: ['other'] },
    age: { under_1: ['under_1'], '1_4': ['1_4'], '5_9': ['5_9'], '10_15': ['10_15'], '16_plus': ['16_plus'] },
  } as const;
  const inputs = new Map<string, SystemInput>(las.map((n) => [n, dfeSystemInput(seriesOf(n), populations.get(n) ?? null)]));
  const groupSeriesOf = new Map(las.map((n) => [n, Object.fromEntries(Object.entries(DFE_SYSTEM_DIMENSIONS).map(([d, spec]) => [d, dfeGroupSeries(seriesOf(n), spec)]))]));
  const eesDyn = new Map<number, SystemDynamics>();
  const scaleLines: string[] = [];
  const recordScale = (set: string, o: number, d: SystemDynamics): void => {
    for (const [dim, s] of Object.entries(d.dimensions)) {
      const sc = s.scale;
      const cell = (e: string): string => {
        const x = sc.scores.find((q) => q.estimator === e);
        if (!x || x.crps === null) return '—';
        return x.diff === null ? x.crps.toFixed(3) : `${x.crps.toFixed(3)} (${x.diff >= 0 ? '+' : ''}${x.diff.toFixed(3)} ± ${(x.se ?? Number.NaN).toFixed(3)})`;
      };
      scaleLines.push(`| ${set} | ${o} | ${dim} | ${s.model} | ${sc.forecasts} | ${cell('classical')} | ${cell('exclude')} | ${cell('mad')} | **${sc.estimator}** | ${sc.excluded} of ${s.rows} |`);
    }
  };
  let projected = 0;
  const tEes = performance.now();
  for (const o of args.smoke ? EES_ORIGINS.slice(-1) : EES_ORIGINS) {
    const dyn = time(`system dynamics as known at ${o}`, () => dfeSystemFit(panel, o));
    eesDyn.set(o, dyn);
    recordScale('EES', o, dyn);
    las.forEach((name, i) => {
      if (!values(seriesOf(name).childrenInCare).has(o)) return;
      try {
        const total = totalAsKnown(name, o);
        const sys = projectSystem(inputs.get(name)!, { origin: o, to: 2024, paths: args.paths, seed: streamSeed(1, i), dynamics: dyn, total });
        // the anchor: the total's point is the as-known default's
        const def = forecast(cut(seriesOf(name).childrenInCare, o), { ...total, to: 2024, levels: [...LEVELS] });
        if (def.point.some((v, k) => Math.abs(v - sys.stock.point[k]) > 1e-9 * Math.max(1, v))) anchorMismatch.push(`${name} ${o}`);
        const gs = groupSeriesOf.get(name)!;
        scoreLa('EES', name, o, sys, Object.fromEntries(Object.entries(eesGroups).map(([d, g]) => [d, { groups: g, series: gs[d] }])));
        projected++;
      } catch (e) {
        failures.push(`${name} at ${o}: ${(e as Error).message.split('\n')[0].slice(0, 160)}`);
      }
    });
    console.error(`EES origin ${o}: ${projected} projections so far`);
  }
  timings.push(`EES projections and scores ${((performance.now() - tEes) / 1000).toFixed(1)} s`);

  // ---- LA panel, SFR: origins 2013-2016 (decision 28)
  const sfrGroups = {
    placement: { fostering: ['fostering'], residential: ['residential'], other_placement: ['other'] },
    provider: { in_house: ['in_house'], external: ['external'], other_provider: ['other'] },
  } as const;
  if (args.sfr) {
    const sfrSeries = new Map(las.map((n) => [n, { placement: dfeGroupSeries(seriesOf(n), DFE_SFR_PLACEMENT), provider: dfeGroupSeries(seriesOf(n), DFE_SYSTEM_DIMENSIONS.provider) }]));
    const sfrInputs = new Map<string, SystemInput>(las.map((n) => [n, { area: n, stock: seriesOf(n).childrenInCare, breakdowns: sfrSeries.get(n)!, partitions: ['placement', 'provider'] }]));
    const tSfr = performance.now();
    for (const o of args.smoke ? SFR_ORIGINS.slice(-1) : SFR_ORIGINS) {
      const dyn = time(`SFR dynamics as known at ${o}`, () => fitSystemDynamics(sfrInputs, { origin: o, references: { placement: 'fostering', provider: 'in_house' }, description: `every LA, SFR years to ${o}` }));
      recordScale('SFR', o, dyn);
      las.forEach((name, i) => {
        if (!values(seriesOf(name).childrenInCare).has(o)) return;
        try {
          const sys = projectSystem(sfrInputs.get(name)!, { origin: o, to: 2017, paths: args.paths, seed: streamSeed(1, i), dynamics: dyn, total: totalAsKnown(name, o) });
          const gs = sfrSeries.get(name)!;
          scoreLa('SFR', name, o, sys, Object.fromEntries(Object.entries(sfrGroups).map(([d, g]) => [d, { groups: g, series: gs[d as 'placement'] }])));
        } catch (e) {
          failures.push(`SFR ${name} at ${o}: ${(e as Error).message.split('\n')[0].slice(0, 160)}`);
        }
      });
    }
    timings.push(`SFR projections and scores ${((performance.now() - tSfr) / 1000).toFixed(1)} s`);
  }

  // ---- England 1994-2024: origins 2003-2021, steps 1-10 (decision 29)
  const englandNotes: string[] = [];
  if (args.england) {
    const eng = seriesOf('England');
    const input: SystemInput = { area: 'England', stock: eng.childrenInCare, started: eng.started!, ceased: eng.ceased! };
    const tEng = performance.now();
    for (const o of args.smoke ? ENGLAND_ORIGINS.slice(0, 2) : ENGLAND_ORIGINS) {
      const to = Math.min(o + 10, 2024);
      try {
        const dyn = fitSystemDynamics([input], { origin: o, description: `England to ${o}` });
        const own = backtest(cut(eng.childrenInCare, o), { methods: ['auto'], horizon: 10 });
        let total: SystemTotalOptions;
        if (own.forecasts.some((f) => f.scaledError !== null)) total = { method: 'auto', conformal: calibrateConformal(own, { method: 'auto', levels: CAL_LEVELS }) };
        else {
          total = { method: 'auto', intervals: 'analytic' };
          englandNotes.push(`${o}: no backtest error yet, analytic bands`);
        }
        const sys = projectSystem(input, { origin: o, to, paths: args.paths, seed: streamSeed(2, o), dynamics: dyn, total });
        scoreLa('England', 'England', o, sys, {});
      } catch (e) {
        failures.push(`England at ${o}: ${(e as Error).message.split('\n')[0].slice(0, 160)}`);
      }
    }
    timings.push(`England ${((performance.now() - tEng) / 1000).toFixed(1)} s`);
  }

  // ---- the share bands at 10 years (decision 24)
  const shareReport: string[] = [];
  if (args.shares) {
    const tSh = performance.now();
    const bundled = loadDfeSystem();
    const widest = new Map<string, { width: number; area: string; lo: number; hi: number }>();
    const below = new Map<string, { n: number; of: number }>();
    const widths = new Map<string, number[]>();
    las.forEach((name, i) => {
      // 10 years ahead: the LAs whose children in care are published for 2024
      if (!values(seriesOf(name).childrenInCare).has(2024)) return;
      try {
        const sys = projectSystem(inputs.get(name)!, { to: 2034, paths: 1000, seed: streamSeed(3, i), dynamics: bundled });
        for (const [dim, bd] of Object.entries(sys.breakdowns)) {
          for (const g of [...bd.groups, ...Object.keys(bd.derived)]) {
            const key = `${dim}: ${g}`;
            const sp = bd.sharePaths[g];
            const H = sp.horizon;
            const b = pathBands(sp, [80]);
            const lo = b.intervals[0].lower[H - 1];
            const hi = b.intervals[0].upper[H - 1];
            const w = widest.get(key);
            if (!w || hi - lo > w.width) widest.set(key, { width: hi - lo, area: name, lo, hi });
            if (!widths.has(key)) widths.set(key, []);
            widths.get(key)!.push(hi - lo);
            const c = below.get(key) ?? { n: 0, of: 0 };
            for (let p = 0; p < sp.paths; p++) if (sp.values[p * H + H - 1] < 0.001) c.n++;
            c.of += sp.paths;
            below.set(key, c);
          }
        }
      } catch {
        // counted in the EES failures already
      }
    });
    shareReport.push('| group | widest 80% band of the share at 2034 (LA) | median width over LAs | draws below 0.1% |', '|---|---|---:|---:|');
    for (const [key, w] of widest) {
      const ws = [...widths.get(key)!].sort((a, b) => a - b);
      const c = below.get(key)!;
      shareReport.push(`| ${key} | ${(100 * w.lo).toFixed(1)}%-${(100 * w.hi).toFixed(1)}% (${(100 * w.width).toFixed(1)} points, ${w.area}) | ${(100 * ws[Math.floor(ws.length / 2)]).toFixed(1)} points | ${((100 * c.n) / c.of).toFixed(2)}% |`);
    }
    timings.push(`share bands ${((performance.now() - tSh) / 1000).toFixed(1)} s`);
  }

  // ---- report
  if (args.smoke) {
    console.log(`smoke run: ${rows.length} scored rows (${[...new Set(rows.map((r) => `${r.set}/${r.component}`))].join(', ')}); failures: ${failures.join('; ') || 'none'}; anchor mismatches: ${anchorMismatch.join(', ') || 'none'}; England notes: ${englandNotes.join('; ') || 'none'}; share report rows: ${shareReport.length - 2}; ${timings.join('; ')}`);
    return;
  }
  const L: string[] = [];
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  L.push(`- Machine: ${cpu}, ${os.cpus().length} cores, ${os.type()} ${os.release()}; Node ${process.version}; load average at the start ${loadAvg.map((x) => x.toFixed(1)).join(' / ')}`);
  L.push(`- Date: ${new Date().toISOString()}`);
  L.push(`- Command: \`${command}\` (${((performance.now() - tAll) / 60000).toFixed(1)} min: ${timings.join('; ')})`);
  L.push(`- Data: ${source}. ${args.paths} paths per LA and origin.`);
  L.push(`- The total as known at each origin: ${[...EES_ORIGINS, ...(args.sfr ? SFR_ORIGINS : [])].map((o) => `${o} ${strategyWords(o)}`).join('; ')}.`);
  L.push(`- EES projections: ${projected}; failed (left out, decision 27): ${failures.length}${failures.length ? ` (${failures.slice(0, 12).join('; ')}${failures.length > 12 ? '; ...' : ''})` : ''}. The total's point equals the as-known default's forecast in every projection${anchorMismatch.length ? ` except ${anchorMismatch.join(', ')}` : ''}.`);
  if (englandNotes.length) L.push(`- England: ${englandNotes.join('; ')}.`);
  L.push('');
  const fmtPct = (x: number): string => `${(100 * x).toFixed(1)}`;
  const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const table = (set: string, components: readonly string[], steps: readonly number[]): void => {
    L.push(`| component | h | n | cover 80% | cover 95% | n scaled | MASE system | MASE naive | MASE drift | W80 | W95 | CRPS |`);
    L.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const c of components) {
      for (const h of steps) {
        const r = rows.filter((x) => x.set === set && x.component === c && x.h === h);
        if (r.length === 0) continue;
        // scaled scores on the forecasts where naive and drift could be made too (the same forecasts for all three)
        const sc = r.filter((x) => x.scale > 0 && x.naive !== null && x.drift !== null);
        const f = (v: number, d: number): string => (sc.length > 0 && Number.isFinite(v) ? v.toFixed(d) : '—');
        L.push(
          `| ${c} | ${h} | ${r.length} | ${fmtPct(mean(r.map((x) => (x.in80 ? 1 : 0))))} | ${fmtPct(mean(r.map((x) => (x.in95 ? 1 : 0))))} | ${sc.length} | ` +
            `${f(mean(sc.map((x) => Math.abs(x.point - x.actual) / x.scale)), 3)} | ${f(mean(sc.map((x) => Math.abs((x.naive as number) - x.actual) / x.scale)), 3)} | ${f(mean(sc.map((x) => Math.abs((x.drift as number) - x.actual) / x.scale)), 3)} | ` +
            `${f(mean(sc.map((x) => x.w80 / x.scale)), 2)} | ${f(mean(sc.map((x) => x.w95 / x.scale)), 2)} | ${f(mean(sc.map((x) => x.crps / x.scale)), 3)} |`,
        );
      }
    }
  };
  L.push('**LA panel (EES), origins 2021-2023, steps 1-3 to 2024**');
  L.push('');
  table('EES', ['total', 'started', 'ceased', 'fostering', 'homes_secure', 'independent_supported', 'other_placement', 'residential', 'in_house', 'external', 'other_provider', 'under_1', '1_4', '5_9', '10_15', '16_plus'], [1, 2, 3]);
  L.push('');
  // the goal (decision 32)
  const misses: string[] = [];
  for (const c of GOAL) {
    for (const h of [1, 2, 3]) {
      const r = rows.filter((x) => x.set === 'EES' && x.component === c && x.h === h);
      if (r.length === 0) {
        misses.push(`${c} h${h}: no forecast`);
        continue;
      }
      const c80 = mean(r.map((x) => (x.in80 ? 1 : 0)));
      const c95 = mean(r.map((x) => (x.in95 ? 1 : 0)));
      if (Math.abs(c80 - 0.8) > 0.05) misses.push(`${c} h${h} 80%: ${fmtPct(c80)}`);
      if (Math.abs(c95 - 0.95) > 0.05) misses.push(`${c} h${h} 95%: ${fmtPct(c95)}`);
    }
  }
  L.push(`**Goal** (80% and 95% coverage within 5 points of nominal at every step 1-3 for ${GOAL.join(', ')}): ${misses.length === 0 ? 'met' : `not met; ${misses.length} of ${GOAL.length * 6} cells miss: ${misses.join('; ')}`}.`);
  L.push('');
  if (args.sfr) {
    L.push('**LA panel (SFR), origins 2013-2016, steps 1-3 to 2017** (three-way placement, no flows)');
    L.push('');
    table('SFR', ['total', 'fostering', 'residential', 'other_placement', 'in_house', 'external', 'other_provider'], [1, 2, 3]);
    L.push('');
  }
  if (args.england) {
    L.push('**England 1994-2024, origins 2003-2021, steps 1-10** (total anchored to auto with conformal bands from its own errors as known)');
    L.push('');
    table('England', ['total', 'started', 'ceased'], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    L.push('');
  }
  // rank correlation of the total's errors between steps (decision 23)
  const spearman = (a: readonly number[], b: readonly number[]): number => {
    const rank = (x: readonly number[]): number[] => {
      const idx = x.map((v, i) => [v, i] as const).sort((p, q) => p[0] - q[0]);
      const r = new Array<number>(x.length);
      idx.forEach(([, i], k) => (r[i] = k));
      return r;
    };
    const ra = rank(a);
    const rb = rank(b);
    const ma = mean(ra);
    const mb = mean(rb);
    let sab = 0;
    let saa = 0;
    let sbb = 0;
    for (let i = 0; i < ra.length; i++) {
      sab += (ra[i] - ma) * (rb[i] - mb);
      saa += (ra[i] - ma) ** 2;
      sbb += (rb[i] - mb) ** 2;
    }
    return sab / Math.sqrt(saa * sbb);
  };
  L.push('**Rank correlation of the total\'s scaled errors between steps** (pooled over areas and origins) beside the copula\'s assumption');
  L.push('');
  L.push('| set | steps | pairs | Spearman | sqrt(h/h\') | copula (6/pi) asin(sqrt(h/h\')/2) |');
  L.push('|---|---|---:|---:|---:|---:|');
  for (const [set, pairs] of [
    ['EES', [[1, 2], [1, 3], [2, 3]]],
    ['SFR', [[1, 2], [1, 3], [2, 3]]],
    ['England', [[1, 2], [1, 5], [1, 10], [5, 10]]],
  ] as const) {
    for (const [h1, h2] of pairs) {
      const key = (r: { area: string; origin: number }): string => `${r.area}|${r.origin}`;
      const at2 = new Map(totalErrors.filter((r) => r.set === set && r.h === h2).map((r) => [key(r), r.e]));
      const a: number[] = [];
      const b: number[] = [];
      for (const r of totalErrors.filter((x) => x.set === set && x.h === h1)) {
        const v = at2.get(key(r));
        if (v === undefined) continue;
        a.push(r.e);
        b.push(v);
      }
      if (a.length < 3) continue;
      const rho = Math.sqrt(h1 / h2);
      L.push(`| ${set} | ${h1}, ${h2} | ${a.length} | ${spearman(a, b).toFixed(3)} | ${rho.toFixed(3)} | ${((6 / Math.PI) * Math.asin(rho / 2)).toFixed(3)} |`);
    }
  }
  L.push('');
  if (args.shares) {
    L.push('**Shares at 10 years** (every LA with children in care published for 2024, projected to 2034 with the bundled dynamics, 1000 paths each; decision 24)');
    L.push('');
    L.push(...shareReport);
    L.push('');
  }
  if (scaleLines.length > 0) {
    recordScale('bundled', loadDfeSystem().origin, loadDfeSystem());
    L.push('**Share innovation estimator as known at each origin** (docs/preregistration/issue-13-robust-shares.md: mean CRPS of the shares in percentage points over the forecasts 1-3 years ahead from inner origins, paired difference from classical ± its SE; a robust estimator is chosen when difference + SE < 0)');
    L.push('');
    L.push('| set | origin | dimension | model | forecasts | classical | exclude | mad | chosen | rows excluded |');
    L.push('|---|---:|---|---|---:|---:|---:|---:|---|---|');
    L.push(...scaleLines);
    L.push('');
  }
  const dyn = eesDyn.get(2023);
  if (dyn) {
    L.push(
      `- Dynamics as known at 2023: flows beta ${dyn.flows?.beta.entry.toFixed(3)} entry / ${dyn.flows?.beta.exit.toFixed(3)} exit, shock correlation ${dyn.flows?.correlation.toFixed(3)}; ` +
        Object.entries(dyn.dimensions)
          .map(([d, s]) => `${d} ${s.model} (${s.scores.map((x) => `${x.model} ${x.mae === null ? 'n/a' : x.mae.toFixed(3)}`).join(', ')})`)
          .join('; ') +
        '; at 2021 and 2022: ' +
        [2021, 2022].map((o) => `${o} ${Object.entries(eesDyn.get(o)!.dimensions).map(([d, s]) => `${d} ${s.model}`).join(', ')}`).join('; ') +
        '.',
    );
  }
  console.log(L.join('\n'));
}

main();
