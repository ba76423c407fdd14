/**
 * `carecast/danfo`: carecast results as danfo.js DataFrames.
 *
 * danfo is never a dependency of carecast: pass the module you imported
 * (`danfojs-node` in Node, `danfojs` in the browser, Deno or Node), and these
 * functions build a DataFrame from carecast's tidy rows with its
 * `DataFrame` constructor. Nothing here imports danfo, and the core
 * (`carecast`) does not import this entry point.
 *
 * ```ts
 * import * as dfd from 'danfojs-node';
 * import { forecast } from 'carecast';
 * import { projectionFrame } from 'carecast/danfo';
 *
 * const df = projectionFrame(forecast(series, { to: 2030 }), dfd);
 * df.print();
 * ```
 *
 * @module carecast/danfo
 */
import { projectionRecords } from './output/records.js';
import type { Projection } from './project/forecast.js';
import type { SystemProjection } from './system/projectSystem.js';
import { systemRecords } from './system/records.js';

/**
 * What carecast needs of a danfo module: its `DataFrame` constructor, which
 * takes an array of row objects. `danfojs` and `danfojs-node` both fit, as
 * does any library with a constructor of that shape.
 *
 * @typeParam T - the DataFrame type the constructor makes
 */
export interface DataFrameModule<T> {
  /** The DataFrame class. */
  readonly DataFrame: {
    /**
     * Build a frame from row objects (one column per key).
     *
     * @param data - the rows
     */
    new (data: object[]): T;
  };
}

/**
 * Convert tidy rows to a DataFrame with the danfo module you pass in. The
 * columns are the union of the rows' keys, in the order first met; a key a
 * row lacks becomes `null` in that row, so ragged rows still make a
 * rectangular frame. Values are copied as they are (`null` stays `null`;
 * danfo reads a numeric column with nulls as float32 with NaN-like nulls).
 *
 * @typeParam T - the DataFrame type of the module
 * @param records - rows such as `projectionRecords`, `systemRecords`, `costRecords`
 * @param danfo - the danfo module (`import * as dfd from 'danfojs-node'`)
 * @returns a DataFrame with one row per record
 * @throws TypeError when `danfo` has no `DataFrame` constructor, or a record
 *   is not an object
 * @example
 * ```ts
 * import * as dfd from 'danfojs';
 * const df = toDataFrame([{ year: 2025, point: 1099 }, { year: 2026, point: 1150 }], dfd);
 * df.shape; // [2, 2]
 * ```
 */
export function toDataFrame<T>(records: readonly object[], danfo: DataFrameModule<T>): T {
  if (!danfo || typeof danfo.DataFrame !== 'function') {
    throw new TypeError('carecast/danfo: pass the danfo module itself (import * as dfd from "danfojs-node" or "danfojs"), which has a DataFrame constructor');
  }
  const columns: string[] = [];
  const seen = new Set<string>();
  records.forEach((r, i) => {
    if (r === null || typeof r !== 'object') throw new TypeError(`carecast/danfo: record ${i} is not an object`);
    for (const k of Object.keys(r)) {
      if (!seen.has(k)) {
        seen.add(k);
        columns.push(k);
      }
    }
  });
  const rows = records.map((r) => {
    const src = r as Record<string, unknown>;
    const row: Record<string, unknown> = {};
    for (const c of columns) row[c] = src[c] === undefined ? null : src[c];
    return row;
  });
  return new danfo.DataFrame(rows);
}

/**
 * A projection as a DataFrame: the rows of `projectionRecords` (history,
 * then projected years; `area`, `measure`, `year`, `type`, `method`,
 * `value`, `point`, `lo_<level>`, `hi_<level>`, and `flat_lo` / `flat_hi`
 * for a flat band).
 *
 * @typeParam T - the DataFrame type of the module
 * @param p - a projection from `forecast`
 * @param danfo - the danfo module
 * @returns the DataFrame
 * @throws TypeError when `danfo` has no `DataFrame` constructor
 * @example
 * ```ts
 * const df = projectionFrame(forecast(series, { to: 2030 }), dfd);
 * df.query(df['type'].eq('forecast')).print();
 * ```
 */
export function projectionFrame<T>(p: Projection, danfo: DataFrameModule<T>): T {
  return toDataFrame(projectionRecords(p), danfo);
}

/**
 * A system projection as a DataFrame: the rows of `systemRecords` (one per
 * year, measure and group: `area`, `year`, `measure`, `group`, `point`,
 * `median`, `share`, `lo_<level>`, `hi_<level>`).
 *
 * @typeParam T - the DataFrame type of the module
 * @param sp - a projection from `projectSystem`
 * @param danfo - the danfo module
 * @returns the DataFrame
 * @throws TypeError when `danfo` has no `DataFrame` constructor
 * @example
 * ```ts
 * const df = systemFrame(projectSystem(input, { to: 2030 }), dfd);
 * df.query(df['measure'].eq('placement')).print();
 * ```
 */
export function systemFrame<T>(sp: SystemProjection, danfo: DataFrameModule<T>): T {
  return toDataFrame(systemRecords(sp), danfo);
}
