/**
 * `panelGrowth`: each series' log growth shrunk toward the panel's, damped
 * far ahead, with the shrinkage weight and the damping fitted once per
 * origin for the whole panel by rolling origin on data known at the origin.
 *
 * @module
 */
import { CarecastInputError } from '../../data/errors.js';
import {
  bandSdAt,
  countScaleAt,
  eligibleAt,
  lastYearOf,
  logNormalForecast,
  logScaleAt,
  MAX_STEP,
  median,
  ownGrowth,
  stepBands,
  trimmedMean,
  type GlobalBands,
  type PanelGrowthOptions,
  type PanelGrowthParams,
  type SeriesWindow,
} from './shared.js';

/** The pre-registered grid of w: 0, 0.05, ..., 1. */
export const PANEL_GROWTH_W_GRID: readonly number[] = Array.from({ length: 21 }, (_, i) => i / 20);
/** The pre-registered grid of phi. */
export const PANEL_GROWTH_PHI_GRID: readonly number[] = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1];

/** The damped sum phi + phi^2 + ... + phi^h. */
export function dampedSum(phi: number, h: number): number {
  let s = 0;
  let p = 1;
  for (let j = 1; j <= h; j++) {
    p *= phi;
    s += p;
  }
  return s;
}

/**
 * The panel growth at an origin year: the 10% trimmed mean of the own log
 * growths of every eligible series with a value at that year (`null`
 * when none is eligible).
 *
 * @param windows - the panel's series (cut at or after the year)
 * @param year - the origin
 * @returns `G` and the number of series it rests on
 */
export function panelGrowthAt(windows: readonly SeriesWindow[], year: number): { G: number; n: number } | null {
  const g: number[] = [];
  for (const w of windows) {
    const end = year - w.first;
    if (end < 0 || end >= w.used.length || !w.observed[end]) continue;
    if (eligibleAt(w.used, end)) g.push(ownGrowth(w.used, end));
  }
  return g.length === 0 ? null : { G: trimmedMean(g), n: g.length };
}

function check(options: PanelGrowthOptions): void {
  const problems = [];
  if (options.w !== undefined && !(options.w >= 0 && options.w <= 1)) problems.push({ source: 'panelGrowth options', field: 'w', message: `w must be in [0, 1], got ${options.w}`, fix: 'e.g. w: 1 (no shrinkage) or leave it out to fit it' });
  if (options.phi !== undefined && !(options.phi > 0 && options.phi <= 1)) problems.push({ source: 'panelGrowth options', field: 'phi', message: `phi must be in (0, 1], got ${options.phi}`, fix: 'e.g. phi: 1 (no damping) or leave it out to fit it' });
  if (problems.length > 0) throw new CarecastInputError(problems);
}

/**
 * Fit `panelGrowth` on a panel cut at `origin`.
 *
 * The rule (pre-registered): own growth `g_i = (l_T - l_{T-k}) / k`,
 * `k = min(5, n_i - 1)`; panel growth `G_T` the 10% trimmed mean of the
 * eligible series' `g`; combined `c_i = w g_i + (1 - w) G_T`; forecast
 * `l_{T+h} = l_T + c_i (phi + ... + phi^h)`. (w, phi) minimise the pooled
 * MASE of the same rule's forecasts from every earlier origin o (a year
 * with a value) that leaves the series at least 4 training years, steps
 * 1-8 with o + h <= T and a published value at o + h, G recomputed at each
 * o; w in 0, 0.05, ..., 1, phi in 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1;
 * ties (within 1e-9) to the larger phi, then the smaller w; phi = 1 when no
 * step >= 2 is available; w = 0, phi = 1 with no origin at all.
 *
 * The bands: the same forecasts' log errors at the chosen (w, phi), each
 * divided by the series' mean absolute log yearly change up to o (as known
 * at that origin), pooled per step ({@link stepBands}).
 *
 * @param windows - the panel's series cut at the origin, gaps filled
 * @param origin - the origin T
 * @param options - w or phi fixed instead of fitted
 * @returns the parameters and the bands
 * @throws CarecastInputError for a fixed w or phi out of range
 */
export function fitPanelGrowth(windows: readonly SeriesWindow[], origin: number, options: PanelGrowthOptions = {}): { growth: PanelGrowthParams; bands: GlobalBands } {
  check(options);
  // the forecasts of every earlier origin, as plain columns
  const lo: number[] = [];
  const g: number[] = [];
  const G: number[] = [];
  const scale: number[] = [];
  const step: number[] = [];
  const actual: number[] = [];
  const sigma: number[] = [];
  const origins: number[] = [];
  const years = new Set<number>();
  for (const w of windows) for (let j = 0; j < w.used.length; j++) if (w.observed[j] && w.first + j < origin) years.add(w.first + j);
  for (const o of [...years].sort((a, b) => a - b)) {
    const at = panelGrowthAt(windows, o);
    if (!at) continue;
    let used = false;
    for (const w of windows) {
      const end = o - w.first;
      if (end < 3 || end >= w.used.length || !w.observed[end]) continue; // at least 4 training years
      if (!eligibleAt(w.used, end)) continue;
      const sc = countScaleAt(w.used, end);
      if (!(sc > 0)) continue;
      const l = Math.log(w.used[end]);
      const gi = ownGrowth(w.used, end);
      const sg = logScaleAt(w.used, end); // as known at o, as the series' own scale is known at T when its band is made
      for (let h = 1; h <= MAX_STEP && o + h <= origin; h++) {
        const t = end + h;
        if (t >= w.used.length || !w.observed[t]) continue;
        lo.push(l);
        g.push(gi);
        G.push(at.G);
        scale.push(sc);
        step.push(h);
        actual.push(w.used[t]);
        sigma.push(sg);
        used = true;
      }
    }
    if (used) origins.push(o);
  }
  const n = lo.length;
  const anyLater = step.some((h) => h >= 2);
  const wGrid = options.w !== undefined ? [options.w] : n === 0 ? [0] : PANEL_GROWTH_W_GRID;
  const phiGrid = options.phi !== undefined ? [options.phi] : n === 0 || !anyLater ? [1] : [...PANEL_GROWTH_PHI_GRID].sort((a, b) => b - a);
  let best = { w: wGrid[0], phi: phiGrid[0], loss: Infinity };
  if (n > 0) {
    const sums = new Float64Array(MAX_STEP + 1);
    const loss = new Float64Array(wGrid.length);
    // on the regular grid w = i / 20, exp(l + (G + w (g - G)) S) = exp(l + G S) r^i with r = exp((g - G) S / 20)
    const regular = wGrid.length === PANEL_GROWTH_W_GRID.length;
    for (const phi of phiGrid) {
      for (let h = 1; h <= MAX_STEP; h++) sums[h] = dampedSum(phi, h);
      loss.fill(0);
      for (let i = 0; i < n; i++) {
        const S = sums[step[i]];
        const y = actual[i];
        const inv = 1 / scale[i];
        if (regular) {
          let v = Math.exp(lo[i] + G[i] * S);
          const r = Math.exp(((g[i] - G[i]) * S) / 20);
          for (let k = 0; k < loss.length; k++) {
            loss[k] += Math.abs(v - y) * inv;
            v *= r;
          }
        } else {
          for (let k = 0; k < loss.length; k++) loss[k] += Math.abs(Math.exp(lo[i] + (wGrid[k] * g[i] + (1 - wGrid[k]) * G[i]) * S) - y) * inv;
        }
      }
      for (let k = 0; k < loss.length; k++) {
        const l = loss[k] / n;
        // phi descending, w ascending: the first of tied values is the larger phi, then the smaller w
        if (l < best.loss - 1e-9) best = { w: wGrid[k], phi, loss: l };
      }
    }
  }
  const { w, phi } = best;
  // the bands: the chosen rule's standardised log errors per step
  const byStep: number[][] = Array.from({ length: MAX_STEP }, () => []);
  for (let i = 0; i < n; i++) {
    if (!(actual[i] >= 1) || !(sigma[i] > 0)) continue;
    const mean = lo[i] + (w * g[i] + (1 - w) * G[i]) * dampedSum(phi, step[i]);
    byStep[step[i] - 1].push((Math.log(actual[i]) - mean) / sigma[i]);
  }
  const atOrigin = panelGrowthAt(windows, origin);
  const scales = windows.filter((x) => lastYearOf(x) === origin && eligibleAt(x.used, x.used.length - 1)).map((x) => logScaleAt(x.used, x.used.length - 1)).filter((s) => s > 0);
  const fittedW = options.w === undefined && n > 0;
  const fittedPhi = options.phi === undefined && n > 0 && anyLater;
  const rule =
    n === 0
      ? `no earlier origin leaves 4 training years and a later value by ${origin}: w = ${w}, phi = ${phi} (the panel's growth, undamped)`
      : `(w, phi) with the lowest pooled MASE (${best.loss.toFixed(4)}) of ${n} forecasts from origins ${origins[0]}-${origins[origins.length - 1]}, steps 1-${Math.max(...step)} up to ${origin}` +
        `${fittedW ? '' : `; w fixed at ${w}`}${fittedPhi ? '' : `; phi fixed at ${phi}${options.phi === undefined ? ' (no step of 2 or more yet)' : ''}`}`;
  return {
    growth: {
      w,
      phi,
      panelGrowth: atOrigin?.G ?? 0,
      fitted: { w: fittedW, phi: fittedPhi },
      origins,
      forecasts: n,
      loss: n > 0 ? best.loss : null,
      rule: atOrigin ? rule : `${rule}; no eligible series at ${origin}, so the panel growth is taken as 0`,
    },
    bands: stepBands(byStep, scales.length > 0 ? median(scales) : Number.NaN, `the ${n} rolling-origin forecasts of the rule from origins before ${origin} (log errors divided by each series' mean absolute log yearly change up to its origin)`),
  };
}

/**
 * Forecast one eligible series with fitted `panelGrowth` parameters, from
 * its last value.
 *
 * @param used - the series' values, gaps filled, eligible
 * @param params - w, phi and the panel growth
 * @param bands - the fit's bands
 * @param horizon - steps ahead
 * @param levels - interval levels
 * @param logFactor - per step, a log factor to add (rates: log of the projected population / 10,000)
 * @returns point, distributions, intervals and the series' own quantities
 */
export function forecastPanelGrowth(
  used: readonly number[],
  params: Pick<PanelGrowthParams, 'w' | 'phi' | 'panelGrowth'>,
  bands: GlobalBands,
  horizon: number,
  levels: readonly number[],
  logFactor: readonly number[] = [],
): ReturnType<typeof logNormalForecast> & { params: Record<string, number> } {
  const end = used.length - 1;
  const l = Math.log(used[end]);
  const gi = ownGrowth(used, end);
  const c = params.w * gi + (1 - params.w) * params.panelGrowth;
  const own = logScaleAt(used, end);
  const sigma = own > 0 ? own : bands.panelLogScale > 0 ? bands.panelLogScale : 0;
  const means: number[] = [];
  const sds: number[] = [];
  for (let h = 1; h <= horizon; h++) {
    means.push(l + c * dampedSum(params.phi, h));
    sds.push(bandSdAt(bands, h) * sigma);
  }
  return { ...logNormalForecast(means, sds, levels, logFactor), params: { last: used[end], ownGrowth: gi, growth: c, w: params.w, phi: params.phi, panelGrowth: params.panelGrowth, logScale: sigma } };
}
