/**
 * What the global (cross-learned) methods share: the shape of a fit, the
 * panel cut at an origin with its gaps filled, the log-scale eligibility
 * rule, own growth, the trimmed mean, and the bands read off the pooled,
 * standardised multi-step errors of the fitted rule.
 *
 * The rules are those fixed in `docs/preregistration/issue-12-global-models.md`
 * (with the decisions recorded at its end).
 *
 * @module
 */
import { CarecastInputError } from '../../data/errors.js';
import { fillInteriorGaps } from '../../data/fillGaps.js';
import type { SeriesPopulation } from '../../data/ons/panelPopulation.js';
import { yearValuesOf, type SeriesInput, type YearValue } from '../../data/yearValue.js';
import { intervalsOf, medianOf } from '../distribution.js';
import type { Distribution, ForecastInterval, GlobalMethodName } from '../types.js';
import { olsSlope } from '../../math/simpleRegression.js';

/** A panel for the global methods: series by key, each an annual series, `{ year, value }` pairs, or plain values (read as consecutive years ending at the fit's origin). */
export type GlobalPanel = ReadonlyMap<string, SeriesInput | readonly number[]>;

/** `panelGrowth` with a parameter fixed instead of fitted (for ablations: `w: 1` no shrinkage, `w: 0` panel growth only, `phi: 1` no damping). */
export interface PanelGrowthOptions {
  /** Weight on the series' own growth, in [0, 1]. */
  readonly w?: number;
  /** Damping, in (0, 1]. */
  readonly phi?: number;
}

/** `panelAR` options. */
export interface PanelAROptions {
  /** Include the series effect `m` (the mean of the series' growths so far) as a regressor (default `true`; `false` for the ablation). */
  readonly seriesEffect?: boolean;
}

/** Options of the global methods (also accepted in `methodOptions` by `forecast` and the backtests). */
export interface GlobalMethodOptions {
  /** Options of `panelGrowth` and `panelGrowthRate`. */
  readonly panelGrowth?: PanelGrowthOptions;
  /** Options of `panelAR` and `panelARRate`. */
  readonly panelAR?: PanelAROptions;
}

/** What a global fit was fitted on. */
export interface GlobalPanelInfo {
  /** The panel, in words. */
  readonly description: string;
  /** The measure of the panel's series (from the first named series; `'value'` for plain pairs). */
  readonly measure: string;
  /** Series in the panel. */
  readonly series: number;
  /** Series with a value at the origin. */
  readonly atOrigin: number;
  /** Of those, series eligible for the log-scale rule (at least 2 years, every value of the last 6 at least 1). */
  readonly eligible: number;
  /** Series with a value at the origin that are not eligible: forecast by naive. */
  readonly ineligible: readonly string[];
  /** The earliest year with a value in any series. */
  readonly firstYear: number;
}

/** `panelGrowth`'s fitted parameters. */
export interface PanelGrowthParams {
  /** Weight on the series' own growth (`c = w g + (1 - w) G`). */
  readonly w: number;
  /** Damping: the growth of step h is `c phi^h`. */
  readonly phi: number;
  /** The panel growth `G_T` at the origin: the 10% trimmed mean of the eligible series' own log growths. */
  readonly panelGrowth: number;
  /** Whether w and phi were fitted (`false`: fixed by an option, or by the rule for lack of errors). */
  readonly fitted: { readonly w: boolean; readonly phi: boolean };
  /** The earlier origins whose forecasts the loss rests on. */
  readonly origins: readonly number[];
  /** Number of (series, origin, step) forecasts the loss rests on. */
  readonly forecasts: number;
  /** Pooled MASE of those forecasts at (w, phi) (`null` without any). */
  readonly loss: number | null;
  /** How (w, phi) were chosen, in words. */
  readonly rule: string;
}

/** `panelAR`'s fitted regression `d_t = a + b1 d_{t-1} + b2 d_{t-2} + c m_{t-1} + e` on log growths. */
export interface PanelARParams {
  /** Whether the regression was fitted (`false`: too few rows or a rank-deficient design; every series is then forecast by naive). */
  readonly fitted: boolean;
  /** Why it was not fitted. */
  readonly reason?: string;
  /** The intercept a. */
  readonly intercept: number;
  /** Coefficient of last year's growth. */
  readonly b1: number;
  /** Coefficient of the growth two years back. */
  readonly b2: number;
  /** Coefficient of the series effect m (`null` without it). */
  readonly c: number | null;
  /** Rows (series-years) in the regression. */
  readonly rows: number;
  /** Residual standard deviation (on log growths, with n - p degrees of freedom). */
  readonly residualSd: number;
}

/**
 * The bands of a global method: per step h, the standard deviation of the
 * rule's log-scale errors, each divided by its series' mean absolute log
 * yearly change (so one pooled figure serves large and small series).
 */
export interface GlobalBands {
  /** Standardised error sd per calibrated step (1..H), each from at least 39 errors. */
  readonly sd: readonly number[];
  /** Errors seen per step (steps 1..8; calibrated or not). */
  readonly errors: readonly number[];
  /** Power of the step beyond H: `sd_h = sd_H (h / H)^k`. */
  readonly exponent: number;
  /** The median mean absolute log yearly change of the eligible series at the origin: the scale used for a series that has none of its own. */
  readonly panelLogScale: number;
  /** Where the errors come from, in words. */
  readonly basis: string;
}

/**
 * A global method fitted on a panel at an origin: plain data (JSON-safe),
 * so it can be saved, bundled (`seeds/dfe-global.json`) and applied later to
 * any series by `forecastWithGlobal`.
 */
export interface GlobalFit {
  /** Always `'globalFit'`. */
  readonly kind: 'globalFit';
  /** The method. */
  readonly method: GlobalMethodName;
  /** The origin: the last year of data used. */
  readonly origin: number;
  /** `'count'`: fitted on the series; `'rate'`: on the rates per 10,000 children. */
  readonly scale: 'count' | 'rate';
  /** What it was fitted on. */
  readonly panel: GlobalPanelInfo;
  /** `panelGrowth` / `panelGrowthRate`: the fitted parameters. */
  readonly growth?: PanelGrowthParams;
  /** `panelAR` / `panelARRate`: the fitted regression. */
  readonly ar?: PanelARParams;
  /** The bands. */
  readonly bands: GlobalBands;
  /** Rate methods: how many series had a population, and which did not (left out). */
  readonly rate?: { readonly withPopulation: number; readonly missing: readonly string[] };
}

/** A global method's forecast of one series: the shape of the single-series methods' forecasts, with what was used. */
export interface GlobalForecast {
  /** The global method asked for. */
  readonly method: GlobalMethodName;
  /** What forecast the series: the method, or `'naive'` when the series is not eligible for it (the reason is in `note`). */
  readonly model: GlobalMethodName | 'naive';
  /** Point forecast per step (the median). */
  readonly point: readonly number[];
  /** Distribution per step: `exp` of a normal (log-scale rule), times the projected population for rates. */
  readonly distributions: readonly Distribution[];
  /** Intervals at each level asked for. */
  readonly intervals: readonly ForecastInterval[];
  /** The series' own quantities used (own growth, combined growth, last log value, log scale, ...). */
  readonly params: Readonly<Record<string, number>>;
  /** Why naive was used, or what the forecast borrowed, in words. */
  readonly note: string;
}

/** Options of `forecastWithGlobal`. */
export interface GlobalForecastOptions {
  /** Interval levels in percent (default `[80, 95]`). */
  readonly levels?: readonly number[];
  /** For the rate methods: the series' child population. */
  readonly population?: SeriesPopulation;
}

/** The longest step the fits look at (the pre-registered steps 1-8). */
export const MAX_STEP = 8;
/** The fewest errors with which a step's band is read off the errors (the fewest with which a 95% conformal band is finite). */
export const MIN_STEP_ERRORS = 39;

/** One series cut at an origin: consecutive years, gaps filled. */
export interface SeriesWindow {
  /** The key in the panel. */
  readonly key: string;
  /** The first year. */
  readonly first: number;
  /** The values used, one per year from `first` (interior gaps filled). */
  readonly used: readonly number[];
  /** Whether each year's value was published (not filled). */
  readonly observed: readonly boolean[];
}

/** Year of index j of a window. */
export function lastYearOf(w: SeriesWindow): number {
  return w.first + w.used.length - 1;
}

function isNumbers(x: SeriesInput | readonly number[]): x is readonly number[] {
  return Array.isArray(x) && (x.length === 0 || typeof x[0] === 'number');
}

/**
 * A panel entry as year-value pairs (plain values end at `endYear`), checked.
 *
 * @param entry - the entry
 * @param key - its key, for messages
 * @param endYear - the year of the last plain value
 * @returns the measure and points
 */
export function entryPoints(entry: SeriesInput | readonly number[], key: string, endYear: number): { measure: string; points: readonly YearValue[] } {
  if (isNumbers(entry)) {
    const n = entry.length;
    const { points } = yearValuesOf(
      entry.map((value, i) => ({ year: endYear - n + 1 + i, value })),
      key,
    );
    return { measure: 'value', points };
  }
  const { measure, points } = yearValuesOf(entry, key);
  return { measure, points };
}

/**
 * The default origin of a panel: the latest year with a value in any dated
 * series; for plain values only, the longest series' length (years 1..n).
 *
 * @param panel - the panel
 * @returns the origin year
 */
export function panelOrigin(panel: GlobalPanel): number {
  let latest = -Infinity;
  let longest = 0;
  for (const [key, entry] of panel) {
    if (isNumbers(entry)) longest = Math.max(longest, entry.length);
    else for (const p of yearValuesOf(entry, key).points) if (p.value !== null) latest = Math.max(latest, p.year);
  }
  return Number.isFinite(latest) ? latest : longest;
}

/**
 * A series cut at an origin (years after it dropped), interior gaps filled
 * as `forecast()` fills them.
 *
 * @param key - the key
 * @param points - its points
 * @param origin - the last year kept
 * @returns the window, or `null` when no value is left
 */
export function windowOf(key: string, points: readonly YearValue[], origin: number): SeriesWindow | null {
  const filled = fillInteriorGaps(points.filter((p) => p.year <= origin));
  if (filled.length === 0) return null;
  return { key, first: filled[0].year, used: filled.map((f) => f.used), observed: filled.map((f) => !f.imputed) };
}

/**
 * Every series of a panel cut at the origin.
 *
 * @param panel - the panel
 * @param origin - the last year used
 * @returns the windows (series with no value up to the origin left out), the measure, and the first year
 * @throws CarecastInputError for a bad series or an empty panel
 */
export function panelWindows(panel: GlobalPanel, origin: number): { windows: SeriesWindow[]; measure: string; firstYear: number } {
  if (panel.size === 0) throw new CarecastInputError([{ source: 'global method', field: 'panel', message: 'the panel has no series', fix: 'give a map of series, e.g. panelSeries(loadDfePanel())' }]);
  const windows: SeriesWindow[] = [];
  let measure: string | undefined;
  for (const [key, entry] of panel) {
    const { measure: m, points } = entryPoints(entry, key, origin);
    measure ??= m;
    const w = windowOf(key, points, origin);
    if (w) windows.push(w);
  }
  const firstYear = windows.reduce((a, w) => Math.min(a, w.first), Infinity);
  return { windows, measure: measure ?? 'value', firstYear: Number.isFinite(firstYear) ? firstYear : origin };
}

/**
 * The pre-registered eligibility rule for the log-scale methods, on the
 * values up to index `end`: at least 2 values, and every value of the last
 * 6 (or all, when fewer) at least 1.
 */
export function eligibleAt(used: readonly number[], end: number): boolean {
  const n = end + 1;
  if (n < 2) return false;
  for (let j = Math.max(0, n - 6); j <= end; j++) if (!(used[j] >= 1)) return false;
  return true;
}

/** Own log growth `(l_T - l_{T-k}) / k`, `k = min(5, n - 1)`, on the values up to index `end` (eligible). */
export function ownGrowth(used: readonly number[], end: number): number {
  const k = Math.min(5, end);
  return (Math.log(used[end]) - Math.log(used[end - k])) / k;
}

/** First index of the trailing run of values at least 1 ending at `end` (the log-scale part of the series). */
export function logRunStart(used: readonly number[], end: number): number {
  let s = end;
  while (s > 0 && used[s - 1] >= 1) s--;
  return s;
}

/** Mean absolute log yearly change over the trailing log run to `end` (`NaN` with fewer than 2 values). */
export function logScaleAt(used: readonly number[], end: number): number {
  const s = logRunStart(used, end);
  if (end - s < 1) return Number.NaN;
  let sum = 0;
  for (let j = s + 1; j <= end; j++) sum += Math.abs(Math.log(used[j]) - Math.log(used[j - 1]));
  return sum / (end - s);
}

/** MASE scale: mean absolute yearly change of the values up to `end` (`NaN` with one value). */
export function countScaleAt(used: readonly number[], end: number): number {
  if (end < 1) return Number.NaN;
  let sum = 0;
  for (let j = 1; j <= end; j++) sum += Math.abs(used[j] - used[j - 1]);
  return sum / end;
}

/**
 * The 10% trimmed mean: sorted, `floor(0.1 n)` values cut from each end (as
 * R's `mean(x, trim = 0.1)`).
 *
 * @param x - the values (at least one)
 * @returns the trimmed mean
 */
export function trimmedMean(x: readonly number[]): number {
  const s = [...x].sort((a, b) => a - b);
  const cut = Math.floor(0.1 * s.length);
  let sum = 0;
  for (let i = cut; i < s.length - cut; i++) sum += s[i];
  return sum / (s.length - 2 * cut);
}

/** Median of a non-empty list. */
export function median(x: readonly number[]): number {
  const s = [...x].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Bands from standardised log errors by step: the root mean square error
 * of each step with at least {@link MIN_STEP_ERRORS} errors, from step 1
 * on; beyond the last such step H, `sd_H (h / H)^k`, k the least-squares
 * slope of log sd on log h over steps 1..H (at least 2 steps; else 0.5),
 * floored at 0.5, the random walk's rate. With no such step, the random
 * walk's own: `sqrt(pi / 2) h^0.5` (a random walk whose mean absolute
 * change is the series' own).
 *
 * @param byStep - standardised errors per step (index 0 = step 1)
 * @param panelLogScale - the panel's median log scale
 * @param basis - where the errors come from, in words
 * @returns the bands
 */
export function stepBands(byStep: readonly (readonly number[])[], panelLogScale: number, basis: string): GlobalBands {
  const sd: number[] = [];
  for (const errs of byStep) {
    if (errs.length < MIN_STEP_ERRORS) break;
    let ss = 0;
    for (const e of errs) ss += e * e;
    sd.push(Math.sqrt(ss / errs.length));
  }
  let exponent = 0.5;
  if (sd.length >= 2) {
    exponent = Math.max(
      0.5,
      olsSlope(
        sd.map((_, i) => Math.log(i + 1)),
        sd.map((v) => Math.log(v)),
      ),
    );
  }
  return { sd, errors: byStep.map((e) => e.length), exponent, panelLogScale, basis };
}

/**
 * The standardised sd of step h under {@link stepBands}' rule.
 *
 * @param b - the bands
 * @param h - the step (1-based)
 * @returns the sd, to be multiplied by the series' log scale
 */
export function bandSdAt(b: GlobalBands, h: number): number {
  const H = b.sd.length;
  if (H === 0) return Math.sqrt(Math.PI / 2) * Math.sqrt(h);
  if (h <= H) return b.sd[h - 1];
  return b.sd[H - 1] * (h / H) ** b.exponent;
}

/**
 * A log-scale forecast: per step, `exp` of a normal with the given mean and
 * sd, times a factor (the projected population / 10,000 for rates).
 *
 * @returns the point (median), distributions and intervals
 */
export function logNormalForecast(
  means: readonly number[],
  sds: readonly number[],
  levels: readonly number[],
  logFactor: readonly number[] = [],
): { point: number[]; distributions: Distribution[]; intervals: ForecastInterval[] } {
  const distributions: Distribution[] = means.map((m, i) => ({ type: 'exp', of: { type: 'normal', mean: m + (logFactor[i] ?? 0), sd: sds[i] } }));
  return { point: distributions.map(medianOf), distributions, intervals: intervalsOf(distributions, levels) };
}

/** Describe a panel for a fit. */
export function describePanel(description: string | undefined, windows: readonly SeriesWindow[], series: number, measure: string, firstYear: number, origin: number): string {
  return description ?? `${series} series (${measure}), ${firstYear}-${origin}, ${windows.filter((w) => lastYearOf(w) === origin).length} with a value at ${origin}`;
}
