/**
 * The Web Worker of the browser bundle (`carecast-worker.js`; not part of
 * the public API): serves both kinds of work on the worker's global scope,
 * simulation tasks (`SimulationPool`) and batches of areas
 * (`SystemPanelPool`), with the same code as Node's worker threads, then
 * says `ready`.
 *
 * @module
 */
import { serveSimulation } from '../uncertainty/workerPool.js';
import { webWorkerPort, type WebWorkerScope } from '../uncertainty/workerProtocol.js';
import { serveSystemPanel } from './systemPanel.js';

const scope = globalThis as unknown as WebWorkerScope;
if (typeof scope.postMessage !== 'function' || typeof scope.addEventListener !== 'function') {
  throw new Error('carecast-worker.js runs only as a Web Worker started by carecast');
}
const port = webWorkerPort(scope);
serveSimulation(port);
serveSystemPanel(port);
port.postMessage({ type: 'ready' });
