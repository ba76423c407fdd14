/**
 * Age bands with ageing: an annual cohort-component model of children in
 * care over the five DfE age bands.
 *
 * ## The model
 *
 * Stocks are children in care at 31 March by age band (age at 31 March):
 * `under_1`, `1_4`, `5_9`, `10_15`, `16_plus`. The band widths in years are
 * 1, 4, 5, 6 and 2 (care ends at the 18th birthday, so `16_plus` is ages 16
 * and 17). For the year from 31 March `t-1` to 31 March `t`, with `S_b` the
 * stock at the start and `N` the year's starters:
 *
 * 1. **Starters** arrive by band: `N_b = π_b N`, with `π` the starters' age
 *    distribution (age at starting).
 * 2. **Exits other than at 18**: `X_b = e_b (S_b + N_b)`. The children at
 *    risk of leaving are those in care at the start plus those who started,
 *    as in the stock-flow model (`projectStockFlow`): `e_b` is "ceased in
 *    the year / (stock at the start + starters)" in band `b`.
 * 3. **Ageing**: of those who stay, a fraction `a_b` of the children in care
 *    at the start, and `c_b` of the starters, move up to band `b+1` by the
 *    next 31 March: `O_b = (1 - e_b)(a_b S_b + c_b N_b)`. From `16_plus`,
 *    moving up means reaching 18: `O_16plus` children **leave care at their
 *    18th birthday** (a hard exit, reported separately as `leaversAt18`).
 * 4. `S_b(t) = S_b + N_b - X_b - O_b + O_{b-1}`.
 *
 * So `total(t) = total(t-1) + N - ΣX_b - leaversAt18` exactly, every stock
 * stays non-negative (`S_b + N_b - X_b - O_b = (1-e_b)((1-a_b)S_b + (1-c_b)N_b)`),
 * and the bands sum to the total.
 *
 * **Ageing assumption** (default): ages are spread evenly within a band, so
 * a child in band `b` at 31 March crosses its upper boundary within a year
 * with probability `a_b = 1 / width_b` (1, 1/4, 1/5, 1/6, 1/2); a starter is
 * in care for half the year on average, so `c_b = a_b / 2`
 * (`starterAgeingWeight`). Both can be overridden (`ageingFractions`,
 * `starterAgeingWeight`), or scaled to the data (`ageing: 'estimated'`) when
 * stock, starters and leavers are all known by band: the accounting identity
 * then gives the number who actually moved up each year. On Derby's
 * dashboard (2022/23 and 2023/24) the even-spread assumption gives 63 and 72
 * leavers at 18 against 77 and 69 published; it is poorest for `under_1`
 * (16 and 18 under-1s at 31 March against 29 and 32 published), because
 * many babies start care at birth and are still under 1 at 31 March.
 *
 * ## Estimation, and what is done when data are missing
 *
 * - **Starters' age shares** `π`: given (`starterShares`), else pooled from
 *   starters by band, else (warned) the average age distribution of the
 *   stock.
 * - **Exit rates** `e`: given (`exitRates`), else pooled from leavers by band
 *   (`ΣX_b / Σ(S_b + N_b)`), else the total of leavers (including those at 18)
 *   apportioned with the same rate in every band (or in proportion to
 *   `exitRateProfile`) after the modelled leavers at 18, else (warned) the
 *   leavers implied by the stock change and starters.
 * - **Starters per year** (for fitting): observed, else implied by the stock
 *   change and the total of leavers, else (warned) implied by the model's own
 *   total equation with the exit rates.
 *
 * @module
 */
import { AGE_BANDS, type AgeBand } from '../data/codes.js';
import { CarecastInputError, type InputProblem } from '../data/errors.js';
import type { AnnualSeries, Breakdown, Dataset, QuarterlySeries } from '../data/schemas.js';
import { breakdownKey } from '../data/breakdown.js';
import type { SeriesInput, YearValue } from '../data/yearValue.js';
import { createRng, streamSeed, type Rng } from '../math/rng.js';
import type { SamplePaths } from '../models/types.js';
import { pathBands, type PathBands } from '../uncertainty/pathBands.js';

/** Width of each DfE age band in years (`16_plus` is 2: care ends at 18). */
export const AGE_BAND_WIDTHS: Readonly<Record<AgeBand, number>> = { under_1: 1, '1_4': 4, '5_9': 5, '10_15': 6, '16_plus': 2 };

/** A value per age band. */
export type BandValues<T> = Readonly<Record<AgeBand, T>>;

/** An annual series (or year/value pairs) per age band. */
export type BandSeriesInput = Readonly<Record<AgeBand, SeriesInput>>;

/**
 * The history {@link fitAgeing} learns from. Annual periods: the stock at 31
 * March of `year`; flows in the year ending 31 March of `year`.
 */
export interface AgeingInput {
  /** A label for error messages and warnings (default `'ageing input'`). */
  readonly source?: string;
  /** Children in care at 31 March by age band (age at 31 March). Every band must have the same years; `null` marks a suppressed value. */
  readonly stockByBand: BandSeriesInput;
  /** Published total children in care, to check the bands against (see `totalTolerance`). */
  readonly stockTotal?: SeriesInput;
  /** Children starting care in the year, by age band at starting. */
  readonly startersByBand?: BandSeriesInput;
  /** Total children starting care in the year. */
  readonly startersTotal?: SeriesInput;
  /** Children ceasing care in the year other than at their 18th birthday, by age band at ceasing (`16_plus` = ceased aged 16 or 17). */
  readonly ceasedByBand?: BandSeriesInput;
  /** Children ceasing care at 18 in the year (compared with the modelled leavers at 18). */
  readonly ceasedAt18?: SeriesInput;
  /** Total children ceasing care in the year, including those leaving at 18. */
  readonly ceasedTotal?: SeriesInput;
}

/** Options for {@link fitAgeing}: assumptions that replace or shape estimates. */
export interface AgeingFitOptions {
  /** Exit rates other than at 18, per band, each in [0, 1]; replaces the estimates. */
  readonly exitRates?: BandValues<number>;
  /** Starters' age distribution: five shares, each ≥ 0, summing to 1 (within 1e-6); replaces the estimate. */
  readonly starterShares?: BandValues<number>;
  /** Relative exit rates used when only a total of leavers is known (default: the same rate in every band). */
  readonly exitRateProfile?: BandValues<number>;
  /** Fraction of the children in a band at 31 March who move up a band within a year, per band, each in [0, 1] (default `1 / width`). */
  readonly ageingFractions?: Partial<BandValues<number>>;
  /** Starters move up at this multiple of the stock's ageing fraction, in [0, 1] (default 0.5: in care half the year on average). */
  readonly starterAgeingWeight?: number;
  /**
   * `'uniform'` (default): the ageing fractions above. `'estimated'`: scale
   * each band's fractions so the model reproduces the number who moved up
   * according to the accounting identity, pooled over the years where stock,
   * starters and leavers are all known by band.
   */
  readonly ageing?: 'uniform' | 'estimated';
  /** Largest allowed gap between the sum of the bands and `stockTotal` (and between flows by band and their totals), in children (default 1). */
  readonly totalTolerance?: number;
}

/** The parameters of the annual ageing step. */
export interface AgeingParams {
  /** Exit rate other than at 18, per band, of the children at risk (stock at the start + starters). */
  readonly exitRates: BandValues<number>;
  /** Starters' age distribution (sums to 1). */
  readonly starterShares: BandValues<number>;
  /** Fraction of the stayers in care at the start who move up a band in the year (from `16_plus`: who reach 18 and leave). */
  readonly ageingFractions: BandValues<number>;
  /** Fraction of the staying starters who move up a band by the next 31 March. */
  readonly starterAgeingFractions: BandValues<number>;
}

/** One year of the ageing step. */
export interface AgeingStepResult {
  /** Stock at the end of the year (31 March) by band. */
  readonly stock: BandValues<number>;
  /** Total stock at the end of the year. */
  readonly total: number;
  /** Starters by band. */
  readonly starters: BandValues<number>;
  /** Exits other than at 18 by band. */
  readonly exits: BandValues<number>;
  /** Children moving up out of each band (from `16_plus`: the leavers at 18). */
  readonly movedUp: BandValues<number>;
  /** Children leaving care at their 18th birthday. */
  readonly leaversAt18: number;
}

/** How each part of an {@link AgeingFit} was obtained. */
export interface AgeingEstimation {
  /** `given` (option), `ceasedByBand`, `ceasedTotal` (apportioned) or `impliedCeased` (from the stock change and starters). */
  readonly exitRates: 'given' | 'ceasedByBand' | 'ceasedTotal' | 'impliedCeased';
  /** `given` (option), `startersByBand`, or `stock` (the stock's average age distribution). */
  readonly starterShares: 'given' | 'startersByBand' | 'stock';
  /** `uniform` (1 / width), `given` (`ageingFractions` option) or `estimated` (scaled to the accounting identity). */
  readonly ageing: 'uniform' | 'given' | 'estimated';
}

/** One historical year checked one year ahead. */
export interface AgeingTransition {
  /** The year ending 31 March (stock at `year - 1` → stock at `year`). */
  readonly year: number;
  /** The starters used: observed, or implied (see `startersSource`). */
  readonly starters: number;
  /** `observed`; `impliedFromCeased` (stock change + total leavers); `impliedFromModel` (the model's total equation). */
  readonly startersSource: 'observed' | 'impliedFromCeased' | 'impliedFromModel';
  /** Observed stock at 31 March `year`. */
  readonly observed: BandValues<number>;
  /** The model's stock one year ahead from the observed stock at `year - 1` and the year's starters split by the fitted shares. */
  readonly predicted: BandValues<number>;
  /** Observed minus predicted. */
  readonly residuals: BandValues<number>;
  /** Leavers at 18: the model's, and the observed count when given. */
  readonly leaversAt18: { readonly predicted: number; readonly observed?: number };
  /**
   * Children who moved up out of each band according to the accounting
   * identity (`S_b(t-1) + N_b - X_b + moved into b - S_b(t)`), when stock,
   * starters and leavers by band are all known for the year.
   */
  readonly impliedMovedUp?: BandValues<number>;
}

/** A fitted ageing model: parameters, how they were found, and the one-year-ahead check. */
export interface AgeingFit {
  /** The input's label. */
  readonly source: string;
  /** The fitted parameters. */
  readonly params: AgeingParams;
  /** How each parameter was obtained. */
  readonly estimation: AgeingEstimation;
  /** Years with a complete stock by band (no suppressed band). */
  readonly years: readonly number[];
  /** The year projections start from: the last complete year. */
  readonly baseYear: number;
  /** The stock by band at 31 March of `baseYear`. */
  readonly baseStock: BandValues<number>;
  /** Every year with a complete stock at its start and end, checked one year ahead. */
  readonly transitions: readonly AgeingTransition[];
  /** Root mean square one-year-ahead residual per band (`NaN` with no transitions). */
  readonly rmse: BandValues<number>;
  /** Plain-language warnings about assumptions and data. */
  readonly warnings: readonly string[];
}

/** Options for {@link projectAgeing}. */
export interface AgeingProjectionOptions {
  /** Years beyond the base year. Give this or `to`. */
  readonly horizon?: number;
  /** Last year to project. Give this or `horizon`. */
  readonly to?: number;
  /**
   * Total starters per projected year (entry 0 = the year to 31 March
   * `baseYear + 1`), at least `horizon` entries; or simulated paths of
   * starters (e.g. `projectStockFlow(...).paths.started` or a model's
   * `simulate()`), with at least `horizon` steps: then the point projection
   * uses their mean per year and the simulation runs one path per starters
   * path.
   */
  readonly starters: readonly number[] | SamplePaths;
  /** Simulate this many paths (default: none for a starters array; the number of starters paths for paths). */
  readonly paths?: number;
  /** Seed of the simulation (default 1); the same seed gives the same paths. */
  readonly seed?: number;
  /** Interval levels in percent for the simulated bands (default 80 and 95). */
  readonly levels?: readonly number[];
}

/** Simulated paths of an ageing projection and their bands. */
export interface AgeingSimulation {
  /** Number of paths. */
  readonly paths: number;
  /** The seed used. */
  readonly seed: number;
  /** Stock paths by band (whole children). */
  readonly stock: BandValues<SamplePaths>;
  /** Total stock paths: in every path and year, the sum of the bands. */
  readonly total: SamplePaths;
  /** Leavers at 18 per path and year. */
  readonly leaversAt18: SamplePaths;
  /** Exits other than at 18 (all bands) per path and year. */
  readonly exits: SamplePaths;
  /** Starters (all bands) per path and year. */
  readonly starters: SamplePaths;
  /** Bands of the total stock. */
  readonly totalBands: PathBands;
  /** Bands of each band's stock. */
  readonly stockBands: BandValues<PathBands>;
}

/** The result of {@link projectAgeing}. */
export interface AgeingProjection {
  /** The year the projection starts from. */
  readonly baseYear: number;
  /** The stock by band at 31 March of `baseYear`. */
  readonly baseStock: BandValues<number>;
  /** Projected years (31 March). */
  readonly years: readonly number[];
  /** Point projection of the stock by band, per year. */
  readonly stock: BandValues<readonly number[]>;
  /** Point projection of the total (the sum of the bands), per year. */
  readonly total: readonly number[];
  /** Starters by band, per year. */
  readonly starters: BandValues<readonly number[]>;
  /** Exits other than at 18 by band, per year. */
  readonly exits: BandValues<readonly number[]>;
  /** Children moving up out of each band, per year (from `16_plus`: the leavers at 18). */
  readonly movedUp: BandValues<readonly number[]>;
  /** Children leaving care at their 18th birthday, per year. */
  readonly leaversAt18: readonly number[];
  /** Simulated paths, when asked for. */
  readonly simulation?: AgeingSimulation;
  /** The fit's warnings, and any about the projection. */
  readonly warnings: readonly string[];
}

/** An {@link AgeingInput} built from a dataset, with notes on what was used or left out. */
export interface AgeingInputConversion {
  /** The input for {@link fitAgeing}. */
  readonly input: AgeingInput;
  /** What the conversion did: snapshots taken, quarters summed, years left out. */
  readonly notes: readonly string[];
}

// ---------------------------------------------------------------------------
// helpers

const LAST = AGE_BANDS.length - 1;

function mapBands<T>(f: (b: AgeBand, i: number) => T): Record<AgeBand, T> {
  const out = {} as Record<AgeBand, T>;
  AGE_BANDS.forEach((b, i) => {
    out[b] = f(b, i);
  });
  return out;
}

function sumBands(v: BandValues<number>): number {
  let s = 0;
  for (const b of AGE_BANDS) s += v[b];
  return s;
}

const UNIFORM: BandValues<number> = mapBands((b) => 1 / AGE_BAND_WIDTHS[b]);
const BAND_LIST = AGE_BANDS.join(', ');

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(3);
}

/** A validated annual series: year → value (null = suppressed). */
type YearMap = Map<number, number | null>;

function pointsOf(input: SeriesInput): readonly YearValue[] {
  return Array.isArray(input) ? (input as readonly YearValue[]) : (input as AnnualSeries).points;
}

function readSeries(input: unknown, source: string, field: string, problems: InputProblem[]): YearMap | undefined {
  if (input === null || typeof input !== 'object') {
    problems.push({ source, field, message: `expected an annual series or an array of { year, value }, got ${input === null ? 'null' : typeof input}`, fix: 'give [{ year: 2023, value: 41 }, ...] or an AnnualSeries' });
    return undefined;
  }
  if (!Array.isArray(input) && !Array.isArray((input as { points?: unknown }).points)) {
    problems.push({ source, field, message: 'expected an annual series or an array of { year, value }', fix: 'give [{ year: 2023, value: 41 }, ...] or an AnnualSeries' });
    return undefined;
  }
  if (!Array.isArray(input) && (input as { frequency?: unknown }).frequency === 'quarterly') {
    problems.push({ source, field, message: 'a quarterly series was given where annual values are needed', fix: 'convert quarterly tables first with ageingInputFromQuarterly (31 March snapshots, flows summed over four quarters)' });
    return undefined;
  }
  const out: YearMap = new Map();
  const before = problems.length;
  pointsOf(input as SeriesInput).forEach((p, i) => {
    const year = (p as { year?: unknown }).year;
    const value = (p as { value?: unknown }).value;
    if (typeof year !== 'number' || !Number.isInteger(year)) {
      problems.push({ source, row: i + 1, field, message: `point ${i + 1}: year must be a whole number, got ${String(year)}`, fix: 'give the year of the 31 March, e.g. 2023' });
      return;
    }
    if (out.has(year)) {
      problems.push({ source, row: i + 1, field, message: `${year} appears twice`, fix: 'keep one value per year' });
      return;
    }
    if (value === null) {
      out.set(year, null);
      return;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      problems.push({ source, row: i + 1, field, message: `${year}: value must be a finite number or null, got ${String(value)}`, fix: 'use null for a missing or suppressed value' });
      return;
    }
    if (value < 0) {
      problems.push({ source, row: i + 1, field, message: `${year}: negative count ${value}`, fix: 'counts cannot be negative; check the source table' });
      return;
    }
    out.set(year, value);
  });
  return problems.length > before ? undefined : out;
}

function readBands(input: unknown, source: string, label: string, problems: InputProblem[]): Record<AgeBand, YearMap> | undefined {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    problems.push({ source, field: label, message: `expected an object with one series per age band, got ${Array.isArray(input) ? 'an array' : String(input)}`, fix: `give { ${AGE_BANDS.map((b) => `'${b}': [...]`).join(', ')} }` });
    return undefined;
  }
  const rec = input as Record<string, unknown>;
  const before = problems.length;
  for (const k of Object.keys(rec)) {
    if (!(AGE_BANDS as readonly string[]).includes(k)) {
      problems.push({ source, field: `${label}.${k}`, message: `unknown age band "${k}"`, fix: `use the DfE bands ${BAND_LIST} (ageBandOf maps an age to its band); for 16-17 use 16_plus` });
    }
  }
  const maps = {} as Record<AgeBand, YearMap>;
  for (const b of AGE_BANDS) {
    if (rec[b] === undefined) {
      problems.push({ source, field: `${label}.${b}`, message: `no series for band ${b}`, fix: `give a series for every band: ${BAND_LIST}` });
      continue;
    }
    const m = readSeries(rec[b], source, `${label}.${b}`, problems);
    if (m) maps[b] = m;
  }
  if (problems.length > before) return undefined;
  const all = [...new Set(AGE_BANDS.flatMap((b) => [...maps[b].keys()]))].sort((a, c) => a - c);
  for (const b of AGE_BANDS) {
    for (const y of all) {
      if (!maps[b].has(y)) {
        const have = AGE_BANDS.filter((o) => maps[o].has(y));
        problems.push({ source, field: `${label}.${b}`, message: `no value for ${y}, which ${have.join(', ')} ha${have.length === 1 ? 's' : 've'}`, fix: 'give every band the same years (use null for a suppressed value)' });
      }
    }
  }
  return problems.length > before ? undefined : maps;
}

/** The bands' values in a year, if none is missing or suppressed. */
function bandsAt(maps: Record<AgeBand, YearMap> | undefined, year: number): Record<AgeBand, number> | undefined {
  if (!maps) return undefined;
  const out = {} as Record<AgeBand, number>;
  for (const b of AGE_BANDS) {
    const v = maps[b].get(year);
    if (v === undefined || v === null) return undefined;
    out[b] = v;
  }
  return out;
}

function valueAt(m: YearMap | undefined, year: number): number | undefined {
  const v = m?.get(year);
  return v === null ? undefined : v;
}

function checkBandRecord(
  v: unknown,
  source: string,
  field: string,
  problems: InputProblem[],
  opts: { max?: number; partial?: boolean; what: string },
): Partial<Record<AgeBand, number>> | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    problems.push({ source, field, message: `expected an object with a number per age band`, fix: `give { ${AGE_BANDS.map((b) => `'${b}': …`).join(', ')} }` });
    return undefined;
  }
  const rec = v as Record<string, unknown>;
  const before = problems.length;
  for (const k of Object.keys(rec)) {
    if (!(AGE_BANDS as readonly string[]).includes(k)) problems.push({ source, field: `${field}.${k}`, message: `unknown age band "${k}"`, fix: `use the DfE bands ${BAND_LIST}` });
  }
  const out: Partial<Record<AgeBand, number>> = {};
  for (const b of AGE_BANDS) {
    const x = rec[b];
    if (x === undefined) {
      if (!opts.partial) problems.push({ source, field: `${field}.${b}`, message: `no ${opts.what} for band ${b}`, fix: `give one for every band: ${BAND_LIST}` });
      continue;
    }
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0 || (opts.max !== undefined && x > opts.max)) {
      problems.push({ source, field: `${field}.${b}`, message: `${opts.what} for ${b} must be a number from 0${opts.max !== undefined ? ` to ${opts.max}` : ''}, got ${String(x)}`, fix: opts.max === 1 ? 'give a proportion, e.g. 0.25 for 25%' : 'give a non-negative number' });
      continue;
    }
    out[b] = x;
  }
  return problems.length > before ? undefined : out;
}

function checkSumsAgainstTotal(
  bands: Record<AgeBand, YearMap> | undefined,
  total: YearMap | undefined,
  source: string,
  label: string,
  totalLabel: string,
  tolerance: number,
  problems: InputProblem[],
  extra?: YearMap,
): void {
  if (!bands || !total) return;
  for (const [year, t] of total) {
    if (t === null) continue;
    const v = bandsAt(bands, year);
    if (!v) continue;
    let sum = sumBands(v);
    let extraText = '';
    if (extra) {
      const e = valueAt(extra, year);
      if (e === undefined) continue;
      sum += e;
      extraText = ` + ${fmt(e)} at 18`;
    }
    if (Math.abs(sum - t) > tolerance) {
      const parts = AGE_BANDS.map((b) => `${b} ${fmt(v[b])}`).join(' + ');
      const worst = AGE_BANDS.reduce((w, b) => (v[b] > v[w] ? b : w), AGE_BANDS[0]);
      problems.push({
        source,
        field: `${label}.${worst}`,
        message: `${year}: the bands sum to ${fmt(sum)} (${parts}${extraText}) but ${totalLabel} is ${fmt(t)}, a gap of ${fmt(sum - t)} (tolerance ${fmt(tolerance)})`,
        fix: `check the ${year} figures of every band against the published total (a band may be from another table or date), or raise totalTolerance`,
      });
    }
  }
}

// ---------------------------------------------------------------------------
// the step

function checkParams(params: AgeingParams, source: string): void {
  const problems: InputProblem[] = [];
  for (const [name, rec] of [
    ['exitRates', params.exitRates],
    ['starterShares', params.starterShares],
    ['ageingFractions', params.ageingFractions],
    ['starterAgeingFractions', params.starterAgeingFractions],
  ] as const) {
    checkBandRecord(rec, source, name, problems, { max: 1, what: name === 'starterShares' ? 'a share' : 'a rate' });
  }
  if (problems.length === 0) {
    const s = sumBands(params.starterShares);
    if (Math.abs(s - 1) > 1e-6) problems.push({ source, field: 'starterShares', message: `the starter shares sum to ${Number(s.toPrecision(10))}, not 1`, fix: 'divide each share by their sum' });
  }
  if (problems.length > 0) throw new CarecastInputError(problems);
}

function stepUnchecked(stock: BandValues<number>, startersByBand: BandValues<number>, params: AgeingParams): AgeingStepResult {
  const exits = {} as Record<AgeBand, number>;
  const movedUp = {} as Record<AgeBand, number>;
  const out = {} as Record<AgeBand, number>;
  AGE_BANDS.forEach((b, i) => {
    const s = stock[b];
    const n = startersByBand[b];
    const e = params.exitRates[b];
    exits[b] = e * (s + n);
    movedUp[b] = (1 - e) * (params.ageingFractions[b] * s + params.starterAgeingFractions[b] * n);
    // (1-e)((1-a)s + (1-c)n): written as a product so it is never negative through rounding
    const stay = (1 - e) * ((1 - params.ageingFractions[b]) * s + (1 - params.starterAgeingFractions[b]) * n);
    out[b] = stay + (i > 0 ? movedUp[AGE_BANDS[i - 1]] : 0);
  });
  return { stock: out, total: sumBands(out), starters: { ...startersByBand }, exits, movedUp, leaversAt18: movedUp[AGE_BANDS[LAST]] };
}

/**
 * One year of the ageing model (point values): starters arrive by band,
 * exits other than at 18 happen at each band's rate, stayers move up a band,
 * and those moving up from `16_plus` leave care at 18. See the module notes
 * for the equations.
 *
 * @param stock - children in care at the start (31 March) by band, each ≥ 0
 * @param starters - the year's total starters (split by `params.starterShares`), or starters by band
 * @param params - exit rates, starter shares, ageing fractions
 * @returns the stock at the end of the year by band, with the flows
 * @throws CarecastInputError for a negative or non-finite stock or starters, or parameters out of range
 * @example
 * ```ts
 * const r = ageingStep(
 *   { under_1: 100, '1_4': 100, '5_9': 100, '10_15': 100, '16_plus': 100 },
 *   50,
 *   { exitRates: { under_1: 0, '1_4': 0, '5_9': 0, '10_15': 0, '16_plus': 0 },
 *     starterShares: { under_1: 0.2, '1_4': 0.2, '5_9': 0.2, '10_15': 0.2, '16_plus': 0.2 },
 *     ageingFractions: { under_1: 1, '1_4': 0.25, '5_9': 0.2, '10_15': 1 / 6, '16_plus': 0.5 },
 *     starterAgeingFractions: { under_1: 0, '1_4': 0, '5_9': 0, '10_15': 0, '16_plus': 0 } },
 * );
 * r.leaversAt18; // 50: half of the 100 aged 16-17 reach 18
 * r.total;       // 500 + 50 starters - 50 leavers at 18 = 500
 * ```
 */
export function ageingStep(stock: BandValues<number>, starters: number | BandValues<number>, params: AgeingParams): AgeingStepResult {
  const source = 'ageingStep';
  checkParams(params, source);
  const problems: InputProblem[] = [];
  checkBandRecord(stock, source, 'stock', problems, { what: 'a stock' });
  let byBand: BandValues<number> | undefined;
  if (typeof starters === 'number') {
    if (!Number.isFinite(starters) || starters < 0) problems.push({ source, field: 'starters', message: `starters must be a non-negative number, got ${starters}`, fix: 'give the year\u2019s total starters' });
    else byBand = mapBands((b) => starters * params.starterShares[b]);
  } else {
    const r = checkBandRecord(starters, source, 'starters', problems, { what: 'a count' });
    if (r) byBand = r as BandValues<number>;
  }
  if (problems.length > 0 || !byBand) throw new CarecastInputError(problems);
  return stepUnchecked(stock, byBand, params);
}

// ---------------------------------------------------------------------------
// fitting

/**
 * Fit the ageing model to history: starters' age shares and exit rates per
 * band, with the ageing fractions (even spread of ages within a band by
 * default), and check how well it reproduces each band's stock one year
 * ahead. Missing data fall back as the module notes describe, each fallback
 * named in `estimation` and `warnings`.
 *
 * @param input - stock by band (required); starters, leavers by band or in total (as available)
 * @param options - assumptions replacing estimates, ageing mode, tolerance
 * @returns the fit: parameters, how they were obtained, one-year-ahead residuals per band, warnings
 * @throws CarecastInputError naming the band (field), year and fix for: unknown or missing band
 *   names, bands with different years, negative or non-finite counts, duplicate years, band sums
 *   differing from a supplied total by more than `totalTolerance`, starter shares not summing to 1
 *   (within 1e-6), rates outside [0, 1], no complete year of stock, or too little data to separate
 *   starters from leavers (no starters, leavers or exit rates)
 * @example
 * ```ts
 * const { input } = ageingInputFromQuarterly(loadSeed('derby').dataset);
 * const fit = fitAgeing(input);
 * fit.params.exitRates.under_1;   // 0.220: 37 of 168 babies at risk left care in 2022/23-2023/24
 * fit.transitions[1].leaversAt18; // { predicted: 71.7, observed: 69 }
 * ```
 */
export function fitAgeing(input: AgeingInput, options: AgeingFitOptions = {}): AgeingFit {
  const source = input.source ?? 'ageing input';
  const problems: InputProblem[] = [];
  const warnings: string[] = [];

  // options
  const tolerance = options.totalTolerance ?? 1;
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) {
    problems.push({ source: 'fitAgeing options', field: 'totalTolerance', message: `must be a non-negative number, got ${String(tolerance)}`, fix: 'give a tolerance in children, e.g. 1' });
  }
  const w = options.starterAgeingWeight ?? 0.5;
  if (typeof w !== 'number' || !Number.isFinite(w) || w < 0 || w > 1) {
    problems.push({ source: 'fitAgeing options', field: 'starterAgeingWeight', message: `must be from 0 to 1, got ${String(w)}`, fix: 'use 0.5 (starters in care half the year on average), 0 or 1' });
  }
  if (options.ageing !== undefined && options.ageing !== 'uniform' && options.ageing !== 'estimated') {
    problems.push({ source: 'fitAgeing options', field: 'ageing', message: `unknown ageing mode "${String(options.ageing)}"`, fix: "use 'uniform' or 'estimated'" });
  }
  const givenExit = options.exitRates ? checkBandRecord(options.exitRates, 'fitAgeing options', 'exitRates', problems, { max: 1, what: 'an exit rate' }) : undefined;
  const givenAgeing = options.ageingFractions ? checkBandRecord(options.ageingFractions, 'fitAgeing options', 'ageingFractions', problems, { max: 1, partial: true, what: 'an ageing fraction' }) : undefined;
  const profile = options.exitRateProfile ? checkBandRecord(options.exitRateProfile, 'fitAgeing options', 'exitRateProfile', problems, { what: 'a relative rate' }) : undefined;
  if (profile && sumBands(profile as BandValues<number>) <= 0) {
    problems.push({ source: 'fitAgeing options', field: 'exitRateProfile', message: 'every relative rate is 0', fix: 'give at least one positive relative exit rate' });
  }
  let givenShares: BandValues<number> | undefined;
  if (options.starterShares) {
    const r = checkBandRecord(options.starterShares, 'fitAgeing options', 'starterShares', problems, { max: 1, what: 'a share' });
    if (r) {
      const s = sumBands(r as BandValues<number>);
      if (Math.abs(s - 1) > 1e-6) {
        problems.push({ source: 'fitAgeing options', field: 'starterShares', message: `the starter shares sum to ${Number(s.toPrecision(10))} (${AGE_BANDS.map((b) => `${b} ${r[b]}`).join(', ')}), not 1`, fix: 'give shares that sum to 1 (within 1e-6), e.g. divide each by their sum' });
      } else givenShares = r as BandValues<number>;
    }
  }

  // data
  const stock = readBands(input.stockByBand, source, 'stockByBand', problems);
  const starters = input.startersByBand !== undefined ? readBands(input.startersByBand, source, 'startersByBand', problems) : undefined;
  const ceased = input.ceasedByBand !== undefined ? readBands(input.ceasedByBand, source, 'ceasedByBand', problems) : undefined;
  const stockTotal = input.stockTotal !== undefined ? readSeries(input.stockTotal, source, 'stockTotal', problems) : undefined;
  const startersTotal = input.startersTotal !== undefined ? readSeries(input.startersTotal, source, 'startersTotal', problems) : undefined;
  const ceasedTotal = input.ceasedTotal !== undefined ? readSeries(input.ceasedTotal, source, 'ceasedTotal', problems) : undefined;
  const ceasedAt18 = input.ceasedAt18 !== undefined ? readSeries(input.ceasedAt18, source, 'ceasedAt18', problems) : undefined;
  if (problems.length === 0) {
    checkSumsAgainstTotal(stock, stockTotal, source, 'stockByBand', 'stockTotal', tolerance, problems);
    checkSumsAgainstTotal(starters, startersTotal, source, 'startersByBand', 'startersTotal', tolerance, problems);
    // leavers by band exclude those leaving at 18, so they can be checked against the total only with the leavers at 18
    if (ceasedAt18) checkSumsAgainstTotal(ceased, ceasedTotal, source, 'ceasedByBand', 'ceasedTotal', tolerance, problems, ceasedAt18);
  }
  if (problems.length > 0 || !stock) throw new CarecastInputError(problems);

  // complete stock years
  const allYears = [...stock[AGE_BANDS[0]].keys()].sort((a, b) => a - b);
  const years = allYears.filter((y) => bandsAt(stock, y) !== undefined);
  for (const y of allYears) {
    if (!years.includes(y)) warnings.push(`${y} is left out: the stock of ${AGE_BANDS.filter((b) => stock[b].get(y) === null).join(', ')} is suppressed or missing.`);
  }
  if (years.length === 0) {
    throw new CarecastInputError([{ source, field: 'stockByBand', message: `no year has a stock for every band (years given: ${allYears.join(', ') || 'none'})`, fix: 'give at least one year with all five bands published' }]);
  }
  const S = (y: number): Record<AgeBand, number> => bandsAt(stock, y)!;
  const baseYear = years[years.length - 1];
  if (baseYear !== allYears[allYears.length - 1]) warnings.push(`Projections start from ${baseYear}, the last year with every band published.`);
  const transYears = years.filter((y) => years.includes(y - 1));
  if (transYears.length === 0) warnings.push('No two consecutive years of stock by band: nothing to estimate from or check against one year ahead.');
  const gaps = years.filter((y, i) => i > 0 && y !== years[i - 1] + 1);
  if (gaps.length > 0) warnings.push(`The stock years have gaps (before ${gaps.join(', ')}); only consecutive pairs of years are used.`);

  // ageing fractions
  let ageingMode: AgeingEstimation['ageing'] = givenAgeing && Object.keys(givenAgeing).length > 0 ? 'given' : 'uniform';
  let a: Record<AgeBand, number> = mapBands((b) => givenAgeing?.[b] ?? UNIFORM[b]);
  let c: Record<AgeBand, number> = mapBands((b) => a[b] * w);

  // starter shares
  let shares: BandValues<number>;
  let sharesFrom: AgeingEstimation['starterShares'];
  const starterYears = starters ? [...starters[AGE_BANDS[0]].keys()].filter((y) => bandsAt(starters, y) !== undefined) : [];
  if (givenShares) {
    shares = givenShares;
    sharesFrom = 'given';
  } else if (starterYears.length > 0 && starterYears.some((y) => sumBands(bandsAt(starters, y)!) > 0)) {
    const tot = mapBands((b) => starterYears.reduce((s, y) => s + bandsAt(starters, y)![b], 0));
    const all = sumBands(tot);
    shares = mapBands((b) => tot[b] / all);
    sharesFrom = 'startersByBand';
  } else {
    const avg = mapBands((b) => years.reduce((s, y) => s + S(y)[b] / Math.max(1e-300, sumBands(S(y))), 0) / years.length);
    const all = sumBands(avg);
    shares = all > 0 ? mapBands((b) => avg[b] / all) : mapBands(() => 1 / AGE_BANDS.length);
    sharesFrom = 'stock';
    warnings.push(
      `No starters by age band: starters are assumed to have the average age distribution of the children in care (${AGE_BANDS.map((b) => `${b} ${(100 * shares[b]).toFixed(1)}%`).join(', ')}). Starters are usually younger than the children in care; give starterShares (e.g. from the DfE starters-by-age table) if known.`,
    );
  }

  // starters and leavers per transition
  const observedN = (t: number): number | undefined => valueAt(startersTotal, t) ?? (bandsAt(starters, t) ? sumBands(bandsAt(starters, t)!) : undefined);
  const observedC = (t: number): number | undefined => {
    const tot = valueAt(ceasedTotal, t);
    if (tot !== undefined) return tot;
    const x = bandsAt(ceased, t);
    const l = valueAt(ceasedAt18, t);
    return x && l !== undefined ? sumBands(x) + l : undefined;
  };
  const N = new Map<number, number>();
  const nSource = new Map<number, AgeingTransition['startersSource']>();
  for (const t of transYears) {
    const n = observedN(t);
    if (n !== undefined) {
      N.set(t, n);
      nSource.set(t, 'observed');
      continue;
    }
    const cT = observedC(t);
    if (cT !== undefined) {
      let implied = sumBands(S(t)) - sumBands(S(t - 1)) + cT;
      if (implied < 0) {
        warnings.push(`${t}: the stock change and ${cT} leavers imply ${fmt(implied)} starters; 0 is used.`);
        implied = 0;
      }
      N.set(t, implied);
      nSource.set(t, 'impliedFromCeased');
    }
  }
  const impliedFromCeasedYears = transYears.filter((t) => nSource.get(t) === 'impliedFromCeased');
  if (impliedFromCeasedYears.length > 0) warnings.push(`Starters in ${impliedFromCeasedYears.join(', ')} are not given: implied by the stock change plus the leavers.`);
  const startersByBandAt = (t: number): Record<AgeBand, number> => bandsAt(starters, t) ?? mapBands((b) => (N.get(t) ?? 0) * shares[b]);

  // exit rates
  let e: Record<AgeBand, number>;
  let exitFrom: AgeingEstimation['exitRates'];
  const clipRates = (rates: Record<AgeBand, number>, what: string): Record<AgeBand, number> =>
    mapBands((b) => {
      const r = rates[b];
      if (r > 1) {
        warnings.push(`The ${what} exit rate of ${b} came out at ${fmt(r)}, above 1; 1 is used.`);
        return 1;
      }
      if (r < 0) {
        warnings.push(`The ${what} exit rate of ${b} came out at ${fmt(r)}, below 0; 0 is used.`);
        return 0;
      }
      return r;
    });
  const withN = transYears.filter((t) => N.has(t));
  const ceasedYears = withN.filter((t) => bandsAt(ceased, t) !== undefined);
  if (givenExit) {
    e = { ...(givenExit as BandValues<number>) };
    exitFrom = 'given';
  } else if (ceasedYears.length > 0) {
    e = mapBands((b) => {
      const num = ceasedYears.reduce((s, t) => s + bandsAt(ceased, t)![b], 0);
      const den = ceasedYears.reduce((s, t) => s + S(t - 1)[b] + startersByBandAt(t)[b], 0);
      if (den <= 0) {
        warnings.push(`No child was at risk in band ${b} in ${ceasedYears.join(', ')}: its exit rate is set to 0.`);
        return 0;
      }
      return num / den;
    });
    e = clipRates(e, 'estimated');
    exitFrom = 'ceasedByBand';
  } else {
    const r = profile ? (profile as BandValues<number>) : mapBands(() => 1);
    const cYears = withN.filter((t) => observedC(t) !== undefined);
    let useYears: number[];
    let cOf: (t: number) => number;
    if (cYears.length > 0) {
      useYears = cYears;
      cOf = (t) => observedC(t)!;
      exitFrom = 'ceasedTotal';
    } else if (withN.length > 0) {
      useYears = withN;
      cOf = (t) => sumBands(S(t - 1)) + N.get(t)! - sumBands(S(t));
      exitFrom = 'impliedCeased';
      warnings.push(`No leavers given: leavers in ${withN.join(', ')} are implied by the stock change and starters (stock at the start + starters - stock at the end), then apportioned to bands.`);
    } else {
      throw new CarecastInputError([
        {
          source,
          field: 'startersTotal',
          message:
            transYears.length === 0
              ? 'no two consecutive years of stock by band, and no exit rates given'
              : ceased
                ? `leavers by band are given but neither starters nor leavers at 18 (or the total of leavers) in ${transYears.join(', ')}: the children at risk are unknown`
                : `starters and leavers are both unknown in ${transYears.join(', ')}: the stock change alone cannot separate children starting from children leaving`,
          fix: ceased
            ? 'give startersTotal or startersByBand, or ceasedAt18 or ceasedTotal'
            : 'give startersTotal or startersByBand, ceasedTotal or ceasedByBand, or the exitRates option (e.g. from a neighbouring authority\u2019s fit)',
        },
      ]);
    }
    // C = Σ k r_b A_b + (1 - k r_16) B, B = a_16 S_16 + c_16 N_16  ⇒  k = Σ(C - B) / Σ(Σ r_b A_b - r_16 B)
    const top = AGE_BANDS[LAST];
    let num = 0;
    let den = 0;
    for (const t of useYears) {
      const s0 = S(t - 1);
      const nb = startersByBandAt(t);
      const B = a[top] * s0[top] + c[top] * nb[top];
      num += cOf(t) - B;
      den += AGE_BANDS.reduce((s, b) => s + r[b] * (s0[b] + nb[b]), 0) - r[top] * B;
    }
    let k = den > 0 ? num / den : 0;
    if (k < 0) {
      warnings.push(`The leavers (${useYears.map((t) => fmt(cOf(t))).join(', ')}) are fewer than the leavers at 18 the ageing assumption implies: exit rates other than at 18 are set to 0.`);
      k = 0;
    }
    e = clipRates(mapBands((b) => k * r[b]), 'apportioned');
    warnings.push(
      `No leavers by age band: the total leavers less the modelled leavers at 18 are apportioned ${profile ? 'in proportion to exitRateProfile' : 'with the same exit rate in every band'} (${AGE_BANDS.map((b) => `${b} ${e[b].toFixed(3)}`).join(', ')}). Exit rates differ by age in practice (babies are adopted, teenagers return home); give ceasedByBand or exitRates if known.`,
    );
  }

  // starters implied by the model where still unknown
  const top = AGE_BANDS[LAST];
  const modelImplied: number[] = [];
  for (const t of transYears) {
    if (N.has(t)) continue;
    const s0 = S(t - 1);
    const num = sumBands(S(t)) - AGE_BANDS.reduce((s, b) => s + (1 - e[b]) * s0[b], 0) + (1 - e[top]) * a[top] * s0[top];
    const den = AGE_BANDS.reduce((s, b) => s + (1 - e[b]) * shares[b], 0) - (1 - e[top]) * c[top] * shares[top];
    let n = den > 0 ? num / den : 0;
    if (n < 0) {
      warnings.push(`${t}: the stock change implies ${fmt(n)} starters under the exit rates; 0 is used.`);
      n = 0;
    }
    N.set(t, n);
    nSource.set(t, 'impliedFromModel');
    modelImplied.push(t);
  }
  if (modelImplied.length > 0) {
    warnings.push(`Starters in ${modelImplied.join(', ')} are not given: implied by the model (the starters that make the modelled total equal the published total, under the exit rates and starter shares). The band residuals of those years test the age structure only.`);
  }

  // moved up according to the accounting identity
  const impliedMovedUp = new Map<number, Record<AgeBand, number>>();
  for (const t of transYears) {
    const nb = bandsAt(starters, t);
    const xb = bandsAt(ceased, t);
    if (!nb || !xb) continue;
    const s0 = S(t - 1);
    const s1 = S(t);
    const o = {} as Record<AgeBand, number>;
    AGE_BANDS.forEach((b, i) => {
      o[b] = s0[b] + nb[b] - xb[b] + (i > 0 ? o[AGE_BANDS[i - 1]] : 0) - s1[b];
    });
    impliedMovedUp.set(t, o);
  }

  if (options.ageing === 'estimated') {
    const ys = [...impliedMovedUp.keys()];
    if (ys.length === 0) {
      throw new CarecastInputError([
        { source, field: 'ceasedByBand', message: "ageing: 'estimated' needs a year with stock at its start and end, starters and leavers all by band; there is none", fix: "give startersByBand and ceasedByBand for those years, or use ageing: 'uniform'" },
      ]);
    }
    const aNew = {} as Record<AgeBand, number>;
    const cNew = {} as Record<AgeBand, number>;
    for (const b of AGE_BANDS) {
      const obs = ys.reduce((s, t) => s + impliedMovedUp.get(t)![b], 0);
      const mod = ys.reduce((s, t) => s + (1 - e[b]) * (a[b] * S(t - 1)[b] + c[b] * bandsAt(starters, t)![b]), 0);
      let k = mod > 0 ? obs / mod : 1;
      if (k < 0) {
        warnings.push(`Band ${b}: the accounting identity gives ${fmt(obs)} children moving up in ${ys.join(', ')} (negative: the published flows do not close); ageing out of ${b} is set to 0.`);
        k = 0;
      }
      let ab = a[b] * k;
      let cb = c[b] * k;
      if (ab > 1 || cb > 1) {
        const m = Math.max(ab, cb);
        warnings.push(`Band ${b}: the estimated ageing fraction ${fmt(m)} is above 1; it is capped at 1.`);
        ab /= m;
        cb /= m;
      }
      aNew[b] = ab;
      cNew[b] = cb;
    }
    a = aNew;
    c = cNew;
    ageingMode = 'estimated';
    warnings.push(`Ageing fractions are scaled to the children who moved up according to the accounting identity in ${ys.join(', ')} (${AGE_BANDS.map((b) => `${b} ${a[b].toFixed(3)}`).join(', ')}; even spread of ages: ${AGE_BANDS.map((b) => UNIFORM[b].toFixed(3)).join(', ')}).`);
  }

  const params: AgeingParams = { exitRates: e, starterShares: shares, ageingFractions: a, starterAgeingFractions: c };

  // one year ahead
  const transitions: AgeingTransition[] = transYears.map((t) => {
    const n = N.get(t)!;
    const pred = stepUnchecked(S(t - 1), mapBands((b) => n * shares[b]), params);
    const obs = S(t);
    const l18 = valueAt(ceasedAt18, t);
    const im = impliedMovedUp.get(t);
    return {
      year: t,
      starters: n,
      startersSource: nSource.get(t)!,
      observed: obs,
      predicted: pred.stock,
      residuals: mapBands((b) => obs[b] - pred.stock[b]),
      leaversAt18: l18 !== undefined ? { predicted: pred.leaversAt18, observed: l18 } : { predicted: pred.leaversAt18 },
      ...(im ? { impliedMovedUp: im } : {}),
    };
  });
  const rmse = mapBands((b) => (transitions.length === 0 ? NaN : Math.sqrt(transitions.reduce((s, tr) => s + tr.residuals[b] ** 2, 0) / transitions.length)));

  return {
    source,
    params,
    estimation: { exitRates: exitFrom, starterShares: sharesFrom, ageing: ageingMode },
    years,
    baseYear,
    baseStock: S(baseYear),
    transitions,
    rmse,
    warnings,
  };
}

// ---------------------------------------------------------------------------
// projection and simulation

/** Binomial(n, p) draw: inversion when n·min(p, 1-p) < 25, else a rounded normal approximation. */
function binomial(rng: Rng, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const q = p > 0.5 ? 1 - p : p;
  let x = 0;
  if (n * q < 25) {
    // inversion (Kachitvichyanukul & Schmeiser's BINV)
    const s = q / (1 - q);
    const aa = (n + 1) * s;
    let r = Math.pow(1 - q, n);
    let u = rng.uniform();
    while (u > r) {
      u -= r;
      x++;
      if (x >= n) {
        x = n;
        break;
      }
      r *= aa / x - s;
    }
  } else {
    x = Math.round(n * q + Math.sqrt(n * q * (1 - q)) * rng.normal());
    x = Math.min(n, Math.max(0, x));
  }
  return p > 0.5 ? n - x : x;
}

/** Poisson(λ) draw: inversion when λ < 30, else a rounded normal approximation. */
function poisson(rng: Rng, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda < 30) {
    let p = Math.exp(-lambda);
    let f = p;
    const u = rng.uniform();
    let x = 0;
    while (u > f && x < 1000) {
      x++;
      p *= lambda / x;
      f += p;
    }
    return x;
  }
  return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.normal()));
}

/**
 * Project the stock by age band from the fit's base year, given the total
 * starters per year: point values by the annual step (see the module notes),
 * and optionally simulated paths. In the simulation every flow is a whole
 * number of children: starters per band are Poisson (mean `π_b N`) for a
 * starters array, or a multinomial split of each starters path's (rounded)
 * total; exits and moves up are binomial among the children at risk
 * (normal approximation when `n·min(p, 1-p) ≥ 25`). Each path has its own
 * seeded stream (`streamSeed(seed, path)`), so the same seed gives the same
 * paths. In every year of the point projection and of every path: stocks are
 * non-negative, the bands sum to the total, and
 * `total(t) = total(t-1) + starters - exits - leaversAt18`.
 *
 * @param fit - a fit from {@link fitAgeing}
 * @param options - horizon or target year, starters per year (numbers or paths), paths, seed, levels
 * @returns stock by band and total per year, flows per band, leavers at 18, and the simulation if asked
 * @throws CarecastInputError when neither or both of `horizon` and `to` are given, the target is not after
 *   the base year, starters are too few, negative or not finite, or `paths`/`seed` are invalid
 * @example
 * ```ts
 * const fit = fitAgeing(ageingInputFromQuarterly(loadSeed('derby').dataset).input);
 * const p = projectAgeing(fit, { to: 2027, starters: [230, 230, 230], paths: 1000, seed: 7 });
 * p.total;              // point totals 2025-2027
 * p.leaversAt18;        // children reaching 18 each year
 * p.simulation?.totalBands.intervals[1]; // 95% band of the total
 * ```
 */
export function projectAgeing(fit: AgeingFit, options: AgeingProjectionOptions): AgeingProjection {
  const source = 'projectAgeing options';
  const problems: InputProblem[] = [];
  const fail = (): never => {
    throw new CarecastInputError(problems);
  };
  const { horizon: hOpt, to } = options;
  let horizon = 0;
  if ((hOpt === undefined) === (to === undefined)) {
    problems.push({ source, field: hOpt === undefined ? 'to' : 'horizon', message: hOpt === undefined ? 'neither horizon nor to is given' : 'both horizon and to are given', fix: `give one of them, e.g. { to: ${fit.baseYear + 5} } or { horizon: 5 }` });
    fail();
  }
  if (hOpt !== undefined) {
    if (!Number.isInteger(hOpt) || hOpt < 1) problems.push({ source, field: 'horizon', message: `horizon must be a positive whole number, got ${hOpt}`, fix: 'give the number of years to project, e.g. 5' });
    horizon = hOpt;
  } else {
    if (!Number.isInteger(to) || (to as number) <= fit.baseYear) problems.push({ source, field: 'to', message: `to must be a year after the base year ${fit.baseYear}, got ${to}`, fix: `give a year from ${fit.baseYear + 1}` });
    horizon = (to as number) - fit.baseYear;
  }
  if (problems.length > 0) fail();
  checkParams(fit.params, 'fit.params');

  const st = options.starters;
  const isPaths = st !== null && typeof st === 'object' && !Array.isArray(st) && (st as SamplePaths).values instanceof Float64Array;
  const pointStarters: number[] = [];
  if (isPaths) {
    const sp = st as SamplePaths;
    if (sp.horizon < horizon || sp.paths < 1) {
      problems.push({ source, field: 'starters', message: `the starters paths have ${sp.horizon} steps and ${sp.paths} paths; ${horizon} steps are needed`, fix: `simulate starters for at least ${horizon} years` });
      fail();
    }
    for (let h = 0; h < horizon; h++) {
      let s = 0;
      for (let p = 0; p < sp.paths; p++) {
        const v = sp.values[p * sp.horizon + h];
        if (!Number.isFinite(v)) {
          problems.push({ source, field: 'starters', message: `starters path ${p + 1}, year ${fit.baseYear + h + 1}: ${v} is not a finite number`, fix: 'give finite starters' });
          fail();
        }
        s += Math.max(0, v);
      }
      pointStarters.push(s / sp.paths);
    }
  } else {
    const arr = st as readonly number[];
    if (!Array.isArray(arr)) {
      problems.push({ source, field: 'starters', message: 'starters must be an array of numbers (one per projected year) or sample paths', fix: `give ${horizon} numbers, the first for the year to March ${fit.baseYear + 1}` });
      fail();
    }
    if (arr.length < horizon) problems.push({ source, field: 'starters', message: `${arr.length} starters given for ${horizon} projected years (${fit.baseYear + 1}-${fit.baseYear + horizon})`, fix: `give one number per year, the first for the year to March ${fit.baseYear + 1}` });
    arr.slice(0, horizon).forEach((v, i) => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) problems.push({ source, row: i + 1, field: 'starters', message: `starters for ${fit.baseYear + i + 1} must be a non-negative number, got ${String(v)}`, fix: 'give the expected number of children starting care that year' });
    });
    if (problems.length > 0) fail();
    pointStarters.push(...arr.slice(0, horizon));
  }
  const simulate = isPaths || options.paths !== undefined;
  const nPaths = options.paths ?? (isPaths ? (st as SamplePaths).paths : 0);
  const seed = options.seed ?? 1;
  if (simulate && (!Number.isInteger(nPaths) || nPaths < 1)) problems.push({ source, field: 'paths', message: `paths must be a positive whole number, got ${nPaths}`, fix: 'give e.g. 1000' });
  if (!Number.isFinite(seed)) problems.push({ source, field: 'seed', message: `seed must be a finite number, got ${seed}`, fix: 'give an integer seed' });
  if (problems.length > 0) fail();

  const params = fit.params;
  const years = Array.from({ length: horizon }, (_, h) => fit.baseYear + h + 1);
  const stock = mapBands((): number[] => []);
  const starters = mapBands((): number[] => []);
  const exits = mapBands((): number[] => []);
  const movedUp = mapBands((): number[] => []);
  const total: number[] = [];
  const leaversAt18: number[] = [];
  let cur: BandValues<number> = fit.baseStock;
  for (let h = 0; h < horizon; h++) {
    const r = stepUnchecked(cur, mapBands((b) => pointStarters[h] * params.starterShares[b]), params);
    for (const b of AGE_BANDS) {
      stock[b].push(r.stock[b]);
      starters[b].push(r.starters[b]);
      exits[b].push(r.exits[b]);
      movedUp[b].push(r.movedUp[b]);
    }
    total.push(r.total);
    leaversAt18.push(r.leaversAt18);
    cur = r.stock;
  }
  const warnings = [...fit.warnings];
  if (isPaths && options.paths !== undefined && options.paths !== (st as SamplePaths).paths) {
    warnings.push(`${options.paths} paths simulated from ${(st as SamplePaths).paths} starters paths: starters path p % ${(st as SamplePaths).paths} is used for path p.`);
  }

  let simulation: AgeingSimulation | undefined;
  if (simulate) {
    const size = nPaths * horizon;
    const bandPaths = mapBands(() => new Float64Array(size));
    const totalV = new Float64Array(size);
    const l18V = new Float64Array(size);
    const exitV = new Float64Array(size);
    const startV = new Float64Array(size);
    const base = mapBands((b) => Math.round(fit.baseStock[b]));
    if (AGE_BANDS.some((b) => base[b] !== fit.baseStock[b])) warnings.push('The base stock is not whole: it is rounded to whole children for the simulation.');
    const sp = isPaths ? (st as SamplePaths) : undefined;
    const s = new Array<number>(AGE_BANDS.length);
    const moved = new Array<number>(AGE_BANDS.length);
    for (let p = 0; p < nPaths; p++) {
      const rng = createRng(streamSeed(seed, p));
      AGE_BANDS.forEach((b, i) => {
        s[i] = base[b];
      });
      for (let h = 0; h < horizon; h++) {
        // starters by band
        const nb = new Array<number>(AGE_BANDS.length);
        if (sp) {
          let rem = Math.max(0, Math.round(sp.values[(p % sp.paths) * sp.horizon + h]));
          let remP = 1;
          AGE_BANDS.forEach((b, i) => {
            if (i === LAST) {
              nb[i] = rem;
              return;
            }
            const q = remP > 0 ? Math.min(1, params.starterShares[b] / remP) : 0;
            nb[i] = binomial(rng, rem, q);
            rem -= nb[i];
            remP -= params.starterShares[b];
          });
        } else {
          AGE_BANDS.forEach((b, i) => {
            nb[i] = poisson(rng, pointStarters[h] * params.starterShares[b]);
          });
        }
        let xTot = 0;
        let nTot = 0;
        AGE_BANDS.forEach((b, i) => {
          const e = params.exitRates[b];
          const xs = binomial(rng, s[i], e);
          const xn = binomial(rng, nb[i], e);
          const rs = s[i] - xs;
          const rn = nb[i] - xn;
          moved[i] = binomial(rng, rs, params.ageingFractions[b]) + binomial(rng, rn, params.starterAgeingFractions[b]);
          s[i] = rs + rn - moved[i];
          xTot += xs + xn;
          nTot += nb[i];
        });
        for (let i = LAST; i > 0; i--) s[i] += moved[i - 1];
        const k = p * horizon + h;
        let tot = 0;
        AGE_BANDS.forEach((b, i) => {
          bandPaths[b][k] = s[i];
          tot += s[i];
        });
        totalV[k] = tot;
        l18V[k] = moved[LAST];
        exitV[k] = xTot;
        startV[k] = nTot;
      }
    }
    const mk = (values: Float64Array): SamplePaths => ({ paths: nPaths, horizon, values });
    const stockPaths = mapBands((b) => mk(bandPaths[b]));
    const totalPaths = mk(totalV);
    const levels = options.levels ?? [80, 95];
    simulation = {
      paths: nPaths,
      seed,
      stock: stockPaths,
      total: totalPaths,
      leaversAt18: mk(l18V),
      exits: mk(exitV),
      starters: mk(startV),
      totalBands: pathBands(totalPaths, levels),
      stockBands: mapBands((b) => pathBands(stockPaths[b], levels)),
    };
  }

  return {
    baseYear: fit.baseYear,
    baseStock: fit.baseStock,
    years,
    stock,
    total,
    starters,
    exits,
    movedUp,
    leaversAt18,
    ...(simulation ? { simulation } : {}),
    warnings,
  };
}

// ---------------------------------------------------------------------------
// datasets → input

function findOne<S extends AnnualSeries | QuarterlySeries>(ds: Dataset, frequency: S['frequency'], measure: string, breakdown: Breakdown): S | undefined {
  const key = breakdownKey(breakdown);
  return ds.series.find((s): s is S => s.frequency === frequency && s.measure === measure && breakdownKey(s.breakdown) === key);
}

/**
 * Build an {@link AgeingInput} from an annual dataset, such as the SFR
 * tables (`sfrDataset`) or a tidy file: `children_in_care` by `age` band
 * at 31 March (required) and the total; `started` and `ceased` by `age` band
 * and in total where present. Annual `ceased` by `age: '16_plus'` is taken to
 * exclude leavers at 18 only when a `ceased` series with `ageGroup: 'aged_18'`
 * is also present (it is subtracted); otherwise leavers by band are not used
 * (the total is).
 *
 * @param dataset - an annual dataset for one area
 * @returns the input and notes on what was used
 * @throws CarecastInputError when a band of annual `children_in_care` by age is missing (listing the series available)
 * @example
 * ```ts
 * const sfr = sfrDataset(loadSfrFolder('sfr_la_cla_2011_2017'), 'E10000007');
 * const { input } = ageingInputFromAnnual(sfr);   // Derbyshire stock by band, 2011-2017
 * ```
 */
export function ageingInputFromAnnual(dataset: Dataset): AgeingInputConversion {
  const notes: string[] = [];
  const stockSeries = {} as Record<AgeBand, AnnualSeries>;
  const missing = AGE_BANDS.filter((b) => {
    const s = findOne<AnnualSeries>(dataset, 'annual', 'children_in_care', { age: b });
    if (s) stockSeries[b] = s;
    return !s;
  });
  if (missing.length > 0) {
    const available = [...new Set(dataset.series.filter((s) => s.measure === 'children_in_care').map((s) => `${s.frequency} ${breakdownKey(s.breakdown) || 'total'}`))];
    throw new CarecastInputError([
      { source: dataset.name, field: `children_in_care[age=${missing[0]}]`, message: `no annual children_in_care series for age band${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in ${dataset.area.name}`, fix: `give annual stock for every band ${BAND_LIST}; the dataset has: ${available.slice(0, 20).join('; ')}${available.some((a) => a.startsWith('quarterly')) ? ' (for quarterly tables use ageingInputFromQuarterly)' : ''}` },
    ]);
  }
  const align = (byBand: Record<AgeBand, AnnualSeries>): Record<AgeBand, YearValue[]> => {
    const ys = [...new Set(AGE_BANDS.flatMap((b) => byBand[b].points.map((p) => p.year)))].sort((x, y) => x - y);
    return mapBands((b) => ys.map((y) => ({ year: y, value: byBand[b].points.find((p) => p.year === y)?.value ?? null })));
  };
  const stockByBand = align(stockSeries);
  const years = stockByBand[AGE_BANDS[0]].map((p) => p.year);
  notes.push(`Stock by band at 31 March ${years[0]}-${years[years.length - 1]} from children_in_care by age.`);
  const bandsOf = (measure: string): Record<AgeBand, AnnualSeries> | undefined => {
    const out = {} as Record<AgeBand, AnnualSeries>;
    for (const b of AGE_BANDS) {
      const s = findOne<AnnualSeries>(dataset, 'annual', measure, { age: b });
      if (!s) return undefined;
      out[b] = s;
    }
    return out;
  };
  const total = findOne<AnnualSeries>(dataset, 'annual', 'children_in_care', {});
  const startedB = bandsOf('started');
  const startedT = findOne<AnnualSeries>(dataset, 'annual', 'started', {});
  const ceasedB = bandsOf('ceased');
  const ceasedT = findOne<AnnualSeries>(dataset, 'annual', 'ceased', {});
  const at18 = findOne<AnnualSeries>(dataset, 'annual', 'ceased', { ageGroup: 'aged_18' });
  let ceasedByBand: Record<AgeBand, YearValue[]> | undefined;
  if (ceasedB && at18) {
    ceasedByBand = align(ceasedB);
    ceasedByBand['16_plus'] = ceasedByBand['16_plus'].map((p) => {
      const l = at18.points.find((q) => q.year === p.year)?.value;
      return { year: p.year, value: p.value === null || l === null || l === undefined ? null : p.value - l };
    });
    notes.push('Leavers by band from ceased by age; 16_plus less those ceasing at 18.');
  } else if (ceasedB) {
    notes.push('ceased by age is not used: without leavers at 18 (ageGroup aged_18) the 16_plus band cannot be split into leaving at 16-17 and at 18.');
  }
  if (startedB) notes.push('Starters by band from started by age.');
  if (!startedB && !startedT) notes.push('No starters in the dataset.');
  if (!ceasedB && !ceasedT) notes.push('No leavers in the dataset.');
  const input: AgeingInput = {
    source: dataset.name,
    stockByBand,
    ...(total ? { stockTotal: total } : {}),
    ...(startedB ? { startersByBand: align(startedB) } : {}),
    ...(startedT ? { startersTotal: startedT } : {}),
    ...(ceasedByBand ? { ceasedByBand } : {}),
    ...(at18 ? { ceasedAt18: at18 } : {}),
    ...(ceasedT ? { ceasedTotal: ceasedT } : {}),
  };
  return { input, notes };
}

/**
 * Build an annual {@link AgeingInput} from quarterly tables (such as Derby's
 * quarterly dashboard, `loadSeed('derby')`): the stock at 31 March of each
 * year is the Q4 snapshot (`{ year, quarter: 4 }`, January-March); starters
 * and leavers in the year to 31 March are the sums of its four quarters, for
 * years with all four quarters published (other years are left out and
 * noted). Used: quarterly `children_in_care` by `age` (required) and in
 * total; `started` by `age` and in total; `ceased` by `age` for the bands up
 * to 10-15, with `ageGroup: '16_17'` as the 16_plus band (leaving other than at
 * 18) and `ageGroup: 'aged_18'` as the leavers at 18, and in total. Age
 * bands are as the source gives them: at the quarter end for snapshots, at
 * starting or ceasing for flows.
 *
 * @param dataset - a dataset with quarterly series by age band
 * @returns the annual input and notes on the conversion
 * @throws CarecastInputError when a band of quarterly `children_in_care` by age is missing (listing the series available)
 * @example
 * ```ts
 * const { input, notes } = ageingInputFromQuarterly(loadSeed('derby').dataset);
 * input.stockByBand['16_plus']; // [{ year: 2022, value: 116 }, { year: 2023, value: 134 }, { year: 2024, value: 150 }]
 * ```
 */
export function ageingInputFromQuarterly(dataset: Dataset): AgeingInputConversion {
  const notes: string[] = [];
  const q = (measure: string, breakdown: Breakdown) => findOne<QuarterlySeries>(dataset, 'quarterly', measure, breakdown);
  const stockQ = {} as Record<AgeBand, QuarterlySeries>;
  const missing = AGE_BANDS.filter((b) => {
    const s = q('children_in_care', { age: b });
    if (s) stockQ[b] = s;
    return !s;
  });
  if (missing.length > 0) {
    const available = [...new Set(dataset.series.filter((s) => s.measure === 'children_in_care').map((s) => `${s.frequency} ${breakdownKey(s.breakdown) || 'total'}`))];
    throw new CarecastInputError([
      { source: dataset.name, field: `children_in_care[age=${missing[0]}]`, message: `no quarterly children_in_care series for age band${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in ${dataset.area.name}`, fix: `give quarterly stock for every band ${BAND_LIST}; the dataset has: ${available.slice(0, 20).join('; ')}${available.some((a) => a.startsWith('annual')) ? ' (for annual tables use ageingInputFromAnnual)' : ''}` },
    ]);
  }
  const q4 = (s: QuarterlySeries): Map<number, number | null> => new Map(s.points.filter((p) => p.quarter === 4).map((p) => [p.year, p.value]));
  const snapshot = (s: QuarterlySeries | undefined): YearValue[] | undefined => (s ? [...q4(s)].map(([year, value]) => ({ year, value })).sort((x, y) => x.year - y.year) : undefined);
  const stockYears = [...new Set(AGE_BANDS.flatMap((b) => [...q4(stockQ[b]).keys()]))].sort((x, y) => x - y);
  const stockByBand = mapBands((b) => {
    const m = q4(stockQ[b]);
    return stockYears.map((y) => ({ year: y, value: m.get(y) ?? null }));
  });
  const allQ = [...new Set(stockQ[AGE_BANDS[0]].points.map((p) => `${p.year} Q${p.quarter}`))];
  notes.push(`Stock at 31 March ${stockYears.join(', ')} = the Q4 (January-March) snapshot; quarters published: ${allQ.join(', ')}.`);

  /** Sums of the four quarters, for the years with all four published (null if one is suppressed). */
  const annualFlow = (s: QuarterlySeries): Map<number, number | null> => {
    const by = new Map<number, Map<number, number | null>>();
    for (const p of s.points) {
      const m = by.get(p.year) ?? new Map<number, number | null>();
      m.set(p.quarter, p.value);
      by.set(p.year, m);
    }
    const out = new Map<number, number | null>();
    for (const [y, m] of by) {
      if (m.size !== 4) continue;
      const vals = [...m.values()];
      out.set(y, vals.some((v) => v === null) ? null : (vals as number[]).reduce((x, z) => x + z, 0));
    }
    return out;
  };
  const quarterYears = (s: QuarterlySeries): number[] => [...new Set(s.points.map((p) => p.year))];
  const flowBands = (label: string, byBand: Record<AgeBand, QuarterlySeries | undefined>): Record<AgeBand, YearValue[]> | undefined => {
    if (AGE_BANDS.some((b) => !byBand[b])) return undefined;
    const maps = mapBands((b) => annualFlow(byBand[b]!));
    const ys = [...new Set(AGE_BANDS.flatMap((b) => quarterYears(byBand[b]!)))].sort((x, y) => x - y);
    const full = ys.filter((y) => AGE_BANDS.every((b) => maps[b].has(y)));
    const partial = ys.filter((y) => !full.includes(y));
    if (partial.length > 0) notes.push(`${label} in the year${partial.length > 1 ? 's' : ''} to 31 March ${partial.join(', ')} left out: not all four quarters are published.`);
    if (full.length > 0) notes.push(`${label} by band in the year${full.length > 1 ? 's' : ''} to 31 March ${full.join(', ')} = the sum of the four quarters.`);
    return mapBands((b) => full.map((y) => ({ year: y, value: maps[b].get(y) ?? null })));
  };
  const flowTotal = (s: QuarterlySeries | undefined): YearValue[] | undefined =>
    s ? [...annualFlow(s)].map(([year, value]) => ({ year, value })).sort((x, y) => x.year - y.year) : undefined;
  const startersByBand = flowBands('Starters', mapBands((b) => q('started', { age: b })));
  const ceasedSeries = mapBands((b) => (b === '16_plus' ? q('ceased', { ageGroup: '16_17' }) : q('ceased', { age: b })));
  const at18Q = q('ceased', { ageGroup: 'aged_18' });
  const ceasedByBand = at18Q ? flowBands('Leavers other than at 18 (16_plus = ageGroup 16_17)', ceasedSeries) : undefined;
  if (!at18Q && AGE_BANDS.every((b) => ceasedSeries[b])) notes.push('Leavers by band not used: no leavers at 18 (ageGroup aged_18).');
  const totalQ = q('children_in_care', {});
  const input: AgeingInput = {
    source: `${dataset.name} (quarterly, converted to years to 31 March)`,
    stockByBand,
    ...(totalQ ? { stockTotal: snapshot(totalQ)! } : {}),
    ...(startersByBand ? { startersByBand } : {}),
    ...(q('started', {}) ? { startersTotal: flowTotal(q('started', {}))! } : {}),
    ...(ceasedByBand ? { ceasedByBand } : {}),
    ...(at18Q && ceasedByBand ? { ceasedAt18: flowTotal(at18Q)! } : {}),
    ...(q('ceased', {}) ? { ceasedTotal: flowTotal(q('ceased', {}))! } : {}),
  };
  return { input, notes };
}
