/**
 * Rolling-origin backtests: every error of a short series computed by hand,
 * coverage and Winkler scores by hand, 'auto' using training data only, gaps,
 * bad options, R's tsCV, and a panel of DfE local authorities.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/data/csvFormat.js';
import { loadDfePanel, panelSeries } from '../../src/data/panel.js';
import type { YearValue } from '../../src/data/yearValue.js';
import { backtest, backtestPanel, backtestRecords } from '../../src/evaluate/backtest.js';
import type { BacktestForecast, BacktestOptions } from '../../src/evaluate/backtestTypes.js';
import { formatBacktestTable } from '../../src/output/backtestTable.js';
import { selectMethod } from '../../src/models/selectMethod.js';
import { crpsSample } from '../../src/evaluate/crps.js';
import { pnorm, qnorm } from '../../src/math/normal.js';
import { fitMethod } from '../../src/models/registry.js';
import { forecast } from '../../src/project/forecast.js';
import { errorOf } from '../helpers/inputError.js';

const pairs = (first: number, values: readonly (number | null)[]): YearValue[] => values.map((value, i) => ({ year: first + i, value }));

const row = (rows: readonly BacktestForecast[], method: string, origin: number, h: number) => {
  const r = rows.find((x) => x.method === method && x.origin === origin && x.h === h);
  if (!r) throw new Error(`no row ${method} ${origin} h${h}`);
  return r;
};

describe('a short series, every error by hand (naive and drift, h 1-2)', () => {
  // 2015..2020: 10, 12, 15, 14, 18, 20
  const y = pairs(2015, [10, 12, 15, 14, 18, 20]);
  const r = backtest(y, { methods: ['naive', 'drift'], horizon: 2 });
  const z80 = qnorm(0.9);

  it('origins: from the first year where drift has its 3 training years, to the year before the last', () => {
    expect(r.origins).toEqual([2017, 2018, 2019]);
    // naive and drift: 2 + 2 + 1 forecasts each (2019 + 2 = 2021 is beyond the data: not made)
    expect(r.forecasts).toHaveLength(10);
    expect(r.unscoredYears).toEqual([]);
  });

  it('naive: errors (forecast - actual) and scaled errors', () => {
    // origin 2017: train 10,12,15, scale (2+3)/2 = 2.5, point 15
    //   2018: 15 - 14 = +1 (0.4); 2019: 15 - 18 = -3 (-1.2)
    // origin 2018: train 10,12,15,14, scale (2+3+1)/3 = 2, point 14
    //   2019: 14 - 18 = -4 (-2); 2020: 14 - 20 = -6 (-3)
    // origin 2019: train ...,18, scale (2+3+1+4)/4 = 2.5, point 18
    //   2020: 18 - 20 = -2 (-0.8)
    const expected: [number, number, number, number, number][] = [
      [2017, 1, 15, 1, 0.4],
      [2017, 2, 15, -3, -1.2],
      [2018, 1, 14, -4, -2],
      [2018, 2, 14, -6, -3],
      [2019, 1, 18, -2, -0.8],
    ];
    for (const [o, h, point, err, scaled] of expected) {
      const x = row(r.forecasts, 'naive', o, h);
      expect(x.point).toBe(point);
      expect(x.error).toBe(err);
      expect(x.scaledError).toBeCloseTo(scaled, 12);
      expect(x.target).toBe(o + h);
      expect(x.model).toBe('naive');
    }
    const s = r.byMethod.find((b) => b.method === 'naive');
    // errors +1, -3, -4, -6, -2
    expect(s?.n).toBe(5);
    expect(s?.mae).toBeCloseTo(16 / 5, 12);
    expect(s?.rmse).toBeCloseTo(Math.sqrt((1 + 9 + 16 + 36 + 4) / 5), 12);
    expect(s?.bias).toBeCloseTo(-14 / 5, 12); // under-forecasting a rising series
    expect(s?.mase).toBeCloseTo((0.4 + 1.2 + 2 + 3 + 0.8) / 5, 12);
    expect(s?.mape).toBeCloseTo((100 * (1 / 14 + 3 / 18 + 4 / 18 + 6 / 20 + 2 / 20)) / 5, 10);
    expect(s?.smape).toBeCloseTo((200 * (1 / 29 + 3 / 33 + 4 / 32 + 6 / 34 + 2 / 38)) / 5, 10);
    const h1 = r.byHorizon.find((b) => b.method === 'naive' && b.h === 1);
    const h2 = r.byHorizon.find((b) => b.method === 'naive' && b.h === 2);
    expect(h1?.n).toBe(3);
    expect(h1?.mae).toBeCloseTo((1 + 4 + 2) / 3, 12);
    expect(h1?.mase).toBeCloseTo((0.4 + 2 + 0.8) / 3, 12);
    expect(h2?.n).toBe(2);
    expect(h2?.mae).toBeCloseTo((3 + 6) / 2, 12);
    expect(h2?.mase).toBeCloseTo((1.2 + 3) / 2, 12);
  });

  it('drift: errors by hand', () => {
    // origin 2017: drift (15-10)/2 = 2.5 -> 17.5, 20: errors +3.5, +2; scale 2.5 -> 1.4, 0.8
    // origin 2018: drift (14-10)/3 = 4/3 -> 15.333, 16.667: errors -8/3, -10/3; scale 2 -> -4/3, -5/3
    // origin 2019: drift (18-10)/4 = 2 -> 20: error 0
    const expected: [number, number, number, number][] = [
      [2017, 1, 17.5, 3.5],
      [2017, 2, 20, 2],
      [2018, 1, 14 + 4 / 3, -8 / 3],
      [2018, 2, 14 + 8 / 3, -10 / 3],
      [2019, 1, 20, 0],
    ];
    for (const [o, h, point, err] of expected) {
      const x = row(r.forecasts, 'drift', o, h);
      expect(x.point).toBeCloseTo(point, 10);
      expect(x.error).toBeCloseTo(err, 10);
    }
    const s = r.byMethod.find((b) => b.method === 'drift');
    expect(s?.mae).toBeCloseTo((3.5 + 2 + 8 / 3 + 10 / 3 + 0) / 5, 10); // 2.3
    expect(s?.bias).toBeCloseTo((3.5 + 2 - 8 / 3 - 10 / 3 + 0) / 5, 10); // -0.1
    expect(s?.mase).toBeCloseTo((1.4 + 0.8 + 4 / 3 + 5 / 3 + 0) / 5, 10); // 1.04
  });

  it('coverage and Winkler scores by hand (naive, 80%)', () => {
    // naive sd at h: sqrt(sigma2 * h), sigma2 = mean of the squared yearly changes of the training data
    // origin 2017: changes 2, 3: sigma2 6.5; origin 2018: 2, 3, -1: 14/3; origin 2019: 2, 3, -1, 4: 30/4
    const cases: [number, number, number, number, number][] = [
      // origin, h, point, sigma2, actual
      [2017, 1, 15, 6.5, 14],
      [2017, 2, 15, 6.5, 18],
      [2018, 1, 14, 14 / 3, 18],
      [2018, 2, 14, 14 / 3, 20],
      [2019, 1, 18, 7.5, 20],
    ];
    let inside = 0;
    let winkler = 0;
    let scaledWinkler = 0;
    const scales: Record<number, number> = { 2017: 2.5, 2018: 2, 2019: 2.5 };
    for (const [o, h, point, s2, actual] of cases) {
      const half = z80 * Math.sqrt(s2 * h);
      const lo = point - half;
      const hi = point + half;
      const x = row(r.forecasts, 'naive', o, h);
      expect(x.lo_80).toBeCloseTo(lo, 10);
      expect(x.hi_80).toBeCloseTo(hi, 10);
      // Winkler: width + (2 / 0.2) * miss
      const w = hi - lo + (actual < lo ? 10 * (lo - actual) : 0) + (actual > hi ? 10 * (actual - hi) : 0);
      if (actual >= lo && actual <= hi) inside++;
      winkler += w;
      scaledWinkler += w / scales[o];
    }
    // 2017 h1: 15 +/- 3.27 holds 14; 2017 h2: 15 +/- 4.62 holds 18; 2018 h1: 14 +/- 2.77 misses 18;
    // 2018 h2: 14 +/- 3.92 misses 20; 2019 h1: 18 +/- 3.51 holds 20
    expect(inside).toBe(3);
    const s = r.byMethod.find((b) => b.method === 'naive')?.intervals.find((i) => i.level === 80);
    expect(s?.coverage).toBeCloseTo(3 / 5, 12);
    expect(s?.winkler).toBeCloseTo(winkler / 5, 10);
    expect(s?.scaledWinkler).toBeCloseTo(scaledWinkler / 5, 10);
    // the miss at 2018 h1: width 2 * 2.768 = 5.537, plus 10 * (18 - 16.768) = 12.315
    const x = row(r.forecasts, 'naive', 2018, 1);
    expect(x.hi_80 - x.lo_80 + 10 * (18 - x.hi_80)).toBeCloseTo(17.852, 3);
  });

  it('CRPS by hand (naive: normal distributions, censored at 0 where it matters)', () => {
    const cases: [number, number, number, number, number, number][] = [
      // origin, h, point, sigma2, actual, scale
      [2017, 1, 15, 6.5, 14, 2.5],
      [2017, 2, 15, 6.5, 18, 2.5],
      [2018, 1, 14, 14 / 3, 18, 2],
      [2018, 2, 14, 14 / 3, 20, 2],
      [2019, 1, 18, 7.5, 20, 2.5],
    ];
    let sum = 0;
    let scaledSum = 0;
    for (const [o, h, point, s2, actual, scale] of cases) {
      // sd [z (2Φ(z) - 1) + 2φ(z) - 1/√π]; the mass below 0 is under Φ(-5) here, far below the tolerance
      const sd = Math.sqrt(s2 * h);
      const z = (actual - point) / sd;
      const byHand = sd * (z * (2 * pnorm(z) - 1) + (2 * Math.exp(-0.5 * z * z)) / Math.sqrt(2 * Math.PI) - 1 / Math.sqrt(Math.PI));
      const x = row(r.forecasts, 'naive', o, h);
      expect(x.crps).toBeCloseTo(byHand, 9);
      expect(x.scaledCrps).toBeCloseTo(byHand / scale, 9);
      sum += byHand;
      scaledSum += byHand / scale;
    }
    const s = r.byMethod.find((b) => b.method === 'naive');
    expect(s).toMatchObject({ crpsN: 5, scaledCrpsN: 5 });
    expect(s?.crps).toBeCloseTo(sum / 5, 9);
    expect(s?.scaledCrps).toBeCloseTo(scaledSum / 5, 9);
    // with bands about as wide as the errors, the CRPS is well below the absolute error of the point
    expect(s?.crps).toBeLessThan(s?.mae as number);
  });

  it('CRPS scores the distribution the bands came from: bootstrap draws, conformal errors, clipped at 0', () => {
    const boot = backtest(y, { methods: ['drift'], horizon: 2, intervals: 'bootstrap', bootstrap: { paths: 400, seed: 3 } });
    const x = row(boot.forecasts, 'drift', 2018, 2);
    const p = forecast(pairs(2015, [10, 12, 15, 14]), { method: 'drift', horizon: 2, intervals: 'bootstrap', bootstrap: { paths: 400, seed: 3 } });
    const d = p.distributions[1];
    expect(d.type).toBe('sample');
    if (d.type === 'sample') expect(x.crps).toBeCloseTo(crpsSample(20, d.values.map((v) => Math.max(0, v))), 12);
    expect(x.lo_80).toBe(p.intervals[0].lower[1]);
    const conf = backtest(y, { methods: ['naive'], horizon: 1, origins: [2019], intervals: 'conformal' });
    // the training slice 10, 12, 15, 14, 18 has scale 2.5; naive's own one-step errors from origins 2012.. (training >= 3):
    // 15 -> 14 (+1), 14 -> 18 (-4): offsets -1, +4 (scaled by their windows' scales 2.5 and 2), around point 18
    const c = row(conf.forecasts, 'naive', 2019, 1);
    const q = forecast(pairs(2015, [10, 12, 15, 14, 18]), { method: 'naive', horizon: 1, intervals: 'conformal' });
    expect(q.distributions[0]).toEqual({ type: 'sample', values: [18 - 2.5 * (1 / 2.5), 18 + 2.5 * (4 / 2)] });
    expect(c.crps).toBeCloseTo(crpsSample(20, [17, 23]), 12);
    expect(() => backtest(y, { methods: ['naive'], horizon: 1, intervals: 'fancy' as never })).toThrow(/unknown interval method/);
    expect(() => backtest(y, { methods: ['naive'], horizon: 1, bootstrap: { paths: 10 } })).toThrow(/intervals is not bootstrap/);
  });

  it('a distribution with no finite mean (loglinear: exp of a Student t) is scored on its quantile grid, and said so', () => {
    const ll = backtest(pairs(2011, [100, 110, 125, 130, 150, 160, 170]), { methods: ['loglinear'], horizon: 1 });
    expect(ll.forecasts.every((f) => f.crps !== null && Number.isFinite(f.crps))).toBe(true);
    expect(ll.caveats.join(' ')).toMatch(/of loglinear's scored forecast distributions \(loglinear\) have no finite mean/);
  });

  it('caveats: the metrics rest on 5 forecasts from 3 origins; h = 2 on only 2', () => {
    expect(r.caveats.join('\n')).toMatch(/Only 2 forecasts per method can be scored 2 years ahead/);
    const one = backtest(y, { methods: ['naive'], horizon: 1, origins: [2018, 2019] });
    expect(one.caveats[0]).toMatch(/Only 2 forecast origins \(2018, 2019\): the metrics rest on 2 scored forecasts/);
  });

  it('table and tidy records', () => {
    const t = formatBacktestTable(r);
    expect(t.split('\n')[0]).toBe('Backtest of series value: 3 origins (2017-2019), h 1-2, 5 forecasts scored per method');
    expect(t).toMatch(/naive\s+all\s+5\s+3\.2\s+3\.6\s+-2\.8/);
    expect(t).toMatch(/drift\s+all\s+5\s+2\.3\s/);
    const recs = backtestRecords(r);
    // 2 methods x (all + h1 + h2) x (6 point measures + crps, scaled_crps + 2 levels x 3 interval measures)
    expect(recs).toHaveLength(2 * 3 * 14);
    expect(recs.find((x) => x.method === 'naive' && x.h === 'all' && x.metric === 'scaled_crps')).toMatchObject({ n: 5, level: null });
    expect(recs.find((x) => x.method === 'naive' && x.h === 'all' && x.metric === 'mae')).toMatchObject({ value: 3.2, n: 5, level: null, scope: 'series' });
    expect(recs.find((x) => x.method === 'naive' && x.h === 1 && x.metric === 'coverage' && x.level === 80)?.n).toBe(3);
    const csv = toCsv(r.forecasts);
    expect(csv.split('\r\n')[0]).toBe('area,method,model,origin,target,h,trainingYears,actual,point,error,scale,scaledError,crps,scaledCrps,lo_80,hi_80,lo_95,hi_95');
  });
});

describe("R's tsCV agrees with the backtest errors (Derbyshire 2018-2024)", () => {
  const golden = JSON.parse(readFileSync(new URL('../golden/accuracy.json', import.meta.url), 'utf8')) as {
    tsCV: { years: number[]; values: number[]; naive: (number | null)[][]; drift: (number | null)[][] };
  };
  const g = golden.tsCV;
  const y = g.years.map((year, i) => ({ year, value: g.values[i] }));
  const r = backtest(y, { methods: ['naive', 'drift'], horizon: 3, origins: [2020, 2021, 2022, 2023] });
  const naiveOnly = backtest(y, { methods: ['naive'], horizon: 3 });

  it('naive from origins 2019-2023 and drift from 2020-2023: error = -tsCV error', () => {
    expect(naiveOnly.origins).toEqual([2019, 2020, 2021, 2022, 2023]);
    let compared = 0;
    for (const [method, res] of [
      ['naive', naiveOnly],
      ['drift', r],
    ] as const) {
      for (const f of res.forecasts.filter((x) => x.method === method)) {
        // tsCV row t: training on the first t values; origin year = first year + t - 1
        const e = g[method][f.origin - g.years[0]][f.h - 1];
        expect(e).not.toBeNull();
        expect(f.error).toBeCloseTo(-(e as number), 9);
        compared++;
      }
    }
    expect(compared).toBe(12 + 9); // naive 3+3+3+2+1, drift 3+3+2+1
  });
});

describe("'auto' chooses at each origin from the training data only", () => {
  // With the last value 160 the full series would choose loglinear; up to 2020 the choice is linear
  const y = pairs(2015, [100, 110, 105, 115, 110, 120, 160]);

  it('the last point changes the choice, but not the backtest forecast made before it', () => {
    // with the plain lowest-score rule the last point changes the choice
    expect(selectMethod(y.map((p) => p.value as number), { rule: 'best' }).method).toBe('loglinear');
    expect(selectMethod(y.slice(0, 6).map((p) => p.value as number), { rule: 'best' }).method).toBe('linear');
    // auto in a backtest chooses (with forecast()'s default rule) from the training data only
    const chosen = selectMethod([100, 110, 105, 115, 110, 120]).method;
    const r = backtest(y, { methods: ['auto', 'linear', 'loglinear'], horizon: 1, origins: [2020] });
    const f = row(r.forecasts, 'auto', 2020, 1);
    expect(f.model).toBe(chosen);
    expect(r.autoChoices).toEqual([{ origin: 2020, method: chosen }]);
    expect(f.point).toBeCloseTo(fitMethod(chosen, [100, 110, 105, 115, 110, 120]).forecast(1).point[0], 10);
    expect(r.caveats.join('\n')).toMatch(new RegExp(`auto chose its method at each origin from the training data only: ${chosen} \\(2020\\)`));
  });

  it('changing the values after an origin changes no forecast made from it', () => {
    const a = backtest(y, { methods: ['auto', 'drift'], horizon: 3 });
    const changed = y.map((p) => (p.year === 2021 ? { year: 2021, value: 40 } : p));
    const b = backtest(changed, { methods: ['auto', 'drift'], horizon: 3 });
    expect(b.forecasts).toHaveLength(a.forecasts.length);
    a.forecasts.forEach((fa, i) => {
      const fb = b.forecasts[i];
      expect([fb.method, fb.origin, fb.h, fb.model, fb.point, fb.lo_80, fb.hi_95]).toEqual([fa.method, fa.origin, fa.h, fa.model, fa.point, fa.lo_80, fa.hi_95]);
      if (fa.target !== 2021) expect(fb.error).toBe(fa.error);
    });
    // each auto forecast is what forecast() gives on the training slice
    for (const f of a.forecasts.filter((x) => x.method === 'auto')) {
      const p = forecast(y.filter((q) => q.year <= f.origin), { horizon: f.h });
      expect(f.model).toBe(p.method);
      expect(f.point).toBeCloseTo(p.point[f.h - 1], 12);
    }
  });
});

describe('gaps', () => {
  // 2013..2021 with 2018 missing (as in the DfE panel); 2018 given as null
  const values = [100, 110, 120, 130, 140, null, 150, 165, 170];
  const withNull = pairs(2013, values);
  const absent = withNull.filter((p) => p.value !== null);
  const opts: BacktestOptions = { methods: ['naive', 'drift'], horizon: 2 };

  it('a missing target year is forecast but not scored, and counted', () => {
    const r = backtest(withNull, opts);
    // drift needs 3 years: origins 2015, 2016, 2017, (not 2018: no value), 2019, 2020
    expect(r.origins).toEqual([2015, 2016, 2017, 2019, 2020]);
    expect(r.unscoredYears).toEqual([2018]);
    const unscored = r.forecasts.filter((f) => f.actual === null);
    // 2016 h2 and 2017 h1, for each method
    expect(unscored.map((f) => [f.method, f.origin, f.h])).toEqual([
      ['naive', 2016, 2],
      ['naive', 2017, 1],
      ['drift', 2016, 2],
      ['drift', 2017, 1],
    ]);
    expect(unscored.every((f) => f.error === null && f.scaledError === null)).toBe(true);
    // made: 2+2+2+2+1 = 9 per method; scored 7
    const s = r.byMethod.find((b) => b.method === 'naive');
    expect(s?.n).toBe(7);
    expect(s?.unscored).toBe(2);
    expect(r.byHorizon.find((b) => b.method === 'naive' && b.h === 1)).toMatchObject({ n: 4, unscored: 1 });
    expect(r.caveats.join('\n')).toMatch(/No value for 2018: 2 forecasts per method of that year were made but not scored/);
  });

  it('training data across the gap is interpolated as forecast() does, scale included', () => {
    const r = backtest(withNull, opts);
    expect(r.imputedYears).toEqual([2018]);
    // origin 2019: history 100,110,120,130,140,(145),150: 7 training years
    // drift (150 - 100) / 6; scale = (10*4 + 5 + 5) / 6 = 50/6 (R's accuracy would drop the gap: 40/4)
    const f = row(r.forecasts, 'drift', 2019, 1);
    expect(f.trainingYears).toBe(7);
    expect(f.point).toBeCloseTo(150 + 50 / 6, 10);
    expect(f.scale).toBeCloseTo(50 / 6, 12);
    expect(f.error).toBeCloseTo(150 + 50 / 6 - 165, 10);
    const p = forecast(withNull.filter((q) => q.year <= 2019), { method: 'drift', horizon: 2 });
    expect(f.point).toBe(p.point[0]);
    expect(row(r.forecasts, 'drift', 2019, 2).point).toBe(p.point[1]);
    expect(r.caveats.join('\n')).toMatch(/including 2018 had it filled by straight-line interpolation/);
  });

  it('a year left out altogether is the same as a null', () => {
    const a = backtest(withNull, opts);
    const b = backtest(absent, opts);
    expect(b.forecasts).toEqual(a.forecasts);
    expect(b.unscoredYears).toEqual([2018]);
  });

  it('an all-zero series: scale 0 and zero actuals are left out of MASE, MAPE and sMAPE, and said so', () => {
    // Isles of Scilly in the DfE panel: 0 in 2017, 2019 and 2021, 2020 suppressed
    const r = backtest(
      [
        { year: 2017, value: 0 },
        { year: 2019, value: 0 },
        { year: 2020, value: null },
        { year: 2021, value: 0 },
      ],
      { methods: ['naive'], horizon: 2 },
    );
    expect(r.origins).toEqual([2019]);
    const s = r.byMethod[0];
    expect(s).toMatchObject({ n: 1, unscored: 1, mae: 0, mapeN: 0, smapeN: 0, maseN: 0 });
    expect(s.mase).toBeNaN();
    expect(s.intervals[0]).toMatchObject({ coverage: 1, winkler: 0, scaledN: 0 });
    const text = r.caveats.join('\n');
    expect(text).toMatch(/never changed \(MASE scale 0\)/);
    expect(text).toMatch(/actual value of 0: left out of MAPE/);
  });

  it('a method that cannot be fitted at an origin is reported, not thrown', () => {
    const r = backtest(pairs(2015, [0, 2, 3, 4, 5, 6]), { methods: ['naive', 'loglinear'], horizon: 1 });
    expect(r.failures.map((f) => [f.method, f.origin])).toEqual([
      ['loglinear', 2017],
      ['loglinear', 2018],
      ['loglinear', 2019],
    ]);
    expect(r.byMethod.find((b) => b.method === 'loglinear')?.n).toBe(0);
    expect(r.caveats.join('\n')).toMatch(/loglinear could not be fitted at origins 2017, 2018, 2019/);
  });
});

describe('bad options throw CarecastInputError naming the field', () => {
  const y = pairs(2015, [10, 12, 15, 14, 18, 20]);
  it.each<[string, Partial<BacktestOptions>, RegExp]>([
    ['horizon', { methods: ['naive'], horizon: 0 }, /at least 1, got 0/],
    ['horizon', { methods: ['naive'], horizon: 1.5 }, /whole number/],
    ['methods', { methods: [], horizon: 1 }, /no methods/],
    ['methods', { methods: ['naive', 'arima' as never], horizon: 1 }, /unknown method "arima"/],
    ['methods', { methods: ['naive', 'naive'], horizon: 1 }, /listed twice/],
    ['levels', { methods: ['naive'], horizon: 1, levels: [80, 120] }, /between 0 and 100/],
    ['origins', { methods: ['naive'], horizon: 1, origins: [2030] }, /origin 2030 is outside the data: origins run from 2015 to 2019/],
    ['origins', { methods: ['naive'], horizon: 1, origins: [2020] }, /outside the data/],
    ['origins', { methods: ['naive'], horizon: 1, origins: [2014] }, /outside the data/],
    ['origins', { methods: ['naive', 'drift'], horizon: 1, origins: [2016] }, /leaves 2 training years \(2015-2016\); drift needs 3/],
    ['origins', { methods: ['naive'], horizon: 1, origins: [2016.5] }, /whole year/],
    ['origins', { methods: ['naive'], horizon: 1, origins: [] }, /empty/],
    ['series', { methods: ['dampedTrend'], horizon: 1 }, /dampedTrend needs 10 years/],
  ])('%s: %j', (field, options, message) => {
    const e = errorOf(() => backtest(y, options as BacktestOptions));
    expect(e.problems[0].field).toBe(field);
    expect(e.message).toMatch(message);
  });

  it('an origin with no value', () => {
    const e = errorOf(() => backtest(pairs(2013, [1, 2, 3, 4, 5, null, 7, 8]), { methods: ['naive'], horizon: 1, origins: [2018] }));
    expect(e.problems[0]).toMatchObject({ field: 'origins', message: expect.stringMatching(/origin 2018 has no value/) });
  });

  it('every problem is listed at once', () => {
    const e = errorOf(() => backtest(y, { methods: ['nope' as never], horizon: -1 }));
    expect(e.problems.map((p) => p.field)).toEqual(['methods', 'horizon']);
  });
});

// The bundled DfE panel (seeds/dfe-panel.json): children in care at 31 March 2011-2024, 2018 not published.
const panel = loadDfePanel();

describe('backtestPanel on DfE local authorities', () => {
  it('a few LAs: counts of scored forecasts, skipped areas, pooling', () => {
    const names = ['Derby', 'Derbyshire', 'Dorset (835)', 'Cumberland', 'Isles of Scilly'];
    const cic = new Map(names.map((n) => [n, panel.series.get(n)?.childrenInCare ?? []]));
    const progress: [number, number][] = [];
    const r = backtestPanel(cic, { methods: ['naive', 'drift'], horizon: 3, onProgress: (d, t) => progress.push([d, t]) });
    expect(progress).toEqual([
      [1, 5],
      [2, 5],
      [3, 5],
      [4, 5],
      [5, 5],
    ]);
    // Cumberland (created in 2023) has 2024 only
    expect(r.skipped.map((s) => s.area)).toEqual(['Cumberland']);
    expect(r.skipped[0].reason).toMatch(/only 1 year\(s\) with a value/);
    // Derby 2011-2024 without 2018: origins 2013-2017, 2019-2023 (10); made 3*5 + 3 + 3 + 3 + 2 + 1 = 27;
    // targets 2018 from 2015 (h3), 2016 (h2), 2017 (h1) not scored: 24 scored (9 at h1, 8 at h2, 7 at h3)
    const derby = r.byArea.get('Derby');
    expect(derby?.origins).toEqual([2013, 2014, 2015, 2016, 2017, 2019, 2020, 2021, 2022, 2023]);
    const dn = derby?.byMethod.find((b) => b.method === 'naive');
    expect([dn?.n, dn?.unscored]).toEqual([24, 3]);
    expect(derby?.byHorizon.filter((b) => b.method === 'naive').map((b) => b.n)).toEqual([9, 8, 7]);
    // Dorset (835): 2011-2017, 2019 (the county was abolished in 2019): origins 2013-2017;
    // made from 2013: 3, 2014: 3, 2015: 3, 2016: 3 (2017, 2018, 2019), 2017: 2 = 14; 2018 targets: 3; scored 11
    const dorset = r.byArea.get('Dorset (835)');
    expect(dorset?.origins).toEqual([2013, 2014, 2015, 2016, 2017]);
    expect(dorset?.byMethod[0]).toMatchObject({ n: 11, unscored: 3 });
    // Isles of Scilly: 0 (2017), -, 0, c (2020), 0, 0, 0, 0: origins 2019, 2021-2023; made 3 + 3 + 2 + 1 = 9,
    // the 2020 target ("c") not scored: 8 scored, every one with scale 0 (no MASE)
    const scilly = r.byArea.get('Isles of Scilly');
    expect(scilly?.origins).toEqual([2019, 2021, 2022, 2023]);
    expect(scilly?.byMethod[0]).toMatchObject({ n: 8, unscored: 1, maseN: 0 });
    // pooled: naive over all steps = sum over areas; MASE over the forecasts with a scale
    const pooled = r.pooled.find((p) => p.method === 'naive' && p.h === null);
    const areas = [...r.byArea.values()];
    const total = areas.reduce((s, a) => s + (a.byMethod.find((b) => b.method === 'naive')?.n ?? 0), 0);
    expect(pooled?.n).toBe(total);
    expect(total).toBe(24 + 11 + 8 + (r.byArea.get('Derbyshire')?.byMethod[0].n ?? NaN));
    expect(pooled?.maseN).toBe(total - 8);
    expect(pooled?.areas).toBe(4);
    const scaled = areas.flatMap((a) => a.forecasts.filter((f) => f.method === 'naive' && f.scaledError !== null).map((f) => f.scaledError as number));
    expect(pooled?.mase).toBeCloseTo(scaled.reduce((s, e) => s + Math.abs(e), 0) / scaled.length, 12);
    expect(pooled?.scaledBias).toBeCloseTo(scaled.reduce((s, e) => s + e, 0) / scaled.length, 12);
    const ph = r.pooled.filter((p) => p.method === 'naive' && p.h !== null).map((p) => p.n);
    expect(ph.reduce((s, n) => s + n, 0)).toBe(total);
    expect(r.caveats.join('\n')).toMatch(/1 of 5 areas not backtested: Cumberland/);
    expect(formatBacktestTable(r).split('\n')[0]).toMatch(/^Backtest of 4 of 5 areas, h 1-3/);
    const recs = backtestRecords(r);
    expect(recs.every((x) => x.scope === 'pooled' && x.area === null)).toBe(true);
    // 2 methods x 4 steps (all, 1-3) x (mase, scaled_bias, scaled_crps + 2 levels x 2)
    expect(recs).toHaveLength(2 * 4 * 7);
    expect(backtestRecords(r, { areas: true }).filter((x) => x.area === 'Derby')).toHaveLength(2 * 4 * 14);
    const crps = areas.flatMap((a) => a.forecasts.filter((f) => f.method === 'naive' && f.scaledCrps !== null).map((f) => f.scaledCrps as number));
    expect(pooled?.scaledCrpsN).toBe(total - 8);
    expect(pooled?.scaledCrps).toBeCloseTo(crps.reduce((s, e) => s + e, 0) / crps.length, 12);
  });

  it('given origins are dropped per area where they do not fit, and said so', () => {
    const cic = new Map(['Derby', 'Dorset (835)'].map((n) => [n, panel.series.get(n)?.childrenInCare ?? []]));
    const r = backtestPanel(cic, { methods: ['naive'], horizon: 1, origins: [2017, 2019, 2020] });
    expect(r.byArea.get('Derby')?.origins).toEqual([2017, 2019, 2020]);
    // Dorset (835) has values to 2019: 2019 and 2020 cannot be origins
    expect(r.byArea.get('Dorset (835)')?.origins).toEqual([2017]);
    expect(r.byArea.get('Dorset (835)')?.caveats.join('\n')).toMatch(/Origins left out for this series: 2019 \(outside the data\), 2020 \(outside the data\)/);
    // bad options still throw, once
    expect(errorOf(() => backtestPanel(cic, { methods: ['naive'], horizon: 0 })).problems[0].field).toBe('horizon');
  });

  it('every LA, 6 methods, h 1-3: well under 2 seconds', () => {
    const cic = panelSeries(panel);
    const options: BacktestOptions = { methods: ['naive', 'drift', 'linear', 'loglinear', 'repeatGrowth', 'auto'], horizon: 3, origins: [2014, 2015, 2016, 2017, 2019, 2020] };
    // the first run also compiles (JIT); the second is timed: about 0.5 s on a quiet 2-core machine. CPU time of
    // this process, not wall time: other jobs on a shared machine stretch the wall clock (4.3 s under load 6)
    // without making the code slower
    backtestPanel(cic, options);
    const c0 = process.cpuUsage();
    const r = backtestPanel(cic, options);
    const c = process.cpuUsage(c0);
    expect((c.user + c.system) / 1000).toBeLessThan(2000);
    expect(r.areas).toBe(158);
    // 7 cannot be backtested from these origins: created 2019-2023 (BCP, Dorset (838), North and West Northamptonshire,
    // Cumberland, Westmorland and Furness) or too short before 2020 for repeatGrowth (Isles of Scilly, 2017 on)
    expect(r.skipped.map((s) => s.area)).toEqual(['Bournemouth, Christchurch and Poole', 'Cumberland', 'Dorset (838)', 'Isles of Scilly', 'North Northamptonshire', 'West Northamptonshire', 'Westmorland and Furness']);
    expect(r.byArea.size).toBe(151);
    // an LA with 2011-2024 data: repeatGrowth needs 6 years, so 2014 and 2015 are dropped; origins 2016, 2017, 2019, 2020:
    // made 3 + 3 + 3 + 3 = 12; 2018 targets from 2016 (h2) and 2017 (h1) not scored: 10 scored, for every method
    const derby = r.byArea.get('Derby');
    expect(derby?.origins).toEqual([2016, 2017, 2019, 2020]);
    expect(derby?.byMethod.map((b) => [b.n, b.unscored])).toEqual(Array.from({ length: 6 }, () => [10, 2]));
    expect(derby?.caveats.join('\n')).toMatch(/Origins left out for this series: 2014 \(too early for repeatGrowth\), 2015 \(too early for repeatGrowth\)/);
  });
});
