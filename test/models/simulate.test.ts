/** Simulated sample paths agree with the analytic intervals, and are reproducible. */
import { describe, expect, it } from 'vitest';
import { createRng, streamSeed } from '../../src/math/rng.js';
import { sampleQuantile } from '../../src/models/distribution.js';
import { pathAt, stepValues } from '../../src/models/paths.js';
import { fitMethod } from '../../src/models/registry.js';
import { METHOD_NAMES } from '../../src/models/types.js';

const y = [660, 700, 664, 628, 603, 585, 630, 719, 802, 861, 899, 909, 995, 1057]; // Derbyshire 2011-2024 (2018 from the seeds)

describe('simulate()', () => {
  it.each(METHOD_NAMES)('%s: step quantiles match the analytic 80%/95% bounds within Monte Carlo error', (method) => {
    const m = fitMethod(method, y);
    const h = 6;
    const fc = m.forecast(h, { levels: [80, 95] });
    const sims = m.simulate(h, { paths: 40_000, seed: 7 });
    for (const step of [0, 2, 5]) {
      const sorted = Array.from(stepValues(sims, step)).sort((a, b) => a - b);
      const width = fc.intervals[1].upper[step] - fc.intervals[1].lower[step];
      for (const [iv, lo, hi] of [
        [fc.intervals[0], 0.1, 0.9],
        [fc.intervals[1], 0.025, 0.975],
      ] as const) {
        // Monte Carlo error of a tail quantile with 40k draws is well under 2% of the 95% width
        expect(Math.abs(sampleQuantile(sorted, lo) - iv.lower[step])).toBeLessThan(0.02 * width);
        expect(Math.abs(sampleQuantile(sorted, hi) - iv.upper[step])).toBeLessThan(0.02 * width);
      }
    }
  });

  it('the same seed gives the same paths; another seed gives others', () => {
    const m = fitMethod('drift', y);
    const a = m.simulate(5, { paths: 50, seed: 3 });
    const b = m.simulate(5, { paths: 50, seed: 3 });
    const c = m.simulate(5, { paths: 50, seed: 4 });
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    expect(Array.from(a.values)).not.toEqual(Array.from(c.values));
    expect(pathAt(a, 2, 4)).toBe(a.values[2 * 5 + 4]);
  });

  it('the generator: uniform mean 1/2, normal mean 0 and variance 1, independent streams', () => {
    const rng = createRng(123);
    let su = 0;
    let sz = 0;
    let szz = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      su += rng.uniform();
      const z = rng.normal();
      sz += z;
      szz += z * z;
    }
    expect(su / n).toBeCloseTo(0.5, 2);
    expect(sz / n).toBeCloseTo(0, 2);
    expect(szz / n).toBeCloseTo(1, 1);
    expect(streamSeed(1, 0)).not.toBe(streamSeed(1, 1));
    expect(createRng(streamSeed(5, 2)).uniform()).toBe(createRng(streamSeed(5, 2)).uniform());
    expect(() => createRng(Number.NaN)).toThrow(/finite/);
  });
});
