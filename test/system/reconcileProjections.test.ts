/** Reconciling areas' projections with their total (England), for points and paths: by hand, against R, and invariants. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CarecastInputError } from '../../src/data/errors.js';
import { loadDfePanelArea } from '../../src/data/panel.js';
import type { AnnualSeries } from '../../src/data/schemas.js';
import { fitGlobal, forecastWithGlobal } from '../../src/models/global/fitGlobal.js';
import type { SamplePaths } from '../../src/models/types.js';
import { forecast } from '../../src/project/forecast.js';
import { forecastPanel } from '../../src/system/forecastPanel.js';
import { reconcilePaths } from '../../src/system/reconcile/hierarchy.js';
import { projectionErrors, reconcileProjections, UNALLOCATED } from '../../src/system/reconcile/projections.js';

const years = [2019, 2020, 2021, 2022, 2023, 2024];
const pairs = (values: number[], from = 2019) => values.map((value, i) => ({ year: from + i, value }));
// two LAs and England: England - A - B = 10, 12, 5, 7, 3, 12
const A = pairs([100, 110, 105, 120, 115, 125]);
const B = pairs([50, 48, 55, 53, 60, 58]);
const E = pairs([160, 170, 165, 180, 178, 195]);
const drift = (s: ReturnType<typeof pairs>) => forecast(s, { horizon: 3, method: 'drift', intervals: 'analytic' });

describe('reconcileProjections by hand (two LAs and England)', () => {
  it('with W = I (OLS) every node moves by the same amount: (England - A - B - unallocated) / 4', () => {
    // drift: A 125 + 5h, B 58 + 1.6h, England 195 + 7h; unallocated naive 12; incoherence 0.4h
    const r = reconcileProjections(drift(E), new Map([['A', drift(A)], ['B', drift(B)]]), { covariance: 'identity' });
    [1, 2, 3].forEach((h, i) => {
      expect(r.areas.get('A')!.point[i]).toBeCloseTo(125 + 5.1 * h, 10);
      expect(r.areas.get('B')!.point[i]).toBeCloseTo(58 + 1.7 * h, 10);
      expect(r.reconciliation.unallocated.reconciled[i]).toBeCloseTo(12 + 0.1 * h, 10);
      expect(r.total.point[i]).toBeCloseTo(195 + 6.9 * h, 10);
    });
    expect(r.reconciliation.method).toBe('ols');
    expect(r.reconciliation.unallocated.history.map((u) => u.value)).toEqual([10, 12, 5, 7, 3, 12]);
    expect(r.reconciliation.areas).toEqual(['A', 'B']);
  });

  it('with the shrinkage covariance: the reconciled LAs and the unallocated rest add up to England exactly, and bands move with the point', () => {
    const a = drift(A);
    const r = reconcileProjections(drift(E), new Map([['A', a], ['B', drift(B)]]));
    expect(r.reconciliation.method).toBe('mint-shrink');
    expect(r.reconciliation.lambda).toBeGreaterThanOrEqual(0);
    expect(r.reconciliation.errorYears).toEqual([2020, 2021, 2022, 2023, 2024]);
    r.total.point.forEach((t, i) => {
      const sum = r.areas.get('A')!.point[i] + r.areas.get('B')!.point[i] + r.reconciliation.unallocated.reconciled[i];
      expect(Math.abs(t - sum)).toBeLessThan(1e-9);
    });
    const ra = r.areas.get('A')!;
    const d = ra.point[2] - a.point[2];
    expect(ra.reconciliation?.adjustment[2]).toBeCloseTo(d, 12);
    expect(ra.reconciliation?.basePoint).toEqual(a.point);
    expect(ra.intervals[1].upper[2] - a.intervals[1].upper[2]).toBeCloseTo(d, 9);
    expect(ra.distributions[2]).toMatchObject({ type: a.distributions[2].type });
    expect(ra.summary).toMatch(/the point then reconciled with series \(MinT, shrinkage covariance of one-step errors\); 80% and 95% bands: analytic .*, moved with the reconciled point\.$/);
    expect(ra.caveats.at(-1)).toMatch(/reconciled with series's by MinT with the shrinkage covariance/);
  });

  it('a node whose errors are all zero gets the smallest variance of the others and no covariance', () => {
    const flat = pairs([40, 40, 40, 40, 40, 40]);
    const E2 = pairs([200, 210, 205, 220, 218, 235]);
    const r = reconcileProjections(drift(E2), new Map([['A', drift(A)], ['B', drift(B)], ['flat', drift(flat)]]));
    r.total.point.forEach((t, i) => {
      const sum = ['A', 'B', 'flat'].reduce((s, k) => s + r.areas.get(k)!.point[i], r.reconciliation.unallocated.reconciled[i]);
      expect(Math.abs(t - sum)).toBeLessThan(1e-9);
    });
    expect(r.reconciliation.caveats.join(' ')).toMatch(/flat: no one-step error other than 0/);
    const w = r.reconciliation.matrix.w!;
    const n = w.rows;
    const flatIndex = 3; // total, A, B, flat, unallocated
    const others = [0, 1, 2, 4].map((i) => w.data[i * n + i]);
    expect(w.data[flatIndex * n + flatIndex]).toBeCloseTo(Math.min(...others), 12);
    expect(w.data[flatIndex * n + 1]).toBe(0);
  });

  it('refuses areas whose data end in another year, or whose years differ, and a name taken by the unallocated node', () => {
    const short = forecast(A.slice(0, 5), { to: 2027, method: 'drift', intervals: 'analytic' });
    expect(() => reconcileProjections(drift(E), new Map([['A', short]]))).toThrow(/A's data end in 2023, the total's \(series\) in 2024/);
    const longer = forecast(A, { horizon: 4, method: 'drift', intervals: 'analytic' });
    expect(() => reconcileProjections(drift(E), new Map([['A', longer]]))).toThrow(/projected for 2025-2028, the total for 2025-2027/);
    expect(() => reconcileProjections(drift(E), new Map([[UNALLOCATED, drift(A)]]))).toThrow(CarecastInputError);
    expect(() => reconcileProjections(drift(E), new Map())).toThrow(/no area to reconcile/);
  });
});

describe('projectionErrors: the one-step in-sample errors MinT weighs', () => {
  it('a single-series method: its in-sample residuals (naive: the yearly changes)', () => {
    const p = forecast(pairs([10, 12, 11, 15]), { horizon: 1, method: 'naive', intervals: 'analytic' });
    const e = projectionErrors(p);
    expect(e.years).toEqual([2019, 2020, 2021, 2022]);
    expect(e.errors[0]).toBeNaN();
    expect(e.errors.slice(1)).toEqual([2, -1, 4]);
  });

  it('a global method: the one-step forecast from each earlier year with the fit used', () => {
    const panel = new Map<string, ReturnType<typeof pairs>>([
      ['A', A],
      ['B', B],
      ['C', pairs([80, 84, 83, 90, 95, 97])],
      ['D', pairs([30, 33, 31, 36, 35, 39])],
    ]);
    const fit = fitGlobal('panelGrowth', panel, { origin: 2024 });
    const p = forecast(A, { horizon: 2, method: 'panelGrowth', panel: fit, intervals: 'analytic' });
    const e = projectionErrors(p);
    expect(e.errors.slice(0, 2).every(Number.isNaN)).toBe(true);
    for (let i = 2; i < 6; i++) {
      const one = forecastWithGlobal(fit, A.slice(0, i), 1, { levels: [80] }).point[0];
      expect(e.errors[i]).toBeCloseTo(A[i].value - one, 10);
    }
  });
});

interface PanelGolden {
  years: number[];
  areas: string[];
  errorYears: number[];
  lambda: number;
  unallocated2024: number;
  base: { total: number[]; areas: Record<string, number[]> };
  reconciled: { total: number[]; areas: Record<string, number[]>; unallocated: number[] };
}
const golden = JSON.parse(readFileSync(fileURLToPath(new URL('../golden/mint-panel.json', import.meta.url)), 'utf8')) as PanelGolden;

describe('forecastPanel reconciled with a total, against R (test/golden/mint-panel-golden.R)', () => {
  const names = ['Derby', 'Derbyshire', 'Leicester', 'Leicestershire', 'Lincolnshire', 'Northamptonshire', 'North Northamptonshire', 'West Northamptonshire', 'Nottingham', 'Nottinghamshire', 'Rutland'];
  const panel = new Map<string, AnnualSeries>(names.map((n) => [n, loadDfePanelArea(n).childrenInCare]));
  const region = loadDfePanelArea('East Midlands').childrenInCare;
  const r = forecastPanel(panel, { to: 2027, method: 'drift', intervals: 'analytic', reconcile: 'england', england: region });

  it('the East Midlands LAs with the region: R rwf(drift) forecasts, the shrinkage λ and MinT match', () => {
    const rec = r.reconciliation!;
    expect(rec.areas).toEqual(golden.areas);
    expect(rec.errorYears).toEqual(golden.errorYears);
    expect(rec.lambda).toBeCloseTo(golden.lambda, 12);
    expect(rec.unallocated.point[0]).toBe(golden.unallocated2024);
    expect(rec.baseTotal.map((v) => v)).toEqual(golden.base.total.map((v) => expect.closeTo(v, 9)));
    for (const a of golden.areas) {
      const p = r.byArea.get(a)!;
      p.reconciliation!.basePoint.forEach((v, i) => expect(v).toBeCloseTo(golden.base.areas[a][i], 9));
      p.point.forEach((v, i) => expect(v).toBeCloseTo(golden.reconciled.areas[a][i], 8));
    }
    r.england!.point.forEach((v, i) => expect(v).toBeCloseTo(golden.reconciled.total[i], 8));
    rec.unallocated.reconciled.forEach((v, i) => expect(v).toBeCloseTo(golden.reconciled.unallocated[i], 8));
  });

  it('leaves Northamptonshire (data to 2021) out of the reconciliation and says so', () => {
    expect(r.byArea.get('Northamptonshire')!.reconciliation).toBeUndefined();
    expect(r.caveats.join(' ')).toMatch(/Not reconciled, their data ending in another year than England's \(2024\): Northamptonshire \(data to 2021\)/);
  });

  it('sample paths: the same matrix applied path by path gives coherent paths whose mean is the reconciled point', () => {
    const rec = r.reconciliation!;
    const paths = 4;
    const h = rec.years.length;
    // each node's paths: its base point plus symmetric noise (the mean over paths is the base point)
    const noisy = (point: readonly number[], seed: number): SamplePaths => {
      const values = new Float64Array(paths * h);
      for (let p = 0; p < paths; p++) for (let i = 0; i < h; i++) values[p * h + i] = point[i] + (p % 2 === 0 ? 1 : -1) * (seed + i + Math.floor(p / 2)) * 3.7;
      return { paths, horizon: h, values };
    };
    const groups: Record<string, SamplePaths> = {};
    rec.areas.forEach((a, j) => (groups[a] = noisy(r.byArea.get(a)!.reconciliation!.basePoint, j + 2)));
    groups[UNALLOCATED] = noisy(rec.unallocated.point, 1);
    const out = reconcilePaths(rec.matrix, noisy(rec.baseTotal, 0), groups);
    for (let k = 0; k < paths * h; k++) {
      const sum = rec.areas.reduce((s, a) => s + out.groups[a].values[k], out.groups[UNALLOCATED].values[k]);
      expect(Math.abs(sum - out.total.values[k])).toBeLessThan(1e-9);
    }
    for (const a of rec.areas) {
      for (let i = 0; i < h; i++) {
        let mean = 0;
        for (let p = 0; p < paths; p++) mean += out.groups[a].values[p * h + i] / paths;
        expect(mean).toBeCloseTo(r.byArea.get(a)!.point[i], 8);
      }
    }
  });
});

describe('reconciliation invariants (fast-check)', () => {
  it('the reconciled areas and the unallocated rest add up to the reconciled total, for any panel (shrink and OLS)', () => {
    const value = fc.integer({ min: 20, max: 2000 });
    fc.assert(
      fc.property(fc.array(fc.array(value, { minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 50 }), fc.boolean(), (las, extra, ols) => {
        const series = las.map((v) => pairs(v));
        const total = pairs(years.map((_, i) => las.reduce((s, v) => s + v[i], 0) + extra + (i % 2) * 3));
        const areas = new Map(series.map((s, j) => [`LA ${j}`, drift(s)]));
        let r;
        try {
          r = reconcileProjections(drift(total), areas, ols ? { covariance: 'identity' } : {});
        } catch (e) {
          // a panel where every node's errors vanish cannot be weighted
          expect((e as Error).message).toMatch(/non-zero one-step error/);
          return;
        }
        r.total.point.forEach((t, i) => {
          const parts = [...r.areas.values()].reduce((s, p) => s + p.point[i], r.reconciliation.unallocated.reconciled[i]);
          expect(Math.abs(t - parts)).toBeLessThanOrEqual(1e-8 * Math.max(1, t) + r.reconciliation.maxIncoherence);
        });
      }),
      { numRuns: 60 },
    );
  });
});
