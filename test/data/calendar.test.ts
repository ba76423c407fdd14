/** The calendar: strict dates, birthdays and ages (29 February), financial years and quarters, on day numbers. */
import { addYears } from 'date-fns/addYears';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageOn, birthdayDay, birthdayTable, completedYears, dayOf, dayToIso, dobRangeForAge, financialYearOf, marchEnd, parseSsda903Date } from '../../src/data/calendar.js';

const MS = 86_400_000;
/** An independent birthday: JavaScript's own UTC calendar, where 29 February of a year without one overflows to 1 March. */
const utcBirthday = (dob: number, n: number): number => {
  const d = new Date(dob * MS);
  return Date.UTC(d.getUTCFullYear() + n, d.getUTCMonth(), d.getUTCDate()) / MS;
};
const days = fc.integer({ min: dayOf(1950, 1, 1), max: dayOf(2060, 12, 31) });

describe('parseSsda903Date: strict dd/MM/yyyy and ISO dates', () => {
  it('reads both forms to the same day number', () => {
    expect(parseSsda903Date('01/04/2020')).toBe(18353);
    expect(parseSsda903Date('2020-04-01')).toBe(18353);
    expect(parseSsda903Date(' 2020-04-01T00:00:00 ')).toBe(18353);
    expect(parseSsda903Date('2020-04-01T00:00:00.000Z')).toBe(18353);
    expect(parseSsda903Date('1/4/2020')).toBe(18353); // one-digit day and month, as spreadsheets write them
    expect(parseSsda903Date('29/02/2020')).toBe(dayOf(2020, 2, 29));
    expect(parseSsda903Date('31/12/1999')).toBe(dayOf(1999, 12, 31));
  });

  it('refuses dates that do not exist, two-digit years and other shapes', () => {
    for (const t of ['31/02/2020', '29/02/2021', '29/02/1900', '31/04/2020', '00/01/2020', '01/13/2020', '01/00/2020', '2020-02-30', '2021-02-29']) {
      expect(parseSsda903Date(t), t).toBeUndefined();
    }
    for (const t of ['01/04/20', '1/4/20', '01/04/020', '20-04-01', '01/04/0020', '01/04/1899', '01/04/20201']) expect(parseSsda903Date(t), t).toBeUndefined();
    for (const t of ['', '2020/04/01', '01-04-2020', '01.04.2020', '2020-4-1', '1 April 2020', '01/04/2020x', '001/04/2020', '2020-04-01T', '20200401', '2020-W14']) {
      expect(parseSsda903Date(t), t).toBeUndefined();
    }
  });

  it('round-trips every day, in both forms', () => {
    fc.assert(
      fc.property(days, (day) => {
        const iso = dayToIso(day);
        const dmy = `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
        return parseSsda903Date(iso) === day && parseSsda903Date(dmy) === day;
      }),
    );
  });
});

describe('birthdays and ages, including 29 February', () => {
  it('a 29 February birthday falls on 1 March in other years, and on 29 February in leap years', () => {
    const dob = dayOf(2004, 2, 29);
    expect(dayToIso(birthdayDay(dob, 18))).toBe('2022-03-01');
    expect(dayToIso(birthdayDay(dob, 16))).toBe('2020-02-29');
    expect(dayToIso(birthdayDay(dob, 1))).toBe('2005-03-01');
    expect(ageOn(dob, dayOf(2022, 2, 28))).toBe(17);
    expect(ageOn(dob, dayOf(2022, 3, 1))).toBe(18);
    expect(ageOn(dob, dayOf(2020, 2, 28))).toBe(15);
    expect(ageOn(dob, dayOf(2020, 2, 29))).toBe(16);
    // 28 February and 1 March births are not moved
    expect(dayToIso(birthdayDay(dayOf(2004, 2, 28), 18))).toBe('2022-02-28');
    expect(dayToIso(birthdayDay(dayOf(2004, 3, 1), 18))).toBe('2022-03-01');
    expect(ageOn(dayOf(2010, 6, 1), dayOf(2021, 5, 31))).toBe(10);
    expect(ageOn(dayOf(2010, 6, 1), dayOf(2021, 6, 1))).toBe(11);
    expect(ageOn(dayOf(2010, 6, 1), dayOf(2010, 5, 31))).toBe(-1); // before birth
  });

  it('birthdays agree with date-fns and with an independent calendar on every date of birth 1996-2024', () => {
    for (let dob = dayOf(1996, 1, 1); dob <= dayOf(2024, 12, 31); dob++) {
      const u = new Date(dob * MS);
      const local = new Date(u.getUTCFullYear(), u.getUTCMonth(), u.getUTCDate());
      const leapDay = u.getUTCMonth() === 1 && u.getUTCDate() === 29;
      for (const n of [1, 5, 10, 16, 17, 18]) {
        const b = birthdayDay(dob, n);
        const viaDateFns = addYears(local, n);
        const dateFnsDay = Date.UTC(viaDateFns.getFullYear(), viaDateFns.getMonth(), viaDateFns.getDate()) / MS;
        // date-fns moves 29 February to 28 February; English law (and JavaScript's UTC calendar) to 1 March
        if (b !== utcBirthday(dob, n) || b !== dateFnsDay + (leapDay && viaDateFns.getDate() === 28 ? 1 : 0)) throw new Error(`${dayToIso(dob)} + ${n}`);
      }
    }
  });

  it('ageOn is the number of birthdays reached: property', () => {
    fc.assert(
      fc.property(days, fc.integer({ min: 0, max: 25 }), (dob, n) => {
        const b = birthdayDay(dob, n);
        return ageOn(dob, b) === n && (n === 0 || ageOn(dob, b - 1) === n - 1);
      }),
    );
  });

  it('dobRangeForAge: exactly the dates of birth giving the age', () => {
    for (const day of [dayOf(2021, 3, 31), dayOf(2020, 2, 29), dayOf(2021, 2, 28), dayOf(2021, 3, 1), dayOf(2024, 3, 1)]) {
      for (const a of [0, 1, 4, 17]) {
        const [lo, hi] = dobRangeForAge(day, a);
        expect(ageOn(lo, day)).toBe(a);
        expect(ageOn(hi, day)).toBe(a);
        expect(ageOn(lo - 1, day)).toBe(a + 1);
        if (a > 0) expect(ageOn(hi + 1, day)).toBe(a - 1);
      }
    }
    expect(dobRangeForAge(dayOf(2021, 3, 31), 0).map(dayToIso)).toEqual(['2020-04-01', '2021-03-31']);
    // on 28 February 2021 a child born on 29 February 2020 is not yet 1
    expect(dobRangeForAge(dayOf(2021, 2, 28), 0).map(dayToIso)).toEqual(['2020-02-29', '2021-02-28']);
    fc.assert(
      fc.property(days, fc.integer({ min: 0, max: 18 }), (day, a) => {
        const [lo, hi] = dobRangeForAge(day, a);
        return ageOn(lo, day) === a && ageOn(hi, day) === a && ageOn(lo - 1, day) === a + 1 && (a === 0 ? hi === day : ageOn(hi + 1, day) === a - 1);
      }),
    );
  });

  it('birthdayTable and completedYears give the same ages by integer comparison', () => {
    const table = birthdayTable(18);
    expect(dayToIso(table(dayOf(2004, 2, 29))[18])).toBe('2022-03-01');
    expect(table(dayOf(2004, 2, 29))).toBe(table(dayOf(2004, 2, 29))); // computed once per date of birth
    fc.assert(
      fc.property(days, fc.integer({ min: -400, max: 8000 }), (dob, k) => {
        const day = dob + k;
        return completedYears(table(dob), day) === Math.min(18, ageOn(dob, day) < 0 ? -1 : ageOn(dob, day));
      }),
    );
  });
});

describe('financial years and quarters', () => {
  it('1 April to 31 March, labelled by the 31 March; quarters from April', () => {
    expect(financialYearOf(dayOf(2021, 3, 31))).toEqual({ year: 2021, quarter: 4 });
    expect(financialYearOf(dayOf(2021, 4, 1))).toEqual({ year: 2022, quarter: 1 });
    expect(financialYearOf(dayOf(2021, 6, 30))).toEqual({ year: 2022, quarter: 1 });
    expect(financialYearOf(dayOf(2021, 7, 1))).toEqual({ year: 2022, quarter: 2 });
    expect(financialYearOf(dayOf(2021, 12, 31))).toEqual({ year: 2022, quarter: 3 });
    expect(financialYearOf(dayOf(2022, 1, 1))).toEqual({ year: 2022, quarter: 4 });
    expect(financialYearOf(dayOf(2024, 2, 29))).toEqual({ year: 2024, quarter: 4 });
    expect(dayToIso(marchEnd(2021))).toBe('2021-03-31');
    fc.assert(
      fc.property(days, (day) => {
        const { year, quarter } = financialYearOf(day);
        const month = new Date(day * MS).getUTCMonth() + 1; // 1-12
        return day > marchEnd(year - 1) && day <= marchEnd(year) && quarter === Math.floor(((month + 8) % 12) / 3) + 1;
      }),
    );
  });
});
