/**
 * A system projection as the main job prints it: the total, starters and
 * leavers, fostering and residential, in-house and external in a target
 * year with their 80% and 95% bands, and the % change from a base year
 * (the median of the paths' own changes, with its 80% band), beside the %
 * changes a statement published.
 *
 * @module
 */
import { yearValuesOf } from '../data/yearValue.js';
import type { SamplePaths } from '../models/types.js';
import type { SystemInput } from '../system/input.js';
import type { SystemProjection } from '../system/projectSystem.js';
import { pathBands } from '../uncertainty/pathBands.js';
import { alignTable } from './table.js';

/**
 * One line of the main job's table: a measure (`children_in_care`,
 * `started`, `ceased`, or a breakdown's dimension) and a group (`total`
 * for the first three).
 *
 * @example
 * ```ts
 * const c: SystemComponent = { label: 'residential', measure: 'placement', group: 'residential' };
 * ```
 */
export interface SystemComponent {
  /** The words printed. */
  readonly label: string;
  /** `children_in_care`, `started`, `ceased` or a dimension (`placement`, `provider`). */
  readonly measure: string;
  /** `total`, or the group (derived groups such as `residential` included). */
  readonly group: string;
}

/**
 * The components the main job shows (issue 13): children in care, starters,
 * leavers, fostering, residential (children's homes and secure +
 * independent/semi-independent and supported, as the Derbyshire statement
 * defines it), in-house (own LA) and external (private, voluntary, other LA).
 */
export const MISSION_COMPONENTS: readonly SystemComponent[] = [
  { label: 'children in care', measure: 'children_in_care', group: 'total' },
  { label: 'starters in year', measure: 'started', group: 'total' },
  { label: 'ceased in year', measure: 'ceased', group: 'total' },
  { label: 'fostering', measure: 'placement', group: 'fostering' },
  { label: 'residential', measure: 'placement', group: 'residential' },
  { label: 'in-house (own LA)', measure: 'provider', group: 'in_house' },
  { label: 'external', measure: 'provider', group: 'external' },
];

/**
 * The % change of a component from a base year to a target year, per path:
 * the median of the paths' changes and their central band.
 *
 * @example
 * ```ts
 * const c: SystemChange = systemChange(sys, input, { label: 'fostering', measure: 'placement', group: 'fostering' }, 2023, 2035)!;
 * c.median; // % change 2023-2035, the median of the paths' changes
 * ```
 */
export interface SystemChange {
  /** The base year. */
  readonly baseYear: number;
  /** The target year. */
  readonly targetYear: number;
  /** The observed base-year value (`null` when the base year is projected: then each path's own base value is used). */
  readonly base: number | null;
  /** Median of the paths' % changes. */
  readonly median: number;
  /** Lower end of the central band of the % changes. */
  readonly lower: number;
  /** Upper end of the central band of the % changes. */
  readonly upper: number;
  /** The band's level in percent. */
  readonly level: number;
}

/** The paths of a component, or undefined when the projection does not have it. */
function pathsOf(sp: SystemProjection, c: SystemComponent): SamplePaths | undefined {
  if (c.measure === 'children_in_care') return sp.paths.stock;
  if (c.measure === 'started') return sp.paths.started;
  if (c.measure === 'ceased') return sp.paths.ceased;
  return sp.breakdowns[c.measure]?.paths[c.group];
}

/** The observed value of a component in a year, or null. */
function observed(sp: SystemProjection, input: SystemInput, c: SystemComponent, year: number): number | null {
  const fromSeries = (s: SystemInput['stock'] | undefined): number | null => (s ? (yearValuesOf(s).points.find((p) => p.year === year)?.value ?? null) : null);
  if (c.measure === 'children_in_care') return fromSeries(input.stock);
  if (c.measure === 'started') return fromSeries(input.started);
  if (c.measure === 'ceased') return fromSeries(input.ceased);
  const bd = sp.breakdowns[c.measure];
  if (!bd) return null;
  const gy = bd.history.find((y) => y.year === year);
  if (!gy) return null;
  const parts = bd.derived[c.group] ?? [c.group];
  let sum = 0;
  for (const g of parts) {
    const i = bd.groups.indexOf(g);
    if (i < 0) return null;
    sum += gy.counts[i];
  }
  return sum;
}

/**
 * The % change of one component between a base year and a projected target
 * year, computed path by path: `100 (x_target / x_base - 1)` on each path,
 * with `x_base` the observed value when the base year is published (else
 * the path's own value), then the median and the central band of those
 * changes (type-7 quantiles of the paths).
 *
 * @param sp - the system projection
 * @param input - its input (for the observed base-year values)
 * @param component - the component
 * @param baseYear - the base year (observed, or projected)
 * @param targetYear - a projected year
 * @param level - the band's level in percent (default 80)
 * @returns the change, or `undefined` when the component, the base value or the target year is not there (or the base is 0)
 * @example
 * ```ts
 * const c = systemChange(sys, input, MISSION_COMPONENTS[4], 2023, 2035);
 * `${c?.median.toFixed(0)}% (80% band ${c?.lower.toFixed(0)}% to ${c?.upper.toFixed(0)}%)`;
 * ```
 */
export function systemChange(sp: SystemProjection, input: SystemInput, component: SystemComponent, baseYear: number, targetYear: number, level = 80): SystemChange | undefined {
  const paths = pathsOf(sp, component);
  const t = sp.years.indexOf(targetYear);
  if (!paths || t < 0) return undefined;
  const bi = sp.years.indexOf(baseYear);
  const base = bi >= 0 ? null : observed(sp, input, component, baseYear);
  if (bi < 0 && (base === null || !(base > 0))) return undefined;
  const H = paths.horizon;
  const change = new Float64Array(paths.paths);
  for (let k = 0; k < paths.paths; k++) {
    const b = base ?? paths.values[k * H + bi];
    change[k] = b > 0 ? 100 * (paths.values[k * H + t] / b - 1) : NaN;
  }
  if (change.some((v) => Number.isNaN(v))) return undefined;
  const bands = pathBands({ paths: paths.paths, horizon: 1, values: change }, [level]);
  return { baseYear, targetYear, base, median: bands.median[0], lower: bands.intervals[0].lower[0], upper: bands.intervals[0].upper[0], level };
}

/** A published % change beside one component. */
export interface PublishedChange {
  /** The component's measure. */
  readonly measure: string;
  /** The component's group. */
  readonly group: string;
  /** The published % change. */
  readonly percentChange: number;
  /** What the publication called it, when its definition differs (e.g. `internal`). */
  readonly as?: string;
}

/** Options of {@link formatSystemTable}. */
export interface SystemTableOptions {
  /** The year shown (default the last projected). */
  readonly targetYear?: number;
  /** The base year of the % change (default the last observed children-in-care year). */
  readonly baseYear?: number;
  /** Published % changes (same base and target year) to print beside carecast's. */
  readonly published?: readonly PublishedChange[];
  /** The components (default {@link MISSION_COMPONENTS}, then the groups of any other breakdown but age). */
  readonly components?: readonly SystemComponent[];
}

/** The mission's components, then the groups of any other breakdown but age (e.g. a finance cross). */
function defaultComponents(sp: SystemProjection): SystemComponent[] {
  const known = new Set(MISSION_COMPONENTS.map((c) => c.measure));
  const extra = Object.values(sp.breakdowns)
    .filter((bd) => !known.has(bd.dimension) && bd.dimension !== 'age')
    .flatMap((bd) => [...bd.groups, ...Object.keys(bd.derived)].map((g) => ({ label: `${g.replace(/_/g, ' ')}`, measure: bd.dimension, group: g })));
  return [...MISSION_COMPONENTS, ...extra];
}

/**
 * One row of the mission table ({@link missionTable}): a component in the
 * target year, with typed numbers (whole children and % changes are rounded
 * only when formatted, by {@link missionCells}).
 *
 * @example
 * ```ts
 * const r: MissionRow = missionTable(sys, input).rows[4];
 * r.label; // 'residential'
 * r.bands.find((b) => b.level === 80)?.lower; // the 80% band's lower end in the target year
 * ```
 */
export interface MissionRow {
  /** The words printed. */
  readonly label: string;
  /** The component's measure. */
  readonly measure: string;
  /** The component's group. */
  readonly group: string;
  /** The point in the target year (children in care: the default forecast's point; the rest: the median of the paths). */
  readonly point: number;
  /** The bands of the paths in the target year, one per level of the projection. */
  readonly bands: readonly { readonly level: number; readonly lower: number; readonly upper: number }[];
  /** The published % change from the base year to the target year (`null`: none published). */
  readonly published: number | null;
  /** What the publication called it, when its definition differs (printed with a `*`); `null` otherwise. */
  readonly publishedAs: string | null;
  /** carecast's % change, path by path (`undefined` when it cannot be computed, e.g. no base value). */
  readonly change: SystemChange | undefined;
}

/**
 * The mission table as data: the target and base years, whether a
 * published column is shown, and one {@link MissionRow} per component
 * present in the projection. {@link formatSystemTable} prints it; the HTML
 * report and the workbook show the same rows.
 *
 * @example
 * ```ts
 * const t: MissionTable = missionTable(sys, input, { targetYear: 2035, baseYear: 2023, published });
 * t.rows.map((r) => missionCells(t, r)); // the cells as printed
 * ```
 */
export interface MissionTable {
  /** The area. */
  readonly area: string;
  /** The year shown. */
  readonly targetYear: number;
  /** The base year of the % changes. */
  readonly baseYear: number;
  /** Whether any published % change is set beside carecast's (else the column is left out). */
  readonly hasPublished: boolean;
  /** The rows. */
  readonly rows: readonly MissionRow[];
}

/**
 * The main job's table as typed rows: for each component present in the
 * projection, its point in the target year, the bands of its paths, the
 * published % change (where given) and carecast's path-by-path % change
 * from the base year with its 80% band ({@link systemChange}). The one
 * source of the terminal table ({@link formatSystemTable}), the HTML
 * report's mission table and the workbook's Mission sheet.
 *
 * @param sp - the system projection
 * @param input - its input (for the observed base-year values)
 * @param options - target and base year, published changes, components (default: {@link MISSION_COMPONENTS}, then the groups of any other breakdown but age)
 * @returns the table
 * @throws RangeError when the target year is not projected
 * @example
 * ```ts
 * const t = missionTable(sys, input, { targetYear: 2035, baseYear: 2023 });
 * t.rows[0].point; // children in care in 2035
 * ```
 */
export function missionTable(sp: SystemProjection, input: SystemInput, options: SystemTableOptions = {}): MissionTable {
  const target = options.targetYear ?? sp.years[sp.years.length - 1];
  const baseYear = options.baseYear ?? sp.start.year;
  const t = sp.years.indexOf(target);
  if (t < 0) throw new RangeError(`missionTable: ${target} is not a projected year (${sp.years[0]}-${sp.years[sp.years.length - 1]})`);
  const rows: MissionRow[] = [];
  for (const c of options.components ?? defaultComponents(sp)) {
    const series = c.measure === 'children_in_care' ? sp.stock : c.measure === 'started' ? sp.started : c.measure === 'ceased' ? sp.ceased : sp.breakdowns[c.measure]?.byGroup[c.group];
    if (!series) continue;
    const pub = options.published?.find((p) => p.measure === c.measure && p.group === c.group);
    rows.push({
      label: c.label,
      measure: c.measure,
      group: c.group,
      point: series.point[t],
      bands: series.intervals.map((iv) => ({ level: iv.level, lower: iv.lower[t], upper: iv.upper[t] })),
      published: pub ? pub.percentChange : null,
      publishedAs: pub?.as ?? null,
      change: systemChange(sp, input, c, baseYear, target),
    });
  }
  return { area: sp.area, targetYear: target, baseYear, hasPublished: (options.published?.length ?? 0) > 0, rows };
}

/** Whole children as printed: rounded, with thousands separators. */
const whole = (v: number): string => Math.round(v).toLocaleString('en-GB');
/** A % change as printed: signed, whole percent. */
const pct = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(0)}%`;

/**
 * The column titles of the mission table as printed (the published column
 * only when the table has published changes).
 *
 * @param table - the mission table
 * @returns the titles: year, point, 80% band, 95% band, [published], carecast, 80% band
 * @example
 * ```ts
 * missionHeader(t); // ['2035', 'point', '80% band', '95% band', '2023-35: published', 'carecast', '80% band']
 * ```
 */
export function missionHeader(table: MissionTable): string[] {
  const span = `${table.baseYear}-${String(table.targetYear).slice(2)}`;
  return table.hasPublished ? [`${table.targetYear}`, 'point', '80% band', '95% band', `${span}: published`, 'carecast', '80% band'] : [`${table.targetYear}`, 'point', '80% band', '95% band', `${span}: carecast`, '80% band'];
}

/**
 * One mission row's cells as printed: whole children (`1,177`), bands as
 * `low-high`, % changes signed in whole percent (`+18%`, a `*` where the
 * publication's definition differs), the change's band as `-35% to +108%`.
 * The terminal and the HTML report print these same strings.
 *
 * @param table - the table (for its published column)
 * @param row - one of its rows
 * @returns the cells, in the order of {@link missionHeader}
 * @example
 * ```ts
 * missionCells(t, t.rows[0]); // ['children in care', '1,177', '651-2,067', '505-2,630', '', '+18%', '-35% to +108%']
 * ```
 */
export function missionCells(table: MissionTable, row: MissionRow): string[] {
  const band = (level: number): string => {
    const b = row.bands.find((x) => x.level === level);
    return b ? `${whole(b.lower)}-${whole(b.upper)}` : '';
  };
  const ch = row.change;
  return [
    row.label,
    whole(row.point),
    band(80),
    band(95),
    ...(table.hasPublished ? [row.published !== null ? `${pct(row.published)}${row.publishedAs ? '*' : ''}` : ''] : []),
    ch ? pct(ch.median) : '',
    ch ? `${pct(ch.lower)} to ${pct(ch.upper)}` : '',
  ];
}

/**
 * The main job's table: for each component present in the projection, its
 * point in the target year, the 80% and 95% bands of its paths, the
 * published % change (a column only when some are given; `*` where the publication's definition
 * differs, {@link PublishedChange.as}), carecast's % change from the base
 * year and the 80% band of that change. Fits in 100 columns. The rows are
 * {@link missionTable}'s, the cells {@link missionCells}.
 *
 * @param sp - the system projection (with 80% and 95% bands)
 * @param input - its input (for the observed base-year values)
 * @param options - target and base year, published changes, components (default: {@link MISSION_COMPONENTS}, then the groups of any other breakdown but age)
 * @returns the table as text
 * @throws RangeError when the target year is not projected
 * @example
 * ```ts
 * console.log(formatSystemTable(sys, input, { targetYear: 2035, baseYear: 2023 }));
 * ```
 */
export function formatSystemTable(sp: SystemProjection, input: SystemInput, options: SystemTableOptions = {}): string {
  return formatMissionTable(missionTable(sp, input, options));
}

/**
 * A mission table as aligned text ({@link missionHeader}, then
 * {@link missionCells} of each row): what {@link formatSystemTable} prints.
 *
 * @param table - the mission table
 * @returns the table as text
 * @example
 * ```ts
 * console.log(formatMissionTable(missionTable(sys, input, { targetYear: 2035 })));
 * ```
 */
export function formatMissionTable(table: MissionTable): string {
  return alignTable(missionHeader(table), table.rows.map((r) => missionCells(table, r)));
}

/**
 * What the mission table's numbers are, in words, for under the table (the
 * terminal) or beside it (the report): how the point and the % change are
 * read off the paths, and what residential and external hold when the
 * projection has placement or provider groups.
 *
 * @param table - the mission table
 * @param sp - the system projection it was read from
 * @returns the notes, one paragraph each
 * @example
 * ```ts
 * missionNotes(t, sys)[0]; // 'Point: children in care, the default forecast's; the rest, the median of 2,000 paths. ...'
 * ```
 */
export function missionNotes(table: MissionTable, sp: SystemProjection): string[] {
  const { baseYear, targetYear } = table;
  const n = sp.paths.stock.paths.toLocaleString('en-GB');
  const notes = [
    (sp.engine === 'episodes'
      ? `Point: the median of ${n} paths of simulated children, children in care's too (the episode model has no anchored forecast; carecast project --la gives the aggregate model's). `
      : `Point: children in care, the default forecast's; the rest, the median of ${n} paths. `) +
      `% change ${baseYear}-${targetYear}: each path's own change from the ${baseYear} figure; its median and 80% band.`,
  ];
  if (sp.breakdowns.placement || sp.breakdowns.provider) {
    notes.push('Residential: children\u2019s homes and secure + independent/semi-independent and supported. External: private, voluntary and other LA.');
  }
  return notes;
}
