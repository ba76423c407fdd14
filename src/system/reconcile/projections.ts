/**
 * Reconcile projections of many areas with a projection of their total
 * (every LA's with England's): MinT (`reconcile.ts`) on the point forecasts,
 * with the covariance of the one-step in-sample errors of every node as
 * known at the origin, shrunk towards its diagonal. The total minus the sum
 * of the areas (rounding, areas not in the panel) is kept as an
 * "unallocated" bottom series forecast by naive, so the reconciled areas and
 * the unallocated series add up to the reconciled total exactly.
 *
 * The rules (pre-registered for issue 12, with the decisions recorded in
 * `docs/preregistration/issue-12-global-models.md`):
 *
 * - nodes: the total, each area (all ending in the total's last year, the
 *   origin) and the unallocated series `u_t = total_t - Σ areas_t` (the areas
 *   with a value in year t);
 * - one-step errors: a single-series model's in-sample residuals
 *   (`diagnostics.residuals`); a global method's one-step forecasts from each
 *   earlier year with the fit the projection used (`forecastWithGlobal`);
 *   the unallocated series' year-on-year changes (naive), missing in a year
 *   when an area's series starts (a change of composition, not an error);
 * - the covariance: over the years in which some area has a one-step error;
 *   a missing error counts as 0 and every moment is a mean over all those
 *   years (as fable's `mint_shrink` divides by every row), shrunk with the
 *   Schäfer-Strimmer intensity ({@link shrinkCovariance});
 * - the reconciled point `G ŷ` for every projected year; bands and
 *   distributions are moved with the point (their width is the
 *   unreconciled projection's).
 *
 * @module
 */
import { CarecastInputError, type InputProblem } from '../../data/errors.js';
import type { SeriesPopulation } from '../../data/ons/panelPopulation.js';
import { quantileOf } from '../../models/distribution.js';
import { forecastWithGlobal } from '../../models/global/fitGlobal.js';
import type { Distribution } from '../../models/types.js';
import type { Projection, ReconciliationNote } from '../../project/forecast.js';
import { projectionSummary } from '../../project/summary.js';
import { minTMatrix, minTMatrixOf, reconcileWith, shrinkCovariance, type MinTOptions, type ReconciliationMatrix, type ReconciliationMethod } from './hierarchy.js';

/** The key of the unallocated node (the total minus the sum of the areas) among the reconciliation matrix's groups. */
export const UNALLOCATED = '(unallocated)';

/** One node's one-step in-sample errors (actual - one-step forecast), by year. */
export interface ProjectionErrors {
  /** The years of the projection's history. */
  readonly years: readonly number[];
  /** The error in each year (`NaN` where there is none, e.g. the first year). */
  readonly errors: readonly number[];
}

/** Options of {@link reconcileProjections}. */
export interface ReconcileProjectionsOptions {
  /** The estimate of W (default `'shrink'`: MinT-shrink); `'identity'` gives OLS reconciliation. */
  readonly covariance?: MinTOptions['covariance'];
  /** For rate methods: each area's child population, by the key of `areas` (for their one-step errors). */
  readonly populations?: ReadonlyMap<string, SeriesPopulation>;
  /** For a rate method: the total's child population. */
  readonly totalPopulation?: SeriesPopulation;
}

/** What a reconciliation with a total did. */
export interface ProjectionReconciliation {
  /** The reconciliation method (`'mint-shrink'` by default). */
  readonly method: ReconciliationMethod;
  /** The total's area, e.g. `England`. */
  readonly with: string;
  /** The last year of data (every node's). */
  readonly origin: number;
  /** The projected years. */
  readonly years: readonly number[];
  /** The areas reconciled, in node order (the matrix's groups are these, then {@link UNALLOCATED}). */
  readonly areas: readonly string[];
  /**
   * The reconciliation matrix (`G`, W and λ): reconciled bottom nodes `= G ·
   * [total, ...areas, unallocated]`. Apply it to sample paths, path by path,
   * with `reconcilePaths(matrix, totalPaths, { ...areaPaths, [UNALLOCATED]: unallocatedPaths })`.
   */
  readonly matrix: ReconciliationMatrix;
  /** The shrinkage intensity λ of the covariance (MinT-shrink). */
  readonly lambda?: number;
  /** The years whose one-step errors the covariance rests on. */
  readonly errorYears: readonly number[];
  /** The unallocated series: its history, its naive forecast and the reconciled one. */
  readonly unallocated: {
    readonly history: readonly { readonly year: number; readonly value: number }[];
    readonly point: readonly number[];
    readonly reconciled: readonly number[];
  };
  /** The total's own point forecast (before reconciliation). */
  readonly baseTotal: readonly number[];
  /** Largest |reconciled total - Σ reconciled areas - unallocated| after clipping at zero (0 unless a point fell below zero). */
  readonly maxIncoherence: number;
  /** What the reconciliation rests on, in plain words. */
  readonly caveats: readonly string[];
}

/** The result of {@link reconcileProjections}. */
export interface ReconciledProjections {
  /** The total's projection, its point the sum of the reconciled areas and the unallocated series. */
  readonly total: Projection;
  /** Each area's projection with its reconciled point, by the key it was given under. */
  readonly areas: ReadonlyMap<string, Projection>;
  /** How. */
  readonly reconciliation: ProjectionReconciliation;
}

const SOURCE = 'reconciliation';

function fail(field: string, message: string, fix: string): never {
  throw new CarecastInputError([{ source: SOURCE, field, message, fix }]);
}

/**
 * The one-step in-sample errors of a projection's model, by year of its
 * history: for a single-series method its in-sample residuals (`actual -
 * fitted`, `diagnostics.residuals`); for a global method (not its naive
 * stand-in) the error of the one-step forecast from each earlier year made
 * with the fit the projection used (its parameters as fitted at the origin),
 * `NaN` where it cannot forecast (fewer than two years before).
 *
 * @param p - a projection from `forecast`
 * @param options - for a rate method, the series' child population
 * @returns the years of the history and the error of each
 * @example
 * ```ts
 * projectionErrors(forecast([{ year: 2020, value: 10 }, { year: 2021, value: 12 }, { year: 2022, value: 11 }], { horizon: 1, method: 'naive' })).errors;
 * // [NaN, 2, -1]
 * ```
 */
export function projectionErrors(p: Projection, options: { readonly population?: SeriesPopulation } = {}): ProjectionErrors {
  const years = p.history.map((h) => h.year);
  const fit = p.globalFit;
  if (!fit || p.method !== fit.method) {
    const r = p.diagnostics.residuals;
    return { years, errors: years.map((_, i) => (i < r.length && Number.isFinite(r[i]) ? r[i] : Number.NaN)) };
  }
  const points = p.history.map((h) => ({ year: h.year, value: h.used }));
  const errors = years.map((_, i) => {
    if (i < 2) return Number.NaN;
    try {
      const fc = forecastWithGlobal(fit, points.slice(0, i), 1, { levels: [80], ...(options.population ? { population: options.population } : {}) });
      return p.history[i].used - fc.point[0];
    } catch (e) {
      if (e instanceof CarecastInputError) return Number.NaN;
      throw e;
    }
  });
  return { years, errors };
}

/** A distribution moved by `d`; one with no closed-form shift (the exp of another) as its 100 midpoint quantiles. */
function shiftDistribution(dist: Distribution, d: number): Distribution {
  switch (dist.type) {
    case 'normal':
    case 'studentT':
      return { ...dist, mean: dist.mean + d };
    case 'point':
      return { type: 'point', value: dist.value + d };
    case 'sample':
      return { type: 'sample', values: dist.values.map((v) => v + d) };
    case 'exp':
      return { type: 'sample', values: Array.from({ length: 100 }, (_, i) => quantileOf(dist, (i + 0.5) / 100) + d) };
  }
}

/** The projection with its point replaced by `point` and everything else moved with it. */
function moved(p: Projection, point: readonly number[], note: ReconciliationNote, caveat: string): Projection {
  const delta = point.map((v, i) => v - p.point[i]);
  const clip = (v: number): number => Math.max(0, v);
  const next = point.map(clip);
  const out: Omit<Projection, 'summary'> = {
    ...p,
    point: next,
    intervals: p.intervals.map((iv) => ({ level: iv.level, lower: iv.lower.map((v, i) => clip(v + delta[i])), upper: iv.upper.map((v, i) => clip(v + delta[i])) })),
    distributions: p.distributions.map((d, i) => shiftDistribution(d, delta[i])),
    ...(p.flatBand ? { flatBand: { fraction: p.flatBand.fraction, lower: next.map((v) => v * (1 - p.flatBand!.fraction)), upper: next.map((v) => v * (1 + p.flatBand!.fraction)) } } : {}),
    reconciliation: note,
    caveats: [...p.caveats, caveat],
  };
  return { ...out, summary: projectionSummary(out) };
}

function signed(x: number): string {
  const r = Math.round(x);
  return r > 0 ? `+${r}` : String(r);
}

/**
 * Reconcile projections of areas with a projection of their total (every LA
 * with England): the point forecasts by MinT with the shrinkage covariance
 * of every node's one-step in-sample errors (see the module notes for the
 * rules), the total minus the areas kept as an unallocated series forecast
 * by naive. The reconciled areas plus the unallocated series add up to the
 * reconciled total in every projected year. Each returned projection has
 * its point replaced, its bands and distributions moved with the point, a
 * `reconciliation` note, a caveat and a new summary.
 *
 * @param total - the total's projection (e.g. `forecast(england, ...)`)
 * @param areas - the areas' projections by key, each from data ending in the total's last year, for the same years
 * @param options - the covariance estimate (default shrinkage), populations for rate methods
 * @returns the reconciled total and areas, and what the reconciliation did (including its matrix, for sample paths)
 * @throws CarecastInputError when there is no area, an area's data end in another year or its projected years differ, an area is named like the unallocated node, or a node's one-step errors are all zero (a covariance cannot weight it)
 * @example
 * ```ts
 * const england = forecast(loadDfePanelArea('England').childrenInCare, { to: 2030 });
 * const las = new Map([...panelSeries(loadDfePanel())].filter(([, s]) => s.points.at(-1)?.year === 2024 && s.points.length > 1).map(([k, s]) => [k, forecast(s, { to: 2030 })]));
 * const r = reconcileProjections(england, las);
 * r.total.point[0]; // = Σ r.areas' points + r.reconciliation.unallocated.reconciled[0]
 * ```
 */
export function reconcileProjections(total: Projection, areas: ReadonlyMap<string, Projection>, options: ReconcileProjectionsOptions = {}): ReconciledProjections {
  if (areas.size === 0) fail('areas', 'no area to reconcile', 'give at least one area projection');
  const origin = total.history[total.history.length - 1].year;
  const years = total.years;
  const keys = [...areas.keys()];
  const problems: InputProblem[] = [];
  for (const k of keys) {
    const p = areas.get(k)!;
    const last = p.history[p.history.length - 1].year;
    if (k === UNALLOCATED) problems.push({ source: SOURCE, field: k, message: `an area is named "${UNALLOCATED}", the name of the unallocated node`, fix: 'rename the area' });
    else if (last !== origin) problems.push({ source: SOURCE, field: k, message: `${k}'s data end in ${last}, the total's (${total.area}) in ${origin}`, fix: 'reconcile only areas whose data end in the total\u2019s last year' });
    else if (p.years.length !== years.length || p.years.some((y, i) => y !== years[i])) {
      problems.push({ source: SOURCE, field: k, message: `${k} is projected for ${p.years[0]}-${p.years.at(-1)}, the total for ${years[0]}-${years.at(-1)}`, fix: 'project every area and the total to the same year' });
    }
  }
  if (problems.length > 0) throw new CarecastInputError(problems);

  // the unallocated series: the total minus the areas with a value each year (filled gaps as the models used them)
  const used = new Map(keys.map((k) => [k, new Map(areas.get(k)!.history.map((h) => [h.year, h.used]))]));
  const firstOf = new Map(keys.map((k) => [k, areas.get(k)!.history[0].year]));
  const unHistory = total.history.map((h) => ({ year: h.year, value: h.used - keys.reduce((s, k) => s + (used.get(k)!.get(h.year) ?? 0), 0) }));
  const unError = new Map<number, number>();
  for (let i = 1; i < unHistory.length; i++) {
    const y = unHistory[i].year;
    // a series starting in year y changes what the difference holds: not an error
    const starts = keys.some((k) => firstOf.get(k) === y);
    unError.set(y, starts || unHistory[i - 1].year !== y - 1 ? Number.NaN : unHistory[i].value - unHistory[i - 1].value);
  }

  // one-step errors, aligned on the years in which some area has one (missing = 0)
  const errorsOf = (p: Projection, population?: SeriesPopulation): Map<number, number> => {
    const e = projectionErrors(p, population ? { population } : {});
    return new Map(e.years.map((y, i) => [y, e.errors[i]]));
  };
  const areaErrors = keys.map((k) => {
    const pop = options.populations?.get(k);
    return errorsOf(areas.get(k)!, pop);
  });
  const yearSet = new Set<number>();
  for (const m of areaErrors) for (const [y, v] of m) if (Number.isFinite(v) && y <= origin) yearSet.add(y);
  const errorYears = [...yearSet].sort((a, b) => a - b);
  const totalErrors = errorsOf(total, options.totalPopulation);
  const aligned = (m: ReadonlyMap<number, number>): number[] => errorYears.map((y) => {
    const v = m.get(y);
    return v !== undefined && Number.isFinite(v) ? v : 0;
  });
  const groupNames = [...keys, UNALLOCATED];
  const groups: Record<string, number[]> = {};
  keys.forEach((k, j) => (groups[k] = aligned(areaErrors[j])));
  groups[UNALLOCATED] = aligned(unError);
  const residuals = { total: aligned(totalErrors), groups };
  const nodeNames = [total.area, ...keys, `${total.area}'s unallocated rest`];
  const nodeErrors = [residuals.total, ...groupNames.map((g) => groups[g])];
  const quiet = nodeErrors.map((e) => e.every((v) => v === 0));
  let matrix: ReconciliationMatrix;
  if (options.covariance === 'identity') {
    matrix = minTMatrix(groupNames, undefined, { covariance: 'identity' });
  } else {
    const kind = options.covariance ?? 'shrink';
    const live = nodeErrors.map((_, i) => i).filter((i) => !quiet[i]);
    if (live.length === 0) fail('areas', `no node has a non-zero one-step error${errorYears.length === 0 ? '' : ` in ${errorYears[0]}-${errorYears.at(-1)}`}`, 'give longer histories, or reconcile with covariance "identity" (OLS)');
    const sc = shrinkCovariance(live.map((i) => nodeErrors[i]));
    const p = live.length;
    const pick = (a: number, b: number): number => {
      const v = sc.sample.data[a * p + b];
      if (a === b) return v;
      return kind === 'shrink' ? (1 - sc.lambda) * v : kind === 'sample' ? v : 0;
    };
    // a node whose errors are all zero (a series that never changed) gets the smallest variance of the others, no covariance
    const floor = Math.min(...live.map((_, a) => pick(a, a)));
    const n = nodeErrors.length;
    const w = new Float64Array(n * n);
    for (let i = 0; i < n; i++) if (quiet[i]) w[i * n + i] = floor;
    live.forEach((i, a) => live.forEach((j, b) => (w[i * n + j] = pick(a, b))));
    const method: ReconciliationMethod = kind === 'shrink' ? 'mint-shrink' : kind === 'sample' ? 'mint-sample' : 'wls';
    matrix = minTMatrixOf(groupNames, { rows: n, cols: n, data: w }, { method, ...(kind === 'shrink' ? { lambda: sc.lambda } : {}) });
  }
  const quietNames = nodeNames.filter((_, i) => quiet[i]);
  const unLast = unHistory[unHistory.length - 1].value;
  const unPoint = years.map(() => unLast);
  const baseGroups: Record<string, number[]> = {};
  for (const k of keys) baseGroups[k] = [...areas.get(k)!.point];
  baseGroups[UNALLOCATED] = unPoint;
  const rec = reconcileWith(matrix, { total: total.point, groups: baseGroups });
  const method = matrix.method;
  const words = method === 'mint-shrink' ? `MinT with the shrinkage covariance (\u03bb = ${(matrix.lambda ?? 0).toFixed(2)})` : method === 'ols' ? 'OLS (every node weighted alike)' : method;
  const basis = `the one-step in-sample errors of ${keys.length} areas, ${total.area} and the unallocated rest in ${errorYears.length === 0 ? 'no year' : `${errorYears[0]}-${errorYears.at(-1)}`}`;
  const reconciledAreas = new Map<string, Projection>();
  let maxIncoherence = 0;
  const clippedAreas: string[] = [];
  const sums = years.map(() => 0);
  for (const k of keys) {
    const p = areas.get(k)!;
    const point = rec.groups[k];
    if (point.some((v) => v < 0)) clippedAreas.push(k);
    const adj = point.map((v, i) => v - p.point[i]);
    const note: ReconciliationNote = { with: total.area, method, basePoint: p.point, adjustment: adj };
    const q = moved(
      p,
      point,
      note,
      `The point forecast was reconciled with ${total.area}'s by ${words}, from ${basis}: it moved by ${signed(adj[0])} in ${years[0]}${years.length > 1 ? ` and ${signed(adj[adj.length - 1])} in ${years[years.length - 1]}` : ''}. ` +
        'The bands and distributions were moved with it: their width is that of the unreconciled projection, calibrated on unreconciled errors unless a calibration made on reconciled ones was given.',
    );
    reconciledAreas.set(k, q);
    q.point.forEach((v, i) => (sums[i] += v));
  }
  const unRec = rec.groups[UNALLOCATED];
  years.forEach((_, i) => {
    sums[i] += unRec[i];
    maxIncoherence = Math.max(maxIncoherence, Math.abs(Math.max(0, rec.total[i]) - sums[i]));
  });
  const caveats: string[] = [
    `Reconciled ${keys.length} areas with ${total.area} by ${words}, from ${basis} (a missing error counted as 0).`,
    `${total.area} minus the ${keys.length} areas (${signed(unLast)} in ${origin}) is kept as an unallocated series, forecast by naive.`,
  ];
  if (quietNames.length > 0 && options.covariance !== 'identity') {
    caveats.push(`${quietNames.join(', ')}: no one-step error other than 0, so ${quietNames.length === 1 ? 'it is' : 'they are'} weighted with the smallest variance of the other nodes and no covariance (as the best-known node).`);
  }
  if (clippedAreas.length > 0) {
    caveats.push(`The reconciled point of ${clippedAreas.join(', ')} fell below zero in places and is shown as zero, so the areas add up to ${total.area} only to within ${maxIncoherence.toFixed(1)}.`);
  }
  const totalAdj = rec.total.map((v, i) => v - total.point[i]);
  const totalOut = moved(
    total,
    rec.total,
    { with: `its ${keys.length} areas`, method, basePoint: total.point, adjustment: totalAdj },
    `The point forecast is the sum of the ${keys.length} areas' reconciled ones and the unallocated rest (${words}): it moved by ${signed(totalAdj[0])} in ${years[0]}. The bands were moved with it.`,
  );
  return {
    total: totalOut,
    areas: reconciledAreas,
    reconciliation: {
      method,
      with: total.area,
      origin,
      years,
      areas: keys,
      matrix,
      ...(matrix.lambda !== undefined ? { lambda: matrix.lambda } : {}),
      errorYears,
      unallocated: { history: unHistory, point: unPoint, reconciled: unRec },
      baseTotal: total.point,
      maxIncoherence,
      caveats,
    },
  };
}
