/** Reconciliation of a total and its groups (bottom-up, top-down, OLS, WLS, MinT-shrink), and the dense linear algebra under it. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CarecastInputError } from '../../src/data/errors.js';
import { cholesky, choleskySolve, identity, inverse, luSolve, matrix, multiply, multiplyVector, toRows, transpose } from '../../src/math/linalg.js';
import {
  minTMatrix,
  reconcileBottomUp,
  reconcileMinT,
  reconcileOls,
  reconcilePaths,
  reconcileTopDown,
  reconcileWith,
  shrinkCovariance,
  summingMatrix,
  type HierarchyForecast,
  type ReconciledForecast,
} from '../../src/system/reconcile/hierarchy.js';

interface GoldenCase {
  name: string;
  groups: string[];
  residuals: number[][];
  base: number[];
  lambda: number;
  W: number[][];
  G: number[][];
  mint_shrink: number[];
  ols: number[];
  wls: number[];
}
const golden = JSON.parse(readFileSync(fileURLToPath(new URL('../golden/mint.json', import.meta.url)), 'utf8')) as { cases: GoldenCase[] };

function expectCoherent(r: ReconciledForecast, tol = 1e-9): void {
  r.total.forEach((t, h) => {
    const sum = r.groupNames.reduce((a, g) => a + r.groups[g][h], 0);
    expect(Math.abs(t - sum)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(t)));
  });
  expect(r.maxIncoherence).toBeLessThanOrEqual(tol * Math.max(1, ...r.total.map(Math.abs)));
}

/** base forecasts and residuals for one golden case, in carecast's shape */
function fromGolden(c: GoldenCase): { base: HierarchyForecast; residuals: HierarchyForecast } {
  const col = (j: number) => c.residuals.map((r) => r[j]);
  return {
    base: { total: [c.base[0]], groups: Object.fromEntries(c.groups.map((g, j) => [g, [c.base[j + 1]]])) },
    residuals: { total: col(0), groups: Object.fromEntries(c.groups.map((g, j) => [g, col(j + 1)])) },
  };
}

describe('linear algebra helpers', () => {
  it('multiplies, transposes and builds matrices', () => {
    const a = matrix([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(toRows(transpose(a))).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(toRows(multiply(a, transpose(a)))).toEqual([
      [14, 32],
      [32, 77],
    ]);
    expect(Array.from(multiplyVector(a, [1, 0, -1]))).toEqual([-2, -2]);
    expect(toRows(identity(2))).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(() => multiply(a, a)).toThrow(RangeError);
    expect(() => matrix([[1, 2], [3]])).toThrow(/row 2/);
  });

  it('Cholesky: L L\u2032 = A, solves, and refuses a matrix that is not positive definite', () => {
    const a = matrix([
      [4, 2, 0.4],
      [2, 3, 0.5],
      [0.4, 0.5, 2],
    ]);
    const l = cholesky(a);
    const back = multiply(l, transpose(l));
    back.data.forEach((v, i) => expect(v).toBeCloseTo(a.data[i], 12));
    const x = choleskySolve(l, matrix([[1], [2], [3]]));
    const ax = multiplyVector(a, x.data);
    expect(Array.from(ax).map((v) => +v.toFixed(12))).toEqual([1, 2, 3]);
    expect(() => cholesky(matrix([[1, 2], [2, 1]]))).toThrow(/not positive definite/);
  });

  it('LU with pivoting solves systems with a zero leading element, and inverts', () => {
    expect(toRows(luSolve(matrix([[0, 1], [1, 0]]), matrix([[2], [3]])))).toEqual([[3], [2]]);
    const a = matrix([
      [0, 2, 1],
      [1, 1, 0],
      [3, 0, 1],
    ]);
    const prod = multiply(a, inverse(a));
    prod.data.forEach((v, i) => expect(v).toBeCloseTo(identity(3).data[i], 12));
    expect(() => inverse(matrix([[1, 2], [2, 4]]))).toThrow(/singular/);
  });

  it('the summing matrix of a two-level hierarchy', () => {
    expect(toRows(summingMatrix(3))).toEqual([
      [1, 1, 1],
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
  });
});

describe('shrinkage covariance (Sch\u00e4fer-Strimmer, as hts/fable mint_shrink)', () => {
  it('matches a hand computation of \u03bb', () => {
    // X rows (1, 2), (-1, -1), (2, 1), n = 3.
    // S = X'X/3: s11 = 6/3 = 2, s22 = 6/3 = 2, s12 = (2 + 1 + 2)/3 = 5/3; r12 = 5/6.
    // xs = X / sqrt(2); w_t = xs1 xs2 = (1, 0.5, 1): sum w = 2.5, sum w^2 = 2.25.
    // v12 = (2.25 - 2.5^2 / 3) / (3 * 2) = (1/6) / 6 = 1/36 (twice: v12 and v21).
    // sum d = 2 * (5/6)^2 = 50/36, so lambda = (2/36) / (50/36) = 0.04.
    const sc = shrinkCovariance([
      [1, -1, 2],
      [2, -1, 1],
    ]);
    expect(sc.n).toBe(3);
    expect(sc.lambda).toBeCloseTo(0.04, 14);
    expect(toRows(sc.sample)[0][1]).toBeCloseTo(5 / 3, 14);
    expect(toRows(sc.covariance)).toEqual([
      [2, expect.closeTo(0.96 * (5 / 3), 14)],
      [expect.closeTo(0.96 * (5 / 3), 14), 2],
    ]);
  });

  it('drops time points with a missing residual, and gives \u03bb = 1 for one variable', () => {
    const a = shrinkCovariance([
      [NaN, 1, -1, 2],
      [5, 2, -1, 1],
    ]);
    expect(a.n).toBe(3);
    expect(a.lambda).toBeCloseTo(0.04, 14);
    expect(shrinkCovariance([[1, 2, 3]]).lambda).toBe(1);
  });

  it.each(golden.cases.map((c) => [c.name, c] as const))('%s: \u03bb and W equal plain R (test/golden/mint-golden.R)', (_name, c) => {
    const cols = c.residuals[0].map((_, j) => c.residuals.map((r) => r[j]));
    const sc = shrinkCovariance(cols);
    expect(sc.lambda).toBeCloseTo(c.lambda, 12);
    toRows(sc.covariance).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(c.W[i][j], 9)));
  });

  it('rejects misaligned or too short residuals, naming the series', () => {
    expect(() => shrinkCovariance([[1, 2, 3], [1, 2]])).toThrow(CarecastInputError);
    expect(() => shrinkCovariance([[1, 2, 3], [1, 2]])).toThrow(/residuals\[2\]/);
    expect(() => shrinkCovariance([[1, NaN], [NaN, 2]])).toThrow(/at least two complete time points/);
    expect(() => shrinkCovariance([[0, 0, 0], [1, 2, 3]])).toThrow(/zero at every time point/);
  });
});

describe('MinT against plain R matrix algebra', () => {
  it.each(golden.cases.map((c) => [c.name, c] as const))('%s: G and the reconciled forecasts (shrink, OLS, WLS)', (_name, c) => {
    const { base, residuals } = fromGolden(c);
    const m = minTMatrix(c.groups, residuals);
    expect(m.method).toBe('mint-shrink');
    expect(m.lambda).toBeCloseTo(c.lambda, 12);
    toRows(m.g).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(c.G[i][j], 9)));
    const check = (r: ReconciledForecast, want: number[]) => {
      expect(r.total[0]).toBeCloseTo(want[0], 8);
      c.groups.forEach((g, j) => expect(r.groups[g][0]).toBeCloseTo(want[j + 1], 8));
      expectCoherent(r);
    };
    check(reconcileMinT(base, residuals), c.mint_shrink);
    check(reconcileMinT(base, residuals, { covariance: 'identity' }), c.ols);
    check(reconcileMinT(base, residuals, { covariance: 'variance' }), c.wls);
  });
});

describe('reconciliation by hand', () => {
  const base: HierarchyForecast = { total: [100, 110], groups: { a: [50, 60], b: [44, 40] } };

  it('bottom-up: the total is the sum of the groups, the groups are unchanged', () => {
    const r = reconcileBottomUp(base);
    expect(r.total).toEqual([94, 100]);
    expect(r.groups).toEqual(base.groups);
    expect(r.method).toBe('bottom-up');
  });

  it('OLS (MinT with W = I): every node moves by the same amount, (total - sum) / (k + 1)', () => {
    // k = 2: d = (100 - 94) / 3 = 2 and (110 - 100) / 3 = 10/3; groups up by d, total down by d
    const r = reconcileOls(base);
    expect(r.groups.a[0]).toBeCloseTo(52, 12);
    expect(r.groups.b[0]).toBeCloseTo(46, 12);
    expect(r.total[0]).toBeCloseTo(98, 12);
    expect(r.groups.a[1]).toBeCloseTo(60 + 10 / 3, 12);
    expect(r.total[1]).toBeCloseTo(110 - 10 / 3, 12);
    expect(reconcileMinT(base, undefined, { covariance: 'identity' })).toEqual(r);
  });

  it('top-down with forecast proportions keeps the total and the groups\u2019 proportions', () => {
    const r = reconcileTopDown(base, { proportions: 'forecast-proportions' });
    expect(r.total[0]).toBeCloseTo(100, 12);
    expect(r.groups.a[0]).toBeCloseTo((100 * 50) / 94, 12);
    expect(r.proportions?.a[1]).toBeCloseTo(0.6, 12);
  });

  it('top-down with historical average proportions (Gross & Sohl A)', () => {
    // proportions of a: 30/40 = 0.75, 20/40 = 0.5: average 0.625
    const r = reconcileTopDown(base, { proportions: 'historical-average', history: { a: [30, 20], b: [10, 20] } });
    expect(r.proportions?.a).toEqual([0.625, 0.625]);
    expect(r.groups.a[1]).toBeCloseTo(110 * 0.625, 12);
    expect(r.total[1]).toBeCloseTo(110, 12);
  });

  it('bad input names the field and says how to fix it', () => {
    expect(() => reconcileBottomUp({ total: [1, 2], groups: { a: [1] } })).toThrow(/\[a\].*1 values, the total has 2/);
    expect(() => reconcileBottomUp({ total: [1], groups: { a: [NaN] } })).toThrow(CarecastInputError);
    expect(() => reconcileTopDown(base, { proportions: 'historical-average' })).toThrow(/history/);
    expect(() => reconcileTopDown({ total: [1], groups: { a: [-1], b: [2] } }, { proportions: 'forecast-proportions' })).toThrow(/negative/);
    expect(() => reconcileMinT(base, undefined)).toThrow(/needs the base models\u2019 residuals|residuals/);
    // a sample covariance from 2 time points for 3 nodes is singular
    const short = { total: [1, -1], groups: { a: [0.5, -0.2], b: [0.5, -0.8] } };
    expect(() => reconcileMinT(base, short, { covariance: 'sample' })).toThrow(/not positive definite.*Fix: use covariance: "shrink"/s);
    try {
      reconcileBottomUp({ total: [1, 2], groups: { a: [1] } });
    } catch (e) {
      const p = (e as CarecastInputError).problems[0];
      expect(p.field).toBe('a');
      expect(p.fix).toMatch(/one value per period/);
    }
  });
});

describe('reconciliation properties (fast-check)', () => {
  const hierarchy = fc
    .record({ k: fc.integer({ min: 2, max: 6 }), periods: fc.integer({ min: 1, max: 5 }), t: fc.integer({ min: 4, max: 14 }) })
    .chain(({ k, periods, t }) =>
      fc.record({
        total: fc.array(fc.double({ min: 50, max: 5000, noNaN: true }), { minLength: periods, maxLength: periods }),
        groups: fc.array(fc.array(fc.double({ min: 0, max: 2000, noNaN: true }), { minLength: periods, maxLength: periods }), { minLength: k, maxLength: k }),
        residuals: fc.array(fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: t, maxLength: t }), { minLength: k + 1, maxLength: k + 1 }),
      }),
    )
    .filter((h) => h.residuals.every((r) => r.some((v) => Math.abs(v) > 1e-3)));

  const toBase = (h: { total: number[]; groups: number[][] }): HierarchyForecast => ({ total: h.total, groups: Object.fromEntries(h.groups.map((g, j) => [`g${j}`, g])) });
  const toRes = (h: { residuals: number[][] }): HierarchyForecast => ({ total: h.residuals[0], groups: Object.fromEntries(h.residuals.slice(1).map((r, j) => [`g${j}`, r])) });

  it('every method returns coherent forecasts (total = sum of groups to 1e-9)', () => {
    fc.assert(
      fc.property(hierarchy, (h) => {
        const base = toBase(h);
        expectCoherent(reconcileBottomUp(base));
        expectCoherent(reconcileOls(base));
        expectCoherent(reconcileMinT(base, toRes(h)));
        expectCoherent(reconcileMinT(base, toRes(h), { covariance: 'variance' }));
        expectCoherent(reconcileTopDown(base, { proportions: 'historical-average', history: Object.fromEntries(h.residuals.slice(1).map((r, j) => [`g${j}`, r.map((v) => Math.abs(v) + 1)])) }));
        if (h.groups.every((g) => g.every((v) => v >= 0)) && h.total.every((_, p) => h.groups.some((g) => g[p] > 0))) {
          expectCoherent(reconcileTopDown(base, { proportions: 'forecast-proportions' }));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('bottom-up equals the sum of the base groups; top-down keeps the base total', () => {
    fc.assert(
      fc.property(hierarchy, (h) => {
        const base = toBase(h);
        const bu = reconcileBottomUp(base);
        base.total.forEach((_, p) => expect(bu.total[p]).toBeCloseTo(h.groups.reduce((a, g) => a + g[p], 0), 9));
        const hist = Object.fromEntries(h.groups.map((_, j) => [`g${j}`, h.residuals[j + 1].map((v) => Math.abs(v) + 1)]));
        const td = reconcileTopDown(base, { proportions: 'historical-average', history: hist });
        base.total.forEach((t, p) => expect(td.total[p]).toBeCloseTo(t, 9));
        // proportions kept: group / total equals the proportion used
        base.total.forEach((t, p) => Object.keys(td.groups).forEach((g) => expect(td.groups[g][p] / t).toBeCloseTo(td.proportions![g][p], 12)));
      }),
      { numRuns: 100 },
    );
  });

  it('OLS moves every node by the same amount; MinT leaves coherent forecasts unchanged', () => {
    fc.assert(
      fc.property(hierarchy, (h) => {
        const base = toBase(h);
        const k = h.groups.length;
        const ols = reconcileOls(base);
        base.total.forEach((t, p) => {
          const d = (t - h.groups.reduce((a, g) => a + g[p], 0)) / (k + 1);
          h.groups.forEach((g, j) => expect(ols.groups[`g${j}`][p]).toBeCloseTo(g[p] + d, 7));
          expect(ols.total[p]).toBeCloseTo(t - d, 7);
        });
        // a coherent base is a fixed point of any MinT projection
        const coherent = reconcileBottomUp(base);
        const again = reconcileMinT(coherent, toRes(h));
        coherent.total.forEach((t, p) => expect(again.total[p]).toBeCloseTo(t, 6));
      }),
      { numRuns: 100 },
    );
  });

  it('reconciling sample paths gives coherent paths equal to reconciling each draw', () => {
    const res: HierarchyForecast = { total: [5, -8, 12, -3, 6, -2], groups: { a: [4, -5, 9, -2, 3, 0], b: [1, -2, 2, 0, 2, -1], c: [0, -1, 1, -1, 1, -1] } };
    const m = minTMatrix(['a', 'b', 'c'], res);
    const mk = (vals: number[]) => ({ paths: 2, horizon: 2, values: Float64Array.from(vals) });
    const total = mk([100, 110, 90, 95]);
    const groups = { a: mk([60, 65, 50, 55]), b: mk([20, 25, 22, 21]), c: mk([15, 14, 16, 18]) };
    const rec = reconcilePaths(m, total, groups);
    for (let i = 0; i < 4; i++) {
      expect(rec.total.values[i]).toBeCloseTo(rec.groups.a.values[i] + rec.groups.b.values[i] + rec.groups.c.values[i], 9);
      const one = reconcileWith(m, { total: [total.values[i]], groups: { a: [groups.a.values[i]], b: [groups.b.values[i]], c: [groups.c.values[i]] } });
      expect(rec.groups.a.values[i]).toBeCloseTo(one.groups.a[0], 9);
      expect(rec.total.values[i]).toBeCloseTo(one.total[0], 9);
    }
    expect(() => reconcilePaths(m, total, { a: groups.a, b: groups.b })).toThrow(/no sample paths for group "c"/);
  });
});
