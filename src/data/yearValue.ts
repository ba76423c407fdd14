/**
 * Plain annual input: either an {@link AnnualSeries} or `{ year, value }`
 * pairs, checked and normalised the same way everywhere.
 *
 * @module
 */
import { CarecastInputError, type InputProblem } from './errors.js';
import type { AnnualSeries } from './schemas.js';

/** A plain annual observation. */
export interface YearValue {
  /** Year of the 31 March snapshot (or year ending 31 March). */
  readonly year: number;
  /** The value; `null` when missing or suppressed. */
  readonly value: number | null;
  /** For a suppressed value: its marker and, where published, the bound `[0, upper]` (the system model takes a bounded count as `upper / 2`). */
  readonly suppressed?: { readonly marker: string; readonly upper?: number };
}

/**
 * Annual input accepted across carecast: a series, or year/value pairs.
 *
 * @example
 * ```ts
 * forecast(findSeries(dataset, 'children_in_care'), { to: 2030 });               // an AnnualSeries
 * forecast([{ year: 2022, value: 909 }, { year: 2023, value: 995 }, { year: 2024, value: 1057 }], { to: 2027 }); // year/value pairs
 * ```
 */
export type SeriesInput = AnnualSeries | readonly YearValue[];

/** Normalised annual input. */
export interface YearValues {
  /** The area (from the series; `'series'` for plain pairs). */
  readonly area: string;
  /** The measure (from the series; `'value'` for plain pairs, or the label given). */
  readonly measure: string;
  /** The points sorted by year. */
  readonly points: readonly YearValue[];
}

/**
 * Check and normalise annual input: whole, unique years; values finite and
 * not negative (or null); sorted by year.
 *
 * @param input - a series or year/value pairs
 * @param label - the name used in error messages for plain pairs (e.g. `'started'`)
 * @returns area, measure and sorted points
 * @throws CarecastInputError listing every bad point with its position and field
 * @example
 * ```ts
 * yearValuesOf([{ year: 2021, value: 899 }, { year: 2020, value: 861 }]).points[0].year; // 2020
 * ```
 */
export function yearValuesOf(input: SeriesInput, label = 'value'): YearValues {
  const isSeries = !Array.isArray(input);
  const raw: readonly YearValue[] = isSeries ? (input as AnnualSeries).points : (input as readonly YearValue[]);
  const area = isSeries ? (input as AnnualSeries).area : 'series';
  const measure = isSeries ? (input as AnnualSeries).measure : label;
  const source = isSeries ? `${area} ${measure}` : label;
  const seen = new Map<number, number>();
  const problems: InputProblem[] = [];
  raw.forEach((p, i) => {
    if (!Number.isInteger(p.year)) {
      problems.push({ source, row: i + 1, field: 'year', message: `year must be a whole number, got ${p.year}`, fix: 'give the year of the 31 March, e.g. 2023' });
    } else if (seen.has(p.year)) {
      problems.push({ source, row: i + 1, field: 'year', message: `duplicate year ${p.year} (also point ${(seen.get(p.year) ?? 0) + 1})`, fix: 'keep one value per year' });
    } else seen.set(p.year, i);
    if (p.value !== null && !Number.isFinite(p.value)) {
      problems.push({ source, row: i + 1, field: 'value', message: `value must be a finite number or null, got ${p.value}`, fix: 'use null for a missing or suppressed value' });
    } else if (p.value !== null && p.value < 0) {
      problems.push({ source, row: i + 1, field: 'value', message: `negative value ${p.value} in ${p.year}`, fix: 'counts cannot be negative; check the source' });
    }
  });
  if (problems.length > 0) throw new CarecastInputError(problems);
  return { area, measure, points: [...raw].sort((a, b) => a.year - b.year) };
}
