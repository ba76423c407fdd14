/**
 * `carecast/data`: the data contract and everything that reads data in,
 * beyond the loaders at the front door (`loadSeed`, `findSeries`,
 * `loadDfePanel`, `loadDfeEes`, `readTidyCsv`, `loadTidyCsv`,
 * `loadSsda903Folder`, `deriveAnnualDataset`): the zod schemas of series
 * and datasets, SSDA903 placement, provider and age codes, suppression
 * markers, the seed file format, the DfE EES and SFR readers, tidy CSV and
 * JSON, SSDA903 episodes and the synthetic episode generator.
 *
 * @example
 * ```ts
 * import { placementGroupOf, parseCount, AnnualSeriesSchema } from 'carecast/data';
 *
 * placementGroupOf('K2');                                          // { type: 'childrens_home', group: 'residential' }
 * parseCount('c', { source: 'cla.csv', row: 3, field: 'number' }); // { value: null, suppressed: { marker: 'c' } }
 * AnnualSeriesSchema.parse(series);
 * ```
 *
 * @module carecast/data
 */

// the contract: schemas, codes, suppression
export {
  AnnualPointSchema,
  AnnualSeriesSchema,
  AreaSchema,
  BreakdownSchema,
  DatasetSchema,
  MEASURES,
  ProvenanceSchema,
  QuarterlyPointSchema,
  QuarterlySeriesSchema,
  SeriesKindSchema,
  SeriesSchema,
  SuppressionSchema,
  type Area,
  type Breakdown,
  type Provenance,
  type QuarterlyPoint,
  type QuarterlySeries,
  type Series,
  type SeriesKind,
  type Suppression,
} from './schemas.js';
export * from './codes.js';
export * from './suppression.js';
export { yearValuesOf, type YearValue, type YearValues } from './yearValue.js';
export { breakdownKey, findQuarterlySeries } from './breakdown.js';
export * from './financialYear.js';

// seeds
export * from './seedFile.js';
export { parseSeed, seedFileToDataset, SEED_NAMES, type SeedName } from './seeds.js';
export { loadBundledData, SEEDS_DIR } from './seedFiles.js';

// DfE files: Explore Education Statistics (number-and-rate, time series, the long characteristics,
// starters and ceased files), the older SFR tables, and the panel of every LA
export {
  dfeEesDataset,
  dfeEesMeasureOf,
  listAreas,
  readDfeEes,
  type DfeEesMeasure,
  type DfeEesRow,
  type DfeEesTable,
} from './loaders/dfeEes.js';
export {
  DFE_CEASED_REASONS,
  dfeEesLongDataset,
  readDfeEesLong,
  type DfeEesLongGroup,
  type DfeEesLongMeasure,
  type DfeEesLongOptions,
  type DfeEesLongRow,
  type DfeEesLongTable,
} from './loaders/dfeEesLong.js';
export { describeArea, findArea, type SearchableArea } from './loaders/findArea.js';
export { jsonLines, nearestName, parseJsonWithSchema, schemaProblems, type JsonPath, type SchemaProblemOptions } from './loaders/jsonText.js';
export { loadJsonFile } from './loaders/jsonFile.js';
export { loadDfeEesLong, loadSfrFolder, readSfrFolder } from './loaders/dfeFiles.js';
export * from './loaders/sfr.js';
export {
  buildDfePanel,
  dfePanelDataset,
  dfePanelFrom,
  findPanelArea,
  LA_REORGANISATIONS,
  mergeAnnualSeries,
  panelSeries,
  type DfeCeasedBreakdowns,
  type DfeCeasedReasonGroup,
  type DfeGroupSeries,
  type DfePanelArea,
  type DfePanelBuildOptions,
  type DfePanelFiles,
  type DfePanelFolderOptions,
  type DfePanelOptions,
  type DfePanelSeries,
  type DfePanelSourceInfo,
  type DfePanelSources,
  type DfePlacementGroup,
  type DfeProviderCategory,
  type DfeProviderGroup,
  type DfeStartedBreakdowns,
  type DfeStockBreakdowns,
  type LaReorganisation,
  type MergeAnnualSeriesOptions,
} from './panel.js';

// the ONS 0-17 population: 2018-based projections (principal, low, high) and the mid-2024 estimate
export * from './ons/population.js';
export { dfeAreaPopulation, dfePanelPopulations, type MissingPopulation, type PanelPopulations, type SeriesPopulation } from './ons/panelPopulation.js';

// carecast's tidy long format (CSV and JSON)
export {
  areaLevelOfName,
  closestMatches,
  datasetToTidyRecords,
  ENGLISH_REGIONS,
  formatBreakdown,
  formatPeriod,
  normaliseName,
  readCsvRows,
  readTidyJson,
  TIDY_COLUMNS,
  tidyCsvReader,
  tidyRecordsToCsv,
  writeTidyJson,
  type CsvRow,
  type EnglishRegion,
  type SeriesUnit,
  type TidyCsvReader,
  type TidyReadOptions,
  type TidyRecord,
} from './loaders/tidy.js';
export { loadTidyJson, type TidyLoadOptions } from './loaders/tidyFiles.js';
export { loadText } from './loaders/textFile.js';
export { blobText, decodeText, type TextInput } from './loaders/textInput.js';

// SSDA903 returns and episodes
export { ageOn, birthdayDay, birthdayTable, completedYears, dayOf, dayToIso, dobRangeForAge, financialYearOf, marchEnd, parseSsda903Date } from './calendar.js';
export {
  formatEpisodeFix,
  readSsda903,
  summariseEpisodeFixes,
  type Episode,
  type EpisodeFix,
  type EpisodeFixKind,
  type OpenEpisodeRule,
  type Ssda903Child,
  type Ssda903Data,
  type Ssda903Options,
  type Ssda903ReturnInfo,
  type Ssda903ReturnText,
} from './loaders/ssda903.js';
export {
  groupSsda903Files,
  readSsda903Files,
  ssda903Returns,
  type Ssda903FileGroup,
  type Ssda903FileGrouping,
  type Ssda903FileInput,
  type Ssda903FileKind,
} from './loaders/ssda903Files.js';
export {
  formatQualityReport,
  qualityRecords,
  REPAIR_GROUPS,
  REPAIR_KINDS,
  ssda903QualityReport,
  type QualityRecord,
  type RepairGroup,
  type RepairKindSummary,
  type Ssda903QualityReport,
} from './ssda903Quality.js';
export {
  ageBandOn,
  ceasedReasonOf,
  CEASED_REASONS,
  childrenInCareOn,
  isUascOn,
  periodsOfCare,
  type CeasedReason,
  type ChildInCare,
  type DeriveOptions,
  type DerivedAggregates,
  type PeriodOfCare,
} from './episodes.js';
export * from './syntheticEpisodes.js';
