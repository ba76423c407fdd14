/**
 * Forecast accuracy measures: pure functions over arrays of actual values,
 * point forecasts and interval bounds.
 *
 * Conventions (the same everywhere in carecast):
 *
 * - **Error** is `forecast - actual`: positive means the forecast was too
 *   high. {@link bias} is the mean error, so a positive bias is
 *   over-forecasting. R's `forecast::accuracy` reports `ME` as the mean of
 *   `actual - forecast`, so `bias = -ME`.
 * - **MAPE** is `100 * mean(|error| / |actual|)` over the actual values that
 *   are not zero; zero actuals are left out and counted (R gives `Inf`).
 * - **sMAPE** is Hyndman's `200 * mean(|error| / (|actual| + |forecast|))`,
 *   in percent (0-200); pairs where both are zero are left out and counted.
 * - **MASE** divides the mean absolute error by the training data's mean
 *   absolute one-step (lag-1) change, as R's `accuracy(f, x)` does for
 *   non-seasonal data ({@link maseScale}).
 * - **Winkler (interval) score** of a central `level`% interval [lo, hi]
 *   (Gneiting & Raftery 2007) with alpha = 1 - level/100:
 *   `(hi - lo) + (2/alpha)(lo - y)` if y < lo, `+ (2/alpha)(y - hi)` if y > hi.
 *   Lower is better; it is in the data's units, and divided by the MASE scale
 *   it is comparable across areas of different sizes.
 *
 * Empty inputs give `NaN` (nothing to measure); inputs of different lengths
 * or holding non-finite numbers throw {@link CarecastInputError}.
 *
 * @module
 */
import { CarecastInputError } from '../data/errors.js';

/** A percentage measure that leaves some pairs out, with how many it used and skipped. */
export interface PercentMeasure {
  /** The measure in percent (`NaN` when no pair could be used). */
  readonly value: number;
  /** Number of pairs it rests on. */
  readonly n: number;
  /** Number of pairs left out (zero actuals for MAPE; zero actual and forecast for sMAPE). */
  readonly skipped: number;
}

/** Every point-forecast measure of {@link accuracy}, with the number of forecasts each rests on. */
export interface AccuracyMetrics {
  /** Number of (actual, forecast) pairs. */
  readonly n: number;
  /** Mean absolute error. */
  readonly mae: number;
  /** Root mean squared error. */
  readonly rmse: number;
  /** Mean error, forecast - actual (positive = forecasts too high). */
  readonly bias: number;
  /** Mean absolute percentage error, in percent, over non-zero actuals. */
  readonly mape: number;
  /** Number of pairs MAPE rests on (n minus zero actuals). */
  readonly mapeN: number;
  /** Symmetric MAPE (Hyndman), in percent (0-200). */
  readonly smape: number;
  /** Number of pairs sMAPE rests on. */
  readonly smapeN: number;
  /** Mean absolute scaled error (`NaN` without training data or forecasts; `Infinity` when the training data never changed, as in R). */
  readonly mase: number;
  /** Number of pairs MASE rests on (0 without training data or with a scale of 0). */
  readonly maseN: number;
}

const SOURCE = 'accuracy arguments';

function bad(field: string, message: string, fix: string): never {
  throw new CarecastInputError([{ source: SOURCE, field, message, fix }]);
}

function checkFinite(field: string, xs: readonly number[]): void {
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(xs[i])) bad(field, `${field}[${i}] is ${xs[i]}, not a finite number`, 'leave unscored pairs out before measuring');
  }
}

function checkPair(actual: readonly number[], forecast: readonly number[], name = 'forecast'): void {
  if (actual.length !== forecast.length) {
    bad(name, `${actual.length} actual values but ${forecast.length} ${name} values`, 'give one value per actual value');
  }
  checkFinite('actual', actual);
  checkFinite(name, forecast);
}

function checkLevel(level: number): number {
  if (!(Number.isFinite(level) && level > 0 && level < 100)) {
    bad('level', `interval level must be a percentage strictly between 0 and 100, got ${level}`, 'e.g. 80 or 95');
  }
  return (100 - level) / 100;
}

function mean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/**
 * Forecast errors, `forecast - actual`, pair by pair.
 *
 * @param actual - the observed values
 * @param forecast - the point forecasts, one per actual value
 * @returns the errors (positive = forecast too high)
 * @throws CarecastInputError when the lengths differ or a value is not finite
 * @example
 * ```ts
 * forecastErrors([10, 20], [12, 15]); // [2, -5]
 * ```
 */
export function forecastErrors(actual: readonly number[], forecast: readonly number[]): number[] {
  checkPair(actual, forecast);
  return actual.map((y, i) => forecast[i] - y);
}

/**
 * Mean absolute error.
 *
 * @param actual - the observed values
 * @param forecast - the point forecasts, one per actual value
 * @returns mean |forecast - actual| (`NaN` for empty input)
 * @throws CarecastInputError when the lengths differ or a value is not finite
 * @example
 * ```ts
 * mae([10, 20], [12, 15]); // 3.5
 * ```
 */
export function mae(actual: readonly number[], forecast: readonly number[]): number {
  return mean(forecastErrors(actual, forecast).map(Math.abs));
}

/**
 * Root mean squared error.
 *
 * @param actual - the observed values
 * @param forecast - the point forecasts, one per actual value
 * @returns sqrt(mean((forecast - actual)^2)) (`NaN` for empty input)
 * @throws CarecastInputError when the lengths differ or a value is not finite
 * @example
 * ```ts
 * rmse([10, 20], [12, 15]); // sqrt((4 + 25) / 2) = 3.8079
 * ```
 */
export function rmse(actual: readonly number[], forecast: readonly number[]): number {
  return Math.sqrt(mean(forecastErrors(actual, forecast).map((e) => e * e)));
}

/**
 * Mean error, `forecast - actual`: positive means the forecasts were too high
 * on average (over-forecasting), negative too low. The opposite sign of R's
 * `ME`.
 *
 * @param actual - the observed values
 * @param forecast - the point forecasts, one per actual value
 * @returns mean(forecast - actual) (`NaN` for empty input)
 * @throws CarecastInputError when the lengths differ or a value is not finite
 * @example
 * ```ts
 * bias([10, 20], [12, 15]); // (2 - 5) / 2 = -1.5
 * ```
 */
export function bias(actual: readonly number[], forecast: readonly number[]): number {
  return mean(forecastErrors(actual, forecast));
}

/**
 * Mean absolute percentage error, `100 * mean(|forecast - actual| / |actual|)`.
 * Pairs whose actual value is zero have no percentage error: they are left
 * out and counted in `skipped` (R's `accuracy` gives `Inf` instead).
 *
 * @param actual - the observed values
 * @param forecast - the point forecasts, one per actual value
 * @returns the MAPE in percent with the number of pairs used and skipped
 * @throws CarecastInputError when the lengths differ or a value is not finite
 * @example
 * ```ts
 * mape([10, 0, 20], [12, 3, 15]); // { value: 22.5, n: 2, skipped: 1 }
 * ```
 */
export function mape(actual: readonly number[], forecast: readonly number[]): PercentMeasure {
  checkPair(actual, forecast);
  const terms: number[] = [];
  actual.forEach((y, i) => {
    if (y !== 0) terms.push((100 * Math.abs(forecast[i] - y)) / Math.abs(y));
  });
  return { value: mean(terms), n: terms.length, skipped: actual.length - terms.length };
}

/**
 * Symmetric mean absolute percentage error, Hyndman's definition:
 * `mean(200 * |forecast - actual| / (|actual| + |forecast|))`, in percent
 * (0 to 200). Pairs where both are zero are left out and counted.
 *
 * @param actual - the observed values
 * @param forecast - the point forecasts, one per actual value
 * @returns the sMAPE in percent with the number of pairs used and skipped
 * @throws CarecastInputError when the lengths differ or a value is not finite
 * @example
 * ```ts
 * smape([10, 20], [12, 15]); // mean(200*2/22, 200*5/35) = 23.377
 * ```
 */
export function smape(actual: readonly number[], forecast: readonly number[]): PercentMeasure {
  checkPair(actual, forecast);
  const terms: number[] = [];
  actual.forEach((y, i) => {
    const d = Math.abs(y) + Math.abs(forecast[i]);
    if (d > 0) terms.push((200 * Math.abs(forecast[i] - y)) / d);
  });
  return { value: mean(terms), n: terms.length, skipped: actual.length - terms.length };
}

/**
 * The MASE scale of a training series: its mean absolute one-step (lag-1)
 * change, `mean(|y[t] - y[t-1]|)`, as R's `accuracy(f, x)` uses for
 * non-seasonal data (the in-sample MAE of the naive method).
 *
 * @param training - the training data, oldest first, at least 2 values
 * @returns the scale (0 for a flat series)
 * @throws CarecastInputError for fewer than 2 values or a non-finite value
 * @example
 * ```ts
 * maseScale([1, 3, 2, 5, 4]); // (2 + 1 + 3 + 1) / 4 = 1.75
 * ```
 */
export function maseScale(training: readonly number[]): number {
  if (training.length < 2) bad('training', `the MASE scale needs at least 2 training values, got ${training.length}`, 'give the data the forecast was fitted to');
  checkFinite('training', training);
  let s = 0;
  for (let i = 1; i < training.length; i++) s += Math.abs(training[i] - training[i - 1]);
  return s / (training.length - 1);
}

/**
 * Mean absolute scaled error: the mean absolute error divided by
 * {@link maseScale} of the training data. Below 1: better, on average, than
 * the in-sample one-step naive forecast. A flat training series has scale 0
 * and gives `Infinity` (or `NaN` for no error), as in R.
 *
 * @param actual - the observed values (the test set)
 * @param forecast - the point forecasts, one per actual value
 * @param training - the data the forecasts were made from, oldest first
 * @returns MAE / scale
 * @throws CarecastInputError when the lengths differ, a value is not finite, or the training data has fewer than 2 values
 * @example
 * ```ts
 * mase([6, 3], [4, 4], [1, 3, 2, 5, 4]); // 1.5 / 1.75 = 0.857 (R: accuracy(rwf(x, 2), c(6, 3)))
 * ```
 */
export function mase(actual: readonly number[], forecast: readonly number[], training: readonly number[]): number {
  const scale = maseScale(training);
  return mae(actual, forecast) / scale;
}

/**
 * Interval coverage: the share of actual values inside their interval,
 * `lower <= actual <= upper`.
 *
 * @param actual - the observed values
 * @param lower - the lower bounds, one per actual value
 * @param upper - the upper bounds, one per actual value
 * @returns a share between 0 and 1 (`NaN` for empty input)
 * @throws CarecastInputError when the lengths differ, a value is not finite, or a lower bound exceeds its upper bound
 * @example
 * ```ts
 * coverage([10, 20, 30], [8, 21, 25], [12, 25, 35]); // 2/3
 * ```
 */
export function coverage(actual: readonly number[], lower: readonly number[], upper: readonly number[]): number {
  checkBounds(actual, lower, upper);
  let inside = 0;
  actual.forEach((y, i) => {
    if (y >= lower[i] && y <= upper[i]) inside++;
  });
  return actual.length === 0 ? NaN : inside / actual.length;
}

function checkBounds(actual: readonly number[], lower: readonly number[], upper: readonly number[]): void {
  checkPair(actual, lower, 'lower');
  checkPair(actual, upper, 'upper');
  lower.forEach((lo, i) => {
    if (lo > upper[i]) bad('lower', `lower[${i}] = ${lo} is above upper[${i}] = ${upper[i]}`, 'give each interval as [lower, upper]');
  });
}

/**
 * The Winkler (interval) score of one central prediction interval
 * (Gneiting & Raftery 2007, eq. 43): its width, plus a penalty of
 * 2/alpha times the distance by which the actual value falls outside it,
 * with alpha = 1 - level/100. Lower is better; it rewards narrow intervals
 * and punishes misses in proportion to how far they miss.
 *
 * @param actual - the observed value
 * @param lower - the interval's lower bound
 * @param upper - the interval's upper bound
 * @param level - the interval's nominal coverage in percent, e.g. 80
 * @returns the score, in the data's units
 * @throws CarecastInputError for a level outside (0, 100), a non-finite value, or lower above upper
 * @example
 * ```ts
 * winklerScore(110, 90, 105, 80); // 15 + (2 / 0.2) * 5 = 65
 * ```
 */
export function winklerScore(actual: number, lower: number, upper: number, level: number): number {
  const alpha = checkLevel(level);
  checkBounds([actual], [lower], [upper]);
  return winklerUnchecked(actual, lower, upper, alpha);
}

function winklerUnchecked(y: number, lo: number, hi: number, alpha: number): number {
  let s = hi - lo;
  if (y < lo) s += (2 / alpha) * (lo - y);
  else if (y > hi) s += (2 / alpha) * (y - hi);
  return s;
}

/**
 * The mean Winkler score of a set of intervals, optionally divided by a
 * scale (the MASE scale of the training data, {@link maseScale}) so that
 * areas of different sizes can be pooled.
 *
 * @param actual - the observed values
 * @param lower - the lower bounds, one per actual value
 * @param upper - the upper bounds, one per actual value
 * @param level - the intervals' nominal coverage in percent
 * @param scale - divide every score by this (default 1); a positive number
 * @returns the mean score (`NaN` for empty input)
 * @throws CarecastInputError for mismatched lengths, non-finite values, lower above upper, a bad level or a scale that is not positive
 * @example
 * ```ts
 * meanWinklerScore([100, 110], [90, 90], [105, 105], 80);      // (15 + 65) / 2 = 40
 * meanWinklerScore([100, 110], [90, 90], [105, 105], 80, 20);  // 2
 * ```
 */
export function meanWinklerScore(actual: readonly number[], lower: readonly number[], upper: readonly number[], level: number, scale = 1): number {
  const alpha = checkLevel(level);
  checkBounds(actual, lower, upper);
  if (!(Number.isFinite(scale) && scale > 0)) bad('scale', `scale must be a positive number, got ${scale}`, 'use maseScale(training), or leave it out');
  return mean(actual.map((y, i) => winklerUnchecked(y, lower[i], upper[i], alpha) / scale));
}

/**
 * Every point-forecast measure at once, in the manner of R's
 * `forecast::accuracy(f, x)` for a test set: MAE, RMSE, bias (= -ME), MAPE,
 * sMAPE and, when the training data is given, MASE, each with the number of
 * pairs it rests on.
 *
 * @param actual - the observed values (the test set)
 * @param forecast - the point forecasts, one per actual value
 * @param training - the data the forecasts were made from (for MASE; optional)
 * @returns the measures
 * @throws CarecastInputError when the lengths differ, a value is not finite, or the training data has fewer than 2 values
 * @example
 * ```ts
 * accuracy([6, 3], [4, 4], [1, 3, 2, 5, 4]);
 * // { n: 2, mae: 1.5, rmse: 1.5811, bias: -0.5, mape: 33.33, mapeN: 2, smape: 34.29, smapeN: 2, mase: 0.857, maseN: 2 }
 * ```
 */
export function accuracy(actual: readonly number[], forecast: readonly number[], training?: readonly number[]): AccuracyMetrics {
  const p = mape(actual, forecast);
  const s = smape(actual, forecast);
  const scale = training === undefined ? NaN : maseScale(training);
  const m = mae(actual, forecast);
  const usable = Number.isFinite(scale) && scale > 0 && actual.length > 0;
  return {
    n: actual.length,
    mae: m,
    rmse: rmse(actual, forecast),
    bias: bias(actual, forecast),
    mape: p.value,
    mapeN: p.n,
    smape: s.value,
    smapeN: s.n,
    mase: training === undefined ? NaN : m / scale,
    maseN: usable ? actual.length : 0,
  };
}
