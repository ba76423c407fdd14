/**
 * Plain-text tables for the terminal.
 *
 * @module
 */
import type { Projection } from '../project/forecast.js';

function fmt(v: number | null | undefined, digits = 0): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '';
  return v.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/**
 * Lay out rows of text cells as an aligned table (first column left, others
 * right-aligned).
 *
 * @param header - column titles
 * @param rows - the cells
 * @returns the table text, one line per row
 * @example
 * ```ts
 * alignTable(['year', 'n'], [['2024', '1,057']]);
 * ```
 */
export function alignTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * A projection as a terminal table: year, observed value, point forecast and
 * each band as `low-high` (whole children), plus the flat band if any, and
 * the actual values of projected years when known (a projection made from
 * data cut at an earlier year), so the forecast can be checked against them.
 *
 * @param p - the projection
 * @param options - `historyYears`: how many observed years to show (default
 *   all); `actuals`: observed values for projected years (held out)
 * @returns the table text
 * @example
 * ```ts
 * console.log(formatProjectionTable(forecast(series, { to: 2030 })));
 * ```
 */
export function formatProjectionTable(
  p: Projection,
  options: { historyYears?: number; actuals?: readonly { year: number; value: number | null }[] } = {},
): string {
  const header = ['year', 'observed', 'point', ...p.intervals.map((iv) => `${iv.level}% band`)];
  if (p.flatBand) header.push(`\u00b1${fmt(p.flatBand.fraction * 100, 0)}% flat`);
  const actual = new Map((options.actuals ?? []).map((a) => [a.year, a.value]));
  const showActual = p.years.some((y) => actual.get(y) !== undefined && actual.get(y) !== null);
  if (showActual) header.push('held-out actual');
  const hist = options.historyYears === undefined ? p.history : p.history.slice(-options.historyYears);
  const rows: string[][] = hist.map((h) => [String(h.year), h.value === null ? `(${fmt(h.used)})` : fmt(h.value)]);
  p.years.forEach((year, i) => {
    const r = [String(year), '', fmt(p.point[i]), ...p.intervals.map((iv) => `${fmt(iv.lower[i])}-${fmt(iv.upper[i])}`)];
    if (p.flatBand) r.push(`${fmt(p.flatBand.lower[i])}-${fmt(p.flatBand.upper[i])}`);
    if (showActual) r.push(fmt(actual.get(year)));
    rows.push(r);
  });
  return alignTable(header, rows);
}
