/** Property tests for the bootstrap and conformal interval methods through forecast(). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forecast } from '../../src/project/forecast.js';
import { calibrateConformalErrors, conformalBands, conformalOffsets } from '../../src/uncertainty/conformal.js';
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
        const p = forecast(toPoints(v), { horizon: 14, method: 'naive', intervals: 'conformal', conformal, levels: [80, 95] });
        const [i80, i95] = p.intervals;
        for (let k = 0; k < 14; k++) {
          expect(i95.lower[k]).toBeLessThanOrEqual(i80.lower[k] + 1e-9);
          expect(i80.upper[k]).toBeLessThanOrEqual(i95.upper[k] + 1e-9);
          expect(i95.lower[k]).toBeGreaterThanOrEqual(0);
          if (k > 0) expect(i95.upper[k] - p.point[k]).toBeGreaterThanOrEqual(i95.upper[k - 1] - p.point[k - 1] - 1e-9);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('beyond the calibrated steps the bands widen with h and are never narrower than at H (any calibration, either shape)', () => {
    // per step 40 to 60 scale-free errors, of any sign and size; the step count and shape vary
    const errors = fc.array(fc.array(fc.double({ min: -8, max: 8, noNaN: true }), { minLength: 40, maxLength: 60 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(errors, fc.constantFrom('symmetric', 'asymmetric') as fc.Arbitrary<'symmetric' | 'asymmetric'>, (byStep, shape) => {
        const cal = calibrateConformalErrors(byStep, { method: 'naive', levels: [50, 80, 95], shape });
        const H = cal.extrapolation.calibratedSteps;
        expect(H).toBe(byStep.length);
        for (const e of cal.extrapolation.exponents) {
          expect(e.lower).toBeGreaterThanOrEqual(0.5);
          expect(e.upper).toBeGreaterThanOrEqual(0.5);
        }
        const atH = conformalOffsets(cal, H)!.levels;
        let prev = atH;
        for (let h = H + 1; h <= H + 12; h++) {
          const o = conformalOffsets(cal, h)!;
          expect(o.extrapolated).toBe(true);
          o.levels.forEach((l, j) => {
            // each end moves away from 0 (or stays at 0), so a band holding the point widens
            expect(Math.abs(l.upper)).toBeGreaterThanOrEqual(Math.abs(prev[j].upper) - 1e-12);
            expect(Math.abs(l.lower)).toBeGreaterThanOrEqual(Math.abs(prev[j].lower) - 1e-12);
            expect(Math.sign(l.upper)).toBe(Math.sign(atH[j].upper));
            expect(Math.sign(l.lower)).toBe(Math.sign(atH[j].lower));
            if (atH[j].lower <= 0 && atH[j].upper >= 0) {
              expect(l.upper - l.lower).toBeGreaterThanOrEqual(prev[j].upper - prev[j].lower - 1e-12);
              expect(l.upper - l.lower).toBeGreaterThanOrEqual(atH[j].upper - atH[j].lower - 1e-12);
            }
          });
          prev = o.levels;
        }
        // and through conformalBands around a flat point: the same widths, times the scale
        const b = conformalBands(Array<number>(H + 5).fill(100), 3, cal, { levels: [80] });
        expect(b.steps.filter((s) => s.extrapolated).map((s) => s.h)).toEqual([1, 2, 3, 4, 5].map((i) => H + i));
        if (shape === 'symmetric') {
          for (let i = H; i < H + 5; i++) expect(b.intervals[0].upper[i] - b.intervals[0].lower[i]).toBeGreaterThanOrEqual(b.intervals[0].upper[i - 1] - b.intervals[0].lower[i - 1] - 1e-9);
        }
      }),
      { numRuns: 60 },
    );
  });
});
