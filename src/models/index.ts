/**
 * `carecast/models`: the forecasting methods one by one, and the maths
 * under them. `forecast` (at the front door) chooses and fits a method for
 * you; import from here to fit one yourself (`fitDrift`, `fitTheta`, ...
 * or `fitMethod` by name), to fit a global method on a panel
 * (`fitGlobal`, `forecastWithGlobal`, the bundled `loadDfeGlobal`), to
 * choose by rolling-origin accuracy
 * (`selectMethod`), to read bands off forecast distributions, or to use
 * the quantile functions, Nelder-Mead and the seeded random numbers the
 * models use.
 *
 * @example
 * ```ts
 * import { fitMethod, fitDampedTrend, qnorm } from 'carecast/models';
 *
 * const model = fitMethod('drift', [719, 802, 861, 899, 909, 995, 1057]);
 * model.forecast(5, { levels: [80, 95] }).point; // [1113.3, 1169.7, 1226.0, 1282.3, 1338.7]
 * qnorm(0.975);                                  // 1.959964
 * ```
 *
 * @module carecast/models
 */

// the shared model interface, distributions and sample paths
export {
  METHOD_NAMES,
  GLOBAL_METHOD_NAMES,
  type AnyMethodName,
  type GlobalMethodName,
  type Distribution,
  type FitDiagnostics,
  type FittedModel,
  type ForecastInterval,
  type ForecastOptions,
  type ModelForecast,
  type SamplePaths,
  type SimulateOptions,
} from './types.js';
export * from './distribution.js';
export { pathAt, stepValues } from './paths.js';

// one file per method
export { fitNaive } from './naive.js';
export { fitDrift } from './drift.js';
export { fitLinear } from './linear.js';
export { fitLoglinear } from './loglinear.js';
export { fitDampedTrend, type DampedTrendBounds } from './dampedTrend.js';
export { fitRepeatGrowth, type RepeatGrowthOptions } from './repeatGrowth.js';
export { fitTheta } from './theta.js';
export { fitMethod, isAnyMethodName, isGlobalMethodName, isMethodName, minObservations, type MethodOptions } from './registry.js';

// global (cross-learned) methods: fitted on a panel, applied to any series
export { fitGlobal, forecastWithGlobal, type FitGlobalOptions } from './global/fitGlobal.js';
export type {
  GlobalBands,
  GlobalFit,
  GlobalForecast,
  GlobalForecastOptions,
  GlobalMethodOptions,
  GlobalPanel,
  GlobalPanelInfo,
  PanelAROptions,
  PanelARParams,
  PanelGrowthOptions,
  PanelGrowthParams,
} from './global/shared.js';
export { DFE_GLOBAL_MEASURES, GlobalFitSchema, loadDfeGlobal, parseGlobalFit, type DfeGlobalFits, type DfeGlobalMeasure } from './global/dfeGlobal.js';

// choosing a method by rolling-origin accuracy
export {
  rollingOrigins,
  selectMethod,
  SIMPLICITY_ORDER,
  type MethodScore,
  type MethodSelection,
  type OriginForecast,
  type SelectMethodOptions,
  type StrategyScore,
} from './selectMethod.js';

// what a projection holds besides its bands
export type { FlatBand, HistoryPoint, ProjectionStrategy } from '../project/forecast.js';

// the maths the models use
export { pnorm, qnorm } from '../math/normal.js';
export { pt, qt } from '../math/studentT.js';
export { nelderMead, type NelderMeadOptions, type NelderMeadResult } from '../math/nelderMead.js';
export { createRng, fillNormal, normalStream, streamSeed, type NormalStream, type Rng } from '../math/rng.js';
