/**
 * A breakdown's history as the system model reads it: per year, the
 * count of every group, or nothing when a group is unknown that year.
 *
 * The rules (docs/preregistration/issue-13-system-model.md, decisions 2
 * and 3):
 *
 * - a year where exactly one group is missing and the total and the other
 *   groups are known takes that group as the total minus the others, when
 *   the groups cover the total (no year with every group published falls
 *   short of it);
 * - a count published only as a bound `[0, u]` (a suppressed point with
 *   `suppressed.upper`) is taken as `u / 2`;
 * - a year with a group still unknown is left out (no interpolation);
 * - groups falling short of the total (by more than the larger of 1 and
 *   0.5% of it) gain a remainder group (`unallocated`); groups exceeding
 *   it by as much are an input error.
 *
 * A breakdown that partitions the total by construction (the DfE panel's,
 * built from every published category) skips the comparison with the
 * total: its shares are of the groups' own sum.
 *
 * @module
 */
import { CarecastInputError, type InputProblem } from '../data/errors.js';
import type { AnnualSeries } from '../data/schemas.js';
import type { SeriesInput, YearValue } from '../data/yearValue.js';

/** The name of the remainder group added when a breakdown falls short of the total. */
export const REMAINDER_GROUP = 'unallocated';

/** One year of a breakdown's history. */
export interface GroupYear {
  /** Year (31 March). */
  readonly year: number;
  /** Counts per group, in the table's group order (bounds taken as `u / 2`, a single missing group deduced). */
  readonly counts: readonly number[];
  /** How the year's counts were read: `observed`, `deduced` (one group = total minus the others) or `bounded` (a count published as a bound, taken as half of it). */
  readonly status: 'observed' | 'deduced' | 'bounded';
}

/** A breakdown's history: the groups and every year with all of them known. */
export interface GroupTable {
  /** The dimension's name (e.g. `placement`). */
  readonly dimension: string;
  /** The groups, in order (the remainder group last, when added). */
  readonly groups: readonly string[];
  /** The remainder group, when the groups fell short of the total. */
  readonly remainder?: string;
  /** The years with every group known, ascending. */
  readonly years: readonly GroupYear[];
  /** Years of the breakdown left out because a group is unknown. */
  readonly dropped: readonly number[];
  /** What was done to the data, in words. */
  readonly notes: readonly string[];
}

interface Point {
  readonly value: number | null;
  readonly upper?: number;
  readonly row: number;
}

function readPoints(series: SeriesInput, source: string, field: string, problems: InputProblem[]): Map<number, Point> {
  const raw: readonly { year: number; value: number | null; suppressed?: { upper?: number } }[] = Array.isArray(series)
    ? (series as readonly YearValue[])
    : (series as AnnualSeries).points;
  const out = new Map<number, Point>();
  raw.forEach((p, i) => {
    const row = i + 1;
    if (!Number.isInteger(p.year)) {
      problems.push({ source, row, field, message: `year must be a whole number, got ${p.year}`, fix: 'give the year of the 31 March, e.g. 2017' });
    } else if (out.has(p.year)) {
      problems.push({ source, row, field, message: `duplicate year ${p.year} (also point ${out.get(p.year)?.row})`, fix: 'keep one value per year' });
    } else if (p.value !== null && !(Number.isFinite(p.value) && p.value >= 0)) {
      problems.push({ source, row, field, message: `${p.year}: a count must be a number of at least 0, got ${p.value}`, fix: 'use null for a missing or suppressed value' });
    } else {
      const upper = p.suppressed?.upper;
      out.set(p.year, { value: p.value, row, ...(upper !== undefined && Number.isFinite(upper) ? { upper } : {}) });
    }
  });
  return out;
}

/**
 * Read a breakdown's group series into a {@link GroupTable}.
 *
 * @param dimension - the dimension's name (for messages and the result)
 * @param groups - count series per group
 * @param options - the total (needed to deduce a missing group and to add a remainder), whether the groups partition the total by construction, the last year to read
 * @returns the table
 * @throws CarecastInputError for fewer than two groups, a reserved or empty group name, bad counts, duplicate years, groups exceeding the total
 * @example
 * ```ts
 * const t = groupTable('placement', { fostering: [{ year: 2023, value: 600 }], residential: [{ year: 2023, value: 100 }] }, { total: [{ year: 2023, value: 800 }] });
 * t.groups;           // ['fostering', 'residential', 'unallocated']
 * t.years[0].counts;  // [600, 100, 100]
 * ```
 */
export function groupTable(
  dimension: string,
  groups: Readonly<Record<string, SeriesInput>>,
  options: { readonly total?: SeriesInput; readonly partition?: boolean; readonly upTo?: number } = {},
): GroupTable {
  const source = `breakdown ${dimension}`;
  const names = Object.keys(groups);
  const problems: InputProblem[] = [];
  if (names.length < 2) {
    throw new CarecastInputError([{ source, field: 'groups', message: `a breakdown needs at least two groups, got ${names.length}${names.length ? ` (${names.join(', ')})` : ''}`, fix: 'give the count series of every group, e.g. { fostering, residential, other }' }]);
  }
  for (const g of names) {
    if (g.trim() === '' || g === 'total') problems.push({ source, field: g || '(empty)', message: `group name ${JSON.stringify(g)} is not allowed`, fix: 'name groups by what they hold; "total" is reserved' });
  }
  const maps = names.map((g) => readPoints(groups[g], source, g, problems));
  const totalMap = options.total !== undefined && !options.partition ? readPoints(options.total, source, 'total', problems) : undefined;
  if (problems.length > 0) throw new CarecastInputError(problems);
  const upTo = options.upTo ?? Infinity;
  const allYears = [...new Set(maps.flatMap((m) => [...m.keys()]))].filter((y) => y <= upTo).sort((a, b) => a - b);
  const tolerance = (t: number): number => Math.max(1, 0.005 * t);
  const notes: string[] = [];
  const rows: { year: number; counts: number[]; status: GroupYear['status'] }[] = [];
  const dropped: number[] = [];
  // the groups cover the total when no year with every group published falls short of it: only then is a
  // missing group the total minus the others (otherwise the shortfall is a remainder group's)
  const covers = !allYears.some((year) => {
    const t = totalMap?.get(year)?.value;
    const v = maps.map((m) => m.get(year)?.value ?? null);
    return t !== null && t !== undefined && v.every((x) => x !== null) && t - (v as number[]).reduce((a, b) => a + b, 0) > tolerance(t);
  });
  const deduced: string[] = [];
  const bounded: string[] = [];
  for (const year of allYears) {
    const pts = maps.map((m) => m.get(year));
    const total = totalMap?.get(year)?.value ?? null;
    let status: GroupYear['status'] = 'observed';
    const counts: (number | null)[] = pts.map((p) => p?.value ?? null);
    const missing = counts.flatMap((c, g) => (c === null ? [g] : []));
    if (missing.length === 1 && total !== null && covers) {
      const g = missing[0];
      const others = counts.reduce<number>((s, c, k) => s + (k === g ? 0 : (c as number)), 0);
      counts[g] = Math.max(0, total - others);
      status = 'deduced';
      deduced.push(`${names[g]} ${year} = ${counts[g]}`);
    }
    for (let g = 0; g < counts.length; g++) {
      const u = pts[g]?.upper;
      if (counts[g] === null && u !== undefined) {
        counts[g] = u / 2;
        status = 'bounded';
        bounded.push(`${names[g]} ${year} (< ${u})`);
      }
    }
    if (counts.some((c) => c === null)) {
      dropped.push(year);
      continue;
    }
    const sum = (counts as number[]).reduce((a, b) => a + b, 0);
    if (total !== null && sum > total + tolerance(total)) {
      problems.push({
        source,
        row: totalMap?.get(year)?.row,
        field: 'total',
        message: `${year}: the ${dimension} groups sum to ${sum} (${names.map((g, k) => `${g} ${counts[k]}`).join(', ')}), more than the total ${total}`,
        fix: 'check that the groups do not overlap and are for the same date as the total',
      });
    }
    rows.push({ year, counts: counts as number[], status });
  }
  if (problems.length > 0) throw new CarecastInputError(problems);
  if (deduced.length > 0) notes.push(`One suppressed group a year taken as the total minus the others: ${deduced.join('; ')}.`);
  if (bounded.length > 0) notes.push(`Counts published only as a bound taken as half the bound: ${bounded.join('; ')}.`);
  if (dropped.length > 0) notes.push(`Years with a group unknown, left out: ${dropped.join(', ')}.`);
  // a remainder when the groups cover less than the total
  let remainder: string | undefined;
  const outNames = [...names];
  if (totalMap) {
    const short = rows.filter((r) => {
      const t = totalMap.get(r.year)?.value;
      return t !== null && t !== undefined && t - r.counts.reduce((a, b) => a + b, 0) > tolerance(t);
    });
    if (short.length > 0) {
      if (names.includes(REMAINDER_GROUP)) {
        throw new CarecastInputError([{ source, field: REMAINDER_GROUP, message: `the groups fall short of the total, and the remainder group name "${REMAINDER_GROUP}" is already a group`, fix: 'rename that group, or give groups that cover the total' }]);
      }
      remainder = REMAINDER_GROUP;
      outNames.push(remainder);
      const kept: typeof rows = [];
      for (const r of rows) {
        const t = totalMap.get(r.year)?.value;
        if (t === null || t === undefined) {
          dropped.push(r.year);
          continue;
        }
        kept.push({ ...r, counts: [...r.counts, Math.max(0, t - r.counts.reduce((a, b) => a + b, 0))] });
      }
      rows.length = 0;
      rows.push(...kept);
      notes.push(`The ${dimension} groups cover less than the total (e.g. ${short[0].year}: ${short[0].counts.reduce((a, b) => a + b, 0)} of ${totalMap.get(short[0].year)?.value}): the rest is the group "${remainder}".`);
    }
  }
  dropped.sort((a, b) => a - b);
  return { dimension, groups: outNames, ...(remainder ? { remainder } : {}), years: rows, dropped, notes };
}
