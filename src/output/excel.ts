/**
 * Excel workbooks for finance teams (exceljs): one sheet per table, an
 * assumptions sheet and a caveats sheet. Numbers stay numbers and every
 * number carries a format (money `£#,##0`, counts `#,##0`, years `0`);
 * columns are as wide as what they show; text is written as text cells,
 * which a spreadsheet never runs as a formula.
 *
 * @module
 */
// exceljs (~200 ms to load) is imported when a workbook is built, not with carecast
import type ExcelJS from 'exceljs';
import { CarecastInputError, type InputProblem } from '../data/errors.js';

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
  /**
   * Columns holding money, formatted `£#,##0`. With {@link WorkbookTable.unitColumn},
   * only in the rows whose unit is money (`gbp`); in the others they are counts (`#,##0`).
   */
  readonly currencyColumns?: readonly string[];
  /** A column giving each row's unit (`gbp` for money, e.g. `children` otherwise), for tables that mix money and counts. */
  readonly unitColumn?: string;
  /** Number formats by column (Excel format codes), over the defaults. */
  readonly numberFormats?: Readonly<Record<string, string>>;
  /** Lines written above the table (a title, the price basis), each in its own row. */
  readonly notes?: readonly string[];
}

/** One assumption row of the assumptions sheet. */
export interface WorkbookAssumption {
  /** What is assumed. */
  readonly item: string;
  /** The value (numbers are written as numbers). */
  readonly value: string | number;
  /** Unit, if any (a number's format follows it: `GBP...` money, `per year` and `share` percentages). */
  readonly unit?: string;
  /** Source or how it is used. */
  readonly note?: string;
  /** The value's number format (Excel format code), over the one its unit gives. */
  readonly format?: string;
}

/** Options of {@link buildWorkbook} and {@link writeWorkbook}. */
export interface WorkbookOptions {
  /** The caveats, one per row of the caveats sheet (none: the sheet says so). */
  readonly caveats?: readonly string[];
}

/** The currency format of money columns. */
export const CURRENCY_FORMAT = '£#,##0';
/** The format of counts (children, places) and other whole numbers. */
export const COUNT_FORMAT = '#,##0';
/** The name of the assumptions sheet. */
export const ASSUMPTIONS_SHEET = 'Assumptions';
/** The name of the caveats sheet. */
export const CAVEATS_SHEET = 'Caveats';

const YEAR_FORMAT = '0';
const DECIMAL_FORMAT = '#,##0.00';
/** Text columns are at most this wide; longer text wraps. */
const MAX_TEXT_WIDTH = 80;
/** A header longer than this wraps, when the column's values are narrower. */
const MAX_HEADER_WIDTH = 24;

function columnsOf(t: WorkbookTable): string[] {
  if (t.columns) return [...t.columns];
  const cols: string[] = [];
  for (const r of t.rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  return cols;
}

/** A cell's value as written: text as text (never a formula), non-finite numbers empty. */
function cellOf(v: CellValue): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v;
  return String(v);
}

function checkTables(tables: readonly WorkbookTable[]): void {
  const problems: InputProblem[] = [];
  const reserved = [ASSUMPTIONS_SHEET, CAVEATS_SHEET];
  const seen = new Set<string>(reserved.map((s) => s.toLowerCase()));
  tables.forEach((t, i) => {
    const field = `tables[${i}].name`;
    if (typeof t.name !== 'string' || t.name.length === 0 || t.name.length > 31 || /[[\]:*?/\\]/.test(t.name) || /^'|'$/.test(t.name)) {
      problems.push({ source: 'workbook', field, message: `sheet name "${String(t.name)}" is not allowed in Excel`, fix: 'use 1-31 characters without [ ] : * ? / \\ and not starting or ending with an apostrophe' });
    } else if (seen.has(t.name.toLowerCase())) {
      problems.push({ source: 'workbook', field, message: `sheet name "${t.name}" is used twice (names are case-insensitive; "${reserved.join('" and "')}" are reserved)`, fix: 'give every table its own name' });
    }
    seen.add(String(t.name).toLowerCase());
    const cols = columnsOf(t);
    for (const c of t.currencyColumns ?? []) {
      if (!cols.includes(c)) problems.push({ source: 'workbook', field: `tables[${i}].currencyColumns`, message: `"${c}" is not a column of "${t.name}"`, fix: `use one of ${cols.join(', ')}` });
    }
    for (const c of Object.keys(t.numberFormats ?? {})) {
      if (!cols.includes(c)) problems.push({ source: 'workbook', field: `tables[${i}].numberFormats`, message: `"${c}" is not a column of "${t.name}"`, fix: `use one of ${cols.join(', ')}` });
    }
    if (t.unitColumn !== undefined && !cols.includes(t.unitColumn)) {
      problems.push({ source: 'workbook', field: `tables[${i}].unitColumn`, message: `"${t.unitColumn}" is not a column of "${t.name}"`, fix: `use one of ${cols.join(', ')}` });
    }
  });
  if (problems.length > 0) throw new CarecastInputError(problems);
}

/** Whether a unit names money (`gbp`, `GBP per week`, `£`). */
function isMoney(unit: unknown): boolean {
  return typeof unit === 'string' && /^\s*(gbp|£)/i.test(unit);
}

/**
 * A number as Excel shows it in one of carecast's formats (`£#,##0`,
 * `#,##0.00`, `0`, `0.0%`, ...), to size columns; other formats as `String`.
 */
function shown(v: number, format: string): string {
  const m = /^(£?)(#,##0|0)(?:\.(0+))?(%?)$/.exec(format);
  if (!m) return String(v);
  const x = m[4] === '%' ? v * 100 : v;
  const digits = m[3]?.length ?? 0;
  const body = Math.abs(x).toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: m[2] === '#,##0' });
  const negative = x < 0 && /[1-9]/.test(body);
  return `${negative ? '-' : ''}${m[1]}${body}${m[4]}`;
}

/** The format of a number column with no format given: years `0`, whole numbers `#,##0`, others `#,##0.00`. */
function defaultFormat(column: string, values: readonly number[]): string {
  if (/(^|[_ ])year$/i.test(column) && values.every((v) => Number.isInteger(v))) return YEAR_FORMAT;
  return values.every((v) => Number.isInteger(v)) ? COUNT_FORMAT : DECIMAL_FORMAT;
}

/** The format of an assumption's value from its unit. */
function assumptionFormat(a: WorkbookAssumption): string | undefined {
  if (a.format) return a.format;
  if (typeof a.value !== 'number') return undefined;
  const unit = a.unit ?? '';
  if (isMoney(unit)) return Number.isInteger(a.value) ? CURRENCY_FORMAT : '£#,##0.00';
  if (/per year|share|fraction|rate/i.test(unit)) return '0.0%';
  if (/^(year|price year)$/i.test(unit)) return YEAR_FORMAT;
  return Number.isInteger(a.value) ? COUNT_FORMAT : '#,##0.00';
}

interface SheetSpec {
  readonly name: string;
  readonly columns: readonly string[];
  readonly rows: readonly object[];
  /** The format of a number cell. */
  readonly formatOf: (column: string, row: Readonly<Record<string, CellValue>>) => string;
  readonly notes?: readonly string[];
}

function addSheet(wb: ExcelJS.Workbook, spec: SheetSpec): void {
  const notes = spec.notes ?? [];
  const headerRow = notes.length > 0 ? notes.length + 2 : 1;
  const ws = wb.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: headerRow }] });
  notes.forEach((n, i) => {
    const c = ws.getCell(i + 1, 1);
    c.value = n;
    if (i === 0) c.font = { bold: true };
  });
  const header = ws.getRow(headerRow);
  spec.columns.forEach((c, j) => {
    header.getCell(j + 1).value = c;
  });
  header.font = { bold: true };
  const widths = spec.columns.map(() => 0);
  const headerWidths = spec.columns.map((c) => c.length);
  const wrap = spec.columns.map(() => false);
  spec.rows.forEach((r, i) => {
    const rec = r as Readonly<Record<string, CellValue>>;
    const row = ws.getRow(headerRow + 1 + i);
    spec.columns.forEach((c, j) => {
      const v = cellOf(rec[c]);
      if (v === null) return;
      const cell = row.getCell(j + 1);
      cell.value = v;
      let text: string;
      if (typeof v === 'number') {
        const fmt = spec.formatOf(c, rec);
        cell.numFmt = fmt;
        text = shown(v, fmt);
      } else {
        text = String(v);
        if (text.length > MAX_TEXT_WIDTH) {
          cell.alignment = { wrapText: true, vertical: 'top' };
          wrap[j] = true;
        }
      }
      widths[j] = Math.max(widths[j], Math.min(MAX_TEXT_WIDTH, text.length));
    });
  });
  spec.columns.forEach((_, j) => {
    const values = widths[j];
    // a long header wraps over narrower values rather than widening the column
    const head = headerWidths[j] > MAX_HEADER_WIDTH && values < headerWidths[j] ? Math.max(values, MAX_HEADER_WIDTH) : headerWidths[j];
    if (head < headerWidths[j]) header.getCell(j + 1).alignment = { wrapText: true, vertical: 'bottom' };
    ws.getColumn(j + 1).width = Math.max(values, head, wrap[j] ? MAX_TEXT_WIDTH : 0) + 2;
  });
}

function tableSheet(t: WorkbookTable): SheetSpec {
  const columns = columnsOf(t);
  const currency = new Set(t.currencyColumns ?? []);
  const defaults = new Map<string, string>();
  for (const c of columns) {
    const values = t.rows.map((r) => (r as Readonly<Record<string, CellValue>>)[c]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    defaults.set(c, defaultFormat(c, values));
  }
  return {
    name: t.name,
    columns,
    rows: t.rows,
    notes: t.notes,
    formatOf: (c, row) => {
      const given = t.numberFormats?.[c];
      if (given) return given;
      if (currency.has(c)) return t.unitColumn === undefined || isMoney(row[t.unitColumn]) ? CURRENCY_FORMAT : COUNT_FORMAT;
      return defaults.get(c) ?? DECIMAL_FORMAT;
    },
  };
}

/**
 * Build the workbook in memory: one sheet per table, in order, then the
 * assumptions sheet (item, value, unit, note) and the caveats sheet. Every
 * number gets a format: the table's own (`numberFormats`), money
 * (`currencyColumns`: `£#,##0`, only in money rows when the table has a
 * `unitColumn`), or by default `0` for year columns, `#,##0` for whole
 * numbers and `#,##0.00` otherwise; an assumption's value follows its unit.
 * Columns are sized to what they show; text is written as text cells (a
 * name starting with `=`, `+`, `-` or `@` stays as it is, and no spreadsheet
 * runs it as a formula). The tables are checked first; `exceljs` is loaded
 * only then, on the first workbook.
 *
 * @param tables - the tables
 * @param assumptions - the assumptions
 * @param options - the caveats
 * @returns a promise of the exceljs workbook
 * @throws CarecastInputError (as a rejection) for a sheet name Excel does
 *   not allow, a name used twice (or `Assumptions`, `Caveats`), or a
 *   currency, format or unit column that is not a column
 * @example
 * ```ts
 * const wb = await buildWorkbook([{ name: 'Costs', rows: costRecords(c), currencyColumns: ['mean', 'p10', 'p50', 'p90'], unitColumn: 'unit' }], c.assumptions, { caveats });
 * await wb.xlsx.write(stream);
 * ```
 */
export async function buildWorkbook(tables: readonly WorkbookTable[], assumptions: readonly WorkbookAssumption[], options: WorkbookOptions = {}): Promise<ExcelJS.Workbook> {
  checkTables(tables);
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  wb.creator = 'carecast';
  wb.created = new Date(0);
  wb.modified = new Date(0);
  for (const t of tables) addSheet(wb, tableSheet(t));
  addSheet(wb, {
    name: ASSUMPTIONS_SHEET,
    columns: ['item', 'value', 'unit', 'note'],
    rows: assumptions,
    formatOf: (_, row) => assumptionFormat(row as unknown as WorkbookAssumption) ?? DECIMAL_FORMAT,
  });
  const caveats = options.caveats ?? [];
  addSheet(wb, {
    name: CAVEATS_SHEET,
    columns: ['number', 'caveat'],
    rows: caveats.length > 0 ? caveats.map((c, i) => ({ number: i + 1, caveat: c })) : [{ number: null, caveat: 'No caveats were recorded with these results.' }],
    formatOf: () => COUNT_FORMAT,
  });
  return wb;
}

/**
/**
 * An Excel workbook (`.xlsx`) as bytes, for a download in a browser or to
 * send anywhere: the same workbook as {@link writeWorkbook} writes (one
 * sheet per table, an assumptions sheet and a caveats sheet; see
 * {@link buildWorkbook} for the formats).
 *
 * @param tables - the tables, one sheet each
 * @param assumptions - rows of the assumptions sheet
 * @param options - the caveats
 * @returns a promise of the file's bytes
 * @throws CarecastInputError (as a rejection) for bad sheet names or columns
 * @example
 * ```ts
 * const book = costWorkbook({ results: [base, ...scenarios] });
 * const bytes = await workbookBytes(book.tables, book.assumptions, { caveats: book.caveats });
 * const url = URL.createObjectURL(new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
 * ```
 */
export async function workbookBytes(tables: readonly WorkbookTable[], assumptions: readonly WorkbookAssumption[], options: WorkbookOptions = {}): Promise<Uint8Array> {
  const buf: unknown = await (await buildWorkbook(tables, assumptions, options)).xlsx.writeBuffer();
  if (ArrayBuffer.isView(buf)) return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  return new Uint8Array(buf as ArrayBuffer);
}

/**
 * Write an Excel workbook (`.xlsx`): one sheet per table, an assumptions
 * sheet and a caveats sheet (see {@link buildWorkbook} for the formats).
 *
 * @param tables - the tables, one sheet each
 * @param assumptions - rows of the assumptions sheet
 * @param path - the file to write
 * @param options - the caveats
 * @returns a promise that resolves when the file is written
 * @throws CarecastInputError for bad sheet names or columns; the file
 *   system's error if the file cannot be written
 * @example
 * ```ts
 * await writeWorkbook([{ name: 'Costs', rows: costRecords(c), currencyColumns: ['mean', 'p10', 'p50', 'p90'], unitColumn: 'unit' }], c.assumptions, 'out/costs.xlsx');
 * ```
 */
export async function writeWorkbook(tables: readonly WorkbookTable[], assumptions: readonly WorkbookAssumption[], path: string, options: WorkbookOptions = {}): Promise<void> {
  await (await buildWorkbook(tables, assumptions, options)).xlsx.writeFile(path);
}
