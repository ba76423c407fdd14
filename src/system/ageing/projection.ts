/**
 * Projecting the age-band model: the expected path, and simulated paths
 * (binomial exits and ageing, Poisson starters) with bands.
 *
 * @module
 */
import { AGE_BANDS } from '../../data/codes.js';
import { CarecastInputError, type InputProblem } from '../../data/errors.js';
import { createRng, type Rng, streamSeed } from '../../math/rng.js';
import type { SamplePaths } from '../../models/types.js';
import { pathBands } from '../../uncertainty/pathBands.js';
import { checkParams, LAST, mapBands, stepUnchecked } from './helpers.js';
import type { AgeingFit, AgeingProjection, AgeingProjectionOptions, AgeingSimulation, BandValues } from './types.js';

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
