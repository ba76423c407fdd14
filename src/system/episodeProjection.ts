/**
 * The episode model through the system projection's doors: the paths of
 * {@link projectEpisodeSystem} (SSDA903 children simulated one by one) read
 * off as a {@link "carecast"!SystemProjection} (`engine: 'episodes'`), so that the
 * records, the mission table, the charts, the report, costs and scenarios
 * take them as they take the aggregate model's.
 *
 * - Children in care, starters, leavers: bands from the paths; every point
 *   is the paths' median (the total's too: there is no anchored forecast).
 * - Breakdowns `placement` (`fostering`, `homes_secure`,
 *   `independent_supported`, `other`; derived `residential` = homes and
 *   secure + independent and supported), `provider` (`in_house`,
 *   `external`, `other`) and `age` (the DfE bands), the groups the aggregate
 *   model uses; `uasc` (`uasc`, `not_uasc`) with `splitUasc`; and, when
 *   asked, `placement_provider`, the 12 states the model simulates
 *   (`fostering/in_house`, ...), for a cost model by both.
 * - Every group is a count of the same simulated children, so groups add
 *   up to the total exactly, and `stock_t = stock_{t-1} + started_t -
 *   ceased_t` holds exactly, on every path.
 * - The observed history (children in care at each 31 March up to the
 *   start, by group, counted as the model counts its starting stock;
 *   periods of care started and ended per year) is in
 *   `episodes.observed`, so % changes start from the same figures.
 *
 * @module
 */
import { AGE_BANDS, SYSTEM_PLACEMENT_GROUPS, SYSTEM_PROVIDER_GROUPS, systemPlacementGroupOf, systemProviderGroupOf } from '../data/codes.js';
import { ageOn, dayToIso, financialYearOf, marchEnd } from '../data/calendar.js';
import { ageBandOn, deriveAnnualDataset, isUascOn, periodsOfCare } from '../data/episodes.js';
import { CarecastInputError } from '../data/errors.js';
import type { Ssda903Data } from '../data/loaders/ssda903.js';
import type { AnnualSeries } from '../data/schemas.js';
import type { YearValue } from '../data/yearValue.js';
import { checkLevels } from '../models/distribution.js';
import type { SamplePaths } from '../models/types.js';
import { pathBands, pathMedians } from '../uncertainty/pathBands.js';
import { projectEpisodeSystem, type EpisodeSystemOptions } from './episodeSystem.js';
import type { GroupYear } from './groupTable.js';
import type { SystemInput } from './input.js';
import type { EpisodeSystemProjection, SystemBreakdown, SystemGroup, SystemSeries } from './projectSystem.js';

/**
 * Options of {@link episodeSystemProjection}: those of
 * {@link projectEpisodeSystem} (the last year, paths, seed, fit window, UASC
 * split), the band levels, and whether to add the placement × provider
 * breakdown.
 *
 * @example
 * ```ts
 * const options: EpisodeProjectionOptions = { to: 2030, paths: 2000, seed: 1, levels: [80, 95] };
 * ```
 */
export interface EpisodeProjectionOptions extends EpisodeSystemOptions {
  /** Band levels in percent (default 80 and 95). */
  readonly levels?: readonly number[];
  /** Add the breakdown `placement_provider`: the 12 simulated states, `fostering/in_house` to `other/other` (default `false`). */
  readonly placementProvider?: boolean;
}

/** The name of the placement × provider breakdown. */
const CROSS = 'placement_provider';

/** The dimensions and groups of the episode projection, with their derived groups. */
interface DimSpec {
  readonly groups: readonly string[];
  readonly derived: Readonly<Record<string, readonly string[]>>;
}

const PLACEMENT: DimSpec = { groups: SYSTEM_PLACEMENT_GROUPS, derived: { residential: ['homes_secure', 'independent_supported'] } };
const PROVIDER: DimSpec = { groups: SYSTEM_PROVIDER_GROUPS, derived: {} };
const AGE: DimSpec = { groups: AGE_BANDS, derived: {} };
const UASC: DimSpec = { groups: ['uasc', 'not_uasc'], derived: {} };
const CROSS_SPEC: DimSpec = { groups: SYSTEM_PLACEMENT_GROUPS.flatMap((p) => SYSTEM_PROVIDER_GROUPS.map((q) => `${p}/${q}`)), derived: {} };

/** The children in care at 31 March of each year, in total and by every group, as the model counts its starting stock. */
interface ObservedStock {
  readonly years: readonly number[];
  readonly total: readonly number[];
  /** dimension → group → count per year */
  readonly byGroup: Readonly<Record<string, Readonly<Record<string, readonly number[]>>>>;
}

/**
 * Children in care at the 31 March of each year, counted as the multi-state
 * model counts its starting stock: a child with a date of birth, under 18
 * that day, in an episode that started on or before it and ends after it;
 * the groups of that episode; the age band that day; the UASC status on the
 * first day of the period of care (as the split models classify children).
 */
function observedStock(data: Ssda903Data, years: readonly number[]): ObservedStock {
  const eps = data.episodes;
  const days = years.map(marchEnd);
  const total = new Array<number>(years.length).fill(0);
  const dims: Record<string, DimSpec> = { placement: PLACEMENT, provider: PROVIDER, age: AGE, uasc: UASC, [CROSS]: CROSS_SPEC };
  const byGroup: Record<string, Record<string, number[]>> = Object.fromEntries(
    Object.entries(dims).map(([d, spec]) => [d, Object.fromEntries(spec.groups.map((g) => [g, new Array<number>(years.length).fill(0)]))]),
  );
  for (const p of periodsOfCare(eps)) {
    const child = data.children.get(p.child);
    if (!child) continue;
    const uasc = isUascOn(child, p.start) ? 'uasc' : 'not_uasc';
    for (let k = p.first; k < p.last; k++) {
      const e = eps[k];
      const end = e.end ?? Infinity;
      if (!(end > e.start)) continue;
      days.forEach((day, i) => {
        if (!(e.start <= day && end > day) || ageOn(child.dob, day) >= 18) return;
        const pl = systemPlacementGroupOf(e.placementType);
        const pr = systemProviderGroupOf(e.provider);
        total[i]++;
        byGroup.placement[pl][i]++;
        byGroup.provider[pr][i]++;
        byGroup.age[ageBandOn(child.dob, day)][i]++;
        byGroup.uasc[uasc][i]++;
        byGroup[CROSS][`${pl}/${pr}`][i]++;
      });
    }
  }
  return { years, total, byGroup };
}

function fail(field: string, message: string, fix: string): never {
  throw new CarecastInputError([{ source: 'episode system options', field, message, fix }]);
}

/** Paths of one value per path and year: `f(k)` for every cell. */
function mapPaths(n: number, H: number, f: (k: number) => number): SamplePaths {
  const values = new Float64Array(n * H);
  for (let k = 0; k < values.length; k++) values[k] = f(k);
  return { paths: n, horizon: H, values };
}

/**
 * The whole care system projected from SSDA903 episodes, in the shape of
 * the system projection ({@link "carecast"!SystemProjection}, `engine: 'episodes'`):
 * the multi-state model ({@link projectEpisodeSystem}) fitted to the
 * returns and simulated child by child, its paths read off as children in
 * care, starters, leavers and the placement, provider, age (and UASC)
 * groups, with their bands and path-median points.
 *
 * How it differs from the aggregate model ({@link "carecast"!projectSystem}): the
 * total is not anchored to a forecast of the published series; its point
 * is the median of the simulated children's paths, and the rates (exits
 * and moves per child-day at risk by age band and group, starters per day
 * with their age and group mix) are the fit window's averages, held
 * constant. Its bands come from the simulation and from each path's draw
 * of the rates, not from the panel's errors.
 *
 * @param data - cleaned SSDA903 returns with header files (`loadSsda903Folder`, `readSsda903`)
 * @param options - the last year, levels, paths (default 2000), seed, fit window, UASC split, the placement × provider breakdown
 * @returns the system projection (`engine: 'episodes'`)
 * @throws CarecastInputError for bad levels or paths, a fit window not ending on a 31 March, `to` not after it, no dates of birth, or `splitUasc` without UASC children
 * @example
 * ```ts
 * const sys = episodeSystemProjection(loadSsda903Folder('returns/'), { to: 2030, seed: 1 });
 * sys.stock.point;                                    // median children in care per year
 * sys.breakdowns.placement.byGroup.residential.intervals; // 80% and 95% bands
 * systemRecords(sys);                                 // the same tidy records as the aggregate model's
 * ```
 */
export function episodeSystemProjection(data: Ssda903Data, options: EpisodeProjectionOptions): EpisodeSystemProjection {
  let levels: number[];
  try {
    levels = checkLevels(options.levels ?? [80, 95]);
  } catch (e) {
    return fail('levels', (e as Error).message, 'give levels such as 80,95');
  }
  const ep = projectEpisodeSystem(data, { ...options, paths: options.paths ?? 2000 });
  const n = ep.paths;
  const H = ep.years.length;
  const series = (p: SamplePaths): SystemSeries => {
    const b = pathBands(p, levels);
    return { ...b, point: b.median };
  };
  const T = ep.start.year;
  const firstYear = Math.min(financialYearOf(data.dataStart).year - 1, T);
  const obsYears = Array.from({ length: T - firstYear + 1 }, (_, i) => firstYear + i);
  const obs = observedStock(data, obsYears);

  const S = ep.total.values;
  const breakdown = (dim: string, spec: DimSpec, paths: Readonly<Record<string, SamplePaths>>): SystemBreakdown => {
    const countPaths: Record<string, SamplePaths> = {};
    for (const g of spec.groups) countPaths[g] = paths[g];
    for (const [name, parts] of Object.entries(spec.derived)) countPaths[name] = mapPaths(n, H, (k) => parts.reduce((a, g) => a + paths[g].values[k], 0));
    const sharePaths: Record<string, SamplePaths> = {};
    const byGroup: Record<string, SystemGroup> = {};
    for (const [g, c] of Object.entries(countPaths)) {
      sharePaths[g] = mapPaths(n, H, (k) => (S[k] > 0 ? c.values[k] / S[k] : 0));
      byGroup[g] = { ...series(c), share: pathMedians(sharePaths[g]) };
    }
    let maxIncoherence = 0;
    for (let k = 0; k < n * H; k++) {
      let sum = 0;
      for (const g of spec.groups) sum += paths[g].values[k];
      maxIncoherence = Math.max(maxIncoherence, Math.abs(sum - S[k]));
    }
    const history: GroupYear[] = obs.years.map((year, i) => ({ year, counts: spec.groups.map((g) => obs.byGroup[dim][g][i]), status: 'observed' }));
    return { dimension: dim, groups: spec.groups, derived: spec.derived, byGroup, history, lastYear: T, paths: countPaths, sharePaths, maxIncoherence };
  };
  const breakdowns: Record<string, SystemBreakdown> = {
    placement: breakdown('placement', PLACEMENT, ep.placement),
    provider: breakdown('provider', PROVIDER, ep.provider),
    age: breakdown('age', AGE, ep.age),
    ...(ep.uasc ? { uasc: breakdown('uasc', UASC, ep.uasc) } : {}),
    ...(options.placementProvider ? { [CROSS]: breakdown(CROSS, CROSS_SPEC, ep.placementProvider) } : {}),
  };

  // each path's implied exit rate, as the aggregate model gives it: ceased / (previous stock + started)
  const A = ep.started.values;
  const D = ep.ceased.values;
  const exitRate = mapPaths(n, H, (k) => {
    const prev = k % H === 0 ? ep.start.stock : S[k - 1];
    return prev + A[k] > 0 ? D[k] / (prev + A[k]) : 0;
  });

  // the observed series, counted as the model counts them
  const yv = (values: readonly number[]): YearValue[] => obs.years.map((year, i) => ({ year, value: values[i] }));
  const { dataset } = deriveAnnualDataset(data);
  const flow = (m: string): AnnualSeries | undefined => {
    const s = dataset.series.find((x): x is AnnualSeries => x.frequency === 'annual' && x.measure === m && Object.keys(x.breakdown).length === 0);
    return s ? { ...s, points: s.points.filter((p) => p.year <= T) } : undefined;
  };
  const started = flow('started');
  const ceased = flow('ceased');
  const observed: SystemInput = {
    area: data.area,
    stock: yv(obs.total),
    ...(started ? { started } : {}),
    ...(ceased ? { ceased } : {}),
    breakdowns: Object.fromEntries(Object.keys(breakdowns).map((d) => [d, Object.fromEntries(breakdowns[d].groups.map((g) => [g, yv(obs.byGroup[d][g])]))])),
  };

  const model = ep.models[0];
  const window = model.window ? { from: dayToIso(model.window.from), to: dayToIso(model.window.to) } : { from: dayToIso(data.dataStart), to: ep.start.date };
  const empty = ep.models.flatMap((m) => m.notes).filter((x) => /^State .* has no days at risk/.test(x)).length;
  const states = ep.models.reduce((a, m) => a + m.states.length, 0);
  const modelNotes = ep.models.flatMap((m) => m.notes).filter((x) => !/^State .* has no days at risk/.test(x));
  const agedOut = series(ep.agedOut);
  const caveats = [
    `Episode model: children in care, starters, leavers and every group are counted from children simulated day by day from the SSDA903 returns (${ep.start.stock} in care on ${ep.start.date}, and new starters); ` +
      `every point, children in care's too, is the median of the ${n.toLocaleString('en-GB')} paths, not the aggregate model's forecast of the published total (projectSystem, carecast project --la).`,
    `Rates held constant at their averages over the fit window ${window.from} to ${window.to}: exits and moves between the 12 placement x provider groups per child-day at risk, by age band; starters per day, with their age and group mix. No trend in starters or exits is projected; each path draws its rates from their posteriors.`,
    `Leaving care includes reaching 18 in care (${Math.round(agedOut.point[H - 1])} of the ${Math.round(series(ep.ceased).point[H - 1])} leavers in ${ep.years[H - 1]}, medians).`,
    ...(empty > 0 ? [`${empty} of the model's ${states} states (age band x placement x provider) had no days at risk in the fit window: their exit and move rates are 0 (children entering them stay until they age into another band or reach 18).`] : []),
    ...(ep.uasc ? ['Split by UASC status: one model of the unaccompanied asylum-seeking children and one of the others (status on the first day of each period of care), added up path by path.'] : []),
    ...modelNotes,
  ];
  const summary =
    `Episode model (SSDA903): ${ep.start.stock.toLocaleString('en-GB')} children in care on ${ep.start.date} and new starters simulated day by day to 31 March ${ep.years[H - 1]}, ` +
    `with rates per child-day at risk (exits and moves by age band and placement x provider group, starters per day) fitted on ${window.from} to ${window.to}${ep.uasc ? ', UASC children and the others modelled apart' : ''}; ` +
    `${n.toLocaleString('en-GB')} paths (seed ${options.seed ?? 1}); every point is a path median, children in care's too (not an anchored forecast).`;
  return {
    engine: 'episodes',
    area: ep.area,
    years: ep.years,
    start: { year: T, stock: ep.start.stock },
    stock: series(ep.total),
    started: series(ep.started),
    ceased: series(ep.ceased),
    breakdowns,
    paths: { stock: ep.total, started: ep.started, ceased: ep.ceased, exitRate },
    caveats,
    summary,
    episodes: { window, agedOut, agedOutPaths: ep.agedOut, splitUasc: ep.uasc !== undefined, observed, models: ep.models, notes: ep.notes },
  };
}
