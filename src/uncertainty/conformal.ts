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
 * Errors are those of {@link "carecast"!backtest} / {@link backtestPanel}: error =
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
 * - **Pooled** ({@link "carecast/evaluate"!calibrateConformal} on a {@link backtestPanel}
 *   result): per step, the errors of one method across every authority and
 *   origin, hundreds or thousands of them. On DfE data this is what held
 *   its nominal coverage (benchmarks/RESULTS.md, "Accuracy on the DfE panel").
 * - **Per series** ({@link calibrateConformalSeries}, or
 *   {@link "carecast/evaluate"!calibrateConformal} on a one-series {@link "carecast"!backtest}): the
 *   series' own rolling-origin errors. With 5-10 annual points that is a
 *   handful of errors per step: the result says how many, and which levels
 *   it cannot reach.
 *
 * ## Calibrated steps and the extrapolation beyond them
 *
 * A step is calibrated when it has enough errors of its own: at least 39 for
 * a pooled calibration (the fewest with which an asymmetric 95% band is
 * finite), at least 1 for a series' own errors (`minErrors`). The calibrated
 * steps are the leading run 1..H of such steps. Beyond H the quantile at each
 * level (each end, for asymmetric bands) is extrapolated by a power law in the
 * step, `q_h = q_H (h / H)^k`, where k is the least-squares slope of
 * log |q_h| on log h over the calibrated steps, floored at 0.5 (a random
 * walk's errors grow as the square root of the step); with fewer than two
 * calibrated steps, k = 0.5. This rule was fixed before it was run on the DfE
 * panel (docs/preregistration/issue-12-global-models.md, "Bands"). The
 * calibration records H and k per level ({@link ConformalExtrapolation}), and
 * bands say which steps were extrapolated and with which k.
 *
 * ## The predictive distribution
 *
 * Each calibrated step also keeps the distribution of its signed offsets,
 * (actual - point) / scale, as `offsetQuantiles`: the sorted offsets
 * themselves when there are at most {@link CONFORMAL_GRID_SIZE}, else their
 * quantiles at the {@link CONFORMAL_GRID_SIZE} midpoint levels (i - ½) / 100.
 * A conformal forecast's predictive distribution h steps ahead is then
 * `point + scale × offsetQuantiles` (a `sample`, from
 * {@link conformalBands}), each value weighing the same: what its CRPS is
 * scored on. It keeps the errors' sign (a method that runs high has its
 * distribution below the point) whatever the band's shape; the bands
 * themselves are read off the quantiles above, not off this distribution.
 *
 * Beyond the calibrated steps the distribution of step H is widened by the
 * same power law as the bands ({@link extrapolateOffsetQuantiles}): the value
 * at probability p (the midpoint (i - ½) / n of its rank) is multiplied by
 * (h / H)^k, with k read off the band exponents of its side (the lower end's
 * for p < ½, the upper end's for p > ½, their mean at p = ½) at the central
 * coverage |2p - 1| the value marks: the lowest level's k inside that level,
 * the highest level's k beyond it, and linearly interpolated in coverage
 * between two levels. With symmetric bands both sides share k.
 *
 * @module
 */
import { CarecastInputError } from '../data/errors.js';
import { checkLevels } from '../models/distribution.js';
import { sampleQuantile } from '../models/distribution.js';
import { fitMethod, isAnyMethodName, isMethodName, minObservations, type MethodOptions } from '../models/registry.js';
import { rollingOrigins, selectMethod } from '../models/selectMethod.js';
import type { AnyMethodName, Distribution, ForecastInterval, MethodName } from '../models/types.js';
import { olsSlope } from '../math/simpleRegression.js';

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
  /**
   * The step's predictive distribution of signed offsets, (actual - point) /
   * scale, ascending, each value weighing the same: the offsets themselves
   * when there are at most {@link CONFORMAL_GRID_SIZE}, else their quantiles
   * (R's type 7) at the midpoint levels (i - ½) / {@link CONFORMAL_GRID_SIZE}
   * (empty with no errors). See {@link conformalOffsetQuantiles}.
   */
  readonly offsetQuantiles: readonly number[];
}

/**
 * The most values a calibrated step keeps of its offset distribution
 * ({@link ConformalStep.offsetQuantiles}): beyond it, that many quantiles.
 */
export const CONFORMAL_GRID_SIZE = 100;

/**
 * The predictive distribution of one step's scale-free errors, as signed
 * offsets (actual - point) / scale = -error, ascending: the offsets
 * themselves when there are at most `size`, else their quantiles (R's type
 * 7) at the midpoint levels (i - ½) / size, each standing for an equal slice
 * of probability. Scored as a sample, the quantile set has the CRPS of
 * `crpsQuantiles` at those levels (a close approximation of the full
 * sample's; exact when the offsets themselves are kept).
 *
 * @param scaledErrors - scaled errors, forecast - actual (finite numbers)
 * @param size - the most values to keep (default {@link CONFORMAL_GRID_SIZE})
 * @returns the offsets or their quantiles, ascending (empty for no errors)
 * @throws CarecastInputError for a non-finite error or a size that is not a whole number of at least 1
 * @example
 * ```ts
 * conformalOffsetQuantiles([0.5, -1, 2, -0.2]);  // [-2, -0.5, 0.2, 1]
 * conformalOffsetQuantiles([0.5, -1, 2, -0.2], 2); // quantiles at 0.25 and 0.75: [-0.875, 0.4]
 * ```
 */
export function conformalOffsetQuantiles(scaledErrors: readonly number[], size: number = CONFORMAL_GRID_SIZE): number[] {
  if (!(Number.isInteger(size) && size >= 1)) bad('size', `size must be a whole number of at least 1, got ${size}`, `e.g. ${CONFORMAL_GRID_SIZE}`);
  const r = scaledErrors.map((e, i) => {
    if (!Number.isFinite(e)) bad('errors', `scaled error ${i + 1} is ${e}, not a finite number`, 'leave unscored forecasts out');
    return -e;
  });
  r.sort((a, b) => a - b);
  if (r.length <= size) return r;
  return Array.from({ length: size }, (_, i) => sampleQuantile(r, (i + 0.5) / size));
}

/**
 * A conformal calibration: per step, quantiles of scale-free forecast errors, and what they rest on.
 *
 * @example
 * ```ts
 * const cal: ConformalCalibration = loadDfeCalibration('auto');  // pooled over every DfE LA
 * cal.steps.map((s) => s.n);                                       // errors per step ahead
 * forecast(series, { to: 2030, conformal: cal }).intervalMethod;   // 'conformal'
 * ```
 */
export interface ConformalCalibration {
  /** Tells a calibration apart from other objects. */
  readonly kind: 'conformal';
  /** `'pooled'`: errors from many areas; `'series'`: from one series' own rolling origins. */
  readonly source: 'pooled' | 'series';
  /** The method whose errors were calibrated (`'auto'`: the errors of automatic choice; a global method's: from a panel backtest). */
  readonly method: AnyMethodName | 'auto';
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
  /** The calibrated steps and how later steps are extrapolated from them (k per level). */
  readonly extrapolation: ConformalExtrapolation;
  /** Plain-language notes: what the calibration rests on, levels it cannot reach. */
  readonly caveats: readonly string[];
}

/** The power-law exponents of one level: `q_h = q_H (h / H)^k` beyond the calibrated steps. */
export interface ConformalExponent {
  /** Nominal coverage in percent. */
  readonly level: number;
  /** k of the lower end (the same as `upper` for a symmetric band). */
  readonly lower: number;
  /** k of the upper end. */
  readonly upper: number;
  /** The least-squares slope of the lower end before the floor (`NaN` with fewer than two steps to fit). */
  readonly fittedLower: number;
  /** The least-squares slope of the upper end before the floor (`NaN` with fewer than two steps to fit). */
  readonly fittedUpper: number;
}

/**
 * Which steps of a calibration are calibrated, and how the steps beyond them
 * are extrapolated: `q_h = q_H (h / H)^k` per level (and end), k the
 * least-squares slope of log |q_h| on log h over steps 1..H, at least
 * `floor`.
 *
 * @example
 * ```ts
 * const x: ConformalExtrapolation = loadDfeCalibration('naive').extrapolation;
 * x.calibratedSteps;           // H: steps 1..H each rest on at least x.minErrors errors
 * x.exponents[1].upper;        // k at 80%
 * ```
 */
export interface ConformalExtrapolation {
  /** H: the steps 1..H are calibrated from their own errors (0 when no step has errors). */
  readonly calibratedSteps: number;
  /** The fewest errors a step needs to count as calibrated (39 pooled, 1 for a series' own errors, unless set). */
  readonly minErrors: number;
  /** `true` when no step had `minErrors` errors and the steps with any errors were used instead. */
  readonly fallback: boolean;
  /** The least k allowed (0.5, a random walk's rate). */
  readonly floor: number;
  /** One entry per calibrated level (ascending). */
  readonly exponents: readonly ConformalExponent[];
}

/** Options for {@link calibrateConformalErrors}. */
export interface CalibrateConformalErrorsOptions {
  /** The method whose errors these are (`'auto'`: the errors of automatic choice). */
  readonly method: AnyMethodName | 'auto';
  /** Levels in percent (default `[80, 95]`). */
  readonly levels?: readonly number[];
  /** Symmetric (default) or asymmetric bands. */
  readonly shape?: ConformalShape;
  /** `'pooled'` (default): errors from many areas; `'series'`: from one series' own rolling origins. */
  readonly source?: 'pooled' | 'series';
  /** Number of areas the errors come from (default 1). */
  readonly areas?: number;
  /** Notes to put before the calibration's own caveats. */
  readonly caveats?: readonly string[];
  /** The fewest errors for a step to count as calibrated (default 39 for a pooled calibration, 1 for a series' own errors). */
  readonly minErrors?: number;
}

/** Options for {@link conformalExtrapolation}. */
export interface ConformalExtrapolationOptions {
  /** Symmetric (default) or asymmetric bands. */
  readonly shape?: ConformalShape;
  /** The fewest errors for a step to count as calibrated (default 39). */
  readonly minErrors?: number;
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

/** Options for {@link conformalBands} and `applyConformal`. */
export interface ConformalBandsOptions {
  /** Levels to produce (each must be calibrated; default: every calibrated level). */
  readonly levels?: readonly number[];
}

/** One projected step of {@link ConformalBands}. */
export interface ConformalBandStep {
  /** Steps ahead (1-based). */
  readonly h: number;
  /** The calibrated step whose quantiles were used (= h unless extrapolated, else the last calibrated step H). */
  readonly from: number;
  /** Number of errors that step rests on. */
  readonly n: number;
  /** `true` when h is beyond the calibrated steps and the band is `from`'s widened by (h / from)^k. */
  readonly extrapolated: boolean;
  /** When extrapolated: the exponents k used, per level. */
  readonly exponents?: readonly ConformalExponent[];
  /** `true` when every level is a finite conformal quantile. */
  readonly finite: boolean;
}

/** The offsets of a calibration at one step ahead, from {@link conformalOffsets}. */
export interface ConformalStepOffsets {
  /** Steps ahead (1-based). */
  readonly h: number;
  /** The calibrated step whose quantiles were used (h itself, or the last calibrated step H beyond it). */
  readonly from: ConformalStep;
  /** `true` when h is beyond the calibrated steps. */
  readonly extrapolated: boolean;
  /** Per level (the calibration's, ascending): `from`'s offsets, times (h / H)^k when extrapolated. */
  readonly levels: readonly ConformalLevel[];
  /**
   * The predictive distribution of signed offsets at h, ascending: `from`'s
   * `offsetQuantiles`, each widened by (h / H)^k when extrapolated
   * ({@link extrapolateOffsetQuantiles}).
   */
  readonly offsetQuantiles: readonly number[];
  /** When extrapolated: the exponents k used, per level. */
  readonly exponents?: readonly ConformalExponent[];
}

/** The result of {@link conformalBands}. */
export interface ConformalBands {
  /** The point forecast the bands are centred on. */
  readonly point: readonly number[];
  /** One interval per level (ascending), not clipped. */
  readonly intervals: readonly ForecastInterval[];
  /**
   * The predictive distribution per step, not clipped: a `sample` of
   * `point + scale × offsets`, the offsets those of {@link conformalOffsets}
   * (the step's `offsetQuantiles`, widened by the power law beyond the
   * calibrated steps), each value weighing the same.
   */
  readonly distributions: readonly Distribution[];
  /** The MASE scale the offsets were multiplied by. */
  readonly scale: number;
  /** Per projected step: which calibrated step it used and how many errors that rests on. */
  readonly steps: readonly ConformalBandStep[];
  /** Plain-language notes (errors per step, extrapolation, levels the errors cannot reach). */
  readonly caveats: readonly string[];
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

/** The fewest errors of a calibrated step in a pooled calibration (pre-registered: the fewest with which an asymmetric 95% band is finite). */
const POOLED_MIN_ERRORS = 39;
/** The least power-law exponent (a random walk's errors grow as the square root of the step). */
const K_FLOOR = 0.5;

function minErrorsOrFail(v: number | undefined, fallback: number): number {
  const m = v ?? fallback;
  if (!Number.isInteger(m) || m < 1) bad('minErrors', `minErrors must be a whole number of at least 1, got ${m}`, 'e.g. 39');
  return m;
}

/** Least-squares slope of log |q| on log h over the steps whose offset is not 0 (NaN with fewer than two). */
function logSlope(hs: readonly number[], qs: readonly number[]): number {
  const pts = hs.map((h, i) => [Math.log(h), Math.abs(qs[i])] as const).filter(([, q]) => q > 0 && Number.isFinite(q));
  if (pts.length < 2) return NaN;
  return olsSlope(
    pts.map(([x]) => x),
    pts.map(([, q]) => Math.log(q)),
  );
}

/**
 * Which steps of a calibration are calibrated, and the power-law exponents
 * that extend it beyond them. The calibrated steps are the leading run 1..H
 * of steps with at least `minErrors` errors each (if step 1 has fewer, the
 * leading run of steps with any errors, flagged `fallback`). Per level, and
 * per end for asymmetric bands, k is the least-squares slope of log |q_h| on
 * log h over h = 1..H (steps whose offset is exactly 0 left out), floored at
 * 0.5; with fewer than two steps to fit, k = 0.5. Beyond H the band is
 * `q_h = q_H (h / H)^k` ({@link conformalOffsets}).
 *
 * @param steps - the calibration's steps, step 1 first (as in {@link ConformalCalibration.steps})
 * @param options - the band shape (default symmetric) and the fewest errors of a calibrated step (default 39)
 * @returns H, the threshold, whether the fallback was used, and k per level
 * @throws CarecastInputError for a bad `minErrors` or shape
 * @example
 * ```ts
 * // 40 errors per step, each step's |errors| all h^0.7: every quantile is h^0.7
 * const steps = [1, 2, 3, 4].map((h) => Array.from({ length: 40 }, () => h ** 0.7));
 * const cal = calibrateConformalErrors(steps, { method: 'naive', levels: [80, 95] });
 * conformalExtrapolation(cal.steps).exponents[0].upper; // 0.7
 * conformalExtrapolation(cal.steps, { minErrors: 50 }).fallback; // true: no step has 50
 * ```
 */
export function conformalExtrapolation(steps: readonly ConformalStep[], options: ConformalExtrapolationOptions = {}): ConformalExtrapolation {
  const shape = shapeOrFail(options.shape);
  const minErrors = minErrorsOrFail(options.minErrors, POOLED_MIN_ERRORS);
  const run = (least: number): number => {
    let H = 0;
    while (H < steps.length && steps[H].n >= least) H++;
    return H;
  };
  let H = run(minErrors);
  const fallback = H === 0 && steps.length > 0 && steps[0].n > 0;
  if (fallback) H = run(1);
  const levels = steps[0]?.levels.map((l) => l.level) ?? [];
  const hs = Array.from({ length: H }, (_, i) => i + 1);
  const exponents = levels.map((level, j): ConformalExponent => {
    const fittedUpper = logSlope(
      hs,
      hs.map((h) => steps[h - 1].levels[j].upper),
    );
    const fittedLower = shape === 'symmetric' ? fittedUpper : logSlope(hs, hs.map((h) => steps[h - 1].levels[j].lower));
    const k = (f: number): number => (Number.isFinite(f) ? Math.max(K_FLOOR, f) : K_FLOOR);
    return { level, lower: k(fittedLower), upper: k(fittedUpper), fittedLower, fittedUpper };
  });
  return { calibratedSteps: H, minErrors, fallback, floor: K_FLOOR, exponents };
}

/** What a band's calibrated steps rest on, in words. */
function restsOn(own: readonly ConformalBandStep[]): string {
  if (own.length === 0) return 'no errors at these steps';
  const yrs = (h: number): string => `${h} year${h === 1 ? '' : 's'} ahead`;
  if (own.length <= 3) return own.map((s) => `${s.n} errors at ${yrs(s.h)}`).join(', ');
  const total = own.reduce((a, s) => a + s.n, 0);
  const last = own[own.length - 1];
  return `${total} errors at 1-${yrs(last.h)} (${own[0].n} at ${yrs(1)}, ${last.n} at ${yrs(last.h)})`;
}

/** The calibration's extrapolation (recomputed from its steps for a calibration made without one). */
function extrapolationOf(cal: ConformalCalibration): ConformalExtrapolation {
  return cal.extrapolation ?? conformalExtrapolation(cal.steps, { shape: cal.shape, minErrors: cal.source === 'pooled' ? POOLED_MIN_ERRORS : 1 });
}

function kText(e: readonly ConformalExponent[], shape: ConformalShape): string {
  const f = (k: number): string => k.toFixed(2);
  return e.map((x) => (shape === 'symmetric' || x.lower === x.upper ? `${f(x.upper)} at ${x.level}%` : `${f(x.lower)} (lower) / ${f(x.upper)} (upper) at ${x.level}%`)).join(', ');
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

/**
 * A conformal calibration from scale-free forecast errors grouped by step:
 * `byStep[h - 1]` holds the errors h steps ahead (forecast - actual, each
 * divided by its training window's MASE scale). Per step and level the band
 * is {@link conformalLevel}'s, and the caveats say what the calibration rests
 * on and which levels its errors cannot reach. This is the common kernel of
 * `calibrateConformal` (errors from a backtest) and
 * {@link calibrateConformalSeries} (a series' own rolling-origin errors); use
 * it for errors gathered any other way.
 *
 * @param byStep - scaled errors per step, step 1 first (a step may have none)
 * @param options - method, levels (default 80, 95), shape (default symmetric), source (default pooled), number of areas (default 1), extra caveats
 * @returns the calibration
 * @throws CarecastInputError for an unknown method, source or shape, bad levels, a bad number of areas, or a non-finite error
 * @example
 * ```ts
 * const cal = calibrateConformalErrors([[0.5, -1, 2, -0.2], [1.5, -2.5, 3]], { method: 'naive', levels: [80], areas: 2 });
 * cal.steps[0].levels[0]; // { level: 80, lower: -2, upper: 2, finite: true, ... }
 * cal.errors;             // 7
 * ```
 */
export function calibrateConformalErrors(byStep: readonly (readonly number[])[], options: CalibrateConformalErrorsOptions): ConformalCalibration {
  const method = options?.method;
  if (method !== 'auto' && !isAnyMethodName(String(method))) bad('method', `unknown method "${String(method)}"`, 'use auto, naive, drift, linear, loglinear, dampedTrend, repeatGrowth, theta or a global method (panelGrowth, panelAR, panelGrowthRate, panelARRate)');
  const source = options.source ?? 'pooled';
  if (source !== 'pooled' && source !== 'series') bad('source', `unknown source "${String(source)}"`, "use 'pooled' or 'series'");
  const areas = options.areas ?? 1;
  if (!Number.isInteger(areas) || areas < 0) bad('areas', `areas must be a whole number of at least 0, got ${areas}`, 'give the number of areas the errors come from');
  const meta = { source, method, shape: shapeOrFail(options.shape), levels: levelsOrFail(options.levels), areas, extraCaveats: options.caveats };
  const minErrors = minErrorsOrFail(options.minErrors, source === 'pooled' ? POOLED_MIN_ERRORS : 1);
  const steps: ConformalStep[] = byStep.map((errs, i) => ({
    h: i + 1,
    n: errs.length,
    levels: meta.levels.map((l) => conformalLevel(errs, l, meta.shape)),
    offsetQuantiles: conformalOffsetQuantiles(errs),
  }));
  const errors = steps.reduce((s, x) => s + x.n, 0);
  const extrapolation = conformalExtrapolation(steps, { shape: meta.shape, minErrors });
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
  const H = extrapolation.calibratedSteps;
  if (extrapolation.fallback) {
    caveats.push(
      `No step has the ${minErrors} errors a calibrated step needs (step 1 has ${steps[0].n}): the bands at steps 1-${H} rest on fewer, and a calibration on more areas or origins would be steadier.`,
    );
  }
  if (H > 0) {
    const more = steps.length - H;
    const range = more === 1 ? `step ${H + 1} has` : `steps ${H + 1}-${steps.length} have`;
    const beyond = more > 0 ? ` (${range} fewer errors and ${more === 1 ? 'is' : 'are'} extrapolated too)` : '';
    const least = extrapolation.fallback ? '' : ` (at least ${minErrors}${H === 1 ? '' : ' each'})`;
    const fit = H === 1 ? `k = ${K_FLOOR} (one calibrated step: nothing to fit)` : `k fitted on steps 1-${H} and at least ${K_FLOOR}: k = ${kText(extrapolation.exponents, meta.shape)}`;
    caveats.push(
      `${H === 1 ? 'Step 1 is' : `Steps 1-${H} are`} calibrated on ${H === 1 ? 'its' : 'their'} own errors${least}${beyond}; ` +
        `beyond step ${H} the band is extrapolated as q_h = q_${H} (h/${H})^k, ${fit}.`,
    );
  }
  return { kind: 'conformal', source: meta.source, method: meta.method, shape: meta.shape, levels: meta.levels, steps, areas: meta.areas, errors, extrapolation, caveats };
}

/**
 * Calibrate conformal bands on one series' own rolling-origin errors: train
 * on the first k values for every k from the shortest training window to
 * n - 1, forecast 1..`maxStep` steps ahead (those inside the data), and
 * scale each error by its training window's MASE scale, as
 * {@link "carecast"!backtest} does. With `'auto'` the method is chosen afresh from each
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
  return calibrateConformalErrors(byStep, { source: 'series', method, shape, levels, areas: 1, caveats: extra });
}

/**
 * A calibration's offsets h steps ahead, per level: the step's own quantiles
 * when h is a calibrated step (1..H), else the last calibrated step's
 * quantiles extrapolated by the calibration's power law, `q_h = q_H (h /
 * H)^k` with k per level (and end). This is how {@link conformalBands} and
 * `scoreConformal` read a calibration at any step.
 *
 * @param cal - a conformal calibration
 * @param h - steps ahead (1-based)
 * @returns the offsets, the step they come from and the exponents used, or `null` when no step has errors
 * @example
 * ```ts
 * const cal = calibrateConformalErrors([[0.5, -1, 2, -0.2]], { method: 'naive', levels: [80] });
 * conformalOffsets(cal, 4)?.levels[0].upper; // 4: the 80% quantile at step 1 (2) x (4 / 1)^0.5
 * ```
 */
export function conformalOffsets(cal: ConformalCalibration, h: number): ConformalStepOffsets | null {
  const x = extrapolationOf(cal);
  const H = x.calibratedSteps;
  if (H === 0) return null;
  if (h <= H) {
    const s = cal.steps[h - 1];
    return { h, from: s, extrapolated: false, levels: s.levels, offsetQuantiles: s.offsetQuantiles };
  }
  const from = cal.steps[H - 1];
  const r = h / H;
  const levels = from.levels.map((l, j) => {
    const e = x.exponents[j];
    return { ...l, lower: l.lower * r ** e.lower, upper: l.upper * r ** e.upper };
  });
  return { h, from, extrapolated: true, levels, offsetQuantiles: extrapolateOffsetQuantiles(from.offsetQuantiles, x.exponents, r), exponents: x.exponents };
}

/** The exponent k of one side at central coverage c (percent): the nearest level's beyond the levels, linear in coverage between two. */
function exponentAt(exponents: readonly ConformalExponent[], side: 'lower' | 'upper', c: number): number {
  if (exponents.length === 0) return K_FLOOR;
  const e = [...exponents].sort((a, b) => a.level - b.level);
  if (c <= e[0].level) return e[0][side];
  const last = e[e.length - 1];
  if (c >= last.level) return last[side];
  let j = 1;
  while (e[j].level < c) j++;
  const a = e[j - 1];
  const b = e[j];
  const t = (c - a.level) / (b.level - a.level);
  return a[side] + t * (b[side] - a[side]);
}

/**
 * A calibrated step's offset distribution widened to a step beyond the
 * calibrated ones by the bands' power law. The i-th of the n ascending
 * offsets stands for probability p = (i - ½) / n; it is multiplied by `r^k`
 * (r = h / H), k the exponent of its side (the lower end's when p < ½, the
 * upper end's when p > ½, their mean at p = ½) at the central coverage
 * c = |2p - 1| × 100 it marks: the lowest level's k for c at or inside that
 * level, the highest level's beyond the highest level, and between two levels
 * linearly interpolated in c. With symmetric bands both sides share k, and a
 * single level's k applies to every offset. The result is sorted ascending.
 *
 * @param offsets - the step's `offsetQuantiles`, ascending
 * @param exponents - the calibration's exponents per level (`extrapolation.exponents`)
 * @param r - h / H, at least 1
 * @returns the widened offsets, ascending
 * @example
 * ```ts
 * const k = [{ level: 80, lower: 0.5, upper: 1, fittedLower: 0.3, fittedUpper: 1 }];
 * extrapolateOffsetQuantiles([-1, 0, 2], k, 4); // [-2, 0, 8]: -1 × 4^0.5, 0, 2 × 4^1
 * ```
 */
export function extrapolateOffsetQuantiles(offsets: readonly number[], exponents: readonly ConformalExponent[], r: number): number[] {
  const n = offsets.length;
  const out = offsets.map((q, i) => {
    const p = (i + 0.5) / n;
    const c = Math.abs(2 * p - 1) * 100;
    const k = p < 0.5 ? exponentAt(exponents, 'lower', c) : p > 0.5 ? exponentAt(exponents, 'upper', c) : (exponentAt(exponents, 'lower', c) + exponentAt(exponents, 'upper', c)) / 2;
    return q * r ** k;
  });
  return out.sort((a, b) => a - b);
}

/**
 * Conformal bands around a point path: for step h, `point[h] + lower_h ×
 * scale` to `point[h] + upper_h × scale`, with the calibration's offsets at
 * that step (steps beyond the calibrated steps 1..H use step H's offsets ×
 * (h / H)^k, {@link conformalOffsets}). `scale` is the MASE scale
 * of the series being forecast: the mean absolute yearly change of the data
 * the point forecast was made from.
 *
 * @param point - the point forecast, one value per step ahead
 * @param scale - the series' MASE scale (0 gives bands of no width)
 * @param calibration - from {@link "carecast/evaluate"!calibrateConformal} or {@link calibrateConformalSeries}
 * @param options - the levels to produce (default: all calibrated)
 * @returns the intervals and the predictive distributions (not clipped at zero), the steps used and caveats
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
  if (calibration.errors === 0 || extrapolationOf(calibration).calibratedSteps === 0) {
    bad('calibration', `the calibration of ${calibration.method} rests on no errors${calibration.errors > 0 ? ' at step 1' : ''}`, 'calibrate on a longer series or a panel');
  }
  const steps: ConformalBandStep[] = [];
  const lower = levels.map(() => [] as number[]);
  const upper = levels.map(() => [] as number[]);
  const distributions: Distribution[] = [];
  point.forEach((p, i) => {
    const h = i + 1;
    const o = conformalOffsets(calibration, h) as ConformalStepOffsets;
    levels.forEach((l, j) => {
      const c = o.levels.find((x) => x.level === l) as ConformalLevel;
      lower[j].push(p + c.lower * scale);
      upper[j].push(p + c.upper * scale);
    });
    distributions.push({ type: 'sample', values: o.offsetQuantiles.map((q) => p + q * scale) });
    steps.push({
      h,
      from: o.from.h,
      n: o.from.n,
      extrapolated: o.extrapolated,
      ...(o.exponents ? { exponents: o.exponents.filter((e) => levels.includes(e.level)) } : {}),
      finite: levels.every((l) => o.from.levels.find((x) => x.level === l)?.finite ?? false),
    });
  });
  const caveats: string[] = [];
  const H = point.length;
  const own = steps.filter((s) => !s.extrapolated);
  caveats.push(
    `The ${levels.join('% and ')}% bands are conformal: ${calibration.source === 'pooled' ? `pooled over ${calibration.areas} areas, ` : 'from this series\u2019 own past forecasts, '}` +
      `they rest on ${restsOn(own)}.`,
  );
  const ext = steps.filter((s) => s.extrapolated);
  if (ext.length > 0) {
    const from = ext[0].from;
    caveats.push(
      `Beyond ${from} year${from === 1 ? '' : 's'} ahead (${ext.length} of ${H} projected years) the band is the ${from}-year band widened as (h/${from})^k, ` +
        `k = ${kText(ext[0].exponents ?? [], calibration.shape)} (fitted on steps 1-${from}, at least ${K_FLOOR}): an extrapolation, not calibrated.`,
    );
  }
  const notFinite = levels.filter((l) => steps.some((s) => !(calibration.steps[s.from - 1].levels.find((x) => x.level === l)?.finite ?? false)));
  if (notFinite.length > 0) {
    const needs = notFinite.map((l) => `${l}% needs ${errorsNeeded(l, calibration.shape)}`).join(', ');
    caveats.push(
      `Too few errors for a calibrated ${notFinite.join('% or ')}% band at some steps (a ${calibration.shape} band at ${needs} per step): there the band is the widest error seen, and covers less than its label.`,
    );
  }
  if (scale === 0) caveats.push('The data never changed (MASE scale 0): the conformal band has no width.');
  return { point: [...point], intervals: levels.map((level, j) => ({ level, lower: lower[j], upper: upper[j] })), distributions, scale, steps, caveats };
}

/**
 * The MASE scale of a projection's history: the mean absolute yearly change
 * of the values the model used (interpolated gaps included), as the
 * backtest scales its errors.
 *
 * @param projection - a projection from `forecast`, or anything with its `history` (the values used, oldest first)
 * @returns the scale (`NaN` with one observation)
 * @example
 * ```ts
 * historyScale(forecast(series, { horizon: 3 })); // e.g. 56.3
 * ```
 */
export function historyScale(projection: { readonly history: readonly { readonly used: number }[] }): number {
  const h = projection.history;
  let s = 0;
  for (let i = 1; i < h.length; i++) s += Math.abs(h[i].used - h[i - 1].used);
  return h.length > 1 ? s / (h.length - 1) : NaN;
}

