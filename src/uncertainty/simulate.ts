/**
 * The simulation engine: Monte Carlo sample paths for many series at once,
 * from any method, with parameter and process uncertainty (as each model's
 * {@link FittedModel.simulate} draws them), seeded and reproducible, with
 * quantile bands for every output, including derived ones (sums of groups,
 * costs) built path by path with {@link derivePaths}, {@link sumPaths} and
 * {@link mapPaths}.
 *
 * ## Reproducibility
 *
 * Series `i` (0-based, in the order given) is simulated from the seed
 * `streamSeed(seed, i)` (its `seedUsed`); when `chunkPaths` splits its paths
 * into chunks, chunk `c` uses `streamSeed(seedUsed, c)`. No seed depends on
 * the number of workers or the order in which chunks finish, so the paths
 * are bit-identical in-process and on any number of workers. Without
 * `chunkPaths`, a series' paths equal
 * `fitMethod(method, series, methodOptions).simulate(horizon, { paths, seed: seedUsed })`.
 *
 * @module
 */
import { streamSeed } from '../math/rng.js';
import { checkHorizon } from '../models/checks.js';
import { checkLevels } from '../models/distribution.js';
import { fitMethod, isMethodName, type MethodOptions } from '../models/registry.js';
import { METHOD_NAMES, type FittedModel, type MethodName, type SamplePaths } from '../models/types.js';
import { pathBands, type PathBands } from './pathBands.js';
import { defaultWorkerCount, runSimulationTask, SimulationPool, WORKER_MODE, type SimulationTask, type SimulationTaskResult } from './workerPool.js';

/** One series to simulate. */
export interface SimulationSpec {
  /** A unique name for the series (e.g. the authority, or `"Derby/fostering"`). */
  readonly id: string;
  /** The observations, oldest first, regularly spaced, no gaps. */
  readonly series: readonly number[];
  /** The method to fit and simulate. */
  readonly method: MethodName;
  /** Per-method options for {@link fitMethod}. */
  readonly methodOptions?: MethodOptions;
}

/** Options of {@link simulateSeries} and {@link simulateSeriesSync}. */
export interface SimulateSeriesOptions {
  /** Steps ahead to simulate (a positive whole number). */
  readonly horizon: number;
  /** Paths per series (a positive whole number). */
  readonly paths: number;
  /** The parent seed; series `i` uses `streamSeed(seed, i)`. */
  readonly seed: number;
  /** Interval levels of the bands, in percent (default `[80, 95]`). */
  readonly levels?: readonly number[];
  /** Whether to compute each series' {@link PathBands} (default `true`); without them `bands` is `undefined`. */
  readonly bands?: boolean;
  /**
   * Worker threads (asynchronous {@link simulateSeries} only): `0` (the
   * default) simulates in this thread; `n` uses up to `n` workers (never more
   * than there are chunks); `'auto'` uses one per core when the job is big
   * enough to repay starting them ({@link autoWorkerCount}), else none.
   */
  readonly workers?: number | 'auto';
  /** A running {@link SimulationPool} to use instead of starting workers (it is left open). */
  readonly pool?: SimulationPool;
  /**
   * Split each series into chunks of at most this many paths (default: one
   * chunk per series), so one big series can spread over workers. It changes
   * the seeds (chunk `c` of a series uses `streamSeed(seedUsed, c)`), so the
   * same `chunkPaths` is needed to reproduce paths; the number of workers
   * never matters.
   */
  readonly chunkPaths?: number;
  /**
   * Called with `(done, total)` in chunks (one per series unless
   * `chunkPaths` splits them) as each finishes, and always at the end with
   * `done === total`. If it throws, the simulation stops with that error.
   */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The simulation of one series. */
export interface SeriesSimulation {
  /** The series' id. */
  readonly id: string;
  /** The method simulated. */
  readonly method: MethodName;
  /** The series' seed, `streamSeed(seed, index)`. */
  readonly seedUsed: number;
  /** The model fitted in the calling thread (for its forecast and diagnostics). */
  readonly model: FittedModel;
  /** The sample paths. */
  readonly paths: SamplePaths;
  /** Mean, median, quantiles 5/10/25/50/75/90/95 and intervals per step (`undefined` when `bands: false`). */
  readonly bands: PathBands | undefined;
}

/** The result of {@link simulateSeries}. */
export interface SimulationResult {
  /** Steps simulated. */
  readonly horizon: number;
  /** Paths per series. */
  readonly paths: number;
  /** The parent seed. */
  readonly seed: number;
  /** Interval levels of the bands (ascending). */
  readonly levels: readonly number[];
  /** Worker threads used (0: in-process). */
  readonly workers: number;
  /** Chunks simulated (the `total` of `onProgress`). */
  readonly chunks: number;
  /** One entry per spec, in the order given. */
  readonly series: readonly SeriesSimulation[];
  /** The same entries by id. */
  readonly byId: ReadonlyMap<string, SeriesSimulation>;
}

/**
 * Below this many simulated values (series × paths × horizon), `workers:
 * 'auto'` simulates in-process when carecast runs compiled. Measured on the
 * 2-core benchmark machine (benchmarks/RESULTS.md, "Simulation engine"):
 * starting 2 workers from `dist/` takes about 60 ms, and fresh workers run
 * their first job about twice as slowly as warm ones (V8 has not optimised
 * the code yet), so a call that starts and closes its own pool only beats
 * one thread from about 10 million values (20 series × 40,000 paths × 12
 * years: 1.05 s either way); at 2.4 million (the 1 s target's job) in-process
 * is about twice as fast (0.27 s against 0.58 s). A {@link SimulationPool}
 * kept open and passed as `pool` pays off from much smaller jobs.
 */
export const AUTO_WORKERS_MIN_VALUES_COMPILED = 10_000_000;
/**
 * The same threshold when running from TypeScript sources (tsx, vitest):
 * each worker also compiles its modules through tsx, and 2 take about
 * 0.4 s to start, so the crossover is about twice as far out.
 */
export const AUTO_WORKERS_MIN_VALUES_TSX = 20_000_000;

/**
 * How many workers `workers: 'auto'` uses for a job: none when there is one
 * chunk, one core, or fewer values than the threshold of this build
 * ({@link AUTO_WORKERS_MIN_VALUES_COMPILED} compiled,
 * {@link AUTO_WORKERS_MIN_VALUES_TSX} from sources); otherwise one per core,
 * at most one per chunk.
 *
 * @param values - total values to simulate (series × paths × horizon)
 * @param chunks - number of chunks (independent tasks)
 * @param cores - cores available (default: what Node reports)
 * @returns the number of workers, 0 for in-process
 * @example
 * ```ts
 * autoWorkerCount(20 * 10_000 * 12, 20, 2); // 0: in-process is faster for 2.4 M values
 * autoWorkerCount(20 * 100_000 * 12, 20, 2); // 2: 24 M values, above both thresholds
 * ```
 */
export function autoWorkerCount(values: number, chunks: number, cores: number = defaultWorkerCount()): number {
  const threshold = WORKER_MODE === 'tsx' ? AUTO_WORKERS_MIN_VALUES_TSX : AUTO_WORKERS_MIN_VALUES_COMPILED;
  if (chunks < 2 || cores < 2 || values < threshold) return 0;
  return Math.min(cores, chunks);
}

/** A checked, fitted job: one entry per series and the tasks to run. */
interface Plan {
  readonly horizon: number;
  readonly paths: number;
  readonly seed: number;
  readonly levels: number[];
  readonly wantBands: boolean;
  readonly fitted: { readonly spec: SimulationSpec; readonly model: FittedModel; readonly seedUsed: number }[];
  /** Tasks, with the series each belongs to and its first path. */
  readonly tasks: { readonly task: SimulationTask; readonly series: number; readonly firstPath: number; readonly whole: boolean }[];
}

/** Check the arguments, fit every series (for clear errors and the results' models) and cut the work into tasks. */
function plan(specs: readonly SimulationSpec[], options: SimulateSeriesOptions): Plan {
  if (!Array.isArray(specs)) throw new TypeError('simulateSeries needs an array of { id, series, method } specs');
  if (!options || typeof options !== 'object') throw new TypeError('simulateSeries needs options { horizon, paths, seed }');
  const { horizon, paths, seed } = options;
  checkHorizon(horizon);
  if (!Number.isInteger(paths) || paths < 1) throw new RangeError(`paths must be a positive whole number, got ${paths}`);
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const levels = checkLevels(options.levels ?? [80, 95]);
  const chunkPaths = options.chunkPaths ?? paths;
  if (!Number.isInteger(chunkPaths) || chunkPaths < 1) throw new RangeError(`chunkPaths must be a positive whole number, got ${chunkPaths}`);
  if (paths * horizon > 2 ** 31) throw new RangeError(`paths × horizon = ${paths * horizon} values is too many for one series (at most 2^31)`);
  const wantBands = options.bands ?? true;
  const ids = new Set<string>();
  const fitted = specs.map((spec, i) => {
    const where = `series ${i}${spec && typeof spec.id === 'string' ? ` ("${spec.id}")` : ''}`;
    if (!spec || typeof spec.id !== 'string') throw new TypeError(`${where}: each spec needs a string id`);
    if (ids.has(spec.id)) throw new RangeError(`${where}: the id "${spec.id}" is used twice; ids must be unique`);
    ids.add(spec.id);
    if (typeof spec.method !== 'string' || !isMethodName(spec.method)) {
      throw new RangeError(`${where}: unknown method "${String(spec.method)}"; use one of ${METHOD_NAMES.join(', ')}`);
    }
    if (!Array.isArray(spec.series)) throw new TypeError(`${where}: series must be an array of numbers`);
    let model: FittedModel;
    try {
      model = fitMethod(spec.method, spec.series, spec.methodOptions);
    } catch (e) {
      if (e instanceof Error) {
        const E = e instanceof RangeError ? RangeError : e instanceof TypeError ? TypeError : Error;
        throw new E(`${where}: ${e.message}`, { cause: e });
      }
      throw e;
    }
    return { spec, model, seedUsed: streamSeed(seed, i) };
  });
  const tasks: Plan['tasks'][number][] = [];
  fitted.forEach(({ spec, seedUsed }, s) => {
    const whole = chunkPaths >= paths;
    const base = { series: [...spec.series], method: spec.method, methodOptions: spec.methodOptions, horizon };
    if (whole) {
      tasks.push({ task: { ...base, paths, seed: seedUsed, bandLevels: wantBands ? levels : undefined }, series: s, firstPath: 0, whole });
      return;
    }
    for (let c = 0, first = 0; first < paths; c++, first += chunkPaths) {
      tasks.push({ task: { ...base, paths: Math.min(chunkPaths, paths - first), seed: streamSeed(seedUsed, c) }, series: s, firstPath: first, whole });
    }
  });
  return { horizon, paths, seed, levels, wantBands, fitted, tasks };
}

/** Put the task results together into the result. */
function assemble(p: Plan, results: readonly SimulationTaskResult[], workers: number): SimulationResult {
  const values = p.fitted.map(() => undefined as Float64Array | undefined);
  const bands = p.fitted.map(() => undefined as PathBands | undefined);
  p.tasks.forEach((t, k) => {
    const r = results[k];
    if (t.whole) {
      values[t.series] = r.values;
      bands[t.series] = r.bands;
    } else {
      let v = values[t.series];
      if (!v) values[t.series] = v = new Float64Array(p.paths * p.horizon);
      v.set(r.values, t.firstPath * p.horizon);
    }
  });
  const series = p.fitted.map(({ spec, model, seedUsed }, s): SeriesSimulation => {
    const paths: SamplePaths = { paths: p.paths, horizon: p.horizon, values: values[s] as Float64Array };
    const b = p.wantBands ? (bands[s] ?? pathBands(paths, p.levels)) : undefined;
    return { id: spec.id, method: spec.method, seedUsed, model, paths, bands: b };
  });
  return {
    horizon: p.horizon,
    paths: p.paths,
    seed: p.seed,
    levels: p.levels,
    workers,
    chunks: p.tasks.length,
    series,
    byId: new Map(series.map((s) => [s.id, s])),
  };
}

/** Run the plan in this thread. */
function runInProcess(p: Plan, onProgress: SimulateSeriesOptions['onProgress']): SimulationResult {
  const total = p.tasks.length;
  const results = p.tasks.map((t, k) => {
    const r = runSimulationTask(t.task, p.fitted[t.series].model);
    onProgress?.(k + 1, total);
    return r;
  });
  if (total === 0) onProgress?.(0, 0);
  return assemble(p, results, 0);
}

/**
 * Simulate sample paths for many series in this thread, with the bands of
 * each. See {@link simulateSeries} (which gives the same numbers, and can
 * use worker threads).
 *
 * @param specs - the series: unique id, observations, method and its options
 * @param options - horizon, paths, seed, band levels, chunking, progress (`workers` and `pool` are ignored)
 * @returns the paths and bands of every series
 * @throws RangeError for a bad horizon, number of paths, seed, level or chunk size, an unknown method, a duplicate id, or a series the method cannot fit (too short, non-finite values, non-positive values for a log-scale method), naming the series
 * @throws TypeError when specs or options are not what the signature says
 * @example
 * ```ts
 * const r = simulateSeriesSync(
 *   [{ id: 'Derbyshire', series: [719, 802, 861, 899, 909, 995, 1057], method: 'drift' }],
 *   { horizon: 10, paths: 10_000, seed: 42 },
 * );
 * r.byId.get('Derbyshire')?.bands?.quantiles.p95; // 95th percentile per year
 * ```
 */
export function simulateSeriesSync(specs: readonly SimulationSpec[], options: SimulateSeriesOptions): SimulationResult {
  const p = plan(specs, options);
  return runInProcess(p, options.onProgress);
}

/**
 * Simulate sample paths for many series, in this thread or on worker
 * threads, with mean, median, quantiles 5/10/25/50/75/90/95 and central
 * intervals per step for each. Every series is fitted with its method and
 * simulated with parameter and process uncertainty from its own seed,
 * `streamSeed(seed, index)`, so the numbers are the same whatever `workers`
 * is (and equal to {@link simulateSeriesSync}'s). Bad input is found before
 * any worker starts.
 *
 * @param specs - the series: unique id, observations, method and its options
 * @param options - horizon, paths, seed, band levels, workers or a pool, chunking, progress
 * @returns a promise of the paths and bands of every series
 * @throws RangeError (rejects) for a bad horizon, number of paths, seed, level, chunk size or worker count, an unknown method, a duplicate id, or a series the method cannot fit, naming the series
 * @throws TypeError (rejects) when specs or options are not what the signature says
 * @throws Error (rejects) when a worker fails, or with the error `onProgress` threw
 * @example
 * ```ts
 * const r = await simulateSeries(
 *   authorities.map((a) => ({ id: a.name, series: a.values, method: 'dampedTrend' as const })),
 *   { horizon: 12, paths: 10_000, seed: 1, workers: 'auto', onProgress: (d, t) => console.log(`${d}/${t}`) },
 * );
 * const total = sumPaths(r.series.map((s) => s.paths)); // England, path by path
 * pathBands(total).intervals; // the band of the sum, not the sum of the bands
 * ```
 */
export async function simulateSeries(specs: readonly SimulationSpec[], options: SimulateSeriesOptions): Promise<SimulationResult> {
  const p = plan(specs, options);
  const onProgress = options.onProgress;
  let workers = 0;
  const requested = options.workers ?? 0;
  if (requested === 'auto') workers = autoWorkerCount(specs.length * p.paths * p.horizon, p.tasks.length);
  else if (Number.isInteger(requested) && requested >= 0) workers = Math.min(requested, p.tasks.length);
  else throw new RangeError(`workers must be 'auto' or a whole number >= 0, got ${String(requested)}`);
  if (options.pool && p.tasks.length > 0) workers = options.pool.size;
  if (workers === 0) return runInProcess(p, onProgress);

  const pool = options.pool ?? new SimulationPool(workers);
  const total = p.tasks.length;
  let done = 0;
  try {
    const results = await pool.run(
      p.tasks.map((t) => t.task),
      () => {
        done++;
        onProgress?.(done, total);
      },
    );
    return assemble(p, results, workers);
  } finally {
    if (!options.pool) await pool.close();
  }
}

// ---- derived outputs ------------------------------------------------------------

/** Check that path sets line up: same number of paths and steps. */
function checkAligned(inputs: readonly SamplePaths[], what: string): { paths: number; horizon: number } {
  if (!Array.isArray(inputs) || inputs.length === 0) throw new RangeError(`${what} needs at least one set of paths`);
  const { paths, horizon } = inputs[0];
  inputs.forEach((x, i) => {
    if (x.paths !== paths || x.horizon !== horizon || x.values.length !== paths * horizon) {
      throw new RangeError(
        `${what}: input ${i} has ${x.paths} paths × ${x.horizon} steps but input 0 has ${paths} × ${horizon}; ` +
          'derived outputs combine paths one to one, so simulate every input with the same paths and horizon',
      );
    }
  });
  return { paths, horizon };
}

/**
 * Build a derived output path by path: value `fn([a[p,h], b[p,h], ...], h, p)`
 * for every path `p` and step `h`. Its bands ({@link pathBands}) then carry
 * the joint uncertainty of the inputs as simulated (independent series give
 * a sum whose band is narrower than the sum of their bands). The array
 * passed to `fn` is reused: read it, do not keep it.
 *
 * @param inputs - path sets with the same number of paths and steps
 * @param fn - the derived value from the inputs' values at one path and step
 * @returns the derived paths
 * @throws RangeError when there are no inputs or they do not line up
 * @example
 * ```ts
 * // weekly cost: residential at £5,000 and fostering at £900 a week
 * const cost = derivePaths([residential.paths, fostering.paths], ([r, f]) => r * 5000 + f * 900);
 * pathBands(cost).quantiles.p90;
 * ```
 */
export function derivePaths(
  inputs: readonly SamplePaths[],
  fn: (values: number[], step: number, path: number) => number,
): SamplePaths {
  const { paths, horizon } = checkAligned(inputs, 'derivePaths');
  const k = inputs.length;
  const out = new Float64Array(paths * horizon);
  const buf = new Array<number>(k).fill(0);
  const src = inputs.map((x) => x.values);
  for (let p = 0; p < paths; p++) {
    for (let h = 0; h < horizon; h++) {
      const j = p * horizon + h;
      for (let i = 0; i < k; i++) buf[i] = src[i][j];
      out[j] = fn(buf, h, p);
    }
  }
  return { paths, horizon, values: out };
}

/**
 * The (weighted) sum of path sets, path by path: a vectorised
 * {@link derivePaths} for totals of groups and for costs (count × unit
 * cost, summed over groups).
 *
 * @param inputs - path sets with the same number of paths and steps
 * @param weights - one weight per input (default all 1), or one weight per input per step (e.g. unit costs by year)
 * @returns the summed paths
 * @throws RangeError when there are no inputs, they do not line up, or the weights do not match them
 * @example
 * ```ts
 * const england = sumPaths(result.series.map((s) => s.paths));
 * const cost = sumPaths([residential, fostering], [260_000, 47_000]); // £ a year per child
 * ```
 */
export function sumPaths(inputs: readonly SamplePaths[], weights?: readonly (number | readonly number[])[]): SamplePaths {
  const { paths, horizon } = checkAligned(inputs, 'sumPaths');
  if (weights !== undefined && weights.length !== inputs.length) {
    throw new RangeError(`sumPaths: ${weights.length} weights for ${inputs.length} inputs; give one per input`);
  }
  const out = new Float64Array(paths * horizon);
  inputs.forEach((x, i) => {
    const w = weights?.[i] ?? 1;
    const v = x.values;
    if (typeof w === 'number') {
      if (!Number.isFinite(w)) throw new RangeError(`sumPaths: weight ${i} is not a finite number (${w})`);
      for (let j = 0; j < out.length; j++) out[j] += w * v[j];
    } else {
      if (w.length !== horizon) throw new RangeError(`sumPaths: weight ${i} has ${w.length} values for ${horizon} steps; give one per step`);
      for (let p = 0, j = 0; p < paths; p++) for (let h = 0; h < horizon; h++, j++) out[j] += w[h] * v[j];
    }
  });
  return { paths, horizon, values: out };
}

/**
 * Transform one path set value by value, e.g. cost = count × unit cost of
 * that year, or a rate per 10,000 children.
 *
 * @param input - the paths
 * @param fn - the new value from a value, its step and its path
 * @returns the transformed paths
 * @throws RangeError when input is not a valid path set
 * @example
 * ```ts
 * const unitCost = [52_000, 53_500, 55_100]; // £ a year, by year ahead
 * const cost = mapPaths(fostering.paths, (v, h) => v * unitCost[h]);
 * ```
 */
export function mapPaths(input: SamplePaths, fn: (value: number, step: number, path: number) => number): SamplePaths {
  const { paths, horizon } = checkAligned([input], 'mapPaths');
  const v = input.values;
  const out = new Float64Array(paths * horizon);
  for (let p = 0, j = 0; p < paths; p++) for (let h = 0; h < horizon; h++, j++) out[j] = fn(v[j], h, p);
  return { paths, horizon, values: out };
}
