/**
 * Placement-mix and cost charts as Vega-Lite specifications: stacked bars of
 * group counts per year (observed history solid, projection paler) with the
 * total's band over them, and P10/P50/P90 cost fans per financial year, for
 * one or several scenarios. Notebooks render the specifications as they are;
 * {@link renderSvg} turns them into static SVG.
 *
 * @module
 */
import type { TopLevelSpec } from 'vega-lite';
import { CarecastInputError } from '../data/errors.js';
import type { SystemProjection } from '../system/projectSystem.js';

/** Options for {@link mixChartSpec}. */
export interface MixChartOptions {
  /** Chart title (default: area, dimension and the projected years). */
  readonly title?: string;
  /** Width in pixels (default 640). */
  readonly width?: number;
  /** Height in pixels (default 320). */
  readonly height?: number;
  /** Band level of the total drawn over the bars, in percent (default 80; must be one the projection has). */
  readonly level?: number;
  /** Include the observed years of the mix's history (default `true`). */
  readonly history?: boolean;
}

/** One bar segment of {@link mixChartRows}: a group's count in one year. */
export interface MixChartRow {
  /** Year (31 March). */
  readonly year: number;
  /** The group. */
  readonly group: string;
  /** Count of children (observed, or the median of the group's paths). */
  readonly count: number;
  /** Share of the groups' total that year. */
  readonly share: number;
  /** `observed` for the mix's history, `projected` for projected years. */
  readonly phase: 'observed' | 'projected';
}

/**
 * The rows behind {@link mixChartSpec}: each group's count per year, observed
 * years of the breakdown's history first (years with a group unknown are
 * left out), then the projected medians of the groups' paths.
 *
 * @param sp - the system projection
 * @param dimension - the breakdown to chart (e.g. `placement`)
 * @param history - include the observed years (default `true`)
 * @returns one row per year and group
 * @throws CarecastInputError when the projection has no such breakdown
 * @example
 * ```ts
 * mixChartRows(sys, 'placement')[0]; // { year: 2018, group: 'fostering', count: 521, share: 0.72, phase: 'observed' }
 * ```
 */
export function mixChartRows(sp: SystemProjection, dimension: string, history = true): MixChartRow[] {
  const bd = sp.breakdowns[dimension];
  if (!bd) {
    throw new CarecastInputError([
      {
        source: 'mix chart',
        field: 'dimension',
        message: `the projection has no breakdown "${dimension}" (it has: ${Object.keys(sp.breakdowns).join(', ') || 'none'})`,
        fix: "name one of the projection's breakdowns, or add it to projectSystem's input",
      },
    ]);
  }
  const rows: MixChartRow[] = [];
  if (history) {
    for (const h of bd.history) {
      const sum = h.counts.reduce((a, b) => a + b, 0);
      bd.groups.forEach((g, k) => {
        const count = h.counts[k];
        rows.push({ year: h.year, group: g, count, share: sum > 0 ? count / sum : 0, phase: 'observed' });
      });
    }
  }
  sp.years.forEach((year, i) => {
    for (const g of bd.groups) {
      const grp = bd.byGroup[g];
      rows.push({ year, group: g, count: grp.point[i], share: grp.share[i], phase: 'projected' });
    }
  });
  return rows;
}

/**
 * A Vega-Lite chart of one breakdown of a system projection: stacked bars
 * of each group's count per year (the observed history solid, the projected
 * medians of the groups' paths paler: on every path the groups add up to the
 * total, their medians need not add up to its point), with the total's band
 * (80% by default) as error bars over the projected years.
 *
 * @param sp - the system projection ({@link projectSystem})
 * @param dimension - the breakdown to chart (e.g. `placement`, `provider`)
 * @param options - title, size, band level, history
 * @returns a Vega-Lite specification with the data inlined
 * @throws CarecastInputError when the projection has no such breakdown or
 *   no band at the level asked for
 * @example
 * ```ts
 * const spec = mixChartSpec(projectSystem(input, { to: 2030 }), 'placement');
 * writeFileSync('mix.svg', await renderSvg(spec));
 * ```
 */
export function mixChartSpec(sp: SystemProjection, dimension: string, options: MixChartOptions = {}): TopLevelSpec {
  const rows = mixChartRows(sp, dimension, options.history ?? true);
  const bd = sp.breakdowns[dimension];
  const level = options.level ?? 80;
  const stock = sp.stock;
  const iv = stock.intervals.find((x) => x.level === level);
  if (!iv) {
    throw new CarecastInputError([
      {
        source: 'mix chart',
        field: 'level',
        message: `the projection has no ${level}% band (it has: ${stock.intervals.map((x) => `${x.level}%`).join(', ')})`,
        fix: 'ask for one of the projection\'s levels, or project with that level',
      },
    ]);
  }
  const band = sp.years.map((year, i) => ({ year, lo: iv.lower[i], hi: iv.upper[i], total: stock.point[i] }));
  // every year from the first shown to the last projected, so years without
  // group counts (interpolated gaps, a total ahead of the mix) show as gaps
  const first = rows.length > 0 ? Math.min(...rows.map((r) => r.year)) : sp.years[0];
  const years = Array.from({ length: sp.years[sp.years.length - 1] - first + 1 }, (_, k) => first + k);
  const xEnc = { field: 'year', type: 'ordinal', title: 'Year (31 March)', sort: years, scale: { domain: years }, axis: { labelAngle: 0 } } as const;
  const yTitle = 'children';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title ?? {
      text: `${sp.area}: children in care by ${dimension.replace(/_/g, ' ')}, projection to ${sp.years[sp.years.length - 1]}`,
      // two short lines: headless Vega estimates text width (no canvas), and
      // one long line would widen the whole chart
      subtitle: ['Solid: observed; pale: projected medians.', `Whiskers: the total's ${level}% band; gaps: no group counts.`],
      anchor: 'start',
    },
    width: options.width ?? 640,
    height: options.height ?? 320,
    layer: [
      {
        data: { values: rows },
        mark: { type: 'bar', stroke: 'white', strokeWidth: 0.5 },
        encoding: {
          x: xEnc,
          y: { field: 'count', type: 'quantitative', stack: 'zero', title: yTitle },
          color: { field: 'group', type: 'nominal', title: dimension.replace(/_/g, ' '), sort: [...bd.groups], scale: { scheme: 'tableau10' }, legend: { orient: 'right', labelLimit: 260 } },
          order: { field: 'groupOrder', type: 'quantitative' },
          opacity: {
            field: 'phase',
            type: 'ordinal',
            sort: ['observed', 'projected'],
            title: null,
            scale: { domain: ['observed', 'projected'], range: [1, 0.55] },
            legend: { orient: 'right' },
          },
          tooltip: [
            { field: 'year', type: 'ordinal' },
            { field: 'group', type: 'nominal' },
            { field: 'count', type: 'quantitative', format: ',.0f' },
            { field: 'share', type: 'quantitative', format: '.1%' },
            { field: 'phase', type: 'nominal' },
          ],
        },
        transform: [{ calculate: `indexof(${JSON.stringify(bd.groups)}, datum.group)`, as: 'groupOrder' }],
      },
      {
        data: { values: band },
        mark: { type: 'rule', color: '#1a202c', strokeWidth: 1.5 },
        encoding: { x: xEnc, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
      },
      {
        data: { values: band },
        mark: { type: 'tick', color: '#1a202c', thickness: 1.5, size: 10 },
        encoding: { x: xEnc, y: { field: 'lo', type: 'quantitative' } },
      },
      {
        data: { values: band },
        mark: { type: 'tick', color: '#1a202c', thickness: 1.5, size: 10 },
        encoding: { x: xEnc, y: { field: 'hi', type: 'quantitative' } },
      },
    ],
  } as TopLevelSpec;
}

/**
 * One row of {@link costChartSpec}: P10/P50/P90 of a cost per financial
 * year. `costRecords` rows (filtered to one measure and group) fit as they
 * are.
 */
export interface CostChartRow {
  /** Year ending 31 March (2026 = 2025/26). */
  readonly year: number;
  /** Financial year label (default: derived from `year`, e.g. `2025/26`). */
  readonly financial_year?: string;
  /** 10% quantile. */
  readonly p10: number;
  /** Median. */
  readonly p50: number;
  /** 90% quantile. */
  readonly p90: number;
  /** Scenario name (default `baseline`); several scenarios give several fans. */
  readonly scenario?: string;
}

/** Options for {@link costChartSpec}. */
export interface CostChartOptions {
  /** Chart title (default: "Projected cost per financial year"); with `priceBasis`, the basis is its subtitle. */
  readonly title?: string;
  /** Width in pixels (default 640). */
  readonly width?: number;
  /** Height in pixels (default 320). */
  readonly height?: number;
  /** Y-axis title (default "£ million a year"). */
  readonly yTitle?: string;
  /** Divide values by this before plotting (default 1e6, to match the default axis title). */
  readonly scale?: number;
  /**
   * The price basis of the money (e.g. `cash: 2022/23 prices uprated by 3.0% a year`, from
   * `priceBasisOf`): a line of the default title's subtitle, and `cash`/`real` in the default axis title.
   */
  readonly priceBasis?: string;
}

/** `, cash` or `, real` from a price basis sentence, for the axis title. */
function basisWord(basis: string | undefined): string {
  const m = basis ? /^(cash|real)\b/.exec(basis) : null;
  return m ? `, ${m[1]}` : '';
}

function fyLabel(year: number): string {
  return `${year - 1}/${String(year % 100).padStart(2, '0')}`;
}

/**
 * A Vega-Lite cost fan: per financial year, the P10-P90 range as a shaded
 * area and the median as a line with points, one colour per scenario.
 *
 * @param rows - P10/P50/P90 per year (and scenario); at most one row per
 *   scenario and year
 * @param options - title, size, axis title and scale
 * @returns a Vega-Lite specification with the data inlined
 * @throws CarecastInputError for no rows, a non-finite value, P10 > P50 or
 *   P50 > P90, or two rows for the same scenario and year
 * @example
 * ```ts
 * const rows = costRecords(costs).filter((r) => r.measure === 'cost' && r.group === 'total');
 * writeFileSync('costs.svg', await renderSvg(costChartSpec(rows)));
 * ```
 */
export function costChartSpec(rows: readonly CostChartRow[], options: CostChartOptions = {}): TopLevelSpec {
  const bad = (field: string, message: string, fix: string): never => {
    throw new CarecastInputError([{ source: 'cost chart', field, message, fix }]);
  };
  if (rows.length === 0) bad('rows', 'no rows to chart', 'pass at least one P10/P50/P90 row');
  const scale = options.scale ?? 1e6;
  const seen = new Set<string>();
  const values = rows.map((r, i) => {
    const scenario = r.scenario ?? 'baseline';
    const key = `${scenario}\u0000${r.year}`;
    if (seen.has(key)) bad(`rows[${i}]`, `two rows for scenario "${scenario}" and year ${r.year}`, 'filter the rows to one measure and group (e.g. cost, total) per scenario');
    seen.add(key);
    for (const f of ['year', 'p10', 'p50', 'p90'] as const) {
      if (!Number.isFinite(r[f])) bad(`rows[${i}].${f}`, `not a finite number: ${String(r[f])}`, 'give numbers for year, p10, p50 and p90');
    }
    if (r.p10 > r.p50 || r.p50 > r.p90) bad(`rows[${i}]`, `quantiles out of order (p10 ${r.p10}, p50 ${r.p50}, p90 ${r.p90})`, 'give p10 <= p50 <= p90');
    return { year: r.year, fy: r.financial_year ?? fyLabel(r.year), scenario, p10: r.p10 / scale, p50: r.p50 / scale, p90: r.p90 / scale };
  });
  values.sort((a, b) => a.year - b.year);
  const fys = [...new Set(values.map((v) => v.fy))];
  const scenarios = [...new Set(values.map((v) => v.scenario))];
  const xEnc = { field: 'fy', type: 'ordinal', title: 'Financial year', sort: fys, axis: { labelAngle: 0 } } as const;
  const colour = { field: 'scenario', type: 'nominal', title: 'Scenario', sort: scenarios, scale: { scheme: 'tableau10' }, legend: scenarios.length > 1 ? { orient: 'top', direction: 'horizontal', labelLimit: 320, columns: 2 } : null } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title !== undefined ? (options.priceBasis ? { text: options.title, subtitle: [`Money: ${options.priceBasis}`], anchor: 'start' } : options.title) : {
      text: 'Projected cost per financial year',
      // short lines: headless Vega estimates text width (no canvas), and a long line would widen the chart
      subtitle: ['Line: median (P50); shading: P10-P90 of the simulated paths', ...(options.priceBasis ? [`Money: ${options.priceBasis}`] : [])],
      anchor: 'start',
    },
    width: options.width ?? 640,
    height: options.height ?? 320,
    data: { values },
    encoding: { x: xEnc, color: colour },
    layer: [
      {
        mark: { type: 'area', opacity: 0.25 },
        encoding: {
          y: { field: 'p10', type: 'quantitative', title: options.yTitle ?? `£ million a year${basisWord(options.priceBasis)}`, scale: { zero: false } },
          y2: { field: 'p90' },
        },
      },
      {
        mark: { type: 'line', point: true },
        encoding: {
          y: { field: 'p50', type: 'quantitative' },
          tooltip: [
            { field: 'scenario', type: 'nominal' },
            { field: 'fy', type: 'ordinal', title: 'financial year' },
            { field: 'p10', type: 'quantitative', format: ',.2f' },
            { field: 'p50', type: 'quantitative', format: ',.2f' },
            { field: 'p90', type: 'quantitative', format: ',.2f' },
          ],
        },
      },
    ],
  } as TopLevelSpec;
}
