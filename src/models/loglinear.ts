/**
 * Log-linear trend: compound growth at a constant yearly rate.
 *
 * @module
 */
import { predictionSe, simpleRegression } from '../math/simpleRegression.js';
import { buildForecast } from './buildForecast.js';
import { checkSeries } from './checks.js';
import { simulateTrend } from './paths.js';
import type { FittedModel, ForecastOptions, ModelForecast, SamplePaths, SimulateOptions } from './types.js';

/**
 * Fit a log-linear trend `log y_t = a + b t + e_t` (R: `tslm(y ~ trend,
 * lambda = 0)`): constant compound growth of `exp(b) - 1` a year.
 *
 * Forecasts and intervals are the log-scale regression's, back-transformed
 * with `exp`: the point forecast is the median (R's default, `biasadj =
 * FALSE`), intervals are exp of the Student t interval with n - 2 degrees of
 * freedom, so they are asymmetric and never negative.
 *
 * @param y - the observations, oldest first (at least 3, all > 0)
 * @returns the fitted model; `params.growth` is the yearly growth rate
 * @throws RangeError for fewer than 3 observations or non-positive values
 * @example
 * ```ts
 * fitLoglinear([100, 110, 121]).forecast(1).point; // [133.1]
 * ```
 */
export function fitLoglinear(y: readonly number[]): FittedModel {
  checkSeries(y, 'loglinear', 3, true);
  const n = y.length;
  const t = y.map((_, i) => i + 1);
  const reg = simpleRegression(
    t,
    y.map((v) => Math.log(v)),
  );
  const fitted = reg.fitted.map((v) => Math.exp(v));
  const residuals = y.map((v, i) => v - fitted[i]);
  return {
    method: 'loglinear',
    diagnostics: {
      n,
      params: { intercept: reg.intercept, slope: reg.slope, growth: Math.exp(reg.slope) - 1 },
      sigma2: reg.sigma2,
      fitted,
      residuals,
    },
    forecast(horizon: number, options: ForecastOptions = {}): ModelForecast {
      return buildForecast('loglinear', horizon, options, (h) => ({
        type: 'exp',
        of: { type: 'studentT', mean: reg.intercept + reg.slope * (n + h), scale: predictionSe(reg, n + h), df: n - 2 },
      }));
    },
    simulate(horizon: number, options: SimulateOptions = {}): SamplePaths {
      // coefficients and residual sd drawn per path, then independent errors:
      // each step's distribution is the analytic Student t (exp of it)
      return simulateTrend(reg, horizon, options, true);
    },
  };
}
