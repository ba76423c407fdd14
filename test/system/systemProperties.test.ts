/**
 * Properties of the system model on any input (fast-check): on every path and year the stock identity
 * holds (stock = previous stock + starters - leavers, starters and leavers never negative), the
 * groups of every breakdown add up to the total, shares lie in [0, 1] and add up to one, derived groups
 * are the sums of their parts, and the same input and seed give the same numbers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { YearValue } from '../../src/data/yearValue.js';
import { projectSystem } from '../../src/system/projectSystem.js';
import { systemRecords } from '../../src/system/records.js';

const FIRST = 2015;

/** A stock of n years, flows for the last m of them, and a breakdown into k groups for the last g years. */
const inputArb = fc
  .record({
    n: fc.integer({ min: 4, max: 9 }),
    level: fc.integer({ min: 30, max: 3000 }),
    growth: fc.array(fc.double({ min: -0.15, max: 0.2, noNaN: true }), { minLength: 9, maxLength: 9 }),
    m: fc.integer({ min: 0, max: 6 }),
    entry: fc.array(fc.double({ min: 0.2, max: 0.8, noNaN: true }), { minLength: 9, maxLength: 9 }),
    g: fc.integer({ min: 2, max: 5 }),
    weights: fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 }), { minLength: 9, maxLength: 9 }),
    k: fc.integer({ min: 2, max: 4 }),
    cover: fc.boolean(),
    horizon: fc.integer({ min: 1, max: 6 }),
    seed: fc.integer({ min: 1, max: 1e6 }),
  })
  .map((r) => {
    const stock: YearValue[] = [];
    let s = r.level;
    for (let i = 0; i < r.n; i++) {
      stock.push({ year: FIRST + i, value: Math.round(s) });
      s = Math.max(1, s * (1 + r.growth[i]));
    }
    const flowYears = stock.slice(Math.max(1, r.n - r.m));
    const started = flowYears.map((p, i) => ({ year: p.year, value: Math.round((p.value as number) * r.entry[i]) }));
    const ceased = flowYears.map((p, i) => {
      const prev = stock[stock.indexOf(p) - 1].value as number;
      return { year: p.year, value: Math.max(0, Math.round(prev + started[i].value - (p.value as number))) };
    });
    const groupYears = stock.slice(Math.max(0, r.n - Math.min(r.g, r.n)));
    const names = ['a', 'b', 'c', 'd'].slice(0, r.k);
    const groups: Record<string, YearValue[]> = Object.fromEntries(names.map((g) => [g, []]));
    groupYears.forEach((p, i) => {
      const w = r.weights[i].slice(0, r.k).map((v) => v + 0.05);
      const sum = w.reduce((a, b) => a + b, 0);
      const total = (p.value as number) * (r.cover ? 1 : 0.9);
      let left = Math.round(total);
      names.forEach((g, j) => {
        const v = j === names.length - 1 ? left : Math.min(left, Math.round((total * w[j]) / sum));
        left -= v;
        groups[g].push({ year: p.year, value: v });
      });
    });
    return {
      input: { stock, ...(r.m > 0 ? { started, ceased } : {}), breakdowns: { mine: groups } },
      horizon: r.horizon,
      seed: r.seed,
    };
  });

describe('projectSystem on any input', () => {
  it('the identity and the additivity hold on every path; shares in [0, 1] adding to one; same seed, same numbers', () => {
    fc.assert(
      fc.property(inputArb, ({ input, horizon, seed }) => {
        const paths = 40;
        const sys = projectSystem(input, { horizon, paths, seed });
        const H = sys.years.length;
        expect(H).toBe(horizon);
        const S = sys.paths.stock.values;
        const tol = (v: number): number => 1e-9 * Math.max(1, Math.abs(v));
        for (let k = 0; k < S.length; k++) expect(S[k]).toBeGreaterThanOrEqual(0);
        if (sys.paths.started && sys.paths.ceased) {
          const E = sys.paths.started.values;
          const C = sys.paths.ceased.values;
          for (let k = 0; k < S.length; k++) {
            const prev = k % H === 0 ? sys.start.stock : S[k - 1];
            expect(Math.abs(prev + E[k] - C[k] - S[k])).toBeLessThanOrEqual(tol(prev + E[k]));
            expect(E[k]).toBeGreaterThanOrEqual(0);
            expect(C[k]).toBeGreaterThanOrEqual(0);
          }
        }
        for (const bd of Object.values(sys.breakdowns)) {
          for (let k = 0; k < S.length; k++) {
            let count = 0;
            let share = 0;
            for (const g of bd.groups) {
              const s = bd.sharePaths[g].values[k];
              expect(s).toBeGreaterThanOrEqual(0);
              expect(s).toBeLessThanOrEqual(1);
              count += bd.paths[g].values[k];
              share += s;
            }
            expect(Math.abs(count - S[k])).toBeLessThanOrEqual(tol(S[k]));
            expect(Math.abs(share - 1)).toBeLessThanOrEqual(1e-12);
          }
          expect(bd.maxIncoherence).toBeLessThanOrEqual(tol(Math.max(...S)));
        }
        expect(systemRecords(projectSystem(input, { horizon, paths, seed }))).toEqual(systemRecords(sys));
      }),
      { numRuns: 30, seed: 13 },
    );
  });
});
