/**
 * An annual series (31 March, or financial-year totals) from quarterly data, with partial years said.
 *
 * Part of the quarterly tools (`periods.ts`, `history.ts`, `seasonality.ts`,
 * `forecast.ts`, `toAnnual.ts`, `annualHistory.ts`).
 *
 * @module
 */
import { CarecastInputError } from '../../data/errors.js';
import { financialYearLabel } from '../../data/financialYear.js';
import type { AnnualPoint, AnnualSeries, Provenance, QuarterlyPoint, QuarterlySeries, Suppression } from '../../data/schemas.js';
import { checkPoints, seriesLabel } from './history.js';
import { indexOf } from './periods.js';
import { type AnnualStatistic, trapezium } from './toAnnual.js';

/** Options for {@link quarterlyToAnnualSeries}. */
export interface QuarterlyToAnnualOptions {
  /**
   * Which figure (default: `year_end` for snapshots, `fy_total` for flows
   * and amounts). `fy_average` (snapshots) needs the opening 31 March count
   * and all four quarter ends; the series is then named `<measure>_fy_average`.
   */
  readonly statistic?: AnnualStatistic;
}

/** A financial year left out of the annual series, and why. */
export interface PartialYear {
  /** The financial year, e.g. `'2021/22'`. */
  readonly financialYear: string;
  /** Its 31 March year. */
  readonly yearEnd: number;
  /** The quarters with a published value. */
  readonly quarters: readonly number[];
  /** Why it is left out. */
  readonly reason: string;
}

/** The result of {@link quarterlyToAnnualSeries}. */
export interface QuarterlyToAnnual {
  /** The annual series: one point per complete financial year, with provenance. */
  readonly series: AnnualSeries;
  /** The statistic used. */
  readonly statistic: AnnualStatistic;
  /** Financial years with data that could not give a figure. */
  readonly partialYears: readonly PartialYear[];
  /** Plain-language notes. */
  readonly caveats: readonly string[];
}

function combineProvenance(points: readonly QuarterlyPoint[], what: string): Provenance {
  const provs = points.map((p) => p.provenance).filter((p): p is Provenance => p !== undefined);
  const sources = [...new Set(provs.map((p) => p.source))];
  const lines = [...new Set(provs.map((p) => p.line))];
  const where =
    provs.length === points.length && sources.length === 1 && lines.length === 1
      ? ''
      : `; quarters from ${points.map((p) => (p.provenance ? `Q${p.quarter} ${p.provenance.source}${p.provenance.line !== undefined ? `:${p.provenance.line}` : ''}` : `Q${p.quarter} (no source)`)).join(', ')}`;
  const source = provs[0]?.source ?? 'quarterly series';
  const line = sources.length === 1 && lines.length === 1 && provs.length === points.length ? provs[0].line : undefined;
  return { source, ...(line !== undefined ? { line } : {}), note: `${what}${where}` };
}

/**
 * Turn published quarterly history into an annual series on carecast's
 * annual convention (the year of 31 March).
 *
 * - Snapshots, `year_end` (default): the 31 March count is the Q4
 *   quarter-end value, with that point's provenance.
 * - Snapshots, `fy_average`: the trapezium-rule average over the opening
 *   31 March and the four quarter ends (see {@link toAnnual}).
 * - Flows and amounts, `fy_total` (default): the sum of the four quarters of
 *   each complete financial year; the provenance names the quarters' sources.
 *
 * Years without the values needed (no Q4; a quarter missing from a total) are
 * left out and listed in `partialYears`; nothing is interpolated. A
 * suppressed quarter makes the year's value `null` with `suppressed` (its
 * upper bound the sum of the known values and the quarters' upper bounds,
 * when all are known).
 *
 * @param series - a quarterly series
 * @param options - the statistic
 * @returns the annual series, the partial years and caveats
 * @throws CarecastInputError for bad points (quarter outside 1-4, duplicate
 *   quarters, negative or non-finite values), for rates and shares, and for a
 *   statistic that does not fit the kind
 * @example
 * ```ts
 * const { dataset } = loadSeed('derby');
 * quarterlyToAnnualSeries(findQuarterlySeries(dataset, 'children_in_care')).series.points.map((p) => [p.year, p.value]);
 * // [[2021, 642], [2022, 627], [2023, 620], [2024, 598]]
 * quarterlyToAnnualSeries(findQuarterlySeries(dataset, 'started')).series.points.map((p) => [p.year, p.value]);
 * // [[2023, 225], [2024, 240]]  (2021/22 has only Q3-Q4: partial)
 * ```
 */
export function quarterlyToAnnualSeries(series: QuarterlySeries, options: QuarterlyToAnnualOptions = {}): QuarterlyToAnnual {
  const source = seriesLabel(series);
  if (series.kind === 'rate' || series.kind === 'share') {
    throw new CarecastInputError([
      { source, field: 'kind', message: `a ${series.kind} neither adds up over quarters nor averages as a count`, fix: 'convert the counts behind it, or take the Q4 values directly' },
    ]);
  }
  const statistic: AnnualStatistic = options.statistic ?? (series.kind === 'snapshot' ? 'year_end' : 'fy_total');
  if ((series.kind === 'snapshot') !== (statistic !== 'fy_total')) {
    throw new CarecastInputError([
      {
        source,
        field: 'statistic',
        message: `${statistic} does not apply to a ${series.kind} series`,
        fix: series.kind === 'snapshot' ? "use 'year_end' (31 March) or 'fy_average'" : "use 'fy_total' (the sum of the four quarters)",
      },
    ]);
  }
  const checked = checkPoints(series);
  const byQi = new Map(checked.map((c) => [c.qi, c.point]));
  const years = [...new Set(checked.map((c) => c.point.year))].sort((a, b) => a - b);
  const points: AnnualPoint[] = [];
  const partialYears: PartialYear[] = [];
  const caveats: string[] = [];
  for (const Y of years) {
    const fy = financialYearLabel(Y);
    const qs = [1, 2, 3, 4].map((q) => byQi.get(indexOf(Y, q)));
    const have = qs.map((p, i) => (p && p.value !== null ? i + 1 : 0)).filter((q) => q > 0);
    const needed: (QuarterlyPoint | undefined)[] =
      statistic === 'year_end' ? [qs[3]] : statistic === 'fy_total' ? qs : [byQi.get(indexOf(Y, 1) - 1), ...qs];
    const missing = needed.map((p, i) => (p === undefined ? i : -1)).filter((i) => i >= 0);
    if (missing.length > 0) {
      const names = statistic === 'year_end' ? ['Q4 (31 March)'] : statistic === 'fy_total' ? ['Q1', 'Q2', 'Q3', 'Q4'] : [`31 March ${Y - 1}`, 'Q1', 'Q2', 'Q3', 'Q4'];
      partialYears.push({ financialYear: fy, yearEnd: Y, quarters: have, reason: `no value for ${missing.map((i) => names[i]).join(', ')}` });
      continue;
    }
    const ps = needed as QuarterlyPoint[];
    const suppressed = ps.filter((p) => p.value === null);
    let value: number | null;
    let supp: Suppression | undefined;
    if (suppressed.length > 0) {
      value = null;
      const markers = [...new Set(suppressed.map((p) => p.suppressed?.marker ?? 'missing'))].join(', ');
      const uppers = suppressed.map((p) => p.suppressed?.upper);
      const known = ps.filter((p) => p.value !== null).map((p) => p.value as number);
      if (statistic === 'year_end') {
        supp = { marker: markers, ...(uppers[0] !== undefined ? { upper: uppers[0] } : {}) };
      } else if (statistic === 'fy_total' && uppers.every((u): u is number => u !== undefined)) {
        supp = { marker: markers, upper: known.reduce((s, x) => s + x, 0) + uppers.reduce((s, x) => s + x, 0) };
      } else {
        supp = { marker: markers };
      }
    } else if (statistic === 'year_end') {
      value = ps[0].value;
    } else if (statistic === 'fy_total') {
      value = ps.reduce((s, p) => s + (p.value as number), 0);
    } else {
      value = trapezium(ps[0].value as number, ps.slice(1).map((p) => p.value as number));
    }
    const what =
      statistic === 'year_end'
        ? `31 March ${Y}: Q4 ${fy} quarter-end value`
        : statistic === 'fy_total'
          ? `${fy} total: sum of Q1-Q4 (${ps.map((p) => (p.value === null ? p.suppressed?.marker ?? 'null' : String(p.value))).join(' + ')})`
          : `${fy} average: (31 March ${Y - 1}/2 + Q1 + Q2 + Q3 + Q4/2) / 4`;
    points.push({
      year: Y,
      value,
      ...(supp ? { suppressed: supp } : {}),
      provenance: statistic === 'year_end' ? { ...(ps[0].provenance ?? { source: 'quarterly series' }), note: what + (ps[0].provenance?.note ? `; ${ps[0].provenance.note}` : '') } : combineProvenance(ps, what),
    });
  }
  if (partialYears.length > 0) {
    caveats.push(`Left out (incomplete): ${partialYears.map((p) => `${p.financialYear} (${p.reason})`).join('; ')}.`);
  }
  if (series.kind === 'flow') {
    caveats.push('Totals add quarterly counts: a child who starts (or ceases) twice in a year counts twice, while DfE\u2019s annual figures count each child once, so they can be slightly lower.');
  }
  const annual: AnnualSeries = {
    frequency: 'annual',
    measure: statistic === 'fy_average' ? `${series.measure}_fy_average` : series.measure,
    kind: series.kind,
    unit: series.unit,
    breakdown: series.breakdown ?? {},
    area: series.area,
    points,
  };
  return { series: annual, statistic, partialYears, caveats };
}
