/**
 * Project many areas at once (every LA of a panel), in this thread or on
 * workers (worker threads in Node, Web Workers in the browser bundle), with
 * the same numbers either way. The dynamics are the panel's own (fitted on
 * it as known at its last year) unless given.
 *
 * @module
 */
import { streamSeed } from '../math/rng.js';
import { spawnWorker } from '../uncertainty/workerHost.js';
import type { SpawnWorker, WorkerLike, WorkerPort } from '../uncertainty/workerProtocol.js';
import { fitSystemDynamics, type SystemDynamics } from './dynamics.js';
import { prepareArea, type SystemInput } from './input.js';
import { projectSystem, type SystemOptions } from './projectSystem.js';
import { systemRecords, type SystemRecord } from './records.js';

/** One area to project. */
export interface PanelItem {
  /** Area name (reported back with the result). */
  readonly area: string;
  /** The area's series. */
  readonly input: SystemInput;
}

/** Options of {@link projectSystemPanel}. */
export interface SystemPanelOptions extends SystemOptions {
  /** Worker threads (default 0: this thread). Results do not depend on it. */
  readonly workers?: number;
  /** An open pool to run on (instead of `workers`). */
  readonly pool?: SystemPanelPool;
  /** Called after each area with (areas done, total). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** One area's outcome: its tidy records, or the error that stopped it. */
export type PanelResult =
  | {
      /** Area name. */
      readonly area: string;
      /** Projected. */
      readonly ok: true;
      /** The projection as tidy rows (see {@link systemRecords}). */
      readonly records: readonly SystemRecord[];
      /** The projection's caveats. */
      readonly caveats: readonly string[];
      /** What the projection rests on, in one line. */
      readonly summary: string;
      /** The seed this area was simulated with. */
      readonly seed: number;
    }
  | {
      /** Area name. */
      readonly area: string;
      /** Not projected. */
      readonly ok: false;
      /** Why (the input error's message). */
      readonly error: string;
      /** The seed this area would have used. */
      readonly seed: number;
    };

/**
 * Project one panel item with its own seed (used in this thread and in the workers).
 *
 * @param item - the area
 * @param options - projection options (its `seed` is the item's own)
 * @returns the outcome
 * @internal
 */
export function projectPanelItem(item: PanelItem, options: SystemOptions & { seed: number }): PanelResult {
  try {
    const sp = projectSystem(item.input, options);
    return {
      area: item.area,
      ok: true,
      records: systemRecords(sp),
      caveats: sp.caveats,
      summary: sp.summary,
      seed: options.seed,
    };
  } catch (e) {
    return { area: item.area, ok: false, error: (e as Error).message, seed: options.seed };
  }
}

/** A batch of areas for a system worker. */
interface BatchMessage {
  readonly type: 'batch';
  readonly run: number;
  readonly options: SystemOptions;
  readonly items: readonly { readonly index: number; readonly seed: number; readonly item: PanelItem }[];
}

/**
 * Serve batches of areas on a worker's port: project each with its own
 * seed and reply with its result. What every system worker runs, a worker
 * thread or a Web Worker; the worker says `ready` itself when all it serves
 * is set up.
 *
 * @param port - the worker's end of the channel
 * @internal
 */
export function serveSystemPanel(port: WorkerPort): void {
  port.onMessage((m) => {
    const msg = m as BatchMessage;
    if (!msg || msg.type !== 'batch') return;
    for (const { index, seed, item } of msg.items) {
      port.postMessage({ type: 'result', run: msg.run, index, result: projectPanelItem(item, { ...msg.options, seed }) });
    }
  });
}

/** The panel's own dynamics, fitted on the areas whose input can be read (the others are reported with their errors). */
function panelDynamics(items: readonly PanelItem[]): SystemDynamics {
  const readable = items.filter((x) => {
    try {
      prepareArea(x.input);
      return true;
    } catch {
      return false;
    }
  });
  return fitSystemDynamics(
    readable.map((x) => ({ ...x.input, area: x.input.area ?? x.area })),
    { description: `the ${readable.length} area${readable.length === 1 ? '' : 's'} given` },
  );
}

function baseOptions(options: SystemPanelOptions): SystemOptions {
  const { workers: _w, onProgress: _p, pool: _pool, ...rest } = options;
  return rest;
}

/** A batch being run by a {@link SystemPanelPool}. */
interface PanelRun {
  readonly results: (PanelResult | undefined)[];
  remaining: number;
  readonly onResult: (index: number) => void;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

/** Options of a {@link SystemPanelPool}. */
export interface SystemPanelPoolOptions {
  /** How to start each worker (default: the platform's, worker threads in Node and Web Workers in the browser bundle). */
  readonly spawn?: SpawnWorker;
}

/**
 * A pool of workers for {@link projectSystemPanel} (worker threads in Node,
 * Web Workers in the browser bundle), kept open across calls so the workers
 * start (and their code warms up) once. Close it when done; idle workers do
 * not keep the process alive.
 *
 * @example
 * ```ts
 * const pool = new SystemPanelPool(2);
 * try {
 *   const a = await projectSystemPanel(items, { to: 2031, seed: 1, pool });
 *   const b = await projectSystemPanel(items, { to: 2031, seed: 2, pool });
 * } finally {
 *   await pool.close();
 * }
 * ```
 */
export class SystemPanelPool {
  /** Number of worker threads. */
  readonly size: number;
  private readonly workers: WorkerLike[] = [];
  private readonly ready: Promise<void>;
  private readonly runs = new Map<number, PanelRun>();
  private nextRun = 1;
  private failure: Error | undefined;

  /**
   * Start the workers.
   *
   * @param size - number of workers (>= 1)
   * @param options - `spawn`: how to start each worker (default: the platform's)
   * @throws RangeError when size is not a whole number >= 1
   */
  constructor(size: number, options: SystemPanelPoolOptions = {}) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`pool size must be a whole number >= 1, got ${size}`);
    this.size = size;
    const readies: Promise<void>[] = [];
    for (let i = 0; i < size; i++) {
      const w = (options.spawn ?? spawnWorker)('system');
      w.unref();
      readies.push(
        new Promise<void>((resolve, reject) => {
          w.onError(reject);
          w.onMessage((msg) => {
            if ((msg as { type?: string }).type === 'ready') resolve();
          });
        }),
      );
      w.onMessage((m) => {
        const msg = m as { type: string; run?: number; index?: number; result?: PanelResult };
        if (msg.type !== 'result' || msg.run === undefined || msg.index === undefined || !msg.result) return;
        const run = this.runs.get(msg.run);
        if (!run) return;
        run.results[msg.index] = msg.result;
        try {
          run.onResult(msg.index);
        } catch (e) {
          this.runs.delete(msg.run);
          run.reject(e as Error);
          return;
        }
        if (--run.remaining === 0) {
          this.runs.delete(msg.run);
          run.resolve();
        }
      });
      w.onError((e) => this.fail(e));
      w.onExit((code) => {
        if (this.runs.size > 0) this.fail(new Error(`a system worker stopped (exit code ${code}) during a run`));
      });
      this.workers.push(w);
    }
    this.ready = Promise.all(readies).then(() => undefined);
  }

  private fail(e: Error): void {
    this.failure = e;
    for (const [id, run] of this.runs) {
      this.runs.delete(id);
      run.reject(e);
    }
  }

  /**
   * Project the items on the pool's workers (round-robin), each with the
   * seed given.
   *
   * @param items - areas with their own seeds
   * @param options - projection options (without seed)
   * @param onResult - called with each finished item's index
   * @returns one result per item, in input order
   * @internal
   */
  async run(items: readonly { item: PanelItem; seed: number }[], options: SystemOptions, onResult: (index: number) => void): Promise<PanelResult[]> {
    await this.ready;
    if (this.failure) throw this.failure;
    const results: (PanelResult | undefined)[] = new Array(items.length);
    if (items.length === 0) return [];
    const id = this.nextRun++;
    const done = new Promise<void>((resolve, reject) => {
      this.runs.set(id, { results, remaining: items.length, onResult, resolve, reject });
    });
    this.workers.forEach((w, k) => {
      const batch = items.flatMap((x, i) => (i % this.size === k ? [{ index: i, seed: x.seed, item: x.item }] : []));
      if (batch.length > 0) w.postMessage({ type: 'batch', run: id, options, items: batch });
    });
    await done;
    return results as PanelResult[];
  }

  /**
   * Stop the workers.
   *
   * @returns when all have stopped
   */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Project every area of a panel with {@link projectSystem}: area `i` is
 * simulated with seed `streamSeed(seed, i)`, so each area's numbers are the
 * same whatever the number of workers and the order of completion. An area
 * whose input is invalid is reported with its error; the others go on.
 *
 * The dynamics are those given (`dynamics`), else fitted on this panel
 * itself as known at its last year ({@link fitSystemDynamics}): over a
 * panel given by the user, the fit is that panel's own.
 *
 * @param items - the areas
 * @param options - projection options, plus `workers` (a temporary pool) or
 *   `pool` (an open {@link SystemPanelPool}), and `onProgress`
 * @returns one result per area, in input order
 * @throws RangeError when `workers` is not a whole number >= 0
 * @example
 * ```ts
 * const results = await projectSystemPanel(items, { to: 2031, paths: 1000, seed: 1, workers: 2 });
 * toCsv(results.flatMap((r) => (r.ok ? r.records : [])));
 * ```
 */
export async function projectSystemPanel(items: readonly PanelItem[], options: SystemPanelOptions = {}): Promise<PanelResult[]> {
  const workers = options.workers ?? 0;
  if (!Number.isInteger(workers) || workers < 0) throw new RangeError(`workers must be a whole number >= 0, got ${workers}`);
  const seed = options.seed ?? 1;
  const dynamics = options.dynamics ?? panelDynamics(items);
  const base = { ...baseOptions(options), dynamics };
  const total = items.length;
  const seeded = items.map((item, i) => ({ item, seed: streamSeed(seed, i) }));
  if (!options.pool && (workers === 0 || total <= 1)) {
    const out: PanelResult[] = [];
    seeded.forEach(({ item, seed: s }, i) => {
      out.push(projectPanelItem(item, { ...base, seed: s }));
      options.onProgress?.(i + 1, total);
    });
    return out;
  }
  const pool = options.pool ?? new SystemPanelPool(Math.min(workers, total));
  let done = 0;
  try {
    return await pool.run(seeded, base, () => options.onProgress?.(++done, total));
  } finally {
    if (!options.pool) await pool.close();
  }
}
