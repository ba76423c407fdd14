/**
 * A multi-state model of children in care, fitted to episodes.
 *
 * States are age band × group (placement group by default; provider,
 * placement type or none are options), plus "not in care". Time runs in
 * whole days.
 *
 * - **Estimation.** Each rate is the maximum-likelihood estimate for a
 *   constant daily hazard: transitions divided by the person-days at risk in
 *   the state (not the mean of daily ratios). A child is at risk on the steps
 *   from day `t` to `t + 1` between the start of an episode (or the fit
 *   window) and its end (or the window's end, or the eve of the 18th
 *   birthday). A transition on the step from day `e - 1` to `e` belongs to the
 *   age band of day `e - 1`. Moves between episodes of the same group are not
 *   transitions.
 * - **Ageing.** Exact, by date of birth: a child is in the band of their age
 *   in completed years on each day, and leaves care on their 18th birthday
 *   (the hard exit, reported as `agedOut`, never estimated as a rate).
 * - **Starters.** Periods of care starting in the window, per day, with
 *   their mix over single year of age × group; optionally as a rate per
 *   10,000 children aged 0-17 (from a population series) and with a trend.
 * - **Projection.** A discrete daily chain. By default (`discretisation:
 *   'probability'`) a fitted daily rate is used as the daily probability of
 *   that transition: for day-stamped data this is exactly the maximum
 *   likelihood estimate of the daily chain (transitions / steps at risk), and
 *   the two-state golden case with daily probability 0.1 is exact (90, 81,
 *   72.9, ...). `'exponential'` reads rates as continuous hazards: the daily
 *   probability of leaving state s is `1 - exp(-R_s)`, shared in proportion
 *   to the rates. Each day: children reaching 18 leave, the others move by
 *   the daily probabilities of their band, then the day's starters arrive.
 *   Expected values follow every date-of-birth cohort exactly, advancing it
 *   by whole runs of days between birthdays (matrix powers); the seeded
 *   simulation follows every child (geometric waiting times, the same chain),
 *   with parameter uncertainty from the Gamma posteriors of the rates.
 *
 * @module
 */
import { AGE_BANDS, SYSTEM_PLACEMENT_GROUPS, SYSTEM_PROVIDER_GROUPS, systemPlacementGroupOf, systemProviderGroupOf } from '../data/codes.js';
import { isUascOn, periodsOfCare } from '../data/episodes.js';
import { CarecastInputError, type InputProblem } from '../data/errors.js';
import { birthdayDay, birthdayTable, completedYears, dayToIso, dobRangeForAge, financialYearOf, marchEnd, parseSsda903Date } from '../data/calendar.js';
import type { Episode, Ssda903Data } from '../data/loaders/ssda903.js';
import { yearValuesOf, type SeriesInput } from '../data/yearValue.js';
import { createRng, streamSeed, type Rng } from '../math/rng.js';
import type { SamplePaths } from '../models/types.js';
import { pathBands, type PathBands } from '../uncertainty/pathBands.js';

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

/** Options for {@link fitMultiState}. */
export interface MultiStateFitOptions {
  /** First day of the fit window (day number or date text); default the first day of the data. */
  readonly from?: number | string;
  /** Last day of the fit window (day number or date text); default the last day of the data (31 March). */
  readonly to?: number | string;
  /** Groups of the states (default `'placement'`). */
  readonly groupBy?: MultiStateGrouping;
  /** Age bands (default {@link DFE_AGE_BAND_SPECS}); the first must start at 0. */
  readonly ageBands?: readonly AgeBandSpec[];
  /** Children aged 0-17 by year (31 March), to express starters per 10,000 of them. */
  readonly population?: SeriesInput;
  /** How rates become daily probabilities in projections (default `'probability'`). */
  readonly discretisation?: Discretisation;
  /**
   * Fit to unaccompanied asylum-seeking children only (`true`) or to the
   * other children only (`false`), each period of care by the child's status
   * on its first day (`isUascOn`); default every child. `true` needs a UASC
   * file. Two models, one of each, split a projection by UASC status.
   */
  readonly uasc?: boolean;
}

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

function dayArg(v: number | string, field: string, problems: InputProblem[]): number {
  if (typeof v === 'number') return v;
  const d = parseSsda903Date(v);
  if (d === undefined) {
    problems.push({ source: 'multi-state options', field, message: `not a date: '${v}'`, fix: 'give a day number or a date as yyyy-mm-dd or dd/mm/yyyy' });
    return 0;
  }
  return d;
}

function groupKeyOf(e: Episode, by: MultiStateGrouping): string {
  switch (by) {
    case 'placement':
      return e.placementGroup;
    case 'provider':
      return e.providerGroup;
    case 'placementType':
      return e.placementType;
    case 'none':
      return 'in_care';
    case 'placementProvider':
      return `${systemPlacementGroupOf(e.placementType)}/${systemProviderGroupOf(e.provider)}`;
  }
}

const GROUP_LISTS: Record<MultiStateGrouping, readonly string[]> = {
  placement: ['fostering', 'residential', 'adoption', 'parents', 'other'],
  provider: ['internal', 'private', 'voluntary', 'other'],
  placementType: ['fostering', 'childrens_home', 'secure', 'semi_independent', 'adoption', 'parents', 'residential_school', 'other'],
  none: ['in_care'],
  placementProvider: SYSTEM_PLACEMENT_GROUPS.flatMap((p) => SYSTEM_PROVIDER_GROUPS.map((q) => `${p}/${q}`)),
};

function checkBands(bands: readonly AgeBandSpec[], maxAge: number, source: string): void {
  const problems: InputProblem[] = [];
  if (bands.length === 0 || bands[0].from !== 0) problems.push({ source, field: 'ageBands', message: 'the first age band must start at 0', fix: 'e.g. [{ name: "0_9", from: 0 }, { name: "10_17", from: 10 }]' });
  for (let i = 1; i < bands.length; i++) {
    if (!(bands[i].from > bands[i - 1].from) || !Number.isInteger(bands[i].from)) problems.push({ source, field: 'ageBands', message: `band ${bands[i].name} starts at ${bands[i].from}, not a whole age above the previous band's`, fix: 'give bands in increasing order of whole years' });
  }
  if (bands.length > 0 && bands[bands.length - 1].from >= maxAge) problems.push({ source, field: 'ageBands', message: `the last band starts at ${bands[bands.length - 1].from}, not below ${maxAge}`, fix: `bands must start below ${maxAge}` });
  if (problems.length) throw new CarecastInputError(problems);
}

/** Birthday days of bands (from ages) and of maxAge for one dob, from its row of a {@link birthdayTable}. */
function bandDays(birthdays: Int32Array, bands: readonly AgeBandSpec[], maxAge: number): number[] {
  const out = bands.map((b) => birthdays[b.from]);
  out.push(birthdays[maxAge]);
  return out;
}

/**
 * Fit the multi-state model to cleaned episodes by exposure: for every state
 * (age band × group), the person-days at risk, the moves to each other group
 * and the exits from care in the fit window, and their ratios (the
 * maximum-likelihood daily rates). Starters per day and their mix by single
 * year of age and group are counted in the same window; children in care at
 * its end are kept as the default starting stock.
 *
 * @param data - cleaned SSDA903 data with header files (dates of birth)
 * @param options - window, grouping, age bands, population, discretisation
 * @returns the fitted model with counts, exposures and rates
 * @throws CarecastInputError when there are no dates of birth, the window is empty or outside the data, or the options are invalid
 * @example
 * ```ts
 * const model = fitMultiState(loadSsda903Folder(dir), { from: '2019-04-01' });
 * model.exitRates;                  // per day, per state
 * projectMultiState(model, { to: 2026, paths: 1000, seed: 1 }).expected.total;
 * ```
 */
export function fitMultiState(data: Ssda903Data, options: MultiStateFitOptions = {}): MultiStateModel {
  const source = 'multi-state options';
  const problems: InputProblem[] = [];
  const from = options.from !== undefined ? dayArg(options.from, 'from', problems) : data.dataStart;
  const to = options.to !== undefined ? dayArg(options.to, 'to', problems) : data.dataEnd;
  if (problems.length) throw new CarecastInputError(problems);
  if (data.children.size === 0) throw new CarecastInputError([{ source: data.area, field: 'DOB', message: 'no dates of birth: the data has no header files', fix: 'load the header file of each return with the episodes' }]);
  if (!(to > from)) throw new CarecastInputError([{ source, field: 'to', message: `the fit window ${dayToIso(from)} to ${dayToIso(to)} is empty`, fix: 'give a window end after its start' }]);
  const by = options.groupBy ?? 'placement';
  const groups = GROUP_LISTS[by];
  const G = groups.length;
  const gIndex = new Map(groups.map((g, i) => [g, i]));
  const bands = options.ageBands ?? DFE_AGE_BAND_SPECS;
  const maxAge = 18;
  checkBands(bands, maxAge, source);
  const B = bands.length;
  const S = B * G;
  const exposure = new Float64Array(S);
  const moves = new Float64Array(S * G);
  const exits = new Float64Array(S);
  const entryMix = new Float64Array(maxAge * G);
  let entryCount = 0;
  let agedOut = 0;
  let skipped = 0;
  const initial: InitialChild[] = [];
  const eps = data.episodes;
  const periods = periodsOfCare(eps);
  const birthdays = birthdayTable(maxAge);
  const uasc = options.uasc;
  if (uasc === true && ![...data.children.values()].some((c) => c.uasc)) {
    throw new CarecastInputError([{ source: data.area, field: 'uasc', message: 'no child is in a UASC file, so a model of unaccompanied asylum-seeking children cannot be fitted', fix: 'load the UASC file of each return with the episodes' }]);
  }
  let otherStatus = 0;
  for (const p of periods) {
    const child = data.children.get(p.child);
    if (!child) {
      skipped++;
      continue;
    }
    if (uasc !== undefined && isUascOn(child, p.start) !== uasc) {
      otherStatus++;
      continue;
    }
    const dob = child.dob;
    const born = birthdays(dob);
    const bd = bandDays(born, bands, maxAge);
    const H = bd[B];
    // segments of constant group, zero-length episodes dropped
    let segGroup = -1;
    const segs: { a: number; b: number; g: number }[] = [];
    for (let k = p.first; k < p.last; k++) {
      const e = eps[k];
      const end = e.end ?? Infinity;
      if (end <= e.start) continue;
      const g = gIndex.get(groupKeyOf(e, by)) ?? 0;
      if (segGroup === g && segs.length > 0 && segs[segs.length - 1].b === e.start) {
        segs[segs.length - 1].b = end;
      } else {
        if (segs.length > 0) segs[segs.length - 1].b = e.start; // contiguous within a period
        segs.push({ a: e.start, b: end, g });
      }
      segGroup = g;
    }
    if (segs.length === 0) continue;
    const pStart = segs[0].a;
    // starter in the window (arrives on a day in (from, to])
    if (pStart > from && pStart <= to) {
      const age = completedYears(born, pStart);
      if (age >= 0 && age < maxAge) {
        entryMix[age * G + segs[0].g]++;
        entryCount++;
      }
    }
    // in care at the window end: the starting stock
    const atEnd = segs.find((q) => q.a <= to && q.b > to);
    if (atEnd && to < H) initial.push({ dob, group: groups[atEnd.g] });
    const bandAt = (day: number): number => {
      let b = 0;
      while (b + 1 < B && day >= bd[b + 1]) b++;
      return b;
    };
    for (let si = 0; si < segs.length; si++) {
      const { a, b, g } = segs[si];
      // at-risk steps t in [max(a, from), min(b, H - 1, to))
      const lo = Math.max(a, from);
      const hi = Math.min(b, H - 1, to);
      if (hi > lo) {
        for (let k = 0; k < B; k++) {
          const x = Math.max(lo, bd[k]);
          const y = Math.min(hi, bd[k + 1]);
          if (y > x) exposure[k * G + g] += y - x;
        }
      }
      // the event at day b (step b - 1)
      if (b >= H) {
        // in care on the eve of the 18th birthday: aged out, not an exit
        if (H - 1 >= from && H - 1 < to) agedOut++;
        break;
      }
      if (b === Infinity) continue;
      const step = b - 1;
      if (step < from || step >= to) continue;
      const state = bandAt(step) * G + g;
      if (si + 1 < segs.length) moves[state * G + segs[si + 1].g]++;
      else exits[state]++;
    }
  }
  const days = to - from;
  const mixTotal = entryMix.reduce((s, v) => s + v, 0);
  const byBand: Record<string, number> = {};
  for (let k = 0; k < B; k++) {
    const hiAge = k + 1 < B ? bands[k + 1].from : maxAge;
    let s = 0;
    for (let a = bands[k].from; a < hiAge; a++) for (let g = 0; g < G; g++) s += entryMix[a * G + g];
    byBand[bands[k].name] = s;
  }
  const notes: string[] = [
    `Fitted on ${dayToIso(from)} to ${dayToIso(to)} (${days} days): ${entryCount} starters, ${exits.reduce((s, v) => s + v, 0)} exits, ${moves.reduce((s, v) => s + v, 0)} moves between groups, ${agedOut} reaching 18 in care.`,
  ];
  if (skipped > 0) notes.push(`${skipped} periods of care skipped: the child has no date of birth.`);
  if (uasc !== undefined) notes.push(`Fitted to ${uasc ? 'unaccompanied asylum-seeking children' : 'children other than unaccompanied asylum-seekers'} only (status on the first day of each period of care): ${otherStatus} periods of the other children left out.`);
  let ratePer10k: number | undefined;
  if (options.population !== undefined) {
    const pop = yearValuesOf(options.population, 'population');
    const popMap = new Map(pop.points.filter((q) => q.value !== null).map((q) => [q.year, q.value as number]));
    // population-days over the window, by the year (to 31 March) each day falls in
    let popDays = 0;
    const missing: number[] = [];
    for (let y = yearOf(from + 1); y <= yearOf(to); y++) {
      const lo = Math.max(from + 1, marchEnd(y - 1) + 1);
      const hi = Math.min(to, marchEnd(y));
      const v = popMap.get(y);
      if (v === undefined) missing.push(y);
      else popDays += (hi - lo + 1) * v;
    }
    if (missing.length) throw new CarecastInputError([{ source: pop.measure, field: 'year', message: `no population for ${missing.join(', ')}, inside the fit window`, fix: 'give the 0-17 population for every year of the window' }]);
    ratePer10k = (entryCount / popDays) * 365.25 * 10_000;
  }
  const exitRates = Array.from(exposure, (e, s) => (e > 0 ? exits[s] / e : 0));
  const moveRates = Array.from({ length: S }, (_, s) => Array.from({ length: G }, (_, g) => (exposure[s] > 0 ? moves[s * G + g] / exposure[s] : 0)));
  for (let s = 0; s < S; s++) if (exposure[s] === 0) notes.push(`State ${bands[Math.floor(s / G)].name}|${groups[s % G]} has no days at risk: its rates are 0.`);
  return {
    groups,
    bands,
    maxAge,
    states: statesOf(bands, groups),
    exposureDays: Array.from(exposure),
    moveCounts: Array.from({ length: S }, (_, s) => Array.from(moves.subarray(s * G, s * G + G))),
    exitCounts: Array.from(exits),
    moveRates,
    exitRates,
    agedOut,
    entries: {
      count: entryCount,
      days,
      perDay: entryCount / days,
      mix: Array.from({ length: maxAge }, (_, a) => Array.from({ length: G }, (_, g) => (mixTotal > 0 ? entryMix[a * G + g] / mixTotal : 0))),
      byBand,
      ratePer10k,
    },
    discretisation: options.discretisation ?? 'probability',
    window: { from, to },
    initial,
    start: to,
    notes,
  };
}

function yearOf(day: number): number {
  return financialYearOf(day).year;
}

function statesOf(bands: readonly AgeBandSpec[], groups: readonly string[]): string[] {
  return bands.flatMap((b) => groups.map((g) => `${b.name}|${g}`));
}

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

/** Options for {@link projectMultiState}. */
export interface MultiStateProjectionOptions {
  /** Last year to project (the projection ends on its 31 March). Give this or `days`. */
  readonly to?: number;
  /** Days to project. Give this or `to`. */
  readonly days?: number;
  /** Days after the start to report (default: every 31 March to the end, and the last day). */
  readonly reportDays?: readonly number[];
  /** Starting stock (default the model's: children in care at the end of the fit window). */
  readonly initial?: readonly InitialChild[];
  /** Start day (default the model's start). */
  readonly start?: number | string;
  /** Starters per day (default the model's). */
  readonly entriesPerDay?: number;
  /** Yearly proportional trend in starters, e.g. 0.03 for +3% a year (default 0). */
  readonly entryTrend?: number;
  /** Children aged 0-17 by year (31 March) for the projected years: starters = the model's rate per 10,000 × population (needs a model fitted with `population`). */
  readonly population?: SeriesInput;
  /** Simulated paths (default 0: expected values only). */
  readonly paths?: number;
  /** Random seed (default 1). */
  readonly seed?: number;
  /** Interval levels in percent (default 80 and 95). */
  readonly levels?: readonly number[];
  /** Draw each path's rates from their Gamma posteriors (default true when the model has counts). */
  readonly parameterUncertainty?: boolean;
}

/** Counts per report day. */
export interface MultiStateCounts {
  /** Children in care. */
  readonly total: readonly number[];
  /** Not in care: everyone who left since the start (exits + aged out). */
  readonly notInCare: readonly number[];
  /** In care by group. */
  readonly byGroup: Readonly<Record<string, readonly number[]>>;
  /** In care by age band. */
  readonly byBand: Readonly<Record<string, readonly number[]>>;
  /** In care by state `band|group`, `[report][state]`. */
  readonly byState: readonly (readonly number[])[];
  /** Starters since the previous report day. */
  readonly entries: readonly number[];
  /** Exits (not at 18) since the previous report day. */
  readonly exits: readonly number[];
  /** Children reaching 18 in care since the previous report day. */
  readonly agedOut: readonly number[];
}

/** Simulated bands per report day. */
export interface MultiStateSimulation {
  /** Number of paths. */
  readonly paths: number;
  /** Children in care. */
  readonly total: PathBands;
  /** In care by group. */
  readonly byGroup: Readonly<Record<string, PathBands>>;
  /** In care by age band. */
  readonly byBand: Readonly<Record<string, PathBands>>;
  /** Starters, exits and aged out per report interval. */
  readonly flows: { readonly entries: PathBands; readonly exits: PathBands; readonly agedOut: PathBands };
  /** The simulated totals, path after path (for costs and scenarios). */
  readonly totalPaths: SamplePaths;
  /** The simulated children in care by group, path after path; on every path and report day the groups add up to the total. */
  readonly groupPaths: Readonly<Record<string, SamplePaths>>;
  /** The simulated children in care by age band, path after path; they add up to the total likewise. */
  readonly bandPaths: Readonly<Record<string, SamplePaths>>;
  /** The simulated starters, exits (not at 18) and children reaching 18 in care in each report interval, path after path. */
  readonly flowPaths: { readonly entries: SamplePaths; readonly exits: SamplePaths; readonly agedOut: SamplePaths };
  /** Children in care on the start day (the starting stock under 18 then): on every path, children in care on a report day = this + starters - exits - reaching 18 to that day. */
  readonly startStock: number;
}

/** The result of {@link projectMultiState}. */
export interface MultiStateProjection {
  /** Start day (day number). */
  readonly start: number;
  /** Report days as offsets from the start. */
  readonly reportDays: readonly number[];
  /** Report days as ISO dates. */
  readonly dates: readonly string[];
  /** States `band|group`. */
  readonly states: readonly string[];
  /** Expected values (the daily chain, every date-of-birth cohort followed). */
  readonly expected: MultiStateCounts;
  /** Seeded simulation, when `paths` > 0. */
  readonly simulation?: MultiStateSimulation;
  /** Plain-language notes. */
  readonly notes: readonly string[];
}

/**
 * Daily transition probabilities per state: leave[s], and cumulative
 * destinations (groups then exit). Rates whose daily probabilities add to
 * more than 1 are an error, unless `drawn`: rates drawn from their Gamma
 * posteriors can exceed 1 in a state with very few days at risk (fitted
 * rates never do: every transition has its day at risk), and then mean
 * leaving that state within the day, to the destinations in proportion.
 */
function dailyProbabilities(model: MultiStateModel, exitRates: ArrayLike<number>, moveRates: ArrayLike<number>, drawn = false): { leave: Float64Array; dest: Float64Array } {
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

function flatMoves(model: MultiStateModel): Float64Array {
  const G = model.groups.length;
  const out = new Float64Array(model.states.length * G);
  model.moveRates.forEach((r, s) => r.forEach((v, g) => (out[s * G + g] = g === s % G ? 0 : v)));
  return out;
}

/** Gamma(shape, 1) draw (Marsaglia & Tsang 2000; shape < 1 by the boost U^(1/a)). */
function gammaDraw(rng: Rng, shape: number): number {
  if (shape <= 0) return 0;
  if (shape < 1) return gammaDraw(rng, shape + 1) * Math.pow(1 - rng.uniform(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.uniform();
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

function poissonDraw(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
  const L = Math.exp(-mean);
  let k = 0;
  let p = 1;
  for (;;) {
    p *= rng.uniform();
    if (p <= L) return k;
    k++;
  }
}

/**
 * For each day start + t (t = 0..nDays), the latest date of birth giving
 * each age 0..maxAge (completed years): `hi[t * (maxAge + 1) + a]`. The
 * dates of birth giving age a are `hi[a + 1] + 1 .. hi[a]`.
 */
function latestDobTable(start: number, nDays: number, maxAge: number): Float64Array {
  const W = maxAge + 1;
  const out = new Float64Array((nDays + 1) * W);
  for (let t = 0; t <= nDays; t++) {
    const day = start + t;
    out[t * W] = day;
    for (let a = 1; a <= maxAge; a++) out[t * W + a] = dobRangeForAge(day, a)[1];
  }
  return out;
}

/**
 * Project a multi-state model day by day: expected values always, and a
 * seeded simulation with bands when `paths` > 0.
 *
 * Each day from the start: children whose 18th birthday is the next day
 * leave care (`agedOut`); every other child moves to another group or out of
 * care with the daily probabilities of their band and group (see the module
 * notes for `discretisation`); then the next day's starters arrive, by
 * single year of age and group as fitted, spread evenly over the dates of
 * birth giving that age. Expected values follow each date-of-birth cohort
 * a run of days at a time: between its birthdays, the report days and the
 * days when its age's starters per date of birth change, k days are one step
 * by the k-th power of its band's daily matrix (so the cost grows with the
 * number of report days, not of days). The simulation follows each child
 * with geometric waiting times (the same chain), Poisson starters, and (when
 * the model has counts) rates drawn per path from their Gamma posteriors
 * (shape = transitions, rate = days at risk).
 *
 * @param model - a fitted or given model
 * @param options - horizon (`to` or `days`), report days, starting stock, starters, paths, seed, levels
 * @returns expected counts per report day, and simulated bands when asked
 * @throws CarecastInputError for a missing or invalid horizon, unknown groups in the starting stock, daily probabilities above 1, or a population that does not cover the horizon
 * @example
 * ```ts
 * const p = projectMultiState(fitMultiState(data), { to: 2026, paths: 1000, seed: 7 });
 * p.expected.total;                    // children in care each 31 March
 * p.simulation?.total.intervals[1];    // 95% band
 * p.expected.byGroup.residential;
 * ```
 */
export function projectMultiState(model: MultiStateModel, options: MultiStateProjectionOptions): MultiStateProjection {
  const source = 'multi-state projection options';
  const problems: InputProblem[] = [];
  const start = options.start !== undefined ? dayArg(options.start, 'start', problems) : model.start;
  let nDays: number;
  if (options.days !== undefined) nDays = options.days;
  else if (options.to !== undefined) nDays = marchEnd(options.to) - start;
  else {
    problems.push({ source, field: 'to', message: 'no horizon', fix: 'give `to` (a year) or `days`' });
    nDays = 0;
  }
  if (!Number.isInteger(nDays) || nDays < 1) problems.push({ source, field: options.days !== undefined ? 'days' : 'to', message: `the projection must cover at least one day, got ${nDays}`, fix: 'give a later `to` or more `days`' });
  const G = model.groups.length;
  const B = model.bands.length;
  const S = B * G;
  const maxAge = model.maxAge;
  const gIndex = new Map(model.groups.map((g, i) => [g, i]));
  const initialIn = options.initial ?? model.initial;
  const initial = initialIn.map((c, i) => {
    const dob = dayArg(c.dob, `initial[${i}].dob`, problems);
    const g = gIndex.get(c.group);
    if (g === undefined) problems.push({ source, row: i + 1, field: 'group', message: `unknown group '${c.group}'`, fix: `use one of ${model.groups.join(', ')}` });
    return { dob, g: g ?? 0, count: c.count ?? 1 };
  });
  if (problems.length) throw new CarecastInputError(problems);
  let reportDays: number[];
  if (options.reportDays) reportDays = [...new Set(options.reportDays)].sort((a, b) => a - b);
  else {
    reportDays = [];
    for (let y = yearOf(start + 1); marchEnd(y) - start <= nDays; y++) if (marchEnd(y) > start) reportDays.push(marchEnd(y) - start);
    if (reportDays[reportDays.length - 1] !== nDays) reportDays.push(nDays);
  }
  if (reportDays.some((d) => !Number.isInteger(d) || d < 1 || d > nDays)) {
    throw new CarecastInputError([{ source, field: 'reportDays', message: `report days must be whole days from 1 to ${nDays}`, fix: 'give offsets from the start within the horizon' }]);
  }
  // starters per day (index t = 1..nDays: arriving on day start + t); `level` is before the trend
  const level = new Float64Array(nDays + 1);
  const notes: string[] = [];
  const trend = options.entryTrend ?? 0;
  if (options.population !== undefined) {
    if (model.entries.ratePer10k === undefined) throw new CarecastInputError([{ source, field: 'population', message: 'the model has no starter rate per 10,000 (it was fitted without a population)', fix: 'fit with `population`, or give `entriesPerDay`' }]);
    const pop = new Map(yearValuesOf(options.population, 'population').points.filter((q) => q.value !== null).map((q) => [q.year, q.value as number]));
    const missing = new Set<number>();
    for (let t = 1; t <= nDays; t++) {
      const v = pop.get(yearOf(start + t));
      if (v === undefined) missing.add(yearOf(start + t));
      else level[t] = (model.entries.ratePer10k * v) / 10_000 / 365.25;
    }
    if (missing.size) throw new CarecastInputError([{ source, field: 'population', message: `no population for ${[...missing].join(', ')}`, fix: 'give the 0-17 population for every projected year' }]);
    notes.push(`Starters: ${model.entries.ratePer10k.toFixed(2)} a year per 10,000 children aged 0-17 times the population.`);
  } else level.fill(options.entriesPerDay ?? model.entries.perDay);
  level[0] = 0;
  const perDay = Float64Array.from(level);
  if (trend !== 0) for (let t = 1; t <= nDays; t++) perDay[t] *= Math.pow(1 + trend, t / 365.25);
  // starter mix by age and group: ages with any starters
  const mixFlat = model.entries.mix.flat();
  const exitRates = Float64Array.from(model.exitRates);
  const moveRates = flatMoves(model);
  const base = dailyProbabilities(model, exitRates, moveRates);

  const dobs = latestDobTable(start, nDays, model.maxAge);
  const expected = projectExpected(model, base, initial, start, reportDays, { perDay, level, trend }, mixFlat, dobs);
  let simulation: MultiStateSimulation | undefined;
  const nPaths = options.paths ?? 0;
  if (nPaths > 0) {
    const hasCounts = model.exposureDays.some((e) => e > 0);
    const paramUnc = options.parameterUncertainty ?? hasCounts;
    simulation = simulate(model, initial, start, nDays, reportDays, perDay, mixFlat, dobs, nPaths, options.seed ?? 1, options.levels ?? [80, 95], paramUnc && hasCounts);
    if (paramUnc && !hasCounts) notes.push('No counts in the model: the simulation has no parameter uncertainty.');
  }
  return { start, reportDays, dates: reportDays.map((d) => dayToIso(start + d)), states: model.states, expected, simulation, notes };
}

/**
 * Expected values: every date-of-birth cohort followed exactly, a run of
 * days at a time. Within a run the cohort's band (so its daily matrix M and
 * exit probabilities X) and its starters per day are fixed (up to the trend's
 * growth), so its k daily steps are one step by precomputed tables:
 *
 *     x -> x M^k + c u_k,   exits += x (I + M + ... + M^(k-1)) X + c f_k
 *
 * where c is the starters per date of birth on the run's first day and u_k,
 * f_k are what a unit inflow per day (growing with the trend) leaves in care
 * and sends out of care after k days. Runs end at birthdays, report days,
 * and the days when the starters per date of birth of the cohort's age change
 * (a new population year; 365 or 366 dates of birth giving an age). The
 * birthday step is a run of one day: the matrix of the old age, the starters
 * of the new one. Every term is a sum of products of non-negative numbers,
 * so zeros stay exact; the results equal the day-by-day chain (one cohort,
 * one day at a time) up to rounding.
 */
function projectExpected(
  model: MultiStateModel,
  P: { leave: Float64Array; dest: Float64Array },
  initial: readonly { dob: number; g: number; count: number }[],
  start: number,
  reportDays: readonly number[],
  starters: { perDay: Float64Array; level: Float64Array; trend: number },
  mixFlat: readonly number[],
  dobs: Float64Array,
): MultiStateCounts {
  const G = model.groups.length;
  const GG = G * G;
  const B = model.bands.length;
  const S = B * G;
  const maxAge = model.maxAge;
  const W = maxAge + 1;
  const R = reportDays.length;
  const lastDay = reportDays[R - 1]; // nothing after the last report day is reported
  const { perDay, level, trend } = starters;
  // the longest run: a year of one age (366 days)
  const K = Math.min(366, lastDay);
  const bandOfAge = Array.from({ length: maxAge }, (_, a) => {
    let b = 0;
    while (b + 1 < B && a >= model.bands[b + 1].from) b++;
    return b;
  });
  // per band: the powers M^k and the exits over k days (I + M + ... + M^(k-1)) X, k = 0..K
  const pow: Float64Array[] = [];
  const exitSum: Float64Array[] = [];
  const exitProb: Float64Array[] = [];
  for (let b = 0; b < B; b++) {
    const M = new Float64Array(GG);
    const X = new Float64Array(G);
    for (let g = 0; g < G; g++) {
      const s = b * G + g;
      for (let h = 0; h < G; h++) M[g * G + h] = h === g ? 1 - P.leave[s] : P.dest[s * (G + 1) + h];
      X[g] = P.dest[s * (G + 1) + G];
    }
    const Pk = new Float64Array((K + 1) * GG);
    const Ek = new Float64Array((K + 1) * G);
    for (let g = 0; g < G; g++) Pk[g * G + g] = 1;
    for (let k = 1; k <= K; k++) {
      const prev = (k - 1) * GG;
      for (let g = 0; g < G; g++) {
        let e = 0;
        for (let h = 0; h < G; h++) {
          e += Pk[prev + g * G + h] * X[h];
          let acc = 0;
          for (let j = 0; j < G; j++) acc += Pk[prev + g * G + j] * M[j * G + h];
          Pk[k * GG + g * G + h] = acc;
        }
        Ek[k * G + g] = Ek[(k - 1) * G + g] + e;
      }
    }
    pow.push(Pk);
    exitSum.push(Ek);
    exitProb.push(X);
  }
  // starters per date of birth of age a arriving on day t: nA(a, t) dates of birth share them
  const nA = (a: number, t: number): number => dobs[t * W + a] - dobs[t * W + a + 1];
  // per age with starters: a unit inflow a day (times the trend's growth r_j on day j of the run) into the age's
  // mix leaves u_k in care after k days and has sent f_k out of care: u_(k+1) = u_k M + r_(k+1) mix,
  // f_(k+1) = f_k + u_k X; and `until[t]`, the last day of the run from day t with the same starters per date of
  // birth before the trend (same population year, same number of dates of birth giving the age)
  const anyEntries = perDay.some((v) => v > 0);
  const inflow: ({ u: Float64Array; f: Float64Array; until: Int32Array } | undefined)[] = [];
  for (let a = 0; a < maxAge; a++) {
    const mix = mixFlat.slice(a * G, a * G + G);
    if (!anyEntries || mix.every((m) => m === 0)) {
      inflow.push(undefined);
      continue;
    }
    const Pk = pow[bandOfAge[a]];
    const X = exitProb[bandOfAge[a]];
    const u = new Float64Array((K + 1) * G);
    const f = new Float64Array(K + 1);
    for (let k = 1; k <= K; k++) {
      const r = trend !== 0 ? Math.pow(1 + trend, k / 365.25) : 1;
      const prev = (k - 1) * G;
      let e = 0;
      for (let h = 0; h < G; h++) {
        e += u[prev + h] * X[h];
        let acc = 0;
        for (let g = 0; g < G; g++) acc += u[prev + g] * Pk[GG + g * G + h];
        u[k * G + h] = acc + r * mix[h];
      }
      f[k] = f[k - 1] + e;
    }
    const until = new Int32Array(lastDay + 1);
    until[lastDay] = lastDay;
    for (let t = lastDay - 1; t >= 1; t--) until[t] = level[t] === level[t + 1] && nA(a, t) === nA(a, t + 1) ? until[t + 1] : t;
    inflow.push({ u, f, until });
  }

  const byState = Array.from({ length: R }, () => new Array<number>(S).fill(0));
  const exitsOut = new Array<number>(R).fill(0);
  const agedOutOut = new Array<number>(R).fill(0);
  // the starting stock by date of birth (under 18 at the start)
  const stock = new Map<number, Float64Array>();
  for (const c of initial) {
    if (!(c.dob > dobs[maxAge] && c.dob <= start)) continue;
    let v = stock.get(c.dob);
    if (!v) stock.set(c.dob, (v = new Float64Array(G)));
    v[c.g] += c.count;
  }
  const x = new Float64Array(G);
  const tmp = new Float64Array(G);
  // cohorts: from the oldest under 18 at the start to the last born by the last report day
  for (let d = dobs[maxAge] + 1; d <= start + lastDay; d++) {
    const x0 = stock.get(d);
    if (!x0 && !anyEntries) continue;
    if (x0) x.set(x0);
    else x.fill(0);
    // day t (offset from the start) and age a; a cohort born later starts, empty, on the eve of its birth at age 0
    let t = d <= start ? 0 : d - start - 1;
    let a = 0;
    while (a + 1 < maxAge && dobs[a + 1] >= d) a++;
    let birthday = birthdayDay(d, a + 1) - start; // the next birthday, as a day offset
    let r = 0;
    while (r < R && reportDays[r] <= t) r++;
    while (r < R) {
      if (birthday === t + 1 && a + 1 === maxAge) {
        // 18 tomorrow: leaves care
        let sum = 0;
        for (let g = 0; g < G; g++) sum += x[g];
        agedOutOut[r] += sum;
        break;
      }
      // this run: k days in the band of age a, with the starters of age ia (the new age on the birthday step)
      const ia = birthday === t + 1 ? a + 1 : a;
      let k = birthday === t + 1 ? 1 : Math.min(birthday - 1 - t, reportDays[r] - t, K);
      const flow = inflow[ia];
      if (flow) k = Math.min(k, flow.until[t + 1] - t);
      const b = bandOfAge[a];
      const Pk = pow[b];
      const Ek = exitSum[b];
      let e = 0;
      for (let h = 0; h < G; h++) {
        e += x[h] * Ek[k * G + h];
        let acc = 0;
        for (let g = 0; g < G; g++) acc += x[g] * Pk[k * GG + g * G + h];
        tmp[h] = acc;
      }
      x.set(tmp);
      const lv = level[t + 1];
      if (flow && lv > 0) {
        // c r_j = the starters per date of birth on day t + j (r_j, the trend's growth over j days, is in u_k)
        const c = (trend !== 0 ? lv * Math.pow(1 + trend, t / 365.25) : lv) / nA(ia, t + 1);
        for (let h = 0; h < G; h++) x[h] += c * flow.u[k * G + h];
        e += c * flow.f[k];
      }
      exitsOut[r] += e;
      t += k;
      if (t === birthday) birthday = birthdayDay(d, ++a + 1) - start;
      if (t === reportDays[r]) {
        const out = byState[r];
        const o = bandOfAge[a] * G;
        for (let g = 0; g < G; g++) out[o + g] += x[g];
        r++;
      }
    }
  }
  // starters, and everyone who left, per report interval
  const entriesOut = new Array<number>(R).fill(0);
  const notInCare = new Array<number>(R).fill(0);
  let entries = 0;
  let cumOut = 0;
  for (let t = 1, r = 0; r < R; t++) {
    if (anyEntries && perDay[t] > 0) entries += perDay[t];
    if (reportDays[r] === t) {
      entriesOut[r] = entries;
      cumOut += exitsOut[r] + agedOutOut[r];
      notInCare[r] = cumOut;
      entries = 0;
      r++;
    }
  }
  return countsFrom(model, byState, notInCare, entriesOut, exitsOut, agedOutOut);
}

function countsFrom(
  model: MultiStateModel,
  byState: number[][],
  notInCare: number[],
  entries: number[],
  exits: number[],
  agedOut: number[],
): MultiStateCounts {
  const G = model.groups.length;
  const byGroup: Record<string, number[]> = {};
  const byBand: Record<string, number[]> = {};
  model.groups.forEach((g, gi) => (byGroup[g] = byState.map((row) => model.bands.reduce((s, _, b) => s + row[b * G + gi], 0))));
  model.bands.forEach((b, bi) => (byBand[b.name] = byState.map((row) => row.slice(bi * G, bi * G + G).reduce((s, v) => s + v, 0))));
  return { total: byState.map((row) => row.reduce((s, v) => s + v, 0)), notInCare, byGroup, byBand, byState, entries, exits, agedOut };
}

function simulate(
  model: MultiStateModel,
  initial: readonly { dob: number; g: number; count: number }[],
  start: number,
  nDays: number,
  reportDays: readonly number[],
  perDay: Float64Array,
  mixFlat: readonly number[],
  dobs: Float64Array,
  nPaths: number,
  seed: number,
  levels: readonly number[],
  paramUnc: boolean,
): MultiStateSimulation {
  const G = model.groups.length;
  const B = model.bands.length;
  const S = B * G;
  const R = reportDays.length;
  const maxAge = model.maxAge;
  const absReport = reportDays.map((d) => start + d);
  // outputs: total, groups, bands, entries, exits, aged
  const total = new Float64Array(nPaths * R);
  const grp = model.groups.map(() => new Float64Array(nPaths * R));
  const bnd = model.bands.map(() => new Float64Array(nPaths * R));
  const fEnt = new Float64Array(nPaths * R);
  const fExit = new Float64Array(nPaths * R);
  const fAged = new Float64Array(nPaths * R);
  const mixCum = new Float64Array(mixFlat.length);
  const baseMix = Float64Array.from(mixFlat);
  const end = start + nDays;
  // integer starting stock (fractional counts rounded)
  const initChildren: { dob: number; g: number }[] = [];
  for (const c of initial) for (let k = 0; k < Math.round(c.count); k++) initChildren.push({ dob: c.dob, g: c.g });
  const boundsCache = new Map<number, number[]>();
  const birthdays = birthdayTable(maxAge);
  const boundsOf = (dob: number): number[] => {
    let b = boundsCache.get(dob);
    if (!b) {
      b = bandDays(birthdays(dob), model.bands, maxAge);
      boundsCache.set(dob, b);
    }
    return b;
  };
  const reportIndexFrom = (day: number): number => {
    // first report index with absReport >= day
    let lo = 0;
    let hi = R;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (absReport[m] < day) lo = m + 1;
      else hi = m;
    }
    return lo;
  };
  const entryCounts = model.entries.mix.flat().map((m) => m * model.entries.count);
  let startStock = 0;
  for (let p = 0; p < nPaths; p++) {
    const rng = createRng(streamSeed(seed, p));
    let exitR: Float64Array = Float64Array.from(model.exitRates);
    let moveR = flatMoves(model);
    let scale = 1;
    let mix = baseMix;
    if (paramUnc) {
      exitR = Float64Array.from(model.exitCounts, (k, s) => (model.exposureDays[s] > 0 ? gammaDraw(rng, k) / model.exposureDays[s] : 0));
      moveR = new Float64Array(S * G);
      for (let s = 0; s < S; s++) for (let g = 0; g < G; g++) moveR[s * G + g] = g === s % G || model.exposureDays[s] === 0 ? 0 : gammaDraw(rng, model.moveCounts[s][g]) / model.exposureDays[s];
      if (model.entries.count > 0) {
        scale = gammaDraw(rng, model.entries.count) / model.entries.count;
        const w = entryCounts.map((k) => gammaDraw(rng, k));
        const sw = w.reduce((a, b) => a + b, 0);
        mix = Float64Array.from(w, (v) => (sw > 0 ? v / sw : 0));
      }
    }
    const P = dailyProbabilities(model, exitR, moveR, paramUnc);
    let acc = 0;
    for (let i = 0; i < mix.length; i++) mixCum[i] = acc += mix[i];
    const o = p * R;
    const follow = (dob: number, g0: number, t0: number): void => {
      const bd = boundsOf(dob);
      const H = bd[B];
      let t = t0;
      let g = g0;
      let b = 0;
      while (b + 1 < B && t >= bd[b + 1]) b++;
      for (;;) {
        // at-risk steps in this band: t .. lim - 1
        const lim = Math.min(b + 1 < B ? bd[b + 1] : Infinity, H - 1, end);
        const s = b * G + g;
        const pl = P.leave[s];
        let D = Infinity;
        if (pl >= 1) D = 1;
        else if (pl > 0) D = Math.max(1, Math.ceil(Math.log(1 - rng.uniform()) / Math.log(1 - pl)));
        const tEnd = t + D <= lim ? t + D : lim;
        // in care in group g, band b on days t .. tEnd - 1 (and on tEnd if no event)
        for (let ri = reportIndexFrom(t); ri < R && absReport[ri] < tEnd; ri++) {
          total[o + ri]++;
          grp[g][o + ri]++;
          bnd[b][o + ri]++;
        }
        if (t + D <= lim) {
          // event on day t + D
          const u = rng.uniform() * pl;
          const d0 = s * (G + 1);
          let k = 0;
          let c = P.dest[d0];
          while (k < G && u >= c) c += P.dest[d0 + ++k];
          if (k >= G) {
            const ri = reportIndexFrom(t + D);
            if (ri < R) fExit[o + ri]++;
            return;
          }
          g = k;
          t = t + D;
          continue;
        }
        t = lim;
        if (t >= end) {
          // still in care at the end: count the last day
          for (let ri = reportIndexFrom(t); ri < R && absReport[ri] <= t; ri++) {
            total[o + ri]++;
            grp[g][o + ri]++;
            bnd[b][o + ri]++;
          }
          return;
        }
        if (t === H - 1) {
          // in care on the eve of the 18th birthday, then aged out
          for (let ri = reportIndexFrom(t); ri < R && absReport[ri] <= t; ri++) {
            total[o + ri]++;
            grp[g][o + ri]++;
            bnd[b][o + ri]++;
          }
          const ri = reportIndexFrom(H);
          if (ri < R) fAged[o + ri]++;
          return;
        }
        b++;
      }
    };
    for (const c of initChildren) {
      const H = boundsOf(c.dob)[B];
      if (H <= start) continue; // 18 by the start: not in care
      if (p === 0) startStock++;
      if (H > start + 1) follow(c.dob, c.g, start);
      else {
        // 18 the day after the start: in care on the start day only
        const ri = reportIndexFrom(start + 1);
        if (ri < R) fAged[o + ri]++;
      }
    }
    for (let t = 1; t <= nDays; t++) {
      const lam = perDay[t] * scale;
      if (lam <= 0) continue;
      const n = poissonDraw(rng, lam);
      const day = start + t;
      for (let k = 0; k < n; k++) {
        const u = rng.uniform() * acc;
        let i = 0;
        while (i < mixCum.length - 1 && u >= mixCum[i]) i++;
        const a = Math.floor(i / G);
        const g = i % G;
        const hi = dobs[t * (maxAge + 1) + a];
        const lo = dobs[t * (maxAge + 1) + a + 1] + 1;
        const dob = lo + Math.floor(rng.uniform() * (hi - lo + 1));
        const ri = reportIndexFrom(day);
        if (ri < R) fEnt[o + ri]++;
        follow(dob, g, day);
      }
    }
  }
  const sp = (values: Float64Array): SamplePaths => ({ paths: nPaths, horizon: R, values });
  const byGroup: Record<string, PathBands> = {};
  const groupPaths: Record<string, SamplePaths> = {};
  model.groups.forEach((g, i) => {
    groupPaths[g] = sp(grp[i]);
    byGroup[g] = pathBands(groupPaths[g], levels);
  });
  const byBand: Record<string, PathBands> = {};
  const bandPaths: Record<string, SamplePaths> = {};
  model.bands.forEach((b, i) => {
    bandPaths[b.name] = sp(bnd[i]);
    byBand[b.name] = pathBands(bandPaths[b.name], levels);
  });
  return {
    paths: nPaths,
    total: pathBands(sp(total), levels),
    byGroup,
    byBand,
    flows: { entries: pathBands(sp(fEnt), levels), exits: pathBands(sp(fExit), levels), agedOut: pathBands(sp(fAged), levels) },
    totalPaths: sp(total),
    groupPaths,
    bandPaths,
    flowPaths: { entries: sp(fEnt), exits: sp(fExit), agedOut: sp(fAged) },
    startStock,
  };
}
