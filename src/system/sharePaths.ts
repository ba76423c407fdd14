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
import { choleskyLower } from '../math/linalg.js';
import { ownDrift, zAt, type ShareData } from './logRatios.js';
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
  const ez = new Float64Array(j);
  // z_r += a_r (m_r - z_r) + d_r phi^step + e_r: a = beta under S1, d = the drift under S2, else 0
  // (adding the zero terms changes no value), so one loop serves every model
  const a = new Float64Array(j);
  const d = new Float64Array(j);
  const m = Float64Array.from(start.mean);
  for (let r = 0; r < j; r++) {
    if (dyn.model === 'S1') a[r] = dyn.beta?.[r] ?? 0;
    if (dyn.model === 'S2') d[r] = start.drift[r];
    if (!Number.isFinite(m[r])) m[r] = 0;
  }
  // the groups other than the reference, in log-ratio order
  const others = dyn.groups.flatMap((_, g) => (g === ref ? [] : [out[g]]));
  const refOut = out[ref];
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
        z[r] += a[r] * (m[r] - z[r]) + d[r] * damp + e;
      }
      const h = step - off;
      if (h < 0) continue;
      // shares: the inverse log-ratio transform (invAlr), written out; shifted only where exp could overflow
      let max = 0;
      for (let r = 0; r < j; r++) if (z[r] > max) max = z[r];
      const shift = max > 700 ? max : 0;
      let sum = shift === 0 ? 1 : Math.exp(-shift);
      const refV = sum;
      for (let r = 0; r < j; r++) {
        const v = Math.exp(z[r] - shift);
        ez[r] = v;
        sum += v;
      }
      const inv = 1 / sum;
      const at = p * horizon + h;
      refOut[at] = refV * inv;
      for (let r = 0; r < j; r++) others[r][at] = ez[r] * inv;
    }
  }
  return out.map((values) => ({ paths, horizon, values }));
}
