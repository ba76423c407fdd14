/**
 * The multi-state model itself: its states (age band x group, plus "not in
 * care"), its age bands, its groups' kinds, and the model as data (counts,
 * exposures, rates, starters, starting stock).
 *
 * @module
 */
import { AGE_BANDS } from '../../data/codes.js';
import { CarecastInputError, type InputProblem } from '../../data/errors.js';

/** An age band of the model: ages `from` (completed years) up to the next band's `from`. */
export interface AgeBandSpec {
  /** Band name, e.g. `10_15`. */
  readonly name: string;
  /** Lowest age in the band, in completed years. */
  readonly from: number;
}

/** The DfE age bands (under 1, 1-4, 5-9, 10-15, 16-17). */
export const DFE_AGE_BAND_SPECS: readonly AgeBandSpec[] = AGE_BANDS.map((name, i) => ({ name, from: [0, 1, 5, 10, 16][i] }));

/**
 * What the groups of the states are: carecast's placement groups, provider
 * groups or placement types, none, or `'placementProvider'`: the
 * whole-system placement group × provider group (`fostering/in_house`, ...:
 * `SYSTEM_PLACEMENT_GROUPS` × `SYSTEM_PROVIDER_GROUPS`, 12 groups), from
 * which both splits of the whole-system projection are read off the same paths.
 */
export type MultiStateGrouping = 'placement' | 'provider' | 'placementType' | 'none' | 'placementProvider';

/** How daily rates become daily probabilities. */
export type Discretisation = 'probability' | 'exponential';

/** A fitted (or given) multi-state model. */
export interface MultiStateModel {
  /** Groups, e.g. the placement groups. */
  readonly groups: readonly string[];
  /** Age bands, youngest first. */
  readonly bands: readonly AgeBandSpec[];
  /** Age at which care ends (18). */
  readonly maxAge: number;
  /** State names `band|group`, band-major: state `b * groups.length + g`. */
  readonly states: readonly string[];
  /** Person-days at risk per state. */
  readonly exposureDays: readonly number[];
  /** Moves per state to each group (same band), `[state][group]`; the diagonal is 0. */
  readonly moveCounts: readonly (readonly number[])[];
  /** Exits from care per state (excluding ageing out at 18). */
  readonly exitCounts: readonly number[];
  /** Daily move rates `[state][group]` (moves / person-days). */
  readonly moveRates: readonly (readonly number[])[];
  /** Daily exit rates per state (exits / person-days). */
  readonly exitRates: readonly number[];
  /** Children reaching 18 in care during the window. */
  readonly agedOut: number;
  /** Starters. */
  readonly entries: {
    /** Periods of care started in the window. */
    readonly count: number;
    /** Days in the window. */
    readonly days: number;
    /** Starters per day. */
    readonly perDay: number;
    /** Share of starters by single year of age (0 to maxAge - 1) × group, `[age][group]`, summing to 1. */
    readonly mix: readonly (readonly number[])[];
    /** Starters per band (counts). */
    readonly byBand: Readonly<Record<string, number>>;
    /** Starters per year per 10,000 children aged 0-17, when a population was given. */
    readonly ratePer10k?: number;
  };
  /** How rates become daily probabilities. */
  readonly discretisation: Discretisation;
  /** The fit window (day numbers), when fitted. */
  readonly window?: { readonly from: number; readonly to: number };
  /** Children in care at the end of the window: the default starting stock. */
  readonly initial: readonly InitialChild[];
  /** Day the default starting stock is counted on. */
  readonly start: number;
  /** Plain-language notes on the fit. */
  readonly notes: readonly string[];
}

/** Children in care at the start of a projection. */
export interface InitialChild {
  /** Date of birth (day number or date text). */
  readonly dob: number | string;
  /** The child's group. */
  readonly group: string;
  /** How many children like this (default 1; may be fractional for expected values only). */
  readonly count?: number;
}

/**
 * Check age bands: the first starts at 0, each starts at a whole age above the previous, the last below `maxAge`.
 *
 * @param bands - the bands, youngest first
 * @param maxAge - the age care ends at (18)
 * @param source - where the bands came from, for messages
 * @throws CarecastInputError naming each problem
 * @example
 * ```ts
 * checkBands(DFE_AGE_BAND_SPECS, 18, 'multi-state options'); // passes
 * ```
 */
export function checkBands(bands: readonly AgeBandSpec[], maxAge: number, source: string): void {
  const problems: InputProblem[] = [];
  if (bands.length === 0 || bands[0].from !== 0) problems.push({ source, field: 'ageBands', message: 'the first age band must start at 0', fix: 'e.g. [{ name: "0_9", from: 0 }, { name: "10_17", from: 10 }]' });
  for (let i = 1; i < bands.length; i++) {
    if (!(bands[i].from > bands[i - 1].from) || !Number.isInteger(bands[i].from)) problems.push({ source, field: 'ageBands', message: `band ${bands[i].name} starts at ${bands[i].from}, not a whole age above the previous band's`, fix: 'give bands in increasing order of whole years' });
  }
  if (bands.length > 0 && bands[bands.length - 1].from >= maxAge) problems.push({ source, field: 'ageBands', message: `the last band starts at ${bands[bands.length - 1].from}, not below ${maxAge}`, fix: `bands must start below ${maxAge}` });
  if (problems.length) throw new CarecastInputError(problems);
}

/**
 * State names `band|group`, band-major.
 *
 * @param bands - the age bands
 * @param groups - the groups
 * @returns `bands.length * groups.length` names
 * @example
 * ```ts
 * statesOf([{ name: 'all', from: 0 }], ['a', 'b']); // ['all|a', 'all|b']
 * ```
 */
export function statesOf(bands: readonly AgeBandSpec[], groups: readonly string[]): string[] {
  return bands.flatMap((b) => groups.map((g) => `${b.name}|${g}`));
}

/** A child of the starting stock as the projections use it: date of birth as a day number, group as an index. */
export interface StockChild {
  /** Date of birth (day number). */
  readonly dob: number;
  /** Index of the child's group. */
  readonly g: number;
  /** How many children like this. */
  readonly count: number;
}
