/**
 * The shares of a breakdown (placement, provider, age, or any groups):
 * additive log-ratios against a reference group, and the three candidate
 * dynamics the system model chooses between by evidence
 * (docs/preregistration/issue-13-system-model.md, section 3):
 *
 * - **S0**, random walk: `z_{t+1} = z_t + e`;
 * - **S1**, mean reversion to the area's own mean of its last 5 years:
 *   `z_{t+1} = z_t + beta_g (m - z_t) + e`, one pooled beta per log-ratio;
 * - **S2**, random walk plus a damped drift: the own drift shrunk toward
 *   the panel's, `c = w d + (1 - w) D`, `z_{T+h} = z_{T+h-1} + c phi^h + e`.
 *
 * The innovations `e` are multivariate normal with the pooled, shrunk
 * covariance of the chosen model's one-step residuals. Shares are the
 * inverse log-ratio transform, so every path's shares are in [0, 1] and
 * add to one; group counts are share x total on each path.
 *
 * The fit and the choice are in `shareFit.ts`.
 *
 * @module
 */
import { fillNormal, type NormalStream } from '../math/rng.js';
import type { SamplePaths } from '../models/types.js';
import type { GroupTable } from './groupTable.js';
import { valueAt, windowMean, type YearlySeries } from './meanReversion.js';

/** The share dynamics: S0 (random walk), S1 (mean reversion), S2 (random walk with a damped drift). */
export type ShareModel = 'S0' | 'S1' | 'S2';

/** The candidates, simplest first. */
export const SHARE_MODELS: readonly ShareModel[] = ['S0', 'S1', 'S2'];

/** How one candidate scored in the choice. */
export interface ShareModelScore {
  /** The candidate. */
  readonly model: ShareModel;
  /** Mean absolute error of the shares, in percentage points, over the shared forecasts (`null`: not a candidate at the origin). */
  readonly mae: number | null;
  /** Its standard error. */
  readonly se: number | null;
}

/**
 * One breakdown's fitted dynamics: JSON-serialisable (part of a
 * {@link "carecast/system"!SystemDynamics}). Log-ratio parameters are in
 * the order of `logRatios`.
 */
export interface ShareDynamics {
  /** The groups, in order. */
  readonly groups: readonly string[];
  /** The reference group of the log-ratios. */
  readonly reference: string;
  /** The groups with a log-ratio (every group but the reference), in order. */
  readonly logRatios: readonly string[];
  /** Groups reported as sums of groups (e.g. `residential`: homes and secure + independent and supported). */
  readonly derived: Readonly<Record<string, readonly string[]>>;
  /** The chosen model. */
  readonly model: ShareModel;
  /** The candidates' scores. */
  readonly scores: readonly ShareModelScore[];
  /** Forecasts the choice rests on (steps 1-3, shared by the candidates). */
  readonly forecasts: number;
  /** The rule that chose, in words. */
  readonly rule: string;
  /** S1's beta per log-ratio (`null` when S1 could not be fitted). */
  readonly beta: readonly number[] | null;
  /** S2's weight of the own drift. */
  readonly w: number;
  /** S2's damping. */
  readonly phi: number;
  /** S2's panel drift per log-ratio at the origin. */
  readonly panelDrift: readonly number[];
  /** The innovation covariance (shrunk), log-ratio x log-ratio. */
  readonly covariance: readonly (readonly number[])[];
  /** The shrinkage intensity used. */
  readonly lambda: number;
  /** One-step residual rows the covariance rests on. */
  readonly rows: number;
  /** Areas with at least one year of the breakdown. */
  readonly areas: number;
}

/** An area's breakdown as log-ratios by year. */
export interface ShareData {
  /** The groups, in order. */
  readonly groups: readonly string[];
  /** Index of the reference group. */
  readonly ref: number;
  /** One series per log-ratio (group order without the reference). */
  readonly z: readonly YearlySeries[];
  /** The years with every group, ascending. */
  readonly years: readonly number[];
}

/**
 * Shares from log-ratios: `s_g = exp(z_g) / (1 + sum exp(z_j))`, the
 * reference at `z = 0` (shifted by the largest log-ratio where `exp`
 * could overflow).
 *
 * @param z - the log-ratios (length k - 1)
 * @param ref - the reference group's index
 * @param out - the shares (length k), written
 * @example
 * ```ts
 * const s = new Float64Array(2);
 * invAlr(Float64Array.from([0]), 0, s); // [0.5, 0.5]
 * ```
 */
export function invAlr(z: ArrayLike<number>, ref: number, out: Float64Array): void {
  const k = out.length;
  let max = 0;
  for (let c = 0; c < k - 1; c++) if (z[c] > max) max = z[c];
  // shift by the largest log-ratio only where exp could overflow (it changes no share)
  const shift = max > 700 ? max : 0;
  let sum = shift === 0 ? 1 : Math.exp(-shift);
  out[ref] = sum;
  let c = 0;
  for (let g = 0; g < k; g++) {
    if (g === ref) continue;
    const v = Math.exp(z[c++] - shift);
    out[g] = v;
    sum += v;
  }
  const inv = 1 / sum;
  for (let g = 0; g < k; g++) out[g] *= inv;
}

/**
 * An area's breakdown as log-ratios against the reference group, counts of
 * 0 taken as 0.5 (section 3).
 *
 * @param table - the breakdown's history
 * @param reference - the reference group (one of the table's groups)
 * @returns the log-ratio series
 * @example
 * ```ts
 * const d = shareData(groupTable('provider', groups), 'in_house');
 * d.z[0].values; // log(external / in_house) per year
 * ```
 */
export function shareData(table: GroupTable, reference: string): ShareData {
  const ref = table.groups.indexOf(reference);
  if (ref < 0) throw new RangeError(`reference group ${reference} is not one of ${table.groups.join(', ')}`);
  const k = table.groups.length;
  const years = table.years.map((y) => y.year);
  const first = years.length > 0 ? years[0] : 0;
  const n = years.length > 0 ? years[years.length - 1] - first + 1 : 0;
  const z = Array.from({ length: k - 1 }, () => new Float64Array(n).fill(Number.NaN));
  for (const y of table.years) {
    const c = y.counts.map((v) => (v > 0 ? v : 0.5));
    let col = 0;
    for (let g = 0; g < k; g++) if (g !== ref) z[col++][y.year - first] = Math.log(c[g] / c[ref]);
  }
  return { groups: table.groups, ref, z: z.map((values) => ({ first, values })), years };
}

/**
 * The log-ratios of an area in a year (`null` when unknown).
 *
 * @param d - the area's log-ratios
 * @param year - the year
 * @returns the vector, or `null`
 * @example
 * ```ts
 * zAt(d, 2024); // Float64Array of k - 1 log-ratios
 * ```
 */
export function zAt(d: ShareData, year: number): Float64Array | null {
  const out = new Float64Array(d.z.length);
  for (let c = 0; c < d.z.length; c++) {
    const v = valueAt(d.z[c], year);
    if (Number.isNaN(v)) return null;
    out[c] = v;
  }
  return d.z.length === 0 ? null : out;
}

/**
 * An area's own drift of each log-ratio at year `o`: `(z_o - z_a) / (o - a)`,
 * `a` the earliest year with a value in `o-5 .. o-1` (decision 13).
 *
 * @param d - the area's log-ratios
 * @param o - the year
 * @returns the drifts, or `null` when the area has no earlier year in the window (or no value at `o`)
 * @example
 * ```ts
 * ownDrift(d, 2024); // e.g. [0.03, -0.01, ...]
 * ```
 */
export function ownDrift(d: ShareData, o: number): Float64Array | null {
  const zo = zAt(d, o);
  if (!zo) return null;
  for (let a = o - 5; a < o; a++) {
    const za = zAt(d, a);
    if (!za) continue;
    for (let c = 0; c < zo.length; c++) za[c] = (zo[c] - za[c]) / (o - a);
    return za;
  }
  return null;
}

/** The damped sum phi + phi^2 + ... + phi^h. */
function dampedSum(phi: number, h: number): number {
  let s = 0;
  let p = 1;
  for (let j = 1; j <= h; j++) {
    p *= phi;
    s += p;
  }
  return s;
}

/** The parameters a candidate forecasts with, as fitted at one origin. */
export interface CandidateParams {
  /** S1's beta per log-ratio (`null`: S1 not fitted). */
  readonly beta: readonly number[] | null;
  /** S2's (w, phi). */
  readonly w: number;
  /** S2's damping. */
  readonly phi: number;
  /** S2's panel drift per log-ratio at the origin. */
  readonly panelDrift: readonly number[];
}

/**
 * A candidate's point log-ratios `h` steps after year `o` (S0: `z_o`; S1:
 * `m + (1 - beta)^h (z_o - m)`; S2: `z_o + c (phi + ... + phi^h)`).
 *
 * @param model - the candidate
 * @param d - the area's log-ratios
 * @param o - the origin (the area has a value there)
 * @param h - steps ahead
 * @param params - the candidate parameters fitted at `o`
 * @param out - the log-ratios, written
 * @returns `false` when the candidate cannot forecast (S1 not fitted)
 * @example
 * ```ts
 * const z = new Float64Array(3);
 * candidatePoint('S1', d, 2021, 2, params, z);
 * ```
 */
export function candidatePoint(model: ShareModel, d: ShareData, o: number, h: number, params: CandidateParams, out: Float64Array): boolean {
  const zo = zAt(d, o);
  if (!zo) return false;
  if (model === 'S0') {
    out.set(zo);
    return true;
  }
  if (model === 'S1') {
    if (!params.beta) return false;
    for (let c = 0; c < zo.length; c++) {
      const m = windowMean(d.z[c], o).mean;
      out[c] = m + (1 - params.beta[c]) ** h * (zo[c] - m);
    }
    return true;
  }
  const dr = ownDrift(d, o);
  const sum = dampedSum(params.phi, h);
  for (let c = 0; c < zo.length; c++) {
    const D = params.panelDrift[c];
    const cc = dr ? params.w * dr[c] + (1 - params.w) * D : D;
    out[c] = zo[c] + cc * sum;
  }
  return true;
}

/** Where an area's share paths start under fitted dynamics. */
export interface ShareStart {
  /** The last year with every group. */
  readonly year: number;
  /** The log-ratios that year. */
  readonly z: Float64Array;
  /** S1: the own means over its last 5 years. */
  readonly mean: Float64Array;
  /** S2: the combined drift `c`. */
  readonly drift: Float64Array;
}

/**
 * An area's start for simulation (section 3, decision 16).
 *
 * @param d - the area's log-ratios
 * @param dyn - the fitted dynamics
 * @returns the start, or `null` when the area has no year with every group
 * @example
 * ```ts
 * shareStart(shareData(table, 'fostering'), dynamics.dimensions.placement)?.year; // 2024
 * ```
 */
export function shareStart(d: ShareData, dyn: ShareDynamics): ShareStart | null {
  if (d.years.length === 0) return null;
  const year = d.years[d.years.length - 1];
  const z = zAt(d, year) as Float64Array;
  const mean = new Float64Array(z.length);
  for (let c = 0; c < z.length; c++) mean[c] = windowMean(d.z[c], year).mean;
  const dr = ownDrift(d, year);
  const drift = new Float64Array(z.length);
  for (let c = 0; c < z.length; c++) drift[c] = dr ? dyn.w * dr[c] + (1 - dyn.w) * dyn.panelDrift[c] : dyn.panelDrift[c];
  return { year, z, mean, drift };
}

/**
 * The lower Cholesky factor of a covariance matrix (row-major), with zero
 * rows and columns for variables without variance.
 *
 * @param cov - the covariance
 * @returns L with `L L' = cov` (up to rounding), or `null` when not positive semi-definite
 * @example
 * ```ts
 * choleskyLower([[4, 2], [2, 2]]); // [2, 0, 1, 1]
 * ```
 */
export function choleskyLower(cov: readonly (readonly number[])[]): Float64Array | null {
  const j = cov.length;
  const L = new Float64Array(j * j);
  for (let r = 0; r < j; r++) {
    for (let c = 0; c <= r; c++) {
      let s = cov[r][c];
      for (let k = 0; k < c; k++) s -= L[r * j + k] * L[c * j + k];
      if (r === c) {
        if (s < -1e-12 * Math.max(1, cov[r][r])) return null;
        L[r * j + r] = s > 0 ? Math.sqrt(s) : 0;
      } else L[r * j + c] = L[c * j + c] > 0 ? s / L[c * j + c] : 0;
    }
  }
  return L;
}

/**
 * Simulate an area's share paths for `horizon` years after `stockYear`
 * (steps between the area's start and `stockYear` are simulated and not
 * returned).
 *
 * @param start - the area's start
 * @param dyn - the fitted dynamics
 * @param stockYear - the last observed stock year T (at or after the start)
 * @param paths - number of paths
 * @param horizon - years after T
 * @param stream - the random stream (moved on)
 * @returns one share path set per group (in `dyn.groups` order)
 * @example
 * ```ts
 * const s = simulateShares(start, dyn, 2024, 1000, 10, normalStream(seed));
 * s[0].values; // the first group's share per path and year
 * ```
 */
export function simulateShares(start: ShareStart, dyn: ShareDynamics, stockYear: number, paths: number, horizon: number, stream: NormalStream): SamplePaths[] {
  const k = dyn.groups.length;
  const j = k - 1;
  const ref = dyn.groups.indexOf(dyn.reference);
  const K = stockYear + horizon - start.year;
  const off = stockYear - start.year;
  const L = choleskyLower(dyn.covariance) ?? new Float64Array(j * j);
  const u = new Float64Array(paths * K * j);
  fillNormal(stream, u);
  const out = dyn.groups.map(() => new Float64Array(paths * horizon));
  const z = new Float64Array(j);
  const s = new Float64Array(k);
  const model = dyn.model;
  const beta = dyn.beta ?? new Array<number>(j).fill(0);
  const phi = dyn.phi;
  for (let p = 0; p < paths; p++) {
    z.set(start.z);
    let damp = 1;
    for (let step = 0; step < K; step++) {
      const base = (p * K + step) * j;
      damp *= phi;
      for (let r = 0; r < j; r++) {
        let e = 0;
        const row = r * j;
        for (let c = 0; c <= r; c++) e += L[row + c] * u[base + c];
        if (model === 'S1') z[r] += beta[r] * (start.mean[r] - z[r]) + e;
        else if (model === 'S2') z[r] += start.drift[r] * damp + e;
        else z[r] += e;
      }
      const h = step - off;
      if (h < 0) continue;
      invAlr(z, ref, s);
      const at = p * horizon + h;
      for (let g = 0; g < k; g++) out[g][at] = s[g];
    }
  }
  return out.map((values) => ({ paths, horizon, values }));
}
