/**
 * Starters and leavers, the data side: each area's entry and exit rates,
 * and their pooled mean-reverting dynamics with correlated shocks
 * (docs/preregistration/issue-13-system-model.md, section 2 and decisions
 * 1, 4-7, 9). The paths and the stock identity are in `flowPaths.ts`.
 *
 * - Entry `a_t = log(10000 E_t / P_t)` (`log E_t` without a population),
 *   exit `x_t = logit(C_t / (S_{t-1} + E_t))`; counts of 0 are 0.5.
 * - Each rate reverts to the area's own mean of its last 5 years with a
 *   beta pooled over the panel; the shocks `(e_a, e_x)` are bivariate
 *   normal with the pooled covariance (each area's scaled by its own
 *   residual SD, shrunk halfway to the pool's).
 *
 * @module
 */
import { CarecastInputError } from '../data/errors.js';
import { fillInteriorGaps } from '../data/fillGaps.js';
import type { SeriesPopulation } from '../data/ons/panelPopulation.js';
import { yearValuesOf, type SeriesInput } from '../data/yearValue.js';
import { RATE_PER } from '../models/global/rates.js';
import { fitBeta, rootMeanSquare, transitions, windowMean, type Transition, type YearlySeries } from './meanReversion.js';

/**
 * The flow dynamics fitted on a panel: JSON-serialisable (part of a
 * {@link "carecast/system"!SystemDynamics}).
 */
export interface FlowDynamics {
  /** beta of the entry and exit rates, clamped to [0, 1]. */
  readonly beta: { readonly entry: number; readonly exit: number };
  /** The unclamped least-squares slopes. */
  readonly betaRaw: { readonly entry: number; readonly exit: number };
  /** Pooled root mean square of the residuals of each rate. */
  readonly sd: { readonly entry: number; readonly exit: number };
  /** Correlation of the entry and exit shocks (area-years with both). */
  readonly correlation: number;
  /** The panel's mean of each area's own mean at the origin (entry: areas with a population only): where an area with no flow year starts and reverts to. */
  readonly panelMean: { readonly entry: number; readonly exit: number };
  /** Transitions each rests on, and area-years with both residuals. */
  readonly rows: { readonly entry: number; readonly exit: number; readonly paired: number };
  /** Areas with at least one transition. */
  readonly areas: number;
}

/** An area's rate histories, as the flow model reads them. */
export interface FlowHistory {
  /** Entry rate `a_t` by year. */
  readonly entry: YearlySeries;
  /** Exit rate `x_t` by year. */
  readonly exit: YearlySeries;
  /** Whether `a_t` is per 10,000 children (a population was given) or `log E_t`. */
  readonly perPopulation: boolean;
  /** The last year with both rates (`null`: none). */
  readonly lastYear: number | null;
  /** What was left out, in words. */
  readonly notes: readonly string[];
}

const logit = (p: number): number => Math.log(p / (1 - p));

function byYear(input: SeriesInput | undefined, label: string): Map<number, number | null> {
  const m = new Map<number, number | null>();
  if (input === undefined) return m;
  for (const p of yearValuesOf(input, label).points) m.set(p.year, p.value);
  return m;
}

/**
 * An area's entry and exit rates (decisions 1 and 9): the stock behind the
 * exit rate is the stock with interior gaps filled; a year whose flow is
 * missing, or whose leavers are at least the children at risk, is left out.
 *
 * @param stock - children in care at 31 March
 * @param started - starters in the year to 31 March
 * @param ceased - leavers in the year to 31 March
 * @param population - the 0-17 population (its `observed` years give the rate)
 * @param upTo - the last year read
 * @returns the rate histories
 * @example
 * ```ts
 * const h = flowHistory(stock, started, ceased, undefined, 2024);
 * h.entry.values; // log starters per year
 * ```
 */
export function flowHistory(stock: SeriesInput, started: SeriesInput | undefined, ceased: SeriesInput | undefined, population: SeriesPopulation | undefined, upTo: number): FlowHistory {
  const E = byYear(started, 'started');
  const C = byYear(ceased, 'ceased');
  const P = population ? byYear(population.observed, 'population') : undefined;
  const S = new Map(fillInteriorGaps(yearValuesOf(stock, 'stock').points).map((f) => [f.year, f.used]));
  const years = [...new Set([...E.keys(), ...C.keys()])].filter((y) => y <= upTo).sort((a, b) => a - b);
  const notes: string[] = [];
  if (years.length === 0) {
    const empty: YearlySeries = { first: 0, values: new Float64Array(0) };
    return { entry: empty, exit: empty, perPopulation: P !== undefined, lastYear: null, notes };
  }
  const first = years[0];
  const n = years[years.length - 1] - first + 1;
  const a = new Float64Array(n).fill(Number.NaN);
  const x = new Float64Array(n).fill(Number.NaN);
  const tooMany: number[] = [];
  for (const t of years) {
    const e0 = E.get(t);
    const c0 = C.get(t);
    if (e0 === null || e0 === undefined) continue;
    const e = e0 > 0 ? e0 : 0.5;
    let ok = true;
    if (P) {
      const p = P.get(t);
      if (p === null || p === undefined || !(p > 0)) ok = false;
      else a[t - first] = Math.log((RATE_PER * e) / p);
    } else a[t - first] = Math.log(e);
    if (!ok || c0 === null || c0 === undefined) continue;
    const prev = S.get(t - 1);
    if (prev === undefined) continue;
    const c = c0 > 0 ? c0 : 0.5;
    const risk = prev + e;
    if (!(c < risk)) {
      tooMany.push(t);
      continue;
    }
    x[t - first] = logit(c / risk);
  }
  if (tooMany.length > 0) notes.push(`Leavers at least the children at risk (in care at the start of the year plus starters) in ${tooMany.join(', ')}: those years are left out of the exit rate.`);
  let lastYear: number | null = null;
  for (let t = first + n - 1; t >= first; t--) {
    if (!Number.isNaN(a[t - first]) && !Number.isNaN(x[t - first])) {
      lastYear = t;
      break;
    }
  }
  return { entry: { first, values: a }, exit: { first, values: x }, perPopulation: P !== undefined, lastYear, notes };
}

/**
 * Fit the flow dynamics on a panel of areas' rate histories, as known at
 * `origin` (decisions 4-7).
 *
 * @param histories - every area's rate histories (from {@link flowHistory})
 * @param origin - the last year used
 * @returns the pooled dynamics
 * @throws CarecastInputError when a rate has no usable transition
 * @example
 * ```ts
 * const f = fitFlowDynamics([flowHistory(stock, started, ceased, population, 2024)], 2024);
 * f.beta.entry; // in [0, 1]
 * ```
 */
export function fitFlowDynamics(histories: readonly FlowHistory[], origin: number): FlowDynamics {
  const rowsA: Transition[][] = histories.map((h) => transitions(h.entry, origin));
  const rowsX: Transition[][] = histories.map((h) => transitions(h.exit, origin));
  const ba = fitBeta(rowsA.flat());
  const bx = fitBeta(rowsX.flat());
  const missing = [Number.isNaN(ba.beta) ? 'entry' : '', Number.isNaN(bx.beta) ? 'exit' : ''].filter(Boolean);
  if (missing.length > 0) {
    throw new CarecastInputError([
      {
        source: 'flow dynamics',
        field: missing.join(' and '),
        message: `no usable transition of the ${missing.join(' and ')} rate up to ${origin} (a transition needs the rate in two consecutive years and at least 2 years in the 5 before)`,
        fix: 'give at least three consecutive years of starters and leavers, or project the total and groups without flows',
      },
    ]);
  }
  const resA = rowsA.map((rs) => rs.map((r) => r.dy - ba.beta * r.gap));
  const resX = rowsX.map((rs) => rs.map((r) => r.dy - bx.beta * r.gap));
  const sdA = rootMeanSquare(resA.flat());
  const sdX = rootMeanSquare(resX.flat());
  // correlation from the area-years with both residuals (uncentred, as the covariance)
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  let paired = 0;
  rowsA.forEach((rs, i) => {
    const xs = new Map(rowsX[i].map((r, k) => [r.year, resX[i][k]]));
    rs.forEach((r, k) => {
      const ex = xs.get(r.year);
      if (ex === undefined) return;
      const ea = resA[i][k];
      sab += ea * ex;
      saa += ea * ea;
      sbb += ex * ex;
      paired++;
    });
  });
  const correlation = saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
  // the panel's mean of each area's own mean at the origin
  let ma = 0;
  let na = 0;
  let mx = 0;
  let nx = 0;
  for (const h of histories) {
    const a = windowMean(h.entry, origin);
    if (h.perPopulation && a.n > 0) {
      ma += a.mean;
      na++;
    }
    const x = windowMean(h.exit, origin);
    if (x.n > 0) {
      mx += x.mean;
      nx++;
    }
  }
  return {
    beta: { entry: ba.beta, exit: bx.beta },
    betaRaw: { entry: ba.raw, exit: bx.raw },
    sd: { entry: sdA, exit: sdX },
    correlation,
    panelMean: { entry: na > 0 ? ma / na : Number.NaN, exit: nx > 0 ? mx / nx : Number.NaN },
    rows: { entry: ba.rows, exit: bx.rows, paired },
    areas: histories.filter((_, i) => rowsA[i].length > 0 || rowsX[i].length > 0).length,
  };
}

/** One published year against the stock identity (see {@link identityResiduals}). */
export interface IdentityResidual {
  /** The year t (31 March). */
  readonly year: number;
  /** Children in care published at 31 March t. */
  readonly stock: number;
  /** What the identity implies: the stock at t-1 plus starters minus leavers in the year to t. */
  readonly implied: number;
  /** Published minus implied. */
  readonly residual: number;
}

/**
 * How far the published figures are from the stock identity, year by year:
 * `S_t - (S_{t-1} + E_t - C_t)` wherever all four are published (DfE counts
 * do not close exactly: re-entries within the year, late returns,
 * reorganisations). The projection's paths close exactly; these are the
 * data's residuals, reported beside them.
 *
 * @param stock - children in care at 31 March
 * @param started - starters in the year to 31 March
 * @param ceased - leavers in the year to 31 March
 * @param upTo - the last year read
 * @returns one row per year with all four published
 * @example
 * ```ts
 * identityResiduals(stock, started, ceased, 2024)[0]; // { year: 2019, stock: 802, implied: 811, residual: -9 }
 * ```
 */
export function identityResiduals(stock: SeriesInput, started: SeriesInput | undefined, ceased: SeriesInput | undefined, upTo = Infinity): IdentityResidual[] {
  const S = byYear(stock, 'stock');
  const E = byYear(started, 'started');
  const C = byYear(ceased, 'ceased');
  const out: IdentityResidual[] = [];
  for (const [t, e] of [...E.entries()].sort((a, b) => a[0] - b[0])) {
    const s = S.get(t);
    const prev = S.get(t - 1);
    const c = C.get(t);
    if (t > upTo || e === null || s === null || s === undefined || prev === null || prev === undefined || c === null || c === undefined) continue;
    const implied = prev + e - c;
    out.push({ year: t, stock: s, implied, residual: s - implied });
  }
  return out;
}
