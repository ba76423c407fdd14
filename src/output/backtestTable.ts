/**
 * Backtest results as compact terminal tables.
 *
 * @module
 */
import type { BacktestResult, BacktestSummary, PanelBacktestResult, PooledSummary } from '../evaluate/backtestTypes.js';
import { alignTable } from './table.js';

/** The widest a table line may be: readable in a 100-column terminal. */
const WIDTH = 100;

function num(v: number, digits: number): string {
  if (!Number.isFinite(v)) return v === Infinity ? 'inf' : '-';
  // huge scores (e.g. the CRPS of a distribution with absurd tails) would stretch the table
  if (Math.abs(v) >= 1e6) return v.toExponential(1);
  return v.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function pct(v: number): string {
  return Number.isFinite(v) ? `${Math.round(v * 100)}%` : '-';
}

/** A group of columns that stay together (e.g. a level's coverage and Winkler score). */
interface ColumnGroup<S> {
  readonly heads: readonly string[];
  readonly cells: (s: S) => readonly string[];
}

/**
 * Lay out key columns and column groups as one or more aligned tables, each
 * at most {@link WIDTH} characters wide: the groups are packed in order, and
 * every table repeats the key columns.
 */
function wrapTables<S>(keys: ColumnGroup<S>, groups: readonly ColumnGroup<S>[], rows: readonly S[]): string[] {
  const widthOf = (g: ColumnGroup<S>): number[] => g.heads.map((h, i) => Math.max(h.length, ...rows.map((r) => (g.cells(r)[i] ?? '').length)));
  const keyWidth = widthOf(keys).reduce((s, w) => s + w + 2, -2);
  const blocks: ColumnGroup<S>[][] = [];
  let current: ColumnGroup<S>[] = [];
  let width = keyWidth;
  for (const g of groups) {
    const w = widthOf(g).reduce((s, x) => s + x + 2, 0);
    if (current.length > 0 && width + w > WIDTH) {
      blocks.push(current);
      current = [];
      width = keyWidth;
    }
    current.push(g);
    width += w;
  }
  if (current.length > 0) blocks.push(current);
  return blocks.map((b) =>
    alignTable(
      [...keys.heads, ...b.flatMap((g) => g.heads)],
      rows.map((r) => [...keys.cells(r), ...b.flatMap((g) => g.cells(r))]),
    ),
  );
}

/**
 * A backtest as compact terminal tables, each at most 100 columns wide: a
 * title line, then per method one row over all steps (`h` = `all`) and one
 * per step, with the number of scored forecasts and the measures.
 *
 * - One series: a table of the point forecasts' accuracy (MAE, RMSE, bias,
 *   MAPE, sMAPE, MASE), then one of their bands and distributions: MASE
 *   beside the mean CRPS (raw and scaled) and per level the coverage and the
 *   scaled Winkler score.
 * - A panel: the number of areas, MASE, scaled bias and scaled CRPS, and per
 *   level the coverage and the scaled Winkler score (pooled measures are
 *   scaled, so every area counts by its forecasts, not its size).
 *
 * Scaled scores are divided by each forecast's MASE scale (its training
 * window's mean absolute yearly change); lower is better for all but
 * coverage, which should be near its level. Columns that do not fit in 100
 * characters go to a further table with the same first columns.
 *
 * @param result - from `backtest` or `backtestPanel`
 * @returns the table text (print the caveats beside it)
 * @example
 * ```ts
 * console.log(formatBacktestTable(backtest(derbyshire, { methods: ['naive', 'drift'], horizon: 3 })));
 * // Backtest of Derbyshire children_in_care: 4 origins (2020-2023), h 1-3, 9 forecasts scored per method
 * //
 * // Point forecasts
 * // method    h  n    MAE   RMSE    bias  MAPE %  sMAPE %  MASE
 * // ------  ---  -  -----  -----  ------  ------  -------  ----
 * // naive   all  9   86.7   99.5   -86.7     8.6      9.1  1.51
 * // ...
 * //
 * // Bands and distributions (sc. = divided by the training window's mean absolute yearly change)
 * // method    h  n  MASE  CRPS  sc. CRPS  cover 80  sc. Winkler 80  cover 95  sc. Winkler 95
 * // ...
 * ```
 */
export function formatBacktestTable(result: BacktestResult | PanelBacktestResult): string {
  const levelGroups = <S extends { readonly intervals: readonly { readonly coverage: number; readonly scaledWinkler: number }[] }>(): ColumnGroup<S>[] =>
    result.levels.map((l, j) => ({ heads: [`cover ${l}`, `sc. Winkler ${l}`], cells: (s: S) => [pct(s.intervals[j].coverage), num(s.intervals[j].scaledWinkler, 2)] }));
  const step = (h: number | null): string => (h === null ? 'all' : String(h));
  if (result.kind === 'series') {
    const ns = [...new Set(result.byMethod.map((b) => b.n))];
    const o = result.origins;
    const title =
      `Backtest of ${result.area} ${result.measure}: ${o.length} origin${o.length === 1 ? '' : 's'} (${o.length === 1 ? o[0] : `${o[0]}-${o[o.length - 1]}`}), ` +
      `h 1-${result.horizon}, ${ns.length === 1 ? ns[0] : `${Math.min(...ns)}-${Math.max(...ns)}`} forecasts scored per method`;
    const rows: BacktestSummary[] = [];
    for (const m of result.methods) {
      const all = result.byMethod.find((s) => s.method === m);
      if (all) rows.push(all);
      for (const s of result.byHorizon) if (s.method === m) rows.push(s);
    }
    const keys: ColumnGroup<BacktestSummary> = { heads: ['method', 'h', 'n'], cells: (s) => [s.method, step(s.h), String(s.n)] };
    const col = (head: string, f: (s: BacktestSummary) => string): ColumnGroup<BacktestSummary> => ({ heads: [head], cells: (s) => [f(s)] });
    const point = wrapTables(
      keys,
      [
        col('MAE', (s) => num(s.mae, 1)),
        col('RMSE', (s) => num(s.rmse, 1)),
        col('bias', (s) => num(s.bias, 1)),
        col('MAPE %', (s) => num(s.mape, 1)),
        col('sMAPE %', (s) => num(s.smape, 1)),
        col('MASE', (s) => num(s.mase, 2)),
      ],
      rows,
    );
    const bands = wrapTables(
      keys,
      [col('MASE', (s) => num(s.mase, 2)), col('CRPS', (s) => num(s.crps, 1)), col('sc. CRPS', (s) => num(s.scaledCrps, 2)), ...levelGroups<BacktestSummary>()],
      rows,
    );
    return [
      title,
      '',
      'Point forecasts',
      point.join('\n\n'),
      '',
      'Bands and distributions (sc. = divided by the training window\u2019s mean absolute yearly change)',
      bands.join('\n\n'),
    ].join('\n');
  }
  const scoredAreas = result.byArea.size;
  const title =
    `Backtest of ${scoredAreas} of ${result.areas} areas, h 1-${result.horizon}\n` +
    '(MASE and sc. = scaled: each forecast\u2019s score divided by its training window\u2019s mean absolute yearly change)';
  const keys: ColumnGroup<PooledSummary> = { heads: ['method', 'h', 'n'], cells: (s) => [s.method, step(s.h), String(s.n)] };
  const col = (head: string, f: (s: PooledSummary) => string): ColumnGroup<PooledSummary> => ({ heads: [head], cells: (s) => [f(s)] });
  const tables = wrapTables(
    keys,
    [
      col('areas', (s) => String(s.areas)),
      col('MASE', (s) => num(s.mase, 2)),
      col('sc. bias', (s) => num(s.scaledBias, 2)),
      col('sc. CRPS', (s) => num(s.scaledCrps, 2)),
      ...levelGroups<PooledSummary>(),
    ],
    result.pooled,
  );
  return `${title}\n${tables.join('\n\n')}`;
}
