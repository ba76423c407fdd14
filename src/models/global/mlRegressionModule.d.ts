/**
 * The part of `ml-regression` (which ships no types) that the browser twin
 * `mlRegression.browser.ts` imports.
 */
declare module 'ml-regression' {
  /** Multivariate linear regression (ordinary least squares), fitted at construction. */
  export const MultivariateLinearRegression: new (x: number[][], y: number[][], options?: { intercept?: boolean; statistics?: boolean }) => { readonly weights: number[][] };
}
