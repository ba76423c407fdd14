/**
 * The innovation covariance of a breakdown's share log-ratios from the
 * chosen model's one-step residual rows, by one of three estimators
 * (docs/preregistration/issue-13-system-model.md decision 15, and
 * docs/preregistration/issue-13-robust-shares.md):
 *
 * - **classical**: the mean cross-product of the rows (not centred),
 *   off-diagonals shrunk by `shrinkCovariance`'s intensity;
 * - **exclude**: rows flagged as reclassifications (a log-ratio more than 4
 *   robust SDs from zero) dropped, then classical;
 * - **mad**: the MAD about zero per log-ratio and Gnanadesikan-Kettenring
 *   correlations, off-diagonals shrunk by the classical intensity.
 *
 * Each raises the shrinkage (0.01, 0.05, 0.1, 0.2, 0.5, 1) until the
 * Cholesky factor exists.
 *
 * @module
 */
import { CarecastInputError } from '../data/errors.js';
import { choleskyLower } from '../math/linalg.js';
import { shrinkCovariance } from './reconcile/hierarchy.js';
import { gkCorrelation, madAboutZero } from './robustScale.js';

/** The innovation covariance estimators: `classical` (the first), `exclude`, `mad`. */
export type ShareScaleEstimator = 'classical' | 'exclude' | 'mad';

/** The estimators, simplest first. */
export const SHARE_SCALE_ESTIMATORS: readonly ShareScaleEstimator[] = ['classical', 'exclude', 'mad'];

/** A row is a reclassification when a log-ratio is more than this many robust SDs from zero. */
export const RECLASSIFICATION_SDS = 4;

/** An innovation covariance and how it was made. */
export interface InnovationCovariance {
  /** log-ratio x log-ratio. */
  readonly covariance: number[][];
  /** The shrinkage intensity of the off-diagonals used. */
  readonly lambda: number;
  /** Rows left out as reclassifications (`exclude` only; else 0). */
  readonly excluded: number;
}

const BUMPS = [0, 0.01, 0.05, 0.1, 0.2, 0.5, 1];

/**
 * The rows flagged as reclassifications: a row is flagged when, for some
 * log-ratio `c` whose robust SD `sigma_c` (the MAD about zero x 1.4826) is
 * above 0, `|r_c| > 4 sigma_c`.
 *
 * @param rows - the residual rows (each of length `j`)
 * @param j - the number of log-ratios
 * @returns one flag per row
 * @example
 * ```ts
 * // sigma = 1.4826 x median(1, 1, 1, 1, 20) = 1.4826: 20 > 5.93 is flagged
 * reclassifiedRows([[1], [-1], [1], [-1], [20]], 1); // [false, false, false, false, true]
 * ```
 */
export function reclassifiedRows(rows: readonly (readonly number[])[], j: number): boolean[] {
  const sigma = Array.from({ length: j }, (_, c) => madAboutZero(rows.map((r) => r[c])));
  return rows.map((r) => sigma.some((s, c) => s > 0 && Math.abs(r[c]) > RECLASSIFICATION_SDS * s));
}

/** Fill `cov` (j x j) from an a x a matrix on the active log-ratios with off-diagonals shrunk, raising the shrinkage until positive definite. */
function shrunkPositiveDefinite(cov: number[][], active: readonly number[], S: ArrayLike<number>, lambda0: number): number {
  const a = active.length;
  for (const bump of BUMPS) {
    const lambda = Math.max(lambda0, bump);
    for (let r = 0; r < a; r++) for (let c = 0; c < a; c++) cov[active[r]][active[c]] = (r === c ? S[r * a + c] : (1 - lambda) * S[r * a + c]) + 0; // + 0: no -0 in the JSON
    if (choleskyLower(cov)) return lambda;
  }
  const j = cov.length;
  for (let r = 0; r < j; r++) for (let c = 0; c < j; c++) if (r !== c) cov[r][c] = 0;
  return 1;
}

function classical(rows: readonly (readonly number[])[], j: number): InnovationCovariance {
  const cov = Array.from({ length: j }, () => new Array<number>(j).fill(0));
  const ms = new Array<number>(j).fill(0);
  for (const r of rows) for (let c = 0; c < j; c++) ms[c] += (r[c] * r[c]) / rows.length;
  const active = ms.flatMap((v, c) => (v > 0 ? [c] : []));
  if (active.length === 0) return { covariance: cov, lambda: 1, excluded: 0 };
  if (rows.length < 2) {
    for (const c of active) cov[c][c] = ms[c];
    return { covariance: cov, lambda: 1, excluded: 0 };
  }
  const sc = shrinkCovariance(active.map((c) => rows.map((r) => r[c])));
  return { covariance: cov, lambda: shrunkPositiveDefinite(cov, active, sc.sample.data, sc.lambda), excluded: 0 };
}

function mad(rows: readonly (readonly number[])[], j: number): InnovationCovariance {
  const cov = Array.from({ length: j }, () => new Array<number>(j).fill(0));
  const cols = Array.from({ length: j }, (_, c) => rows.map((r) => r[c]));
  const ms = cols.map((v) => v.reduce((s, x) => s + x * x, 0) / v.length);
  const active = ms.flatMap((v, c) => (v > 0 ? [c] : []));
  if (active.length === 0) return { covariance: cov, lambda: 1, excluded: 0 };
  // the robust SD; a log-ratio whose MAD is 0 (most rows exactly 0) keeps its root mean square
  const sd = cols.map((v, c) => {
    const s = madAboutZero(v);
    return s > 0 ? s : Math.sqrt(ms[c]);
  });
  if (rows.length < 2) {
    for (const c of active) cov[c][c] = sd[c] * sd[c];
    return { covariance: cov, lambda: 1, excluded: 0 };
  }
  const a = active.length;
  const S = new Float64Array(a * a);
  for (let r = 0; r < a; r++) {
    S[r * a + r] = sd[active[r]] ** 2;
    for (let c = r + 1; c < a; c++) {
      const v = sd[active[r]] * sd[active[c]] * gkCorrelation(cols[active[r]], cols[active[c]]);
      S[r * a + c] = v;
      S[c * a + r] = v;
    }
  }
  const lambda0 = shrinkCovariance(active.map((c) => cols[c])).lambda;
  return { covariance: cov, lambda: shrunkPositiveDefinite(cov, active, S, lambda0), excluded: 0 };
}

/**
 * The innovation covariance of residual rows by an estimator (see the
 * module): `classical` is decision 15's; `exclude` drops the rows
 * flagged as reclassifications (a log-ratio more than 4 robust SDs, the MAD
 * about zero x 1.4826, from zero) and is classical on the rest (classical on
 * every row when fewer than 2 are left); `mad` takes the MAD about zero per
 * log-ratio (its root mean square where the MAD is 0) with
 * Gnanadesikan-Kettenring correlations. A log-ratio with no variation gets
 * none; a single row gives a diagonal.
 *
 * @param rows - the one-step residual rows (each of length `j`)
 * @param j - the number of log-ratios
 * @param label - the dimension's name, for messages
 * @param estimator - the estimator (default `classical`)
 * @returns the covariance, the shrinkage used and the rows excluded
 * @throws CarecastInputError when there is no row
 * @example
 * ```ts
 * innovationCovariance([[1], [-1], [1], [-1], [20]], 1, 'provider').covariance;            // [[80.8]]: (4 x 1 + 400) / 5
 * innovationCovariance([[1], [-1], [1], [-1], [20]], 1, 'provider', 'exclude').covariance; // [[1]]: the 20 left out
 * ```
 */
export function innovationCovariance(rows: readonly (readonly number[])[], j: number, label: string, estimator: ShareScaleEstimator = 'classical'): InnovationCovariance {
  if (rows.length === 0) {
    throw new CarecastInputError([
      { source: `${label} dynamics`, field: 'years', message: `no two consecutive years with every ${label} group known`, fix: 'give at least two consecutive years of every group' },
    ]);
  }
  if (estimator === 'mad') return mad(rows, j);
  if (estimator === 'exclude') {
    const flags = reclassifiedRows(rows, j);
    const kept = rows.filter((_, i) => !flags[i]);
    if (kept.length < 2) return classical(rows, j);
    return { ...classical(kept, j), excluded: rows.length - kept.length };
  }
  return classical(rows, j);
}
