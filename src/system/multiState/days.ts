/**
 * Days for the multi-state model: options' dates as day numbers, the days a
 * child enters each age band and reaches 18, the year (to 31 March) of a
 * day, and the dates of birth giving each age on each projected day. All
 * whole UTC day numbers, for the hot loops.
 *
 * @module
 */
import { dobRangeForAge, financialYearOf, parseSsda903Date } from '../../data/calendar.js';
import type { InputProblem } from '../../data/errors.js';
import type { AgeBandSpec } from './model.js';

/**
 * A day option as a day number: numbers as they are, text parsed (`yyyy-mm-dd` or `dd/mm/yyyy`).
 *
 * @param v - a day number or date text
 * @param field - the option's name, for the problem
 * @param problems - where a date that cannot be read is reported (then 0 is returned)
 * @returns the day number
 * @example
 * ```ts
 * dayArg('2020-01-02', 'from', []); // 18263
 * ```
 */
export function dayArg(v: number | string, field: string, problems: InputProblem[]): number {
  if (typeof v === 'number') return v;
  const d = parseSsda903Date(v);
  if (d === undefined) {
    problems.push({ source: 'multi-state options', field, message: `not a date: '${v}'`, fix: 'give a day number or a date as yyyy-mm-dd or dd/mm/yyyy' });
    return 0;
  }
  return d;
}

/**
 * Birthday days of bands (from ages) and of maxAge for one date of birth, from its row of a `birthdayTable`.
 *
 * @param birthdays - the date of birth's birthdays, by age
 * @param bands - the age bands
 * @param maxAge - the age care ends at
 * @returns the day each band starts, then the day of `maxAge`
 * @example
 * ```ts
 * bandDays(birthdayTable(18)(dob), DFE_AGE_BAND_SPECS, 18); // [dob, 1st birthday, 5th, 10th, 16th, 18th]
 * ```
 */
export function bandDays(birthdays: Int32Array, bands: readonly AgeBandSpec[], maxAge: number): number[] {
  const out = bands.map((b) => birthdays[b.from]);
  out.push(birthdays[maxAge]);
  return out;
}

/**
 * The year (to 31 March) a day falls in.
 *
 * @param day - a day number
 * @returns the year of its 31 March
 * @example
 * ```ts
 * yearOf(dayOf(2020, 4, 1)); // 2021
 * ```
 */
export function yearOf(day: number): number {
  return financialYearOf(day).year;
}

/**
 * For each day start + t (t = 0..nDays), the latest date of birth giving
 * each age 0..maxAge (completed years): `hi[t * (maxAge + 1) + a]`. The
 * dates of birth giving age a are `hi[a + 1] + 1 .. hi[a]`.
 *
 * @param start - the first day
 * @param nDays - days after it
 * @param maxAge - the oldest age
 * @returns the table, `(nDays + 1) * (maxAge + 1)` days
 * @example
 * ```ts
 * latestDobTable(start, 365, 18)[18]; // the latest date of birth of an 18-year-old on the start day
 * ```
 */
export function latestDobTable(start: number, nDays: number, maxAge: number): Float64Array {
  const W = maxAge + 1;
  const out = new Float64Array((nDays + 1) * W);
  for (let t = 0; t <= nDays; t++) {
    const day = start + t;
    out[t * W] = day;
    for (let a = 1; a <= maxAge; a++) out[t * W + a] = dobRangeForAge(day, a)[1];
  }
  return out;
}
