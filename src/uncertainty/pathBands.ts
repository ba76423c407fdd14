/**
 * Bands read off simulated sample paths, step by step.
 *
 * @module
 */
import { checkLevels, sampleQuantile } from '../models/distribution.js';
import type { ForecastInterval, SamplePaths } from '../models/types.js';

/** The quantile probabilities reported for every simulated output. */
export const REPORTED_QUANTILES = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95] as const;

/** Bands of a simulated quantity per step. */
export interface PathBands {
  /** Median per step. */
  readonly median: readonly number[];
  /** Mean per step. */
  readonly mean: readonly number[];
  /** Central intervals at each level asked. */
  readonly intervals: readonly ForecastInterval[];
  /** Quantiles per step, keyed `p5`, `p10`, `p25`, `p50`, `p75`, `p90`, `p95`. */
  readonly quantiles: Readonly<Record<string, readonly number[]>>;
}

/**
 * Summarise sample paths per step: mean, median, the reported quantiles
 * (5/10/25/50/75/90/95) and central intervals at the levels asked, all from
 * the empirical distribution (R's type 7 quantiles). Derived quantities
 * (sums of groups, costs) get their bands this way from their own paths,
 * never by adding bounds.
 *
 * @param paths - the sample paths
 * @param levels - interval levels in percent (default 80 and 95)
 * @returns the bands
 * @throws RangeError for a level outside (0, 100)
 * @example
 * ```ts
 * const b = pathBands(model.simulate(10, { paths: 2000, seed: 1 }), [80, 95]);
 * b.intervals[0].lower; // 10% quantile per year
 * ```
 */
export function pathBands(paths: SamplePaths, levels: readonly number[] = [80, 95]): PathBands {
  const lv = checkLevels(levels);
  const { horizon, paths: n, values } = paths;
  const median: number[] = [];
  const mean: number[] = [];
  const quantiles: Record<string, number[]> = {};
  for (const q of REPORTED_QUANTILES) quantiles[`p${Math.round(q * 100)}`] = [];
  const lower: number[][] = lv.map(() => []);
  const upper: number[][] = lv.map(() => []);
  const col = new Float64Array(n);
  for (let h = 0; h < horizon; h++) {
    let s = 0;
    for (let p = 0; p < n; p++) {
      col[p] = values[p * horizon + h];
      s += col[p];
    }
    col.sort();
    mean.push(s / n);
    const sorted = col;
    median.push(sampleQuantile(sorted, 0.5));
    for (const q of REPORTED_QUANTILES) quantiles[`p${Math.round(q * 100)}`].push(sampleQuantile(sorted, q));
    lv.forEach((l, i) => {
      const a = (1 - l / 100) / 2;
      lower[i].push(sampleQuantile(sorted, a));
      upper[i].push(sampleQuantile(sorted, 1 - a));
    });
  }
  return { median, mean, intervals: lv.map((level, i) => ({ level, lower: lower[i], upper: upper[i] })), quantiles };
}
