/**
 * A breakdown's share paths under its fitted dynamics: from the area's
 * last year with every group, the log-ratios move by the chosen model
 * (S0, S1 or S2) plus multivariate normal innovations, and each path's
 * shares are their inverse log-ratio transform, so they are in [0, 1] and
 * add to one (docs/preregistration/issue-13-system-model.md, section 3 and
 * decision 16). Group counts are share x total on each path
 * (`projectSystem`).
 *
 * @module
 */
import { fillNormal, type NormalStream } from '../math/rng.js';
import type { SamplePaths } from '../models/types.js';
import { choleskyLower } from './linalg.js';
import { invAlr, ownDrift, zAt, type ShareData } from './logRatios.js';
import { windowMean } from './meanReversion.js';
import type { ShareDynamics } from './shares.js';

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
