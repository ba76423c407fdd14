/** Quarterly series: forecast on the quarter index, report on 31 March and per financial year. */
import { describe, expect, it } from 'vitest';
import { findQuarterlySeries, findSeries } from '../../src/data/breakdown.js';
import { CarecastInputError } from '../../src/data/errors.js';
import type { QuarterlySeries } from '../../src/data/schemas.js';
import { loadSeed } from '../../src/data/seeds.js';
import { qnorm } from '../../src/math/normal.js';
import {
  checkSeasonality,
  forecastQuarterly,
  quarterEndDate,
  quarterlyToAnnualSeries,
  toAnnual,
  type AnnualForecastRecord,
} from '../../src/system/index.js';
import { financialYearLabel } from '../../src/data/financialYear.js';

const { dataset } = loadSeed('derby');
// Derby City dashboard, children in care at quarter ends, 2020/21 Q1 - 2023/24 Q4 (16 quarters;
// seeds/derby.json lines 2359 and 2915):
//   2020/21: 618 641 635 642 | 2021/22: 653 661 637 627 | 2022/23: 617 632 648 620 | 2023/24: 600 597 597 598
const cic = findQuarterlySeries(dataset, 'children_in_care');
// starters per quarter, 2021/22 Q3 - 2023/24 Q4 (10 quarters; line 2380):
//   2021/22: -- -- 47 48 | 2022/23: 46 72 65 42 | 2023/24: 58 47 53 82
const starters = findQuarterlySeries(dataset, 'started');

/** The first `n` points of a series. */
const head = (s: QuarterlySeries, n: number): QuarterlySeries => ({ ...s, points: s.points.slice(0, n) });
/** A small in-memory quarterly series. */
const series = (kind: 'snapshot' | 'flow', pts: { year: number; quarter: number; value: number | null }[]): QuarterlySeries => ({
  frequency: 'quarterly',
  measure: kind === 'flow' ? 'started' : 'children_in_care',
  kind,
  unit: 'children',
  breakdown: {},
  area: 'Testshire',
  points: pts,
});
const byStat = (records: readonly AnnualForecastRecord[], stat: string): AnnualForecastRecord[] => records.filter((r) => r.statistic === stat);
const inputError = (f: () => unknown): CarecastInputError => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CarecastInputError);
    return e as CarecastInputError;
  }
  throw new Error('expected a CarecastInputError');
};

describe('periods', () => {
  it('labels financial years and quarter ends', () => {
    expect(financialYearLabel(2025)).toBe('2024/25');
    expect(financialYearLabel(2000)).toBe('1999/00');
    expect(quarterEndDate(2024, 1)).toBe('2023-06-30');
    expect(quarterEndDate(2024, 3)).toBe('2023-12-31');
    expect(quarterEndDate(2024, 4)).toBe('2024-03-31');
    expect(() => quarterEndDate(2024, 5)).toThrow(RangeError);
  });
});

describe('quarterlyToAnnualSeries', () => {
  it('snapshots: the 31 March value is the Q4 quarter-end value, and matches the annual seed records', () => {
    const { series: a, partialYears } = quarterlyToAnnualSeries(cic);
    expect(a.frequency).toBe('annual');
    expect(a.points.map((p) => [p.year, p.value])).toEqual([
      [2021, 642],
      [2022, 627],
      [2023, 620],
      [2024, 598],
    ]);
    expect(partialYears).toEqual([]);
    // the annual records in the seed (31 March 2022, 2023, 2024) are the same figures
    const annual = findSeries(dataset, 'children_in_care');
    for (const y of [2022, 2023, 2024]) {
      expect(a.points.find((p) => p.year === y)?.value).toBe(annual.points.find((p) => p.year === y)?.value);
    }
    // provenance carried from the Q4 point
    expect(a.points[3].provenance).toMatchObject({ source: '001_d9ec82d55c6be5ca.txt', line: 2915 });
    expect(a.points[3].provenance?.note).toMatch(/31 March 2024: Q4 2023\/24/);
  });

  it('flows: financial-year totals are the sum of four quarters; partial years are reported, not totalled', () => {
    const r = quarterlyToAnnualSeries(starters);
    // 2022/23: 46 + 72 + 65 + 42 = 225; 2023/24: 58 + 47 + 53 + 82 = 240
    expect(r.series.points.map((p) => [p.year, p.value])).toEqual([
      [2023, 225],
      [2024, 240],
    ]);
    expect(r.statistic).toBe('fy_total');
    expect(r.partialYears).toEqual([{ financialYear: '2021/22', yearEnd: 2022, quarters: [3, 4], reason: 'no value for Q1, Q2' }]);
    expect(r.series.points[0].provenance).toMatchObject({ source: '001_d9ec82d55c6be5ca.txt', line: 2380 });
    expect(r.series.points[0].provenance?.note).toContain('46 + 72 + 65 + 42');
    // ceased: 2022/23 58 + 59 + 47 + 68 = 232; 2023/24 80 + 49 + 54 + 78 = 261
    expect(quarterlyToAnnualSeries(findQuarterlySeries(dataset, 'ceased')).series.points.map((p) => p.value)).toEqual([232, 261]);
  });

  it('snapshots: the financial-year average by the trapezium rule', () => {
    const r = quarterlyToAnnualSeries(cic, { statistic: 'fy_average' });
    // 2021/22: (642/2 + 653 + 661 + 637 + 627/2) / 4 = 646.375
    // 2022/23: (627/2 + 617 + 632 + 648 + 620/2) / 4 = 630.125
    // 2023/24: (620/2 + 600 + 597 + 597 + 598/2) / 4 = 600.75
    expect(r.series.measure).toBe('children_in_care_fy_average');
    expect(r.series.points.map((p) => [p.year, p.value])).toEqual([
      [2022, 646.375],
      [2023, 630.125],
      [2024, 600.75],
    ]);
    expect(r.partialYears.map((p) => p.financialYear)).toEqual(['2020/21']); // no opening count at 31 March 2020
  });

  it('a suppressed quarter makes the total null with a known upper bound', () => {
    const s = series('flow', [
      { year: 2024, quarter: 1, value: 12 },
      { year: 2024, quarter: 2, value: null },
      { year: 2024, quarter: 3, value: 15 },
      { year: 2024, quarter: 4, value: 20 },
    ]);
    (s.points[1] as { suppressed?: { marker: string; upper?: number } }).suppressed = { marker: '<11', upper: 10 };
    const p = quarterlyToAnnualSeries(s).series.points[0];
    expect(p.value).toBeNull();
    expect(p.suppressed).toEqual({ marker: '<11', upper: 57 });
  });
});

describe('forecastQuarterly: naive by hand', () => {
  // naive sigma^2 = mean squared quarterly difference of the 10 starters:
  // differences 1, -2, 26, -7, -23, 16, -11, 6, 29; squares sum 2513; sigma^2 = 2513 / 9
  const sigma2 = 2513 / 9;
  const sigma = Math.sqrt(sigma2);

  it('points are the last quarter; the h-step sd is sigma sqrt(h)', () => {
    const fc = forecastQuarterly(starters, { toYear: 2025, method: 'naive', seed: 1 });
    expect(fc.diagnostics.sigma2).toBeCloseTo(sigma2, 10);
    expect(fc.quarters.map((q) => `${q.financialYear} Q${q.quarter} ${q.periodEnd}`)).toEqual([
      '2024/25 Q1 2024-06-30',
      '2024/25 Q2 2024-09-30',
      '2024/25 Q3 2024-12-31',
      '2024/25 Q4 2025-03-31',
    ]);
    expect(fc.point).toEqual([82, 82, 82, 82]);
    const z80 = qnorm(0.9);
    for (let h = 1; h <= 4; h++) {
      expect(fc.intervals[0].upper[h - 1] - fc.intervals[0].lower[h - 1]).toBeCloseTo(2 * z80 * sigma * Math.sqrt(h), 9);
    }
    // Q4 2024/25: 82 +/- 1.2816 x 16.71 x 2 = 39.17 .. 124.83
    expect(fc.intervals[0].lower[3]).toBeCloseTo(82 - z80 * sigma * 2, 9);
    expect(fc.seasonality.checked).toBe(false);
    expect(fc.caveats.join(' ')).toMatch(/Only 10 quarters: too few .* to check for a seasonal pattern/);
  });

  it('the financial-year total: point = sum of quarters, band from summed paths, narrower than summed bounds', () => {
    const fc = forecastQuarterly(starters, { toYear: 2025, method: 'naive', paths: 20_000, seed: 3 });
    const [total] = toAnnual(fc).records;
    expect(total).toMatchObject({ financialYear: '2024/25', yearEnd: 2025, kind: 'flow', statistic: 'fy_total', observedQuarters: 0, bands: 'simulated' });
    expect(total.point).toBe(328); // 4 x 82
    // a random walk's four-quarter sum is 4 x 82 + 4e1 + 3e2 + 2e3 + e4: sd = sigma sqrt(16 + 9 + 4 + 1) = 91.5
    const sdSum = sigma * Math.sqrt(30);
    for (const [level, p] of [
      [80, 0.9],
      [95, 0.975],
    ] as const) {
      const half = qnorm(p) * sdSum;
      // the standard error of the 2.5% quantile of 20k normal draws is
      // sqrt(0.025 x 0.975 / 20000) / phi(1.96) = 0.019 sd, i.e. 1% of the 95% half-width
      // (less at 80%): allow 4 standard errors
      expect(Math.abs(total[`lo_${level}`] - (328 - half))).toBeLessThan(0.04 * half);
      expect(Math.abs(total[`hi_${level}`] - (328 + half))).toBeLessThan(0.04 * half);
      // adding the quarterly bounds would give 328 +/- z sigma (1 + sqrt2 + sqrt3 + 2): too wide
      const iv = fc.intervals.find((i) => i.level === level);
      const sumLo = (iv?.lower ?? []).reduce((s, v) => s + v, 0);
      const sumHi = (iv?.upper ?? []).reduce((s, v) => s + v, 0);
      expect(sumHi - sumLo).toBeCloseTo(2 * qnorm(p) * sigma * (1 + Math.SQRT2 + Math.sqrt(3) + 2), 6);
      expect(total[`hi_${level}`] - total[`lo_${level}`]).toBeLessThan(0.92 * (sumHi - sumLo));
    }
  });

  it('a year mixing observed and forecast quarters adds the observed ones to every path', () => {
    // data to 2023/24 Q2 (58, 47): sigma^2 = (1 + 4 + 676 + 49 + 529 + 256 + 121) / 7 = 1636 / 7
    const fc = forecastQuarterly(head(starters, 8), { toYear: 2025, method: 'naive', paths: 20_000, seed: 5 });
    expect(fc.quarters[0]).toMatchObject({ year: 2024, quarter: 3 });
    const a = toAnnual(fc);
    const [fy2324, fy2425] = a.records;
    expect(fy2324).toMatchObject({ financialYear: '2023/24', observedQuarters: 2, point: 58 + 47 + 47 + 47 });
    // only the two forecast quarters vary: 2 x 47 + 2e1 + e2, sd = sigma sqrt(5)
    const half = qnorm(0.9) * Math.sqrt((1636 / 7) * 5);
    expect(Math.abs(fy2324.lo_80 - (199 - half))).toBeLessThan(0.02 * half);
    expect(Math.abs(fy2324.hi_80 - (199 + half))).toBeLessThan(0.02 * half);
    expect(fy2425).toMatchObject({ financialYear: '2024/25', observedQuarters: 0, point: 4 * 47 });
    expect(a.caveats.join(' ')).toMatch(/2023\/24 combines 2 observed quarters with 2 forecast/);
  });
});

describe('forecastQuarterly: snapshots and 31 March', () => {
  it('the 31 March figure is the Q4 forecast, point and bands', () => {
    const fc = forecastQuarterly(cic, { toYear: 2027, method: 'drift', seed: 2 });
    const yearEnd = byStat(toAnnual(fc).records, 'year_end');
    expect(yearEnd.map((r) => r.yearEnd)).toEqual([2025, 2026, 2027]);
    for (const r of yearEnd) {
      const h = fc.quarters.findIndex((q) => q.year === r.yearEnd && q.quarter === 4);
      expect(fc.quarters[h].periodEnd).toBe(`${r.yearEnd}-03-31`);
      expect(r.point).toBe(fc.point[h]);
      expect(r.lo_80).toBe(fc.intervals[0].lower[h]);
      expect(r.hi_95).toBe(fc.intervals[1].upper[h]);
      expect(r.bands).toBe('analytic');
    }
  });

  it('in a mixed year the 31 March figure is still Q4; the average uses observed quarters and the trapezium rule', () => {
    // data to 2023/24 Q2 (600, 597); naive: 597 onwards
    const fc = forecastQuarterly(head(cic, 14), { toYear: 2024, method: 'naive', paths: 4000, seed: 9 });
    expect(fc.quarters.map((q) => q.quarter)).toEqual([3, 4]);
    const recs = toAnnual(fc).records;
    const [ye] = byStat(recs, 'year_end');
    expect(ye).toMatchObject({ financialYear: '2023/24', observedQuarters: 2, point: 597 });
    expect(ye.lo_80).toBe(fc.intervals[0].lower[1]);
    const [avg] = byStat(recs, 'fy_average');
    // (620/2 + 600 + 597 + 597 + 597/2) / 4 = 600.625
    expect(avg.point).toBeCloseTo(600.625, 10);
    expect(avg.observedQuarters).toBe(2);
    expect(avg.lo_80).toBeLessThan(avg.point);
    expect(avg.hi_80).toBeGreaterThan(avg.point);
    // the average moves less than the year-end count
    expect(avg.hi_80 - avg.lo_80).toBeLessThan(ye.hi_80 - ye.lo_80);
  });

  it('16 quarters: seasonality is checked (R anova on the quarterly changes: F = 1.27142, p = 0.33203) and not found', () => {
    const fc = forecastQuarterly(cic, { toYear: 2026, seed: 1 });
    expect(fc.seasonality).toMatchObject({ checked: true, quarters: 16, test: 'differences', significant: false, adjusted: false, df: [3, 11] });
    expect(fc.seasonality.fStatistic).toBeCloseTo(1.27142, 4);
    expect(fc.seasonality.pValue).toBeCloseTo(0.33203, 4);
    expect(fc.caveats.join(' ')).toMatch(/Seasonality checked on 16 quarters.*no evidence/);
    expect(fc.selection?.rule).toMatch(/quarters ahead/);
    expect(fc.method).toBe('naive'); // lowest rolling-origin MASE over 1-4 quarters ahead
  });
});

describe('seasonality', () => {
  // a strongly seasonal flow: high in Q1 and Q4, low in Q3
  const y = [60, 46, 41, 57, 62, 45, 40, 58, 61, 47, 42, 56];
  const pts = y.map((value, i) => ({ year: 2022 + Math.floor(i / 4), quarter: (i % 4) + 1, value }));

  it('the F test matches R: anova(lm(y ~ t), lm(y ~ t + q))', () => {
    const s = checkSeasonality(y, 1);
    expect(s.fStatistic).toBeCloseTo(242.85594, 4);
    expect(s.pValue).toBeCloseTo(1.9502e-7, 10);
    // R coefficients q2..q4 = -15.0625, -20.125, -4.1875, centred
    const e = s.effects ?? [];
    expect(e[0]).toBeCloseTo(9.84375, 10);
    expect(e[1]).toBeCloseTo(-5.21875, 10);
    expect(e[2]).toBeCloseTo(-10.28125, 10);
    expect(e[3]).toBeCloseTo(5.65625, 10);
    expect(checkSeasonality(y.slice(0, 11), 1)).toMatchObject({ checked: false, quarters: 11 });
  });

  it('a significant pattern is removed before fitting and added back', () => {
    const fc = forecastQuarterly(series('flow', pts), { horizonQuarters: 4, method: 'naive', seed: 1 });
    expect(fc.seasonality).toMatchObject({ checked: true, significant: true, adjusted: true, test: 'trend' });
    // adjusted last value 56 - 5.65625 = 50.34375, then each quarter's effect added back
    expect(fc.point[0]).toBeCloseTo(50.34375 + 9.84375, 10);
    expect(fc.point[1]).toBeCloseTo(50.34375 - 5.21875, 10);
    expect(fc.point[3]).toBeCloseTo(56, 10);
    // the FY total is 4 x the adjusted level: the effects sum to zero
    expect(toAnnual(fc).records[0].point).toBeCloseTo(4 * 50.34375, 10);
    const ignored = forecastQuarterly(series('flow', pts), { horizonQuarters: 4, method: 'naive', seasonality: 'ignore' });
    expect(ignored.point).toEqual([56, 56, 56, 56]);
    // a log-scale method gets multiplicative effects
    const ll = forecastQuarterly(series('flow', pts), { horizonQuarters: 4, method: 'loglinear' });
    expect(ll.seasonality.scale).toBe('multiplicative');
    expect(ll.point[0]).toBeGreaterThan(ll.point[2]);
  });
});

describe('toAnnual: incomplete years', () => {
  it('a forecast ending mid-year leaves that year out, with a caveat', () => {
    const fc = forecastQuarterly(starters, { horizonQuarters: 6, method: 'naive' }); // to 2025/26 Q2
    const a = toAnnual(fc);
    expect(a.records.map((r) => r.financialYear)).toEqual(['2024/25']);
    expect(a.caveats[0]).toMatch(/2025\/26: not every quarter is observed or forecast/);
  });
});

describe('reproducibility', () => {
  it('the same seed gives the same paths and bands; another seed gives others', () => {
    const a = forecastQuarterly(starters, { toYear: 2027, method: 'drift', paths: 500, seed: 11 });
    const b = forecastQuarterly(starters, { toYear: 2027, method: 'drift', paths: 500, seed: 11 });
    const c = forecastQuarterly(starters, { toYear: 2027, method: 'drift', paths: 500, seed: 12 });
    expect(Array.from(a.paths.values)).toEqual(Array.from(b.paths.values));
    expect(toAnnual(a).records).toEqual(toAnnual(b).records);
    expect(toAnnual(a).records[1].lo_80).not.toBe(toAnnual(c).records[1].lo_80);
    expect(a.paths.horizon).toBe(12);
    expect(a.paths.values.every((v) => v >= 0)).toBe(true);
  });
});

describe('bad input', () => {
  const good = (): { year: number; quarter: number; value: number | null }[] => [
    { year: 2024, quarter: 1, value: 10 },
    { year: 2024, quarter: 2, value: 12 },
    { year: 2024, quarter: 3, value: 11 },
    { year: 2024, quarter: 4, value: 13 },
  ];

  it('duplicate quarters name the period and both rows', () => {
    const pts = [...good(), { year: 2024, quarter: 2, value: 14 }];
    const e = inputError(() => forecastQuarterly(series('flow', pts), { toYear: 2025 }));
    expect(e.problems[0]).toMatchObject({ source: 'Testshire started (quarterly)', row: 5, field: 'quarter' });
    expect(e.message).toMatch(/duplicate quarter 2023\/24 Q2: rows 2 and 5/);
    expect(e.message).toMatch(/keep one value per quarter/);
  });

  it('a quarter outside 1-4 and a negative count', () => {
    const pts = good();
    pts[2] = { year: 2024, quarter: 5, value: 11 };
    pts[3] = { year: 2024, quarter: 4, value: -3 };
    const e = inputError(() => quarterlyToAnnualSeries(series('flow', pts)));
    expect(e.problems.map((p) => [p.row, p.field])).toEqual([
      [3, 'quarter'],
      [4, 'value'],
    ]);
    expect(e.problems[0].fix).toMatch(/Q1 = April-June.*Q4 = January-March/);
    expect(e.problems[1].message).toMatch(/negative value -3 for 2023\/24 Q4 \(quarter ending 31 March 2024\)/);
  });

  it('a missing quarter inside the series: an error unless allowGaps, then interpolated with a caveat', () => {
    const pts = good().filter((p) => p.quarter !== 3);
    const e = inputError(() => forecastQuarterly(series('flow', pts), { toYear: 2025, method: 'naive' }));
    expect(e.problems[0].field).toBe('quarter');
    expect(e.message).toMatch(/2023\/24 Q3 \(quarter ending 31 December 2023\) is missing/);
    expect(e.problems[0].fix).toMatch(/allowGaps/);
    const fc = forecastQuarterly(series('flow', pts), { toYear: 2025, method: 'naive', allowGaps: true });
    expect(fc.history.map((h) => [h.quarter, h.used, h.imputed])).toEqual([
      [1, 10, false],
      [2, 12, false],
      [3, 12.5, true],
      [4, 13, false],
    ]);
    expect(fc.caveats[0]).toMatch(/No value for 2023\/24 Q3: filled by straight-line interpolation/);
    // a suppressed interior quarter is a gap too
    const supp = good();
    supp[1] = { year: 2024, quarter: 2, value: null };
    expect(inputError(() => forecastQuarterly(series('flow', supp), { toYear: 2025 })).problems[0]).toMatchObject({ row: 2, field: 'value' });
  });

  it('options: target before the data, both targets, method too short, unknown method, rates in toAnnual', () => {
    expect(inputError(() => forecastQuarterly(starters, { toYear: 2024 })).message).toMatch(/after the last observed quarter 2023\/24 Q4/);
    expect(inputError(() => forecastQuarterly(starters, { toYear: 2026, horizonQuarters: 4 })).problems[0].field).toBe('toYear');
    expect(inputError(() => forecastQuarterly(starters, {})).problems[0].field).toBe('toYear');
    expect(inputError(() => forecastQuarterly(head(starters, 8), { toYear: 2026, method: 'dampedTrend' })).message).toMatch(/dampedTrend needs at least 10 quarters/);
    expect(inputError(() => forecastQuarterly(starters, { toYear: 2026, method: 'magic' as 'naive' })).problems[0].field).toBe('method');
    expect(inputError(() => forecastQuarterly(starters, { toYear: 2026, seasonality: 'adjust' })).message).toMatch(/needs at least 12 quarters/);
    expect(inputError(() => forecastQuarterly(starters, { toYear: 2026, paths: 0 })).problems[0].field).toBe('paths');
    const rate = findQuarterlySeries(dataset, 'rate_per_10k');
    expect(inputError(() => toAnnual(forecastQuarterly(rate, { toYear: 2026, method: 'naive' }))).problems[0].field).toBe('kind');
    expect(inputError(() => quarterlyToAnnualSeries(starters, { statistic: 'year_end' })).problems[0].field).toBe('statistic');
  });
});
