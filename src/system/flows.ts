/**
 * Starters and leavers: pooled mean-reverting rates with correlated
 * shocks, then the stock identity (docs/preregistration/issue-13-system-model.md,
 * section 2 and decisions 1, 4-10).
 *
 * - Entry `a_t = log(10000 E_t / P_t)` (`log E_t` without a population),
 *   exit `x_t = logit(C_t / (S_{t-1} + E_t))`; counts of 0 are 0.5.
 * - Each rate reverts to the area's own mean of its last 5 years with a
 *   beta pooled over the panel ({@link fitBeta}); the shocks `(e_a, e_x)`
 *   are bivariate normal with the pooled covariance, scaled per area by
 *   `s_i = 0.5 + 0.5 sd_i / sd_pool` (bounded to [0.5, 2]).
 * - Against the anchored stock, the model flows leave
 *   `D_t = (S_t - S_{t-1}) - (E_t - C_t)`, split between them by their
 *   variances across paths at that step ({@link reconcileFlows}), so
 *   `S_t = S_{t-1} + E_t - C_t` holds on every path.
 *
 * @module
 */
import { CarecastInputError } from '../data/errors.js';
import { fillInteriorGaps } from '../data/fillGaps.js';
import type { SeriesPopulation } from '../data/ons/panelPopulation.js';
import { yearValuesOf, type SeriesInput } from '../data/yearValue.js';
import { fillNormal, type NormalStream } from '../math/rng.js';
import { projectedPopulation, RATE_PER } from '../models/global/rates.js';
import type { SamplePaths } from '../models/types.js';
import { fitBeta, transitions, valueAt, windowMean, type Transition, type YearlySeries } from './meanReversion.js';

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

function rms(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v * v;
  return values.length > 0 ? Math.sqrt(s / values.length) : Number.NaN;
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
  const sdA = rms(resA.flat());
  const sdX = rms(resX.flat());
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

/** Where an area's rates start and what they revert to. */
export interface FlowStart {
  /** The last year with both rates (the rates are simulated from the year after). */
  readonly year: number;
  /** Entry and exit rate in that year. */
  readonly entry: number;
  /** Exit rate (logit) in that year. */
  readonly exit: number;
  /** The area's own means over its last 5 years. */
  readonly mean: { readonly entry: number; readonly exit: number };
  /** The area's shock scales `s_i` (decision 7). */
  readonly scale: { readonly entry: number; readonly exit: number };
  /** Whether the entry rate is per 10,000 children. */
  readonly perPopulation: boolean;
  /** `true` when the area had no flow year and starts at the panel's mean. */
  readonly fromPanelMean: boolean;
}

function shockScale(rows: readonly Transition[], beta: number, sdPool: number): number {
  if (rows.length === 0 || !(sdPool > 0)) return 1;
  const sd = rms(rows.map((r) => r.dy - beta * r.gap));
  return Math.min(2, Math.max(0.5, 0.5 + (0.5 * sd) / sdPool));
}

/**
 * An area's starting rates, own means and shock scales under fitted
 * dynamics (decisions 7-8).
 *
 * @param history - the area's rate histories
 * @param dyn - the pooled dynamics
 * @param stockYear - the last year of the stock (`L` must not exceed it)
 * @returns the start, or `null` when the area has no flow year and no population
 * @example
 * ```ts
 * const s = flowStart(flowHistory(stock, started, ceased, population, 2024), dynamics.flows, 2024);
 * s?.scale.entry; // in [0.5, 2]
 * ```
 */
export function flowStart(history: FlowHistory, dyn: FlowDynamics, stockYear: number): FlowStart | null {
  const L = history.lastYear;
  if (L === null) {
    if (!history.perPopulation || Number.isNaN(dyn.panelMean.entry)) return null;
    const mean = { entry: dyn.panelMean.entry, exit: dyn.panelMean.exit };
    return { year: stockYear, entry: mean.entry, exit: mean.exit, mean, scale: { entry: 1, exit: 1 }, perPopulation: true, fromPanelMean: true };
  }
  return {
    year: L,
    entry: valueAt(history.entry, L),
    exit: valueAt(history.exit, L),
    mean: { entry: windowMean(history.entry, L).mean, exit: windowMean(history.exit, L).mean },
    scale: {
      entry: shockScale(transitions(history.entry, L), dyn.beta.entry, dyn.sd.entry),
      exit: shockScale(transitions(history.exit, L), dyn.beta.exit, dyn.sd.exit),
    },
    perPopulation: history.perPopulation,
    fromPanelMean: false,
  };
}

/** The flows on every path: model flows reconciled with the stock. */
export interface FlowPaths {
  /** Starters per projected year. */
  readonly started: SamplePaths;
  /** Leavers per projected year. */
  readonly ceased: SamplePaths;
  /** Each path's implied exit rate, `C / (S_{t-1} + E)`. */
  readonly exitRate: SamplePaths;
  /** The population used per projected year (`null` without one). */
  readonly population: readonly number[] | null;
  /** Notes (e.g. the population projection held flat). */
  readonly notes: readonly string[];
}

/**
 * Split the gap between model flows and the stock by the flows' variances
 * across paths at each step (decision 10), so that
 * `S_t = S_{t-1} + E'_t - C'_t` on every path: `E' = E + D v_E / (v_E + v_C)`,
 * `C' = S_{t-1} + E' - S_t`, a flow below 0 set to 0 and the other taking
 * the rest. Works in place on `E` and `C`.
 *
 * @param E - model starters, `paths x horizon` (row-major by path), replaced by E'
 * @param C - model leavers, replaced by C'
 * @param S - the stock paths
 * @param opening - the stock before the first step
 * @param paths - number of paths
 * @param horizon - steps per path
 * @returns each path's implied exit rate per step
 * @example
 * ```ts
 * // one step, two paths: v_E = 1, v_C = 0 -> the whole gap goes to starters
 * const E = Float64Array.from([10, 12]); const C = Float64Array.from([5, 5]);
 * reconcileFlows(E, C, Float64Array.from([108, 108]), 100, 2, 1); // E = [13, 13], C = [5, 5]
 * ```
 */
export function reconcileFlows(E: Float64Array, C: Float64Array, S: ArrayLike<number>, opening: number, paths: number, horizon: number): Float64Array {
  const rate = new Float64Array(paths * horizon);
  for (let h = 0; h < horizon; h++) {
    let me = 0;
    let mc = 0;
    for (let p = 0; p < paths; p++) {
      me += E[p * horizon + h];
      mc += C[p * horizon + h];
    }
    me /= paths;
    mc /= paths;
    let ve = 0;
    let vc = 0;
    for (let p = 0; p < paths; p++) {
      const de = E[p * horizon + h] - me;
      const dc = C[p * horizon + h] - mc;
      ve += de * de;
      vc += dc * dc;
    }
    const wE = ve + vc > 0 ? ve / (ve + vc) : 0.5;
    for (let p = 0; p < paths; p++) {
      const k = p * horizon + h;
      const prev = h === 0 ? opening : S[k - 1];
      const cur = S[k];
      const D = cur - prev - (E[k] - C[k]);
      let e = E[k] + D * wE;
      let c = prev + e - cur;
      if (e < 0) {
        e = 0;
        c = prev - cur;
      } else if (c < 0) {
        c = 0;
        e = cur - prev;
      }
      E[k] = e;
      C[k] = c;
      const risk = prev + e;
      rate[k] = risk > 0 ? c / risk : 0;
    }
  }
  return rate;
}

/**
 * Simulate the flows on every path of an anchored stock: the rates from
 * the area's start (decision 8), the model flows, then
 * {@link reconcileFlows}.
 *
 * @param start - the area's start
 * @param dyn - the pooled dynamics
 * @param stock - the stock paths of years `stockYear + 1 ..`
 * @param opening - the stock at `stockYear`
 * @param stockYear - the last observed stock year T
 * @param population - the area's population (for rates per 10,000 children)
 * @param stream - the random stream (moved on)
 * @returns starters, leavers and exit rates per path and projected year
 * @example
 * ```ts
 * const f = simulateFlows(start, dynamics.flows, totalPaths, 598, 2024, population, normalStream(streamSeed(1, 1)));
 * f.started.values; // paths x years
 * ```
 */
export function simulateFlows(
  start: FlowStart,
  dyn: FlowDynamics,
  stock: SamplePaths,
  opening: number,
  stockYear: number,
  population: SeriesPopulation | undefined,
  stream: NormalStream,
): FlowPaths {
  const n = stock.paths;
  const H = stock.horizon;
  const L = start.year;
  if (L > stockYear) {
    throw new CarecastInputError([{ source: 'flows', field: 'started/ceased', message: `the flows run to ${L}, after the last stock (${stockYear})`, fix: 'give the stock for every year of the flows' }]);
  }
  const K = stockYear + H - L; // rate steps
  const off = stockYear - L; // rate steps before the first projected year
  const notes: string[] = [];
  let factor: number[];
  let popOut: number[] | null = null;
  if (start.perPopulation && population) {
    const pp = projectedPopulation(population, L, K, 'flows');
    if (pp.note) notes.push(pp.note);
    factor = pp.values.map((v) => v / RATE_PER);
    popOut = pp.values.slice(off);
  } else factor = new Array<number>(K).fill(1);
  const ba = dyn.beta.entry;
  const bx = dyn.beta.exit;
  const rho = Math.max(-1, Math.min(1, dyn.correlation));
  const sa = dyn.sd.entry * start.scale.entry;
  const sx = dyn.sd.exit * start.scale.exit;
  const sx1 = sx * rho;
  const sx2 = sx * Math.sqrt(1 - rho * rho);
  const ma = start.mean.entry;
  const mx = start.mean.exit;
  const u = new Float64Array(n * 2 * K);
  fillNormal(stream, u);
  const E = new Float64Array(n * H);
  const C = new Float64Array(n * H);
  const S = stock.values;
  for (let p = 0; p < n; p++) {
    let a = start.entry;
    let x = start.exit;
    const base = p * 2 * K;
    for (let k = 0; k < K; k++) {
      const u1 = u[base + 2 * k];
      const u2 = u[base + 2 * k + 1];
      a = a + ba * (ma - a) + sa * u1;
      x = x + bx * (mx - x) + sx1 * u1 + sx2 * u2;
      const h = k - off;
      if (h < 0) continue;
      const j = p * H + h;
      const e = Math.exp(a) * factor[k];
      const prev = h === 0 ? opening : S[j - 1];
      E[j] = e;
      C[j] = (prev + e) / (1 + Math.exp(-x));
    }
  }
  const rate = reconcileFlows(E, C, S, opening, n, H);
  const sp = (values: Float64Array): SamplePaths => ({ paths: n, horizon: H, values });
  return { started: sp(E), ceased: sp(C), exitRate: sp(rate), population: popOut, notes };
}
