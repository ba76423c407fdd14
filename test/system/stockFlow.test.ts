/** The stock-flow model: identity in every path, hand calculations, errors. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findSeries } from '../../src/data/breakdown.js';
import { CarecastInputError } from '../../src/data/errors.js';
import { loadSeed } from '../../src/data/seeds.js';
import { projectStockFlow } from '../../src/system/stockFlow.js';

/** A history with exactly constant rates: 50 starters a year, 25% of those at risk leave. */
function constantHistory(): { stock: { year: number; value: number }[]; started: { year: number; value: number }[]; ceased: { year: number; value: number }[] } {
  const stock = [{ year: 2018, value: 100 }];
  const started: { year: number; value: number }[] = [];
  const ceased: { year: number; value: number }[] = [];
  let s = 100;
  for (let y = 2019; y <= 2023; y++) {
    const d = 0.25 * (s + 50);
    started.push({ year: y, value: 50 });
    ceased.push({ year: y, value: d });
    s = s + 50 - d;
    stock.push({ year: y, value: s });
  }
  return { stock, started, ceased };
}

describe('projectStockFlow', () => {
  it('constant rates: the projection is the hand-computed recursion, with no spread', () => {
    const h = constantHistory();
    const last = h.stock[h.stock.length - 1].value;
    const p = projectStockFlow(h, { to: 2026, entryMethod: 'naive', exitMethod: 'naive', paths: 200 });
    // S(2024) = 0.75 (S(2023) + 50), and so on
    const s24 = 0.75 * (last + 50);
    const s25 = 0.75 * (s24 + 50);
    expect(p.stock.point[0]).toBeCloseTo(s24, 9);
    expect(p.stock.point[1]).toBeCloseTo(s25, 9);
    expect(p.started.point).toEqual([50, 50, 50].map((v) => expect.closeTo(v, 9)));
    expect(p.ceased.point[0]).toBeCloseTo(0.25 * (last + 50), 9);
    expect(p.stock.intervals[1].upper[2] - p.stock.intervals[1].lower[2]).toBeCloseTo(0, 9);
    expect(p.residuals.every((r) => Math.abs(r.residual) < 1e-9)).toBe(true);
  });

  it('Derbyshire: residuals of the published figures, and the identity in every simulated path', () => {
    const ds = loadSeed('derbyshire').dataset;
    const p = projectStockFlow(
      { stock: findSeries(ds, 'children_in_care'), started: findSeries(ds, 'started'), ceased: findSeries(ds, 'ceased') },
      { to: 2030, seed: 11, paths: 500 },
    );
    // 2019: 719 + 375 - 283 = 811 implied, 802 published
    expect(p.residuals[0]).toEqual({ year: 2019, stock: 802, implied: 811, residual: -9 });
    expect(p.residuals.map((r) => r.residual)).toEqual([-9, 1, 6, 4, 7]);
    expect(p.history[0].exitRate).toBeCloseTo(283 / (719 + 375), 12);
    expect(p.start).toEqual({ year: 2024, stock: 1057 });
    const { stock, started, ceased } = p.paths;
    for (let path = 0; path < stock.paths; path++) {
      let prev = 1057;
      for (let i = 0; i < stock.horizon; i++) {
        const j = path * stock.horizon + i;
        expect(stock.values[j]).toBeCloseTo(prev + started.values[j] - ceased.values[j], 9);
        expect(stock.values[j]).toBeGreaterThanOrEqual(0);
        prev = stock.values[j];
      }
    }
    // bands nested and containing the median
    for (let i = 0; i < 6; i++) {
      expect(p.stock.intervals[1].lower[i]).toBeLessThanOrEqual(p.stock.intervals[0].lower[i]);
      expect(p.stock.intervals[0].lower[i]).toBeLessThanOrEqual(p.stock.median[i]);
      expect(p.stock.median[i]).toBeLessThanOrEqual(p.stock.intervals[0].upper[i]);
      expect(p.stock.intervals[0].upper[i]).toBeLessThanOrEqual(p.stock.intervals[1].upper[i]);
    }
    expect(p.caveats.join(' ')).toMatch(/No child population was given/);
    expect(projectStockFlow({ stock: findSeries(ds, 'children_in_care'), started: findSeries(ds, 'started'), ceased: findSeries(ds, 'ceased') }, { to: 2030, seed: 11, paths: 500 })).toEqual(p);
  });

  it('a population projection drives starters; rates per 10,000', () => {
    const h = constantHistory();
    const population = h.started.map((s) => ({ year: s.year, value: 100_000 }));
    const populationProjection = [2024, 2025].map((year) => ({ year, value: 200_000 }));
    const p = projectStockFlow({ ...h, population, populationProjection }, { to: 2025, entryMethod: 'naive', exitMethod: 'naive', paths: 50 });
    expect(p.history[0].entryRate).toBeCloseTo(5, 12); // 50 per 100,000 = 5 per 10,000
    expect(p.started.point[0]).toBeCloseTo(100, 9); // population doubled
    expect(p.population).toEqual([200_000, 200_000]);
    const flat = projectStockFlow({ ...h, population }, { to: 2025, entryMethod: 'naive', exitMethod: 'naive', paths: 50 });
    expect(flat.started.point[0]).toBeCloseTo(50, 9);
    expect(flat.caveats.join(' ')).toMatch(/held at its 2023 level/);
  });

  it('bad input: clear errors naming the problem', () => {
    const h = constantHistory();
    const err = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(CarecastInputError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(err(() => projectStockFlow({ ...h, populationProjection: [{ year: 2024, value: 1 }] }, { to: 2026 }))).toMatch(/does not cover 2025, 2026/);
    expect(err(() => projectStockFlow({ ...h, ceased: [{ year: 2019, value: 500 }, ...h.ceased.slice(1)] }, { to: 2026 }))).toMatch(/500 children ceased.*more than the 150 at risk/);
    expect(err(() => projectStockFlow({ ...h, started: h.started.slice(0, 1), ceased: h.ceased.slice(0, 1) }, { to: 2026 }))).toMatch(/only 1 year/);
    expect(err(() => projectStockFlow({ ...h, started: h.started.filter((s) => s.year !== 2021) }, { to: 2026 }))).toMatch(/missing between 2020 and 2022/);
    expect(err(() => projectStockFlow(h, { to: 2020 }))).toMatch(/must end after the last observed stock \(2023\)/);
    expect(err(() => projectStockFlow(h, { to: 2026, exitMethod: 'dampedTrend' }))).toMatch(/dampedTrend needs 10 years of exit rates/);
  });

  it('property: for random histories, every path keeps the identity and stays non-negative', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 2000 }),
        fc.array(fc.tuple(fc.double({ min: 0.05, max: 0.6, noNaN: true }), fc.integer({ min: 5, max: 800 })), { minLength: 3, maxLength: 8 }),
        fc.integer({ min: 0, max: 1000 }),
        (s0, flows, seed) => {
          const stock = [{ year: 2010, value: s0 }];
          const started: { year: number; value: number }[] = [];
          const ceased: { year: number; value: number }[] = [];
          let s = s0;
          flows.forEach(([e, a], i) => {
            const d = Math.max(1, Math.round(e * (s + a)));
            started.push({ year: 2011 + i, value: a });
            ceased.push({ year: 2011 + i, value: d });
            s = s + a - d;
            stock.push({ year: 2011 + i, value: s });
          });
          const p = projectStockFlow({ stock, started, ceased }, { horizon: 5, paths: 100, seed });
          const { stock: sp, started: ap, ceased: dp } = p.paths;
          for (let path = 0; path < 100; path++) {
            let prev = s;
            for (let i = 0; i < 5; i++) {
              const j = path * 5 + i;
              expect(sp.values[j]).toBeGreaterThanOrEqual(0);
              expect(Math.abs(sp.values[j] - (prev + ap.values[j] - dp.values[j]))).toBeLessThan(1e-6 * Math.max(1, prev));
              prev = sp.values[j];
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
