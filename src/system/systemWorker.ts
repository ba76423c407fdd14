/**
 * The entry of a system-panel worker thread in Node (started by
 * {@link projectSystemPanel}; not part of the public API): projects each area
 * it is given with its own seed and posts the results back; it also reads
 * and projects SSDA903 files for an `Ssda903Worker`. The browser
 * bundle's Web Worker (`webWorker.ts`) serves the same batches with the
 * same code.
 *
 * @module
 */
import { parentPort } from 'node:worker_threads';
import { threadPort } from '../uncertainty/threadPort.js';
import { serveSsda903 } from './ssda903Worker.js';
import { serveSystemPanel } from './systemPanel.js';

const port = parentPort;
if (!port) throw new Error('systemWorker runs only as a worker thread started by projectSystemPanel');

serveSystemPanel(threadPort(port));
serveSsda903(threadPort(port));
port.postMessage({ type: 'ready' });
