/**
 * The top-level projection: an annual series in, a projection to a target
 * year out, with the method (chosen by panel evidence, by the series' own
 * errors, or as asked), intervals (pooled conformal by default where the
 * bundled DfE calibration covers the measure), an optional flat band as the
 * seed documents use, caveats in plain language and a one-line summary.
 *
 * @module
 */
import { CarecastInputError } from '../data/errors.js';
import { fillInteriorGaps } from '../data/fillGaps.js';
import { yearValuesOf, type SeriesInput } from '../data/yearValue.js';
import { selectMethod, type MethodSelection, type PanelEvidence } from '../models/selectMethod.js';
import { checkLevels } from '../models/distribution.js';
import { fitMethod, isAnyMethodName, isGlobalMethodName, minObservations, type MethodOptions } from '../models/registry.js';
import type { GlobalFit, GlobalPanel } from '../models/global/shared.js';
import type { SeriesPopulation } from '../data/ons/panelPopulation.js';
import type { AnyMethodName, Distribution, FitDiagnostics, ForecastInterval, GlobalMethodName, MethodName } from '../models/types.js';
// The interval methods' kernels (uncertainty sits below projection: neither imports this module).
import { bootstrapPaths, type BootstrapResult } from '../uncertainty/bootstrap.js';
import { calibrateConformalSeries, conformalBands, historyScale, type ConformalCalibration, type ConformalExponent } from '../uncertainty/conformal.js';
import { bundledCalibrationFor, bundledEvidenceFor, hasBundledCalibrations } from './defaults.js';
import { projectGlobal, type GlobalPart } from './globalForecast.js';
import { projectionSummary } from './summary.js';

/**
 * How the method of a projection is decided:
 *
 * - `'evidence'` (the default): follow the panel evidence for the series'
 *   measure, the `evidence` given or else the bundled evidence from every DfE
 *   LA's backtest (`loadDfeEvidence`); with none for the measure, each series
 *   chooses by its own errors, as `'auto'`. Evidence that recommends a global
 *   method has it applied with its panel's fit (`panel`, else the bundled
 *   DfE fit for the measure).
 * - `'auto'`: the series chooses by its own rolling-origin errors
 *   (`selectMethod`), or follows `evidence` when one is given.
 * - a method name: that method (a global one with `panel` or the bundled fit).
 */
export type ProjectionStrategy = AnyMethodName | 'auto' | 'evidence';

/**
 * How a projection's probability intervals are made: `'analytic'` from the
 * model's forecast distributions, `'bootstrap'` from paths built by
 * resampling the model's residuals (`bootstrapPaths`), `'conformal'`
 * from the empirical quantiles of rolling-origin forecast errors
 * (`calibrateConformal`, `calibrateConformalSeries`).
 */
export type IntervalMethod = 'analytic' | 'bootstrap' | 'conformal';

/** Options of the bootstrap intervals of {@link forecast}. */
export interface ProjectionBootstrapOptions {
  /** Number of bootstrap paths (default 2000). */
  readonly paths?: number;
  /** Seed of the random number generator (default 1); the same seed gives the same bands. */
  readonly seed?: number;
}

/**
 * What intervals rest on beyond the model's own fit to the series (in
 * {@link Projection.intervalBasis}): bootstrap or conformal bands, or a
 * global method's own (analytic, log-normal) bands, whose spread per step
 * was read off the method's errors across the panel it was fitted on
 * (`method: 'analytic'`, `calibration: 'pooled'`).
 */
export interface IntervalBasis {
  /** The interval method. */
  readonly method: 'analytic' | 'bootstrap' | 'conformal';
  /** Yearly observations the model was fitted to (interpolated gaps included). */
  readonly points: number;
  /** Bootstrap: number of residuals resampled. */
  readonly residuals?: number;
  /** Bootstrap: number of paths. */
  readonly paths?: number;
  /** Bootstrap: the seed. */
  readonly seed?: number;
  /** Conformal, or a global method's own bands: errors pooled over many areas, or (conformal) the series' own. */
  readonly calibration?: 'pooled' | 'series';
  /** Conformal (or a global method's own bands): per projected year, the number of forecast errors its band rests on (that of the calibrated step used). */
  readonly errors?: readonly number[];
  /** Conformal (or a global method's own bands): H, the steps calibrated on their own errors; later years are extrapolated as (h / H)^k. */
  readonly calibratedSteps?: number;
  /** Conformal (or a global method's own bands): the method whose errors were calibrated (`'auto'`: of each series choosing its own). */
  readonly calibrationMethod?: AnyMethodName | 'auto';
  /** Conformal: the number of areas the errors come from (1 for a series' own). */
  readonly areas?: number;
  /** Conformal (or a global method's own bands): per projected year, `true` when its band is extrapolated beyond the calibrated steps. */
  readonly extrapolated?: readonly boolean[];
  /** Conformal (or a global method's own bands): the power-law exponents k per level used for the extrapolated years (absent when none is extrapolated). */
  readonly exponents?: readonly ConformalExponent[];
  /** Conformal: the MASE scale (mean absolute yearly change of the history) the calibrated quantiles were multiplied by; a global method's own bands: the series' mean absolute log yearly change the pooled spread was multiplied by. */
  readonly scale?: number;
  /** What the bands rest on, in words. */
  readonly summary: string;
}

/**
 * Options for {@link forecast}.
 *
 * @example
 * ```ts
 * const options: ProjectionOptions = { to: 2035, method: 'auto', levels: [80, 95], intervals: 'conformal', conformal: loadDfeCalibration() };
 * forecast(series, options);
 * ```
 */
export interface ProjectionOptions {
  /** Last year to project (inclusive). Give this or `horizon`. */
  readonly to?: number;
  /** Years to project beyond the last observation. Give this or `to`. */
  readonly horizon?: number;
  /**
   * How the method is decided ({@link ProjectionStrategy}): `'evidence'`
   * (default) follows the panel evidence for the series' measure (`evidence`,
   * or the bundled DfE evidence), `'auto'` chooses by the series' own
   * rolling-origin accuracy ({@link selectMethod}) on forecasts 1 to max(3,
   * horizon) years ahead, as far as the data allow, or a method name.
   *
   * A global method (`panelGrowth`, `panelAR`, `panelGrowthRate`,
   * `panelARRate`), asked for by name or recommended by the evidence, applies
   * a panel's fitted dynamics to this series: the fit or panel given in
   * `panel`, or else the bundled DfE panel's fit for the series' measure
   * (`loadDfeGlobal`); the caveats say which.
   */
  readonly method?: ProjectionStrategy;
  /** Interval levels in percent (default `[80, 95]`). */
  readonly levels?: readonly number[];
  /**
   * A flat band of +/- this fraction around the point forecast (0.05 for the
   * seed documents' "5% variation"). Reported apart from the probability
   * intervals, because it is not one.
   */
  readonly band?: number;
  /** Ignore observations before this year. */
  readonly from?: number;
  /** Per-method options (e.g. `repeatGrowth: { window: 5, roundPercent: 0 }`). */
  readonly methodOptions?: MethodOptions;
  /**
   * How the probability intervals are made. Default: `'conformal'` with the
   * bundled pooled calibration of the method in use for the series' measure
   * (`loadDfeCalibration`; `auto`'s when each series chooses its own), or
   * with `conformal` when given; `'analytic'` when the measure or method has
   * no bundled calibration or a level asked for is not calibrated.
   *
   * - `'analytic'`: read off the model's forecast distributions.
   * - `'bootstrap'`: quantiles of paths built by resampling the model's
   *   in-sample residuals (`bootstrapPaths`; `bootstrap` sets paths and seed).
   * - `'conformal'`: point ± quantiles of scale-free rolling-origin errors:
   *   those of `conformal` when given, else of the bundled calibration for
   *   the series' measure, else the series' own rolling-origin errors
   *   (`calibrateConformalSeries`, 1-3 steps ahead, later years
   *   extrapolated), which with a short series are few: levels they cannot
   *   reach are widened to at least the analytic band, and the caveats say so.
   */
  readonly intervals?: IntervalMethod;
  /** A conformal calibration (normally pooled over a panel); its method must be the one in use (or `'auto'` when the series chooses). */
  readonly conformal?: ConformalCalibration;
  /** Paths and seed for `intervals: 'bootstrap'`. */
  readonly bootstrap?: ProjectionBootstrapOptions;
  /**
   * With `method` `'evidence'` (the default) or `'auto'`: evidence pooled
   * over many series (from `panelEvidence`), used instead of the bundled
   * evidence. When it recommends a fixed method and this series is long
   * enough for it, that method is used; otherwise the series chooses its
   * own. `selection.rule` says which decided.
   */
  readonly evidence?: PanelEvidence;
  /**
   * For a global method: its fit (`fitGlobal`, `loadDfeGlobal`), or a panel
   * of series to fit it on at this series' last year (a Map by key). Without
   * it, the bundled DfE panel's fit for the series' measure is borrowed.
   */
  readonly panel?: GlobalFit | GlobalPanel;
  /** For a rate method (`panelGrowthRate`, `panelARRate`): this series' child population (for a DfE LA: `dfePanelPopulations(loadDfePanel()).populations.get(name)`). */
  readonly population?: SeriesPopulation;
  /** For a rate method fitted on a `panel` Map: each panel series' population, by key. */
  readonly panelPopulation?: ReadonlyMap<string, SeriesPopulation>;
}

/** One year of the history as the model saw it. */
export interface HistoryPoint {
  /** Year. */
  readonly year: number;
  /** The published value (`null` if missing or suppressed). */
  readonly value: number | null;
  /** The value the model used: the published one, or an interpolation for an interior gap. */
  readonly used: number;
  /** `true` when `used` was interpolated. */
  readonly imputed: boolean;
}

/** A flat +/- band around the point forecast. */
export interface FlatBand {
  /** The half-width as a fraction of the point forecast (0.05 = 5%). */
  readonly fraction: number;
  /** point x (1 - fraction). */
  readonly lower: readonly number[];
  /** point x (1 + fraction). */
  readonly upper: readonly number[];
}

/**
 * How a projection's point forecast was reconciled with a total (e.g. an LA's
 * with England's, by `reconcileProjections` or `forecastPanel`): the point is
 * the reconciled one, the bands and distributions were moved with it.
 *
 * @example
 * ```ts
 * const r: ReconciliationNote | undefined = forecastPanel(cic, { to: 2030, reconcile: 'england' }).byArea.get('Derby')?.reconciliation;
 * r?.adjustment; // reconciled point - the area's own point, per projected year
 * ```
 */
export interface ReconciliationNote {
  /** The total the point was made coherent with, e.g. `England`. */
  readonly with: string;
  /** The reconciliation, e.g. `'mint-shrink'` (MinT with the shrinkage covariance). */
  readonly method: string;
  /** The projection's own (unreconciled) point forecast, per projected year. */
  readonly basePoint: readonly number[];
  /** Reconciled point minus the projection's own, per projected year. */
  readonly adjustment: readonly number[];
}

/**
 * The result of {@link forecast}.
 *
 * @example
 * ```ts
 * const p: Projection = forecast(series, { to: 2030 });
 * p.method;                         // e.g. 'drift', chosen by auto
 * p.years; p.point;                 // projected years and point forecasts
 * p.intervals[0];                   // { level: 80, lower: [...], upper: [...] }
 * p.caveats;                        // what the projection rests on, in plain words
 * ```
 */
export interface Projection {
  /** The area (LA) the series describes. */
  readonly area: string;
  /** The measure projected, e.g. `children_in_care`. */
  readonly measure: string;
  /** The method used (for a global method, `'naive'` where the series is not eligible for it; the caveats say why). */
  readonly method: AnyMethodName;
  /** How the method was to be decided: `'evidence'` (the default), `'auto'` or a method name. */
  readonly requestedMethod: ProjectionStrategy;
  /** How the method was chosen (by panel evidence or the series' own errors), when it was not asked for by name. */
  readonly selection?: MethodSelection;
  /** The history used. */
  readonly history: readonly HistoryPoint[];
  /** Projected years. */
  readonly years: readonly number[];
  /** Point forecast per projected year (never below zero). */
  readonly point: readonly number[];
  /** Prediction intervals (never below zero), one per level. */
  readonly intervals: readonly ForecastInterval[];
  /** How the intervals were obtained. */
  readonly intervalMethod: IntervalMethod;
  /** What bootstrap or conformal intervals, or a global method's own pooled bands, rest on (absent for a model's analytic bands fitted on the series alone). */
  readonly intervalBasis?: IntervalBasis;
  /** The flat band, when asked for. */
  readonly flatBand?: FlatBand;
  /**
   * The forecast distribution per projected year (before clipping at zero),
   * the one the bands came from: the model's analytic ones with
   * `intervalMethod: 'analytic'`; the bootstrap draws (`sample`) with
   * `'bootstrap'`; with `'conformal'`, the calibration's distribution of
   * scaled errors around the point (`sample`: point + scale ×
   * `offsetQuantiles` of the step used, widened by the bands' power law
   * beyond the calibrated steps, see `conformalBands`). Backtests score
   * their CRPS.
   */
  readonly distributions: readonly Distribution[];
  /** The fit's parameters, residuals and variance (for a global method: the series' own quantities the rule used; no one-step fitted values). */
  readonly diagnostics: FitDiagnostics;
  /** For a global method: the panel fit it used. */
  readonly globalFit?: GlobalFit;
  /** When the point was reconciled with a total (`reconcileProjections`, `forecastPanel` with `reconcile`): how, and by how much it moved. */
  readonly reconciliation?: ReconciliationNote;
  /** Plain-language warnings about the data and the projection. */
  readonly caveats: readonly string[];
  /**
   * One line a person can read: the method and why it was used (evidence,
   * the series' own errors, or asked for), and what the bands rest on, built
   * from the fields above.
   */
  readonly summary: string;
}

function fail(field: string, message: string, fix: string): never {
  throw new CarecastInputError([{ source: 'forecast options', field, message, fix }]);
}

interface BandInput {
  /** The single-series model (absent for a global method: no residuals to bootstrap). */
  readonly model: ReturnType<typeof fitMethod> | undefined;
  readonly fc: { readonly point: readonly number[]; readonly intervals: readonly ForecastInterval[]; readonly distributions: readonly Distribution[] };
  readonly y: readonly number[];
  readonly n: number;
  readonly horizon: number;
  readonly levels: readonly number[];
  readonly history: readonly HistoryPoint[];
  readonly requested: ProjectionStrategy;
  readonly method: AnyMethodName;
  /** Whose errors a calibration should be of: the method in use (the global method asked for or recommended, even where naive stood in), or `'auto'` when the series chose its own. */
  readonly strategyMethod: AnyMethodName | 'auto';
  /** The calibration to use for conformal bands (given, or bundled), if any. */
  readonly calibration?: ConformalCalibration;
  /** A global method that forecast the series: what its own (analytic) bands rest on. */
  readonly globalBasis?: IntervalBasis;
  readonly options: ProjectionOptions;
}

interface Bands {
  readonly method: IntervalMethod;
  readonly intervals: readonly ForecastInterval[];
  readonly distributions: readonly Distribution[];
  readonly basis?: IntervalBasis;
  readonly caveats: readonly string[];
}

function plural(k: number, word: string): string {
  return `${k} ${word}${k === 1 ? '' : 's'}`;
}

/** The intervals of a projection by the method asked for, with what they rest on. */
function intervalsBy(asked: IntervalMethod, b: BandInput): Bands {
  const analytic: Bands = { method: 'analytic', intervals: b.fc.intervals, distributions: b.fc.distributions, ...(b.globalBasis ? { basis: b.globalBasis } : {}), caveats: [] };
  if (asked === 'analytic') return analytic;
  if (asked === 'bootstrap') {
    const paths = b.options.bootstrap?.paths ?? 2000;
    const seed = b.options.bootstrap?.seed ?? 1;
    if (!Number.isInteger(paths) || paths < 1) fail('bootstrap', `bootstrap paths must be a positive whole number, got ${paths}`, 'e.g. bootstrap: { paths: 2000 }');
    if (!Number.isFinite(seed)) fail('bootstrap', `bootstrap seed must be a finite number, got ${seed}`, 'e.g. bootstrap: { seed: 42 }');
    if (!b.model) return fail('intervals', `bootstrap intervals resample a model's own residuals; ${b.method} is a global method and has none`, 'use analytic or conformal intervals');
    let r: BootstrapResult;
    try {
      r = bootstrapPaths(b.model, b.horizon, { paths, seed, levels: b.levels });
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      return fail('intervals', `bootstrap intervals: ${e.message}`, 'use analytic intervals, or supply a longer series');
    }
    const distributions: Distribution[] = [];
    for (let h = 0; h < b.horizon; h++) {
      const values: number[] = new Array<number>(paths);
      for (let p = 0; p < paths; p++) values[p] = r.paths.values[p * b.horizon + h];
      distributions.push({ type: 'sample', values });
    }
    const summary =
      `Bootstrap bands from ${paths} paths (seed ${seed}) resampling the ${plural(r.residuals, 'in-sample residual')} of the ${b.method} fit to ${plural(b.n, 'yearly observation')}: ` +
      `${r.scheme}.`;
    return {
      method: 'bootstrap',
      intervals: r.bands.intervals,
      distributions,
      basis: { method: 'bootstrap', points: b.n, residuals: r.residuals, paths, seed, summary },
      caveats: [summary, ...r.caveats],
    };
  }
  // conformal
  const pooled = b.calibration;
  let cal: ConformalCalibration;
  const notes: string[] = [];
  if (pooled !== undefined) {
    const chose = b.requested === 'auto' || b.requested === 'evidence';
    if (pooled.method !== b.strategyMethod && pooled.method !== b.method && !(chose && pooled.method === 'auto')) {
      fail('conformal', `the calibration is for ${pooled.method}'s errors but the projection uses ${b.method}${b.strategyMethod === 'auto' ? ' (chosen by the series)' : ''}`, `calibrate on ${b.strategyMethod}'s backtest errors`);
    }
    if (pooled.method !== b.strategyMethod) {
      notes.push(
        pooled.method === 'auto'
          ? `The bands are calibrated on the errors of auto (each series choosing its own method); here ${b.method} was used for this series, whose errors may differ.`
          : `The bands are calibrated on the errors of ${pooled.method} used on its own; here the series chose ${b.method}, whose errors when chosen this way may differ.`,
      );
    }
    cal = pooled;
  } else {
    const sm = b.strategyMethod;
    if (sm !== 'auto' && isGlobalMethodName(sm)) {
      return fail(
        'conformal',
        `conformal bands for the global method ${sm} need a calibration pooled over a panel, and none is bundled for this measure: one series cannot refit it`,
        `give conformal: calibrateConformal(backtestPanel(panel, { methods: ['${sm}'], horizon }), { method: '${sm}' })`,
      );
    }
    try {
      cal = calibrateConformalSeries(b.y, {
        method: sm,
        levels: b.levels,
        maxStep: Math.min(b.horizon, 3),
        ...(b.options.methodOptions ? { methodOptions: b.options.methodOptions } : {}),
        unscored: b.history.map((p) => p.imputed),
      });
    } catch (e) {
      if (!(e instanceof CarecastInputError)) throw e;
      cal = {
        kind: 'conformal',
        source: 'series',
        method: sm,
        shape: 'symmetric',
        levels: b.levels,
        steps: [],
        areas: 1,
        errors: 0,
        extrapolation: { calibratedSteps: 0, minErrors: 1, fallback: false, floor: 0.5, exponents: [] },
        caveats: [],
      };
    }
    if (cal.errors === 0) {
      return {
        ...analytic,
        caveats: [
          `Conformal bands were asked for without a calibration, and ${plural(b.n, 'yearly observation')} leave no rolling-origin errors to calibrate on: the bands are analytic (the model's own), and with so few points they tend to be too narrow. ` +
            'Calibrate on a panel (calibrateConformal) for honest bands.',
        ],
      };
    }
  }
  const scale = b.y.length > 1 ? historyScale({ history: b.history }) : 0;
  const cb = conformalBands(b.fc.point, scale, cal, { levels: b.levels });
  let intervals = cb.intervals;
  if (cal.source === 'series') {
    // levels the series' few errors cannot reach: at least as wide as the analytic band
    let widened = false;
    intervals = cb.intervals.map((iv, j) => {
      const an = b.fc.intervals[j];
      const lower = iv.lower.map((v, i) => {
        const finite = cal.steps[cb.steps[i].from - 1].levels[cal.levels.indexOf(iv.level)]?.finite ?? false;
        if (finite || an.lower[i] >= v) return v;
        widened = true;
        return an.lower[i];
      });
      const upper = iv.upper.map((v, i) => {
        const finite = cal.steps[cb.steps[i].from - 1].levels[cal.levels.indexOf(iv.level)]?.finite ?? false;
        if (finite || an.upper[i] <= v) return v;
        widened = true;
        return an.upper[i];
      });
      return { level: iv.level, lower, upper };
    });
    const least = Math.min(...cal.steps.filter((s) => s.n > 0).map((s) => s.n));
    notes.push(
      `No pooled calibration was given, so the conformal bands come from ${plural(b.n, 'yearly observation')} of this series alone, as few as ${least} forecast errors per step: ` +
        'they are rough. A calibration pooled over many areas (calibrateConformal on backtestPanel) is more reliable.',
    );
    if (widened) notes.push('Where there were too few errors for a level, the band was widened to at least the model\u2019s analytic band.');
  }
  return {
    method: 'conformal',
    intervals,
    distributions: cb.distributions,
    basis: conformalBasis(cal, cb, b.n, scale),
    caveats: [...cb.caveats, ...notes],
  };
}

/** What conformal bands rest on, for {@link Projection.intervalBasis}. */
export function conformalBasis(cal: ConformalCalibration, cb: ReturnType<typeof conformalBands>, points: number, scale: number): IntervalBasis {
  const ext = cb.steps.find((s) => s.extrapolated);
  return {
    method: 'conformal',
    points,
    calibration: cal.source,
    errors: cb.steps.map((s) => s.n),
    calibratedSteps: cal.extrapolation?.calibratedSteps ?? cal.steps.length,
    calibrationMethod: cal.method,
    areas: cal.areas,
    extrapolated: cb.steps.map((s) => s.extrapolated),
    ...(ext?.exponents ? { exponents: ext.exponents } : {}),
    scale,
    summary: cb.caveats[0],
  };
}

/**
 * Project an annual series to a target year.
 *
 * Steps: (1) observations before `from` are dropped, missing or suppressed
 * values at the ends are dropped and interior gaps (e.g. a year not
 * published) are filled by straight-line interpolation, which the result
 * reports; (2) the method is fitted, or with `'auto'` chosen by
 * {@link selectMethod}; (3) the model's forecast distributions give the point
 * forecast, and the intervals at each level come from them (`intervals:
 * 'analytic'`, the default), from a residual bootstrap (`'bootstrap'`) or
 * from conformal calibration on rolling-origin errors (`'conformal'`);
 * counts are clipped at zero; (4) the optional flat band is added; (5)
 * caveats explain what the result rests on, including how many points,
 * residuals or errors the bands rest on (also in `intervalBasis`).
 *
 * @param series - an annual series, or `{ year, value }` pairs
 * @param options - target year or horizon, method, levels, band, interval method
 * @returns the projection
 * @throws CarecastInputError for duplicate or non-integer years, negative or
 *   non-finite values, a target year not after the data, a bad level or band,
 *   an unknown method, a series too short for the method, an unknown
 *   interval method, bootstrap intervals from fewer than 2 residuals, or a
 *   conformal calibration for another method or without the levels asked
 * @example
 * ```ts
 * const p = forecast(
 *   [{ year: 2018, value: 719 }, { year: 2019, value: 802 }, { year: 2020, value: 861 },
 *    { year: 2021, value: 899 }, { year: 2022, value: 909 }, { year: 2023, value: 995 }],
 *   { to: 2028, method: 'repeatGrowth', methodOptions: { repeatGrowth: { window: 5, roundPercent: 0 } }, band: 0.05 },
 * );
 * p.point.at(-1); // 1373.1
 *
 * // bands from a pooled conformal calibration (see calibrateConformal)
 * const q = forecast(series, { to: 2024, method: 'auto', conformal: calibration });
 * q.intervalMethod;        // 'conformal'
 * q.intervalBasis?.errors; // errors each year's band rests on
 * ```
 */
export function forecast(series: SeriesInput, options: ProjectionOptions = {}): Projection {
  return forecastSeries(series, options, { ownScores: true });
}

/** How {@link forecastSeries} differs from {@link forecast}. */
export interface ForecastSeriesMode {
  /**
   * `false`: when panel evidence fixes the method, skip scoring the series'
   * own choice (kept in `selection.scores` for reference only): the
   * projection is otherwise the same. `forecastPanel` uses it for speed.
   */
  readonly ownScores: boolean;
}

/**
 * {@link forecast}, with the series' own reference scores optional (see
 * {@link ForecastSeriesMode}).
 *
 * @param series - an annual series, or `{ year, value }` pairs
 * @param options - as {@link forecast}
 * @param mode - whether to score the series' own choice when evidence fixes the method
 * @returns the projection
 * @throws CarecastInputError as {@link forecast}
 * @example
 * ```ts
 * forecastSeries(series, { to: 2030 }, { ownScores: false }).selection?.scores; // [] when the evidence fixes the method
 * ```
 */
export function forecastSeries(series: SeriesInput, options: ProjectionOptions, mode: ForecastSeriesMode): Projection {
  const { area, measure, points: all } = yearValuesOf(series);
  const requested: ProjectionStrategy = options.method ?? 'evidence';
  const chooses = requested === 'auto' || requested === 'evidence';
  if (!chooses && !isAnyMethodName(requested)) {
    fail(
      'method',
      `unknown method "${String(requested)}"`,
      'use evidence (the default), auto, naive, drift, linear, loglinear, dampedTrend, repeatGrowth, theta, or a global method: panelGrowth, panelAR, panelGrowthRate, panelARRate',
    );
  }
  if (options.evidence !== undefined && !chooses) {
    fail('evidence', `panel evidence decides the method, but the method asked for is ${requested}`, "leave evidence out, or leave method out (or set it to 'evidence' or 'auto')");
  }
  let levels: number[];
  try {
    levels = checkLevels(options.levels ?? [80, 95]);
  } catch (e) {
    fail('levels', (e as Error).message, 'give levels such as 80,95');
  }
  if (options.band !== undefined && !(options.band > 0 && options.band < 1)) {
    fail('band', `flat band must be a fraction between 0 and 1, got ${options.band}`, 'e.g. 0.05 for +/-5%');
  }
  if (options.intervals !== undefined && options.intervals !== 'analytic' && options.intervals !== 'bootstrap' && options.intervals !== 'conformal') {
    fail('intervals', `unknown interval method "${String(options.intervals)}"`, 'use analytic, bootstrap or conformal');
  }
  const intervalsAsked: IntervalMethod | undefined = options.intervals ?? (options.conformal !== undefined ? 'conformal' : undefined);
  if (options.conformal !== undefined) {
    if (intervalsAsked !== 'conformal') {
      fail('conformal', `a conformal calibration was given but intervals is '${intervalsAsked}'`, "leave intervals out, or set it to 'conformal'");
    }
    if (options.conformal?.kind !== 'conformal') fail('conformal', 'not a conformal calibration', 'use calibrateConformal() or calibrateConformalSeries()');
    if (options.conformal.method !== requested && !chooses) {
      fail('conformal', `the calibration is for ${options.conformal.method}'s errors but the method asked for is ${requested}`, `calibrate on ${requested}'s backtest errors`);
    }
    const missing = levels.filter((l) => !options.conformal?.levels.includes(l));
    if (missing.length > 0) {
      fail('conformal', `level${missing.length === 1 ? '' : 's'} ${missing.join(', ')} not in the calibration (it has ${options.conformal.levels.join(', ')})`, 'calibrate those levels, or ask for calibrated ones');
    }
  }
  const caveats: string[] = [];
  const usable = all.filter((p) => (options.from === undefined || p.year >= options.from));
  const present = usable.filter((p) => p.value !== null);
  if (present.length === 0) fail('series', `no observed values${options.from ? ` from ${options.from}` : ''}`, 'supply at least two years of data');
  const firstYear = present[0].year;
  const lastYear = present[present.length - 1].year;
  const history: HistoryPoint[] = fillInteriorGaps(usable);
  const imputedYears = history.filter((h) => h.imputed).map((h) => h.year);
  // said once the bands are known (whether the filled values narrow them)
  const imputedAt = caveats.length;
  const droppedEnds = usable.filter((p) => p.value === null && (p.year < firstYear || p.year > lastYear)).map((p) => p.year);
  if (droppedEnds.length > 0) caveats.push(`No value for ${droppedEnds.join(', ')} at the end of the series: not used.`);

  const horizon = options.to !== undefined ? options.to - lastYear : options.horizon;
  if (horizon === undefined) fail('to', 'neither a target year nor a horizon was given', 'give to (e.g. 2035) or horizon (e.g. 5)');
  if (!Number.isInteger(horizon) || horizon < 1) {
    fail(options.to !== undefined ? 'to' : 'horizon', `the projection must end after the last observed year ${lastYear} (got ${options.to ?? horizon})`, `give a year after ${lastYear}`);
  }
  const y = history.map((h) => h.used);
  let method: AnyMethodName;
  let selection: MethodSelection | undefined;
  // the default follows the panel evidence for the measure: the one given, else the bundled one
  const evidence = chooses ? (options.evidence ?? (requested === 'evidence' ? bundledEvidenceFor(measure) : undefined)) : undefined;
  let globalMethod = globalMethodOf(requested, evidence);
  if (globalMethod !== undefined && chooses && (globalMethod === 'panelGrowthRate' || globalMethod === 'panelARRate') && options.population === undefined) {
    // the evidence cannot be followed without the series' child population: the series chooses, and says why
    caveats.push(
      `The panel evidence favours ${globalMethod}, which forecasts the rate per 10,000 children and needs this series' child population (population), not given: ` +
        "the method is chosen by the series' own rolling-origin errors instead.",
    );
    globalMethod = undefined;
  }
  if (requested !== 'auto' && requested !== 'evidence' && isGlobalMethodName(requested)) {
    method = requested;
  } else if (chooses) {
    if (requested === 'evidence' && evidence === undefined) {
      caveats.push(`No panel evidence for ${measure === 'value' ? 'this series (it names no measure)' : `the measure "${measure}"`} is bundled with carecast: the method is chosen by the series' own rolling-origin errors (as method 'auto').`);
    }
    // score methods on the steps asked for (at least 1-3), as far as the data allow
    selection = selectMethod(y, {
      maxStep: Math.max(3, horizon),
      ...(options.methodOptions ? { methodOptions: options.methodOptions } : {}),
      ...(evidence ? { evidence } : {}),
      ...(mode.ownScores ? {} : { ownScores: false }),
    });
    method = selection.method;
  } else {
    method = requested;
    const need = minObservations(method, options.methodOptions);
    if (y.length < need) {
      fail('method', `${method} needs at least ${need} years of data, the series has ${y.length} (${firstYear}-${lastYear})`, 'choose a simpler method (naive, drift, linear) or supply more years');
    }
    if ((method === 'loglinear' || method === 'repeatGrowth') && y.some((v) => v <= 0)) {
      fail('method', `${method} works on the log scale and needs every value above zero`, 'use linear or drift for series with zeros');
    }
  }
  let model: ReturnType<typeof fitMethod> | undefined;
  let global: GlobalPart | undefined;
  if (globalMethod !== undefined) {
    global = projectGlobal(globalMethod, usable, y, horizon, levels, measure, lastYear, options);
    method = global.model;
    caveats.push(...global.caveats);
  } else {
    model = fitMethod(method as MethodName, y, options.methodOptions);
  }
  const fc = global ? global.fc : model!.forecast(horizon, { levels });
  const years = Array.from({ length: horizon }, (_, i) => lastYear + 1 + i);
  const n = y.length;
  // whose errors the bands should be calibrated on: the method in use (the global one asked for or
  // recommended, whose backtests count its naive stand-ins as its own), or auto's when the series chose its own
  const ev = selection?.evidence;
  const strategyMethod: AnyMethodName | 'auto' = globalMethod ?? (selection && !(ev !== undefined && ev.method !== 'auto' && ev.method === method) ? 'auto' : method);
  // a global method that forecast the series itself (not a naive stand-in) has pooled bands of its own
  const ownPooled = globalMethod !== undefined && method === globalMethod;
  const { asked, calibration } = bandPlan(intervalsAsked, options.conformal, measure, strategyMethod, levels, caveats, ownPooled);
  const globalBasis: IntervalBasis | undefined = global?.bandBasis ? { method: 'analytic', points: n, ...global.bandBasis } : undefined;
  const bands = intervalsBy(asked, { model, fc, y, n, horizon, levels, history, requested, method, strategyMethod, ...(calibration ? { calibration } : {}), ...(globalBasis ? { globalBasis } : {}), options });
  if (imputedYears.length > 0) {
    caveats.splice(
      imputedAt,
      0,
      `No value for ${imputedYears.join(', ')}: filled by straight-line interpolation between neighbouring years for fitting. ` +
        (bands.basis?.calibration === 'pooled'
          ? 'The model treats the filled values as observed (as the backtests the bands are calibrated on did).'
          : 'The model treats the filled values as observed, so bands are slightly too narrow.'),
    );
  }
  const clip = (v: number): number => Math.max(0, v);
  const clipped = fc.point.some((v) => v < 0) || bands.intervals.some((iv) => iv.lower.some((v) => v < 0));
  if (clipped) caveats.push('The model\u2019s forecast or bands fell below zero in places; they are shown as zero.');
  const point = fc.point.map(clip);
  const intervals = bands.intervals.map((iv) => ({ level: iv.level, lower: iv.lower.map(clip), upper: iv.upper.map(clip) }));
  if (horizon > n) {
    caveats.push(
      bands.basis?.calibration === 'pooled'
        ? `Projecting ${horizon} years ahead from ${n} yearly observations: the point forecast assumes the past pattern holds; treat the later years as a scenario, not a prediction.`
        : `Projecting ${horizon} years ahead from ${n} yearly observations: the bands rest on ${n} points and assume the past pattern holds; treat the later years as a scenario, not a prediction.`,
    );
  } else if (n < 10 && bands.method === 'analytic' && bands.basis?.calibration !== 'pooled') {
    caveats.push(`The bands rest on only ${n} yearly observations; with so few, analytic bands tend to be too narrow.`);
  }
  caveats.push(...bands.caveats);
  if (selection?.evidence && selection.evidence.method === method && horizon > selection.evidence.maxStep) {
    caveats.push(
      `${method} was chosen by panel evidence on forecasts 1-${selection.evidence.maxStep} years ahead; nothing in that evidence says it is the best method ${horizon} years ahead.`,
    );
  }
  let flatBand: FlatBand | undefined;
  if (options.band !== undefined) {
    const f = options.band;
    flatBand = { fraction: f, lower: point.map((v) => v * (1 - f)), upper: point.map((v) => v * (1 + f)) };
    caveats.push(`The \u00b1${(f * 100).toFixed(f * 100 < 1 ? 1 : 0)}% flat band is a convention, not a probability: it does not widen with the horizon.`);
  }
  const projection: Omit<Projection, 'summary'> = {
    area,
    measure,
    method,
    requestedMethod: requested,
    ...(selection ? { selection } : {}),
    history,
    years,
    point,
    intervals,
    intervalMethod: bands.method,
    ...(bands.basis ? { intervalBasis: bands.basis } : {}),
    ...(flatBand ? { flatBand } : {}),
    distributions: bands.distributions,
    diagnostics: global ? global.diagnostics : model!.diagnostics,
    ...(global ? { globalFit: global.fit } : {}),
    caveats,
  };
  return { ...projection, summary: projectionSummary(projection) };
}

/**
 * Which interval method to use and with which calibration: the one asked
 * for; else, for a global method that forecast the series itself, its own
 * bands (pooled: read off the rule's multi-step errors on the whole panel);
 * else pooled conformal bands from the bundled calibration of the strategy
 * in use for the measure; else analytic. Notes go to `caveats`.
 *
 * Why a global method keeps its own bands by default: in the first run of
 * the issue-12 benchmark (benchmarks/RESULTS.md, "Accuracy on the DfE panel
 * (issue 12)") `panelGrowth`'s and `panelAR`'s own bands held 86-87% / 95%
 * at 1-3 years and 83-85% / 92-94% at 4-8, nearer nominal than pooled
 * conformal bands of the same forecasts (84-94% / 99-100%), with a lower 95%
 * Winkler score at both ranges and a lower CRPS in three of four cells (not
 * the 80% Winkler score at 1-3). The choice was made after that run, on its
 * forecasts: post hoc (docs/preregistration/issue-12-global-models.md,
 * "Decided after the first run").
 */
function bandPlan(
  asked: IntervalMethod | undefined,
  given: ConformalCalibration | undefined,
  measure: string,
  strategyMethod: AnyMethodName | 'auto',
  levels: readonly number[],
  caveats: string[],
  ownPooled: boolean,
): { readonly asked: IntervalMethod; readonly calibration?: ConformalCalibration } {
  if (given !== undefined) return { asked: 'conformal', calibration: given };
  if (asked === 'analytic' || asked === 'bootstrap') return { asked };
  if (asked === undefined && ownPooled) return { asked: 'analytic' };
  const bundled = bundledCalibrationFor(measure, strategyMethod);
  const missing = bundled ? levels.filter((l) => !bundled.levels.includes(l)) : [];
  if (asked === 'conformal') {
    if (bundled && missing.length > 0) {
      fail(
        'levels',
        `level${missing.length === 1 ? '' : 's'} ${missing.join(', ')} not in the bundled calibration of ${strategyMethod} for ${measure} (it has ${bundled.levels.join(', ')})`,
        'ask for calibrated levels, or give a calibration of your own (conformal)',
      );
    }
    return bundled ? { asked, calibration: bundled } : { asked };
  }
  // the default
  if (bundled && missing.length === 0) return { asked: 'conformal', calibration: bundled };
  if (bundled) {
    caveats.push(`The bundled calibration of ${strategyMethod} for ${measure} has the levels ${bundled.levels.join(', ')}, not ${missing.join(', ')}: the bands are analytic (the model's own).`);
  } else if (hasBundledCalibrations(measure)) {
    caveats.push(`No bundled calibration of ${strategyMethod} for ${measure} (the DfE panel is too short for it): the bands are analytic (the model's own).`);
  }
  return { asked: 'analytic' };
}

/** The global method a projection uses: the one asked for, or the one the panel evidence in use recommends. */
function globalMethodOf(requested: ProjectionStrategy, evidence: PanelEvidence | undefined): GlobalMethodName | undefined {
  if (requested !== 'auto' && requested !== 'evidence') return isGlobalMethodName(requested) ? requested : undefined;
  const m = evidence?.method;
  return m !== undefined && m !== 'auto' && isGlobalMethodName(m) ? m : undefined;
}
