/** The whole system from one set of paths: an LA of the bundled panel, a dataset outside it (Derbyshire's seed), and bad input. */
import { describe, expect, it } from 'vitest';
import { findSeries } from '../../src/data/breakdown.js';
import { loadDfePanel, loadDfePanelArea } from '../../src/data/panel.js';
import { dfePanelPopulations } from '../../src/data/ons/panelPopulation.js';
import { loadSeed } from '../../src/data/seeds.js';
import { dfeGroupSeries, dfeSystemInput, DFE_SYSTEM_DIMENSIONS } from '../../src/system/dfeInput.js';
import { dfeSystemFit, loadDfeSystem } from '../../src/system/dfeSystem.js';
import { projectSystem } from '../../src/system/projectSystem.js';
import { systemRecords } from '../../src/system/records.js';
import { errorOf } from '../helpers/inputError.js';

const at = (values: ArrayLike<number>, H: number, p: number, h: number): number => values[p * H + h];

describe('projectSystem on an LA of the bundled DfE panel', () => {
  const panel = loadDfePanel();
  const derby = panel.series.get('Derby')!;
  const population = dfePanelPopulations(panel).populations.get('Derby');
  const sys = projectSystem(dfeSystemInput(derby, population), { to: 2034, paths: 1000, seed: 7 });
  const H = sys.years.length;

  it('projects the total, the flows and every group with p10/p50/p90 and 80/95% bands', () => {
    expect(sys.years).toEqual([2025, 2026, 2027, 2028, 2029, 2030, 2031, 2032, 2033, 2034]);
    expect(sys.start).toEqual({ year: 2024, stock: 598 });
    expect(Object.keys(sys.breakdowns)).toEqual(['placement', 'provider', 'age']);
    expect(sys.breakdowns.placement.groups).toEqual(['fostering', 'homes_secure', 'independent_supported', 'other']);
    expect(Object.keys(sys.breakdowns.placement.byGroup)).toEqual(['fostering', 'homes_secure', 'independent_supported', 'other', 'residential']);
    expect(sys.breakdowns.provider.groups).toEqual(['in_house', 'external', 'other']);
    for (const s of [sys.stock, sys.started!, sys.ceased!, ...Object.values(sys.breakdowns).flatMap((b) => Object.values(b.byGroup))]) {
      expect(s.intervals.map((iv) => iv.level)).toEqual([80, 95]);
      for (let h = 0; h < H; h++) {
        expect(s.quantiles.p10[h]).toBeLessThanOrEqual(s.quantiles.p50[h]);
        expect(s.quantiles.p50[h]).toBeLessThanOrEqual(s.quantiles.p90[h]);
        expect(s.intervals[1].lower[h]).toBeLessThanOrEqual(s.intervals[0].lower[h]);
        expect(s.intervals[0].upper[h]).toBeLessThanOrEqual(s.intervals[1].upper[h]);
      }
    }
    // flows' and groups' points are their paths' medians
    expect(sys.started?.point).toEqual(sys.started?.median);
    expect(sys.breakdowns.provider.byGroup.external.point).toEqual(sys.breakdowns.provider.byGroup.external.median);
    expect(sys.summary).toMatch(/the bundled DfE fit/);
    expect(sys.breakdowns.placement.borrowed).toBe(true);
  });

  it('on every path: the identity, groups adding to the total, residential = homes and secure + independent and supported', () => {
    const S = sys.paths.stock.values;
    const E = sys.paths.started!.values;
    const C = sys.paths.ceased!.values;
    for (let p = 0; p < 1000; p++) {
      for (let h = 0; h < H; h++) {
        const prev = h === 0 ? 598 : at(S, H, p, h - 1);
        expect(Math.abs(prev + at(E, H, p, h) - at(C, H, p, h) - at(S, H, p, h))).toBeLessThan(1e-9 * Math.max(1, prev));
        for (const bd of Object.values(sys.breakdowns)) {
          const sum = bd.groups.reduce((a, g) => a + at(bd.paths[g].values, H, p, h), 0);
          expect(Math.abs(sum - at(S, H, p, h))).toBeLessThan(1e-9 * Math.max(1, at(S, H, p, h)));
        }
        const pl = sys.breakdowns.placement.paths;
        expect(at(pl.residential.values, H, p, h)).toBe(at(pl.homes_secure.values, H, p, h) + at(pl.independent_supported.values, H, p, h));
      }
    }
    for (const bd of Object.values(sys.breakdowns)) expect(bd.maxIncoherence).toBeLessThan(1e-9 * 2000);
  });

  it('the shares start from 2024: the first year\'s median shares are near the 2024 mix', () => {
    const ext = dfeGroupSeries(derby, DFE_SYSTEM_DIMENSIONS.provider).external.points.at(-1);
    expect(ext).toMatchObject({ year: 2024, value: 319 + 38 + 16 }); // private + voluntary + other LA
    expect(sys.breakdowns.provider.byGroup.external.share[0]).toBeGreaterThan(373 / 598 - 0.05);
    expect(sys.breakdowns.provider.byGroup.external.share[0]).toBeLessThan(373 / 598 + 0.05);
    expect(sys.breakdowns.provider.lastYear).toBe(2024);
  });

  it('tidy records: one row per year, measure and group, the same numbers as the fields', () => {
    const rows = systemRecords(sys);
    expect(rows).toHaveLength(H * (3 + 5 + 3 + 5));
    const r = rows.find((x) => x.measure === 'placement' && x.group === 'residential' && x.year === 2030)!;
    const i = sys.years.indexOf(2030);
    expect(r).toMatchObject({ point: sys.breakdowns.placement.byGroup.residential.point[i], lo_80: sys.breakdowns.placement.byGroup.residential.intervals[0].lower[i] });
    expect(rows.find((x) => x.measure === 'children_in_care' && x.year === 2025)?.point).toBe(sys.stock.point[0]);
  });

  it('the same input and seed give the same numbers; another seed other paths but the same total point', () => {
    const input = dfeSystemInput(derby, population);
    const a = projectSystem(input, { to: 2028, paths: 300, seed: 9 });
    const b = projectSystem(input, { to: 2028, paths: 300, seed: 9 });
    expect(systemRecords(a)).toEqual(systemRecords(b));
    const c = projectSystem(input, { to: 2028, paths: 300, seed: 10 });
    expect(c.stock.point).toEqual(a.stock.point);
    expect(Array.from(c.paths.stock.values)).not.toEqual(Array.from(a.paths.stock.values));
  });

  it('as known at an origin: the data after it are not used', () => {
    const s = projectSystem(dfeSystemInput(derby, population), { to: 2024, paths: 200, origin: 2021 });
    expect(s.years).toEqual([2022, 2023, 2024]);
    expect(s.start).toEqual({ year: 2021, stock: 642 });
    expect(s.breakdowns.placement.lastYear).toBe(2021);
  });
});

describe('projectSystem on data outside the panel', () => {
  it('Derbyshire\'s seed borrows the bundled dynamics; its own groups are fitted on its own years, and it says so', () => {
    const ds = loadSeed('derbyshire').dataset;
    const fostering = [2018, 2019, 2020].map((year, i) => ({ year, value: [347 + 174, 379 + 222, 388 + 226][i] }));
    const sys = projectSystem(
      { stock: findSeries(ds, 'children_in_care'), started: findSeries(ds, 'started'), ceased: findSeries(ds, 'ceased'), breakdowns: { fostering: { fostering, other: [] } } },
      { to: 2030, paths: 500 },
    );
    expect(sys.summary).toMatch(/the bundled DfE fit/);
    expect(sys.caveats.join(' ')).toMatch(/Starters and leavers are known to 2023, children in care to 2024/);
    expect(sys.caveats.join(' ')).toMatch(/No child population was given/);
    // the published figures against the identity (the paths close exactly; the data do not)
    expect(sys.residuals[0]).toEqual({ year: 2019, stock: 802, implied: 719 + 375 - 283, residual: 802 - 811 });
    expect(sys.residuals.map((r) => r.year)).toEqual([2019, 2020, 2021, 2022, 2023]);
    // the gap between the anchored total and the model flows, and the share of it given to starters
    expect(sys.flowGap?.starterWeight).toHaveLength(sys.years.length);
    for (const w of sys.flowGap?.starterWeight ?? []) expect(w).toBeGreaterThan(0);
    expect(sys.flowGap?.bands.median).toHaveLength(sys.years.length);
    // the flows close on every path even so
    const { stock, started, ceased } = sys.paths;
    const H = sys.years.length;
    for (let p = 0; p < 500; p += 7) for (let h = 1; h < H; h++) expect(at(stock.values, H, p, h - 1) + at(started!.values, H, p, h) - at(ceased!.values, H, p, h)).toBeCloseTo(at(stock.values, H, p, h), 8);
  });

  it('a breakdown named like a bundled one but with other groups is fitted on its own data (with a remainder), and says so', () => {
    const ds = loadSeed('derbyshire').dataset;
    const years = [2018, 2019, 2020];
    const fostering = years.map((year, i) => ({ year, value: [521, 601, 614][i] }));
    const residential = years.map((year, i) => ({ year, value: [97, 93, 105][i] }));
    const sys = projectSystem({ stock: findSeries(ds, 'children_in_care'), breakdowns: { placement: { fostering, residential } } }, { to: 2027, paths: 300 });
    const bd = sys.breakdowns.placement;
    expect(bd.groups).toEqual(expect.arrayContaining(['fostering', 'residential', 'unallocated']));
    expect(bd.borrowed).toBe(false);
    expect(sys.caveats.join(' ')).toMatch(/placement: the dynamics given are for the groups fostering, homes_secure, independent_supported, other, not these/);
    expect(sys.caveats.join(' ')).toMatch(/placement: groups are known to 2020, the total to 2024/);
    expect(sys.started).toBeUndefined();
  });

  it('bad input: a breakdown past the total, a target before the data, bad paths', () => {
    const ds = loadSeed('derbyshire').dataset;
    const stock = findSeries(ds, 'children_in_care');
    expect(errorOf(() => projectSystem({ stock, breakdowns: { p: { a: [{ year: 2025, value: 1 }], b: [{ year: 2025, value: 2 }] } } }, { to: 2030 })).message).toMatch(/run past the last children-in-care figure \(2024\)/);
    expect(errorOf(() => projectSystem({ stock }, { to: 2024 })).problems[0].field).toBe('to');
    expect(errorOf(() => projectSystem({ stock }, { to: 2030, paths: 0 })).problems[0].field).toBe('paths');
  });

  it('the bundled dynamics are what the recipe fits on the bundled panel (npm run build:system), number for number', () => {
    expect(JSON.parse(JSON.stringify(dfeSystemFit()))).toEqual(JSON.parse(JSON.stringify(loadDfeSystem())));
  }, 60_000);

  it('the bundled dynamics load, checked against the manifest', () => {
    const d = loadDfeSystem();
    expect(d.kind).toBe('systemDynamics');
    expect(d.origin).toBe(2024);
    expect(Object.keys(d.dimensions).sort()).toEqual(['age', 'placement', 'provider']);
    expect(d.dimensions.placement.derived).toEqual({ residential: ['homes_secure', 'independent_supported'] });
    expect(d.dimensions.provider.reference).toBe('in_house');
    expect(d.flows?.beta.entry).toBeGreaterThanOrEqual(0);
    expect(d.flows?.beta.entry).toBeLessThanOrEqual(1);
    expect(loadDfePanelArea('Derby').area.name).toBe('Derby');
  });
});
