/** Costs per financial year: trapezium occupancy, inflation, capacity overflow, bands from paths. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CarecastInputError } from '../../src/data/errors.js';
import { capacityPlaces, costRecords, inflationIndex, projectCosts, WEEKS_PER_YEAR, type CostModel } from '../../src/finance/costs.js';
import type { PlacementPaths } from '../../src/finance/placements.js';
import { at, toyPaths } from './toy.js';

const model: CostModel = { dimension: 'finance', priceYear: 2025, weekly: { a: 100, b: 200 }, inflation: { rate: 0.1 } };

function inputError(f: () => unknown): CarecastInputError {
  try {
    f();
  } catch (e) {
    if (e instanceof CarecastInputError) return e;
    throw e;
  }
  throw new Error('no error thrown');
}

describe('projectCosts by hand (2 paths, 2 years)', () => {
  const c = projectCosts(toyPaths(), model);

  it('uses the trapezium average of 31 March counts, opening from the observed counts', () => {
    expect(at(c.paths.occupancy.a, 0, 0)).toBe(7); // (6 + 8) / 2
    expect(at(c.paths.occupancy.a, 0, 1)).toBe(9); // (8 + 10) / 2
    expect(at(c.paths.occupancy.b, 1, 0)).toBe(5); // (4 + 6) / 2
    expect(at(c.paths.occupancy.b, 1, 1)).toBe(7); // (6 + 8) / 2
  });

  it('costs average placements x 52.18 x weekly cost x inflation index', () => {
    expect(c.index[0]).toBeCloseTo(1.1, 12);
    expect(c.index[1]).toBeCloseTo(1.21, 12);
    expect(at(c.paths.byGroup.a, 0, 0)).toBeCloseTo(7 * 52.18 * 100 * 1.1, 6); // 40,178.60
    expect(at(c.paths.byGroup.a, 0, 1)).toBeCloseTo(9 * 52.18 * 100 * 1.21, 6); // 56,824.02
    expect(at(c.paths.byGroup.b, 0, 0)).toBeCloseTo(4 * 52.18 * 200 * 1.1, 6); // 45,918.40
    expect(at(c.paths.total, 0, 0)).toBeCloseTo(40178.6 + 45918.4, 6);
    expect(at(c.paths.total, 1, 1)).toBeCloseTo(5 * 52.18 * 100 * 1.21 + 7 * 52.18 * 200 * 1.21, 6);
    expect(c.financialYears).toEqual(['2025/26', '2026/27']);
  });

  it('reads bands off the cost paths (median of two paths = their mean)', () => {
    const p0 = at(c.paths.total, 0, 0);
    const p1 = at(c.paths.total, 1, 0);
    expect(c.total.quantiles.p50[0]).toBeCloseTo((p0 + p1) / 2, 6);
    expect(c.total.quantiles.p10[0]).toBeCloseTo(Math.min(p0, p1) + 0.1 * Math.abs(p1 - p0), 6);
  });

  it('splits a pool by capacity: internal up to the places, overflow external at its own cost', () => {
    const cc = projectCosts(toyPaths(), { ...model, capacity: [{ name: 'pool', internalGroup: 'a', externalGroup: 'b', places: 10 }] });
    // path 0: demand 7 + 4 = 11 then 9 + 5 = 14; path 1: 6 + 5 = 11 then 5 + 7 = 12
    expect([at(cc.paths.occupancy.a, 0, 0), at(cc.paths.occupancy.b, 0, 0)]).toEqual([10, 1]);
    expect([at(cc.paths.occupancy.a, 0, 1), at(cc.paths.occupancy.b, 0, 1)]).toEqual([10, 4]);
    expect([at(cc.paths.occupancy.a, 1, 1), at(cc.paths.occupancy.b, 1, 1)]).toEqual([10, 2]);
    expect(at(cc.paths.byGroup.b, 0, 1)).toBeCloseTo(4 * 52.18 * 200 * 1.21, 6);
    // sufficiency gap at 31 March: demand - places
    const s = cc.sufficiency[0];
    expect(Array.from(s.gapPaths.values)).toEqual([2, 6, 2, 2]);
    expect(s.places).toEqual([10, 10]);
  });

  it('applies utilisation and capacity steps over time', () => {
    const rule = { name: 'r', internalGroup: 'a', externalGroup: 'b', places: [{ from: 2025, places: 47 }, { from: 2027, places: 55 }], utilisation: 0.5 };
    expect(capacityPlaces(rule, [2026, 2027, 2028])).toEqual([23.5, 27.5, 27.5]);
  });

  it('builds tidy records with P10/P50/P90', () => {
    const rows = costRecords(c);
    expect(rows.filter((r) => r.measure === 'cost' && r.group === 'total')).toHaveLength(2);
    expect(rows[0]).toMatchObject({ year: 2026, financial_year: '2025/26', unit: 'gbp' });
  });
});

describe('inflation', () => {
  it('accepts a rate, rates per year, or an index series rebased to the price year', () => {
    expect(inflationIndex({ rate: 0.03 }, 2025, [2025, 2026, 2027])).toEqual([1, 1.03, 1.03 * 1.03]);
    expect(inflationIndex({ rates: { 2026: 0.05, 2027: 0.02 } }, 2025, [2026, 2027])).toEqual([1.05, 1.05 * 1.02]);
    expect(inflationIndex({ index: { 2025: 100, 2026: 104, 2027: 110 } }, 2025, [2026, 2027])).toEqual([1.04, 1.1]);
    expect(inflationIndex(undefined, 2025, [2026])).toEqual([1]);
  });
  it('rejects an index that misses a year, and rates at or below -100%', () => {
    expect(inputError(() => inflationIndex({ index: { 2025: 100 } }, 2025, [2026])).problems[0].field).toBe('inflation.index');
    expect(inputError(() => inflationIndex({ rate: -1 }, 2025, [2026])).problems[0].field).toBe('inflation.rate');
  });
});

describe('bad cost models are CarecastInputErrors naming the field', () => {
  it.each([
    ['negative cost', { ...model, weekly: { a: -5, b: 200 } }, 'weekly.a'],
    ['missing cost', { ...model, weekly: { a: 100 } }, 'weekly.b'],
    ['unknown group', { ...model, weekly: { a: 100, b: 200, zzz: 1 } }, 'weekly.zzz'],
    ['capacity below zero', { ...model, capacity: [{ name: 'pool', internalGroup: 'a', externalGroup: 'b', places: -1 }] }, 'capacity.pool.places'],
    ['capacity step below zero', { ...model, capacity: [{ name: 'pool', internalGroup: 'a', externalGroup: 'b', places: [{ from: 2020, places: 5 }, { from: 2027, places: -2 }] }] }, 'capacity.pool.places'],
    ['unknown capacity group', { ...model, capacity: [{ name: 'pool', internalGroup: 'a', externalGroup: 'nope', places: 3 }] }, 'capacity.pool.externalGroup'],
    ['utilisation above 1', { ...model, capacity: [{ name: 'pool', internalGroup: 'a', externalGroup: 'b', places: 3, utilisation: 1.5 }] }, 'capacity.pool.utilisation'],
    ['wrong dimension', { ...model, dimension: 'placement' }, 'dimension'],
  ] as [string, CostModel, string][])('%s', (_name, m, field) => {
    const e = inputError(() => projectCosts(toyPaths(), m));
    expect(e.problems.map((p) => p.field)).toContain(field);
    expect(e.message).toContain(field);
  });
  it('allows a group to be left uncosted deliberately', () => {
    const c = projectCosts(toyPaths(), { ...model, weekly: { a: 100 }, uncosted: ['b'] });
    expect(c.groups).toEqual(['a']);
    expect(at(c.paths.total, 0, 0)).toBeCloseTo(7 * WEEKS_PER_YEAR * 100 * 1.1, 6);
  });
});

describe('properties', () => {
  const arb = fc
    .record({ n: fc.integer({ min: 1, max: 6 }), H: fc.integer({ min: 1, max: 4 }), G: fc.integer({ min: 2, max: 4 }) })
    .chain(({ n, H, G }) =>
      fc.record({
        n: fc.constant(n),
        H: fc.constant(H),
        G: fc.constant(G),
        counts: fc.array(fc.array(fc.double({ min: 0, max: 500, noNaN: true }), { minLength: n * H, maxLength: n * H }), { minLength: G, maxLength: G }),
        opening: fc.array(fc.double({ min: 0, max: 500, noNaN: true }), { minLength: G, maxLength: G }),
        weekly: fc.array(fc.double({ min: 0, max: 20000, noNaN: true }), { minLength: G, maxLength: G }),
        places: fc.option(fc.double({ min: 0, max: 300, noNaN: true }), { nil: undefined }),
        rate: fc.double({ min: -0.05, max: 0.2, noNaN: true }),
      }),
    );
  it('costs are non-negative and group costs add to the total in every path', () => {
    fc.assert(
      fc.property(arb, ({ n, H, G, counts, opening, weekly, places, rate }) => {
        const groups = Array.from({ length: G }, (_, i) => `g${i}`);
        const stock = new Float64Array(n * H);
        for (const c of counts) c.forEach((v, k) => (stock[k] += v));
        const sp = (v: ArrayLike<number>) => ({ paths: n, horizon: H, values: Float64Array.from(v) });
        const pp: PlacementPaths = {
          area: 'P', years: Array.from({ length: H }, (_, i) => 2026 + i), dimension: 'd', startYear: 2025,
          openingStock: opening.reduce((a, b) => a + b, 0), stock: sp(stock), started: sp(stock), ceased: sp(new Float64Array(n * H)),
          groups, byGroup: Object.fromEntries(groups.map((g, i) => [g, sp(counts[i])])), opening: Object.fromEntries(groups.map((g, i) => [g, opening[i]])),
        };
        const c = projectCosts(pp, {
          dimension: 'd', priceYear: 2025, weekly: Object.fromEntries(groups.map((g, i) => [g, weekly[i]])), inflation: { rate },
          capacity: places === undefined ? undefined : [{ name: 'p', internalGroup: 'g0', externalGroup: 'g1', places }],
        });
        for (let k = 0; k < n * H; k++) {
          let sum = 0;
          for (const g of groups) {
            expect(c.paths.byGroup[g].values[k]).toBeGreaterThanOrEqual(0);
            sum += c.paths.byGroup[g].values[k];
          }
          expect(c.paths.total.values[k]).toBeGreaterThanOrEqual(0);
          expect(Math.abs(sum - c.paths.total.values[k])).toBeLessThanOrEqual(1e-9 * Math.max(1, sum));
          // capacity keeps the pool's occupancy
          if (places !== undefined) {
            const occ = c.paths.occupancy;
            expect(occ.g0.values[k]).toBeLessThanOrEqual(places + 1e-9);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
