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
 * (bottom-up, top-down, OLS, MinT) with its linear algebra, and the
 * multi-state model of SSDA903 episodes.
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
export type { SystemBreakdown, SystemGroup, SystemSeries } from './projectSystem.js';
export { fitSystemDynamics, parseSystemDynamics, type FitSystemDynamicsOptions, type SystemDynamics } from './dynamics.js';
export { loadDfeSystem } from './dfeSystem.js';
export { DFE_SFR_PLACEMENT, DFE_SYSTEM_DIMENSIONS, dfeGroupSeries, dfeSystemInput, dfeSystemPanel, type DfeDimensionSpec } from './dfeInput.js';
export { groupTable, REMAINDER_GROUP, type GroupTable, type GroupYear } from './groupTable.js';
export { anchorTotal, copulaPaths, stepQuantile, type SystemTotalOptions } from './total.js';
export { fitFlowDynamics, flowHistory, identityResiduals, type FlowDynamics, type FlowHistory, type IdentityResidual } from './flowFit.js';
export { flowStart, reconcileFlows, simulateFlows, type FlowPaths, type FlowStart } from './flowPaths.js';
export { invAlr, shareData, type ShareData } from './logRatios.js';
export type { YearlySeries } from './meanReversion.js';
export { SHARE_MODELS, type ShareDynamics, type ShareModel, type ShareModelScore } from './shares.js';
export { fitShareDynamics } from './shareFit.js';
export { shareStart, simulateShares, type ShareStart } from './sharePaths.js';
export { projectSystemPanel, SystemPanelPool, type PanelItem, type PanelResult, type SystemPanelOptions } from './systemPanel.js';
export * from './ageing.js';
export * from './quarterly.js';
export * from './reconcile.js';
export * from './linalg.js';
export * from './multiState.js';
