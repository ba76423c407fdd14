/**
 * The entry of a simulation worker thread in Node (started by
 * {@link SimulationPool}; not part of the public API): serves simulation
 * tasks on the thread's port. The browser bundle's Web Worker
 * (`system/webWorker.ts`) serves the same tasks with the same code.
 *
 * @module
 */
import { parentPort } from 'node:worker_threads';
import { serveSimulation, type WorkerReply } from './workerPool.js';
import { threadPort } from './threadPort.js';

const port = parentPort;
if (!port) throw new Error('simulateWorker runs only as a worker thread started by SimulationPool');

serveSimulation(threadPort(port));
const ready: WorkerReply = { type: 'ready' };
port.postMessage(ready);
