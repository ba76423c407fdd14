/**
 * Tidy records: every result as flat rows with stable column names, ready
 * for CSV, spreadsheets, DataFrames and plotting grammars.
 *
 * @module
 */
import type { Projection } from '../project/forecast.js';

/**
 * One row of a projection: an observed year (`type: 'observed'`, `value`
 * set, bounds null) or a projected year (`type: 'forecast'`, `point` and
 * `lo_<level>` / `hi_<level>` set). `flat_lo` / `flat_hi` hold the flat band
 * when one was asked for; `summary` the projection's one-line summary.
 *
 * @example
 * ```ts
 * const rows: ProjectionRecord[] = projectionRecords(forecast(series, { to: 2030 }));
 * rows.at(-1);   // { area, measure, year: 2030, type: 'forecast', method, value: null, point, lo_80, hi_80, lo_95, hi_95 }
 * toCsv(rows);
 * ```
 */
export type ProjectionRecord = {
  /** Area name. */
  area: string;
  /** Measure name. */
  measure: string;
  /** Year (31 March). */
  year: number;
  /** Observed or forecast. */
  type: 'observed' | 'forecast';
  /** Method used for the forecast. */
  method: string;
  /** The observed value (observed rows; null for a missing year). */
  value: number | null;
  /** The point forecast (forecast rows). */
  point: number | null;
  /** Lower end of the flat band, when one was asked for. */
  flat_lo?: number | null;
  /** Upper end of the flat band, when one was asked for. */
  flat_hi?: number | null;
  /** The projection's one-line summary (method, evidence, band basis), the same on every row. */
  summary: string;
} & { [bound: `lo_${number}` | `hi_${number}`]: number | null };

/**
 * A projection as tidy rows: history first, then the projected years, with
 * one `lo_<level>` / `hi_<level>` column pair per interval level
 * (statsforecast's naming), and `flat_lo` / `flat_hi` for a flat band.
 *
 * @param p - the projection
 * @returns the rows, oldest year first
 * @example
 * ```ts
 * const rows = projectionRecords(forecast(series, { to: 2030 }));
 * rows.at(-1); // { year: 2030, type: 'forecast', point: ..., lo_80: ..., hi_80: ..., lo_95: ..., hi_95: ... }
 * ```
 */
export function projectionRecords(p: Projection): ProjectionRecord[] {
  const empty = (): Record<string, null> => {
    const o: Record<string, null> = {};
    for (const iv of p.intervals) {
      o[`lo_${iv.level}`] = null;
      o[`hi_${iv.level}`] = null;
    }
    if (p.flatBand) {
      o.flat_lo = null;
      o.flat_hi = null;
    }
    return o;
  };
  const rows: ProjectionRecord[] = p.history.map((h) => ({
    area: p.area,
    measure: p.measure,
    year: h.year,
    type: 'observed' as const,
    method: p.method,
    value: h.value,
    point: null,
    ...empty(),
    summary: p.summary,
  }));
  p.years.forEach((year, i) => {
    const row: ProjectionRecord = { area: p.area, measure: p.measure, year, type: 'forecast', method: p.method, value: null, point: p.point[i], ...empty(), summary: p.summary };
    for (const iv of p.intervals) {
      row[`lo_${iv.level}`] = iv.lower[i];
      row[`hi_${iv.level}`] = iv.upper[i];
    }
    if (p.flatBand) {
      row.flat_lo = p.flatBand.lower[i];
      row.flat_hi = p.flatBand.upper[i];
    }
    rows.push(row);
  });
  return rows;
}
