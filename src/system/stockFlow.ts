/**
 * The stock-flow model: project starters and leavers, and derive the number
 * of children in care from them, so that
 * `CiC(t) = CiC(t-1) + started(t) - ceased(t)` holds in every projected
 * year of every simulated path.
 *
 * @module
 */
import { CarecastInputError, type InputProblem } from '../data/errors.js';
import { yearValuesOf, type SeriesInput, type YearValue } from '../data/yearValue.js';
import { selectMethod } from '../models/selectMethod.js';
import { fitMethod, isMethodName, minObservations } from '../models/registry.js';
import type { FitDiagnostics, MethodName, SamplePaths } from '../models/types.js';
import { streamSeed } from '../math/rng.js';
import { pathBands, type PathBands } from '../uncertainty/pathBands.js';

/** The series the stock-flow model is fitted to. */
export interface StockFlowInput {
  /** Children in care at 31 March. */
  readonly stock: SeriesInput;
  /** Children starting to be looked after in the year to 31 March. */
  readonly started: SeriesInput;
  /** Children ceasing to be looked after in the year to 31 March. */
  readonly ceased: SeriesInput;
  /** Children aged 0-17 (ONS mid-year estimates), for the years of history. */
  readonly population?: SeriesInput;
  /**
   * Children aged 0-17 for the projected years (an ONS sub-national
   * projection). Must cover every projected year when given. When absent,
   * the last known population is held flat and the result says so.
   */
  readonly populationProjection?: SeriesInput;
  /** Area name for the result (default: taken from the stock series). */
  readonly area?: string;
}

/** Options for {@link projectStockFlow}. */
export interface StockFlowOptions {
  /** Last year to project. Give this or `horizon`. */
  readonly to?: number;
  /** Years beyond the last observed stock. Give this or `to`. */
  readonly horizon?: number;
  /** Interval levels in percent (default 80 and 95). */
  readonly levels?: readonly number[];
  /** Number of simulated paths (default 2000). */
  readonly paths?: number;
  /** Random seed (default 1). */
  readonly seed?: number;
  /** Method for the log entry rate: a method name, or `'auto'` (default) choosing among naive, drift, linear. */
  readonly entryMethod?: MethodName | 'auto';
  /** Method for the logit exit rate: a method name, or `'auto'` (default) choosing among naive, drift, linear. */
  readonly exitMethod?: MethodName | 'auto';
}

/** One year of the historical stock-flow identity check. */
export interface StockFlowResidual {
  /** Year (31 March). */
  readonly year: number;
  /** Published stock at 31 March. */
  readonly stock: number;
  /** Stock implied by the identity: previous stock + started - ceased. */
  readonly implied: number;
  /** Published minus implied (DfE counts do not close exactly: re-entries, rounding, late returns). */
  readonly residual: number;
}

/** One year of the rates the model is fitted to. */
export interface StockFlowRates {
  /** Year (the year ending 31 March). */
  readonly year: number;
  /** Starters per 10,000 children aged 0-17 (or per year, when there is no population). */
  readonly entryRate: number;
  /** Share of the children at risk during the year (stock at the start + starters) who left care. */
  readonly exitRate: number;
}

/** How one rate was modelled. */
export interface RateModel {
  /** The method used (on the log scale for entry, logit scale for exit). */
  readonly method: MethodName;
  /** Whether `auto` chose it. */
  readonly auto: boolean;
  /** The fit's parameters and residuals on the transformed scale. */
  readonly diagnostics: FitDiagnostics;
}

/** The result of {@link projectStockFlow}. */
export interface StockFlowProjection {
  /** Area name. */
  readonly area: string;
  /** Projected years. */
  readonly years: readonly number[];
  /**
   * Children in care at 31 March: `point` is the path of the point rates
   * (the identity holds on it exactly); the bands come from the simulated paths.
   */
  readonly stock: PathBands & { readonly point: readonly number[] };
  /** Starters per projected year. */
  readonly started: PathBands & { readonly point: readonly number[] };
  /** Leavers per projected year. */
  readonly ceased: PathBands & { readonly point: readonly number[] };
  /** Entry rate per projected year (per 10,000 children aged 0-17). */
  readonly entryRate: PathBands & { readonly point: readonly number[] };
  /** Exit rate per projected year. */
  readonly exitRate: PathBands & { readonly point: readonly number[] };
  /** The 0-17 population used per projected year. */
  readonly population: readonly number[];
  /** The simulated paths of stock, starters and leavers (for costs, groups, scenarios). */
  readonly paths: { readonly stock: SamplePaths; readonly started: SamplePaths; readonly ceased: SamplePaths };
  /** The historical rates the models were fitted to. */
  readonly history: readonly StockFlowRates[];
  /** The identity residual in every historical year where it can be checked. */
  readonly residuals: readonly StockFlowResidual[];
  /** How the entry and exit rates were modelled. */
  readonly models: { readonly entry: RateModel; readonly exit: RateModel };
  /** The last observed stock the projection starts from. */
  readonly start: { readonly year: number; readonly stock: number };
  /** Plain-language warnings. */
  readonly caveats: readonly string[];
}

const RATE_CANDIDATES: readonly MethodName[] = ['naive', 'drift', 'linear'];

function valueMap(points: readonly YearValue[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const p of points) if (p.value !== null) m.set(p.year, p.value);
  return m;
}

function fail(problems: InputProblem[]): never {
  throw new CarecastInputError(problems);
}

function fitRate(
  name: string,
  y: readonly number[],
  method: MethodName | 'auto',
): { model: ReturnType<typeof fitMethod>; info: RateModel } {
  let m: MethodName;
  let auto = false;
  if (method === 'auto') {
    m = selectMethod(y, { candidates: RATE_CANDIDATES }).method;
    auto = true;
  } else {
    m = method;
    const need = minObservations(m);
    if (y.length < need) {
      fail([{ source: 'stock-flow options', field: `${name}Method`, message: `${m} needs ${need} years of ${name} rates, only ${y.length} available`, fix: 'use naive or auto, or supply more years of starters and leavers' }]);
    }
  }
  const model = fitMethod(m, y);
  return { model, info: { method: m, auto, diagnostics: model.diagnostics } };
}

/**
 * Project children in care through their flows.
 *
 * The model, per year t (year ending 31 March):
 * - starters `A_t = a_t P_t / 10,000`, with `a_t` the entry rate per 10,000
 *   children aged 0-17 and `P_t` the child population;
 * - leavers `D_t = e_t (S_{t-1} + A_t)`: the exit rate `e_t` applies to every
 *   child at risk of leaving during the year, those in care at its start
 *   plus those who started;
 * - stock `S_t = S_{t-1} + A_t - D_t`.
 *
 * `log a_t` and `logit e_t` are each fitted with a method (`auto`: the most
 * accurate of naive, drift and linear by rolling-origin MASE, see
 * {@link selectMethod}); the transforms keep rates positive and exit rates
 * below 1. Paths of both rates are simulated from the fitted models (process
 * and parameter uncertainty, independent seeded streams) and pushed through
 * the recursion, so the identity holds exactly in every path; bands of stock,
 * starters and leavers are path quantiles. The historical identity residual
 * (published stock minus previous stock plus starters minus leavers) is
 * reported, not hidden: the projection starts from the published stock.
 *
 * @param input - stock, starters, leavers, and optionally population history and projection
 * @param options - target year, levels, paths, seed, rate methods
 * @returns the projection with bands, paths, rates, residuals and caveats
 * @throws CarecastInputError when the series do not overlap in at least two
 *   years with a previous stock, a population projection does not cover the
 *   horizon, flows exceed what is possible (leavers above the children at
 *   risk), or the options are invalid
 * @example
 * ```ts
 * const p = projectStockFlow(
 *   { stock: findSeries(ds, 'children_in_care'), started: findSeries(ds, 'started'), ceased: findSeries(ds, 'ceased') },
 *   { to: 2030, seed: 42 },
 * );
 * p.stock.point;   // children in care at 31 March 2025..2030
 * p.residuals;     // how far the published figures are from the identity
 * ```
 */
export function projectStockFlow(input: StockFlowInput, options: StockFlowOptions = {}): StockFlowProjection {
  const stockIn = yearValuesOf(input.stock, 'stock');
  const startedIn = yearValuesOf(input.started, 'started');
  const ceasedIn = yearValuesOf(input.ceased, 'ceased');
  const area = input.area ?? stockIn.area;
  const S = valueMap(stockIn.points);
  const A = valueMap(startedIn.points);
  const D = valueMap(ceasedIn.points);
  const popHist = input.population ? valueMap(yearValuesOf(input.population, 'population').points) : undefined;
  const caveats: string[] = [];
  for (const [name, method] of [
    ['entry', options.entryMethod],
    ['exit', options.exitMethod],
  ] as const) {
    if (method !== undefined && method !== 'auto' && !isMethodName(method)) {
      fail([{ source: 'stock-flow options', field: `${name}Method`, message: `unknown method "${String(method)}"`, fix: 'use auto, naive, drift or linear' }]);
    }
  }

  // historical rates and residuals
  const residuals: StockFlowResidual[] = [];
  const history: StockFlowRates[] = [];
  const problems: InputProblem[] = [];
  const years = [...new Set([...A.keys(), ...D.keys()])].sort((a, b) => a - b);
  for (const t of years) {
    const prev = S.get(t - 1);
    const a = A.get(t);
    const d = D.get(t);
    if (prev === undefined || a === undefined || d === undefined) continue;
    const atRisk = prev + a;
    if (d > atRisk) {
      problems.push({ source: 'ceased', row: t, field: 'value', message: `${d} children ceased in the year to March ${t}, more than the ${atRisk} at risk (${prev} in care at March ${t - 1} + ${a} starters)`, fix: 'check that ceased, started and stock describe the same area and years' });
      continue;
    }
    const cur = S.get(t);
    if (cur !== undefined) residuals.push({ year: t, stock: cur, implied: atRisk - d, residual: cur - (atRisk - d) });
    let rateBase = 1;
    if (popHist) {
      const p = popHist.get(t);
      if (p === undefined || p <= 0) {
        problems.push({ source: 'population', row: t, field: 'value', message: `no 0-17 population for ${t}, a year with starters`, fix: 'supply the ONS mid-year estimate for every year with flows, or omit population' });
        continue;
      }
      rateBase = p / 10_000;
    }
    if (a <= 0) {
      problems.push({ source: 'started', row: t, field: 'value', message: `no starters in ${t}: the log entry rate is undefined`, fix: 'the stock-flow model needs at least one starter a year' });
      continue;
    }
    if (d <= 0 || d >= atRisk) {
      problems.push({ source: 'ceased', row: t, field: 'value', message: `exit rate in ${t} is ${d}/${atRisk}: it must be strictly between 0 and 1`, fix: 'check the ceased count' });
      continue;
    }
    history.push({ year: t, entryRate: a / rateBase, exitRate: d / atRisk });
  }
  if (problems.length > 0) fail(problems);
  if (history.length < 2) {
    fail([{ source: 'stock-flow input', field: 'started/ceased', message: `only ${history.length} year(s) have starters, leavers and the previous year's stock together`, fix: 'supply at least two consecutive years of flows with the stock at the start of each' }]);
  }
  for (let i = 1; i < history.length; i++) {
    if (history[i].year !== history[i - 1].year + 1) {
      fail([{ source: 'stock-flow input', row: history[i].year, field: 'started/ceased', message: `flows are missing between ${history[i - 1].year} and ${history[i].year}`, fix: 'supply consecutive years of starters and leavers (the rate models need a regular series)' }]);
    }
  }
  if (residuals.some((r) => r.residual !== 0)) {
    const worst = residuals.reduce((w, r) => (Math.abs(r.residual) > Math.abs(w.residual) ? r : w));
    caveats.push(`The published figures do not close exactly (stock \u2260 previous stock + starters \u2212 leavers): the largest gap is ${worst.residual > 0 ? '+' : ''}${worst.residual} in ${worst.year}. The projection starts from the published stock.`);
  }

  // start and horizon
  const stockYears = [...S.keys()].sort((a, b) => a - b);
  if (stockYears.length === 0) fail([{ source: 'stock', field: 'value', message: 'no observed stock', fix: 'supply children in care at 31 March' }]);
  const startYear = stockYears[stockYears.length - 1];
  const startStock = S.get(startYear) as number;
  const horizon = options.to !== undefined ? options.to - startYear : options.horizon;
  if (horizon === undefined || !Number.isInteger(horizon) || horizon < 1) {
    fail([{ source: 'stock-flow options', field: options.to !== undefined ? 'to' : 'horizon', message: `the projection must end after the last observed stock (${startYear}); got ${options.to ?? options.horizon}`, fix: `give to > ${startYear}` }]);
  }
  const lastRateYear = history[history.length - 1].year;
  if (lastRateYear < startYear) {
    caveats.push(`Flows are known to ${lastRateYear}, the stock to ${startYear}: rates for ${lastRateYear + 1 === startYear ? startYear : `${lastRateYear + 1}-${startYear}`} are forecast, not observed.`);
  }
  const projYears = Array.from({ length: horizon }, (_, i) => startYear + 1 + i);
  const rateSteps = projYears[projYears.length - 1] - lastRateYear;
  const offset = startYear - lastRateYear; // rate step index of the first projected year

  // population per projected year
  const population: number[] = [];
  if (input.populationProjection) {
    const proj = valueMap(yearValuesOf(input.populationProjection, 'populationProjection').points);
    const missing = projYears.filter((y) => !(proj.get(y) !== undefined && (proj.get(y) as number) > 0));
    if (missing.length > 0) {
      fail([{ source: 'populationProjection', field: 'year', message: `the population projection does not cover ${missing.join(', ')}`, fix: `supply the 0-17 population for every year ${projYears[0]}-${projYears[projYears.length - 1]}` }]);
    }
    for (const y of projYears) population.push(proj.get(y) as number);
    if (!popHist) caveats.push('A population projection was given without population history: entry rates are per year, and the projection scales them by population relative to its first year.');
  } else if (popHist) {
    const last = [...popHist.entries()].sort((a, b) => a[0] - b[0]).pop() as [number, number];
    for (let i = 0; i < horizon; i++) population.push(last[1]);
    caveats.push(`No population projection was given: the 0-17 population is held at its ${last[0]} level (${last[1].toLocaleString('en-GB')}). Supply an ONS sub-national projection to let demographic change drive starters.`);
  } else {
    caveats.push('No child population was given: starters are modelled as a count per year, which is the same as holding the child population flat.');
  }
  const scale = (i: number): number => {
    if (popHist) return population[i] / 10_000;
    if (input.populationProjection) return population[i] / population[0];
    return 1;
  };

  // rate models on log / logit scales
  const logEntry = history.map((h) => Math.log(h.entryRate));
  const logitExit = history.map((h) => Math.log(h.exitRate / (1 - h.exitRate)));
  const entry = fitRate('entry', logEntry, options.entryMethod ?? 'auto');
  const exit = fitRate('exit', logitExit, options.exitMethod ?? 'auto');
  if (history.length < 5) {
    caveats.push(`The rates rest on ${history.length} years of flows: bands from so few years understate the uncertainty.`);
  }
  if (horizon > history.length) {
    caveats.push(`Projecting ${horizon} years from ${history.length} years of flows: treat the later years as a scenario, not a prediction.`);
  }

  const nPaths = options.paths ?? 2000;
  const seed = options.seed ?? 1;
  const entryPaths = entry.model.simulate(rateSteps, { paths: nPaths, seed: streamSeed(seed, 0) });
  const exitPaths = exit.model.simulate(rateSteps, { paths: nPaths, seed: streamSeed(seed, 1) });
  const entryPoint = entry.model.forecast(rateSteps, { levels: [80] }).point;
  const exitPoint = exit.model.forecast(rateSteps, { levels: [80] }).point;

  const mk = (): SamplePaths => ({ paths: nPaths, horizon, values: new Float64Array(nPaths * horizon) });
  const stockP = mk();
  const startedP = mk();
  const ceasedP = mk();
  const entryRateP = mk();
  const exitRateP = mk();
  for (let p = 0; p < nPaths; p++) {
    let s = startStock;
    for (let i = 0; i < horizon; i++) {
      const k = p * rateSteps + offset + i;
      const a = Math.exp(entryPaths.values[k]);
      const e = 1 / (1 + Math.exp(-exitPaths.values[k]));
      const starters = a * scale(i);
      const leavers = e * (s + starters);
      s = s + starters - leavers;
      const j = p * horizon + i;
      stockP.values[j] = s;
      startedP.values[j] = starters;
      ceasedP.values[j] = leavers;
      entryRateP.values[j] = a;
      exitRateP.values[j] = e;
    }
  }
  const point = { stock: [] as number[], started: [] as number[], ceased: [] as number[], entry: [] as number[], exit: [] as number[] };
  let s = startStock;
  for (let i = 0; i < horizon; i++) {
    const a = Math.exp(entryPoint[offset + i]);
    const e = 1 / (1 + Math.exp(-exitPoint[offset + i]));
    const starters = a * scale(i);
    const leavers = e * (s + starters);
    s = s + starters - leavers;
    point.stock.push(s);
    point.started.push(starters);
    point.ceased.push(leavers);
    point.entry.push(a);
    point.exit.push(e);
  }
  const levels = options.levels ?? [80, 95];
  let entryBands: (PathBands & { readonly point: readonly number[] }) | undefined;
  let exitBands: (PathBands & { readonly point: readonly number[] }) | undefined;
  return {
    area,
    years: projYears,
    stock: { ...pathBands(stockP, levels), point: point.stock },
    started: { ...pathBands(startedP, levels), point: point.started },
    ceased: { ...pathBands(ceasedP, levels), point: point.ceased },
    // rate bands are computed on first use (most callers need only the counts)
    get entryRate(): PathBands & { readonly point: readonly number[] } {
      entryBands ??= { ...pathBands(entryRateP, levels), point: point.entry };
      return entryBands;
    },
    get exitRate(): PathBands & { readonly point: readonly number[] } {
      exitBands ??= { ...pathBands(exitRateP, levels), point: point.exit };
      return exitBands;
    },
    population,
    paths: { stock: stockP, started: startedP, ceased: ceasedP },
    history,
    residuals,
    models: { entry: entry.info, exit: exit.info },
    start: { year: startYear, stock: startStock },
    caveats,
  };
}
