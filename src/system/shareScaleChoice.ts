/**
 * The choice of a breakdown's innovation covariance estimator (classical,
 * exclude, mad) as known at an origin, by the 1-3 year CRPS of held-out
 * shares (docs/preregistration/issue-13-robust-shares.md): every estimator
 * fitted at every inner origin on data up to it, share paths drawn with the
 * same normal draws for each, and a robust estimator chosen only when it
 * beats the classical one by more than one standard error of the paired
 * differences.
 *
 * @module
 */
import { normalStream, streamSeed } from '../math/rng.js';
import { innovationCovariance, SHARE_SCALE_ESTIMATORS, type ShareScaleEstimator } from './innovationCovariance.js';
import { invAlr, zAt, type ShareData } from './logRatios.js';
import { shareStart, simulateShares } from './sharePaths.js';
import type { ShareDynamics, ShareScaleChoice, ShareScaleScore } from './shares.js';

/** Paths per held-out forecast. */
export const SCALE_CHOICE_PATHS = 400;
/** The steps scored. */
const STEPS = 3;
/** The parent seed of the choice's draws. */
const SEED = 13;

/**
 * The CRPS of a sample against `y` (the formula of `crpsSample` in
 * carecast/evaluate, which this layer cannot import): with the sample
 * sorted in place, `(1/n) sum |x_i - y| - (1/n^2) sum (2i - n - 1) x_(i)`.
 */
function sampleCrps(y: number, xs: Float64Array): number {
  const n = xs.length;
  for (let i = 0; i < n; i++) xs[i] -= y;
  xs.sort();
  let abs = 0;
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    abs += Math.abs(xs[i]);
    pairs += (2 * i + 1 - n) * xs[i];
  }
  return Math.max(0, abs / n - pairs / (n * n));
}

/** A breakdown's dynamics as known at an inner origin and the residual rows its covariance rests on. */
export interface InnerFit {
  /** The dynamics at the inner origin (its covariance is replaced by each estimator's). */
  readonly dynamics: ShareDynamics;
  /** The chosen model's one-step residual rows up to the inner origin. */
  readonly rows: readonly (readonly number[])[];
}

/**
 * An area's log-ratios cut at a year (later values unknown).
 *
 * @param d - the area's log-ratios
 * @param upTo - the last year kept
 * @returns the cut data
 * @example
 * ```ts
 * cutShareData(d, 2021).years; // the years up to 2021
 * ```
 */
export function cutShareData(d: ShareData, upTo: number): ShareData {
  const n = Math.max(0, Math.min(upTo - (d.z[0]?.first ?? upTo) + 1, d.z[0]?.values.length ?? 0));
  return { ...d, years: d.years.filter((y) => y <= upTo), z: d.z.map((s) => ({ first: s.first, values: s.values.subarray(0, n) })) };
}

/**
 * The paired one-standard-error rule: for each robust estimator the mean
 * and standard error of its paired differences from `classical`; an
 * estimator is eligible when `mean + SE < 0`, and the eligible one with the
 * lowest mean score is chosen (a tie to the simpler), else `classical`.
 *
 * @param scores - per estimator (in {@link SHARE_SCALE_ESTIMATORS} order), its scores on the shared forecasts
 * @returns the choice and each estimator's score
 * @example
 * ```ts
 * // exclude beats classical by 1 on every forecast (SE 0): chosen; mad's differences (-2, 0): mean -1, SE 1, not eligible
 * pairedOneStandardError([[3, 3], [2, 2], [1, 3]]).estimator; // 'exclude'
 * ```
 */
export function pairedOneStandardError(scores: readonly (readonly number[])[]): { estimator: ShareScaleEstimator; scores: ShareScaleScore[] } {
  const base = scores[0];
  const n = base.length;
  const mean = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
  const out: ShareScaleScore[] = SHARE_SCALE_ESTIMATORS.map((estimator, e) => {
    if (n === 0) return { estimator, crps: null, diff: null, se: null };
    if (e === 0) return { estimator, crps: mean(base), diff: null, se: null };
    const d = scores[e].map((x, i) => x - base[i]);
    const dbar = mean(d);
    const sq = mean(d.map((x) => x * x));
    const se = n > 1 ? Math.sqrt(Math.max(0, sq - dbar * dbar) / (n - 1)) : null; // one forecast: no SE, not eligible
    return { estimator, crps: mean(scores[e]), diff: dbar, se };
  });
  let chosen: ShareScaleScore = out[0];
  for (const s of out.slice(1)) {
    if (s.diff === null || s.se === null || s.crps === null || !(s.diff + s.se < 0)) continue;
    if (chosen.estimator === 'classical' || s.crps < (chosen.crps as number) - 1e-12) chosen = s;
  }
  return { estimator: chosen.estimator, scores: out };
}

/**
 * Choose a breakdown's innovation covariance estimator as known at
 * `origin` (docs/preregistration/issue-13-robust-shares.md): forecasts from
 * every inner origin `o < origin` of every area with a value at `o` and at
 * least 2 years up to it, steps 1-3 with a value at `o + h <= origin`;
 * each estimator's covariance of the rows `fitAt(o)` gives; 400 share
 * paths per forecast with the same draws for every estimator; the score of
 * a forecast the mean over groups of the CRPS of the share (percentage
 * points); then {@link pairedOneStandardError}. No forecast: `classical`.
 *
 * @param areas - every area's log-ratios
 * @param origin - the last year used
 * @param label - the dimension's name, for messages
 * @param fitAt - the chosen model's dynamics and residual rows as known at an inner origin (`null`: none)
 * @returns the choice (the rows excluded are the fit's to record)
 * @example
 * ```ts
 * chooseShareScale(areas, 2024, 'provider', (o) => innerFit(o)).estimator; // 'classical', 'exclude' or 'mad'
 * ```
 */
export function chooseShareScale(areas: readonly ShareData[], origin: number, label: string, fitAt: (o: number) => InnerFit | null): Omit<ShareScaleChoice, 'excluded'> {
  const k = areas[0]?.groups.length ?? 0;
  const j = k - 1;
  const years = [...new Set(areas.flatMap((d) => d.years.filter((y) => y < origin)))].sort((a, b) => a - b);
  const scores: number[][] = SHARE_SCALE_ESTIMATORS.map(() => []);
  const act = new Float64Array(k);
  const col = new Float64Array(SCALE_CHOICE_PATHS);
  for (const o of years) {
    let dyns: ShareDynamics[] | null = null;
    let tried = false;
    for (let i = 0; i < areas.length; i++) {
      const d = areas[i];
      if (!zAt(d, o) || d.years.filter((y) => y <= o).length < 2) continue;
      const steps: number[] = [];
      for (let h = 1; h <= STEPS && o + h <= origin; h++) if (zAt(d, o + h)) steps.push(h);
      if (steps.length === 0) continue;
      if (!tried) {
        tried = true;
        const fit = fitAt(o);
        if (fit && fit.rows.length > 0) dyns = SHARE_SCALE_ESTIMATORS.map((e) => ({ ...fit.dynamics, covariance: innovationCovariance(fit.rows, j, label, e).covariance }));
      }
      if (!dyns) break;
      const cut = cutShareData(d, o);
      const start = shareStart(cut, dyns[0]);
      if (!start) continue;
      const seed = streamSeed(streamSeed(SEED, o), i);
      const sims = dyns.map((dyn) => simulateShares(start, dyn, o, SCALE_CHOICE_PATHS, STEPS, normalStream(seed)));
      for (const h of steps) {
        invAlr(zAt(d, o + h) as Float64Array, d.ref, act);
        sims.forEach((sim, e) => {
          let s = 0;
          for (let g = 0; g < k; g++) {
            const v = sim[g].values;
            for (let p = 0; p < SCALE_CHOICE_PATHS; p++) col[p] = 100 * v[p * STEPS + h - 1];
            s += sampleCrps(100 * act[g], col);
          }
          scores[e].push(s / k);
        });
      }
    }
  }
  const n = scores[0].length;
  if (n === 0) {
    return {
      estimator: 'classical',
      scores: SHARE_SCALE_ESTIMATORS.map((estimator) => ({ estimator, crps: null, diff: null, se: null })),
      forecasts: 0,
      rule: `no forecast 1-${STEPS} years ahead can be scored up to ${origin}: classical`,
    };
  }
  const r = pairedOneStandardError(scores);
  const fmt = (s: ShareScaleScore): string => `${s.estimator} ${(s.crps as number).toFixed(3)}${s.diff === null ? '' : ` (${s.diff >= 0 ? '+' : ''}${s.diff.toFixed(3)} \u00b1 ${s.se === null ? 'n/a' : s.se.toFixed(3)})`}`;
  return {
    estimator: r.estimator,
    scores: r.scores,
    forecasts: n,
    rule:
      `the estimator with the lowest mean CRPS of the shares (percentage points, ${n} forecasts 1-${STEPS} years ahead up to ${origin}, each fitted as known at its origin) ` +
      `among those better than classical by more than one standard error of the paired differences, else classical: ${r.scores.map(fmt).join('; ')}`,
  };
}
