/** The bundled pooled DfE calibrations (per measure and method) and their use in forecast(). */
import { describe, expect, it } from 'vitest';
import { loadDfePanel, panelSeries } from '../../src/data/panel.js';
import { backtestPanel } from '../../src/evaluate/backtest.js';
import { calibrateConformal } from '../../src/evaluate/conformalBacktest.js';
import { forecast } from '../../src/project/forecast.js';
import { dfeAnalyticCoverage, dfeCalibrationMethods, loadDfeCalibration } from '../../src/uncertainty/dfeCalibration.js';

const derbyshire = [719, 802, 861, 899, 909, 995, 1057].map((value, i) => ({ year: 2018 + i, value }));

describe('loadDfeCalibration', () => {
  it('children in care: steps 1-10 for every method the panel is long enough for, each with at least 39 errors', () => {
    // the first origin each method allows (2011 + minimum training - 1) fixes how far ahead it can be scored by 2024;
    // the global methods need 2 years, as naive; their rate versions 2 years of population (published from 2019), so from origin 2020
    const steps: Record<string, number> = {
      auto: 10,
      naive: 10,
      drift: 10,
      linear: 10,
      loglinear: 10,
      theta: 7,
      dampedTrend: 4,
      repeatGrowth: 8,
      panelGrowth: 10,
      panelAR: 10,
      panelGrowthRate: 4,
      panelARRate: 4,
    };
    expect(dfeCalibrationMethods()).toEqual(['auto', 'naive', 'drift', 'linear', 'loglinear', 'dampedTrend', 'repeatGrowth', 'theta', 'panelGrowth', 'panelAR', 'panelGrowthRate', 'panelARRate']);
    for (const [m, H] of Object.entries(steps)) {
      const cal = loadDfeCalibration(m);
      expect(cal).toMatchObject({ kind: 'conformal', source: 'pooled', method: m, levels: [50, 80, 90, 95] });
      expect(cal.areas).toBeGreaterThan(140);
      expect(cal.steps.map((s) => s.h)).toEqual(Array.from({ length: H }, (_, i) => i + 1));
      expect(cal.extrapolation).toMatchObject({ calibratedSteps: H, minErrors: 39, fallback: false, floor: 0.5 });
      for (const s of cal.steps) {
        expect(s.n).toBeGreaterThanOrEqual(39);
        const q = s.levels.map((l) => l.upper);
        for (let i = 1; i < q.length; i++) expect(q[i]).toBeGreaterThanOrEqual(q[i - 1]); // nested levels
        expect(s.levels.every((l) => l.finite)).toBe(true);
      }
      for (const e of cal.extrapolation.exponents) expect(e.upper).toBeGreaterThanOrEqual(0.5);
    }
    // naive: errors per step (the 2018 gap makes step 7 outnumber step 6), and the fitted k per level
    const naive = loadDfeCalibration('naive');
    expect(naive.steps.map((s) => s.n)).toEqual([1496, 1344, 1191, 1039, 888, 741, 884, 733, 585, 437]);
    expect(naive.extrapolation.exponents.map((e) => Number(e.upper.toFixed(3)))).toEqual([0.723, 0.755, 0.768, 0.801]);
    expect(() => loadDfeCalibration('nope')).toThrow(/no bundled calibration of "nope" for children_in_care/);
  });

  it('the flows (2019-2024): naive, auto and the global methods 4 steps, the 3-year methods 3, the longer ones skipped', () => {
    for (const measure of ['started', 'ceased']) {
      expect(dfeCalibrationMethods({ measure })).toEqual(['auto', 'naive', 'drift', 'linear', 'loglinear', 'panelGrowth', 'panelAR', 'panelGrowthRate', 'panelARRate']);
      for (const m of ['naive', 'panelGrowth', 'panelAR', 'panelGrowthRate', 'panelARRate']) expect(loadDfeCalibration(m, { measure }).extrapolation.calibratedSteps).toBe(4);
      expect(loadDfeCalibration('drift', { measure }).extrapolation.calibratedSteps).toBe(3);
      expect(() => loadDfeCalibration('theta', { measure })).toThrow(/no bundled calibration of "theta" for .*theta needs 7 years of training data/);
    }
    expect(loadDfeCalibration('naive', { measure: 'started' }).steps.map((s) => s.n)).toEqual([595, 443, 294, 145]);
    expect(() => loadDfeCalibration('naive', { measure: 'kittens' })).toThrow(/no bundled calibration for the measure "kittens"/);
    expect(dfeCalibrationMethods({ measure: 'kittens' })).toEqual([]);
    // forecasts 1-3 ahead with an actual value: the 595 + 443 + 294 scaled ones and 9 whose training window never changed
    expect(dfeAnalyticCoverage('naive', { measure: 'started' })?.map((c) => c.n)).toEqual([1341, 1341]);
  });

  it('is what calibrateConformal gives on the bundled panel today (regenerate with benchmarks/make-dfe-calibration.ts)', () => {
    const series = panelSeries(loadDfePanel(), (s) => s.started);
    const bt = backtestPanel(series, { methods: ['drift'], horizon: 3 });
    expect(calibrateConformal(bt, { method: 'drift', levels: [50, 80, 90, 95] })).toEqual(loadDfeCalibration('drift', { measure: 'started' }));
  });

  it('a global method\'s calibration and analytic coverage are what its panel backtest gives, fitted as known at each origin', () => {
    const series = panelSeries(loadDfePanel(), (s) => s.started);
    // 2019-2024: origins 2020-2023, so steps 1-4 (the bundled file calibrates every step with errors, up to 10)
    const bt = backtestPanel(series, { methods: ['panelGrowth'], horizon: 4 });
    expect(calibrateConformal(bt, { method: 'panelGrowth', levels: [50, 80, 90, 95] })).toEqual(loadDfeCalibration('panelGrowth', { measure: 'started' }));
    // the analytic coverage: forecasts 1-3 ahead with an actual value, inside the method's own band
    const rows = [...bt.byArea.values()].flatMap((r) => r.forecasts).filter((f) => f.h <= 3 && f.actual !== null);
    const inside = (l: number) => rows.filter((f) => (f.actual as number) >= (f[`lo_${l}`] as number) && (f.actual as number) <= (f[`hi_${l}`] as number)).length;
    expect(dfeAnalyticCoverage('panelGrowth', { measure: 'started' })).toEqual([
      { level: 80, coverage: expect.closeTo(inside(80) / rows.length, 12), n: rows.length },
      { level: 95, coverage: expect.closeTo(inside(95) / rows.length, 12), n: rows.length },
    ]);
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

  it('analytic coverage 1-3 years ahead: too narrow for every single-series method on children in care; the global methods\' pooled bands short at 95%', () => {
    const global = ['panelGrowth', 'panelAR', 'panelGrowthRate', 'panelARRate'];
    for (const m of dfeCalibrationMethods()) {
      const cov = dfeAnalyticCoverage(m)!;
      expect(cov.map((c) => c.level)).toEqual([80, 95]);
      if (global.includes(m)) {
        // their analytic bands rest on the panel's pooled multi-step errors (decision 9), yet still hold under 95%
        expect(cov[1].coverage).toBeLessThan(0.95);
        continue;
      }
      expect(cov[0].coverage).toBeLessThan(0.75);
      expect(cov[1].coverage).toBeLessThan(0.9);
    }
    expect(dfeAnalyticCoverage('naive')).toEqual([
      { level: 80, coverage: expect.closeTo(0.667, 3), n: 4048 },
      { level: 95, coverage: expect.closeTo(0.818, 3), n: 4048 },
    ]);
  });
});
