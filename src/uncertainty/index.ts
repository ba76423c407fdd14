/**
 * `carecast/uncertainty`: how bands are made. Residual bootstrap paths,
 * conformal bands (the quantile kernel, per-series calibration, applying a
 * calibration to a projection), seeded simulation of many series at once
 * (in-process or on a pool of worker threads), and bands and quantiles
 * read off simulated paths. `forecast` uses these through its `intervals`
 * option; the bundled DfE calibration is `loadDfeCalibration` at the front
 * door, and calibrating on your own backtests is `calibrateConformal` in
 * `carecast/evaluate`.
 *
 * @example
 * ```ts
 * import { calibrateConformalSeries, applyConformal, pathBands } from 'carecast/uncertainty';
 *
 * const cal = calibrateConformalSeries([719, 802, 861, 899, 909, 995, 1057], { method: 'drift', levels: [80] });
 * cal.steps.map((s) => s.n); // [4, 3, 2]: errors at 1, 2 and 3 years ahead
 * ```
 *
 * @module carecast/uncertainty
 */

// bootstrap
export * from './bootstrap.js';

// conformal bands
export {
  calibrateConformalErrors,
  calibrateConformalSeries,
  CONFORMAL_GRID_SIZE,
  conformalBands,
  conformalExtrapolation,
  conformalLevel,
  conformalOffsets,
  conformalOffsetQuantiles,
  extrapolateOffsetQuantiles,
  historyScale,
  type CalibrateConformalErrorsOptions,
  type CalibrateConformalSeriesOptions,
  type ConformalBandStep,
  type ConformalBands,
  type ConformalBandsOptions,
  type ConformalExponent,
  type ConformalExtrapolation,
  type ConformalExtrapolationOptions,
  type ConformalLevel,
  type ConformalShape,
  type ConformalStep,
  type ConformalStepOffsets,
} from './conformal.js';
export { applyConformal } from '../project/applyConformal.js';
export type { IntervalBasis, IntervalMethod, ProjectionBootstrapOptions } from '../project/forecast.js';
export { dfeAnalyticCoverage, dfeCalibrationMethods, type BandCoverage, type DfeCalibrationOptions } from './dfeCalibration.js';

// seeded simulation, worker pools, bands from paths
export * from './simulate.js';
export { SimulationPool, type SimulationPoolOptions, type SimulationTask, type SimulationTaskResult } from './workerPool.js';
export { defaultWorkerCount } from './workerHost.js';
export {
  webWorkerPort,
  webWorkerSpawner,
  type SpawnWorker,
  type WebWorker,
  type WebWorkerConstructor,
  type WebWorkerScope,
  type WorkerKind,
  type WorkerLike,
  type WorkerPort,
} from './workerProtocol.js';
export * from './pathBands.js';
