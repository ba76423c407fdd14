/**
 * Interior gaps filled by straight-line interpolation: how `forecast()`
 * and the global (panel) methods turn a published series with a missing
 * year (2018 in the DfE local authority files) into consecutive years.
 *
 * @module
 */
import type { YearValue } from './yearValue.js';

/** One year of a series with its gap, if any, filled. */
export interface FilledYear {
  /** Year. */
  readonly year: number;
  /** The published value (`null` if missing or suppressed). */
  readonly value: number | null;
  /** The published value, or the straight-line interpolation between the nearest years with a value. */
  readonly used: number;
  /** `true` when `used` was interpolated. */
  readonly imputed: boolean;
}

/**
 * Every year from the first to the last with a value, interior gaps (a
 * year absent or `null`) filled by the straight line between the nearest
 * years with a value on each side. Years with no value before the first or
 * after the last value are left out.
 *
 * @param points - the series' points, sorted by year (as `yearValuesOf` gives them)
 * @returns consecutive years; empty when no point has a value
 * @example
 * ```ts
 * fillInteriorGaps([{ year: 2017, value: 100 }, { year: 2019, value: 120 }]);
 * // [{ year: 2017, used: 100, ... }, { year: 2018, value: null, used: 110, imputed: true }, { year: 2019, used: 120, ... }]
 * ```
 */
export function fillInteriorGaps(points: readonly YearValue[]): FilledYear[] {
  const present = points.filter((p) => p.value !== null);
  if (present.length === 0) return [];
  const byYear = new Map(points.map((p) => [p.year, p.value]));
  const first = present[0].year;
  const last = present[present.length - 1].year;
  const out: FilledYear[] = [];
  for (let yr = first; yr <= last; yr++) {
    const v = byYear.get(yr);
    if (v !== undefined && v !== null) {
      out.push({ year: yr, value: v, used: v, imputed: false });
    } else {
      let prev = yr - 1;
      while (byYear.get(prev) === undefined || byYear.get(prev) === null) prev--;
      let next = yr + 1;
      while (byYear.get(next) === undefined || byYear.get(next) === null) next++;
      const a = byYear.get(prev) as number;
      const b = byYear.get(next) as number;
      out.push({ year: yr, value: v ?? null, used: a + ((b - a) * (yr - prev)) / (next - prev), imputed: true });
    }
  }
  return out;
}
