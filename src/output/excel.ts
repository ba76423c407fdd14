/**
 * Excel workbooks for finance teams (exceljs): one sheet per table and an
 * assumptions sheet; numbers stay numbers, currency columns are formatted
 * in pounds, and text that a spreadsheet would run as a formula is
 * neutralised.
 *
 * @module
 */
// exceljs (~200 ms to load) is imported when a workbook is built, not with carecast
import type ExcelJS from 'exceljs';
import { CarecastInputError, type InputProblem } from '../data/errors.js';
import { neutraliseCsvText } from '../data/csvFormat.js';

/** A value a workbook cell can hold. */
export type CellValue = string | number | boolean | null | undefined;

/** One table, written to its own sheet. */
export interface WorkbookTable {
  /** The sheet name (at most 31 characters, none of `[ ] : * ? / \`, unique). */
  readonly name: string;
  /** The rows: objects whose values are text, numbers, booleans or null. */
  readonly rows: readonly object[];
  /** Column order (default: the rows' keys in order of first appearance). */
  readonly columns?: readonly string[];
  /** Columns holding money, formatted `£#,##0`. */
  readonly currencyColumns?: readonly string[];
}

/** One assumption row of the assumptions sheet. */
export interface WorkbookAssumption {
  /** What is assumed. */
  readonly item: string;
  /** The value (numbers are written as numbers). */
  readonly value: string | number;
  /** Unit, if any. */
  readonly unit?: string;
  /** Source or how it is used. */
  readonly note?: string;
}

/** The currency format of money columns. */
export const CURRENCY_FORMAT = '£#,##0';
/** The name of the assumptions sheet. */
export const ASSUMPTIONS_SHEET = 'Assumptions';

function columnsOf(t: WorkbookTable): string[] {
  if (t.columns) return [...t.columns];
  const cols: string[] = [];
  for (const r of t.rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  return cols;
}

/** A cell's value as written: text neutralised, non-finite numbers empty. */
function cellOf(v: CellValue): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v;
  return neutraliseCsvText(String(v));
}

function checkTables(tables: readonly WorkbookTable[]): void {
  const problems: InputProblem[] = [];
  const seen = new Set<string>([ASSUMPTIONS_SHEET.toLowerCase()]);
  tables.forEach((t, i) => {
    const field = `tables[${i}].name`;
    if (typeof t.name !== 'string' || t.name.length === 0 || t.name.length > 31 || /[[\]:*?/\\]/.test(t.name) || /^'|'$/.test(t.name)) {
      problems.push({ source: 'workbook', field, message: `sheet name "${String(t.name)}" is not allowed in Excel`, fix: 'use 1-31 characters without [ ] : * ? / \\ and not starting or ending with an apostrophe' });
    } else if (seen.has(t.name.toLowerCase())) {
      problems.push({ source: 'workbook', field, message: `sheet name "${t.name}" is used twice (names are case-insensitive; "${ASSUMPTIONS_SHEET}" is reserved)`, fix: 'give every table its own name' });
    }
    seen.add(String(t.name).toLowerCase());
    const cols = columnsOf(t);
    for (const c of t.currencyColumns ?? []) {
      if (!cols.includes(c)) problems.push({ source: 'workbook', field: `tables[${i}].currencyColumns`, message: `"${c}" is not a column of "${t.name}"`, fix: `use one of ${cols.join(', ')}` });
    }
  });
  if (problems.length > 0) throw new CarecastInputError(problems);
}

function addSheet(wb: ExcelJS.Workbook, name: string, cols: readonly string[], rows: readonly object[], currency: ReadonlySet<string>): void {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = cols.map((c) => ({ header: neutraliseCsvText(c), key: c, width: Math.min(60, Math.max(10, c.length + 2)) }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) {
    const rec = r as Readonly<Record<string, CellValue>>;
    ws.addRow(cols.map((c) => cellOf(rec[c])));
  }
  cols.forEach((c, i) => {
    if (currency.has(c)) ws.getColumn(i + 1).numFmt = CURRENCY_FORMAT;
  });
}

/**
 * Build the workbook in memory: one sheet per table, in order, then the
 * assumptions sheet (item, value, unit, note). The tables are checked
 * first; `exceljs` is loaded only then, on the first workbook.
 *
 * @param tables - the tables
 * @param assumptions - the assumptions
 * @returns a promise of the exceljs workbook
 * @throws CarecastInputError (as a rejection) for a sheet name Excel does
 *   not allow, a name used twice, or a currency column that is not a column
 * @example
 * ```ts
 * const wb = await buildWorkbook([{ name: 'Costs', rows: costRecords(c), currencyColumns: ['p10', 'p50', 'p90'] }], c.assumptions);
 * await wb.xlsx.write(stream);
 * ```
 */
export async function buildWorkbook(tables: readonly WorkbookTable[], assumptions: readonly WorkbookAssumption[]): Promise<ExcelJS.Workbook> {
  checkTables(tables);
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  wb.creator = 'carecast';
  wb.created = new Date(0);
  wb.modified = new Date(0);
  for (const t of tables) addSheet(wb, t.name, columnsOf(t), t.rows, new Set(t.currencyColumns ?? []));
  addSheet(wb, ASSUMPTIONS_SHEET, ['item', 'value', 'unit', 'note'], assumptions, new Set());
  return wb;
}

/**
 * An Excel workbook (`.xlsx`) as bytes, for a download in a browser or to
 * send anywhere: the same workbook as {@link writeWorkbook} writes (one
 * sheet per table and an assumptions sheet, numbers as numbers, money in
 * `£#,##0`, formula-like text neutralised).
 *
 * @param tables - the tables, one sheet each
 * @param assumptions - rows of the assumptions sheet
 * @returns a promise of the file's bytes
 * @throws CarecastInputError (as a rejection) for bad sheet names or currency columns
 * @example
 * ```ts
 * const bytes = await workbookBytes([{ name: 'Costs', rows: costRecords(c), currencyColumns: ['mean', 'p10', 'p50', 'p90'] }], c.assumptions);
 * const url = URL.createObjectURL(new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
 * ```
 */
export async function workbookBytes(tables: readonly WorkbookTable[], assumptions: readonly WorkbookAssumption[]): Promise<Uint8Array> {
  const buf: unknown = await (await buildWorkbook(tables, assumptions)).xlsx.writeBuffer();
  if (ArrayBuffer.isView(buf)) return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  return new Uint8Array(buf as ArrayBuffer);
}

/**
 * Write an Excel workbook (`.xlsx`): one sheet per table and an
 * assumptions sheet. Numbers are written as numbers, money columns in
 * `£#,##0`, and text starting with `=`, `+`, `-`, `@` (or a tab or carriage
 * return) gets a leading apostrophe so no spreadsheet runs it as a formula.
 *
 * @param tables - the tables, one sheet each
 * @param assumptions - rows of the assumptions sheet
 * @param path - the file to write
 * @returns a promise that resolves when the file is written
 * @throws CarecastInputError for bad sheet names or currency columns; the
 *   file system's error if the file cannot be written
 * @example
 * ```ts
 * await writeWorkbook([{ name: 'Costs', rows: costRecords(c), currencyColumns: ['mean', 'p10', 'p50', 'p90'] }], c.assumptions, 'out/costs.xlsx');
 * ```
 */
export async function writeWorkbook(tables: readonly WorkbookTable[], assumptions: readonly WorkbookAssumption[], path: string): Promise<void> {
  await (await buildWorkbook(tables, assumptions)).xlsx.writeFile(path);
}
