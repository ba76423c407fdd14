/**
 * The whole care system projected from episodes: the multi-state model fitted
 * to SSDA903 returns and simulated child by child, read off as the
 * whole-system projection's parts, path by path: children in care at each
 * 31 March, starters and leavers in each year, and children in care by
 * placement group, provider group, age band and (optionally) UASC status.
 *
 * Every part comes from the same simulated children, so on every path and
 * every year the placement groups, the provider groups, the age bands and
 * the UASC split each add up exactly to the total, and
 * `total(y) = total(y - 1) + started(y) - ceased(y)` holds exactly from the
 * starting stock. The arrays are plain `SamplePaths` (path after path), the
 * shape the system projection, costs and scenarios read, so the system's
 * doors can take them as they take the aggregate model's paths.
 *
 * The states of the model are age band × (whole-system placement group ×
 * provider group): 5 × 12, so that both splits come from one simulation.
 *
 * @module
 */
import { AGE_BANDS, SYSTEM_PLACEMENT_GROUPS, SYSTEM_PROVIDER_GROUPS, type AgeBand, type SystemPlacementGroup, type SystemProviderGroup } from '../data/codes.js';
import { dayToIso, financialYearOf, marchEnd } from '../data/calendar.js';
import { CarecastInputError } from '../data/errors.js';
import type { Ssda903Data } from '../data/loaders/ssda903.js';
import { streamSeed } from '../math/rng.js';
import type { SamplePaths } from '../models/types.js';
import { fitMultiState, projectMultiState, type MultiStateFitOptions, type MultiStateModel, type MultiStateSimulation } from './multiState.js';

/** Options for {@link projectEpisodeSystem}. */
export interface EpisodeSystemOptions {
  /** Last year to project (the projection ends on its 31 March). */
  readonly to: number;
  /** Simulated paths (default 1000). */
  readonly paths?: number;
  /** Random seed (default 1): the same seed gives the same paths. */
  readonly seed?: number;
  /** First day of the fit window (day number or date text); default the first day of the data. */
  readonly from?: MultiStateFitOptions['from'];
  /** Last day of the fit window, where the projection starts (day number or date text); default the last day of the data. */
  readonly until?: MultiStateFitOptions['to'];
  /**
   * Split by UASC status (default `false`): two models, one fitted to the
   * unaccompanied asylum-seeking children and one to the others (by status on
   * the first day of each period of care), simulated separately and added up
   * path by path. Needs a UASC file.
   */
  readonly splitUasc?: boolean;
  /** Draw each path's rates from their Gamma posteriors (default true). */
  readonly parameterUncertainty?: boolean;
  /** Called after each simulated path with the paths done and their number (both models' with `splitUasc`), e.g. for a progress bar. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The whole-system projection from episodes, as sample paths. */
export interface EpisodeSystemPaths {
  /** Area name. */
  readonly area: string;
  /** The projected years (31 March of each), from the year after the start. */
  readonly years: readonly number[];
  /** Where the projection starts: the year (31 March), the day (ISO) and the children in care then. */
  readonly start: { readonly year: number; readonly date: string; readonly stock: number };
  /** Number of paths. */
  readonly paths: number;
  /** Children in care at 31 March of each year. */
  readonly total: SamplePaths;
  /** Periods of care started in the year to 31 March. */
  readonly started: SamplePaths;
  /** Periods of care ended in the year: leaving care, and reaching 18 in care. */
  readonly ceased: SamplePaths;
  /** Of `ceased`, children reaching 18 in care. */
  readonly agedOut: SamplePaths;
  /** Children in care at 31 March by whole-system placement group. */
  readonly placement: Readonly<Record<SystemPlacementGroup, SamplePaths>>;
  /** Children in care at 31 March by whole-system provider group. */
  readonly provider: Readonly<Record<SystemProviderGroup, SamplePaths>>;
  /** Children in care at 31 March by placement group and provider group together, keyed `placement/provider` (e.g. `fostering/in_house`): the 12 states the model simulates, whose sums are `placement` and `provider`. */
  readonly placementProvider: Readonly<Record<string, SamplePaths>>;
  /** Children in care at 31 March by DfE age band. */
  readonly age: Readonly<Record<AgeBand, SamplePaths>>;
  /** Children in care at 31 March by UASC status, with `splitUasc`. */
  readonly uasc?: Readonly<Record<'uasc' | 'not_uasc', SamplePaths>>;
  /** The fitted models: one, or with `splitUasc` the UASC children's then the others'. */
  readonly models: readonly MultiStateModel[];
  /** Plain-language notes. */
  readonly notes: readonly string[];
}

/** Sum of sample paths (same shape). */
function sumPaths(parts: readonly SamplePaths[], paths: number, horizon: number): SamplePaths {
  const values = new Float64Array(paths * horizon);
  for (const p of parts) for (let i = 0; i < values.length; i++) values[i] += p.values[i];
  return { paths, horizon, values };
}

/**
 * Project the whole care system from SSDA903 episodes: fit the multi-state
 * model (age band × placement group × provider group) to the returns,
 * simulate every child to 31 March of `to`, and read off, path by path, the
 * total, starters, leavers, and children in care by placement group,
 * provider group, age band and (with `splitUasc`) UASC status. See the
 * module notes for what adds up.
 *
 * @param data - cleaned SSDA903 returns with header files (`loadSsda903Folder`, `readSsda903`)
 * @param options - the last year, paths, seed, fit window, UASC split
 * @returns the paths of every part, with the fitted model(s)
 * @throws CarecastInputError when `to` is not after the start, the fit window does not end on a 31 March, the data have no dates of birth, or `splitUasc` is asked without a UASC file
 * @example
 * ```ts
 * const sys = projectEpisodeSystem(loadSsda903Folder('returns/'), { to: 2027, paths: 1000, seed: 1 });
 * sys.years;                          // [2023, ..., 2027]
 * sys.total.values[0];                // path 1, 31 March 2023
 * sys.placement.fostering;            // the fostering part of the same paths
 * pathBands(sys.total, [80, 95]);     // bands
 * ```
 */
export function projectEpisodeSystem(data: Ssda903Data, options: EpisodeSystemOptions): EpisodeSystemPaths {
  const nPaths = options.paths ?? 1000;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(nPaths) || nPaths < 1) {
    throw new CarecastInputError([{ source: 'episode system options', field: 'paths', message: `paths must be a whole number of at least 1, got ${nPaths}`, fix: 'e.g. paths: 1000' }]);
  }
  const fit: MultiStateFitOptions = {
    groupBy: 'placementProvider',
    ...(options.from !== undefined ? { from: options.from } : {}),
    ...(options.until !== undefined ? { to: options.until } : {}),
  };
  const models = options.splitUasc ? [fitMultiState(data, { ...fit, uasc: true }), fitMultiState(data, { ...fit, uasc: false })] : [fitMultiState(data, fit)];
  const start = models[0].start;
  const startYear = financialYearOf(start).year;
  if (start !== marchEnd(startYear)) {
    throw new CarecastInputError([{ source: 'episode system options', field: 'until', message: `the projection starts where the fit window ends, ${dayToIso(start)}, which is not a 31 March`, fix: 'end the fit window on a 31 March (the years of the projection run to 31 March)' }]);
  }
  if (!Number.isInteger(options.to) || options.to <= startYear) {
    throw new CarecastInputError([{ source: 'episode system options', field: 'to', message: `the projection must end after the start (${dayToIso(start)}), got ${options.to}`, fix: `give a year after ${startYear}` }]);
  }
  const sims: MultiStateSimulation[] = models.map((m, k) => {
    const p = projectMultiState(m, {
      to: options.to,
      paths: nPaths,
      seed: models.length === 1 ? seed : streamSeed(seed, k),
      ...(options.parameterUncertainty !== undefined ? { parameterUncertainty: options.parameterUncertainty } : {}),
      // with the UASC split, the two models' paths count as one run
      ...(options.onProgress ? { onProgress: (done: number) => options.onProgress?.(k * nPaths + done, models.length * nPaths) } : {}),
    });
    if (!p.simulation) throw new Error('projectMultiState gave no simulation');
    return p.simulation;
  });
  // report days: every 31 March after the start to `to`, so the horizon is the years
  const years = Array.from({ length: options.to - startYear }, (_, i) => startYear + 1 + i);
  const H = years.length;
  const sum = (pick: (s: MultiStateSimulation) => SamplePaths): SamplePaths => sumPaths(sims.map(pick), nPaths, H);
  const groupSum = (keep: (group: string) => boolean): SamplePaths =>
    sumPaths(
      sims.flatMap((s) => Object.entries(s.groupPaths).filter(([g]) => keep(g)).map(([, p]) => p)),
      nPaths,
      H,
    );
  for (const s of sims) {
    if (s.totalPaths.horizon !== H) throw new Error(`expected ${H} report days, got ${s.totalPaths.horizon}`);
  }
  const exits = sum((s) => s.flowPaths.exits);
  const agedOut = sum((s) => s.flowPaths.agedOut);
  const ceased = sumPaths([exits, agedOut], nPaths, H);
  const placement = Object.fromEntries(SYSTEM_PLACEMENT_GROUPS.map((p) => [p, groupSum((g) => g.startsWith(`${p}/`))])) as Record<SystemPlacementGroup, SamplePaths>;
  const provider = Object.fromEntries(SYSTEM_PROVIDER_GROUPS.map((q) => [q, groupSum((g) => g.endsWith(`/${q}`))])) as Record<SystemProviderGroup, SamplePaths>;
  const placementProvider = Object.fromEntries(SYSTEM_PLACEMENT_GROUPS.flatMap((p) => SYSTEM_PROVIDER_GROUPS.map((q) => [`${p}/${q}`, groupSum((g) => g === `${p}/${q}`)]))) as Record<string, SamplePaths>;
  const age = Object.fromEntries(AGE_BANDS.map((b) => [b, sum((s) => s.bandPaths[b])])) as Record<AgeBand, SamplePaths>;
  const stock = sims.reduce((a, s) => a + s.startStock, 0);
  const notes = [
    `Whole-system projection from ${data.episodes.length} episodes: the multi-state model (age band x placement group x provider group) fitted on ${models[0].window ? `${dayToIso(models[0].window.from)} to ${dayToIso(models[0].window.to)}` : 'the data'}, ${nPaths} simulated paths (seed ${seed}) from ${stock} children in care on ${dayToIso(start)}.`,
    ...(options.splitUasc ? ['Split by UASC status: one model of the unaccompanied asylum-seeking children and one of the others (status on the first day of each period of care), added up path by path.'] : []),
    ...models.flatMap((m) => m.notes),
  ];
  return {
    area: data.area,
    years,
    start: { year: startYear, date: dayToIso(start), stock },
    paths: nPaths,
    total: sum((s) => s.totalPaths),
    started: sum((s) => s.flowPaths.entries),
    ceased,
    agedOut,
    placement,
    provider,
    placementProvider,
    age,
    ...(options.splitUasc ? { uasc: { uasc: sims[0].totalPaths, not_uasc: sims[1].totalPaths } } : {}),
    models,
    notes,
  };
}
