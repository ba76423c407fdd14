/**
 * The whole system in one projection: the total through its flows
 * (stock-flow), and each breakdown (placement groups, provider groups, the
 * finance cross) as shares of that total, path by path, so every group count
 * adds up to the total in every simulated path and every year.
 *
 * @module
 */
import { CarecastInputError } from '../data/errors.js';
import type { SeriesInput } from '../data/yearValue.js';
import { streamSeed } from '../math/rng.js';
import type { SamplePaths } from '../models/types.js';
import type { PathBands } from '../uncertainty/pathBands.js';
import { fitMix, projectMix, type FitMixOptions, type FittedMix, type MixPaths } from './mix.js';
import { projectStockFlow, type StockFlowInput, type StockFlowOptions, type StockFlowProjection } from './stockFlow.js';

/**
 * Input of {@link projectSystem}: the stock-flow series plus any breakdowns.
 *
 * @example
 * ```ts
 * const input: SystemInput = {
 *   stock: findSeries(ds, 'children_in_care'), started: findSeries(ds, 'started'), ceased: findSeries(ds, 'ceased'),
 *   breakdowns: { placement: { fostering, residential, other } },
 * };
 * projectSystem(input, { to: 2030, seed: 1 });
 * ```
 */
export interface SystemInput extends StockFlowInput {
  /**
   * Breakdowns of the stock at 31 March: dimension name (e.g. `placement`,
   * `provider`, `finance`) → group name → series. Each dimension is fitted
   * as a mix of the total; groups that do not cover the total get an
   * `unallocated` group (see {@link fitMix}).
   */
  readonly breakdowns?: Readonly<Record<string, Readonly<Record<string, SeriesInput>>>>;
}

/**
 * Options of {@link projectSystem}.
 *
 * @example
 * ```ts
 * const options: SystemOptions = { to: 2035, paths: 2000, seed: 42 };
 * projectSystem(input, options);
 * ```
 */
export interface SystemOptions extends StockFlowOptions {
  /** Options for every breakdown's mix model (method, remainder handling, ...). */
  readonly mix?: Omit<FitMixOptions, 'total'>;
}

/** A projected group: bands from its count paths, point = point share x point total. */
export interface SystemGroup extends PathBands {
  /** Point count per projected year (point share x the stock-flow point). */
  readonly point: readonly number[];
  /** Point share per projected year. */
  readonly share: readonly number[];
}

/** One breakdown of the projection. */
export interface SystemBreakdown {
  /** The groups, in the mix model's order. */
  readonly groups: readonly string[];
  /** Each group's projection. */
  readonly byGroup: Readonly<Record<string, SystemGroup>>;
  /** The fitted mix (history, parameters, caveats). */
  readonly mix: FittedMix;
  /** Largest |sum of groups - total| over all paths and years (zero up to rounding). */
  readonly maxIncoherence: number;
  /** The group count paths, for costs. */
  readonly paths: Readonly<Record<string, SamplePaths>>;
}

/**
 * The result of {@link projectSystem}.
 *
 * @example
 * ```ts
 * const sys: SystemProjection = projectSystem(input, { to: 2030, seed: 1 });
 * sys.stockFlow.stock.intervals;                       // children in care, 80% and 95% bands
 * sys.breakdowns.placement.byGroup.fostering.point;    // fostering placements, adding up to the total
 * ```
 */
export interface SystemProjection {
  /** Area name. */
  readonly area: string;
  /** Projected years. */
  readonly years: readonly number[];
  /** The total, starters and leavers. */
  readonly stockFlow: StockFlowProjection;
  /** Each breakdown, by dimension name. */
  readonly breakdowns: Readonly<Record<string, SystemBreakdown>>;
  /** Caveats of the stock-flow model and of every mix. */
  readonly caveats: readonly string[];
}

/** Keep steps `offset .. offset + horizon - 1` of every share path. */
function sliceMixPaths(m: MixPaths, offset: number, horizon: number): MixPaths {
  const shares: Record<string, SamplePaths> = {};
  for (const g of m.groups) {
    const src = m.shares[g];
    const values = new Float64Array(m.paths * horizon);
    for (let p = 0; p < m.paths; p++) {
      for (let h = 0; h < horizon; h++) values[p * horizon + h] = src.values[p * src.horizon + offset + h];
    }
    shares[g] = { paths: m.paths, horizon, values };
  }
  return { groups: m.groups, paths: m.paths, horizon, shares };
}

/**
 * Project the care system: children in care, starters and leavers from the
 * stock-flow model ({@link projectStockFlow}), and every breakdown as a
 * share of the total ({@link fitMix}) multiplied path by path with the
 * stock-flow paths. The mix and the flows are simulated from independent
 * seeded streams; the same input and seed give the same numbers.
 *
 * Breakdowns may end earlier than the total (e.g. placement types published
 * to 2017, totals to 2021): the shares are then projected from their last
 * year, and only the projected years of the total are reported.
 *
 * @param input - stock, flows, population, and the breakdowns of the stock
 * @param options - target year, levels, paths, seed, rate and mix methods
 * @returns the projection of the total, the flows and every group
 * @throws CarecastInputError for invalid series or options (see
 *   {@link projectStockFlow} and {@link fitMix}), or a breakdown that ends
 *   after the last observed total
 * @example
 * ```ts
 * const sys = projectSystem(
 *   { stock, started, ceased, breakdowns: { placement: { fostering, residential } } },
 *   { to: 2030, seed: 7 },
 * );
 * sys.breakdowns.placement.byGroup.residential.intervals; // coherent 80/95% bands
 * ```
 */
export function projectSystem(input: SystemInput, options: SystemOptions = {}): SystemProjection {
  const sf = projectStockFlow(input, options);
  const H = sf.years.length;
  const levels = options.levels ?? [80, 95];
  const seed = options.seed ?? 1;
  const caveats = [...sf.caveats];
  const breakdowns: Record<string, SystemBreakdown> = {};
  Object.entries(input.breakdowns ?? {}).forEach(([dimension, groups], i) => {
    const mix = fitMix(groups, { ...options.mix, total: input.stock, source: dimension });
    if (mix.lastYear > sf.start.year) {
      throw new CarecastInputError([
        { source: dimension, field: 'year', message: `the ${dimension} breakdown runs to ${mix.lastYear}, after the last observed total (${sf.start.year})`, fix: 'supply the total for every year of the breakdown' },
      ]);
    }
    const offset = sf.start.year - mix.lastYear;
    const mixPaths = mix.simulate(offset + H, { paths: sf.paths.stock.paths, seed: streamSeed(seed, 100 + i) });
    const proj = projectMix(sf.paths.stock, sliceMixPaths(mixPaths, offset, H), { levels });
    const pointShares = mix.pointShares(offset + H);
    const byGroup: Record<string, SystemGroup> = {};
    for (const g of mix.groups) {
      const share = pointShares[g].slice(offset, offset + H);
      byGroup[g] = { ...proj.bands[g], share, point: share.map((s, k) => s * sf.stock.point[k]) };
    }
    if (offset > 0) caveats.push(`${dimension}: groups are known to ${mix.lastYear}, the total to ${sf.start.year}; the shares for ${mix.lastYear + 1 === sf.start.year ? sf.start.year : `${mix.lastYear + 1}-${sf.start.year}`} are projected, not observed.`);
    for (const c of mix.caveats) caveats.push(`${dimension}: ${c}`);
    breakdowns[dimension] = { groups: mix.groups, byGroup, mix, maxIncoherence: proj.maxIncoherence, paths: proj.counts };
  });
  return { area: sf.area, years: sf.years, stockFlow: sf, breakdowns, caveats };
}

/**
 * One row of {@link systemRecords}.
 *
 * @example
 * ```ts
 * const rows: SystemRecord[] = systemRecords(sys);
 * rows[0];   // { area, year, measure: 'children_in_care', group: 'total', point, median, share: null, lo_80, hi_80, ... }
 * ```
 */
export type SystemRecord = {
  /** Area. */
  area: string;
  /** Year (31 March, or year ending 31 March for flows). */
  year: number;
  /** `children_in_care`, `started`, `ceased`, or the breakdown dimension. */
  measure: string;
  /** The group (`total` for the stock and flows). */
  group: string;
  /** Point forecast. */
  point: number;
  /** Median of the simulated paths. */
  median: number;
  /** Point share of the total (groups only). */
  share: number | null;
} & { [bound: `lo_${number}` | `hi_${number}`]: number };

/**
 * A system projection as tidy rows: one per year x measure x group, with
 * point, median, share and `lo_<level>` / `hi_<level>` bounds.
 *
 * @param sp - the system projection
 * @returns the rows
 * @example
 * ```ts
 * toCsv(systemRecords(projectSystem(input, { to: 2030 })));
 * ```
 */
export function systemRecords(sp: SystemProjection): SystemRecord[] {
  const rows: SystemRecord[] = [];
  const push = (measure: string, group: string, b: PathBands & { point: readonly number[] }, share?: readonly number[]): void => {
    sp.years.forEach((year, i) => {
      const row = { area: sp.area, year, measure, group, point: b.point[i], median: b.median[i], share: share ? share[i] : null } as SystemRecord;
      for (const iv of b.intervals) {
        row[`lo_${iv.level}`] = iv.lower[i];
        row[`hi_${iv.level}`] = iv.upper[i];
      }
      rows.push(row);
    });
  };
  push('children_in_care', 'total', sp.stockFlow.stock);
  push('started', 'total', sp.stockFlow.started);
  push('ceased', 'total', sp.stockFlow.ceased);
  for (const [dim, bd] of Object.entries(sp.breakdowns)) for (const g of bd.groups) push(dim, g, bd.byGroup[g], bd.byGroup[g].share);
  return rows;
}
