/**
 * The tidy long format, both ways: one published number per row.
 *
 * CSV columns, in this order:
 * `area,measure,kind,unit,frequency,period,breakdown,value,suppressed,source,line`.
 *
 * - `period`: `2023` for an annual value (the 31 March 2023 snapshot, or the
 *   year to 31 March 2023), `2024Q4` for a financial-year quarter (the year
 *   is the financial year's end: 2024Q4 is January-March 2024, 2024Q1 is
 *   April-June 2023).
 * - `breakdown`: empty for the all-children total, otherwise `key=category`
 *   pairs joined by `;` with the keys sorted, e.g.
 *   `placement=fostering;provider=private`.
 * - `value`: the number; empty when the figure is suppressed or missing.
 * - `suppressed`: empty, or the marker (`c`, `x`, `<11`, ...), followed by
 *   `;upper=N` when an upper bound is known (e.g. `x;upper=7`). An empty
 *   `value` with an empty `suppressed` is a missing figure.
 * - `source`, `line`: where the figure was read from (both may be empty).
 *
 * Writing follows RFC 4180 (CRLF line ends, fields with commas, quotes or
 * line breaks quoted) and neutralises spreadsheet formula injection: a cell
 * beginning with `=`, `+`, `-`, `@`, a tab, a carriage return or a single
 * quote gets a leading `'`, except plain numbers such as `-5`. Reading
 * removes that one quote again, so text round-trips exactly.
 *
 * JSON is an array of the same records as objects (`value` a number or
 * `null`, `line` a number or `null`).
 *
 * Reading validates everything at the boundary and reports every problem in
 * one `CarecastInputError`: nothing is ever returned partially.
 *
 * @module
 */
import { restoreCsvText, toCsv } from '../csvFormat.js';
import { z } from 'zod';
import { AGE_BANDS, PLACEMENT_GROUPS, PLACEMENT_TYPES, PROVIDER_GROUPS } from '../codes.js';
import { financialYearOf, parseSsda903Date } from '../calendar.js';
import { CarecastInputError, type InputProblem } from '../errors.js';
import {
  AnnualSeriesSchema,
  DatasetSchema,
  SeriesKindSchema,
  type Breakdown,
  type Dataset,
  type Series,
  type SeriesKind,
  type Suppression,
} from '../schemas.js';
import { parseSuppressionMarker } from '../suppression.js';
import { areaLevelOfName, closestMatches, editDistance } from './csvText.js';
import { csvRecordStream } from './csvStream.js';
import { decodeText, type TextInput } from './textInput.js';

export { readCsvRows, normaliseName, closestMatches, areaLevelOfName, ENGLISH_REGIONS, type CsvRow, type EnglishRegion } from './csvText.js';

// ---------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------

/** The tidy columns, in file order. */
export const TIDY_COLUMNS = [
  'area',
  'measure',
  'kind',
  'unit',
  'frequency',
  'period',
  'breakdown',
  'value',
  'suppressed',
  'source',
  'line',
] as const;

/** A unit of measurement (as in the series schema). */
export type SeriesUnit = Series['unit'];

/** One published number in tidy long form (one CSV row, or one JSON object). */
export interface TidyRecord {
  /** Area name, e.g. `Derbyshire`. */
  area: string;
  /** Measure, lower_snake_case, e.g. `children_in_care`. */
  measure: string;
  /** How the measure is measured. */
  kind: SeriesKind;
  /** Unit. */
  unit: SeriesUnit;
  /** `annual` or `quarterly`. */
  frequency: 'annual' | 'quarterly';
  /** `2023` (annual) or `2024Q4` (financial-year quarter). */
  period: string;
  /** `` for the total, or sorted `key=category` pairs joined by `;`. */
  breakdown: string;
  /** The number, or `null` when suppressed or missing. */
  value: number | null;
  /** `` or the suppression marker, optionally followed by `;upper=N`. */
  suppressed: string;
  /** Source file of the figure, or ``. */
  source: string;
  /** Line of the figure in its source, or `null`. */
  line: number | null;
}

/** Options for reading tidy files. */
export interface TidyReadOptions {
  /**
   * Accept series with missing periods between their first and last (default
   * `false`: a gap is an error that lists the missing periods).
   */
  readonly allowGaps?: boolean;
  /**
   * How far (in the measure's unit) the parts of a breakdown may exceed their
   * total before it is an error (default 0). Figures that are all multiples
   * of 10 are taken as rounded to the nearest 10 (DfE national and regional
   * figures) and get an extra allowance of 5 per figure.
   */
  readonly partsTolerance?: number;
}

const KNOWN_DIMENSIONS: Readonly<Record<string, readonly string[]>> = {
  placement: PLACEMENT_GROUPS,
  placementType: PLACEMENT_TYPES,
  provider: PROVIDER_GROUPS,
  age: AGE_BANDS,
  uasc: ['uasc', 'not_uasc'],
};

const UNITS = AnnualSeriesSchema.shape.unit.options as readonly SeriesUnit[];
const KINDS = SeriesKindSchema.options as readonly SeriesKind[];
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The breakdown as a canonical string: sorted `key=category` pairs joined by
 * `;`, empty for the total.
 *
 * @param breakdown - a breakdown object
 * @returns e.g. `placement=fostering;provider=private`
 * @example
 * ```ts
 * formatBreakdown({ provider: 'private', placement: 'fostering' }); // 'placement=fostering;provider=private'
 * formatBreakdown({}); // ''
 * ```
 */
export function formatBreakdown(breakdown: Breakdown): string {
  return Object.keys(breakdown)
    .filter((k) => (breakdown as Record<string, string | undefined>)[k] !== undefined)
    .sort()
    .map((k) => `${k}=${(breakdown as Record<string, string>)[k]}`)
    .join(';');
}

/**
 * A period as tidy text.
 *
 * @param frequency - annual or quarterly
 * @param year - the year of the 31 March (annual) or the financial year's end (quarterly)
 * @param quarter - 1-4 for quarterly periods
 * @returns `2023` or `2024Q4`
 * @example
 * ```ts
 * formatPeriod('quarterly', 2024, 4); // '2024Q4'
 * ```
 */
export function formatPeriod(frequency: 'annual' | 'quarterly', year: number, quarter?: number): string {
  return frequency === 'annual' ? String(year) : `${year}Q${quarter ?? ''}`;
}

function formatSuppressed(s: Suppression | undefined): string {
  if (!s) return '';
  return s.upper === undefined ? s.marker : `${s.marker};upper=${s.upper}`;
}

/**
 * Flatten a dataset into tidy records: one per point, series in order, points
 * in order.
 *
 * @param ds - the dataset
 * @returns the records (provenance `cell` and `note` are not carried: the tidy format has `source` and `line` only)
 * @throws `CarecastInputError` when a suppression marker contains `;` or a line break (it could not be read back)
 * @example
 * ```ts
 * const csv = tidyRecordsToCsv(datasetToTidyRecords(dataset));
 * ```
 */
export function datasetToTidyRecords(ds: Dataset): TidyRecord[] {
  const out: TidyRecord[] = [];
  const problems: InputProblem[] = [];
  for (const s of ds.series) {
    const breakdown = formatBreakdown(s.breakdown);
    for (const p of s.points) {
      if (p.suppressed && /[;\r\n]/.test(p.suppressed.marker)) {
        problems.push({
          source: 'argument',
          field: 'suppressed',
          message: `suppression marker ${JSON.stringify(p.suppressed.marker)} of ${s.area} ${s.measure} ${p.year} contains ';' or a line break`,
          fix: 'use a marker without semicolons or line breaks, e.g. c or x',
        });
      }
      out.push({
        area: s.area,
        measure: s.measure,
        kind: s.kind,
        unit: s.unit,
        frequency: s.frequency,
        period: s.frequency === 'quarterly' ? formatPeriod('quarterly', p.year, (p as { quarter: number }).quarter) : String(p.year),
        breakdown,
        value: p.value,
        suppressed: formatSuppressed(p.suppressed),
        source: p.provenance?.source ?? '',
        line: p.provenance?.line ?? null,
      });
    }
  }
  if (problems.length > 0) throw new CarecastInputError(problems);
  return out;
}

/**
 * Write tidy records as CSV (RFC 4180: header row, CRLF line ends, quoting
 * where needed), with spreadsheet formula injection neutralised: cells
 * beginning with `=`, `+`, `-`, `@` (or a tab, carriage return or `'`) get a
 * leading `'`, except plain numbers such as `-5`.
 *
 * @param records - the records, e.g. from {@link datasetToTidyRecords}
 * @returns the CSV text, ending with a line break
 * @example
 * ```ts
 * tidyRecordsToCsv([{ area: 'Derby', measure: 'children_in_care', kind: 'snapshot', unit: 'children',
 *   frequency: 'annual', period: '2020', breakdown: '', value: 588, suppressed: '', source: 'cla.csv', line: 861 }]);
 * // 'area,measure,...,line\r\nDerby,children_in_care,snapshot,children,annual,2020,,588,,cla.csv,861\r\n'
 * ```
 */
export function tidyRecordsToCsv(records: readonly TidyRecord[]): string {
  return toCsv(records, TIDY_COLUMNS);
}

/**
 * Write tidy records as JSON: an array with one record object per line.
 *
 * @param records - the records, e.g. from {@link datasetToTidyRecords}
 * @returns the JSON text, ending with a line break
 * @example
 * ```ts
 * writeFileSync('derby.json', writeTidyJson(datasetToTidyRecords(dataset)));
 * ```
 */
export function writeTidyJson(records: readonly TidyRecord[]): string {
  if (records.length === 0) return '[]\n';
  const body = records.map((r) =>
    JSON.stringify({
      area: r.area,
      measure: r.measure,
      kind: r.kind,
      unit: r.unit,
      frequency: r.frequency,
      period: r.period,
      breakdown: r.breakdown,
      value: r.value,
      suppressed: r.suppressed,
      source: r.source,
      line: r.line,
    }),
  );
  return `[\n${body.join(',\n')}\n]\n`;
}

// ---------------------------------------------------------------------------
// Reading and validation
// ---------------------------------------------------------------------------

/** A record after its shape is checked, before the cross-row checks. */
interface Candidate {
  readonly row: number;
  readonly area: string;
  readonly measure: string;
  readonly kind: SeriesKind;
  readonly unit: SeriesUnit;
  readonly frequency: 'annual' | 'quarterly';
  readonly period: string;
  readonly breakdown: string;
  readonly value: number | null;
  readonly suppressed: string;
  readonly source: string;
  readonly line: number | null;
}

const FIELD_FIXES: Readonly<Record<string, string>> = {
  area: 'give the area name, e.g. Derbyshire',
  measure: 'use a lower_snake_case measure name such as children_in_care, started or ceased',
  kind: `use one of ${KINDS.join(', ')}`,
  unit: `use one of ${UNITS.join(', ')}`,
  frequency: 'use annual or quarterly',
  period: 'write the year (2023) for annual figures, or the financial year end and quarter (2024Q4) for quarterly ones',
  breakdown: 'leave empty for the total, or write key=category pairs joined by ; such as placement=fostering;provider=private',
  value: 'write a number, or leave it empty and give a suppression marker',
  suppressed: 'leave empty, or write a marker such as c, x, z or <11, optionally followed by ;upper=N',
  source: 'give the source file name, or leave empty',
  line: 'write a positive whole line number, or leave empty',
};

const CsvRowSchema = z.object({
  area: z.string().trim().min(1, 'area is empty'),
  measure: z.string().regex(/^[a-z][a-z0-9_]*$/, 'measure names are lower_snake_case'),
  kind: SeriesKindSchema,
  unit: AnnualSeriesSchema.shape.unit,
  frequency: z.enum(['annual', 'quarterly']),
  period: z.string(),
  breakdown: z.string(),
  value: z.string().refine((v) => v.trim() === '' || PLAIN_NUMBER.test(v.trim()) || /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(v.trim()), 'not a number'),
  suppressed: z.string(),
  source: z.string(),
  line: z.string().regex(/^\s*(?:[1-9]\d*)?\s*$/, 'not a positive whole number'),
});

const JsonRecordSchema = z
  .object({
    area: z.string().trim().min(1, 'area is empty'),
    measure: z.string().regex(/^[a-z][a-z0-9_]*$/, 'measure names are lower_snake_case'),
    kind: SeriesKindSchema,
    unit: AnnualSeriesSchema.shape.unit,
    frequency: z.enum(['annual', 'quarterly']),
    period: z.string(),
    breakdown: z.string().default(''),
    value: z.number().finite().nullable(),
    suppressed: z.string().default(''),
    source: z.string().default(''),
    line: z.number().int().positive().nullable().default(null),
  })
  .strict();

function issueProblems(
  issues: readonly z.core.$ZodIssue[],
  source: string,
  row: number,
  input: Readonly<Record<string, unknown>>,
): InputProblem[] {
  return issues.map((issue) => {
    const field = issue.path.length > 0 ? String(issue.path[0]) : undefined;
    const found = field !== undefined && field in input ? `, found ${JSON.stringify(input[field]) ?? 'undefined'}` : '';
    let fix = field !== undefined ? FIELD_FIXES[field] : undefined;
    if (issue.code === 'unrecognized_keys') {
      const keys = (issue as { keys?: string[] }).keys ?? [];
      return {
        source,
        row,
        field: keys[0],
        message: `unknown field${keys.length > 1 ? 's' : ''} ${keys.map((k) => JSON.stringify(k)).join(', ')}`,
        fix: `use only ${TIDY_COLUMNS.join(', ')}`,
      };
    }
    if ((field === 'kind' || field === 'unit') && typeof input[field] === 'string') {
      const close = closestMatches(String(input[field]), field === 'kind' ? KINDS : UNITS, 1);
      if (close.length > 0) fix = `did you mean ${close[0]}? ${fix ?? ''}`.trim();
    }
    return { source, row, field, message: `${issue.message}${found}`, fix };
  });
}

interface ParsedPeriod {
  readonly year: number;
  readonly quarter?: number;
}

function dateFix(text: string, frequency: 'annual' | 'quarterly'): string | undefined {
  const day = parseSsda903Date(text);
  if (day === undefined) return undefined;
  const { year: fyEnd, quarter } = financialYearOf(day);
  return frequency === 'annual'
    ? `a date is not a period: for the snapshot at 31 March ${fyEnd}, or the year to 31 March ${fyEnd} (which contains this date), write ${fyEnd}`
    : `a date is not a period: the financial-year quarter containing this date is ${fyEnd}Q${quarter}`;
}

function parsePeriod(
  text: string,
  frequency: 'annual' | 'quarterly',
  problem: (message: string, fix: string) => void,
): ParsedPeriod | undefined {
  const t = text.trim();
  const bad = (why: string, fix: string): undefined => {
    problem(`bad period ${JSON.stringify(text)}: ${why}`, fix);
    return undefined;
  };
  const annual = /^(\d{4})$/.exec(t);
  const quarterly = /^(\d{4})[Qq](\d)$/.exec(t);
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  if (iso || uk) {
    const fix = dateFix(iso ? `${iso[1]}-${iso[2].padStart(2, '0')}-${iso[3].padStart(2, '0')}` : t, frequency);
    if (fix === undefined) return bad('not a valid date, and dates are not periods', FIELD_FIXES.period);
    return bad('this is a date', fix);
  }
  if (annual) {
    const year = Number(annual[1]);
    if (frequency === 'quarterly') return bad('a year alone is an annual period but frequency is quarterly', `write the quarter, e.g. ${year}Q4, or set frequency to annual`);
    if (year < 1900 || year > 2200) return bad('year out of range 1900-2200', FIELD_FIXES.period);
    return { year };
  }
  if (quarterly) {
    const year = Number(quarterly[1]);
    const quarter = Number(quarterly[2]);
    if (frequency === 'annual') return bad('a quarter but frequency is annual', `write the year alone (${year}), or set frequency to quarterly`);
    if (quarter < 1 || quarter > 4) return bad(`quarter ${quarter} is not 1-4`, 'quarters are Q1 (April-June) to Q4 (January-March) of the financial year');
    if (year < 1900 || year > 2200) return bad('year out of range 1900-2200', FIELD_FIXES.period);
    return { year, quarter };
  }
  const fy = /^(\d{4})\s*[-/]\s*(\d{2}|\d{4})$/.exec(t);
  if (fy) {
    const end = Number(fy[1]) + 1;
    return bad('a financial year range', frequency === 'annual' ? `write the year it ends in: ${end}` : `write the financial year end and quarter, e.g. ${end}Q4`);
  }
  return bad('not a year or a year and quarter', FIELD_FIXES.period);
}

function parseBreakdownText(
  text: string,
  problem: (message: string, fix: string) => void,
): Record<string, string> | undefined {
  const t = text.trim();
  if (t === '') return {};
  const out: Record<string, string> = {};
  let ok = true;
  for (const part of t.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) {
      problem(`breakdown part ${JSON.stringify(part)} has no '='`, FIELD_FIXES.breakdown);
      ok = false;
      continue;
    }
    const key = part.slice(0, eq).trim();
    const cat = part.slice(eq + 1).trim();
    if (key in out) {
      problem(`breakdown key ${JSON.stringify(key)} given twice`, 'give each breakdown key once');
      ok = false;
      continue;
    }
    const known = KNOWN_DIMENSIONS[key];
    if (known) {
      if (!known.includes(cat)) {
        const close = closestMatches(cat, known, 2);
        problem(
          `unknown ${key} category ${JSON.stringify(cat)}`,
          `${close.length > 0 ? `did you mean ${close.join(' or ')}? ` : ''}${key} categories are ${known.join(', ')}`,
        );
        ok = false;
      }
      out[key] = cat;
      continue;
    }
    const squash = (s: string) => s.toLowerCase().replace(/_/g, '');
    const nearKey = Object.keys(KNOWN_DIMENSIONS).find((k) => squash(k) === squash(key) || editDistance(squash(k), squash(key)) <= 2);
    if (nearKey) {
      problem(`unknown breakdown key ${JSON.stringify(key)}`, `did you mean ${nearKey}? Known keys are ${Object.keys(KNOWN_DIMENSIONS).join(', ')}`);
      ok = false;
      continue;
    }
    if (!/^[a-z][A-Za-z0-9_]*$/.test(key)) {
      problem(`breakdown key ${JSON.stringify(key)} is not a name`, 'breakdown keys start with a lower-case letter and hold letters, digits and _');
      ok = false;
      continue;
    }
    if (!/^[a-z0-9_]+$/.test(cat)) {
      problem(`breakdown category ${JSON.stringify(cat)} of ${key} is not lower_snake_case`, 'write categories in lower_snake_case, e.g. out_of_area');
      ok = false;
      continue;
    }
    out[key] = cat;
  }
  return ok ? out : undefined;
}

function parseSuppressedText(
  text: string,
  integer: boolean,
  problem: (message: string, fix: string) => void,
): Suppression | undefined | false {
  const t = text.trim();
  if (t === '') return undefined;
  const m = /^(.*?)(?:;\s*upper\s*=\s*(.*))?$/.exec(t)!;
  const markerText = m[1].trim();
  const parsed = parseSuppressionMarker(markerText, integer);
  if (!parsed) {
    const close = closestMatches(markerText, ['c', 'x', 'z', 'low', 'k', 'u', 'partly_suppressed', '<11'], 2);
    problem(
      `unknown suppression marker ${JSON.stringify(markerText)}`,
      `${close.length > 0 ? `did you mean ${close.join(' or ')}? ` : ''}use c, x, z, low, k, :, .., *, u, <N or partly_suppressed, optionally followed by ;upper=N`,
    );
    return false;
  }
  if (m[2] !== undefined) {
    const u = m[2].trim();
    if (!PLAIN_NUMBER.test(u) || !(Number(u) >= 0) || !Number.isFinite(Number(u))) {
      problem(`bad upper bound ${JSON.stringify(u)} in suppressed ${JSON.stringify(text)}`, 'write ;upper=N with N a number of zero or more');
      return false;
    }
    return { marker: parsed.marker, upper: Number(u) };
  }
  return parsed;
}

function checkValue(
  value: number,
  kind: SeriesKind,
  problem: (message: string, fix: string) => void,
): void {
  if (kind === 'snapshot' || kind === 'flow') {
    if (value < 0) problem(`negative count ${value} for a ${kind} measure`, 'counts of children are zero or more: check the sign and the column');
    else if (!Number.isInteger(value)) problem(`count ${value} is not a whole number (kind ${kind})`, 'counts are whole numbers: correct the figure, or set kind to rate or share if it is one');
  } else if (kind === 'rate') {
    if (value < 0) problem(`negative rate ${value}`, 'rates are zero or more');
  } else if (kind === 'share') {
    if (value < 0 || value > 1) problem(`share ${value} is outside 0-1`, 'write shares as proportions between 0 and 1 (45% is 0.45)');
  }
}

/** Series and measures with an invalid row: their gap and parts checks are skipped (they would only echo that row). */
interface Tainted {
  readonly series: Set<string>;
  readonly measures: Set<string>;
}

function newTainted(): Tainted {
  return { series: new Set(), measures: new Set() };
}

/** The identity of a series: area, measure, canonical breakdown, frequency. */
function seriesKeyOf(area: string, measure: string, breakdownKey: string, frequency: string): string {
  return `${area}\u0000${measure}\u0000${breakdownKey}\u0000${frequency}`;
}

function measureKeyOf(area: string, measure: string, frequency: string): string {
  return `${area}\u0000${measure}\u0000${frequency}`;
}

function taint(t: Tainted, area: unknown, measure: unknown, breakdown: unknown, frequency: unknown): void {
  const a = String(area ?? '').trim();
  const m = String(measure ?? '');
  const f = String(frequency ?? '');
  let b = String(breakdown ?? '').trim();
  const parsed = parseBreakdownText(b, () => undefined);
  if (parsed) b = formatBreakdown(parsed);
  t.series.add(seriesKeyOf(a, m, b, f));
  t.measures.add(measureKeyOf(a, m, f));
}

/**
 * One series as it is read: its identity once, and its points as compact
 * parallel arrays in file order (a value of `NaN` is `null`, a line of 0 is
 * none, a source of -1 is none).
 */
interface SeriesAcc {
  readonly key: string;
  readonly area: string;
  readonly measure: string;
  readonly kind: SeriesKind;
  readonly unit: SeriesUnit;
  readonly frequency: 'annual' | 'quarterly';
  readonly breakdown: Record<string, string>;
  readonly breakdownKey: string;
  readonly firstRow: number;
  readonly rows: number[];
  /** The period as one number: the year (annual), or `year * 4 + quarter - 1` (quarterly). */
  readonly periods: number[];
  readonly values: number[];
  readonly sources: number[];
  readonly lines: number[];
  suppressed: Map<number, Suppression> | undefined;
  /** The highest period so far, and (once a period comes out of order) every period's position. */
  maxPeriod: number;
  index: Map<number, number> | undefined;
}

/**
 * A copy of text that keeps nothing else alive: a field sliced from a
 * piece of the file would otherwise hold the whole piece for as long as the
 * series keeps its name.
 */
function ownText(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

function periodLabel(frequency: 'annual' | 'quarterly', idx: number): string {
  return frequency === 'annual' ? String(idx) : formatPeriod('quarterly', Math.floor(idx / 4), (idx % 4) + 1);
}

function positionOf(s: SeriesAcc, period: number): number | undefined {
  if (period > s.maxPeriod) return undefined;
  if (!s.index) {
    s.index = new Map();
    s.periods.forEach((p, i) => s.index?.set(p, i));
  }
  return s.index.get(period);
}

/** Where the problems of a read are collected, in the order they are reported. */
interface TidyProblems {
  /** Rows of the wrong shape (field counts, zod), in row order. */
  readonly shape: InputProblem[];
  /** Bad periods, breakdowns, markers and values, in row order. */
  readonly rows: InputProblem[];
  /** Kind or unit changing within a series, and duplicates, in row order. */
  readonly series: InputProblem[];
}

/**
 * The cross-row checks and the datasets, fed one checked row at a time:
 * each row is validated and added to its series' compact arrays as it
 * comes, so nothing holds the rows themselves. The CSV and JSON readers
 * share it.
 */
class TidyAccumulator {
  readonly problems: TidyProblems = { shape: [], rows: [], series: [] };
  readonly tainted = newTainted();
  private readonly seriesByKey = new Map<string, SeriesAcc>();
  private readonly sourceIds = new Map<string, number>();
  private readonly sourceNames: string[] = [];
  private readonly breakdowns = new Map<string, { breakdown: Record<string, string>; key: string }>();
  private readonly suppressions = new Map<string, Suppression>();

  constructor(
    private readonly source: string,
    private readonly options: TidyReadOptions,
  ) {}

  /** A row of the wrong shape: reported, and its series left out of the gap and parts checks. */
  shapeProblem(problems: readonly InputProblem[], area: unknown, measure: unknown, breakdown: unknown, frequency: unknown): void {
    this.problems.shape.push(...problems);
    taint(this.tainted, area, measure, breakdown, frequency);
  }

  private breakdownOf(text: string, problem: (message: string, fix: string) => void): { breakdown: Record<string, string>; key: string } | undefined {
    const hit = this.breakdowns.get(text);
    if (hit) return hit;
    const parsed = parseBreakdownText(text, problem);
    if (!parsed) return undefined;
    const entry = { breakdown: JSON.parse(JSON.stringify(parsed)) as Record<string, string>, key: ownText(formatBreakdown(parsed)) };
    this.breakdowns.set(ownText(text), entry);
    return entry;
  }

  private suppressedOf(text: string, integer: boolean, problem: (message: string, fix: string) => void): Suppression | undefined | false {
    if (text === '') return undefined;
    const k = `${integer ? 1 : 0}${text}`;
    const hit = this.suppressions.get(k);
    if (hit) return hit;
    const parsed = parseSuppressedText(text, integer, problem);
    if (parsed) this.suppressions.set(ownText(k), JSON.parse(JSON.stringify(parsed)) as Suppression);
    return parsed;
  }

  /** A row of the right shape: checked, then added to its series. */
  add(c: Candidate): void {
    const { source } = this;
    let ok = true;
    const at = (field: string) => (message: string, fix: string) => {
      this.problems.rows.push({ source, row: c.row, field, message, fix });
      ok = false;
    };
    let period: ParsedPeriod | undefined;
    if (c.frequency === 'annual' && /^\d{4}$/.test(c.period) && Number(c.period) >= 1900 && Number(c.period) <= 2200) period = { year: Number(c.period) };
    else period = parsePeriod(c.period, c.frequency, at('period'));
    const bd = this.breakdownOf(c.breakdown.trim(), at('breakdown'));
    const integer = c.kind === 'snapshot' || c.kind === 'flow';
    const suppressed = this.suppressedOf(c.suppressed.trim(), integer, at('suppressed'));
    if (c.value !== null) checkValue(c.value, c.kind, at('value'));
    if (c.line !== null && c.source.trim() === '') at('source')(`line ${c.line} given without a source`, 'give the source file name, or leave line empty');
    if (!(ok && period && bd && suppressed !== false)) {
      taint(this.tainted, c.area, c.measure, c.breakdown, c.frequency);
      return;
    }
    const key = seriesKeyOf(c.area, c.measure, bd.key, c.frequency);
    let s = this.seriesByKey.get(key);
    if (s && (s.kind !== c.kind || s.unit !== c.unit)) {
      taint(this.tainted, c.area, c.measure, bd.key, c.frequency);
      this.problems.series.push({
        source,
        row: c.row,
        field: s.kind !== c.kind ? 'kind' : 'unit',
        message: `${c.area} ${c.measure}${bd.key ? ` [${bd.key}]` : ''} is ${c.kind}/${c.unit} here but ${s.kind}/${s.unit} in row ${s.firstRow}`,
        fix: 'give every row of a series the same kind and unit',
      });
      return;
    }
    const idx = c.frequency === 'annual' ? period.year : period.year * 4 + (period.quarter ?? 1) - 1;
    if (!s) {
      s = {
        key: ownText(key),
        area: ownText(c.area),
        measure: ownText(c.measure),
        kind: c.kind,
        unit: c.unit,
        frequency: c.frequency,
        breakdown: { ...bd.breakdown },
        breakdownKey: bd.key,
        firstRow: c.row,
        rows: [],
        periods: [],
        values: [],
        sources: [],
        lines: [],
        suppressed: undefined,
        maxPeriod: -Infinity,
        index: undefined,
      };
      this.seriesByKey.set(s.key, s);
    } else {
      const dup = positionOf(s, idx);
      if (dup !== undefined) {
        this.problems.series.push({
          source,
          row: c.row,
          field: 'period',
          message: `duplicate of row ${s.rows[dup]}: ${c.area} ${c.measure}${bd.key ? ` [${bd.key}]` : ''} ${formatPeriod(c.frequency, period.year, period.quarter)} appears in rows ${s.rows[dup]} and ${c.row}`,
          fix: 'keep one row per area, measure, breakdown and period',
        });
        return;
      }
    }
    const at2 = s.rows.length;
    s.rows.push(c.row);
    s.periods.push(idx);
    s.values.push(c.value === null ? NaN : c.value);
    let sid = -1;
    if (c.source !== '') {
      sid = this.sourceIds.get(c.source) ?? -1;
      if (sid < 0) {
        sid = this.sourceNames.length;
        const name = ownText(c.source);
        this.sourceNames.push(name);
        this.sourceIds.set(name, sid);
      }
    }
    s.sources.push(sid);
    s.lines.push(c.line ?? 0);
    if (suppressed) (s.suppressed ??= new Map()).set(at2, suppressed);
    if (idx > s.maxPeriod) s.maxPeriod = idx;
    s.index?.set(idx, at2);
  }

  /** The gaps in each series (unless allowed). */
  private gapProblems(): InputProblem[] {
    const out: InputProblem[] = [];
    if (this.options.allowGaps) return out;
    for (const s of this.seriesByKey.values()) {
      if (this.tainted.series.has(s.key)) continue;
      const have = new Set(s.periods);
      let lo = Infinity;
      let hi = -Infinity;
      for (const p of have) {
        if (p < lo) lo = p;
        if (p > hi) hi = p;
      }
      if (hi - lo + 1 === have.size) continue;
      const missing: string[] = [];
      for (let i = lo; i <= hi; i++) if (!have.has(i)) missing.push(periodLabel(s.frequency, i));
      const after = s.periods.findIndex((p) => p > lo && !have.has(p - 1));
      out.push({
        source: this.source,
        row: s.rows[after < 0 ? 0 : after],
        field: 'period',
        message: `${s.area} ${s.measure}${s.breakdownKey ? ` [${s.breakdownKey}]` : ''} (${s.frequency}) has gaps: missing ${missing.join(', ')} between ${periodLabel(s.frequency, lo)} and ${periodLabel(s.frequency, hi)}`,
        fix: 'add rows for the missing periods (an empty value with a marker such as x if the figure was not published), or read with allowGaps: true',
      });
    }
    return out;
  }

  /** Counts whose parts add up to more than their total, in the order the first part of each was read. */
  private partsProblems(): InputProblem[] {
    const tolerance = this.options.partsTolerance ?? 0;
    interface Parts {
      readonly parent: SeriesAcc;
      readonly at: number;
      readonly dim: string;
      readonly rows: number[];
      sum: number;
      firstRow: number;
      /** Every known part a multiple of 10. */
      tens: boolean;
    }
    const groups: Parts[] = [];
    const byParent = new Map<SeriesAcc, Map<string, Map<number, Parts>>>();
    for (const s of this.seriesByKey.values()) {
      if ((s.kind !== 'snapshot' && s.kind !== 'flow') || s.breakdownKey === '') continue;
      for (const dim of Object.keys(s.breakdown)) {
        const rest = { ...s.breakdown };
        delete rest[dim];
        const parent = this.seriesByKey.get(seriesKeyOf(s.area, s.measure, formatBreakdown(rest), s.frequency));
        if (!parent || parent.kind !== s.kind || parent.unit !== s.unit) continue;
        let dims = byParent.get(parent);
        if (!dims) byParent.set(parent, (dims = new Map()));
        let cells = dims.get(dim);
        if (!cells) dims.set(dim, (cells = new Map()));
        for (let j = 0; j < s.periods.length; j++) {
          const at = positionOf(parent, s.periods[j]);
          if (at === undefined) continue;
          let g = cells.get(at);
          if (!g) {
            g = { parent, at, dim, rows: [], sum: 0, firstRow: s.rows[j], tens: true };
            cells.set(at, g);
            groups.push(g);
          }
          if (s.rows[j] < g.firstRow) g.firstRow = s.rows[j];
          const v = s.values[j];
          if (!Number.isNaN(v)) {
            g.sum += v;
            g.rows.push(s.rows[j]);
            if (v % 10 !== 0) g.tens = false;
          }
        }
      }
    }
    const out: { firstRow: number; problem: InputProblem }[] = [];
    for (const g of groups) {
      const p = g.parent;
      const total = p.values[g.at];
      if (Number.isNaN(total) || this.tainted.measures.has(measureKeyOf(p.area, p.measure, p.frequency))) continue;
      // the total and every known part multiples of 10: DfE's rounded national and regional figures
      const allowance = g.tens && total % 10 === 0 && total >= 10 ? 5 * (g.rows.length + 1) : 0;
      if (g.sum > total + tolerance + allowance) {
        g.rows.sort((a, b) => a - b);
        out.push({
          firstRow: g.firstRow,
          problem: {
            source: this.source,
            row: p.rows[g.at],
            field: 'value',
            message: `parts exceed the total: the ${g.dim} categories of ${p.area} ${p.measure}${p.breakdownKey ? ` [${p.breakdownKey}]` : ''} ${periodLabel(p.frequency, p.periods[g.at])} sum to ${g.sum} (rows ${g.rows.join(', ')}) but the total is ${total}`,
            fix: 'check the total and its parts (a part may be in the wrong category or counted twice), or allow for rounding with partsTolerance',
          },
        });
      }
    }
    // stable: groups first met on the same row keep their order
    return out.sort((a, b) => a.firstRow - b.firstRow).map((x) => x.problem);
  }

  /** Every problem, or the datasets: areas, series and points in order of first appearance. */
  finish(): Dataset[] {
    const { source } = this;
    const problems = [...this.problems.shape, ...this.problems.rows, ...this.problems.series, ...this.gapProblems(), ...this.partsProblems()];
    if (problems.length > 0) throw new CarecastInputError(problems);
    const datasets = new Map<string, Series[]>();
    for (const s of this.seriesByKey.values()) {
      const quarterly = s.frequency === 'quarterly';
      const points = new Array<{ year: number; quarter?: number; value: number | null; suppressed?: Suppression; provenance?: { source: string; line?: number } }>(s.rows.length);
      for (let i = 0; i < s.rows.length; i++) {
        const v = s.values[i];
        const p = s.periods[i];
        const point: { year: number; quarter?: number; value: number | null; suppressed?: Suppression; provenance?: { source: string; line?: number } } = quarterly
          ? { year: Math.floor(p / 4), value: Number.isNaN(v) ? null : v, quarter: (p % 4) + 1 }
          : { year: p, value: Number.isNaN(v) ? null : v };
        const sup = s.suppressed?.get(i);
        if (sup) point.suppressed = { ...sup };
        const sid = s.sources[i];
        if (sid >= 0) point.provenance = s.lines[i] === 0 ? { source: this.sourceNames[sid] } : { source: this.sourceNames[sid], line: s.lines[i] };
        points[i] = point;
      }
      // the compact arrays are done with: let them go before the next series is built
      for (const a of [s.rows, s.periods, s.values, s.sources, s.lines]) a.length = 0;
      s.index = undefined;
      s.suppressed = undefined;
      const base = { measure: s.measure, kind: s.kind, unit: s.unit, breakdown: s.breakdown as Breakdown, area: s.area };
      const series: Series = quarterly
        ? { frequency: 'quarterly', ...base, points: points as (typeof points[number] & { quarter: number })[] }
        : { frequency: 'annual', ...base, points };
      const list = datasets.get(s.area);
      if (list) list.push(series);
      else datasets.set(s.area, [series]);
    }
    this.seriesByKey.clear();
    const out: Dataset[] = [];
    for (const [area, series] of datasets) {
      const ds: Dataset = { name: area, area: { name: area, level: areaLevelOfName(area) }, series, notes: [] };
      // the series' identities against the schema (every point was checked as its row was read)
      const check = DatasetSchema.safeParse({ ...ds, series: series.map((x) => ({ ...x, points: [] })) });
      if (!check.success) {
        throw new CarecastInputError(
          check.error.issues.map((i) => ({ source, field: i.path.join('.'), message: `${area}: ${i.message}`, fix: 'check the rows of this area' })),
        );
      }
      out.push(ds);
    }
    return out;
  }
}

/** What {@link tidyCsvReader} returns: push the text a piece at a time, then end. */
export interface TidyCsvReader {
  /** Read the next piece of the CSV text (any length, split anywhere). */
  push(text: string): void;
  /** The text has ended: the datasets, or every problem found. */
  end(): Dataset[];
}

const KIND_SET: ReadonlySet<string> = new Set(KINDS);
const UNIT_SET: ReadonlySet<string> = new Set(UNITS);
const MEASURE_NAME = /^[a-z][a-z0-9_]*$/;
const GROUPED_NUMBER = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const LINE_NUMBER = /^\s*(?:[1-9]\d*)?\s*$/;

/**
 * A CSV row's fields as {@link CsvRowSchema} reads them, checked by hand
 * (the same rules, so the same rows pass): `undefined` when any field fails,
 * and the row then goes through the schema for its messages.
 */
function quickRow(raw: Readonly<Record<(typeof TIDY_COLUMNS)[number], string>>): z.infer<typeof CsvRowSchema> | undefined {
  const area = raw.area.trim();
  if (area === '' || !MEASURE_NAME.test(raw.measure) || !KIND_SET.has(raw.kind) || !UNIT_SET.has(raw.unit)) return undefined;
  if (raw.frequency !== 'annual' && raw.frequency !== 'quarterly') return undefined;
  const v = raw.value.trim();
  if (v !== '' && !PLAIN_NUMBER.test(v) && !GROUPED_NUMBER.test(v)) return undefined;
  if (!LINE_NUMBER.test(raw.line)) return undefined;
  return { ...raw, area, kind: raw.kind as SeriesKind, unit: raw.unit as SeriesUnit, frequency: raw.frequency };
}

/** A cell as read back: the formula guard's quote removed (quickly: most cells do not start with one). */
function cellText(s: string | undefined): string {
  if (s === undefined) return '';
  return s.charCodeAt(0) === 39 ? restoreCsvText(s) : s;
}

/**
 * A tidy CSV reader fed a piece of text at a time, for files too large to
 * hold whole: each row is parsed as soon as it is complete, validated (the
 * same checks and messages as {@link readTidyCsv}, which uses it) and added
 * to its series, so neither the text nor the rows are kept. Header problems
 * are thrown from `push` as soon as the header is read; every other problem
 * is collected and thrown together from `end`.
 *
 * @param source - the file name, for messages
 * @param options - `allowGaps`, `partsTolerance`
 * @returns the reader: `push` each piece of text, then `end` for the datasets
 * @throws `CarecastInputError` (from `push`: a bad header or invalid CSV; from `end`: every problem found)
 * @example
 * ```ts
 * const reader = tidyCsvReader('big.csv', { allowGaps: true });
 * for await (const chunk of stream) reader.push(chunk);
 * const datasets = reader.end();
 * ```
 */
export function tidyCsvReader(source: string, options: TidyReadOptions = {}): TidyCsvReader {
  const acc = new TidyAccumulator(source, options);
  let header: string[] | undefined;
  let headerCells: readonly string[] = [];
  const index: number[] = [];
  const onRecord = (cells: string[], line: number): void => {
    if (!header) {
      headerCells = cells;
      header = cells.map((h) => h.trim().toLowerCase());
      const problems: InputProblem[] = [];
      const at = new Map<string, number>();
      header.forEach((h, i) => {
        if (at.has(h)) problems.push({ source, row: 1, field: h, message: `column ${JSON.stringify(h)} appears twice`, fix: 'keep one column of each name' });
        else if (!(TIDY_COLUMNS as readonly string[]).includes(h)) {
          const close = closestMatches(h, TIDY_COLUMNS, 1);
          problems.push({
            source,
            row: 1,
            field: h,
            message: `unknown column ${JSON.stringify(headerCells[i])}`,
            fix: `${close.length > 0 ? `did you mean ${close[0]}? ` : ''}the columns are ${TIDY_COLUMNS.join(',')}`,
          });
        }
        at.set(h, i);
      });
      for (const col of TIDY_COLUMNS) {
        if (!at.has(col)) problems.push({ source, row: 1, field: col, message: `missing column ${col}`, fix: `the header must be ${TIDY_COLUMNS.join(',')}` });
        else index.push(at.get(col) as number);
      }
      if (problems.length > 0) throw new CarecastInputError(problems);
      return;
    }
    const [iArea, iMeasure, iKind, iUnit, iFrequency, iPeriod, iBreakdown, iValue, iSuppressed, iSource, iLine] = index;
    if (cells.length !== header.length) {
      const get = (i: number) => cellText(cells[i]);
      acc.shapeProblem(
        [{ source, row: line, message: `${cells.length} fields, the header has ${header.length}`, fix: 'quote fields that contain commas ("Bristol, City of"), and give every row the same columns as the header' }],
        get(iArea),
        get(iMeasure),
        get(iBreakdown),
        get(iFrequency),
      );
      return;
    }
    const raw = {
      area: cellText(cells[iArea]),
      measure: cellText(cells[iMeasure]),
      kind: cellText(cells[iKind]),
      unit: cellText(cells[iUnit]),
      frequency: cellText(cells[iFrequency]),
      period: cellText(cells[iPeriod]),
      breakdown: cellText(cells[iBreakdown]),
      value: cellText(cells[iValue]),
      suppressed: cellText(cells[iSuppressed]),
      source: cellText(cells[iSource]),
      line: cellText(cells[iLine]),
    };
    let p = quickRow(raw);
    if (!p) {
      const parsed = CsvRowSchema.safeParse(raw);
      if (!parsed.success) {
        acc.shapeProblem(issueProblems(parsed.error.issues, source, line, raw), raw.area, raw.measure, raw.breakdown, raw.frequency);
        return;
      }
      p = parsed.data;
    }
    const valueText = p.value.trim().replace(/,/g, '');
    const value = valueText === '' ? null : Number(valueText);
    acc.add({
      row: line,
      area: p.area,
      measure: p.measure,
      kind: p.kind,
      unit: p.unit,
      frequency: p.frequency,
      period: p.period,
      breakdown: p.breakdown,
      value: value === 0 ? 0 : value,
      suppressed: p.suppressed,
      source: p.source,
      line: p.line.trim() === '' ? null : Number(p.line),
    });
  };
  const csv = csvRecordStream(source, onRecord);
  return {
    push: (text: string) => csv.push(text),
    end(): Dataset[] {
      csv.end();
      if (!header) {
        throw new CarecastInputError([{ source, row: 1, message: 'the file is empty: no header row', fix: `start with the header ${TIDY_COLUMNS.join(',')}` }]);
      }
      return acc.finish();
    },
  };
}

/**
 * Read tidy CSV text into datasets (one per area, in order of first
 * appearance; series and points in file order).
 *
 * Every problem is collected and reported together, each naming the line
 * (header = line 1), the column, the value found and a fix: missing, unknown
 * or repeated columns; rows with the wrong number of fields; bad names,
 * kinds, units and frequencies; bad periods (including dates, with the period
 * they fall in); unknown breakdown keys or categories (with the closest
 * valid ones); unknown suppression markers; negative or fractional counts
 * and shares outside 0-1; duplicate (area, measure, breakdown, period) rows;
 * a series whose kind or unit changes; gaps in a series (unless
 * `allowGaps`); and parts of a breakdown that add up to more than their
 * total. Nothing is returned unless the whole file is valid.
 *
 * Each dataset is named after its area; the area level is `national` for
 * England, `region` for English regions and `local_authority` otherwise.
 *
 * The text goes through {@link tidyCsvReader} in one piece: the same reader
 * `loadTidyCsv` streams a file through, so both give the same datasets and
 * the same problems.
 *
 * @param text - the CSV text, or its bytes (UTF-8)
 * @param source - the file name, for messages
 * @param options - `allowGaps`, `partsTolerance`
 * @returns the datasets
 * @throws `CarecastInputError` listing every problem found
 * @example
 * ```ts
 * const [derby] = readTidyCsv(text, 'derby.csv');
 * const cic = derby.series.find((s) => s.measure === 'children_in_care' && Object.keys(s.breakdown).length === 0);
 * ```
 */
export function readTidyCsv(text: TextInput, source: string, options: TidyReadOptions = {}): Dataset[] {
  const reader = tidyCsvReader(source, options);
  reader.push(decodeText(text));
  return reader.end();
}

/**
 * Line on which each top-level array element of a JSON text starts.
 *
 * @param text - JSON text whose top level is an array
 * @returns one 1-based line per element
 */
function jsonElementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let escape = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (inString) {
      if (escape) escape = false;
      else if (ch === '\\') escape = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (/\s/.test(ch)) continue;
    if (depth === 1 && expectElement && ch !== ']') {
      lines.push(line);
      expectElement = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth++;
      if (depth === 1) expectElement = true;
    } else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 1) expectElement = true;
  }
  return lines;
}

/**
 * Read tidy JSON (an array of tidy records as objects) into datasets, with
 * the same checks as {@link readTidyCsv}. Rows in messages are the lines on
 * which each record starts.
 *
 * @param input - the JSON text, or its bytes (UTF-8)
 * @param source - the file name, for messages
 * @param options - `allowGaps`, `partsTolerance`
 * @returns the datasets
 * @throws `CarecastInputError` listing every problem found (including JSON syntax errors and records of the wrong shape)
 * @example
 * ```ts
 * const datasets = readTidyJson(writeTidyJson(datasetToTidyRecords(ds)), 'ds.json');
 * ```
 */
export function readTidyJson(input: TextInput, source: string, options: TidyReadOptions = {}): Dataset[] {
  const text = decodeText(input);
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(msg);
    const row = pos ? text.slice(0, Number(pos[1])).split('\n').length : undefined;
    throw new CarecastInputError([{ source, row, message: `not valid JSON: ${msg}`, fix: 'check for a missing comma, bracket or quote' }]);
  }
  if (!Array.isArray(data)) {
    throw new CarecastInputError([{ source, row: 1, message: `expected an array of records, found ${data === null ? 'null' : typeof data}`, fix: 'write [ {record}, {record}, ... ]' }]);
  }
  const lines = jsonElementLines(text.replace(/^\ufeff/, ''));
  const acc = new TidyAccumulator(source, options);
  data.forEach((item: unknown, i: number) => {
    const row = lines[i] ?? i + 2;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      acc.problems.shape.push({ source, row, message: `record ${i + 1} is not an object`, fix: 'write each record as an object with the tidy fields' });
      return;
    }
    const parsed = JsonRecordSchema.safeParse(item);
    if (!parsed.success) {
      const o = item as Record<string, unknown>;
      acc.shapeProblem(issueProblems(parsed.error.issues, source, row, o), o.area, o.measure, o.breakdown, o.frequency);
      return;
    }
    const p = parsed.data;
    acc.add({ row, ...p, value: p.value === 0 ? 0 : p.value });
  });
  return acc.finish();
}
