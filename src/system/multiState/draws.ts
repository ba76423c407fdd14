/**
 * The random draws of the simulation: Gamma (for the rates' posteriors)
 * and Poisson (starters per day), from an explicit seeded generator.
 *
 * @module
 */
import type { Rng } from '../../math/rng.js';

/**
 * Gamma(shape, 1) draw (Marsaglia & Tsang 2000; shape < 1 by the boost U^(1/a)).
 *
 * @param rng - the seeded generator
 * @param shape - the shape (0 or less gives 0)
 * @returns the draw
 * @example
 * ```ts
 * gammaDraw(createRng(1), 12) / 400; // a daily rate drawn from its posterior: 12 events in 400 days at risk
 * ```
 */
export function gammaDraw(rng: Rng, shape: number): number {
  if (shape <= 0) return 0;
  if (shape < 1) return gammaDraw(rng, shape + 1) * Math.pow(1 - rng.uniform(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.uniform();
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * Poisson draw: by multiplication of uniforms up to a mean of 30, by the normal approximation (rounded, not below 0) above.
 *
 * @param rng - the seeded generator
 * @param mean - the mean (0 or less gives 0)
 * @returns the draw
 * @example
 * ```ts
 * poissonDraw(createRng(1), 2.5); // starters on one day
 * ```
 */
export function poissonDraw(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
  const L = Math.exp(-mean);
  let k = 0;
  let p = 1;
  for (;;) {
    p *= rng.uniform();
    if (p <= L) return k;
    k++;
  }
}
