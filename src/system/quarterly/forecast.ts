/**
 * Quarterly series: fit and forecast on the quarter index, report on
 * 31 March and per financial year.
 *
 * Periods are financial-year quarters: `{ year: 2024, quarter: 4 }` is
 * January-March 2024, the last quarter of 2023/24, ending 31 March 2024
 * (Q1 ends 30 June, Q2 30 September, Q3 31 December). Snapshot series
 * (`kind: 'snapshot'`, e.g. children in care) are counts at quarter ends, so
 * the 31 March figure of a year *is* its Q4 value. Flow series (`'flow'`,
 * e.g. starters, ceased) and money (`'amount'`) are counts or sums during the
 * quarter, so a financial year's figure is the sum of its four quarters.
 *
 * The forecast fits the existing annual methods ({@link fitMethod}) to the
 * quarterly values in order, one step per quarter, and simulates seeded
 * sample paths ({@link FittedModel.simulate}); financial-year totals and
 * averages take their bands from those paths, never by adding bounds.
 *
 * In this folder: `periods.ts` the quarters, `history.ts` a series on the
 * quarter index, `seasonality.ts` the test for a seasonal pattern,
 * `forecast.ts` the forecast, `toAnnual.ts` its annual reporting,
 * `annualHistory.ts` annual history from quarterly data.
 *
 * @module
 */
import { CarecastInputError } from '../../data/errors.js';
import type { Breakdown, QuarterlySeries, SeriesKind } from '../../data/schemas.js';
import { checkLevels, intervalsOf, medianOf } from '../../models/distribution.js';
import { fitMethod, isMethodName, type MethodOptions, minObservations } from '../../models/registry.js';
import { type MethodSelection, selectMethod } from '../../models/selectMethod.js';
import type { Distribution, FitDiagnostics, FittedModel, ForecastInterval, MethodName, SamplePaths } from '../../models/types.js';
import { buildHistory, type QuarterlyHistoryPoint } from './history.js';
import { DEFAULT_QUARTERLY_PATHS, indexOf, label, MIN_QUARTERS_FOR_SEASONALITY, periodLabel, type QuarterLabel, quarterOf, yearOf } from './periods.js';
import { checkSeasonality, type SeasonalityCheck } from './seasonality.js';

/** Options for {@link forecastQuarterly}. */
export interface QuarterlyForecastOptions {
  /** Forecast to Q4 of the financial year ending 31 March of this year (e.g. 2030 = to 31 March 2030). Give this or `horizonQuarters`. */
  readonly toYear?: number;
  /** Quarters to forecast beyond the last observation. Give this or `toYear`. */
  readonly horizonQuarters?: number;
  /**
   * A method, or `'auto'` (default): chosen by rolling-origin accuracy over
   * 1-4 quarters ahead among naive, drift, linear, loglinear and dampedTrend
   * (`repeatGrowth` reproduces the documents' annual method and is used only
   * when asked for).
   */
  readonly method?: MethodName | 'auto';
  /** Interval levels in percent (default `[80, 95]`). */
  readonly levels?: readonly number[];
  /** Number of simulated paths (default {@link DEFAULT_QUARTERLY_PATHS}). */
  readonly paths?: number;
  /** Seed of the path simulation (default 1); the same seed gives the same result. */
  readonly seed?: number;
  /** Fill missing quarters inside the series by straight-line interpolation (with a caveat) instead of failing. */
  readonly allowGaps?: boolean;
  /**
   * `'auto'` (default): test for a seasonal pattern when there are at least
   * {@link MIN_QUARTERS_FOR_SEASONALITY} quarters and remove it before
   * fitting if significant at 5%; `'ignore'`: never; `'adjust'`: always
   * (needs at least 12 quarters).
   */
  readonly seasonality?: 'auto' | 'ignore' | 'adjust';
  /** Per-method options. */
  readonly methodOptions?: MethodOptions;
}

/** The result of {@link forecastQuarterly}. */
export interface QuarterlyForecast {
  /** The area the series describes. */
  readonly area: string;
  /** The measure, e.g. `started`. */
  readonly measure: string;
  /** Snapshot (quarter-end count), flow (count in the quarter), amount, rate or share. */
  readonly kind: SeriesKind;
  /** The unit of the values. */
  readonly unit: QuarterlySeries['unit'];
  /** The breakdown (empty for the total). */
  readonly breakdown: Breakdown;
  /** The method used. */
  readonly method: MethodName;
  /** The method asked for. */
  readonly requestedMethod: MethodName | 'auto';
  /** How `auto` chose, when it did. */
  readonly selection?: MethodSelection;
  /** The seasonality check and whether the forecast adjusted for it. */
  readonly seasonality: SeasonalityCheck;
  /** The history used, quarter by quarter. */
  readonly history: readonly QuarterlyHistoryPoint[];
  /** The forecast quarters. */
  readonly quarters: readonly QuarterLabel[];
  /** Point forecast per quarter (never below zero). */
  readonly point: readonly number[];
  /** Analytic prediction intervals per quarter (never below zero), one per level. */
  readonly intervals: readonly ForecastInterval[];
  /** The interval levels, ascending. */
  readonly levels: readonly number[];
  /** The forecast distribution per quarter (before clipping at zero). */
  readonly distributions: readonly Distribution[];
  /** Simulated future paths (one step per forecast quarter, clipped at zero). */
  readonly paths: SamplePaths;
  /** The seed the paths were drawn with. */
  readonly seed: number;
  /** The fit's parameters and residuals (on the seasonally adjusted scale when adjusted). */
  readonly diagnostics: FitDiagnostics;
  /** Plain-language warnings. */
  readonly caveats: readonly string[];
}

function optionError(field: string, message: string, fix: string): never {
  throw new CarecastInputError([{ source: 'forecastQuarterly options', field, message, fix }]);
}

/** Shift a distribution by a seasonal effect (added, or multiplied by exp(effect)). */
function shiftDistribution(d: Distribution, s: number, scale: 'additive' | 'multiplicative'): Distribution {
  if (scale === 'multiplicative') {
    const f = Math.exp(s);
    switch (d.type) {
      case 'exp':
        return { type: 'exp', of: shiftDistribution(d.of, s, 'additive') };
      case 'normal':
        return { type: 'normal', mean: d.mean * f, sd: d.sd * f };
      case 'studentT':
        return { type: 'studentT', mean: d.mean * f, scale: d.scale * f, df: d.df };
      case 'point':
        return { type: 'point', value: d.value * f };
      case 'sample':
        return { type: 'sample', values: d.values.map((v) => v * f) };
    }
  }
  switch (d.type) {
    case 'normal':
      return { type: 'normal', mean: d.mean + s, sd: d.sd };
    case 'studentT':
      return { type: 'studentT', mean: d.mean + s, scale: d.scale, df: d.df };
    case 'point':
      return { type: 'point', value: d.value + s };
    case 'sample':
      return { type: 'sample', values: d.values.map((v) => v + s) };
    case 'exp':
      // additive adjustment is only used with additive methods
      throw new Error('internal: additive seasonal shift of a log-scale distribution');
  }
}

const LOG_METHODS: readonly MethodName[] = ['loglinear', 'repeatGrowth'];

/**
 * Forecast a quarterly series quarter by quarter.
 *
 * Steps: (1) the points are checked (quarter 1-4, no duplicates, no negative
 * or non-finite values) and a missing or suppressed quarter inside the series
 * is an error unless `allowGaps` (then interpolated, with a caveat); empty
 * quarters at the ends are dropped; (2) with at least 12 quarters the series
 * is tested for a seasonal pattern ({@link checkSeasonality}: on the
 * quarter-on-quarter changes for snapshots, around a trend for flows) and,
 * if found, the quarter effects are removed before fitting and added back
 * afterwards; with fewer quarters no check is possible and the caveats say
 * so: quarterly flows (starters, leavers) are often seasonal, and a
 * non-seasonal model then spreads that pattern into its noise, which widens
 * the quarterly bands but leaves financial-year totals nearly unbiased;
 * (3) the method is fitted on the quarter index (one step = one quarter) or
 * chosen by {@link selectMethod} over 1-4 quarters ahead; (4) the model's
 * distributions give the point forecast and analytic intervals per quarter,
 * and `model.simulate` gives seeded sample paths for financial-year figures
 * ({@link toAnnual}); counts are clipped at zero.
 *
 * @param series - a quarterly series (financial-year quarters)
 * @param options - target year or horizon, method, levels, paths, seed, gaps, seasonality
 * @returns the quarterly forecast with its paths
 * @throws CarecastInputError for bad points (naming the period, row and
 *   field), interior gaps without `allowGaps`, a target not after the data,
 *   bad levels, paths or seed, an unknown method, or a series too short for
 *   the method
 * @example
 * ```ts
 * const starters = findQuarterlySeries(loadSeed('derby').dataset, 'started');
 * const fc = forecastQuarterly(starters, { toYear: 2026, method: 'naive', seed: 1 });
 * fc.quarters[0];  // { year: 2025, quarter: 1, financialYear: '2024/25', periodEnd: '2024-06-30' }
 * fc.point[0];     // 82 (the last quarter, Q4 2023/24)
 * toAnnual(fc).records[0]; // { financialYear: '2024/25', statistic: 'fy_total', point: 328, lo_80: ..., ... }
 * ```
 */
export function forecastQuarterly(series: QuarterlySeries, options: QuarterlyForecastOptions = {}): QuarterlyForecast {
  const requested = options.method ?? 'auto';
  if (requested !== 'auto' && !isMethodName(requested)) {
    optionError('method', `unknown method "${String(requested)}"`, 'use auto, naive, drift, linear, loglinear, dampedTrend, repeatGrowth or theta');
  }
  let levels: number[];
  try {
    levels = checkLevels(options.levels ?? [80, 95]);
  } catch (e) {
    optionError('levels', (e as Error).message, 'give levels such as [80, 95]');
  }
  const nPaths = options.paths ?? DEFAULT_QUARTERLY_PATHS;
  if (!Number.isInteger(nPaths) || nPaths < 1) optionError('paths', `paths must be a positive whole number, got ${nPaths}`, `e.g. ${DEFAULT_QUARTERLY_PATHS}`);
  const seed = options.seed ?? 1;
  if (!Number.isFinite(seed)) optionError('seed', `seed must be a finite number, got ${seed}`, 'give any whole number, e.g. 1');
  if (options.toYear !== undefined && options.horizonQuarters !== undefined) {
    optionError('toYear', 'both toYear and horizonQuarters were given', 'give one of them');
  }
  const seasonalityMode = options.seasonality ?? 'auto';
  if (!['auto', 'ignore', 'adjust'].includes(seasonalityMode)) {
    optionError('seasonality', `unknown seasonality option "${String(seasonalityMode)}"`, 'use auto, ignore or adjust');
  }

  const { history, caveats } = buildHistory(series, options.allowGaps ?? false);
  const lastQi = indexOf(history[history.length - 1].year, history[history.length - 1].quarter);
  const lastLabel = periodLabel(yearOf(lastQi), quarterOf(lastQi));
  let horizon: number;
  if (options.toYear !== undefined) {
    if (!Number.isInteger(options.toYear)) optionError('toYear', `toYear must be a whole number (a financial year's end), got ${options.toYear}`, 'e.g. 2030 for 31 March 2030');
    horizon = indexOf(options.toYear, 4) - lastQi;
    if (horizon < 1) {
      optionError('toYear', `the forecast must end after the last observed quarter ${lastLabel} (got toYear ${options.toYear})`, `give a financial year ending after ${yearOf(lastQi)}${quarterOf(lastQi) < 4 ? ` or ${yearOf(lastQi)}` : ''}`);
    }
  } else if (options.horizonQuarters !== undefined) {
    horizon = options.horizonQuarters;
    if (!Number.isInteger(horizon) || horizon < 1) optionError('horizonQuarters', `horizonQuarters must be a positive whole number, got ${horizon}`, 'e.g. 8 for two years');
  } else {
    optionError('toYear', 'neither toYear nor horizonQuarters was given', 'give toYear (e.g. 2030) or horizonQuarters (e.g. 8)');
  }

  const y = history.map((h) => h.used);
  const n = y.length;
  const firstQuarter = history[0].quarter;
  const kind = series.kind;
  const explicitLog = requested !== 'auto' && LOG_METHODS.includes(requested);

  // (2) seasonality
  let seasonality: SeasonalityCheck;
  const flowWords = kind === 'snapshot' ? 'Quarter-end counts can move with the seasons' : 'Quarterly flows (starters, leavers) and spending are often seasonal';
  if (seasonalityMode === 'ignore') {
    seasonality = { checked: false, quarters: n, significant: false, adjusted: false, note: 'not checked (seasonality: ignore)' };
    caveats.push(`Seasonality was not checked (seasonality: 'ignore'). ${flowWords}; any such pattern is treated as noise.`);
  } else if (n < MIN_QUARTERS_FOR_SEASONALITY) {
    if (seasonalityMode === 'adjust') {
      optionError('seasonality', `seasonal adjustment needs at least ${MIN_QUARTERS_FOR_SEASONALITY} quarters, the series has ${n} (${history[0].financialYear} Q${firstQuarter} to ${lastLabel})`, "use seasonality: 'auto' or supply three years of quarters");
    }
    seasonality = checkSeasonality(y, firstQuarter);
    caveats.push(
      `Only ${n} quarters: too few (under ${MIN_QUARTERS_FOR_SEASONALITY}) to check for a seasonal pattern, so the forecast assumes none. ${flowWords}; ` +
        'if they are, the quarterly bands absorb the pattern as noise and single quarters can be off, while financial-year totals are little affected' +
        (kind === 'snapshot' ? ' (the 31 March figure is a single quarter and is affected).' : '.'),
    );
  } else {
    const positive = y.every((v) => v > 0);
    const scale = explicitLog && positive ? 'multiplicative' : 'additive';
    const check = checkSeasonality(y, firstQuarter, { test: kind === 'snapshot' ? 'differences' : 'trend', scale });
    const adjust = seasonalityMode === 'adjust' || check.significant;
    seasonality = { ...check, adjusted: adjust };
    caveats.push(
      `Seasonality ${check.note}.` +
        (adjust
          ? ' The quarter effects are removed before fitting and added back to the forecast; they are treated as known, so the bands are slightly too narrow.'
          : ' The forecast assumes no seasonal pattern.'),
    );
  }
  const effects = seasonality.adjusted && seasonality.effects ? seasonality.effects : null;
  const scale = seasonality.scale ?? 'additive';
  const effectAt = (qi: number): number => (effects ? effects[quarterOf(qi) - 1] : 0);
  const historyQi = history.map((h) => indexOf(h.year, h.quarter));
  const yFit = effects ? y.map((v, i) => (scale === 'multiplicative' ? v * Math.exp(-effectAt(historyQi[i])) : v - effectAt(historyQi[i]))) : y;

  // (3) method
  let method: MethodName;
  let selection: MethodSelection | undefined;
  if (requested === 'auto') {
    const candidates: MethodName[] = effects ? ['naive', 'drift', 'linear', 'dampedTrend'] : ['naive', 'drift', 'linear', 'loglinear', 'dampedTrend'];
    const sel = selectMethod(yFit, { candidates, maxStep: 4, methodOptions: options.methodOptions });
    selection = { ...sel, rule: sel.rule.replace('years ahead', 'quarters ahead') };
    method = selection.method;
  } else {
    method = requested;
    const need = minObservations(method, options.methodOptions);
    if (n < need) {
      optionError('method', `${method} needs at least ${need} quarters of data, the series has ${n} (${history[0].financialYear} Q${firstQuarter} to ${lastLabel})`, 'choose a simpler method (naive, drift, linear) or supply more quarters');
    }
    if (LOG_METHODS.includes(method) && yFit.some((v) => v <= 0)) {
      optionError('method', `${method} works on the log scale and needs every quarterly value above zero`, 'use linear or drift for series with zeros');
    }
  }
  const model: FittedModel = fitMethod(method, yFit, options.methodOptions);

  // (4) forecast and paths
  const fc = model.forecast(horizon, { levels });
  const sims = model.simulate(horizon, { paths: nPaths, seed });
  const futureQi = Array.from({ length: horizon }, (_, h) => lastQi + 1 + h);
  let distributions: readonly Distribution[] = fc.distributions;
  let point: readonly number[] = fc.point;
  let intervals: readonly ForecastInterval[] = fc.intervals;
  const values = new Float64Array(sims.values);
  if (effects) {
    distributions = fc.distributions.map((d, h) => shiftDistribution(d, effectAt(futureQi[h]), scale));
    point = distributions.map(medianOf);
    intervals = intervalsOf(distributions, levels);
    for (let p = 0; p < nPaths; p++) {
      for (let h = 0; h < horizon; h++) {
        const s = effectAt(futureQi[h]);
        const k = p * horizon + h;
        values[k] = scale === 'multiplicative' ? values[k] * Math.exp(s) : values[k] + s;
      }
    }
  }
  const clipped = point.some((v) => v < 0) || intervals.some((iv) => iv.lower.some((v) => v < 0));
  let pathsClipped = 0;
  for (let k = 0; k < values.length; k++) {
    if (values[k] < 0) {
      values[k] = 0;
      pathsClipped++;
    }
  }
  if (clipped || pathsClipped > 0) caveats.push('The model\u2019s forecast, bands or simulated paths fell below zero in places; they are shown as zero.');
  const clip = (v: number): number => Math.max(0, v);
  if (horizon > n) {
    caveats.push(
      `Forecasting ${horizon} quarters ahead from ${n} quarterly observations (${(n / 4).toFixed(1)} years): the bands assume the past pattern holds; treat the later years as a scenario, not a prediction.`,
    );
  }
  return {
    area: series.area,
    measure: series.measure,
    kind,
    unit: series.unit,
    breakdown: series.breakdown ?? {},
    method,
    requestedMethod: requested,
    ...(selection ? { selection } : {}),
    seasonality,
    history,
    quarters: futureQi.map(label),
    point: point.map(clip),
    intervals: intervals.map((iv) => ({ level: iv.level, lower: iv.lower.map(clip), upper: iv.upper.map(clip) })),
    levels,
    distributions,
    paths: { paths: nPaths, horizon, values },
    seed,
    diagnostics: model.diagnostics,
    caveats,
  };
}
