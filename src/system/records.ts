/**
 * A system projection as tidy rows: one per year, measure and group.
 *
 * @module
 */
import type { PathBands } from '../uncertainty/pathBands.js';
import type { SystemProjection } from './projectSystem.js';

/**
 * One row of {@link systemRecords}.
 *
 * @example
 * ```ts
 * const rows: SystemRecord[] = systemRecords(sys);
 * rows[0]; // { area, year, measure: 'children_in_care', group: 'total', point, median, share: null, p10, p50, p90, lo_80, hi_80, lo_95, hi_95 }
 * ```
 */
export type SystemRecord = {
  /** Area. */
  area: string;
  /** Year (31 March; for flows, the year ending then). */
  year: number;
  /** `children_in_care`, `started`, `ceased`, or a breakdown's dimension (e.g. `placement`). */
  measure: string;
  /** `total` for the stock and flows, else the group (derived groups such as `residential` included). */
  group: string;
  /** Point: the total's forecast point for children in care, the median of the paths for the rest. */
  point: number;
  /** Median of the paths. */
  median: number;
  /** Median of the group's share paths (groups only). */
  share: number | null;
  /** 10% quantile of the paths. */
  p10: number;
  /** 50% quantile of the paths. */
  p50: number;
  /** 90% quantile of the paths. */
  p90: number;
} & { [bound: `lo_${number}` | `hi_${number}`]: number };

/**
 * A system projection as tidy rows: one per year x measure x group, with
 * the point, the median, the share (groups), P10/P50/P90 and
 * `lo_<level>` / `hi_<level>` for every band level. The same numbers as
 * the projection's fields, ready for `toCsv`, a DataFrame or a workbook.
 *
 * @param sp - the system projection
 * @returns the rows: children in care, starters, leavers, then each breakdown's groups
 * @example
 * ```ts
 * toCsv(systemRecords(projectSystem(input, { to: 2030 })));
 * ```
 */
export function systemRecords(sp: SystemProjection): SystemRecord[] {
  const rows: SystemRecord[] = [];
  const push = (measure: string, group: string, b: PathBands & { readonly point: readonly number[] }, share?: readonly number[]): void => {
    sp.years.forEach((year, i) => {
      const row = {
        area: sp.area,
        year,
        measure,
        group,
        point: b.point[i],
        median: b.median[i],
        share: share ? share[i] : null,
        p10: b.quantiles.p10[i],
        p50: b.quantiles.p50[i],
        p90: b.quantiles.p90[i],
      } as SystemRecord;
      for (const iv of b.intervals) {
        row[`lo_${iv.level}`] = iv.lower[i];
        row[`hi_${iv.level}`] = iv.upper[i];
      }
      rows.push(row);
    });
  };
  push('children_in_care', 'total', sp.stock);
  if (sp.started) push('started', 'total', sp.started);
  if (sp.ceased) push('ceased', 'total', sp.ceased);
  for (const [dim, bd] of Object.entries(sp.breakdowns)) {
    for (const g of [...bd.groups, ...Object.keys(bd.derived)]) push(dim, g, bd.byGroup[g], bd.byGroup[g].share);
  }
  return rows;
}
