/**
 * Linear trend: a straight line through time, by least squares.
 *
 * @module
 */
import { predictionSe, simpleRegression } from '../math/simpleRegression.js';
import { buildForecast } from './buildForecast.js';
import { checkSeries } from './checks.js';
import { simulateTrend } from './paths.js';
import type { FittedModel, ForecastOptions, ModelForecast, SamplePaths, SimulateOptions } from './types.js';

/**
 * Fit a linear trend `y_t = a + b t + e_t` (R: `tslm(y ~ trend)`), t = 1..n.
 *
 * Prediction intervals are the regression's: Student t with n - 2 degrees
 * of freedom and standard error `s sqrt(1 + 1/n + (t0 - tbar)^2 / Sxx)`,
 * as R's `forecast.lm` gives.
 *
 * @param y - the observations, oldest first (at least 3)
 * @returns the fitted model
 * @throws RangeError for fewer than 3 observations or non-finite values
 * @example
 * ```ts
 * fitLinear([10, 12, 14, 16]).forecast(2).point; // [18, 20]
 * ```
 */
export function fitLinear(y: readonly number[]): FittedModel {
  checkSeries(y, 'linear', 3);
  const n = y.length;
  const t = y.map((_, i) => i + 1);
  const reg = simpleRegression(t, y);
  const residuals = y.map((v, i) => v - reg.fitted[i]);
  return {
    method: 'linear',
    diagnostics: {
      n,
      params: { intercept: reg.intercept, slope: reg.slope },
      sigma2: reg.sigma2,
      fitted: reg.fitted,
      residuals,
    },
    forecast(horizon: number, options: ForecastOptions = {}): ModelForecast {
      return buildForecast('linear', horizon, options, (h) => ({
        type: 'studentT',
        mean: reg.intercept + reg.slope * (n + h),
        scale: predictionSe(reg, n + h),
        df: n - 2,
      }));
    },
    simulate(horizon: number, options: SimulateOptions = {}): SamplePaths {
      // coefficients and residual sd drawn per path, then independent errors:
      // each step's distribution is the analytic Student t
      return simulateTrend(reg, horizon, options, false);
    },
  };
}
