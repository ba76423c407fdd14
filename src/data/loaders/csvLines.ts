/**
 * Unquoted CSV text read line by line without splitting it into strings:
 * each line's fields are kept as bounds in the text, and a field becomes a
 * string only when asked. A million-row SSDA903 file split into lines and
 * cells made ten million short strings, most of its load's time and
 * garbage; read this way a row costs its child identifier and nothing else.
 *
 * What it gives is exactly what splitting gives: the text without a leading
 * byte-order mark, split into physical lines at `\r\n`, `\n` or `\r`
 * (numbered from 1), empty lines skipped, each line's cells split at
 * commas. Only for text without double quotes (the usual SSDA903 export);
 * quoted text goes through `readCsvRows`.
 *
 * @module
 */
import { parseSsda903Date } from '../calendar.js';
import type { CsvRow } from './csvText.js';

/** One line of an unquoted CSV text: its line number and its fields' bounds (the object is reused from line to line). */
export class CsvLine {
  /** Line number (from 1). */
  line = 0;
  /** Number of cells on the line (commas + 1). */
  count = 0;
  /** Start of the line in the text. */
  start = 0;
  /** End of the line in the text (exclusive). */
  end = 0;
  /** Start of each of the first `maxFields` fields. */
  readonly starts: Int32Array;
  /** End (exclusive) of each of the first `maxFields` fields. */
  readonly ends: Int32Array;

  /**
   * @param text - the whole text
   * @param maxFields - fields kept per line (the highest column index needed + 1)
   */
  constructor(
    readonly text: string,
    readonly maxFields: number,
  ) {
    this.starts = new Int32Array(maxFields + 1);
    this.ends = new Int32Array(maxFields + 1);
  }

  /**
   * Cell `i` as the text holds it (`''` when the line has fewer cells, or `i` is negative).
   *
   * @param i - the column index
   * @returns the untrimmed cell
   * @example
   * ```ts
   * line.raw(0); // '101718'
   * ```
   */
  raw(i: number): string {
    return i >= 0 && i < this.count && i < this.maxFields ? this.text.slice(this.starts[i], this.ends[i]) : '';
  }

  /**
   * Cell `i` trimmed (`''` when the line has fewer cells), as `cells[i].trim()`.
   *
   * @param i - the column index
   * @returns the trimmed cell
   * @example
   * ```ts
   * line.cell(0); // '101718'
   * ```
   */
  cell(i: number): string {
    if (i < 0 || i >= this.count || i >= this.maxFields) return '';
    const a = this.starts[i];
    const b = this.ends[i];
    if (b === a) return '';
    const s = this.text.slice(a, b);
    return needsTrim(this.text.charCodeAt(a)) || needsTrim(this.text.charCodeAt(b - 1)) ? s.trim() : s;
  }
}

/** Whether a character may be white space that `String.prototype.trim` removes (a superset: then trim is called). */
function needsTrim(c: number): boolean {
  return c <= 32 || c >= 127;
}

/**
 * Visit every non-empty physical line of an unquoted CSV text, in order:
 * the first (the header line) as its cells, the others as fields' bounds.
 *
 * @param text - the text (without double quotes)
 * @param header - called with the first non-empty line's cells; returns how many fields per line the rows need
 * @param fn - called with each later line (the same object, updated: read it before returning)
 * @returns whether the text had a header line
 * @example
 * ```ts
 * scanCsvLines('A,B\n1,2\n', () => 2, (l) => console.log(l.line, l.cell(1))); // 2 2
 * ```
 */
export function scanCsvLines(text: string, header: (row: CsvRow) => number, fn: (line: CsvLine) => void): boolean {
  let f: CsvLine | undefined;
  let maxFields = 0;
  let starts: Int32Array = new Int32Array(1);
  let ends: Int32Array = new Int32Array(1);
  const n = text.length;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  for (;;) {
    let k = 0;
    starts[0] = pos;
    let i = pos;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 44) {
        if (k < maxFields) ends[k] = i;
        k++;
        if (k < maxFields) starts[k] = i + 1;
      } else if (c === 10 || c === 13) break;
    }
    if (k < maxFields) ends[k] = i;
    if (i > pos) {
      if (f === undefined) {
        maxFields = Math.max(0, header({ line, cells: text.slice(pos, i).split(',') }));
        f = new CsvLine(text, maxFields);
        starts = f.starts;
        ends = f.ends;
      } else {
        f.line = line;
        f.count = k + 1;
        f.start = pos;
        f.end = i;
        fn(f);
      }
    }
    if (i >= n) return f !== undefined;
    pos = text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
    line++;
  }
}

/** Years the date table covers: 1900 (the earliest date `parseSsda903Date` accepts) to 2299. */
const FIRST_YEAR = 1900;
const YEARS = 400;

/**
 * Dates of cells as day numbers, read from the characters: a cell written
 * `dd/mm/yyyy` or `yyyy-mm-dd` is looked up by its year, month and day in a
 * table filled by `parseSsda903Date` the first time each date is met, so
 * every result is `parseSsda903Date`'s own; any other cell (other forms,
 * white space, empty) goes to `parseSsda903Date` through `slow`.
 */
export class CsvDates {
  /** Day number per (year, month 1-12, day 1-31); NaN: not yet parsed; Infinity: not a date. */
  readonly #table = new Float64Array(YEARS * 12 * 31).fill(Number.NaN);

  /** @param slow - how any other cell's text is parsed (e.g. a cache in front of `parseSsda903Date`) */
  constructor(readonly slow: (text: string) => number | undefined) {}

  /**
   * The date in cell `i` of a line, as `parseSsda903Date(line.cell(i))` gives it.
   *
   * @param l - the line
   * @param i - the column index
   * @returns the day number, or `undefined` when the cell is not a date (or is empty)
   * @example
   * ```ts
   * dates.of(line, 1); // 18352 for 31/03/2020
   * ```
   */
  of(l: CsvLine, i: number): number | undefined {
    if (i >= 0 && i < l.count && i < l.maxFields && l.ends[i] - l.starts[i] === 10) {
      const t = l.text;
      const a = l.starts[i];
      let y = -1;
      let m = 0;
      let d = 0;
      if (t.charCodeAt(a + 2) === 47 && t.charCodeAt(a + 5) === 47) {
        d = digits2(t, a);
        m = digits2(t, a + 3);
        y = digits4(t, a + 6);
      } else if (t.charCodeAt(a + 4) === 45 && t.charCodeAt(a + 7) === 45) {
        y = digits4(t, a);
        m = digits2(t, a + 5);
        d = digits2(t, a + 8);
      }
      if (y >= FIRST_YEAR && y < FIRST_YEAR + YEARS && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
        const k = ((y - FIRST_YEAR) * 12 + m - 1) * 31 + d - 1;
        let v = this.#table[k];
        if (Number.isNaN(v)) {
          const p = parseSsda903Date(t.slice(a, a + 10));
          v = this.#table[k] = p === undefined ? Infinity : p;
        }
        return v === Infinity ? undefined : v;
      }
    }
    return this.slow(l.cell(i));
  }
}

/** Two ASCII digits as a number, or -1000 when either is not a digit. */
function digits2(t: string, a: number): number {
  const c0 = t.charCodeAt(a) - 48;
  const c1 = t.charCodeAt(a + 1) - 48;
  return c0 >= 0 && c0 <= 9 && c1 >= 0 && c1 <= 9 ? c0 * 10 + c1 : -1000;
}

/** Four ASCII digits as a number, or -1 when any is not a digit. */
function digits4(t: string, a: number): number {
  const h = digits2(t, a);
  const l = digits2(t, a + 2);
  return h >= 0 && l >= 0 ? h * 100 + l : -1;
}

/**
 * Codes (RNE, LS, PLACE, REC, ...) take a few dozen values over a million
 * rows: each cell's code (`cell.trim().toUpperCase()` of the untrimmed cell,
 * `''` when absent) as its number from `intern`, found from the cell's
 * characters (up to 4 ASCII characters) without making a string per row.
 */
export class CsvCodes {
  readonly #short = new Map<number, number>();
  readonly #long = new Map<string, number>();

  /** @param intern - the number of a code (trimmed, upper case) */
  constructor(readonly intern: (code: string) => number) {}

  /**
   * Cell `i` of a line as a code's number.
   *
   * @param l - the line
   * @param i - the column index
   * @returns `intern` of the code
   * @example
   * ```ts
   * codes.of(line, 5); // the number of 'U4'
   * ```
   */
  of(l: CsvLine, i: number): number {
    if (i < 0 || i >= l.count || i >= l.maxFields) return this.intern('');
    const a = l.starts[i];
    const b = l.ends[i];
    if (b - a <= 4) {
      const t = l.text;
      let key = b - a;
      let ascii = true;
      for (let j = a; j < b; j++) {
        const c = t.charCodeAt(j);
        if (c >= 128) {
          ascii = false;
          break;
        }
        key = key * 128 + c;
      }
      if (ascii) {
        let v = this.#short.get(key);
        if (v === undefined) {
          v = this.intern(t.slice(a, b).trim().toUpperCase());
          this.#short.set(key, v);
        }
        return v;
      }
    }
    const raw = l.text.slice(a, b);
    let v = this.#long.get(raw);
    if (v === undefined) {
      v = this.intern(raw.trim().toUpperCase());
      this.#long.set(raw, v);
    }
    return v;
  }
}
