/**
 * Fitting the multi-state model to episodes: each rate the maximum
 * likelihood estimate for a constant daily hazard (transitions divided by
 * the person-days at risk), starters per day and their mix, optionally a
 * starter rate per 10,000 children.
 *
 * @module
 */
import { dayToIso, marchEnd } from '../../data/calendar.js';
import { CarecastInputError, type InputProblem } from '../../data/errors.js';
import type { Ssda903Data } from '../../data/loaders/ssda903.js';
import { yearValuesOf, type SeriesInput } from '../../data/yearValue.js';
import { dayArg, yearOf } from './days.js';
import { countExposure } from './exposure.js';
import { GROUP_LISTS } from './groups.js';
import { checkBands, DFE_AGE_BAND_SPECS, statesOf, type AgeBandSpec, type Discretisation, type MultiStateGrouping, type MultiStateModel } from './model.js';

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
  const bands = options.ageBands ?? DFE_AGE_BAND_SPECS;
  const maxAge = 18;
  checkBands(bands, maxAge, source);
  const B = bands.length;
  const S = B * G;
  const uasc = options.uasc;
  if (uasc === true && ![...data.children.values()].some((c) => c.uasc)) {
    throw new CarecastInputError([{ source: data.area, field: 'uasc', message: 'no child is in a UASC file, so a model of unaccompanied asylum-seeking children cannot be fitted', fix: 'load the UASC file of each return with the episodes' }]);
  }
  const { exposure, moves, exits, entryMix, entryCount, agedOut, skipped, otherStatus, initial } = countExposure(data, { from, to, by, groups, bands, maxAge, uasc });
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
