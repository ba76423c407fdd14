/** Scenario levers by hand on toy paths, composition, common random numbers, and bad input. */
import { describe, expect, it } from 'vitest';
import { findSeries } from '../../src/data/breakdown.js';
import { CarecastInputError } from '../../src/data/errors.js';
import { loadSeed } from '../../src/data/seeds.js';
import { projectCosts, type CostModel } from '../../src/finance/costs.js';
import { admissions, capacity, costInflation, exitRate, stepDown, uasc, type Lever } from '../../src/finance/levers.js';
import { applyScenario, compareScenarios } from '../../src/finance/scenario.js';
import { projectSystem } from '../../src/system/projectSystem.js';
import { at, toyPaths } from './toy.js';

const model: CostModel = { dimension: 'finance', priceYear: 2025, weekly: { a: 100, b: 200 } };
const run = (levers: Lever[], m: CostModel = model) => applyScenario(toyPaths(), m, { name: 'test', levers });

function inputError(f: () => unknown): CarecastInputError {
  try {
    f();
  } catch (e) {
    if (e instanceof CarecastInputError) return e;
    throw e;
  }
  throw new Error('no error thrown');
}

describe('levers by hand (toy: 2 paths, 2026-2027)', () => {
  it('a scenario with no levers is the base, to the bit', () => {
    const base = run([]);
    expect(base.placements).toEqual(toyPaths());
    expect(Array.from(base.costs.paths.total.values)).toEqual(Array.from(projectCosts(toyPaths(), model).paths.total.values));
  });

  it('admissions -10% from 2027 cuts starters by exactly 10% from 2027 and rebuilds the stock with each path\'s exit rate', () => {
    const s = run([admissions(-0.1, 2027)]);
    const p = s.placements;
    expect(at(p.started, 0, 0)).toBe(5); // 2026 untouched
    expect(at(p.started, 0, 1)).toBeCloseTo(7.2, 12); // 8 x 0.9
    expect(at(p.started, 1, 1)).toBeCloseTo(2.7, 12);
    // path 0 2027: exit rate 4 / (12 + 8) = 0.2; stock (12 + 7.2) x 0.8 = 15.36
    expect(at(p.stock, 0, 1)).toBeCloseTo(15.36, 12);
    expect(at(p.ceased, 0, 1)).toBeCloseTo(0.2 * 19.2, 12);
    // identity holds: stock = previous + started - ceased
    expect(at(p.stock, 0, 0) + at(p.started, 0, 1) - at(p.ceased, 0, 1)).toBeCloseTo(at(p.stock, 0, 1), 12);
    // groups keep the path's mix: a = 10 x 15.36 / 16
    expect(at(p.byGroup.a, 0, 1)).toBeCloseTo(9.6, 12);
    expect(at(p.byGroup.a, 0, 1) + at(p.byGroup.b, 0, 1)).toBeCloseTo(15.36, 12);
  });

  it('phases admissions in over phaseYears', () => {
    const s = run([admissions(-0.2, 2026, 2)]);
    expect(at(s.placements.started, 0, 0)).toBeCloseTo(5 * 0.9, 12); // half effect in year 1
    expect(at(s.placements.started, 0, 1)).toBeCloseTo(8 * 0.8, 12);
  });

  it('uasc adds starters, exitRate scales exits', () => {
    const u = run([uasc(3, 2026, 2026)]);
    expect(at(u.placements.started, 0, 0)).toBe(8);
    expect(at(u.placements.started, 0, 1)).toBe(8);
    const e = run([exitRate(0.5, 2026)]);
    // path 0 2026: e = 3 / 15 = 0.2 -> 0.3; stock = 15 x 0.7 = 10.5
    expect(at(e.placements.stock, 0, 0)).toBeCloseTo(10.5, 12);
  });

  it('step-down moves N children a year between groups, keeping the total', () => {
    const s = run([stepDown('a', 'b', 1, 2026)]);
    const p = s.placements;
    expect([at(p.byGroup.a, 0, 0), at(p.byGroup.a, 0, 1)]).toEqual([7, 8]); // 8 - 1, 10 - 2
    expect([at(p.byGroup.b, 0, 0), at(p.byGroup.b, 0, 1)]).toEqual([5, 8]);
    for (let k = 0; k < 4; k++) expect(p.byGroup.a.values[k] + p.byGroup.b.values[k]).toBe(toyPaths().stock.values[k]);
    // never more than the group holds, retention below 1 lets moved children go
    const big = run([stepDown('a', 'b', 50, 2026)]);
    expect(Array.from(big.placements.byGroup.a.values)).toEqual([0, 0, 0, 0]);
    const ret = run([stepDown('a', 'b', 2, 2026, { retention: 0.5 })]);
    expect(at(ret.placements.byGroup.a, 0, 1)).toBe(10 - (2 * 0.5 + 2));
  });

  it('capacity +8 beds moves 8 children from external to internal where demand exceeds capacity', () => {
    const m: CostModel = { ...model, capacity: [{ name: 'pool', internalGroup: 'a', externalGroup: 'b', places: 2 }] };
    const base = run([], m);
    const more = run([capacity('pool', 8, 2027)], m);
    // path 0 2027: average demand 9 + 5 = 14
    expect([at(base.costs.paths.occupancy.a, 0, 1), at(base.costs.paths.occupancy.b, 0, 1)]).toEqual([2, 12]);
    expect([at(more.costs.paths.occupancy.a, 0, 1), at(more.costs.paths.occupancy.b, 0, 1)]).toEqual([10, 4]);
    expect(at(more.costs.paths.occupancy.a, 0, 0)).toBe(2); // 2026 unchanged
    expect(more.costs.sufficiency[0].places).toEqual([2, 10]);
    // money: 8 children x 52.18 x (100 - 200) a year
    expect(at(more.costs.paths.total, 0, 1) - at(base.costs.paths.total, 0, 1)).toBeCloseTo(8 * 52.18 * -100, 6);
  });

  it('cost inflation compounds from its year, for the groups named', () => {
    const s = run([costInflation(0.1, 2027, ['b'])]);
    const b = run([]);
    expect(at(s.costs.paths.byGroup.a, 0, 1)).toBe(at(b.costs.paths.byGroup.a, 0, 1));
    expect(at(s.costs.paths.byGroup.b, 0, 1)).toBeCloseTo(at(b.costs.paths.byGroup.b, 0, 1) * 1.1, 6);
    expect(at(s.costs.paths.byGroup.b, 0, 0)).toBe(at(b.costs.paths.byGroup.b, 0, 0));
  });

  it('levers compose: admissions and step-down together', () => {
    const s = run([admissions(-0.1, 2027), stepDown('a', 'b', 1, 2026)]);
    expect(at(s.placements.byGroup.a, 0, 1)).toBeCloseTo(9.6 - 2, 12);
    expect(at(s.placements.byGroup.a, 0, 1) + at(s.placements.byGroup.b, 0, 1)).toBeCloseTo(15.36, 12);
  });
});

describe('levers limited to what is possible are warnings, not silence', () => {
  it('uasc -6 a year: starters below zero in 3 of the 4 path-years (5-6, 4-6, 3-6; not 8-6), held at zero', () => {
    const s = run([uasc(-6, 2026)]);
    expect(s.warnings).toEqual([
      'scenario "test", levers[0] (uasc: -6 starters a year from 2025/26): starters would fall below zero in 75% of the simulated years it acts on (3 of 4 path-years, from 2025/26); they were held at zero',
    ]);
    expect(at(s.placements.started, 0, 0)).toBe(0);
    expect(at(s.placements.started, 0, 1)).toBe(2);
  });

  it('a step-down of 7 a year: group a holds fewer than the 7, 14 moved so far in 3 of 4 path-years (path 0 2027: 10; path 1: 6, 4)', () => {
    const s = run([admissions(0, 2026), stepDown('a', 'b', 7, 2026)]);
    expect(s.warnings).toEqual([
      'scenario "test", levers[1] (stepDown: 7 children a year from a to b from 2025/26): a held fewer children than the lever had moved so far in 75% of the simulated years it acts on (3 of 4 path-years, from 2025/26); the moves were capped at the children it held',
    ]);
  });

  it('an exit rate pushed past 100% is held at 100%', () => {
    // path 0 2026: exit rate 3 / (10 + 5) = 0.2; x 6 = 1.2
    const s = run([exitRate(5, 2026)]);
    expect(s.warnings[0]).toMatch(/^scenario "test", levers\[0\] \(exitRate: exit rate \+500% from 2025\/26\): the exit rate would pass 100% in \d+% of the simulated years it acts on/);
    expect(at(s.placements.stock, 0, 0)).toBe(0);
  });

  it('levers within what is possible give no warning', () => {
    expect(run([uasc(3, 2026), stepDown('a', 'b', 1, 2026), admissions(-0.1, 2027)]).warnings).toEqual([]);
    expect(run([]).warnings).toEqual([]);
  });
});

describe('compareScenarios', () => {
  it('reports path-by-path differences with bands', () => {
    const base = run([]);
    const s = applyScenario(toyPaths(), model, { name: 'fewer', levers: [admissions(-0.1, 2027)] });
    const rows = compareScenarios(base, [s]);
    const started = rows.find((r) => r.measure === 'started' && r.year === 2027);
    // path 0: -0.8, path 1: -0.3
    expect(started).toMatchObject({ scenario: 'fewer', financial_year: '2026/27', unit: 'children' });
    expect(started?.diff_p50).toBeCloseTo(-0.55, 12);
    expect(started?.diff_p10).toBeCloseTo(-0.8 + 0.1 * 0.5, 12);
    expect(rows.filter((r) => r.measure === 'cost' && r.group === 'total')).toHaveLength(2);
  });

  it('gives tight differences on a real projection (common random numbers)', () => {
    const ds = loadSeed('derbyshire').dataset;
    const sys = projectSystem(
      {
        stock: findSeries(ds, 'children_in_care'), started: findSeries(ds, 'started'), ceased: findSeries(ds, 'ceased'),
        breakdowns: { finance: { fostering: [{ year: 2022, value: 620 }, { year: 2023, value: 637 }], residential: [{ year: 2022, value: 120 }, { year: 2023, value: 137 }] } },
      },
      { to: 2030, paths: 500, seed: 3 },
    );
    const m: CostModel = { dimension: 'finance', priceYear: 2024, weekly: { fostering: 800, residential: 5000 }, uncosted: ['unallocated'] };
    const base = applyScenario(sys, m, { name: 'base', levers: [] });
    const fewer = applyScenario(sys, m, { name: 'fewer', levers: [admissions(-0.1, 2026)] });
    const rows = compareScenarios(base, [fewer]);
    const r = rows.find((x) => x.measure === 'children_in_care' && x.year === 2030);
    if (!r) throw new Error('missing row');
    const i = sys.years.indexOf(2030);
    const q = sys.stock.quantiles;
    // the difference's 80% range is far narrower than the base's own 80% range
    expect(r.diff_p90 - r.diff_p10).toBeLessThan((q.p90[i] - q.p10[i]) / 3);
    expect(r.diff_p90).toBeLessThan(0);
    // no lever: base equals projectCosts on the system
    expect(Array.from(base.costs.paths.total.values)).toEqual(Array.from(projectCosts(sys, m).paths.total.values));
  });
});

describe('bad scenarios are CarecastInputErrors naming the field', () => {
  it.each([
    ['year outside the horizon', [admissions(-0.1, 2040)], 'levers[0].from'],
    ['year before the horizon', [uasc(5, 2020)], 'levers[0].from'],
    ['unknown group', [stepDown('residential', 'b', 1, 2026)], 'levers[0].fromGroup'],
    ['unknown pool', [capacity('homes', 8, 2027)], 'levers[0].pool'],
    ['-100% admissions', [admissions(-1, 2026)], 'levers[0].change'],
    ['negative step-down', [stepDown('a', 'b', -1, 2026)], 'levers[0].children'],
    ['unknown group in cost inflation', [costInflation(0.01, 2026, ['zzz'])], 'levers[0].groups'],
  ] as [string, Lever[], string][])('%s', (_n, levers, field) => {
    const e = inputError(() => run(levers));
    expect(e.problems.map((p) => p.field)).toContain(field);
    expect(e.problems[0].source).toBe('scenario "test"');
  });
  it('capacity closed below zero by a lever is an error', () => {
    const m: CostModel = { ...model, capacity: [{ name: 'pool', internalGroup: 'a', externalGroup: 'b', places: 2 }] };
    expect(inputError(() => run([capacity('pool', -5, 2027)], m)).problems[0].field).toBe('capacity.pool.places');
  });
});
