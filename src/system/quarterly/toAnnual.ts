/**
 * A quarterly forecast reported per year: 31 March snapshots, financial-year averages and totals, with bands from the paths.
 *
 * Part of the quarterly tools (`periods.ts`, `history.ts`, `seasonality.ts`,
 * `forecast.ts`, `toAnnual.ts`, `annualHistory.ts`).
 *
 * @module
 */
import { CarecastInputError } from '../../data/errors.js';
import { financialYearLabel } from '../../data/financialYear.js';
import type { SeriesKind } from '../../data/schemas.js';
import { sampleQuantile } from '../../models/distribution.js';
import { type QuarterlyForecast } from './forecast.js';
import { indexOf, yearOf } from './periods.js';

/**
 * What an annual figure is:
 * - `year_end`: the count at 31 March (the Q4 quarter-end value), snapshots;
 * - `fy_average`: the average count over the financial year, snapshots (see {@link toAnnual});
 * - `fy_total`: the sum of the four quarters, flows and amounts.
 */
export type AnnualStatistic = 'year_end' | 'fy_average' | 'fy_total';

/**
 * One financial year of a forecast as a tidy row: `lo_<level>` / `hi_<level>`
 * for every interval level (e.g. `lo_80`, `hi_95`).
 */
export type AnnualForecastRecord = {
  /** Area name. */
  readonly area: string;
  /** Measure name. */
  readonly measure: string;
  /** The financial year, e.g. `'2024/25'`. */
  readonly financialYear: string;
  /** The year of the 31 March that ends it (2025 for 2024/25). */
  readonly yearEnd: number;
  /** The series kind. */
  readonly kind: SeriesKind;
  /** What the figure is. */
  readonly statistic: AnnualStatistic;
  /** Point value: from observed quarters and quarterly point forecasts. */
  readonly point: number;
  /** Quarters of the year taken from the history (0 for a wholly forecast year). */
  readonly observedQuarters: number;
  /** `analytic` (the Q4 distribution) or `simulated` (quantiles of the paths' sums or averages). */
  readonly bands: 'analytic' | 'simulated';
} & { readonly [bound: `lo_${number}` | `hi_${number}`]: number };

/** The result of {@link toAnnual}. */
export interface AnnualFromQuarterly {
  /** Area name. */
  readonly area: string;
  /** Measure name. */
  readonly measure: string;
  /** The series kind. */
  readonly kind: SeriesKind;
  /** The interval levels, ascending. */
  readonly levels: readonly number[];
  /** One row per financial year and statistic, oldest year first. */
  readonly records: readonly AnnualForecastRecord[];
  /** Plain-language notes on how the figures were made and what was left out. */
  readonly caveats: readonly string[];
}

/**
 * The average of five quarter-end values over a financial year by the
 * trapezium rule: (opening/2 + Q1 + Q2 + Q3 + Q4/2) / 4.
 */
export function trapezium(opening: number, q: readonly number[]): number {
  return (opening / 2 + q[0] + q[1] + q[2] + q[3] / 2) / 4;
}

/**
 * Report a quarterly forecast per financial year (1 April - 31 March).
 *
 * - Snapshots (`kind: 'snapshot'`): `year_end`, the count at 31 March, is
 *   the Q4 forecast itself: point and bands are read off the Q4 distribution,
 *   so it equals the quarterly forecast exactly. `fy_average`, the average
 *   number in care over the year, is the trapezium rule over the opening
 *   count (31 March before) and the four quarter ends, (open/2 + Q1 + Q2 + Q3 +
 *   Q4/2) / 4: the exact mean if numbers change in straight lines between
 *   quarter ends, so average x days in the year = child-days, the occupancy
 *   that costs per child per week apply to. Its bands are quantiles of that
 *   average computed path by path.
 * - Flows and amounts: `fy_total`, the sum of the four quarters; bands are
 *   quantiles of the path-by-path sums, which are narrower than adding the
 *   quarterly bounds (a quarter's high is partly offset by another's low).
 *
 * A year that mixes observed and forecast quarters (the forecast starts after
 * the last observed quarter) adds the observed values to every path;
 * `observedQuarters` says how many. Points are sums (or averages) of the
 * observed values and quarterly point forecasts. Only years whose quarters
 * are all observed or forecast are reported (a forecast ending at Q2 leaves
 * its last year out, with a caveat); a wholly observed year is history (see
 * {@link quarterlyToAnnualSeries}).
 *
 * @param fc - a quarterly forecast from {@link forecastQuarterly}
 * @returns tidy rows per financial year and statistic, with caveats
 * @throws CarecastInputError for rates and shares, which neither add up over
 *   quarters nor average as counts
 * @example
 * ```ts
 * const cic = findQuarterlySeries(loadSeed('derby').dataset, 'children_in_care');
 * const a = toAnnual(forecastQuarterly(cic, { toYear: 2027, seed: 1 }));
 * a.records.filter((r) => r.statistic === 'year_end');   // 31 March 2025, 2026, 2027
 * a.records.filter((r) => r.statistic === 'fy_average'); // average in care 2024/25 ...
 * ```
 */
export function toAnnual(fc: QuarterlyForecast): AnnualFromQuarterly {
  if (fc.kind === 'rate' || fc.kind === 'share') {
    throw new CarecastInputError([
      {
        source: `${fc.area} ${fc.measure} (quarterly forecast)`,
        field: 'kind',
        message: `a ${fc.kind} neither adds up over quarters nor averages as a count`,
        fix: 'forecast the counts (e.g. children_in_care, started) and derive the rate per year, or read the Q4 quarterly forecast directly',
      },
    ]);
  }
  const H = fc.paths.horizon;
  const P = fc.paths.paths;
  const v = fc.paths.values;
  const observed = new Map(fc.history.map((h) => [indexOf(h.year, h.quarter), h.used]));
  const firstFuture = indexOf(fc.quarters[0].year, fc.quarters[0].quarter);
  const step = (qi: number): number => qi - firstFuture; // 0-based forecast step, or < 0 for history
  const known = (qi: number): boolean => observed.has(qi) || (step(qi) >= 0 && step(qi) < H);
  const pointAt = (qi: number): number => (observed.has(qi) ? (observed.get(qi) as number) : fc.point[step(qi)]);
  const pathAtQi = (p: number, qi: number): number => (observed.has(qi) ? (observed.get(qi) as number) : v[p * H + step(qi)]);
  const caveats: string[] = [];
  const records: AnnualForecastRecord[] = [];
  const bandsOf = (draws: Float64Array): Record<string, number> => {
    const sorted = Array.from(draws).sort((a, b) => a - b);
    const o: Record<string, number> = {};
    for (const level of fc.levels) {
      const a = (1 - level / 100) / 2;
      o[`lo_${level}`] = sampleQuantile(sorted, a);
      o[`hi_${level}`] = sampleQuantile(sorted, 1 - a);
    }
    return o;
  };
  const firstYear = yearOf(firstFuture);
  const lastYear = yearOf(firstFuture + H - 1);
  const skipped: string[] = [];
  for (let Y = firstYear; Y <= lastYear; Y++) {
    const qis = [0, 1, 2, 3].map((k) => indexOf(Y, k + 1));
    const complete = qis.every(known);
    const observedQuarters = qis.filter((qi) => observed.has(qi)).length;
    const base = { area: fc.area, measure: fc.measure, financialYear: financialYearLabel(Y), yearEnd: Y, kind: fc.kind, observedQuarters };
    if (!complete) {
      skipped.push(financialYearLabel(Y));
      continue;
    }
    if (fc.kind === 'snapshot') {
      const h4 = step(qis[3]);
      const bands: Record<string, number> = {};
      for (const iv of fc.intervals) {
        bands[`lo_${iv.level}`] = iv.lower[h4];
        bands[`hi_${iv.level}`] = iv.upper[h4];
      }
      records.push({ ...base, statistic: 'year_end', point: fc.point[h4], bands: 'analytic', ...bands } as AnnualForecastRecord);
      const opening = qis[0] - 1;
      if (!known(opening)) {
        caveats.push(`No count at 31 March ${Y - 1} (the opening of ${financialYearLabel(Y)}): its average in care is not reported.`);
      } else {
        const draws = new Float64Array(P);
        for (let p = 0; p < P; p++) draws[p] = trapezium(pathAtQi(p, opening), qis.map((qi) => pathAtQi(p, qi)));
        const point = trapezium(pointAt(opening), qis.map(pointAt));
        records.push({ ...base, statistic: 'fy_average', point, bands: 'simulated', ...bandsOf(draws) } as AnnualForecastRecord);
      }
    } else {
      const draws = new Float64Array(P);
      for (let p = 0; p < P; p++) {
        let s = 0;
        for (const qi of qis) s += pathAtQi(p, qi);
        draws[p] = s;
      }
      const point = qis.reduce((s, qi) => s + pointAt(qi), 0);
      records.push({ ...base, statistic: 'fy_total', point, bands: 'simulated', ...bandsOf(draws) } as AnnualForecastRecord);
    }
  }
  if (skipped.length > 0) caveats.push(`${skipped.join(', ')}: not every quarter is observed or forecast, so no financial-year figure is reported.`);
  const mixed = records.filter((r) => r.observedQuarters > 0);
  if (mixed.length > 0) {
    const r = mixed[0];
    caveats.push(`${r.financialYear} combines ${r.observedQuarters} observed quarter${r.observedQuarters === 1 ? '' : 's'} with ${4 - r.observedQuarters} forecast; its band covers only the forecast part.`);
  }
  if (fc.kind !== 'snapshot') {
    caveats.push(
      `Financial-year totals add the quarters and take their bands from ${P} simulated paths (seed ${fc.seed}), not by adding the quarterly bounds.` +
        (fc.kind === 'flow' ? ' A child who starts (or ceases) twice in a year counts twice; DfE\u2019s annual figures count each child once, so can be slightly lower.' : ''),
    );
  } else {
    caveats.push(
      `31 March figures are the Q4 forecasts (analytic bands); financial-year averages use the trapezium rule over the five quarter ends, with bands from ${P} simulated paths (seed ${fc.seed}).`,
    );
  }
  return { area: fc.area, measure: fc.measure, kind: fc.kind, levels: fc.levels, records, caveats };
}
