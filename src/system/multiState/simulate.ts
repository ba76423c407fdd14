/**
 * The seeded simulation of the multi-state model: every child followed with
 * geometric waiting times, Poisson starters, and each path's rates drawn
 * from their Gamma posteriors.
 *
 * @module
 */
import { birthdayTable } from '../../data/calendar.js';
import { createRng, streamSeed } from '../../math/rng.js';
import type { SamplePaths } from '../../models/types.js';
import { pathBands, type PathBands } from '../../uncertainty/pathBands.js';
import { dailyProbabilities, flatMoves } from './daily.js';
import { bandDays } from './days.js';
import { gammaDraw, poissonDraw } from './draws.js';
import type { MultiStateModel, StockChild } from './model.js';
import type { MultiStateSimulation } from './results.js';

/**
 * Simulate paths of the model: each path draws its rates (when `paramUnc`)
 * from their Gamma posteriors (shape = transitions, rate = days at risk) and
 * the starters' level and mix likewise, then follows every child of the
 * starting stock and every starter (Poisson per day) with geometric waiting
 * times in each band, to the end or the eve of the 18th birthday.
 *
 * @param model - the model
 * @param initial - the starting stock (fractional counts rounded)
 * @param start - the start day
 * @param nDays - days projected
 * @param reportDays - report days (offsets from the start), increasing
 * @param perDay - expected starters on each day (index 1..nDays)
 * @param mixFlat - the starter mix, `[age * groups + group]`
 * @param dobs - the table of `latestDobTable` from the start
 * @param nPaths - paths
 * @param seed - the seed (path p uses stream `streamSeed(seed, p)`)
 * @param levels - interval levels in percent
 * @param paramUnc - whether to draw the rates from their posteriors
 * @param onPath - called after each path with the paths done and their number (progress)
 * @returns the bands and the paths
 * @example
 * ```ts
 * simulate(model, initial, start, 365, [365], perDay, model.entries.mix.flat(), dobs, 200, 1, [80, 95], true).total.mean;
 * ```
 */
export function simulate(
  model: MultiStateModel,
  initial: readonly StockChild[],
  start: number,
  nDays: number,
  reportDays: readonly number[],
  perDay: Float64Array,
  mixFlat: readonly number[],
  dobs: Float64Array,
  nPaths: number,
  seed: number,
  levels: readonly number[],
  paramUnc: boolean,
  onPath?: (done: number, total: number) => void,
): MultiStateSimulation {
  const G = model.groups.length;
  const B = model.bands.length;
  const S = B * G;
  const R = reportDays.length;
  const maxAge = model.maxAge;
  const absReport = reportDays.map((d) => start + d);
  // outputs: total, groups, bands, entries, exits, aged
  const total = new Float64Array(nPaths * R);
  const grp = model.groups.map(() => new Float64Array(nPaths * R));
  const bnd = model.bands.map(() => new Float64Array(nPaths * R));
  const fEnt = new Float64Array(nPaths * R);
  const fExit = new Float64Array(nPaths * R);
  const fAged = new Float64Array(nPaths * R);
  const mixCum = new Float64Array(mixFlat.length);
  const baseMix = Float64Array.from(mixFlat);
  const end = start + nDays;
  // integer starting stock (fractional counts rounded)
  const initChildren: { dob: number; g: number }[] = [];
  for (const c of initial) for (let k = 0; k < Math.round(c.count); k++) initChildren.push({ dob: c.dob, g: c.g });
  const boundsCache = new Map<number, number[]>();
  const birthdays = birthdayTable(maxAge);
  const boundsOf = (dob: number): number[] => {
    let b = boundsCache.get(dob);
    if (!b) {
      b = bandDays(birthdays(dob), model.bands, maxAge);
      boundsCache.set(dob, b);
    }
    return b;
  };
  const reportIndexFrom = (day: number): number => {
    // first report index with absReport >= day
    let lo = 0;
    let hi = R;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (absReport[m] < day) lo = m + 1;
      else hi = m;
    }
    return lo;
  };
  const entryCounts = model.entries.mix.flat().map((m) => m * model.entries.count);
  let startStock = 0;
  for (let p = 0; p < nPaths; p++) {
    const rng = createRng(streamSeed(seed, p));
    let exitR: Float64Array = Float64Array.from(model.exitRates);
    let moveR = flatMoves(model);
    let scale = 1;
    let mix = baseMix;
    if (paramUnc) {
      exitR = Float64Array.from(model.exitCounts, (k, s) => (model.exposureDays[s] > 0 ? gammaDraw(rng, k) / model.exposureDays[s] : 0));
      moveR = new Float64Array(S * G);
      for (let s = 0; s < S; s++) for (let g = 0; g < G; g++) moveR[s * G + g] = g === s % G || model.exposureDays[s] === 0 ? 0 : gammaDraw(rng, model.moveCounts[s][g]) / model.exposureDays[s];
      if (model.entries.count > 0) {
        scale = gammaDraw(rng, model.entries.count) / model.entries.count;
        const w = entryCounts.map((k) => gammaDraw(rng, k));
        const sw = w.reduce((a, b) => a + b, 0);
        mix = Float64Array.from(w, (v) => (sw > 0 ? v / sw : 0));
      }
    }
    const P = dailyProbabilities(model, exitR, moveR, paramUnc);
    let acc = 0;
    for (let i = 0; i < mix.length; i++) mixCum[i] = acc += mix[i];
    const o = p * R;
    const follow = (dob: number, g0: number, t0: number): void => {
      const bd = boundsOf(dob);
      const H = bd[B];
      let t = t0;
      let g = g0;
      let b = 0;
      while (b + 1 < B && t >= bd[b + 1]) b++;
      for (;;) {
        // at-risk steps in this band: t .. lim - 1
        const lim = Math.min(b + 1 < B ? bd[b + 1] : Infinity, H - 1, end);
        const s = b * G + g;
        const pl = P.leave[s];
        let D = Infinity;
        if (pl >= 1) D = 1;
        else if (pl > 0) D = Math.max(1, Math.ceil(Math.log(1 - rng.uniform()) / Math.log(1 - pl)));
        const tEnd = t + D <= lim ? t + D : lim;
        // in care in group g, band b on days t .. tEnd - 1 (and on tEnd if no event)
        for (let ri = reportIndexFrom(t); ri < R && absReport[ri] < tEnd; ri++) {
          total[o + ri]++;
          grp[g][o + ri]++;
          bnd[b][o + ri]++;
        }
        if (t + D <= lim) {
          // event on day t + D
          const u = rng.uniform() * pl;
          const d0 = s * (G + 1);
          let k = 0;
          let c = P.dest[d0];
          while (k < G && u >= c) c += P.dest[d0 + ++k];
          if (k >= G) {
            const ri = reportIndexFrom(t + D);
            if (ri < R) fExit[o + ri]++;
            return;
          }
          g = k;
          t = t + D;
          continue;
        }
        t = lim;
        if (t >= end) {
          // still in care at the end: count the last day
          for (let ri = reportIndexFrom(t); ri < R && absReport[ri] <= t; ri++) {
            total[o + ri]++;
            grp[g][o + ri]++;
            bnd[b][o + ri]++;
          }
          return;
        }
        if (t === H - 1) {
          // in care on the eve of the 18th birthday, then aged out
          for (let ri = reportIndexFrom(t); ri < R && absReport[ri] <= t; ri++) {
            total[o + ri]++;
            grp[g][o + ri]++;
            bnd[b][o + ri]++;
          }
          const ri = reportIndexFrom(H);
          if (ri < R) fAged[o + ri]++;
          return;
        }
        b++;
      }
    };
    for (const c of initChildren) {
      const H = boundsOf(c.dob)[B];
      if (H <= start) continue; // 18 by the start: not in care
      if (p === 0) startStock++;
      if (H > start + 1) follow(c.dob, c.g, start);
      else {
        // 18 the day after the start: in care on the start day only
        const ri = reportIndexFrom(start + 1);
        if (ri < R) fAged[o + ri]++;
      }
    }
    for (let t = 1; t <= nDays; t++) {
      const lam = perDay[t] * scale;
      if (lam <= 0) continue;
      const n = poissonDraw(rng, lam);
      const day = start + t;
      for (let k = 0; k < n; k++) {
        const u = rng.uniform() * acc;
        let i = 0;
        while (i < mixCum.length - 1 && u >= mixCum[i]) i++;
        const a = Math.floor(i / G);
        const g = i % G;
        const hi = dobs[t * (maxAge + 1) + a];
        const lo = dobs[t * (maxAge + 1) + a + 1] + 1;
        const dob = lo + Math.floor(rng.uniform() * (hi - lo + 1));
        const ri = reportIndexFrom(day);
        if (ri < R) fEnt[o + ri]++;
        follow(dob, g, day);
      }
    }
    onPath?.(p + 1, nPaths);
  }
  const sp = (values: Float64Array): SamplePaths => ({ paths: nPaths, horizon: R, values });
  const byGroup: Record<string, PathBands> = {};
  const groupPaths: Record<string, SamplePaths> = {};
  model.groups.forEach((g, i) => {
    groupPaths[g] = sp(grp[i]);
    byGroup[g] = pathBands(groupPaths[g], levels);
  });
  const byBand: Record<string, PathBands> = {};
  const bandPaths: Record<string, SamplePaths> = {};
  model.bands.forEach((b, i) => {
    bandPaths[b.name] = sp(bnd[i]);
    byBand[b.name] = pathBands(bandPaths[b.name], levels);
  });
  return {
    paths: nPaths,
    total: pathBands(sp(total), levels),
    byGroup,
    byBand,
    flows: { entries: pathBands(sp(fEnt), levels), exits: pathBands(sp(fExit), levels), agedOut: pathBands(sp(fAged), levels) },
    totalPaths: sp(total),
    groupPaths,
    bandPaths,
    flowPaths: { entries: sp(fEnt), exits: sp(fExit), agedOut: sp(fAged) },
    startStock,
  };
}
