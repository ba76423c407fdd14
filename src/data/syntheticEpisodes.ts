/**
 * A seeded generator of synthetic SSDA903 returns with known rates, for
 * accuracy and speed tests of the episode pipeline and the multi-state
 * model.
 *
 * The children follow exactly the daily chain of the multi-state model
 * (`src/system/multiState.ts`): each day, a child whose 18th birthday is the
 * next day leaves care; every other child moves to another placement group
 * or leaves care with the given daily probabilities of their age band and
 * group; then the next day's starters arrive (Poisson), by single year of
 * age and group, with dates of birth spread evenly over the dates giving that
 * age. The history starts `burnInYears` before the first return so the
 * first return already holds children in care; the returns are then written
 * as LAs write them: each return holds every episode open at some time in
 * its year, with DEC empty when the episode is still open at its 31 March, so
 * episodes repeat across returns exactly as in real data. With
 * `omitFromNextReturn` some children in care at a year end are left out of
 * the next return, as happens in LAs' files; `truth.inCare` gives the true
 * numbers in care, whatever the returns leave out.
 *
 * The generator takes the random source as an argument (`createRng(seed)`
 * from carecast), so the same seed gives the same files.
 *
 * @module
 */
import { AGE_BANDS } from './codes.js';
import { birthdayDay, dayToIso, dobRangeForAge, marchEnd } from './calendar.js';
import type { Ssda903ReturnText } from './loaders/ssda903.js';

/** A source of uniform random numbers in [0, 1), such as `createRng(seed)`. */
export interface UniformSource {
  /** A uniform draw in [0, 1). */
  uniform(): number;
}

/** What the synthetic LA looks like: its true rates. */
export interface SyntheticEpisodeSpec {
  /** Year of the first return's 31 March (e.g. 2018 for the 2017/18 return). */
  readonly firstYear: number;
  /** Number of yearly returns (default 5). */
  readonly years?: number;
  /** Years simulated before the first return (default 10). */
  readonly burnInYears?: number;
  /** Starters per day (Poisson). */
  readonly entriesPerDay: number;
  /** Starter weights by single year of age (0-17) × group `[age][group]`; default {@link DEFAULT_SYNTHETIC_SPEC}. */
  readonly entryMix?: readonly (readonly number[])[];
  /** Daily exit probabilities `[band][group]` (DfE bands × placement groups). */
  readonly exitRates?: readonly (readonly number[])[];
  /** Daily move probabilities `[band][from group][to group]`; the diagonal is ignored. */
  readonly moveRates?: readonly (readonly (readonly number[])[])[];
  /** Share of starters aged 14-17 who are UASC (default 0.1). */
  readonly uascShare?: number;
  /** Date format of the files (default `'dmy'`, dd/mm/yyyy). */
  readonly dateFormat?: 'dmy' | 'iso';
  /**
   * Share of the children in care at a return's 31 March who are left out of
   * the next return (default 0: every return is complete). Each return after
   * the first leaves such a child out with this probability, independently:
   * their rows and header lines are missing from that return only, so a child
   * whose episode is open at the end of a return can be absent from later
   * returns while still in care, as in LAs' files (in the `cs-demand-model`
   * samples about 1 in 5 of the children open at a year end are missing from
   * the next return). The history is generated first and is the same for any
   * value; the draws for leaving out are made after it, and only when the
   * share is above 0.
   */
  readonly omitFromNextReturn?: number;
  /**
   * With {@link SyntheticEpisodeSpec.omitFromNextReturn}: leave out only
   * children still in care at the next return's 31 March, so a child's
   * leaving care is always in the return of its year and every child left out
   * of a return is still looked after (default false: anyone in care at the
   * year end may be left out, including those who leave in the next year and
   * so are never seen again). In the `cs-demand-model` samples every child
   * missing from the return after an open year end is in a later return.
   */
  readonly omitOnlyStaying?: boolean;
}

/** The placement groups of the synthetic data, in order, with the codes written for each. */
export const SYNTHETIC_GROUPS = [
  { group: 'fostering', place: 'U4', provider: 'PR1', exitRec: 'E4A' },
  { group: 'residential', place: 'K2', provider: 'PR4', exitRec: 'E8' },
  { group: 'adoption', place: 'A4', provider: 'PR1', exitRec: 'E11' },
  { group: 'parents', place: 'P1', provider: 'PR0', exitRec: 'E4A' },
  { group: 'other', place: 'R1', provider: 'PR3', exitRec: 'E8' },
] as const;

const G = SYNTHETIC_GROUPS.length;
const BAND_FROM = [0, 1, 5, 10, 16];

/**
 * Default rates, roughly those of an English LA: about 1 in 3 of children
 * in foster care leave within a year, adoption placements end in adoption
 * within about 9 months, residential placements are entered mostly by
 * teenagers moving from fostering.
 */
export const DEFAULT_SYNTHETIC_SPEC: Required<Pick<SyntheticEpisodeSpec, 'entryMix' | 'exitRates' | 'moveRates'>> = {
  entryMix: Array.from({ length: 18 }, (_, a) => {
    const w = a === 0 ? 3 : a < 5 ? 1.2 : a < 10 ? 1 : a < 16 ? 1.3 : 1.1;
    return [0.75 * w, (a >= 12 ? 0.12 : 0.01) * w, 0, 0.1 * w, 0.05 * w];
  }),
  exitRates: BAND_FROM.map((_, b) => [0.0012, 0.0015, b < 2 ? 0.004 : 0.003, 0.003, 0.002]),
  moveRates: BAND_FROM.map((_, b) => [
    [0, b >= 3 ? 0.0003 : 0.00002, b < 2 ? 0.0008 : b === 2 ? 0.0002 : 0, 0.0002, 0.0001],
    [0.0004, 0, 0, 0.0001, 0.0002],
    [0.0005, 0, 0, 0, 0],
    [0.0008, 0.0001, 0, 0, 0.0001],
    [0.001, 0.0005, 0, 0.0002, 0],
  ]),
};

/** The generated returns and what was generated. */
export interface SyntheticEpisodes {
  /** One return per year, as CSV texts (episodes, header, uasc), ready for `readSsda903`. */
  readonly returns: readonly (Ssda903ReturnText & { readonly episodes: string; readonly header: string; readonly uasc: string })[];
  /** The true rates and starters used. */
  readonly truth: {
    /** Starters per day. */
    readonly entriesPerDay: number;
    /** Daily exit probabilities `[band][group]`. */
    readonly exitRates: readonly (readonly number[])[];
    /** Daily move probabilities `[band][from][to]`. */
    readonly moveRates: readonly (readonly (readonly number[])[])[];
    /** Starter shares `[age][group]` (summing to 1). */
    readonly entryMix: readonly (readonly number[])[];
    /** Group names in order. */
    readonly groups: readonly string[];
    /** Band names in order. */
    readonly bands: readonly string[];
    /** Children in care at each return's 31 March in the generated history (one per return, oldest first), whatever the returns leave out. */
    readonly inCare: readonly number[];
  };
  /** Children generated (including those who left before the first return). */
  readonly children: number;
  /** Episode rows written, over all returns. */
  readonly episodeRows: number;
}

interface GenEpisode {
  start: number;
  end: number | null; // null = in care at the end of the history
  g: number;
  rne: string;
  rec: string | null;
}

function poisson(rng: UniformSource, mean: number): number {
  const L = Math.exp(-mean);
  let k = 0;
  let p = 1;
  for (;;) {
    p *= rng.uniform();
    if (p <= L) return k;
    k++;
  }
}

/**
 * Generate synthetic SSDA903 returns from known daily rates.
 *
 * @param spec - the first year, number of returns, starters per day and the true rates
 * @param rng - the random source, e.g. `createRng(42)`
 * @returns the returns as CSV texts and the true rates
 * @throws RangeError when a rate is negative, daily probabilities of a state add to more than 1, or `entriesPerDay` is not positive
 * @example
 * ```ts
 * const syn = generateSyntheticEpisodes({ firstYear: 2018, years: 5, entriesPerDay: 1 }, createRng(42));
 * const data = readSsda903(syn.returns);
 * fitMultiState(data).exitRates; // close to syn.truth.exitRates
 * ```
 */
export function generateSyntheticEpisodes(spec: SyntheticEpisodeSpec, rng: UniformSource): SyntheticEpisodes {
  const years = spec.years ?? 5;
  const burn = spec.burnInYears ?? 10;
  const exitRates = spec.exitRates ?? DEFAULT_SYNTHETIC_SPEC.exitRates;
  const moveRates = spec.moveRates ?? DEFAULT_SYNTHETIC_SPEC.moveRates;
  const rawMix = spec.entryMix ?? DEFAULT_SYNTHETIC_SPEC.entryMix;
  if (!(spec.entriesPerDay > 0) || !Number.isFinite(spec.entriesPerDay)) throw new RangeError(`entriesPerDay must be positive, got ${spec.entriesPerDay}`);
  const B = BAND_FROM.length;
  // daily probabilities: leave[s], cumulative destinations per state (groups, then exit)
  const leave = new Float64Array(B * G);
  const dest = new Float64Array(B * G * (G + 1));
  for (let b = 0; b < B; b++) {
    for (let g = 0; g < G; g++) {
      const s = b * G + g;
      let tot = 0;
      for (let h = 0; h < G; h++) {
        const v = h === g ? 0 : moveRates[b][g][h];
        if (!(v >= 0)) throw new RangeError(`move rate [${b}][${g}][${h}] must be >= 0, got ${v}`);
        dest[s * (G + 1) + h] = v;
        tot += v;
      }
      const e = exitRates[b][g];
      if (!(e >= 0)) throw new RangeError(`exit rate [${b}][${g}] must be >= 0, got ${e}`);
      dest[s * (G + 1) + G] = e;
      tot += e;
      if (tot > 1) throw new RangeError(`daily probabilities of band ${b}, group ${g} add to ${tot} > 1`);
      leave[s] = tot;
    }
  }
  const mixFlat = rawMix.flat();
  const mixSum = mixFlat.reduce((a, v) => a + v, 0);
  const mixCum = new Float64Array(mixFlat.length);
  let acc = 0;
  mixFlat.forEach((v, i) => (mixCum[i] = acc += v / mixSum));

  const historyStart = marchEnd(spec.firstYear - 1 - burn) + 1;
  const end = marchEnd(spec.firstYear + years - 1);
  const uascShare = spec.uascShare ?? 0.1;
  const children: { id: string; dob: number; sex: number; uasc: boolean; eps: GenEpisode[] }[] = [];

  for (let day = historyStart + 1; day <= end; day++) {
    const n = poisson(rng, spec.entriesPerDay);
    for (let k = 0; k < n; k++) {
      const u = rng.uniform();
      let i = 0;
      while (i < mixCum.length - 1 && u >= mixCum[i]) i++;
      const age = Math.floor(i / G);
      let g = i % G;
      const [lo, hi] = dobRangeForAge(day, age);
      const dob = lo + Math.floor(rng.uniform() * (hi - lo + 1));
      const bounds = BAND_FROM.map((a) => (a === 0 ? dob : birthdayDay(dob, a)));
      const H = birthdayDay(dob, 18);
      const eps: GenEpisode[] = [];
      let t = day;
      let epStart = day;
      let b = 0;
      while (b + 1 < B && t >= bounds[b + 1]) b++;
      let rne = 'S';
      for (;;) {
        const lim = Math.min(b + 1 < B ? bounds[b + 1] : Infinity, H - 1, end);
        const s = b * G + g;
        const pl = leave[s];
        let D = Infinity;
        if (pl >= 1) D = 1;
        else if (pl > 0) D = Math.max(1, Math.ceil(Math.log(1 - rng.uniform()) / Math.log(1 - pl)));
        if (t + D <= lim) {
          t += D;
          const v = rng.uniform() * pl;
          let h = 0;
          let c = dest[s * (G + 1)];
          while (h < G && v >= c) c += dest[s * (G + 1) + ++h];
          if (h >= G) {
            eps.push({ start: epStart, end: t, g, rne, rec: SYNTHETIC_GROUPS[g].exitRec });
            break;
          }
          eps.push({ start: epStart, end: t, g, rne, rec: 'X1' });
          epStart = t;
          rne = 'P';
          g = h;
          continue;
        }
        t = lim;
        if (t >= end) {
          eps.push({ start: epStart, end: null, g, rne, rec: null });
          break;
        }
        if (t === H - 1) {
          eps.push({ start: epStart, end: H, g, rne, rec: 'E17' });
          break;
        }
        b++;
      }
      children.push({ id: String(100000 + children.length), dob, sex: rng.uniform() < 0.56 ? 1 : 2, uasc: age >= 14 && rng.uniform() < uascShare, eps });
    }
  }

  const fmt = (day: number): string => {
    const iso = dayToIso(day);
    return spec.dateFormat === 'iso' ? iso : `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
  };
  const omit = spec.omitFromNextReturn ?? 0;
  if (!(omit >= 0 && omit <= 1)) throw new RangeError(`omitFromNextReturn must be in [0, 1], got ${omit}`);
  const inCareOn = (c: (typeof children)[number], day: number): boolean => c.eps.some((e) => e.start <= day && (e.end === null || e.end > day));
  const returns: SyntheticEpisodes['returns'][number][] = [];
  const inCare: number[] = [];
  let episodeRows = 0;
  for (let y = spec.firstYear; y < spec.firstYear + years; y++) {
    const yStart = marchEnd(y - 1) + 1;
    const yEnd = marchEnd(y);
    inCare.push(children.reduce((n, c) => n + (inCareOn(c, yEnd) ? 1 : 0), 0));
    const ep: string[] = ['CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN'];
    const hd: string[] = ['CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB'];
    const ua: string[] = ['CHILD,SEX,DOB,DUC'];
    for (const c of children) {
      if (omit > 0 && y > spec.firstYear && inCareOn(c, yStart - 1) && (!spec.omitOnlyStaying || inCareOn(c, yEnd)) && rng.uniform() < omit) continue;
      let any = false;
      for (const e of c.eps) {
        // open at some time in the year: starts by its end, ends after its start
        if (e.start > yEnd || (e.end !== null && e.end < yStart)) continue;
        any = true;
        const closed = e.end !== null && e.end <= yEnd;
        const gInfo = SYNTHETIC_GROUPS[e.g];
        ep.push(`${c.id},${fmt(e.start)},${e.rne},C2,N1,${gInfo.place},${gInfo.provider},${closed ? fmt(e.end as number) : ''},${closed ? e.rec : ''},,,,`);
        episodeRows++;
      }
      if (any) {
        hd.push(`${c.id},${c.sex},${fmt(c.dob)},WBRI,,,`);
        if (c.uasc) ua.push(`${c.id},${c.sex},${fmt(c.dob)},${fmt(birthdayDay(c.dob, 18))}`);
      }
    }
    returns.push({
      year: y,
      episodes: ep.join('\n') + '\n',
      header: hd.join('\n') + '\n',
      uasc: ua.join('\n') + '\n',
      sources: { episodes: `${y}-episodes.csv`, header: `${y}-header.csv`, uasc: `${y}-uasc.csv` },
    });
  }
  return {
    returns,
    truth: {
      entriesPerDay: spec.entriesPerDay,
      exitRates,
      moveRates,
      entryMix: rawMix.map((r) => r.map((v) => v / mixSum)),
      groups: SYNTHETIC_GROUPS.map((g) => g.group),
      bands: [...AGE_BANDS],
      inCare,
    },
    children: children.length,
    episodeRows,
  };
}
