/**
 * Robust scale and correlation of residuals that have mean zero: the MAD
 * about zero, scaled to a normal's standard deviation, and the
 * Gnanadesikan-Kettenring correlation built from it
 * (docs/preregistration/issue-13-robust-shares.md). Used by the share
 * dynamics' innovation covariance (`innovationCovariance.ts`).
 *
 * @module
 */

/** `1 / Phi^-1(3/4)`: the MAD of a normal times this is its standard deviation. */
export const MAD_TO_SD = 1.4826;

/**
 * The median of numbers (the mean of the two middle values for an even
 * count; `NaN` for none).
 *
 * @param values - the numbers
 * @returns the median
 * @example
 * ```ts
 * median([3, 1, 2]);    // 2
 * median([4, 1, 3, 2]); // 2.5
 * ```
 */
export function median(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const s = Float64Array.from(values).sort();
  const m = n >> 1;
  return n % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * The robust standard deviation of residuals with mean zero:
 * `1.4826 x median |r|` (the MAD about zero, consistent for a normal's SD;
 * not centred, as the classical root mean square is not).
 *
 * @param values - the residuals
 * @returns the scale (`NaN` for none)
 * @example
 * ```ts
 * madAboutZero([1, -2, 3, -100]); // 1.4826 x median(1, 2, 3, 100) = 1.4826 x 2.5 = 3.7065
 * ```
 */
export function madAboutZero(values: ArrayLike<number>): number {
  const a = new Float64Array(values.length);
  for (let i = 0; i < a.length; i++) a[i] = Math.abs(values[i]);
  return MAD_TO_SD * median(a);
}

/**
 * The Gnanadesikan-Kettenring correlation of two residual series with the
 * MAD about zero as the scale: with `u = x / s(x)`, `v = y / s(y)`,
 * `rho = (s(u + v)^2 - s(u - v)^2) / (s(u + v)^2 + s(u - v)^2)`, in
 * [-1, 1]. 0 when either series' scale is 0, or both sums' scales are.
 *
 * @param x - the first series
 * @param y - the second (same length)
 * @returns the correlation
 * @example
 * ```ts
 * gkCorrelation([1, 2, -1, -2], [1, 2, -1, -2]);  // 1
 * gkCorrelation([1, 2, -1, -2], [-1, -2, 1, 2]);  // -1
 * ```
 */
export function gkCorrelation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`gkCorrelation: ${n} and ${y.length} values`);
  const sx = madAboutZero(x);
  const sy = madAboutZero(y);
  if (!(sx > 0) || !(sy > 0)) return 0;
  const plus = new Float64Array(n);
  const minus = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = x[i] / sx;
    const v = y[i] / sy;
    plus[i] = u + v;
    minus[i] = u - v;
  }
  const p = madAboutZero(plus) ** 2;
  const m = madAboutZero(minus) ** 2;
  return p + m > 0 ? (p - m) / (p + m) : 0;
}
