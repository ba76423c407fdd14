/** The bundled pooled DfE calibration and its use in forecast(). */
import { describe, expect, it } from 'vitest';
import { forecast } from '../../src/project/forecast.js';
import { loadDfeCalibration } from '../../src/uncertainty/dfeCalibration.js';

const derbyshire = [719, 802, 861, 899, 909, 995, 1057].map((value, i) => ({ year: 2018 + i, value }));

describe('loadDfeCalibration', () => {
  it('holds pooled step quantiles for every simple method, widening with the step', () => {
    for (const m of ['auto', 'naive', 'drift', 'linear', 'loglinear', 'repeatGrowth']) {
      const cal = loadDfeCalibration(m);
      expect(cal).toMatchObject({ kind: 'conformal', source: 'pooled', method: m, levels: [50, 80, 90, 95] });
      expect(cal.areas).toBeGreaterThan(140);
      expect(cal.steps.map((s) => s.h)).toEqual([1, 2, 3]);
      for (const s of cal.steps) {
        const q = s.levels.map((l) => l.upper);
        for (let i = 1; i < q.length; i++) expect(q[i]).toBeGreaterThanOrEqual(q[i - 1]); // nested levels
      }
      const up95 = cal.steps.map((s) => s.levels.find((l) => l.level === 95)?.upper ?? 0);
      expect(up95[1]).toBeGreaterThan(up95[0]);
      expect(up95[2]).toBeGreaterThan(up95[1]);
    }
    expect(() => loadDfeCalibration('dampedTrend')).toThrow(/no bundled calibration for "dampedTrend"/);
  });
  it('forecast with it: band = point ± quantile x the series\u2019 mean yearly change', () => {
    const conformal = loadDfeCalibration('drift');
    const p = forecast(derbyshire, { to: 2027, method: 'drift', intervals: 'conformal', conformal, levels: [80] });
    expect(p.intervalMethod).toBe('conformal');
    const scale = (1057 - 719) / 6; // mean absolute yearly change (all changes positive)
    const q = conformal.steps[0].levels.find((l) => l.level === 80);
    expect(p.intervals[0].upper[0]).toBeCloseTo(p.point[0] + (q?.upper ?? 0) * scale, 6);
    expect(p.intervals[0].lower[0]).toBeCloseTo(p.point[0] + (q?.lower ?? 0) * scale, 6);
  });
});
