/**
 * Reading quantiles, bands and summaries off forecast distributions.
 *
 * @module
 */
import { qnorm } from '../math/normal.js';
import { qt } from '../math/studentT.js';
import type { Distribution, ForecastInterval } from './types.js';

/**
 * The empirical quantile of a sample, R's default (type 7: linear
 * interpolation between order statistics).
 *
 * @param sorted - the sample, sorted ascending (length >= 1)
 * @param p - probability in [0, 1]
 * @returns the p-quantile
 * @throws RangeError for an empty sample
 * @example
 * ```ts
 * sampleQuantile([1, 2, 3, 4], 0.5); // 2.5
 * ```
 */
export function sampleQuantile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('sampleQuantile needs at least one value');
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * The p-quantile of a forecast distribution.
 *
 * @param dist - the distribution
 * @param p - probability in (0, 1)
 * @returns the quantile (for a `point` distribution, its value)
 * @throws RangeError when p is outside (0, 1)
 * @example
 * ```ts
 * quantileOf({ type: 'normal', mean: 100, sd: 10 }, 0.975); // 119.6
 * ```
 */
export function quantileOf(dist: Distribution, p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`quantile probability must be in (0, 1), got ${p}`);
  switch (dist.type) {
    case 'normal':
      return dist.mean + dist.sd * qnorm(p);
    case 'studentT':
      return dist.mean + dist.scale * qt(p, dist.df);
    case 'exp':
      return Math.exp(quantileOf(dist.of, p));
    case 'point':
      return dist.value;
    case 'sample': {
      const sorted = [...dist.values].sort((a, b) => a - b);
      return sampleQuantile(sorted, p);
    }
  }
}

/**
 * The central (median) value of a distribution: the mean for symmetric
 * distributions, exp of the inner median for `exp`, the sample median.
 *
 * @param dist - the distribution
 * @returns its median
 * @example
 * ```ts
 * medianOf({ type: 'exp', of: { type: 'normal', mean: Math.log(100), sd: 0.1 } }); // 100
 * ```
 */
export function medianOf(dist: Distribution): number {
  switch (dist.type) {
    case 'normal':
    case 'studentT':
      return dist.mean;
    case 'exp':
      return Math.exp(medianOf(dist.of));
    case 'point':
      return dist.value;
    case 'sample':
      return quantileOf(dist, 0.5);
  }
}

/**
 * Check interval levels: each in (0, 100), finite; returns them sorted and
 * de-duplicated.
 *
 * @param levels - levels in percent
 * @returns the levels, ascending, unique
 * @throws RangeError naming the bad level
 * @example
 * ```ts
 * checkLevels([95, 80]); // [80, 95]
 * ```
 */
export function checkLevels(levels: readonly number[]): number[] {
  for (const l of levels) {
    if (!Number.isFinite(l) || l <= 0 || l >= 100) {
      throw new RangeError(`interval level must be a percentage strictly between 0 and 100, got ${l} (e.g. 80 or 95)`);
    }
  }
  return [...new Set(levels)].sort((a, b) => a - b);
}

/**
 * Central prediction intervals at each level, read off one distribution per
 * period: the (1 - level/100)/2 and (1 + level/100)/2 quantiles.
 *
 * @param distributions - one distribution per forecast period
 * @param levels - levels in percent, e.g. `[80, 95]`
 * @returns one interval per level (ascending level)
 * @throws RangeError for a level outside (0, 100)
 * @example
 * ```ts
 * intervalsOf([{ type: 'normal', mean: 100, sd: 10 }], [80]);
 * // [{ level: 80, lower: [87.18], upper: [112.82] }]
 * ```
 */
export function intervalsOf(distributions: readonly Distribution[], levels: readonly number[]): ForecastInterval[] {
  // Student t quantiles are found by numerical inversion: compute each (p, df) once per call
  const tq = new Map<string, number>();
  const q = (d: Distribution, p: number): number => {
    if (d.type === 'studentT') {
      const key = `${p}|${d.df}`;
      let z = tq.get(key);
      if (z === undefined) {
        z = qt(p, d.df);
        tq.set(key, z);
      }
      return d.mean + d.scale * z;
    }
    if (d.type === 'exp') return Math.exp(q(d.of, p));
    return quantileOf(d, p);
  };
  return checkLevels(levels).map((level) => {
    const a = (1 - level / 100) / 2;
    return {
      level,
      lower: distributions.map((d) => q(d, a)),
      upper: distributions.map((d) => q(d, 1 - a)),
    };
  });
}
