/**
 * carecast in the browser (`carecast/browser`): the same library, built for
 * a web page, so that child-level data (SSDA903 returns) never leave the
 * analyst's machine. Everything runs in the page: reading, checking,
 * fitting, simulating (in Web Workers when asked), charts and downloads.
 *
 * It is the core of `carecast` and its subpaths, every function the same
 * code as in Node, less what needs a disk (the path forms: `loadTidyCsv`,
 * `loadSsda903Folder`, `loadDfeEes`, `writeWorkbook`, ...). What differs:
 *
 * - the text readers take the text or its bytes: a dropped `File` is
 *   `await file.arrayBuffer()` (or {@link blobText}); SSDA903 files go
 *   straight to {@link readSsda903Files};
 * - the bundled data (the DfE panel, the ONS population, the calibrations,
 *   the council seeds) are data modules of the bundle: call
 *   `await loadBundledData()` once, then `loadDfePanelArea`, `loadSeed`,
 *   `forecast` and the rest work as in Node;
 * - worker pools (`simulateSeries` with `workers`, `projectSystemPanel`
 *   with `workers`) run on Web Workers, with bit-identical numbers;
 * - SSDA903 files are read and projected in a Web Worker by
 *   {@link projectSsda903FilesInWorker} (or an {@link Ssda903Worker} kept
 *   open), so that the page stays responsive: the same numbers as
 *   {@link projectSsda903Files} in the page's thread;
 * - workbooks are bytes ({@link workbookBytes}), for a download.
 *
 * The bundle is `dist/browser/carecast.js` (with its chunks and
 * `carecast-worker.js` beside it), an ES module: see the browser guide.
 *
 * @example
 * ```ts
 * import { forecast, loadBundledData, loadDfePanelArea, readSsda903Files, deriveAnnualDataset } from 'carecast/browser';
 *
 * await loadBundledData();
 * const p = forecast(loadDfePanelArea('Derby').childrenInCare, { to: 2030 });
 *
 * const data = await readSsda903Files([...input.files], { lenient: true });
 * const { dataset } = deriveAnnualDataset(data);
 * ```
 *
 * @module carecast/browser
 */

// the bundled data, and the text and file readers
export { loadBundledData } from './data/seedFiles.js';
export { blobText, decodeText, type TextInput } from './data/loaders/textInput.js';
export { loadSeed, parseSeed, type Seed } from './data/seeds.js';
export { findSeries } from './data/breakdown.js';
export type { AnnualPoint, AnnualSeries, Dataset, Series } from './data/schemas.js';
export type { SeriesInput } from './data/yearValue.js';
export { findPanelArea, loadDfePanel, loadDfePanelArea, dfePanelDataset, buildDfePanel, type DfePanel, type DfePanelSeries } from './data/panel.js';
export { dfeEesDataset, readDfeEes } from './data/loaders/dfeEes.js';
export { readDfeEesLong } from './data/loaders/dfeEesLong.js';
export { readSfrFiles } from './data/loaders/sfr.js';
export { readTidyCsv, tidyCsvReader, readTidyJson, datasetToTidyRecords, tidyRecordsToCsv } from './data/loaders/tidy.js';
export { loadOnsPopulation, loadPopulationProjection } from './data/ons/population.js';
export {
  readSsda903,
  formatEpisodeFix,
  summariseEpisodeFixes,
  type Episode,
  type EpisodeFix,
  type EpisodeFixKind,
  type OpenEpisodeRule,
  type Ssda903Data,
  type Ssda903Options,
  type Ssda903ReturnText,
} from './data/loaders/ssda903.js';
export { groupSsda903Files, readSsda903Files, type Ssda903FileInput } from './data/loaders/ssda903Files.js';
export { formatQualityReport, qualityRecords, ssda903QualityReport, type QualityRecord, type Ssda903QualityReport } from './data/ssda903Quality.js';
export { deriveAnnualDataset } from './data/episodes.js';
export { generateSyntheticEpisodes, type SyntheticEpisodes } from './data/syntheticEpisodes.js';
export { CarecastInputError, type InputProblem } from './data/errors.js';
export { createRng, streamSeed } from './math/rng.js';

// project one series
export { forecast, type Projection, type ProjectionOptions } from './project/forecast.js';
export { forecastPanel, type PanelProjection } from './system/forecastPanel.js';
export type { MethodName } from './models/types.js';
export { loadDfeCalibration } from './uncertainty/dfeCalibration.js';
export type { ConformalCalibration } from './uncertainty/conformal.js';
export { loadDfeEvidence } from './models/evidenceFile.js';
export type { PanelEvidence } from './models/selectMethod.js';

// simulation and worker pools (Web Workers here)
export { simulateSeries, simulateSeriesSync, type SimulationResult, type SimulationSpec } from './uncertainty/simulate.js';
export { SimulationPool } from './uncertainty/workerPool.js';
export { defaultWorkerCount } from './uncertainty/workerHost.js';
export { webWorkerSpawner, type SpawnWorker } from './uncertainty/workerProtocol.js';

// the whole system, the multi-state model of episodes, costs and scenarios
export { projectSystem, type SystemOptions, type SystemProjection } from './system/projectSystem.js';
export type { SystemInput } from './system/input.js';
export { systemRecords, type SystemRecord } from './system/records.js';
export { dfeSystemInput } from './system/dfeInput.js';
export { loadDfeSystem } from './system/dfeSystem.js';
export { projectEpisodeSystem } from './system/episodeSystem.js';
export { episodeSystemProjection } from './system/episodeProjection.js';
export { projectSystemPanel, SystemPanelPool, type PanelItem, type PanelResult } from './system/systemPanel.js';
export { datasetSystemInput } from './system/datasetInput.js';
export { projectSsda903Files, type Ssda903Projection, type Ssda903ProjectionOptions, type Ssda903Stage, type Ssda903SystemOptions } from './system/ssda903Projection.js';
export { EPISODE_RUN_DEFAULTS, episodeRunOptions, fitYears, type EpisodeRunChoices } from './system/episodeDefaults.js';
export { projectSsda903FilesInWorker, Ssda903Worker, type Ssda903WorkerOptions } from './system/ssda903Worker.js';
export { fitMultiState, projectMultiState, type MultiStateModel } from './system/multiState.js';
export { costRecords, projectCosts, type CostModel, type CostProjection, type CostRecord } from './finance/costs.js';
export { parseCostModel } from './finance/costModelSchema.js';
export { unitCostsFromSeed } from './finance/unitCosts.js';
export { applyScenario, compareScenarios, type ScenarioResult } from './finance/scenario.js';
export { parseScenarios } from './finance/scenarioSchema.js';
export type { Scenario } from './finance/levers.js';

// evaluate
export { backtest, backtestPanel, backtestRecords } from './evaluate/backtest.js';
export type { BacktestResult, PanelBacktestResult } from './evaluate/backtestTypes.js';

// outputs: tidy rows, CSV, tables, Vega-Lite charts, the HTML report, Excel as bytes
export { projectionRecords, type ProjectionRecord } from './output/records.js';
export { toCsv } from './data/csvFormat.js';
export { formatProjectionTable } from './output/table.js';
export { formatBacktestTable } from './output/backtestTable.js';
export { fanChartSpec, renderSvg } from './output/fanChart.js';
export { costChartSpec, mixChartSpec } from './output/mixChart.js';
export { provenanceOf, renderReport, type ReportInput } from './output/report.js';
export { workbookBytes, type WorkbookAssumption, type WorkbookOptions, type WorkbookTable } from './output/excel.js';
export { costWorkbook, type CostWorkbook, type CostWorkbookInput } from './output/costWorkbook.js';
