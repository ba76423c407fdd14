/**
 * The shape of the code: imports flow one way through the layers, no file
 * imports itself round a cycle, the front door stays small and light, and
 * every exported name has exactly one documented home.
 *
 * The layer order, lowest first (a module may import from its own layer and
 * the layers before it, never after; type-only imports, `export ... from`
 * and dynamic `import()` count too):
 *
 *   data → math → models → uncertainty → project → system → finance → evaluate → output → reproduce → cli
 *
 * - data: schemas, codes, errors, suppression, seeds, loaders (data/loaders is part of the layer)
 * - math: quantiles, Nelder-Mead, regression, seeded random numbers, small linear algebra
 * - models: one file per method, distributions, rolling-origin method choice
 * - uncertainty: bootstrap, conformal bands, simulation and worker pools, bands from paths
 * - project: forecast() of one series (uses models and uncertainty)
 * - system: the one system model (its total anchored to forecast(), flows, shares, their dynamics, every
 *   LA at once), forecastPanel, reconcile/ (hierarchies, projections with their total), ageing/,
 *   quarterly/, the multi-state model of episodes
 * - finance: costs, capacity, unit costs, scenarios and levers
 * - evaluate: backtests, metrics, panel evidence, conformal calibration from backtests (uses forecast())
 * - output: records, tables, charts, report, Excel
 * - reproduce: reproductions of the seed documents' projections, outside the core: only the CLI (and
 *   examples, tests) may import it
 * - cli: the carecast command
 *
 * Entry points (re-exports only) are `src/index.ts` (`carecast`), `src/danfo.ts` (`carecast/danfo`)
 * and `src/<layer>/index.ts` (`carecast/<layer>`). They may re-export any layer except reproduce
 * (only `src/reproduce/index.ts` re-exports it); no module imports an entry point.
 *
 * `src/browser.ts` (`carecast/browser`, the browser bundle) is another door to the same rooms: each
 * of its names is one that a Node entry exports (its documented home). Only the path forms, the CLI
 * and the worker-thread code import Node's built-in modules, and none of them is reachable from the
 * browser bundle's entries once each module with a `.browser.ts` twin is replaced by the twin (what
 * scripts/browserBundle.mjs does).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');

/** The layers, lowest first. */
const LAYERS = ['data', 'math', 'models', 'uncertainty', 'project', 'system', 'finance', 'evaluate', 'output', 'reproduce', 'cli'] as const;

/** The subpath entries: `carecast/<name>` is `src/<name>/index.ts`. */
const SUBPATHS = ['data', 'models', 'uncertainty', 'system', 'finance', 'evaluate', 'output', 'reproduce'] as const;
const ENTRIES: Record<string, string> = {
  carecast: 'index.ts',
  'carecast/danfo': 'danfo.ts',
  ...Object.fromEntries(SUBPATHS.map((s) => [`carecast/${s}`, `${s}/index.ts`])),
};
/** The browser bundle's entry: the same names as the Node entries (a second door, not a room). */
const BROWSER_ENTRY = 'browser.ts';
const ENTRY_FILES = new Set([...Object.values(ENTRIES), BROWSER_ENTRY]);

/** At most this many names (values and types) at the front door. */
const ROOT_LIMIT = 60;

/** Libraries that must load only when their output is asked for (never on a static path from an entry). */
const LAZY = ['exceljs', 'vega', 'vega-lite'];
/** Libraries only the command line may load. */
const CLI_ONLY = ['commander'];

/**
 * Exported from their module for other modules (or worker threads), but in
 * no entry point: the plumbing a user never needs. Each with the reason.
 */
const INTERNAL: Record<string, string> = {
  'math/simpleRegression.ts#simpleRegression': 'the regression kernel of linear, loglinear and theta; the methods are public',
  'math/simpleRegression.ts#predictionSe': 'the regression kernel',
  'math/simpleRegression.ts#drawRegression': 'the regression kernel',
  'math/simpleRegression.ts#SimpleRegression': 'the regression kernel',
  'math/simpleRegression.ts#olsSlope': 'the least-squares slope inside the conformal power law and the global models\' band exponent',
  'models/paths.ts#simulateTrend': 'the simulation loop inside linear and loglinear; the methods are public',
  'math/studentT.ts#lgamma': 'inside pt/qt',
  'math/studentT.ts#incompleteBeta': 'inside pt/qt',
  'models/buildForecast.ts#buildForecast': 'shared by the method files to assemble a ModelForecast',
  'models/checks.ts#checkSeries': "the method files' argument checks",
  'models/checks.ts#checkHorizon': "the method files' argument checks",
  'models/paths.ts#startSimulation': "the method files' path simulation",
  'models/paths.ts#chiSquare': "the method files' path simulation",
  'uncertainty/workerPool.ts#runSimulationTask': 'what a worker thread runs for SimulationPool.run',
  'uncertainty/workerPool.ts#serveSimulation': 'what a worker (thread or Web Worker) runs for SimulationPool.run',
  'uncertainty/workerHost.ts#startCarecastWorker': 'starts a worker thread (compiled or through tsx)',
  'uncertainty/workerHost.ts#spawnWorker': "the platform's default way to start a worker (worker thread, or Web Worker in the browser bundle)",
  'uncertainty/workerHost.ts#WORKER_MODE': 'whether workers run compiled code or the sources through tsx',
  'uncertainty/threadPort.ts#threadPort': "a worker thread's end of the channel",
  'uncertainty/workerPool.ts#WorkerRequest': 'the worker message protocol',
  'uncertainty/workerPool.ts#WorkerReply': 'the worker message protocol',
  'system/systemPanel.ts#projectPanelItem': 'what a worker thread runs for projectSystemPanel',
  'models/global/mlRegression.ts#multivariateLinearRegression': "panelAR's regression (loaded on first use in Node, with the bundle in the browser)",
  'models/global/mlRegression.ts#Mlr': "panelAR's regression (loaded on first use in Node, with the bundle in the browser)",
  'models/global/mlRegression.ts#MlrClass': "panelAR's regression (loaded on first use in Node, with the bundle in the browser)",
  'system/systemPanel.ts#serveSystemPanel': 'what a worker (thread or Web Worker) runs for projectSystemPanel',
  'system/ssda903Worker.ts#serveSsda903': 'what a worker (thread or Web Worker) runs for Ssda903Worker.project',
  'data/seedFiles.ts#seedFile': 'where the bundled files come from (disk in Node, data modules in the browser bundle); users call the loaders',
  'data/seedFiles.ts#SeedFileContent': 'where the bundled files come from (disk in Node, data modules in the browser bundle); users call the loaders',
  'data/dfe/panelFiles.ts#dfePanelFromDisk': 'the folder forms of loadDfePanel (Node only); users call loadDfePanel({ dir })',
  'system/ageing/helpers.ts#LAST': "shared by the age-band model's files (fitAgeing, projectAgeing, ageingStep are public)",
  'system/ageing/helpers.ts#mapBands': "shared by the age-band model's files (fitAgeing, projectAgeing, ageingStep are public)",
  'system/ageing/helpers.ts#sumBands': "shared by the age-band model's files (fitAgeing, projectAgeing, ageingStep are public)",
  'system/ageing/helpers.ts#UNIFORM': "shared by the age-band model's files (fitAgeing, projectAgeing, ageingStep are public)",
  'system/ageing/helpers.ts#BAND_LIST': "shared by the age-band model's files (fitAgeing, projectAgeing, ageingStep are public)",
  'system/ageing/helpers.ts#fmt': "shared by the age-band model's files (fitAgeing, projectAgeing, ageingStep are public)",
  'system/ageing/helpers.ts#readSeries': "shared by the age-band model's files (fitAgeing, projectAgeing, ageingStep are public)",
  'system/ageing/helpers.ts#readBands': "shared by the age-band model's files (fitAgeing, projectAgeing, ageingStep are public)",
  'system/ageing/helpers.ts#bandsAt': "shared by the age-band model's files (fitAgeing, projectAgeing, ageingStep are public)",
  'system/ageing/helpers.ts#valueAt': "shared by the age-band model's files (fitAgeing, projectAgeing, ageingStep are public)",
  'system/ageing/helpers.ts#checkBandRecord': "shared by the age-band model's files (fitAgeing, projectAgeing, ageingStep are public)",
  'system/ageing/helpers.ts#checkSumsAgainstTotal': "shared by the age-band model's files (fitAgeing, projectAgeing, ageingStep are public)",
  'system/ageing/helpers.ts#checkParams': "shared by the age-band model's files (fitAgeing, projectAgeing, ageingStep are public)",
  'system/ageing/helpers.ts#stepUnchecked': "shared by the age-band model's files (fitAgeing, projectAgeing, ageingStep are public)",
  'system/quarterly/history.ts#seriesLabel': "shared by the quarterly tools' files (forecastQuarterly, toAnnual, quarterlyToAnnualSeries are public)",
  'system/quarterly/history.ts#checkPoints': "shared by the quarterly tools' files (forecastQuarterly, toAnnual, quarterlyToAnnualSeries are public)",
  'system/quarterly/history.ts#buildHistory': "shared by the quarterly tools' files (forecastQuarterly, toAnnual, quarterlyToAnnualSeries are public)",
  'system/quarterly/periods.ts#periodLabel': "shared by the quarterly tools' files (forecastQuarterly, toAnnual, quarterlyToAnnualSeries are public)",
  'system/quarterly/periods.ts#periodLong': "shared by the quarterly tools' files (forecastQuarterly, toAnnual, quarterlyToAnnualSeries are public)",
  'system/quarterly/periods.ts#indexOf': "shared by the quarterly tools' files (forecastQuarterly, toAnnual, quarterlyToAnnualSeries are public)",
  'system/quarterly/periods.ts#yearOf': "shared by the quarterly tools' files (forecastQuarterly, toAnnual, quarterlyToAnnualSeries are public)",
  'system/quarterly/periods.ts#quarterOf': "shared by the quarterly tools' files (forecastQuarterly, toAnnual, quarterlyToAnnualSeries are public)",
  'system/quarterly/periods.ts#label': "shared by the quarterly tools' files (forecastQuarterly, toAnnual, quarterlyToAnnualSeries are public)",
  'system/quarterly/toAnnual.ts#trapezium': "shared by the quarterly tools' files (forecastQuarterly, toAnnual, quarterlyToAnnualSeries are public)",
  'data/loaders/csvLines.ts#scanCsvLines': "how readSsda903 reads its files' rows (readSsda903, readSsda903Files, loadSsda903Folder are public)",
  'data/loaders/csvLines.ts#CsvLine': "how readSsda903 reads its files' rows (readSsda903, readSsda903Files, loadSsda903Folder are public)",
  'data/loaders/csvLines.ts#CsvDates': "how readSsda903 reads its files' rows (readSsda903, readSsda903Files, loadSsda903Folder are public)",
  'data/loaders/csvLines.ts#CsvCodes': "how readSsda903 reads its files' rows (readSsda903, readSsda903Files, loadSsda903Folder are public)",
  'data/loaders/ssda903Rows.ts#columnIndex': "how readSsda903 reads its files' rows (readSsda903, readSsda903Files, loadSsda903Folder are public)",
  'data/loaders/ssda903Rows.ts#csvRows': "how readSsda903 reads its files' rows (readSsda903, readSsda903Files, loadSsda903Folder are public)",
  'data/loaders/ssda903Rows.ts#dateParser': "how readSsda903 reads its files' rows (readSsda903, readSsda903Files, loadSsda903Folder are public)",
  'data/loaders/ssda903Rows.ts#eachRow': "how readSsda903 reads its files' rows (readSsda903, readSsda903Files, loadSsda903Folder are public)",
  'data/loaders/ssda903Rows.ts#readEpisodeRows': "how readSsda903 reads its files' rows (readSsda903, readSsda903Files, loadSsda903Folder are public)",
  'data/loaders/ssda903Rows.ts#cell': "how readSsda903 reads its files' rows (readSsda903, readSsda903Files, loadSsda903Folder are public)",
  'data/loaders/ssda903Rows.ts#ChildIds': "how readSsda903 reads its files' rows (readSsda903, readSsda903Files, loadSsda903Folder are public)",
  'data/loaders/ssda903Rows.ts#CodeTable': "how readSsda903 reads its files' rows (readSsda903, readSsda903Files, loadSsda903Folder are public)",
  'data/loaders/ssda903Rows.ts#OPEN': "how readSsda903 reads its files' rows (readSsda903, readSsda903Files, loadSsda903Folder are public)",
  'data/loaders/ssda903Rows.ts#NO_REC': "how readSsda903 reads its files' rows (readSsda903, readSsda903Files, loadSsda903Folder are public)",
  'data/loaders/ssda903Rows.ts#RawRows': "how readSsda903 reads its files' rows (readSsda903, readSsda903Files, loadSsda903Folder are public)",
  'data/loaders/ssda903Rows.ts#RowCells': "how readSsda903 reads its files' rows (readSsda903, readSsda903Files, loadSsda903Folder are public)",
  'system/multiState/daily.ts#dailyProbabilities': "a part of the multi-state model (fitMultiState, projectMultiState, multiStateModelFromRates are public)",
  'system/multiState/daily.ts#flatMoves': "a part of the multi-state model (fitMultiState, projectMultiState, multiStateModelFromRates are public)",
  'system/multiState/daily.ts#DailyProbabilities': "a part of the multi-state model (fitMultiState, projectMultiState, multiStateModelFromRates are public)",
  'system/multiState/days.ts#dayArg': "a part of the multi-state model (fitMultiState, projectMultiState, multiStateModelFromRates are public)",
  'system/multiState/days.ts#bandDays': "a part of the multi-state model (fitMultiState, projectMultiState, multiStateModelFromRates are public)",
  'system/multiState/days.ts#yearOf': "a part of the multi-state model (fitMultiState, projectMultiState, multiStateModelFromRates are public)",
  'system/multiState/days.ts#latestDobTable': "a part of the multi-state model (fitMultiState, projectMultiState, multiStateModelFromRates are public)",
  'system/multiState/draws.ts#gammaDraw': "a part of the multi-state model (fitMultiState, projectMultiState, multiStateModelFromRates are public)",
  'system/multiState/draws.ts#poissonDraw': "a part of the multi-state model (fitMultiState, projectMultiState, multiStateModelFromRates are public)",
  'system/multiState/expected.ts#projectExpected': "a part of the multi-state model (fitMultiState, projectMultiState, multiStateModelFromRates are public)",
  'system/multiState/exposure.ts#countExposure': "a part of the multi-state model (fitMultiState, projectMultiState, multiStateModelFromRates are public)",
  'system/multiState/exposure.ts#ExposureCounts': "a part of the multi-state model (fitMultiState, projectMultiState, multiStateModelFromRates are public)",
  'system/multiState/exposure.ts#ExposureSpec': "a part of the multi-state model (fitMultiState, projectMultiState, multiStateModelFromRates are public)",
  'system/multiState/groups.ts#groupKeyOf': "a part of the multi-state model (fitMultiState, projectMultiState, multiStateModelFromRates are public)",
  'system/multiState/groups.ts#GROUP_LISTS': "a part of the multi-state model (fitMultiState, projectMultiState, multiStateModelFromRates are public)",
  'system/multiState/model.ts#checkBands': "a part of the multi-state model (fitMultiState, projectMultiState, multiStateModelFromRates are public)",
  'system/multiState/model.ts#statesOf': "a part of the multi-state model (fitMultiState, projectMultiState, multiStateModelFromRates are public)",
  'system/multiState/model.ts#StockChild': "a part of the multi-state model (fitMultiState, projectMultiState, multiStateModelFromRates are public)",
  'system/multiState/simulate.ts#simulate': "a part of the multi-state model (fitMultiState, projectMultiState, multiStateModelFromRates are public)",
  'system/dfeSystem.ts#DFE_SYSTEM_FILE': "the bundled file name; users call loadDfeSystem",
  'system/dfeSystem.ts#dfeSystemFit': "the recipe of the bundled file (benchmarks/make-dfe-system.ts); users call loadDfeSystem, or fitSystemDynamics on a panel of their own",
  'system/dynamics.ts#SystemDynamicsSchema': "the JSON schema behind parseSystemDynamics",
  'system/input.ts#cutSeries': "how projectSystem reads its input as known at a year",
  'system/input.ts#prepareArea': "how projectSystem reads its input as known at a year",
  'system/input.ts#PreparedArea': "how projectSystem reads its input as known at a year",
  'system/meanReversion.ts#valueAt': "the pooled mean-reversion kernel of fitFlowDynamics and of fitShareDynamics (S1)",
  'system/meanReversion.ts#windowMean': "the pooled mean-reversion kernel of fitFlowDynamics and of fitShareDynamics (S1)",
  'system/meanReversion.ts#transitions': "the pooled mean-reversion kernel of fitFlowDynamics and of fitShareDynamics (S1)",
  'system/meanReversion.ts#fitBeta': "the pooled mean-reversion kernel of fitFlowDynamics and of fitShareDynamics (S1)",
  'system/meanReversion.ts#rootMeanSquare': "the pooled mean-reversion kernel of fitFlowDynamics and of fitShareDynamics (S1)",
  'system/meanReversion.ts#Transition': "the pooled mean-reversion kernel of fitFlowDynamics and of fitShareDynamics (S1)",
  'system/meanReversion.ts#MEAN_WINDOW': "the pooled mean-reversion kernel of fitFlowDynamics and of fitShareDynamics (S1)",
  'system/meanReversion.ts#BetaFit': "the pooled mean-reversion kernel of fitFlowDynamics and of fitShareDynamics (S1)",
  'system/shareFit.ts#fitS1': "a step of fitShareDynamics",
  'system/shareFit.ts#fitS2': "a step of fitShareDynamics",
  'system/shareFit.ts#panelDriftAt': "a step of fitShareDynamics",
  'system/shareFit.ts#chooseShareModel': "a step of fitShareDynamics",
  'system/shareFit.ts#oneStandardError': "a step of fitShareDynamics",
  'system/logRatios.ts#zAt': "a step of fitShareDynamics and shareStart",
  'system/logRatios.ts#ownDrift': "a step of fitShareDynamics and shareStart",
  'system/shares.ts#candidatePoint': "a step of fitShareDynamics",
  'system/innovationCovariance.ts#reclassifiedRows': 'a step of innovationCovariance (exclude)',
  'system/innovationCovariance.ts#RECLASSIFICATION_SDS': 'the pre-registered k of innovationCovariance (exclude)',
  'system/robustScale.ts#median': 'the robust scale kernel of innovationCovariance',
  'system/robustScale.ts#madAboutZero': 'the robust scale kernel of innovationCovariance',
  'system/robustScale.ts#gkCorrelation': 'the robust scale kernel of innovationCovariance',
  'system/robustScale.ts#MAD_TO_SD': 'the robust scale kernel of innovationCovariance',
  'system/shareScaleChoice.ts#cutShareData': 'a step of fitShareDynamics (the innovation estimator\u2019s choice)',
  'system/shareScaleChoice.ts#pairedOneStandardError': 'a step of fitShareDynamics (the innovation estimator\u2019s choice)',
  'system/shareScaleChoice.ts#chooseShareScale': 'a step of fitShareDynamics (the innovation estimator\u2019s choice)',
  'system/shareScaleChoice.ts#SCALE_CHOICE_PATHS': 'a step of fitShareDynamics (the innovation estimator\u2019s choice)',
  'system/shareScaleChoice.ts#InnerFit': 'a step of fitShareDynamics (the innovation estimator\u2019s choice)',
  'system/shares.ts#CandidateParams': "a step of fitShareDynamics",
  'data/dfe/areas.ts#areaId': 'the DfE panel builder (published cells, reorganisations, derived groups); users call loadDfePanel / buildDfePanel',
  'data/dfe/areas.ts#yearRanges': 'the DfE panel builder (published cells, reorganisations, derived groups); users call loadDfePanel / buildDfePanel',
  'data/dfe/areas.ts#areaRegistry': 'the DfE panel builder (published cells, reorganisations, derived groups); users call loadDfePanel / buildDfePanel',
  'data/dfe/areas.ts#AreaRegistry': 'the DfE panel builder (published cells, reorganisations, derived groups); users call loadDfePanel / buildDfePanel',
  'data/dfe/breakdowns.ts#categoryComparator': 'the DfE panel builder (published cells, reorganisations, derived groups); users call loadDfePanel / buildDfePanel',
  'data/dfe/breakdowns.ts#deriveBlock': 'the DfE panel builder (published cells, reorganisations, derived groups); users call loadDfePanel / buildDfePanel',
  'data/dfe/breakdowns.ts#DERIVED_BREAKDOWNS': 'the DfE panel builder (published cells, reorganisations, derived groups); users call loadDfePanel / buildDfePanel',
  'data/dfe/breakdowns.ts#PUBLISHED_BREAKDOWNS': 'the DfE panel builder (published cells, reorganisations, derived groups); users call loadDfePanel / buildDfePanel',
  'data/dfe/breakdowns.ts#BlockPoints': 'the DfE panel builder (published cells, reorganisations, derived groups); users call loadDfePanel / buildDfePanel',
  'data/dfe/buildPanel.ts#panelFromCells': 'the DfE panel builder (published cells, reorganisations, derived groups); users call loadDfePanel / buildDfePanel',
  'data/dfe/bundle.ts#parseDfePanelBundle': 'the bundled panel file format and its checksum manifest; users read it with loadDfePanel',
  'data/dfe/bundle.ts#DFE_PANEL_FORMAT': 'the bundled panel file format and its checksum manifest; users read it with loadDfePanel',
  'data/dfe/bundle.ts#DfePanelBundleSchema': 'the bundled panel file format and its checksum manifest; users read it with loadDfePanel',
  'data/dfe/bundle.ts#DfePanelBundle': 'the bundled panel file format and its checksum manifest; users read it with loadDfePanel',
  'data/dfe/bundle.ts#DFE_PANEL_VERSION': 'the bundled panel file format and its checksum manifest; users read it with loadDfePanel',
  'data/dfe/bundle.ts#DFE_PANEL_DATA_START': 'the bundled panel file format and its checksum manifest; users read it with loadDfePanel',
  'data/dfe/bundle.ts#NOTE_NUMBER_MARK': 'the bundled panel file format and its checksum manifest; users read it with loadDfePanel',
  'data/dfe/bundle.ts#NOTE_SEPARATOR': 'the bundled panel file format and its checksum manifest; users read it with loadDfePanel',
  'data/dfe/bundle.ts#POINT_FLAGS': 'the bundled panel file format and its checksum manifest; users read it with loadDfePanel',
  'data/dfe/bundle.ts#DfePanelBundleHeaderSchema': 'the bundled panel file format and its checksum manifest; users read it with loadDfePanel',
  'data/dfe/bundle.ts#DfePanelBundleHeader': 'the bundled panel file format and its checksum manifest; users read it with loadDfePanel',
  'data/dfe/bundle.ts#DfePanelBundleSource': 'the bundled panel file format and its checksum manifest; users read it with loadDfePanel',
  'data/dfe/bundle.ts#DfePanelBundleParts': 'the bundled panel file format and its checksum manifest; users read it with loadDfePanel',
  'data/dfe/bundle.ts#readDfePanelBundle': 'the bundled panel file format and its checksum manifest; users read it with loadDfePanel',
  'data/dfe/bundleDecode.ts#dfePanelReader': 'decodes the bundled panel file area by area; users call loadDfePanel / loadDfePanelArea',
  'data/dfe/bundleDecode.ts#DfePanelReader': 'decodes the bundled panel file area by area; users call loadDfePanel / loadDfePanelArea',
  'data/dfe/bundleEncode.ts#encodeDfePanel': 'how scripts/build-seeds.ts writes the bundled panel file; users read it with loadDfePanel',
  'data/dfe/bundleEncode.ts#dfePanelBundleText': 'how scripts/build-seeds.ts writes the bundled panel file; users read it with loadDfePanel',
  'data/dfe/bundleEncode.ts#noteTemplate': 'how scripts/build-seeds.ts writes the bundled panel file; users read it with loadDfePanel',
  'data/dfe/bundled.ts#bundledDfePanel': 'the bundled panel file format and its checksum manifest; users read it with loadDfePanel',
  'data/dfe/panelTypes.ts#DFE_PANEL_TOTALS': 'where the panel builder and the bundle decoder put each series of an area (one list for both)',
  'data/dfe/panelTypes.ts#DFE_PANEL_BREAKDOWNS': 'where the panel builder and the bundle decoder put each series of an area (one list for both)',
  'data/dfe/bundled.ts#readSeedManifest': 'the bundled panel file format and its checksum manifest; users read it with loadDfePanel',
  'data/dfe/bundled.ts#readCheckedSeedBytes': 'the bundled panel file format and its checksum manifest; users read it with loadDfePanel',
  'data/dfe/bundled.ts#readCheckedSeed': 'the bundled panel file format and its checksum manifest; users read it with loadDfePanel',
  'data/dfe/bundled.ts#DFE_PANEL_FILE': 'the bundled panel file format and its checksum manifest; users read it with loadDfePanel',
  'data/dfe/bundled.ts#SeedManifestSchema': 'the bundled panel file format and its checksum manifest; users read it with loadDfePanel',
  'data/dfe/bundled.ts#SeedManifest': 'the bundled panel file format and its checksum manifest; users read it with loadDfePanel',
  'data/dfe/cells.ts#cellKey': 'the DfE panel builder (published cells, reorganisations, derived groups); users call loadDfePanel / buildDfePanel',
  'data/dfe/cells.ts#splitCellKey': 'the DfE panel builder (published cells, reorganisations, derived groups); users call loadDfePanel / buildDfePanel',
  'data/dfe/cells.ts#dfeCellsFrom': 'the DfE panel builder (published cells, reorganisations, derived groups); users call loadDfePanel / buildDfePanel',
  'data/dfe/cells.ts#DfeCell': 'the DfE panel builder (published cells, reorganisations, derived groups); users call loadDfePanel / buildDfePanel',
  'data/dfe/cells.ts#DfeSourceKind': 'the DfE panel builder (published cells, reorganisations, derived groups); users call loadDfePanel / buildDfePanel',
  'data/dfe/cells.ts#DfeCellSource': 'the DfE panel builder (published cells, reorganisations, derived groups); users call loadDfePanel / buildDfePanel',
  'data/dfe/cells.ts#DfeCellSet': 'the DfE panel builder (published cells, reorganisations, derived groups); users call loadDfePanel / buildDfePanel',
  'data/dfe/cells.ts#SFR_CELL_COLUMNS': 'the DfE panel builder (published cells, reorganisations, derived groups); users call loadDfePanel / buildDfePanel',
  'data/dfe/cells.ts#LONG_DIMENSIONS': 'the DfE panel builder (published cells, reorganisations, derived groups); users call loadDfePanel / buildDfePanel',
  'data/dfe/checks.ts#dfeCellChecks': 'how scripts/build-seeds.ts reads and checks the raw DfE folder; users call loadDfePanel({ dir })',
  'data/dfe/checks.ts#DfeCheck': 'how scripts/build-seeds.ts reads and checks the raw DfE folder; users call loadDfePanel({ dir })',
  'data/dfe/panelFolder.ts#readDfePanelFolder': 'how scripts/build-seeds.ts reads and checks the raw DfE folder; users call loadDfePanel({ dir })',
  'data/dfe/panelFolder.ts#DfeFileInfo': 'how scripts/build-seeds.ts reads and checks the raw DfE folder; users call loadDfePanel({ dir })',
  'data/dfe/panelFolder.ts#DfePanelFolder': 'how scripts/build-seeds.ts reads and checks the raw DfE folder; users call loadDfePanel({ dir })',
  'data/loaders/csvText.ts#editDistance': 'inside closestMatches',
  'data/loaders/csvStream.ts#csvRecordStream': 'the incremental CSV parser inside tidyCsvReader (public)',
  'data/loaders/csvStream.ts#CsvRecordStream': 'the incremental CSV parser inside tidyCsvReader (public)',
  'finance/schemaParts.ts#fractionSchema': "the finance schemas' shared parts (fractions or percentages, years); users parse with parseCostModel / parseScenarios",
  'finance/schemaParts.ts#FractionRule': "the finance schemas' shared parts (fractions or percentages, years); users parse with parseCostModel / parseScenarios",
  'finance/schemaParts.ts#yearSchema': "the finance schemas' shared parts (fractions or percentages, years); users parse with parseCostModel / parseScenarios",
  'finance/schemaParts.ts#financialYearSchema': "the finance schemas' shared parts (fractions or percentages, years); users parse with parseCostModel / parseScenarios",
  'project/defaults.ts#bundledEvidenceFor': "forecast()'s defaults: the bundled evidence and calibration of the series' measure (users call loadDfeEvidence / loadDfeCalibration)",
  'project/defaults.ts#bundledCalibrationFor': "forecast()'s defaults: the bundled evidence and calibration of the series' measure (users call loadDfeEvidence / loadDfeCalibration)",
  'project/defaults.ts#hasBundledCalibrations': "forecast()'s defaults: the bundled evidence and calibration of the series' measure (users call loadDfeEvidence / loadDfeCalibration)",
  'project/forecast.ts#forecastSeries': 'forecast() with the reference scores optional; forecastPanel uses it (users call forecast / forecastPanel)',
  'project/forecast.ts#ForecastSeriesMode': 'forecast() with the reference scores optional; forecastPanel uses it (users call forecast / forecastPanel)',
  'project/forecast.ts#conformalBasis': "what forecast() and applyConformal() write into Projection.intervalBasis",
  'project/summary.ts#projectionSummary': 'what forecast() and applyConformal() write into Projection.summary; read it there',
  'project/summary.ts#SummaryInput': 'what forecast() and applyConformal() write into Projection.summary; read it there',
  'data/ons/populationFile.ts#buildOnsPopulationFile': 'how scripts/build-seeds.ts builds the bundled ONS file; users read it with loadOnsPopulation / loadPopulationProjection',
  'data/ons/populationFile.ts#ONS_POPULATION_FORMAT': 'how scripts/build-seeds.ts builds the bundled ONS file; users read it with loadOnsPopulation / loadPopulationProjection',
  'data/ons/populationFile.ts#OnsRawFile': 'how scripts/build-seeds.ts builds the bundled ONS file; users read it with loadOnsPopulation / loadPopulationProjection',
  'data/ons/populationFile.ts#OnsRawFiles': 'how scripts/build-seeds.ts builds the bundled ONS file; users read it with loadOnsPopulation / loadPopulationProjection',
  'data/fillGaps.ts#fillInteriorGaps': 'the gap filling forecast() and the global methods share; forecast() reports the filled years in its history',
  'data/fillGaps.ts#FilledYear': 'the gap filling forecast() and the global methods share; forecast() reports the filled years in its history',
  'models/global/shared.ts#entryPoints': "the global methods' shared kernel (panel windows, eligibility, growth, bands); users call fitGlobal / forecastWithGlobal",
  'models/global/shared.ts#panelOrigin': "the global methods' shared kernel (panel windows, eligibility, growth, bands); users call fitGlobal / forecastWithGlobal",
  'models/global/shared.ts#windowOf': "the global methods' shared kernel (panel windows, eligibility, growth, bands); users call fitGlobal / forecastWithGlobal",
  'models/global/shared.ts#panelWindows': "the global methods' shared kernel (panel windows, eligibility, growth, bands); users call fitGlobal / forecastWithGlobal",
  'models/global/shared.ts#eligibleAt': "the global methods' shared kernel (panel windows, eligibility, growth, bands); users call fitGlobal / forecastWithGlobal",
  'models/global/shared.ts#ownGrowth': "the global methods' shared kernel (panel windows, eligibility, growth, bands); users call fitGlobal / forecastWithGlobal",
  'models/global/shared.ts#logRunStart': "the global methods' shared kernel (panel windows, eligibility, growth, bands); users call fitGlobal / forecastWithGlobal",
  'models/global/shared.ts#logScaleAt': "the global methods' shared kernel (panel windows, eligibility, growth, bands); users call fitGlobal / forecastWithGlobal",
  'models/global/shared.ts#countScaleAt': "the global methods' shared kernel (panel windows, eligibility, growth, bands); users call fitGlobal / forecastWithGlobal",
  'models/global/shared.ts#trimmedMean': "the global methods' shared kernel (panel windows, eligibility, growth, bands); users call fitGlobal / forecastWithGlobal",
  'models/global/shared.ts#median': "the global methods' shared kernel (panel windows, eligibility, growth, bands); users call fitGlobal / forecastWithGlobal",
  'models/global/shared.ts#stepBands': "the global methods' shared kernel (panel windows, eligibility, growth, bands); users call fitGlobal / forecastWithGlobal",
  'models/global/shared.ts#bandSdAt': "the global methods' shared kernel (panel windows, eligibility, growth, bands); users call fitGlobal / forecastWithGlobal",
  'models/global/shared.ts#logNormalForecast': "the global methods' shared kernel (panel windows, eligibility, growth, bands); users call fitGlobal / forecastWithGlobal",
  'models/global/shared.ts#describePanel': "the global methods' shared kernel (panel windows, eligibility, growth, bands); users call fitGlobal / forecastWithGlobal",
  'models/global/shared.ts#lastYearOf': "the global methods' shared kernel (panel windows, eligibility, growth, bands); users call fitGlobal / forecastWithGlobal",
  'models/global/shared.ts#MAX_STEP': "the global methods' shared kernel (panel windows, eligibility, growth, bands); users call fitGlobal / forecastWithGlobal",
  'models/global/shared.ts#MIN_STEP_ERRORS': "the global methods' shared kernel (panel windows, eligibility, growth, bands); users call fitGlobal / forecastWithGlobal",
  'models/global/shared.ts#SeriesWindow': "the global methods' shared kernel (panel windows, eligibility, growth, bands); users call fitGlobal / forecastWithGlobal",
  'models/global/panelGrowth.ts#fitPanelGrowth': "panelGrowth's kernel; users call fitGlobal('panelGrowth', ...)",
  'models/global/panelGrowth.ts#forecastPanelGrowth': "panelGrowth's kernel; users call fitGlobal('panelGrowth', ...)",
  'models/global/panelGrowth.ts#panelGrowthAt': "panelGrowth's kernel; users call fitGlobal('panelGrowth', ...)",
  'models/global/panelGrowth.ts#dampedSum': "panelGrowth's kernel; users call fitGlobal('panelGrowth', ...)",
  'models/global/panelGrowth.ts#PANEL_GROWTH_W_GRID': "panelGrowth's kernel; users call fitGlobal('panelGrowth', ...)",
  'models/global/panelGrowth.ts#PANEL_GROWTH_PHI_GRID': "panelGrowth's kernel; users call fitGlobal('panelGrowth', ...)",
  'models/global/panelAR.ts#fitPanelAR': "panelAR's kernel; users call fitGlobal('panelAR', ...)",
  'models/global/panelAR.ts#forecastPanelAR': "panelAR's kernel; users call fitGlobal('panelAR', ...)",
  'models/global/panelAR.ts#panelARRows': "panelAR's kernel; users call fitGlobal('panelAR', ...)",
  'models/global/panelAR.ts#panelARUnusable': "panelAR's kernel; users call fitGlobal('panelAR', ...)",
  'models/global/panelAR.ts#fullRank': "panelAR's kernel; users call fitGlobal('panelAR', ...)",
  'models/global/panelAR.ts#PANEL_AR_MIN_ROWS': "panelAR's kernel; users call fitGlobal('panelAR', ...)",
  'models/global/rates.ts#rateWindow': "the rate methods' kernel; users call fitGlobal('panelGrowthRate', ...)",
  'models/global/rates.ts#projectedPopulation': "the rate methods' kernel; users call fitGlobal('panelGrowthRate', ...)",
  'models/global/rates.ts#RATE_PER': "the rate methods' kernel; users call fitGlobal('panelGrowthRate', ...)",
  'models/global/dfeGlobal.ts#DFE_GLOBAL_FILE': 'the bundled file name; users call loadDfeGlobal',
  'project/globalForecast.ts#projectGlobal': "forecast()'s global-method step; users call forecast(series, { method: 'panelGrowth' })",
  'project/globalForecast.ts#GlobalSource': "forecast()'s global-method step; users call forecast(series, { method: 'panelGrowth' })",
  'project/globalForecast.ts#GlobalPart': "forecast()'s global-method step; users call forecast(series, { method: 'panelGrowth' })",
  'project/globalForecast.ts#GlobalBandBasis': "forecast()'s global-method step; users read Projection.intervalBasis",
};

/** Modules that run only as workers (no exports of their own): Node's worker threads, the browser bundle's Web Worker. */
const WORKER_SCRIPTS = new Set(['uncertainty/simulateWorker.ts', 'system/systemWorker.ts', 'system/webWorker.ts']);

/** The modules that may import Node's built-in modules: the path forms, the CLI, the worker-thread code. */
const NODE_ONLY: Record<string, string> = {
  'data/seedFiles.ts': 'the bundled files read from disk (browser twin: data modules)',
  'data/dfe/panelFiles.ts': 'loadDfePanel({ dir }) and ({ sfrDir, eesFile }) (browser twin: says a browser cannot read a folder)',
  'uncertainty/workerHost.ts': 'worker threads (browser twin: Web Workers)',
  'data/loaders/textFile.ts': 'loadText(path)',
  'data/loaders/tidyFiles.ts': 'loadTidyCsv, loadTidyJson',
  'data/loaders/ssda903Folder.ts': 'loadSsda903Folder',
  'data/loaders/dfeFiles.ts': 'loadDfeEes, loadDfeEesLong, loadSfrFolder',
  'data/dfe/panelFolder.ts': 'the raw DfE folder, checked file by file',
  'data/loaders/jsonFile.ts': 'loadJsonFile',
  'models/global/mlRegression.ts': 'ml-regression loaded on first use through require (browser twin: imported with the bundle)',
  'uncertainty/simulateWorker.ts': 'a worker thread',
  'system/systemWorker.ts': 'a worker thread',
};

/** The browser bundle's entries: the page's module and the Web Worker. */
const BROWSER_ROOTS = [BROWSER_ENTRY, 'system/webWorker.ts'];

/** A module's browser twin (`x.browser.ts` for `x.ts`), if it has one. */
function twinOf(file: string): string | undefined {
  if (file.endsWith('.browser.ts') || file.endsWith('.d.ts')) return undefined;
  const twin = file.replace(/\.ts$/, '.browser.ts');
  return FILES_SET.has(twin) ? twin : undefined;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));
}

type EdgeKind = 'static' | 'type' | 'dynamic';
interface Edge {
  readonly from: string;
  /** A path relative to src/ for a local module, else the package name. */
  readonly to: string;
  readonly local: boolean;
  readonly kind: EdgeKind;
}

/** Every import of a file: import/export declarations, dynamic import(), import('...') types. */
function importsOf(file: string): Edge[] {
  const from = relative(SRC, file);
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const edges: Edge[] = [];
  const add = (spec: string, kind: EdgeKind): void => {
    if (spec.startsWith('.')) {
      const to = relative(SRC, resolve(dirname(file), spec)).replace(/\.js$/, '.ts');
      edges.push({ from, to, local: true, kind });
    } else {
      const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      edges.push({ from, to: pkg, local: false, kind });
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const c = node.importClause;
      const typeOnly =
        c !== undefined &&
        (c.isTypeOnly ||
          (c.name === undefined && c.namedBindings !== undefined && ts.isNamedImports(c.namedBindings) && c.namedBindings.elements.length > 0 && c.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier.text, typeOnly ? 'type' : 'static');
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const b = node.exportClause;
      const typeOnly = node.isTypeOnly || (b !== undefined && ts.isNamedExports(b) && b.elements.length > 0 && b.elements.every((e) => e.isTypeOnly));
      add(node.moduleSpecifier.text, typeOnly ? 'type' : 'static');
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0])) {
      add(node.arguments[0].text, 'dynamic');
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, 'type');
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return edges;
}

const FILES = walk(SRC).map((f) => relative(SRC, f)).sort();
const FILES_SET = new Set(FILES);
const EDGES = FILES.flatMap((f) => importsOf(join(SRC, f)));

function layerOf(file: string): string | null {
  if (!file.includes('/')) return null; // index.ts, danfo.ts, browser.ts: entries
  return file.split('/')[0];
}

describe('architecture: imports', () => {
  it('parses the imports (sanity: finds static, type-only and dynamic imports)', () => {
    expect(FILES.length).toBeGreaterThan(60);
    expect(EDGES.some((e) => e.kind === 'type')).toBe(true);
    expect(EDGES.some((e) => e.kind === 'dynamic')).toBe(true);
    expect(EDGES.some((e) => e.from === 'project/forecast.ts' && e.to === 'uncertainty/conformal.ts' && e.kind === 'static')).toBe(true);
    for (const e of EDGES.filter((x) => x.local)) expect(FILES, `${e.from} imports ${e.to}, which does not exist`).toContain(e.to);
  });

  it('has every file in a documented layer', () => {
    for (const f of FILES) {
      const l = layerOf(f);
      if (l === null) expect(ENTRY_FILES.has(f), `${f} sits in src/ outside any layer`).toBe(true);
      else expect(LAYERS as readonly string[], `${f}: layer ${l} is not in the documented order`).toContain(l);
    }
  });

  it('has no import cycle between files (type-only and dynamic imports included)', () => {
    const next = new Map<string, string[]>(FILES.map((f) => [f, []]));
    for (const e of EDGES) if (e.local) next.get(e.from)?.push(e.to);
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const cycles: string[] = [];
    const dfs = (f: string): void => {
      state.set(f, 'open');
      stack.push(f);
      for (const t of next.get(f) ?? []) {
        if (state.get(t) === 'open') cycles.push([...stack.slice(stack.indexOf(t)), t].join(' → '));
        else if (!state.has(t)) dfs(t);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of FILES) if (!state.has(f)) dfs(f);
    expect(cycles).toEqual([]);
  });

  it('imports only along the layer order: data → math → models → uncertainty → project → system → finance → evaluate → output → reproduce → cli', () => {
    const bad: string[] = [];
    for (const e of EDGES.filter((x) => x.local)) {
      const from = layerOf(e.from);
      const to = layerOf(e.to);
      if (ENTRY_FILES.has(e.to)) {
        bad.push(`${e.from} imports the entry point ${e.to} (import the module itself)`);
        continue;
      }
      if (from === null) {
        // an entry point
        if (to === 'reproduce' && e.from !== 'reproduce/index.ts') bad.push(`${e.from} re-exports ${e.to}: the reproductions are only in carecast/reproduce`);
        if (to === 'cli') bad.push(`${e.from} re-exports the CLI module ${e.to}`);
        continue;
      }
      if (ENTRY_FILES.has(e.from)) {
        if (to === 'reproduce' && from !== 'reproduce') bad.push(`${e.from} re-exports ${e.to}: the reproductions are only in carecast/reproduce`);
        if (to === 'cli') bad.push(`${e.from} re-exports the CLI module ${e.to}`);
        continue;
      }
      const i = LAYERS.indexOf(from as (typeof LAYERS)[number]);
      const j = LAYERS.indexOf(to as (typeof LAYERS)[number]);
      if (j > i) bad.push(`${e.from} (${from}) imports ${e.to} (${to}), a layer above it${e.kind === 'static' ? '' : ` (${e.kind})`}`);
      if (to === 'reproduce' && from !== 'reproduce' && from !== 'cli') bad.push(`${e.from} imports ${e.to}: nothing in the core may use the reproductions`);
    }
    expect(bad).toEqual([]);
  });

  it('loads exceljs and vega only when their output is asked for, and commander only in the CLI', () => {
    const staticNext = new Map<string, Edge[]>();
    for (const e of EDGES.filter((x) => x.kind === 'static')) staticNext.set(e.from, [...(staticNext.get(e.from) ?? []), e]);
    /** The packages reachable from a file by static (run-time) imports, with one path to each. */
    const reach = (start: string): Map<string, string> => {
      const seen = new Map<string, string>([[start, start]]);
      const pkgs = new Map<string, string>();
      const queue = [start];
      while (queue.length > 0) {
        const f = queue.shift() as string;
        for (const e of staticNext.get(f) ?? []) {
          if (!e.local) {
            if (!pkgs.has(e.to)) pkgs.set(e.to, `${seen.get(f)} → ${e.to}`);
          } else if (!seen.has(e.to)) {
            seen.set(e.to, `${seen.get(f)} → ${e.to}`);
            queue.push(e.to);
          }
        }
      }
      return pkgs;
    };
    for (const entry of ENTRY_FILES) {
      const pkgs = reach(entry);
      for (const lib of [...LAZY, ...CLI_ONLY]) expect(pkgs.get(lib), `${entry} loads ${lib} at import`).toBeUndefined();
    }
    // the lazy libraries are still used, through import() where the output is made
    const dynamic = new Set(EDGES.filter((e) => e.kind === 'dynamic' && !e.local).map((e) => e.to));
    for (const lib of LAZY) expect(dynamic.has(lib), `${lib} is loaded with import()`).toBe(true);
    const outsideCli = EDGES.filter((e) => !e.local && e.kind !== 'type' && CLI_ONLY.includes(e.to) && layerOf(e.from) !== 'cli');
    expect(outsideCli.map((e) => `${e.from} → ${e.to}`)).toEqual([]);
    // the command line starts with commander alone: each command's modules load when it runs
    const cli = reach('cli/main.ts');
    expect(cli.has('commander')).toBe(true);
    for (const lib of [...LAZY, 'csv-parse']) expect(cli.get(lib), `carecast --version loads ${lib}`).toBeUndefined();
  });
});

describe('architecture: the browser bundle', () => {
  const builtins = new Set(builtinModules);
  const isNode = (e: Edge): boolean => !e.local && (e.to.startsWith('node:') || builtins.has(e.to));

  it('imports Node built-in modules only in the path forms, the CLI and the worker-thread code', () => {
    const importers = [...new Set(EDGES.filter((e) => isNode(e) && e.kind !== 'type').map((e) => e.from))].sort();
    const unexpected = importers.filter((f) => layerOf(f) !== 'cli' && !(f in NODE_ONLY));
    expect(unexpected, 'a module outside the path forms imports node:*; move the Node part to its own module (or give it a .browser.ts twin)').toEqual([]);
    const stale = Object.keys(NODE_ONLY).filter((f) => !importers.includes(f));
    expect(stale, 'NODE_ONLY lists modules that no longer import Node').toEqual([]);
  });

  it('reaches no Node-only module from the browser entries once the twins replace their modules', () => {
    const next = new Map<string, Edge[]>();
    for (const e of EDGES.filter((x) => x.kind !== 'type')) next.set(e.from, [...(next.get(e.from) ?? []), e]);
    const path = new Map<string, string>(BROWSER_ROOTS.map((r) => [r, r]));
    const queue = [...BROWSER_ROOTS];
    const bad: string[] = [];
    while (queue.length > 0) {
      const f = queue.shift() as string;
      for (const e of next.get(f) ?? []) {
        if (isNode(e)) bad.push(`${path.get(f)} → ${e.to}`);
        if (!e.local) continue;
        const to = twinOf(e.to) ?? e.to;
        if (to in NODE_ONLY || layerOf(to) === 'cli') bad.push(`${path.get(f)} → ${to}`);
        if (!path.has(to)) {
          path.set(to, `${path.get(f)} → ${to}`);
          queue.push(to);
        }
      }
    }
    expect(bad).toEqual([]);
    // the twins are in use, and reached
    for (const twin of ['data/seedFiles.browser.ts', 'uncertainty/workerHost.browser.ts', 'data/dfe/panelFiles.browser.ts', 'models/global/mlRegression.browser.ts']) expect(path.has(twin), twin).toBe(true);
  });

  it('gives every twin the exports of the module it replaces', () => {
    const twins = FILES.filter((f) => f.endsWith('.browser.ts'));
    expect(twins.length).toBe(4);
    for (const twin of twins) {
      const base = twin.replace(/\.browser\.ts$/, '.ts');
      expect(FILES_SET.has(base), `${twin} replaces ${base}`).toBe(true);
      const names = (f: string) => new Set(exportsOf(f).map((x) => x.name));
      const twinNames = names(twin);
      // what the other modules of the bundle import from the module (the Node entries are not in it), the twin must export
      const used = EDGES.filter((e) => e.local && e.to === base && e.from !== twin && (!ENTRY_FILES.has(e.from) || e.from === BROWSER_ENTRY)).flatMap((e) => namedImports(e.from, base));
      const missing = [...new Set(used)].filter((n) => !twinNames.has(n));
      expect(missing, `${twin} lacks names imported from ${base}`).toEqual([]);
    }
  });

  it('exports from carecast/browser only names that a Node entry exports (their documented home)', () => {
    const browser = exportsOf(BROWSER_ENTRY);
    expect(browser.length).toBeGreaterThan(60);
    const homes = new Map<string, string>();
    for (const [spec, names] of BY_ENTRY) for (const x of names) homes.set(`${x.home}#${x.name}`, spec);
    const orphans = browser.filter((x) => !homes.has(`${x.home}#${x.name}`)).map((x) => `${x.name} (${x.home})`);
    expect(orphans).toEqual([]);
    const names = new Set(browser.map((x) => x.name));
    for (const n of ['loadBundledData', 'readSsda903Files', 'deriveAnnualDataset', 'loadDfePanelArea', 'forecast', 'projectSystem', 'projectCosts', 'toCsv', 'workbookBytes', 'fanChartSpec', 'mixChartSpec', 'simulateSeries', 'projectSystemPanel']) {
      expect(names.has(n), n).toBe(true);
    }
    for (const n of ['loadTidyCsv', 'loadSsda903Folder', 'loadDfeEes', 'writeWorkbook', 'SEEDS_DIR']) expect(names.has(n), `${n} needs a disk`).toBe(false);
  });
});

/** The names a module imports from another (named imports and re-exports; `*` as every name). */
function namedImports(from: string, to: string): string[] {
  const file = join(SRC, from);
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  for (const st of sf.statements) {
    const spec = (ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
    if (!spec || !spec.startsWith('.') || relative(SRC, resolve(dirname(file), spec)).replace(/\.js$/, '.ts') !== to) continue;
    if (ts.isImportDeclaration(st)) {
      const b = st.importClause?.namedBindings;
      if (st.importClause?.isTypeOnly) continue;
      if (b && ts.isNamedImports(b)) for (const el of b.elements) if (!el.isTypeOnly) out.push((el.propertyName ?? el.name).text);
    } else if (ts.isExportDeclaration(st) && !st.isTypeOnly && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) if (!el.isTypeOnly) out.push((el.propertyName ?? el.name).text);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// exports: one front door, each name in one place

const program = ts.createProgram(
  FILES.map((f) => join(SRC, f)),
  { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, skipLibCheck: true, noEmit: true, types: ['node'] },
);
const checker = program.getTypeChecker();

interface ExportedName {
  readonly name: string;
  /** The module that declares it, relative to src/. */
  readonly home: string;
  readonly symbol: ts.Symbol;
}

function exportsOf(file: string): ExportedName[] {
  const sf = program.getSourceFile(join(SRC, file));
  if (sf === undefined) throw new Error(`${file} not in the program`);
  const mod = checker.getSymbolAtLocation(sf);
  if (mod === undefined) return [];
  return checker.getExportsOfModule(mod).map((x) => {
    const symbol = x.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(x) : x;
    const decl = symbol.declarations?.[0];
    return { name: x.name, home: decl ? relative(SRC, decl.getSourceFile().fileName) : file, symbol };
  });
}

const BY_ENTRY = new Map(Object.entries(ENTRIES).map(([spec, file]) => [spec, exportsOf(file)]));

describe('architecture: the front door and the rooms behind it', () => {
  it(`keeps the front door to at most ${ROOT_LIMIT} names, types included`, () => {
    const root = BY_ENTRY.get('carecast') ?? [];
    expect(root.length).toBeGreaterThan(20);
    expect(root.length).toBeLessThanOrEqual(ROOT_LIMIT);
    // what a newcomer needs is there
    const names = new Set(root.map((x) => x.name));
    for (const n of ['loadSeed', 'findSeries', 'loadDfePanel', 'forecast', 'projectSystem', 'projectCosts', 'backtest', 'projectionRecords', 'toCsv', 'renderReport', 'writeWorkbook', 'CarecastInputError', 'AnnualSeries', 'Projection']) {
      expect(names.has(n), n).toBe(true);
    }
  });

  it('documents every name at the front door with an @example', () => {
    const missing = (BY_ENTRY.get('carecast') ?? []).filter((x) => !x.symbol.getJsDocTags(checker).some((t) => t.name === 'example')).map((x) => `${x.name} (${x.home})`);
    expect(missing).toEqual([]);
  });

  it('exports each name from exactly one entry point', () => {
    const where = new Map<string, string[]>();
    for (const [spec, names] of BY_ENTRY) for (const x of names) where.set(x.name, [...(where.get(x.name) ?? []), spec]);
    const twice = [...where].filter(([, specs]) => specs.length > 1).map(([n, specs]) => `${n}: ${specs.join(', ')}`);
    expect(twice).toEqual([]);
  });

  it('gives every exported name of every module a home: an entry point, or the list of internal names', () => {
    const reachable = new Set<string>();
    for (const names of BY_ENTRY.values()) for (const x of names) reachable.add(`${x.home}#${x.name}`);
    // (the .browser.ts twins are judged against their modules in 'the browser bundle'; .d.ts files declare no module)
    const modules = FILES.filter((f) => !ENTRY_FILES.has(f) && layerOf(f) !== 'cli' && !WORKER_SCRIPTS.has(f) && !f.endsWith('.browser.ts') && !f.endsWith('.d.ts'));
    const homeless: string[] = [];
    const declared = new Set<string>();
    for (const m of modules) {
      for (const x of exportsOf(m)) {
        if (x.home !== m) continue; // a re-export; judged at its own module
        const key = `${m}#${x.name}`;
        declared.add(key);
        if (!reachable.has(key) && !(key in INTERNAL)) homeless.push(key);
      }
    }
    expect(homeless, 'export these from an entry point (src/index.ts or src/<layer>/index.ts), or list them in INTERNAL with the reason').toEqual([]);
    const stale = Object.keys(INTERNAL).filter((k) => !declared.has(k) || reachable.has(k));
    expect(stale, 'INTERNAL lists names that no longer exist or are now exported').toEqual([]);
  });

  it('lists every entry point in package.json "exports" and typedoc.json "entryPoints"', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string | { types: string; import: string }> };
    const typedoc = JSON.parse(readFileSync(join(ROOT, 'typedoc.json'), 'utf8')) as { entryPoints: string[] };
    for (const [spec, file] of Object.entries(ENTRIES)) {
      const key = spec === 'carecast' ? '.' : `./${spec.slice('carecast/'.length)}`;
      const js = `./dist/${file.replace(/\.ts$/, '.js')}`;
      expect(pkg.exports[key], key).toEqual({ types: js.replace(/\.js$/, '.d.ts'), import: js });
      expect(typedoc.entryPoints).toContain(`src/${file}`);
    }
    // carecast/browser: the bundle (scripts/browserBundle.mjs), with the entry's declarations
    expect(pkg.exports['./browser']).toEqual({ types: './dist/browser.d.ts', import: './dist/browser/carecast.js' });
    expect(typedoc.entryPoints).toContain(`src/${BROWSER_ENTRY}`);
    const subpaths = Object.keys(pkg.exports).filter((k) => k !== './package.json');
    expect(subpaths.length).toBe(Object.keys(ENTRIES).length + 1);
  });

  it("imports each name in the code of the README and the guides from the entry point that exports it", () => {
    const guides = readdirSync(join(ROOT, 'docs', 'guides')).filter((f) => f.endsWith('.md')).map((f) => `docs/guides/${f}`);
    expect(guides.length).toBeGreaterThan(5);
    const wrong: string[] = [];
    let count = 0;
    let inReadme = 0;
    for (const doc of ['README.md', ...guides]) {
      const text = readFileSync(join(ROOT, doc), 'utf8');
      for (const m of text.matchAll(/^import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'(carecast(?:\/[a-z]+)?)';/gm)) {
        const names = new Set((m[2] === 'carecast/browser' ? exportsOf(BROWSER_ENTRY) : (BY_ENTRY.get(m[2]) ?? [])).map((x) => x.name));
        for (const raw of m[1].split(',')) {
          const name = raw.trim().replace(/^type\s+/, '');
          if (name === '') continue;
          count++;
          if (doc === 'README.md') inReadme++;
          if (!names.has(name)) wrong.push(`${doc}: ${name} is not exported by '${m[2]}'`);
        }
      }
    }
    expect(inReadme).toBeGreaterThan(3);
    expect(count).toBeGreaterThan(60);
    expect(wrong).toEqual([]);
  });
});
