/** Residual bootstrap: reproducible, a hand case with 3 residuals, and agreement with the analytic bands when residuals are many and normal. */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/math/rng.js';
import { fitMethod } from '../../src/models/registry.js';
import type { MethodName } from '../../src/models/types.js';
import { bootstrapPaths } from '../../src/uncertainty/bootstrap.js';

const derbyshire = [719, 802, 861, 899, 909, 995, 1057];

/** A long series from a known normal model, seeded. */
function simulated(kind: 'walk' | 'trend' | 'logTrend', n: number, seed: number): number[] {
  const rng = createRng(seed);
  const y: number[] = [];
  let v = 1000;
  for (let t = 1; t <= n; t++) {
    if (kind === 'walk') v += 3 + 20 * rng.normal();
    else if (kind === 'trend') v = 500 + 2 * t + 25 * rng.normal();
    else v = Math.exp(Math.log(500) + 0.002 * t + 0.03 * rng.normal());
    y.push(v);
  }
  return y;
}

describe('bootstrapPaths', () => {
  it('is reproducible by seed, and a model or { method, series } give the same paths', () => {
    const a = bootstrapPaths({ method: 'drift', series: derbyshire }, 5, { paths: 500, seed: 42 });
    const b = bootstrapPaths(fitMethod('drift', derbyshire), 5, { paths: 500, seed: 42 });
    const c = bootstrapPaths({ method: 'drift', series: derbyshire }, 5, { paths: 500, seed: 43 });
    expect(Array.from(a.paths.values)).toEqual(Array.from(b.paths.values));
    expect(Array.from(a.paths.values)).not.toEqual(Array.from(c.paths.values));
    expect(a.seed).toBe(42);
    expect(a.paths.paths).toBe(500);
    expect(a.paths.horizon).toBe(5);
    expect(a.bands.intervals.map((iv) => iv.level)).toEqual([80, 95]);
  });

  it('hand case: naive with 3 residuals', () => {
    // changes 2, -1, 3; centred 2/3, -7/3, 5/3 (mean square 26/9); naive sigma2 = (4 + 1 + 9) / 3 = 14/3
    const y = [10, 12, 11, 14];
    const f = Math.sqrt(14 / 3 / (26 / 9));
    const expected = [2 / 3, -7 / 3, 5 / 3].map((v) => v * f);
    const b = bootstrapPaths({ method: 'naive', series: y }, 2, { paths: 3000, seed: 7 });
    expect(b.residuals).toBe(3);
    expect(b.observations).toBe(4);
    expect(b.residualScale).toBe('data');
    expect(b.parameterUncertainty).toBe(false);
    b.resampled.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
    // mean square of the resampled residuals is the model's variance
    expect(b.resampled.reduce((s, v) => s + v * v, 0) / 3).toBeCloseTo(14 / 3, 12);
    // the draws, by hand from the same generator: index floor(u * 3)
    const rng = createRng(7);
    const first = 14 + expected[Math.floor(rng.uniform() * 3)];
    const second = first + expected[Math.floor(rng.uniform() * 3)];
    expect(b.paths.values[0]).toBeCloseTo(first, 12);
    expect(b.paths.values[1]).toBeCloseTo(second, 12);
    // one year ahead: only three values, each about a third of the time
    const counts = [0, 0, 0];
    for (let p = 0; p < 3000; p++) {
      const v = b.paths.values[p * 2];
      const i = expected.findIndex((e) => Math.abs(14 + e - v) < 1e-9);
      expect(i).toBeGreaterThanOrEqual(0);
      counts[i]++;
    }
    for (const c of counts) expect(Math.abs(c / 3000 - 1 / 3)).toBeLessThan(0.04);
    // two years ahead: one of the 6 distinct sums of two residuals
    const sums = new Set<string>();
    for (const a of expected) for (const c of expected) sums.add((14 + a + c).toFixed(9));
    for (let p = 0; p < 3000; p++) expect(sums.has(b.paths.values[p * 2 + 1].toFixed(9))).toBe(true);
    // the widest a one-step band can be is the largest residual
    expect(b.bands.intervals[1].upper[0]).toBeLessThanOrEqual(14 + Math.max(...expected) + 1e-9);
    expect(b.caveats.join(' ')).toMatch(/rests on 3 residuals from 4 yearly observations/);
  });

  it('with many residuals from a normal model, the bootstrap band approaches the analytic band', () => {
    // tolerance: the 2.5% quantile of m residuals has a standard error of about 1.3/sqrt(m) of the
    // 95% half-width (4000: 2%; 1000: 4%), the 10% quantile less; the paths add about 1%
    const cases: { method: MethodName; y: number[]; tol: number }[] = [
      { method: 'naive', y: simulated('walk', 4000, 1), tol: 0.06 },
      { method: 'drift', y: simulated('walk', 4000, 2), tol: 0.06 },
      { method: 'linear', y: simulated('trend', 1000, 3), tol: 0.1 },
      { method: 'loglinear', y: simulated('logTrend', 1000, 4), tol: 0.1 },
      { method: 'dampedTrend', y: simulated('walk', 4000, 5), tol: 0.06 },
    ];
    for (const { method, y, tol } of cases) {
      const model = fitMethod(method, y);
      const b = bootstrapPaths(model, 3, { paths: method === 'linear' || method === 'loglinear' ? 5000 : 20000, seed: 11 });
      const a = model.forecast(3, { levels: [80, 95] });
      for (let j = 0; j < 2; j++) {
        for (let h = 0; h < 3; h++) {
          const half = (a.intervals[j].upper[h] - a.intervals[j].lower[h]) / 2;
          // within tol of the analytic half-width, at both ends
          expect(Math.abs(b.bands.intervals[j].lower[h] - a.intervals[j].lower[h]) / half, `${method} lower ${j} h${h + 1}`).toBeLessThan(tol);
          expect(Math.abs(b.bands.intervals[j].upper[h] - a.intervals[j].upper[h]) / half, `${method} upper ${j} h${h + 1}`).toBeLessThan(tol);
        }
      }
      expect(b.caveats).toEqual([]);
    }
  }, 30_000);

  it('repeatGrowth resamples the log changes of its window; loglinear works on the log scale', () => {
    const r = bootstrapPaths({ method: 'repeatGrowth', series: derbyshire, methodOptions: { repeatGrowth: { window: 4 } } }, 3, { paths: 200, seed: 1 });
    expect(r.residuals).toBe(4);
    expect(r.residualScale).toBe('log');
    expect(r.parameterUncertainty).toBe(true);
    expect(r.resampled.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 12);
    const l = bootstrapPaths({ method: 'loglinear', series: derbyshire }, 3, { paths: 200, seed: 1 });
    expect(l.residuals).toBe(7);
    expect(Math.min(...l.paths.values)).toBeGreaterThan(0);
  });

  it('throws for too few residuals or bad options', () => {
    expect(() => bootstrapPaths({ method: 'repeatGrowth', series: [100, 110, 120], methodOptions: { repeatGrowth: { window: 1 } } }, 2)).toThrow(/1 usable residual/);
    expect(() => bootstrapPaths({ method: 'naive', series: derbyshire }, 2, { paths: 0 })).toThrow(RangeError);
    expect(() => bootstrapPaths({ method: 'naive', series: derbyshire }, 0)).toThrow(RangeError);
    expect(() => bootstrapPaths({ method: 'naive', series: derbyshire }, 2, { levels: [100] })).toThrow(RangeError);
    expect(() => bootstrapPaths({ method: 'nope' as MethodName, series: derbyshire }, 2)).toThrow(/unknown method/);
  });

  it('a series whose changes are all equal gives a band of no width, and says so', () => {
    const b = bootstrapPaths({ method: 'drift', series: [10, 20, 30, 40] }, 2, { paths: 50 });
    expect(b.bands.intervals[1].lower).toEqual(b.bands.intervals[1].upper);
    expect(b.caveats.join(' ')).toMatch(/no width/);
  });
});
