/**
 * `ml-regression`'s `MultivariateLinearRegression` in the browser bundle
 * (`carecast/browser`), which uses this module in place of
 * `mlRegression.ts`: a bundle has no `require`, so the package is imported
 * with the bundle. The same class, the same numbers.
 *
 * @module
 */
import { MultivariateLinearRegression } from 'ml-regression';
import type { MlrClass } from './mlRegression.js';

export type { Mlr, MlrClass } from './mlRegression.js';

/**
 * `ml-regression`'s MultivariateLinearRegression.
 *
 * @returns the class
 * @example
 * ```ts
 * const Mlr = multivariateLinearRegression();
 * new Mlr([[0], [1], [2]], [[1], [3], [5]], { intercept: true, statistics: false }).weights; // [[2], [1]]
 * ```
 */
export function multivariateLinearRegression(): MlrClass {
  return MultivariateLinearRegression as MlrClass;
}
