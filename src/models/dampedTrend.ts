/**
 * Damped additive trend exponential smoothing, ETS(A,Ad,N), fitted by
 * maximum likelihood the way R's `forecast::ets` does it.
 *
 * @module
 */
import { nelderMead } from '../math/nelderMead.js';
import { simpleRegression } from '../math/simpleRegression.js';
import { buildForecast } from './buildForecast.js';
import { checkSeries } from './checks.js';
import { startSimulation } from './paths.js';
import type { FittedModel, ForecastOptions, ModelForecast, SamplePaths, SimulateOptions } from './types.js';

/** Parameter bounds for {@link fitDampedTrend} (R's `ets` defaults). */
export interface DampedTrendBounds {
  /** Lower bounds of alpha, beta, phi. Default `[1e-4, 1e-4, 0.8]`. */
  readonly lower?: readonly [number, number, number];
  /** Upper bounds of alpha, beta, phi. Default `[0.9999, 0.9999, 0.98]`. */
  readonly upper?: readonly [number, number, number];
}

/** State-space recursion: one-step errors and final states. */
interface Pass {
  readonly sse: number;
  readonly errors: number[];
  readonly fitted: number[];
  readonly level: number;
  readonly trend: number;
}

function run(y: readonly number[], alpha: number, beta: number, phi: number, l0: number, b0: number): Pass {
  let l = l0;
  let b = b0;
  let sse = 0;
  const errors: number[] = [];
  const fitted: number[] = [];
  for (const v of y) {
    const yhat = l + phi * b;
    const e = v - yhat;
    fitted.push(yhat);
    errors.push(e);
    sse += e * e;
    l = yhat + alpha * e;
    b = phi * b + beta * e;
  }
  return { sse, errors, fitted, level: l, trend: b };
}

/**
 * Whether (alpha, beta, phi) lie in the forecastable ("admissible") region of
 * ETS(A,Ad,N): the characteristic roots of the state transition lie inside
 * the unit circle. R's `ets(bounds = "both")` requires this as well as the
 * usual box bounds.
 */
function admissible(alpha: number, beta: number, phi: number): boolean {
  if (phi < 0 || phi > 1 + 1e-8) return false;
  if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi) return false;
  if (beta < alpha * (phi - 1) || beta > (1 + phi) * (2 - alpha)) return false;
  return true;
}

/**
 * Fit ETS(A,Ad,N), the damped additive trend model (R:
 * `holt(y, damped = TRUE)`, i.e. `ets(y, model = "AAN", damped = TRUE)`):
 *
 * - forecast error `e_t = y_t - (l_{t-1} + phi b_{t-1})`;
 * - level `l_t = l_{t-1} + phi b_{t-1} + alpha e_t`;
 * - trend `b_t = phi b_{t-1} + beta e_t`;
 * - forecast h ahead `l_n + (phi + ... + phi^h) b_n`.
 *
 * Estimation as in R: alpha, beta, phi and the initial states l0, b0 are
 * chosen together by Nelder-Mead to minimise `n log(SSE)` (the Gaussian
 * likelihood with the variance profiled out), subject to the box bounds
 * `1e-4 <= beta <= alpha <= 0.9999`, `0.8 <= phi <= 0.98` and the
 * admissibility region; the start is R's (alpha 0.2, beta 0.02, phi 0.978,
 * l0 and b0 from a regression on the first ten observations). The variance is
 * `SSE / (n - 5)` (five estimated parameters); the AIC counts six
 * (with the variance), and the
 * h-step forecast variance is `sigma^2 (1 + sum_{j<h} c_j^2)` with
 * `c_j = alpha + beta phi (1 - phi^j) / (1 - phi)`.
 *
 * @param y - the observations, oldest first (at least 10: R's `ets` refuses a
 *   five-parameter model on n <= 9 observations, and so does carecast)
 * @param bounds - parameter bounds (defaults are R's)
 * @returns the fitted model with alpha, beta, phi, l0, b0 in `params`
 * @throws RangeError for too few observations or non-finite values
 * @example
 * ```ts
 * const m = fitDampedTrend([660, 700, 664, 628, 603, 585, 630, 719, 802, 861, 899, 909, 995, 1057]);
 * m.diagnostics.params.phi; // between 0.8 and 0.98
 * ```
 */
export function fitDampedTrend(y: readonly number[], bounds: DampedTrendBounds = {}): FittedModel {
  checkSeries(y, 'dampedTrend', 10);
  const n = y.length;
  const lower = bounds.lower ?? [1e-4, 1e-4, 0.8];
  const upper = bounds.upper ?? [0.9999, 0.9999, 0.98];

  // R's initparam: alpha 20% into its range, beta 10% into [lower, alpha], phi 99% into its range
  const alpha0 = lower[0] + 0.2 * (upper[0] - lower[0]);
  const beta0 = lower[1] + 0.1 * (Math.min(upper[1], alpha0) - lower[1]);
  const phi0 = lower[2] + 0.99 * (upper[2] - lower[2]);
  // R's initstate: regression on the first min(10, n) observations
  const maxn = Math.min(10, n);
  const t = Array.from({ length: maxn }, (_, i) => i + 1);
  const reg = simpleRegression(t, y.slice(0, maxn));
  let l0 = reg.intercept;
  const b0 = reg.slope;
  if (Math.abs(l0 + b0) < 1e-8) l0 *= 1 + 1e-3;

  const objective = (p: readonly number[]): number => {
    const [a, b, ph, l, tr] = p;
    if (a < lower[0] || a > upper[0]) return Infinity;
    if (b < lower[1] || b > a || b > upper[1]) return Infinity;
    if (ph < lower[2] || ph > upper[2]) return Infinity;
    if (!admissible(a, b, ph)) return Infinity;
    const pass = run(y, a, b, ph, l, tr);
    return n * Math.log(pass.sse);
  };
  const opt = nelderMead(objective, [alpha0, beta0, phi0, l0, b0], { maxit: 2000 });
  const [alpha, beta, phi, lHat, bHat] = opt.par;
  const pass = run(y, alpha, beta, phi, lHat, bHat);
  const np = 6; // alpha, beta, phi, l0, b0 and the variance
  const sigma2 = pass.sse / (n - (np - 1));
  const lik = n * Math.log(pass.sse);
  const logLik = -0.5 * lik;
  const aic = lik + 2 * np;
  const cj = (j: number): number => alpha + (beta * phi * (1 - phi ** j)) / (1 - phi);
  return {
    method: 'dampedTrend',
    diagnostics: {
      n,
      params: { alpha, beta, phi, l0: lHat, b0: bHat, level: pass.level, trend: pass.trend },
      sigma2,
      fitted: pass.fitted,
      residuals: pass.errors,
      logLik,
      aic,
    },
    forecast(horizon: number, options: ForecastOptions = {}): ModelForecast {
      return buildForecast('dampedTrend', horizon, options, (h) => {
        let phiSum = 0;
        let v = 1;
        for (let j = 1; j <= h; j++) phiSum += phi ** j;
        for (let j = 1; j < h; j++) v += cj(j) ** 2;
        return { type: 'normal', mean: pass.level + phiSum * pass.trend, sd: Math.sqrt(sigma2 * v) };
      });
    },
    simulate(horizon: number, options: SimulateOptions = {}): SamplePaths {
      // the state-space model run forward with Gaussian errors (as R's simulate.ets)
      const { out, rng } = startSimulation(horizon, options);
      const sigma = Math.sqrt(sigma2);
      for (let p = 0; p < out.paths; p++) {
        let l = pass.level;
        let b = pass.trend;
        for (let h = 0; h < horizon; h++) {
          const e = sigma * rng.normal();
          const yhat = l + phi * b;
          out.values[p * horizon + h] = yhat + e;
          l = yhat + alpha * e;
          b = phi * b + beta * e;
        }
      }
      return out;
    },
  };
}
