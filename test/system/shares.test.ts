/** Share dynamics by hand: log-ratios, the candidates, the pooled fits, the one-standard-error choice; and the breakdown tables. */
import { describe, expect, it } from 'vitest';
import { groupTable } from '../../src/system/groupTable.js';
import { chooseShareModel, fitS1, fitS2, fitShareDynamics, oneStandardError, panelDriftAt } from '../../src/system/shareFit.js';
import { choleskyLower } from '../../src/math/linalg.js';
import { invAlr, ownDrift, shareData, zAt, type ShareData } from '../../src/system/logRatios.js';
import { shareStart, simulateShares } from '../../src/system/sharePaths.js';
import { candidatePoint } from '../../src/system/shares.js';
import { fillNormal, normalStream } from '../../src/math/rng.js';
import { errorOf } from '../helpers/inputError.js';
import type { ShareScaleChoice } from '../../src/system/shares.js';

/** The record of an innovation estimator forced, for hand-made dynamics. */
const NO_CHOICE: ShareScaleChoice = { estimator: 'classical', scores: [], forecasts: 0, rule: 'classical, as asked', excluded: 0 };

/** An area's shares from counts by year (groups a, b, c; reference a). */
function area(counts: Record<number, [number, number, number]>): ShareData {
  const years = Object.keys(counts).map(Number);
  const groups = { a: years.map((y) => ({ year: y, value: counts[y][0] })), b: years.map((y) => ({ year: y, value: counts[y][1] })), c: years.map((y) => ({ year: y, value: counts[y][2] })) };
  return shareData(groupTable('test', groups, { partition: true }), 'a');
}

describe('log-ratios and shares', () => {
  it('invAlr: shares from log-ratios, the reference at 0; sums to one', () => {
    const s = new Float64Array(3);
    invAlr([Math.log(2), Math.log(3)], 0, s); // a : b : c = 1 : 2 : 3
    expect(Array.from(s).map((v) => v * 6)).toEqual([1, 2, 3].map((v) => expect.closeTo(v, 12)));
    invAlr([800, 800], 1, s); // no overflow
    expect(s[1]).toBe(0);
    expect(s[0]).toBeCloseTo(0.5, 12);
  });

  it('shareData: log(count / reference count), zero counts as 0.5', () => {
    const d = area({ 2020: [10, 0, 20] });
    expect(zAt(d, 2020)).toEqual(Float64Array.from([Math.log(0.5 / 10), Math.log(2)]));
    expect(zAt(d, 2021)).toBeNull();
  });

  it('own drift: (z_o - z_a) / (o - a), a the earliest year in o-5..o-1', () => {
    const d = area({ 2016: [10, 10, 10], 2020: [10, 20, 10], 2021: [10, 40, 10] });
    // at 2021: a = 2016 (in 2016..2020): (log 4 - 0) / 5
    expect(ownDrift(d, 2021)?.[0]).toBeCloseTo(Math.log(4) / 5, 14);
    // at 2020: a = 2016 (in 2015..2019): log 2 / 4
    expect(ownDrift(d, 2020)?.[0]).toBeCloseTo(Math.log(2) / 4, 14);
    expect(ownDrift(d, 2016)).toBeNull();
  });

  it('candidates by hand: S0 the last, S1 m + (1 - beta)^h (z - m), S2 z + c (phi + ... + phi^h)', () => {
    const d = area({ 2020: [10, 10, 10], 2021: [10, 20, 10], 2022: [10, 40, 10] });
    const z = new Float64Array(2);
    const params = { beta: [0.5, 0.5], w: 0.5, phi: 0.5, panelDrift: [0.1, 0] };
    expect(candidatePoint('S0', d, 2022, 3, params, z)).toBe(true);
    expect(z[0]).toBeCloseTo(Math.log(4), 14);
    // S1: m = (0 + log 2 + log 4) / 3 = log 2; z = log 4; h = 2: log 2 + 0.25 (log 4 - log 2)
    candidatePoint('S1', d, 2022, 2, params, z);
    expect(z[0]).toBeCloseTo(Math.log(2) * 1.25, 14);
    expect(z[1]).toBeCloseTo(0, 14);
    // S2: own drift (log 4 - 0) / 2 = log 2; c = 0.5 log 2 + 0.5 x 0.1; h = 2: sum 0.5 + 0.25
    candidatePoint('S2', d, 2022, 2, params, z);
    expect(z[0]).toBeCloseTo(Math.log(4) + (0.5 * Math.log(2) + 0.05) * 0.75, 14);
    expect(candidatePoint('S1', d, 2022, 2, { ...params, beta: null }, z)).toBe(false);
  });

  it('fitS1: beta per log-ratio by least squares through the origin, by hand', () => {
    // one area, log-ratio b: 0, log 2, 0 -> 2022: m = log 2 / 2, y = log 2: gap -log 2 / 2, dy -log 2 -> beta = 2 -> 1
    // log-ratio c: 0, 0, log 2 -> gap 0: no information -> NaN -> S1 not fitted
    const d = area({ 2020: [10, 10, 10], 2021: [10, 20, 10], 2022: [10, 10, 20] });
    expect(fitS1([d], 2022)).toBeNull();
    const e = area({ 2020: [10, 10, 10], 2021: [10, 20, 20], 2022: [10, 10, 10] });
    // both: gap -log 2 / 2, dy -log 2: raw 2, clamped to 1
    expect(fitS1([e], 2022)).toEqual([1, 1]);
    // two areas: the second's b goes 0, log 2, log 2 (gap -log2/2, dy 0): beta = (log2^2/2) / (2 log2^2 / 4) = 1
    const f = area({ 2020: [10, 10, 10], 2021: [10, 20, 20], 2022: [10, 20, 20] });
    expect(fitS1([e, f], 2022)?.[0]).toBeCloseTo(1, 14);
    expect(fitS1([f], 2022)).toEqual([0, 0]);
  });

  it('the panel drift is the 10% trimmed mean of the own drifts at the year', () => {
    const areas = Array.from({ length: 10 }, (_, i) => area({ 2020: [10, 10, 10], 2021: [10, 10 * Math.exp(i === 9 ? 5 : i / 10), 10] }));
    // own drifts 0, 0.1, ..., 0.8 and 5: trim one from each end -> mean of 0.1..0.8 = 0.45
    expect(panelDriftAt(areas, 2021)[0]).toBeCloseTo(0.45, 12);
    expect(panelDriftAt(areas, 2021)[1]).toBe(0);
  });

  it('fitS2: a panel with a common steady drift is fitted by no damping', () => {
    const areas = Array.from({ length: 6 }, (_, i) =>
      area(Object.fromEntries([2015, 2016, 2017, 2018, 2019, 2020, 2021].map((y) => [y, [100, 100 * Math.exp(0.1 * (y - 2015) + i / 10), 100] as [number, number, number]]))),
    );
    const s2 = fitS2(areas, 2021);
    expect(s2.phi).toBe(1);
    expect(s2.loss).toBeCloseTo(0, 10);
    expect(s2.panelDrift[0]).toBeCloseTo(0.1, 12);
    expect(s2.forecasts).toBeGreaterThan(0);
  });
});

describe('the choice (decision 14)', () => {
  it('one standard error by hand: the simplest within the lowest mean plus its standard error', () => {
    // S0 [1, 3]: mean 2, se sqrt((5 - 4) / 1) = 1; S2 [1, 2]: mean 1.5, se 0.5 -> limit 2: S0
    expect(oneStandardError(['S0', 'S2'], [[1, 3], [1, 2]]).chosen).toBe('S0');
    // S0 [3, 3]: mean 3 > 2: S2
    expect(oneStandardError(['S0', 'S2'], [[3, 3], [1, 2]]).chosen).toBe('S2');
    const r = oneStandardError(['S2', 'S0', 'S1'], [[1, 2], [3, 3], [1.9, 2]]);
    expect(r.chosen).toBe('S1'); // 1.95 <= 2: simpler than S2
    expect(r.scores.map((s) => s.model)).toEqual(['S0', 'S1', 'S2']);
    expect(r.best.model).toBe('S2');
  });

  it('noise around each area\'s own level chooses S1; a steady drift chooses S2; nothing to score keeps S0', () => {
    const years = Array.from({ length: 12 }, (_, i) => 2010 + i);
    let s = 3;
    const u = (): number => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return s / 2147483648 - 0.5;
    };
    const noisy = Array.from({ length: 20 }, (_, i) => area(Object.fromEntries(years.map((y) => [y, [100, 100 * Math.exp(i / 10 + 0.6 * u()), 100 * Math.exp(0.6 * u())] as [number, number, number]]))));
    expect(chooseShareModel(noisy, 2021, ['S0', 'S1', 'S2']).model).toBe('S1');
    const trend = Array.from({ length: 8 }, (_, i) => area(Object.fromEntries(years.map((y, t) => [y, [100, 100 * Math.exp(0.15 * t + i / 20), 100 * Math.exp(-0.05 * t)] as [number, number, number]]))));
    expect(chooseShareModel(trend, 2021, ['S0', 'S1', 'S2']).model).toBe('S2');
    // nothing to score: S0, said
    const short = [area({ 2020: [1, 2, 3] })];
    const c = chooseShareModel(short, 2020, ['S0', 'S1', 'S2']);
    expect(c.model).toBe('S0');
    expect(c.rule).toMatch(/no forecast/);
  });

  it('fitShareDynamics: the chosen model, its innovation covariance (symmetric, positive on the diagonal), JSON-ready', () => {
    const years = Array.from({ length: 8 }, (_, i) => 2014 + i);
    let s = 7;
    const u = (): number => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return s / 2147483648 - 0.5;
    };
    const areas = Array.from({ length: 12 }, () => {
      let b = 0;
      let c = 0;
      return area(Object.fromEntries(years.map((y) => [y, [100, 100 * Math.exp((b += u() * 0.3)), 100 * Math.exp((c += u() * 0.3))] as [number, number, number]])));
    });
    const dyn = fitShareDynamics(areas, 2021, 'test', { bc: ['b', 'c'] });
    expect(dyn.groups).toEqual(['a', 'b', 'c']);
    expect(dyn.reference).toBe('a');
    expect(dyn.logRatios).toEqual(['b', 'c']);
    expect(dyn.covariance[0][1]).toBe(dyn.covariance[1][0]);
    expect(dyn.covariance[0][0]).toBeGreaterThan(0);
    expect(choleskyLower(dyn.covariance)).not.toBeNull();
    expect(JSON.parse(JSON.stringify(dyn))).toEqual(dyn);
    expect(dyn.rows).toBe(12 * 7);
  });

  it('a breakdown with no two consecutive years cannot be fitted', () => {
    expect(errorOf(() => fitShareDynamics([area({ 2020: [1, 2, 3] })], 2020, 'test')).message).toMatch(/two consecutive years/);
  });
});

describe('simulation', () => {
  it('choleskyLower by hand', () => {
    expect(Array.from(choleskyLower([[4, 2], [2, 2]]) ?? [])).toEqual([2, 0, 1, 1]);
    expect(Array.from(choleskyLower([[0, 0], [0, 1]]) ?? [])).toEqual([0, 0, 0, 1]);
    expect(choleskyLower([[1, 2], [2, 1]])).toBeNull();
  });

  it('shares stay in [0, 1] and add to one on every path; a start before the stock year simulates the gap; the same stream gives the same paths', () => {
    const d = area({ 2020: [50, 30, 20], 2021: [55, 25, 20], 2022: [60, 25, 15] });
    const dyn = { groups: ['a', 'b', 'c'], reference: 'a', logRatios: ['b', 'c'], derived: {}, model: 'S2' as const, scores: [], forecasts: 0, rule: '', beta: [0.3, 0.3], w: 0.5, phi: 0.9, panelDrift: [0.01, -0.02], covariance: [[0.09, 0.03], [0.03, 0.16]], lambda: 0.2, scale: NO_CHOICE, rows: 10, areas: 1 };
    const start = shareStart(d, dyn)!;
    expect(start.year).toBe(2022);
    const paths = simulateShares(start, dyn, 2024, 300, 6, normalStream(9));
    expect(paths).toHaveLength(3);
    for (let k = 0; k < 300 * 6; k++) {
      const sum = paths[0].values[k] + paths[1].values[k] + paths[2].values[k];
      expect(sum).toBeCloseTo(1, 12);
      for (const p of paths) {
        expect(p.values[k]).toBeGreaterThanOrEqual(0);
        expect(p.values[k]).toBeLessThanOrEqual(1);
      }
    }
    expect(Array.from(simulateShares(start, dyn, 2024, 300, 6, normalStream(9))[1].values)).toEqual(Array.from(paths[1].values));
  });

  it('one path by hand, two groups: S0 z + e, S1 z + beta (m - z) + e, S2 z + c phi^h + e, from a start two years before the stock year', () => {
    // a = reference; b/a: 2020 log 1, 2021 log(1/2), 2022 log(1/4) (counts 40/40, 40/20, 40/10)
    const d = shareData(groupTable('test', { a: [2020, 2021, 2022].map((year) => ({ year, value: 40 })), b: [40, 20, 10].map((value, i) => ({ year: 2020 + i, value })) }, { partition: true }), 'a');
    const base = { groups: ['a', 'b'], reference: 'a', logRatios: ['b'], derived: {}, scores: [], forecasts: 0, rule: '', beta: [0.25], w: 0.5, phi: 0.8, panelDrift: [0.1], covariance: [[0.04]], lambda: 0, scale: NO_CHOICE, rows: 3, areas: 1 };
    const u = new Float64Array(4);
    fillNormal(normalStream(3), u); // 1 path x 4 steps (2023, 2024: not reported; 2025, 2026)
    const z0 = Math.log(10 / 40);
    const m = (Math.log(1) + Math.log(0.5) + z0) / 3; // the own mean over 2018-2022
    const own = (z0 - 0) / 2; // the own drift from 2020 (the earliest year in 2017-2021) to 2022
    const c = 0.5 * own + 0.5 * 0.1;
    const share = (z: number): number => 1 / (1 + Math.exp(z)); // the reference's share
    const run = (model: 'S0' | 'S1' | 'S2'): number[] => {
      let z = z0;
      const out: number[] = [];
      for (let h = 1; h <= 4; h++) {
        const e = 0.2 * u[h - 1];
        z = model === 'S0' ? z + e : model === 'S1' ? z + 0.25 * (m - z) + e : z + c * 0.8 ** h + e;
        if (h > 2) out.push(share(z));
      }
      return out;
    };
    for (const model of ['S0', 'S1', 'S2'] as const) {
      const dyn = { ...base, model };
      const start = shareStart(d, dyn)!;
      expect(start.mean[0]).toBeCloseTo(m, 14);
      expect(start.drift[0]).toBeCloseTo(c, 14);
      const [a, b] = simulateShares(start, dyn, 2024, 1, 2, normalStream(3));
      const want = run(model);
      expect(a.values[0]).toBeCloseTo(want[0], 12);
      expect(a.values[1]).toBeCloseTo(want[1], 12);
      expect(b.values[1]).toBeCloseTo(1 - want[1], 12);
    }
  });
});

describe('breakdown tables (decisions 2a, 3)', () => {
  const total = [2020, 2021, 2022, 2023].map((year, i) => ({ year, value: [100, 110, 120, 130][i] }));

  it('one missing group is the total minus the others; a bound is half of it; a year still unknown is left out; a shortfall is "unallocated"', () => {
    const t = groupTable(
      'placement',
      {
        fostering: [
          { year: 2020, value: 60 },
          { year: 2021, value: null },
          { year: 2022, value: 70 },
          { year: 2023, value: null },
        ],
        residential: [
          { year: 2020, value: 20 },
          { year: 2021, value: 30 },
          { year: 2022, value: null, suppressed: { marker: 'c', upper: 10 } },
          { year: 2023, value: null },
        ],
      },
      { total },
    );
    expect(t.groups).toEqual(['fostering', 'residential', 'unallocated']);
    // 2020: 60 + 20 of 100: the groups fall short, so unallocated 20 and no group is deduced from the total;
    // 2021: fostering unknown -> left out; 2022: residential below 10 -> 5, unallocated 45; 2023: left out
    expect(t.years.map((y) => [y.year, ...y.counts])).toEqual([
      [2020, 60, 20, 20],
      [2022, 70, 5, 45],
    ]);
    expect(t.years.map((y) => y.status)).toEqual(['observed', 'bounded']);
    expect(t.dropped).toEqual([2021, 2023]);
    expect(t.notes.join(' ')).toMatch(/half the bound/);
    // groups that cover the total: the one missing group is the total minus the others
    const c = groupTable('p', { a: [{ year: 2020, value: 60 }, { year: 2021, value: null, suppressed: { marker: 'c', upper: 10 } }], b: [{ year: 2020, value: 40 }, { year: 2021, value: 100 }] }, { total });
    expect(c.groups).toEqual(['a', 'b']);
    expect(c.years.map((y) => [y.year, y.status, ...y.counts])).toEqual([
      [2020, 'observed', 60, 40],
      [2021, 'deduced', 10, 100],
    ]);
  });

  it('groups exceeding the total are an error naming the year; a partition is not compared with the total', () => {
    const g = { a: [{ year: 2020, value: 90 }], b: [{ year: 2020, value: 30 }] };
    expect(errorOf(() => groupTable('placement', g, { total })).problems[0].message).toMatch(/2020: the placement groups sum to 120/);
    expect(groupTable('placement', g, { total, partition: true }).years[0].counts).toEqual([90, 30]);
    expect(errorOf(() => groupTable('placement', { a: [{ year: 2020, value: 1 }] })).problems[0].message).toMatch(/at least two groups/);
  });
});
