/**
 * Project a whole panel of series at once (every LA of the DfE panel, a
 * region, or any set of series of one measure) with one strategy and its
 * bands, optionally reconciled with England's projection.
 *
 * @module
 */
import { CarecastInputError, type InputProblem } from '../data/errors.js';
import type { SeriesPopulation } from '../data/ons/panelPopulation.js';
import { loadDfePanelArea } from '../data/panel.js';
import { yearValuesOf, type SeriesInput } from '../data/yearValue.js';
import { fitGlobal } from '../models/global/fitGlobal.js';
import { panelOrigin, type GlobalFit } from '../models/global/shared.js';
import { isGlobalMethodName, type MethodOptions } from '../models/registry.js';
import type { PanelEvidence } from '../models/selectMethod.js';
import type { GlobalMethodName } from '../models/types.js';
import { bundledEvidenceFor } from '../project/defaults.js';
import { forecastSeries, type IntervalMethod, type Projection, type ProjectionBootstrapOptions, type ProjectionOptions, type ProjectionStrategy } from '../project/forecast.js';
import type { ConformalCalibration } from '../uncertainty/conformal.js';
import { reconcileProjections, type ProjectionReconciliation } from './reconcile/projections.js';

/**
 * Options of {@link forecastPanel}: those of `forecast` that apply to every
 * series alike, where a global method's fit comes from, and whether to
 * reconcile with England.
 *
 * @example
 * ```ts
 * const options: PanelProjectionOptions = { to: 2030, reconcile: 'england' };
 * forecastPanel(panelSeries(loadDfePanel()), options);
 * ```
 */
export interface PanelProjectionOptions {
  /** Last year to project (inclusive). Give this or `horizon`. */
  readonly to?: number;
  /** Years to project beyond each series' last observation. Give this or `to`. */
  readonly horizon?: number;
  /** How the method is decided, as `forecast`'s `method` (default `'evidence'`: the panel evidence for the series' measure). */
  readonly method?: ProjectionStrategy;
  /** Interval levels in percent (default `[80, 95]`). */
  readonly levels?: readonly number[];
  /** How the bands are made, as `forecast`'s `intervals` (default: pooled conformal bands of the strategy in use, where bundled). */
  readonly intervals?: IntervalMethod;
  /** A conformal calibration for every series (its method must be the one in use). */
  readonly conformal?: ConformalCalibration;
  /** Paths and seed for `intervals: 'bootstrap'`. */
  readonly bootstrap?: ProjectionBootstrapOptions;
  /** Panel evidence to follow instead of the bundled one (with `method` `'evidence'` or `'auto'`). */
  readonly evidence?: PanelEvidence;
  /** Per-method options. */
  readonly methodOptions?: MethodOptions;
  /** Ignore observations before this year. */
  readonly from?: number;
  /** A flat band of ± this fraction, as `forecast`'s `band`. */
  readonly band?: number;
  /**
   * For a global method (asked for, or picked by the evidence): `'bundled'`
   * (default) the bundled DfE panel's fit for the measure, as `forecast`
   * uses; `'panel'` a fit on these series at their latest year; or a fit
   * (`fitGlobal`, `loadDfeGlobal`).
   */
  readonly fit?: GlobalFit | 'bundled' | 'panel';
  /** For the rate methods: each series' child population, by key (`dfePanelPopulations(loadDfePanel()).populations`). */
  readonly populations?: ReadonlyMap<string, SeriesPopulation>;
  /**
   * `'england'`: reconcile the areas' point forecasts with England's
   * projection by the same strategy (MinT with the shrinkage covariance of
   * one-step errors; England minus the areas kept as an unallocated series
   * forecast by naive; see `reconcileProjections`). Default `'none'`: in the
   * issue-12 benchmark the reconciliation barely moved the LAs' points and did
   * not meet the bar set for it in advance (benchmarks/RESULTS.md).
   */
  readonly reconcile?: 'england' | 'none';
  /** The total to reconcile with (default: DfE's England series of the panel's measure, bundled with carecast). A region's total with its LAs works the same. */
  readonly england?: SeriesInput;
  /** For a rate method: England's child population. */
  readonly englandPopulation?: SeriesPopulation;
}

/**
 * The result of {@link forecastPanel}.
 *
 * @example
 * ```ts
 * const all: PanelProjection = forecastPanel(panelSeries(loadDfePanel()), { to: 2030 });
 * all.byArea.get('Derby')?.summary;   // the method, the evidence and the bands, in one line
 * all.skipped;                        // series that could not be projected, and why
 * ```
 */
export interface PanelProjection {
  /** Tells a panel projection from a single one. */
  readonly kind: 'panelProjection';
  /** Each series' projection, by the key it was given under (reconciled ones with a `reconciliation` note). */
  readonly byArea: ReadonlyMap<string, Projection>;
  /** Series that could not be projected, and why. */
  readonly skipped: readonly { readonly area: string; readonly reason: string }[];
  /** With `reconcile: 'england'`: England's projection, its point the sum of the reconciled areas and the unallocated rest. */
  readonly england?: Projection;
  /** With `reconcile: 'england'`: what the reconciliation did, with its matrix (for sample paths: `reconcilePaths`). */
  readonly reconciliation?: ProjectionReconciliation;
  /** What the panel projection rests on, in plain words. */
  readonly caveats: readonly string[];
}

const SOURCE = 'forecastPanel options';
const KNOWN = new Set(['to', 'horizon', 'method', 'levels', 'intervals', 'conformal', 'bootstrap', 'evidence', 'methodOptions', 'from', 'band', 'fit', 'populations', 'reconcile', 'england', 'englandPopulation']);
/** Where the bundled DfE panel keeps England's series of each measure. */
const ENGLAND_OF: Readonly<Record<string, 'childrenInCare' | 'started' | 'ceased'>> = { children_in_care: 'childrenInCare', started: 'started', ceased: 'ceased' };

function fail(problems: InputProblem[]): never {
  throw new CarecastInputError(problems);
}

function reasonOf(e: unknown): string {
  if (e instanceof CarecastInputError) return e.problems.map((p) => p.message).join('; ');
  if (e instanceof RangeError) return e.message;
  throw e;
}

/** The global method a strategy uses (asked for, or the evidence's), if any. */
function globalOf(method: ProjectionStrategy, evidence: PanelEvidence | undefined): GlobalMethodName | undefined {
  if (method !== 'auto' && method !== 'evidence') return isGlobalMethodName(method) ? method : undefined;
  const m = evidence?.method;
  return m !== undefined && m !== 'auto' && isGlobalMethodName(m) ? m : undefined;
}

/**
 * Project every series of a panel (e.g. every LA of `loadDfePanel()`) with
 * one strategy: each series exactly as `forecast` would with the same
 * options (by default the method the panel evidence picks for the measure,
 * with that method's pooled conformal bands), except that the series' own
 * rolling-origin scores, which `forecast` keeps for reference when the
 * evidence fixes the method, are not computed (`selection.scores` is then
 * empty). A global method uses one fit for the whole panel: the bundled DfE
 * fit (default, as `forecast`), a fit on these series (`fit: 'panel'`), or
 * the fit given. A series that cannot be projected (e.g. one year of data)
 * is listed in `skipped` with the reason.
 *
 * With `reconcile: 'england'`, England (`england`, default DfE's England
 * series of the measure) is projected by the same strategy and fit, and the
 * areas whose data end in England's last year are reconciled with it by
 * `reconcileProjections` (MinT, shrinkage covariance of one-step errors,
 * England minus the areas as an unallocated series forecast by naive): their
 * points then add up to England's exactly, and each says so in its caveats
 * and summary. Other areas are left as they are, and the caveats list them.
 *
 * @param seriesByArea - the series by key (annual series or `{ year, value }` pairs), all of one measure
 * @param options - target year or horizon, strategy, levels, bands, fit, populations, reconciliation
 * @returns each series' projection, the skipped ones, and with reconciliation England's projection and the reconciliation
 * @throws CarecastInputError for unknown options, an empty panel, series of different measures, a fit of another method, or (reconciling) no England series for the measure, England's data ending before the target, or what `reconcileProjections` rejects
 * @example
 * ```ts
 * import { forecastPanel, loadDfePanel } from 'carecast';
 * import { panelSeries } from 'carecast/data';
 *
 * const all = forecastPanel(panelSeries(loadDfePanel()), { to: 2030 });
 * all.byArea.get('Derby')?.point;          // the same as forecast(derby, { to: 2030 }).point
 * const rec = forecastPanel(panelSeries(loadDfePanel()), { to: 2030, reconcile: 'england' });
 * rec.england?.point[0];                   // = the LAs' reconciled points + the unallocated rest
 * ```
 */
export function forecastPanel(seriesByArea: ReadonlyMap<string, SeriesInput>, options: PanelProjectionOptions = {}): PanelProjection {
  const unknown = Object.keys(options).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) fail(unknown.map((k) => ({ source: SOURCE, field: k, message: `unknown option "${k}"`, fix: `use ${[...KNOWN].join(', ')}` })));
  if (!(seriesByArea instanceof Map) || seriesByArea.size === 0) fail([{ source: SOURCE, field: 'series', message: 'no series to project', fix: 'give a Map of series by area, e.g. panelSeries(loadDfePanel())' }]);
  if (options.reconcile !== undefined && options.reconcile !== 'england' && options.reconcile !== 'none') {
    fail([{ source: SOURCE, field: 'reconcile', message: `unknown reconciliation "${String(options.reconcile)}"`, fix: "use 'england' or 'none'" }]);
  }
  const fitOpt = options.fit ?? 'bundled';
  if (fitOpt !== 'bundled' && fitOpt !== 'panel' && (typeof fitOpt !== 'object' || fitOpt === null || (fitOpt as { kind?: unknown }).kind !== 'globalFit')) {
    fail([{ source: SOURCE, field: 'fit', message: 'fit must be a global fit, "bundled" or "panel"', fix: "e.g. fit: 'panel' to fit the global method on these series" }]);
  }
  // one measure for the panel: the strategy and its evidence are the measure's
  const measures = new Map<string, string>();
  for (const [key, s] of seriesByArea) {
    try {
      const m = yearValuesOf(s).measure;
      if (!measures.has(m)) measures.set(m, key);
    } catch {
      // a bad series is reported when it is projected
    }
  }
  if (measures.size > 1) {
    fail([{ source: SOURCE, field: 'series', message: `the series are of different measures (${[...measures].map(([m, k]) => `${m}, e.g. ${k}`).join('; ')})`, fix: 'project each measure as a panel of its own' }]);
  }
  const measure = [...measures.keys()][0] ?? 'value';
  const method: ProjectionStrategy = options.method ?? 'evidence';
  const chooses = method === 'evidence' || method === 'auto';
  const evidence = chooses ? (options.evidence ?? (method === 'evidence' ? bundledEvidenceFor(measure) : undefined)) : undefined;
  const global = globalOf(method, evidence);
  let fit: GlobalFit | undefined;
  const caveats: string[] = [];
  if (global !== undefined) {
    if (typeof fitOpt === 'object') {
      if (fitOpt.method !== global) fail([{ source: SOURCE, field: 'fit', message: `the fit given is ${fitOpt.method}'s, but the strategy uses ${global}`, fix: `give a ${global} fit, or leave fit out` }]);
      fit = fitOpt;
    } else if (fitOpt === 'panel') {
      const rate = global === 'panelGrowthRate' || global === 'panelARRate';
      fit = fitGlobal(global, seriesByArea, {
        origin: panelOrigin(seriesByArea),
        ...(rate && options.populations ? { population: options.populations } : {}),
        ...(options.methodOptions?.panelGrowth ? { panelGrowth: options.methodOptions.panelGrowth } : {}),
        ...(options.methodOptions?.panelAR ? { panelAR: options.methodOptions.panelAR } : {}),
      });
      caveats.push(`${global} was fitted on these ${seriesByArea.size} series at ${fit.origin}.`);
    }
  }
  const base: ProjectionOptions = {
    method,
    ...(options.to !== undefined ? { to: options.to } : {}),
    ...(options.horizon !== undefined ? { horizon: options.horizon } : {}),
    ...(options.levels ? { levels: options.levels } : {}),
    ...(options.intervals ? { intervals: options.intervals } : {}),
    ...(options.conformal ? { conformal: options.conformal } : {}),
    ...(options.bootstrap ? { bootstrap: options.bootstrap } : {}),
    ...(evidence ? { evidence } : {}),
    ...(options.methodOptions ? { methodOptions: options.methodOptions } : {}),
    ...(options.from !== undefined ? { from: options.from } : {}),
    ...(options.band !== undefined ? { band: options.band } : {}),
    ...(fit ? { panel: fit } : {}),
  };
  const byArea = new Map<string, Projection>();
  const skipped: { area: string; reason: string }[] = [];
  for (const [key, s] of seriesByArea) {
    const pop = options.populations?.get(key);
    try {
      byArea.set(key, forecastSeries(s, { ...base, ...(pop ? { population: pop } : {}) }, { ownScores: false }));
    } catch (e) {
      skipped.push({ area: key, reason: reasonOf(e) });
    }
  }
  if (skipped.length > 0) caveats.push(`${skipped.length} of ${seriesByArea.size} series could not be projected: ${skipped.slice(0, 5).map((s) => `${s.area} (${s.reason})`).join('; ')}${skipped.length > 5 ? '; ...' : ''}.`);
  if (options.reconcile !== 'england') return { kind: 'panelProjection', byArea, skipped, caveats };

  // reconcile with England, projected by the same strategy and fit
  let england = options.england;
  if (england === undefined) {
    const field = ENGLAND_OF[measure];
    if (!field) {
      fail([{ source: SOURCE, field: 'england', message: `no England series of the measure "${measure}" is bundled`, fix: 'give england: the series of the total to reconcile with' }]);
    }
    const s = loadDfePanelArea('England')[field];
    if (!s) fail([{ source: SOURCE, field: 'england', message: `the bundled DfE panel has no England series of ${measure}`, fix: 'give england' }]);
    england = s;
    caveats.push(`England: DfE's national series of ${measure.replace(/_/g, ' ')}, bundled with carecast.`);
  }
  const englandProjection = forecastSeries(england, { ...base, ...(options.englandPopulation ? { population: options.englandPopulation } : {}) }, { ownScores: false });
  const origin = englandProjection.history[englandProjection.history.length - 1].year;
  const nodes = new Map<string, Projection>();
  const apart: string[] = [];
  for (const [k, p] of byArea) {
    if (p.history[p.history.length - 1].year === origin) nodes.set(k, p);
    else apart.push(`${k} (data to ${p.history[p.history.length - 1].year})`);
  }
  if (apart.length > 0) caveats.push(`Not reconciled, their data ending in another year than England's (${origin}): ${apart.join(', ')}; their projections are their own.`);
  const atOrigin = skipped.filter((s) => {
    const e = seriesByArea.get(s.area);
    try {
      return e !== undefined && yearValuesOf(e).points.some((p) => p.year === origin && p.value !== null);
    } catch {
      return false;
    }
  });
  if (atOrigin.length > 0) caveats.push(`${atOrigin.map((s) => s.area).join(', ')} could not be projected: ${atOrigin.length === 1 ? 'its' : 'their'} ${origin} count${atOrigin.length === 1 ? ' is' : 's are'} part of England's unallocated rest.`);
  const r = reconcileProjections(englandProjection, nodes, {
    ...(options.populations ? { populations: options.populations } : {}),
    ...(options.englandPopulation ? { totalPopulation: options.englandPopulation } : {}),
  });
  for (const [k, p] of r.areas) byArea.set(k, p);
  caveats.push(...r.reconciliation.caveats);
  return { kind: 'panelProjection', byArea, skipped, england: r.total, reconciliation: r.reconciliation, caveats };
}
