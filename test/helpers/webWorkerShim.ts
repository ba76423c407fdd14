/**
 * A stand-in for the browser's `Worker` in Node, for tests of the browser
 * bundle's Web Worker path: each "Web Worker" is a worker thread whose
 * global scope is given the two members a module worker's `self` has and
 * carecast uses (`postMessage`, `addEventListener('message')`), and which
 * then imports the worker script by its URL, as a browser loads a module
 * worker. Messages are structured clones, buffers transferred, as between a
 * page and its workers.
 */
import { Worker as ThreadWorker } from 'node:worker_threads';

const BOOTSTRAP = new URL(
  `data:text/javascript,${encodeURIComponent(
    "import { parentPort, workerData } from 'node:worker_threads';\n" +
      'globalThis.postMessage = (message, transfer) => parentPort.postMessage(message, transfer);\n' +
      "globalThis.addEventListener = (type, listener) => { if (type === 'message') parentPort.on('message', (data) => listener({ data })); };\n" +
      'await import(workerData.url);\n',
  )}`,
);

type Listener = (event: { readonly data?: unknown; readonly message?: string }) => void;

/** How many shim workers were started (to check that a test really used them). */
export const shimStats = { started: 0, urls: new Set<string>() };

/** The browser's `Worker`, as far as carecast uses it, over a worker thread. */
export class ShimWebWorker {
  private readonly thread: ThreadWorker;

  constructor(url: string | URL, options?: { readonly type?: 'module' | 'classic'; readonly name?: string }) {
    if (options?.type !== 'module') throw new Error('carecast starts module workers: { type: "module" } expected');
    shimStats.started++;
    shimStats.urls.add(String(url));
    this.thread = new ThreadWorker(BOOTSTRAP, { workerData: { url: String(url) } });
  }

  postMessage(message: unknown, transfer: ArrayBuffer[] = []): void {
    this.thread.postMessage(message, transfer);
  }

  addEventListener(type: 'message' | 'error' | 'messageerror', listener: Listener): void {
    if (type === 'message') this.thread.on('message', (data) => listener({ data }));
    else if (type === 'error') this.thread.on('error', (e) => listener({ message: e instanceof Error ? e.message : String(e) }));
    else this.thread.on('messageerror', () => listener({}));
  }

  terminate(): void {
    void this.thread.terminate();
  }
}
