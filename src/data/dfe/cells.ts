/**
 * The published numbers the DfE panel is built from, as "cells": one
 * number (or suppression marker) for one area, year and key, with the file,
 * line and column it was read from.
 *
 * A cell key is a measure, optionally with one published breakdown
 * category: `children_in_care`, `started`, `ceased`, `population_0_17`,
 * `rate_per_10k`, or `children_in_care|dfePlacement=fostering`,
 * `children_in_care|dfePlacement=total` (the group's own Total row),
 * `ceased|reason=adopted`, ... Only published categories are cells; the
 * groups the panel reports (fostering, residential, ...) are derived from
 * them (see `breakdowns.ts`) by `panelFromCells`: at run time for
 * `loadDfePanel({ dir })`, and by `npm run build:seeds` for the bundled
 * `seeds/dfe-panel.json`, which holds the derived panel.
 *
 * @module
 */
import { CarecastInputError } from '../errors.js';
import type { DfeEesTable } from '../loaders/dfeEes.js';
import type { DfeEesLongTable } from '../loaders/dfeEesLong.js';
import type { SfrPanel } from '../loaders/sfr.js';
import type { Area } from '../schemas.js';
import type { ParsedCount } from '../suppression.js';

/** One published number, where it came from. */
export interface DfeCell {
  /** The area as the source publishes it (name, ONS code, DfE code, level). */
  readonly area: Area;
  /** Year of the 31 March (or year to 31 March). */
  readonly year: number;
  /** What the number is: `measure` or `measure|dimension=category`. */
  readonly key: string;
  /** The number, or `null` with its marker. */
  readonly value: ParsedCount;
  /** The file, as named in provenance. */
  readonly source: string;
  /** The line in the file (header = line 1). */
  readonly line: number;
  /** The column. */
  readonly column: string;
}

/** What kind of file a source is. */
export type DfeSourceKind = 'sfr' | 'numberAndRate' | 'timeSeries' | 'characteristics' | 'started' | 'ceased';

/** One source file of the cells. */
export interface DfeCellSource {
  /** The file, as named in provenance (path relative to the DfE data folder). */
  readonly name: string;
  /** What kind of file it is. */
  readonly kind: DfeSourceKind;
  /** The years the file holds. */
  readonly yearsInFile: readonly number[];
  /** The years the panel takes from it (a newer publication of the same kind supersedes the others). */
  readonly years: readonly number[];
}

/** The cells of a panel and the sources they came from. */
export interface DfeCellSet {
  /** Each source file, in the order the cells were read. */
  readonly sources: readonly DfeCellSource[];
  /** Every cell. */
  readonly cells: readonly DfeCell[];
}

/** The parsed raw files a panel is built from; every part is optional. */
export interface DfePanelSources {
  /** The SFR local authority tables 2011-2017 (`readSfrFiles`); each row's `source` names its file. */
  readonly sfr?: SfrPanel;
  /** Number-and-rate files (`readDfeEes`), any number of publications: each year is taken from the newest publication that has it. */
  readonly numberAndRate?: readonly DfeEesTable[];
  /** The England time series (`readDfeEes` of `cla_time_series_*.csv`). */
  readonly timeSeries?: DfeEesTable;
  /** Children looked after at 31 March by characteristics (`readDfeEesLong`). */
  readonly characteristics?: DfeEesLongTable;
  /** Children who started to be looked after (`readDfeEesLong`). */
  readonly started?: DfeEesLongTable;
  /** Children who ceased to be looked after (`readDfeEesLong`). */
  readonly ceased?: DfeEesLongTable;
}

/**
 * Join a measure and an optional breakdown into a cell key.
 *
 * @param measure - e.g. `children_in_care`
 * @param dimension - a published dimension, e.g. `dfePlacement`
 * @param category - its category, e.g. `fostering`
 * @returns the key
 * @example
 * ```ts
 * cellKey('children_in_care', 'dfePlacement', 'fostering'); // 'children_in_care|dfePlacement=fostering'
 * ```
 */
export function cellKey(measure: string, dimension?: string, category?: string): string {
  return dimension === undefined ? measure : `${measure}|${dimension}=${category}`;
}

/**
 * Split a cell key into measure, dimension and category.
 *
 * @param key - a key from {@link cellKey}
 * @returns its parts (no dimension for a measure's total)
 * @example
 * ```ts
 * splitCellKey('ceased|reason=adopted'); // { measure: 'ceased', dimension: 'reason', category: 'adopted' }
 * ```
 */
export function splitCellKey(key: string): { measure: string; dimension?: string; category?: string } {
  const bar = key.indexOf('|');
  if (bar < 0) return { measure: key };
  const eq = key.indexOf('=', bar);
  return { measure: key.slice(0, bar), dimension: key.slice(bar + 1, eq), category: key.slice(eq + 1) };
}

/** SFR columns read into cells: column → key (the total `CLA_MarYYYY` is `children_in_care`). */
export const SFR_CELL_COLUMNS: readonly (readonly [string, string])[] = [
  ['CLA_Fost', cellKey('children_in_care', 'sfrPlacement', 'fostering')],
  ['CLA_Adopt', cellKey('children_in_care', 'sfrPlacement', 'adoption')],
  ['CLA_Parent', cellKey('children_in_care', 'sfrPlacement', 'parents')],
  ['CLA_Ocom', cellKey('children_in_care', 'sfrPlacement', 'other_community')],
  ['CLA_Secure', cellKey('children_in_care', 'sfrPlacement', 'secure_homes_semi_independent')],
  ['CLA_Ores', cellKey('children_in_care', 'sfrPlacement', 'other_residential')],
  ['CLA_RSch', cellKey('children_in_care', 'sfrPlacement', 'residential_school')],
  ['CLA_Miss', cellKey('children_in_care', 'sfrPlacement', 'missing')],
  ['CLA_OthPl', cellKey('children_in_care', 'sfrPlacement', 'other_placement')],
  ['CLA_OwnP', cellKey('children_in_care', 'dfeProvider', 'own_la')],
  ['CLA_OthLA', cellKey('children_in_care', 'dfeProvider', 'other_la')],
  ['CLA_OthPP', cellKey('children_in_care', 'dfeProvider', 'other_public')],
  ['CLA_Priv', cellKey('children_in_care', 'dfeProvider', 'private')],
  ['CLA_Vol', cellKey('children_in_care', 'dfeProvider', 'voluntary')],
  ['CLA_Par', cellKey('children_in_care', 'dfeProvider', 'parents')],
  ['CLA_Nrep', cellKey('children_in_care', 'dfeProvider', 'not_reported')],
  ['CLA_U1', cellKey('children_in_care', 'age', 'under_1')],
  ['CLA_1to4', cellKey('children_in_care', 'age', '1_4')],
  ['CLA_5to9', cellKey('children_in_care', 'age', '5_9')],
  ['CLA_10to15', cellKey('children_in_care', 'age', '10_15')],
  ['CLA_16over', cellKey('children_in_care', 'age', '16_plus')],
  ['CLA_UASC', cellKey('children_in_care', 'uasc', 'uasc')],
];

/** The long-file groups the panel reads, per file kind. */
export const LONG_DIMENSIONS: Readonly<Record<'characteristics' | 'started' | 'ceased', readonly string[]>> = {
  characteristics: ['dfePlacement', 'dfeProvider', 'age', 'uasc'],
  started: ['age', 'uasc'],
  ceased: ['reason', 'ceasedAge'],
};

function cellsFromSfr(panel: SfrPanel): { sources: DfeCellSource[]; cells: DfeCell[] } {
  const cells: DfeCell[] = [];
  const byFile = new Map<string, number>();
  for (const r of panel.rows) {
    byFile.set(r.source, r.year);
    const area = panel.areas[r.areaIndex];
    const total = r.cells.CLA_Mar;
    if (total) cells.push({ area, year: r.year, key: 'children_in_care', value: total, source: r.source, line: r.line, column: `CLA_Mar${r.year}` });
    for (const [col, key] of SFR_CELL_COLUMNS) {
      const c = r.cells[col];
      if (c) cells.push({ area, year: r.year, key, value: c, source: r.source, line: r.line, column: col });
    }
  }
  const sources = [...byFile].sort((a, b) => a[1] - b[1]).map(([name, year]): DfeCellSource => ({ name, kind: 'sfr', yearsInFile: [year], years: [year] }));
  return { sources, cells };
}

function keyOfEesRow(measure: string, breakdown: Readonly<Record<string, string | undefined>>): string | undefined {
  const dims = Object.entries(breakdown).filter((e): e is [string, string] => e[1] !== undefined);
  if (measure === 'adopted' && dims.length === 0) return cellKey('ceased', 'reason', 'adopted');
  if (dims.length === 0) return measure;
  if (dims.length === 1) return cellKey(measure, dims[0][0], dims[0][1]);
  return undefined;
}

function cellsFromEes(table: DfeEesTable, years: ReadonlySet<number>): DfeCell[] {
  const cells: DfeCell[] = [];
  for (const r of table.rows) {
    if (!years.has(r.year)) continue;
    const area = table.areas[r.areaIndex];
    const key = keyOfEesRow(r.measure.measure, r.measure.breakdown);
    if (key === undefined) continue;
    cells.push({ area, year: r.year, key, value: r.number, source: table.source, line: r.line, column: 'number' });
    if (key === 'children_in_care') {
      if (r.population) cells.push({ area, year: r.year, key: 'population_0_17', value: r.population, source: table.source, line: r.line, column: 'population_estimate' });
      if (r.rate) cells.push({ area, year: r.year, key: 'rate_per_10k', value: r.rate, source: table.source, line: r.line, column: 'rate_per_10000' });
    }
  }
  return cells;
}

function cellsFromLong(table: DfeEesLongTable, dims: readonly string[], years: ReadonlySet<number>): DfeCell[] {
  const cells: DfeCell[] = [];
  for (const r of table.rows) {
    if (!years.has(r.year) || !dims.includes(r.dimension)) continue;
    cells.push({ area: table.areas[r.areaIndex], year: r.year, key: cellKey(table.measure, r.dimension, r.category), value: r.number, source: table.source, line: r.line, column: 'number' });
  }
  return cells;
}

/**
 * For several publications of one kind of file: which years to take from
 * each, so that every year comes from the newest publication that has it
 * (the one whose last year is latest). Revised figures replace the earlier
 * ones whole: a year is never pieced together from two publications.
 */
function newestPerYear(tables: readonly { readonly source: string; readonly years: readonly number[] }[]): Map<string, Set<number>> {
  const order = [...tables].sort((a, b) => Math.max(...b.years) - Math.max(...a.years) || b.source.localeCompare(a.source));
  const taken = new Set<number>();
  const out = new Map<string, Set<number>>();
  for (const t of order) {
    const ys = new Set(t.years.filter((y) => !taken.has(y)));
    for (const y of ys) taken.add(y);
    out.set(t.source, ys);
  }
  return out;
}

/**
 * Read the published numbers the DfE panel is built from out of the parsed
 * files: the SFR tables' totals and placement, provider, age and UASC
 * columns; the number-and-rate files' children looked after, starters,
 * leavers, 0-17 population and rate (each year from the newest publication
 * that has it; a publication all of whose years a newer one covers is left
 * out); the England time series (including adoptions, as leavers
 * for the reason `adopted`, and UASC at 31 March); and the long files'
 * placement, provider, age and UASC groups (31 March), age and UASC
 * (starters), reason and age (leavers), Totals included.
 *
 * @param sources - the parsed files; any may be left out
 * @returns the sources (with the years taken from each) and the cells
 * @throws `CarecastInputError` when two sources have the same name, or no source is given
 * @example
 * ```ts
 * const { sources, cells } = dfeCellsFrom({ sfr: readSfrFiles(files), numberAndRate: [readDfeEes(text, name)] });
 * ```
 */
export function dfeCellsFrom(sources: DfePanelSources): DfeCellSet {
  const out: DfeCellSource[] = [];
  const cells: DfeCell[] = [];
  if (sources.sfr) {
    const s = cellsFromSfr(sources.sfr);
    out.push(...s.sources);
    cells.push(...s.cells);
  }
  const nr = sources.numberAndRate ?? [];
  const pick = newestPerYear(nr);
  for (const t of nr) {
    const years = pick.get(t.source) ?? new Set<number>();
    // A publication every year of which a newer one revised adds nothing.
    if (years.size === 0) continue;
    out.push({ name: t.source, kind: 'numberAndRate', yearsInFile: [...t.years], years: [...years].sort((a, b) => a - b) });
    cells.push(...cellsFromEes(t, years));
  }
  if (sources.timeSeries) {
    const t = sources.timeSeries;
    out.push({ name: t.source, kind: 'timeSeries', yearsInFile: [...t.years], years: [...t.years] });
    cells.push(...cellsFromEes(t, new Set(t.years)));
  }
  for (const kind of ['characteristics', 'started', 'ceased'] as const) {
    const t = sources[kind];
    if (!t) continue;
    const expected = kind === 'characteristics' ? 'children_in_care' : kind;
    if (t.measure !== expected) {
      throw new CarecastInputError([{ source: t.source, message: `given as the ${kind} file but it counts ${t.measure}`, fix: `pass the ${kind} file in DfePanelSources.${kind}` }]);
    }
    out.push({ name: t.source, kind, yearsInFile: [...t.years], years: [...t.years] });
    cells.push(...cellsFromLong(t, LONG_DIMENSIONS[kind], new Set(t.years)));
  }
  if (out.length === 0) throw new CarecastInputError([{ source: 'argument', field: 'sources', message: 'no DfE source given', fix: 'give at least the SFR tables or a number-and-rate file' }]);
  const names = out.map((s) => s.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new CarecastInputError([{ source: dup, message: 'the same file is given twice', fix: 'give each file once' }]);
  return { sources: out, cells };
}
