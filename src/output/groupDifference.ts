/**
 * Each scenario's difference from the base in children, group by group:
 * the path-by-path differences of `compareScenarios` (the scenarios share
 * the base's random numbers), as a short terminal table at one year and as
 * the wide form for files (one row per scenario and year, P10/P50/P90 of
 * every group side by side).
 *
 * @module
 */
import type { ComparisonRow } from '../finance/scenario.js';
import { alignTable } from './table.js';

/** The measures of {@link ComparisonRow} that count children per group: the total (`children_in_care`) and each group (`children`). */
function childRows(rows: readonly ComparisonRow[]): ComparisonRow[] {
  return rows.filter((r) => (r.measure === 'children_in_care' && r.group === 'total') || r.measure === 'children');
}

/** A group's name as shown: the total as `children in care`. */
function groupName(r: ComparisonRow): string {
  return r.measure === 'children_in_care' ? 'children in care' : r.group;
}

/** The column titles of {@link groupDifferenceCells}. */
export const GROUP_DIFFERENCE_HEADER: readonly string[] = ['group', 'base P50', 'scenario P50', 'difference P50', '80% band'];

/**
 * One scenario's difference from the base in children at 31 March of one
 * year, the total and each group, as printed: base and scenario medians,
 * the median of the path-by-path difference and its 80% band (P10 to
 * P90), whole children, differences signed. The terminal
 * ({@link formatGroupDifferences}) and the HTML report print these cells.
 *
 * @param comparison - rows of `compareScenarios(base, scenarios)`
 * @param scenario - the scenario's name
 * @param year - the year (31 March)
 * @returns one row of cells per group (children in care first), in the order of {@link GROUP_DIFFERENCE_HEADER}
 * @example
 * ```ts
 * groupDifferenceCells(compareScenarios(base, [fewer]), fewer.name, 2035)[0];
 * // ['children in care', '1,177', '1,100', '-77', '-120 to -40']
 * ```
 */
export function groupDifferenceCells(comparison: readonly ComparisonRow[], scenario: string, year: number): string[][] {
  const whole = (v: number): string => Math.round(v).toLocaleString('en-GB');
  const signed = (v: number): string => {
    const r = Math.round(v);
    return `${r > 0 ? '+' : r < 0 ? '-' : ''}${Math.abs(r).toLocaleString('en-GB')}`;
  };
  return childRows(comparison)
    .filter((r) => r.scenario === scenario && r.year === year)
    .map((r) => [groupName(r), whole(r.base_p50), whole(r.scenario_p50), signed(r.diff_p50), `${signed(r.diff_p10)} to ${signed(r.diff_p90)}`]);
}

/**
 * One scenario's difference from the base in children at 31 March of one
 * year, the total and each group, as an aligned table
 * ({@link groupDifferenceCells}). Fits in 100 columns for the usual group
 * names.
 *
 * @param comparison - rows of `compareScenarios(base, scenarios)`
 * @param scenario - the scenario's name
 * @param year - the year (31 March)
 * @returns the table as text (header only when the scenario or year has no rows)
 * @example
 * ```ts
 * console.log(formatGroupDifferences(compareScenarios(base, [fewer]), fewer.name, 2035));
 * // group             base P50  scenario P50  difference P50  80% band
 * // children in care     1,177         1,100             -77  -120 to -40
 * ```
 */
export function formatGroupDifferences(comparison: readonly ComparisonRow[], scenario: string, year: number): string {
  return alignTable(GROUP_DIFFERENCE_HEADER, groupDifferenceCells(comparison, scenario, year));
}

/** One row of {@link groupDifferenceRows}: a scenario and year, then `<group>: P10`, `<group>: P50`, `<group>: P90` for the total and every group. */
export type GroupDifferenceRow = { readonly scenario: string; readonly year: number } & Readonly<Record<string, string | number>>;

/**
 * The wide form of each scenario's difference from the base in children at
 * 31 March: one row per scenario and year, and for children in care and
 * every group the P10, P50 and P90 of the path-by-path difference
 * (scenario minus base) side by side. For the costs CSV and the workbook's
 * "Difference by group" sheet.
 *
 * @param comparison - rows of `compareScenarios(base, scenarios)`
 * @returns the rows, scenario by scenario, year by year
 * @example
 * ```ts
 * groupDifferenceRows(compareScenarios(base, [stepDown]))[0];
 * // { scenario: 'step-down', year: 2025, 'children_in_care: P10': 0, ..., 'residential_external: P50': -10, ... }
 * ```
 */
export function groupDifferenceRows(comparison: readonly ComparisonRow[]): GroupDifferenceRow[] {
  const byKey = new Map<string, Record<string, string | number>>();
  for (const r of childRows(comparison)) {
    const key = `${r.scenario}\u0000${r.year}`;
    let row = byKey.get(key);
    if (!row) {
      row = { scenario: r.scenario, year: r.year };
      byKey.set(key, row);
    }
    const g = r.measure === 'children_in_care' ? 'children_in_care' : r.group;
    row[`${g}: P10`] = r.diff_p10;
    row[`${g}: P50`] = r.diff_p50;
    row[`${g}: P90`] = r.diff_p90;
  }
  return [...byKey.values()] as GroupDifferenceRow[];
}
