/**
 * Assemble a {@link ModelForecast} from per-period distributions.
 *
 * @module
 */
import { checkHorizon } from './checks.js';
import { intervalsOf, medianOf } from './distribution.js';
import type { Distribution, ForecastOptions, MethodName, ModelForecast } from './types.js';

/**
 * Build a forecast for `horizon` periods from a function giving the
 * distribution of period h (1-based); the point forecast is each
 * distribution's median (the mean for symmetric distributions).
 *
 * @param method - the method name
 * @param horizon - periods ahead (positive integer)
 * @param options - interval levels (default 80 and 95)
 * @param distributionAt - the distribution h periods ahead
 * @returns the forecast with intervals at every level asked
 * @throws RangeError for a bad horizon or level
 */
export function buildForecast(
  method: MethodName,
  horizon: number,
  options: ForecastOptions,
  distributionAt: (h: number) => Distribution,
): ModelForecast {
  checkHorizon(horizon);
  const distributions: Distribution[] = [];
  for (let h = 1; h <= horizon; h++) distributions.push(distributionAt(h));
  return {
    method,
    point: distributions.map(medianOf),
    distributions,
    intervals: intervalsOf(distributions, options.levels ?? [80, 95]),
  };
}
