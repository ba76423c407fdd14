/**
 * Plain words for a cost model's price basis (cash or real, the price year,
 * the inflation used) and for scenario levers, so that every output (the
 * terminal, CSV files, charts, the report and the workbook) says the same.
 *
 * @module
 */
import { financialYearLabel } from '../data/financialYear.js';
import type { CostModel, Inflation } from './costs.js';
import type { Lever } from './levers.js';

/**
 * The price basis of a cost model's money.
 *
 * - `cash`: each financial year at its own prices, the weekly costs (priced
 *   at the price year) uprated by the model's inflation;
 * - `real`: every year at the price year's prices (the model has no
 *   inflation, or only zero rates).
 */
export interface PriceBasis {
  /** `cash` (uprated by inflation) or `real` (constant price-year prices). */
  readonly basis: 'cash' | 'real';
  /** The price year as a financial year, e.g. `2022/23`. */
  readonly priceYear: string;
  /** The inflation used, in words, e.g. `3.0% a year` or `none`. */
  readonly inflation: string;
  /** One sentence with all three, e.g. `cash: 2022/23 prices uprated by 3.0% a year`. */
  readonly text: string;
}

const pct = (r: number): string => `${(r * 100).toFixed(1)}%`;

function inflationWords(inflation: Inflation | undefined, priceYear: number): { words: string; none: boolean } {
  if (!inflation) return { words: 'none', none: true };
  if ('index' in inflation) {
    const years = Object.keys(inflation.index).map(Number).sort((a, b) => a - b);
    return { words: `an index series (${financialYearLabel(years[0])} to ${financialYearLabel(years[years.length - 1])}, rescaled to 1 in ${financialYearLabel(priceYear)})`, none: false };
  }
  const flat = inflation.rate ?? 0;
  const rates = Object.entries(inflation.rates ?? {})
    .map(([y, r]) => [Number(y), r] as const)
    .sort((a, b) => a[0] - b[0]);
  if (rates.length === 0) return flat === 0 ? { words: 'none', none: true } : { words: `${pct(flat)} a year`, none: false };
  const listed = rates.map(([y, r]) => `${financialYearLabel(y)} ${pct(r)}`).join(', ');
  const none = flat === 0 && rates.every(([, r]) => r === 0);
  return { words: `${listed}${flat !== 0 ? `; other years ${pct(flat)}` : ''}`, none };
}

/**
 * The price basis of a cost model: cash when it has inflation (the weekly
 * costs uprated from the price year), real (constant price-year prices)
 * when it has none.
 *
 * @param model - the cost model
 * @returns basis, price year, inflation and a sentence with all three
 * @example
 * ```ts
 * priceBasisOf({ dimension: 'finance', priceYear: 2023, weekly: {}, inflation: { rate: 0.03 } }).text;
 * // 'cash: 2022/23 prices uprated by 3.0% a year'
 * priceBasisOf({ dimension: 'finance', priceYear: 2023, weekly: {} }).text;
 * // 'real: constant 2022/23 prices (no inflation)'
 * ```
 */
export function priceBasisOf(model: CostModel): PriceBasis {
  const priceYear = financialYearLabel(model.priceYear);
  const { words, none } = inflationWords(model.inflation, model.priceYear);
  return none
    ? { basis: 'real', priceYear, inflation: 'none', text: `real: constant ${priceYear} prices (no inflation)` }
    : { basis: 'cash', priceYear, inflation: words, text: `cash: ${priceYear} prices uprated by ${words}` };
}

const signedPct = (r: number): string => `${r >= 0 ? '+' : ''}${(r * 100).toFixed(1).replace(/\.0$/, '')}%`;
const fy = financialYearLabel;

/**
 * A lever in plain words.
 *
 * @param lever - the lever
 * @returns one line, e.g. `admissions: starters -10% from 2025/26`
 * @example
 * ```ts
 * describeLever({ kind: 'admissions', change: -0.1, from: 2026 }); // 'admissions: starters -10% from 2025/26'
 * describeLever({ kind: 'capacity', pool: 'residential', change: 8, from: 2027 }); // 'capacity: +8 places in the residential pool from 2026/27'
 * ```
 */
export function describeLever(lever: Lever): string {
  switch (lever.kind) {
    case 'admissions':
    case 'exitRate': {
      const what = lever.kind === 'admissions' ? 'starters' : 'exit rate';
      const phase = lever.phaseYears !== undefined && lever.phaseYears > 1 ? `, phased in over ${lever.phaseYears} years` : '';
      return `${lever.kind}: ${what} ${signedPct(lever.change)} from ${fy(lever.from)}${phase}`;
    }
    case 'uasc':
      return `uasc: ${lever.change >= 0 ? '+' : ''}${lever.change} starters a year from ${fy(lever.from)}${lever.to !== undefined ? ` to ${fy(lever.to)}` : ''}`;
    case 'stepDown':
      return (
        `stepDown: ${lever.children} children a year from ${lever.fromGroup} to ${lever.toGroup} from ${fy(lever.from)}` +
        `${lever.years !== undefined ? ` for ${lever.years} years` : ''}${lever.retention !== undefined ? `, ${signedPct(lever.retention).replace('+', '')} still stepped down a year later` : ''}`
      );
    case 'capacity':
      return `capacity: ${lever.change >= 0 ? '+' : ''}${lever.change} places in the ${lever.pool} pool from ${fy(lever.from)}`;
    case 'costInflation':
      return `costInflation: unit costs ${signedPct(lever.rate)} a year above the model's inflation from ${fy(lever.from)}${lever.groups ? ` (${lever.groups.join(', ')})` : ' (all groups)'}`;
  }
}
