/**
 * Automatic method choice by rolling-origin accuracy.
 *
 * @module
 */
import { fitMethod, isGlobalMethodName, minObservations, type MethodOptions } from './registry.js';
import { METHOD_NAMES, type AnyMethodName, type MethodName } from './types.js';

/** Options for {@link selectMethod}. */
export interface SelectMethodOptions {
  /** Candidate methods, in order of preference for ties (default: all, simplest first: {@link SIMPLICITY_ORDER}). */
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
  /**
   * Evidence pooled over many series (e.g. every LA's backtest, from
   * `panelEvidence`): when it recommends a fixed method and the series is
   * long enough for it, that method is used instead of the series' own
   * choice (the series' own scores are still computed and returned).
   */
  readonly evidence?: PanelEvidence;
  /**
   * `false`: when `evidence` fixes a method (a global one, or one this series
   * can use), do not score the series' own choice: `scores` is then empty,
   * `origins` `null`, and the rule says the own choice was not scored (for a
   * global method `method` is `'naive'`, the stand-in where a series is not
   * eligible for it). The choice is the same; only the scores kept for
   * reference are skipped, which makes a whole panel of projections fast.
   * Default `true`.
   */
  readonly ownScores?: boolean;
}

/** The pooled rolling-origin accuracy of one strategy in a {@link PanelEvidence}. */
export interface StrategyScore {
  /** A method (single-series or global), or `'auto'` (each series choosing its own method by {@link selectMethod}). */
  readonly strategy: AnyMethodName | 'auto';
  /** Mean absolute scaled error over the forecasts common to every strategy compared. */
  readonly mase: number;
  /** Standard error of that mean. */
  readonly se: number;
}

/**
 * Which strategy forecast best across a panel of series (cross-learning):
 * every candidate method used for every series, and `'auto'` (each series
 * choosing by its own rolling-origin errors), scored on the same pooled
 * out-of-sample forecasts. Made by `panelEvidence`; read by
 * {@link selectMethod} and `forecast({ method: 'auto', evidence })`.
 *
 * @example
 * ```ts
 * const evidence: PanelEvidence = loadDfeEvidence();
 * evidence.method;   // what forecast LA totals best across every DfE LA, e.g. 'panelGrowth'
 * forecast(series, { to: 2030, method: 'auto', evidence });
 * ```
 */
export interface PanelEvidence {
  /** Always `'panelEvidence'`. */
  readonly kind: 'panelEvidence';
  /** The recommended strategy: a method for every series (a global one is applied with its panel's fit by `forecast`), or `'auto'` (let each series choose). */
  readonly method: AnyMethodName | 'auto';
  /** Every strategy compared, lowest MASE first. */
  readonly scores: readonly StrategyScore[];
  /** Strategies left out because they had forecasts for too few of the reference's (e.g. too short series). */
  readonly excluded: readonly (AnyMethodName | 'auto')[];
  /** Number of (area, origin, step) forecasts each score rests on (the same for all). */
  readonly forecasts: number;
  /** Number of areas those forecasts come from. */
  readonly areas: number;
  /** The latest target year whose errors were used (`null` when not limited). */
  readonly asOf: number | null;
  /** The longest step scored. */
  readonly maxStep: number;
  /** Where the errors come from, in words. */
  readonly source: string;
  /** The rule, in words, as applied. */
  readonly rule: string;
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
  /** The panel evidence given, when it was. */
  readonly evidence?: PanelEvidence;
}

/**
 * Every method in order of simplicity (the order the one-standard-error
 * rule and ties prefer): the single-series methods, then the global ones
 * (pre-registered for issue 12: panelGrowth, panelAR, panelGrowthRate,
 * panelARRate). Per-series `auto` chooses among the single-series ones
 * only (a global method needs a panel); panel evidence (`panelEvidence`)
 * ranks them all, with per-series `'auto'` after the last.
 */
export const SIMPLICITY_ORDER: readonly AnyMethodName[] = [
  'naive',
  'drift',
  'linear',
  'loglinear',
  'theta',
  'dampedTrend',
  'repeatGrowth',
  'panelGrowth',
  'panelAR',
  'panelGrowthRate',
  'panelARRate',
];
const DEFAULT_ORDER: readonly MethodName[] = SIMPLICITY_ORDER.filter((m): m is MethodName => (METHOD_NAMES as readonly string[]).includes(m));

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
 * score is the mean over all its scaled errors. With the default rule
 * (`'oneSE'`) the simplest candidate (order naive, drift, linear, loglinear,
 * theta, dampedTrend, repeatGrowth) whose score is within one standard error of the
 * lowest is chosen; with `'best'` the lowest score wins (ties within 1e-9 to
 * the simpler method). When no candidate has two origins (fewer than 4
 * observations), `naive` is chosen: on annual care counts it is the most
 * accurate simple method across English LAs.
 *
 * With `evidence` (from `panelEvidence`, pooled over many series) that
 * recommends a fixed method, that method is chosen whenever the series is
 * long enough for it (and, for log-scale methods, positive); the series' own
 * scores are still returned (unless `ownScores: false`), and the rule says
 * which decided.
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
  const n = y.length;
  const positive = y.every((v) => v > 0);
  const mins = new Map(order.map((m) => [m, minObservations(m, options.methodOptions)]));
  const candidates = order.filter((m) => n - (mins.get(m) ?? n) >= 2 && (positive || (m !== 'loglinear' && m !== 'repeatGrowth')));
  const excluded = order.filter((m) => !candidates.includes(m));
  const ev = options.evidence;
  if (ev && options.ownScores === false) {
    const fixed = fixedByEvidence(y, ev, options);
    if (fixed !== undefined) {
      const unscored: MethodSelection = { method: fixed, scores: [], excluded, origins: null, rule: "the series' own choice was not scored" };
      return withEvidence(unscored, y, ev, options, false);
    }
  }
  const own = ownChoice(y, order, candidates, excluded, options);
  return ev ? withEvidence(own, y, ev, options) : own;
}

/** The method evidence fixes for this series (`'naive'` standing for a global method), or `undefined` when the series chooses its own. */
function fixedByEvidence(y: readonly number[], evidence: PanelEvidence, options: SelectMethodOptions): MethodName | undefined {
  const m = evidence.method;
  if (m === 'auto') return undefined;
  if (isGlobalMethodName(m)) return 'naive';
  return feasibleFor(y, m, options) ? m : undefined;
}

function feasibleFor(y: readonly number[], m: MethodName, options: SelectMethodOptions): boolean {
  const need = minObservations(m, options.methodOptions);
  return y.length >= need && ((m !== 'loglinear' && m !== 'repeatGrowth') || y.every((v) => v > 0));
}

function steps(k: number): string {
  return k === 1 ? '1 year' : `1-${k} years`;
}

function withEvidence(own: MethodSelection, y: readonly number[], evidence: PanelEvidence, options: SelectMethodOptions, scored = true): MethodSelection {
  const m = evidence.method;
  const top = evidence.scores[0];
  const said = `panel evidence (${evidence.source}: ${evidence.forecasts} forecasts from ${evidence.areas} areas${evidence.asOf !== null ? `, targets up to ${evidence.asOf}` : ''})`;
  if (m === 'auto') {
    return { ...own, evidence, rule: `${said} favours each series choosing its own method; this series: ${own.rule}` };
  }
  if (isGlobalMethodName(m)) {
    // a global method is applied by forecast() with its panel's fit; a lone series of numbers cannot
    return { ...own, evidence, rule: `${said} favours ${m}, a global method, which needs a panel's fit (forecast() applies it); on this series alone: ${own.rule}` };
  }
  const need = minObservations(m, options.methodOptions);
  if (!feasibleFor(y, m, options)) {
    return { ...own, evidence, rule: `${said} favours ${m}, but this series cannot use it (${y.length} observations; ${m} needs ${need}${m === 'loglinear' || m === 'repeatGrowth' ? ' positive values' : ''}); so ${own.rule}` };
  }
  const best = top && top.strategy !== m ? `; lowest: ${top.strategy} ${top.mase.toFixed(3)}` : '';
  const score = evidence.scores.find((s) => s.strategy === m);
  return {
    ...own,
    method: m,
    evidence,
    rule:
      `${said} favours ${m} for every series (pooled MASE ${score ? score.mase.toFixed(3) : '?'}${best}); ` +
      (scored ? `this series' own choice would be ${own.method} (its scores are shown for reference)` : "this series' own choice was not scored"),
  };
}

function ownChoice(
  y: readonly number[],
  order: readonly MethodName[],
  candidates: readonly MethodName[],
  excluded: readonly MethodName[],
  options: SelectMethodOptions,
): MethodSelection {
  const n = y.length;
  const maxStep = options.maxStep ?? 3;
  const mins = new Map(order.map((m) => [m, minObservations(m, options.methodOptions)]));
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
  const longest = Math.min(maxStep, n - first);
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
        ? `the simplest method whose mean absolute scaled error (${steps(longest)} ahead, origins ${first}..${n - 1}) is within one standard error of the lowest`
        : `lowest mean absolute scaled error forecasting ${steps(longest)} ahead from origins ${first}..${n - 1} (training lengths); ties to the simpler method`,
  };
}
