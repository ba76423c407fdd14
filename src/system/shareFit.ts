/**
 * Fitting a breakdown's share dynamics on a panel as known at an origin,
 * and choosing between S0, S1 and S2 by evidence
 * (docs/preregistration/issue-13-system-model.md, section 3 and decisions
 * 11-15). The candidates and their simulation are in `shares.ts`.
 *
 * @module
 */
import { CarecastInputError } from '../data/errors.js';
import { trimmedMean } from '../models/global/shared.js';
import { PANEL_GROWTH_PHI_GRID, PANEL_GROWTH_W_GRID } from '../models/global/panelGrowth.js';
import { fitBeta, transitions } from './meanReversion.js';
import { innovationCovariance, type ShareScaleEstimator } from './innovationCovariance.js';
import { chooseShareScale, type InnerFit } from './shareScaleChoice.js';
import { invAlr, ownDrift, zAt, type ShareData } from './logRatios.js';
import { candidatePoint, SHARE_MODELS, type CandidateParams, type ShareDynamics, type ShareModel, type ShareModelScore } from './shares.js';

/** The longest step of S2's rolling-origin fit (as panelGrowth's). */
const S2_MAX_STEP = 8;
/** The steps the choice scores. */
const CHOICE_STEPS = 3;

function yearsWithData(areas: readonly ShareData[], before: number): number[] {
  const ys = new Set<number>();
  for (const d of areas) for (const y of d.years) if (y < before) ys.add(y);
  return [...ys].sort((a, b) => a - b);
}

function countUpTo(d: ShareData, o: number): number {
  let n = 0;
  for (const y of d.years) if (y <= o) n++;
  return n;
}

/**
 * S1's pooled beta per log-ratio as known at `origin` (`null` when a
 * log-ratio has no usable transition).
 *
 * @param areas - every area's log-ratios
 * @param origin - the last year used
 * @returns the betas
 * @example
 * ```ts
 * fitS1(areas, 2024); // e.g. [0.41, 0.37, 0.52]
 * ```
 */
export function fitS1(areas: readonly ShareData[], origin: number): number[] | null {
  const j = areas[0]?.z.length ?? 0;
  const beta: number[] = [];
  for (let c = 0; c < j; c++) {
    const b = fitBeta(areas.flatMap((d) => transitions(d.z[c], origin))).beta;
    if (Number.isNaN(b)) return null;
    beta.push(b);
  }
  return beta;
}

/**
 * The panel's drift of each log-ratio at year `o`: the 10% trimmed mean of
 * the own drifts of the areas with a value at `o` (0 where none has one).
 *
 * @param areas - every area's log-ratios
 * @param o - the year
 * @returns the drift per log-ratio
 * @example
 * ```ts
 * panelDriftAt(areas, 2024); // e.g. [0.02, -0.01, 0.004]
 * ```
 */
export function panelDriftAt(areas: readonly ShareData[], o: number): number[] {
  const j = areas[0]?.z.length ?? 0;
  const cols: number[][] = Array.from({ length: j }, () => []);
  for (const d of areas) {
    const dr = ownDrift(d, o);
    if (dr) for (let c = 0; c < j; c++) cols[c].push(dr[c]);
  }
  return cols.map((v) => (v.length > 0 ? trimmedMean(v) : 0));
}

/**
 * S2's `(w, phi)` as known at `origin` by rolling origin (decision 13):
 * inner origins `o < origin` leaving an area at least 4 years, steps 1-8
 * with `o + h <= origin`, the loss the pooled mean absolute error of the
 * shares in percentage points; panelGrowth's grids and tie-breaks.
 *
 * @param areas - every area's log-ratios
 * @param origin - the last year used
 * @returns `w`, `phi`, the panel drift at the origin and the forecasts the fit rests on
 * @example
 * ```ts
 * fitS2(areas, 2024); // { w: 0.35, phi: 0.8, panelDrift: [...], forecasts: 2104, loss: 1.9 }
 * ```
 */
export function fitS2(areas: readonly ShareData[], origin: number): { w: number; phi: number; panelDrift: number[]; forecasts: number; loss: number | null } {
  const j = areas[0]?.z.length ?? 0;
  const k = j + 1;
  const recZ: Float64Array[] = [];
  const recG: Float64Array[] = []; // own drift minus panel drift (0 where no own drift)
  const recD: number[][] = [];
  const recH: number[] = [];
  const recS: Float64Array[] = [];
  const recRef: number[] = [];
  for (const o of yearsWithData(areas, origin)) {
    const D = panelDriftAt(areas, o);
    for (const d of areas) {
      const zo = zAt(d, o);
      if (!zo || countUpTo(d, o) < 4) continue;
      const dr = ownDrift(d, o);
      for (let h = 1; h <= S2_MAX_STEP && o + h <= origin; h++) {
        const zt = zAt(d, o + h);
        if (!zt) continue;
        const s = new Float64Array(k);
        invAlr(zt, d.ref, s);
        const g = new Float64Array(j);
        if (dr) for (let c = 0; c < j; c++) g[c] = dr[c] - D[c];
        recZ.push(zo);
        recG.push(g);
        recD.push(D);
        recH.push(h);
        recS.push(s);
        recRef.push(d.ref);
      }
    }
  }
  const n = recZ.length;
  const panelDrift = panelDriftAt(areas, origin);
  if (n === 0) return { w: 0, phi: 1, panelDrift, forecasts: 0, loss: null };
  const anyLater = recH.some((h) => h >= 2);
  const phiGrid = anyLater ? [...PANEL_GROWTH_PHI_GRID].sort((a, b) => b - a) : [1];
  let best = { w: 0, phi: 1, loss: Infinity };
  const z = new Float64Array(j);
  const s = new Float64Array(k);
  for (const phi of phiGrid) {
    const sums = [0];
    for (let h = 1, p = 1, acc = 0; h <= S2_MAX_STEP; h++) {
      p *= phi;
      acc += p;
      sums.push(acc);
    }
    for (const w of PANEL_GROWTH_W_GRID) {
      let loss = 0;
      for (let i = 0; i < n; i++) {
        const S = sums[recH[i]];
        const zo = recZ[i];
        const D = recD[i];
        const g = recG[i];
        for (let c = 0; c < j; c++) z[c] = zo[c] + (D[c] + w * g[c]) * S;
        invAlr(z, recRef[i], s);
        let e = 0;
        const act = recS[i];
        for (let c = 0; c < k; c++) e += Math.abs(s[c] - act[c]);
        loss += (100 * e) / k;
      }
      loss /= n;
      if (loss < best.loss - 1e-9) best = { w, phi, loss };
    }
  }
  return { w: best.w, phi: best.phi, panelDrift, forecasts: n, loss: best.loss };
}

/** A placeholder choice for the inner fits (their covariance is each estimator's). */
const NO_SCALE_CHOICE: ShareDynamics['scale'] = { estimator: 'classical', scores: [], forecasts: 0, rule: '', excluded: 0 };

/** The candidates' parameters as known at `o`. */
function paramsAt(areas: readonly ShareData[], o: number): CandidateParams {
  const s2 = fitS2(areas, o);
  return { beta: fitS1(areas, o), w: s2.w, phi: s2.phi, panelDrift: s2.panelDrift };
}

/**
 * The choice between S0, S1 and S2 as known at `origin` (decision 14):
 * each candidate fitted at every inner origin on data up to it, forecasts
 * 1-3 steps ahead, the mean over groups of the absolute share error in
 * percentage points per forecast, and the simplest candidate within one
 * standard error of the lowest.
 *
 * @param areas - every area's log-ratios
 * @param origin - the last year used
 * @param candidates - the candidates fitted at the origin
 * @returns the chosen model, the scores, the forecasts shared and the rule
 * @example
 * ```ts
 * chooseShareModel(areas, 2024, ['S0', 'S1', 'S2']).model; // e.g. 'S1'
 * ```
 */
export function chooseShareModel(areas: readonly ShareData[], origin: number, candidates: readonly ShareModel[]): { model: ShareModel; scores: ShareModelScore[]; forecasts: number; rule: string } {
  const j = areas[0]?.z.length ?? 0;
  const k = j + 1;
  const errors: number[][] = candidates.map(() => []);
  const z = new Float64Array(j);
  const s = new Float64Array(k);
  const act = new Float64Array(k);
  const cache = new Map<number, CandidateParams>();
  for (const o of yearsWithData(areas, origin)) {
    for (const d of areas) {
      if (!zAt(d, o) || countUpTo(d, o) < 2) continue;
      for (let h = 1; h <= CHOICE_STEPS && o + h <= origin; h++) {
        const zt = zAt(d, o + h);
        if (!zt) continue;
        let params = cache.get(o);
        if (!params) {
          params = paramsAt(areas, o);
          cache.set(o, params);
        }
        invAlr(zt, d.ref, act);
        const row: number[] = [];
        for (const m of candidates) {
          if (!candidatePoint(m, d, o, h, params, z)) break;
          invAlr(z, d.ref, s);
          let e = 0;
          for (let c = 0; c < k; c++) e += Math.abs(s[c] - act[c]);
          row.push((100 * e) / k);
        }
        if (row.length === candidates.length) row.forEach((e, i) => errors[i].push(e));
      }
    }
  }
  const n = errors[0]?.length ?? 0;
  if (n === 0) {
    return {
      model: 'S0',
      scores: SHARE_MODELS.map((model) => ({ model, mae: null, se: null })),
      forecasts: 0,
      rule: `no forecast 1-${CHOICE_STEPS} years ahead can be scored up to ${origin}: S0 (random walk), the simplest`,
    };
  }
  const { chosen, best, scores } = oneStandardError(candidates, errors);
  return {
    model: chosen,
    scores,
    forecasts: n,
    rule:
      `the simplest of ${candidates.join(', ')} whose mean absolute share error (percentage points, ${n} forecasts 1-${CHOICE_STEPS} years ahead up to ${origin}, ` +
      `each candidate fitted as known at its origin) is within one standard error of the lowest (${best.model} ${best.mae.toFixed(3)} \u00b1 ${best.se.toFixed(3)})`,
  };
}

/**
 * The choice rule (decision 14): each candidate's mean error and its
 * standard error over the same forecasts (`sqrt((mean(e^2) - mean(e)^2) /
 * (n - 1))`, as panelEvidence's), and the simplest candidate (in the order
 * S0, S1, S2) whose mean is within one standard error of the lowest (the
 * lowest's standard error); ties of the lowest go to the simpler.
 *
 * @param candidates - the candidates, any order
 * @param errors - per candidate, its errors on the shared forecasts (same length)
 * @returns the chosen model, the best, and every model's score (`null` for non-candidates)
 * @example
 * ```ts
 * oneStandardError(['S0', 'S2'], [[1, 3], [1, 2]]).chosen; // 'S0': 2 is within 1.5 + 0.5 of S2's 1.5
 * ```
 */
export function oneStandardError(
  candidates: readonly ShareModel[],
  errors: readonly (readonly number[])[],
): { chosen: ShareModel; best: { model: ShareModel; mae: number; se: number }; scores: ShareModelScore[] } {
  const scored = candidates.map((model, i) => {
    const e = errors[i];
    const n = e.length;
    const mean = e.reduce((a, b) => a + b, 0) / n;
    const sq = e.reduce((a, b) => a + b * b, 0) / n;
    const se = n > 1 ? Math.sqrt(Math.max(0, sq - mean * mean) / (n - 1)) : Infinity;
    return { model, mae: mean, se };
  });
  const order = (m: ShareModel): number => SHARE_MODELS.indexOf(m);
  const best = [...scored].sort((a, b) => (Math.abs(a.mae - b.mae) <= 1e-12 ? order(a.model) - order(b.model) : a.mae - b.mae))[0];
  const limit = best.mae + (Number.isFinite(best.se) ? best.se : 0);
  const chosen = [...scored].sort((a, b) => order(a.model) - order(b.model)).find((x) => x.mae <= limit + 1e-12) ?? best;
  const scores = SHARE_MODELS.map((model) => scored.find((x) => x.model === model) ?? { model, mae: null, se: null });
  return { chosen: chosen.model, best, scores };
}

/** The chosen model's one-step residual rows at `origin` (decisions 13, 15). */
function residualRows(areas: readonly ShareData[], origin: number, model: ShareModel, params: CandidateParams): number[][] {
  const j = areas[0]?.z.length ?? 0;
  const rows: number[][] = [];
  const driftCache = new Map<number, number[]>();
  const D = (y: number): number[] => {
    let v = driftCache.get(y);
    if (!v) driftCache.set(y, (v = panelDriftAt(areas, y)));
    return v;
  };
  for (const d of areas) {
    if (model === 'S1') {
      const beta = params.beta as readonly number[];
      const tr = d.z.map((series) => transitions(series, origin));
      for (let i = 0; i < tr[0].length; i++) rows.push(tr.map((t, c) => t[i].dy - beta[c] * t[i].gap));
      continue;
    }
    for (const t of d.years) {
      if (t > origin) continue;
      const z0 = zAt(d, t - 1);
      const z1 = zAt(d, t);
      if (!z0 || !z1) continue;
      const r = new Array<number>(j);
      if (model === 'S0') for (let c = 0; c < j; c++) r[c] = z1[c] - z0[c];
      else {
        const dr = ownDrift(d, t - 1);
        const Dt = D(t - 1);
        for (let c = 0; c < j; c++) r[c] = z1[c] - z0[c] - (dr ? params.w * dr[c] + (1 - params.w) * Dt[c] : Dt[c]) * params.phi;
      }
      rows.push(r);
    }
  }
  return rows;
}

/**
 * Fit a breakdown's share dynamics on a panel as known at `origin`: S1's
 * betas, S2's `(w, phi)` and panel drift, the choice between them, and the
 * chosen model's innovation covariance.
 *
 * @param areas - every area's log-ratios (same groups and reference)
 * @param origin - the last year used
 * @param label - the dimension's name, for messages
 * @param derived - groups reported as sums of groups
 * @param scale - the innovation covariance's estimator, or `'evidence'` (the default) to choose it by the
 *   1-3 year CRPS of held-out shares as known at the origin (docs/preregistration/issue-13-robust-shares.md)
 * @returns the dynamics
 * @throws CarecastInputError when no two consecutive years have every group
 * @example
 * ```ts
 * const dyn = fitShareDynamics(areas, 2024, 'provider');
 * dyn.model; // 'S0', 'S1' or 'S2'
 * ```
 */
export function fitShareDynamics(
  areas: readonly ShareData[],
  origin: number,
  label: string,
  derived: Readonly<Record<string, readonly string[]>> = {},
  scale: ShareScaleEstimator | 'evidence' = 'evidence',
): ShareDynamics {
  const first = areas[0];
  if (!first) throw new CarecastInputError([{ source: `${label} dynamics`, field: 'areas', message: 'no area has this breakdown', fix: 'give the breakdown for at least one area' }]);
  const j = first.z.length;
  const beta = fitS1(areas, origin);
  const s2 = fitS2(areas, origin);
  const candidates = SHARE_MODELS.filter((m) => m !== 'S1' || beta !== null);
  const choice = chooseShareModel(areas, origin, candidates);
  const params: CandidateParams = { beta, w: s2.w, phi: s2.phi, panelDrift: s2.panelDrift };
  const rows = residualRows(areas, origin, choice.model, params);
  const base = {
    groups: [...first.groups],
    reference: first.groups[first.ref],
    logRatios: first.groups.filter((_, g) => g !== first.ref),
    derived,
    model: choice.model,
  };
  // the chosen model as known at an inner origin o, for the estimator's choice
  const fitAt = (o: number): InnerFit | null => {
    // S0 uses no parameter: skip fitting S1 and S2 at o
    const p: CandidateParams = choice.model === 'S0' ? { beta: null, w: 0, phi: 1, panelDrift: new Array<number>(j).fill(0) } : paramsAt(areas, o);
    if (choice.model === 'S1' && p.beta === null) return null;
    const r = residualRows(areas, o, choice.model, p);
    if (r.length === 0) return null;
    const dynamics: ShareDynamics = { ...base, scores: [], forecasts: 0, rule: '', ...p, covariance: [], lambda: 0, scale: NO_SCALE_CHOICE, rows: r.length, areas: 0 };
    return { dynamics, rows: r };
  };
  const chosen =
    scale === 'evidence'
      ? chooseShareScale(areas, origin, label, fitAt)
      : { estimator: scale, scores: [], forecasts: 0, rule: `${scale}, as asked` };
  const { covariance, lambda, excluded } = innovationCovariance(rows, j, label, chosen.estimator);
  return {
    groups: [...first.groups],
    reference: first.groups[first.ref],
    logRatios: first.groups.filter((_, g) => g !== first.ref),
    derived,
    model: choice.model,
    scores: choice.scores,
    forecasts: choice.forecasts,
    rule: choice.rule,
    beta,
    w: s2.w,
    phi: s2.phi,
    panelDrift: s2.panelDrift,
    covariance,
    lambda,
    scale: { ...chosen, excluded },
    rows: rows.length,
    areas: areas.filter((d) => d.years.some((y) => y <= origin)).length,
  };
}
