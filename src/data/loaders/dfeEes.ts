/**
 * Loader for the DfE Explore Education Statistics (EES) file
 * `cla_number_and_rate_per_10k_children*.csv` ("Children looked after in
 * England including adoptions"): every local authority, region and England,
 * with children looked after at 31 March, children starting and ceasing to
 * be looked after in the year, the 0-17 population estimate and the rate per
 * 10,000 children.
 *
 * Notes on the file as published:
 *
 * - It starts with a byte-order mark, and uses CRLF line ends.
 * - The measure label ("Children looked after at 31 March each year", ...)
 *   sits in the column headed `population_count` (`population_type` in
 *   some publications); the 0-17 population is in `population_estimate`;
 *   the count is in `number` (`children_count` in some publications). A
 *   column named `cla_group`, `measure` or `characteristic` holding the
 *   label is accepted too.
 * - Labels are matched on meaning, not as exact strings: "at 31 March" and
 *   "on 31 March", "each year", "during the year" and "in the year" are the
 *   same measure (DfE has used all of them).
 * - Some rows look as if they have 15 fields when split on commas: they are
 *   the authorities whose names contain a comma ("Kingston upon Hull, City
 *   of", "Herefordshire, County of", "Bristol, City of", "Bournemouth,
 *   Christchurch and Poole"), which are quoted. The CSV parser reads them as
 *   14 fields; a row that really has the wrong number of fields is an error.
 * - Suppression markers: `c` (confidential), `x` (not available), `z` (not
 *   applicable: an authority that did not exist that year, such as the old
 *   Dorset county 835 after April 2019, or Bournemouth and Poole before they
 *   merged), `k`, `low`, and the bracketed forms (`[c]`, `[x]`, `[z]`,
 *   `[low]`). See {@link parseCount} for bounds.
 * - National and regional figures are rounded to the nearest 10; local
 *   authority figures are not rounded.
 * - Areas are keyed by level, name and codes: the same name can appear with
 *   two codes after a boundary change (Dorset 835/E10000009 and Dorset
 *   838/E06000059). Asking for such a name by itself is an error that lists
 *   the codes to choose from.
 * - The England time-series file (`cla_time_series_*.csv`, no population or
 *   rate columns) reads too: its labels for starters, leavers, adoptions and
 *   unaccompanied asylum-seeking children are recognised.
 *
 * This module reads text only (no file access): {@link loadDfeEes} reads a
 * file by path.
 *
 * @module
 */
import { CarecastInputError, type InputProblem } from '../errors.js';
import { MEASURES, type AnnualPoint, type AnnualSeries, type Area, type Breakdown, type Dataset, type SeriesKind } from '../schemas.js';
import { parseCount, parseSuppressionMarker, type ParsedCount } from '../suppression.js';
import { readCsvRows } from './csvText.js';
import { describeArea, findArea } from './findArea.js';

/** What one EES row measures. */
export interface DfeEesMeasure {
  /** carecast measure name, e.g. `children_in_care`. */
  readonly measure: string;
  /** Snapshot at 31 March or flow during the year. */
  readonly kind: SeriesKind;
  /** Breakdown (e.g. `{ uasc: 'uasc' }` for unaccompanied asylum-seeking children). */
  readonly breakdown: Breakdown;
}

/** One validated data row of an EES file. */
export interface DfeEesRow {
  /** Line in the file (header = line 1). */
  readonly line: number;
  /** Year of the 31 March (or year to 31 March). */
  readonly year: number;
  /** Index of the row's area in {@link DfeEesTable.areas}. */
  readonly areaIndex: number;
  /** The measure label as published. */
  readonly label: string;
  /** What the label means. */
  readonly measure: DfeEesMeasure;
  /** The count (`number` column). */
  readonly number: ParsedCount;
  /** The 0-17 population estimate, when the file has one. */
  readonly population?: ParsedCount;
  /** Rate per 10,000 children aged 0-17, when the file has one. */
  readonly rate?: ParsedCount;
}

/** A parsed, validated EES file. */
export interface DfeEesTable {
  /** The file name the rows came from (used in provenance). */
  readonly source: string;
  /** Every area, in order of first appearance. */
  readonly areas: readonly Area[];
  /** Every data row, in file order. */
  readonly rows: readonly DfeEesRow[];
  /** The years in the file, ascending. */
  readonly years: readonly number[];
}

const LABELS: readonly { readonly pattern: RegExp; readonly measure: DfeEesMeasure }[] = [
  { pattern: /^children looked after at 31 march( each year)?$/, measure: { measure: MEASURES.childrenInCare, kind: 'snapshot', breakdown: {} } },
  {
    pattern: /^children looked after at 31 march( each year)? who were unaccompanied asylum seeking children$/,
    measure: { measure: MEASURES.childrenInCare, kind: 'snapshot', breakdown: { uasc: 'uasc' } },
  },
  { pattern: /^children (starting|who started) to be looked after each year$/, measure: { measure: MEASURES.started, kind: 'flow', breakdown: {} } },
  { pattern: /^children (ceasing|who ceased) to be looked after each year$/, measure: { measure: MEASURES.ceased, kind: 'flow', breakdown: {} } },
  { pattern: /^children looked after who were adopted each year$/, measure: { measure: 'adopted', kind: 'flow', breakdown: {} } },
];

/**
 * A measure label in one canonical form, so that the wordings DfE has used
 * compare equal: lower case, hyphens and runs of spaces as one space,
 * "on 31 March" as "at 31 March", "during the year" and "in the year" as
 * "each year".
 *
 * @param label - the label as published
 * @returns the canonical form
 */
function canonicalLabel(label: string): string {
  return label
    .toLowerCase()
    .replace(/[\u2010-\u2015-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\bon 31(st)? march\b/, 'at 31 march')
    .replace(/\b(during|in) the year\b/, 'each year');
}

/**
 * What an EES measure label means, matched on meaning rather than the exact
 * wording ("at"/"on 31 March", "each year"/"during the year").
 *
 * @param label - the label as published, e.g. `Children looked after on 31 March`
 * @returns the measure, kind and breakdown, or `undefined` for a label carecast does not know
 * @example
 * ```ts
 * dfeEesMeasureOf('Children starting to be looked after during the year'); // { measure: 'started', kind: 'flow', breakdown: {} }
 * ```
 */
export function dfeEesMeasureOf(label: string): DfeEesMeasure | undefined {
  const c = canonicalLabel(label);
  const known = LABELS.find((l) => l.pattern.test(c));
  return known ? { ...known.measure, breakdown: { ...known.measure.breakdown } } : undefined;
}

const LABEL_COLUMNS = ['population_count', 'population_type', 'cla_group', 'measure', 'characteristic'] as const;
const NUMBER_COLUMNS = ['number', 'children_count'] as const;
const REQUIRED = ['time_period', 'geographic_level'] as const;

function areaKey(a: Area): string {
  return `${a.level}|${a.name}|${a.code ?? ''}|${a.oldCode ?? ''}`;
}

/**
 * Parse and validate an EES children-looked-after file, once, for every
 * area. Use {@link dfeEesDataset} to take one area's series from it.
 *
 * Checks: the required columns (`time_period`, `geographic_level`,
 * `number` or `children_count`, a measure-label column such as
 * `population_count` or `population_type`) are present; every row has as many
 * fields as the header; years, levels and labels are known; counts are
 * whole numbers of zero or more (or markers); rates are numbers of zero or
 * more (or markers); each (area, measure, year) appears once; and the
 * population is the same on every row of an area and year. Every problem is
 * collected and reported together.
 *
 * @param text - the file's text (a leading byte-order mark is fine)
 * @param source - the file name, used in messages and provenance
 * @returns the validated table
 * @throws `CarecastInputError` listing every problem, each with line, column, value found and fix
 * @example
 * ```ts
 * const table = readDfeEes(readFileSync(path, 'utf8'), 'cla_number_and_rate_per_10k_children_2019_2021.csv');
 * const derby = dfeEesDataset(table, 'Derby');
 * ```
 */
export function readDfeEes(text: string, source: string): DfeEesTable {
  const rows = readCsvRows(text, source);
  if (rows.length === 0) {
    throw new CarecastInputError([{ source, row: 1, message: 'the file is empty', fix: 'give the EES CSV file with its header row' }]);
  }
  const header = rows[0].cells.map((h) => h.trim().toLowerCase());
  const col = new Map<string, number>();
  header.forEach((h, i) => {
    if (!col.has(h)) col.set(h, i);
  });
  const problems: InputProblem[] = [];
  for (const r of REQUIRED) {
    if (!col.has(r)) problems.push({ source, row: 1, field: r, message: `missing column ${r}`, fix: 'use the EES file as published (columns time_period, geographic_level, ..., number)' });
  }
  const numberCol = NUMBER_COLUMNS.find((c) => col.has(c));
  if (!numberCol) {
    problems.push({ source, row: 1, field: 'number', message: `missing column number (or ${NUMBER_COLUMNS.slice(1).join(', ')})`, fix: 'use the EES file as published: the count is in the column number (children_count in some publications)' });
  }
  // The label column: the first candidate holding text labels.
  const firstGood = rows.find((r, k) => k > 0 && r.cells.length === header.length);
  const labelCol = LABEL_COLUMNS.find((c) => {
    const i = col.get(c);
    if (i === undefined) return false;
    return firstGood === undefined || (!/^[\d.,\s]*$/.test(firstGood.cells[i]) && parseSuppressionMarker(firstGood.cells[i]) === undefined);
  });
  if (!labelCol) {
    problems.push({
      source,
      row: 1,
      field: 'population_count',
      message: 'no column holds the measure label (e.g. "Children looked after at 31 March each year")',
      fix: `the label is expected in one of the columns ${LABEL_COLUMNS.join(', ')}`,
    });
  }
  if (problems.length > 0) throw new CarecastInputError(problems);

  const get = (cells: readonly string[], name: string): string | undefined => {
    const i = col.get(name);
    return i === undefined ? undefined : cells[i];
  };
  const areas: Area[] = [];
  const areaIndex = new Map<string, number>();
  const out: DfeEesRow[] = [];
  const seen = new Map<string, number>();
  const population = new Map<string, { line: number; value: ParsedCount }>();
  const years = new Set<number>();

  for (const r of rows.slice(1)) {
    const cells = r.cells;
    const at = (field: string | undefined, message: string, fix: string) => problems.push({ source, row: r.line, field, message, fix });
    if (cells.length !== header.length) {
      at(
        undefined,
        `${cells.length} fields, the header has ${header.length}`,
        'names containing commas must be quoted ("Bristol, City of"); check that the row was not cut or joined',
      );
      continue;
    }
    // Year.
    const tp = (get(cells, 'time_period') ?? '').trim();
    let year: number | undefined;
    const four = /^(\d{4})$/.exec(tp);
    const six = /^(\d{4})(\d{2})$/.exec(tp);
    if (four) year = Number(four[1]);
    else if (six && (Number(six[1]) + 1) % 100 === Number(six[2])) year = Number(six[1]) + 1;
    else at('time_period', `bad time_period ${JSON.stringify(tp)}`, 'write the year of the 31 March, e.g. 2021 (or the EES financial-year form 202021)');
    // Area.
    const level = (get(cells, 'geographic_level') ?? '').trim().toLowerCase();
    let area: Area | undefined;
    if (level === 'national') {
      area = { name: (get(cells, 'country_name') ?? '').trim() || 'England', code: (get(cells, 'country_code') ?? '').trim() || undefined, level: 'national' };
    } else if (level === 'regional') {
      const name = (get(cells, 'region_name') ?? '').trim();
      if (name === '') at('region_name', 'regional row without a region_name', 'give the region name');
      else area = { name, code: (get(cells, 'region_code') ?? '').trim() || undefined, level: 'region' };
    } else if (level === 'local authority') {
      const name = (get(cells, 'la_name') ?? '').trim();
      if (name === '') at('la_name', 'local authority row without an la_name', 'give the local authority name');
      else {
        area = {
          name,
          code: (get(cells, 'new_la_code') ?? '').trim() || undefined,
          oldCode: (get(cells, 'old_la_code') ?? '').trim() || undefined,
          level: 'local_authority',
        };
      }
    } else {
      at('geographic_level', `unknown geographic_level ${JSON.stringify(get(cells, 'geographic_level'))}`, 'use National, Regional or Local authority');
    }
    // Measure.
    const label = (get(cells, labelCol!) ?? '').trim();
    const known = dfeEesMeasureOf(label);
    if (!known) {
      at(
        labelCol!,
        `unknown measure label ${JSON.stringify(label)}`,
        'expected "Children looked after at 31 March each year", "Children starting to be looked after each year" or "Children ceasing to be looked after each year"',
      );
    }
    // Values.
    const parseCell = (field: string, integer: boolean): ParsedCount | undefined => {
      const raw = get(cells, field);
      if (raw === undefined) return undefined;
      try {
        return parseCount(raw, { source, row: r.line, field }, { integer });
      } catch (e) {
        if (e instanceof CarecastInputError) problems.push(...e.problems);
        else throw e;
        return undefined;
      }
    };
    const number = parseCell(numberCol!, true);
    const pop = col.has('population_estimate') ? parseCell('population_estimate', true) : undefined;
    const rate = col.has('rate_per_10000') ? parseCell('rate_per_10000', false) : undefined;
    if (year === undefined || !area || !known || !number) continue;
    if (col.has('population_estimate') && !pop) continue;
    if (col.has('rate_per_10000') && !rate) continue;

    const key = areaKey(area);
    let ai = areaIndex.get(key);
    if (ai === undefined) {
      ai = areas.length;
      areas.push(area);
      areaIndex.set(key, ai);
    }
    const m = known;
    const dupKey = JSON.stringify([key, m.measure, m.breakdown, year]);
    const dup = seen.get(dupKey);
    if (dup !== undefined) {
      at(
        labelCol!,
        `duplicate row: ${describeArea(area)} ${JSON.stringify(label)} ${year} is on lines ${dup} and ${r.line}`,
        'keep one row per area, measure and year',
      );
      continue;
    }
    seen.set(dupKey, r.line);
    if (pop) {
      const pk = JSON.stringify([key, year]);
      const prev = population.get(pk);
      if (!prev) population.set(pk, { line: r.line, value: pop });
      else if (prev.value.value !== pop.value || prev.value.suppressed?.marker !== pop.suppressed?.marker) {
        at(
          'population_estimate',
          `population ${JSON.stringify(get(cells, 'population_estimate'))} differs from ${prev.value.value ?? prev.value.suppressed?.marker} on line ${prev.line} for ${describeArea(area)} ${year}`,
          'each area and year has one 0-17 population estimate: correct one of the two lines',
        );
      }
    }
    years.add(year);
    out.push({ line: r.line, year, areaIndex: ai, label, measure: m, number, ...(pop ? { population: pop } : {}), ...(rate ? { rate } : {}) });
  }
  if (problems.length > 0) throw new CarecastInputError(problems);
  return { source, areas, rows: out, years: [...years].sort((a, b) => a - b) };
}

/**
 * The areas in an EES table: England, regions and local authorities, in
 * file order.
 *
 * @param table - a table from {@link readDfeEes}
 * @returns each area's name, codes (`code` the ONS code such as `E10000007`, `oldCode` the three-digit DfE code such as `830`) and level
 * @example
 * ```ts
 * listAreas(table).filter((a) => a.level === 'local_authority').map((a) => a.name);
 * ```
 */
export function listAreas(table: DfeEesTable): Area[] {
  return table.areas.map((a) => ({ ...a }));
}

function point(year: number, parsed: ParsedCount, source: string, line: number): AnnualPoint {
  const p: AnnualPoint = { year, value: parsed.value, provenance: { source, line } };
  if (parsed.suppressed) p.suppressed = { ...parsed.suppressed };
  return p;
}

/**
 * One area's series from an EES table.
 *
 * The dataset holds annual series (each point with provenance: file and
 * line): `children_in_care` (snapshot at 31 March), `started` and `ceased`
 * (flows in the year to 31 March), `population_0_17` (snapshot: the ONS
 * mid-year estimate as published, read from the children-in-care row) and
 * `rate_per_10k` (children looked after at 31 March per 10,000 children
 * aged 0-17). The file's rates for starters and leavers are not loaded.
 * Series with no rows for the area are left out. Suppressed or
 * not-applicable cells are `null` with their marker, never zero.
 *
 * @param table - a table from {@link readDfeEes}
 * @param la - a name (case-insensitive, exact: `Derby` is not `Derbyshire`), ONS code (`E10000007`), DfE code (`830`), `England` or a region name
 * @returns the area's dataset
 * @throws `CarecastInputError` for an unknown area (listing close names, e.g. `derbys` suggests Derbyshire) or an ambiguous one (e.g. `Dorset`, listing the codes)
 * @example
 * ```ts
 * const ds = dfeEesDataset(table, 'Derbyshire');
 * ds.series.find((s) => s.measure === 'children_in_care')?.points.at(-1); // { year: 2021, value: 899, ... }
 * ```
 */
export function dfeEesDataset(table: DfeEesTable, la: string): Dataset {
  const ai = findArea(table.areas, la, table.source);
  const area = table.areas[ai];
  const rows = table.rows.filter((r) => r.areaIndex === ai).sort((a, b) => a.year - b.year || a.line - b.line);
  const series = new Map<string, AnnualSeries>();
  const add = (measure: string, kind: SeriesKind, unit: AnnualSeries['unit'], breakdown: Breakdown, p: AnnualPoint) => {
    const key = JSON.stringify([measure, breakdown]);
    let s = series.get(key);
    if (!s) {
      s = { frequency: 'annual', measure, kind, unit, breakdown: { ...breakdown }, area: area.name, points: [] };
      series.set(key, s);
    }
    s.points.push(p);
  };
  // Fixed order: children_in_care, started, ceased, then others as found.
  const order = [MEASURES.childrenInCare, MEASURES.started, MEASURES.ceased];
  const sorted = [...rows].sort((a, b) => {
    const oa = order.indexOf(a.measure.measure as (typeof order)[number]);
    const ob = order.indexOf(b.measure.measure as (typeof order)[number]);
    return (oa < 0 ? 99 : oa) - (ob < 0 ? 99 : ob) || Object.keys(a.measure.breakdown).length - Object.keys(b.measure.breakdown).length || a.year - b.year;
  });
  for (const r of sorted) add(r.measure.measure, r.measure.kind, 'children', r.measure.breakdown, point(r.year, r.number, table.source, r.line));
  // Population and rate: from the children-in-care total row of each year
  // (population from any row of the year when that row is missing).
  const years = [...new Set(rows.map((r) => r.year))].sort((a, b) => a - b);
  for (const y of years) {
    const ofYear = rows.filter((r) => r.year === y);
    const cic = ofYear.find((r) => r.measure.measure === MEASURES.childrenInCare && Object.keys(r.measure.breakdown).length === 0);
    const popRow = cic?.population ? cic : ofYear.find((r) => r.population);
    if (popRow?.population) add(MEASURES.population, 'snapshot', 'children', {}, point(y, popRow.population, table.source, popRow.line));
  }
  for (const y of years) {
    const cic = rows.find((r) => r.year === y && r.measure.measure === MEASURES.childrenInCare && Object.keys(r.measure.breakdown).length === 0);
    if (cic?.rate) add(MEASURES.ratePer10k, 'rate', 'per_10k', {}, point(y, cic.rate, table.source, cic.line));
  }
  const markers = new Set(rows.flatMap((r) => [r.number, r.population, r.rate]).flatMap((c) => (c?.suppressed ? [c.suppressed.marker] : [])));
  const notes = [
    `DfE Explore Education Statistics, children looked after in England (${table.source}), ${describeArea(area)}, ${years[0] ?? ''}-${years[years.length - 1] ?? ''}.`,
    'children_in_care: at 31 March; started/ceased: during the year to 31 March; population_0_17: ONS mid-year estimate as published; rate_per_10k: children looked after at 31 March per 10,000 children aged 0-17.',
  ];
  if (area.level !== 'local_authority') notes.push('National and regional figures are rounded to the nearest 10 by DfE.');
  if (markers.size > 0) notes.push(`Markers present: ${[...markers].sort().join(', ')} (c confidential, x not available, z not applicable); such values are null, not zero.`);
  return { name: `${area.name}: DfE children looked after (${table.source})`, area: { ...area }, series: [...series.values()], notes };
}
