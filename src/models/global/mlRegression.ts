/**
 * `ml-regression`'s `MultivariateLinearRegression` for the fit of `panelAR`,
 * loaded on first use in Node (the package takes ~0.1 s to load; only
 * fitting panelAR needs it). The browser bundle uses
 * `mlRegression.browser.ts` in its place, which imports the package with the
 * bundle.
 *
 * @module
 */
import { createRequire } from 'node:module';

/** A fitted regression: one column of weights per response, the intercept last. */
export interface Mlr {
  /** The coefficients, one row per regressor (the intercept last), one column per response. */
  readonly weights: number[][];
}

/** `MultivariateLinearRegression`'s constructor: fits at construction. */
export type MlrClass = new (x: number[][], y: number[][], options?: { intercept?: boolean; statistics?: boolean }) => Mlr;

let mlrClass: MlrClass | undefined;

/**
 * `ml-regression`'s MultivariateLinearRegression, loaded on first use.
 *
 * @returns the class
 * @example
 * ```ts
 * const Mlr = multivariateLinearRegression();
 * new Mlr([[0], [1], [2]], [[1], [3], [5]], { intercept: true, statistics: false }).weights; // [[2], [1]]
 * ```
 */
export function multivariateLinearRegression(): MlrClass {
  mlrClass ??= (createRequire(import.meta.url)('ml-regression') as { MultivariateLinearRegression: MlrClass }).MultivariateLinearRegression;
  return mlrClass;
}
