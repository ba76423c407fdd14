/**
 * Conformal calibration of prediction intervals from rolling-origin forecast
 * errors: the band h years ahead is the point forecast plus or minus an
 * empirical quantile of past h-step errors, so that the share of past
 * errors it would have held matches the level asked, step by step. Nothing
 * is assumed about the errors' distribution, only that the future errors are
 * like the past ones (exchangeable).
 *
 * ## Scale-free errors
 *
 * Errors are those of {@link backtest} / {@link backtestPanel}: error =
 * forecast - actual, divided by the MASE scale of the training window (its
 * mean absolute yearly change). Scaled this way, errors of authorities of
 * very different sizes can be pooled, and a quantile q of scaled errors
 * becomes a band `point ± q × scale` for any series, `scale` being the mean
 * absolute yearly change of the data the forecast is made from.
 *
 * ## The quantile and the finite-sample correction
 *
 * With n calibration errors at a step and level L (e.g. 0.95):
 *
 * - **symmetric** bands (`shape: 'symmetric'`, the default): q is the k-th
 *   smallest |scaled error|, k = ceil((n + 1) L), i.e. the empirical
 *   quantile at probability ceil((n + 1) L) / n. The band is point ± q ×
 *   scale. It exists only when k <= n, i.e. n >= L / (1 - L): 4 errors for
 *   80%, 19 for 95%.
 * - **asymmetric** bands (`shape: 'asymmetric'`): the lower and upper ends
 *   are taken separately from the signed errors (actual - forecast), each
 *   tail holding at most (1 - L) / 2: the k_lo-th and k_hi-th smallest,
 *   k_lo = floor((n + 1)(1 - L) / 2), k_hi = ceil((n + 1)(1 + L) / 2). This
 *   keeps a bias (forecasts that run high) in the band. It needs n >= 2 / (1
 *   - L) - 1: 9 errors for 80%, 39 for 95%.
 *
 * Under exchangeability the band then holds the next value with probability
 * at least L (and at most L + 1/(n + 1) for the symmetric band).
 *
 * When n is too small for a level, the quantile does not exist (the honest
 * conformal band is unbounded). The calibration then falls back to the
 * widest error seen (`finite: false`) and states the coverage that fallback
 * guarantees, n/(n + 1) (symmetric) or (n - 1)/(n + 1) (asymmetric); the
 * caveats say so. {@link forecast} widens such bands further to at least the
 * model's analytic band.
 *
 * ## Two flavours
 *
 * - **Pooled** ({@link calibrateConformal} on a {@link backtestPanel}
 *   result): per step, the errors of one method across every authority and
 *   origin, hundreds or thousands of them. On DfE data this is what held
 *   its nominal coverage (benchmarks/RESULTS.md, "Accuracy on the DfE panel").
 * - **Per series** ({@link calibrateConformalSeries}, or
 *   {@link calibrateConformal} on a one-series {@link backtest}): the
 *   series' own rolling-origin errors. With 5-10 annual points that is a
 *   handful of errors per step: the result says how many, and which levels
 *   it cannot reach.
 *
 * Steps beyond the last calibrated one (or with no errors) are extrapolated
 * from the last step with errors, in proportion to the step (q_h = q_H × h /
 * H: errors of a mis-specified trend grow linearly), and the result says so.
 *
 * @module
 */
import { CarecastInputError } from '../data/errors.js';
import { checkLevels } from '../models/distribution.js';
import { fitMethod, isMethodName, minObservations, type MethodOptions } from '../models/registry.js';
import { rollingOrigins, selectMethod } from '../models/selectMethod.js';
import type { ForecastInterval, MethodName } from '../models/types.js';
import type { BacktestForecast, BacktestMethod, BacktestResult, PanelBacktestResult } from '../evaluate/backtest.js';
import type { IntervalBasis, Projection } from '../project/forecast.js';

/** Whether a conformal band is symmetric around the point (from |errors|) or takes its two ends from the signed errors separately. */
export type ConformalShape = 'symmetric' | 'asymmetric';

/**
 * The calibrated band at one level and step, as offsets in units of the
 * series' MASE scale: the band is `[point + lower × scale, point + upper ×
 * scale]`.
 */
export interface ConformalLevel {
  /** Nominal coverage in percent. */
  readonly level: number;
  /** Offset of the lower end (usually negative), in MASE-scale units (`NaN` with no errors). */
  readonly lower: number;
  /** Offset of the upper end, in MASE-scale units (`NaN` with no errors). */
  readonly upper: number;
  /** `true` when the conformal quantile exists at this level with the errors available. */
  readonly finite: boolean;
  /** Coverage in percent guaranteed under exchangeability: the level when finite, else what the fallback (the widest errors seen) guarantees; 0 with no errors. */
  readonly guaranteed: number;
  /** Errors needed at this step for a finite quantile at this level (19 for a symmetric 95% band). */
  readonly needs: number;
  /** The rank (1-based, ascending) of the order statistic used for the upper end (0 with no errors). */
  readonly rank: number;
}

/** The calibration at one step ahead. */
export interface ConformalStep {
  /** Steps ahead (1-based). */
  readonly h: number;
  /** Number of scaled errors this step rests on. */
  readonly n: number;
  /** One entry per calibrated level (ascending). */
  readonly levels: readonly ConformalLevel[];
}

/** A conformal calibration: per step, quantiles of scale-free forecast errors, and what they rest on. */
export interface ConformalCalibration {
  /** Tells a calibration apart from other objects. */
  readonly kind: 'conformal';
  /** `'pooled'`: errors from many areas; `'series'`: from one series' own rolling origins. */
  readonly source: 'pooled' | 'series';
  /** The method whose errors were calibrated (`'auto'`: the errors of automatic choice). */
  readonly method: BacktestMethod;
  /** Symmetric or asymmetric bands. */
  readonly shape: ConformalShape;
  /** The levels calibrated, in percent, ascending. */
  readonly levels: readonly number[];
  /** One entry per step 1..H (a step may have `n: 0`). */
  readonly steps: readonly ConformalStep[];
  /** Number of areas the errors come from. */
  readonly areas: number;
  /** Total number of errors over all steps. */
  readonly errors: number;
  /** Plain-language notes: what the calibration rests on, levels it cannot reach. */
  readonly caveats: readonly string[];
}

/** Options for {@link calibrateConformal}. */
export interface CalibrateConformalOptions {
  /** The method whose backtest errors to use (one of the backtest's methods). */
  readonly method: BacktestMethod;
  /** Levels in percent (default `[80, 95]`). */
  readonly levels?: readonly number[];
  /** Symmetric (default) or asymmetric bands. */
  readonly shape?: ConformalShape;
  /**
   * Keep only the forecasts for which this returns `true`. It is given the
   * forecast row and the key of its area in the panel (the series' area for
   * a one-series backtest): e.g. `(f) => f.target <= 2017` to calibrate only
   * on what was known by 2017, or `(f, area) => area !== 'Derby'` to leave
   * an area out.
   */
  readonly include?: (forecast: BacktestForecast, area: string) => boolean;
}

/** Options for {@link calibrateConformalSeries}. */
export interface CalibrateConformalSeriesOptions {
  /** The method (or `'auto'`, chosen afresh from each training window). */
  readonly method: MethodName | 'auto';
  /** Levels in percent (default `[80, 95]`). */
  readonly levels?: readonly number[];
  /** Symmetric (default) or asymmetric bands. */
  readonly shape?: ConformalShape;
  /** Longest step calibrated (default 3); later steps are extrapolated when the bands are made. */
  readonly maxStep?: number;
  /** Per-method options, as for {@link fitMethod}. */
  readonly methodOptions?: MethodOptions;
  /** Per observation, `true` when the value was filled in (e.g. an interpolated year): used for training, never scored. */
  readonly unscored?: readonly boolean[];
  /** The shortest training window (default: the method's minimum length, at least 3). */
  readonly minTraining?: number;
}

/** Options for {@link conformalBands} and {@link applyConformal}. */
export interface ConformalBandsOptions {
  /** Levels to produce (each must be calibrated; default: every calibrated level). */
  readonly levels?: readonly number[];
}

/** One projected step of {@link ConformalBands}. */
export interface ConformalBandStep {
  /** Steps ahead (1-based). */
  readonly h: number;
  /** The calibrated step whose quantiles were used (= h unless extrapolated). */
  readonly from: number;
  /** Number of errors that step rests on. */
  readonly n: number;
  /** `true` when the step had no errors of its own and was scaled up from `from` (× h / from). */
  readonly extrapolated: boolean;
  /** `true` when every level is a finite conformal quantile. */
  readonly finite: boolean;
}

/** The result of {@link conformalBands}. */
export interface ConformalBands {
  /** The point forecast the bands are centred on. */
  readonly point: readonly number[];
  /** One interval per level (ascending), not clipped. */
  readonly intervals: readonly ForecastInterval[];
  /** The MASE scale the offsets were multiplied by. */
  readonly scale: number;
  /** Per projected step: which calibrated step it used and how many errors that rests on. */
  readonly steps: readonly ConformalBandStep[];
  /** Plain-language notes (errors per step, extrapolation, levels the errors cannot reach). */
  readonly caveats: readonly string[];
}

/** Interval measures of {@link scoreConformal} at one level. */
export interface ConformalScoreLevel {
  /** Nominal coverage in percent. */
  readonly level: number;
  /** Number of forecasts scored. */
  readonly n: number;
  /** Number whose actual value fell inside the band. */
  readonly covered: number;
  /** covered / n (`NaN` for none). */
  readonly coverage: number;
  /** Mean Winkler score divided by each forecast's MASE scale (forecasts with a scale above 0). */
  readonly scaledWinkler: number;
}

/** The result of {@link scoreConformal}. */
export interface ConformalScore {
  /** Forecasts scored (same method as the calibration, with an actual value). */
  readonly n: number;
  /** Over all steps. */
  readonly levels: readonly ConformalScoreLevel[];
  /** Per step h = 1..max step scored. */
  readonly byStep: readonly { readonly h: number; readonly levels: readonly ConformalScoreLevel[] }[];
}

const SOURCE = 'conformal calibration';

function bad(field: string, message: string, fix: string): never {
  throw new CarecastInputError([{ source: SOURCE, field, message, fix }]);
}

function levelsOrFail(levels: readonly number[] | undefined): number[] {
  try {
    const lv = checkLevels(levels ?? [80, 95]);
    if (lv.length === 0) bad('levels', 'no levels to calibrate', 'give levels such as [80, 95]');
    return lv;
  } catch (e) {
    if (e instanceof CarecastInputError) throw e;
    return bad('levels', (e as Error).message, 'give levels such as [80, 95]');
  }
}

function shapeOrFail(shape: unknown): ConformalShape {
  if (shape === undefined) return 'symmetric';
  if (shape !== 'symmetric' && shape !== 'asymmetric') bad('shape', `unknown band shape "${String(shape)}"`, "use 'symmetric' or 'asymmetric'");
  return shape;
}

/** Errors needed for a finite quantile at `level` percent. */
function errorsNeeded(level: number, shape: ConformalShape): number {
  const a = 1 - level / 100;
  return shape === 'symmetric' ? Math.ceil(level / 100 / a - 1e-9) : Math.ceil(2 / a - 1 - 1e-9);
}

/**
 * The conformal band at one level from a set of scale-free forecast errors
 * (forecast - actual, each divided by its training window's MASE scale):
 * offsets to add to the point forecast, in MASE-scale units, with the
 * finite-sample correction (the k-th smallest |error|, k = ceil((n + 1) ×
 * level)). With too few errors for the level, the widest errors seen are
 * used instead and `finite` is `false`, with the coverage they guarantee.
 *
 * @param scaledErrors - scaled errors, forecast - actual (finite numbers)
 * @param level - nominal coverage in percent, e.g. 95
 * @param shape - `'symmetric'` (default): ± the quantile of |error|; `'asymmetric'`: lower and upper ends from the signed errors
 * @returns the offsets, whether they are a finite conformal quantile, the guaranteed coverage and the errors needed
 * @throws CarecastInputError for a level outside (0, 100), a non-finite error, or an unknown shape
 * @example
 * ```ts
 * // 4 errors: an 80% band needs ceil(5 x 0.8) = 4, the 4th smallest |error|
 * conformalLevel([0.5, -1, 2, -0.2], 80);  // { lower: -2, upper: 2, finite: true, rank: 4, needs: 4, ... }
 * conformalLevel([0.5, -1, 2, -0.2], 95);  // finite: false (needs 19), the largest |error|, guaranteed 80%
 * ```
 */
export function conformalLevel(scaledErrors: readonly number[], level: number, shape: ConformalShape = 'symmetric'): ConformalLevel {
  const [lv] = levelsOrFail([level]);
  const sh = shapeOrFail(shape);
  scaledErrors.forEach((e, i) => {
    if (!Number.isFinite(e)) bad('errors', `scaled error ${i + 1} is ${e}, not a finite number`, 'leave unscored forecasts out');
  });
  const n = scaledErrors.length;
  const needs = errorsNeeded(lv, sh);
  if (n === 0) return { level: lv, lower: NaN, upper: NaN, finite: false, guaranteed: 0, needs, rank: 0 };
  if (sh === 'symmetric') {
    const s = scaledErrors.map(Math.abs).sort((a, b) => a - b);
    const k = Math.ceil(((n + 1) * lv) / 100 - 1e-9);
    const finite = k <= n;
    const q = s[Math.min(k, n) - 1];
    return { level: lv, lower: -q, upper: q, finite, guaranteed: finite ? lv : (100 * n) / (n + 1), needs, rank: Math.min(k, n) };
  }
  // the actual value is point - error x scale: offsets are the signed -errors
  const r = scaledErrors.map((e) => -e).sort((a, b) => a - b);
  const tail = (100 - lv) / 200;
  const kLo = Math.floor((n + 1) * tail + 1e-9);
  const finite = kLo >= 1;
  const lo = finite ? r[kLo - 1] : r[0];
  const kHi = finite ? n + 1 - kLo : n;
  const hi = r[kHi - 1];
  return { level: lv, lower: lo, upper: hi, finite, guaranteed: finite ? lv : Math.max(0, (100 * (n - 1)) / (n + 1)), needs, rank: kHi };
}

function calibrationFrom(
  byStep: readonly (readonly number[])[],
  meta: { source: 'pooled' | 'series'; method: BacktestMethod; shape: ConformalShape; levels: readonly number[]; areas: number; extraCaveats?: readonly string[] },
): ConformalCalibration {
  const steps: ConformalStep[] = byStep.map((errs, i) => ({ h: i + 1, n: errs.length, levels: meta.levels.map((l) => conformalLevel(errs, l, meta.shape)) }));
  const errors = steps.reduce((s, x) => s + x.n, 0);
  const caveats: string[] = [...(meta.extraCaveats ?? [])];
  const counts = steps.map((s) => `${s.n} at h=${s.h}`).join(', ');
  caveats.push(
    meta.source === 'pooled'
      ? `Conformal bands calibrated on ${errors} rolling-origin errors of ${meta.method} pooled over ${meta.areas} area${meta.areas === 1 ? '' : 's'} (${counts}).`
      : `Conformal bands calibrated on this series' own rolling-origin errors of ${meta.method}: ${counts}.`,
  );
  for (const l of meta.levels) {
    const short = steps.filter((s) => s.n > 0 && !s.levels.find((x) => x.level === l)?.finite);
    if (short.length > 0) {
      const needs = short[0].levels.find((x) => x.level === l)?.needs ?? 0;
      caveats.push(
        `A ${meta.shape} ${l}% conformal band needs at least ${needs} errors per step; ${short.map((s) => `h=${s.h} has ${s.n}`).join(', ')}, ` +
          `so there the band is the widest error seen, which guarantees only ${short
            .map((s) => `${(s.levels.find((x) => x.level === l)?.guaranteed ?? 0).toFixed(0)}%`)
            .join(', ')} coverage.`,
      );
    }
  }
  const empty = steps.filter((s) => s.n === 0);
  if (empty.length > 0) caveats.push(`No errors at ${empty.map((s) => `h=${s.h}`).join(', ')}: bands there are extrapolated from the nearest earlier step.`);
  return { kind: 'conformal', source: meta.source, method: meta.method, shape: meta.shape, levels: meta.levels, steps, areas: meta.areas, errors, caveats };
}

/**
 * Calibrate conformal bands from a backtest: per step h, the empirical
 * quantile of one method's scale-free rolling-origin errors at each level,
 * with the finite-sample correction. Given a {@link backtestPanel} result
 * the errors of every area are pooled (`source: 'pooled'`), which is what
 * the evidence on DfE data supports; given a one-series {@link backtest}
 * result, the calibration rests on that series' own errors (`source:
 * 'series'`). Forecasts not scored (no actual value, or a training scale of
 * 0) are left out.
 *
 * @param result - a backtest of one series or of a panel
 * @param options - the method, levels (default 80, 95), shape (default symmetric), and a filter of the forecasts to use (given each row and its area's key)
 * @returns per step the offsets at each level, how many errors each rests on, and caveats
 * @throws CarecastInputError when the method was not backtested, or for bad levels or shape
 * @example
 * ```ts
 * const bt = backtestPanel(cic, { methods: ['naive', 'auto'], horizon: 3, origins: [2014, 2015, 2016, 2017, 2019, 2020] });
 * const cal = calibrateConformal(bt, { method: 'auto', levels: [80, 95] });
 * cal.steps.map((s) => s.n);      // errors per step, e.g. [755, 601, 453]
 * forecast(series, { to: 2024, method: 'auto', conformal: cal }).intervals;
 * ```
 */
export function calibrateConformal(result: BacktestResult | PanelBacktestResult, options: CalibrateConformalOptions): ConformalCalibration {
  const method = options?.method;
  if (!result.methods.includes(method)) {
    bad('method', `method "${String(method)}" is not in the backtest (it has ${result.methods.join(', ')})`, 'calibrate on one of the backtested methods');
  }
  const levels = levelsOrFail(options.levels);
  const shape = shapeOrFail(options.shape);
  const byStep: number[][] = Array.from({ length: result.horizon }, () => []);
  const areas = new Set<string>();
  const lists: [string, readonly BacktestForecast[]][] = result.kind === 'panel' ? [...result.byArea].map(([k, r]) => [k, r.forecasts]) : [[result.area, result.forecasts]];
  for (const [area, forecasts] of lists) {
    for (const f of forecasts) {
      if (f.method !== method || f.actual === null || f.scaledError === null || !Number.isFinite(f.scaledError)) continue;
      if (options.include && !options.include(f, area)) continue;
      byStep[f.h - 1].push(f.scaledError);
      areas.add(area);
    }
  }
  return calibrationFrom(byStep, { source: result.kind === 'panel' ? 'pooled' : 'series', method, shape, levels, areas: areas.size });
}

/**
 * Calibrate conformal bands on one series' own rolling-origin errors: train
 * on the first k values for every k from the shortest training window to
 * n - 1, forecast 1..`maxStep` steps ahead (those inside the data), and
 * scale each error by its training window's MASE scale, as
 * {@link backtest} does. With `'auto'` the method is chosen afresh from each
 * training window ({@link selectMethod}). This is the per-series flavour:
 * with 5-10 annual points it rests on a handful of errors per step, and the
 * result says how many and which levels they cannot reach (a symmetric 95%
 * band needs 19).
 *
 * @param y - the observations, oldest first, no gaps (fill them first, and flag them in `unscored`)
 * @param options - method, levels, shape, longest step, method options, filled-in values, shortest training window
 * @returns the calibration (`source: 'series'`, `areas: 1`)
 * @throws CarecastInputError for an unknown method, bad levels, shape or
 *   step, a non-finite value, an `unscored` mask of the wrong length, or a
 *   series too short to leave a single origin
 * @example
 * ```ts
 * const cal = calibrateConformalSeries([719, 802, 861, 899, 909, 995, 1057], { method: 'drift', levels: [80] });
 * cal.steps.map((s) => s.n);   // [4, 3, 2]: errors at h = 1, 2, 3
 * ```
 */
export function calibrateConformalSeries(y: readonly number[], options: CalibrateConformalSeriesOptions): ConformalCalibration {
  const method = options?.method;
  if (method !== 'auto' && !isMethodName(String(method))) bad('method', `unknown method "${String(method)}"`, 'use auto, naive, drift, linear, loglinear, dampedTrend, repeatGrowth or theta');
  const levels = levelsOrFail(options.levels);
  const shape = shapeOrFail(options.shape);
  const maxStep = options.maxStep ?? 3;
  if (!Number.isInteger(maxStep) || maxStep < 1) bad('maxStep', `maxStep must be a whole number of at least 1, got ${maxStep}`, 'e.g. 3');
  y.forEach((v, i) => {
    if (!Number.isFinite(v)) bad('series', `value ${i + 1} is ${v}, not a finite number`, 'fill or drop missing values first');
  });
  const unscored = options.unscored;
  if (unscored !== undefined && unscored.length !== y.length) bad('unscored', `${unscored.length} flags for ${y.length} values`, 'give one flag per value');
  const n = y.length;
  const minLen = method === 'auto' ? 2 : minObservations(method, options.methodOptions);
  const first = options.minTraining ?? Math.max(minLen, 3);
  if (!Number.isInteger(first) || first < 2) bad('minTraining', `minTraining must be a whole number of at least 2, got ${first}`, 'e.g. 4');
  if (first > n - 1) {
    bad('series', `${n} values leave no forecast origin: ${method} is trained on at least ${first} values and needs a later one to score`, 'supply a longer series');
  }
  const byStep: number[][] = Array.from({ length: maxStep }, () => []);
  let failed = 0;
  const origins = rollingOrigins(y, first, maxStep, (train, steps) => {
    const m: MethodName = method === 'auto' ? selectMethod(train, { methodOptions: options.methodOptions }).method : method;
    // fitMethod throws RangeError where the method cannot fit (e.g. a log-scale method on a zero)
    return fitMethod(m, train, options.methodOptions).forecast(steps, { levels: [] }).point;
  });
  for (const { k, scale, point } of origins) {
    if (point === null) {
      failed++;
      continue;
    }
    for (let h = 1; h <= point.length; h++) {
      if (unscored?.[k + h - 1]) continue;
      byStep[h - 1].push((Math.max(0, point[h - 1]) - y[k + h - 1]) / scale);
    }
  }
  const extra = failed > 0 ? [`${method} could not be fitted at ${failed} origin${failed === 1 ? '' : 's'}; those are left out.`] : [];
  return calibrationFrom(byStep, { source: 'series', method, shape, levels, areas: 1, extraCaveats: extra });
}

/** Offsets for step h (1-based) at each level, from the step itself or extrapolated from the nearest earlier step with errors. */
function stepOffsets(cal: ConformalCalibration, h: number): { from: ConformalStep; factor: number } | null {
  for (let j = Math.min(h, cal.steps.length); j >= 1; j--) {
    const s = cal.steps[j - 1];
    if (s.n > 0) return { from: s, factor: h / j };
  }
  return null;
}

/**
 * Conformal bands around a point path: for step h, `point[h] + lower_h ×
 * scale` to `point[h] + upper_h × scale`, with the calibration's offsets at
 * that step (steps beyond the calibration, or without errors, use the
 * nearest earlier step's offsets × h / that step). `scale` is the MASE scale
 * of the series being forecast: the mean absolute yearly change of the data
 * the point forecast was made from.
 *
 * @param point - the point forecast, one value per step ahead
 * @param scale - the series' MASE scale (0 gives bands of no width)
 * @param calibration - from {@link calibrateConformal} or {@link calibrateConformalSeries}
 * @param options - the levels to produce (default: all calibrated)
 * @returns the intervals (not clipped at zero), the steps used and caveats
 * @throws CarecastInputError for a scale that is negative or not finite, a
 *   non-finite point, a level that was not calibrated, or a calibration
 *   without a single error
 * @example
 * ```ts
 * const b = conformalBands([1100, 1150, 1200], 60, cal);
 * b.intervals[0]; // { level: 80, lower: [...], upper: [...] }
 * ```
 */
export function conformalBands(point: readonly number[], scale: number, calibration: ConformalCalibration, options: ConformalBandsOptions = {}): ConformalBands {
  if (calibration?.kind !== 'conformal') bad('calibration', 'not a conformal calibration', 'use calibrateConformal() or calibrateConformalSeries()');
  if (!(Number.isFinite(scale) && scale >= 0)) bad('scale', `scale must be a finite number of at least 0, got ${scale}`, 'use the mean absolute yearly change of the data (maseScale)');
  point.forEach((v, i) => {
    if (!Number.isFinite(v)) bad('point', `point ${i + 1} is ${v}, not a finite number`, 'give a finite point forecast');
  });
  const levels = options.levels === undefined ? [...calibration.levels] : levelsOrFail(options.levels);
  const missing = levels.filter((l) => !calibration.levels.includes(l));
  if (missing.length > 0) bad('levels', `level${missing.length === 1 ? '' : 's'} ${missing.join(', ')} not calibrated (the calibration has ${calibration.levels.join(', ')})`, 'calibrate those levels, or ask for calibrated ones');
  if (calibration.errors === 0) bad('calibration', `the calibration of ${calibration.method} rests on no errors`, 'calibrate on a longer series or a panel');
  const steps: ConformalBandStep[] = [];
  const lower = levels.map(() => [] as number[]);
  const upper = levels.map(() => [] as number[]);
  point.forEach((p, i) => {
    const h = i + 1;
    const o = stepOffsets(calibration, h) as { from: ConformalStep; factor: number };
    levels.forEach((l, j) => {
      const c = o.from.levels.find((x) => x.level === l) as ConformalLevel;
      lower[j].push(p + c.lower * o.factor * scale);
      upper[j].push(p + c.upper * o.factor * scale);
    });
    steps.push({
      h,
      from: o.from.h,
      n: o.from.n,
      extrapolated: o.from.h !== h,
      finite: levels.every((l) => o.from.levels.find((x) => x.level === l)?.finite ?? false),
    });
  });
  const caveats: string[] = [];
  const H = point.length;
  const own = steps.filter((s) => !s.extrapolated);
  caveats.push(
    `The ${levels.join('% and ')}% bands are conformal: ${calibration.source === 'pooled' ? `pooled over ${calibration.areas} areas, ` : 'from this series\u2019 own past forecasts, '}` +
      `they rest on ${own.map((s) => `${s.n} errors at ${s.h} year${s.h === 1 ? '' : 's'} ahead`).join(', ')}${own.length === 0 ? 'no errors at these steps' : ''}.`,
  );
  const ext = steps.filter((s) => s.extrapolated);
  if (ext.length > 0) {
    const from = ext[0].from;
    caveats.push(`Beyond ${from} year${from === 1 ? '' : 's'} ahead (${ext.length} of ${H} projected years) the band is the ${from}-year band widened in proportion to the horizon: an extrapolation, not calibrated.`);
  }
  const notFinite = levels.filter((l) => steps.some((s) => !(calibration.steps[s.from - 1].levels.find((x) => x.level === l)?.finite ?? false)));
  if (notFinite.length > 0) {
    const needs = notFinite.map((l) => `${l}% needs ${errorsNeeded(l, calibration.shape)}`).join(', ');
    caveats.push(
      `Too few errors for a calibrated ${notFinite.join('% or ')}% band at some steps (a ${calibration.shape} band at ${needs} per step): there the band is the widest error seen, and covers less than its label.`,
    );
  }
  if (scale === 0) caveats.push('The data never changed (MASE scale 0): the conformal band has no width.');
  return { point: [...point], intervals: levels.map((level, j) => ({ level, lower: lower[j], upper: upper[j] })), scale, steps, caveats };
}

/**
 * The MASE scale of a projection's history: the mean absolute yearly change
 * of the values the model used (interpolated gaps included), as the
 * backtest scales its errors.
 *
 * @param projection - a projection from {@link forecast}
 * @returns the scale (`NaN` with one observation)
 * @example
 * ```ts
 * historyScale(forecast(series, { horizon: 3 })); // e.g. 56.3
 * ```
 */
export function historyScale(projection: Pick<Projection, 'history'>): number {
  const h = projection.history;
  let s = 0;
  for (let i = 1; i < h.length; i++) s += Math.abs(h[i].used - h[i - 1].used);
  return h.length > 1 ? s / (h.length - 1) : NaN;
}

/** The caveat forecast() adds about analytic bands on short series, which does not apply to conformal ones. */
const ANALYTIC_ONLY = /analytic bands tend to be too narrow/;

/**
 * Replace a projection's intervals with conformal bands: the same point
 * forecast, `point ± quantile × scale` per year (clipped at zero), the scale
 * being the mean absolute yearly change of the projection's history. The
 * result has `intervalMethod: 'conformal'`, an `intervalBasis` saying what
 * the bands rest on, and caveats in plain words. Its `distributions` stay the
 * model's analytic ones; the conformal bands are not read off them.
 *
 * The calibration's method must be the projection's requested method
 * (`'auto'` with `'auto'`), or the method it used.
 *
 * @param projection - a projection from {@link forecast}
 * @param calibration - from {@link calibrateConformal} (pooled) or {@link calibrateConformalSeries}
 * @param options - the levels (default: the projection's levels, each of which must be calibrated)
 * @returns a new projection with conformal intervals
 * @throws CarecastInputError when the calibration is for another method, a
 *   level was not calibrated, or the calibration rests on no errors
 * @example
 * ```ts
 * const cal = calibrateConformal(backtestPanel(cic, { methods: ['auto'], horizon: 3 }), { method: 'auto' });
 * const p = applyConformal(forecast(derby, { horizon: 3 }), cal);
 * p.intervalMethod;          // 'conformal'
 * p.intervalBasis?.errors;   // errors per step the bands rest on
 * ```
 */
export function applyConformal(projection: Projection, calibration: ConformalCalibration, options: ConformalBandsOptions = {}): Projection {
  if (calibration?.kind !== 'conformal') bad('calibration', 'not a conformal calibration', 'use calibrateConformal() or calibrateConformalSeries()');
  const cm = calibration.method;
  if (cm !== projection.requestedMethod && cm !== projection.method) {
    bad(
      'method',
      `the calibration is for ${cm}'s errors but the projection uses ${projection.method}${projection.requestedMethod === 'auto' ? ' (chosen by auto)' : ''}`,
      `calibrate on ${projection.requestedMethod}'s backtest errors`,
    );
  }
  const levels = options.levels ?? projection.intervals.map((iv) => iv.level);
  const scale = historyScale(projection);
  const b = conformalBands(projection.point, Number.isFinite(scale) ? scale : 0, calibration, { levels });
  const clip = (v: number): number => Math.max(0, v);
  const caveats = projection.caveats.filter((c) => !ANALYTIC_ONLY.test(c));
  if (cm !== projection.requestedMethod) {
    caveats.push(`The bands are calibrated on the errors of ${cm} used on its own; here auto chose ${projection.method}, whose errors when chosen this way may differ.`);
  }
  caveats.push(...b.caveats);
  const basis: IntervalBasis = {
    method: 'conformal',
    points: projection.history.length,
    calibration: calibration.source,
    errors: b.steps.map((s) => s.n),
    calibratedSteps: calibration.steps.length,
    scale: b.scale,
    summary: b.caveats[0],
  };
  return {
    ...projection,
    intervals: b.intervals.map((iv) => ({ level: iv.level, lower: iv.lower.map(clip), upper: iv.upper.map(clip) })),
    intervalMethod: 'conformal',
    intervalBasis: basis,
    caveats,
  };
}

/**
 * Score conformal bands on backtest forecasts: for every forecast of the
 * calibration's method with an actual value, the band `point + offset ×
 * scale` (clipped at zero, as {@link applyConformal} gives it) is checked
 * against the actual value. Use it on forecasts that were NOT used to
 * calibrate (e.g. later origins, or a left-out area), or it measures the
 * calibration on its own data.
 *
 * @param forecasts - backtest forecast rows (e.g. `backtest(...).forecasts`)
 * @param calibration - the calibration to score
 * @returns coverage and scaled Winkler score per level, over all steps and per step
 * @throws CarecastInputError for a calibration without errors
 * @example
 * ```ts
 * const cal = calibrateConformal(bt, { method: 'auto', include: (f) => f.target <= 2017 });
 * const later = [...bt.byArea.values()].flatMap((r) => r.forecasts.filter((f) => f.origin >= 2017));
 * scoreConformal(later, cal).levels; // [{ level: 80, coverage: ... }, { level: 95, ... }]
 * ```
 */
export function scoreConformal(forecasts: readonly BacktestForecast[], calibration: ConformalCalibration): ConformalScore {
  if (calibration?.kind !== 'conformal') bad('calibration', 'not a conformal calibration', 'use calibrateConformal() or calibrateConformalSeries()');
  if (calibration.errors === 0) bad('calibration', `the calibration of ${calibration.method} rests on no errors`, 'calibrate on more forecasts');
  const levels = calibration.levels;
  type Acc = { n: number; covered: number; sw: number; sn: number };
  const fresh = (): Acc[] => levels.map(() => ({ n: 0, covered: 0, sw: 0, sn: 0 }));
  const all = fresh();
  const byStep = new Map<number, Acc[]>();
  let n = 0;
  for (const f of forecasts) {
    if (f.method !== calibration.method || f.actual === null) continue;
    const o = stepOffsets(calibration, f.h);
    if (o === null) continue;
    const scale = f.scale > 0 ? f.scale : 0;
    n++;
    if (!byStep.has(f.h)) byStep.set(f.h, fresh());
    const accs = [all, byStep.get(f.h) as Acc[]];
    levels.forEach((l, j) => {
      const c = o.from.levels[j];
      const lo = Math.max(0, f.point + c.lower * o.factor * scale);
      const hi = Math.max(0, f.point + c.upper * o.factor * scale);
      const y = f.actual as number;
      const inside = y >= lo && y <= hi;
      const a = (100 - l) / 100;
      let w = hi - lo;
      if (y < lo) w += (2 / a) * (lo - y);
      else if (y > hi) w += (2 / a) * (y - hi);
      for (const acc of accs) {
        acc[j].n++;
        if (inside) acc[j].covered++;
        if (scale > 0) {
          acc[j].sw += w / scale;
          acc[j].sn++;
        }
      }
    });
  }
  const out = (acc: Acc[]): ConformalScoreLevel[] =>
    levels.map((level, j) => ({
      level,
      n: acc[j].n,
      covered: acc[j].covered,
      coverage: acc[j].n > 0 ? acc[j].covered / acc[j].n : NaN,
      scaledWinkler: acc[j].sn > 0 ? acc[j].sw / acc[j].sn : NaN,
    }));
  return {
    n,
    levels: out(all),
    byStep: [...byStep.entries()].sort((a, b) => a[0] - b[0]).map(([h, acc]) => ({ h, levels: out(acc) })),
  };
}
