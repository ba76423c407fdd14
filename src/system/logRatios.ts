/**
 * A breakdown's shares as additive log-ratios against a reference group,
 * `z_g = log(count_g / count_ref)` (counts of 0 taken as 0.5), and back:
 * the inverse transform gives shares in [0, 1] that add to one
 * (docs/preregistration/issue-13-system-model.md, section 3).
 *
 * @module
 */
import type { GroupTable } from './groupTable.js';
import { valueAt, type YearlySeries } from './meanReversion.js';

/** An area's breakdown as log-ratios by year. */
export interface ShareData {
  /** The groups, in order. */
  readonly groups: readonly string[];
  /** Index of the reference group. */
  readonly ref: number;
  /** One series per log-ratio (group order without the reference). */
  readonly z: readonly YearlySeries[];
  /** The years with every group, ascending. */
  readonly years: readonly number[];
}

/**
 * Shares from log-ratios: `s_g = exp(z_g) / (1 + sum exp(z_j))`, the
 * reference at `z = 0` (shifted by the largest log-ratio where `exp`
 * could overflow).
 *
 * @param z - the log-ratios (length k - 1)
 * @param ref - the reference group's index
 * @param out - the shares (length k), written
 * @example
 * ```ts
 * const s = new Float64Array(2);
 * invAlr(Float64Array.from([0]), 0, s); // [0.5, 0.5]
 * ```
 */
export function invAlr(z: ArrayLike<number>, ref: number, out: Float64Array): void {
  const k = out.length;
  let max = 0;
  for (let c = 0; c < k - 1; c++) if (z[c] > max) max = z[c];
  // shift by the largest log-ratio only where exp could overflow (it changes no share)
  const shift = max > 700 ? max : 0;
  let sum = shift === 0 ? 1 : Math.exp(-shift);
  out[ref] = sum;
  let c = 0;
  for (let g = 0; g < k; g++) {
    if (g === ref) continue;
    const v = Math.exp(z[c++] - shift);
    out[g] = v;
    sum += v;
  }
  const inv = 1 / sum;
  for (let g = 0; g < k; g++) out[g] *= inv;
}

/**
 * An area's breakdown as log-ratios against the reference group, counts of
 * 0 taken as 0.5 (section 3).
 *
 * @param table - the breakdown's history
 * @param reference - the reference group (one of the table's groups)
 * @returns the log-ratio series
 * @example
 * ```ts
 * const d = shareData(groupTable('provider', groups), 'in_house');
 * d.z[0].values; // log(external / in_house) per year
 * ```
 */
export function shareData(table: GroupTable, reference: string): ShareData {
  const ref = table.groups.indexOf(reference);
  if (ref < 0) throw new RangeError(`reference group ${reference} is not one of ${table.groups.join(', ')}`);
  const k = table.groups.length;
  const years = table.years.map((y) => y.year);
  const first = years.length > 0 ? years[0] : 0;
  const n = years.length > 0 ? years[years.length - 1] - first + 1 : 0;
  const z = Array.from({ length: k - 1 }, () => new Float64Array(n).fill(Number.NaN));
  for (const y of table.years) {
    const c = y.counts.map((v) => (v > 0 ? v : 0.5));
    let col = 0;
    for (let g = 0; g < k; g++) if (g !== ref) z[col++][y.year - first] = Math.log(c[g] / c[ref]);
  }
  return { groups: table.groups, ref, z: z.map((values) => ({ first, values })), years };
}

/**
 * The log-ratios of an area in a year (`null` when unknown).
 *
 * @param d - the area's log-ratios
 * @param year - the year
 * @returns the vector, or `null`
 * @example
 * ```ts
 * zAt(d, 2024); // Float64Array of k - 1 log-ratios
 * ```
 */
export function zAt(d: ShareData, year: number): Float64Array | null {
  const out = new Float64Array(d.z.length);
  for (let c = 0; c < d.z.length; c++) {
    const v = valueAt(d.z[c], year);
    if (Number.isNaN(v)) return null;
    out[c] = v;
  }
  return d.z.length === 0 ? null : out;
}

/**
 * An area's own drift of each log-ratio at year `o`: `(z_o - z_a) / (o - a)`,
 * `a` the earliest year with a value in `o-5 .. o-1` (decision 13).
 *
 * @param d - the area's log-ratios
 * @param o - the year
 * @returns the drifts, or `null` when the area has no earlier year in the window (or no value at `o`)
 * @example
 * ```ts
 * ownDrift(d, 2024); // e.g. [0.03, -0.01, ...]
 * ```
 */
export function ownDrift(d: ShareData, o: number): Float64Array | null {
  const zo = zAt(d, o);
  if (!zo) return null;
  for (let a = o - 5; a < o; a++) {
    const za = zAt(d, a);
    if (!za) continue;
    for (let c = 0; c < zo.length; c++) za[c] = (zo[c] - za[c]) / (o - a);
    return za;
  }
  return null;
}

