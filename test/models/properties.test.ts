/** Property-based tests: invariants every method must keep, on random series. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitMethod } from '../../src/models/registry.js';
import { METHOD_NAMES } from '../../src/models/types.js';
import { forecast } from '../../src/project/forecast.js';

const series = fc.array(fc.integer({ min: 5, max: 3000 }), { minLength: 12, maxLength: 25 });
const logScale = new Set(['loglinear', 'repeatGrowth']);

describe('forecast invariants (fast-check)', () => {
  it.each(METHOD_NAMES)('%s: 80% band inside 95% band, bands widen with horizon', (method) => {
    fc.assert(
      fc.property(series, fc.integer({ min: 1, max: 15 }), (y, h) => {
        const f = fitMethod(method, y).forecast(h, { levels: [80, 95] });
        const [i80, i95] = f.intervals;
        for (let k = 0; k < h; k++) {
          expect(i95.lower[k]).toBeLessThanOrEqual(i80.lower[k] + 1e-9);
          expect(i80.lower[k]).toBeLessThanOrEqual(f.point[k] + 1e-9);
          expect(f.point[k]).toBeLessThanOrEqual(i80.upper[k] + 1e-9);
          expect(i80.upper[k]).toBeLessThanOrEqual(i95.upper[k] + 1e-9);
        }
        for (let k = 1; k < h; k++) {
          // log-scale methods widen in ratio terms; additive ones in absolute terms
          const w = (iv: typeof i95, j: number): number => (logScale.has(method) ? Math.log(iv.upper[j] / iv.lower[j]) : iv.upper[j] - iv.lower[j]);
          expect(w(i95, k)).toBeGreaterThanOrEqual(w(i95, k - 1) - 1e-9 * Math.max(1, Math.abs(w(i95, k - 1))));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('projections never go below zero, and the same input gives the same numbers', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 4, maxLength: 15 }), fc.constantFrom(...METHOD_NAMES, 'auto' as const), (vals, method) => {
        const pts = vals.map((value, i) => ({ year: 2005 + i, value: method === 'loglinear' || method === 'repeatGrowth' ? value + 1 : value }));
        let p;
        try {
          p = forecast(pts, { horizon: 8, method });
        } catch (e) {
          // only "too short for this method" may refuse
          expect(String(e)).toMatch(/needs at least|too short/);
          return;
        }
        for (const v of p.point) expect(v).toBeGreaterThanOrEqual(0);
        for (const iv of p.intervals) for (const v of iv.lower) expect(v).toBeGreaterThanOrEqual(0);
        expect(forecast(pts, { horizon: 8, method })).toEqual(p);
      }),
      { numRuns: 80 },
    );
  });
});
