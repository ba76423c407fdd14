/**
 * carecast: forecast demand for children's social care placements in
 * English local authorities.
 *
 * The front door: what you need to load data, project it, check how good
 * the projection would have been, and write the results. The building
 * blocks behind it are in named rooms, imported only by those who want
 * them:
 *
 * - `carecast/data`: schemas, SSDA903 codes, suppression markers, every loader and seed helper
 * - `carecast/models`: the individual fits (`fitNaive` ... `fitTheta`), `fitMethod`, `selectMethod`, distributions and the maths
 * - `carecast/uncertainty`: bootstrap, conformal bands, seeded simulation, worker pools, bands from paths
 * - `carecast/system`: the system model's parts (dynamics, flows, shares, the DfE input), ageing, quarterly series, reconciliation, the multi-state model
 * - `carecast/finance`: costs, unit costs, capacity, scenario levers and files
 * - `carecast/evaluate`: accuracy metrics, backtest shapes, panel evidence, conformal calibration from backtests
 * - `carecast/output`: chart rows and options, workbook building, CSV cells, HTML escaping
 * - `carecast/reproduce`: the reproduction of the Derbyshire sufficiency statement's projections
 * - `carecast/danfo`: results as danfo.js DataFrames
 *
 * Each name is exported from exactly one of these places.
 *
 * @example
 * ```ts
 * import { loadSeed, findSeries, forecast, formatProjectionTable } from 'carecast';
 *
 * const cic = findSeries(loadSeed('derbyshire').dataset, 'children_in_care');
 * const p = forecast(cic, { to: 2030 });
 * console.log(formatProjectionTable(p));
 * ```
 *
 * @module carecast
 */

// data in
export { loadSeed, type Seed } from './data/seeds.js';
export { findSeries } from './data/breakdown.js';
export type { AnnualPoint, AnnualSeries, Dataset } from './data/schemas.js';
export type { SeriesInput } from './data/yearValue.js';
export { loadDfePanel, loadDfePanelArea, type DfePanel } from './data/panel.js';
export { loadDfeEes } from './data/loaders/dfeFiles.js';
export { readTidyCsv } from './data/loaders/tidy.js';
export { loadTidyCsv } from './data/loaders/tidyFiles.js';
export { loadSsda903Folder } from './data/loaders/ssda903Folder.js';
export { deriveAnnualDataset } from './data/episodes.js';
export { CarecastInputError, type InputProblem } from './data/errors.js';

// project one series or a whole panel, with bands calibrated on every DfE LA and the evidence of which method does best
export { forecast, type Projection, type ProjectionOptions } from './project/forecast.js';
export { forecastPanel, type PanelProjection } from './system/forecastPanel.js';
export type { MethodName } from './models/types.js';
export { loadDfeCalibration } from './uncertainty/dfeCalibration.js';
export type { ConformalCalibration } from './uncertainty/conformal.js';
export { loadDfeEvidence } from './models/evidenceFile.js';
export type { PanelEvidence } from './models/selectMethod.js';

// the whole system: total, flows and groups from one set of paths, costs and scenarios
export { projectSystem, type SystemOptions, type SystemProjection } from './system/projectSystem.js';
export type { SystemInput } from './system/input.js';
export { systemRecords, type SystemRecord } from './system/records.js';
export { costRecords, projectCosts, type CostModel, type CostProjection, type CostRecord } from './finance/costs.js';
export { applyScenario, compareScenarios, type ScenarioResult } from './finance/scenario.js';
export type { Scenario } from './finance/levers.js';

// evaluate: how accurate would each method have been?
export { backtest, backtestPanel, backtestRecords } from './evaluate/backtest.js';
export type { BacktestResult, PanelBacktestResult } from './evaluate/backtestTypes.js';

// outputs: tidy rows, CSV, terminal tables, charts, the HTML report, Excel
export { projectionRecords, type ProjectionRecord } from './output/records.js';
export { toCsv } from './data/csvFormat.js';
export { formatProjectionTable } from './output/table.js';
export { formatBacktestTable } from './output/backtestTable.js';
export { fanChartSpec, renderSvg } from './output/fanChart.js';
export { costChartSpec, mixChartSpec } from './output/mixChart.js';
export { provenanceOf, renderReport, type ReportInput } from './output/report.js';
export { writeWorkbook } from './output/excel.js';
