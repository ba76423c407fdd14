/**
 * Mean reversion pooled over a panel: the dynamics of the flow rates and
 * of share model S1 (docs/preregistration/issue-13-system-model.md,
 * section 2 and decisions 4-5):
 *
 * `y_{i,t} - y_{i,t-1} = beta (m_{i,t-1} - y_{i,t-1}) + e_{i,t}`,
 *
 * with `m_{i,t-1}` the mean of the series' own values over the calendar
 * years `t-5 .. t-1` that have one. A transition `t` is used when `y_{t-1}`
 * and `y_t` are known and at least 2 of the years `t-5 .. t-1` are; beta
 * is the least-squares slope through the origin, clamped to [0, 1].
 *
 * @module
 */

/** A yearly series held by year: `values[t - first]`, `NaN` where unknown. */
export interface YearlySeries {
  /** The first year held. */
  readonly first: number;
  /** Values per year from `first`, `NaN` where unknown. */
  readonly values: Float64Array;
}

/** One transition of a series: the change and the gap to its own recent mean. */
export interface Transition {
  /** The year t of `y_t`. */
  readonly year: number;
  /** `y_t - y_{t-1}`. */
  readonly dy: number;
  /** `m_{t-1} - y_{t-1}`. */
  readonly gap: number;
}

/** The years a window mean looks back over: the last 5 up to and including the year. */
export const MEAN_WINDOW = 5;

/**
 * The value of a series in a year (`NaN` when unknown or outside it).
 *
 * @param s - the series
 * @param year - the year
 * @returns the value or `NaN`
 * @example
 * ```ts
 * valueAt({ first: 2020, values: Float64Array.from([1, 2]) }, 2021); // 2
 * ```
 */
export function valueAt(s: YearlySeries, year: number): number {
  const i = year - s.first;
  return i >= 0 && i < s.values.length ? s.values[i] : Number.NaN;
}

/**
 * The mean of a series over the years `to - 4 .. to` that have a value.
 *
 * @param s - the series
 * @param to - the last year of the window
 * @returns the mean and how many years it rests on (`NaN` and 0 when none)
 * @example
 * ```ts
 * windowMean({ first: 2019, values: Float64Array.from([1, NaN, 3]) }, 2021); // { mean: 2, n: 2 }
 * ```
 */
export function windowMean(s: YearlySeries, to: number): { mean: number; n: number } {
  let sum = 0;
  let n = 0;
  for (let y = to - MEAN_WINDOW + 1; y <= to; y++) {
    const v = valueAt(s, y);
    if (!Number.isNaN(v)) {
      sum += v;
      n++;
    }
  }
  return { mean: n > 0 ? sum / n : Number.NaN, n };
}

/**
 * The usable transitions of a series up to a year (decision 4).
 *
 * @param s - the series
 * @param upTo - the last year t used
 * @returns the transitions, oldest first
 * @example
 * ```ts
 * transitions({ first: 2019, values: Float64Array.from([1, 3, 2]) }, 2021); // [{ year: 2021, dy: -1, gap: -1 }]
 * ```
 */
export function transitions(s: YearlySeries, upTo: number): Transition[] {
  const out: Transition[] = [];
  const last = Math.min(upTo, s.first + s.values.length - 1);
  for (let t = s.first + 2; t <= last; t++) {
    const y0 = valueAt(s, t - 1);
    const y1 = valueAt(s, t);
    if (Number.isNaN(y0) || Number.isNaN(y1)) continue;
    const w = windowMean(s, t - 1);
    if (w.n < 2) continue;
    out.push({ year: t, dy: y1 - y0, gap: w.mean - y0 });
  }
  return out;
}

/** A pooled beta and what it rests on. */
export interface BetaFit {
  /** beta clamped to [0, 1] (`NaN` when it cannot be fitted). */
  readonly beta: number;
  /** The unclamped least-squares slope. */
  readonly raw: number;
  /** Transitions it rests on. */
  readonly rows: number;
}

/**
 * beta by least squares through the origin, `sum(dy gap) / sum(gap^2)`,
 * clamped to [0, 1] (decision 5).
 *
 * @param rows - the pooled transitions
 * @returns the fit (`NaN` when there is no row or every gap is 0)
 * @example
 * ```ts
 * fitBeta([{ year: 2021, dy: 1, gap: 2 }, { year: 2022, dy: -1, gap: -1 }]).beta; // (2 + 1) / (4 + 1) = 0.6
 * ```
 */
export function fitBeta(rows: readonly Transition[]): BetaFit {
  let sxy = 0;
  let sxx = 0;
  for (const r of rows) {
    sxy += r.dy * r.gap;
    sxx += r.gap * r.gap;
  }
  if (!(sxx > 0)) return { beta: Number.NaN, raw: Number.NaN, rows: rows.length };
  const raw = sxy / sxx;
  return { beta: Math.min(1, Math.max(0, raw)), raw, rows: rows.length };
}

/**
 * The root mean square of values (the residual SD about 0 of the pooled
 * fits, whose shocks have mean zero).
 *
 * @param values - the values
 * @returns `sqrt(mean(v^2))`, `NaN` for none
 * @example
 * ```ts
 * rootMeanSquare([3, -4]); // sqrt(12.5)
 * ```
 */
export function rootMeanSquare(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v * v;
  return values.length > 0 ? Math.sqrt(s / values.length) : Number.NaN;
}
