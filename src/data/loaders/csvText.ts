/**
 * Reading CSV text and matching names: the helpers every loader shares.
 *
 * Nothing here touches the file system (no `node:fs`), so the readers built
 * on it take `(text, source)`, the text or its bytes ({@link TextInput}), and
 * run wherever the text comes from: Node, a browser, a worker.
 *
 * @module
 */
import { parse } from 'csv-parse/sync';
import { CarecastInputError } from '../errors.js';
import type { Area } from '../schemas.js';
import { decodeText, type TextInput } from './textInput.js';

/** One CSV record with the file line it starts on. */
export interface CsvRow {
  /** 1-based line of the file on which the record starts (the header is line 1). */
  readonly line: number;
  /** The record's fields, unquoted. */
  readonly cells: readonly string[];
}

/**
 * Parse CSV text into records, each with the line it starts on. A leading
 * byte-order mark is removed; empty lines are skipped (and still counted);
 * quoted fields may hold commas, quotes and line breaks; records may have
 * different numbers of fields (callers check).
 *
 * @param input - the whole file: its text, or its bytes (UTF-8)
 * @param source - the file name, for error messages
 * @returns every record in order, the header first
 * @throws `CarecastInputError` when the text is not valid CSV (for example an unclosed quote), naming the line
 * @example
 * ```ts
 * readCsvRows('a,b\n1,"x, y"\n', 'f.csv');
 * // [{ line: 1, cells: ['a', 'b'] }, { line: 2, cells: ['1', 'x, y'] }]
 * ```
 */
export function readCsvRows(input: TextInput, source: string): CsvRow[] {
  const text = decodeText(input);
  let records: { record: string[]; info: { bytes: number; lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as {
      record: string[];
      info: { bytes: number; lines: number };
    }[];
  } catch (e) {
    const err = e as { message?: string; lines?: number };
    throw new CarecastInputError([
      {
        source,
        row: typeof err.lines === 'number' ? err.lines : undefined,
        message: `not valid CSV: ${err.message ?? String(e)}`,
        fix: 'check for an unclosed double quote or a stray quote inside an unquoted field; quote fields that contain commas, quotes or line breaks',
      },
    ]);
  }
  // Line numbers from byte offsets: csv-parse's own line counter counts a CRLF
  // inside a quoted field twice.
  const buf = new TextEncoder().encode(text);
  const breaks: number[] = [];
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b === 0x0a) breaks.push(i);
    else if (b === 0x0d && buf[i + 1] !== 0x0a) breaks.push(i);
  }
  const lineAt = (offset: number): number => {
    let lo = 0;
    let hi = breaks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (breaks[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
  let start = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  const rows: CsvRow[] = [];
  for (const r of records) {
    let s = start;
    while (s < buf.length && (buf[s] === 0x0a || buf[s] === 0x0d)) s++;
    rows.push({ line: lineAt(s), cells: r.record });
    start = r.info.bytes;
  }
  return rows;
}

/**
 * Edit distance between two strings (Levenshtein).
 *
 * @param a - first string
 * @param b - second string
 * @returns the number of single-character insertions, deletions and substitutions turning `a` into `b`
 * @example
 * ```ts
 * editDistance('Derbys', 'Derby'); // 1
 * ```
 */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/**
 * Normalise a name for matching: lower case, punctuation (`.`, `,`, `'`, `-`,
 * `_`) as spaces, `&` as `and`, runs of spaces collapsed.
 *
 * @param name - a name as written
 * @returns the normalised name
 * @example
 * ```ts
 * normaliseName('St. Helens'); // 'st helens'
 * ```
 */
export function normaliseName(name: string): string {
  return name
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[.,'’\-_()]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The candidates closest to a query, best first: names starting with the
 * query, then names containing it, then names within a small edit distance.
 *
 * @param query - what the user typed
 * @param candidates - the valid names
 * @param max - how many to return (default 5)
 * @returns up to `max` candidates, best first (empty when nothing is close)
 * @example
 * ```ts
 * closestMatches('derbys', ['Derby', 'Derbyshire', 'Devon']); // ['Derbyshire']
 * closestMatches('foster', ['fostering', 'residential']);      // ['fostering']
 * ```
 */
export function closestMatches(query: string, candidates: readonly string[], max = 5): string[] {
  const q = normaliseName(query);
  if (q === '') return [];
  const scored: { name: string; score: number }[] = [];
  for (const name of new Set(candidates)) {
    const c = normaliseName(name);
    let score: number | undefined;
    if (c === q) score = 0;
    else if (c.startsWith(q)) score = 1 + (c.length - q.length) / 100;
    else if (c.includes(q)) score = 2;
    else {
      const d = editDistance(q, c);
      if (d <= Math.max(2, Math.floor(q.length / 3))) score = 3 + d;
    }
    if (score !== undefined) scored.push({ name, score });
  }
  scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  return scored.slice(0, max).map((s) => s.name);
}

/** An English region as DfE names it, with its ONS code. */
export interface EnglishRegion {
  /** The name, e.g. `Yorkshire and The Humber`. */
  readonly name: string;
  /** The ONS code, e.g. `E12000003` (`E13000001`/`E13000002` for Inner/Outer London). */
  readonly code: string;
}

/** English regions (and Inner/Outer London) as DfE names them, with ONS codes. */
export const ENGLISH_REGIONS: readonly EnglishRegion[] = [
  { name: 'North East', code: 'E12000001' },
  { name: 'North West', code: 'E12000002' },
  { name: 'Yorkshire and The Humber', code: 'E12000003' },
  { name: 'East Midlands', code: 'E12000004' },
  { name: 'West Midlands', code: 'E12000005' },
  { name: 'East of England', code: 'E12000006' },
  { name: 'London', code: 'E12000007' },
  { name: 'Inner London', code: 'E13000001' },
  { name: 'Outer London', code: 'E13000002' },
  { name: 'South East', code: 'E12000008' },
  { name: 'South West', code: 'E12000009' },
];

/**
 * The level of an area known only by name: `national` for England, `region`
 * for the English regions (and Inner/Outer London), otherwise
 * `local_authority`.
 *
 * @param name - the area name
 * @returns the area level
 * @example
 * ```ts
 * areaLevelOfName('England');    // 'national'
 * areaLevelOfName('South West'); // 'region'
 * areaLevelOfName('Derby');      // 'local_authority'
 * ```
 */
export function areaLevelOfName(name: string): Area['level'] {
  const n = normaliseName(name);
  if (n === 'england') return 'national';
  if (ENGLISH_REGIONS.some((r) => normaliseName(r.name) === n)) return 'region';
  return 'local_authority';
}
