/** pathBands: quantiles by multiple selection equal R type-7 quantiles of the sorted sample. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleQuantile } from '../../src/models/distribution.js';
import { pathBands, pathMedians } from '../../src/uncertainty/pathBands.js';

describe('pathBands', () => {
  it('equals type-7 quantiles of the fully sorted sample, ties and all (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 1e6 }), fc.boolean(), (n, H, seed, ties) => {
        const values = new Float64Array(n * H);
        let s = seed;
        for (let i = 0; i < values.length; i++) {
          s = (s * 1103515245 + 12345) % 2147483648;
          values[i] = ties ? s % 7 : s / 2147483648;
        }
        const b = pathBands({ paths: n, horizon: H, values }, [50, 80, 95]);
        for (let h = 0; h < H; h++) {
          const col = Array.from({ length: n }, (_, p) => values[p * H + h]).sort((a, c) => a - c);
          expect(b.median[h]).toBeCloseTo(sampleQuantile(col, 0.5), 12);
          for (const [k, arr] of Object.entries(b.quantiles)) expect(arr[h]).toBeCloseTo(sampleQuantile(col, Number(k.slice(1)) / 100), 12);
          for (const iv of b.intervals) {
            const a = (1 - iv.level / 100) / 2;
            expect(iv.lower[h]).toBeCloseTo(sampleQuantile(col, a), 12);
            expect(iv.upper[h]).toBeCloseTo(sampleQuantile(col, 1 - a), 12);
          }
          expect(b.mean[h]).toBeCloseTo(col.reduce((x, y) => x + y, 0) / n, 9);
        }
      }),
      { numRuns: 200 },
    );
  });
  it('large and skewed samples (the bucket selection), zeros and ties: the same type-7 quantiles; pathMedians the same medians (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 60, max: 2500 }), fc.integer({ min: 0, max: 1e6 }), fc.constantFrom('lognormal', 'zeros', 'spike', 'uniform'), (n, seed, shape) => {
        const H = 2;
        const values = new Float64Array(n * H);
        let s = seed + 1;
        const u = (): number => {
          s = (s * 1103515245 + 12345) % 2147483648;
          return (s + 0.5) / 2147483648;
        };
        for (let i = 0; i < values.length; i++) {
          const x = u();
          values[i] = shape === 'lognormal' ? Math.exp(8 * (x - 0.5)) : shape === 'zeros' ? (x < 0.3 ? 0 : x * 100) : shape === 'spike' ? (x < 0.999 ? 1 : 1e9) : x;
        }
        const b = pathBands({ paths: n, horizon: H, values }, [80, 95]);
        const m = pathMedians({ paths: n, horizon: H, values });
        for (let h = 0; h < H; h++) {
          const col = Array.from({ length: n }, (_, p) => values[p * H + h]).sort((a, c) => a - c);
          expect(b.median[h]).toBe(sampleQuantile(col, 0.5));
          expect(m[h]).toBe(sampleQuantile(col, 0.5));
          for (const [k, arr] of Object.entries(b.quantiles)) expect(arr[h]).toBeCloseTo(sampleQuantile(col, Number(k.slice(1)) / 100), 9);
          for (const iv of b.intervals) expect(iv.upper[h]).toBeCloseTo(sampleQuantile(col, 1 - (1 - iv.level / 100) / 2), 9);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('hand example: 1..10', () => {
    const b = pathBands({ paths: 10, horizon: 1, values: Float64Array.from([5, 3, 9, 1, 7, 2, 8, 10, 4, 6]) }, [80]);
    expect(b.median[0]).toBe(5.5);
    expect(b.intervals[0].lower[0]).toBeCloseTo(1.9, 12); // (10-1)*0.1 = 0.9 -> 1 + 0.9*(2-1)
    expect(b.quantiles.p90[0]).toBeCloseTo(9.1, 12);
  });
});
