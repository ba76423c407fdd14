/**
 * Quarterly series: fit and forecast on the quarter index, report on
 * 31 March and per financial year.
 *
 * Periods are financial-year quarters: `{ year: 2024, quarter: 4 }` is
 * January-March 2024, the last quarter of 2023/24, ending 31 March 2024
 * (Q1 ends 30 June, Q2 30 September, Q3 31 December). Snapshot series
 * (`kind: 'snapshot'`, e.g. children in care) are counts at quarter ends, so
 * the 31 March figure of a year *is* its Q4 value. Flow series (`'flow'`,
 * e.g. starters, ceased) and money (`'amount'`) are counts or sums during the
 * quarter, so a financial year's figure is the sum of its four quarters.
 *
 * The forecast fits the existing annual methods ({@link fitMethod}) to the
 * quarterly values in order, one step per quarter, and simulates seeded
 * sample paths ({@link FittedModel.simulate}); financial-year totals and
 * averages take their bands from those paths, never by adding bounds.
 *
 * @module
 */
import { breakdownKey } from '../data/breakdown.js';
import { CarecastInputError, type InputProblem } from '../data/errors.js';
import type { AnnualPoint, AnnualSeries, Breakdown, Provenance, QuarterlyPoint, QuarterlySeries, SeriesKind, Suppression } from '../data/schemas.js';
import { selectMethod, type MethodSelection } from '../models/selectMethod.js';
import { incompleteBeta } from '../math/studentT.js';
import { checkLevels, intervalsOf, medianOf, sampleQuantile } from '../models/distribution.js';
import { fitMethod, isMethodName, minObservations, type MethodOptions } from '../models/registry.js';
import type { Distribution, FitDiagnostics, FittedModel, ForecastInterval, MethodName, SamplePaths } from '../models/types.js';
import { financialYearLabel } from '../data/financialYear.js';

// ---------------------------------------------------------------------------
// Periods

/** The fewest quarters on which {@link checkSeasonality} tests for a seasonal pattern (three years). */
export const MIN_QUARTERS_FOR_SEASONALITY = 12;

/** Default number of simulated paths in {@link forecastQuarterly}. */
export const DEFAULT_QUARTERLY_PATHS = 5000;

const QUARTER_END = ['30 June', '30 September', '31 December', '31 March'] as const;
const QUARTER_END_ISO = ['06-30', '09-30', '12-31', '03-31'] as const;

/**
 * The last day of a financial-year quarter, as an ISO date.
 *
 * @param year - the financial year's end (2024 = 2023/24)
 * @param quarter - 1 (April-June) to 4 (January-March)
 * @returns the date, e.g. `'2024-03-31'` for Q4 of 2023/24
 * @throws RangeError for a quarter outside 1-4 or a non-integer year
 * @example
 * ```ts
 * quarterEndDate(2024, 1); // '2023-06-30'
 * quarterEndDate(2024, 4); // '2024-03-31'
 * ```
 */
export function quarterEndDate(year: number, quarter: number): string {
  if (!Number.isInteger(year)) throw new RangeError(`year must be a whole number, got ${year}`);
  if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4) throw new RangeError(`quarter must be 1, 2, 3 or 4, got ${quarter}`);
  return `${quarter === 4 ? year : year - 1}-${QUARTER_END_ISO[quarter - 1]}`;
}

/** `2023/24 Q2` */
function periodLabel(year: number, quarter: number): string {
  return `${financialYearLabel(year)} Q${quarter}`;
}

/** `2023/24 Q2 (quarter ending 30 September 2023)` */
function periodLong(year: number, quarter: number): string {
  return `${periodLabel(year, quarter)} (quarter ending ${QUARTER_END[quarter - 1]} ${quarter === 4 ? year : year - 1})`;
}

const indexOf = (year: number, quarter: number): number => year * 4 + quarter - 1;
const yearOf = (qi: number): number => Math.floor(qi / 4);
const quarterOf = (qi: number): number => (qi % 4) + 1;

/** A financial-year quarter with its labels. */
export interface QuarterLabel {
  /** The financial year's end (2024 = 2023/24). */
  readonly year: number;
  /** 1 (April-June) to 4 (January-March). */
  readonly quarter: number;
  /** The financial year, e.g. `'2023/24'`. */
  readonly financialYear: string;
  /** The quarter's last day, ISO, e.g. `'2024-03-31'`. */
  readonly periodEnd: string;
}

function label(qi: number): QuarterLabel {
  const year = yearOf(qi);
  const quarter = quarterOf(qi);
  return { year, quarter, financialYear: financialYearLabel(year), periodEnd: quarterEndDate(year, quarter) };
}

// ---------------------------------------------------------------------------
// Validation

/** A series' name for error messages: `Derby started (quarterly)`. */
function seriesLabel(series: QuarterlySeries): string {
  const key = breakdownKey(series.breakdown ?? {});
  return `${series.area} ${series.measure}${key ? `[${key}]` : ''} (quarterly)`;
}

interface CheckedPoint {
  readonly qi: number;
  readonly row: number;
  readonly point: QuarterlyPoint;
}

function provenanceText(p: QuarterlyPoint): string {
  const pr = p.provenance;
  return pr ? ` (from ${pr.source}${pr.line !== undefined ? `:${pr.line}` : ''})` : '';
}

/**
 * Check every point (year and quarter whole numbers, quarter 1-4, one value
 * per quarter, values finite and not negative) and sort by quarter.
 */
function checkPoints(series: QuarterlySeries): CheckedPoint[] {
  const source = seriesLabel(series);
  const problems: InputProblem[] = [];
  const seen = new Map<number, number>();
  const out: CheckedPoint[] = [];
  series.points.forEach((p, i) => {
    const row = i + 1;
    let ok = true;
    if (!Number.isInteger(p.year)) {
      problems.push({ source, row, field: 'year', message: `year must be a whole number (the financial year's end), got ${p.year}${provenanceText(p)}`, fix: 'give the year in which the financial year ends, e.g. 2024 for 2023/24' });
      ok = false;
    }
    if (!Number.isInteger(p.quarter) || p.quarter < 1 || p.quarter > 4) {
      problems.push({
        source,
        row,
        field: 'quarter',
        message: `quarter must be 1, 2, 3 or 4, got ${p.quarter} in financial year ending ${p.year}${provenanceText(p)}`,
        fix: 'use financial-year quarters: Q1 = April-June, Q2 = July-September, Q3 = October-December, Q4 = January-March (ends 31 March)',
      });
      ok = false;
    }
    const where = ok ? periodLong(p.year, p.quarter) : `row ${row}`;
    if (p.value !== null && !Number.isFinite(p.value)) {
      problems.push({ source, row, field: 'value', message: `value for ${where} must be a finite number or null, got ${p.value}${provenanceText(p)}`, fix: 'use null for a missing or suppressed value' });
    } else if (p.value !== null && p.value < 0) {
      problems.push({ source, row, field: 'value', message: `negative value ${p.value} for ${where}${provenanceText(p)}`, fix: 'counts and amounts cannot be negative; check the source figure' });
    }
    if (!ok) return;
    const qi = indexOf(p.year, p.quarter);
    const prior = seen.get(qi);
    if (prior !== undefined) {
      problems.push({ source, row, field: 'quarter', message: `duplicate quarter ${periodLabel(p.year, p.quarter)}: rows ${prior} and ${row} both give it${provenanceText(p)}`, fix: 'keep one value per quarter' });
      return;
    }
    seen.set(qi, row);
    out.push({ qi, row, point: p });
  });
  if (problems.length > 0) throw new CarecastInputError(problems);
  return out.sort((a, b) => a.qi - b.qi);
}

/** One quarter of the history as the model saw it. */
export interface QuarterlyHistoryPoint extends QuarterLabel {
  /** The published value (`null` if missing or suppressed). */
  readonly value: number | null;
  /** The value the model used: the published one, or a straight-line interpolation for an interior gap. */
  readonly used: number;
  /** `true` when `used` was interpolated. */
  readonly imputed: boolean;
}

/** Build the gap-free history the model fits, or throw for gaps unless allowed. */
function buildHistory(series: QuarterlySeries, allowGaps: boolean): { history: QuarterlyHistoryPoint[]; caveats: string[] } {
  const source = seriesLabel(series);
  const checked = checkPoints(series);
  const present = checked.filter((c) => c.point.value !== null);
  if (present.length === 0) {
    throw new CarecastInputError([{ source, field: 'value', message: 'no observed values in the series', fix: 'supply at least two quarters of data' }]);
  }
  const first = present[0].qi;
  const last = present[present.length - 1].qi;
  const byQi = new Map(checked.map((c) => [c.qi, c]));
  const caveats: string[] = [];
  const problems: InputProblem[] = [];
  const history: QuarterlyHistoryPoint[] = [];
  const imputed: string[] = [];
  const valueAt = (qi: number): number | null => byQi.get(qi)?.point.value ?? null;
  for (let qi = first; qi <= last; qi++) {
    const c = byQi.get(qi);
    const v = c?.point.value ?? null;
    if (v !== null) {
      history.push({ ...label(qi), value: v, used: v, imputed: false });
      continue;
    }
    let prev = qi - 1;
    while (valueAt(prev) === null) prev--;
    let next = qi + 1;
    while (valueAt(next) === null) next++;
    const what = c === undefined ? 'is missing' : `is ${c.point.suppressed ? `suppressed (${c.point.suppressed.marker})` : 'null'}`;
    problems.push({
      source,
      ...(c ? { row: c.row } : {}),
      field: c ? 'value' : 'quarter',
      message: `${periodLong(yearOf(qi), quarterOf(qi))} ${what}, inside the series (between ${periodLabel(yearOf(prev), quarterOf(prev))} and ${periodLabel(yearOf(next), quarterOf(next))})`,
      fix: 'supply the quarter\u2019s value, or pass allowGaps: true to fill it by straight-line interpolation (reported as a caveat)',
    });
    const a = valueAt(prev) as number;
    const b = valueAt(next) as number;
    history.push({ ...label(qi), value: null, used: a + ((b - a) * (qi - prev)) / (next - prev), imputed: true });
    imputed.push(periodLabel(yearOf(qi), quarterOf(qi)));
  }
  if (problems.length > 0 && !allowGaps) throw new CarecastInputError(problems);
  if (imputed.length > 0) {
    caveats.push(
      `No value for ${imputed.join(', ')}: filled by straight-line interpolation between the neighbouring quarters for fitting. ` +
        'The model treats the filled values as observed, so the bands are slightly too narrow.',
    );
  }
  const dropped = checked.filter((c) => c.point.value === null && (c.qi < first || c.qi > last)).map((c) => periodLabel(c.point.year, c.point.quarter));
  if (dropped.length > 0) caveats.push(`No value for ${dropped.join(', ')} at the ends of the series: not used.`);
  return { history, caveats };
}

// ---------------------------------------------------------------------------
// Seasonality

/** How {@link checkSeasonality} removes the trend before testing for quarter effects. */
export type SeasonalityTest = 'differences' | 'trend';

/** Options for {@link checkSeasonality}. */
export interface SeasonalityOptions {
  /**
   * `'differences'` (for stocks): quarter effects in the quarter-on-quarter
   * changes; `'trend'` (default, for flows): quarter effects around a straight
   * line.
   */
  readonly test?: SeasonalityTest;
  /** `'additive'` (default): effects in the series' units; `'multiplicative'`: on the log scale (needs values > 0). */
  readonly scale?: 'additive' | 'multiplicative';
  /** Significance level (default 0.05). */
  readonly alpha?: number;
}

/** The outcome of a seasonality check. */
export interface SeasonalityCheck {
  /** Whether a test was run (`false` when the series is too short or the check was switched off). */
  readonly checked: boolean;
  /** Number of quarters available. */
  readonly quarters: number;
  /** How the trend was removed (when checked). */
  readonly test?: SeasonalityTest;
  /** The scale of the effects (when checked). */
  readonly scale?: 'additive' | 'multiplicative';
  /** F statistic for the three quarter effects (when checked). */
  readonly fStatistic?: number;
  /** Degrees of freedom of the F test (when checked). */
  readonly df?: readonly [number, number];
  /** P-value of the F test (when checked). */
  readonly pValue?: number;
  /**
   * Estimated seasonal effect of Q1..Q4 on the level of the series, summing
   * to zero (units of the series, or logs for `multiplicative`).
   */
  readonly effects?: readonly [number, number, number, number];
  /** `pValue` below the significance level. */
  readonly significant: boolean;
  /** Whether the forecast removed and restored these effects (set by {@link forecastQuarterly}). */
  readonly adjusted: boolean;
  /** The result in words. */
  readonly note: string;
}

/** Least squares by the normal equations (small, well-conditioned designs); returns coefficients and RSS. */
function ols(x: readonly (readonly number[])[], y: readonly number[]): { beta: number[]; rss: number } {
  const k = x[0].length;
  const a = Array.from({ length: k }, () => new Array<number>(k + 1).fill(0));
  for (let i = 0; i < y.length; i++) {
    for (let r = 0; r < k; r++) {
      for (let c = 0; c < k; c++) a[r][c] += x[i][r] * x[i][c];
      a[r][k] += x[i][r] * y[i];
    }
  }
  for (let col = 0; col < k; col++) {
    let piv = col;
    for (let r = col + 1; r < k; r++) if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) piv = r;
    [a[col], a[piv]] = [a[piv], a[col]];
    for (let r = 0; r < k; r++) {
      if (r === col) continue;
      const f = a[r][col] / a[col][col];
      for (let c = col; c <= k; c++) a[r][c] -= f * a[col][c];
    }
  }
  const beta = a.map((row, i) => row[k] / row[i]);
  let rss = 0;
  for (let i = 0; i < y.length; i++) {
    let fit = 0;
    for (let c = 0; c < k; c++) fit += x[i][c] * beta[c];
    rss += (y[i] - fit) ** 2;
  }
  return { beta, rss };
}

/** P(F > f) for F on (d1, d2) degrees of freedom. */
function fUpperTail(f: number, d1: number, d2: number): number {
  if (!(f > 0)) return 1;
  if (f === Infinity) return 0;
  return incompleteBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2);
}

const fmt = (v: number, digits = 2): string => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(digits));

/**
 * Test a quarterly series for a seasonal pattern: an F test of three
 * quarter effects (Q2, Q3, Q4 against Q1) after removing the trend, as R's
 * `anova(lm(y ~ t), lm(y ~ t + quarter))` does (`test: 'trend'`) or
 * `anova(lm(diff(y) ~ 1), lm(diff(y) ~ quarter))` (`test: 'differences'`,
 * suited to stocks, which drift like random walks so that residuals around a
 * line are strongly autocorrelated).
 *
 * Runs only on at least {@link MIN_QUARTERS_FOR_SEASONALITY} quarters (three
 * years): with fewer, each quarter's effect would rest on two values and the
 * test has almost no power, so the result says it was not checked. With
 * 12-20 quarters the test finds only strong patterns; "no evidence" is not
 * evidence of none.
 *
 * @param y - the quarterly values, oldest first, no gaps
 * @param firstQuarter - the financial-year quarter (1-4) of `y[0]`
 * @param options - test, scale, significance level
 * @returns the test result with the estimated quarter effects (`adjusted: false`)
 * @throws RangeError for a quarter outside 1-4, non-finite values, a bad
 *   significance level, or non-positive values on the multiplicative scale
 * @example
 * ```ts
 * const cic = [618, 641, 635, 642, 653, 661, 637, 627, 617, 632, 648, 620, 600, 597, 597, 598];
 * const s = checkSeasonality(cic, 1, { test: 'differences' });
 * s.fStatistic; // 1.27 (R: anova(lm(diff(y) ~ 1), lm(diff(y) ~ q)))
 * s.pValue;     // 0.33: no evidence of a seasonal pattern
 * ```
 */
export function checkSeasonality(y: readonly number[], firstQuarter: number, options: SeasonalityOptions = {}): SeasonalityCheck {
  if (!Number.isInteger(firstQuarter) || firstQuarter < 1 || firstQuarter > 4) throw new RangeError(`firstQuarter must be 1, 2, 3 or 4, got ${firstQuarter}`);
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`significance level must be in (0, 1), got ${alpha}`);
  const scale = options.scale ?? 'additive';
  const test = options.test ?? 'trend';
  y.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new RangeError(`seasonality check: value ${i + 1} is not a finite number (${v})`);
    if (scale === 'multiplicative' && v <= 0) throw new RangeError(`seasonality check on the multiplicative scale needs values > 0; value ${i + 1} is ${v}`);
  });
  const n = y.length;
  if (n < MIN_QUARTERS_FOR_SEASONALITY) {
    return {
      checked: false,
      quarters: n,
      significant: false,
      adjusted: false,
      note: `not checked: ${n} quarters is fewer than ${MIN_QUARTERS_FOR_SEASONALITY} (three years), too few to tell a seasonal pattern from noise`,
    };
  }
  const z = scale === 'multiplicative' ? y.map(Math.log) : [...y];
  const q = (i: number): number => ((firstQuarter - 1 + i) % 4) + 1;
  const dummies = (quarter: number): number[] => [quarter === 2 ? 1 : 0, quarter === 3 ? 1 : 0, quarter === 4 ? 1 : 0];
  let resp: number[];
  let full: number[][];
  let restricted: number[][];
  if (test === 'trend') {
    resp = z;
    full = z.map((_, i) => [1, i + 1, ...dummies(q(i))]);
    restricted = z.map((_, i) => [1, i + 1]);
  } else {
    resp = z.slice(1).map((v, i) => v - z[i]);
    full = resp.map((_, i) => [1, ...dummies(q(i + 1))]);
    restricted = resp.map(() => [1]);
  }
  const f1 = ols(full, resp);
  const r0 = ols(restricted, resp).rss;
  const d2 = resp.length - full[0].length;
  const rss1 = Math.max(f1.rss, 0);
  const fStat = rss1 > 1e-12 * Math.max(r0, 1) ? ((r0 - rss1) / 3) / (rss1 / d2) : r0 - rss1 > 1e-12 ? Infinity : 0;
  const pValue = fUpperTail(fStat, 3, d2);
  const b = f1.beta.slice(-3);
  const raw = [0, b[0], b[1], b[2]];
  const mean = (raw[0] + raw[1] + raw[2] + raw[3]) / 4;
  const c = raw.map((v) => v - mean);
  let effects: [number, number, number, number];
  if (test === 'trend') {
    effects = [c[0], c[1], c[2], c[3]];
  } else {
    // quarter effects on the changes d_q = s_q - s_(q-1), summing to zero, give the level effects s_q
    const a = -(3 * c[1] + 2 * c[2] + c[3]) / 4;
    effects = [a, a + c[1], a + c[1] + c[2], a + c[1] + c[2] + c[3]];
  }
  const significant = pValue < alpha;
  const unit = scale === 'multiplicative' ? ' (log scale)' : '';
  const what = test === 'trend' ? 'quarter effects around a straight-line trend' : 'quarter effects in the quarter-on-quarter changes';
  const effText = effects.map((e, i) => `Q${i + 1} ${e >= 0 ? '+' : ''}${scale === 'multiplicative' ? `${((Math.exp(e) - 1) * 100).toFixed(1)}%` : fmt(e, 1)}`).join(', ');
  return {
    checked: true,
    quarters: n,
    test,
    scale,
    fStatistic: fStat,
    df: [3, d2],
    pValue,
    effects,
    significant,
    adjusted: false,
    note:
      `checked on ${n} quarters (${what}${unit}: F = ${fmt(fStat)} on 3 and ${d2} df, p = ${pValue.toFixed(3)}): ` +
      (significant ? `a seasonal pattern at the ${alpha * 100}% level, effects ${effText}` : `no evidence of a seasonal pattern at the ${alpha * 100}% level (effects ${effText})`),
  };
}

// ---------------------------------------------------------------------------
// Forecast

/** Options for {@link forecastQuarterly}. */
export interface QuarterlyForecastOptions {
  /** Forecast to Q4 of the financial year ending 31 March of this year (e.g. 2030 = to 31 March 2030). Give this or `horizonQuarters`. */
  readonly toYear?: number;
  /** Quarters to forecast beyond the last observation. Give this or `toYear`. */
  readonly horizonQuarters?: number;
  /**
   * A method, or `'auto'` (default): chosen by rolling-origin accuracy over
   * 1-4 quarters ahead among naive, drift, linear, loglinear and dampedTrend
   * (`repeatGrowth` reproduces the documents' annual method and is used only
   * when asked for).
   */
  readonly method?: MethodName | 'auto';
  /** Interval levels in percent (default `[80, 95]`). */
  readonly levels?: readonly number[];
  /** Number of simulated paths (default {@link DEFAULT_QUARTERLY_PATHS}). */
  readonly paths?: number;
  /** Seed of the path simulation (default 1); the same seed gives the same result. */
  readonly seed?: number;
  /** Fill missing quarters inside the series by straight-line interpolation (with a caveat) instead of failing. */
  readonly allowGaps?: boolean;
  /**
   * `'auto'` (default): test for a seasonal pattern when there are at least
   * {@link MIN_QUARTERS_FOR_SEASONALITY} quarters and remove it before
   * fitting if significant at 5%; `'ignore'`: never; `'adjust'`: always
   * (needs at least 12 quarters).
   */
  readonly seasonality?: 'auto' | 'ignore' | 'adjust';
  /** Per-method options. */
  readonly methodOptions?: MethodOptions;
}

/** The result of {@link forecastQuarterly}. */
export interface QuarterlyForecast {
  /** The area the series describes. */
  readonly area: string;
  /** The measure, e.g. `started`. */
  readonly measure: string;
  /** Snapshot (quarter-end count), flow (count in the quarter), amount, rate or share. */
  readonly kind: SeriesKind;
  /** The unit of the values. */
  readonly unit: QuarterlySeries['unit'];
  /** The breakdown (empty for the total). */
  readonly breakdown: Breakdown;
  /** The method used. */
  readonly method: MethodName;
  /** The method asked for. */
  readonly requestedMethod: MethodName | 'auto';
  /** How `auto` chose, when it did. */
  readonly selection?: MethodSelection;
  /** The seasonality check and whether the forecast adjusted for it. */
  readonly seasonality: SeasonalityCheck;
  /** The history used, quarter by quarter. */
  readonly history: readonly QuarterlyHistoryPoint[];
  /** The forecast quarters. */
  readonly quarters: readonly QuarterLabel[];
  /** Point forecast per quarter (never below zero). */
  readonly point: readonly number[];
  /** Analytic prediction intervals per quarter (never below zero), one per level. */
  readonly intervals: readonly ForecastInterval[];
  /** The interval levels, ascending. */
  readonly levels: readonly number[];
  /** The forecast distribution per quarter (before clipping at zero). */
  readonly distributions: readonly Distribution[];
  /** Simulated future paths (one step per forecast quarter, clipped at zero). */
  readonly paths: SamplePaths;
  /** The seed the paths were drawn with. */
  readonly seed: number;
  /** The fit's parameters and residuals (on the seasonally adjusted scale when adjusted). */
  readonly diagnostics: FitDiagnostics;
  /** Plain-language warnings. */
  readonly caveats: readonly string[];
}

function optionError(field: string, message: string, fix: string): never {
  throw new CarecastInputError([{ source: 'forecastQuarterly options', field, message, fix }]);
}

/** Shift a distribution by a seasonal effect (added, or multiplied by exp(effect)). */
function shiftDistribution(d: Distribution, s: number, scale: 'additive' | 'multiplicative'): Distribution {
  if (scale === 'multiplicative') {
    const f = Math.exp(s);
    switch (d.type) {
      case 'exp':
        return { type: 'exp', of: shiftDistribution(d.of, s, 'additive') };
      case 'normal':
        return { type: 'normal', mean: d.mean * f, sd: d.sd * f };
      case 'studentT':
        return { type: 'studentT', mean: d.mean * f, scale: d.scale * f, df: d.df };
      case 'point':
        return { type: 'point', value: d.value * f };
      case 'sample':
        return { type: 'sample', values: d.values.map((v) => v * f) };
    }
  }
  switch (d.type) {
    case 'normal':
      return { type: 'normal', mean: d.mean + s, sd: d.sd };
    case 'studentT':
      return { type: 'studentT', mean: d.mean + s, scale: d.scale, df: d.df };
    case 'point':
      return { type: 'point', value: d.value + s };
    case 'sample':
      return { type: 'sample', values: d.values.map((v) => v + s) };
    case 'exp':
      // additive adjustment is only used with additive methods
      throw new Error('internal: additive seasonal shift of a log-scale distribution');
  }
}

const LOG_METHODS: readonly MethodName[] = ['loglinear', 'repeatGrowth'];

/**
 * Forecast a quarterly series quarter by quarter.
 *
 * Steps: (1) the points are checked (quarter 1-4, no duplicates, no negative
 * or non-finite values) and a missing or suppressed quarter inside the series
 * is an error unless `allowGaps` (then interpolated, with a caveat); empty
 * quarters at the ends are dropped; (2) with at least 12 quarters the series
 * is tested for a seasonal pattern ({@link checkSeasonality}: on the
 * quarter-on-quarter changes for snapshots, around a trend for flows) and,
 * if found, the quarter effects are removed before fitting and added back
 * afterwards; with fewer quarters no check is possible and the caveats say
 * so: quarterly flows (starters, leavers) are often seasonal, and a
 * non-seasonal model then spreads that pattern into its noise, which widens
 * the quarterly bands but leaves financial-year totals nearly unbiased;
 * (3) the method is fitted on the quarter index (one step = one quarter) or
 * chosen by {@link selectMethod} over 1-4 quarters ahead; (4) the model's
 * distributions give the point forecast and analytic intervals per quarter,
 * and `model.simulate` gives seeded sample paths for financial-year figures
 * ({@link toAnnual}); counts are clipped at zero.
 *
 * @param series - a quarterly series (financial-year quarters)
 * @param options - target year or horizon, method, levels, paths, seed, gaps, seasonality
 * @returns the quarterly forecast with its paths
 * @throws CarecastInputError for bad points (naming the period, row and
 *   field), interior gaps without `allowGaps`, a target not after the data,
 *   bad levels, paths or seed, an unknown method, or a series too short for
 *   the method
 * @example
 * ```ts
 * const starters = findQuarterlySeries(loadSeed('derby').dataset, 'started');
 * const fc = forecastQuarterly(starters, { toYear: 2026, method: 'naive', seed: 1 });
 * fc.quarters[0];  // { year: 2025, quarter: 1, financialYear: '2024/25', periodEnd: '2024-06-30' }
 * fc.point[0];     // 82 (the last quarter, Q4 2023/24)
 * toAnnual(fc).records[0]; // { financialYear: '2024/25', statistic: 'fy_total', point: 328, lo_80: ..., ... }
 * ```
 */
export function forecastQuarterly(series: QuarterlySeries, options: QuarterlyForecastOptions = {}): QuarterlyForecast {
  const requested = options.method ?? 'auto';
  if (requested !== 'auto' && !isMethodName(requested)) {
    optionError('method', `unknown method "${String(requested)}"`, 'use auto, naive, drift, linear, loglinear, dampedTrend, repeatGrowth or theta');
  }
  let levels: number[];
  try {
    levels = checkLevels(options.levels ?? [80, 95]);
  } catch (e) {
    optionError('levels', (e as Error).message, 'give levels such as [80, 95]');
  }
  const nPaths = options.paths ?? DEFAULT_QUARTERLY_PATHS;
  if (!Number.isInteger(nPaths) || nPaths < 1) optionError('paths', `paths must be a positive whole number, got ${nPaths}`, `e.g. ${DEFAULT_QUARTERLY_PATHS}`);
  const seed = options.seed ?? 1;
  if (!Number.isFinite(seed)) optionError('seed', `seed must be a finite number, got ${seed}`, 'give any whole number, e.g. 1');
  if (options.toYear !== undefined && options.horizonQuarters !== undefined) {
    optionError('toYear', 'both toYear and horizonQuarters were given', 'give one of them');
  }
  const seasonalityMode = options.seasonality ?? 'auto';
  if (!['auto', 'ignore', 'adjust'].includes(seasonalityMode)) {
    optionError('seasonality', `unknown seasonality option "${String(seasonalityMode)}"`, 'use auto, ignore or adjust');
  }

  const { history, caveats } = buildHistory(series, options.allowGaps ?? false);
  const lastQi = indexOf(history[history.length - 1].year, history[history.length - 1].quarter);
  const lastLabel = periodLabel(yearOf(lastQi), quarterOf(lastQi));
  let horizon: number;
  if (options.toYear !== undefined) {
    if (!Number.isInteger(options.toYear)) optionError('toYear', `toYear must be a whole number (a financial year's end), got ${options.toYear}`, 'e.g. 2030 for 31 March 2030');
    horizon = indexOf(options.toYear, 4) - lastQi;
    if (horizon < 1) {
      optionError('toYear', `the forecast must end after the last observed quarter ${lastLabel} (got toYear ${options.toYear})`, `give a financial year ending after ${yearOf(lastQi)}${quarterOf(lastQi) < 4 ? ` or ${yearOf(lastQi)}` : ''}`);
    }
  } else if (options.horizonQuarters !== undefined) {
    horizon = options.horizonQuarters;
    if (!Number.isInteger(horizon) || horizon < 1) optionError('horizonQuarters', `horizonQuarters must be a positive whole number, got ${horizon}`, 'e.g. 8 for two years');
  } else {
    optionError('toYear', 'neither toYear nor horizonQuarters was given', 'give toYear (e.g. 2030) or horizonQuarters (e.g. 8)');
  }

  const y = history.map((h) => h.used);
  const n = y.length;
  const firstQuarter = history[0].quarter;
  const kind = series.kind;
  const explicitLog = requested !== 'auto' && LOG_METHODS.includes(requested);

  // (2) seasonality
  let seasonality: SeasonalityCheck;
  const flowWords = kind === 'snapshot' ? 'Quarter-end counts can move with the seasons' : 'Quarterly flows (starters, leavers) and spending are often seasonal';
  if (seasonalityMode === 'ignore') {
    seasonality = { checked: false, quarters: n, significant: false, adjusted: false, note: 'not checked (seasonality: ignore)' };
    caveats.push(`Seasonality was not checked (seasonality: 'ignore'). ${flowWords}; any such pattern is treated as noise.`);
  } else if (n < MIN_QUARTERS_FOR_SEASONALITY) {
    if (seasonalityMode === 'adjust') {
      optionError('seasonality', `seasonal adjustment needs at least ${MIN_QUARTERS_FOR_SEASONALITY} quarters, the series has ${n} (${history[0].financialYear} Q${firstQuarter} to ${lastLabel})`, "use seasonality: 'auto' or supply three years of quarters");
    }
    seasonality = checkSeasonality(y, firstQuarter);
    caveats.push(
      `Only ${n} quarters: too few (under ${MIN_QUARTERS_FOR_SEASONALITY}) to check for a seasonal pattern, so the forecast assumes none. ${flowWords}; ` +
        'if they are, the quarterly bands absorb the pattern as noise and single quarters can be off, while financial-year totals are little affected' +
        (kind === 'snapshot' ? ' (the 31 March figure is a single quarter and is affected).' : '.'),
    );
  } else {
    const positive = y.every((v) => v > 0);
    const scale = explicitLog && positive ? 'multiplicative' : 'additive';
    const check = checkSeasonality(y, firstQuarter, { test: kind === 'snapshot' ? 'differences' : 'trend', scale });
    const adjust = seasonalityMode === 'adjust' || check.significant;
    seasonality = { ...check, adjusted: adjust };
    caveats.push(
      `Seasonality ${check.note}.` +
        (adjust
          ? ' The quarter effects are removed before fitting and added back to the forecast; they are treated as known, so the bands are slightly too narrow.'
          : ' The forecast assumes no seasonal pattern.'),
    );
  }
  const effects = seasonality.adjusted && seasonality.effects ? seasonality.effects : null;
  const scale = seasonality.scale ?? 'additive';
  const effectAt = (qi: number): number => (effects ? effects[quarterOf(qi) - 1] : 0);
  const historyQi = history.map((h) => indexOf(h.year, h.quarter));
  const yFit = effects ? y.map((v, i) => (scale === 'multiplicative' ? v * Math.exp(-effectAt(historyQi[i])) : v - effectAt(historyQi[i]))) : y;

  // (3) method
  let method: MethodName;
  let selection: MethodSelection | undefined;
  if (requested === 'auto') {
    const candidates: MethodName[] = effects ? ['naive', 'drift', 'linear', 'dampedTrend'] : ['naive', 'drift', 'linear', 'loglinear', 'dampedTrend'];
    const sel = selectMethod(yFit, { candidates, maxStep: 4, methodOptions: options.methodOptions });
    selection = { ...sel, rule: sel.rule.replace('years ahead', 'quarters ahead') };
    method = selection.method;
  } else {
    method = requested;
    const need = minObservations(method, options.methodOptions);
    if (n < need) {
      optionError('method', `${method} needs at least ${need} quarters of data, the series has ${n} (${history[0].financialYear} Q${firstQuarter} to ${lastLabel})`, 'choose a simpler method (naive, drift, linear) or supply more quarters');
    }
    if (LOG_METHODS.includes(method) && yFit.some((v) => v <= 0)) {
      optionError('method', `${method} works on the log scale and needs every quarterly value above zero`, 'use linear or drift for series with zeros');
    }
  }
  const model: FittedModel = fitMethod(method, yFit, options.methodOptions);

  // (4) forecast and paths
  const fc = model.forecast(horizon, { levels });
  const sims = model.simulate(horizon, { paths: nPaths, seed });
  const futureQi = Array.from({ length: horizon }, (_, h) => lastQi + 1 + h);
  let distributions: readonly Distribution[] = fc.distributions;
  let point: readonly number[] = fc.point;
  let intervals: readonly ForecastInterval[] = fc.intervals;
  const values = new Float64Array(sims.values);
  if (effects) {
    distributions = fc.distributions.map((d, h) => shiftDistribution(d, effectAt(futureQi[h]), scale));
    point = distributions.map(medianOf);
    intervals = intervalsOf(distributions, levels);
    for (let p = 0; p < nPaths; p++) {
      for (let h = 0; h < horizon; h++) {
        const s = effectAt(futureQi[h]);
        const k = p * horizon + h;
        values[k] = scale === 'multiplicative' ? values[k] * Math.exp(s) : values[k] + s;
      }
    }
  }
  const clipped = point.some((v) => v < 0) || intervals.some((iv) => iv.lower.some((v) => v < 0));
  let pathsClipped = 0;
  for (let k = 0; k < values.length; k++) {
    if (values[k] < 0) {
      values[k] = 0;
      pathsClipped++;
    }
  }
  if (clipped || pathsClipped > 0) caveats.push('The model\u2019s forecast, bands or simulated paths fell below zero in places; they are shown as zero.');
  const clip = (v: number): number => Math.max(0, v);
  if (horizon > n) {
    caveats.push(
      `Forecasting ${horizon} quarters ahead from ${n} quarterly observations (${(n / 4).toFixed(1)} years): the bands assume the past pattern holds; treat the later years as a scenario, not a prediction.`,
    );
  }
  return {
    area: series.area,
    measure: series.measure,
    kind,
    unit: series.unit,
    breakdown: series.breakdown ?? {},
    method,
    requestedMethod: requested,
    ...(selection ? { selection } : {}),
    seasonality,
    history,
    quarters: futureQi.map(label),
    point: point.map(clip),
    intervals: intervals.map((iv) => ({ level: iv.level, lower: iv.lower.map(clip), upper: iv.upper.map(clip) })),
    levels,
    distributions,
    paths: { paths: nPaths, horizon, values },
    seed,
    diagnostics: model.diagnostics,
    caveats,
  };
}

// ---------------------------------------------------------------------------
// Annual reporting of a forecast

/**
 * What an annual figure is:
 * - `year_end`: the count at 31 March (the Q4 quarter-end value), snapshots;
 * - `fy_average`: the average count over the financial year, snapshots (see {@link toAnnual});
 * - `fy_total`: the sum of the four quarters, flows and amounts.
 */
export type AnnualStatistic = 'year_end' | 'fy_average' | 'fy_total';

/**
 * One financial year of a forecast as a tidy row: `lo_<level>` / `hi_<level>`
 * for every interval level (e.g. `lo_80`, `hi_95`).
 */
export type AnnualForecastRecord = {
  /** Area name. */
  readonly area: string;
  /** Measure name. */
  readonly measure: string;
  /** The financial year, e.g. `'2024/25'`. */
  readonly financialYear: string;
  /** The year of the 31 March that ends it (2025 for 2024/25). */
  readonly yearEnd: number;
  /** The series kind. */
  readonly kind: SeriesKind;
  /** What the figure is. */
  readonly statistic: AnnualStatistic;
  /** Point value: from observed quarters and quarterly point forecasts. */
  readonly point: number;
  /** Quarters of the year taken from the history (0 for a wholly forecast year). */
  readonly observedQuarters: number;
  /** `analytic` (the Q4 distribution) or `simulated` (quantiles of the paths' sums or averages). */
  readonly bands: 'analytic' | 'simulated';
} & { readonly [bound: `lo_${number}` | `hi_${number}`]: number };

/** The result of {@link toAnnual}. */
export interface AnnualFromQuarterly {
  /** Area name. */
  readonly area: string;
  /** Measure name. */
  readonly measure: string;
  /** The series kind. */
  readonly kind: SeriesKind;
  /** The interval levels, ascending. */
  readonly levels: readonly number[];
  /** One row per financial year and statistic, oldest year first. */
  readonly records: readonly AnnualForecastRecord[];
  /** Plain-language notes on how the figures were made and what was left out. */
  readonly caveats: readonly string[];
}

/**
 * The average of five quarter-end values over a financial year by the
 * trapezium rule: (opening/2 + Q1 + Q2 + Q3 + Q4/2) / 4.
 */
function trapezium(opening: number, q: readonly number[]): number {
  return (opening / 2 + q[0] + q[1] + q[2] + q[3] / 2) / 4;
}

/**
 * Report a quarterly forecast per financial year (1 April - 31 March).
 *
 * - Snapshots (`kind: 'snapshot'`): `year_end`, the count at 31 March, is
 *   the Q4 forecast itself: point and bands are read off the Q4 distribution,
 *   so it equals the quarterly forecast exactly. `fy_average`, the average
 *   number in care over the year, is the trapezium rule over the opening
 *   count (31 March before) and the four quarter ends, (open/2 + Q1 + Q2 + Q3 +
 *   Q4/2) / 4: the exact mean if numbers change in straight lines between
 *   quarter ends, so average x days in the year = child-days, the occupancy
 *   that costs per child per week apply to. Its bands are quantiles of that
 *   average computed path by path.
 * - Flows and amounts: `fy_total`, the sum of the four quarters; bands are
 *   quantiles of the path-by-path sums, which are narrower than adding the
 *   quarterly bounds (a quarter's high is partly offset by another's low).
 *
 * A year that mixes observed and forecast quarters (the forecast starts after
 * the last observed quarter) adds the observed values to every path;
 * `observedQuarters` says how many. Points are sums (or averages) of the
 * observed values and quarterly point forecasts. Only years whose quarters
 * are all observed or forecast are reported (a forecast ending at Q2 leaves
 * its last year out, with a caveat); a wholly observed year is history (see
 * {@link quarterlyToAnnualSeries}).
 *
 * @param fc - a quarterly forecast from {@link forecastQuarterly}
 * @returns tidy rows per financial year and statistic, with caveats
 * @throws CarecastInputError for rates and shares, which neither add up over
 *   quarters nor average as counts
 * @example
 * ```ts
 * const cic = findQuarterlySeries(loadSeed('derby').dataset, 'children_in_care');
 * const a = toAnnual(forecastQuarterly(cic, { toYear: 2027, seed: 1 }));
 * a.records.filter((r) => r.statistic === 'year_end');   // 31 March 2025, 2026, 2027
 * a.records.filter((r) => r.statistic === 'fy_average'); // average in care 2024/25 ...
 * ```
 */
export function toAnnual(fc: QuarterlyForecast): AnnualFromQuarterly {
  if (fc.kind === 'rate' || fc.kind === 'share') {
    throw new CarecastInputError([
      {
        source: `${fc.area} ${fc.measure} (quarterly forecast)`,
        field: 'kind',
        message: `a ${fc.kind} neither adds up over quarters nor averages as a count`,
        fix: 'forecast the counts (e.g. children_in_care, started) and derive the rate per year, or read the Q4 quarterly forecast directly',
      },
    ]);
  }
  const H = fc.paths.horizon;
  const P = fc.paths.paths;
  const v = fc.paths.values;
  const observed = new Map(fc.history.map((h) => [indexOf(h.year, h.quarter), h.used]));
  const firstFuture = indexOf(fc.quarters[0].year, fc.quarters[0].quarter);
  const step = (qi: number): number => qi - firstFuture; // 0-based forecast step, or < 0 for history
  const known = (qi: number): boolean => observed.has(qi) || (step(qi) >= 0 && step(qi) < H);
  const pointAt = (qi: number): number => (observed.has(qi) ? (observed.get(qi) as number) : fc.point[step(qi)]);
  const pathAtQi = (p: number, qi: number): number => (observed.has(qi) ? (observed.get(qi) as number) : v[p * H + step(qi)]);
  const caveats: string[] = [];
  const records: AnnualForecastRecord[] = [];
  const bandsOf = (draws: Float64Array): Record<string, number> => {
    const sorted = Array.from(draws).sort((a, b) => a - b);
    const o: Record<string, number> = {};
    for (const level of fc.levels) {
      const a = (1 - level / 100) / 2;
      o[`lo_${level}`] = sampleQuantile(sorted, a);
      o[`hi_${level}`] = sampleQuantile(sorted, 1 - a);
    }
    return o;
  };
  const firstYear = yearOf(firstFuture);
  const lastYear = yearOf(firstFuture + H - 1);
  const skipped: string[] = [];
  for (let Y = firstYear; Y <= lastYear; Y++) {
    const qis = [0, 1, 2, 3].map((k) => indexOf(Y, k + 1));
    const complete = qis.every(known);
    const observedQuarters = qis.filter((qi) => observed.has(qi)).length;
    const base = { area: fc.area, measure: fc.measure, financialYear: financialYearLabel(Y), yearEnd: Y, kind: fc.kind, observedQuarters };
    if (!complete) {
      skipped.push(financialYearLabel(Y));
      continue;
    }
    if (fc.kind === 'snapshot') {
      const h4 = step(qis[3]);
      const bands: Record<string, number> = {};
      for (const iv of fc.intervals) {
        bands[`lo_${iv.level}`] = iv.lower[h4];
        bands[`hi_${iv.level}`] = iv.upper[h4];
      }
      records.push({ ...base, statistic: 'year_end', point: fc.point[h4], bands: 'analytic', ...bands } as AnnualForecastRecord);
      const opening = qis[0] - 1;
      if (!known(opening)) {
        caveats.push(`No count at 31 March ${Y - 1} (the opening of ${financialYearLabel(Y)}): its average in care is not reported.`);
      } else {
        const draws = new Float64Array(P);
        for (let p = 0; p < P; p++) draws[p] = trapezium(pathAtQi(p, opening), qis.map((qi) => pathAtQi(p, qi)));
        const point = trapezium(pointAt(opening), qis.map(pointAt));
        records.push({ ...base, statistic: 'fy_average', point, bands: 'simulated', ...bandsOf(draws) } as AnnualForecastRecord);
      }
    } else {
      const draws = new Float64Array(P);
      for (let p = 0; p < P; p++) {
        let s = 0;
        for (const qi of qis) s += pathAtQi(p, qi);
        draws[p] = s;
      }
      const point = qis.reduce((s, qi) => s + pointAt(qi), 0);
      records.push({ ...base, statistic: 'fy_total', point, bands: 'simulated', ...bandsOf(draws) } as AnnualForecastRecord);
    }
  }
  if (skipped.length > 0) caveats.push(`${skipped.join(', ')}: not every quarter is observed or forecast, so no financial-year figure is reported.`);
  const mixed = records.filter((r) => r.observedQuarters > 0);
  if (mixed.length > 0) {
    const r = mixed[0];
    caveats.push(`${r.financialYear} combines ${r.observedQuarters} observed quarter${r.observedQuarters === 1 ? '' : 's'} with ${4 - r.observedQuarters} forecast; its band covers only the forecast part.`);
  }
  if (fc.kind !== 'snapshot') {
    caveats.push(
      `Financial-year totals add the quarters and take their bands from ${P} simulated paths (seed ${fc.seed}), not by adding the quarterly bounds.` +
        (fc.kind === 'flow' ? ' A child who starts (or ceases) twice in a year counts twice; DfE\u2019s annual figures count each child once, so can be slightly lower.' : ''),
    );
  } else {
    caveats.push(
      `31 March figures are the Q4 forecasts (analytic bands); financial-year averages use the trapezium rule over the five quarter ends, with bands from ${P} simulated paths (seed ${fc.seed}).`,
    );
  }
  return { area: fc.area, measure: fc.measure, kind: fc.kind, levels: fc.levels, records, caveats };
}

// ---------------------------------------------------------------------------
// Annual history from quarterly data

/** Options for {@link quarterlyToAnnualSeries}. */
export interface QuarterlyToAnnualOptions {
  /**
   * Which figure (default: `year_end` for snapshots, `fy_total` for flows
   * and amounts). `fy_average` (snapshots) needs the opening 31 March count
   * and all four quarter ends; the series is then named `<measure>_fy_average`.
   */
  readonly statistic?: AnnualStatistic;
}

/** A financial year left out of the annual series, and why. */
export interface PartialYear {
  /** The financial year, e.g. `'2021/22'`. */
  readonly financialYear: string;
  /** Its 31 March year. */
  readonly yearEnd: number;
  /** The quarters with a published value. */
  readonly quarters: readonly number[];
  /** Why it is left out. */
  readonly reason: string;
}

/** The result of {@link quarterlyToAnnualSeries}. */
export interface QuarterlyToAnnual {
  /** The annual series: one point per complete financial year, with provenance. */
  readonly series: AnnualSeries;
  /** The statistic used. */
  readonly statistic: AnnualStatistic;
  /** Financial years with data that could not give a figure. */
  readonly partialYears: readonly PartialYear[];
  /** Plain-language notes. */
  readonly caveats: readonly string[];
}

function combineProvenance(points: readonly QuarterlyPoint[], what: string): Provenance {
  const provs = points.map((p) => p.provenance).filter((p): p is Provenance => p !== undefined);
  const sources = [...new Set(provs.map((p) => p.source))];
  const lines = [...new Set(provs.map((p) => p.line))];
  const where =
    provs.length === points.length && sources.length === 1 && lines.length === 1
      ? ''
      : `; quarters from ${points.map((p) => (p.provenance ? `Q${p.quarter} ${p.provenance.source}${p.provenance.line !== undefined ? `:${p.provenance.line}` : ''}` : `Q${p.quarter} (no source)`)).join(', ')}`;
  const source = provs[0]?.source ?? 'quarterly series';
  const line = sources.length === 1 && lines.length === 1 && provs.length === points.length ? provs[0].line : undefined;
  return { source, ...(line !== undefined ? { line } : {}), note: `${what}${where}` };
}

/**
 * Turn published quarterly history into an annual series on carecast's
 * annual convention (the year of 31 March).
 *
 * - Snapshots, `year_end` (default): the 31 March count is the Q4
 *   quarter-end value, with that point's provenance.
 * - Snapshots, `fy_average`: the trapezium-rule average over the opening
 *   31 March and the four quarter ends (see {@link toAnnual}).
 * - Flows and amounts, `fy_total` (default): the sum of the four quarters of
 *   each complete financial year; the provenance names the quarters' sources.
 *
 * Years without the values needed (no Q4; a quarter missing from a total) are
 * left out and listed in `partialYears`; nothing is interpolated. A
 * suppressed quarter makes the year's value `null` with `suppressed` (its
 * upper bound the sum of the known values and the quarters' upper bounds,
 * when all are known).
 *
 * @param series - a quarterly series
 * @param options - the statistic
 * @returns the annual series, the partial years and caveats
 * @throws CarecastInputError for bad points (quarter outside 1-4, duplicate
 *   quarters, negative or non-finite values), for rates and shares, and for a
 *   statistic that does not fit the kind
 * @example
 * ```ts
 * const { dataset } = loadSeed('derby');
 * quarterlyToAnnualSeries(findQuarterlySeries(dataset, 'children_in_care')).series.points.map((p) => [p.year, p.value]);
 * // [[2021, 642], [2022, 627], [2023, 620], [2024, 598]]
 * quarterlyToAnnualSeries(findQuarterlySeries(dataset, 'started')).series.points.map((p) => [p.year, p.value]);
 * // [[2023, 225], [2024, 240]]  (2021/22 has only Q3-Q4: partial)
 * ```
 */
export function quarterlyToAnnualSeries(series: QuarterlySeries, options: QuarterlyToAnnualOptions = {}): QuarterlyToAnnual {
  const source = seriesLabel(series);
  if (series.kind === 'rate' || series.kind === 'share') {
    throw new CarecastInputError([
      { source, field: 'kind', message: `a ${series.kind} neither adds up over quarters nor averages as a count`, fix: 'convert the counts behind it, or take the Q4 values directly' },
    ]);
  }
  const statistic: AnnualStatistic = options.statistic ?? (series.kind === 'snapshot' ? 'year_end' : 'fy_total');
  if ((series.kind === 'snapshot') !== (statistic !== 'fy_total')) {
    throw new CarecastInputError([
      {
        source,
        field: 'statistic',
        message: `${statistic} does not apply to a ${series.kind} series`,
        fix: series.kind === 'snapshot' ? "use 'year_end' (31 March) or 'fy_average'" : "use 'fy_total' (the sum of the four quarters)",
      },
    ]);
  }
  const checked = checkPoints(series);
  const byQi = new Map(checked.map((c) => [c.qi, c.point]));
  const years = [...new Set(checked.map((c) => c.point.year))].sort((a, b) => a - b);
  const points: AnnualPoint[] = [];
  const partialYears: PartialYear[] = [];
  const caveats: string[] = [];
  for (const Y of years) {
    const fy = financialYearLabel(Y);
    const qs = [1, 2, 3, 4].map((q) => byQi.get(indexOf(Y, q)));
    const have = qs.map((p, i) => (p && p.value !== null ? i + 1 : 0)).filter((q) => q > 0);
    const needed: (QuarterlyPoint | undefined)[] =
      statistic === 'year_end' ? [qs[3]] : statistic === 'fy_total' ? qs : [byQi.get(indexOf(Y, 1) - 1), ...qs];
    const missing = needed.map((p, i) => (p === undefined ? i : -1)).filter((i) => i >= 0);
    if (missing.length > 0) {
      const names = statistic === 'year_end' ? ['Q4 (31 March)'] : statistic === 'fy_total' ? ['Q1', 'Q2', 'Q3', 'Q4'] : [`31 March ${Y - 1}`, 'Q1', 'Q2', 'Q3', 'Q4'];
      partialYears.push({ financialYear: fy, yearEnd: Y, quarters: have, reason: `no value for ${missing.map((i) => names[i]).join(', ')}` });
      continue;
    }
    const ps = needed as QuarterlyPoint[];
    const suppressed = ps.filter((p) => p.value === null);
    let value: number | null;
    let supp: Suppression | undefined;
    if (suppressed.length > 0) {
      value = null;
      const markers = [...new Set(suppressed.map((p) => p.suppressed?.marker ?? 'missing'))].join(', ');
      const uppers = suppressed.map((p) => p.suppressed?.upper);
      const known = ps.filter((p) => p.value !== null).map((p) => p.value as number);
      if (statistic === 'year_end') {
        supp = { marker: markers, ...(uppers[0] !== undefined ? { upper: uppers[0] } : {}) };
      } else if (statistic === 'fy_total' && uppers.every((u): u is number => u !== undefined)) {
        supp = { marker: markers, upper: known.reduce((s, x) => s + x, 0) + uppers.reduce((s, x) => s + x, 0) };
      } else {
        supp = { marker: markers };
      }
    } else if (statistic === 'year_end') {
      value = ps[0].value;
    } else if (statistic === 'fy_total') {
      value = ps.reduce((s, p) => s + (p.value as number), 0);
    } else {
      value = trapezium(ps[0].value as number, ps.slice(1).map((p) => p.value as number));
    }
    const what =
      statistic === 'year_end'
        ? `31 March ${Y}: Q4 ${fy} quarter-end value`
        : statistic === 'fy_total'
          ? `${fy} total: sum of Q1-Q4 (${ps.map((p) => (p.value === null ? p.suppressed?.marker ?? 'null' : String(p.value))).join(' + ')})`
          : `${fy} average: (31 March ${Y - 1}/2 + Q1 + Q2 + Q3 + Q4/2) / 4`;
    points.push({
      year: Y,
      value,
      ...(supp ? { suppressed: supp } : {}),
      provenance: statistic === 'year_end' ? { ...(ps[0].provenance ?? { source: 'quarterly series' }), note: what + (ps[0].provenance?.note ? `; ${ps[0].provenance.note}` : '') } : combineProvenance(ps, what),
    });
  }
  if (partialYears.length > 0) {
    caveats.push(`Left out (incomplete): ${partialYears.map((p) => `${p.financialYear} (${p.reason})`).join('; ')}.`);
  }
  if (series.kind === 'flow') {
    caveats.push('Totals add quarterly counts: a child who starts (or ceases) twice in a year counts twice, while DfE\u2019s annual figures count each child once, so they can be slightly lower.');
  }
  const annual: AnnualSeries = {
    frequency: 'annual',
    measure: statistic === 'fy_average' ? `${series.measure}_fy_average` : series.measure,
    kind: series.kind,
    unit: series.unit,
    breakdown: series.breakdown ?? {},
    area: series.area,
    points,
  };
  return { series: annual, statistic, partialYears, caveats };
}
