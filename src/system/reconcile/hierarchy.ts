/**
 * Forecast reconciliation for a two-level hierarchy: a total (children in
 * care) and the groups that make it up (placement groups, provider groups,
 * the finance cross). When the total and each group are forecast
 * separately, the forecasts do not add up; reconciliation returns forecasts
 * that do (`total === sum(groups)` to rounding error) by one of:
 *
 * - **bottom-up**: the total is the sum of the group forecasts;
 * - **top-down**: the total forecast is split by proportions, either the
 *   groups' average historical proportions (Gross & Sohl 1990, method A) or
 *   the proportions of the group forecasts themselves (for two levels, the
 *   forecast-proportions method of Athanasopoulos, Ahmed & Hyndman 2009);
 * - **MinT** (Wickramasuriya, Athanasopoulos & Hyndman 2019):
 *   `ỹ = S (S' W⁻¹ S)⁻¹ S' W⁻¹ ŷ`, with `S` the summing matrix and `W` the
 *   covariance of the one-step base forecast errors, estimated from in-sample
 *   residuals and shrunk towards its diagonal with the Schäfer-Strimmer
 *   intensity, exactly as R's `hts::MinT(covariance = "shr")` and fable's
 *   `min_trace(method = "mint_shrink")` do. `W = I` gives OLS
 *   reconciliation, `W = diag` weighted least squares.
 *
 * All forecasts are vectors over forecast periods (horizons); for one
 * period pass arrays of length 1. Node order in matrices is always
 * `[total, ...groups]`, groups in the order of `Object.keys(base.groups)`.
 *
 * @module
 */
import { CarecastInputError, type InputProblem } from '../../data/errors.js';
import type { SamplePaths } from '../../models/types.js';
import { cholesky, choleskySolve, multiply, transpose, type Matrix } from '../../math/linalg.js';

/** Forecasts (or observations) of the total and its groups, one value per period. */
export interface HierarchyForecast {
  /** The total, one value per period. */
  readonly total: readonly number[];
  /** Each group (the bottom level), one value per period, the same length as `total`. */
  readonly groups: Readonly<Record<string, readonly number[]>>;
}

/** In-sample one-step residuals of the base models, aligned in time (non-finite values mark a missing residual; such rows are dropped). */
export type HierarchyResiduals = HierarchyForecast;

/** How a reconciled forecast was obtained. */
export type ReconciliationMethod = 'bottom-up' | 'top-down-historical' | 'top-down-forecast' | 'ols' | 'wls' | 'mint-sample' | 'mint-shrink';

/** Reconciled forecasts: `total[h]` equals the sum of the groups at `h` (to rounding error). */
export interface ReconciledForecast extends HierarchyForecast {
  /** The method used. */
  readonly method: ReconciliationMethod;
  /** Group names, in node order. */
  readonly groupNames: readonly string[];
  /** The largest |total - sum of groups| over periods (rounding error only). */
  readonly maxIncoherence: number;
  /** Top-down: the proportions used, per group and period. */
  readonly proportions?: Readonly<Record<string, readonly number[]>>;
  /** MinT with shrinkage: the shrinkage intensity λ. */
  readonly lambda?: number;
}

/** A covariance matrix shrunk towards its diagonal, with the pieces it came from. */
export interface ShrunkCovariance {
  /** The shrunk covariance `λ · diag(S) + (1 - λ) · S`. */
  readonly covariance: Matrix;
  /** The unshrunk estimate `S = X'X / n` (uncentred: residuals have mean about zero). */
  readonly sample: Matrix;
  /** The shrinkage intensity λ in [0, 1]. */
  readonly lambda: number;
  /** The number of complete rows (time points) used. */
  readonly n: number;
}

/** A linear reconciliation `bottom = G · [total, ...groups]`, for point forecasts or sample paths. */
export interface ReconciliationMatrix {
  /** The method. */
  readonly method: ReconciliationMethod;
  /** Group names, in node order. */
  readonly groupNames: readonly string[];
  /** G, k x (k + 1): reconciled groups from the base forecasts `[total, ...groups]`. */
  readonly g: Matrix;
  /** The weight matrix W, (k + 1) x (k + 1), for the least-squares methods. */
  readonly w?: Matrix;
  /** The shrinkage intensity, for `mint-shrink`. */
  readonly lambda?: number;
}

/** Options for {@link reconcileTopDown}. */
export interface TopDownOptions {
  /**
   * `'historical-average'`: each group's average share of the groups' sum
   * over `history` (Gross & Sohl method A); `'forecast-proportions'`: each
   * group's share of the summed group base forecasts, period by period.
   */
  readonly proportions: 'historical-average' | 'forecast-proportions';
  /** Observed group counts, one array per group (needed for `'historical-average'`). */
  readonly history?: Readonly<Record<string, readonly number[]>>;
}

/** Options for {@link reconcileMinT} and {@link minTMatrix}. */
export interface MinTOptions {
  /**
   * The estimate of W: `'shrink'` (default; Schäfer-Strimmer shrinkage
   * towards the diagonal, MinT-shrink), `'sample'` (the residual covariance
   * as it is; needs more time points than nodes), `'variance'` (its
   * diagonal: WLS), `'identity'` (OLS).
   */
  readonly covariance?: 'shrink' | 'sample' | 'variance' | 'identity';
}

const SOURCE = 'reconciliation';

function fail(problems: InputProblem[]): never {
  throw new CarecastInputError(problems);
}

/** Validate a hierarchy forecast; returns group names and the number of periods. */
function checkHierarchy(base: HierarchyForecast, what: string, allowNonFinite = false): { names: string[]; periods: number } {
  const names = Object.keys(base.groups);
  const problems: InputProblem[] = [];
  if (names.length < 1) problems.push({ source: SOURCE, field: 'groups', message: `${what} has no groups`, fix: 'give at least one group forecast' });
  const periods = base.total.length;
  if (periods < 1) problems.push({ source: SOURCE, field: 'total', message: `${what} total is empty`, fix: 'give one value per forecast period' });
  const check = (field: string, values: readonly number[]) => {
    if (values.length !== periods) {
      problems.push({ source: SOURCE, field, message: `${what} ${field} has ${values.length} values, the total has ${periods}`, fix: 'give every group one value per period, as for the total' });
      return;
    }
    if (!allowNonFinite) {
      values.forEach((v, i) => {
        if (!Number.isFinite(v)) problems.push({ source: SOURCE, row: i + 1, field, message: `${what} ${field} period ${i + 1} is not a finite number (${v})`, fix: 'give finite base forecasts' });
      });
    }
  };
  check('total', base.total);
  for (const g of names) check(g, base.groups[g]);
  if (problems.length > 0) fail(problems);
  return { names, periods };
}

function result(method: ReconciliationMethod, names: readonly string[], bottom: number[][], extra: { proportions?: Record<string, number[]>; lambda?: number } = {}): ReconciledForecast {
  const periods = bottom.length > 0 ? bottom[0].length : 0;
  const total: number[] = new Array(periods).fill(0);
  const groups: Record<string, number[]> = {};
  names.forEach((g, j) => {
    groups[g] = bottom[j];
    for (let h = 0; h < periods; h++) total[h] += bottom[j][h];
  });
  let maxIncoherence = 0;
  for (let h = 0; h < periods; h++) {
    let s = 0;
    for (let j = 0; j < names.length; j++) s += bottom[j][h];
    maxIncoherence = Math.max(maxIncoherence, Math.abs(total[h] - s));
  }
  return { method, groupNames: [...names], total, groups, maxIncoherence, ...extra };
}

/**
 * The summing matrix S of a two-level hierarchy with `k` groups:
 * `(k + 1) x k`, first row all ones (the total), then the identity.
 *
 * @param k - number of groups (>= 1)
 * @returns S
 * @throws RangeError when k is not a positive whole number
 * @example
 * ```ts
 * toRows(summingMatrix(2)); // [[1, 1], [1, 0], [0, 1]]
 * ```
 */
export function summingMatrix(k: number): Matrix {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`number of groups must be a positive whole number, got ${k}`);
  const data = new Float64Array((k + 1) * k);
  for (let j = 0; j < k; j++) {
    data[j] = 1;
    data[(j + 1) * k + j] = 1;
  }
  return { rows: k + 1, cols: k, data };
}

/**
 * A covariance matrix estimated from residuals and shrunk towards its
 * diagonal with the Schäfer & Strimmer (2005) intensity ("target D":
 * shrink the correlations towards zero, keep the variances), the estimator
 * of MinT-shrink. With X the n x p residual matrix (complete rows only):
 * `S = X'X / n`, `r` its correlations, `xs` the columns of X divided by
 * `sqrt(diag(S))`, `v = (crossprod(xs²) - crossprod(xs)² / n) / (n (n - 1))`
 * off the diagonal, and `λ = Σ v / Σ r²` (off-diagonal sums), clipped to
 * [0, 1]; the estimate is `λ · diag(S) + (1 - λ) · S`. This is line for
 * line R's `hts:::shrink.estim` and fable's `mint_shrink` (which divide by
 * the number of rows including incomplete ones; here incomplete rows are
 * dropped before anything is computed). With one variable, or all sample
 * correlations exactly zero, λ = 1.
 *
 * @param series - one array per variable, aligned in time; a time point where any variable is not finite is dropped
 * @returns the shrunk and sample covariances, λ and the rows used
 * @throws CarecastInputError when the series differ in length, fewer than 2 complete time points remain, or a variable has zero variance
 * @example
 * ```ts
 * const { lambda, covariance } = shrinkCovariance([[1, -1, 2, -2], [0.5, -1, 1, -1.5]]);
 * ```
 */
export function shrinkCovariance(series: readonly (readonly number[])[]): ShrunkCovariance {
  const p = series.length;
  if (p < 1) fail([{ source: SOURCE, field: 'residuals', message: 'no residual series', fix: 'give one residual series per node' }]);
  const len = series[0].length;
  const bad = series.findIndex((s) => s.length !== len);
  if (bad >= 0) fail([{ source: SOURCE, field: `residuals[${bad + 1}]`, message: `residual series ${bad + 1} has ${series[bad].length} values, series 1 has ${len}`, fix: 'align the residuals in time, with NaN where one is missing' }]);
  const rows: number[] = [];
  for (let t = 0; t < len; t++) if (series.every((s) => Number.isFinite(s[t]))) rows.push(t);
  const n = rows.length;
  if (n < 2) fail([{ source: SOURCE, field: 'residuals', message: `only ${n} time point${n === 1 ? '' : 's'} with a residual for every series`, fix: 'give at least two complete time points of residuals (longer histories)' }]);
  const s = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      let acc = 0;
      for (const t of rows) acc += series[i][t] * series[j][t];
      s[i * p + j] = acc / n;
      s[j * p + i] = acc / n;
    }
  }
  for (let i = 0; i < p; i++) {
    if (!(s[i * p + i] > 0)) fail([{ source: SOURCE, field: `residuals[${i + 1}]`, message: `residual series ${i + 1} is zero at every time point`, fix: 'a node whose base model fits exactly cannot be weighted; use covariance: "identity" (OLS) or drop the node' }]);
  }
  const sd = new Float64Array(p);
  for (let i = 0; i < p; i++) sd[i] = Math.sqrt(s[i * p + i]);
  let sumV = 0;
  let sumD = 0;
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) {
      if (i === j) continue;
      let a2 = 0; // sum of xs_i^2 xs_j^2
      let a1 = 0; // sum of xs_i xs_j
      for (const t of rows) {
        const w = (series[i][t] / sd[i]) * (series[j][t] / sd[j]);
        a1 += w;
        a2 += w * w;
      }
      sumV += (a2 - (a1 * a1) / n) / (n * (n - 1));
      const r = s[i * p + j] / (sd[i] * sd[j]);
      sumD += r * r;
    }
  }
  const lambda = sumD > 0 ? Math.max(0, Math.min(1, sumV / sumD)) : 1;
  const w = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) w[i * p + j] = i === j ? s[i * p + j] : (1 - lambda) * s[i * p + j];
  return { covariance: { rows: p, cols: p, data: w }, sample: { rows: p, cols: p, data: s }, lambda, n };
}

/**
 * The reconciliation matrix of MinT (and its OLS and WLS special cases):
 * `G = (S' W⁻¹ S)⁻¹ S' W⁻¹`, so that the reconciled groups are `G ŷ` and
 * the reconciled total their sum.
 *
 * @param groupNames - the group names, in node order
 * @param residuals - in-sample one-step residuals of the total and each group (not read for `covariance: 'identity'`; may then be `undefined`)
 * @param options - the estimate of W (default `'shrink'`)
 * @returns G, W and (for shrinkage) λ
 * @throws CarecastInputError when residuals are missing, misaligned or too short, or W is not positive definite (fix: use `'shrink'` or `'identity'`)
 * @example
 * ```ts
 * const m = minTMatrix(['fostering', 'residential'], residuals);
 * m.lambda; // the shrinkage intensity
 * ```
 */
export function minTMatrix(groupNames: readonly string[], residuals: HierarchyResiduals | undefined, options: MinTOptions = {}): ReconciliationMatrix {
  const k = groupNames.length;
  if (k < 1) fail([{ source: SOURCE, field: 'groups', message: 'no groups', fix: 'give at least one group' }]);
  const nodes = k + 1;
  const kind = options.covariance ?? 'shrink';
  let w: Matrix;
  let lambda: number | undefined;
  let method: ReconciliationMethod;
  if (kind === 'identity') {
    w = { rows: nodes, cols: nodes, data: new Float64Array(nodes * nodes) };
    for (let i = 0; i < nodes; i++) w.data[i * nodes + i] = 1;
    method = 'ols';
  } else {
    if (!residuals) fail([{ source: SOURCE, field: 'residuals', message: `covariance "${kind}" needs the base models' residuals`, fix: 'give in-sample one-step residuals of the total and each group, or use covariance: "identity"' }]);
    checkHierarchy(residuals, 'residuals', true);
    const missing = groupNames.filter((g) => !(g in residuals.groups));
    if (missing.length > 0) fail(missing.map((g) => ({ source: SOURCE, field: g, message: `no residuals for group "${g}"`, fix: 'give residuals for every group of the base forecasts' })));
    const sc = shrinkCovariance([residuals.total, ...groupNames.map((g) => residuals.groups[g])]);
    if (kind === 'shrink') {
      w = sc.covariance;
      lambda = sc.lambda;
      method = 'mint-shrink';
    } else if (kind === 'sample') {
      w = sc.sample;
      method = 'mint-sample';
    } else {
      w = { rows: nodes, cols: nodes, data: new Float64Array(nodes * nodes) };
      for (let i = 0; i < nodes; i++) w.data[i * nodes + i] = sc.sample.data[i * nodes + i];
      method = 'wls';
    }
  }
  return generalisedLeastSquares(groupNames, w, method, lambda, `the ${kind} covariance of the residuals (${nodes} nodes) is not positive definite`);
}

/**
 * The reconciliation matrix for a weight matrix W given as it is (MinT with
 * a covariance estimated elsewhere): `G = (S' W⁻¹ S)⁻¹ S' W⁻¹`.
 *
 * @param groupNames - the group names, in node order
 * @param w - W, (k + 1) x (k + 1) in node order `[total, ...groups]`, symmetric positive definite
 * @param options - the method to record (default `'mint-shrink'`) and λ, when W was shrunk
 * @returns G, W and λ
 * @throws CarecastInputError when W has the wrong size or is not positive definite
 * @example
 * ```ts
 * const m = minTMatrixOf(['a', 'b'], matrix([[4, 0, 0], [0, 1, 0], [0, 0, 1]]), { method: 'wls' });
 * reconcileWith(m, { total: [12], groups: { a: [5], b: [5] } }).groups.a; // [5.333...]
 * ```
 */
export function minTMatrixOf(groupNames: readonly string[], w: Matrix, options: { readonly method?: ReconciliationMethod; readonly lambda?: number } = {}): ReconciliationMatrix {
  const nodes = groupNames.length + 1;
  if (groupNames.length < 1) fail([{ source: SOURCE, field: 'groups', message: 'no groups', fix: 'give at least one group' }]);
  if (w.rows !== nodes || w.cols !== nodes) fail([{ source: SOURCE, field: 'covariance', message: `W is ${w.rows} x ${w.cols}, the hierarchy has ${nodes} nodes`, fix: 'give W in node order [total, ...groups]' }]);
  return generalisedLeastSquares(groupNames, w, options.method ?? 'mint-shrink', options.lambda, `the covariance given (${nodes} nodes) is not positive definite`);
}

function generalisedLeastSquares(groupNames: readonly string[], w: Matrix, method: ReconciliationMethod, lambda: number | undefined, notPd: string): ReconciliationMatrix {
  const s = summingMatrix(groupNames.length);
  let lw: Matrix;
  try {
    lw = cholesky(w);
  } catch {
    fail([
      {
        source: SOURCE,
        field: 'residuals',
        message: notPd,
        fix: 'use covariance: "shrink" (the default), or "identity" (OLS); a sample covariance needs more time points than nodes',
      },
    ]);
  }
  const winvS = choleskySolve(lw, s); // W⁻¹ S, nodes x k
  const m = multiply(transpose(s), winvS); // S' W⁻¹ S, k x k (symmetric positive definite)
  const g = choleskySolve(cholesky(m), transpose(winvS)); // (S'W⁻¹S)⁻¹ S'W⁻¹, k x nodes
  return { method, groupNames: [...groupNames], g, w, ...(lambda !== undefined ? { lambda } : {}) };
}

/**
 * Apply a reconciliation matrix to base forecasts.
 *
 * @param m - from {@link minTMatrix}
 * @param base - base forecasts of the total and the same groups
 * @returns the reconciled forecasts
 * @throws CarecastInputError when the groups differ from the matrix's or the forecasts are not finite or misaligned
 * @example
 * ```ts
 * reconcileWith(minTMatrix(['a', 'b'], undefined, { covariance: 'identity' }), { total: [10], groups: { a: [4], b: [4] } });
 * ```
 */
export function reconcileWith(m: ReconciliationMatrix, base: HierarchyForecast): ReconciledForecast {
  const { names, periods } = checkHierarchy(base, 'base forecasts');
  const missing = m.groupNames.filter((g) => !names.includes(g));
  if (missing.length > 0 || names.length !== m.groupNames.length) {
    fail([{ source: SOURCE, field: 'groups', message: `base forecasts have groups ${names.join(', ')}, the reconciliation matrix ${m.groupNames.join(', ')}`, fix: 'reconcile the same groups the matrix was built for' }]);
  }
  const k = m.groupNames.length;
  const nodes = k + 1;
  const bottom = m.groupNames.map(() => new Array<number>(periods).fill(0));
  const yhat = new Float64Array(nodes);
  for (let h = 0; h < periods; h++) {
    yhat[0] = base.total[h];
    for (let j = 0; j < k; j++) yhat[j + 1] = base.groups[m.groupNames[j]][h];
    for (let j = 0; j < k; j++) {
      let acc = 0;
      for (let i = 0; i < nodes; i++) acc += m.g.data[j * nodes + i] * yhat[i];
      bottom[j][h] = acc;
    }
  }
  return result(m.method, m.groupNames, bottom, m.lambda !== undefined ? { lambda: m.lambda } : {});
}

/**
 * Bottom-up reconciliation: keep the group forecasts, make the total their sum.
 *
 * @param base - base forecasts of the total (ignored) and the groups
 * @returns the reconciled forecasts
 * @throws CarecastInputError when the forecasts are not finite or misaligned
 * @example
 * ```ts
 * reconcileBottomUp({ total: [100], groups: { fostering: [70], residential: [20] } }).total; // [90]
 * ```
 */
export function reconcileBottomUp(base: HierarchyForecast): ReconciledForecast {
  const { names } = checkHierarchy(base, 'base forecasts');
  return result('bottom-up', names, names.map((g) => [...base.groups[g]]));
}

/**
 * Top-down reconciliation: keep the total forecast, split it between the
 * groups by proportions. `'historical-average'` uses each group's average
 * proportion of the groups' sum over the history (Gross & Sohl 1990,
 * method A; proportions of the groups' sum rather than of a published total,
 * so they add to one even where a published total has rounding);
 * `'forecast-proportions'` uses each group's share of the summed group base
 * forecasts in that period (for a two-level hierarchy this is the
 * forecast-proportions method of Athanasopoulos, Ahmed & Hyndman 2009).
 * Proportions add to one, so the total is kept exactly.
 *
 * @param base - base forecasts of the total and the groups (group forecasts are read only for `'forecast-proportions'`)
 * @param options - which proportions, and the history for `'historical-average'`
 * @returns the reconciled forecasts with the proportions used
 * @throws CarecastInputError when the history is missing, a history value is negative or not finite, a year's groups sum to zero, or (forecast proportions) a group forecast is negative or all are zero
 * @example
 * ```ts
 * reconcileTopDown({ total: [100], groups: { a: [60], b: [20] } }, { proportions: 'forecast-proportions' }).groups; // { a: [75], b: [25] }
 * ```
 */
export function reconcileTopDown(base: HierarchyForecast, options: TopDownOptions): ReconciledForecast {
  const { names, periods } = checkHierarchy(base, 'base forecasts');
  const props: Record<string, number[]> = {};
  if (options.proportions === 'historical-average') {
    const hist = options.history;
    if (!hist) fail([{ source: SOURCE, field: 'history', message: 'historical-average proportions need the groups\u2019 history', fix: 'give history: { group: [observed counts, oldest first], ... }' }]);
    const problems: InputProblem[] = [];
    const len = hist[names[0]]?.length ?? 0;
    for (const g of names) {
      const hg = hist[g];
      if (!hg) problems.push({ source: SOURCE, field: g, message: `no history for group "${g}"`, fix: 'give a history for every group' });
      else if (hg.length !== len) problems.push({ source: SOURCE, field: g, message: `history of "${g}" has ${hg.length} values, of "${names[0]}" ${len}`, fix: 'give every group the same years of history' });
      else hg.forEach((v, t) => {
        if (!(Number.isFinite(v) && v >= 0)) problems.push({ source: SOURCE, row: t + 1, field: g, message: `history value ${v} is not a non-negative number`, fix: 'give observed counts (interpolate or drop missing years)' });
      });
    }
    if (len < 1) problems.push({ source: SOURCE, field: 'history', message: 'the history is empty', fix: 'give at least one year of group counts' });
    if (problems.length > 0) fail(problems);
    const avg = new Array<number>(names.length).fill(0);
    for (let t = 0; t < len; t++) {
      const sum = names.reduce((a, g) => a + hist[g][t], 0);
      if (!(sum > 0)) fail([{ source: SOURCE, row: t + 1, field: 'history', message: `the groups sum to ${sum} in history year ${t + 1}`, fix: 'drop years with no children in any group' }]);
      names.forEach((g, j) => (avg[j] += hist[g][t] / sum / len));
    }
    names.forEach((g, j) => (props[g] = new Array<number>(periods).fill(avg[j])));
  } else if (options.proportions === 'forecast-proportions') {
    for (const g of names) props[g] = new Array<number>(periods).fill(0);
    for (let h = 0; h < periods; h++) {
      let sum = 0;
      for (const g of names) {
        const v = base.groups[g][h];
        if (v < 0) fail([{ source: SOURCE, row: h + 1, field: g, message: `group forecast ${v} is negative`, fix: 'clip base forecasts at zero before forecast-proportions reconciliation' }]);
        sum += v;
      }
      if (!(sum > 0)) fail([{ source: SOURCE, row: h + 1, field: 'groups', message: `the group forecasts sum to ${sum} in period ${h + 1}`, fix: 'use historical-average proportions' }]);
      for (const g of names) props[g][h] = base.groups[g][h] / sum;
    }
  } else {
    fail([{ source: SOURCE, field: 'proportions', message: `unknown proportions "${String((options as { proportions?: unknown }).proportions)}"`, fix: 'use historical-average or forecast-proportions' }]);
  }
  const bottom = names.map((g) => base.total.map((t, h) => t * props[g][h]));
  // The sum of t * p_j differs from t by rounding only; keep the total exactly.
  const out = result(options.proportions === 'historical-average' ? 'top-down-historical' : 'top-down-forecast', names, bottom, { proportions: props });
  return out;
}

/**
 * MinT reconciliation (Wickramasuriya, Athanasopoulos & Hyndman 2019):
 * `ỹ = S (S' W⁻¹ S)⁻¹ S' W⁻¹ ŷ`, minimising the trace of the reconciled
 * forecast error covariance among unbiased linear reconciliations. `W` is
 * estimated from the base models' one-step residuals; by default shrunk
 * with the Schäfer-Strimmer intensity ({@link shrinkCovariance}), as
 * `min_trace(method = "mint_shrink")` in fable. With `covariance:
 * 'identity'` it is OLS reconciliation: every node moves by the same
 * amount, `(ŷ_total - Σ ŷ_groups) / (k + 1)`, the groups up and the total down.
 *
 * @param base - base forecasts of the total and the groups
 * @param residuals - in-sample one-step residuals of the same nodes, aligned in time (NaN where missing; only complete time points are used)
 * @param options - the estimate of W (default `'shrink'`)
 * @returns the reconciled forecasts, with λ for shrinkage
 * @throws CarecastInputError for misaligned or non-finite forecasts, too few residuals, or a W that is not positive definite
 * @example
 * ```ts
 * const r = reconcileMinT(
 *   { total: [640, 650], groups: { fostering: [450, 455], residential: [95, 100], other: [80, 80] } },
 *   { total: [5, -8, 12, -3, 6], groups: { fostering: [4, -5, 9, -2, 3], residential: [1, -2, 2, 0, 2], other: [0, -1, 1, -1, 1] } },
 * );
 * r.total[0] === r.groups.fostering[0] + r.groups.residential[0] + r.groups.other[0]; // true (to 1e-9)
 * ```
 */
export function reconcileMinT(base: HierarchyForecast, residuals: HierarchyResiduals | undefined, options: MinTOptions = {}): ReconciledForecast {
  const { names } = checkHierarchy(base, 'base forecasts');
  return reconcileWith(minTMatrix(names, residuals, options), base);
}

/**
 * OLS reconciliation: MinT with `W = I` (every node weighted alike).
 *
 * @param base - base forecasts of the total and the groups
 * @returns the reconciled forecasts
 * @throws CarecastInputError for misaligned or non-finite forecasts
 * @example
 * ```ts
 * reconcileOls({ total: [100], groups: { a: [50], b: [44] } }).groups; // { a: [52], b: [46] }
 * ```
 */
export function reconcileOls(base: HierarchyForecast): ReconciledForecast {
  return reconcileMinT(base, undefined, { covariance: 'identity' });
}

/**
 * Reconcile simulated sample paths path by path with a linear
 * reconciliation: the reconciled paths add up in every path and period, so
 * quantiles read off them are coherent prediction intervals (Panagiotelis
 * et al. 2023: reconciling samples from the base predictive distribution
 * gives a sample from the reconciled one).
 *
 * @param m - from {@link minTMatrix}
 * @param total - sample paths of the total
 * @param groups - sample paths of each group of `m`, same paths and horizon as `total`
 * @returns reconciled paths: the total (the sum of the groups) and each group
 * @throws CarecastInputError when a group is missing or the path counts or horizons differ
 * @example
 * ```ts
 * const rec = reconcilePaths(minTMatrix(names, residuals), totalModel.simulate(5), groupPaths);
 * ```
 */
export function reconcilePaths(m: ReconciliationMatrix, total: SamplePaths, groups: Readonly<Record<string, SamplePaths>>): { total: SamplePaths; groups: Record<string, SamplePaths> } {
  const problems: InputProblem[] = [];
  for (const g of m.groupNames) {
    const s = groups[g];
    if (!s) problems.push({ source: SOURCE, field: g, message: `no sample paths for group "${g}"`, fix: 'simulate every group of the reconciliation matrix' });
    else if (s.paths !== total.paths || s.horizon !== total.horizon) {
      problems.push({ source: SOURCE, field: g, message: `group "${g}" has ${s.paths} paths x ${s.horizon} steps, the total ${total.paths} x ${total.horizon}`, fix: 'simulate every node with the same paths and horizon' });
    }
  }
  if (problems.length > 0) fail(problems);
  const k = m.groupNames.length;
  const nodes = k + 1;
  const len = total.paths * total.horizon;
  const src = m.groupNames.map((g) => groups[g].values);
  const out = m.groupNames.map(() => new Float64Array(len));
  const sum = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    for (let j = 0; j < k; j++) {
      let acc = m.g.data[j * nodes] * total.values[i];
      for (let l = 0; l < k; l++) acc += m.g.data[j * nodes + l + 1] * src[l][i];
      out[j][i] = acc;
      sum[i] += acc;
    }
  }
  const rec: Record<string, SamplePaths> = {};
  m.groupNames.forEach((g, j) => (rec[g] = { paths: total.paths, horizon: total.horizon, values: out[j] }));
  return { total: { paths: total.paths, horizon: total.horizon, values: sum }, groups: rec };
}
