/**
 * Projection of the multi-state model: the options read, the expected
 * values always and a seeded simulation when asked.
 *
 * @module
 */
import { dayToIso, marchEnd } from '../../data/calendar.js';
import { CarecastInputError, type InputProblem } from '../../data/errors.js';
import { yearValuesOf } from '../../data/yearValue.js';
import { dailyProbabilities, flatMoves } from './daily.js';
import { dayArg, latestDobTable, yearOf } from './days.js';
import { projectExpected } from './expected.js';
import type { MultiStateModel } from './model.js';
import type { MultiStateProjection, MultiStateProjectionOptions, MultiStateSimulation } from './results.js';
import { simulate } from './simulate.js';

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
    simulation = simulate(model, initial, start, nDays, reportDays, perDay, mixFlat, dobs, nPaths, options.seed ?? 1, options.levels ?? [80, 95], paramUnc && hasCounts, options.onProgress);
    if (paramUnc && !hasCounts) notes.push('No counts in the model: the simulation has no parameter uncertainty.');
  }
  return { start, reportDays, dates: reportDays.map((d) => dayToIso(start + d)), states: model.states, expected, simulation, notes };
}
