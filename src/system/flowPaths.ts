/**
 * Starters and leavers on every path: each area's rates start from its
 * last year with both flows and revert to its own 5-year mean with the
 * pooled beta and correlated shocks (`flowFit.ts`); the model flows are
 * then reconciled with the anchored stock, splitting the gap
 * `D_t = (S_t - S_{t-1}) - (E_t - C_t)` between them by their variances
 * across paths ({@link reconcileFlows}), so `S_t = S_{t-1} + E_t - C_t`
 * holds on every path (docs/preregistration/issue-13-system-model.md,
 * section 2 and decisions 7, 8, 10).
 *
 * @module
 */
import { CarecastInputError } from '../data/errors.js';
import type { SeriesPopulation } from '../data/ons/panelPopulation.js';
import { fillNormal, type NormalStream } from '../math/rng.js';
import { projectedPopulation, RATE_PER } from '../models/global/rates.js';
import type { SamplePaths } from '../models/types.js';
import type { FlowDynamics, FlowHistory } from './flowFit.js';
import { rootMeanSquare, transitions, valueAt, windowMean, type Transition } from './meanReversion.js';

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
  const sd = rootMeanSquare(rows.map((r) => r.dy - beta * r.gap));
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
  /** The gap `D = (S_t - S_{t-1}) - (E_t - C_t)` between the anchored stock's change and the model flows, before it was split (per path and projected year). */
  readonly gap: SamplePaths;
  /** The share of the gap given to starters per projected year, `v_E / (v_E + v_C)` (leavers take the rest). */
  readonly starterWeight: readonly number[];
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
 * @returns each path's implied exit rate per step, the gap D per path and step (before the split), and the share of the gap given to starters per step
 * @example
 * ```ts
 * // one step, two paths: v_E = 1, v_C = 0 -> the whole gap goes to starters
 * const E = Float64Array.from([10, 12]); const C = Float64Array.from([5, 5]);
 * const r = reconcileFlows(E, C, Float64Array.from([108, 108]), 100, 2, 1); // E = [13, 13], C = [5, 5]
 * r.gap;           // [3, 1]
 * r.starterWeight; // [1]
 * ```
 */
export function reconcileFlows(
  E: Float64Array,
  C: Float64Array,
  S: ArrayLike<number>,
  opening: number,
  paths: number,
  horizon: number,
): { readonly exitRate: Float64Array; readonly gap: Float64Array; readonly starterWeight: number[] } {
  const rate = new Float64Array(paths * horizon);
  const gap = new Float64Array(paths * horizon);
  const starterWeight: number[] = [];
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
    starterWeight.push(wE);
    for (let p = 0; p < paths; p++) {
      const k = p * horizon + h;
      const prev = h === 0 ? opening : S[k - 1];
      const cur = S[k];
      const D = cur - prev - (E[k] - C[k]);
      gap[k] = D;
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
  return { exitRate: rate, gap, starterWeight };
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
  const r = reconcileFlows(E, C, S, opening, n, H);
  const sp = (values: Float64Array): SamplePaths => ({ paths: n, horizon: H, values });
  return { started: sp(E), ceased: sp(C), exitRate: sp(r.exitRate), gap: sp(r.gap), starterWeight: r.starterWeight, population: popOut, notes };
}
