/**
 * The calendar of carecast: dates as UTC day numbers (days since 1 January
 * 1970), so that date arithmetic in the models is exact integer arithmetic
 * (no time zones, no daylight saving), with the calendar rules (which dates
 * exist, birthdays and ages, financial years and quarters) taken from
 * date-fns.
 *
 * Only the date-fns functions used are imported, one module each
 * (`date-fns/addYears`, ...), so importing carecast loads a few small
 * modules, not the library. Date-fns works on `Date` objects in local time;
 * each function here turns a day number into the local midnight of the same
 * calendar date, asks date-fns, and turns the answer back, so the results do
 * not depend on the machine's time zone.
 *
 * Hot loops (fitting, projecting, deriving series over every episode) keep
 * to day numbers: they compute what they need once per distinct date of
 * birth ({@link birthdayTable}) or per year end, and compare integers.
 *
 * @module
 */
import { addMonths } from 'date-fns/addMonths';
import { addYears } from 'date-fns/addYears';
import { differenceInYears } from 'date-fns/differenceInYears';
import { getQuarter } from 'date-fns/getQuarter';
import { isExists } from 'date-fns/isExists';
import { subYears } from 'date-fns/subYears';

const MS_PER_DAY = 86_400_000;

/** The local midnight of a day number's calendar date (years before 100 too). */
function toLocal(day: number): Date {
  const u = new Date(day * MS_PER_DAY);
  const y = u.getUTCFullYear();
  if (y >= 100) return new Date(y, u.getUTCMonth(), u.getUTCDate());
  const d = new Date(0);
  d.setFullYear(y, u.getUTCMonth(), u.getUTCDate());
  d.setHours(0, 0, 0, 0);
  return d;
}

/** The day number of a local date's calendar date. */
function toDay(d: Date): number {
  const y = d.getFullYear();
  if (y >= 100) return Date.UTC(y, d.getMonth(), d.getDate()) / MS_PER_DAY;
  const u = new Date(0);
  u.setUTCFullYear(y, d.getMonth(), d.getDate());
  return Math.round(u.getTime() / MS_PER_DAY);
}

/** The birthday `years` after a date of birth given as a local date (see {@link birthdayDay}). */
function birthdayOf(born: Date, years: number): number {
  const at = addYears(born, years);
  const day = toDay(at);
  return born.getMonth() === 1 && born.getDate() === 29 && at.getDate() === 28 ? day + 1 : day;
}

/**
 * The UTC day number of a calendar date.
 *
 * @param year - the year
 * @param month - the month, 1-12
 * @param day - the day of the month
 * @returns days since 1 January 1970
 * @example
 * ```ts
 * dayOf(2020, 3, 31); // 18352
 * ```
 */
export function dayOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

/**
 * A day number as an ISO date.
 *
 * @param day - days since 1 January 1970
 * @returns `yyyy-mm-dd`
 * @example
 * ```ts
 * dayToIso(18352); // '2020-03-31'
 * ```
 */
export function dayToIso(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

const DMY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}(?::\d{2}(?::\d{2}(?:\.\d+)?)?)?Z?)?$/;

/**
 * Parse a date as SSDA903 returns and carecast's files write it, strictly:
 * `dd/MM/yyyy` (the day and month may have one digit: `1/4/2020`) or ISO
 * `yyyy-MM-dd` (a time part such as `T00:00:00` is allowed and ignored). The
 * year must have four digits and be 1900 or later; the date must exist
 * (date-fns `isExists`: no 31 February, no 29 February outside leap years).
 *
 * @param text - the cell text (surrounding spaces ignored)
 * @returns days since 1 January 1970, or `undefined` when the text is not such a date
 * @example
 * ```ts
 * parseSsda903Date('01/04/2020'); // 18353
 * parseSsda903Date('2020-04-01'); // 18353
 * parseSsda903Date('31/02/2020'); // undefined (no such date)
 * parseSsda903Date('01/04/20');   // undefined (two-digit year)
 * ```
 */
export function parseSsda903Date(text: string): number | undefined {
  const t = text.trim();
  let hit = DMY.exec(t);
  let y: number;
  let m: number;
  let d: number;
  if (hit) {
    d = +hit[1];
    m = +hit[2];
    y = +hit[3];
  } else {
    hit = ISO.exec(t);
    if (!hit) return undefined;
    y = +hit[1];
    m = +hit[2];
    d = +hit[3];
  }
  if (y < 1900 || !isExists(y, m - 1, d)) return undefined;
  return dayOf(y, m, d);
}

/**
 * The day a person born on `dob` reaches `years` years of age: the same
 * calendar date `years` later. A 29 February birthday falls on 1 March in
 * other years, the convention of English law: date-fns's `addYears` gives
 * the date (28 February for a 29 February birth), and the day after is
 * taken. Every other date exists in every year, so its birthday is computed
 * directly from the day number (this runs once per child and age in the
 * models' loops); the tests check it against `addYears` for every date.
 *
 * @param dob - date of birth as a day number
 * @param years - the age in whole years
 * @returns the day number of that birthday
 * @example
 * ```ts
 * dayToIso(birthdayDay(dayOf(2004, 2, 29), 18)); // '2022-03-01'
 * dayToIso(birthdayDay(dayOf(2004, 2, 29), 20)); // '2024-02-29'
 * ```
 */
export function birthdayDay(dob: number, years: number): number {
  const u = new Date(dob * MS_PER_DAY);
  const m = u.getUTCMonth();
  const d = u.getUTCDate();
  const y = u.getUTCFullYear() + years;
  if ((m === 1 && d === 29) || y < 100) return birthdayOf(toLocal(dob), years);
  return Date.UTC(y, m, d) / MS_PER_DAY;
}

/**
 * Age in completed years on a day (date-fns `differenceInYears`, which
 * agrees with {@link birthdayDay}: a child born on 29 February is 17 on 28
 * February and 18 on 1 March of a year without 29 February).
 *
 * @param dob - date of birth as a day number
 * @param day - the day
 * @returns completed years of age; negative before birth (-1 in the year before)
 * @example
 * ```ts
 * ageOn(dayOf(2004, 2, 29), dayOf(2022, 2, 28)); // 17
 * ageOn(dayOf(2004, 2, 29), dayOf(2022, 3, 1)); // 18
 * ```
 */
export function ageOn(dob: number, day: number): number {
  if (day < dob) return -1 - differenceInYears(toLocal(dob), toLocal(day));
  return differenceInYears(toLocal(day), toLocal(dob));
}

/**
 * The dates of birth giving an age in completed years on a day.
 *
 * @param day - the day (day number)
 * @param age - the age in completed years (0 and over)
 * @returns `[lo, hi]`: the earliest and latest date of birth (day numbers, inclusive) with {@link ageOn}`(dob, day) === age`
 * @example
 * ```ts
 * dobRangeForAge(dayOf(2021, 3, 31), 0).map(dayToIso); // ['2020-04-01', '2021-03-31']
 * ```
 */
export function dobRangeForAge(day: number, age: number): [number, number] {
  return [latestDob(day, age + 1) + 1, latestDob(day, age)];
}

/**
 * The latest date of birth with its `age`-th birthday on or before `day`:
 * the same calendar date `age` years earlier. For 29 February, date-fns's
 * `subYears` gives 28 February in other years, which is right under the 1
 * March rule (a child born on 29 February has not reached the age on 28
 * February); every other date exists in every year.
 */
function latestDob(day: number, age: number): number {
  const u = new Date(day * MS_PER_DAY);
  const m = u.getUTCMonth();
  const d = u.getUTCDate();
  const y = u.getUTCFullYear() - age;
  if ((m === 1 && d === 29) || y < 100) return toDay(subYears(toLocal(day), age));
  return Date.UTC(y, m, d) / MS_PER_DAY;
}

/**
 * The day of 31 March of a year: the end of the return, snapshot or
 * financial year labelled with that year.
 *
 * @param year - the year
 * @returns the day number of 31 March
 * @example
 * ```ts
 * dayToIso(marchEnd(2021)); // '2021-03-31'
 * ```
 */
export function marchEnd(year: number): number {
  return dayOf(year, 3, 31);
}

/**
 * The financial year (1 April to 31 March) holding a day, labelled by the
 * year of its 31 March, and the day's quarter of it (Q1 April-June ... Q4
 * January-March): date-fns's calendar year and quarter of the day nine
 * months later.
 *
 * @param day - the day (day number)
 * @returns `{ year, quarter }`, e.g. `{ year: 2021, quarter: 4 }` for 31 March 2021
 * @example
 * ```ts
 * financialYearOf(dayOf(2021, 3, 31)); // { year: 2021, quarter: 4 }
 * financialYearOf(dayOf(2021, 4, 1));  // { year: 2022, quarter: 1 }
 * ```
 */
export function financialYearOf(day: number): { year: number; quarter: 1 | 2 | 3 | 4 } {
  const shifted = addMonths(toLocal(day), 9);
  return { year: shifted.getFullYear(), quarter: getQuarter(shifted) as 1 | 2 | 3 | 4 };
}

/**
 * A memo of birthdays for hot loops: for each distinct date of birth asked
 * for, the day numbers of its birthdays 0 to `maxAge` (computed once with
 * {@link birthdayDay}), so that ages and age bands over many episodes are
 * integer comparisons. Each call of this function makes a new, empty memo
 * (no state is shared between calls).
 *
 * @param maxAge - the last birthday kept (default 18)
 * @returns a function from a date of birth to its birthdays (index 0 is the date of birth)
 * @example
 * ```ts
 * const birthdays = birthdayTable();
 * const b = birthdays(dayOf(2004, 2, 29));
 * dayToIso(b[18]); // '2022-03-01'
 * completedYears(b, dayOf(2022, 2, 28)); // 17
 * ```
 */
export function birthdayTable(maxAge = 18): (dob: number) => Int32Array {
  const memo = new Map<number, Int32Array>();
  return (dob: number) => {
    let b = memo.get(dob);
    if (!b) {
      b = new Int32Array(maxAge + 1);
      b[0] = dob;
      const u = new Date(dob * MS_PER_DAY);
      const y = u.getUTCFullYear();
      const m = u.getUTCMonth();
      const d = u.getUTCDate();
      // as birthdayDay, with the date of birth's calendar date read once
      if ((m === 1 && d === 29) || y < 100) for (let n = 1; n <= maxAge; n++) b[n] = birthdayDay(dob, n);
      else for (let n = 1; n <= maxAge; n++) b[n] = Date.UTC(y + n, m, d) / MS_PER_DAY;
      memo.set(dob, b);
    }
    return b;
  };
}

/**
 * Completed years of age on a day, from a row of {@link birthdayTable}: the
 * number of birthdays after birth on or before the day (at most the table's
 * last age; -1 before birth).
 *
 * @param birthdays - the birthdays of one date of birth, from {@link birthdayTable}
 * @param day - the day
 * @returns the age in completed years, capped at the table's last age
 * @example
 * ```ts
 * completedYears(birthdayTable()(dayOf(2010, 6, 1)), dayOf(2021, 3, 31)); // 10
 * ```
 */
export function completedYears(birthdays: Int32Array, day: number): number {
  if (day < birthdays[0]) return -1;
  let a = 0;
  while (a + 1 < birthdays.length && birthdays[a + 1] <= day) a++;
  return a;
}
