/**
 * Writing CSV text safely (RFC 4180 quoting, spreadsheet formula injection
 * neutralised).
 *
 * @module
 */

/** A value a CSV cell can hold. */
export type CsvValue = string | number | boolean | null | undefined;

/**
 * Format one CSV cell: numbers as plain numbers, null/undefined as empty,
 * text quoted when it holds a comma, quote or line break. Text that a
 * spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab
 * or carriage return) gets a leading apostrophe; numbers never do.
 *
 * @param v - the value
 * @returns the cell text
 * @example
 * ```ts
 * csvCell('=SUM(A1)'); // "'=SUM(A1)"
 * csvCell(-5); // '-5'
 * ```
 */
export function csvCell(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Rows of records to CSV text with a header line; columns default to the
 * keys of the first row (in order), then any new keys of later rows.
 *
 * @param rows - the records
 * @param columns - column order (optional)
 * @returns CSV text ending with a newline
 * @example
 * ```ts
 * toCsv([{ year: 2024, value: 1057 }]); // 'year,value\n2024,1057\n'
 * ```
 */
export function toCsv(rows: readonly Readonly<Record<string, CsvValue>>[], columns?: readonly string[]): string {
  const cols = columns ? [...columns] : [];
  if (!columns) for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  const lines = [cols.map(csvCell).join(',')];
  for (const r of rows) lines.push(cols.map((c) => csvCell(r[c])).join(','));
  return `${lines.join('\n')}\n`;
}
