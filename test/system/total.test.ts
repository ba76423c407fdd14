/** The anchored total: the copula paths on a tiny calibration by hand, their marginals and rank dependence, and the same point as forecast(). */
import { describe, expect, it } from 'vitest';
import { loadDfePanelArea } from '../../src/data/panel.js';
import { pnorm } from '../../src/math/normal.js';
import { fillNormal, normalStream } from '../../src/math/rng.js';
import { forecast } from '../../src/project/forecast.js';
import { conformalBands, calibrateConformalErrors } from '../../src/uncertainty/conformal.js';
import { dfeSystemInput } from '../../src/system/dfeInput.js';
import { projectSystem } from '../../src/system/projectSystem.js';
import { anchorTotal, copulaPaths, stepQuantile } from '../../src/system/total.js';

describe('the predictive quantile function Q_h (decision 17)', () => {
  it('interpolates linearly between ((i - 1/2) / n, v_i), constant beyond the ends', () => {
    const q = stepQuantile({ type: 'sample', values: [120, 90, 100] });
    expect(q(0.5)).toBe(100);
    expect(q(1 / 3)).toBeCloseTo(95, 12); // halfway from 1/6 (90) to 1/2 (100)
    expect(q(2 / 3)).toBeCloseTo(110, 12);
    expect(q(0.1)).toBe(90);
    expect(q(0.95)).toBe(120);
    // any other distribution: its quantile function
    expect(stepQuantile({ type: 'normal', mean: 10, sd: 2 })(0.975)).toBeCloseTo(10 + 2 * 1.959963984540054, 10);
  });
});

describe('copula paths (section 1)', () => {
  it('a tiny calibration by hand: value_h = point_h + scale Q_h(Phi((W_1 + ... + W_h) / sqrt h)), clipped at 0', () => {
    // two steps, three offsets each (point + scale x offsets is the predictive distribution)
    const cal = calibrateConformalErrors([[1, 0, -2], [2, 0, -3]], { method: 'naive', levels: [50], minErrors: 1 });
    const point = [100, 104];
    const bands = conformalBands(point, 10, cal, { levels: [50] });
    // offsets are -error, sorted: step 1 [-1, 0, 2] -> 90, 100, 120; step 2 [-2, 0, 3] -> 84, 104, 134
    expect(bands.distributions).toEqual([
      { type: 'sample', values: [90, 100, 120] },
      { type: 'sample', values: [84, 104, 134] },
    ]);
    const paths = copulaPaths({ distributions: bands.distributions }, 5, normalStream(42));
    const w = new Float64Array(10);
    fillNormal(normalStream(42), w);
    const q1 = (u: number): number => (u <= 1 / 6 ? 90 : u >= 5 / 6 ? 120 : u <= 0.5 ? 90 + (u - 1 / 6) * 3 * 10 : 100 + (u - 0.5) * 3 * 20);
    const q2 = (u: number): number => (u <= 1 / 6 ? 84 : u >= 5 / 6 ? 134 : u <= 0.5 ? 84 + (u - 1 / 6) * 3 * 20 : 104 + (u - 0.5) * 3 * 30);
    for (let p = 0; p < 5; p++) {
      expect(paths.values[p * 2]).toBeCloseTo(q1(pnorm(w[p * 2])), 10);
      expect(paths.values[p * 2 + 1]).toBeCloseTo(q2(pnorm((w[p * 2] + w[p * 2 + 1]) / Math.SQRT2)), 10);
    }
    // clipped at 0
    const low = copulaPaths({ distributions: [{ type: 'sample', values: [-50, -10, 5] }] }, 200, normalStream(1));
    expect(Math.min(...low.values)).toBe(0);
  });

  it('each step has the forecast distribution as its marginal, and steps h, h\' have the rank correlation of a random walk', () => {
    const dist = { type: 'sample' as const, values: Array.from({ length: 100 }, (_, i) => 1000 + 10 * (i - 49.5)) };
    const n = 40_000;
    const paths = copulaPaths({ distributions: [dist, dist, dist, dist] }, n, normalStream(5));
    const q = stepQuantile(dist);
    for (const h of [0, 3]) {
      const col = Array.from({ length: n }, (_, p) => paths.values[p * 4 + h]).sort((a, b) => a - b);
      for (const u of [0.1, 0.5, 0.9]) expect(Math.abs(col[Math.floor(u * n)] - q(u))).toBeLessThan(6); // Monte Carlo sd about 1.5-2.5
    }
    // Spearman between step 1 and step 4: the Gaussian copula with rho = sqrt(1/4) = 0.5 gives (6 / pi) asin(0.25) = 0.4826
    const rank = (h: number): Float64Array => {
      const idx = Array.from({ length: n }, (_, p) => p).sort((a, b) => paths.values[a * 4 + h] - paths.values[b * 4 + h]);
      const r = new Float64Array(n);
      idx.forEach((p, i) => (r[p] = i));
      return r;
    };
    const r1 = rank(0);
    const r4 = rank(3);
    let s = 0;
    const m = (n - 1) / 2;
    let v = 0;
    for (let p = 0; p < n; p++) {
      s += (r1[p] - m) * (r4[p] - m);
      v += (r1[p] - m) ** 2;
    }
    expect(s / v).toBeCloseTo((6 / Math.PI) * Math.asin(0.25), 1.5);
  });
});

describe('the total is the default forecast', () => {
  it('projectSystem\'s total point is forecast(stock)\'s, number for number (Derby, the bundled panel)', () => {
    const derby = loadDfePanelArea('Derby');
    const sys = projectSystem(dfeSystemInput(derby), { to: 2035, paths: 200 });
    const p = forecast(derby.childrenInCare, { to: 2035 });
    expect(sys.stock.point).toEqual(p.point);
    expect(sys.total.summary).toBe(p.summary);
    expect(sys.years).toEqual(p.years);
  });

  it('asked for another method, the total follows it and the caveats say how it differs from the default', () => {
    const derby = loadDfePanelArea('Derby');
    const a = anchorTotal(derby.childrenInCare, 5, [80, 95], { method: 'drift', intervals: 'analytic' });
    expect(a.projection.method).toBe('drift');
    expect(a.projection.point).toEqual(forecast(derby.childrenInCare, { horizon: 5, method: 'drift', intervals: 'analytic' }).point);
    expect(a.note).toMatch(/^The total follows what was asked \(drift, analytic bands\), not the default \(panelGrowth, its own pooled bands\): \d[\d,]* in 2029, 80% band [\d,]+-[\d,]+, against [\d,]+, 80% band [\d,]+-[\d,]+ by default\.$/);
    expect(anchorTotal(derby.childrenInCare, 5, [80, 95]).note).toBeUndefined();
  });
});
