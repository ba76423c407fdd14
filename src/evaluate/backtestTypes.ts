/**
 * The shapes of rolling-origin backtests: the options of {@link "carecast"!backtest}
 * and {@link "carecast"!backtestPanel}, one forecast as a tidy row, and the results
 * with their accuracy summaries. Apart from the functions so that what
 * reads backtest results (panel evidence, conformal calibration, tables)
 * depends on these shapes only.
 *
 * @module
 */
import type { SeriesPopulation } from '../data/ons/panelPopulation.js';
import type { MethodOptions } from '../models/registry.js';
import type { PanelEvidence } from '../models/selectMethod.js';
import type { AnyMethodName } from '../models/types.js';
import type { IntervalMethod, ProjectionBootstrapOptions } from '../project/forecast.js';
import type { AccuracyMetrics } from './metrics.js';

/**
 * A method to backtest: a carecast method, a global method (fitted at each
 * origin on the panel as known then; on one series, the bundled DfE fit),
 * or `'auto'` (chosen afresh at each origin from the training data only).
 */
export type BacktestMethod = AnyMethodName | 'auto';

/** Options for {@link "carecast"!backtest}. */
export interface BacktestOptions {
  /** The methods to compare, e.g. `['naive', 'drift', 'auto']`. */
  readonly methods: readonly BacktestMethod[];
  /** The longest forecast step, in years (a whole number, at least 1). */
  readonly horizon: number;
  /**
   * Forecast origins: each the last year of training data, a year with a
   * value, before the last year with a value. Default: every such year from
   * the first at which every method has its minimum training length
   * ({@link "carecast/models"!minObservations}; 2 for `'auto'`).
   */
  readonly origins?: readonly number[];
  /** Interval levels in percent (default `[80, 95]`). */
  readonly levels?: readonly number[];
  /** Per-method options, as for {@link "carecast"!forecast}. */
  readonly methodOptions?: MethodOptions;
  /**
   * How each forecast's bands and distribution are made, as
   * {@link "carecast"!forecast}'s `intervals` (default `'analytic'`, the
   * model's own: `forecast`'s default, the bundled pooled calibration, rests
   * on these very backtest errors): `'analytic'`, `'bootstrap'` (paths and
   * seed from `bootstrap`) or `'conformal'` (from each training slice's own
   * rolling-origin errors: the slices carry no measure, so no bundled
   * calibration is used; a global method needs a pooled calibration and
   * fails).
   * Coverage, Winkler score and CRPS score the bands and distribution made
   * this way.
   */
  readonly intervals?: IntervalMethod;
  /** Paths and seed for `intervals: 'bootstrap'`. */
  readonly bootstrap?: ProjectionBootstrapOptions;
  /**
   * Panel evidence for `'auto'` at every origin (as `forecast`'s
   * `evidence`). Evidence built from errors of years after an origin makes
   * the backtest optimistic; for a panel, `'asKnown'` avoids that.
   */
  readonly evidence?: PanelEvidence;
  /**
   * For the rate methods (`panelGrowthRate`, `panelARRate`): the series'
   * child population. On one series a global method uses the bundled DfE
   * panel's fit at its latest origin (a look-ahead for earlier origins;
   * the caveats say so): backtest a panel to fit it as known at each origin.
   */
  readonly population?: SeriesPopulation;
}

/** Options for {@link "carecast"!backtestPanel}. */
export interface BacktestPanelOptions extends Omit<BacktestOptions, 'evidence' | 'population'> {
  /**
   * For the rate methods: each series' child population, by the same key
   * as the series (`dfePanelPopulations(loadDfePanel()).populations` for the
   * DfE panel). Series without one are left out of the rate methods and
   * counted among the failures.
   */
  readonly populations?: ReadonlyMap<string, SeriesPopulation>;
  /** Called after each area with the number done and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Panel evidence for `'auto'`: a fixed {@link PanelEvidence}, or
   * `'asKnown'`: at each origin year o, `'auto'` follows `panelEvidence`
   * built from this panel's own backtest errors whose target year is at
   * most o (every method and per-series auto, all their origins), so no
   * forecast uses an error from after its origin. Where there is no such
   * error yet, each series chooses its own method.
   */
  readonly evidence?: PanelEvidence | 'asKnown';
}

/**
 * One backtest forecast as a tidy row: which method, made at which origin
 * for which target year, the actual value (`null` when the target year has
 * none; then it is not scored), the point forecast, one `lo_<level>` /
 * `hi_<level>` pair per level, the error (forecast - actual), the error
 * divided by the training slice's MASE scale, and the CRPS of the forecast
 * distribution (raw and scaled). Ready for `toCsv`.
 *
 * The CRPS scores the distribution the bands came from (the projection's
 * `distributions`), censored at 0 as the projection is clipped (X below 0
 * counts as 0), with `crpsOf`:
 *
 * - `'analytic'` bands: the model's distribution in closed form (normal,
 *   Student t, log-normal); for one with no finite mean (`loglinear`'s
 *   exp of a Student t, a t with 1 degree of freedom), whose exact CRPS is
 *   infinite, its 100 midpoint quantiles (`crpsQuantiles`), and the caveats
 *   say so;
 * - `'bootstrap'` bands: the bootstrap values at that step, exactly
 *   (`crpsSample`);
 * - `'conformal'` bands: point + scale × the calibration's signed offsets
 *   at that step (`ConformalStep.offsetQuantiles`: the errors themselves,
 *   or their 100 midpoint quantiles; widened as the band is beyond the
 *   calibrated steps), scored as a sample, which equals `crpsQuantiles` at
 *   the midpoint levels.
 */
export type BacktestForecast = {
  /** The area (LA) of the series. */
  area: string;
  /** The method asked for. */
  method: BacktestMethod;
  /** The method used: the same, what `'auto'` chose at this origin, or `'naive'` where a global method could not forecast the series (counted in the caveats). */
  model: AnyMethodName;
  /** The origin: last year of training data. */
  origin: number;
  /** The year forecast. */
  target: number;
  /** Steps ahead: target - origin. */
  h: number;
  /** Number of training years (first year with a value to the origin, gaps filled). */
  trainingYears: number;
  /** The observed value of the target year (`null`: missing, not scored). */
  actual: number | null;
  /** The point forecast. */
  point: number;
  /** point - actual (`null` when not scored). */
  error: number | null;
  /** The MASE scale of the training slice: its mean absolute yearly change. */
  scale: number;
  /** error / scale (`null` when not scored or the scale is 0). */
  scaledError: number | null;
  /** CRPS of the forecast distribution against the actual value, in the data's units (`null` when not scored). */
  crps: number | null;
  /** crps / scale (`null` when not scored or the scale is 0). */
  scaledCrps: number | null;
} & { [bound: `lo_${number}` | `hi_${number}`]: number };

/** Interval measures at one level. */
export interface IntervalMetrics {
  /** Nominal coverage in percent. */
  readonly level: number;
  /** Number of scored forecasts they rest on. */
  readonly n: number;
  /** Share of actual values inside [lo, hi] (0-1). */
  readonly coverage: number;
  /** Mean Winkler (interval) score, in the data's units. */
  readonly winkler: number;
  /** Mean Winkler score divided by each forecast's MASE scale. */
  readonly scaledWinkler: number;
  /** Number of forecasts the scaled score rests on (those with a scale above 0). */
  readonly scaledN: number;
}

/**
 * A method's accuracy over a group of backtest forecasts (all horizons, or
 * one): the point measures with the number each rests on, the mean CRPS of
 * the forecast distributions, and interval coverage and Winkler scores per
 * level. MASE is the mean absolute scaled error, each forecast scaled by
 * its own training slice; the scaled CRPS divides each forecast's CRPS by
 * the same scale.
 */
export interface BacktestSummary extends AccuracyMetrics {
  /** The method. */
  readonly method: BacktestMethod;
  /** The step ahead, or `null` for all steps together. */
  readonly h: number | null;
  /** Forecasts made whose target year has no value (not scored). */
  readonly unscored: number;
  /** Mean CRPS of the forecast distributions, in the data's units (see {@link BacktestForecast}). */
  readonly crps: number;
  /** Number of forecasts the CRPS rests on. */
  readonly crpsN: number;
  /** Mean CRPS divided by each forecast's MASE scale. */
  readonly scaledCrps: number;
  /** Number of forecasts the scaled CRPS rests on (those with a scale above 0). */
  readonly scaledCrpsN: number;
  /** Interval measures, one per level. */
  readonly intervals: readonly IntervalMetrics[];
}

/** A method that could not be fitted at an origin. */
export interface BacktestFailure {
  /** The method. */
  readonly method: BacktestMethod;
  /** The origin. */
  readonly origin: number;
  /** Why. */
  readonly message: string;
}

/**
 * The result of {@link "carecast"!backtest}.
 *
 * @example
 * ```ts
 * const r: BacktestResult = backtest(series, { methods: ['naive', 'drift', 'auto'], horizon: 3 });
 * r.byMethod.map((s) => [s.method, s.mase]);   // accuracy per method over every origin
 * r.forecasts;                                 // every forecast as a tidy row
 * ```
 */
export interface BacktestResult {
  /** Tells a single-series result from a {@link PanelBacktestResult}. */
  readonly kind: 'series';
  /** The area of the series. */
  readonly area: string;
  /** The measure of the series. */
  readonly measure: string;
  /** The methods compared. */
  readonly methods: readonly BacktestMethod[];
  /** The origins used, ascending. */
  readonly origins: readonly number[];
  /** The longest step. */
  readonly horizon: number;
  /** Interval levels. */
  readonly levels: readonly number[];
  /** Every forecast, by method, origin and step (scored or not). */
  readonly forecasts: readonly BacktestForecast[];
  /** Per method, over all steps. */
  readonly byMethod: readonly BacktestSummary[];
  /** Per method and step (h = 1..horizon). */
  readonly byHorizon: readonly BacktestSummary[];
  /** Target years with no value, whose forecasts were not scored. */
  readonly unscoredYears: readonly number[];
  /** Training years filled by interpolation in some training slice. */
  readonly imputedYears: readonly number[];
  /** What `'auto'` chose at each origin (empty when `'auto'` is not compared). */
  readonly autoChoices: readonly { readonly origin: number; readonly method: AnyMethodName }[];
  /** Methods that could not be fitted at some origin. */
  readonly failures: readonly BacktestFailure[];
  /** Plain-language warnings about what the metrics rest on. */
  readonly caveats: readonly string[];
}

/** Interval measures pooled over areas at one level. */
export interface PooledIntervalMetrics {
  /** Nominal coverage in percent. */
  readonly level: number;
  /** Number of scored forecasts. */
  readonly n: number;
  /** Share of actual values inside their interval (0-1). */
  readonly coverage: number;
  /** Mean scaled Winkler score. */
  readonly scaledWinkler: number;
  /** Number of forecasts the scaled score rests on. */
  readonly scaledN: number;
}

/**
 * One method's accuracy pooled over every area, origin and (one or all)
 * steps. Like MASE, the distribution and band scores are pooled scaled
 * (each forecast's score divided by its training slice's MASE scale), so
 * that every area weighs by its forecasts, not by its size.
 */
export interface PooledSummary {
  /** The method. */
  readonly method: BacktestMethod;
  /** The step ahead, or `null` for all steps together. */
  readonly h: number | null;
  /** Number of scored forecasts. */
  readonly n: number;
  /** Number of areas with at least one scored forecast. */
  readonly areas: number;
  /** Mean absolute scaled error over all the scored forecasts (each forecast weighs the same). */
  readonly mase: number;
  /** Mean scaled error (forecast - actual, scaled): positive = over-forecasting. */
  readonly scaledBias: number;
  /** Number of forecasts MASE and the scaled bias rest on (scale above 0). */
  readonly maseN: number;
  /** Mean scaled CRPS of the forecast distributions (see {@link BacktestForecast}). */
  readonly scaledCrps: number;
  /** Number of forecasts the scaled CRPS rests on. */
  readonly scaledCrpsN: number;
  /** Interval measures, one per level. */
  readonly intervals: readonly PooledIntervalMetrics[];
}

/**
 * The result of {@link "carecast"!backtestPanel}.
 *
 * @example
 * ```ts
 * const all: PanelBacktestResult = backtestPanel(cicByLa, { methods: ['naive', 'auto'], horizon: 3 });
 * all.pooled.filter((s) => s.h === null);    // MASE and coverage pooled over every LA
 * all.byArea.get('Derbyshire')?.byMethod;    // one LA's own results
 * ```
 */
export interface PanelBacktestResult {
  /** Tells a panel result from a {@link BacktestResult}. */
  readonly kind: 'panel';
  /** The methods compared. */
  readonly methods: readonly BacktestMethod[];
  /** The longest step. */
  readonly horizon: number;
  /** Interval levels. */
  readonly levels: readonly number[];
  /** Number of areas given. */
  readonly areas: number;
  /** Each backtested area's result, by the key it was given under. */
  readonly byArea: ReadonlyMap<string, BacktestResult>;
  /** Areas not backtested, and why. */
  readonly skipped: readonly { readonly area: string; readonly reason: string }[];
  /** Per method, over all steps (`h: null`) and per step. */
  readonly pooled: readonly PooledSummary[];
  /** Plain-language warnings. */
  readonly caveats: readonly string[];
  /** With `evidence: 'asKnown'`: the evidence `'auto'` followed at each origin year (origins with no evidence yet are absent). */
  readonly evidence?: ReadonlyMap<number, PanelEvidence>;
}

/** One tidy metric row of {@link "carecast"!backtestRecords}. */
export interface BacktestMetricRecord {
  /** `'series'` for one area's metric, `'pooled'` for a panel's pooled metric. */
  scope: 'series' | 'pooled';
  /** The area (`null` for pooled rows). */
  area: string | null;
  /** The method. */
  method: BacktestMethod;
  /** The step ahead, or `'all'`. */
  h: number | 'all';
  /** `mae`, `rmse`, `bias`, `mape`, `smape`, `mase`, `crps`, `scaled_crps`, `coverage`, `winkler`, `scaled_winkler` or (pooled) `scaled_bias`; pooled rows have the scaled measures only. */
  metric: string;
  /** The interval level for interval measures, else `null`. */
  level: number | null;
  /** The value (`null` when there was nothing to measure). */
  value: number | null;
  /** Number of forecasts it rests on. */
  n: number;
}

