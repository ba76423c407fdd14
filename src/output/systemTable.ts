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

const whole = (v: number): string => Math.round(v).toLocaleString('en-GB');
const pct = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(0)}%`;

/**
 * The main job's table: for each component present in the projection, its
 * point in the target year, the 80% and 95% bands of its paths, the
 * published % change (a column only when some are given; `*` where the publication's definition
 * differs, {@link PublishedChange.as}), carecast's % change from the base
 * year and the 80% band of that change. Fits in 100 columns.
 *
 * @param sp - the system projection (with 80% and 95% bands)
 * @param input - its input (for the observed base-year values)
 * @param options - target and base year, published changes, components (default: {@link MISSION_COMPONENTS}, then the groups of any other breakdown but age)
 * @returns the table as text
 * @example
 * ```ts
 * console.log(formatSystemTable(sys, input, { targetYear: 2035, baseYear: 2023 }));
 * ```
 */
export function formatSystemTable(sp: SystemProjection, input: SystemInput, options: SystemTableOptions = {}): string {
  const target = options.targetYear ?? sp.years[sp.years.length - 1];
  const baseYear = options.baseYear ?? sp.start.year;
  const t = sp.years.indexOf(target);
  const header = [`${target}`, 'point', '80% band', '95% band', `${baseYear}-${String(target).slice(2)}: published`, 'carecast', '80% band'];
  const rows: string[][] = [];
  for (const c of options.components ?? defaultComponents(sp)) {
    const series = c.measure === 'children_in_care' ? sp.stock : c.measure === 'started' ? sp.started : c.measure === 'ceased' ? sp.ceased : sp.breakdowns[c.measure]?.byGroup[c.group];
    if (!series || t < 0) continue;
    const band = (level: number): string => {
      const iv = series.intervals.find((x) => x.level === level);
      return iv ? `${whole(iv.lower[t])}-${whole(iv.upper[t])}` : '';
    };
    const ch = systemChange(sp, input, c, baseYear, target);
    const pub = options.published?.find((p) => p.measure === c.measure && p.group === c.group);
    rows.push([
      c.label,
      whole(series.point[t]),
      band(80),
      band(95),
      pub ? `${pct(pub.percentChange)}${pub.as ? '*' : ''}` : '',
      ch ? pct(ch.median) : '',
      ch ? `${pct(ch.lower)} to ${pct(ch.upper)}` : '',
    ]);
  }
  // no published figure to set beside: leave the column out
  if (!options.published || options.published.length === 0) return alignTable(header.filter((_, i) => i !== 4).map((h, i) => (i === 4 ? `${baseYear}-${String(target).slice(2)}: carecast` : h)), rows.map((r) => r.filter((_, i) => i !== 4)));
  return alignTable(header, rows);
}
