/**
 * Reading the rows of SSDA903 files: the episodes of every return into
 * columns (typed arrays of day numbers, children's and codes' numbers, one
 * row per index, no object per row), and a row's cells however the file
 * was written (unquoted text read from its characters, quoted text through
 * `readCsvRows`). The cleaning of the rows is in `ssda903.ts`.
 *
 * @module
 */
import { placementGroupOf, providerGroupOf, type PlacementGroup, type PlacementType, type ProviderGroup } from '../codes.js';
import { parseSsda903Date } from '../calendar.js';
import { CarecastInputError, type InputProblem } from '../errors.js';
import { CsvCodes, CsvDates, scanCsvLines, type CsvLine } from './csvLines.js';
import { readCsvRows, type CsvRow } from './csvText.js';
import { decodeText, type TextInput } from './textInput.js';

/**
 * The columns of a CSV header row: the index of each required and optional
 * column (-1 when an optional one is absent).
 *
 * @throws CarecastInputError naming the required columns missing
 */
export function columnIndex(header: CsvRow, source: string, required: readonly string[], optional: readonly string[]): Record<string, number> {
  const names = header.cells.map((c) => c.trim().toUpperCase());
  const idx: Record<string, number> = {};
  const missing: string[] = [];
  for (const r of required) {
    const i = names.indexOf(r);
    if (i < 0) missing.push(r);
    idx[r] = i;
  }
  for (const o of optional) idx[o] = names.indexOf(o);
  if (missing.length > 0) {
    throw new CarecastInputError([
      {
        source,
        row: header.line,
        field: missing.join(', '),
        message: `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (found: ${header.cells.join(', ')})`,
        fix: `the first line must name the SSDA903 columns, including ${required.join(', ')}`,
      },
    ]);
  }
  return idx;
}

/**
 * CSV records with their line numbers: a fast path for text without double
 * quotes (the usual SSDA903 export: every physical line is one record, split
 * on commas), giving exactly what {@link readCsvRows} gives for such text;
 * {@link readCsvRows} itself for anything quoted.
 */
export function csvRows(input: TextInput, source: string): CsvRow[] {
  const text = decodeText(input);
  if (text.includes('"')) return readCsvRows(text, source);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split(/\r\n|\n|\r/);
  const out: CsvRow[] = [];
  for (let i = 0; i < lines.length; i++) if (lines[i] !== '') out.push({ line: i + 1, cells: lines[i].split(',') });
  return out;
}

/** Dates repeat across thousands of rows: parse each distinct text once per load. */
export function dateParser(): (text: string) => number | undefined {
  const cache = new Map<string, number | undefined>();
  return (text: string) => {
    let v = cache.get(text);
    if (v === undefined && !cache.has(text)) {
      v = parseSsda903Date(text);
      cache.set(text, v);
    }
    return v;
  };
}

/** Cell `i` of a row, trimmed (`''` when absent). */
export const cell = (row: CsvRow, i: number): string => (i >= 0 && i < row.cells.length ? row.cells[i].trim() : '');

/**
 * The value of an identifier written as a plain whole number (1 to 9
 * digits, no leading zero, no spaces), or -1: such identifiers are found by
 * their value, without making a string for each row.
 */
function plainNumber(text: string, a: number, b: number): number {
  const len = b - a;
  if (len < 1 || len > 9 || (len > 1 && text.charCodeAt(a) === 48)) return -1;
  let n = 0;
  for (let j = a; j < b; j++) {
    const c = text.charCodeAt(j) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * One string and one number per child: the same identifier in every row
 * shares them (and rows sort by the number's rank). Identifiers that are
 * plain whole numbers are found by their value (in a table up to 2^22, a
 * map above), the others by their text; an identifier always takes the same
 * way, so each has one number.
 */
export class ChildIds {
  readonly #byText = new Map<string, number>();
  readonly #byValue = new Map<number, number>();
  #table = new Int32Array(0);
  readonly names: string[] = [];
  /** The number of the child with this (trimmed, non-empty) identifier. */
  id(child: string): number {
    const n = plainNumber(child, 0, child.length);
    if (n >= 0) return this.ofNumber(n, child, 0, child.length);
    let v = this.#byText.get(child);
    if (v === undefined) {
      v = this.names.length;
      this.#byText.set(child, v);
      this.names.push(child);
    }
    return v;
  }
  /** The number of the child whose identifier is the plain whole number `n`, written in `text` from `a` to `b`. */
  ofNumber(n: number, text: string, a: number, b: number): number {
    if (n < 1 << 22) {
      if (n >= this.#table.length) {
        let size = Math.max(1024, this.#table.length);
        while (size <= n) size *= 2;
        const t = new Int32Array(size).fill(-1);
        t.set(this.#table);
        this.#table = t;
      }
      let v = this.#table[n];
      if (v < 0) {
        v = this.#table[n] = this.names.length;
        this.names.push(text.slice(a, b));
      }
      return v;
    }
    let v = this.#byValue.get(n);
    if (v === undefined) {
      v = this.names.length;
      this.#byValue.set(n, v);
      this.names.push(text.slice(a, b));
    }
    return v;
  }
  /** Each child's rank in the order of their identifiers (`<` on strings). */
  ranks(): Int32Array {
    const names = this.names;
    const order = Array.from(names.keys()).sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
    const rank = new Int32Array(order.length);
    order.forEach((id, r) => (rank[id] = r));
    return rank;
  }
}

/** Codes as numbers: one number per distinct (trimmed, upper case) code of the load; `''` is 0. */
export class CodeTable {
  readonly #index = new Map<string, number>([['', 0]]);
  /** The codes, by number. */
  readonly names: string[] = [''];
  #placement: ({ type: PlacementType; group: PlacementGroup } | null | undefined)[] = [];
  #provider: (ProviderGroup | null | undefined)[] = [];
  /** The number of a code. */
  readonly id = (code: string): number => {
    let v = this.#index.get(code);
    if (v === undefined) {
      v = this.names.length;
      this.#index.set(code, v);
      this.names.push(code);
    }
    return v;
  };
  /** `placementGroupOf` of a code, by its number (once per code). */
  placement(id: number): { type: PlacementType; group: PlacementGroup } | undefined {
    let v = this.#placement[id];
    if (v === undefined) {
      while (this.#placement.length <= id) this.#placement.push(undefined);
      v = this.#placement[id] = placementGroupOf(this.names[id]) ?? null;
    }
    return v ?? undefined;
  }
  /** The provider group of a PLACE_PROVIDER code by its number: `other` when blank, `providerGroupOf` otherwise. */
  provider(id: number): ProviderGroup | undefined {
    let v = this.#provider[id];
    if (v === undefined) {
      while (this.#provider.length <= id) this.#provider.push(undefined);
      v = this.#provider[id] = id === 0 ? 'other' : (providerGroupOf(this.names[id]) ?? null);
    }
    return v ?? undefined;
  }
}

/** An end date that is not there (an open episode) in {@link RawRows.end}. */
export const OPEN = -2147483648;
/** A reason for ending that is not there in {@link RawRows.rec}. */
export const NO_REC = -1;

/** The episode rows of every return, as columns: row `i` of the load is index `i` of each. */
export class RawRows {
  /** Rows held. */
  length = 0;
  childId = new Int32Array(1024);
  start = new Int32Array(1024);
  /** DEC as a day number, or {@link OPEN}. */
  end = new Int32Array(1024);
  rne = new Int32Array(1024);
  ls = new Int32Array(1024);
  cin = new Int32Array(1024);
  place = new Int32Array(1024);
  provider = new Int32Array(1024);
  /** REC's code, or {@link NO_REC}. */
  rec = new Int32Array(1024);
  reasonPlaceChange = new Int32Array(1024);
  /** Index of the return the row is in. */
  ret = new Int32Array(1024);
  line = new Int32Array(1024);

  /** Room for one more row; returns its index. */
  add(): number {
    const n = this.length;
    if (n === this.start.length) {
      const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.childId = grow(this.childId);
      this.start = grow(this.start);
      this.end = grow(this.end);
      this.rne = grow(this.rne);
      this.ls = grow(this.ls);
      this.cin = grow(this.cin);
      this.place = grow(this.place);
      this.provider = grow(this.provider);
      this.rec = grow(this.rec);
      this.reasonPlaceChange = grow(this.reasonPlaceChange);
      this.ret = grow(this.ret);
      this.line = grow(this.line);
    }
    this.length = n + 1;
    return n;
  }
}

/** A row's cells, however the file was read. */
export interface RowCells {
  /** Line of the row. */
  readonly line: number;
  /** Cell `i` trimmed, `''` when absent. */
  cell(i: number): string;
  /** Whether cell `i` is empty once trimmed (or absent). */
  blank(i: number): boolean;
  /** Cell `i` as a code's number in the load's {@link CodeTable}. */
  code(i: number): number;
  /** Cell `i` as a day number (`parseSsda903Date` of the trimmed cell). */
  date(i: number): number | undefined;
  /** The child in cell `i` (trimmed) as its number in `ids`, or -1 when the cell is empty. */
  child(i: number, ids: ChildIds): number;
}

/** The cells of an unquoted file's line, read from the text (no string per cell). */
class LineCells implements RowCells {
  l: CsvLine | undefined;
  constructor(
    readonly codes: CsvCodes,
    readonly dates: CsvDates,
  ) {}
  get line(): number {
    return (this.l as CsvLine).line;
  }
  cell(i: number): string {
    return (this.l as CsvLine).cell(i);
  }
  blank(i: number): boolean {
    const l = this.l as CsvLine;
    if (i < 0 || i >= l.count || i >= l.maxFields || l.ends[i] === l.starts[i]) return true;
    const c0 = l.text.charCodeAt(l.starts[i]);
    const c1 = l.text.charCodeAt(l.ends[i] - 1);
    return c0 > 32 && c0 < 127 && c1 > 32 && c1 < 127 ? false : l.cell(i) === '';
  }
  code(i: number): number {
    return this.codes.of(this.l as CsvLine, i);
  }
  date(i: number): number | undefined {
    return this.dates.of(this.l as CsvLine, i);
  }
  child(i: number, ids: ChildIds): number {
    const l = this.l as CsvLine;
    if (i >= 0 && i < l.count && i < l.maxFields) {
      const n = plainNumber(l.text, l.starts[i], l.ends[i]);
      if (n >= 0) return ids.ofNumber(n, l.text, l.starts[i], l.ends[i]);
    }
    const s = l.cell(i);
    return s === '' ? -1 : ids.id(s);
  }
}

/** The cells of a row read by `readCsvRows` (quoted files). */
class RowArrayCells implements RowCells {
  row: CsvRow | undefined;
  readonly #codes = new Map<string, number>();
  constructor(
    readonly intern: (code: string) => number,
    readonly parseDate: (text: string) => number | undefined,
  ) {}
  get line(): number {
    return (this.row as CsvRow).line;
  }
  cell(i: number): string {
    return cell(this.row as CsvRow, i);
  }
  blank(i: number): boolean {
    return this.cell(i) === '';
  }
  code(i: number): number {
    const row = this.row as CsvRow;
    if (!(i >= 0 && i < row.cells.length)) return this.intern('');
    const raw = row.cells[i];
    let v = this.#codes.get(raw);
    if (v === undefined) {
      v = this.intern(raw.trim().toUpperCase());
      this.#codes.set(raw, v);
    }
    return v;
  }
  date(i: number): number | undefined {
    return this.parseDate(this.cell(i));
  }
  child(i: number, ids: ChildIds): number {
    const s = this.cell(i);
    return s === '' ? -1 : ids.id(s);
  }
}

/**
 * Every row of a CSV text after its header line, one at a time: unquoted
 * text (the usual SSDA903 export) read from its characters (no string per
 * line or cell; see `csvLines.ts`), quoted text by `readCsvRows`. `header`
 * gets the header row and returns the column indexes the rows use.
 *
 * @returns whether the text had a header line
 */
export function eachRow(
  input: TextInput,
  source: string,
  codes: CodeTable,
  parseDate: (text: string) => number | undefined,
  header: (row: CsvRow) => Record<string, number>,
  fn: (row: RowCells) => void,
): boolean {
  const text = decodeText(input);
  if (text.includes('"')) {
    let seen = false;
    const cells = new RowArrayCells(codes.id, parseDate);
    for (const r of readCsvRows(text, source)) {
      if (!seen) {
        seen = true;
        header(r);
        continue;
      }
      cells.row = r;
      fn(cells);
    }
    return seen;
  }
  const cells = new LineCells(new CsvCodes(codes.id), new CsvDates(parseDate));
  return scanCsvLines(
    text,
    (row) => Math.max(...Object.values(header(row))) + 1,
    (l) => {
      cells.l = l;
      fn(cells);
    },
  );
}

/**
 * Read one return's episodes file into the load's columns: every row that
 * passes the row checks (CHILD given, DECOM a date, DEC empty or a date not
 * before DECOM, known PLACE and PLACE_PROVIDER codes); each failure is a
 * problem with its file, line, field and fix.
 *
 * @returns the rows added (`from` to `to`, exclusive) and the rows read
 * @throws CarecastInputError when the file is empty or misses a required column
 */
export function readEpisodeRows(
  text: TextInput,
  source: string,
  returnIndex: number,
  problems: InputProblem[],
  parseDate: (text: string) => number | undefined,
  rows: RawRows,
  childIds: ChildIds,
  codes: CodeTable,
): { from: number; to: number; count: number } {
  let ix: Record<string, number> | undefined;
  let count = 0;
  const from = rows.length;
  const any = eachRow(
    text,
    source,
    codes,
    parseDate,
    (row) => (ix = columnIndex(row, source, ['CHILD', 'DECOM', 'RNE', 'LS', 'PLACE', 'PLACE_PROVIDER', 'DEC', 'REC'], ['CIN', 'REASON_PLACE_CHANGE'])),
    (row) => {
      const x = ix as Record<string, number>;
      count++;
      const line = row.line;
      let bad = false;
      const childId = row.child(x.CHILD, childIds);
      if (childId < 0) {
        problems.push({ source, row: line, field: 'CHILD', message: 'CHILD is empty', fix: 'give every episode the child\u2019s identifier, as in the header file' });
        bad = true;
      }
      const start = row.date(x.DECOM);
      if (start === undefined) {
        const decomText = row.cell(x.DECOM);
        problems.push({ source, row: line, field: 'DECOM', message: decomText === '' ? 'DECOM (episode start) is empty' : `DECOM is not a date: '${decomText}'`, fix: 'write dates as dd/mm/yyyy or yyyy-mm-dd' });
        bad = true;
      }
      let end: number | null = null;
      if (!row.blank(x.DEC)) {
        const e = row.date(x.DEC);
        if (e === undefined) {
          problems.push({ source, row: line, field: 'DEC', message: `DEC is not a date: '${row.cell(x.DEC)}'`, fix: 'write dates as dd/mm/yyyy or yyyy-mm-dd, or leave DEC empty for an episode still open' });
          bad = true;
        } else end = e;
      }
      if (start !== undefined && end !== null && end < start) {
        problems.push({ source, row: line, field: 'DEC', message: `episode ends (DEC ${row.cell(x.DEC)}) before it starts (DECOM ${row.cell(x.DECOM)})`, fix: 'correct DEC or DECOM; DEC must be on or after DECOM' });
        bad = true;
      }
      const place = row.code(x.PLACE);
      const pg = codes.placement(place);
      if (!pg) {
        const placeText = codes.names[place];
        problems.push({ source, row: line, field: 'PLACE', message: placeText === '' ? 'PLACE is empty' : `unknown placement code '${placeText}'`, fix: 'use an SSDA903 placement code (A3-A6, H5, K1-K3, P1-P3, R1-R5, S1, T0-T4, U1-U6, Z1)' });
        bad = true;
      }
      const provider = row.code(x.PLACE_PROVIDER);
      if (!codes.provider(provider)) {
        problems.push({ source, row: line, field: 'PLACE_PROVIDER', message: `unknown provider code '${codes.names[provider]}'`, fix: 'use PR0-PR5, or leave it empty' });
        bad = true;
      }
      if (bad || start === undefined) return;
      const rec = row.code(x.REC);
      const k = rows.add();
      rows.childId[k] = childId;
      rows.start[k] = start;
      rows.end[k] = end === null ? OPEN : end;
      rows.rne[k] = row.code(x.RNE);
      rows.ls[k] = row.code(x.LS);
      rows.cin[k] = row.code(x.CIN);
      rows.place[k] = place;
      rows.provider[k] = provider;
      rows.rec[k] = end === null || rec === 0 ? NO_REC : rec;
      rows.reasonPlaceChange[k] = row.code(x.REASON_PLACE_CHANGE);
      rows.ret[k] = returnIndex;
      rows.line[k] = line;
    },
  );
  if (!any) {
    throw new CarecastInputError([{ source, message: 'the episodes file is empty', fix: 'give the SSDA903 episodes CSV with its header line' }]);
  }
  return { from, to: rows.length, count };
}
