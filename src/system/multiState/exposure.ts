/**
 * Counting for the multi-state model's fit: for every state (age band x
 * group) the person-days at risk, the moves to each other group and the
 * exits from care in a fit window; the starters by single year of age and
 * group; the children reaching 18 in care; the children in care at the
 * window's end.
 *
 * A child is at risk on the steps from day `t` to `t + 1` between the start
 * of an episode (or the window) and its end (or the window's end, or the eve
 * of the 18th birthday). A transition on the step from day `e - 1` to `e`
 * belongs to the age band of day `e - 1`. Moves between episodes of the same
 * group are not transitions.
 *
 * @module
 */
import { birthdayTable, completedYears } from '../../data/calendar.js';
import { isUascOn } from '../../data/episodes.js';
import type { Episode, Ssda903Child, Ssda903Data } from '../../data/loaders/ssda903.js';
import { groupKeyOf } from './groups.js';
import type { AgeBandSpec, InitialChild, MultiStateGrouping } from './model.js';

/**
 * The group index of an episode under a grouping (0 for a group not in the
 * list), each distinct placement type, group and provider looked up once.
 */
function groupIndexer(by: MultiStateGrouping, groups: readonly string[]): (e: Episode) => number {
  const gIndex = new Map(groups.map((g, i) => [g, i]));
  const memo = new Map<string, Map<string, number>>();
  return (e) => {
    // the fields the group depends on: placementProvider reads the type and the provider code, the others one field
    const k1 = by === 'placementProvider' ? e.placementType : by === 'placement' ? e.placementGroup : by === 'provider' ? e.providerGroup : by === 'placementType' ? e.placementType : '';
    const k2 = by === 'placementProvider' ? e.provider : '';
    let inner = memo.get(k1);
    if (inner === undefined) memo.set(k1, (inner = new Map()));
    let g = inner.get(k2);
    if (g === undefined) inner.set(k2, (g = gIndex.get(groupKeyOf(e, by)) ?? 0));
    return g;
  };
}

/** What {@link countExposure} counts over a window. */
export interface ExposureCounts {
  /** Person-days at risk per state. */
  readonly exposure: Float64Array;
  /** Moves per state to each group, `[state * groups + group]`. */
  readonly moves: Float64Array;
  /** Exits from care per state (not reaching 18). */
  readonly exits: Float64Array;
  /** Starters by single year of age and group, `[age * groups + group]`. */
  readonly entryMix: Float64Array;
  /** Starters in the window. */
  readonly entryCount: number;
  /** Children reaching 18 in care in the window. */
  readonly agedOut: number;
  /** Periods of care skipped: the child has no date of birth. */
  readonly skipped: number;
  /** Periods of care left out: the child's UASC status is the other one. */
  readonly otherStatus: number;
  /** Children in care at the window's end. */
  readonly initial: InitialChild[];
}

/** The window, states and children that {@link countExposure} counts. */
export interface ExposureSpec {
  /** First day of the window. */
  readonly from: number;
  /** Last day of the window. */
  readonly to: number;
  /** The grouping. */
  readonly by: MultiStateGrouping;
  /** Its groups, in order. */
  readonly groups: readonly string[];
  /** The age bands. */
  readonly bands: readonly AgeBandSpec[];
  /** The age care ends at. */
  readonly maxAge: number;
  /** Only UASC children (`true`), only the others (`false`), or all (`undefined`). */
  readonly uasc: boolean | undefined;
}

/**
 * Count exposures, transitions, starters, children reaching 18 and the
 * children in care at the window's end, period of care by period of care.
 *
 * @param data - cleaned SSDA903 data with dates of birth
 * @param spec - window, grouping, bands, UASC status
 * @returns the counts
 * @example
 * ```ts
 * const c = countExposure(data, { from, to, by: 'placement', groups: GROUP_LISTS.placement, bands: DFE_AGE_BAND_SPECS, maxAge: 18, uasc: undefined });
 * c.exits[0] / c.exposure[0]; // the daily exit rate of the first state
 * ```
 */
export function countExposure(data: Ssda903Data, spec: ExposureSpec): ExposureCounts {
  const { from, to, by, groups, bands, maxAge, uasc } = spec;
  const G = groups.length;
  const B = bands.length;
  const S = B * G;
  const exposure = new Float64Array(S);
  const moves = new Float64Array(S * G);
  const exits = new Float64Array(S);
  const entryMix = new Float64Array(maxAge * G);
  let entryCount = 0;
  let agedOut = 0;
  let skipped = 0;
  const initial: InitialChild[] = [];
  const eps = data.episodes;
  const birthdays = birthdayTable(maxAge);
  const groupOf = groupIndexer(by, groups);
  // one period's segments of constant group (start, end, group), reused from period to period
  let segA = new Float64Array(64);
  let segB = new Float64Array(64);
  let segG = new Int32Array(64);
  const bd = new Float64Array(B + 1);
  let otherStatus = 0;
  // periods of care as periodsOfCare makes them (episodes of a child back to back, a new one at RNE 'S'),
  // found in the same pass; a child's record and birthdays looked up once for their consecutive periods
  let lastChild: string | undefined;
  let child: Ssda903Child | undefined;
  let born: Int32Array = new Int32Array(0);
  for (let i = 0; i < eps.length; ) {
    const first = i;
    const id = eps[i].child;
    let j = i;
    while (j + 1 < eps.length && eps[j + 1].child === id && eps[j].end === eps[j + 1].start && eps[j + 1].rne !== 'S') j++;
    i = j + 1;
    const last = j + 1;
    if (id !== lastChild) {
      lastChild = id;
      child = data.children.get(id);
      if (child) {
        born = birthdays(child.dob);
        for (let k = 0; k < B; k++) bd[k] = born[bands[k].from];
        bd[B] = born[maxAge];
      }
    }
    if (!child) {
      skipped++;
      continue;
    }
    if (uasc !== undefined && isUascOn(child, eps[first].start) !== uasc) {
      otherStatus++;
      continue;
    }
    const dob = child.dob;
    const H = bd[B];
    // segments of constant group, zero-length episodes dropped
    if (last - first > segA.length) {
      segA = new Float64Array(2 * (last - first));
      segB = new Float64Array(segA.length);
      segG = new Int32Array(segA.length);
    }
    let n = 0;
    let segGroup = -1;
    for (let k = first; k < last; k++) {
      const e = eps[k];
      const end = e.end ?? Infinity;
      if (end <= e.start) continue;
      const g = groupOf(e);
      if (segGroup === g && n > 0 && segB[n - 1] === e.start) {
        segB[n - 1] = end;
      } else {
        if (n > 0) segB[n - 1] = e.start; // contiguous within a period
        segA[n] = e.start;
        segB[n] = end;
        segG[n] = g;
        n++;
      }
      segGroup = g;
    }
    if (n === 0) continue;
    const pStart = segA[0];
    // starter in the window (arrives on a day in (from, to])
    if (pStart > from && pStart <= to) {
      const age = completedYears(born, pStart);
      if (age >= 0 && age < maxAge) {
        entryMix[age * G + segG[0]]++;
        entryCount++;
      }
    }
    // in care at the window end: the starting stock
    for (let si = 0; si < n; si++) {
      if (segA[si] <= to && segB[si] > to) {
        if (to < H) initial.push({ dob, group: groups[segG[si]] });
        break;
      }
    }
    for (let si = 0; si < n; si++) {
      const a = segA[si];
      const b = segB[si];
      const g = segG[si];
      // at-risk steps t in [max(a, from), min(b, H - 1, to))
      const lo = Math.max(a, from);
      const hi = Math.min(b, H - 1, to);
      if (hi > lo) {
        for (let k = 0; k < B; k++) {
          const x = Math.max(lo, bd[k]);
          const y = Math.min(hi, bd[k + 1]);
          if (y > x) exposure[k * G + g] += y - x;
        }
      }
      // the event at day b (step b - 1)
      if (b >= H) {
        // in care on the eve of the 18th birthday: aged out, not an exit
        if (H - 1 >= from && H - 1 < to) agedOut++;
        break;
      }
      if (b === Infinity) continue;
      const step = b - 1;
      if (step < from || step >= to) continue;
      let band = 0;
      while (band + 1 < B && step >= bd[band + 1]) band++;
      const state = band * G + g;
      if (si + 1 < n) moves[state * G + segG[si + 1]]++;
      else exits[state]++;
    }
  }
  return { exposure, moves, exits, entryMix, entryCount, agedOut, skipped, otherStatus, initial };
}
