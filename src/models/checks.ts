/**
 * Argument checks shared by the model fits.
 *
 * @module
 */

/**
 * Check a series handed to a model fit: every value finite, at least
 * `minLength` values, and (for log-scale models) every value positive.
 *
 * @param y - the series
 * @param method - the method name, for the message
 * @param minLength - the fewest observations the method needs
 * @param positive - whether values must be > 0
 * @throws RangeError naming the method, the rule and the value found
 */
export function checkSeries(y: readonly number[], method: string, minLength: number, positive = false): void {
  if (y.length < minLength) {
    throw new RangeError(`${method} needs at least ${minLength} observations, got ${y.length}`);
  }
  y.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new RangeError(`${method}: observation ${i + 1} is not a finite number (${v})`);
    if (positive && v <= 0) {
      throw new RangeError(`${method} works on the log scale and needs values > 0; observation ${i + 1} is ${v}`);
    }
  });
}

/**
 * Check a forecast horizon: a positive whole number.
 *
 * @param h - the horizon
 * @throws RangeError when h is not a positive integer
 */
export function checkHorizon(h: number): void {
  if (!Number.isInteger(h) || h < 1) throw new RangeError(`horizon must be a positive whole number of periods, got ${h}`);
}
