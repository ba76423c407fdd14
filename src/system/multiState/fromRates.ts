/**
 * A multi-state model given by its rates, without data.
 *
 * @module
 */
import { CarecastInputError, type InputProblem } from '../../data/errors.js';
import { dayArg } from './days.js';
import { checkBands, statesOf, type AgeBandSpec, type Discretisation, type InitialChild, type MultiStateModel } from './model.js';

/** A model given by its rates (for scenarios, tests and hand calculations). */
export interface MultiStateRates {
  /** Groups (default `['in_care']`). */
  readonly groups?: readonly string[];
  /** Age bands (default one band from 0). */
  readonly ageBands?: readonly AgeBandSpec[];
  /** Daily exit rate per state (band-major), or one value for all. */
  readonly exitRates: number | readonly number[];
  /** Daily move rates `[state][group]`, default none. */
  readonly moveRates?: readonly (readonly number[])[];
  /** Starters per day (default 0). */
  readonly entriesPerDay?: number;
  /** Starter mix `[age][group]` (default: all aged 0 in the first group). */
  readonly entryMix?: readonly (readonly number[])[];
  /** How rates become daily probabilities (default `'probability'`). */
  readonly discretisation?: Discretisation;
  /** Starting stock (default none: give `initial` to the projection). */
  readonly initial?: readonly InitialChild[];
  /** Day the projection starts from (default 0 = 1970-01-01; a day number or date text). */
  readonly start?: number | string;
}

/**
 * Build a model from given daily rates, without data: for scenarios (e.g.
 * a fitted model's rates changed), tests and hand calculations.
 *
 * @param spec - groups, bands, rates, starters, starting stock
 * @returns the model (no counts: projections have no parameter uncertainty)
 * @throws CarecastInputError when the rates' shapes do not match the states, or a rate is negative or not finite
 * @example
 * ```ts
 * // the two-state golden case: 100 children, daily exit probability 0.1
 * const m = multiStateModelFromRates({ exitRates: 0.1, initial: [{ dob: 0, group: 'in_care', count: 100 }] });
 * projectMultiState(m, { days: 25, reportDays: [1, 2, 5, 25] }).expected.total; // [90, 81, 59.049, 7.18]
 * ```
 */
export function multiStateModelFromRates(spec: MultiStateRates): MultiStateModel {
  const source = 'multi-state rates';
  const groups = spec.groups ?? ['in_care'];
  const bands = spec.ageBands ?? [{ name: 'all', from: 0 }];
  const maxAge = 18;
  checkBands(bands, maxAge, source);
  const G = groups.length;
  const S = bands.length * G;
  const problems: InputProblem[] = [];
  const exitRates = typeof spec.exitRates === 'number' ? new Array<number>(S).fill(spec.exitRates) : [...spec.exitRates];
  if (exitRates.length !== S) problems.push({ source, field: 'exitRates', message: `${exitRates.length} exit rates for ${S} states`, fix: 'give one rate per state (band-major) or a single number' });
  const moveRates = spec.moveRates ? spec.moveRates.map((r) => [...r]) : Array.from({ length: S }, () => new Array<number>(G).fill(0));
  if (moveRates.length !== S || moveRates.some((r) => r.length !== G)) problems.push({ source, field: 'moveRates', message: `move rates must be ${S} rows of ${G}`, fix: 'give [state][group] daily rates' });
  const all = [...exitRates, ...moveRates.flat(), spec.entriesPerDay ?? 0];
  if (all.some((v) => !Number.isFinite(v) || v < 0)) problems.push({ source, field: 'rates', message: 'rates must be finite and not negative', fix: 'check the rates' });
  const mix = spec.entryMix ? spec.entryMix.map((r) => [...r]) : Array.from({ length: maxAge }, (_, a) => Array.from({ length: G }, (_, g) => (a === 0 && g === 0 ? 1 : 0)));
  if (mix.length !== maxAge || mix.some((r) => r.length !== G)) problems.push({ source, field: 'entryMix', message: `the starter mix must be ${maxAge} rows (ages) of ${G}`, fix: 'give [age][group] shares' });
  const start = spec.start !== undefined ? dayArg(spec.start, 'start', problems) : 0;
  if (problems.length) throw new CarecastInputError(problems);
  const mixSum = mix.flat().reduce((s, v) => s + v, 0);
  for (let s = 0; s < S; s++) moveRates[s][s % G] = 0;
  return {
    groups,
    bands,
    maxAge,
    states: statesOf(bands, groups),
    exposureDays: new Array<number>(S).fill(0),
    moveCounts: Array.from({ length: S }, () => new Array<number>(G).fill(0)),
    exitCounts: new Array<number>(S).fill(0),
    moveRates,
    exitRates,
    agedOut: 0,
    entries: {
      count: 0,
      days: 0,
      perDay: spec.entriesPerDay ?? 0,
      mix: mix.map((r) => r.map((v) => (mixSum > 0 ? v / mixSum : 0))),
      byBand: {},
    },
    discretisation: spec.discretisation ?? 'probability',
    initial: spec.initial ?? [],
    start,
    notes: ['Model given by its rates.'],
  };
}
