/** Placement and provider mix: shares on the simplex, joint simulation, counts = shares x total, and the SFR panel. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findSeries } from '../../src/data/breakdown.js';
import { CarecastInputError } from '../../src/data/errors.js';
import { sfrDataset } from '../../src/data/loaders/sfr.js';
import { loadSfrFolder } from '../../src/data/loaders/dfeFiles.js';
import { loadDfePanel } from '../../src/data/panel.js';
import type { AnnualSeries } from '../../src/data/schemas.js';
import type { YearValue } from '../../src/data/yearValue.js';
import { SFR_FIXTURES } from '../helpers/fixtures.js';
import { createRng, streamSeed } from '../../src/math/rng.js';
import { qt } from '../../src/math/studentT.js';
import { fitMethod, isMethodName } from '../../src/models/registry.js';
import type { SamplePaths } from '../../src/models/types.js';
import { forecast } from '../../src/project/forecast.js';
import {
  FINANCE_CROSS_GROUPS,
  MIX_METHODS,
  fitMix,
  fitMixFromShares,
  forecastGroups,
  groupProjectionRecords,
  projectMix,
  type FittedMix,
} from '../../src/system/mix.js';
import type { PathBands } from '../../src/uncertainty/pathBands.js';

// Derbyshire's SFR tables (fixture cut from the real files) and every LA of the bundled DfE panel.
const SFR_DIR = SFR_FIXTURES;
const dfe = loadDfePanel();

/** Every LA's SFR years (2011-2017): the total and the five placement groups, from the bundled panel. */
function sfrEraLas(): { total: AnnualSeries; groups: Record<string, AnnualSeries> }[] {
  const upTo2017 = (s: AnnualSeries): AnnualSeries => ({ ...s, points: s.points.filter((p) => p.year <= 2017) });
  return dfe.areas
    .filter((a) => a.level === 'local_authority')
    .map((a) => dfe.series.get(a.name)!)
    .filter((s) => PLACEMENT_GROUPS.every((g) => s.breakdowns.placement[g]?.points.some((p) => p.year <= 2017)))
    .map((s) => ({ total: upTo2017(s.childrenInCare), groups: Object.fromEntries(PLACEMENT_GROUPS.map((g) => [g, upTo2017(s.breakdowns.placement[g]!)])) }));
}
const PLACEMENT_GROUPS = ['fostering', 'adoption', 'parents', 'residential', 'other'] as const;

const series = (first: number, values: readonly (number | null)[]): YearValue[] => values.map((value, i) => ({ year: first + i, value }));

function sampleQuantile(values: Float64Array | number[], p: number): number {
  const s = Float64Array.from(values).sort();
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * (s[Math.min(lo + 1, s.length - 1)] - s[lo]);
}

function expectNested(b: PathBands, tol = 1e-9): void {
  const [i80, i95] = b.intervals;
  expect(i80.level).toBe(80);
  expect(i95.level).toBe(95);
  b.median.forEach((m, h) => {
    expect(i95.lower[h]).toBeLessThanOrEqual(i80.lower[h] + tol);
    expect(i80.lower[h]).toBeLessThanOrEqual(m + tol);
    expect(m).toBeLessThanOrEqual(i80.upper[h] + tol);
    expect(i80.upper[h]).toBeLessThanOrEqual(i95.upper[h] + tol);
    const q = ['p5', 'p10', 'p25', 'p50', 'p75', 'p90', 'p95'].map((k) => b.quantiles[k][h]);
    for (let i = 1; i < q.length; i++) expect(q[i]).toBeGreaterThanOrEqual(q[i - 1] - tol);
  });
}

function expectSimplex(mix: FittedMix, horizon: number, paths: number, seed: number): void {
  const sim = mix.simulate(horizon, { paths, seed });
  let worstSum = 0;
  let outside = 0;
  for (let i = 0; i < paths * horizon; i++) {
    let sum = 0;
    for (const g of mix.groups) {
      const v = sim.shares[g].values[i];
      if (!(v >= 0 && v <= 1)) outside++;
      sum += v;
    }
    worstSum = Math.max(worstSum, Math.abs(sum - 1));
  }
  expect(outside).toBe(0);
  expect(worstSum).toBeLessThan(1e-12);
  const pt = mix.pointShares(horizon);
  for (let h = 0; h < horizon; h++) expect(Math.abs(mix.groups.reduce((a, g) => a + pt[g][h], 0) - 1)).toBeLessThan(1e-12);
}

describe('fitMix: shares and log-ratios', () => {
  const groups = {
    fostering: series(2011, [480, 500, 470, 450, 455]),
    residential: series(2011, [80, 85, 90, 95, 100]),
    other: series(2011, [40, 42, 38, 40, 45]),
  };

  it('naive keeps the last observed mix; the reference is the largest group; shares sum to one', () => {
    const mix = fitMix(groups);
    expect(mix.method).toBe('naive');
    expect(mix.reference).toBe('fostering');
    expect(mix.diagnostics.logRatioGroups).toEqual(['residential', 'other']);
    expect(mix.lastYear).toBe(2015);
    const pt = mix.pointShares(3);
    expect(pt.fostering).toEqual([455 / 600, 455 / 600, 455 / 600].map((v) => expect.closeTo(v, 14)));
    expect(pt.residential[2]).toBeCloseTo(100 / 600, 14);
    expect(mix.diagnostics.logRatios.residential[4]).toBeCloseTo(Math.log(100 / 455), 14);
    expectSimplex(mix, 6, 200, 3);
  });

  it('drift: point log-ratios z_T + h b map back to shares, by hand for two groups', () => {
    const mix = fitMix({ a: series(2020, [60, 55, 50]), b: series(2020, [40, 45, 50]) }, { method: 'drift' });
    // reference a (mean share 0.55); z = log(b/a) = log(40/60), log(45/55), 0; drift = (0 - log(2/3)) / 2
    const b = -Math.log(40 / 60) / 2;
    const z2 = 0 + 2 * b;
    const pt = mix.pointShares(2);
    expect(pt.b[1]).toBeCloseTo(Math.exp(z2) / (1 + Math.exp(z2)), 14);
    expect(pt.a[1]).toBeCloseTo(1 / (1 + Math.exp(z2)), 14);
  });

  it.each(MIX_METHODS)('%s: with two groups the simulated log-ratio is the univariate model with Student-t tails', (method) => {
    const a = [410, 400, 420, 415, 430, 440, 425, 450];
    const b = [90, 100, 96, 110, 104, 120, 118, 126];
    const mix = fitMix({ a: series(2010, a), b: series(2010, b) }, { method });
    const z = b.map((v, i) => Math.log(v / a[i]));
    const uni = fitMethod(method, z);
    const n = z.length;
    const df = method === 'naive' ? n - 1 : n - 2;
    expect(mix.diagnostics.df).toBe(df);
    const H = 3;
    const fcU = uni.forecast(H, { levels: [80] });
    const sim = mix.simulate(H, { paths: 40000, seed: 11 });
    for (let h = 0; h < H; h++) {
      const d = fcU.distributions[h];
      const [mean, sd] = d.type === 'normal' ? [d.mean, d.sd] : d.type === 'studentT' ? [d.mean, d.scale] : [NaN, NaN];
      const lr = new Float64Array(40000);
      for (let p = 0; p < 40000; p++) lr[p] = Math.log(sim.shares.b.values[p * H + h] / sim.shares.a.values[p * H + h]);
      for (const p of [0.1, 0.5, 0.9]) {
        const want = mean + sd * (p === 0.5 ? 0 : qt(p, df));
        expect(Math.abs(sampleQuantile(lr, p) - want)).toBeLessThan(0.04 * sd + 1e-9);
      }
    }
  });

  it('correlated innovations: simulated one-step log-ratio changes have the shrunk residual correlation', () => {
    // residential and other move together against fostering
    const rng = createRng(5);
    const f: number[] = [];
    const r: number[] = [];
    const o: number[] = [];
    let zr = Math.log(0.2);
    let zo = Math.log(0.1);
    for (let t = 0; t < 14; t++) {
      const shock = rng.normal() * 0.1;
      zr += shock + rng.normal() * 0.02;
      zo += shock + rng.normal() * 0.02;
      const den = 1 + Math.exp(zr) + Math.exp(zo);
      f.push((1000 * 1) / den);
      r.push((1000 * Math.exp(zr)) / den);
      o.push((1000 * Math.exp(zo)) / den);
    }
    const mix = fitMix({ fostering: series(2000, f), residential: series(2000, r), other: series(2000, o) });
    const rho = mix.diagnostics.correlation[0][1];
    expect(mix.diagnostics.sampleCorrelation[0][1]).toBeGreaterThan(0.8);
    expect(mix.diagnostics.lambda).toBeGreaterThanOrEqual(0);
    expect(mix.diagnostics.lambda).toBeLessThan(0.5);
    expect(rho).toBeCloseTo((1 - mix.diagnostics.lambda) * mix.diagnostics.sampleCorrelation[0][1], 12);
    const P = 20000;
    const sim = mix.simulate(1, { paths: P, seed: 2 });
    const zR = mix.diagnostics.logRatios.residential.at(-1)!;
    const zO = mix.diagnostics.logRatios.other.at(-1)!;
    const dr = new Float64Array(P);
    const dO = new Float64Array(P);
    for (let p = 0; p < P; p++) {
      dr[p] = Math.log(sim.shares.residential.values[p] / sim.shares.fostering.values[p]) - zR;
      dO[p] = Math.log(sim.shares.other.values[p] / sim.shares.fostering.values[p]) - zO;
    }
    // correlation of the draws (t-scaled draws share the scale, so the correlation is unchanged)
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let p = 0; p < P; p++) {
      sxy += dr[p] * dO[p];
      sxx += dr[p] * dr[p];
      syy += dO[p] * dO[p];
    }
    expect(sxy / Math.sqrt(sxx * syy)).toBeCloseTo(rho, 1);
  });

  it('the same seed gives the same paths; another seed does not', () => {
    const mix = fitMix(groups, { method: 'drift' });
    const a = mix.simulate(4, { paths: 50, seed: 9 });
    const b = mix.simulate(4, { paths: 50, seed: 9 });
    const c = mix.simulate(4, { paths: 50, seed: 10 });
    expect(a).toEqual(b);
    expect(Array.from(a.shares.other.values)).not.toEqual(Array.from(c.shares.other.values));
    expect(mix.forecastShares(4, { paths: 50, seed: 9 })).toEqual(mix.forecastShares(4, { paths: 50, seed: 9 }));
  });

  it("'auto' chooses one method for the mix by pooled rolling-origin accuracy", () => {
    const mix = fitMix(groups, { method: 'auto' });
    expect(mix.requestedMethod).toBe('auto');
    expect(MIX_METHODS).toContain(mix.method);
    expect(mix.selection?.scores.map((s) => s.method).sort()).toEqual([...MIX_METHODS].sort());
    expect(fitMix({ a: series(2020, [5, 6, 7]), b: series(2020, [5, 4, 3]) }, { method: 'auto' }).selection?.rule).toMatch(/too few/);
  });
});

describe('fitMix: gaps, zeros, totals and bad input', () => {
  it('replaces zero counts by half a child and says so', () => {
    const mix = fitMix({ a: series(2015, [100, 110, 105]), b: series(2015, [0, 3, 2]) });
    expect(mix.history[0].shares.b).toBeCloseTo(0.5 / 100.5, 14);
    expect(mix.caveats.join(' ')).toMatch(/Zero counts replaced by 0\.5 of a child.*b 2015/);
    expectSimplex(mix, 3, 100, 1);
  });

  it('interpolates an interior gap on the log-ratio scale and drops unknown ends', () => {
    const mix = fitMix({ a: series(2010, [null, 100, null, 100, 90]), b: series(2010, [5, 20, 30, 80, null]) });
    expect(mix.history.map((h) => `${h.year} ${h.status}`)).toEqual(['2011 observed', '2012 interpolated', '2013 observed']);
    // log-ratio midway between log(20/100) and log(80/100): b/a = 40/100
    expect(mix.history[1].shares.b).toBeCloseTo(40 / 140, 12);
    expect(mix.caveats.join(' ')).toMatch(/2012.*interpolation of the log-ratios/);
    expect(mix.caveats.join(' ')).toMatch(/2010, 2014 at the ends/);
  });

  it('with a total: a single suppressed group is the total minus the others, within its suppression bound', () => {
    const groups = {
      fostering: series(2014, [446, 448, 420]),
      residential: series(2014, [91, 65, 97]),
      other: [{ year: 2014, value: null, suppressed: { marker: 'x', upper: 22 } }, { year: 2015, value: 90 }, { year: 2016, value: 68 }],
    };
    const mix = fitMix(groups as never, { total: series(2014, [559, 603, 585]) });
    expect(mix.history[0].status).toBe('deduced');
    expect(mix.history[0].counts.other).toBe(22);
    expect(mix.caveats.join(' ')).toMatch(/other 2014 = 22/);
    expect(mix.remainderGroup).toBeUndefined();
  });

  it('with a total: several suppressed groups share the rest by their average shares, capped at their bounds', () => {
    const x = (upper: number) => ({ year: 2016, value: null, suppressed: { marker: 'x', upper } });
    const groups = {
      a: series(2014, [60, 62, 70]),
      b: [{ year: 2014, value: 30 }, { year: 2015, value: 28 }, x(12)],
      c: [{ year: 2014, value: 10 }, { year: 2015, value: 10 }, x(20)],
    };
    const mix = fitMix(groups as never, { total: series(2014, [100, 100, 100]) });
    // rest = 30; by shares b 0.29, c 0.10 -> b 22.3 > 12: b = 12, c = 18
    expect(mix.history[2].status).toBe('imputed');
    expect(mix.history[2].counts.b).toBeCloseTo(12, 12);
    expect(mix.history[2].counts.c).toBeCloseTo(18, 12);
    expect(mix.caveats.join(' ')).toMatch(/2016 \(b 12, c 18 of 30\).*estimates/);
    // bounds that cannot hold the rest: the year stays a gap (here at the end, so it is dropped)
    const tight = fitMix({ ...groups, c: [{ year: 2014, value: 10 }, { year: 2015, value: 10 }, x(5)] } as never, { total: series(2014, [100, 100, 100]) });
    expect(tight.lastYear).toBe(2015);
  });

  it('groups short of the total: a remainder group is added (the finance cross), or an error on request', () => {
    const cross = {
      fostering_internal: series(2019, [300, 290, 280, 285]),
      fostering_external: series(2019, [150, 165, 180, 190]),
      residential_internal: series(2019, [20, 18, 19, 17]),
      residential_external: series(2019, [60, 70, 82, 90]),
    };
    const total = series(2019, [620, 640, 668, 690]);
    const mix = fitMix(cross, { total });
    expect(mix.groups).toEqual([...FINANCE_CROSS_GROUPS, 'unallocated']);
    expect(mix.history[0].counts.unallocated).toBe(90);
    expect(mix.caveats.join(' ')).toMatch(/"unallocated"/);
    expectSimplex(mix, 5, 100, 2);
    const gp = forecastGroups(total, cross, { to: 2026, paths: 300, seed: 4 });
    expect(gp.groups).toEqual([...FINANCE_CROSS_GROUPS, 'unallocated']);
    expect(gp.coherence.coherent).toBe(true);
    expect(() => fitMix(cross, { total, remainder: 'error' })).toThrow(/cover less than the total in 2019 \(90 of 620\)/);
  });

  it('bad input: each error names the group (field), the year, the values and a fix', () => {
    const err = (f: () => unknown): CarecastInputError => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(CarecastInputError);
        return e as CarecastInputError;
      }
      throw new Error('expected an error');
    };
    const over = err(() => fitMix({ a: series(2020, [50, 60]), b: series(2020, [30, 50]) }, { total: series(2020, [80, 100]) }));
    expect(over.problems[0]).toMatchObject({ field: 'total', row: 2 });
    expect(over.message).toMatch(/2021: the groups sum to 110 \(a 60, b 50\), more than the total 100.*Fix:/);
    const years = err(() => fitMix({ a: series(2020, [1, 2, 3]), b: series(2021, [1, 2, 3]) }));
    expect(years.problems[0].field).toBe('b');
    expect(years.message).toMatch(/missing 2020.*extra 2023.*same years/);
    const neg = err(() => fitMix({ a: series(2020, [1, -2, 3]), b: series(2020, [1, 2, 3]) }));
    expect(neg.problems[0]).toMatchObject({ field: 'a', row: 2 });
    expect(neg.message).toMatch(/2021: negative count -2/);
    expect(err(() => fitMix({ a: series(2020, [1, 2]) })).message).toMatch(/at least two groups/);
    expect(err(() => fitMix({ a: series(2020, [1, 2]), b: series(2020, [3, 4]) }, { method: 'drift' })).message).toMatch(/drift needs at least 3 years/);
    expect(err(() => fitMix({ a: series(2020, [1, 2]), b: series(2020, [3, 4]) }, { reference: 'c' })).problems[0].field).toBe('reference');
    expect(err(() => fitMix({ a: series(2020, [1, null]), b: series(2020, [3, 4]) })).message).toMatch(/only 1 year with every group known/);
    const sh = err(() => fitMixFromShares({ a: series(2020, [0.5, 0.6]), b: series(2020, [0.5, 0.3]) }));
    expect(sh.problems[0].field).toBe('shares');
    expect(sh.message).toMatch(/2021: the shares sum to 0\.9 \(a 0\.6, b 0\.3\), not 1/);
    expect(err(() => fitMixFromShares({ a: series(2020, [42, 40]), b: series(2020, [58, 60]) })).message).toMatch(/share 42 is above 1.*0\.42 for 42%/);
  });

  it('fitMixFromShares rescales rounded percentages and fits the same mix as counts', () => {
    const mix = fitMixFromShares({ a: series(2020, [0.71, 0.69, 0.7]), b: series(2020, [0.3, 0.31, 0.3]) });
    expect(mix.caveats.join(' ')).toMatch(/rescaled to sum to one in 2020/);
    expect(mix.pointShares(1).a[0]).toBeCloseTo(0.7, 14);
    const counts = fitMix({ a: series(2020, [71, 69, 70]), b: series(2020, [30, 31, 30]) });
    expect(mix.pointShares(2)).toEqual(counts.pointShares(2));
  });
});

describe('projectMix and forecastGroups: counts = shares x total', () => {
  it('fast-check: shares stay on the simplex; groups sum to the total in every path; counts >= 0; bands nested', () => {
    const input = fc
      .record({ k: fc.integer({ min: 2, max: 5 }), n: fc.integer({ min: 3, max: 8 }) })
      .chain(({ k, n }) =>
        fc.record({
          counts: fc.array(fc.array(fc.integer({ min: 0, max: 400 }), { minLength: n, maxLength: n }), { minLength: k, maxLength: k }),
          method: fc.constantFrom(...MIX_METHODS),
          seed: fc.integer({ min: 0, max: 1e6 }),
          shift: fc.double({ min: -300, max: 300, noNaN: true }),
        }),
      )
      .filter(({ counts }) => counts[0].every((_, t) => counts.some((c) => c[t] > 0)));
    fc.assert(
      fc.property(input, ({ counts, method, seed, shift }) => {
        const groups = Object.fromEntries(counts.map((c, g) => [`g${g}`, series(2010, c)]));
        const mix = fitMix(groups, { method });
        expectSimplex(mix, 4, 60, seed);
        // total paths that sometimes fall below zero
        const rng = createRng(seed);
        const total: SamplePaths = { paths: 60, horizon: 4, values: Float64Array.from({ length: 240 }, () => 200 + shift + 150 * rng.normal()) };
        const mp = projectMix(total, mix.simulate(4, { paths: 60, seed: streamSeed(seed, 1) }));
        let negative = 0;
        let clipWrong = 0;
        let worst = 0;
        for (let i = 0; i < 240; i++) {
          let sum = 0;
          for (const g of mp.groups) {
            if (mp.counts[g].values[i] < 0) negative++;
            sum += mp.counts[g].values[i];
          }
          if (mp.total.values[i] !== Math.max(0, total.values[i])) clipWrong++;
          worst = Math.max(worst, Math.abs(sum - mp.total.values[i]) / Math.max(1, mp.total.values[i]));
        }
        expect(negative).toBe(0);
        expect(clipWrong).toBe(0);
        expect(worst).toBeLessThan(1e-12);
        expect(mp.maxRelativeIncoherence).toBe(worst);
        expectNested(mp.totalBands);
        for (const g of mp.groups) expectNested(mp.bands[g]);
      }),
      { numRuns: 80 },
    );
  });

  it('fast-check: forecastGroups points add up exactly, paths add up, bands are nested and non-negative', () => {
    const input = fc
      .record({ k: fc.integer({ min: 2, max: 4 }), n: fc.integer({ min: 4, max: 9 }) })
      .chain(({ k, n }) =>
        fc.record({
          counts: fc.array(fc.array(fc.integer({ min: 1, max: 300 }), { minLength: n, maxLength: n }), { minLength: k, maxLength: k }),
          extra: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }),
          h: fc.integer({ min: 1, max: 6 }),
        }),
      );
    fc.assert(
      fc.property(input, ({ counts, extra, h }) => {
        const groups = Object.fromEntries(counts.map((c, g) => [`g${g}`, series(2010, c)]));
        const total = series(
          2010,
          counts[0].map((_, t) => counts.reduce((a, c) => a + c[t], 0) + extra[t]),
        );
        const gp = forecastGroups(total, groups, { horizon: h, paths: 80, seed: 3 });
        expect(gp.coherence.coherent).toBe(true);
        expect(gp.years.length).toBe(h);
        gp.years.forEach((_, i) => {
          const sum = gp.groups.reduce((a, g) => a + gp.byGroup[g].point[i], 0);
          expect(Math.abs(sum - gp.total.point[i])).toBeLessThanOrEqual(1e-9 * Math.max(1, gp.total.point[i]));
        });
        expectNested(gp.total);
        for (const g of gp.groups) {
          expectNested(gp.byGroup[g]);
          gp.byGroup[g].intervals.forEach((iv) => iv.lower.forEach((v) => expect(v).toBeGreaterThanOrEqual(0)));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('projectMix refuses paths that do not line up', () => {
    const mix = fitMix({ a: series(2020, [1, 2]), b: series(2020, [3, 4]) });
    expect(() => projectMix({ paths: 10, horizon: 2, values: new Float64Array(20) }, mix.simulate(3, { paths: 10 }))).toThrow(/10 paths x 2 steps, the mix 10 x 3/);
  });

  it('tidy records: one row per year for the total and each group, with the interval columns', () => {
    const gp = forecastGroups(series(2015, [100, 104, 110, 113]), { a: series(2015, [60, 61, 66, 70]), b: series(2015, [40, 43, 44, 43]) }, { to: 2020, paths: 200 });
    const rows = groupProjectionRecords(gp);
    expect(rows.length).toBe(3 * 2);
    expect(Object.keys(rows[0])).toEqual(['area', 'measure', 'year', 'group', 'type', 'point', 'median', 'share', 'lo_80', 'hi_80', 'lo_95', 'hi_95']);
    expect(rows.map((r) => `${r.year} ${r.group}`).slice(0, 3)).toEqual(['2019 total', '2019 a', '2019 b']);
    expect(rows[1].point).toBeCloseTo(rows[0].point * rows[1].share, 9);
  });
});

describe('the DfE SFR panel (placement groups 2011-2017, no 2018)', () => {
  const panel = loadSfrFolder(SFR_DIR);

  it('Derbyshire (E10000007): placement groups to 2021; every path adds up, counts >= 0, bands nested, same seed same result', () => {
    const ds = sfrDataset(panel!, 'E10000007');
    const total = findSeries(ds, 'children_in_care');
    const groups = Object.fromEntries(PLACEMENT_GROUPS.map((g) => [g, findSeries(ds, 'children_in_care', { placement: g })]));
    const gp = forecastGroups(total, groups, { to: 2021, seed: 42 });
    expect(gp.area).toBe('Derbyshire');
    expect(gp.years).toEqual([2018, 2019, 2020, 2021]);
    expect(gp.groups).toEqual([...PLACEMENT_GROUPS]);
    expect(gp.coherence.coherent).toBe(true);
    expect(gp.coherence.maxPathError).toBeLessThan(1e-9);
    expect(gp.coherence.maxPointError).toBeLessThan(1e-9);
    // 2014: other suppressed (x, at most 22) = 628 - 606; 2015: parents (x, at most 19) and other (at most 51)
    // share 603 - 552 = 51 in proportion to their average shares in the other years
    expect(gp.diagnostics.mixHistory.map((h) => h.status)).toEqual(['observed', 'observed', 'observed', 'deduced', 'imputed', 'observed', 'observed']);
    expect(gp.caveats.join('\n')).toMatch(/other 2014 = 22/);
    const y2015 = gp.diagnostics.mixHistory[4].counts;
    expect((y2015.parents as number) + (y2015.other as number)).toBeCloseTo(51, 9);
    expect(y2015.parents as number).toBeLessThanOrEqual(19);
    expect(y2015.parents as number).toBeLessThan(y2015.other as number);
    expect(gp.diagnostics.reference).toBe('fostering');
    // naive mix: the 2017 shares (467 of 630 fostering)
    expect(gp.byGroup.fostering.share[3]).toBeCloseTo(467 / 630, 12);
    expectNested(gp.total);
    for (const g of gp.groups) expectNested(gp.byGroup[g]);
    expect(forecastGroups(total, groups, { to: 2021, seed: 42 })).toEqual(gp);
    expect(forecastGroups(total, groups, { to: 2021, seed: 43 }).byGroup.fostering.median).not.toEqual(gp.byGroup.fostering.median);

    // the same projection, path by path: the total's model and the mix on streams 0 and 1
    // forecastGroups projects the total with per-series auto (its totalMethod default: a global method has no paths to simulate)
    const proj = forecast(total, { to: 2021, method: 'auto' });
    if (!isMethodName(proj.method)) throw new Error(`auto chose ${proj.method}`);
    const totalPaths = fitMethod(proj.method, proj.history.map((h) => h.used)).simulate(4, { paths: 1000, seed: streamSeed(42, 0) });
    const mix = fitMix(groups, { total });
    const mp = projectMix(totalPaths, mix.simulate(4, { paths: 1000, seed: streamSeed(42, 1) }));
    expect(mp.bands.fostering.median).toEqual(gp.byGroup.fostering.median);
    expect(mp.totalBands.quantiles).toEqual(gp.total.quantiles);
    expect(mp.bands.fostering.intervals).toEqual(gp.byGroup.fostering.intervals);
    let worst = 0;
    let negative = 0;
    for (let i = 0; i < 4000; i++) {
      const sum = mp.groups.reduce((a, g) => a + mp.counts[g].values[i], 0);
      worst = Math.max(worst, Math.abs(sum - mp.total.values[i]));
      for (const g of mp.groups) if (mp.counts[g].values[i] < 0) negative++;
    }
    expect(worst).toBeLessThan(1e-9);
    expect(negative).toBe(0);
  });

  it('Derbyshire with the panel total (2011-2017, 2019-2024): 2018-2024 use the known total, groups projected to 2026', () => {
    const ds = sfrDataset(panel!, 'E10000007');
    const groups = Object.fromEntries(PLACEMENT_GROUPS.map((g) => [g, findSeries(ds, 'children_in_care', { placement: g })]));
    const total = dfe.series.get('Derbyshire')!.childrenInCare;
    const gp = forecastGroups(total, groups, { to: 2026, seed: 7, paths: 500 });
    expect(gp.years).toEqual([2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]);
    expect(gp.total.observed).toEqual([true, true, true, true, true, true, true, false, false]);
    expect(gp.total.point.slice(1, 7)).toEqual([801, 862, 899, 912, 996, 1057]);
    expect(gp.total.point[0]).toBeCloseTo((630 + 801) / 2, 9); // 2018 interpolated
    expect(gp.total.intervals[1].lower[2]).toBe(862);
    expect(gp.total.intervals[1].upper[2]).toBe(862);
    expect(gp.byGroup.fostering.intervals[1].upper[2]).toBeGreaterThan(gp.byGroup.fostering.intervals[1].lower[2]);
    expect(gp.caveats.join('\n')).toMatch(/known to 2017; for 2018-2024 the total is known \(2018 interpolated\)/);
    expect(gp.coherence.coherent).toBe(true);
    for (const g of gp.groups) expectNested(gp.byGroup[g]);
  });

  it('every LA: naive log-ratios forecast placement shares better than drift or linear, from every origin (the documented default)', () => {
    const las = sfrEraLas();
    for (const last of [2013, 2014, 2015, 2016]) {
      const err: Record<string, number[]> = { naive: [], drift: [], linear: [] };
      let used = 0;
      for (const { total, groups } of las) {
        let full: FittedMix;
        const fits: Partial<Record<(typeof MIX_METHODS)[number], FittedMix>> = {};
        try {
          full = fitMix(groups, { total });
          for (const m of MIX_METHODS) {
            fits[m] = fitMix(
              Object.fromEntries(PLACEMENT_GROUPS.map((g) => [g, groups[g].points.filter((p) => p.year <= last)])),
              { total: total.points.filter((p) => p.year <= last), method: m },
            );
          }
        } catch {
          continue;
        }
        if (fits.naive!.lastYear !== last || full.groups.length !== PLACEMENT_GROUPS.length) continue;
        used++;
        const actual = new Map(full.history.filter((h) => h.status === 'observed' || h.status === 'deduced').map((h) => [h.year, h.shares]));
        for (const m of MIX_METHODS) {
          const ps = fits[m]!.pointShares(2017 - last);
          ps.fostering.forEach((_, h) => {
            const a = actual.get(last + 1 + h);
            if (a) err[m].push(PLACEMENT_GROUPS.reduce((s, g) => s + Math.abs(ps[g][h] - a[g]), 0) / PLACEMENT_GROUPS.length);
          });
        }
      }
      const mae = (m: string) => (100 * err[m].reduce((a, b) => a + b, 0)) / err[m].length;
      expect(used).toBeGreaterThan(140);
      expect(mae('naive')).toBeLessThan(mae('drift'));
      expect(mae('naive')).toBeLessThan(mae('linear'));
      expect(mae('naive')).toBeLessThan(2.3);
    }
  });

  it('every LA: the simulated share bands are close to their nominal coverage (80%: 72-88%; 95%: 88-99%)', () => {
    const las = sfrEraLas();
    const inside: Record<number, number[]> = { 80: [], 95: [] };
    for (const last of [2013, 2014, 2015, 2016]) {
      for (const { total, groups } of las) {
        let full: FittedMix;
        let fit: FittedMix;
        try {
          full = fitMix(groups, { total });
          fit = fitMix(Object.fromEntries(PLACEMENT_GROUPS.map((g) => [g, groups[g].points.filter((p) => p.year <= last)])), { total: total.points.filter((p) => p.year <= last) });
        } catch {
          continue;
        }
        if (fit.lastYear !== last || full.groups.length !== PLACEMENT_GROUPS.length) continue;
        const actual = new Map(full.history.filter((h) => h.status === 'observed' || h.status === 'deduced').map((h) => [h.year, h.shares]));
        const f = fit.forecastShares(2017 - last, { paths: 1000, seed: 1 });
        for (let h = 0; h < 2017 - last; h++) {
          const a = actual.get(last + 1 + h);
          if (!a) continue;
          for (const g of PLACEMENT_GROUPS) for (const iv of f.bands[g].intervals) inside[iv.level].push(a[g] >= iv.lower[h] && a[g] <= iv.upper[h] ? 1 : 0);
        }
      }
    }
    const rate = (l: number) => inside[l].reduce((a, b) => a + b, 0) / inside[l].length;
    expect(inside[80].length).toBeGreaterThan(1000);
    expect(rate(80)).toBeGreaterThan(0.72);
    expect(rate(80)).toBeLessThan(0.88);
    expect(rate(95)).toBeGreaterThan(0.88);
    expect(rate(95)).toBeLessThan(0.99);
  });
});
