/**
 * The Web Worker of the browser bundle (`carecast-worker.js`; not part of
 * the public API): serves every kind of work on the worker's global scope,
 * simulation tasks (`SimulationPool`), batches of areas
 * (`SystemPanelPool`) and SSDA903 files to read and project
 * (`Ssda903Worker`), with the same code as Node's worker threads, then
 * says `ready` once it has loaded the bundled data (a worker does not share
 * the page's: the system model's total reads the bundled evidence, global
 * fits and calibrations, as it does in Node).
 *
 * @module
 */
import { loadBundledData } from '../data/seedFiles.js';
import { serveSimulation } from '../uncertainty/workerPool.js';
import { webWorkerPort, type WebWorkerScope } from '../uncertainty/workerProtocol.js';
import { serveSsda903 } from './ssda903Worker.js';
import { serveSystemPanel } from './systemPanel.js';

const scope = globalThis as unknown as WebWorkerScope;
if (typeof scope.postMessage !== 'function' || typeof scope.addEventListener !== 'function') {
  throw new Error('carecast-worker.js runs only as a Web Worker started by carecast');
}
const port = webWorkerPort(scope);
serveSimulation(port);
serveSystemPanel(port);
serveSsda903(port);
await loadBundledData();
port.postMessage({ type: 'ready' });
