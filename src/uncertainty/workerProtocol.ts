/**
 * The two sides of carecast's workers, whatever runs them: Node's worker
 * threads (`workerHost.ts`) or a browser's Web Workers
 * (`workerHost.browser.ts`, the browser bundle's host). The pools
 * (`SimulationPool`, `SystemPanelPool`) talk to a {@link WorkerLike}; a
 * worker's code talks to a {@link WorkerPort}. Messages are plain data
 * (structured clone), results' `Float64Array` buffers are transferred, and
 * every task carries its own seed, so a task gives bit-identical numbers in
 * any thread of either kind.
 *
 * @module
 */

/** What a worker is started for: simulating paths, projecting the areas of a panel, or reading and projecting SSDA903 files. */
export type WorkerKind = 'simulate' | 'system' | 'ssda903';

/**
 * A worker as a pool sees it (a Node worker thread or a Web Worker behind
 * the same few methods).
 */
export interface WorkerLike {
  /** Post a message (structured clone), transferring the buffers listed. */
  postMessage(message: unknown, transfer?: readonly ArrayBuffer[]): void;
  /** Listen to the worker's messages. */
  onMessage(handler: (message: unknown) => void): void;
  /** Listen to errors the worker raises (failing to load included). */
  onError(handler: (error: Error) => void): void;
  /** Listen to the worker stopping by itself (Node; a Web Worker never reports it). */
  onExit(handler: (code: number) => void): void;
  /** Stop the worker. */
  terminate(): Promise<void>;
  /** Keep the process alive while the worker is busy (Node; nothing in a browser). */
  ref(): void;
  /** Let the process exit while the worker is idle (Node; nothing in a browser). */
  unref(): void;
}

/**
 * Start a worker of a kind. The default is the platform's
 * (`worker_threads` in Node, Web Workers in the browser bundle); give your
 * own to a pool to start workers another way, e.g. from a bundler's worker
 * URL with {@link webWorkerSpawner}.
 */
export type SpawnWorker = (kind: WorkerKind) => WorkerLike;

/** A worker's end of the channel: the messages from its pool, and its replies. */
export interface WorkerPort {
  /** Listen to the pool's messages. */
  onMessage(handler: (message: unknown) => void): void;
  /** Reply to the pool (structured clone), transferring the buffers listed. */
  postMessage(message: unknown, transfer?: readonly ArrayBuffer[]): void;
}

/** The part of a Web Worker (the DOM's `Worker`) a pool uses. */
export interface WebWorker {
  /** Post a message, transferring the buffers listed. */
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  /** Listen to `message`, `error` and `messageerror` events. */
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: { readonly data?: unknown; readonly message?: string }) => void): void;
  /** Stop the worker. */
  terminate(): void;
}

/** A constructor of Web Workers (the DOM's `Worker`, or a stand-in with its interface). */
export type WebWorkerConstructor = new (url: string | URL, options?: { readonly type?: 'module' | 'classic'; readonly name?: string }) => WebWorker;

/**
 * A {@link SpawnWorker} that starts Web Workers running carecast's worker
 * script (`carecast-worker.js` beside the browser bundle, which serves
 * both kinds of work).
 *
 * @param Worker - the Web Worker constructor (in a browser, `Worker`)
 * @param url - the worker script's URL, a module script
 * @returns the spawner, for a pool's `spawn` option
 * @example
 * ```ts
 * // the worker script where your bundler or server puts it, e.g. '/assets/carecast-worker.js'
 * const spawn = webWorkerSpawner(Worker, workerScriptUrl);
 * const pool = new SimulationPool(2, { spawn });
 * ```
 */
export function webWorkerSpawner(Worker: WebWorkerConstructor, url: string | URL): SpawnWorker {
  return (kind) => {
    const w = new Worker(url, { type: 'module', name: `carecast-${kind}` });
    return {
      postMessage: (message, transfer) => w.postMessage(message, transfer ? [...transfer] : []),
      onMessage: (handler) => w.addEventListener('message', (e) => handler(e.data)),
      onError: (handler) => {
        w.addEventListener('error', (e) => handler(new Error(e.message ?? 'the worker script failed to load or threw')));
        w.addEventListener('messageerror', () => handler(new Error('a message from the worker could not be read')));
      },
      onExit: () => {},
      terminate: async () => w.terminate(),
      ref: () => {},
      unref: () => {},
    };
  };
}

/** The part of a Web Worker's global scope (`self`) a worker uses. */
export interface WebWorkerScope {
  /** Reply to the page, transferring the buffers listed. */
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  /** Listen to the page's messages. */
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
}

/**
 * A Web Worker's end of the channel, from its global scope.
 *
 * @param scope - the worker's `self`
 * @returns the port
 * @example
 * ```ts
 * serveSimulation(webWorkerPort(self));
 * ```
 */
export function webWorkerPort(scope: WebWorkerScope): WorkerPort {
  return {
    onMessage: (handler) => scope.addEventListener('message', (e) => handler(e.data)),
    postMessage: (message, transfer) => scope.postMessage(message, transfer ? [...transfer] : []),
  };
}
