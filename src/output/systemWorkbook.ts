/**
 * The sheets of a system projection's workbook (`carecast project --xlsx`):
 * the mission table, the tidy records, the assumptions (source, data years,
 * paths, seed, the dynamics and where they came from, the anchored total's
 * method), the caveats and the provenance, all from the projection the
 * terminal table and the CSV are read from.
 *
 * @module
 */
import { yearValuesOf } from '../data/yearValue.js';
import type { SystemInput } from '../system/input.js';
import type { SystemProjection } from '../system/projectSystem.js';
import { systemRecords } from '../system/records.js';
import { COUNT_FORMAT, type WorkbookAssumption, type WorkbookTable } from './excel.js';
import type { ReportProvenance } from './report.js';
import { missionTable, type MissionTable } from './systemTable.js';

/** The number format of % changes (stored as fractions): signed, whole percent, as the terminal prints them. */
export const CHANGE_FORMAT = '+0%;-0%;0%';
/** The number format of shares (fractions): one decimal of a percent. */
export const SHARE_FORMAT = '0.0%';

/** Input of {@link systemWorkbook}. */
export interface SystemWorkbookInput {
  /** The system projection. */
  readonly system: SystemProjection;
  /** Its input (for the data years and the observed base-year values). */
  readonly input: SystemInput;
  /** The mission table (default: `missionTable(system, input)`, the % change from the last observed year). */
  readonly mission?: MissionTable;
  /** Lines under the Mission sheet's title (e.g. `missionNotes`, where the published figures come from). */
  readonly missionNotes?: readonly string[];
  /** The random seed the paths were drawn with, when known (`projectSystem`'s default is 1). */
  readonly seed?: number;
  /** Rows that open the assumptions sheet: the data source, the files read, the command. */
  readonly run?: readonly WorkbookAssumption[];
  /** Caveats besides the projection's own (listed first). */
  readonly caveats?: readonly string[];
  /** Where the data came from (the Provenance sheet). */
  readonly provenance?: readonly ReportProvenance[];
}

/** What {@link systemWorkbook} gives: the arguments of `writeWorkbook` / `buildWorkbook`. */
export interface SystemWorkbook {
  /** The sheets: Mission, Projection, Provenance. */
  readonly tables: readonly WorkbookTable[];
  /** The assumptions sheet's rows. */
  readonly assumptions: readonly WorkbookAssumption[];
  /** The caveats sheet's rows. */
  readonly caveats: readonly string[];
}

/** One row of the Mission sheet: a {@link MissionTable} row with its numbers as numbers. */
export type MissionSheetRow = Record<string, string | number | null>;

/**
 * The mission table as sheet rows: one per component, with the target
 * year, the point, `lo_<level>` / `hi_<level>` of the paths' bands, the
 * base year, the published % change (and what the publication called the
 * group, where its definition differs) and carecast's path-by-path %
 * change with its 80% band. % changes are fractions (0.18 for +18%), to be
 * shown with {@link CHANGE_FORMAT}.
 *
 * @param table - the mission table
 * @returns the rows, in the table's order
 * @example
 * ```ts
 * missionSheetRows(missionTable(sys, input, { targetYear: 2035, baseYear: 2023 }))[4];
 * // { component: 'residential', measure: 'placement', group: 'residential', year: 2035, point: 319, lo_80: 101, ..., change_p50: 0.25, ... }
 * ```
 */
export function missionSheetRows(table: MissionTable): MissionSheetRow[] {
  return table.rows.map((r) => {
    const row: MissionSheetRow = { component: r.label, measure: r.measure, group: r.group, year: table.targetYear, point: r.point };
    for (const b of r.bands) {
      row[`lo_${b.level}`] = b.lower;
      row[`hi_${b.level}`] = b.upper;
    }
    row.base_year = table.baseYear;
    if (table.hasPublished) {
      row.published_change = r.published === null ? null : r.published / 100;
      row.published_as = r.publishedAs;
    }
    row.change_p50 = r.change ? r.change.median / 100 : null;
    row[`change_lo_${r.change?.level ?? 80}`] = r.change ? r.change.lower / 100 : null;
    row[`change_hi_${r.change?.level ?? 80}`] = r.change ? r.change.upper / 100 : null;
    return row;
  });
}

/** Years as runs of consecutive years: `2011-2017, 2020-2024`. */
function yearRuns(years: readonly number[]): string {
  const ys = [...new Set(years)].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < ys.length; ) {
    let j = i;
    while (j + 1 < ys.length && ys[j + 1] === ys[j] + 1) j++;
    runs.push(i === j ? `${ys[i]}` : `${ys[i]}-${ys[j]}`);
    i = j + 1;
  }
  return runs.join(', ');
}

/** The observed years of a series, as runs of consecutive years. */
function yearsOf(s: SystemInput['stock'] | undefined): string | undefined {
  if (!s) return undefined;
  const ys = yearValuesOf(s).points.filter((p) => p.value !== null).map((p) => p.year);
  return ys.length === 0 ? undefined : yearRuns(ys);
}

function assumptionRows(sp: SystemProjection, input: SystemInput, seed: number | undefined, run: readonly WorkbookAssumption[]): WorkbookAssumption[] {
  const rows: WorkbookAssumption[] = [...run];
  const years = `${sp.years[0]}-${sp.years[sp.years.length - 1]}`;
  rows.push({ item: 'area', value: sp.area, unit: '', note: 'the system projection: children in care, starters, leavers and every breakdown from one set of paths' });
  rows.push({ item: 'projected years', value: years, unit: 'years ending 31 March', note: `from ${sp.start.stock.toLocaleString('en-GB')} children in care at 31 March ${sp.start.year}` });
  const data: [string, string | undefined][] = [
    ['children in care', yearsOf(input.stock)],
    ['starters', yearsOf(input.started)],
    ['leavers', yearsOf(input.ceased)],
  ];
  for (const [what, ys] of data) if (ys) rows.push({ item: `data years: ${what}`, value: ys, unit: 'years', note: 'observed years in the input (the projection uses those up to its origin)' });
  for (const [dim, bd] of Object.entries(sp.breakdowns)) {
    const ys = bd.history.map((h) => h.year);
    rows.push({ item: `data years: ${dim} groups`, value: ys.length > 0 ? yearRuns(ys) : 'none', unit: 'years', note: `the years with every group known (${bd.groups.join(', ')}); the shares start from ${bd.lastYear}` });
  }
  rows.push({ item: 'simulated paths', value: sp.paths.stock.paths, unit: 'paths', note: 'every band and median is read off these paths (type-7 quantiles)' });
  rows.push({ item: 'random seed', value: seed ?? 'not recorded', unit: '', format: '0', note: 'the same input, paths and seed give the same numbers' });
  rows.push({ item: 'band levels', value: sp.stock.intervals.map((iv) => `${iv.level}%`).join(', '), unit: '', note: 'central bands of the paths' });
  if (sp.engine === 'episodes') {
    const e = sp.episodes;
    rows.push({ item: 'model', value: 'episode model', unit: '', note: 'the children in the SSDA903 returns simulated one by one; every point, children in care\u2019s too, is the median of the paths (no anchored forecast)' });
    rows.push({ item: 'fit window', value: `${e.window.from} to ${e.window.to}`, unit: 'dates', note: 'rates are events per child-day at risk over this window, held constant; the projection starts at its end' });
    rows.push({ item: 'UASC modelled apart', value: e.splitUasc ? 'yes' : 'no', unit: '', note: e.splitUasc ? 'unaccompanied asylum-seeking children and the others fitted and simulated apart, added path by path' : 'one model for every child' });
    for (const n of e.notes) rows.push({ item: 'fit note', value: n, unit: '', note: '' });
    return rows;
  }
  rows.push({ item: "the total's method", value: sp.total.method, unit: '', note: `children in care is anchored to this forecast (its point; its predictive distribution shapes the paths): ${sp.total.summary}` });
  rows.push({ item: 'dynamics: source', value: sp.dynamics.source, unit: '', note: 'where the flow and share dynamics came from' });
  const f = sp.dynamics.flows;
  if (f) {
    const from = `pooled over ${f.areas} areas (${f.rows.entry} entry and ${f.rows.exit} exit transitions)`;
    rows.push({ item: 'flows: entry rate reversion (beta)', value: f.beta.entry, unit: '', format: '0.000', note: `mean-reverting entry rate, ${from}` });
    rows.push({ item: 'flows: exit rate reversion (beta)', value: f.beta.exit, unit: '', format: '0.000', note: `mean-reverting exit rate, ${from}` });
    rows.push({ item: 'flows: entry shock sd', value: f.sd.entry, unit: '', format: '0.000', note: 'pooled root mean square of the entry rate residuals' });
    rows.push({ item: 'flows: exit shock sd', value: f.sd.exit, unit: '', format: '0.000', note: 'pooled root mean square of the exit rate residuals' });
    rows.push({ item: 'flows: shock correlation', value: f.correlation, unit: '', format: '0.000', note: `entry and exit shocks drawn together (${f.rows.paired} area-years with both)` });
  }
  for (const [dim, d] of Object.entries(sp.dynamics.dimensions)) {
    const bd = sp.breakdowns[dim];
    rows.push({
      item: `shares: ${dim}`,
      value: d.model,
      unit: '',
      note: `log-ratios against ${d.reference}${bd && !bd.borrowed ? ', fitted on this area\u2019s own years' : ''}; chosen as ${d.rule}`,
    });
    for (const [g, parts] of Object.entries(d.derived)) rows.push({ item: `group: ${g}`, value: parts.join(' + '), unit: '', note: `${dim} groups added on every path` });
  }
  return rows;
}

/**
 * The sheets of a system projection's workbook, for
 * `writeWorkbook(book.tables, book.assumptions, path, { caveats: book.caveats })`:
 *
 * - **Mission**: {@link missionSheetRows} (counts `#,##0`, % changes {@link CHANGE_FORMAT});
 * - **Projection**: `systemRecords(system)`, the CSV's rows (counts
 *   `#,##0`, shares {@link SHARE_FORMAT}, years `0`);
 * - **Provenance**: source, line, note;
 * - the assumptions (the run's rows, then the area, years, data years,
 *   paths, seed, levels, the anchored total's method, the dynamics and
 *   where they came from, each breakdown's share model) and the caveats
 *   (yours, then the projection's).
 *
 * @param input - the projection, its input, the mission table, seed, run rows, caveats, provenance
 * @returns tables, assumptions, caveats
 * @throws RangeError when the mission table's target year is not projected
 * @example
 * ```ts
 * const book = systemWorkbook({ system: sys, input, seed: 1 });
 * await writeWorkbook(book.tables, book.assumptions, 'out/derby-system-projection.xlsx', { caveats: book.caveats });
 * ```
 */
export function systemWorkbook(input: SystemWorkbookInput): SystemWorkbook {
  const sp = input.system;
  const mission = input.mission ?? missionTable(sp, input.input);
  const missionRows = missionSheetRows(mission);
  const records = systemRecords(sp);
  const levels = sp.stock.intervals.map((iv) => iv.level);
  const countCols = ['point', ...levels.flatMap((l) => [`lo_${l}`, `hi_${l}`])];
  const missionCols = Object.keys(missionRows[0] ?? {});
  const missionFormats: Record<string, string> = {};
  for (const c of missionCols) {
    if (countCols.includes(c)) missionFormats[c] = COUNT_FORMAT;
    else if (c.startsWith('change_') || c === 'published_change') missionFormats[c] = CHANGE_FORMAT;
  }
  const recordFormats: Record<string, string> = { share: SHARE_FORMAT };
  for (const c of ['point', 'median', 'p10', 'p50', 'p90', ...countCols.slice(1)]) recordFormats[c] = COUNT_FORMAT;
  const span = `${mission.baseYear}-${mission.targetYear}`;
  const provenance = input.provenance ?? [];
  const tables: WorkbookTable[] = [
    {
      name: 'Mission',
      rows: missionRows,
      numberFormats: missionFormats,
      notes: [
        `${sp.area} in ${mission.targetYear}: children in care, starters and leavers, placements and providers, with ${levels.join('% and ')}% bands, and the % change ${span}`,
        `point, lo_*, hi_*: children in ${mission.targetYear}; change_p50, change_lo_80, change_hi_80: the median and 80% band of the paths' own % changes from ${mission.baseYear}` +
          (mission.hasPublished ? '; published_change: the % change the source published (published_as: its own name where its definition differs).' : '.'),
        ...(input.missionNotes ?? []),
      ],
    },
    {
      name: 'Projection',
      rows: records,
      numberFormats: recordFormats,
      notes: [`${sp.area}: every component, year and quantile (the CSV's rows): children in care at 31 March, starters and leavers in the year, groups and their shares`],
    },
    {
      name: 'Provenance',
      columns: ['source', 'line', 'note'],
      rows: provenance.length > 0 ? provenance.map((p) => ({ source: p.source, line: p.line ?? null, note: p.note ?? null })) : [{ source: 'not recorded', line: null, note: 'the input carried no provenance' }],
      numberFormats: { line: '0' },
    },
  ];
  return {
    tables,
    assumptions: assumptionRows(sp, input.input, input.seed, input.run ?? []),
    caveats: [...new Set([...(input.caveats ?? []), ...sp.caveats])],
  };
}
