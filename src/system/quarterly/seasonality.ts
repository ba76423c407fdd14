/**
 * Whether a quarterly series has a seasonal pattern: an F test of quarter effects (on differences, or around a trend).
 *
 * Part of the quarterly tools (`periods.ts`, `history.ts`, `seasonality.ts`,
 * `forecast.ts`, `toAnnual.ts`, `annualHistory.ts`).
 *
 * @module
 */
import { incompleteBeta } from '../../math/studentT.js';
import { MIN_QUARTERS_FOR_SEASONALITY } from './periods.js';

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
