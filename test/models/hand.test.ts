/** Models and maths against hand calculations. */
import { describe, expect, it } from 'vitest';
import { pnorm, qnorm } from '../../src/math/normal.js';
import { pt, qt } from '../../src/math/studentT.js';
import { nelderMead } from '../../src/math/nelderMead.js';
import { fitNaive } from '../../src/models/naive.js';
import { fitDrift } from '../../src/models/drift.js';
import { fitLinear } from '../../src/models/linear.js';
import { fitLoglinear } from '../../src/models/loglinear.js';
import { fitRepeatGrowth } from '../../src/models/repeatGrowth.js';
import { fitDampedTrend } from '../../src/models/dampedTrend.js';
import { intervalsOf, quantileOf, sampleQuantile, checkLevels } from '../../src/models/distribution.js';
import { fitMethod } from '../../src/models/registry.js';

describe('quantile functions', () => {
  it('qnorm matches tabulated values (R qnorm)', () => {
    expect(qnorm(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(qnorm(0.9)).toBeCloseTo(1.2815515655446004, 14);
    expect(qnorm(0.5)).toBe(0);
    expect(qnorm(1e-10)).toBeCloseTo(-6.361340902404056, 10);
    expect(pnorm(qnorm(0.123))).toBeCloseTo(0.123, 14);
    expect(() => qnorm(1)).toThrow(RangeError);
  });
  it('qt matches R qt', () => {
    expect(qt(0.975, 10)).toBeCloseTo(2.2281388519649385, 10);
    expect(qt(0.9, 5)).toBeCloseTo(1.4758840488244813, 10);
    expect(qt(0.025, 3)).toBeCloseTo(-3.182446305284263, 10);
    expect(qt(0.975, 1)).toBeCloseTo(12.706204736174694, 8);
    expect(pt(qt(0.8, 7), 7)).toBeCloseTo(0.8, 12);
  });
  it('sample quantiles follow R type 7', () => {
    expect(sampleQuantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(sampleQuantile([1, 2, 3, 4, 5], 0.9)).toBeCloseTo(4.6, 12);
  });
  it('levels are checked and sorted', () => {
    expect(checkLevels([95, 80, 80])).toEqual([80, 95]);
    expect(() => checkLevels([100])).toThrow(/between 0 and 100/);
  });
  it('exp distributions give asymmetric bands', () => {
    const d = { type: 'exp', of: { type: 'normal', mean: Math.log(100), sd: 0.1 } } as const;
    expect(quantileOf(d, 0.5)).toBeCloseTo(100, 10);
    const [iv] = intervalsOf([d], [95]);
    expect(iv.lower[0]).toBeCloseTo(100 * Math.exp(-0.1 * 1.959963984540054), 10);
    expect(iv.upper[0] - 100).toBeGreaterThan(100 - iv.lower[0]);
  });
});

describe('Nelder-Mead', () => {
  it('finds the minimum of the Rosenbrock function', () => {
    const r = nelderMead(([x, y]) => 100 * (y - x * x) ** 2 + (1 - x) ** 2, [-1.2, 1], { maxit: 5000, reltol: 1e-12 });
    expect(r.par[0]).toBeCloseTo(1, 3);
    expect(r.par[1]).toBeCloseTo(1, 3);
  });
  it('treats Infinity as outside the feasible region', () => {
    const r = nelderMead(([x]) => (x < 0 ? Infinity : (x - 2.3) ** 2), [0.7], { maxit: 1000 });
    expect(r.par[0]).toBeCloseTo(2.3, 3);
  });
});

describe('baseline methods by hand', () => {
  const y = [719, 802, 861, 899, 909, 995, 1057]; // Derbyshire children in care 2018-2024
  it('naive: last value, variance = mean squared difference x h', () => {
    const m = fitNaive(y);
    // differences 83, 59, 38, 10, 86, 62: mean square = 23154 / 6 = 3859
    expect(m.diagnostics.sigma2).toBeCloseTo(3859, 10);
    const fc = m.forecast(4, { levels: [95] });
    expect(fc.point).toEqual([1057, 1057, 1057, 1057]);
    expect(fc.intervals[0].upper[3]).toBeCloseTo(1057 + 1.959963984540054 * Math.sqrt(3859 * 4), 8);
  });
  it('drift: (last - first) / (n - 1) a year', () => {
    const m = fitDrift(y);
    expect(m.diagnostics.params.drift).toBeCloseTo((1057 - 719) / 6, 12);
    expect(m.forecast(2).point[1]).toBeCloseTo(1057 + (2 * 338) / 6, 10);
  });
  it('linear: least-squares slope of a straight line is exact', () => {
    const m = fitLinear([10, 12, 14, 16, 18]);
    expect(m.diagnostics.params.slope).toBeCloseTo(2, 12);
    expect(m.forecast(2).point).toEqual([20, 22].map((v) => expect.closeTo(v, 10)));
  });
  it('loglinear: a constant 10% growth is recovered', () => {
    const m = fitLoglinear([100, 110, 121, 133.1]);
    expect(m.diagnostics.params.growth).toBeCloseTo(0.1, 12);
    expect(m.forecast(1).point[0]).toBeCloseTo(146.41, 8);
  });
  it('repeatGrowth: the Derbyshire statement, 995 x 1.38 = 1373 by 2028', () => {
    // 2018-2023: 719 -> 995 is +38.39%, published as 38%
    const m = fitRepeatGrowth([719, 802, 861, 899, 909, 995], { window: 5, roundPercent: 0 });
    expect(m.diagnostics.params.windowGrowth).toBe(0.38);
    const fc = m.forecast(5);
    expect(fc.point[4]).toBeCloseTo(995 * 1.38, 8); // 1373.1
    expect(Math.round(fc.point[4])).toBe(1373);
    expect(Math.round(fc.point[4] - 995)).toBe(378); // "expected to increase by 378 over the next 5 years"
    // unrounded: 995 x 995/719
    const raw = fitRepeatGrowth([719, 802, 861, 899, 909, 995]);
    expect(raw.forecast(5).point[4]).toBeCloseTo((995 * 995) / 719, 8);
  });
  it('repeatGrowth intervals: log random walk with drift estimated over the window', () => {
    const y6 = [719, 802, 861, 899, 909, 995];
    const d = y6.slice(1).map((v, i) => Math.log(v / y6[i]));
    const mean = d.reduce((a, v) => a + v, 0) / 5;
    const s2 = d.reduce((a, v) => a + (v - mean) ** 2, 0) / 4;
    const fc = fitRepeatGrowth(y6).forecast(3, { levels: [80] });
    const sd = Math.sqrt(s2 * 3 + (s2 * 9) / 5);
    expect(fc.intervals[0].upper[2]).toBeCloseTo(fc.point[2] * Math.exp(qnorm(0.9) * sd), 8);
  });
  it('dampedTrend: needs 10 observations like R ets, and the forecast damps', () => {
    expect(() => fitDampedTrend(y)).toThrow(/at least 10/);
    const long = [660, 700, 664, 628, 603, 585, 630, 719, 802, 861, 899, 909, 995, 1057];
    const m = fitDampedTrend(long);
    const { phi, alpha, beta } = m.diagnostics.params;
    expect(phi).toBeGreaterThanOrEqual(0.8);
    expect(phi).toBeLessThanOrEqual(0.98);
    expect(beta).toBeLessThanOrEqual(alpha);
    const fc = m.forecast(30);
    const steps = fc.point.slice(1).map((v, i) => v - fc.point[i]);
    // increments shrink geometrically by phi
    expect(steps[5] / steps[4]).toBeCloseTo(phi, 8);
  });
  it('fitMethod rejects bad input with a clear message', () => {
    expect(() => fitMethod('naive', [1])).toThrow(/at least 2 observations, got 1/);
    expect(() => fitMethod('loglinear', [1, 0, 2])).toThrow(/values > 0/);
    expect(() => fitMethod('drift', [1, Number.NaN, 2])).toThrow(/not a finite number/);
    expect(() => fitNaive([1, 2]).forecast(0)).toThrow(/positive whole number/);
  });
});
