/**
 * Data loaders: DfE Explore Education Statistics files (number-and-rate,
 * time series, and the long characteristics, starters and leavers files),
 * the older DfE SFR local authority tables, and carecast's tidy long format (CSV and JSON).
 * Everything is validated at the boundary; bad input raises one
 * `CarecastInputError` listing every problem.
 *
 * @module
 */
export {
  readDfeEes,
  listAreas,
  dfeEesDataset,
  dfeEesMeasureOf,
  type DfeEesTable,
  type DfeEesRow,
  type DfeEesMeasure,
} from './dfeEes.js';
export {
  readDfeEesLong,
  dfeEesLongDataset,
  DFE_CEASED_REASONS,
  type DfeEesLongTable,
  type DfeEesLongRow,
  type DfeEesLongGroup,
  type DfeEesLongMeasure,
  type DfeEesLongOptions,
} from './dfeEesLong.js';
export { findArea, describeArea, type SearchableArea } from './findArea.js';
export { loadDfeEes, loadDfeEesLong, loadSfrFolder, readSfrFolder } from './dfeFiles.js';
export {
  readSfrFiles,
  listSfrAreas,
  sfrDataset,
  sfrAllAreas,
  SFR_FILE_PATTERN,
  type SfrFile,
  type SfrFileInfo,
  type SfrPanel,
  type SfrRow,
} from './sfr.js';
export {
  datasetToTidyRecords,
  tidyRecordsToCsv,
  readTidyCsv,
  loadTidyCsv,
  readTidyJson,
  writeTidyJson,
  loadTidyJson,
  loadText,
  readCsvRows,
  closestMatches,
  normaliseName,
  areaLevelOfName,
  formatBreakdown,
  formatPeriod,
  ENGLISH_REGIONS,
  TIDY_COLUMNS,
  type TidyRecord,
  type TidyReadOptions,
  type SeriesUnit,
  type CsvRow,
  type EnglishRegion,
} from './tidy.js';
export {
  parseCount,
  parseSuppressionMarker,
  SUPPRESSION_MARKERS,
  type CellContext,
  type ParseCountOptions,
  type ParsedCount,
} from '../suppression.js';
