/**
 * The seed documents' method: apply the last k-year percentage change again.
 *
 * @module
 */
import { buildForecast } from './buildForecast.js';
import { checkSeries } from './checks.js';
import { startSimulation } from './paths.js';
import type { FittedModel, ForecastOptions, ModelForecast, SamplePaths, SimulateOptions } from './types.js';

/** Options for {@link fitRepeatGrowth}. */
export interface RepeatGrowthOptions {
  /** Years the growth is measured over, ending at the last observation (default 5). */
  readonly window?: number;
  /**
   * Round the window's percentage change to this many decimal places before
   * applying it, as a published statement does ("38%"); default: no rounding.
   */
  readonly roundPercent?: number;
}

/**
 * Fit the "repeat the last k-year growth" method used in the Derbyshire
 * sufficiency statements: the percentage change over the last `window` years,
 * `G = y_n / y_{n-k} - 1`, is applied again over the next k years, compounding
 * at the equivalent yearly rate `g = (1 + G)^(1/k)`, so the forecast h years
 * ahead is `y_n g^h`. With `roundPercent: 0`, G is first rounded to a whole
 * percent, which reproduces the statement's "995 x 1.38 = 1373 by 2028".
 *
 * Intervals: the method states none. carecast reads it as a random walk on
 * the log scale whose drift is estimated from the window: with `s^2` the
 * variance of the k yearly log changes in the window, the log forecast has
 * variance `s^2 h + s^2 h^2 / k` (process plus drift-estimation uncertainty),
 * giving asymmetric, never-negative bands. A flat percentage band like the
 * statement's "5% variation" is available separately from `forecast()`.
 *
 * @param y - the observations, oldest first (at least window + 1, all > 0)
 * @param options - window and rounding
 * @returns the fitted model; `params.windowGrowth` is G, `params.annualGrowth` is g - 1
 * @throws RangeError for too few observations, non-positive values or a bad window
 * @example
 * ```ts
 * const m = fitRepeatGrowth([719, 802, 861, 899, 909, 995], { window: 5, roundPercent: 0 });
 * m.forecast(5).point[4]; // 1373.1 (= 995 x 1.38)
 * ```
 */
export function fitRepeatGrowth(y: readonly number[], options: RepeatGrowthOptions = {}): FittedModel {
  const k = options.window ?? 5;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`repeatGrowth window must be a positive whole number of years, got ${k}`);
  checkSeries(y, 'repeatGrowth', k + 1, true);
  const { roundPercent } = options;
  if (roundPercent !== undefined && (!Number.isInteger(roundPercent) || roundPercent < 0 || roundPercent > 10)) {
    throw new RangeError(`repeatGrowth roundPercent must be a whole number of decimal places 0-10, got ${roundPercent}`);
  }
  const n = y.length;
  const last = y[n - 1];
  let G = last / y[n - 1 - k] - 1;
  if (roundPercent !== undefined) {
    const f = 10 ** roundPercent;
    G = Math.round(G * 100 * f) / f / 100;
  }
  const logG = Math.log(1 + G) / k;
  const logDiffs: number[] = [];
  for (let i = n - k; i < n; i++) logDiffs.push(Math.log(y[i] / y[i - 1]));
  const meanD = logDiffs.reduce((a, v) => a + v, 0) / k;
  const s2 = k > 1 ? logDiffs.reduce((a, v) => a + (v - meanD) ** 2, 0) / (k - 1) : Number.NaN;
  const fitted = y.map((_, i) => (i < n - k ? Number.NaN : y[i - 1] * Math.exp(logG)));
  const residuals = y.map((v, i) => v - fitted[i]);
  return {
    method: 'repeatGrowth',
    diagnostics: {
      n,
      params: { window: k, windowGrowth: G, annualGrowth: Math.exp(logG) - 1, last },
      sigma2: s2,
      fitted,
      residuals,
    },
    forecast(horizon: number, opts: ForecastOptions = {}): ModelForecast {
      return buildForecast('repeatGrowth', horizon, opts, (h) => {
        const meanlog = Math.log(last) + h * logG;
        if (!Number.isFinite(s2)) return { type: 'point', value: Math.exp(meanlog) };
        return { type: 'exp', of: { type: 'normal', mean: meanlog, sd: Math.sqrt(s2 * h + (s2 * h * h) / k) } };
      });
    },
    simulate(horizon: number, options: SimulateOptions = {}): SamplePaths {
      // growth drawn once per path around the window's rate, then a log random walk
      const { out, rng } = startSimulation(horizon, options);
      const s = Number.isFinite(s2) ? Math.sqrt(s2) : 0;
      for (let p = 0; p < out.paths; p++) {
        const g = logG + (s / Math.sqrt(k)) * rng.normal();
        let v = Math.log(last);
        for (let h = 0; h < horizon; h++) {
          v += g + s * rng.normal();
          out.values[p * horizon + h] = Math.exp(v);
        }
      }
      return out;
    },
  };
}
