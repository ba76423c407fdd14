/**
 * Financial-year quarters: labels, end dates, and the quarter index.
 *
 * Part of the quarterly tools (`periods.ts`, `history.ts`, `seasonality.ts`,
 * `forecast.ts`, `toAnnual.ts`, `annualHistory.ts`).
 *
 * @module
 */
import { financialYearLabel } from '../../data/financialYear.js';

/** The fewest quarters on which {@link checkSeasonality} tests for a seasonal pattern (three years). */
export const MIN_QUARTERS_FOR_SEASONALITY = 12;

/** Default number of simulated paths in {@link forecastQuarterly}. */
export const DEFAULT_QUARTERLY_PATHS = 5000;

const QUARTER_END = ['30 June', '30 September', '31 December', '31 March'] as const;
const QUARTER_END_ISO = ['06-30', '09-30', '12-31', '03-31'] as const;

/**
 * The last day of a financial-year quarter, as an ISO date.
 *
 * @param year - the financial year's end (2024 = 2023/24)
 * @param quarter - 1 (April-June) to 4 (January-March)
 * @returns the date, e.g. `'2024-03-31'` for Q4 of 2023/24
 * @throws RangeError for a quarter outside 1-4 or a non-integer year
 * @example
 * ```ts
 * quarterEndDate(2024, 1); // '2023-06-30'
 * quarterEndDate(2024, 4); // '2024-03-31'
 * ```
 */
export function quarterEndDate(year: number, quarter: number): string {
  if (!Number.isInteger(year)) throw new RangeError(`year must be a whole number, got ${year}`);
  if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4) throw new RangeError(`quarter must be 1, 2, 3 or 4, got ${quarter}`);
  return `${quarter === 4 ? year : year - 1}-${QUARTER_END_ISO[quarter - 1]}`;
}

/** `2023/24 Q2` */
export function periodLabel(year: number, quarter: number): string {
  return `${financialYearLabel(year)} Q${quarter}`;
}

/** `2023/24 Q2 (quarter ending 30 September 2023)` */
export function periodLong(year: number, quarter: number): string {
  return `${periodLabel(year, quarter)} (quarter ending ${QUARTER_END[quarter - 1]} ${quarter === 4 ? year : year - 1})`;
}

export const indexOf = (year: number, quarter: number): number => year * 4 + quarter - 1;
export const yearOf = (qi: number): number => Math.floor(qi / 4);
export const quarterOf = (qi: number): number => (qi % 4) + 1;

/** A financial-year quarter with its labels. */
export interface QuarterLabel {
  /** The financial year's end (2024 = 2023/24). */
  readonly year: number;
  /** 1 (April-June) to 4 (January-March). */
  readonly quarter: number;
  /** The financial year, e.g. `'2023/24'`. */
  readonly financialYear: string;
  /** The quarter's last day, ISO, e.g. `'2024-03-31'`. */
  readonly periodEnd: string;
}

export function label(qi: number): QuarterLabel {
  const year = yearOf(qi);
  const quarter = quarterOf(qi);
  return { year, quarter, financialYear: financialYearLabel(year), periodEnd: quarterEndDate(year, quarter) };
}
