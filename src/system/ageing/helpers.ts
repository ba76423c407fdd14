/**
 * The age-band model's shared helpers: band arithmetic, the reading and
 * checking of its input series, the parameter checks and the unchecked
 * yearly step (see `types.ts` for the model).
 *
 * @module
 */
import { AGE_BANDS, type AgeBand } from '../../data/codes.js';
import { CarecastInputError, type InputProblem } from '../../data/errors.js';
import type { AnnualSeries } from '../../data/schemas.js';
import type { SeriesInput, YearValue } from '../../data/yearValue.js';
import { AGE_BAND_WIDTHS, type AgeingParams, type AgeingStepResult, type BandValues } from './types.js';

export const LAST = AGE_BANDS.length - 1;

export function mapBands<T>(f: (b: AgeBand, i: number) => T): Record<AgeBand, T> {
  const out = {} as Record<AgeBand, T>;
  AGE_BANDS.forEach((b, i) => {
    out[b] = f(b, i);
  });
  return out;
}

export function sumBands(v: BandValues<number>): number {
  let s = 0;
  for (const b of AGE_BANDS) s += v[b];
  return s;
}

export const UNIFORM: BandValues<number> = mapBands((b) => 1 / AGE_BAND_WIDTHS[b]);
export const BAND_LIST = AGE_BANDS.join(', ');

export function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(3);
}

/** A validated annual series: year → value (null = suppressed). */
type YearMap = Map<number, number | null>;

function pointsOf(input: SeriesInput): readonly YearValue[] {
  return Array.isArray(input) ? (input as readonly YearValue[]) : (input as AnnualSeries).points;
}

export function readSeries(input: unknown, source: string, field: string, problems: InputProblem[]): YearMap | undefined {
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

export function readBands(input: unknown, source: string, label: string, problems: InputProblem[]): Record<AgeBand, YearMap> | undefined {
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
export function bandsAt(maps: Record<AgeBand, YearMap> | undefined, year: number): Record<AgeBand, number> | undefined {
  if (!maps) return undefined;
  const out = {} as Record<AgeBand, number>;
  for (const b of AGE_BANDS) {
    const v = maps[b].get(year);
    if (v === undefined || v === null) return undefined;
    out[b] = v;
  }
  return out;
}

export function valueAt(m: YearMap | undefined, year: number): number | undefined {
  const v = m?.get(year);
  return v === null ? undefined : v;
}

export function checkBandRecord(
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

export function checkSumsAgainstTotal(
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

export function checkParams(params: AgeingParams, source: string): void {
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

export function stepUnchecked(stock: BandValues<number>, startersByBand: BandValues<number>, params: AgeingParams): AgeingStepResult {
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
