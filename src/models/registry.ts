/**
 * One entry point to every method: fit by name.
 *
 * @module
 */
import { fitDampedTrend, type DampedTrendBounds } from './dampedTrend.js';
import { fitDrift } from './drift.js';
import { fitLinear } from './linear.js';
import { fitLoglinear } from './loglinear.js';
import { fitNaive } from './naive.js';
import { fitRepeatGrowth, type RepeatGrowthOptions } from './repeatGrowth.js';
import { fitTheta } from './theta.js';
import type { GlobalMethodOptions } from './global/shared.js';
import { GLOBAL_METHOD_NAMES, METHOD_NAMES, type AnyMethodName, type FittedModel, type GlobalMethodName, type MethodName } from './types.js';

/** Per-method options for {@link fitMethod} (and, for the global methods, `fitGlobal`). */
export interface MethodOptions extends GlobalMethodOptions {
  /** Options of the `repeatGrowth` method. */
  readonly repeatGrowth?: RepeatGrowthOptions;
  /** Bounds of the `dampedTrend` method. */
  readonly dampedTrend?: DampedTrendBounds;
}

/**
 * The fewest observations each method needs.
 *
 * @param method - the method
 * @param options - method options (the `repeatGrowth` window changes its minimum)
 * @returns the minimum number of observations
 * @example
 * ```ts
 * minObservations('dampedTrend'); // 10
 * ```
 */
export function minObservations(method: MethodName, options: MethodOptions = {}): number {
  switch (method) {
    case 'naive':
      return 2;
    case 'drift':
    case 'linear':
    case 'loglinear':
      return 3;
    case 'dampedTrend':
      return 10;
    case 'repeatGrowth':
      return (options.repeatGrowth?.window ?? 5) + 1;
    case 'theta':
      return 7;
  }
}

/**
 * Whether a string names a carecast method.
 *
 * @param name - the candidate
 * @returns `true` for one of {@link METHOD_NAMES}
 * @example
 * ```ts
 * isMethodName('drift'); // true
 * ```
 */
export function isMethodName(name: string): name is MethodName {
  return (METHOD_NAMES as readonly string[]).includes(name);
}

/**
 * Whether a string names a global (cross-learned) method.
 *
 * @param name - the candidate
 * @returns `true` for one of {@link GLOBAL_METHOD_NAMES}
 * @example
 * ```ts
 * isGlobalMethodName('panelGrowth'); // true
 * isGlobalMethodName('drift');       // false
 * ```
 */
export function isGlobalMethodName(name: string): name is GlobalMethodName {
  return (GLOBAL_METHOD_NAMES as readonly string[]).includes(name);
}

/**
 * Whether a string names any carecast method, single-series or global.
 *
 * @param name - the candidate
 * @returns `true` for one of {@link METHOD_NAMES} or {@link GLOBAL_METHOD_NAMES}
 * @example
 * ```ts
 * isAnyMethodName('panelAR'); // true
 * ```
 */
export function isAnyMethodName(name: string): name is AnyMethodName {
  return isMethodName(name) || isGlobalMethodName(name);
}

/**
 * Fit a method by name.
 *
 * @param method - which method
 * @param y - the observations, oldest first, regularly spaced, no gaps
 * @param options - per-method options
 * @returns the fitted model
 * @throws RangeError when the series is too short or has non-finite values
 * @example
 * ```ts
 * fitMethod('drift', [719, 802, 861]).forecast(1).point; // [932]
 * ```
 */
export function fitMethod(method: MethodName, y: readonly number[], options: MethodOptions = {}): FittedModel {
  switch (method) {
    case 'naive':
      return fitNaive(y);
    case 'drift':
      return fitDrift(y);
    case 'linear':
      return fitLinear(y);
    case 'loglinear':
      return fitLoglinear(y);
    case 'dampedTrend':
      return fitDampedTrend(y, options.dampedTrend);
    case 'repeatGrowth':
      return fitRepeatGrowth(y, options.repeatGrowth);
    case 'theta':
      return fitTheta(y);
  }
}
