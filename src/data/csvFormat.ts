/**
 * Writing CSV text safely: RFC 4180 (CRLF line ends, quoting where needed)
 * with spreadsheet formula injection neutralised, reversibly.
 *
 * @module
 */

/** A value a CSV cell can hold. */
export type CsvValue = string | number | boolean | null | undefined;

/** Text that is a plain number (e.g. `-5`, `1.5e3`) and so is never neutralised. */
const PLAIN_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Neutralise text a spreadsheet would run as a formula: text starting with
 * `=`, `+`, `-`, `@`, a tab or carriage return gets a leading apostrophe.
 * Text already starting with an apostrophe gets one more, so that
 * {@link restoreCsvText} undoes this exactly. Plain numbers are left alone.
 *
 * @param text - the cell text
 * @returns the safe text
 * @example
 * ```ts
 * neutraliseCsvText('=HYPERLINK("x")'); // "'=HYPERLINK(\"x\")"
 * neutraliseCsvText('-5'); // '-5'
 * ```
 */
export function neutraliseCsvText(text: string): string {
  if (PLAIN_NUMBER.test(text)) return text;
  return /^[=+\-@\t\r']/.test(text) ? `'${text}` : text;
}

/**
 * Undo {@link neutraliseCsvText} on text read back from a CSV file.
 *
 * @param text - the cell text as read
 * @returns the original text
 * @example
 * ```ts
 * restoreCsvText("'=SUM(A1)"); // '=SUM(A1)'
 * ```
 */
export function restoreCsvText(text: string): string {
  return /^'[=+\-@\t\r']/.test(text) ? text.slice(1) : text;
}

/**
 * Format one CSV cell: numbers as plain numbers (non-finite as empty),
 * null/undefined as empty, text neutralised ({@link neutraliseCsvText}) and
 * quoted when it holds a comma, quote or line break.
 *
 * @param v - the value
 * @returns the cell text
 * @example
 * ```ts
 * csvCell('=SUM(A1)'); // "'=SUM(A1)"
 * csvCell(-5); // '-5'
 * csvCell('Bristol, City of'); // '"Bristol, City of"'
 * ```
 */
export function csvCell(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = neutraliseCsvText(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Rows of records to CSV text with a header line (RFC 4180, CRLF line ends);
 * columns default to the keys of the rows in order of first appearance.
 *
 * @param rows - the records (objects whose values are text, numbers, booleans or null)
 * @param columns - column order (optional)
 * @returns CSV text ending with a line break
 * @example
 * ```ts
 * toCsv([{ year: 2024, value: 1057 }]); // 'year,value\r\n2024,1057\r\n'
 * ```
 */
export function toCsv<T extends object>(rows: readonly T[], columns?: readonly string[]): string {
  const cols = columns ? [...columns] : [];
  if (!columns) for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  const lines = [cols.map(csvCell).join(',')];
  for (const r of rows) {
    const rec = r as Readonly<Record<string, CsvValue>>;
    lines.push(cols.map((c) => csvCell(rec[c])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
