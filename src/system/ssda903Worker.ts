/**
 * SSDA903 files read and projected off the page's thread: a worker (a Web
 * Worker in a browser, running the bundle's `carecast-worker.js`; a worker
 * thread in Node) runs {@link projectSsda903Files} on the files' bytes,
 * which are transferred to it, and sends back the plain result, its
 * `Float64Array` buffers transferred. Reading the returns and simulating
 * their children with the episode model (2,000 paths by default, as the
 * CLI) takes seconds; in a worker the page stays responsive meanwhile. The worker runs the same code on the same bytes with the same
 * seed, so the numbers are bit-identical to the call in the page's thread
 * (in one JavaScript engine).
 *
 * @module
 */
import { CarecastInputError, type InputProblem } from '../data/errors.js';
import type { Ssda903FileInput } from '../data/loaders/ssda903Files.js';
import { spawnWorker } from '../uncertainty/workerHost.js';
import type { SpawnWorker, WorkerLike, WorkerPort } from '../uncertainty/workerProtocol.js';
import { projectSsda903Files, type Ssda903Projection, type Ssda903ProjectionOptions, type Ssda903Stage } from './ssda903Projection.js';

/** A file as sent to the worker: its name, and its text or bytes (the bytes transferred). */
interface SentFile {
  readonly name: string;
  readonly content: string | ArrayBuffer;
}

/** The page's request. */
interface ProjectMessage {
  readonly type: 'ssda903';
  readonly run: number;
  readonly files: readonly SentFile[];
  readonly options: Omit<Ssda903ProjectionOptions, 'onProgress'>;
}

/** The worker's replies. */
type Reply =
  | { readonly type: 'ready' }
  | { readonly type: 'ssda903-progress'; readonly run: number; readonly stage: Ssda903Stage }
  | { readonly type: 'ssda903-result'; readonly run: number; readonly result: Ssda903Projection }
  | { readonly type: 'ssda903-error'; readonly run: number; readonly problems?: readonly InputProblem[]; readonly message: string };

/** Every `ArrayBuffer` under typed arrays in a value, once each (to transfer them). */
function buffersOf(x: unknown, out = new Set<ArrayBuffer>(), seen = new Set<object>()): Set<ArrayBuffer> {
  if (x === null || typeof x !== 'object' || seen.has(x)) return out;
  seen.add(x);
  if (ArrayBuffer.isView(x)) {
    if (x.buffer instanceof ArrayBuffer) out.add(x.buffer);
    return out;
  }
  for (const v of Object.values(x)) buffersOf(v, out, seen);
  return out;
}

/**
 * Serve SSDA903 projections on a worker's port (the worker side of
 * {@link Ssda903Worker}; carecast's worker scripts call it).
 *
 * @param port - the worker's end of the channel
 * @example
 * ```ts
 * serveSsda903(webWorkerPort(self)); // in a Web Worker
 * ```
 */
export function serveSsda903(port: WorkerPort): void {
  port.onMessage((m) => {
    const msg = m as ProjectMessage;
    if (!msg || msg.type !== 'ssda903') return;
    const { run } = msg;
    projectSsda903Files(msg.files, { ...msg.options, onProgress: (stage) => port.postMessage({ type: 'ssda903-progress', run, stage } satisfies Reply) }).then(
      (r) => {
        const result: Ssda903Projection = { ...r, ranIn: 'worker' };
        try {
          port.postMessage({ type: 'ssda903-result', run, result } satisfies Reply, [...buffersOf(result)]);
        } catch (e) {
          // a result that cannot be sent (it should not happen: it is plain data): say so rather than leave the call waiting
          port.postMessage({ type: 'ssda903-error', run, message: `the worker could not send its result: ${e instanceof Error ? e.message : String(e)}` } satisfies Reply);
        }
      },
      (e: unknown) => {
        const reply: Reply =
          e instanceof CarecastInputError ? { type: 'ssda903-error', run, problems: e.problems, message: e.message } : { type: 'ssda903-error', run, message: e instanceof Error ? e.message : String(e) };
        port.postMessage(reply);
      },
    );
  });
}

/** A file's content, for the worker: text as it is, bytes copied or read from the `Blob` (ours to transfer). */
async function sendable(f: Ssda903FileInput): Promise<SentFile> {
  const content = 'content' in f && !(typeof Blob !== 'undefined' && f instanceof Blob) ? f.content : (f as Blob);
  if (typeof content === 'string') return { name: f.name, content };
  if (typeof Blob !== 'undefined' && content instanceof Blob) return { name: f.name, content: await content.arrayBuffer() };
  if (content instanceof ArrayBuffer) return { name: f.name, content: content.slice(0) };
  const view = content as ArrayBufferView;
  return { name: f.name, content: new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice().buffer };
}

/** A run waiting for its worker's reply. */
interface Pending {
  readonly resolve: (r: Ssda903Projection) => void;
  readonly reject: (e: Error) => void;
  readonly onProgress?: (stage: Ssda903Stage) => void;
}

/** Options of an {@link Ssda903Worker}. */
export interface Ssda903WorkerOptions {
  /** How to start the worker (default: the platform's: a Web Worker running `carecast-worker.js` in a page, a worker thread in Node). */
  readonly spawn?: SpawnWorker;
}

/**
 * A worker that reads and projects SSDA903 files ({@link projectSsda903Files})
 * off the calling thread. Start one when the page loads (it loads the
 * bundled data meanwhile), use it for every set of files, close it when done.
 *
 * @example
 * ```ts
 * const worker = new Ssda903Worker();
 * const r = await worker.project([...input.files], { read: { lenient: true }, system: { to: 2030, seed: 1 } });
 * r.ranIn;        // 'worker'
 * await worker.close();
 * ```
 */
export class Ssda903Worker {
  private readonly worker: WorkerLike;
  private readonly pending = new Map<number, Pending>();
  private readonly readyPromise: Promise<void>;
  private nextRun = 1;
  private broken: Error | undefined;
  private closed = false;

  /**
   * Start the worker (it loads in the background; calls wait for it).
   *
   * @param options - `spawn`: how to start it
   * @throws Error when the platform cannot start one (a page without Web Workers)
   */
  constructor(options: Ssda903WorkerOptions = {}) {
    this.worker = (options.spawn ?? spawnWorker)('ssda903');
    this.readyPromise = new Promise<void>((resolve) => {
      this.worker.onMessage((m) => {
        const msg = m as Reply;
        if (msg.type === 'ready') resolve();
        else this.onReply(msg);
      });
      this.worker.onError((e) => {
        this.fail(new Error(`the SSDA903 worker failed: ${e.message}`, { cause: e }));
        resolve();
      });
      this.worker.onExit((code) => {
        if (!this.closed) this.fail(new Error(`the SSDA903 worker stopped unexpectedly (exit code ${code})`));
        resolve();
      });
    });
    this.worker.unref();
  }

  /**
   * Wait until the worker has loaded (its bundled data included).
   *
   * @returns a promise that resolves when the worker is ready
   * @throws Error (rejects) when the worker failed to start
   * @example
   * ```ts
   * const worker = new Ssda903Worker();
   * await worker.ready();
   * ```
   */
  async ready(): Promise<void> {
    await this.readyPromise;
    if (this.broken) throw this.broken;
  }

  /**
   * Read and project SSDA903 files in the worker: {@link projectSsda903Files}
   * there, the files' bytes transferred to it, its plain result back.
   *
   * @param files - `File` objects, or `{ name, content }` with text, bytes or a `Blob` (bytes given are copied, not taken)
   * @param options - as {@link projectSsda903Files}; `onProgress` is called in this thread as the worker reaches each stage
   * @returns the same result as {@link projectSsda903Files} in this thread, with `ranIn: 'worker'`
   * @throws CarecastInputError (rejects) for bad files, as in this thread; Error when the worker fails or is closed
   * @example
   * ```ts
   * const r = await worker.project(files, { read: { lenient: true }, system: { horizon: 6, paths: 2000, seed: 1 }, onProgress: (s) => (status.textContent = s) });
   * ```
   */
  async project(files: readonly Ssda903FileInput[], options: Ssda903ProjectionOptions = {}): Promise<Ssda903Projection> {
    if (this.closed) throw new Error('this SSDA903 worker is closed');
    const sent = await Promise.all(files.map(sendable));
    await this.ready();
    const { onProgress, ...rest } = options;
    const run = this.nextRun++;
    return new Promise<Ssda903Projection>((resolve, reject) => {
      this.pending.set(run, { resolve, reject, ...(onProgress ? { onProgress } : {}) });
      this.worker.ref();
      const transfer = sent.flatMap((f) => (typeof f.content === 'string' ? [] : [f.content]));
      this.worker.postMessage({ type: 'ssda903', run, files: sent, options: rest } satisfies ProjectMessage, transfer);
    });
  }

  /**
   * Stop the worker. Calls still in progress reject.
   *
   * @returns a promise that resolves when the worker has stopped
   * @example
   * ```ts
   * await worker.close();
   * ```
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fail(new Error('this SSDA903 worker was closed'));
    await this.worker.terminate();
  }

  private onReply(msg: Reply): void {
    if (msg.type === 'ready') return;
    const p = this.pending.get(msg.run);
    if (!p) return;
    if (msg.type === 'ssda903-progress') {
      p.onProgress?.(msg.stage);
      return;
    }
    this.pending.delete(msg.run);
    if (this.pending.size === 0) this.worker.unref();
    if (msg.type === 'ssda903-result') p.resolve(msg.result);
    else p.reject(msg.problems ? new CarecastInputError(msg.problems) : new Error(msg.message));
  }

  private fail(e: Error): void {
    this.broken ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}

/**
 * Whether this platform starts Web Workers (a page, or a worker of one).
 *
 * @returns `true` when `Worker` is a constructor here
 */
function hasWebWorkers(): boolean {
  return typeof (globalThis as { Worker?: unknown }).Worker === 'function';
}

/**
 * Read and project SSDA903 files off the page's thread where it can:
 * {@link projectSsda903Files} in a Web Worker when the page has them, in
 * this thread otherwise (and in Node unless asked), with the same numbers
 * either way; the result's `ranIn` says which.
 *
 * @param files - `File` objects, or `{ name, content }` with text, bytes or a `Blob`
 * @param options - as {@link projectSsda903Files}, and `worker`: an {@link Ssda903Worker} to use (kept open), `true` to start one for this call, `false` for this thread (default: a worker for this call where `Worker` exists)
 * @returns the quality report, the derived input and the projection, as plain data
 * @throws CarecastInputError (rejects) for bad files
 * @example
 * ```ts
 * const r = await projectSsda903FilesInWorker([...input.files], { read: { lenient: true }, system: { horizon: 6, seed: 1 } });
 * r.ranIn;  // 'worker' in a browser
 * ```
 */
export async function projectSsda903FilesInWorker(
  files: readonly Ssda903FileInput[],
  options: Ssda903ProjectionOptions & { readonly worker?: Ssda903Worker | boolean } = {},
): Promise<Ssda903Projection> {
  const { worker = hasWebWorkers(), ...rest } = options;
  if (worker === false) return projectSsda903Files(files, rest);
  if (worker !== true) return worker.project(files, rest);
  const own = new Ssda903Worker();
  try {
    return await own.project(files, rest);
  } finally {
    await own.close();
  }
}
