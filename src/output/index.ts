/**
 * `carecast/output`: the pieces behind the outputs at the front door
 * (`projectionRecords`, `toCsv`, `formatProjectionTable`, the chart specs,
 * `renderSvg`, `renderReport`, `writeWorkbook`): chart rows and options,
 * the main job's system table (`formatSystemTable`, its typed rows
 * `missionTable`, the path-by-path % change `systemChange`), the sheets of
 * a system or single-series projection's workbook (`systemWorkbook`,
 * `projectionWorkbook`), the report's provenance rows and HTML escaping,
 * building an exceljs workbook in memory, the sheets of a costs workbook
 * (`costWorkbook`), aligned text tables, and the CSV cell rules (RFC 4180,
 * formula injection neutralised, reversibly).
 *
 * @example
 * ```ts
 * import { mixChartRows, buildWorkbook, csvCell } from 'carecast/output';
 *
 * mixChartRows(system, 'placement');           // the rows the mix chart plots
 * csvCell('=SUM(A1)');                          // "'=SUM(A1)": not a formula in a spreadsheet
 * const wb = await buildWorkbook(tables, []);   // an exceljs Workbook, e.g. to stream
 * ```
 *
 * @module carecast/output
 */
export { alignTable } from './table.js';
export { formatCostTable, formatSufficiencyTable, wrapText, type TerminalTableOptions } from './costTable.js';
export {
  formatMissionTable,
  formatSystemTable,
  MISSION_COMPONENTS,
  missionCells,
  missionHeader,
  missionNotes,
  missionTable,
  systemChange,
  type MissionRow,
  type MissionTable,
  type PublishedChange,
  type SystemChange,
  type SystemComponent,
  type SystemTableOptions,
} from './systemTable.js';
export { CHANGE_FORMAT, missionSheetRows, SHARE_FORMAT, systemWorkbook, type MissionSheetRow, type SystemWorkbook, type SystemWorkbookInput } from './systemWorkbook.js';
export { formatGroupDifferences, GROUP_DIFFERENCE_HEADER, groupDifferenceCells, groupDifferenceRows, type GroupDifferenceRow } from './groupDifference.js';
export { projectionWorkbook, type ProjectionWorkbook, type ProjectionWorkbookInput } from './projectionWorkbook.js';
export type { FanChartInput, FanChartOptions } from './fanChart.js';
export { mixChartRows, type CostChartOptions, type CostChartRow, type MixChartOptions, type MixChartRow } from './mixChart.js';
export { escapeHtml, type ReportProvenance } from './report.js';
export { ASSUMPTIONS_SHEET, buildWorkbook, CAVEATS_SHEET, COUNT_FORMAT, CURRENCY_FORMAT, workbookBytes, type CellValue, type WorkbookAssumption, type WorkbookOptions, type WorkbookTable } from './excel.js';
export {
  comparisonTableRows,
  costTableRows,
  costWorkbook,
  differenceRows,
  type ComparisonTableRow,
  type CostTableRow,
  type CostWorkbook,
  type CostWorkbookInput,
  type DifferenceRow,
  type PriceColumns,
} from './costWorkbook.js';
export { csvCell, neutraliseCsvText, restoreCsvText, type CsvValue } from '../data/csvFormat.js';
