/**
 * `panelAR`: a pooled dynamic regression on log growths, fitted on every
 * series of the panel at once with `ml-regression`'s
 * `MultivariateLinearRegression`, and forecast recursively.
 *
 * @module
 */
import {
  bandSdAt,
  eligibleAt,
  lastYearOf,
  logNormalForecast,
  logRunStart,
  logScaleAt,
  MAX_STEP,
  median,
  stepBands,
  type GlobalBands,
  type PanelAROptions,
  type PanelARParams,
  type SeriesWindow,
} from './shared.js';
import { multivariateLinearRegression } from './mlRegression.js';

/** The fewest rows with which the regression is fitted (pre-registered). */
export const PANEL_AR_MIN_ROWS = 30;

/**
 * Whether a design (with an intercept column added) has full column rank:
 * the cross-product matrix scaled to unit diagonal is reduced by Gaussian
 * elimination with partial pivoting, and every pivot must exceed 1e-10.
 *
 * @param x - the design rows, without the intercept
 * @returns `true` when the columns (and the intercept) are linearly independent
 */
export function fullRank(x: readonly (readonly number[])[]): boolean {
  const p = (x[0]?.length ?? 0) + 1;
  const a = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (const row of x) {
    const r = [...row, 1];
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) a[i][j] += r[i] * r[j];
  }
  const d = a.map((row, i) => Math.sqrt(row[i]));
  if (d.some((v) => !(v > 0))) return false;
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) a[i][j] /= d[i] * d[j];
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
    if (!(Math.abs(a[piv][c]) > 1e-10)) return false;
    [a[c], a[piv]] = [a[piv], a[c]];
    for (let r = c + 1; r < p; r++) {
      const f = a[r][c] / a[c][c];
      for (let k = c; k < p; k++) a[r][k] -= f * a[c][k];
    }
  }
  return true;
}

/** The log run of a window's values up to `end` as growths: `d[j]` = l_j - l_{j-1} for j in the run (index relative to the run start; `d[0]` undefined). */
function growthsOf(used: readonly number[], end: number): { start: number; d: number[] } {
  const start = logRunStart(used, end);
  const d: number[] = [Number.NaN];
  for (let j = start + 1; j <= end; j++) d.push(Math.log(used[j]) - Math.log(used[j - 1]));
  return { start, d };
}

/**
 * The regression rows of one series: for each t whose two lagged growths
 * exist, `[d_{t-1}, d_{t-2}, m_{t-1}]` (without m when `seriesEffect` is
 * false) and the response `d_t`, `m_{t-1}` the mean of the series' growths
 * up to t-1.
 *
 * @param used - the values, gaps filled
 * @param end - the last index used
 * @param seriesEffect - whether to include m
 * @returns the rows and responses
 */
export function panelARRows(used: readonly number[], end: number, seriesEffect = true): { x: number[][]; y: number[] } {
  const { d } = growthsOf(used, end);
  const x: number[][] = [];
  const y: number[] = [];
  let sum = 0;
  for (let t = 1; t < d.length; t++) {
    if (t >= 3) {
      const m = sum / (t - 1);
      x.push(seriesEffect ? [d[t - 1], d[t - 2], m] : [d[t - 1], d[t - 2]]);
      y.push(d[t]);
    }
    sum += d[t];
  }
  return { x, y };
}

/** Recursive log-growth forecast: from the last two growths and the mean of all growths so far (`count` of them). */
function recurse(ar: PanelARParams, d1: number, d2: number, mean: number, count: number, steps: number): number[] {
  const out: number[] = [];
  let a = d1;
  let b = d2;
  let m = mean;
  let k = count;
  let cum = 0;
  for (let h = 1; h <= steps; h++) {
    const next = ar.intercept + ar.b1 * a + ar.b2 * b + (ar.c ?? 0) * m;
    cum += next;
    out.push(cum);
    b = a;
    a = next;
    m = (m * k + next) / (k + 1);
    k++;
  }
  return out;
}

/**
 * Fit `panelAR` on a panel cut at `origin`.
 *
 * The rule (pre-registered): `d_{i,t} = l_t - l_{t-1}`; OLS of
 * `d_{i,t} = a + b1 d_{i,t-1} + b2 d_{i,t-2} + c m_{i,t-1} + e` on every row
 * (eligible series i, t <= T) whose two lagged growths exist, `m_{i,t-1}`
 * the mean of series i's growths up to t-1; fitted with `ml-regression`'s
 * `MultivariateLinearRegression`; with fewer than 30 rows (or, decided in
 * implementation, a rank-deficient design) it is not fitted and every
 * series is forecast by naive.
 *
 * The bands: the fitted rule run recursively from every earlier origin of
 * every eligible series that leaves at least 4 years (steps 1-8 with a
 * published value by T), its log errors divided by the series' mean
 * absolute log yearly change up to that origin, pooled per step
 * ({@link stepBands}).
 *
 * @param windows - the panel's series cut at the origin, gaps filled
 * @param origin - the origin T
 * @param options - whether to include the series effect
 * @returns the regression and the bands
 */
export function fitPanelAR(windows: readonly SeriesWindow[], origin: number, options: PanelAROptions = {}): { ar: PanelARParams; bands: GlobalBands } {
  const seriesEffect = options.seriesEffect ?? true;
  const eligible = windows.filter((w) => eligibleAt(w.used, w.used.length - 1));
  const x: number[][] = [];
  const y: number[] = [];
  for (const w of eligible) {
    const r = panelARRows(w.used, w.used.length - 1, seriesEffect);
    x.push(...r.x);
    y.push(...r.y);
  }
  const scales = eligible.filter((w) => lastYearOf(w) === origin).map((w) => logScaleAt(w.used, w.used.length - 1)).filter((s) => s > 0);
  const panelLogScale = scales.length > 0 ? median(scales) : Number.NaN;
  const unfitted = (reason: string): { ar: PanelARParams; bands: GlobalBands } => ({
    ar: { fitted: false, reason, intercept: 0, b1: 0, b2: 0, c: seriesEffect ? 0 : null, rows: x.length, residualSd: Number.NaN },
    bands: stepBands([], panelLogScale, 'no fitted rule: naive forecasts'),
  });
  if (x.length < PANEL_AR_MIN_ROWS) return unfitted(`${x.length} regression rows up to ${origin}, fewer than ${PANEL_AR_MIN_ROWS}`);
  if (!fullRank(x)) return unfitted(`the regressors up to ${origin} are collinear (with rows from too few years, m is a combination of the lagged growths)`);
  const Mlr = multivariateLinearRegression();
  const reg = new Mlr(x, y.map((v) => [v]), { intercept: true, statistics: false });
  const wts = reg.weights.map((r) => r[0]);
  const intercept = wts[wts.length - 1];
  let ss = 0;
  for (let i = 0; i < x.length; i++) {
    let f = intercept;
    for (let j = 0; j < x[i].length; j++) f += wts[j] * x[i][j];
    ss += (y[i] - f) ** 2;
  }
  const ar: PanelARParams = {
    fitted: true,
    intercept,
    b1: wts[0],
    b2: wts[1],
    c: seriesEffect ? wts[2] : null,
    rows: x.length,
    residualSd: Math.sqrt(ss / (x.length - wts.length)),
  };
  // the bands: the fitted rule from every earlier origin of every eligible series
  const byStep: number[][] = Array.from({ length: MAX_STEP }, () => []);
  for (const w of eligible) {
    const end = w.used.length - 1;
    const { start, d } = growthsOf(w.used, end);
    let sum = 0;
    for (let t = 1; t < d.length; t++) {
      sum += d[t];
      const o = start + t; // index of the origin
      if (t < 3 || !w.observed[o]) continue; // origins leaving at least 4 years, as panelGrowth's
      const sg = logScaleAt(w.used, o); // as known at that origin
      if (!(sg > 0)) continue;
      const steps = Math.min(MAX_STEP, end - o);
      if (steps < 1) continue;
      const path = recurse(ar, d[t], d[t - 1], sum / t, t, steps);
      const l = Math.log(w.used[o]);
      for (let h = 1; h <= steps; h++) {
        if (!w.observed[o + h]) continue;
        byStep[h - 1].push((Math.log(w.used[o + h]) - (l + path[h - 1])) / sg);
      }
    }
  }
  return { ar, bands: stepBands(byStep, panelLogScale, `the fitted regression run from every earlier origin of the ${eligible.length} eligible series (in sample, from origins leaving at least 4 years; log errors divided by each series' mean absolute log yearly change up to that origin)`) };
}

/**
 * Whether an eligible series has what `panelAR` needs to forecast it: at
 * least 3 values in its trailing log run (two growths).
 *
 * @param used - the values, gaps filled
 * @returns `null` when it has, else the reason
 */
export function panelARUnusable(used: readonly number[]): string | null {
  const end = used.length - 1;
  return end - logRunStart(used, end) >= 2 ? null : 'only 2 years: panelAR needs two yearly growths';
}

/**
 * Forecast one eligible series with a fitted `panelAR`.
 *
 * @param used - the values, gaps filled (eligible, at least two growths)
 * @param ar - the fitted regression
 * @param bands - the fit's bands
 * @param horizon - steps ahead
 * @param levels - interval levels
 * @param logFactor - per step, a log factor to add (rates)
 * @returns point, distributions, intervals and the series' own quantities
 */
export function forecastPanelAR(
  used: readonly number[],
  ar: PanelARParams,
  bands: GlobalBands,
  horizon: number,
  levels: readonly number[],
  logFactor: readonly number[] = [],
): ReturnType<typeof logNormalForecast> & { params: Record<string, number> } {
  const end = used.length - 1;
  const { d } = growthsOf(used, end);
  const t = d.length - 1;
  let sum = 0;
  for (let j = 1; j <= t; j++) sum += d[j];
  const path = recurse(ar, d[t], d[t - 1], sum / t, t, horizon);
  const l = Math.log(used[end]);
  const own = logScaleAt(used, end);
  const sigma = own > 0 ? own : bands.panelLogScale > 0 ? bands.panelLogScale : 0;
  const means = path.map((p) => l + p);
  const sds = path.map((_, i) => bandSdAt(bands, i + 1) * sigma);
  return {
    ...logNormalForecast(means, sds, levels, logFactor),
    params: { last: used[end], lastGrowth: d[t], previousGrowth: d[t - 1], seriesEffect: sum / t, intercept: ar.intercept, b1: ar.b1, b2: ar.b2, c: ar.c ?? 0, logScale: sigma },
  };
}
