/**
 * The placement paths costs and scenarios work on: the simulated total,
 * starters and leavers, and one breakdown's group counts, path by path,
 * with the observed counts the first projected year opens from.
 *
 * @module
 */
import { CarecastInputError } from '../data/errors.js';
import type { SamplePaths } from '../models/types.js';
import type { SystemProjection } from '../system/projectSystem.js';

/**
 * Simulated placements of one breakdown (e.g. the finance cross), as
 * {@link placementPathsOf} takes them from a {@link SystemProjection}, or
 * built by hand (small worked examples, tests). Every {@link SamplePaths}
 * has `paths` rows of `years.length` values (`values[p * horizon + h]`).
 */
export interface PlacementPaths {
  /** Area name. */
  readonly area: string;
  /** Projected years (31 March; for flows and money, the year ending then: 2026 = 2025/26). */
  readonly years: readonly number[];
  /** The breakdown dimension the groups belong to (e.g. `finance`). */
  readonly dimension: string;
  /** The last observed year (31 March), which the first projected year opens from. */
  readonly startYear: number;
  /** Children in care at 31 March of `startYear` (observed). */
  readonly openingStock: number;
  /** Children in care at 31 March per projected year. */
  readonly stock: SamplePaths;
  /** Starters in the year to 31 March (absent when the projection has no flows: the flow levers then cannot be used). */
  readonly started?: SamplePaths;
  /** Leavers in the year to 31 March (with `started`). */
  readonly ceased?: SamplePaths;
  /** The groups, in order. */
  readonly groups: readonly string[];
  /** Group counts at 31 March per projected year; in every path they add to `stock`. */
  readonly byGroup: Readonly<Record<string, SamplePaths>>;
  /** Group counts at 31 March of `startYear` (the opening of the first projected financial year). */
  readonly opening: Readonly<Record<string, number>>;
}

/**
 * Take one breakdown's paths out of a system projection, with the opening
 * group counts: the observed total at the last observed year times each
 * group's share in the breakdown's last year with every group known (that
 * same year when the breakdown reaches it).
 *
 * @param sys - the system projection
 * @param dimension - the breakdown to take (e.g. `finance`)
 * @returns the placement paths
 * @throws CarecastInputError when the projection has no such breakdown
 * @example
 * ```ts
 * const pp = placementPathsOf(projectSystem(input, { to: 2035 }), 'finance');
 * pp.opening.residential_external; // children at 31 March of the last observed year
 * ```
 */
export function placementPathsOf(sys: SystemProjection, dimension: string): PlacementPaths {
  const bd = sys.breakdowns[dimension];
  if (!bd) {
    throw new CarecastInputError([
      { source: 'cost model', field: 'dimension', message: `the projection has no breakdown "${dimension}" (it has: ${Object.keys(sys.breakdowns).join(', ') || 'none'})`, fix: 'name one of the projection\'s breakdowns, or add it to projectSystem\'s input' },
    ]);
  }
  const start = sys.start;
  const last = bd.history[bd.history.length - 1];
  const sum = last.counts.reduce((a, b) => a + b, 0);
  const opening = Object.fromEntries(bd.groups.map((g, i) => [g, sum > 0 ? (last.counts[i] / sum) * start.stock : 0]));
  const p = sys.paths;
  return {
    area: sys.area,
    years: sys.years,
    dimension,
    startYear: start.year,
    openingStock: start.stock,
    stock: p.stock,
    ...(p.started && p.ceased ? { started: p.started, ceased: p.ceased } : {}),
    groups: bd.groups,
    byGroup: Object.fromEntries(bd.groups.map((g) => [g, bd.paths[g]])),
    opening,
  };
}

/**
 * Check that hand-built placement paths are consistent: every path set has
 * the same number of paths and one value per year, and the opening counts
 * name the groups.
 *
 * @param pp - the placement paths
 * @returns the number of paths
 * @throws CarecastInputError naming the field that does not fit
 * @example
 * ```ts
 * checkPlacementPaths(pp); // 2000
 * ```
 */
export function checkPlacementPaths(pp: PlacementPaths): number {
  const H = pp.years.length;
  const n = pp.stock.paths;
  const bad = (field: string, message: string): never => {
    throw new CarecastInputError([{ source: 'placement paths', field, message, fix: 'build the paths from one projection, with one value per path and projected year' }]);
  };
  if (H < 1) bad('years', 'no projected years');
  for (let i = 1; i < H; i++) if (pp.years[i] !== pp.years[i - 1] + 1) bad('years', `years must be consecutive, got ${pp.years[i - 1]} then ${pp.years[i]}`);
  if (pp.years[0] !== pp.startYear + 1) bad('startYear', `the first projected year (${pp.years[0]}) must follow the start year (${pp.startYear})`);
  const check = (field: string, s: SamplePaths | undefined): void => {
    if (!s) return bad(field, 'missing');
    if (s.paths !== n || s.horizon !== H || s.values.length !== n * H) bad(field, `has ${s.paths} paths x ${s.horizon} years, expected ${n} x ${H}`);
  };
  check('stock', pp.stock);
  if (pp.started || pp.ceased) {
    check('started', pp.started);
    check('ceased', pp.ceased);
  }
  for (const g of pp.groups) {
    check(`byGroup.${g}`, pp.byGroup[g]);
    const o = pp.opening[g];
    if (o === undefined || !Number.isFinite(o) || o < 0) bad(`opening.${g}`, `opening count must be a non-negative number, got ${String(o)}`);
  }
  return n;
}
