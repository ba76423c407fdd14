/**
 * One year of the age-band model (see `types.ts` for the equations).
 *
 * @module
 */
import { CarecastInputError, type InputProblem } from '../../data/errors.js';
import { checkBandRecord, checkParams, mapBands, stepUnchecked } from './helpers.js';
import type { AgeingParams, AgeingStepResult, BandValues } from './types.js';

/**
 * One year of the ageing model (point values): starters arrive by band,
 * exits other than at 18 happen at each band's rate, stayers move up a band,
 * and those moving up from `16_plus` leave care at 18. See the module notes
 * for the equations.
 *
 * @param stock - children in care at the start (31 March) by band, each ≥ 0
 * @param starters - the year's total starters (split by `params.starterShares`), or starters by band
 * @param params - exit rates, starter shares, ageing fractions
 * @returns the stock at the end of the year by band, with the flows
 * @throws CarecastInputError for a negative or non-finite stock or starters, or parameters out of range
 * @example
 * ```ts
 * const r = ageingStep(
 *   { under_1: 100, '1_4': 100, '5_9': 100, '10_15': 100, '16_plus': 100 },
 *   50,
 *   { exitRates: { under_1: 0, '1_4': 0, '5_9': 0, '10_15': 0, '16_plus': 0 },
 *     starterShares: { under_1: 0.2, '1_4': 0.2, '5_9': 0.2, '10_15': 0.2, '16_plus': 0.2 },
 *     ageingFractions: { under_1: 1, '1_4': 0.25, '5_9': 0.2, '10_15': 1 / 6, '16_plus': 0.5 },
 *     starterAgeingFractions: { under_1: 0, '1_4': 0, '5_9': 0, '10_15': 0, '16_plus': 0 } },
 * );
 * r.leaversAt18; // 50: half of the 100 aged 16-17 reach 18
 * r.total;       // 500 + 50 starters - 50 leavers at 18 = 500
 * ```
 */
export function ageingStep(stock: BandValues<number>, starters: number | BandValues<number>, params: AgeingParams): AgeingStepResult {
  const source = 'ageingStep';
  checkParams(params, source);
  const problems: InputProblem[] = [];
  checkBandRecord(stock, source, 'stock', problems, { what: 'a stock' });
  let byBand: BandValues<number> | undefined;
  if (typeof starters === 'number') {
    if (!Number.isFinite(starters) || starters < 0) problems.push({ source, field: 'starters', message: `starters must be a non-negative number, got ${starters}`, fix: 'give the year\u2019s total starters' });
    else byBand = mapBands((b) => starters * params.starterShares[b]);
  } else {
    const r = checkBandRecord(starters, source, 'starters', problems, { what: 'a count' });
    if (r) byBand = r as BandValues<number>;
  }
  if (problems.length > 0 || !byBand) throw new CarecastInputError(problems);
  return stepUnchecked(stock, byBand, params);
}

// ---------------------------------------------------------------------------
// fitting
