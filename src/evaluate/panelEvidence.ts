/**
 * Cross-learning: which forecasting strategy worked best across a panel of
 * series, from their pooled rolling-origin errors.
 *
 * @module
 */
import { METHOD_NAMES, type MethodName } from '../models/types.js';
import { SIMPLICITY_ORDER, type PanelEvidence, type StrategyScore } from '../models/selectMethod.js';
import type { BacktestForecast, BacktestMethod, PanelBacktestResult } from './backtestTypes.js';

/** Options for {@link panelEvidence}. */
export interface PanelEvidenceOptions {
  /** Use only errors whose target year is at most this (what a forecaster knew at the end of that year). Default: all. */
  readonly asOf?: number;
  /** Longest step used (default: all steps in the forecasts). */
  readonly maxStep?: number;
  /**
   * A strategy takes part when it has scored forecasts for at least this
   * share of the reference strategy's (`'auto'` when present, else the
   * strategy with most forecasts); default 0.5. Methods needing long series
   * (e.g. dampedTrend) fall out of short panels this way.
   */
  readonly minShare?: number;
  /** Where the errors come from, for the evidence's text (default `'panel backtest'`). */
  readonly source?: string;
}

/** Order of simplicity: the fixed methods as `auto` orders them, then per-series choice. */
const SIMPLICITY: readonly BacktestMethod[] = [...SIMPLICITY_ORDER, ...METHOD_NAMES.filter((m) => !SIMPLICITY_ORDER.includes(m)), 'auto'];

/**
 * Decide, from many series' pooled backtest errors, whether every series
 * should use one method or each should choose its own (cross-learning; on
 * short annual series a panel's evidence is far stronger than one series').
 *
 * The rule, fixed in advance and the same in spirit as {@link "carecast/models"!selectMethod}'s:
 * (1) keep the scored forecasts (a value to compare with and a MASE scale
 * above 0) of steps up to `maxStep` whose target year is at most `asOf`;
 * (2) a strategy (a method, or `'auto'`) takes part when it has at least
 * `minShare` of the reference strategy's forecasts; (3) every strategy taking
 * part is scored on the (area, origin, target) forecasts they all share: the
 * mean absolute scaled error and its standard error; (4) the recommended
 * strategy is the simplest (naive, drift, linear, loglinear, theta,
 * dampedTrend, repeatGrowth, then `'auto'`, the most complex since it is
 * itself a choice among them) whose score is within one standard error of
 * the lowest.
 *
 * Made "as known at the time" (`asOf`: the origin year of the forecasts it
 * will guide), it uses no error a forecaster could not have had.
 *
 * @param forecasts - backtest forecasts of several strategies on many areas,
 *   e.g. `backtestPanel(...)` results (or their forecasts concatenated)
 * @param options - `asOf`, `maxStep`, `minShare`, `source`
 * @returns the evidence: recommended strategy, scores, what they rest on
 * @throws RangeError when no strategy has a scored forecast in range
 * @example
 * ```ts
 * const bt = backtestPanel(cic, { methods: ['naive', 'drift', 'linear', 'auto'], horizon: 3 });
 * const evidence = panelEvidence(bt, { asOf: 2021, source: 'DfE panel 2011-2024' });
 * evidence.method;                     // e.g. 'naive'
 * forecast(series, { to: 2030, method: 'auto', evidence });
 * ```
 */
export function panelEvidence(
  forecasts: readonly BacktestForecast[] | PanelBacktestResult | readonly PanelBacktestResult[],
  options: PanelEvidenceOptions = {},
): PanelEvidence {
  const minShare = options.minShare ?? 0.5;
  if (!(minShare > 0 && minShare <= 1)) throw new RangeError(`minShare must be in (0, 1], got ${minShare}`);
  const asOf = options.asOf ?? null;
  const rows = flatten(forecasts);
  const maxStep = options.maxStep ?? rows.reduce((m, r) => Math.max(m, r.h), 0);
  // strategy -> key -> |scaled error|
  const byStrategy = new Map<BacktestMethod, Map<string, number>>();
  const areaOf = new Map<string, string>();
  for (const r of rows) {
    if (r.scaledError === null || r.h > maxStep || (asOf !== null && r.target > asOf)) continue;
    const key = `${r.area}\u0000${r.origin}\u0000${r.target}`;
    areaOf.set(key, r.area);
    let m = byStrategy.get(r.method);
    if (!m) byStrategy.set(r.method, (m = new Map()));
    m.set(key, Math.abs(r.scaledError));
  }
  if (byStrategy.size === 0) throw new RangeError(`no scored forecasts${asOf !== null ? ` with a target year up to ${asOf}` : ''}${options.maxStep !== undefined ? ` and a step up to ${maxStep}` : ''}`);
  const reference =
    byStrategy.get('auto') ?? [...byStrategy.values()].reduce((a, b) => (b.size > a.size ? b : a));
  const strategies = SIMPLICITY.filter((s) => byStrategy.has(s));
  const taking = strategies.filter((s) => {
    const m = byStrategy.get(s)!;
    let shared = 0;
    for (const k of reference.keys()) if (m.has(k)) shared++;
    return shared >= minShare * reference.size;
  });
  const excluded = strategies.filter((s) => !taking.includes(s));
  const common = [...reference.keys()].filter((k) => taking.every((s) => byStrategy.get(s)!.has(k)));
  if (common.length === 0) throw new RangeError('the strategies share no scored forecast');
  const scores: StrategyScore[] = taking.map((strategy) => {
    const m = byStrategy.get(strategy)!;
    let sum = 0;
    let sumSq = 0;
    for (const k of common) {
      const e = m.get(k)!;
      sum += e;
      sumSq += e * e;
    }
    const n = common.length;
    const mase = sum / n;
    const se = n > 1 ? Math.sqrt(Math.max(0, sumSq / n - mase * mase) / (n - 1)) : Infinity;
    return { strategy, mase, se };
  });
  const ranked = [...scores].sort((a, b) => (Math.abs(a.mase - b.mase) <= 1e-12 ? SIMPLICITY.indexOf(a.strategy) - SIMPLICITY.indexOf(b.strategy) : a.mase - b.mase));
  const best = ranked[0];
  const limit = best.mase + (Number.isFinite(best.se) ? best.se : 0);
  const chosen = taking.map((s) => scores.find((x) => x.strategy === s)!).find((x) => x.mase <= limit + 1e-12) ?? best;
  const areas = new Set(common.map((k) => areaOf.get(k))).size;
  return {
    kind: 'panelEvidence',
    method: chosen.strategy as MethodName | 'auto',
    scores: ranked,
    excluded,
    forecasts: common.length,
    areas,
    asOf,
    maxStep,
    source: options.source ?? 'panel backtest',
    rule:
      `the simplest strategy whose pooled mean absolute scaled error (steps 1-${maxStep}${asOf !== null ? `, targets up to ${asOf}` : ''}, ` +
      `${common.length} forecasts shared by ${taking.join(', ')}) is within one standard error of the lowest (${best.strategy} ${best.mase.toFixed(3)} \u00b1 ${best.se.toFixed(3)})`,
  };
}

function flatten(f: readonly BacktestForecast[] | PanelBacktestResult | readonly PanelBacktestResult[]): BacktestForecast[] {
  const panels: readonly PanelBacktestResult[] = isPanel(f) ? [f] : f.length > 0 && isPanel(f[0]) ? (f as readonly PanelBacktestResult[]) : [];
  if (panels.length === 0) return f as BacktestForecast[];
  const out: BacktestForecast[] = [];
  for (const p of panels) for (const [area, r] of p.byArea) for (const row of r.forecasts) out.push(row.area === area ? row : { ...row, area });
  return out;
}

function isPanel(x: unknown): x is PanelBacktestResult {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'panel';
}
