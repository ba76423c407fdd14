/**
 * Placement costs per financial year, path by path: occupied
 * placement-weeks (the trapezium average of the opening and closing
 * 31 March counts x 52.18) x weekly cost x an inflation index, with
 * in-house capacity splitting demand into internal and external
 * provision. Bands (P10/P50/P90 budgets) come from the cost paths
 * themselves ({@link pathBands}), never from multiplying bounds.
 *
 * @module
 */
import { CarecastInputError, type InputProblem } from '../data/errors.js';
import type { SamplePaths } from '../models/types.js';
import { financialYearLabel } from '../data/financialYear.js';
import type { SystemProjection } from '../system/projectSystem.js';
import { pathBands, type PathBands } from '../uncertainty/pathBands.js';
import { checkPlacementPaths, placementPathsOf, type PlacementPaths } from './placements.js';

/** Weeks in a year of occupancy (365.25 / 7, rounded as finance teams use it). */
export const WEEKS_PER_YEAR = 52.18;

/**
 * Cost inflation: one rate a year (`{ rate: 0.03 }`), a rate per year
 * (`{ rates: { 2026: 0.05, 2027: 0.03 } }`, the rate from the year before
 * to that year; missing years use `rate`, default 0), or an index series
 * (`{ index: { 2025: 100, 2026: 104.5, ... } }`, rescaled so the price
 * year is 1; it must cover the price year and every projected year).
 */
export type Inflation =
  | { readonly rate: number; readonly rates?: Readonly<Record<number, number>> }
  | { readonly rate?: number; readonly rates: Readonly<Record<number, number>> }
  | { readonly index: Readonly<Record<number, number>> };

/** How much in-house provision there is in a year from `from` on (until the next step). */
export interface CapacityStep {
  /** First year (the year ending 31 March: 2027 = 2026/27) the places apply. */
  readonly from: number;
  /** Places (beds, or children the carers can take). */
  readonly places: number;
}

/**
 * In-house capacity for a pool of demand: the children needing a placement
 * of one type (e.g. residential) are `internalGroup + externalGroup`; the
 * council's own provision takes them up to its usable places
 * (`places x utilisation`), and the rest overflow to external provision at
 * the external group's cost.
 */
export interface CapacityRule {
  /** The pool's name (e.g. `residential`), used in sufficiency tables and scenario levers. */
  readonly name: string;
  /** The group holding in-house placements (e.g. `residential_internal`), costed at its weekly cost. */
  readonly internalGroup: string;
  /** The group holding external placements (e.g. `residential_external`), costed at its weekly cost. */
  readonly externalGroup: string;
  /** Places: one number for every year, or steps by year (the first step must cover the first projected year). */
  readonly places: number | readonly CapacityStep[];
  /** Share of places usable at any time (matching, voids, beds kept for specific needs), in (0, 1] (default 1). */
  readonly utilisation?: number;
}

/**
 * What costs are computed from.
 *
 * @example
 * ```ts
 * const model: CostModel = {
 *   dimension: 'finance', priceYear: 2023, inflation: { rate: 0.03 },
 *   weekly: { fostering_internal: 461, fostering_external: 1046, residential_internal: 5852, residential_external: 4803 },
 *   uncosted: ['unallocated'],
 * };
 * projectCosts(sys, model);
 * ```
 */
export interface CostModel {
  /** The breakdown whose groups are costed (e.g. `finance`); with {@link PlacementPaths} it must match their dimension. */
  readonly dimension: string;
  /** Weekly cost per group, in pounds at `priceYear` prices. */
  readonly weekly: Readonly<Record<string, number>>;
  /** The financial year (year ending 31 March: 2025 = 2024/25) the weekly costs are priced at. */
  readonly priceYear: number;
  /** Cost inflation from `priceYear` (default: none). */
  readonly inflation?: Inflation;
  /** In-house capacity rules (default: none; every group costed as projected). */
  readonly capacity?: readonly CapacityRule[];
  /** Groups deliberately not costed (e.g. placed with parents); every other group needs a weekly cost. */
  readonly uncosted?: readonly string[];
  /** Weeks per year of occupancy (default {@link WEEKS_PER_YEAR}). */
  readonly weeksPerYear?: number;
  /** Where the costs come from, for the assumptions table (e.g. `{ fostering_external: 'derived: spend / placements, 2022/23' }`). */
  readonly sources?: Readonly<Record<string, string>>;
}

/** One pool's sufficiency: demand at 31 March against usable in-house places. */
export interface Sufficiency {
  /** The pool's name. */
  readonly name: string;
  /** Usable places per projected year (`places x utilisation`). */
  readonly places: readonly number[];
  /** Children needing a placement of this type at 31 March (internal + external demand), with bands. */
  readonly demand: PathBands;
  /** Sufficiency gap at 31 March: demand minus usable places (negative = spare places), with bands. */
  readonly gap: PathBands;
  /** The gap's paths. */
  readonly gapPaths: SamplePaths;
}

/**
 * The result of {@link projectCosts}.
 *
 * @example
 * ```ts
 * const c: CostProjection = projectCosts(sys, model);
 * c.financialYears;                                  // ['2024/25', '2025/26', ...]
 * c.total.quantiles.p10; c.total.quantiles.p90;      // budget bands per financial year
 * ```
 */
export interface CostProjection {
  /** Area name. */
  readonly area: string;
  /** Projected years (the year ending 31 March: 2026 = 2025/26). */
  readonly years: readonly number[];
  /** Financial-year labels (`'2025/26'`). */
  readonly financialYears: readonly string[];
  /** The costed groups, in order. */
  readonly groups: readonly string[];
  /** Inflation index per projected year (price year = 1). */
  readonly index: readonly number[];
  /** Total cost per financial year, with bands (P10 = `quantiles.p10`, ...). */
  readonly total: PathBands;
  /** Cost per group per financial year, with bands. */
  readonly byGroup: Readonly<Record<string, PathBands>>;
  /** Average occupied placements per group per financial year (after the capacity split), with bands. */
  readonly occupancy: Readonly<Record<string, PathBands>>;
  /** Sufficiency per capacity pool. */
  readonly sufficiency: readonly Sufficiency[];
  /** The paths: total and group costs, and average occupancy per group. */
  readonly paths: {
    readonly total: SamplePaths;
    readonly byGroup: Readonly<Record<string, SamplePaths>>;
    readonly occupancy: Readonly<Record<string, SamplePaths>>;
  };
  /** The model used (after scenario levers, if any). */
  readonly model: CostModel;
  /** Every assumption, as rows for an assumptions sheet. */
  readonly assumptions: readonly AssumptionRow[];
}

/** One assumption, for the assumptions table. */
export interface AssumptionRow {
  /** What is assumed (e.g. `weekly cost: fostering_external`). */
  readonly item: string;
  /** The value (a number where it is one). */
  readonly value: string | number;
  /** Unit (e.g. `GBP per week`). */
  readonly unit: string;
  /** Where it comes from, or how it is used. */
  readonly note: string;
}

/** Options of {@link projectCosts}. */
export interface CostOptions {
  /** Interval levels in percent (default 80 and 95); P10/P50/P90 are always in `quantiles`. */
  readonly levels?: readonly number[];
  /**
   * Extra multipliers of the inflation index, per group and year (used by
   * the `costInflation` scenario lever): `group → year → factor`; `'*'`
   * applies to every group.
   */
  readonly indexFactors?: Readonly<Record<string, Readonly<Record<number, number>>>>;
}

function problem(field: string, message: string, fix: string): InputProblem {
  return { source: 'cost model', field, message, fix };
}

/**
 * The inflation index per year, relative to the price year (= 1).
 *
 * @param inflation - the inflation (rate, rates per year, or index); undefined = none
 * @param priceYear - the year the costs are priced at
 * @param years - the years wanted
 * @returns one index value per year
 * @throws CarecastInputError for a rate at or below -100%, a non-finite
 *   rate, or an index that is not positive or misses a year
 * @example
 * ```ts
 * inflationIndex({ rate: 0.03 }, 2025, [2026, 2027]); // [1.03, 1.0609]
 * inflationIndex({ index: { 2025: 100, 2026: 105 } }, 2025, [2026]); // [1.05]
 * ```
 */
export function inflationIndex(inflation: Inflation | undefined, priceYear: number, years: readonly number[]): number[] {
  if (!inflation) return years.map(() => 1);
  if ('index' in inflation) {
    const idx = inflation.index;
    const base = idx[priceYear];
    const missing = [priceYear, ...years].filter((y) => !(typeof idx[y] === 'number' && Number.isFinite(idx[y]) && idx[y] > 0));
    if (missing.length > 0) {
      throw new CarecastInputError([problem('inflation.index', `the index has no positive value for ${[...new Set(missing)].join(', ')}`, `give the index for the price year ${priceYear} and every projected year`)]);
    }
    return years.map((y) => idx[y] / base);
  }
  const flat = inflation.rate ?? 0;
  const rateOf = (y: number): number => inflation.rates?.[y] ?? flat;
  const check = (r: number, field: string): void => {
    if (!Number.isFinite(r) || r <= -1) throw new CarecastInputError([problem(field, `inflation rate ${r} is not a rate above -1 (-100%)`, 'give rates as fractions, e.g. 0.03 for 3% a year')]);
  };
  check(flat, 'inflation.rate');
  for (const [y, r] of Object.entries(inflation.rates ?? {})) check(r, `inflation.rates.${y}`);
  return years.map((y) => {
    let v = 1;
    if (y >= priceYear) for (let t = priceYear + 1; t <= y; t++) v *= 1 + rateOf(t);
    else for (let t = y + 1; t <= priceYear; t++) v /= 1 + rateOf(t);
    return v;
  });
}

/**
 * Usable places per year of a capacity rule (`places x utilisation`).
 *
 * @param rule - the capacity rule
 * @param years - the projected years
 * @returns usable places per year
 * @throws CarecastInputError for places below zero, utilisation outside
 *   (0, 1], or steps that do not cover the first year
 * @example
 * ```ts
 * capacityPlaces({ name: 'residential', internalGroup: 'ri', externalGroup: 're', places: [{ from: 2025, places: 47 }, { from: 2027, places: 55 }] }, [2026, 2027]); // [47, 55]
 * ```
 */
export function capacityPlaces(rule: CapacityRule, years: readonly number[]): number[] {
  const f = `capacity.${rule.name}`;
  const u = rule.utilisation ?? 1;
  if (!(Number.isFinite(u) && u > 0 && u <= 1)) throw new CarecastInputError([problem(`${f}.utilisation`, `utilisation must be in (0, 1], got ${u}`, 'give the share of places usable, e.g. 0.85')]);
  const steps = typeof rule.places === 'number' ? [{ from: -Infinity, places: rule.places }] : [...rule.places].sort((a, b) => a.from - b.from);
  if (steps.length === 0) throw new CarecastInputError([problem(`${f}.places`, 'no places given', 'give a number or steps { from, places }')]);
  for (const s of steps) {
    if (!Number.isFinite(s.places) || s.places < 0) throw new CarecastInputError([problem(`${f}.places`, `capacity below zero or not a number: ${s.places}${Number.isFinite(s.from) ? ` from ${s.from}` : ''}`, 'places must be zero or more')]);
  }
  if (steps[0].from > years[0]) throw new CarecastInputError([problem(`${f}.places`, `the first step starts in ${steps[0].from}, after the first projected year ${years[0]}`, `add a step from ${years[0]} or earlier`)]);
  return years.map((y) => {
    let p = steps[0].places;
    for (const s of steps) if (s.from <= y) p = s.places;
    return p * u;
  });
}

/** Check the model against the groups; returns the costed groups. */
function checkModel(model: CostModel, groups: readonly string[]): string[] {
  const problems: InputProblem[] = [];
  const known = new Set(groups);
  const uncosted = new Set(model.uncosted ?? []);
  if (!Number.isInteger(model.priceYear)) problems.push(problem('priceYear', `price year must be a whole year, got ${model.priceYear}`, 'give the year ending 31 March the costs are priced at, e.g. 2025 for 2024/25'));
  const weeks = model.weeksPerYear ?? WEEKS_PER_YEAR;
  if (!(Number.isFinite(weeks) && weeks > 0)) problems.push(problem('weeksPerYear', `weeks per year must be positive, got ${weeks}`, 'use 52.18'));
  for (const [g, w] of Object.entries(model.weekly)) {
    if (!known.has(g)) problems.push(problem(`weekly.${g}`, `unknown group "${g}" (the ${model.dimension} groups are ${groups.join(', ')})`, 'use the breakdown\'s group names'));
    else if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) problems.push(problem(`weekly.${g}`, `weekly cost must be a number of pounds, zero or more; got ${String(w)}`, 'give a non-negative weekly cost'));
  }
  for (const g of uncosted) if (!known.has(g)) problems.push(problem(`uncosted`, `unknown group "${g}" (the ${model.dimension} groups are ${groups.join(', ')})`, 'use the breakdown\'s group names'));
  for (const g of groups) {
    if (model.weekly[g] === undefined && !uncosted.has(g)) problems.push(problem(`weekly.${g}`, `group "${g}" has no weekly cost`, `give weekly.${g}, or list it in uncosted to leave it out of the costs deliberately`));
    if (model.weekly[g] !== undefined && uncosted.has(g)) problems.push(problem(`uncosted`, `group "${g}" has a weekly cost and is listed as uncosted`, 'do one or the other'));
  }
  const inPool = new Set<string>();
  const names = new Set<string>();
  for (const r of model.capacity ?? []) {
    if (names.has(r.name)) problems.push(problem(`capacity.${r.name}`, `capacity pool "${r.name}" is given twice`, 'give each pool once'));
    names.add(r.name);
    for (const [k, g] of [['internalGroup', r.internalGroup], ['externalGroup', r.externalGroup]] as const) {
      if (!known.has(g)) problems.push(problem(`capacity.${r.name}.${k}`, `unknown group "${g}" (the ${model.dimension} groups are ${groups.join(', ')})`, 'use the breakdown\'s group names'));
      else if (inPool.has(g)) problems.push(problem(`capacity.${r.name}.${k}`, `group "${g}" is in two capacity pools`, 'put each group in one pool at most'));
      else if (uncosted.has(g)) problems.push(problem(`capacity.${r.name}.${k}`, `group "${g}" is uncosted but in a capacity pool`, 'give it a weekly cost'));
      inPool.add(g);
    }
    if (r.internalGroup === r.externalGroup) problems.push(problem(`capacity.${r.name}`, 'internal and external group are the same', 'name two different groups'));
  }
  if (problems.length > 0) throw new CarecastInputError(problems);
  return groups.filter((g) => !uncosted.has(g));
}

/**
 * Project placement costs per financial year, path by path.
 *
 * For the financial year ending 31 March t (t = 2026 is 2025/26, 1 April
 * 2025 - 31 March 2026), each group's average occupied placements are the
 * trapezium `(count(t-1) + count(t)) / 2` in every path, the first year
 * opening from the observed counts of the last observed year; in-house
 * capacity then splits each pool's average demand into internal (up to the
 * usable places) and external (the overflow); and
 * `cost = average placements x 52.18 x weekly cost x inflation index(t)`.
 * The total is the sum over groups in every path, so group bands and the
 * total band are each read off their own paths.
 *
 * @param placements - a {@link SystemProjection} (the model's `dimension` is
 *   taken from it) or {@link PlacementPaths}
 * @param model - weekly costs, price year, inflation, capacity
 * @param options - interval levels, extra index factors
 * @returns costs with bands, occupancy, sufficiency and the assumptions
 * @throws CarecastInputError for negative or missing costs, unknown groups,
 *   capacity below zero, a bad inflation series, or inconsistent paths
 * @example
 * ```ts
 * const c = projectCosts(sys, { dimension: 'finance', priceYear: 2025, weekly: { fostering_internal: 460, ... }, inflation: { rate: 0.03 } });
 * c.total.quantiles.p10; c.total.quantiles.p50; c.total.quantiles.p90; // the budget range per financial year
 * ```
 */
export function projectCosts(placements: SystemProjection | PlacementPaths, model: CostModel, options: CostOptions = {}): CostProjection {
  const pp = 'breakdowns' in placements ? placementPathsOf(placements, model.dimension) : placements;
  if (pp.dimension !== model.dimension) {
    throw new CarecastInputError([problem('dimension', `the cost model is for "${model.dimension}" but the placement paths are "${pp.dimension}"`, 'cost the breakdown the paths were taken from')]);
  }
  const n = checkPlacementPaths(pp);
  const costed = checkModel(model, pp.groups);
  const years = pp.years;
  const H = years.length;
  const levels = options.levels ?? [80, 95];
  const weeks = model.weeksPerYear ?? WEEKS_PER_YEAR;
  const index = inflationIndex(model.inflation, model.priceYear, years);
  const factor = (g: string, i: number): number => (options.indexFactors?.['*']?.[years[i]] ?? 1) * (options.indexFactors?.[g]?.[years[i]] ?? 1);

  // average occupancy per group (trapezium)
  const occ: Record<string, SamplePaths> = {};
  for (const g of costed) {
    const src = pp.byGroup[g].values;
    const v = new Float64Array(n * H);
    for (let p = 0; p < n; p++) {
      let prev = pp.opening[g];
      for (let h = 0; h < H; h++) {
        const cur = src[p * H + h];
        v[p * H + h] = (prev + cur) / 2;
        prev = cur;
      }
    }
    occ[g] = { paths: n, horizon: H, values: v };
  }
  // capacity split
  const sufficiency: Sufficiency[] = [];
  for (const rule of model.capacity ?? []) {
    const places = capacityPlaces(rule, years);
    const a = occ[rule.internalGroup].values;
    const b = occ[rule.externalGroup].values;
    const gi = pp.byGroup[rule.internalGroup].values;
    const ge = pp.byGroup[rule.externalGroup].values;
    const gap = new Float64Array(n * H);
    const demand = new Float64Array(n * H);
    for (let p = 0; p < n; p++) {
      for (let h = 0; h < H; h++) {
        const k = p * H + h;
        const d = a[k] + b[k];
        const internal = Math.min(d, places[h]);
        a[k] = internal;
        b[k] = d - internal;
        demand[k] = gi[k] + ge[k];
        gap[k] = demand[k] - places[h];
      }
    }
    const gapPaths = { paths: n, horizon: H, values: gap };
    sufficiency.push({ name: rule.name, places, demand: pathBands({ paths: n, horizon: H, values: demand }, levels), gap: pathBands(gapPaths, levels), gapPaths });
  }
  // money
  const cost: Record<string, SamplePaths> = {};
  const total = new Float64Array(n * H);
  for (const g of costed) {
    const w = model.weekly[g];
    const o = occ[g].values;
    const v = new Float64Array(n * H);
    const mult = years.map((_, h) => weeks * w * index[h] * factor(g, h));
    for (let p = 0; p < n; p++) {
      for (let h = 0; h < H; h++) {
        const k = p * H + h;
        v[k] = o[k] * mult[h];
        total[k] += v[k];
      }
    }
    cost[g] = { paths: n, horizon: H, values: v };
  }
  const totalPaths = { paths: n, horizon: H, values: total };
  const assumptions = costAssumptions(model, pp, index, options);
  return {
    area: pp.area,
    years,
    financialYears: years.map(financialYearLabel),
    groups: costed,
    index,
    total: pathBands(totalPaths, levels),
    byGroup: Object.fromEntries(costed.map((g) => [g, pathBands(cost[g], levels)])),
    occupancy: Object.fromEntries(costed.map((g) => [g, pathBands(occ[g], levels)])),
    sufficiency,
    paths: { total: totalPaths, byGroup: cost, occupancy: occ },
    model,
    assumptions,
  };
}

function costAssumptions(model: CostModel, pp: PlacementPaths, index: readonly number[], options: CostOptions): AssumptionRow[] {
  const rows: AssumptionRow[] = [];
  const fy = financialYearLabel;
  rows.push({ item: 'area', value: pp.area, unit: '', note: `breakdown "${pp.dimension}", ${pp.stock.paths} simulated paths` });
  rows.push({ item: 'financial years', value: `${fy(pp.years[0])} to ${fy(pp.years[pp.years.length - 1])}`, unit: '', note: '1 April - 31 March; carecast year t = the year ending 31 March t' });
  rows.push({ item: 'occupancy', value: 'trapezium', unit: '', note: `average placements in a financial year = (count at 31 March of the year before + count at 31 March ending it) / 2, path by path; the first year opens from the ${pp.startYear} counts` });
  rows.push({ item: 'weeks per year', value: model.weeksPerYear ?? WEEKS_PER_YEAR, unit: 'weeks', note: 'cost = average placements x weeks x weekly cost x inflation index' });
  rows.push({ item: 'price year', value: fy(model.priceYear), unit: '', note: 'weekly costs are at this year\'s prices' });
  for (const [g, w] of Object.entries(model.weekly)) rows.push({ item: `weekly cost: ${g}`, value: w, unit: 'GBP per week', note: model.sources?.[g] ?? 'given' });
  for (const g of model.uncosted ?? []) rows.push({ item: `not costed: ${g}`, value: 0, unit: 'GBP per week', note: 'left out of the costs deliberately' });
  const infl = model.inflation;
  rows.push({
    item: 'inflation',
    value: !infl ? 'none' : 'index' in infl ? 'index series' : infl.rates ? 'rates per year' : infl.rate ?? 0,
    unit: !infl || 'index' in infl || infl.rates ? '' : 'per year',
    note: `index by financial year: ${pp.years.map((y, i) => `${fy(y)} ${index[i].toFixed(4)}`).join('; ')}`,
  });
  for (const [g, byYear] of Object.entries(options.indexFactors ?? {})) {
    rows.push({ item: `extra cost inflation: ${g === '*' ? 'all groups' : g}`, value: 'factors', unit: '', note: Object.entries(byYear).map(([y, f]) => `${fy(Number(y))} x${f.toFixed(4)}`).join('; ') });
  }
  for (const r of model.capacity ?? []) {
    const places = typeof r.places === 'number' ? String(r.places) : r.places.map((s) => `${s.places} from ${fy(s.from)}`).join(', ');
    rows.push({ item: `capacity: ${r.name}`, value: places, unit: 'places', note: `${r.internalGroup} up to ${((r.utilisation ?? 1) * 100).toFixed(1)}% of places, overflow to ${r.externalGroup} at its cost; demand = ${r.internalGroup} + ${r.externalGroup}` });
  }
  return rows;
}

/**
 * One row of {@link costRecords}.
 *
 * @example
 * ```ts
 * const rows: CostRecord[] = costRecords(projectCosts(sys, model));
 * rows.filter((r) => r.measure === 'cost' && r.group === 'total');  // { financial_year, mean, p10, p50, p90, ... }
 * ```
 */
export interface CostRecord {
  /** Area. */
  readonly area: string;
  /** Year ending 31 March. */
  readonly year: number;
  /** Financial year label. */
  readonly financial_year: string;
  /** `cost` (GBP), `occupancy` (average placements) or `sufficiency_gap` / `demand` / `places` (children at 31 March). */
  readonly measure: string;
  /** The group, pool, or `total`. */
  readonly group: string;
  /** `gbp` or `children`. */
  readonly unit: string;
  /** Mean of the paths. */
  readonly mean: number;
  /** 10% quantile of the paths. */
  readonly p10: number;
  /** Median of the paths. */
  readonly p50: number;
  /** 90% quantile of the paths. */
  readonly p90: number;
}

/**
 * A cost projection as tidy rows: total and group costs, average occupancy
 * and each pool's demand, places and sufficiency gap, per financial year,
 * with mean and P10/P50/P90.
 *
 * @param c - the cost projection
 * @returns the rows
 * @example
 * ```ts
 * toCsv(costRecords(projectCosts(sys, model)));
 * ```
 */
export function costRecords(c: CostProjection): CostRecord[] {
  const rows: CostRecord[] = [];
  const push = (measure: string, group: string, unit: string, b: PathBands): void => {
    c.years.forEach((year, i) => {
      rows.push({ area: c.area, year, financial_year: c.financialYears[i], measure, group, unit, mean: b.mean[i], p10: b.quantiles.p10[i], p50: b.quantiles.p50[i], p90: b.quantiles.p90[i] });
    });
  };
  push('cost', 'total', 'gbp', c.total);
  for (const g of c.groups) push('cost', g, 'gbp', c.byGroup[g]);
  for (const g of c.groups) push('occupancy', g, 'children', c.occupancy[g]);
  for (const s of c.sufficiency) {
    push('demand', s.name, 'children', s.demand);
    c.years.forEach((year, i) => rows.push({ area: c.area, year, financial_year: c.financialYears[i], measure: 'places', group: s.name, unit: 'children', mean: s.places[i], p10: s.places[i], p50: s.places[i], p90: s.places[i] }));
    push('sufficiency_gap', s.name, 'children', s.gap);
  }
  return rows;
}
