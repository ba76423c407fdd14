/**
 * The tables of a costs workbook (and the costs CSV files), from the base
 * and scenario results: a wide summary per financial year, each scenario's
 * difference from the base with bands (per year and over all years), every
 * cost record and the tidy comparison, the assumptions (price basis,
 * inflation, weekly costs, capacity and utilisation, uncosted groups, the
 * levers) and the caveats. The CLI and the examples write the same sheets.
 *
 * @module
 */
import { financialYearLabel } from '../data/financialYear.js';
import type { SamplePaths } from '../models/types.js';
import { costRecords, type AssumptionRow, type CostRecord } from '../finance/costs.js';
import { describeLever, priceBasisOf, type PriceBasis } from '../finance/describe.js';
import { compareScenarios, type ComparisonRow, type ScenarioResult } from '../finance/scenario.js';
import { pathBands } from '../uncertainty/pathBands.js';
import { COUNT_FORMAT, type WorkbookAssumption, type WorkbookTable } from './excel.js';
import { groupDifferenceRows } from './groupDifference.js';

/** The price-basis columns of money rows (empty on rows of children). */
export interface PriceColumns {
  /** `cash` or `real` (see {@link PriceBasis}). */
  readonly prices: string | null;
  /** The price year, e.g. `2022/23`. */
  readonly price_year: string | null;
  /** The inflation used, in words (with a scenario's extra cost inflation). */
  readonly inflation: string | null;
}

/** One row of {@link costTableRows}: a {@link CostRecord} of one scenario, with its price basis. */
export type CostTableRow = { readonly scenario: string } & CostRecord & PriceColumns;

/** One row of {@link comparisonTableRows}: a {@link ComparisonRow} with its price basis. */
export type ComparisonTableRow = ComparisonRow & PriceColumns;

/** One row of {@link differenceRows}: a scenario's total cost against the base in one financial year, or over all years. */
export interface DifferenceRow {
  /** The scenario. */
  readonly scenario: string;
  /** Financial year (`2025/26`), or `all years (2024/25 to 2034/35)` for the sum over the projection. */
  readonly financial_year: string;
  /** Median total cost of the base. */
  readonly base_p50: number;
  /** Median total cost of the scenario. */
  readonly scenario_p50: number;
  /** 10% point of the path-by-path difference in total cost (scenario minus base). */
  readonly diff_p10: number;
  /** Median of the difference. */
  readonly diff_p50: number;
  /** 90% point of the difference. */
  readonly diff_p90: number;
  /** Children in care at 31 March: 10% point of the difference (empty for all years). */
  readonly children_diff_p10: number | null;
  /** Children in care at 31 March: median of the difference. */
  readonly children_diff_p50: number | null;
  /** Children in care at 31 March: 90% point of the difference. */
  readonly children_diff_p90: number | null;
}

/** Input of {@link costWorkbook}. */
export interface CostWorkbookInput {
  /** The base first (no levers), then the scenarios, all from one projection (`applyScenario`). */
  readonly results: readonly ScenarioResult[];
  /** Caveats of the projection (and any others), for the caveats sheet and the assumptions. */
  readonly caveats?: readonly string[];
  /** Warnings raised while applying the scenarios (clamped levers), with the caveats. */
  readonly warnings?: readonly string[];
  /** Rows that open the assumptions sheet: the data source, paths, seed, the files read. */
  readonly run?: readonly WorkbookAssumption[];
}

/** What {@link costWorkbook} gives: the arguments of `writeWorkbook` / `buildWorkbook`. */
export interface CostWorkbook {
  /** The sheets: Summary, Difference from base, Difference by group, Costs, Comparison (the last three as in the CSV files). */
  readonly tables: readonly WorkbookTable[];
  /** The assumptions sheet's rows. */
  readonly assumptions: readonly WorkbookAssumption[];
  /** The caveats sheet's rows (caveats, then warnings). */
  readonly caveats: readonly string[];
  /** The price basis of the money. */
  readonly priceBasis: PriceBasis;
}

function scenarioInflation(r: ScenarioResult, basis: PriceBasis): string {
  const extra = r.levers.filter((l) => l.kind === 'costInflation').map(describeLever);
  return extra.length > 0 ? `${basis.inflation}; plus ${extra.join('; ')}` : basis.inflation;
}

function priceColumns(unit: string, r: ScenarioResult, basis: PriceBasis): PriceColumns {
  return unit === 'gbp' ? { prices: basis.basis, price_year: basis.priceYear, inflation: scenarioInflation(r, basis) } : { prices: null, price_year: null, inflation: null };
}

/**
 * Every cost record of the base and each scenario (total and group costs,
 * occupancy, each pool's demand, places and sufficiency gap, per financial
 * year, with mean and P10/P50/P90), with the scenario's name and, on money
 * rows, the price basis: the costs CSV and the workbook's Costs sheet.
 *
 * @param results - base first, then the scenarios
 * @returns the rows, scenario by scenario
 * @example
 * ```ts
 * toCsv(costTableRows([base, fewer])); // scenario, area, year, financial_year, measure, group, unit, mean, p10, p50, p90, prices, price_year, inflation
 * ```
 */
export function costTableRows(results: readonly ScenarioResult[]): CostTableRow[] {
  return results.flatMap((r) => {
    const basis = priceBasisOf(r.costs.model);
    return costRecords(r.costs).map((c) => ({ scenario: r.name, ...c, ...priceColumns(c.unit, r, basis) }));
  });
}

/**
 * The tidy comparison of each scenario with the base ({@link compareScenarios}),
 * with the price basis on money rows: the comparison CSV and the workbook's
 * Comparison sheet.
 *
 * @param results - base first, then the scenarios (none: no rows)
 * @returns the rows
 * @example
 * ```ts
 * toCsv(comparisonTableRows([base, fewer]));
 * ```
 */
export function comparisonTableRows(results: readonly ScenarioResult[]): ComparisonTableRow[] {
  if (results.length < 2) return [];
  const [base, ...rest] = results;
  const byName = new Map(rest.map((r) => [r.name, r]));
  const basis = priceBasisOf(base.costs.model);
  return compareScenarios(base, rest).map((row) => ({ ...row, ...priceColumns(row.unit, byName.get(row.scenario) ?? base, basis) }));
}

function sumOverYears(p: SamplePaths): SamplePaths {
  const out = new Float64Array(p.paths);
  for (let i = 0; i < p.paths; i++) for (let h = 0; h < p.horizon; h++) out[i] += p.values[i * p.horizon + h];
  return { paths: p.paths, horizon: 1, values: out };
}

function minus(a: SamplePaths, b: SamplePaths): SamplePaths {
  const v = new Float64Array(a.values.length);
  for (let k = 0; k < v.length; k++) v[k] = a.values[k] - b.values[k];
  return { paths: a.paths, horizon: a.horizon, values: v };
}

/**
 * Each scenario's total cost against the base, per financial year and over
 * all projected years: the medians of both and the P10/P50/P90 of the
 * path-by-path difference (the scenarios share the base's random numbers,
 * so the difference measures the levers), with the difference in children
 * in care at 31 March. The all-years row sums each path over the years
 * before taking its points, so its band is the band of the total.
 *
 * @param results - base first, then the scenarios (from one projection)
 * @returns the rows, scenario by scenario, years then all years
 * @example
 * ```ts
 * differenceRows([base, fewer]).at(-1); // { scenario: 'admissions -10%', financial_year: 'all years (2024/25 to 2034/35)', diff_p50: -63_000_000, ... }
 * ```
 */
export function differenceRows(results: readonly ScenarioResult[]): DifferenceRow[] {
  if (results.length < 2) return [];
  const [base, ...rest] = results;
  const years = base.costs.years;
  const allYears = `all years (${financialYearLabel(years[0])} to ${financialYearLabel(years[years.length - 1])})`;
  const baseCost = pathBands(base.costs.paths.total, [80]).quantiles;
  const baseTotal = pathBands(sumOverYears(base.costs.paths.total), [80]).quantiles;
  const rows: DifferenceRow[] = [];
  for (const s of rest) {
    const own = pathBands(s.costs.paths.total, [80]).quantiles;
    const d = pathBands(minus(s.costs.paths.total, base.costs.paths.total), [80]).quantiles;
    const kids = pathBands(minus(s.placements.stock, base.placements.stock), [80]).quantiles;
    years.forEach((_, i) => {
      rows.push({
        scenario: s.name,
        financial_year: base.costs.financialYears[i],
        base_p50: baseCost.p50[i],
        scenario_p50: own.p50[i],
        diff_p10: d.p10[i],
        diff_p50: d.p50[i],
        diff_p90: d.p90[i],
        children_diff_p10: kids.p10[i],
        children_diff_p50: kids.p50[i],
        children_diff_p90: kids.p90[i],
      });
    });
    const total = pathBands(sumOverYears(minus(s.costs.paths.total, base.costs.paths.total)), [80]).quantiles;
    rows.push({
      scenario: s.name,
      financial_year: allYears,
      base_p50: baseTotal.p50[0],
      scenario_p50: pathBands(sumOverYears(s.costs.paths.total), [80]).quantiles.p50[0],
      diff_p10: total.p10[0],
      diff_p50: total.p50[0],
      diff_p90: total.p90[0],
      children_diff_p10: null,
      children_diff_p50: null,
      children_diff_p90: null,
    });
  }
  return rows;
}

/** Total cost per financial year, P10/P50/P90 for each scenario side by side (the wide form). */
function summaryRows(results: readonly ScenarioResult[]): { rows: Record<string, string | number>[]; money: string[] } {
  const base = results[0];
  const money: string[] = [];
  const names = results.map((r, i) => (results.findIndex((x) => x.name === r.name) === i ? r.name : `${r.name} (${i + 1})`));
  for (const n of names) money.push(`${n}: P10`, `${n}: P50`, `${n}: P90`);
  const rows = base.costs.financialYears.map((fy, i) => {
    const row: Record<string, string | number> = { financial_year: fy };
    results.forEach((r, k) => {
      const q = r.costs.total.quantiles;
      row[`${names[k]}: P10`] = q.p10[i];
      row[`${names[k]}: P50`] = q.p50[i];
      row[`${names[k]}: P90`] = q.p90[i];
    });
    return row;
  });
  return { rows, money };
}

function assumptionRows(results: readonly ScenarioResult[], basis: PriceBasis, caveats: readonly string[], warnings: readonly string[], run: readonly WorkbookAssumption[]): WorkbookAssumption[] {
  const base = results[0];
  const model = base.costs.model;
  const rows: WorkbookAssumption[] = [...run];
  rows.push({ item: 'price basis', value: basis.basis, unit: '', note: basis.text });
  rows.push(...base.costs.assumptions.map((a: AssumptionRow) => ({ ...a })));
  for (const r of model.capacity ?? []) {
    rows.push({ item: `utilisation: ${r.name}`, value: r.utilisation ?? 1, unit: 'share of places', note: `usable in-house places = places x utilisation; ${r.internalGroup} takes the ${r.name} demand up to them, the rest is ${r.externalGroup}` });
  }
  if ((model.uncosted ?? []).length === 0) rows.push({ item: 'not costed', value: 'none', unit: '', note: 'every group has a weekly cost' });
  if (results.length === 1) rows.push({ item: 'scenarios', value: 'none', unit: '', note: 'the base only' });
  for (const s of results.slice(1)) {
    if (s.levers.length === 0) rows.push({ item: `scenario "${s.name}"`, value: 'no levers', unit: '', note: 'the same as the base' });
    s.levers.forEach((l, i) => rows.push({ item: `scenario "${s.name}": lever ${i + 1}`, value: describeLever(l), unit: '', note: JSON.stringify(l) }));
  }
  warnings.forEach((w, i) => rows.push({ item: `warning ${i + 1}`, value: w, unit: '', note: 'a lever was limited; also on the Caveats sheet' }));
  caveats.forEach((c, i) => rows.push({ item: `caveat ${i + 1}`, value: c, unit: '', note: 'also on the Caveats sheet' }));
  return rows;
}

/**
 * The sheets of a costs workbook, for `writeWorkbook(book.tables,
 * book.assumptions, path, { caveats: book.caveats })`:
 *
 * - **Summary**: total cost per financial year, P10/P50/P90 of each scenario
 *   side by side, under a line giving the price basis;
 * - **Difference from base** (with scenarios): {@link differenceRows};
 * - **Difference by group** (with scenarios): children at 31 March per
 *   group, the P10/P50/P90 of each scenario's difference side by side
 *   (`groupDifferenceRows`);
 * - **Costs**: {@link costTableRows} (money `£#,##0`, children `#,##0`);
 * - **Comparison** (with scenarios): {@link comparisonTableRows};
 * - the assumptions: the run, the price basis, weeks per year, price year,
 *   weekly costs and their sources, the groups not costed, inflation and its
 *   index, capacity and utilisation per pool, each scenario's levers, the
 *   warnings and the caveats; and the caveats sheet.
 *
 * @param input - the results (base first), caveats, warnings, run rows
 * @returns tables, assumptions, caveats and the price basis
 * @throws RangeError when there are no results
 * @example
 * ```ts
 * const book = costWorkbook({ results: [base, fewer], caveats: sys.caveats });
 * await writeWorkbook(book.tables, book.assumptions, 'out/costs.xlsx', { caveats: book.caveats });
 * ```
 */
export function costWorkbook(input: CostWorkbookInput): CostWorkbook {
  const { results } = input;
  if (results.length === 0) throw new RangeError('costWorkbook needs the base result at least');
  const base = results[0];
  const basis = priceBasisOf(base.costs.model);
  const caveats = [...(input.caveats ?? [])];
  const warnings = [...(input.warnings ?? [])];
  const summary = summaryRows(results);
  const fullYears = `${base.costs.financialYears[0]} to ${base.costs.financialYears[base.costs.financialYears.length - 1]}`;
  const tables: WorkbookTable[] = [
    {
      name: 'Summary',
      rows: summary.rows,
      currencyColumns: summary.money,
      notes: [
        `${base.costs.area}: total placement cost per financial year, ${fullYears}; £, ${basis.text}`,
        'P10, P50, P90: the 10%, 50% (median) and 90% points of the simulated paths; 8 paths in 10 lie between P10 and P90.',
      ],
    },
  ];
  if (results.length > 1) {
    tables.push({
      name: 'Difference from base',
      rows: differenceRows(results),
      currencyColumns: ['base_p50', 'scenario_p50', 'diff_p10', 'diff_p50', 'diff_p90'],
      numberFormats: { children_diff_p10: COUNT_FORMAT, children_diff_p50: COUNT_FORMAT, children_diff_p90: COUNT_FORMAT },
      notes: [
        `Each scenario minus the base, path by path on the same random numbers; total cost in £ (${basis.text}) and children in care at 31 March`,
        'diff_p10 / diff_p50 / diff_p90: the 10%, 50% and 90% points of the difference; the all-years row sums each path over the years first.',
      ],
    });
  }
  if (results.length > 1) {
    const byGroup = groupDifferenceRows(compareScenarios(base, results.slice(1)));
    const counts = Object.keys(byGroup[0] ?? {}).filter((c) => c !== 'scenario' && c !== 'year');
    tables.push({
      name: 'Difference by group',
      rows: byGroup,
      numberFormats: Object.fromEntries(counts.map((c) => [c, COUNT_FORMAT])),
      notes: [
        `Children at 31 March by ${base.placements.dimension} group, each scenario minus the base, path by path on the same random numbers`,
        '<group>: P10 / P50 / P90: the 10%, 50% and 90% points of the difference; children_in_care is the total.',
      ],
    });
  }
  tables.push({ name: 'Costs', rows: costTableRows(results), currencyColumns: ['mean', 'p10', 'p50', 'p90'], unitColumn: 'unit' });
  if (results.length > 1) {
    tables.push({ name: 'Comparison', rows: comparisonTableRows(results), currencyColumns: ['base_p50', 'scenario_p50', 'diff_p10', 'diff_p50', 'diff_p90', 'diff_mean'], unitColumn: 'unit' });
  }
  return {
    tables,
    assumptions: assumptionRows(results, basis, caveats, warnings, input.run ?? []),
    caveats: [...caveats, ...warnings.map((w) => `Warning: ${w}`)],
    priceBasis: basis,
  };
}
