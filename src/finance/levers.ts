/**
 * What-if levers and named scenarios, applied to simulated placement paths
 * as pure, documented transformations (the base projection is never
 * changed), so a scenario and its base share their random numbers and
 * their differences are tight.
 *
 * How each lever works, path by path:
 * - **admissions** (`change` x% from a year, phased in over `phaseYears`):
 *   starters are scaled, `A'(t) = A(t) (1 + change x phase(t))`, and the
 *   stock is rebuilt through the stock identity with each path's own
 *   implied exit rate, `e(t) = ceased(t) / (stock(t-1) + started(t))` (the
 *   system projection's `paths.exitRate`: on its paths the identity holds,
 *   so this is the rate the base's flows imply):
 *   `S'(t) = (S'(t-1) + A'(t)) (1 - e(t))`, so the identity
 *   stock = previous stock + starters - leavers holds in every path.
 * - **uasc**: `change` more (or fewer) starters a year, then as above.
 * - **exitRate**: `e'(t) = min(1, e(t) (1 + change x phase(t)))`, then as above.
 * - The groups keep each path's mix: `group'(t) = group(t) x S'(t) / S(t)`.
 * - **stepDown** (e.g. Forward to Foster): `children` a year move from one
 *   group to another from `from`; moved children stay moved, less
 *   `1 - retention` of them a year (leaving care or moving back), and never
 *   more than the first group holds. The total is unchanged.
 * - **capacity**: usable places of a pool change by `change` from a year.
 * - **costInflation**: an extra `rate` a year on unit costs from a year
 *   (compounding), for all groups or the ones named.
 *
 * Years are carecast years: the year ending 31 March (2027 = 2026/27).
 *
 * @module
 */

/** Scale starters by `change` (a fraction: -0.1 = 10% fewer) from `from`, phased in linearly over `phaseYears` (default 1). */
export interface AdmissionsLever {
  /** Lever kind. */
  readonly kind: 'admissions';
  /** Relative change in starters at full effect (-0.1 = 10% fewer). */
  readonly change: number;
  /** First year with an effect. */
  readonly from: number;
  /** Years to reach full effect (1 = at once; 3 = a third, two thirds, all). */
  readonly phaseYears?: number;
}

/** Add (or remove, if negative) unaccompanied asylum-seeking children to starters each year from `from` to `to`. */
export interface UascLever {
  /** Lever kind. */
  readonly kind: 'uasc';
  /** More starters a year (negative: fewer; starters never go below zero). */
  readonly change: number;
  /** First year with an effect. */
  readonly from: number;
  /** Last year with an effect (default: the end of the projection). */
  readonly to?: number;
}

/** Scale the exit rate by `change` (0.05 = leaving 5% more often) from `from`, phased in over `phaseYears`. */
export interface ExitRateLever {
  /** Lever kind. */
  readonly kind: 'exitRate';
  /** Relative change in the exit rate at full effect. */
  readonly change: number;
  /** First year with an effect. */
  readonly from: number;
  /** Years to reach full effect (default 1). */
  readonly phaseYears?: number;
}

/** Move `children` a year from group `fromGroup` to `toGroup` from year `from` (e.g. residential to fostering). */
export interface StepDownLever {
  /** Lever kind. */
  readonly kind: 'stepDown';
  /** The group children move out of. */
  readonly fromGroup: string;
  /** The group they move to. */
  readonly toGroup: string;
  /** Children moved a year. */
  readonly children: number;
  /** First year of moves. */
  readonly from: number;
  /** Years the programme runs (default: to the end of the projection). */
  readonly years?: number;
  /** Share of the children moved so far still in the new placement a year later (default 1). */
  readonly retention?: number;
}

/** Open (positive) or close (negative) in-house places in a capacity pool from a year. */
export interface CapacityLever {
  /** Lever kind. */
  readonly kind: 'capacity';
  /** The capacity pool's name in the cost model (e.g. `residential`). */
  readonly pool: string;
  /** Change in places (e.g. +8 for two homes of four beds), before utilisation. */
  readonly change: number;
  /** First year the change applies. */
  readonly from: number;
}

/** Extra unit cost inflation from a year, compounding. */
export interface CostInflationLever {
  /** Lever kind. */
  readonly kind: 'costInflation';
  /** Extra rate a year (0.02 = 2 points above the model's inflation). */
  readonly rate: number;
  /** First year with extra inflation. */
  readonly from: number;
  /** Groups affected (default: all costed groups). */
  readonly groups?: readonly string[];
}

/** Any lever. */
export type Lever = AdmissionsLever | UascLever | ExitRateLever | StepDownLever | CapacityLever | CostInflationLever;

/**
 * A named set of levers, applied together.
 *
 * @example
 * ```ts
 * const fewer: Scenario = { name: 'admissions -10%', levers: [admissions(-0.1, 2026)] };
 * applyScenario(sys, model, fewer);
 * ```
 */
export interface Scenario {
  /** The scenario's name (e.g. `admissions -10% from 2026`). */
  readonly name: string;
  /** The levers; flow levers (admissions, uasc, exitRate) act first, then step-downs, then capacity and costs. */
  readonly levers: readonly Lever[];
}

/**
 * Admissions lever: starters change by `change` (a fraction) from `from`.
 *
 * @param change - relative change at full effect (-0.1 = 10% fewer starters)
 * @param from - first year with an effect (year ending 31 March)
 * @param phaseYears - years to reach full effect (default 1: at once)
 * @returns the lever
 * @example
 * ```ts
 * admissions(-0.1, 2026); // 10% fewer starters from 2025/26
 * ```
 */
export function admissions(change: number, from: number, phaseYears = 1): AdmissionsLever {
  return { kind: 'admissions', change, from, phaseYears };
}

/**
 * UASC lever: `change` more (or fewer) starters a year.
 *
 * @param change - extra starters a year (negative: fewer)
 * @param from - first year
 * @param to - last year (default: end of projection)
 * @returns the lever
 * @example
 * ```ts
 * uasc(20, 2026); // 20 more unaccompanied children a year from 2025/26
 * ```
 */
export function uasc(change: number, from: number, to?: number): UascLever {
  return to === undefined ? { kind: 'uasc', change, from } : { kind: 'uasc', change, from, to };
}

/**
 * Exit-rate lever: children leave care `change` (a fraction) more often.
 *
 * @param change - relative change in the exit rate at full effect
 * @param from - first year
 * @param phaseYears - years to full effect (default 1)
 * @returns the lever
 * @example
 * ```ts
 * exitRate(0.05, 2027, 2); // exits 2.5% more often in 2027, 5% from 2028
 * ```
 */
export function exitRate(change: number, from: number, phaseYears = 1): ExitRateLever {
  return { kind: 'exitRate', change, from, phaseYears };
}

/**
 * Step-down lever (e.g. Forward to Foster): move children between groups.
 *
 * @param fromGroup - the group children leave (e.g. `residential_external`)
 * @param toGroup - the group they join (e.g. `fostering_internal`)
 * @param children - children moved a year
 * @param from - first year of moves
 * @param options - `years` the programme runs, `retention` a year
 * @returns the lever
 * @example
 * ```ts
 * stepDown('residential_external', 'fostering_internal', 10, 2026); // Forward to Foster, 10 a year
 * ```
 */
export function stepDown(fromGroup: string, toGroup: string, children: number, from: number, options: { years?: number; retention?: number } = {}): StepDownLever {
  return { kind: 'stepDown', fromGroup, toGroup, children, from, ...options };
}

/**
 * Capacity lever: open or close in-house places.
 *
 * @param pool - the capacity pool (e.g. `residential`)
 * @param change - places added (negative: closed)
 * @param from - first year the change applies
 * @returns the lever
 * @example
 * ```ts
 * capacity('residential', 8, 2027); // two 4-bed homes from 2026/27
 * ```
 */
export function capacity(pool: string, change: number, from: number): CapacityLever {
  return { kind: 'capacity', pool, change, from };
}

/**
 * Cost inflation lever: an extra rate a year on unit costs from a year.
 *
 * @param rate - extra inflation a year (0.02 = 2 points)
 * @param from - first year with the extra rate
 * @param groups - the groups affected (default all)
 * @returns the lever
 * @example
 * ```ts
 * costInflation(0.02, 2027, ['residential_external']); // agency residential prices 2 points above inflation
 * ```
 */
export function costInflation(rate: number, from: number, groups?: readonly string[]): CostInflationLever {
  return groups ? { kind: 'costInflation', rate, from, groups } : { kind: 'costInflation', rate, from };
}
