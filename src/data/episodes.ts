/**
 * From episodes to the aggregate series of the rest of carecast: periods of
 * care, children in care at 31 March by placement, provider, age and UASC
 * status, starters, leavers by reason, days in care and durations, as the
 * same {@link AnnualSeries} and {@link Dataset} the DfE loaders return, so
 * that `forecast` and `projectSystem` run on episode data too.
 *
 * Conventions (the DfE's): a child is in care at 31 March when an episode
 * covers that day (DECOM on or before it, DEC after it or empty); a child
 * ceasing on 31 March is not. Year `Y` is the snapshot at 31 March `Y` or the
 * flows from 1 April `Y-1` to 31 March `Y`. Ages are in completed years on
 * the day concerned (31 March, the start or the end of care).
 *
 * @module
 */
import { AGE_BANDS, ageBandOf, PLACEMENT_GROUPS, PLACEMENT_TYPES, PROVIDER_GROUPS, type AgeBand } from './codes.js';
import { ageOn, birthdayDay, financialYearOf, marchEnd } from './calendar.js';
import type { Episode, Ssda903Child, Ssda903Data } from './loaders/ssda903.js';
import type { AnnualSeries, Breakdown, Dataset } from './schemas.js';

/** One period of care: consecutive episodes of a child. */
export interface PeriodOfCare {
  /** The child. */
  readonly child: string;
  /** First day in care (day number). */
  readonly start: number;
  /** Day care ended (day number), or `null` when still in care at the end of the data. */
  readonly end: number | null;
  /** REC of the last episode when the period ended, or `null` (open or unknown). */
  readonly rec: string | null;
  /** Index of the first episode in `data.episodes`. */
  readonly first: number;
  /** Index after the last episode in `data.episodes`. */
  readonly last: number;
}

/**
 * Split episodes into periods of care. A new period starts at a child's
 * first episode, after a gap (the previous episode ended before this one
 * starts), and at an episode with `RNE` = `S` (started to be looked after).
 *
 * @param episodes - cleaned episodes sorted by child then start (as in {@link Ssda903Data.episodes})
 * @returns the periods, in the same order
 * @example
 * ```ts
 * const periods = periodsOfCare(data.episodes);
 * periods.filter((p) => p.end === null).length; // children in care at the end of the data
 * ```
 */
export function periodsOfCare(episodes: readonly Episode[]): PeriodOfCare[] {
  const out: PeriodOfCare[] = [];
  let i = 0;
  while (i < episodes.length) {
    const first = i;
    const child = episodes[i].child;
    let j = i;
    while (j + 1 < episodes.length && episodes[j + 1].child === child && episodes[j].end === episodes[j + 1].start && episodes[j + 1].rne !== 'S') j++;
    const lastEp = episodes[j];
    out.push({ child, start: episodes[first].start, end: lastEp.end, rec: lastEp.end === null ? null : lastEp.rec, first, last: j + 1 });
    i = j + 1;
  }
  return out;
}

/**
 * Whether a child is an unaccompanied asylum-seeking child (UASC) on a day:
 * in a UASC file, and the day is before the date UASC status ceased (DUC),
 * or no DUC was given.
 *
 * @param child - the child from the header and UASC files
 * @param day - the day (day number)
 * @returns `true` when UASC on that day
 * @example
 * ```ts
 * isUascOn(data.children.get('123')!, marchEnd(2021));
 * ```
 */
export function isUascOn(child: Pick<Ssda903Child, 'uasc' | 'uascUntil'>, day: number): boolean {
  return child.uasc && (child.uascUntil === null || child.uascUntil > day);
}

/** The first age of each of the {@link AGE_BANDS}. */
const BAND_FROM = [0, 1, 5, 10, 16] as const;

/** The reason groups of leaving care used in `ceased` breakdowns. */
export const CEASED_REASONS = [
  'adopted',
  'special_guardianship',
  'child_arrangements',
  'returned_home',
  'independent_living',
  'aged_18_staying_put',
  'transferred',
  'custody_or_remand',
  'died',
  'moved_abroad',
  'other',
  'unknown',
] as const;

/** A reason group of leaving care (see {@link ceasedReasonOf}). */
export type CeasedReason = (typeof CEASED_REASONS)[number];

const REASONS: Record<string, CeasedReason> = {
  E11: 'adopted',
  E12: 'adopted',
  E43: 'special_guardianship',
  E44: 'special_guardianship',
  E45: 'special_guardianship',
  E46: 'special_guardianship',
  E47: 'special_guardianship',
  E48: 'special_guardianship',
  E41: 'child_arrangements',
  E4A: 'returned_home',
  E4B: 'returned_home',
  E13: 'returned_home',
  E15: 'returned_home',
  E5: 'independent_living',
  E6: 'independent_living',
  E17: 'aged_18_staying_put',
  E3: 'transferred',
  E7: 'transferred',
  E9: 'custody_or_remand',
  E14: 'custody_or_remand',
  E2: 'died',
  E16: 'moved_abroad',
  E8: 'other',
};

/**
 * The reason group of an SSDA903 `REC` code (reason episode ceased) that
 * ends a period of care: E11/E12 adopted; E43-E48 special guardianship;
 * E41 residence / child arrangements order; E4A, E4B, E13, E15 returned home;
 * E5, E6 independent living; E17 aged 18 and staying put; E3, E7 transferred
 * (another LA, adult social care); E9, E14 custody or remand ended; E2 died;
 * E16 moved abroad; E8 other; anything else (empty, X1, unknown codes)
 * `unknown`.
 *
 * @param rec - the REC code, or `null`
 * @returns the reason group
 * @example
 * ```ts
 * ceasedReasonOf('E12'); // 'adopted'
 * ceasedReasonOf(null);  // 'unknown'
 * ```
 */
export function ceasedReasonOf(rec: string | null): CeasedReason {
  if (rec === null) return 'unknown';
  return REASONS[rec.trim().toUpperCase()] ?? 'unknown';
}

/** Options for {@link deriveAnnualDataset}. */
export interface DeriveOptions {
  /** Years (31 March) to derive; default every return's year, plus the year before the first for the stock. */
  readonly years?: readonly number[];
  /** Count starters and leavers as periods of care (default, so the stock identity closes) or distinct children (as the DfE publishes). */
  readonly count?: 'periods' | 'children';
}

/** Aggregates derived from episodes, with per-year durations. */
export interface DerivedAggregates {
  /** The series as a dataset (measures `children_in_care`, `started`, `ceased`, `days_in_care`, `ceased_duration_days`). */
  readonly dataset: Dataset;
  /** The periods of care the flows were counted from. */
  readonly periods: readonly PeriodOfCare[];
}

function series(area: string, measure: string, kind: AnnualSeries['kind'], unit: AnnualSeries['unit'], breakdown: Breakdown, years: readonly number[], values: readonly number[]): AnnualSeries {
  return {
    frequency: 'annual',
    measure,
    kind,
    unit,
    breakdown,
    area,
    points: years.map((year, i) => ({ year, value: values[i], provenance: { source: 'SSDA903 episodes', note: 'derived by carecast from episode-level data' } })),
  };
}

/**
 * Derive the aggregate annual series of carecast from cleaned episodes.
 *
 * Measures (each total and broken down; every category present, zero when empty):
 * - `children_in_care` (snapshot at 31 March): total, by `placement`,
 *   `placementType`, `provider`, `age` (needs header files) and `uasc`;
 * - `started` (flow): periods of care starting in the year, total, by `age` at
 *   the start, by `placement` of the first episode and by `uasc` status on the
 *   first day ({@link isUascOn});
 * - `ceased` (flow): periods ending in the year, total, by `reason`
 *   ({@link CEASED_REASONS}), by `age` at the end and by `uasc` status on the
 *   last day in care;
 * - `days_in_care` (flow, unit days): child-days in care in the year;
 * - `ceased_duration_days` (unit days, kind rate): the `mean` and `median`
 *   length of the periods ending in the year, breakdown `{ statistic }`.
 *
 * With the default `count: 'periods'` the identity
 * `children_in_care(Y) = children_in_care(Y-1) + started(Y) - ceased(Y)`
 * holds exactly. The stock is derived for the year before the first return
 * too (children in care on its first day's eve), so flows have a previous stock.
 *
 * @param data - cleaned SSDA903 data ({@link "carecast/data"!readSsda903})
 * @param options - years, counting unit
 * @returns the dataset and the periods of care
 * @throws RangeError when a year asked for is outside the data
 * @example
 * ```ts
 * const { dataset } = deriveAnnualDataset(loadSsda903Folder(dir));
 * projectSystem({ stock: findSeries(dataset, 'children_in_care'), started: findSeries(dataset, 'started'),
 *   ceased: findSeries(dataset, 'ceased') }, { to: 2026, seed: 1 });
 * ```
 */
export function deriveAnnualDataset(data: Ssda903Data, options: DeriveOptions = {}): DerivedAggregates {
  const firstYear = financialYearOf(data.dataStart).year;
  const lastYear = financialYearOf(data.dataEnd).year;
  const years = options.years ? [...options.years].sort((a, b) => a - b) : Array.from({ length: lastYear - firstYear + 2 }, (_, i) => firstYear - 1 + i);
  for (const y of years) {
    if (!Number.isInteger(y) || y < firstYear - 1 || y > lastYear) throw new RangeError(`year ${y} is outside the data (${firstYear - 1}-${lastYear})`);
  }
  const flowYears = years.filter((y) => y >= firstYear);
  const nY = years.length;
  const nF = flowYears.length;
  const fIndex = new Map(flowYears.map((y, i) => [y, i]));
  const ends = years.map(marchEnd);
  const hasAges = data.children.size > 0;
  // age bands by integer comparison with the birthdays starting each band, computed once per date of birth
  const bandStarts = new Map<number, Int32Array>();
  const bandOn = (dob: number, day: number): AgeBand => {
    let b = bandStarts.get(dob);
    if (!b) bandStarts.set(dob, (b = Int32Array.from(BAND_FROM, (a) => birthdayDay(dob, a))));
    let k = 0;
    while (k + 1 < b.length && day >= b[k + 1]) k++;
    return AGE_BANDS[k];
  };
  const zeros = (n: number): number[] => new Array<number>(n).fill(0);
  const byKey = <K extends string>(keys: readonly K[], n: number): Record<K, number[]> =>
    Object.fromEntries(keys.map((k) => [k, zeros(n)])) as Record<K, number[]>;

  const stock = zeros(nY);
  const stockPlacement = byKey(PLACEMENT_GROUPS, nY);
  const stockType = byKey(PLACEMENT_TYPES, nY);
  const stockProvider = byKey(PROVIDER_GROUPS, nY);
  const stockAge = byKey(AGE_BANDS, nY);
  const stockUasc = byKey(['uasc', 'not_uasc'] as const, nY);
  const days = zeros(nF);

  const eps = data.episodes;
  for (const e of eps) {
    const end = e.end ?? Infinity;
    for (let i = 0; i < nY; i++) {
      const d = ends[i];
      if (e.start <= d && end > d) {
        stock[i]++;
        stockPlacement[e.placementGroup][i]++;
        stockType[e.placementType][i]++;
        stockProvider[e.providerGroup][i]++;
        const c = data.children.get(e.child);
        if (c) {
          stockAge[bandOn(c.dob, d)][i]++;
          stockUasc[isUascOn(c, d) ? 'uasc' : 'not_uasc'][i]++;
        } else stockUasc.not_uasc[i]++;
      }
    }
    // child-days in the year: days d with start <= d < end, in (31 Mar Y-1, 31 Mar Y]
    for (let k = 0; k < nF; k++) {
      const hi = marchEnd(flowYears[k]);
      const lo = marchEnd(flowYears[k] - 1) + 1;
      const a = Math.max(lo, e.start);
      const b = Math.min(hi + 1, end === Infinity ? data.dataEnd + 1 : end);
      if (b > a) days[k] += b - a;
    }
  }

  const periods = periodsOfCare(eps);
  const started = zeros(nF);
  const startedAge = byKey(AGE_BANDS, nF);
  const startedPlacement = byKey(PLACEMENT_GROUPS, nF);
  const startedUasc = byKey(['uasc', 'not_uasc'] as const, nF);
  const ceasedUasc = byKey(['uasc', 'not_uasc'] as const, nF);
  const ceased = zeros(nF);
  const ceasedReason = byKey(CEASED_REASONS, nF);
  const ceasedAge = byKey(AGE_BANDS, nF);
  const durations: number[][] = flowYears.map(() => []);
  const seenStart = flowYears.map(() => new Set<string>());
  const seenEnd = flowYears.map(() => new Set<string>());
  const byChildren = options.count === 'children';
  // the year (to 31 March) of a day within the data, by comparing day numbers with the years' ends
  const yearEnds = Array.from({ length: lastYear - firstYear + 2 }, (_, i) => marchEnd(firstYear - 1 + i));
  const yearOf = (day: number): number => {
    let k = 0;
    while (k < yearEnds.length && day > yearEnds[k]) k++;
    return firstYear - 1 + k;
  };
  for (const p of periods) {
    const c = data.children.get(p.child);
    const ys = fIndex.get(yearOf(p.start));
    if (ys !== undefined && !(byChildren && seenStart[ys].has(p.child))) {
      seenStart[ys].add(p.child);
      started[ys]++;
      startedPlacement[eps[p.first].placementGroup][ys]++;
      startedUasc[c && isUascOn(c, p.start) ? 'uasc' : 'not_uasc'][ys]++;
      if (c) startedAge[bandOn(c.dob, p.start)][ys]++;
    }
    if (p.end !== null) {
      const ye = fIndex.get(yearOf(p.end));
      if (ye !== undefined && !(byChildren && seenEnd[ye].has(p.child))) {
        seenEnd[ye].add(p.child);
        ceased[ye]++;
        ceasedUasc[c && isUascOn(c, p.end - 1) ? 'uasc' : 'not_uasc'][ye]++;
        ceasedReason[ceasedReasonOf(p.rec)][ye]++;
        if (c) ceasedAge[bandOn(c.dob, p.end)][ye]++;
        durations[ye].push(p.end - p.start);
      }
    }
  }
  const mean = durations.map((d) => (d.length ? d.reduce((a, b) => a + b, 0) / d.length : 0));
  const median = durations.map((d) => {
    if (d.length === 0) return 0;
    const s = [...d].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  });

  const area = data.area;
  const out: AnnualSeries[] = [];
  const snap = (b: Breakdown, v: number[]): void => void out.push(series(area, 'children_in_care', 'snapshot', 'children', b, years, v));
  const flow = (m: string, b: Breakdown, v: number[], unit: AnnualSeries['unit'] = 'children'): void => void out.push(series(area, m, 'flow', unit, b, flowYears, v));
  snap({}, stock);
  for (const g of PLACEMENT_GROUPS) snap({ placement: g }, stockPlacement[g]);
  for (const t of PLACEMENT_TYPES) snap({ placementType: t }, stockType[t]);
  for (const g of PROVIDER_GROUPS) snap({ provider: g }, stockProvider[g]);
  if (hasAges) for (const a of AGE_BANDS) snap({ age: a }, stockAge[a]);
  snap({ uasc: 'uasc' }, stockUasc.uasc);
  snap({ uasc: 'not_uasc' }, stockUasc.not_uasc);
  flow('started', {}, started);
  if (hasAges) for (const a of AGE_BANDS) flow('started', { age: a }, startedAge[a]);
  for (const g of PLACEMENT_GROUPS) flow('started', { placement: g }, startedPlacement[g]);
  flow('started', { uasc: 'uasc' }, startedUasc.uasc);
  flow('started', { uasc: 'not_uasc' }, startedUasc.not_uasc);
  flow('ceased', {}, ceased);
  for (const r of CEASED_REASONS) flow('ceased', { reason: r }, ceasedReason[r]);
  if (hasAges) for (const a of AGE_BANDS) flow('ceased', { age: a }, ceasedAge[a]);
  flow('ceased', { uasc: 'uasc' }, ceasedUasc.uasc);
  flow('ceased', { uasc: 'not_uasc' }, ceasedUasc.not_uasc);
  flow('days_in_care', {}, days, 'days');
  out.push(series(area, 'ceased_duration_days', 'rate', 'days', { statistic: 'mean' }, flowYears, mean));
  out.push(series(area, 'ceased_duration_days', 'rate', 'days', { statistic: 'median' }, flowYears, median));

  const notes = [
    `Derived from ${eps.length} episodes (${periods.length} periods of care) in ${data.returns.length} SSDA903 returns (${data.returns.map((r) => r.year).join(', ')}); ${data.fixes.length} fixes made while cleaning.`,
    byChildren
      ? 'started and ceased count distinct children per year (as the DfE publishes): the stock identity need not close.'
      : 'started and ceased count periods of care, so children_in_care(Y) = children_in_care(Y-1) + started(Y) - ceased(Y) exactly.',
  ];
  if (!hasAges) notes.push('No header files: no age breakdowns.');
  return {
    dataset: { name: `${area} (SSDA903 episodes)`, area: { name: area, level: 'local_authority' }, series: out, notes },
    periods,
  };
}

/** A child in care on a day, as the multi-state model starts from. */
export interface ChildInCare {
  /** The child. */
  readonly child: string;
  /** Date of birth (day number), or `null` when unknown. */
  readonly dob: number | null;
  /** The episode covering the day. */
  readonly episode: Episode;
}

/**
 * The children in care on a day (an episode starts on or before it and ends
 * after it, or is open).
 *
 * @param data - cleaned SSDA903 data
 * @param day - the day number (e.g. `marchEnd(2021)`)
 * @returns one entry per child in care, with the episode covering the day
 * @example
 * ```ts
 * childrenInCareOn(data, marchEnd(2021)).length; // children in care at 31 March 2021
 * ```
 */
export function childrenInCareOn(data: Ssda903Data, day: number): ChildInCare[] {
  const out: ChildInCare[] = [];
  for (const e of data.episodes) {
    if (e.start <= day && (e.end === null || e.end > day)) out.push({ child: e.child, dob: data.children.get(e.child)?.dob ?? null, episode: e });
  }
  return out;
}

/**
 * The age band of a child on a day, from the date of birth.
 *
 * @param dob - date of birth (day number)
 * @param day - the day
 * @returns the DfE age band of the completed years of age (0 before birth)
 * @example
 * ```ts
 * ageBandOn(dayOf(2010, 6, 1), marchEnd(2021)); // '10_15'
 * ```
 */
export function ageBandOn(dob: number, day: number): AgeBand {
  return ageBandOf(Math.max(0, ageOn(dob, day)));
}

