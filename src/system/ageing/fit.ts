/**
 * Fitting the age-band model to history: starters' age shares, exit rates
 * per band and the ageing fractions, with the fallbacks `types.ts`
 * describes and the one-year-ahead check of each band.
 *
 * @module
 */
import { AGE_BANDS, type AgeBand } from '../../data/codes.js';
import { CarecastInputError, type InputProblem } from '../../data/errors.js';
import { bandsAt, checkBandRecord, checkSumsAgainstTotal, fmt, LAST, mapBands, readBands, readSeries, stepUnchecked, sumBands, UNIFORM, valueAt } from './helpers.js';
import type { AgeingEstimation, AgeingFit, AgeingFitOptions, AgeingInput, AgeingParams, AgeingTransition, BandValues } from './types.js';

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
