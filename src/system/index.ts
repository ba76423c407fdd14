/**
 * `carecast/system`: the one system model's parts, and the care system's
 * other models. `projectSystem` (at the front door) projects children in
 * care, starters and leavers and every breakdown from one set of paths;
 * import from here its parts: the dynamics fitted on a panel
 * (`fitSystemDynamics`, the bundled `loadDfeSystem`), the DfE panel as its
 * input (`dfeSystemInput`, `dfeSystemPanel`), the total's copula paths, the
 * flows' reconciliation with the stock, the share models, every LA of a
 * panel at once (`projectSystemPanel`); and ageing between DfE age bands,
 * quarterly series and financial years, hierarchical reconciliation
 * (bottom-up, top-down, OLS, MinT) with the small linear algebra it needs,
 * projections of areas reconciled with their total (`reconcileProjections`;
 * `forecastPanel` at the front door does it for a whole panel with England),
 * the whole system for every LA of a panel on worker threads, the
 * multi-state model of SSDA903 episodes, and the whole system projected
 * from episodes as sample paths (`projectEpisodeSystem`) and as a system
 * projection (`episodeSystemProjection`: the same records, tables, costs and
 * scenarios as the aggregate model's).
 *
 * @example
 * ```ts
 * import { projectSystem, loadDfePanelArea } from 'carecast';
 * import { dfeSystemInput, loadDfeSystem } from 'carecast/system';
 *
 * const sys = projectSystem(dfeSystemInput(loadDfePanelArea('Derby')), { to: 2035 });
 * sys.breakdowns.placement.byGroup.residential.intervals; // 80% and 95% bands from the paths
 * loadDfeSystem().dimensions.placement.model;              // the share model the evidence chose
 * ```
 *
 * @module carecast/system
 */
export type { AggregateSystemBreakdown, AggregateSystemProjection, EpisodeSystemDetails, EpisodeSystemProjection, SystemBreakdown, SystemGroup, SystemProjectionBase, SystemSeries } from './projectSystem.js';
export { fitSystemDynamics, parseSystemDynamics, type FitSystemDynamicsOptions, type SystemDynamics } from './dynamics.js';
export { loadDfeSystem } from './dfeSystem.js';
export { datasetSystemInput } from './datasetInput.js';
export { projectSsda903Files, type Ssda903Projection, type Ssda903ProjectionOptions, type Ssda903Stage, type Ssda903SystemOptions } from './ssda903Projection.js';
export { EPISODE_RUN_DEFAULTS, episodeRunOptions, fitYears, type EpisodeRunChoices } from './episodeDefaults.js';
export { projectSsda903FilesInWorker, Ssda903Worker, type Ssda903WorkerOptions } from './ssda903Worker.js';
export { DFE_SFR_PLACEMENT, DFE_SYSTEM_DIMENSIONS, dfeGroupSeries, dfeSystemInput, dfeSystemPanel, type DfeDimensionSpec } from './dfeInput.js';
export { groupTable, REMAINDER_GROUP, type GroupTable, type GroupYear } from './groupTable.js';
export { anchorTotal, copulaPaths, stepQuantile, type SystemTotalOptions } from './total.js';
export { fitFlowDynamics, flowHistory, identityResiduals, type FlowDynamics, type FlowHistory, type IdentityResidual } from './flowFit.js';
export { flowStart, reconcileFlows, simulateFlows, type FlowPaths, type FlowStart } from './flowPaths.js';
export { invAlr, shareData, type ShareData } from './logRatios.js';
export type { YearlySeries } from './meanReversion.js';
export { SHARE_MODELS, type ShareDynamics, type ShareModel, type ShareModelScore, type ShareScaleChoice, type ShareScaleScore } from './shares.js';
export { innovationCovariance, SHARE_SCALE_ESTIMATORS, type InnovationCovariance, type ShareScaleEstimator } from './innovationCovariance.js';
export { fitShareDynamics } from './shareFit.js';
export { shareStart, simulateShares, type ShareStart } from './sharePaths.js';
export { projectSystemPanel, SystemPanelPool, type PanelItem, type PanelResult, type SystemPanelOptions, type SystemPanelPoolOptions } from './systemPanel.js';
export { AGE_BAND_WIDTHS, type AgeingEstimation, type AgeingFit, type AgeingFitOptions, type AgeingInput, type AgeingInputConversion, type AgeingParams, type AgeingProjection, type AgeingProjectionOptions, type AgeingSimulation, type AgeingStepResult, type AgeingTransition, type BandSeriesInput, type BandValues } from './ageing/types.js';
export { ageingStep } from './ageing/step.js';
export { fitAgeing } from './ageing/fit.js';
export { projectAgeing } from './ageing/projection.js';
export { ageingInputFromAnnual, ageingInputFromQuarterly } from './ageing/fromDataset.js';
export { DEFAULT_QUARTERLY_PATHS, MIN_QUARTERS_FOR_SEASONALITY, quarterEndDate, type QuarterLabel } from './quarterly/periods.js';
export type { QuarterlyHistoryPoint } from './quarterly/history.js';
export { checkSeasonality, type SeasonalityCheck, type SeasonalityOptions, type SeasonalityTest } from './quarterly/seasonality.js';
export { forecastQuarterly, type QuarterlyForecast, type QuarterlyForecastOptions } from './quarterly/forecast.js';
export { toAnnual, type AnnualForecastRecord, type AnnualFromQuarterly, type AnnualStatistic } from './quarterly/toAnnual.js';
export { quarterlyToAnnualSeries, type PartialYear, type QuarterlyToAnnual, type QuarterlyToAnnualOptions } from './quarterly/annualHistory.js';
export * from './reconcile/hierarchy.js';
export * from './reconcile/projections.js';
export type { PanelProjectionOptions } from './forecastPanel.js';
export type { ReconciliationNote } from '../project/forecast.js';
export * from '../math/linalg.js';
export * from './multiState.js';
export * from './episodeSystem.js';
export { episodeSystemProjection, type EpisodeProjectionOptions } from './episodeProjection.js';
