/**
 * A pool of worker threads that simulate sample paths, for
 * `simulateSeries`.
 *
 * Fitted models are closures and cannot cross a thread boundary, so a task
 * is plain data (the series, the method, its options, the horizon, the
 * number of paths and the seed): the worker fits the model again from the
 * series, simulates, and sends the values back as a `Float64Array` whose
 * buffer is transferred, not copied. The fit and the simulation are the same
 * deterministic code in every thread, so a task gives bit-identical values
 * wherever it runs.
 *
 * ## Starting the workers from TypeScript sources and from `dist/`
 *
 * The worker entry is `simulateWorker.js` next to this module when carecast
 * runs compiled. When this module is itself TypeScript (`npx tsx`, vitest),
 * the entry is `simulateWorker.ts`, which plain Node 20 cannot load, and
 * Node 20 does not apply `--import` loaders given in a worker's `execArgv`
 * (nor the parent's). So the pool starts a small bootstrap (an ES module
 * in a `data:` URL) that registers tsx's ESM loader in the worker thread with
 * `register()` from `tsx/esm/api` (resolved from carecast's own location)
 * and then imports the `.ts` entry. Compiled, no loader is involved.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { fitMethod, type MethodOptions } from '../models/registry.js';
import type { FittedModel, MethodName } from '../models/types.js';
import { pathBands, type PathBands } from './pathBands.js';

/** One unit of simulation work: plain data, so it can be posted to a worker. */
export interface SimulationTask {
  /** The observed series, oldest first. */
  readonly series: readonly number[];
  /** The method to fit to it. */
  readonly method: MethodName;
  /** Per-method options for {@link fitMethod}. */
  readonly methodOptions?: MethodOptions;
  /** Steps ahead to simulate. */
  readonly horizon: number;
  /** Number of paths in this task. */
  readonly paths: number;
  /** Seed of this task's generator. */
  readonly seed: number;
  /**
   * When given, the bands of this task's paths at these levels are computed
   * too (where the paths run), e.g. when the task holds every path of a
   * series.
   */
  readonly bandLevels?: readonly number[];
}

/** What a {@link SimulationTask} produces. */
export interface SimulationTaskResult {
  /** The simulated values, path after path (`paths * horizon` of them). */
  readonly values: Float64Array;
  /** The bands of the paths, when the task asked for them. */
  readonly bands?: PathBands;
}

/**
 * Run one simulation task in the current thread: fit the model (unless a
 * fitted one is given) and simulate. This is what each worker runs; the
 * in-process path of `simulateSeries` runs it too, so both give the
 * same numbers.
 *
 * @param task - the task
 * @param model - the model already fitted to `task.series` with `task.method` (optional)
 * @returns the values, and the bands when asked
 * @throws RangeError when the series cannot be fitted by the method, or the horizon or number of paths is bad
 * @example
 * ```ts
 * const r = runSimulationTask({ series: [719, 802, 861, 899], method: 'drift', horizon: 5, paths: 100, seed: 1 });
 * r.values.length; // 500
 * ```
 */
export function runSimulationTask(task: SimulationTask, model?: FittedModel): SimulationTaskResult {
  const m = model ?? fitMethod(task.method, task.series, task.methodOptions);
  const sims = m.simulate(task.horizon, { paths: task.paths, seed: task.seed });
  return task.bandLevels ? { values: sims.values, bands: pathBands(sims, task.bandLevels) } : { values: sims.values };
}

/**
 * A message from the main thread to a worker.
 *
 * @internal
 */
export interface WorkerRequest {
  /** Always `'task'`. */
  readonly type: 'task';
  /** The task's id within the pool. */
  readonly id: number;
  /** The task. */
  readonly task: SimulationTask;
}

/**
 * A message from a worker to the main thread.
 *
 * @internal
 */
export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly id: number; readonly values: Float64Array; readonly bands?: PathBands }
  | { readonly type: 'error'; readonly id: number; readonly name: string; readonly message: string };

// ---- starting a worker ----------------------------------------------------------

const HERE_URL = import.meta.url;
/** Whether this module runs from TypeScript sources (tsx, vitest) rather than compiled JavaScript. */
const FROM_SOURCE = new URL(HERE_URL).pathname.endsWith('.ts');

/** How the workers of this build start: from the compiled `.js` entry, or the `.ts` one through tsx. */
export const WORKER_MODE: 'compiled' | 'tsx' = FROM_SOURCE ? 'tsx' : 'compiled';

let tsxApiUrl: string | undefined;

/** The file URL of tsx's ESM API (`tsx/esm/api`, import condition), found from carecast's location. */
function resolveTsxApi(): string {
  if (tsxApiUrl) return tsxApiUrl;
  const require = createRequire(HERE_URL);
  let pkgPath: string;
  try {
    pkgPath = require.resolve('tsx/package.json');
  } catch {
    throw new Error(
      'carecast is running from its TypeScript sources, and worker threads then need tsx to load them, ' +
        'but tsx was not found (npm install --save-dev tsx); or run the compiled build, or use workers: 0',
    );
  }
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports?: Record<string, unknown> };
  const entry = pkg.exports?.['./esm/api'];
  let rel: string | undefined;
  if (typeof entry === 'string') rel = entry;
  else if (entry && typeof entry === 'object') {
    const imp = (entry as Record<string, unknown>).import;
    if (typeof imp === 'string') rel = imp;
    else if (imp && typeof imp === 'object') {
      const d = (imp as Record<string, unknown>).default;
      if (typeof d === 'string') rel = d;
    }
  }
  tsxApiUrl = pathToFileURL(join(dirname(pkgPath), rel ?? './dist/esm/api/index.mjs')).href;
  return tsxApiUrl;
}

/**
 * The worker bootstrap used from sources, an ES module given as a `data:`
 * URL: register tsx in this thread, then load the `.ts` entry.
 */
const TSX_BOOTSTRAP = new URL(
  `data:text/javascript,${encodeURIComponent(
    "import { workerData } from 'node:worker_threads';\n" +
      'const api = await import(workerData.tsxApi);\n' +
      'api.register();\n' +
      'await import(workerData.entry);\n',
  )}`,
);

/**
 * The parent's Node options minus those that only make sense for the main
 * entry (`--input-type`, `-e`/`--eval`, `-p`/`--print` and their values):
 * workers inherit `execArgv`, and `--input-type` makes a file or URL entry
 * fail to load.
 *
 * @param argv - the parent's `process.execArgv`
 * @returns the options to start a worker with
 */
function workerExecArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--input-type' || a === '-e' || a === '--eval' || a === '-p' || a === '--print') {
      i++;
      continue;
    }
    if (/^--(input-type|eval|print)=/.test(a)) continue;
    out.push(a);
  }
  return out;
}

/**
 * Start a worker thread running one of carecast's worker entry modules,
 * from the compiled build or from the TypeScript sources (through tsx).
 *
 * @param entry - the module path relative to the package's source root,
 *   without extension, e.g. `'uncertainty/simulateWorker'`
 * @returns the worker
 * @throws Error when running from sources without tsx installed
 * @internal
 */
export function startCarecastWorker(entry: string): Worker {
  const execArgv = workerExecArgv(process.execArgv);
  if (!FROM_SOURCE) return new Worker(new URL(`../${entry}.js`, HERE_URL), { execArgv });
  const url = new URL(`../${entry}.ts`, HERE_URL).href;
  return new Worker(TSX_BOOTSTRAP, { execArgv, workerData: { tsxApi: resolveTsxApi(), entry: url } });
}

/** Start one simulation worker. */
function startWorker(): Worker {
  return startCarecastWorker('uncertainty/simulateWorker');
}

// ---- the pool ---------------------------------------------------------------------

/** A queued task with the run it belongs to. */
interface Job {
  readonly task: SimulationTask;
  readonly index: number;
  readonly run: Run;
}

/** One call of {@link SimulationPool.run}. */
interface Run {
  readonly results: (SimulationTaskResult | undefined)[];
  remaining: number;
  failed: boolean;
  readonly onResult?: (index: number, result: SimulationTaskResult) => void;
  readonly resolve: (r: SimulationTaskResult[]) => void;
  readonly reject: (e: Error) => void;
}

/** One worker and what it is doing. */
interface Slot {
  readonly worker: Worker;
  ready: boolean;
  busy?: { readonly id: number; readonly job: Job };
}

/**
 * The default number of workers: the machine's available parallelism (at
 * least 1).
 *
 * @returns the number of CPU cores Node reports as available
 * @example
 * ```ts
 * new SimulationPool(defaultWorkerCount());
 * ```
 */
export function defaultWorkerCount(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

/**
 * A pool of worker threads running {@link SimulationTask}s. Create one to
 * reuse across several `simulateSeries` calls (its `pool` option), so
 * the workers start once; `simulateSeries` with `workers: n` makes
 * and closes a pool of its own. Idle workers do not keep the process alive;
 * still, {@link SimulationPool.close} a pool when done.
 *
 * @example
 * ```ts
 * const pool = new SimulationPool(2);
 * try {
 *   const a = await simulateSeries(specs, { horizon: 12, paths: 10_000, seed: 1, pool });
 *   const b = await simulateSeries(specs, { horizon: 12, paths: 10_000, seed: 2, pool });
 * } finally {
 *   await pool.close();
 * }
 * ```
 */
export class SimulationPool {
  /** Number of worker threads. */
  readonly size: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private broken: Error | undefined;
  private closed = false;
  private readonly readyPromise: Promise<void>;
  private waitingForReady = 0;
  private refed = true;

  /**
   * Start the workers (they load in the background; tasks queue meanwhile).
   *
   * @param size - number of worker threads, a positive whole number (default {@link defaultWorkerCount})
   * @throws RangeError when size is not a positive whole number
   * @throws Error when running from TypeScript sources and tsx cannot be found
   */
  constructor(size: number = defaultWorkerCount()) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a simulation pool needs a positive whole number of workers, got ${size}`);
    this.size = size;
    const readies: Promise<void>[] = [];
    for (let i = 0; i < size; i++) {
      const worker = startWorker();
      const slot: Slot = { worker, ready: false };
      this.slots.push(slot);
      readies.push(
        new Promise<void>((resolve) => {
          worker.on('message', (msg: WorkerReply) => {
            if (msg.type === 'ready') {
              slot.ready = true;
              resolve();
              this.dispatch();
            } else this.onMessage(slot, msg);
          });
          worker.on('error', (e) => {
            this.fail(new Error(`a simulation worker failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e }));
            resolve();
          });
          worker.on('exit', (code) => {
            if (!this.closed) this.fail(new Error(`a simulation worker stopped unexpectedly (exit code ${code})`));
            resolve();
          });
        }),
      );
    }
    this.updateRefs();
    this.readyPromise = Promise.all(readies).then(() => undefined);
  }

  /**
   * Wait until every worker has loaded (useful to time startup apart from
   * work).
   *
   * @returns a promise that resolves when all workers are ready
   * @throws Error (rejects) when a worker failed to start
   * @example
   * ```ts
   * const pool = new SimulationPool(2);
   * await pool.ready();
   * ```
   */
  async ready(): Promise<void> {
    this.waitingForReady++;
    this.updateRefs();
    try {
      await this.readyPromise;
    } finally {
      this.waitingForReady--;
      this.updateRefs();
    }
    if (this.broken) throw this.broken;
  }

  /**
   * Run tasks on the workers, each task on whichever worker is free next.
   *
   * @param tasks - the tasks
   * @param onResult - called in the main thread as each task finishes (any order); if it throws, the run rejects with that error
   * @returns the results, in the order of `tasks`
   * @throws Error (rejects) with the task's own error (e.g. a RangeError from the fit), when a worker fails, or when the pool is closed
   * @example
   * ```ts
   * const [r] = await pool.run([{ series: [1, 2, 3, 5], method: 'drift', horizon: 3, paths: 100, seed: 7 }]);
   * ```
   */
  run(tasks: readonly SimulationTask[], onResult?: (index: number, result: SimulationTaskResult) => void): Promise<SimulationTaskResult[]> {
    if (this.closed) return Promise.reject(new Error('this simulation pool is closed'));
    if (this.broken) return Promise.reject(this.broken);
    if (tasks.length === 0) return Promise.resolve([]);
    return new Promise<SimulationTaskResult[]>((resolve, reject) => {
      const run: Run = { results: new Array(tasks.length), remaining: tasks.length, failed: false, onResult, resolve, reject };
      tasks.forEach((task, index) => this.queue.push({ task, index, run }));
      this.dispatch();
      this.updateRefs();
    });
  }

  /**
   * Stop the workers. Runs still in progress reject.
   *
   * @returns a promise that resolves when every worker has exited
   * @example
   * ```ts
   * await pool.close();
   * ```
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = new Error('the simulation pool was closed before the run finished');
    for (const job of this.queue.splice(0)) this.rejectRun(job.run, err);
    for (const s of this.slots) if (s.busy) this.rejectRun(s.busy.job.run, err);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.busy) continue;
      let job = this.queue.shift();
      while (job && job.run.failed) job = this.queue.shift();
      if (!job) break;
      const id = this.nextId++;
      slot.busy = { id, job };
      const msg: WorkerRequest = { type: 'task', id, task: job.task };
      slot.worker.postMessage(msg);
    }
  }

  private onMessage(slot: Slot, msg: WorkerReply): void {
    const busy = slot.busy;
    if (msg.type === 'ready' || !busy || busy.id !== msg.id) return;
    slot.busy = undefined;
    const { run, index } = busy.job;
    if (msg.type === 'error') {
      const e = msg.name === 'RangeError' ? new RangeError(msg.message) : msg.name === 'TypeError' ? new TypeError(msg.message) : new Error(msg.message);
      this.rejectRun(run, e);
    } else if (!run.failed) {
      const result: SimulationTaskResult = msg.bands ? { values: msg.values, bands: msg.bands } : { values: msg.values };
      run.results[index] = result;
      run.remaining--;
      try {
        run.onResult?.(index, result);
      } catch (e) {
        this.rejectRun(run, e instanceof Error ? e : new Error(String(e)));
      }
      if (!run.failed && run.remaining === 0) run.resolve(run.results as SimulationTaskResult[]);
    }
    if (!this.queue.some((j) => !j.run.failed)) this.queue.length = 0;
    this.dispatch();
    this.updateRefs();
  }

  /** Keep the process alive while there is work (or a wait for startup); let it exit when idle. */
  private updateRefs(): void {
    if (this.closed) return;
    const active = this.waitingForReady > 0 || this.queue.length > 0 || this.slots.some((s) => s.busy);
    if (active === this.refed) return;
    this.refed = active;
    for (const s of this.slots) {
      if (active) s.worker.ref();
      else s.worker.unref();
    }
  }

  private rejectRun(run: Run, e: Error): void {
    if (run.failed) return;
    run.failed = true;
    run.reject(e);
  }

  private fail(e: Error): void {
    if (this.broken) return;
    this.broken = e;
    for (const job of this.queue.splice(0)) this.rejectRun(job.run, e);
    for (const s of this.slots) {
      if (s.busy) this.rejectRun(s.busy.job.run, e);
      s.busy = undefined;
    }
    if (!this.closed) {
      this.closed = true;
      for (const s of this.slots) void s.worker.terminate();
    }
  }
}
