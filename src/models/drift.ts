/**
 * Random walk with drift: the last value plus the average yearly change.
 *
 * @module
 */
import { buildForecast } from './buildForecast.js';
import { checkSeries } from './checks.js';
import { startSimulation } from './paths.js';
import type { FittedModel, ForecastOptions, ModelForecast, SamplePaths, SimulateOptions } from './types.js';

/**
 * Fit a random walk with drift (R: `rwf(y, drift = TRUE)`).
 *
 * The drift `b` is the mean of the one-step differences (equivalently
 * `(y_n - y_1) / (n - 1)`), its standard error `s / sqrt(n - 1)` with `s` the
 * standard deviation of the differences. Forecast `y_n + h b`, variance
 * `s^2 h + (h se(b))^2` (process plus drift-estimation uncertainty), normal
 * quantiles: R's formula.
 *
 * @param y - the observations, oldest first (at least 3)
 * @returns the fitted model
 * @throws RangeError for fewer than 3 observations or non-finite values
 * @example
 * ```ts
 * const fc = fitDrift([100, 110, 120]).forecast(1);
 * fc.point; // [130]
 * ```
 */
export function fitDrift(y: readonly number[]): FittedModel {
  checkSeries(y, 'drift', 3);
  const n = y.length;
  const d: number[] = [];
  for (let i = 1; i < n; i++) d.push(y[i] - y[i - 1]);
  const m = d.length;
  const b = d.reduce((a, v) => a + v, 0) / m;
  const s2 = d.reduce((a, v) => a + (v - b) ** 2, 0) / (m - 1);
  const bSe = Math.sqrt(s2 / m);
  const fitted = y.map((_, i) => (i === 0 ? Number.NaN : y[i - 1] + b));
  const residuals = y.map((v, i) => v - fitted[i]);
  const last = y[n - 1];
  return {
    method: 'drift',
    diagnostics: { n, params: { drift: b, driftSe: bSe, last }, sigma2: s2, fitted, residuals },
    forecast(horizon: number, options: ForecastOptions = {}): ModelForecast {
      return buildForecast('drift', horizon, options, (h) => ({
        type: 'normal',
        mean: last + h * b,
        sd: Math.sqrt(s2 * h + (h * bSe) ** 2),
      }));
    },
    simulate(horizon: number, options: SimulateOptions = {}): SamplePaths {
      // drift drawn once per path (parameter uncertainty), then a random walk (process)
      const { out, rng } = startSimulation(horizon, options);
      const sigma = Math.sqrt(s2);
      for (let p = 0; p < out.paths; p++) {
        const bp = b + bSe * rng.normal();
        let v = last;
        for (let h = 0; h < horizon; h++) {
          v += bp + sigma * rng.normal();
          out.values[p * horizon + h] = v;
        }
      }
      return out;
    },
  };
}
