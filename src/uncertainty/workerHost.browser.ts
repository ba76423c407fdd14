/**
 * Starting carecast's workers in the browser bundle, which uses this module
 * in place of `workerHost.ts`: Web Workers running `carecast-worker.js`,
 * the bundle's worker script (beside `carecast.js`, in the same folder),
 * which serves both kinds of work.
 *
 * @module
 */
import { webWorkerSpawner, type WebWorkerConstructor, type WorkerKind, type WorkerLike } from './workerProtocol.js';

/** How the workers of this build start: the bundle is compiled. */
export const WORKER_MODE: 'compiled' | 'tsx' = 'compiled';

/** The worker script, beside the module holding this code (the bundle's files share one folder). */
const WORKER_URL = new URL('./carecast-worker.js', import.meta.url);

let spawn: ((kind: WorkerKind) => WorkerLike) | undefined;

/**
 * Start a worker of a kind: in a browser, a Web Worker (a module worker)
 * running the bundle's `carecast-worker.js`.
 *
 * @param kind - `simulate`, `system` or `ssda903`
 * @returns the worker
 * @throws Error when the page has no Web Workers
 * @example
 * ```ts
 * const pool = new SimulationPool(2); // Web Workers, in the browser bundle
 * ```
 */
export function spawnWorker(kind: WorkerKind): WorkerLike {
  if (!spawn) {
    const W = (globalThis as { Worker?: WebWorkerConstructor }).Worker;
    if (typeof W !== 'function') throw new Error('this page has no Web Workers: use workers: 0 (the same numbers, in this thread)');
    spawn = webWorkerSpawner(W, WORKER_URL);
  }
  return spawn(kind);
}

/**
 * The default number of workers: the browser's `navigator.hardwareConcurrency` (at least 1).
 *
 * @returns the number of logical processors the browser reports
 * @example
 * ```ts
 * new SimulationPool(defaultWorkerCount());
 * ```
 */
export function defaultWorkerCount(): number {
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return Math.max(1, typeof n === 'number' && Number.isFinite(n) ? Math.floor(n) : 1);
}
