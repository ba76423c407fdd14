/**
 * The system's total: children in care at 31 March, anchored to the
 * default forecast (`forecast(stock)` with no options: the panel-evidence
 * strategy with its pooled conformal bands), with simulated paths whose
 * marginal distribution at every step is that forecast's
 * (docs/preregistration/issue-13-system-model.md, section 1 and decision 17).
 *
 * The paths come from a Gaussian copula: a latent random walk
 * `Z_h = (W_1 + ... + W_h) / sqrt(h)` (W iid standard normal) fixes the
 * rank dependence between steps, and the path's value at step h is the
 * step's predictive quantile at `Phi(Z_h)`: `point_h + scale Q_h(Phi(Z_h))`
 * for conformal bands (`Q_h` the linear interpolation of the step's offset
 * distribution), clipped at 0. The dependence is an assumption, not an
 * estimate; the validation reports the errors' rank correlation beside it.
 *
 * @module
 */
import type { SeriesInput } from '../data/yearValue.js';
import { pnorm } from '../math/normal.js';
import { fillNormal, type NormalStream } from '../math/rng.js';
import { quantileOf } from '../models/distribution.js';
import type { Distribution, SamplePaths } from '../models/types.js';
import { forecast, forecastSeries, type Projection, type ProjectionOptions } from '../project/forecast.js';

/**
 * How the total is projected, when not by default: the options of
 * `forecast()` that choose the method and the bands (a method, an interval
 * method, a calibration, evidence, a panel fit, ...). With none, the total
 * is `forecast(stock)` with no options.
 */
export type SystemTotalOptions = Omit<ProjectionOptions, 'to' | 'horizon' | 'levels' | 'band'>;

/**
 * A predictive quantile function `Q(u)` for one step, from a projection's
 * distribution at that step: for a `sample` (conformal offsets or bootstrap
 * draws), the linear interpolation between the points `((i - 1/2) / n,
 * v_i)` of its sorted values, constant beyond the first and last; for any
 * other distribution its quantile function.
 *
 * @param dist - the step's distribution
 * @returns `Q`, defined on (0, 1)
 * @example
 * ```ts
 * const q = stepQuantile({ type: 'sample', values: [90, 100, 120] });
 * q(0.5);   // 100
 * q(1 / 3); // 95: halfway between 90 (at 1/6) and 100 (at 1/2)
 * ```
 */
export function stepQuantile(dist: Distribution): (u: number) => number {
  if (dist.type === 'sample') {
    const v = Float64Array.from(dist.values).sort();
    const n = v.length;
    return (u: number): number => {
      const pos = u * n - 0.5;
      if (pos <= 0) return v[0];
      if (pos >= n - 1) return v[n - 1];
      const i = Math.floor(pos);
      return v[i] + (pos - i) * (v[i + 1] - v[i]);
    };
  }
  return (u: number): number => quantileOf(dist, Math.min(1 - 1e-12, Math.max(1e-12, u)));
}

/**
 * `z -> Q(Phi(z))` for a standard normal latent z: for a normal or log-normal
 * step directly (`mean + sd z`, `exp(meanlog + sdlog z)`: the same values
 * without the round trip through the normal distribution function), else
 * {@link stepQuantile} at `Phi(z)`.
 */
function latentQuantile(dist: Distribution): (z: number) => number {
  if (dist.type === 'normal') return (z) => dist.mean + dist.sd * z;
  if (dist.type === 'exp' && dist.of.type === 'normal') {
    const { mean, sd } = dist.of;
    return (z) => Math.exp(mean + sd * z);
  }
  if (dist.type === 'point') return () => dist.value;
  const q = stepQuantile(dist);
  return (z) => q(pnorm(z));
}

/**
 * Paths of the total from a projection's distributions through the Gaussian
 * copula of a random walk: `value_h = max(0, Q_h(Phi(Z_h)))`,
 * `Z_h = (W_1 + ... + W_h) / sqrt(h)`.
 *
 * @param projection - the total's projection (its `distributions`, one per year)
 * @param paths - number of paths
 * @param stream - the random stream for W (moved on)
 * @returns the paths (`paths x years`)
 * @example
 * ```ts
 * const p = forecast(stock, { to: 2030 });
 * const total = copulaPaths(p, 1000, normalStream(streamSeed(1, 0)));
 * ```
 */
export function copulaPaths(projection: Pick<Projection, 'distributions'>, paths: number, stream: NormalStream): SamplePaths {
  const H = projection.distributions.length;
  const Q = projection.distributions.map(latentQuantile);
  const inv = Array.from({ length: H }, (_, h) => 1 / Math.sqrt(h + 1));
  const w = new Float64Array(paths * H);
  fillNormal(stream, w);
  const values = new Float64Array(paths * H);
  for (let p = 0; p < paths; p++) {
    let sum = 0;
    for (let h = 0; h < H; h++) {
      const k = p * H + h;
      sum += w[k];
      const v = Q[h](sum * inv[h]);
      values[k] = v > 0 ? v : 0;
    }
  }
  return { paths, horizon: H, values };
}

/**
 * The total's projection: `forecast(stock)` with the options given (none:
 * the default), and, when the method or the bands were asked for, a note
 * of how it differs from the default at the last year. The point, bands and
 * distributions are `forecast()`'s; when panel evidence fixes the method,
 * the series' own method scores (which `forecast()` keeps in
 * `selection.scores` for reference only) are not computed.
 *
 * @param stock - children in care at 31 March
 * @param horizon - years after the last observation
 * @param levels - band levels
 * @param options - the total's options (none: the default)
 * @returns the projection and the note (if any)
 * @example
 * ```ts
 * anchorTotal(stock, 10, [80, 95]).projection.point; // forecast(stock, { horizon: 10 }).point
 * ```
 */
export function anchorTotal(stock: SeriesInput, horizon: number, levels: readonly number[], options: SystemTotalOptions = {}): { projection: Projection; note?: string } {
  // forecast() without the series' own reference scores (kept only for reference when the evidence fixes
  // the method): the same point, bands and distributions, faster
  const projection = forecastSeries(stock, { ...options, horizon, levels }, { ownScores: false });
  if (options.method === undefined && options.intervals === undefined) return { projection };
  const def = forecast(stock, { horizon, levels });
  const last = projection.years.length - 1;
  const iv = (p: Projection): string => {
    const b = p.intervals.find((x) => x.level === 80) ?? p.intervals[0];
    return b ? `, ${b.level}% band ${Math.round(b.lower[last]).toLocaleString('en-GB')}-${Math.round(b.upper[last]).toLocaleString('en-GB')}` : '';
  };
  const year = projection.years[last];
  const bands = (p: Projection): string =>
    p.intervalMethod === 'analytic' && p.intervalBasis?.calibration === 'pooled' ? 'its own pooled bands' : p.intervalMethod === 'conformal' ? `${p.intervalBasis?.calibration === 'series' ? "the series' own" : 'pooled'} conformal bands` : `${p.intervalMethod} bands`;
  const note =
    `The total follows what was asked (${projection.method}, ${bands(projection)}), not the default (${def.method}, ${bands(def)}): ` +
    `${Math.round(projection.point[last]).toLocaleString('en-GB')} in ${year}${iv(projection)}, against ${Math.round(def.point[last]).toLocaleString('en-GB')}${iv(def)} by default.`;
  return { projection, note };
}
