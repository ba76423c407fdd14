/**
 * The one system model: children in care, starters and leavers, and every
 * breakdown (placement, provider, age), all read off one set of simulated
 * paths (docs/preregistration/issue-13-system-model.md).
 *
 * - The total is anchored to the default forecast (`total.ts`): its point
 *   is `forecast(stock).point`, its paths follow that forecast's
 *   predictive distribution through a random walk's copula.
 * - Starters and leavers come from pooled mean-reverting rates with
 *   correlated shocks, reconciled with the total so that
 *   `S_t = S_{t-1} + E_t - C_t` on every path (`flows.ts`).
 * - Each breakdown's shares follow the dynamics chosen by evidence
 *   (`shares.ts`, `shareFit.ts`); a group's count is share x total on each
 *   path, so the groups add to the total on every path.
 *
 * The dynamics are the bundled DfE fit (`loadDfeSystem`) unless others are
 * given; a breakdown the fit does not have is fitted on the area's own data.
 *
 * @module
 */
import { CarecastInputError } from '../data/errors.js';
import { normalStream, streamSeed } from '../math/rng.js';
import { checkLevels } from '../models/distribution.js';
import type { SamplePaths } from '../models/types.js';
import type { Projection } from '../project/forecast.js';
import { pathBands, pathMedians, type PathBands } from '../uncertainty/pathBands.js';
import { loadDfeSystem } from './dfeSystem.js';
import type { SystemDynamics } from './dynamics.js';
import { fitFlowDynamics, identityResiduals, type FlowDynamics, type IdentityResidual } from './flowFit.js';
import { flowStart, simulateFlows } from './flowPaths.js';
import type { GroupTable, GroupYear } from './groupTable.js';
import { prepareArea, type SystemInput } from './input.js';
import { fitShareDynamics } from './shareFit.js';
import { shareData } from './logRatios.js';
import { shareStart, simulateShares } from './sharePaths.js';
import type { ShareDynamics, ShareModel } from './shares.js';
import type { MultiStateModel } from './multiState.js';
import { anchorTotal, copulaPaths, type SystemTotalOptions } from './total.js';

/**
 * Options of {@link projectSystem}.
 *
 * @example
 * ```ts
 * const options: SystemOptions = { to: 2035, paths: 2000, seed: 42 };
 * projectSystem(input, options);
 * ```
 */
export interface SystemOptions {
  /** Last year to project. Give this or `horizon`. */
  readonly to?: number;
  /** Years after the last children-in-care figure. Give this or `to`. */
  readonly horizon?: number;
  /** Band levels in percent (default 80 and 95). */
  readonly levels?: readonly number[];
  /** Simulated paths (default 2000). */
  readonly paths?: number;
  /** Random seed (default 1): the same input and seed give the same numbers. */
  readonly seed?: number;
  /** The dynamics (default: the bundled DfE fit, `loadDfeSystem()`). */
  readonly dynamics?: SystemDynamics;
  /** How the total is projected, when not by default (a method, an interval method, a calibration, ...); the caveats then say how it differs from the default. */
  readonly total?: SystemTotalOptions;
  /** Use the data up to this year only (a projection as known then; default: all). */
  readonly origin?: number;
  /**
   * Called as the work goes on, with the steps done and the steps in all: the
   * total's paths, the flows, then each breakdown (for a progress bar; nothing
   * is called when it is left out).
   */
  readonly onProgress?: (done: number, total: number) => void;
}

/** A projected quantity: its point per year and the bands of its paths. */
export interface SystemSeries extends PathBands {
  /** Point per projected year: the default forecast's for the total, the paths' median for everything else. */
  readonly point: readonly number[];
}

/** A projected group of a breakdown. */
export interface SystemGroup extends SystemSeries {
  /** The median of the group's share paths per projected year. */
  readonly share: readonly number[];
}

/**
 * One breakdown of a system projection, as both engines give it (the
 * aggregate model's breakdowns add their share model:
 * {@link AggregateSystemBreakdown}).
 */
export interface SystemBreakdown {
  /** The dimension (e.g. `placement`). */
  readonly dimension: string;
  /** The groups, which partition the total, in order. */
  readonly groups: readonly string[];
  /** Groups reported as sums of groups (e.g. `residential`), with their parts. */
  readonly derived: Readonly<Record<string, readonly string[]>>;
  /** Every group and derived group: points are path medians. */
  readonly byGroup: Readonly<Record<string, SystemGroup>>;
  /** The years with every group known, as read (the history the projection starts from). */
  readonly history: readonly GroupYear[];
  /** The last year with every group known (the paths start there). */
  readonly lastYear: number;
  /** The count paths of every group and derived group. */
  readonly paths: Readonly<Record<string, SamplePaths>>;
  /** The share paths of every group and derived group. */
  readonly sharePaths: Readonly<Record<string, SamplePaths>>;
  /** The largest |sum of the groups - total| over every path and year (floating-point rounding only; 0 for the episode model, whose groups are counts of the same children). */
  readonly maxIncoherence: number;
}

/** One breakdown of the aggregate system model ({@link projectSystem}): shares with their dynamics. */
export interface AggregateSystemBreakdown extends SystemBreakdown {
  /** The share model used. */
  readonly model: ShareModel;
  /** The log-ratios' reference group. */
  readonly reference: string;
  /** `true` when the dynamics came with the fit given (or bundled), `false` when fitted on this area's own data. */
  readonly borrowed: boolean;
}

/**
 * What every system projection has, whichever engine made it: the
 * aggregate model ({@link projectSystem}: `engine: 'aggregate'`) or the
 * episode model (`episodeSystemProjection` in `carecast/system`:
 * `engine: 'episodes'`).
 */
export interface SystemProjectionBase {
  /** Which model made the paths: `aggregate` (published totals, flows and shares) or `episodes` (SSDA903 children simulated one by one). */
  readonly engine: 'aggregate' | 'episodes';
  /** Area name. */
  readonly area: string;
  /** Projected years. */
  readonly years: readonly number[];
  /** The last observed children-in-care figure the projection starts from. */
  readonly start: { readonly year: number; readonly stock: number };
  /** Children in care at 31 March: bands from the paths; point = the anchored forecast's (aggregate) or the paths' median (episodes). */
  readonly stock: SystemSeries;
  /** Starters in the year to 31 March (absent when no flows are projected). */
  readonly started?: SystemSeries;
  /** Leavers in the year to 31 March (absent when no flows are projected). */
  readonly ceased?: SystemSeries;
  /** Each breakdown, by dimension. */
  readonly breakdowns: Readonly<Record<string, SystemBreakdown>>;
  /** The paths: stock, and (with flows) starters, leavers and each path's implied exit rate. On every path `stock_t = stock_{t-1} + started_t - ceased_t`. */
  readonly paths: { readonly stock: SamplePaths; readonly started?: SamplePaths; readonly ceased?: SamplePaths; readonly exitRate?: SamplePaths };
  /** Plain-language notes. */
  readonly caveats: readonly string[];
  /** One line: what the projection rests on. */
  readonly summary: string;
}

/**
 * The result of {@link projectSystem}: the aggregate system model, its total
 * anchored to the default forecast.
 *
 * @example
 * ```ts
 * const sys: AggregateSystemProjection = projectSystem(input, { to: 2030 });
 * sys.total.method; // the forecast the total is anchored to
 * ```
 */
export interface AggregateSystemProjection extends SystemProjectionBase {
  /** The aggregate model. */
  readonly engine: 'aggregate';
  /** Children in care at 31 March: point = the total's forecast point; bands from the paths. */
  readonly stock: SystemSeries;
  /** Each breakdown, by dimension, with its share model. */
  readonly breakdowns: Readonly<Record<string, AggregateSystemBreakdown>>;
  /** The published years against the stock identity, `S_t - (S_{t-1} + E_t - C_t)` (the data do not close exactly; the paths do). */
  readonly residuals: readonly IdentityResidual[];
  /**
   * The gap between the anchored total's change and the model flows on each
   * path, `D = (S_t - S_{t-1}) - (E_t - C_t)`, before it was split between
   * starters (the share `starterWeight` per year) and leavers (absent without flows).
   */
  readonly flowGap?: { readonly bands: PathBands; readonly starterWeight: readonly number[] };
  /** The forecast the total is anchored to. */
  readonly total: Projection;
  /** The dynamics used and where they came from. */
  readonly dynamics: { readonly source: string; readonly flows: FlowDynamics | null; readonly dimensions: Readonly<Record<string, ShareDynamics>> };
}

/** What the episode model adds to a system projection (SSDA903 returns, children simulated one by one). */
export interface EpisodeSystemDetails {
  /** The fit window (ISO dates): rates are events per child-day at risk over it; the projection starts at its end. */
  readonly window: { readonly from: string; readonly to: string };
  /** Of the leavers, children reaching 18 in care: bands from the paths, point = median. */
  readonly agedOut: SystemSeries;
  /** The paths of `agedOut`. */
  readonly agedOutPaths: SamplePaths;
  /** `true` when UASC children and the others were modelled apart (then the breakdown `uasc`). */
  readonly splitUasc: boolean;
  /**
   * The observed series as the episode model counts them: children in care at
   * each 31 March of the data to the start (children with a date of birth,
   * under 18), periods of care started and ended per year, and every
   * breakdown's groups; the tables' % changes start from these.
   */
  readonly observed: SystemInput;
  /** The fitted models: one, or with `splitUasc` the UASC children's then the others'. */
  readonly models: readonly MultiStateModel[];
  /** The fit's notes, as the multi-state model gives them. */
  readonly notes: readonly string[];
}

/**
 * A system projection made by the episode model from SSDA903 returns
 * (`episodeSystemProjection` in `carecast/system`): every part counted from
 * the same simulated children, so the groups add to the total and the stock
 * identity holds exactly on every path; points are path medians.
 *
 * @example
 * ```ts
 * const sys: EpisodeSystemProjection = episodeSystemProjection(loadSsda903Folder('returns/'), { to: 2030 });
 * sys.episodes.window; // { from: '2017-04-01', to: '2022-03-31' }
 * ```
 */
export interface EpisodeSystemProjection extends SystemProjectionBase {
  /** The episode model. */
  readonly engine: 'episodes';
  /** What the episode model adds. */
  readonly episodes: EpisodeSystemDetails;
}

/**
 * A system projection: children in care, starters and leavers and every
 * breakdown from one set of paths, made by the aggregate model
 * ({@link projectSystem}) or the episode model (`episodeSystemProjection`);
 * `engine` says which. Records, tables, charts, the report, costs and
 * scenarios read either.
 *
 * @example
 * ```ts
 * const sys: SystemProjection = projectSystem(input, { to: 2030 });
 * sys.stock.point;                                    // = forecast(input.stock, { to: 2030 }).point
 * sys.started?.intervals;                             // starters, 80% and 95% bands from the paths
 * sys.breakdowns.placement.byGroup.residential.point; // homes and secure + independent and supported (median)
 * if (sys.engine === 'aggregate') sys.total.method;   // the forecast the total is anchored to
 * ```
 */
export type SystemProjection = AggregateSystemProjection | EpisodeSystemProjection;

function fail(field: string, message: string, fix: string): never {
  throw new CarecastInputError([{ source: 'projectSystem options', field, message, fix }]);
}

const MODEL_WORDS: Record<ShareModel, string> = { S0: 'S0, random walk', S1: 'S1, reverting to its own 5-year mean', S2: 'S2, damped drift' };

function sameGroups(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((g) => b.includes(g));
}

/** A table's groups put in another order. */
function reorder(t: GroupTable, groups: readonly string[]): GroupTable {
  const order = groups.map((g) => t.groups.indexOf(g));
  return { ...t, groups, years: t.years.map((y) => ({ ...y, counts: order.map((i) => y.counts[i]) })) };
}

function largestShare(t: GroupTable): string {
  const sum = new Float64Array(t.groups.length);
  for (const y of t.years) {
    const tot = y.counts.reduce((a, b) => a + b, 0);
    if (tot > 0) y.counts.forEach((c, i) => (sum[i] += c / tot));
  }
  let best = 0;
  for (let g = 1; g < sum.length; g++) if (sum[g] > sum[best]) best = g;
  return t.groups[best];
}

/**
 * Project the care system of one area: children in care at 31 March,
 * starters and leavers, and every breakdown's groups, from one set of
 * simulated paths.
 *
 * - **Total**: anchored to `forecast(stock)` with no options (or with
 *   `total`, when asked): the point is that forecast's point, and the paths
 *   have its predictive distribution at every step, joined across steps by
 *   a random walk's Gaussian copula.
 * - **Flows**: entry rate per 10,000 children (log) and exit rate (logit)
 *   revert to the area's own mean of its last 5 years with a beta and
 *   correlated shocks pooled over the DfE panel; the gap to the total is
 *   split between starters and leavers by their variances, so the stock
 *   identity holds on every path.
 * - **Breakdowns**: shares by the dynamics chosen by evidence (S0 random
 *   walk, S1 mean reversion, S2 damped drift); counts are share x total on
 *   each path, so groups add to the total on every path.
 *
 * The total's point is the default forecast's point; flows' and groups'
 * points are the medians of their paths (group points need not add to the
 * total's point; the paths add exactly). A dataset outside the DfE panel
 * borrows the bundled dynamics, applied to its own levels; a breakdown the
 * dynamics do not have is fitted on the area's own data. The result says
 * which.
 *
 * @param input - the area's stock, flows, population and breakdowns
 * @param options - target year, levels, paths, seed, dynamics, the total's options, origin
 * @returns the projection
 * @throws CarecastInputError for bad series or options, flows or breakdowns running past the stock, or a breakdown that cannot be fitted
 * @example
 * ```ts
 * const sys = projectSystem(dfeSystemInput(loadDfePanelArea('Derby')), { to: 2035, seed: 1 });
 * sys.stock.point;                                  // Derby's default forecast
 * sys.breakdowns.provider.byGroup.external.intervals; // 80% and 95% bands of external placements
 * ```
 */
export function projectSystem(input: SystemInput, options: SystemOptions = {}): AggregateSystemProjection {
  const prep = prepareArea(input, options.origin ?? Infinity);
  const T = prep.stockYear;
  const H = options.to !== undefined ? options.to - T : options.horizon;
  if (H === undefined || !Number.isInteger(H) || H < 1) {
    fail(options.to !== undefined ? 'to' : 'horizon', `the projection must end after the last children-in-care figure (${T}); got ${options.to ?? options.horizon}`, `give to > ${T}`);
  }
  let levels: number[];
  try {
    levels = checkLevels(options.levels ?? [80, 95]);
  } catch (e) {
    return fail('levels', (e as Error).message, 'give levels such as 80,95');
  }
  const n = options.paths ?? 2000;
  if (!Number.isInteger(n) || n < 1) fail('paths', `paths must be a whole number of at least 1, got ${n}`, 'e.g. 2000');
  const seed = options.seed ?? 1;
  if (!Number.isFinite(seed)) fail('seed', `seed must be a finite number, got ${seed}`, 'e.g. 1');
  const dyn = options.dynamics ?? loadDfeSystem();
  const source = options.dynamics ? `fitted on ${dyn.description} at ${dyn.origin}` : `the bundled DfE fit (${dyn.description}, at ${dyn.origin})`;
  const caveats: string[] = [];
  const years = Array.from({ length: H }, (_, i) => T + 1 + i);

  // the total
  const anchored = anchorTotal(prep.stock, H, levels, options.total);
  const total = anchored.projection;
  if (anchored.note) caveats.push(anchored.note);
  const stockPaths = copulaPaths(total, n, normalStream(streamSeed(seed, 0)));
  const stock: SystemSeries = { ...pathBands(stockPaths, levels), point: [...total.point] };
  const steps = 2 + prep.tables.size;
  options.onProgress?.(1, steps);

  // the flows
  let started: SystemSeries | undefined;
  let ceased: SystemSeries | undefined;
  const paths: { stock: SamplePaths; started?: SamplePaths; ceased?: SamplePaths; exitRate?: SamplePaths } = { stock: stockPaths };
  let flowDyn: FlowDynamics | null = null;
  let flowGap: AggregateSystemProjection['flowGap'];
  let flowWords = '';
  if (prep.flows) {
    flowDyn = dyn.flows;
    let flowSource = source;
    if (!flowDyn) {
      flowDyn = fitFlowDynamics([prep.flows], T);
      flowSource = `fitted on this area's own flows (the dynamics given have none)`;
      caveats.push(`The flow dynamics were fitted on this area's own ${prep.flows.entry.values.length} years of flows: a panel's would be steadier.`);
    }
    caveats.push(...prep.flows.notes);
    const start = flowStart(prep.flows, flowDyn, T);
    if (!start) {
      caveats.push('No year has both starters and leavers, and there is no child population to start from the panel\u2019s mean rates: starters and leavers are not projected.');
    } else {
      const fp = simulateFlows(start, flowDyn, stockPaths, prep.openingStock, T, prep.population, normalStream(streamSeed(seed, 1)));
      caveats.push(...fp.notes);
      if (start.fromPanelMean) caveats.push('No year has both starters and leavers: the rates start at, and revert to, the panel\u2019s mean rates.');
      else if (start.year < T) caveats.push(`Starters and leavers are known to ${start.year}, children in care to ${T}: the rates for ${start.year + 1 === T ? T : `${start.year + 1}-${T}`} are simulated, not observed.`);
      if (!start.perPopulation) caveats.push('No child population was given: the entry rate is the log of the starters, which is the same as holding the child population flat.');
      started = { ...pathBands(fp.started, levels), point: [] };
      ceased = { ...pathBands(fp.ceased, levels), point: [] };
      started = { ...started, point: started.median };
      ceased = { ...ceased, point: ceased.median };
      paths.started = fp.started;
      paths.ceased = fp.ceased;
      paths.exitRate = fp.exitRate;
      flowGap = { bands: pathBands(fp.gap, levels), starterWeight: fp.starterWeight };
      flowWords =
        `starters and leavers: rates reverting to the area's own 5-year mean (beta ${flowDyn.beta.entry.toFixed(2)} entry, ${flowDyn.beta.exit.toFixed(2)} exit; ` +
        `shocks correlated ${flowDyn.correlation.toFixed(2)}), ${flowSource}, reconciled with the total on every path`;
    }
  }

  options.onProgress?.(2, steps);

  // the breakdowns
  const breakdowns: Record<string, AggregateSystemBreakdown> = {};
  const usedDims: Record<string, ShareDynamics> = {};
  const dimWords: string[] = [];
  [...prep.tables.entries()].forEach(([dim, table], i) => {
    if (i > 0) options.onProgress?.(2 + i, steps);
    let sd = dyn.dimensions[dim];
    let borrowed = true;
    let t = table;
    if (sd && sameGroups(sd.groups, table.groups)) t = reorder(table, sd.groups);
    else {
      borrowed = false;
      const ref = largestShare(table);
      sd = fitShareDynamics([shareData(table, ref)], T, dim);
      caveats.push(
        `${dim}: the dynamics ${dyn.dimensions[dim] ? `given are for the groups ${dyn.dimensions[dim].groups.join(', ')}, not these` : 'given have no such breakdown'}; its share dynamics were fitted on this area's own ${table.years.length} years (${sd.model}).`,
      );
    }
    for (const note of table.notes) caveats.push(`${dim}: ${note}`);
    const start = shareStart(shareData(t, sd.reference), sd);
    if (!start) {
      caveats.push(`${dim}: no year has every group known, so the breakdown is not projected.`);
      return;
    }
    if (start.year < T) caveats.push(`${dim}: groups are known to ${start.year}, the total to ${T}; the shares for ${start.year + 1 === T ? T : `${start.year + 1}-${T}`} are simulated, not observed.`);
    const shares = simulateShares(start, sd, T, n, H, normalStream(streamSeed(seed, 10 + i)));
    const sharePaths: Record<string, SamplePaths> = {};
    const countPaths: Record<string, SamplePaths> = {};
    const len = n * H;
    const S = stockPaths.values;
    const sum = new Float64Array(len);
    sd.groups.forEach((g, k) => {
      const c = new Float64Array(len);
      const s = shares[k].values;
      for (let j = 0; j < len; j++) {
        const v = s[j] * S[j];
        c[j] = v;
        sum[j] += v;
      }
      sharePaths[g] = shares[k];
      countPaths[g] = { paths: n, horizon: H, values: c };
    });
    let maxIncoherence = 0;
    for (let j = 0; j < len; j++) {
      const d = Math.abs(sum[j] - S[j]);
      if (d > maxIncoherence) maxIncoherence = d;
    }
    for (const [name, parts] of Object.entries(sd.derived)) {
      const c = new Float64Array(len);
      const s = new Float64Array(len);
      for (const g of parts) {
        const cg = countPaths[g].values;
        const sg = sharePaths[g].values;
        for (let j = 0; j < len; j++) {
          c[j] += cg[j];
          s[j] += sg[j];
        }
      }
      countPaths[name] = { paths: n, horizon: H, values: c };
      sharePaths[name] = { paths: n, horizon: H, values: s };
    }
    const byGroup: Record<string, SystemGroup> = {};
    for (const g of Object.keys(countPaths)) {
      const b = pathBands(countPaths[g], levels);
      byGroup[g] = { ...b, point: b.median, share: pathMedians(sharePaths[g]) };
    }
    breakdowns[dim] = {
      dimension: dim,
      groups: sd.groups,
      derived: sd.derived,
      byGroup,
      model: sd.model,
      reference: sd.reference,
      borrowed,
      history: t.years,
      lastYear: start.year,
      paths: countPaths,
      sharePaths,
      maxIncoherence,
    };
    usedDims[dim] = sd;
    dimWords.push(`${dim}: ${MODEL_WORDS[sd.model]}${borrowed ? '' : ' (fitted on its own years)'}`);
  });

  options.onProgress?.(steps, steps);
  const summary =
    `Children in care: ${total.summary} ` +
    `${flowWords ? `${flowWords[0].toUpperCase()}${flowWords.slice(1)}. ` : ''}` +
    `${dimWords.length ? `Shares chosen by their 1-3 year errors (${dimWords.join('; ')}), dynamics ${source}. ` : ''}` +
    `${n.toLocaleString('en-GB')} paths; the total's point is its forecast's, flows' and groups' points are path medians.`;
  return {
    engine: 'aggregate',
    area: prep.area,
    years,
    start: { year: T, stock: prep.openingStock },
    stock,
    ...(started ? { started } : {}),
    ...(ceased ? { ceased } : {}),
    breakdowns,
    residuals: identityResiduals(prep.stock, input.started, input.ceased, T),
    ...(flowGap ? { flowGap } : {}),
    paths,
    total,
    dynamics: { source, flows: flowDyn, dimensions: usedDims },
    caveats: [...caveats, ...total.caveats.map((c) => `Total: ${c}`)],
    summary,
  };
}
