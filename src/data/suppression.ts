/**
 * Reading one published cell: a number, or one of the markers DfE and other
 * official statistics use in place of a number.
 *
 * ## Markers and their upper bounds
 *
 * | marker | meaning | `upper` |
 * |---|---|---|
 * | `c` | confidential: a small count, or a larger one hidden so that a small one cannot be worked out by subtraction (secondary suppression) | unknown |
 * | `x` | EES files: not available; older SFR files: suppressed for confidentiality (primary or secondary) | unknown |
 * | `z` | not applicable (e.g. the authority did not exist that year) | unknown |
 * | `low` | a low figure: rounds to zero but is not zero (DfE), or a rate not shown because the count behind it is small | unknown |
 * | `k` | rounds to zero but is not zero (DfE percentages below 0.5%) | unknown |
 * | `:` `..` | not available | unknown |
 * | `*` | suppressed small number | unknown |
 * | `u` | low reliability, figure not shown | unknown |
 * | `<N` (e.g. `<11`, `<10`, `<5`) | fewer than N | `N - 1` for counts, `N` for rates |
 * | `partly_suppressed` | a sum of parts, some of them suppressed (written by carecast's loaders) | sum of the parts' bounds when known |
 *
 * Why `c` and `x` carry no upper bound: DfE suppresses local authority counts
 * of 1 to 5 (the SFR files 2011-2017 hold no local authority value between 1
 * and 5 in any column, which confirms that primary threshold), but it also
 * applies secondary suppression, hiding larger numbers so that a suppressed
 * one cannot be recovered from a total. The SFR files show it: in 2011 a
 * lone suppressed provider cell must be 6, and in 2015 one authority's four
 * suppressed provider cells add up to 97. So `upper: 5` would be wrong for
 * some cells. Loaders that know a cell's total and sibling cells derive a
 * valid bound themselves (see the SFR loader); {@link parseCount} alone
 * cannot, and leaves `upper` undefined.
 *
 * Newer official statistics write the same markers in square brackets
 * (`[c]`, `[x]`, `[z]`, `[low]`, `[k]`, `[u]`): they mean the same and are
 * read as the bare marker (`[c]` gives marker `c`).
 *
 * An empty cell is read as missing: `value: null` and no suppression marker.
 *
 * @module
 */
import { CarecastInputError } from './errors.js';
import type { Suppression } from './schemas.js';

/** Where a cell sits, for error messages. */
export interface CellContext {
  /** The file name (or a label such as `'argument'`). */
  readonly source: string;
  /** 1-based line of the file, the header being line 1. */
  readonly row?: number;
  /** The column name. */
  readonly field?: string;
}

/** How strictly a cell is read. */
export interface ParseCountOptions {
  /**
   * Require a whole number (default `true`, for counts of children). Pass
   * `false` for rates and other figures published with decimals.
   */
  readonly integer?: boolean;
  /** Allow values below zero (default `false`). */
  readonly allowNegative?: boolean;
}

/** A parsed cell: a number, or `null` with the marker that replaced it. */
export interface ParsedCount {
  /** The number, or `null` when suppressed, not applicable or missing. */
  readonly value: number | null;
  /** The marker and its known upper bound, when the value was withheld. */
  readonly suppressed?: Suppression;
}

/**
 * The markers carecast understands, with their meaning. `<N` markers (such as
 * `<11`) are accepted as well; they are not listed here.
 */
export const SUPPRESSION_MARKERS: Readonly<Record<string, string>> = {
  c: 'confidential: a small count, or one hidden to protect a small count (secondary suppression)',
  x: 'not available, or (older DfE SFR files) suppressed for confidentiality',
  z: 'not applicable',
  low: 'a low figure: rounds to zero but is not zero, or a rate not shown because the count it is based on is small',
  k: 'rounds to zero but is not zero',
  ':': 'not available',
  '..': 'not available',
  '*': 'suppressed small number',
  u: 'low reliability, figure not shown',
  partly_suppressed: 'a sum of parts, some of which are suppressed',
};

const LESS_THAN = /^<\s*(\d+(?:\.\d+)?)$/;
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const GROUPED_NUMBER = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

/**
 * Read a suppression marker, with the upper bound it implies.
 *
 * @param raw - the marker as written, e.g. `c`, `[c]`, `LOW`, `<11` (case, surrounding spaces and square brackets ignored)
 * @param integer - whether the figure is a whole-number count (`<11` then gives `upper: 10`; for a rate `<11` gives `upper: 11`)
 * @returns the marker in canonical form and its upper bound, or `undefined` when `raw` is not a known marker
 * @example
 * ```ts
 * parseSuppressionMarker('<11'); // { marker: '<11', upper: 10 }
 * parseSuppressionMarker('C');   // { marker: 'c' }
 * parseSuppressionMarker('[z]'); // { marker: 'z' }
 * parseSuppressionMarker('n/a'); // undefined
 * ```
 */
export function parseSuppressionMarker(raw: string, integer = true): Suppression | undefined {
  const trimmed = raw.trim();
  const bracketed = /^\[\s*([^\]]+?)\s*\]$/.exec(trimmed);
  const text = bracketed ? bracketed[1] : trimmed;
  const lt = LESS_THAN.exec(text);
  if (lt) {
    const n = Number(lt[1]);
    const upper = integer ? Math.max(0, Math.ceil(n) - 1) : n;
    return { marker: `<${lt[1]}`, upper };
  }
  const lower = text.toLowerCase();
  if (lower !== '' && Object.prototype.hasOwnProperty.call(SUPPRESSION_MARKERS, lower)) return { marker: lower };
  return undefined;
}

/**
 * Parse a number as published: plain (`1057`, `59.5`) or with thousands
 * separators (`1,057`).
 *
 * @param text - the cell text, already trimmed
 * @returns the number, or `undefined` when the text is not a number in one of those forms
 */
function parsePublishedNumber(text: string): number | undefined {
  if (PLAIN_NUMBER.test(text)) return Number(text);
  if (GROUPED_NUMBER.test(text)) return Number(text.replace(/,/g, ''));
  return undefined;
}

/**
 * Read one published cell: a count (or, with `integer: false`, a rate), or a
 * suppression marker.
 *
 * Numbers may carry thousands separators (`1,057`). Markers are listed in
 * {@link SUPPRESSION_MARKERS}; `<N` markers give `upper: N - 1` for counts.
 * `c` and `x` carry no upper bound because DfE also suppresses larger numbers
 * to protect small ones (see the module notes). An empty cell is missing:
 * `{ value: null }` with no marker.
 *
 * @param raw - the cell text as read from the file
 * @param ctx - where the cell is (file, line, column), for the error message
 * @param options - whether a whole number is required (default yes) and whether negatives are allowed (default no)
 * @returns the value, or `null` and the suppression marker
 * @throws `CarecastInputError` for anything else: text that is neither a number nor a known marker, a negative number, or a fraction where a whole number is required; the error names the source, row, field and value found, and says how to fix it
 * @example
 * ```ts
 * parseCount('1,057', { source: 'cla.csv', row: 2, field: 'number' }); // { value: 1057 }
 * parseCount('c', { source: 'cla.csv', row: 3, field: 'number' });     // { value: null, suppressed: { marker: 'c' } }
 * parseCount('<11', { source: 'cla.csv', row: 4, field: 'number' });   // { value: null, suppressed: { marker: '<11', upper: 10 } }
 * parseCount('59.5', { source: 'cla.csv', row: 5, field: 'rate' }, { integer: false }); // { value: 59.5 }
 * ```
 */
export function parseCount(raw: string, ctx: CellContext, options: ParseCountOptions = {}): ParsedCount {
  const integer = options.integer ?? true;
  const allowNegative = options.allowNegative ?? false;
  const text = raw.trim();
  if (text === '') return { value: null };
  const what = integer ? 'a whole-number count' : 'a number';
  const fail = (message: string, fix: string): never => {
    throw new CarecastInputError([{ source: ctx.source, row: ctx.row, field: ctx.field, message, fix }]);
  };
  const n = parsePublishedNumber(text);
  if (n === undefined) {
    const marker = parseSuppressionMarker(text, integer);
    if (marker) return { value: null, suppressed: marker };
    return fail(
      `expected ${what} or a suppression marker (c, x, z, low, k, :, .., *, u, <N, or the same in brackets such as [c]), found ${JSON.stringify(raw)}`,
      'write the number (1057 or 1,057), or the published marker such as c or x if the figure is suppressed; leave the cell empty if it is missing',
    );
  }
  if (!Number.isFinite(n)) return fail(`expected ${what}, found ${JSON.stringify(raw)}`, 'write a finite number');
  if (n < 0 && !allowNegative) {
    return fail(
      `expected ${what} of zero or more, found negative ${JSON.stringify(raw)}`,
      'counts and rates cannot be negative: check the sign, or that the right column is being read',
    );
  }
  if (integer && !Number.isInteger(n)) {
    return fail(
      `expected ${what}, found the fraction ${JSON.stringify(raw)}`,
      'counts of children are whole numbers: correct the figure, or check that a rate or percentage column is not being read as a count',
    );
  }
  return { value: n === 0 ? 0 : n };
}
