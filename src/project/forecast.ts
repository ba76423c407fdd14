/**
 * The top-level projection: an annual series in, a projection to a target
 * year out, with the method (or automatic choice), intervals, an optional
 * flat band as the seed documents use, and caveats in plain language.
 *
 * @module
 */
import { CarecastInputError } from '../data/errors.js';
import { yearValuesOf, type SeriesInput } from '../data/yearValue.js';
import { selectMethod, type MethodSelection } from '../models/selectMethod.js';
import { checkLevels } from '../models/distribution.js';
import { fitMethod, isMethodName, minObservations, type MethodOptions } from '../models/registry.js';
import type { Distribution, FitDiagnostics, ForecastInterval, MethodName } from '../models/types.js';

/** Options for {@link forecast}. */
export interface ProjectionOptions {
  /** Last year to project (inclusive). Give this or `horizon`. */
  readonly to?: number;
  /** Years to project beyond the last observation. Give this or `to`. */
  readonly horizon?: number;
  /** A method, or `'auto'` (default) to choose by rolling-origin accuracy. */
  readonly method?: MethodName | 'auto';
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

/** The result of {@link forecast}. */
export interface Projection {
  /** The area (LA) the series describes. */
  readonly area: string;
  /** The measure projected, e.g. `children_in_care`. */
  readonly measure: string;
  /** The method used. */
  readonly method: MethodName;
  /** The method asked for (`'auto'` or a method name). */
  readonly requestedMethod: MethodName | 'auto';
  /** How `auto` chose, when it did. */
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
  readonly intervalMethod: 'analytic';
  /** The flat band, when asked for. */
  readonly flatBand?: FlatBand;
  /** The forecast distribution per projected year (before clipping at zero). */
  readonly distributions: readonly Distribution[];
  /** The fit's parameters, residuals and variance. */
  readonly diagnostics: FitDiagnostics;
  /** Plain-language warnings about the data and the projection. */
  readonly caveats: readonly string[];
}

function fail(field: string, message: string, fix: string): never {
  throw new CarecastInputError([{ source: 'forecast options', field, message, fix }]);
}

/**
 * Project an annual series to a target year.
 *
 * Steps: (1) observations before `from` are dropped, missing or suppressed
 * values at the ends are dropped and interior gaps (e.g. a year not
 * published) are filled by straight-line interpolation, which the result
 * reports; (2) the method is fitted, or with `'auto'` chosen by
 * {@link selectMethod}; (3) the model's forecast distributions give the point
 * forecast and the intervals at each level; counts are clipped at zero;
 * (4) the optional flat band is added; (5) caveats explain what the result
 * rests on.
 *
 * @param series - an annual series, or `{ year, value }` pairs
 * @param options - target year or horizon, method, levels, band
 * @returns the projection
 * @throws CarecastInputError for duplicate or non-integer years, negative or
 *   non-finite values, a target year not after the data, a bad level or band,
 *   an unknown method, or a series too short for the method
 * @example
 * ```ts
 * const p = forecast(
 *   [{ year: 2018, value: 719 }, { year: 2019, value: 802 }, { year: 2020, value: 861 },
 *    { year: 2021, value: 899 }, { year: 2022, value: 909 }, { year: 2023, value: 995 }],
 *   { to: 2028, method: 'repeatGrowth', methodOptions: { repeatGrowth: { window: 5, roundPercent: 0 } }, band: 0.05 },
 * );
 * p.point.at(-1); // 1373.1
 * ```
 */
export function forecast(series: SeriesInput, options: ProjectionOptions = {}): Projection {
  const { area, measure, points: all } = yearValuesOf(series);
  const requested = options.method ?? 'auto';
  if (requested !== 'auto' && !isMethodName(requested)) {
    fail('method', `unknown method "${String(requested)}"`, 'use auto, naive, drift, linear, loglinear, dampedTrend or repeatGrowth');
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
  const caveats: string[] = [];
  const usable = all.filter((p) => (options.from === undefined || p.year >= options.from));
  const present = usable.filter((p) => p.value !== null);
  if (present.length === 0) fail('series', `no observed values${options.from ? ` from ${options.from}` : ''}`, 'supply at least two years of data');
  const firstYear = present[0].year;
  const lastYear = present[present.length - 1].year;
  const byYear = new Map(usable.map((p) => [p.year, p.value]));
  const history: HistoryPoint[] = [];
  const imputedYears: number[] = [];
  for (let yr = firstYear; yr <= lastYear; yr++) {
    const v = byYear.get(yr);
    if (v !== undefined && v !== null) {
      history.push({ year: yr, value: v, used: v, imputed: false });
    } else {
      let prev = yr - 1;
      while (byYear.get(prev) === undefined || byYear.get(prev) === null) prev--;
      let next = yr + 1;
      while (byYear.get(next) === undefined || byYear.get(next) === null) next++;
      const a = byYear.get(prev) as number;
      const b = byYear.get(next) as number;
      const used = a + ((b - a) * (yr - prev)) / (next - prev);
      history.push({ year: yr, value: v ?? null, used, imputed: true });
      imputedYears.push(yr);
    }
  }
  if (imputedYears.length > 0) {
    caveats.push(
      `No value for ${imputedYears.join(', ')}: filled by straight-line interpolation between neighbouring years for fitting. ` +
        'The model treats the filled values as observed, so bands are slightly too narrow.',
    );
  }
  const droppedEnds = usable.filter((p) => p.value === null && (p.year < firstYear || p.year > lastYear)).map((p) => p.year);
  if (droppedEnds.length > 0) caveats.push(`No value for ${droppedEnds.join(', ')} at the end of the series: not used.`);

  const horizon = options.to !== undefined ? options.to - lastYear : options.horizon;
  if (horizon === undefined) fail('to', 'neither a target year nor a horizon was given', 'give to (e.g. 2035) or horizon (e.g. 5)');
  if (!Number.isInteger(horizon) || horizon < 1) {
    fail(options.to !== undefined ? 'to' : 'horizon', `the projection must end after the last observed year ${lastYear} (got ${options.to ?? horizon})`, `give a year after ${lastYear}`);
  }
  const y = history.map((h) => h.used);
  let method: MethodName;
  let selection: MethodSelection | undefined;
  if (requested === 'auto') {
    selection = selectMethod(y, { methodOptions: options.methodOptions });
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
  const model = fitMethod(method, y, options.methodOptions);
  const fc = model.forecast(horizon, { levels });
  const years = Array.from({ length: horizon }, (_, i) => lastYear + 1 + i);
  const clip = (v: number): number => Math.max(0, v);
  const clipped = fc.point.some((v) => v < 0) || fc.intervals.some((iv) => iv.lower.some((v) => v < 0));
  if (clipped) caveats.push('The model\u2019s forecast or bands fell below zero in places; they are shown as zero.');
  const point = fc.point.map(clip);
  const intervals = fc.intervals.map((iv) => ({ level: iv.level, lower: iv.lower.map(clip), upper: iv.upper.map(clip) }));
  const n = y.length;
  if (horizon > n) {
    caveats.push(
      `Projecting ${horizon} years ahead from ${n} yearly observations: the bands rest on ${n} points and assume the past pattern holds; treat the later years as a scenario, not a prediction.`,
    );
  } else if (n < 10) {
    caveats.push(`The bands rest on only ${n} yearly observations; with so few, analytic bands tend to be too narrow.`);
  }
  let flatBand: FlatBand | undefined;
  if (options.band !== undefined) {
    const f = options.band;
    flatBand = { fraction: f, lower: point.map((v) => v * (1 - f)), upper: point.map((v) => v * (1 + f)) };
    caveats.push(`The \u00b1${(f * 100).toFixed(f * 100 < 1 ? 1 : 0)}% flat band is a convention, not a probability: it does not widen with the horizon.`);
  }
  return {
    area,
    measure,
    method,
    requestedMethod: requested,
    ...(selection ? { selection } : {}),
    history,
    years,
    point,
    intervals,
    intervalMethod: 'analytic',
    ...(flatBand ? { flatBand } : {}),
    distributions: fc.distributions,
    diagnostics: model.diagnostics,
    caveats,
  };
}
