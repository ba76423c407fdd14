/**
 * Financial years (1 April to 31 March), the periods of budgets and of the
 * DfE's flows: carecast's year 2026 is the year ending 31 March 2026, the
 * financial year 2025/26.
 *
 * @module
 */

/**
 * The label of a financial year from the year in which it ends.
 *
 * @param yearEnd - the calendar year of the 31 March that ends the financial year
 * @returns the label, e.g. `'2024/25'`
 * @throws RangeError when `yearEnd` is not a whole number
 * @example
 * ```ts
 * financialYearLabel(2025); // '2024/25'
 * financialYearLabel(2000); // '1999/00'
 * ```
 */
export function financialYearLabel(yearEnd: number): string {
  if (!Number.isInteger(yearEnd)) throw new RangeError(`financial year end must be a whole number, got ${yearEnd}`);
  return `${yearEnd - 1}/${String(((yearEnd % 100) + 100) % 100).padStart(2, '0')}`;
}
