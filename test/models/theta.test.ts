/**
 * The Theta method against R's forecast::thetaf (values made by
 * test/golden/theta-golden.R, stored in test/golden/theta.json) and against
 * hand calculations.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nelderMead } from '../../src/math/nelderMead.js';
import { qnorm } from '../../src/math/normal.js';
import { sampleQuantile } from '../../src/models/distribution.js';
import { stepValues } from '../../src/models/paths.js';
import { fitMethod, minObservations } from '../../src/models/registry.js';
import { fitTheta } from '../../src/models/theta.js';
import { bootstrapPaths } from '../../src/uncertainty/bootstrap.js';

interface ThetaGolden {
  years: number[];
  values: number[];
  n: number;
  h: number;
  alpha: number;
  l0: number;
  sigma2: number;
  drift: number;
  last_level: number;
  mean: number[];
  lower80: number[];
  upper80: number[];
  lower95: number[];
  upper95: number[];
  fitted: number[];
  residuals: number[];
  optimizer: { value: number; fail: number; fncount: number };
  optimizer_start: { alpha: number; l: number };
}
const golden = JSON.parse(readFileSync(new URL('../golden/theta.json', import.meta.url), 'utf8')) as {
  meta: { forecast_version: string };
  series: Record<string, ThetaGolden>;
};

/** |a - e| <= rel * max(1, |e|) element by element. */
function expectClose(actual: readonly number[], expected: readonly number[], rel: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i];
    expect(Math.abs(a - e), `${what}[${i}]: carecast ${a} vs R ${e}`).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(e)));
  });
}

const derbyshire = [719, 802, 861, 899, 909, 995, 1057];

describe('theta against R thetaf (forecast 8.20)', () => {
  it('the golden file covers lengths 7, 8, 10, 14 and both bounds of alpha', () => {
    expect(golden.meta.forecast_version).toBe('8.20');
    const s = Object.values(golden.series);
    for (const n of [7, 8, 10, 14]) expect(s.some((x) => x.n === n)).toBe(true);
    expect(s.some((x) => x.alpha > 0.9999 - 1e-6)).toBe(true);
    expect(s.some((x) => x.alpha < 1e-4 + 1e-6)).toBe(true);
    expect(s.some((x) => x.alpha > 0.01 && x.alpha < 0.99)).toBe(true);
  });

  describe.each(Object.entries(golden.series))('%s', (name, g) => {
    const m = fitMethod('theta', g.values);
    const fc = m.forecast(g.h, { levels: [80, 95] });

    it('alpha, l0, sigma2, drift and the final level agree with R', () => {
      const p = m.diagnostics.params;
      expectClose([p.alpha], [g.alpha], 1e-12, `${name} alpha`);
      expectClose([p.l0], [g.l0], 1e-12, `${name} l0`);
      expectClose([p.level], [g.last_level], 1e-12, `${name} level`);
      expectClose([p.drift], [g.drift], 1e-9, `${name} drift`);
      expect(m.diagnostics.sigma2 / g.sigma2, `${name} sigma2`).toBeCloseTo(1, 12);
      expect(m.diagnostics.n).toBe(g.n);
    });

    it('point forecasts and 80/95% bounds agree with R to 1e-9 relative', () => {
      expectClose(fc.point, g.mean, 1e-9, `${name} mean`);
      expectClose(fc.intervals[0].lower, g.lower80, 1e-9, `${name} lower80`);
      expectClose(fc.intervals[0].upper, g.upper80, 1e-9, `${name} upper80`);
      expectClose(fc.intervals[1].lower, g.lower95, 1e-9, `${name} lower95`);
      expectClose(fc.intervals[1].upper, g.upper95, 1e-9, `${name} upper95`);
    });

    it("fitted values and residuals are R's (SES one-step forecasts, without the drift term)", () => {
      expectClose(m.diagnostics.fitted, g.fitted, 1e-12, `${name} fitted`);
      expectClose(m.diagnostics.residuals, g.residuals, 1e-9, `${name} residuals`);
    });

    it("the Nelder-Mead path is R's: same start, same optimum, same number of evaluations", () => {
      // R's objective for ets(y, "ANN", opt.crit = "mse"): the running-mean one-step MSE, Inf outside the bounds
      const y = g.values;
      const objective = ([a, l]: readonly number[]): number => {
        if (a < 1e-4 || a > 0.9999) return Infinity;
        let mse = 0;
        for (let i = 0; i < y.length; i++) {
          const e = y[i] - l;
          mse = (mse * i + e * e) / (i + 1);
          l += a * e;
        }
        return mse;
      };
      const l00 = y.slice(0, 10).reduce((s, v) => s + v, 0) / Math.min(10, y.length);
      expect(l00).toBe(g.optimizer_start.l);
      const r = nelderMead(objective, [1e-4 + 0.2 * (0.9999 - 1e-4), l00], { maxit: 2000 });
      expect(r.evaluations).toBe(g.optimizer.fncount);
      expect(r.value / g.optimizer.value).toBeCloseTo(1, 12);
      expect(r.par[0]).toBe(m.diagnostics.params.alpha);
      expect(r.par[1]).toBe(m.diagnostics.params.l0);
    });
  });
});

describe('theta by hand', () => {
  it('the forecast is l_n + b((h - 1) + (1 - (1 - alpha)^n) / alpha), the sd sigma sqrt(1 + (h - 1) alpha^2)', () => {
    const y = [34, 29, 31, 34, 33, 40, 39]; // Rutland 2011-2017: an interior alpha
    const m = fitTheta(y);
    const { alpha, l0, drift, level } = m.diagnostics.params;
    expect(alpha).toBeGreaterThan(0.5);
    expect(alpha).toBeLessThan(0.9);
    // SES from l0 by hand
    let l = l0;
    let sse = 0;
    for (const v of y) {
      sse += (v - l) ** 2;
      l += alpha * (v - l);
    }
    expect(level).toBeCloseTo(l, 10);
    expect(m.diagnostics.sigma2).toBeCloseTo(sse / (7 - 2), 10);
    // half the least-squares slope: t = 0..6, mean 3, Sxx = 28
    const sxy = y.reduce((s, v, t) => s + (t - 3) * v, 0);
    expect(drift).toBeCloseTo(sxy / 28 / 2, 12);
    expect(drift).toBeCloseTo(0.6964285714285714, 12); // 39/56
    const fc = m.forecast(4, { levels: [95] });
    const a = (1 - (1 - alpha) ** 7) / alpha;
    for (let h = 1; h <= 4; h++) {
      const mean = l + drift * (h - 1 + a);
      const sd = Math.sqrt(sse / 5) * Math.sqrt(1 + (h - 1) * alpha ** 2);
      expect(fc.point[h - 1]).toBeCloseTo(mean, 10);
      expect(fc.distributions[h - 1]).toEqual({ type: 'normal', mean: fc.point[h - 1], sd: expect.closeTo(sd, 10) });
      expect(fc.intervals[0].upper[h - 1]).toBeCloseTo(mean + qnorm(0.975) * sd, 9);
    }
  });

  it('a straight line: alpha goes to its upper bound and theta continues at half the slope', () => {
    const y = Array.from({ length: 8 }, (_, i) => 10 + 3 * (i + 1)); // 13, 16, ..., 34
    const m = fitTheta(y);
    const p = m.diagnostics.params;
    expect(p.alpha).toBeLessThanOrEqual(0.9999);
    expect(p.alpha).toBeGreaterThan(0.9999 - 1e-6);
    expect(p.drift).toBeCloseTo(1.5, 12);
    // SES with alpha ~ 1 keeps (nearly) the last value; the drift adds half the yearly 3
    expect(p.level).toBeCloseTo(34, 3);
    const fc = m.forecast(3);
    [35.5, 37, 38.5].forEach((v, i) => expect(fc.point[i]).toBeCloseTo(v, 3));
    // R: thetaf(ts(10 + 3 * (1:8)), h = 3)$mean = 35.49985 36.99985 38.49985
    [35.49985, 36.99985, 38.49985].forEach((v, i) => expect(fc.point[i]).toBeCloseTo(v, 5));
  });

  it('Derbyshire 2018-2024: alpha at its upper bound, drift 25.857 (R: 1082.854, 1108.711)', () => {
    const m = fitTheta(derbyshire);
    expect(m.diagnostics.params.alpha).toBeCloseTo(0.9999, 7);
    expect(m.diagnostics.params.drift).toBeCloseTo(1448 / 28 / 2, 10); // half the OLS slope 1448/28 = 51.714
    const fc = m.forecast(2);
    expect(fc.point[0]).toBeCloseTo(1082.854, 3);
    expect(fc.point[1]).toBeCloseTo(1108.711, 3);
  });

  it('a noisy level: alpha at its lower bound, the level stays at the mean and the drift term starts about n steps on', () => {
    const y = [100, 104, 97, 103, 98, 102, 99, 101, 100];
    const m = fitTheta(y);
    const { alpha, l0, level, drift } = m.diagnostics.params;
    expect(alpha).toBeGreaterThanOrEqual(1e-4);
    expect(alpha).toBeLessThan(1e-4 + 1e-6);
    const mean = y.reduce((s, v) => s + v, 0) / y.length;
    expect(l0).toBeCloseTo(mean, 1);
    expect(level).toBeCloseTo(l0, 1);
    expect(drift).toBeCloseTo(-0.05, 12);
    // (1 - (1 - alpha)^9) / alpha is 9 to within 0.004
    const fc = m.forecast(2);
    expect(fc.point[0]).toBeCloseTo(level + drift * 9, 3);
    expect(fc.point[1]).toBeCloseTo(level + drift * 10, 3);
  });

  it('a constant series: no drift, no spread (R: alpha stays at its start 0.20006)', () => {
    const m = fitTheta([50, 50, 50, 50, 50, 50, 50]);
    expect(m.diagnostics.params.alpha).toBeCloseTo(0.20006, 12);
    expect(m.diagnostics.params.drift).toBe(0);
    expect(m.diagnostics.sigma2).toBe(0);
    const fc = m.forecast(3);
    expect(fc.point).toEqual([50, 50, 50]);
    expect(fc.intervals[1].lower).toEqual([50, 50, 50]);
  });

  it('refuses fewer than 7 observations (R falls back to another estimator) and non-finite values', () => {
    expect(minObservations('theta')).toBe(7);
    expect(() => fitTheta(derbyshire.slice(0, 6))).toThrow(RangeError);
    expect(() => fitTheta(derbyshire.slice(0, 6))).toThrow(/theta needs at least 7 observations, got 6.*falls back to a different estimator/);
    expect(() => fitMethod('theta', [1, 2, 3])).toThrow(/needs at least 7/);
    expect(() => fitTheta([719, 802, Number.NaN, 899, 909, 995, 1057])).toThrow(RangeError);
    expect(() => fitTheta([719, 802, 861, Number.POSITIVE_INFINITY, 909, 995, 1057])).toThrow(/observation 4 is not a finite number/);
    expect(() => fitTheta(derbyshire).forecast(0)).toThrow(RangeError);
  });

  it('simulate(): SES paths plus the drift term have the analytic quantiles, also with alpha at its lower bound', () => {
    for (const y of [derbyshire, [461, 480, 465, 445, 470, 448, 448]]) {
      const m = fitTheta(y);
      const fc = m.forecast(5, { levels: [80, 95] });
      const sims = m.simulate(5, { paths: 40_000, seed: 11 });
      for (const step of [0, 4]) {
        const sorted = Array.from(stepValues(sims, step)).sort((a, b) => a - b);
        const width = fc.intervals[1].upper[step] - fc.intervals[1].lower[step];
        expect(Math.abs(sampleQuantile(sorted, 0.5) - fc.point[step])).toBeLessThan(0.02 * width);
        expect(Math.abs(sampleQuantile(sorted, 0.1) - fc.intervals[0].lower[step])).toBeLessThan(0.02 * width);
        expect(Math.abs(sampleQuantile(sorted, 0.975) - fc.intervals[1].upper[step])).toBeLessThan(0.02 * width);
      }
    }
  });

  it('bootstrap: resampled SES errors around the theta point path', () => {
    const y = [660, 700, 664, 628, 603, 585, 630, 719, 802, 861, 899, 909, 995, 1057];
    const m = fitTheta(y);
    const b = bootstrapPaths(m, 3, { paths: 4000, seed: 5 });
    expect(b.residuals).toBe(14);
    expect(b.residualScale).toBe('data');
    expect(b.parameterUncertainty).toBe(false);
    const fc = m.forecast(3);
    for (let h = 0; h < 3; h++) {
      const width = b.bands.intervals[b.bands.intervals.length - 1].upper[h] - b.bands.intervals[b.bands.intervals.length - 1].lower[h];
      expect(Math.abs(b.bands.mean[h] - fc.point[h])).toBeLessThan(0.05 * width);
    }
  });
});
