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
 * The innovations `e` are multivariate normal with the pooled covariance of
 * the chosen model's one-step residuals, by the estimator the evidence
 * chose (classical, exclude or mad: `innovationCovariance.ts`,
 * `shareScaleChoice.ts`). Here: the models,
 * their fitted parameters and their point forecasts; the log-ratios are in
 * `logRatios.ts`, the fit and the choice in `shareFit.ts`, the paths in
 * `sharePaths.ts`.
 *
 * @module
 */
import { ownDrift, zAt, type ShareData } from './logRatios.js';
import { windowMean } from './meanReversion.js';
import type { ShareScaleEstimator } from './innovationCovariance.js';

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

/** How one estimator scored in the choice. */
export interface ShareScaleScore {
  /** The estimator. */
  readonly estimator: ShareScaleEstimator;
  /** Mean CRPS of the groups' shares, percentage points, over the shared forecasts (`null`: nothing scored). */
  readonly crps: number | null;
  /** Mean paired difference from `classical` (`null` for `classical` itself or nothing scored). */
  readonly diff: number | null;
  /** Its standard error. */
  readonly se: number | null;
}

/** The estimator chosen for a breakdown's innovations and the evidence. */
export interface ShareScaleChoice {
  /** The estimator used. */
  readonly estimator: ShareScaleEstimator;
  /** Each estimator's score (empty when forced). */
  readonly scores: readonly ShareScaleScore[];
  /** Forecasts the choice rests on. */
  readonly forecasts: number;
  /** The rule that chose, in words. */
  readonly rule: string;
  /** Residual rows left out of the covariance as reclassifications (`exclude` only; else 0). */
  readonly excluded: number;
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
  /** The innovation covariance's estimator and the evidence that chose it (docs/preregistration/issue-13-robust-shares.md). */
  readonly scale: ShareScaleChoice;
  /** One-step residual rows the covariance rests on. */
  readonly rows: number;
  /** Areas with at least one year of the breakdown. */
  readonly areas: number;
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

