/**
 * Ordinary least squares of y on a single regressor x (with intercept), with
 * the quantities needed for prediction intervals.
 *
 * @module
 */

/** A fitted simple linear regression. */
export interface SimpleRegression {
  /** Intercept. */
  readonly intercept: number;
  /** Slope. */
  readonly slope: number;
  /** Residual variance RSS / (n - 2). */
  readonly sigma2: number;
  /** Number of observations. */
  readonly n: number;
  /** Mean of x. */
  readonly xMean: number;
  /** Sum of squared deviations of x. */
  readonly sxx: number;
  /** Fitted values. */
  readonly fitted: number[];
}

/**
 * The least-squares slope of y on x, `sum((x - mx)(y - my)) / sum((x - mx)^2)`,
 * for as few as two points (no residual variance, no checks beyond equal
 * lengths): `NaN` when every x is the same or there are fewer than two points.
 *
 * @param x - regressor values
 * @param y - responses, same length as x
 * @returns the slope
 * @example
 * ```ts
 * olsSlope([Math.log(1), Math.log(2)], [Math.log(3), Math.log(6)]); // 1
 * ```
 */
export function olsSlope(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  if (n !== y.length) throw new RangeError(`x and y differ in length (${n} vs ${y.length})`);
  if (n < 2) return Number.NaN;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : Number.NaN;
}

/**
 * Fit y = a + b x by ordinary least squares.
 *
 * @param x - regressor values (not all equal)
 * @param y - responses, same length as x (at least 3)
 * @returns coefficients, residual variance and the x summaries
 * @throws RangeError for fewer than 3 points, unequal lengths, or constant x
 * @example
 * ```ts
 * simpleRegression([1, 2, 3], [2, 4, 7]).slope; // 2.5
 * ```
 */
export function simpleRegression(x: readonly number[], y: readonly number[]): SimpleRegression {
  const n = x.length;
  if (n !== y.length) throw new RangeError(`x and y differ in length (${n} vs ${y.length})`);
  if (n < 3) throw new RangeError(`regression needs at least 3 points, got ${n}`);
  const xMean = x.reduce((a, v) => a + v, 0) / n;
  const yMean = y.reduce((a, v) => a + v, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - xMean) ** 2;
    sxy += (x[i] - xMean) * (y[i] - yMean);
  }
  if (sxx === 0) throw new RangeError('regression needs at least two distinct x values');
  const slope = sxy / sxx;
  const intercept = yMean - slope * xMean;
  const fitted = x.map((v) => intercept + slope * v);
  const rss = y.reduce((a, v, i) => a + (v - fitted[i]) ** 2, 0);
  return { intercept, slope, sigma2: rss / (n - 2), n, xMean, sxx, fitted };
}

/**
 * Standard error of a new observation at x0 (prediction, not the mean):
 * `sqrt(sigma2 * (1 + 1/n + (x0 - xMean)^2 / sxx))`.
 *
 * @param fit - the regression
 * @param x0 - the new regressor value
 * @returns the prediction standard error
 * @example
 * ```ts
 * predictionSe(simpleRegression([1, 2, 3, 4], [1, 3, 2, 4]), 5);
 * ```
 */
export function predictionSe(fit: SimpleRegression, x0: number): number {
  return Math.sqrt(fit.sigma2 * (1 + 1 / fit.n + (x0 - fit.xMean) ** 2 / fit.sxx));
}

/**
 * Draw regression coefficients and a residual standard deviation from their
 * joint sampling distribution (with a flat prior this is also the
 * posterior): `sigma* = s sqrt(df / chi2_df)`, then (a, b) normal around the
 * estimates with covariance `sigma*^2 (X'X)^-1`. A new observation
 * `a + b x0 + sigma* z` then has exactly the Student t predictive
 * distribution of {@link predictionSe}.
 *
 * @param fit - the regression
 * @param chi2 - a chi-square draw with n - 2 degrees of freedom
 * @param z1 - a standard normal draw
 * @param z2 - another, independent
 * @returns intercept, slope and residual sd for one simulated path
 */
export function drawRegression(fit: SimpleRegression, chi2: number, z1: number, z2: number): { intercept: number; slope: number; sigma: number } {
  const sigma = Math.sqrt((fit.sigma2 * (fit.n - 2)) / chi2);
  // parameterise at the centre xMean, where intercept and slope are independent
  const centre = fit.intercept + fit.slope * fit.xMean + sigma * Math.sqrt(1 / fit.n) * z1;
  const slope = fit.slope + (sigma / Math.sqrt(fit.sxx)) * z2;
  return { intercept: centre - slope * fit.xMean, slope, sigma };
}
