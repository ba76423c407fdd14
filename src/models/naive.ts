/**
 * The naive method (random walk): every future value equals the last one.
 *
 * @module
 */
import { buildForecast } from './buildForecast.js';
import { checkSeries } from './checks.js';
import { startSimulation } from './paths.js';
import type { FittedModel, ForecastOptions, ModelForecast, SamplePaths, SimulateOptions } from './types.js';

/**
 * Fit the naive method (R: `forecast::naive` / `rwf(drift = FALSE)`).
 *
 * Point forecast: the last value. Interval: the random-walk variance
 * `sigma^2 * h`, where `sigma^2` is the mean of the squared one-step
 * differences (the in-sample residuals), with normal quantiles, as R does.
 *
 * @param y - the observations, oldest first (at least 2)
 * @returns the fitted model
 * @throws RangeError for fewer than 2 observations or non-finite values
 * @example
 * ```ts
 * const fc = fitNaive([719, 802, 861]).forecast(2, { levels: [80] });
 * fc.point; // [861, 861]
 * ```
 */
export function fitNaive(y: readonly number[]): FittedModel {
  checkSeries(y, 'naive', 2);
  const n = y.length;
  const fitted = y.map((_, i) => (i === 0 ? Number.NaN : y[i - 1]));
  const residuals = y.map((v, i) => v - fitted[i]);
  let ss = 0;
  for (let i = 1; i < n; i++) ss += residuals[i] ** 2;
  const sigma2 = ss / (n - 1);
  const last = y[n - 1];
  return {
    method: 'naive',
    diagnostics: { n, params: { last }, sigma2, fitted, residuals },
    forecast(horizon: number, options: ForecastOptions = {}): ModelForecast {
      return buildForecast('naive', horizon, options, (h) => ({ type: 'normal', mean: last, sd: Math.sqrt(sigma2 * h) }));
    },
    simulate(horizon: number, options: SimulateOptions = {}): SamplePaths {
      const { out, rng } = startSimulation(horizon, options);
      const sigma = Math.sqrt(sigma2);
      for (let p = 0; p < out.paths; p++) {
        let v = last;
        for (let h = 0; h < horizon; h++) {
          v += sigma * rng.normal();
          out.values[p * horizon + h] = v;
        }
      }
      return out;
    },
  };
}
