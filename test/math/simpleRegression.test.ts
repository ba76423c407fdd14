import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { olsSlope, predictionSe, simpleRegression } from '../../src/math/simpleRegression.js';

describe('simpleRegression', () => {
  it('fits y = a + b x by hand', () => {
    // x = 1, 2, 3; y = 2, 4, 7: mx 2, my 13/3; sxy = (-1)(-7/3) + 0 + (1)(8/3) = 5; sxx = 2; b = 2.5; a = 13/3 - 5 = -2/3
    const r = simpleRegression([1, 2, 3], [2, 4, 7]);
    expect(r.slope).toBeCloseTo(2.5, 14);
    expect(r.intercept).toBeCloseTo(-2 / 3, 14);
    // fitted 1.8333, 4.3333, 6.8333: residuals 1/6, -1/3, 1/6; RSS 1/36 + 1/9 + 1/36 = 1/6; sigma2 = RSS / 1
    expect(r.sigma2).toBeCloseTo(1 / 6, 14);
    // prediction se at x0 = 4: sqrt(1/6 * (1 + 1/3 + 4/2))
    expect(predictionSe(r, 4)).toBeCloseTo(Math.sqrt((1 / 6) * (1 + 1 / 3 + 2)), 14);
  });
});

describe('olsSlope', () => {
  it('is the least-squares slope, by hand', () => {
    expect(olsSlope([1, 2, 3], [2, 4, 7])).toBeCloseTo(2.5, 14);
    // two points: the slope through them
    expect(olsSlope([Math.log(1), Math.log(2)], [Math.log(3), Math.log(6)])).toBeCloseTo(1, 14);
  });
  it('is NaN with fewer than two points or one x value', () => {
    expect(olsSlope([1], [2])).toBeNaN();
    expect(olsSlope([2, 2, 2], [1, 2, 3])).toBeNaN();
    expect(() => olsSlope([1, 2], [1])).toThrow(RangeError);
  });
  it('equals simpleRegression’s slope wherever both are defined', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -1000, max: 1000 })), { minLength: 3, maxLength: 20 }), (pts) => {
        const x = pts.map(([a]) => a);
        const y = pts.map(([, b]) => b);
        if (new Set(x).size < 2) return;
        expect(olsSlope(x, y)).toBeCloseTo(simpleRegression(x, y).slope, 9);
      }),
    );
  });
});
