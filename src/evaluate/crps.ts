/**
 * The continuous ranked probability score (CRPS) of a forecast distribution
 * F against the value y that happened (Gneiting & Raftery 2007):
 *
 *     CRPS(F, y) = ∫ (F(x) - 1{x >= y})² dx = E|X - y| - ½ E|X - X'|
 *
 * with X, X' independent draws from F. It is in the data's units, lower is
 * better, it is 0 only for a point mass at y, and for a point forecast it is
 * the absolute error, so it compares point, band and full-distribution
 * forecasts on one scale. It rewards forecasts that are sharp where they
 * can be and honest about how uncertain they are: it is a proper score (no
 * forecast scores better, in expectation, than the true distribution).
 * Divided by a forecast's MASE scale (as the Winkler score is in
 * `backtest`), it is comparable across areas of different sizes.
 *
 * The forms here:
 *
 * - closed forms for the normal ({@link crpsNormal}), Student t
 *   ({@link crpsStudentT}) and log-normal ({@link crpsLogNormal}, the `exp`
 *   of a normal as carecast's log-scale methods give);
 * - the exact score of an empirical distribution (draws, simulated paths,
 *   bootstrap samples) from its sorted values ({@link crpsSample});
 * - the quantile approximation, 2 × the mean pinball loss over a grid of
 *   levels ({@link crpsQuantiles}, with {@link midpointLevels});
 * - {@link crpsOf}, which picks the form for any carecast
 *   {@link Distribution}, optionally censored below (carecast clips counts
 *   at 0, so a backtest scores the distribution of max(0, X)).
 *
 * A distribution with no finite mean (a Student t with at most 1 degree of
 * freedom; the `exp` of a Student t, which `loglinear` gives) has an
 * infinite CRPS. {@link crpsOf} then scores its quantile grid instead, a
 * finite stand-in, and {@link crpsForm} says when it does.
 *
 * @module
 */
import { CarecastInputError } from '../data/errors.js';
import { pnorm } from '../math/normal.js';
import { lgamma, pt, qt } from '../math/studentT.js';
import { quantileOf } from '../models/distribution.js';
import type { Distribution } from '../models/types.js';

const SOURCE = 'CRPS arguments';
const SQRT_PI = Math.sqrt(Math.PI);
const SQRT_2PI = Math.sqrt(2 * Math.PI);

function bad(field: string, message: string, fix: string): never {
  throw new CarecastInputError([{ source: SOURCE, field, message, fix }]);
}

function finite(field: string, v: number): void {
  if (!Number.isFinite(v)) bad(field, `${field} is ${v}, not a finite number`, 'give finite numbers (leave unscored forecasts out)');
}

function positiveOrZero(field: string, v: number): void {
  if (!(Number.isFinite(v) && v >= 0)) bad(field, `${field} must be a finite number of at least 0, got ${v}`, 'give a standard deviation or scale of at least 0');
}

function dnorm(z: number): number {
  return Math.exp(-0.5 * z * z) / SQRT_2PI;
}

/** ∫_{-∞}^{z} Φ(t)² dt = z Φ(z)² + 2 Φ(z) φ(z) - Φ(z √2) / √π (differentiate to check). */
function intPhi2(z: number): number {
  if (z === -Infinity) return 0;
  const p = pnorm(z);
  return z * p * p + 2 * p * dnorm(z) - pnorm(z * Math.SQRT2) / SQRT_PI;
}

/**
 * The CRPS of a normal distribution, in closed form:
 * `sd × [z (2Φ(z) - 1) + 2φ(z) - 1/√π]`, z = (y - mean) / sd. With `sd`
 * 0 it is the absolute error |y - mean|.
 *
 * @param y - the value that happened
 * @param mean - the distribution's mean
 * @param sd - its standard deviation (at least 0)
 * @returns the score, in the data's units
 * @throws CarecastInputError for a value that is not finite or a negative sd
 * @example
 * ```ts
 * crpsNormal(0, 0, 1);      // (√2 - 1) / √π = 0.23369
 * crpsNormal(110, 100, 10); // 10 × crpsNormal(1, 0, 1) = 6.0244
 * ```
 */
export function crpsNormal(y: number, mean: number, sd: number): number {
  finite('y', y);
  finite('mean', mean);
  positiveOrZero('sd', sd);
  if (sd === 0) return Math.abs(y - mean);
  const z = (y - mean) / sd;
  return sd * (z * (2 * pnorm(z) - 1) + 2 * dnorm(z) - 1 / SQRT_PI);
}

function logBeta(a: number, b: number): number {
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/** Student t density (standard, df > 0). */
function dt(z: number, df: number): number {
  return Math.exp(lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((z * z) / df));
}

/**
 * The CRPS of a location-scale Student t distribution (`location + scale ×
 * T`, T with `df` degrees of freedom), in closed form (Jordan, Krüger &
 * Lerch 2019, as R's `scoringRules::crps_t`): with z = (y - location) /
 * scale, F and f the t distribution and density,
 * `scale × [z (2F(z) - 1) + 2 f(z) (df + z²) / (df - 1) - 2 √df B(½, df - ½) / ((df - 1) B(½, df/2)²)]`.
 * With `df` at most 1 the distribution has no mean and the score is
 * infinite; with `scale` 0 it is the absolute error.
 *
 * @param y - the value that happened
 * @param location - the centre (carecast's `studentT` `mean`)
 * @param scale - the scale (at least 0)
 * @param df - degrees of freedom (above 0; `Infinity` gives the normal)
 * @returns the score (`Infinity` when df <= 1)
 * @throws CarecastInputError for a value that is not finite, a negative scale or df not above 0
 * @example
 * ```ts
 * crpsStudentT(0, 0, 1, 5);   // 0.25703 (a little above the normal's 0.23369)
 * crpsStudentT(0, 0, 1, 1);   // Infinity (Cauchy: no mean)
 * ```
 */
export function crpsStudentT(y: number, location: number, scale: number, df: number): number {
  finite('y', y);
  finite('location', location);
  positiveOrZero('scale', scale);
  if (!(df > 0)) bad('df', `degrees of freedom must be above 0, got ${df}`, 'give the t distribution\u2019s degrees of freedom');
  if (scale === 0) return Math.abs(y - location);
  if (!Number.isFinite(df) || df > 1e7) return crpsNormal(y, location, scale);
  if (df <= 1) return Infinity;
  const z = (y - location) / scale;
  const last = (2 * Math.sqrt(df) * Math.exp(logBeta(0.5, df - 0.5) - 2 * logBeta(0.5, df / 2))) / (df - 1);
  return scale * (z * (2 * pt(z, df) - 1) + (2 * dt(z, df) * (df + z * z)) / (df - 1) - last);
}

/**
 * The CRPS of a log-normal distribution (`exp(X)`, X normal with mean
 * `meanlog` and sd `sdlog`: carecast's `{ type: 'exp', of: normal }`), in
 * closed form (Baran & Lerch 2015): with z = (log y - meanlog) / sdlog,
 * `y (2Φ(z) - 1) - 2 exp(meanlog + sdlog²/2) [Φ(z - sdlog) + Φ(sdlog/√2) - 1]`
 * (for y <= 0, Φ(z) = Φ(z - sdlog) = 0). With `sdlog` 0 it is
 * |y - exp(meanlog)|.
 *
 * @param y - the value that happened
 * @param meanlog - mean of the log
 * @param sdlog - standard deviation of the log (at least 0)
 * @returns the score, in the data's units
 * @throws CarecastInputError for a value that is not finite or a negative sdlog
 * @example
 * ```ts
 * crpsLogNormal(100, Math.log(100), 0.1); // 2.3400 (close to crpsNormal(100, 100, 10) = 2.3369)
 * ```
 */
export function crpsLogNormal(y: number, meanlog: number, sdlog: number): number {
  finite('y', y);
  finite('meanlog', meanlog);
  positiveOrZero('sdlog', sdlog);
  if (sdlog === 0) return Math.abs(y - Math.exp(meanlog));
  const s = sdlog;
  const pz = y > 0 ? pnorm((Math.log(y) - meanlog) / s) : 0;
  const pzs = y > 0 ? pnorm((Math.log(y) - meanlog) / s - s) : 0;
  return y * (2 * pz - 1) - 2 * Math.exp(meanlog + (s * s) / 2) * (pzs + pnorm(s / Math.SQRT2) - 1);
}

/**
 * The CRPS of the empirical distribution of a sample (draws, simulated
 * paths at one step, bootstrap values), exactly:
 * `mean|X - y| - ½ mean|X - X'|` over all pairs, computed in O(n log n)
 * from the sorted values x₍₁₎ <= ... <= x₍ₙ₎ as
 * `(1/n) Σ|x₍ᵢ₎ - y| - (1/n²) Σ (2i - n - 1) x₍ᵢ₎`. It is the score of the
 * sample as a distribution (each value weighing 1/n), not an estimate of
 * the score of the distribution it was drawn from (that would divide the
 * second term's pairs by n(n - 1)); with thousands of draws they agree
 * closely. It equals {@link crpsQuantiles} of the sorted values at the
 * {@link midpointLevels}.
 *
 * @param y - the value that happened
 * @param xs - the sample (at least one finite value; any order)
 * @returns the score, in the data's units
 * @throws CarecastInputError for an empty sample or a value that is not finite
 * @example
 * ```ts
 * crpsSample(0.5, [0, 2]);   // mean|X - y| = 1, ½ mean|X - X'| = 0.5: 0.5
 * crpsSample(3, [3, 3, 3]);  // 0: a point mass at y
 * crpsSample(1, [4]);        // 3: one value is a point forecast, the absolute error
 * ```
 */
export function crpsSample(y: number, xs: ArrayLike<number>): number {
  finite('y', y);
  const n = xs.length;
  if (n === 0) bad('sample', 'the sample is empty', 'give at least one value');
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = xs[i];
    if (!Number.isFinite(v)) bad('sample', `sample value ${i + 1} is ${v}, not a finite number`, 'drop values that are not finite');
    d[i] = v - y;
  }
  d.sort();
  // centred on y: both sums are translation invariant, and centring keeps them small
  let abs = 0;
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    abs += Math.abs(d[i]);
    pairs += (2 * i + 1 - n) * d[i];
  }
  return Math.max(0, abs / n - pairs / (n * n));
}

/**
 * `k` evenly spaced probability levels at the midpoints of k equal slices
 * of (0, 1): (i - ½) / k for i = 1..k. The grid {@link crpsQuantiles} is
 * most accurate on, and on which it is exact for a k-point sample.
 *
 * @param k - number of levels (a whole number, at least 1)
 * @returns the levels, ascending
 * @throws CarecastInputError when k is not a whole number of at least 1
 * @example
 * ```ts
 * midpointLevels(4); // [0.125, 0.375, 0.625, 0.875]
 * ```
 */
export function midpointLevels(k: number): number[] {
  if (!(Number.isInteger(k) && k >= 1)) bad('k', `the number of levels must be a whole number of at least 1, got ${k}`, 'e.g. 100');
  return Array.from({ length: k }, (_, i) => (i + 0.5) / k);
}

/**
 * The CRPS from a set of quantiles: 2 × the mean pinball (quantile) loss
 * over the levels, `(2/k) Σ (y - qᵢ)(τᵢ - 1{y < qᵢ})`. This is the standard
 * approximation of `CRPS = 2 ∫₀¹ pinball_τ(y, F⁻¹(τ)) dτ` by a sum over an
 * even grid of levels, for forecasts given as quantiles (or when the exact
 * form is unknown).
 *
 * Its accuracy depends on the grid. On the {@link midpointLevels} it is the
 * midpoint rule, and exact for the empirical distribution of k values (the
 * pinball loss is linear in τ between jumps). For a normal distribution,
 * against the exact {@link crpsNormal}, for y - mean from -3 to 3 sd
 * (checked in the tests): the 100 midpoint levels (0.5%, 1.5%, ...,
 * 99.5%) overstate it by at most 0.06% (0.00007 sd at y = mean, 0.0014 sd
 * at 3 sd); the 99 levels 1%, 2%, ..., 99% by up to 1% (0.0022 sd at y =
 * mean, 0.023 sd at 3 sd), because their grid is not centred on the
 * slices of probability it stands for.
 *
 * @param y - the value that happened
 * @param taus - the levels, strictly ascending, each in (0, 1)
 * @param qs - the quantiles at those levels, non-decreasing
 * @returns the approximate score, in the data's units
 * @throws CarecastInputError for empty or mismatched arrays, levels outside (0, 1) or not ascending, quantiles that are not finite or decrease
 * @example
 * ```ts
 * crpsQuantiles(0.5, [0.25, 0.75], [0, 2]); // 0.5 (= crpsSample(0.5, [0, 2]))
 * const taus = midpointLevels(100);
 * crpsQuantiles(0, taus, taus.map((t) => qnorm(t))); // 0.23376 (exact: crpsNormal(0, 0, 1) = 0.23369)
 * ```
 */
export function crpsQuantiles(y: number, taus: ArrayLike<number>, qs: ArrayLike<number>): number {
  finite('y', y);
  const k = taus.length;
  if (k === 0) bad('taus', 'no quantile levels', 'give levels such as midpointLevels(100)');
  if (qs.length !== k) bad('qs', `${k} levels but ${qs.length} quantiles`, 'give one quantile per level');
  let s = 0;
  for (let i = 0; i < k; i++) {
    const t = taus[i];
    const q = qs[i];
    if (!(t > 0 && t < 1)) bad('taus', `level ${i + 1} is ${t}, not in (0, 1)`, 'give probabilities strictly between 0 and 1');
    if (i > 0 && !(t > taus[i - 1])) bad('taus', `level ${i + 1} (${t}) is not above level ${i} (${taus[i - 1]})`, 'give the levels in ascending order, each once');
    if (!Number.isFinite(q)) bad('qs', `quantile ${i + 1} is ${q}, not a finite number`, 'give finite quantiles');
    if (i > 0 && q < qs[i - 1]) bad('qs', `quantile ${i + 1} (${q}) is below quantile ${i} (${qs[i - 1]})`, 'quantiles must not decrease with the level (sort them)');
    s += (y - q) * (t - (y < q ? 1 : 0));
  }
  return (2 * s) / k;
}

/** Options for {@link crpsOf}. */
export interface CrpsOptions {
  /**
   * Score the distribution censored below at this value: X below it is
   * reported as `lower` (carecast clips counts at 0, so backtests use 0).
   * Default: no censoring.
   */
  readonly lower?: number;
  /** Number of {@link midpointLevels} for distributions scored by their quantile grid (default 100). */
  readonly gridLevels?: number;
}

/**
 * How {@link crpsOf} scores a distribution: `'exact'` (a closed form, or
 * the exact score of a sample or point), or `'grid'` ({@link crpsQuantiles}
 * on its quantiles at the {@link midpointLevels}): a distribution with no
 * finite mean, whose exact CRPS is infinite (a Student t with df <= 1; the
 * `exp` of a Student t, as `loglinear` gives, or of another `exp`).
 *
 * @param dist - a forecast distribution
 * @returns `'exact'` or `'grid'`
 * @example
 * ```ts
 * crpsForm({ type: 'normal', mean: 100, sd: 10 });                                  // 'exact'
 * crpsForm({ type: 'exp', of: { type: 'studentT', mean: 4.6, scale: 0.1, df: 8 } }); // 'grid'
 * ```
 */
export function crpsForm(dist: Distribution): 'exact' | 'grid' {
  switch (dist.type) {
    case 'normal':
    case 'point':
    case 'sample':
      return 'exact';
    case 'studentT':
      return dist.df > 1 || dist.scale === 0 ? 'exact' : 'grid';
    case 'exp': {
      const o = dist.of;
      if (o.type === 'normal' || o.type === 'point' || o.type === 'sample') return 'exact';
      if (o.type === 'studentT' && (o.scale === 0 || !Number.isFinite(o.df) || o.df > 1e7)) return 'exact';
      return 'grid';
    }
  }
}

/**
 * Adaptive Simpson quadrature of f on [a, b] (finite), to an absolute
 * tolerance.
 */
function simpson(f: (x: number) => number, a: number, b: number, tol: number): number {
  const fa = f(a);
  const fb = f(b);
  const m = (a + b) / 2;
  const fm = f(m);
  const whole = ((b - a) / 6) * (fa + 4 * fm + fb);
  const rec = (a: number, b: number, fa: number, fm: number, fb: number, whole: number, tol: number, depth: number): number => {
    const m = (a + b) / 2;
    const lm = (a + m) / 2;
    const rm = (m + b) / 2;
    const flm = f(lm);
    const frm = f(rm);
    const left = ((m - a) / 6) * (fa + 4 * flm + fm);
    const right = ((b - m) / 6) * (fm + 4 * frm + fb);
    const diff = left + right - whole;
    if (depth <= 0 || Math.abs(diff) <= 15 * tol) return left + right + diff / 15;
    return rec(a, m, fa, flm, fm, left, tol / 2, depth - 1) + rec(m, b, fm, frm, fb, right, tol / 2, depth - 1);
  };
  return rec(a, b, fa, fm, fb, whole, tol, 40);
}

/** ∫_{-∞}^{b} g(x) dx for g vanishing at -∞, by x = b - u / (1 - u), u in [0, 1). */
function toMinusInfinity(g: (x: number) => number, b: number, tol: number): number {
  return simpson(
    (u) => {
      if (u >= 1) return 0;
      const w = 1 - u;
      const v = g(b - u / w) / (w * w);
      return Number.isFinite(v) ? v : 0;
    },
    0,
    1,
    tol,
  );
}

/**
 * What censoring at L (X below L reported as L) takes off the CRPS of a
 * distribution with cdf F on the standardised scale:
 * y >= L: ∫_{-∞}^{L} F²;  y < L: ∫_{-∞}^{y} F² + ∫_{y}^{L} (1 - F)² - (L - y).
 * `lowF2(z)` = ∫_{-∞}^{z} F², `highG2(a, b)` = ∫_a^b (1 - F)².
 */
function censoringCut(y: number, L: number, lowF2: (z: number) => number, highG2: (a: number, b: number) => number): number {
  if (y >= L) return lowF2(L);
  return lowF2(y) + highG2(y, L) - (L - y);
}

function crpsStudentTCensored(y: number, m: number, s: number, df: number, L: number): number {
  const full = crpsStudentT(y, m, s, df);
  const zL = (L - m) / s;
  const zy = (y - m) / s;
  if (y >= L && pt(zL, df) < 1e-12) return full;
  const tol = 1e-11;
  const F2 = (t: number): number => {
    const p = pt(t, df);
    return p * p;
  };
  // ∫_{-∞}^{z} F² (standardised); by symmetry ∫_a^b (1 - F(t))² dt = ∫_{-b}^{-a} F(u)² du
  const lowF2 = (z: number): number => toMinusInfinity(F2, z, tol);
  const highG2 = (a: number, b: number): number => (b > a ? simpson(F2, -b, -a, tol) : 0);
  return Math.max(0, full - s * censoringCut(zy, zL, lowF2, highG2));
}

function crpsLogNormalCensored(y: number, meanlog: number, sdlog: number, L: number): number {
  const full = crpsLogNormal(y, meanlog, sdlog);
  if (L <= 0) return full;
  if (sdlog === 0) return Math.abs(y - Math.max(L, Math.exp(meanlog)));
  // support (0, ∞): F = 0 below 0
  const F = (x: number): number => (x > 0 ? pnorm((Math.log(x) - meanlog) / sdlog) : 0);
  if (y >= L && F(L) < 1e-12) return full;
  const tol = 1e-11 * Math.max(1, L);
  const F2 = (x: number): number => F(x) ** 2;
  const G2 = (x: number): number => (1 - F(x)) ** 2;
  const lowF2 = (z: number): number => (z > 0 ? simpson(F2, 0, z, tol) : 0);
  const highG2 = (a: number, b: number): number => {
    if (!(b > a)) return 0;
    const below = a < 0 ? Math.min(b, 0) - a : 0; // (1 - F)² = 1 where F = 0
    const lo = Math.max(a, 0);
    return below + (b > lo ? simpson(G2, lo, b, tol) : 0);
  };
  return Math.max(0, full - censoringCut(y, L, lowF2, highG2));
}

function crpsNormalCensored(y: number, mean: number, sd: number, L: number): number {
  const full = crpsNormal(y, mean, sd);
  if (sd === 0) return Math.abs(y - Math.max(mean, L));
  const zL = (L - mean) / sd;
  const zy = (y - mean) / sd;
  // ∫_a^b (1 - Φ)² = ∫_{-b}^{-a} Φ² = intPhi2(-a) - intPhi2(-b)
  return Math.max(0, full - sd * censoringCut(zy, zL, intPhi2, (a, b) => (b > a ? intPhi2(-a) - intPhi2(-b) : 0)));
}

/**
 * Standard Student t quantiles at the k midpoint levels, by (df, k): a
 * memo of pure values (what it returns never depends on it), because
 * inverting the t cdf a hundred times per forecast is most of a panel
 * backtest's time otherwise. Bounded: cleared when it holds 256 grids.
 */
const T_GRIDS = new Map<string, Float64Array>();

function tGrid(df: number, taus: readonly number[]): Float64Array {
  const key = `${df}|${taus.length}`;
  let z = T_GRIDS.get(key);
  if (z === undefined) {
    const k = taus.length;
    z = new Float64Array(k);
    // symmetric: the level i from the bottom is minus the level i from the top
    for (let i = 0; i < Math.ceil(k / 2); i++) {
      const v = taus[k - 1 - i] === 0.5 ? 0 : qt(taus[k - 1 - i], df);
      z[k - 1 - i] = v;
      z[i] = -v;
    }
    if (T_GRIDS.size >= 256) T_GRIDS.clear();
    T_GRIDS.set(key, z);
  }
  return z;
}

function gridCrps(y: number, dist: Distribution, k: number, lower: number): number {
  const taus = midpointLevels(k);
  let qs: number[];
  if (dist.type === 'studentT' || (dist.type === 'exp' && dist.of.type === 'studentT')) {
    // one t quantile per level, shared by the location-scale transform
    const t = dist.type === 'studentT' ? dist : (dist.of as Extract<Distribution, { type: 'studentT' }>);
    if (!(t.df > 0)) bad('df', `degrees of freedom must be above 0, got ${t.df}`, 'give the t distribution\u2019s degrees of freedom');
    finite('location', t.mean);
    positiveOrZero('scale', t.scale);
    const z = tGrid(t.df, taus);
    qs = Array.from(z, (v) => t.mean + t.scale * v);
    if (dist.type === 'exp') qs = qs.map(Math.exp);
  } else {
    qs = taus.map((p) => quantileOf(dist, p));
  }
  for (let i = 0; i < k; i++) {
    if (qs[i] < lower) qs[i] = lower;
    if (i > 0 && qs[i] < qs[i - 1]) qs[i] = qs[i - 1]; // guards rounding in numerical inversion
  }
  return crpsQuantiles(y, taus, qs);
}

/**
 * The CRPS of any carecast forecast {@link Distribution} against the value
 * that happened, by the best form available:
 *
 * - `point`: the absolute error;
 * - `normal`: {@link crpsNormal};
 * - `studentT`: {@link crpsStudentT} (df > 1);
 * - `exp` of a normal (log-normal): {@link crpsLogNormal}; `exp` of a point
 *   or a sample: as those, on the exponentiated values;
 * - `sample`: {@link crpsSample}, exact for the sample;
 * - a distribution with no finite mean (Student t with df <= 1, `exp` of a
 *   Student t or of an `exp`), whose exact CRPS is infinite:
 *   {@link crpsQuantiles} of its quantiles at `gridLevels`
 *   {@link midpointLevels} (default 100), i.e. the score of that
 *   100-point discretisation. {@link crpsForm} tells which.
 *
 * With `lower`, the distribution of max(lower, X) is scored: exactly for
 * points, samples, grids (values clipped) and the normal (closed form of
 * the censored normal); for the Student t and log-normal the part cut off
 * is integrated numerically (to about 1e-10).
 *
 * @param y - the value that happened
 * @param dist - the forecast distribution
 * @param options - `lower` bound to censor at (e.g. 0 for counts), `gridLevels`
 * @returns the score, in the data's units
 * @throws CarecastInputError for a value that is not finite, or a distribution with a negative sd or scale, an empty sample or a value that is not finite
 * @example
 * ```ts
 * crpsOf(0, { type: 'normal', mean: 0, sd: 1 });              // 0.23369
 * crpsOf(1200, { type: 'point', value: 1150 });               // 50
 * crpsOf(0, { type: 'normal', mean: 1, sd: 2 }, { lower: 0 }); // 0.5940 (uncensored: 0.6628): the mass below 0 is moved to 0
 * ```
 */
export function crpsOf(y: number, dist: Distribution, options: CrpsOptions = {}): number {
  finite('y', y);
  const lower = options.lower ?? -Infinity;
  if (Number.isNaN(lower) || lower === Infinity) bad('lower', `lower must be a number (or -Infinity for none), got ${lower}`, 'e.g. lower: 0 for counts');
  const k = options.gridLevels ?? 100;
  if (crpsForm(dist) === 'grid') return gridCrps(y, dist, k, lower);
  switch (dist.type) {
    case 'point':
      finite('value', dist.value);
      return Math.abs(y - Math.max(lower, dist.value));
    case 'normal':
      return lower === -Infinity ? crpsNormal(y, dist.mean, dist.sd) : crpsNormalCensored(y, dist.mean, dist.sd, lower);
    case 'studentT': {
      const { mean, scale, df } = dist;
      if (lower === -Infinity) return crpsStudentT(y, mean, scale, df);
      finite('location', mean);
      positiveOrZero('scale', scale);
      if (scale === 0) return Math.abs(y - Math.max(lower, mean));
      if (!Number.isFinite(df) || df > 1e7) return crpsNormalCensored(y, mean, scale, lower);
      return crpsStudentTCensored(y, mean, scale, df, lower);
    }
    case 'sample': {
      if (lower === -Infinity) return crpsSample(y, dist.values);
      return crpsSample(
        y,
        dist.values.map((v) => Math.max(lower, v)),
      );
    }
    case 'exp': {
      const o = dist.of;
      switch (o.type) {
        case 'point':
          return crpsOf(y, { type: 'point', value: Math.exp(o.value) }, options);
        case 'sample':
          return crpsOf(y, { type: 'sample', values: o.values.map(Math.exp) }, options);
        case 'normal':
          return crpsLogNormalCensored(y, o.mean, o.sd, lower);
        case 'studentT':
          // scale 0, or df so large that it is the normal
          return crpsLogNormalCensored(y, o.mean, o.scale, lower);
        default:
          return gridCrps(y, dist, k, lower);
      }
    }
  }
}
