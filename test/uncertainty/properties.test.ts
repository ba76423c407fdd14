/** Property tests for the bootstrap and conformal interval methods through forecast(). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forecast } from '../../src/project/forecast.js';
import { loadDfeCalibration } from '../../src/uncertainty/dfeCalibration.js';

const series = fc.array(fc.integer({ min: 20, max: 2000 }), { minLength: 8, maxLength: 14 });
const toPoints = (v: number[]) => v.map((value, i) => ({ year: 2008 + i, value }));

describe('interval methods (fast-check)', () => {
  it('bootstrap: 80% inside 95%, never negative, identical for the same seed', () => {
    fc.assert(
      fc.property(series, fc.constantFrom('naive', 'drift', 'linear') as fc.Arbitrary<'naive' | 'drift' | 'linear'>, fc.integer({ min: 1, max: 1000 }), (v, method, seed) => {
        const opts = { horizon: 5, method, intervals: 'bootstrap' as const, bootstrap: { paths: 300, seed } };
        const p = forecast(toPoints(v), opts);
        const [i80, i95] = p.intervals;
        for (let k = 0; k < 5; k++) {
          expect(i95.lower[k]).toBeLessThanOrEqual(i80.lower[k] + 1e-9);
          expect(i80.upper[k]).toBeLessThanOrEqual(i95.upper[k] + 1e-9);
          expect(i95.lower[k]).toBeGreaterThanOrEqual(0);
        }
        expect(forecast(toPoints(v), opts).intervals).toEqual(p.intervals);
      }),
      { numRuns: 25 },
    );
  });
  it('pooled conformal: nested, widening with the step, never negative', () => {
    const conformal = loadDfeCalibration('naive');
    fc.assert(
      fc.property(series, (v) => {
        const p = forecast(toPoints(v), { horizon: 6, method: 'naive', intervals: 'conformal', conformal, levels: [80, 95] });
        const [i80, i95] = p.intervals;
        for (let k = 0; k < 6; k++) {
          expect(i95.lower[k]).toBeLessThanOrEqual(i80.lower[k] + 1e-9);
          expect(i80.upper[k]).toBeLessThanOrEqual(i95.upper[k] + 1e-9);
          expect(i95.lower[k]).toBeGreaterThanOrEqual(0);
          if (k > 0) expect(i95.upper[k] - p.point[k]).toBeGreaterThanOrEqual(i95.upper[k - 1] - p.point[k - 1] - 1e-9);
        }
      }),
      { numRuns: 40 },
    );
  });
});
