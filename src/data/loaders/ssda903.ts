/**
 * Episode-level SSDA903 returns: the header, episodes and UASC files an LA
 * sends the DfE each year, read from several yearly returns at once,
 * validated, de-duplicated and made consistent.
 *
 * Dates are whole days: `dd/mm/yyyy` or ISO `yyyy-mm-dd` in the files, and
 * UTC day numbers (days since 1 January 1970) in memory, so that date
 * arithmetic is exact integer arithmetic (no time zones, no daylight saving;
 * the calendar rules are in `src/data/calendar.ts`).
 *
 * De-duplication and repair across returns (every change is reported as an
 * {@link EpisodeFix}):
 * 1. `duplicate`: the same episode (CHILD and DECOM) with identical fields in
 *    two rows (same or different return): one is kept.
 * 2. `replaced`: the same episode with different fields in two returns: the
 *    row from the later return is kept (it is the LA's later word, e.g. an
 *    episode open at one year end and closed in the next return).
 * 3. `conflict_same_return`: the same episode twice in one return with
 *    different fields: the later row of the file is kept.
 * 4. `open_closed_by_next`: an open episode (empty DEC) followed by a later
 *    episode of the same child: it ends when the next one starts (`REC`
 *    becomes `X1` unless the next episode starts a new period, `RNE` = `S`).
 * 5. `overlap_truncated`: an episode ending after the next episode of the
 *    child starts: it is cut at the next start (the later episode wins), with
 *    `REC` `X1` unless the next episode starts a new period.
 * 6. A child's last episode is open at the end of a return but missing from
 *    every later return loaded. By default (`openNotInLaterReturn: 'keep'`)
 *    it stays open (`open_kept`): the child is taken to be still looked
 *    after, as the DfE's and the LA data teams' demand models do, up to the
 *    eve of the 18th birthday when the date of birth is known (care ends at
 *    18). With `openNotInLaterReturn: 'close'` it is closed on 1 April after
 *    that return (`open_closed`: in care at its 31 March, ceased early in the
 *    next year), reason unknown (`REC` empty). See
 *    {@link Ssda903Options.openNotInLaterReturn} for when each is right.
 * 7. `dob_conflict`: a child whose date of birth differs between header
 *    files: the latest return's date is kept.
 *
 * 8. `end_after_return`: an end date (DEC) after the return's 31 March but
 *    within a later return's year is kept and flagged (a later return's row
 *    for the episode replaces it anyway); `end_date_dropped`: one after the
 *    last return's 31 March, or after `today`, cannot be true of the data and
 *    is left out (the episode is open at the end of its return).
 *
 * A return's year, when not given, is inferred from its dates: the year to
 * 31 March holding most of its end dates (so a few wrong dates cannot move
 * it), or without any end date the first 31 March on or after the latest
 * DECOM.
 *
 * Bad rows (missing CHILD, bad or missing dates, end before start, unknown
 * placement or provider codes, dates that cannot be true: an episode
 * starting after its return's 31 March or after `today`, a date of birth
 * after the episode's start, after the return's 31 March or after `today`, an
 * episode starting on or after the child's 18th birthday; a child missing
 * from the header files) are reported each with its file, line, field, value
 * and fix. By default the load then fails with the full list
 * (`CarecastInputError`); with `lenient: true` those rows are left out,
 * listed in `rejected`, and the rest loads.
 *
 * @module
 */
import type { PlacementGroup, PlacementType, ProviderGroup } from '../codes.js';
import { CarecastInputError, type InputProblem } from '../errors.js';
import { birthdayDay, dayToIso, financialYearOf, marchEnd, parseSsda903Date } from '../calendar.js';
import { cell, ChildIds, CodeTable, columnIndex, csvRows, dateParser, eachRow, NO_REC, OPEN, RawRows, readEpisodeRows } from './ssda903Rows.js';
import type { TextInput } from './textInput.js';

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

/** The text of one yearly SSDA903 return: each file's text, or its bytes (UTF-8). */
export interface Ssda903ReturnText {
  /** The episodes CSV (CHILD, DECOM, RNE, LS, CIN, PLACE, PLACE_PROVIDER, DEC, REC, REASON_PLACE_CHANGE, ...). */
  readonly episodes: TextInput;
  /** The header CSV (CHILD, SEX, DOB, ...), if any. */
  readonly header?: TextInput;
  /** The UASC CSV (CHILD, SEX, DOB, DUC), if any. */
  readonly uasc?: TextInput;
  /** File names for messages (default `episodes`, `header`, `uasc` with the year). */
  readonly sources?: { readonly episodes?: string; readonly header?: string; readonly uasc?: string };
  /**
   * The year of the 31 March the return ends on (2021 = the 2020/21 return).
   * When absent it is inferred: the first 31 March on or after the latest
   * DECOM in the file.
   */
  readonly year?: number;
}

/**
 * What to do with an episode open at the end of its return and missing from
 * every later return: `'keep'` it open (the child is still looked after) or
 * `'close'` it on 1 April after the return (an exit, reason unknown).
 */
export type OpenEpisodeRule = 'keep' | 'close';

/** Options for {@link readSsda903}, `readSsda903Files` and `loadSsda903Folder`. */
export interface Ssda903Options {
  /** Leave bad rows out (listed in `rejected`) instead of failing (default `false`). */
  readonly lenient?: boolean;
  /**
   * An episode open at the end of its return and missing from every later
   * return loaded (default `'keep'`):
   * - `'keep'`: it stays open, so the child is still looked after at the end
   *   of the data (until the eve of the 18th birthday, when the date of birth
   *   is known). This is the convention of the LA data teams' demand models
   *   (D2I's `cs-demand-model`, Social Finance's `ssda903` package) and the
   *   better-evidenced choice: on the synthetic returns cut at 2019, 2020 and
   *   2021, 84 of 84, 49 of 49 and 33 of 36 of the children whose episodes
   *   closing would end are still in care in the full data, and backtests
   *   1-2 years ahead have a mean absolute error of 16 instead of 59
   *   (`benchmarks/RESULTS.md`). Right when later returns may leave out
   *   children still in care: extracts of a case-management system, returns
   *   cut to a cohort, returns not yet validated. On synthetic returns with a
   *   known history (`benchmarks/ssda903-known-truth.ts`) it is exact when
   *   the children missing are still in care, and badly wrong when children
   *   who then leave care go missing too (each stays in care until 18, and
   *   they accumulate): many `open_kept` fixes over several years are the
   *   sign to check.
   * - `'close'`: it ends on 1 April after its return, as an exit of unknown
   *   reason. Right only when every later return is known to be complete (the
   *   DfE's validated SSDA903 returns list every child looked after at any
   *   time in the year), so a child missing from it has left care; and then
   *   the fix names each episode closed, for the data team to check.
   */
  readonly openNotInLaterReturn?: OpenEpisodeRule;
  /** Called after each return's episodes are read, with the returns read and the returns in all (for a progress bar). */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Today, as a day number or a date (`yyyy-mm-dd` or `dd/mm/yyyy`): dates
   * after it cannot be true (an episode starting or a child born after it is
   * a bad row; an end date after it is left out). Default: no such check
   * (the functions read no clock); the CLI gives the day it runs. Dates
   * after the end of their return are checked always.
   */
  readonly today?: number | string;
  /** Area name for the data (default `'SSDA903'`). */
  readonly area?: string;
}

/** One child from the header and UASC files. */
export interface Ssda903Child {
  /** The CHILD identifier. */
  readonly child: string;
  /** SEX code as given (`1` male, `2` female), or `''`. */
  readonly sex: string;
  /** Date of birth as a day number. */
  readonly dob: number;
  /** Whether the child is in a UASC file. */
  readonly uasc: boolean;
  /** Day UASC status ceased (DUC), or `null` when not given. */
  readonly uascUntil: number | null;
  /** Where the date of birth was read (file and line). */
  readonly source: string;
  /** Line of {@link Ssda903Child.source}. */
  readonly line: number;
}

/** One episode of care after cleaning (one placement, legal status and so on). */
export interface Episode {
  /** The CHILD identifier. */
  readonly child: string;
  /** DECOM: first day of the episode (day number). */
  readonly start: number;
  /** DEC: day the episode ceased (day number), or `null` when still open at the end of the data. */
  readonly end: number | null;
  /** RNE: reason for new episode (`S` started to be looked after, `P`, `L`, `T`, `B`, `U`). */
  readonly rne: string;
  /** LS: legal status code. */
  readonly ls: string;
  /** CIN: category of need code. */
  readonly cin: string;
  /** PLACE: placement code, upper case. */
  readonly place: string;
  /** The placement type of {@link Episode.place}. */
  readonly placementType: PlacementType;
  /** The placement group of {@link Episode.place}. */
  readonly placementGroup: PlacementGroup;
  /** PLACE_PROVIDER code, upper case, or `''` when blank. */
  readonly provider: string;
  /** Provider group (`other` when the provider is blank). */
  readonly providerGroup: ProviderGroup;
  /** REC: reason episode ceased, or `null` (open, or unknown after a fix). */
  readonly rec: string | null;
  /** REASON_PLACE_CHANGE, or `''`. */
  readonly reasonPlaceChange: string;
  /** Year of the return the kept row came from. */
  readonly returnYear: number;
  /** File the kept row came from. */
  readonly source: string;
  /** Line of the kept row. */
  readonly line: number;
}

/** The kinds of fix {@link readSsda903} makes. */
export type EpisodeFixKind =
  | 'duplicate'
  | 'replaced'
  | 'conflict_same_return'
  | 'open_closed_by_next'
  | 'overlap_truncated'
  | 'open_kept'
  | 'open_closed'
  | 'end_date_dropped'
  | 'end_after_return'
  | 'dob_conflict';

/**
 * One change made to the input, with where it came from. The fixes of
 * {@link readSsda903} format `decom` and `message` when read (getters; a
 * large load makes hundreds of thousands of routine fixes): read the fields
 * or `JSON.stringify` a fix, which give every field; a spread copy
 * (`{ ...fix }`) leaves those two out.
 */
export interface EpisodeFix {
  /** What kind of fix. */
  readonly kind: EpisodeFixKind;
  /** The child. */
  readonly child: string;
  /** The episode's DECOM as an ISO date (the date of birth for `dob_conflict`). */
  readonly decom: string;
  /** The file of the row changed or dropped. */
  readonly source: string;
  /** The line of the row changed or dropped. */
  readonly row: number;
  /** The row it was resolved against (the one kept, or the next episode), if any. */
  readonly other?: { readonly source: string; readonly row: number };
  /** What was done, in words, with the values before and after. */
  readonly message: string;
}

/** A return as loaded. */
export interface Ssda903ReturnInfo {
  /** Year of the 31 March the return ends on. */
  readonly year: number;
  /** Whether {@link Ssda903ReturnInfo.year} was inferred from the dates. */
  readonly inferred: boolean;
  /** Day number of the return's end (31 March). */
  readonly end: number;
  /** The episodes file name. */
  readonly source: string;
  /** Episode rows read (before de-duplication). */
  readonly rows: number;
}

/** Cleaned SSDA903 data: children, episodes, and everything changed or left out. */
export interface Ssda903Data {
  /** Area name. */
  readonly area: string;
  /** The returns, oldest first. */
  readonly returns: readonly Ssda903ReturnInfo[];
  /** First day covered: 1 April before the first return's 31 March. */
  readonly dataStart: number;
  /** Last day covered: the last return's 31 March. */
  readonly dataEnd: number;
  /** Children from the header files, keyed by CHILD (empty when no header was given). */
  readonly children: ReadonlyMap<string, Ssda903Child>;
  /** The episodes after de-duplication and repair, by child then start. */
  readonly episodes: readonly Episode[];
  /** Every change made, in order. */
  readonly fixes: readonly EpisodeFix[];
  /** Rows left out (only with `lenient`; otherwise the load fails with these). */
  readonly rejected: readonly InputProblem[];
  /** The rule applied to episodes open at the end of their return and missing from later returns. */
  readonly openNotInLaterReturn: OpenEpisodeRule;
  /** Plain-language notes (years inferred, no header files, ...). */
  readonly notes: readonly string[];
}

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

function todayOf(v: number | string): number {
  const d = typeof v === 'number' ? (Number.isInteger(v) ? v : undefined) : parseSsda903Date(v);
  if (d === undefined) throw new CarecastInputError([{ source: 'SSDA903 options', field: 'today', message: `not a date: '${v}'`, fix: 'give today as yyyy-mm-dd, dd/mm/yyyy or a whole day number' }]);
  return d;
}

/** A child as the header files give it so far (the latest return's row), with the 18th birthday once known. */
interface ChildRow {
  sex: string;
  dob: number;
  source: string;
  line: number;
  year: number;
  at18: number | undefined;
}

/**
 * Dates a return cannot hold. An episode starting (DECOM) after the return's
 * 31 March, or after today, is a bad row (a problem). An end date (DEC) after
 * the return's 31 March is flagged: after today, or after the last return's
 * 31 March (where no return of the data covers it), it is left out, so the
 * episode is open at the end of the return (`end_date_dropped`); otherwise it
 * is kept (`end_after_return`), since a later return covers that day: a row of
 * the later return for the same episode replaces it, and where the later
 * returns have no row for the child, the date is the only word on how the
 * episode ended. Sets each kept row's return year.
 */
function checkPeriod(
  rows: RawRows,
  from: number,
  to: number,
  year: number,
  dataEnd: number,
  source: string,
  today: number | undefined,
  problems: InputProblem[],
  fixes: EpisodeFix[],
  names: RowNames,
): number[] {
  const end = marchEnd(year);
  const limit = today === undefined ? end : Math.min(end, today);
  const endLimit = today === undefined ? dataEnd : Math.min(dataEnd, today);
  const why = (day: number): string => (day > end ? `after the end of the return (31 March ${year})` : `after today (${dayToIso(today as number)})`);
  const out: number[] = [];
  for (let e = from; e < to; e++) {
    const start = rows.start[e];
    if (start > limit) {
      problems.push({
        source,
        row: rows.line[e],
        field: 'DECOM',
        message: `DECOM ${dayToIso(start)} is ${why(start)}: a date that cannot be true`,
        fix: start > end ? 'correct the DECOM, or give the episode in the return of the year it starts in' : 'correct the DECOM',
      });
      continue;
    }
    const dec = rows.end[e];
    if (dec !== OPEN && dec > endLimit) {
      const rec = names.rec(rows.rec[e]);
      const afterToday = today !== undefined && dec > today;
      fixes.push(lazyFix('end_date_dropped', names.child(e), start, source, rows.line[e], undefined, msgEndDropped, dec, rec, afterToday, today ?? 0, year));
      rows.end[e] = OPEN;
      rows.rec[e] = NO_REC;
    } else if (dec !== OPEN && dec > end) {
      const rec = names.rec(rows.rec[e]);
      fixes.push(lazyFix('end_after_return', names.child(e), start, source, rows.line[e], undefined, msgEndAfterReturn, dec, rec, year));
    }
    out.push(e);
  }
  return out;
}

/** Strings of the rows' numbers: children's identifiers and codes. */
class RowNames {
  constructor(
    readonly rows: RawRows,
    readonly children: readonly string[],
    readonly codes: readonly string[],
  ) {}
  /** The child of row `e`. */
  child(e: number): string {
    return this.children[this.rows.childId[e]];
  }
  /** A REC code's text, or null. */
  rec(code: number): string | null {
    return code === NO_REC ? null : this.codes[code];
  }
  /** An end day, or null when open. */
  end(day: number): number | null {
    return day === OPEN ? null : day;
  }
}

/**
 * The year of a return from its dates: the year to 31 March holding most of
 * its end dates (DEC), since every episode that ended in a return ended in its
 * year, so a few wrong dates cannot move it; ties go to the later year.
 * Without any DEC, the first 31 March on or after the latest DECOM (not
 * counting DECOMs after `today`).
 */
function inferReturnYear(rows: RawRows, from: number, to: number, today: number | undefined): { year: number; basis: string } | undefined {
  const decDays = new Map<number, number>();
  for (let e = from; e < to; e++) if (rows.end[e] !== OPEN) decDays.set(rows.end[e], (decDays.get(rows.end[e]) ?? 0) + 1);
  const decYears = new Map<number, number>();
  for (const [day, n] of decDays) {
    const y = financialYearOf(day).year;
    decYears.set(y, (decYears.get(y) ?? 0) + n);
  }
  let best: number | undefined;
  let bestCount = 0;
  let total = 0;
  for (const [y, n] of decYears) {
    total += n;
    if (n > bestCount || (n === bestCount && best !== undefined && y > best)) {
      best = y;
      bestCount = n;
    }
  }
  if (best !== undefined) return { year: best, basis: `${bestCount} of its ${total} end dates (DEC) are in the year to 31 March ${best}` };
  let latest = -Infinity;
  for (let e = from; e < to; e++) if (rows.start[e] > latest && (today === undefined || rows.start[e] <= today)) latest = rows.start[e];
  if (!Number.isFinite(latest)) return undefined;
  return { year: financialYearOf(latest).year, basis: `no end dates; the latest DECOM is ${dayToIso(latest)}` };
}

function sameFields(r: RawRows, a: number, b: number): boolean {
  return (
    r.end[a] === r.end[b] &&
    r.rne[a] === r.rne[b] &&
    r.ls[a] === r.ls[b] &&
    r.cin[a] === r.cin[b] &&
    r.place[a] === r.place[b] &&
    r.provider[a] === r.provider[b] &&
    r.rec[a] === r.rec[b] &&
    r.reasonPlaceChange[a] === r.reasonPlaceChange[b]
  );
}

function describeDays(start: number, end: number | null, place: string, rec: string | null): string {
  return `${dayToIso(start)}..${end === null ? 'open' : dayToIso(end)} ${place}${rec ? ` ${rec}` : ''}`;
}

const msgEndDropped = (dec: number, rec: string | null, afterToday: boolean, today: number, year: number): string =>
  `DEC ${dayToIso(dec)}${rec ? ` (REC ${rec})` : ''} is ${afterToday ? `after today (${dayToIso(today)})` : `after the end of the return (31 March ${year}) and of the data`}: left out, so the episode is open at the end of the return`;
const msgEndAfterReturn = (dec: number, rec: string | null, year: number): string =>
  `DEC ${dayToIso(dec)}${rec ? ` (REC ${rec})` : ''} is after the end of the return (31 March ${year}), within a later return's year: kept (a later return's row for the episode would replace it)`;
const msgDobConflict = (prevDob: number, prevYear: number | undefined, dob: number, year: number): string =>
  `date of birth ${dayToIso(prevDob)} (return ${prevYear}) replaced by ${dayToIso(dob)} from the later return ${year}`;
const msgDuplicate = (source: string, line: number): string => `duplicate of ${source}:${line}; one kept`;
const msgReplaced = (later: string, s0: number, e0: number | null, p0: string, r0: string | null, s1: number, e1: number | null, p1: string, r1: string | null): string =>
  `${describeDays(s0, e0, p0, r0)} replaced by the ${later}: ${describeDays(s1, e1, p1, r1)}`;
const msgNext = (wasOpen: boolean, s0: number, e0: number | null, p0: string, r0: string | null, nextStart: number, newRec: string | null): string =>
  `${describeDays(s0, e0, p0, r0)} ${wasOpen ? 'is open but' : 'overlaps:'} the next episode starts ${dayToIso(nextStart)}; now ends ${dayToIso(nextStart)}${newRec ? ` ${newRec}` : ' (reason unknown)'}`;
const msgClosed = (s0: number, e0: number | null, p0: string, r0: string | null, y0: number, close: number): string =>
  `${describeDays(s0, e0, p0, r0)} is open at the end of the ${y0} return but in no later return; closed: now ends ${dayToIso(close)} (reason unknown)`;
const msgKept = (s0: number, e0: number | null, p0: string, r0: string | null, y0: number, at18: number | undefined): string =>
  `${describeDays(s0, e0, p0, r0)} is open at the end of the ${y0} return but in no later return; kept open (still looked after)${at18 !== undefined ? `, to the 18th birthday ${dayToIso(at18)}, when care ends` : ''}`;

/**
 * A fix whose `decom` and `message` are formatted when read, not when made:
 * a large return makes tens of thousands of routine fixes, and formatting
 * their dates eagerly cost time and memory. The fix keeps the day number and
 * a module-level formatter with its plain values (never an object the loader
 * changes afterwards, and no closure inside the loader, which would keep the
 * loader's whole scope alive as long as the fixes), so what it reads is what
 * it would have said when made. `JSON.stringify` gives the same fields in the
 * same order as a plain fix; `decom` and `message` are getters, so a spread
 * copy leaves them out.
 */
class LazyFix implements EpisodeFix {
  readonly #day: number;
  readonly #format: (...args: never[]) => string;
  readonly #args: readonly unknown[];
  declare readonly other?: { readonly source: string; readonly row: number };
  constructor(
    readonly kind: EpisodeFixKind,
    readonly child: string,
    day: number,
    readonly source: string,
    readonly row: number,
    other: { readonly source: string; readonly row: number } | undefined,
    format: (...args: never[]) => string,
    args: readonly unknown[],
  ) {
    this.#day = day;
    if (other !== undefined) (this as { other?: { readonly source: string; readonly row: number } }).other = other;
    this.#format = format;
    this.#args = args;
  }
  get decom(): string {
    return dayToIso(this.#day);
  }
  get message(): string {
    return (this.#format as (...args: readonly unknown[]) => string)(...this.#args);
  }
  toJSON(): EpisodeFix {
    const { kind, child, decom, source, row, other, message } = this;
    return other === undefined ? { kind, child, decom, source, row, message } : { kind, child, decom, source, row, other, message };
  }
}

function lazyFix<A extends unknown[]>(
  kind: EpisodeFixKind,
  child: string,
  day: number,
  source: string,
  row: number,
  other: { readonly source: string; readonly row: number } | undefined,
  format: (...args: A) => string,
  ...args: A
): EpisodeFix {
  return new LazyFix(kind, child, day, source, row, other, format as unknown as (...args: never[]) => string, args);
}

/**
 * Read, validate and clean several yearly SSDA903 returns at once.
 *
 * Rows are checked first (see the module notes for the checks); then the
 * returns are merged: duplicates dropped, later returns preferred, open and
 * overlapping episodes closed at the next episode's start, and open episodes
 * missing from later returns closed. Every change is listed in `fixes`.
 *
 * @param returns - the returns' CSV texts (any order; each with its year, or inferred)
 * @param options - `lenient` (leave bad rows out instead of failing), `area`
 * @returns the cleaned episodes and children, the fixes made and the rows left out
 * @throws CarecastInputError listing every bad row (file, line, field, value, fix) unless `lenient`;
 *   always for a missing required column, an empty file, or two returns for the same year
 * @example
 * ```ts
 * const data = readSsda903([
 *   { year: 2020, episodes: ep2020, header: hd2020 },
 *   { year: 2021, episodes: ep2021, header: hd2021, uasc: uasc2021 },
 * ]);
 * data.episodes.length; data.fixes.filter((f) => f.kind === 'replaced').length;
 * ```
 */
export function readSsda903(returns: readonly Ssda903ReturnText[], options: Ssda903Options = {}): Ssda903Data {
  if (returns.length === 0) {
    throw new CarecastInputError([{ source: 'argument', message: 'no SSDA903 returns given', fix: 'give at least one return with its episodes CSV' }]);
  }
  const problems: InputProblem[] = [];
  const notes: string[] = [];
  const parseDate = dateParser();
  const today = options.today === undefined ? undefined : todayOf(options.today);
  const fixes: EpisodeFix[] = [];
  const childIds = new ChildIds();
  const codes = new CodeTable();
  const rows = new RawRows();
  // 1. episodes, per return, into the columns of \`rows\`
  const parsed = returns.map((r, i) => {
    const src = r.sources?.episodes ?? `episodes${r.year !== undefined ? `-${r.year}` : `#${i + 1}`}`;
    const p = readEpisodeRows(r.episodes, src, i, problems, parseDate, rows, childIds, codes);
    options.onProgress?.(i + 1, returns.length);
    let year = r.year;
    let inferred = false;
    if (year === undefined) {
      const guess = inferReturnYear(rows, p.from, p.to, today);
      if (guess === undefined) {
        throw new CarecastInputError([{ source: src, message: 'cannot infer the return year: no valid episode', fix: 'give the return\u2019s year (the 31 March it ends on)' }]);
      }
      year = guess.year;
      inferred = true;
      notes.push(`${src}: return year ${year} (to 31 March ${year}) inferred from its dates: ${guess.basis}`);
    }
    return { info: { year, inferred, end: marchEnd(year), source: src, rows: p.count } as Ssda903ReturnInfo, from: p.from, to: p.to, kept: [] as number[], text: r };
  });
  const years = new Map<number, string>();
  for (const p of parsed) {
    const other = years.get(p.info.year);
    if (other !== undefined) {
      throw new CarecastInputError([{ source: p.info.source, message: `two returns for the year to 31 March ${p.info.year} (also ${other})`, fix: 'give each yearly return once, or set each return\u2019s year' }]);
    }
    years.set(p.info.year, p.info.source);
  }
  // returns in year order; episodes from later returns win
  const order = parsed.map((p, i) => i).sort((a, b) => parsed[a].info.year - parsed[b].info.year);
  const rank = new Int32Array(parsed.length);
  order.forEach((p, r) => (rank[p] = r));
  const lastYear = parsed[order[order.length - 1]].info.year;
  const names = new RowNames(rows, childIds.names, codes.names);
  for (const p of parsed) p.kept = checkPeriod(rows, p.from, p.to, p.info.year, marchEnd(lastYear), p.info.source, today, problems, fixes, names);
  const retYear = Int32Array.from(parsed, (p) => p.info.year);
  const retSource = parsed.map((p) => p.info.source);

  // 2. header and UASC files: each child once (by its number), the latest return's row winning
  const known: (ChildRow | undefined)[] = [];
  const childOrder: number[] = [];
  let anyHeader = false;
  const uascUntil = new Map<string, number | null>();
  for (const i of order) {
    const { text, info } = parsed[i];
    if (text.header !== undefined) {
      anyHeader = true;
      const src = text.sources?.header ?? `header-${info.year}`;
      let headerIx: Record<string, number> | undefined;
      const any = eachRow(
        text.header,
        src,
        codes,
        parseDate,
        (row) => (headerIx = columnIndex(row, src, ['CHILD', 'DOB'], ['SEX'])),
        (row) => {
          const ix = headerIx as Record<string, number>;
          const id = row.child(ix.CHILD, childIds);
          if (id < 0) {
            problems.push({ source: src, row: row.line, field: 'CHILD', message: 'CHILD is empty', fix: 'give every child\u2019s identifier' });
            return;
          }
          const dob = row.date(ix.DOB);
          if (dob === undefined) {
            const dobText = row.cell(ix.DOB);
            problems.push({ source: src, row: row.line, field: 'DOB', message: dobText === '' ? 'DOB is empty' : `DOB is not a date: '${dobText}'`, fix: 'write dates as dd/mm/yyyy or yyyy-mm-dd' });
            return;
          }
          if (dob > info.end || (today !== undefined && dob > today)) {
            const after = dob > info.end ? `the end of the return (31 March ${info.year})` : `today (${dayToIso(today as number)})`;
            problems.push({ source: src, row: row.line, field: 'DOB', message: `DOB ${row.cell(ix.DOB)} is after ${after}: a date that cannot be true`, fix: 'correct the date of birth' });
            return;
          }
          const prev = known[id];
          if (prev && prev.dob !== dob) {
            fixes.push(lazyFix('dob_conflict', childIds.names[id], dob, prev.source, prev.line, { source: src, row: row.line }, msgDobConflict, prev.dob, prev.year, dob, info.year));
          }
          const sex = row.cell(ix.SEX);
          if (prev) {
            prev.sex = sex;
            prev.dob = dob;
            prev.source = src;
            prev.line = row.line;
            prev.year = info.year;
            prev.at18 = undefined;
          } else {
            while (known.length <= id) known.push(undefined); // a dense array, not a sparse one
            known[id] = { sex, dob, source: src, line: row.line, year: info.year, at18: undefined };
            childOrder.push(id);
          }
        },
      );
      if (!any) throw new CarecastInputError([{ source: src, message: 'the header file is empty', fix: 'give the SSDA903 header CSV with its header line' }]);
    }
    if (text.uasc !== undefined) {
      const src = text.sources?.uasc ?? `uasc-${info.year}`;
      const rows = csvRows(text.uasc, src);
      if (rows.length > 0) {
        const ix = columnIndex(rows[0], src, ['CHILD'], ['DUC']);
        for (let r = 1; r < rows.length; r++) {
          const row = rows[r];
          const child = cell(row, ix.CHILD);
          if (child === '') {
            problems.push({ source: src, row: row.line, field: 'CHILD', message: 'CHILD is empty', fix: 'give every child\u2019s identifier' });
            continue;
          }
          const ducText = cell(row, ix.DUC);
          const duc = ducText === '' ? null : parseDate(ducText);
          if (duc === undefined) {
            problems.push({ source: src, row: row.line, field: 'DUC', message: `DUC is not a date: '${ducText}'`, fix: 'write dates as dd/mm/yyyy or yyyy-mm-dd, or leave DUC empty' });
            continue;
          }
          uascUntil.set(child, duc);
        }
      }
    }
  }
  const children = new Map<string, Ssda903Child>();
  for (const id of childOrder) {
    const c = known[id] as ChildRow;
    const child = childIds.names[id];
    children.set(child, { child, sex: c.sex, dob: c.dob, uasc: false, uascUntil: null, source: c.source, line: c.line });
  }
  for (const [child, duc] of uascUntil) {
    const c = children.get(child);
    if (c) children.set(child, { ...c, uasc: true, uascUntil: duc });
  }
  if (!anyHeader) notes.push('no header files: dates of birth unknown, so ages cannot be derived and the multi-state model cannot be fitted');

  // 3. rows that contradict the header
  let raw: number[] = [];
  for (const p of parsed) raw = raw.concat(p.kept);
  if (anyHeader) {
    const kept: number[] = [];
    for (const e of raw) {
      const c = known[rows.childId[e]];
      const start = rows.start[e];
      const source = retSource[rows.ret[e]];
      const line = rows.line[e];
      if (!c) {
        problems.push({ source, row: line, field: 'CHILD', message: `child '${names.child(e)}' is in no header file, so the date of birth is unknown`, fix: 'add the child to the header file of the return' });
        continue;
      }
      if (c.dob > start) {
        problems.push({
          source,
          row: line,
          field: 'DOB',
          message: `date of birth ${dayToIso(c.dob)} (${c.source}:${c.line}) is after the episode starts (DECOM ${dayToIso(start)})`,
          fix: 'correct the DOB in the header file or the DECOM of the episode',
        });
        continue;
      }
      const at18 = c.at18 ?? (c.at18 = birthdayDay(c.dob, 18));
      if (start >= at18) {
        problems.push({
          source,
          row: line,
          field: 'DECOM',
          message: `the episode starts (DECOM ${dayToIso(start)}) on or after the child's 18th birthday (${dayToIso(at18)}; DOB ${dayToIso(c.dob)}, ${c.source}:${c.line}): children are looked after only before 18`,
          fix: 'correct the DECOM of the episode or the DOB in the header file',
        });
        continue;
      }
      kept.push(e);
    }
    raw = kept;
  }
  if (problems.length > 0 && !options.lenient) throw new CarecastInputError(problems);

  // 4. merge returns: one row per child and DECOM, by child (the order of their identifiers, as \`<\` on strings), start, return year and line
  const childRank = childIds.ranks();
  const { childId, start, end, place, rec: recs, ret, line } = rows;
  raw.sort((a, b) => childRank[childId[a]] - childRank[childId[b]] || start[a] - start[b] || rank[ret[a]] - rank[ret[b]] || line[a] - line[b]);
  const merged: number[] = [];
  const codeNames = codes.names;
  for (const e of raw) {
    const prev = merged.length > 0 ? merged[merged.length - 1] : -1;
    if (prev >= 0 && childId[prev] === childId[e] && start[prev] === start[e]) {
      const same = sameFields(rows, prev, e);
      const kind: EpisodeFixKind = same ? 'duplicate' : retYear[ret[prev]] === retYear[ret[e]] ? 'conflict_same_return' : 'replaced';
      const other = { source: retSource[ret[e]], row: line[e] };
      const child = names.child(e);
      if (same) fixes.push(lazyFix(kind, child, start[e], retSource[ret[prev]], line[prev], other, msgDuplicate, retSource[ret[e]], line[e]));
      else
        fixes.push(
          lazyFix(kind, child, start[e], retSource[ret[prev]], line[prev], other, msgReplaced, kind === 'replaced' ? 'later return' : 'later row', start[prev], names.end(end[prev]), codeNames[place[prev]], names.rec(recs[prev]), start[e], names.end(end[e]), codeNames[place[e]], names.rec(recs[e])),
        );
      merged[merged.length - 1] = e;
    } else merged.push(e);
  }

  // 5. per child: open or overlapping episodes, open episodes not carried forward
  const returnEnd = new Map<number, number>(parsed.map((p) => [p.info.year, p.info.end]));
  const openRule: OpenEpisodeRule = options.openNotInLaterReturn ?? 'keep';
  const dataEnd = marchEnd(lastYear);
  const episodes: Episode[] = [];
  const S = codes.id('S');
  for (let i = 0; i < merged.length; i++) {
    const e = merged[i];
    const next = i + 1 < merged.length && childId[merged[i + 1]] === childId[e] ? merged[i + 1] : -1;
    const eEnd = names.end(end[e]);
    const eRec = names.rec(recs[e]);
    const eYear = retYear[ret[e]];
    const eSource = retSource[ret[e]];
    const ePlace = codeNames[place[e]];
    let endDay = eEnd;
    let rec = eRec;
    if (next >= 0) {
      if (endDay === null || endDay > start[next]) {
        const newRec = rows.rne[next] === S ? (endDay === null ? null : rec) : 'X1';
        const wasOpen = endDay === null;
        fixes.push(
          lazyFix(wasOpen ? 'open_closed_by_next' : 'overlap_truncated', names.child(e), start[e], eSource, line[e], { source: retSource[ret[next]], row: line[next] }, msgNext, wasOpen, start[e], eEnd, ePlace, eRec, start[next], newRec),
        );
        endDay = start[next];
        rec = newRec;
      }
    } else if (endDay === null && eYear < lastYear) {
      const returnEndDay = returnEnd.get(eYear) ?? marchEnd(eYear);
      if (openRule === 'close') {
        const close = returnEndDay + 1;
        fixes.push(lazyFix('open_closed', names.child(e), start[e], eSource, line[e], undefined, msgClosed, start[e], eEnd, ePlace, eRec, eYear, close));
        endDay = close;
        rec = null;
      } else {
        // kept open: the child is still looked after, until the eve of the 18th birthday when it falls within the data
        const c = known[childId[e]];
        const at18 = c === undefined ? undefined : (c.at18 ?? (c.at18 = birthdayDay(c.dob, 18)));
        const ends18 = at18 !== undefined && at18 > returnEndDay && at18 <= dataEnd;
        fixes.push(lazyFix('open_kept', names.child(e), start[e], eSource, line[e], undefined, msgKept, start[e], eEnd, ePlace, eRec, eYear, ends18 ? at18 : undefined));
        if (ends18) {
          endDay = at18;
          rec = null;
        }
      }
    }
    const pg = codes.placement(place[e]) as { type: PlacementType; group: PlacementGroup };
    episodes.push({
      child: names.child(e),
      start: start[e],
      end: endDay,
      rne: codeNames[rows.rne[e]],
      ls: codeNames[rows.ls[e]],
      cin: codeNames[rows.cin[e]],
      place: ePlace,
      placementType: pg.type,
      placementGroup: pg.group,
      provider: codeNames[rows.provider[e]],
      providerGroup: codes.provider(rows.provider[e]) as ProviderGroup,
      rec,
      reasonPlaceChange: codeNames[rows.reasonPlaceChange[e]],
      returnYear: eYear,
      source: eSource,
      line: line[e],
    });
  }
  const firstYear = parsed[order[0]].info.year;
  return {
    area: options.area ?? 'SSDA903',
    returns: order.map((i) => parsed[i].info),
    dataStart: marchEnd(firstYear - 1) + 1,
    dataEnd: marchEnd(lastYear),
    children,
    episodes,
    fixes,
    rejected: problems,
    openNotInLaterReturn: openRule,
    notes,
  };
}

/**
 * Format a fix as one line: `file:row CHILD decom kind: message`.
 *
 * @param fix - the fix
 * @returns the line
 * @example
 * ```ts
 * data.fixes.map(formatEpisodeFix).join('\n');
 * // '2017-episodes.csv:4 296227 2017-09-13 replaced: 2017-09-13..open U4 replaced by the later return: ...'
 * ```
 */
export function formatEpisodeFix(fix: EpisodeFix): string {
  return `${fix.source}:${fix.row} ${fix.child} ${fix.decom} ${fix.kind}: ${fix.message}`;
}

/**
 * Count fixes by kind.
 *
 * @param fixes - the fixes, e.g. `data.fixes`
 * @returns the number of each kind (every kind present, zero when none)
 * @example
 * ```ts
 * summariseEpisodeFixes(data.fixes).replaced; // 910
 * ```
 */
export function summariseEpisodeFixes(fixes: readonly EpisodeFix[]): Record<EpisodeFixKind, number> {
  const out: Record<EpisodeFixKind, number> = {
    duplicate: 0,
    replaced: 0,
    conflict_same_return: 0,
    open_closed_by_next: 0,
    overlap_truncated: 0,
    open_kept: 0,
    open_closed: 0,
    end_date_dropped: 0,
    end_after_return: 0,
    dob_conflict: 0,
  };
  for (const f of fixes) out[f.kind]++;
  return out;
}
