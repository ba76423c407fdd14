/**
 * Helpers for simulated sample paths.
 *
 * @module
 */
import { createRng, type Rng } from '../math/rng.js';
import { drawRegression, type SimpleRegression } from '../math/simpleRegression.js';
import { checkHorizon } from './checks.js';
import type { SamplePaths, SimulateOptions } from './types.js';

/**
 * The value of path `p` at step `h` (both 0-based).
 *
 * @param s - the sample paths
 * @param p - path index
 * @param h - step index (0 = one period ahead)
 * @returns the value
 * @example
 * ```ts
 * pathAt(model.simulate(5, { paths: 100, seed: 1 }), 0, 4); // path 0, five years ahead
 * ```
 */
export function pathAt(s: SamplePaths, p: number, h: number): number {
  return s.values[p * s.horizon + h];
}

/**
 * The draws at one step across all paths.
 *
 * @param s - the sample paths
 * @param h - step index (0 = one period ahead)
 * @returns one value per path
 * @example
 * ```ts
 * stepValues(paths, 0); // every path's first-year value
 * ```
 */
export function stepValues(s: SamplePaths, h: number): Float64Array {
  const out = new Float64Array(s.paths);
  for (let p = 0; p < s.paths; p++) out[p] = s.values[p * s.horizon + h];
  return out;
}

/**
 * Set up a simulation: check arguments, allocate the paths and create the
 * seeded generator.
 *
 * @param horizon - steps ahead
 * @param options - paths and seed
 * @returns the empty paths and the generator
 * @throws RangeError for a bad horizon or number of paths
 */
export function startSimulation(horizon: number, options: SimulateOptions = {}): { out: SamplePaths; rng: Rng } {
  checkHorizon(horizon);
  const paths = options.paths ?? 1000;
  if (!Number.isInteger(paths) || paths < 1) throw new RangeError(`paths must be a positive whole number, got ${paths}`);
  return { out: { paths, horizon, values: new Float64Array(paths * horizon) }, rng: createRng(options.seed ?? 1) };
}

/**
 * A chi-square draw with `df` (whole) degrees of freedom, as a sum of squared normals.
 *
 * @param rng - the generator
 * @param df - degrees of freedom (>= 1)
 * @returns the draw
 */
export function chiSquare(rng: Rng, df: number): number {
  let s = 0;
  for (let i = 0; i < df; i++) {
    const z = rng.normal();
    s += z * z;
  }
  return s;
}

/**
 * Paths of a trend regression `a + b t` fitted on t = 1..n: per path the
 * coefficients and residual sd drawn from their sampling distribution, then
 * independent errors, so each step's distribution is the analytic Student t
 * with n - 2 degrees of freedom (of the log, with `exp`, for a log-linear
 * trend).
 *
 * @param reg - the regression on t = 1..n
 * @param horizon - steps ahead
 * @param options - paths and seed
 * @param exp - `true` to return `exp` of each level (a trend fitted on logs)
 * @returns the paths
 * @example
 * ```ts
 * const reg = simpleRegression([1, 2, 3], [10, 12, 13]);
 * simulateTrend(reg, 5, { paths: 1000, seed: 1 }, false).values.length; // 5000
 * ```
 */
export function simulateTrend(reg: SimpleRegression, horizon: number, options: SimulateOptions, exp: boolean): SamplePaths {
  const n = reg.n;
  const { out, rng } = startSimulation(horizon, options);
  for (let p = 0; p < out.paths; p++) {
    const d = drawRegression(reg, chiSquare(rng, n - 2), rng.normal(), rng.normal());
    for (let h = 0; h < horizon; h++) {
      const level = d.intercept + d.slope * (n + h + 1) + d.sigma * rng.normal();
      out.values[p * horizon + h] = exp ? Math.exp(level) : level;
    }
  }
  return out;
}
