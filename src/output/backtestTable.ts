/**
 * Backtest results as compact terminal tables.
 *
 * @module
 */
import type { BacktestResult, BacktestSummary, PanelBacktestResult } from '../evaluate/backtestTypes.js';
import { alignTable } from './table.js';

function num(v: number, digits: number): string {
  if (!Number.isFinite(v)) return '-';
  return v.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function pct(v: number): string {
  return Number.isFinite(v) ? `${Math.round(v * 100)}%` : '-';
}

/**
 * A backtest as a compact terminal table: a title line, then per method one
 * row over all steps (`h` = `all`) and one per step, with the number of
 * scored forecasts and the measures. For one series: MAE, RMSE, bias, MAPE,
 * sMAPE, MASE and per level coverage and Winkler score; for a panel: the
 * number of areas, MASE, scaled bias and per level coverage and scaled
 * Winkler score.
 *
 * @param result - from `backtest` or `backtestPanel`
 * @returns the table text (print the caveats beside it)
 * @example
 * ```ts
 * console.log(formatBacktestTable(backtest(derbyshire, { methods: ['naive', 'drift'], horizon: 3 })));
 * // Backtest of series value: 4 origins (2020-2023), h 1-3, 9 forecasts scored per method
 * // method    h  n    MAE   RMSE    bias  MAPE %  sMAPE %  MASE  cover 80  Winkler 80  cover 95  Winkler 95
 * // ------  ---  -  -----  -----  ------  ------  -------  ----  --------  ----------  --------  ----------
 * // naive   all  9   86.7   99.5   -86.7     8.6      9.1  1.51       67%       307.5      100%       327.8
 * // naive     1  4   49.0   56.5   -49.0     5.0      5.1  0.91       75%       201.3      100%       246.4
 * // ...
 * ```
 */
export function formatBacktestTable(result: BacktestResult | PanelBacktestResult): string {
  const levelHeads = (scaled: boolean) => result.levels.flatMap((l) => [`cover ${l}`, `${scaled ? 'sc. ' : ''}Winkler ${l}`]);
  if (result.kind === 'series') {
    const ns = [...new Set(result.byMethod.map((b) => b.n))];
    const o = result.origins;
    const title =
      `Backtest of ${result.area} ${result.measure}: ${o.length} origin${o.length === 1 ? '' : 's'} (${o.length === 1 ? o[0] : `${o[0]}-${o[o.length - 1]}`}), ` +
      `h 1-${result.horizon}, ${ns.length === 1 ? ns[0] : `${Math.min(...ns)}-${Math.max(...ns)}`} forecasts scored per method`;
    const header = ['method', 'h', 'n', 'MAE', 'RMSE', 'bias', 'MAPE %', 'sMAPE %', 'MASE', ...levelHeads(false)];
    const row = (s: BacktestSummary): string[] => [
      s.method,
      s.h === null ? 'all' : String(s.h),
      String(s.n),
      num(s.mae, 1),
      num(s.rmse, 1),
      num(s.bias, 1),
      num(s.mape, 1),
      num(s.smape, 1),
      num(s.mase, 2),
      ...s.intervals.flatMap((iv) => [pct(iv.coverage), num(iv.winkler, 1)]),
    ];
    const rows: string[][] = [];
    for (const m of result.methods) {
      const all = result.byMethod.find((s) => s.method === m);
      if (all) rows.push(row(all));
      for (const s of result.byHorizon) if (s.method === m) rows.push(row(s));
    }
    return `${title}\n${alignTable(header, rows)}`;
  }
  const scoredAreas = result.byArea.size;
  const title = `Backtest of ${scoredAreas} of ${result.areas} areas, h 1-${result.horizon} (errors scaled by each training window's mean absolute yearly change)`;
  const header = ['method', 'h', 'n', 'areas', 'MASE', 'sc. bias', ...levelHeads(true)];
  const rows = result.pooled.map((s) => [
    s.method,
    s.h === null ? 'all' : String(s.h),
    String(s.n),
    String(s.areas),
    num(s.mase, 2),
    num(s.scaledBias, 2),
    ...s.intervals.flatMap((iv) => [pct(iv.coverage), num(iv.scaledWinkler, 2)]),
  ]);
  return `${title}\n${alignTable(header, rows)}`;
}

