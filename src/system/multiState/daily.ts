/**
 * From daily rates to the daily chain: the probability of leaving each
 * state in a day and of each destination.
 *
 * @module
 */
import { CarecastInputError, type InputProblem } from '../../data/errors.js';
import type { MultiStateModel } from './model.js';

/** Daily probabilities per state: of leaving, and of each destination (`[state * (groups + 1) + destination]`, groups then exit). */
export interface DailyProbabilities {
  /** Probability of leaving each state in a day. */
  readonly leave: Float64Array;
  /** Probability of each destination (groups, then exit) per state. */
  readonly dest: Float64Array;
}

/**
 * Daily transition probabilities per state: leave[s], and cumulative
 * destinations (groups then exit). Rates whose daily probabilities add to
 * more than 1 are an error, unless `drawn`: rates drawn from their Gamma
 * posteriors can exceed 1 in a state with very few days at risk (fitted
 * rates never do: every transition has its day at risk), and then mean
 * leaving that state within the day, to the destinations in proportion.
 *
 * @param model - the model (groups, states, discretisation)
 * @param exitRates - daily exit rates per state
 * @param moveRates - daily move rates, `[state * groups + group]`
 * @param drawn - whether the rates were drawn from their posteriors
 * @returns the daily probabilities
 * @throws CarecastInputError when fitted or given rates add to a probability above 1
 * @example
 * ```ts
 * dailyProbabilities(model, Float64Array.from(model.exitRates), flatMoves(model)).leave;
 * ```
 */
export function dailyProbabilities(model: MultiStateModel, exitRates: ArrayLike<number>, moveRates: ArrayLike<number>, drawn = false): DailyProbabilities {
  const G = model.groups.length;
  const S = model.states.length;
  const leave = new Float64Array(S);
  const dest = new Float64Array(S * (G + 1)); // probability of each destination (groups, then exit)
  const problems: InputProblem[] = [];
  for (let s = 0; s < S; s++) {
    let R = exitRates[s];
    for (let g = 0; g < G; g++) R += moveRates[s * G + g];
    const pLeave = model.discretisation === 'exponential' ? 1 - Math.exp(-R) : R;
    if (pLeave > 1 + 1e-12 && !drawn) problems.push({ source: 'multi-state model', field: 'rates', message: `state ${model.states[s]}: daily probabilities add to ${pLeave} > 1`, fix: "use discretisation 'exponential' or smaller rates" });
    leave[s] = Math.min(1, pLeave);
    const f = R > 0 ? leave[s] / R : 0;
    for (let g = 0; g < G; g++) dest[s * (G + 1) + g] = moveRates[s * G + g] * f;
    dest[s * (G + 1) + G] = exitRates[s] * f;
  }
  if (problems.length) throw new CarecastInputError(problems);
  return { leave, dest };
}

/**
 * A model's move rates as one array, `[state * groups + group]`, with moves to the same group 0.
 *
 * @param model - the model
 * @returns the flat rates
 * @example
 * ```ts
 * flatMoves(model).length; // states x groups
 * ```
 */
export function flatMoves(model: MultiStateModel): Float64Array {
  const G = model.groups.length;
  const out = new Float64Array(model.states.length * G);
  model.moveRates.forEach((r, s) => r.forEach((v, g) => (out[s * G + g] = g === s % G ? 0 : v)));
  return out;
}
