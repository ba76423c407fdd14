/**
 * The expected projection of the multi-state model: the daily chain's
 * expected counts, every date-of-birth cohort followed exactly.
 *
 * @module
 */
import { birthdayDay } from '../../data/calendar.js';
import type { DailyProbabilities } from './daily.js';
import type { MultiStateModel, StockChild } from './model.js';
import type { MultiStateCounts } from './results.js';

/**
 * Expected values: every date-of-birth cohort followed exactly, a run of
 * days at a time. Within a run the cohort's band (so its daily matrix M and
 * exit probabilities X) and its starters per day are fixed (up to the trend's
 * growth), so its k daily steps are one step by precomputed tables:
 *
 *     x -> x M^k + c u_k,   exits += x (I + M + ... + M^(k-1)) X + c f_k
 *
 * where c is the starters per date of birth on the run's first day and u_k,
 * f_k are what a unit inflow per day (growing with the trend) leaves in care
 * and sends out of care after k days. Runs end at birthdays, report days,
 * and the days when the starters per date of birth of the cohort's age change
 * (a new population year; 365 or 366 dates of birth giving an age). The
 * birthday step is a run of one day: the matrix of the old age, the starters
 * of the new one. Every term is a sum of products of non-negative numbers,
 * so zeros stay exact; the results equal the day-by-day chain (one cohort,
 * one day at a time) up to rounding.
 */
export function projectExpected(
  model: MultiStateModel,
  P: DailyProbabilities,
  initial: readonly StockChild[],
  start: number,
  reportDays: readonly number[],
  starters: { perDay: Float64Array; level: Float64Array; trend: number },
  mixFlat: readonly number[],
  dobs: Float64Array,
): MultiStateCounts {
  const G = model.groups.length;
  const GG = G * G;
  const B = model.bands.length;
  const S = B * G;
  const maxAge = model.maxAge;
  const W = maxAge + 1;
  const R = reportDays.length;
  const lastDay = reportDays[R - 1]; // nothing after the last report day is reported
  const { perDay, level, trend } = starters;
  // the longest run: a year of one age (366 days)
  const K = Math.min(366, lastDay);
  const bandOfAge = Array.from({ length: maxAge }, (_, a) => {
    let b = 0;
    while (b + 1 < B && a >= model.bands[b + 1].from) b++;
    return b;
  });
  // per band: the powers M^k and the exits over k days (I + M + ... + M^(k-1)) X, k = 0..K
  const pow: Float64Array[] = [];
  const exitSum: Float64Array[] = [];
  const exitProb: Float64Array[] = [];
  for (let b = 0; b < B; b++) {
    const M = new Float64Array(GG);
    const X = new Float64Array(G);
    for (let g = 0; g < G; g++) {
      const s = b * G + g;
      for (let h = 0; h < G; h++) M[g * G + h] = h === g ? 1 - P.leave[s] : P.dest[s * (G + 1) + h];
      X[g] = P.dest[s * (G + 1) + G];
    }
    const Pk = new Float64Array((K + 1) * GG);
    const Ek = new Float64Array((K + 1) * G);
    for (let g = 0; g < G; g++) Pk[g * G + g] = 1;
    for (let k = 1; k <= K; k++) {
      const prev = (k - 1) * GG;
      for (let g = 0; g < G; g++) {
        let e = 0;
        for (let h = 0; h < G; h++) {
          e += Pk[prev + g * G + h] * X[h];
          let acc = 0;
          for (let j = 0; j < G; j++) acc += Pk[prev + g * G + j] * M[j * G + h];
          Pk[k * GG + g * G + h] = acc;
        }
        Ek[k * G + g] = Ek[(k - 1) * G + g] + e;
      }
    }
    pow.push(Pk);
    exitSum.push(Ek);
    exitProb.push(X);
  }
  // starters per date of birth of age a arriving on day t: nA(a, t) dates of birth share them
  const nA = (a: number, t: number): number => dobs[t * W + a] - dobs[t * W + a + 1];
  // per age with starters: a unit inflow a day (times the trend's growth r_j on day j of the run) into the age's
  // mix leaves u_k in care after k days and has sent f_k out of care: u_(k+1) = u_k M + r_(k+1) mix,
  // f_(k+1) = f_k + u_k X; and `until[t]`, the last day of the run from day t with the same starters per date of
  // birth before the trend (same population year, same number of dates of birth giving the age)
  const anyEntries = perDay.some((v) => v > 0);
  const inflow: ({ u: Float64Array; f: Float64Array; until: Int32Array } | undefined)[] = [];
  for (let a = 0; a < maxAge; a++) {
    const mix = mixFlat.slice(a * G, a * G + G);
    if (!anyEntries || mix.every((m) => m === 0)) {
      inflow.push(undefined);
      continue;
    }
    const Pk = pow[bandOfAge[a]];
    const X = exitProb[bandOfAge[a]];
    const u = new Float64Array((K + 1) * G);
    const f = new Float64Array(K + 1);
    for (let k = 1; k <= K; k++) {
      const r = trend !== 0 ? Math.pow(1 + trend, k / 365.25) : 1;
      const prev = (k - 1) * G;
      let e = 0;
      for (let h = 0; h < G; h++) {
        e += u[prev + h] * X[h];
        let acc = 0;
        for (let g = 0; g < G; g++) acc += u[prev + g] * Pk[GG + g * G + h];
        u[k * G + h] = acc + r * mix[h];
      }
      f[k] = f[k - 1] + e;
    }
    const until = new Int32Array(lastDay + 1);
    until[lastDay] = lastDay;
    for (let t = lastDay - 1; t >= 1; t--) until[t] = level[t] === level[t + 1] && nA(a, t) === nA(a, t + 1) ? until[t + 1] : t;
    inflow.push({ u, f, until });
  }

  const byState = Array.from({ length: R }, () => new Array<number>(S).fill(0));
  const exitsOut = new Array<number>(R).fill(0);
  const agedOutOut = new Array<number>(R).fill(0);
  // the starting stock by date of birth (under 18 at the start)
  const stock = new Map<number, Float64Array>();
  for (const c of initial) {
    if (!(c.dob > dobs[maxAge] && c.dob <= start)) continue;
    let v = stock.get(c.dob);
    if (!v) stock.set(c.dob, (v = new Float64Array(G)));
    v[c.g] += c.count;
  }
  const x = new Float64Array(G);
  const tmp = new Float64Array(G);
  // cohorts: from the oldest under 18 at the start to the last born by the last report day
  for (let d = dobs[maxAge] + 1; d <= start + lastDay; d++) {
    const x0 = stock.get(d);
    if (!x0 && !anyEntries) continue;
    if (x0) x.set(x0);
    else x.fill(0);
    // day t (offset from the start) and age a; a cohort born later starts, empty, on the eve of its birth at age 0
    let t = d <= start ? 0 : d - start - 1;
    let a = 0;
    while (a + 1 < maxAge && dobs[a + 1] >= d) a++;
    let birthday = birthdayDay(d, a + 1) - start; // the next birthday, as a day offset
    let r = 0;
    while (r < R && reportDays[r] <= t) r++;
    while (r < R) {
      if (birthday === t + 1 && a + 1 === maxAge) {
        // 18 tomorrow: leaves care
        let sum = 0;
        for (let g = 0; g < G; g++) sum += x[g];
        agedOutOut[r] += sum;
        break;
      }
      // this run: k days in the band of age a, with the starters of age ia (the new age on the birthday step)
      const ia = birthday === t + 1 ? a + 1 : a;
      let k = birthday === t + 1 ? 1 : Math.min(birthday - 1 - t, reportDays[r] - t, K);
      const flow = inflow[ia];
      if (flow) k = Math.min(k, flow.until[t + 1] - t);
      const b = bandOfAge[a];
      const Pk = pow[b];
      const Ek = exitSum[b];
      let e = 0;
      for (let h = 0; h < G; h++) {
        e += x[h] * Ek[k * G + h];
        let acc = 0;
        for (let g = 0; g < G; g++) acc += x[g] * Pk[k * GG + g * G + h];
        tmp[h] = acc;
      }
      x.set(tmp);
      const lv = level[t + 1];
      if (flow && lv > 0) {
        // c r_j = the starters per date of birth on day t + j (r_j, the trend's growth over j days, is in u_k)
        const c = (trend !== 0 ? lv * Math.pow(1 + trend, t / 365.25) : lv) / nA(ia, t + 1);
        for (let h = 0; h < G; h++) x[h] += c * flow.u[k * G + h];
        e += c * flow.f[k];
      }
      exitsOut[r] += e;
      t += k;
      if (t === birthday) birthday = birthdayDay(d, ++a + 1) - start;
      if (t === reportDays[r]) {
        const out = byState[r];
        const o = bandOfAge[a] * G;
        for (let g = 0; g < G; g++) out[o + g] += x[g];
        r++;
      }
    }
  }
  // starters, and everyone who left, per report interval
  const entriesOut = new Array<number>(R).fill(0);
  const notInCare = new Array<number>(R).fill(0);
  let entries = 0;
  let cumOut = 0;
  for (let t = 1, r = 0; r < R; t++) {
    if (anyEntries && perDay[t] > 0) entries += perDay[t];
    if (reportDays[r] === t) {
      entriesOut[r] = entries;
      cumOut += exitsOut[r] + agedOutOut[r];
      notInCare[r] = cumOut;
      entries = 0;
      r++;
    }
  }
  return countsFrom(model, byState, notInCare, entriesOut, exitsOut, agedOutOut);
}

function countsFrom(
  model: MultiStateModel,
  byState: number[][],
  notInCare: number[],
  entries: number[],
  exits: number[],
  agedOut: number[],
): MultiStateCounts {
  const G = model.groups.length;
  const byGroup: Record<string, number[]> = {};
  const byBand: Record<string, number[]> = {};
  model.groups.forEach((g, gi) => (byGroup[g] = byState.map((row) => model.bands.reduce((s, _, b) => s + row[b * G + gi], 0))));
  model.bands.forEach((b, bi) => (byBand[b.name] = byState.map((row) => row.slice(bi * G, bi * G + G).reduce((s, v) => s + v, 0))));
  return { total: byState.map((row) => row.reduce((s, v) => s + v, 0)), notInCare, byGroup, byBand, byState, entries, exits, agedOut };
}
