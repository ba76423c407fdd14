/**
 * The shared model interface: every method fits a numeric series and returns
 * a fitted model whose `forecast` gives a distribution per future period.
 * Bands at any level are read off those distributions (see
 * {@link quantileOf}), so analytic, bootstrap and simulation methods share
 * one result type.
 *
 * @module
 */

/**
 * The names of carecast's forecasting methods. New methods are appended, so
 * the existing ones keep their order (orders of simplicity follow it).
 */
export const METHOD_NAMES = ['naive', 'drift', 'linear', 'loglinear', 'dampedTrend', 'repeatGrowth', 'theta'] as const;
/**
 * A forecasting method's name.
 *
 * @example
 * ```ts
 * const methods: MethodName[] = ['naive', 'drift', 'theta'];
 * backtest(series, { methods: [...methods, 'auto'], horizon: 3 });
 * ```
 */
export type MethodName = (typeof METHOD_NAMES)[number];

/**
 * The names of carecast's global (cross-learned) methods: each is fitted on
 * a panel of series at once (`fitGlobal`) and then forecasts any one series
 * with the panel's fitted dynamics (`forecastWithGlobal`). They are kept
 * apart from {@link METHOD_NAMES}, the single-series methods that
 * `fitMethod` fits and `auto` chooses among: a global method needs a panel
 * (or the bundled DfE fit), so per-series `auto` never chooses one; panel
 * evidence may. Their order is the pre-registered order of simplicity.
 */
export const GLOBAL_METHOD_NAMES = ['panelGrowth', 'panelAR', 'panelGrowthRate', 'panelARRate'] as const;
/**
 * A global (cross-learned) method's name.
 *
 * @example
 * ```ts
 * const m: GlobalMethodName = 'panelGrowth';
 * forecast(series, { to: 2030, method: m }); // with the bundled DfE panel's fit
 * ```
 */
export type GlobalMethodName = (typeof GLOBAL_METHOD_NAMES)[number];
/**
 * Any forecasting method: a single-series one ({@link MethodName}) or a
 * global one ({@link GlobalMethodName}).
 *
 * @example
 * ```ts
 * const methods: AnyMethodName[] = ['naive', 'drift', 'panelGrowth'];
 * backtestPanel(cicByLa, { methods, horizon: 3 });
 * ```
 */
export type AnyMethodName = MethodName | GlobalMethodName;

/**
 * The forecast distribution of one future period.
 *
 * - `normal`: mean and standard deviation (additive models).
 * - `studentT`: location, scale and degrees of freedom (regression models,
 *   as R's `predict.lm` gives).
 * - `exp`: the value is `exp(X)` with X distributed as `of` (log-scale
 *   models: compound growth; the point forecast is the median).
 * - `point`: no stated uncertainty (only a point value).
 * - `sample`: draws (simulation and bootstrap methods).
 */
export type Distribution =
  | { readonly type: 'normal'; readonly mean: number; readonly sd: number }
  | { readonly type: 'studentT'; readonly mean: number; readonly scale: number; readonly df: number }
  | { readonly type: 'exp'; readonly of: Distribution }
  | { readonly type: 'point'; readonly value: number }
  | { readonly type: 'sample'; readonly values: readonly number[] };

/** Lower and upper bounds at one level for every forecast period. */
export interface ForecastInterval {
  /** Nominal coverage in percent, e.g. 80 or 95; for a flat band, the band's percent width (e.g. 5). */
  readonly level: number;
  /** Lower bound per forecast period. */
  readonly lower: readonly number[];
  /** Upper bound per forecast period. */
  readonly upper: readonly number[];
}

/** Options for {@link FittedModel.forecast}. */
export interface ForecastOptions {
  /** Coverage levels in percent, each in (0, 100). Default `[80, 95]`. */
  readonly levels?: readonly number[];
}

/** A model's forecast for `horizon` periods ahead. */
export interface ModelForecast {
  /** The method that produced it. */
  readonly method: MethodName;
  /** Point forecast per period (the mean; the median for log-scale models). */
  readonly point: readonly number[];
  /** Distribution per period. */
  readonly distributions: readonly Distribution[];
  /** Prediction intervals, one entry per level asked. */
  readonly intervals: readonly ForecastInterval[];
}

/** What a fit reports about itself. */
export interface FitDiagnostics {
  /** Number of observations the fit used. */
  readonly n: number;
  /** Estimated parameters by name (e.g. `alpha`, `phi`, `drift`). */
  readonly params: Readonly<Record<string, number>>;
  /** Residual variance used for the intervals (on the model's own scale). */
  readonly sigma2: number;
  /** One-step in-sample fitted values (`NaN` where undefined). */
  readonly fitted: readonly number[];
  /** In-sample residuals on the data scale, y - fitted (`NaN` where undefined). */
  readonly residuals: readonly number[];
  /** Log-likelihood, where the method is fitted by maximum likelihood. */
  readonly logLik?: number;
  /** Akaike information criterion, where defined. */
  readonly aic?: number;
}

/**
 * Simulated future sample paths: `values[p * horizon + h]` is path `p` at
 * step `h + 1`. Stored flat for speed; see {@link pathAt}.
 */
export interface SamplePaths {
  /** Number of paths. */
  readonly paths: number;
  /** Steps per path. */
  readonly horizon: number;
  /** The values, path after path. */
  readonly values: Float64Array;
}

/** Options for {@link FittedModel.simulate}. */
export interface SimulateOptions {
  /** Number of sample paths (default 1000). */
  readonly paths?: number;
  /** Seed of the random number generator (default 1); the same seed gives the same paths. */
  readonly seed?: number;
}

/** A model fitted to one series. */
export interface FittedModel {
  /** The method. */
  readonly method: MethodName;
  /** The fit's parameters and residuals. */
  readonly diagnostics: FitDiagnostics;
  /**
   * Forecast `horizon` periods beyond the last observation.
   *
   * @param horizon - number of periods ahead (a positive integer)
   * @param options - interval levels
   */
  forecast(horizon: number, options?: ForecastOptions): ModelForecast;
  /**
   * Simulate future sample paths with process and parameter uncertainty,
   * from a seeded generator. Their per-step quantiles agree with
   * {@link FittedModel.forecast}'s intervals up to Monte Carlo error.
   *
   * @param horizon - number of periods ahead (a positive integer)
   * @param options - number of paths and seed
   */
  simulate(horizon: number, options?: SimulateOptions): SamplePaths;
}
