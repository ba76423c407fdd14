/**
 * The Theta method (Assimakopoulos & Nikolopoulos 2000) as R's
 * `forecast::thetaf` computes it for non-seasonal data: simple exponential
 * smoothing, ETS(A,N,N) fitted the way R's `ets(y, "ANN", opt.crit = "mse")`
 * does it, plus half the least-squares slope as a drift (Hyndman & Billah
 * 2003 showed the method is SES with drift).
 *
 * @module
 */
import { nelderMead } from '../math/nelderMead.js';
import { simpleRegression } from '../math/simpleRegression.js';
import { buildForecast } from './buildForecast.js';
import { checkSeries } from './checks.js';
import { startSimulation } from './paths.js';
import type { FittedModel, ForecastOptions, ModelForecast, SamplePaths, SimulateOptions } from './types.js';

/** The fewest observations {@link fitTheta} accepts (R's `ets` needs n > npars + 4 = 6). */
const MIN_THETA = 7;
/** R's `ets` bounds on alpha. */
const LOWER = 1e-4;
const UPPER = 0.9999;

/** One pass of the ETS(A,N,N) filter. */
interface Pass {
  /** In-sample one-step MSE, a running mean as R's C code keeps it (`amse[0]`). */
  readonly mse: number;
  /** Sum of squared one-step errors. */
  readonly sse: number;
  readonly errors: number[];
  readonly fitted: number[];
  /** Final level l_n, where the forecasts start. */
  readonly level: number;
}

/** ETS(A,N,N) in the arithmetic of R's `etscalc`: f = l; e = y - f; l = q + alpha (y - q). */
function run(y: readonly number[], alpha: number, l0: number): Pass {
  let l = l0;
  let sse = 0;
  let mse = 0;
  const errors: number[] = [];
  const fitted: number[] = [];
  for (let i = 0; i < y.length; i++) {
    const q = l;
    const e = y[i] - q;
    fitted.push(q);
    errors.push(e);
    mse = (mse * i + e * e) / (i + 1);
    sse += e * e;
    l = q + alpha * (y[i] - q);
  }
  return { mse, sse, errors, fitted, level: l };
}

/** R's `mean()` on doubles: the sum divided by n, then corrected by the mean of the deviations. */
function rMean(x: readonly number[]): number {
  const n = x.length;
  let s = 0;
  for (const v of x) s += v;
  s /= n;
  let t = 0;
  for (const v of x) t += v - s;
  return s + t / n;
}

/**
 * Fit the Theta method (R: `forecast::thetaf(y)` for annual, non-seasonal
 * data).
 *
 * - Simple exponential smoothing, ETS(A,N,N): `e_t = y_t - l_{t-1}`,
 *   `l_t = l_{t-1} + alpha e_t`. As in R's `ses` (`ets(y, "ANN",
 *   opt.crit = "mse")`), alpha and the initial level l0 are chosen together
 *   by Nelder-Mead (a step-for-step port of R's `optim`, maxit 2000) to
 *   minimise the in-sample one-step MSE `SSE / n`, with
 *   `1e-4 <= alpha <= 0.9999`; the start is R's (alpha 0.2 into its range,
 *   l0 the mean of the first min(10, n) observations). `sigma^2 = SSE / (n - 2)`.
 * - The drift `b` is half the least-squares slope of y on time.
 * - Forecast h ahead: `l_n + b ((h - 1) + (1 - (1 - alpha)^n) / alpha)`,
 *   variance `sigma^2 (1 + (h - 1) alpha^2)` (SES's; the drift's estimation
 *   uncertainty is not included, as in R), normal quantiles.
 *
 * `fitted` and `residuals` are R's: the SES one-step forecasts (without the
 * drift term) and `y` minus them. `simulate` runs the SES state-space model
 * forward with Gaussian errors from the final level and adds the
 * deterministic theta drift term, so its per-step quantiles agree with the
 * analytic bands (no parameter uncertainty, as in the analytic bands).
 *
 * @param y - the observations, oldest first (at least 7: for 6 or fewer R's
 *   `ets` does not fit this model but falls back to `HoltWintersZZ`, a
 *   different estimator, which carecast does not port)
 * @returns the fitted model with alpha, l0, drift and the final level in `params`
 * @throws RangeError for fewer than 7 observations or non-finite values
 * @example
 * ```ts
 * const m = fitTheta([719, 802, 861, 899, 909, 995, 1057]);
 * m.diagnostics.params.drift;  // 25.857 (half the yearly trend of 51.7)
 * m.forecast(2).point;         // [1082.9, 1108.7], as R's thetaf
 * ```
 */
export function fitTheta(y: readonly number[]): FittedModel {
  if (y.length < MIN_THETA) {
    throw new RangeError(
      `theta needs at least ${MIN_THETA} observations, got ${y.length} (with 6 or fewer, R's thetaf does not fit exponential smoothing by Nelder-Mead but falls back to a different estimator, HoltWintersZZ, which carecast does not reproduce)`,
    );
  }
  checkSeries(y, 'theta', MIN_THETA);
  const n = y.length;
  const alpha0 = LOWER + 0.2 * (UPPER - LOWER);
  const l00 = rMean(y.slice(0, Math.min(10, n)));
  const objective = (p: readonly number[]): number => {
    const [a, l] = p;
    if (a < LOWER || a > UPPER) return Infinity;
    return run(y, a, l).mse;
  };
  const opt = nelderMead(objective, [alpha0, l00], { maxit: 2000 });
  const [alpha, l0] = opt.par;
  const pass = run(y, alpha, l0);
  const sigma2 = pass.sse / (n - 2);
  const drift = simpleRegression(Array.from({ length: n }, (_, i) => i), y).slope / 2;
  const a = Math.max(1e-10, alpha);
  const start = (1 - (1 - a) ** n) / a;
  const level = pass.level;
  const meanAt = (h: number): number => level + drift * (h - 1 + start);
  return {
    method: 'theta',
    diagnostics: {
      n,
      params: { alpha, l0, drift, level },
      sigma2,
      fitted: pass.fitted,
      residuals: pass.errors,
    },
    forecast(horizon: number, options: ForecastOptions = {}): ModelForecast {
      return buildForecast('theta', horizon, options, (h) => ({
        type: 'normal',
        mean: meanAt(h),
        sd: Math.sqrt(sigma2) * Math.sqrt((h - 1) * a * a + 1),
      }));
    },
    simulate(horizon: number, options: SimulateOptions = {}): SamplePaths {
      // SES paths (as R's simulate.ets) plus the deterministic drift term
      const { out, rng } = startSimulation(horizon, options);
      const sigma = Math.sqrt(sigma2);
      for (let p = 0; p < out.paths; p++) {
        let l = level;
        for (let h = 0; h < horizon; h++) {
          const e = sigma * rng.normal();
          out.values[p * horizon + h] = l + e + drift * (h + start);
          l += a * e;
        }
      }
      return out;
    },
  };
}
