/**
 * carecast: forecast demand for children's social care placements in
 * English local authorities.
 *
 * The public API, re-exported by layer: data in (schemas, codes, loaders,
 * seeds) → models (fit, forecast) → evaluation (method choice) → projection
 * → outputs (records, CSV, tables, charts).
 *
 * @packageDocumentation
 */

// data: contract, codes, errors, seeds
export * from './data/codes.js';
export * from './data/errors.js';
export * from './data/schemas.js';
export * from './data/seedFile.js';
export * from './data/seeds.js';
export * from './data/breakdown.js';
export * from './data/csvFormat.js';
export * from './data/yearValue.js';

// maths used by the models
export { qnorm, pnorm } from './math/normal.js';
export { qt, pt } from './math/studentT.js';
export { nelderMead, type NelderMeadOptions, type NelderMeadResult } from './math/nelderMead.js';
export { createRng, streamSeed, type Rng } from './math/rng.js';

// models
export * from './models/types.js';
export * from './models/distribution.js';
export { pathAt, stepValues } from './models/paths.js';
export { fitNaive } from './models/naive.js';
export { fitDrift } from './models/drift.js';
export { fitLinear } from './models/linear.js';
export { fitLoglinear } from './models/loglinear.js';
export { fitDampedTrend, type DampedTrendBounds } from './models/dampedTrend.js';
export { fitRepeatGrowth, type RepeatGrowthOptions } from './models/repeatGrowth.js';
export { fitTheta } from './models/theta.js';
export { fitMethod, minObservations, isMethodName, type MethodOptions } from './models/registry.js';

// evaluation
export * from './models/selectMethod.js';
export * from './evaluate/metrics.js';
export * from './evaluate/backtest.js';
export * from './evaluate/backtestTypes.js';
export * from './evaluate/conformalBacktest.js';
export * from './evaluate/panelEvidence.js';
export * from './evaluate/evidenceFile.js';

// projection
export * from './project/forecast.js';
export * from './project/applyConformal.js';

// outputs
export * from './output/records.js';
export * from './output/table.js';
export * from './output/fanChart.js';

// data loaders (DfE EES, older SFR, tidy CSV/JSON) and suppression markers
export * from './data/suppression.js';
export * from './data/loaders/index.js';
export * from './data/panel.js';

// uncertainty: bands from simulated paths
export * from './uncertainty/pathBands.js';

// the care system: stock-flow
export * from './system/stockFlow.js';
export * from './system/quarterly.js';
export * from './reproduce/derbyshirePlacements.js';
export * from './system/ageing.js';
export * from './system/mix.js';
export * from './system/reconcile.js';
export * from './system/linalg.js';
export * from './system/projectSystem.js';
export * from './output/backtestTable.js';
export * from './uncertainty/simulate.js';
export { SimulationPool, runSimulationTask, defaultWorkerCount, WORKER_MODE, type SimulationTask, type SimulationTaskResult } from './uncertainty/workerPool.js';
export * from './system/systemPanel.js';

// finance and scenarios
export * from './finance/index.js';
export * from './output/excel.js';

// charts and report
export * from './output/mixChart.js';
export * from './output/report.js';
export * from './uncertainty/bootstrap.js';
export * from './uncertainty/conformal.js';

// episode-level SSDA903 data and the multi-state model
export * from './data/loaders/ssda903.js';
export * from './data/episodes.js';
export * from './data/syntheticEpisodes.js';
export * from './system/multiState.js';
export * from './uncertainty/dfeCalibration.js';
