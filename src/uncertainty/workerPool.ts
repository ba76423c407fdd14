/**
 * A pool of workers that simulate sample paths, for `simulateSeries`:
 * worker threads in Node, Web Workers in the browser bundle (the platform's
 * `spawnWorker`, or the `spawn` given).
 *
 * Fitted models are closures and cannot cross a thread boundary, so a task
 * is plain data (the series, the method, its options, the horizon, the
 * number of paths and the seed): the worker fits the model again from the
 * series, simulates, and sends the values back as a `Float64Array` whose
 * buffer is transferred, not copied. The fit and the simulation are the same
 * deterministic code in every thread, so a task gives bit-identical values
 * wherever it runs.
 *
 * @module
 */
import { fitMethod, type MethodOptions } from '../models/registry.js';
import type { FittedModel, MethodName } from '../models/types.js';
import { pathBands, type PathBands } from './pathBands.js';
import { defaultWorkerCount, spawnWorker } from './workerHost.js';
import type { SpawnWorker, WorkerLike, WorkerPort } from './workerProtocol.js';

export { defaultWorkerCount, WORKER_MODE } from './workerHost.js';

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

/**
 * Serve simulation tasks on a worker's port: fit the model of each task
 * from the plain series (fits cached per series, method and options, so
 * the chunks of one series fit once per worker), simulate, and reply with
 * the values, their buffer transferred. What every simulation worker runs,
 * a worker thread or a Web Worker; the worker says `ready` itself when all
 * it serves is set up.
 *
 * @param port - the worker's end of the channel
 * @internal
 */
export function serveSimulation(port: WorkerPort): void {
  const cache = new Map<string, FittedModel>();
  port.onMessage((m) => {
    const msg = m as WorkerRequest;
    if (!msg || msg.type !== 'task') return;
    const { id, task } = msg;
    let reply: WorkerReply;
    let transfer: ArrayBuffer[] = [];
    try {
      const key = `${task.method}|${JSON.stringify(task.methodOptions ?? {})}|${task.series.join(',')}`;
      let model = cache.get(key);
      if (!model) {
        model = fitMethod(task.method, task.series, task.methodOptions);
        if (cache.size >= 64) cache.clear();
        cache.set(key, model);
      }
      const r = runSimulationTask(task, model);
      reply = { type: 'result', id, values: r.values, bands: r.bands };
      transfer = [r.values.buffer as ArrayBuffer];
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      reply = { type: 'error', id, name: err.name, message: err.message };
    }
    port.postMessage(reply, transfer);
  });
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
  readonly worker: WorkerLike;
  ready: boolean;
  busy?: { readonly id: number; readonly job: Job };
}

/** Options of a {@link SimulationPool}. */
export interface SimulationPoolOptions {
  /** How to start each worker (default: the platform's, worker threads in Node and Web Workers in the browser bundle). */
  readonly spawn?: SpawnWorker;
}

/**
 * A pool of workers running {@link SimulationTask}s (worker threads in
 * Node, Web Workers in the browser bundle). Create one to
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
   * @param size - number of workers, a positive whole number (default {@link defaultWorkerCount})
   * @param options - `spawn`: how to start each worker (default: the platform's)
   * @throws RangeError when size is not a positive whole number
   * @throws Error when running from TypeScript sources and tsx cannot be found
   */
  constructor(size: number = defaultWorkerCount(), options: SimulationPoolOptions = {}) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a simulation pool needs a positive whole number of workers, got ${size}`);
    this.size = size;
    const readies: Promise<void>[] = [];
    for (let i = 0; i < size; i++) {
      const worker = (options.spawn ?? spawnWorker)('simulate');
      const slot: Slot = { worker, ready: false };
      this.slots.push(slot);
      readies.push(
        new Promise<void>((resolve) => {
          worker.onMessage((m) => {
            const msg = m as WorkerReply;
            if (msg.type === 'ready') {
              slot.ready = true;
              resolve();
              this.dispatch();
            } else this.onMessage(slot, msg);
          });
          worker.onError((e) => {
            this.fail(new Error(`a simulation worker failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e }));
            resolve();
          });
          worker.onExit((code) => {
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
