/**
 * The expected (deterministic) multi-state projection against the original
 * day-by-day algorithm, kept here as a slow reference: every date-of-birth
 * cohort followed one day at a time, as `projectExpected` did before it
 * advanced cohorts by runs of days. Every output must equal the reference
 * to 1e-9 relative (so zeros must be exact zeros).
 */
import { describe, expect, it } from 'vitest';
import { birthdayDay, dayOf, marchEnd } from '../../src/data/calendar.js';
import { readSsda903 } from '../../src/data/loaders/ssda903.js';
import { generateSyntheticEpisodes } from '../../src/data/syntheticEpisodes.js';
import { yearValuesOf, type SeriesInput } from '../../src/data/yearValue.js';
import { createRng } from '../../src/math/rng.js';
import {
  fitMultiState,
  multiStateModelFromRates,
  projectMultiState,
  type MultiStateCounts,
  type MultiStateModel,
  type MultiStateProjectionOptions,
} from '../../src/system/multiState.js';

// ---------------------------------------------------------------------------
// The slow reference: the day-by-day cohort algorithm of src/system/multiState.ts
// as it was before runs of days (copied, with the option handling it needs).
// ---------------------------------------------------------------------------

function yearOfRef(day: number): number {
  const y = new Date(day * 86_400_000).getUTCFullYear();
  return day <= marchEnd(y) ? y : y + 1;
}

function dailyProbabilitiesRef(model: MultiStateModel): { leave: Float64Array; dest: Float64Array } {
  const G = model.groups.length;
  const S = model.states.length;
  const exitRates = model.exitRates;
  const moveRates = new Float64Array(S * G);
  model.moveRates.forEach((r, s) => r.forEach((v, g) => (moveRates[s * G + g] = g === s % G ? 0 : v)));
  const leave = new Float64Array(S);
  const dest = new Float64Array(S * (G + 1));
  for (let s = 0; s < S; s++) {
    let R = exitRates[s];
    for (let g = 0; g < G; g++) R += moveRates[s * G + g];
    const pLeave = model.discretisation === 'exponential' ? 1 - Math.exp(-R) : R;
    leave[s] = Math.min(1, pLeave);
    const f = R > 0 ? leave[s] / R : 0;
    for (let g = 0; g < G; g++) dest[s * (G + 1) + g] = moveRates[s * G + g] * f;
    dest[s * (G + 1) + G] = exitRates[s] * f;
  }
  return { leave, dest };
}

function latestDobTableRef(start: number, nDays: number, maxAge: number): Float64Array {
  const W = maxAge + 1;
  const out = new Float64Array((nDays + 1) * W);
  for (let t = 0; t <= nDays; t++) {
    const day = start + t;
    const d = new Date(day * 86_400_000);
    const Y = d.getUTCFullYear();
    const M = d.getUTCMonth();
    const D = d.getUTCDate();
    out[t * W] = day;
    for (let a = 1; a <= maxAge; a++) {
      let hi = Date.UTC(Y - a, M, D) / 86_400_000;
      while (birthdayDay(hi, a) > day) hi--;
      while (birthdayDay(hi + 1, a) <= day) hi++;
      out[t * W + a] = hi;
    }
  }
  return out;
}

/** Expected values of `projectMultiState` by the original day-by-day algorithm (numeric day arguments only). */
function slowExpectedReference(model: MultiStateModel, options: MultiStateProjectionOptions): MultiStateCounts & { reportDays: number[] } {
  const start = options.start !== undefined ? (options.start as number) : model.start;
  const nDays = options.days !== undefined ? options.days : marchEnd(options.to as number) - start;
  const G = model.groups.length;
  const B = model.bands.length;
  const S = B * G;
  const maxAge = model.maxAge;
  const W = maxAge + 1;
  const end = start + nDays;
  const gIndex = new Map(model.groups.map((g, i) => [g, i]));
  const initial = (options.initial ?? model.initial).map((c) => ({ dob: c.dob as number, g: gIndex.get(c.group) ?? 0, count: c.count ?? 1 }));
  let reportDays: number[];
  if (options.reportDays) reportDays = [...new Set(options.reportDays)].sort((a, b) => a - b);
  else {
    reportDays = [];
    for (let y = yearOfRef(start + 1); marchEnd(y) - start <= nDays; y++) if (marchEnd(y) > start) reportDays.push(marchEnd(y) - start);
    if (reportDays[reportDays.length - 1] !== nDays) reportDays.push(nDays);
  }
  const perDay = new Float64Array(nDays + 1);
  const trend = options.entryTrend ?? 0;
  if (options.population !== undefined) {
    const pop = new Map(yearValuesOf(options.population as SeriesInput, 'population').points.filter((q) => q.value !== null).map((q) => [q.year, q.value as number]));
    for (let t = 1; t <= nDays; t++) perDay[t] = ((model.entries.ratePer10k as number) * (pop.get(yearOfRef(start + t)) as number)) / 10_000 / 365.25;
  } else perDay.fill(options.entriesPerDay ?? model.entries.perDay);
  perDay[0] = 0;
  if (trend !== 0) for (let t = 1; t <= nDays; t++) perDay[t] *= Math.pow(1 + trend, t / 365.25);
  const mixFlat = model.entries.mix.flat();
  const P = dailyProbabilitiesRef(model);
  const dobs = latestDobTableRef(start, nDays, maxAge);

  let firstDob = dobs[maxAge] + 1;
  for (const c of initial) if (c.dob < firstDob) firstDob = Math.floor(c.dob);
  const n = end - firstDob + 1;
  const x = new Float64Array(n * G);
  for (const c of initial) {
    if (c.dob > dobs[maxAge] && c.dob <= start) x[(c.dob - firstDob) * G + c.g] += c.count;
  }
  const M = new Float64Array(B * G * G);
  const X = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    const g = s % G;
    const b = (s - g) / G;
    for (let h = 0; h < G; h++) M[(b * G + g) * G + h] = h === g ? 1 - P.leave[s] : P.dest[s * (G + 1) + h];
    X[s] = P.dest[s * (G + 1) + G];
  }
  const bandFrom = model.bands.map((bd) => bd.from);
  const anyEntries = perDay.some((v) => v > 0);
  const R = reportDays.length;
  const byState = Array.from({ length: R }, () => new Array<number>(S).fill(0));
  const entriesOut = new Array<number>(R).fill(0);
  const exitsOut = new Array<number>(R).fill(0);
  const agedOutOut = new Array<number>(R).fill(0);
  const notInCare = new Array<number>(R).fill(0);
  const tmp = new Float64Array(G);
  let r = 0;
  let cumOut = 0;
  let entries = 0;
  let exits = 0;
  let aged = 0;
  for (let t = 0; t < nDays; t++) {
    const row = t * W;
    const nextRow = row + W;
    for (let d = Math.max(dobs[row + maxAge] + 1, firstDob); d <= dobs[nextRow + maxAge]; d++) {
      const o = (d - firstDob) * G;
      for (let g = 0; g < G; g++) {
        aged += x[o + g];
        x[o + g] = 0;
      }
    }
    for (let b = 0; b < B; b++) {
      const hiDob = dobs[row + bandFrom[b]];
      const loDob = Math.max(firstDob, (b + 1 < B ? dobs[row + bandFrom[b + 1]] : dobs[nextRow + maxAge]) + 1);
      const mb = b * G * G;
      const xb = b * G;
      for (let d = loDob; d <= hiDob; d++) {
        const o = (d - firstDob) * G;
        let mass = 0;
        for (let g = 0; g < G; g++) mass += x[o + g];
        if (mass === 0) continue;
        for (let h = 0; h < G; h++) {
          let acc = 0;
          for (let g = 0; g < G; g++) acc += x[o + g] * M[mb + g * G + h];
          tmp[h] = acc;
        }
        for (let g = 0; g < G; g++) {
          exits += x[o + g] * X[xb + g];
          x[o + g] = tmp[g];
        }
      }
    }
    if (anyEntries && perDay[t + 1] > 0) {
      const lam = perDay[t + 1];
      for (let a = 0; a < maxAge; a++) {
        const hi = dobs[nextRow + a];
        const lo = dobs[nextRow + a + 1] + 1;
        const nA = hi - lo + 1;
        for (let g = 0; g < G; g++) {
          const m = mixFlat[a * G + g];
          if (m === 0) continue;
          const per = (lam * m) / nA;
          for (let d = lo; d <= hi; d++) x[(d - firstDob) * G + g] += per;
        }
      }
      entries += lam;
    }
    while (r < R && reportDays[r] === t + 1) {
      const out = byState[r];
      for (let b = 0; b < B; b++) {
        const hiDob = dobs[nextRow + bandFrom[b]];
        const loDob = Math.max(firstDob, (b + 1 < B ? dobs[nextRow + bandFrom[b + 1]] : dobs[nextRow + maxAge]) + 1);
        for (let d = loDob; d <= hiDob; d++) for (let g = 0; g < G; g++) out[b * G + g] += x[(d - firstDob) * G + g];
      }
      entriesOut[r] = entries;
      exitsOut[r] = exits;
      agedOutOut[r] = aged;
      cumOut += exits + aged;
      notInCare[r] = cumOut;
      entries = 0;
      exits = 0;
      aged = 0;
      r++;
    }
  }
  const byGroup: Record<string, number[]> = {};
  const byBand: Record<string, number[]> = {};
  model.groups.forEach((g, gi) => (byGroup[g] = byState.map((row) => model.bands.reduce((s, _, b) => s + row[b * G + gi], 0))));
  model.bands.forEach((b, bi) => (byBand[b.name] = byState.map((row) => row.slice(bi * G, bi * G + G).reduce((s, v) => s + v, 0))));
  return { reportDays, total: byState.map((row) => row.reduce((s, v) => s + v, 0)), notInCare, byGroup, byBand, byState, entries: entriesOut, exits: exitsOut, agedOut: agedOutOut };
}

// ---------------------------------------------------------------------------

/** Largest relative difference over every output; fails unless each value is within `tol` relative of the reference (zeros exactly). */
function compareToReference(model: MultiStateModel, options: MultiStateProjectionOptions, tol = 1e-9): number {
  const p = projectMultiState(model, options);
  const ref = slowExpectedReference(model, options);
  expect(p.reportDays).toEqual(ref.reportDays);
  const fast = p.expected;
  const pairs: [string, readonly number[], readonly number[]][] = [
    ['total', fast.total, ref.total],
    ['notInCare', fast.notInCare, ref.notInCare],
    ['entries', fast.entries, ref.entries],
    ['exits', fast.exits, ref.exits],
    ['agedOut', fast.agedOut, ref.agedOut],
    ...Object.keys(ref.byGroup).map((k): [string, readonly number[], readonly number[]] => [`byGroup.${k}`, fast.byGroup[k], ref.byGroup[k]]),
    ...Object.keys(ref.byBand).map((k): [string, readonly number[], readonly number[]] => [`byBand.${k}`, fast.byBand[k], ref.byBand[k]]),
    ...ref.byState.map((row, r): [string, readonly number[], readonly number[]] => [`byState[${r}]`, fast.byState[r], row]),
  ];
  expect(Object.keys(fast.byGroup)).toEqual(Object.keys(ref.byGroup));
  expect(Object.keys(fast.byBand)).toEqual(Object.keys(ref.byBand));
  expect(fast.byState.length).toBe(ref.byState.length);
  let worst = 0;
  for (const [name, f, s] of pairs) {
    expect(f.length, name).toBe(s.length);
    s.forEach((v, i) => {
      const rel = v === 0 ? (f[i] === 0 ? 0 : Infinity) : Math.abs(f[i] - v) / Math.abs(v);
      if (rel > tol) expect.fail(`${name}[${i}]: ${f[i]} vs reference ${v} (relative ${rel})`);
      worst = Math.max(worst, rel);
    });
  }
  return worst;
}

describe('expected projection equals the day-by-day reference', () => {
  // a realistic LA: about 8 starters a day, five returns, fitted from 2018
  const syn = generateSyntheticEpisodes({ firstYear: 2018, years: 5, entriesPerDay: 8 }, createRng(6));
  const data = readSsda903(syn.returns);
  const model = fitMultiState(data, { from: '2018-04-01' });

  it('fitted LA, 6 years to 31 March (every output to 1e-9 relative)', () => {
    expect(model.initial.length).toBeGreaterThan(200);
    const worst = compareToReference(model, { to: 2028 });
    expect(worst).toBeLessThan(1e-9);
  }, 60_000);

  it('report days through the year, including 29 February and the day after', () => {
    const reportDays = [1, 2, 3, 30, 31, 200, 333, 334, 335, 336, 365, 366, 367, 700, 1000, 1066, 1067, 1431, 1432, 1433];
    compareToReference(model, { days: 1500, reportDays });
  }, 60_000);

  it('starters from a population, with a trend', () => {
    const pop = [2018, 2019, 2020, 2021, 2022, 2023].map((year, i) => ({ year, value: 90_000 + 1_000 * i }));
    const mp = fitMultiState(data, { from: '2018-04-01', population: pop });
    compareToReference(mp, { to: 2026, population: [2023, 2024, 2025, 2026].map((year, i) => ({ year, value: 95_000 + 3_000 * i })) });
    compareToReference(mp, { to: 2025, entryTrend: 0.05 });
    compareToReference(mp, { to: 2025, entryTrend: -0.08, population: [2023, 2024, 2025].map((year, i) => ({ year, value: 95_000 - 4_000 * i })) });
  }, 60_000);

  it('other groupings, custom bands, exponential discretisation, given starters and stock', () => {
    const bands = [
      { name: '0_4', from: 0 },
      { name: '5_12', from: 5 },
      { name: '13_15', from: 13 },
      { name: '16_17', from: 16 },
    ];
    const mProv = fitMultiState(data, { from: '2019-04-01', groupBy: 'provider', ageBands: bands, discretisation: 'exponential' });
    compareToReference(mProv, { to: 2025 });
    const mNone = fitMultiState(data, { from: '2019-04-01', groupBy: 'none' });
    compareToReference(mNone, { days: 800, entriesPerDay: 3.3, start: dayOf(2024, 2, 29), initial: [{ dob: dayOf(2008, 2, 29), group: 'in_care', count: 2.5 }, { dob: dayOf(2006, 3, 1), group: 'in_care' }, { dob: dayOf(2024, 2, 29), group: 'in_care' }, { dob: dayOf(2006, 2, 28), group: 'in_care', count: 4 }] });
  }, 60_000);

  it('zeros stay exact zeros: groups nobody enters, bands that empty, no exits', () => {
    const bands = [
      { name: '0_15', from: 0 },
      { name: '16_17', from: 16 },
    ];
    const groups = ['a', 'b', 'c'];
    // b is only reached from a; c is never reached; band 16_17 has no exits
    const moveRates = [
      [0, 0.01, 0],
      [0, 0, 0],
      [0.02, 0, 0],
      [0, 0.003, 0],
      [0, 0, 0],
      [0, 0, 0],
    ];
    const start = dayOf(2020, 1, 1);
    const initial = [
      { dob: dayOf(2004, 1, 3), group: 'a', count: 3 },
      { dob: dayOf(2002, 1, 5), group: 'a' },
      { dob: dayOf(2003, 6, 30), group: 'c', count: 2 },
    ];
    const m = multiStateModelFromRates({ groups, ageBands: bands, exitRates: [0.002, 0.001, 0.004, 0, 0, 0], moveRates, start, initial });
    compareToReference(m, { days: 900, reportDays: [1, 2, 3, 4, 5, 6, 100, 181, 182, 183, 400, 900] });
    const withStarters = multiStateModelFromRates({ groups, ageBands: bands, exitRates: [0.002, 0.001, 0, 0, 0.001, 0], moveRates, start, initial, entriesPerDay: 0.7, entryMix: Array.from({ length: 18 }, (_, a) => (a >= 3 && a < 17 ? [1, 0, 0] : [0, 0, 0])) });
    compareToReference(withStarters, { days: 1200 });
  }, 60_000);

  it('the seeded simulation is unchanged (numbers pinned before the expected projection was rewritten)', () => {
    const sim = projectMultiState(model, { to: 2025, paths: 40, seed: 9 }).simulation!;
    expect(sim.total.mean).toEqual([4798.95, 4791.25, 4799.025]);
    expect(sim.flows.exits.mean).toEqual([2651.5, 2655.475, 2633.825]);
    expect(sim.flows.agedOut.mean).toEqual([297.1, 313.65, 302.475]);
    expect(sim.flows.entries.mean).toEqual([2925.55, 2961.425, 2944.075]);
    expect(sim.byGroup.residential.mean).toEqual([446.875, 442.15, 439.55]);
    expect(sim.byBand['16_plus'].mean).toEqual([645.675, 644.725, 639.85]);
    expect(sim.total.intervals[1].lower).toEqual([4710.3, 4664.725, 4665.175]);
    expect(Array.from(sim.totalPaths.values.slice(0, 12))).toEqual([4753, 4666, 4666, 4849, 4774, 4696, 4847, 4815, 4795, 4837, 4844, 4797]);
  }, 60_000);

  it('the golden two-state case', () => {
    const m = multiStateModelFromRates({ exitRates: 0.1, initial: [{ dob: 0, group: 'in_care', count: 100 }] });
    compareToReference(m, { days: 25, reportDays: [1, 2, 5, 25] });
  });
});
