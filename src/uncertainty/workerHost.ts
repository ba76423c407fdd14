/**
 * Starting carecast's workers in Node: worker threads (`node:worker_threads`).
 * In the browser bundle this module is replaced by `workerHost.browser.ts`,
 * which starts Web Workers and has the same functions.
 *
 * ## Starting the workers from TypeScript sources and from `dist/`
 *
 * The worker entries are `uncertainty/simulateWorker.js` and
 * `system/systemWorker.js` when carecast runs compiled. When this module is
 * itself TypeScript (`npx tsx`, vitest), the entry is the `.ts` file, which
 * plain Node 20 cannot load, and Node 20 does not apply `--import` loaders
 * given in a worker's `execArgv` (nor the parent's). So the host starts a
 * small bootstrap (an ES module in a `data:` URL) that registers tsx's ESM
 * loader in the worker thread with `register()` from `tsx/esm/api` (resolved
 * from carecast's own location) and then imports the `.ts` entry. Compiled,
 * no loader is involved.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerKind, WorkerLike } from './workerProtocol.js';

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

/**
 * A worker thread behind the {@link WorkerLike} interface the pools use.
 *
 * @param w - the worker thread
 * @returns the same worker, as a {@link WorkerLike}
 */
function threadWorker(w: Worker): WorkerLike {
  return {
    postMessage: (message, transfer) => w.postMessage(message, transfer ? [...transfer] : undefined),
    onMessage: (handler) => w.on('message', handler),
    onError: (handler) => w.on('error', (e) => handler(e instanceof Error ? e : new Error(String(e)))),
    onExit: (handler) => w.on('exit', handler),
    terminate: async () => {
      await w.terminate();
    },
    ref: () => w.ref(),
    unref: () => w.unref(),
  };
}

/**
 * Start a worker of a kind: in Node, a worker thread running
 * `uncertainty/simulateWorker` (`simulate`) or `system/systemWorker`
 * (`system` and `ssda903`), compiled, or the sources through tsx.
 *
 * @param kind - `simulate`, `system` or `ssda903`
 * @returns the worker
 * @throws Error when running from sources without tsx installed
 * @example
 * ```ts
 * const pool = new SimulationPool(2, { spawn: spawnWorker }); // the default
 * ```
 */
export function spawnWorker(kind: WorkerKind): WorkerLike {
  return threadWorker(kind === 'simulate' ? startCarecastWorker('uncertainty/simulateWorker') : startCarecastWorker('system/systemWorker'));
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
