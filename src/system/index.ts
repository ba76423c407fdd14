/**
 * `carecast/system`: the care system's parts one by one. `projectSystem`
 * (at the front door) puts them together; import from here for the
 * stock-flow model alone (`projectStockFlow`), placement and provider mix
 * as shares (`projectMix`, `forecastGroups`), ageing between DfE age bands,
 * quarterly series and financial years, hierarchical reconciliation
 * (bottom-up, top-down, OLS, MinT) with the small linear algebra it needs,
 * the whole system for every LA of a panel on worker threads, and the
 * multi-state model of SSDA903 episodes.
 *
 * @example
 * ```ts
 * import { projectStockFlow } from 'carecast/system';
 *
 * const sf = projectStockFlow({ stock, started, ceased }, { to: 2030, paths: 2000, seed: 42 });
 * sf.stock.intervals; // 80% and 95% bands from the simulated paths
 * ```
 *
 * @module carecast/system
 */
export * from './stockFlow.js';
export * from './mix.js';
export * from './ageing.js';
export * from './quarterly.js';
export * from './reconcile.js';
export * from './linalg.js';
export type { SystemBreakdown, SystemGroup } from './projectSystem.js';
export { projectSystemPanel, SystemPanelPool, type PanelItem, type PanelResult, type SystemPanelOptions, type SystemPanelPoolOptions } from './systemPanel.js';
export * from './multiState.js';
