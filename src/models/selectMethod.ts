/**
 * Automatic method choice by rolling-origin accuracy.
 *
 * @module
 */
import { fitMethod, minObservations, type MethodOptions } from './registry.js';
import { METHOD_NAMES, type MethodName } from './types.js';

/** Options for {@link selectMethod}. */
export interface SelectMethodOptions {
  /** Candidate methods, in order of preference for ties (default: all, simplest first). */
  readonly candidates?: readonly MethodName[];
  /** Longest forecast step scored (default 3). */
  readonly maxStep?: number;
  /** Per-method options. */
  readonly methodOptions?: MethodOptions;
  /**
   * `'oneSE'` (default): the simplest candidate whose score is within one
   * standard error of the best (the one-standard-error rule: with a handful
   * of out-of-sample errors, a small lead is mostly noise); `'best'`: the
   * lowest score.
   */
  readonly rule?: 'oneSE' | 'best';
}

/** One method's rolling-origin score. */
export interface MethodScore {
  /** The method. */
  readonly method: MethodName;
  /** Mean absolute scaled error over every origin and step scored. */
  readonly mase: number;
  /** Standard error of that mean (Infinity with fewer than two forecasts). */
  readonly se: number;
  /** Number of (origin, step) forecasts scored. */
  readonly forecasts: number;
}

/** The outcome of {@link selectMethod}. */
export interface MethodSelection {
  /** The chosen method. */
  readonly method: MethodName;
  /** Scores of every candidate evaluated, best first. */
  readonly scores: readonly MethodScore[];
  /** Candidates left out because the series is too short for them. */
  readonly excluded: readonly MethodName[];
  /** First and last training lengths used as forecast origins. */
  readonly origins: readonly [number, number] | null;
  /** The rule, in words, as applied. */
  readonly rule: string;
}

/** Preference order for ties: simpler methods first. */
const DEFAULT_ORDER: readonly MethodName[] = ['naive', 'drift', 'linear', 'loglinear', 'dampedTrend', 'repeatGrowth'];

/** One forecast origin of a rolling-origin evaluation. */
export interface OriginForecast {
  /** Training length (the first k observations). */
  readonly k: number;
  /** The training window's mean absolute yearly change (the MASE scale; > 0). */
  readonly scale: number;
  /** Point forecasts for steps 1..min(maxStep, n - k), or `null` when the method could not be fitted. */
  readonly point: readonly number[] | null;
}

/**
 * Rolling-origin point forecasts: for every training length k from `first`
 * to n - 1 whose window changes at all (scale > 0), the forecasts of steps
 * 1..min(`maxStep`, n - k). A fit that throws a `RangeError` (the method
 * cannot fit that window) gives `point: null`; other errors propagate.
 *
 * @param y - the observations, oldest first
 * @param first - the shortest training length
 * @param maxStep - the longest step
 * @param forecastFrom - point forecasts of `steps` periods from a training window
 * @returns one entry per usable origin
 * @example
 * ```ts
 * rollingOrigins([10, 20, 30, 40], 2, 1, (train, steps) => Array(steps).fill(train.at(-1)));
 * // [{ k: 2, scale: 10, point: [20] }, { k: 3, scale: 10, point: [30] }]
 * ```
 */
export function rollingOrigins(
  y: readonly number[],
  first: number,
  maxStep: number,
  forecastFrom: (train: readonly number[], steps: number) => readonly number[],
): OriginForecast[] {
  const out: OriginForecast[] = [];
  for (let k = first; k < y.length; k++) {
    const train = y.slice(0, k);
    let scale = 0;
    for (let i = 1; i < k; i++) scale += Math.abs(train[i] - train[i - 1]);
    scale /= k - 1;
    if (!(scale > 0)) continue;
    const steps = Math.min(maxStep, y.length - k);
    let point: readonly number[] | null;
    try {
      point = forecastFrom(train, steps);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      point = null;
    }
    out.push({ k, scale, point });
  }
  return out;
}

/**
 * Choose a method for a series by rolling-origin accuracy ("time-series
 * cross-validation").
 *
 * The rule: a candidate takes part if the series leaves it at least two
 * forecast origins (n - its minimum length >= 2). All candidates are then
 * scored on the same origins: training on the first k observations for every
 * k from the largest minimum length among them to n - 1, forecasting steps
 * 1..`maxStep` (those that fall inside the data). Each error is scaled by the
 * training window's mean absolute yearly change (as in MASE), and a method's
 * score is the mean over all its scaled errors. The lowest score wins; ties
 * (within 1e-9) go to the simpler method. When no candidate has two origins
 * (fewer than 4 observations), `naive` is chosen: on annual care counts it is
 * the most accurate simple method across English LAs.
 *
 * @param y - the observations, oldest first, no gaps
 * @param options - candidates, steps scored, method options
 * @returns the chosen method with every candidate's score
 * @throws RangeError for fewer than 2 observations or an unknown candidate
 * @example
 * ```ts
 * selectMethod([719, 802, 861, 899, 909, 995, 1057]).method; // e.g. 'drift'
 * ```
 */
export function selectMethod(y: readonly number[], options: SelectMethodOptions = {}): MethodSelection {
  if (y.length < 2) throw new RangeError(`method selection needs at least 2 observations, got ${y.length}`);
  const order = options.candidates ?? DEFAULT_ORDER;
  for (const m of order) if (!METHOD_NAMES.includes(m)) throw new RangeError(`unknown method "${m}"`);
  const maxStep = options.maxStep ?? 3;
  const n = y.length;
  const positive = y.every((v) => v > 0);
  const mins = new Map(order.map((m) => [m, minObservations(m, options.methodOptions)]));
  const candidates = order.filter((m) => n - (mins.get(m) ?? n) >= 2 && (positive || (m !== 'loglinear' && m !== 'repeatGrowth')));
  const excluded = order.filter((m) => !candidates.includes(m));
  if (candidates.length === 0) {
    return {
      method: 'naive',
      scores: [],
      excluded,
      origins: null,
      rule: `only ${n} observations: too few to score methods out of sample, so naive is used`,
    };
  }
  const first = Math.max(...candidates.map((m) => mins.get(m) ?? n));
  const scores: MethodScore[] = candidates.map((method) => {
    let sum = 0;
    let sumSq = 0;
    let count = 0;
    const origins = rollingOrigins(y, first, maxStep, (train, steps) => fitMethod(method, train, options.methodOptions).forecast(steps, { levels: [] }).point);
    for (const { k, scale, point } of origins) {
      if (point === null) {
        sum += Infinity;
        count++;
        continue;
      }
      for (let h = 1; h <= point.length; h++) {
        const e = Math.abs(y[k + h - 1] - point[h - 1]) / scale;
        sum += e;
        sumSq += e * e;
        count++;
      }
    }
    const mase = count > 0 ? sum / count : Infinity;
    const se = count > 1 && Number.isFinite(mase) ? Math.sqrt(Math.max(0, sumSq / count - mase * mase) / (count - 1)) : Infinity;
    return { method, mase, se, forecasts: count };
  });
  const ranked = [...scores].sort((a, b) => (Math.abs(a.mase - b.mase) <= 1e-9 ? order.indexOf(a.method) - order.indexOf(b.method) : a.mase - b.mase));
  const best = ranked[0];
  const rule = options.rule ?? 'oneSE';
  let method: MethodName = Number.isFinite(best.mase) ? best.method : 'naive';
  if (rule === 'oneSE' && Number.isFinite(best.mase)) {
    // the simplest candidate whose score is within one standard error of the best
    const limit = best.mase + (Number.isFinite(best.se) ? best.se : 0);
    const simplest = order.map((m) => scores.find((sc) => sc.method === m)).find((sc) => sc !== undefined && sc.mase <= limit + 1e-12);
    if (simplest) method = simplest.method;
  }
  return {
    method,
    scores: ranked,
    excluded,
    origins: [first, n - 1],
    rule:
      rule === 'oneSE'
        ? `the simplest method whose mean absolute scaled error (1-${maxStep} years ahead, origins ${first}..${n - 1}) is within one standard error of the lowest`
        : `lowest mean absolute scaled error forecasting 1-${maxStep} years ahead from origins ${first}..${n - 1} (training lengths); ties to the simpler method`,
  };
}
