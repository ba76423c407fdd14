/**
 * Costs and sufficiency as terminal tables that fit a given width (100
 * columns by default): a table too wide is split into several, each
 * repeating the year column, and scenarios are labelled S1, S2, ... with a
 * legend, so no line is wider than the terminal. The wide forms (every
 * P10, P50 and P90 side by side) are in the files: the workbook's Summary
 * sheet and the report.
 *
 * @module
 */
import type { CostProjection } from '../finance/costs.js';
import type { ScenarioResult } from '../finance/scenario.js';
import { alignTable } from './table.js';

/** Options of the terminal tables. */
export interface TerminalTableOptions {
  /** The widest line allowed, in characters (default 100). */
  readonly width?: number;
}

const DEFAULT_WIDTH = 100;

/**
 * Wrap text to lines of at most `width` characters (a word longer than the
 * width gets a line of its own), the first line starting with `first`, the
 * others with `rest`.
 *
 * @param text - the text
 * @param width - the widest line (default 100)
 * @param first - the first line's prefix (default none)
 * @param rest - the other lines' prefix (default as wide as `first`, in spaces)
 * @returns the lines
 * @example
 * ```ts
 * wrapText('Projecting 11 years from 5 years of flows: treat the later years as a scenario.', 40, '- ');
 * // ['- Projecting 11 years from 5 years of', '  flows: treat the later years as a', '  scenario.']
 * ```
 */
export function wrapText(text: string, width = DEFAULT_WIDTH, first = '', rest = ' '.repeat(first.length)): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest + word;
    } else {
      line = empty ? line + word : `${line} ${word}`;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}

/**
 * Lay out a table within `width`: the first `fixed` columns in every part,
 * the other columns in groups of `groupSize` kept together, as many groups
 * per part as fit.
 */
function fitTable(header: readonly string[], rows: readonly (readonly string[])[], fixed: number, groupSize: number, width: number): string {
  const colWidth = (j: number): number => Math.max(header[j].length, ...rows.map((r) => (r[j] ?? '').length));
  const fixedWidth = Array.from({ length: fixed }, (_, j) => colWidth(j)).reduce((a, b) => a + b + 2, -2);
  const parts: number[][] = [];
  let current: number[] = [];
  let used = fixedWidth;
  for (let g = fixed; g < header.length; g += groupSize) {
    const cols = Array.from({ length: Math.min(groupSize, header.length - g) }, (_, k) => g + k);
    const w = cols.reduce((a, j) => a + 2 + colWidth(j), 0);
    if (current.length > 0 && used + w > width) {
      parts.push(current);
      current = [];
      used = fixedWidth;
    }
    current.push(...cols);
    used += w;
  }
  if (current.length > 0 || parts.length === 0) parts.push(current);
  const keep = Array.from({ length: fixed }, (_, j) => j);
  return parts
    .map((cols) => {
      const idx = [...keep, ...cols];
      return alignTable(
        idx.map((j) => header[j]),
        rows.map((r) => idx.map((j) => r[j] ?? '')),
      );
    })
    .join('\n\n');
}

const m = (v: number): string => (v / 1e6).toFixed(1);

/**
 * Total cost per financial year of the base and each scenario, in £ million:
 * the median with the P10 to P90 range, `94.5 (55.3-165.1)`. Scenarios are
 * columns `S1`, `S2`, ... named in a legend under the table; a table wider
 * than `width` is split into several.
 *
 * @param results - the base first, then the scenarios
 * @param options - the width (default 100)
 * @returns the table, then the legend
 * @example
 * ```ts
 * console.log(formatCostTable([base, fewer]));
 * // financial year  base               S1
 * // 2025/26          79.7 (65.5-98.4)   78.2 (64.5-96.3)
 * // S1: admissions -10% from 2026
 * ```
 */
export function formatCostTable(results: readonly ScenarioResult[], options: TerminalTableOptions = {}): string {
  const width = options.width ?? DEFAULT_WIDTH;
  if (results.length === 0) return '';
  const labels = results.map((r, i) => (i === 0 ? r.name : `S${i}`));
  const header = ['financial year', ...labels];
  const rows = results[0].costs.financialYears.map((fy, i) => [
    fy,
    ...results.map((r) => {
      const q = r.costs.total.quantiles;
      return `${m(q.p50[i])} (${m(q.p10[i])}-${m(q.p90[i])})`;
    }),
  ]);
  const legend = results.slice(1).flatMap((r, i) => wrapText(r.name, width, `S${i + 1}: `));
  return [fitTable(header, rows, 1, 1, width), ...(legend.length > 0 ? ['', ...legend] : [])].join('\n');
}

/**
 * Sufficiency at 31 March of each projected year, per capacity pool: the
 * children needing a placement of the pool's type (P50), the usable
 * in-house places, and the gap (demand minus places; negative: spare
 * places) as its median with the P10 to P90 range. Pools are kept together
 * when a table wider than `width` is split.
 *
 * @param costs - the cost projection (e.g. the base's `costs`)
 * @param options - the width (default 100)
 * @returns the table, or an empty string when the model has no capacity pools
 * @example
 * ```ts
 * console.log(formatSufficiencyTable(base.costs));
 * // year  residential demand  places  gap (P10 to P90)  ...
 * // 2025                 168      34  134 (118-151)
 * ```
 */
export function formatSufficiencyTable(costs: CostProjection, options: TerminalTableOptions = {}): string {
  const width = options.width ?? DEFAULT_WIDTH;
  const pools = costs.sufficiency;
  if (pools.length === 0) return '';
  const r0 = (v: number): string => String(Math.round(v));
  const header = ['year', ...pools.flatMap((s) => [`${s.name} demand`, 'places', 'gap (P10 to P90)'])];
  const rows = costs.years.map((y, i) => [
    String(y),
    ...pools.flatMap((s) => [r0(s.demand.quantiles.p50[i]), r0(s.places[i]), `${r0(s.gap.quantiles.p50[i])} (${r0(s.gap.quantiles.p10[i])} to ${r0(s.gap.quantiles.p90[i])})`]),
  ]);
  return fitTable(header, rows, 1, 3, width);
}
