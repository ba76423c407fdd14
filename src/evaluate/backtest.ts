/**
 * Backtesting by rolling origin: cut the series at each origin year, forecast
 * the following years from the data up to the cut only, and score the
 * forecasts against what happened.
 *
 * Every forecast is made by {@link forecast} on the training slice, exactly
 * as a user would make it on that date: interior gaps (2018 in the DfE panel)
 * are filled by straight-line interpolation, `'auto'` chooses its method from
 * the training slice alone, and counts are clipped at zero. Target years
 * with no value are not scored, and are counted.
 *
 * Conventions (see also the metrics module):
 *
 * - error = forecast - actual (positive = over-forecast); bias = mean error.
 * - Each forecast's scaled error is its error divided by the MASE scale of
 *   its own training slice (the mean absolute yearly change of the values
 *   the model was fitted to, interpolated gaps included, as
 *   `selectMethod` scores); MASE is the mean absolute scaled error over
 *   all the forecasts in a group. With one origin this is R's
 *   `accuracy(f, x)` MASE.
 * - The scaled Winkler score divides each interval's Winkler score by the
 *   same scale, so areas of different sizes can be pooled.
 * - The CRPS scores the forecast distribution the bands came from, censored
 *   at 0 as the projection is clipped ({@link BacktestForecast} says how it
 *   is formed for analytic, bootstrap and conformal bands), raw and divided
 *   by the same scale.
 *
 * @module
 */
import { CarecastInputError, type InputProblem } from '../data/errors.js';
import { yearValuesOf, type SeriesInput, type YearValue } from '../data/yearValue.js';
import { checkLevels } from '../models/distribution.js';
import type { SeriesPopulation } from '../data/ons/panelPopulation.js';
import { DFE_GLOBAL_MEASURES, loadDfeGlobal } from '../models/global/dfeGlobal.js';
import { fitGlobal } from '../models/global/fitGlobal.js';
import type { GlobalFit } from '../models/global/shared.js';
import { isAnyMethodName, isGlobalMethodName, minObservations, type MethodOptions } from '../models/registry.js';
import type { PanelEvidence } from '../models/selectMethod.js';
import { GLOBAL_METHOD_NAMES, METHOD_NAMES, type AnyMethodName, type GlobalMethodName } from '../models/types.js';
import { forecast, type IntervalMethod, type Projection, type ProjectionBootstrapOptions } from '../project/forecast.js';
import { crpsForm, crpsOf } from './crps.js';
import { panelEvidence } from './panelEvidence.js';
import type {
  BacktestFailure,
  BacktestForecast,
  BacktestMethod,
  BacktestMetricRecord,
  BacktestOptions,
  BacktestPanelOptions,
  BacktestResult,
  BacktestSummary,
  PanelBacktestResult,
  PooledSummary,
} from './backtestTypes.js';

interface Checked {
  readonly methods: readonly BacktestMethod[];
  readonly horizon: number;
  readonly origins?: readonly number[];
  readonly levels: readonly number[];
  readonly methodOptions?: MethodOptions;
  readonly intervals?: IntervalMethod;
  readonly bootstrap?: ProjectionBootstrapOptions;
  /** The evidence `'auto'` follows at an origin (none: per-series choice). */
  readonly evidenceAt?: (origin: number) => PanelEvidence | undefined;
  /** A global method's fit at an origin (a panel: fitted on the panel cut there; one series: the bundled fit). */
  readonly globalFitAt?: (method: GlobalMethodName, origin: number) => GlobalFit;
  /** The child population of each series, by key, for the rate methods. */
  readonly populations?: ReadonlyMap<string, SeriesPopulation>;
}

const SOURCE = 'backtest options';

function checkOptions(options: BacktestOptions | BacktestPanelOptions | undefined, allowAsKnown = false): Checked & { readonly asKnown: boolean } {
  const problems: InputProblem[] = [];
  const o = (options ?? {}) as Partial<BacktestPanelOptions> & { populations?: unknown };
  const ev: unknown = o.evidence;
  let asKnown = false;
  let evidence: PanelEvidence | undefined;
  if (ev !== undefined) {
    if (ev === 'asKnown' && allowAsKnown) asKnown = true;
    else if (typeof ev === 'object' && ev !== null && (ev as { kind?: unknown }).kind === 'panelEvidence') evidence = ev as PanelEvidence;
    else {
      problems.push({
        source: SOURCE,
        field: 'evidence',
        message: `evidence must be panel evidence (from panelEvidence or loadDfeEvidence)${allowAsKnown ? " or 'asKnown'" : ''}, got ${JSON.stringify(ev)}`,
        fix: allowAsKnown ? "give evidence: 'asKnown', or a panelEvidence(...) result" : 'give a panelEvidence(...) result, or use backtestPanel with evidence: \'asKnown\'',
      });
    }
  }
  const methods = o.methods;
  if ((asKnown || evidence) && Array.isArray(methods) && !(methods as readonly string[]).includes('auto')) {
    problems.push({ source: SOURCE, field: 'evidence', message: 'panel evidence guides auto, which is not among the methods', fix: "add 'auto' to methods, or leave evidence out" });
  }
  if (!Array.isArray(methods) || methods.length === 0) {
    problems.push({ source: SOURCE, field: 'methods', message: 'no methods to compare', fix: "give methods such as ['naive', 'drift', 'auto']" });
  } else {
    const seen = new Set<string>();
    for (const m of methods as readonly string[]) {
      if (m !== 'auto' && !isAnyMethodName(m)) {
        problems.push({ source: SOURCE, field: 'methods', message: `unknown method "${String(m)}"`, fix: `use auto or one of ${[...METHOD_NAMES, ...GLOBAL_METHOD_NAMES].join(', ')}` });
      } else if (seen.has(m)) {
        problems.push({ source: SOURCE, field: 'methods', message: `method "${m}" is listed twice`, fix: 'list each method once' });
      }
      seen.add(m);
    }
  }
  const rates = Array.isArray(methods) ? (methods as readonly string[]).filter((m) => m === 'panelGrowthRate' || m === 'panelARRate') : [];
  const pops: unknown = allowAsKnown ? o.populations : (options as Partial<BacktestOptions> | undefined)?.population;
  if (rates.length > 0 && pops === undefined) {
    problems.push({
      source: SOURCE,
      field: allowAsKnown ? 'populations' : 'population',
      message: `${rates.join(' and ')} work on rates per 10,000 children and need ${allowAsKnown ? "each series' population" : "the series' population"}`,
      fix: allowAsKnown ? 'give populations: dfePanelPopulations(loadDfePanel()).populations (or your own map by series key)' : 'give population: { observed, projection, source }',
    });
  }
  if (allowAsKnown && pops !== undefined && !(pops instanceof Map)) {
    problems.push({ source: SOURCE, field: 'populations', message: 'populations must be a Map from series key to its population', fix: 'give dfePanelPopulations(loadDfePanel()).populations' });
  }
  const horizon = o.horizon;
  if (typeof horizon !== 'number' || !Number.isInteger(horizon) || horizon < 1) {
    problems.push({ source: SOURCE, field: 'horizon', message: `horizon must be a whole number of years, at least 1, got ${String(horizon)}`, fix: 'e.g. horizon: 3' });
  }
  let levels: number[] = [];
  try {
    levels = checkLevels(o.levels ?? [80, 95]);
  } catch (e) {
    problems.push({ source: SOURCE, field: 'levels', message: (e as Error).message, fix: 'give levels such as [80, 95]' });
  }
  if (o.intervals !== undefined && o.intervals !== 'analytic' && o.intervals !== 'bootstrap' && o.intervals !== 'conformal') {
    problems.push({ source: SOURCE, field: 'intervals', message: `unknown interval method "${String(o.intervals)}"`, fix: 'use analytic, bootstrap or conformal' });
  }
  if (o.bootstrap !== undefined && o.intervals !== 'bootstrap') {
    problems.push({ source: SOURCE, field: 'bootstrap', message: 'bootstrap options were given but intervals is not bootstrap', fix: "set intervals: 'bootstrap', or leave bootstrap out" });
  }
  if (o.origins !== undefined) {
    if (!Array.isArray(o.origins) || o.origins.length === 0) {
      problems.push({ source: SOURCE, field: 'origins', message: 'origins is empty', fix: 'give origin years, or leave origins out to use every possible one' });
    } else {
      const seen = new Set<number>();
      for (const y of o.origins) {
        if (!Number.isInteger(y)) problems.push({ source: SOURCE, field: 'origins', message: `origin must be a whole year, got ${String(y)}`, fix: 'e.g. origins: [2015, 2016, 2017]' });
        else if (seen.has(y)) problems.push({ source: SOURCE, field: 'origins', message: `origin ${y} is listed twice`, fix: 'list each origin once' });
        seen.add(y);
      }
    }
  }
  if (problems.length > 0) throw new CarecastInputError(problems);
  return {
    methods: methods as readonly BacktestMethod[],
    horizon: horizon as number,
    ...(o.origins ? { origins: [...o.origins].sort((a, b) => a - b) } : {}),
    levels,
    ...(o.methodOptions ? { methodOptions: o.methodOptions } : {}),
    ...(o.intervals ? { intervals: o.intervals } : {}),
    ...(o.bootstrap ? { bootstrap: o.bootstrap } : {}),
    ...(evidence ? { evidenceAt: () => evidence } : {}),
    ...(allowAsKnown && pops instanceof Map ? { populations: pops as ReadonlyMap<string, SeriesPopulation> } : {}),
    asKnown,
  };
}

function minLength(method: BacktestMethod, options?: MethodOptions): number {
  return method === 'auto' || isGlobalMethodName(method) ? 2 : minObservations(method, options);
}

/** The global method a backtest forecast uses: the one asked for, or the one `'auto'`'s evidence recommends at that origin. */
function globalOf(method: BacktestMethod, evidence: PanelEvidence | undefined): GlobalMethodName | undefined {
  if (method !== 'auto') return isGlobalMethodName(method) ? method : undefined;
  const m = evidence?.method;
  return m !== undefined && m !== 'auto' && isGlobalMethodName(m) ? m : undefined;
}

/** Decide the origins for one series; strict: throw on any bad origin, else drop it with a reason. */
function planOrigins(
  points: readonly YearValue[],
  label: string,
  c: Checked,
  strict: boolean,
): { origins: number[]; dropped: string[] } {
  const observed = points.filter((p) => p.value !== null).map((p) => p.year);
  const observedSet = new Set(observed);
  const fail = (message: string, fix: string, field: string): never => {
    throw new CarecastInputError([{ source: label, field, message, fix }]);
  };
  if (observed.length < 2) fail(`only ${observed.length} year(s) with a value: nothing to backtest`, 'supply a longer series', 'series');
  const first = observed[0];
  const last = observed[observed.length - 1];
  const needs = c.methods.map((m) => ({ m, n: minLength(m, c.methodOptions) }));
  const need = Math.max(...needs.map((x) => x.n));
  const longest = needs.find((x) => x.n === need)?.m ?? c.methods[0];
  if (c.origins === undefined) {
    const origins = observed.filter((y) => y - first + 1 >= need && y < last);
    if (origins.length === 0) {
      fail(
        `${longest} needs ${need} years of training data and at least one later year to score; the series has ${last - first + 1} (${first}-${last})`,
        'drop the methods needing long series, or supply more years',
        'series',
      );
    }
    return { origins, dropped: [] };
  }
  const problems: InputProblem[] = [];
  const dropped: string[] = [];
  const origins: number[] = [];
  for (const o of c.origins) {
    let why: string | undefined;
    let short = '';
    let fix = '';
    if (o < first || o >= last) {
      why = `origin ${o} is outside the data: origins run from ${first} to ${last - 1} (a later year is needed to score)`;
      short = `${o} (outside the data)`;
      fix = `give years from ${first} to ${last - 1}`;
    } else if (!observedSet.has(o)) {
      why = `origin ${o} has no value: an origin must be a year with a value`;
      short = `${o} (no value)`;
      fix = 'choose a neighbouring year';
    } else {
      const k = o - first + 1;
      const tooShort = needs.filter((x) => k < x.n);
      if (tooShort.length > 0) {
        why = `origin ${o} leaves ${k} training years (${first}-${o}); ${tooShort.map((x) => `${x.m} needs ${x.n}`).join(', ')}`;
        short = `${o} (too early for ${tooShort.map((x) => x.m).join(', ')})`;
        fix = `give origins from ${first + need - 1}`;
      }
    }
    if (why === undefined) origins.push(o);
    else if (strict) problems.push({ source: label, field: 'origins', message: why, fix });
    else dropped.push(short);
  }
  if (problems.length > 0) throw new CarecastInputError(problems);
  if (origins.length === 0) {
    fail(
      `none of the origins ${c.origins.join(', ')} can be used: the series has values ${first}-${last}, and origins must be years with a value from ${first + need - 1} (${longest} needs ${need} training years) to ${last - 1}`,
      'give origins inside the data, or leave them out',
      'origins',
    );
  }
  return { origins, dropped };
}

function trainingScale(p: Projection): number {
  const h = p.history;
  let s = 0;
  for (let i = 1; i < h.length; i++) s += Math.abs(h[i].used - h[i - 1].used);
  return h.length > 1 ? s / (h.length - 1) : NaN;
}

function winkler(y: number, lo: number, hi: number, alpha: number): number {
  let s = hi - lo;
  if (y < lo) s += (2 / alpha) * (lo - y);
  else if (y > hi) s += (2 / alpha) * (y - hi);
  return s;
}

function summarise(rows: readonly BacktestForecast[], method: BacktestMethod, h: number | null, levels: readonly number[]): BacktestSummary {
  let n = 0;
  let sumAbs = 0;
  let sumSq = 0;
  let sumErr = 0;
  let mapeSum = 0;
  let mapeN = 0;
  let smapeSum = 0;
  let smapeN = 0;
  let maseSum = 0;
  let maseN = 0;
  let crpsSum = 0;
  let crpsN = 0;
  let scaledCrpsSum = 0;
  let scaledCrpsN = 0;
  let unscored = 0;
  const iv = levels.map((level) => ({ level, lo: `lo_${level}` as const, hi: `hi_${level}` as const, alpha: (100 - level) / 100, inside: 0, w: 0, sw: 0, sn: 0 }));
  for (const r of rows) {
    if (r.actual === null || r.error === null) {
      unscored++;
      continue;
    }
    const y = r.actual;
    const e = r.error;
    n++;
    sumAbs += Math.abs(e);
    sumSq += e * e;
    sumErr += e;
    if (y !== 0) {
      mapeSum += (100 * Math.abs(e)) / Math.abs(y);
      mapeN++;
    }
    const d = Math.abs(y) + Math.abs(r.point);
    if (d > 0) {
      smapeSum += (200 * Math.abs(e)) / d;
      smapeN++;
    }
    const scaled = r.scale > 0;
    if (scaled && r.scaledError !== null) {
      maseSum += Math.abs(r.scaledError);
      maseN++;
    }
    if (r.crps !== null) {
      crpsSum += r.crps;
      crpsN++;
    }
    if (r.scaledCrps !== null) {
      scaledCrpsSum += r.scaledCrps;
      scaledCrpsN++;
    }
    for (const l of iv) {
      const lo = r[l.lo];
      const hi = r[l.hi];
      if (y >= lo && y <= hi) l.inside++;
      const w = winkler(y, lo, hi, l.alpha);
      l.w += w;
      if (scaled) {
        l.sw += w / r.scale;
        l.sn++;
      }
    }
  }
  const div = (a: number, b: number): number => (b > 0 ? a / b : NaN);
  return {
    method,
    h,
    n,
    mae: div(sumAbs, n),
    rmse: Math.sqrt(div(sumSq, n)),
    bias: div(sumErr, n),
    mape: div(mapeSum, mapeN),
    mapeN,
    smape: div(smapeSum, smapeN),
    smapeN,
    mase: div(maseSum, maseN),
    maseN,
    unscored,
    crps: div(crpsSum, crpsN),
    crpsN,
    scaledCrps: div(scaledCrpsSum, scaledCrpsN),
    scaledCrpsN,
    intervals: iv.map((l) => ({ level: l.level, n, coverage: div(l.inside, n), winkler: div(l.w, n), scaledWinkler: div(l.sw, l.sn), scaledN: l.sn })),
  };
}

function yearList(years: readonly number[]): string {
  return years.join(', ');
}

/** What one series' backtest tells the panel besides its result. */
interface RunExtras {
  /** Origins left out, with why. */
  readonly dropped: readonly string[];
  /** Per method, scored forecasts whose distribution has no finite mean (CRPS from its quantile grid). */
  readonly gridScored: ReadonlyMap<BacktestMethod, number>;
  /** Global methods' (method, origin) pairs forecast by naive, as their rule says, with why. */
  readonly globalNaive: readonly { method: BacktestMethod; origin: number; reason: string }[];
}

/** The caveat for CRPS scored on a quantile grid. */
function gridCaveat(method: BacktestMethod, k: number, models: string): string {
  return (
    `${k} of ${method}'s scored forecast distributions (${models}) have no finite mean (e.g. the exp of a Student t from few years), so their exact CRPS is infinite: ` +
    'their CRPS is that of their 100 midpoint quantiles (crpsQuantiles), a finite stand-in that grows with the grid and can be huge.'
  );
}

function runBacktest(
  series: SeriesInput,
  c: Checked,
  strict: boolean,
  name?: string,
  population?: SeriesPopulation,
): BacktestResult & RunExtras {
  const { area: own, measure, points } = yearValuesOf(series);
  // in a panel, a series without an area of its own (plain year-value pairs) is named by its key
  const area = name !== undefined && own === 'series' ? name : own;
  const label = area === 'series' ? 'backtest series' : `${area} ${measure}`;
  const { origins, dropped } = planOrigins(points, label, c, strict);
  const observed = points.filter((p) => p.value !== null);
  const first = observed[0].year;
  const last = observed[observed.length - 1].year;
  const actualOf = new Map(points.map((p) => [p.year, p.value]));
  const forecasts: BacktestForecast[] = [];
  const failures: BacktestFailure[] = [];
  const autoChoices: { origin: number; method: AnyMethodName }[] = [];
  const globalNaive: { method: BacktestMethod; origin: number; reason: string }[] = [];
  const pop = population ?? c.populations?.get(name ?? area);
  const imputed = new Set<number>();
  const unscoredYears = new Set<number>();
  const zeroScale = new Set<number>();
  /** Per method, scored forecasts whose distribution has no finite mean (CRPS from its quantile grid). */
  const gridScored = new Map<BacktestMethod, number>();
  const keys = c.levels.map((l) => ({ lo: `lo_${l}` as const, hi: `hi_${l}` as const }));
  for (const method of c.methods) {
    for (const origin of origins) {
      const steps = Math.min(c.horizon, last - origin);
      const slice = points.filter((p) => p.year <= origin);
      let p: Projection;
      try {
        const evidence = method === 'auto' ? c.evidenceAt?.(origin) : undefined;
        const glob = globalOf(method, evidence);
        const fit = glob !== undefined ? c.globalFitAt?.(glob, origin) : undefined;
        p = forecast(slice, {
          method,
          horizon: steps,
          levels: c.levels,
          ...(c.methodOptions ? { methodOptions: c.methodOptions } : {}),
          // the model's own bands unless others are asked for: forecast()'s default (the bundled
          // pooled calibration) rests on these very errors
          intervals: c.intervals ?? 'analytic',
          ...(c.bootstrap ? { bootstrap: c.bootstrap } : {}),
          ...(evidence ? { evidence } : {}),
          ...(fit ? { panel: fit } : {}),
          ...(glob !== undefined && pop ? { population: pop } : {}),
        });
        if (glob !== undefined && p.method === 'naive') globalNaive.push({ method, origin, reason: p.caveats.find((x) => x.startsWith('Forecast by naive')) ?? 'Forecast by naive.' });
      } catch (e) {
        if (e instanceof CarecastInputError || e instanceof RangeError) {
          failures.push({ method, origin, message: e instanceof CarecastInputError ? e.problems.map((q) => q.message).join('; ') : e.message });
          continue;
        }
        throw e;
      }
      if (method === 'auto') autoChoices.push({ origin, method: p.method });
      for (const hp of p.history) if (hp.imputed) imputed.add(hp.year);
      const scale = trainingScale(p);
      if (!(scale > 0)) zeroScale.add(origin);
      for (let i = 0; i < steps; i++) {
        const target = origin + i + 1;
        const v = actualOf.get(target);
        const actual = v === undefined ? null : v;
        if (actual === null) unscoredYears.add(target);
        const point = p.point[i];
        const error = actual === null ? null : point - actual;
        let crps: number | null = null;
        if (actual !== null) {
          // the distribution the bands came from, censored at 0 as the projection is clipped
          const dist = p.distributions[i];
          const v = crpsOf(actual, dist, { lower: 0 });
          crps = Number.isFinite(v) ? v : null;
          if (crpsForm(dist) === 'grid') gridScored.set(method, (gridScored.get(method) ?? 0) + 1);
        }
        const row: BacktestForecast = {
          area,
          method,
          model: p.method,
          origin,
          target,
          h: i + 1,
          trainingYears: origin - first + 1,
          actual,
          point,
          error,
          scale,
          scaledError: error === null || !(scale > 0) ? null : error / scale,
          crps,
          scaledCrps: crps === null || !(scale > 0) ? null : crps / scale,
        };
        p.intervals.forEach((iv, j) => {
          row[keys[j].lo] = iv.lower[i];
          row[keys[j].hi] = iv.upper[i];
        });
        forecasts.push(row);
      }
    }
  }
  const byMethod: BacktestSummary[] = [];
  const byHorizon: BacktestSummary[] = [];
  for (const m of c.methods) {
    const rows = forecasts.filter((r) => r.method === m);
    byMethod.push(summarise(rows, m, null, c.levels));
    for (let h = 1; h <= c.horizon; h++) {
      byHorizon.push(
        summarise(
          rows.filter((r) => r.h === h),
          m,
          h,
          c.levels,
        ),
      );
    }
  }
  const caveats: string[] = [];
  const maxN = Math.max(0, ...byMethod.map((s) => s.n));
  if (origins.length < 3) {
    caveats.push(
      `Only ${origins.length} forecast origin${origins.length === 1 ? '' : 's'} (${yearList(origins)}): the metrics rest on ${maxN} scored forecast${maxN === 1 ? '' : 's'} per method at most; read them as indicative, not as a ranking.`,
    );
  } else {
    const atH = byHorizon.filter((s) => s.h === c.horizon).map((s) => s.n);
    const nH = Math.min(...atH);
    if (c.horizon > 1 && nH < 3) caveats.push(`Only ${nH} forecast${nH === 1 ? '' : 's'} per method can be scored ${c.horizon} years ahead: the h = ${c.horizon} metrics are very uncertain.`);
  }
  const unscoredList = [...unscoredYears].sort((a, b) => a - b);
  if (unscoredList.length > 0) {
    const count = Math.max(...byMethod.map((b) => b.unscored));
    caveats.push(
      `No value for ${yearList(unscoredList)}: ${count} forecast${count === 1 ? '' : 's'} per method of ${unscoredList.length === 1 ? 'that year' : 'those years'} ${count === 1 ? 'was' : 'were'} made but not scored.`,
    );
  }
  const imputedList = [...imputed].sort((a, b) => a - b);
  if (imputedList.length > 0) {
    caveats.push(
      `Training data including ${yearList(imputedList)} had ${imputedList.length === 1 ? 'it' : 'them'} filled by straight-line interpolation, as forecast() does; the MASE scale uses the filled values.`,
    );
  }
  if (zeroScale.size > 0) {
    caveats.push(`The training data up to ${yearList([...zeroScale].sort((a, b) => a - b))} never changed (MASE scale 0): those forecasts are left out of MASE, the scaled Winkler score and the scaled CRPS.`);
  }
  const zeroActuals = byMethod.reduce((s, b) => Math.max(s, b.n - b.mapeN), 0);
  if (zeroActuals > 0) caveats.push(`${zeroActuals} scored forecast${zeroActuals === 1 ? '' : 's'} per method had an actual value of 0: left out of MAPE.`);
  for (const m of c.methods) {
    const f = failures.filter((x) => x.method === m);
    if (f.length > 0) caveats.push(`${m} could not be fitted at ${f.length === 1 ? 'origin' : 'origins'} ${yearList(f.map((x) => x.origin))} (${f[0].message}); its metrics leave those out, so they rest on fewer forecasts than the others'.`);
  }
  if (autoChoices.length > 0) {
    const by = new Map<AnyMethodName, number[]>();
    for (const a of autoChoices) by.set(a.method, [...(by.get(a.method) ?? []), a.origin]);
    caveats.push(`auto chose its method at each origin from the training data only: ${[...by].map(([m, os]) => `${m} (${yearList(os)})`).join(', ')}.`);
  }
  for (const [m, k] of gridScored) {
    caveats.push(gridCaveat(m, k, [...new Set(forecasts.filter((f) => f.method === m && f.actual !== null).map((f) => f.model))].join(', ')));
  }
  if (dropped.length > 0) caveats.push(`Origins left out for this series: ${dropped.join(', ')}.`);
  for (const m of c.methods) {
    const f = globalNaive.filter((x) => x.method === m);
    if (f.length > 0) caveats.push(`${m} forecast by naive at ${f.length === 1 ? 'origin' : 'origins'} ${yearList(f.map((x) => x.origin))}: ${f[0].reason.replace(/^Forecast by naive: /, '')}`);
  }
  return {
    kind: 'series',
    area,
    measure,
    methods: c.methods,
    origins,
    horizon: c.horizon,
    levels: c.levels,
    forecasts,
    byMethod,
    byHorizon,
    unscoredYears: unscoredList,
    imputedYears: imputedList,
    autoChoices,
    failures,
    caveats,
    dropped,
    gridScored,
    globalNaive,
  };
}

/**
 * Backtest forecasting methods on one annual series by rolling origin.
 *
 * At each origin year the series is cut after that year and every method
 * forecasts 1..`horizon` years ahead with {@link forecast}, from the data up
 * to the cut only (gaps in the training data are interpolated as
 * `forecast()` does; `'auto'` chooses its method from the training data
 * only). Forecasts are made for target years up to the last year with a
 * value; target years with no value (e.g. 2018 in the DfE panel) are kept
 * with `actual: null`, not scored, and counted. The forecasts are then
 * scored per method over all steps and per step: MAE, RMSE, MAPE, sMAPE,
 * MASE and bias (forecast - actual), the CRPS of the forecast distributions
 * (raw and scaled; see {@link BacktestForecast} for how it is formed for
 * each kind of band), and per level the interval coverage and the Winkler
 * score (raw and scaled). Each measure states the number of
 * forecasts it rests on, and the caveats say when that is small: with 5-10
 * annual points, a handful.
 *
 * @param series - an annual series, or `{ year, value }` pairs
 * @param options - methods, horizon, origins (default: every possible one), levels, method options, interval method (and bootstrap paths and seed)
 * @returns every forecast as a tidy row, the summaries, and caveats
 * @throws CarecastInputError naming the field: `methods` (none, unknown or
 *   repeated), `horizon` (not a whole number of at least 1), `levels`,
 *   `intervals` (unknown), `bootstrap` (given without bootstrap intervals),
 *   `origins` (not whole years, repeated, outside the data, a year with no
 *   value, or too early for a method's minimum training length), `series`
 *   (too short for any origin), or a bad series (as {@link forecast})
 * @example
 * ```ts
 * const r = backtest(
 *   [{ year: 2018, value: 719 }, { year: 2019, value: 802 }, { year: 2020, value: 861 }, { year: 2021, value: 899 },
 *    { year: 2022, value: 909 }, { year: 2023, value: 995 }, { year: 2024, value: 1057 }],
 *   { methods: ['naive', 'drift', 'auto'], horizon: 3 },
 * );
 * r.origins;                         // [2020, 2021, 2022, 2023]
 * r.byMethod.map((s) => [s.method, s.mase, s.scaledCrps, s.n]);
 * console.log(formatBacktestTable(r));
 * ```
 */
export function backtest(series: SeriesInput, options: BacktestOptions): BacktestResult {
  const checked = checkOptions(options);
  const globals = checked.methods.filter((m): m is GlobalMethodName => m !== 'auto' && isGlobalMethodName(m));
  let c: Checked = checked;
  let bundledNote: string | undefined;
  if (globals.length > 0) {
    // one series has no panel: the global methods use the bundled DfE panel's fit for its measure
    const { measure } = yearValuesOf(series);
    const m = (DFE_GLOBAL_MEASURES as readonly string[]).includes(measure) ? measure : 'children_in_care';
    const bundled = loadDfeGlobal(m);
    c = {
      ...checked,
      globalFitAt: (method) => {
        const fit = bundled.fits[method];
        if (!fit) throw new CarecastInputError([{ source: SOURCE, field: 'methods', message: `the bundled DfE panel has no ${method} fit for ${m}`, fix: 'leave it out, or backtest a panel with backtestPanel' }]);
        return fit;
      },
    };
    bundledNote =
      `${globals.join(', ')} used the dynamics fitted on the bundled DfE panel (${m.replace(/_/g, ' ')}) at ${bundled.origin}, so at earlier origins ${globals.length === 1 ? 'it' : 'they'} knew later years: ` +
      'read their scores as optimistic, and backtest a panel (backtestPanel) to fit them as known at each origin.';
  }
  const { dropped: _dropped, gridScored: _grid, globalNaive: _naive, ...result } = runBacktest(series, c, true, undefined, options.population);
  return bundledNote ? { ...result, caveats: [...result.caveats, bundledNote] } : result;
}

/** Fit each global method once per origin on the whole panel cut there (memoised). */
function globalFitsOf(seriesByArea: ReadonlyMap<string, SeriesInput>, c: Checked): (method: GlobalMethodName, origin: number) => GlobalFit {
  const memo = new Map<string, GlobalFit>();
  return (method, origin) => {
    const key = `${method}\u0000${origin}`;
    let fit = memo.get(key);
    if (!fit) {
      fit = fitGlobal(method, seriesByArea, {
        origin,
        ...(c.populations ? { population: c.populations } : {}),
        ...(c.methodOptions?.panelGrowth ? { panelGrowth: c.methodOptions.panelGrowth } : {}),
        ...(c.methodOptions?.panelAR ? { panelAR: c.methodOptions.panelAR } : {}),
        description: `this panel of ${seriesByArea.size} series, cut at ${origin}`,
      });
      memo.set(key, fit);
    }
    return fit;
  };
}

/** Every method's and per-series auto's backtest forecasts on every area, each from all its possible origins (for 'asKnown' evidence). */
function candidateForecasts(seriesByArea: ReadonlyMap<string, SeriesInput>, c: Checked): BacktestForecast[] {
  const rows: BacktestForecast[] = [];
  // the global methods as known at each origin too (the rate methods where populations are given)
  const globals = GLOBAL_METHOD_NAMES.filter((m) => c.populations !== undefined || (m !== 'panelGrowthRate' && m !== 'panelARRate'));
  for (const m of [...METHOD_NAMES, ...globals, 'auto'] as const) {
    const one: Checked = {
      methods: [m],
      horizon: c.horizon,
      levels: c.levels,
      ...(c.methodOptions ? { methodOptions: c.methodOptions } : {}),
      ...(c.globalFitAt ? { globalFitAt: c.globalFitAt } : {}),
      ...(c.populations ? { populations: c.populations } : {}),
    };
    for (const [name, series] of seriesByArea) {
      try {
        for (const f of runBacktest(series, one, false, name).forecasts) rows.push(f);
      } catch (e) {
        if (!(e instanceof CarecastInputError)) throw e;
      }
    }
  }
  return rows;
}

/**
 * Backtest the same methods on many series (e.g. every LA of
 * `loadDfePanel`) and pool the results: per method, over all steps and
 * per step, the MASE (mean absolute scaled error over every scored forecast
 * of every area), the scaled bias, the scaled CRPS, the interval coverage
 * and the scaled Winkler score, with the number of forecasts and areas each
 * rests on.
 *
 * Options are checked once, up front. Each area then uses its own default
 * origins, or the given origins that fit its data (the others are dropped
 * and said so in its caveats). An area whose series is bad or too short is
 * skipped and listed with the reason, so one short series does not stop the
 * panel.
 *
 * With `evidence: 'asKnown'`, `'auto'` follows cross-learned panel
 * evidence at each origin (see {@link BacktestPanelOptions.evidence}); the
 * evidence used is returned in `evidence`, and a caveat lists it.
 *
 * @param seriesByArea - the series, keyed by area name (the key names a series that has no area of its own)
 * @param options - as {@link backtest}, plus `onProgress(done, total)` called after each area and `evidence`
 * @returns each area's result, the pooled summaries, the skipped areas and caveats
 * @throws CarecastInputError for bad options (`methods`, `horizon`, `levels`, `origins`, `intervals`, `bootstrap`, `evidence`)
 * @example
 * ```ts
 * const panel = loadDfePanel();
 * const cic = panelSeries(panel); // every LA's children in care
 * const r = backtestPanel(cic, { methods: ['naive', 'drift', 'linear', 'auto'], horizon: 3 });
 * console.log(formatBacktestTable(r));
 * ```
 */
export function backtestPanel(seriesByArea: ReadonlyMap<string, SeriesInput>, options: BacktestPanelOptions): PanelBacktestResult {
  const checkedOptions = checkOptions(options, true);
  const checked: Checked & { readonly asKnown: boolean } = { ...checkedOptions, globalFitAt: globalFitsOf(seriesByArea, checkedOptions) };
  const evidenceByOrigin = new Map<number, PanelEvidence>();
  let c: Checked = checked;
  if (checked.asKnown && checked.methods.includes('auto')) {
    const evidenceRows = candidateForecasts(seriesByArea, checked);
    const memo = new Map<number, PanelEvidence | undefined>();
    c = {
      ...checked,
      evidenceAt: (origin) => {
        if (!memo.has(origin)) {
          let e: PanelEvidence | undefined;
          try {
            e = panelEvidence(evidenceRows, { asOf: origin, maxStep: checked.horizon, source: `this panel's backtest errors known by ${origin}` });
          } catch (err) {
            if (!(err instanceof RangeError)) throw err;
          }
          memo.set(origin, e);
          if (e) evidenceByOrigin.set(origin, e);
        }
        return memo.get(origin);
      },
    };
  }
  const total = seriesByArea.size;
  const byArea = new Map<string, BacktestResult>();
  const skipped: { area: string; reason: string }[] = [];
  const globalNaive = new Map<BacktestMethod, number>();
  let done = 0;
  const gridScored = new Map<BacktestMethod, number>();
  for (const [name, series] of seriesByArea) {
    try {
      const { dropped: _dropped, gridScored: grid, globalNaive: naive, ...result } = runBacktest(series, c, false, name);
      for (const x of naive) globalNaive.set(x.method, (globalNaive.get(x.method) ?? 0) + 1);
      byArea.set(name, result);
      for (const [m, k] of grid) gridScored.set(m, (gridScored.get(m) ?? 0) + k);
    } catch (e) {
      if (!(e instanceof CarecastInputError)) throw e;
      skipped.push({ area: name, reason: e.problems.map((q) => q.message).join('; ') });
    }
    done++;
    options.onProgress?.(done, total);
  }
  // one accumulator per method and step (index 0: all steps), filled in one pass over every forecast
  const steps = c.horizon + 1;
  const acc = c.methods.map(() =>
    Array.from({ length: steps }, () => ({
      n: 0,
      maseN: 0,
      absSum: 0,
      sum: 0,
      crpsSum: 0,
      crpsN: 0,
      areas: 0,
      lastArea: -1,
      iv: c.levels.map((level) => ({ level, lo: `lo_${level}` as const, hi: `hi_${level}` as const, alpha: (100 - level) / 100, inside: 0, sw: 0, sn: 0 })),
    })),
  );
  const methodIndex = new Map(c.methods.map((m, i) => [m, i]));
  let areaIndex = 0;
  for (const r of byArea.values()) {
    for (const f of r.forecasts) {
      if (f.actual === null) continue;
      const row = acc[methodIndex.get(f.method) ?? 0];
      for (const a of [row[0], row[f.h]]) {
        a.n++;
        if (a.lastArea !== areaIndex) {
          a.areas++;
          a.lastArea = areaIndex;
        }
        const scaled = f.scaledError !== null;
        if (f.scaledError !== null) {
          a.maseN++;
          a.absSum += Math.abs(f.scaledError);
          a.sum += f.scaledError;
        }
        if (f.scaledCrps !== null) {
          a.crpsN++;
          a.crpsSum += f.scaledCrps;
        }
        for (const l of a.iv) {
          const lo = f[l.lo];
          const hi = f[l.hi];
          if (f.actual >= lo && f.actual <= hi) l.inside++;
          if (scaled) {
            l.sw += winkler(f.actual, lo, hi, l.alpha) / f.scale;
            l.sn++;
          }
        }
      }
    }
    areaIndex++;
  }
  const div = (a: number, b: number): number => (b > 0 ? a / b : NaN);
  const pooled: PooledSummary[] = [];
  c.methods.forEach((method, mi) => {
    acc[mi].forEach((a, hi) => {
      pooled.push({
        method,
        h: hi === 0 ? null : hi,
        n: a.n,
        areas: a.areas,
        mase: div(a.absSum, a.maseN),
        scaledBias: div(a.sum, a.maseN),
        maseN: a.maseN,
        scaledCrps: div(a.crpsSum, a.crpsN),
        scaledCrpsN: a.crpsN,
        intervals: a.iv.map((l) => ({ level: l.level, n: a.n, coverage: div(l.inside, a.n), scaledWinkler: div(l.sw, l.sn), scaledN: l.sn })),
      });
    });
  });
  const caveats: string[] = [];
  if (skipped.length > 0) {
    const shown = skipped.slice(0, 5).map((s) => `${s.area} (${s.reason})`);
    caveats.push(`${skipped.length} of ${total} areas not backtested: ${shown.join('; ')}${skipped.length > 5 ? `; and ${skipped.length - 5} more (see skipped)` : ''}.`);
  }
  const originSets = new Map<string, number>();
  for (const r of byArea.values()) {
    const k = r.origins.join(',');
    originSets.set(k, (originSets.get(k) ?? 0) + 1);
  }
  if (originSets.size > 1) {
    caveats.push(`Areas were backtested from different origins (${originSets.size} different sets, because their series differ in length): areas with more origins weigh more in the pooled measures.`);
  }
  const unscored = new Set<number>();
  let unscoredN = 0;
  for (const r of byArea.values()) {
    for (const y of r.unscoredYears) unscored.add(y);
    for (const f of r.forecasts) if (f.actual === null) unscoredN++;
  }
  if (unscored.size > 0) caveats.push(`No value for ${yearList([...unscored].sort((a, b) => a - b))} in some areas: ${unscoredN} forecasts of those years were made but not scored.`);
  const failed = [...byArea.values()].reduce((s, r) => s + r.failures.length, 0);
  if (failed > 0) caveats.push(`${failed} (area, method, origin) fits failed and are left out (see each area's failures).`);
  for (const [m, k] of gridScored) {
    const models = new Set<string>();
    for (const r of byArea.values()) for (const f of r.forecasts) if (f.method === m && f.actual !== null) models.add(f.model);
    caveats.push(gridCaveat(m, k, [...models].join(', ')));
  }
  const fitted = c.methods.filter((m): m is GlobalMethodName => m !== 'auto' && isGlobalMethodName(m));
  if (fitted.length > 0) {
    caveats.push(
      `${fitted.join(', ')} ${fitted.length === 1 ? 'was' : 'were'} fitted at each origin on every series of this panel cut at that origin (2018-style gaps filled as forecast() fills them), so no forecast used a later year.`,
    );
  }
  for (const [m, k] of globalNaive) {
    caveats.push(`${m} forecast ${k} (area, origin) pair${k === 1 ? '' : 's'} by naive, as its rule says (a value below 1 in the last 6 years, too few years, or no regression fitted at that origin); see each area's caveats.`);
  }
  if (evidenceByOrigin.size > 0) {
    const os = [...evidenceByOrigin.keys()].sort((a, b) => a - b);
    caveats.push(
      `auto followed this panel's evidence as known at each origin (errors with target years up to it): ${os.map((o) => `${o} ${evidenceByOrigin.get(o)!.method}`).join(', ')}` +
        '; where there was none yet, each series chose its own method.',
    );
  }
  return {
    kind: 'panel',
    methods: c.methods,
    horizon: c.horizon,
    levels: c.levels,
    areas: total,
    byArea,
    skipped,
    pooled,
    caveats,
    ...(evidenceByOrigin.size > 0 ? { evidence: new Map([...evidenceByOrigin].sort((a, b) => a[0] - b[0])) } : {}),
  };
}

function seriesRecords(r: BacktestResult, area: string = r.area): BacktestMetricRecord[] {
  const out: BacktestMetricRecord[] = [];
  const v = (x: number): number | null => (Number.isFinite(x) ? x : null);
  for (const s of [...r.byMethod, ...r.byHorizon]) {
    const base = { scope: 'series' as const, area, method: s.method, h: s.h === null ? ('all' as const) : s.h };
    out.push(
      { ...base, metric: 'mae', level: null, value: v(s.mae), n: s.n },
      { ...base, metric: 'rmse', level: null, value: v(s.rmse), n: s.n },
      { ...base, metric: 'bias', level: null, value: v(s.bias), n: s.n },
      { ...base, metric: 'mape', level: null, value: v(s.mape), n: s.mapeN },
      { ...base, metric: 'smape', level: null, value: v(s.smape), n: s.smapeN },
      { ...base, metric: 'mase', level: null, value: v(s.mase), n: s.maseN },
      { ...base, metric: 'crps', level: null, value: v(s.crps), n: s.crpsN },
      { ...base, metric: 'scaled_crps', level: null, value: v(s.scaledCrps), n: s.scaledCrpsN },
    );
    for (const iv of s.intervals) {
      out.push(
        { ...base, metric: 'coverage', level: iv.level, value: v(iv.coverage), n: iv.n },
        { ...base, metric: 'winkler', level: iv.level, value: v(iv.winkler), n: iv.n },
        { ...base, metric: 'scaled_winkler', level: iv.level, value: v(iv.scaledWinkler), n: iv.scaledN },
      );
    }
  }
  return out;
}

/**
 * A backtest's measures as tidy rows, one measure per row (for CSV with
 * `toCsv`, spreadsheets or plotting): scope, area, method, step
 * (`'all'` or 1..horizon), metric, level (interval measures) and value, with
 * the number of forecasts it rests on. For a panel: the pooled rows, and with
 * `areas: true` every area's rows before them. The forecasts themselves are
 * already tidy rows: `toCsv(result.forecasts)`.
 *
 * @param result - from {@link backtest} or {@link backtestPanel}
 * @param options - `areas`: for a panel, include every area's own rows (default false)
 * @returns the rows
 * @example
 * ```ts
 * const r = backtest(series, { methods: ['naive', 'drift'], horizon: 3 });
 * writeFileSync('backtest-metrics.csv', toCsv(backtestRecords(r)));
 * writeFileSync('backtest-forecasts.csv', toCsv(r.forecasts));
 * ```
 */
export function backtestRecords(result: BacktestResult | PanelBacktestResult, options: { readonly areas?: boolean } = {}): BacktestMetricRecord[] {
  if (result.kind === 'series') return seriesRecords(result);
  const out: BacktestMetricRecord[] = [];
  if (options.areas) for (const [name, r] of result.byArea) out.push(...seriesRecords(r, name));
  const v = (x: number): number | null => (Number.isFinite(x) ? x : null);
  for (const s of result.pooled) {
    const base = { scope: 'pooled' as const, area: null, method: s.method, h: s.h === null ? ('all' as const) : s.h };
    out.push(
      { ...base, metric: 'mase', level: null, value: v(s.mase), n: s.maseN },
      { ...base, metric: 'scaled_bias', level: null, value: v(s.scaledBias), n: s.maseN },
      { ...base, metric: 'scaled_crps', level: null, value: v(s.scaledCrps), n: s.scaledCrpsN },
    );
    for (const iv of s.intervals) {
      out.push(
        { ...base, metric: 'coverage', level: iv.level, value: v(iv.coverage), n: iv.n },
        { ...base, metric: 'scaled_winkler', level: iv.level, value: v(iv.scaledWinkler), n: iv.scaledN },
      );
    }
  }
  return out;
}
