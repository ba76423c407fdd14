/** The whole system: stock-flow total x breakdown shares, coherent in every path. */
import { describe, expect, it } from 'vitest';
import { findSeries } from '../../src/data/breakdown.js';
import { CarecastInputError } from '../../src/data/errors.js';
import { loadSeed } from '../../src/data/seeds.js';
import { loadDfePanel } from '../../src/data/panel.js';
import { reproduceDerbyshirePlacementProjections } from '../../src/reproduce/derbyshirePlacements.js';
import { projectSystem, systemRecords } from '../../src/system/projectSystem.js';


function derbyshireInput() {
  const seed = loadSeed('derbyshire');
  const ds = seed.dataset;
  const rep = reproduceDerbyshirePlacementProjections(seed);
  const group = (figure: string) => rep.figures.find((f) => f.figure === figure)?.primary.points.map((p) => ({ year: p.year, value: p.value })) ?? [];
  return {
    stock: findSeries(ds, 'children_in_care'),
    started: findSeries(ds, 'started'),
    ceased: findSeries(ds, 'ceased'),
    breakdowns: {
      placement: { fostering: group('fostering'), residential: group('residential') },
      provider: { internal: group('internal'), private_voluntary: group('privateVoluntary') },
    },
  };
}

describe('projectSystem', () => {
  it('Derbyshire: groups add up to the total in every path and year; points are share x total', () => {
    const sys = projectSystem(derbyshireInput(), { to: 2035, paths: 1000, seed: 3 });
    expect(sys.years[0]).toBe(2025);
    expect(sys.years.at(-1)).toBe(2035);
    const placement = sys.breakdowns.placement;
    expect(placement.groups).toEqual(expect.arrayContaining(['fostering', 'residential', 'unallocated']));
    expect(placement.maxIncoherence).toBeLessThan(1e-6);
    const total = sys.stockFlow.paths.stock;
    for (let p = 0; p < total.paths; p += 37) {
      for (let h = 0; h < total.horizon; h++) {
        const sum = placement.groups.reduce((a, g) => a + placement.paths[g].values[p * total.horizon + h], 0);
        expect(sum).toBeCloseTo(total.values[p * total.horizon + h], 6);
      }
    }
    for (let h = 0; h < sys.years.length; h++) {
      const pointSum = placement.groups.reduce((a, g) => a + placement.byGroup[g].point[h], 0);
      expect(pointSum).toBeCloseTo(sys.stockFlow.stock.point[h], 8);
      const shareSum = placement.groups.reduce((a, g) => a + placement.byGroup[g].share[h], 0);
      expect(shareSum).toBeCloseTo(1, 12);
      for (const g of placement.groups) {
        const b = placement.byGroup[g];
        expect(b.intervals[1].lower[h]).toBeLessThanOrEqual(b.intervals[0].lower[h]);
        expect(b.intervals[0].upper[h]).toBeLessThanOrEqual(b.intervals[1].upper[h]);
        expect(b.intervals[1].lower[h]).toBeGreaterThanOrEqual(0);
      }
    }
    // the 2023 mix (the last year with groups) is projected to 2024 before the projection starts
    expect(sys.caveats.join(' ')).toMatch(/placement: groups are known to 2023, the total to 2024/);
    const rows = systemRecords(sys);
    expect(rows.filter((r) => r.measure === 'placement' && r.year === 2030)).toHaveLength(placement.groups.length);
    expect(rows.find((r) => r.measure === 'children_in_care' && r.year === 2025)?.point).toBeCloseTo(sys.stockFlow.stock.point[0], 9);
  });

  it('the same input and seed give the same numbers', () => {
    const a = projectSystem(derbyshireInput(), { to: 2028, paths: 300, seed: 9 });
    const b = projectSystem(derbyshireInput(), { to: 2028, paths: 300, seed: 9 });
    expect(systemRecords(a)).toEqual(systemRecords(b));
  });

  it('a breakdown that ends after the total is an error', () => {
    const input = derbyshireInput();
    expect(() =>
      projectSystem({ ...input, breakdowns: { placement: { fostering: [{ year: 2023, value: 600 }, { year: 2025, value: 700 }] } } }, { to: 2030 }),
    ).toThrow(CarecastInputError);
  });

  it('any LA of the bundled panel: the placement groups and totals given as they are (SFR 2011-2017, EES 2020-2024)', () => {
    const derby = loadDfePanel().series.get('Derby')!;
    const sys = projectSystem(
      { stock: derby.childrenInCare, started: derby.started!, ceased: derby.ceased!, population: derby.population, breakdowns: { placement: derby.breakdowns.placement } },
      { to: 2028, paths: 500, seed: 1 },
    );
    expect(sys.years).toEqual([2025, 2026, 2027, 2028]);
    expect(sys.stockFlow.start).toEqual({ year: 2024, stock: 598 });
    expect(sys.breakdowns.placement.groups).toEqual(['fostering', 'residential', 'adoption', 'parents', 'other']);
    expect(sys.breakdowns.placement.maxIncoherence).toBeLessThan(1e-6);
    // the groups are published to 2024 like the total: no group projected ahead of the total
    expect(sys.caveats.join(' ')).not.toMatch(/placement: groups are known to/);
    // the 2024 mix carries on: fostering 426 of 598
    expect(sys.breakdowns.placement.byGroup.fostering.share[0]).toBeGreaterThan(0.6);
    expect(sys.breakdowns.placement.byGroup.fostering.share[0]).toBeLessThan(0.8);
  });
});
